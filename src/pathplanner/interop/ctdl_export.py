"""A catalogue (or the part of it leading to one goal) as CTDL JSON-LD: a ``ceterms:Pathway``
whose ``ceterms:CredentialComponent`` s stand for the credentials and carry the requirements
as ``ceterms:ComponentCondition`` s.

Standard CTDL carries names, classes, owners, costs, durations, credit values, delivery types
and the conditions; what CTDL has no term for (credit blocks, transfer lists, intake dates,
provider recognition, skills of a credential) is written under the ``pathplanner:`` prefix
(``urn:pathplanner:terms:``) so that :mod:`pathplanner.interop.ctdl_import` reads an export
back into the identical catalogue. See ``docs/interop.md``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from pathplanner.catalog import write_text_atomic
from pathplanner.interop.ctdl_values import KIND_CLASSES, format_weeks
from pathplanner.interop.jsonld import CTID
from pathplanner.model import (
    AllOf,
    AnyOf,
    Catalog,
    Credential,
    CreditItem,
    Delivery,
    Kind,
    Requirement,
    item_id,
    requirement_refs,
)

CONTEXT = {
    "ceterms": "https://purl.org/ctdl/terms/",
    "ceasn": "https://purl.org/ctdlasn/terms/",
    "schema": "https://schema.org/",
    "deliveryType": "https://purl.org/ctdl/vocabs/deliveryType/",
    "costType": "https://purl.org/ctdl/vocabs/costType/",
    "pathplanner": "urn:pathplanner:terms:",
}
REGISTRY_RESOURCES = "https://credentialengineregistry.org/resources/"
_DELIVERY = {
    Delivery.ONLINE: "deliveryType:OnlineOnly",
    Delivery.IN_PERSON: "deliveryType:InPerson",
    Delivery.HYBRID: "deliveryType:BlendedDelivery",
}


def catalog_to_ctdl(
    catalog: Catalog, *, goal: str | None = None, only: Iterable[str] | None = None
) -> dict[str, Any]:
    """The catalogue as a CTDL ``@graph``. With ``goal``: only what can lead to it, and the
    pathway's destination is the goal. With ``only``: those credentials and what they need."""
    credentials = list(catalog.credentials)
    subset = goal is not None or only is not None
    if subset:
        keep = _needed_for(catalog, [*([goal] if goal is not None else []), *(only or ())])
        credentials = [c for c in credentials if c.id in keep]
    providers = {c.provider for c in credentials}
    skills = {s for c in credentials for s in c.skills}
    graph: list[dict[str, Any]] = []
    for provider in catalog.providers:
        if not subset or provider.id in providers:
            node: dict[str, Any] = {
                "@id": _iri("provider", provider.id),
                "@type": "ceterms:CredentialOrganization",
                "ceterms:name": {"en": provider.name},
                "pathplanner:recognition": provider.recognition.value,
            }
            _add_ctid(node, provider.id)
            if provider.url:
                node["ceterms:subjectWebpage"] = provider.url
            graph.append(node)
    for skill in catalog.skills:
        if not subset or skill.id in skills:
            node = {
                "@id": _iri("skill", skill.id),
                "@type": "ceasn:Competency",
                "ceasn:competencyLabel": {"en": skill.name},
            }
            _add_ctid(node, skill.id)
            if skill.framework:
                node["pathplanner:framework"] = skill.framework
            if skill.url:
                node["pathplanner:url"] = skill.url
            graph.append(node)
    graph.extend(_credential_node(c, catalog.currency) for c in credentials)
    components = [_component(c) for c in credentials]
    graph.extend(components)
    pathway: dict[str, Any] = {
        "@id": f"urn:pathplanner:pathway:{quote(catalog.name, safe='')}",
        "@type": "ceterms:Pathway",
        "ceterms:name": {"en": catalog.name},
        "ceterms:hasPart": [c["@id"] for c in components],
        "pathplanner:currency": catalog.currency,
    }
    if goal is not None:
        pathway["ceterms:hasDestinationComponent"] = _component_iri(goal)
    graph.append(pathway)
    return {"@context": CONTEXT, "@graph": graph}


class _Request(Protocol):
    @property
    def goal(self) -> str | None: ...


class _Step(Protocol):
    @property
    def id(self) -> str: ...


class PlanLike(Protocol):
    @property
    def request(self) -> _Request: ...
    @property
    def steps(self) -> Sequence[_Step]: ...


def plan_to_ctdl(plan: PlanLike, catalog: Catalog) -> dict[str, Any]:
    """A plan's pathway: its goal as the destination (a skills plan has none), the planned
    credentials and what they require, with every alternative the requirements name."""
    return catalog_to_ctdl(catalog, goal=plan.request.goal, only=[s.id for s in plan.steps])


def ctdl_json(catalog: Catalog, *, goal: str | None = None) -> str:
    return json.dumps(catalog_to_ctdl(catalog, goal=goal), indent=2, ensure_ascii=False) + "\n"


def export_ctdl(catalog: Catalog, path: str | os.PathLike[str], *, goal: str | None = None) -> None:
    """Write the CTDL JSON-LD atomically."""
    write_text_atomic(Path(path), ctdl_json(catalog, goal=goal))


def _needed_for(catalog: Catalog, roots: Iterable[str]) -> set[str]:
    """The roots and everything their requirements and transfer lists name, transitively."""
    pending = list(roots)
    for root in pending:
        catalog.credential(root)  # KeyError naming an unknown id
    keep = set(pending)
    while pending:
        credential = catalog.credential(pending.pop())
        for ref in [
            *requirement_refs(credential.requires),
            *(item_id(i) for i in credential.transfer),
        ]:
            if ref not in keep:
                keep.add(ref)
                pending.append(ref)
    return keep


def _iri(kind: str, identifier: str) -> str:
    if CTID.fullmatch(identifier) and identifier == identifier.lower():
        return REGISTRY_RESOURCES + identifier
    return f"urn:pathplanner:{kind}:{quote(identifier, safe='')}"


def _component_iri(identifier: str) -> str:
    return f"urn:pathplanner:component:{quote(identifier, safe='')}"


def _add_ctid(node: dict[str, Any], identifier: str) -> None:
    if node["@id"].startswith(REGISTRY_RESOURCES):
        node["ceterms:ctid"] = identifier


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _hours(value: float) -> str:
    """``PT40.5H``; the shortest decimal that reads back as the same float (no exponent)."""
    text = repr(value)
    if "e" in text:
        text = f"{value:.20f}".rstrip("0").rstrip(".")
    return f"PT{text}H"


def _credential_node(credential: Credential, currency: str) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": _iri("credential", credential.id),
        "@type": f"ceterms:{KIND_CLASSES[credential.kind]}",
        "ceterms:name": {"en": credential.name},
    }
    _add_ctid(node, credential.id)
    if credential.kind is Kind.OTHER:
        node["pathplanner:kind"] = credential.kind.value
    if credential.description:
        node["ceterms:description"] = {"en": credential.description}
    if credential.url:
        node["ceterms:subjectWebpage"] = credential.url
    if credential.provider:
        node["ceterms:ownedBy"] = [_iri("provider", credential.provider)]
    # Always written, so that a cost of 0 reads back as given rather than as unknown.
    node["ceterms:estimatedCost"] = [
        {
            "@type": "ceterms:CostProfile",
            "ceterms:price": _number(credential.cost),
            "ceterms:currency": currency,
            "ceterms:directCostType": {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNode": "costType:AggregateCost",
            },
        }
    ]
    durations: list[dict[str, Any]] = [
        {
            "@type": "ceterms:DurationProfile",
            "ceterms:exactDuration": format_weeks(credential.duration_weeks),
        }
    ]
    if credential.effort_hours:
        durations.append(
            {
                "@type": "ceterms:DurationProfile",
                "ceterms:exactDuration": _hours(credential.effort_hours),
            }
        )
    node["ceterms:estimatedDuration"] = durations
    if credential.credits:
        node["ceterms:creditValue"] = [
            {"@type": "ceterms:ValueProfile", "schema:value": _number(credential.credits)}
        ]
    node["ceterms:deliveryType"] = [
        {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:targetNode": _DELIVERY[credential.delivery],
        }
    ]
    if credential.start_dates is not None:
        node["pathplanner:startDate"] = [d.isoformat() for d in credential.start_dates]
    if credential.skills:
        node["pathplanner:skill"] = [_iri("skill", s) for s in credential.skills]
    if credential.credits_required is not None:
        node["pathplanner:creditsRequired"] = _number(credential.credits_required)
    if credential.transfer_max is not None:
        node["pathplanner:transferMax"] = _number(credential.transfer_max)
    if credential.per_credit is not None:
        node["pathplanner:perCredit"] = {
            "pathplanner:price": _number(credential.per_credit.price),
            "pathplanner:hours": _number(credential.per_credit.hours),
            "pathplanner:weeks": _number(credential.per_credit.weeks),
        }
    if credential.transfer:
        node["pathplanner:transferFrom"] = [_transfer_item(i) for i in credential.transfer]
    if credential.source:
        node["pathplanner:sourceRecord"] = credential.source
    return node


def _transfer_item(item: str | CreditItem) -> Any:
    if isinstance(item, str) or item.credits is None:
        return _iri("credential", item_id(item))
    return {"@id": _iri("credential", item.id), "pathplanner:credits": _number(item.credits)}


def _component(credential: Credential) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@id": _component_iri(credential.id),
        "@type": "ceterms:CredentialComponent",
        "ceterms:name": {"en": credential.name},
        "ceterms:proxyFor": _iri("credential", credential.id),
        "ceterms:credentialType": f"ceterms:{KIND_CLASSES[credential.kind]}",
    }
    if credential.requires is not None:
        node["ceterms:hasCondition"] = [_condition(credential.requires)]
    return node


def _condition(requirement: Requirement) -> dict[str, Any]:
    """A requirement as a ComponentCondition: a group's options as target components (when
    all are credentials) or nested conditions (kept in order); ``any`` with requiredNumber;
    credit sums as a Constraint on the sum of credit values."""
    condition: dict[str, Any] = {"@type": "ceterms:ComponentCondition"}
    if isinstance(requirement, str):
        condition["ceterms:targetComponent"] = [_component_iri(requirement)]
        return condition
    if isinstance(requirement, AllOf | AnyOf):
        options = requirement.all if isinstance(requirement, AllOf) else requirement.any
        if isinstance(requirement, AnyOf):
            condition["ceterms:requiredNumber"] = requirement.count
            condition["ceterms:description"] = {"en": f"{requirement.count} of {len(options)}"}
        if all(isinstance(option, str) for option in options):
            condition["ceterms:targetComponent"] = [_component_iri(str(o)) for o in options]
        else:
            condition["ceterms:hasCondition"] = [_condition(o) for o in options]
        return condition
    condition["ceterms:targetComponent"] = [_component_iri(item_id(i)) for i in requirement.from_]
    condition["ceterms:hasConstraint"] = [
        {
            "@type": "ceterms:Constraint",
            "ceterms:leftSource": ["ceterms:creditValue"],
            "ceterms:leftAction": "arrayOperation:Sum",
            "ceterms:comparator": "comparator:greaterThanOrEqual",
            "ceterms:rightSource": [_number(requirement.credits)],
        }
    ]
    overrides = [
        i for i in requirement.from_ if isinstance(i, CreditItem) and i.credits is not None
    ]
    if overrides:
        condition["pathplanner:creditOverride"] = [
            {"@id": _component_iri(i.id), "pathplanner:credits": _number(i.credits or 0.0)}
            for i in overrides
        ]
    return condition
