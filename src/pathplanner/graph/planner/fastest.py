"""The fastest plan: first plans by list scheduling, lower bounds, the time-indexed model, and
the tie-break (lowest cost at the same finish)."""

from __future__ import annotations

import math
import random
import time

from pathplanner.graph.planner.bounds import (
    earliest_finish,
    earliest_plan,
    earliest_starts,
    early_set,
    goal_finish,
    light_set,
)
from pathplanner.graph.planner.clock import Clock, Found
from pathplanner.graph.planner.cost_model import solve_cost_model
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.outcome import (
    finish_plan,
    infeasible,
)
from pathplanner.graph.planner.schedule import (
    Schedule,
    evaluate,
    list_schedule,
    violations,
)
from pathplanner.graph.planner.set_scheduling import (
    critical_priority,
    faster,
    preference,
    prune,
    realise,
    schedule_variants,
)
from pathplanner.graph.planner.time_model import fits_in_time, solve_time_model
from pathplanner.graph.planner.types import (
    Plan,
)


def fastest(instance: Instance, clock: Clock) -> Plan:
    request = instance.request
    clock.step(0.05, "computing the earliest possible finish")
    optimistic = earliest_finish(instance)
    lower = goal_finish(instance, optimistic)
    if lower > request.horizon_weeks:
        return infeasible(instance, clock)
    seeds: list[frozenset[str]] = []
    capacity = request.hours_per_week
    best: Schedule | None = None
    if capacity is not None:
        # a solver-free light set first, so that a valid plan exists whatever the time limit
        for schedule in schedule_variants(instance, frozenset(light_set(instance))):
            if best is None or faster(schedule, best):
                best = schedule
        # under a capacity the least study is the first thing a fast plan needs
        clock.step(0.1, "bounding the total study load")
        least_effort = solve_cost_model(instance, clock.remaining(0.3), objective="effort")
        if least_effort.solution.status == "infeasible":
            return infeasible(instance, clock)
        if least_effort.solution.x is not None:
            seeds.append(least_effort.chosen)
        if least_effort.solution.bound is not None:
            lower = max(lower, math.ceil(least_effort.solution.bound / capacity - 1e-6))
    cheapest_set = solve_cost_model(instance, clock.remaining(0.2))
    if cheapest_set.solution.status == "infeasible":
        return infeasible(instance, clock)
    if cheapest_set.solution.x is not None:
        seeds.append(cheapest_set.chosen)
    if capacity is not None:
        bound, heavy_seed = capacity_bounds(instance, clock, capacity)
        lower = max(lower, bound)
        if heavy_seed:
            seeds.append(heavy_seed)
    programme = earliest_plan(instance)
    early = frozenset(early_set(instance, programme))
    seeds.append(early)
    # the programme's own start weeks: without a capacity, the fastest plan itself
    direct = evaluate(instance, {c: int(programme.start[c]) for c in early})
    if not violations(instance, direct) and (best is None or faster(direct, best)):
        best = direct
    clock.step(0.25, "scheduling first plans")
    for seed in seeds:
        for schedule in schedule_variants(instance, seed):
            if best is None or faster(schedule, best):
                best = schedule
    if best is not None and best.finish > lower and capacity is not None:
        clock.step(0.3, "improving the first plan")
        best = perturbed_schedules(instance, best, lower, clock)
    horizon = best.finish if best is not None else request.horizon_weeks
    proven = best is not None and best.finish <= lower
    proven_infeasible = False
    if not proven and clock.remaining() > 0.05:
        earliest = earliest_starts(instance)
        if fits_in_time(instance, horizon, earliest, clock.remaining(0.4)):
            clock.step(0.35, "solving the time-indexed model")
            timed = solve_time_model(
                instance, horizon, earliest, clock.remaining(0.75), objective="time"
            )
            if timed is not None:
                solution = timed.solution
                if solution.status == "infeasible" and best is None:
                    proven_infeasible = True
                if solution.status == "infeasible" and best is not None:
                    lower = max(lower, best.finish)
                elif solution.bound is not None:
                    lower = max(lower, math.ceil(solution.bound - 1e-6))
                realised = realise(instance, timed.starts) if timed.starts else None
                if realised is not None and (best is None or faster(realised, best)):
                    best = realised
    if best is None:
        # proven only when the time-indexed model said so over the whole horizon
        return infeasible(instance, clock, proven=proven_infeasible)
    found = prune(instance, Found(best, float(lower), best.finish <= lower))
    if found.proven:
        found = cheapest_among_fastest(instance, clock, found)
    return finish_plan(instance, clock, found, "time")


def capacity_bounds(
    instance: Instance, clock: Clock, capacity: float
) -> tuple[float, frozenset[str]]:
    """Lower bounds on the finish week that the weekly capacity implies.

    * Two credentials heavier than H/2 h/week never run in the same week, so the plan lasts
      at least the sum of its heavy credentials' (shortest) durations.
    * For a goal credential: everything else in a plan without dead weight finishes before
      the goal starts, so the goal starts no earlier than the least prerequisite effort / H,
      and no earlier than the heavy prerequisites' total duration.

    Each minimum over plans is a small MILP over the cost model's structure. Also returns the
    set with the least heavy duration (a seed for the heuristic; empty if none was found).
    """
    heavy = {
        c: float(min(k.weeks for k in classes))
        for c, classes in instance.classes.items()
        if min(k.load for k in classes) > capacity / 2 + 1e-9
    }
    bound = 0.0
    least_heavy = solve_cost_model(instance, clock.remaining(0.15), weights=heavy)
    seed = least_heavy.chosen if least_heavy.solution.x is not None else frozenset()
    if least_heavy.solution.bound is not None:
        bound = math.ceil(least_heavy.solution.bound - 1e-6)
    goal = instance.request.goal
    if goal is None or instance.request.insist or goal not in instance.classes:
        return bound, seed
    effort = solve_cost_model(
        instance, clock.remaining(0.1), objective="effort", effort_without=goal
    ).solution.bound
    before = {c: w for c, w in heavy.items() if c != goal}
    heavy_before = solve_cost_model(instance, clock.remaining(0.1), weights=before).solution.bound
    ready = max(
        math.ceil((effort or 0.0) / capacity - 1e-6), math.ceil((heavy_before or 0.0) - 1e-6)
    )
    weeks = instance.intakes.get(goal)
    start = ready if weeks is None else next((w for w in weeks if w >= ready), math.inf)
    return max(bound, start + instance.classes[goal][0].weeks), seed


def perturbed_schedules(instance: Instance, best: Schedule, lower: float, clock: Clock) -> Schedule:
    """Randomised list scheduling of the best set: critical-chain priorities with noise, for
    a bounded share of the time left (deterministic: a fixed seed)."""
    rng = random.Random(0)
    chosen = best.ids
    base = critical_priority(instance, chosen)
    spread = max(1.0, max((-v for v in base.values()), default=1.0))
    deadline = time.perf_counter() + min(clock.remaining(0.3), 3.0)
    tries = 0
    while time.perf_counter() < deadline and best.finish > lower and tries < 5000:
        tries += 1
        if tries % 50 == 0:
            clock.check()
        noise = 0.1 + 0.4 * rng.random()
        rule = {c: v + noise * spread * rng.random() for c, v in base.items()}
        schedule = list_schedule(instance, chosen, priority=rule, prefer=preference(instance))
        if schedule is not None and faster(schedule, best) and not violations(instance, schedule):
            best = schedule
    return best


def cheapest_among_fastest(instance: Instance, clock: Clock, found: Found) -> Found:
    """Tie-break: the lowest cost among plans finishing in the optimal week."""
    current = found.schedule
    horizon = current.finish
    earliest = earliest_starts(instance)
    if clock.remaining() < 0.05:
        return found
    clock.step(0.8, "looking for a cheaper plan finishing as early")
    bound = solve_cost_model(instance, clock.remaining(0.3)).solution.bound
    if bound is not None and bound >= current.cost - 1e-6:
        return found  # already as cheap as any plan at all
    budget = min(clock.remaining(0.6), 0.25 * instance.request.time_limit)
    if not fits_in_time(instance, horizon, earliest, budget * 0.5):
        return found
    timed = solve_time_model(instance, horizon, earliest, budget, objective="cost")
    if timed is None or not timed.starts:
        return found
    schedule = realise(instance, timed.starts)
    if (
        schedule is not None
        and schedule.finish <= current.finish
        and schedule.cost < current.cost - 1e-6
    ):
        return prune(instance, Found(schedule, found.lower_bound, found.proven))
    return found
