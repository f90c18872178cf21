"""긴급 공지: notices staff post on the console, on every targeted board and kiosk within 10 s.

Owns the `emergency_notices` table: posting a notice (text, level, every device, one dong or
one device group (기기 묶음, server.groups), how long), clearing it, the list the console shows,
and the answer devices poll for (GET /api/v1/emergency, `for_device`). Every post and clear
writes its audit event in the same transaction. A notice is stored, so a restart forgets none;
it ends when staff clear it or at its `until`, so one nobody clears does not stay up for ever.

Why devices poll a small GET instead of waiting for the heartbeat or holding a long poll: the
heartbeat comes once a minute and carries a status write, so making it every 5 s would write
twelve times as much; a long poll would hold a server thread per device for minutes and would
need word between server processes (several share one PostgreSQL) of a notice another process
posted. A conditional GET every `POLL_S` (5 s) answered 304 while nothing changed costs one
indexed read, and each process reads the notices in force at most once per `CACHE_S` (1 s)
whatever the number of devices asking, so a notice posted on any process is on every device
within POLL_S + CACHE_S + a request's time, well inside 10 s. The device polls on a thread of
its own (sync.emergency), so a long content download never holds it back.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select

from contract.wire import EMERGENCY_TEXT_MAX, EmergencyLevel, EmergencyNotice, EmergencyNotices
from server import audit
from server.db import ServerDatabase
from server.db.models import EmergencyNotice as NoticeRow

log = logging.getLogger(__name__)

# How often a device asks (sync.emergency takes its default from here through the contract's
# words in server/README.md) and how long a server process keeps the notices it read.
POLL_S = 5.0
CACHE_S = 1.0
# How long a notice may stay up, in hours, as the console offers it; the longest is 3 days.
DURATION_HOURS = (1, 3, 6, 12, 24, 72)
DEFAULT_HOURS = 3
LEVEL_LABELS: dict[str, str] = {"danger": "긴급", "warning": "주의"}
# The history the console lists under the notices in force.
HISTORY_ROWS = 20


class EmergencyError(Exception):
    """A notice cannot be posted or cleared; the message (Korean) says why.

    Attributes:
        field: the form field the message belongs beside (None: the form as a whole).
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NoticeRecord:
    """A notice as the console lists it."""

    id: int
    text: str
    level: str
    dong: str | None
    posted_at: datetime
    posted_by: str
    until: datetime
    cleared_at: datetime | None
    cleared_by: str | None
    # The device group it targets (server.groups); None: every device or its dong.
    group_key: str | None = None

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)

    def in_force(self, now: datetime) -> bool:
        return self.cleared_at is None and self.until > now

    def to_wire(self) -> EmergencyNotice:
        return EmergencyNotice(
            id=self.id,
            text=self.text,
            level=self.level,  # type: ignore[arg-type]  # checked when posted
            posted_at=self.posted_at,
            until=self.until,
            dong=self.dong,
        )


def _record(row: NoticeRow) -> NoticeRecord:
    return NoticeRecord(
        id=row.id,
        text=row.text,
        level=row.level,
        dong=row.dong,
        posted_at=row.posted_at,
        posted_by=row.posted_by,
        until=row.until,
        cleared_at=row.cleared_at,
        cleared_by=row.cleared_by,
        group_key=row.group_key,
    )


def problems(
    text: str,
    level: str,
    hours: str,
    dong: str | None,
    dongs: set[str],
    group: str | None = None,
    groups: set[str] | None = None,
) -> dict[str, str]:
    """What is wrong with a notice as typed, by form field, in Korean ({}: nothing)."""
    found: dict[str, str] = {}
    if not text.strip():
        found["text"] = "공지 내용을 입력하세요."
    elif len(text) > EMERGENCY_TEXT_MAX:
        found["text"] = (
            f"공지 내용은 {EMERGENCY_TEXT_MAX}자까지 쓸 수 있습니다 (지금 {len(text)}자)."
        )
    elif any(not ch.isprintable() for ch in text.replace("\n", "")):
        found["text"] = "공지 내용에 쓸 수 없는 문자가 있습니다."
    if level not in LEVEL_LABELS:
        found["level"] = "단계를 고르세요 (긴급 또는 주의)."
    if hours not in {str(h) for h in DURATION_HOURS}:
        found["hours"] = "게시 시간을 고르세요."
    if dong is not None and dong not in dongs:
        found["dong"] = "대상 동을 목록에서 고르세요."
    if group is not None and group not in (groups or set()):
        found["dong"] = "대상 기기 묶음을 목록에서 고르세요."
    return found


def _document(row: NoticeRow) -> dict[str, object]:
    """What the audit log keeps of a notice (all of it: a notice is public text)."""
    return {
        "text": row.text,
        "level": row.level,
        "dong": row.dong,
        "group": row.group_key,
        "until": row.until.isoformat(timespec="seconds"),
        "cleared_at": row.cleared_at.isoformat(timespec="seconds") if row.cleared_at else None,
    }


def post(
    db: ServerDatabase,
    text: str,
    level: EmergencyLevel,
    dong: str | None,
    hours: float,
    by: audit.Actor,
    now: datetime | None = None,
    group: str | None = None,
) -> NoticeRecord:
    """Post a notice now, in force for `hours`, for every device, one `dong` or one device
    `group` (not both); audited as `emergency.post`."""
    if dong is not None and group is not None:
        raise EmergencyError("대상은 동 하나 또는 기기 묶음 하나입니다.", "dong")
    now = now or datetime.now(UTC)
    with db.write() as session:
        row = NoticeRow(
            text=text.strip(),
            level=level,
            dong=dong,
            group_key=group,
            posted_at=now,
            posted_by=by.name or "?",
            until=now + timedelta(hours=hours),
        )
        session.add(row)
        session.flush()
        audit.record(
            session, by, "emergency.post", f"emergency:{row.id}", after=_document(row), now=now
        )
        record = _record(row)
    log.info("emergency.posted id=%d level=%s dong=%s group=%s", record.id, level, dong, group)
    return record


def clear(
    db: ServerDatabase, notice_id: int, by: audit.Actor, now: datetime | None = None
) -> NoticeRecord:
    """Take a notice down now; audited as `emergency.clear`. EmergencyError if there is no such
    notice or it has already ended."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        row = session.get(NoticeRow, notice_id)
        if row is None:
            raise EmergencyError("그런 긴급 공지가 없습니다.")
        if row.cleared_at is not None or row.until <= now:
            raise EmergencyError("이미 내려간 긴급 공지입니다.")
        before = _document(row)
        row.cleared_at = now
        row.cleared_by = by.name or "?"
        audit.record(
            session,
            by,
            "emergency.clear",
            f"emergency:{row.id}",
            before=before,
            after=_document(row),
            now=now,
        )
        record = _record(row)
    log.info("emergency.cleared id=%d", record.id)
    return record


def notice(db: ServerDatabase, notice_id: int) -> NoticeRecord | None:
    with db.read() as session:
        row = session.get(NoticeRow, notice_id)
        return _record(row) if row is not None else None


def in_force(db: ServerDatabase, now: datetime | None = None) -> list[NoticeRecord]:
    """Every notice in force now, newest first."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        rows = session.scalars(
            select(NoticeRow)
            .where(NoticeRow.cleared_at.is_(None), NoticeRow.until > now)
            .order_by(NoticeRow.posted_at.desc(), NoticeRow.id.desc())
        ).all()
        return [_record(r) for r in rows]


def history(db: ServerDatabase, now: datetime | None = None) -> list[NoticeRecord]:
    """The latest notices that have ended (cleared or expired), newest first."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        rows = session.scalars(
            select(NoticeRow)
            .where(or_(NoticeRow.cleared_at.is_not(None), NoticeRow.until <= now))
            .order_by(NoticeRow.posted_at.desc(), NoticeRow.id.desc())
            .limit(HISTORY_ROWS)
        ).all()
        return [_record(r) for r in rows]


def needs_groups(notices: list[NoticeRecord]) -> bool:
    """Whether answering a device needs its groups (a notice in force targets one): only then
    is its membership read, so the usual poll stays one cached read."""
    return any(n.group_key is not None for n in notices)


def for_device(
    notices: list[NoticeRecord], dong: str | None, groups: frozenset[str] = frozenset()
) -> EmergencyNotices:
    """What a device in `dong` (None: it named none) and `groups` is shown: every notice for
    every device, those for its dong and those for a group it is in."""
    return EmergencyNotices(
        notices=[
            n.to_wire()
            for n in notices
            if (n.dong is None or n.dong == dong) and (n.group_key is None or n.group_key in groups)
        ]
    )


def etag_of(answer: EmergencyNotices) -> str:
    return '"emergency-' + hashlib.sha256(answer.model_dump_json().encode()).hexdigest()[:32] + '"'


class InForce:
    """The notices in force as this server process last read them, read again at most once per
    `CACHE_S`, and at once after this process posted or cleared one.

    Thread-safe: the API's worker threads share one.
    """

    def __init__(
        self,
        db: ServerDatabase,
        max_age_s: float = CACHE_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._max_age_s = max_age_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._notices: list[NoticeRecord] = []
        self._read_at: float | None = None

    def get(self) -> list[NoticeRecord]:
        now = datetime.now(UTC)
        with self._lock:
            fresh = (
                self._read_at is not None and self._monotonic() - self._read_at < self._max_age_s
            )
            if not fresh:
                self._notices = in_force(self._db, now)
                self._read_at = self._monotonic()
            # One that ran out since the read is left out now, not a second later.
            return [n for n in self._notices if n.in_force(now)]

    def forget(self) -> None:
        with self._lock:
            self._read_at = None
