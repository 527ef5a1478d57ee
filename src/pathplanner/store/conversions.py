"""ORM rows to the frozen records the store hands out (see :mod:`pathplanner.store.records`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, select

from pathplanner.store import schema
from pathplanner.store.records import (
    CatalogVersionRecord,
    HeldCredentialRecord,
    LearnerRecord,
    PlanChangeRecord,
    PlanSummary,
    SavedPlan,
)


def learner_record(row: schema.Learner) -> LearnerRecord:
    return LearnerRecord(
        id=row.id,
        name=row.name,
        contact=row.contact,
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        held=tuple(
            HeldCredentialRecord(h.credential_id, h.earned_on, h.evidence) for h in row.held
        ),
    )


def catalog_record(row: schema.CatalogVersion) -> CatalogVersionRecord:
    return CatalogVersionRecord(row.id, row.name, row.source, row.content_hash, row.imported_at)


SUMMARY_COLUMNS = (
    schema.Plan.id,
    schema.Plan.learner_id,
    schema.Learner.name,
    schema.Plan.name,
    schema.Plan.goal,
    schema.Plan.objective,
    schema.Plan.plan_status,
    schema.Plan.total_cost,
    schema.Plan.finish_week,
    schema.Plan.step_count,
    schema.Plan.status,
    schema.Plan.stale,
    schema.Plan.catalog_version_id,
    schema.Plan.created_at,
    schema.Plan.updated_at,
    schema.Plan.version,
)


def summary_query() -> Select[*tuple[Any, ...]]:
    """The plan list's columns: no JSON documents are read."""
    return select(*SUMMARY_COLUMNS).join(
        schema.Learner, schema.Plan.learner_id == schema.Learner.id
    )


def summary_from_row(row: Row[Any]) -> PlanSummary:
    values: tuple[Any, ...] = tuple(row)  # the columns of SUMMARY_COLUMNS, in order
    return PlanSummary(*values)


def plan_summary(plan: schema.Plan) -> PlanSummary:
    return PlanSummary(
        id=plan.id,
        learner_id=plan.learner_id,
        learner_name=plan.learner.name,
        name=plan.name,
        goal=plan.goal,
        objective=plan.objective,
        plan_status=plan.plan_status,
        total_cost=plan.total_cost,
        finish_week=plan.finish_week,
        step_count=plan.step_count,
        status=plan.status,
        stale=plan.stale,
        catalog_version_id=plan.catalog_version_id,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
        version=plan.version,
    )


def saved_plan(plan: schema.Plan) -> SavedPlan:
    return SavedPlan(
        summary=plan_summary(plan),
        request=plan.request,
        result=plan.result,
        advisor_notes=plan.advisor_notes,
        catalog_version=catalog_record(plan.catalog_version),
        stale_checked_at=plan.stale_checked_at,
    )


def change_record(row: schema.PlanChange) -> PlanChangeRecord:
    return PlanChangeRecord(
        at=row.at,
        who=row.who,
        action=row.action,
        detail=row.detail,
        plan_id=row.plan_id,
        learner_name=row.learner_name,
        plan_name=row.plan_name,
    )
