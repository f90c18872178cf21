"""콘텐츠 (draft → diff → publish, rollback, scheduled publish) through the real server process
and the device API: who may do what (403 and nothing changes), CSRF, two editors saving the same
item, a rule of the kiosk's models refused beside its field, the diff in words, and a publish,
a schedule and a rollback reaching a device's content endpoint."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests

from contract.pack import PackError
from contract.pack_signature import check_archive
from tests.console.conftest import (
    ADMIN,
    DONG,
    VIEWER,
    Account,
    add_account,
    csrf_of,
    signed_in_session,
)
from tests.server.process import ROOT, EnrolledDevice, ServerProcess, start_server

EDITOR = Account("최콘텐", "content-pass-1234", "content")
DEMO = ROOT / "assets" / "demo"
PROMOTION = "welcome"
REVISION = re.compile(r'name="revision" value="([0-9]+)"')


@pytest.fixture(scope="module")
def authoring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with the demo pack published, every role's account, and a due publish looked
    for every second."""
    data_dir = tmp_path_factory.mktemp("authoring")
    running = start_server(data_dir, None, "--publish-check-every", "1s")
    running.cli("publish", str(DEMO))
    for account in (ADMIN, VIEWER, DONG, EDITOR):
        add_account(running, account, data_dir)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def device(authoring: ServerProcess) -> EnrolledDevice:
    return authoring.enroll(name="회현동 주민센터 키오스크")


def get(http: requests.Session, server: ServerProcess, path: str, status: int = 200) -> str:
    r = http.get(f"{server.url}{path}", timeout=10)
    assert r.status_code == status, r.text
    return r.text


def post(
    http: requests.Session, server: ServerProcess, path: str, **form: str
) -> requests.Response:
    return post_form(http, server, path, form)


def live(server: ServerProcess, device: EnrolledDevice) -> dict[str, Any]:
    """The manifest the device API answers: what a kiosk's next sync takes."""
    r = requests.get(f"{server.api}/content/manifest", headers=device.headers, timeout=10)
    assert r.status_code == 200, r.text
    document: dict[str, Any] = r.json()
    return document


def draft_id(server: ServerProcess) -> int | None:
    from server import drafts

    with server.database() as db:
        found = drafts.current(db)
    return None if found is None else found.id


def fresh_draft(http: requests.Session, server: ServerProcess) -> str:
    """A new draft of the live version (a draft left by an earlier test is discarded)."""
    left = draft_id(server)
    if left is not None:
        assert (
            post(http, server, "/staff/content/draft/discard", draft=str(left)).status_code == 303
        )
    r = post(http, server, "/staff/content/draft")
    assert r.status_code == 303, r.text
    return str(draft_id(server))


def item_path(section: str, key: str) -> str:
    return f"/staff/content/draft/item?section={section}&key={quote(key)}"


def opened_revision(http: requests.Session, server: ServerProcess, section: str, key: str) -> str:
    found = REVISION.search(get(http, server, item_path(section, key)))
    assert found is not None
    return found.group(1)


def save_promotion(
    http: requests.Session, server: ServerProcess, draft: str, revision: str, **fields: str
) -> requests.Response:
    form = {
        "draft": draft,
        "section": "promotions",
        "key": PROMOTION,
        "revision": revision,
        "title_ko": "온통중구에 오신 것을 환영합니다",
        "starts_at": "2026-01-01T00:00",
        "ends_at": "2030-12-31T23:59",
        "priority": "0",
        **fields,
    }
    return post(http, server, "/staff/content/draft/item", **form)


def versions(server: ServerProcess) -> list[str]:
    from server import drafts

    with server.database() as db:
        return [v.content_version for v in drafts.versions(db)]


def audit_actions(server: ServerProcess) -> list[str]:
    from server import audit

    with server.database() as db:
        return [e.action for e in audit.events(db)]


def assert_beside(r: requests.Response, field: str, words: str) -> None:
    """The form came back refused (400) with `words` in the problem beside `field`."""
    import html

    assert r.status_code == 400
    found = re.search(rf'id="error-{field}">([^<]*)<', html.unescape(r.text))
    assert found is not None and words in found.group(1), re.findall(r"field-error[^<]*<", r.text)


def not_in_draft(server: ServerProcess, section: str, key: str) -> bool:
    from server import drafts

    with server.database() as db:
        kept = drafts.current(db)
    return kept is not None and kept.item(section, key) is None


def content_events(actions: list[str]) -> list[str]:
    return [a for a in actions if a.startswith("content.")]


@pytest.mark.parametrize("account", [VIEWER, DONG], ids=["viewer", "dong"])
def test_a_viewer_or_dong_officer_cannot_draft_publish_or_roll_back(
    authoring: ServerProcess, account: Account
) -> None:
    editor = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(editor, authoring)
    before_versions, before_audit = versions(authoring), audit_actions(authoring)
    http = signed_in_session(authoring, account)

    pages = [
        http.get(f"{authoring.url}{p}", timeout=10).status_code
        for p in ("/staff/content", "/staff/content/draft", "/staff/content/draft/diff")
    ]
    refused = [
        post(http, authoring, path, **form).status_code
        for path, form in (
            ("/staff/content/draft", {}),
            ("/staff/content/draft/publish", {"draft": draft}),
            ("/staff/content/draft/schedule", {"draft": draft, "publish_at": "2030-01-01T09:00"}),
            ("/staff/content/draft/discard", {"draft": draft}),
            (f"/staff/content/versions/{quote(before_versions[-1])}/rollback", {}),
            (
                "/staff/content/draft/item",
                {"draft": draft, "section": "promotions", "key": PROMOTION, "revision": "1"},
            ),
        )
    ]

    assert pages == [403, 403, 403]
    assert refused == [403] * 6
    assert versions(authoring) == before_versions
    assert content_events(audit_actions(authoring)) == content_events(before_audit)
    assert draft_id(authoring) == int(draft)


def test_a_post_without_its_csrf_token_changes_nothing(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, ADMIN)
    draft = fresh_draft(http, authoring)
    before = versions(authoring)

    missing = http.post(
        f"{authoring.url}/staff/content/draft/publish", data={"draft": draft}, timeout=10
    )
    rollback = http.post(
        f"{authoring.url}/staff/content/versions/{quote(before[-1])}/rollback",
        data={"csrf_token": "forged"},
        timeout=10,
    )

    assert (missing.status_code, rollback.status_code) == (403, 403)
    assert "양식이 만료되었거나" in missing.text
    assert versions(authoring) == before
    assert live(authoring, device)["content_version"] == before[0]


def test_two_editors_saving_the_same_item_the_second_is_told_and_nothing_is_overwritten(
    authoring: ServerProcess,
) -> None:
    first, second = signed_in_session(authoring, ADMIN), signed_in_session(authoring, EDITOR)
    draft = fresh_draft(first, authoring)
    # Both open the same promotion before either saves.
    rev_first = opened_revision(first, authoring, "promotions", PROMOTION)
    rev_second = opened_revision(second, authoring, "promotions", PROMOTION)

    saved = save_promotion(first, authoring, draft, rev_first, title_ko="첫째 편집자의 제목")
    refused = save_promotion(second, authoring, draft, rev_second, title_ko="둘째 편집자의 제목")

    assert saved.status_code == 303, saved.text
    assert refused.status_code == 409
    assert f"{ADMIN.name}님이" in refused.text and "먼저 저장했습니다" in refused.text
    assert "내 변경은 저장하지 않았습니다" in refused.text
    # The refusal shows both: what is stored and what the second editor typed.
    assert "첫째 편집자의 제목" in refused.text and "둘째 편집자의 제목" in refused.text
    stored = get(first, authoring, item_path("promotions", PROMOTION))
    assert 'value="첫째 편집자의 제목"' in stored and "둘째 편집자의 제목" not in stored
    # Reopened, the second editor's save from the new revision goes through.
    again = save_promotion(
        second,
        authoring,
        draft,
        opened_revision(second, authoring, "promotions", PROMOTION),
        title_ko="둘째 편집자의 제목",
    )
    assert again.status_code == 303
    assert audit_actions(authoring).count("content.draft_save") >= 2


def test_a_rule_of_the_kiosks_model_is_refused_beside_its_field(
    authoring: ServerProcess,
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    revision = opened_revision(http, authoring, "promotions", PROMOTION)

    backwards = save_promotion(
        http, authoring, draft, revision, starts_at="2027-01-01T00:00", ends_at="2026-01-01T00:00"
    )
    unreadable = save_promotion(http, authoring, draft, revision, priority="높음")
    empty = save_promotion(http, authoring, draft, revision, title_ko="")

    assert backwards.status_code == 400
    assert re.search(r'id="error-ends_at">[^<]*보다 뒤여야 합니다', backwards.text)
    assert unreadable.status_code == 400
    assert re.search(r'id="error-priority">정수를 입력하세요', unreadable.text)
    assert empty.status_code == 400 and 'id="error-title_ko">제목을 입력하세요' in empty.text
    # Nothing was saved: the item is at the revision it was opened at.
    assert opened_revision(http, authoring, "promotions", PROMOTION) == revision


def test_the_diff_names_each_change_in_words_and_publishing_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    before = live(authoring, device)
    revision = opened_revision(http, authoring, "promotions", PROMOTION)
    assert (
        save_promotion(
            http, authoring, draft, revision, title_ko="중구에 어서 오세요", priority="7"
        ).status_code
        == 303
    )
    survey = before["surveys"][0]
    gone = post(
        http,
        authoring,
        "/staff/content/draft/item/remove",
        draft=draft,
        section="surveys",
        key=survey["id"],
        revision=opened_revision(http, authoring, "surveys", survey["id"]),
    )
    assert gone.status_code == 303

    diff = get(http, authoring, "/staff/content/draft/diff")

    assert 'id="change-count">2<' in diff
    assert "변경" in diff and "삭제" in diff and survey["title"]["ko"] in diff
    assert "온통중구에 오신 것을 환영합니다" in diff and "중구에 어서 오세요" in diff
    assert "우선순위" in diff and "{" not in re.sub(r"<[^>]+>", "", diff.split("<main", 1)[1])
    assert live(authoring, device)["content_version"] == before["content_version"]

    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert published.status_code == 303
    now = live(authoring, device)
    assert now["content_version"] != before["content_version"]
    welcome = next(p for p in now["promotions"] if p["id"] == PROMOTION)
    assert (welcome["title"]["ko"], welcome["priority"]) == ("중구에 어서 오세요", 7)
    assert survey["id"] not in {s["id"] for s in now["surveys"]}
    listing = get(http, authoring, "/staff/content")
    assert now["content_version"] in listing and "초안 게시" in listing
    assert "content.draft_publish" in audit_actions(authoring)


def test_a_rollback_is_a_new_version_with_the_old_content_and_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, ADMIN)
    draft = fresh_draft(http, authoring)
    original = versions(authoring)[-1]
    revision = opened_revision(http, authoring, "promotions", PROMOTION)
    assert (
        save_promotion(http, authoring, draft, revision, title_ko="되돌릴 제목").status_code == 303
    )
    assert post(http, authoring, "/staff/content/draft/publish", draft=draft).status_code == 303
    newest = live(authoring, device)["content_version"]

    confirm = get(http, authoring, f"/staff/content/versions/{quote(original)}/rollback")
    r = post(http, authoring, f"/staff/content/versions/{quote(original)}/rollback")

    assert "되돌릴 제목" in confirm and "온통중구에 오신 것을 환영합니다" in confirm
    assert r.status_code == 303
    now = live(authoring, device)
    assert now["content_version"] not in (newest, original)  # a new version: devices move on
    assert versions(authoring)[0] == now["content_version"]
    from server.db.models import Manifest

    with authoring.database() as db, db.read() as session:
        from sqlalchemy import select

        old = session.scalars(select(Manifest).where(Manifest.content_version == original)).one()
    import json

    old_doc = json.loads(old.body)
    for part in ("surveys", "promotions", "proposals", "files", "district"):
        assert now[part] == old_doc[part], part
    assert "content.rollback" in audit_actions(authoring)


def test_a_scheduled_publish_happens_without_a_click(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    from datetime import UTC, datetime, timedelta

    from server import audit, drafts

    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    revision = opened_revision(http, authoring, "promotions", PROMOTION)
    assert (
        save_promotion(http, authoring, draft, revision, title_ko="예약된 제목").status_code == 303
    )
    # The form takes minutes; a test cannot wait for the next one: the same call, 2 s ahead.
    with authoring.database() as db:
        drafts.schedule(
            db, int(draft), datetime.now(UTC) + timedelta(seconds=2), audit.Actor(EDITOR.name)
        )
    assert "게시 예약" in get(http, authoring, "/staff/content")

    deadline = time.monotonic() + 20
    title = None
    while time.monotonic() < deadline:
        document = live(authoring, device)
        title = next(p for p in document["promotions"] if p["id"] == PROMOTION)["title"]["ko"]
        if title == "예약된 제목":
            break
        time.sleep(0.5)

    assert title == "예약된 제목"
    assert draft_id(authoring) is None
    with authoring.database() as db:
        event = next(e for e in audit.events(db) if e.action == "content.draft_publish")
    assert (event.actor, event.client) == (EDITOR.name, audit.SCHEDULED)


def test_the_schedule_form_refuses_a_time_in_the_past_beside_the_field(
    authoring: ServerProcess,
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    revision = opened_revision(http, authoring, "promotions", PROMOTION)
    save_promotion(http, authoring, draft, revision, title_ko="과거 예약")

    past = post(
        http, authoring, "/staff/content/draft/schedule", draft=draft, publish_at="2020-01-01T09:00"
    )
    garbled = post(
        http, authoring, "/staff/content/draft/schedule", draft=draft, publish_at="내일 아침"
    )

    assert past.status_code == 400 and 'id="error-publish-at">예약 시각은 지금보다' in past.text
    assert garbled.status_code == 400 and "2026-12-24 09:00처럼" in garbled.text
    with authoring.database() as db:
        from server import drafts

        found = drafts.current(db)
    assert found is not None and found.status == "open"


def test_every_content_page_renders_for_an_editor(authoring: ServerProcess, tmp_path: Path) -> None:
    http = signed_in_session(authoring, EDITOR)
    fresh_draft(http, authoring)
    for path in (
        "/staff/content",
        "/staff/content/draft",
        "/staff/content/draft/diff",
        item_path("district", "district"),
        item_path("files", "media/promo-welcome.png"),
        f"/staff/content/versions/{quote(versions(authoring)[-1])}/rollback",
    ):
        html = get(http, authoring, path)
        assert 'lang="ko"' in html and "Traceback" not in html, path


def test_an_editor_drafts_checks_the_diff_and_publishes_in_the_browser(
    authoring: ServerProcess, device: EnrolledDevice, browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    from tests.console.conftest import page_errors
    from tests.console.test_browser import click_through, sign_in, text_of

    left = draft_id(authoring)
    if left is not None:
        http = signed_in_session(authoring, EDITOR)
        post(http, authoring, "/staff/content/draft/discard", draft=str(left))
    document = live(authoring, device)
    before, before_title = document["content_version"], promotion_title(document)
    sign_in(browser, authoring, EDITOR, "/staff/content")

    click_through(browser, "start-draft")
    assert "초안을 만들었습니다" in text_of(browser)
    browser.get(authoring.url + item_path("promotions", PROMOTION))
    title = browser.find_element(By.ID, "field-title_ko")
    title.clear()
    title.send_keys("브라우저에서 고친 제목")
    click_through(browser, "save-item")
    assert "항목을 초안에 저장했습니다" in text_of(browser)
    click_through(browser, "open-diff")
    diff = text_of(browser)
    assert "게시 전 확인" in diff and "변경" in diff
    assert before_title in diff and "브라우저에서 고친 제목" in diff
    click_through(browser, "publish-now")

    assert "게시했습니다" in text_of(browser)
    now = live(authoring, device)
    assert now["content_version"] != before
    assert promotion_title(now) == "브라우저에서 고친 제목"
    assert browser.find_element(By.CSS_SELECTOR, "tr.row-live").text.startswith(
        now["content_version"]
    )
    assert page_errors(browser) == []


def promotion_title(document: dict[str, Any]) -> str:
    return str(next(p for p in document["promotions"] if p["id"] == PROMOTION)["title"]["ko"])


def archive_of(server: ServerProcess, account: Account = EDITOR) -> bytes:
    http = signed_in_session(server, account)
    r = http.get(f"{server.url}/staff/content/export", timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert "attachment" in r.headers["content-disposition"]
    return r.content


def import_file(
    http: requests.Session,
    server: ServerProcess,
    data: bytes,
    name: str = "content.zip",
    **extra: str,
) -> requests.Response:
    token = csrf_of(get(http, server, "/staff/content"))
    return http.post(
        f"{server.url}/staff/content/import",
        data={"csrf_token": token, **extra},
        files={"archive": (name, data, "application/zip")},
        allow_redirects=False,
        timeout=60,
    )


def rezipped(data: bytes, change: Any) -> bytes:
    """The archive with `change(members)` applied to its {name: bytes}."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def test_an_export_imported_on_another_server_becomes_its_live_version(
    authoring: ServerProcess, tmp_path: Path
) -> None:
    import io
    import json
    import zipfile

    exported = archive_of(authoring)
    source = json.loads(zipfile.ZipFile(io.BytesIO(exported)).read("manifest.json"))
    other = start_server(tmp_path / "other")
    try:
        add_account(other, ADMIN, tmp_path)
        device = other.enroll(name="다른 서버의 키오스크")
        # The export is also the USB pack: signed with the content key the authoring server's
        # devices receive at enrolment, which another server's devices refuse.
        (tmp_path / "usb.zip").write_bytes(exported)
        own = authoring.enroll(name="USB로 콘텐츠를 받을 키오스크")
        assert own.content_public_key is not None and device.content_public_key is not None
        assert check_archive(tmp_path / "usb.zip", own.content_public_key)
        with pytest.raises(PackError, match="서버 것이 아니"):
            check_archive(tmp_path / "usb.zip", device.content_public_key)
        r = import_file(signed_in_session(other, ADMIN), other, exported)

        assert r.status_code == 303 and r.headers["location"].endswith("done=imported")
        now = live(other, device)
        assert now == source
        for entry in now["files"][:3]:
            asset = requests.get(
                f"{other.api}/assets/{entry['sha256']}", headers=device.headers, timeout=10
            )
            assert len(asset.content) == entry["size"]
        again = import_file(signed_in_session(other, ADMIN), other, exported)
        assert again.headers["location"].endswith("done=unchanged")
    finally:
        other.stop()
    assert "content.export" in audit_actions(authoring)


BROKEN_ARCHIVES = {
    "cut short": lambda data: data[: len(data) // 2],
    "not a zip": lambda data: b"PK\x03\x04 this is no archive at all",
    "a file changed": lambda data: rezipped(
        data, lambda m: m.update({"media/promo-welcome.png": b"not the picture"})
    ),
    "a path outside": lambda data: rezipped(data, lambda m: m.update({"../escaped.txt": b"x"})),
    "no manifest": lambda data: rezipped(data, lambda m: m.pop("manifest.json")),
    "an invalid manifest": lambda data: rezipped(
        data,
        lambda m: m.update(
            {
                "manifest.json": m["manifest.json"].replace(
                    b'"schema_version": 1', b'"schema_version": 9'
                )
            }
        ),
    ),
}
BROKEN_WORDS = {
    "cut short": "콘텐츠 묶음 파일(.zip)이 아니거나",
    "not a zip": "콘텐츠 묶음 파일(.zip)이 아니거나",
    "a file changed": "media/promo-welcome.png: 크기가 매니페스트와 다릅니다",
    "a path outside": "쓸 수 없는 경로 '../escaped.txt'",
    "no manifest": "맨 위에 manifest.json이 없습니다",
    "an invalid manifest": "지원하지 않는 스키마 버전 9",
}


@pytest.mark.parametrize("broken", list(BROKEN_ARCHIVES))
def test_a_broken_archive_is_refused_in_korean_and_the_live_version_stays(
    authoring: ServerProcess, device: EnrolledDevice, broken: str
) -> None:
    import html

    good = archive_of(authoring)
    before = live(authoring, device)
    http = signed_in_session(authoring, EDITOR)

    r = import_file(http, authoring, BROKEN_ARCHIVES[broken](good), name="망가진.zip")

    assert r.status_code == 400
    text = html.unescape(r.text)
    assert 'id="import-error"' in text and "가져오지 않았습니다" in text
    assert "게시 중인 버전은 그대로입니다" in text and BROKEN_WORDS[broken] in text
    assert live(authoring, device) == before
    assert not (authoring.data_dir / "escaped.txt").exists()
    assert not (authoring.data_dir / "work" / "escaped.txt").exists()
    assert list((authoring.data_dir / "work").glob("import-*")) == []


def test_importing_and_exporting_is_refused_without_the_right_or_the_token(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    good = archive_of(authoring)
    before = live(authoring, device)["content_version"]
    changed = rezipped(
        good,
        lambda m: m.update(
            {
                "manifest.json": m["manifest.json"].replace(
                    b'"content_version": "', b'"content_version": "x'
                )
            }
        ),
    )
    refused = []
    for account in (VIEWER, DONG):
        http = signed_in_session(authoring, account)
        refused.append(_post_import_as(http, authoring, changed))
        refused.append(http.get(f"{authoring.url}/staff/content/export", timeout=10).status_code)
    editor = signed_in_session(authoring, EDITOR)
    no_token = editor.post(
        f"{authoring.url}/staff/content/import",
        files={"archive": ("c.zip", changed, "application/zip")},
        timeout=30,
    )

    assert refused == [403, 403, 403, 403]
    assert no_token.status_code == 403
    assert live(authoring, device)["content_version"] == before


def _post_import_as(http: requests.Session, server: ServerProcess, data: bytes) -> int:
    """An import POST with the session's own token, from a page the role may open."""
    token = csrf_of(get(http, server, "/staff/"))
    r = http.post(
        f"{server.url}/staff/content/import",
        data={"csrf_token": token},
        files={"archive": ("c.zip", data, "application/zip")},
        allow_redirects=False,
        timeout=30,
    )
    return r.status_code


def notice_form(draft: str, **fields: Any) -> dict[str, Any]:
    """The 새 알림 form as staff fill it: a snow notice for 회현동, every day, for two days."""
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone(timedelta(hours=9)))
    form: dict[str, Any] = {
        "draft": draft,
        "kind": "notice",
        "id": "snow-2026-12",
        "title_ko": "대설 주의보",
        "body_ko": "내일 아침까지 눈이 많이 옵니다. 계단과 골목길을 조심하세요.",
        "asset": "",
        "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "weekdays": [str(d) for d in range(7)],
        "window_start": "",
        "window_end": "",
        "dongs": ["hoehyeon"],
        "priority": "20",
        "duration_s": "15",
    }
    form.update(fields)
    return form


def post_form(
    http: requests.Session, server: ServerProcess, path: str, form: dict[str, Any]
) -> requests.Response:
    token = csrf_of(get(http, server, "/staff/"))
    return http.post(
        f"{server.url}{path}",
        data={"csrf_token": token, **form},
        allow_redirects=False,
        timeout=30,
    )


def test_a_notice_written_in_the_form_is_published_and_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    blank = get(http, authoring, "/staff/content/draft/promotion?kind=notice")
    assert 'name="id" id="field-id" value="notice-' in blank

    added = post_form(http, authoring, "/staff/content/draft/promotion", notice_form(draft))
    diff = get(http, authoring, "/staff/content/draft/diff")
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert added.status_code == 303, added.text
    assert "추가" in diff and "대설 주의보" in diff and "snow-2026-12" in diff
    assert published.status_code == 303
    notice = next(p for p in live(authoring, device)["promotions"] if p["id"] == "snow-2026-12")
    assert notice["kind"] == "notice" and notice["title"] == {"ko": "대설 주의보"}
    assert notice["body"]["ko"].startswith("내일 아침까지")
    assert (notice["dongs"], notice["priority"], notice["duration_s"]) == (["hoehyeon"], 20, 15.0)
    assert notice["starts_at"].endswith("+09:00") and notice["weekdays"] == list(range(7))
    assert "content.draft_add" in audit_actions(authoring)


NOTICE_MISTAKES = {
    "no body": ({"body_ko": ""}, "body_ko", "알림(notice)에는 본문(body)이 있어야 합니다"),
    "ends first": ({"ends_at": "2020-01-01T09:00"}, "ends_at", "starts_at보다 뒤여야 합니다"),
    "no weekday": ({"weekdays": []}, "weekdays", "요일이 하나도 없습니다"),
    "id taken": ({"id": PROMOTION}, "id", "이미 있는 id입니다"),
    "id unreadable": ({"id": "Snow Day"}, "id", "형식이 맞지 않습니다"),
    "picture without file": ({"kind": "image"}, "asset", "홍보물에는 파일(asset)이 있어야"),
    "notice with file": (
        {"asset": "media/promo-welcome.png"},
        "asset",
        "알림(notice)에는 파일을 붙이지 않습니다",
    ),
    "half a window": ({"window_start": "09:00"}, "window", "둘 다 비우세요"),
    "same window ends": (
        {"window_start": "09:00", "window_end": "09:00"},
        "window",
        "시작과 끝 시각이 같습니다",
    ),
    "no date": ({"starts_at": ""}, "starts_at", "2026-12-24 09:00처럼"),
}


def test_an_existing_promotion_is_edited_in_the_form_and_a_stale_save_is_refused(
    authoring: ServerProcess,
) -> None:
    first, second = signed_in_session(authoring, ADMIN), signed_in_session(authoring, EDITOR)
    draft = fresh_draft(first, authoring)
    path = f"/staff/content/draft/promotion?key={PROMOTION}"
    opened_first, opened_second = get(first, authoring, path), get(second, authoring, path)
    revision = REVISION.search(opened_first)
    assert revision is not None and REVISION.search(opened_second) is not None

    def form(title: str) -> dict[str, Any]:
        values = notice_form(
            draft, kind="image", asset="media/promo-welcome.png", title_ko=title, body_ko=""
        )
        return {**values, "key": PROMOTION, "revision": revision.group(1), "id": PROMOTION}

    saved = post_form(first, authoring, "/staff/content/draft/promotion", form("첫째 제목"))
    stale = post_form(second, authoring, "/staff/content/draft/promotion", form("둘째 제목"))

    assert saved.status_code == 303
    assert stale.status_code == 409 and "먼저 저장했습니다" in stale.text
    with authoring.database() as db:
        from server import drafts

        kept = drafts.current(db)
    assert kept is not None
    item = kept.item("promotions", PROMOTION)
    assert item is not None and item.body["title"]["ko"] == "첫째 제목"
    assert item.body["dongs"] == ["hoehyeon"] and item.body["priority"] == 20


def survey_form(draft: str, **fields: str) -> dict[str, Any]:
    """The 새 설문 form: a yes/no question, then a choice shown only to those who said yes."""
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone(timedelta(hours=9)))
    form = {
        "draft": draft,
        "kind": "survey",
        "id": "parking-2026",
        "title_ko": "골목 주차 의견 조사",
        "description_ko": "동네 골목 주차에 대한 생각을 알려 주세요.",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "points": "",
        "url": "",
        "question_count": "2",
        "q-0-id": "drive",
        "q-0-type": "yes_no",
        "q-0-prompt": "차를 쓰시나요?",
        "q-0-required": "on",
        "q-1-id": "where",
        "q-1-type": "single_choice",
        "q-1-prompt": "어디에 주로 세우시나요?",
        "q-1-required": "on",
        "q-1-options": "street=골목길\nlot=공영주차장\nhome=집 주차장",
        "q-1-show_if_question": "drive",
        "q-1-show_if_any_of": "yes",
        "do": "save",
    }
    form.update(fields)
    return form


def test_a_survey_with_a_show_if_question_written_in_the_form_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    assert 'id="save-survey"' in get(http, authoring, "/staff/content/draft/survey")

    added = post_form(http, authoring, "/staff/content/draft/survey", survey_form(draft))
    diff = get(http, authoring, "/staff/content/draft/diff")
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert added.status_code == 303, added.text[-2000:]
    assert "추가" in diff and "골목 주차 의견 조사" in diff
    assert published.status_code == 303
    survey = next(s for s in live(authoring, device)["surveys"] if s["id"] == "parking-2026")
    drive, where = survey["questions"]
    # Required is the default: left unwritten, as a hand-written pack has it.
    assert drive == {"id": "drive", "type": "yes_no", "prompt": {"ko": "차를 쓰시나요?"}}
    assert where["show_if"] == {"question": "drive", "any_of": ["yes"]}
    assert [o["id"] for o in where["options"]] == ["street", "lot", "home"]
    assert survey["url"] == "https://ontong.junggu.seoul.kr/survey/parking-2026"


SURVEY_MISTAKES = {
    "show-if on a later question": (
        {"q-1-show_if_question": "later"},
        "q-1-show_if_question",
        "조건에 쓴 질문 'later'이 앞에 없습니다",
    ),
    "show-if answer not there": (
        {"q-1-show_if_any_of": "maybe"},
        "q-1-show_if_any_of",
        "없는 답 'maybe'",
    ),
    "one option": ({"q-1-options": "street=골목길"}, "q-1-options", "항목이 너무 적습니다"),
    "option id unreadable": (
        {"q-1-options": "Street Side=골목길\nlot=공영주차장"},
        "q-1-options",
        "형식이 맞지 않습니다",
    ),
    "quiz without answers": ({"kind": "quiz"}, "q-0-correct", "정답(correct)과 해설"),
    "closes first": ({"closes_at": "2020-01-01T09:00"}, "closes_at", "opens_at보다 뒤여야"),
    "points out of range": ({"points": "50"}, "points", "100~10,000 사이여야"),
    "address elsewhere": ({"url": "https://example.com/x"}, "url", "온통중구 주소가 아닙니다"),
    "question without prompt": ({"q-0-prompt": ""}, "q-0-prompt", "질문을 입력하세요"),
    "no description": ({"description_ko": ""}, "description_ko", "설명을 입력하세요"),
}


def test_adding_a_question_shows_one_more_and_saves_nothing(authoring: ServerProcess) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)

    r = post_form(
        http,
        authoring,
        "/staff/content/draft/survey",
        survey_form(draft, id="more-2026", do="add_question"),
    )

    assert r.status_code == 200
    assert 'name="question_count" value="3"' in r.text and 'id="q-2-prompt"' in r.text
    assert 'value="어디에 주로 세우시나요?"' in r.text
    assert not_in_draft(authoring, "surveys", "more-2026")


def test_an_existing_survey_edited_in_the_form_keeps_what_the_form_does_not_show(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    survey = live(authoring, device)["surveys"][0]
    form = form_as_opened(http, authoring, f"/staff/content/draft/survey?key={survey['id']}")
    form.update(title_ko="고친 설문 제목", do="save")

    saved = post_form(http, authoring, "/staff/content/draft/survey", form)
    assert saved.status_code == 303, re.findall(r"field-error[^<]*<", saved.text)
    assert post(http, authoring, "/staff/content/draft/publish", draft=draft).status_code == 303

    now = next(s for s in live(authoring, device)["surveys"] if s["id"] == survey["id"])
    assert now["title"] == {**survey["title"], "ko": "고친 설문 제목"}
    assert now["questions"] == survey["questions"]


def test_an_image_choice_question_is_edited_picture_by_picture_and_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    survey = next(
        s for s in live(authoring, device)["surveys"] if s["id"] == "2026-walkable-junggu"
    )
    path = f"/staff/content/draft/survey?key={survey['id']}"
    opened = form_as_opened(http, authoring, path)
    assert (
        opened["q-0-type"] == "image_choice"
        and opened["q-0-o-1-image"] == "media/route-deoksugung.jpg"
    )

    # One more picture, then the new one left without its picture: told beside it.
    grown = post_form(http, authoring, path, {**opened, "do": "add_picture-0"})
    assert grown.status_code == 200 and 'id="q-0-o-4-image"' in grown.text
    more = {**opened, "q-0-option_count": "5", "q-0-o-4-id": "jeongdong", "q-0-o-4-label": "정동길"}
    refused = post_form(http, authoring, path, {**more, "q-0-o-4-image": "", "do": "save"})
    assert_beside(refused, "q-0-o-4-image", "그림을 고르세요")
    saved = post_form(
        http, authoring, path, {**more, "q-0-o-4-image": "media/route-seoullo.jpg", "do": "save"}
    )
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert saved.status_code == 303, re.findall(r"field-error[^<]*<", saved.text)
    assert published.status_code == 303
    now = next(s for s in live(authoring, device)["surveys"] if s["id"] == survey["id"])
    options = now["questions"][0]["options"]
    assert options[:4] == survey["questions"][0]["options"]  # English labels kept
    assert options[4] == {
        "id": "jeongdong",
        "label": {"ko": "정동길"},
        "image": "media/route-seoullo.jpg",
    }
    assert now["questions"][1:] == survey["questions"][1:]


def test_an_image_choice_picture_is_picked_by_its_thumbnail_in_the_browser(
    authoring: ServerProcess, browser: Any
) -> None:
    """The picture of a new image-choice option is chosen from the draft's pictures, each shown
    by its thumbnail (no path typed); left unchosen, the problem is beside the picker."""
    from selenium.webdriver.common.by import By

    from tests.console.conftest import page_errors
    from tests.console.test_browser import click_through, sign_in, type_into

    http = signed_in_session(authoring, EDITOR)
    fresh_draft(http, authoring)
    sign_in(browser, authoring, EDITOR, "/staff/content/draft/survey?key=2026-walkable-junggu")
    click_through(browser, "add-picture-0")
    count = browser.find_element(By.NAME, "q-0-option_count").get_attribute("value")
    row = f"q-0-o-{int(count) - 1}-"  # the new option (an earlier test may have added one)
    type_into(browser, f"{row}id", "jeongdong-walk")
    type_into(browser, f"{row}label", "정동길")
    thumbnails = browser.find_elements(By.CSS_SELECTOR, f"#{row}image .pick img")
    assert len(thumbnails) >= 4
    for img in thumbnails:
        browser.execute_script("arguments[0].scrollIntoView()", img)
    assert all(
        browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)
        for img in thumbnails
    )
    click_through(browser, "save-survey")
    problem = browser.find_element(By.ID, f"error-{row}image")
    assert "그림을 고르세요" in problem.text and problem.is_displayed()
    picker = browser.find_element(By.ID, f"{row}image")
    assert picker.get_attribute("aria-invalid") == "true"
    assert all("status of 400" in e for e in page_errors(browser))
    pick_picture(browser, f"{row}image", "media/route-seoullo.jpg")
    click_through(browser, "save-survey")
    assert "/staff/content/draft?done=saved" in browser.current_url
    survey = draft_item(authoring, "surveys", "2026-walkable-junggu")
    assert survey["questions"][0]["options"][-1] == {
        "id": "jeongdong-walk",
        "label": {"ko": "정동길"},
        "image": "media/route-seoullo.jpg",
    }


def draft_item(server: ServerProcess, section: str, key: str) -> dict[str, Any]:
    from server import drafts

    with server.database() as db:
        found = drafts.current(db)
    assert found is not None
    item = found.item(section, key)
    assert item is not None
    body: dict[str, Any] = item.body
    return body


def test_a_choice_question_made_an_image_choice_asks_for_its_pictures(
    authoring: ServerProcess,
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    form = survey_form(draft, id="route-2026", **{"q-1-type": "image_choice"})

    asked = post_form(http, authoring, "/staff/content/draft/survey", form)

    assert asked.status_code == 400
    assert "그림 보기에는 그림(image)이 있어야 합니다" in asked.text
    # The options typed in the box come back one by one, each with a picture to choose.
    assert 'name="q-1-option_count" value="3"' in asked.text
    assert (
        'id="q-1-o-2-label" value="집 주차장"' in asked.text and 'id="q-1-o-0-image"' in asked.text
    )
    assert not_in_draft(authoring, "surveys", "route-2026")


def test_a_duplicated_promotion_is_a_new_item_opened_for_editing(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    original = next(p for p in live(authoring, device)["promotions"] if p["id"] == PROMOTION)

    first = post(
        http,
        authoring,
        "/staff/content/draft/item/duplicate",
        draft=draft,
        section="promotions",
        key=PROMOTION,
    )
    second = post(
        http,
        authoring,
        "/staff/content/draft/item/duplicate",
        draft=draft,
        section="promotions",
        key=PROMOTION,
    )
    files = post(
        http,
        authoring,
        "/staff/content/draft/item/duplicate",
        draft=draft,
        section="files",
        key="media/promo-welcome.png",
    )

    assert first.status_code == 303
    assert first.headers["location"].endswith(f"/draft/promotion?key={PROMOTION}-copy")
    assert second.headers["location"].endswith(f"key={PROMOTION}-copy2")
    assert files.status_code == 409
    opened = get(http, authoring, first.headers["location"])
    assert f'value="{original["title"]["ko"]} (복사본)"' in opened
    with authoring.database() as db:
        from server import drafts

        kept = drafts.current(db)
    assert kept is not None
    copy = kept.item("promotions", f"{PROMOTION}-copy")
    assert copy is not None
    assert {k: v for k, v in copy.body.items() if k not in ("id", "title")} == {
        k: v for k, v in original.items() if k not in ("id", "title")
    }
    assert "content.draft_add" in audit_actions(authoring)


def test_a_rollback_reaches_a_real_device_at_its_next_content_pull(
    authoring: ServerProcess, tmp_path: Path
) -> None:
    """The device's own sync (enrolled, approved, the worker's ContentSync on its own store):
    after a published change and a rollback, the rolled-back content is what it shows."""
    from kiosk.pack import AssetCache
    from kiosk.pack.install import active_pack
    from kiosk.store.content_repo import ContentRepository
    from kiosk.store.db import open_database
    from kiosk.store.settings import DeviceSettings
    from sync.client import SyncClient
    from sync.content import ContentSync
    from sync.worker import enroll_device

    db = open_database(tmp_path / "kiosk")
    try:
        settings = DeviceSettings(db)
        enrolment = enroll_device(
            settings, authoring.url, authoring.new_code(), name="명동 키오스크", mode="kiosk"
        )
        authoring.approve(enrolment.device_id)
        repo = ContentRepository(db)
        content = ContentSync(
            SyncClient(enrolment.server_url, enrolment.token),
            repo,
            AssetCache(tmp_path / "kiosk" / "assets"),
            settings,
            tmp_path / "kiosk" / "downloads",
        )
        first = content.pull().version
        http = signed_in_session(authoring, ADMIN)
        draft = fresh_draft(http, authoring)
        revision = opened_revision(http, authoring, "promotions", PROMOTION)
        save_promotion(http, authoring, draft, revision, title_ko="잘못 게시된 제목")
        assert post(http, authoring, "/staff/content/draft/publish", draft=draft).status_code == 303
        changed = content.pull()
        shown = active_pack(repo)
        assert changed.activated and shown is not None
        assert next(p for p in shown.promotions if p.id == PROMOTION).title.ko == "잘못 게시된 제목"
        assert first is not None

        rolled = post(http, authoring, f"/staff/content/versions/{quote(first)}/rollback")
        after = content.pull()

        assert rolled.status_code == 303
        assert after.activated and after.version not in (first, changed.version)
        shown = active_pack(repo)
        assert shown is not None and shown.content_version == after.version
        title = next(p for p in shown.promotions if p.id == PROMOTION).title.ko
        assert title != "잘못 게시된 제목"
        with authoring.database() as server_db, server_db.read() as session:
            from sqlalchemy import select

            from server.db.models import Manifest

            old = session.scalars(
                select(Manifest.body).where(Manifest.content_version == first)
            ).one()
        import json

        assert shown.model_dump(mode="json", exclude={"content_version", "published_at"}) == {
            k: v
            for k, v in as_the_device_reads(json.loads(old)).items()
            if k not in ("content_version", "published_at")
        }
    finally:
        db.close()


def as_the_device_reads(document: dict[str, Any]) -> dict[str, Any]:
    """A manifest as the device's model dumps it (defaults filled in)."""
    from contract.content import ContentPack

    dumped: dict[str, Any] = ContentPack.model_validate(document).model_dump(mode="json")
    return dumped


def pick_picture(browser: Any, picker: str, path: str) -> None:
    """Click the thumbnail of `path` in the picture picker `picker`, as staff choose it."""
    from selenium.webdriver.common.by import By

    chosen = browser.find_element(By.CSS_SELECTOR, f'#{picker} input[value="{path}"]')
    label = chosen.find_element(By.XPATH, "..")
    assert (
        label.find_element(By.TAG_NAME, "img")
        .get_attribute("src")
        .endswith(f"/staff/content/draft/file?path={quote(path)}")
    )
    folded = browser.find_element(By.CSS_SELECTOR, f"#{picker} details")
    if folded.get_attribute("open") is None:  # a picture is chosen: the others are folded
        folded.find_element(By.TAG_NAME, "summary").click()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
    label.click()
    assert chosen.is_selected()


def form_as_opened(http: requests.Session, server: ServerProcess, path: str) -> dict[str, str]:
    """The form of the page at `path` as it opens, posted unchanged: every field with its value
    (the chosen option, a ticked box as its value or "on", an unticked one not at all; not the
    CSRF token, post_form adds it)."""
    import html

    page = get(http, server, path)
    form = dict(
        re.findall(
            r'<input (?![^>]*type="(?:checkbox|radio)")'
            r'[^>]*name="([a-z0-9_-]+)"[^>]*value="([^"]*)"',
            page,
        )
    )
    # Of a group of radio buttons (a picture picker), only the chosen one is sent.
    form.update(
        re.findall(r'<input type="radio" name="([a-z0-9_-]+)" value="([^"]*)"[^>]*? checked', page)
    )
    form.update(re.findall(r'<textarea name="([a-z0-9_-]+)"[^>]*>([^<]*)</textarea>', page))
    for name, value in re.findall(
        r'<select name="([a-z0-9_-]+)"[^>]*>(?:(?!</select>).)*?<option value="([^"]*)" selected',
        page,
        re.S,
    ):
        form[name] = value
    for name, value in re.findall(
        r'<input type="checkbox" name="([a-z0-9_-]+)"(?: value="([^"]*)")?[^>]*? checked', page
    ):
        form[name] = value or "on"
    form.pop("csrf_token", None)
    return {name: html.unescape(value) for name, value in form.items()}


def district_form_of(http: requests.Session, server: ServerProcess, draft: str) -> dict[str, str]:
    """The 포인트 규칙과 목표 form as it opens (every field with its value)."""
    return {**form_as_opened(http, server, "/staff/content/draft/district"), "draft": draft}


def test_point_rules_and_targets_written_in_the_form_reach_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    form = district_form_of(http, authoring, draft)
    form["rule-quiz"] = "400"
    form["yearly_targets"] += "\n2027=460"

    saved = post_form(http, authoring, "/staff/content/draft/district", form)
    diff = get(http, authoring, "/staff/content/draft/diff")
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert saved.status_code == 303, re.findall(r"field-error[^<]*<", saved.text)
    assert "구 정보·포인트 규칙" in diff and "변경" in diff
    assert published.status_code == 303
    district = live(authoring, device)["district"]
    assert district["points"]["rules"]["quiz"] == 400
    assert district["yearly_targets"]["2027"] == 460
    assert district["dongs"] and district["name"]["ko"] == "서울특별시 중구"


DISTRICT_MISTAKES = {
    "too few points": ({"rule-quiz": "50"}, "rule-quiz", "100~10,000 사이여야"),
    "no minimum": ({"exchange_minimum": "0"}, "exchange_minimum", "1 이상이어야"),
    "a line without =": ({"yearly_targets": "2027:460"}, "yearly_targets", "2026=430처럼"),
    "a year of two digits": (
        {"pledge_targets": "27=460"},
        "pledge_targets",
        "형식이 맞지 않습니다",
    ),
}


def contest_form(draft: str, **fields: str) -> dict[str, Any]:
    """The 새 공모 form: ideas taken, a vote for one of two entries with pictures."""
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone(timedelta(hours=9)))
    form = {
        "draft": draft,
        "id": "winter-photo",
        "title_ko": "겨울 골목 사진 공모",
        "description_ko": "눈 내린 우리 동네 골목을 보여 주세요.",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "url": "",
        "accepts_entries": "on",
        "has_vote": "on",
        "max_votes": "1",
        "entry_count": "2",
        "e-0-id": "ginkgo",
        "e-0-title": "은행나무 길",
        "e-0-description": "덕수궁 돌담길",
        "e-0-image": "media/contest-ginkgo.jpg",
        "e-0-author": "정동 주민",
        "e-1-id": "market",
        "e-1-title": "시장 골목",
        "e-1-description": "중부시장 아침",
        "e-1-image": "media/contest-market.jpg",
        "e-1-author": "을지로동 주민",
        "do": "save",
    }
    form.update(fields)
    return form


def test_a_contest_written_in_the_form_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)

    added = post_form(http, authoring, "/staff/content/draft/contest", contest_form(draft))
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert added.status_code == 303, re.findall(r"field-error[^<]*<", added.text)
    assert published.status_code == 303
    contest = next(c for c in live(authoring, device)["contests"] if c["id"] == "winter-photo")
    assert contest["vote"] == {"max_votes": 1} and contest["accepts_entries"] is True
    assert [e["image"] for e in contest["entries"]] == [
        "media/contest-ginkgo.jpg",
        "media/contest-market.jpg",
    ]
    assert contest["url"] == "https://ontong.junggu.seoul.kr/contest/winter-photo"


def test_a_contest_whose_vote_counts_once_per_resident_reaches_the_device_so(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    form = contest_form(draft, id="winter-once", one_vote_per_resident="on")

    added = post_form(http, authoring, "/staff/content/draft/contest", form)
    assert added.status_code == 303, re.findall(r"field-error[^<]*<", added.text)
    # Opened again, the switch stands as it was saved.
    page = http.get(f"{authoring.url}/staff/content/draft/contest", params={"key": "winter-once"})
    switch = page.text.split('name="one_vote_per_resident"')[1].split(">")[0]
    assert "checked" in switch
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert published.status_code == 303
    contest = next(c for c in live(authoring, device)["contests"] if c["id"] == "winter-once")
    assert contest["vote"] == {"max_votes": 1, "one_vote_per_resident": True}


CONTEST_MISTAKES = {
    "more votes than entries": ({"max_votes": "3"}, "max_votes", "작품 수 2보다 많습니다"),
    "an entry without a picture": ({"e-1-image": ""}, "e-1-image", "그림을 고르세요"),
    "two entries with one id": ({"e-1-id": "ginkgo"}, "e-1-id", "같은 id 'ginkgo'"),
    "no votes at all": ({"max_votes": "0"}, "max_votes", "1 이상이어야"),
}


def proposal_form(draft: str, **fields: str) -> dict[str, str]:
    """The 새 정책제안 form, as copied from 온통중구."""
    form = {
        "draft": draft,
        "id": "bench-pil",
        "title_ko": "필동 공원에 그늘 벤치를 놓아 주세요",
        "body_ko": "여름에 앉을 곳이 없습니다.",
        "dong": "pil",
        "topic": "environment",
        "status": "open",
        "author": "필동 주민",
        "created_at": "2026-11-20T10:00",
        "deadline": "2027-02-20T23:59",
        "agree_count": "12",
        "url": "",
        "district_answer": "",
    }
    form.update(fields)
    return form


def test_a_proposal_typed_in_the_form_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)

    added = post_form(http, authoring, "/staff/content/draft/proposal", proposal_form(draft))
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert added.status_code == 303, re.findall(r"field-error[^<]*<", added.text)
    assert published.status_code == 303
    proposal = next(p for p in live(authoring, device)["proposals"] if p["id"] == "bench-pil")
    assert (proposal["dong"], proposal["topic"], proposal["agree_count"]) == (
        "pil",
        "environment",
        12,
    )
    assert proposal["deadline"] == "2027-02-20T23:59:00+09:00"
    assert proposal["url"] == "https://ontong.junggu.seoul.kr/proposal/bench-pil"


PROPOSAL_MISTAKES = {
    "no dong": ({"dong": ""}, "dong", "동을 고르세요"),
    "deadline first": ({"deadline": "2026-01-01T00:00"}, "deadline", "created_at보다 뒤여야"),
    "negative agrees": ({"agree_count": "-3"}, "agree_count", "0 이상이어야"),
    "unknown topic": ({"topic": "sports"}, "topic", "허용되지 않는 값"),
}


def budget_form(draft: str, **fields: str) -> dict[str, str]:
    """The 새 주민참여예산 form: 신당동 picks one of two projects; 필동 any within its budget."""
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone(timedelta(hours=9)))
    form = {
        "draft": draft,
        "id": "2028-pb",
        "title_ko": "2028년 주민참여예산",
        "description_ko": "우리 동네에 필요한 사업을 골라 주세요.",
        "opens_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=28)).strftime("%Y-%m-%dT%H:%M"),
        "url": "",
        "ballot_count": "2",
        "b-0-dong": "sindang",
        "b-0-budget_won": "100,000,000",
        "b-0-id": "",
        "b-0-rule": "approval",
        "b-0-max_selections": "1",
        "b-0-min_selections": "0",
        "b-0-project_count": "2",
        "b-0-p-0-id": "sindang-shade",
        "b-0-p-0-title": "놀이터 그늘막",
        "b-0-p-0-description": "여름 놀이터에 그늘막을 칩니다.",
        "b-0-p-0-cost_won": "30,000,000",
        "b-0-p-0-image": "media/project-shade.jpg",
        "b-0-p-0-reviewed": "on",
        "b-0-p-1-id": "sindang-books",
        "b-0-p-1-title": "작은 도서관 책 구입",
        "b-0-p-1-description": "주민센터 작은 도서관에 큰글자책을 들입니다.",
        "b-0-p-1-cost_won": "8000000",
        "b-0-p-1-image": "media/project-books.jpg",
        "b-0-p-1-reviewed": "on",
        "b-1-dong": "pil",
        "b-1-budget_won": "50,000,000",
        "b-1-id": "",
        "b-1-rule": "budget",
        "b-1-max_selections": "",
        "b-1-min_selections": "1",
        "b-1-project_count": "1",
        "b-1-p-0-id": "pil-stairs",
        "b-1-p-0-title": "남산 계단 손잡이",
        "b-1-p-0-description": "가파른 계단에 손잡이를 답니다.",
        "b-1-p-0-cost_won": "20,000,000",
        "b-1-p-0-image": "media/project-stairs.jpg",
        "b-1-p-0-reviewed": "on",
        "do": "save",
    }
    form.update(fields)
    return form


def without_the_budget(http: requests.Session, server: ServerProcess, draft: str) -> None:
    """The demo's vote taken out of the draft, so that a new one can be written."""
    removed = post(
        http,
        server,
        "/staff/content/draft/item/remove",
        draft=draft,
        section="budget",
        key="budget",
        revision=opened_revision(http, server, "budget", "budget"),
    )
    assert removed.status_code == 303, removed.text


def test_a_budget_vote_written_in_the_form_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    without_the_budget(http, authoring, draft)
    blank = get(http, authoring, "/staff/content/draft")
    assert 'id="new-budget"' in blank
    assert 'id="save-budget"' in get(http, authoring, "/staff/content/draft/budget")

    added = post_form(http, authoring, "/staff/content/draft/budget", budget_form(draft))
    again = post_form(http, authoring, "/staff/content/draft/budget", budget_form(draft))
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert added.status_code == 303, re.findall(r"field-error[^<]*<", added.text)
    # A second new vote while one is in the draft: told, not saved over it.
    assert again.status_code == 409 and "먼저 만들었습니다" in again.text
    assert published.status_code == 303
    vote = live(authoring, device)["budget"]
    assert vote["id"] == "2028-pb" and vote["title"] == {"ko": "2028년 주민참여예산"}
    assert vote["url"] == "https://ontong.junggu.seoul.kr/budget/2028-pb"
    sindang, pil = vote["ballots"]
    assert (sindang["id"], sindang["budget_won"]) == ("2028-pb-sindang", 100_000_000)
    assert sindang["rule"] == {"kind": "approval", "max_selections": 1}
    assert [(p["id"], p["cost_won"]) for p in sindang["projects"]] == [
        ("sindang-shade", 30_000_000),
        ("sindang-books", 8_000_000),
    ]
    assert pil["rule"] == {"kind": "budget", "min_selections": 1}
    assert pil["projects"][0]["image"] == "media/project-stairs.jpg"
    assert "content.draft_add" in audit_actions(authoring)


def test_the_budget_saved_unchanged_is_unchanged_and_a_cost_edit_keeps_the_rest(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    before = live(authoring, device)["budget"]
    path = "/staff/content/draft/budget?key=budget"

    unchanged = post_form(
        http, authoring, path, {**form_as_opened(http, authoring, path), "do": "save"}
    )
    with authoring.database() as db:
        from server import drafts

        kept = drafts.current(db)
    assert unchanged.status_code == 303, re.findall(r"field-error[^<]*<", unchanged.text)
    assert kept is not None and kept.item("budget", "budget") is not None
    assert kept.item("budget", "budget").body == before  # type: ignore[union-attr]

    form = form_as_opened(http, authoring, path)
    saved = post_form(
        http, authoring, path, {**form, "b-1-p-0-cost_won": "41,000,000", "do": "save"}
    )
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert saved.status_code == 303 and published.status_code == 303
    now = live(authoring, device)["budget"]
    assert now["ballots"][1]["projects"][0]["cost_won"] == 41_000_000
    now["ballots"][1]["projects"][0]["cost_won"] = before["ballots"][1]["projects"][0]["cost_won"]
    assert now == before  # English texts, the other ballots and projects as they were


def test_adding_a_project_or_a_dong_shows_one_more_and_saves_nothing(
    authoring: ServerProcess,
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    without_the_budget(http, authoring, draft)
    before = draft_items(authoring)

    project = post_form(
        http, authoring, "/staff/content/draft/budget", budget_form(draft, do="add_project-1")
    )
    dong = post_form(
        http, authoring, "/staff/content/draft/budget", budget_form(draft, do="add_ballot")
    )

    assert project.status_code == 200 and 'name="b-1-project_count" value="2"' in project.text
    assert 'id="b-1-p-1-title"' in project.text and 'value="남산 계단 손잡이"' in project.text
    assert dong.status_code == 200 and 'name="ballot_count" value="3"' in dong.text
    assert 'id="b-2-dong"' in dong.text
    assert draft_items(authoring) == before


def test_an_editor_writes_a_budget_vote_in_the_browser_and_fixes_a_cost_beside_its_field(
    authoring: ServerProcess, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from tests.console.conftest import page_errors
    from tests.console.test_browser import click_through, sign_in, text_of, type_into

    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    without_the_budget(http, authoring, draft)
    sign_in(browser, authoring, EDITOR, "/staff/content/draft")

    click_through(browser, "new-budget")
    type_into(browser, "field-title_ko", "2029년 주민참여예산")
    type_into(browser, "field-description_ko", "신당동에 필요한 사업을 예산 안에서 골라 주세요.")
    Select(browser.find_element(By.ID, "b-0-dong")).select_by_visible_text("신당동")
    type_into(browser, "b-0-budget_won", "50,000,000")
    Select(browser.find_element(By.ID, "b-0-rule")).select_by_value("budget")
    type_into(browser, "b-0-p-0-id", "sindang-heat")
    type_into(browser, "b-0-p-0-title", "버스 정류장 온열 의자")
    type_into(browser, "b-0-p-0-description", "겨울에 따뜻한 의자를 놓습니다.")
    type_into(browser, "b-0-p-0-cost_won", "70,000,000")
    pick_picture(browser, "b-0-p-0-image", "media/project-heat.jpg")
    click_through(browser, "save-budget")

    cost = browser.find_element(By.ID, "b-0-p-0-cost_won")
    problem = browser.find_element(By.ID, "error-b-0-p-0-cost_won")
    assert "동 예산 50,000,000원보다 큽니다" in problem.text and problem.is_displayed()
    assert cost.get_attribute("aria-invalid") == "true"
    assert cost.get_attribute("value") == "70,000,000"  # what was typed, to fix
    assert (
        browser.find_element(By.ID, "b-0-p-0-title").get_attribute("value")
        == "버스 정류장 온열 의자"
    )
    # The refused form is answered 400 (the browser logs it): nothing else went wrong.
    assert all("status of 400" in e for e in page_errors(browser))
    type_into(browser, "b-0-p-0-cost_won", "45,000,000")
    click_through(browser, "save-budget")

    assert "새 항목을 초안에 넣었습니다" in text_of(browser)
    with authoring.database() as db:
        from server import drafts

        kept = drafts.current(db)
    assert kept is not None
    vote = kept.item("budget", "budget")
    assert vote is not None and vote.body["title"] == {"ko": "2029년 주민참여예산"}
    (ballot,) = vote.body["ballots"]
    assert ballot["rule"] == {"kind": "budget"} and ballot["projects"][0]["cost_won"] == 45_000_000
    assert page_errors(browser) == []


def test_a_value_left_empty_and_a_field_the_models_refuse_are_shown_in_one_round(
    authoring: ServerProcess,
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    before = draft_items(authoring)

    typed = notice_form(draft, title_ko="", id="Snow Day", priority="높음")
    r = post_form(http, authoring, "/staff/content/draft/promotion", typed)

    assert_beside(r, "title_ko", "제목을 입력하세요")
    assert_beside(r, "priority", "정수를 입력하세요")
    assert_beside(r, "id", "형식이 맞지 않습니다")  # the models' words, in the same round
    assert draft_items(authoring) == before


BUDGET_MISTAKES = {
    "a project over the dong's budget": (
        {"b-1-p-0-cost_won": "60,000,000"},
        "b-1-p-0-cost_won",
        "사업비 60,000,000원이 동 예산 50,000,000원보다 큽니다",
    ),
    "no dong": ({"b-0-dong": ""}, "b-0-dong", "동을 고르세요"),
    "two ballots for one dong": (
        {"b-1-dong": "sindang"},
        "b-1-dong",
        "'sindang' 동의 투표지가 두 개 이상입니다",
    ),
    "more picks than projects": (
        {"b-0-max_selections": "3"},
        "b-0-max_selections",
        "최대 선택 수 3가 검토를 마친 사업 수 2보다 많습니다",
    ),
    "a project without a picture": ({"b-0-p-1-image": ""}, "b-0-p-1-image", "그림을 고르세요"),
    "a cost in words": ({"b-0-p-0-cost_won": "삼천만원"}, "b-0-p-0-cost_won", "정수가 아닙니다"),
    "closes first": ({"closes_at": "2020-01-01T09:00"}, "closes_at", "opens_at보다 뒤여야"),
}


def budget_without_the_demos(
    http: requests.Session, server: ServerProcess, draft: str
) -> dict[str, Any]:
    without_the_budget(http, server, draft)
    return budget_form(draft)


def lesson_form(draft: str, **fields: str) -> dict[str, str]:
    """The 새 배우기 form: open 설문·공모 on the home screen, then the survey to answer."""
    form = {
        "draft": draft,
        "id": "survey-again",
        "title_ko": "설문 다시 답하기",
        "summary_ko": "설문을 찾아 여는 방법",
        "flow": "survey",
        "start": "home",
        "step_count": "2",
        "s-0-id": "open-surveys",
        "s-0-screen": "home",
        "s-0-target": "tile_surveys",
        "s-0-kind": "tap",
        "s-0-say": "'설문·공모'를 누르세요.",
        "s-0-value": "",
        "s-1-id": "choose",
        "s-1-screen": "surveys",
        "s-1-target": "survey_2026-senior-digital",
        "s-1-kind": "tap",
        "s-1-say": "답할 설문을 누르세요.",
        "s-1-value": "",
        "do": "save",
    }
    form.update(fields)
    return form


def test_a_lesson_written_in_the_form_reaches_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    assert 'id="save-lesson"' in get(http, authoring, "/staff/content/draft/lesson")

    grown = post_form(
        http, authoring, "/staff/content/draft/lesson", lesson_form(draft, do="add_step")
    )
    added = post_form(http, authoring, "/staff/content/draft/lesson", lesson_form(draft))
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert grown.status_code == 200 and 'id="s-2-say"' in grown.text
    assert added.status_code == 303, re.findall(r"field-error[^<]*<", added.text)
    assert published.status_code == 303
    lesson = next(x for x in live(authoring, device)["lessons"] if x["id"] == "survey-again")
    assert lesson["title"] == {"ko": "설문 다시 답하기"} and lesson["flow"] == "survey"
    # A tap, the default, is left unwritten as a hand-written pack has it.
    assert [(s["screen"], s["target"], s.get("kind", "tap")) for s in lesson["steps"]] == [
        ("home", "tile_surveys", "tap"),
        ("surveys", "survey_2026-senior-digital", "tap"),
    ]


def test_an_existing_lesson_saved_unchanged_is_unchanged(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(authoring, EDITOR)
    fresh_draft(http, authoring)
    lessons = live(authoring, device)["lessons"]
    for lesson in lessons:
        path = f"/staff/content/draft/lesson?key={lesson['id']}"
        saved = post_form(
            http, authoring, path, {**form_as_opened(http, authoring, path), "do": "save"}
        )
        assert saved.status_code == 303, re.findall(r"field-error[^<]*<", saved.text)
    with authoring.database() as db:
        from server import drafts

        kept = drafts.current(db)
    assert kept is not None
    assert [i.body for i in kept.items if i.section == "lessons"] == lessons


def test_the_lesson_form_offers_the_live_contents_practice_kiosks(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    """A practice kiosk's pages are pack data (contract.practice): the form offers the kiosks,
    pages and parts of the live content, and a lesson over one saves unchanged."""
    http = signed_in_session(authoring, EDITOR)
    fresh_draft(http, authoring)
    page = get(http, authoring, "/staff/content/draft/lesson?key=civil")
    assert re.search(r'<option value="civil"[^>]*selected[^>]*>무인민원발급기', page), page
    assert '<option value="practice_subway_station"' in page
    assert "<code>practice_civil_doc</code>" in page and "choice_resident" in page


LESSON_MISTAKES = {
    "a target not on its screen": (
        {"s-1-target": "tile_points"},
        "s-1-target",
        "'surveys' 화면에 없는 대상 'tile_points'",
    ),
    "digits without the keypad": (
        {"s-0-kind": "enter", "s-0-value": "1234"},
        "s-0-value",
        "입력(enter)은 숫자판 'keypad'에 숫자를",
    ),
    "one step twice": ({"s-1-id": "open-surveys"}, "s-1-id", "같은 단계 'open-surveys'가 두 번"),
    "no flow": ({"flow": ""}, "flow", "알 수 없는 흐름"),
    "nothing to say": ({"s-0-say": ""}, "s-0-say", "키오스크가 할 말을 입력하세요"),
}


@dataclass(frozen=True)
class FormCase:
    """A content form as staff fill it (`fill(http, server, draft)`), and its mistakes: the
    fields changed, the field the problem is shown beside, the words of the problem."""

    path: str
    fill: Callable[[requests.Session, ServerProcess, str], dict[str, Any]]
    mistakes: dict[str, tuple[dict[str, Any], str, str]]
    # A typed value the refused form shows again, to be fixed rather than typed anew.
    kept: Callable[[dict[str, Any]], str] = lambda form: f'value="{form["title_ko"]}"'


VIDEO_FORM = "/staff/content/draft/video?key=ontong-guide"
VIDEO_MISTAKES = {
    "no title": ({"title_ko": ""}, "title_ko", "제목을 입력하세요"),
    "no description": ({"description_ko": ""}, "description_ko", "설명을 입력하세요"),
    "subtitles a picture": ({"subtitles": "media/promo-welcome.png"}, "subtitles", "자막"),
}


def video_form_of(http: requests.Session, server: ServerProcess, draft: str) -> dict[str, str]:
    """The demo's 온통중구 guide video in its form as it opens."""
    return {**form_as_opened(http, server, VIDEO_FORM), "draft": draft}


FORMS = {
    "notice": FormCase(
        "/staff/content/draft/promotion",
        # An id no earlier test published, unless the mistake is the id.
        lambda _http, _server, draft: notice_form(draft, id="ice-2026-12"),
        NOTICE_MISTAKES,
    ),
    "survey": FormCase(
        "/staff/content/draft/survey",
        lambda _http, _server, draft: survey_form(draft, id="traffic-2026"),
        SURVEY_MISTAKES,
    ),
    "district": FormCase(
        "/staff/content/draft/district",
        district_form_of,
        DISTRICT_MISTAKES,
        lambda form: f'value="{form["proposal_threshold"]}"',
    ),
    "contest": FormCase(
        "/staff/content/draft/contest",
        lambda _http, _server, draft: contest_form(draft, id="spring-photo"),
        CONTEST_MISTAKES,
    ),
    "proposal": FormCase(
        "/staff/content/draft/proposal",
        lambda _http, _server, draft: proposal_form(draft, id="bench-jung"),
        PROPOSAL_MISTAKES,
    ),
    "budget": FormCase("/staff/content/draft/budget", budget_without_the_demos, BUDGET_MISTAKES),
    "lesson": FormCase(
        "/staff/content/draft/lesson",
        lambda _http, _server, draft: lesson_form(draft, id="points-again"),
        LESSON_MISTAKES,
    ),
    "video": FormCase(VIDEO_FORM, video_form_of, VIDEO_MISTAKES),
}
FORM_MISTAKES = [(form, mistake) for form, case in FORMS.items() for mistake in case.mistakes]


def draft_items(server: ServerProcess) -> dict[tuple[str, str], int]:
    """The open draft's items and their revisions: what a refused form must leave alone."""
    from server import drafts

    with server.database() as db:
        found = drafts.current(db)
    assert found is not None
    return {(i.section, i.key): i.revision for i in found.items}


@pytest.mark.parametrize(
    ("form", "mistake"), FORM_MISTAKES, ids=[f"{f}-{m}" for f, m in FORM_MISTAKES]
)
def test_a_mistake_in_a_form_is_named_beside_its_field_and_nothing_is_saved(
    authoring: ServerProcess, form: str, mistake: str
) -> None:
    case = FORMS[form]
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    change, field, words = case.mistakes[mistake]
    typed = {**case.fill(http, authoring, draft), **change}
    before = draft_items(authoring)

    r = post_form(http, authoring, case.path, typed)

    assert_beside(r, field, words)
    assert case.kept(typed) in r.text
    assert draft_items(authoring) == before


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("account", [VIEWER, DONG], ids=["viewer", "dong"])
def test_a_viewer_or_dong_officer_can_neither_open_nor_save_a_form(
    authoring: ServerProcess, form: str, account: Account
) -> None:
    case = FORMS[form]
    editor = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(editor, authoring)
    typed = case.fill(editor, authoring, draft)
    before, before_audit = draft_items(authoring), audit_actions(authoring)
    http = signed_in_session(authoring, account)

    opened = http.get(f"{authoring.url}{case.path}", timeout=10)
    saved = post_form(http, authoring, case.path, typed)

    assert (opened.status_code, saved.status_code) == (403, 403)
    assert draft_items(authoring) == before
    assert content_events(audit_actions(authoring)) == content_events(before_audit)


IMPORT_PATH = "/staff/content/draft/proposals/import"
HEADER = ["제안번호", "제목", "내용", "동", "분야", "제안자", "작성일", "마감일", "공감수", "상태"]
ROWS = [
    [
        "153",
        "필동 공원에 그늘 벤치",
        "여름에 앉을 곳이 없습니다.",
        "필동",
        "환경",
        "",
        "2026-11-20 10:00",
        "2027-02-20",
        "12",
        "",
    ],
    [
        "154",
        "신당역 엘리베이터",
        "계단이 가파릅니다.",
        "sindang",
        "교통",
        "신당동 주민",
        "2026.11.21",
        "2027-02-21 18:00",
        "1,204",
        "진행중",
    ],
]


def csv_of(rows: list[list[str]], encoding: str = "cp949") -> bytes:
    """A CSV as Korean Excel saves it (cp949) unless told."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_of(rows: list[list[Any]]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_sheet(
    http: requests.Session, server: ServerProcess, draft: str, name: str, data: bytes
) -> requests.Response:
    token = csrf_of(get(http, server, IMPORT_PATH))
    return http.post(
        f"{server.url}{IMPORT_PATH}",
        data={"csrf_token": token, "draft": draft},
        files={"sheet": (name, data)},
        allow_redirects=False,
        timeout=30,
    )


def test_proposals_imported_from_csv_then_xlsx_reach_the_device(
    authoring: ServerProcess, device: EnrolledDevice
) -> None:
    from datetime import datetime

    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    page = get(http, authoring, IMPORT_PATH)
    assert all(name in page for name in HEADER)  # the columns are written on the page

    first = import_sheet(http, authoring, draft, "온통중구-제안.csv", csv_of([HEADER, *ROWS]))
    # A week later's export: 154 has more agrees and the district's answer; 155 is new.
    later = [
        [*HEADER, "구청답변"],
        [*ROWS[1][:8], 1300, "진행중", "내년 예산에 넣었습니다."],
        [
            "155",
            "약수동 어린이 도서관",
            "책 읽을 곳이 필요합니다.",
            "약수동",
            "교육",
            "",
            datetime(2026, 11, 25, 9, 30),
            datetime(2027, 3, 1),
            3,
            "철회",
        ],
    ]
    second = import_sheet(http, authoring, draft, "온통중구-제안.xlsx", xlsx_of(later))
    told = get(http, authoring, second.headers["location"].removeprefix(authoring.url))
    published = post(http, authoring, "/staff/content/draft/publish", draft=draft)

    assert first.status_code == 303, re.findall(r"<li>[^<]*</li>", first.text)
    assert first.headers["location"].endswith("added=2&replaced=0")
    assert second.status_code == 303, re.findall(r"<li>[^<]*</li>", second.text)
    assert "새 제안 1건, 파일의 값으로 바꾼 제안 1건" in told
    assert published.status_code == 303
    proposals = {p["id"]: p for p in live(authoring, device)["proposals"]}
    bench, lift, library = proposals["ontong-153"], proposals["ontong-154"], proposals["ontong-155"]
    assert (bench["dong"], bench["topic"], bench["author"]) == ("pil", "environment", "필동 주민")
    assert bench["created_at"] == "2026-11-20T10:00:00+09:00"
    assert bench["deadline"] == "2027-02-20T23:59:00+09:00"
    assert bench["url"] == "https://ontong.junggu.seoul.kr/proposal/ontong-153"
    assert (lift["agree_count"], lift["district_answer"]) == (1300, "내년 예산에 넣었습니다.")
    assert (library["status"], library["deadline"]) == ("withdrawn", "2027-03-01T23:59:00+09:00")
    assert content_events(audit_actions(authoring)).count("content.draft_import") >= 2
    audit = get(signed_in_session(authoring, ADMIN), authoring, "/staff/audit")
    assert "콘텐츠 초안에 파일로 항목 가져오기" in audit and "ontong-153, ontong-154" in audit


SHEET_MISTAKES = {
    "an unknown dong": (
        "p.csv",
        lambda: csv_of([HEADER, ROWS[0], [*ROWS[1][:3], "신당", *ROWS[1][4:]]]),
        "3행 '동' 열: 알 수 없는 동 '신당'",
    ),
    "an unreadable date": (
        "p.csv",
        lambda: csv_of([HEADER, [*ROWS[0][:7], "내년 봄", *ROWS[0][8:]], ROWS[1]]),
        "2행 '마감일' 열: 날짜를 2026-12-24",
    ),
    "a deadline before it was written": (
        "p.xlsx",
        lambda: xlsx_of([HEADER, ROWS[0], [*ROWS[1][:7], "2026-01-01", *ROWS[1][8:]]]),
        "3행 '마감일' 열: ",
    ),
    "a column missing": (
        "p.csv",
        lambda: csv_of([HEADER[:3] + HEADER[4:], ROWS[0][:3] + ROWS[0][4:]]),
        "1행(제목 줄)에 '동' 열이 없습니다",
    ),
    "one number twice": (
        "p.csv",
        lambda: csv_of([HEADER, ROWS[0], ROWS[0]]),
        "3행 '제안번호' 열: 같은 제안번호가 2행에도",
    ),
    "a title left empty": (
        "p.csv",
        lambda: csv_of([HEADER, ROWS[0], [ROWS[1][0], "", *ROWS[1][2:]]]),
        "3행 '제목' 열: 제목을(를) 쓰세요",
    ),
    "negative agrees": (
        "p.csv",
        lambda: csv_of([HEADER, [*ROWS[0][:8], "-5", ""]]),
        "2행 '공감수' 열: ",
    ),
    "a word file": ("p.docx", lambda: b"PK\x03\x04", "CSV(.csv) 또는 엑셀(.xlsx) 파일을 고르세요"),
    "a field too long for any proposal": (
        "p.csv",
        lambda: ",".join(HEADER).encode() + b"\n153," + b"x" * 200_000 + b"\n",
        "CSV 파일을 읽을 수 없습니다",
    ),
    "a broken workbook": ("p.xlsx", lambda: b"PK\x03\x04 cut", "엑셀 파일(.xlsx)을 열 수 없습니다"),
    "not UTF-8 nor Korean": (
        "p.csv",
        lambda: b"\xff\xfe\x00\xd8" * 10,
        "CSV 파일의 글자를 읽을 수 없습니다",
    ),
}


@pytest.mark.parametrize("mistake", list(SHEET_MISTAKES))
def test_a_file_with_a_mistake_is_refused_naming_its_row_and_column_and_nothing_is_saved(
    authoring: ServerProcess, mistake: str
) -> None:
    import html

    name, data, words = SHEET_MISTAKES[mistake]
    http = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(http, authoring)
    before, before_audit = draft_items(authoring), audit_actions(authoring)

    r = import_sheet(http, authoring, draft, name, data())

    assert r.status_code == 400
    problems = [html.unescape(p) for p in re.findall(r"<li>([^<]*)</li>", r.text)]
    assert any(words in p for p in problems), problems
    assert draft_items(authoring) == before
    assert content_events(audit_actions(authoring)) == content_events(before_audit)


@pytest.mark.parametrize("account", [VIEWER, DONG], ids=["viewer", "dong"])
def test_a_viewer_or_dong_officer_cannot_import_proposals(
    authoring: ServerProcess, account: Account
) -> None:
    editor = signed_in_session(authoring, EDITOR)
    draft = fresh_draft(editor, authoring)
    before = draft_items(authoring)
    http = signed_in_session(authoring, account)
    token = csrf_of(get(http, authoring, "/staff/"))

    opened = http.get(f"{authoring.url}{IMPORT_PATH}", timeout=10)
    posted = http.post(
        f"{authoring.url}{IMPORT_PATH}",
        data={"csrf_token": token, "draft": draft},
        files={"sheet": ("p.csv", csv_of([HEADER, *ROWS]))},
        allow_redirects=False,
        timeout=30,
    )

    assert (opened.status_code, posted.status_code) == (403, 403)
    assert draft_items(authoring) == before
