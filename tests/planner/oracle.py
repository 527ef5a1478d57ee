"""Exhaustive search for the optimal plan of a small catalogue: the planner's independent judge.

Written from the semantics of issue 3 only (nothing of the planner's internals is used). Two
searches, each exact on the instances it accepts:

``unlimited_capacity_optimum`` (no hours-per-week limit; intakes, horizon and budget allowed)
    Enumerates every set S of takeable credentials in the goal's ancestry that reaches the goal
    and whose members' requirements are met by held + S (the catalogue is acyclic, so S can be
    ordered). For each S it schedules every member as early as possible in topological order,
    except that a credit block may wait for the finish of any of its transfer sources first
    (all such choices are enumerated). Why that is exact: take any valid schedule of S and let
    W_c be the transfer sources finishing before c starts there. The earliest-start schedule
    that makes each c wait for W_c has, by induction in topological order, every finish no
    later (an earlier ready time gives an earlier allowed intake week; more credits
    transferred give a duration and cost no larger), so its (cost, finish) is no worse in
    either order. Waiting thresholds "finish of source x" cover every W_c.

``scheduled_optimum`` (tiny instances, with a weekly capacity)
    A depth-first search over weeks: at each week it starts any subset of the credentials
    that are eligible then (requirements met by what has finished, intake allowed, load within
    the capacity left in every week it would run). A state that reaches the goal is a
    complete plan: adding more can only raise cost and finish, so the search stops there.
    Exponential in the horizon; meant for <= 6 credentials and horizons of ~12 weeks.

Both return the optimum of the request's objective with its tie-break (cost objective: lowest
cost, then earliest finish; time objective: earliest finish, then lowest cost) and one plan that
attains it. Plans with dead weight are not excluded: removing a useless credential never makes
a plan worse, so the optimum value is the same.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from pathplanner.graph.planner import PlanRequest
from pathplanner.model import Catalog, Credential, is_satisfied, transferred_credits
from tests.planner.rules import (
    ancestors,
    goal_reached,
    goal_targets,
    intake_weeks,
    may_take,
    topological_order,
)

EPS = 1e-6


@dataclass(frozen=True)
class Scheduled:
    """One credential of an oracle plan."""

    start: int
    finish: int
    cost: float
    load: float
    transferred: float


@dataclass(frozen=True)
class OracleResult:
    """The optimum the oracle found; ``feasible`` is False when no valid plan exists."""

    objective: str
    feasible: bool
    cost: float = 0.0
    finish_week: int = 0
    schedule: dict[str, Scheduled] = field(default_factory=dict)
    plans_examined: int = 0

    @property
    def value(self) -> float:
        """The primary objective: total cost, or finish week."""
        return self.cost if self.objective == "cost" else float(self.finish_week)

    @property
    def tie_break(self) -> float:
        return float(self.finish_week) if self.objective == "cost" else self.cost


class InstanceTooLargeError(ValueError):
    """The instance is outside what the exhaustive search handles in reasonable time."""


@dataclass
class _Instance:
    catalog: Catalog
    request: PlanRequest
    start: date
    held: frozenset[str]
    candidates: list[str]  # takeable ancestors of the goal, in topological order
    intakes: dict[str, frozenset[int] | None]


def _instance(catalog: Catalog, request: PlanRequest, start: date, limit: int) -> _Instance:
    targets = goal_targets(catalog, request)
    candidates = [
        cid
        for cid in topological_order(catalog, ancestors(catalog, targets))
        if may_take(catalog, catalog.credential(cid), request) is None
    ]
    if len(candidates) > limit:
        raise InstanceTooLargeError(f"{len(candidates)} candidate credentials (limit {limit})")
    horizon = request.horizon_weeks
    intakes = {cid: intake_weeks(catalog.credential(cid), start, horizon) for cid in candidates}
    return _Instance(catalog, request, start, request.held, candidates, intakes)


def _key(objective: str, cost: float, finish: int) -> tuple[float, float]:
    rounded = round(cost / EPS) * EPS  # costs equal up to float noise tie
    return (rounded, finish) if objective == "cost" else (finish, rounded)


def _cost_lower_bound(inst: _Instance, chosen: frozenset[str]) -> float:
    """Cost of ``chosen`` if every credit block received all the transfer it could."""
    owned = inst.held | chosen
    total = 0.0
    for cid in chosen:
        cred = inst.catalog.credential(cid)
        total += cred.cost_for(transferred_credits(cred, owned, inst.catalog))
    return total


def _first_allowed(weeks: frozenset[int] | None, earliest: int, horizon: int) -> int | None:
    if weeks is None:
        return earliest if earliest < horizon else None
    later = [w for w in weeks if w >= earliest]
    return min(later) if later else None


def unlimited_capacity_optimum(
    catalog: Catalog, request: PlanRequest, start: date, *, limit: int = 12
) -> OracleResult:
    """Exact optimum of ``request`` when it sets no hours-per-week limit (see module doc)."""
    if request.hours_per_week is not None:
        raise ValueError("unlimited_capacity_optimum needs hours_per_week=None")
    objective = request.objective
    if goal_reached(catalog, request, request.held):
        return OracleResult(objective, True)
    inst = _instance(catalog, request, start, limit)
    best: tuple[tuple[float, float], OracleResult] | None = None
    examined = 0
    for chosen in _valid_sets(inst):
        if objective == "cost" and best is not None:
            bound = _cost_lower_bound(inst, chosen)
            if bound > best[1].cost + EPS:
                continue
        if request.budget is not None and _cost_lower_bound(inst, chosen) > request.budget + EPS:
            continue
        order = [cid for cid in inst.candidates if cid in chosen]
        for schedule in _asap_schedules(inst, order):
            examined += 1
            cost = sum(s.cost for s in schedule.values())
            finish = max(s.finish for s in schedule.values())
            if request.budget is not None and cost > request.budget + EPS:
                continue
            key = _key(objective, cost, finish)
            if best is None or key < best[0]:
                best = (key, OracleResult(objective, True, cost, finish, dict(schedule)))
    if best is None:
        return OracleResult(objective, False, plans_examined=examined)
    result = best[1]
    return OracleResult(objective, True, result.cost, result.finish_week, result.schedule, examined)


def unlimited_capacity_front(
    catalog: Catalog, request: PlanRequest, start: date, *, limit: int = 10
) -> list[tuple[float, int]]:
    """Every non-dominated (total cost, finish week), sorted by finish (no capacity limit).

    The same enumeration as :func:`unlimited_capacity_optimum`: for each S the earliest-start
    schedules dominate every other schedule of S in both cost and finish, so the front of all
    (cost, finish) pairs they give is the front of all plans.
    """
    if request.hours_per_week is not None:
        raise ValueError("unlimited_capacity_front needs hours_per_week=None")
    if goal_reached(catalog, request, request.held):
        return [(0.0, 0)]
    inst = _instance(catalog, request, start, limit)
    points: set[tuple[float, int]] = set()
    for chosen in _valid_sets(inst):
        order = [cid for cid in inst.candidates if cid in chosen]
        for schedule in _asap_schedules(inst, order):
            cost = round(sum(s.cost for s in schedule.values()), 6)
            if request.budget is not None and cost > request.budget + EPS:
                continue
            points.add((cost, max(s.finish for s in schedule.values())))
    front: list[tuple[float, int]] = []
    for cost, finish in sorted(points, key=lambda p: (p[1], p[0])):
        if not front or cost < front[-1][0] - EPS:
            front.append((cost, finish))
    return front


def earliest_start_plans(
    catalog: Catalog, request: PlanRequest, start: date, *, limit: int = 12
) -> Iterator[dict[str, Scheduled]]:
    """The plans :func:`unlimited_capacity_optimum` examines (every valid set, scheduled as
    early as possible with each credit block's waiting choices), ignoring the budget and any
    capacity: candidates for valid plans that are not the optimum (check them first)."""
    if goal_reached(catalog, request, request.held):
        return
    inst = _instance(catalog, request, start, limit)
    for chosen in _valid_sets(inst):
        yield from _asap_schedules(inst, [cid for cid in inst.candidates if cid in chosen])


def _valid_sets(inst: _Instance) -> Iterator[frozenset[str]]:
    """Every S reaching the goal whose members' requirements held + S can satisfy."""
    cands = inst.candidates
    for size in range(1, len(cands) + 1):
        for combo in itertools.combinations(cands, size):
            chosen = frozenset(combo)
            owned = inst.held | chosen
            if not goal_reached(inst.catalog, inst.request, owned):
                continue
            if all(
                is_satisfied(inst.catalog.credential(c).requires, owned, inst.catalog)
                for c in chosen
            ):
                yield chosen


def _ready_week(cred: Credential, inst: _Instance, schedule: dict[str, Scheduled]) -> int | None:
    """Earliest week at which ``cred``'s requirement is met by held + finished credentials."""
    times = sorted({0} | {s.finish for s in schedule.values()})
    for t in times:
        earned = inst.held | {cid for cid, s in schedule.items() if s.finish <= t}
        if is_satisfied(cred.requires, earned, inst.catalog):
            return t
    return None


def _place(
    cred: Credential, inst: _Instance, schedule: dict[str, Scheduled], week: int
) -> Scheduled | None:
    earned = inst.held | {cid for cid, s in schedule.items() if s.finish <= week}
    transfer = transferred_credits(cred, earned, inst.catalog)
    duration = cred.duration_for(transfer)
    if week + duration > inst.request.horizon_weeks:
        return None
    return Scheduled(
        start=week,
        finish=week + duration,
        cost=cred.cost_for(transfer),
        load=cred.effort_for(transfer) / duration,
        transferred=transfer,
    )


def _asap_schedules(inst: _Instance, order: list[str]) -> Iterator[dict[str, Scheduled]]:
    """Earliest-start schedules of ``order``, branching on what each credit block waits for."""

    def extend(index: int, schedule: dict[str, Scheduled]) -> Iterator[dict[str, Scheduled]]:
        if index == len(order):
            yield schedule
            return
        cid = order[index]
        cred = inst.catalog.credential(cid)
        ready = _ready_week(cred, inst, schedule)
        if ready is None:
            return
        thresholds = {ready}
        if cred.has_credit_block:
            sources = {item if isinstance(item, str) else item.id for item in cred.transfer}
            thresholds |= {schedule[s].finish for s in sources if s in schedule}
        starts = set()
        for threshold in thresholds:
            if threshold < ready:
                continue
            week = _first_allowed(inst.intakes[cid], threshold, inst.request.horizon_weeks)
            if week is not None:
                starts.add(week)
        for week in sorted(starts):
            placed = _place(cred, inst, schedule, week)
            if placed is not None:
                yield from extend(index + 1, {**schedule, cid: placed})

    yield from extend(0, {})


def scheduled_optimum(
    catalog: Catalog, request: PlanRequest, start: date, *, limit: int = 6
) -> OracleResult:
    """Exact optimum with a weekly capacity, by searching start weeks (tiny instances only)."""
    objective = request.objective
    if goal_reached(catalog, request, request.held):
        return OracleResult(objective, True)
    inst = _instance(catalog, request, start, limit)
    best: list[tuple[tuple[float, float], dict[str, Scheduled]]] = []

    def found(cost: float, finish: int, schedule: dict[str, Scheduled]) -> None:
        key = _key(objective, cost, finish)
        if not best or key < best[0][0]:
            best[:] = [(key, schedule)]

    def promising(cost: float, finish: int) -> bool:
        return not best or _key(objective, cost, finish) < best[0][0]

    examined = _week_search(inst, found, promising)
    if not best:
        return OracleResult(objective, False, plans_examined=examined)
    schedule = best[0][1]
    cost = sum(s.cost for s in schedule.values())
    finish = max(s.finish for s in schedule.values())
    return OracleResult(objective, True, cost, finish, schedule, examined)


def scheduled_front(
    catalog: Catalog, request: PlanRequest, start: date, *, limit: int = 6
) -> list[tuple[float, int]]:
    """Every non-dominated (total cost, finish week) under a weekly capacity (tiny instances)."""
    if goal_reached(catalog, request, request.held):
        return [(0.0, 0)]
    inst = _instance(catalog, request, start, limit)
    points: list[tuple[float, int]] = []

    def dominated(cost: float, finish: int) -> bool:
        return any(c <= cost + EPS and f <= finish for c, f in points)

    def found(cost: float, finish: int, schedule: dict[str, Scheduled]) -> None:
        if not dominated(cost, finish):
            points[:] = [(c, f) for c, f in points if not (cost <= c + EPS and finish <= f)]
            points.append((round(cost, 6), finish))

    _week_search(inst, found, lambda cost, finish: not dominated(cost, finish))
    return sorted(points, key=lambda p: (p[1], p[0]))


def _week_search(
    inst: _Instance,
    found: Callable[[float, int, dict[str, Scheduled]], None],
    promising: Callable[[float, int], bool],
) -> int:
    """Try every schedule week by week; report each one that reaches the goal to ``found``.

    ``promising(cost, finish)`` is asked with lower bounds for a partial schedule; the branch is
    dropped when it says no. Returns the number of complete plans examined.
    """
    catalog = inst.catalog
    horizon = inst.request.horizon_weeks
    if horizon > 30:
        raise InstanceTooLargeError(
            f"horizon {horizon} weeks is too long for the week-by-week search"
        )
    capacity = inst.request.hours_per_week
    budget = inst.request.budget
    examined = 0

    def search(week: int, schedule: dict[str, Scheduled], load: list[float]) -> None:
        nonlocal examined
        if week >= horizon:
            return
        finished = inst.held | {c for c, s in schedule.items() if s.finish <= week}
        eligible: list[tuple[str, Scheduled]] = []
        for cid in inst.candidates:
            if cid in schedule:
                continue
            weeks = inst.intakes[cid]
            if weeks is not None and week not in weeks:
                continue
            cred = catalog.credential(cid)
            if not is_satisfied(cred.requires, finished, catalog):
                continue
            placed = _place(cred, inst, schedule, week)
            if placed is None or (capacity is not None and placed.load > capacity + EPS):
                continue
            eligible.append((cid, placed))
        for size in range(len(eligible), -1, -1):
            for combo in itertools.combinations(eligible, size):
                new_load = list(load)
                fits = True
                for _, placed in combo:
                    for w in range(placed.start, placed.finish):
                        new_load[w] += placed.load
                        if capacity is not None and new_load[w] > capacity + EPS:
                            fits = False
                if not fits:
                    continue
                new_schedule = {**schedule, **dict(combo)}
                cost = sum(s.cost for s in new_schedule.values())
                if budget is not None and cost > budget + EPS:
                    continue
                finish = max((s.finish for s in new_schedule.values()), default=0)
                if goal_reached(catalog, inst.request, inst.held | set(new_schedule)):
                    examined += 1
                    found(cost, finish, new_schedule)
                    continue  # adding more can only make this plan worse
                # anything still to start begins next week or later and lasts >= 1 week
                if promising(cost, max(finish, week + 2)):
                    search(week + 1, new_schedule, new_load)

    search(0, {}, [0.0] * horizon)
    return examined
