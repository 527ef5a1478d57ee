"""Every kind of bad catalogue file is rejected with a message naming file, record and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathplanner.catalog import (
    CatalogError,
    Problem,
    Severity,
    load_catalog,
    parse_catalog,
    save_catalog,
    write_text_atomic,
)
from tests.conftest import catalog_dict

WriteCatalog = Callable[..., Path]


def _problems(write_catalog: WriteCatalog, document: dict[str, Any] | str) -> list[Problem]:
    path = write_catalog(document)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    return caught.value.errors


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def _cred(cid: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.upper(), "kind": "certificate", **extra}


def test_valid_catalogue_loads(write_catalog: WriteCatalog) -> None:
    path = write_catalog(catalog_dict([_cred("a"), _cred("b", requires="a")]))
    loaded = load_catalog(path)
    assert [c.id for c in loaded.catalog.credentials] == ["a", "b"]
    assert loaded.warnings == []


def test_malformed_json_gives_line_and_column(write_catalog: WriteCatalog) -> None:
    problem = _only(_problems(write_catalog, '{\n  "format": "pathplanner-catalog",\n  "x": }'))
    assert problem.file == "catalog.json"
    assert "line 3, column 8" in problem.message


def test_nan_is_not_json(write_catalog: WriteCatalog) -> None:
    text = json.dumps(catalog_dict([_cred("a")])).replace('"kind"', '"cost": NaN, "kind"')
    assert "NaN" in _only(_problems(write_catalog, text)).message


def test_top_level_must_be_an_object(write_catalog: WriteCatalog) -> None:
    assert "JSON object" in _only(_problems(write_catalog, "[1, 2]")).message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("format", "something-else", "not a pathplanner catalogue"),
        ("format", None, "'format' is missing"),
        ("version", 2, "unsupported catalogue version 2"),
        ("version", "1", "unsupported catalogue version '1'"),
    ],
)
def test_wrong_format_or_version(
    write_catalog: WriteCatalog, field: str, value: Any, expected: str
) -> None:
    document = catalog_dict([_cred("a")])
    if value is None:
        del document[field]
    else:
        document[field] = value
    problem = _only(_problems(write_catalog, document))
    assert problem.field == field
    assert expected in problem.message


def test_missing_and_wrong_typed_fields_name_record_and_field(write_catalog: WriteCatalog) -> None:
    document = catalog_dict(
        [
            {"id": "a", "kind": "badge"},
            _cred("b", cost="300", duration_weeks=2.5, skills="python"),
        ]
    )
    problems = {(p.record, p.field): p.message for p in _problems(write_catalog, document)}
    assert problems == {
        ("credential 'a' (credentials[0])", "name"): "required field is missing",
        ("credential 'b' (credentials[1])", "cost"): "must be a number, found the string '300'",
        ("credential 'b' (credentials[1])", "duration_weeks"): "must be a whole number, found 2.5",
        ("credential 'b' (credentials[1])", "skills"): "must be a list, found the string 'python'",
    }


def test_unknown_enum_value_suggests_the_nearest(write_catalog: WriteCatalog) -> None:
    document = catalog_dict(
        [_cred("a", kind="certifcate", delivery="in-person", provider="p")],
        providers=[{"id": "p", "name": "P", "recognition": "acredited"}],
    )
    messages = {p.field: p.message for p in _problems(write_catalog, document)}
    assert messages["kind"].startswith("unknown value 'certifcate' (did you mean 'certificate'?)")
    assert "(did you mean 'in_person'?)" in messages["delivery"]
    assert "(did you mean 'accredited'?)" in messages["recognition"]


def test_unknown_field_suggests_the_nearest(write_catalog: WriteCatalog) -> None:
    problem = _only(_problems(write_catalog, catalog_dict([_cred("a", efort_hours=3)])))
    assert problem.field == "efort_hours"
    assert problem.message == "unknown field 'efort_hours' (did you mean 'effort_hours'?)"


def test_duplicate_ids(write_catalog: WriteCatalog) -> None:
    problem = _only(_problems(write_catalog, catalog_dict([_cred("a"), _cred("b"), _cred("a")])))
    assert problem.record == "credential 'a' (credentials[2])"
    assert problem.message == "duplicate id 'a': already used by credentials[0]"


def test_references_to_unknown_credentials_providers_and_skills(
    write_catalog: WriteCatalog,
) -> None:
    document = catalog_dict(
        [
            _cred("python-basics", provider="cours", skills=["sql"]),
            _cred(
                "b",
                requires={"all": ["python-basic"]},
                credits_required=30,
                transfer=[{"id": "zzz", "credits": 3}],
            ),
        ],
        providers=[{"id": "coursera", "name": "Coursera", "recognition": "industry"}],
        skills=[{"id": "python", "name": "Python"}],
    )
    problems = {(p.record, p.field): p.message for p in _problems(write_catalog, document)}
    assert problems == {
        (
            "credential 'python-basics' (credentials[0])",
            "provider",
        ): "unknown provider 'cours' (did you mean 'coursera'?)",
        ("credential 'python-basics' (credentials[0])", "skills[0]"): "unknown skill 'sql'",
        (
            "credential 'b' (credentials[1])",
            "requires.all[0]",
        ): "unknown credential 'python-basic' (did you mean 'python-basics'?)",
        ("credential 'b' (credentials[1])", "transfer[0].id"): "unknown credential 'zzz'",
    }


def test_count_larger_than_options(write_catalog: WriteCatalog) -> None:
    document = catalog_dict(
        [
            _cred("a"),
            _cred("b"),
            _cred("c", requires={"all": ["a", {"any": ["a", "b"], "count": 3}]}),
        ]
    )
    problem = _only(_problems(write_catalog, document))
    assert problem.field == "requires.all[1].count"
    assert problem.message == "count 3 is larger than the 2 options listed in 'any'"


def test_credit_requirement_no_combination_can_meet(write_catalog: WriteCatalog) -> None:
    document = catalog_dict(
        [
            _cred("a", credits=12),
            _cred("b", credits=3),
            _cred("c", requires={"credits": 30, "from": ["a", {"id": "b", "credits": 6}]}),
        ]
    )
    problem = _only(_problems(write_catalog, document))
    assert problem.field == "requires.credits"
    assert "needs 30 credits but all of 'from' together carry only 18" in problem.message


def test_cycle_is_printed_as_a_path(write_catalog: WriteCatalog) -> None:
    document = catalog_dict(
        [
            _cred("a", requires="c"),
            _cred("b", requires={"any": ["a"]}),
            _cred("c", credits_required=10, transfer=["b"]),
        ]
    )
    problem = _only(_problems(write_catalog, document))
    assert problem.record == "credential 'a' (credentials[0])"
    assert "a -> b -> c -> a" in problem.message
    assert "requires and transfer" in problem.message


def test_a_cycle_after_records_in_dependency_order_is_found(write_catalog: WriteCatalog) -> None:
    # records listed prerequisites first cannot form a cycle; the check must not stop there
    ordered = [_cred("a"), _cred("b", requires="a"), _cred("c", requires={"all": ["a", "b"]})]
    cycle = [_cred("x", requires="y", transfer=["c"], credits_required=5), _cred("y", requires="x")]
    problem = _only(_problems(write_catalog, catalog_dict([*ordered, *cycle])))
    assert problem.record == "credential 'x' (credentials[3])"
    assert "x -> y -> x" in problem.message


def test_a_cycle_among_records_out_of_order_is_found(write_catalog: WriteCatalog) -> None:
    records = [
        _cred("top", requires={"all": ["mid", "side"]}),
        _cred("side", requires="base"),
        _cred("mid", requires={"any": ["low", "side"]}),
        _cred("low", requires="base", credits=3),
        _cred("base", requires={"credits": 3, "from": ["low"]}),  # base -> low -> base
    ]
    problem = _only(_problems(write_catalog, catalog_dict(records)))
    assert problem.record == "credential 'low' (credentials[3])"
    assert "low -> base -> low" in problem.message


def test_a_cycle_through_a_repeated_id_is_found(write_catalog: WriteCatalog) -> None:
    # the last record of a repeated id names nothing; the first one closes the cycle
    records = [_cred("a", requires="b"), _cred("b", requires="a"), _cred("a")]
    problems = _problems(write_catalog, catalog_dict(records))
    assert [(p.record, p.field) for p in problems] == [
        ("credential 'a' (credentials[2])", "id"),
        ("credential 'b' (credentials[1])", ""),
    ]
    assert "b -> a -> b" in problems[1].message


def test_records_in_any_order_load_alike(write_catalog: WriteCatalog) -> None:
    records = [
        _cred("a", skills=["s"], credits=2),
        _cred("b", requires={"any": ["a", "lone"]}),
        _cred("c", requires={"credits": 3, "from": ["a", {"id": "b", "credits": 2}]}),
        _cred("d", credits_required=10, transfer=["c", "b"]),
        _cred("lone"),
        _cred("alone"),
    ]
    warnings = []
    for order in (records, records[::-1]):
        document = catalog_dict(order, skills=[{"id": "s", "name": "S"}, {"id": "t", "name": "T"}])
        loaded = load_catalog(write_catalog(document))
        warnings.append([(p.record.split(" (")[0], p.message) for p in loaded.warnings])
    assert warnings[0] == [
        ("credential 'alone'", "stacks into nothing and requires nothing (an isolated credential)"),
        ("skill 't'", "no credential teaches this skill"),
    ]
    assert warnings[1] == warnings[0]


def test_self_requirement_is_a_cycle(write_catalog: WriteCatalog) -> None:
    problem = _only(_problems(write_catalog, catalog_dict([_cred("a", requires="a")])))
    assert "a -> a" in problem.message


def test_dates_that_do_not_parse(write_catalog: WriteCatalog) -> None:
    document = catalog_dict([_cred("a", start_dates=["2027-02-30", "2027/03/01", "2027-03-01"])])
    problems = {p.field: p.message for p in _problems(write_catalog, document)}
    assert problems == {
        "start_dates[0]": "'2027-02-30' is not a valid date (YYYY-MM-DD)",
        "start_dates[1]": "'2027/03/01' is not a valid date (YYYY-MM-DD)",
    }


def test_a_bad_date_after_good_ones_is_reported_at_its_position(
    write_catalog: WriteCatalog,
) -> None:
    # A list of well-formed dates is converted in one step; any other list falls back to item
    # by item validation, which must still name each bad item's position.
    good = ["2027-01-04", "2027-04-05"]
    document = catalog_dict(
        [
            _cred("a", start_dates=[*good, "2027-1-4"]),
            _cred("b", start_dates=[*good, 20270104, "2027-13-01"]),
            _cred("c", start_dates=[*good, *good]),
        ]
    )
    problems = {(p.record, p.field): p.message for p in _problems(write_catalog, document)}
    assert problems == {
        ("credential 'a' (credentials[0])", "start_dates[2]"): (
            "'2027-1-4' is not a date in the form YYYY-MM-DD"
        ),
        ("credential 'b' (credentials[1])", "start_dates[2]"): "Input should be a valid date",
        ("credential 'b' (credentials[1])", "start_dates[3]"): (
            "'2027-13-01' is not a valid date (YYYY-MM-DD)"
        ),
    }


@pytest.mark.parametrize(
    "field",
    ["cost", "effort_hours", "duration_weeks", "credits", "credits_required", "transfer_max"],
)
def test_negative_numbers(write_catalog: WriteCatalog, field: str) -> None:
    extra: dict[str, Any] = {field: -1}
    if field == "transfer_max":
        extra["credits_required"] = 10
    problem = _only(_problems(write_catalog, catalog_dict([_cred("a", **extra)])))
    assert problem.field == field
    assert problem.message == "must not be negative, found -1"


def test_negative_per_credit_and_override(write_catalog: WriteCatalog) -> None:
    document = catalog_dict(
        [
            _cred("x"),
            _cred(
                "a",
                credits_required=10,
                per_credit={"price": -5},
                transfer=[{"id": "x", "credits": -2}],
            ),
        ]
    )
    fields = {p.field for p in _problems(write_catalog, document)}
    assert fields == {"per_credit.price", "transfer[0].credits"}


def test_credit_block_fields_need_credits_required(write_catalog: WriteCatalog) -> None:
    document = catalog_dict([_cred("x"), _cred("a", per_credit={"price": 5}, transfer=["x"])])
    problems = {p.field: p.message for p in _problems(write_catalog, document)}
    assert problems == {
        "per_credit": "'per_credit' needs 'credits_required' (it belongs to a credit block)",
        "transfer": "'transfer' needs 'credits_required' (it belongs to a credit block)",
    }


def test_malformed_requirement_names_the_nested_position(write_catalog: WriteCatalog) -> None:
    document = catalog_dict([_cred("a"), _cred("b", requires={"any": ["a", 7, {"al": ["a"]}]})])
    problems = {p.field: p.message for p in _problems(write_catalog, document)}
    assert set(problems) == {"requires.any[1]", "requires.any[2]"}
    assert problems["requires.any[1]"].startswith("a requirement must be a credential id")


def test_all_problems_are_reported_at_once(write_catalog: WriteCatalog) -> None:
    document = catalog_dict(
        [
            {"id": "a", "name": "A", "kind": "bdge"},  # structural error
            _cred("b", requires="a"),  # refers to the broken record: not reported again
            _cred("c", requires="missing"),  # cross-record error in a record that parsed
            _cred("b"),  # duplicate
        ]
    )
    problems = _problems(write_catalog, document)
    assert [(p.record, p.field) for p in problems] == [
        ("credential 'a' (credentials[0])", "kind"),
        ("credential 'b' (credentials[3])", "id"),
        ("credential 'c' (credentials[2])", "requires"),
    ]


def test_warnings_for_isolated_credentials_and_unused_providers_and_skills(
    write_catalog: WriteCatalog,
) -> None:
    document = catalog_dict(
        [_cred("a"), _cred("b", requires="a"), _cred("lonely")],
        providers=[{"id": "p", "name": "P", "recognition": "employer"}],
        skills=[{"id": "s", "name": "S"}],
    )
    loaded = load_catalog(write_catalog(document))
    assert [(w.severity, w.record) for w in loaded.warnings] == [
        (Severity.WARNING, "credential 'lonely' (credentials[2])"),
        (Severity.WARNING, "provider 'p' (providers[0])"),
        (Severity.WARNING, "skill 's' (skills[0])"),
    ]


def test_problem_text_names_file_record_and_field() -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(json.dumps(catalog_dict([_cred("a", cost=-3)])), "mine.json")
    assert str(caught.value) == (
        "mine.json: credential 'a' (credentials[0]): field 'cost': must not be negative, found -3"
    )


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="file not found"):
        load_catalog(tmp_path / "absent.json")
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not json")
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(binary)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(catalog_dict([_cred("a")])).encode())
    assert load_catalog(path).catalog.credentials[0].id == "a"


def test_save_round_trips_and_is_atomic(tmp_path: Path, write_catalog: WriteCatalog) -> None:
    source = write_catalog(
        catalog_dict(
            [
                _cred("a", credits=3, start_dates=["2027-01-04"]),
                _cred(
                    "b",
                    requires={"credits": 3, "from": [{"id": "a", "credits": 3}]},
                    credits_required=10,
                    transfer=["a"],
                    transfer_max=5,
                ),
            ]
        )
    )
    catalog = load_catalog(source).catalog
    target = tmp_path / "saved.json"
    target.write_text("old contents", encoding="utf-8")
    save_catalog(catalog, target)
    assert load_catalog(target).catalog == catalog
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_atomic_write_keeps_line_endings_as_given(tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    write_text_atomic(target, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
