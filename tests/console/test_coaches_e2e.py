"""코치 end to end: an admin adds a coach in a real browser (headless chromium); a real kiosk
window with the app's real sync worker (a plain thread, against a real server process) hears of
it at its next heartbeat and the coach starts a coached session by keypad taps. The admin
resets the PIN: after the next heartbeat the old PIN is refused and the new one works. The
admin revokes the coach: after the next heartbeat the open session ends and the coach cannot
sign in. The audit log holds all three, and no PIN."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from kiosk.store.coaches import CoachStore
from kiosk.ui.shell import KioskWindow
from tests.console.conftest import ADMIN, add_account, page_errors, signed_in_session
from tests.console.test_browser import sign_in, text_of, wait_for_next_page
from tests.helpers.live_kiosk import live_kiosk, quick_sync
from tests.helpers.resident import find, on, shown, tap, tap_name
from tests.server.process import ServerProcess, start_server

# A heartbeat every 2 s (production: 60 s), so "at the next heartbeat" is seconds away.
TUNING = quick_sync(heartbeat_every_s=2.0)
KIOSK_HEARS_MS = 15_000
DEMO_PACK = Path(__file__).resolve().parents[2] / "assets" / "demo"
CODE, NAME, PIN = "4101", "서코치", "7294"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    running = start_server(tmp_path / "server")
    add_account(running, ADMIN, tmp_path)
    # The demo pack, with its demo coaches (1001, 1002) in it.
    running.cli("publish", str(DEMO_PACK))
    yield running
    running.stop()


@pytest.fixture
def kiosk(qtbot: Any, server: ServerProcess, tmp_path: Path) -> Iterator[KioskWindow]:
    """An enrolled, approved kiosk window (not in demo mode) with the app's real sync worker."""
    with live_kiosk(
        qtbot,
        server,
        tmp_path / "kiosk",
        name="명동 키오스크",
        dong="myeong",
        tuning=TUNING,
        wait_ms=KIOSK_HEARS_MS,
    ) as window:
        yield window


def press(qtbot: Any, window: KioskWindow, digits: str) -> None:
    for digit in digits:
        tap_name(qtbot, window, f"key_{digit}")


def coach_taps(qtbot: Any, window: KioskWindow, code: str, pin: str) -> None:
    """Five quick taps on 온통중구, 코치 로그인, the code, 확인, the PIN, 확인."""
    tap(qtbot, window.home_button)
    for _ in range(5):
        tap(qtbot, find(window, "brand"))
    tap_name(qtbot, window, "coachEntry")
    assert on(window) == "coach_sign_in"
    press(qtbot, window, code)
    tap_name(qtbot, window, "key_확인")
    press(qtbot, window, pin)
    tap_name(qtbot, window, "key_확인")


def kept(window: KioskWindow) -> dict[str, tuple[str | None, bool]]:
    """The coaches the kiosk keeps: code -> (PIN hash, revoked)."""
    return {c.code: (c.pin_hash, c.revoked) for c in CoachStore(window.ctx.db).coaches()}


def submit(browser: Any, css: str) -> None:
    button = browser.find_element(By.CSS_SELECTOR, css)
    button.click()
    wait_for_next_page(browser, button)


def test_coaches_managed_on_the_console_reach_the_kiosk_at_its_next_heartbeat(
    qtbot: Any, server: ServerProcess, kiosk: KioskWindow, browser: Any, tmp_path: Path
) -> None:
    # The demo pack's coach (1001) is no credential on a real device.
    assert any(c.code == "1001" for c in kiosk.ctx.pack.coaches)
    coach_taps(qtbot, kiosk, "1001", "246810")
    assert kiosk.coach.session is None

    # 추가, with the PIN typed twice.
    sign_in(browser, server, ADMIN, "/staff/coaches")
    assert "아직 등록한 코치가 없습니다" in text_of(browser)
    browser.find_element(By.ID, "new-code").send_keys(CODE)
    browser.find_element(By.ID, "new-name").send_keys(NAME)
    browser.find_element(By.ID, "new-pin").send_keys(PIN)
    browser.find_element(By.ID, "new-pin-again").send_keys(PIN)
    submit(browser, "#add-coach")
    assert browser.find_element(By.ID, "coach-pin").text == PIN  # shown once
    assert "사용 중" in browser.find_element(By.ID, f"coach-{CODE}").text
    browser.save_screenshot(str(tmp_path / "coaches-added-1366x768.png"))

    # The kiosk hears of it at its next heartbeat; the coach signs in by taps.
    qtbot.waitUntil(lambda: CODE in kept(kiosk), timeout=KIOSK_HEARS_MS)
    coach_taps(qtbot, kiosk, CODE, PIN)
    assert on(kiosk) == "coach_panel"
    assert find(kiosk, "coachBanner").text() == f"코치와 함께 · {NAME}"
    tap_name(qtbot, kiosk, "endCoaching")
    assert kiosk.coach.session is None

    # PIN 재설정, generated: the old PIN is refused after the next heartbeat, the new works.
    old_hash = kept(kiosk)[CODE][0]
    browser.find_element(By.ID, f"reset-{CODE}").click()
    browser.find_element(By.ID, "reset-generate").click()
    submit(browser, "#confirm-reset")
    new_pin = browser.find_element(By.ID, "coach-pin").text
    assert len(new_pin) == 6 and new_pin.isdigit() and new_pin != PIN
    qtbot.waitUntil(lambda: kept(kiosk)[CODE][0] != old_hash, timeout=KIOSK_HEARS_MS)
    coach_taps(qtbot, kiosk, CODE, PIN)
    assert kiosk.coach.session is None and on(kiosk) == "coach_sign_in"
    assert "코치 번호나 비밀번호가 맞지 않습니다" in find(kiosk, "coachMessage").text()
    coach_taps(qtbot, kiosk, CODE, new_pin)
    assert on(kiosk) == "coach_panel" and kiosk.coach.session is not None

    # 사용 중지 while the coach is signed in: the session ends at the next heartbeat, the menu
    # closes, and the coach cannot sign in again.
    ended: list[str] = []
    kiosk.coach.ended.connect(ended.append)
    browser.find_element(By.ID, f"revoke-{CODE}").click()
    submit(browser, "#confirm-revoke")
    assert "사용 중지" in browser.find_element(By.ID, f"coach-{CODE}").text
    qtbot.waitUntil(lambda: kiosk.coach.session is None, timeout=KIOSK_HEARS_MS)
    assert on(kiosk) == "home" and not shown(kiosk, "coachBanner")
    assert ended == ["revoked"]
    coach_taps(qtbot, kiosk, CODE, new_pin)
    assert kiosk.coach.session is None
    assert "사용이 중지되었습니다" in find(kiosk, "coachMessage").text()
    assert page_errors(browser) == []
    # Both sessions' records reach the server (the second one "revoked"), none refused.
    kiosk.sync.sync_now()
    qtbot.waitUntil(
        lambda: json.loads(server.cli("coaching", "--json").stdout)["sessions"] == 2,
        timeout=KIOSK_HEARS_MS,
    )
    assert kiosk.ctx.outbox.dead_letters() == []

    # The audit log: all three by the admin, and no PIN nor its hash.
    audit = signed_in_session(server, ADMIN).get(f"{server.url}/staff/audit.csv", timeout=10)
    lines = [line for line in audit.text.splitlines() if f"coach:{CODE}" in line]
    assert [line.split(",")[2:4] for line in lines] == [
        [ADMIN.name, "coach.add"],
        [ADMIN.name, "coach.reset_pin"],
        [ADMIN.name, "coach.revoke"],
    ]
    assert PIN not in audit.text and new_pin not in audit.text and "scrypt" not in audit.text
    browser.get(f"{server.url}/staff/audit")
    assert "코치 PIN 재설정" in text_of(browser) and new_pin not in text_of(browser)
