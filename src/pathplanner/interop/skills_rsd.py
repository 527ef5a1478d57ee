"""Rich Skill Descriptors (Open Skills Network / OSMT) and CTDL competency collections ->
catalogue skills, so that skills goals can name them.

Reads an OSMT ``RichSkillDescriptor``, a ``RichSkillCollection`` (its skills take the
collection's name as their framework), a list of either, or a CTDL ``@graph`` of
``ceasn:Competency`` records (``.jsonc`` files may start with ``//`` comment lines).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pathplanner.catalog import CatalogError, catalog_to_json, check_catalog_data
from pathplanner.interop.import_report import ImportReport, ImportResult
from pathplanner.interop.jsonld import CTID, Node, Ref, text_of, top_level_nodes
from pathplanner.interop.safe_json import (
    DEFAULT_LIMITS,
    InputError,
    Limits,
    decode_text,
    parse_json,
    read_bytes,
)
from pathplanner.model import Catalog, Skill


def read_rsd_files(
    paths: Sequence[str | os.PathLike[str]], limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Skill], ImportReport]:
    """Every skill in the files (first description of an id wins), and the report."""
    report = ImportReport("rsd")
    skills: dict[str, Skill] = {}
    for path in paths:
        name = Path(path).name
        report.files.append(name)
        try:
            text = decode_text(read_bytes(path, limits), name)
            data = parse_json(text, name, limits, comments=True)
            for skill in _skills_in(data, name, report, limits):
                if skill.id in skills:
                    report.skip_record("skill", name, skill.id, "the same skill id appears earlier")
                    continue
                skills[skill.id] = skill
        except InputError as exc:
            report.error(str(exc))
    return list(skills.values()), report


def add_skills(catalog: Catalog, skills: Sequence[Skill], report: ImportReport) -> ImportResult:
    """The catalogue with the skills added (existing ids are kept as they are)."""
    known = catalog.skills_by_id
    added = []
    for skill in skills:
        if skill.id in known:
            if known[skill.id] != skill:
                report.skip_record(
                    "skill", "", skill.id, "the catalogue already has this skill id; kept"
                )
            continue
        added.append(skill)
    data = json.loads(catalog_to_json(catalog))
    data["skills"] = [*data.get("skills", []), *(s.model_dump(exclude_none=True) for s in added)]
    try:
        loaded = check_catalog_data(data, catalog.name)
    except CatalogError as exc:
        report.errors.extend(str(p) for p in exc.errors)
        return ImportResult(None, report)
    report.ok = not report.errors
    return ImportResult(loaded.catalog if report.ok else None, report, loaded.warnings)


def _skills_in(data: Any, name: str, report: ImportReport, limits: Limits) -> list[Skill]:
    if isinstance(data, list):
        return [s for item in data for s in _skills_in(item, name, report, limits)]
    if not isinstance(data, dict):
        raise InputError(f"{name}: expected a skill, a collection or a list of them")
    kind = data.get("type")
    if kind == "RichSkillDescriptor":
        return _osmt_skill(data, name, report, None)
    if kind == "RichSkillCollection":
        report.count_read("RichSkillCollection")
        report.count_mapped("RichSkillCollection")
        framework = data.get("name") if isinstance(data.get("name"), str) else None
        skills = data.get("skills", [])
        if not isinstance(skills, list):
            raise InputError(f"{name}: 'skills' of the collection must be a list")
        return [
            s
            for item in skills
            if isinstance(item, dict)
            for s in _osmt_skill(item, name, report, framework)
        ]
    if "@graph" in data or "@context" in data:
        return _ctdl_skills(data, name, report, limits)
    raise InputError(
        f"{name}: not a Rich Skill Descriptor, skill collection or CTDL competency graph"
    )


def _osmt_skill(
    data: dict[str, Any], name: str, report: ImportReport, framework: str | None
) -> list[Skill]:
    report.count_read("RichSkillDescriptor")
    skill_id = data.get("uuid") or data.get("id")
    skill_name = data.get("skillName")
    if (
        not isinstance(skill_id, str)
        or not skill_id
        or not isinstance(skill_name, str)
        or not skill_name.strip()
    ):
        report.skip_record(
            "RichSkillDescriptor", name, str(skill_id or ""), "needs an id/uuid and a skillName"
        )
        return []
    if data.get("status") == "archived" or data.get("archiveDate"):
        report.approximate(name, skill_id, "status", "an archived skill is imported all the same")
    if framework is None:
        collections = data.get("collections")
        if isinstance(collections, list) and collections and isinstance(collections[0], dict):
            first = collections[0].get("name")
            framework = first if isinstance(first, str) else None
            if len(collections) > 1:
                report.approximate(
                    name,
                    skill_id,
                    "collections",
                    f"in {len(collections)} collections: the first is its framework",
                )
    url = data.get("id") if isinstance(data.get("id"), str) else None
    report.count_mapped("RichSkillDescriptor")
    return [Skill(id=skill_id, name=skill_name.strip(), framework=framework, url=url)]


def _ctdl_skills(data: Any, name: str, report: ImportReport, limits: Limits) -> list[Skill]:
    nodes = top_level_nodes(data, name, limits)
    collections = {
        n.id: text_of(n.first("name")) for n in nodes if n.id and "Collection" in n.types
    }
    out = []
    for node in nodes:
        report.count_read(node.type or "(untyped)")
        if "Competency" not in node.types:
            if "Collection" in node.types:
                report.count_mapped(node.type)
            else:
                report.skip_record(
                    node.type or "(untyped)", name, node.id or "", "not a competency"
                )
            continue
        skill = _competency(node, collections)
        if skill is None:
            report.skip_record(node.type, name, node.id or "", "competency without a label or text")
            continue
        report.count_mapped(node.type)
        out.append(skill)
    return out


def _competency(node: Node, collections: dict[str, str]) -> Skill | None:
    label = text_of(node.first("competencyLabel")) or text_of(node.first("competencyText"))
    if not label or not node.id:
        return None
    ctid = CTID.search(node.id)
    containers = [
        v.id if isinstance(v, Ref) else v
        for v in node.values("isMemberOf") + node.values("isPartOf")
    ]
    framework = next(
        (collections[c] for c in containers if isinstance(c, str) and collections.get(c)), None
    )
    return Skill(
        id=ctid.group(0).lower() if ctid else node.id, name=label, framework=framework, url=node.id
    )
