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
        edges.extend(
            (
                item_id(item),
                credential.id,
                {"type": TRANSFER, "credits": credit_value(item, catalog)},
            )
            for item in credential.transfer
        )
    # Collected first and added in two calls: one add_edge per edge is several times slower.
    graph: nx.DiGraph[str] = nx.DiGraph(name=catalog.name, currency=catalog.currency)
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph


def _credential_attributes(credential: Credential, catalog: Catalog) -> dict[str, Any]:
    provider = catalog.provider_of(credential)
    return {
        "node_type": CREDENTIAL,
        "credential": credential,
        "name": credential.name,
        "kind": credential.kind.value,
        "provider": credential.provider,
        "recognition": provider.recognition.value if provider else None,
        "cost": credential.cost,
        "effort_hours": credential.effort_hours,
        "duration_weeks": credential.duration_weeks,
        "credits": credential.credits,
        "delivery": credential.delivery.value,
        "credits_required": credential.credits_required,
        "transfer_cap": credential.transfer_cap if credential.has_credit_block else None,
    }


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
        edges.append((requirement, target, {"type": REQUIRES}))
        return
    group = f"{owner}::{path}"
    attributes: dict[str, Any] = {"node_type": GROUP, "owner": owner, "path": path}
    if isinstance(requirement, AllOf):
        nodes.append((group, {**attributes, "op": "all", "count": len(requirement.all)}))
        for i, sub in enumerate(requirement.all):
            _add_requirement(nodes, edges, catalog, group, sub, f"{path}.all[{i}]", owner=owner)
    elif isinstance(requirement, AnyOf):
        nodes.append(
            (
                group,
                {
                    **attributes,
                    "op": "any",
                    "count": requirement.count,
                    "options": len(requirement.any),
                },
            )
        )
        for i, sub in enumerate(requirement.any):
            _add_requirement(nodes, edges, catalog, group, sub, f"{path}.any[{i}]", owner=owner)
    else:
        nodes.append(
            (
                group,
                {
                    **attributes,
                    "op": "credits",
                    "credits": requirement.credits,
                    "options": len(requirement.from_),
                },
            )
        )
        edges.extend(
            (item_id(item), group, {"type": REQUIRES, "credits": credit_value(item, catalog)})
            for item in requirement.from_
        )
    edges.append((group, target, {"type": REQUIRES}))
