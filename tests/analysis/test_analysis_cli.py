"""``pathplanner-cli analyse``, ``metrics`` and ``import curricular-analytics``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathplanner.cli import main
from pathplanner.cli.analysis_commands import _native_output_to_stderr
from tests.analysis.helpers import cred
from tests.conftest import catalog_dict

CATALOG = [
    cred("c1"),
    cred("c2", requires="c1"),
    cred("c3", requires="c1"),
    cred("c4", "diploma", requires="c2", delivery="in_person"),
    cred("lonely", "badge"),
]


@pytest.fixture
def catalog_file(write_catalog: Callable[..., Path]) -> Path:
    return write_catalog(catalog_dict(CATALOG))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_analyse_json(
    catalog_file: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "report.json"
    status, out, _ = run(
        capsys, "analyse", str(catalog_file), "--format", "json", "--no-routes", "-o", str(saved)
    )
    assert status == 0
    data: dict[str, Any] = json.loads(out)
    assert data["format"] == "pathplanner-analysis"
    assert data["goals"] == ["c4"]
    assert data["metrics"]["totals"]["complexity"] == 16  # 15 + the isolated badge
    kinds = {(f["kind"], tuple(f["credentials"])) for f in data["findings"]}
    assert ("dead_end", ("lonely",)) in kinds
    assert ("dead_end", ("c3",)) in kinds
    assert ("in_person_only", ("c4",)) in kinds
    assert data["summary"]["by_kind"]["dead_end"] == 2
    assert json.loads(saved.read_text(encoding="utf-8"))["findings"] == data["findings"]


def test_analyse_text_with_filters_and_routes(
    catalog_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys,
        "analyse",
        str(catalog_file),
        "--goal",
        "c4",
        "--budget",
        "0",
        "--delivery",
        "online,in_person",
    )
    assert status == 0
    assert "Complexity of the whole catalogue: 5 credentials, 3 prerequisite edges" in out
    assert "dead ends (2)" in out
    assert "equity (1)" in out
    # Everything is free, so no route is over a budget of 0; nothing is stranded.
    assert "over a budget" not in out


def test_analyse_bad_input(catalog_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "analyse", str(catalog_file), "--goal", "nope")
    assert status == 1
    assert "unknown goal credential 'nope'" in err
    with pytest.raises(SystemExit):
        main(["analyse", str(catalog_file), "--delivery", "online,postal"])
    assert "unknown delivery mode 'postal'" in capsys.readouterr().err


def test_metrics_text_and_json(catalog_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "metrics", str(catalog_file))
    assert status == 0
    assert "structural complexity  16" in out
    assert "longest path (3): c1 -> c2 -> c4" in out
    status, out, _ = run(capsys, "metrics", str(catalog_file), "--goal", "c4", "--format", "json")
    data = json.loads(out)
    assert data["goal"] == "c4"
    assert data["per_credential"]["c1"] == {
        "blocking": 2,
        "delay": 3,
        "centrality": 0,
        "complexity": 5,
    }
    status, out, _ = run(
        capsys, "metrics", str(catalog_file), "--goal", "c4", "--without-goal", "--format", "json"
    )
    assert json.loads(out)["totals"]["complexity"] == 5
    status, _, err = run(capsys, "metrics", str(catalog_file), "--without-goal")
    assert status == 1
    assert "--without-goal needs --goal" in err


def test_import_curricular_analytics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "curriculum.csv"
    source.write_text(
        "Curriculum,Tiny,,\nDegree Type,AS,,\nCourses,,,\n"
        "Course ID,Course Name,Prefix,Number,Prerequisites,Credit Hours\n"
        "1,Intro,CS,1,,3\n2,Next,CS,2,1,3\n",
        encoding="utf-8",
    )
    output = tmp_path / "catalog.json"
    status, out, _ = run(capsys, "import", "curricular-analytics", str(source), "-o", str(output))
    assert status == 0, out
    assert "result: valid catalogue" in out
    written = json.loads(output.read_text(encoding="utf-8"))
    assert [c["id"] for c in written["credentials"]] == ["cs-1", "cs-2", "tiny"]
    status, out, _ = run(capsys, "metrics", str(output), "--goal", "tiny", "--without-goal")
    assert "structural complexity  5" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("Courses\n", encoding="utf-8")
    status, out, _ = run(
        capsys, "import", "curricular-analytics", str(bad), "-o", str(tmp_path / "x.json")
    )
    assert status == 1
    assert not (tmp_path / "x.json").exists()


def test_native_prints_during_analysis_go_to_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    # The MILP solver can write straight to file descriptor 1; JSON output must stay clean.
    with _native_output_to_stderr():
        os.write(1, b"solver note\n")
    print("report")
    out, err = capfd.readouterr()
    assert out == "report\n"
    assert err == "solver note\n"
