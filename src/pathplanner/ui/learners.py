"""The learner profile dialog: name, contact and notes (held credentials are ticked in the
planner panel and saved as they change)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)


class LearnerDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        name: str = "",
        contact: str = "",
        notes: str = "",
        taken: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit learner" if name else "New learner")
        self._taken = taken - {name}
        self.name = QLineEdit(name)
        self.name.setAccessibleName("Learner name")
        self.contact = QLineEdit(contact)
        self.contact.setAccessibleName("Contact")
        self.contact.setPlaceholderText("e-mail or phone (optional)")
        self.notes = QPlainTextEdit(notes)
        self.notes.setAccessibleName("Learner notes")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b91c1c")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Name", self.name)
        form.addRow("&Contact", self.contact)
        form.addRow("N&otes", self.notes)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        name = self.name.text().strip()
        problem = ""
        if not name:
            problem = "Give the learner a name."
        elif name in self._taken:
            problem = f"There is already a learner called {name}."
        self.problem.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def values(self) -> tuple[str, str, str]:
        return self.name.text().strip(), self.contact.text().strip(), self.notes.toPlainText()
