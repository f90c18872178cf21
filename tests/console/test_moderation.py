"""제안 검토 (server.moderation) through the real server process, on SQLite and PostgreSQL: the
queue of new proposals written at kiosks (counted, non-practice only; 검토 대기 first, oldest
first), 게시 publishing a new content version derived from the newest one (its answer carried),
반려 needing a reason and publishing nothing, each decision once, two 게시 at once (through two
server processes on one database) both in the newest pack, and the refusals: no CSRF token, 보기,
a dong officer.

End to end (the last test): two new proposals sent by a kiosk reach the page in a real browser
(headless chromium); one is moderated to 게시 with the district's answer, the other 반려 with a
reason (first tried without one: the message stands beside the field). A real kiosk window with
the app's real sync worker then takes the new content version at its next sync and shows the
published proposal in its proposals list, with the answer on its page, and not the refused one;
the audit log holds both decisions and the content publish."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtWidgets import QWidget
from selenium.webdriver.common.by import By

from contract.content import ContentPack
from contract.receipt import receipt_number
from kiosk.ui.shell import KioskWindow
from server.moderation import proposal_id_for
from tests.console.conftest import (
    ADMIN,
    DONG,
    VIEWER,
    Account,
    add_account,
    csrf_of,
    page_errors,
    signed_in_session,
)
from tests.console.test_browser import sign_in, text_of, wait_for_next_page
from tests.helpers.live_kiosk import live_kiosk, newest_version, quick_sync
from tests.helpers.resident import find, find_paged, tap_name, words
from tests.server.civic import Kiosk, Resident, new_proposal, publish_pack
from tests.server.conftest import require_postgres
from tests.server.process import ServerProcess, postgres_database, start_server

CONTENT = Account("최콘텐", "content-pass-1234", "content")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The server on SQLite, then on PostgreSQL, with staff of every kind and the demo pack."""
    data_dir = tmp_path_factory.mktemp(f"moderation-{request.param}")

    def started(db: str | None) -> ServerProcess:
        running = start_server(data_dir, db)
        for account in (ADMIN, VIEWER, DONG, CONTENT):
            add_account(running, account, data_dir)
        publish_pack(running, data_dir)
        return running

    if request.param == "sqlite":
        running = started(None)
        yield running
        running.stop()
        return
    require_postgres()
    with postgres_database() as url:
        running = started(url)
        yield running
        running.stop()


def proposal(dong: str, title: str, body: str = "", topic: str = "safety") -> dict[str, Any]:
    return {
        "title": title,
        "body": body or f"{title}: 주민들이 오래 불편을 겪고 있습니다. 살펴봐 주세요.",
        "dong": dong,
        "topic": topic,
    }


def sent(kiosk: Kiosk, payload: dict[str, Any], **changes: Any) -> str:
    """Send a proposal envelope; its path on the console."""
    item = kiosk.envelope("proposal", payload, Resident(), **changes)
    [result] = kiosk.send(item)
    assert result["status"] == "accepted", result
    return f"/staff/proposals/{kiosk.device.device_id}/{item['id']}"


def manifest(server: ServerProcess, kiosk: Kiosk) -> dict[str, Any]:
    r = requests.get(f"{server.api}/content/manifest", headers=kiosk.device.headers, timeout=10)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def kiosk_id(path: str) -> str:
    _, _, _, device_id, envelope_id = path.split("/")
    return proposal_id_for(device_id, uuid.UUID(envelope_id))


def post(
    http: requests.Session, server: ServerProcess, path: str, **form: str
) -> requests.Response:
    token = csrf_of(http.get(f"{server.url}/staff/", timeout=10).text)
    return http.post(
        server.url + path, data={"csrf_token": token, **form}, allow_redirects=False, timeout=30
    )


def audit_rows(server: ServerProcess) -> list[list[str]]:
    import csv
    import io

    text = signed_in_session(server, ADMIN).get(f"{server.url}/staff/audit.csv", timeout=10).text
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1:]


def test_the_queue_shows_counted_proposals_waiting_first_oldest_first(
    server: ServerProcess,
) -> None:
    kiosk = Kiosk(server, name="회현동 주민센터 1층 키오스크")
    now = datetime.now(UTC)
    newer = sent(kiosk, proposal("hoehyeon", "새 제안 늦게 쓴 것"), created_at=now.isoformat())
    older = sent(
        kiosk,
        proposal("hoehyeon", "새 제안 먼저 쓴 것"),
        created_at=(now - timedelta(hours=3)).isoformat(),
    )
    practice = kiosk.envelope("proposal", proposal("hoehyeon", "연습으로 쓴 제안"), practice=True)
    assert kiosk.send(practice)[0]["status"] == "accepted"
    waiting_device = Kiosk(server, name="승인 전 키오스크", approve=False)
    held = waiting_device.send_one("proposal", proposal("hoehyeon", "승인 전 기기의 제안"))
    assert held["receipt"]["counted"] is False
    myeong = sent(kiosk, proposal("myeong", "명동 새 제안"))

    admin = signed_in_session(server, ADMIN)
    page = admin.get(f"{server.url}/staff/proposals?status=waiting", timeout=10).text
    cards = re.findall(r'<article class="proposal proposal-(\w+)" id="proposal-([0-9a-f-]+)"', page)

    shown = [envelope for _, envelope in cards]
    ids = {p.rsplit("/", 1)[1]: p for p in (newer, older, myeong)}
    mine = [e for e in shown if e in ids]
    assert mine == [older.rsplit("/", 1)[1], newer.rsplit("/", 1)[1], myeong.rsplit("/", 1)[1]]
    assert "연습으로 쓴 제안" not in page and "승인 전 기기의 제안" not in page
    assert "회현동 주민센터 1층 키오스크" in page and "회현" in page and "안전" in page
    # The dong officer of 회현동 sees 회현동's, not 명동's; 명동's page is not there for them.
    officer = signed_in_session(server, DONG)
    theirs = officer.get(f"{server.url}/staff/proposals", timeout=10).text
    assert "새 제안 먼저 쓴 것" in theirs and "명동 새 제안" not in theirs
    assert officer.get(server.url + myeong, timeout=10).status_code == 404
    assert officer.get(server.url + older, timeout=10).status_code == 200
    assert "/publish" not in officer.get(server.url + older, timeout=10).text


def test_a_proposal_shows_the_receipt_number_the_kiosk_gave(server: ServerProcess) -> None:
    """Staff asked about "접수 번호 2741-0586" find the same number on the proposal's card."""
    kiosk = Kiosk(server, name="회현동 키오스크")
    path = sent(kiosk, proposal("hoehyeon", "접수 번호를 찾는 제안"))
    number = receipt_number(uuid.UUID(path.rsplit("/", 1)[1]))
    page = signed_in_session(server, ADMIN).get(server.url + path, timeout=10).text
    assert re.fullmatch(r"\d{4}-\d{4}", number)
    assert f'<span class="label">접수 번호</span>{number}</span>' in page


def test_publishing_makes_a_new_content_version_with_the_proposal_and_its_answer(
    server: ServerProcess,
) -> None:
    kiosk = Kiosk(server)
    path = sent(kiosk, proposal("hoehyeon", "회현동 계단에 조명을 달아 주세요"))
    before = manifest(server, kiosk)
    admin = signed_in_session(server, ADMIN)

    r = post(admin, server, path + "/publish", answer="안전총괄과에서 1월까지 검토합니다.")

    assert r.status_code == 303, r.text
    after = manifest(server, kiosk)
    assert after["content_version"].startswith(before["content_version"].split("+r")[0] + "+r")
    ContentPack.model_validate(after)
    [entry] = [p for p in after["proposals"] if p["id"] == kiosk_id(path)]
    assert entry["title"] == {"ko": "회현동 계단에 조명을 달아 주세요"}
    assert entry["district_answer"] == "안전총괄과에서 1월까지 검토합니다."
    assert entry["author"] == "회현동 주민 (키오스크)" and entry["agree_count"] == 0
    assert entry["url"].endswith("/proposal/" + entry["id"])
    written = datetime.fromisoformat(entry["created_at"])
    assert datetime.fromisoformat(entry["deadline"]) - written > timedelta(days=85)
    assert len(after["proposals"]) == len(before["proposals"]) + 1
    assert after["files"] == before["files"]
    # The heartbeat answer names it: a kiosk pulls it at its next sync.
    beat = requests.post(
        f"{server.api}/devices/heartbeat",
        json={"app_version": "1", "content_version": None, "queue_depth": 0, "mode": "kiosk",
              "uptime_s": 1.0},
        headers=kiosk.device.headers,
        timeout=10,
    )  # fmt: skip
    assert beat.json()["content_version"] == after["content_version"]
    shown = admin.get(server.url + path, timeout=10).text
    assert "게시했습니다" in admin.get(server.url + path + "?done=publish", timeout=10).text
    assert after["content_version"] in shown and "안전총괄과에서" in shown

    # Twice: a plain sentence, nothing published again.
    again = post(admin, server, path + "/publish")
    assert again.status_code == 409 and "이미 게시 처리되었습니다" in again.text
    refuse = post(admin, server, path + "/refuse", reason="중복")
    assert refuse.status_code == 409
    assert manifest(server, kiosk)["content_version"] == after["content_version"]

    # The answer changed later: a new version carries the new words.
    changed = post(admin, server, path + "/answer", answer="1월 20일부터 공사합니다.")
    assert changed.status_code == 303
    latest = manifest(server, kiosk)
    [entry] = [p for p in latest["proposals"] if p["id"] == kiosk_id(path)]
    assert entry["district_answer"] == "1월 20일부터 공사합니다."

    target = "proposal:" + path.removeprefix("/staff/proposals/")
    actions = [(row[2], row[3]) for row in audit_rows(server) if row[4] == target]
    assert actions == [(ADMIN.name, "proposal.publish"), (ADMIN.name, "proposal.answer")]
    publishes = [r for r in audit_rows(server) if r[3] == "content.publish" and r[2] == ADMIN.name]
    assert {f"content:{after['content_version']}", f"content:{latest['content_version']}"} <= {
        r[4] for r in publishes
    }


def test_refusing_needs_a_reason_and_publishes_nothing(server: ServerProcess) -> None:
    kiosk = Kiosk(server)
    path = sent(kiosk, proposal("hoehyeon", "이웃 이름이 들어간 제안"))
    before = manifest(server, kiosk)["content_version"]
    editor = signed_in_session(server, CONTENT)

    missing = post(editor, server, path + "/refuse", reason="  ")
    assert missing.status_code == 400
    assert re.search(r'class="field-error" id="reason-error-[^"]+">반려하려면 사유를', missing.text)
    assert 'aria-invalid="true"' in missing.text

    r = post(editor, server, path + "/refuse", reason="개인 정보가 들어 있어 게시할 수 없습니다")
    assert r.status_code == 303
    assert manifest(server, kiosk)["content_version"] == before
    page = editor.get(f"{server.url}/staff/proposals?status=refused", timeout=10).text
    assert "이웃 이름이 들어간 제안" in page and "개인 정보가 들어 있어" in page
    assert (
        "이웃 이름이 들어간 제안"
        not in editor.get(f"{server.url}/staff/proposals?status=waiting", timeout=10).text
    )
    again = post(editor, server, path + "/publish")
    assert again.status_code == 409 and "이미 반려 처리되었습니다" in again.text
    assert manifest(server, kiosk)["content_version"] == before
    target = "proposal:" + path.removeprefix("/staff/proposals/")
    [event] = [row for row in audit_rows(server) if row[4] == target]
    assert event[2:4] == [CONTENT.name, "proposal.refuse"]
    assert '"status": "waiting"' in event[5] and "개인 정보가" in event[6]


def test_two_publishes_at_once_both_end_up_in_the_newest_pack(server: ServerProcess) -> None:
    """Four 게시 at the same moment through two server processes on one database."""
    second = start_server(server.data_dir, server.db)
    try:
        kiosk = Kiosk(server)
        paths = [sent(kiosk, proposal("sindang", f"동시에 게시할 제안 {n}")) for n in range(4)]
        sessions = [
            (signed_in_session(target, ADMIN), target)
            for target in (server, second, server, second)
        ]
        tokens = [csrf_of(http.get(f"{t.url}/staff/", timeout=10).text) for http, t in sessions]
        start = threading.Barrier(len(paths))
        answers: list[int] = [0] * len(paths)

        def publish(i: int) -> None:
            http, target = sessions[i]
            start.wait()
            r = http.post(
                f"{target.url}{paths[i]}/publish",
                data={"csrf_token": tokens[i]},
                allow_redirects=False,
                timeout=60,
            )
            answers[i] = r.status_code

        threads = [threading.Thread(target=publish, args=(i,)) for i in range(len(paths))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert answers == [303] * len(paths)
        newest = manifest(server, kiosk)
        ids = {p["id"] for p in newest["proposals"]}
        assert {kiosk_id(p) for p in paths} <= ids
        versions = [
            r[4] for r in audit_rows(server) if r[3] == "content.publish" and r[2] == ADMIN.name
        ]
        assert len(set(versions[-len(paths) :])) == len(paths)
    finally:
        second.stop()


def test_refusals_csrf_viewer_and_dong_officer(server: ServerProcess) -> None:
    kiosk = Kiosk(server)
    path = sent(kiosk, proposal("hoehyeon", "권한 확인용 제안"))
    before = manifest(server, kiosk)["content_version"]

    admin = signed_in_session(server, ADMIN)
    no_token = admin.post(server.url + path + "/publish", allow_redirects=False, timeout=10)
    assert no_token.status_code == 403 and "양식이 만료되었거나" in no_token.text

    viewer = signed_in_session(server, VIEWER)
    assert viewer.get(f"{server.url}/staff/proposals", timeout=10).status_code == 403
    assert viewer.get(server.url + path, timeout=10).status_code == 403
    assert post(viewer, server, path + "/publish").status_code == 403

    officer = signed_in_session(server, DONG)
    for how in ("publish", "refuse", "answer"):
        r = post(officer, server, f"{path}/{how}", reason="동 담당", answer="동 담당")
        assert r.status_code == 403, how
        assert "권한이 없습니다" in r.text

    assert manifest(server, kiosk)["content_version"] == before
    assert (
        "권한 확인용 제안"
        in admin.get(f"{server.url}/staff/proposals?status=waiting", timeout=10).text
    )
    target = "proposal:" + path.removeprefix("/staff/proposals/")
    assert [row for row in audit_rows(server) if row[4] == target] == []


def test_the_page_shows_no_identity_of_the_resident(server: ServerProcess) -> None:
    kiosk = Kiosk(server)
    resident = Resident()
    item = kiosk.envelope("proposal", new_proposal("hoehyeon"), resident)
    [result] = kiosk.send(item)
    assert result["status"] == "accepted"
    path = f"/staff/proposals/{kiosk.device.device_id}/{item['id']}"
    admin = signed_in_session(server, ADMIN)
    post(admin, server, path + "/publish", answer="답변")

    pages = [
        admin.get(server.url + p, timeout=10).content
        for p in ("/staff/proposals", path, "/staff/audit", "/staff/audit.csv")
    ]
    pages.append(requests.get(f"{server.api}/content/manifest", headers=kiosk.device.headers,
                              timeout=10).content)  # fmt: skip
    for page in pages:
        assert not any(form in page for form in resident.clear_forms)
        assert item["sealed_identity"].encode() not in page


def test_a_long_queue_is_paged(server: ServerProcess) -> None:
    from server.moderation import PAGE_ROWS

    kiosk = Kiosk(server)
    items = [
        kiosk.envelope("proposal", proposal("jungnim", f"쪽 나누기 {n:03d}"))
        for n in range(PAGE_ROWS + 5)
    ]
    assert {r["status"] for r in kiosk.send(*items)} == {"accepted"}
    admin = signed_in_session(server, ADMIN)
    first = admin.get(f"{server.url}/staff/proposals?status=waiting", timeout=10).text
    assert first.count('<article class="proposal ') == PAGE_ROWS
    assert "page=2" in first
    last = admin.get(f"{server.url}/staff/proposals?status=waiting&page=99", timeout=10).text
    assert 0 < last.count('<article class="proposal ') <= PAGE_ROWS


def test_the_answer_too_long_is_told_beside_its_field(server: ServerProcess) -> None:
    from server.moderation import ANSWER_MAX

    kiosk = Kiosk(server)
    path = sent(kiosk, proposal("hoehyeon", "긴 답변 확인용"))
    admin = signed_in_session(server, ADMIN)
    r = post(admin, server, path + "/publish", answer="가" * (ANSWER_MAX + 1))
    assert r.status_code == 400
    assert re.search(r'class="field-error" id="answer-error-[^"]+">[0-9,]+자 이하로', r.text)
    still = admin.get(server.url + path, timeout=10).text
    assert "! 검토 대기" in still and "/publish" in still


def test_a_proposal_the_pack_cannot_hold_is_not_published(server: ServerProcess) -> None:
    """A dong the newest pack does not know: a plain sentence, and nothing is published."""
    kiosk = Kiosk(server)
    path = sent(kiosk, proposal("atlantis", "없는 동의 제안"))
    before = manifest(server, kiosk)["content_version"]
    r = post(signed_in_session(server, ADMIN), server, path + "/publish")
    assert r.status_code == 400 and "지금 콘텐츠에 없어 게시할 수 없습니다" in r.text
    assert manifest(server, kiosk)["content_version"] == before


def test_revision_names_follow_the_base_version() -> None:
    from server.content import next_revision_name

    assert next_revision_name("2026.11.25-demo", lambda _: False) == "2026.11.25-demo+r1"
    assert next_revision_name("2026.11.25-demo+r9", lambda _: False) == "2026.11.25-demo+r10"
    taken = {"v+r1", "v+r2"}
    assert next_revision_name("v", taken.__contains__) == "v+r3"
    long = next_revision_name("x" * 64, lambda _: False)
    assert len(long) == 64 and long.endswith("+r1")


# ---------------------------------------------------------------------------------------------
# End to end: the browser and a real kiosk
# ---------------------------------------------------------------------------------------------

# A heartbeat every second: "its next sync" comes soon.
TUNING = quick_sync(heartbeat_every_s=1.0)
KIOSK_SYNCS_MS = 30_000
ANSWER = "안전총괄과에서 현장을 살펴보고 2027년 1월까지 조명 설치 여부를 알려 드리겠습니다."
REASON = "다른 주민의 이름과 연락처가 들어 있어 게시할 수 없습니다."


@pytest.fixture
def e2e_server(tmp_path: Path) -> Iterator[ServerProcess]:
    running = start_server(tmp_path / "server")
    add_account(running, ADMIN, tmp_path)
    publish_pack(running, tmp_path)
    yield running
    running.stop()


@pytest.fixture
def kiosk(qtbot: Any, e2e_server: ServerProcess, tmp_path: Path) -> Iterator[KioskWindow]:
    """An enrolled (and approved) kiosk window in 회현동 with the app's real sync worker, showing
    the server's pack."""
    with live_kiosk(
        qtbot,
        e2e_server,
        tmp_path / "kiosk",
        name="회현동 1층",
        dong="hoehyeon",
        tuning=TUNING,
        wait_ms=KIOSK_SYNCS_MS,
    ) as window:
        yield window


def version_of(window: KioskWindow) -> str | None:
    pack = window.ctx.pack
    return pack.content_version if pack is not None else None


def click(browser: Any, css: str) -> None:
    button = browser.find_element(By.CSS_SELECTOR, css)
    button.click()
    wait_for_next_page(browser, button)


def test_a_published_proposal_reaches_the_kiosk_and_a_refused_one_does_not(
    qtbot: Any, e2e_server: ServerProcess, kiosk: KioskWindow, browser: Any, tmp_path: Path
) -> None:
    """In the browser and at a real kiosk: 게시 shows at the kiosk after its next sync, with the
    answer; 반려 does not; the audit log holds both and the content publish."""
    server = e2e_server
    writer = Kiosk(server, name="회현동 주민센터 2층 키오스크")
    lamp = writer.envelope(
        "proposal",
        {
            "title": "회현동 계단길에 밤 조명을 달아 주세요",
            "body": "남산 아래 계단길이 밤에 너무 어둡습니다. 조명이 있으면 덜 넘어집니다.",
            "dong": "hoehyeon",
            "topic": "safety",
        },
        Resident(),
    )
    named = writer.envelope(
        "proposal",
        {
            "title": "옆집 김○○ 씨 불법 주차 단속",
            "body": "옆집 김○○ 씨가 매일 골목에 주차합니다. 이름과 주소를 적습니다.",
            "dong": "hoehyeon",
            "topic": "transport",
        },
        Resident(),
    )
    assert [r["status"] for r in writer.send(lamp, named)] == ["accepted", "accepted"]
    device_id = writer.device.device_id
    published_id = proposal_id_for(device_id, uuid.UUID(lamp["id"]))
    refused_id = proposal_id_for(device_id, uuid.UUID(named["id"]))
    before = newest_version(server)

    # Both wait on the page, the older first.
    sign_in(browser, server, ADMIN, "/staff/proposals")
    page = text_of(browser)
    assert "검토 대기 2건" in page
    assert page.index("회현동 계단길에 밤 조명을") < page.index("옆집 김○○ 씨 불법 주차")
    browser.save_screenshot(str(tmp_path / "proposals-1366x768.png"))

    # 게시 with the district's answer.
    click(browser, f"#review-{lamp['id']}")
    browser.find_element(By.ID, f"answer-{lamp['id']}").send_keys(ANSWER)
    click(browser, f"#publish-{lamp['id']}")
    assert "게시했습니다" in text_of(browser)
    assert ANSWER in text_of(browser)

    # 반려: without a reason first (the message beside the field), then with one.
    browser.get(f"{server.url}/staff/proposals")
    click(browser, f"#review-{named['id']}")
    click(browser, f"#refuse-{named['id']}")
    error = browser.find_element(By.ID, f"reason-error-{named['id']}")
    assert error.text.endswith("반려하려면 사유를 적어 주세요.")
    field = browser.find_element(By.ID, f"reason-{named['id']}")
    assert field.get_attribute("aria-invalid") == "true"
    [refused] = page_errors(browser)  # the form's 400 answer, and nothing else
    assert "/refuse" in refused and "400" in refused
    field.send_keys(REASON)
    click(browser, f"#refuse-{named['id']}")
    assert "반려했습니다" in text_of(browser) and REASON in text_of(browser)
    browser.get(f"{server.url}/staff/proposals")
    assert "검토 대기 0건 · 게시 1건 · 반려 1건" in text_of(browser)
    assert page_errors(browser) == []

    # The kiosk takes the new version at its next sync, and shows the one published.
    revised = newest_version(server)
    assert revised != before
    qtbot.waitUntil(lambda: version_of(kiosk) == revised, timeout=KIOSK_SYNCS_MS)
    tap_name(qtbot, kiosk, "tile_proposals")
    assert find_paged(qtbot, kiosk, f"proposal_{published_id}").isVisible()
    assert not kiosk.findChildren(QWidget, f"proposal_{refused_id}")  # on no page of the list
    assert "옆집 김○○" not in words(kiosk)
    tap_name(qtbot, kiosk, f"proposal_{published_id}")
    assert "회현동 계단길에 밤 조명을 달아 주세요" in words(kiosk)
    assert find(kiosk, "districtAnswer").text() == ANSWER
    assert find(kiosk, "districtAnswerHeading").text() == "구청 답변"
    assert "회현동 주민 (키오스크)" in words(kiosk)
    kiosk.grab().save(str(tmp_path / "kiosk-proposal-answer.png"))

    # The audit log: both decisions and the content publish, by the admin.
    audit = signed_in_session(server, ADMIN).get(f"{server.url}/staff/audit.csv", timeout=10)
    rows = [line.split(",")[2:5] for line in audit.text.splitlines()[1:]]
    mine = [r for r in rows if r[0] == ADMIN.name and r[1] != "login.success"]
    assert mine == [
        [ADMIN.name, "content.publish", f"content:{revised}"],
        [ADMIN.name, "proposal.publish", f"proposal:{device_id}/{lamp['id']}"],
        [ADMIN.name, "proposal.refuse", f"proposal:{device_id}/{named['id']}"],
    ]
    manifest = requests.get(
        f"{server.api}/content/manifest", headers=writer.device.headers, timeout=10
    ).json()
    assert refused_id not in {p["id"] for p in manifest["proposals"]}
