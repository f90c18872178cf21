"""직원 호출 end to end: a resident taps 직원 호출 at a real kiosk window (its real sync worker,
a plain thread, against a real server process); the call is on the console's 직원 호출 page in
a real browser (headless chromium) within 10 s; the kiosk says the call reached the staff only
once the server confirmed it; 가는 중 pressed there reaches the kiosk, whose notice then says
"직원이 오고 있습니다"; 해결 closes the call; the audit log has both; the dong's
alert hook (a receiver on 127.0.0.1) got the call; a 동 담당 of another dong never sees it; with
the server gone, a new call says at once that it has not reached the staff."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from kiosk.store.settings import DeviceSettings
from kiosk.ui.shell import KioskWindow
from tests.console.conftest import ADMIN, DONG, add_account, page_errors, signed_in_session
from tests.console.test_browser import sign_in, text_of, wait_for_next_page
from tests.console.test_calls import MYEONG, HookReceiver
from tests.helpers.live_kiosk import live_kiosk, quick_sync
from tests.helpers.resident import find, shown, tap_name
from tests.server.process import ServerProcess, start_server

# Production pace but for the retry delays: the heartbeat's 60 s and the open call's 5 s.
TUNING = quick_sync(heartbeat_every_s=60.0)
DEVICE_NAME = "회현동 주민센터 1층 키오스크"
ON_PAGE_WITHIN_S = 10.0
KIOSK_HEARS_MS = 15_000


@pytest.fixture
def hook() -> Iterator[HookReceiver]:
    receiver = HookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def server(tmp_path: Path, hook: HookReceiver) -> Iterator[ServerProcess]:
    running = start_server(tmp_path / "server", None, "--staff-call-hook", f"hoehyeon={hook.url}")
    for account in (ADMIN, DONG):
        add_account(running, account, tmp_path)
    secret = tmp_path / "pw-myeong"
    secret.write_text(MYEONG.password + "\n", encoding="utf-8")
    running.cli(
        "staff", "add", MYEONG.name, "--role", "dong", "--dong", "myeong",
        "--password-file", str(secret),
    )  # fmt: skip
    yield running
    running.stop()


@pytest.fixture
def kiosk(qtbot: Any, server: ServerProcess, tmp_path: Path) -> Iterator[KioskWindow]:
    """An enrolled (and approved) kiosk window in 회현동 with the app's real sync worker."""
    with live_kiosk(
        qtbot, server, tmp_path / "kiosk", name=DEVICE_NAME, dong="hoehyeon", tuning=TUNING
    ) as window:
        yield window


def click(browser: Any, css: str) -> None:
    """Click the button `css` names; the table is replaced every few seconds, so an element
    found just before a refresh is found again."""
    deadline = time.monotonic() + ON_PAGE_WITHIN_S
    while True:
        try:
            button = browser.find_element(By.CSS_SELECTOR, css)
            button.click()
            wait_for_next_page(browser, button)
            return
        except StaleElementReferenceException:
            if time.monotonic() > deadline:
                raise


def test_a_call_at_the_kiosk_is_answered_from_the_console(
    qtbot: Any,
    server: ServerProcess,
    kiosk: KioskWindow,
    hook: HookReceiver,
    browser: Any,
    tmp_path: Path,
) -> None:
    sign_in(browser, server, ADMIN, "/staff/calls")
    assert "지금 기다리는 주민이 없습니다" in text_of(browser)

    tap_name(qtbot, kiosk, "tile_surveys")
    tapped = time.monotonic()
    tap_name(qtbot, kiosk, "staffCallButton")
    # Called: being sent (or, if the worker's heartbeat was already answered, reached the staff).
    assert find(kiosk, "staffCallTitle").text() == "직원을 부르는 중입니다"
    assert (
        find(kiosk, "staffCallBody")
        .text()
        .startswith(("호출을 보내고 있습니다.", "호출이 직원에게 전해졌습니다."))
    )

    # On the page within 10 s of the tap, with where the resident was; no reload by hand.
    WebDriverWait(browser, ON_PAGE_WITHIN_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "tr[id^=call-]")
    )
    assert time.monotonic() - tapped < ON_PAGE_WITHIN_S
    row = browser.find_element(By.CSS_SELECTOR, "tr[id^=call-]").text
    assert DEVICE_NAME in row and "기다리는 중" in row
    WebDriverWait(browser, ON_PAGE_WITHIN_S).until(
        lambda d: "설문" in d.find_element(By.CSS_SELECTOR, "tr[id^=call-] .call-screen").text
    )
    browser.save_screenshot(str(tmp_path / "calls-waiting-1366x768.png"))

    # The dong's alert hook heard of it; the officer of 명동 does not see it, 회현동's does.
    device_id = DeviceSettings(kiosk.ctx.db).device_id()
    assert device_id
    [alert] = hook.wait_for(device_id, 1)
    assert alert["device_name"] == DEVICE_NAME and alert["dong"] == "hoehyeon"
    other = signed_in_session(server, MYEONG).get(f"{server.url}/staff/calls", timeout=10)
    assert DEVICE_NAME not in other.text and 'id="call-' not in other.text
    mine = signed_in_session(server, DONG).get(f"{server.url}/staff/calls", timeout=10)
    assert DEVICE_NAME in mine.text

    # The server's answer to the worker's heartbeat confirms the call: the kiosk says it reached
    # the staff, and still that it is waiting for them.
    qtbot.waitUntil(
        lambda: find(kiosk, "staffCallBody").text().startswith("호출이 직원에게 전해졌습니다."),
        timeout=KIOSK_HEARS_MS,
    )
    assert find(kiosk, "staffCallTitle").text().startswith("직원을 부르는 중입니다")

    # 가는 중 in the browser: the kiosk's notice, still up, changes its words.
    click(browser, "button[id^=acknowledge-]")
    assert "가는 중" in browser.find_element(By.CSS_SELECTOR, "tr[id^=call-]").text
    qtbot.waitUntil(
        lambda: find(kiosk, "staffCallTitle").text() == "직원이 오고 있습니다",
        timeout=KIOSK_HEARS_MS,
    )
    assert shown(kiosk, "staffCallNotice")
    # Closed, the notice leaves the call's state in sight, in 직원 호출's place.
    tap_name(qtbot, kiosk, "staffCallClose")
    assert find(kiosk, "staffCallButton").accessibleName() == "직원이 오는 중"

    # 해결 closes it: gone from the page, and the worker goes back to its slow pace.
    click(browser, "button[id^=resolve-]")
    assert "지금 기다리는 주민이 없습니다" in text_of(browser)
    assert page_errors(browser) == []

    audit = signed_in_session(server, ADMIN).get(f"{server.url}/staff/audit.csv", timeout=10)
    actions = [line.split(",")[2:4] for line in audit.text.splitlines() if "staff_call." in line]
    assert actions == [[ADMIN.name, "staff_call.acknowledge"], [ADMIN.name, "staff_call.resolve"]]
    assert len(hook.wait_for(device_id, 2, timeout=1.0)) == 1  # one call, one alert

    # The server goes away: a new call says at once that it has not reached the staff (the
    # worker's failed heartbeat turns the link offline), and never that it got there.
    qtbot.waitUntil(lambda: kiosk.staff_call.progress.state == "over", timeout=KIOSK_HEARS_MS)
    assert find(kiosk, "staffCallButton").accessibleName() == "직원 호출"  # the call is over
    server.stop()
    kiosk.staff_call.rule.last_call = None  # a new call, not "already called" a minute ago
    tap_name(qtbot, kiosk, "staffCallButton")
    assert find(kiosk, "staffCallTitle").text() == "직원을 부르는 중입니다"
    qtbot.waitUntil(
        lambda: find(kiosk, "staffCallBody").text().startswith("호출이 아직 직원에게 전해지지"),
        timeout=KIOSK_HEARS_MS,
    )
    assert kiosk.sync is not None and kiosk.sync.offline
