"""The outbox: every submission as an immutable envelope, durable before the resident is thanked,
and its delivery state (pending, sent with the server's receipt, dead with the reason, or
exported: carried to the district on a USB bundle and retired by a reset, never sent again).

Envelope columns are never updated and rows are never deleted; triggers in the database refuse
both (migration 0002), so only the delivery columns here ever change.

A resident's envelope is sealed here, at the moment it is made: `enqueue` takes a `Seal` (the
resident's identity and the server key, kiosk.domain.identity.Sealer) and seals it bound to the
id, kind, created_at and payload it assigns, in the same transaction. The outbox records which
server key each envelope was sealed to (`sealed_to`, device-local, never sent), so the sync
worker never sends it to a server holding another key (migration 0003).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal, Protocol, cast

from sqlalchemy import Row, Table, bindparam, func, insert, or_, select, update

from contract.wire import PAYLOAD_FROM_JSON, Envelope, SealBinding, envelope_binding
from kiosk.store.db import Database
from kiosk.store.models import ENVELOPE_COLUMNS, DeadLetterRow, OutboxRow, format_utc
from kiosk.store.settings import CLOCK_OFFSET_KEY

Status = Literal["pending", "sent", "dead", "exported"]
# Always counted; "exported" is counted once a reset has retired some (counts_by_status).
STATUSES: tuple[Status, ...] = ("pending", "sent", "dead")

_BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")

_outbox = cast(Table, OutboxRow.__table__)
_dead = cast(Table, DeadLetterRow.__table__)

# enqueue runs on the plain sqlite3 connection (Database.write_raw), so its SQL is written out.
# max + 1 is gap-free and never reused because outbox rows cannot be deleted (trigger
# outbox_never_deleted) and it runs inside the write lock (BEGIN IMMEDIATE).
_NEXT_SEQ_AND_OFFSET_SQL = (
    "SELECT coalesce(max(device_seq), 0) + 1,"
    " (SELECT value FROM device_settings WHERE key = ?) FROM outbox"
)
# Values are passed in this order (see enqueue): the envelope, then the key it was sealed to.
_INSERT_COLUMNS = (*ENVELOPE_COLUMNS, "sealed_to")
_INSERT_SQL = (
    f"INSERT INTO outbox ({', '.join(_INSERT_COLUMNS)})"
    f" VALUES ({', '.join('?' * len(_INSERT_COLUMNS))})"
)


class Seal(Protocol):
    """A resident's identity ready to seal to one server key (kiosk.domain.identity.Sealer)."""

    server_key: str

    def __call__(self, binding: SealBinding) -> str: ...


class _AnyKey:
    def __repr__(self) -> str:
        return "ANY_KEY"


# Outbox.pending(sealed_to=ANY_KEY): every pending envelope, whatever key it was sealed to.
ANY_KEY: Final = _AnyKey()
_ENVELOPE_COLUMNS = tuple(_outbox.c[name] for name in ENVELOPE_COLUMNS)


def utc_now() -> datetime:
    return datetime.now(UTC)


@functools.cache
def _process_boot_id() -> str:
    return str(uuid.uuid4())


def read_boot_id() -> str:
    """The kernel's id for this boot on Linux; elsewhere an id for this process's lifetime."""
    try:
        return _BOOT_ID_FILE.read_text(encoding="ascii").strip() or _process_boot_id()
    except OSError:
        return _process_boot_id()


@dataclass(frozen=True)
class QueuedEnvelope:
    """An envelope with its delivery state, as the outbox holds it."""

    envelope: Envelope
    status: Status
    attempts: int
    last_error: str | None
    last_attempt_at: datetime | None
    sent_at: datetime | None
    receipt: dict[str, Any] | None


@dataclass(frozen=True)
class DeadLetter:
    """An envelope the server rejected, kept for staff to see and export."""

    envelope: Envelope
    reason: str
    moved_at: datetime


class Outbox:
    """Queues submissions as envelopes and records what happened to them.

    Every method is one transaction. `enqueue` returns only after its commit is durable.
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utc_now,
        boot_id: str | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._boot_id = boot_id if boot_id is not None else read_boot_id()

    def enqueue(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        content_version: str | None,
        practice: bool = False,
        seal: Seal | None = None,
        schema_version: int = 1,
        within: sqlite3.Connection | None = None,
    ) -> Envelope:
        """Queue one submission; when this returns, it survives a crash or a power cut.

        With `within`, a connection in a write transaction the caller opened with
        `Database.write_raw()` (an act of kiosk.services: its rule check, this envelope and
        its one-vote record), the envelope is written there and is durable when the caller's
        transaction commits; the caller's rollback takes it back.

        With `seal`, the resident's identity is sealed to `seal.server_key`, bound to this
        envelope's id, kind, target, created_at and payload (contract.wire.binding_of), and
        the key is recorded as the envelope's `sealed_to`.

        Raises pydantic.ValidationError for an invalid envelope, TypeError or ValueError for a
        payload JSON cannot hold; nothing is written then. A seal that fails (IdentityError)
        raises too, and nothing is written.
        """
        payload_json = json.dumps(
            payload, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
        if within is not None:
            return self._insert(
                within, kind, payload_json, content_version, practice, seal, schema_version
            )
        with self._db.write_raw() as conn:
            return self._insert(
                conn, kind, payload_json, content_version, practice, seal, schema_version
            )

    def _insert(
        self,
        conn: sqlite3.Connection,
        kind: str,
        payload_json: str,
        content_version: str | None,
        practice: bool,
        seal: Seal | None,
        schema_version: int,
    ) -> Envelope:
        seq, offset_json = conn.execute(_NEXT_SEQ_AND_OFFSET_SQL, (CLOCK_OFFSET_KEY,)).fetchone()
        envelope_id, created_at = uuid.uuid4(), self._clock()
        # The stored text, parsed back: what is returned now is what a resend will carry.
        stored_payload = json.loads(payload_json)
        sealed_identity = None
        if seal is not None:
            binding = envelope_binding(envelope_id, kind, created_at, stored_payload)
            sealed_identity = seal(binding)
        envelope = Envelope.model_validate(
            {
                "id": envelope_id,
                "kind": kind,
                "schema_version": schema_version,
                "content_version": content_version,
                "device_seq": seq,
                "created_at": created_at,
                "clock_offset_s": 0.0 if offset_json is None else json.loads(offset_json),
                "boot_id": self._boot_id,
                "practice": practice,
                "payload": stored_payload,
                "sealed_identity": sealed_identity,
            },
            # The payload is parsed from the text enqueue dumped with allow_nan=False.
            context={PAYLOAD_FROM_JSON: True},
        )
        conn.execute(
            _INSERT_SQL,
            (  # in ENVELOPE_COLUMNS order
                str(envelope.id),
                envelope.device_seq,
                envelope.kind,
                envelope.schema_version,
                envelope.content_version,
                format_utc(envelope.created_at),
                envelope.clock_offset_s,
                envelope.boot_id,
                envelope.practice,
                payload_json,
                envelope.sealed_identity,
                seal.server_key if seal is not None else None,
            ),
        )
        return envelope

    def get(self, envelope_id: uuid.UUID) -> QueuedEnvelope | None:
        with self._db.read() as conn:
            row = conn.execute(
                select(_outbox).where(_outbox.c.id == str(envelope_id))
            ).one_or_none()
        if row is None:
            return None
        return QueuedEnvelope(
            envelope=_envelope(row),
            status=row.status,
            attempts=row.attempts,
            last_error=row.last_error,
            last_attempt_at=row.last_attempt_at,
            sent_at=row.sent_at,
            receipt=row.receipt,
        )

    def pending(
        self, limit: int = 200, *, after_seq: int = 0, sealed_to: str | None | _AnyKey = ANY_KEY
    ) -> list[Envelope]:
        """The oldest pending envelopes, in device_seq order; only those after `after_seq`
        when given (the sync worker reads the next batch while one is in flight).

        With `sealed_to` a server key (or None: no key), only the envelopes that may go to the
        server holding it: those without a seal, and those sealed to that very key."""
        stmt = (
            select(*_ENVELOPE_COLUMNS)
            .where(_outbox.c.status == "pending", _outbox.c.device_seq > after_seq)
            .order_by(_outbox.c.device_seq)
            .limit(limit)
        )
        if not isinstance(sealed_to, _AnyKey):
            stmt = stmt.where(_sendable_to(sealed_to))
        with self._db.read() as conn:
            return [_envelope(row) for row in conn.execute(stmt)]

    def sealed_elsewhere(self, server_key: str | None) -> int:
        """How many pending envelopes are sealed to another key than `server_key`: they wait
        for the server they were sealed to (a USB export), never for this one."""
        stmt = select(func.count()).where(_outbox.c.status == "pending", ~_sendable_to(server_key))
        with self._db.read() as conn:
            return int(conn.execute(stmt).scalar_one())

    def sealed_to(self, envelope_id: uuid.UUID) -> str | None:
        """The server key an envelope's seal was made for; None when it carries no seal."""
        stmt = select(_outbox.c.sealed_to).where(_outbox.c.id == str(envelope_id))
        with self._db.read() as conn:
            key: str | None = conn.execute(stmt).scalar()
        return key

    def counts_by_status(self) -> dict[str, int]:
        """Number of envelopes in each status, every status present (zero when none)."""
        stmt = select(_outbox.c.status, func.count()).group_by(_outbox.c.status)
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)  # "exported" only when some are
        with self._db.read() as conn:
            for status, count in conn.execute(stmt):
                counts[status] = count
        return counts

    def highest_seq(self) -> int:
        """The highest device_seq numbered so far (0 if none): outbox rows are never deleted,
        so this is every envelope the device ever made, sent, pending or dead."""
        with self._db.read() as conn:
            return int(conn.execute(select(func.max(_outbox.c.device_seq))).scalar() or 0)

    def note_exported(self, envelope_ids: Iterable[uuid.UUID]) -> int:
        """Note that these pending envelopes were written to a USB bundle (they stay pending:
        a normal sync may still send them). Returns how many were noted."""
        ids = [str(i) for i in envelope_ids]
        if not ids:
            return 0
        stmt = (
            update(_outbox)
            .where(_outbox.c.id.in_(bindparam("ids", expanding=True)))
            .where(_outbox.c.status == "pending")
            .values(exported_at=self._clock())
        )
        with self._db.write() as conn:
            return sum(
                conn.execute(stmt, {"ids": ids[i : i + 500]}).rowcount
                for i in range(0, len(ids), 500)
            )

    def unexported_pending(self) -> int:
        """Pending envelopes never written to a USB bundle: a reset must wait for them."""
        stmt = select(func.count()).where(
            _outbox.c.status == "pending", _outbox.c.exported_at.is_(None)
        )
        with self._db.read() as conn:
            return int(conn.execute(stmt).scalar_one())

    def retire_exported(self) -> int:
        """Give every pending envelope already written to a USB bundle the terminal status
        "exported" (a reset: the bundle carries it; no server is sent it again), unless a new
        envelope was never exported, then nothing changes. Returns how many were retired;
        ValueError when some pending envelope was never exported."""
        never = select(func.count()).where(
            _outbox.c.status == "pending", _outbox.c.exported_at.is_(None)
        )
        retire = (
            update(_outbox)
            .where(_outbox.c.status == "pending", _outbox.c.exported_at.is_not(None))
            .values(status="exported")
        )
        with self._db.write() as conn:
            unexported = int(conn.execute(never).scalar_one())
            if unexported:
                raise ValueError(f"{unexported} pending envelopes were never exported")
            return conn.execute(retire).rowcount

    def oldest_pending_age_s(self, now: datetime) -> float | None:
        """Seconds since the oldest pending envelope was made (device clock); None if none."""
        stmt = select(func.min(_outbox.c.created_at)).where(_outbox.c.status == "pending")
        with self._db.read() as conn:
            oldest: datetime | None = conn.execute(stmt).scalar()
        if oldest is None:
            return None
        return max(0.0, (now - oldest).total_seconds())

    def mark_sent(self, results: Mapping[uuid.UUID, Mapping[str, Any]]) -> int:
        """Mark envelopes the server accepted (or already had) as sent, keeping each receipt.

        Envelopes that are not pending are left as they are. Returns how many changed.
        """
        if not results:
            return 0
        now = self._clock()
        stmt = (
            update(_outbox)
            .where(_outbox.c.id == bindparam("envelope_id"), _outbox.c.status == "pending")
            .values(
                status="sent",
                receipt=bindparam("receipt_value", type_=_outbox.c.receipt.type),
                sent_at=now,
                last_attempt_at=now,
                attempts=_outbox.c.attempts + 1,
            )
        )
        params = [
            {"envelope_id": str(envelope_id), "receipt_value": dict(receipt)}
            for envelope_id, receipt in results.items()
        ]
        with self._db.write() as conn:
            return conn.execute(stmt, params).rowcount

    def record_failure(self, envelope_ids: Iterable[uuid.UUID], error: str) -> int:
        """Note a failed delivery attempt of pending envelopes. Returns how many changed."""
        ids = [str(i) for i in envelope_ids]
        if not ids:
            return 0
        stmt = (
            update(_outbox)
            .where(_outbox.c.id.in_(ids), _outbox.c.status == "pending")
            .values(
                attempts=_outbox.c.attempts + 1,
                last_error=error,
                last_attempt_at=self._clock(),
            )
        )
        with self._db.write() as conn:
            return conn.execute(stmt).rowcount

    def move_to_dead_letter(self, envelope_id: uuid.UUID, reason: str) -> None:
        """Stop sending a pending envelope and keep it, with `reason`, for staff.

        Moving a dead envelope again changes nothing. Raises KeyError for an unknown id and
        ValueError for an envelope the server already accepted.
        """
        key = str(envelope_id)
        with self._db.write() as conn:
            status = conn.execute(select(_outbox.c.status).where(_outbox.c.id == key)).scalar()
            if status is None:
                raise KeyError(f"no envelope {key} in the outbox")
            if status == "dead":
                return
            if status == "sent":
                raise ValueError(f"envelope {key} was accepted by the server; it cannot be dead")
            now = self._clock()
            conn.execute(
                update(_outbox)
                .where(_outbox.c.id == key)
                .values(status="dead", last_error=reason, last_attempt_at=now)
            )
            conn.execute(insert(_dead).values(envelope_id=key, reason=reason, moved_at=now))

    def dead_letters(self) -> list[DeadLetter]:
        """Every dead envelope with its reason, in device_seq order."""
        stmt = (
            select(*_ENVELOPE_COLUMNS, _dead.c.reason, _dead.c.moved_at)
            .join_from(_dead, _outbox, _dead.c.envelope_id == _outbox.c.id)
            .order_by(_outbox.c.device_seq)
        )
        with self._db.read() as conn:
            return [
                DeadLetter(envelope=_envelope(row), reason=row.reason, moved_at=row.moved_at)
                for row in conn.execute(stmt)
            ]


def _sendable_to(server_key: str | None) -> Any:
    """Pending envelopes the server holding `server_key` may receive. A seal without a known
    key (none recorded) is sent nowhere: it cannot be shown to be for this server."""
    no_seal = _outbox.c.sealed_identity.is_(None)
    if server_key is None:
        return no_seal
    return or_(no_seal, _outbox.c.sealed_to == server_key)


def _envelope(row: Row[Any]) -> Envelope:
    """The envelope a row's ENVELOPE_COLUMNS hold: they are named as Envelope's fields, and
    the model parses them as it parses what the server receives (the id, the stored time)."""
    stored = {name: row._mapping[name] for name in ENVELOPE_COLUMNS}
    return Envelope.model_validate({**stored, "payload": json.loads(row.payload)})
