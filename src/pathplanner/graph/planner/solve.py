"""``plan``: the cheapest or the fastest plan, with its status, bound and explanation."""

from __future__ import annotations

import math
import time

from pathplanner.graph.planner.bounds import (
    earliest_finish,
    goal_finish,
)
from pathplanner.graph.planner.clock import Cancel, Clock, Found, Progress
from pathplanner.graph.planner.cost_model import CostResult, solve_cost_model
from pathplanner.graph.planner.explain import money
from pathplanner.graph.planner.fastest import fastest
from pathplanner.graph.planner.instance import Instance, build_instance
from pathplanner.graph.planner.milp import Report
from pathplanner.graph.planner.outcome import (
    finish_plan,
    infeasible,
    make_plan,
)
from pathplanner.graph.planner.runner_up import runner_up_route
from pathplanner.graph.planner.schedule import (
    Schedule,
)
from pathplanner.graph.planner.set_scheduling import (
    prune,
    schedule_set,
)
from pathplanner.graph.planner.timed_cheapest import (
    earliest_among_cheapest,
    timed_cheapest,
)
from pathplanner.graph.planner.types import (
    Plan,
    PlanRequest,
)
from pathplanner.model import Catalog


def plan(
    catalog: Catalog,
    request: PlanRequest,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    alternatives: bool = True,
) -> Plan:
    """The best plan for ``request`` (see docs/planning.md for the exact semantics).

    ``alternatives=False`` leaves out the explanation's comparison routes (without transfer
    credit, runner-up, cheapest), which cost extra solves; steps keep their reasons.
    """
    # The fastest plan searches up to its deadline and then prunes, tie-breaks and explains
    # (measured: up to 70 ms at 100k); keep that back so a 1 s request answers within 1 s.
    reserve = min(0.1, 0.1 * request.time_limit) if request.objective == "time" else 0.0
    clock = Clock(request.time_limit, progress, cancel, reserve=reserve)
    clock.alternatives = alternatives
    clock.step(0.0, "reading the goal's closure")
    instance = build_instance(catalog, request)
    plan_result = solve_instance(instance, clock)
    clock.step(1.0, "done")
    return plan_result


def solve_instance(instance: Instance, clock: Clock) -> Plan:
    if instance.goal_done:
        return make_plan(
            instance,
            Schedule(()),
            "optimal",
            0.0,
            "Nothing to take: the goal is already met by the credentials you hold.",
        )
    if instance.request.objective == "cost":
        return cheapest(instance, clock)
    return fastest(instance, clock)


def cheapest(instance: Instance, clock: Clock) -> Plan:
    if goal_finish(instance, earliest_finish(instance)) > instance.request.horizon_weeks:
        # even with unlimited capacity the goal cannot be reached in time: a proof
        return infeasible(instance, clock)
    clock.step(0.05, "solving the cost model")
    started = time.perf_counter()
    result = solve_cost_model(
        instance,
        clock.remaining(0.5),
        interrupt=clock.interrupt,
        report=cost_progress(instance, clock),
    )
    clock.main_solve = time.perf_counter() - started
    solution = result.solution
    if solution.status == "infeasible":
        return infeasible(instance, clock)
    found: Found | None = None
    first: Schedule | None = None
    if solution.x is not None:
        clock.step(0.4, "scheduling the cheapest set")
        first = schedule_set(instance, result.chosen)
        # the model assumes every chosen source's credit arrives: optimal only if it does
        model_cost = solution.value if solution.value is not None else -math.inf
        if first is not None and first.cost <= model_cost + 1e-6:
            bound = solution.bound if solution.bound is not None else 0.0
            found = Found(first, bound, solution.status == "optimal")
    if found is None:
        # intakes, the horizon or the weekly hours break the untimed optimum: use time model
        clock.step(0.5, "the cheapest set cannot be scheduled as modelled; solving with weeks")
        found, proven_infeasible = timed_cheapest(instance, clock, solution.bound, first)
        if found is None:
            return infeasible(instance, clock, proven=proven_infeasible)
    return conclude_cheapest(instance, clock, found, result)


def conclude_cheapest(instance: Instance, clock: Clock, found: Found, result: CostResult) -> Plan:
    """The cheapest plan from the best one found: cleared of dead weight, improved while
    unproven, given the earliest finish at its cost once proven, and explained."""
    found = prune(instance, found)
    if not found.proven:
        found = improve_unproven(instance, clock, found, result)
    if found.proven:
        found = earliest_among_cheapest(instance, clock, found)
    return finish_plan(instance, clock, found, "cost", cost_model=result)


def cost_progress(instance: Instance, clock: Clock) -> Report | None:
    """Live progress of a long cost-model solve: the cheapest plan found so far and the cost
    no plan can go below, so that a learner waiting on a large catalogue sees the search
    close in (the CLI and the benchmarks listen to no progress: no callback then)."""
    if not clock.reports:
        return None
    currency = instance.catalog.currency

    def report(best: float, bound: float) -> None:
        parts = []
        fraction = 0.05
        if math.isfinite(best):
            parts.append(f"best plan so far {money(best, currency)}")
        if math.isfinite(bound) and bound > 0:
            parts.append(f"none can cost less than {money(bound, currency)}")
            if math.isfinite(best) and best > 0:
                # the bar moves as the gap closes: 40 % or more at 0.05, none at 0.35
                # (written from 0.05 up: 0.35 - 0.3 is 0.0499..., below the phase's start)
                closed = 1.0 - min(1.0, max(0.0, best - bound) / best / 0.4)
                fraction = 0.05 + 0.3 * closed
        if parts:
            clock.tell(fraction, "solving the cost model: " + ", ".join(parts))

    return report


# Rounds of improve_unproven: each adopts a cheaper route found from the plan's repairs.
IMPROVE_ROUNDS = 8


def improve_unproven(instance: Instance, clock: Clock, found: Found, result: CostResult) -> Found:
    """A cheapest plan the time limit left unproven is the solver's incumbent at that moment,
    which can be far from the optimum (a quarter dearer on the hardest 100k degrees at a 1 s
    limit). The runner-up search, which starts from greedy repairs of the plan, often finds a
    cheaper route quickly: adopt it (a few rounds), so that the plan is never dearer than a
    route its own explanation names. The lower bound stays the main solve's; a plan that
    reaches it is proven (and then gets the tie-break, like any proven cheapest plan)."""
    roots = frozenset(instance.requirement_roots())
    for _ in range(IMPROVE_ROUNDS):
        optional = found.schedule.ids - roots
        if _reaches(found) or not optional or clock.remaining() < 0.05 or result.model is None:
            break
        route = runner_up_route(
            instance,
            result,
            found.schedule.ids,
            optional,
            clock.side_budget,
            interrupt=clock.interrupt,
        )
        if route.schedule is None or route.schedule.cost >= found.schedule.cost - 0.005:
            break
        found = prune(instance, Found(route.schedule, found.lower_bound, proven=False))
    return Found(found.schedule, found.lower_bound, _reaches(found))


def _reaches(found: Found) -> bool:
    """Whether the plan costs its lower bound (as :func:`outcome.finish_plan` counts it)."""
    return found.schedule.cost <= found.lower_bound + 1e-6
