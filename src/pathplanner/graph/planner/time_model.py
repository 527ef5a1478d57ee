"""The time-indexed model: which credential starts in which week (cost or finish objective).

Binaries y[c, w, k] = "c starts in week w with duration class k", only for weeks w that are
intakes of c, not before c's earliest possible start, and with w + d_k within the horizon.
x_c = sum y, start S_c = sum w*y, finish F_c = sum (w + d_k)*y. A requirement's reference to p
becomes a binary z[p, c] <= x_p with the precedence S_c >= F_p - M (1 - z) (M = horizon);
transfer uses the same z. A class k needs transfer t_low(k) <= T <= t_high(k). Capacity: for
every week, sum over running (c, w, k) of load_k * y <= H; a class holding a range of T gets
the exact load effort(T) / d_k, linear in T, through u = T * y (the realised plan is still
re-checked by :func:`pathplanner.graph.planner.schedule.evaluate`). Makespan: F >= F_c.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

from pathplanner.graph.planner.formulation import Expr, add_structure
from pathplanner.graph.planner.instance import EPS, Instance, transfer_totals
from pathplanner.graph.planner.milp import Model, Solution
from pathplanner.model import credit_value, item_id

# The time-indexed model is only attempted when its estimated size (start variables times
# running weeks) is below this and it can be built within the time left (see fits_in_time),
# so a huge closure falls back to the heuristic plan and its bounds instead.
MAX_TIME_MODEL_SIZE = 2_000_000


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
    class_rooms: dict[str, dict[int, float]] = {}
    levels: dict[str, dict[int, float]] = {}  # ranged blocks: terms summing to their credit T
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
        rooms: dict[int, float] = {}
        level: dict[int, float] = {}
        has_range = False
        credential = instance.credential(cid)
        cap = credential.transfer_cap
        hours = credential.per_credit.hours if credential.per_credit is not None else 0.0
        for k in instance.classes[cid]:
            ranged = capacity is not None and hours > 0 and k.t_low < k.t_high - 1e-9
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
                # most new credit the finished sources may bring (none binding at the cap)
                rooms[y] = k.t_high - t_held if k.t_high < cap - 1e-9 else math.inf
                decode[y] = (cid, w)
                if not ranged:
                    level[y] = k.t_low
                    if capacity is not None:
                        for week in range(w, w + k.weeks):
                            running.setdefault(week, {})[y] = k.load
                    continue
                # a class holding a range of credit T: the weekly load effort(T) / d is
                # linear in T, so u = T when this start is chosen (else 0) makes it exact
                has_range = True
                u = model.var(0.0, k.t_high)
                model.row({u: 1.0, y: -k.t_high}, upper=0.0)
                model.row({u: 1.0, y: -k.t_low}, lower=0.0)
                level[u] = 1.0
                for week in range(w, w + k.weeks):
                    running.setdefault(week, {}).update(
                        {y: credential.effort_for(0.0) / k.weeks, u: -hours / k.weeks}
                    )
        if not ys:
            continue
        x = model.binary()
        take[cid] = x
        model.row({**ys, x: -1.0}, lower=0.0, upper=0.0)
        start_terms[cid] = starts
        finish_terms[cid] = finishes
        class_terms[cid] = classes
        class_caps[cid] = caps
        class_rooms[cid] = rooms
        if has_range:
            levels[cid] = {**level, x: -t_held}
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
    for cid, level in levels.items():
        # the ranged classes' u adds up to the credit the model counts: T_held + sum t
        row = dict(level)
        for _, t in structure.transfer.get(cid, []):
            row[t] = row.get(t, 0.0) - 1.0
        model.row(row, lower=-1e-6, upper=1e-6)
    for cid in exact_credit_blocks(instance, take):
        items = structure.transfer.get(cid, [])
        exact_transfer(
            model,
            cid,
            items,
            links=links,
            take=take,
            start_terms=start_terms,
            finish_terms=finish_terms,
            horizon=horizon,
        )
        credit_within_class(model, instance, cid, links, class_rooms[cid])
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


def fits_in_time(
    instance: Instance, horizon: int, earliest: dict[str, float], seconds: float
) -> bool:
    """Whether the time-indexed model can be built and get somewhere within ``seconds``.

    Size = start variables times running weeks (the capacity rows' nonzeros). HiGHS does not
    check its time limit during presolve and the root LP, which grow with that size, so the
    model is only tried below about 25,000 size units per second available (measured on the
    benchmark machine: a 2-core laptop-class CPU)."""
    size = 0.0
    for cid, first in earliest.items():
        weeks = instance.intakes[cid]
        span = max(0, horizon - int(first))
        for k in instance.classes[cid]:
            size += (span if weeks is None else len(weeks)) * (k.weeks + 3)
    return size <= MAX_TIME_MODEL_SIZE and size <= 25_000 * seconds


def exact_credit_blocks(instance: Instance, take: dict[str, int]) -> list[str]:
    """Credit blocks whose credit the model must count exactly.

    Extra credit lowers a block's cost and duration, so a model solution that assumes less
    credit than its schedule gives realises to a plan no worse, unless the extra credit makes
    the block heavier per week (under a capacity). Such blocks get the exact-credit rows, and
    so do the blocks among their sources (recursively): their finish, and so the credit they
    pass on, must be exact too. Elsewhere the relaxation is kept: it is smaller and faster."""
    capacity = instance.request.hours_per_week
    if capacity is None:
        return []
    todo = [c for c in take if credit_can_overload(instance, c)]
    exact: dict[str, None] = {}
    while todo:
        cid = todo.pop()
        if cid in exact:
            continue
        exact[cid] = None
        for item in instance.credential(cid).transfer:
            source = item_id(item)
            if source in take and instance.credential(source).credits_required is not None:
                todo.append(source)
    return list(exact)


def credit_can_overload(instance: Instance, cid: str) -> bool:
    """Whether more credit than a possible level can make ``cid`` heavier per week."""
    credential = instance.credential(cid)
    classes = instance.classes.get(cid, ())
    if credential.credits_required is None or len(classes) < 1:
        return False
    totals = transfer_totals(instance, cid)
    if totals is None:
        return True  # too many totals to check one by one
    for low in classes:
        for t in totals:
            if t > low.t_high + EPS:
                load = credential.effort_for(t) / credential.duration_for(t)
                if load > low.load + EPS:
                    return True
    return False


def exact_transfer(
    model: Model,
    cid: str,
    items: list[tuple[str, int]],
    *,
    links: dict[tuple[str, str], int],
    take: dict[str, int],
    start_terms: dict[str, dict[int, float]],
    finish_terms: dict[str, dict[int, float]],
    horizon: int,
) -> None:
    """Transfer credit is what the schedule gives, never chosen: a taken source that finishes
    by the block's start counts (z = 1). Without this row z could be 0 for such a source and
    the model would assume less credit, a lighter week and a longer block than the plan has.

    Row, for each source s of block c: F_s - S_c >= 1 - M (z + (1 - x_s) + (1 - x_c)),
    M = horizon + 1 (starts are below the horizon, finishes at most the horizon). (A row per
    week, "s finished by w + c starts in w - z <= 1", solved no faster on the bundled
    catalogue and grows with the horizon.)"""
    big_m = float(horizon + 1)
    for source in dict.fromkeys(s for s, _ in items):
        z = links[(source, cid)]
        row: dict[int, float] = dict(finish_terms[source])
        for var, coef in start_terms[cid].items():
            row[var] = row.get(var, 0.0) - coef
        row[z] = row.get(z, 0.0) + big_m
        row[take[source]] = row.get(take[source], 0.0) - big_m
        row[take[cid]] = row.get(take[cid], 0.0) - big_m
        model.row(row, lower=1.0 - 2.0 * big_m)


def credit_within_class(
    model: Model,
    instance: Instance,
    cid: str,
    links: dict[tuple[str, str], int],
    rooms: dict[int, float],
) -> None:
    """The credit the finished sources bring stays within the chosen duration class: below the
    transfer cap, sum of credits_i * z_i <= t_high(k) - T_held (the t variables only bound
    the credit from below, and a class is only exact when both sides hold)."""
    credits: dict[int, float] = {}
    for item in instance.credential(cid).transfer:
        z = links.get((item_id(item), cid))
        value = credit_value(item, instance.catalog)
        if z is not None and value > 0:
            credits[z] = credits.get(z, 0.0) + value
    most = sum(credits.values())
    row = dict(credits)
    for y, room in rooms.items():
        row[y] = -min(room, most)
    model.row(row, upper=1e-6)
