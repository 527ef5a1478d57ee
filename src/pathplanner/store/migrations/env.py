"""Alembic environment: runs on the connection :mod:`pathplanner.store.migrate` passes in."""

from __future__ import annotations

from alembic import context

from pathplanner.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "pathplanner's migrations run through pathplanner.store.migrate.upgrade(engine)"
    )
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
