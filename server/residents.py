"""One resident, one count, without keeping who the resident is (DESIGN.md "Identity").

An envelope of an identified kind (contract.wire.IDENTIFIED_KINDS) carries the resident's phone
number and birth date sealed to the server's X25519 key (contract.identity.seal), bound to
that one act (contract.wire.SealBinding): a seal whose binding is not the envelope's, or the
ledger request's, that carries it is refused, as is a seal of format 1 (no binding). The server
opens the seal, reads what it holds as the kiosk wrote it (contract.identity.unsealed) and
derives the resident key: an HMAC-SHA256 of "phone|birth" with the server's own secret (a key
file, server.keys). Only that key is stored; the phone number and birth date are dropped as
soon as the key is made, and no error or log line repeats them.

What each accepted envelope of a resident did is a `ResidentEntry`:
- a resident's first agree with a proposal, first ballot in a vote (the ballots of all 15
  dongs are one vote: one dong per resident) and first vote in a contest whose vote is one per
  resident, count; later ones are stored, not counted, and the receipt says "duplicate
  resident" (`first_counts` holds the rule, contract.civic `counted_once` which kinds);
- a counted activity earns the points of the newest published pack's rule
  (contract.points.points_for) once per resident per item: a duplicate earns none, and so does
  a second survey, quiz or contest entry of the same item (stored and counted; the receipt says
  "points already earned");
- an exchange must reach the pack's minimum and stay within the balance, a donation within the
  balance; otherwise it is rejected with the reason (contract.points holds both rules);
- an accepted exchange is also a request staff decide (server.exchanges); one they refuse
  (반려) counts as 0 in the balance, so its points are the resident's again. Entries are never
  rewritten: the balance is computed from them and the requests' statuses.
Practice envelopes are stored but never counted: their seal is not even opened.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal, cast

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox
from pydantic import ValidationError
from sqlalchemy import ColumnElement, Table, and_, case, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from contract.civic import ONCE_PER_RESIDENT, Problem, counted_once, one_vote_per_resident
from contract.content import ContentPack, PointRules
from contract.identity import IdentityError, SealFormatError, normalise_phone, unsealed
from contract.points import (
    DUPLICATE_RESIDENT,
    POINTS_ALREADY_EARNED,
    donation_problems,
    exchange_problems,
    points_for,
)
from contract.wire import (
    IDENTIFIED_KINDS,
    SEAL_FORMAT,
    Envelope,
    PointsLedgerRequest,
    SealBinding,
    binding_of,
    seal_target,
)
from server.db import ServerDatabase
from server.db.models import LedgerRequest, Manifest, PointExchange, ResidentEntry

log = logging.getLogger(__name__)

# Stored as the rejection's reason_code.
IDENTITY_REASON: Final = "identity"
POINTS_REASON: Final = "points"
# An exchange request's status (server.exchanges owns the queue): 신청, 지급 완료, 반려.
EXCHANGE_REQUESTED: Final = "requested"
EXCHANGE_FULFILLED: Final = "fulfilled"
EXCHANGE_REFUSED: Final = "refused"
ExchangeStatus = Literal["requested", "fulfilled", "refused"]

__all__ = ["DUPLICATE_RESIDENT", "ONCE_PER_RESIDENT", "counted_once"]
# Kinds that spend points; their entry's target is their own envelope id.
SPENDING_KINDS: Final = frozenset({"points_exchange", "points_donation"})
# The pack's activity (its point rule) for each envelope kind that earns points.
ACTIVITY_OF_KIND: Final[dict[str, str]] = {
    "survey_response": "survey_response",
    "contest_vote": "contest_vote",
    "contest_entry": "contest_entry",
    "proposal": "proposal",
    "proposal_agree": "proposal_agree",
    "ballot": "budget_vote",
}
_NO_RULES = PointRules(rules={})


class IdentityRefused(ValueError):
    """The envelope needs a resident and has none that can be read. The message says why in
    plain words and never holds what the seal contained."""


class Refused(ValueError):
    """An accepted-looking envelope the resident record refuses (an exchange over the balance)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


# ---------------------------------------------------------------------------------------------
# Opening the seal
# ---------------------------------------------------------------------------------------------


class IdentityOpener:
    """Turns a sealed identity into the resident key. Safe to share between threads."""

    def __init__(self, private_key: bytes, secret: bytes) -> None:
        self._box = SealedBox(PrivateKey(private_key))
        self._secret = secret

    def resident_key(self, sealed: str, binding: SealBinding) -> str:
        """The resident key (64 hex digits) of a sealed identity; IdentityRefused if it cannot
        be opened with this server's key, does not hold a phone number and birth date, or is
        bound to another act than `binding` (the act that carries it)."""
        try:
            opened = self._box.decrypt(base64.b64decode(sealed, validate=True))
        except (binascii.Error, ValueError, CryptoError):
            raise IdentityRefused(
                "the sealed identity cannot be opened with this server's key"
                " (sealed to another server, or damaged)"
            ) from None
        try:
            phone, birth, bound = unsealed(opened)
        except SealFormatError as e:
            raise IdentityRefused(
                f"the sealed identity is of format {e.found!r}, not bound to its act;"
                f" this server takes only format {SEAL_FORMAT}"
            ) from None
        except (ValueError, KeyError, TypeError, IdentityError):
            # Whatever failed, its message may quote the identity: none of it is passed on.
            raise IdentityRefused(
                "the sealed identity does not hold a phone number, birth date and binding"
                " in the form this server reads"
            ) from None
        if bound != binding:
            differs = [
                name
                for name in SealBinding.model_fields
                if getattr(bound, name) != getattr(binding, name)
            ]
            raise IdentityRefused(
                "the sealed identity was sealed for another act"
                f" (its binding differs in {', '.join(differs)}); it is not used"
            )
        return self.key_of(phone, birth)

    def key_of(self, phone: str, birth: date) -> str:
        """The resident key of a phone number (any form normalise_phone reads) and birth date:
        the one derivation, for a seal's contents and for what staff type at the counter
        (server.exchanges). IdentityError (its message a translation key, never the number)
        when the phone number is not one."""
        digits = normalise_phone(phone)
        text = f"{digits}|{birth.isoformat()}"
        return hmac.new(self._secret, text.encode(), hashlib.sha256).hexdigest()

    def resident_of(self, envelope: Envelope, pack: ContentPack | None = None) -> str | None:
        """The resident of a non-practice envelope: required for the identified kinds and for
        a vote in a contest that `pack` (the newest) counts once per resident, read when
        another kind carries one (it earns points); None when there is none to read.
        The seal must be bound to this envelope (contract.wire.binding_of)."""
        if envelope.practice:
            return None
        if envelope.sealed_identity is None:
            if envelope.kind in IDENTIFIED_KINDS or (
                envelope.kind == "contest_vote"
                and one_vote_per_resident(pack, envelope.payload.get("contest_id"))
            ):
                raise IdentityRefused(
                    f"a {envelope.kind} envelope needs the resident's sealed identity"
                )
            return None
        return self.resident_key(envelope.sealed_identity, binding_of(envelope))


# ---------------------------------------------------------------------------------------------
# The newest published pack: point rules and the proposal threshold
# ---------------------------------------------------------------------------------------------


class NewestPack:
    """The newest published content pack, parsed once per version. Safe to share."""

    def __init__(self, db: ServerDatabase) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._id = 0
        self._pack: ContentPack | None = None

    def get(self, session: Session | None = None) -> ContentPack | None:
        """The newest pack; read in `session` if given (one round trip less)."""
        with self._lock:
            if session is not None:
                self._read(session)
            else:
                with self._db.read() as own:
                    self._read(own)
            return self._pack

    def _read(self, session: Session) -> None:
        newest = session.scalar(select(func.max(Manifest.id)))
        if newest is not None and newest != self._id:
            body = session.scalar(select(Manifest.body).where(Manifest.id == newest))
            self._id, self._pack = newest, _parse(body)


def _parse(body: str | None) -> ContentPack | None:
    try:
        return ContentPack.model_validate(json.loads(body or "null"))
    except ValidationError as e:
        log.error("residents.pack_unreadable error=%s", e)
        return None


def point_rules(pack: ContentPack | None) -> PointRules:
    return pack.district.points if pack is not None else _NO_RULES


def activity_points(pack: ContentPack | None, kind: str, payload: dict[str, Any]) -> int:
    """What a counted activity earns by the pack's rules (a survey may name its own amount)."""
    if pack is not None and kind == "survey_response":
        survey = pack.survey(str(payload.get("survey_id")))
        if survey is not None:
            # A published pack has a rule for every survey's activity (ContentPack checks it).
            return pack.survey_points(survey)
    activity = ACTIVITY_OF_KIND.get(kind)
    return 0 if activity is None else points_for(point_rules(pack), activity, practice=False)


# ---------------------------------------------------------------------------------------------
# The resident record
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """What an accepted envelope of a resident does: its entry, and what its receipt says."""

    entry: dict[str, Any]
    counted: bool
    note: str | None


def target_of(kind: str, envelope_id: str, payload: dict[str, Any]) -> str:
    """What an entry is about: the same target its seal is bound to (one rule, in the contract)."""
    return seal_target(kind, envelope_id, payload)


def first_counts(
    session: Session, pending: Iterable[dict[str, Any]], entry: dict[str, Any]
) -> bool:
    """The rule of one resident, one count: the first by the server's order of arrival counts.

    Entries are judged in arrival order (one transaction at a time per resident, a batch in
    its order), so `entry` is the first exactly when no entry of the same resident, kind and
    target counted before it: stored earlier, or earlier in this batch (`pending`).
    """
    key = (entry["resident_key"], entry["kind"], entry["target"])
    if any((p["resident_key"], p["kind"], p["target"]) == key and p["counted"] for p in pending):
        return False
    earlier = session.scalar(
        select(ResidentEntry.id)
        .where(
            ResidentEntry.resident_key == entry["resident_key"],
            ResidentEntry.kind == entry["kind"],
            ResidentEntry.target == entry["target"],
            ResidentEntry.counted.is_(True),
        )
        .limit(1)
    )
    return earlier is None


def _refused_exchange() -> ColumnElement[bool]:
    """Joins an entry to its exchange request when staff refused it (반려)."""
    return and_(
        PointExchange.device_id == ResidentEntry.device_id,
        PointExchange.envelope_id == ResidentEntry.envelope_id,
        PointExchange.status == EXCHANGE_REFUSED,
    )


def balance(session: Session, resident_key: str, pending: Iterable[dict[str, Any]] = ()) -> int:
    """The resident's points: stored entries and those earlier in this batch. An exchange staff
    refused (반려) counts as 0: its points are the resident's again. The entries are never
    changed; the refusal is the exchange request's status (server.exchanges)."""
    stored = session.scalar(
        select(
            func.coalesce(
                func.sum(case((PointExchange.id.is_not(None), 0), else_=ResidentEntry.points)),
                0,
            )
        )
        .select_from(ResidentEntry)
        .outerjoin(PointExchange, _refused_exchange())
        .where(ResidentEntry.resident_key == resident_key)
    )
    batch: int = sum(p["points"] for p in pending if p["resident_key"] == resident_key)
    return int(stored or 0) + batch


_PROBLEM_TEXT: Final[dict[str, str]] = {
    "points_positive": "the points must be more than 0",
    "below_exchange_minimum": "an exchange needs at least {minimum:,} points",
    "over_balance": "the resident has only {balance:,} points",
}


def _points_reason(kind: str, asked: int, problems: list[Problem]) -> str:
    what = "exchanged" if kind == "points_exchange" else "donated"
    why = "; ".join(_PROBLEM_TEXT[p.rule].format(**p.params) for p in problems)
    return f"points: {asked:,} points cannot be {what}: {why}"


def lock_residents(session: Session, resident_keys: Iterable[str]) -> None:
    """On PostgreSQL, hold each resident's lock to the end of the transaction, so two batches
    of one resident are judged one after the other (SQLite's write lock already does that).
    Sorted: two batches take the same locks in the same order and never deadlock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(resident_keys)):
        lock_id = int.from_bytes(bytes.fromhex(key[:16]), "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def seal_used(session: Session, pending: Iterable[dict[str, Any]], seal_sha256: str | None) -> bool:
    """Whether this seal has already done its act. A seal is bound to one envelope, so another
    envelope carrying the same seal (a copy sent under the same id from another device) is a
    copy of that act, refused rather than counted or spent again. A squatter's own seal under
    someone else's envelope id is a different seal and blocks nothing."""
    if seal_sha256 is None:
        return False
    if any(p.get("seal_sha256") == seal_sha256 for p in pending):
        return True
    earlier = session.scalar(
        select(ResidentEntry.id).where(ResidentEntry.seal_sha256 == seal_sha256).limit(1)
    )
    return earlier is not None


def decide(
    session: Session,
    pending: list[dict[str, Any]],
    pack: ContentPack | None,
    resident_key: str,
    row: dict[str, Any],
    payload: dict[str, Any],
    seal_sha256: str | None = None,
) -> Decision:
    """The entry of an accepted envelope (`row`, a submissions row) of `resident_key`; Refused
    when it spends points the resident cannot spend, or when its seal was already used.
    `pending`: this batch's entries so far."""
    if seal_used(session, pending, seal_sha256):
        raise Refused(
            IDENTITY_REASON,
            "identity: this seal was already used by another envelope"
            " (a copy of an act is not a second act)",
        )
    kind = row["kind"]
    entry = {
        "device_id": row["device_id"],
        "envelope_id": row["id"],
        "resident_key": resident_key,
        "seal_sha256": seal_sha256,
        "kind": kind,
        "target": target_of(kind, str(row["id"]), payload),
        "counted": True,
        "points": 0,
        "received_at": row["received_at"],
    }
    note = None
    if kind in SPENDING_KINDS:
        asked = int(payload["points"])
        have = balance(session, resident_key, pending)
        if kind == "points_exchange":
            problems = exchange_problems(asked, have, point_rules(pack))
        else:
            problems = donation_problems(asked, have)
        if problems:
            raise Refused(POINTS_REASON, _points_reason(kind, asked, problems))
        entry["points"] = -asked
    elif counted_once(kind, payload, pack) and not first_counts(session, pending, entry):
        entry["counted"] = False
        note = (
            f"{DUPLICATE_RESIDENT}: this resident's {_WHAT[kind]} {entry['target']!r}"
            " already counted"
        )
    elif (earned := activity_points(pack, kind, payload)) and first_counts(session, pending, entry):
        entry["points"] = earned
    elif earned:  # counted again, but an item's points are earned once
        note = (
            f"{POINTS_ALREADY_EARNED}: this resident already earned the points of"
            f" {kind} {entry['target']!r}"
        )
    return Decision(entry, entry["counted"], note)


_WHAT: Final[dict[str, str]] = {
    "proposal_agree": "agree with proposal",
    "ballot": "ballot in vote",
    "contest_vote": "vote in contest",
}


# ---------------------------------------------------------------------------------------------
# A resident's points, as staff and kiosks read them
# ---------------------------------------------------------------------------------------------

# A ledger look-up is made while the resident stands at the kiosk: its seal is good for this long
# either side of the server's clock (the device has already corrected its clock by its offset).
LEDGER_SEAL_WINDOW: Final = timedelta(minutes=5)


class LedgerRefused(ValueError):
    """A ledger look-up that is not answered; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def take_ledger_request(
    db: ServerDatabase,
    opener: IdentityOpener,
    device_id: str,
    request: PointsLedgerRequest,
    now: datetime,
) -> str:
    """The resident key of a ledger look-up, used up: LedgerRefused when its seal is not bound
    to this request (422), the request is not within LEDGER_SEAL_WINDOW of `now` (422), or it
    was already answered (409). Safe across server processes: the request id is the primary key
    of ledger_requests, written in the same transaction that drops expired ones."""
    try:
        resident_key = opener.resident_key(request.sealed_identity, request.binding())
    except IdentityRefused as e:
        raise LedgerRefused(422, f"{str(e).capitalize()}.") from None
    if abs(now - request.created_at) > LEDGER_SEAL_WINDOW:
        minutes = int(LEDGER_SEAL_WINDOW.total_seconds() // 60)
        raise LedgerRefused(
            422,
            f"The look-up was made at {request.created_at.isoformat()}, more than {minutes}"
            " minutes from the server's time; make a new one.",
        )
    table = cast(Table, LedgerRequest.__table__)
    insert = (postgresql if db.dialect == "postgresql" else sqlite).insert(table)
    row = {
        "request_id": request.request_id,
        "device_id": device_id,
        "expires_at": request.created_at + LEDGER_SEAL_WINDOW,
    }
    with db.write() as session:
        session.execute(delete(LedgerRequest).where(LedgerRequest.expires_at < now))
        stmt = insert.on_conflict_do_nothing(index_elements=["request_id"])
        taken = session.execute(stmt.returning(table.c.request_id), row).scalar()
    if taken is None:
        raise LedgerRefused(409, "This look-up was already answered; make a new one.")
    return resident_key


@dataclass(frozen=True)
class LedgerLine:
    """One entry of a resident's history; for an exchange, its request's status, and the
    certificate number (지급 완료) or the reason (반려) staff gave."""

    activity_id: str
    kind: str
    points: int
    at: datetime
    counted: bool
    status: ExchangeStatus | None = None
    certificate: str | None = None
    reason: str | None = None

    @property
    def change(self) -> int:
        """What the line does to the balance: nothing for a refused exchange (given back)."""
        return 0 if self.status == EXCHANGE_REFUSED else self.points

    @property
    def counts(self) -> bool:
        """Whether the line counts: not a duplicate, and not an exchange staff refused."""
        return self.counted and self.status != EXCHANGE_REFUSED


def history(db: ServerDatabase, resident_key: str) -> tuple[int, list[LedgerLine]]:
    """The resident's balance and entries, newest first, each exchange with its status."""
    with db.read() as session:
        return history_in(session, resident_key)


def history_in(session: Session, resident_key: str) -> tuple[int, list[LedgerLine]]:
    """history, read in `session`."""
    rows = session.execute(
        select(
            ResidentEntry,
            PointExchange.status,
            PointExchange.certificate,
            PointExchange.reason,
        )
        .outerjoin(
            PointExchange,
            and_(
                PointExchange.device_id == ResidentEntry.device_id,
                PointExchange.envelope_id == ResidentEntry.envelope_id,
            ),
        )
        .where(ResidentEntry.resident_key == resident_key)
        .order_by(ResidentEntry.id.desc())
    ).all()
    lines = [
        LedgerLine(
            str(r.envelope_id),
            r.kind,
            r.points,
            r.received_at,
            r.counted,
            cast(ExchangeStatus | None, status),
            cert,
            reason,
        )
        for r, status, cert, reason in rows
    ]
    return sum(line.change for line in lines), lines
