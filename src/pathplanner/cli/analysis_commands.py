"""``analyse`` and ``metrics``: program-designer tools (gap analysis, complexity metrics).

``import curricular-analytics`` lives with the other importers in ``interop_commands``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pathplanner.analysis_service import (
    AnalysisError,
    AnalysisOptions,
    AnalysisReport,
    run_analysis,
    write_report_json,
)
from pathplanner.cli.output import error, load_or_report, print_json, print_table
from pathplanner.graph.metrics import METRIC_NAMES, CurriculumMetrics, MetricsError, catalog_metrics
from pathplanner.graph.reachability import LearnerFilters
from pathplanner.model import Catalog, Delivery, Recognition

_CATEGORY_TITLES = {
    "structure": "structural problems",
    "dead_ends": "dead ends",
    "reachability": "unreachable and stranded",
    "bridges": "missing bridges",
    "overlap": "overlap",
    "equity": "equity",
}


def register(commands: Any) -> None:
    analyse = commands.add_parser(
        "analyse",
        help="find stacking gaps and measure complexity",
        description=(
            "Gap analysis of a catalogue: dead ends, unreachable credentials, levels without an "
            "on-ramp, missing bridges, overlap, equity and structural problems, with the "
            "Curricular Analytics complexity metrics."
        ),
    )
    analyse.add_argument("file")
    analyse.add_argument("--format", choices=["text", "json"], default="text")
    analyse.add_argument(
        "--goal", action="append", default=[], metavar="ID", help="a goal (repeatable)"
    )
    analyse.add_argument("--budget", type=_non_negative, metavar="N", help="a learner's budget")
    analyse.add_argument(
        "--hours-per-week", type=_positive, metavar="H", help="a working learner's weekly hours"
    )
    analyse.add_argument(
        "--delivery",
        type=_delivery_modes,
        metavar="MODES",
        help="allowed delivery modes, e.g. online,hybrid (finds stranded credentials)",
    )
    analyse.add_argument("--exclude-provider", action="append", default=[], metavar="ID")
    analyse.add_argument("--exclude", action="append", default=[], metavar="ID")
    analyse.add_argument("--min-recognition", choices=[r.value for r in Recognition])
    analyse.add_argument(
        "--overlap-threshold", type=_fraction, default=0.6, metavar="J", help="Jaccard, 0..1"
    )
    analyse.add_argument(
        "--planning-seconds",
        type=_positive,
        default=10.0,
        metavar="S",
        help="time for route planning (missing bridges, budget)",
    )
    analyse.add_argument(
        "--no-routes", action="store_true", help="skip the findings that need route planning"
    )
    analyse.add_argument("-o", "--output", metavar="REPORT", help="also save the JSON report")
    analyse.set_defaults(handler=run_analyse)

    metrics = commands.add_parser(
        "metrics",
        help="Curricular Analytics complexity metrics",
        description=(
            "Blocking factor, delay factor, centrality and structural complexity of every "
            "credential and in total, for the whole catalogue or one goal's pathway."
        ),
    )
    metrics.add_argument("file")
    metrics.add_argument("--goal", metavar="ID", help="measure this goal's pathway only")
    metrics.add_argument(
        "--without-goal",
        action="store_true",
        help="leave the goal itself out (a degree measured as its curriculum)",
    )
    metrics.add_argument(
        "--include-transfer", action="store_true", help="count transfer links as edges"
    )
    metrics.add_argument("--format", choices=["text", "json"], default="text")
    metrics.set_defaults(handler=run_metrics)


def run_analyse(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.file)
    if loaded is None:
        return 1
    catalog = loaded.catalog
    unknown = [g for g in args.goal if g not in catalog.credentials_by_id]
    if unknown:
        error(f"{args.file}: unknown goal credential '{unknown[0]}'")
        return 1
    options = AnalysisOptions(
        goals=tuple(dict.fromkeys(args.goal)),
        filters=LearnerFilters(
            delivery=args.delivery,
            exclude_providers=frozenset(args.exclude_provider),
            exclude=frozenset(args.exclude),
            min_recognition=Recognition(args.min_recognition) if args.min_recognition else None,
        ),
        budget=args.budget,
        hours_per_week=args.hours_per_week,
        overlap_threshold=args.overlap_threshold,
        plan_routes=not args.no_routes,
        planning_seconds=args.planning_seconds,
    )
    try:
        with _native_output_to_stderr():
            report = run_analysis(catalog, options)
    except AnalysisError as exc:
        error(f"{args.file}: {exc}")
        return 1
    if args.output:
        write_report_json(report, args.output)
    if args.format == "json":
        print_json(report.to_json())
    else:
        _print_report(catalog, report)
    return 0


def _print_report(catalog: Catalog, report: AnalysisReport) -> None:
    summary = report.summary()
    severities = ", ".join(f"{n} {s}" for s, n in summary["by_severity"].items())
    print(
        f"Analysis of {catalog.name}: {len(catalog.credentials)} credentials, "
        f"{len(report.goals)} goals, {report.elapsed_seconds:.2f} s"
    )
    if report.metrics is not None:
        print()
        _print_totals(report.metrics)
    print(f"\n{summary['findings']} findings" + (f" ({severities})" if severities else ""))
    for category, title in _CATEGORY_TITLES.items():
        found = [f for f in report.findings if f.category == category]
        if not found:
            continue
        print(f"\n{title} ({len(found)})")
        for finding in found:
            print(f"  {finding.severity.value:<7}  {finding.message}")
    if report.notes:
        print("\nnotes")
        for note in report.notes:
            print(f"  {note}")


def run_metrics(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.file)
    if loaded is None:
        return 1
    catalog = loaded.catalog
    if args.goal is not None and args.goal not in catalog.credentials_by_id:
        error(f"{args.file}: unknown goal credential '{args.goal}'")
        return 1
    if args.without_goal and args.goal is None:
        error("--without-goal needs --goal")
        return 1
    try:
        metrics = catalog_metrics(
            catalog,
            args.goal,
            include_transfer=args.include_transfer,
            include_goal=not args.without_goal,
        )
    except MetricsError as exc:
        error(f"{args.file}: {exc}")
        return 1
    if args.format == "json":
        print_json(metrics.to_json())
        return 0
    _print_totals(metrics)
    rows = [
        [cid, catalog.credential(cid).name, *(str(m.value(name)) for name in METRIC_NAMES)]
        for cid, m in sorted(
            metrics.per_credential.items(), key=lambda kv: (-kv[1].complexity, kv[0])
        )
    ]
    print()
    print_table(["id", "name", "blocking", "delay", "centrality", "complexity"], rows)
    return 0


def _print_totals(metrics: CurriculumMetrics) -> None:
    scope = f"pathway to {metrics.goal}" if metrics.goal else "whole catalogue"
    print(
        f"Complexity of the {scope}: {len(metrics.per_credential)} credentials, "
        f"{metrics.edges} prerequisite edges"
        + (" (transfer links included)" if metrics.include_transfer else "")
    )
    print(f"  blocking factor        {metrics.total('blocking')}")
    print(f"  delay factor           {metrics.total('delay')}")
    print(f"  centrality             {metrics.total('centrality')}")
    print(f"  structural complexity  {metrics.total('complexity')}")
    if metrics.longest_path:
        print(f"  longest path ({len(metrics.longest_path)}): {' -> '.join(metrics.longest_path)}")
    top = ", ".join(f"{cid} ({value})" for cid, value in metrics.top("complexity", 5))
    if top:
        print(f"  most complex: {top}")


@contextmanager
def _native_output_to_stderr() -> Iterator[None]:
    """Send what native code writes to file descriptor 1 to stderr meanwhile: the MILP solver
    can print notes there, which would corrupt ``--format json`` output."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no usable descriptor 1 (embedded use): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _delivery_modes(text: str) -> frozenset[Delivery]:
    modes: set[Delivery] = set()
    for part in (p.strip() for p in text.split(",")):
        try:
            modes.add(Delivery(part))
        except ValueError:
            allowed = ", ".join(d.value for d in Delivery)
            raise argparse.ArgumentTypeError(
                f"unknown delivery mode {part!r} (choose from {allowed})"
            ) from None
    return frozenset(modes)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _non_negative(text: str) -> float:
    value = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must be >= 0")
    return value


def _positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be > 0")
    return value


def _fraction(text: str) -> float:
    value = _number(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} must be between 0 and 1")
    return value
