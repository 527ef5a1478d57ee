"""``plan``: the cheapest or the fastest plan, with its status, bound and explanation."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from pathplanner.graph.planner.bounds import (
    earliest_finish,
    earliest_plan,
    earliest_starts,
    early_set,
    goal_finish,
    light_set,
)
from pathplanner.graph.planner.explain import diagnose, money, step_reason, week_text
from pathplanner.graph.planner.instance import Instance, build_instance
from pathplanner.graph.planner.models import cost_slack, solve_cost_model, solve_time_model
from pathplanner.graph.planner.schedule import (
    Schedule,
    dependencies,
    evaluate,
    list_schedule,
    violations,
)
from pathplanner.graph.planner.types import (
    Plan,
    PlanningCancelled,
    PlanRequest,
    PlanStep,
    Status,
)
from pathplanner.model import Catalog, requirement_refs

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]

# The time-indexed model is only attempted when its estimated size (start variables times
# running weeks) is below this and it can be built within the time left (see fits_in_time),
# so a huge closure falls back to the heuristic plan and its bounds instead.
MAX_TIME_MODEL_SIZE = 2_000_000
# The cheapest plan's tie-break (earliest finish at the same cost) is a bounded extra effort:
# past this time the list-scheduled finish of the optimal set is kept.
TIE_BREAK_SECONDS = 0.5


class Clock:
    """The solve's deadline, progress reports and cancellation checks."""

    def __init__(self, limit: float, progress: Progress | None, cancel: Cancel | None) -> None:
        self.deadline = time.perf_counter() + limit
        self._progress = progress
        self._cancel = cancel

    main_solve: float = 0.1  # seconds the first model solve took: sizes the side solves
    alternatives: bool = True  # compare with other routes in the explanation

    def side_budget(self) -> float:
        """Time for an explanation's extra solve: a few times the main solve, at most 30% of
        what is left (so explanations never dominate the planning time)."""
        return min(self.remaining(0.3), max(0.2, 3 * self.main_solve))

    def remaining(self, share: float = 1.0) -> float:
        return max(0.0, (self.deadline - time.perf_counter()) * share)

    def check(self) -> None:
        """Raise PlanningCancelled when the caller asked to stop."""
        if self._cancel is not None and self._cancel():
            raise PlanningCancelled("planning cancelled")

    def step(self, fraction: float, message: str) -> None:
        self.check()
        if self._progress is not None:
            self._progress(min(1.0, max(0.0, fraction)), message)


@dataclass
class Found:
    schedule: Schedule
    lower_bound: float
    proven: bool


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
    clock = Clock(request.time_limit, progress, cancel)
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


# --- cheapest ------------------------------------------------------------------------------


def cheapest(instance: Instance, clock: Clock) -> Plan:
    if goal_finish(instance, earliest_finish(instance)) > instance.request.horizon_weeks:
        # even with unlimited capacity the goal cannot be reached in time: a proof
        return infeasible(instance, clock)
    clock.step(0.05, "solving the cost model")
    started = time.perf_counter()
    result = solve_cost_model(instance, clock.remaining(0.5))
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
    found = prune(instance, found)
    if found.proven:
        found = earliest_among_cheapest(instance, clock, found)
    return finish_plan(instance, clock, found, "cost")


def schedule_set(instance: Instance, chosen: frozenset[str] | set[str]) -> Schedule | None:
    """List-schedule a set, most critical first; None unless every rule holds."""
    for transfer_first in (True, False):  # a transfer source may have to follow its block
        schedule = list_schedule(
            instance,
            chosen,
            priority=critical_priority(instance, chosen, transfer=transfer_first),
            prefer=preference(instance),
            transfer_first=transfer_first,
        )
        if schedule is not None and not violations(instance, schedule):
            return schedule
    return None


def preference(instance: Instance) -> str:
    """How list scheduling places a credit block: cheapest or earliest finish first."""
    return "finish" if instance.request.objective == "time" else "cost"


def critical_priority(
    instance: Instance, chosen: frozenset[str] | set[str], *, transfer: bool = True
) -> dict[str, float]:
    """Longest remaining chain (in weeks) from each credential; longest goes first. Without
    ``transfer``, chains follow requirements only."""
    tail: dict[str, float] = {}
    users: dict[str, list[str]] = {c: [] for c in chosen}
    for c in chosen:
        refs = (
            dependencies(instance, c)
            if transfer
            else requirement_refs(instance.credential(c).requires)
        )
        for d in refs:
            if d in chosen:
                users[d].append(c)
    for c in reversed(instance.universe):
        if c in chosen:
            weeks = instance.classes[c][-1].weeks if c in instance.classes else 1
            tail[c] = weeks + max((tail[u] for u in users[c]), default=0.0)
    return {c: -t for c, t in tail.items()}


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

    * Left-shifting: a plan keeps its order relations (and so its transfer credit and cost, or
      better) when every credential starts at the first intake after the credentials it waits
      for, so some cheapest plan ends within the sum over candidates of (longest wait for an
      intake + longest duration). (With a capacity this ignores the rare case where extra
      transfer credit raises a weekly load; the result is still checked.)
    * When every credential that must be taken has intakes, nothing else needs to finish after
      their last intake plus their longest duration.
    """
    horizon = instance.request.horizon_weeks
    chain = 0
    for cid in instance.candidates:
        weeks = instance.intakes.get(cid)
        wait = 0
        if weeks:
            wait = max(b - a for a, b in zip((0, *weeks), weeks, strict=False))
        chain += wait + instance.classes[cid][-1].weeks
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


def realise(instance: Instance, starts: dict[str, int]) -> Schedule | None:
    """The plan a model's start weeks really give; re-scheduled in the same order when the
    realised loads (more transfer credit than the model used) break a rule."""
    schedule = evaluate(instance, starts)
    if not violations(instance, schedule):
        return schedule
    # a step the model took only for credit it did not count can be what overloads a block
    keep = set(instance.requirement_roots())
    for cid in sorted(set(starts) - keep):
        trial = evaluate(instance, {c: w for c, w in starts.items() if c != cid})
        if not violations(instance, trial):
            return trial
    order = {c: float(w) for c, w in starts.items()}
    repaired = list_schedule(instance, set(starts), priority=order, prefer=preference(instance))
    if repaired is None or violations(instance, repaired):
        return None
    return repaired


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


# --- fastest -------------------------------------------------------------------------------


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
            if best is None or _faster(schedule, best):
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
    if not violations(instance, direct) and (best is None or _faster(direct, best)):
        best = direct
    clock.step(0.25, "scheduling first plans")
    for seed in seeds:
        for schedule in schedule_variants(instance, seed):
            if best is None or _faster(schedule, best):
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
                if realised is not None and (best is None or _faster(realised, best)):
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
        if schedule is not None and _faster(schedule, best) and not violations(instance, schedule):
            best = schedule
    return best


def schedule_variants(instance: Instance, chosen: frozenset[str]) -> list[Schedule]:
    """Valid list schedules of a set under a few priority rules (critical chain first,
    heaviest first, fewest weeks first)."""
    rules = [critical_priority(instance, chosen)]
    if instance.request.hours_per_week is not None:
        effort = {c: -instance.credential(c).effort_hours for c in chosen}
        weeks = {c: float(instance.classes[c][0].weeks) for c in chosen if c in instance.classes}
        rules += [effort, weeks]
    result = []
    for rule in rules:
        schedule = list_schedule(instance, chosen, priority=rule, prefer=preference(instance))
        if schedule is not None and not violations(instance, schedule):
            result.append(schedule)
    # transfer sources free to follow their blocks, chains by requirements only
    rule = critical_priority(instance, chosen, transfer=False)
    schedule = list_schedule(
        instance, chosen, priority=rule, prefer=preference(instance), transfer_first=False
    )
    if schedule is not None and not violations(instance, schedule):
        result.append(schedule)
    return result


def fits_in_time(
    instance: Instance, horizon: int, earliest: dict[str, float], seconds: float
) -> bool:
    """Whether the time-indexed model can be built and get somewhere within ``seconds``.

    Size = start variables times running weeks (the capacity rows' nonzeros). HiGHS does not
    check its time limit during presolve and the root LP, which grow with that size, so the
    model is only tried below about 25,000 size units per second available (measured on the
    benchmark machine: a 2-core laptop-class CPU)."""
    size = 0.0
    for cid, first in earliest.items():
        weeks = instance.intakes[cid]
        span = max(0, horizon - int(first))
        for k in instance.classes[cid]:
            size += (span if weeks is None else len(weeks)) * (k.weeks + 3)
    return size <= MAX_TIME_MODEL_SIZE and size <= 25_000 * seconds


def _faster(a: Schedule, b: Schedule) -> bool:
    return (a.finish, a.cost) < (b.finish, b.cost - 1e-9)


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


# --- shared --------------------------------------------------------------------------------


def prune(instance: Instance, found: Found) -> Found:
    """Remove dead weight: any step whose removal keeps the plan valid and no worse."""
    schedule = found.schedule
    keep = set(instance.requirement_roots())
    for cid in reversed(instance.universe):
        starts = schedule.starts()
        if cid not in starts or cid in keep:
            continue
        del starts[cid]
        trial = evaluate(instance, starts)
        if (
            trial.cost <= schedule.cost + 1e-9
            and trial.finish <= schedule.finish
            and not violations(instance, trial)
        ):
            schedule = trial
    return Found(schedule, found.lower_bound, found.proven)


def finish_plan(instance: Instance, clock: Clock, found: Found, objective: str) -> Plan:
    schedule = found.schedule
    value = schedule.cost if objective == "cost" else float(schedule.finish)
    proven = found.proven or value <= found.lower_bound + 1e-6
    status: Status = "optimal" if proven else "feasible"
    lower = value if proven else found.lower_bound
    clock.step(0.9, "explaining the plan")
    text = describe_plan(instance, clock, schedule, status, lower)
    return make_plan(instance, schedule, status, lower, text)


def infeasible(instance: Instance, clock: Clock, *, proven: bool = True) -> Plan:
    clock.step(0.9, "finding out why there is no plan")
    if not proven:
        limit = instance.request.time_limit
        return make_plan(
            instance,
            Schedule(()),
            "infeasible",
            None,
            f"No plan found within the time limit of {limit:g} s, and none was ruled out: "
            "intake dates and weekly hours make this request hard; allow more time.",
        )
    min_cost = None
    if instance.request.budget is not None:
        relaxed = solve_cost_model(instance, max(clock.remaining(0.5), 1.0), budget_free=True)
        if relaxed.solution.status == "optimal":
            min_cost = relaxed.solution.value
    reason = diagnose(instance, min_cost)
    return make_plan(instance, Schedule(()), "infeasible", None, f"No plan: {reason}.")


def make_plan(
    instance: Instance,
    schedule: Schedule,
    status: Status,
    lower_bound: float | None,
    explanation: str,
) -> Plan:
    steps = tuple(
        PlanStep(
            id=s.id,
            start_week=s.start,
            finish_week=s.finish,
            duration_weeks=s.duration,
            cost=s.cost,
            effort_hours=s.effort,
            hours_per_week=s.load,
            transferred_credits=s.transferred,
            reason=step_reason(instance, schedule, s.id),
        )
        for s in schedule.slots
    )
    finish = schedule.finish
    return Plan(
        request=instance.request,
        status=status,
        steps=steps,
        total_cost=schedule.cost,
        finish_week=finish,
        start_date=instance.start_date,
        finish_date=instance.start_date + timedelta(days=7 * finish),
        lower_bound=lower_bound,
        explanation=explanation,
    )


def schedulable_alternative(
    instance: Instance,
    clock: Clock,
    *,
    use_transfer: bool = True,
    forbid: frozenset[str] | None = None,
    attempts: int = 3,
) -> tuple[Schedule, float, str] | None:
    """The cheapest route under a variation of the cost model (no transfer credit, or leaving
    out at least one of ``forbid``) whose set can really be scheduled (intakes, capacity):
    sets that cannot are cut off and the model re-solved, a few times. Returns the schedule,
    the model's cost and the solve status; None when there is none (or no time)."""
    cuts = [forbid] if forbid else []
    for _ in range(attempts):
        result = solve_cost_model(
            instance, clock.side_budget(), use_transfer=use_transfer, forbid_all_of=cuts
        )
        if result.solution.x is None or result.solution.value is None:
            return None
        schedule = schedule_set(instance, result.chosen)
        if schedule is not None:
            status = (
                "optimal"
                if result.solution.status == "optimal" and len(cuts) == (1 if forbid else 0)
                else "feasible"
            )
            return schedule, result.solution.value, status
        cuts.append(result.chosen)
    return None


def describe_plan(
    instance: Instance, clock: Clock, schedule: Schedule, status: Status, lower: float
) -> str:
    """The plan in a few sentences, with the best alternatives to compare it with."""
    request = instance.request
    steps = len(schedule.slots)
    head = (
        f"{'Cheapest' if request.objective == 'cost' else 'Fastest'} plan: "
        f"{money(schedule.cost)} for {steps} step{'s' if steps != 1 else ''}, finishing in "
        f"{week_text(instance, schedule.finish)}."
    )
    lines = [head]
    if status == "optimal":
        lines.append("Proven optimal.")
    elif request.objective == "cost":
        gap = (schedule.cost - lower) / schedule.cost if schedule.cost > 0 else 0.0
        lines.append(
            f"Best plan found within the time limit; no plan costs less than {money(lower)} "
            f"(gap {gap:.0%})."
        )
    else:
        lines.append(
            f"Best plan found within the time limit; no plan finishes before week {lower:g}."
        )
    if clock.remaining() < 0.05 or not clock.alternatives:
        return " ".join(lines)
    roots = set(instance.requirement_roots())
    if request.objective == "cost":
        if any(s.transferred > 0 for s in schedule.slots):
            plain = schedulable_alternative(instance, clock, use_transfer=False)
            if plain is not None:
                extra = plain[1] - schedule.cost
                which = "the cheapest route" if plain[2] == "optimal" else "the best route found"
                lines.append(
                    f"Without transfer credit {which} would cost "
                    f"{money(plain[1])} ({money(extra)} more)."
                )
        optional = schedule.ids - roots
        if optional:
            other = schedulable_alternative(instance, clock, forbid=optional)
            if other is not None:
                runner, _, found_status = other
                dropped = sorted(schedule.ids - runner.ids)
                added = sorted(runner.ids - schedule.ids)
                swap = (
                    f"takes {', '.join(added)} instead of {', '.join(dropped)}"
                    if added
                    else (f"leaves out {', '.join(dropped)}")
                )
                label = "Runner-up" if found_status == "optimal" else "Another"
                lines.append(
                    f"{label} route: {money(runner.cost)} "
                    f"({money(runner.cost - schedule.cost)} more), finishing in week "
                    f"{runner.finish}; it {swap}."
                )
            elif clock.remaining() > 0.05:
                lines.append("There is no other route: every step is needed.")
    else:
        cheap = solve_cost_model(instance, clock.side_budget())
        cheap_schedule = (
            schedule_set(instance, cheap.chosen) if cheap.solution.x is not None else None
        )
        if cheap_schedule is not None and cheap_schedule.cost < schedule.cost - 0.005:
            lines.append(
                f"The cheapest plan costs {money(cheap_schedule.cost)} "
                f"({money(schedule.cost - cheap_schedule.cost)} less) and finishes in week "
                f"{cheap_schedule.finish} ({cheap_schedule.finish - schedule.finish} weeks "
                "later)."
            )
        elif cheap_schedule is not None:
            lines.append("No plan is cheaper.")
    return " ".join(lines)
