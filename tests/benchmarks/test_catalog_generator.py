"""The synthetic benchmark catalogues are valid format v1, deterministic and use every construct."""

from __future__ import annotations

from collections import Counter

from benchmarks.catalog_generator import benchmark_goals, generate_catalog_data

from pathplanner.catalog import check_catalog_data
from pathplanner.graph import build_graph, closure
from pathplanner.model import AllOf, AnyOf, CreditItem, CreditsFrom, Requirement


def _constructs(req: Requirement | None, found: Counter[str]) -> None:
    if isinstance(req, AllOf):
        found["all"] += 1
        for sub in req.all:
            _constructs(sub, found)
    elif isinstance(req, AnyOf):
        found["k of n" if req.count > 1 else "any"] += 1
        for sub in req.any:
            _constructs(sub, found)
    elif isinstance(req, CreditsFrom):
        found["credits from"] += 1
        if any(isinstance(item, CreditItem) for item in req.from_):
            found["credit override"] += 1


def test_small_catalogue_is_valid_and_uses_every_construct() -> None:
    data = generate_catalog_data(1000, seed=3)
    catalog = check_catalog_data(data, "synthetic.json").catalog
    assert len(catalog.credentials) == 1000
    found: Counter[str] = Counter()
    for cred in catalog.credentials:
        _constructs(cred.requires, found)
        if cred.has_credit_block and cred.transfer:
            found["transfer"] += 1
            if cred.transfer_cap < (cred.credits_required or 0):
                found["transfer cap"] += 1
        if cred.start_dates:
            found["intakes"] += 1
    assert set(found) == {
        "all",
        "any",
        "k of n",
        "credits from",
        "credit override",
        "transfer",
        "transfer cap",
        "intakes",
    }
    assert {p.recognition.value for p in catalog.providers} == {
        "accredited",
        "industry",
        "employer",
        "unverified",
    }
    assert {c.delivery.value for c in catalog.credentials} == {"online", "hybrid", "in_person"}
    assert all(c.skills for c in catalog.credentials)
    # shared components: many credentials count towards more than one other
    graph = build_graph(catalog)
    goals = benchmark_goals((c.id for c in catalog.credentials), 20, seed=3)
    assert len(goals) == 20
    sizes = [len(closure(graph, goal)) for goal in goals]
    assert min(sizes) >= 20
    assert max(sizes) >= 100


def test_same_seed_same_catalogue_other_seed_other_catalogue() -> None:
    assert generate_catalog_data(400, seed=1) == generate_catalog_data(400, seed=1)
    assert generate_catalog_data(400, seed=1) != generate_catalog_data(400, seed=2)
