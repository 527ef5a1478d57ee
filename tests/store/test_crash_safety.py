"""A process killed (SIGKILL) in the middle of a save leaves the old plan or the new one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pathplanner.store import SavedPlan, Store
from tests.store.conftest import small_catalog
from tests.store.crash_child import result_for

CHILD = Path(__file__).with_name("crash_child.py")


def _start_child(url: str, plan: SavedPlan, mode: str, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    command = [
        sys.executable,
        str(CHILD),
        url,
        str(plan.id),
        str(plan.summary.catalog_version_id),
        mode,
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)


def _saved(store: Store) -> tuple[SavedPlan, int]:
    (summary,) = store.list_plans()
    plan = store.get_plan(summary.id)
    n = int(plan.request.get("n", 0))
    return plan, n


def _assert_consistent(store: Store, plan: SavedPlan, n: int) -> None:
    """Everything a save writes agrees: the document, the list columns, the history."""
    expected = result_for(n) if n else plan.result
    assert plan.result == expected
    assert plan.summary.step_count == len(expected["steps"])
    assert plan.summary.total_cost == expected["total_cost"]
    assert plan.summary.version == n + 1
    assert len(store.plan_history(plan.id)) == n + 1  # created + one entry per save
    if store.engine.url.get_backend_name() == "sqlite":
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


@pytest.fixture
def saved_plan(store: Store) -> SavedPlan:
    store.add_learner("Ann")
    version = store.add_catalog_version(small_catalog()).id
    summary = store.save_plan(
        "Ann", "p", catalog_version_id=version, request={"n": 0}, result=result_for(0)
    )
    return store.get_plan(summary.id)


def test_killed_inside_a_save_leaves_the_old_plan(
    store_url: str, store: Store, saved_plan: SavedPlan, tmp_path: Path
) -> None:
    child = _start_child(store_url, saved_plan, "hang", tmp_path)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "flushed"  # the UPDATE is sent, not committed
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.stdout is not None
        child.stdout.close()
    with Store.open(store_url, backup_dir=tmp_path) as reopened:
        plan, n = _saved(reopened)
        assert n == 0
        _assert_consistent(reopened, plan, n)
        reopened.update_plan(plan.id, plan.version, advisor_notes="the store still takes writes")


def test_killed_while_saving_over_and_over_leaves_the_last_or_the_next_plan(
    store_url: str, store: Store, saved_plan: SavedPlan, tmp_path: Path
) -> None:
    child = _start_child(store_url, saved_plan, "loop", tmp_path)
    committed = 0
    try:
        assert child.stdout is not None
        while committed < 20:  # let it get well into its stride, then kill it mid-flight
            committed = int(child.stdout.readline())
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        assert child.stdout is not None
        # Saves printed after commit: the last printed one is in, the one after may be.
        committed = max([committed, *(int(line) for line in child.stdout.read().split())])
        child.stdout.close()
    with Store.open(store_url, backup_dir=tmp_path) as reopened:
        plan, n = _saved(reopened)
        assert n in (committed, committed + 1)
        _assert_consistent(reopened, plan, n)
