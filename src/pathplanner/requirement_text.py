"""Requirements as readable one-line text: ``all of (A, B)``, ``2 of (A, B, C)``,
``30 credits from (X, Y: 6)``. The same form is used by the CLI, the UI and CSV exports."""

from __future__ import annotations

from pathplanner.model import AllOf, AnyOf, CreditItem, Requirement


def requirement_text(requirement: Requirement | None) -> str:
    """One-line text of a requirement; ``""`` for none."""
    if requirement is None:
        return ""
    if isinstance(requirement, str):
        return requirement
    if isinstance(requirement, AllOf):
        return f"all of ({', '.join(requirement_text(r) for r in requirement.all)})"
    if isinstance(requirement, AnyOf):
        options = ", ".join(requirement_text(r) for r in requirement.any)
        if requirement.count == 1:
            return f"any of ({options})"
        return f"{requirement.count} of ({options})"
    items = ", ".join(item_text(i) for i in requirement.from_)
    return f"{requirement.credits:g} credits from ({items})"


def item_text(item: str | CreditItem) -> str:
    """``X`` or ``X: 6`` when the item overrides the credential's credits."""
    if isinstance(item, str) or item.credits is None:
        return item if isinstance(item, str) else item.id
    return f"{item.id}: {item.credits:g}"
