"""Preferences: the dialog, their round trip through QSettings, the palette they choose."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from pathplanner.ui import theme
from pathplanner.ui.about import about_text, versions
from pathplanner.ui.preferences import Preferences, PreferencesDialog

pytestmark = pytest.mark.gui


def test_the_dialog_edits_and_qsettings_keep_them(qtbot: Any, settings: QSettings) -> None:
    dialog = PreferencesDialog(Preferences(last_dir="/tmp"))
    qtbot.addWidget(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.page.setCurrentIndex(dialog.page.findData("Letter"))
    dialog.limit.setValue(30)
    chosen = dialog.result_preferences()
    assert chosen == Preferences(theme="dark", page_size="Letter", time_limit=30, last_dir="/tmp")
    chosen.save(settings)
    assert Preferences.load(settings) == chosen


def test_unreadable_settings_fall_back_to_defaults(settings: QSettings) -> None:
    settings.setValue("prefs/theme", "purple")
    settings.setValue("prefs/page_size", "A0")
    settings.setValue("prefs/time_limit", "soon")
    assert Preferences.load(settings) == Preferences()


def test_dark_and_back_to_the_system_palette(qapp: QApplication) -> None:
    before = qapp.palette().color(QPalette.ColorRole.Window).lightness()
    theme.apply("dark")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert qapp.palette().color(QPalette.ColorRole.WindowText).lightness() > 180
    theme.apply("system")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() == before


def test_about_names_the_versions() -> None:
    names = versions()
    assert {"pathplanner", "Python", "Qt", "PySide6"} <= set(names)
    assert names["PySide6"] in about_text()
