"""``pathplanner-cli [--db URL] learners | plans | export-all | import-all`` and ``plan --save``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathplanner.cli import main
from pathplanner.paths import sqlite_url
from pathplanner.store import Store
from tests.conftest import catalog_dict
from tests.store.conftest import credential

CATALOG = catalog_dict(
    [
        credential("a", kind="badge", cost=100, duration_weeks=4, effort_hours=40),
        credential("b", requires="a", cost=200, duration_weeks=8, effort_hours=80),
        credential("goal", requires={"all": ["b"]}, cost=500, duration_weeks=10),
    ]
)


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    status = main(["--db", url, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> Any:
    status, out, err = run(capsys, url, *argv, "--format", "json")
    assert status == 0, err
    return json.loads(out)


@pytest.fixture
def catalog_file(write_catalog: Callable[..., Path]) -> Path:
    return write_catalog(CATALOG)


def test_learners_add_list_show(capsys: pytest.CaptureFixture[str], store_url: str) -> None:
    added = run_json(capsys, store_url, "learners", "add", "Ann Lee", "--contact", "ann@x.org")
    assert (added["name"], added["contact"], added["version"]) == ("Ann Lee", "ann@x.org", 1)
    status, out, _ = run(capsys, store_url, "learners", "add", "Bo")
    assert (status, out) == (0, "added learner 'Bo' (id 2)\n")
    listed = run_json(capsys, store_url, "learners", "list")
    assert [learner["name"] for learner in listed] == ["Ann Lee", "Bo"]
    status, out, _ = run(capsys, store_url, "learners", "list")
    assert "Ann Lee" in out
    assert out.endswith("\n2 learners\n")
    shown = run_json(capsys, store_url, "learners", "show", "Ann Lee")
    assert (shown["name"], shown["held"], shown["plans"]) == ("Ann Lee", [], [])


def test_store_errors_exit_1_with_a_message(
    capsys: pytest.CaptureFixture[str], store_url: str
) -> None:
    run(capsys, store_url, "learners", "add", "Ann")
    status, out, err = run(capsys, store_url, "learners", "add", "Ann")
    assert (status, out) == (1, "")
    assert err == "pathplanner-cli: error: a learner named 'Ann' already exists\n"
    status, _, err = run(capsys, store_url, "learners", "show", "Zed")
    assert (status, err) == (1, "pathplanner-cli: error: no learner named 'Zed'\n")
    status, _, err = run(capsys, store_url, "plans", "show", "cheapest")
    assert status == 1
    assert "give a plan id, or the plan name with --learner" in err


def test_plan_save_then_plans_list_show_export_delete(
    capsys: pytest.CaptureFixture[str], store_url: str, catalog_file: Path, tmp_path: Path
) -> None:
    run(capsys, store_url, "learners", "add", "Ann")
    plan_argv = ["plan", "--catalog", str(catalog_file), "--goal", "goal", "--start", "2027-01-04"]
    status, out, err = run(
        capsys, store_url, *plan_argv, "--format", "json", "--save", "cheapest", "--learner", "Ann"
    )
    assert status == 0, err
    computed = json.loads(out)  # stdout is exactly the plan's JSON ...
    assert err == "saved plan 'cheapest' for Ann (id 1)\n"  # ... the note goes to stderr

    (listed,) = run_json(capsys, store_url, "plans", "list")
    assert (listed["learner"], listed["name"], listed["goal"]) == ("Ann", "cheapest", "goal")
    assert (listed["total_cost"], listed["steps"], listed["status"]) == (800.0, 3, "draft")
    shown = run_json(capsys, store_url, "plans", "show", "cheapest", "--learner", "Ann")
    # the plan's JSON as computed, plus each step's reason and hours kept for the app
    assert _without_details(shown["result"]) == computed
    assert shown["result"]["step_details"]["a"]["reason"] == "required by b"
    assert shown["request"]["start_date"] == "2027-01-04"
    assert shown["catalog"]["source"] == str(catalog_file)
    status, text, _ = run(capsys, store_url, "plans", "show", "1")
    assert status == 0
    assert "Plan 'cheapest' of Ann (id 1, draft)" in text
    assert "Goal" in text

    exported = tmp_path / "plan.json"
    status, _, _ = run(capsys, store_url, "plans", "export", "1", "--output", str(exported))
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert (status, document["format"]) == (0, "pathplanner-plan")
    assert _without_details(document["result"]) == computed
    assert [c["id"] for c in document["catalog_content"]["credentials"]] == ["a", "b", "goal"]
    assert [h["action"] for h in document["history"]] == ["created"]

    status, _, err = run(capsys, store_url, *plan_argv, "--save", "cheapest", "--learner", "Ann")
    assert status == 1
    assert "already has a plan named 'cheapest'" in err
    deleted = run_json(capsys, store_url, "plans", "delete", "1")
    assert deleted["deleted"]["name"] == "cheapest"
    assert run_json(capsys, store_url, "plans", "list") == []


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--save", "p"], "--save: give --learner NAME too"),
        (["--learner", "Ann"], "--learner: give --save NAME too"),
        (["--save", "p", "--learner", "Ann", "--objective", "both"], "--save: saves one plan"),
        (["--save", "p", "--learner", "Nobody"], "--learner: no learner named 'Nobody'"),
    ],
    ids=["no-learner", "no-save", "both", "unknown-learner"],
)
def test_plan_save_flags_are_checked(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    catalog_file: Path,
    flags: list[str],
    message: str,
) -> None:
    url = sqlite_url(tmp_path / "s.sqlite3")
    status, _, err = run(
        capsys, url, "plan", "--catalog", str(catalog_file), "--goal", "goal", *flags
    )
    assert status == 1
    assert message in err


def test_export_all_and_import_all(
    capsys: pytest.CaptureFixture[str], store_url: str, catalog_file: Path, tmp_path: Path
) -> None:
    run(capsys, store_url, "learners", "add", "Ann")
    run(
        capsys,
        store_url,
        "plan",
        "--catalog",
        str(catalog_file),
        "--goal",
        "goal",
        "--save",
        "p",
        "--learner",
        "Ann",
    )
    backup = tmp_path / "everything.json"
    counts = run_json(capsys, store_url, "export-all", str(backup))
    assert counts == {
        "file": str(backup),
        "catalog_versions": 1,
        "learners": 1,
        "plans": 1,
        "history": 1,
    }
    status, _, err = run(capsys, store_url, "import-all", str(backup))
    assert status == 1
    assert "not empty" in err
    moved = sqlite_url(tmp_path / "moved.sqlite3")
    status, out, _ = run(capsys, moved, "import-all", str(backup))
    assert status == 0
    assert out.startswith(f"imported {backup}: 1 catalog versions, 1 learners, 1 plans")
    with Store.open(moved, backup_dir=tmp_path) as store:
        assert [p.name for p in store.list_plans("Ann")] == ["p"]


def test_a_corrupt_store_file_is_reported_and_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "store.sqlite3"
    path.write_text("these are my notes, not a database\n", encoding="utf-8")
    status, _, err = run(capsys, str(path), "learners", "list")
    assert status == 1
    assert f"{path}: not a database file" in err
    assert path.read_text(encoding="utf-8") == "these are my notes, not a database\n"


def test_the_console_script_honours_pathplanner_db(tmp_path: Path) -> None:
    env = {**os.environ, "PATHPLANNER_DB": str(tmp_path / "env.sqlite3")}
    for argv in (["learners", "add", "Ann"], ["learners", "list", "--format", "json"]):
        done = subprocess.run(
            [sys.executable, "-m", "pathplanner.cli", *argv],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    assert [learner["name"] for learner in json.loads(done.stdout)] == ["Ann"]
    assert (tmp_path / "env.sqlite3").is_file()


def _without_details(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "step_details"}
