"""One small hand-written CTDL record per mapping rule."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pathplanner.interop.ctdl_import import import_ctdl_files
from pathplanner.interop.ctdl_values import CREDENTIAL_KINDS, normalise_currency, parse_duration
from pathplanner.model import AllOf, AnyOf, CreditsFrom, Delivery, Kind
from tests.interop.helpers import catalog_of, ctid, graph, iri, reasons, record, run


@pytest.mark.parametrize(
    ("ctdl_class", "kind"),
    [
        ("ceterms:BachelorOfScienceDegree", Kind.BACHELOR),
        ("ceterms:AssociateOfAppliedScienceDegree", Kind.ASSOCIATE),
        ("ceterms:MasterDegree", Kind.MASTER),
        ("ceterms:ResearchDoctorate", Kind.DOCTORATE),
        ("ceterms:OpenBadge", Kind.BADGE),
        ("ceterms:MicroCredential", Kind.MICRO_CREDENTIAL),
        ("ceterms:JourneymanCertificate", Kind.CERTIFICATE),
        ("ceterms:Certification", Kind.CERTIFICATION),
        ("ceterms:License", Kind.LICENSE),
        ("ceterms:GeneralEducationDevelopment", Kind.DIPLOMA),
    ],
)
def test_credential_classes_map_to_kinds(ctdl_class: str, kind: Kind) -> None:
    catalog = catalog_of(graph(record(1, ctdl_class)))
    assert catalog.credential(ctid(1)).kind is kind


def test_classes_without_a_kind_become_other_with_a_note() -> None:
    result = run(
        graph(record(1, "ceterms:QualityAssuranceCredential"), record(2, "ceterms:Course"))
    )
    assert result.catalog is not None
    assert {c.kind for c in result.catalog.credentials} == {Kind.OTHER}
    notes = reasons(result)
    assert any("quality assurance credential has no matching kind" in n for n in notes)
    assert any("Course is a learning opportunity" in n for n in notes)


def test_unknown_top_level_types_are_skipped_and_counted() -> None:
    result = run(graph(record(1), {"@id": "_:x", "@type": "ceterms:AlignmentMap"}))
    assert result.report.skipped["AlignmentMap"] == 1
    assert result.report.mapped["Certification"] == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ({"en-US": "English", "fr": "Français"}, "English"),
        ({"fr": "Français", "en": "English"}, "English"),
        ({"de": "Deutsch"}, "Deutsch"),
        ("Plain string (2018 encoding)", "Plain string (2018 encoding)"),
        ({"@en-US": "Draft encoding"}, "Draft encoding"),
        ({"en": ["First", "Second"]}, "First; Second"),
    ],
)
def test_language_maps(name: Any, expected: str) -> None:
    node = record(1)
    node["ceterms:name"] = name
    assert catalog_of(graph(node)).credential(ctid(1)).name == expected


def test_targets_of_one_condition_are_all_required() -> None:
    goal = record(
        1,
        ceterms__requires=[
            {"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": [iri(2), iri(3)]}
        ],
    )
    catalog = catalog_of(graph(goal, record(2), record(3)))
    assert catalog.credential(ctid(1)).requires == AllOf(all=(ctid(2), ctid(3)))


def test_several_requires_profiles_are_all_required() -> None:
    goal = record(
        1,
        ceterms__requires=[
            {"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": iri(2)},
            {"@type": "ceterms:ConditionProfile", "ceterms:targetAssessment": {"@id": iri(3)}},
        ],
    )
    catalog = catalog_of(graph(goal, record(2), record(3, "ceterms:AssessmentProfile")))
    assert catalog.credential(ctid(1)).requires == AllOf(all=(ctid(2), ctid(3)))


def test_alternative_conditions_mean_any_one() -> None:
    goal = record(
        1,
        ceterms__requires={
            "@type": "ceterms:ConditionProfile",
            "ceterms:targetLearningOpportunity": iri(2),
            "ceterms:alternativeCondition": [
                {"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": [iri(3), iri(4)]},
                {"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": iri(5)},
            ],
        },
    )
    catalog = catalog_of(graph(goal, *(record(n) for n in range(2, 6))))
    assert catalog.credential(ctid(1)).requires == AllOf(
        all=(ctid(2), AnyOf(any=(AllOf(all=(ctid(3), ctid(4))), ctid(5)), count=1))
    )


def test_requires_naming_a_record_directly_requires_that_record() -> None:
    goal = record(1, "ceterms:MasterDegree", ceterms__requires={"@id": iri(2)})
    catalog = catalog_of(graph(goal, record(2, "ceterms:LearningProgram")))
    assert catalog.credential(ctid(1)).requires == ctid(2)


def test_condition_with_credit_value_is_credits_from_targets() -> None:
    def course(n: int, credits: float) -> dict[str, Any]:
        value = {"@type": "ceterms:ValueProfile", "schema:value": credits}
        return record(n, "ceterms:Course", ceterms__creditValue=[value])

    goal = record(
        1,
        ceterms__requires={
            "@type": "ceterms:ConditionProfile",
            "ceterms:creditValue": {"@type": "ceterms:ValueProfile", "schema:value": 6},
            "ceterms:targetLearningOpportunity": [iri(2), iri(3), iri(4)],
        },
    )
    catalog = catalog_of(graph(goal, course(2, 3), course(3, 3), course(4, 4)))
    assert catalog.credential(ctid(1)).requires == CreditsFrom.model_validate(
        {"credits": 6, "from": [ctid(2), ctid(3), ctid(4)]}
    )
    assert catalog.credential(ctid(4)).credits == 4


def test_unreachable_credit_sum_falls_back_to_all_with_a_note() -> None:
    goal = record(
        1,
        ceterms__requires={
            "@type": "ceterms:ConditionProfile",
            "ceterms:creditValue": {"@type": "ceterms:ValueProfile", "schema:value": 30},
            "ceterms:targetCredential": [iri(2), iri(3)],
        },
    )
    result = run(graph(goal, record(2), record(3)))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(1)).requires == AllOf(all=(ctid(2), ctid(3)))
    assert any("credit values not given" in n for n in reasons(result))


def test_text_only_conditions_are_reported_not_planned() -> None:
    goal = record(
        1,
        ceterms__requires={
            "@type": "ceterms:ConditionProfile",
            "ceterms:condition": ["Must be 18"],
            "ceterms:yearsOfExperience": 2,
        },
    )
    result = run(graph(goal))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(1)).requires is None
    notes = reasons(result)
    assert any("condition in words cannot be checked" in n for n in notes)
    assert any("years of experience" in n for n in notes)


def test_costs_normalise_currency_names_and_sum_distinct_costs() -> None:
    costs = [
        {
            "@type": "ceterms:CostProfile",
            "ceterms:price": 100,
            "ceterms:currency": "US Dollar",
            "ceterms:directCostType": "costType:Application",
        },
        {
            "@type": "ceterms:CostProfile",
            "ceterms:price": 900.5,
            "ceterms:currency": "USD",
            "ceterms:directCostType": {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNode": "costType:Tuition",
            },
        },
        {
            "@type": "ceterms:CostProfile",
            "ceterms:price": 50,
            "ceterms:currency": "usd",
            "ceterms:directCostType": "costType:ReexaminationFee",
        },
    ]
    result = run(graph(record(1, ceterms__estimatedCost=costs)))
    assert result.catalog is not None
    assert result.catalog.currency == "USD"
    assert result.catalog.credential(ctid(1)).cost == 1000.5
    assert any("re-examination fee" in n for n in reasons(result))


def test_aggregate_cost_is_not_double_counted() -> None:
    costs = [
        {
            "@type": "ceterms:CostProfile",
            "ceterms:price": 4485,
            "ceterms:currency": "US Dollar",
            "ceterms:directCostType": "costType:AggregateCost",
        },
        {
            "@type": "ceterms:CostProfile",
            "ceterms:price": 995,
            "ceterms:currency": "US Dollar",
            "ceterms:directCostType": "costType:Tuition",
        },
    ]
    result = run(graph(record(1, ceterms__estimatedCost=costs)))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(1)).cost == 4485
    assert any("included in the aggregate" in n for n in reasons(result))


def test_alternative_costs_of_one_type_take_the_highest() -> None:
    costs = [
        {
            "@type": "ceterms:CostProfile",
            "ceterms:name": "In-state",
            "ceterms:price": 1535,
            "ceterms:currency": "USD",
            "ceterms:directCostType": "costType:Tuition",
        },
        {
            "@type": "ceterms:CostProfile",
            "ceterms:name": "Out-of-state",
            "ceterms:price": 5886,
            "ceterms:currency": "USD",
            "ceterms:directCostType": "costType:Tuition",
        },
    ]
    catalog = catalog_of(graph(record(1, ceterms__estimatedCost=costs)))
    assert catalog.credential(ctid(1)).cost == 5886


def test_catalogue_currency_is_the_most_used_and_others_are_skipped() -> None:
    def priced(n: int, currency: str) -> dict[str, Any]:
        cost = {"@type": "ceterms:CostProfile", "ceterms:price": 10, "ceterms:currency": currency}
        return record(n, ceterms__estimatedCost=[cost])

    result = run(graph(priced(1, "Pound Sterling"), priced(2, "GBP"), priced(3, "Euro")))
    assert result.catalog is not None
    assert result.catalog.currency == "GBP"
    assert result.catalog.credential(ctid(3)).cost == 0
    assert any("cannot be converted" in n for n in reasons(result))


@pytest.mark.parametrize(
    ("text", "weeks", "hours"),
    [
        ("P2Y1M3W5D", 113, 0.0),
        ("P9M", 39, 0.0),
        ("P4W", 4, 0.0),
        ("PT160H", 0, 160.0),
        ("P1Y2M3W4DT5H6M", 65, 5.1),
        ("P0.5W", 1, 0.0),
    ],
)
def test_iso_durations(text: str, weeks: int, hours: float) -> None:
    duration = parse_duration(text)
    assert duration.whole_weeks == weeks
    assert duration.hours == pytest.approx(hours)


@pytest.mark.parametrize("bad", ["9 months", "P", "PT", "P1H", "P-1W", ""])
def test_bad_durations_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_duration(bad)


def test_durations_give_weeks_and_hours() -> None:
    durations = [
        {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "P2Y1M3W5D"},
        {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "PT160H"},
    ]
    credential = catalog_of(graph(record(1, ceterms__estimatedDuration=durations))).credential(
        ctid(1)
    )
    assert (credential.duration_weeks, credential.effort_hours) == (113, 160)


def test_duration_range_uses_the_maximum_with_a_note() -> None:
    durations = {
        "@type": "ceterms:DurationProfile",
        "ceterms:minimumDuration": "P2Y",
        "ceterms:maximumDuration": "P3Y",
    }
    result = run(graph(record(1, ceterms__estimatedDuration=durations)))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(1)).duration_weeks == 156
    assert any("the maximum P3Y is used" in n for n in reasons(result))


def test_credit_value_on_a_course() -> None:
    value = {
        "@type": "ceterms:ValueProfile",
        "schema:value": 3,
        "ceterms:creditUnitType": "creditUnit:SemesterHour",
    }
    catalog = catalog_of(graph(record(1, "ceterms:Course", ceterms__creditValue=value)))
    assert catalog.credential(ctid(1)).credits == 3


def test_owner_then_offerer_becomes_the_provider() -> None:
    org = {
        "@id": iri(9),
        "@type": "ceterms:CredentialOrganization",
        "ceterms:name": {"en": "Org"},
        "ceterms:accreditedBy": iri(8),
    }
    owned = record(1, ceterms__ownedBy=[iri(9)], ceterms__offeredBy=[iri(7)])
    offered = record(2, ceterms__offeredBy=[{"@id": iri(9)}])
    result = run(graph(org, owned, offered))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(1)).provider == ctid(9)
    assert result.catalog.credential(ctid(2)).provider == ctid(9)
    provider = result.catalog.providers_by_id[ctid(9)]
    assert (provider.name, provider.recognition.value) == ("Org", "accredited")


def test_unknown_owner_becomes_an_unverified_placeholder_provider() -> None:
    result = run(graph(record(1, ceterms__ownedBy="https://example.org/orgs/unknown")))
    assert result.catalog is not None
    provider = result.catalog.provider_of(result.catalog.credential(ctid(1)))
    assert provider is not None
    assert provider.recognition.value == "unverified"
    assert any("not described in the imported files" in n for n in reasons(result))


@pytest.mark.parametrize(
    ("nodes", "delivery"),
    [
        (["deliveryType:OnlineOnly"], Delivery.ONLINE),
        (["deliveryType:InPerson"], Delivery.IN_PERSON),
        (["deliveryType:BlendedDelivery"], Delivery.HYBRID),
        (["deliveryType:OnlineOnly", "deliveryType:InPerson"], Delivery.HYBRID),
    ],
)
def test_delivery_types(nodes: list[str], delivery: Delivery) -> None:
    values = [
        {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": n} for n in nodes
    ]
    catalog = catalog_of(graph(record(1, ceterms__deliveryType=values)))
    assert catalog.credential(ctid(1)).delivery is delivery


def test_ctids_and_registry_urls_match_case_insensitively() -> None:
    goal = record(
        1,
        ceterms__requires={
            "@type": "ceterms:ConditionProfile",
            "ceterms:targetCredential": [
                iri(2)
                .upper()
                .replace(
                    "HTTPS://CREDENTIALENGINEREGISTRY.ORG", "https://credentialengineregistry.org"
                ),
                f"https://credentialengineregistry.org/graph/{ctid(3).upper()}",
            ],
        },
    )
    catalog = catalog_of(graph(goal, record(2), record(3)))
    assert catalog.credential(ctid(1)).requires == AllOf(all=(ctid(2), ctid(3)))
    assert len(catalog.credentials) == 3  # no placeholders: every reference resolved


def test_unresolved_reference_becomes_a_placeholder_credential() -> None:
    goal = record(
        1,
        ceterms__requires={"@type": "ceterms:ConditionProfile", "ceterms:targetCredential": iri(5)},
    )
    result = run(graph(goal))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(5)).name.startswith("Unresolved reference")
    assert result.report.read["(unresolved reference)"] == 1


def test_expanded_json_ld_reads_like_compacted() -> None:
    terms = "https://purl.org/ctdl/terms/"
    expanded = [
        {
            "@id": iri(1),
            "@type": [terms + "Certification"],
            terms + "name": [
                {"@value": "Expanded", "@language": "en"},
                {"@value": "Étendu", "@language": "fr"},
            ],
            terms + "requires": [
                {
                    "@type": [terms + "ConditionProfile"],
                    terms + "targetCredential": [{"@id": iri(2)}],
                }
            ],
            terms + "estimatedCost": [
                {
                    "@type": [terms + "CostProfile"],
                    terms + "price": [{"@value": 12}],
                    terms + "currency": [{"@value": "USD"}],
                }
            ],
        },
        {"@id": iri(2), "@type": [terms + "Badge"], terms + "name": [{"@value": "Other"}]},
    ]
    compacted = graph(
        record(
            1,
            name="Expanded",
            ceterms__requires={
                "@type": "ceterms:ConditionProfile",
                "ceterms:targetCredential": iri(2),
            },
            ceterms__estimatedCost={
                "@type": "ceterms:CostProfile",
                "ceterms:price": 12,
                "ceterms:currency": "USD",
            },
        ),
        record(2, "ceterms:Badge", name="Other"),
    )
    one = catalog_of(expanded)
    two = catalog_of(compacted)
    assert one.credentials == two.credentials
    assert one.credential(ctid(1)).name == "Expanded"


def test_single_record_envelope_and_string_envelope() -> None:
    single = {"@context": "x", **record(1)}
    envelope = {"envelope_ceterms_ctid": ctid(2), "decoded_resource": graph(record(2))}
    text_envelope = {"decoded_resource": json.dumps(graph(record(3)))}
    catalog = catalog_of(single, [envelope, text_envelope])
    assert [c.id for c in catalog.credentials] == [ctid(1), ctid(2), ctid(3)]


def test_byte_order_mark_is_accepted(tmp_path: Any) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(graph(record(1))).encode())
    result = import_ctdl_files([path])
    assert result.catalog is not None
    assert result.report.ok


def test_the_fuller_of_two_descriptions_of_a_record_is_kept() -> None:
    stub = {"@id": iri(1), "@type": "ceterms:Certification"}
    full = record(1, name="Full")
    catalog = catalog_of(graph(stub), graph(full))
    assert [c.name for c in catalog.credentials] == ["Full"]


def test_every_ctdl_credential_class_is_mapped(shared_data: Any) -> None:
    schema = json.loads((shared_data / "ctdl/schema/ctdl-schema.json").read_text(encoding="utf-8"))
    parents = {
        n["@id"]: n.get("rdfs:subClassOf", [])
        for n in schema["@graph"]
        if n["@type"] == "rdfs:Class"
    }

    def is_credential(name: str) -> bool:
        return name == "ceterms:Credential" or any(is_credential(p) for p in parents.get(name, []))

    classes = {name.split(":", 1)[1] for name in parents if is_credential(name)}
    assert classes == set(CREDENTIAL_KINDS)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("US Dollar", "USD"),
        ("U.S. Dollar", "USD"),
        ("usd", "USD"),
        ("Pound Sterling", "GBP"),
        ("Euro", "EUR"),
        ("€", "EUR"),
    ],
)
def test_currency_names(text: str, code: str) -> None:
    assert normalise_currency(text) == code


def test_unknown_currency_is_reported() -> None:
    cost = {"@type": "ceterms:CostProfile", "ceterms:price": 10, "ceterms:currency": "Doubloons"}
    result = run(graph(record(1, ceterms__estimatedCost=cost)))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(1)).cost == 0
    assert any("unknown currency 'Doubloons'" in n for n in reasons(result))
