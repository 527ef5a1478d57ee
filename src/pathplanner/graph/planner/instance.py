"""The planning instance: a request checked against a catalogue and reduced to what matters.

Builds the candidate set (the goal's closure after the learner's filters), the weeks each
candidate may start in, and the duration classes of credit blocks. Everything the solvers and
the explainer need is computed here once.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pathplanner.graph.planner.types import PlanningError, PlanRequest
from pathplanner.model import (
    Catalog,
    Credential,
    Recognition,
    credit_value,
    item_id,
    requirement_refs,
    transferred_credits,
)

EPS = 1e-6
# Above this many distinct transfer totals a credit block's durations are taken as a range.
MAX_TRANSFER_TOTALS = 64


@dataclass(frozen=True)
class DurationClass:
    """Transfer credit T in [t_low, t_high] gives this duration; ``load`` is the smallest
    weekly load within the class (used as an optimistic bound by the time model)."""

    weeks: int
    t_low: float
    t_high: float
    load: float


@dataclass
class Instance:
    catalog: Catalog
    request: PlanRequest
    start_date: date
    held: frozenset[str]
    universe: list[str]  # closure of the goal (and insisted credentials), topological order
    candidates: list[str]  # the part of the universe that may be taken, topological order
    blocked: dict[str, str]  # universe id -> why it cannot be taken
    intakes: dict[str, tuple[int, ...] | None]  # allowed start weeks (None = any week)
    held_transfer: dict[str, float]  # credit block -> credits transferred from held ones (capped)
    classes: dict[str, tuple[DurationClass, ...]] = field(default_factory=dict)
    skill_teachers: dict[str, list[str]] = field(default_factory=dict)
    # results computed once per instance by the modules that need them (bounds' programme)
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def credential(self, credential_id: str) -> Credential:
        return self.catalog.credentials_by_id[credential_id]

    @property
    def goal_done(self) -> bool:
        """Nothing to take: the goal is held, or every goal skill is taught by a held one."""
        if self.request.goal is not None:
            return self.request.goal in self.held and not self.open_insist
        return not self.open_skills and not self.open_insist

    @property
    def open_skills(self) -> list[str]:
        return [
            s for s, teachers in sorted(self.skill_teachers.items()) if not _held(teachers, self)
        ]

    @property
    def open_insist(self) -> list[str]:
        return sorted(self.request.insist - self.held)

    def requirement_roots(self) -> list[str]:
        """Credentials that must be taken (goal if not held, insisted ones)."""
        roots = list(self.open_insist)
        goal = self.request.goal
        if goal is not None and goal not in self.held and goal not in roots:
            roots.insert(0, goal)
        return roots


def _held(teachers: Iterable[str], instance: Instance) -> bool:
    return any(t in instance.held for t in teachers)


def next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def build_instance(catalog: Catalog, request: PlanRequest, today: date | None = None) -> Instance:
    """Check the request's ids (PlanningError names the field) and build the instance."""
    _check_request(catalog, request)
    start = request.start_date or next_monday(today or date.today())
    held = frozenset(request.held)
    skill_teachers: dict[str, list[str]] = {}
    if request.skills:
        for skill in request.skills:
            skill_teachers[skill] = []
        for credential in catalog.credentials:
            for skill in credential.skills:
                if skill in skill_teachers:
                    skill_teachers[skill].append(credential.id)
    roots: list[str] = []
    if request.goal is not None:
        roots.append(request.goal)
    for teachers in skill_teachers.values():
        if not any(t in held for t in teachers):
            roots.extend(teachers)
    roots.extend(sorted(request.insist))
    universe = _closure_in_order(catalog, roots, held)
    blocked: dict[str, str] = {}
    intakes: dict[str, tuple[int, ...] | None] = {}
    for cid in universe:
        credential = catalog.credentials_by_id[cid]
        reason = _filter_reason(catalog, credential, request)
        weeks = _intake_weeks(credential, start, request.horizon_weeks)
        intakes[cid] = weeks
        if reason is None and weeks == ():
            reason = (
                f"has no intake between {start.isoformat()} and the end of the "
                f"{request.horizon_weeks}-week horizon"
            )
        if reason is not None:
            blocked[cid] = reason
    held_transfer = {
        cid: _held_transfer(catalog, catalog.credentials_by_id[cid], held) for cid in universe
    }
    instance = Instance(
        catalog=catalog,
        request=request,
        start_date=start,
        held=held,
        universe=universe,
        candidates=[],
        blocked=blocked,
        intakes=intakes,
        held_transfer=held_transfer,
        skill_teachers=skill_teachers,
    )
    for cid in universe:
        if cid in blocked:
            continue
        credential = catalog.credentials_by_id[cid]
        classes = _duration_classes(credential, held_transfer[cid], _sources(instance, cid))
        capacity = request.hours_per_week
        if capacity is not None:
            fitting = tuple(
                _fitting_part(credential, k, capacity) for k in classes if k.load <= capacity + EPS
            )
            if not fitting:
                need = min(k.load for k in classes)
                blocked[cid] = f"needs {need:.3g} h/week but capacity is {capacity:g}"
                continue
            classes = fitting
        instance.classes[cid] = classes
    instance.candidates = [cid for cid in universe if cid not in blocked]
    return instance


def _sources(instance: Instance, cid: str) -> list[float]:
    """Credit values of the transfer items of ``cid`` whose source may be taken."""
    catalog = instance.catalog
    return [
        credit_value(item, catalog)
        for item in instance.credential(cid).transfer
        if item_id(item) not in instance.blocked and item_id(item) in instance.intakes
    ]


def transfer_totals(instance: Instance, cid: str) -> list[float] | None:
    """Every transfer total the block ``cid`` can receive (held credit included, capped),
    or None when there are too many to list."""
    credential = instance.credential(cid)
    t_min = instance.held_transfer[cid]
    if credential.credits_required is None or credential.transfer_cap <= t_min + EPS:
        return [t_min]
    return _achievable_totals(t_min, credential.transfer_cap, _sources(instance, cid))


def _fitting_part(credential: Credential, k: DurationClass, capacity: float) -> DurationClass:
    """The part of a duration class whose weekly load fits the capacity.

    ``k.load`` is the class's lightest load (at its most credit). In a class holding a range
    of credit the load effort(T) / d falls as T grows (effort falls by ``hours`` per credit,
    d is fixed), so the credit levels too heavy on their own are the low ones: raise t_low to
    the least credit that fits, or the model would count on a level no plan can have."""
    per_credit = credential.per_credit
    if k.t_low >= k.t_high - EPS or per_credit is None or per_credit.hours <= 0:
        return k
    if credential.effort_for(k.t_low) / k.weeks <= capacity + EPS:
        return k
    needed = credential.effort_hours + per_credit.hours * (credential.credits_required or 0.0)
    t_fit = (needed - capacity * k.weeks) / per_credit.hours  # effort(t_fit) = capacity * d
    t_fit = min(k.t_high, max(k.t_low, t_fit))
    return DurationClass(k.weeks, t_fit, k.t_high, k.load)


def _check_request(catalog: Catalog, request: PlanRequest) -> None:
    ids = catalog.credentials_by_id
    if (request.goal is None) == (not request.skills):
        raise PlanningError(
            "give exactly one goal: a goal credential or a set of skills", field="goal"
        )
    if request.goal is not None:
        _known(request.goal, ids, "goal", "credential")
    for skill in sorted(request.skills):
        _known(skill, catalog.skills_by_id, "skills", "skill")
    for name in ("held", "exclude", "insist"):
        for cid in sorted(getattr(request, name)):
            _known(cid, ids, name, "credential")
    for provider in sorted(request.exclude_providers):
        _known(provider, catalog.providers_by_id, "exclude_providers", "provider")
    if request.budget is not None and not request.budget >= 0:
        raise PlanningError(f"budget must be >= 0, got {request.budget}", field="budget")
    if request.hours_per_week is not None and not request.hours_per_week > 0:
        raise PlanningError(
            f"hours per week must be > 0, got {request.hours_per_week}", field="hours_per_week"
        )
    if request.horizon_weeks < 1:
        raise PlanningError(
            f"horizon must be at least 1 week, got {request.horizon_weeks}", field="horizon_weeks"
        )
    if not request.time_limit > 0:
        raise PlanningError(
            f"time limit must be > 0 seconds, got {request.time_limit}", field="time_limit"
        )


def _known(value: str, known: Iterable[str], field_name: str, what: str) -> None:
    pool = known if isinstance(known, dict) else set(known)
    if value in pool:
        return
    close = difflib.get_close_matches(value, list(pool), n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise PlanningError(
        f"{field_name}: unknown {what} '{value}'{hint}", field=field_name, value=value
    )


def _closure_in_order(catalog: Catalog, roots: list[str], held: frozenset[str]) -> list[str]:
    """Every credential with a requires/transfer path to a root, in topological order.

    The same set as :func:`pathplanner.graph.closure`, computed from the records directly so a
    large catalogue needs no graph. Held credentials are not expanded (their prerequisites
    are never needed again) but stay in the set.
    """
    by_id = catalog.credentials_by_id
    seen: set[str] = set()
    order: list[str] = []
    # iterative post-order DFS: a credential comes after everything it depends on
    for root in roots:
        if root in seen:
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            if node in held:
                continue
            credential = by_id[node]
            deps = requirement_refs(credential.requires) + [item_id(i) for i in credential.transfer]
            for dep in reversed(deps):
                if dep not in seen:
                    stack.append((dep, False))
    return order


def _filter_reason(catalog: Catalog, credential: Credential, request: PlanRequest) -> str | None:
    if credential.id in request.held:
        return "is already held"
    if credential.id in request.exclude:
        return "is excluded (exclude list)"
    provider = catalog.provider_of(credential)
    if credential.provider is not None and credential.provider in request.exclude_providers:
        return f"is from provider '{credential.provider}', which is excluded"
    if request.delivery is not None and credential.delivery not in request.delivery:
        allowed = ", ".join(sorted(d.value for d in request.delivery))
        return f"is {credential.delivery.value}, excluded by the delivery filter ({allowed} only)"
    if request.min_recognition is not None:
        recognition = provider.recognition if provider is not None else Recognition.UNVERIFIED
        if recognition.rank < request.min_recognition.rank:
            return (
                f"is from a provider recognised as {recognition.value}, below the minimum "
                f"recognition ({request.min_recognition.value})"
            )
    return None


def _intake_weeks(credential: Credential, start: date, horizon: int) -> tuple[int, ...] | None:
    if credential.start_dates is None:
        return None
    weeks = {(d - start).days // 7 for d in credential.start_dates if d >= start}
    return tuple(sorted(w for w in weeks if w < horizon))


def _held_transfer(catalog: Catalog, credential: Credential, held: frozenset[str]) -> float:
    if credential.credits_required is None:
        return 0.0
    return transferred_credits(credential, held, catalog)


def _duration_classes(
    credential: Credential, t_min: float, sources: list[float]
) -> tuple[DurationClass, ...]:
    """The distinct durations a credential can have, each with its transfer range.

    When the transfer sources are few enough, only the credit totals they can really add up
    to are considered (subset sums); otherwise every duration between the extremes.
    """
    if credential.credits_required is None or credential.transfer_cap <= t_min + EPS:
        d = credential.duration_for(t_min)
        return (DurationClass(d, t_min, t_min, credential.effort_for(t_min) / d),)
    cap = credential.transfer_cap
    totals = _achievable_totals(t_min, cap, sources)
    if totals is not None:
        # one class per achievable total: its weekly load is then exact
        return tuple(
            sorted(
                (
                    DurationClass(
                        credential.duration_for(t),
                        t,
                        t,
                        credential.effort_for(t) / credential.duration_for(t),
                    )
                    for t in totals
                ),
                key=lambda k: (k.weeks, -k.t_low),
            )
        )
    weeks_per_credit = credential.per_credit.weeks if credential.per_credit else 0.0
    longest, shortest = credential.duration_for(t_min), credential.duration_for(cap)
    # Totals lie on a grid (multiples of the credits' finest decimal): a class then ends one
    # step below the next shorter class's least credit, since that credit already gives the
    # shorter (heavier per week) duration, which a capacity may rule out.
    scale = decimal_scale([t_min, cap, *sources], 4)
    step = None if scale is None else 1.0 / scale
    result: list[DurationClass] = []
    for d in range(shortest, longest + 1):
        t_low = _least_transfer_for(credential, d, t_min, cap, weeks_per_credit)
        if step is not None:
            t_low = min(cap, math.ceil(t_low / step - 1e-6) * step)
        if credential.duration_for(t_low) != d:
            continue  # rounding skips this duration
        if not result:
            t_high = cap
        elif step is not None:
            t_high = result[-1].t_low - step
        else:
            t_high = result[-1].t_low  # off the grid: the boundary counts in both classes
        if t_high < t_low - EPS:
            continue  # no total gives this duration
        result.append(DurationClass(d, t_low, t_high, credential.effort_for(t_high) / d))
    return tuple(result)


def decimal_scale(values: Iterable[float], digits: int) -> int | None:
    """The least power of ten (at most 10**digits) that makes every value an integer, or None."""
    listed = list(values)
    for power in range(digits + 1):
        scale: int = 10**power
        if all(abs(v * scale - round(v * scale)) <= 1e-6 for v in listed):
            return scale
    return None


def _achievable_totals(t_min: float, cap: float, sources: list[float]) -> list[float] | None:
    """Every transfer total T the sources can produce (capped), or None when too many."""
    totals = {round(t_min, 6)}
    for value in sources:
        totals |= {round(min(cap, t + value), 6) for t in totals}
        if len(totals) > MAX_TRANSFER_TOTALS:
            return None
    return sorted(totals)


def _least_transfer_for(
    credential: Credential, d: int, low: float, high: float, weeks_per_credit: float
) -> float:
    """The smallest T in [low, high] with duration_for(T) <= d (duration falls as T grows)."""
    if credential.duration_for(low) <= d:
        return low
    if weeks_per_credit > 0 and credential.credits_required is not None:
        # exact when no rounding interferes: weeks * (N - T) = d - duration_weeks
        exact = credential.credits_required - (d - credential.duration_weeks) / weeks_per_credit
        if low <= exact <= high and credential.duration_for(exact) <= d:
            return exact
    for _ in range(60):
        mid = (low + high) / 2
        if credential.duration_for(mid) <= d:
            high = mid
        else:
            low = mid
    return high
