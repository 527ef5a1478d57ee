"""``pathplanner-cli validate | show | graph`` through ``main()`` and as a real console script."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pathplanner.cli import main
from tests.conftest import catalog_dict

WriteCatalog = Callable[..., Path]


def _cred(cid: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.title(), "kind": "certificate", **extra}


GOOD = catalog_dict(
    [
        _cred("intro", kind="badge", cost=49, provider="p"),
        _cred("cert", requires="intro", cost=300, credits=12, provider="p"),
        _cred(
            "degree",
            kind="bachelor",
            requires={"all": ["cert"]},
            credits_required=120,
            transfer=["cert"],
            per_credit={"price": 100},
            provider="p",
        ),
    ],
    providers=[{"id": "p", "name": "Prov", "recognition": "accredited"}],
)


def test_validate_accepts_a_valid_file(
    write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_catalog(GOOD)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"{path}: valid, 3 credentials, 1 providers, 0 skills, 0 warnings"


def test_validate_rejects_with_every_message(
    write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = catalog_dict([_cred("a", kind="degre"), _cred("b", requires="zz")])
    path = write_catalog(bad)
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "catalog.json: credential 'a' (credentials[0]): field 'kind': unknown value 'degre'; "
        "expected one of badge, micro-credential, certificate, certification, license, diploma, "
        "associate, bachelor, master, doctorate, other",
        "catalog.json: credential 'b' (credentials[1]): field 'requires': unknown credential 'zz'",
        f"{path}: invalid, 2 errors",
    ]


def test_validate_json(write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_catalog(catalog_dict([_cred("a", cost=-1)]))
    assert main(["validate", str(path), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    assert report["problems"] == [
        {
            "severity": "error",
            "file": "catalog.json",
            "record": "credential 'a' (credentials[0])",
            "field": "cost",
            "message": "must not be negative, found -1",
        }
    ]


def test_show_table_and_kind_filter(
    write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_catalog(GOOD)
    assert main(["show", str(path), "--kind", "certificate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "id",
        "name",
        "kind",
        "provider",
        "cost",
        "(USD)",
        "weeks",
        "hours",
        "credits",
        "delivery",
    ]
    assert lines[2].split() == [
        "cert",
        "Cert",
        "certificate",
        "p",
        "300.00",
        "1",
        "0",
        "12",
        "online",
    ]
    assert lines[-1] == "1 credential"


def test_show_lists_credit_blocks_at_their_price_before_transfer(
    write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(write_catalog(GOOD)), "--kind", "bachelor"]) == 0
    row = capsys.readouterr().out.splitlines()[2].split()
    assert row[3:6] == ["p", "12,000.00", "1"]  # 0 fixed + 120 credits x 100


def test_show_json(write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(write_catalog(GOOD)), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in records] == ["intro", "cert", "degree"]
    assert records[2]["requires"] == {"all": ["cert"]}
    assert records[2]["credits_required"] == 120


def test_show_reports_a_bad_file_on_stderr(
    write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(write_catalog("{oops"))]) == 1
    err = capsys.readouterr().err
    assert "malformed JSON at line 1, column 2" in err


def test_graph_text(write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(write_catalog(GOOD)), "--goal", "degree"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == ["degree: Degree (bachelor)", "2 credentials count towards it."]
    assert "level 0\n  intro  Intro [badge]\n" in out
    assert "level 1\n  cert  Cert [certificate]; requires intro\n" in out
    assert (
        "degree  Degree [bachelor]; requires all of (cert); 120 credits, up to 120 by "
        "transfer from (cert)"
    ) in out


def test_graph_json(write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(write_catalog(GOOD)), "--goal", "cert", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["goal"] == "cert"
    assert [(c["id"], c["level"]) for c in data["credentials"]] == [("intro", 0), ("cert", 1)]
    assert data["edges"] == [{"from": "intro", "to": "cert", "type": "requires"}]


def test_graph_unknown_goal(
    write_catalog: WriteCatalog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["graph", str(write_catalog(GOOD)), "--goal", "nope"]) == 1
    assert "unknown goal credential 'nope'" in capsys.readouterr().err


def test_console_script_runs_the_bundled_catalogue_check() -> None:
    """The installed entry point works as a program (exit codes reach the shell)."""
    result = subprocess.run(
        [sys.executable, "-m", "pathplanner.cli", "validate", "/nonexistent/catalog.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "catalog.json: file not found" in result.stdout
