"""Where the store lives: ``--db`` beats ``PATHPLANNER_DB`` beats the user data directory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pathplanner import paths


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_DATA_HOME is the Linux convention")
def test_the_default_store_is_a_sqlite_file_in_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert paths.default_db_path() == tmp_path / "pathplanner" / "pathplanner.sqlite3"
    assert paths.backups_dir() == tmp_path / "pathplanner" / "backups"
    assert paths.database_url(None, {}) == f"sqlite:///{tmp_path}/pathplanner/pathplanner.sqlite3"


def test_db_option_beats_the_environment_which_beats_the_default(tmp_path: Path) -> None:
    env = {"PATHPLANNER_DB": "sqlite:////srv/office.sqlite3"}
    assert paths.database_url(None, env) == "sqlite:////srv/office.sqlite3"
    assert paths.database_url("sqlite:////tmp/mine.sqlite3", env) == "sqlite:////tmp/mine.sqlite3"


def test_plain_paths_and_postgresql_urls_are_understood(tmp_path: Path) -> None:
    assert paths.database_url(str(tmp_path / "s.db"), {}) == f"sqlite:///{tmp_path}/s.db"
    assert (
        paths.database_url("postgresql://advisor@db.office/plans", {})
        == "postgresql+psycopg://advisor@db.office/plans"
    )
    assert paths.database_url("postgres://db/plans", {}) == "postgresql+psycopg://db/plans"
    assert paths.database_url("postgresql+psycopg://db/p", {}) == "postgresql+psycopg://db/p"
