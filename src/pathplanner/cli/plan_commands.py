"""``plan``: the cheapest or fastest route to a goal (or the trade-off between them).

Exit status: 0 a plan was found, 2 no plan exists (the reason is printed), 1 bad input.
Values are checked here rather than by argparse so that every bad input exits with 1 and a
message naming the flag (argparse itself exits with 2, which means "no plan" here).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import math
import os
import sys
import textwrap
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pathplanner.catalog import bundled_catalog_path
from pathplanner.cli.output import error, load_or_report, money, number, print_json, print_table
from pathplanner.cli.store_commands import save_flags_problem, save_planned
from pathplanner.graph.planner import Plan, PlanRequest
from pathplanner.model import Catalog, Delivery, Recognition
from pathplanner.planning_service import (
    CancelledError,
    InvalidRequestError,
    NoPlanError,
    PlanningService,
)

# request field -> the flag that sets it, to name the flag in error messages
FLAGS = {
    "goal": "--goal",
    "skills": "--skills",
    "held": "--held",
    "exclude": "--exclude",
    "insist": "--insist",
    "exclude_providers": "--exclude-provider",
    "budget": "--budget",
    "hours_per_week": "--hours-per-week",
    "horizon_weeks": "--horizon-weeks",
    "time_limit": "--time-limit",
}


class BadInputError(Exception):
    pass


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "plan",
        help="plan the cheapest or fastest route to a goal",
        description=(
            "Plan the cheapest (--objective cost) or fastest (--objective time) route to a goal "
            "credential or a set of skills, or the cost-versus-finish trade-off (both). Exit "
            "0 when a plan is found, 2 when none exists (with the reason), 1 on bad input."
        ),
    )
    parser.add_argument(
        "--catalog",
        metavar="FILE",
        help="catalogue file (default: the bundled catalogue)",
    )
    parser.add_argument("--goal", metavar="ID", help="goal credential id")
    parser.add_argument("--skills", metavar="ID,ID,...", help="goal skills (skills-first)")
    parser.add_argument("--held", metavar="ID", action="append", default=[])
    parser.add_argument("--objective", metavar="cost|time|both", default="cost")
    parser.add_argument("--budget", metavar="N", help="most the plan may cost")
    parser.add_argument("--hours-per-week", metavar="H", help="weekly study capacity")
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first week (default: next Monday)")
    parser.add_argument(
        "--delivery", metavar="MODES", help="allowed delivery modes: online,hybrid,in_person"
    )
    parser.add_argument("--exclude-provider", metavar="ID", action="append", default=[])
    parser.add_argument("--exclude", metavar="ID", action="append", default=[])
    parser.add_argument(
        "--min-recognition",
        metavar="LEVEL",
        help="accredited, industry, employer or unverified",
    )
    parser.add_argument("--insist", metavar="ID", action="append", default=[])
    parser.add_argument("--horizon-weeks", metavar="N", help="latest finish (default 520)")
    parser.add_argument("--time-limit", metavar="SECONDS", help="solver time limit (default 10)")
    parser.add_argument("--format", metavar="text|json", default="text")
    parser.add_argument("--save", metavar="NAME", help="save the plan in the store as NAME")
    parser.add_argument("--learner", metavar="NAME", help="with --save: whose plan it is")
    parser.set_defaults(handler=run_plan)


def run_plan(args: argparse.Namespace) -> int:
    objective = args.objective
    try:
        _choice("--objective", objective, ["cost", "time", "both"])
        _choice("--format", args.format, ["text", "json"])
        if (problem := save_flags_problem(args)) is not None:
            raise BadInputError(problem)
    except BadInputError as exc:
        error(str(exc))
        return 1
    loaded = load_or_report(args.catalog or str(bundled_catalog_path()))
    if loaded is None:
        return 1
    catalog = loaded.catalog
    try:
        request = build_request(args, catalog)
    except BadInputError as exc:
        error(str(exc))
        return 1
    service = PlanningService(catalog, loaded.path)
    try:
        # Keep the cyclic collector off the catalogue while planning: one full collection
        # would walk all of it (0.5 s for 100,000 credentials) inside the solve.
        gc.freeze()
        try:
            with _quiet_stdout():
                outcome = service.run(request, trade_off=objective == "both")
        finally:
            gc.unfreeze()
    except InvalidRequestError as exc:
        flag = FLAGS.get(exc.field, exc.field)
        message = str(exc).removeprefix(f"{exc.field}: ")
        error(f"{flag}: {message}")
        return 1
    except NoPlanError as exc:
        if args.format == "json":
            data = exc.plan.to_json()
            print_json([data] if objective == "both" else data)
        else:
            print(exc.reason)
        return 2
    except CancelledError:  # pragma: no cover - the CLI never cancels
        return 1
    if args.save is not None and not save_planned(args, catalog, loaded.path, outcome.best):
        return 1
    if args.format == "json":
        if objective == "both":
            print_json([p.to_json() for p in outcome.plans])
        else:
            print_json(outcome.best.to_json())
        return 0
    if objective == "both":
        print_front(catalog, list(outcome.plans))
    else:
        print_plan(catalog, outcome.best)
    return 0


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence the process's stdout while solving: a solver's native library printing to file
    descriptor 1 (HiGHS did, before its output was switched off) would corrupt ``--format
    json`` output, so the CLI does not rely on every solver staying quiet."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (e.g. captured by a test harness)
        yield
        return
    try:
        with Path(os.devnull).open("w", encoding="utf-8") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def build_request(args: argparse.Namespace, catalog: Catalog) -> PlanRequest:
    if (args.goal is None) == (args.skills is None):
        raise BadInputError("give exactly one of --goal ID or --skills ID,ID,...")
    skills = frozenset(_split(args.skills)) if args.skills is not None else frozenset()
    if args.skills is not None and not skills:
        raise BadInputError("--skills: give at least one skill id")
    delivery = None
    if args.delivery is not None:
        modes = _split(args.delivery)
        choices = [d.value for d in Delivery]
        for mode in modes:
            _choice("--delivery", mode, choices)
        if not modes:
            raise BadInputError(f"--delivery: give one or more of {', '.join(choices)}")
        delivery = frozenset(Delivery(m) for m in modes)
    recognition = None
    if args.min_recognition is not None:
        _choice("--min-recognition", args.min_recognition, [r.value for r in Recognition])
        recognition = Recognition(args.min_recognition)
    start = None
    if args.start is not None:
        try:
            start = date.fromisoformat(args.start)
        except ValueError:
            raise BadInputError(f"--start: '{args.start}' is not a date (YYYY-MM-DD)") from None
    return PlanRequest(
        goal=args.goal,
        skills=skills,
        held=frozenset(args.held),
        objective="time" if args.objective == "time" else "cost",
        budget=_number("--budget", args.budget, minimum=0.0),
        hours_per_week=_number("--hours-per-week", args.hours_per_week, minimum=0.0),
        start_date=start,
        delivery=delivery,
        exclude_providers=frozenset(args.exclude_provider),
        exclude=frozenset(args.exclude),
        min_recognition=recognition,
        insist=frozenset(args.insist),
        horizon_weeks=int(
            _number("--horizon-weeks", args.horizon_weeks, minimum=1, whole=True) or 520
        ),
        time_limit=_number("--time-limit", args.time_limit, minimum=0.0) or 10.0,
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _choice(flag: str, value: str, choices: list[str]) -> None:
    if value in choices:
        return
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise BadInputError(
        f"{flag}: unknown value '{value}'{hint}; expected one of {', '.join(choices)}"
    )


def _number(flag: str, text: str | None, *, minimum: float, whole: bool = False) -> float | None:
    if text is None:
        return None
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise BadInputError(f"{flag}: '{text}' is not {kind}") from None
    if not math.isfinite(value) or value < minimum:
        raise BadInputError(f"{flag}: must be at least {minimum:g}, got {text}")
    if minimum == 0.0 and flag in {"--hours-per-week", "--time-limit"} and value == 0:
        raise BadInputError(f"{flag}: must be more than 0")
    return float(value)


# --- text output ---------------------------------------------------------------------------


def print_plan(catalog: Catalog, result: Plan) -> None:
    request = result.request
    goal = request.goal or "skills " + ", ".join(sorted(request.skills))
    kind = "Cheapest" if request.objective == "cost" else "Fastest"
    print(f"{kind} plan to {goal} ({result.status})")
    print(
        f"Starts {result.start_date.isoformat()}, finishes {result.finish_date.isoformat()} "
        f"(week {result.finish_week})"
    )
    print()
    currency = catalog.currency
    rows = []
    for step in result.steps:
        credential = catalog.credential(step.id)
        begins = result.start_date + timedelta(days=7 * step.start_week)
        ends = result.start_date + timedelta(days=7 * step.finish_week)
        rows.append(
            [
                step.id,
                credential.name,
                begins.isoformat(),
                ends.isoformat(),
                str(step.duration_weeks),
                money(step.cost),
                f"{step.hours_per_week:.1f}",
                number(step.transferred_credits) if step.transferred_credits else "",
            ]
        )
    headers = ["id", "name", "start", "finish", "weeks", f"cost ({currency})", "h/week", "transfer"]
    if rows:
        print_table(headers, rows)
        print()
    total_hours = sum(s.effort_hours for s in result.steps)
    print(
        f"Total: {money(result.total_cost)} {currency}, {len(result.steps)} steps, "
        f"{number(round(total_hours, 1))} study hours, {result.finish_week} weeks"
    )
    print()
    for line in textwrap.wrap(result.explanation, width=100):
        print(line)
    if result.steps:
        print()
        print("Why each step:")
        for step in result.steps:
            for i, line in enumerate(textwrap.wrap(f"{step.id}: {step.reason}", width=96)):
                print(("  " if i == 0 else "    ") + line)


def print_front(catalog: Catalog, plans: list[Plan]) -> None:
    print(f"Cost versus finish: {len(plans)} plan{'s' if len(plans) != 1 else ''}")
    print()
    rows = [
        [
            str(i + 1),
            p.finish_date.isoformat(),
            str(p.finish_week),
            money(p.total_cost),
            str(len(p.steps)),
            p.status,
        ]
        for i, p in enumerate(plans)
    ]
    print_table(["#", "finish", "weeks", f"cost ({catalog.currency})", "steps", "status"], rows)
    for i, result in enumerate(plans):
        print()
        print(f"--- plan {i + 1} ---")
        print_plan(catalog, result)
