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
    graph: nx.DiGraph[str] = nx.DiGraph(name=catalog.name, currency=catalog.currency)
    for credential in catalog.credentials:
        graph.add_node(credential.id, **_credential_attributes(credential, catalog))
    for credential in catalog.credentials:
        if credential.requires is not None:
            _add_requirement(graph, catalog, credential.id, credential.requires, "requires")
        for item in credential.transfer:
            graph.add_edge(
                item_id(item),
                credential.id,
                type=TRANSFER,
                credits=credit_value(item, catalog),
            )
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


def _add_requirement(
    graph: nx.DiGraph[str],
    catalog: Catalog,
    target: str,
    requirement: Requirement,
    path: str,
    *,
    owner: str | None = None,
) -> None:
    """Add the edges (and group nodes) that make ``requirement`` count towards ``target``."""
    owner = owner or target
    if isinstance(requirement, str):
        graph.add_edge(requirement, target, type=REQUIRES)
        return
    group = f"{owner}::{path}"
    if isinstance(requirement, AllOf):
        graph.add_node(
            group, node_type=GROUP, op="all", owner=owner, path=path, count=len(requirement.all)
        )
        for i, sub in enumerate(requirement.all):
            _add_requirement(graph, catalog, group, sub, f"{path}.all[{i}]", owner=owner)
    elif isinstance(requirement, AnyOf):
        graph.add_node(
            group,
            node_type=GROUP,
            op="any",
            owner=owner,
            path=path,
            count=requirement.count,
            options=len(requirement.any),
        )
        for i, sub in enumerate(requirement.any):
            _add_requirement(graph, catalog, group, sub, f"{path}.any[{i}]", owner=owner)
    else:
        graph.add_node(
            group,
            node_type=GROUP,
            op="credits",
            owner=owner,
            path=path,
            credits=requirement.credits,
            options=len(requirement.from_),
        )
        for item in requirement.from_:
            graph.add_edge(item_id(item), group, type=REQUIRES, credits=credit_value(item, catalog))
    graph.add_edge(group, target, type=REQUIRES)
