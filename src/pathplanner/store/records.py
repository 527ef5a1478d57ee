"""What the store hands out: frozen plain values, never live ORM objects (no session leaks)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class HeldCredentialRecord:
    credential_id: str
    earned_on: date | None = None
    evidence: dict[str, Any] | None = None  # e.g. the imported Open Badge document


@dataclass(frozen=True)
class LearnerRecord:
    id: int
    name: str
    contact: str
    notes: str
    created_at: datetime
    updated_at: datetime
    version: int  # pass back as expected_version when editing
    held: tuple[HeldCredentialRecord, ...]


@dataclass(frozen=True)
class CatalogVersionRecord:
    id: int
    name: str
    source: str
    content_hash: str
    imported_at: datetime


@dataclass(frozen=True)
class PlanSummary:
    """One row of the plan list (read without the request and result documents)."""

    id: int
    learner_id: int
    learner_name: str
    name: str
    goal: str
    objective: str
    plan_status: str  # optimal / feasible / infeasible, as computed
    total_cost: float | None
    finish_week: int | None
    step_count: int
    status: str  # draft / shared / approved
    stale: bool | None  # None: never checked against a newer catalogue
    catalog_version_id: int
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class SavedPlan:
    """A plan exactly as saved, with the catalogue version it was computed on."""

    summary: PlanSummary
    request: dict[str, Any]
    result: dict[str, Any]  # Plan.to_json() as computed
    advisor_notes: str
    catalog_version: CatalogVersionRecord
    stale_checked_at: datetime | None

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def version(self) -> int:
        return self.summary.version


@dataclass(frozen=True)
class PlanChangeRecord:
    at: datetime
    who: str
    action: str  # created / updated / deleted / imported
    detail: dict[str, Any]  # changed fields: {"field": [old, new]}
    plan_id: int | None  # None once the plan is deleted
    learner_name: str
    plan_name: str
