"""Build the credential graph: a NetworkX ``DiGraph`` of credentials and requirement groups.

Nodes
    * a **credential** node per credential, keyed by its id, with ``node_type="credential"`` and
      the credential's attributes (``name``, ``kind``, ``cost``, ...) plus the record itself
      under ``credential``;
    * a **group** node per compound requirement (``all``, ``any``/``count``,
      ``credits``/``from``), keyed ``"<owner id>::<path>"`` (e.g. ``"aas-it::requires.any[1]"``),
      with ``node_type="group"``, ``op`` (``"all"``, ``"any"`` or ``"credits"``), ``count`` or
      ``credits``, ``owner`` and ``path``, so that "2 of 5" and "30 credits from" can be drawn.

Edges always point from a component to what it counts towards:
    * ``type="requires"``: a credential or group satisfies (part of) a requirement of its target;
      inside a ``credits`` group the edge carries the ``credits`` the item brings;
    * ``type="transfer"``: a credential's credits transfer into a credit block, with ``credits``.

A credential required by several others is one node with several out-edges (shared
prerequisites stay shared).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from pathplanner.gc_pause import gc_paused
from pathplanner.model import (
    AllOf,
    AnyOf,
    Catalog,
    Credential,
    CreditItem,
    Requirement,
    credit_value,
    item_id,
)

CREDENTIAL = "credential"
GROUP = "group"
REQUIRES = "requires"
TRANSFER = "transfer"


def build_graph(catalog: Catalog) -> nx.DiGraph[str]:
    """The credential graph of a (validated) catalogue; see the module docstring."""
    with gc_paused():
        return _build_graph(catalog)


def _build_graph(catalog: Catalog) -> nx.DiGraph[str]:
    nodes: list[tuple[str, dict[str, Any]]] = [
        (credential.id, _credential_attributes(credential, catalog))
        for credential in catalog.credentials
    ]
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for credential in catalog.credentials:
        if credential.requires is not None:
            _add_requirement(nodes, edges, catalog, credential.id, credential.requires, "requires")
        if credential.transfer:
            _add_credit_edges(edges, catalog, credential.transfer, credential.id, TRANSFER)
    # Collected first and added in bulk: one add_edge per edge is several times slower. Nodes
    # go in by id, then get their attributes: add_nodes_from((id, attributes) pairs) copies
    # each attribute dict twice.
    graph: nx.DiGraph[str] = nx.DiGraph(name=catalog.name, currency=catalog.currency)
    graph.add_nodes_from([node for node, _ in nodes])
    attributes_of = graph.nodes
    for node, attributes in nodes:
        attributes_of[node].update(attributes)
    graph.add_edges_from(edges)
    return graph


def _credential_attributes(credential: Credential, catalog: Catalog) -> dict[str, Any]:
    provider = catalog.provider_of(credential)
    # str() of these StrEnum members is their value (and cheaper than .value)
    return {
        "node_type": CREDENTIAL,
        "credential": credential,
        "name": credential.name,
        "kind": str(credential.kind),
        "provider": credential.provider,
        "recognition": str(provider.recognition) if provider else None,
        "cost": credential.cost,
        "effort_hours": credential.effort_hours,
        "duration_weeks": credential.duration_weeks,
        "credits": credential.credits,
        "delivery": str(credential.delivery),
        "credits_required": credential.credits_required,
        "transfer_cap": credential.transfer_cap if credential.has_credit_block else None,
    }


# The attributes of a plain requirement edge; add_edges_from copies them into each edge.
_REQUIRES_EDGE: dict[str, Any] = {"type": REQUIRES}


def _add_credit_edges(
    edges: list[tuple[str, str, dict[str, Any]]],
    catalog: Catalog,
    items: tuple[str | CreditItem, ...],
    target: str,
    edge_type: str,
) -> None:
    """An edge carrying its ``credits`` (:func:`credit_value`) from each item to ``target``."""
    credentials = catalog.credentials_by_id
    for item in items:
        credential = credentials.get(item) if isinstance(item, str) else None
        if credential is not None:  # the usual case, without a call
            ref, credits = credential.id, credential.credits
        else:
            ref, credits = item_id(item), credit_value(item, catalog)
        edges.append((ref, target, {"type": edge_type, "credits": credits}))


def _add_requirement(  # noqa: PLR0917 - a recursive helper, all positions are fixed
    nodes: list[tuple[str, dict[str, Any]]],
    edges: list[tuple[str, str, dict[str, Any]]],
    catalog: Catalog,
    target: str,
    requirement: Requirement,
    path: str,
    *,
    owner: str | None = None,
) -> None:
    """Collect the edges (and group nodes) that make ``requirement`` count towards ``target``."""
    owner = owner or target
    if isinstance(requirement, str):
        edges.append((requirement, target, _REQUIRES_EDGE))
        return
    group = f"{owner}::{path}"
    attributes: dict[str, Any] = {"node_type": GROUP, "owner": owner, "path": path}
    if isinstance(requirement, AllOf | AnyOf):
        if isinstance(requirement, AllOf):
            op, subs = "all", requirement.all
            attributes.update(op=op, count=len(subs))
        else:
            op, subs = "any", requirement.any
            attributes.update(op=op, count=requirement.count, options=len(subs))
        nodes.append((group, attributes))
        for i, sub in enumerate(subs):
            if isinstance(sub, str):  # the usual case: no path to name
                edges.append((sub, group, _REQUIRES_EDGE))
            else:
                sub_path = f"{path}.{op}[{i}]"
                _add_requirement(nodes, edges, catalog, group, sub, sub_path, owner=owner)
    else:
        attributes.update(op="credits", credits=requirement.credits, options=len(requirement.from_))
        nodes.append((group, attributes))
        _add_credit_edges(edges, catalog, requirement.from_, group, REQUIRES)
    edges.append((group, target, _REQUIRES_EDGE))
