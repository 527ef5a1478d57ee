"""The shipped JSON Schema matches the model and agrees with the validator; resources ship."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest

from pathplanner.catalog import schema_path
from pathplanner.model import catalog_json_schema
from tests.conftest import catalog_dict


def _shipped_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return schema


def test_shipped_schema_is_generated_from_the_model() -> None:
    assert _shipped_schema() == catalog_json_schema(), (
        "resources/schema/catalog-v1.json is stale: run `python scripts/make_schema.py`"
    )


def test_schema_accepts_a_catalogue_with_every_construct() -> None:
    document = catalog_dict(
        [
            {
                "id": "a",
                "name": "A",
                "kind": "badge",
                "credits": 3,
                "provider": "p",
                "start_dates": ["2027-01-04"],
                "skills": ["s"],
                "delivery": "hybrid",
            },
            {
                "id": "b",
                "name": "B",
                "kind": "bachelor",
                "credits_required": 120,
                "per_credit": {"price": 300, "hours": 45, "weeks": 0.3},
                "transfer": ["a", {"id": "a", "credits": 6}],
                "transfer_max": 90,
                "requires": {
                    "all": [
                        "a",
                        {"any": ["a"], "count": 1},
                        {"credits": 3, "from": [{"id": "a", "credits": 3}]},
                    ]
                },
            },
        ],
        providers=[{"id": "p", "name": "P", "recognition": "accredited", "url": "https://x"}],
        skills=[{"id": "s", "name": "S", "framework": "O*NET"}],
    )
    jsonschema.validate(document, _shipped_schema())


@pytest.mark.parametrize(
    "credential",
    [
        {"id": "a", "name": "A", "kind": "degree"},
        {"id": "a", "name": "A", "kind": "badge", "cost": -1},
        {"id": "a", "name": "A", "kind": "badge", "unknown": 1},
        {"id": "a", "name": "A", "kind": "badge", "requires": {"any": []}},
        {"id": "a", "name": "A", "kind": "badge", "requires": 5},
        {"name": "A", "kind": "badge"},
    ],
)
def test_schema_rejects_what_the_validator_rejects(credential: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(catalog_dict([credential]), _shipped_schema())
