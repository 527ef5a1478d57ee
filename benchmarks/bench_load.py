"""Catalogue load benchmark: ``load_catalog`` and ``build_graph`` of one synthetic catalogue.

Issue 3's target: loading the 100,000-credential catalogue into the graph in ≤ 5 s with a peak
memory ≤ 1.5 GB. Each run measures in a fresh child process (so that imports are done before
the clock starts and the peak memory is the load's own) and prints, for "load" (read, parse
and check the JSON into the model) and "graph" (the NetworkX graph), the wall time and the
CPU time of the process, then the process's peak RSS. CPU time says more than wall time on a
machine shared with other jobs.

Usage (from the repository root)::

    python -m benchmarks.bench_load                          # 100,000 credentials, 3 runs
    python -m benchmarks.bench_load --size 10000 --runs 5
    python -m benchmarks.bench_load --catalog /tmp/cat.json  # an existing file, no generating
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.catalog_generator import generate_catalog_data


def run_worker(path: Path) -> None:
    """Load ``path`` and build its graph; print one JSON object of figures on stdout."""
    from pathplanner.catalog import load_catalog  # noqa: PLC0415 - imported before timing
    from pathplanner.graph import build_graph  # noqa: PLC0415

    before_mb = _peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    catalog = load_catalog(path).catalog
    loaded_wall, loaded_cpu = time.perf_counter(), time.process_time()
    graph = build_graph(catalog)
    built_wall, built_cpu = time.perf_counter(), time.process_time()
    out = {
        "credentials": len(catalog.credentials),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "load_wall": loaded_wall - wall,
        "load_cpu": loaded_cpu - cpu,
        "graph_wall": built_wall - loaded_wall,
        "graph_cpu": built_cpu - loaded_cpu,
        "rss_before_mb": before_mb,
        "peak_mb": _peak_mb(),
    }
    print(json.dumps(out))


def _peak_mb() -> float:
    """This process's peak RSS. On Linux from /proc (VmHWM): ``ru_maxrss`` of a child process
    keeps its parent's RSS at the fork, here the generated catalogue's."""
    try:
        status = Path("/proc/self/status").read_text(encoding="utf-8")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024  # "VmHWM:   123456 kB"


def _measure(path: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.bench_load", "--worker", str(path)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _generate(size: int, seed: int, path: Path) -> None:
    """Write the catalogue here; only the child processes are measured."""
    path.write_text(json.dumps(generate_catalog_data(size, seed)), encoding="utf-8")


def _line(run: str, r: dict[str, Any]) -> str:
    total_wall = r["load_wall"] + r["graph_wall"]
    total_cpu = r["load_cpu"] + r["graph_cpu"]
    return (
        f"{run:>6}  load {r['load_wall']:5.2f} s ({r['load_cpu']:5.2f} CPU)  "
        f"graph {r['graph_wall']:5.2f} s ({r['graph_cpu']:5.2f} CPU)  "
        f"total {total_wall:5.2f} s ({total_cpu:5.2f} CPU)  peak {r['peak_mb']:5.0f} MB"
    )


def report(path: Path, runs: int) -> None:
    results = []
    for run in range(1, runs + 1):
        result = _measure(path)
        results.append(result)
        print(_line(f"run {run}", result), flush=True)
    first = results[0]
    print(
        f"{first['credentials']:,} credentials, graph of {first['nodes']:,} nodes and "
        f"{first['edges']:,} edges; process before loading: {first['rss_before_mb']:.0f} MB"
    )
    if runs > 1:
        median = {key: statistics.median(r[key] for r in results) for key in first}
        print(_line("median", median))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Catalogue load benchmark (module docstring).")
    parser.add_argument("--size", type=int, default=100_000, help="credentials to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes to measure")
    parser.add_argument("--catalog", type=Path, help="measure this file instead of generating")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        run_worker(args.worker)
        return
    print(f"# catalogue load benchmark, Python {platform.python_version()}, ", end="")
    print(f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.2f}")
    if args.catalog is not None:
        report(args.catalog, args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-{args.size}.json"
        began = time.perf_counter()
        _generate(args.size, args.seed, path)
        print(f"(generated {args.size:,} credentials, seed {args.seed}, in ", end="")
        print(f"{time.perf_counter() - began:.1f} s)", flush=True)
        report(path, args.runs)


if __name__ == "__main__":
    main()
