"""Regenerate ``resources/schema/catalog-v1.json`` from the model (run after changing it)."""

from __future__ import annotations

import json
from pathlib import Path

from pathplanner.model import catalog_json_schema

TARGET = Path(__file__).resolve().parent.parent / "resources" / "schema" / "catalog-v1.json"


def main() -> None:
    TARGET.write_text(json.dumps(catalog_json_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
