"""Cheapest-plan benchmark: only ``plan(objective="cost")`` calls, timed per goal.

The same goals and plan start as :mod:`benchmarks.bench_planner` (20 goals from
:func:`benchmarks.catalog_generator.benchmark_goals`, plans starting on 2027-01-04; for the
bundled catalogue the 20 credentials with the largest closures, starting next Monday), with
the catalogue already loaded. It prints, per catalogue, median and max wall and CPU
(``time.process_time``) time of whole ``plan()`` calls with the explanation's comparison
routes, and of calls without them (``alternatives=False``), and the proven-optimal share.
CPU time is what to compare on a shared machine, where wall time is distorted by load.

``--dump FILE`` writes every plan's JSON (the CLI's object) so that two runs can be compared
for identical results. ``--cost-models`` times only the cost model's HiGHS solve of each goal
(no scheduling, pruning or explanation: where the hard goals spend their time), and
``--write-models DIR`` writes each goal's cost model there as ``GOAL.mps`` to study it with
HiGHS alone.

Usage (from the repository root)::

    python -m benchmarks.bench_cheapest                         # bundled, 100k
    python -m benchmarks.bench_cheapest --sizes 1k,10k --catalog-dir /tmp/cats
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.catalog_generator import benchmark_goals
from pathplanner.catalog import bundled_catalog_path, load_catalog
from pathplanner.graph import build_graph, closure
from pathplanner.graph.planner import PlanRequest, plan
from pathplanner.graph.planner.cost_model import solve_cost_model
from pathplanner.graph.planner.instance import build_instance
from pathplanner.model import Catalog

START = date(2027, 1, 4)  # the generator's intakes start here (a Monday)
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}


def _bundled_goals(catalog: Catalog, count: int) -> list[str]:
    """The credentials with the largest closures (as bench_planner picks them)."""
    graph = build_graph(catalog)
    sizes = {c.id: len(closure(graph, c.id)) for c in catalog.credentials}
    ranked = sorted(sizes, key=lambda cid: (-sizes[cid], cid))
    return [cid for cid in ranked if sizes[cid] > 1][:count]


def measure(
    catalog: Catalog, goals: list[str], start: date | None, *, alternatives: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Time one cheapest plan per goal; return the timings and the plans' JSON."""
    rows: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []
    for goal in goals:
        request = PlanRequest(goal=goal, start_date=start, time_limit=10.0)
        wall, cpu = time.perf_counter(), time.process_time()
        result = plan(catalog, request, alternatives=alternatives)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        rows.append({"goal": goal, "wall": wall, "cpu": cpu, "status": result.status})
        plans.append(result.to_json())
        print(
            f"  {goal}: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms cpu, {result.status}, "
            f"{result.total_cost:.2f}",
            file=sys.stderr,
            flush=True,
        )
    return rows, plans


def measure_cost_models(
    catalog: Catalog, goals: list[str], start: date | None, write_dir: Path | None
) -> list[dict[str, Any]]:
    """CPU time of each goal's cost-model solve alone (the plan's own HiGHS solve)."""
    rows: list[dict[str, Any]] = []
    for goal in goals:
        instance = build_instance(catalog, PlanRequest(goal=goal, start_date=start))
        cpu = time.process_time()
        result = solve_cost_model(instance, 10.0)
        cpu = time.process_time() - cpu
        solution = result.solution
        rows.append({"goal": goal, "cpu": cpu, "status": solution.status})
        value = "-" if solution.value is None else f"{solution.value:.2f}"
        print(
            f"  {goal}: {cpu * 1000:.0f} ms cpu, {solution.status}, {value}, "
            f"{len(instance.candidates)} candidates",
            file=sys.stderr,
            flush=True,
        )
        if write_dir is not None and result.model is not None:
            write_dir.mkdir(parents=True, exist_ok=True)
            result.model.write(str(write_dir / f"{goal}.mps"))
    return rows


def _figures(rows: list[dict[str, Any]], key: str) -> str:
    values = [r[key] * 1000 for r in rows]
    return f"{statistics.median(values):.0f} / {max(values):.0f} ms"


def run_catalogue(
    label: str, path: Path, args: argparse.Namespace, *, bundled: bool
) -> dict[str, Any]:
    catalog = load_catalog(path).catalog
    if bundled:
        goals = _bundled_goals(catalog, args.goals)
    else:
        goals = benchmark_goals((c.id for c in catalog.credentials), args.goals, args.seed)
    start = None if bundled else START
    plan(catalog, PlanRequest(goal=goals[0], start_date=start))  # warm up imports and caches
    # OR-Tools (and pandas) load on the first tie-break that needs CP-SAT, 0.2-1 s once per
    # process: keep that out of whichever goal happens to be first
    importlib.import_module("pathplanner.graph.planner.cpsat_model")
    print(f"\n## {label}: {len(catalog.credentials)} credentials, {len(goals)} goals")
    dumped: dict[str, Any] = {}
    if args.cost_models or args.write_models is not None:
        folder = None if args.write_models is None else args.write_models / label.replace(" ", "-")
        rows = measure_cost_models(catalog, goals, start, folder)
        optimal = sum(r["status"] == "optimal" for r in rows)
        print(f"cost model alone: cpu {_figures(rows, 'cpu')}; optimal {optimal}/{len(rows)}")
        if args.cost_models:
            return dumped
    for alternatives in (True, False):
        if alternatives is False and args.with_alternatives_only:
            continue
        rows, plans = measure(catalog, goals, start, alternatives=alternatives)
        optimal = sum(r["status"] == "optimal" for r in rows)
        what = "with comparisons" if alternatives else "without comparisons"
        print(
            f"cheapest {what}: wall median / max {_figures(rows, 'wall')}, "
            f"cpu {_figures(rows, 'cpu')}; proven optimal {optimal}/{len(rows)}",
            flush=True,
        )
        dumped["with" if alternatives else "without"] = plans
    return dumped


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Cheapest-plan benchmark (module docstring).")
    parser.add_argument("--sizes", default="100k", help="comma-separated: 1k,10k,100k")
    parser.add_argument("--goals", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled catalogue")
    parser.add_argument(
        "--catalog-dir", type=Path, help="keep generated catalogues here (reused when present)"
    )
    parser.add_argument(
        "--with-alternatives-only", action="store_true", help="skip alternatives=False"
    )
    parser.add_argument("--dump", type=Path, help="write every plan's JSON to this file")
    parser.add_argument(
        "--cost-models", action="store_true", help="time only each goal's cost-model solve"
    )
    parser.add_argument(
        "--write-models", type=Path, help="write each goal's cost model to DIR/CATALOGUE/GOAL.mps"
    )
    args = parser.parse_args(argv)
    print(f"# cheapest-plan benchmark, {date.today()}, load average {_load()}")
    dumped: dict[str, Any] = {}
    if not args.no_bundled:
        dumped["bundled"] = run_catalogue(
            "bundled catalogue", bundled_catalog_path(), args, bundled=True
        )
    folder = args.catalog_dir or Path(os.environ.get("TMPDIR", "/tmp"))
    for name in [s for s in args.sizes.split(",") if s]:
        path = folder / f"synthetic-{name}-seed{args.seed}.json"
        if not path.exists():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.catalog_generator",
                    "--size",
                    str(SIZES[name]),
                    "--seed",
                    str(args.seed),
                    "--out",
                    str(path),
                ],
                check=True,
            )
        dumped[name] = run_catalogue(f"synthetic {name}", path, args, bundled=False)
    print(f"load average at the end {_load()}")
    if args.dump is not None:
        args.dump.write_text(json.dumps(dumped, indent=1, sort_keys=True), encoding="utf-8")


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text(encoding="utf-8").split(" ", 3)[:3].__str__()
    except OSError:
        return "n/a"


if __name__ == "__main__":
    main()
