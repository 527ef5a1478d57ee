"""A plan as an iCalendar file (RFC 5545): one all-day event per step from its start to its
finish, and a to-do due on the intake date of each step whose credential has fixed intakes
(enrol before it). Works on any plan with ``steps`` (``id``, ``start_week``,
``finish_week``) and ``start_date`` (the planner's ``Plan``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from pathplanner.model import Catalog

PRODUCT_ID = "-//pathplanner//plan export//EN"


class StepLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def start_week(self) -> int: ...
    @property
    def finish_week(self) -> int: ...


class PlanLike(Protocol):
    @property
    def steps(self) -> Sequence[StepLike]: ...
    @property
    def start_date(self) -> date: ...


def plan_to_ics(plan: PlanLike, catalog: Catalog, *, now: datetime | None = None) -> str:
    """The iCalendar text (CRLF line ends, lines folded at 75 octets)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    plan_key = hashlib.sha256(
        "|".join(f"{s.id}@{s.start_week}" for s in plan.steps).encode()
        + plan.start_date.isoformat().encode()
    ).hexdigest()[:16]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODUCT_ID}", "CALSCALE:GREGORIAN"]
    for step in plan.steps:
        credential = catalog.credentials_by_id.get(step.id)
        name = credential.name if credential is not None else step.id
        start = plan.start_date + timedelta(weeks=step.start_week)
        finish = plan.start_date + timedelta(weeks=max(step.finish_week, step.start_week + 1))
        provider = catalog.provider_of(credential) if credential is not None else None
        details = [
            f"Credential: {step.id}",
            f"Weeks {step.start_week} to {step.finish_week} of the plan",
        ]
        if provider is not None:
            details.append(f"Provider: {provider.name}")
        if credential is not None and credential.url:
            details.append(credential.url)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{plan_key}-{_uid_part(step.id)}@pathplanner",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{finish:%Y%m%d}",  # exclusive: the day the step is done
            f"SUMMARY:{_escape(name)}",
            f"DESCRIPTION:{_escape(chr(10).join(details))}",
            "END:VEVENT",
        ]
        if credential is not None and credential.start_dates:
            lines += [
                "BEGIN:VTODO",
                f"UID:{plan_key}-{_uid_part(step.id)}-intake@pathplanner",
                f"DTSTAMP:{stamp}",
                f"DUE;VALUE=DATE:{start:%Y%m%d}",
                f"SUMMARY:{_escape(f'Enrol in {name} (intake week of {start.isoformat()})')}",
                "END:VTODO",
            ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _uid_part(identifier: str) -> str:
    return hashlib.sha256(identifier.encode()).hexdigest()[:12]


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Split into 75-octet pieces, continuation lines starting with a space (RFC 5545 3.1)."""
    out: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
            limit = 74  # the leading space counts
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)
