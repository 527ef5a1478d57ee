"""The requirement, transfer, goal and budget constraints shared by the cost and time models.

Every candidate credential c has a take variable x_c. A requirement is encoded bottom-up:
a reference to p is the expression ``link(p, c)`` (x_p in the cost model; in the time model a
binary "p is taken and finishes before c starts"); a group gets a binary v_g with

* all:      v_g <= v_child for every child,
* any k:    k * v_g <= sum of v_child,
* credits:  N * v_g <= sum of credits_i * v_item_i,

and the root group is forced by x_c itself (x_c replaces v_root). Held credentials are the
constant 1 and credentials that cannot be taken the constant 0. Group indicators are binary
because a fractional "2 of 3" could otherwise feed a parent "any" half a vote.

Transfer into a credit block c: a continuous t_i in [0, credits_i] per transfer item whose
source can be taken, ``t_i <= credits_i * link(s, c)`` and ``sum t_i <= (cap - T_held) x_c``;
c's cost is ``cost_for(T_held) x_c - price * sum t_i`` (linear in T). Minimising cost pushes
every t_i to its bound, so the model's T equals the credit the plan really receives.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.milp import Model
from pathplanner.model import AllOf, AnyOf, Catalog, Requirement, credit_value, item_id

# Divisors tried for the mixed-integer rounding cuts of a credits requirement (see
# _Encoder._fewest_items): measured on the 100,000-credential benchmark, 4 divisors roughly
# halve the LP gap of degrees' "credits from diplomas" rows; more add rows for little.
MIR_DIVISORS = 4

# A linear expression: coefficients by variable index, and a constant.
Expr = tuple[dict[int, float], float]
Link = Callable[[str, str], Expr]


@dataclass
class Structure:
    take: dict[str, int]  # candidate -> x variable
    transfer: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # c -> (source, t_i)
    cost: dict[int, float] = field(default_factory=dict)  # total cost, linear
    effort: dict[int, float] = field(default_factory=dict)  # total study hours, linear
    cost_constant: float = 0.0


def constant(value: float) -> Expr:
    return ({}, value)


def set_link(held: frozenset[str], take: dict[str, int]) -> Callable[[str, str], Expr]:
    """The untimed reference to p: 1 when held, x_p when a candidate, else 0 (models that choose
    a set without times, where any set meeting the requirements can be ordered)."""

    def link(p: str, _c: str) -> Expr:
        if p in held:
            return ({}, 1.0)
        if p in take:
            return ({take[p]: 1.0}, 0.0)
        return ({}, 0.0)

    return link


def add_structure(
    model: Model,
    instance: Instance,
    take: dict[str, int],
    link: Link,
    *,
    use_transfer: bool = True,
    budget: float | None = None,
) -> Structure:
    """Add requirement, transfer, goal, insist, skill and budget rows; return the cost terms."""
    structure = Structure(take)
    catalog = instance.catalog
    encoder = _Encoder(model, catalog, link)
    for cid in instance.candidates:
        if cid not in take:
            continue
        credential = catalog.credentials_by_id[cid]
        x = take[cid]
        if credential.requires is not None:
            encoder.require(credential.requires, x, cid)
        t_held = instance.held_transfer[cid]
        _add(structure.cost, x, credential.cost_for(t_held))
        _add(structure.effort, x, credential.effort_for(t_held))
        if not use_transfer or credential.credits_required is None:
            continue
        room = credential.transfer_cap - t_held
        items: list[tuple[str, int]] = []
        for item in credential.transfer:
            source = item_id(item)
            value = credit_value(item, catalog)
            if source not in take or value <= 0 or room <= 0:
                continue
            bound = min(value, room)
            t = model.var(0.0, bound)
            coeffs, const = link(source, cid)
            row = {t: 1.0}
            for var, coef in coeffs.items():
                row[var] = row.get(var, 0.0) - bound * coef
            model.row(row, upper=bound * const)
            model.row({t: 1.0, x: -bound}, upper=0.0)  # no credit into a block not taken
            items.append((source, t))
        if items:
            model.row({**{t: 1.0 for _, t in items}, x: -room}, upper=0.0)
            structure.transfer[cid] = items
            per_credit = credential.per_credit
            for _, t in items:
                if per_credit is not None:
                    _add(structure.cost, t, -per_credit.price)
                    _add(structure.effort, t, -per_credit.hours)
    for cid in instance.requirement_roots():
        if cid in take:
            model.row({take[cid]: 1.0}, lower=1.0, upper=1.0)
        else:
            model.row({}, lower=1.0)  # cannot be taken: the model is infeasible
    for skill in instance.open_skills:
        teachers = [t for t in instance.skill_teachers[skill] if t in take]
        model.row({take[t]: 1.0 for t in teachers}, lower=1.0)
    if budget is not None:
        model.row(structure.cost, upper=budget + 1e-6)
    return structure


def _add(coeffs: dict[int, float], var: int, value: float) -> None:
    coeffs[var] = coeffs.get(var, 0.0) + value


class _Encoder:
    def __init__(self, model: Model, catalog: Catalog, link: Link) -> None:
        self.model = model
        self.catalog = catalog
        self.link = link

    def require(self, req: Requirement, x: int, owner: str) -> None:
        """Rows forcing ``req`` to hold whenever x = 1."""
        if isinstance(req, str):
            self._at_least({x: 1.0}, [(1.0, self.link(req, owner))], 0.0)
        elif isinstance(req, AllOf):
            for sub in req.all:
                # every part must hold when x does: the part's own rows, forced by x itself
                self.require(sub, x, owner)
        elif isinstance(req, AnyOf):
            parts = [(1.0, self._encode(sub, owner)) for sub in req.any]
            self._at_least({x: float(req.count)}, parts, 0.0)
        else:
            parts = [
                (credit_value(item, self.catalog), self.link(item_id(item), owner))
                for item in req.from_
            ]
            self._at_least({x: req.credits}, parts, 0.0)
            self._fewest_items(x, req.credits, parts)

    def _fewest_items(self, x: int, credits: float, parts: list[tuple[float, Expr]]) -> None:
        """Mixed-integer rounding cuts of the row ``sum a_i y_i >= need * x``.

        The row alone lets the LP take fractions of items (a third of a 40-credit diploma
        counts 13 credits); with binary y and x, for a divisor d and f = frac(need/d) > 0,
        ``sum (floor(a_i/d) + min(f_i, f)/f) y_i >= ceil(need/d) * x`` holds at every integer
        point (for x = 0 trivially, for x = 1 it is the MIR inequality of the knapsack row).
        A few divisors (the largest item sizes) cut off most of those fractions. Valid for
        the time model too, whose links are binaries. Items are merged per variable first;
        a part that is not a single binary (or a constant) leaves the cut out."""
        need = credits
        weight: dict[int, float] = {}
        for a, (coeffs, const) in parts:
            need -= a * const
            if not coeffs or a <= 0:
                continue
            if len(coeffs) != 1 or next(iter(coeffs.values())) != 1.0:
                return
            var = next(iter(coeffs))
            weight[var] = weight.get(var, 0.0) + a
        if need <= 1e-9 or len(weight) < 2:
            return
        capped = {var: min(a, need) for var, a in weight.items()}
        for d in sorted({round(a, 6) for a in capped.values()}, reverse=True)[:MIR_DIVISORS]:
            ratio = need / d
            f = ratio - math.floor(ratio)
            if f < 1e-6 or f > 1 - 1e-6:
                continue
            row: dict[int, float] = {x: -float(math.ceil(ratio))}
            for var, a in capped.items():
                q = a / d
                fi = q - math.floor(q)
                row[var] = row.get(var, 0.0) + math.floor(q) + min(fi, f) / f
            self.model.row(row, lower=0.0)

    def _encode(self, req: Requirement, owner: str) -> Expr:
        """An expression equal to 1 exactly when ``req`` holds (at integer points)."""
        if isinstance(req, str):
            return self.link(req, owner)
        v = self.model.binary()
        self.require(req, v, owner)
        return ({v: 1.0}, 0.0)

    def _at_least(
        self, lhs: dict[int, float], parts: list[tuple[float, Expr]], tolerance: float
    ) -> None:
        """Row: sum of weight * expr >= lhs (lhs: a linear term in the row's own variables)."""
        row = {var: -coef for var, coef in lhs.items()}
        constant_total = 0.0
        for weight, (coeffs, const) in parts:
            constant_total += weight * const
            for var, coef in coeffs.items():
                row[var] = row.get(var, 0.0) + weight * coef
        self.model.row(row, lower=-constant_total - tolerance)
