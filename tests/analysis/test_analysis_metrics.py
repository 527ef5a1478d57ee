"""Curricular Analytics metrics: hand-worked examples and an independent brute-force check."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathplanner.graph.metrics import (
    AnalysisCancelledError,
    MetricsError,
    catalog_metrics,
    graph_metrics,
)
from tests.analysis.helpers import cred, make


def test_heileman_example_a_has_structural_complexity_15() -> None:
    metrics = graph_metrics(["1", "2", "3", "4"], [("1", "2"), ("1", "3"), ("2", "4")])
    assert metrics.complexity == 15
    assert metrics.values("blocking") == {"1": 3, "2": 1, "3": 0, "4": 0}
    assert metrics.values("delay") == {"1": 3, "2": 3, "3": 2, "4": 3}
    # Source-to-sink paths: 1-2-4 (3 credentials) and 1-3 (2, too short to count).
    assert metrics.values("centrality") == {"1": 0, "2": 3, "3": 0, "4": 0}
    assert metrics.values("complexity") == {"1": 6, "2": 4, "3": 2, "4": 3}
    assert metrics.longest_path == ("1", "2", "4")


def test_heileman_example_b_has_structural_complexity_17() -> None:
    metrics = graph_metrics(["1", "2", "3", "4"], [("1", "3"), ("2", "3"), ("3", "4")])
    assert metrics.complexity == 17
    assert metrics.values("blocking") == {"1": 2, "2": 2, "3": 1, "4": 0}
    assert metrics.values("delay") == {"1": 3, "2": 3, "3": 3, "4": 3}
    # 1-3-4 and 2-3-4 both pass through 3: 3 + 3.
    assert metrics.values("centrality") == {"1": 0, "2": 0, "3": 6, "4": 0}
    assert metrics.total("centrality") == 6


def test_examples_through_a_catalogue() -> None:
    catalog = make(
        [
            cred("c1"),
            cred("c2", requires="c1"),
            cred("c3", requires="c1"),
            cred("c4", requires="c2"),
        ]
    )
    assert catalog_metrics(catalog).complexity == 15
    catalog = make(
        [
            cred("c1"),
            cred("c2"),
            cred("c3", requires={"all": ["c1", "c2"]}),
            cred("c4", requires="c3"),
        ]
    )
    assert catalog_metrics(catalog).complexity == 17


def test_diamond_counts_every_path_once() -> None:
    edges = [("1", "2"), ("1", "3"), ("2", "4"), ("3", "4"), ("4", "5")]
    metrics = graph_metrics(["1", "2", "3", "4", "5"], edges)
    # Paths 1-2-4-5 and 1-3-4-5, four credentials each.
    assert metrics.values("centrality") == {"1": 0, "2": 4, "3": 4, "4": 8, "5": 0}
    assert metrics.values("blocking") == {"1": 4, "2": 2, "3": 2, "4": 1, "5": 0}
    assert set(metrics.values("delay").values()) == {4}


def test_any_k_and_credit_sums_count_as_prerequisite_edges_transfer_does_not() -> None:
    catalog = make(
        [
            cred("a", credits=3),
            cred("b", credits=3),
            cred("k", requires={"any": ["a", "b"], "count": 1}),
            cred(
                "deg",
                requires={"credits": 3, "from": ["a", "b"]},
                credits_required=10,
                transfer=["k"],
            ),
        ]
    )
    plain = catalog_metrics(catalog)
    assert plain.edges == 4
    assert plain.values("blocking") == {"a": 2, "b": 2, "k": 0, "deg": 0}
    with_transfer = catalog_metrics(catalog, include_transfer=True)
    assert with_transfer.edges == 5
    assert with_transfer.values("blocking")["k"] == 1


def test_pathway_metrics_cover_only_the_goal_closure() -> None:
    catalog = make(
        [cred("a"), cred("b", requires="a"), cred("c", requires="b"), cred("x", requires="a")]
    )
    whole = catalog_metrics(catalog)
    assert whole.values("blocking")["a"] == 3
    path = catalog_metrics(catalog, "c")
    assert set(path.per_credential) == {"a", "b", "c"}
    assert path.values("blocking") == {"a": 2, "b": 1, "c": 0}
    assert path.goal == "c"
    with pytest.raises(MetricsError, match="unknown goal"):
        catalog_metrics(catalog, "nope")


def test_cycle_is_reported_not_looped_on() -> None:
    with pytest.raises(MetricsError, match="cycle through a, b"):
        graph_metrics(["a", "b", "c"], [("a", "b"), ("b", "a"), ("c", "a")])


def test_cancel_stops_the_computation() -> None:
    with pytest.raises(AnalysisCancelledError):
        graph_metrics(["a", "b"], [("a", "b")], cancel=lambda: True)


def test_json_has_totals_and_per_credential_values() -> None:
    data = graph_metrics(["1", "2"], [("1", "2")]).to_json()
    assert data["totals"] == {"blocking": 1, "delay": 4, "centrality": 0, "complexity": 5}
    assert data["per_credential"]["1"] == {
        "blocking": 1,
        "delay": 2,
        "centrality": 0,
        "complexity": 3,
    }


def _brute_force(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[int, int, int]]:
    """The definitions applied literally, by listing every source-to-sink path."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    sources = [n for n in nodes if graph.in_degree(n) == 0]
    sinks = [n for n in nodes if graph.out_degree(n) == 0]
    paths: list[list[str]] = [[n] for n in nodes if n in sources and n in sinks]
    for s in sources:
        for t in sinks:
            if s != t:
                paths.extend(nx.all_simple_paths(graph, s, t))
    result = {}
    for n in nodes:
        blocking = len(nx.descendants(graph, n))
        delay = max(len(p) for p in paths if n in p)
        centrality = sum(len(p) for p in paths if n in p[1:-1] and len(p) > 2)
        result[n] = (blocking, delay, centrality)
    return result


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str]]]:
    size = draw(st.integers(min_value=1, max_value=9))
    nodes = [f"n{i}" for i in range(size)]
    pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return nodes, [(nodes[i], nodes[j]) for i, j in chosen]


@settings(max_examples=150, deadline=None)
@given(dags())
def test_dynamic_programming_matches_path_enumeration(dag: tuple[list[str], list[Any]]) -> None:
    nodes, edges = dag
    metrics = graph_metrics(nodes, edges)
    expected = _brute_force(nodes, edges)
    for n in nodes:
        m = metrics.per_credential[n]
        assert (m.blocking, m.delay, m.centrality) == expected[n], n
