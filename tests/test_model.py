"""The credential model: requirement semantics and the credit-block formulas, worked by hand."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from pathplanner.model import (
    AllOf,
    AnyOf,
    Catalog,
    Credential,
    CreditItem,
    CreditsFrom,
    Delivery,
    Kind,
    Recognition,
    is_satisfied,
    requirement_refs,
    transferred_credits,
)
from tests.conftest import catalog_dict


def _catalog(credentials: list[dict[str, Any]]) -> Catalog:
    return Catalog.model_validate(catalog_dict(credentials))


def _badge(cid: str, credits: float = 0, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.upper(), "kind": "badge", "credits": credits, **extra}


REQUIREMENT = {
    "any": [
        "a",
        {"all": ["b", "c"]},
        {"credits": 10, "from": ["d", {"id": "e", "credits": 6}]},
    ],
    "count": 2,
}


@pytest.fixture
def catalog() -> Catalog:
    return _catalog(
        [
            _badge("a"),
            _badge("b"),
            _badge("c"),
            _badge("d", credits=4),
            _badge("e", credits=1),
            _badge("goal", requires=REQUIREMENT),
        ]
    )


def test_defaults_follow_the_format(catalog: Catalog) -> None:
    a = catalog.credential("a")
    assert (a.cost, a.effort_hours, a.duration_weeks, a.delivery) == (0, 0, 1, Delivery.ONLINE)
    assert a.start_dates is None
    assert a.kind is Kind.BADGE
    assert catalog.currency == "USD"


def test_requirement_parses_into_typed_groups(catalog: Catalog) -> None:
    requirement = catalog.credential("goal").requires
    assert isinstance(requirement, AnyOf)
    assert requirement.count == 2
    assert requirement.any[0] == "a"
    assert isinstance(requirement.any[1], AllOf)
    credits = requirement.any[2]
    assert isinstance(credits, CreditsFrom)
    assert credits.credits == 10
    assert credits.from_ == ("d", CreditItem(id="e", credits=6))
    assert requirement_refs(requirement) == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(
    ("earned", "expected"),
    [
        (set(), False),
        ({"a"}, False),  # 1 of the 3 options
        ({"a", "b"}, False),  # "all of b, c" needs c too
        ({"a", "b", "c"}, True),  # a + all(b, c)
        ({"a", "d"}, False),  # d carries 4 credits < 10
        ({"a", "d", "e"}, True),  # 4 + 6 (e's override, not its own 1) = 10
        ({"b", "c", "d", "e"}, True),  # all(b, c) + 10 credits
        ({"e"}, False),
    ],
)
def test_any_k_all_and_credits_from(catalog: Catalog, earned: set[str], expected: bool) -> None:
    requirement = catalog.credential("goal").requires
    assert is_satisfied(requirement, earned, catalog) is expected


def test_no_requirement_is_always_satisfied(catalog: Catalog) -> None:
    assert is_satisfied(None, set(), catalog)


BLOCK = {
    "id": "degree",
    "name": "Degree",
    "kind": "bachelor",
    "cost": 100,
    "effort_hours": 10,
    "duration_weeks": 2,
    "credits_required": 60,
    "per_credit": {"price": 300, "hours": 40, "weeks": 0.5},
    "transfer": ["a", {"id": "b", "credits": 20}],
    "transfer_max": 30,
}


@pytest.fixture
def block_catalog() -> Catalog:
    return _catalog([_badge("a", credits=12), _badge("b", credits=3), BLOCK])


def test_credit_block_without_transfer(block_catalog: Catalog) -> None:
    degree = block_catalog.credential("degree")
    # R = 60: cost 100 + 300*60, effort 10 + 40*60, weeks 2 + ceil(0.5*60)
    assert degree.cost_for(0) == 18_100
    assert degree.effort_for(0) == 2_410
    assert degree.duration_for(0) == 32


def test_credit_block_with_partial_transfer(block_catalog: Catalog) -> None:
    degree = block_catalog.credential("degree")
    transferred = transferred_credits(degree, {"a"}, block_catalog)
    assert transferred == 12  # a's own credits
    # R = 48: cost 100 + 14,400; effort 10 + 1,920; weeks 2 + 24
    assert (degree.cost_for(12), degree.effort_for(12), degree.duration_for(12)) == (
        14_500,
        1_930,
        26,
    )


def test_transfer_is_capped_by_transfer_max(block_catalog: Catalog) -> None:
    degree = block_catalog.credential("degree")
    # a brings 12 and b its override of 20 (not its own 3): 32, capped at 30
    assert transferred_credits(degree, {"a", "b"}, block_catalog) == 30
    assert degree.remaining_credits(32) == 30
    assert (degree.cost_for(30), degree.effort_for(30), degree.duration_for(30)) == (
        9_100,
        1_210,
        17,
    )


def test_transfer_cap_defaults_to_credits_required() -> None:
    catalog = _catalog(
        [
            _badge("a", credits=90),
            {
                "id": "d",
                "name": "D",
                "kind": "associate",
                "credits_required": 60,
                "transfer": ["a"],
                "per_credit": {"price": 1},
            },
        ]
    )
    degree = catalog.credential("d")
    assert degree.transfer_cap == 60
    assert transferred_credits(degree, {"a"}, catalog) == 60
    assert degree.cost_for(60) == 0
    assert degree.duration_for(60) == 1  # never less than one week


def test_duration_rounds_partial_weeks_up() -> None:
    catalog = _catalog(
        [
            {
                "id": "d",
                "name": "D",
                "kind": "diploma",
                "duration_weeks": 0,
                "credits_required": 30,
                "per_credit": {"weeks": 0.25},
            },
        ]
    )
    assert catalog.credential("d").duration_for(0) == 8  # ceil(7.5)
    assert catalog.credential("d").duration_for(28) == 1  # ceil(0.5)


def test_plain_credential_ignores_transfer_and_has_at_least_one_week() -> None:
    catalog = _catalog([_badge("x", cost=250, effort_hours=20, duration_weeks=0)])
    x = catalog.credential("x")
    assert (x.cost_for(50), x.effort_for(50), x.duration_for(50)) == (250, 20, 1)
    assert transferred_credits(x, {"anything"}, catalog) == 0


def test_start_dates_are_dates_and_recognition_ranks() -> None:
    catalog = Catalog.model_validate(
        catalog_dict(
            [_badge("x", provider="p", start_dates=["2027-01-11", "2027-09-06"])],
            providers=[{"id": "p", "name": "P", "recognition": "industry"}],
        )
    )
    x = catalog.credential("x")
    assert x.start_dates == (date(2027, 1, 11), date(2027, 9, 6))
    provider = catalog.provider_of(x)
    assert provider is not None
    assert provider.recognition is Recognition.INDUSTRY
    assert Recognition.ACCREDITED.rank > Recognition.INDUSTRY.rank > Recognition.EMPLOYER.rank
    assert Recognition.EMPLOYER.rank > Recognition.UNVERIFIED.rank


@pytest.mark.parametrize(
    "given",
    [
        ["2027-01-11", "2027-09-06"],
        ("2027-01-11", "2027-09-06"),
        [date(2027, 1, 11), "2027-09-06"],
        (date(2027, 1, 11), date(2027, 9, 6)),
    ],
)
def test_start_dates_from_strings_dates_lists_and_tuples(given: Any) -> None:
    x = Credential.model_validate({"id": "x", "name": "X", "kind": "badge", "start_dates": given})
    assert x.start_dates == (date(2027, 1, 11), date(2027, 9, 6))
    assert Credential.model_validate({"id": "x", "name": "X", "kind": "badge"}).start_dates is None
    assert Credential(id="x", name="X", kind=Kind.BADGE, start_dates=[]).start_dates == ()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("2027-01-11", "Input should be a valid tuple"),
        (["2027-01-11", "2027-1-11"], "'2027-1-11' is not a date in the form YYYY-MM-DD"),
        (["2027-02-29"], "'2027-02-29' is not a valid date (YYYY-MM-DD)"),
        (["20270111"], "'20270111' is not a date in the form YYYY-MM-DD"),  # ISO, not ours
        (["2027-01-11", None], "Input should be a valid date"),
        ([datetime(2027, 1, 11)], "Input should be a valid date"),
    ],
)
def test_start_dates_that_are_not_dates(given: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Credential.model_validate({"id": "x", "name": "X", "kind": "badge", "start_dates": given})


def test_unknown_credential_lookup_names_the_id(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="nope"):
        catalog.credential("nope")


def test_model_copy_rebuilds_the_id_lookups(catalog: Catalog) -> None:
    assert "goal" in catalog.credentials_by_id  # computed and cached on the original
    copy = catalog.model_copy(update={"credentials": catalog.credentials[:2]})
    assert set(copy.credentials_by_id) == {"a", "b"}
    assert "goal" in catalog.credentials_by_id
    with pytest.raises(KeyError, match="goal"):
        copy.credential("goal")


def test_full_figures_are_before_transfer_credit(block_catalog: Catalog) -> None:
    degree = block_catalog.credential("degree")
    assert (degree.full_cost, degree.full_effort, degree.full_duration) == (18_100, 2_410, 32)
    a = block_catalog.credential("a")
    assert (a.full_cost, a.full_effort, a.full_duration) == (a.cost, a.effort_hours, 1)
