"""CTDL (Credential Engine) JSON-LD -> a pathplanner catalogue, with an import report.

Credentials of every CTDL credential class, learning opportunities, assessments and pathway
components become catalogue credentials; organisations become providers; competencies become
skills; condition profiles and pathway component conditions become requirements. The mapping
rules and their reasons are in ``docs/interop.md``. Anything that cannot be mapped exactly is
listed in the report; the result is either a catalogue that passed
:func:`pathplanner.catalog.check_catalog_data` or no catalogue and the reasons.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pathplanner.catalog import CatalogError, check_catalog_data
from pathplanner.interop import ctdl_values as cv
from pathplanner.interop.import_report import ImportReport, ImportResult
from pathplanner.interop.jsonld import (
    CTID,
    LangMap,
    Node,
    Ref,
    id_key,
    local_name,
    text_of,
    top_level_nodes,
    walk_nodes,
)
from pathplanner.interop.safe_json import (
    DEFAULT_LIMITS,
    InputError,
    Limits,
    decode_text,
    parse_json,
    read_bytes,
)
from pathplanner.model import FORMAT_NAME, FORMAT_VERSION, Kind

# Ids written by our own exporter for records whose catalogue id is not a CTID.
URN_CREDENTIAL = "urn:pathplanner:credential:"
URN_PROVIDER = "urn:pathplanner:provider:"
URN_SKILL = "urn:pathplanner:skill:"
_URNS = (URN_CREDENTIAL, URN_PROVIDER, URN_SKILL)
_OWN = "urn:pathplanner:"

_TARGETS = ("targetCredential", "targetAssessment", "targetLearningOpportunity")
_REQUIRING = ("requires", "entryCondition", "corequisite")
_NOT_REQUIREMENTS = {
    "recommends": "recommended, not required",
    "preparationFrom": "preparation is recommended, not required",
    "isPreparationFor": "stated from the other side; import that record's own requirements",
    "isRequiredFor": "stated from the other side; import that record's own requirements",
    "isRecommendedFor": "recommended, not required",
    "advancedStandingFrom": "advanced standing (credit for prior learning) is not modelled",
    "isAdvancedStandingFor": "advanced standing (credit for prior learning) is not modelled",
    "renewal": "renewal conditions do not affect earning the credential",
    "hasPart": "parts are listed, not required (conditions say what is required)",
}
_TEXT_CONDITIONS = {
    "condition": "a condition in words",
    "experience": "required experience",
    "yearsOfExperience": "years of experience",
    "minimumAge": "a minimum age",
    "submissionOf": "documents to submit",
    "submissionOfDescription": "documents to submit",
    "targetOccupation": "an occupation",
    "targetJob": "a job",
}
_EXCLUDED_COSTS = {
    "OptionalCharges": "optional charges are not required to earn it",
    "ReexaminationFee": "a re-examination fee is paid only on failing",
    "ReschedulingFee": "a rescheduling fee is paid only on rescheduling",
    "RenewalFee": "a maintenance/renewal fee is paid after earning it",
}
_RECOGNITION_BY = (
    ("accreditedBy", "accredited"),
    ("regulatedBy", "accredited"),
    ("approvedBy", "industry"),
    ("recognizedBy", "industry"),
)


class ImportCancelledError(Exception):
    """The caller's cancel callback asked the import to stop; nothing was produced."""


Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]


def import_ctdl_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ImportResult:
    """Read CTDL JSON-LD files (each: a record, a ``@graph``, envelopes) into one catalogue."""
    documents: list[tuple[str, Any]] = []
    report = ImportReport("ctdl")
    for index, path in enumerate(paths):
        file_name = Path(path).name
        report.files.append(file_name)
        _check_cancel(cancel)
        if progress:
            progress(index / max(1, len(paths)) * 0.5, f"reading {file_name}")
        try:
            text = decode_text(read_bytes(path, limits), file_name)
            documents.append((file_name, parse_json(text, file_name, limits)))
        except InputError as exc:
            report.error(str(exc))
    if report.errors:
        return ImportResult(None, report)
    return import_ctdl(
        documents, name=name, limits=limits, progress=progress, cancel=cancel, report=report
    )


def import_ctdl(
    documents: Sequence[tuple[str, Any]],
    *,
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    report: ImportReport | None = None,
) -> ImportResult:
    """Map decoded JSON documents (file name, data) into one catalogue."""
    if report is None:
        report = ImportReport("ctdl", files=[file for file, _ in documents])
    importer = _Importer(report, limits, cancel)
    try:
        for file_name, data in documents:
            importer.add_document(file_name, data)
        if progress:
            progress(0.6, "mapping records")
        if report.errors:
            return ImportResult(None, report)
        data = importer.build(name or _default_name(importer, documents))
    except InputError as exc:
        report.error(str(exc))
        return ImportResult(None, report)
    if progress:
        progress(0.9, "checking the catalogue")
    try:
        loaded = check_catalog_data(data, "imported catalogue")
    except CatalogError as exc:
        report.errors.extend(str(p) for p in exc.errors)
        return ImportResult(None, report)
    report.ok = True
    if progress:
        progress(1.0, "done")
    return ImportResult(loaded.catalog, report, loaded.warnings)


def _default_name(importer: _Importer, documents: Sequence[tuple[str, Any]]) -> str:
    if len(importer.pathways) == 1:
        pathway_name = text_of(importer.pathways[0][1].first("name"))
        if pathway_name:
            return pathway_name
    stems = [Path(file).stem for file, _ in documents]
    return ", ".join(stems) if stems else "imported catalogue"


def _check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise ImportCancelledError("import cancelled")


@dataclass(eq=False)
class _Record:
    node: Node
    file: str
    category: str  # credential, learning, assessment, component, organization, pathway, competency
    out_id: str = ""


class _Importer:
    def __init__(self, report: ImportReport, limits: Limits, cancel: Cancel | None) -> None:
        self.report = report
        self.limits = limits
        self.cancel = cancel
        self.by_key: dict[str, tuple[Node, str]] = {}  # id key -> any node with an id, its file
        self.records: dict[int, _Record] = {}  # id(node) -> record
        self.record_by_key: dict[str, _Record] = {}
        self.order: list[_Record] = []
        self.pathways: list[tuple[str, Node]] = []
        self.top_support: list[tuple[str, Node]] = []
        self.used: set[int] = set()
        self.blank = 0

    # --- collecting ------------------------------------------------------------------------

    def add_document(self, file_name: str, data: Any) -> None:
        _check_cancel(self.cancel)
        nodes = top_level_nodes(data, file_name, self.limits)
        if not nodes:
            self.report.error(f"{file_name}: no JSON-LD records found")
        for top in nodes:
            for node in walk_nodes(top):
                if node.id is not None:
                    self.by_key.setdefault(self._key(node.id), (node, file_name))
                    ctid = self._ctid(node)
                    if ctid:
                        self.by_key.setdefault(ctid, (node, file_name))
                category = _category(node)
                if category is None:
                    if node is top:
                        self.report.count_read(node.type or "(untyped)")
                        self.top_support.append((file_name, node))
                    continue
                self._add_record(node, file_name, category)

    def _add_record(self, node: Node, file_name: str, category: str) -> None:
        self.report.count_read(node.type)
        keys = self._keys(node)
        existing = next((self.record_by_key[k] for k in keys if k in self.record_by_key), None)
        if existing is not None:
            if len(node.props) > len(existing.node.props):  # keep the fuller description
                self._retire(existing, f"described again, more fully, in {file_name}")
            else:
                self.report.skip_record(
                    node.type,
                    file_name,
                    node.id or "",
                    f"a second description of {existing.node.id}; the first is kept",
                )
                return
        record = _Record(node, file_name, category)
        self.records[id(node)] = record
        for key in keys:
            self.record_by_key[key] = record
        self.order.append(record)
        if category == "pathway":
            self.pathways.append((file_name, node))

    def _retire(self, record: _Record, reason: str) -> None:
        self.order.remove(record)
        del self.records[id(record.node)]
        for key in self._keys(record.node):
            if self.record_by_key.get(key) is record:
                del self.record_by_key[key]
        self.report.skip_record(record.node.type, record.file, record.node.id or "", reason)

    def _keys(self, node: Node) -> list[str]:
        keys = [self._key(node.id)] if node.id else []
        ctid = self._ctid(node)
        if ctid and ctid not in keys:
            keys.append(ctid)
        return keys

    @staticmethod
    def _key(identifier: str) -> str:
        if identifier.startswith(_OWN):
            return identifier  # our own ids are case-sensitive
        return id_key(identifier)

    def _ctid(self, node: Node) -> str | None:
        """The node's CTID: from its @id (authoritative), else a well-formed ctid property."""
        if node.id and CTID.search(node.id) and not node.id.startswith(_OWN):
            return id_key(node.id)
        ctid = text_of(node.first("ctid"))
        if ctid and CTID.fullmatch(ctid):
            return ctid.lower()
        return None

    # --- building ----------------------------------------------------------------------------

    def build(self, catalog_name: str) -> dict[str, Any]:
        self.alias: dict[int, _Record] = {}  # component record -> the record it stands for
        self._resolve_proxies()
        self._assign_ids()
        self.providers: dict[str, dict[str, Any]] = {}
        self.skills: dict[str, dict[str, Any]] = {}
        self.placeholders: dict[str, dict[str, Any]] = {}
        self.costs: list[tuple[dict[str, Any], _Record, str, float, str]] = []
        credentials: list[dict[str, Any]] = []
        extra_requirements: dict[int, list[Any]] = {}
        for record in self.order:
            _check_cancel(self.cancel)
            if record.category == "organization":
                self._provider(record)
            elif record.category == "competency":
                self._skill(record)
        for record in self.order:
            _check_cancel(self.cancel)
            if record.category == "component" and id(record.node) in self.alias:
                target = self.alias[id(record.node)]
                requirement = self._component_requirements(record, target)
                extra_requirements.setdefault(id(target.node), []).extend(requirement)
        for record in self.order:
            if record.category in {"credential", "learning", "assessment"} or (
                record.category == "component" and id(record.node) not in self.alias
            ):
                credential = self._credential(record, extra_requirements.get(id(record.node), []))
                credentials.append(credential)
            elif record.category == "pathway":
                self._pathway(record)
            if record.category not in {
                "credential",
                "learning",
                "assessment",
                "component",
                "pathway",
            }:
                continue
            self.report.count_mapped(record.node.type)
        credentials.extend(self.placeholders.values())
        currency = self._settle_costs()
        for file_name, node in self.top_support:
            if id(node) in self.used:
                self.report.count_mapped(node.type or "(untyped)")
            else:
                self.report.skip_record(
                    node.type or "(untyped)", file_name, node.id or "", _unsupported(node)
                )
        self._fix_requirements(credentials)
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "name": catalog_name,
            "currency": currency,
            "providers": list(self.providers.values()),
            "skills": list(self.skills.values()),
            "credentials": credentials,
        }

    def _resolve_proxies(self) -> None:
        for record in self.order:
            if record.category != "component":
                continue
            for value in record.node.values("proxyFor"):
                target = self._record_for(value)
                if target is not None and target.category not in {
                    "component",
                    "pathway",
                    "organization",
                }:
                    self.alias[id(record.node)] = target
                    break

    def _assign_ids(self) -> None:
        used: set[str] = set()
        for record in self.order:
            node = record.node
            ctid = self._ctid(node)
            if node.id and node.id.startswith(_URNS):
                candidate = unquote(node.id.split(":", 3)[3])
            elif ctid:
                candidate = ctid
            elif node.id:
                candidate = node.id.strip()
            else:
                self.blank += 1
                candidate = f"_:b{self.blank}"
            while candidate in used:
                self.blank += 1
                candidate = f"{candidate}#{self.blank}"
            used.add(candidate)
            record.out_id = candidate
            if node.id and ctid and node.first("ctid") is not None:
                written = text_of(node.first("ctid"))
                if written.lower() != ctid:
                    self.report.approximate(
                        record.file,
                        node.id,
                        node.key("ctid"),
                        f"ctid {written!r} does not match the @id; the @id's CTID {ctid} is used",
                    )

    def _approximate(self, record: _Record, field_name: str, reason: str) -> None:
        self.report.approximate(record.file, record.node.id or record.out_id, field_name, reason)

    def _skip(self, record: _Record, field_name: str, reason: str) -> None:
        self.report.skip_field(record.file, record.node.id or record.out_id, field_name, reason)

    # --- references ---------------------------------------------------------------------------

    def _lookup(self, value: Any) -> Node | None:
        if isinstance(value, Node):
            if value.props or value.id is None:
                return value
            value = Ref(value.id)
        if isinstance(value, Ref | str):
            identifier = value.id if isinstance(value, Ref) else value
            found = self.by_key.get(self._key(identifier))
            return found[0] if found else None
        return None

    def _record_for(self, value: Any) -> _Record | None:
        if isinstance(value, Node) and id(value) in self.records:
            return self.records[id(value)]
        identifier = value.id if isinstance(value, Ref | Node) else value
        if isinstance(identifier, str):
            record = self.record_by_key.get(self._key(identifier))
            if record is not None:
                return record
        return None

    def _target_id(self, value: Any, owner: _Record, field_name: str) -> str | None:
        """The catalogue id a condition's target refers to (a placeholder if not imported)."""
        record = self._record_for(value)
        if record is not None:
            record = self.alias.get(id(record.node), record)
            if record.category in {"organization", "pathway", "competency"}:
                self._skip(
                    owner,
                    field_name,
                    f"target {record.node.id} is a {record.node.type}, not something to earn",
                )
                return None
            return record.out_id
        identifier = value.id if isinstance(value, Ref | Node) else value
        if not isinstance(identifier, str) or not identifier.strip():
            self._skip(owner, field_name, "target without an id")
            return None
        return self._placeholder(identifier.strip(), owner, field_name)

    def _placeholder(self, identifier: str, owner: _Record, field_name: str) -> str:
        out_id = _reference_id(identifier)
        if out_id not in self.placeholders:
            self.report.count_read("(unresolved reference)")
            self.report.count_mapped("(unresolved reference)")
            self._approximate(
                owner,
                field_name,
                f"{identifier} is not described in the imported files: added as a placeholder "
                "credential (no cost, 1 week); import the document describing it for real figures",
            )
            self.placeholders[out_id] = {
                "id": out_id,
                "name": f"Unresolved reference {out_id}",
                "kind": Kind.OTHER.value,
                "source": identifier,
                "description": "Placeholder for a record referenced by an imported CTDL document.",
            }
        return out_id

    # --- providers, skills, pathways ----------------------------------------------------------

    def _provider(self, record: _Record) -> None:
        node = record.node
        name = text_of(node.first("name")) or record.out_id
        if not text_of(node.first("name")):
            self.report.approximate(
                record.file, node.id or "", "", "organisation without a name: its id is used"
            )
        recognition = text_of(node.first("recognition"))
        if recognition not in {"accredited", "industry", "employer", "unverified"}:
            recognition = "unverified"
            for prop, level in _RECOGNITION_BY:
                if node.values(prop):
                    recognition = level
                    break
        provider: dict[str, Any] = {"id": record.out_id, "name": name, "recognition": recognition}
        url = text_of(node.first("subjectWebpage"))
        if url:
            provider["url"] = url
        self.providers[record.out_id] = provider
        self.report.count_mapped(node.type)

    def _provider_id(self, record: _Record) -> str | None:
        node = record.node
        for prop in ("ownedBy", "offeredBy"):
            for value in node.values(prop):
                org = self._record_for(value)
                if org is not None and org.category == "organization":
                    return org.out_id
                identifier = value.id if isinstance(value, Ref | Node) else value
                if isinstance(identifier, str) and identifier.strip():
                    return self._placeholder_provider(identifier.strip(), record, node.key(prop))
        return None

    def _placeholder_provider(self, identifier: str, owner: _Record, field_name: str) -> str:
        out_id = _reference_id(identifier)
        if out_id not in self.providers:
            self._approximate(
                owner,
                field_name,
                f"organisation {identifier} is not described in the imported files: added as an "
                "unverified provider named by its id",
            )
            self.providers[out_id] = {
                "id": out_id,
                "name": f"Organization {out_id}",
                "recognition": "unverified",
            }
        return out_id

    def _skill(self, record: _Record) -> None:
        node = record.node
        name = (
            text_of(node.first("competencyLabel"))
            or text_of(node.first("name"))
            or text_of(node.first("competencyText"))
        )
        if not name:
            self.report.skip_record(
                node.type, record.file, node.id or "", "competency without a label or text"
            )
            return
        skill: dict[str, Any] = {"id": record.out_id, "name": name}
        framework = text_of(node.first("framework"))
        if not framework:
            for value in node.values("isPartOf") + node.values("isMemberOf"):
                container = self._lookup(value)
                framework = text_of(container.first("name")) if container is not None else ""
                if framework:
                    break
        if framework:
            skill["framework"] = framework
        url = text_of(node.first("url"))
        if url:
            skill["url"] = url
        self.skills[record.out_id] = skill
        self.report.count_mapped(node.type)

    def _pathway(self, record: _Record) -> None:
        node = record.node
        destination = ""
        for value in node.values("hasDestinationComponent"):
            target = self._record_for(value)
            if target is not None:
                target = self.alias.get(id(target.node), target)
                destination = target.out_id
                break
            identifier = value.id if isinstance(value, Ref | Node) else value
            if isinstance(identifier, str):
                destination = self._placeholder(
                    identifier, record, node.key("hasDestinationComponent")
                )
                break
        self.report.pathways.append(
            {
                "id": record.out_id,
                "name": text_of(node.first("name")) or record.out_id,
                "destination": destination,
            }
        )

    # --- credentials ------------------------------------------------------------------------

    def _credential(self, record: _Record, extra: list[Any]) -> dict[str, Any]:
        node = record.node
        name = text_of(node.first("name"))
        if not name:
            name = record.out_id
            self._approximate(record, node.key("name"), "no name: the id is used as the name")
        credential: dict[str, Any] = {
            "id": record.out_id,
            "name": name,
            "kind": self._kind(record).value,
        }
        provider = self._provider_id(record)
        if provider:
            credential["provider"] = provider
        self._durations(record, credential)
        credits = self._value(record, node.values("creditValue"), node.key("creditValue"))
        if credits is None:
            for legacy in ("creditHourValue", "creditUnitValue"):
                value = node.first(legacy)
                if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
                    credits = float(value)
                    break
        if credits is not None:
            credential["credits"] = credits
        credential["delivery"] = self._delivery(record)
        self._collect_costs(record, credential)
        self._extensions(record, credential)
        skills = credential.setdefault("skills", [])
        requirements: list[Any] = []
        for prop in _REQUIRING:
            for index, value in enumerate(node.values(prop)):
                field_name = f"{node.key(prop)}[{index}]"
                if prop == "corequisite":
                    self._approximate(
                        record,
                        field_name,
                        "a corequisite (pursued at the same time) is planned as a prerequisite",
                    )
                requirement = self._condition(value, record, field_name, skills, set())
                if requirement is not None:
                    requirements.append(requirement)
        for index, value in enumerate(node.values("commonConditions")):
            requirements.extend(
                self._manifest(value, record, f"{node.key('commonConditions')}[{index}]", skills)
            )
        if record.category == "component" or node.values("hasCondition"):
            requirements.extend(self._component_requirements(record, record))
        requirements.extend(extra)
        for prop, reason in _NOT_REQUIREMENTS.items():
            if node.values(prop):
                self._skip(record, node.key(prop), reason)
        requirement = _all_of(requirements)
        if requirement is not None:
            credential["requires"] = requirement
        if not skills:
            del credential["skills"]
        url = text_of(node.first("subjectWebpage"))
        if url and "url" not in credential:
            credential["url"] = url
        description = text_of(node.first("description"))
        if description and "description" not in credential:
            credential["description"] = description
        if "source" not in credential and node.id and not node.id.startswith(_OWN):
            credential["source"] = node.id
        return credential

    def _kind(self, record: _Record) -> Kind:
        node = record.node
        kind_text = text_of(node.first("kind"))
        if kind_text in {k.value for k in Kind}:
            return Kind(kind_text)
        type_name = node.type
        if record.category == "component":
            for value in node.values("credentialType"):
                class_name = local_name(
                    value.id if isinstance(value, Ref | Node) and value.id else text_of(value)
                )
                if class_name in cv.CREDENTIAL_KINDS:
                    type_name = class_name
                    break
            else:
                self._approximate(
                    record,
                    "@type",
                    f"pathway component {node.type} has no kind: mapped to 'other'",
                )
                return Kind.OTHER
        if type_name in cv.CREDENTIAL_KINDS:
            kind = cv.CREDENTIAL_KINDS[type_name]
            if kind is Kind.OTHER and type_name in cv.OTHER_REASONS:
                self._approximate(
                    record, "@type", f"{cv.OTHER_REASONS[type_name]}: mapped to 'other'"
                )
            return kind
        what = "a learning opportunity" if record.category == "learning" else "an assessment"
        self._approximate(
            record,
            "@type",
            f"{type_name} is {what}, not a credential: kept as kind 'other'",
        )
        return Kind.OTHER

    def _durations(self, record: _Record, credential: dict[str, Any]) -> None:
        node = record.node
        weeks: list[int] = []
        hours: list[float] = []
        for index, value in enumerate(node.values("estimatedDuration")):
            field_name = f"{node.key('estimatedDuration')}[{index}]"
            profile = self._lookup(value)
            if profile is None:
                self._skip(record, field_name, "duration profile not found")
                continue
            self.used.add(id(profile))
            chosen = None
            for prop in ("exactDuration", "maximumDuration", "minimumDuration"):
                text = text_of(profile.first(prop))
                if text:
                    chosen = (prop, text)
                    break
            if chosen is None:
                self._skip(record, field_name, "duration given in words only")
                continue
            prop, text = chosen
            try:
                duration = cv.parse_duration(text)
            except ValueError as exc:
                self._skip(record, field_name, str(exc))
                continue
            if prop != "exactDuration":
                self._approximate(
                    record,
                    field_name,
                    f"a range of durations: the {prop.removesuffix('Duration')} {text} is used",
                )
            if duration.time_only:
                hours.append(duration.hours)
            else:
                weeks.append(duration.whole_weeks)
                if duration.hours:
                    hours.append(duration.hours)
        if len(weeks) > 1 and len(set(weeks)) > 1:
            self._approximate(
                record,
                node.key("estimatedDuration"),
                f"several durations ({', '.join(f'{w} weeks' for w in weeks)}): longest used",
            )
        if weeks:
            credential["duration_weeks"] = max(weeks)
        else:
            self._approximate(record, "estimatedDuration", "no duration: 1 week assumed")
        if hours:
            credential["effort_hours"] = max(hours)

    def _value(self, record: _Record, values: list[Any], field_name: str) -> float | None:
        """The number in the first usable ValueProfile (``value``, else ``minValue``)."""
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value) if value >= 0 else None
            profile = self._lookup(value)
            if profile is None:
                continue
            self.used.add(id(profile))
            for prop in ("value", "minValue", "maxValue"):
                number = _number(profile.first(prop))
                if number is not None and number >= 0:
                    if prop != "value":
                        self._approximate(
                            record,
                            field_name,
                            f"a range of credit values: {prop} {number:g} is used",
                        )
                    return number
            self._skip(record, field_name, "credit value without a number")
        return None

    def _delivery(self, record: _Record) -> str:
        node = record.node
        modes: set[str] = set()
        for value in node.values("deliveryType"):
            text = ""
            if isinstance(value, Node):
                target = value.first("targetNode")
                text = (
                    target.id if isinstance(target, Ref | Node) and target.id else text_of(target)
                ) or text_of(value.first("targetNodeName"))
            else:
                text = value.id if isinstance(value, Ref) else text_of(value)
            words = local_name(text).casefold().replace("-", "").replace(" ", "")
            if "blended" in words or "hybrid" in words:
                modes.add("hybrid")
            elif "online" in words:
                modes.add("online")
            elif "inperson" in words:
                modes.add("in_person")
            elif "variablesite" in words:
                modes.add("hybrid")
                self._approximate(
                    record,
                    node.key("deliveryType"),
                    "variable-site delivery is treated as hybrid",
                )
        if text_of(node.first("delivery")) in {"online", "in_person", "hybrid"}:
            return text_of(node.first("delivery"))
        if not modes:
            self._approximate(record, "deliveryType", "no delivery type: online assumed")
            return "online"
        if len(modes) == 1:
            return modes.pop()
        return "hybrid"

    def _collect_costs(self, record: _Record, credential: dict[str, Any]) -> None:
        node = record.node
        profiles: list[tuple[str, Node]] = []
        for index, value in enumerate(node.values("estimatedCost")):
            profile = self._lookup(value)
            field_name = f"{node.key('estimatedCost')}[{index}]"
            if profile is None:
                self._skip(record, field_name, "cost profile not found")
                continue
            self.used.add(id(profile))
            profiles.append((field_name, profile))
        if node.values("commonCosts"):
            self._skip(
                record,
                node.key("commonCosts"),
                "organisation-wide cost manifests are not read; only the record's own costs count",
            )
        priced: list[tuple[str, Node, float, str, str]] = []
        for field_name, profile in profiles:
            price = _number(profile.first("price"))
            if price is None:
                self._skip(record, field_name, "cost profile without a price")
                continue
            written = text_of(profile.first("currency")) or "USD"
            currency = cv.normalise_currency(written)
            if currency is None:
                self._skip(record, field_name, f"unknown currency {written!r}")
                continue
            if not text_of(profile.first("currency")):
                self._approximate(record, field_name, "no currency given: USD assumed")
            elif currency != written:
                self._approximate(record, field_name, f"currency {written!r} read as {currency}")
            cost_type = _cost_type(profile)
            priced.append((field_name, profile, price, currency, cost_type))
        if not priced:
            self._approximate(record, "estimatedCost", "no price given: cost 0 assumed")
        aggregates = [p for p in priced if p[4] == "AggregateCost"]
        if aggregates:
            for field_name, _, _, _, cost_type in priced:
                if cost_type != "AggregateCost":
                    self._skip(
                        record,
                        field_name,
                        "already included in the aggregate cost (not counted twice)",
                    )
            chosen = aggregates
        else:
            chosen = []
            for entry in priced:
                reason = _EXCLUDED_COSTS.get(entry[4])
                if reason:
                    self._skip(record, entry[0], reason)
                else:
                    chosen.append(entry)
        # Several profiles of one cost type are alternatives (in-state / out-of-state tuition,
        # audiences): the highest is kept so that a plan never underestimates.
        by_type: dict[tuple[str, str], list[tuple[str, Node, float, str, str]]] = {}
        for entry in chosen:
            by_type.setdefault((entry[4], entry[3]), []).append(entry)
        for (cost_type, currency), entries in by_type.items():
            best = max(entries, key=lambda e: e[2])
            if len(entries) > 1:
                self._approximate(
                    record,
                    node.key("estimatedCost"),
                    f"{len(entries)} alternative {cost_type or 'untyped'} costs "
                    f"({', '.join(f'{e[2]:g}' for e in entries)}): the highest, {best[2]:g}, used",
                )
            self.costs.append((credential, record, best[0], best[2], currency))

    def _settle_costs(self) -> str:
        """Pick the catalogue currency (the most used) and add up each credential's costs."""
        counts = Counter(currency for *_, currency in self.costs)
        declared = [
            cv.normalise_currency(text_of(node.first("currency"))) for _, node in self.pathways
        ]
        fallback = next((c for c in declared if c), "USD")
        currency = counts.most_common(1)[0][0] if counts else fallback
        for credential, record, field_name, price, cost_currency in self.costs:
            if cost_currency != currency:
                self._skip(
                    record,
                    field_name,
                    f"price in {cost_currency} cannot be converted to the catalogue's {currency}",
                )
                continue
            credential["cost"] = credential.get("cost", 0.0) + price
        return currency

    def _extensions(self, record: _Record, credential: dict[str, Any]) -> None:
        """Fields only pathplanner writes (``pathplanner:*``), read back on a round trip."""
        node = record.node
        for prop in ("creditsRequired", "transferMax"):
            number = _number(node.first(prop))
            if number is not None:
                credential["credits_required" if prop == "creditsRequired" else "transfer_max"] = (
                    number
                )
        per_credit = node.first("perCredit")
        if isinstance(per_credit, Node):
            credential["per_credit"] = {
                k: float(v)
                for k in ("price", "hours", "weeks")
                if (v := _number(per_credit.first(k))) is not None
            }
        transfer = [self._item(v) for v in node.values("transferFrom")]
        if transfer:
            credential["transfer"] = [t for t in transfer if t is not None]
        if "startDate" in node.props:
            credential["start_dates"] = [text_of(v) for v in node.values("startDate")]
        skills = []
        for value in node.values("skill"):
            skill = self._record_for(value)
            if skill is not None:
                skills.append(skill.out_id)
        if skills:
            credential["skills"] = skills
        source = text_of(node.first("sourceRecord"))
        if source:
            credential["source"] = source
        if node.id and node.id.startswith(URN_CREDENTIAL):
            url = text_of(node.first("subjectWebpage"))
            if url:
                credential["url"] = url
            description = text_of(node.first("description"))
            if description:
                credential["description"] = description

    def _item(self, value: Any) -> Any:
        if isinstance(value, Node) and value.first("credits") is not None:
            target = self._record_for(Ref(value.id)) if value.id else None
            out = target.out_id if target else value.id
            return {"id": out, "credits": _number(value.first("credits"))}
        record = self._record_for(value)
        return record.out_id if record else None

    # --- conditions -------------------------------------------------------------------------

    def _condition(
        self, value: Any, owner: _Record, field_name: str, skills: list[str], seen: set[int]
    ) -> Any:
        """A ConditionProfile as a requirement: its targets all required, and any one of its
        alternative conditions. A reference to a record is that record."""
        if isinstance(value, Node) and id(value) in self.records:
            return self._target_id(value, owner, field_name)
        if not isinstance(value, Node) or not value.props:
            node = self._lookup(value)
            if node is None or id(node) in self.records:
                return self._target_id(value, owner, field_name)
            value = node
        condition = value
        if id(condition) in seen:
            self._skip(owner, field_name, "condition refers back to itself (a loop)")
            return None
        seen = seen | {id(condition)}
        self.used.add(id(condition))
        parts: list[Any] = []
        targets: list[str] = []
        for prop in _TARGETS:
            for index, target in enumerate(condition.values(prop)):
                target_id = self._target_id(
                    target, owner, f"{field_name}.{condition.key(prop)}[{index}]"
                )
                if target_id is not None and target_id not in targets:
                    targets.append(target_id)
        for index, competency in enumerate(condition.values("targetCompetency")):
            self._competency_skill(
                competency, owner, f"{field_name}.targetCompetency[{index}]", skills
            )
        credits = self._value(owner, condition.values("creditValue"), f"{field_name}.creditValue")
        if credits and targets:
            parts.append({"credits": credits, "from": targets})
        elif targets:
            parts.append(_all_of(targets))
        elif credits:
            self._skip(
                owner,
                f"{field_name}.creditValue",
                f"{credits:g} credits required without saying from what: not checked",
            )
        alternatives = []
        for index, alternative in enumerate(condition.values("alternativeCondition")):
            requirement = self._condition(
                alternative, owner, f"{field_name}.alternativeCondition[{index}]", skills, seen
            )
            if requirement is not None:
                alternatives.append(requirement)
        if alternatives:
            parts.append(
                alternatives[0] if len(alternatives) == 1 else {"any": alternatives, "count": 1}
            )
        for prop, what in _TEXT_CONDITIONS.items():
            if condition.values(prop):
                self._skip(
                    owner,
                    f"{field_name}.{condition.key(prop)}",
                    f"{what} cannot be checked by the planner",
                )
        if not parts and not any(condition.values(p) for p in _TEXT_CONDITIONS):
            label = text_of(condition.first("name")) or text_of(condition.first("description"))[:60]
            self._skip(
                owner,
                field_name,
                f"condition {label!r} names nothing to earn"
                if label
                else "condition names nothing to earn",
            )
        return _all_of(parts)

    def _competency_skill(
        self, value: Any, owner: _Record, field_name: str, skills: list[str]
    ) -> None:
        record = self._record_for(value)
        if record is not None and record.out_id in self.skills:
            if record.out_id not in skills:
                skills.append(record.out_id)
            self._approximate(
                owner,
                field_name,
                "a required competency is recorded as a skill the credential attests",
            )
        else:
            self._skip(
                owner,
                field_name,
                "competency not described in the files",
            )

    def _manifest(
        self, value: Any, owner: _Record, field_name: str, skills: list[str]
    ) -> list[Any]:
        manifest = self._lookup(value)
        if manifest is None:
            self._skip(
                owner,
                field_name,
                "condition manifest not in the imported files",
            )
            return []
        self.used.add(id(manifest))
        out = []
        for prop in _REQUIRING:
            for index, condition in enumerate(manifest.values(prop)):
                requirement = self._condition(
                    condition, owner, f"{field_name}.{prop}[{index}]", skills, set()
                )
                if requirement is not None:
                    out.append(requirement)
        return out

    def _component_requirements(self, record: _Record, owner: _Record) -> list[Any]:
        out = []
        node = record.node
        for index, value in enumerate(node.values("hasCondition")):
            requirement = self._component_condition(
                value, owner, f"{node.key('hasCondition')}[{index}]", set()
            )
            if requirement is not None:
                out.append(requirement)
        return out

    def _component_condition(
        self, value: Any, owner: _Record, field_name: str, seen: set[int]
    ) -> Any:
        """A ComponentCondition: ``requiredNumber`` of its target components and nested
        conditions (all of them when missing); credit constraints as 'credits from'."""
        condition = value if isinstance(value, Node) and value.props else self._lookup(value)
        if condition is None:
            self._skip(owner, field_name, "component condition not found")
            return None
        if id(condition) in seen:
            self._skip(owner, field_name, "condition refers back to itself (a loop)")
            return None
        seen = seen | {id(condition)}
        self.used.add(id(condition))
        targets: list[str] = []
        for index, target in enumerate(condition.values("targetComponent")):
            target_id = self._target_id(
                target, owner, f"{field_name}.{condition.key('targetComponent')}[{index}]"
            )
            if target_id is not None and target_id not in targets:
                targets.append(target_id)
        nested = []
        for index, sub in enumerate(condition.values("hasCondition")):
            requirement = self._component_condition(
                sub, owner, f"{field_name}.hasCondition[{index}]", seen
            )
            if requirement is not None:
                nested.append(requirement)
        items: list[Any] = [*targets, *nested]
        required = _number(condition.first("requiredNumber"))
        credit_parts = self._constraints(condition, owner, field_name, targets)
        legacy_left = text_of(condition.first("leftOperand")).casefold()
        legacy_right = _number(condition.first("rightOperand"))
        if required is None and legacy_right is not None:
            if legacy_left == "reqnum":
                required = legacy_right
                self._approximate(
                    owner,
                    field_name,
                    "draft encoding leftOperand 'reqNum' read as requiredNumber",
                )
            elif "credit" in legacy_left and targets:
                credit_parts.append({"credits": legacy_right, "from": targets})
                self._approximate(
                    owner,
                    field_name,
                    "draft encoding leftOperand credits read as a credit constraint",
                )
        operator = local_name(
            text_of(condition.first("logicalOperator"))
            or text_of(condition.first("logicalOperand"))
        ).casefold()
        if required is None and operator in {"or", "onlyone"}:
            required = 1
            if operator == "onlyone":
                self._approximate(owner, field_name, "'only one' is planned as 'at least one'")
        parts: list[Any] = list(credit_parts)
        if credit_parts and required is None:
            items = nested  # the constraint, not every target, says what is needed
        if items:
            count = len(items) if required is None else int(required)
            if count <= 0:
                self._approximate(owner, field_name, "requiredNumber 0: nothing is required")
            elif required is not None and 1 < count == len(items):
                parts.append({"any": items, "count": count})
            elif count >= len(items):
                if count > len(items):
                    self._approximate(
                        owner,
                        field_name,
                        f"requiredNumber {count} exceeds the {len(items)} options: all required",
                    )
                parts.append(items[0] if len(items) == 1 else {"all": items})
            else:
                parts.append({"any": items, "count": count})
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"all": parts}

    def _constraints(
        self, condition: Node, owner: _Record, field_name: str, targets: list[str]
    ) -> list[Any]:
        out: list[Any] = []
        for index, value in enumerate(condition.values("hasConstraint")):
            constraint = self._lookup(value)
            place = f"{field_name}.hasConstraint[{index}]"
            if constraint is None:
                self._skip(owner, place, "constraint not found")
                continue
            self.used.add(id(constraint))
            left = " ".join(
                local_name(v.id if isinstance(v, Ref | Node) and v.id else text_of(v))
                for v in constraint.values("leftSource")
            ).casefold()
            right = next(
                (n for v in constraint.values("rightSource") if (n := _number(v)) is not None), None
            )
            comparator = local_name(
                text_of(constraint.first("comparator")) or _node_id(constraint.first("comparator"))
            ).casefold()
            at_least = comparator in {
                "gteq",
                "gt",
                "eq",
                "greaterthanorequal",
                "greaterthan",
                "equal",
                "greaterthanorequalto",
            }
            if "credit" in left and right is not None and right > 0 and at_least and targets:
                out.append(
                    {"credits": right, "from": self._with_overrides(condition, owner, targets)}
                )
            else:
                self._skip(
                    owner,
                    place,
                    "only constraints on the sum of credit values can be planned",
                )
        required = _number(condition.first("requiredConstraints"))
        if required is not None and out and required < len(out):
            self._approximate(
                owner,
                field_name,
                f"requiredConstraints {required:g} of {len(out)}: all are required",
            )
        return out

    def _with_overrides(self, condition: Node, owner: _Record, targets: list[str]) -> list[Any]:
        """``pathplanner:creditOverride``: credits a target counts for in this sum only."""
        overrides: dict[str, float] = {}
        for value in condition.values("creditOverride"):
            if not isinstance(value, Node) or value.id is None:
                continue
            credits = _number(value.first("credits"))
            target = self._target_id(Ref(value.id), owner, "creditOverride")
            if target is not None and credits is not None:
                overrides[target] = credits
        return [{"id": t, "credits": overrides[t]} if t in overrides else t for t in targets]

    # --- final repairs ------------------------------------------------------------------------

    def _fix_requirements(self, credentials: list[dict[str, Any]]) -> None:
        """Make requirements valid: credit sums the targets can reach, no cycles."""
        by_id = {c["id"]: c for c in credentials}
        for credential in credentials:
            if "requires" in credential:
                fixed = self._fix_credits(credential["requires"], credential, by_id)
                if fixed is None:
                    del credential["requires"]
                else:
                    credential["requires"] = fixed
        # One depth-first walk (linear time, even on hostile input) finds a set of edges whose
        # removal leaves no cycle: the back edges, each closing the cycle on the walk's stack.
        requires = {c["id"]: list(dict.fromkeys(_refs(c.get("requires")))) for c in credentials}
        state: dict[str, int] = {}  # 1 on the stack, 2 done
        for root, root_refs in requires.items():
            if root in state:
                continue
            stack: list[tuple[str, Iterator[str]]] = [(root, iter(root_refs))]
            path = [root]
            state[root] = 1
            while stack:
                node, refs = stack[-1]
                ref = next(refs, None)
                if ref is None:
                    stack.pop()
                    path.pop()
                    state[node] = 2
                elif state.get(ref) == 1:
                    self._drop_cycle_edge(by_id[node], ref, path[path.index(ref) :])
                elif ref not in state and ref in requires:
                    state[ref] = 1
                    stack.append((ref, iter(requires[ref])))
                    path.append(ref)

    def _drop_cycle_edge(self, credential: dict[str, Any], ref: str, cycle: list[str]) -> None:
        credential["requires"] = _drop_ref(credential["requires"], ref)
        if credential["requires"] is None:
            del credential["requires"]
        self.report.approximate(
            "",
            credential.get("source", credential["id"]),
            "requires",
            f"requirement on {ref} dropped: it closed a cycle ({' -> '.join([*cycle, ref])})",
        )

    def _fix_credits(
        self, requirement: Any, credential: dict[str, Any], by_id: dict[str, Any]
    ) -> Any:
        if isinstance(requirement, str):
            return requirement
        if "all" in requirement:
            subs = [self._fix_credits(r, credential, by_id) for r in requirement["all"]]
            kept = [s for s in subs if s is not None]
            if not kept:
                return None
            return kept[0] if len(kept) == 1 else {"all": kept}
        if "any" in requirement:
            subs = [self._fix_credits(r, credential, by_id) for r in requirement["any"]]
            kept = [s for s in subs if s is not None]
            if not kept:
                return None
            return {"any": kept, "count": min(requirement["count"], len(kept))}
        available = sum(
            (item["credits"] if isinstance(item, dict) else by_id.get(item, {}).get("credits", 0.0))
            or 0.0
            for item in requirement["from"]
        )
        if available + 1e-9 < requirement["credits"]:
            self.report.approximate(
                "",
                credential.get("source", credential["id"]),
                "requires",
                f"{requirement['credits']:g} credits are required from targets carrying only "
                f"{available:g} credits (credit values not given): all are required instead",
            )
            return _all_of(
                [item if isinstance(item, str) else item["id"] for item in requirement["from"]]
            )
        return requirement


# --- helpers ---------------------------------------------------------------------------------


def _category(node: Node) -> str | None:
    for type_name in node.types:
        if type_name in cv.CREDENTIAL_KINDS:
            return "credential"
        if type_name in cv.LEARNING_TYPES:
            return "learning"
        if type_name in cv.ASSESSMENT_TYPES:
            return "assessment"
        if type_name in cv.COMPONENT_TYPES:
            return "component"
        if type_name in cv.ORGANIZATION_TYPES:
            return "organization"
        if type_name in cv.PATHWAY_TYPES:
            return "pathway"
        if type_name in cv.COMPETENCY_TYPES:
            return "competency"
    return None


def _unsupported(node: Node) -> str:
    if not node.type:
        return "a record without @type cannot be mapped"
    return (
        f"{node.type} is not a credential, learning opportunity, assessment, organisation, "
        "pathway or competency"
    )


def _reference_id(identifier: str) -> str:
    """The catalogue id for a reference to a record not in the files."""
    ctid = CTID.search(identifier)
    return ctid.group(0).lower() if ctid else identifier


def _node_id(value: Any) -> str:
    return value.id if isinstance(value, Ref | Node) and value.id else ""


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str | LangMap):
        try:
            return float(text_of(value))
        except ValueError:
            return None
    return None


def _cost_type(profile: Node) -> str:
    value = profile.first("directCostType")
    if isinstance(value, Node):
        target = value.first("targetNode")
        text = _node_id(target) or text_of(target) or text_of(value.first("targetNodeName"))
    else:
        text = _node_id(value) or text_of(value)
    return local_name(text).replace(" ", "")


def _all_of(parts: Iterable[Any]) -> Any:
    flat: list[Any] = []
    for part in parts:
        if part is None:
            continue
        subs = part["all"] if isinstance(part, dict) and "all" in part else [part]
        for sub in subs:
            if sub not in flat:
                flat.append(sub)
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else {"all": flat}


def _refs(requirement: Any) -> list[str]:
    if requirement is None:
        return []
    if isinstance(requirement, str):
        return [requirement]
    if "all" in requirement:
        return [r for sub in requirement["all"] for r in _refs(sub)]
    if "any" in requirement:
        return [r for sub in requirement["any"] for r in _refs(sub)]
    return [item if isinstance(item, str) else item["id"] for item in requirement["from"]]


def _drop_ref(requirement: Any, ref: str) -> Any:
    if isinstance(requirement, str):
        return None if requirement == ref else requirement
    if "all" in requirement:
        return _all_of(_drop_ref(sub, ref) for sub in requirement["all"])
    if "any" in requirement:
        subs = [s for s in (_drop_ref(sub, ref) for sub in requirement["any"]) if s is not None]
        if not subs:
            return None
        count = min(requirement["count"], len(subs))
        return _all_of(subs) if count >= len(subs) else {"any": subs, "count": count}
    items = [i for i in requirement["from"] if (i if isinstance(i, str) else i["id"]) != ref]
    return {"credits": requirement["credits"], "from": items} if items else None
