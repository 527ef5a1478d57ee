"""The store's tables, as SQLAlchemy 2 typed declarative models.

Plans keep their request and their computed result as JSON exactly as saved, and point at the
catalogue version they were computed on; catalogue versions keep their full content, stored
once per content hash, so an old plan can always be shown against the catalogue it was made
with. ``version`` columns are SQLAlchemy version counters: an UPDATE carries
``WHERE version = <the version read>`` so a concurrent edit is detected, never overwritten.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

PLAN_STATUSES = ("draft", "shared", "approved")

# Stable constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no time zone, so add it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, dict[str, Any]: JSON}


class CatalogVersion(Base):
    """One imported catalogue content, kept for as long as the store lives."""

    __tablename__ = "catalog_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)  # file path or URL it came from
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of content
    content: Mapped[str] = mapped_column(Text)  # the catalogue document (format v1 JSON)
    imported_at: Mapped[datetime] = mapped_column(default=utc_now)


class Learner(Base):
    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(Integer)

    held: Mapped[list[HeldCredential]] = relationship(
        back_populates="learner",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="HeldCredential.credential_id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (declarative reads it)


class HeldCredential(Base):
    """A credential a learner already holds, with the evidence (e.g. an Open Badge document)."""

    __tablename__ = "held_credentials"
    __table_args__ = (UniqueConstraint("learner_id", "credential_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    credential_id: Mapped[str] = mapped_column(String(200))
    earned_on: Mapped[date | None] = mapped_column(Date)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    learner: Mapped[Learner] = relationship(back_populates="held")


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("learner_id", "name"),
        Index("ix_plans_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    catalog_version_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_versions.id", ondelete="RESTRICT"), index=True
    )
    goal: Mapped[str] = mapped_column(Text)  # goal id, or skill ids joined by ", "
    objective: Mapped[str] = mapped_column(String(20))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)  # goal, objective and constraints
    result: Mapped[dict[str, Any]] = mapped_column(JSON)  # Plan.to_json() as computed
    # Copied out of `result` so listing thousands of plans never reads the JSON documents.
    plan_status: Mapped[str] = mapped_column(String(20))  # optimal / feasible / infeasible
    total_cost: Mapped[float | None] = mapped_column(Float)
    finish_week: Mapped[int | None] = mapped_column(Integer)
    step_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # PLAN_STATUSES
    advisor_notes: Mapped[str] = mapped_column(Text, default="")
    stale: Mapped[bool | None] = mapped_column(default=None)  # None: never checked
    stale_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    version: Mapped[int] = mapped_column(Integer)

    learner: Mapped[Learner] = relationship()
    catalog_version: Mapped[CatalogVersion] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (declarative reads it)


class PlanChange(Base):
    """The change history of plans: who did what, when. Outlives the plan it describes."""

    __tablename__ = "plan_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="SET NULL"), index=True
    )
    learner_name: Mapped[str] = mapped_column(String(200))  # copies: the plan may be deleted
    plan_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utc_now)
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # created/updated/deleted/imported
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)  # changed fields: {"field": [old, new]}
