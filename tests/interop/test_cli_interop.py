"""``pathplanner-cli import ...`` and ``export ...``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pathplanner.catalog import load_catalog
from pathplanner.cli import main
from tests.conftest import catalog_dict
from tests.interop.helpers import ctid, graph, iri, record


def test_import_ctdl_writes_a_catalogue_and_prints_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps(
            graph(
                record(
                    1,
                    ceterms__requires={
                        "@type": "ceterms:ConditionProfile",
                        "ceterms:targetCredential": iri(2),
                    },
                ),
                record(2),
            )
        )
    )
    out = tmp_path / "out.json"
    assert main(["import", "ctdl", str(source), "-o", str(out), "--name", "Mine"]) == 0
    text = capsys.readouterr().out
    assert "Certification     2       2        0" in text
    assert load_catalog(out).catalog.name == "Mine"
    assert main(["import", "ctdl", str(source), "-o", str(out), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert report["records"]["Certification"] == {"read": 2, "mapped": 2, "skipped": 0}
    assert report["output"] == str(out)


def test_csv_export_and_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_catalog: object
) -> None:
    path = write_catalog(
        catalog_dict(
            [
                {"id": "a", "name": "A", "kind": "badge"},  # type: ignore[operator]
                {"id": "b", "name": "B", "kind": "badge", "requires": "a"},
            ]
        )
    )
    csv_path = tmp_path / "c.csv"
    assert main(["export", "csv", str(path), "-o", str(csv_path)]) == 0
    back = tmp_path / "back.json"
    assert main(["import", "csv", str(csv_path), "-o", str(back)]) == 0
    assert load_catalog(back).catalog == load_catalog(path).catalog
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,kind\na,A,badge\nb,B,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "csv", str(bad), "-o", str(tmp_path / "x.json")]) == 1
    assert "row 3, column 'kind': must not be empty" in capsys.readouterr().out


def test_export_ctdl_with_goal(tmp_path: Path, write_catalog: object) -> None:
    path = write_catalog(catalog_dict([{"id": "a", "name": "A", "kind": "badge"}]))  # type: ignore[operator]
    out = tmp_path / "o.jsonld"
    assert main(["export", "ctdl", str(path), "-o", str(out), "--goal", "a"]) == 0
    assert "ceterms:Pathway" in out.read_text(encoding="utf-8")
    assert main(["export", "ctdl", str(path), "-o", str(out), "--goal", "nope"]) == 1


def test_import_rsd_into_a_catalogue(tmp_path: Path, write_catalog: object) -> None:
    path = write_catalog(catalog_dict([{"id": "a", "name": "A", "kind": "badge"}]))  # type: ignore[operator]
    rsd = tmp_path / "s.json"
    rsd.write_text(
        json.dumps({"type": "RichSkillDescriptor", "uuid": "u1", "skillName": "SQL"}),
        encoding="utf-8",
    )
    out = tmp_path / "o.json"
    assert main(["import", "rsd", str(rsd), "--into", str(path), "-o", str(out)]) == 0
    assert [s.id for s in load_catalog(out).catalog.skills] == ["u1"]


def test_import_badge_prints_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_catalog: object
) -> None:
    path = write_catalog(catalog_dict([{"id": ctid(1), "name": "Cloud", "kind": "badge"}]))  # type: ignore[operator]
    badge = tmp_path / "b.json"
    badge.write_text(
        json.dumps(
            {
                "type": ["VerifiableCredential", "OpenBadgeCredential"],
                "issuer": {"id": "x", "name": "Issuer"},
                "credentialSubject": {"achievement": {"id": iri(1), "name": "Cloud"}},
            }
        ),
        encoding="utf-8",
    )
    assert main(["import", "badge", str(badge), "--catalog", str(path), "--format", "json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["matches"][0]["credential"] == ctid(1)
    assert output["matches"][0]["needs_confirmation"] is False
    badge.write_text("not a badge", encoding="utf-8")
    assert main(["import", "badge", str(badge), "--catalog", str(path)]) == 1
