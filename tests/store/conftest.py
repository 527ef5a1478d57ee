"""Store fixtures: every store test runs on a SQLite file and on a real PostgreSQL server.

PostgreSQL runs use ``PATHPLANNER_TEST_PG_URL`` (``.ci/run`` starts a throwaway server and sets
it); each test gets its own schema, dropped afterwards. Without the variable they skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pathplanner.catalog import check_catalog_data
from pathplanner.model import Catalog
from pathplanner.paths import database_url, sqlite_url
from pathplanner.store import Store
from tests.conftest import catalog_dict

PG_ENV = "PATHPLANNER_TEST_PG_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.db)]


def postgres_schema_url(base: str, schema: str) -> str:
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "store.sqlite3")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (.ci/run starts one)")
    base = database_url(base)
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield postgres_schema_url(base, schema)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Iterator[Store]:
    with Store.open(store_url, actor="tester", backup_dir=tmp_path / "backups") as opened:
        yield opened


def credential(cid: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.title(), "kind": "certificate", **extra}


def small_catalog(cost_b: float = 200, name: str = "test catalogue") -> Catalog:
    document = catalog_dict(
        [
            credential("a", kind="badge", cost=100, duration_weeks=4, effort_hours=40),
            credential("b", requires="a", cost=cost_b, duration_weeks=8, effort_hours=80),
            credential("goal", requires={"all": ["b"]}, cost=500, duration_weeks=10),
        ],
        name=name,
    )
    return check_catalog_data(document).catalog


def plan_result(
    steps: int = 3, *, goal: str = "goal", cost_per_step: float = 10.0
) -> dict[str, Any]:
    """A plan document shaped like ``Plan.to_json()``, with ``steps`` steps."""
    return {
        "goal": goal,
        "objective": "cost",
        "status": "optimal",
        "total_cost": cost_per_step * steps,
        "finish_week": 4 * steps,
        "start_date": "2027-01-04",
        "finish_date": "2027-03-01",
        "lower_bound": cost_per_step * steps,
        "steps": [
            {
                "id": f"c{i:03d}",
                "start_week": 4 * i,
                "finish_week": 4 * i + 4,
                "cost": cost_per_step,
                "hours_per_week": 2.5,
                "transferred_credits": 0,
            }
            for i in range(steps)
        ],
        "explanation": "the cheapest route",
    }


def plan_request(goal: str = "goal") -> dict[str, Any]:
    return {"goal": goal, "objective": "cost", "held": [], "budget": None}
