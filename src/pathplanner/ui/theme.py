"""Light/dark: follow the system by default, or force one (Qt's colour-scheme hint)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


def apply(name: str) -> None:
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return
    hints = app.styleHints()
    if name == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
    elif name == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
    else:
        hints.unsetColorScheme()
