"""Alembic, configured in code with its scripts shipped inside this package (no alembic.ini).

Imported only when a store needs creating or upgrading: importing Alembic costs more than the
whole check of an up-to-date store (see :mod:`pathplanner.store.migrate`).
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from pathplanner.store.database import WRITE_OPTION

SCRIPT_LOCATION = "pathplanner.store:migrations"
# Any constant: serialises concurrent start-ups of several advisors on one PostgreSQL store.
_PG_MIGRATION_LOCK = 0x70617468


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def script_head() -> str | None:
    return script_directory().get_current_head()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade to ``revision`` in one transaction: all of the migration happens, or none."""
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        command.upgrade(alembic_config(connection), revision)
