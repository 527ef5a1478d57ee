"""``import`` and ``export``: CTDL, CSV, Rich Skill Descriptors and Open Badges.

Every import prints its report (``--format json`` for the machine-readable one) and writes
the output catalogue only when the whole import succeeded (exit 0); otherwise nothing is
written and the exit status is 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from pathplanner.catalog import save_catalog
from pathplanner.cli.output import error, load_or_report, print_json
from pathplanner.interop.csv_catalog import export_csv, import_csv
from pathplanner.interop.ctdl_export import export_ctdl
from pathplanner.interop.ctdl_import import import_ctdl_files
from pathplanner.interop.curricular_analytics import import_curricular_analytics
from pathplanner.interop.import_report import ImportResult
from pathplanner.interop.openbadges import match_badge, read_badge
from pathplanner.interop.safe_json import InputError
from pathplanner.interop.skills_rsd import add_skills, read_rsd_files


def register(commands: Any) -> None:
    importing = commands.add_parser(
        "import", help="make a catalogue from CTDL, CSV or skills files; match a badge"
    )
    formats = importing.add_subparsers(dest="import_format", required=True, metavar="FORMAT")

    ctdl = formats.add_parser(
        "ctdl",
        help="CTDL JSON-LD (credentials, learning opportunities, pathways) -> catalogue",
        description="Import CTDL JSON-LD files (records, @graph documents or registry "
        "envelopes) into one catalogue and print what was mapped, approximated and skipped.",
    )
    ctdl.add_argument("files", nargs="+", metavar="FILE")
    ctdl.add_argument("-o", "--output", required=True, metavar="CATALOG", help="catalogue to write")
    ctdl.add_argument("--name", help="catalogue name (default: the pathway's or the files')")
    _format_option(ctdl)
    ctdl.set_defaults(handler=run_import_ctdl)

    csv = formats.add_parser(
        "csv",
        help="a CSV catalogue (layout in docs/interop.md) -> catalogue",
        description="Import a catalogue from CSV; bad cells are reported by row and column.",
    )
    csv.add_argument("file", metavar="FILE")
    csv.add_argument("-o", "--output", required=True, metavar="CATALOG", help="catalogue to write")
    csv.add_argument("--name", help="catalogue name when the CSV has no 'catalog' row")
    _format_option(csv)
    csv.set_defaults(handler=run_import_csv)

    rsd = formats.add_parser(
        "rsd",
        help="add Rich Skill Descriptor skills to a catalogue",
        description="Add the skills of Rich Skill Descriptors, OSMT collections or CTDL "
        "competency graphs to a catalogue's skills list.",
    )
    rsd.add_argument("files", nargs="+", metavar="FILE")
    rsd.add_argument("--into", required=True, metavar="CATALOG", help="catalogue to add to")
    rsd.add_argument("-o", "--output", required=True, metavar="CATALOG", help="catalogue to write")
    _format_option(rsd)
    rsd.set_defaults(handler=run_import_rsd)

    badge = formats.add_parser(
        "badge",
        help="match an Open Badges 3.0 credential (JSON, PNG, SVG) to a catalogue",
        description="Read an Open Badges 3.0 credential and list the catalogue credentials it "
        "may be, most likely first, with a confidence; uncertain ones need confirmation.",
    )
    badge.add_argument("file", metavar="FILE")
    badge.add_argument("--catalog", required=True, metavar="CATALOG")
    badge.add_argument("--limit", type=int, default=5, help="most matches to list (default 5)")
    _format_option(badge)
    badge.set_defaults(handler=run_import_badge)

    ca = formats.add_parser(
        "curricular-analytics",
        help="a Curricular Analytics CSV curriculum or degree plan -> catalogue",
        description="Import a Curricular Analytics curriculum or degree plan (CSV): each course "
        "a credential, the curriculum one credential requiring them all (docs/analysis.md).",
    )
    ca.add_argument("file", metavar="FILE")
    ca.add_argument("-o", "--output", required=True, metavar="CATALOG", help="catalogue to write")
    _format_option(ca)
    ca.set_defaults(handler=run_import_curricular_analytics)

    exporting = commands.add_parser("export", help="write a catalogue as CSV or CTDL JSON-LD")
    targets = exporting.add_subparsers(dest="export_format", required=True, metavar="FORMAT")
    csv_out = targets.add_parser("csv", help="catalogue -> CSV (layout in docs/interop.md)")
    csv_out.add_argument("catalog", metavar="CATALOG")
    csv_out.add_argument("-o", "--output", required=True, metavar="FILE")
    csv_out.set_defaults(handler=run_export_csv)
    ctdl_out = targets.add_parser(
        "ctdl", help="catalogue -> CTDL JSON-LD (a Pathway with components and conditions)"
    )
    ctdl_out.add_argument("catalog", metavar="CATALOG")
    ctdl_out.add_argument("-o", "--output", required=True, metavar="FILE")
    ctdl_out.add_argument(
        "--goal",
        metavar="ID",
        help="only what leads to this credential (the pathway's destination)",
    )
    ctdl_out.set_defaults(handler=run_export_ctdl)


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "json"], default="text")


def run_import_ctdl(args: argparse.Namespace) -> int:
    return _finish(import_ctdl_files(args.files, name=args.name), args)


def run_import_csv(args: argparse.Namespace) -> int:
    return _finish(import_csv(args.file, name=args.name), args)


def run_import_curricular_analytics(args: argparse.Namespace) -> int:
    return _finish(import_curricular_analytics(args.file), args)


def run_import_rsd(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.into)
    if loaded is None:
        return 1
    skills, report = read_rsd_files(args.files)
    if report.errors:
        return _finish(ImportResult(None, report), args)
    return _finish(add_skills(loaded.catalog, skills, report), args)


def run_import_badge(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.catalog)
    if loaded is None:
        return 1
    try:
        badge = read_badge(args.file)
    except InputError as exc:
        error(str(exc))
        return 1
    matches = match_badge(badge, loaded.catalog, limit=max(1, args.limit))
    if args.format == "json":
        print_json(
            {
                "badge": {
                    "name": badge.name,
                    "issuer": badge.issuer,
                    "issued": badge.issued,
                    "achievement": badge.achievement_id,
                    "ctids": list(badge.ctids),
                    "container": badge.container,
                    "signed": badge.signed,
                },
                "matches": [m.as_dict() for m in matches],
            }
        )
        return 0
    print(f"{badge.name} (issued by {badge.issuer or 'unknown'}, {badge.issued or 'no date'})")
    if not matches:
        print("  no catalogue credential matches")
    for match in matches:
        flag = "  (confirm)" if match.needs_confirmation else ""
        print(
            f"  {match.confidence:4.2f}  {match.credential_id}  {match.credential_name}  "
            f"[{match.method}: {match.detail}]{flag}"
        )
    return 0


def run_export_csv(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.catalog)
    if loaded is None:
        return 1
    export_csv(loaded.catalog, args.output)
    print(f"wrote {args.output}: {len(loaded.catalog.credentials)} credentials")
    return 0


def run_export_ctdl(args: argparse.Namespace) -> int:
    loaded = load_or_report(args.catalog)
    if loaded is None:
        return 1
    if args.goal is not None and args.goal not in loaded.catalog.credentials_by_id:
        error(f"unknown goal credential {args.goal!r}")
        return 1
    export_ctdl(loaded.catalog, args.output, goal=args.goal)
    print(f"wrote {args.output}")
    return 0


def _finish(result: ImportResult, args: argparse.Namespace) -> int:
    if result.catalog is not None:
        save_catalog(result.catalog, args.output)
    if args.format == "json":
        print_json(
            {
                **result.report.as_dict(),
                "output": args.output if result.catalog is not None else None,
                "warnings": [w.as_dict() for w in result.warnings],
            }
        )
    else:
        for line in result.report.summary_lines():
            print(line)
        if result.catalog is not None:
            print(f"wrote {args.output}: {len(result.catalog.credentials)} credentials")
    return 0 if result.catalog is not None else 1
