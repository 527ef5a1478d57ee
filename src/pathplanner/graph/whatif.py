"""What-if: apply proposed changes to a scratch copy of a catalogue and compare the cheapest and
fastest routes to chosen goals, and the complexity metrics, before and after.

The original catalogue is never modified (records are immutable); :func:`apply_changes` returns
a new :class:`~pathplanner.model.Catalog` that passes the same cross-record checks as a file
(so a change that creates a cycle is refused with the validator's message).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pathplanner.catalog import Severity, check_references
from pathplanner.graph.metrics import (
    METRIC_NAMES,
    AnalysisCancelledError,
    CurriculumMetrics,
    catalog_metrics,
)
from pathplanner.graph.planner import Plan, PlanningCancelled, PlanRequest, plan
from pathplanner.model import (
    AllOf,
    AnyOf,
    Catalog,
    Credential,
    CreditItem,
    CreditsFrom,
    PerCredit,
    Requirement,
    credit_value,
    item_id,
)

Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]


class WhatIfError(ValueError):
    """A change that cannot be applied: unknown ids, or a result the validator rejects."""


@dataclass(frozen=True)
class AddTransfer:
    """Let ``source``'s credits transfer into ``target``'s credit block."""

    source: str
    target: str
    credits: float | None = None  # overrides the source's own credit value

    def describe(self) -> str:
        amount = f" ({self.credits:g} credits)" if self.credits is not None else ""
        return f"add transfer {self.source} -> {self.target}{amount}"


@dataclass(frozen=True)
class SetPrice:
    """Change a credential's fixed cost and/or its price per credit still to study."""

    credential: str
    cost: float | None = None
    per_credit_price: float | None = None

    def describe(self) -> str:
        parts = []
        if self.cost is not None:
            parts.append(f"cost {self.cost:g}")
        if self.per_credit_price is not None:
            parts.append(f"price per credit {self.per_credit_price:g}")
        return f"set {self.credential} {' and '.join(parts) or '(no change)'}"


@dataclass(frozen=True)
class DropPrerequisite:
    """Remove ``prerequisite`` from everywhere in ``credential``'s requirement."""

    credential: str
    prerequisite: str

    def describe(self) -> str:
        return f"drop prerequisite {self.prerequisite} of {self.credential}"


Change = AddTransfer | SetPrice | DropPrerequisite


def change_to_json(change: Change) -> dict[str, Any]:
    kind = {
        AddTransfer: "add_transfer",
        SetPrice: "set_price",
        DropPrerequisite: "drop_prerequisite",
    }
    data: dict[str, Any] = {"change": kind[type(change)], **change.__dict__}
    data["description"] = change.describe()
    return data


def fresh_copy(catalog: Catalog, credentials: Sequence[Credential]) -> Catalog:
    """The catalogue with new credentials; the id look-ups are rebuilt, not copied stale."""
    return catalog.model_copy(update={"credentials": tuple(credentials)})


def apply_changes(catalog: Catalog, changes: Sequence[Change], *, validate: bool = True) -> Catalog:
    """A scratch catalogue with every change applied in order; raises :class:`WhatIfError`.

    Each change's own checks (known ids, a credit block to transfer into, no repeated link)
    always run. ``validate=False`` leaves out the validator's whole-catalogue pass
    (cycles, reference counts): linear in the catalogue, so for a caller that re-plans many
    single links it dominates on large catalogues. Only pass it when the caller has ruled
    out cycles itself (the bridge search does: no link from what is built on the target)."""
    credentials = {c.id: c for c in catalog.credentials}
    for change in changes:
        if isinstance(change, AddTransfer):
            credentials[change.target] = _add_transfer(credentials, change, catalog)
        elif isinstance(change, SetPrice):
            credentials[change.credential] = _set_price(credentials, change)
        else:
            credentials[change.credential] = _drop_prerequisite(credentials, change)
    result = fresh_copy(catalog, list(credentials.values()))
    if not validate:
        return result
    errors = [p for p in check_references(result, "what-if") if p.severity is Severity.ERROR]
    if errors:
        raise WhatIfError("; ".join(f"{p.record}: {p.message}" for p in errors))
    return result


def _lookup(credentials: dict[str, Credential], cid: str, role: str) -> Credential:
    try:
        return credentials[cid]
    except KeyError:
        raise WhatIfError(f"unknown {role} credential {cid!r}") from None


def _add_transfer(
    credentials: dict[str, Credential], change: AddTransfer, catalog: Catalog
) -> Credential:
    target = _lookup(credentials, change.target, "target")
    _lookup(credentials, change.source, "source")
    if not target.has_credit_block:
        raise WhatIfError(
            f"{target.id} has no credit block (credits_required), so nothing can transfer in"
        )
    if any(item_id(i) == change.source for i in target.transfer):
        raise WhatIfError(f"{change.source} already transfers into {target.id}")
    item: str | CreditItem = (
        change.source
        if change.credits is None
        else CreditItem(id=change.source, credits=change.credits)
    )
    return target.model_copy(update={"transfer": (*target.transfer, item)})


def _set_price(credentials: dict[str, Credential], change: SetPrice) -> Credential:
    credential = _lookup(credentials, change.credential, "priced")
    for value in (change.cost, change.per_credit_price):
        if value is not None and not value >= 0:
            raise WhatIfError(f"a price must be a number >= 0, not {value!r}")
    update: dict[str, Any] = {}
    if change.cost is not None:
        update["cost"] = change.cost
    if change.per_credit_price is not None:
        if not credential.has_credit_block:
            raise WhatIfError(f"{credential.id} has no credit block to price per credit")
        base = credential.per_credit or PerCredit()
        update["per_credit"] = base.model_copy(update={"price": change.per_credit_price})
    return credential.model_copy(update=update)


def _drop_prerequisite(credentials: dict[str, Credential], change: DropPrerequisite) -> Credential:
    credential = _lookup(credentials, change.credential, "changed")
    scratch = fresh_copy(_EMPTY, list(credentials.values()))
    requirement, found = _without(credential.requires, change.prerequisite, scratch)
    if not found:
        raise WhatIfError(f"{credential.id} does not require {change.prerequisite}")
    return credential.model_copy(update={"requires": requirement})


_EMPTY = Catalog(format="pathplanner-catalog", version=1, name="scratch")


def _without(
    requirement: Requirement | None, ref: str, catalog: Catalog
) -> tuple[Requirement | None, bool]:
    """The requirement with ``ref`` removed (groups shrink, counts and sums are capped)."""
    if requirement is None:
        return None, False
    if isinstance(requirement, str):
        return (None, True) if requirement == ref else (requirement, False)
    if isinstance(requirement, AllOf | AnyOf):
        subs = requirement.all if isinstance(requirement, AllOf) else requirement.any
        kept: list[Requirement] = []
        found = False
        for sub in subs:
            new, hit = _without(sub, ref, catalog)
            found = found or hit
            if new is not None:
                kept.append(new)
        if not kept:
            return None, found
        if isinstance(requirement, AllOf):
            return (kept[0] if len(kept) == 1 else AllOf(all=tuple(kept))), found
        count = min(requirement.count, len(kept))
        if count == 1 and len(kept) == 1:
            return kept[0], found
        return AnyOf(any=tuple(kept), count=count), found
    items = [i for i in requirement.from_ if item_id(i) != ref]
    if len(items) == len(requirement.from_):
        return requirement, False
    if not items:
        return None, True
    available = sum(credit_value(i, catalog) for i in items)
    credits = min(requirement.credits, available)
    if credits <= 0:
        return None, True
    return CreditsFrom.model_validate({"credits": credits, "from": items}), True


@dataclass(frozen=True)
class RouteComparison:
    goal: str
    objective: str
    before: Plan
    after: Plan

    @property
    def cost_change(self) -> float | None:
        if self.before.status == "infeasible" or self.after.status == "infeasible":
            return None
        return round(self.after.total_cost - self.before.total_cost, 2)

    @property
    def weeks_change(self) -> int | None:
        if self.before.status == "infeasible" or self.after.status == "infeasible":
            return None
        return self.after.finish_week - self.before.finish_week

    def to_json(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "objective": self.objective,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "cost_change": self.cost_change,
            "weeks_change": self.weeks_change,
        }


@dataclass(frozen=True)
class WhatIfResult:
    changes: tuple[Change, ...]
    catalog: Catalog  # the scratch copy, ready to save if the designer keeps the change
    routes: tuple[RouteComparison, ...]
    metrics_before: CurriculumMetrics
    metrics_after: CurriculumMetrics

    def metric_changes(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Per credential whose metrics moved: metric -> (before, after)."""
        result: dict[str, dict[str, tuple[int, int]]] = {}
        before = self.metrics_before.per_credential
        for cid, after in self.metrics_after.per_credential.items():
            old = before.get(cid)
            if old is None or old == after:
                continue
            result[cid] = {
                name: (old.value(name), after.value(name))
                for name in METRIC_NAMES
                if old.value(name) != after.value(name)
            }
        return result

    def to_json(self) -> dict[str, Any]:
        before = self.metrics_before.to_json()["totals"]
        after = self.metrics_after.to_json()["totals"]
        return {
            "changes": [change_to_json(c) for c in self.changes],
            "routes": [r.to_json() for r in self.routes],
            "metrics": {
                "before": before,
                "after": after,
                "credentials": {
                    cid: {name: list(pair) for name, pair in moved.items()}
                    for cid, moved in self.metric_changes().items()
                },
            },
        }


def what_if(
    catalog: Catalog,
    changes: Sequence[Change],
    goals: Sequence[str],
    *,
    request: PlanRequest | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> WhatIfResult:
    """Apply ``changes`` to a scratch copy; plan cheapest and fastest routes to each goal on
    both, and measure both. ``request`` carries the learner filters (its goal is ignored).
    Raises :class:`WhatIfError` for a change that cannot apply, and
    :class:`~pathplanner.graph.metrics.AnalysisCancelledError` when ``cancel()`` says so."""
    after_catalog = apply_changes(catalog, changes)
    template = request or PlanRequest()
    routes: list[RouteComparison] = []
    steps = max(1, 2 * len(goals))
    for index, goal in enumerate(goals):
        for offset, objective in enumerate(("cost", "time")):
            if progress is not None:
                done = (2 * index + offset) / steps
                progress(done * 0.9, f"planning {objective} route to {goal}")
            asked = replace(template, goal=goal, objective=objective)  # type: ignore[arg-type]
            try:
                before = plan(catalog, asked, cancel=cancel)
                after = plan(after_catalog, asked, cancel=cancel)
            except PlanningCancelled:
                raise AnalysisCancelledError("what-if cancelled") from None
            routes.append(RouteComparison(goal, objective, before, after))
    if progress is not None:
        progress(0.95, "measuring complexity")
    result = WhatIfResult(
        changes=tuple(changes),
        catalog=after_catalog,
        routes=tuple(routes),
        metrics_before=catalog_metrics(catalog, cancel=cancel),
        metrics_after=catalog_metrics(after_catalog, cancel=cancel),
    )
    if progress is not None:
        progress(1.0, "done")
    return result
