"""Start-up safety: migrations, backups, newer stores and files that are not stores."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from pathplanner.paths import sqlite_url
from pathplanner.store import CorruptStoreError, NewerSchemaError, Store, StoreError
from pathplanner.store.alembic_runner import script_head
from pathplanner.store.database import make_engine
from pathplanner.store.migrate import HEAD_REVISION, upgrade
from pathplanner.store.schema import Base


def test_a_new_store_is_created_at_the_current_revision(store_url: str, tmp_path: Path) -> None:
    with Store.open(store_url, backup_dir=tmp_path / "backups") as store:
        assert store.migration is not None
        assert (store.migration.from_revision, store.migration.to_revision) == (
            None,
            HEAD_REVISION,
        )
        assert store.migration.backup is None  # nothing to lose in a new store
    with Store.open(store_url, backup_dir=tmp_path / "backups") as store:
        assert store.migration is not None
        assert not store.migration.migrated


def test_the_written_out_head_is_the_newest_migration() -> None:
    assert script_head() == HEAD_REVISION


def test_the_migrations_build_exactly_the_models_schema(store_url: str, tmp_path: Path) -> None:
    Store.open(store_url, backup_dir=tmp_path).close()
    engine = create_engine(store_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_sqlite_pragmas_are_on(tmp_path: Path) -> None:
    store = Store.open(sqlite_url(tmp_path / "s.sqlite3"), backup_dir=tmp_path)
    with store, store.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("foreign_keys", "journal_mode", "busy_timeout")
        }
    assert pragma == {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": 10_000}


def test_an_older_store_is_backed_up_then_migrated(store_url: str, tmp_path: Path) -> None:
    engine = make_engine(store_url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO learners (name, contact, notes, created_at, updated_at, version) "
                "VALUES ('Ann', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
    engine.dispose()
    backups = tmp_path / "backups"
    with Store.open(store_url, backup_dir=backups) as store:
        assert store.migration is not None
        assert (store.migration.from_revision, store.migration.to_revision) == ("0001", "0002")
        assert [learner.name for learner in store.list_learners()] == ["Ann"]
        backup = store.migration.backup
    if not store_url.startswith("sqlite"):
        assert backup is None  # a server's backups are the office's pg_dump (docs/store.md)
        return
    assert backup is not None
    assert backup.parent == backups
    assert "rev0001" in backup.name
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert copy.execute("SELECT name FROM learners").fetchall() == [("Ann",)]
    finally:
        copy.close()


def test_a_store_written_by_a_newer_version_is_refused_untouched(
    store_url: str, tmp_path: Path
) -> None:
    Store.open(store_url, backup_dir=tmp_path).close()
    engine = create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    database = tmp_path / "store.sqlite3"
    before = database.read_bytes() if store_url.startswith("sqlite") else b""
    with pytest.raises(
        NewerSchemaError, match=r"newer pathplanner \(schema revision '0099_future'"
    ):
        Store.open(store_url, backup_dir=tmp_path / "backups")
    if store_url.startswith("sqlite"):
        assert database.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def _sqlite_store_file(path: Path) -> bytes:
    Store.open(sqlite_url(path), backup_dir=path.parent).close()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"learners": []}\n', "not a database file"),
        (bytes(range(256)) * 64, "not a database file"),
        (b"SQLite format 3\x00" + b"\xff" * 4000, "damaged"),
    ],
    ids=["json", "binary", "bad-sqlite"],
)
def test_a_file_that_is_not_a_store_is_refused_untouched(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(content)
    with pytest.raises(CorruptStoreError, match=message) as caught:
        Store.open(sqlite_url(path), backup_dir=tmp_path / "backups")
    assert str(path) in str(caught.value)
    assert "not changed" in str(caught.value)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_a_truncated_store_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    whole = _sqlite_store_file(path)
    for leftover in tmp_path.glob("store.sqlite3-*"):
        leftover.unlink()
    path.write_bytes(whole[: len(whole) // 3])
    damaged = path.read_bytes()
    with pytest.raises(CorruptStoreError, match="not changed"):
        Store.open(sqlite_url(path), backup_dir=tmp_path / "backups")
    assert path.read_bytes() == damaged


def test_another_programs_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    connection.commit()
    connection.close()
    content = path.read_bytes()
    with pytest.raises(CorruptStoreError, match=r"not a pathplanner store .*photos"):
        Store.open(sqlite_url(path), backup_dir=tmp_path)
    assert path.read_bytes() == content


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorruptStoreError, match="is not a file"):
        Store.open(sqlite_url(tmp_path), backup_dir=tmp_path)


def test_an_unreachable_server_is_reported_without_its_password(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://advisor:secret@127.0.0.1:{port}/plans?connect_timeout=2"
    with pytest.raises(StoreError, match="cannot open the store") as caught:
        Store.open(url, backup_dir=tmp_path)
    assert "secret" not in str(caught.value)
    assert not isinstance(caught.value, CorruptStoreError)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nosuchdb://host/db", "is not a database URL pathplanner can use"),
        ("postgresql+pg8000://advisor:secret@host/db", "driver is not installed"),
    ],
    ids=["unknown-backend", "missing-driver"],
)
def test_unusable_urls_are_reported(tmp_path: Path, url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        Store.open(url, backup_dir=tmp_path)
    assert "secret" not in str(caught.value)
