"""Typed records for what the gap analysis finds, and the qualification levels it compares.

A :class:`Finding` names the credentials involved (so a UI can select them on the graph), how
serious it is, a readable message and the numbers behind it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pathplanner.model import Kind


class FindingKind(StrEnum):
    DEAD_END = "dead_end"
    STRANDED = "stranded"
    NO_ON_RAMP = "no_on_ramp"
    MISSING_BRIDGE = "missing_bridge"
    OVERLAP = "overlap"
    OVER_BUDGET = "over_budget"
    IN_PERSON_ONLY = "in_person_only"
    TOO_MANY_HOURS = "too_many_hours"
    CYCLE = "cycle"
    REDUNDANT_PREREQUISITE = "redundant_prerequisite"
    UNMEETABLE_REQUIREMENT = "unmeetable_requirement"

    @property
    def category(self) -> str:
        """The question a finding answers: the Gaps panel groups by this."""
        return _CATEGORY[self]


_CATEGORY = {
    FindingKind.DEAD_END: "dead_ends",
    FindingKind.STRANDED: "reachability",
    FindingKind.NO_ON_RAMP: "reachability",
    FindingKind.MISSING_BRIDGE: "bridges",
    FindingKind.OVERLAP: "overlap",
    FindingKind.OVER_BUDGET: "equity",
    FindingKind.IN_PERSON_ONLY: "equity",
    FindingKind.TOO_MANY_HOURS: "equity",
    FindingKind.CYCLE: "structure",
    FindingKind.REDUNDANT_PREREQUISITE: "structure",
    FindingKind.UNMEETABLE_REQUIREMENT: "structure",
}


class FindingSeverity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    severity: FindingSeverity
    credentials: tuple[str, ...]  # the first is the one the finding is about
    message: str
    numbers: Mapping[str, float] = field(default_factory=dict)

    @property
    def category(self) -> str:
        return self.kind.category

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "category": self.category,
            "severity": self.severity.value,
            "credentials": list(self.credentials),
            "message": self.message,
            "numbers": dict(self.numbers),
        }


# Qualification levels, lowest first; ``other`` has no level (it is not compared).
LEVELS: tuple[tuple[str, frozenset[Kind]], ...] = (
    ("badge", frozenset({Kind.BADGE, Kind.MICRO_CREDENTIAL})),
    ("certificate", frozenset({Kind.CERTIFICATE, Kind.CERTIFICATION, Kind.LICENSE})),
    ("diploma", frozenset({Kind.DIPLOMA})),
    ("associate", frozenset({Kind.ASSOCIATE})),
    ("bachelor", frozenset({Kind.BACHELOR})),
    ("master", frozenset({Kind.MASTER})),
    ("doctorate", frozenset({Kind.DOCTORATE})),
)
QUALIFICATION_KINDS = frozenset(
    {Kind.DIPLOMA, Kind.ASSOCIATE, Kind.BACHELOR, Kind.MASTER, Kind.DOCTORATE}
)
_LEVEL_OF_KIND = {kind: rank for rank, (_, kinds) in enumerate(LEVELS) for kind in kinds}


def level_of(kind: Kind) -> int | None:
    """0 for badges and micro-credentials ... 6 for doctorates; None for ``other``."""
    return _LEVEL_OF_KIND.get(kind)


def level_name(level: int) -> str:
    return LEVELS[level][0]
