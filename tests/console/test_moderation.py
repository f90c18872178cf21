"""제안 검토 (server.moderation) through the real server process, on SQLite and PostgreSQL: the
queue of new proposals written at kiosks (counted, non-practice only; 검토 대기 first, oldest
first), 게시 publishing a new content version derived from the newest one (its answer carried),
반려 needing a reason and publishing nothing, each decision once, two 게시 at once (through two
server processes on one database) both in the newest pack, and the refusals: no CSRF token, 보기,
a dong officer. The browser and real-kiosk end of it is tests.console.test_moderation_e2e."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from kiosk.domain.content import ContentPack
from server.moderation import proposal_id_for
from tests.console.conftest import (
    ADMIN,
    DONG,
    VIEWER,
    Account,
    add_account,
    csrf_of,
    signed_in_session,
)
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
