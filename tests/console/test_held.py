"""보류된 제출 in the real browser: what a device waiting for approval sent is listed on the fleet
and on its own page, where an admin counts one (집계) and refuses another with a reason (거부)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from tests.console.conftest import ADMIN, add_account, signed_in_session
from tests.console.test_browser import click_through, sign_in
from tests.server.civic import Kiosk, Resident, agree, proposal_count, publish_pack
from tests.server.process import ServerProcess, start_server
from tests.server.test_approval import PROPOSAL, audit_rows, counted, held_of


@pytest.fixture
def staffed(tmp_path: Path) -> Iterator[ServerProcess]:
    running = start_server(tmp_path / "server", None)
    publish_pack(running, tmp_path)
    add_account(running, ADMIN, tmp_path)
    yield running
    running.stop()


def test_an_admin_counts_and_refuses_held_envelopes_in_the_browser(
    staffed: ServerProcess, browser: Any
) -> None:
    honest = Kiosk(staffed, "신당동 주민센터")
    waiting = Kiosk(staffed, "새 키오스크", approve=False)
    sent = [waiting.send_one("proposal_agree", agree(PROPOSAL), Resident()) for _ in range(2)]
    assert all(s["receipt"]["note"].startswith("held") for s in sent)
    assert proposal_count(honest.counts(), PROPOSAL)["counted"] == 0

    sign_in(browser, staffed, ADMIN, "/staff/devices")
    badge = browser.find_element(By.ID, f"held-{waiting.device.device_id}")
    assert badge.text == "보류 2건"
    badge.click()
    first, second = held_of(staffed, waiting.device.device_id)
    row = browser.find_element(By.ID, f"held-{first.id}").text
    assert "새 키오스크" in row and "공감" in row and "기기 승인 대기" in row

    click_through(browser, f"release-{first.id}")
    assert counted(staffed, waiting.device.device_id, str(first.envelope_id))
    assert proposal_count(honest.counts(), PROPOSAL)["counted"] == 1
    assert not browser.find_elements(By.ID, f"held-{first.id}")

    # 거부 needs a reason, said beside the row; with one the envelope stays uncounted for good.
    click_through(browser, f"refuse-{second.id}")
    assert "거부하는 까닭을 적으세요" in browser.find_element(By.ID, f"held-{second.id}").text
    browser.find_element(By.ID, f"reason-{second.id}").send_keys("같은 주민의 시험 입력")
    click_through(browser, f"refuse-{second.id}")
    assert "결정을 기다리는 제출이 없습니다" in browser.find_element(By.TAG_NAME, "main").text
    assert not counted(staffed, waiting.device.device_id, str(second.envelope_id))
    assert proposal_count(honest.counts(), PROPOSAL)["counted"] == 1

    actions = [(e.action, e.actor, e.target) for e in audit_rows(staffed)]
    assert ("held.release", ADMIN.name, f"held:{first.id}") in actions
    assert ("held.refuse", ADMIN.name, f"held:{second.id}") in actions
    fleet = signed_in_session(staffed, ADMIN).get(f"{staffed.url}/staff/devices", timeout=10)
    assert f'id="held-{waiting.device.device_id}"' not in fleet.text
