"""The analysis service: options, progress, cancel, overlays and the JSON report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pathplanner.analysis_service import (
    AnalysisError,
    AnalysisOptions,
    run_analysis,
    write_report_json,
)
from pathplanner.catalog import bundled_catalog_path, load_catalog
from pathplanner.graph import gaps
from pathplanner.graph.findings import FindingKind, FindingSeverity
from pathplanner.graph.metrics import AnalysisCancelledError
from tests.analysis.helpers import cred, make, unchecked


def catalogue() -> list[dict[str, object]]:
    return [
        cred("c", credits=10, cost=100),
        cred("lonely", "badge"),
        cred(
            "deg",
            "bachelor",
            requires="c",
            credits_required=30,
            per_credit={"price": 20},
        ),
        cred("dip", "diploma", requires="c", cost=50),
    ]


def test_full_analysis_with_routes() -> None:
    seen: list[tuple[float, str]] = []
    report = run_analysis(
        make(catalogue()),
        AnalysisOptions(budget=600),
        progress=lambda fraction, message: seen.append((fraction, message)),
    )
    assert report.goals == ("deg", "dip")
    kinds = {(f.kind, f.credentials) for f in report.findings}
    assert (FindingKind.OVER_BUDGET, ("deg", "c")) in kinds
    assert (FindingKind.MISSING_BRIDGE, ("deg", "c")) in kinds
    assert (FindingKind.DEAD_END, ("lonely",)) in kinds
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert seen[-1] == (1.0, "done")
    assert report.metrics is not None
    assert report.metric_overlay("blocking") == {"c": 2, "lonely": 0, "deg": 0, "dip": 0}
    assert report.notes == ()


def test_finding_overlay_keeps_the_most_severe() -> None:
    report = run_analysis(make(catalogue()), AnalysisOptions(budget=600))
    overlay = report.finding_overlay()
    assert overlay["lonely"] is FindingSeverity.WARNING
    assert overlay["deg"] is FindingSeverity.WARNING  # over budget beats the info bridge
    bridges_only = report.finding_overlay([FindingKind.MISSING_BRIDGE])
    assert bridges_only == {"deg": FindingSeverity.INFO, "c": FindingSeverity.INFO}
    assert [f.kind for f in report.for_credential("lonely")] == [FindingKind.DEAD_END]
    assert report.by_kind(FindingKind.OVER_BUDGET)[0].numbers["cheapest_cost"] == 700


def test_route_planning_can_be_turned_off_or_limited() -> None:
    off = run_analysis(make(catalogue()), AnalysisOptions(plan_routes=False, budget=1))
    assert not off.by_kind(FindingKind.OVER_BUDGET)
    assert off.notes == ("missing bridges and budget not analysed (route planning turned off)",)
    limited = run_analysis(make(catalogue()), AnalysisOptions(max_planned_goals=1, budget=1))
    assert limited.notes[0] == (
        "routes planned for the first 1 of 2 goals (give goals explicitly to plan others)"
    )
    assert [f.credentials[0] for f in limited.by_kind(FindingKind.OVER_BUDGET)] == ["deg"]


def test_cancel_and_bad_goals() -> None:
    calls = iter([False, False, True])
    with pytest.raises(AnalysisCancelledError):
        run_analysis(make(catalogue()), cancel=lambda: next(calls, True))
    with pytest.raises(AnalysisError, match="unknown goal credential 'nope'"):
        run_analysis(make(catalogue()), AnalysisOptions(goals=("nope",)))


def test_a_cyclic_catalogue_is_reported_not_measured() -> None:
    catalog = unchecked([cred("a", requires="b"), cred("b", "diploma", requires="a")])
    report = run_analysis(catalog)
    assert report.metrics is None
    assert [f.kind for f in report.findings][:1] == [FindingKind.CYCLE]
    assert (
        report.notes[0] == "metrics not computed: the prerequisite graph has a cycle through a, b"
    )
    assert report.notes[1].startswith(
        "missing bridges and budget not analysed: the catalogue has 1 error (first: "
        "credential 'a' (credentials[0]): cycle"
    )
    assert report.metric_overlay("delay") == {}


def test_json_report_round_trip(tmp_path: Path) -> None:
    report = run_analysis(make(catalogue()), AnalysisOptions(plan_routes=False))
    path = tmp_path / "report.json"
    write_report_json(report, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "pathplanner-analysis"
    assert data["version"] == 1
    assert data["summary"] == report.summary()
    assert data["options"]["plan_routes"] is False
    assert data["findings"][0].keys() == {
        "kind",
        "category",
        "severity",
        "credentials",
        "message",
        "numbers",
    }
    assert data["metrics"]["totals"] == report.metrics.to_json()["totals"]  # type: ignore[union-attr]


def test_an_edited_catalogue_with_unknown_ids_is_analysed_without_routes() -> None:
    catalog = unchecked(
        [
            cred("a", credits=3),
            cred("e", "diploma", requires="a", credits_required=5, transfer=["ghost", "a"]),
        ]
    )
    report = run_analysis(catalog, AnalysisOptions(budget=0))
    assert report.metrics is not None
    assert report.notes == (
        "missing bridges and budget not analysed: the catalogue has 1 error (first: "
        "credential 'e' (credentials[1]): unknown credential 'ghost')",
    )


def test_goals_without_a_route_are_named_in_the_notes() -> None:
    # Requirements are met, but the only intake is long past: the planner finds no route.
    catalog = make([cred("a"), cred("dip", "diploma", requires="a", start_dates=["2020-01-06"])])
    report = run_analysis(catalog, AnalysisOptions(budget=0))
    assert report.notes == ("no route found for 1 goal (infeasible, or not within 0.5 s): dip",)
    assert not report.by_kind(FindingKind.OVER_BUDGET)


def test_the_bundled_catalogue_gets_routes_for_every_qualification_by_default() -> None:
    catalog = load_catalog(bundled_catalog_path()).catalog
    report = run_analysis(catalog)
    assert list(report.goals) == gaps.default_goals(catalog)
    assert len(report.goals) > 20  # the old cap left the last one out
    assert not [note for note in report.notes if note.startswith("routes planned for the first")]
