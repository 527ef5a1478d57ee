"""``validate``, ``show`` and ``graph``: look at a catalogue file."""

from __future__ import annotations

import argparse
from typing import Any

from pathplanner.catalog import CatalogError, load_catalog
from pathplanner.cli.output import (
    error,
    load_or_report,
    money,
    number,
    print_json,
    print_table,
)
from pathplanner.graph import build_graph, closure, levels
from pathplanner.model import Catalog, Credential, Kind
from pathplanner.requirement_text import item_text, requirement_text


def register(commands: Any) -> None:
    validate = commands.add_parser(
        "validate",
        help="check a catalogue file",
        description="Check a catalogue file; exit 0 when it is valid, 1 with every problem.",
    )
    validate.add_argument("file")
    validate.add_argument("--format", choices=["text", "json"], default="text")
    validate.set_defaults(handler=run_validate)

    show = commands.add_parser("show", help="list a catalogue's credentials")
    show.add_argument("file")
    show.add_argument("--kind", choices=[k.value for k in Kind], help="only this kind")
    show.add_argument("--format", choices=["table", "json"], default="table")
    show.set_defaults(handler=run_show)

    graph = commands.add_parser(
        "graph",
        help="show a goal's prerequisite closure",
        description="Everything that counts towards a goal credential, level by level.",
    )
    graph.add_argument("file")
    graph.add_argument("--goal", required=True, metavar="ID", help="the goal credential's id")
    graph.add_argument("--format", choices=["text", "json"], default="text")
    graph.set_defaults(handler=run_graph)


def run_validate(args: argparse.Namespace) -> int:
    try:
        loaded = load_catalog(args.file)
    except CatalogError as exc:
        if args.format == "json":
            print_json(
                {"file": args.file, "valid": False, "problems": [p.as_dict() for p in exc.problems]}
            )
        else:
            for problem in exc.problems:
                print(problem)
            count = len(exc.errors)
            print(f"{args.file}: invalid, {count} error{'s' if count != 1 else ''}")
        return 1
    catalog = loaded.catalog
    if args.format == "json":
        print_json(
            {
                "file": args.file,
                "valid": True,
                "credentials": len(catalog.credentials),
                "providers": len(catalog.providers),
                "skills": len(catalog.skills),
                "problems": [p.as_dict() for p in loaded.warnings],
            }
        )
        return 0
    for warning in loaded.warnings:
        print(warning)
    print(
        f"{args.file}: valid, {len(catalog.credentials)} credentials, "
        f"{len(catalog.providers)} providers, {len(catalog.skills)} skills, "
        f"{len(loaded.warnings)} warning{'s' if len(loaded.warnings) != 1 else ''}"
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.file)
    if loaded is None:
        return 1
    catalog = loaded.catalog
    chosen = [c for c in catalog.credentials if args.kind is None or c.kind.value == args.kind]
    if args.format == "json":
        print_json([credential_json(c) for c in chosen])
        return 0
    rows = [
        [
            c.id,
            c.name,
            c.kind.value,
            c.provider or "",
            money(c.full_cost),
            str(c.full_duration),
            number(c.full_effort),
            number(c.credits),
            c.delivery.value,
        ]
        for c in chosen
    ]
    headers = [
        "id",
        "name",
        "kind",
        "provider",
        f"cost ({catalog.currency})",
        "weeks",
        "hours",
        "credits",
        "delivery",
    ]
    print_table(headers, rows)
    print(f"\n{len(chosen)} credential{'s' if len(chosen) != 1 else ''}")
    return 0


def run_graph(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.file)
    if loaded is None:
        return 1
    catalog = loaded.catalog
    if args.goal not in catalog.credentials_by_id:
        error(f"{args.file}: unknown goal credential '{args.goal}'")
        return 1
    graph = build_graph(catalog)
    members = closure(graph, args.goal)
    level_of = levels(graph)
    ordered = sorted(members, key=lambda n: (level_of[n], n))
    if args.format == "json":
        print_json(closure_json(catalog, graph, args.goal, ordered, level_of))
        return 0
    goal = catalog.credential(args.goal)
    print(f"{goal.id}: {goal.name} ({goal.kind.value})")
    print(f"{len(members) - 1} credentials count towards it.\n")
    current = -1
    for node in ordered:
        if level_of[node] != current:
            current = level_of[node]
            print(f"level {current}")
        print(f"  {_credential_line(catalog.credential(node))}")
    return 0


def _credential_line(credential: Credential) -> str:
    parts = [f"{credential.id}  {credential.name} [{credential.kind.value}]"]
    if credential.requires is not None:
        parts.append(f"requires {requirement_text(credential.requires)}")
    if credential.credits_required is not None:
        block = f"{credential.credits_required:g} credits"
        if credential.transfer:
            sources = ", ".join(item_text(i) for i in credential.transfer)
            block += f", up to {credential.transfer_cap:g} by transfer from ({sources})"
        parts.append(block)
    return "; ".join(parts)


def credential_json(credential: Credential) -> dict[str, Any]:
    data: dict[str, Any] = credential.model_dump(mode="json", by_alias=True, exclude_none=True)
    return data


def closure_json(
    catalog: Catalog, graph: Any, goal: str, ordered: list[str], level_of: dict[str, int]
) -> dict[str, Any]:
    members = set(ordered)
    relevant = set(members)
    relevant.update(
        n
        for n, d in graph.nodes(data=True)
        if d.get("node_type") == "group" and d.get("owner") in members
    )
    edges = [
        {
            "from": u,
            "to": v,
            "type": d["type"],
            **({"credits": d["credits"]} if "credits" in d else {}),
        }
        for u, v, d in graph.edges(data=True)
        if u in relevant and v in relevant
    ]
    groups = [
        {"id": n, **{k: v for k, v in d.items() if k != "node_type"}}
        for n, d in graph.nodes(data=True)
        if n in relevant and d.get("node_type") == "group"
    ]
    return {
        "goal": goal,
        "currency": catalog.currency,
        "credentials": [
            {**credential_json(catalog.credential(n)), "level": level_of[n]} for n in ordered
        ],
        "groups": groups,
        "edges": edges,
    }
