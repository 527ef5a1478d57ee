"""Where pathplanner keeps its data: the one module that knows about platformdirs.

The store is a SQLite file in the user data directory unless ``--db URL`` or the
``PATHPLANNER_DB`` environment variable names another database (a SQLAlchemy URL, or a plain
file path meaning a SQLite file).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "pathplanner"
DB_FILE_NAME = "pathplanner.sqlite3"
DB_ENV_VAR = "PATHPLANNER_DB"


def user_data_dir() -> Path:
    """The per-user data directory (not created here)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return user_data_dir() / DB_FILE_NAME


def backups_dir() -> Path:
    """Where copies of the SQLite store are written before a migration."""
    return user_data_dir() / "backups"


def database_url(cli_value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The store's SQLAlchemy URL: ``--db`` first, then ``PATHPLANNER_DB``, then the default file.

    A value without ``://`` is a path to a SQLite file; ``postgresql://`` and ``postgres://``
    URLs get the psycopg (version 3) driver, the one pathplanner installs.
    """
    env = os.environ if environ is None else environ
    value = cli_value or env.get(DB_ENV_VAR) or ""
    if not value:
        return sqlite_url(default_db_path())
    if "://" not in value:
        return sqlite_url(Path(value).expanduser())
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.absolute()}"
