"""CTDL export -> import and CSV export -> import give back the identical catalogue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pathplanner.catalog import bundled_catalog_path, check_catalog_data, load_catalog
from pathplanner.interop.csv_catalog import catalog_to_csv, export_csv, import_csv, import_csv_text
from pathplanner.interop.ctdl_export import catalog_to_ctdl, export_ctdl
from pathplanner.interop.ctdl_import import import_ctdl, import_ctdl_files
from pathplanner.model import Catalog
from tests.conftest import catalog_dict

CTID_A = "ce-0a0a0a0a-0000-4000-8000-000000000001"


def rich_catalog() -> Catalog:
    credentials: list[dict[str, Any]] = [
        {
            "id": "intro",
            "name": "Intro course",
            "kind": "other",
            "provider": "uni",
            "cost": 120.5,
            "effort_hours": 40.25,
            "duration_weeks": 0,
            "credits": 3,
            "delivery": "in_person",
            "start_dates": ["2026-09-07", "2026-01-12"],
            "skills": ["python"],
            "description": "Line one\nline two, with commas; and semicolons",
            "url": "https://example.edu/intro",
        },
        {
            "id": CTID_A,
            "name": "Registry badge",
            "kind": "badge",
            "cost": 0,
            "credits": 1.5,
            "delivery": "hybrid",
            "start_dates": [],
            "source": "https://example.org/source",
        },
        {
            "id": "odd id, (x): y",
            "name": 'Odd "quoted" id',
            "kind": "certificate",
            "provider": "vendor",
            "cost": 99,
            "duration_weeks": 3,
            "credits": 4,
            "requires": "intro",
        },
        {"id": "Intro", "name": "Case twin", "kind": "micro-credential", "credits": 2},
        {
            "id": "cert",
            "name": "Certificate",
            "kind": "certificate",
            "provider": "uni",
            "cost": 1000,
            "duration_weeks": 12,
            "credits": 12,
            "requires": {
                "any": ["intro", {"all": [CTID_A, "odd id, (x): y"]}, "Intro"],
                "count": 2,
            },
        },
        {
            "id": "degree",
            "name": "Degree",
            "kind": "bachelor",
            "provider": "uni",
            "cost": 2000,
            "duration_weeks": 10,
            "credits_required": 60,
            "per_credit": {"price": 300, "hours": 45, "weeks": 0.5},
            "transfer": ["cert", {"id": "intro", "credits": 2}],
            "transfer_max": 30,
            "requires": {
                "all": [
                    "cert",
                    {
                        "credits": 5,
                        "from": ["intro", {"id": "odd id, (x): y", "credits": 2.5}, "Intro"],
                    },
                    {"all": ["intro", CTID_A]},
                ]
            },
        },
    ]
    data = catalog_dict(
        credentials,
        name="Round trip, with commas",
        currency="EUR",
        providers=[
            {
                "id": "uni",
                "name": "University",
                "recognition": "accredited",
                "url": "https://example.edu",
            },
            {"id": "vendor", "name": "Vendor", "recognition": "industry"},
            {"id": "unused", "name": "Unused", "recognition": "employer"},
        ],
        skills=[
            {
                "id": "python",
                "name": "Python",
                "framework": "Lightcast",
                "url": "https://skills.example/p",
            },
            {"id": "sql", "name": "SQL"},
        ],
    )
    return check_catalog_data(data).catalog


def test_ctdl_round_trip_is_identical() -> None:
    catalog = rich_catalog()
    document = json.loads(json.dumps(catalog_to_ctdl(catalog)))
    result = import_ctdl([("export.json", document)])
    assert result.report.errors == []
    assert result.catalog == catalog
    assert result.report.notes == []  # nothing approximated on our own export


def test_ctdl_round_trip_through_a_file(tmp_path: Path) -> None:
    catalog = rich_catalog()
    export_ctdl(catalog, tmp_path / "out.jsonld")
    assert import_ctdl_files([tmp_path / "out.jsonld"]).catalog == catalog


def test_ctdl_goal_export_keeps_what_leads_to_the_goal() -> None:
    catalog = rich_catalog()
    result = import_ctdl([("goal.json", catalog_to_ctdl(catalog, goal="cert"))])
    assert result.catalog is not None
    assert {c.id for c in result.catalog.credentials} == {
        "cert",
        "intro",
        CTID_A,
        "odd id, (x): y",
        "Intro",
    }
    assert result.report.pathways[0]["destination"] == "cert"


def test_csv_round_trip_is_identical(tmp_path: Path) -> None:
    catalog = rich_catalog()
    export_csv(catalog, tmp_path / "out.csv")
    result = import_csv(tmp_path / "out.csv")
    assert result.report.errors == []
    assert result.catalog == catalog


@pytest.mark.parametrize("exporter", ["csv", "ctdl"])
def test_bundled_catalogue_round_trips(exporter: str) -> None:
    path = bundled_catalog_path()
    if not path.exists():
        pytest.skip("the bundled catalogue is not there yet")
    catalog = load_catalog(path).catalog
    if exporter == "csv":
        back = import_csv_text(catalog_to_csv(catalog)).catalog
    else:
        back = import_ctdl(
            [("bundled.json", json.loads(json.dumps(catalog_to_ctdl(catalog))))]
        ).catalog
    assert back == catalog
