"""The cost model: which set of credentials reaches the goal at least cost (no times).

Binaries x_c and the shared structure of :mod:`formulation`; precedence needs no times because
the catalogue's requires/transfer graph is acyclic, so any set satisfying every requirement can
be ordered (times are assigned afterwards by list scheduling).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Literal

from pathplanner.graph.planner.formulation import Structure, add_structure, set_link
from pathplanner.graph.planner.instance import Instance
from pathplanner.graph.planner.milp import Interrupt, Model, Option, Report, Solution

# HiGHS options for the cost model, measured on the planner benchmark's cost models (CPU
# time, one thread, HiGHS 1.16; 100,000 catalogue / bundled catalogue, median and max):
# HiGHS' defaults 61 ms / 4.7 s and 48 / 454 ms; these 39 ms / 2.3 s and 8 / 238 ms. The
# models are small and already tight, so presolve rarely pays for itself, and the
# feasibility-jump and root reduced-cost heuristics find nothing the root cuts do not.
# Neither do RINS, ZI rounding and shifting (measured later on the bundled catalogue's full
# analysis, 84 cost plans: 3.7 -> 2.9 s CPU with RENS off too, the same findings). RENS is
# back on (session 3): on the hard 100k degrees, whose gap is still ~2 % after the root cuts,
# its incumbent at the end of the root shortens the first dive, which otherwise strong-
# branches without one (ten slowest 100k cost models, mean over 4 HiGHS seeds: 9.2 -> 7.3 s
# CPU in all, d0069-degree-048 2.0 -> 1.1 s, d0048-degree-053 2.4 -> 2.1 s); the bundled and
# the easy 100k models take the same time with it as without.
COST_MODEL_OPTIONS: dict[str, Option] = {
    "presolve": "off",
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_zi_round": False,
    "mip_heuristic_run_shifting": False,
}
# ... but RENS only on models of this many candidates or more (session 4, mean of 3-4 HiGHS
# seeds, CPU): on smaller ones its sub-MIP costs more than its incumbent saves (the bundled
# catalogue's 20 largest cost models 2.65 -> 2.35 s in all, snhu-mba 0.29 -> 0.26 s; 100k
# degrees of 200-300 candidates 5-12 % less, up to 380 the same), while the 100k masters'
# degrees of 590-680 candidates need it (d0069-degree-048 1.14 s with it, 1.87 s without).
RENS_FROM_CANDIDATES = 400


@dataclass
class CostResult:
    solution: Solution
    chosen: frozenset[str]
    structure: Structure
    model: Model | None = None  # kept for comparison solves (see resolve_cost_model)
    objective: dict[int, float] = field(default_factory=dict)


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
    interrupt: Interrupt | None = None,
    report: Report | None = None,
) -> CostResult:
    """Minimum-cost (or minimum-effort) set reaching the goal. ``forbid_all_of``: for each
    set given, at least one of its members must be left out (a no-good cut).
    ``effort_without``: leave that credential's own effort out of the effort objective.
    ``weights``: minimise the sum of these per-credential weights instead (bounds).
    ``interrupt``: polled during the solve; True stops it with PlanningCancelled.
    ``report``: told the best cost and bound while the solve runs (progress)."""
    started = time.perf_counter()
    options = COST_MODEL_OPTIONS
    if len(instance.candidates) < RENS_FROM_CANDIDATES:
        options = {**options, "mip_heuristic_run_rens": False}
    model = Model(options)
    take = {cid: model.var(0.0, 1.0, integer=not relax) for cid in instance.candidates}
    link = set_link(instance.held, take)

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
    solution = model.solve(
        goal, time_limit - (time.perf_counter() - started), interrupt=interrupt, report=report
    )
    chosen = frozenset(c for c, v in take.items() if solution.is_one(v))
    return CostResult(solution, chosen, structure, model, dict(goal))


def resolve_cost_model(
    base: CostResult,
    time_limit: float,
    *,
    use_transfer: bool = True,
    forbid_all_of: list[frozenset[str]] | None = None,
    interrupt: Interrupt | None = None,
) -> CostResult:
    """:func:`solve_cost_model` again on ``base``'s model (same instance and objective), with
    no transfer credit or with no-good cuts: the explanation's comparison routes. HiGHS keeps
    the model, so only the changes are passed; they are undone afterwards.

    Without transfer credit the transfer variables are fixed at 0 (the same model as
    ``use_transfer=False``: their rows then hold trivially), and ``base``'s own plan with no
    credit is handed to HiGHS as a first incumbent (every requirement still holds)."""
    model = base.model
    if model is None:
        raise ValueError("resolve_cost_model needs a result of solve_cost_model")
    take = base.structure.take
    credit = [t for items in base.structure.transfer.values() for _, t in items]
    first_row = model.row_count
    saved = {t: (model.lower[t], model.upper[t]) for t in credit}
    start: dict[int, float] | None = None
    try:
        if not use_transfer:
            for t in credit:
                model.set_bounds(t, 0.0, 0.0)
            x = base.solution.x
            if x is not None:
                start = {var: float(value) for var, value in enumerate(x) if value > 0.5}
                for t in credit:
                    start.pop(t, None)
        for forbidden in forbid_all_of or []:
            members = [take[c] for c in forbidden if c in take]
            model.row(dict.fromkeys(members, 1.0), upper=len(members) - 1)
        floor = base.solution.bound
        if floor is not None and math.isfinite(floor):
            # every variation only restricts base's model: none costs less than its bound.
            # Stated as a row, HiGHS starts from that bound instead of the LP's (a runner-up
            # usually costs a little more than the optimum, well above the LP bound)
            model.row(base.objective, lower=floor - 1e-6 * (1.0 + abs(floor)))
        solution = model.solve(base.objective, time_limit, interrupt=interrupt, start=start)
    finally:
        model.drop_rows(first_row)
        for t, (lower, upper) in saved.items():
            model.set_bounds(t, lower, upper)
    chosen = frozenset(c for c, v in take.items() if solution.is_one(v))
    return CostResult(solution, chosen, base.structure, model, base.objective)


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
