"""코치: the district's digital coaches (디지털 코칭단) and what devices are told of them.

Owns the `coaches` table: adding a coach (code, name, PIN), revoking one, resetting a PIN, the
list the console shows, and the answers devices get: `version` in every heartbeat answer with
the revoked codes, and `for_device` (GET /api/v1/coaches) with the PIN hashes of the coaches
who may sign in, only for an approved device. The PIN is kept only as the kiosk's salted scrypt
hash (contract.pin): the kiosk checks it offline. A PIN is shown once to whoever set it and
is never written anywhere else: not in the audit log (whose before/after documents hold the
code, name and state only), not in a log line.

Every change writes its audit event in the same transaction and takes the next version, which
is unique: of two changes racing on PostgreSQL one fails its insert and is tried again.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contract.pin import hash_pin
from contract.wire import CoachCredential, CoachList
from server import audit
from server.db import ServerDatabase
from server.db.models import Coach, Device
from server.problems import FieldProblem

log = logging.getLogger(__name__)

CODE_PATTERN = re.compile(r"^[0-9]{4,8}$")
PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
MAX_NAME_LENGTH = 40
GENERATED_PIN_DIGITS = 6
# Attempts at a version when another change takes the same one at the same moment.
VERSION_ATTEMPTS = 5

ACTIVE = "active"
REVOKED = "revoked"


class CoachError(FieldProblem):
    """A coach cannot be added or changed."""


class NotApproved(Exception):
    """The device is waiting for a member of staff's approval: it gets no coaches."""


@dataclass(frozen=True)
class CoachRow:
    """A coach as the console lists it (never the PIN hash)."""

    code: str
    name: str
    created_at: datetime
    changed_at: datetime
    changed_by: str | None
    revoked_at: datetime | None

    @property
    def state(self) -> str:
        return REVOKED if self.revoked_at is not None else ACTIVE


@dataclass(frozen=True)
class Changed:
    """A coach just added or given a new PIN; `pin` is to be shown once and forgotten."""

    code: str
    name: str
    pin: str
    version: int


def generate_pin() -> str:
    """A random PIN of GENERATED_PIN_DIGITS digits, not starting with 0 (typed as a number)."""
    first = secrets.choice("123456789")
    return first + "".join(secrets.choice("0123456789") for _ in range(GENERATED_PIN_DIGITS - 1))


def check_code(code: str) -> str:
    if not CODE_PATTERN.fullmatch(code):
        raise CoachError("코치 번호는 숫자 4~8자리입니다.", "code")
    return code


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH or not name.isprintable():
        raise CoachError(f"이름은 1~{MAX_NAME_LENGTH}자로 입력하세요.", "name")
    return name


def check_pin(pin: str, again: str | None = None) -> str:
    """A PIN of 4 to 8 digits; `again`: the second typing, which must be the same."""
    if not PIN_PATTERN.fullmatch(pin):
        raise CoachError("비밀번호(PIN)는 숫자 4~8자리입니다.", "pin")
    if again is not None and again != pin:
        raise CoachError("두 번 입력한 비밀번호가 다릅니다.", "pin_again")
    return pin


def problems(
    *,
    code: str | None = None,
    name: str | None = None,
    pin: str | None = None,
    again: str | None = None,
) -> dict[str, str]:
    """Every problem of a form at once, by field (a field not given is not checked; `pin`
    None: a generated PIN). {} when all is well."""
    found: dict[str, str] = {}
    checks: list[tuple[str, Any]] = []
    if code is not None:
        checks.append(("code", lambda: check_code(code)))
    if name is not None:
        checks.append(("name", lambda: check_name(name)))
    if pin is not None:
        checks.append(("pin", lambda: check_pin(pin, again)))
    for field, check in checks:
        try:
            check()
        except CoachError as e:
            found[e.field or field] = str(e)
    return found


def _doc(coach: Coach) -> dict[str, str | None]:
    # What the audit log keeps of a coach: never the PIN nor its hash.
    return {
        "code": coach.code,
        "name": coach.name,
        "status": REVOKED if coach.revoked_at is not None else ACTIVE,
    }


def _next_version(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Coach.version), 0))) or 0) + 1


def _find(session: Session, code: str) -> Coach | None:
    return session.scalars(select(Coach).where(Coach.code == code)).first()


def add(
    db: ServerDatabase,
    code: str,
    name: str,
    pin: str,
    by: audit.Actor,
    now: datetime | None = None,
) -> Changed:
    """A new coach who may sign in at every approved kiosk after its next heartbeat."""
    code, name, pin = check_code(code.strip()), check_name(name), check_pin(pin)
    pin_hash = hash_pin(pin)
    now = now or datetime.now(UTC)
    for attempt in range(VERSION_ATTEMPTS):
        try:
            with db.write() as session:
                if _find(session, code) is not None:
                    raise CoachError(
                        f"코치 번호 {code}는 이미 있습니다(사용 중지된 번호는 다시 쓰지 않습니다).",
                        "code",
                    )
                coach = Coach(
                    code=code,
                    name=name,
                    pin_hash=pin_hash,
                    created_at=now,
                    changed_at=now,
                    changed_by=by.name,
                    version=_next_version(session),
                )
                session.add(coach)
                session.flush()
                audit.record(session, by, "coach.add", f"coach:{code}", after=_doc(coach), now=now)
                version = coach.version
        except IntegrityError:
            if attempt == VERSION_ATTEMPTS - 1:
                raise
            continue
        log.info("coach.added code=%s version=%d", code, version)
        return Changed(code, name, pin, version)
    raise AssertionError("unreachable")


def _change(
    db: ServerDatabase,
    code: str,
    by: audit.Actor,
    action: str,
    pin_hash: str | None,
    now: datetime,
) -> tuple[str, int]:
    for attempt in range(VERSION_ATTEMPTS):
        try:
            with db.write() as session:
                coach = session.scalars(
                    select(Coach).where(Coach.code == code).with_for_update()
                ).first()
                if coach is None:
                    raise CoachError(f"코치 번호 {code}인 코치가 없습니다.")
                if coach.revoked_at is not None:
                    raise CoachError(f"코치 {coach.name}({code})는 이미 사용 중지되었습니다.")
                before = _doc(coach)
                if pin_hash is not None:
                    coach.pin_hash = pin_hash
                else:
                    coach.revoked_at = now
                coach.changed_at = now
                coach.changed_by = by.name
                coach.version = _next_version(session)
                session.flush()
                after = _doc(coach)
                if pin_hash is not None:
                    # The PIN's change is the event itself; its value is never recorded.
                    after = {**after, "pin": "changed"}
                audit.record(
                    session, by, action, f"coach:{code}", before=before, after=after, now=now
                )
                result = (coach.name, coach.version)
        except IntegrityError:
            if attempt == VERSION_ATTEMPTS - 1:
                raise
            continue
        return result
    raise AssertionError("unreachable")


def revoke(db: ServerDatabase, code: str, by: audit.Actor, now: datetime | None = None) -> int:
    """The coach may no longer sign in: devices refuse the code at their next heartbeat and end
    an open session of theirs. Answers the new version."""
    _name, version = _change(db, code, by, "coach.revoke", None, now or datetime.now(UTC))
    log.info("coach.revoked code=%s version=%d", code, version)
    return version


def reset_pin(
    db: ServerDatabase, code: str, pin: str, by: audit.Actor, now: datetime | None = None
) -> Changed:
    """A new PIN: devices take it (and refuse the old one) at their next heartbeat."""
    pin = check_pin(pin)
    name, version = _change(
        db, code, by, "coach.reset_pin", hash_pin(pin), now or datetime.now(UTC)
    )
    log.info("coach.pin_reset code=%s version=%d", code, version)
    return Changed(code, name, pin, version)


def listing(db: ServerDatabase) -> list[CoachRow]:
    """Every coach, those who may sign in first, then by code."""
    with db.read() as session:
        rows = session.scalars(
            select(Coach).order_by(Coach.revoked_at.is_not(None), Coach.code)
        ).all()
        return [
            CoachRow(c.code, c.name, c.created_at, c.changed_at, c.changed_by, c.revoked_at)
            for c in rows
        ]


def version(db: ServerDatabase) -> tuple[int, list[str]]:
    """The coaches' version (0: none yet) and every revoked code: what a heartbeat answers."""
    with db.read() as session:
        newest = session.scalar(select(func.coalesce(func.max(Coach.version), 0)))
        revoked = session.scalars(
            select(Coach.code).where(Coach.revoked_at.is_not(None)).order_by(Coach.code)
        ).all()
    return int(newest or 0), list(revoked)


def for_device(db: ServerDatabase, device_id: str) -> CoachList:
    """The coaches an approved device may let sign in, with their PIN hashes; NotApproved for a
    device still waiting (a revoked one never authenticates: server.auth)."""
    with db.read() as session:
        device = session.get(Device, device_id)
        if device is None or device.approved_at is None or device.revoked_at is not None:
            raise NotApproved(
                "This device is waiting for approval by staff; it gets the coaches once approved."
            )
        rows = session.scalars(select(Coach).order_by(Coach.code)).all()
        newest = max((c.version for c in rows), default=0)
        return CoachList(
            version=newest,
            coaches=[
                CoachCredential(code=c.code, name=c.name, pin_hash=c.pin_hash)
                for c in rows
                if c.revoked_at is None
            ],
            revoked=[c.code for c in rows if c.revoked_at is not None],
        )
