"""``export-all`` / ``import-all``: the whole store as one JSON document, to back up or move.

Records refer to each other by natural keys (catalogue content hash, learner name, plan name),
never by database ids, so a file imports into any store, SQLite or PostgreSQL. Import runs in
one transaction: it restores everything or nothing.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pathplanner.catalog import write_text_atomic
from pathplanner.store import schema
from pathplanner.store.errors import StoreImportError
from pathplanner.store.migrate import HEAD_REVISION
from pathplanner.store.service import Store, clear_all, content_hash, set_result

EXPORT_FORMAT = "pathplanner-store-export"
EXPORT_VERSION = 1


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogVersionEntry(_Entry):
    name: str
    source: str
    content_hash: str
    imported_at: datetime
    content: str  # the catalogue document, byte for byte as stored


class HeldEntry(_Entry):
    credential_id: str
    earned_on: date | None = None
    evidence: dict[str, Any] | None = None


class LearnerEntry(_Entry):
    name: str
    contact: str = ""
    notes: str = ""
    created_at: datetime
    updated_at: datetime
    held: list[HeldEntry] = []


class PlanEntry(_Entry):
    learner: str
    name: str
    catalog_content_hash: str
    request: dict[str, Any]
    result: dict[str, Any]
    status: Literal["draft", "shared", "approved"] = "draft"
    advisor_notes: str = ""
    stale: bool | None = None
    stale_checked_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class ChangeEntry(_Entry):
    learner_name: str
    plan_name: str
    linked: bool  # False: the plan it describes has been deleted
    at: datetime
    who: str
    action: str
    detail: dict[str, Any]


class StoreExport(_Entry):
    format: Literal["pathplanner-store-export"]
    version: Literal[1]
    schema_revision: str
    exported_at: datetime
    catalog_versions: list[CatalogVersionEntry]
    learners: list[LearnerEntry]
    plans: list[PlanEntry]
    history: list[ChangeEntry]


def export_all(store: Store) -> StoreExport:
    """Everything in the store, read in one transaction (a consistent snapshot)."""
    with store.transaction() as session:
        versions = session.scalars(select(schema.CatalogVersion).order_by(schema.CatalogVersion.id))
        catalog_entries = [
            CatalogVersionEntry(
                name=v.name,
                source=v.source,
                content_hash=v.content_hash,
                imported_at=v.imported_at,
                content=v.content,
            )
            for v in versions
        ]
        hashes = {v.id: v.content_hash for v in session.scalars(select(schema.CatalogVersion))}
        learners = session.scalars(
            select(schema.Learner)
            .options(selectinload(schema.Learner.held))
            .order_by(schema.Learner.id)
        )
        learner_entries = [
            LearnerEntry(
                name=learner.name,
                contact=learner.contact,
                notes=learner.notes,
                created_at=learner.created_at,
                updated_at=learner.updated_at,
                held=[
                    HeldEntry(
                        credential_id=h.credential_id, earned_on=h.earned_on, evidence=h.evidence
                    )
                    for h in learner.held
                ],
            )
            for learner in learners
        ]
        plans = session.scalars(
            select(schema.Plan).options(selectinload(schema.Plan.learner)).order_by(schema.Plan.id)
        )
        plan_entries = [
            PlanEntry(
                learner=plan.learner.name,
                name=plan.name,
                catalog_content_hash=hashes[plan.catalog_version_id],
                request=plan.request,
                result=plan.result,
                status=plan.status,
                advisor_notes=plan.advisor_notes,
                stale=plan.stale,
                stale_checked_at=plan.stale_checked_at,
                created_at=plan.created_at,
                updated_at=plan.updated_at,
            )
            for plan in plans
        ]
        changes = session.scalars(select(schema.PlanChange).order_by(schema.PlanChange.id))
        change_entries = [
            ChangeEntry(
                learner_name=c.learner_name,
                plan_name=c.plan_name,
                linked=c.plan_id is not None,
                at=c.at,
                who=c.who,
                action=c.action,
                detail=c.detail,
            )
            for c in changes
        ]
    return StoreExport(
        format=EXPORT_FORMAT,
        version=EXPORT_VERSION,
        schema_revision=HEAD_REVISION,
        exported_at=schema.utc_now(),
        catalog_versions=catalog_entries,
        learners=learner_entries,
        plans=plan_entries,
        history=change_entries,
    )


def export_all_to_file(store: Store, path: Path) -> StoreExport:
    """Write the export atomically: an existing file is replaced only by a complete one."""
    document = export_all(store)
    write_text_atomic(path, document.model_dump_json(indent=2) + "\n")
    return document


def read_export_file(path: Path) -> StoreExport:
    """Read and check an export file; errors name the file, the entry and the field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StoreImportError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise StoreImportError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreImportError(
            f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return parse_export(data, str(path))


def parse_export(data: Any, file_name: str = "<export>") -> StoreExport:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise StoreImportError(f"{file_name}: not a pathplanner export (format {EXPORT_FORMAT!r})")
    try:
        return StoreExport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _location(first["loc"])
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise StoreImportError(f"{file_name}: {where}: {first['msg']}{more}") from None


def import_all(store: Store, document: StoreExport, *, replace: bool = False) -> dict[str, int]:
    """Restore an export into ``store`` in one transaction; returns how many of each were added.

    The store must be empty unless ``replace`` is given, which deletes everything first (in the
    same transaction, so a failed import leaves the store as it was).
    """
    _check_links(document)
    with store.transaction(write=True) as session:
        if replace:
            clear_all(session)
        elif _count(session) > 0:
            raise StoreImportError(
                "the store is not empty: import into a new store (--db) or use --replace"
            )
        _insert(session, document)
    return {
        "catalog_versions": len(document.catalog_versions),
        "learners": len(document.learners),
        "plans": len(document.plans),
        "history": len(document.history),
    }


def _count(session: Session) -> int:
    total = 0
    for model in (schema.CatalogVersion, schema.Learner, schema.Plan, schema.PlanChange):
        total += session.scalar(select(func.count()).select_from(model)) or 0
    return total


def _check_links(document: StoreExport) -> None:
    hashes = set()
    for index, version in enumerate(document.catalog_versions):
        if content_hash(version.content) != version.content_hash:
            raise StoreImportError(
                f"catalog_versions[{index}] ({version.name}): content does not match its "
                "content_hash (the file was altered or damaged)"
            )
        hashes.add(version.content_hash)
    names = set()
    for index, learner in enumerate(document.learners):
        if learner.name in names:
            raise StoreImportError(f"learners[{index}]: learner {learner.name!r} appears twice")
        names.add(learner.name)
    plan_keys = set()
    for index, plan in enumerate(document.plans):
        if plan.learner not in names:
            raise StoreImportError(
                f"plans[{index}] ({plan.name}): field 'learner': no learner {plan.learner!r}"
            )
        if plan.catalog_content_hash not in hashes:
            raise StoreImportError(
                f"plans[{index}] ({plan.name}): field 'catalog_content_hash': no catalogue "
                "version with that hash in the file"
            )
        if (plan.learner, plan.name) in plan_keys:
            raise StoreImportError(f"plans[{index}]: plan {plan.name!r} of {plan.learner!r} twice")
        plan_keys.add((plan.learner, plan.name))


def _insert(session: Session, document: StoreExport) -> None:
    versions = {}
    for entry in document.catalog_versions:
        version = schema.CatalogVersion(**entry.model_dump())
        session.add(version)
        versions[entry.content_hash] = version
    learners = {}
    for learner_entry in document.learners:
        learner = schema.Learner(
            **learner_entry.model_dump(exclude={"held"}),
            held=[schema.HeldCredential(**h.model_dump()) for h in learner_entry.held],
        )
        session.add(learner)
        learners[learner_entry.name] = learner
    session.flush()
    plans = {}
    for plan_entry in document.plans:
        plan = schema.Plan(
            learner=learners[plan_entry.learner],
            catalog_version_id=versions[plan_entry.catalog_content_hash].id,
            **plan_entry.model_dump(
                exclude={"learner", "catalog_content_hash", "request", "result"}
            ),
        )
        set_result(plan, plan_entry.request, plan_entry.result)
        session.add(plan)
        plans[(plan_entry.learner, plan_entry.name)] = plan
    session.flush()
    for change in document.history:
        linked = plans.get((change.learner_name, change.plan_name)) if change.linked else None
        session.add(
            schema.PlanChange(
                plan_id=linked.id if linked is not None else None,
                **change.model_dump(exclude={"linked"}),
            )
        )


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]" if parts else f"[{part}]"
        else:
            parts.append(part)
    if not parts:
        return "document"
    return f"{parts[0]}: field '{'.'.join(parts[1:])}'" if len(parts) > 1 else parts[0]
