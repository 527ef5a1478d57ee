"""CSV catalogues: the documented layout, row-and-column errors, and the requirement text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pathplanner.interop.csv_catalog import COLUMNS, import_csv_text
from pathplanner.model import AllOf, AnyOf, CreditItem, CreditsFrom
from pathplanner.requirement_text import (
    RequirementSyntaxError,
    parse_item_list,
    parse_requirement_text,
    requirement_text,
)

HEADER = "id,name,kind,provider,cost,credits,requires,skills\n"
WHERE = "imported.csv: credential 'a' (credentials[0])"


def test_a_credentials_only_sheet_imports_with_providers_and_skills_added() -> None:
    text = (
        HEADER
        + "a,Course A,other,uni,100,3,,python\n"
        + "b,Course B,other,uni,50,3,,\n"
        + 'c,Cert,certificate,,0,0,"6 credits from (a, b)",\n'
    )
    result = import_csv_text(text, "sheet.csv")
    assert result.catalog is not None, result.report.errors
    assert result.catalog.credential("c").requires == CreditsFrom.model_validate(
        {"credits": 6, "from": ["a", "b"]}
    )
    assert [p.id for p in result.catalog.providers] == ["uni"]
    assert [s.id for s in result.catalog.skills] == ["python"]
    assert result.catalog.name == "sheet"
    assert sum(1 for n in result.report.notes if n.action.value == "approximated") == 2


def test_catalog_row_sets_name_and_currency() -> None:
    text = "type,id,name,kind,currency\ncatalog,,My catalogue,,EUR\n,a,A,badge,\n"
    result = import_csv_text(text)
    assert result.catalog is not None
    assert (result.catalog.name, result.catalog.currency) == ("My catalogue", "EUR")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("a,A,badge,,ten,,,", "row 2, column 'cost': must be a number, found 'ten'"),
        ("a,A,badge,,,,all of (b,", "row 2, column 'requires': missing ')' (at character 10)"),
        ("a,,badge,,,,,", "row 2, column 'name': must not be empty"),
        ("a,A,,,,,,", "row 2, column 'kind': must not be empty"),
        (
            "a,A,badge,,,,2 of (x),",
            "row 2, column 'requires': '2 of' needs at least 2 options, found 1",
        ),
        (
            "a,A,badgee,,,,,",
            f"row 2: {WHERE}: field 'kind': unknown value 'badgee'",
        ),
        (
            "a,A,badge,,,,missing,",
            f"row 2: {WHERE}: field 'requires': unknown credential 'missing'",
        ),
        ("a,A,badge,,,,,,extra", "row 2: 9 cells but the header names 8 columns"),
    ],
)
def test_bad_cells_are_reported_by_row_and_column(row: str, message: str) -> None:
    result = import_csv_text(HEADER + row + "\n", "imported.csv")
    assert result.catalog is None
    assert any(message in e for e in result.report.errors), result.report.errors


def test_missing_id_column_is_an_error() -> None:
    result = import_csv_text("name,kind\nA,badge\n", "x.csv")
    assert result.report.errors == ["x.csv: row 1: missing column(s) 'id'"]


def test_unknown_columns_are_reported_and_ignored() -> None:
    result = import_csv_text("id,name,kind,colour\na,A,badge,red\n")
    assert result.catalog is not None
    assert any("unknown column 'colour'" in n.reason for n in result.report.notes)


def test_columns_are_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "interop.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in doc, column


@pytest.mark.parametrize(
    ("text", "requirement"),
    [
        ("a", "a"),
        ("all of (a, b)", AllOf(all=("a", "b"))),
        ("any of (a, b)", AnyOf(any=("a", "b"), count=1)),
        ("2 of (a, b, c)", AnyOf(any=("a", "b", "c"), count=2)),
        (
            "30 credits from (x, y: 6)",
            CreditsFrom.model_validate({"credits": 30, "from": ["x", {"id": "y", "credits": 6}]}),
        ),
        ("ALL OF ( a ,b )", AllOf(all=("a", "b"))),
        (
            "all of (https://x.org/a, 2 of (b, c, all of (d, e)))",
            AllOf(all=("https://x.org/a", AnyOf(any=("b", "c", AllOf(all=("d", "e"))), count=2))),
        ),
        ('any of ("a, b", "say ""hi""")', AnyOf(any=("a, b", 'say "hi"'), count=1)),
        ("1.5 credits from (a)", CreditsFrom.model_validate({"credits": 1.5, "from": ["a"]})),
    ],
)
def test_requirement_text_parses(text: str, requirement: object) -> None:
    parsed = parse_requirement_text(text)
    assert parsed == requirement
    assert parse_requirement_text(requirement_text(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("all of (a", "missing ')' (at character 10)"),
        ("some of (a)", "unknown group 'some of'"),
        ("0 of (a)", "'0 of (...)' requires nothing"),
        ("all of ()", "expected a credential id"),
        ("a)", "unexpected ')' after the requirement (at character 2)"),
        ('"open', "unclosed quote (at character 1)"),
        ("0 credits from (a)", "more than 0 credits"),
        ("5 credits from (a: lots)", "'lots' after ':' is not a credit number"),
    ],
)
def test_requirement_text_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(
        RequirementSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        parse_requirement_text(text)


def test_item_lists() -> None:
    assert parse_item_list('a, "b, c": 2, d: 0.5') == [
        "a",
        CreditItem(id="b, c", credits=2),
        CreditItem(id="d", credits=0.5),
    ]
    assert parse_item_list("") == []
