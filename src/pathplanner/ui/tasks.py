"""The one background-task helper: run a callable off the GUI thread, results back by signal.

A task is ``work(progress, cancel) -> result``; ``progress(fraction, message)`` may be called
from the worker and ``cancel()`` polled there (the core's planner and layout take exactly these
callbacks). Signals are emitted from the worker thread and, because :class:`Task` lives in the
GUI thread, Qt delivers them there through queued connections: a worker never touches a widget.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Work = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class Task(QObject):
    """Handle of one running task: connect to its signals, call :meth:`cancel` to stop it."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception (cancellation included: see ``cancelled``)
    finished = Signal()  # after succeeded or failed, always

    # Emitted by the worker; connected to this object's slots, so queued into the GUI thread,
    # where the public signals above are re-emitted (plain Python callables connected to a
    # signal would otherwise run in the emitting thread).
    _worker_progress = Signal(float, str)
    _worker_result = Signal(bool, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._cancel = threading.Event()
        self.done = False
        self._worker_progress.connect(self._on_progress)
        self._worker_result.connect(self._on_result)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if not self.done:
            self.progressed.emit(fraction, message)

    @Slot(bool, object)
    def _on_result(self, ok: bool, value: object) -> None:
        self.done = True
        (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Work) -> None:
        super().__init__()
        self._task = task
        self._work: Work | None = work

    def run(self) -> None:
        task, work = self._task, self._work
        # The pool can keep this wrapper after the run: hold the work (whose closure may hold
        # a whole catalogue) only while it runs.
        self._work = None
        if work is None:
            return
        try:
            result = work(task._worker_progress.emit, task._cancel.is_set)
        except Exception as exc:  # every failure goes back to the GUI thread as a value
            task._worker_result.emit(False, exc)
        else:
            task._worker_result.emit(True, result)


class TaskRunner(QObject):
    """Owns a small thread pool; :meth:`wait` lets a closing window (or a test) drain it."""

    _gc_pauses = 0  # process-wide, as the collector is
    _gc_was_enabled = True

    def __init__(self, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._tasks: set[Task] = set()

    def start(
        self,
        name: str,
        work: Work,
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
        builds_data: bool = False,
    ) -> Task:
        """Run ``work`` in the pool. ``builds_data``: the work allocates long-lived data (a
        catalogue, a graph, a layout). The cyclic garbage collector then runs in whichever
        thread allocates and stops all of them (GIL) for ~100 ms per full pass on a big
        catalogue, so it is paused while such work runs and what it built is frozen out of
        later passes (``gc.freeze``). Frozen data is still freed by reference counting once
        nothing holds it, so what replaces it must not keep it in a reference cycle (see
        ``MainWindow._catalog_loaded``); thawing everything to collect it cost a full pass
        over the heap on the GUI thread (80-170 ms with a 2,000-credential catalogue)."""
        task = Task(name, self)
        if builds_data:
            self._pause_gc()
            task.finished.connect(self._resume_gc)
        if on_success is not None:
            task.succeeded.connect(on_success)
        if on_failure is not None:
            task.failed.connect(on_failure)
        if on_progress is not None:
            task.progressed.connect(on_progress)
        self._tasks.add(task)
        task.finished.connect(lambda: self._tasks.discard(task))
        self._pool.start(_Runnable(task, work))
        return task

    def _pause_gc(self) -> None:
        if TaskRunner._gc_pauses == 0:
            TaskRunner._gc_was_enabled = gc.isenabled()
            gc.disable()
        TaskRunner._gc_pauses += 1

    def _resume_gc(self) -> None:
        TaskRunner._gc_pauses -= 1
        if TaskRunner._gc_pauses == 0:
            gc.freeze()
            if TaskRunner._gc_was_enabled:
                gc.enable()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every task has returned (cancel them first to make that quick)."""
        return self._pool.waitForDone(msecs)
