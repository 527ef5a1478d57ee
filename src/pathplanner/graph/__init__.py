"""The credential graph and the algorithms over it: pure Python and NetworkX, no Qt."""

from pathplanner.graph.build import build_graph
from pathplanner.graph.queries import (
    closure,
    credential_ids,
    dependency_graph,
    entry_points,
    levels,
    prerequisites,
    transfer_sources,
    unlocks,
)

__all__ = [
    "build_graph",
    "closure",
    "credential_ids",
    "dependency_graph",
    "entry_points",
    "levels",
    "prerequisites",
    "transfer_sources",
    "unlocks",
]
