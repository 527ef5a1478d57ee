"""What an import did: records read, mapped and skipped per type, and every approximation.

The report is the user's guarantee that nothing was dropped silently: each skipped record or
field, and each value that was guessed or simplified, is listed with the reason.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pathplanner.catalog import Problem
from pathplanner.model import Catalog

MAX_LISTED_NOTES = 60  # beyond this the text report groups notes by reason


class Action(StrEnum):
    SKIPPED = "skipped"
    APPROXIMATED = "approximated"


@dataclass(frozen=True, slots=True)
class Note:
    """One skipped or approximated record or field, and why."""

    action: Action
    file: str
    record: str  # the record's id (or "" for the whole file)
    field: str  # the source field, e.g. "ceterms:estimatedCost[1]"; "" for the whole record
    reason: str

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.record, self.field) if part)
        return f"{where}: {self.action.value}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        return {
            "action": self.action.value,
            "file": self.file,
            "record": self.record,
            "field": self.field,
            "reason": self.reason,
        }


@dataclass
class ImportReport:
    """Counts per record type, notes, errors; ``ok`` once a valid catalogue was produced."""

    source: str  # "ctdl", "csv", "rsd", "openbadges"
    files: list[str] = field(default_factory=list)
    read: Counter[str] = field(default_factory=Counter)
    mapped: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[Note] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    pathways: list[dict[str, str]] = field(default_factory=list)  # id, name, destination
    ok: bool = False

    def count_read(self, record_type: str) -> None:
        self.read[record_type] += 1

    def count_mapped(self, record_type: str) -> None:
        self.mapped[record_type] += 1

    def skip_record(self, record_type: str, file: str, record: str, reason: str) -> None:
        self.skipped[record_type] += 1
        self.notes.append(Note(Action.SKIPPED, file, record, "", reason))

    def skip_field(self, file: str, record: str, field_name: str, reason: str) -> None:
        self.notes.append(Note(Action.SKIPPED, file, record, field_name, reason))

    def approximate(self, file: str, record: str, field_name: str, reason: str) -> None:
        self.notes.append(Note(Action.APPROXIMATED, file, record, field_name, reason))

    def error(self, message: str) -> None:
        self.errors.append(message)

    def types(self) -> list[str]:
        return sorted(set(self.read) | set(self.mapped) | set(self.skipped))

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            "files": list(self.files),
            "records": {
                t: {"read": self.read[t], "mapped": self.mapped[t], "skipped": self.skipped[t]}
                for t in self.types()
            },
            "pathways": list(self.pathways),
            "notes": [note.as_dict() for note in self.notes],
            "errors": list(self.errors),
        }

    def _grouped_notes(self) -> list[str]:
        """Many notes: one line per distinct reason, with a count and a first example."""
        groups: dict[tuple[Action, str], list[Note]] = {}
        for note in self.notes:
            groups.setdefault((note.action, note.reason), []).append(note)
        ranked = sorted(groups.items(), key=lambda item: -len(item[1]))
        lines = [
            f"    {len(notes)} x {action.value}: {reason} (first: {_where(notes[0])})"
            for (action, reason), notes in ranked[:MAX_LISTED_NOTES]
        ]
        if len(ranked) > MAX_LISTED_NOTES:
            lines.append(f"    ... {len(ranked) - MAX_LISTED_NOTES} more kinds of note")
        lines.append("    (--format json lists every note)")
        return lines

    def summary_lines(self) -> list[str]:
        """Readable report: a table of counts, then every note and error."""
        lines = [f"{self.source} import of {', '.join(self.files) or '(nothing)'}"]
        if self.types():
            width = max(len(t) for t in self.types())
            lines.append(f"  {'type'.ljust(width)}  read  mapped  skipped")
            for t in self.types():
                figures = f"{self.read[t]:>4}  {self.mapped[t]:>6}  {self.skipped[t]:>7}"
                lines.append(f"  {t.ljust(width)}  {figures}")
        for pathway in self.pathways:
            lines.append(
                f"  pathway {pathway['name']!r} ({pathway['id']}): destination "
                f"{pathway.get('destination') or '(none)'}"
            )
        counts = Counter(note.action for note in self.notes)
        if self.notes:
            lines.append(
                f"  {counts[Action.SKIPPED]} skipped, {counts[Action.APPROXIMATED]} approximated:"
            )
            if len(self.notes) <= MAX_LISTED_NOTES:
                lines.extend(f"    {note}" for note in self.notes)
            else:
                lines.extend(self._grouped_notes())
        lines.extend(f"  error: {message}" for message in self.errors)
        lines.append("  result: valid catalogue" if self.ok else "  result: NO catalogue written")
        return lines


@dataclass
class ImportResult:
    """A valid catalogue (``catalog``) or None, and the report saying what happened."""

    catalog: Catalog | None
    report: ImportReport
    warnings: list[Problem] = field(default_factory=list)


def _where(note: Note) -> str:
    return ": ".join(part for part in (note.file, note.record) if part)
