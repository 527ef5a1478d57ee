"""A catalogue as one CSV table (for spreadsheets), and back.

Each row is a record; the ``type`` column says which: ``credential`` (the default when the
column is absent or empty), ``provider``, ``skill`` or ``catalog`` (the catalogue's name and
currency). The columns are listed in :data:`COLUMNS` and documented in ``docs/interop.md``.
Requirements use the readable text form (``2 of (A, B, C)``, ``30 credits from (X, Y: 6)``).
Bad input is reported by row and column; nothing is produced unless every row is good.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pathplanner.catalog import CatalogError, check_catalog_data, write_text_atomic
from pathplanner.interop.import_report import ImportReport, ImportResult
from pathplanner.interop.safe_json import (
    DEFAULT_LIMITS,
    InputError,
    Limits,
    decode_text,
    read_bytes,
)
from pathplanner.model import FORMAT_NAME, FORMAT_VERSION, Catalog, Credential, Kind
from pathplanner.requirement_text import (
    RequirementSyntaxError,
    items_text,
    parse_item_list,
    parse_requirement_text,
    requirement_text,
)

COLUMNS = (
    "type",
    "id",
    "name",
    "kind",
    "provider",
    "cost",
    "effort_hours",
    "duration_weeks",
    "credits",
    "delivery",
    "start_dates",
    "skills",
    "requires",
    "credits_required",
    "per_credit_price",
    "per_credit_hours",
    "per_credit_weeks",
    "transfer",
    "transfer_max",
    "url",
    "description",
    "source",
    "recognition",
    "framework",
    "currency",
)
_NUMBERS = ("cost", "effort_hours", "credits", "credits_required", "transfer_max")
_PER_CREDIT = {
    "per_credit_price": "price",
    "per_credit_hours": "hours",
    "per_credit_weeks": "weeks",
}
_TEXT = ("provider", "url", "description", "source")
_LIST_SEPARATOR = ";"
_NO_DATES = "none"
_ROW_TYPES = {"credential", "provider", "skill", "catalog"}
_RECORD = re.compile(r"\((credentials|providers|skills)\[(\d+)\]\)")


def import_csv(
    path: str | os.PathLike[str], *, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ImportResult:
    """Read a catalogue CSV file; the report lists every bad cell as row and column."""
    file_name = Path(path).name
    report = ImportReport("csv", files=[file_name])
    try:
        text = decode_text(read_bytes(path, limits), file_name)
    except InputError as exc:
        report.error(str(exc))
        return ImportResult(None, report)
    return import_csv_text(text, file_name, name=name, report=report)


def import_csv_text(
    text: str,
    file_name: str = "<csv>",
    *,
    name: str | None = None,
    report: ImportReport | None = None,
) -> ImportResult:
    report = report or ImportReport("csv", files=[file_name])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        report.error(f"{file_name}: row {reader.line_num}: {exc}")
        return ImportResult(None, report)
    if not rows or not any(cell.strip() for cell in rows[0]):
        report.error(f"{file_name}: no header row (the first row names the columns)")
        return ImportResult(None, report)
    header = [cell.strip().casefold() for cell in rows[0]]
    for column in header:
        if column and column not in COLUMNS:
            report.skip_field(file_name, "", column, f"unknown column '{column}' is ignored")
    missing = [c for c in ("id", "name") if c not in header]
    if missing:
        report.error(f"{file_name}: row 1: missing column(s) {', '.join(repr(c) for c in missing)}")
        return ImportResult(None, report)
    builder = _Builder(file_name, report)
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            builder.problem(
                number, "", f"{len(row)} cells but the header names {len(header)} columns"
            )
            continue
        cells = {column: cell.strip() for column, cell in zip(header, row, strict=False) if column}
        builder.add_row(number, cells)
    if report.errors:
        return ImportResult(None, report)
    data = builder.catalog_data(name or Path(file_name).stem)
    try:
        loaded = check_catalog_data(data, file_name)
    except CatalogError as exc:
        for problem in exc.errors:
            report.error(builder.locate(str(problem)))
        return ImportResult(None, report)
    report.ok = True
    return ImportResult(loaded.catalog, report, loaded.warnings)


class _Builder:
    def __init__(self, file_name: str, report: ImportReport) -> None:
        self.file = file_name
        self.report = report
        self.header: dict[str, Any] = {}
        self.records: dict[str, list[dict[str, Any]]] = {
            "providers": [],
            "skills": [],
            "credentials": [],
        }
        self.rows: dict[str, list[int]] = {"providers": [], "skills": [], "credentials": []}

    def problem(self, row: int, column: str, message: str) -> None:
        where = f"row {row}, column '{column}'" if column else f"row {row}"
        self.report.error(f"{self.file}: {where}: {message}")

    def add_row(self, row: int, cells: dict[str, str]) -> None:
        row_type = cells.get("type", "").casefold() or "credential"
        if row_type not in _ROW_TYPES:
            self.problem(
                row,
                "type",
                f"unknown type {row_type!r}; expected one of {', '.join(sorted(_ROW_TYPES))}",
            )
            return
        self.report.count_read(row_type)
        if row_type == "catalog":
            for key in ("name", "currency"):
                if cells.get(key):
                    self.header[key] = cells[key]
            self.report.count_mapped(row_type)
            return
        for column in ("id", "name"):
            if not cells.get(column):
                self.problem(row, column, "must not be empty")
        if not cells.get("id") or not cells.get("name"):
            return
        record: dict[str, Any] = {"id": cells["id"], "name": cells["name"]}
        if row_type == "provider":
            record["recognition"] = cells.get("recognition") or "unverified"
            _copy(cells, record, ("url",))
        elif row_type == "skill":
            _copy(cells, record, ("framework", "url"))
        else:
            record = self._credential(row, cells, record)
        collection = f"{row_type}s"
        self.records[collection].append(record)
        self.rows[collection].append(row)
        self.report.count_mapped(row_type)

    def _credential(
        self, row: int, cells: dict[str, str], record: dict[str, Any]
    ) -> dict[str, Any]:
        if not cells.get("kind"):
            self.problem(
                row, "kind", f"must not be empty; one of {', '.join(k.value for k in Kind)}"
            )
        else:
            record["kind"] = cells["kind"]
        _copy(cells, record, _TEXT)
        for column in _NUMBERS:
            self._number(row, cells, column, record, column)
        if cells.get("duration_weeks"):
            weeks = self._parse_number(row, "duration_weeks", cells["duration_weeks"])
            if weeks is not None:
                if not weeks.is_integer():
                    self.problem(
                        row,
                        "duration_weeks",
                        f"must be a whole number of weeks, found {cells['duration_weeks']!r}",
                    )
                record["duration_weeks"] = int(weeks)
        if cells.get("delivery"):
            record["delivery"] = cells["delivery"]
        dates = cells.get("start_dates", "")
        if dates.casefold() == _NO_DATES:
            record["start_dates"] = []
        elif dates:
            record["start_dates"] = _split(dates)
        if cells.get("skills"):
            record["skills"] = _split(cells["skills"])
        if cells.get("requires"):
            try:
                requirement = parse_requirement_text(cells["requires"])
            except RequirementSyntaxError as exc:
                self.problem(row, "requires", str(exc))
            else:
                if requirement is not None:
                    record["requires"] = _dump(requirement)
        per_credit: dict[str, Any] = {}
        for column, key in _PER_CREDIT.items():
            self._number(row, cells, column, per_credit, key)
        if per_credit:
            record["per_credit"] = per_credit
        if cells.get("transfer"):
            try:
                items = parse_item_list(cells["transfer"])
            except RequirementSyntaxError as exc:
                self.problem(row, "transfer", str(exc))
            else:
                record["transfer"] = [
                    i if isinstance(i, str) else i.model_dump(exclude_none=True) for i in items
                ]
        return record

    def _number(
        self, row: int, cells: dict[str, str], column: str, out: dict[str, Any], key: str
    ) -> None:
        if cells.get(column):
            value = self._parse_number(row, column, cells[column])
            if value is not None:
                out[key] = value

    def _parse_number(self, row: int, column: str, text: str) -> float | None:
        try:
            value = (
                float(text.replace(",", ""))
                if re.fullmatch(r"-?[\d,]*\.?\d+(e[+-]?\d+)?", text, re.I)
                else None
            )
        except ValueError:
            value = None
        if value is None:
            self.problem(row, column, f"must be a number, found {text!r}")
        return value

    def catalog_data(self, default_name: str) -> dict[str, Any]:
        self._add_missing_references()
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "name": self.header.get("name", default_name),
            "currency": self.header.get("currency", "USD"),
            **self.records,
        }

    def _add_missing_references(self) -> None:
        """Providers and skills named by credentials but given no row of their own are added
        (named by their id) so that a credentials-only spreadsheet imports."""
        providers = {p["id"] for p in self.records["providers"]}
        skills = {s["id"] for s in self.records["skills"]}
        for credential, row in zip(
            self.records["credentials"], self.rows["credentials"], strict=True
        ):
            provider = credential.get("provider")
            if provider and provider not in providers:
                providers.add(provider)
                self.records["providers"].append(
                    {"id": provider, "name": provider, "recognition": "unverified"}
                )
                self.rows["providers"].append(row)
                self.report.approximate(
                    self.file,
                    f"row {row}",
                    "provider",
                    f"provider {provider!r} has no row: added as unverified, named by its id",
                )
            for skill in credential.get("skills", []):
                if skill not in skills:
                    skills.add(skill)
                    self.records["skills"].append({"id": skill, "name": skill})
                    self.rows["skills"].append(row)
                    self.report.approximate(
                        self.file,
                        f"row {row}",
                        "skills",
                        f"skill {skill!r} has no skill row: added, named by its id",
                    )

    def locate(self, message: str) -> str:
        """Add the CSV row to a catalogue problem that names ``credentials[i]``."""
        match = _RECORD.search(message)
        if match is None:
            return message
        rows = self.rows[match.group(1)]
        index = int(match.group(2))
        return f"row {rows[index]}: {message}" if index < len(rows) else message


def catalog_to_csv(catalog: Catalog) -> str:
    """The whole catalogue as CSV text (the layout :func:`import_csv` reads)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(_row({"type": "catalog", "name": catalog.name, "currency": catalog.currency}))
    for provider in catalog.providers:
        writer.writerow(
            _row(
                {
                    "type": "provider",
                    "id": provider.id,
                    "name": provider.name,
                    "recognition": provider.recognition.value,
                    "url": provider.url or "",
                }
            )
        )
    for skill in catalog.skills:
        writer.writerow(
            _row(
                {
                    "type": "skill",
                    "id": skill.id,
                    "name": skill.name,
                    "framework": skill.framework or "",
                    "url": skill.url or "",
                }
            )
        )
    for credential in catalog.credentials:
        writer.writerow(_row(_credential_cells(credential)))
    return buffer.getvalue()


def export_csv(catalog: Catalog, path: str | os.PathLike[str]) -> None:
    """Write the CSV atomically (UTF-8 with a BOM so that spreadsheet programs detect it)."""
    write_text_atomic(Path(path), "\ufeff" + catalog_to_csv(catalog))


def _credential_cells(credential: Credential) -> dict[str, str]:
    cells = {
        "type": "credential",
        "id": credential.id,
        "name": credential.name,
        "kind": credential.kind.value,
        "provider": credential.provider or "",
        "cost": _fmt(credential.cost),
        "effort_hours": _fmt(credential.effort_hours),
        "duration_weeks": str(credential.duration_weeks),
        "credits": _fmt(credential.credits),
        "delivery": credential.delivery.value,
        "skills": f"{_LIST_SEPARATOR} ".join(credential.skills),
        "requires": requirement_text(credential.requires),
        "transfer": items_text(credential.transfer),
        "url": credential.url or "",
        "description": credential.description or "",
        "source": credential.source or "",
    }
    if credential.start_dates is not None:
        dates = [d.isoformat() for d in credential.start_dates]
        cells["start_dates"] = f"{_LIST_SEPARATOR} ".join(dates) if dates else _NO_DATES
    for column in ("credits_required", "transfer_max"):
        value = getattr(credential, column)
        cells[column] = "" if value is None else _fmt(value)
    if credential.per_credit is not None:
        for column, key in _PER_CREDIT.items():
            cells[column] = _fmt(getattr(credential.per_credit, key))
    return cells


def _row(cells: dict[str, str]) -> list[str]:
    return [cells.get(column, "") for column in COLUMNS]


def _fmt(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _copy(cells: dict[str, str], record: dict[str, Any], columns: Iterable[str]) -> None:
    for column in columns:
        if cells.get(column):
            record[column] = cells[column]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(_LIST_SEPARATOR) if part.strip()]


def _dump(requirement: Any) -> Any:
    if isinstance(requirement, str):
        return requirement
    return requirement.model_dump(mode="json", by_alias=True, exclude_none=True)
