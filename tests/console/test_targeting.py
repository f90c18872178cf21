"""Targeting in the console, in a real browser against a real server process: a survey
targeted at a device group in its form reaches the devices of that group only; a group that no
longer exists is named, with the item and the field, and publishing is refused until it is
taken out; a 관리자 sets a device's dong on 기기 현황 and the device receives that dong's content
at its next heartbeat."""

from __future__ import annotations

import html
from typing import Any

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from server import audit, drafts
from tests.console.conftest import ADMIN, page_errors, signed_in_session
from tests.console.test_browser import click_through, sign_in, text_of
from tests.console.test_content import fresh_draft
from tests.console.test_groups import DEMO, post
from tests.server.process import EnrolledDevice, ServerProcess, content_etag

SURVEY = "2026-senior-digital"
CONTEST = "2026-alley-photo"
BY = audit.Actor("cli:test", audit.COMMAND_LINE)


@pytest.fixture(scope="module")
def server(admin_server: ServerProcess) -> ServerProcess:
    admin_server.cli("publish", str(DEMO))
    return admin_server


def survey_ids(server: ServerProcess, device: EnrolledDevice) -> set[str]:
    r = requests.get(f"{server.api}/content/manifest", headers=device.headers, timeout=10)
    assert r.status_code == 200, r.text
    return {s["id"] for s in r.json()["surveys"]}


def group_box(browser: Any, key: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, f'input[name="groups"][value="{key}"]')


def test_a_survey_targeted_in_its_form_reaches_only_its_groups_devices(
    server: ServerProcess, browser: Any
) -> None:
    lobby = server.enroll(name="신당 아파트 A동 키오스크")
    other = server.enroll(name="회현동 주민센터 키오스크")
    admin = signed_in_session(server, ADMIN)
    for key, name, members in (
        ("apt-a", "신당동 공동주택 A동", [lobby.device_id]),
        ("old-lobby", "예전 로비", []),
    ):
        post(admin, server, "/staff/groups", {"key": key, "name": name})
        post(
            admin,
            server,
            f"/staff/groups/{key}",
            [("name", name)] + [("devices", d) for d in members],
        )
    draft = fresh_draft(admin, server)
    form = f"/staff/content/draft/survey?key={SURVEY}"

    sign_in(browser, server, ADMIN, form)
    assert "기기 묶음 (고르지 않으면 모든 기기)" in text_of(browser)
    group_box(browser, "apt-a").click()
    group_box(browser, "old-lobby").click()
    click_through(browser, "save-survey")
    assert "/staff/content/draft" in browser.current_url

    # The group is deleted meanwhile: the check before publishing names the item and field.
    assert post(admin, server, "/staff/groups/old-lobby/delete", {}).status_code == 303
    browser.get(f"{server.url}/staff/content/draft/diff")
    problems = browser.find_element(By.ID, "pack-problems").text
    assert (
        f"설문·정책퀴즈 '{SURVEY}'의 기기 묶음(groups): 'old-lobby' 묶음이 이 서버에 없습니다"
        in (problems)
    )
    assert not browser.find_elements(By.ID, "publish-now")
    # A publish sent all the same (a page left open) is refused in the same words.
    refused = post(admin, server, "/staff/content/draft/publish", {"draft": draft})
    assert refused.status_code >= 400 and "'old-lobby' 묶음이 이 서버에 없습니다" in html.unescape(
        refused.text
    )

    # The form shows it as a group this server lacks; taken out, the survey publishes.
    browser.get(server.url + form)
    assert "이 서버에 없는 묶음: 게시할 수 없습니다" in text_of(browser)
    assert group_box(browser, "apt-a").is_selected()
    group_box(browser, "old-lobby").click()
    click_through(browser, "save-survey")
    browser.get(f"{server.url}/staff/content/draft/diff")
    assert not browser.find_elements(By.ID, "pack-problems")
    click_through(browser, "publish-now")
    assert "done=published" in browser.current_url
    assert page_errors(browser) == []

    assert SURVEY in survey_ids(server, lobby)
    assert SURVEY not in survey_ids(server, other)


def contest_ids(server: ServerProcess, device: EnrolledDevice) -> set[str]:
    r = requests.get(f"{server.api}/content/manifest", headers=device.headers, timeout=10)
    return {c["id"] for c in r.json()["contests"]}


def test_staff_set_a_devices_dong_and_it_gets_that_dongs_content_at_its_next_heartbeat(
    server: ServerProcess, browser: Any
) -> None:
    kiosk = server.enroll(name="필동 주민센터 1층 키오스크")
    with server.database() as db:
        draft = drafts.start(db, BY)
        item = draft.item("contests", CONTEST)
        assert item is not None
        body = {**item.body, "dongs": ["pil"]}
        drafts.save_item(db, draft.id, "contests", CONTEST, body, item.revision, BY)
        drafts.publish(db, draft.id, BY)
    # Its configuration says 신당동 (set up wrong): the 필동 contest does not reach it.
    before = content_etag(server, kiosk, "sindang")
    assert CONTEST not in contest_ids(server, kiosk)

    sign_in(browser, server, ADMIN, f"/staff/devices/{kiosk.device_id}/dong")
    assert "기기 설정에서 알림" in browser.find_element(By.ID, "current-dong").text
    Select(browser.find_element(By.ID, "field-dong")).select_by_visible_text("필동")
    click_through(browser, "save-dong")
    row = browser.find_element(By.ID, f"device-{kiosk.device_id}").text
    assert "필동 (직원이 정함)" in row
    assert page_errors(browser) == []

    # Its next heartbeat names a new manifest, and that one has the contest.
    assert content_etag(server, kiosk, "sindang") != before
    assert CONTEST in contest_ids(server, kiosk)
    with server.database() as db:
        event = next(e for e in audit.events(db) if e.action == "devices.dong")
    assert event.target == f"device:{kiosk.device_id}" and event.actor == ADMIN.name
