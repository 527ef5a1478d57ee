"""Graph building and the pure queries, on a hand-drawn catalogue.

intro ──► cert-a ──┐                     (requires)
intro ──► cert-b ──┼─ 2 of 3 ─► diploma   (requires; diploma: 30 credits block)
other ──► cert-c ──┘
cert-a ═══12 cr═══► degree ◄═══ diploma   (transfer into a credit block)
degree requires 20 credits from (cert-b, cert-c: 25)
lonely                                    (stacks into nothing)
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from pathplanner.graph import (
    build_graph,
    closure,
    credential_ids,
    dependency_graph,
    entry_points,
    levels,
    prerequisites,
    transfer_sources,
    unlocks,
)
from pathplanner.model import Catalog
from tests.conftest import catalog_dict


def _cred(cid: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "name": cid.title(), "kind": "certificate", **extra}


@pytest.fixture
def graph() -> nx.DiGraph[str]:
    catalog = Catalog.model_validate(
        catalog_dict(
            [
                _cred("intro", kind="badge"),
                _cred("other", kind="badge"),
                _cred("cert-a", requires="intro", credits=12),
                _cred("cert-b", requires="intro", credits=10),
                _cred("cert-c", requires="other", credits=10),
                _cred(
                    "diploma",
                    kind="diploma",
                    requires={"any": ["cert-a", "cert-b", "cert-c"], "count": 2},
                    credits=30,
                ),
                _cred(
                    "degree",
                    kind="bachelor",
                    credits_required=120,
                    requires={"credits": 20, "from": ["cert-b", {"id": "cert-c", "credits": 25}]},
                    transfer=["cert-a", "diploma"],
                    transfer_max=60,
                ),
                _cred("lonely", kind="badge"),
            ]
        )
    )
    return build_graph(catalog)


def test_credential_nodes_carry_their_attributes(graph: nx.DiGraph[str]) -> None:
    assert credential_ids(graph) == [
        "intro",
        "other",
        "cert-a",
        "cert-b",
        "cert-c",
        "diploma",
        "degree",
        "lonely",
    ]
    degree = graph.nodes["degree"]
    assert degree["kind"] == "bachelor"
    assert degree["credits_required"] == 120
    assert degree["transfer_cap"] == 60
    assert degree["credential"].id == "degree"


def test_requirement_groups_keep_their_structure(graph: nx.DiGraph[str]) -> None:
    any_group = graph.nodes["diploma::requires"]
    assert (any_group["op"], any_group["count"], any_group["options"]) == ("any", 2, 3)
    assert set(graph.predecessors("diploma::requires")) == {"cert-a", "cert-b", "cert-c"}
    assert graph.edges["diploma::requires", "diploma"]["type"] == "requires"
    credits_group = graph.nodes["degree::requires"]
    assert (credits_group["op"], credits_group["credits"]) == ("credits", 20)
    assert graph.edges["cert-c", "degree::requires"]["credits"] == 25  # the override
    assert graph.edges["cert-b", "degree::requires"]["credits"] == 10  # its own credits


def test_transfer_edges_are_typed_with_credits(graph: nx.DiGraph[str]) -> None:
    edge = graph.edges["cert-a", "degree"]
    assert (edge["type"], edge["credits"]) == ("transfer", 12)
    assert graph.edges["intro", "cert-a"]["type"] == "requires"
    assert transfer_sources(graph, "degree") == {"cert-a", "diploma"}


def test_each_edge_has_its_own_attributes(graph: nx.DiGraph[str]) -> None:
    # the edges are added from shared attribute dicts; changing one edge changes no other
    graph.edges["intro", "cert-a"]["type"] = "changed"
    graph.edges["cert-c", "degree::requires"]["credits"] = 0
    assert graph.edges["intro", "cert-b"] == {"type": "requires"}
    assert graph.edges["diploma::requires", "diploma"] == {"type": "requires"}
    assert graph.edges["cert-b", "degree::requires"] == {"type": "requires", "credits": 10}


def test_shared_prerequisite_is_one_node(graph: nx.DiGraph[str]) -> None:
    assert set(graph.successors("intro")) == {"cert-a", "cert-b"}


def test_closure_of_a_goal(graph: nx.DiGraph[str]) -> None:
    assert closure(graph, "diploma") == {
        "diploma",
        "cert-a",
        "cert-b",
        "cert-c",
        "intro",
        "other",
    }
    assert closure(graph, "degree") == {
        "degree",
        "diploma",
        "cert-a",
        "cert-b",
        "cert-c",
        "intro",
        "other",
    }
    # without transfer links only the hard requirement remains
    assert closure(graph, "degree", include_transfer=False) == {
        "degree",
        "cert-b",
        "cert-c",
        "intro",
        "other",
    }
    assert closure(graph, "lonely") == {"lonely"}


def test_entry_points_unlocks_and_prerequisites(graph: nx.DiGraph[str]) -> None:
    assert entry_points(graph) == ["intro", "other", "lonely"]
    assert unlocks(graph, "cert-a") == {"diploma", "degree"}
    assert unlocks(graph, "intro") == {"cert-a", "cert-b"}
    assert unlocks(graph, "lonely") == set()
    assert prerequisites(graph, "degree") == {"cert-b", "cert-c"}
    assert prerequisites(graph, "intro") == set()


def test_topological_levels(graph: nx.DiGraph[str]) -> None:
    assert levels(graph) == {
        "intro": 0,
        "other": 0,
        "lonely": 0,
        "cert-a": 1,
        "cert-b": 1,
        "cert-c": 1,
        "diploma": 2,
        "degree": 3,
    }


def test_dependency_graph_projects_out_groups(graph: nx.DiGraph[str]) -> None:
    projected = dependency_graph(graph)
    assert set(projected.nodes) == set(credential_ids(graph))
    assert set(projected.predecessors("degree")) == {"cert-a", "cert-b", "cert-c", "diploma"}
    assert nx.is_directed_acyclic_graph(projected)


def test_unknown_credential_is_a_key_error(graph: nx.DiGraph[str]) -> None:
    with pytest.raises(KeyError, match="nope"):
        closure(graph, "nope")
    with pytest.raises(KeyError, match="diploma::requires"):
        unlocks(graph, "diploma::requires")  # a group is not a credential
