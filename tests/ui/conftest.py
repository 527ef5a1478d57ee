"""Fixtures for the Qt tests: a small catalogue with every construct, and a main window with
its own settings file (never the user's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from pathplanner.catalog import LoadedCatalog, load_catalog
from tests.conftest import catalog_dict

PROVIDERS = [
    {"id": "alpha", "name": "Alpha College", "recognition": "accredited"},
    {"id": "beta", "name": "Beta Academy", "recognition": "industry"},
]
SKILLS = [{"id": "sql", "name": "SQL"}, {"id": "python", "name": "Python programming"}]


def small_catalog() -> dict[str, Any]:
    """Two badges and a certificate; an analyst certificate needing 2 of the 3; a dear, quick
    bootcamp; a degree needing either, with a credit block the certificates transfer into.

    Cheapest: intro-sql + statistics + analyst + degree, 3,450 in 40 weeks; fastest: bootcamp +
    statistics + degree (24 credits transferred), 4,400 in 22 weeks."""
    return catalog_dict(
        [
            {
                "id": "intro-sql",
                "name": "Intro to SQL",
                "kind": "badge",
                "provider": "beta",
                "cost": 50,
                "effort_hours": 10,
                "duration_weeks": 2,
                "credits": 3,
                "skills": ["sql"],
                "source": "https://example.org/intro-sql",
            },
            {
                "id": "python-basics",
                "name": "Python Basics",
                "kind": "badge",
                "provider": "beta",
                "cost": 80,
                "effort_hours": 20,
                "duration_weeks": 4,
                "credits": 3,
                "skills": ["python"],
            },
            {
                "id": "statistics",
                "name": "Statistics Certificate",
                "kind": "certificate",
                "provider": "alpha",
                "cost": 300,
                "effort_hours": 60,
                "duration_weeks": 6,
                "credits": 6,
                "delivery": "in_person",
            },
            {
                "id": "analyst",
                "name": "Data Analyst Certificate",
                "kind": "certificate",
                "provider": "alpha",
                "cost": 900,
                "effort_hours": 120,
                "duration_weeks": 12,
                "credits": 12,
                "requires": {"any": ["intro-sql", "python-basics", "statistics"], "count": 2},
            },
            {
                "id": "bootcamp",
                "name": "Analytics Bootcamp",
                "kind": "certificate",
                "provider": "beta",
                "cost": 2500,
                "effort_hours": 80,
                "duration_weeks": 4,
                "credits": 18,
            },
            {
                "id": "degree",
                "name": "BSc Data Science",
                "kind": "bachelor",
                "provider": "alpha",
                "cost": 1000,
                "effort_hours": 200,
                "duration_weeks": 10,
                "credits_required": 30,
                "per_credit": {"price": 100, "hours": 10, "weeks": 1},
                "transfer": ["analyst", "statistics", "bootcamp"],
                "requires": {"any": ["analyst", "bootcamp"]},
            },
        ],
        providers=PROVIDERS,
        skills=SKILLS,
    )


@pytest.fixture
def small_catalog_path(write_catalog: Callable[..., Path]) -> Path:
    return write_catalog(small_catalog(), "small.json")


@pytest.fixture
def loaded_small(small_catalog_path: Path) -> LoadedCatalog:
    return load_catalog(small_catalog_path)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: Any, loaded_small: LoadedCatalog, settings: QSettings) -> Iterator[Any]:
    """A shown main window on the small catalogue, its graph laid out."""
    from pathplanner.ui.main_window import MainWindow  # noqa: PLC0415 (needs the QApplication)

    main = MainWindow(loaded_small, settings)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: not main.graph_panel.laying_out and bool(main.graph_panel.items))
    # The window loads the planner (SciPy, NumPy) in the background once shown; let that end
    # so that no test reads a half-imported module (pytest.approx peeks at sys.modules).
    qtbot.waitUntil(lambda: not main.tasks.busy, timeout=30000)
    yield main
    main.tasks.cancel_all()
    main.tasks.wait()
