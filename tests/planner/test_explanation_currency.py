"""Money in the planner's explanations is written in the catalogue's currency."""

from __future__ import annotations

from pathplanner.graph.planner import PlanRequest, plan
from pathplanner.model import Catalog
from tests.planner.test_oracle import START, build, cred


def _catalogue(currency: str) -> Catalog:
    # G is a 10-credit block at 10 a credit; A ($40) brings 6 credits: 40 + 40 = 80 < 100.
    return build(
        cred("a", cost=40, credits=6),
        cred("b", cost=45, credits=6),
        cred(
            "g",
            credits_required=10,
            per_credit={"price": 10},
            transfer=["a", "b"],
            transfer_max=6,
        ),
        currency=currency,
    )


def test_explanations_use_the_catalogues_currency() -> None:
    result = plan(_catalogue("EUR"), PlanRequest(goal="g", start_date=START))
    assert (result.status, result.total_cost) == ("optimal", 80)
    assert "Cheapest plan: 80 EUR for 2 steps" in result.explanation
    assert "(20 EUR more)" in result.explanation  # without transfer credit: 100
    assert "Runner-up route: 85 EUR (5 EUR more)" in result.explanation  # B instead of A
    assert "$" not in result.explanation
    assert "saving 60 EUR" in next(s.reason for s in result.steps if s.id == "a")


def test_us_dollars_keep_the_dollar_sign() -> None:
    result = plan(_catalogue("USD"), PlanRequest(goal="g", start_date=START))
    assert "Cheapest plan: $80 for 2 steps" in result.explanation
