"""Read Curricular Analytics CSV curriculum and degree-plan files into a catalogue.

The format (CurricularAnalytics.jl ``read_csv``): a header block of ``key,value`` rows
(``Curriculum`` first, then optionally ``Degree Plan``, ``Institution``, ``Degree Type``,
``System Type``, ``CIP``), a ``Courses`` row, a column header row (``Course ID``, ``Course
Name``, ``Prefix``, ``Number``, ``Prerequisites``, ``Corequisites``, ``Strict-Corequisites``,
``Credit Hours``, ``Institution``, ``Canonical Name``, and ``Term`` in degree plans), one row per
course, and in degree plans an ``Additional Courses`` section with the same columns. Requisites
are semicolon-separated course ids. Blank lines and lines starting with ``#`` are ignored;
learning-outcome sections are skipped with a note.

Mapping (see ``docs/analysis.md``): each course becomes a credential of kind ``other`` whose
``requires`` lists its prerequisites and co-requisites (co-requisites approximated as
prerequisites: our model has no "in the same term"); the curriculum becomes one credential
(associate for AA/AS/AAS, bachelor for BA/BS) requiring every course. Every approximation is in
the :class:`~pathplanner.interop.import_report.ImportReport`.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pathplanner.catalog import CatalogError, check_catalog_data
from pathplanner.interop.import_report import ImportReport, ImportResult

SOURCE = "curricular-analytics"
HEADER_KEYS = ("curriculum", "degree plan", "institution", "degree type", "system type", "cip")
END_OF_COURSES = ("additional courses", "course learning outcomes", "curriculum learning outcomes")
REQUIRED_COLUMNS = ("course id", "course name", "credit hours")
DEGREE_KINDS = {
    "AA": "associate",
    "AS": "associate",
    "AAS": "associate",
    "BA": "bachelor",
    "BS": "bachelor",
}
# A semester credit hour is 15 contact + 30 study hours; a quarter hour two thirds of that.
SYSTEMS = {"semester": (15, 45.0), "quarter": (10, 30.0)}


@dataclass
class _Course:
    line: int
    ca_id: str
    name: str
    prefix: str
    number: str
    credits: float
    requisites: dict[str, list[str]]  # column -> course ids
    institution: str
    term: str
    section: str


@dataclass
class _Parsed:
    header: dict[str, str] = field(default_factory=dict)
    courses: list[_Course] = field(default_factory=list)


def import_curricular_analytics(path: str | Path) -> ImportResult:
    """Read a curriculum or degree-plan CSV file; the catalogue is None when it has errors
    (listed in the report, each with the file, line and column)."""
    file_path = Path(path)
    report = ImportReport(SOURCE, files=[file_path.name])
    try:
        text = file_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror
        report.error(f"{file_path.name}: cannot read the file: {reason or exc}")
        return ImportResult(None, report)
    return read_curricular_analytics(text, file_path.name, report)


def read_curricular_analytics(
    text: str, file_name: str = "<csv>", report: ImportReport | None = None
) -> ImportResult:
    """Parse CSV text (see the module docstring); ``file_name`` is used in messages."""
    report = report or ImportReport(SOURCE, files=[file_name])
    parsed = _parse(text, file_name, report)
    if parsed is None:
        return ImportResult(None, report)
    data = _catalog_data(parsed, file_name, report)
    if report.errors:
        return ImportResult(None, report)
    try:
        loaded = check_catalog_data(data, file_name)
    except CatalogError as exc:
        for problem in exc.errors:
            report.error(str(problem))
        return ImportResult(None, report)
    report.ok = True
    return ImportResult(loaded.catalog, report, loaded.warnings)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty, non-comment rows with their 1-based line numbers, trailing blanks cut."""
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(text.splitlines())
    for row in reader:
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        rows.append((reader.line_num, cells))
    return rows


def _parse(text: str, file_name: str, report: ImportReport) -> _Parsed | None:
    rows = _rows(text)
    parsed = _Parsed()
    position = 0
    while position < len(rows) and rows[position][1][0].lower() != "courses":
        line, cells = rows[position]
        key = cells[0].lower()
        if key in HEADER_KEYS:
            parsed.header[key] = cells[1] if len(cells) > 1 else ""
        else:
            report.skip_field(file_name, "", f"line {line}", f"unknown header row {cells[0]!r}")
        position += 1
    if "curriculum" not in parsed.header:
        report.error(f"{file_name}: no 'Curriculum' row: is this a Curricular Analytics CSV file?")
        return None
    if position == len(rows):
        report.error(f"{file_name}: no 'Courses' row: the file lists no courses")
        return None
    is_plan = "degree plan" in parsed.header
    section = "courses"
    position += 1
    while position < len(rows):
        columns_line, header_cells = rows[position]
        columns = {name.lower(): i for i, name in enumerate(header_cells)}
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            report.error(
                f"{file_name}: line {columns_line}: the column header row lacks "
                + ", ".join(repr(_title(m)) for m in missing)
            )
            return None
        if is_plan and "term" not in columns:
            report.error(f"{file_name}: line {columns_line}: a degree plan needs a 'Term' column")
            return None
        if not is_plan and "term" in columns:
            report.skip_field(
                file_name, "", "Term", "a curriculum has no terms (only a degree plan has)"
            )
            del columns["term"]
        position += 1
        while position < len(rows) and rows[position][1][0].lower() not in END_OF_COURSES:
            line, cells = rows[position]
            course = _course(
                cells, columns, line=line, section=section, file_name=file_name, report=report
            )
            if course is not None:
                parsed.courses.append(course)
            position += 1
        if position == len(rows):
            break
        marker = rows[position][1][0]
        if marker.lower() != "additional courses":
            report.skip_field(
                file_name, "", f"line {rows[position][0]}", f"'{marker}' section not imported"
            )
            break
        if not is_plan:
            report.error(
                f"{file_name}: line {rows[position][0]}: only a degree plan can have "
                "'Additional Courses'"
            )
            return None
        section = "additional courses"
        position += 1
    return parsed


def _course(
    cells: list[str],
    columns: dict[str, int],
    *,
    line: int,
    section: str,
    file_name: str,
    report: ImportReport,
) -> _Course | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    report.count_read("course")
    where = f"{file_name}: line {line}"
    ca_id = cell("course id")
    if not ca_id:
        report.error(f"{where}: column 'Course ID' is empty: every course needs an id")
        return None
    raw_credits = cell("credit hours")
    try:
        credits = float(raw_credits)
        if not math.isfinite(credits) or credits < 0:
            raise ValueError
    except ValueError:
        report.error(
            f"{where}: column 'Credit Hours': {raw_credits!r} is not a number of credit hours"
        )
        credits = 0.0  # keep the course so that references to it are not reported again
    name = cell("course name")
    if not name:
        report.error(f"{where}: column 'Course Name' is empty for course {ca_id}")
        return None
    requisites = {
        column: [r.strip() for r in cell(column).split(";") if r.strip()]
        for column in ("prerequisites", "corequisites", "strict-corequisites")
    }
    return _Course(
        line=line,
        ca_id=ca_id,
        name=name,
        prefix=cell("prefix"),
        number=cell("number"),
        credits=credits,
        requisites=requisites,
        institution=cell("institution"),
        term=cell("term"),
        section=section,
    )


def _catalog_data(parsed: _Parsed, file_name: str, report: ImportReport) -> dict[str, Any]:
    header = parsed.header
    system = (header.get("system type") or "semester").lower()
    if system not in SYSTEMS:
        report.approximate(
            file_name, "", "System Type", f"unknown system {system!r}: read as semester"
        )
        system = "semester"
    weeks, hours_per_credit = SYSTEMS[system]
    ids = _course_ids(parsed.courses, file_name, report)
    institution = header.get("institution", "")
    providers: dict[str, dict[str, Any]] = {}

    def provider_for(name: str) -> str | None:
        if not name:
            return None
        pid = _slug(name)
        providers.setdefault(pid, {"id": pid, "name": name, "recognition": "accredited"})
        return pid

    credentials: list[dict[str, Any]] = []
    for course in parsed.courses:
        cid = ids[course.ca_id]
        refs: list[str] = []
        for column, values in course.requisites.items():
            for value in values:
                if value not in ids:
                    report.error(
                        f"{file_name}: line {course.line}: column '{_title(column)}' of course "
                        f"{course.ca_id}: unknown course id {value!r}"
                    )
                    continue
                if column != "prerequisites":
                    report.approximate(
                        file_name,
                        cid,
                        _title(column),
                        f"co-requisite {value} read as a prerequisite (no same-term rule)",
                    )
                refs.append(ids[value])
        label = " ".join(p for p in (course.prefix, course.number) if p)
        record: dict[str, Any] = {
            "id": cid,
            "name": f"{label} {course.name}".strip() if label else course.name,
            "kind": "other",
            "credits": course.credits,
            "effort_hours": round(course.credits * hours_per_credit, 2),
            "duration_weeks": weeks,
            "delivery": "in_person",
            "source": f"{SOURCE}:{file_name}#course-{course.ca_id}",
        }
        if course.term:
            record["description"] = f"term {course.term} in the degree plan"
        provider = provider_for(course.institution or institution)
        if provider:
            record["provider"] = provider
        unique_refs = [r for r in dict.fromkeys(refs) if r != cid]
        if len(unique_refs) == 1:
            record["requires"] = unique_refs[0]
        elif unique_refs:
            record["requires"] = {"all": unique_refs}
        credentials.append(record)
        report.count_mapped("course")
    if not parsed.courses:
        report.error(f"{file_name}: the 'Courses' section lists no courses")
    report.approximate(
        file_name,
        "",
        "Credit Hours",
        f"cost unknown (0); effort {hours_per_credit:g} hours per credit hour and "
        f"{weeks} weeks per course ({system} system); delivery assumed in person",
    )
    credentials.append(_curriculum_record(parsed, ids, file_name, report, provider_for))
    name = header.get("degree plan") or header["curriculum"]
    return {
        "format": "pathplanner-catalog",
        "version": 1,
        "name": name or file_name,
        "currency": "USD",
        "providers": list(providers.values()),
        "skills": [],
        "credentials": credentials,
    }


def _curriculum_record(
    parsed: _Parsed,
    ids: dict[str, str],
    file_name: str,
    report: ImportReport,
    provider_for: Callable[[str], str | None],
) -> dict[str, Any]:
    header = parsed.header
    report.count_read("curriculum")
    degree = (header.get("degree type") or "").upper()
    kind = DEGREE_KINDS.get(degree)
    if kind is None:
        report.approximate(
            file_name, "", "Degree Type", f"degree type {degree or '(none)'!r} mapped to 'other'"
        )
        kind = "other"
    curriculum_id = _unique(_slug(header["curriculum"]) or "curriculum", set(ids.values()))
    description = [f"{degree} curriculum" if degree else "curriculum"]
    if header.get("cip"):
        description.append(f"CIP {header['cip']}")
    if header.get("degree plan"):
        description.append(f"degree plan {header['degree plan']!r}")
    record: dict[str, Any] = {
        "id": curriculum_id,
        "name": header["curriculum"] or file_name,
        "kind": kind,
        "credits": sum(c.credits for c in parsed.courses),
        "duration_weeks": 1,
        "description": "; ".join(description),
        "source": f"{SOURCE}:{file_name}",
    }
    provider = provider_for(header.get("institution", ""))
    if provider:
        record["provider"] = provider
    course_ids = [ids[c.ca_id] for c in parsed.courses]
    if course_ids:
        record["requires"] = {"all": course_ids}
    report.count_mapped("curriculum")
    return record


def _course_ids(courses: list[_Course], file_name: str, report: ImportReport) -> dict[str, str]:
    """Readable ids: the prefix and number (``bw-101``) when unique, else ``course-<ID>``."""
    seen: dict[str, _Course] = {}
    for course in courses:
        if course.ca_id in seen:
            report.error(
                f"{file_name}: line {course.line}: duplicate Course ID {course.ca_id!r} "
                f"(already used on line {seen[course.ca_id].line})"
            )
        seen[course.ca_id] = course
    labels = {c.ca_id: _slug(f"{c.prefix} {c.number}") for c in seen.values()}
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for ca_id, label in labels.items():
        wanted = label if label and counts[label] == 1 else f"course-{_slug(ca_id) or 'x'}"
        ids[ca_id] = _unique(wanted, taken)
        taken.add(ids[ca_id])
    return ids


def _unique(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    return candidate


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_TITLES = {
    "course id": "Course ID",
    "course name": "Course Name",
    "credit hours": "Credit Hours",
    "prerequisites": "Prerequisites",
    "corequisites": "Corequisites",
    "strict-corequisites": "Strict-Corequisites",
}


def _title(column: str) -> str:
    """The column's name as the format spells it."""
    return _TITLES.get(column, column)
