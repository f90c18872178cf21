"""긴급 공지 on the console, against the real server process: posted by a form with a real staff
login, answered to devices (GET /api/v1/emergency, 304 while unchanged, by dong), cleared with
one POST, audit-logged; refused to anonymous, to a viewer and to a 동 담당 outside their dong;
kept across a restart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.paths import asset_path
from tests.console.conftest import ADMIN, DONG, VIEWER, add_account, csrf_of, signed_in_session
from tests.server.process import EnrolledDevice, ServerProcess, start_server

PAGE = "/staff/emergency"
TEXT = "지하 주차장 침수. 지하로 내려가지 마세요."


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    running = start_server(tmp_path / "server")
    running.cli("publish", str(asset_path("demo")))
    for account in (ADMIN, VIEWER, DONG):  # the 동 담당 is 회현동's
        add_account(running, account, tmp_path)
    yield running
    running.stop()


def post_notice(server: ServerProcess, http: requests.Session, **fields: str) -> Any:
    token = csrf_of(http.get(server.url + PAGE, timeout=10).text)
    form = {"text": TEXT, "level": "danger", "dong": "", "hours": "3", **fields}
    return http.post(
        server.url + PAGE, data={**form, "csrf_token": token}, allow_redirects=False, timeout=10
    )


def clear_notice(server: ServerProcess, http: requests.Session, notice_id: int) -> Any:
    token = csrf_of(http.get(server.url + PAGE, timeout=10).text)
    return http.post(
        f"{server.url}{PAGE}/{notice_id}/clear",
        data={"csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )


def notices(server: ServerProcess, device: EnrolledDevice, dong: str | None = None) -> Any:
    r = requests.get(
        f"{server.api}/emergency",
        params={"dong": dong} if dong else None,
        headers=device.headers,
        timeout=10,
    )
    assert r.status_code == 200, r.text
    return r.json()["notices"]


def audit_actions(server: ServerProcess) -> list[str]:
    from server.db.models import AuditEvent

    with server.database() as db, db.read() as session:
        return [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]


def test_a_notice_posted_on_the_console_reaches_devices_and_goes_with_one_click(
    server: ServerProcess,
) -> None:
    device = server.enroll("신당동 아파트 전광판", mode="board")
    assert notices(server, device) == []
    admin = signed_in_session(server, ADMIN)

    r = post_notice(server, admin)

    assert r.status_code == 303, r.text
    [shown] = notices(server, device, "sindang")
    assert shown["text"] == TEXT and shown["level"] == "danger" and shown["dong"] is None
    page = admin.get(server.url + PAGE, timeout=10).text
    assert TEXT in page and f'id="clear-{shown["id"]}"' in page
    # Unchanged: 304 with no body, so a device polling every few seconds costs little.
    first = requests.get(f"{server.api}/emergency", headers=device.headers, timeout=10)
    again = requests.get(
        f"{server.api}/emergency",
        headers={**device.headers, "If-None-Match": first.headers["ETag"]},
        timeout=10,
    )
    assert again.status_code == 304 and again.content == b""

    assert clear_notice(server, admin, shown["id"]).status_code == 303

    assert notices(server, device) == []
    gone = requests.get(
        f"{server.api}/emergency",
        headers={**device.headers, "If-None-Match": first.headers["ETag"]},
        timeout=10,
    )
    assert gone.status_code == 200 and gone.json() == {"notices": []}
    assert audit_actions(server)[-2:] == ["emergency.post", "emergency.clear"]
    history = admin.get(server.url + PAGE, timeout=10).text
    assert f'id="past-{shown["id"]}"' in history and "지금 떠 있는 긴급 공지가 없습니다" in history


def test_a_notice_for_one_dong_reaches_only_that_dongs_devices(server: ServerProcess) -> None:
    device = server.enroll()
    admin = signed_in_session(server, ADMIN)

    assert post_notice(server, admin, dong="sindang", level="warning").status_code == 303

    assert [n["dong"] for n in notices(server, device, "sindang")] == ["sindang"]
    assert notices(server, device, "hoehyeon") == []
    assert notices(server, device) == []


def test_a_notice_for_a_device_group_reaches_only_the_devices_in_it(
    server: ServerProcess,
) -> None:
    from server import audit, groups

    inside = server.enroll("신당 래미안 1동 전광판", mode="board")
    outside = server.enroll("신당 래미안 2동 전광판", mode="board")
    with server.database() as db:
        by = audit.Actor("김관리", "127.0.0.1")
        groups.create(db, "raemian", "신당 래미안 전광판", by)
        groups.change(db, "raemian", "신당 래미안 전광판", [inside.device_id], by)
    admin = signed_in_session(server, ADMIN)
    page = admin.get(server.url + PAGE, timeout=10).text
    assert 'value="group:raemian"' in page and "기기 묶음: 신당 래미안 전광판" in page

    assert post_notice(server, admin, dong="group:raemian").status_code == 303

    assert [n["text"] for n in notices(server, inside, "sindang")] == [TEXT]
    assert notices(server, outside, "sindang") == []
    listed = admin.get(server.url + PAGE, timeout=10).text
    assert "기기 묶음: 신당 래미안 전광판" in listed.split("새 긴급 공지")[0]
    # An unknown group is refused beside the target; a 동 담당 may not target a group.
    unknown = post_notice(server, admin, dong="group:nowhere")
    assert unknown.status_code == 400 and "기기 묶음을 목록에서" in unknown.text
    dong = signed_in_session(server, DONG)
    assert post_notice(server, dong, dong="group:raemian").status_code == 403


def test_nobody_without_the_right_sets_or_clears_a_notice(server: ServerProcess) -> None:
    device = server.enroll()
    admin = signed_in_session(server, ADMIN)
    assert post_notice(server, admin).status_code == 303
    [for_all] = notices(server, device)
    posted_before = audit_actions(server).count("emergency.post")

    # Nobody signed in: no page, no post, no clear.
    anonymous = requests.Session()
    page = anonymous.get(server.url + PAGE, allow_redirects=False, timeout=10)
    assert page.status_code == 303 and page.headers["location"].startswith("/staff/login")
    r = anonymous.post(server.url + PAGE, data={"text": "가짜", "level": "danger"}, timeout=10)
    assert r.status_code == 401
    r = anonymous.post(f"{server.url}{PAGE}/{for_all['id']}/clear", timeout=10)
    assert r.status_code == 401
    # A viewer: neither the page nor the action.
    viewer = signed_in_session(server, VIEWER)
    assert viewer.get(server.url + PAGE, timeout=10).status_code == 403
    token = csrf_of(viewer.get(f"{server.url}/staff/", timeout=10).text)
    r = viewer.post(
        server.url + PAGE,
        data={"text": "가짜", "level": "danger", "dong": "", "hours": "3", "csrf_token": token},
        timeout=10,
    )
    assert r.status_code == 403
    # A signed-in admin without the form's CSRF token.
    r = admin.post(server.url + PAGE, data={"text": "가짜", "level": "danger"}, timeout=10)
    assert r.status_code == 403
    # A 동 담당 (회현동): not every device, not another dong, not a notice of every device.
    dong = signed_in_session(server, DONG)
    assert post_notice(server, dong, dong="").status_code == 403
    assert post_notice(server, dong, dong="sindang").status_code == 403
    assert clear_notice(server, dong, for_all["id"]).status_code == 403
    # A device token is not a staff login.
    r = requests.post(server.url + PAGE, headers=device.headers, data={"text": "가짜"}, timeout=10)
    assert r.status_code in (401, 403)

    assert [n["id"] for n in notices(server, device)] == [for_all["id"]]
    assert notices(server, device, "sindang") == [for_all]
    assert audit_actions(server).count("emergency.post") == posted_before
    assert "emergency.clear" not in audit_actions(server)

    # Their own dong they may: posted, and taken down by them.
    assert post_notice(server, dong, dong="hoehyeon").status_code == 303
    [own] = [n for n in notices(server, device, "hoehyeon") if n["dong"] == "hoehyeon"]
    assert clear_notice(server, dong, own["id"]).status_code == 303
    assert [n["id"] for n in notices(server, device, "hoehyeon")] == [for_all["id"]]


def test_devices_must_authenticate(server: ServerProcess) -> None:
    assert requests.get(f"{server.api}/emergency", timeout=10).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert requests.get(f"{server.api}/emergency", headers=bad, timeout=10).status_code == 401
    device = server.enroll()
    server.cli("revoke", device.device_id)
    r = requests.get(f"{server.api}/emergency", headers=device.headers, timeout=10)
    assert r.status_code == 403


def test_a_notice_typed_wrong_is_refused_beside_its_field(server: ServerProcess) -> None:
    admin = signed_in_session(server, ADMIN)

    empty = post_notice(server, admin, text="   ")
    long = post_notice(server, admin, text="가" * 201, hours="5", level="red")
    stranger = post_notice(server, admin, dong="atlantis")

    assert empty.status_code == 400 and "공지 내용을 입력하세요" in empty.text
    assert re.search(r'id="error-text">[^<]*200자까지', long.text)
    assert 'id="error-hours"' in long.text and 'id="error-level"' in long.text
    assert stranger.status_code == 400 and 'id="error-dong"' in stranger.text
    assert "emergency.post" not in audit_actions(server)


def test_a_notice_stays_through_a_server_restart(tmp_path: Path) -> None:
    first = start_server(tmp_path / "server")
    add_account(first, ADMIN, tmp_path)
    device = first.enroll()
    try:
        assert post_notice(first, signed_in_session(first, ADMIN)).status_code == 303
    finally:
        first.stop()
    second = start_server(tmp_path / "server")
    try:
        assert [n["text"] for n in notices(second, device)] == [TEXT]
    finally:
        second.stop()
