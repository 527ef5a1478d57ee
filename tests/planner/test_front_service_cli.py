"""The Pareto front, plan explanations, the planning service and the ``plan`` command."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pathplanner.cli import main
from pathplanner.graph.planner import PlanRequest, pareto_front, plan
from pathplanner.model import Catalog
from pathplanner.planning_service import (
    CancelledError,
    CancelToken,
    CatalogUnavailableError,
    InvalidRequestError,
    NoPlanError,
    PlanningService,
)
from tests.conftest import catalog_dict
from tests.planner.schedule_check import check_plan
from tests.planner.test_cost_plans import START, build, cred

TRADE_OFF = [
    cred("slow", cost=100, duration_weeks=20),
    cred("mid", cost=300, duration_weeks=10),
    cred("fast", cost=900, duration_weeks=2),
    cred("pricey-slow", cost=950, duration_weeks=15),  # dominated
    cred(
        "goal", cost=50, duration_weeks=1, requires={"any": ["slow", "mid", "fast", "pricey-slow"]}
    ),
]


def trade_off() -> Catalog:
    return build(*TRADE_OFF)


def test_pareto_front_lists_every_non_dominated_plan() -> None:
    catalog = trade_off()
    front = pareto_front(catalog, PlanRequest(goal="goal", start_date=START))
    assert [(p.finish_week, p.total_cost) for p in front] == [(3, 950), (11, 350), (21, 150)]
    assert all(p.status == "optimal" for p in front)
    for p in front:
        assert check_plan(catalog, p) == []


def test_pareto_front_respects_the_limit_and_is_empty_without_plan() -> None:
    catalog = trade_off()
    assert len(pareto_front(catalog, PlanRequest(goal="goal"), limit=2)) == 2
    assert pareto_front(catalog, PlanRequest(goal="goal", budget=10)) == []


def test_explanation_gives_the_runner_up_route() -> None:
    service = PlanningService(trade_off())
    best = service.run(PlanRequest(goal="goal", start_date=START)).best
    assert best.explanation == (
        "Cheapest plan: $150 for 2 steps, finishing in week 21 (2027-05-31). Proven optimal. "
        "Runner-up route: $350 ($200 more), finishing in week 11; it takes mid instead of slow."
    )
    fastest = service.run(PlanRequest(goal="goal", objective="time", start_date=START)).best
    assert "The cheapest plan costs $150 ($800 less) and finishes in week 21" in (
        fastest.explanation
    )


def test_alternatives_can_be_left_out_of_the_explanation() -> None:
    result = plan(trade_off(), PlanRequest(goal="goal", start_date=START), alternatives=False)
    assert result.explanation == (
        "Cheapest plan: $150 for 2 steps, finishing in week 21 (2027-05-31). Proven optimal."
    )
    assert [s.reason for s in result.steps] == [
        "satisfies 'any of (slow, mid, fast, pricey-slow)' of goal",
        "the goal",
    ]


def test_service_maps_errors_to_typed_exceptions(tmp_path: Path) -> None:
    service = PlanningService(trade_off())
    with pytest.raises(InvalidRequestError) as bad:
        service.run(PlanRequest(goal="gaol"))
    assert bad.value.field == "goal"
    assert bad.value.value == "gaol"
    with pytest.raises(NoPlanError) as none:
        service.run(PlanRequest(goal="goal", budget=10), trade_off=True)
    assert none.value.reason == "No plan: budget 10 < cheapest possible 150."
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        service.run(PlanRequest(goal="goal"), cancel=token)
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogUnavailableError) as unavailable:
        PlanningService.open(broken)
    assert "malformed JSON" in str(unavailable.value)


def test_service_runs_in_a_worker_thread_with_progress() -> None:
    service = PlanningService(trade_off())
    reports: list[float] = []
    outcome: list[object] = []

    def work() -> None:
        outcome.append(
            service.run(
                PlanRequest(goal="goal"),
                trade_off=True,
                progress=lambda fraction, _message: reports.append(fraction),
            )
        )

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert len(outcome) == 1
    assert reports[-1] == 1.0


@pytest.fixture
def catalog_file(write_catalog: Callable[..., Path]) -> Path:
    return write_catalog(catalog_dict(TRADE_OFF))


def run_cli(capsys: pytest.CaptureFixture[str], command_line: str) -> tuple[int, str, str]:
    status = main(["plan", *shlex.split(command_line)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_json_plan(catalog_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(
        capsys, f"--catalog {catalog_file} --goal goal --start 2027-01-04 --format json"
    )
    assert status == 0
    data = json.loads(out)
    assert data["status"] == "optimal"
    assert data["total_cost"] == 150
    assert data["finish_date"] == "2027-05-31"
    assert [s["id"] for s in data["steps"]] == ["slow", "goal"]


def test_cli_both_prints_the_front(catalog_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(
        capsys, f"--catalog {catalog_file} --goal goal --objective both --format json"
    )
    assert status == 0
    assert [p["total_cost"] for p in json.loads(out)] == [950, 350, 150]


def test_cli_text_plan_is_readable(catalog_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_cli(
        capsys,
        f"--catalog {catalog_file} --goal goal --objective time --hours-per-week 10"
        " --start 2027-01-04",
    )
    assert status == 0
    assert out.startswith("Fastest plan to goal (optimal)\nStarts 2027-01-04, finishes 2027-01-25")
    assert "fast  FAST  2027-01-04  2027-01-18  2" in out
    assert "Total: 950.00 USD, 2 steps" in out
    assert "Why each step:" in out


def test_cli_infeasible_exits_2_with_reason(
    catalog_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run_cli(
        capsys, f"--catalog {catalog_file} --goal goal --budget 10 --format json"
    )
    assert status == 2
    data = json.loads(out)
    assert data["status"] == "infeasible"
    assert data["explanation"] == "No plan: budget 10 < cheapest possible 150."
    status, out, _ = run_cli(
        capsys,
        f"--catalog {catalog_file} --goal goal --exclude slow --exclude mid"
        " --exclude fast --exclude pricey-slow",
    )
    assert status == 2
    assert out.startswith("No plan: the goal goal cannot be reached: goal requires any of")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--goal", "gaol"], "--goal: unknown credential 'gaol' (did you mean 'goal'?)"),
        (
            ["--goal", "goal", "--held", "sloww"],
            "--held: unknown credential 'sloww' (did you mean 'slow'?)",
        ),
        (["--goal", "goal", "--exclude", "nope"], "--exclude: unknown credential 'nope'"),
        (["--goal", "goal", "--delivery", "online,remote"], "--delivery: unknown value 'remote'"),
        (["--goal", "goal", "--objective", "quick"], "--objective: unknown value 'quick'"),
        (["--goal", "goal", "--start", "2027-13-01"], "--start: '2027-13-01' is not a date"),
        (["--goal", "goal", "--budget", "lots"], "--budget: 'lots' is not a number"),
        (
            ["--goal", "goal", "--min-recognition", "acredited"],
            "--min-recognition: unknown value 'acredited' (did you mean 'accredited'?)",
        ),
        (["--skills", "x", "--goal", "goal"], "give exactly one of --goal ID or --skills"),
    ],
)
def test_cli_bad_input_exits_1_naming_the_flag(
    catalog_file: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = run_cli(capsys, shlex.join(["--catalog", str(catalog_file), *args]))
    assert status == 1
    assert out == ""
    assert f"pathplanner-cli: error: {message}" in err


def test_planning_writes_nothing_to_stdout(tmp_path: Path) -> None:
    # HiGHS prints a banner (and, with output on, logs) to the process's stdout; the planner
    # keeps it silent. A fresh process, since the banner comes once per process.
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_dict(TRADE_OFF)), encoding="utf-8")
    script = (
        "from pathplanner.catalog import load_catalog\n"
        "from pathplanner.graph.planner import PlanRequest, plan\n"
        f"catalog = load_catalog({str(path)!r}).catalog\n"
        "for objective in ('cost', 'time'):\n"
        "    plan(catalog, PlanRequest(goal='goal', objective=objective))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout == ""
