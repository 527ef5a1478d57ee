"""Requirements as readable one-line text: ``all of (A, B)``, ``2 of (A, B, C)``,
``30 credits from (X, Y: 6)``. The same form is used by the CLI, the UI and CSV files, and
:func:`parse_requirement_text` reads it back (``parse(text(r)) == r``)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from pathplanner.model import AllOf, AnyOf, CreditItem, CreditsFrom, Requirement

_T = TypeVar("_T")

# Ids holding these (or spaces at either end) are written in double quotes so they read back.
_NEEDS_QUOTES = re.compile(r'[(),"]|:\s|^\s|\s$|^$')


def requirement_text(requirement: Requirement | None) -> str:
    """One-line text of a requirement; ``""`` for none."""
    if requirement is None:
        return ""
    if isinstance(requirement, str):
        return _quoted(requirement)
    if isinstance(requirement, AllOf):
        return f"all of ({', '.join(requirement_text(r) for r in requirement.all)})"
    if isinstance(requirement, AnyOf):
        options = ", ".join(requirement_text(r) for r in requirement.any)
        if requirement.count == 1:
            return f"any of ({options})"
        return f"{requirement.count} of ({options})"
    return f"{_number(requirement.credits)} credits from ({items_text(requirement.from_)})"


def item_text(item: str | CreditItem) -> str:
    """``X`` or ``X: 6`` when the item overrides the credential's credits."""
    if isinstance(item, str) or item.credits is None:
        return _quoted(item if isinstance(item, str) else item.id)
    return f"{_quoted(item.id)}: {_number(item.credits)}"


def _quoted(identifier: str) -> str:
    if _NEEDS_QUOTES.search(identifier):
        return '"' + identifier.replace('"', '""') + '"'
    return identifier


def _number(value: float) -> str:
    """Shortest text that reads back as the same float (``6``, ``7.5``, ``0.1``)."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class RequirementSyntaxError(ValueError):
    """Requirement text that cannot be read; ``position`` is the 1-based character."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position})")
        self.reason = message
        self.position = position


def parse_requirement_text(text: str) -> Requirement | None:
    """Read the text form back into a requirement; ``""`` is no requirement."""
    if not text.strip():
        return None
    parser = _Parser(text)
    requirement = parser.requirement()
    parser.skip_space()
    if parser.pos < len(text):
        parser.fail(f"unexpected {text[parser.pos]!r} after the requirement")
    return requirement


def parse_item_list(text: str) -> list[str | CreditItem]:
    """Read ``x, y: 6, "a, b"`` (a transfer list; the inside of ``credits from (...)``)."""
    if not text.strip():
        return []
    parser = _Parser(text)
    items: list[str | CreditItem] = [parser.item()]
    parser.skip_space()
    while parser.peek() == ",":
        parser.pos += 1
        items.append(parser.item())
        parser.skip_space()
    if parser.pos < len(text):
        parser.fail(f"unexpected {text[parser.pos]!r}")
    return items


def items_text(items: Iterable[str | CreditItem]) -> str:
    """The inverse of :func:`parse_item_list`."""
    return ", ".join(item_text(i) for i in items)


_GROUP = re.compile(
    r"^(?:(?P<all>all)|(?P<any>any)|(?P<count>\d+))\s+of$|^(?P<credits>[0-9.eE+-]+)\s+credits?\s+from$",
    re.IGNORECASE,
)
_OVERRIDE = re.compile(r"^(?P<id>.*?\S)\s*:\s+(?P<credits>[0-9.eE+-]+)$")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> None:
        raise RequirementSyntaxError(message, self.pos + 1)

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def requirement(self) -> Requirement:
        self.skip_space()
        if self.peek() == '"':
            return self.quoted()
        start = self.pos
        head = self.head()
        if self.peek() != "(":
            if not head:
                self.fail("expected a credential id or a group such as 'all of (...)'")
            return head
        match = _GROUP.match(head)
        if match is None:
            self.pos = start
            self.fail(
                f"unknown group {head!r}: expected 'all of', 'any of', 'K of' or 'N credits from'"
            )
        assert match is not None
        self.pos += 1  # "("
        if match["credits"]:
            credits = self.number(match["credits"], start)
            if credits <= 0:
                self.pos = start
                self.fail("a credit requirement needs more than 0 credits")
            items = self.list_of(self.item)
            return CreditsFrom.model_validate({"credits": credits, "from": items})
        subs = self.list_of(self.requirement)
        if match["all"]:
            return AllOf(all=tuple(subs))
        count = 1 if match["any"] else int(match["count"])
        if count < 1:
            self.pos = start
            self.fail("'0 of (...)' requires nothing; write the count as 1 or more")
        if count > len(subs):
            self.pos = start
            self.fail(f"'{count} of' needs at least {count} options, found {len(subs)}")
        return AnyOf(any=tuple(subs), count=count)

    def head(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in '(),"':
            self.pos += 1
        return self.text[start : self.pos].strip()

    def quoted(self) -> str:
        start = self.pos
        self.pos += 1
        out = []
        while True:
            if self.pos >= len(self.text):
                self.pos = start
                self.fail("unclosed quote")
            char = self.text[self.pos]
            if char == '"':
                if self.text[self.pos + 1 : self.pos + 2] == '"':
                    out.append('"')
                    self.pos += 2
                    continue
                self.pos += 1
                return "".join(out)
            out.append(char)
            self.pos += 1

    def item(self) -> str | CreditItem:
        self.skip_space()
        start = self.pos
        if self.peek() == '"':
            identifier = self.quoted()
            self.skip_space()
            if self.peek() == ":":
                self.pos += 1
                rest = self.head()
                return CreditItem(id=identifier, credits=self.number(rest, start))
            return identifier
        head = self.head()
        if not head:
            self.fail("expected a credential id")
        match = _OVERRIDE.match(head)
        if match is None:
            if re.search(r":\s", head):
                self.pos = start
                self.fail(f"{head.split(':')[-1].strip()!r} after ':' is not a credit number")
            return head
        return CreditItem(id=match["id"], credits=self.number(match["credits"], start))

    def number(self, text: str, start: int) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            self.pos = start
            self.fail(f"{text!r} is not a credit number")
        return value

    def list_of(self, element: Callable[[], _T]) -> list[_T]:
        items = []
        while True:
            items.append(element())
            self.skip_space()
            if self.peek() == ",":
                self.pos += 1
                continue
            if self.peek() == ")":
                self.pos += 1
                return items
            self.fail("expected ',' or ')'" if self.peek() else "missing ')'")
