"""The link between the kept plans of the UI and the store: a saved plan read back as a
:class:`Plan`, and a repository the :class:`PlanBook` calls on every change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from pathplanner.model import Catalog
from pathplanner.ui.plan_book import PlanEntry, new_entry

if TYPE_CHECKING:
    from pathplanner.graph.planner import Plan
    from pathplanner.store import SavedPlan, Store


def plan_from_saved(saved: SavedPlan) -> Plan:
    """The plan exactly as saved, with each step's reason where the store kept it."""
    from pathplanner.graph.planner import Plan, PlanStep  # noqa: PLC0415 (loads SciPy)
    from pathplanner.store.plans import STEP_DETAILS, request_from_json  # noqa: PLC0415

    result: dict[str, Any] = saved.result
    details: dict[str, Any] = result.get(STEP_DETAILS) or {}

    def step_from(step: dict[str, Any]) -> PlanStep:
        weeks = int(step["finish_week"]) - int(step["start_week"])
        detail = details.get(step["id"], {})
        return PlanStep(
            id=step["id"],
            start_week=int(step["start_week"]),
            finish_week=int(step["finish_week"]),
            duration_weeks=int(detail.get("duration_weeks", weeks)),
            cost=float(step["cost"]),
            effort_hours=float(detail.get("effort_hours", float(step["hours_per_week"]) * weeks)),
            hours_per_week=float(step["hours_per_week"]),
            transferred_credits=float(step["transferred_credits"]),
            reason=str(detail.get("reason", "")),
        )

    steps = tuple(step_from(step) for step in result.get("steps", []))
    return Plan(
        request=request_from_json(saved.request),
        status=result["status"],
        steps=steps,
        total_cost=float(result["total_cost"]),
        finish_week=int(result["finish_week"]),
        start_date=date.fromisoformat(result["start_date"]),
        finish_date=date.fromisoformat(result["finish_date"]),
        lower_bound=result.get("lower_bound"),
        explanation=str(result.get("explanation", "")),
    )


def entry_from_saved(saved: SavedPlan) -> PlanEntry:
    summary = saved.summary
    entry = new_entry(summary.name, [plan_from_saved(saved)], 0, summary.learner_name)
    return replace(
        entry,
        notes=saved.advisor_notes,
        approved=summary.status == "approved",
        stale=bool(summary.stale),
        saved_id=saved.id,
        version=saved.version,
    )


class StorePlans:
    """Saves, edits and deletes the book's entries of a learner in the store."""

    def __init__(self, store: Store, catalog: Catalog, source: str = "") -> None:
        self.store = store
        self.catalog = catalog
        self.source = source

    def load(self, learner: str) -> list[PlanEntry]:
        return [
            entry_from_saved(self.store.get_plan(summary.id))
            for summary in self.store.list_plans(learner)
        ]

    def add(self, entry: PlanEntry) -> PlanEntry:
        if entry.learner is None:
            return entry
        from pathplanner.store.plans import save_computed_plan  # noqa: PLC0415 (loads SciPy)

        summary = save_computed_plan(
            self.store,
            entry.learner,
            entry.name,
            self.catalog,
            entry.plan,
            catalog_source=self.source,
        )
        if entry.notes or entry.approved:
            summary = self.store.update_plan(
                summary.id,
                summary.version,
                advisor_notes=entry.notes,
                status="approved" if entry.approved else None,
            )
        return replace(entry, saved_id=summary.id, version=summary.version)

    def update(self, current: PlanEntry, new: PlanEntry) -> PlanEntry:
        if current.saved_id is None or current.version is None:
            return new
        summary = self.store.update_plan(
            current.saved_id,
            current.version,
            name=new.name,
            status="approved" if new.approved else "draft",
            advisor_notes=new.notes,
        )
        return replace(new, saved_id=summary.id, version=summary.version)

    def remove(self, entry: PlanEntry) -> None:
        if entry.saved_id is not None:
            self.store.delete_plan(entry.saved_id, entry.version)
