"""Preferences kept in QSettings (window-level choices; what a user would miss lives in the
store) and the dialog that edits them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QWidget,
)

from pathplanner.ui.plan_export import PAGE_SIZES
from pathplanner.ui.theme import THEMES


@dataclass
class Preferences:
    theme: str = "system"
    page_size: str = "A4"
    time_limit: float = 10.0  # seconds the planner may search
    last_dir: str = ""

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        default = cls()
        theme = str(settings.value("prefs/theme", default.theme))
        page = str(settings.value("prefs/page_size", default.page_size))
        try:
            limit = float(settings.value("prefs/time_limit", default.time_limit))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            limit = default.time_limit
        return cls(
            theme=theme if theme in THEMES else default.theme,
            page_size=page if page in PAGE_SIZES else default.page_size,
            time_limit=min(max(limit, 1.0), 600.0),
            last_dir=str(settings.value("prefs/last_dir", "")),
        )

    def save(self, settings: QSettings) -> None:
        settings.setValue("prefs/theme", self.theme)
        settings.setValue("prefs/page_size", self.page_size)
        settings.setValue("prefs/time_limit", self.time_limit)
        settings.setValue("prefs/last_dir", self.last_dir)


class PreferencesDialog(QDialog):
    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._start = preferences
        self.theme = QComboBox()
        self.theme.setAccessibleName("Appearance")
        for key, text in THEMES.items():
            self.theme.addItem(text, key)
        self.theme.setCurrentIndex(self.theme.findData(preferences.theme))
        self.page = QComboBox()
        self.page.setAccessibleName("Paper size")
        for key in PAGE_SIZES:
            self.page.addItem(key, key)
        self.page.setCurrentIndex(self.page.findData(preferences.page_size))
        self.limit = QDoubleSpinBox()
        self.limit.setAccessibleName("Planner time limit")
        self.limit.setRange(1, 600)
        self.limit.setDecimals(0)
        self.limit.setSuffix(" s")
        self.limit.setValue(preferences.time_limit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Appearance", self.theme)
        form.addRow("&Paper size for PDF", self.page)
        form.addRow("Planner &time limit", self.limit)
        form.addRow(buttons)

    def result_preferences(self) -> Preferences:
        return replace(
            self._start,
            theme=self.theme.currentData(),
            page_size=self.page.currentData(),
            time_limit=self.limit.value(),
        )
