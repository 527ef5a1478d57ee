"""Lower bounds on how many weeks a set of credentials occupies under a weekly capacity.

Dual feasible functions (Fekete and Schepers): a function u on [0, 1] such that any loads
adding up to at most 1 have u-values adding up to at most 1. Every week holds loads adding up
to at most the capacity H, so a plan lasts at least the sum over its credentials of
duration * u(load / H). The family used here:

* u_0(x) = x: the total study / H (the energy bound);
* u_k(x) = x when (k + 1) x is an integer, else floor((k + 1) x) / k, for k = 1, 2, 3
  (k = 1: a credential heavier than H/2 counts its whole duration, one of exactly H/2 half);
  x = load / (H + 1e-6), the checker's tolerance included, so the bound stays valid.

The least occupation over every set that reaches the goal is a MILP over the cost model's
structure (requirements, transfer credit), minimising t >= each weighted sum: one set has to
pay under every function at once, which is stronger than the best of separate minima.
Durations and study hours of credit blocks fall with the transfer credit the set can bring
(counted optimistically: any taken source, whatever its timing), so the bound stays valid.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from pathplanner.graph.planner.formulation import Structure, add_structure, set_link
from pathplanner.graph.planner.instance import EPS, Instance
from pathplanner.graph.planner.milp import Model

DualFunction = Callable[[float], float]


def _fekete_schepers(k: int) -> DualFunction:
    def u(x: float) -> float:
        scaled = (k + 1) * x
        if abs(scaled - round(scaled)) <= 1e-12:  # float noise of the division only
            return x
        return math.floor(scaled) / k

    return u


DUAL_FUNCTIONS: tuple[DualFunction, ...] = tuple(_fekete_schepers(k) for k in (1, 2, 3))


def least_occupation(
    instance: Instance,
    capacity: float,
    time_limit: float,
    *,
    leave_out: str | None = None,
    within: int | None = None,
) -> tuple[float | None, frozenset[str], str]:
    """A lower bound on the weeks any goal-reaching set occupies (``leave_out``: that
    credential does not count, e.g. the goal, which starts after everything else), the best
    set found (empty if none: a set that packs well, a seed for list scheduling) and the
    solve status.

    With ``within`` (and ``leave_out``), the occupation is at most that many weeks and the
    bound is on ``leave_out``'s own duration instead: the least duration the goal can have
    when it starts in week ``within`` (its duration falls with the credit transferred in)."""
    model = Model()
    take = {cid: model.binary() for cid in instance.candidates}
    link = set_link(instance.held, take)

    structure = add_structure(model, instance, take, link, budget=instance.request.budget)
    weeks = model.var(0.0, math.inf)
    # a week may hold up to H + EPS hours (the checker's tolerance): normalise by that, so
    # loads a hair over H/2 that the checker lets share a week are never both counted whole
    capacity += EPS
    # energy: t >= sum of study hours / H
    energy = {weeks: 1.0}
    for var, coef in structure.effort.items():
        energy[var] = energy.get(var, 0.0) - coef / capacity
    if leave_out is not None and leave_out in take:
        energy.pop(take[leave_out], None)
        for _, t in structure.transfer.get(leave_out, []):
            energy.pop(t, None)
    model.row(energy, lower=0.0)
    for u in DUAL_FUNCTIONS:
        row = {weeks: 1.0}
        for cid, x in take.items():
            if cid == leave_out:
                continue
            weight = min(u(k.load / capacity) for k in instance.classes[cid])
            if weight <= 0:
                continue
            credential = instance.credential(cid)
            held_transfer = instance.held_transfer[cid]
            per_week = credential.per_credit.weeks if credential.per_credit is not None else 0.0
            # duration >= duration_weeks + weeks per credit * (N - T), and >= its shortest class
            base = credential.duration_weeks + per_week * credential.remaining_credits(
                held_transfer
            )
            shortest = min(k.weeks for k in instance.classes[cid])
            items = structure.transfer.get(cid, [])
            if not items or per_week <= 0:
                row[x] = row.get(x, 0.0) - weight * max(float(shortest), 0.0)
                continue
            row[x] = row.get(x, 0.0) - weight * base
            for _, t in items:
                row[t] = row.get(t, 0.0) + weight * per_week
        model.row(row, lower=0.0)
    objective = {weeks: 1.0}
    if within is not None and leave_out is not None and leave_out in take:
        model.row({weeks: 1.0}, upper=float(within))
        objective = _duration_terms(instance, leave_out, take[leave_out], structure)
    solution = model.solve(objective, time_limit)
    chosen = frozenset(c for c, x in take.items() if solution.is_one(x))
    return solution.bound, chosen, solution.status


def _duration_terms(instance: Instance, cid: str, x: int, structure: Structure) -> dict[int, float]:
    """A linear lower bound on the duration of ``cid`` (taken): duration_weeks + weeks per
    credit * (N - T), T its transfer credit (the ceiling dropped)."""
    credential = instance.credential(cid)
    per_week = credential.per_credit.weeks if credential.per_credit is not None else 0.0
    base = credential.duration_weeks + per_week * credential.remaining_credits(
        instance.held_transfer[cid]
    )
    terms = {x: float(base)}
    for _, t in structure.transfer.get(cid, []):
        terms[t] = terms.get(t, 0.0) - per_week
    return terms
