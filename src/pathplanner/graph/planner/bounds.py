"""Earliest-finish dynamic programme over the closure (unlimited capacity).

For every candidate c, in topological order: ``ready`` is the earliest week its requirement can
hold (a reference is ready when it can finish; "any k" takes the k-th earliest option; a credit
sum accumulates the earliest items), and c finishes at the minimum over allowed start weeks
s >= ready of s + duration(T(s)), T(s) being the credit of the transfer sources that can
finish by s. Between two source finishes T is constant and s + duration grows with s, so only
the first allowed week after ``ready`` and after each source finish needs checking.

A start may use any duration class needing no more credit than can have arrived by then (a
plan may leave a source out, e.g. when full transfer credit would make the week too heavy).
With unlimited capacity this is exact: every plan's credential finishes no earlier (induction
over the order), and taking every credential as early as possible achieves it. With a weekly
capacity it is a lower bound. Durations whose weekly load exceeds the capacity are skipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pathplanner.graph.planner.instance import EPS, Instance
from pathplanner.model import AllOf, AnyOf, Requirement, credit_value, item_id

INF = math.inf


@dataclass
class EarliestPlan:
    finish: dict[str, float]  # earliest finish week of every candidate (inf: never)
    ready: dict[str, float]  # earliest week its requirement can hold
    start: dict[str, float]  # the start week achieving ``finish``


def earliest_plan(instance: Instance) -> EarliestPlan:
    """The programme for ``instance`` (computed once per instance; callers only read it)."""
    cached = instance.memo.get("earliest_plan")
    if isinstance(cached, EarliestPlan):
        return cached
    result = _earliest_plan(instance)
    instance.memo["earliest_plan"] = result
    return result


def _earliest_plan(instance: Instance) -> EarliestPlan:
    catalog = instance.catalog
    result = EarliestPlan({}, {}, {})
    finish = result.finish
    for cid in instance.candidates:
        credential = catalog.credentials_by_id[cid]
        ready, _ = requirement_time(instance, credential.requires, finish)
        result.ready[cid] = ready
        best, best_start = INF, INF
        if ready < INF:
            sources: list[tuple[float, float]] = []
            if credential.credits_required is not None:
                for item in credential.transfer:
                    ref = item_id(item)
                    if ref in finish and finish[ref] < INF and ref not in instance.held:
                        sources.append((finish[ref], credit_value(item, catalog)))
            moments = sorted({ready} | {f for f, _ in sources if f > ready})
            for moment in moments:
                start = _first_intake(instance, cid, moment)
                if start == INF:
                    break
                credit = instance.held_transfer[cid] + sum(v for f, v in sources if f <= start)
                # any duration class needing no more credit than can have arrived (a plan may
                # leave sources out, e.g. when full transfer would overload the week)
                weeks = [k.weeks for k in instance.classes[cid] if k.t_low <= credit + EPS]
                if weeks and start + min(weeks) < best:
                    best, best_start = start + min(weeks), start
        finish[cid] = best
        result.start[cid] = best_start
    return result


def earliest_finish(instance: Instance) -> dict[str, float]:
    """Earliest finish week of every candidate (inf when it can never be taken)."""
    return earliest_plan(instance).finish


def earliest_starts(instance: Instance, plan: EarliestPlan | None = None) -> dict[str, float]:
    """A lower bound on each candidate's start week (first intake once it can be ready)."""
    plan = plan or earliest_plan(instance)
    return {
        c: _first_intake(instance, c, r)
        for c, r in plan.ready.items()
        if r < INF and plan.finish[c] < INF
    }


def _first_intake(instance: Instance, cid: str, week: float) -> float:
    weeks = instance.intakes.get(cid)
    if weeks is None:
        return week
    return next((w for w in weeks if w >= week - EPS), INF)


def requirement_time(
    instance: Instance, req: Requirement | None, finish: dict[str, float]
) -> tuple[float, set[str]]:
    """When ``req`` can first hold, and the credentials used to make it hold then."""
    if req is None:
        return 0.0, set()
    if isinstance(req, str):
        if req in instance.held:
            return 0.0, set()
        return (finish[req], {req}) if req in finish else (INF, set())
    if isinstance(req, AllOf):
        parts = [requirement_time(instance, sub, finish) for sub in req.all]
        return max(t for t, _ in parts), set().union(*(used for _, used in parts))
    if isinstance(req, AnyOf):
        parts = sorted(
            (requirement_time(instance, sub, finish) for sub in req.any), key=lambda p: p[0]
        )
        best = parts[: req.count]
        return best[-1][0], set().union(*(used for _, used in best))
    timed = []
    for item in req.from_:
        ref = item_id(item)
        when = 0.0 if ref in instance.held else finish.get(ref, INF)
        timed.append((when, ref, credit_value(item, instance.catalog)))
    timed.sort(key=lambda p: p[0])
    total = 0.0
    used: set[str] = set()
    for when, ref, value in timed:
        if when == INF:
            break
        total += value
        if ref not in instance.held:
            used.add(ref)
        if total >= req.credits - 1e-9:
            return when, used
    return INF, set()


def goal_finish(instance: Instance, finish: dict[str, float]) -> float:
    """Earliest week the goal (and every insisted credential) can be reached."""
    times = [finish.get(c, INF) for c in instance.requirement_roots()]
    for skill in instance.open_skills:
        times.append(min((finish.get(t, INF) for t in instance.skill_teachers[skill]), default=INF))
    return max(times, default=0.0)


def early_set(instance: Instance, plan: EarliestPlan) -> set[str]:
    """A set reaching the goal as early as possible without a capacity: at each requirement
    the options that finish first, and every transfer source that finishes in time."""
    finish = plan.finish
    roots = list(instance.requirement_roots())
    for skill in instance.open_skills:
        teachers = [t for t in instance.skill_teachers[skill] if t in finish]
        if teachers:
            roots.append(min(teachers, key=lambda t: (finish[t], t)))
    chosen: set[str] = set()
    stack = [r for r in roots if finish.get(r, INF) < INF]
    while stack:
        cid = stack.pop()
        if cid in chosen:
            continue
        chosen.add(cid)
        credential = instance.catalog.credentials_by_id[cid]
        _, used = requirement_time(instance, credential.requires, finish)
        start = plan.start[cid]
        for item in credential.transfer:
            ref = item_id(item)
            if ref in finish and ref not in instance.held and finish[ref] <= start:
                used.add(ref)
        stack.extend(used - chosen)
    return chosen


def light_set(instance: Instance) -> set[str]:
    """A set reaching the goal with little study, found greedily without a solver: each
    credential's effort is priced as its own effort plus the lightest way to meet its
    requirement (shared prerequisites counted again, as a tree search would). A quick seed
    for capacity-limited plans; no transfer credit is sought."""
    catalog = instance.catalog
    weight: dict[str, float] = {}
    choice: dict[str, set[str]] = {}
    for cid in instance.candidates:
        credential = catalog.credentials_by_id[cid]
        need, used = _lightest(instance, credential.requires, weight)
        weight[cid] = need + credential.effort_for(instance.held_transfer[cid])
        choice[cid] = used
    roots = [r for r in instance.requirement_roots() if r in weight]
    for skill in instance.open_skills:
        teachers = [t for t in instance.skill_teachers[skill] if weight.get(t, INF) < INF]
        if teachers:
            roots.append(min(teachers, key=lambda t: (weight[t], t)))
    chosen: set[str] = set()
    stack = [r for r in roots if weight[r] < INF]
    while stack:
        cid = stack.pop()
        if cid not in chosen:
            chosen.add(cid)
            stack.extend(choice[cid] - chosen)
    return chosen


def _lightest(
    instance: Instance, req: Requirement | None, weight: dict[str, float]
) -> tuple[float, set[str]]:
    if req is None:
        return 0.0, set()
    if isinstance(req, str):
        if req in instance.held:
            return 0.0, set()
        return (weight[req], {req}) if req in weight else (INF, set())
    if isinstance(req, AllOf):
        parts = [_lightest(instance, sub, weight) for sub in req.all]
        return sum(w for w, _ in parts), set().union(*(u for _, u in parts))
    if isinstance(req, AnyOf):
        parts = sorted((_lightest(instance, sub, weight) for sub in req.any), key=lambda p: p[0])
        best = parts[: req.count]
        return sum(w for w, _ in best), set().union(*(u for _, u in best))
    items = []
    for item in req.from_:
        ref = item_id(item)
        value = credit_value(item, instance.catalog)
        cost = 0.0 if ref in instance.held else weight.get(ref, INF)
        if value > 0 and cost < INF:
            items.append((cost / value, cost, value, ref))
    items.sort()
    total, spent, used = 0.0, 0.0, set()
    for _, cost, value, ref in items:
        if total >= req.credits - 1e-9:
            break
        total += value
        spent += cost
        if ref not in instance.held:
            used.add(ref)
    return (spent, used) if total >= req.credits - 1e-9 else (INF, set())
