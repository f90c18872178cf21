"""Passwords after the first: a member of staff changes their own (proving the current one), an
admin resets a forgotten one. Real server process; the change in the real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests
from selenium.webdriver.common.by import By

from tests.console.conftest import (
    ADMIN,
    VIEWER,
    Account,
    add_account,
    csrf_of,
    signed_in_session,
)
from tests.console.test_browser import sign_in, wait_for_next_page
from tests.server.process import ServerProcess, start_server


@pytest.fixture
def console(tmp_path: Path) -> Any:
    """A server of this test's own: the tests change passwords of its accounts."""
    running = start_server(tmp_path / "data", None)
    for account in (ADMIN, VIEWER):
        add_account(running, account, tmp_path)
    yield running
    running.stop()


def _audit_csv(server: ServerProcess) -> str:
    http = signed_in_session(server, ADMIN)
    r = http.get(f"{server.url}/staff/audit.csv", timeout=10)
    assert r.status_code == 200
    return r.text


def _post(http: requests.Session, url: str, **fields: str) -> requests.Response:
    form = http.get(url, timeout=10)
    assert form.status_code == 200, form.text
    return http.post(
        url, data={"csrf_token": csrf_of(form.text), **fields}, allow_redirects=False, timeout=10
    )


def _login_status(server: ServerProcess, account: Account) -> int:
    http = requests.Session()
    form = http.get(f"{server.url}/staff/login", timeout=10)
    r = http.post(
        f"{server.url}/staff/login",
        data={"name": account.name, "password": account.password, "csrf_token": csrf_of(form.text)},
        allow_redirects=False,
        timeout=10,
    )
    return r.status_code


def test_staff_change_their_own_password_in_the_browser(
    console: ServerProcess, browser: Any
) -> None:
    other_place = signed_in_session(console, VIEWER)
    sign_in(browser, console, VIEWER)
    browser.find_element(By.ID, "my-password").click()
    new = "viewer-new-pass-5678"

    # A wrong current password changes nothing and says so beside the form.
    browser.find_element(By.ID, "current-password").send_keys("not-my-password")
    browser.find_element(By.ID, "new-password").send_keys(new)
    browser.find_element(By.ID, "new-password-again").send_keys(new)
    button = browser.find_element(By.ID, "change-password")
    button.click()
    wait_for_next_page(browser, button)
    assert "지금 비밀번호가 맞지 않습니다" in browser.find_element(By.ID, "password-error").text
    assert _login_status(console, VIEWER) == 303

    browser.find_element(By.ID, "current-password").send_keys(VIEWER.password)
    browser.find_element(By.ID, "new-password").send_keys(new)
    browser.find_element(By.ID, "new-password-again").send_keys(new)
    button = browser.find_element(By.ID, "change-password")
    button.click()
    wait_for_next_page(browser, button)
    assert "비밀번호를 바꿨습니다" in browser.find_element(By.TAG_NAME, "main").text

    # The old password no longer signs in, the new one does; the session elsewhere has ended
    # and the browser's own stays open.
    assert _login_status(console, VIEWER) == 401
    assert _login_status(console, Account(VIEWER.name, new, VIEWER.role)) == 303
    assert (
        other_place.get(f"{console.url}/staff/", allow_redirects=False, timeout=10).status_code
        == 303
    )
    browser.get(console.url + "/staff/")
    assert "/staff/login" not in browser.current_url

    audit = _audit_csv(console)
    assert "staff.password_change" in audit
    assert "wrong current password" in audit
    assert new not in audit and VIEWER.password not in audit and "not-my-password" not in audit


def test_admin_resets_a_forgotten_password_and_lifts_the_lock(console: ServerProcess) -> None:
    held = signed_in_session(console, VIEWER)
    # The viewer forgot the password and locked the account guessing.
    for _ in range(6):
        _login_status(console, Account(VIEWER.name, "a-wrong-guess-123", VIEWER.role))
    assert _login_status(console, VIEWER) == 429

    admin = signed_in_session(console, ADMIN)
    accounts = admin.get(f"{console.url}/staff/accounts", timeout=10).text
    viewer_id = (
        accounts.split(f"{VIEWER.name}</strong>")[0].rsplit('id="account-', 1)[1].split('"')[0]
    )
    url = f"{console.url}/staff/accounts/{viewer_id}/password"

    short = _post(admin, url, password="short", password_again="short")
    assert short.status_code == 400 and "10자 이상" in short.text
    differ = _post(admin, url, password="handed-over-1234", password_again="handed-over-9999")
    assert differ.status_code == 400 and "두 번 입력한 비밀번호가 다릅니다" in differ.text

    new = "handed-over-1234"
    done = _post(admin, url, password=new, password_again=new)
    assert done.status_code == 200 and "비밀번호를 새로 정했습니다" in done.text
    assert held.get(f"{console.url}/staff/", allow_redirects=False, timeout=10).status_code == 303
    assert _login_status(console, Account(VIEWER.name, new, VIEWER.role)) == 303
    assert "staff.password_reset" in _audit_csv(console)
    assert new not in _audit_csv(console)


def test_resetting_a_password_is_refused_without_the_role_or_the_token(
    console: ServerProcess,
) -> None:
    admin = signed_in_session(console, ADMIN)
    accounts = admin.get(f"{console.url}/staff/accounts", timeout=10).text
    admin_id = (
        accounts.split(f"{ADMIN.name}</strong>")[0].rsplit('id="account-', 1)[1].split('"')[0]
    )
    url = f"{console.url}/staff/accounts/{admin_id}/password"
    viewer = signed_in_session(console, VIEWER)
    token = csrf_of(viewer.get(f"{console.url}/staff/password", timeout=10).text)
    taken = {"password": "taken-over-1234", "password_again": "taken-over-1234"}

    assert viewer.get(url, timeout=10).status_code == 403
    r = viewer.post(url, data={"csrf_token": token, **taken}, allow_redirects=False, timeout=10)
    assert r.status_code == 403
    # Without the token even an admin's session is refused (a forged cross-site form).
    r = admin.post(url, data=taken, allow_redirects=False, timeout=10)
    assert r.status_code == 403
    r = requests.post(url, data=taken, allow_redirects=False, timeout=10)
    assert r.status_code == 401
    assert _login_status(console, Account(ADMIN.name, "taken-over-1234", ADMIN.role)) == 401
    assert _login_status(console, ADMIN) == 303
