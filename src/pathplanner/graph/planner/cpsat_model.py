"""The scheduling model for OR-Tools CP-SAT: which credentials, when, with which duration.

Per candidate c: a take literal x_c, a start s_c whose domain is c's allowed intake weeks from
its earliest possible start (``bounds.earliest_starts``), one literal y_ck per duration class k
(exactly one when taken), an optional interval [s_c, s_c + d_k) per class, and the finish
f_c = s_c + sum d_k y_ck. A reference from c to p is a literal z_pc that is true exactly when
c and p are taken and p finishes by s_c (both directions are enforced, so the transfer credit
the model counts is the credit the schedule gives, as the semantics say). Requirement groups
are literals over the z (all / any k / credits-from with integer-scaled credits, each forced
by its owner), transfer raw_c = held + sum credits_i z_ic, and class k needs
t_low(k) <= raw_c (and raw_c <= t_high(k) below the cap). Capacity: one cumulative constraint
over every class interval with integer-scaled weekly loads; makespan M >= f_c for taken c.

Scaling keeps the model exact or a relaxation (a valid lower bound): loads are scaled exactly
when they are rationals with small denominators, else rounded down (the capacity rounded down
by at most the checker's tolerance); every answer is still re-checked by
``schedule.evaluate`` / ``violations`` before it is used.

Objectives: the makespan (time), or the cost in scaled cents with the makespan bounded
(the tie-break among the fastest plans, the Pareto front). A watcher thread polls the
caller's cancel callback and stops the search.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from ortools.sat.python import cp_model

from pathplanner.graph.planner.clock import Clock
from pathplanner.graph.planner.instance import EPS, Instance, decimal_scale
from pathplanner.graph.planner.schedule import Schedule
from pathplanner.graph.planner.types import PlanningCancelled
from pathplanner.model import (
    AllOf,
    AnyOf,
    Requirement,
    credit_value,
    is_satisfied,
    item_id,
)

CpStatus = Literal["optimal", "feasible", "infeasible", "unknown"]
# Two search workers: the benchmark machine has 2 cores (more workers share them and each
# gets slower; one worker loses CP-SAT's portfolio of a search and a lower-bound worker).
WORKERS = max(1, min(2, os.cpu_count() or 1))
# CP-SAT settings for the cheapest plan's tie-break (earliest finish at the plan's cost,
# hinted with the plan, which is usually already the earliest): one worker, no presolve, no
# linear relaxation. Measured on the 11 bundled benchmark goals that reach it: the same
# proven finishes in 132 ms of CPU instead of 395-520 ms (3-16 ms a goal instead of 6-117).
LIGHT: dict[str, int | bool] = {
    "num_workers": 1,
    "cp_model_presolve": False,
    "linearization_level": 0,
}
# Scale for weekly loads that are not small-denominator rationals (rounded down).
LOAD_SCALE = 1_000_000
POLL_SECONDS = 0.02


def _initialise_bindings() -> None:
    """Make the process's first CP-SAT model in a plain Python thread.

    OR-Tools' pybind11 helpers set up numpy's C API on first use inside a call-once that
    releases and re-acquires the GIL; when that first use is in a thread whose Python state
    Qt created (a QThreadPool worker, where the app plans), it deletes that state and the
    process crashes. A thread started by Python is safe, and afterwards every thread is."""
    thread = threading.Thread(target=cp_model.CpModel, name="cp-sat-init")
    thread.start()
    thread.join()


_initialise_bindings()


@dataclass
class CpResult:
    status: CpStatus  # optimal / infeasible: proven; feasible: a solution, not proven
    starts: dict[str, int]  # the best solution's start weeks (empty when none)
    bound: float | None  # proven lower bound on the objective (weeks or money)
    value: float | None  # the model's objective value of the best solution


@dataclass
class _Task:
    cid: str
    take: cp_model.IntVar
    start: cp_model.IntVar
    finish: cp_model.IntVar
    classes: list[tuple[int, cp_model.IntVar]]  # (class index in instance.classes, literal)
    raw: cp_model.IntVar | None = None  # scaled transfer credit before the cap


@dataclass
class _Group:
    literal: cp_model.IntVar
    requirement: Requirement
    owner: str


@dataclass
class CpModel:
    """A built model; ``solve`` may be called for the time or the cost objective."""

    instance: Instance
    model: cp_model.CpModel
    tasks: dict[str, _Task]
    makespan: cp_model.IntVar
    cost: list[tuple[int, int]]  # (variable index, coefficient): the total cost, scaled
    cost_scale: int
    links: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    groups: list[_Group] = field(default_factory=list)
    feasible: bool = True  # False when a mandatory credential cannot be taken at all


def build_model(
    instance: Instance,
    earliest: dict[str, float],
    *,
    limit: int,
    lower: int = 0,
    goal_start: int = 0,
) -> CpModel:
    """The model over weeks [0, limit]: every finish <= limit, makespan >= ``lower`` and,
    for a single goal credential, its start >= ``goal_start`` (known lower bounds)."""
    built = _Builder(instance, earliest, limit, lower).build()
    goal = instance.request.goal
    if goal_start > 0 and goal is not None and goal in built.tasks:
        task = built.tasks[goal]
        built.model.add(task.start >= goal_start).only_enforce_if(task.take)
    return built


def solve(
    built: CpModel,
    clock: Clock,
    seconds: float,
    *,
    objective: Literal["time", "cost"],
    hint: Schedule | None = None,
    max_finish: int | None = None,
    max_cost: float | None = None,
    within: frozenset[str] | None = None,
    light: bool = False,
) -> CpResult:
    """Solve within ``seconds`` (cancellable through ``clock``); the model is left as built
    apart from the objective and the bounds given here, which are added to a copy.
    ``within``: take only credentials of this set (a scheduling problem for a chosen set;
    its bound then holds for that set only). ``light``: the settings of :data:`LIGHT`, for
    small models whose answer the hint nearly is (the cheapest plan's tie-break)."""
    if not built.feasible:
        return CpResult("infeasible", {}, None, None)
    model = built.model.clone()
    makespan = model.get_int_var_from_proto_index(built.makespan.index)
    if within is not None:
        for cid, task in built.tasks.items():
            if cid not in within:
                model.add(model.get_int_var_from_proto_index(task.take.index) == 0)
    if max_finish is not None:
        model.add(makespan <= max_finish)
    cost = _cost_expr(model, built.cost)
    if max_cost is not None:
        model.add(cost <= math.floor((max_cost + EPS) * built.cost_scale))
    if objective == "time":
        model.minimize(makespan)
    else:
        model.minimize(cost)
    if hint is not None:
        _add_hint(built, model, hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.num_workers = WORKERS
    solver.parameters.random_seed = 0
    if light:
        for name, value in LIGHT.items():
            setattr(solver.parameters, name, value)
    status = _solve_cancellable(solver, model, clock)
    return _result(built, solver, status, objective)


def _cost_expr(model: cp_model.CpModel, terms: list[tuple[int, int]]) -> cp_model.LinearExprT:
    """The cost terms over ``model``'s variables (a clone keeps the variable indices)."""
    return cp_model.LinearExpr.weighted_sum(
        [model.get_int_var_from_proto_index(i) for i, _ in terms], [c for _, c in terms]
    )


def _solve_cancellable(
    solver: cp_model.CpSolver, model: cp_model.CpModel, clock: Clock
) -> cp_model.CpSolverStatus:
    """Run the solve with a watcher thread that stops it when the caller cancels."""
    done = threading.Event()
    cancelled = threading.Event()

    def watch() -> None:
        while not done.wait(POLL_SECONDS):
            try:
                clock.check()
            except PlanningCancelled:
                cancelled.set()
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, name="cp-sat-cancel-watcher", daemon=True)
    watcher.start()
    try:
        status = solver.solve(model)
    finally:
        done.set()
        watcher.join()
    if cancelled.is_set():
        raise PlanningCancelled("planning cancelled")
    return status


def _result(
    built: CpModel,
    solver: cp_model.CpSolver,
    status: cp_model.CpSolverStatus,
    objective: Literal["time", "cost"],
) -> CpResult:
    if status == cp_model.INFEASIBLE:
        return CpResult("infeasible", {}, None, None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CpResult("unknown", {}, None, None)
    scale = 1.0 if objective == "time" else built.cost_scale
    bound = solver.best_objective_bound / scale
    starts = {
        cid: int(solver.value(task.start))
        for cid, task in built.tasks.items()
        if solver.boolean_value(task.take)
    }
    found: CpStatus = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return CpResult(found, starts, bound, solver.objective_value / scale)


def _add_hint(built: CpModel, model: cp_model.CpModel, hint: Schedule) -> None:
    """The schedule's values for every decision literal and start (a complete hint lets
    CP-SAT start from it at once)."""
    instance = built.instance
    slots = {s.id: s for s in hint.slots}

    def var(v: cp_model.IntVar) -> cp_model.IntVar:
        return model.get_int_var_from_proto_index(v.index)

    for cid, task in built.tasks.items():
        slot = slots.get(cid)
        model.add_hint(var(task.take), slot is not None)
        start = slot.start if slot is not None else int(task.start.proto.domain[0])
        model.add_hint(var(task.start), start)
        model.add_hint(var(task.finish), start if slot is None else slot.finish)
        chosen = None if slot is None else _class_of(instance, cid, slot.transferred)
        for index, literal in task.classes:
            if literal.index != task.take.index:
                model.add_hint(var(literal), index == chosen)
    finish = {s.id: s.finish for s in hint.slots}
    for (p, c), z in built.links.items():
        on = c in slots and p in finish and finish[p] <= slots[c].start
        model.add_hint(var(z), on)
    for group in built.groups:
        slot = slots.get(group.owner)
        earned = set(instance.held)
        if slot is not None:
            earned |= {p for p, f in finish.items() if f <= slot.start}
        on = slot is not None and is_satisfied(group.requirement, earned, instance.catalog)
        model.add_hint(var(group.literal), on)
    model.add_hint(var(built.makespan), hint.finish)


def _class_of(instance: Instance, cid: str, transferred: float) -> int | None:
    for index, k in enumerate(instance.classes[cid]):
        if k.t_low - EPS <= transferred <= k.t_high + EPS:
            return index
    return None


class _Builder:
    def __init__(self, instance: Instance, earliest: dict[str, float], limit: int, lower: int):
        self.instance = instance
        self.catalog = instance.catalog
        self.earliest = earliest
        self.limit = limit
        self.lower = lower
        self.model = cp_model.CpModel()
        self.tasks: dict[str, _Task] = {}
        self.links: dict[tuple[str, str], cp_model.IntVar] = {}
        self.groups: list[_Group] = []
        self.credit_scale = decimal_scale(self._credit_values(), 4) or 10**4

    def _credit_values(self) -> list[float]:
        values: list[float] = []
        for cid in self.instance.candidates:
            credential = self.catalog.credentials_by_id[cid]
            values += [credit_value(i, self.catalog) for i in credential.transfer]
            values += [k.t_low for k in self.instance.classes[cid]]
            values += [k.t_high for k in self.instance.classes[cid]]
            values.append(self.instance.held_transfer[cid])
            values.append(credential.transfer_cap)
        return values

    def credits(self, value: float) -> int:
        return math.floor(value * self.credit_scale + 0.5)

    def build(self) -> CpModel:
        instance = self.instance
        model = self.model
        makespan = model.new_int_var(self.lower, max(self.lower, self.limit), "makespan")
        for cid in instance.candidates:
            self._task(cid)
        for task in self.tasks.values():
            model.add(makespan >= task.finish).only_enforce_if(task.take)
        for task in self.tasks.values():
            credential = self.catalog.credentials_by_id[task.cid]
            if credential.requires is not None:
                self._require(credential.requires, task.take, task.cid)
            self._transfer(task)
        feasible = self._goal()
        self._contribution()
        cost, cost_scale = self._cost()
        if instance.request.budget is not None:
            total = _cost_expr(model, cost)
            model.add(total <= math.floor((instance.request.budget + EPS) * cost_scale))
        if instance.request.hours_per_week is not None:
            self._capacity(makespan, instance.request.hours_per_week)
        return CpModel(
            instance,
            model,
            self.tasks,
            makespan,
            cost,
            cost_scale,
            self.links,
            self.groups,
            feasible,
        )

    def _task(self, cid: str) -> None:
        first = self.earliest.get(cid, math.inf)
        if first == math.inf:
            return
        classes = self.instance.classes[cid]
        shortest = min(k.weeks for k in classes)
        last = self.limit - shortest
        weeks = self.instance.intakes[cid]
        if weeks is None:
            options: list[int] = list(range(int(first), last + 1)) if last >= first else []
            domain = cp_model.Domain(int(first), last) if options else None
        else:
            options = [w for w in weeks if first <= w <= last]
            domain = cp_model.Domain.from_values(options) if options else None
        if domain is None:
            return
        model = self.model
        take = model.new_bool_var(f"x[{cid}]")
        start = model.new_int_var_from_domain(domain, f"s[{cid}]")
        finish = model.new_int_var(options[0], self.limit, f"f[{cid}]")
        literals: list[tuple[int, cp_model.IntVar]] = []
        usable = [i for i, k in enumerate(classes) if options[0] + k.weeks <= self.limit]
        for index in usable:
            literal = take if len(usable) == 1 else model.new_bool_var(f"y[{cid},{index}]")
            literals.append((index, literal))
        if len(literals) > 1:
            model.add(sum(lit for _, lit in literals) == take)
        model.add(finish == start + sum(classes[i].weeks * lit for i, lit in literals))
        # an unused start is pinned to its first option (no symmetric copies)
        model.add(start == options[0]).only_enforce_if(~take)
        self.tasks[cid] = _Task(cid, take, start, finish, literals)

    def link(self, p: str, c: str) -> cp_model.IntVar | bool:
        """True exactly when c and p are taken and p finishes by c's start."""
        if p in self.instance.held:
            return True
        if p not in self.tasks or c not in self.tasks:
            return False
        z = self.links.get((p, c))
        if z is None:
            model = self.model
            z = model.new_bool_var(f"z[{p},{c}]")
            source, user = self.tasks[p], self.tasks[c]
            model.add_implication(z, source.take)
            model.add_implication(z, user.take)
            model.add(source.finish <= user.start).only_enforce_if(z)
            model.add(source.finish > user.start).only_enforce_if([source.take, user.take, ~z])
            self.links[(p, c)] = z
        return z

    def _require(self, req: Requirement, enforce: cp_model.IntVar, owner: str) -> None:
        """``req`` holds for ``owner`` whenever ``enforce`` is true."""
        model = self.model
        if isinstance(req, str):
            ref = self.link(req, owner)
            if ref is False:
                model.add(enforce == 0)
            elif ref is not True:
                model.add_implication(enforce, ref)
        elif isinstance(req, AllOf):
            for sub in req.all:
                self._require(sub, enforce, owner)
        elif isinstance(req, AnyOf):
            parts = [self._encode(sub, owner) for sub in req.any]
            met = sum(1 for p in parts if p is True)
            lits = [p for p in parts if not isinstance(p, bool)]
            if met < req.count:
                model.add(sum(lits) >= req.count - met).only_enforce_if(enforce)
        else:
            total = 0
            terms: list[tuple[int, cp_model.IntVar]] = []
            for item in req.from_:
                value = self.credits(credit_value(item, self.catalog))
                ref = self.link(item_id(item), owner)
                if ref is True:
                    total += value
                elif ref is not False and value > 0:
                    terms.append((value, ref))
            need = math.ceil((req.credits - 1e-9) * self.credit_scale - 1e-6)
            if total < need:
                model.add(sum(v * lit for v, lit in terms) >= need - total).only_enforce_if(enforce)

    def _encode(self, req: Requirement, owner: str) -> cp_model.IntVar | bool:
        """A literal that can be true only when ``req`` holds."""
        if isinstance(req, str):
            return self.link(req, owner)
        literal = self.model.new_bool_var(f"g[{owner},{len(self.groups)}]")
        self.groups.append(_Group(literal, req, owner))
        self._require(req, literal, owner)
        return literal

    def _transfer(self, task: _Task) -> None:
        """The class chosen matches the transfer credit the schedule gives."""
        credential = self.catalog.credentials_by_id[task.cid]
        if credential.credits_required is None:
            return
        classes = self.instance.classes[task.cid]
        held = self.credits(self.instance.held_transfer[task.cid])
        terms: list[tuple[int, cp_model.IntVar]] = []
        for item in credential.transfer:
            value = self.credits(credit_value(item, self.catalog))
            ref = self.link(item_id(item), task.cid)
            if value > 0 and not isinstance(ref, bool):
                terms.append((value, ref))
        model = self.model
        top = held + sum(v for v, _ in terms)
        raw = model.new_int_var(held, max(held, top), f"raw[{task.cid}]")
        model.add(raw == held + sum(v * lit for v, lit in terms))
        task.raw = raw
        cap = self.credits(credential.transfer_cap)
        for index, literal in task.classes:
            k = classes[index]
            model.add(raw >= math.ceil(k.t_low * self.credit_scale - 1e-6)).only_enforce_if(literal)
            high = math.floor(k.t_high * self.credit_scale + 1e-6)
            if high < cap:
                model.add(raw <= high).only_enforce_if(literal)

    def _contribution(self) -> None:
        """No dead weight, as constraints that keep every pruned plan: a taken credential
        that is not a root or a teacher of an open skill finishes before the start of some
        taken credential it counts for (else removing it would change nothing). With a
        single goal credential, everything else then finishes by the goal's start."""
        instance = self.instance
        keep = set(instance.requirement_roots())
        for skill in instance.open_skills:
            keep.update(instance.skill_teachers[skill])
        users: dict[str, list[cp_model.IntVar]] = {}
        for (p, _), z in self.links.items():
            users.setdefault(p, []).append(z)
        model = self.model
        for cid, task in self.tasks.items():
            if cid not in keep:
                model.add_bool_or([~task.take, *users.get(cid, [])])
        goal = self._single_goal()
        if goal is not None:
            for cid, task in self.tasks.items():
                if cid != goal.cid:
                    model.add(task.finish <= goal.start).only_enforce_if(task.take)

    def _single_goal(self) -> _Task | None:
        """The goal's task when the plan serves one goal credential and nothing else."""
        request = self.instance.request
        if request.goal is None or self.instance.open_insist or request.goal not in self.tasks:
            return None
        return self.tasks[request.goal]

    def _capacity(self, makespan: cp_model.IntVar, hours: float) -> None:
        """One cumulative resource of ``hours`` a week over every class interval, and what
        it implies in linear form for the lower bound: total study <= hours * makespan (for
        a single goal: study before the goal <= hours * its start), and two intervals
        heavier than half the capacity never overlap (a no-overlap constraint over them)."""
        classes = self.instance.classes
        loads = [classes[t.cid][i].load for t in self.tasks.values() for i, _ in t.classes]
        scale, exact = _load_scale(loads)
        capacity = math.floor((hours + EPS) * scale)
        model = self.model
        intervals: list[cp_model.IntervalVar] = []
        demands: list[int] = []
        energy: list[cp_model.LinearExprT] = []
        goal = self._single_goal()
        heavy: list[cp_model.IntervalVar] = []
        heavy_weeks: list[cp_model.LinearExprT] = []
        before: list[cp_model.LinearExprT] = []
        for task in self.tasks.values():
            for index, literal in task.classes:
                k = classes[task.cid][index]
                demand = round(k.load * scale) if exact else math.floor(k.load * scale)
                if demand <= 0:
                    continue
                intervals.append(
                    model.new_optional_fixed_size_interval_var(
                        task.start, k.weeks, literal, f"i[{task.cid},{index}]"
                    )
                )
                demands.append(demand)
                energy.append(demand * k.weeks * literal)
                if 2 * demand > capacity:
                    heavy.append(intervals[-1])
                    if task is not goal:
                        heavy_weeks.append(k.weeks * literal)
                if task is not goal:
                    before.append(demand * k.weeks * literal)
        if intervals:
            model.add_cumulative(intervals, demands, capacity)
            model.add(sum(energy) <= capacity * makespan)
        if len(heavy) > 1:
            model.add_no_overlap(heavy)
        if goal is not None and before:
            model.add(sum(before) <= capacity * goal.start)
            if heavy_weeks:
                model.add(sum(heavy_weeks) <= goal.start)

    def _goal(self) -> bool:
        model = self.model
        feasible = True
        for cid in self.instance.requirement_roots():
            if cid in self.tasks:
                model.add(self.tasks[cid].take == 1)
            else:
                feasible = False
        for skill in self.instance.open_skills:
            teachers = [
                self.tasks[t].take for t in self.instance.skill_teachers[skill] if t in self.tasks
            ]
            if not teachers:
                feasible = False
            else:
                model.add_bool_or(teachers)
        return feasible

    def _cost(self) -> tuple[list[tuple[int, int]], int]:
        """Total cost as integer terms (variable index, coefficient) and their scale: a
        block costs cost + price (N - T), T the capped transfer credit, so it is linear in
        T = min(raw, cap). Units: 1 / (money scale * credit scale)."""
        money: list[float] = []
        for task in self.tasks.values():
            credential = self.catalog.credentials_by_id[task.cid]
            price = credential.per_credit.price if credential.per_credit is not None else 0.0
            money += [credential.cost_for(0.0), price]
        scale = decimal_scale(money, 6) or 10**6
        model = self.model
        terms: list[tuple[int, int]] = []
        for task in self.tasks.values():
            credential = self.catalog.credentials_by_id[task.cid]
            full = math.floor(credential.cost_for(0.0) * scale + 0.5) * self.credit_scale
            terms.append((task.take.index, full))
            price = credential.per_credit.price if credential.per_credit is not None else 0.0
            if task.raw is None or price == 0:
                continue
            cap = self.credits(credential.transfer_cap)
            capped = model.new_int_var(0, cap, f"t[{task.cid}]")
            model.add_min_equality(capped, [task.raw, cap])
            terms.append((capped.index, -math.floor(price * scale + 0.5)))
        return terms, scale * self.credit_scale


def _load_scale(values: Iterable[float]) -> tuple[int, bool]:
    """A scale making every weekly load an integer, and whether it is exact: loads are
    effort / weeks, rationals with small denominators in practice; otherwise LOAD_SCALE
    (loads then rounded down: a relaxation by less than the checker's tolerance)."""
    denominator = 1
    for value in values:
        fraction = Fraction(value).limit_denominator(10_000)
        if abs(float(fraction) - value) > 1e-9:
            return LOAD_SCALE, False
        denominator = (
            denominator * fraction.denominator // math.gcd(denominator, fraction.denominator)
        )
        if denominator > LOAD_SCALE:
            return LOAD_SCALE, False
    return denominator, True
