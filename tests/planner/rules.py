"""The plain rules of issue 3 that both the oracle and the schedule checker apply.

Written from the issue's semantics, not from the planner: which credentials a request lets a
learner take, which weeks an intake allows, and which credentials could count towards a goal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from pathplanner.graph.planner import PlanRequest
from pathplanner.model import Catalog, Credential, Recognition, item_id, requirement_refs


def may_take(catalog: Catalog, credential: Credential, request: PlanRequest) -> str | None:
    """Why ``request`` forbids taking ``credential`` (held, filtered out), or None if allowed."""
    if credential.id in request.held:
        return "already held"
    if credential.id in request.exclude:
        return "excluded credential"
    if request.delivery is not None and credential.delivery not in request.delivery:
        return f"delivery {credential.delivery.value} not allowed"
    if credential.provider is not None and credential.provider in request.exclude_providers:
        return f"provider {credential.provider} excluded"
    if request.min_recognition is not None:
        provider = catalog.provider_of(credential)
        rank = provider.recognition.rank if provider is not None else Recognition.UNVERIFIED.rank
        if rank < request.min_recognition.rank:
            return "provider recognition below the minimum"
    return None


def intake_weeks(credential: Credential, start: date, horizon: int) -> frozenset[int] | None:
    """Weeks (0 .. horizon-1) in which ``credential`` may start; None when it has no intakes.

    Week w covers the days [7w, 7w + 7) after ``start``; dates before ``start`` are ignored.
    """
    if credential.start_dates is None:
        return None
    weeks = set()
    for day in credential.start_dates:
        offset = (day - start).days
        if offset >= 0 and offset // 7 < horizon:
            weeks.add(offset // 7)
    return frozenset(weeks)


def week_start(start: date, week: int) -> date:
    return start + timedelta(days=7 * week)


def predecessors(credential: Credential) -> set[str]:
    """Credentials that may have to finish before ``credential`` starts (requires + transfer)."""
    return set(requirement_refs(credential.requires)) | {item_id(i) for i in credential.transfer}


def ancestors(catalog: Catalog, targets: Iterable[str]) -> set[str]:
    """``targets`` and every credential that can count towards one of them."""
    seen: set[str] = set()
    stack = list(targets)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(predecessors(catalog.credential(node)))
    return seen


def topological_order(catalog: Catalog, ids: Iterable[str]) -> list[str]:
    """``ids`` ordered so that every predecessor comes first (catalogues are acyclic)."""
    wanted = set(ids)
    order: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in done:
            return
        done.add(node)
        for pred in sorted(predecessors(catalog.credential(node))):
            visit(pred)
        if node in wanted:
            order.append(node)

    for node in sorted(wanted):
        visit(node)
    return order


def goal_reached(catalog: Catalog, request: PlanRequest, owned: set[str] | frozenset[str]) -> bool:
    """Whether ``owned`` (held plus planned) reaches the goal and includes every insisted one."""
    if not request.insist <= owned:
        return False
    if request.goal is not None:
        return request.goal in owned
    taught = {skill for cid in owned for skill in catalog.credential(cid).skills}
    return request.skills <= taught


def goal_targets(catalog: Catalog, request: PlanRequest) -> set[str]:
    """Credentials a plan may end in: the goal, or every teacher of a goal skill; plus insisted."""
    if request.goal is not None:
        targets = {request.goal}
    else:
        targets = {c.id for c in catalog.credentials if request.skills & set(c.skills)}
    return targets | set(request.insist)
