"""The catalogue load benchmark measures a catalogue in a child process and prints its figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from benchmarks.bench_load import main
from benchmarks.catalog_generator import generate_catalog_data

from pathplanner.catalog import check_catalog_data
from pathplanner.graph import build_graph


def test_prints_load_and_graph_times_and_peak_memory(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--size", "300", "--runs", "1"])
    out = capsys.readouterr().out
    run = re.search(r"run 1 +load +[\d.]+ s \( *[\d.]+ CPU\) +graph +[\d.]+ s .* peak +\d+ MB", out)
    assert run is not None, out
    graph = build_graph(check_catalog_data(generate_catalog_data(300, 0)).catalog)
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    assert f"300 credentials, graph of {nodes:,} nodes and {edges:,} edges" in out


def test_measures_a_given_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "given.json"
    path.write_text(
        '{"format": "pathplanner-catalog", "version": 1, "name": "n", "credentials": '
        '[{"id": "a", "name": "A", "kind": "badge"}]}',
        encoding="utf-8",
    )
    main(["--catalog", str(path), "--runs", "2"])
    out = capsys.readouterr().out
    assert "1 credentials, graph of 1 nodes and 0 edges" in out
    assert "median" in out
