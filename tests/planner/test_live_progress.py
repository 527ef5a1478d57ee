"""Live progress of a long cheapest-plan solve: the best cost found so far and the cost no plan
can go below, passed on from HiGHS while it searches (a learner waiting on a large catalogue
sees the search close in), and the explanation's steps named."""

from __future__ import annotations

import random
import re

import pytest

from pathplanner.catalog import bundled_catalog_path, load_catalog
from pathplanner.graph.planner import PlanRequest, milp, plan
from pathplanner.graph.planner.milp import Model


def _cover_model(seed: int) -> tuple[Model, dict[int, float]]:
    """Cheapest set of 40 items covering a weight: HiGHS branches on it."""
    rng = random.Random(seed)
    model = Model()
    items = [model.binary() for _ in range(40)]
    weights = {x: float(rng.randint(5, 40)) for x in items}
    model.row(weights, lower=sum(weights.values()) / 3)
    return model, {x: weights[x] * rng.uniform(0.8, 1.2) for x in items}


def test_a_mip_solve_reports_its_best_value_and_bound_while_it_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(milp, "REPORT_EVERY", 0.0)  # every change, not every quarter second
    model, cost = _cover_model(3)
    seen: list[tuple[float, float]] = []
    solution = model.solve(cost, 10.0, report=lambda best, bound: seen.append((best, bound)))
    assert solution.status == "optimal"
    assert solution.value is not None
    assert seen, "HiGHS called back during the search"
    optimum = solution.value
    for best, bound in seen:
        assert best >= optimum - 1e-6  # a solution found so far (inf before the first)
        assert bound <= optimum + 1e-6  # a proven bound
    assert len(set(seen)) == len(seen)  # only changes are reported


def test_a_cheapest_plan_tells_its_progress_in_the_catalogues_currency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(milp, "REPORT_EVERY", 0.0)
    catalog = load_catalog(bundled_catalog_path()).catalog
    messages: list[tuple[float, str]] = []
    result = plan(
        catalog,
        PlanRequest(goal="wgu-ms-cybersecurity"),
        progress=lambda fraction, message: messages.append((fraction, message)),
    )
    assert result.status == "optimal"
    live = [m for f, m in messages if m.startswith("solving the cost model: ")]
    assert live, messages
    figures = re.compile(
        r"solving the cost model: (best plan so far \$[\d,.]+)?(, )?"
        r"(none can cost less than \$[\d,.]+)?$"
    )
    assert all(figures.match(m) for m in live), live
    fractions = [f for f, _ in messages]
    assert all(0.0 <= f <= 1.0 for f in fractions)
    # non-decreasing, as documented: a gap too wide to move the bar stays at the phase's
    # 0.05 (0.35 - 0.3 had reported 0.0499..., after 0.05)
    assert fractions == sorted(fractions), messages
    assert "explaining the plan: the runner-up route" in [m for _, m in messages]


def test_nothing_listens_so_no_callback_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    # without a progress listener (the CLI, the benchmarks) the solve installs no callback
    calls: list[object] = []
    monkeypatch.setattr(milp._Watch, "__call__", lambda self, event: calls.append(event))
    model, cost = _cover_model(3)
    assert model.solve(cost, 10.0).status == "optimal"
    assert calls == []
    model, cost = _cover_model(3)
    model.solve(cost, 10.0, report=lambda best, bound: None)
    assert calls


class ListenerError(Exception):
    pass


def test_a_listener_that_raises_during_a_solve_gets_its_own_error_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Raised inside HiGHS' callback, the listener's error had turned into "HiGHS failed
    # (Solve error)"; the caller must see what really went wrong, and the model stays usable.
    monkeypatch.setattr(milp, "REPORT_EVERY", 0.0)
    model, cost = _cover_model(3)

    def failing(best: float, bound: float) -> None:
        raise ListenerError("the progress bar is gone")

    with pytest.raises(ListenerError, match="the progress bar is gone"):
        model.solve(cost, 10.0, report=failing)
    assert model.solve(cost, 10.0).status == "optimal"


def test_a_progress_listener_that_raises_inside_the_cost_solve_stops_the_plan_with_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(milp, "REPORT_EVERY", 0.0)
    catalog = load_catalog(bundled_catalog_path()).catalog

    def progress(fraction: float, message: str) -> None:
        if message.startswith("solving the cost model: "):
            raise ListenerError(message)

    with pytest.raises(ListenerError, match="solving the cost model: "):
        plan(catalog, PlanRequest(goal="wgu-ms-cybersecurity"), progress=progress)
