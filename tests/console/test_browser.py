"""The staff console in a real browser (headless chromium) against a real server process:
login, lockout, roles, the fleet with a real device's heartbeat, enrolment codes, approval,
revocation, and the audit log of all of it."""

from __future__ import annotations

import csv
import io
from typing import Any

import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.console.conftest import (
    ADMIN,
    VIEWER,
    Account,
    add_account,
    csrf_of,
    page_errors,
    signed_in_session,
)
from tests.server.process import ServerProcess

WAIT_S = 10


def wait_for_next_page(browser: Any, element: Any) -> None:
    """Wait until `element`'s page has been replaced by the next one and that one has loaded."""

    def gone(_driver: Any) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:
            # Stale, or (during the navigation) "node does not belong to the document".
            return True
        return False

    WebDriverWait(browser, WAIT_S).until(gone)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def click_through(browser: Any, element_id: str) -> None:
    """Click the button or link `element_id`, which leads to a new page, and wait for it."""
    element = browser.find_element(By.ID, element_id)
    element.click()
    wait_for_next_page(browser, element)


def type_into(browser: Any, element_id: str, text: str) -> None:
    """Type `text` into the field `element_id` in place of what it held."""
    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def sign_in(
    browser: Any, server: ServerProcess, account: Account, next_path: str = "/staff/"
) -> None:
    browser.get(server.url + next_path)
    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_contains("/staff/login"))
    browser.find_element(By.ID, "name").send_keys(account.name)
    browser.find_element(By.ID, "password").send_keys(account.password)
    button = browser.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    button.click()
    # The answer is a new page: wait until the old one is gone before reading anything.
    wait_for_next_page(browser, button)


def text_of(browser: Any) -> str:
    return str(browser.find_element(By.TAG_NAME, "body").text)


def heartbeat(server: ServerProcess, headers: dict[str, str], **fields: Any) -> None:
    body = {
        "app_version": "0.9.1",
        "content_version": "2026.11.25-demo",
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 120.0,
        **fields,
    }
    r = requests.post(f"{server.api}/devices/heartbeat", json=body, headers=headers, timeout=10)
    assert r.status_code == 200, r.text


def test_login_leads_to_the_page_asked_for_and_logout_ends_the_session(
    console: ServerProcess, browser: Any
) -> None:
    sign_in(browser, console, ADMIN, "/staff/devices")

    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_contains("/staff/devices"))
    assert ADMIN.name in text_of(browser)
    assert "관리자" in text_of(browser)
    cookie = browser.get_cookie("ontong_staff")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"

    logout = browser.find_element(By.XPATH, "//button[text()='로그아웃']")
    logout.click()
    wait_for_next_page(browser, logout)
    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_contains("/staff/login"))
    browser.get(console.url + "/staff/")
    assert "/staff/login" in browser.current_url


def test_wrong_passwords_lock_the_login_even_for_the_right_one(
    console: ServerProcess, browser: Any, tmp_path: Any
) -> None:
    target = Account("잠금시험", "locked-pass-1234", "viewer")
    add_account(console, target, tmp_path)
    wrong = Account(target.name, "not-the-password", "viewer")

    for _ in range(5):
        sign_in(browser, console, wrong)
        assert "이름 또는 비밀번호가 맞지 않습니다" in text_of(browser)
    sign_in(browser, console, target)

    assert "잠시 잠겼습니다" in text_of(browser)
    assert "/staff/login" in browser.current_url
    # The lock is the server's, not the browser's: a new client is refused too (429).
    form = requests.Session()
    page = form.get(f"{console.url}/staff/login", timeout=10)
    r = form.post(
        f"{console.url}/staff/login",
        data={"name": target.name, "password": target.password, "csrf_token": csrf_of(page.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert r.status_code == 429


def test_a_viewer_is_refused_an_admin_page(console: ServerProcess, browser: Any) -> None:
    sign_in(browser, console, VIEWER)
    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_to_be(console.url + "/staff/"))
    assert "감사 기록" not in text_of(browser)

    browser.get(console.url + "/staff/audit")

    assert "권한이 없습니다" in text_of(browser)
    assert signed_in_session(console, VIEWER).get(f"{console.url}/staff/audit").status_code == 403


def test_the_fleet_page_shows_an_enrolled_device_and_its_heartbeat(
    console: ServerProcess, browser: Any
) -> None:
    device = console.enroll(name="명동 주민센터 2층", approve=False)
    heartbeat(
        console,
        device.headers,
        queue_depth=3,
        oldest_pending_s=600.0,
        last_error="서버에 연결할 수 없음",
    )

    sign_in(browser, console, ADMIN, "/staff/devices")
    row = WebDriverWait(browser, WAIT_S).until(
        expected_conditions.presence_of_element_located((By.ID, f"device-{device.device_id}"))
    )

    text = row.text
    assert "명동 주민센터 2층" in text
    assert "승인 대기" in text
    assert "0.9.1" in text and "2026.11.25-demo" in text
    assert "3건" in text and "가장 오래된 것 10분" in text
    assert "서버에 연결할 수 없음" in text
    assert "연결됨" in text and "오프라인" not in text
    # htmx runs (from this server) and nothing was refused by the page's policy.
    assert browser.execute_script("return typeof htmx") == "object"
    assert page_errors(browser) == []


def test_a_code_made_in_the_page_enrols_a_device_that_staff_approve_and_revoke(
    console: ServerProcess, browser: Any
) -> None:
    sign_in(browser, console, ADMIN, "/staff/devices")
    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_contains("/staff/devices"))
    browser.find_element(By.NAME, "note").send_keys("을지로동 로비")
    create = browser.find_element(By.ID, "create-code")
    create.click()
    wait_for_next_page(browser, create)
    code = (
        WebDriverWait(browser, WAIT_S)
        .until(expected_conditions.presence_of_element_located((By.ID, "enrolment-code")))
        .text
    )

    r = requests.post(
        f"{console.api}/devices/enroll",
        json={
            "enrollment_code": code,
            "name": "을지로동 로비",
            "mode": "board",
            "app_version": "1",
        },
        timeout=10,
    )
    assert r.status_code == 200, r.text
    device_id = r.json()["device_id"]
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    heartbeat(console, headers, mode="board")

    browser.get(console.url + "/staff/devices")
    row = browser.find_element(By.ID, f"device-{device_id}")
    assert "승인 대기" in row.text and "전광판" in row.text
    row.find_element(By.XPATH, ".//button[text()='승인']").click()
    wait_for_next_page(browser, row)
    row = WebDriverWait(browser, WAIT_S).until(
        expected_conditions.presence_of_element_located((By.ID, f"device-{device_id}"))
    )
    assert "승인 대기" not in row.text

    row.find_element(By.LINK_TEXT, "회수").click()
    wait_for_next_page(browser, row)
    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_contains("/revoke"))
    assert "되돌릴 수 없습니다" in text_of(browser)
    confirm = browser.find_element(By.ID, "confirm-revoke")
    confirm.click()
    wait_for_next_page(browser, confirm)
    row = WebDriverWait(browser, WAIT_S).until(
        expected_conditions.presence_of_element_located((By.ID, f"device-{device_id}"))
    )
    assert "회수됨" in row.text
    refused = requests.post(
        f"{console.api}/devices/heartbeat",
        json={
            "app_version": "1",
            "content_version": None,
            "queue_depth": 0,
            "mode": "board",
            "uptime_s": 1.0,
        },
        headers=headers,
        timeout=10,
    )
    assert refused.status_code == 403
    # The code was single use.
    again = requests.post(
        f"{console.api}/devices/enroll",
        json={"enrollment_code": code, "name": "x", "mode": "kiosk", "app_version": "1"},
        timeout=10,
    )
    assert again.status_code == 403


def test_the_audit_log_holds_each_staff_action(
    console: ServerProcess, browser: Any, tmp_path: Any
) -> None:
    actor = Account("감사시험", "audit-pass-1234", "admin")
    add_account(console, actor, tmp_path)
    http = requests.Session()
    page = http.get(f"{console.url}/staff/login", timeout=10)
    failed = http.post(
        f"{console.url}/staff/login",
        data={"name": actor.name, "password": "wrong-password", "csrf_token": csrf_of(page.text)},
        timeout=10,
    )
    assert failed.status_code == 401
    http = signed_in_session(console, actor)
    token = csrf_of(http.get(f"{console.url}/staff/devices", timeout=10).text)
    made = http.post(f"{console.url}/staff/devices/codes", data={"csrf_token": token}, timeout=10)
    assert made.status_code == 200
    device = console.enroll(name="감사 기기", approve=False)
    for step in ("approve", "revoke"):
        r = http.post(
            f"{console.url}/staff/devices/{device.device_id}/{step}",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=10,
        )
        assert r.status_code == 303, r.text
    http.post(f"{console.url}/staff/logout", data={"csrf_token": token}, timeout=10)

    sign_in(browser, console, ADMIN, "/staff/audit")
    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_contains("/staff/audit"))
    shown = text_of(browser)
    csv_text = signed_in_session(console, ADMIN).get(f"{console.url}/staff/audit.csv").text
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))

    mine = {(r["action"], r["target"]) for r in rows if r["actor"] == actor.name}
    assert ("login.success", f"staff:{actor.name}") in mine
    # Before a login succeeds nobody is known: the name typed is the target.
    assert any(
        r["action"] == "login.failure" and r["target"] == f"staff:{actor.name}" and not r["actor"]
        for r in rows
    )
    assert ("enrolment_code.create", "") in mine
    assert ("device.approve", f"device:{device.device_id}") in mine
    assert ("device.revoke", f"device:{device.device_id}") in mine
    assert ("logout", f"staff:{actor.name}") in mine
    assert any(r["action"] == "staff.add" and r["target"] == f"staff:{actor.name}" for r in rows)
    assert all(r["client"] for r in rows)
    for label in (
        "로그인 실패",
        "등록 코드 발급",
        "기기 승인",
        "기기 회수",
        "로그아웃",
        "직원 계정 추가",
    ):
        assert label in shown
    assert f"기기 {device.device_id}" in shown
    # No enrolment code is ever in the log, only that one was made.
    assert "code" not in "".join(r["after"] for r in rows if r["action"] == "enrolment_code.create")

    # The filter: this actor's device actions only, on the page and in its CSV.
    browser.find_element(By.ID, "filter-actor").send_keys(actor.name)
    Select(browser.find_element(By.ID, "filter-group")).select_by_visible_text("기기")
    button = browser.find_element(By.ID, "filter-apply")
    button.click()
    wait_for_next_page(browser, button)
    cells = [
        c.text for c in browser.find_elements(By.CSS_SELECTOR, "table.audit tbody td:nth-child(3)")
    ]
    assert sorted(cells) == ["기기 승인", "기기 회수"]
    filtered_csv = signed_in_session(console, ADMIN).get(
        browser.find_element(By.ID, "audit-csv").get_attribute("href"), timeout=10
    )
    filtered = list(csv.DictReader(io.StringIO(filtered_csv.text.lstrip("\ufeff"))))
    assert {r["action"] for r in filtered} == {"device.approve", "device.revoke"}
    # A date that cannot be read says so instead of showing everything.
    browser.get(f"{console.url}/staff/audit?from=2026-13-40")
    assert "날짜는 2026-12-06처럼" in text_of(browser)


def test_an_admin_adds_an_account_in_the_page_and_disables_it(
    console: ServerProcess, browser: Any
) -> None:
    sign_in(browser, console, ADMIN, "/staff/accounts")
    WebDriverWait(browser, WAIT_S).until(expected_conditions.url_contains("/staff/accounts"))
    new = Account("최신입", "new-staff-pass-1", "viewer")
    browser.find_element(By.ID, "new-name").send_keys(new.name)
    browser.find_element(By.ID, "new-password").send_keys(new.password)
    browser.find_element(By.ID, "new-password-again").send_keys("a different one!")
    submit = browser.find_element(By.ID, "add-account")
    submit.click()
    wait_for_next_page(browser, submit)
    assert "두 번 입력한 비밀번호가 다릅니다" in text_of(browser)

    browser.find_element(By.ID, "new-password").send_keys(new.password)
    browser.find_element(By.ID, "new-password-again").send_keys(new.password)
    submit = browser.find_element(By.ID, "add-account")
    submit.click()
    wait_for_next_page(browser, submit)
    assert f"{new.name} 계정을 추가했습니다" in text_of(browser)
    newcomer = signed_in_session(console, new)

    row = browser.find_element(By.XPATH, f"//tr[td/strong[text()='{new.name}']]")
    row.find_element(By.LINK_TEXT, "사용 중지").click()
    wait_for_next_page(browser, row)
    confirm = browser.find_element(By.ID, "confirm-disable")
    confirm.click()
    wait_for_next_page(browser, confirm)
    row = browser.find_element(By.XPATH, f"//tr[td/strong[text()='{new.name}']]")
    assert "사용 중지" in row.text

    # The disabled account's open session ended.
    assert newcomer.get(f"{console.url}/staff/", allow_redirects=False).status_code == 303
    audit_csv = signed_in_session(console, ADMIN).get(f"{console.url}/staff/audit.csv").text
    added = [line for line in audit_csv.splitlines() if f"staff.add,staff:{new.name}" in line]
    assert len(added) == 1 and ADMIN.name in added[0] and "127.0.0.1" in added[0]
    assert f"staff.disable,staff:{new.name}" in audit_csv
