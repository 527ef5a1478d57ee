"""Small helpers shared by the CLI commands: JSON and table output, error reporting."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from pathplanner.catalog import CatalogError, LoadedCatalog, load_catalog


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Plain aligned columns; numbers are right-aligned by the caller's formatting."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def error(message: str) -> None:
    print(f"pathplanner-cli: error: {message}", file=sys.stderr)


def load_or_report(path: str) -> LoadedCatalog | None:
    """Load a catalogue, or print its problems to stderr and return None."""
    try:
        return load_catalog(path)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.errors)
        print(f"{path}: {count} error{'s' if count != 1 else ''}", file=sys.stderr)
        return None


def money(value: float) -> str:
    return f"{value:,.2f}"


def number(value: float) -> str:
    return f"{value:g}"
