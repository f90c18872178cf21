"""Held envelopes: stored, not counted, until staff release or refuse them (DESIGN.md "Trust").

`server.ingest` holds an envelope from a device that waits for staff approval, past its
device's limits (new residents in an hour, counted agrees or ballots for one proposal or vote)
or for a closed target from a device that reported nothing after the close. Staff list them
(`held`), count one (`release`) or keep it uncounted for good (`refuse`):
``python -m server held|release|refuse``; approving a device releases what it sent while it
waited (`release_unapproved`, in the approval's transaction). Releasing applies the rule of one
resident, one count at that moment: a resident who has counted meanwhile stays a duplicate.
Every decision is in the audit log (server.audit) with who made it. Nothing here shows a seal
or a resident key.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contract.content import ContentPack
from server import audit, exchanges, residents
from server.db import ServerDatabase
from server.db.models import Device, HeldEnvelope, ResidentEntry, ResidentSeen, Submission
from server.seals import SEAL_HASH_FIELD

log = logging.getLogger(__name__)

Status = Literal["held", "released", "refused"]
# The hold's reason_code while its device waits for staff approval (server.ingest); approving
# the device releases these (server.auth.approve). The limits' codes are in server.ingest.
UNAPPROVED = "unapproved"


# What each hold's reason_code means, for staff (server.ingest and server.deadlines set them).
REASON_LABELS = {
    UNAPPROVED: "기기 승인 대기",
    "new_residents": "한 시간 새 주민 수 한도 넘음",
    "per_target": "한 기기의 같은 제안·투표 집계 한도 넘음",
    "no_heartbeat": "마감 뒤 신호 없이 늦게 도착",
}


def held_per_device(db: ServerDatabase) -> dict[str, int]:
    """How many envelopes of each device wait for staff (devices with none are left out)."""
    stmt = (
        select(HeldEnvelope.device_id, func.count())
        .where(HeldEnvelope.status == "held")
        .group_by(HeldEnvelope.device_id)
    )
    with db.read() as session:
        return {device_id: int(n) for device_id, n in session.execute(stmt).tuples()}


class NotHeld(LookupError):
    """No envelope waits for staff under this number or id; the message says what there is."""


@dataclass(frozen=True)
class HeldReport:
    """One held envelope as staff see it: never its body, seal or resident key."""

    number: int
    envelope_id: str
    device_id: str
    device_name: str
    device_seq: int
    kind: str
    target: str | None
    held_at: datetime
    reason_code: str
    reason: str
    status: str
    decided_at: datetime | None
    decided_by: str | None
    decision: str | None

    def to_json(self) -> dict[str, Any]:
        data = self.__dict__.copy()
        for name in ("held_at", "decided_at"):
            if data[name] is not None:
                data[name] = data[name].isoformat()
        return data


def listing(
    db: ServerDatabase,
    status: Status | None = "held",
    number: int | None = None,
    limit: int | None = None,
) -> list[HeldReport]:
    """Held envelopes in the order they were held; `status` None lists decided ones too;
    at most `limit` (the oldest first)."""
    stmt = (
        select(HeldEnvelope, Device.name, Submission.device_seq)
        .join(Device, Device.id == HeldEnvelope.device_id)
        .join(
            Submission,
            (Submission.device_id == HeldEnvelope.device_id)
            & (Submission.id == HeldEnvelope.envelope_id),
        )
        .order_by(HeldEnvelope.id)
    )
    if status is not None:
        stmt = stmt.where(HeldEnvelope.status == status)
    if number is not None:
        stmt = stmt.where(HeldEnvelope.id == number)
    if limit is not None:
        stmt = stmt.limit(limit)
    with db.read() as session:
        rows = session.execute(stmt).all()
    return [
        HeldReport(
            number=h.id,
            envelope_id=str(h.envelope_id),
            device_id=h.device_id,
            device_name=name,
            device_seq=seq,
            kind=h.kind,
            target=h.target,
            held_at=h.held_at,
            reason_code=h.reason_code,
            reason=h.reason,
            status=h.status,
            decided_at=h.decided_at,
            decided_by=h.decided_by,
            decision=h.decision,
        )
        for h, name, seq in rows
    ]


def _find(session: Session, ref: str) -> HeldEnvelope:
    """The envelope waiting under number `ref`, or under envelope id `ref` if one only."""
    stmt = select(HeldEnvelope).where(HeldEnvelope.status == "held")
    if ref.isdigit():
        found = session.scalars(stmt.where(HeldEnvelope.id == int(ref))).all()
    else:
        try:
            envelope_id = uuid.UUID(ref)
        except ValueError:
            raise NotHeld(f"{ref!r} is neither a held number nor an envelope id") from None
        found = session.scalars(stmt.where(HeldEnvelope.envelope_id == envelope_id)).all()
    if len(found) > 1:
        numbers = ", ".join(str(h.id) for h in found)
        raise NotHeld(f"several devices' envelopes wait under id {ref}: name one of {numbers}")
    if not found:
        decided = session.scalar(
            select(HeldEnvelope.status).where(HeldEnvelope.id == int(ref))
            if ref.isdigit()
            else select(HeldEnvelope.status).where(HeldEnvelope.envelope_id == uuid.UUID(ref))
        )
        if decided is not None:
            raise NotHeld(f"{ref} was already {decided}; a decision is final")
        raise NotHeld(f"no held envelope {ref} (python -m server held lists them)")
    return found[0]


def release(
    db: ServerDatabase, ref: str, by: audit.Actor, now: datetime | None = None
) -> HeldReport:
    """Count the held envelope `ref` now, as if it arrived now (NotHeld if none waits); `by`
    decided it (the audit log records it in the same transaction)."""
    now = now or datetime.now(UTC)
    pack = residents.NewestPack(db).get()
    with db.write() as session:
        held = _find(session, ref)
        if held.resident_key is not None:
            residents.lock_residents(session, [held.resident_key])
        done = _release(session, held, pack, by, now)
    _log_released(done)
    return _one(db, done.number)


@dataclass(frozen=True)
class Released:
    """One envelope staff released, and whether it counted then."""

    number: int
    device_id: str
    envelope_id: uuid.UUID
    counted: bool
    by: str | None


def release_unapproved(
    session: Session,
    device_id: str,
    pack: ContentPack | None,
    by: audit.Actor,
    now: datetime,
) -> list[Released]:
    """Release, inside the caller's transaction (the device's approval, server.auth), every
    envelope of `device_id` held because the device waited for approval, in the order they
    arrived. Envelopes held for another reason stay held. Log them (`log_released`) once the
    transaction has committed."""
    holds = session.scalars(
        select(HeldEnvelope)
        .where(
            HeldEnvelope.device_id == device_id,
            HeldEnvelope.reason_code == UNAPPROVED,
            HeldEnvelope.status == "held",
        )
        .order_by(HeldEnvelope.id)
    ).all()
    residents.lock_residents(session, [h.resident_key for h in holds if h.resident_key])
    return [_release(session, held, pack, by, now) for held in holds]


def log_released(done: list[Released]) -> None:
    for one in done:
        _log_released(one)


def _release(
    session: Session,
    held: HeldEnvelope,
    pack: ContentPack | None,
    by: audit.Actor,
    now: datetime,
) -> Released:
    """Count `held` now: one resident, one count as of now (the resident's lock is held)."""
    sub = session.get(Submission, (held.device_id, held.envelope_id))
    assert sub is not None  # the foreign key keeps it
    counted, note = True, "released by staff"
    if held.resident_key is not None:
        row = {"id": sub.id, "device_id": sub.device_id, "kind": sub.kind, "received_at": now}
        stored = json.loads(sub.body)
        seal = stored.get(SEAL_HASH_FIELD)
        try:
            decision = residents.decide(
                session, [], pack, held.resident_key, row, stored["payload"], seal
            )
        except residents.Refused as e:
            # Spending held while its device waited for approval, over the balance now, or a
            # seal already used: kept, nothing counted or spent.
            counted, note = False, f"released by staff, not counted: {e.reason}"
        else:
            session.add(ResidentEntry(**decision.entry))
            exchanges.add_requests(session, [decision.entry])
            counted = decision.counted
            if decision.note:
                note = f"released by staff: {decision.note}"
            if counted and session.get(ResidentSeen, held.resident_key) is None:
                session.add(
                    ResidentSeen(
                        resident_key=held.resident_key,
                        device_id=held.device_id,
                        first_seen_at=now,
                    )
                )
    sub.counted, sub.note = counted, note
    held.status, held.decided_at, held.decided_by, held.decision = "released", now, by.name, note
    audit.record(
        session,
        by,
        "held.release",
        f"held:{held.id}",
        before={"status": "held"},
        after={
            "status": "released",
            "counted": counted,
            "decision": note,
            "device_id": held.device_id,
            "envelope_id": str(held.envelope_id),
            "kind": held.kind,
        },
        now=now,
    )
    # The next release in this transaction must see this one's entry (one resident, one count).
    session.flush()
    return Released(held.id, held.device_id, held.envelope_id, counted, by.name)


def _log_released(one: Released) -> None:
    log.info(
        "held.released number=%d device_id=%s envelope_id=%s counted=%s by=%s",
        one.number,
        one.device_id,
        one.envelope_id,
        one.counted,
        one.by,
    )


def refuse(
    db: ServerDatabase, ref: str, by: audit.Actor, reason: str, now: datetime | None = None
) -> HeldReport:
    """Keep the held envelope `ref` for good, never counted (NotHeld if none waits); `by`
    decided it (the audit log records it in the same transaction)."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        held = _find(session, ref)
        sub = session.get(Submission, (held.device_id, held.envelope_id))
        assert sub is not None
        note = f"refused by staff: {reason}"
        sub.counted, sub.note = False, note
        held.status, held.decided_at, held.decided_by, held.decision = (
            "refused",
            now,
            by.name,
            note,
        )
        audit.record(
            session,
            by,
            "held.refuse",
            f"held:{held.id}",
            before={"status": "held"},
            after={
                "status": "refused",
                "reason": reason,
                "device_id": held.device_id,
                "envelope_id": str(held.envelope_id),
                "kind": held.kind,
            },
            now=now,
        )
        number = held.id
    log.info(
        "held.refused number=%d device_id=%s envelope_id=%s by=%s reason=%s",
        number,
        held.device_id,
        held.envelope_id,
        by.name,
        json.dumps(reason, ensure_ascii=True),
    )
    return _one(db, number)


def _one(db: ServerDatabase, number: int) -> HeldReport:
    [report] = listing(db, None, number)
    return report
