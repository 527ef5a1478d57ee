"""Engines for the store: SQLite pragmas, write transactions, and refusing files that are not ours.

SQLite connections get ``foreign_keys=ON`` (off by default in SQLite), ``journal_mode=WAL``
(readers never block the writer; a killed process leaves the file consistent) and a
``busy_timeout`` (a second window waits for the first one's short transaction instead of
failing). pysqlite's own transaction handling is switched off so that SQLAlchemy's ``begin``
really opens the transaction, and write transactions start with ``BEGIN IMMEDIATE``: they take
the write lock up front, so two writers queue instead of one failing half-way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry

from pathplanner.store.errors import CorruptStoreError, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
WRITE_OPTION = "pathplanner_write"  # execution option: this transaction will write


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database or another backend."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def check_sqlite_file(path: Path) -> None:
    """Refuse anything at ``path`` that is not an empty file or a pathplanner SQLite store.

    Only reads the file: a refused file is left exactly as it was.
    """
    if not path.exists():
        return
    if not path.is_file():
        raise CorruptStoreError(f"{path}: is not a file; give the store's database file")
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise CorruptStoreError(
            f"{path}: not a database file (no SQLite header; {size} bytes). "
            "It was not changed; give another --db, or move the file away to start a new store"
        )
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True)
        try:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptStoreError(
            f"{path}: the database is damaged ({exc}). It was not changed; restore a backup "
            "(see docs/store.md) or move the file away to start a new store"
        ) from exc
    if tables and "alembic_version" not in tables:
        raise CorruptStoreError(
            f"{path}: is a SQLite database but not a pathplanner store (its tables: "
            f"{', '.join(sorted(tables)[:5])}). It was not changed; give another --db"
        )


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files are checked first and their directory created."""
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a database URL pathplanner can use: {exc}") from None
    except ImportError as exc:
        raise StoreError(
            f"{make_url(url).render_as_string(hide_password=True)}: its database driver is not "
            f"installed ({exc}); for PostgreSQL: pip install 'pathplanner[postgresql]'"
        ) from None
    path = sqlite_file(parsed)
    if path is not None:
        check_sqlite_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy's begin event emit BEGIN (pysqlite would defer it to the first write).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
