"""The bundled starter catalogue: valid, large enough, and using every construct of the format."""

from __future__ import annotations

from collections import Counter

import pytest

from pathplanner.catalog import LoadedCatalog, bundled_catalog_path, load_catalog
from pathplanner.graph import build_graph, unlocks
from pathplanner.model import AllOf, AnyOf, CreditItem, CreditsFrom, Requirement


@pytest.fixture(scope="module")
def loaded() -> LoadedCatalog:
    return load_catalog(bundled_catalog_path())


def test_bundled_catalogue_is_valid_with_only_the_deliberate_gap(loaded: LoadedCatalog) -> None:
    assert [w.record for w in loaded.warnings] == [
        "credential 'freecodecamp-data-analysis-python' (credentials[37])"
    ]
    assert "stacks into nothing" in loaded.warnings[0].message


def test_size_and_fields(loaded: LoadedCatalog) -> None:
    catalog = loaded.catalog
    assert len(catalog.credentials) >= 80
    kinds = Counter(c.kind.value for c in catalog.credentials)
    for kind in ("certificate", "certification", "associate", "bachelor", "license"):
        assert kinds[kind] > 0, kind
    skills = {s for c in catalog.credentials for s in c.skills}
    assert skills == set(catalog.skills_by_id)
    # at least two fields: IT and healthcare stacking into degrees
    assert "wgu-bs-cybersecurity" in catalog.credentials_by_id
    assert "indiana-rn-license" in catalog.credentials_by_id


def test_every_record_says_where_its_figures_come_from(loaded: LoadedCatalog) -> None:
    missing = [c.id for c in loaded.catalog.credentials if not c.source]
    assert missing == []


def test_every_construct_of_the_format_appears(loaded: LoadedCatalog) -> None:
    catalog = loaded.catalog
    groups = [g for c in catalog.credentials for g in _all_requirements(c.requires)]
    assert any(isinstance(g, AllOf) for g in groups)
    assert any(isinstance(g, AnyOf) and g.count > 1 for g in groups)
    assert any(isinstance(g, CreditsFrom) for g in groups)
    blocks = [c for c in catalog.credentials if c.has_credit_block]
    assert any(c.transfer and c.transfer_max is not None for c in blocks)
    assert any(
        isinstance(i, CreditItem) and i.credits is not None for c in blocks for i in c.transfer
    )
    assert any(c.per_credit is not None for c in blocks)
    assert any(c.start_dates for c in catalog.credentials)
    assert {c.delivery.value for c in catalog.credentials} == {"online", "in_person", "hybrid"}
    assert {p.recognition.value for p in catalog.providers} == {
        "accredited",
        "industry",
        "employer",
        "unverified",
    }
    graph = build_graph(catalog)
    shared = [c.id for c in catalog.credentials if len(unlocks(graph, c.id)) >= 2]
    assert shared, "no shared prerequisite"


def _all_requirements(requirement: Requirement | None) -> list[Requirement]:
    if requirement is None or isinstance(requirement, str):
        return []
    children: tuple[Requirement, ...] = ()
    if isinstance(requirement, AllOf):
        children = requirement.all
    elif isinstance(requirement, AnyOf):
        children = requirement.any
    return [requirement, *(r for child in children for r in _all_requirements(child))]
