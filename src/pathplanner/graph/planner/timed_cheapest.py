"""The cheapest plan when the untimed optimum cannot be scheduled (intakes, horizon, weekly
hours), and the cheapest plan's tie-break (earliest finish at the same cost)."""

from __future__ import annotations

from types import ModuleType

from pathplanner.graph.planner.bounds import (
    earliest_finish,
    earliest_plan,
    earliest_starts,
    early_set,
    goal_finish,
)
from pathplanner.graph.planner.clock import Clock, Found
from pathplanner.graph.planner.cost_model import cost_slack, solve_cost_model
from pathplanner.graph.planner.fastest import cp_sat_module
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.outcome import schedulable_alternative
from pathplanner.graph.planner.schedule import Schedule, evaluate, violations
from pathplanner.graph.planner.set_scheduling import (
    prune,
    realise,
    schedule_set,
)
from pathplanner.graph.planner.time_model import fits_in_time, solve_time_model

# The cheapest plan's tie-break (earliest finish at the same cost) is a bounded extra effort:
# past this time the list-scheduled finish of the optimal set is kept.
TIE_BREAK_SECONDS = 0.5
# Cost-model solves per variation (with transfer credit, without) in the no-good loop that
# looks for a first plan when no heuristic set can be scheduled.
NO_GOOD_ATTEMPTS = 3
# The tie-break uses CP-SAT (when the time-indexed model does not fit) only for closures of at
# most this many candidates: on the bundled catalogue (closures up to ~50) a solve takes
# 15-50 ms CPU and found an earlier finish at the same cost for 11 of 43 proven plans; on the
# synthetic 1k/10k degrees it took 15-580 ms and improved 1 of 20 (see docs/planning.md).
CP_SAT_TIE_BREAK_CANDIDATES = 100


def timed_cheapest(
    instance: Instance, clock: Clock, bound: float | None, incumbent: Schedule | None = None
) -> tuple[Found | None, bool]:
    """The cheapest plan when the untimed optimum cannot be scheduled as modelled: heuristic
    seeds and cost-model variations give an incumbent, then the time-indexed model (when it
    fits the time left) and the CP-SAT scheduling model (when that did not prove the answer)
    look for a cheaper one. Also says whether the request was proven infeasible."""
    for seed in heuristic_seeds(instance, clock):
        schedule = schedule_set(instance, seed)
        if schedule is not None and (incumbent is None or schedule.cost < incumbent.cost):
            incumbent = schedule
    direct = programme_schedule(instance)
    if direct is not None and (incumbent is None or direct.cost < incumbent.cost):
        incumbent = direct
    if incumbent is None:
        incumbent = cheap_incumbent(instance, clock)
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
    if not proven and (incumbent is None or incumbent.cost > lower + 1e-6):
        found, infeasible = cp_sat_cheapest(
            instance, clock, horizon, earliest, incumbent=incumbent, lower=lower
        )
        if infeasible:
            return None, True
        if found is not None:
            return found, False
    if incumbent is None:
        return None, False
    lower = min(lower, incumbent.cost)
    return Found(incumbent, lower, proven or incumbent.cost <= lower + 1e-6), False


def programme_schedule(instance: Instance) -> Schedule | None:
    """The earliest-finish programme's own start weeks (``bounds.earliest_plan``), pruned of
    dead weight: without a capacity a valid plan whenever the goal can be reached by the
    horizon at all, where list scheduling the same set for cost may miss an intake."""
    programme = earliest_plan(instance)
    early = early_set(instance, programme)
    direct = evaluate(instance, {c: int(programme.start[c]) for c in early})
    if violations(instance, direct):
        return None
    return prune(instance, Found(direct, 0.0, False)).schedule


def cheap_incumbent(instance: Instance, clock: Clock) -> Schedule | None:
    """A first plan from cost-model variations when no heuristic set could be scheduled: the
    cheapest set with the sets that cannot be scheduled cut off (a no-good loop), then the
    cheapest set without transfer credit (credit that arrives too late for an intake is what
    usually breaks the untimed optimum). A few solves at the explanation's side budget."""
    for use_transfer in (True, False):
        found = schedulable_alternative(
            instance, clock, use_transfer=use_transfer, attempts=NO_GOOD_ATTEMPTS
        )
        if found is not None:
            return found[0]
    return None


def cp_sat_cheapest(
    instance: Instance,
    clock: Clock,
    horizon: int,
    earliest: dict[str, float],
    *,
    incumbent: Schedule | None,
    lower: float,
) -> tuple[Found | None, bool]:
    """The CP-SAT scheduling model with the cost objective over ``horizon`` (which some
    cheapest plan finishes by), hinted with the incumbent and bounded by its cost. Returns the
    plan found (None when CP-SAT was not run or found nothing to report) and whether it proved
    that no plan exists. OR-Tools is imported only here, when the time left allows it."""
    cp_sat = cp_sat_module(clock)
    if cp_sat is None:
        return None, False
    clock.step(0.6, "solving the scheduling model for the cheapest plan (CP-SAT)")
    built = cp_sat.build_model(instance, earliest, limit=horizon)
    cap = None if incumbent is None else incumbent.cost
    outcome = cp_sat.solve(
        built, clock, clock.remaining(0.6), objective="cost", hint=incumbent, max_cost=cap
    )
    if outcome.status == "infeasible":
        if incumbent is None:
            return None, True  # no plan within a horizon that holds some cheapest plan
        lower = incumbent.cost  # the incumbent is within the cost bound: nothing cheaper
    elif outcome.bound is not None:
        lower = max(lower, outcome.bound)
    if outcome.starts:
        schedule = realise(instance, outcome.starts)
        if schedule is not None and (incumbent is None or schedule.cost < incumbent.cost - 1e-9):
            incumbent = schedule
    if incumbent is None:
        return None, False
    lower = min(lower, incumbent.cost)
    return Found(incumbent, lower, incumbent.cost <= lower + 1e-6), False


def cp_sat_earlier(
    instance: Instance,
    clock: Clock,
    cp_sat: ModuleType,
    earliest: dict[str, float],
    current: Schedule,
) -> Schedule | None:
    """The tie-break on the CP-SAT scheduling model: the earliest finish at no more than the
    current plan's (proven) cost, over weeks up to its finish (so the hint is a solution),
    within ``TIE_BREAK_SECONDS``."""
    clock.step(0.7, "looking for an earlier finish at the same cost (CP-SAT)")
    built = cp_sat.build_model(instance, earliest, limit=current.finish)
    outcome = cp_sat.solve(
        built,
        clock,
        min(clock.remaining(0.5), TIE_BREAK_SECONDS),
        objective="time",
        hint=current,
        max_cost=current.cost,
        light=True,
    )
    return earlier_at_same_cost(instance, current, outcome.starts)


def earlier_at_same_cost(
    instance: Instance, current: Schedule, starts: dict[str, int]
) -> Schedule | None:
    """The plan a tie-break model's start weeks give, when it is valid, finishes earlier
    than ``current`` and costs no more."""
    if not starts:
        return None
    schedule = realise(instance, starts)
    if (
        schedule is not None
        and schedule.cost <= current.cost + 1e-6
        and schedule.finish < current.finish
    ):
        return schedule
    return None


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
        if len(instance.candidates) > CP_SAT_TIE_BREAK_CANDIDATES:
            return found
        cp_sat = cp_sat_module(clock)
        if cp_sat is None:
            return found
        earlier = cp_sat_earlier(instance, clock, cp_sat, earliest, current)
        if earlier is None:
            return found
        return prune(instance, Found(earlier, found.lower_bound, found.proven))
    clock.step(0.7, "looking for an earlier finish at the same cost")
    timed = solve_time_model(
        instance,
        horizon,
        earliest,
        min(clock.remaining(0.5), TIE_BREAK_SECONDS),
        objective="time",
        max_cost=current.cost + 1e-6 + 1e-9 * current.cost,
    )
    schedule = None if timed is None else earlier_at_same_cost(instance, current, timed.starts)
    if schedule is None:
        return found
    return prune(instance, Found(schedule, found.lower_bound, found.proven))
