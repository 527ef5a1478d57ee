"""Start the desktop app: ``pathplanner [CATALOGUE]`` (the bundled catalogue by default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from pathplanner import __version__
from pathplanner.catalog import CatalogError, bundled_catalog_path, load_catalog
from pathplanner.ui.main_window import MainWindow


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pathplanner", description="pathplanner desktop app")
    parser.add_argument("catalog", nargs="?", help="catalogue file (default: the bundled one)")
    parser.add_argument("--version", action="version", version=f"pathplanner {__version__}")
    args, qt_args = parser.parse_known_args(argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("pathplanner")
    app.setOrganizationName("pathplanner")
    app.setApplicationVersion(__version__)
    path = Path(args.catalog) if args.catalog else bundled_catalog_path()
    try:
        loaded = load_catalog(path)
    except CatalogError as exc:
        box = QMessageBox(
            QMessageBox.Icon.Critical, "Catalogue not opened", f"{path.name} could not be opened:"
        )
        box.setInformativeText("\n".join(str(p) for p in exc.errors[:20]))
        box.exec()
        return 1
    window = MainWindow(loaded)
    window.show()
    return app.exec()
