"""Every public document in ../shared/data imports with a report, validates, and where it has
a destination, plans. Skips where the folder is absent (a user's fresh clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathplanner.catalog import catalog_to_json, check_catalog_data, parse_catalog
from pathplanner.interop.ctdl_import import import_ctdl_files
from pathplanner.interop.openbadges import BadgeError, match_badge, read_badge
from pathplanner.interop.skills_rsd import read_rsd_files
from pathplanner.model import AllOf, AnyOf
from tests.conftest import catalog_dict

CTDL_FILES = [
    *(
        f"credentials/{n}"
        for n in (
            "handbook_credential_comparison.json",
            "handbook_credential_framework_levels.json",
            "handbook_degree_with_concentration_alternativeCondition.json",
            "handbook_program_with_courses.json",
            "handbook_transfer_value_profile_example1.json",
            "ingest_Credential_1_Credential-1-graph.json",
            "ingest_LearningProgram_1_LearningProgram-1-graph.json",
            "ingest_LearningProgram_2_LearningProgram-2.json",
            "ingest_Organization_1_Organization-1.json",
            "ra_LearningOpportunity_160_Driving_Academy_published.json",
            "ra_envelope_AssessmentEnvelope_decoded.json",
            "ra_envelope_CredentialEnvelope_decoded.json",
            "ra_envelope_LearningOpportunityEnvelope_decoded.json",
            "ra_envelope_OrganizationEnvelope_decoded.json",
            "validation_2018_credential_1141.json",
            "validation_2018_credential_1208.json",
            "validation_2018_credential_6.json",
            "validation_2018_credential_74.json",
        )
    ),
    "pathways/ce_pathways_repo_PathwayConditions_draft.json",
    "pathways/comptia_it_networking_specialist.jsonld",
    "pathways/comptia_it_progression_model.json",
]


@pytest.mark.parametrize("name", CTDL_FILES)
def test_ctdl_document_imports_validates_and_plans(shared_data: Path, name: str) -> None:
    result = import_ctdl_files([shared_data / "ctdl" / name])
    report = result.report
    assert report.ok, report.errors
    assert result.catalog is not None
    assert sum(report.read.values()) > 0
    assert sum(report.read.values()) == sum(report.mapped.values()) + sum(report.skipped.values())
    assert report.summary_lines()[-1] == "  result: valid catalogue"
    parse_catalog(catalog_to_json(result.catalog))  # what is written reads back as valid
    for pathway in report.pathways:
        _plans(result.catalog, pathway["destination"])


def _plans(catalog: object, goal: str) -> None:
    planner = pytest.importorskip("pathplanner.graph.planner")
    plan = planner.plan(catalog, planner.PlanRequest(goal=goal, time_limit=5.0))
    assert plan.status in {"optimal", "feasible"}, plan.explanation
    assert goal in {step.id for step in plan.steps}


def test_all_ctdl_documents_import_together(shared_data: Path) -> None:
    result = import_ctdl_files([shared_data / "ctdl" / name for name in CTDL_FILES])
    assert result.report.ok, result.report.errors
    assert len(result.report.pathways) == 2


def test_comptia_pathway_maps_its_chain(shared_data: Path) -> None:
    result = import_ctdl_files(
        [shared_data / "ctdl/pathways/comptia_it_networking_specialist.jsonld"]
    )
    assert result.catalog is not None
    assert result.report.mapped["Certification"] == 8
    destination = result.report.pathways[0]["destination"]
    cloud = result.catalog.credential(destination)
    assert cloud.name == "CompTIA Cloud+"
    assert cloud.requires == "ce-e850c22b-44c4-45d1-9b4b-f40f23c13ed3"  # Server+
    # Linux+'s ctid property lacks a digit: the @id's CTID is used, and it is reported.
    assert any("does not match the @id" in n.reason for n in result.report.notes)


def test_degree_with_concentrations(shared_data: Path) -> None:
    path = (
        shared_data
        / "ctdl/credentials/handbook_degree_with_concentration_alternativeCondition.json"
    )
    result = import_ctdl_files([path])
    assert result.catalog is not None
    requires = result.catalog.credential("ce-d4884357-0a56-4f44-bb6f-182d7db51d2d").requires
    assert isinstance(requires, AllOf)
    assert isinstance(requires.all[1], AnyOf)
    assert len(requires.all[1].any) == 2


def test_program_costs_and_durations(shared_data: Path) -> None:
    program = import_ctdl_files(
        [shared_data / "ctdl/credentials/ingest_LearningProgram_1_LearningProgram-1-graph.json"]
    )
    assert program.catalog is not None
    accelerator = program.catalog.credential("ce-23b0e606-545c-4383-8630-f97ec3b190fa")
    assert (accelerator.cost, accelerator.duration_weeks) == (4485, 39)  # aggregate; P9M
    driving = import_ctdl_files(
        [shared_data / "ctdl/credentials/ra_LearningOpportunity_160_Driving_Academy_published.json"]
    )
    assert driving.catalog is not None
    academy = driving.catalog.credentials[0]
    assert (academy.cost, academy.duration_weeks, academy.effort_hours) == (4695, 4, 160)


def test_draft_pathway_plans_through_its_or_condition(shared_data: Path) -> None:
    result = import_ctdl_files(
        [shared_data / "ctdl/pathways/ce_pathways_repo_PathwayConditions_draft.json"]
    )
    assert result.catalog is not None
    assessment = result.catalog.credential(
        "http://example.edu/ec05c0e5-3215-4707-a58e-2123d35ffd38"
    )
    assert isinstance(assessment.requires, AnyOf)
    assert assessment.requires.count == 1


@pytest.mark.parametrize(
    ("name", "title", "ctids"),
    [
        (
            "achievementAlignmentCe.json",
            "Text analysis",
            ("ce-cf4dee18-7cea-443a-b920-158a0762c6bf",),
        ),
        ("basicOpenBadgeCredential.json", "Teamwork", ()),
        (
            "ctdl_degree_in_vc_s1_2.json",
            "Bachelor\u2019s Degree",
            ("ce-49247727-7cbd-4f0e-8179-e51036d1f14a",),
        ),
        (
            "fullOpenBadge.json",
            "1EdTech University Degree",
            ("ce-98cb027b-95ef-4494-908d-6f7790ec6b6b",),
        ),
        (
            "skillAssertionCtdl.json",
            "Linear equations and inequalities",
            ("ce-6369c51f-4d86-4592-a761-8b32ae70a045",),
        ),
    ],
)
def test_open_badges_read(shared_data: Path, name: str, title: str, ctids: tuple[str, ...]) -> None:
    badge = read_badge(shared_data / "openbadges" / name)
    assert badge.name == title
    assert badge.ctids == ctids


def test_the_context_document_is_not_a_badge(shared_data: Path) -> None:
    with pytest.raises(BadgeError, match=r"not an Open Badges 3\.0 credential"):
        read_badge(shared_data / "openbadges/ob_v3p0_context-3.0.3.json")


def test_badge_with_ctdl_alignment_matches_an_imported_credential(shared_data: Path) -> None:
    catalog = check_catalog_data(
        catalog_dict(
            [
                {
                    "id": "ce-cf4dee18-7cea-443a-b920-158a0762c6bf",
                    "name": "Requirements Analysis",
                    "kind": "other",
                },
                {"id": "text-analysis", "name": "Text Analysis", "kind": "badge"},
            ]
        )
    ).catalog
    matches = match_badge(
        read_badge(shared_data / "openbadges/achievementAlignmentCe.json"), catalog
    )
    assert [(m.credential_id, m.method, m.needs_confirmation) for m in matches] == [
        ("ce-cf4dee18-7cea-443a-b920-158a0762c6bf", "alignment", False),
        ("text-analysis", "same name", True),
    ]


@pytest.mark.parametrize(
    ("name", "count", "framework"),
    [
        ("osmt_v3_collections_get.json", 24, "IT Network"),
        ("osmt_v3_skills_get.json", 1, "Software Development"),
        ("ce_collection_and_rsd_sample.jsonc", 1, "RSD Sample - 8/30/21"),
    ],
)
def test_skill_documents_read(shared_data: Path, name: str, count: int, framework: str) -> None:
    skills, report = read_rsd_files([shared_data / "skills" / name])
    assert report.errors == []
    assert len(skills) == count
    assert skills[0].framework == framework
