"""The cheapest plan when the untimed optimum cannot be scheduled (intakes, horizon, weekly
hours), and the cheapest plan's tie-break (earliest finish at the same cost)."""

from __future__ import annotations

from pathplanner.graph.planner.bounds import (
    earliest_finish,
    earliest_plan,
    earliest_starts,
    early_set,
    goal_finish,
)
from pathplanner.graph.planner.clock import Clock, Found
from pathplanner.graph.planner.cost_model import cost_slack, solve_cost_model
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.schedule import (
    Schedule,
)
from pathplanner.graph.planner.set_scheduling import (
    prune,
    realise,
    schedule_set,
)
from pathplanner.graph.planner.time_model import fits_in_time, solve_time_model

# The cheapest plan's tie-break (earliest finish at the same cost) is a bounded extra effort:
# past this time the list-scheduled finish of the optimal set is kept.
TIE_BREAK_SECONDS = 0.5


def timed_cheapest(
    instance: Instance, clock: Clock, bound: float | None, incumbent: Schedule | None = None
) -> tuple[Found | None, bool]:
    """The cheapest plan when the untimed optimum cannot be scheduled as modelled: heuristic
    seeds give an incumbent, then the time-indexed model looks for a cheaper one. Also says
    whether the request was proven infeasible."""
    for seed in heuristic_seeds(instance, clock):
        schedule = schedule_set(instance, seed)
        if schedule is not None and (incumbent is None or schedule.cost < incumbent.cost):
            incumbent = schedule
    horizon = cost_horizon(instance)
    earliest = earliest_starts(instance)
    lower = bound or 0.0
    proven = False
    if fits_in_time(instance, horizon, earliest, clock.remaining(0.4)):
        cap = None if incumbent is None else incumbent.cost - cost_slack(instance)
        timed = solve_time_model(
            instance, horizon, earliest, clock.remaining(0.6), objective="cost", max_cost=cap
        )
        if timed is not None:
            solution = timed.solution
            if solution.status == "infeasible":
                if incumbent is None:
                    return None, True
                lower, proven = incumbent.cost, True  # nothing cheaper exists
            elif solution.bound is not None:
                lower = max(lower, solution.bound)
            if timed.starts:
                schedule = realise(instance, timed.starts)
                if schedule is not None and (incumbent is None or schedule.cost < incumbent.cost):
                    incumbent = schedule
                    proven = solution.status == "optimal"
    if incumbent is None:
        return None, False
    lower = min(lower, incumbent.cost)
    return Found(incumbent, lower, proven or incumbent.cost <= lower + 1e-6), False


def heuristic_seeds(instance: Instance, clock: Clock) -> list[frozenset[str]]:
    """Sets that tend to schedule well: earliest-finishing options, and the least study."""
    seeds = [frozenset(early_set(instance, earliest_plan(instance)))]
    if instance.request.hours_per_week is not None:
        least = solve_cost_model(instance, clock.remaining(0.1), objective="effort")
        if least.solution.x is not None:
            seeds.append(least.chosen)
    return seeds


def cost_horizon(instance: Instance) -> int:
    """Latest week a cheapest plan needs to be looked for.

    * Without a capacity, left-shifting: a plan keeps its cost, or gets cheaper, when every
      credential starts at the first intake after the credentials it waits for (a source that
      now finishes before its block only adds credit, which never raises a cost or a
      duration), so some cheapest plan ends within the sum over candidates of (longest wait
      for an intake + longest duration).
    * With a capacity that argument fails: extra credit can raise a block's weekly load over
      the capacity (the plan may need a source to finish after its block starts). Removing an
      idle week instead (nothing runs in it; everything after it moves one week earlier)
      keeps every "finished by" relation, so every credit, cost and weekly load; it only
      breaks intakes. After the last intake week L of any candidate nothing that starts has
      intakes, so some cheapest plan has no idle week after L and ends within
      L + 1 + the sum over candidates of the longest duration.
    * When every credential that must be taken has intakes, nothing else needs to finish after
      their last intake plus their longest duration (a step finishing after every such
      credential has started helps none of them; dropping it changes no credit).
    """
    horizon = instance.request.horizon_weeks
    durations = sum(instance.classes[cid][-1].weeks for cid in instance.candidates)
    if instance.request.hours_per_week is None:
        chain = durations
        for cid in instance.candidates:
            weeks = instance.intakes.get(cid)
            if weeks:
                chain += max(b - a for a, b in zip((0, *weeks), weeks, strict=False))
    else:
        last = max(
            (max(w) for c in instance.candidates if (w := instance.intakes.get(c))), default=-1
        )
        chain = last + 1 + durations
    horizon = min(horizon, chain)
    roots = instance.requirement_roots()
    if instance.open_skills or not roots:
        return horizon
    ends = []
    for root in roots:
        weeks = instance.intakes.get(root)
        if weeks is None or root not in instance.classes:
            return horizon
        ends.append(max(weeks, default=0) + instance.classes[root][-1].weeks)
    return min(horizon, max(ends))


def earliest_among_cheapest(instance: Instance, clock: Clock, found: Found) -> Found:
    """Tie-break: the earliest finish among plans of the same (optimal) cost."""
    current = found.schedule
    if current.finish <= 1 or clock.remaining() < 0.05:
        return found
    optimistic = earliest_finish(instance)
    if goal_finish(instance, optimistic) >= current.finish:
        return found
    horizon = current.finish - 1
    earliest = earliest_starts(instance)
    if not fits_in_time(instance, horizon, earliest, TIE_BREAK_SECONDS / 2):
        return found
    clock.step(0.7, "looking for an earlier finish at the same cost")
    timed = solve_time_model(
        instance,
        horizon,
        earliest,
        min(clock.remaining(0.5), TIE_BREAK_SECONDS),
        objective="time",
        max_cost=current.cost + 1e-6 + 1e-9 * current.cost,
    )
    if timed is None or not timed.starts:
        return found
    schedule = realise(instance, timed.starts)
    if (
        schedule is not None
        and schedule.cost <= current.cost + 1e-6
        and schedule.finish < current.finish
    ):
        return prune(instance, Found(schedule, found.lower_bound, found.proven))
    return found
