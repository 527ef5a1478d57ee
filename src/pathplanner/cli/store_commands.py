"""``learners``, ``plans``, ``export-all`` and ``import-all``: the plan store from the console.

Every command opens the store named by ``--db URL`` / ``PATHPLANNER_DB`` (default: the SQLite
file in the user data directory), does one action and exits 0, or 1 with a message.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from pathplanner.catalog import write_text_atomic
from pathplanner.cli.output import error, money, print_json, print_table
from pathplanner.graph.planner import Plan
from pathplanner.model import Catalog
from pathplanner.paths import database_url
from pathplanner.store import (
    LearnerRecord,
    NotFoundError,
    PlanSummary,
    SavedPlan,
    Store,
    StoreError,
    export_all_to_file,
    import_all,
    read_export_file,
)
from pathplanner.store.plans import save_computed_plan

PLAN_EXPORT_FORMAT = "pathplanner-plan"

Handler = Callable[[Store, argparse.Namespace], int]


def register(commands: Any) -> None:
    learners = commands.add_parser("learners", help="list, add and show learners in the store")
    learner_commands = learners.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = learner_commands.add_parser("list", help="every learner")
    _format(listing, "table")
    listing.set_defaults(handler=_with_store(run_learners_list))
    add = learner_commands.add_parser("add", help="add a learner")
    add.add_argument("name")
    add.add_argument("--contact", default="", help="e-mail, phone, ...")
    add.add_argument("--notes", default="")
    _format(add, "text")
    add.set_defaults(handler=_with_store(run_learners_add))
    show = learner_commands.add_parser("show", help="a learner, their credentials and plans")
    show.add_argument("name")
    _format(show, "text")
    show.set_defaults(handler=_with_store(run_learners_show))

    plans = commands.add_parser("plans", help="list, show, delete and export saved plans")
    plan_commands = plans.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = plan_commands.add_parser("list", help="saved plans, most recently changed first")
    listing.add_argument("--learner", metavar="NAME", help="only this learner's plans")
    _format(listing, "table")
    listing.set_defaults(handler=_with_store(run_plans_list))
    for name, help_text, handler, default in (
        ("show", "a saved plan exactly as saved", run_plans_show, "text"),
        ("delete", "delete a saved plan (its history is kept)", run_plans_delete, "text"),
        ("export", "write a plan with its catalogue snapshot as JSON", run_plans_export, "json"),
    ):
        command = plan_commands.add_parser(name, help=help_text)
        command.add_argument("plan", metavar="PLAN", help="plan id, or plan name with --learner")
        command.add_argument("--learner", metavar="NAME", help="the learner whose plan PLAN is")
        if name == "export":
            command.add_argument("--output", "-o", metavar="FILE", help="default: stdout")
        _format(command, default)
        command.set_defaults(handler=_with_store(handler))

    export = commands.add_parser("export-all", help="write the whole store to one JSON file")
    export.add_argument("file")
    _format(export, "text")
    export.set_defaults(handler=_with_store(run_export_all))
    restore = commands.add_parser(
        "import-all",
        help="restore an export-all file",
        description="Restore an export-all file into an empty store (or --replace everything).",
    )
    restore.add_argument("file")
    restore.add_argument("--replace", action="store_true", help="delete what the store holds first")
    _format(restore, "text")
    restore.set_defaults(handler=_with_store(run_import_all))


def _format(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--format", choices=[default, "json"] if default != "json" else ["json"], default=default
    )


def open_store(args: argparse.Namespace) -> Store | None:
    """The store named by ``--db`` / ``PATHPLANNER_DB``, or None after printing why not."""
    try:
        return Store.open(database_url(getattr(args, "db", None)))
    except StoreError as exc:
        error(str(exc))
        return None


def _with_store(handler: Handler) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        store = open_store(args)
        if store is None:
            return 1
        try:
            return handler(store, args)
        except StoreError as exc:
            error(str(exc))
            return 1
        finally:
            store.close()

    return run


# -- learners ---------------------------------------------------------------------------------


def run_learners_list(store: Store, args: argparse.Namespace) -> int:
    learners = store.list_learners()
    if args.format == "json":
        print_json([learner_json(learner) for learner in learners])
        return 0
    rows = [[lr.name, lr.contact, str(len(lr.held)), _when(lr.updated_at)] for lr in learners]
    print_table(["name", "contact", "held", "updated"], rows)
    print(f"\n{_count(len(learners), 'learner')}")
    return 0


def run_learners_add(store: Store, args: argparse.Namespace) -> int:
    learner = store.add_learner(args.name, contact=args.contact, notes=args.notes)
    if args.format == "json":
        print_json(learner_json(learner))
    else:
        print(f"added learner {learner.name!r} (id {learner.id})")
    return 0


def run_learners_show(store: Store, args: argparse.Namespace) -> int:
    learner = store.get_learner(args.name)
    plans = store.list_plans(learner.id)
    if args.format == "json":
        print_json({**learner_json(learner), "plans": [summary_json(p) for p in plans]})
        return 0
    print(f"{learner.name} (id {learner.id})")
    if learner.contact:
        print(f"Contact: {learner.contact}")
    if learner.notes:
        print(f"Notes: {learner.notes}")
    print(f"Holds: {', '.join(h.credential_id for h in learner.held) or 'nothing recorded'}")
    print()
    _plan_table(plans)
    return 0


# -- plans ------------------------------------------------------------------------------------


def run_plans_list(store: Store, args: argparse.Namespace) -> int:
    plans = store.list_plans(args.learner)
    if args.format == "json":
        print_json([summary_json(p) for p in plans])
        return 0
    _plan_table(plans)
    return 0


def run_plans_show(store: Store, args: argparse.Namespace) -> int:
    saved = _find_plan(store, args)
    if args.format == "json":
        print_json(plan_json(saved))
        return 0
    summary, result = saved.summary, saved.result
    catalog = store.catalog(saved.catalog_version.id)
    print(f"Plan {summary.name!r} of {summary.learner_name} (id {summary.id}, {summary.status})")
    print(
        f"Goal {summary.goal}, objective {summary.objective}, {summary.plan_status}; catalogue "
        f"{saved.catalog_version.name!r} as imported {_when(saved.catalog_version.imported_at)}"
    )
    if summary.stale:
        print("STALE: re-planning on the current catalogue gives a different answer")
    print(
        f"Starts {result.get('start_date')}, finishes {result.get('finish_date')} "
        f"(week {result.get('finish_week')})"
    )
    print()
    rows = []
    for step in result.get("steps", []):
        credential = catalog.credentials_by_id.get(step["id"])
        rows.append(
            [
                step["id"],
                credential.name if credential else "?",
                str(step.get("start_week")),
                str(step.get("finish_week")),
                money(float(step.get("cost", 0))),
                f"{float(step.get('hours_per_week', 0)):.1f}",
            ]
        )
    if rows:
        headers = ["id", "name", "start wk", "finish wk", f"cost ({catalog.currency})", "h/week"]
        print_table(headers, rows)
        print()
    total = result.get("total_cost")
    if total is not None:
        print(f"Total: {money(float(total))} {catalog.currency}, {len(rows)} steps")
    if result.get("explanation"):
        print(result["explanation"])
    if saved.advisor_notes:
        print(f"\nAdvisor notes: {saved.advisor_notes}")
    return 0


def run_plans_delete(store: Store, args: argparse.Namespace) -> int:
    saved = _find_plan(store, args)
    store.delete_plan(saved.id, saved.version)
    if args.format == "json":
        print_json({"deleted": summary_json(saved.summary)})
    else:
        print(f"deleted plan {saved.summary.name!r} of {saved.summary.learner_name}")
    return 0


def run_plans_export(store: Store, args: argparse.Namespace) -> int:
    saved = _find_plan(store, args)
    content = json.loads(store.catalog_content(saved.catalog_version.id))
    document = {
        "format": PLAN_EXPORT_FORMAT,
        "version": 1,
        **plan_json(saved),
        "history": [
            {"at": c.at.isoformat(), "who": c.who, "action": c.action, "detail": c.detail}
            for c in store.plan_history(saved.id)
        ],
        "catalog_content": content,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        write_text_atomic(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def _find_plan(store: Store, args: argparse.Namespace) -> SavedPlan:
    if args.learner is not None:
        return store.find_plan(args.learner, args.plan)
    if not args.plan.isdigit():
        raise StoreError(f"plan {args.plan!r}: give a plan id, or the plan name with --learner")
    return store.get_plan(int(args.plan))


def _plan_table(plans: list[PlanSummary]) -> None:
    rows = [
        [
            str(p.id),
            p.learner_name,
            p.name,
            p.goal,
            p.objective,
            money(p.total_cost) if p.total_cost is not None else "",
            str(p.finish_week) if p.finish_week is not None else "",
            p.status + (" (stale)" if p.stale else ""),
            _when(p.updated_at),
        ]
        for p in plans
    ]
    headers = ["id", "learner", "plan", "goal", "objective", "cost", "weeks", "status", "updated"]
    print_table(headers, rows)
    print(f"\n{_count(len(plans), 'plan')}")


# -- everything -------------------------------------------------------------------------------


def run_export_all(store: Store, args: argparse.Namespace) -> int:
    document = export_all_to_file(store, Path(args.file))
    counts = {
        "catalog_versions": len(document.catalog_versions),
        "learners": len(document.learners),
        "plans": len(document.plans),
        "history": len(document.history),
    }
    if args.format == "json":
        print_json({"file": args.file, **counts})
    else:
        print(f"wrote {args.file}: {_counts_text(counts)}")
    return 0


def run_import_all(store: Store, args: argparse.Namespace) -> int:
    counts = import_all(store, read_export_file(Path(args.file)), replace=args.replace)
    if args.format == "json":
        print_json({"file": args.file, **counts})
    else:
        print(f"imported {args.file}: {_counts_text(counts)}")
    return 0


# -- JSON shapes ------------------------------------------------------------------------------


def learner_json(learner: LearnerRecord) -> dict[str, Any]:
    return {
        "id": learner.id,
        "name": learner.name,
        "contact": learner.contact,
        "notes": learner.notes,
        "held": [
            {
                "credential": h.credential_id,
                "earned_on": h.earned_on.isoformat() if h.earned_on else None,
                "evidence": h.evidence,
            }
            for h in learner.held
        ],
        "created_at": learner.created_at.isoformat(),
        "updated_at": learner.updated_at.isoformat(),
        "version": learner.version,
    }


def summary_json(summary: PlanSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "learner": summary.learner_name,
        "name": summary.name,
        "goal": summary.goal,
        "objective": summary.objective,
        "plan_status": summary.plan_status,
        "total_cost": summary.total_cost,
        "finish_week": summary.finish_week,
        "steps": summary.step_count,
        "status": summary.status,
        "stale": summary.stale,
        "catalog_version": summary.catalog_version_id,
        "created_at": summary.created_at.isoformat(),
        "updated_at": summary.updated_at.isoformat(),
        "version": summary.version,
    }


def plan_json(saved: SavedPlan) -> dict[str, Any]:
    version = saved.catalog_version
    return {
        **summary_json(saved.summary),
        "advisor_notes": saved.advisor_notes,
        "request": saved.request,
        "result": saved.result,
        "catalog": {
            "id": version.id,
            "name": version.name,
            "source": version.source,
            "content_hash": version.content_hash,
            "imported_at": version.imported_at.isoformat(),
        },
    }


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())


# -- `plan ... --save NAME --learner NAME` ----------------------------------------------------


def save_flags_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the ``plan`` command's --save / --learner flags, if anything."""
    if args.save is None and args.learner is None:
        return None
    if args.save is None:
        return "--learner: give --save NAME too (the name to save the plan under)"
    if args.learner is None:
        return "--save: give --learner NAME too (whose plan it is)"
    if args.objective == "both":
        return "--save: saves one plan; use --objective cost or time"
    return None


def save_planned(
    args: argparse.Namespace, catalog: Catalog, source: Path | None, computed: Plan
) -> bool:
    """Save a computed plan as ``--save NAME`` for ``--learner NAME``; False after an error."""
    store = open_store(args)
    if store is None:
        return False
    try:
        summary = save_computed_plan(
            store, args.learner, args.save, catalog, computed, catalog_source=str(source or "")
        )
    except NotFoundError as exc:
        error(f"--learner: {exc} (add them with: pathplanner-cli learners add NAME)")
        return False
    except StoreError as exc:
        error(f"--save: {exc}")
        return False
    finally:
        store.close()
    # stderr: stdout carries the plan itself (exactly the --format json document)
    print(
        f"saved plan {summary.name!r} for {summary.learner_name} (id {summary.id})",
        file=sys.stderr,
    )
    return True
