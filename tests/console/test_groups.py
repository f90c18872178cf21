"""기기 묶음 through the real server process, on SQLite and PostgreSQL: 관리자 make a group and
put devices in it (audited); a promotion targeted at the group is in the manifest of its devices
only, and the files of the others' promotions are not; 콘텐츠 담당 may look but change nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.console.conftest import ADMIN, DONG, VIEWER, add_account, csrf_of, signed_in_session
from tests.console.test_content import EDITOR
from tests.server.conftest import require_postgres
from tests.server.process import (
    ROOT,
    EnrolledDevice,
    ServerProcess,
    postgres_database,
    start_server,
)

DEMO = ROOT / "assets" / "demo"
WELCOME = "media/promo-welcome.png"
CLIP = "media/promo-ontong.mp4"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def staffed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The server on SQLite, then on PostgreSQL, with every role's account."""
    data_dir = tmp_path_factory.mktemp(f"groups-{request.param}")
    if request.param == "postgresql":
        require_postgres()
        with postgres_database() as url:
            running = start_server(data_dir, url)
            yield _staff(running, data_dir)
            running.stop()
        return
    running = start_server(data_dir)
    yield _staff(running, data_dir)
    running.stop()


def _staff(server: ServerProcess, data_dir: Path) -> ServerProcess:
    for account in (ADMIN, VIEWER, DONG, EDITOR):
        add_account(server, account, data_dir)
    return server


def targeted_pack(root: Path) -> Path:
    """The demo with its welcome picture only for group apt-a and its clip only for apt-b."""
    dest = root / "targeted"
    shutil.copytree(DEMO, dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    manifest["content_version"] = "2026.12.07-groups"
    for p in manifest["promotions"]:
        p["groups"] = {"welcome": ["apt-a"], "ontong-clip": ["apt-b"]}.get(p["id"], [])
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dest


def manifest(
    server: ServerProcess, device: EnrolledDevice, etag: str | None = None
) -> requests.Response:
    headers = device.headers | ({"If-None-Match": etag} if etag else {})
    return requests.get(f"{server.api}/content/manifest", headers=headers, timeout=10)


def shown(response: requests.Response) -> tuple[set[str], set[str]]:
    """(promotion ids, file paths) of a manifest answer."""
    document: dict[str, Any] = response.json()
    return {p["id"] for p in document["promotions"]}, {f["path"] for f in document["files"]}


def post(http: requests.Session, server: ServerProcess, path: str, form: Any) -> requests.Response:
    token = csrf_of(http.get(f"{server.url}/staff/", timeout=10).text)
    data = [("csrf_token", token), *(form.items() if isinstance(form, dict) else form)]
    return http.post(f"{server.url}{path}", data=data, allow_redirects=False, timeout=10)


def audit_actions(http: requests.Session, server: ServerProcess) -> list[str]:
    text = http.get(f"{server.url}/staff/audit.csv", timeout=10).text
    return [row["action"] for row in csv.DictReader(io.StringIO(text)) if "action" in row]


def test_a_group_made_in_the_console_narrows_what_its_devices_receive(
    staffed: ServerProcess, tmp_path: Path
) -> None:
    staffed.cli("publish", str(targeted_pack(tmp_path)))
    board_a = staffed.enroll(name="신당 아파트 A동 전광판", mode="board")
    board_b = staffed.enroll(name="신당 아파트 B동 전광판", mode="board")
    admin = signed_in_session(staffed, ADMIN)

    # Before any group: neither board is in apt-a or apt-b, so neither gets those two.
    before_a = manifest(staffed, board_a)
    ids, files = shown(before_a)
    assert "welcome" not in ids and "ontong-clip" not in ids
    assert WELCOME not in files and CLIP not in files
    assert "quiz-points" in ids  # untargeted promotions reach everyone

    made = post(admin, staffed, "/staff/groups", {"key": "apt-a", "name": "신당동 공동주택 A"})
    assert made.status_code == 303, made.text
    post(admin, staffed, "/staff/groups", {"key": "apt-b", "name": "신당동 공동주택 B"})
    page = admin.get(f"{staffed.url}/staff/groups/apt-a", timeout=10).text
    assert "신당 아파트 A동 전광판" in page and "신당 아파트 B동 전광판" in page
    saved = post(
        admin,
        staffed,
        "/staff/groups/apt-a",
        [("name", "신당동 공동주택 A"), ("devices", board_a.device_id)],
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("done=saved")
    post(
        admin,
        staffed,
        "/staff/groups/apt-b",
        [("name", "신당동 공동주택 B"), ("devices", board_b.device_id)],
    )

    # The old ETag no longer matches: the board in A takes its new manifest at its next poll.
    after_a = manifest(staffed, board_a, before_a.headers["ETag"])
    after_b = manifest(staffed, board_b)
    assert after_a.status_code == 200 and after_b.status_code == 200
    ids_a, files_a = shown(after_a)
    ids_b, files_b = shown(after_b)
    assert "welcome" in ids_a and "ontong-clip" not in ids_a
    assert WELCOME in files_a and CLIP not in files_a
    assert "ontong-clip" in ids_b and "welcome" not in ids_b
    assert CLIP in files_b and WELCOME not in files_b
    # Same content version, an ETag of each device's own; an unchanged one answers 304.
    assert after_a.json()["content_version"] == after_b.json()["content_version"]
    assert after_a.headers["ETag"] != after_b.headers["ETag"]
    assert manifest(staffed, board_a, after_a.headers["ETag"]).status_code == 304
    # The heartbeat names that ETag to a device that reads it, so a device whose groups changed
    # pulls at once; a device that does not read it is not sent the field.
    beat = {"app_version": "0.1.0", "content_version": None, "queue_depth": 0, "mode": "board"}
    beat["uptime_s"] = 60.0
    told = requests.post(
        f"{staffed.api}/devices/heartbeat",
        json={**beat, "reads_content_etag": True},
        headers=board_a.headers,
        timeout=10,
    ).json()
    untold = requests.post(
        f"{staffed.api}/devices/heartbeat", json=beat, headers=board_a.headers, timeout=10
    ).json()
    # (Its first heartbeat said it has no dong: the 동-targeted promotion is no longer its.)
    now_a = manifest(staffed, board_a)
    assert told["content_etag"] == now_a.headers["ETag"] != after_a.headers["ETag"]
    assert "digital-class" not in shown(now_a)[0] and "content_etag" not in untold

    fleet = admin.get(f"{staffed.url}/staff/devices/table", timeout=10).text
    row_a = fleet.split(f'id="device-{board_a.device_id}"')[1].split("</tr>")[0]
    assert "기기 묶음: 신당동 공동주택 A" in row_a
    listing = admin.get(f"{staffed.url}/staff/groups", timeout=10).text
    assert "신당동 공동주택 A" in listing and "신당 아파트 A동 전광판" in listing
    actions = audit_actions(admin, staffed)
    assert actions.count("groups.create") == 2 and actions.count("groups.change") == 2

    # Taken out of the group, the board no longer receives the group's picture.
    post(admin, staffed, "/staff/groups/apt-a", [("name", "신당동 공동주택 A")])
    assert "welcome" not in shown(manifest(staffed, board_a))[0]
    deleted = post(admin, staffed, "/staff/groups/apt-b/delete", {})
    assert deleted.status_code == 303
    assert "ontong-clip" not in shown(manifest(staffed, board_b))[0]
    assert "groups.delete" in audit_actions(admin, staffed)


def test_only_an_admin_changes_groups(staffed: ServerProcess) -> None:
    admin = signed_in_session(staffed, ADMIN)
    post(admin, staffed, "/staff/groups", {"key": "dong-kiosks", "name": "동주민센터 키오스크"})
    kiosk = staffed.enroll(name="회현동 주민센터 키오스크")
    editor = signed_in_session(staffed, EDITOR)
    before = audit_actions(admin, staffed)

    # 콘텐츠 담당 sees the groups (to know whom a promotion reaches), without the forms.
    page = editor.get(f"{staffed.url}/staff/groups/dong-kiosks", timeout=10)
    assert page.status_code == 200 and "동주민센터 키오스크" in page.text
    assert 'id="save-group"' not in page.text and "관리자만" in page.text
    refused = [
        post(editor, staffed, "/staff/groups", {"key": "mine", "name": "내 묶음"}),
        post(
            editor,
            staffed,
            "/staff/groups/dong-kiosks",
            [("name", "바꾼 이름"), ("devices", kiosk.device_id)],
        ),
        post(editor, staffed, "/staff/groups/dong-kiosks/delete", {}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403]
    for account in (VIEWER, DONG):
        other = signed_in_session(staffed, account)
        assert other.get(f"{staffed.url}/staff/groups", timeout=10).status_code == 403

    from server import groups

    with staffed.database() as db:
        group = groups.find(db, "dong-kiosks")
        assert groups.find(db, "mine") is None
    assert group is not None and group.name == "동주민센터 키오스크" and group.members == ()
    assert [a for a in audit_actions(admin, staffed) if a.startswith("groups.")] == [
        a for a in before if a.startswith("groups.")
    ]


def test_a_wrong_key_or_name_is_told_beside_its_field(staffed: ServerProcess) -> None:
    admin = signed_in_session(staffed, ADMIN)
    r = post(admin, staffed, "/staff/groups", {"key": "신당 보드", "name": ""})
    assert r.status_code == 400
    assert 'id="error-key"' in r.text and "식별자는 영문 소문자" in r.text
    assert 'id="error-name"' in r.text and "이름은 1~40자" in r.text
    assert 'value="신당 보드"' in r.text  # what was typed is shown again
    post(admin, staffed, "/staff/groups", {"key": "twice", "name": "두 번"})
    again = post(admin, staffed, "/staff/groups", {"key": "twice", "name": "또"})
    assert again.status_code == 400 and "이미 있습니다" in again.text


def test_a_notice_targeted_at_a_group_in_the_form_reaches_only_its_devices(
    staffed: ServerProcess, tmp_path: Path
) -> None:
    from tests.console.test_content import fresh_draft, notice_form, post_form

    staffed.cli("publish", str(targeted_pack(tmp_path)))
    lift_a = staffed.enroll(name="신당 아파트 A동 승강기 앞", mode="board")
    lift_b = staffed.enroll(name="신당 아파트 B동 승강기 앞", mode="board")
    admin = signed_in_session(staffed, ADMIN)
    post(admin, staffed, "/staff/groups", {"key": "lifts-a", "name": "A동 승강기 전광판"})
    post(
        admin,
        staffed,
        "/staff/groups/lifts-a",
        [("name", "A동 승강기 전광판"), ("devices", lift_a.device_id)],
    )
    editor = signed_in_session(staffed, EDITOR)
    draft = fresh_draft(editor, staffed)

    blank = editor.get(f"{staffed.url}/staff/content/draft/promotion?kind=notice", timeout=10)
    assert 'name="groups" value="lifts-a"' in blank.text and "A동 승강기 전광판" in blank.text
    form = notice_form(draft, id="lift-check-a", dongs=[], groups=["lifts-a"])
    added = post_form(editor, staffed, "/staff/content/draft/promotion", form)
    assert added.status_code == 303, added.text[-2000:]
    reopened = editor.get(
        f"{staffed.url}/staff/content/draft/promotion?key=lift-check-a", timeout=10
    )
    assert 'name="groups" value="lifts-a" checked' in reopened.text
    published = post(editor, staffed, "/staff/content/draft/publish", {"draft": draft})
    assert published.status_code == 303

    assert "lift-check-a" in shown(manifest(staffed, lift_a))[0]
    assert "lift-check-a" not in shown(manifest(staffed, lift_b))[0]
