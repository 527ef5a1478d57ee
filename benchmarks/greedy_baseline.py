"""The greedy, tree-shaped search that the exact planner is compared with.

It prices every credential as if its prerequisites were a tree: a credential's price is its own
cost plus the price of its requirement, where ``all`` adds up its parts, ``k of n`` takes the k
cheapest options, and ``credits from`` takes items by price per credit until the credits are
met. A prerequisite shared by two branches is therefore paid once per use when comparing
branches. For a credit block it also takes, cheapest per credit first, each transfer source
whose tree price is below what its credits save, and prices the block with the transfer its
own branch brings. The plan it picks is the union of the chosen branches; :func:`greedy_plan`
reports both the tree price and what that union really costs (each credential paid once, with
the transfer credit the union brings), which is what a learner following it would pay.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from pathplanner.model import (
    AllOf,
    AnyOf,
    Catalog,
    Credential,
    Requirement,
    credit_value,
    item_id,
    transferred_credits,
)


@dataclass(frozen=True)
class GreedyPlan:
    chosen: frozenset[str]
    tree_price: float  # what the tree search believes the goal costs
    cost: float  # what the chosen credentials really cost together (math.inf: no plan)


class _Tree:
    def __init__(
        self, catalog: Catalog, held: frozenset[str], allowed: Callable[[Credential], bool]
    ) -> None:
        self.catalog = catalog
        self.held = held
        self.allowed = allowed
        self.prices: dict[str, float] = {}
        self.branches: dict[str, frozenset[str]] = {}
        self.sources: dict[str, list[str]] = {}

    def price(self, cid: str) -> float:
        """Tree price of earning ``cid``: its cost plus the tree prices of what it picks."""
        if cid in self.held:
            return 0.0
        if cid not in self.prices:
            self.prices[cid] = math.inf  # placeholder while its branch is priced
            cred = self.catalog.credential(cid)
            requirement = self.requirement_price(cred.requires)
            if not self.allowed(cred) or math.isinf(requirement):
                self.prices[cid] = math.inf
            else:
                sources = self.transfer_picks(cid)
                earned = self.held | self.branch(cid)
                transfer = transferred_credits(cred, earned, self.catalog)
                extra = sum(self.price(source) for source in sources)
                self.prices[cid] = cred.cost_for(transfer) + requirement + extra
        return self.prices[cid]

    def branch(self, cid: str) -> frozenset[str]:
        """What the greedy choice takes below ``cid`` (not ``cid`` itself)."""
        if cid not in self.branches:
            below: set[str] = set()
            for pick in self.picks(self.catalog.credential(cid).requires):
                if pick not in self.held:
                    below |= {pick} | self.branch(pick)
            for source in self.transfer_picks(cid):
                below |= {source} | self.branch(source)
            self.branches[cid] = frozenset(below)
        return self.branches[cid]

    def transfer_picks(self, cid: str) -> list[str]:
        """Transfer sources worth taking for ``cid``'s credit block alone, cheapest per credit
        first: those whose tree price is below the per-credit price of the credits they save."""
        if cid in self.sources:
            return self.sources[cid]
        self.sources[cid] = []
        cred = self.catalog.credential(cid)
        if cred.per_credit is None or not cred.transfer:
            return []
        earned = set(self.held)
        for pick in self.picks(cred.requires):
            earned |= {pick} | self.branch(pick)
        chosen: list[str] = []
        ranked = sorted(
            (i for i in cred.transfer if item_id(i) not in earned),
            key=lambda i: self.price(item_id(i)) / max(credit_value(i, self.catalog), 1e-9),
        )
        for item in ranked:
            before = transferred_credits(cred, earned, self.catalog)
            after = min(before + credit_value(item, self.catalog), cred.transfer_cap)
            saving = cred.per_credit.price * (after - before)
            if saving > 0 and self.price(item_id(item)) < saving:
                chosen.append(item_id(item))
                earned |= {item_id(item)} | self.branch(item_id(item))
        self.sources[cid] = chosen
        return chosen

    def requirement_price(self, req: Requirement | None) -> float:
        return sum(self.price(cid) for cid in self.picks(req)) if req is not None else 0.0

    def picks(self, req: Requirement | None) -> list[str]:
        """The credentials the greedy choice takes to meet ``req`` (repeats = paid twice)."""
        if req is None:
            return []
        if isinstance(req, str):
            return [req]
        if isinstance(req, AllOf):
            return [cid for sub in req.all for cid in self.picks(sub)]
        if isinstance(req, AnyOf):
            ranked = sorted(req.any, key=self.requirement_price_of)
            return [cid for sub in ranked[: req.count] for cid in self.picks(sub)]
        items = sorted(
            req.from_,
            key=lambda i: self.price(item_id(i)) / max(credit_value(i, self.catalog), 1e-9),
        )
        taken: list[str] = []
        total = 0.0
        for item in items:
            if total >= req.credits - 1e-9:
                break
            taken.append(item_id(item))
            total += credit_value(item, self.catalog)
        return taken

    def requirement_price_of(self, req: Requirement) -> float:
        return self.requirement_price(req)


def greedy_plan(
    catalog: Catalog,
    goal: str,
    held: frozenset[str] = frozenset(),
    allowed: Callable[[Credential], bool] | None = None,
) -> GreedyPlan:
    """The tree-shaped search's plan for ``goal``; ``allowed`` filters what may be taken."""
    tree = _Tree(catalog, held, allowed or (lambda _c: True))
    price = tree.price(goal)
    if math.isinf(price):
        return GreedyPlan(frozenset(), price, math.inf)
    chosen = set() if goal in held else {goal} | tree.branch(goal)
    owned = held | chosen
    cost = 0.0
    for cid in chosen:
        cred = catalog.credential(cid)
        cost += cred.cost_for(transferred_credits(cred, owned, catalog))
    return GreedyPlan(frozenset(chosen), price, cost)
