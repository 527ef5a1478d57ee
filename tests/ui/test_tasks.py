"""The background-task helper: results, failures, progress and cancel reach the GUI thread."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest
from PySide6.QtCore import QThread

from pathplanner.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


def test_a_result_arrives_in_the_gui_thread(qtbot: Any) -> None:
    runner = TaskRunner()
    seen: list[tuple[object, bool]] = []
    worker_threads: list[threading.Thread] = []

    def work(progress: Any, cancel: Any) -> int:
        worker_threads.append(threading.current_thread())
        progress(0.5, "half way")
        return 42

    progress: list[tuple[float, str]] = []
    task = runner.start(
        "answer",
        work,
        on_success=lambda value: seen.append((value, QThread.currentThread().isMainThread())),
        on_progress=lambda f, m: progress.append((f, m)),
    )
    with qtbot.waitSignal(task.finished):
        pass
    assert seen == [(42, True)]
    assert progress == [(0.5, "half way")]
    assert worker_threads[0] is not threading.main_thread()
    assert not runner.busy
    runner.wait()


def test_a_failure_is_delivered_as_the_exception(qtbot: Any) -> None:
    runner = TaskRunner()
    failures: list[BaseException] = []

    def work(progress: Any, cancel: Any) -> None:
        raise ValueError("bad input")

    task = runner.start("fails", work, on_failure=failures.append)
    with qtbot.waitSignal(task.finished):
        pass
    assert [str(f) for f in failures] == ["bad input"]
    runner.wait()


def test_cancel_is_seen_by_the_work(qtbot: Any) -> None:
    runner = TaskRunner()
    started = threading.Event()
    outcome: list[str] = []

    def work(progress: Any, cancel: Any) -> str:
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        return "stopped"

    task = runner.start("loop", work, on_success=outcome.append)
    started.wait(5)
    assert runner.busy
    with qtbot.waitSignal(task.finished):
        runner.cancel_all()
    assert task.cancelled
    assert outcome == ["stopped"]
    runner.wait()


def test_data_building_work_runs_with_the_collector_paused(qtbot: Any) -> None:
    runner = TaskRunner()
    seen: list[bool] = []
    frozen_before = gc.get_freeze_count()
    task = runner.start("build", lambda _p, _c: seen.append(gc.isenabled()) or 1, builds_data=True)
    with qtbot.waitSignal(task.finished):
        pass
    assert seen == [False]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before
    runner.wait()
