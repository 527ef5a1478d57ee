"""Pure functions over the credential graph built by :func:`pathplanner.graph.build.build_graph`.

Each works on credential nodes and looks through requirement-group nodes, so callers never see
the groups unless they ask for them.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from pathplanner.graph.build import CREDENTIAL, GROUP, REQUIRES


def is_credential(graph: nx.DiGraph[str], node: str) -> bool:
    return bool(graph.nodes[node].get("node_type") == CREDENTIAL)


def credential_ids(graph: nx.DiGraph[str]) -> list[str]:
    """Every credential node, in insertion (catalogue) order."""
    return [n for n, data in graph.nodes(data=True) if data.get("node_type") == CREDENTIAL]


def closure(graph: nx.DiGraph[str], goal: str, *, include_transfer: bool = True) -> set[str]:
    """The goal and every credential that can count towards it, directly or indirectly.

    Definition: all credentials with a path to ``goal`` (through requirement groups, and through
    transfer edges unless ``include_transfer`` is false), plus ``goal`` itself. This is the part
    of the catalogue a planner for ``goal`` needs to look at. O(size of the closure).

    >>> closure(g, "aas-it")  # doctest: +SKIP
    {'aas-it', 'comptia-a-plus', ...}
    """
    _require_credential(graph, goal)
    seen = {goal}
    stack = [goal]
    while stack:
        node = stack.pop()
        for source, _, data in graph.in_edges(node, data=True):
            if not include_transfer and data.get("type") != REQUIRES:
                continue
            if source not in seen:
                seen.add(source)
                stack.append(source)
    return {n for n in seen if is_credential(graph, n)}


def prerequisites(graph: nx.DiGraph[str], credential: str) -> set[str]:
    """Credentials named anywhere in ``credential``'s own requirement (one step back)."""
    _require_credential(graph, credential)
    return _credential_neighbours(graph, credential, forward=False, edge_type=REQUIRES)


def transfer_sources(graph: nx.DiGraph[str], credential: str) -> set[str]:
    """Credentials whose credits transfer into ``credential``'s credit block."""
    _require_credential(graph, credential)
    return {s for s, _, d in graph.in_edges(credential, data=True) if d.get("type") != REQUIRES}


def unlocks(graph: nx.DiGraph[str], credential: str) -> set[str]:
    """Credentials that ``credential`` directly counts towards: by requirement or by transfer.

    "Directly" means through requirement groups but not through another credential.
    """
    _require_credential(graph, credential)
    return _credential_neighbours(graph, credential, forward=True, edge_type=None)


def entry_points(graph: nx.DiGraph[str]) -> list[str]:
    """Credentials with no requirement: a learner can start them from zero."""
    return [
        n
        for n in credential_ids(graph)
        if not any(d.get("type") == REQUIRES for _, _, d in graph.in_edges(n, data=True))
    ]


def dependency_graph(graph: nx.DiGraph[str], nodes: Iterable[str] | None = None) -> nx.DiGraph[str]:
    """Credentials only, with an edge a -> b whenever a counts towards b (any path of groups)."""
    keep = set(credential_ids(graph) if nodes is None else nodes)
    projected: nx.DiGraph[str] = nx.DiGraph()
    projected.add_nodes_from(n for n in credential_ids(graph) if n in keep)
    for node in projected.nodes:
        for target in _credential_neighbours(graph, node, forward=True, edge_type=None):
            if target in keep:
                projected.add_edge(node, target)
    return projected


def levels(graph: nx.DiGraph[str]) -> dict[str, int]:
    """Topological level of every credential: 0 for entry credentials, otherwise one more than
    the highest level of anything that counts towards it (requirement or transfer).

    Levels are longest-path depths, so a degree sits above every certificate that feeds it.
    O(V + E) on the acyclic graph that a valid catalogue gives.
    """
    projected = dependency_graph(graph)
    result: dict[str, int] = {}
    for node in nx.topological_sort(projected):
        result[node] = max((result[p] + 1 for p in projected.predecessors(node)), default=0)
    return result


def groups_of(graph: nx.DiGraph[str], credential: str) -> list[str]:
    """The requirement-group nodes owned by ``credential``, outermost first."""
    return sorted(
        (
            n
            for n, d in graph.nodes(data=True)
            if d.get("node_type") == GROUP and d.get("owner") == credential
        ),
        key=lambda n: (len(str(graph.nodes[n]["path"])), str(graph.nodes[n]["path"])),
    )


def _credential_neighbours(
    graph: nx.DiGraph[str], start: str, *, forward: bool, edge_type: str | None
) -> set[str]:
    """Credentials reached from ``start`` in one step, walking through group nodes."""
    found: set[str] = set()
    stack = [start]
    seen = {start}
    while stack:
        node = stack.pop()
        edges = graph.out_edges(node, data=True) if forward else graph.in_edges(node, data=True)
        for source, target, data in edges:
            if edge_type is not None and data.get("type") != edge_type:
                continue
            other = target if forward else source
            if other in seen:
                continue
            seen.add(other)
            if is_credential(graph, other):
                found.add(other)
            else:
                stack.append(other)
    return found


def _require_credential(graph: nx.DiGraph[str], node: str) -> None:
    if node not in graph or not is_credential(graph, node):
        raise KeyError(f"unknown credential {node!r}")
