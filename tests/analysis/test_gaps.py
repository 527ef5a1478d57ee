"""Catalogue-only gap findings, each on a small hand-worked catalogue."""

from __future__ import annotations

from typing import Any

from pathplanner.analysis_service import AnalysisOptions, run_analysis
from pathplanner.graph.findings import Finding, FindingKind, FindingSeverity
from pathplanner.graph.gaps import (
    access_equity,
    cycles,
    dead_ends,
    default_goals,
    levels_without_on_ramp,
    overlaps,
    redundant_prerequisites,
    stranded,
    unmeetable_requirements,
)
from pathplanner.graph.reachability import LearnerFilters, filtered_reachable, reachable_from_zero
from pathplanner.model import Delivery, Recognition
from tests.analysis.helpers import cred, make, unchecked


def about(findings: list[Finding]) -> dict[str, Finding]:
    return {f.credentials[0]: f for f in findings}


def skills(*ids: str) -> list[dict[str, Any]]:
    return [{"id": s, "name": s.upper()} for s in ids]


def test_dead_ends_skip_the_top_level_and_grade_by_size() -> None:
    catalog = make(
        [
            cred("used-badge", "badge"),
            cred("lonely-badge", "badge"),
            cred("cert", "certificate", "used-badge"),
            cred("assoc", "associate", "cert"),
            cred("bach", "bachelor"),
        ]
    )
    found = about(dead_ends(catalog))
    assert set(found) == {"lonely-badge", "assoc"}
    assert found["lonely-badge"].severity is FindingSeverity.WARNING
    assert "requires nothing and stacks into nothing" in found["lonely-badge"].message
    assert found["assoc"].severity is FindingSeverity.INFO
    assert found["assoc"].kind is FindingKind.DEAD_END


def test_transfer_acceptance_is_not_a_dead_end() -> None:
    catalog = make(
        [cred("cert", credits=3), cred("bach", "bachelor", credits_required=30, transfer=["cert"])]
    )
    assert dead_ends(catalog) == []


def test_unmeetable_requirement_and_what_it_blocks() -> None:
    catalog = unchecked(
        [
            cred("a"),
            cred("b"),
            cred("two-of-one", requires={"any": ["a"], "count": 2}),
            cred("after", requires={"all": ["two-of-one", "b"]}),
            cred("ghost-needer", requires="ghost"),
        ]
    )
    found = about(unmeetable_requirements(catalog))
    assert set(found) == {"two-of-one", "after", "ghost-needer"}
    assert found["two-of-one"].severity is FindingSeverity.ERROR
    assert "can never be met" in found["two-of-one"].message
    assert found["after"].severity is FindingSeverity.WARNING
    assert found["after"].credentials == ("after", "two-of-one")
    assert "unknown credential(s) ghost" in found["ghost-needer"].message


def test_credit_sum_that_all_items_cannot_reach_is_unmeetable() -> None:
    catalog = unchecked(
        [
            cred("x", credits=2),
            cred("y", credits=2),
            cred("d", requires={"credits": 5, "from": ["x", "y"]}),
        ]
    )
    assert reachable_from_zero(catalog) == {"x", "y"}
    assert [f.credentials for f in unmeetable_requirements(catalog)] == [("d",)]


def test_stranded_under_online_only() -> None:
    catalog = make(
        [
            cred("lab", delivery="in_person"),
            cred("web"),
            cred("cert", requires="lab"),
            cred("either", requires={"any": ["lab", "web"]}),
        ]
    )
    filters = LearnerFilters(delivery=frozenset({Delivery.ONLINE}))
    found = about(stranded(catalog, filters))
    # lab itself is excluded by the filter, not stranded; "either" has an online option.
    assert set(found) == {"cert"}
    assert found["cert"].credentials == ("cert", "lab")
    assert "delivery online" in found["cert"].message
    assert stranded(catalog, LearnerFilters()) == []


def test_stranded_by_excluded_provider_and_recognition() -> None:
    catalog = make(
        [
            cred("base", provider="weak"),
            cred("next", requires="base", provider="strong"),
        ],
        providers=[
            {"id": "weak", "name": "Weak", "recognition": "unverified"},
            {"id": "strong", "name": "Strong", "recognition": "accredited"},
        ],
    )
    by_provider = stranded(catalog, LearnerFilters(exclude_providers=frozenset({"weak"})))
    assert [f.credentials for f in by_provider] == [("next", "base")]
    by_rank = stranded(catalog, LearnerFilters(min_recognition=Recognition.INDUSTRY))
    assert [f.credentials for f in by_rank] == [("next", "base")]


def test_analysis_shares_the_filtered_reachability_with_stranded_and_equity() -> None:
    catalog = make(
        [
            cred("lab", delivery="in_person"),
            cred("web"),
            cred("heavy", effort_hours=400, duration_weeks=10, delivery="hybrid"),
            cred("cert", requires="lab"),
            cred("must", "diploma", "lab"),
            cred("choice", "diploma", {"any": ["lab", "web"]}),
            cred("slow", "diploma", {"all": ["web", "heavy"]}),
        ]
    )
    for delivery in ({Delivery.ONLINE}, {Delivery.ONLINE, Delivery.HYBRID}, None):
        filters = LearnerFilters(delivery=None if delivery is None else frozenset(delivery))
        goals = default_goals(catalog)
        alone = stranded(catalog, filters) + access_equity(
            catalog, goals, hours_per_week=20, filters=filters
        )
        shared = stranded(catalog, filters, reachable_filtered=filtered_reachable(catalog, filters))
        assert shared == stranded(catalog, filters)
        report = run_analysis(
            catalog, AnalysisOptions(filters=filters, hours_per_week=20, plan_routes=False)
        )
        kinds = {"stranded", "in_person_only", "too_many_hours"}
        assert [f for f in report.findings if f.kind.value in kinds] == alone
        assert alone  # each filter leaves something to report


def test_level_without_on_ramp_from_the_level_below() -> None:
    catalog = make(
        [
            cred("badge", "badge"),
            cred("cert", "certificate", "badge"),
            cred("bach", "bachelor"),
        ]
    )
    found = levels_without_on_ramp(catalog)
    assert [(f.kind, f.credentials) for f in found] == [(FindingKind.NO_ON_RAMP, ("bach",))]
    assert "no bachelor-level credential" in found[0].message
    assert "certificate-level" in found[0].message
    ramped = make(
        [
            cred("badge", "badge"),
            cred("cert", "certificate", "badge", credits=3),
            cred("bach", "bachelor", credits_required=30, transfer=["cert"]),
        ]
    )
    assert levels_without_on_ramp(ramped) == []


def test_overlap_by_jaccard_at_the_same_level_only() -> None:
    catalog = make(
        [
            cred("c1", skills=["s1", "s2", "s3"]),
            cred("c2", skills=["s1", "s2", "s3", "s4"]),
            cred("c3", skills=["s1", "s4", "s5"]),
            cred("b1", "badge", skills=["s1", "s2", "s3"]),
            cred("one", skills=["s1"]),
            cred("one-too", skills=["s1"]),
        ],
        skills=skills("s1", "s2", "s3", "s4", "s5"),
    )
    found = overlaps(catalog, threshold=0.6)
    assert [f.credentials for f in found] == [("c1", "c2")]
    assert found[0].numbers == {"jaccard": 0.75, "shared_skills": 3}
    assert {f.credentials for f in overlaps(catalog, threshold=0.2)} == {
        ("c1", "c2"),
        ("c1", "c3"),
        ("c2", "c3"),
    }
    identical = overlaps(catalog, threshold=0.5, min_skills=1)
    assert ("one", "one-too") in {f.credentials for f in identical}


def test_in_person_only_goals() -> None:
    catalog = make(
        [
            cred("lab", delivery="in_person"),
            cred("web"),
            cred("must", "diploma", "lab"),
            cred("choice", "diploma", {"any": ["lab", "web"]}),
            cred("hyb", "diploma", "web", delivery="hybrid"),
        ]
    )
    found = about(access_equity(catalog, default_goals(catalog)))
    assert set(found) == {"must"}
    assert found["must"].kind is FindingKind.IN_PERSON_ONLY
    assert found["must"].credentials == ("must", "lab")


def test_goals_that_need_more_hours_than_a_working_learner_has() -> None:
    catalog = make(
        [
            cred("heavy", effort_hours=400, duration_weeks=10),  # 40 h/week
            cred("light", effort_hours=100, duration_weeks=10),  # 10 h/week
            cred("hard", "diploma", "heavy"),
            cred("easy", "diploma", {"any": ["heavy", "light"]}),
            # A credit block: 10 h/week with no transfer, 0 + 5 h/week at full transfer.
            cred(
                "block",
                "bachelor",
                credits_required=10,
                per_credit={"hours": 30, "weeks": 3},
                effort_hours=50,
                duration_weeks=10,
                transfer=["light"],
            ),
        ]
    )
    found = about(access_equity(catalog, ["hard", "easy", "block"], hours_per_week=20))
    assert set(found) == {"hard"}
    assert found["hard"].kind is FindingKind.TOO_MANY_HOURS
    assert found["hard"].credentials == ("hard", "heavy")
    assert found["hard"].numbers == {"hours_per_week": 20, "heaviest_load": 40.0}
    assert access_equity(catalog, ["hard"]) == []


def test_cycles_on_an_unvalidated_catalogue() -> None:
    catalog = unchecked(
        [
            cred("a", requires="b"),
            cred("b", requires={"all": ["c"]}),
            cred("c", requires="a"),
            cred("d", requires="d"),
            cred("ok"),
        ]
    )
    found = cycles(catalog)
    assert [(f.credentials, f.severity) for f in found] == [
        (("a", "b", "c"), FindingSeverity.ERROR),
        (("d",), FindingSeverity.ERROR),
    ]
    assert found[0].message.startswith("cycle: a needs b needs c needs a;")
    assert cycles(make([cred("a"), cred("b", requires="a")])) == []


def test_redundant_prerequisites_only_for_mandatory_requirements() -> None:
    catalog = make(
        [
            cred("a"),
            cred("b", requires="a"),
            cred("c", requires={"all": ["a", "b"]}),
            cred("d", requires={"any": ["a", "b"]}),
            cred("e", requires={"any": ["a", "c"], "count": 2}),
        ]
    )
    found = redundant_prerequisites(catalog)
    assert [f.credentials for f in found] == [("c", "a", "b"), ("e", "a", "c")]
    assert "c requires a directly and through b" in found[0].message


def test_default_goals_are_qualifications_else_top_credentials() -> None:
    assert default_goals(make([cred("a"), cred("dip", "diploma", "a")])) == ["dip"]
    assert default_goals(make([cred("a"), cred("b", requires="a"), cred("c")])) == ["b"]
