"""Benchmark of the program-designer analysis (issue 7 targets).

Prints, for the bundled catalogue and for synthetic catalogues from
``benchmarks/catalog_generator.py``:

* metrics alone (whole catalogue), target <= 2 s at 10,000 credentials;
* the catalogue-only findings (structure, dead ends, reachability under online-only, levels,
  overlap, access equity), no route planning;
* the full analysis with route planning (missing bridges, budget), whose planner share is
  bounded by ``--planning-seconds``; targets: bundled <= 2 s, 10,000 credentials <= 30 s.

Usage: ``python -m benchmarks.bench_analysis [--sizes 1000 10000] [--planning-seconds 10]
[--runs 3] [--catalog-dir /tmp/cats]``. ``--runs N`` repeats the full analysis N times (each
run and the median are printed: on a shared machine single runs vary by tens of percent);
``--catalog-dir`` keeps the generated catalogues as JSON files and reads them back next time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.catalog_generator import generate_catalog_data
from pathplanner.analysis_service import AnalysisOptions, run_analysis
from pathplanner.catalog import bundled_catalog_path, check_catalog_data, load_catalog
from pathplanner.graph.metrics import catalog_metrics
from pathplanner.graph.reachability import LearnerFilters
from pathplanner.model import Catalog, Delivery

ONLINE = LearnerFilters(delivery=frozenset({Delivery.ONLINE, Delivery.HYBRID}))


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Wall seconds and the result; the CPU seconds of the last call go to ``LAST_CPU``
    (on a shared machine wall time is inflated by other jobs, CPU time much less)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    LAST_CPU[0] = time.process_time() - cpu
    return time.perf_counter() - started, result


LAST_CPU = [0.0]


def measure(label: str, catalog: Catalog, planning_seconds: float, runs: int = 1) -> None:
    print(f"\n{label}: {len(catalog.credentials)} credentials")
    seconds, metrics = timed(lambda: catalog_metrics(catalog))
    print(f"  metrics alone                 {seconds:7.3f} s  (complexity {metrics.complexity})")
    options = AnalysisOptions(filters=ONLINE, budget=10_000, hours_per_week=15, plan_routes=False)
    seconds, report = timed(lambda: run_analysis(catalog, options))
    print(
        f"  analysis without routes       {seconds:7.3f} s  "
        f"({len(report.findings)} findings, {len(report.goals)} goals)"
    )
    options = AnalysisOptions(
        filters=ONLINE, budget=10_000, hours_per_week=15, planning_seconds=planning_seconds
    )
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        seconds, report = timed(lambda: run_analysis(catalog, options))
        walls.append(seconds)
        cpus.append(LAST_CPU[0])
        print(
            f"  full analysis with routes     {seconds:7.3f} s  (CPU {LAST_CPU[0]:.3f} s; "
            f"{len(report.findings)} findings, "
            f"{report.summary()['by_kind'].get('missing_bridge', 0)} bridges)"
        )
    if runs > 1:
        label = f"median of {runs} runs"
        print(
            f"  {label:<30}{statistics.median(walls):7.3f} s  (CPU {statistics.median(cpus):.3f} s)"
        )
    for note in report.notes:
        print(f"    note: {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--planning-seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=1, help="full analyses per catalogue")
    parser.add_argument(
        "--catalog-dir", type=Path, help="keep generated catalogues here (reused when present)"
    )
    args = parser.parse_args(argv)
    print(f"load average at start: {load_average()}")
    bundled = load_catalog(bundled_catalog_path()).catalog
    measure("bundled catalogue", bundled, args.planning_seconds, args.runs)
    for size in args.sizes:
        started = time.perf_counter()
        catalog = synthetic(size, args.seed, args.catalog_dir)
        seconds = time.perf_counter() - started
        label = f"synthetic (generated or read, and checked in {seconds:.1f} s)"
        measure(label, catalog, args.planning_seconds, args.runs)
    print(f"load average at the end: {load_average()}")


def synthetic(size: int, seed: int, folder: Path | None) -> Catalog:
    """The generated catalogue, checked; kept in ``folder`` as JSON when one is given."""
    if folder is None:
        return check_catalog_data(generate_catalog_data(size, seed)).catalog
    name = f"{size // 1000}k" if size % 1000 == 0 else str(size)  # bench_cheapest's names
    path = folder / f"synthetic-{name}-seed{seed}.json"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(generate_catalog_data(size, seed)), encoding="utf-8")
    return load_catalog(path).catalog


def load_average() -> list[str]:
    return Path("/proc/loadavg").read_text().split()[:3]


if __name__ == "__main__":
    main()
