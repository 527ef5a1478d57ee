"""Store speed: save/load a 60-step plan, list 10,000 plans of 1,000 learners, start-up cost.

Usage: ``python benchmarks/bench_store.py [--db URL]`` (default: a new SQLite file in a
temporary directory; give a PostgreSQL URL to measure a shared store — it must be empty).
Targets (issue 4): save or load ≤ 20 ms on SQLite, list 10,000 plans ≤ 200 ms, opening a
store of 10,000 plans adds ≤ 300 ms to the app's start. Prints medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pathplanner.catalog import check_catalog_data
from pathplanner.paths import database_url, sqlite_url
from pathplanner.store import Store, schema
from pathplanner.store.service import set_result

LEARNERS = 1_000
PLANS_PER_LEARNER = 10
STEPS = 60


def plan_document(steps: int, seed: int = 0) -> dict[str, Any]:
    return {
        "goal": "goal",
        "objective": "cost",
        "status": "optimal",
        "total_cost": 123.0 * steps + seed,
        "finish_week": 4 * steps,
        "start_date": "2027-01-04",
        "finish_date": "2031-08-02",
        "lower_bound": 123.0 * steps,
        "steps": [
            {
                "id": f"credential-{i:03d}",
                "start_week": 4 * i,
                "finish_week": 4 * i + 4,
                "cost": 123.0,
                "hours_per_week": 7.5,
                "transferred_credits": 0,
            }
            for i in range(steps)
        ],
        "explanation": "The cheapest route: " + "step explanation. " * steps,
    }


def request_document() -> dict[str, Any]:
    return {"goal": "goal", "held": [], "objective": "cost", "start_date": "2027-01-04"}


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def median_cpu_ms(action: Callable[[], object], repeat: int) -> float:
    """CPU time of this process: less disturbed than wall time on a busy machine."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def populate(store: Store, version_id: int) -> None:
    """1,000 learners with 10 plans of 5-60 steps each, written in bulk."""
    with store.transaction(write=True) as session:
        for n in range(LEARNERS):
            learner = schema.Learner(name=f"Learner {n:04d}", contact=f"l{n}@example.org")
            session.add(learner)
            for k in range(PLANS_PER_LEARNER):
                plan = schema.Plan(learner=learner, name=f"plan {k}", catalog_version_id=version_id)
                set_result(plan, request_document(), plan_document(5 + (n + k) % 56, n))
                session.add(plan)


def startup_ms(url: str, repeat: int) -> dict[str, float]:
    """Medians over fresh processes of: opening the store (wall), and importing the store
    package plus opening it (wall and CPU time). The catalogue module (pydantic, networkx) is
    imported first: the app loads it anyway."""
    code = (
        "import time, pathplanner.catalog; w0, c0 = time.perf_counter(), time.process_time(); "
        "from pathplanner.store import Store; w1 = time.perf_counter(); "
        f"s = Store.open({url!r}); s.close(); "
        "w2, c2 = time.perf_counter(), time.process_time(); "
        "print((w2 - w1) * 1000, (w2 - w0) * 1000, (c2 - c0) * 1000)"
    )
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        runs.append([float(x) for x in out.split()])
    names = ("open", "import_and_open", "import_and_open_cpu")
    return {name: statistics.median(run[i] for run in runs) for i, name in enumerate(names)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", metavar="URL", help="default: a new SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(args.db) if args.db else sqlite_url(Path(tmp) / "bench.sqlite3")
        store = Store.open(url, backup_dir=Path(tmp) / "backups")
        catalog = check_catalog_data(
            {
                "format": "pathplanner-catalog",
                "version": 1,
                "name": "bench",
                "currency": "USD",
                "credentials": [{"id": "goal", "name": "Goal", "kind": "certificate"}],
            }
        ).catalog
        version = store.add_catalog_version(catalog).id
        start = time.perf_counter()
        populate(store, version)
        fill_s = time.perf_counter() - start
        print(f"backend: {store.engine.url.get_backend_name()}")
        print(
            f"filled {LEARNERS * PLANS_PER_LEARNER:,} plans of {LEARNERS:,} learners "
            f"in {fill_s:.1f} s"
        )

        store.add_learner("Bench")
        result, request = plan_document(STEPS), request_document()
        counter = iter(range(10**9))

        def save() -> None:
            store.save_plan(
                "Bench",
                f"p{next(counter)}",
                catalog_version_id=version,
                request=request,
                result=result,
            )

        saved = store.list_plans("Bench") or None
        save_ms = median_ms(save, 50)
        plan_id = store.list_plans("Bench")[0].id if saved is None else saved[0].id
        load_ms = median_ms(lambda: store.get_plan(plan_id), 50)
        current = store.get_plan(plan_id)

        def edit() -> None:
            nonlocal current
            store.update_plan(current.id, current.version, advisor_notes=f"n{time.time()}")
            current = store.get_plan(current.id)

        edit_ms = median_ms(edit, 20)
        list_ms = median_ms(store.list_plans, 7)
        list_cpu_ms = median_cpu_ms(store.list_plans, 7)
        count = len(store.list_plans())
        store.close()
        startup = startup_ms(url, 5)
        print(f"save a {STEPS}-step plan:          {save_ms:7.1f} ms  (target <= 20)")
        print(f"load a {STEPS}-step plan:          {load_ms:7.1f} ms  (target <= 20)")
        print(f"edit + reload a plan:          {edit_ms:7.1f} ms")
        print(f"list {count:,} plans:             {list_ms:7.1f} ms  (target <= 200)")
        print(f"list {count:,} plans, CPU time:   {list_cpu_ms:7.1f} ms")
        print(f"start-up, open + schema check: {startup['open']:7.1f} ms  (target <= 300 added)")
        print(f"start-up incl. importing the store: {startup['import_and_open']:7.1f} ms")
        print(f"  the same, CPU time:                {startup['import_and_open_cpu']:7.1f} ms")


if __name__ == "__main__":
    main()
