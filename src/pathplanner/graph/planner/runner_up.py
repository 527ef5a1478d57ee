"""The explanation's runner-up route: the cheapest set of credentials that leaves out at least
one of the plan's optional steps (a no-good cut over them) and can be scheduled.

The cut is solved exactly on the cheapest plan's kept cost model, but HiGHS gets help:

* a first incumbent close to the answer: for every optional step, the plan without it,
  repaired greedily (:mod:`pathplanner.graph.planner.greedy_repair`: each requirement left
  unmet is filled with its cheapest options, priced with their own unmet prerequisites) and
  cleared of steps nothing needs any more; the
  cheapest of these sets, completed by the model into a full solution (its group indicators
  and transfer variables), is the MIP start. With an incumbent this close, HiGHS fixes most
  variables by reduced cost at the root and usually proves the runner-up there;
* no "objective >= the plan's bound" row (it made the LP degenerate and its duals useless
  for that reduced-cost fixing).

The heuristic only speeds the solve up: the answer is the MIP's optimum either way (measured
on the benchmark goals: the runner-up's cost is unchanged; among sets of equal cost HiGHS may
return another one).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from pathplanner.graph.planner.cost_model import CostResult
from pathplanner.graph.planner.greedy_repair import GreedyRepair
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.milp import Interrupt, Solution
from pathplanner.graph.planner.schedule import Schedule
from pathplanner.graph.planner.set_scheduling import schedule_set

# Solves of the runner-up route: the cut's optimum, then again with each set cut off that
# could not be scheduled (intakes, capacity) or whose schedule costs more than modelled.
ATTEMPTS = 3


@dataclass(frozen=True)
class RunnerUp:
    """The runner-up route: ``schedule`` and ``status`` ("optimal" when proven the cheapest
    set that leaves a step out, which needs every set cut off before it to have been
    scheduled, else "feasible"); or no route (``schedule`` None) and why: "needed" (no set
    leaves a step out: every step is needed), "unscheduled" (the sets found could not be
    scheduled) or "time"."""

    schedule: Schedule | None
    status: Literal["optimal", "feasible"] = "feasible"
    missing: Literal["", "needed", "unscheduled", "time"] = ""


def runner_up_route(
    instance: Instance,
    base: CostResult,
    plan_ids: frozenset[str],
    optional: frozenset[str],
    time_limit: Callable[[], float],
    *,
    interrupt: Interrupt | None = None,
) -> RunnerUp:
    """The runner-up route. ``time_limit``: called for each solve's limit.

    The model counts every chosen source's credit, so a set whose schedule receives less
    (an intake before its source finishes) really costs more than modelled: that set alone
    is excluded (a set containing it may bring credit that does arrive), its schedule is
    kept, and it is the answer once no set left is modelled below its real cost. A set that
    cannot be list-scheduled is cut off with every set containing it, as a guess: the
    answer is then no longer proven."""
    cuts = [optional]  # sets (and all sets containing them) cut off
    tried: list[frozenset[str]] = []  # sets excluded alone: they cost more than modelled
    dearer: Schedule | None = None  # the cheapest of those, scheduled
    certain = True  # no set was cut off for failing to be list-scheduled
    for _ in range(ATTEMPTS):
        solution, chosen = solve_runner_up(
            instance, base, plan_ids, cuts, time_limit(), exclude=tried, interrupt=interrupt
        )
        value = solution.value
        if solution.x is None or value is None:
            if dearer is not None:  # proven when no other set is left
                return _route(dearer, certain and solution.status == "infeasible")
            if solution.status != "infeasible":
                return RunnerUp(None, missing="time")
            return RunnerUp(None, missing="needed" if len(cuts) == 1 else "unscheduled")
        optimal = solution.status == "optimal"
        if dearer is not None and optimal and value >= dearer.cost - _tolerance(value):
            return _route(dearer, certain)  # every set left is modelled at dearer's cost or more
        schedule = schedule_set(instance, chosen)
        if schedule is None:
            certain = False
            cuts.append(chosen)
        elif schedule.cost <= value + _tolerance(value):
            # as modelled: no set left costs less (they are modelled at value or more)
            if dearer is not None and dearer.cost < schedule.cost:
                schedule = dearer
            return _route(schedule, optimal and certain)
        else:
            tried.append(chosen)
            if dearer is None or schedule.cost < dearer.cost:
                dearer = schedule
    if dearer is not None:
        return _route(dearer, proven=False)
    return RunnerUp(None, missing="unscheduled")


def _route(schedule: Schedule, proven: bool) -> RunnerUp:
    return RunnerUp(schedule, "optimal" if proven else "feasible")


def _tolerance(cost: float) -> float:
    """How far apart two costs of the model may be and still count as equal (HiGHS' own
    tolerances)."""
    return 1e-6 * (1.0 + abs(cost))


def solve_runner_up(
    instance: Instance,
    base: CostResult,
    plan_ids: frozenset[str],
    forbid: list[frozenset[str]],
    time_limit: float,
    *,
    exclude: Sequence[frozenset[str]] = (),
    interrupt: Interrupt | None = None,
) -> tuple[Solution, frozenset[str]]:
    """The cheapest set of ``base``'s model that leaves out at least one member of each set in
    ``forbid`` (the first is the plan's optional steps, later ones sets already tried) and is
    none of the sets in ``exclude``, within ``time_limit`` seconds in all. Returns the
    solution and the chosen set. ``base``'s model is left as it was."""
    started = time.perf_counter()
    model = base.model
    if model is None:
        raise ValueError("solve_runner_up needs a result of solve_cost_model")
    take = base.structure.take
    # nothing costs less than the plan's proven optimum (to HiGHS' gap, as the plan itself)
    floor = base.solution.value if base.solution.status == "optimal" else base.solution.bound
    tie = None if floor is None else floor + _tolerance(floor)
    start = _first_incumbent(
        instance,
        base,
        plan_ids,
        forbid,
        exclude,
        tie=tie,
        time_limit=time_limit,
        interrupt=interrupt,
    )
    if start is not None and start.value is not None and tie is not None and start.value <= tie:
        # as cheap as the plan itself (a tie): no set leaving a step out costs less
        solution = Solution("optimal", start.x, start.value, start.value)
        return solution, frozenset(c for c, v in take.items() if solution.is_one(v))
    first_row = model.row_count
    try:
        for forbidden in forbid:
            members = [take[c] for c in forbidden if c in take]
            model.row(dict.fromkeys(members, 1.0), upper=len(members) - 1)
        for excluded in exclude:
            # this set exactly: one of its members out, or any other credential in
            row = {var: 1.0 if cid in excluded else -1.0 for cid, var in take.items()}
            model.row(row, upper=len(excluded) - 1)
        solution = model.solve(
            base.objective,
            time_limit - (time.perf_counter() - started),  # the repair and completion count
            interrupt=interrupt,
            start=None if start is None else _nonzero(start),
        )
    finally:
        model.drop_rows(first_row)
    chosen = frozenset(c for c, v in take.items() if solution.is_one(v))
    return solution, chosen


def _first_incumbent(
    instance: Instance,
    base: CostResult,
    plan_ids: frozenset[str],
    forbid: list[frozenset[str]],
    exclude: Sequence[frozenset[str]],
    *,
    tie: float | None,
    time_limit: float,
    interrupt: Interrupt | None,
) -> Solution | None:
    """A full model solution for the best repaired set (None when there is none); a set
    costing ``tie`` or less is as cheap as the plan, so the search stops there."""
    model = base.model
    if model is None or not forbid:
        return None
    take = base.structure.take
    best = GreedyRepair(instance, frozenset(take)).best(plan_ids, forbid, exclude, tie)
    if best is None:
        return None
    # the model completes the set: group indicators and transfer variables
    saved = {var: (model.lower[var], model.upper[var]) for var in take.values()}
    try:
        for cid, var in take.items():
            value = 1.0 if cid in best else 0.0
            model.set_bounds(var, value, value)
        completed = model.solve(base.objective, min(time_limit, 1.0), interrupt=interrupt)
    finally:
        for var, (lower, upper) in saved.items():
            model.set_bounds(var, lower, upper)
    return completed if completed.x is not None else None


def _nonzero(solution: Solution) -> dict[int, float]:
    x = solution.x
    return {} if x is None else {var: float(value) for var, value in enumerate(x) if value != 0.0}
