"""The returned plan: status, bound, steps with reasons, and the explanation with the best
alternatives to compare with (or the reason there is no plan)."""

from __future__ import annotations

import sys
from datetime import timedelta
from functools import partial

from pathplanner.graph.planner.clock import Clock, Found
from pathplanner.graph.planner.cost_model import (
    CostResult,
    resolve_cost_model,
    solve_cost_model,
)
from pathplanner.graph.planner.explain import diagnose, money, step_reasons, week_text
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.runner_up import runner_up_route
from pathplanner.graph.planner.schedule import (
    Schedule,
)
from pathplanner.graph.planner.set_scheduling import (
    schedule_set,
)
from pathplanner.graph.planner.types import (
    Plan,
    PlanStep,
    Status,
)


def finish_plan(
    instance: Instance,
    clock: Clock,
    found: Found,
    objective: str,
    *,
    cost_model: CostResult | None = None,
) -> Plan:
    """The plan with its status and explanation. ``cost_model``: the solved cost model, whose
    model the explanation's comparison solves reuse (else they build their own)."""
    schedule = found.schedule
    value = schedule.cost if objective == "cost" else float(schedule.finish)
    proven = found.proven or value <= found.lower_bound + 1e-6
    status: Status = "optimal" if proven else "feasible"
    lower = value if proven else found.lower_bound
    clock.step(0.9, "explaining the plan")
    text = describe_plan(instance, clock, schedule, status, lower, cost_model=cost_model)
    return make_plan(instance, schedule, status, lower, text)


def infeasible(instance: Instance, clock: Clock, *, proven: bool = True) -> Plan:
    clock.step(0.9, "finding out why there is no plan")
    if not proven:
        return make_plan(instance, Schedule(()), "infeasible", None, unproven_text(instance, clock))
    min_cost = None
    if instance.request.budget is not None:
        relaxed = solve_cost_model(
            instance,
            max(clock.remaining(0.5), 1.0),
            budget_free=True,
            interrupt=clock.interrupt,
        )
        if relaxed.solution.status == "optimal":
            min_cost = relaxed.solution.value
    reason = diagnose(instance, min_cost)
    return make_plan(instance, Schedule(()), "infeasible", None, f"No plan: {reason}.")


def unproven_text(instance: Instance, clock: Clock) -> str:
    """Why no plan was found although none was ruled out: the time limit only when it was
    really used up, else what stopped the search (too little time left for the exact
    scheduling model, or that model's share of the time spent without a plan)."""
    # the fastest-plan module holds the CP-SAT thresholds (and imports this one)
    from pathplanner.graph.planner.fastest import (  # noqa: PLC0415
        CP_IMPORT_SECONDS,
        CP_MIN_SECONDS,
        CP_SAT_MODULE,
    )

    limit = instance.request.time_limit
    left = clock.remaining()
    advice = "intake dates and weekly hours make this request hard; allow more time."
    if left <= max(0.05, 0.02 * limit):
        return (
            f"No plan found within the time limit of {limit:g} s, and none was ruled out: {advice}"
        )
    needed = CP_MIN_SECONDS + (0.0 if CP_SAT_MODULE in sys.modules else CP_IMPORT_SECONDS)
    if left < needed:
        why = (
            f"the {left:.2g} s left were too few for the exact scheduling model "
            f"(it needs {needed:.2g} s)"
        )
    else:
        why = "the exact scheduling model found no plan in its share of the time"
    used = limit - clock.reserve - left
    return (
        f"No plan found, and none was ruled out: the search stopped after {used:.2g} s of the "
        f"{limit:g} s time limit because {why}; {advice}"
    )


def make_plan(
    instance: Instance,
    schedule: Schedule,
    status: Status,
    lower_bound: float | None,
    explanation: str,
) -> Plan:
    reasons = step_reasons(instance, schedule)
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
            reason=reasons[s.id],
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
    attempts: int = 3,
    base: CostResult | None = None,
) -> tuple[Schedule, float, str] | None:
    """The cheapest route of the cost model (or of its variation without transfer credit)
    whose set can really be scheduled (intakes, capacity): sets that cannot are cut off and
    the model re-solved, a few times. Returns the schedule, the model's cost and the solve
    status; None when there is none (or no time). ``base``: the solved cost model to re-solve
    instead of building one. (The runner-up route is :mod:`runner_up`'s.)"""
    cuts: list[frozenset[str]] = []
    solve = (
        partial(resolve_cost_model, base)
        if base is not None
        else partial(solve_cost_model, instance)
    )
    for _ in range(attempts):
        result = solve(
            clock.side_budget(),
            use_transfer=use_transfer,
            forbid_all_of=cuts,
            interrupt=clock.interrupt,
        )
        if result.solution.x is None or result.solution.value is None:
            return None
        schedule = schedule_set(instance, result.chosen)
        if schedule is not None:
            status = "optimal" if result.solution.status == "optimal" and not cuts else "feasible"
            return schedule, result.solution.value, status
        cuts.append(result.chosen)
    return None


def runner_up_lines(
    instance: Instance,
    clock: Clock,
    schedule: Schedule,
    optional: frozenset[str],
    cost_model: CostResult | None,
) -> list[str]:
    """The explanation's runner-up sentence: the cheapest route leaving out an optional step."""
    base = cost_model
    if base is None or base.model is None:
        base = solve_cost_model(instance, clock.side_budget(), interrupt=clock.interrupt)
    found = runner_up_route(
        instance, base, schedule.ids, optional, clock.side_budget, interrupt=clock.interrupt
    )
    runner = found.schedule
    if runner is None:
        if found.missing == "needed":
            return ["There is no other route: every step is needed."]
        if found.missing == "unscheduled":
            return [
                "The cheapest other routes found cannot be scheduled "
                "(intakes, weekly hours or horizon)."
            ]
        return []
    dropped = sorted(schedule.ids - runner.ids)
    added = sorted(runner.ids - schedule.ids)
    swap = (
        f"takes {', '.join(added)} instead of {', '.join(dropped)}"
        if added
        else (f"leaves out {', '.join(dropped)}")
    )
    cheaper = runner.cost < schedule.cost - 0.005
    label = "Runner-up" if found.status == "optimal" and not cheaper else "Another"
    currency = instance.catalog.currency
    return [
        f"{label} route: {money(runner.cost, currency)} "
        f"({_compared(runner.cost, schedule.cost, currency)}), "
        f"finishing in week {runner.finish}; it {swap}."
    ]


def _compared(cost: float, plan_cost: float, currency: str) -> str:
    """ "$X more" than the plan, or "$X less" (a plan the time limit left unproven can cost
    more than a route found while explaining it)."""
    if cost < plan_cost - 0.005:
        return f"{money(plan_cost - cost, currency)} less"
    return f"{money(cost - plan_cost, currency)} more"


def describe_plan(
    instance: Instance,
    clock: Clock,
    schedule: Schedule,
    status: Status,
    lower: float,
    *,
    cost_model: CostResult | None = None,
) -> str:
    """The plan in a few sentences, with the best alternatives to compare it with."""
    request = instance.request
    currency = instance.catalog.currency
    steps = len(schedule.slots)
    head = (
        f"{'Cheapest' if request.objective == 'cost' else 'Fastest'} plan: "
        f"{money(schedule.cost, currency)} for {steps} step{'s' if steps != 1 else ''}, "
        f"finishing in {week_text(instance, schedule.finish)}."
    )
    lines = [head]
    if status == "optimal":
        lines.append("Proven optimal.")
    elif request.objective == "cost":
        gap = (schedule.cost - lower) / schedule.cost if schedule.cost > 0 else 0.0
        lines.append(
            "Best plan found within the time limit; no plan costs less than "
            f"{money(lower, currency)} (gap {gap:.0%})."
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
            clock.step(0.92, "explaining the plan: the route without transfer credit")
            plain = schedulable_alternative(instance, clock, use_transfer=False, base=cost_model)
            if plain is not None:
                which = "the cheapest route" if plain[2] == "optimal" else "the best route found"
                lines.append(
                    f"Without transfer credit {which} would cost "
                    f"{money(plain[1], currency)} ({_compared(plain[1], schedule.cost, currency)})."
                )
        optional = schedule.ids - roots
        if optional:
            clock.step(0.95, "explaining the plan: the runner-up route")
            lines += runner_up_lines(instance, clock, schedule, optional, cost_model)
    else:
        cheap = solve_cost_model(instance, clock.side_budget(), interrupt=clock.interrupt)
        cheap_schedule = (
            schedule_set(instance, cheap.chosen) if cheap.solution.x is not None else None
        )
        if cheap_schedule is not None and cheap_schedule.cost < schedule.cost - 0.005:
            weeks = cheap_schedule.finish - schedule.finish
            # sooner only when the time limit left the fastest plan unproven
            when = f"{weeks} weeks later" if weeks >= 0 else f"{-weeks} weeks sooner"
            lines.append(
                f"The cheapest plan costs {money(cheap_schedule.cost, currency)} "
                f"({money(schedule.cost - cheap_schedule.cost, currency)} less) and finishes "
                f"in week {cheap_schedule.finish} ({when})."
            )
        elif cheap_schedule is not None:
            lines.append("No plan is cheaper.")
    return " ".join(lines)
