"""The program-designer analysis as one cancellable service call, and its JSON report.

:func:`run_analysis` runs every gap finding and the complexity metrics on a catalogue, reports
progress (fraction, message) and polls ``cancel`` between steps and inside the planner, so the
UI can run it off the GUI thread. The :class:`AnalysisReport` is the data behind the Gaps panel,
the graph overlays and the exported report (JSON here; the UI renders the PDF from it).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pathplanner.catalog import Severity, check_references, write_text_atomic
from pathplanner.graph import bridges, gaps
from pathplanner.graph.bridges import BridgeSettings
from pathplanner.graph.findings import Finding, FindingKind, FindingSeverity
from pathplanner.graph.metrics import (
    AnalysisCancelledError,
    CurriculumMetrics,
    MetricName,
    MetricsError,
    catalog_metrics,
)
from pathplanner.graph.planner import PlanningCancelled
from pathplanner.graph.reachability import (
    LearnerFilters,
    dependents_index,
    filtered_reachable,
    reachable_from_zero,
)
from pathplanner.model import Catalog

REPORT_FORMAT = "pathplanner-analysis"
REPORT_VERSION = 1

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]

_SEVERITY_RANK = {FindingSeverity.INFO: 0, FindingSeverity.WARNING: 1, FindingSeverity.ERROR: 2}


class AnalysisError(ValueError):
    """Bad options (an unknown goal id): the message names the value."""


@dataclass(frozen=True)
class AnalysisOptions:
    goals: tuple[str, ...] = ()  # empty: every qualification (gaps.default_goals)
    filters: LearnerFilters = field(default_factory=LearnerFilters)
    budget: float | None = None
    hours_per_week: float | None = None
    overlap_threshold: float = 0.6
    overlap_min_skills: int = 2
    metrics_goal: str | None = None  # None: metrics of the whole catalogue
    metrics_include_transfer: bool = False
    plan_routes: bool = True  # missing bridges and budget need the planner
    # Routes are planned for at most this many of the default goals (goals given explicitly
    # are all planned): every qualification of a catalogue the size of the bundled one (21),
    # and a quick first look at a large one (30 of 1,273 at 10,000 credentials: 2.6 s).
    max_planned_goals: int = 30
    planner_time_limit: float = 0.5  # seconds per planner call
    planning_seconds: float = 10.0  # for all planner calls together
    bridge_settings: BridgeSettings = field(default_factory=BridgeSettings)

    def to_json(self) -> dict[str, Any]:
        f = self.filters
        return {
            "goals": list(self.goals),
            "filters": {
                "delivery": sorted(d.value for d in f.delivery) if f.delivery else None,
                "exclude_providers": sorted(f.exclude_providers),
                "exclude": sorted(f.exclude),
                "min_recognition": f.min_recognition.value if f.min_recognition else None,
            },
            "budget": self.budget,
            "hours_per_week": self.hours_per_week,
            "overlap_threshold": self.overlap_threshold,
            "metrics_goal": self.metrics_goal,
            "plan_routes": self.plan_routes,
        }


@dataclass(frozen=True)
class AnalysisReport:
    catalog_name: str
    currency: str
    options: AnalysisOptions
    goals: tuple[str, ...]
    findings: tuple[Finding, ...]
    metrics: CurriculumMetrics | None  # None when the graph has a cycle
    notes: tuple[str, ...]  # what was limited or skipped, and why
    elapsed_seconds: float
    generated: str  # ISO 8601 UTC

    def by_kind(self, kind: FindingKind) -> list[Finding]:
        return [f for f in self.findings if f.kind is kind]

    def for_credential(self, credential_id: str) -> list[Finding]:
        """Every finding that involves a credential (for its tooltip or side panel)."""
        return [f for f in self.findings if credential_id in f.credentials]

    def finding_overlay(
        self, kinds: Sequence[FindingKind] | None = None
    ) -> dict[str, FindingSeverity]:
        """Credential -> the most severe finding involving it (optionally of some kinds only):
        what the 'colour by finding' overlay paints."""
        overlay: dict[str, FindingSeverity] = {}
        for finding in self.findings:
            if kinds is not None and finding.kind not in kinds:
                continue
            for cid in finding.credentials:
                current = overlay.get(cid)
                if current is None or _SEVERITY_RANK[finding.severity] > _SEVERITY_RANK[current]:
                    overlay[cid] = finding.severity
        return overlay

    def metric_overlay(self, metric: MetricName) -> dict[str, int]:
        """Credential -> metric value: what the heat-map overlay paints (empty without metrics)."""
        return self.metrics.values(metric) if self.metrics is not None else {}

    def summary(self) -> dict[str, Any]:
        return {
            "findings": len(self.findings),
            "by_kind": dict(sorted(Counter(f.kind.value for f in self.findings).items())),
            "by_severity": dict(sorted(Counter(f.severity.value for f in self.findings).items())),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "format": REPORT_FORMAT,
            "version": REPORT_VERSION,
            "catalog": self.catalog_name,
            "currency": self.currency,
            "generated": self.generated,
            "elapsed_seconds": round(self.elapsed_seconds, 3),
            "options": self.options.to_json(),
            "goals": list(self.goals),
            "summary": self.summary(),
            "metrics": self.metrics.to_json() if self.metrics is not None else None,
            "findings": [f.to_json() for f in self.findings],
            "notes": list(self.notes),
        }


def write_report_json(report: AnalysisReport, path: str | Path) -> None:
    """Save the report as JSON, atomically."""
    text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_text_atomic(Path(path), text)


def run_analysis(
    catalog: Catalog,
    options: AnalysisOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> AnalysisReport:
    """Every finding and the metrics; raises :class:`AnalysisError` on unknown goal ids and
    :class:`~pathplanner.graph.metrics.AnalysisCancelledError` when cancelled."""
    options = options or AnalysisOptions()
    started = time.monotonic()
    known = catalog.credentials_by_id
    for goal in (*options.goals, *([options.metrics_goal] if options.metrics_goal else [])):
        if goal not in known:
            raise AnalysisError(f"unknown goal credential {goal!r}")
    report_progress = _Stages(progress, cancel)
    goals = list(options.goals) or gaps.default_goals(catalog)
    findings: list[Finding] = []
    notes: list[str] = []

    report_progress(0.0, "structure")
    cycles = gaps.cycles(catalog)
    findings += cycles
    findings += gaps.redundant_prerequisites(catalog)
    dependents = dependents_index(catalog)
    reachable = reachable_from_zero(catalog, dependents=dependents)
    # What a learner can earn under the filters: stranded, equity and route planning share it.
    allowed = (
        filtered_reachable(catalog, options.filters, dependents)
        if options.filters.active
        else reachable
    )
    findings += gaps.unmeetable_requirements(catalog, reachable)

    report_progress(0.1, "complexity metrics")
    metrics: CurriculumMetrics | None = None
    try:
        metrics = catalog_metrics(
            catalog,
            options.metrics_goal,
            include_transfer=options.metrics_include_transfer,
            cancel=cancel,
        )
    except MetricsError as exc:
        notes.append(f"metrics not computed: {exc}")

    report_progress(0.2, "dead ends, reachability and levels")
    findings += gaps.dead_ends(catalog)
    findings += gaps.stranded(
        catalog,
        options.filters,
        reachable=reachable,
        reachable_filtered=allowed,
        dependents=dependents,
    )
    findings += gaps.levels_without_on_ramp(catalog)
    report_progress(0.3, "overlap")
    findings += gaps.overlaps(catalog, options.overlap_threshold, options.overlap_min_skills)
    report_progress(0.35, "access equity")
    findings += gaps.access_equity(
        catalog,
        goals,
        hours_per_week=options.hours_per_week,
        filters=options.filters,
        reachable=allowed,
        dependents=dependents,
    )

    if not options.plan_routes:
        notes.append("missing bridges and budget not analysed (route planning turned off)")
    elif errors := [p for p in check_references(catalog) if p.severity is Severity.ERROR]:
        # An edited, unvalidated catalogue: the planner needs a valid one.
        notes.append(
            f"missing bridges and budget not analysed: the catalogue has {len(errors)} "
            f"error{'s' if len(errors) != 1 else ''} (first: {errors[0].record}: "
            f"{errors[0].message})"
        )
    else:
        # Goals the filters make unreachable have no route: the planner need not prove it.
        findings += _planned_findings(
            catalog,
            options,
            goals=goals,
            reachable=allowed,
            notes=notes,
            report_progress=report_progress,
        )
    report_progress(1.0, "done")
    return AnalysisReport(
        catalog_name=catalog.name,
        currency=catalog.currency,
        options=options,
        goals=tuple(goals),
        findings=tuple(findings),
        metrics=metrics,
        notes=tuple(notes),
        elapsed_seconds=time.monotonic() - started,
        generated=datetime.now(UTC).replace(microsecond=0).isoformat(),
    )


def _planned_findings(
    catalog: Catalog,
    options: AnalysisOptions,
    *,
    goals: list[str],
    reachable: set[str],
    notes: list[str],
    report_progress: _Stages,
) -> list[Finding]:
    planned = [g for g in goals if g in reachable]
    if not options.goals and len(planned) > options.max_planned_goals:
        notes.append(
            f"routes planned for the first {options.max_planned_goals} of {len(planned)} goals "
            "(give goals explicitly to plan others)"
        )
        planned = planned[: options.max_planned_goals]
    deadline = time.monotonic() + options.planning_seconds
    template = bridges.plan_request(options.filters, options.planner_time_limit)
    try:
        routes = bridges.cheapest_routes(
            catalog,
            planned,
            template,
            deadline=deadline,
            progress=report_progress.within(0.4, 0.6),
            cancel=report_progress.cancel,
        )
        findings: list[Finding] = []
        if options.budget is not None:
            findings += bridges.over_budget(routes, options.budget, catalog.currency)
        search = bridges.missing_bridges(
            catalog,
            routes,
            filters=options.filters,
            settings=options.bridge_settings,
            reachable=reachable,
            deadline=deadline,
            progress=report_progress.within(0.6, 1.0),
            cancel=report_progress.cancel,
        )
        findings += search.findings
    except PlanningCancelled:
        raise AnalysisCancelledError("analysis cancelled") from None
    unplanned = [goal for goal, route in routes.items() if route.status == "infeasible"]
    if unplanned:
        # The planner also says "infeasible" when its time limit ran out before any plan.
        notes.append(
            f"no route found for {len(unplanned)} goal{'s' if len(unplanned) != 1 else ''} "
            f"(infeasible, or not within {options.planner_time_limit:g} s): " + ", ".join(unplanned)
        )
    if len(routes) < len(planned) or search.evaluated < search.candidates:
        notes.append(
            f"route planning stopped after {options.planning_seconds:g} s: budget checked for "
            f"{len(routes)} of {len(planned)} goals, {search.evaluated} of {search.candidates} "
            "bridge candidates decided (the most promising first)"
        )
    return findings


class _Stages:
    """Progress reporting in stages, with a cancel check at every report."""

    def __init__(self, progress: Progress | None, cancel: Cancel | None) -> None:
        self._progress = progress
        self.cancel = cancel

    def __call__(self, fraction: float, message: str) -> None:
        if self.cancel is not None and self.cancel():
            raise AnalysisCancelledError("analysis cancelled")
        if self._progress is not None:
            self._progress(fraction, message)

    def within(self, start: float, end: float) -> Progress:
        return lambda fraction, message: self(start + (end - start) * fraction, message)
