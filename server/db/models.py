"""The central server's tables, as SQLAlchemy 2 declarative models.

The schema is created and changed only by the Alembic migrations in `migrations/`; these
models describe the same schema (a test compares them with the migrated database). Every table
works on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime, always read back in UTC. SQLite keeps no zone, so UTC is stored bare."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"a naive datetime cannot be stored, it needs a time zone: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Str(TypeDecorator[str]):
    """Unbounded text that any database can store: PostgreSQL refuses NUL characters and every
    driver refuses lone surrogates (which JSON escapes can carry), so both are replaced."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if "\x00" in value:
            value = value.replace("\x00", "\ufffd")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
        return value


class Base(DeclarativeBase):
    pass


class ServerKey(Base):
    """The public half of the server's X25519 keypair, as devices receive it at enrolment.

    The private key is in a key file outside the database (server.keys), never here.
    """

    __tablename__ = "server_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(20))
    # Base64 of the raw 32-byte key.
    public_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class EnrollmentCode(Base):
    """A single-use code an installer types to enrol one device; only its hash is kept."""

    __tablename__ = "enrollment_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    note: Mapped[str | None] = mapped_column(Str(), nullable=True)


class Device(Base):
    """An enrolled kiosk or media board; its bearer token is kept only as a SHA-256."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Str())
    mode: Mapped[str] = mapped_column(String(10))
    app_version: Mapped[str] = mapped_column(Str())
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The device's own Ed25519 key (base64 of the raw 32 bytes) that signs its USB outbox
    # bundles; None for a device enrolled before keys existed, until it registers one.
    public_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Set when a member of staff approves the device (server.console); until then its
    # submissions are to be held. Devices enrolled before approvals existed were approved by
    # the migration that added it.
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    approved_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # The dong staff set on the console (server.groups.set_dong); None: the one the device's
    # configuration reports in its heartbeat.
    dong: Mapped[str | None] = mapped_column(String(64), nullable=True)


class DeviceStatus(Base):
    """The last heartbeat of each device, as it sent it."""

    __tablename__ = "device_status"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    app_version: Mapped[str] = mapped_column(Str())
    content_version: Mapped[str | None] = mapped_column(Str(), nullable=True)
    queue_depth: Mapped[int] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # The whole Heartbeat document, for the fields the table has no column for.
    body: Mapped[str] = mapped_column(Str())


class Submission(Base):
    """One envelope, stored once forever under its device and id with the hash of its canonical
    body. The idempotency key is (device_id, id): an id another device already used never
    blocks this device's envelope."""

    __tablename__ = "submissions"
    __table_args__ = (
        PrimaryKeyConstraint("device_id", "id"),
        Index("ix_submissions_device_seq", "device_id", "device_seq"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid)
    body_sha256: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(Str())
    schema_version: Mapped[int] = mapped_column(BigInteger)
    content_version: Mapped[str | None] = mapped_column(Str(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    clock_offset_s: Mapped[float] = mapped_column(Float)
    created_at_server: Mapped[datetime] = mapped_column(UtcDateTime())
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    practice: Mapped[bool] = mapped_column(Boolean)
    counted: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # canonical_json(envelope) with the sealed identity replaced by its SHA-256
    # ("sealed_identity_sha256"): body_sha256 is of the body as sent, seal included, and the
    # seal itself is never stored (server.ingest.stored_body).
    body: Mapped[str] = mapped_column(Str())


class RejectedEnvelope(Base):
    """An envelope the server refused (reason_code says why), kept for audit.

    A retried delivery of the same refused body is recorded once.
    """

    __tablename__ = "rejected_envelopes"
    __table_args__ = (
        UniqueConstraint("envelope_id", "device_id", "body_sha256", name="uq_rejected_delivery"),
        Index("ix_rejected_device_seq", "device_id", "device_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    envelope_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    device_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # conflict | invalid_envelope | invalid_payload | unknown_kind (server.ingest);
    # not_open | closed | late (server.deadlines); identity | points (server.residents)
    reason_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Str())
    body_sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Str())


class Manifest(Base):
    """A published content pack manifest; the newest (highest id) is the one served."""

    __tablename__ = "manifests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    content_version: Mapped[str] = mapped_column(String(64), unique=True)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Canonical JSON of the manifest as published; its SHA-256 is the strong ETag.
    body: Mapped[str] = mapped_column(Str())
    body_sha256: Mapped[str] = mapped_column(String(64))


class Asset(Base):
    """A media file stored content-addressed under the server's data directory."""

    __tablename__ = "assets"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(Str())
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ResidentEntry(Base):
    """What one accepted envelope of an identified resident did: counted or not, and points.

    Only the resident key (an HMAC of the identity with the server's secret) is kept, never the
    phone number or birth date. The id is the order of arrival: of a resident's agrees with a
    proposal, or ballots in a vote, the lowest id counts and the later ones do not. Practice
    envelopes have no entry.
    """

    __tablename__ = "resident_entries"
    __table_args__ = (
        UniqueConstraint("device_id", "envelope_id", name="uq_resident_entries_envelope"),
        ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            ["submissions.device_id", "submissions.id"],
            name="fk_resident_entries_submission",
        ),
        Index("ix_resident_entries_target", "resident_key", "kind", "target"),
        Index("ix_resident_entries_kind_target", "kind", "target"),
        Index("ix_resident_entries_device_target", "device_id", "kind", "target"),
        Index("ix_resident_entries_seal", "seal_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(40))
    envelope_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    resident_key: Mapped[str] = mapped_column(String(64))
    # SHA-256 of the seal that named the resident (server.seals): a seal does one act, so a
    # copy of it in another envelope finds this and is refused.
    seal_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The envelope's kind, and what it is about: a proposal id, a vote id (the ballots of all
    # dongs are one vote), a survey or contest id; the envelope id for points exchanges.
    kind: Mapped[str] = mapped_column(Str())
    target: Mapped[str] = mapped_column(Str())
    counted: Mapped[bool] = mapped_column(Boolean)
    # The change to the resident's balance: earned (> 0), spent or given (< 0), or 0.
    points: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StaffAccount(Base):
    """A member of staff who signs in to the console (server.staff); the password is kept only
    as an argon2id hash."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    # admin | content | dong | viewer (server.staff.Role)
    role: Mapped[str] = mapped_column(String(16))
    # The dong a dong officer answers for; None for the other roles.
    dong: Mapped[str | None] = mapped_column(Str(), nullable=True)
    password_hash: Mapped[str] = mapped_column(Str())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class StaffSession(Base):
    """A signed-in console session; the cookie holds a random id kept here only as a SHA-256."""

    __tablename__ = "staff_sessions"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"), index=True)
    # Every form of the session carries it; a POST without it is refused.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    client: Mapped[str | None] = mapped_column(Str(), nullable=True)


class LoginThrottle(Base):
    """Failed console logins per account name or per client address, and the lock they earned;
    kept in the database so a restart does not reset them."""

    __tablename__ = "login_throttles"

    # "account:NAME" or "client:ADDRESS"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime] = mapped_column(UtcDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class AuditEvent(Base):
    """One staff action (server.audit). Append-only: no code updates or deletes a row, and the
    database refuses both (triggers made by the migration)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    # The staff account's name, "cli:OS_USER" for the command line, or None when unknown (a
    # failed login for a name that is no account).
    actor: Mapped[str | None] = mapped_column(Str(), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # JSON documents of what changed; None where nothing was before or after.
    before: Mapped[str | None] = mapped_column(Str(), nullable=True)
    after: Mapped[str | None] = mapped_column(Str(), nullable=True)
    client: Mapped[str | None] = mapped_column(Str(), nullable=True)


class ResidentSeen(Base):
    """Each resident key the server has counted anything of, with the device that brought it
    first: the per-device limit on new residents an hour counts these (server.ingest)."""

    __tablename__ = "residents_seen"
    __table_args__ = (Index("ix_residents_seen_device", "device_id", "first_seen_at"),)

    resident_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())


class HeldEnvelope(Base):
    """A stored envelope that is not counted until staff release it, or never if they refuse
    it: from a device waiting for approval (released when staff approve it), past a device's
    limits, or for a closed target from a device that vouched for nothing after the close
    (server.ingest). The id is the number staff name it by."""

    __tablename__ = "held_envelopes"
    __table_args__ = (
        UniqueConstraint("device_id", "envelope_id", name="uq_held_envelope"),
        ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            ["submissions.device_id", "submissions.id"],
            name="fk_held_envelope_submission",
        ),
        Index("ix_held_envelopes_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(40))
    envelope_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(Str())
    # What it is for (a proposal, vote, survey or contest id); None for other kinds.
    target: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # The resident it counts for once released (an HMAC, never the identity); the seal may
    # be gone from the stored body by then.
    resident_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # unapproved (server.held.UNAPPROVED) | new_residents | per_target (server.ingest) |
    # no_heartbeat (server.deadlines)
    reason_code: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Str())
    held_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # held | released | refused
    status: Mapped[str] = mapped_column(String(10))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    decision: Mapped[str | None] = mapped_column(Str(), nullable=True)


class DeviceMark(Base):
    """What a device said of its highest device_seq, and when the server heard it: evidence
    that its envelopes with a higher seq were made later (server.deadlines). One row per
    value; a heartbeat repeating it moves `last_received_at`."""

    __tablename__ = "device_marks"
    __table_args__ = (Index("ix_device_marks_device", "device_id", "last_received_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    highest_seq: Mapped[int] = mapped_column(BigInteger)
    first_received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_received_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LedgerRequest(Base):
    """A ledger look-up already answered: its seal is single use (server.residents.take_ledger_
    request). Kept only while the look-up could still pass the freshness check; then deleted."""

    __tablename__ = "ledger_requests"
    __table_args__ = (Index("ix_ledger_requests_expires_at", "expires_at"),)

    request_id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StaffCall(Base):
    """A resident's 직원 호출 at one device (server.calls): open (`waiting`, then `coming` once
    a member of staff acknowledged it) until staff mark it `resolved`. A device has at most one
    open call; a call again while it is open joins it (`calls` counts them)."""

    __tablename__ = "staff_calls"
    __table_args__ = (
        Index("ix_staff_calls_device", "device_id", "status"),
        Index("ix_staff_calls_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    # The dong the device's heartbeat names (None: it named none).
    dong: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # The first staff_call envelope of the call; None while only the heartbeat told of it.
    envelope_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # The latest envelope that joined it (a call again while it was open).
    last_envelope_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # The route the resident was on (None until the envelope arrives).
    screen: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # When the resident pressed (the envelope's time corrected by the device's clock offset, or
    # the heartbeat's arrival); the wait counts from here.
    made_at: Mapped[datetime] = mapped_column(UtcDateTime())
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_call_at: Mapped[datetime] = mapped_column(UtcDateTime())
    calls: Mapped[int] = mapped_column(Integer)
    # waiting | coming | resolved
    status: Mapped[str] = mapped_column(String(10))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(Str(), nullable=True)


class ProposalReview(Base):
    """Staff's review of one new proposal a resident wrote at a kiosk (server.moderation): a
    proposal envelope with no row, or a row `waiting`, is 검토 대기; `published` (게시) put it
    in a new content version as `proposal_id`; `refused` (반려) says why in `reason`. `answer`
    is the district's answer, which a published proposal carries to the kiosks."""

    __tablename__ = "proposal_reviews"
    __table_args__ = (
        UniqueConstraint("device_id", "envelope_id", name="uq_proposal_reviews_envelope"),
        ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            ["submissions.device_id", "submissions.id"],
            name="fk_proposal_reviews_submission",
        ),
        Index("ix_proposal_reviews_status", "status", "decided_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(40))
    envelope_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # waiting | published | refused
    status: Mapped[str] = mapped_column(String(10))
    # Why it was refused (반려 needs one); None otherwise.
    reason: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # The district's answer (optional, editable after the decision).
    answer: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # The id it was published under in the content pack, and the first version that had it.
    proposal_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    content_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    answered_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class PointExchange(Base):
    """A resident's request to exchange points for local gift certificates (server.exchanges):
    one for every accepted `points_exchange` envelope, made in the transaction that accepts it.
    `requested` (신청) until staff decide: `fulfilled` (지급 완료, with the certificate number)
    or `refused` (반려, with the reason). A refused exchange gives its points back: the
    resident's balance counts it as 0 (server.residents.balance); the resident's entry itself is
    never changed. No resident key here: the entry (same device and envelope) has it."""

    __tablename__ = "point_exchanges"
    __table_args__ = (
        UniqueConstraint("device_id", "envelope_id", name="uq_point_exchanges_envelope"),
        ForeignKeyConstraint(
            ["device_id", "envelope_id"],
            ["submissions.device_id", "submissions.id"],
            name="fk_point_exchanges_submission",
        ),
        Index("ix_point_exchanges_status", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(40))
    envelope_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # The points asked for (> 0).
    points: Mapped[int] = mapped_column(BigInteger)
    # When the server accepted the exchange; the wait counts from here.
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # requested | fulfilled | refused
    status: Mapped[str] = mapped_column(String(10))
    certificate: Mapped[str | None] = mapped_column(Str(), nullable=True)
    reason: Mapped[str | None] = mapped_column(Str(), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class Coach(Base):
    """A digital coach (디지털 코칭단) who may start a coached session at a kiosk (server.coaches).
    The PIN is kept only as the kiosk's salted scrypt hash (contract.pin), which approved
    devices receive. A revoked coach stays, so the records keep the name; the code is never
    given to anyone else."""

    __tablename__ = "coaches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(Str())
    pin_hash: Mapped[str] = mapped_column(Str())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The last change (added, PIN reset, revoked), by whom.
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    changed_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The coaches' version at this row's last change: unique, so two changes never share one.
    version: Mapped[int] = mapped_column(Integer, unique=True)


class ContentDraft(Base):
    """콘텐츠 초안: an editable copy of a content version (server.drafts). At most one is open
    or scheduled at a time; a published or discarded one stays as a record."""

    __tablename__ = "content_drafts"
    __table_args__ = (Index("ix_content_drafts_status", "status", "publish_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # The content version the draft was copied from: its changes are what differs from it.
    base_version: Mapped[str] = mapped_column(String(64))
    # open | scheduled | published | discarded
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    publish_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    scheduled_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
    published_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # Why the scheduled publish could not be done (the draft is open again).
    problem: Mapped[str | None] = mapped_column(Str(), nullable=True)


class ContentDraftItem(Base):
    """One item of a draft: a survey, promotion, file… (`section`, `item_key` its id) or the
    district and the budget (key = the section). `revision` grows with each save; a save names
    the revision it was made from, so a second editor's save of the same item is refused."""

    __tablename__ = "content_draft_items"
    __table_args__ = (
        UniqueConstraint("draft_id", "section", "item_key", name="uq_content_draft_item"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    draft_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("content_drafts.id", ondelete="CASCADE")
    )
    section: Mapped[str] = mapped_column(String(16))
    item_key: Mapped[str] = mapped_column(Str())
    position: Mapped[int] = mapped_column(Integer)
    # The item's JSON as the pack has it.
    body: Mapped[str] = mapped_column(Str())
    revision: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    changed_by: Mapped[str | None] = mapped_column(Str(), nullable=True)


class DeviceGroup(Base):
    """기기 묶음: devices that share a playlist (e.g. the boards of one apartment complex),
    named by a key that promotions target (contract.content.Promotion.groups) and a name staff
    read (server.groups)."""

    __tablename__ = "device_groups"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Str())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The last change (made, renamed, members changed), by whom.
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    changed_by: Mapped[str | None] = mapped_column(Str(), nullable=True)


class DeviceGroupMember(Base):
    """A device in a device group; a device may be in several."""

    __tablename__ = "device_group_members"

    group_key: Mapped[str] = mapped_column(
        String(64), ForeignKey("device_groups.key", ondelete="CASCADE"), primary_key=True
    )
    device_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("devices.id"), primary_key=True, index=True
    )


class EmergencyNotice(Base):
    """긴급 공지: a notice staff posted on the console for every device, or one dong's
    (server.emergency). In force from `posted_at` until staff clear it or `until` passes; a
    cleared or expired one stays as the record."""

    __tablename__ = "emergency_notices"
    __table_args__ = (Index("ix_emergency_notices_open", "cleared_at", "until"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Str())
    # "danger" (긴급, red) or "warning" (주의, amber): contract.wire.EmergencyLevel.
    level: Mapped[str] = mapped_column(String(16))
    # The one dong it targets; None: every device.
    dong: Mapped[str | None] = mapped_column(Str(), nullable=True)
    # The one device group (DeviceGroup.key) it targets instead; None: no group.
    group_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    posted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    posted_by: Mapped[str] = mapped_column(Str())
    until: Mapped[datetime] = mapped_column(UtcDateTime())
    cleared_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    cleared_by: Mapped[str | None] = mapped_column(Str(), nullable=True)
