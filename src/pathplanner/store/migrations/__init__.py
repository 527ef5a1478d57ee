"""Alembic migration scripts of the store (run by :mod:`pathplanner.store.migrate`)."""
