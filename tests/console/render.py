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
from tests.console.test_browser import wait_for_next_page
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


def _points(server: ServerProcess, tmp: Path) -> None:
    """포인트: residents who earned points at two 회현동 kiosks and asked for exchanges, waiting
    for minutes to a day; one handed over (지급 완료) and one refused (반려), both of the first
    resident, whose ledger the counter look-up shows."""
    from datetime import UTC, date, datetime, timedelta

    from server.db.models import PointExchange
    from tests.console.conftest import DONG, csrf_of
    from tests.server.civic import Kiosk, Resident, new_proposal, publish_pack, survey

    publish_pack(server, tmp)
    add_account(server, DONG, tmp)
    first = Kiosk(server, name="회현동 주민센터 1층 포인트 키오스크")
    second = Kiosk(server, name="회현동 경로당 키오스크")
    for kiosk in (first, second):
        _beat(server, kiosk.device.headers, dong="hoehyeon")
    shown = Resident(phone="01024681357", birth=date(1949, 11, 2))
    asks = [(first, shown, 30_000, [10_000, 10_000, 10_000])]
    asks += [(second, Resident(), 20_000, [20_000]), (first, Resident(), 12_000, [10_000])]
    asks += [(second, Resident(), 10_000, [10_000]), (first, Resident(), 30_000, [30_000])]
    for kiosk, resident, earned, spends in asks:
        items = [
            kiosk.envelope("proposal", new_proposal("hoehyeon"), resident)
            for _ in range(earned // 2_000)
        ]
        items.append(kiosk.envelope("survey_response", survey(), resident))
        kiosk.send(*items)
        for points in spends:
            kiosk.send_one("points_exchange", {"points": points}, resident)
    waits = [timedelta(hours=30), timedelta(hours=27), timedelta(hours=3, minutes=12)]
    waits += [timedelta(minutes=48)]
    waits += [timedelta(minutes=9), timedelta(minutes=2), timedelta(seconds=40)]
    with server.database() as db, db.write() as session:
        for x, wait in zip(
            session.query(PointExchange).order_by(PointExchange.id), waits, strict=False
        ):
            x.requested_at = datetime.now(UTC) - wait
    http = signed_in_session(server, DONG)
    page = http.get(f"{server.url}/staff/points", timeout=10).text
    ids = sorted(int(part.split('"', 1)[0]) for part in page.split('id="exchange-')[1:])
    token = csrf_of(page)
    http.post(
        f"{server.url}/staff/points/exchanges/{ids[0]}/fulfil",
        data={"csrf_token": token, "certificate": "JG-2026-004127"},
        timeout=10,
    )
    http.post(
        f"{server.url}/staff/points/exchanges/{ids[1]}/refuse",
        data={"csrf_token": token, "reason": "주민이 방문해 신청을 취소함"},
        timeout=10,
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
            _points(server, data)
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
                    go("/staff/points", "points")
                    browser.set_window_size(width, height)
                    browser.find_element(By.ID, "lookup-phone").send_keys("010-2468-1357")
                    browser.find_element(By.ID, "lookup-birth").send_keys("1949.11.02")
                    submit = browser.find_element(By.ID, "lookup-submit")
                    submit.click()
                    wait_for_next_page(browser, submit)
                    _shoot(browser, out / f"points-lookup-{width}x{height}.png")
                    browser.find_element(By.ID, "lookup-phone").send_keys("010-2468")
                    browser.find_element(By.ID, "lookup-birth").send_keys("19490231")
                    submit = browser.find_element(By.ID, "lookup-submit")
                    submit.click()
                    wait_for_next_page(browser, submit)
                    _shoot(browser, out / f"points-problem-{width}x{height}.png")
                    saved += [
                        out / f"points-lookup-{width}x{height}.png",
                        out / f"points-problem-{width}x{height}.png",
                    ]
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
