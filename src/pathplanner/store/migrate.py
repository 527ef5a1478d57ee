"""Schema migrations, run at start-up.

Opening a store at the current revision costs one small query and does not even import
Alembic. A store at an older revision is backed up (SQLite) and upgraded in one transaction; a
store at a revision this version does not know was written by a newer pathplanner and is
refused untouched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from pathplanner.store.database import sqlite_file
from pathplanner.store.errors import NewerSchemaError

# The newest revision in migrations/versions/ (a test checks they agree): written out so that
# an up-to-date store is recognised without loading Alembic and its scripts.
HEAD_REVISION = "0002"


@dataclass(frozen=True)
class MigrationOutcome:
    from_revision: str | None
    to_revision: str
    backup: Path | None  # the copy taken before upgrading, if any

    @property
    def migrated(self) -> bool:
        return self.from_revision != self.to_revision


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return ", ".join(sorted(revisions)) or None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade to ``revision`` in one transaction (tests use it to make older stores)."""
    from pathplanner.store import alembic_runner  # noqa: PLC0415  (Alembic only when needed)

    alembic_runner.upgrade(engine, revision)


def ensure_schema(engine: Engine, backup_dir: Path) -> MigrationOutcome:
    """Bring the store to the current schema, refusing a store written by a newer version."""
    with engine.connect() as connection:
        current = current_revision(connection)
    if current == HEAD_REVISION:
        return MigrationOutcome(current, HEAD_REVISION, None)
    from pathplanner.store import alembic_runner  # noqa: PLC0415  (Alembic only when needed)

    if current is not None and current not in alembic_runner.known_revisions():
        raise NewerSchemaError(
            f"{engine.url.render_as_string(hide_password=True)}: this store was written by a "
            f"newer pathplanner (schema revision {current!r}; this version knows up to "
            f"{HEAD_REVISION!r}). It was not changed; upgrade pathplanner to open it"
        )
    backup = None
    database = sqlite_file(engine.url)
    if current is not None and database is not None:
        backup = backup_sqlite(database, backup_dir, current)
    alembic_runner.upgrade(engine)
    return MigrationOutcome(current, HEAD_REVISION, backup)


def backup_sqlite(database: Path, backup_dir: Path, revision: str) -> Path:
    """Copy a live SQLite store with SQLite's online backup (consistent even mid-WAL)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backup_dir / f"{database.stem}-{stamp}-rev{revision}{database.suffix}"
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)  # a backup file that exists is complete
    return target
