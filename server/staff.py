"""Staff accounts of the console: roles, argon2id passwords, login with lockout, server-side
sessions, and the one permission rule every console view asks (`allowed`, Datasette style).

A session's cookie holds a random id that the database keeps only as a SHA-256, so a copy of
the database signs nobody in. Failed logins are counted per account and per client address in
the database (a restart does not reset them); past a threshold each further failure locks the
login for twice as long as the one before. Every change here writes its audit event
(server.audit) in the same transaction.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, Delete, delete, select
from sqlalchemy.orm import Session

from server import audit
from server.db import ServerDatabase
from server.db.models import LoginThrottle, StaffAccount, StaffSession

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10
MAX_NAME_LENGTH = 64
SESSION_IDLE = timedelta(hours=1)
SESSION_LIFETIME = timedelta(hours=8)
# last_seen_at is written at most this often, not on every page.
SESSION_TOUCH = timedelta(minutes=1)

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory parameters.
_hasher = PasswordHasher()


class Role(StrEnum):
    ADMIN = "admin"
    CONTENT = "content"
    DONG = "dong"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "관리자",
    Role.CONTENT: "콘텐츠 담당",
    Role.DONG: "동 담당",
    Role.VIEWER: "보기",
}


def parse_role(text: str) -> Role:
    """A role by its English id or its Korean name ("admin" or "관리자")."""
    for role, label in ROLE_LABELS.items():
        if text.strip() in (role.value, label):
            return role
    names = ", ".join(f"{r.value} ({label})" for r, label in ROLE_LABELS.items())
    raise StaffError(f"unknown role {text!r}; the roles are {names}")


# What each role may do. Actions name a page or a change; a resource narrows it (a dong).
_ROLE_ACTIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            "console.home",
            "devices.view",
            "devices.manage",
            "calls.view",
            "calls.answer",
            "audit.view",
            "staff.manage",
            "responses.view",
            "proposals.view",
            "proposals.moderate",
            "points.lookup",
            "points.exchanges",
            "reports.view",
            "coaches.manage",
            "held.manage",
            "content.view",
            "content.edit",
            "content.publish",
            "content.export",
            "groups.view",
            "groups.manage",
            "emergency.post",
        }
    ),
    # Content: the content itself (drafts, publishing, rollback, import and export), what
    # residents sent and the moderation that feeds the next content version.
    Role.CONTENT: frozenset(
        {
            "console.home",
            "responses.view",
            "proposals.view",
            "proposals.moderate",
            "reports.view",
            "content.view",
            "content.edit",
            "content.publish",
            "content.export",
            "groups.view",
            "emergency.post",
        }
    ),
    # A dong officer: their own dong's devices, calls, submissions and residents at the counter,
    # and 긴급 공지 on their own dong's devices only (asked with the dong as the resource).
    Role.DONG: frozenset(
        {
            "console.home",
            "emergency.post",
            "devices.view",
            "calls.view",
            "calls.answer",
            "responses.view",
            "proposals.view",
            "points.lookup",
            "points.exchanges",
            "reports.view",
        }
    ),
    Role.VIEWER: frozenset({"console.home", "reports.view"}),
}


class StaffError(Exception):
    """A staff account cannot be added or changed; the message says why."""


class LoginRefused(Exception):
    """Wrong name or password, a disabled account, or a lock; the message is for the page.

    Attributes:
        locked_until: when a locked login may be tried again (None: not locked).
    """

    def __init__(self, message: str, locked_until: datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class Staff:
    """A signed-in member of staff as the views see them."""

    id: int
    name: str
    role: Role
    dong: str | None

    @property
    def role_label(self) -> str:
        return self.role.label


@dataclass(frozen=True)
class SignedIn:
    """A live session: who, and the CSRF token its forms carry."""

    staff: Staff
    csrf_token: str


@dataclass(frozen=True)
class NewSession:
    """A session just opened: `token` goes into the cookie and is never stored."""

    token: str
    signed_in: SignedIn


@dataclass(frozen=True)
class LoginPolicy:
    """When failed logins lock: after `account_failures` for one name or `client_failures` from
    one address, for `first_lock`, doubling with each further failure up to `longest_lock`.
    Counts are forgotten after `forget_after` without a failure."""

    account_failures: int = 5
    client_failures: int = 20
    first_lock: timedelta = timedelta(seconds=30)
    longest_lock: timedelta = timedelta(hours=1)
    forget_after: timedelta = timedelta(hours=24)

    def lock_for(self, failures: int, threshold: int) -> timedelta | None:
        if failures < threshold:
            return None
        doublings = min(failures - threshold, 20)
        lock: timedelta = self.first_lock * (1 << doublings)
        return min(lock, self.longest_lock)


def allowed(staff: Staff | None, action: str, resource: str | None = None) -> bool:
    """Whether `staff` (None: nobody signed in) may do `action` on `resource`.

    The one permission rule of the console: every view asks it. `resource` names what the action
    is on where that matters: `dong_resource(dong)` for something of one dong (a device, by the
    dong its heartbeat names); a dong officer may act only on their own dong's. None asks about
    the action as a whole (may this role open the page at all).
    """
    if staff is None:
        return False
    if action not in _ROLE_ACTIONS[staff.role]:
        return False
    if staff.role is Role.DONG and resource is not None:
        return resource == dong_resource(staff.dong)
    return True


def dong_resource(dong: str | None) -> str:
    """The resource of something in `dong` (None: a dong nobody is responsible for)."""
    return f"dong:{dong}" if dong else "dong:?"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _staff_of(account: StaffAccount) -> Staff:
    return Staff(id=account.id, name=account.name, role=Role(account.role), dong=account.dong)


def _account_doc(account: StaffAccount) -> dict[str, str | None]:
    return {
        "name": account.name,
        "role": account.role,
        "dong": account.dong,
        "disabled_at": account.disabled_at.isoformat() if account.disabled_at else None,
    }


def check_new_account(name: str, role: Role, dong: str | None, password: str) -> None:
    if not name.strip() or name != name.strip() or len(name) > MAX_NAME_LENGTH:
        raise StaffError(f"a name is 1 to {MAX_NAME_LENGTH} characters, without spaces around it")
    if any(ch.isspace() or not ch.isprintable() for ch in name):
        raise StaffError("a name has no spaces or control characters")
    if role is Role.DONG and not (dong and dong.strip()):
        raise StaffError("a dong officer (동 담당) needs --dong")
    if role is not Role.DONG and dong:
        raise StaffError("only a dong officer (동 담당) has a dong")
    _check_new_password(password)


def add_account(
    db: ServerDatabase,
    name: str,
    role: Role,
    password: str,
    by: audit.Actor,
    dong: str | None = None,
    now: datetime | None = None,
) -> Staff:
    """A new staff account; StaffError if the name is taken or the input is not acceptable."""
    check_new_account(name, role, dong, password)
    now = now or datetime.now(UTC)
    password_hash = hash_password(password)
    with db.write() as session:
        taken = session.scalars(select(StaffAccount).where(StaffAccount.name == name)).first()
        if taken is not None:
            raise StaffError(f"there is already a staff account named {name!r}")
        account = StaffAccount(
            name=name,
            role=role.value,
            dong=dong.strip() if dong else None,
            password_hash=password_hash,
            created_at=now,
        )
        session.add(account)
        session.flush()
        audit.record(
            session, by, "staff.add", f"staff:{name}", after=_account_doc(account), now=now
        )
    log.info("staff.added name=%s role=%s", name, role.value)
    return _staff_of(account)


def accounts(db: ServerDatabase) -> list[StaffAccount]:
    with db.read() as session:
        return list(session.scalars(select(StaffAccount).order_by(StaffAccount.name)))


def disable_account(
    db: ServerDatabase, name: str, by: audit.Actor, now: datetime | None = None
) -> bool:
    """Disable an account and end its sessions; False if no such active account."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        account = session.scalars(
            select(StaffAccount).where(
                StaffAccount.name == name, StaffAccount.disabled_at.is_(None)
            )
        ).first()
        if account is None:
            return False
        before = _account_doc(account)
        account.disabled_at = now
        session.execute(delete(StaffSession).where(StaffSession.staff_id == account.id))
        audit.record(
            session,
            by,
            "staff.disable",
            f"staff:{name}",
            before=before,
            after=_account_doc(account),
            now=now,
        )
    log.info("staff.disabled name=%s", name)
    return True


def _deleted(session: Session, statement: Delete) -> int:
    """Run a DELETE and say how many rows it removed."""
    result = cast("CursorResult[Any]", session.execute(statement))
    return result.rowcount


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


def change_password(
    db: ServerDatabase,
    signed_in: SignedIn,
    current: str,
    new: str,
    keep_token: str | None,
    client: str | None,
    now: datetime | None = None,
) -> None:
    """A member of staff sets their own new password, proving the current one.

    Their other sessions end (a password changed because it leaked must lock the holder out);
    the session `keep_token` names stays open. StaffError (English, for the log and the
    command line) if the current password is wrong or the new one too short.
    """
    _check_new_password(new)
    now = now or datetime.now(UTC)
    name = signed_in.staff.name
    with db.read() as session:
        account = session.get(StaffAccount, signed_in.staff.id)
    if account is None or account.disabled_at is not None:
        raise StaffError("the account is not active")
    if not _verify(account.password_hash, current):
        with db.write() as session:
            audit.record(
                session,
                audit.Actor(name, client),
                "staff.password_change",
                f"staff:{name}",
                after={"reason": "wrong current password"},
                now=now,
            )
        raise StaffError("the current password is wrong")
    if current == new:
        raise StaffError("the new password is the same as the current one")
    password_hash = hash_password(new)
    with db.write() as session:
        stored = session.get(StaffAccount, account.id)
        assert stored is not None
        stored.password_hash = password_hash
        others = delete(StaffSession).where(StaffSession.staff_id == account.id)
        if keep_token:
            others = others.where(StaffSession.id_sha256 != _sha256(keep_token))
        ended = _deleted(session, others)
        audit.record(
            session,
            audit.Actor(name, client),
            "staff.password_change",
            f"staff:{name}",
            after={"sessions_ended": ended},
            now=now,
        )
    log.info("staff.password_changed name=%s", name)


def reset_password(
    db: ServerDatabase, name: str, new: str, by: audit.Actor, now: datetime | None = None
) -> bool:
    """An admin sets a new password for `name` to hand over (a forgotten or leaked one).

    The account's sessions end and its login lock is lifted. False if no such active account.
    """
    _check_new_password(new)
    now = now or datetime.now(UTC)
    password_hash = hash_password(new)
    with db.write() as session:
        account = session.scalars(
            select(StaffAccount).where(
                StaffAccount.name == name, StaffAccount.disabled_at.is_(None)
            )
        ).first()
        if account is None:
            return False
        account.password_hash = password_hash
        ended = _deleted(session, delete(StaffSession).where(StaffSession.staff_id == account.id))
        session.execute(delete(LoginThrottle).where(LoginThrottle.key == f"account:{name}"))
        audit.record(
            session,
            by,
            "staff.password_reset",
            f"staff:{name}",
            after={"sessions_ended": ended},
            now=now,
        )
    log.info("staff.password_reset name=%s", name)
    return True


def _locked_until(session: Session, keys: list[str], now: datetime) -> datetime | None:
    rows = session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))).all()
    locks = [r.locked_until for r in rows if r.locked_until is not None and r.locked_until > now]
    return max(locks) if locks else None


def _count_failure(
    session: Session, key: str, threshold: int, policy: LoginPolicy, now: datetime
) -> None:
    row = session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, last_failure_at=now)
        session.add(row)
    elif now - row.last_failure_at > policy.forget_after:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    lock = policy.lock_for(row.failures, threshold)
    row.locked_until = now + lock if lock is not None else None


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _spend_like_a_check(password: str) -> None:
    # An unknown name costs as much time as a wrong password: the answer tells nothing.
    _verify(_dummy_hash(), password)


WRONG_LOGIN = "이름 또는 비밀번호가 맞지 않습니다."


def login(
    db: ServerDatabase,
    name: str,
    password: str,
    client: str | None,
    policy: LoginPolicy | None = None,
    now: datetime | None = None,
) -> NewSession:
    """Check a name and password and open a session; LoginRefused otherwise (audit-logged)."""
    policy = policy or LoginPolicy()
    now = now or datetime.now(UTC)
    account_key, client_key = f"account:{name}", f"client:{client or '-'}"
    with db.read() as session:
        locked = _locked_until(session, [account_key, client_key], now)
        account = session.scalars(select(StaffAccount).where(StaffAccount.name == name)).first()
    known = account is not None
    target = f"staff:{name}" if known else None
    if locked is not None:
        with db.write() as session:
            # Nobody is signed in: the name typed is the target, not the actor.
            audit.record(
                session,
                audit.Actor(None, client),
                "login.locked",
                target,
                after={"locked_until": locked.isoformat(timespec="seconds")},
                now=now,
            )
        minutes = max(1, round((locked - now).total_seconds() / 60))
        raise LoginRefused(
            f"로그인 시도가 너무 많아 잠시 잠겼습니다. 약 {minutes}분 뒤에 다시 시도하세요.",
            locked_until=locked,
        )
    if account is None:
        _spend_like_a_check(password)
        ok = False
    else:
        ok = _verify(account.password_hash, password) and account.disabled_at is None
    if not ok:
        with db.write() as session:
            _count_failure(session, account_key, policy.account_failures, policy, now)
            _count_failure(session, client_key, policy.client_failures, policy, now)
            reason = "disabled" if account is not None and account.disabled_at else "wrong"
            audit.record(
                session,
                audit.Actor(None, client),
                "login.failure",
                target,
                after={"reason": reason if known else "unknown name"},
                now=now,
            )
        log.info("staff.login_failed known=%s", known)
        raise LoginRefused(WRONG_LOGIN)
    assert account is not None
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    with db.write() as session:
        session.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key))
        # Sessions that ran out are removed as others begin.
        session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))
        session.add(
            StaffSession(
                id_sha256=_sha256(token),
                staff_id=account.id,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=now + SESSION_LIFETIME,
                client=client,
            )
        )
        stored = session.get(StaffAccount, account.id)
        assert stored is not None
        stored.last_login_at = now
        if _hasher.check_needs_rehash(stored.password_hash):
            stored.password_hash = hash_password(password)
        audit.record(session, audit.Actor(name, client), "login.success", f"staff:{name}", now=now)
    log.info("staff.login name=%s", name)
    return NewSession(token=token, signed_in=SignedIn(_staff_of(account), csrf))


def session_for(
    db: ServerDatabase, token: str | None, now: datetime | None = None
) -> SignedIn | None:
    """The live session a cookie names, or None (no cookie, unknown, idle or expired, or the
    account was disabled)."""
    if not token:
        return None
    now = now or datetime.now(UTC)
    key = _sha256(token)
    with db.read() as session:
        row = session.execute(
            select(StaffSession, StaffAccount)
            .join(StaffAccount, StaffAccount.id == StaffSession.staff_id)
            .where(StaffSession.id_sha256 == key)
        ).first()
    if row is None:
        return None
    stored, account = row
    if (
        stored.expires_at <= now
        or now - stored.last_seen_at > SESSION_IDLE
        or account.disabled_at is not None
    ):
        return None
    if now - stored.last_seen_at > SESSION_TOUCH:
        with db.write() as session:
            fresh = session.get(StaffSession, key)
            if fresh is not None:
                fresh.last_seen_at = now
    return SignedIn(_staff_of(account), stored.csrf_token)


def logout(db: ServerDatabase, token: str, signed_in: SignedIn, client: str | None) -> None:
    """End the session `token` names (audit-logged)."""
    with db.write() as session:
        session.execute(delete(StaffSession).where(StaffSession.id_sha256 == _sha256(token)))
        name = signed_in.staff.name
        audit.record(session, audit.Actor(name, client), "logout", f"staff:{name}")
    log.info("staff.logout name=%s", signed_in.staff.name)
