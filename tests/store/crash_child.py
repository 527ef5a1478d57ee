"""A separate process that saves plans, for the kill-in-the-middle tests (not a test module).

Usage: ``python crash_child.py URL PLAN_ID CATALOG_VERSION_ID hang|loop``. ``hang`` stops
inside a save, after its SQL has been sent and before the commit; ``loop`` saves forever. Each
save n stores a plan of n % 7 + 1 steps with ``{"n": n}`` as its request and prints n once
committed.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from pathplanner.store import Store


def result_for(n: int) -> dict[str, Any]:
    steps = n % 7 + 1
    return {
        "goal": "goal",
        "objective": "cost",
        "status": "optimal",
        "total_cost": float(n),
        "finish_week": steps,
        "steps": [{"id": f"s{i}", "start_week": i, "finish_week": i + 1} for i in range(steps)],
    }


def main() -> None:
    url, plan_id, version_id, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    store = Store.open(url, actor="child")
    if mode == "hang":

        @event.listens_for(Session, "after_flush")
        def hang(session: Session, context: UOWTransaction) -> None:
            print("flushed", flush=True)
            time.sleep(600)

    n = 1
    while True:
        plan = store.get_plan(plan_id)
        store.update_plan(plan_id, plan.version, recomputed=(version_id, {"n": n}, result_for(n)))
        print(n, flush=True)
        n += 1


if __name__ == "__main__":
    main()
