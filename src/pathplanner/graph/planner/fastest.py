"""The fastest plan: first plans by list scheduling, lower bounds, the time-indexed model, and
the tie-break (lowest cost at the same finish)."""

from __future__ import annotations

import importlib
import math
import random
import sys
import time
from types import ModuleType
from typing import TYPE_CHECKING

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
from pathplanner.graph.planner.instance import EPS, Instance
from pathplanner.graph.planner.occupation import least_occupation
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
    schedule_variants,
)
from pathplanner.graph.planner.types import (
    Plan,
)

if TYPE_CHECKING:
    from pathplanner.graph.planner.cpsat_model import CpModel

# Goal intakes for which goal_finish_bound solves a MILP (the rest use the shortest duration).
GOAL_INTAKES_PROBED = 3
# Building a CP-SAT model and starting its workers takes up to ~0.2 s on the benchmark goals:
# with less time left than this, the plan in hand is returned rather than overrunning.
CP_MIN_SECONDS = 0.3
CP_IMPORT_SECONDS = 1.0
CP_SAT_MODULE = "pathplanner.graph.planner.cpsat_model"
# Sets scheduled by CP-SAT alone before the full model (the best plan's, then the last seeds).
SCHEDULED_SETS = 3


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
    goal_start = 0
    if capacity is not None:
        bound, bound_seeds, goal_start = capacity_bounds(instance, clock, capacity)
        lower = max(lower, bound)
        seeds += [seed for seed in bound_seeds if seed]
    programme = earliest_plan(instance)
    early = frozenset(early_set(instance, programme))
    seeds.append(early)
    # the programme's own start weeks: without a capacity, the fastest plan itself
    direct = evaluate(instance, {c: int(programme.start[c]) for c in early})
    if not violations(instance, direct) and (best is None or faster(direct, best)):
        best = direct
    clock.step(0.25, "scheduling first plans")
    for seed in seeds:
        if best is not None and clock.remaining() < 0.1:
            break  # a plan is in hand: keep the time limit
        for schedule in schedule_variants(instance, seed):
            if best is None or faster(schedule, best):
                best = schedule
    if best is not None and best.finish > lower and capacity is not None:
        clock.step(0.3, "improving the first plan")
        best = perturbed_schedules(instance, best, lower, clock)
    proven_infeasible = False
    cp_sat = cp_sat_module(clock) if best is None or best.finish > lower else None
    if cp_sat is not None:
        clock.step(0.35, "solving the scheduling model (CP-SAT)")
        limit = request.horizon_weeks if best is None else best.finish
        built = cp_sat.build_model(
            instance,
            earliest_starts(instance),
            limit=limit,
            lower=int(lower),
            goal_start=goal_start,
        )
        if best is not None:
            best = schedule_chosen_sets(instance, clock, built, best, seeds)
        outcome = cp_sat.solve(built, clock, clock.remaining(0.8), objective="time", hint=best)
        if outcome.status == "infeasible":
            if best is None:
                proven_infeasible = True  # no plan finishes within the horizon
        elif outcome.bound is not None:
            lower = max(lower, math.ceil(outcome.bound - 1e-6))
        if outcome.starts:
            found_schedule = evaluate(instance, outcome.starts)
            if not violations(instance, found_schedule) and (
                best is None or faster(found_schedule, best)
            ):
                best = found_schedule
    if best is None:
        # proven only when the time-indexed model said so over the whole horizon
        return infeasible(instance, clock, proven=proven_infeasible)
    found = prune(instance, Found(best, float(lower), best.finish <= lower))
    if found.proven:
        found = cheapest_among_fastest(instance, clock, found)
    return finish_plan(instance, clock, found, "time")


def capacity_bounds(
    instance: Instance, clock: Clock, capacity: float
) -> tuple[float, list[frozenset[str]], int]:
    """Lower bounds on the finish week that the weekly capacity implies.

    * Two credentials heavier than H/2 h/week never run in the same week, so the plan lasts
      at least the sum of its heavy credentials' (shortest) durations (a MILP whose set is
      also a seed for the heuristic).
    * The least occupation of any goal-reaching set (``occupation.least_occupation``: total
      study / H and dual feasible functions of the weekly loads, in one MILP).
    * For a goal credential: everything else in a plan without dead weight finishes before
      the goal starts, so the goal starts no earlier than the least occupation of the rest,
      then at its first intake, and lasts at least its shortest duration.

    Returns the bound, the sets the MILPs found (seeds for the heuristic) and the bound on
    the goal's start (0 when there is no single goal credential).
    """
    heavy = {
        c: float(min(k.weeks for k in classes))
        for c, classes in instance.classes.items()
        # the checker lets a week hold H + EPS: two loads over half of that never share one
        if min(k.load for k in classes) > (capacity + EPS) / 2
    }
    bound = 0.0
    least_heavy = solve_cost_model(instance, clock.remaining(0.1), weights=heavy)
    seeds = [least_heavy.chosen] if least_heavy.solution.x is not None else []
    if least_heavy.solution.bound is not None:
        bound = math.ceil(least_heavy.solution.bound - 1e-6)
    goal = instance.request.goal
    if goal is None or instance.request.insist or goal not in instance.classes:
        weeks, packed, _ = least_occupation(instance, capacity, clock.remaining(0.15))
        return max(bound, math.ceil((weeks or 0.0) - 1e-6)), [*seeds, packed], 0
    before, packed, _ = least_occupation(instance, capacity, clock.remaining(0.15), leave_out=goal)
    ready = math.ceil((before or 0.0) - 1e-6)
    finish, fitting = goal_finish_bound(instance, clock, capacity, goal, ready)
    return max(bound, finish), [*seeds, packed, *fitting], ready


def goal_finish_bound(
    instance: Instance, clock: Clock, capacity: float, goal: str, ready: int
) -> tuple[float, list[frozenset[str]]]:
    """The goal starts at an intake >= ``ready`` and lasts at least its shortest duration;
    its duration falls with the credit transferred in, which takes study before it starts.
    For the first few intakes, the least duration the goal can have when everything before
    it fits by then (a MILP each) gives intake + that duration; the minimum over intakes
    (later ones with the shortest duration) bounds the finish. Also returns the sets those
    MILPs found (each fits before its intake on occupation: seeds for the heuristic)."""
    shortest = min(k.weeks for k in instance.classes[goal])
    weeks = instance.intakes.get(goal)
    if weeks is None:
        return ready + shortest, []
    options = [w for w in weeks if w >= ready]
    best = math.inf
    fitting: list[frozenset[str]] = []
    for index, week in enumerate(options):
        if week + shortest >= best:
            break
        if index >= GOAL_INTAKES_PROBED or clock.remaining() < 0.5:
            best = min(best, week + shortest)
            break
        least, chosen, status = least_occupation(
            instance, capacity, clock.remaining(0.1), leave_out=goal, within=week
        )
        if status == "infeasible":
            continue  # what must come before the goal does not fit by this intake
        if chosen:
            fitting.append(chosen)
        duration = max(shortest, math.ceil((least or 0.0) - 1e-6))
        best = min(best, week + duration)
    return best, fitting


def cp_sat_module(clock: Clock) -> ModuleType | None:
    """The CP-SAT model module when there is time to use it (None otherwise). OR-Tools (with
    pandas) takes 0.6-1 s to import, so it is imported by the first solve that has the time
    for that too, never by planner imports or cheapest plans."""
    if clock.remaining() < CP_MIN_SECONDS:
        return None
    if CP_SAT_MODULE not in sys.modules and clock.remaining() < CP_MIN_SECONDS + CP_IMPORT_SECONDS:
        return None
    return importlib.import_module(CP_SAT_MODULE)


def schedule_chosen_sets(
    instance: Instance,
    clock: Clock,
    built: CpModel,
    best: Schedule,
    seeds: list[frozenset[str]],
) -> Schedule:
    """CP-SAT on the best plan's set and the last seeds alone (a scheduling problem without
    the choice of credentials, where list scheduling may pack badly), a short time each."""
    from pathplanner.graph.planner.cpsat_model import solve as solve_cp  # noqa: PLC0415

    sets = list(dict.fromkeys([best.ids, *reversed(seeds)]))[:SCHEDULED_SETS]
    for chosen in sets:
        if clock.remaining() < 0.5:
            break
        outcome = solve_cp(
            built,
            clock,
            clock.remaining(0.1),
            objective="time",
            max_finish=best.finish - 1,
            within=chosen,
        )
        if outcome.starts:
            schedule = evaluate(instance, outcome.starts)
            if not violations(instance, schedule) and faster(schedule, best):
                best = schedule
    return best


def perturbed_schedules(instance: Instance, best: Schedule, lower: float, clock: Clock) -> Schedule:
    """Randomised list scheduling of the best set: critical-chain priorities with noise, for
    a small share of the time left (deterministic: a fixed seed); CP-SAT improves on it."""
    rng = random.Random(0)
    chosen = best.ids
    base = critical_priority(instance, chosen)
    spread = max(1.0, max((-v for v in base.values()), default=1.0))
    deadline = time.perf_counter() + min(clock.remaining(0.1), 1.0)
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
    """Tie-break: the lowest cost among plans finishing in the optimal week (CP-SAT with the
    makespan bounded and the cost as the objective, started from the current plan)."""
    current = found.schedule
    cp_sat = cp_sat_module(clock)
    if cp_sat is None:
        return found
    clock.step(0.8, "looking for a cheaper plan finishing as early (CP-SAT)")
    bound = solve_cost_model(instance, clock.remaining(0.3)).solution.bound
    if bound is not None and bound >= current.cost - 1e-6:
        return found  # already as cheap as any plan at all
    budget = min(clock.remaining(0.6), 0.25 * instance.request.time_limit)
    built = cp_sat.build_model(instance, earliest_starts(instance), limit=current.finish)
    outcome = cp_sat.solve(
        built, clock, budget, objective="cost", hint=current, max_finish=current.finish
    )
    if not outcome.starts:
        return found
    schedule = evaluate(instance, outcome.starts)
    if (
        not violations(instance, schedule)
        and schedule.finish <= current.finish
        and schedule.cost < current.cost - 1e-6
    ):
        return prune(instance, Found(schedule, found.lower_bound, found.proven))
    return found
