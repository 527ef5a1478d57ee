"""Earliest-finish dynamic programme over the closure (unlimited capacity).

With optimistic durations (every credit block receives its full transfer cap) it gives a lower
bound on when each credential can finish, hence on the plan's finish week and on the earliest
start of every credential (used to prune the time model). With the durations a credential has
without new transfer credit, it picks a set that finishes early, a seed for the heuristics.
"""

from __future__ import annotations

import math

from pathplanner.graph.planner.instance import Instance
from pathplanner.model import AllOf, AnyOf, Requirement, credit_value, item_id

INF = math.inf


def earliest_finish(instance: Instance, *, optimistic: bool) -> dict[str, float]:
    """Earliest finish week of every candidate (inf when it can never be taken)."""
    finish: dict[str, float] = {}
    for cid in instance.candidates:
        start = earliest_start(instance, cid, finish)
        finish[cid] = start + duration(instance, cid, optimistic=optimistic)
    return finish


def earliest_start(instance: Instance, cid: str, finish: dict[str, float]) -> float:
    credential = instance.catalog.credentials_by_id[cid]
    ready, _ = requirement_time(instance, credential.requires, finish)
    if ready == INF:
        return INF
    weeks = instance.intakes.get(cid)
    if weeks is None:
        return ready
    return next((w for w in weeks if w >= ready), INF)


def duration(instance: Instance, cid: str, *, optimistic: bool) -> int:
    classes = instance.classes[cid]
    return classes[0].weeks if optimistic else classes[-1].weeks


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


def early_set(instance: Instance, finish: dict[str, float]) -> set[str]:
    """A set reaching the goal, choosing at each requirement the options that finish first."""
    roots = list(instance.requirement_roots())
    for skill in instance.open_skills:
        teachers = [t for t in instance.skill_teachers[skill] if t in finish]
        if teachers:
            roots.append(min(teachers, key=lambda t: (finish[t], t)))
    chosen: set[str] = set()
    stack = [r for r in roots if r in finish]
    while stack:
        cid = stack.pop()
        if cid in chosen:
            continue
        chosen.add(cid)
        credential = instance.catalog.credentials_by_id[cid]
        _, used = requirement_time(instance, credential.requires, finish)
        stack.extend(used - chosen)
    return chosen
