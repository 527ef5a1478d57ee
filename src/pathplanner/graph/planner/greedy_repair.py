"""Greedy repairs of a plan with one step left out: the runner-up route's first incumbent
(:mod:`pathplanner.graph.planner.runner_up`).

For each optional step, the plan without it is repaired: every requirement left unmet is filled
with its cheapest options ("k of": the k cheapest; credits: by price per credit), each priced
with its own unmet prerequisites (the fills of credentials that do not depend on the step left
out are the same in every repair, so they are shared), then steps nothing needs any more are
dropped when that costs no more. Only a guide for the solver: nothing here is claimed optimal.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable

from pathplanner.graph.planner.instance import Instance
from pathplanner.model import (
    AllOf,
    AnyOf,
    Credential,
    Requirement,
    credit_value,
    is_satisfied,
    item_id,
    requirement_refs,
)

# (price, additions) of the greedy fill of a requirement; None when it cannot be met
Fill = tuple[float, frozenset[str]] | None


class GreedyRepair:
    """Greedy repairs of a plan with one step left out (see the module docstring)."""

    def __init__(self, instance: Instance, allowed: frozenset[str]) -> None:
        self.instance = instance
        self.catalog = instance.catalog
        self.allowed = allowed
        self.held = instance.held
        self.roots = frozenset(instance.requirement_roots())
        self.skills = [
            [t for t in instance.skill_teachers[s] if t in allowed or t in self.held]
            for s in instance.open_skills
        ]
        self.order = {cid: i for i, cid in enumerate(instance.candidates)}
        self._refs: dict[str, tuple[str, ...]] = {}
        self._credits: dict[str, dict[str, float]] = {}
        self._required_by: dict[str, list[str]] | None = None
        # greedy fills: those of credentials that do not depend on the step left out are the
        # same in every repair (``_shared``); the others are redone per repair (``_own``)
        self._shared: dict[str, Fill] = {}
        self._own: dict[str, Fill] = {}
        self._redo: set[str] = set()

    def credential(self, cid: str) -> Credential:
        return self.catalog.credentials_by_id[cid]

    def best(
        self,
        plan_ids: frozenset[str],
        forbid: list[frozenset[str]],
        exclude: Collection[frozenset[str]] = (),
        tie: float | None = None,
    ) -> frozenset[str] | None:
        """The cheapest repaired set that leaves out a member of every set in ``forbid`` and
        is none of ``exclude`` (the first costing ``tie`` or less)."""
        best: tuple[float, frozenset[str]] | None = None
        users: dict[str, list[str]] = {}
        for user in plan_ids:
            for ref in requirement_refs(self.credential(user).requires):
                users.setdefault(ref, []).append(user)
        for left_out in sorted(forbid[0], key=lambda c: self.order.get(c, -1)):
            found = self.repair(plan_ids, left_out, users.get(left_out, []))
            if found is None or found[0] in exclude or any(not (f - found[0]) for f in forbid):
                continue
            if best is None or found[1] < best[0]:
                best = (found[1], found[0])
                if tie is not None and found[1] <= tie:
                    break
        return None if best is None else best[1]

    def repair(
        self, plan_ids: frozenset[str], left_out: str, users: list[str]
    ) -> tuple[frozenset[str], float] | None:
        """The plan without ``left_out`` (whose requirements name it: ``users``), repaired,
        and its cost."""
        members = set(plan_ids) - {left_out}
        banned = frozenset({left_out})
        self._own = {}
        self._redo = self._depending_on(left_out)
        earned = self.held | members
        for cid in sorted(set(users), key=lambda c: self.order.get(c, -1)):
            requirement = self.credential(cid).requires
            if is_satisfied(requirement, earned, self.catalog):
                continue
            fill = self._fill(requirement, earned, banned)
            if fill is None:
                return None
            members |= fill[1]
        for teachers in self.skills:
            if not any(t in members or t in self.held for t in teachers):
                options = [self._ref(t, earned, banned) for t in teachers]
                found = [f for f in options if f is not None]
                if not found:
                    return None
                members |= min(found, key=lambda f: f[0])[1]
        return self._without_dead_weight(members, members - plan_ids, left_out)

    def _fill(
        self,
        requirement: Requirement | None,
        earned: frozenset[str] | set[str],
        banned: frozenset[str],
    ) -> Fill:
        """Greedy cheapest additions that make ``requirement`` hold."""
        if requirement is None or is_satisfied(requirement, earned, self.catalog):
            return (0.0, frozenset())
        if isinstance(requirement, str):
            return self._ref(requirement, earned, banned)
        if isinstance(requirement, AllOf):
            return _union(self._fill(sub, earned, banned) for sub in requirement.all)
        if isinstance(requirement, AnyOf):
            met = sum(1 for sub in requirement.any if is_satisfied(sub, earned, self.catalog))
            options = [
                f
                for sub in requirement.any
                if not is_satisfied(sub, earned, self.catalog)
                and (f := self._fill(sub, earned, banned)) is not None
            ]
            need = requirement.count - met
            if len(options) < need:
                return None
            return _union(sorted(options, key=lambda f: f[0])[:need])
        have = sum(
            credit_value(item, self.catalog)
            for item in requirement.from_
            if item_id(item) in earned
        )
        priced: list[tuple[float, float, Fill]] = []
        for item in requirement.from_:
            value = credit_value(item, self.catalog)
            if item_id(item) in earned or value <= 0:
                continue
            fill = self._ref(item_id(item), earned, banned)
            if fill is not None:
                priced.append((fill[0] / value, value, fill))
        chosen: list[Fill] = []
        for _, value, fill in sorted(priced, key=lambda p: p[0]):
            if have >= requirement.credits - 1e-9:
                break
            chosen.append(fill)
            have += value
        if have < requirement.credits - 1e-9:
            return None
        return _union(chosen)

    def _ref(
        self,
        cid: str,
        earned: frozenset[str] | set[str],
        banned: frozenset[str],
    ) -> Fill:
        if cid in earned:
            return (0.0, frozenset())
        if cid in banned or cid not in self.allowed:
            return None
        memo = self._own if cid in self._redo else self._shared
        if cid not in memo:
            memo[cid] = None  # the catalogue is acyclic; this only guards the recursion
            credential = self.credential(cid)
            own = credential.cost_for(self.instance.held_transfer.get(cid, 0.0))
            fill = self._fill(credential.requires, earned, banned)
            memo[cid] = None if fill is None else (own + fill[0], fill[1] | {cid})
        return memo[cid]

    def _depending_on(self, cid: str) -> set[str]:
        """``cid`` and every candidate whose requirement needs it, directly or not."""
        if self._required_by is None:
            self._required_by = {}
            for user in self.allowed:
                for ref in requirement_refs(self.credential(user).requires):
                    self._required_by.setdefault(ref, []).append(user)
        found = {cid}
        stack = [cid]
        while stack:
            for user in self._required_by.get(stack.pop(), ()):
                if user not in found:
                    found.add(user)
                    stack.append(user)
        return found

    def _without_dead_weight(
        self, members: set[str], added: set[str], left_out: str
    ) -> tuple[frozenset[str], float]:
        """Drop members nothing needs any more, when that costs no more: the plan had no dead
        weight, so only what was added, what ``left_out`` used and the other options of the
        requirements that changed are suspects, and what a dropped one used (latest in
        topological order first). Returns the set and its cost."""
        users: dict[str, list[str]] = {}
        for user in members:
            for ref in self.refs(user):
                users.setdefault(ref, []).append(user)
        earned = set(self.held) | members
        raw = {b: self.raw_credit(b, earned) for b in members if self.credits(b)}
        suspects = set(added) | set(self.refs(left_out))
        for changed in (*added, left_out):
            for user in users.get(changed, ()):
                suspects.update(self.refs(user))
        queue = [(-self.order.get(c, -1), c) for c in suspects & members if c not in self.roots]
        heapq.heapify(queue)
        seen = {c for _, c in queue}
        while queue:
            _, cid = heapq.heappop(queue)
            around = [u for u in users.get(cid, ()) if u in members]
            earned.discard(cid)
            if not (self._still_met(earned, around, cid) and self._delta(raw, around, cid) <= 1e-9):
                earned.add(cid)
                continue
            members.discard(cid)
            for block in around:
                if block in raw:
                    raw[block] -= self.credits(block).get(cid, 0.0)
            for ref in self.refs(cid):
                if ref in members and ref not in seen and ref not in self.roots:
                    seen.add(ref)
                    heapq.heappush(queue, (-self.order.get(ref, -1), ref))
        cost = sum(self.credential(c).cost_for(raw.get(c, 0.0)) for c in members)
        return frozenset(members), cost

    def refs(self, cid: str) -> tuple[str, ...]:
        found = self._refs.get(cid)
        if found is None:
            credential = self.credential(cid)
            found = tuple(requirement_refs(credential.requires))
            found += tuple(item_id(i) for i in credential.transfer)
            self._refs[cid] = found
        return found

    def credits(self, cid: str) -> dict[str, float]:
        """Credit each transfer source brings into ``cid`` (empty unless a credit block)."""
        found = self._credits.get(cid)
        if found is None:
            found = {}
            credential = self.credential(cid)
            if credential.credits_required is not None:
                for item in credential.transfer:
                    source = item_id(item)
                    found[source] = found.get(source, 0.0) + credit_value(item, self.catalog)
            self._credits[cid] = found
        return found

    def raw_credit(self, cid: str, earned: set[str] | frozenset[str]) -> float:
        """Credit the earned sources bring into ``cid``, before its cap (which ``cost_for``
        applies)."""
        return sum(v for source, v in self.credits(cid).items() if source in earned)

    def _still_met(self, earned: set[str], users: list[str], cid: str) -> bool:
        """Whether every requirement and goal skill holds without ``cid``."""
        return all(
            is_satisfied(self.credential(u).requires, earned, self.catalog) for u in users
        ) and all(
            cid not in teachers or any(t in earned for t in teachers) for teachers in self.skills
        )

    def _delta(self, raw: dict[str, float], users: list[str], cid: str) -> float:
        """How much the set's cost changes when ``cid`` leaves it (its credit leaves too);
        ``raw``: the credit each member block receives now."""
        delta = -self.credential(cid).cost_for(raw.get(cid, 0.0))
        for block in users:
            if block in raw:
                credential = self.credential(block)
                value = self.credits(block).get(cid, 0.0)
                delta += credential.cost_for(raw[block] - value) - credential.cost_for(raw[block])
        return delta


def _union(fills: Iterable[Fill]) -> Fill:
    price = 0.0
    added: frozenset[str] = frozenset()
    for fill in fills:
        if fill is None:
            return None
        price += fill[0]
        added |= fill[1]
    return (price, added)
