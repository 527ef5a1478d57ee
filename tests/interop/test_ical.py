"""A plan (built by hand with the planner's own types) as iCalendar and as a CTDL pathway."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from pathplanner.catalog import check_catalog_data
from pathplanner.interop.ctdl_export import plan_to_ctdl
from pathplanner.interop.ctdl_import import import_ctdl
from pathplanner.interop.ical import plan_to_ics
from tests.conftest import catalog_dict

planner = pytest.importorskip("pathplanner.graph.planner")


def make_plan() -> object:
    step = planner.PlanStep
    steps = (
        step(
            id="intro",
            start_week=0,
            finish_week=2,
            duration_weeks=2,
            cost=10.0,
            effort_hours=20.0,
            hours_per_week=10.0,
            transferred_credits=0.0,
            reason="needed",
        ),
        step(
            id="cert",
            start_week=3,
            finish_week=8,
            duration_weeks=5,
            cost=100.0,
            effort_hours=50.0,
            hours_per_week=10.0,
            transferred_credits=0.0,
            reason="goal",
        ),
    )
    return planner.Plan(
        request=planner.PlanRequest(goal="cert"),
        status="optimal",
        steps=steps,
        total_cost=110.0,
        finish_week=8,
        start_date=date(2026, 1, 5),
        finish_date=date(2026, 3, 2),
        lower_bound=110.0,
        explanation="",
    )


def catalog() -> object:
    return check_catalog_data(
        catalog_dict(
            [
                {"id": "intro", "name": "Intro; with, specials", "kind": "other", "provider": "p"},
                {
                    "id": "cert",
                    "name": "A certificate with a rather long name that needs folding across lines",
                    "kind": "certificate",
                    "requires": "intro",
                    "start_dates": ["2026-01-26"],
                },
            ],
            providers=[{"id": "p", "name": "Provider", "recognition": "industry"}],
        )
    ).catalog


def test_each_step_is_an_event_and_intakes_are_todos() -> None:
    text = plan_to_ics(make_plan(), catalog(), now=datetime(2026, 1, 1, tzinfo=UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260119" in unfolded
    assert "DTSTART;VALUE=DATE:20260126\r\nDTEND;VALUE=DATE:20260302" in unfolded
    assert "SUMMARY:Intro\\; with\\, specials" in unfolded
    assert "BEGIN:VTODO" in unfolded
    assert "DUE;VALUE=DATE:20260126" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 2
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_uids_are_stable() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert plan_to_ics(make_plan(), catalog(), now=now) == plan_to_ics(
        make_plan(), catalog(), now=now
    )


def test_plan_pathway_exports_to_ctdl_and_reads_back() -> None:
    document = json.loads(json.dumps(plan_to_ctdl(make_plan(), catalog())))
    result = import_ctdl([("plan.json", document)])
    assert result.catalog is not None
    assert {c.id for c in result.catalog.credentials} == {"intro", "cert"}
    assert result.report.pathways[0]["destination"] == "cert"
    assert result.catalog.credential("cert").requires == "intro"
