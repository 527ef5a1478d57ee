"""Light/dark: follow the system by default, or force one. Qt's colour-scheme hint is set for
platforms that honour it, and a Fusion palette is applied for those that do not."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem

THEMES = {"system": "Follow the system", "light": "Light", "dark": "Dark"}

_DARK = {
    QPalette.ColorRole.Window: "#2b2d30",
    QPalette.ColorRole.WindowText: "#e8e8e8",
    QPalette.ColorRole.Base: "#1e1f22",
    QPalette.ColorRole.AlternateBase: "#26282b",
    QPalette.ColorRole.Text: "#e8e8e8",
    QPalette.ColorRole.Button: "#393b40",
    QPalette.ColorRole.ButtonText: "#e8e8e8",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#2f6fb3",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#393b40",
    QPalette.ColorRole.ToolTipText: "#e8e8e8",
    QPalette.ColorRole.PlaceholderText: "#9a9da3",
    QPalette.ColorRole.Link: "#7ab4ff",
    QPalette.ColorRole.Mid: "#4a4d52",
    QPalette.ColorRole.Dark: "#1a1b1e",
    QPalette.ColorRole.Light: "#4e5157",
}


def blend(base: QColor, other: QColor, share: float) -> QColor:
    """``base`` moved ``share`` (0..1) of the way towards ``other``."""
    return QColor(
        round(base.red() + (other.red() - base.red()) * share),
        round(base.green() + (other.green() - base.green()) * share),
        round(base.blue() + (other.blue() - base.blue()) * share),
    )


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7d8087"))
    return palette


def apply(name: str) -> None:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    hints = app.styleHints()
    if name == "dark":
        hints.setColorScheme(Qt.ColorScheme.Dark)
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    elif name == "light":
        hints.setColorScheme(Qt.ColorScheme.Light)
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
    else:
        hints.unsetColorScheme()
        app.setPalette(QPalette())  # the platform's own palette, light or dark


class CheckBoxesDelegate(QStyledItemDelegate):
    """Item-view check boxes that show on a dark palette.

    Fusion outlines a check box in the window colour darkened and fills it with the base
    colour: in a dark list (base darker than window) an unticked box vanished. The item's own
    palette gets a window colour between text and base, which only that outline uses."""

    def initStyleOption(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        palette = option.palette
        base = palette.color(QPalette.ColorRole.Base)
        if base.lightness() < 128:
            text = palette.color(QPalette.ColorRole.Text)
            palette.setColor(QPalette.ColorRole.Window, blend(base, text, 0.5).lighter(140))
            option.palette = palette
