"""Read, check and write catalogue files (format v1).

:func:`load_catalog` reports every problem of a file at once, each naming the file, the record,
the field and what is wrong. Structural problems come from the pydantic model in
:mod:`pathplanner.model`; cross-record problems (unknown references, impossible counts and
credit sums, cycles) are found here.
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pathplanner.gc_pause import gc_paused
from pathplanner.model import (
    FORMAT_NAME,
    FORMAT_VERSION,
    AllOf,
    AnyOf,
    Catalog,
    Credential,
    CreditItem,
    CreditsFrom,
    Delivery,
    Kind,
    PerCredit,
    Provider,
    Recognition,
    Requirement,
    Skill,
    item_id,
    requirement_refs,
)

BUNDLED_CATALOG = "starter.json"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) in a catalogue file."""

    severity: Severity
    file: str
    record: str  # e.g. "credential 'comptia-a-plus' (credentials[3])"; "" for the whole file
    field: str  # dotted path inside the record, e.g. "requires.any[2]"; "" for the record
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.record:
            where.append(self.record)
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{': '.join(where)}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, str]:
        return {
            "severity": self.severity.value,
            "file": self.file,
            "record": self.record,
            "field": self.field,
            "message": self.message,
        }


class CatalogError(Exception):
    """A catalogue file could not be used; ``problems`` lists every error (and warning)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        super().__init__("\n".join(str(p) for p in errors))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


@dataclass(frozen=True, slots=True)
class LoadedCatalog:
    catalog: Catalog
    warnings: list[Problem]
    path: Path | None


def bundled_catalog_path() -> Path:
    """Path of the catalogue that ships with the app."""
    resource = importlib.resources.files("pathplanner.resources") / "catalogs" / BUNDLED_CATALOG
    return Path(str(resource))


def schema_path() -> Path:
    """Path of the JSON Schema of catalogue format v1 shipped with the package."""
    resource = importlib.resources.files("pathplanner.resources") / "schema" / "catalog-v1.json"
    return Path(str(resource))


def load_catalog(path: str | os.PathLike[str]) -> LoadedCatalog:
    """Read and check a catalogue file; raise :class:`CatalogError` listing every problem."""
    file_path = Path(path)
    try:
        text = file_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError([_file_problem(file_path.name, "file not found")]) from None
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {exc.start}): is this a catalogue JSON file?"
        raise CatalogError([_file_problem(file_path.name, message)]) from None
    except OSError as exc:
        raise CatalogError([_file_problem(file_path.name, exc.strerror or str(exc))]) from None
    with gc_paused():
        loaded = parse_catalog(text, file_path.name)
    return LoadedCatalog(loaded.catalog, loaded.warnings, file_path)


def parse_catalog(text: str, file_name: str = "<catalogue>") -> LoadedCatalog:
    """Parse and check catalogue JSON text; ``file_name`` is used in the messages."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        message = f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise CatalogError([_file_problem(file_name, message)]) from None
    except ValueError as exc:
        raise CatalogError([_file_problem(file_name, str(exc))]) from None
    return check_catalog_data(data, file_name)


def check_catalog_data(data: Any, file_name: str = "<catalogue>") -> LoadedCatalog:
    """Check already-decoded JSON data and build the catalogue.

    When a record is malformed, each record is parsed on its own so that one broken record does
    not hide the problems of the others; cross-record checks then run on every record that
    parsed.
    """
    header = _check_header(data, file_name)
    if header:
        raise CatalogError(header)
    try:  # the usual case, a well-formed file, in one pass through pydantic-core
        catalog = Catalog.model_validate(data)
    except ValidationError:
        return _check_record_by_record(data, file_name)
    problems = list(check_references(catalog, file_name))
    if any(p.severity is Severity.ERROR for p in problems):
        raise CatalogError(problems)
    return LoadedCatalog(catalog, problems, None)


def _check_record_by_record(data: dict[str, Any], file_name: str) -> LoadedCatalog:
    """Parse each record on its own, so one broken record does not hide the others' problems."""
    problems: list[Problem] = []
    parsed: dict[str, list[BaseModel]] = {}
    positions: dict[str, list[int]] = {}
    unparsed_ids: set[str] = set()
    for collection, model in _RECORD_MODELS.items():
        raw = data.get(collection, [])
        parsed[collection] = []
        positions[collection] = []
        if not isinstance(raw, list):
            message = f"must be a list, found {_describe(raw)}"
            problems.append(Problem(Severity.ERROR, file_name, "", collection, message))
            continue
        for index, record in enumerate(raw):
            try:
                parsed[collection].append(model.model_validate(record))
                positions[collection].append(index)
            except ValidationError as exc:
                for error in exc.errors():
                    error["loc"] = (collection, index, *error["loc"])
                    problems.append(_translate(error, data, file_name))
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    unparsed_ids.add(record["id"])
    try:
        catalog = Catalog.model_validate({**data, **parsed})
    except ValidationError as exc:
        problems.extend(_translate(error, data, file_name) for error in exc.errors())
        raise CatalogError(problems) from None
    problems.extend(check_references(catalog, file_name, unparsed_ids, positions))
    if any(p.severity is Severity.ERROR for p in problems):
        raise CatalogError(problems)
    return LoadedCatalog(catalog, problems, None)


def save_catalog(catalog: Catalog, path: str | os.PathLike[str]) -> None:
    """Write a catalogue atomically: the old file stays intact until the new one is complete."""
    text = catalog_to_json(catalog)
    write_text_atomic(Path(path), text)


def catalog_to_json(catalog: Catalog) -> str:
    data = catalog.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_text_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over ``path``.

    Line endings are written as given (no translation), so formats that require CRLF, such as
    iCalendar, come out the same on every system.
    """
    directory = path.resolve().parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _reject_constant(name: str) -> float:
    raise ValueError(f"malformed JSON: {name} is not a number JSON allows")


def _file_problem(file_name: str, message: str) -> Problem:
    return Problem(Severity.ERROR, file_name, "", "", message)


def _check_header(data: Any, file_name: str) -> list[Problem]:
    if not isinstance(data, dict):
        found = type(data).__name__
        message = f"a catalogue must be a JSON object, found {_json_type_name(found)}"
        return [_file_problem(file_name, message)]
    fmt = data.get("format")
    if fmt != FORMAT_NAME:
        shown = "missing" if fmt is None else repr(fmt)
        message = f"not a pathplanner catalogue: 'format' is {shown}, expected '{FORMAT_NAME}'"
        return [Problem(Severity.ERROR, file_name, "", "format", message)]
    version = data.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        shown = "missing" if version is None else repr(version)
        message = (
            f"unsupported catalogue version {shown}; this pathplanner reads version "
            f"{FORMAT_VERSION}"
        )
        return [Problem(Severity.ERROR, file_name, "", "version", message)]
    return []


# --- turning pydantic's errors into messages about records and fields ---------------------

_UNION_TAGS = {"ref", "item", "all", "any", "credits"}
_UNION_PARENTS = {"all", "any", "from", "transfer"}
_ENUM_VALUES = {
    "kind": [k.value for k in Kind],
    "delivery": [d.value for d in Delivery],
    "recognition": [r.value for r in Recognition],
}
_COLLECTIONS = {"credentials": "credential", "providers": "provider", "skills": "skill"}
_RECORD_MODELS: dict[str, type[BaseModel]] = {
    "credentials": Credential,
    "providers": Provider,
    "skills": Skill,
}


def _translate(error: ErrorDetails, data: dict[str, Any], file_name: str) -> Problem:
    loc = list(error["loc"])
    record = ""
    collection = None
    if len(loc) >= 2 and loc[0] in _COLLECTIONS and isinstance(loc[1], int):
        collection = str(loc[0])
        record = _record_label(collection, loc[1], data)
        loc = loc[2:]
    field = _field_path(loc)
    message = _message(error, collection, loc)
    return Problem(Severity.ERROR, file_name, record, field, message)


def _record_label(collection: str, index: int, data: dict[str, Any]) -> str:
    kind = _COLLECTIONS[collection]
    records = data.get(collection)
    record_id = None
    if isinstance(records, list) and index < len(records) and isinstance(records[index], dict):
        candidate = records[index].get("id")
        record_id = candidate if isinstance(candidate, str) and candidate else None
    if record_id is None:
        return f"{kind} {collection}[{index}]"
    return f"{kind} '{record_id}' ({collection}[{index}])"


def _field_path(loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    previous: int | str | None = None
    grandparent: int | str | None = None
    for part in loc:
        union_slot = previous == "requires" or (
            isinstance(previous, int) and grandparent in _UNION_PARENTS
        )
        if union_slot and part in _UNION_TAGS:
            # pydantic names the union member it tried; the user never wrote it
            grandparent, previous = previous, None
            continue
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
        grandparent, previous = previous, part
    return "".join(parts)


def _message(error: ErrorDetails, collection: str | None, loc: Sequence[int | str]) -> str:
    kind = error["type"]
    value = error.get("input")
    last = loc[-1] if loc else ""
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(collection, loc)
        hint = _suggest(str(last), allowed)
        return f"unknown field '{last}'{hint}"
    if kind == "enum":
        choices = _ENUM_VALUES.get(str(last), [])
        hint = _suggest(str(value), choices)
        return f"unknown value {value!r}{hint}; expected one of {', '.join(choices)}"
    if kind in {"float_type", "int_type", "string_type", "bool_type"}:
        wanted = {
            "float_type": "a number",
            "int_type": "a whole number",
            "string_type": "a string",
            "bool_type": "true or false",
        }[kind]
        return f"must be {wanted}, found {_describe(value)}"
    if kind == "int_from_float":
        return f"must be a whole number, found {value!r}"
    if kind in {"tuple_type", "list_type"}:
        return f"must be a list, found {_describe(value)}"
    if kind in {"model_type", "model_attributes_type"}:
        return f"must be an object, found {_describe(value)}"
    if kind in {"too_short", "string_too_short"}:
        return "must not be empty"
    if kind in {"greater_than_equal", "greater_than"}:
        ctx = error.get("ctx", {})
        bound = ctx.get("ge", ctx.get("gt"))
        relation = "at least" if kind == "greater_than_equal" else "greater than"
        if bound == 0 and kind == "greater_than_equal":
            return f"must not be negative, found {value!r}"
        return f"must be {relation} {_number(bound)}, found {value!r}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and last == "currency":
        return f"must be a three-letter ISO 4217 code such as 'USD', found {value!r}"
    return str(error["msg"])


def _allowed_fields(collection: str | None, loc: Sequence[int | str]) -> list[str]:
    parents = [p for p in loc[:-1] if isinstance(p, str) and p not in _UNION_TAGS]
    parent = parents[-1] if parents else None
    if parent in {"requires", "all", "any"}:
        return ["all", "any", "count", "credits", "from"]
    nested: dict[str, type[BaseModel]] = {
        "per_credit": PerCredit,
        "transfer": CreditItem,
        "from": CreditItem,
    }
    model = nested.get(parent or "") or _RECORD_MODELS.get(collection or "") or Catalog
    return [info.alias or name for name, info in model.model_fields.items()]


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return repr(value)


def _json_type_name(python_name: str) -> str:
    return {
        "list": "an array",
        "str": "a string",
        "int": "a number",
        "float": "a number",
        "bool": "true/false",
        "NoneType": "null",
    }.get(python_name, python_name)


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- cross-record checks -------------------------------------------------------------------


def check_references(
    catalog: Catalog,
    file_name: str = "<catalogue>",
    unparsed_ids: Iterable[str] = (),
    positions: dict[str, list[int]] | None = None,
) -> Iterator[Problem]:
    """Problems that span records: duplicates, unknown ids, impossible requirements, cycles.

    ``unparsed_ids`` are ids of records that failed to parse: references to them are not
    reported again as unknown. ``positions`` maps each collection's parsed records to their
    index in the file, when records that failed to parse were left out.
    """
    label = _Labels(positions or {})
    yield from _duplicates(catalog, file_name, label)
    scan = _ReferenceScan(catalog, frozenset(unparsed_ids))
    for index, credential in enumerate(catalog.credentials):
        # One quick pass per credential finds whether anything is wrong; only a credential
        # with a problem is walked again for the messages.
        if scan.holds(credential, index):
            continue
        record = label("credentials", index, credential.id)
        for field, message in _credential_problems(credential, catalog, scan.skip):
            yield Problem(Severity.ERROR, file_name, record, field, message)
    if not scan.has_no_cycle():
        yield from _cycles(catalog, _dependency_edges(catalog), file_name, label)
    yield from _unused(catalog, scan.referenced | scan.referring, file_name, label)


class _ReferenceScan:
    """Checks each credential's references without building messages, and collects what the
    cycle and isolation checks need.

    Cycles are looked for on record positions (:meth:`has_no_cycle`); only when there is one
    is the dependency graph built to name it (for 100,000 credentials that takes a second).
    """

    def __init__(self, catalog: Catalog, skip: frozenset[str]) -> None:
        self.skip = skip
        self.credentials = catalog.credentials_by_id
        self.position = {c.id: i for i, c in enumerate(catalog.credentials)}
        self.providers = catalog.providers_by_id
        self.skills = catalog.skills_by_id
        self.unique_ids = len(self.position) == len(catalog.credentials)
        # true while every credential names only credentials listed before it
        self.in_dependency_order = self.unique_ids
        # per credential, the positions of the ids it names (-1: unknown)
        self.prerequisites: list[list[int]] = []
        self.referenced: set[str] = set()  # every id some credential names
        self.referring: set[str] = set()  # every credential that names one

    def holds(self, credential: Credential, index: int) -> bool:
        """True when :func:`_credential_problems` would find nothing wrong with ``credential``.

        Ids are looked up a whole list at a time (``map`` over a dict's ``get``), the unknown
        ones then forgiven one by one when they name a record that failed to parse.
        """
        skip = self.skip
        provider = credential.provider
        ok = provider is None or provider in self.providers or provider in skip
        skills = credential.skills
        if not all(map(self.skills.__contains__, skills)):
            ok = ok and all(skill in self.skills or skill in skip for skill in skills)
        refs: list[str] = []
        if credential.requires is not None:
            ok = _requirement_holds(credential.requires, self.credentials, refs) and ok
        if credential.transfer:
            refs.extend(map(item_id, credential.transfer))
        positions = list(map(self.position.get, refs, repeat(-1)))
        self.prerequisites.append(positions)
        if refs:
            self.referenced.update(refs)
            self.referring.add(credential.id)
            if min(positions) < 0:  # unknown ids
                ok = ok and all(
                    p >= 0 or ref in skip for ref, p in zip(refs, positions, strict=True)
                )
            if max(positions) >= index:
                self.in_dependency_order = False
        if credential.credits_required is None:  # no credit block: none of its fields either
            no_block_fields = credential.per_credit is None and credential.transfer_max is None
            return ok and no_block_fields and not credential.transfer
        cap = credential.transfer_max
        return ok and (cap is None or cap <= credential.credits_required)

    def has_no_cycle(self) -> bool:
        """Whether the credentials, all scanned, are certainly free of cycles.

        True at once when they come prerequisites first; otherwise a depth-first search over
        record positions looks for a way back to a credential on the current path. False also
        when ids repeat (records of one id are one node of the dependency graph).
        """
        if self.in_dependency_order:
            return True
        if not self.unique_ids:
            return False
        prerequisites = self.prerequisites
        state = bytearray(len(prerequisites))  # 0 not seen, 1 on the path, 2 done
        for start, start_prerequisites in enumerate(prerequisites):
            if state[start]:
                continue
            state[start] = 1
            path = [(start, iter(start_prerequisites))]
            while path:
                node, pending = path[-1]
                for prerequisite in pending:
                    seen = state[prerequisite] if prerequisite >= 0 else 2
                    if seen == 1:
                        return False
                    if seen == 0:
                        state[prerequisite] = 1
                        path.append((prerequisite, iter(prerequisites[prerequisite])))
                        break
                else:
                    state[node] = 2
                    path.pop()
        return True


def _requirement_holds(
    requirement: Requirement, credentials: dict[str, Credential], refs: list[str]
) -> bool:
    """Append every id ``requirement`` names to ``refs``; true when
    :func:`_requirement_problems` would find nothing wrong with it but unknown ids."""
    if isinstance(requirement, str):
        refs.append(requirement)
        return True
    ok = True
    if isinstance(requirement, AllOf | AnyOf):
        subs = requirement.all if isinstance(requirement, AllOf) else requirement.any
        if isinstance(requirement, AnyOf) and requirement.count > len(subs):
            ok = False
        for sub in subs:
            if type(sub) is str:  # the usual case, without a call
                refs.append(sub)
            elif not _requirement_holds(sub, credentials, refs):
                ok = False
        return ok
    available = 0.0
    known = True  # with an unknown id (reported as such) the sum is not checked
    for item in requirement.from_:
        ref = item_id(item)
        refs.append(ref)
        credential = credentials.get(ref)
        if credential is None:
            known = False
        elif isinstance(item, CreditItem) and item.credits is not None:
            available += item.credits
        else:
            available += credential.credits
    return not known or available + 1e-9 >= requirement.credits


def _credential_problems(
    credential: Credential, catalog: Catalog, skip: frozenset[str]
) -> Iterator[tuple[str, str]]:
    """(field, message) for everything wrong with one credential's references and fields."""
    credentials = catalog.credentials_by_id
    provider = credential.provider
    known_providers = catalog.providers_by_id
    if provider is not None and provider not in known_providers and provider not in skip:
        hint = _suggest(provider, known_providers)
        yield "provider", f"unknown provider '{provider}'{hint}"
    for i, skill in enumerate(credential.skills):
        if skill not in catalog.skills_by_id and skill not in skip:
            hint = _suggest(skill, catalog.skills_by_id)
            yield f"skills[{i}]", f"unknown skill '{skill}'{hint}"
    if credential.requires is not None:
        yield from _requirement_problems(credential.requires, "requires", catalog, skip)
    for i, item in enumerate(credential.transfer):
        ref = item_id(item)
        field = f"transfer[{i}]" if isinstance(item, str) else f"transfer[{i}].id"
        if ref not in credentials and ref not in skip:
            yield field, f"unknown credential '{ref}'{_suggest(ref, credentials)}"
    yield from _credit_block_problems(credential)


class _Labels:
    """Names a record as "credential 'x' (credentials[3])", with its index in the file."""

    def __init__(self, positions: dict[str, list[int]]) -> None:
        self._positions = positions

    def __call__(self, collection: str, index: int, record_id: str) -> str:
        in_file = self.index(collection, index)
        return f"{_COLLECTIONS[collection]} '{record_id}' ({collection}[{in_file}])"

    def index(self, collection: str, index: int) -> int:
        mapping = self._positions.get(collection)
        return mapping[index] if mapping else index


def _duplicates(catalog: Catalog, file_name: str, label: _Labels) -> Iterator[Problem]:
    collections: dict[str, list[str]] = {
        "providers": [p.id for p in catalog.providers],
        "skills": [s.id for s in catalog.skills],
        "credentials": [c.id for c in catalog.credentials],
    }
    for collection, ids in collections.items():
        if len(set(ids)) == len(ids):
            continue
        first_index: dict[str, int] = {}
        for index, record_id in enumerate(ids):
            if record_id in first_index:
                first = label.index(collection, first_index[record_id])
                message = f"duplicate id '{record_id}': already used by {collection}[{first}]"
                record = label(collection, index, record_id)
                yield Problem(Severity.ERROR, file_name, record, "id", message)
            else:
                first_index[record_id] = index


def _requirement_problems(
    requirement: Requirement, path: str, catalog: Catalog, skip: frozenset[str]
) -> Iterator[tuple[str, str]]:
    credentials = catalog.credentials_by_id
    if isinstance(requirement, str):
        if requirement not in credentials and requirement not in skip:
            yield path, f"unknown credential '{requirement}'{_suggest(requirement, credentials)}"
        return
    if isinstance(requirement, AllOf):
        for i, sub in enumerate(requirement.all):
            yield from _requirement_problems(sub, f"{path}.all[{i}]", catalog, skip)
        return
    if isinstance(requirement, AnyOf):
        if requirement.count > len(requirement.any):
            yield (
                f"{path}.count",
                f"count {requirement.count} is larger than the {len(requirement.any)} "
                "options listed in 'any'",
            )
        for i, sub in enumerate(requirement.any):
            yield from _requirement_problems(sub, f"{path}.any[{i}]", catalog, skip)
        return
    yield from _credits_problems(requirement, path, catalog, skip)


def _credits_problems(
    requirement: CreditsFrom, path: str, catalog: Catalog, skip: frozenset[str]
) -> Iterator[tuple[str, str]]:
    credentials = catalog.credentials_by_id
    available = 0.0
    known = True
    for i, item in enumerate(requirement.from_):
        ref = item_id(item)
        field = f"{path}.from[{i}]" if isinstance(item, str) else f"{path}.from[{i}].id"
        if ref not in credentials:
            known = False
            if ref not in skip:
                yield field, f"unknown credential '{ref}'{_suggest(ref, credentials)}"
        elif isinstance(item, CreditItem) and item.credits is not None:
            available += item.credits
        else:
            available += credentials[ref].credits
    if known and available + 1e-9 < requirement.credits:
        yield (
            f"{path}.credits",
            f"needs {_number(requirement.credits)} credits but all of 'from' together carry "
            f"only {_number(available)}: no combination can meet it",
        )


def _credit_block_problems(credential: Credential) -> Iterator[tuple[str, str]]:
    if credential.credits_required is None:
        present = {
            "per_credit": credential.per_credit is not None,
            "transfer": bool(credential.transfer),
            "transfer_max": credential.transfer_max is not None,
        }
        for field, is_present in present.items():
            if is_present:
                yield field, f"'{field}' needs 'credits_required' (it belongs to a credit block)"
        return
    cap = credential.transfer_max
    if cap is not None and cap > credential.credits_required:
        yield (
            "transfer_max",
            f"transfer_max {_number(cap)} exceeds credits_required "
            f"{_number(credential.credits_required)}",
        )


def _dependency_edges(catalog: Catalog) -> dict[str, dict[str, str]]:
    """prerequisite -> {credential: "requires" | "transfer"} for every id a credential names."""
    edges: dict[str, dict[str, str]] = {}
    for credential in catalog.credentials:
        for ref in requirement_refs(credential.requires):
            edges.setdefault(ref, {})[credential.id] = "requires"
        for item in credential.transfer:
            edges.setdefault(item_id(item), {}).setdefault(credential.id, "transfer")
    return edges


def _cycles(
    catalog: Catalog, edges: dict[str, dict[str, str]], file_name: str, label: _Labels
) -> Iterator[Problem]:
    remaining = _not_topologically_sortable(edges)
    if not remaining:
        return
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_edges_from(
        (u, v, {"via": via})
        for u in remaining
        for v, via in edges.get(u, {}).items()
        if v in remaining
    )
    index = {c.id: i for i, c in enumerate(catalog.credentials)}
    for component in nx.strongly_connected_components(graph):
        first = min(component, key=lambda node: index.get(node, len(index)))
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        cycle = nx.find_cycle(graph.subgraph(component), source=first)
        path = [edge[0] for edge in cycle] + [cycle[-1][1]]
        vias = {graph.edges[u, v]["via"] for u, v in cycle}
        record = label("credentials", index[first], first)
        message = (
            f"cycle through {' and '.join(sorted(vias))}: {' -> '.join(path)}; "
            "a credential cannot (indirectly) need itself"
        )
        yield Problem(Severity.ERROR, file_name, record, "", message)


def _not_topologically_sortable(edges: dict[str, dict[str, str]]) -> set[str]:
    """Nodes left after Kahn's algorithm: those on a cycle or downstream of one (O(V + E))."""
    indegree = Counter(chain.from_iterable(edges.values()))
    ready = [node for node in edges if node not in indegree]
    while ready:
        for target in edges.get(ready.pop(), ()):
            left = indegree[target] - 1
            indegree[target] = left
            if not left:
                ready.append(target)
    return {node for node, count in indegree.items() if count > 0}


def _unused(
    catalog: Catalog, linked: set[str], file_name: str, label: _Labels
) -> Iterator[Problem]:
    """Warnings for isolated credentials (``linked``: ids that name or are named by another)
    and for providers and skills no credential names."""

    def warning(collection: str, index: int, record_id: str, message: str) -> Problem:
        record = label(collection, index, record_id)
        return Problem(Severity.WARNING, file_name, record, "", message)

    for index, credential in enumerate(catalog.credentials):
        if credential.id not in linked:
            yield warning(
                "credentials",
                index,
                credential.id,
                "stacks into nothing and requires nothing (an isolated credential)",
            )
    used_providers = {c.provider for c in catalog.credentials}
    for index, provider in enumerate(catalog.providers):
        if provider.id not in used_providers:
            yield warning("providers", index, provider.id, "no credential names this provider")
    used_skills = {s for c in catalog.credentials for s in c.skills}
    for index, skill in enumerate(catalog.skills):
        if skill.id not in used_skills:
            yield warning("skills", index, skill.id, "no credential teaches this skill")
