"""Hand-worked examples for the layered layout of the credential graph."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathplanner.catalog import check_catalog_data
from pathplanner.graph import build_graph, closure
from pathplanner.graph import layout as layout_module
from pathplanner.graph.layout import LayoutCancelledError, LayoutSizes, layered_layout
from tests.conftest import catalog_dict


def cred(cid: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.upper(), "kind": "certificate", **extra}


def layout_of(*credentials: dict[str, Any], **kwargs: Any):  # type: ignore[no-untyped-def]
    graph = build_graph(check_catalog_data(catalog_dict(list(credentials))).catalog)
    return graph, layered_layout(graph, **kwargs)


def test_a_chain_runs_left_to_right_on_one_line() -> None:
    _, layout = layout_of(cred("a"), cred("b", requires="a"), cred("c", requires="b"))
    a, b, c = (layout.nodes[n] for n in "abc")
    assert (a.layer, b.layer, c.layer) == (0, 1, 2)
    assert a.x < b.x < c.x
    assert a.y == b.y == c.y
    assert [e.points[0] for e in layout.edges if e.source == "a"] == [(a.x + a.width / 2, a.y)]


def test_a_count_group_sits_in_its_own_layer_just_before_its_owner() -> None:
    graph, layout = layout_of(
        cred("x"), cred("y"), cred("z"), cred("d", requires={"any": ["x", "y", "z"], "count": 2})
    )
    group = "d::requires"
    assert graph.nodes[group]["count"] == 2
    assert layout.nodes[group].node_type == "group"
    assert [layout.nodes[n].layer for n in ("x", "y", "z", group, "d")] == [0, 0, 0, 1, 2]
    # The group is centred on its three options (x, y, z stacked; y in the middle).
    assert layout.nodes[group].y == pytest.approx(layout.nodes["y"].y)
    assert layout.level_of(layout.nodes["d"].layer) == 1


def test_a_group_is_pulled_up_next_to_a_late_owner() -> None:
    # d needs any of (a, b) and also c, which comes after a long chain: a -> m -> n -> c.
    _, layout = layout_of(
        cred("a"),
        cred("b"),
        cred("m", requires="a"),
        cred("n", requires="m"),
        cred("c", requires="n"),
        cred("d", requires={"all": ["c", {"any": ["a", "b"]}]}),
    )
    outer, inner = "d::requires", "d::requires.all[1]"
    assert layout.nodes["d"].layer == 5
    assert layout.nodes[outer].layer == 4
    assert layout.nodes[inner].layer == 3  # not 1: it stays beside the group it feeds


def test_a_long_edge_bends_through_one_point_per_layer_it_crosses() -> None:
    _, layout = layout_of(
        cred("a"), cred("b", requires="a"), cred("c", requires={"all": ["a", "b"]})
    )
    edge = next(e for e in layout.edges if e.source == "a" and e.target == "c::requires")
    assert len(edge.points) == 3  # a's side, a bend in b's column, the group's side
    assert edge.points[1][0] == layout.layer_x[1]
    assert abs(edge.points[1][1] - layout.nodes["b"].y) >= LayoutSizes().credential_height / 2


def test_barycentre_sweeps_remove_a_crossing_of_the_catalogue_order() -> None:
    # Catalogue order a, b / c, d with a -> d and b -> c crosses; the layout untangles it.
    _, layout = layout_of(cred("a"), cred("b"), cred("c", requires="b"), cred("d", requires="a"))
    assert layout.crossings == 0
    assert (layout.nodes["a"].y < layout.nodes["b"].y) == (
        layout.nodes["d"].y < layout.nodes["c"].y
    )


def test_transfer_edges_are_laid_out_and_typed() -> None:
    _, layout = layout_of(
        cred("cert", credits=15),
        cred("deg", kind="bachelor", credits_required=60, transfer=["cert"]),
    )
    (edge,) = layout.edges
    assert (edge.source, edge.target, edge.type) == ("cert", "deg", "transfer")
    assert layout.nodes["cert"].layer < layout.nodes["deg"].layer


def test_restricting_to_a_closure_keeps_its_groups_and_nothing_else() -> None:
    graph = build_graph(
        check_catalog_data(
            catalog_dict(
                [cred("a"), cred("b"), cred("other"), cred("g", requires={"any": ["a", "b"]})]
            )
        ).catalog
    )
    layout = layered_layout(graph, closure(graph, "g"))
    assert set(layout.nodes) == {"a", "b", "g", "g::requires"}
    with pytest.raises(KeyError, match="nope"):
        layered_layout(graph, ["nope"])


def test_cancel_stops_the_layout_and_progress_reaches_one() -> None:
    calls: list[float] = []
    layout_of(cred("a"), cred("b", requires="a"), progress=lambda f, _m: calls.append(f))
    assert calls[0] == 0.0
    assert calls[-1] == 1.0
    with pytest.raises(LayoutCancelledError):
        layout_of(cred("a"), cancel=lambda: True)


def test_an_empty_catalogue_has_an_empty_layout() -> None:
    layout = layered_layout(build_graph(check_catalog_data(catalog_dict([])).catalog))
    assert layout.nodes == {}
    assert layout.edges == ()


@st.composite
def random_catalogues(draw: st.DrawFn) -> list[dict[str, Any]]:
    size = draw(st.integers(1, 14))
    credentials = []
    for i in range(size):
        earlier = [f"c{j}" for j in range(i)]
        extra: dict[str, Any] = {}
        if earlier and draw(st.booleans()):
            picks = draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=4, unique=True))
            shape = draw(st.sampled_from(["one", "all", "any"]))
            if shape == "one":
                extra["requires"] = picks[0]
            else:
                extra["requires"] = {shape: picks}
        credentials.append(cred(f"c{i}", **extra))
    return credentials


@settings(max_examples=60, deadline=None)
@given(random_catalogues())
def test_layout_invariants_on_random_catalogues(credentials: list[dict[str, Any]]) -> None:
    graph, layout = layout_of(*credentials)
    assert set(layout.nodes) == set(graph.nodes)
    gap = LayoutSizes().node_gap
    by_layer: dict[int, list[Any]] = {}
    for node in layout.nodes.values():
        by_layer.setdefault(node.layer, []).append(node)
        assert node.y - node.height / 2 >= 0
        assert node.y + node.height / 2 <= layout.height
    for column in by_layer.values():  # no two boxes of a column overlap
        column.sort(key=lambda n: n.y)
        for upper, lower in itertools.pairwise(column):
            assert lower.y - lower.height / 2 - (upper.y + upper.height / 2) >= gap - 1e-6
    for edge in layout.edges:  # every edge flows forward, left to right
        assert layout.nodes[edge.source].layer < layout.nodes[edge.target].layer
        xs = [x for x, _ in edge.points]
        assert xs == sorted(xs)


def test_the_layout_does_not_depend_on_the_hash_seed(tmp_path: Any) -> None:
    # Python randomises string hashing per process; set iteration order must not leak into
    # the layout (it once did, through a NetworkX subgraph view).
    credentials = [cred(f"c{i}") for i in range(8)] + [
        cred(f"d{i}", requires={"any": [f"c{(i * 3 + k) % 8}" for k in range(3)]}) for i in range(6)
    ]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_dict(credentials)), encoding="utf-8")
    script = (
        "import sys; from pathplanner.catalog import load_catalog; "
        "from pathplanner.graph import build_graph, closure; "
        "from pathplanner.graph.layout import layered_layout; "
        "g = build_graph(load_catalog(sys.argv[1]).catalog); "
        "l = layered_layout(g, closure(g, 'd0') | closure(g, 'd5')); "
        "print(sorted((n.id, n.x, n.y) for n in l.nodes.values()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, str(path)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


@settings(max_examples=40, deadline=None)
@given(random_catalogues())
def test_transposing_neighbours_never_adds_crossings(credentials: list[dict[str, Any]]) -> None:
    graph = build_graph(check_catalog_data(catalog_dict(credentials)).catalog)
    with_swaps = layered_layout(graph)
    with mock.patch.object(layout_module, "TRANSPOSE_LIMIT", 0):
        without = layered_layout(graph)
    assert with_swaps.crossings <= without.crossings
