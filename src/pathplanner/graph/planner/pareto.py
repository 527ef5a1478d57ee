"""The cost-versus-finish trade-off: every non-dominated plan, by the epsilon-constraint method.

Start from the cheapest plan (finishing in week F); then repeatedly ask the CP-SAT scheduling
model (``cpsat_model``, cost objective, makespan bounded) for the cheapest plan finishing by
F - 1, and so on down to the fastest plan's finish week.
"""

from __future__ import annotations

from dataclasses import replace

from pathplanner.graph.planner.bounds import earliest_starts
from pathplanner.graph.planner.clock import Cancel, Clock, Found, Progress
from pathplanner.graph.planner.instance import build_instance
from pathplanner.graph.planner.outcome import finish_plan
from pathplanner.graph.planner.schedule import evaluate, violations
from pathplanner.graph.planner.set_scheduling import prune
from pathplanner.graph.planner.solve import solve_instance
from pathplanner.graph.planner.types import Plan, PlanRequest
from pathplanner.model import Catalog


def pareto_front(
    catalog: Catalog,
    request: PlanRequest,
    *,
    limit: int = 20,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> list[Plan]:
    """Non-dominated (total cost, finish week) plans, sorted by finish week ascending.

    Empty when the request has no plan (``plan`` gives the reason). Each plan is the cheapest
    finishing by its week (status "optimal" when that is proven). The slowest plan is the
    cheapest plan (objective "cost"); the others carry the objective "time" (the fastest plan,
    and plans bounded by a finish week, whose steps are judged by finish first, then cost).
    """
    # OR-Tools (with pandas) takes ~0.6 s to import: only when a front is asked for
    from pathplanner.graph.planner.cpsat_model import build_model  # noqa: PLC0415 (loads OR-Tools)
    from pathplanner.graph.planner.cpsat_model import solve as solve_cp  # noqa: PLC0415 (loads OR-Tools)

    clock = Clock(request.time_limit, progress, cancel)
    clock.step(0.0, "reading the goal's closure")
    cost_instance = build_instance(catalog, replace(request, objective="cost"))
    cheapest = solve_instance(cost_instance, Clock(clock.remaining(0.2), None, cancel))
    if cheapest.status == "infeasible":
        return []
    clock.step(0.2, "finding the fastest plan")
    time_instance = build_instance(catalog, replace(request, objective="time"))
    fastest = solve_instance(time_instance, Clock(clock.remaining(0.3), None, cancel))
    front = [cheapest]
    earliest = earliest_starts(cost_instance)
    built = None
    # the fastest plan finishes by every deadline asked for: a hint for each solve
    hint = (
        evaluate(cost_instance, {s.id: s.start_week for s in fastest.steps})
        if fastest.status != "infeasible"
        else None
    )
    while len(front) < limit and front[-1].finish_week > fastest.finish_week:
        deadline = front[-1].finish_week - 1
        share = 1.0 / max(1, min(limit - len(front), deadline - fastest.finish_week + 1))
        clock.step(0.5 + 0.4 * len(front) / limit, f"cheapest plan finishing by week {deadline}")
        if built is None:
            # one model over [0, the cheapest plan's finish]; each point bounds the makespan
            built = build_model(cost_instance, earliest, limit=deadline)
        outcome = solve_cp(
            built, clock, clock.remaining(share), objective="cost", max_finish=deadline, hint=hint
        )
        if not outcome.starts:
            break
        schedule = evaluate(cost_instance, outcome.starts)
        if violations(cost_instance, schedule):
            break
        bound = outcome.bound if outcome.bound is not None else 0.0
        found = prune(cost_instance, Found(schedule, bound, outcome.status == "optimal"))
        point = finish_plan(cost_instance, Clock(0.0, None, cancel), found, "cost")
        # a point between the two ends is a finish-week-bounded plan: it carries the "time"
        # objective (its steps are judged by finish first, then cost)
        # "optimal" then means: no cheaper plan finishes by this week; its bound is its week
        point = replace(
            point,
            request=time_instance.request,
            lower_bound=float(point.finish_week) if point.status == "optimal" else None,
            explanation=point.explanation.replace(
                "Cheapest plan:", f"Cheapest plan finishing by week {deadline}:", 1
            ),
        )
        if point.total_cost <= front[-1].total_cost + 1e-6:
            front[-1] = point  # same cost, sooner: the previous point was dominated
        else:
            front.append(point)
    if fastest.status != "infeasible":
        if fastest.total_cost <= front[-1].total_cost + 1e-6:
            if fastest.finish_week <= front[-1].finish_week:
                front[-1] = fastest
        elif fastest.finish_week < front[-1].finish_week and len(front) < limit:
            front.append(fastest)
    clock.step(1.0, "done")
    return sorted(front, key=lambda p: (p.finish_week, p.total_cost))
