"""Gap findings that need cheapest routes: missing bridges and goals over a budget.

Both start from each goal's cheapest route (:func:`pathplanner.graph.planner.plan`). A missing
bridge is a transfer link that does not exist yet and would lower that route if added: the
candidates are bounded (credit blocks on the route, lower-level sources with credits, ranked by
an optimistic saving) and only the best few per goal are decided on a scratch copy. A
candidate whose source the learner cannot earn under the filters is ruled out without
re-planning: the link could never be used, so the route cannot change. A link from a source
off the route gets a lower bound first: the relaxed cost model of a route that takes both ends
of the link. A link whose bound leaves no saving worth reporting (or none that could reach the
goal's best few) is ruled out without re-planning; only the rest are re-planned, for their
exact cost and weeks.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from pathplanner.graph.findings import Finding, FindingKind, FindingSeverity, level_of
from pathplanner.graph.metrics import pathway, prerequisite_map
from pathplanner.graph.planner import Plan, PlanningCancelled, PlanningError, PlanRequest, plan
from pathplanner.graph.planner.cost_model import solve_cost_model
from pathplanner.graph.planner.instance import build_instance
from pathplanner.graph.reachability import LearnerFilters
from pathplanner.graph.whatif import AddTransfer, WhatIfError, apply_changes, fresh_copy
from pathplanner.model import Catalog, Credential, item_id

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class BridgeSettings:
    candidates_per_goal: int = 4  # transfer links re-planned per goal
    bridges_per_goal: int = 2  # best links reported per goal
    min_saving: float = 0.01  # money (or a week) below this is no saving
    # Rule links out by a lower bound before re-planning them (off: re-plan every candidate,
    # the reference the bound is checked against).
    bound_links: bool = True


def plan_request(filters: LearnerFilters, time_limit: float) -> PlanRequest:
    """A cost-objective request template carrying the learner filters."""
    return PlanRequest(
        objective="cost",
        delivery=filters.delivery,
        exclude_providers=filters.exclude_providers,
        exclude=filters.exclude,
        min_recognition=filters.min_recognition,
        hours_per_week=filters.hours_per_week,
        time_limit=time_limit,
    )


def cheapest_routes(
    catalog: Catalog,
    goals: Sequence[str],
    template: PlanRequest,
    *,
    deadline: float | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> dict[str, Plan]:
    """The cheapest route to each goal, in order, until ``deadline`` (a ``time.monotonic``)."""
    routes: dict[str, Plan] = {}
    for index, goal in enumerate(goals):
        if deadline is not None and time.monotonic() > deadline:
            break
        if progress is not None:
            progress(index / max(1, len(goals)), f"cheapest route to {goal}")
        # The analysis reads cost and steps only: skip the explanation's comparison solves.
        routes[goal] = plan(
            catalog, replace(template, goal=goal), cancel=cancel, alternatives=False
        )
    return routes


def over_budget(routes: Mapping[str, Plan], budget: float, currency: str) -> list[Finding]:
    """Goals whose cheapest route costs more than ``budget``."""
    findings: list[Finding] = []
    for goal, route in routes.items():
        if route.status == "infeasible" or route.total_cost <= budget + 1e-9:
            continue
        findings.append(
            Finding(
                FindingKind.OVER_BUDGET,
                FindingSeverity.WARNING,
                (goal, *(s.id for s in route.steps if s.id != goal)),
                f"the cheapest route to {goal} costs {route.total_cost:,.2f} {currency}, "
                f"over a budget of {budget:,.2f} {currency}",
                {"cheapest_cost": route.total_cost, "budget": budget},
            )
        )
    return findings


@dataclass(frozen=True)
class BridgeSearch:
    findings: list[Finding]
    candidates: int  # links worth deciding (the best few per goal)
    evaluated: int  # of those, decided before the deadline (re-planned or ruled out)
    replanned: int = 0  # of those, re-planned (the rest were ruled out by a bound)


def _bound_tolerance(cost: float) -> float:
    """How far a bound near ``cost`` may be off: HiGHS' optimal objective can sit a little
    above the true optimum (within its feasibility tolerances), a bound closer to the baseline
    than this does not rule a link out. 0.004 on a route of 30,000."""
    return 1e-3 + 1e-7 * abs(cost)


@dataclass(frozen=True)
class _Pending:
    """A candidate link to re-plan: its bound leaves room for a reportable saving, or it was
    not bounded."""

    most_saved: float  # the most the link could save (baseline cost - bound), or estimated
    goal: str
    source: str
    target: str
    bounded: bool = True  # most_saved is a bound, not an estimate


def missing_bridges(
    catalog: Catalog,
    routes: Mapping[str, Plan],
    *,
    filters: LearnerFilters | None = None,
    settings: BridgeSettings | None = None,
    reachable: Collection[str] | None = None,
    deadline: float | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> BridgeSearch:
    """For each goal with a route, the new transfer links that would most lower its cost.

    The best ``candidates_per_goal`` links of every goal whose source is not on the goal's
    route are bounded first (the relaxed cost model with both ends of the link taken,
    :func:`link_bound`), in order of their estimated saving across all goals; a link whose
    bound leaves no saving of ``min_saving`` is ruled out. The rest are re-planned, the
    largest possible (or, unbounded, estimated) saving first, so a ``deadline`` cuts the least
    promising ones and a goal's ``bridges_per_goal`` best savings found so far rule out the
    links whose bound cannot beat them. ``reachable``: the credentials a learner can
    earn from zero under ``filters``
    (:func:`pathplanner.graph.reachability.filtered_reachable`), when the caller has them; a
    candidate from outside it is ruled out, without re-planning, before the best few are
    chosen. The catalogue must pass the validator's cross-record checks (scratch copies are
    not re-validated: a link from what is built on its target, the only way one link could
    close a cycle, is never a candidate)."""
    settings = settings or BridgeSettings()
    allowed = filters or LearnerFilters()
    index = _CatalogIndex(catalog)
    queue: list[tuple[float, str, str, str]] = []
    # Per goal, the part of the catalogue its routes can use, with or without a candidate
    # link: each scratch copy (and the planner's id look-up) is then that small, not whole.
    routes_of: dict[str, Catalog] = {}
    on_route = {goal: {step.id for step in route.steps} for goal, route in routes.items()}
    for goal, baseline in routes.items():
        if baseline.status == "infeasible":
            continue
        ranked = _candidates(catalog, baseline, allowed, index)
        if reachable is not None:  # never earned under the filters: cannot change the route
            ranked = [(score, s, t) for score, s, t in ranked if s in reachable]
        chosen = ranked[: settings.candidates_per_goal]
        queue.extend((score, goal, s, t) for score, s, t in chosen)
        if chosen:
            routes_of[goal] = index.route_catalog(baseline.request, [s for _, s, _ in chosen])
    queue.sort(key=lambda q: (-q[0], q[1], q[2], q[3]))
    # Bounds take a fifth of the progress bar: each is a small fraction of a re-plan.
    share = 0.2
    pending: list[_Pending] = []
    evaluated = 0
    for done, (score, goal, source, target) in enumerate(queue):
        if deadline is not None and time.monotonic() > deadline:
            break
        if progress is not None:
            progress(
                share * done / len(queue),
                f"bounding bridge {source} -> {target} (estimated {score:,.0f})",
            )
        if cancel is not None and cancel():
            raise PlanningCancelled("planning cancelled")
        baseline = routes[goal]
        try:
            scratch = apply_changes(routes_of[goal], [AddTransfer(source, target)], validate=False)
        except WhatIfError:
            evaluated += 1
            continue
        if not settings.bound_links or source in on_route[goal]:
            # A source the route takes already makes the link pay as soon as its credit has
            # room: the bound would rarely rule it out (measured on the bundled and synthetic
            # catalogues: never for lack of saving, 3-4 of 80 by rank), so it is re-planned.
            pending.append(_Pending(score, goal, source, target, bounded=False))
            continue
        bound = link_bound(scratch, baseline.request, source, target, cancel)
        most_saved = baseline.total_cost - bound + _bound_tolerance(baseline.total_cost)
        if most_saved < settings.min_saving:
            evaluated += 1  # no route taking the link saves enough: decided
            continue
        pending.append(_Pending(most_saved, goal, source, target))
    pending.sort(key=lambda p: (-p.most_saved, p.goal, p.source, p.target))
    found: dict[str, list[Finding]] = {}
    replanned = 0
    for done, candidate in enumerate(pending):
        if deadline is not None and time.monotonic() > deadline:
            break
        evaluated += 1
        goal, source, target = candidate.goal, candidate.source, candidate.target
        if candidate.bounded and _cannot_rank(
            candidate.most_saved, found.get(goal, []), settings.bridges_per_goal
        ):
            continue
        if progress is not None:
            most = "saves at most" if candidate.bounded else "estimated"
            progress(
                share + (1 - share) * done / len(pending),
                f"bridge {source} -> {target} ({most} {candidate.most_saved:,.0f})",
            )
        baseline = routes[goal]
        scratch = apply_changes(routes_of[goal], [AddTransfer(source, target)], validate=False)
        better = plan(scratch, baseline.request, cancel=cancel, alternatives=False)
        replanned += 1
        if better.status == "infeasible":
            continue
        if baseline.total_cost - better.total_cost < settings.min_saving:
            continue
        finding = _bridge_finding(catalog, (source, target), goal, baseline, better)
        found.setdefault(goal, []).append(finding)
    findings: list[Finding] = []
    for goal in routes:
        findings.extend(_best(found.get(goal, []), settings.bridges_per_goal))
    return BridgeSearch(findings, len(queue), evaluated, replanned)


def link_bound(
    catalog: Catalog, request: PlanRequest, source: str, target: str, cancel: Cancel | None = None
) -> float:
    """A lower bound on the cost of any route for ``request`` that uses the transfer link
    ``source -> target`` of ``catalog``: the cost model (no weeks, every transfer credit
    arriving; a relaxation of the timed plan) with both credentials insisted on and whether
    to take each credential relaxed to a fraction (requirement groups' indicators stay
    binary). Infinite when no route can take both.
    Routes that leave the link out are the baseline's own, so this bounds what the link can
    save. ``cancel`` stops the solve (PlanningCancelled): the group indicators can branch."""
    insisted = replace(request, insist=request.insist | {source, target})
    try:
        instance = build_instance(catalog, insisted)
    except PlanningError:
        return -math.inf  # no bound: the caller re-plans
    result = solve_cost_model(instance, request.time_limit, relax=True, interrupt=cancel)
    solution = result.solution
    if solution.status == "infeasible":
        return math.inf
    if solution.status in ("optimal", "feasible") and solution.bound is not None:
        return solution.bound
    return -math.inf


def _best(found: list[Finding], count: int) -> list[Finding]:
    """A goal's reported bridges: the largest savings (rounded to cents), ties by ids."""
    return sorted(found, key=lambda f: (-f.numbers["money_saved"], f.credentials))[:count]


def _cannot_rank(most_saved: float, found: list[Finding], count: int) -> bool:
    """True when a link saving at most ``most_saved`` would rank below ``count`` links found:
    its rounded saving would be strictly smaller than theirs (a tie could still rank it in)."""
    if len(found) < count:
        return False
    last = _best(found, count)[-1].numbers["money_saved"]
    return round(most_saved, 2) < last


def _bridge_finding(
    catalog: Catalog, link: tuple[str, str], goal: str, baseline: Plan, better: Plan
) -> Finding:
    source, target = link
    weeks = baseline.finish_week - better.finish_week
    saved = baseline.total_cost - better.total_cost
    currency = catalog.currency
    into = target if target == goal else f"{target} (on the route to {goal})"
    weeks_text = f", {weeks} weeks sooner" if weeks > 0 else ""
    involved = tuple(dict.fromkeys((goal, source, target)))
    return Finding(
        FindingKind.MISSING_BRIDGE,
        FindingSeverity.INFO,
        involved,
        f"a transfer link {source} -> {into} would lower the cheapest route to {goal} from "
        f"{baseline.total_cost:,.2f} to {better.total_cost:,.2f} {currency} "
        f"(save {saved:,.2f}{weeks_text})",
        {
            "money_saved": round(saved, 2),
            "weeks_saved": weeks,
            "cost_before": baseline.total_cost,
            "cost_after": better.total_cost,
            "credits": catalog.credential(source).credits,
        },
    )


def _candidates(
    catalog: Catalog,
    baseline: Plan,
    filters: LearnerFilters,
    index: _CatalogIndex,
) -> list[tuple[float, str, str]]:
    """(estimated saving, source, target) links, best first. The estimate: credits that could
    transfer times the target's price per credit, minus what the source and its prerequisites
    off the route cost. Targets are the credit blocks on the route; sources are lower-level
    credentials with credits that share a skill with the target (or are on the route
    already), are allowed by the filters and are not built on the target."""
    on_route = {s.id: s for s in baseline.steps}
    scored: list[tuple[float, str, str]] = []
    for target_id, step in on_route.items():
        target = catalog.credential(target_id)
        per_credit = target.per_credit
        if not target.has_credit_block or per_credit is None:
            continue
        if target.transfer_cap <= 0 or (per_credit.price <= 0 and per_credit.weeks <= 0):
            continue
        # With the cap already used, a new source can still replace a dearer one: the bound
        # stays optimistic and the planner decides.
        room = target.transfer_cap - step.transferred_credits or target.transfer_cap
        existing = {item_id(i) for i in target.transfer}
        for source in index.relevant_sources(target, on_route):
            if not _may_bridge(
                source,
                target,
                existing=existing,
                descendants=index.descendants,
                filters=filters,
                catalog=catalog,
            ):
                continue
            gain = min(source.credits, room) * per_credit.price
            if source.id not in on_route:
                if gain - source.cost <= 0:
                    continue
                gain -= sum(
                    catalog.credential(c).cost
                    for c in index.pathway(source.id)
                    if c not in on_route
                )
            scored.append((gain, source.id, target_id))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [entry for entry in scored if entry[0] > 0]


def _may_bridge(
    source: Credential,
    target: Credential,
    *,
    existing: set[str],
    descendants: _Descendants,
    filters: LearnerFilters,
    catalog: Catalog,
) -> bool:
    if source.id == target.id or source.id in existing or source.credits <= 0:
        return False
    if source.id in descendants.of(target.id):  # the link would close a cycle
        return False
    source_level, target_level = level_of(source.kind), level_of(target.kind)
    if source_level is not None and target_level is not None and source_level >= target_level:
        return False
    return filters.allows(catalog, source)


class _CatalogIndex:
    """What the candidate search reads from the catalogue, built once per search rather than
    once per goal (a full pass over a 10,000-credential catalogue each time otherwise)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._prerequisites = prerequisite_map(catalog)
        self._before = prerequisite_map(catalog, include_transfer=True)
        self.descendants = _Descendants(self._before)
        self._with_credits = [c for c in catalog.credentials if c.credits > 0]
        self._by_skill: dict[str, list[Credential]] = {}
        for credential in self._with_credits:
            for skill in dict.fromkeys(credential.skills):
                self._by_skill.setdefault(skill, []).append(credential)
        self._pathways: dict[str, set[str]] = {}

    def relevant_sources(self, target: Credential, on_route: Collection[str]) -> list[Credential]:
        """Credentials with credits that share a skill with ``target`` (all of them when it
        lists no skill) or are on the route, in catalogue order."""
        if not target.skills:
            return self._with_credits
        chosen = {c.id for skill in target.skills for c in self._by_skill.get(skill, ())}
        chosen.update(on_route)
        return [c for c in self._with_credits if c.id in chosen]

    def route_catalog(self, request: PlanRequest, sources: Collection[str]) -> Catalog:
        """The credentials a route to ``request.goal`` can involve once a link from one of
        ``sources`` is added: everything with a requires/transfer path to the goal, to an
        insisted credential or to a source (the planner reads nothing else), and the other
        ids the request names. A plan on it is the plan on the whole catalogue."""
        if request.goal is None or request.skills:
            return self._catalog  # skill goals are taught by credentials found anywhere
        roots = (request.goal, *request.insist, *sources)
        keep = set().union(*(pathway(self._before, r) for r in roots))
        keep.update(request.held, request.exclude)
        return fresh_copy(self._catalog, [c for c in self._catalog.credentials if c.id in keep])

    def pathway(self, credential_id: str) -> set[str]:
        if credential_id not in self._pathways:
            self._pathways[credential_id] = pathway(self._prerequisites, credential_id)
        return self._pathways[credential_id]


class _Descendants:
    """What is built on a credential (through requirements and transfer), found on demand:
    only the few bridge targets are ever asked about."""

    def __init__(self, prerequisites: Mapping[str, Sequence[str]]) -> None:
        self._after: dict[str, list[str]] = {}
        for node, befores in prerequisites.items():
            for before in befores:
                self._after.setdefault(before, []).append(node)
        self._memo: dict[str, set[str]] = {}

    def of(self, node: str) -> set[str]:
        if node not in self._memo:
            found: set[str] = set()
            stack = list(self._after.get(node, ()))
            while stack:
                current = stack.pop()
                if current not in found:
                    found.add(current)
                    stack.extend(self._after.get(current, ()))
            self._memo[node] = found
        return self._memo[node]
