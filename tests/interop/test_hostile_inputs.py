"""Huge, deep, looping and non-JSON inputs fail fast with a clear message and write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pathplanner.cli import main
from pathplanner.interop.csv_catalog import import_csv
from pathplanner.interop.ctdl_import import ImportCancelledError, import_ctdl, import_ctdl_files
from pathplanner.interop.openbadges import read_badge
from pathplanner.interop.safe_json import InputError
from pathplanner.interop.skills_rsd import read_rsd_files
from tests.interop.helpers import graph, iri, record


def test_a_200_mb_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # sparse: no 200 MB is actually written
        handle.truncate(200 * 1024 * 1024)
    result = import_ctdl_files([path])
    assert result.catalog is None
    assert "over the 32.0 MiB import limit" in result.report.errors[0]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = import_ctdl_files([path])
    assert result.catalog is None
    assert "nested more deeply than 64 levels" in result.report.errors[0]


def test_moderate_nesting_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    deep: dict[str, object] = {"ceterms:name": "x"}
    for _ in range(70):
        deep = {"@type": "ceterms:ConditionProfile", "ceterms:alternativeCondition": deep}
    path = tmp_path / "deep2.json"
    path.write_text(json.dumps(graph(record(1, ceterms__requires=deep))), encoding="utf-8")
    result = import_ctdl_files([path])
    assert result.catalog is None
    assert "nested more deeply" in result.report.errors[0]


def test_reference_loop_between_conditions_terminates(tmp_path: Path) -> None:
    first = {
        "@id": "_:a",
        "@type": "ceterms:ConditionProfile",
        "ceterms:alternativeCondition": ["_:b"],
        "ceterms:targetCredential": iri(2),
    }
    second = {
        "@id": "_:b",
        "@type": "ceterms:ConditionProfile",
        "ceterms:alternativeCondition": ["_:a"],
    }
    path = tmp_path / "loop.json"
    path.write_text(
        json.dumps(graph(record(1, ceterms__requires="_:a"), record(2), first, second)),
        encoding="utf-8",
    )
    result = import_ctdl_files([path])
    assert result.catalog is not None
    assert any("refers back to itself" in n.reason for n in result.report.notes)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
        (b"\xff\xfe{\x00}\x00", "UTF-16"),
        (b"<html><body>not json</body></html>", "not valid JSON at line 1, column 1"),
        (b"", "the file is empty"),
        (b'{"a": NaN}', "NaN is not a number JSON allows"),
        (b'"just a string"', "expected a JSON-LD object"),
        (b"\x00\x01\x02", "binary file"),
    ],
)
def test_non_json_gets_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = import_ctdl_files([path])
    assert result.catalog is None
    assert message in result.report.errors[0]
    assert result.report.errors[0].startswith("bad.json: ")


def test_failed_import_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["import", "ctdl", str(bad), "-o", str(out)]) == 1
    assert not out.exists()
    assert "NO catalogue written" in capsys.readouterr().out


def test_failed_import_keeps_an_existing_output_intact(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(graph(record(1))), encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["import", "ctdl", str(good), "-o", str(out)]) == 0
    before = out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    assert main(["import", "ctdl", str(good), str(bad), "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == before


def test_other_readers_share_the_limits(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    assert "import limit" in import_csv(huge).report.errors[0]
    skills, report = read_rsd_files([huge])
    assert skills == []
    assert "import limit" in report.errors[0]
    with pytest.raises(InputError, match="import limit"):
        read_badge(huge)


def test_many_requirement_cycles_are_all_broken() -> None:
    pairs = []
    for n in range(0, 4000, 2):
        pairs.append(
            record(
                n + 1,
                ceterms__requires={
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetCredential": iri(n + 2),
                },
            )
        )
        pairs.append(
            record(
                n + 2,
                ceterms__requires={
                    "@type": "ceterms:ConditionProfile",
                    "ceterms:targetCredential": iri(n + 1),
                },
            )
        )
    result = import_ctdl([("cycles.json", graph(*pairs))])
    assert result.catalog is not None, result.report.errors[:3]
    assert sum("closed a cycle" in n.reason for n in result.report.notes) == 2000


def test_a_document_without_records_fails() -> None:
    result = import_ctdl([("empty.json", {"@context": "x", "@graph": []})])
    assert result.catalog is None
    assert result.report.errors == ["empty.json: no JSON-LD records found"]


def test_import_can_be_cancelled_and_reports_progress() -> None:
    seen: list[float] = []
    result = import_ctdl([("one.json", graph(record(1)))], progress=lambda f, _m: seen.append(f))
    assert result.catalog is not None
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    with pytest.raises(ImportCancelledError):
        import_ctdl([("one.json", graph(record(1)))], cancel=lambda: True)


def test_many_notes_are_grouped_in_the_text_report() -> None:
    result = import_ctdl([("many.json", graph(*(record(n) for n in range(1, 200))))])
    lines = result.report.summary_lines()
    assert any(
        line.startswith("    199 x approximated: no duration: 1 week assumed") for line in lines
    )
    assert len(lines) < 30
    assert len(result.report.as_dict()["notes"]) == 3 * 199
