"""직원 호출 on the server: each device's open call for staff, its acknowledgement (가는 중) and
resolution (해결), what the heartbeat answer tells the device, and the per-dong alert hook.

A call opens when the device's heartbeat says `staff_call` (the envelope may still be queued
behind others) or when its `staff_call` envelope is accepted, whichever comes first; the
envelope then names the screen and the time the resident pressed. A device has at most one open
call: a call again while one is open joins it (`calls` counts them). A heartbeat still saying
`staff_call` for a call whose envelope has not arrived yet opens nothing new, even once resolved.

Every console action writes its audit event (server.audit) in the same transaction. The alert
hook posts a small JSON document (never anything of the resident) from a thread of its own.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from contract.wire import Heartbeat
from server import audit
from server.db import ServerDatabase
from server.db.models import Device, DeviceStatus, StaffCall, Submission

log = logging.getLogger(__name__)

STAFF_CALL_KIND = "staff_call"
WAITING, COMING, RESOLVED = "waiting", "coming", "resolved"
OPEN = (WAITING, COMING)
# An envelope made this long before a heartbeat-opened call still belongs to it (clock skew,
# a queue the heartbeat overtook).
MATCH_WINDOW = timedelta(minutes=30)
HOOK_TIMEOUT_S = 5.0

# The kiosk's screens (route names, kiosk.ui.screens) as staff read them, by the route or the
# start of its name; the route itself is shown beside it.
SCREEN_AREAS = (
    ("home", "처음 화면"),
    ("attract", "대기 화면"),
    ("survey", "설문"),
    ("contest", "공모"),
    ("proposal_new", "정책제안 쓰기"),
    ("proposal", "정책제안"),
    ("budget", "주민참여예산"),
    ("points", "포인트"),
    ("video", "영상센터"),
    ("lesson", "키오스크 배우기"),
    ("coach", "디지털 코치"),
    ("practice", "연습용 키오스크"),
    ("identity", "본인 확인"),
    ("share", "공유"),
    ("sns", "공유"),
    ("thanks", "완료 화면"),
    ("voice_settings", "음성 안내 설정"),
    ("admin", "관리 화면"),
)


def screen_label(screen: str | None) -> str:
    """The area of the kiosk a route belongs to, in Korean ("survey_question" -> "설문")."""
    if screen is None:
        return "아직 모름"
    for start, label in SCREEN_AREAS:
        if screen.startswith(start):
            return label
    return "기타 화면"


class CallNotFound(Exception):
    """No such call, or it is already resolved."""


@dataclass(frozen=True)
class DeviceCallState:
    """What the heartbeat answer tells a device of its call: None when it has no open call."""

    status: Literal["waiting", "coming"] | None
    acknowledged_at: datetime | None = None


@dataclass(frozen=True)
class NewCall:
    """A call just opened or called again: what the alert hook is told."""

    call_id: int
    device_id: str
    device_name: str
    dong: str | None
    screen: str | None
    made_at: datetime
    calls: int

    def alert_document(self) -> dict[str, Any]:
        return {
            "event": "staff_call",
            "call_id": self.call_id,
            "device_id": self.device_id,
            "device_name": self.device_name,
            "dong": self.dong,
            "screen": self.screen,
            "made_at": self.made_at.isoformat(),
            "calls": self.calls,
        }


@dataclass(frozen=True)
class OpenCall:
    """An open call as the console lists it."""

    id: int
    device_id: str
    device_name: str
    dong: str | None
    screen: str | None
    made_at: datetime
    last_call_at: datetime
    calls: int
    status: str
    acknowledged_at: datetime | None
    acknowledged_by: str | None

    @property
    def screen_label(self) -> str:
        return screen_label(self.screen)

    def waited_s(self, now: datetime) -> float:
        return max(0.0, (now - self.made_at).total_seconds())


def _dong_of(session: Session, device_id: str) -> str | None:
    status = session.get(DeviceStatus, device_id)
    if status is None:
        return None
    try:
        dong = json.loads(status.body).get("dong")
    except ValueError:
        return None
    return dong if isinstance(dong, str) else None


def _lock_device(session: Session, device_id: str) -> None:
    """One writer at a time per device (PostgreSQL: the device's row is locked; SQLite's
    writers are one at a time already): one open call per device, whichever server process
    hears of it."""
    session.execute(select(Device.id).where(Device.id == device_id).with_for_update())


def _open_call(session: Session, device_id: str) -> StaffCall | None:
    return session.scalars(
        select(StaffCall)
        .where(StaffCall.device_id == device_id, StaffCall.status.in_(OPEN))
        .order_by(StaffCall.id.desc())
        .limit(1)
    ).first()


def _new_call(session: Session, call: StaffCall) -> NewCall:
    device = session.get(Device, call.device_id)
    return NewCall(
        call_id=call.id,
        device_id=call.device_id,
        device_name=device.name if device is not None else call.device_id,
        dong=call.dong,
        screen=call.screen,
        made_at=call.made_at,
        calls=call.calls,
    )


def _state_of(call: StaffCall | None) -> DeviceCallState:
    if call is None:
        return DeviceCallState(None)
    status: Literal["waiting", "coming"] = "coming" if call.status == COMING else "waiting"
    return DeviceCallState(status, call.acknowledged_at)


def on_heartbeat(
    db: ServerDatabase, device_id: str, heartbeat: Heartbeat, now: datetime | None = None
) -> tuple[DeviceCallState, NewCall | None]:
    """The device's call state for its heartbeat answer, opening a call when the heartbeat says
    a resident called and nothing is open for it yet (the NewCall, else None)."""
    now = now or datetime.now(UTC)
    if not heartbeat.staff_call:
        with db.read() as session:
            return _state_of(_open_call(session, device_id)), None
    with db.write() as session:
        _lock_device(session, device_id)
        call = _open_call(session, device_id)
        if call is not None:
            return _state_of(call), None
        latest = session.scalars(
            select(StaffCall)
            .where(StaffCall.device_id == device_id)
            .order_by(StaffCall.id.desc())
            .limit(1)
        ).first()
        if latest is not None and latest.envelope_id is None:
            # Resolved before its envelope came: the flag is still that call's.
            return DeviceCallState(None), None
        call = StaffCall(
            device_id=device_id,
            dong=heartbeat.dong,
            made_at=now,
            opened_at=now,
            last_call_at=now,
            calls=1,
            status=WAITING,
        )
        session.add(call)
        session.flush()
        log.info("staff_call.opened id=%d device=%s by=heartbeat", call.id, device_id)
        return _state_of(call), _new_call(session, call)


def on_envelopes(
    db: ServerDatabase,
    device_id: str,
    envelope_ids: Sequence[uuid.UUID],
    now: datetime | None = None,
) -> list[NewCall]:
    """Staff call envelopes the server has just stored (or answered "duplicate") for
    `device_id`: each opens a call, completes the one its heartbeat opened, or joins the open
    one; one already taken does nothing (a resend after a lost answer, or after the server
    stopped between storing it and this). The calls opened or called again, for the alert
    hook."""
    now = now or datetime.now(UTC)
    alerts: list[NewCall] = []
    with db.write() as session:
        _lock_device(session, device_id)
        for envelope_id in envelope_ids:
            stored = session.get(Submission, (device_id, envelope_id))
            if stored is None or stored.kind != STAFF_CALL_KIND:
                continue
            seen = session.scalars(
                select(StaffCall.id).where(
                    StaffCall.device_id == device_id,
                    (StaffCall.envelope_id == envelope_id)
                    | (StaffCall.last_envelope_id == envelope_id),
                )
            ).first()
            if seen is not None:
                continue  # a resend answered "duplicate": this call has it already
            try:
                screen = json.loads(stored.body).get("payload", {}).get("screen")
            except (ValueError, AttributeError):
                screen = None
            screen = screen if isinstance(screen, str) else None
            made_at = min(stored.created_at_server, now)
            waiting_for_envelope = session.scalars(
                select(StaffCall)
                .where(
                    StaffCall.device_id == device_id,
                    StaffCall.envelope_id.is_(None),
                    StaffCall.opened_at >= made_at - MATCH_WINDOW,
                )
                .order_by(StaffCall.id.desc())
                .limit(1)
            ).first()
            if waiting_for_envelope is not None:
                call = waiting_for_envelope
                call.envelope_id = envelope_id
                call.screen = screen
                call.made_at = min(call.made_at, made_at)
                continue
            call_or_none = _open_call(session, device_id)
            if call_or_none is not None:
                call = call_or_none
                call.calls += 1
                call.last_envelope_id = envelope_id
                call.last_call_at = max(call.last_call_at, made_at)
                call.screen = screen or call.screen
                alerts.append(_new_call(session, call))
                continue
            call = StaffCall(
                device_id=device_id,
                dong=_dong_of(session, device_id),
                envelope_id=envelope_id,
                screen=screen,
                made_at=made_at,
                opened_at=now,
                last_call_at=made_at,
                calls=1,
                status=WAITING,
            )
            session.add(call)
            session.flush()
            log.info("staff_call.opened id=%d device=%s by=envelope", call.id, device_id)
            alerts.append(_new_call(session, call))
    return alerts


def open_calls(db: ServerDatabase) -> list[OpenCall]:
    """Every open call, the longest waiting first."""
    with db.read() as session:
        rows = session.execute(
            select(StaffCall, Device.name)
            .join(Device, Device.id == StaffCall.device_id)
            .where(StaffCall.status.in_(OPEN))
            .order_by(StaffCall.made_at, StaffCall.id)
        ).all()
    return [
        OpenCall(
            id=c.id,
            device_id=c.device_id,
            device_name=name,
            dong=c.dong,
            screen=c.screen,
            made_at=c.made_at,
            last_call_at=c.last_call_at,
            calls=c.calls,
            status=c.status,
            acknowledged_at=c.acknowledged_at,
            acknowledged_by=c.acknowledged_by,
        )
        for c, name in rows
    ]


def call_dong(db: ServerDatabase, call_id: int) -> str | None:
    """The dong of an open call (for the permission check); CallNotFound when none is open."""
    with db.read() as session:
        call = session.get(StaffCall, call_id)
        if call is None or call.status not in OPEN:
            raise CallNotFound(f"no open staff call {call_id}")
        return call.dong


def _doc(call: StaffCall) -> dict[str, Any]:
    return {
        "status": call.status,
        "acknowledged_at": call.acknowledged_at.isoformat() if call.acknowledged_at else None,
        "resolved_at": call.resolved_at.isoformat() if call.resolved_at else None,
    }


def acknowledge(
    db: ServerDatabase, call_id: int, by: audit.Actor, now: datetime | None = None
) -> None:
    """가는 중: a member of staff is on the way; the device hears it at its next heartbeat."""
    _change(db, call_id, by, "staff_call.acknowledge", now)


def resolve(db: ServerDatabase, call_id: int, by: audit.Actor, now: datetime | None = None) -> None:
    """해결: the resident was helped; the call is closed."""
    _change(db, call_id, by, "staff_call.resolve", now)


def _change(
    db: ServerDatabase, call_id: int, by: audit.Actor, action: str, now: datetime | None
) -> None:
    now = now or datetime.now(UTC)
    with db.write() as session:
        call = session.get(StaffCall, call_id)
        if call is None or call.status not in OPEN:
            raise CallNotFound(f"no open staff call {call_id}")
        before = _doc(call)
        if action == "staff_call.acknowledge":
            if call.status == COMING:
                return  # already acknowledged: nothing changes, nothing to record
            call.status = COMING
            call.acknowledged_at = now
            call.acknowledged_by = by.name
        else:
            call.status = RESOLVED
            call.resolved_at = now
            call.resolved_by = by.name
        audit.record(
            session,
            by,
            action,
            target=f"device:{call.device_id}",
            before=before,
            after=_doc(call),
            now=now,
        )
    log.info("%s id=%d by=%s", action, call_id, by.name)


# ---------------------------------------------------------------------------------------------
# The per-dong alert hook
# ---------------------------------------------------------------------------------------------


def parse_hook(text: str) -> tuple[str, str]:
    """`DONG=URL` (the `serve --staff-call-hook` argument) as (dong, url)."""
    dong, sep, url = text.partition("=")
    dong, url = dong.strip(), url.strip()
    if not sep or not dong or not url.startswith(("http://", "https://")):
        raise ValueError(f"{text!r} is not DONG=URL with an http:// or https:// URL")
    return dong, url


class CallAlerts:
    """Posts each new call to its dong's hook URL from a thread of its own, so no request waits
    on the district's gateway; a hook that fails or times out is logged and forgotten."""

    def __init__(self, hooks: Mapping[str, str], timeout_s: float = HOOK_TIMEOUT_S) -> None:
        self.hooks = dict(hooks)
        self.timeout_s = timeout_s
        self._queue: queue.SimpleQueue[tuple[str, bytes] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def notify(self, calls: Sequence[NewCall]) -> None:
        for call in calls:
            url = self.hooks.get(call.dong or "")
            if url is None:
                continue
            body = json.dumps(call.alert_document(), ensure_ascii=False).encode("utf-8")
            self._start()
            self._queue.put((url, body))

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="staff-call-alerts", daemon=True
                )
                self._thread.start()

    def close(self, wait_s: float = 1.0) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(wait_s)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            url, body = item
            request = urllib.request.Request(
                url,
                data=body,
                method="POST",
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    log.info("staff_call.alert_sent status=%d", response.status)
            except Exception as e:  # a hook must never stop the next one
                log.warning("staff_call.alert_failed error=%s", type(e).__name__)
