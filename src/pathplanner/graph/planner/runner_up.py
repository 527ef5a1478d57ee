"""The explanation's runner-up route: the cheapest set of credentials that leaves out at least
one of the plan's optional steps (a no-good cut over them) and can be scheduled.

The cut is solved exactly on the cheapest plan's kept cost model, but HiGHS gets help:

* a first incumbent close to the answer: for every optional step, the plan without it,
  repaired greedily (each requirement left unmet is filled with its cheapest options, priced
  with their own unmet prerequisites) and cleared of steps nothing needs any more; the
  cheapest of these sets, completed by the model into a full solution (its group indicators
  and transfer variables), is the MIP start. With an incumbent this close, HiGHS fixes most
  variables by reduced cost at the root and usually proves the runner-up there;
* no "objective >= the plan's bound" row (it made the LP degenerate and its duals useless
  for that reduced-cost fixing).

The heuristic only speeds the solve up: the answer is the MIP's optimum either way (measured
on the benchmark goals: the runner-up's cost is unchanged; among sets of equal cost HiGHS may
return another one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pathplanner.graph.planner.cost_model import CostResult
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.milp import Interrupt, Solution
from pathplanner.graph.planner.schedule import Schedule
from pathplanner.graph.planner.set_scheduling import schedule_set
from pathplanner.model import (
    AllOf,
    AnyOf,
    Credential,
    Requirement,
    credit_value,
    is_satisfied,
    item_id,
    requirement_refs,
    transferred_credits,
)

# (price, additions) of the greedy fill of a requirement; None when it cannot be met
Fill = tuple[float, frozenset[str]] | None


# Solves of the runner-up route: the cut's optimum, then again with each set that could not be
# scheduled (intakes, capacity) cut off as well.
ATTEMPTS = 3


def runner_up_route(
    instance: Instance,
    base: CostResult,
    plan_ids: frozenset[str],
    optional: frozenset[str],
    time_limit: Callable[[], float],
    *,
    interrupt: Interrupt | None = None,
) -> tuple[Schedule, float, str] | None:
    """The runner-up route's schedule, the model's cost and the status ("optimal" when the
    first set found could be scheduled and was proven cheapest); None when there is none
    (or no time). ``time_limit``: called for each solve's limit."""
    cuts = [optional]
    for _ in range(ATTEMPTS):
        solution, chosen = solve_runner_up(
            instance, base, plan_ids, cuts, time_limit(), interrupt=interrupt
        )
        if solution.x is None or solution.value is None:
            return None
        schedule = schedule_set(instance, chosen)
        if schedule is not None:
            proven = solution.status == "optimal" and len(cuts) == 1
            return schedule, solution.value, "optimal" if proven else "feasible"
        cuts.append(chosen)
    return None


def solve_runner_up(
    instance: Instance,
    base: CostResult,
    plan_ids: frozenset[str],
    forbid: list[frozenset[str]],
    time_limit: float,
    *,
    interrupt: Interrupt | None = None,
) -> tuple[Solution, frozenset[str]]:
    """The cheapest set of ``base``'s model that leaves out at least one member of each set in
    ``forbid`` (the first is the plan's optional steps, later ones sets that could not be
    scheduled). Returns the solution and the chosen set. ``base``'s model is left as it was."""
    model = base.model
    if model is None:
        raise ValueError("solve_runner_up needs a result of solve_cost_model")
    take = base.structure.take
    start = _first_incumbent(
        instance, base, plan_ids, forbid, time_limit=time_limit, interrupt=interrupt
    )
    floor = base.solution.bound
    if (
        start is not None
        and start.value is not None
        and floor is not None
        and start.value <= floor + 1e-6 * (1.0 + abs(floor))
    ):
        # as cheap as the plan itself (a tie): no set leaving a step out costs less
        solution = Solution("optimal", start.x, start.value, start.value)
        return solution, frozenset(c for c, v in take.items() if solution.is_one(v))
    first_row = model.row_count
    try:
        for forbidden in forbid:
            members = [take[c] for c in forbidden if c in take]
            model.row(dict.fromkeys(members, 1.0), upper=len(members) - 1)
        solution = model.solve(
            base.objective,
            time_limit,
            interrupt=interrupt,
            start=None if start is None else _nonzero(start),
        )
    finally:
        model.drop_rows(first_row)
    chosen = frozenset(c for c, v in take.items() if solution.is_one(v))
    return solution, chosen


def _first_incumbent(
    instance: Instance,
    base: CostResult,
    plan_ids: frozenset[str],
    forbid: list[frozenset[str]],
    *,
    time_limit: float,
    interrupt: Interrupt | None,
) -> Solution | None:
    """A full model solution for the best repaired set (None when there is none)."""
    model = base.model
    if model is None or not forbid:
        return None
    take = base.structure.take
    best = _Repair(instance, frozenset(take)).best(plan_ids, forbid)
    if best is None:
        return None
    # the model completes the set: group indicators and transfer variables
    saved = {var: (model.lower[var], model.upper[var]) for var in take.values()}
    try:
        for cid, var in take.items():
            value = 1.0 if cid in best else 0.0
            model.set_bounds(var, value, value)
        completed = model.solve(base.objective, min(time_limit, 1.0), interrupt=interrupt)
    finally:
        for var, (lower, upper) in saved.items():
            model.set_bounds(var, lower, upper)
    return completed if completed.x is not None else None


def _nonzero(solution: Solution) -> dict[int, float]:
    x = solution.x
    return {} if x is None else {var: float(value) for var, value in enumerate(x) if value != 0.0}


class _Repair:
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

    def credential(self, cid: str) -> Credential:
        return self.catalog.credentials_by_id[cid]

    def best(self, plan_ids: frozenset[str], forbid: list[frozenset[str]]) -> frozenset[str] | None:
        """The cheapest repaired set that leaves out a member of every set in ``forbid``."""
        best: tuple[float, frozenset[str]] | None = None
        users: dict[str, list[str]] = {}
        for user in plan_ids:
            for ref in requirement_refs(self.credential(user).requires):
                users.setdefault(ref, []).append(user)
        for left_out in sorted(forbid[0], key=lambda c: self.order.get(c, -1)):
            repaired = self.repair(plan_ids, left_out, users.get(left_out, []))
            if repaired is None or any(not (f - repaired) for f in forbid):
                continue
            cost = self.cost(repaired)
            if best is None or cost < best[0]:
                best = (cost, repaired)
        return None if best is None else best[1]

    def repair(
        self, plan_ids: frozenset[str], left_out: str, users: list[str]
    ) -> frozenset[str] | None:
        """The plan without ``left_out`` (whose requirements name it: ``users``), repaired."""
        members = set(plan_ids) - {left_out}
        banned = frozenset({left_out})
        memo: dict[str, Fill] = {}
        earned = self.held | members
        for cid in sorted(set(users), key=lambda c: self.order.get(c, -1)):
            requirement = self.credential(cid).requires
            if is_satisfied(requirement, earned, self.catalog):
                continue
            fill = self._fill(requirement, earned, banned, memo)
            if fill is None:
                return None
            members |= fill[1]
        for teachers in self.skills:
            if not any(t in members or t in self.held for t in teachers):
                options = [self._ref(t, earned, banned, memo) for t in teachers]
                found = [f for f in options if f is not None]
                if not found:
                    return None
                members |= min(found, key=lambda f: f[0])[1]
        return self._without_dead_weight(members)

    def _fill(
        self,
        requirement: Requirement | None,
        earned: frozenset[str] | set[str],
        banned: frozenset[str],
        memo: dict[str, Fill],
    ) -> Fill:
        """Greedy cheapest additions that make ``requirement`` hold."""
        if requirement is None or is_satisfied(requirement, earned, self.catalog):
            return (0.0, frozenset())
        if isinstance(requirement, str):
            return self._ref(requirement, earned, banned, memo)
        if isinstance(requirement, AllOf):
            return _union(self._fill(sub, earned, banned, memo) for sub in requirement.all)
        if isinstance(requirement, AnyOf):
            met = sum(1 for sub in requirement.any if is_satisfied(sub, earned, self.catalog))
            options = [
                f
                for sub in requirement.any
                if not is_satisfied(sub, earned, self.catalog)
                and (f := self._fill(sub, earned, banned, memo)) is not None
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
            fill = self._ref(item_id(item), earned, banned, memo)
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
        memo: dict[str, Fill],
    ) -> Fill:
        if cid in earned:
            return (0.0, frozenset())
        if cid in banned or cid not in self.allowed:
            return None
        if cid not in memo:
            memo[cid] = None  # the catalogue is acyclic; this only guards the recursion
            credential = self.credential(cid)
            own = credential.cost_for(self.instance.held_transfer.get(cid, 0.0))
            fill = self._fill(credential.requires, earned, banned, memo)
            memo[cid] = None if fill is None else (own + fill[0], fill[1] | {cid})
        return memo[cid]

    def _without_dead_weight(self, members: set[str]) -> frozenset[str]:
        """Drop members nothing needs any more, last in topological order first, when that
        costs no more."""
        users: dict[str, list[str]] = {}
        for user in members:
            for ref in self.refs(user):
                users.setdefault(ref, []).append(user)
        earned = set(self.held) | members
        for cid in sorted(members, key=lambda c: -self.order.get(c, -1)):
            if cid in self.roots:
                continue
            around = [u for u in users.get(cid, ()) if u in members]
            earned.discard(cid)
            if self._still_met(earned, around, cid) and self._delta(earned, around, cid) <= 1e-9:
                members.discard(cid)
                continue
            earned.add(cid)
        return frozenset(members)

    def refs(self, cid: str) -> tuple[str, ...]:
        found = self._refs.get(cid)
        if found is None:
            credential = self.credential(cid)
            found = tuple(requirement_refs(credential.requires))
            found += tuple(item_id(i) for i in credential.transfer)
            self._refs[cid] = found
        return found

    def _still_met(self, earned: set[str], users: list[str], cid: str) -> bool:
        """Whether every requirement and goal skill holds without ``cid``."""
        return all(
            is_satisfied(self.credential(u).requires, earned, self.catalog) for u in users
        ) and all(
            cid not in teachers or any(t in earned for t in teachers) for teachers in self.skills
        )

    def _delta(self, without: set[str], users: list[str], cid: str) -> float:
        """How much the set's cost changes when ``cid`` leaves it (its credit leaves too);
        ``without``: what is earned without it."""
        earned = without | {cid}
        credential = self.credential(cid)
        delta = -credential.cost_for(transferred_credits(credential, earned, self.catalog))
        for user in users:
            block = self.credential(user)
            if block.credits_required is None:
                continue
            before = transferred_credits(block, earned, self.catalog)
            after = transferred_credits(block, without, self.catalog)
            delta += block.cost_for(after) - block.cost_for(before)
        return delta

    def cost(self, members: Iterable[str]) -> float:
        """The set's cost with every credit its members can bring (the cost model's)."""
        earned = self.held | frozenset(members)
        total = 0.0
        for cid in members:
            credential = self.credential(cid)
            total += credential.cost_for(transferred_credits(credential, earned, self.catalog))
        return total


def _union(fills: Iterable[Fill]) -> Fill:
    price = 0.0
    added: frozenset[str] = frozenset()
    for fill in fills:
        if fill is None:
            return None
        price += fill[0]
        added |= fill[1]
    return (price, added)
