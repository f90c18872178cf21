"""Who may talk to the server: enrolment codes, device tokens and revocation (its keys are
server.keys).

Codes and tokens are kept only as SHA-256 digests: a copy of the database enrols nothing and
impersonates no device.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from contract.wire import EnrollRequest, EnrollResponse
from server import audit, held, residents
from server.db import ServerDatabase
from server.db.models import Device, EnrollmentCode

log = logging.getLogger(__name__)

DEFAULT_CODE_HOURS = 7 * 24
# No 0/O, 1/I/L: an installer reads the code off paper and types it on a kiosk keypad.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LEN = 4


class EnrollmentRefused(Exception):
    """The enrolment code is unknown, already used or expired; the message says which."""


class Unauthenticated(Exception):
    """No bearer token, or one the server never issued."""


class DeviceRevoked(Exception):
    """The token belongs to a device that staff revoked."""


@dataclass(frozen=True)
class IssuedCode:
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    name: str
    mode: str


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    """The code as issued: upper case, without the spaces and dashes people type."""
    return "".join(ch for ch in code.upper() if ch not in " -")


def new_enrollment_code(
    db: ServerDatabase,
    hours: float = DEFAULT_CODE_HOURS,
    note: str | None = None,
    now: datetime | None = None,
    by: audit.Actor | None = None,
) -> IssuedCode:
    """A new single-use enrolment code that expires after `hours`; `by`: who asked for it (the
    audit log records it, never the code)."""
    now = now or datetime.now(UTC)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    code = "-".join(raw[i : i + CODE_GROUP_LEN] for i in range(0, len(raw), CODE_GROUP_LEN))
    expires_at = now + timedelta(hours=hours)
    with db.write() as session:
        session.add(
            EnrollmentCode(
                code_sha256=sha256_hex(raw), created_at=now, expires_at=expires_at, note=note
            )
        )
        if by is not None:
            audit.record(
                session,
                by,
                "enrolment_code.create",
                after={"expires_at": expires_at.isoformat(timespec="seconds"), "note": note},
                now=now,
            )
    log.info("enrol.code_issued expires_at=%s", expires_at.isoformat())
    return IssuedCode(code=code, expires_at=expires_at)


def enroll(
    db: ServerDatabase,
    request: EnrollRequest,
    public_key: str,
    now: datetime | None = None,
    content_public_key: str | None = None,
) -> EnrollResponse:
    """Enrol a device with a code; the code is spent in the same transaction. `public_key`: the
    server's (server.keys), which the device will seal residents' identities to;
    `content_public_key`: the one its USB content packs are signed with."""
    now = now or datetime.now(UTC)
    code_hash = sha256_hex(normalise_code(request.enrollment_code))
    device_id = "dev-" + secrets.token_hex(6)
    token = secrets.token_urlsafe(32)
    with db.write() as session:
        # One conditional UPDATE spends the code: of two devices racing, exactly one wins.
        spent = session.execute(
            update(EnrollmentCode)
            .where(
                EnrollmentCode.code_sha256 == code_hash,
                EnrollmentCode.used_at.is_(None),
                EnrollmentCode.expires_at > now,
            )
            .values(used_at=now, device_id=device_id)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise EnrollmentRefused(_refusal(session, code_hash, now))
        session.add(
            Device(
                id=device_id,
                name=request.name,
                mode=request.mode,
                app_version=request.app_version,
                token_sha256=sha256_hex(token),
                enrolled_at=now,
                public_key=request.device_public_key,
            )
        )
    log.info("enrol.device device_id=%s mode=%s", device_id, request.mode)
    return EnrollResponse(
        device_id=device_id,
        token=token,
        server_public_key=public_key,
        content_public_key=content_public_key,
    )


def _refusal(session: Session, code_hash: str, now: datetime) -> str:
    code = session.scalars(
        select(EnrollmentCode).where(EnrollmentCode.code_sha256 == code_hash)
    ).first()
    if code is None:
        return "This enrolment code is not known. Check it, or ask the district office for a code."
    if code.used_at is not None:
        return "This enrolment code was already used. Ask the district office for a new code."
    return "This enrolment code has expired. Ask the district office for a new code."


def authenticate(db: ServerDatabase, token: str | None) -> DeviceIdentity:
    """The device the bearer `token` belongs to; Unauthenticated or DeviceRevoked if none."""
    if not token:
        raise Unauthenticated("This request needs the device's token (Authorization: Bearer).")
    # Core, four columns: this runs for every request a device makes.
    with db.engine.connect() as connection:
        device = connection.execute(
            select(Device.id, Device.name, Device.mode, Device.revoked_at).where(
                Device.token_sha256 == sha256_hex(token)
            )
        ).first()
    if device is None:
        raise Unauthenticated("This device token is not known. Enrol the device again.")
    if device.revoked_at is not None:
        raise DeviceRevoked("This device was revoked by staff and may no longer send anything.")
    return DeviceIdentity(device_id=device.id, name=device.name, mode=device.mode)


def revoke(
    db: ServerDatabase,
    device_id: str,
    now: datetime | None = None,
    by: audit.Actor | None = None,
) -> bool:
    """Revoke a device; False if there is no such device or it was already revoked. `by`: who
    revoked it, for the audit log."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        done = session.execute(
            update(Device)
            .where(Device.id == device_id, Device.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        revoked = bool(done.rowcount)  # type: ignore[attr-defined]
        if revoked and by is not None:
            audit.record(
                session,
                by,
                "device.revoke",
                f"device:{device_id}",
                before={"revoked_at": None},
                after={"revoked_at": now.isoformat(timespec="seconds")},
                now=now,
            )
    if revoked:
        log.info("device.revoked device_id=%s", device_id)
    return revoked


def approve(
    db: ServerDatabase, device_id: str, by: audit.Actor, now: datetime | None = None
) -> bool:
    """Approve a device waiting for approval; False if there is no such device, or it was
    approved already or revoked. In the same transaction, what the device sent while it waited
    (held `unapproved`, server.ingest) is released in the order it arrived, one resident, one
    count as of now (server.held); `by` is recorded for the approval and each release."""
    now = now or datetime.now(UTC)
    pack = residents.NewestPack(db).get()
    released: list[held.Released] = []
    with db.write() as session:
        # The UPDATE locks the device's row: a batch of this device being stored meanwhile
        # either finished first (its holds are released below) or waits and finds it approved.
        done = session.execute(
            update(Device)
            .where(
                Device.id == device_id,
                Device.approved_at.is_(None),
                Device.revoked_at.is_(None),
            )
            .values(approved_at=now, approved_by=by.name)
        )
        approved = bool(done.rowcount)  # type: ignore[attr-defined]
        if approved:
            audit.record(
                session,
                by,
                "device.approve",
                f"device:{device_id}",
                before={"approved_at": None},
                after={"approved_at": now.isoformat(timespec="seconds"), "approved_by": by.name},
                now=now,
            )
            released = held.release_unapproved(session, device_id, pack, by, now)
    if approved:
        log.info(
            "device.approved device_id=%s released=%d counted=%d",
            device_id,
            len(released),
            sum(r.counted for r in released),
        )
        held.log_released(released)
    return approved
