"""File choosers for imports and exports: start in the last folder used and remember it."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from pathplanner.ui.preferences import Preferences


def file_stem(text: str) -> str:
    """A file name made from a catalogue or credential name ("IT Networking" -> it-networking)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "export"


def choose_save_path(
    parent: QWidget, preferences: Preferences, *, title: str, stem: str, kind: str, suffix: str
) -> Path | None:
    """A path to write, with ``suffix`` added when the user typed none; None if cancelled."""
    folder = Path(preferences.last_dir or str(Path.home()))
    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(folder / f"{stem}.{suffix}"), f"{kind} (*.{suffix});;All files (*)"
    )
    if not name:
        return None
    path = Path(name)
    preferences.last_dir = str(path.parent)
    return path if path.suffix else path.with_suffix(f".{suffix}")


def choose_open_paths(
    parent: QWidget, preferences: Preferences, title: str, filters: str, *, many: bool
) -> list[Path]:
    """The files chosen (one, or several when ``many``); empty if cancelled."""
    if many:
        names, _ = QFileDialog.getOpenFileNames(parent, title, preferences.last_dir, filters)
    else:
        name, _ = QFileDialog.getOpenFileName(parent, title, preferences.last_dir, filters)
        names = [name] if name else []
    paths = [Path(n) for n in names]
    if paths:
        preferences.last_dir = str(paths[0].parent)
    return paths
