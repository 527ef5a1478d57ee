"""Which credentials a learner starting from nothing can ever earn, under filters.

A fixpoint over the requirements: a credential is reachable when it passes the filters and its
``requires`` is satisfied (:func:`pathplanner.model.is_satisfied`) by reachable credentials.
A worklist re-checks a credential only when one of the credentials it names becomes reachable,
so the cost is proportional to the size of the requirements, not to the depth times the size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pathplanner.model import (
    Catalog,
    Credential,
    Delivery,
    Recognition,
    is_satisfied,
    requirement_refs,
)


@dataclass(frozen=True)
class LearnerFilters:
    """What a learner can take: the same filters the planner accepts (None / empty = all)."""

    delivery: frozenset[Delivery] | None = None
    exclude_providers: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    min_recognition: Recognition | None = None
    hours_per_week: float | None = None  # credentials heavier than this per week are out

    @property
    def active(self) -> bool:
        return self != LearnerFilters()

    def allows(self, catalog: Catalog, credential: Credential) -> bool:
        if credential.id in self.exclude:
            return False
        if self.delivery is not None and credential.delivery not in self.delivery:
            return False
        if credential.provider is not None and credential.provider in self.exclude_providers:
            return False
        if self.min_recognition is not None:
            provider = catalog.provider_of(credential)
            rank = provider.recognition.rank if provider else Recognition.UNVERIFIED.rank
            if rank < self.min_recognition.rank:
                return False
        return self.hours_per_week is None or lightest_weekly_load(credential) <= (
            self.hours_per_week + 1e-9
        )

    def describe(self) -> str:
        parts: list[str] = []
        if self.delivery is not None:
            parts.append("delivery " + "/".join(sorted(d.value for d in self.delivery)))
        if self.exclude_providers:
            parts.append("without providers " + ", ".join(sorted(self.exclude_providers)))
        if self.exclude:
            parts.append("without " + ", ".join(sorted(self.exclude)))
        if self.min_recognition is not None:
            parts.append(f"recognition at least {self.min_recognition.value}")
        if self.hours_per_week is not None:
            parts.append(f"at most {self.hours_per_week:g} hours/week")
        return "; ".join(parts) if parts else "no filters"


def lightest_weekly_load(credential: Credential) -> float:
    """The smallest hours/week a credential can need: with no transfer or the most transfer.

    A credit block's load depends on the transfer received; the two extremes bound what any
    plan can see, so a credential heavier than H at both can never fit a week of H hours.
    """
    loads = [
        credential.effort_for(t) / credential.duration_for(t)
        for t in {0.0, credential.transfer_cap}
    ]
    return min(loads)


def dependents_index(catalog: Catalog) -> dict[str, list[str]]:
    """For each credential id, the credentials whose ``requires`` names it."""
    index: dict[str, list[str]] = {}
    for credential in catalog.credentials:
        for ref in dict.fromkeys(requirement_refs(credential.requires)):
            index.setdefault(ref, []).append(credential.id)
    return index


def reachable_from_zero(
    catalog: Catalog,
    allowed: Callable[[Credential], bool] | None = None,
    *,
    dependents: dict[str, list[str]] | None = None,
    held: Iterable[str] = (),
) -> set[str]:
    """Every credential that can be earned starting from ``held`` (default nothing)."""
    index = dependents if dependents is not None else dependents_index(catalog)
    earned: set[str] = set(held)
    work: list[str] = list(earned)

    def try_earn(credential: Credential) -> None:
        if credential.id in earned or (allowed is not None and not allowed(credential)):
            return
        if credential.requires is None or _satisfied(credential, earned, catalog):
            earned.add(credential.id)
            work.append(credential.id)

    for credential in catalog.credentials:
        try_earn(credential)
    by_id = catalog.credentials_by_id
    while work:
        for dependent in index.get(work.pop(), ()):
            if dependent in by_id:
                try_earn(by_id[dependent])
    return earned


def filtered_reachable(
    catalog: Catalog, filters: LearnerFilters, dependents: dict[str, list[str]] | None = None
) -> set[str]:
    return reachable_from_zero(catalog, lambda c: filters.allows(catalog, c), dependents=dependents)


def _satisfied(credential: Credential, earned: set[str], catalog: Catalog) -> bool:
    try:
        return is_satisfied(credential.requires, earned, catalog)
    except KeyError:  # an unknown id in a credits-from list (an unvalidated catalogue)
        return False
