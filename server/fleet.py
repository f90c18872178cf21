"""The fleet as staff see it: each device's last heartbeat, what it has delivered, the gaps
in its device_seq (submissions possibly lost on the way), and the envelopes the server refused;
and the highest device_seq each heartbeat reports, kept as deadline evidence (`record_mark`)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from contract.wire import Heartbeat
from server.db import ServerDatabase
from server.db.models import Device, DeviceMark, DeviceStatus, RejectedEnvelope, Submission
from server.held import held_per_device

MAX_INT = 2**63 - 1

# Every device_seq the server has seen from a device, accepted or refused; a gap is a run of
# numbers missing between 1 and the highest seen.
_GAPS_SQL = text(
    """
    SELECT prev + 1 AS first, seq - 1 AS last FROM (
        SELECT seq, COALESCE(LAG(seq) OVER (ORDER BY seq), 0) AS prev FROM (
            SELECT device_seq AS seq FROM submissions WHERE device_id = :device_id
            UNION
            SELECT device_seq FROM rejected_envelopes
            WHERE device_id = :device_id AND device_seq IS NOT NULL
        ) AS seen
    ) AS steps
    WHERE seq - prev > 1
    ORDER BY first
    """
)


@dataclass(frozen=True)
class Gap:
    first: int
    last: int

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


@dataclass(frozen=True)
class DeviceReport:
    device_id: str
    name: str
    mode: str
    enrolled_at: datetime
    revoked_at: datetime | None
    last_heartbeat_at: datetime | None
    queue_depth: int | None
    app_version: str | None
    content_version: str | None
    last_error: str | None
    submissions: int
    rejected: int
    highest_seq: int | None
    gaps: list[Gap]
    # Staff PIN lock-outs since enrolment, as the latest heartbeat said (None: never said).
    pin_lockouts: int | None = None

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("enrolled_at", "revoked_at", "last_heartbeat_at"):
            value = out[key]
            out[key] = value.isoformat() if value is not None else None
        out["gaps"] = [[g.first, g.last] for g in self.gaps]
        return out


def record_heartbeat(
    db: ServerDatabase, device_id: str, heartbeat: Heartbeat, now: datetime | None = None
) -> None:
    """Keep `heartbeat` as the device's last known status."""
    now = now or datetime.now(UTC)
    # ASCII escapes: whatever text a device sends can be stored on any database.
    body = json.dumps(heartbeat.model_dump(mode="json"), ensure_ascii=True)
    latest = {
        "received_at": now,
        "app_version": heartbeat.app_version,
        "content_version": heartbeat.content_version,
        # A status report is kept even when a number is absurd; the column holds 64 bits.
        "queue_depth": min(heartbeat.queue_depth, MAX_INT),
        "last_error": heartbeat.last_error,
        "body": body,
    }
    insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    # One statement: a device's first two heartbeats at once (two server processes, or a
    # retry) both land, the later one kept, instead of one failing on the primary key.
    upsert = insert(DeviceStatus).values(device_id=device_id, **latest)
    with db.write() as session:
        session.execute(upsert.on_conflict_do_update(index_elements=["device_id"], set_=latest))
        if heartbeat.highest_seq is not None:
            record_mark(session, device_id, heartbeat.highest_seq, now)


def record_mark(session: Session, device_id: str, highest_seq: int, now: datetime) -> None:
    """Keep what the device said of its highest device_seq (deadline evidence, see
    server.deadlines): a new value is a new row, the same value again moves its time."""
    last = session.scalars(
        select(DeviceMark)
        .where(DeviceMark.device_id == device_id)
        .order_by(DeviceMark.id.desc())
        .limit(1)
    ).first()
    if last is not None and last.highest_seq == highest_seq:
        last.last_received_at = max(last.last_received_at, now)
        return
    session.add(
        DeviceMark(
            device_id=device_id,
            highest_seq=highest_seq,
            first_received_at=now,
            last_received_at=now,
        )
    )


def gaps(db: ServerDatabase, device_id: str) -> list[Gap]:
    """The runs of device_seq numbers the server never received from this device."""
    with db.read() as session:
        rows = session.execute(_GAPS_SQL, {"device_id": device_id}).all()
    return [Gap(int(r.first), int(r.last)) for r in rows]


def devices(db: ServerDatabase) -> list[DeviceReport]:
    """Every enrolled device, in enrolment order, with its status and delivery record."""
    with db.read() as session:
        listed = session.execute(
            select(Device, DeviceStatus)
            .outerjoin(DeviceStatus, DeviceStatus.device_id == Device.id)
            .order_by(Device.enrolled_at, Device.id)
        ).all()
        delivered = dict(
            session.execute(
                select(Submission.device_id, func.count()).group_by(Submission.device_id)
            )
            .tuples()
            .all()
        )
        highest = dict(
            session.execute(
                select(Submission.device_id, func.max(Submission.device_seq)).group_by(
                    Submission.device_id
                )
            )
            .tuples()
            .all()
        )
        refused = dict(
            session.execute(
                select(RejectedEnvelope.device_id, func.count()).group_by(
                    RejectedEnvelope.device_id
                )
            )
            .tuples()
            .all()
        )
    reports = []
    for device, status in listed:
        reports.append(
            DeviceReport(
                device_id=device.id,
                name=device.name,
                mode=device.mode,
                enrolled_at=device.enrolled_at,
                revoked_at=device.revoked_at,
                last_heartbeat_at=status.received_at if status else None,
                queue_depth=status.queue_depth if status else None,
                app_version=status.app_version if status else device.app_version,
                content_version=status.content_version if status else None,
                last_error=status.last_error if status else None,
                submissions=delivered.get(device.id, 0),
                rejected=refused.get(device.id, 0),
                highest_seq=highest.get(device.id),
                gaps=gaps(db, device.id),
                pin_lockouts=_pin_lockouts(status.body if status else None),
            )
        )
    return reports


def _pin_lockouts(body: str | None) -> int | None:
    """The `pin_lockouts` of a stored heartbeat body (validated when it was received)."""
    if not body:
        return None
    value = json.loads(body).get("pin_lockouts")
    return value if isinstance(value, int) else None


@dataclass(frozen=True)
class RejectedReport:
    """One refused envelope as kept for audit (its body stays in the database)."""

    received_at: datetime
    device_id: str
    device_name: str
    device_seq: int | None
    envelope_id: str
    reason_code: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "received_at": self.received_at.isoformat()}


def rejected(
    db: ServerDatabase, reason_code: str | None = None, device_id: str | None = None
) -> list[RejectedReport]:
    """Every refused envelope in the order received (a batch's in device_seq order), optionally
    only one reason or one device's."""
    query = (
        select(RejectedEnvelope, Device.name)
        .join(Device, Device.id == RejectedEnvelope.device_id)
        .order_by(
            RejectedEnvelope.received_at,
            RejectedEnvelope.device_id,
            RejectedEnvelope.device_seq,
            RejectedEnvelope.id,
        )
    )
    if reason_code is not None:
        query = query.where(RejectedEnvelope.reason_code == reason_code)
    if device_id is not None:
        query = query.where(RejectedEnvelope.device_id == device_id)
    with db.read() as session:
        rows = session.execute(query).all()
    return [
        RejectedReport(
            received_at=r.received_at,
            device_id=r.device_id,
            device_name=name,
            device_seq=r.device_seq,
            envelope_id=r.envelope_id,
            reason_code=r.reason_code,
            reason=r.reason,
        )
        for r, name in rows
    ]


@dataclass(frozen=True)
class FleetEntry:
    """One device as the staff console shows it: its report, its approval, and whether it is
    offline (no heartbeat for longer than the server's offline_after).

    Attributes:
        report: what `devices` says of it.
        approved_at, approved_by: when and by whom it was approved; None while it waits.
        oldest_pending_s: the age of the oldest envelope it had not sent, at its last heartbeat.
        dong: its dong id: the one staff set (`dong_set`), else the one its configuration
            names, as its last heartbeat said (None: neither).
        dong_set: True when staff set the dong on the console.
        offline_since: its last heartbeat (its enrolment if it never sent one) when that is
            longer ago than offline_after; None while it is online or revoked.
    """

    report: DeviceReport
    approved_at: datetime | None
    approved_by: str | None
    oldest_pending_s: float | None
    offline_since: datetime | None
    dong: str | None = None
    dong_set: bool = False
    # Envelopes stored but not counted until staff decide (server.held).
    held: int = 0

    @property
    def revoked(self) -> bool:
        return self.report.revoked_at is not None

    @property
    def waiting_for_approval(self) -> bool:
        return self.approved_at is None and not self.revoked


def overview(
    db: ServerDatabase, offline_after: timedelta, now: datetime | None = None
) -> list[FleetEntry]:
    """Every enrolled device with what the console shows beside its report."""
    now = now or datetime.now(UTC)
    reports = devices(db)
    with db.read() as session:
        approvals = {
            r.id: (r.approved_at, r.approved_by, r.dong)
            for r in session.execute(
                select(Device.id, Device.approved_at, Device.approved_by, Device.dong)
            )
        }
        bodies = dict(
            session.execute(select(DeviceStatus.device_id, DeviceStatus.body)).tuples().all()
        )
    held = held_per_device(db)
    entries = []
    for report in reports:
        approved_at, approved_by, dong_set = approvals.get(report.device_id, (None, None, None))
        seen = report.last_heartbeat_at or report.enrolled_at
        offline = report.revoked_at is None and now - seen > offline_after
        status = status_document(bodies.get(report.device_id))
        pending = status.get("oldest_pending_s")
        dong, _known = dong_of(dong_set, status)
        entries.append(
            FleetEntry(
                report=report,
                approved_at=approved_at,
                approved_by=approved_by,
                oldest_pending_s=float(pending) if isinstance(pending, int | float) else None,
                offline_since=seen if offline else None,
                dong=dong,
                dong_set=dong_set is not None,
                held=held.get(report.device_id, 0),
            )
        )
    return entries


def dong_of(dong_set: str | None, status: dict[str, Any]) -> tuple[str | None, bool]:
    """A device's dong and whether it is known: the one staff set, else the one its last
    heartbeat (`status`) reported (unknown before its first heartbeat)."""
    if dong_set is not None:
        return dong_set, True
    reported = status.get("dong")
    return (reported if isinstance(reported, str) else None), "dong" in status


def status_document(body: str | None) -> dict[str, Any]:
    """The stored heartbeat as sent; {} if there is none or it cannot be read."""
    try:
        value = json.loads(body) if body is not None else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
