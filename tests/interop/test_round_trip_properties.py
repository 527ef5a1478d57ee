"""Property: any catalogue comes back identical from CTDL and from CSV.

Generated catalogues use every field. Two normalisations the formats cannot tell apart are
avoided: a group with a single option (CTDL reads it back as that option, the same meaning)
and a credit-list item without its own credit value written as an object (it is the plain id).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathplanner.catalog import CatalogError, check_catalog_data
from pathplanner.interop.csv_catalog import catalog_to_csv, import_csv_text
from pathplanner.interop.ctdl_export import catalog_to_ctdl
from pathplanner.interop.ctdl_import import import_ctdl
from tests.conftest import catalog_dict

ID_TEXT = st.text(alphabet="abcXYZ019 -_,():\"'/é", min_size=1, max_size=8).filter(
    lambda s: s.strip() == s
)
NAME = st.text(alphabet='abc XYZ,;"é\n', min_size=1, max_size=12).map(str.strip).filter(bool)
NUMBER = st.one_of(
    st.integers(0, 5000).map(float), st.floats(0, 5000, allow_nan=False).map(lambda x: round(x, 3))
)


def requirement(refs: list[str]) -> st.SearchStrategy[Any]:
    leaf = st.sampled_from(refs)

    def groups(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        options = st.lists(
            children, min_size=2, max_size=3, unique_by=lambda r: json.dumps(r, sort_keys=True)
        )
        all_of = options.map(lambda o: {"all": o})
        any_of = options.flatmap(
            lambda o: st.integers(1, len(o)).map(lambda k: {"any": o, "count": k})
        )
        items = st.lists(
            st.one_of(
                leaf,
                st.builds(lambda r, c: {"id": r, "credits": c}, leaf, st.integers(1, 9).map(float)),
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda i: i if isinstance(i, str) else i["id"],
        )
        credits = items.map(lambda i: {"credits": 1.0, "from": i})
        return st.one_of(all_of, any_of, credits)

    return st.recursive(leaf, groups, max_leaves=6)


@st.composite
def catalogues(draw: st.DrawFn) -> dict[str, Any]:
    ids = draw(st.lists(ID_TEXT, min_size=1, max_size=5, unique=True))
    providers = [
        {
            "id": "p",
            "name": draw(NAME),
            "recognition": draw(
                st.sampled_from(["accredited", "industry", "employer", "unverified"])
            ),
        }
    ]
    skills = [{"id": "s", "name": draw(NAME), "framework": draw(st.none() | NAME)}]
    credentials = []
    for index, credential_id in enumerate(ids):
        record: dict[str, Any] = {
            "id": credential_id,
            "name": draw(NAME),
            "kind": draw(
                st.sampled_from(
                    [
                        "badge",
                        "micro-credential",
                        "certificate",
                        "certification",
                        "license",
                        "diploma",
                        "associate",
                        "bachelor",
                        "master",
                        "doctorate",
                        "other",
                    ]
                )
            ),
            "cost": draw(NUMBER),
            "effort_hours": draw(NUMBER),
            "duration_weeks": draw(st.integers(0, 200)),
            "credits": draw(NUMBER) + 9,
            "delivery": draw(st.sampled_from(["online", "in_person", "hybrid"])),
        }
        if draw(st.booleans()):
            record["provider"] = "p"
        if draw(st.booleans()):
            record["skills"] = ["s"]
        if draw(st.booleans()):
            record["start_dates"] = draw(
                st.lists(
                    st.sampled_from(["2026-01-05", "2026-09-07", "2027-02-01"]),
                    max_size=2,
                    unique=True,
                )
            )
        if draw(st.booleans()):
            record["description"] = draw(NAME)
        earlier = ids[:index]
        if earlier and draw(st.booleans()):
            record["requires"] = draw(requirement(earlier))
        if earlier and draw(st.booleans()):
            record["credits_required"] = 30.0
            record["per_credit"] = {"price": draw(NUMBER), "hours": 2.0, "weeks": 0.5}
            record["transfer"] = [earlier[0]]
        credentials.append(record)
    return catalog_dict(
        credentials, providers=providers, skills=skills, currency="EUR", name=draw(NAME)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues())
def test_any_catalogue_round_trips(data: dict[str, Any]) -> None:
    try:
        catalog = check_catalog_data(data).catalog
    except CatalogError:
        return  # e.g. a credit sum the generated values cannot reach: not a catalogue
    document = json.loads(json.dumps(catalog_to_ctdl(catalog)))
    assert import_ctdl([("export.json", document)]).catalog == catalog
    assert import_csv_text(catalog_to_csv(catalog)).catalog == catalog
