"""Staff accounts, login lockout, sessions, permissions and the audit log, without HTTP; and
the `python -m server staff` command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from server import audit, auth, staff
from server.db import ServerDatabase, open_database
from server.staff import LoginPolicy, LoginRefused, Role, Staff, allowed
from tests.server.conftest import require_postgres
from tests.server.process import ROOT, postgres_database

CLI = audit.Actor("cli:test", "command line")
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
POLICY = LoginPolicy(account_failures=3, client_failures=10, first_lock=timedelta(seconds=30))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[ServerDatabase]:
    database = open_database(str(tmp_path / "server.sqlite3"))
    yield database
    database.close()


def fail(db: ServerDatabase, name: str, at: datetime, client: str = "10.0.0.1") -> LoginRefused:
    with pytest.raises(LoginRefused) as refused:
        staff.login(db, name, "wrong password!", client, POLICY, now=at)
    return refused.value


def test_a_password_is_kept_only_as_an_argon2id_hash(db: ServerDatabase) -> None:
    staff.add_account(db, "kim", Role.ADMIN, "a long password", CLI)

    (account,) = staff.accounts(db)
    assert account.password_hash.startswith("$argon2id$")
    assert "a long password" not in account.password_hash


@pytest.mark.parametrize(
    ("name", "role", "dong", "password", "says"),
    [
        ("kim", Role.ADMIN, None, "short", "at least 10"),
        ("kim lee", Role.ADMIN, None, "long enough pw", "no spaces"),
        ("dongman", Role.DONG, None, "long enough pw", "needs --dong"),
        ("viewer", Role.VIEWER, "회현동", "long enough pw", "only a dong officer"),
    ],
)
def test_unacceptable_accounts_are_refused(
    db: ServerDatabase, name: str, role: Role, dong: str | None, password: str, says: str
) -> None:
    with pytest.raises(staff.StaffError, match=says):
        staff.add_account(db, name, role, password, CLI, dong=dong)
    assert staff.accounts(db) == []


def test_roles_parse_in_english_and_korean() -> None:
    assert staff.parse_role("관리자") is Role.ADMIN
    assert staff.parse_role("동 담당") is Role.DONG
    assert staff.parse_role("viewer") is Role.VIEWER
    with pytest.raises(staff.StaffError):
        staff.parse_role("root")


def test_failures_lock_the_login_for_longer_each_time(db: ServerDatabase) -> None:
    staff.add_account(db, "kim", Role.ADMIN, "the right password", CLI)
    for i in range(3):
        fail(db, "kim", T0 + timedelta(seconds=i))

    locked = fail(db, "kim", T0 + timedelta(seconds=10))
    with pytest.raises(LoginRefused, match="잠시 잠겼습니다"):
        staff.login(
            db, "kim", "the right password", "10.0.0.2", POLICY, now=T0 + timedelta(seconds=10)
        )
    assert locked.locked_until == T0 + timedelta(seconds=2 + 30)

    # After the lock, one more failure locks for twice as long.
    again = T0 + timedelta(seconds=40)
    fail(db, "kim", again)
    second = fail(db, "kim", again + timedelta(seconds=1))
    assert second.locked_until == again + timedelta(seconds=60)


def test_the_lock_survives_a_restart(tmp_path: Path) -> None:
    path = str(tmp_path / "server.sqlite3")
    with open_database(path) as db:
        staff.add_account(db, "kim", Role.ADMIN, "the right password", CLI)
        for i in range(3):
            fail(db, "kim", T0 + timedelta(seconds=i))
    with open_database(path) as db, pytest.raises(LoginRefused) as refused:
        staff.login(
            db, "kim", "the right password", "10.0.0.9", POLICY, now=T0 + timedelta(seconds=9)
        )
    assert refused.value.locked_until is not None


def test_one_client_guessing_many_names_is_locked(db: ServerDatabase) -> None:
    staff.add_account(db, "kim", Role.ADMIN, "the right password", CLI)
    for i in range(10):
        fail(db, f"nobody-{i}", T0 + timedelta(seconds=i), client="10.6.6.6")

    with pytest.raises(LoginRefused, match="잠시 잠겼습니다"):
        staff.login(
            db, "kim", "the right password", "10.6.6.6", POLICY, now=T0 + timedelta(seconds=11)
        )
    opened = staff.login(db, "kim", "the right password", "10.0.0.1", POLICY, now=T0)
    assert opened.signed_in.staff.name == "kim"


def test_a_session_ends_when_idle_expired_logged_out_or_disabled(db: ServerDatabase) -> None:
    staff.add_account(db, "kim", Role.ADMIN, "the right password", CLI)
    opened = staff.login(db, "kim", "the right password", "10.0.0.1", now=T0)

    assert staff.session_for(db, opened.token, now=T0 + timedelta(minutes=30)) is not None
    assert staff.session_for(db, opened.token, now=T0 + timedelta(minutes=95)) is None
    assert staff.session_for(db, opened.token, now=T0 + timedelta(hours=9)) is None
    assert staff.session_for(db, "made-up", now=T0) is None

    live = staff.login(db, "kim", "the right password", "10.0.0.1")
    assert staff.session_for(db, live.token) is not None
    staff.disable_account(db, "kim", CLI)
    assert staff.session_for(db, live.token) is None
    with pytest.raises(LoginRefused):
        staff.login(db, "kim", "the right password", "10.0.0.1")


def test_permissions_by_role() -> None:
    admin = Staff(1, "a", Role.ADMIN, None)
    viewer = Staff(2, "v", Role.VIEWER, None)
    dong = Staff(3, "d", Role.DONG, "hoehyeon")
    here, there = staff.dong_resource("hoehyeon"), staff.dong_resource("myeong")

    assert not allowed(None, "console.home")
    assert all(allowed(admin, a) for a in ("devices.manage", "audit.view", "staff.manage"))
    assert allowed(viewer, "console.home") and not allowed(viewer, "devices.view")
    assert not allowed(viewer, "audit.view")
    assert allowed(dong, "devices.view", here) and allowed(dong, "devices.view")
    assert not allowed(dong, "devices.view", there)
    assert not allowed(dong, "devices.view", staff.dong_resource(None))
    assert allowed(admin, "devices.view", there)
    assert not allowed(dong, "devices.manage")


def test_every_action_writes_its_event(db: ServerDatabase) -> None:
    staff.add_account(db, "kim", Role.ADMIN, "the right password", CLI)
    fail(db, "kim", T0)
    opened = staff.login(db, "kim", "the right password", "10.0.0.1")
    by = audit.Actor("kim", "10.0.0.1")
    auth.new_enrollment_code(db, by=by)
    staff.logout(db, opened.token, opened.signed_in, "10.0.0.1")
    staff.disable_account(db, "kim", CLI)

    actions = [e.action for e in reversed(audit.events(db))]
    assert actions == [
        "staff.add",
        "login.failure",
        "login.success",
        "enrolment_code.create",
        "logout",
        "staff.disable",
    ]


def _assert_append_only(db: ServerDatabase) -> None:
    staff.add_account(db, "kim", Role.ADMIN, "the right password", CLI)
    for statement in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"), db.write() as session:
            session.execute(text(statement))
    assert [e.actor for e in audit.events(db)] == ["cli:test"]


def test_the_database_refuses_to_change_or_delete_audit_events(db: ServerDatabase) -> None:
    _assert_append_only(db)


def test_the_audit_log_is_append_only_on_postgresql() -> None:
    require_postgres()
    with postgres_database() as url, open_database(url) as db:
        _assert_append_only(db)


def test_no_code_changes_or_deletes_an_audit_row() -> None:
    for path in (ROOT / "server").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for forbidden in ("update(AuditEvent", "delete(AuditEvent", "UPDATE audit_events"):
            assert forbidden not in source, (path.name, forbidden)
        assert "DELETE FROM audit_events" not in source, path.name


def test_devices_wait_for_approval_and_an_approval_is_audited(db: ServerDatabase) -> None:
    from contract.wire import EnrollRequest
    from server.fleet import overview

    code = auth.new_enrollment_code(db).code
    enrolled = auth.enroll(
        db, EnrollRequest(enrollment_code=code, name="k", mode="kiosk", app_version="1"), "pk"
    )
    (entry,) = overview(db, timedelta(minutes=15))
    assert entry.waiting_for_approval and entry.offline_since is None

    assert auth.approve(db, enrolled.device_id, CLI)
    assert not auth.approve(db, enrolled.device_id, CLI)
    (entry,) = overview(db, timedelta(minutes=15), now=datetime.now(UTC) + timedelta(hours=1))
    assert not entry.waiting_for_approval and entry.approved_by == "cli:test"
    assert entry.offline_since is not None
    assert audit.events(db)[0].target == f"device:{enrolled.device_id}"


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args, "--log-level", "WARNING"],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_staff_command_line(tmp_path: Path) -> None:
    where = ["--data-dir", str(tmp_path)]
    added = run_cli("staff", "add", "김관리", "--role", "관리자", *where, stdin="first-password\n")
    pw_file = tmp_path / "pw"
    pw_file.write_text("second-password\n", encoding="utf-8")
    dong = run_cli(
        "staff",
        "add",
        "박동담",
        "--role",
        "dong",
        "--dong",
        "회현동",
        "--password-file",
        str(pw_file),
        *where,
    )
    duplicate = run_cli("staff", "add", "김관리", "--role", "admin", *where, stdin="x" * 12)
    as_argument = run_cli("staff", "add", "x", "--role", "admin", "--password", "p" * 12, *where)
    disabled = run_cli("staff", "disable", "김관리", *where)
    reset = run_cli("staff", "reset-password", "박동담", *where, stdin="third-password\n")
    reset_short = run_cli("staff", "reset-password", "박동담", *where, stdin="short\n")
    reset_disabled = run_cli("staff", "reset-password", "김관리", *where, stdin="x" * 12)
    listing = run_cli("staff", "list", *where)

    assert added.returncode == 0, added.stderr
    assert dong.returncode == 0, dong.stderr
    assert duplicate.returncode == 1 and "already" in duplicate.stderr
    assert as_argument.returncode == 2
    assert disabled.returncode == 0
    assert reset.returncode == 0, reset.stderr
    assert reset_short.returncode == 1 and "at least" in reset_short.stderr
    assert reset_disabled.returncode == 1 and "no active" in reset_disabled.stderr
    lines = listing.stdout.splitlines()
    assert any(line.startswith("김관리") and "disabled" in line for line in lines)
    assert any(
        line.startswith("박동담") and "회현동" in line and "active" in line for line in lines
    )
    with open_database(str(tmp_path / "server.sqlite3")) as db:
        with pytest.raises(staff.LoginRefused):
            staff.login(db, "박동담", "second-password", "127.0.0.1")
        ok = staff.login(db, "박동담", "third-password", "127.0.0.1")
        assert ok.signed_in.staff.dong == "회현동"
        assert {e.actor for e in audit.events(db) if e.action.startswith("staff.")} == {
            f"cli:{_user()}"
        }


def _user() -> str:
    import getpass

    return getpass.getuser()
