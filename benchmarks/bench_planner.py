"""Planner benchmark: load time and peak memory, cheapest and fastest plans, greedy comparison.

For each catalogue size (synthetic, from :mod:`benchmarks.catalog_generator`) and the bundled
catalogue it prints:

* the time to load the file (parse + check) and to build the graph, and the peak memory of the
  process (``ru_maxrss``) after loading and after planning;
* for up to 20 goals: median and max time of the cheapest plan and of the fastest plan with
  10 h/week (under each time limit given), the share proven optimal and the median and max gap
  to the lower bound;
* what the greedy, tree-shaped search (:mod:`benchmarks.greedy_baseline`) would have paid
  against the exact cheapest plan (median and max % more);
* for the bundled catalogue, the fastest plan of *every* goal (each credential with
  prerequisites) at each of ``--bundled-hours`` (default 10 and 30 h/week) within
  ``--bundled-limit`` seconds (default 5): how many have a plan, which of those are proven
  optimal, and how long proving "no plan" takes for the others (its programmes need 25-30
  h/week, so at 10 h/week most large goals have none).

Every size runs in a fresh child process so that its peak memory is its own.

Usage (from the repository root)::

    python -m benchmarks.bench_planner                    # 1k, 10k, 100k and the bundled one
    python -m benchmarks.bench_planner --sizes 1k,10k --goals 10 --fastest-limits 1,10
    python -m benchmarks.bench_planner --sizes "" --bundled-hours 10,30 --bundled-limit 5
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.catalog_generator import benchmark_goals
from benchmarks.greedy_baseline import greedy_plan
from pathplanner.catalog import bundled_catalog_path, load_catalog
from pathplanner.graph import build_graph, closure
from pathplanner.graph.planner import Plan, PlanRequest, plan
from pathplanner.model import Catalog

START = date(2027, 1, 4)  # the generator's intakes start here (a Monday)
HOURS_PER_WEEK = 10.0
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _gap(result: Plan, value: float) -> float:
    if result.status == "optimal":
        return 0.0
    if result.lower_bound is None or value <= 0:
        return math.inf
    return max(0.0, (value - result.lower_bound) / value)


def _timed(catalog: Catalog, request: PlanRequest) -> tuple[Plan, float]:
    began = time.perf_counter()
    result = plan(catalog, request)
    return result, time.perf_counter() - began


def _bundled_goals(catalog: Catalog, count: int) -> list[str]:
    """The credentials with the largest closures (degrees first, then certificates...)."""
    graph = build_graph(catalog)
    sizes = {c.id: len(closure(graph, c.id)) for c in catalog.credentials}
    ranked = sorted(sizes, key=lambda cid: (-sizes[cid], cid))
    return [cid for cid in ranked if sizes[cid] > 1][:count]


def bundled_fastest(catalog: Catalog, hours: list[float], limit: float) -> dict[str, Any]:
    """The fastest plan of every bundled goal at each weekly capacity, within ``limit``."""
    graph = build_graph(catalog)
    goals = sorted(c.id for c in catalog.credentials if len(closure(graph, c.id)) > 1)
    out: dict[str, Any] = {"limit": limit, "goals": len(goals), "hours": {}}
    for capacity in hours:
        rows = []
        for goal in goals:
            request = PlanRequest(
                goal=goal, objective="time", hours_per_week=capacity, time_limit=limit
            )
            began = time.process_time()
            result, took = _timed(catalog, request)
            rows.append(
                {
                    "goal": goal,
                    "status": result.status,
                    # "no plan" is proven unless the time limit ran out first
                    "proven": not result.explanation.startswith("No plan found within"),
                    "finish": result.finish_week,
                    "lower_bound": result.lower_bound,
                    "s": took,
                    "cpu_s": time.process_time() - began,
                }
            )
            print(f"  {capacity:g} h/week {goal}: {json.dumps(rows[-1])}", file=sys.stderr)
        out["hours"][f"{capacity:g}"] = rows
    return out


def report_bundled_fastest(out: dict[str, Any]) -> None:
    limit = out["limit"]
    print(f"\n## bundled catalogue, fastest plan of all {out['goals']} goals, limit {limit:g} s")
    for capacity, rows in out["hours"].items():
        planned = [r for r in rows if r["status"] != "infeasible"]
        proven = [r for r in planned if r["status"] == "optimal"]
        none = [r for r in rows if r["status"] == "infeasible"]
        none_proven = [r for r in none if r["proven"]]
        print(
            f"{capacity} h/week: plan for {len(planned)}; proven optimal {len(proven)} "
            f"(time median / max {_stats([r['s'] for r in proven])}); "
            f"no plan for {len(none)}, proven for {len(none_proven)} "
            f"(time median / max {_stats([r['s'] for r in none_proven])})"
        )
        for r in planned:
            gap = "" if r["status"] == "optimal" else f", lower bound {r['lower_bound']:g}"
            print(
                f"  {r['goal']}: week {r['finish']}, {r['status']}{gap}, "
                f"{r['s'] * 1000:.0f} ms (CPU {r['cpu_s'] * 1000:.0f} ms)"
            )
        for r in none:
            if not r["proven"]:
                print(f"  {r['goal']}: no plan found and none ruled out within the limit")


def run_worker(
    path: Path, goals: int, seed: int, limits: list[float], *, bundled: bool, hours: float
) -> None:
    """Measure one catalogue file; print one JSON object on stdout.

    Synthetic catalogues' intakes start in 2027, so their plans start on ``START``; the
    bundled catalogue's plans start on the next Monday, as a user's would.
    """
    start = None if bundled else START
    began = time.perf_counter()
    catalog = load_catalog(path).catalog
    loaded = time.perf_counter()
    graph = build_graph(catalog)
    built = time.perf_counter()
    # Keep the loaded catalogue out of the cyclic collector, as the app and the CLI do: one
    # full collection walks all of it (0.5 s at 100,000 credentials) inside whichever plan
    # happens to trigger it.
    gc.freeze()
    out: dict[str, Any] = {
        "credentials": len(catalog.credentials),
        "load_s": loaded - began,
        "graph_s": built - loaded,
        "peak_after_load_mb": _peak_mb(),
    }
    if bundled:
        goal_ids = _bundled_goals(catalog, goals)
    else:
        goal_ids = benchmark_goals((c.id for c in catalog.credentials), goals, seed)
    out["closure"] = [len(closure(graph, g)) for g in goal_ids]
    del graph
    # Warm up as bench_cheapest does: the first plan of a process imports OR-Tools (and
    # pandas) for the tie-break, 0.2-1 s once, which landed in the first goal's time and, at
    # 100k, moved the cheapest median from ~90 to 107-158 ms.
    plan(catalog, PlanRequest(goal=goal_ids[0], start_date=start, time_limit=10.0))
    importlib.import_module("pathplanner.graph.planner.cpsat_model")
    records = []
    for goal in goal_ids:
        record: dict[str, Any] = {"goal": goal}
        cheap, took = _timed(catalog, PlanRequest(goal=goal, start_date=start, time_limit=10.0))
        record["cost"] = {
            "s": took,
            "status": cheap.status,
            "value": cheap.total_cost,
            "gap": _gap(cheap, cheap.total_cost),
        }
        greedy = greedy_plan(catalog, goal)
        record["greedy_cost"] = greedy.cost
        record["greedy_tree_price"] = greedy.tree_price
        for limit in limits:
            request = PlanRequest(
                goal=goal,
                start_date=start,
                objective="time",
                hours_per_week=hours,
                time_limit=limit,
            )
            fast, took = _timed(catalog, request)
            record[f"time_{limit:g}"] = {
                "s": took,
                "status": fast.status,
                "value": fast.finish_week,
                "gap": _gap(fast, float(fast.finish_week)),
            }
        records.append(record)
        print(f"  {goal}: {json.dumps(record)}", file=sys.stderr, flush=True)
    out["goals"] = records
    out["hours"] = hours
    out["peak_mb"] = _peak_mb()
    print(json.dumps(out))


def _stats(values: list[float]) -> str:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return "n/a"
    return f"{statistics.median(finite) * 1000:.0f} / {max(finite) * 1000:.0f} ms"


def _percent(values: list[float]) -> str:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return "n/a"
    infinite = len(values) - len(finite)
    extra = f" ({infinite} without bound)" if infinite else ""
    return f"median {statistics.median(finite):.1%}, max {max(finite):.1%}{extra}"


def report(label: str, out: dict[str, Any], limits: list[float]) -> None:
    hours = out.get("hours", HOURS_PER_WEEK)
    goals = out["goals"]
    closures = out["closure"]
    print(f"\n## {label}: {out['credentials']} credentials")
    print(
        f"load (parse + check) {out['load_s']:.2f} s, graph {out['graph_s']:.2f} s, "
        f"peak memory after load {out['peak_after_load_mb']:.0f} MB, "
        f"after planning {out['peak_mb']:.0f} MB"
    )
    if not goals:
        print("no goals")
        return
    print(
        f"{len(goals)} goals, closure median {statistics.median(closures):.0f}, "
        f"max {max(closures)} credentials"
    )
    cost = [g["cost"] for g in goals]
    found = [c for c in cost if c["status"] != "infeasible"]
    optimal = sum(c["status"] == "optimal" for c in cost)
    print(
        f"cheapest (limit 10 s): median / max {_stats([c['s'] for c in cost])}; "
        f"proven optimal {optimal}/{len(cost)}; gap {_percent([c['gap'] for c in found])}"
    )
    for limit in limits:
        fast = [g[f"time_{limit:g}"] for g in goals]
        found_fast = [f for f in fast if f["status"] != "infeasible"]
        optimal = sum(f["status"] == "optimal" for f in fast)
        print(
            f"fastest, {hours:g} h/week (limit {limit:g} s): median / max "
            f"{_stats([f['s'] for f in fast])}; plan found {len(found_fast)}/{len(fast)}; "
            f"proven optimal {optimal}/{len(fast)}; "
            f"gap {_percent([f['gap'] for f in found_fast])}"
        )
    extra = [
        (g["greedy_cost"] - g["cost"]["value"]) / g["cost"]["value"]
        for g in goals
        if g["cost"]["status"] != "infeasible"
        and math.isfinite(g["greedy_cost"])
        and g["cost"]["value"] > 0
    ]
    print(f"greedy tree search pays more than the exact cheapest plan: {_percent(extra)}")


def _child(path: Path, args: argparse.Namespace, *, bundled: bool) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_planner",
        "--worker",
        str(path),
        "--goals",
        str(args.goals),
        "--seed",
        str(args.seed),
        "--fastest-limits",
        args.fastest_limits,
        "--hours-per-week",
        str(args.hours_per_week),
    ]
    if bundled:
        command.append("--bundled")
    done = subprocess.run(command, check=True, capture_output=not args.verbose, text=True)
    if args.verbose:
        raise SystemExit("--verbose prints the worker's output only")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _bundled_fastest_child(args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_planner",
        "--worker",
        str(bundled_catalog_path()),
        "--bundled-fastest",
        "--bundled-hours",
        args.bundled_hours,
        "--bundled-limit",
        str(args.bundled_limit),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Planner benchmark (see module docstring).")
    parser.add_argument("--sizes", default="1k,10k,100k", help="comma-separated: 1k,10k,100k")
    parser.add_argument("--goals", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fastest-limits", default="1,10", help="time limits (s) to try")
    parser.add_argument("--hours-per-week", type=float, default=HOURS_PER_WEEK)
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled catalogue")
    parser.add_argument(
        "--bundled-hours",
        default="10,30",
        help="weekly capacities for the fastest plan of every bundled goal ('' to skip)",
    )
    parser.add_argument(
        "--bundled-limit", type=float, default=5.0, help="time limit (s) for those plans"
    )
    parser.add_argument("--bundled-fastest", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bundled", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    limits = [float(x) for x in args.fastest_limits.split(",") if x]
    if args.worker is not None and args.bundled_fastest:
        capacities = [float(x) for x in args.bundled_hours.split(",") if x]
        catalog = load_catalog(args.worker).catalog
        print(json.dumps(bundled_fastest(catalog, capacities, args.bundled_limit)))
        return
    if args.worker is not None:
        run_worker(
            args.worker,
            args.goals,
            args.seed,
            limits,
            bundled=args.bundled,
            hours=args.hours_per_week,
        )
        return
    print(f"# planner benchmark, {date.today()}, Python {platform.python_version()}")
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, cores: {_cores()}")
    if not args.no_bundled and bundled_catalog_path().exists():
        report("bundled catalogue", _child(bundled_catalog_path(), args, bundled=True), limits)
        if args.bundled_hours:
            report_bundled_fastest(_bundled_fastest_child(args))
    with tempfile.TemporaryDirectory() as tmp:
        for name in [s for s in args.sizes.split(",") if s]:
            size = SIZES[name]
            path = Path(tmp) / f"synthetic-{name}.json"
            began = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.catalog_generator",
                    "--size",
                    str(size),
                    "--seed",
                    str(args.seed),
                    "--out",
                    str(path),
                ],
                check=True,
            )
            generated = time.perf_counter() - began
            print(f"\n(generated {name} in {generated:.1f} s)", flush=True)
            report(f"synthetic {name}", _child(path, args, bundled=False), limits)


def _cores() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    main()
