"""Render every console page in the real browser at 1366×768 and 1920×1080, for a person to
look at: ``python -m tests.console.render out/console``.

It starts a server on a fresh data folder, adds staff, enrols devices (one with a heartbeat and
pending envelopes, one waiting for approval, one silent past the offline limit, one revoked)
and saves a full-page PNG of each page per size.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import requests
from selenium.webdriver.common.by import By

from tests.console.conftest import ADMIN, VIEWER, add_account, new_browser, signed_in_session
from tests.server.process import ServerProcess, start_server

SIZES = ((1366, 768), (1920, 1080))


def _beat(server: ServerProcess, headers: dict[str, str], **fields: Any) -> None:
    body = {
        "app_version": "0.9.1",
        "content_version": "2026.11.25-demo",
        "queue_depth": 0,
        "mode": "kiosk",
        "uptime_s": 3600.0,
        **fields,
    }
    requests.post(f"{server.api}/devices/heartbeat", json=body, headers=headers, timeout=10)


def _fleet(server: ServerProcess) -> None:
    http = signed_in_session(server, ADMIN)
    busy = server.enroll(name="회현동 주민센터 1층 키오스크", approve=False)
    _beat(
        server,
        busy.headers,
        dong="hoehyeon",
        queue_depth=12,
        oldest_pending_s=5400.0,
        last_error="서버에 연결할 수 없습니다 (시간 초과)",
    )
    board = server.enroll(name="명동 주민센터 로비 전광판", mode="board", approve=False)
    _beat(server, board.headers, mode="board")
    server.enroll(name="을지로동 주민센터 키오스크", approve=False)
    gone = server.enroll(name="소공동 임시 키오스크", approve=False)
    from tests.console.conftest import csrf_of

    token = csrf_of(http.get(f"{server.url}/staff/devices", timeout=10).text)
    for device in (busy, board, gone):
        http.post(
            f"{server.url}/staff/devices/{device.device_id}/approve",
            data={"csrf_token": token},
            timeout=10,
        )
    http.post(
        f"{server.url}/staff/devices/{gone.device_id}/revoke",
        data={"csrf_token": token},
        timeout=10,
    )
    _calls(server, http, busy)


def _calls(server: ServerProcess, http: requests.Session, busy: Any) -> None:
    """직원 호출: one waiting for 4 minutes, called twice; one acknowledged (가는 중)."""
    from datetime import UTC, datetime, timedelta

    from tests.console.conftest import csrf_of
    from tests.server.conftest import envelope

    def call(device: Any, seq: int, screen: str, ago: timedelta) -> None:
        item = envelope(
            seq,
            kind="staff_call",
            content_version=None,
            payload={"screen": screen},
            created_at=(datetime.now(UTC) - ago).isoformat(),
        )
        requests.post(
            f"{server.api}/submissions/batch", json={"items": [item]}, headers=device.headers,
            timeout=10,
        )  # fmt: skip

    call(busy, 1, "survey_question", timedelta(minutes=4, seconds=10))
    call(busy, 2, "survey_question", timedelta(minutes=1))
    second = server.enroll(name="회현동 주민센터 2층 키오스크")
    _beat(server, second.headers, dong="hoehyeon")
    call(second, 1, "budget_projects", timedelta(seconds=95))
    page = http.get(f"{server.url}/staff/calls", timeout=10).text
    newest = max(int(part.split('"', 1)[0]) for part in page.split('id="call-')[1:])
    http.post(
        f"{server.url}/staff/calls/{newest}/acknowledge",
        data={"csrf_token": csrf_of(page)},
        timeout=10,
    )


COACHES = (
    ("1001", "김영희", "active"),
    ("1002", "이순자", "revoked"),
    ("1003", "박정호", "reset"),
    ("1004", "최미경", "active"),
    ("1005", "정우성", "active"),
    ("1006", "한가람", "revoked"),
    ("1007", "오세진", "active"),
)


def _coaches(server: ServerProcess, data: Path) -> None:
    """코치: the district's digital coaches, added on the console by the admin (one on the
    command line), two of them revoked and one given a new PIN."""
    from tests.console.conftest import csrf_of

    http = signed_in_session(server, ADMIN)
    for code, name, state in COACHES:
        token = csrf_of(http.get(f"{server.url}/staff/coaches", timeout=10).text)
        pin = f"{int(code) * 7 % 10000:04d}"
        if code == "1005":
            pin_file = data / "coach-pin"
            pin_file.write_text(pin + "\n", encoding="utf-8")
            server.cli("coach", "add", code, name, "--pin-file", str(pin_file))
        else:
            http.post(
                f"{server.url}/staff/coaches",
                data={"csrf_token": token, "code": code, "name": name, "pin": pin,
                      "pin_again": pin},
                timeout=30,
            )  # fmt: skip
        if state == "revoked":
            http.post(
                f"{server.url}/staff/coaches/{code}/revoke", data={"csrf_token": token}, timeout=10
            )
        elif state == "reset":
            http.post(
                f"{server.url}/staff/coaches/{code}/reset-pin",
                data={"csrf_token": token, "generate_pin": "yes"},
                timeout=30,
            )


def _shoot(browser: Any, path: Path) -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    width = browser.execute_script("return window.innerWidth")
    browser.set_window_size(width, max(height, 400) + 140)
    browser.save_screenshot(str(path))


def render(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        server = start_server(data / "server", None, "--offline-after", "2s")
        try:
            add_account(server, ADMIN, data)
            add_account(server, VIEWER, data)
            _fleet(server)
            _coaches(server, data)
            for width, height in SIZES:
                browser = new_browser(width, height)
                try:

                    def go(
                        path: str,
                        name: str,
                        browser: Any = browser,
                        width: int = width,
                        height: int = height,
                        saved: list[Path] = saved,
                    ) -> None:
                        browser.set_window_size(width, height)
                        browser.get(server.url + path)
                        target = out / f"{name}-{width}x{height}.png"
                        _shoot(browser, target)
                        saved.append(target)

                    go("/staff/login", "login")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "name").send_keys(ADMIN.name)
                    browser.find_element(By.ID, "password").send_keys("wrong-password")
                    browser.find_element(By.CSS_SELECTOR, "form button").click()
                    _shoot(browser, out / f"login-error-{width}x{height}.png")
                    saved.append(out / f"login-error-{width}x{height}.png")
                    browser.find_element(By.ID, "name").send_keys(ADMIN.name)
                    browser.find_element(By.ID, "password").send_keys(ADMIN.password)
                    browser.find_element(By.CSS_SELECTOR, "form button").click()
                    go("/staff/", "home")
                    go("/staff/calls", "calls")
                    go("/staff/devices", "devices")
                    browser.set_window_size(width, height)
                    browser.find_element(By.NAME, "note").send_keys("중림동 주민센터 2층")
                    browser.find_element(By.ID, "create-code").click()
                    _shoot(browser, out / f"devices-code-{width}x{height}.png")
                    saved.append(out / f"devices-code-{width}x{height}.png")
                    row = browser.find_elements(By.LINK_TEXT, "회수")[0]
                    go(row.get_attribute("href").removeprefix(server.url), "revoke")
                    go("/staff/accounts", "accounts")
                    viewer_row = browser.find_elements(By.LINK_TEXT, "사용 중지")[0]
                    go(viewer_row.get_attribute("href").removeprefix(server.url), "disable")
                    go("/staff/coaches", "coaches")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "new-code").send_keys(f"2{width}")
                    browser.find_element(By.ID, "new-name").send_keys("윤서연")
                    browser.find_element(By.ID, "new-generate").click()
                    browser.find_element(By.ID, "add-coach").click()
                    _shoot(browser, out / f"coaches-added-{width}x{height}.png")
                    saved.append(out / f"coaches-added-{width}x{height}.png")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "new-code").send_keys("12")
                    browser.find_element(By.ID, "new-name").send_keys("임시")
                    browser.find_element(By.ID, "new-pin").send_keys("1234")
                    browser.find_element(By.ID, "new-pin-again").send_keys("1243")
                    browser.find_element(By.ID, "add-coach").click()
                    _shoot(browser, out / f"coaches-error-{width}x{height}.png")
                    saved.append(out / f"coaches-error-{width}x{height}.png")
                    go("/staff/coaches/1004/reset-pin", "coach-reset")
                    go("/staff/coaches/1004/revoke", "coach-revoke")
                    go("/staff/audit", "audit")
                finally:
                    browser.quit()
                viewer = new_browser(width, height)
                try:
                    viewer.get(server.url + "/staff/login")
                    viewer.find_element(By.ID, "name").send_keys(VIEWER.name)
                    viewer.find_element(By.ID, "password").send_keys(VIEWER.password)
                    viewer.find_element(By.CSS_SELECTOR, "form button").click()
                    _shoot(viewer, out / f"home-viewer-{width}x{height}.png")
                    viewer.get(server.url + "/staff/audit")
                    _shoot(viewer, out / f"refused-viewer-{width}x{height}.png")
                    saved += [
                        out / f"home-viewer-{width}x{height}.png",
                        out / f"refused-viewer-{width}x{height}.png",
                    ]
                finally:
                    viewer.quit()
        finally:
            server.stop()
    return saved


if __name__ == "__main__":
    for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else "out/console")):
        print(path)
