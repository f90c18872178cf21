"""Submission ingest: every envelope stored once under its id, whatever the network does.

`parse_batch` turns a request body into raw items (or says why the whole body is unusable);
`Ingest.ingest` answers each item in one transaction: accepted (stored now, with a receipt),
duplicate (same id and same canonical body: the original receipt), or rejected (conflict,
invalid envelope, invalid payload, unknown kind, a survey's, contest's or vote's deadline missed:
not open, closed, late; an identity that cannot be read, or points the resident cannot spend),
every refused body kept for audit. A resident's envelopes go through `server.residents`: the
first agree or ballot counts, later ones are stored as duplicate residents. One bad envelope
never fails the others. No HTTP here, so the ingest ceiling can be measured directly.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Row, Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk.domain.content import ContentPack
from server import residents
from server.config import DEFAULT_CLOSING_GRACE
from server.content import PublishedWindows
from server.db import ServerDatabase
from server.db.models import RejectedEnvelope, ResidentEntry, Submission
from server.deadlines import Refusal, TargetKind, judge, target_of
from server.keys import ServerKeys
from server.seals import without_seal
from sync.protocol import (
    MAX_BATCH_ITEMS,
    PAYLOAD_MODELS,
    Envelope,
    ItemResult,
    Receipt,
    canonical_json,
)

log = logging.getLogger(__name__)

SUBMISSIONS: Table = Submission.__table__  # type: ignore[assignment]
REJECTED: Table = RejectedEnvelope.__table__  # type: ignore[assignment]
RESIDENT_ENTRIES: Table = ResidentEntry.__table__  # type: ignore[assignment]
# Integer columns are 64-bit on every database.
MAX_INT = 2**63 - 1
_RECEIPT_COLUMNS = (
    Submission.id,
    Submission.body_sha256,
    Submission.device_id,
    Submission.device_seq,
    Submission.received_at,
    Submission.created_at_server,
    Submission.counted,
    Submission.note,
)


class BadBatch(ValueError):
    """The body as a whole cannot be read as a batch (answered 422 with this message)."""


class BatchTooLarge(ValueError):
    """More envelopes than one batch may carry (answered 413)."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_batch(body: bytes) -> list[dict[str, Any]]:
    """The raw envelopes of a batch body ({"items": [...]}); BadBatch or BatchTooLarge if unusable.

    Each item must at least be an object with a UUID `id`, so that it can be answered; everything
    else about an item is judged item by item in `Ingest.ingest`.
    """
    try:
        document = json.loads(body, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as e:
        raise BadBatch(f"The body is not valid JSON: {e}") from None
    except RecursionError:
        raise BadBatch("The body is not valid JSON: it is nested too deeply.") from None
    if not isinstance(document, dict):
        raise BadBatch('The body must be a JSON object: {"items": [envelope, ...]}.')
    unexpected = sorted(set(document) - {"items"})
    if unexpected:
        raise BadBatch(f"Unexpected field in the batch: {unexpected[0]!r}.")
    items = document.get("items")
    if not isinstance(items, list):
        raise BadBatch('The batch needs "items": a list of envelopes.')
    if not items:
        raise BadBatch("The batch is empty: send at least one envelope.")
    if len(items) > MAX_BATCH_ITEMS:
        raise BatchTooLarge(
            f"A batch may carry at most {MAX_BATCH_ITEMS} envelopes; this one has {len(items)}."
        )
    for i, item in enumerate(items):
        if not isinstance(item, dict) or _envelope_id(item) is None:
            raise BadBatch(f"items[{i}] has no valid 'id': every envelope needs a UUID id.")
    return items


def _envelope_id(item: dict[str, Any]) -> uuid.UUID | None:
    value = item.get("id")
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def describe(error: ValidationError, prefix: str = "") -> str:
    """The first problems of a validation error as one plain sentence naming the fields."""
    parts = []
    for e in error.errors()[:3]:
        where = ".".join(str(p) for p in e["loc"])
        parts.append(f"{prefix}{where}: {e['msg']}" if where else e["msg"])
    more = len(error.errors()) - 3
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def _hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def stored_body(envelope: Envelope) -> str:
    """The envelope as the server keeps it: canonical JSON with the seal replaced by its hash
    (server.seals). The hash that decides "duplicate" is taken before, of the body as sent."""
    document = without_seal(envelope.model_dump(mode="json"))
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _audit_body(item: dict[str, Any]) -> str:
    # ASCII escapes: any JSON text the client sent can be kept, lone surrogates included.
    return json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@dataclass
class _Item:
    """One envelope of a batch as read: a storable row, or the reason it is refused.

    `body` is what is stored (never the seal); `sha256` is of the body as it was sent.
    """

    id: uuid.UUID
    body: str
    sha256: str
    device_seq: int | None
    row: dict[str, Any] | None = None
    reason_code: str | None = None
    reason: str | None = None
    # The survey, contest or vote whose deadline applies, if any.
    target: tuple[TargetKind, str] | None = None
    # The resident who sent it (server.residents), and the payload the record needs.
    resident_key: str | None = None
    payload: dict[str, Any] | None = None


@dataclass(frozen=True)
class IngestCounts:
    accepted: int
    duplicate: int
    rejected: int


class Ingest:
    """Stores batches of envelopes for devices.

    Attributes:
        db: the server database.
        clock: the server's clock (UTC, aware); tests may replace it.
        closing_grace: how long after a close envelopes created before it are still taken.
        windows: the published surveys' and contests' windows.
    """

    def __init__(
        self,
        db: ServerDatabase,
        keys: ServerKeys,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        closing_grace: timedelta = DEFAULT_CLOSING_GRACE,
    ) -> None:
        self.db = db
        self.clock = clock
        self.closing_grace = closing_grace
        self.windows = PublishedWindows(db)
        self.newest_pack = residents.NewestPack(db)
        self.opener = residents.IdentityOpener(keys.private_key, keys.resident_secret)

    # -- reading ------------------------------------------------------------------------

    def _read(self, raw: dict[str, Any], device_id: str, now: datetime) -> _Item:
        envelope_id = _envelope_id(raw)
        assert envelope_id is not None  # parse_batch checked every id
        seq = raw.get("device_seq")
        seq = seq if isinstance(seq, int) and 1 <= seq <= MAX_INT else None
        try:
            envelope = Envelope.model_validate(raw)
        except ValidationError as e:
            return self._refused(raw, envelope_id, seq, "invalid_envelope", describe(e))
        try:
            sha = _hash(canonical_json(envelope).decode("utf-8"))
        except UnicodeEncodeError:
            return self._refused(
                raw, envelope_id, seq, "invalid_envelope", "it holds text that is not Unicode"
            )
        body = stored_body(envelope)
        if envelope.device_seq > MAX_INT or envelope.schema_version > MAX_INT:
            return _Item(
                envelope_id, body, sha, None, None, "invalid_envelope", "a number is too large"
            )
        model = PAYLOAD_MODELS.get(envelope.kind)
        if model is None:
            known = ", ".join(sorted(PAYLOAD_MODELS))
            reason = f"this server does not know the kind {envelope.kind!r} (it knows {known})"
            return _Item(envelope_id, body, sha, seq, None, "unknown_kind", reason)
        try:
            model.model_validate(envelope.payload)
        except ValidationError as e:
            return _Item(
                envelope_id, body, sha, seq, None, "invalid_payload", describe(e, "payload.")
            )
        try:
            created_at_server = envelope.created_at + timedelta(seconds=envelope.clock_offset_s)
        except OverflowError:
            reason = "created_at corrected by clock_offset_s is not a possible time"
            return _Item(envelope_id, body, sha, seq, None, "invalid_envelope", reason)
        row = {
            "id": envelope.id,
            "body_sha256": sha,
            "device_id": device_id,
            "device_seq": envelope.device_seq,
            "kind": envelope.kind,
            "schema_version": envelope.schema_version,
            "content_version": envelope.content_version,
            "created_at": envelope.created_at,
            "clock_offset_s": envelope.clock_offset_s,
            "created_at_server": created_at_server,
            "received_at": now,
            "practice": envelope.practice,
            "counted": not envelope.practice,
            "note": "practice: not counted" if envelope.practice else None,
            "body": body,
        }
        try:
            resident_key = self.opener.resident_of(envelope)
        except residents.IdentityRefused as e:
            return _Item(envelope_id, body, sha, seq, None, "identity", str(e))
        target = target_of(envelope.kind, envelope.payload)
        return _Item(
            envelope_id,
            body,
            sha,
            envelope.device_seq,
            row,
            target=target,
            resident_key=resident_key,
            payload=envelope.payload,
        )

    @staticmethod
    def _refused(
        raw: dict[str, Any], envelope_id: uuid.UUID, seq: int | None, code: str, reason: str
    ) -> _Item:
        sha = _hash(_audit_body(raw))
        return _Item(envelope_id, _audit_body(without_seal(raw)), sha, seq, None, code, reason)

    # -- storing ------------------------------------------------------------------------

    def ingest(self, device_id: str, raw_items: Sequence[dict[str, Any]]) -> list[ItemResult]:
        """Answer every envelope of one batch from `device_id`, storing what is new.

        `raw_items` come from `parse_batch` (each an object with a UUID id).
        """
        now = self.clock()
        items = [self._read(raw, device_id, now) for raw in raw_items]
        if any(it.target for it in items):
            self.windows.refresh()
        pack = self.newest_pack.get() if any(it.resident_key for it in items) else None
        with self.db.write() as session:
            results = self._store(session, device_id, items, now, pack)
        counts = IngestCounts(
            accepted=sum(r.status == "accepted" for r in results),
            duplicate=sum(r.status == "duplicate" for r in results),
            rejected=sum(r.status == "rejected" for r in results),
        )
        log.info(
            "ingest.batch device_id=%s items=%d accepted=%d duplicate=%d rejected=%d",
            device_id,
            len(items),
            counts.accepted,
            counts.duplicate,
            counts.rejected,
        )
        return results

    def _store(
        self,
        session: Session,
        device_id: str,
        items: list[_Item],
        now: datetime,
        pack: ContentPack | None = None,
    ) -> list[ItemResult]:
        residents.lock_residents(session, (it.resident_key for it in items if it.resident_key))
        stored = self._stored(session, {it.id for it in items})
        results: list[ItemResult | None] = [None] * len(items)
        new_rows: dict[uuid.UUID, dict[str, Any]] = {}
        new_index: dict[uuid.UUID, int] = {}
        refusals: list[dict[str, Any]] = []
        # Resident entries of this batch, in its order: the order of arrival.
        entries: list[dict[str, Any]] = []
        for i, it in enumerate(items):
            prior = stored.get(it.id)
            if prior is None and it.id in new_rows:
                # The same id twice in one batch: the second is judged against the first.
                prior = _row_receipt(new_rows[it.id])
            if prior is not None:
                results[i] = self._against(prior, it, device_id, refusals, now)
            elif it.row is None:
                reason = self._why(it)
                refusals.append(self._refusal(it, device_id, it.reason_code, reason, now))
                results[i] = ItemResult(id=it.id, status="rejected", reason=reason)
            elif missed := self._deadline_missed(session, device_id, it, items, now):
                refusals.append(self._refusal(it, device_id, missed.reason, missed.text, now))
                results[i] = ItemResult(id=it.id, status="rejected", reason=missed.text)
            elif refused := self._resident_refuses(session, it, entries, pack):
                refusals.append(self._refusal(it, device_id, refused.code, refused.reason, now))
                results[i] = ItemResult(id=it.id, status="rejected", reason=refused.reason)
            else:
                new_rows[it.id] = it.row
                new_index[it.id] = i
                results[i] = ItemResult(
                    id=it.id, status="accepted", receipt=_row_receipt(it.row).receipt
                )
        if new_rows:
            # Sorted by id: two batches that overlap lock the same rows in the same order, so
            # PostgreSQL never has to break a deadlock between them.
            rows = sorted(new_rows.values(), key=lambda row: row["id"])
            inserted = self._insert_submissions(session, rows)
            lost = set(new_rows) - inserted
            if lost:
                # Another connection stored these between our read and our insert.
                log.info("ingest.race_lost device_id=%s envelopes=%d", device_id, len(lost))
                winners = self._stored(session, lost)
                for envelope_id in lost:
                    i = new_index[envelope_id]
                    results[i] = self._against(
                        winners[envelope_id], items[i], device_id, refusals, now
                    )
            entries = [e for e in entries if e["envelope_id"] in inserted]
        if entries:
            session.connection().execute(RESIDENT_ENTRIES.insert(), entries)
        if refusals:
            refusals.sort(key=lambda r: (r["envelope_id"], r["body_sha256"]))
            self._insert_refusals(session, refusals)
        assert all(r is not None for r in results)
        return [r for r in results if r is not None]

    def _against(
        self,
        prior: _StoredReceipt,
        it: _Item,
        device_id: str,
        refusals: list[dict[str, Any]],
        now: datetime,
    ) -> ItemResult:
        if prior.body_sha256 == it.sha256 and prior.receipt.device_id == device_id:
            return ItemResult(id=it.id, status="duplicate", receipt=prior.receipt)
        if prior.receipt.device_id != device_id:
            reason = "conflict: another device already sent an envelope with this id"
        else:
            reason = "conflict: an envelope with this id was already stored with different content"
        refusals.append(self._refusal(it, device_id, "conflict", reason, now))
        return ItemResult(id=it.id, status="rejected", reason=reason)

    @staticmethod
    def _why(it: _Item) -> str:
        prefix = {
            "invalid_envelope": "invalid envelope",
            "invalid_payload": "invalid payload",
            "unknown_kind": "unknown kind",
            "identity": "identity",
        }[it.reason_code or "invalid_envelope"]
        return f"{prefix}: {it.reason}"

    @staticmethod
    def _resident_refuses(
        session: Session, it: _Item, entries: list[dict[str, Any]], pack: ContentPack | None
    ) -> residents.Refused | None:
        """Record what a resident's envelope does (its entry, counted or not, in its row and
        receipt); the refusal when it spends points the resident cannot spend."""
        if it.resident_key is None or it.row is None or it.payload is None:
            return None
        try:
            decision = residents.decide(session, entries, pack, it.resident_key, it.row, it.payload)
        except residents.Refused as e:
            return e
        entries.append(decision.entry)
        it.row["counted"] = decision.counted
        it.row["note"] = decision.note
        return None

    def _deadline_missed(
        self, session: Session, device_id: str, it: _Item, batch: list[_Item], now: datetime
    ) -> Refusal | None:
        """Why `it` missed its survey's, contest's or vote's deadline; None if it did not, or if the
        target was never published (then no deadline is known)."""
        window = self.windows.find(*it.target) if it.target else None
        if window is None or it.row is None:
            return None
        created = it.row["created_at_server"]
        missed = judge(window, created, now, self.closing_grace)
        if missed is None or missed.reason != "closed":
            return missed
        # Only now is the device_seq evidence worth a query.
        bound = self._created_no_later_than(session, device_id, it.row["device_seq"], batch)
        return judge(window, created, now, self.closing_grace, bound)

    @staticmethod
    def _created_no_later_than(
        session: Session, device_id: str, seq: int, batch: list[_Item]
    ) -> datetime | None:
        """The earliest corrected creation time among the device's envelopes with a higher
        device_seq, stored before or in this batch: seq order is creation order."""
        times = [
            other.row["created_at_server"]
            for other in batch
            if other.row is not None and other.row["device_seq"] > seq
        ]
        stored = session.scalar(
            select(func.min(Submission.created_at_server)).where(
                Submission.device_id == device_id, Submission.device_seq > seq
            )
        )
        if stored is not None:
            times.append(stored)
        return min(times, default=None)

    @staticmethod
    def _refusal(
        it: _Item, device_id: str, code: str | None, reason: str, now: datetime
    ) -> dict[str, Any]:
        return {
            "envelope_id": str(it.id),
            "device_id": device_id,
            "device_seq": it.device_seq,
            "received_at": now,
            "reason_code": code or "invalid_envelope",
            "reason": reason,
            "body_sha256": it.sha256,
            "body": it.body,
        }

    def _stored(self, session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, _StoredReceipt]:
        if not ids:
            return {}
        rows = session.execute(select(*_RECEIPT_COLUMNS).where(Submission.id.in_(ids))).all()
        return {row.id: _stored_receipt(row) for row in rows}

    def _insert_submissions(self, session: Session, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
        """Insert rows not stored yet; the ids actually inserted by this transaction."""
        dialect = postgresql if self.db.dialect == "postgresql" else sqlite
        # Core, not the ORM's bulk path: this is the hot loop of a drain.
        stmt = dialect.insert(SUBMISSIONS).on_conflict_do_nothing(index_elements=["id"])
        if self.db.dialect == "sqlite":
            # SQLite's write lock is held since BEGIN IMMEDIATE: no one can have raced us.
            session.connection().execute(stmt, rows)
            return {row["id"] for row in rows}
        result = session.connection().execute(stmt.returning(SUBMISSIONS.c.id), rows)
        return set(result.scalars().all())

    def _insert_refusals(self, session: Session, rows: list[dict[str, Any]]) -> None:
        dialect = postgresql if self.db.dialect == "postgresql" else sqlite
        # A retried delivery of the same refused body is kept once.
        stmt = dialect.insert(REJECTED).on_conflict_do_nothing(
            index_elements=["envelope_id", "device_id", "body_sha256"]
        )
        session.connection().execute(stmt, rows)


@dataclass(frozen=True)
class _StoredReceipt:
    body_sha256: str
    receipt: Receipt


def _stored_receipt(row: Row[Any]) -> _StoredReceipt:
    return _StoredReceipt(
        body_sha256=row.body_sha256,
        receipt=Receipt(
            envelope_id=row.id,
            device_id=row.device_id,
            device_seq=row.device_seq,
            received_at=row.received_at,
            created_at_server=row.created_at_server,
            counted=row.counted,
            note=row.note,
        ),
    )


def _row_receipt(row: dict[str, Any]) -> _StoredReceipt:
    return _StoredReceipt(
        body_sha256=row["body_sha256"],
        receipt=Receipt(
            envelope_id=row["id"],
            device_id=row["device_id"],
            device_seq=row["device_seq"],
            received_at=row["received_at"],
            created_at_server=row["created_at_server"],
            counted=row["counted"],
            note=row["note"],
        ),
    )
