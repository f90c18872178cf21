"""The device database's tables, as SQLAlchemy 2 declarative models.

The schema itself is created and changed only by the Alembic migrations in `migrations/`;
these models must describe the same schema (a test compares them with the migrated database).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Fixed width, always UTC: stored text sorts in time order, so SQL can compare it.
UTC_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def format_utc(value: datetime) -> str:
    """The stored text of an aware datetime; naive ones are refused rather than guessed."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"a naive datetime cannot be stored, it needs a time zone: {value!r}")
    utc = value.astimezone(UTC)
    if utc.year < 1000:  # strftime's %Y does not pad these to four digits
        return utc.strftime(UTC_FORMAT)
    # The text strftime(UTC_FORMAT) makes, in a fifth of the time (every enqueue makes one).
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_utc(value: str) -> datetime:
    return datetime.strptime(value, UTC_FORMAT).replace(tzinfo=UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as fixed-width UTC text; SQLite's DateTime drops the zone."""

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else format_utc(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else parse_utc(value)


class JsonText(TypeDecorator[Any]):
    """A JSON value stored as TEXT. SQLite gives a column declared JSON numeric affinity, which
    turns a stored "1.5" into a REAL; TEXT keeps exactly the JSON that was written."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        # Korean stays readable in the file, at half the bytes of \u escapes.
        return None if value is None else json.dumps(value, ensure_ascii=False, allow_nan=False)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JsonText}


# --- Content: one row per item of each content pack version --------------------------------


class ContentVersion(Base):
    """A content pack version loaded on the device; at most one is active."""

    __tablename__ = "content_versions"
    __table_args__ = (
        Index("uq_content_versions_one_active", "active", unique=True, sqlite_where=text("active")),
    )

    version: Mapped[str] = mapped_column(String, primary_key=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    manifest: Mapped[dict[str, Any]]
    loaded_at: Mapped[datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=False)


class _ContentItemColumns:
    """Columns every content item table has: its key, pack order, title and the full item."""

    content_version: Mapped[str] = mapped_column(
        ForeignKey("content_versions.version"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String, primary_key=True)
    # Position of the item in its pack, so lists show in the order the district chose.
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String)
    data: Mapped[dict[str, Any]]


class Survey(_ContentItemColumns, Base):
    __tablename__ = "surveys"

    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]


class Contest(_ContentItemColumns, Base):
    __tablename__ = "contests"

    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]


class Proposal(_ContentItemColumns, Base):
    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_dong_topic", "content_version", "dong", "topic"),)

    dong: Mapped[str | None] = mapped_column(String)
    topic: Mapped[str | None] = mapped_column(String)
    status: Mapped[str | None] = mapped_column(String)
    agree_count: Mapped[int | None] = mapped_column(Integer)
    deadline: Mapped[datetime | None]


class Ballot(_ContentItemColumns, Base):
    __tablename__ = "ballots"

    dong: Mapped[str | None] = mapped_column(String)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]


class BallotProject(_ContentItemColumns, Base):
    __tablename__ = "ballot_projects"
    __table_args__ = (
        ForeignKeyConstraint(
            ["content_version", "ballot_id"], ["ballots.content_version", "ballots.id"]
        ),
        Index("ix_ballot_projects_ballot", "content_version", "ballot_id"),
    )

    ballot_id: Mapped[str] = mapped_column(String)
    dong: Mapped[str | None] = mapped_column(String)
    cost_won: Mapped[int | None] = mapped_column(Integer)


class Promotion(_ContentItemColumns, Base):
    __tablename__ = "promotions"

    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    priority: Mapped[int | None] = mapped_column(Integer)
    emergency: Mapped[bool | None] = mapped_column(Boolean)


class Video(_ContentItemColumns, Base):
    __tablename__ = "videos"

    duration_s: Mapped[float | None] = mapped_column(Float)


class PointRule(Base):
    """Points one activity earns under one content version."""

    __tablename__ = "point_rules"

    content_version: Mapped[str] = mapped_column(
        ForeignKey("content_versions.version"), primary_key=True
    )
    activity_kind: Mapped[str] = mapped_column(String, primary_key=True)
    points: Mapped[int] = mapped_column(Integer)


class Asset(Base):
    """Index of the content-addressed file cache (files are data_dir/assets/<sha256>)."""

    __tablename__ = "assets"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String)


class ContentAsset(Base):
    """Which assets a content version uses; what the cache must keep."""

    __tablename__ = "content_assets"

    content_version: Mapped[str] = mapped_column(
        ForeignKey("content_versions.version"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(ForeignKey("assets.sha256"), primary_key=True)


# --- Submissions: the outbox -----------------------------------------------------------------

OUTBOX_STATUSES = ("pending", "sent", "dead", "exported")

# Columns that hold the envelope itself; triggers refuse any UPDATE of them (migration 0002).
ENVELOPE_COLUMNS = (
    "id",
    "device_seq",
    "kind",
    "schema_version",
    "content_version",
    "created_at",
    "clock_offset_s",
    "boot_id",
    "practice",
    "payload",
    "sealed_identity",
)


class OutboxRow(Base):
    """One queued envelope and its delivery state. Rows are never updated in their envelope
    columns and never deleted."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'sent', 'dead', 'exported')", name="ck_outbox_status"
        ),
        CheckConstraint("device_seq >= 1", name="ck_outbox_device_seq"),
        UniqueConstraint("device_seq", name="uq_outbox_device_seq"),
        Index("ix_outbox_status_seq", "status", "device_seq"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    device_seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String)
    schema_version: Mapped[int] = mapped_column(Integer)
    content_version: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[datetime]
    clock_offset_s: Mapped[float] = mapped_column(Float)
    boot_id: Mapped[str] = mapped_column(String)
    practice: Mapped[bool] = mapped_column(Boolean)
    # The payload exactly as serialized at enqueue time; resent byte for byte.
    payload: Mapped[str] = mapped_column(Text)
    sealed_identity: Mapped[str | None] = mapped_column(Text)
    # The server public key the seal was made for (device-local, never sent): the worker sends
    # the envelope only to a server holding that key (migration 0003).
    sealed_to: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String, server_default="pending")
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    receipt: Mapped[dict[str, Any] | None]
    # When the envelope was last written to a USB bundle (python -m sync export); a reset
    # (기기 초기화) may then retire it as "exported" (migration 0003).
    exported_at: Mapped[datetime | None]


class DeadLetterRow(Base):
    """An envelope the server rejected: kept, with the reason, for staff to see and export."""

    __tablename__ = "dead_letters"

    envelope_id: Mapped[str] = mapped_column(ForeignKey("outbox.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    moved_at: Mapped[datetime]


class DeviceSetting(Base):
    """A device-local value (clock offset, device id, local secret) stored as JSON."""

    __tablename__ = "device_settings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[Any] = mapped_column(JsonText, nullable=True)


class CoachRow(Base):
    """A digital coach as the server last gave them (kiosk.store.coaches). A revoked code keeps
    the PIN hash the device had (so the right PIN is told "revoked", not "wrong"), or none."""

    __tablename__ = "coaches"

    code: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    pin_hash: Mapped[str | None] = mapped_column(Text, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean)


class CivicRecordRow(Base):
    """This kiosk's record that a resident agreed with a proposal or voted in a budget vote,
    by a hash of their local key with the item (kiosk.store.civic_records; migration 0006)."""

    __tablename__ = "civic_records"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('agree', 'ballot', 'contest_vote')", name="ck_civic_records_kind"
        ),
        Index("ix_civic_records_given", "kind", "item_id", "given_at"),
    )

    kind: Mapped[str] = mapped_column(String, primary_key=True)
    item_id: Mapped[str] = mapped_column(String, primary_key=True)
    scoped_key: Mapped[str] = mapped_column(String, primary_key=True)
    given_at: Mapped[datetime]
