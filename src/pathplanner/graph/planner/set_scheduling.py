"""Turning a chosen set into a valid schedule: list scheduling under several priority rules,
repairing a model's start weeks, removing dead weight."""

from __future__ import annotations

from collections.abc import Iterator

from pathplanner.graph.planner.clock import Found
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.schedule import (
    Schedule,
    dependencies,
    evaluate,
    list_schedule,
    violations,
)
from pathplanner.model import is_satisfied, requirement_refs


def schedule_set(instance: Instance, chosen: frozenset[str] | set[str]) -> Schedule | None:
    """List-schedule a set, most critical first; None unless every rule holds."""
    for prefer in preferences(instance):
        for priority, transfer_first in _orders(instance, chosen):
            schedule = list_schedule(
                instance,
                chosen,
                priority=priority,
                prefer=prefer,
                transfer_first=transfer_first,
            )
            if schedule is not None and not violations(instance, schedule):
                return schedule
    return None


def preferences(instance: Instance) -> tuple[str, ...]:
    """How list scheduling places credit blocks, in the order tried: a fastest plan under a
    budget also tries the cheapest placement (a block that starts before its transfer source
    finishes, for the earlier finish, can cost more than the budget allows)."""
    if instance.request.objective == "time" and instance.request.budget is not None:
        return ("finish", "cost")
    return (preference(instance),)


def _orders(
    instance: Instance, chosen: frozenset[str] | set[str]
) -> Iterator[tuple[dict[str, float], bool]]:
    """The orders list scheduling tries, each with whether transfer sources go before their
    blocks; later ones only when the earlier fail."""
    critical = critical_priority(instance, chosen)
    yield critical, True
    yield critical_priority(instance, chosen, transfer=False), False  # a source may follow
    if instance.request.hours_per_week is not None and any(
        instance.intakes.get(c) is not None for c in chosen
    ):
        # Under a capacity a flexible credential placed first can fill the only weeks an
        # intake-bound one may start in (a 6 h/week course in week 0 before a 1 h one whose
        # only intake is week 0): the intake-bound ones, and what they wait for, first.
        first = _intake_bound_and_prerequisites(instance, chosen)
        yield {c: p - (INTAKE_FIRST if c in first else 0.0) for c, p in critical.items()}, True


# Subtracted from an intake-bound credential's priority: below any chain length in weeks.
INTAKE_FIRST = 1e6


def _intake_bound_and_prerequisites(
    instance: Instance, chosen: frozenset[str] | set[str]
) -> set[str]:
    """The chosen credentials with intakes and everything chosen they wait for."""
    found: set[str] = set()
    todo = [c for c in chosen if instance.intakes.get(c) is not None]
    while todo:
        c = todo.pop()
        if c in found:
            continue
        found.add(c)
        todo += [d for d in dependencies(instance, c) if d in chosen]
    return found


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


def schedule_variants(instance: Instance, chosen: frozenset[str]) -> list[Schedule]:
    """Valid list schedules of a set under a few priority rules (critical chain first,
    heaviest first, fewest weeks first)."""
    rules = [critical_priority(instance, chosen)]
    if instance.request.hours_per_week is not None:
        effort = {c: -instance.credential(c).effort_hours for c in chosen}
        weeks = {c: float(instance.classes[c][0].weeks) for c in chosen if c in instance.classes}
        rules += [effort, weeks]
    result: list[Schedule] = []
    for prefer in preferences(instance):
        if result:
            break  # a later preference only when the earlier gave no valid schedule
        for rule in rules:
            schedule = list_schedule(instance, chosen, priority=rule, prefer=prefer)
            if schedule is not None and not violations(instance, schedule):
                result.append(schedule)
        # transfer sources free to follow their blocks, chains by requirements only
        rule = critical_priority(instance, chosen, transfer=False)
        schedule = list_schedule(
            instance, chosen, priority=rule, prefer=prefer, transfer_first=False
        )
        if schedule is not None and not violations(instance, schedule):
            result.append(schedule)
    return result


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


def prune(instance: Instance, found: Found) -> Found:
    """Remove dead weight: any step whose removal keeps the plan valid and no worse."""
    schedule = found.schedule
    keep = set(instance.requirement_roots())
    for cid in reversed(instance.universe):
        starts = schedule.starts()
        if cid not in starts or cid in keep or _needed(instance, starts, cid):
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


def _needed(instance: Instance, starts: dict[str, int], cid: str) -> bool:
    """Whether some requirement of the plan fails without ``cid`` even counting every other
    step as finished (then the plan without it breaks that requirement whatever the weeks:
    the full check need not run)."""
    catalog = instance.catalog
    earned = (instance.held | starts.keys()) - {cid}
    for user in starts:
        requirement = catalog.credentials_by_id[user].requires
        if cid in requirement_refs(requirement) and not is_satisfied(requirement, earned, catalog):
            return True
    return False


def faster(a: Schedule, b: Schedule) -> bool:
    return (a.finish, a.cost) < (b.finish, b.cost - 1e-9)
