"""Submission ingest: every envelope stored once under its device and id, whatever the network
does.

`parse_batch` turns a request body into raw items (or says why the whole body is unusable);
`Ingest.ingest` answers each item in one transaction: accepted (stored now, with a receipt),
duplicate (same device, same id and same canonical body: the original receipt), or rejected
(conflict, invalid envelope, invalid payload, unknown kind, a survey's, contest's or vote's
deadline missed: not open, closed, late; an identity that cannot be read, or points the resident
cannot spend), every refused body kept for audit. The idempotency key is (device, id): an id
another device used first is no concern of this device's. A resident's envelopes go through
`server.residents`: the first agree or ballot counts, later ones are stored as duplicate
residents. One bad envelope never fails the others. No HTTP here, so the ingest ceiling can be
measured directly.

Stuffing is held, not counted: past a device's limits (new residents in the last hour, counted
agrees or ballots for one proposal or vote) an envelope is accepted and stored, not counted, and
held for staff (`HeldEnvelope`; release and refuse in server.held), as is an envelope for a
closed target from a device that reported nothing after the close (server.deadlines), and every
envelope from a device that waits for staff approval (`unapproved`; approving the device
releases them, server.auth.approve) except a call for staff, which is real whatever the device.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, cast

from pydantic import ValidationError
from sqlalchemy import Insert, Row, Table, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from contract.content import ContentPack
from contract.wire import (
    MAX_BATCH_ITEMS,
    PAYLOAD_MODELS,
    Envelope,
    ItemResult,
    Receipt,
    canonical_json,
)
from server import exchanges, residents
from server.config import (
    DEFAULT_CLOSING_GRACE,
    DEFAULT_MAX_COUNTED_PER_TARGET,
    DEFAULT_MAX_NEW_RESIDENTS_PER_HOUR,
)
from server.content import PublishedWindows
from server.db import ServerDatabase
from server.db.models import (
    Device,
    DeviceMark,
    HeldEnvelope,
    RejectedEnvelope,
    ResidentEntry,
    ResidentSeen,
    Submission,
)
from server.deadlines import (
    Hold,
    Mark,
    Refusal,
    TargetKind,
    Window,
    after_the_close,
    judge,
    target_of,
)
from server.group_commit import GroupCommit
from server.held import UNAPPROVED
from server.keys import ServerKeys
from server.seals import seal_digest, without_seal

log = logging.getLogger(__name__)

SUBMISSIONS: Table = Submission.__table__  # type: ignore[assignment]
REJECTED: Table = RejectedEnvelope.__table__  # type: ignore[assignment]
RESIDENT_ENTRIES: Table = ResidentEntry.__table__  # type: ignore[assignment]
RESIDENTS_SEEN: Table = ResidentSeen.__table__  # type: ignore[assignment]
HELD: Table = HeldEnvelope.__table__  # type: ignore[assignment]
# Stored as the hold's reason_code (besides server.deadlines.NO_REPORT_AFTER_CLOSE and
# server.held.UNAPPROVED).
NEW_RESIDENTS = "new_residents"
PER_TARGET = "per_target"
# Never held while the device waits for approval: a resident at the kiosk needs staff now.
NOT_HELD_UNAPPROVED = frozenset({"staff_call"})
HOUR = timedelta(hours=1)
# Groups of batches one server process stores at once on PostgreSQL (server.group_commit).
GROUP_LANES = 4
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
    # SHA-256 of its seal: a seal does one act (server.residents.seal_used).
    seal_sha256: str | None = None


@dataclass
class _Quota:
    """One batch's view of its device's limits: counts read once, then kept up in memory."""

    seen: set[str]
    new_residents: int | None = None
    per_target: dict[tuple[str, str], int] | None = None


@dataclass
class _Batch:
    """One request's envelopes as read, waiting for their group's transaction."""

    device_id: str
    items: list[_Item]
    now: datetime
    vouched_seq: int | None
    # The rows as read: storing marks them (held, counted), and a group tried again batch by
    # batch must judge them afresh.
    _as_read: list[dict[str, Any] | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._as_read = [dict(it.row) if it.row is not None else None for it in self.items]

    def restore(self) -> None:
        for it, row in zip(self.items, self._as_read, strict=True):
            it.row = dict(row) if row is not None else None


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
        max_new_residents_per_hour, max_counted_per_target: a device's limits (server.config);
            None is no limit.
        windows: the published surveys' and contests' windows.
    """

    def __init__(
        self,
        db: ServerDatabase,
        keys: ServerKeys,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        closing_grace: timedelta = DEFAULT_CLOSING_GRACE,
        max_new_residents_per_hour: int | None = DEFAULT_MAX_NEW_RESIDENTS_PER_HOUR,
        max_counted_per_target: int | None = DEFAULT_MAX_COUNTED_PER_TARGET,
    ) -> None:
        self.db = db
        self.clock = clock
        self.closing_grace = closing_grace
        self.max_new_residents_per_hour = max_new_residents_per_hour
        self.max_counted_per_target = max_counted_per_target
        self.windows = PublishedWindows(db)
        self.newest_pack = residents.NewestPack(db)
        self.opener = residents.IdentityOpener(keys.private_key, keys.resident_secret)
        # SQLite has one writer; PostgreSQL commits several groups at once.
        lanes = 1 if db.dialect == "sqlite" else GROUP_LANES
        self._commits = GroupCommit(self._store_group, lanes=lanes)

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
            resident_key = self.opener.resident_of(envelope, self._pack_for(envelope))
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
            seal_sha256=seal_digest(envelope.sealed_identity) if envelope.sealed_identity else None,
        )

    def _pack_for(self, envelope: Envelope) -> ContentPack | None:
        """The newest pack when it decides whether `envelope` needs a resident (an unsealed
        contest vote: its contest may count one vote per resident); None otherwise."""
        unsealed_vote = envelope.kind == "contest_vote" and envelope.sealed_identity is None
        return self.newest_pack.get() if unsealed_vote and not envelope.practice else None

    @staticmethod
    def _refused(
        raw: dict[str, Any], envelope_id: uuid.UUID, seq: int | None, code: str, reason: str
    ) -> _Item:
        sha = _hash(_audit_body(raw))
        return _Item(envelope_id, _audit_body(without_seal(raw)), sha, seq, None, code, reason)

    # -- storing ------------------------------------------------------------------------

    def ingest(
        self,
        device_id: str,
        raw_items: Sequence[dict[str, Any]],
        vouched_seq: int | None = None,
    ) -> list[ItemResult]:
        """Answer every envelope of one batch from `device_id`, storing what is new.

        `raw_items` come from `parse_batch` (each an object with a UUID id). `vouched_seq`:
        envelopes up to this device_seq came in a bundle staff imported (server.bundles), so
        none of them is held for want of a heartbeat after a close.
        """
        now = self.clock()
        # Read here, on the request's thread: validation and opening seals (X25519, HMAC) run
        # beside other requests; only storing waits for the group's transaction.
        items = [self._read(raw, device_id, now) for raw in raw_items]
        results = self._commits.submit(_Batch(device_id, items, now, vouched_seq))
        counts = IngestCounts(
            accepted=sum(r.status == "accepted" for r in results),
            duplicate=sum(r.status == "duplicate" for r in results),
            rejected=sum(r.status == "rejected" for r in results),
        )
        held = sum(
            r.status == "accepted" and r.receipt is not None and _is_held(r.receipt.note)
            for r in results
        )
        log.info(
            "ingest.batch device_id=%s items=%d accepted=%d duplicate=%d rejected=%d held=%d",
            device_id,
            len(items),
            counts.accepted,
            counts.duplicate,
            counts.rejected,
            held,
        )
        return results

    def _store_group(self, batches: Sequence[_Batch]) -> list[list[ItemResult]]:
        """Store a group of batches (server.group_commit) in one transaction, in their order
        of arrival: each is judged against what the earlier ones stored."""
        items = [it for batch in batches for it in batch.items]
        for batch in batches:
            batch.restore()  # a group tried again batch by batch starts from the rows as read
        with self.db.write() as session:
            if any(it.target for it in items):
                self.windows.refresh(session)
            pack = self.newest_pack.get(session) if any(it.resident_key for it in items) else None
            # Devices' rows before the residents' locks (server.auth.approve takes them in the
            # same order); every resident of the group at once, sorted: two groups that share
            # residents lock them in the same order and never deadlock.
            waiting = _waiting_for_approval(session, {batch.device_id for batch in batches})
            residents.lock_residents(session, {it.resident_key for it in items if it.resident_key})
            # The group's idempotency check in one query: what its devices already stored under
            # its ids; kept up to date below with what each batch stores, so a later batch of
            # the group sees the earlier ones' rows as the database would.
            known = self._stored_pairs(
                session, {(b.device_id, it.id) for b in batches for it in b.items}
            )
            return [
                self._store(session, batch, batch.device_id in waiting, pack, known)
                for batch in batches
            ]

    def _store(
        self,
        session: Session,
        batch: _Batch,
        waiting: bool,
        pack: ContentPack | None,
        known: dict[tuple[str, uuid.UUID], _StoredReceipt],
    ) -> list[ItemResult]:
        """Judge and store one batch of the group; `known`: the receipts stored under the
        group's (device, id) pairs so far, which this batch's stored rows join."""
        device_id, items, now = batch.device_id, batch.items, batch.now
        vouched_seq = batch.vouched_seq
        keys = {it.resident_key for it in items if it.resident_key}
        stored = {it.id: known[device_id, it.id] for it in items if (device_id, it.id) in known}
        results: list[ItemResult | None] = [None] * len(items)
        new_rows: dict[uuid.UUID, dict[str, Any]] = {}
        new_index: dict[uuid.UUID, int] = {}
        refusals: list[dict[str, Any]] = []
        # Resident entries of this batch, in its order: the order of arrival.
        entries: list[dict[str, Any]] = []
        holds: list[dict[str, Any]] = []
        newcomers: list[dict[str, Any]] = []
        quota = _Quota(seen=_seen(session, keys))
        marks: dict[datetime, Mark | None] = {}
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
            else:
                verdict = self._deadline_missed(
                    session, device_id, it, items, now, marks, vouched_seq
                )
                if isinstance(verdict, Refusal):
                    refusals.append(self._refusal(it, device_id, verdict.reason, verdict.text, now))
                    results[i] = ItemResult(id=it.id, status="rejected", reason=verdict.text)
                    continue
                hold = (
                    verdict
                    or (_unapproved(it) if waiting else None)
                    or self._over_limits(session, device_id, it, entries, quota, now, pack)
                )
                if hold is not None:
                    holds.append(self._hold(it, device_id, hold, now))
                elif refused := self._resident_refuses(session, it, entries, pack):
                    refusals.append(self._refusal(it, device_id, refused.code, refused.reason, now))
                    results[i] = ItemResult(id=it.id, status="rejected", reason=refused.reason)
                    continue
                else:
                    self._counted_in(it, device_id, quota, entries, newcomers, now)
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
                winners = self._stored(session, device_id, lost)
                for envelope_id in lost:
                    i = new_index[envelope_id]
                    results[i] = self._against(
                        winners[envelope_id], items[i], device_id, refusals, now
                    )
            entries = [e for e in entries if e["envelope_id"] in inserted]
            holds = [h for h in holds if h["envelope_id"] in inserted]
            newcomers = [n for n in newcomers if n["envelope_id"] in inserted]
            for envelope_id in inserted:
                known[device_id, envelope_id] = _row_receipt(new_rows[envelope_id])
            if lost:
                known.update(((device_id, i), w) for i, w in winners.items())
        if entries:
            session.connection().execute(RESIDENT_ENTRIES.insert(), entries)
            # Each accepted exchange is a request staff decide (신청), in this transaction.
            exchanges.add_requests(session, entries)
        if newcomers:
            self._insert_seen(session, newcomers)
        if holds:
            session.connection().execute(HELD.insert(), holds)
            for h in holds:
                log.info(
                    "ingest.held device_id=%s envelope_id=%s kind=%s reason_code=%s",
                    device_id,
                    h["envelope_id"],
                    h["kind"],
                    h["reason_code"],
                )
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
        # Only this device's envelopes are looked up (_stored): ids are per device.
        if prior.body_sha256 == it.sha256:
            return ItemResult(id=it.id, status="duplicate", receipt=prior.receipt)
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
            decision = residents.decide(
                session, entries, pack, it.resident_key, it.row, it.payload, it.seal_sha256
            )
        except residents.Refused as e:
            return e
        entries.append(decision.entry)
        it.row["counted"] = decision.counted
        it.row["note"] = decision.note
        return None

    def _deadline_missed(
        self,
        session: Session,
        device_id: str,
        it: _Item,
        batch: list[_Item],
        now: datetime,
        marks: dict[datetime, Mark | None],
        vouched_seq: int | None,
    ) -> Refusal | Hold | None:
        """Why `it` missed its survey's, contest's or vote's deadline, or why it is held for
        want of evidence; None if neither, or if the target was never published (then no
        deadline is known). `marks`: this batch's cache of the device's reports by close."""
        window = self.windows.find(*it.target) if it.target else None
        if window is None or it.row is None:
            return None
        created = it.row["created_at_server"]
        missed = judge(window, created, now, self.closing_grace)
        if missed is not None and missed.reason == "closed":
            # Only now is the device_seq evidence worth a query.
            bound = self._created_no_later_than(session, device_id, it.row["device_seq"], batch)
            missed = judge(window, created, now, self.closing_grace, bound)
        if missed is not None or it.row["practice"] or now < window.closes_at:
            return missed
        if window.closes_at not in marks:
            marks[window.closes_at] = _mark_after(session, device_id, window)
        seq = it.row["device_seq"]
        return after_the_close(window, seq, now, marks[window.closes_at], vouched_seq)

    def _over_limits(
        self,
        session: Session,
        device_id: str,
        it: _Item,
        entries: list[dict[str, Any]],
        quota: _Quota,
        now: datetime,
        pack: ContentPack | None = None,
    ) -> Hold | None:
        """The device's limit `it` would pass if it counted; None within them (or if it would
        not count anyway: practice, spending points, a duplicate resident)."""
        key = it.resident_key
        if key is None or it.row is None or it.payload is None:
            return None
        kind = it.row["kind"]
        if kind in residents.SPENDING_KINDS:
            return None
        limit = self.max_new_residents_per_hour
        if limit is not None and key not in quota.seen:
            if quota.new_residents is None:
                quota.new_residents = _new_residents_since(session, device_id, now - HOUR)
            if quota.new_residents >= limit:
                return Hold(
                    NEW_RESIDENTS,
                    f"this device brought {quota.new_residents} residents new to the server in"
                    f" the last hour; its limit is {limit}",
                )
        limit = self.max_counted_per_target
        if limit is None or not residents.counted_once(kind, it.payload, pack):
            return None
        target = residents.target_of(kind, str(it.id), it.payload)
        if quota.per_target is None:
            quota.per_target = {}
        if (kind, target) not in quota.per_target:
            quota.per_target[kind, target] = _counted_for(session, device_id, kind, target)
        counted = quota.per_target[kind, target]
        probe = {"resident_key": key, "kind": kind, "target": target}
        if counted >= limit and residents.first_counts(session, entries, probe):
            what = {"proposal_agree": "agrees with proposal", "ballot": "ballots in vote"}.get(
                kind, "votes in contest"
            )
            return Hold(
                PER_TARGET,
                f"this device already has {counted} counted {what} {target!r}; its limit is"
                f" {limit}",
            )
        return None

    @staticmethod
    def _counted_in(
        it: _Item,
        device_id: str,
        quota: _Quota,
        entries: list[dict[str, Any]],
        newcomers: list[dict[str, Any]],
        now: datetime,
    ) -> None:
        """Keep the batch's limits up to date with `it`, accepted and not held."""
        key = it.resident_key
        if key is None or not entries or entries[-1]["envelope_id"] != it.id:
            return
        entry = entries[-1]
        if key not in quota.seen and entry["counted"] and entry["points"] >= 0:
            quota.seen.add(key)
            if quota.new_residents is not None:
                quota.new_residents += 1
            newcomers.append(
                {
                    "envelope_id": it.id,
                    "resident_key": key,
                    "device_id": device_id,
                    "first_seen_at": now,
                }
            )
        target_key = (entry["kind"], entry["target"])
        if entry["counted"] and quota.per_target is not None and target_key in quota.per_target:
            quota.per_target[target_key] += 1

    @staticmethod
    def _hold(it: _Item, device_id: str, hold: Hold, now: datetime) -> dict[str, Any]:
        """Store `it` uncounted, and the hold row staff will see."""
        assert it.row is not None
        it.row["counted"] = False
        it.row["note"] = hold.text
        payload = it.payload or {}
        return {
            "device_id": device_id,
            "envelope_id": it.id,
            "kind": it.row["kind"],
            "target": _target_text(it.row["kind"], payload),
            "resident_key": it.resident_key,
            "reason_code": hold.code,
            "reason": hold.text,
            "held_at": now,
            "status": "held",
            "decided_at": None,
            "decided_by": None,
            "decision": None,
        }

    def _insert_seen(self, session: Session, rows: list[dict[str, Any]]) -> None:
        stmt = insert_ignoring(self.db.dialect, RESIDENTS_SEEN, ("resident_key",))
        session.connection().execute(
            stmt, [{k: v for k, v in row.items() if k != "envelope_id"} for row in rows]
        )

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

    def _stored(
        self, session: Session, device_id: str, ids: set[uuid.UUID]
    ) -> dict[uuid.UUID, _StoredReceipt]:
        """This device's stored envelopes among `ids`: ids are per device."""
        found = self._stored_pairs(session, {(device_id, i) for i in ids})
        return {envelope_id: receipt for (_, envelope_id), receipt in found.items()}

    @staticmethod
    def _stored_pairs(
        session: Session, pairs: set[tuple[str, uuid.UUID]]
    ) -> dict[tuple[str, uuid.UUID], _StoredReceipt]:
        """The stored receipts among (device, id) `pairs`, in one query (Core: no ORM)."""
        if not pairs:
            return {}
        by_device: dict[str, list[uuid.UUID]] = {}
        for device_id, envelope_id in sorted(pairs):
            by_device.setdefault(device_id, []).append(envelope_id)
        # One term per device, each a search of the primary key (device_id, id) (SQLite's
        # MULTI-INDEX OR, PostgreSQL's BitmapOr); a row value IN (VALUES ...) would scan.
        rows = session.connection().execute(
            select(*_RECEIPT_COLUMNS).where(
                or_(
                    *(
                        and_(Submission.device_id == device_id, Submission.id.in_(ids))
                        for device_id, ids in by_device.items()
                    )
                )
            )
        )
        return {(row.device_id, row.id): _stored_receipt(row) for row in rows}

    def _insert_submissions(self, session: Session, rows: list[dict[str, Any]]) -> set[uuid.UUID]:
        """Insert rows not stored yet; the ids actually inserted by this transaction."""
        # Core, not the ORM's bulk path: this is the hot loop of a drain.
        if self.db.dialect == "sqlite":
            # SQLite's write lock is held since BEGIN IMMEDIATE, and the group read what is
            # stored under these ids in it: no one can have raced us, a plain INSERT will do.
            session.connection().execute(SUBMISSIONS.insert(), rows)
            return {row["id"] for row in rows}
        stmt = insert_ignoring(self.db.dialect, SUBMISSIONS, ("device_id", "id"), returning="id")
        result = session.connection().execute(stmt, rows)
        return set(result.scalars().all())

    def _insert_refusals(self, session: Session, rows: list[dict[str, Any]]) -> None:
        # A retried delivery of the same refused body is kept once.
        stmt = insert_ignoring(
            self.db.dialect, REJECTED, ("envelope_id", "device_id", "body_sha256")
        )
        session.connection().execute(stmt, rows)


@cache
def insert_ignoring(
    dialect: str, table: Table, index_elements: tuple[str, ...], returning: str | None = None
) -> Insert:
    """INSERT INTO `table` ... ON CONFLICT (`index_elements`) DO NOTHING [RETURNING], built
    once and compiled once.

    SQLAlchemy never caches the compiled SQL of a dialect's INSERT with ON CONFLICT (its
    conflict clause is not part of the cache key), so each execution compiled it anew: about a
    millisecond of a batch's time. Here each such statement is an instance of a class of its
    own, whose conflict clause never changes: the class and the table (both in the key) name
    the whole statement, so its compiled form may be cached.
    """
    module = postgresql if dialect == "postgresql" else sqlite
    name = f"_InsertIgnoring_{table.name}_{'_'.join(index_elements)}"
    cacheable = {"inherit_cache": True}
    stmt = type(name, (module.Insert,), cacheable)(table)
    # What on_conflict_do_nothing sets, as a class of its own too: the clause is in the
    # statement's key, and a dialect's conflict clause has none.
    clause = type(
        f"{name}_clause",
        (module.dml.OnConflictDoNothing,),
        {**cacheable, "_traverse_internals": []},
    )
    stmt._post_values_clause = clause(index_elements=list(index_elements))
    return cast(Insert, stmt.returning(table.c[returning])) if returning else stmt


def _waiting_for_approval(session: Session, device_ids: set[str]) -> set[str]:
    """Which of the devices still wait for staff approval (devices.approved_at unset)."""
    approved = (
        session.connection()
        .scalars(
            select(Device.id).where(Device.id.in_(device_ids), Device.approved_at.is_not(None))
        )
        .all()
    )
    unsure = sorted(device_ids - set(approved))
    if not unsure:
        return set()  # an approval is never taken back
    # Read again under a share lock held to the end of this transaction (PostgreSQL; SQLite's
    # write lock does it already), in id order: an approval's UPDATE waits until these
    # batches' holds are stored, and releases them; or it came first, and this read sees it.
    still = session.execute(
        select(Device.id, Device.approved_at)
        .where(Device.id.in_(unsure))
        .order_by(Device.id)
        .with_for_update(read=True)
    ).all()
    return set(unsure) - {row.id for row in still if row.approved_at is not None}


def _unapproved(it: _Item) -> Hold | None:
    """The hold of an envelope from a device waiting for approval: every kind but a call for
    staff; practice never counts, so it needs none."""
    if it.row is None or it.row["practice"] or it.row["kind"] in NOT_HELD_UNAPPROVED:
        return None
    return Hold(
        UNAPPROVED,
        "this device waits for staff approval; it counts when staff approve the device",
    )


def _is_held(note: str | None) -> bool:
    return note is not None and note.startswith("held for staff review")


def _target_text(kind: str, payload: dict[str, Any]) -> str | None:
    """What a held envelope is for, as staff read it: a proposal, vote, survey or contest."""
    deadline = target_of(kind, payload)
    if deadline is not None:
        return f"{deadline[0]} {deadline[1]}"
    field = residents.ONCE_PER_RESIDENT.get(kind)
    value = payload.get(field) if field else None
    return f"proposal {value}" if value is not None else None


def _seen(session: Session, keys: set[str]) -> set[str]:
    """Which of `keys` the server has counted anything of before."""
    if not keys:
        return set()
    found = (
        session.connection()
        .scalars(select(ResidentSeen.resident_key).where(ResidentSeen.resident_key.in_(keys)))
        .all()
    )
    return set(found)


def _new_residents_since(session: Session, device_id: str, since: datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(ResidentSeen)
            .where(ResidentSeen.device_id == device_id, ResidentSeen.first_seen_at >= since)
        )
        or 0
    )


def _counted_for(session: Session, device_id: str, kind: str, target: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(ResidentEntry)
            .where(
                ResidentEntry.device_id == device_id,
                ResidentEntry.kind == kind,
                ResidentEntry.target == target,
                ResidentEntry.counted.is_(True),
            )
        )
        or 0
    )


def _mark_after(session: Session, device_id: str, window: Window) -> Mark | None:
    """The device's report received after `window` closed with the lowest highest_seq."""
    row = session.execute(
        select(DeviceMark.highest_seq, DeviceMark.last_received_at)
        .where(DeviceMark.device_id == device_id, DeviceMark.last_received_at >= window.closes_at)
        .order_by(DeviceMark.highest_seq)
        .limit(1)
    ).first()
    return None if row is None else Mark(row.highest_seq, row.last_received_at)


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
