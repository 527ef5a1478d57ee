"""Start the desktop app: ``pathplanner [CATALOGUE]`` (the bundled catalogue by default)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from pathplanner import __version__
from pathplanner.catalog import CatalogError, LoadedCatalog, bundled_catalog_path, load_catalog
from pathplanner.paths import database_url


def make_application(qt_args: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("pathplanner")
    app.setOrganizationName("pathplanner")
    app.setApplicationDisplayName("pathplanner")
    app.setApplicationVersion(__version__)
    return app


def open_first_catalog(path: Path) -> LoadedCatalog | None:
    """Load the start-up catalogue; on problems, say what is wrong (never a traceback)."""
    try:
        return load_catalog(path)
    except (CatalogError, OSError) as exc:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Catalogue not opened",
            f"{path.name} could not be opened. Fix the problems below, or start pathplanner "
            "without a file to use the bundled catalogue.",
        )
        if isinstance(exc, CatalogError):
            box.setInformativeText("\n".join(str(p) for p in exc.errors[:20]))
            box.setDetailedText("\n".join(str(p) for p in exc.problems))
        else:
            box.setInformativeText(f"{path}: {exc.strerror or exc}")
        box.exec()
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pathplanner", description="pathplanner desktop app")
    parser.add_argument("catalog", nargs="?", help="catalogue file (default: the bundled one)")
    parser.add_argument(
        "--db",
        help="plan store: a SQLite file or a SQLAlchemy URL (default: PATHPLANNER_DB, "
        "then the file in the user data folder)",
    )
    parser.add_argument("--version", action="version", version=f"pathplanner {__version__}")
    args, qt_args = parser.parse_known_args(argv)
    app = make_application(qt_args)
    # Imported here so that --version and --help answer without loading the whole UI.
    from pathplanner.ui.main_window import MainWindow  # noqa: PLC0415

    path = Path(args.catalog) if args.catalog else bundled_catalog_path()
    loaded = open_first_catalog(path)
    if loaded is None:
        return 1
    window = MainWindow(loaded, QSettings())
    window.show()
    window.open_store_in_background(database_url(args.db) if args.db else None)
    return app.exec()
