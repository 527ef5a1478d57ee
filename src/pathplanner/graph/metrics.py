"""Curricular Analytics complexity metrics (Heileman et al. 2018) over the prerequisite DAG.

Definitions (as in CurricularAnalytics.jl), for a credential ``v`` of a curriculum graph G:

* **blocking factor** b(v): how many credentials can be reached from ``v`` by a prerequisite
  path (failing ``v`` blocks all of them);
* **delay factor** d(v): the number of credentials on the longest path through ``v``;
* **centrality** q(v): the sum of the lengths (number of credentials) of all paths from a source
  (nothing required) to a sink (nothing requires it) that pass through ``v`` with ``v`` neither
  first nor last (so every such path has at least three credentials);
* **structural complexity** (cruciality) h(v) = d(v) + b(v).

The totals are the sums over the credentials. Which edges count is fixed in ``docs/analysis.md``:
an edge a -> b when ``a`` is named anywhere in ``b``'s ``requires`` (plain, ``all``, ``any k``
options and ``credits from`` items alike); transfer links only with ``include_transfer``.

Everything is computed by dynamic programming over one topological order, never by listing
paths: blocking with descendant bitsets (Python ints), delay with longest paths in and out,
centrality with path counts and path-length sums from sources and to sinks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pathplanner.model import Catalog, item_id, requirement_refs

MetricName = Literal["blocking", "delay", "centrality", "complexity"]
METRIC_NAMES: tuple[MetricName, ...] = ("blocking", "delay", "centrality", "complexity")


class MetricsError(ValueError):
    """The graph cannot be measured (it has a cycle, or the goal is unknown)."""


class AnalysisCancelledError(Exception):
    """The caller's cancel callback asked an analysis to stop."""


@dataclass(frozen=True, slots=True)
class CredentialMetrics:
    blocking: int
    delay: int
    centrality: int

    @property
    def complexity(self) -> int:
        """Structural complexity (cruciality): delay factor + blocking factor."""
        return self.blocking + self.delay

    def value(self, metric: MetricName) -> int:
        return self.complexity if metric == "complexity" else int(getattr(self, metric))

    def to_json(self) -> dict[str, int]:
        return {name: self.value(name) for name in METRIC_NAMES}


@dataclass(frozen=True)
class CurriculumMetrics:
    """Per-credential metrics and totals for a whole catalogue or one goal's pathway."""

    goal: str | None  # None: the whole catalogue
    include_transfer: bool
    per_credential: Mapping[str, CredentialMetrics]
    longest_path: tuple[str, ...]  # one longest prerequisite chain, first to last
    edges: int = field(default=0)

    def total(self, metric: MetricName) -> int:
        return sum(m.value(metric) for m in self.per_credential.values())

    @property
    def complexity(self) -> int:
        return self.total("complexity")

    def values(self, metric: MetricName) -> dict[str, int]:
        """``metric`` for every credential: what a heat-map overlay colours by."""
        return {cid: m.value(metric) for cid, m in self.per_credential.items()}

    def top(self, metric: MetricName, n: int = 5) -> list[tuple[str, int]]:
        ranked = sorted(self.values(metric).items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:n]

    def to_json(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "include_transfer": self.include_transfer,
            "credentials": len(self.per_credential),
            "edges": self.edges,
            "totals": {name: self.total(name) for name in METRIC_NAMES},
            "longest_path": list(self.longest_path),
            "per_credential": {cid: m.to_json() for cid, m in self.per_credential.items()},
        }


def prerequisite_map(catalog: Catalog, *, include_transfer: bool = False) -> dict[str, list[str]]:
    """Each credential's direct prerequisites (known ids, no repeats, in catalogue order)."""
    known = catalog.credentials_by_id
    result: dict[str, list[str]] = {}
    for credential in catalog.credentials:
        refs = requirement_refs(credential.requires)
        if include_transfer:
            refs += [item_id(item) for item in credential.transfer]
        result[credential.id] = [
            r for r in dict.fromkeys(refs) if r in known and r != credential.id
        ]
    return result


def pathway(prerequisites: Mapping[str, Sequence[str]], goal: str) -> set[str]:
    """The goal and every credential with a prerequisite path to it."""
    if goal not in prerequisites:
        raise MetricsError(f"unknown goal credential {goal!r}")
    seen = {goal}
    stack = [goal]
    while stack:
        for before in prerequisites[stack.pop()]:
            if before not in seen:
                seen.add(before)
                stack.append(before)
    return seen


def catalog_metrics(
    catalog: Catalog,
    goal: str | None = None,
    *,
    include_transfer: bool = False,
    include_goal: bool = True,
    cancel: Callable[[], bool] | None = None,
) -> CurriculumMetrics:
    """The metrics of the whole catalogue, or of ``goal``'s pathway when a goal is given.

    With ``include_goal=False`` the goal itself is left out and only what it requires is
    measured: a degree measured as its curriculum, as Curricular Analytics does.
    """
    prerequisites = prerequisite_map(catalog, include_transfer=include_transfer)
    nodes: Iterable[str] = prerequisites
    if goal is not None:
        keep = pathway(prerequisites, goal)
        if not include_goal:
            keep.discard(goal)
        nodes = [n for n in prerequisites if n in keep]
    node_list = list(nodes)
    edges = [(before, after) for after in node_list for before in prerequisites[after]]
    result = graph_metrics(node_list, edges, cancel=cancel)
    return CurriculumMetrics(
        goal=goal,
        include_transfer=include_transfer,
        per_credential=result.per_credential,
        longest_path=result.longest_path,
        edges=result.edges,
    )


def graph_metrics(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    cancel: Callable[[], bool] | None = None,
) -> CurriculumMetrics:
    """Metrics of the DAG with these nodes and (prerequisite, dependent) edges.

    Edges whose ends are not both in ``nodes`` are ignored; repeated edges count once.
    Raises :class:`MetricsError` naming the credentials left on a cycle.
    """
    nodes = list(dict.fromkeys(nodes))
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    succ: list[list[int]] = [[] for _ in range(n)]
    pred: list[list[int]] = [[] for _ in range(n)]
    seen_edges: set[tuple[int, int]] = set()
    for before, after in edges:
        if before in index and after in index and (index[before], index[after]) not in seen_edges:
            u, v = index[before], index[after]
            seen_edges.add((u, v))
            succ[u].append(v)
            pred[v].append(u)
    order = topological_order(succ, pred)
    if len(order) < n:
        placed = set(order)
        stuck = sorted(node for v, node in enumerate(nodes) if v not in placed)
        shown = ", ".join(stuck[:10]) + (", ..." if len(stuck) > 10 else "")
        raise MetricsError(f"the prerequisite graph has a cycle through {shown}")
    _check(cancel)

    # Longest paths (in nodes) ending at / starting from each node; path counts and the sums
    # of their lengths from any source to the node and from the node to any sink.
    up = [1] * n
    up_from: list[int] = [-1] * n
    count_in = [1] * n
    length_in = [1] * n
    for v in order:
        if pred[v]:
            best = max(pred[v], key=lambda u: up[u])
            up[v] = up[best] + 1
            up_from[v] = best
            count_in[v] = sum(count_in[u] for u in pred[v])
            length_in[v] = sum(length_in[u] for u in pred[v]) + count_in[v]
    _check(cancel)
    down = [1] * n
    count_out = [1] * n
    length_out = [1] * n
    reach = [0] * n  # bitset of descendants
    for k, v in enumerate(reversed(order)):
        if succ[v]:
            down[v] = max(down[w] for w in succ[v]) + 1
            count_out[v] = sum(count_out[w] for w in succ[v])
            length_out[v] = sum(length_out[w] for w in succ[v]) + count_out[v]
            bits = 0
            for w in succ[v]:
                bits |= reach[w] | (1 << w)
            reach[v] = bits
        if cancel is not None and k % 512 == 0:
            _check(cancel)

    per_credential: dict[str, CredentialMetrics] = {}
    for node, v in index.items():
        interior = bool(pred[v]) and bool(succ[v])
        # Sum over source->v->sink paths of their node counts; v is counted in both halves.
        centrality = (
            length_in[v] * count_out[v] + count_in[v] * length_out[v] - count_in[v] * count_out[v]
            if interior
            else 0
        )
        per_credential[node] = CredentialMetrics(
            blocking=reach[v].bit_count(), delay=up[v] + down[v] - 1, centrality=centrality
        )
    return CurriculumMetrics(
        goal=None,
        include_transfer=False,
        per_credential=per_credential,
        longest_path=_longest_path(nodes, order, up, up_from),
        edges=len(seen_edges),
    )


def topological_order(succ: Sequence[Sequence[int]], pred: Sequence[Sequence[int]]) -> list[int]:
    """Kahn's order of nodes 0..n-1; nodes on (or behind) a cycle are left out."""
    indegree = [len(p) for p in pred]
    ready = [v for v, d in enumerate(indegree) if d == 0]
    order: list[int] = []
    while ready:
        v = ready.pop()
        order.append(v)
        for w in succ[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                ready.append(w)
    return order


def _longest_path(
    nodes: Sequence[str], order: list[int], up: list[int], up_from: list[int]
) -> tuple[str, ...]:
    if not order:
        return ()
    end = max(order, key=lambda v: (up[v], -v))
    path = [end]
    while up_from[path[-1]] >= 0:
        path.append(up_from[path[-1]])
    return tuple(nodes[v] for v in reversed(path))


def _check(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise AnalysisCancelledError("metrics cancelled")
