"""The store's service: every user action is one short transaction opened here.

The UI and the CLI call :class:`Store` methods and get frozen records back; they never see a
session. Edits carry the ``version`` the caller read: if someone else saved in between, the
edit raises :class:`ConcurrentEditError` instead of overwriting their work.
"""

from __future__ import annotations

import getpass
import hashlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session, selectinload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from pathplanner import paths
from pathplanner.catalog import catalog_to_json, parse_catalog
from pathplanner.model import Catalog
from pathplanner.store import schema
from pathplanner.store.conversions import (
    catalog_record,
    change_record,
    learner_record,
    plan_summary,
    saved_plan,
    summary_from_row,
    summary_query,
)
from pathplanner.store.database import WRITE_OPTION, make_engine, sqlite_file
from pathplanner.store.errors import (
    ConcurrentEditError,
    CorruptStoreError,
    DuplicateError,
    NotFoundError,
    StoreError,
)
from pathplanner.store.migrate import MigrationOutcome, ensure_schema
from pathplanner.store.records import (
    CatalogVersionRecord,
    LearnerRecord,
    PlanChangeRecord,
    PlanSummary,
    SavedPlan,
)
from pathplanner.store.staleness import Replan, is_stale

LearnerKey = int | str  # a learner's id, or their (unique) name
_Row = TypeVar("_Row", bound=schema.Base)
_Versioned = TypeVar("_Versioned", schema.Learner, schema.Plan)


def content_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (e.g. a container without passwd entry)
        return "unknown"


class Store:
    """A pathplanner store (SQLite file or PostgreSQL database), migrated and ready."""

    def __init__(self, engine: Engine, *, actor: str | None = None) -> None:
        self.engine = engine
        self.actor = actor or _default_actor()  # recorded as "who" in the plan history
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._catalogs: dict[int, Catalog] = {}  # versions never change: cache them
        self.migration: MigrationOutcome | None = None

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        actor: str | None = None,
        backup_dir: Path | None = None,
    ) -> Store:
        """Open (creating or migrating as needed) the store at ``url``.

        ``url`` None means ``PATHPLANNER_DB`` or the default file. Raises
        :class:`CorruptStoreError` for a file that is not a healthy store (left untouched) and
        :class:`NewerSchemaError` for a store written by a newer pathplanner.
        """
        engine = make_engine(url or paths.database_url())
        try:
            outcome = ensure_schema(engine, backup_dir or paths.backups_dir())
        except DatabaseError as exc:
            engine.dispose()
            database = sqlite_file(engine.url)
            if database is None:  # a server: most likely unreachable or access refused
                where = engine.url.render_as_string(hide_password=True)
                raise StoreError(f"{where}: cannot open the store: {exc.orig}") from exc
            raise CorruptStoreError(
                f"{database}: cannot be opened as a pathplanner store ({exc.orig}). "
                "It was not changed"
            ) from exc
        except BaseException:
            engine.dispose()
            raise
        store = cls(engine, actor=actor)
        store.migration = outcome
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction, committed on success and rolled back on any error.

        For the store's own modules (export/import): callers outside ``pathplanner.store``
        use the methods below. Write transactions take SQLite's write lock up front.
        """
        with (self._write if write else self._read).begin() as session:
            yield session

    # -- learners -------------------------------------------------------------------------

    def add_learner(self, name: str, *, contact: str = "", notes: str = "") -> LearnerRecord:
        name = _clean_name(name, "learner")
        try:
            with self.transaction(write=True) as session:
                learner = schema.Learner(name=name, contact=contact, notes=notes)
                session.add(learner)
                session.flush()
                return learner_record(learner)
        except IntegrityError:
            raise DuplicateError(f"a learner named {name!r} already exists") from None

    def list_learners(self) -> list[LearnerRecord]:
        with self.transaction() as session:
            learners = session.scalars(
                select(schema.Learner)
                .options(selectinload(schema.Learner.held))
                .order_by(schema.Learner.name)
            )
            return [learner_record(learner) for learner in learners]

    def get_learner(self, learner: LearnerKey) -> LearnerRecord:
        with self.transaction() as session:
            return learner_record(_find_learner(session, learner))

    def update_learner(
        self,
        learner_id: int,
        expected_version: int,
        *,
        name: str | None = None,
        contact: str | None = None,
        notes: str | None = None,
    ) -> LearnerRecord:
        try:
            with self.transaction(write=True) as session:
                learner = _locked(session, schema.Learner, learner_id, expected_version, "learner")
                if name is not None:
                    learner.name = _clean_name(name, "learner")
                if contact is not None:
                    learner.contact = contact
                if notes is not None:
                    learner.notes = notes
                learner.updated_at = schema.utc_now()
                session.flush()
                return learner_record(learner)
        except StaleDataError:
            raise _concurrent(f"learner {learner_id}", expected_version) from None
        except IntegrityError:
            raise DuplicateError(f"a learner named {name!r} already exists") from None

    def delete_learner(self, learner_id: int, expected_version: int) -> None:
        """Delete a learner with their held credentials and plans (their history stays)."""
        try:
            with self.transaction(write=True) as session:
                learner = _locked(session, schema.Learner, learner_id, expected_version, "learner")
                plans = session.scalars(
                    select(schema.Plan).where(schema.Plan.learner_id == learner.id)
                )
                for plan in plans:
                    self._record(session, plan, "deleted", {})
                session.delete(learner)
        except StaleDataError:
            raise _concurrent(f"learner {learner_id}", expected_version) from None

    def set_held_credential(
        self,
        learner: LearnerKey,
        credential_id: str,
        *,
        earned_on: date | None = None,
        evidence: Mapping[str, Any] | None = None,
    ) -> LearnerRecord:
        """Record (or replace) a credential the learner holds."""
        with self.transaction(write=True) as session:
            row = _find_learner(session, learner)
            held = next((h for h in row.held if h.credential_id == credential_id), None)
            if held is None:
                held = schema.HeldCredential(credential_id=_clean_name(credential_id, "credential"))
                row.held.append(held)
            held.earned_on = earned_on
            held.evidence = dict(evidence) if evidence is not None else None
            row.updated_at = schema.utc_now()  # an edit of the learner: bumps its version
            session.flush()
            return learner_record(row)

    def remove_held_credential(self, learner: LearnerKey, credential_id: str) -> LearnerRecord:
        with self.transaction(write=True) as session:
            row = _find_learner(session, learner)
            held = next((h for h in row.held if h.credential_id == credential_id), None)
            if held is None:
                raise NotFoundError(f"learner {row.name!r} does not hold {credential_id!r}")
            row.held.remove(held)
            row.updated_at = schema.utc_now()
            session.flush()
            return learner_record(row)

    # -- catalogue versions ---------------------------------------------------------------

    def add_catalog_version(
        self, catalog: Catalog, *, source: str = "", name: str | None = None
    ) -> CatalogVersionRecord:
        """Keep this catalogue content (stored once per content hash) and return its version."""
        content = catalog_to_json(catalog)
        digest = content_hash(content)
        with self.transaction() as session:
            existing = session.scalar(
                select(schema.CatalogVersion).where(schema.CatalogVersion.content_hash == digest)
            )
            if existing is not None:
                return catalog_record(existing)
        try:
            with self.transaction(write=True) as session:
                row = schema.CatalogVersion(
                    name=name or catalog.name, source=source, content_hash=digest, content=content
                )
                session.add(row)
                session.flush()
                return catalog_record(row)
        except IntegrityError:  # another window stored the same content just now
            with self.transaction() as session:
                row = session.scalars(
                    select(schema.CatalogVersion).where(
                        schema.CatalogVersion.content_hash == digest
                    )
                ).one()
                return catalog_record(row)

    def list_catalog_versions(self) -> list[CatalogVersionRecord]:
        with self.transaction() as session:
            rows = session.scalars(select(schema.CatalogVersion).order_by(schema.CatalogVersion.id))
            return [catalog_record(row) for row in rows]

    def catalog_content(self, version_id: int) -> str:
        """The catalogue document (format v1 JSON text) of a version, byte for byte."""
        with self.transaction() as session:
            row = session.get(schema.CatalogVersion, version_id)
            if row is None:
                raise NotFoundError(f"no catalogue version {version_id}")
            return row.content

    def catalog(self, version_id: int) -> Catalog:
        """The catalogue exactly as it was when this version was stored."""
        cached = self._catalogs.get(version_id)
        if cached is not None:
            return cached
        content = self.catalog_content(version_id)
        catalog = parse_catalog(content, f"catalogue version {version_id}").catalog
        self._catalogs[version_id] = catalog
        return catalog

    # -- plans ----------------------------------------------------------------------------

    def save_plan(
        self,
        learner: LearnerKey,
        name: str,
        *,
        catalog_version_id: int,
        request: Mapping[str, Any],
        result: Mapping[str, Any],
        status: str = "draft",
        advisor_notes: str = "",
    ) -> PlanSummary:
        """Save a newly computed plan (``result`` is ``Plan.to_json()``) under a new name."""
        name = _clean_name(name, "plan")
        _check_status(status)
        try:
            with self.transaction(write=True) as session:
                owner = _find_learner(session, learner)
                if session.get(schema.CatalogVersion, catalog_version_id) is None:
                    raise NotFoundError(f"no catalogue version {catalog_version_id}")
                plan = schema.Plan(
                    learner=owner,
                    name=name,
                    catalog_version_id=catalog_version_id,
                    status=status,
                    advisor_notes=advisor_notes,
                )
                set_result(plan, request, result)
                session.add(plan)
                session.flush()
                self._record(session, plan, "created", {})
                return plan_summary(plan)
        except IntegrityError:
            raise DuplicateError(
                f"learner {learner!r} already has a plan named {name!r}: choose another name "
                "or delete the old plan first"
            ) from None

    def update_plan(
        self,
        plan_id: int,
        expected_version: int,
        *,
        name: str | None = None,
        status: str | None = None,
        advisor_notes: str | None = None,
        recomputed: tuple[int, Mapping[str, Any], Mapping[str, Any]] | None = None,
    ) -> PlanSummary:
        """Edit a plan read at ``expected_version``; ``recomputed`` is (catalogue version id,
        request, result) for a plan computed again. Raises :class:`ConcurrentEditError`."""
        try:
            with self.transaction(write=True) as session:
                plan = _locked(session, schema.Plan, plan_id, expected_version, "plan")
                changes: dict[str, Any] = {}
                if name is not None and name != plan.name:
                    changes["name"] = [plan.name, _clean_name(name, "plan")]
                    plan.name = changes["name"][1]
                if status is not None and status != plan.status:
                    _check_status(status)
                    changes["status"] = [plan.status, status]
                    plan.status = status
                if advisor_notes is not None and advisor_notes != plan.advisor_notes:
                    changes["advisor_notes"] = [plan.advisor_notes, advisor_notes]
                    plan.advisor_notes = advisor_notes
                if recomputed is not None:
                    version_id, request, result = recomputed
                    if session.get(schema.CatalogVersion, version_id) is None:
                        raise NotFoundError(f"no catalogue version {version_id}")
                    changes["result"] = [plan.result, dict(result)]
                    if dict(request) != plan.request:
                        changes["request"] = [plan.request, dict(request)]
                    if version_id != plan.catalog_version_id:
                        changes["catalog_version_id"] = [plan.catalog_version_id, version_id]
                    plan.catalog_version_id = version_id
                    set_result(plan, request, result)
                    plan.stale, plan.stale_checked_at = None, None
                if changes:
                    plan.updated_at = schema.utc_now()
                    session.flush()
                    self._record(session, plan, "updated", changes)
                return plan_summary(plan)
        except StaleDataError:
            raise _concurrent(f"plan {plan_id}", expected_version) from None
        except IntegrityError:
            raise DuplicateError(f"the learner already has a plan named {name!r}") from None

    def delete_plan(self, plan_id: int, expected_version: int | None = None) -> None:
        """Delete a plan (its history stays); with ``expected_version``, only if unchanged."""
        try:
            with self.transaction(write=True) as session:
                plan = (
                    _locked(session, schema.Plan, plan_id, expected_version, "plan")
                    if expected_version is not None
                    else _get(session, schema.Plan, plan_id, "plan")
                )
                self._record(session, plan, "deleted", {})
                session.delete(plan)
        except StaleDataError:
            raise _concurrent(f"plan {plan_id}", expected_version) from None

    def list_plans(self, learner: LearnerKey | None = None) -> list[PlanSummary]:
        """Plan summaries, most recently changed first (the documents are not read)."""
        query = summary_query().order_by(schema.Plan.updated_at.desc(), schema.Plan.id.desc())
        with self.transaction() as session:
            if learner is not None:
                query = query.where(schema.Plan.learner_id == _find_learner(session, learner).id)
            # Core rows, not ORM loading: a third faster for thousands of plans.
            rows = session.connection().execute(query)
            return [summary_from_row(row) for row in rows]

    def get_plan(self, plan_id: int) -> SavedPlan:
        with self.transaction() as session:
            return saved_plan(_get(session, schema.Plan, plan_id, "plan"))

    def find_plan(self, learner: LearnerKey, name: str) -> SavedPlan:
        with self.transaction() as session:
            owner = _find_learner(session, learner)
            plan = session.scalar(
                select(schema.Plan).where(
                    schema.Plan.learner_id == owner.id, schema.Plan.name == name
                )
            )
            if plan is None:
                raise NotFoundError(f"learner {owner.name!r} has no plan named {name!r}")
            return saved_plan(plan)

    def plan_history(self, plan_id: int) -> list[PlanChangeRecord]:
        with self.transaction() as session:
            changes = session.scalars(
                select(schema.PlanChange)
                .where(schema.PlanChange.plan_id == plan_id)
                .order_by(schema.PlanChange.id)
            )
            return [change_record(change) for change in changes]

    def history(self, learner_name: str | None = None) -> list[PlanChangeRecord]:
        """Every recorded plan change, oldest first, including those of deleted plans."""
        query = select(schema.PlanChange).order_by(schema.PlanChange.id)
        if learner_name is not None:
            query = query.where(schema.PlanChange.learner_name == learner_name)
        with self.transaction() as session:
            return [change_record(change) for change in session.scalars(query)]

    def check_stale(
        self,
        plan_id: int,
        current_catalog: Catalog,
        replan: Replan,
        *,
        cancel: Callable[[], bool] | None = None,
    ) -> bool:
        """Re-plan a saved plan on ``current_catalog`` and record whether the answer changed.

        ``replan(catalog, request)`` returns the new ``Plan.to_json()``; it runs outside any
        transaction (planning can take seconds). The flag is written without bumping the
        plan's version, so it never conflicts with an advisor's edit.
        """
        saved = self.get_plan(plan_id)
        replanned = replan(current_catalog, saved.request)
        if cancel is not None and cancel():
            return bool(saved.summary.stale)
        stale = is_stale(saved.result, replanned)
        with self.transaction(write=True) as session:
            session.execute(
                update(schema.Plan)
                .where(schema.Plan.id == plan_id)
                .values(stale=stale, stale_checked_at=schema.utc_now())
                .execution_options(synchronize_session=False)
            )
        return stale

    # -- history --------------------------------------------------------------------------

    def _record(
        self, session: Session, plan: schema.Plan, action: str, detail: dict[str, Any]
    ) -> None:
        session.add(
            schema.PlanChange(
                plan_id=plan.id if action != "deleted" else None,
                learner_name=plan.learner.name,
                plan_name=plan.name,
                who=self.actor,
                action=action,
                detail=detail,
            )
        )
        if action == "deleted":  # the plan's earlier entries outlive it, unlinked
            session.execute(
                update(schema.PlanChange)
                .where(schema.PlanChange.plan_id == plan.id)
                .values(plan_id=None)
                .execution_options(synchronize_session=False)
            )

    def clear(self) -> None:
        """Delete everything (used by ``import-all --replace``; one transaction)."""
        with self.transaction(write=True) as session:
            clear_all(session)


def clear_all(session: Session) -> None:
    """Delete every row of the store (inside the caller's transaction)."""
    for table in (
        schema.PlanChange,
        schema.Plan,
        schema.HeldCredential,
        schema.Learner,
        schema.CatalogVersion,
    ):
        session.execute(delete(table))


# -- helpers ----------------------------------------------------------------------------


def _clean_name(name: str, what: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise StoreError(f"a {what} name cannot be empty")
    if len(cleaned) > 200:
        raise StoreError(f"{what} name is {len(cleaned)} characters long; at most 200")
    return cleaned


def _check_status(status: str) -> None:
    if status not in schema.PLAN_STATUSES:
        raise StoreError(f"plan status {status!r} is not one of {', '.join(schema.PLAN_STATUSES)}")


def _concurrent(what: str, expected_version: int | None) -> ConcurrentEditError:
    return ConcurrentEditError(what, expected_version, None)


def _get(session: Session, model: type[_Row], row_id: int, what: str) -> _Row:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"no {what} with id {row_id}")
    return row


def _locked(
    session: Session,
    model: type[_Versioned],
    row_id: int,
    expected_version: int | None,
    what: str,
) -> _Versioned:
    """The row, provided it is still at the version the caller read."""
    row = session.get(model, row_id)
    if row is None:
        raise ConcurrentEditError(f"{what} {row_id}", expected_version, None)
    if row.version != expected_version:
        raise ConcurrentEditError(f"{what} {row_id}", expected_version, row.version)
    return row


def _find_learner(session: Session, key: LearnerKey) -> schema.Learner:
    if isinstance(key, int):
        learner = session.get(schema.Learner, key)
    else:
        learner = session.scalar(select(schema.Learner).where(schema.Learner.name == key))
    if learner is None:
        label = f"id {key}" if isinstance(key, int) else f"named {key!r}"
        raise NotFoundError(f"no learner {label}")
    return learner


def set_result(plan: schema.Plan, request: Mapping[str, Any], result: Mapping[str, Any]) -> None:
    """Store a computed plan and copy the columns the plan list shows out of it."""
    plan.request = dict(request)
    plan.result = dict(result)
    goal = result.get("goal", request.get("goal"))
    plan.goal = ", ".join(goal) if isinstance(goal, list) else str(goal or "")
    plan.objective = str(result.get("objective", request.get("objective", "cost")))
    plan.plan_status = str(result.get("status", ""))
    total = result.get("total_cost")
    plan.total_cost = float(total) if isinstance(total, int | float) else None
    finish = result.get("finish_week")
    plan.finish_week = int(finish) if isinstance(finish, int) else None
    steps = result.get("steps")
    plan.step_count = len(steps) if isinstance(steps, list) else 0
