"""Arbitrary JSON shaped like CTDL never crashes an import: a result with a report, always."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathplanner.interop.csv_catalog import import_csv_text
from pathplanner.interop.ctdl_import import import_ctdl
from pathplanner.interop.openbadges import read_badge_bytes
from pathplanner.requirement_text import (
    RequirementSyntaxError,
    parse_requirement_text,
    requirement_text,
)

KEYS = [
    "@id",
    "@type",
    "@graph",
    "@value",
    "@language",
    "id",
    "type",
    "ceterms:name",
    "ceterms:requires",
    "ceterms:targetCredential",
    "ceterms:alternativeCondition",
    "ceterms:hasCondition",
    "ceterms:requiredNumber",
    "ceterms:targetComponent",
    "ceterms:estimatedCost",
    "ceterms:price",
    "ceterms:currency",
    "ceterms:estimatedDuration",
    "ceterms:exactDuration",
    "ceterms:creditValue",
    "schema:value",
    "ceterms:ownedBy",
    "ceterms:proxyFor",
    "ceterms:hasDestinationComponent",
    "ceterms:deliveryType",
    "ceterms:hasConstraint",
    "ceterms:leftSource",
    "ceterms:rightSource",
    "ceterms:ctid",
    "decoded_resource",
    "en",
    "en-US",
    "credentialSubject",
    "achievement",
    "alignment",
    "targetCode",
]
TYPES = [
    "ceterms:Certification",
    "ceterms:Course",
    "ceterms:ConditionProfile",
    "ceterms:ComponentCondition",
    "ceterms:Pathway",
    "ceterms:CredentialComponent",
    "ceterms:CredentialOrganization",
    "ceasn:Competency",
    "ceterms:CostProfile",
    "ceterms:DurationProfile",
    "OpenBadgeCredential",
    "VerifiableCredential",
]
IDS = [
    "_:a",
    "_:b",
    "ce-00000000-0000-4000-8000-000000000001",
    "CE-00000000-0000-4000-8000-000000000001",
    "urn:pathplanner:credential:x",
    "urn:pathplanner:component:x",
    "https://r/resources/ce-00000000-0000-4000-8000-000000000002",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        IDS + TYPES + ["P9M", "PT3H", "US Dollar", "xyz", "", "costType:AggregateCost"]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
    ),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(JSON, min_size=1, max_size=3))
def test_ctdl_import_never_crashes(documents: list[Any]) -> None:
    result = import_ctdl([(f"f{i}.json", d) for i, d in enumerate(documents)])
    assert (result.catalog is not None) == result.report.ok
    assert result.report.ok or result.report.errors


@settings(max_examples=100, deadline=None)
@given(JSON)
def test_badge_reading_never_crashes(document: Any) -> None:
    try:
        read_badge_bytes(json.dumps(document).encode(), "fuzz.json")
    except ValueError as exc:  # BadgeError, InputError: a readable message naming the file
        message = str(exc)
    else:
        return
    assert message.startswith("fuzz.json")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab ,():"0123456789.all ofanycreditsfrom-\n', max_size=40))
def test_requirement_text_either_parses_or_says_where(text: str) -> None:
    try:
        requirement = parse_requirement_text(text)
    except RequirementSyntaxError as exc:
        position = exc.position
    else:
        assert requirement is None or parse_requirement_text(requirement_text(requirement)) == (
            requirement
        )
        return
    assert 1 <= position <= len(text) + 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='ab,"\n\r;:()0123456789 ', max_size=80))
def test_csv_import_never_crashes(body: str) -> None:
    result = import_csv_text("id,name,kind,requires,cost,transfer\n" + body)
    assert (result.catalog is not None) == result.report.ok
