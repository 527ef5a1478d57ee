"""Schedules under the plan semantics: evaluate start weeks, check every rule, list-schedule.

:func:`evaluate` is the single source of truth for what a plan costs and how long each step
takes: transfer credit is recomputed from what really finished before each start, whatever a
solver assumed. :func:`list_schedule` is the serial schedule-generation heuristic used for first
plans, upper bounds and to turn a chosen set into dates.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from pathplanner.graph.planner.instance import EPS, Instance
from pathplanner.model import (
    Credential,
    credit_value,
    is_satisfied,
    item_id,
    requirement_refs,
    transferred_credits,
)


@dataclass(frozen=True)
class Slot:
    """One taken credential with its realised numbers."""

    id: str
    start: int
    duration: int
    cost: float
    effort: float
    transferred: float

    @property
    def finish(self) -> int:
        return self.start + self.duration

    @property
    def load(self) -> float:
        return self.effort / self.duration


@dataclass(frozen=True)
class Schedule:
    slots: tuple[Slot, ...]  # by start week, then id

    @property
    def cost(self) -> float:
        return sum(s.cost for s in self.slots)

    @property
    def finish(self) -> int:
        return max((s.finish for s in self.slots), default=0)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(s.id for s in self.slots)

    def starts(self) -> dict[str, int]:
        return {s.id: s.start for s in self.slots}


def evaluate(instance: Instance, starts: dict[str, int]) -> Schedule:
    """Realised durations, costs and transfer of a set of start weeks (no rule is checked)."""
    catalog = instance.catalog
    slots: list[Slot] = []
    earned = _Earned(instance.held)
    for cid in sorted(starts, key=lambda c: (starts[c], c)):
        start = starts[cid]
        credential = catalog.credentials_by_id[cid]
        t = transferred_credits(credential, earned.by(start), catalog)
        slot = Slot(
            cid,
            start,
            credential.duration_for(t),
            credential.cost_for(t),
            credential.effort_for(t),
            t,
        )
        earned.add(cid, slot.finish)
        slots.append(slot)
    return Schedule(tuple(slots))


class _Earned:
    """What is held or finished by a week, for weeks visited in increasing order (a schedule's
    starts in order): each finish is added once instead of filtering all finishes per step."""

    def __init__(self, held: frozenset[str]) -> None:
        self.earned = set(held)
        self.pending: list[tuple[int, str]] = []

    def add(self, cid: str, finish: int) -> None:
        heapq.heappush(self.pending, (finish, cid))

    def by(self, week: int) -> set[str]:
        """Held credentials and those finishing by ``week`` (not below an earlier call's)."""
        while self.pending and self.pending[0][0] <= week:
            self.earned.add(heapq.heappop(self.pending)[1])
        return self.earned


def violations(instance: Instance, schedule: Schedule) -> list[str]:
    """Every rule of the plan semantics the schedule breaks (empty when valid)."""
    problems: list[str] = []
    catalog = instance.catalog
    request = instance.request
    earned = _Earned(instance.held)
    for slot in schedule.slots:
        earned.add(slot.id, slot.finish)
    candidates = set(instance.candidates)
    for slot in sorted(schedule.slots, key=lambda s: s.start):
        if slot.id in instance.held:
            problems.append(f"{slot.id} is already held")
        elif slot.id not in candidates:
            reason = instance.blocked.get(slot.id, "is not in the goal's closure")
            problems.append(f"{slot.id} cannot be taken: {reason}")
        credential = catalog.credentials_by_id[slot.id]
        if not is_satisfied(credential.requires, earned.by(slot.start), catalog):
            problems.append(f"{slot.id} starts in week {slot.start} before its requirement holds")
        weeks = instance.intakes.get(slot.id)
        if slot.start < 0 or (weeks is not None and slot.start not in weeks):
            problems.append(f"{slot.id} starts in week {slot.start}, not an intake week")
    if schedule.finish > request.horizon_weeks:
        problems.append(f"finishes in week {schedule.finish}, after the horizon")
    if request.hours_per_week is not None:
        load = [0.0] * (schedule.finish + 1)
        for slot in schedule.slots:
            for week in range(slot.start, slot.finish):
                load[week] += slot.load
        for week, hours in enumerate(load):
            if hours > request.hours_per_week + EPS:
                problems.append(f"week {week} needs {hours:g} h, over the capacity")
                break
    if request.budget is not None and schedule.cost > request.budget + EPS:
        problems.append(f"costs {schedule.cost:g}, over the budget")
    ids = schedule.ids | instance.held
    goal = request.goal
    if goal is not None and goal not in ids:
        problems.append(f"does not reach the goal {goal}")
    for skill in sorted(request.skills):
        if not any(t in ids for t in instance.skill_teachers.get(skill, [])):
            problems.append(f"no credential teaches skill {skill}")
    for cid in sorted(request.insist - ids):
        problems.append(f"leaves out insisted {cid}")
    return problems


def dependencies(instance: Instance, cid: str) -> list[str]:
    credential = instance.catalog.credentials_by_id[cid]
    deps = requirement_refs(credential.requires) + [item_id(i) for i in credential.transfer]
    return list(dict.fromkeys(deps))


def list_schedule(
    instance: Instance,
    chosen: set[str] | frozenset[str],
    *,
    priority: dict[str, float] | None = None,
    wait_for: dict[str, set[str]] | None = None,
    prefer: str = "cost",
    transfer_first: bool = True,
) -> Schedule | None:
    """Serial schedule generation: take eligible credentials by priority (lowest first) and
    start each at the earliest week where its requirement holds, an intake is open and the
    capacity leaves room. A credit block may wait for its chosen transfer sources or start
    before some finish: each level of received credit is tried and the best placement taken,
    cheapest first (``prefer="cost"``) or earliest finish first (``prefer="finish"``).
    ``wait_for`` adds precedences. With ``transfer_first=False`` a transfer source is not
    placed before its block (it may then follow it). None when the horizon is exceeded."""
    horizon = instance.request.horizon_weeks
    capacity = instance.request.hours_per_week
    load = [0.0] * (horizon + 1)
    deps = {
        c: [
            d
            for d in (
                dependencies(instance, c) if transfer_first else _requirement_ids(instance, c)
            )
            if d in chosen
        ]
        for c in chosen
    }
    if wait_for:
        for c, extra in wait_for.items():
            if c in deps:
                deps[c] = list(dict.fromkeys(deps[c] + [d for d in extra if d in chosen]))
    waiting = {c: len(d) for c, d in deps.items()}
    users: dict[str, list[str]] = {c: [] for c in chosen}
    for c, ds in deps.items():
        for d in ds:
            users[d].append(c)
    blocks_of: dict[str, list[str]] = {}  # transfer source -> chosen blocks it feeds
    for c in chosen:
        for item in instance.credential(c).transfer:
            if item_id(item) in chosen and credit_value(item, instance.catalog) > 0:
                blocks_of.setdefault(item_id(item), []).append(c)
    rank = priority or {}
    heap = [(rank.get(c, 0.0), c) for c, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    finish: dict[str, int] = {}
    starts: dict[str, int] = {}
    while heap:
        _, cid = heapq.heappop(heap)
        ready = _ready_week(instance, cid, deps[cid], finish)
        placed = _place(
            instance,
            cid,
            ready,
            deps[cid],
            finish,
            load=load,
            capacity=capacity,
            prefer=prefer,
            after=_credit_kept(instance, cid, blocks_of.get(cid, []), starts, finish),
        )
        if placed is None:
            return None
        start, duration, weekly = placed
        for week in range(start, start + duration):
            load[week] += weekly
        starts[cid] = start
        finish[cid] = start + duration
        for user in users[cid]:
            waiting[user] -= 1
            if waiting[user] == 0:
                heapq.heappush(heap, (rank.get(user, 0.0), user))
    if len(starts) != len(chosen):
        return None
    return evaluate(instance, starts)


def _requirement_ids(instance: Instance, cid: str) -> list[str]:
    credential = instance.catalog.credentials_by_id[cid]
    return list(dict.fromkeys(requirement_refs(credential.requires)))


def _place(
    instance: Instance,
    cid: str,
    ready: int,
    deps: list[str],
    finish: dict[str, int],
    *,
    load: list[float],
    capacity: float | None,
    prefer: str,
    after: list[int],
) -> tuple[int, int, float] | None:
    """Start week, duration and weekly load for ``cid``, its dependencies being placed. It
    finishes after each week in ``after`` (the starts of placed blocks it would give credit)."""
    catalog = instance.catalog
    credential = catalog.credentials_by_id[cid]
    horizon = instance.request.horizon_weeks
    moments = [ready]
    placed_sources: set[str] = set()
    if credential.credits_required is not None:
        # every placed source counts once finished, whether or not c waits for it
        placed_sources = {
            item_id(i)
            for i in credential.transfer
            if credit_value(i, catalog) > 0 and item_id(i) in finish
        }
        moments += sorted({finish[d] for d in placed_sources if finish[d] > ready})
    best: tuple[tuple[float, float], tuple[int, int, float]] | None = None
    for i, moment in enumerate(moments):
        earned = instance.held | {d for d in (*deps, *placed_sources) if finish[d] <= moment}
        t = transferred_credits(credential, earned, catalog)
        duration = credential.duration_for(t)
        weekly = credential.effort_for(t) / duration
        if capacity is not None and weekly > capacity + EPS:
            continue
        before = moments[i + 1] if i + 1 < len(moments) else None
        start = _first_start(
            instance,
            cid,
            max([moment, *(week - duration + 1 for week in after)]),
            duration,
            weekly,
            load=load,
            capacity=capacity,
            horizon=horizon,
            before=before,
        )
        if start is None:
            continue
        cost = credential.cost_for(t)
        key = (cost, start + duration) if prefer == "cost" else (start + duration, cost)
        if best is None or key < best[0]:
            best = (key, (start, duration, weekly))
    return None if best is None else best[1]


def _credit_kept(
    instance: Instance,
    cid: str,
    blocks: list[str],
    starts: dict[str, int],
    finish: dict[str, int],
) -> list[int]:
    """Starts of the placed credit blocks that ``cid`` would make heavier per week by
    finishing before they start (a source placed after its block, ``transfer_first=False``).
    A block was placed, and its weeks loaded, with the credit it had then: more credit that
    raises its weekly load could break the capacity, so ``cid`` must then finish after the
    block's start. Credit that keeps the load no higher only shortens and cheapens the block
    within the weeks already loaded, so it is welcome."""
    catalog = instance.catalog
    weeks = []
    for block in blocks:
        start = starts.get(block)
        if start is None:
            continue
        credential = catalog.credentials_by_id[block]
        earned = instance.held | {
            item_id(i) for i in credential.transfer if finish.get(item_id(i), start + 1) <= start
        }
        before = transferred_credits(credential, earned, catalog)
        after = transferred_credits(credential, earned | {cid}, catalog)
        if after > before + EPS and _weekly(credential, after) > _weekly(credential, before) + EPS:
            weeks.append(start)
    return weeks


def _weekly(credential: Credential, transferred: float) -> float:
    return credential.effort_for(transferred) / credential.duration_for(transferred)


def _ready_week(instance: Instance, cid: str, deps: list[str], finish: dict[str, int]) -> int:
    """Earliest week at which the requirement of ``cid`` holds given the finishes so far."""
    catalog = instance.catalog
    credential = catalog.credentials_by_id[cid]
    if is_satisfied(credential.requires, instance.held, catalog):
        return 0
    earned = set(instance.held)
    for week in sorted({finish[d] for d in deps}):
        earned.update(d for d in deps if finish[d] == week)
        if is_satisfied(credential.requires, earned, catalog):
            return week
    return max((finish[d] for d in deps), default=0)


def _first_start(
    instance: Instance,
    cid: str,
    ready: int,
    duration: int,
    weekly: float,
    *,
    load: list[float],
    capacity: float | None,
    horizon: int,
    before: int | None = None,
) -> int | None:
    """The first week >= ready (and < before) where ``cid`` may start and fits."""
    weeks = instance.intakes.get(cid)
    last = horizon - duration if before is None else min(horizon - duration, before - 1)
    options = range(ready, last + 1) if weeks is None else weeks
    for start in options:
        if start < ready or start > last:
            continue
        if capacity is None or all(
            load[w] + weekly <= capacity + EPS for w in range(start, start + duration)
        ):
            return start
    return None
