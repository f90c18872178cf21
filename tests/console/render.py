"""Render every console page in the real browser at 1366×768 and 1920×1080, for a person to
look at: ``python -m tests.console.render out/console``.

It starts a server on a fresh data folder, adds staff, enrols devices (one with a heartbeat and
pending envelopes, one waiting for approval, one silent past the offline limit, one revoked),
publishes the demo pack and sends a year of participation, a week of proof of play from six
boards and kiosks, and coached sessions (보고서), and saves a full-page PNG of each page per size.
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


def _reports(server: ServerProcess, tmp: Path) -> None:
    """보고서: a year of participation, a week of proof of play, coached sessions."""
    import random
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from tests.server.civic import Kiosk, Resident, agree, ballot, new_proposal, publish_pack

    kst = ZoneInfo("Asia/Seoul")
    now = datetime.now(UTC)
    year = now.astimezone(kst).year
    new_year = datetime(year, 1, 1, tzinfo=kst)

    def whole_year(manifest: dict[str, Any]) -> None:
        for item in [*manifest["surveys"], *manifest["contests"], manifest["budget"]]:
            item["opens_at"] = new_year.isoformat()
            item["closes_at"] = datetime(year + 1, 2, 1, tzinfo=kst).isoformat()

    manifest = publish_pack(server, tmp / "packs", change=whole_year)
    rng = random.Random(15)
    places = [
        ("회현동 주민센터 1층 키오스크", "hoehyeon", "kiosk"),
        ("명동 주민센터 키오스크", "myeong", "kiosk"),
        ("신당동 주민센터 키오스크", "sindang", "kiosk"),
        ("회현동 주민센터 로비 전광판", "hoehyeon", "board"),
        ("명동 주민센터 전광판", "myeong", "board"),
        ("중구청 민원실 전광판", "sogong", "board"),
    ]
    devices = []
    for name, dong, mode in places:
        device = Kiosk(server, name, mode=mode)
        _beat(server, device.device.headers, dong=dong, mode=mode)
        devices.append((device, dong, mode))
    months = max(1, now.astimezone(kst).month)

    def when() -> str:
        month = rng.randint(1, months)
        day = datetime(year, month, rng.randint(1, 28), rng.randint(9, 17), tzinfo=kst)
        return min(day, now - timedelta(hours=1)).isoformat()

    surveys = [s["id"] for s in manifest["surveys"]]
    proposals = ["crosswalk-sindang", "busking-myeong", "bus-cheonggu", "speed-bump-dasan"]
    for device, dong, _ in devices[:3]:
        items = [
            device.envelope("proposal", new_proposal(dong), created_at=when())
            for _ in range(rng.randint(3, 6))
        ]
        items += [
            device.envelope(
                "survey_response",
                {"survey_id": rng.choice(surveys), "answers": {"age": "70s"}},
                created_at=when(),
            )
            for _ in range(rng.randint(25, 40))
        ]
        items += [
            device.envelope("proposal_agree", agree(rng.choice(proposals)), Resident())
            for _ in range(rng.randint(8, 14))
        ]
        items += [
            device.envelope("ballot", ballot("sogong", "sogong-benches"), Resident())
            for _ in range(rng.randint(4, 8))
        ]
        items.append(device.envelope("proposal", new_proposal(dong), practice=True))
        device.send(*items)
    promotions = [p["id"] for p in manifest["promotions"]][:6]
    today = now.astimezone(kst).date()
    for device, _, mode in devices:
        items = []
        for back in range(1, 8):
            day = today - timedelta(days=back)
            for at in range(9, 21):
                start = datetime(day.year, day.month, day.day, at, tzinfo=kst)
                shown = rng.sample(promotions, 4)
                payload = {
                    "hour_start": start.astimezone(UTC).isoformat(),
                    "mode": mode,
                    "items": [
                        {"item_id": i, "count": (n := rng.randint(4, 9)), "seconds": n * 10.0}
                        for i in shown
                    ],
                }
                items.append(device.envelope("play_stats", payload))
        device.send(*items)
    lessons = [(x["id"], [s["id"] for s in x["steps"]]) for x in manifest["lessons"]]
    for code, device in (("1001", devices[0][0]), ("1002", devices[1][0]), ("1003", devices[2][0])):
        items = []
        for _ in range(rng.randint(3, 7)):
            ended = now - timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 5))
            minutes = rng.randint(20, 90)
            done = rng.sample(lessons, 2)
            items.append(
                device.envelope(
                    "coach_session",
                    {
                        "coach_code": code,
                        "started_at": max(ended - timedelta(minutes=minutes), new_year).isoformat(),
                        "ended_at": ended.isoformat(),
                        "ended_by": "coach",
                        "residents_taught": (taught := rng.randint(1, 4)),
                        "visits": taught,
                        "practice_submissions": rng.randint(0, 6),
                        "lessons_completed": [
                            {"lesson_id": lesson, "stage": stage}
                            for lesson, _ in done
                            for stage in rng.sample(["watch", "follow", "alone", "real"], 3)
                        ],
                        "steps": [
                            {
                                "lesson_id": lesson,
                                "step_id": step,
                                "attempts": rng.randint(1, 5),
                                "seconds": rng.uniform(5, 60),
                                "wrong_taps": rng.randint(0, 6),
                            }
                            for lesson, steps in done
                            for step in steps
                        ],
                    },
                )
            )
        device.send(*items)


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
            _reports(server, data)
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
                    go("/staff/reports", "reports")
                    go("/staff/reports/play", "reports-play")
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
                    viewer.get(server.url + "/staff/reports")
                    _shoot(viewer, out / f"reports-viewer-{width}x{height}.png")
                    saved += [
                        out / f"reports-viewer-{width}x{height}.png",
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
