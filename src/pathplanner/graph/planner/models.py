"""The two MILPs: the cost model (which set, no times) and the time-indexed model.

Cost model: binaries x_c and the shared structure of :mod:`formulation`; precedence needs no
times because the catalogue's requires/transfer graph is acyclic, so any set satisfying every
requirement can be ordered (times are assigned afterwards by list scheduling).

Time-indexed model: binaries y[c, w, k] = "c starts in week w with duration class k", only for
weeks w that are intakes of c, not before c's earliest possible start, and with w + d_k within
the horizon. x_c = sum y, start S_c = sum w*y, finish F_c = sum (w + d_k)*y. A requirement's
reference to p becomes a binary z[p, c] <= x_p with the precedence S_c >= F_p - M (1 - z)
(M = horizon); transfer uses the same z. A class k needs transfer t_low(k) <= T <= t_high(k).
Capacity: for every week, sum over running (c, w, k) of load_k * y <= H, with load_k the
smallest load of the class (an optimistic relaxation; the realised plan is re-checked by
:func:`pathplanner.graph.planner.schedule.evaluate`). Makespan: F >= F_c for every c.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

from pathplanner.graph.planner.formulation import Expr, Structure, add_structure
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.milp import Model, Solution


@dataclass
class CostResult:
    solution: Solution
    chosen: frozenset[str]
    structure: Structure


def solve_cost_model(
    instance: Instance,
    time_limit: float,
    *,
    objective: Literal["cost", "effort"] = "cost",
    use_transfer: bool = True,
    forbid_all_of: list[frozenset[str]] | None = None,
    budget_free: bool = False,
    relax: bool = False,
    effort_without: str | None = None,
    weights: dict[str, float] | None = None,
) -> CostResult:
    """Minimum-cost (or minimum-effort) set reaching the goal. ``forbid_all_of``: for each
    set given, at least one of its members must be left out (a no-good cut).
    ``effort_without``: leave that credential's own effort out of the effort objective.
    ``weights``: minimise the sum of these per-credential weights instead (bounds)."""
    started = time.perf_counter()
    model = Model()
    take = {cid: model.var(0.0, 1.0, integer=not relax) for cid in instance.candidates}
    held = instance.held

    def link(p: str, _c: str) -> Expr:
        if p in held:
            return ({}, 1.0)
        if p in take:
            return ({take[p]: 1.0}, 0.0)
        return ({}, 0.0)

    budget = None if budget_free else instance.request.budget
    structure = add_structure(model, instance, take, link, use_transfer=use_transfer, budget=budget)
    for forbidden in forbid_all_of or []:
        members = [take[c] for c in forbidden if c in take]
        model.row(dict.fromkeys(members, 1.0), upper=len(members) - 1)
    goal = structure.cost if objective == "cost" else dict(structure.effort)
    if weights is not None:
        goal = {take[c]: w for c, w in weights.items() if c in take}
    if effort_without is not None and effort_without in take:
        goal.pop(take[effort_without], None)
        for _, t in structure.transfer.get(effort_without, []):
            goal.pop(t, None)
    solution = model.solve(goal, time_limit - (time.perf_counter() - started))
    chosen = frozenset(c for c, v in take.items() if solution.is_one(v))
    return CostResult(solution, chosen, structure)


def cost_slack(instance: Instance) -> float:
    """How far below a plan's real cost the time-indexed model's cost can sit: the rows that
    bound a block's transfer credit allow 1e-6 credits of slack (and HiGHS its feasibility
    tolerance), each credit worth the block's price. A cut "cheaper than C" must lie below C
    by more than this, or a plan of cost C passes it and the cut proves nothing."""
    prices = 0.0
    for cid in instance.candidates:
        per_credit = instance.credential(cid).per_credit
        if per_credit is not None:
            prices += abs(per_credit.price)
    return 1e-6 + 1e-5 * prices


@dataclass
class TimedResult:
    solution: Solution
    starts: dict[str, int]
    finish_var: int
    cost_terms: dict[int, float]


def solve_time_model(
    instance: Instance,
    horizon: int,
    earliest: dict[str, float],
    time_limit: float,
    *,
    objective: Literal["time", "cost"],
    max_cost: float | None = None,
    max_finish: int | None = None,
) -> TimedResult | None:
    """Solve the time-indexed model within ``time_limit`` seconds (building included)."""
    started = time.perf_counter()
    model = Model()
    take: dict[str, int] = {}
    start_terms: dict[str, dict[int, float]] = {}
    finish_terms: dict[str, dict[int, float]] = {}
    class_terms: dict[str, dict[int, float]] = {}
    class_caps: dict[str, dict[int, float]] = {}
    running: dict[int, dict[int, float]] = {}
    decode: dict[int, tuple[str, int]] = {}
    capacity = instance.request.hours_per_week
    for cid in instance.candidates:
        first = earliest.get(cid, math.inf)
        if first == math.inf:
            continue
        weeks = instance.intakes[cid]
        t_held = instance.held_transfer[cid]
        ys: dict[int, float] = {}
        starts: dict[int, float] = {}
        finishes: dict[int, float] = {}
        classes: dict[int, float] = {}
        caps: dict[int, float] = {}
        for k in instance.classes[cid]:
            last = horizon - k.weeks
            options = range(int(first), last + 1) if weeks is None else weeks
            for w in options:
                if w < first or w > last:
                    continue
                y = model.binary()
                ys[y] = 1.0
                starts[y] = float(w)
                finishes[y] = float(w + k.weeks)
                classes[y] = t_held - k.t_low
                caps[y] = -(k.t_high - t_held)
                decode[y] = (cid, w)
                if capacity is not None:
                    for week in range(w, w + k.weeks):
                        running.setdefault(week, {})[y] = k.load
        if not ys:
            continue
        x = model.binary()
        take[cid] = x
        model.row({**ys, x: -1.0}, lower=0.0, upper=0.0)
        start_terms[cid] = starts
        finish_terms[cid] = finishes
        class_terms[cid] = classes
        class_caps[cid] = caps
    held = instance.held
    big_m = float(horizon)
    links: dict[tuple[str, str], int] = {}

    def link(p: str, c: str) -> Expr:
        if p in held:
            return ({}, 1.0)
        if p not in take or c not in take:
            return ({}, 0.0)
        z = links.get((p, c))
        if z is None:
            z = model.binary()
            links[(p, c)] = z
            model.row({z: 1.0, take[p]: -1.0}, upper=0.0)
            # S_c - F_p - M z >= -M
            row: dict[int, float] = dict(start_terms[c])
            for var, coef in finish_terms[p].items():
                row[var] = row.get(var, 0.0) - coef
            row[z] = -big_m
            model.row(row, lower=-big_m)
        return ({z: 1.0}, 0.0)

    structure = add_structure(model, instance, take, link, budget=instance.request.budget)
    for cid, items in structure.transfer.items():
        # T_held + sum t >= t_low(k) of the chosen class
        model.row({**{t: 1.0 for _, t in items}, **class_terms[cid]}, lower=-1e-6)
        # ... and at most t_high(k): the credit the cost counts is the class's
        model.row({**{t: 1.0 for _, t in items}, **class_caps[cid]}, upper=1e-6)
    for cid in take:
        if cid not in structure.transfer:
            # without transfer variables only classes needing no new transfer are possible
            for var, coef in class_terms[cid].items():
                if coef < -1e-6:
                    model.row({var: 1.0}, upper=0.0)
    if capacity is not None:
        for coeffs in running.values():
            model.row(coeffs, upper=capacity + 1e-6)
    makespan = model.var(0.0, float(horizon))
    for cid in take:
        model.row({makespan: 1.0, **{v: -c for v, c in finish_terms[cid].items()}}, lower=0.0)
    if max_cost is not None:
        model.row(structure.cost, upper=max_cost)
    if max_finish is not None:
        model.row({makespan: 1.0}, upper=float(max_finish))
    goal = {makespan: 1.0} if objective == "time" else structure.cost
    solution = model.solve(goal, time_limit - (time.perf_counter() - started))
    starts_found: dict[str, int] = {}
    if solution.x is not None:
        for var, (cid, week) in decode.items():
            if solution.x[var] > 0.5:
                starts_found[cid] = week
    return TimedResult(solution, starts_found, makespan, structure.cost)
