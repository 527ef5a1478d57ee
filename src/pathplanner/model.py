"""The credential model: catalogue format v1 as typed, immutable records.

The classes here are both the domain model used by the planner, the graph and the store, and the
parser of the JSON catalogue format (pydantic turns a bad record into a precise message). They
hold only what a file says; cross-record checks (references, cycles, reachability of credit
sums) live in :mod:`pathplanner.catalog`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    Tag,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)

FORMAT_NAME = "pathplanner-catalog"
FORMAT_VERSION = 1


class Kind(StrEnum):
    """What sort of qualification a credential is (CTDL credential classes map onto these)."""

    BADGE = "badge"
    MICRO_CREDENTIAL = "micro-credential"
    CERTIFICATE = "certificate"
    CERTIFICATION = "certification"
    LICENSE = "license"
    DIPLOMA = "diploma"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"
    OTHER = "other"


class Delivery(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"


class Recognition(StrEnum):
    """How far a provider's credentials are recognised, strongest first."""

    ACCREDITED = "accredited"
    INDUSTRY = "industry"
    EMPLOYER = "employer"
    UNVERIFIED = "unverified"

    @property
    def rank(self) -> int:
        """Higher is stronger: accredited 3 ... unverified 0."""
        return _RECOGNITION_RANK[self]


_RECOGNITION_RANK = {
    Recognition.ACCREDITED: 3,
    Recognition.INDUSTRY: 2,
    Recognition.EMPLOYER: 1,
    Recognition.UNVERIFIED: 0,
}


def _parse_iso_date(value: object) -> object:
    """Accept only a ``YYYY-MM-DD`` string for a date (JSON has no date type)."""
    if isinstance(value, str):
        if len(value) != 10:
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a valid date (YYYY-MM-DD)") from None
    return value


def _iso_dates(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """A list of ``YYYY-MM-DD`` strings as a tuple of dates in one call, else item by item.

    Converting the whole list at once costs one Python call per credential instead of one per
    date (a large catalogue lists about a million intake dates). It gives what the item by item
    validation gives; anything else (a bad date, a non-string, not a list) is left to that
    validation, which reports it with the item's position.
    """
    if type(value) is list:
        try:
            if set(map(len, value)) <= {10}:
                return tuple(map(date.fromisoformat, value))
        except (TypeError, ValueError):
            pass
    return handler(value)


IsoDate = Annotated[date, BeforeValidator(_parse_iso_date)]
NonEmptyStr = Annotated[str, Field(min_length=1)]

# JSON arrays become tuples (records are immutable); their elements stay strictly typed.
_ARRAY = Field(strict=False)
# Enumerations arrive as their string values.
_ENUM = Field(strict=False)


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)


class Provider(_Record):
    id: NonEmptyStr
    name: NonEmptyStr
    recognition: Annotated[Recognition, _ENUM]
    url: str | None = None


class Skill(_Record):
    id: NonEmptyStr
    name: NonEmptyStr
    framework: str | None = None
    url: str | None = None


class CreditItem(_Record):
    """A credential counted for credit, optionally with a credit value that overrides its own."""

    id: NonEmptyStr
    credits: NonNegativeFloat | None = None


def _item_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "ref"
    if isinstance(value, dict | CreditItem):
        return "item"
    return None


Item = Annotated[
    Annotated[str, Tag("ref")] | Annotated[CreditItem, Tag("item")],
    Discriminator(
        _item_tag,
        custom_error_type="invalid_item",
        custom_error_message=('an item must be a credential id or {"id": ..., "credits": ...}'),
    ),
]


def item_id(item: str | CreditItem) -> str:
    return item if isinstance(item, str) else item.id


class AllOf(_Record):
    """Every sub-requirement must hold."""

    all: tuple[Requirement, ...] = Field(min_length=1, strict=False)


class AnyOf(_Record):
    """At least ``count`` of the sub-requirements must hold."""

    any: tuple[Requirement, ...] = Field(min_length=1, strict=False)
    count: int = Field(default=1, ge=1)


class CreditsFrom(_Record):
    """The earned items among ``from`` carry at least ``credits`` credits in total."""

    credits: float = Field(gt=0)
    from_: tuple[Item, ...] = Field(alias="from", min_length=1, strict=False)


def _requirement_tag(value: Any) -> str | None:
    if isinstance(value, str):
        return "ref"
    if isinstance(value, dict):
        for key in ("all", "any", "credits"):
            if key in value:
                return key
        return None
    return _MODEL_TAGS.get(type(value))


Requirement = Annotated[
    Annotated[str, Tag("ref")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[CreditsFrom, Tag("credits")],
    Discriminator(
        _requirement_tag,
        custom_error_type="invalid_requirement",
        custom_error_message=(
            'a requirement must be a credential id, {"all": [...]}, {"any": [...], "count": k}'
            ' or {"credits": N, "from": [...]}'
        ),
    ),
]


class PerCredit(_Record):
    """What each credit still to be studied in a credit block costs."""

    price: NonNegativeFloat = 0.0
    hours: NonNegativeFloat = 0.0
    weeks: NonNegativeFloat = 0.0


class Credential(_Record):
    id: NonEmptyStr
    name: NonEmptyStr
    kind: Annotated[Kind, _ENUM]
    provider: str | None = None
    cost: NonNegativeFloat = 0.0
    effort_hours: NonNegativeFloat = 0.0
    duration_weeks: NonNegativeInt = 1
    credits: NonNegativeFloat = 0.0
    delivery: Annotated[Delivery, _ENUM] = Delivery.ONLINE
    start_dates: Annotated[tuple[IsoDate, ...] | None, _ARRAY, WrapValidator(_iso_dates)] = None
    skills: Annotated[tuple[str, ...], _ARRAY] = ()
    requires: Requirement | None = None
    credits_required: NonNegativeFloat | None = None
    per_credit: PerCredit | None = None
    transfer: Annotated[tuple[Item, ...], _ARRAY] = ()
    transfer_max: NonNegativeFloat | None = None
    url: str | None = None
    description: str | None = None
    source: str | None = None

    @field_validator("cost", "effort_hours", "credits", "credits_required", "transfer_max")
    @classmethod
    def _finite(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @property
    def has_credit_block(self) -> bool:
        return self.credits_required is not None

    @property
    def transfer_cap(self) -> float:
        """Most credits that transfer into this credential (0 without a credit block)."""
        if self.credits_required is None:
            return 0.0
        cap = self.credits_required if self.transfer_max is None else self.transfer_max
        return min(cap, self.credits_required)

    @property
    def full_cost(self) -> float:
        """Cost before any transfer credit: what a catalogue lists as the price."""
        return self.cost_for(0.0)

    @property
    def full_effort(self) -> float:
        """Study hours before any transfer credit."""
        return self.effort_for(0.0)

    @property
    def full_duration(self) -> int:
        """Weeks before any transfer credit (at least one)."""
        return self.duration_for(0.0)

    def cost_for(self, transferred: float) -> float:
        """Cost when ``transferred`` credits are transferred in (plain cost without a block)."""
        return self.cost + self._per_credit().price * self.remaining_credits(transferred)

    def effort_for(self, transferred: float) -> float:
        """Study hours when ``transferred`` credits are transferred in."""
        return self.effort_hours + self._per_credit().hours * self.remaining_credits(transferred)

    def duration_for(self, transferred: float) -> int:
        """Weeks when ``transferred`` credits are transferred in; at least one week."""
        extra = math.ceil(self._per_credit().weeks * self.remaining_credits(transferred) - 1e-9)
        return max(1, self.duration_weeks + extra)

    def remaining_credits(self, transferred: float) -> float:
        """R = N - T, with T capped by ``transfer_max`` and N (0 without a credit block)."""
        if self.credits_required is None:
            return 0.0
        return self.credits_required - min(max(transferred, 0.0), self.transfer_cap)

    def _per_credit(self) -> PerCredit:
        return self.per_credit if self.per_credit is not None else _NO_PER_CREDIT


_NO_PER_CREDIT = PerCredit()


class Catalog(_Record):
    """A whole catalogue: providers, skills and credentials, looked up by id."""

    format: Literal["pathplanner-catalog"]
    version: Literal[1]
    name: NonEmptyStr
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    providers: Annotated[tuple[Provider, ...], _ARRAY] = ()
    skills: Annotated[tuple[Skill, ...], _ARRAY] = ()
    credentials: Annotated[tuple[Credential, ...], _ARRAY] = ()

    @cached_property
    def credentials_by_id(self) -> dict[str, Credential]:
        return {c.id: c for c in self.credentials}

    @cached_property
    def providers_by_id(self) -> dict[str, Provider]:
        return {p.id: p for p in self.providers}

    @cached_property
    def skills_by_id(self) -> dict[str, Skill]:
        return {s.id: s for s in self.skills}

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Catalog:
        """A copy; the id look-ups are rebuilt for it rather than copied from this catalogue."""
        copy = super().model_copy(update=update, deep=deep)
        for cached in _CACHED_LOOKUPS:
            copy.__dict__.pop(cached, None)
        return copy

    def credential(self, credential_id: str) -> Credential:
        """The credential with this id; KeyError names the id when it is unknown."""
        try:
            return self.credentials_by_id[credential_id]
        except KeyError:
            raise KeyError(f"unknown credential {credential_id!r}") from None

    def provider_of(self, credential: Credential) -> Provider | None:
        if credential.provider is None:
            return None
        return self.providers_by_id.get(credential.provider)


_CACHED_LOOKUPS = ("credentials_by_id", "providers_by_id", "skills_by_id")
_MODEL_TAGS: dict[type, str] = {AllOf: "all", AnyOf: "any", CreditsFrom: "credits"}

AllOf.model_rebuild()
AnyOf.model_rebuild()
CreditsFrom.model_rebuild()
Credential.model_rebuild()
Catalog.model_rebuild()


def requirement_refs(requirement: Requirement | None) -> list[str]:
    """Every credential id a requirement mentions, in order, with repeats."""
    if requirement is None:
        return []
    if isinstance(requirement, str):
        return [requirement]
    if isinstance(requirement, AllOf):
        return [ref for sub in requirement.all for ref in requirement_refs(sub)]
    if isinstance(requirement, AnyOf):
        return [ref for sub in requirement.any for ref in requirement_refs(sub)]
    return [item_id(item) for item in requirement.from_]


def is_satisfied(
    requirement: Requirement | None, earned: set[str] | frozenset[str], catalog: Catalog
) -> bool:
    """Whether the earned credentials satisfy a requirement (None is always satisfied)."""
    if requirement is None:
        return True
    if isinstance(requirement, str):
        return requirement in earned
    if isinstance(requirement, AllOf):
        return all(is_satisfied(sub, earned, catalog) for sub in requirement.all)
    if isinstance(requirement, AnyOf):
        met = sum(1 for sub in requirement.any if is_satisfied(sub, earned, catalog))
        return met >= requirement.count
    total = sum(
        credit_value(item, catalog) for item in requirement.from_ if item_id(item) in earned
    )
    return total >= requirement.credits - 1e-9


def credit_value(item: str | CreditItem, catalog: Catalog) -> float:
    """Credits an item carries: its own override, else its credential's ``credits``."""
    if isinstance(item, CreditItem) and item.credits is not None:
        return item.credits
    return catalog.credential(item_id(item)).credits


def transferred_credits(
    credential: Credential, earned: set[str] | frozenset[str], catalog: Catalog
) -> float:
    """T: credits that transfer into a credit block from the earned credentials, capped."""
    if credential.credits_required is None:
        return 0.0
    total = sum(
        credit_value(item, catalog) for item in credential.transfer if item_id(item) in earned
    )
    return min(total, credential.transfer_cap)


def catalog_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of catalogue format v1, generated from these models.

    The shipped copy (``resources/schema/catalog-v1.json``) is written by
    ``scripts/make_schema.py``; a test keeps the two identical. The schema checks the shape of a
    file; cross-record rules (references, cycles, counts) need ``pathplanner-cli validate``.
    """
    schema = Catalog.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pathplanner.example/schema/catalog-v1.json",
        "title": "pathplanner catalogue, format version 1",
        "description": (
            "Credentials, providers and skills with stackable requirements. Cross-record "
            "rules (unique ids, known references, no cycles, reachable counts and credit "
            "sums) are checked by `pathplanner-cli validate`."
        ),
        **{k: v for k, v in schema.items() if k not in {"title", "description"}},
    }
