"""Run / Cancel buttons, a progress bar and a message line for one background job of a panel
(the Gaps and What-if panels): the task's life cycle in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from pathplanner.graph.metrics import AnalysisCancelledError
from pathplanner.ui.tasks import Task, TaskRunner, Work


class RunControls(QObject):
    """``state_changed`` after a job starts or ends (panels enable their buttons then)."""

    state_changed = Signal()

    def __init__(self, tasks: TaskRunner, run_text: str, idle_text: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._task: Task | None = None
        self.run_button = QPushButton(run_text)
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        # Shown while the job runs only: idle, an empty (or, after a run, full) bar said nothing.
        self.progress.hide()
        self.message = QLabel(idle_text)
        self.message.setWordWrap(True)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.run_button)
        self.buttons.addWidget(self.cancel_button)

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(
        self,
        name: str,
        work: Work,
        *,
        busy_text: str,
        on_success: Callable[[Any], None],
        failure_text: Callable[[BaseException], str],
        cancelled_text: str,
    ) -> Task:
        self.message.setText(busy_text)
        self.progress.setValue(0)

        def failed(exc: BaseException) -> None:
            self.progress.setValue(0)
            cancelled = isinstance(exc, AnalysisCancelledError)
            self.message.setText(cancelled_text if cancelled else failure_text(exc))

        def succeeded(result: Any) -> None:
            self.progress.setValue(100)
            on_success(result)

        self._task = task = self._tasks.start(
            name, work, on_success=succeeded, on_failure=failed, on_progress=self._progressed
        )
        task.finished.connect(self._done)
        self._update()
        return task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.message.setText("Cancelling…")

    def _progressed(self, fraction: float, text: str) -> None:
        self.progress.setValue(round(fraction * 100))
        self.message.setText(f"{text[:1].upper()}{text[1:]}…")

    def _done(self) -> None:
        self._task = None
        self._update()

    def _update(self) -> None:
        running = self._task is not None
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        self.state_changed.emit()
