"""Pathways: destination, components, ComponentConditions (requiredNumber, nesting,
missing requiredNumber, credit constraints), proxies and loops."""

from __future__ import annotations

from typing import Any

from pathplanner.model import AllOf, AnyOf, CreditsFrom, Kind
from tests.interop.helpers import catalog_of, ctid, graph, iri, reasons, record, run


def component(n: int, type_: str = "ceterms:CourseComponent", **props: Any) -> dict[str, Any]:
    return record(n, type_, name=f"Component {n}", **props)


def condition(*targets: int, required: int | None = None, **props: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "ceterms:ComponentCondition",
        "ceterms:targetComponent": [iri(t) for t in targets],
    }
    if required is not None:
        node["ceterms:requiredNumber"] = required
    node.update({k.replace("__", ":"): v for k, v in props.items()})
    return node


def pathway(destination: int, *parts: int) -> dict[str, Any]:
    return {
        "@id": iri(100),
        "@type": "ceterms:Pathway",
        "ceterms:name": {"en": "Path"},
        "ceterms:hasDestinationComponent": iri(destination),
        "ceterms:hasPart": [iri(p) for p in parts],
    }


def test_required_number_is_any_k_and_missing_means_all() -> None:
    goal = component(
        1,
        "ceterms:CredentialComponent",
        ceterms__hasCondition=[condition(2, 3, 4, required=2), condition(5, 6)],
    )
    catalog = catalog_of(
        graph(pathway(1, 1, 2, 3, 4, 5, 6), goal, *(component(n) for n in range(2, 7)))
    )
    # Several conditions on one component are all required (nested "all of" merges).
    assert catalog.credential(ctid(1)).requires == AllOf(
        all=(AnyOf(any=(ctid(2), ctid(3), ctid(4)), count=2), ctid(5), ctid(6))
    )


def test_nested_conditions_count_as_options() -> None:
    nested = condition(
        2, required=1, ceterms__hasCondition=[condition(3, 4), condition(5, required=1)]
    )
    goal = component(1, ceterms__hasCondition=nested)
    catalog = catalog_of(graph(goal, *(component(n) for n in range(2, 6))))
    assert catalog.credential(ctid(1)).requires == AnyOf(
        any=(ctid(2), AllOf(all=(ctid(3), ctid(4))), ctid(5)), count=1
    )


def test_credit_constraint_is_credits_from() -> None:
    constraint = {
        "@type": "ceterms:Constraint",
        "ceterms:leftSource": ["ceterms:creditValue"],
        "ceterms:leftAction": "arrayOperation:Sum",
        "ceterms:comparator": "comparator:greaterThanOrEqual",
        "ceterms:rightSource": ["6"],
    }

    def course(n: int) -> dict[str, Any]:
        return component(
            n, ceterms__creditValue={"@type": "ceterms:ValueProfile", "schema:value": 3}
        )

    goal = component(1, ceterms__hasCondition=condition(2, 3, 4, ceterms__hasConstraint=constraint))
    catalog = catalog_of(graph(goal, course(2), course(3), course(4)))
    assert catalog.credential(ctid(1)).requires == CreditsFrom.model_validate(
        {"credits": 6, "from": [ctid(2), ctid(3), ctid(4)]}
    )


def test_destination_is_reported_and_component_kinds_follow_credential_type() -> None:
    goal = component(
        1,
        "ceterms:CredentialComponent",
        ceterms__credentialType="ceterms:BachelorDegree",
        ceterms__hasCondition=condition(2),
    )
    result = run(graph(pathway(1, 1, 2), goal, component(2, "ceterms:AssessmentComponent")))
    assert result.catalog is not None
    assert result.report.pathways == [{"id": ctid(100), "name": "Path", "destination": ctid(1)}]
    assert result.catalog.credential(ctid(1)).kind is Kind.BACHELOR
    assert result.catalog.credential(ctid(2)).kind is Kind.OTHER
    assert result.catalog.name == "test"


def test_component_standing_for_a_credential_merges_into_it() -> None:
    cert = record(10, "ceterms:Certification", name="Real")
    proxy = component(
        1,
        "ceterms:CredentialComponent",
        ceterms__proxyFor=iri(10),
        ceterms__hasCondition=condition(2),
    )
    prereq = component(2, "ceterms:CredentialComponent", ceterms__proxyFor=iri(11))
    catalog = catalog_of(graph(pathway(1, 1, 2), cert, record(11, name="Prereq"), proxy, prereq))
    assert {c.id for c in catalog.credentials} == {ctid(10), ctid(11)}
    assert catalog.credential(ctid(10)).requires == ctid(11)


def test_condition_loops_are_cut_with_a_note() -> None:
    loop: dict[str, Any] = {
        "@id": "_:c1",
        "@type": "ceterms:ComponentCondition",
        "ceterms:targetComponent": [iri(2)],
        "ceterms:hasCondition": ["_:c1"],
    }
    goal = component(1, ceterms__hasCondition="_:c1")
    result = run(graph(goal, component(2), loop))
    assert result.catalog is not None
    assert result.catalog.credential(ctid(1)).requires == ctid(2)
    assert any("refers back to itself" in n for n in reasons(result))


def test_requirement_cycles_between_records_are_broken_with_a_note() -> None:
    one = component(1, ceterms__hasCondition=condition(2))
    two = component(2, ceterms__hasCondition=condition(1))
    result = run(graph(one, two))
    assert result.catalog is not None, result.report.errors
    assert any("closed a cycle" in n for n in reasons(result))


def test_draft_encoding_reqnum_and_or() -> None:
    draft = {
        "@context": "x",
        "@graph": [
            {
                "id": iri(1),
                "type": "CredentialComponent",
                "hasCondition": {
                    "logicalOperand": "OR",
                    "hasCondition": [
                        {
                            "type": "ComponentCondition",
                            "leftOperand": "reqNum",
                            "operand": "=",
                            "rightOperand": 2,
                            "targetComponent": [iri(2), iri(3), iri(4)],
                        },
                        {
                            "type": "ComponentCondition",
                            "leftOperand": "reqNum",
                            "operand": "=",
                            "rightOperand": 1,
                            "targetComponent": iri(5),
                        },
                    ],
                },
            },
            *(
                {"id": iri(n), "type": "CourseComponent", "name": {"@en-US": f"Course {n}"}}
                for n in range(2, 6)
            ),
        ],
    }
    catalog = catalog_of(draft)
    assert catalog.credential(ctid(1)).requires == AnyOf(
        any=(AnyOf(any=(ctid(2), ctid(3), ctid(4)), count=2), ctid(5)), count=1
    )
    assert catalog.credential(ctid(3)).name == "Course 3"
