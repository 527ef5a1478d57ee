"""Layered ("Sugiyama") layout of the credential graph, left to right: pure Python, no Qt.

Definition
    Nodes are the credential and requirement-group nodes of :func:`build_graph` (optionally
    restricted to a set of credentials, e.g. a goal's closure, plus the groups they own).
    1. **Layers**: longest-path layering, so every edge goes from a lower layer to a higher one
       (entry credentials in layer 0, degrees last); a requirement group is then pulled up to
       the layer just before the credential it belongs to, so "2 of 5" sits beside its owner.
    2. **Long edges** spanning several layers are split by invisible *dummy* points, one per
       layer crossed, so edges bend around nodes rather than through them.
    3. **Crossing reduction**: alternating barycentre sweeps (down using predecessors, up using
       successors); the ordering with the fewest crossings seen is kept, then neighbours in a
       layer are swapped while a swap removes crossings ("transpose", for graphs of up to
       ``TRANSPOSE_LIMIT`` nodes with dummies: a goal's closure, a small catalogue).
    4. **Coordinates**: layers are columns (x grows with the layer); within a column nodes are
       stacked top to bottom, then nudged towards the mean y of their neighbours without
       overlapping (a few alternating passes), and each edge is routed through its dummies.

Complexity: O(S · (V + E) log V) for S sweeps over V nodes (including dummies) and E edges,
plus O(sum of degree products of neighbours) per transpose pass; a 2,000-credential catalogue
lays out in well under a second.

>>> layout = layered_layout(build_graph(catalog))  # doctest: +SKIP
>>> layout.nodes["aas-it"].layer, layout.nodes["aas-it"].x  # doctest: +SKIP
(3, 912.0)
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from pathplanner.graph.build import CREDENTIAL, GROUP

DUMMY = "dummy"


class LayoutCancelledError(Exception):
    """The caller's ``cancel`` callback asked the layout to stop."""


@dataclass(frozen=True)
class LayoutSizes:
    """Sizes in scene units (pixels at 100 % zoom)."""

    credential_width: float = 190.0
    credential_height: float = 48.0
    group_width: float = 78.0
    group_height: float = 26.0
    dummy_height: float = 6.0
    layer_gap: float = 80.0  # horizontal space between columns, for the edges
    node_gap: float = 14.0  # vertical space between nodes of a column
    margin: float = 20.0


@dataclass(frozen=True)
class PlacedNode:
    """A node's box: centre (``x``, ``y``), size, and its layer (column)."""

    id: str
    node_type: str  # "credential" or "group"
    layer: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class RoutedEdge:
    """An edge as a polyline from the source's right side to the target's left side."""

    source: str
    target: str
    type: str  # "requires" or "transfer"
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class GraphLayout:
    nodes: dict[str, PlacedNode]
    edges: tuple[RoutedEdge, ...]
    width: float
    height: float
    layer_x: tuple[float, ...]  # centre x of each layer (column)
    crossings: int  # edge crossings between adjacent layers in the final ordering
    credential_layers: frozenset[int] = field(default_factory=frozenset)

    def level_of(self, layer: int) -> int:
        """Credential level of a layer: how many credential-holding layers come before it."""
        return sum(1 for x in self.credential_layers if x < layer)


Progress = Callable[[float, str], None]
Cancel = Callable[[], bool]


def layered_layout(
    graph: nx.DiGraph[str],
    credentials: Iterable[str] | None = None,
    *,
    sizes: LayoutSizes | None = None,
    sweeps: int = 8,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> GraphLayout:
    """Lay out ``graph`` (or only ``credentials`` and the groups they own); see module doc.

    ``progress(fraction, message)`` is called between phases and ``cancel()`` is polled there;
    when it returns true, :class:`LayoutCancelledError` is raised.
    """
    sizes = sizes or LayoutSizes()

    def step(fraction: float, message: str) -> None:
        if cancel is not None and cancel():
            raise LayoutCancelledError
        if progress is not None:
            progress(fraction, message)

    step(0.0, "choosing nodes")
    sub = _subgraph(graph, credentials)
    step(0.1, "assigning layers")
    layer = _layers(sub)
    step(0.2, "routing long edges")
    chains, layer_nodes, preds, succs = _split_long_edges(sub, layer)
    step(0.3, "reducing crossings")
    best = _reduce_crossings(layer_nodes, preds, succs, sweeps, step)
    step(0.8, "placing nodes")
    height_of = _height_function(sub, sizes)
    width_of_layer = [
        max((_width(sub, n, sizes) for n in nodes), default=sizes.group_width) for nodes in best
    ]
    layer_x: list[float] = []
    x = sizes.margin
    for width in width_of_layer:
        layer_x.append(x + width / 2)
        x += width + sizes.layer_gap
    total_width = x - sizes.layer_gap + sizes.margin if best else 2 * sizes.margin
    y_of = _place_vertically(best, preds, succs, height_of, sizes)
    step(0.95, "routing edges")

    nodes: dict[str, PlacedNode] = {}
    credential_layers: set[int] = set()
    for index, column in enumerate(best):
        for node in column:
            if node in sub:
                node_type = str(sub.nodes[node]["node_type"])
                if node_type == CREDENTIAL:
                    credential_layers.add(index)
                nodes[node] = PlacedNode(
                    id=node,
                    node_type=node_type,
                    layer=index,
                    x=layer_x[index],
                    y=y_of[node],
                    width=_width(sub, node, sizes),
                    height=height_of(node),
                )
    edges = []
    for (source, target, edge_type), chain in chains.items():
        a, b = nodes[source], nodes[target]
        points = [(a.x + a.width / 2, a.y)]
        points += [(layer_x[layer[d]], y_of[d]) for d in chain]
        points.append((b.x - b.width / 2, b.y))
        edges.append(RoutedEdge(source, target, edge_type, tuple(points)))
    bottom = max((n.y + n.height / 2 for n in nodes.values()), default=0.0)
    step(1.0, "done")
    return GraphLayout(
        nodes=nodes,
        edges=tuple(edges),
        width=total_width,
        height=bottom + sizes.margin,
        layer_x=tuple(layer_x),
        crossings=_total_crossings(best, succs),
        credential_layers=frozenset(credential_layers),
    )


def _subgraph(graph: nx.DiGraph[str], credentials: Iterable[str] | None) -> nx.DiGraph[str]:
    """The credentials asked for, the groups they own, and the edges among those nodes."""
    if credentials is None:
        return graph
    keep = set(credentials)
    unknown = [c for c in keep if c not in graph]
    if unknown:
        raise KeyError(f"unknown credential {sorted(unknown)[0]!r}")
    keep |= {
        n
        for n, d in graph.nodes(data=True)
        if d.get("node_type") == GROUP and d.get("owner") in keep
    }
    # A copy in the graph's (catalogue) order: a subgraph view would iterate its node set in
    # hash order, and the layout would change from run to run.
    sub: nx.DiGraph[str] = nx.DiGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in graph.nodes if n in keep)
    sub.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return sub


def _layers(graph: nx.DiGraph[str]) -> dict[str, int]:
    """Longest-path layers; groups moved up to just before their (single) successor."""
    acyclic = graph if nx.is_directed_acyclic_graph(graph) else _break_cycles(graph)
    order = list(nx.topological_sort(acyclic))
    layer: dict[str, int] = {}
    for node in order:
        layer[node] = max((layer[p] + 1 for p in acyclic.predecessors(node)), default=0)
    for node in reversed(order):
        if graph.nodes[node].get("node_type") == GROUP:
            successors = [layer[s] for s in acyclic.successors(node)]
            if successors:
                layer[node] = min(successors) - 1
    return layer


def _break_cycles(graph: nx.DiGraph[str]) -> nx.DiGraph[str]:
    """A copy without the back edges a depth-first search finds (a valid catalogue has none)."""
    acyclic: nx.DiGraph[str] = nx.DiGraph(graph)
    while True:
        try:
            cycle = nx.find_cycle(acyclic)
        except nx.NetworkXNoCycle:
            return acyclic
        acyclic.remove_edge(cycle[-1][0], cycle[-1][1])


Chains = dict[tuple[str, str, str], list[str]]


def _split_long_edges(
    graph: nx.DiGraph[str], layer: dict[str, int]
) -> tuple[Chains, list[list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """Dummy nodes for every layer an edge crosses; returns the chains and the layered graph."""
    count = max(layer.values(), default=-1) + 1
    layer_nodes: list[list[str]] = [[] for _ in range(count)]
    for node in graph.nodes:  # catalogue order is the starting order
        layer_nodes[layer[node]].append(node)
    preds: dict[str, list[str]] = {n: [] for n in graph.nodes}
    succs: dict[str, list[str]] = {n: [] for n in graph.nodes}
    chains: Chains = {}
    for source, target, data in graph.edges(data=True):
        edge_type = str(data.get("type", "requires"))
        low, high = (source, target) if layer[source] < layer[target] else (target, source)
        chain = []
        previous = low
        for between in range(layer[low] + 1, layer[high]):
            dummy = f"\x00{source}\x00{target}\x00{between}"
            layer[dummy] = between
            layer_nodes[between].append(dummy)
            preds[dummy] = []
            succs[dummy] = []
            succs[previous].append(dummy)
            preds[dummy].append(previous)
            chain.append(dummy)
            previous = dummy
        succs[previous].append(high)
        preds[high].append(previous)
        chains[(source, target, edge_type)] = chain if low == source else chain[::-1]
    return chains, layer_nodes, preds, succs


def _reduce_crossings(
    layer_nodes: list[list[str]],
    preds: dict[str, list[str]],
    succs: dict[str, list[str]],
    sweeps: int,
    step: Callable[[float, str], None],
) -> list[list[str]]:
    order = [list(nodes) for nodes in layer_nodes]
    best = [list(nodes) for nodes in order]
    best_crossings = _total_crossings(best, succs)
    for sweep in range(sweeps):
        if best_crossings == 0:
            break
        step(0.3 + 0.5 * sweep / max(sweeps, 1), "reducing crossings")
        downward = sweep % 2 == 0
        indices = range(1, len(order)) if downward else range(len(order) - 2, -1, -1)
        for i in indices:
            fixed = order[i - 1] if downward else order[i + 1]
            neighbours = preds if downward else succs
            position = {n: k for k, n in enumerate(fixed)}
            order[i] = _barycentre_sort(order[i], neighbours, position)
        crossings = _total_crossings(order, succs)
        if crossings < best_crossings:
            best_crossings = crossings
            best = [list(nodes) for nodes in order]
    if best_crossings > 0 and sum(len(nodes) for nodes in best) <= TRANSPOSE_LIMIT:
        step(0.75, "reducing crossings")
        _transpose(best, preds, succs)
    return best


TRANSPOSE_LIMIT = 3000  # nodes (with dummies): above this the swaps cost more than they give


def _transpose(
    order: list[list[str]], preds: dict[str, list[str]], succs: dict[str, list[str]]
) -> None:
    """Swap neighbours within a layer while that removes crossings with both adjacent layers
    (the "transpose" refinement of Gansner et al.); a few passes, in place."""
    positions = [{n: k for k, n in enumerate(nodes)} for nodes in order]
    for _ in range(4):
        improved = False
        for i, nodes in enumerate(order):
            above = positions[i - 1] if i > 0 else {}
            below = positions[i + 1] if i + 1 < len(order) else {}
            for k in range(len(nodes) - 1):
                u, v = nodes[k], nodes[k + 1]
                now = _pair_crossings(u, v, preds, above) + _pair_crossings(u, v, succs, below)
                swapped = _pair_crossings(v, u, preds, above) + _pair_crossings(v, u, succs, below)
                if swapped < now:
                    nodes[k], nodes[k + 1] = v, u
                    positions[i][u], positions[i][v] = k + 1, k
                    improved = True
        if not improved:
            return


def _pair_crossings(
    left: str, right: str, neighbours: dict[str, list[str]], position: dict[str, int]
) -> int:
    """Crossings between the edges of ``left`` and of ``right`` (left placed first) towards
    one adjacent layer."""
    ends_left = [position[n] for n in neighbours[left] if n in position]
    ends_right = [position[n] for n in neighbours[right] if n in position]
    return sum(1 for a in ends_left for b in ends_right if a > b)


def _barycentre_sort(
    nodes: list[str], neighbours: dict[str, list[str]], position: dict[str, int]
) -> list[str]:
    """Sort by the mean position of the neighbours in the fixed layer; nodes without any keep
    their current place (stable sort on their own index)."""
    keys = []
    for index, node in enumerate(nodes):
        places = [position[n] for n in neighbours[node] if n in position]
        keys.append((sum(places) / len(places) if places else float(index), index, node))
    keys.sort()
    return [node for _, _, node in keys]


def _total_crossings(order: list[list[str]], succs: dict[str, list[str]]) -> int:
    total = 0
    for upper, lower in itertools.pairwise(order):
        position = {n: k for k, n in enumerate(lower)}
        ends = [k for s in upper for k in sorted(position[t] for t in succs[s] if t in position)]
        total += _inversions(ends)
    return total


def _inversions(values: list[int]) -> int:
    """Pairs i < j with values[i] > values[j]: the crossings between two adjacent layers when
    ``values`` lists the lower end of each edge ordered by upper end. O(n log n)."""
    seen: list[int] = []
    count = 0
    for value in values:
        index = bisect.bisect_right(seen, value)
        count += len(seen) - index
        seen.insert(index, value)
    return count


def _width(graph: nx.DiGraph[str], node: str, sizes: LayoutSizes) -> float:
    if node not in graph:
        return 0.0
    if graph.nodes[node].get("node_type") == GROUP:
        return sizes.group_width
    return sizes.credential_width


def _height_function(graph: nx.DiGraph[str], sizes: LayoutSizes) -> Callable[[str], float]:
    def height(node: str) -> float:
        if node not in graph:
            return sizes.dummy_height
        if graph.nodes[node].get("node_type") == GROUP:
            return sizes.group_height
        return sizes.credential_height

    return height


def _place_vertically(
    order: list[list[str]],
    preds: dict[str, list[str]],
    succs: dict[str, list[str]],
    height_of: Callable[[str], float],
    sizes: LayoutSizes,
) -> dict[str, float]:
    """Stack each column, then pull nodes towards their neighbours' mean without overlaps."""
    y: dict[str, float] = {}
    for column in order:
        top = sizes.margin
        for node in column:
            h = height_of(node)
            y[node] = top + h / 2
            top += h + sizes.node_gap
    for sweep in range(4):
        downward = sweep % 2 == 0
        indices = range(1, len(order)) if downward else range(len(order) - 2, -1, -1)
        neighbours = preds if downward else succs
        for i in indices:
            column = order[i]
            wanted = []
            for node in column:
                around = [y[n] for n in neighbours[node]]
                wanted.append(sum(around) / len(around) if around else y[node])
            _pack(column, wanted, y, height_of, sizes)
    shift = sizes.margin - min(
        (y[c[0]] - height_of(c[0]) / 2 for c in order if c), default=sizes.margin
    )
    return {node: value + shift for node, value in y.items()}


def _pack(
    column: list[str],
    wanted: list[float],
    y: dict[str, float],
    height_of: Callable[[str], float],
    sizes: LayoutSizes,
) -> None:
    """Place ``column`` in order as near to ``wanted`` as possible without overlaps: push down
    what collides going down, then centre each run of touching nodes on its wishes."""
    placed: list[float] = []
    for index, node in enumerate(column):
        value = wanted[index]
        if placed:
            prev = column[index - 1]
            lowest = placed[-1] + (height_of(prev) + height_of(node)) / 2 + sizes.node_gap
            value = max(value, lowest)
        placed.append(value)
    # Pull blocks of touching nodes up so their mean offset from the wishes is zero.
    start = 0
    while start < len(column):
        end = start
        while end + 1 < len(column):
            gap = (height_of(column[end]) + height_of(column[end + 1])) / 2 + sizes.node_gap
            if placed[end + 1] - placed[end] > gap + 1e-6:
                break
            end += 1
        offset = sum(placed[k] - wanted[k] for k in range(start, end + 1)) / (end - start + 1)
        if offset > 0:
            limit = offset
            if start > 0:
                gap = (height_of(column[start - 1]) + height_of(column[start])) / 2
                limit = min(limit, placed[start] - placed[start - 1] - gap - sizes.node_gap)
            for k in range(start, end + 1):
                placed[k] -= max(limit, 0.0)
        start = end + 1
    for node, value in zip(column, placed, strict=True):
        y[node] = value
