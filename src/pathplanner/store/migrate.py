"""Schema migrations, run at start-up: Alembic with its scripts shipped inside this package.

No ``alembic.ini`` is needed: the configuration is built here. Opening a store at the current
revision costs one query; a store at an older revision is backed up (SQLite) and upgraded in
one transaction; a store at a revision this version does not know was written by a newer
pathplanner and is refused untouched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from pathplanner.store.database import WRITE_OPTION, sqlite_file
from pathplanner.store.errors import NewerSchemaError

SCRIPT_LOCATION = "pathplanner.store:migrations"
# Any constant: serialises concurrent start-ups of several advisors on one PostgreSQL store.
_PG_MIGRATION_LOCK = 0x70617468


@dataclass(frozen=True)
class MigrationOutcome:
    from_revision: str | None
    to_revision: str
    backup: Path | None  # the copy taken before upgrading, if any

    @property
    def migrated(self) -> bool:
        return self.from_revision != self.to_revision


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "the packaged migrations have one head"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade to ``revision`` in one transaction (used by :func:`ensure_schema` and tests)."""
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), revision)


def ensure_schema(engine: Engine, backup_dir: Path) -> MigrationOutcome:
    """Bring the store to the current schema, refusing a store written by a newer version."""
    scripts = script_directory()
    head = scripts.get_current_head()
    assert head is not None
    with engine.connect() as connection:
        current = current_revision(connection)
    if current == head:
        return MigrationOutcome(current, head, None)
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise NewerSchemaError(
            f"{engine.url.render_as_string(hide_password=True)}: this store was written by a "
            f"newer pathplanner (schema revision {current!r}; this version knows up to "
            f"{head!r}). It was not changed; upgrade pathplanner to open it"
        )
    backup = None
    database = sqlite_file(engine.url)
    if current is not None and database is not None:
        backup = backup_sqlite(database, backup_dir, current)
    upgrade(engine)
    return MigrationOutcome(current, head, backup)


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
