"""포인트 on the console: the queue of exchange requests and the counter look-up.

Exchange requests (table point_exchanges): every accepted `points_exchange` envelope is a request
(신청), added in the transaction that accepts it (server.ingest, server.held). Staff decide each
once: 지급 완료 with the gift certificate's number, or 반려 with a reason; a refused exchange
gives its points back (server.residents.balance counts it as 0, so the kiosk's next ledger answer
and the exchange and donation checks agree). A request belongs to the dong its device's last
heartbeat names: a dong officer sees and decides only those. Each decision is audited with its
before and after.

The counter look-up: a dong officer, with the resident at the counter, types the resident's phone
number and birth date; the server derives the resident key with the one derivation ingest uses
(server.residents.IdentityOpener.key_of) and shows the balance and the ledger, each exchange with
its status. Nothing typed is kept, logged or shown again: the audit event says who looked up how
many lines, never whom. Look-ups are limited per staff account and per client address, counted
from the audit log itself so a restart does not reset them.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import Table, and_, func, or_, select, text, update
from sqlalchemy.orm import Session

from contract.identity import IdentityError, normalise_birth, normalise_phone
from contract.points import POINTS_EXCHANGE_KIND
from server import audit, residents
from server.db import ServerDatabase
from server.db.models import AuditEvent, Device, DeviceStatus, PointExchange
from server.residents import (
    EXCHANGE_FULFILLED,
    EXCHANGE_REFUSED,
    EXCHANGE_REQUESTED,
    IdentityOpener,
    LedgerLine,
)
from server.staff import Role, Staff

log = logging.getLogger(__name__)

POINT_EXCHANGES: Table = cast(Table, PointExchange.__table__)
QUEUE_PAGE_ROWS: Final = 50
RECENT_DECISIONS: Final = 10
MAX_CERTIFICATE: Final = 64
MAX_REASON: Final = 300

# Counter look-ups: at most LOOKUP_LIMIT per staff account, and per client address, within
# LOOKUP_WINDOW (a resident at the counter needs one or two; guessing birth dates needs many).
LOOKUP_LIMIT: Final = 20
LOOKUP_WINDOW: Final = timedelta(minutes=10)
LOOKUP_ACTION: Final = "points.lookup"
LOOKUP_LIMITED_ACTION: Final = "points.lookup_limited"
FULFIL_ACTION: Final = "points.exchange_fulfil"
REFUSE_ACTION: Final = "points.exchange_refuse"
# PostgreSQL: look-ups are counted and recorded one at a time (SQLite's writer lock does that).
_LOOKUP_LOCK: Final = 0x706F696E74730001

STATUS_LABELS: Final = {
    EXCHANGE_REQUESTED: "신청",
    EXCHANGE_FULFILLED: "지급 완료",
    EXCHANGE_REFUSED: "반려",
}
# The activity of each entry kind as staff read it on the ledger.
ACTIVITY_LABELS: Final = {
    "survey_response": "설문 응답",
    "contest_vote": "공모 투표",
    "contest_entry": "공모 응모",
    "proposal": "정책 제안",
    "proposal_agree": "공감",
    "ballot": "주민참여예산 투표",
    "points_exchange": "교환 신청",
    "points_donation": "포인트 기부",
}


def activity_label(kind: str) -> str:
    return ACTIVITY_LABELS.get(kind, "그 밖의 참여")


# ---------------------------------------------------------------------------------------------
# Requests, made where exchanges are accepted
# ---------------------------------------------------------------------------------------------


def add_requests(session: Session, entries: Iterable[Mapping[str, Any]]) -> int:
    """A request (신청) for each exchange among resident `entries` just accepted, in `session`'s
    transaction (the one that stores them). Returns how many."""
    rows = [
        {
            "device_id": e["device_id"],
            "envelope_id": e["envelope_id"],
            "points": -int(e["points"]),
            "requested_at": e["received_at"],
            "status": EXCHANGE_REQUESTED,
        }
        for e in entries
        if e["kind"] == POINTS_EXCHANGE_KIND
    ]
    if rows:
        session.connection().execute(POINT_EXCHANGES.insert(), rows)
    return len(rows)


# ---------------------------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------------------------


def _device_dongs(session: Session) -> dict[str, str | None]:
    """Each device's dong as its last heartbeat named it (one query over the few devices)."""
    found: dict[str, str | None] = {}
    for device_id, body in session.execute(select(DeviceStatus.device_id, DeviceStatus.body)):
        try:
            dong = json.loads(body).get("dong")
        except (ValueError, AttributeError):
            dong = None
        found[device_id] = dong if isinstance(dong, str) else None
    return found


@dataclass(frozen=True)
class Exchange:
    """A request as the console lists it (no resident: the queue never names one)."""

    id: int
    device_id: str
    device_name: str
    dong: str | None
    points: int
    requested_at: datetime
    status: str
    certificate: str | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def waited_s(self, now: datetime) -> float:
        end = self.decided_at or now
        return max(0.0, (end - self.requested_at).total_seconds())


@dataclass(frozen=True)
class Queue:
    """One page of the requests waiting (oldest first), and the latest decisions."""

    waiting: list[Exchange]
    total: int
    page: int
    pages: int
    recent: list[Exchange]


def queue_scope(member: Staff) -> str | None:
    """The dong whose requests `member` sees: a dong officer's own (server.staff.allowed lets
    them act on nothing else), None for all."""
    return member.dong if member.role is Role.DONG else None


def queue(db: ServerDatabase, dong: str | None, page: int = 1) -> Queue:
    """The requests waiting for a decision, oldest first, `QUEUE_PAGE_ROWS` a page; with `dong`
    only those of devices whose last heartbeat names it (a dong officer's), else all."""
    with db.read() as session:
        dongs = _device_dongs(session)
        where: list[Any] = []
        if dong is not None:
            where.append(PointExchange.device_id.in_([d for d, n in dongs.items() if n == dong]))
        total = session.scalar(
            select(func.count())
            .select_from(PointExchange)
            .where(PointExchange.status == EXCHANGE_REQUESTED, *where)
        )
        pages = max(1, math.ceil((total or 0) / QUEUE_PAGE_ROWS))
        page = min(max(1, page), pages)
        waiting = session.execute(
            select(PointExchange, Device.name)
            .join(Device, Device.id == PointExchange.device_id)
            .where(PointExchange.status == EXCHANGE_REQUESTED, *where)
            .order_by(PointExchange.requested_at, PointExchange.id)
            .offset((page - 1) * QUEUE_PAGE_ROWS)
            .limit(QUEUE_PAGE_ROWS)
        ).all()
        recent = session.execute(
            select(PointExchange, Device.name)
            .join(Device, Device.id == PointExchange.device_id)
            .where(PointExchange.status != EXCHANGE_REQUESTED, *where)
            .order_by(PointExchange.decided_at.desc(), PointExchange.id.desc())
            .limit(RECENT_DECISIONS)
        ).all()
    return Queue(
        [_exchange(x, name, dongs) for x, name in waiting],
        int(total or 0),
        page,
        pages,
        [_exchange(x, name, dongs) for x, name in recent],
    )


def page_of(db: ServerDatabase, exchange_id: int, dong: str | None) -> int:
    """The page of `queue(db, dong)` a waiting request is on (1 when it is not waiting)."""
    with db.read() as session:
        x = session.get(PointExchange, exchange_id)
        if x is None or x.status != EXCHANGE_REQUESTED:
            return 1
        where: list[Any] = []
        if dong is not None:
            dongs = _device_dongs(session)
            where.append(PointExchange.device_id.in_([d for d, n in dongs.items() if n == dong]))
        before = session.scalar(
            select(func.count())
            .select_from(PointExchange)
            .where(
                PointExchange.status == EXCHANGE_REQUESTED,
                or_(
                    PointExchange.requested_at < x.requested_at,
                    and_(
                        PointExchange.requested_at == x.requested_at,
                        PointExchange.id < x.id,
                    ),
                ),
                *where,
            )
        )
    return int(before or 0) // QUEUE_PAGE_ROWS + 1


def _exchange(x: PointExchange, device_name: str, dongs: Mapping[str, str | None]) -> Exchange:
    return Exchange(
        id=x.id,
        device_id=x.device_id,
        device_name=device_name,
        dong=dongs.get(x.device_id),
        points=x.points,
        requested_at=x.requested_at,
        status=x.status,
        certificate=x.certificate,
        reason=x.reason,
        decided_by=x.decided_by,
        decided_at=x.decided_at,
    )


class ExchangeNotFound(Exception):
    """No such exchange request."""


class AlreadyDecided(Exception):
    """The request was decided before (by this member of staff or another)."""

    def __init__(self, exchange: Exchange) -> None:
        super().__init__(exchange.status)
        self.exchange = exchange


class DecisionProblem(ValueError):
    """What staff typed cannot decide the request; the message is for beside the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def exchange_dong(db: ServerDatabase, exchange_id: int) -> str | None:
    """The dong of a request's device (for the permission check); ExchangeNotFound."""
    with db.read() as session:
        x = session.get(PointExchange, exchange_id)
        if x is None:
            raise ExchangeNotFound(exchange_id)
        return _device_dongs(session).get(x.device_id)


def _doc(x: PointExchange) -> dict[str, Any]:
    return {
        "status": x.status,
        "points": x.points,
        "certificate": x.certificate,
        "reason": x.reason,
    }


def fulfil(
    db: ServerDatabase,
    exchange_id: int,
    certificate: str,
    by: audit.Actor,
    now: datetime | None = None,
) -> None:
    """지급 완료: the certificates were handed over; `certificate` is their number."""
    certificate = " ".join(certificate.split())
    if not certificate:
        raise DecisionProblem("certificate", "상품권 번호를 적으세요.")
    if len(certificate) > MAX_CERTIFICATE:
        raise DecisionProblem(
            "certificate", f"상품권 번호는 {MAX_CERTIFICATE}자까지 적을 수 있습니다."
        )
    _decide(db, exchange_id, EXCHANGE_FULFILLED, {"certificate": certificate}, by, now)


def refuse(
    db: ServerDatabase, exchange_id: int, reason: str, by: audit.Actor, now: datetime | None = None
) -> None:
    """반려: not exchanged; the points are the resident's again."""
    reason = " ".join(reason.split())
    if not reason:
        raise DecisionProblem("reason", "반려하는 까닭을 적으세요.")
    if len(reason) > MAX_REASON:
        raise DecisionProblem("reason", f"까닭은 {MAX_REASON}자까지 적을 수 있습니다.")
    _decide(db, exchange_id, EXCHANGE_REFUSED, {"reason": reason}, by, now)


def _decide(
    db: ServerDatabase,
    exchange_id: int,
    status: str,
    values: dict[str, str],
    by: audit.Actor,
    now: datetime | None,
) -> None:
    now = now or datetime.now(UTC)
    with db.write() as session:
        # One decision, whoever else decides at the same moment: only a request still waiting
        # changes, in one statement.
        changed = session.execute(
            update(PointExchange)
            .where(PointExchange.id == exchange_id, PointExchange.status == EXCHANGE_REQUESTED)
            .values(status=status, decided_by=by.name, decided_at=now, **values)
        )
        x = session.get(PointExchange, exchange_id, populate_existing=True)
        if x is None:
            raise ExchangeNotFound(exchange_id)
        if getattr(changed, "rowcount", 0) != 1:
            name = session.scalar(select(Device.name).where(Device.id == x.device_id)) or ""
            raise AlreadyDecided(_exchange(x, name, {}))
        before = {**_doc(x), "status": EXCHANGE_REQUESTED, **dict.fromkeys(values)}
        audit.record(
            session,
            by,
            FULFIL_ACTION if status == EXCHANGE_FULFILLED else REFUSE_ACTION,
            target=f"exchange:{exchange_id}",
            before=before,
            after={**_doc(x), "device_id": x.device_id},
            now=now,
        )
    log.info("points.exchange_decided id=%d status=%s by=%s", exchange_id, status, by.name)


# ---------------------------------------------------------------------------------------------
# The counter look-up
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CounterForm:
    """The look-up form once read: the phone digits and the birth date, or what is wrong with
    each (`problems`: field -> message)."""

    phone: str | None
    birth: date | None
    problems: dict[str, str]


def read_counter_form(phone: str, birth: str, today: date) -> CounterForm:
    """Read what staff typed, by the kiosk's own rules (contract.identity): an 11-digit
    mobile number (dashes and spaces ignored), a real birth date as YYYYMMDD or YYMMDD."""
    problems: dict[str, str] = {}
    digits: str | None = None
    born: date | None = None
    try:
        digits = normalise_phone(phone)
    except IdentityError:
        problems["phone"] = "휴대전화 번호 11자리를 적으세요 (예: 010-1234-5678)."
    try:
        born = normalise_birth(birth, today)
    except IdentityError:
        problems["birth"] = "있는 날짜로 생년월일을 적으세요 (예: 1950-01-15 또는 19500115)."
    return CounterForm(digits, born, problems)


class LookupLimited(Exception):
    """Too many look-ups in the window; the message says when to try again, in Korean."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CounterLedger:
    """What the counter look-up shows: the balance and the lines, newest first."""

    balance: int
    lines: list[LedgerLine]


def _over_limit(session: Session, by: audit.Actor, now: datetime) -> str | None:
    since = now - LOOKUP_WINDOW
    rows = session.execute(
        select(AuditEvent.actor, AuditEvent.client, AuditEvent.at).where(
            AuditEvent.action == LOOKUP_ACTION,
            AuditEvent.at >= since,
            or_(AuditEvent.actor == by.name, AuditEvent.client == (by.client or "")),
        )
    ).all()
    mine = sorted(at for actor, _, at in rows if actor == by.name)
    here = sorted(at for _, client, at in rows if by.client and client == by.client)
    full = [times for times in (mine, here) if len(times) >= LOOKUP_LIMIT]
    if not full:
        return None
    # Free again when enough of the oldest leave the window.
    free_at = max(times[len(times) - LOOKUP_LIMIT] for times in full) + LOOKUP_WINDOW
    minutes = max(1, math.ceil((free_at - now).total_seconds() / 60))
    window = int(LOOKUP_WINDOW.total_seconds() // 60)
    return (
        f"조회가 너무 많습니다. {window}분에 {LOOKUP_LIMIT}번까지 조회할 수 있습니다."
        f" {minutes}분 뒤에 다시 조회하세요."
    )


def counter_lookup(
    db: ServerDatabase,
    opener: IdentityOpener,
    form: CounterForm,
    by: audit.Actor,
    now: datetime | None = None,
) -> CounterLedger:
    """The ledger of the resident `form` names (a form without problems); LookupLimited when
    this account or client address has made LOOKUP_LIMIT look-ups in LOOKUP_WINDOW (the
    refusal is audited too). The look-up and its audit event (how many lines, nothing of the
    resident) are one transaction, so every look-up shown is counted."""
    if form.phone is None or form.birth is None or form.problems:
        raise ValueError("the counter form has problems; read_counter_form says which")
    now = now or datetime.now(UTC)
    key = opener.key_of(form.phone, form.birth)
    with db.write() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOOKUP_LOCK})
        refusal = _over_limit(session, by, now)
        if refusal is not None:
            audit.record(session, by, LOOKUP_LIMITED_ACTION, now=now)
        else:
            balance, lines = residents.history_in(session, key)
            audit.record(
                session,
                by,
                LOOKUP_ACTION,
                after={"lines": len(lines), "found": bool(lines)},
                now=now,
            )
    if refusal is not None:
        log.info("points.lookup_limited by=%s", by.name)
        raise LookupLimited(refusal)
    log.info("points.lookup by=%s lines=%d", by.name, len(lines))
    return CounterLedger(balance, lines)
