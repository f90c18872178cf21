"""server.drafts on SQLite and PostgreSQL: a draft's changes applied to a version published
since it was copied (kept, or refused when both changed an item), the scheduled publish done
once by several processes racing for it, a failed one reopened with its reason, and a rollback
that brings back media a later version dropped."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from server import audit, content, drafts
from server.db import ServerDatabase, open_database
from server.db.models import ContentDraft
from tests.server.conftest import require_postgres
from tests.server.process import ROOT, postgres_database

DEMO = ROOT / "assets" / "demo"
BY = audit.Actor("편집자", "127.0.0.1")
OTHER = audit.Actor("다른 편집자", "127.0.0.1")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "server.sqlite3")
        return
    require_postgres()
    with postgres_database() as found:
        yield found


@pytest.fixture
def db(url: str, tmp_path: Path) -> Iterator[ServerDatabase]:
    opened = open_database(url)
    content.publish(opened, tmp_path / "assets", DEMO, BY)
    yield opened
    opened.close()


def retitled(draft: drafts.Draft, section: str, key: str, title: str) -> dict[str, Any]:
    item = draft.item(section, key)
    assert item is not None
    return {**item.body, "title": {**item.body["title"], "ko": title}}


def save(db: ServerDatabase, draft: drafts.Draft, key: str, title: str) -> None:
    item = draft.item("promotions", key)
    assert item is not None
    body = retitled(draft, "promotions", key, title)
    drafts.save_item(db, draft.id, "promotions", key, body, item.revision, BY)


def publish_elsewhere(db: ServerDatabase, change: Any) -> str:
    """A version published outside the draft (as 제안 게시 does)."""
    with db.write() as session:
        return content.publish_revision(session, change, OTHER).content_version


def newest(db: ServerDatabase) -> dict[str, Any]:
    found = content.newest_manifest(db)
    assert found is not None
    document: dict[str, Any] = json.loads(found.body)
    return document


def promotion(document: dict[str, Any], key: str) -> dict[str, Any]:
    return next(p for p in document["promotions"] if p["id"] == key)


def test_a_version_published_after_the_draft_was_made_keeps_what_the_draft_did_not_touch(
    db: ServerDatabase,
) -> None:
    draft = drafts.start(db, BY)
    save(db, draft, "welcome", "초안의 제목")

    def retitle_other(document: dict[str, Any]) -> None:
        promotion(document, "quiz-points")["title"]["ko"] = "그 사이 게시된 제목"

    publish_elsewhere(db, retitle_other)
    # What the 미리보기 draws: the same document publishing makes, before its version stamps.
    becoming = drafts.becoming(db, draft.id)
    drafts.publish(db, draft.id, BY)

    now = newest(db)
    assert promotion(now, "welcome")["title"]["ko"] == "초안의 제목"
    assert promotion(now, "quiz-points")["title"]["ko"] == "그 사이 게시된 제목"
    stamps = ("content_version", "published_at")
    assert becoming.conflicts == []
    assert {k: v for k, v in becoming.document.items() if k not in stamps} == {
        k: v for k, v in now.items() if k not in stamps
    }


def test_an_item_changed_in_the_draft_and_in_a_later_version_is_refused_not_guessed(
    db: ServerDatabase,
) -> None:
    draft = drafts.start(db, BY)
    save(db, draft, "welcome", "초안의 제목")

    def retitle_same(document: dict[str, Any]) -> None:
        promotion(document, "welcome")["title"]["ko"] = "그 사이 게시된 제목"

    published = publish_elsewhere(db, retitle_same)
    shown = drafts.preview(db, draft.id)

    with pytest.raises(drafts.DraftRefused, match="다른 곳에서도 바뀐 항목"):
        drafts.publish(db, draft.id, BY)
    assert not shown.publishable and "'welcome'" in shown.conflicts[0]
    assert drafts.becoming(db, draft.id).conflicts == [("promotions", "welcome")]
    assert newest(db)["content_version"] == published
    assert promotion(newest(db), "welcome")["title"]["ko"] == "그 사이 게시된 제목"


def test_an_item_saved_against_a_rule_of_the_pack_is_refused_beside_its_field(
    db: ServerDatabase,
) -> None:
    draft = drafts.start(db, BY)
    item = draft.item("promotions", "welcome")
    assert item is not None
    # A dong the district does not have: valid for the item alone, not in the pack.
    elsewhere = {**item.body, "dongs": ["atlantis"]}
    backwards = {**item.body, "ends_at": "2020-01-01T00:00:00+09:00", "duration_s": 0}

    with pytest.raises(drafts.DraftRefused) as unknown_dong:
        drafts.save_item(db, draft.id, "promotions", "welcome", elsewhere, item.revision, BY)
    with pytest.raises(drafts.DraftRefused) as two_problems:
        drafts.save_item(db, draft.id, "promotions", "welcome", backwards, item.revision, BY)

    assert "알 수 없는 동 'atlantis'" in unknown_dong.value.fields["dongs"]
    assert "0보다 커야 합니다" in two_problems.value.fields["duration_s"]
    assert set(two_problems.value.fields) == {"duration_s"}  # the item's own rules come first
    kept = drafts.current(db)
    assert kept is not None and kept.item("promotions", "welcome") == item


def test_a_draft_that_breaks_a_rule_across_items_is_shown_and_refused(
    db: ServerDatabase,
) -> None:
    draft = drafts.start(db, BY)
    image = promotion(newest(db), "welcome")["asset"]
    listed = draft.item("files", image)
    assert listed is not None
    # The picture's file taken out while a promotion still shows it.
    drafts.remove_item(db, draft.id, "files", image, listed.revision, BY)

    shown = drafts.preview(db, draft.id)

    assert any(f"'{image}' 파일이 files 목록에 없습니다" in line for line in shown.problems)
    with pytest.raises(drafts.DraftRefused, match="files 목록에 없습니다"):
        drafts.publish(db, draft.id, BY)


def test_several_processes_racing_for_a_due_draft_publish_it_once(
    db: ServerDatabase, url: str
) -> None:
    draft = drafts.start(db, BY)
    save(db, draft, "welcome", "예약된 제목")
    drafts.schedule(db, draft.id, datetime.now(UTC) + timedelta(seconds=1), BY)
    before = content.newest_version(db)
    due = datetime.now(UTC) + timedelta(seconds=2)
    # Each "process" has its own engine and connections to the same database.
    handles = [open_database(url) for _ in range(4)]
    start = threading.Barrier(len(handles))
    results: list[list[str]] = []

    def race(handle: ServerDatabase) -> None:
        start.wait()
        results.append(drafts.publish_due(handle, due))

    threads = [threading.Thread(target=race, args=(h,)) for h in handles]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for h in handles:
        h.close()

    published = [v for r in results for v in r]
    assert len(published) == 1 and published[0] != before
    assert promotion(newest(db), "welcome")["title"]["ko"] == "예약된 제목"
    events = audit.events(db, where=audit.Filter(action_group="content"))
    assert sum(e.action == "content.draft_publish" for e in events) == 1


def test_a_draft_is_not_published_before_its_time(db: ServerDatabase) -> None:
    draft = drafts.start(db, BY)
    save(db, draft, "welcome", "나중 제목")
    drafts.schedule(db, draft.id, datetime.now(UTC) + timedelta(hours=1), BY)

    assert drafts.publish_due(db) == []
    found = drafts.current(db)
    assert found is not None and found.status == drafts.SCHEDULED


@pytest.mark.logs_error("content.scheduled_publish_failed")
def test_a_scheduled_publish_that_cannot_be_done_reopens_the_draft_with_its_reason(
    db: ServerDatabase,
) -> None:
    draft = drafts.start(db, BY)
    save(db, draft, "welcome", "초안의 제목")
    drafts.schedule(db, draft.id, datetime.now(UTC) + timedelta(seconds=1), BY)

    def retitle_same(document: dict[str, Any]) -> None:
        promotion(document, "welcome")["title"]["ko"] = "그 사이 게시된 제목"

    published = publish_elsewhere(db, retitle_same)

    assert drafts.publish_due(db, datetime.now(UTC) + timedelta(seconds=5)) == []
    found = drafts.current(db)
    assert found is not None and found.status == drafts.OPEN
    assert found.problem is not None and "다른 곳에서도 바뀐 항목" in found.problem
    assert content.newest_version(db) == published
    assert "content.schedule_failed" in [e.action for e in audit.events(db)]


def test_a_rollback_brings_back_media_a_later_version_dropped(db: ServerDatabase) -> None:
    original = newest(db)
    draft = drafts.start(db, BY)
    image = promotion(original, "welcome")["asset"]
    welcome = draft.item("promotions", "welcome")
    listed = draft.item("files", image)
    assert welcome is not None and listed is not None
    drafts.remove_item(db, draft.id, "promotions", "welcome", welcome.revision, BY)
    drafts.remove_item(db, draft.id, "files", image, listed.revision, BY)
    drafts.publish(db, draft.id, BY)
    assert image not in {f["path"] for f in newest(db)["files"]}

    rolled = drafts.rollback(db, original["content_version"], BY)

    now = newest(db)
    assert now["content_version"] == rolled.content_version != original["content_version"]
    assert image in {f["path"] for f in now["files"]}
    assert {k: v for k, v in now.items() if k not in ("content_version", "published_at")} == {
        k: v for k, v in original.items() if k not in ("content_version", "published_at")
    }


def test_a_revision_still_cannot_name_a_file_the_server_does_not_store(
    db: ServerDatabase,
) -> None:
    def add_unknown(document: dict[str, Any]) -> None:
        document["files"].append(
            {"path": "media/new.png", "sha256": "0" * 64, "size": 1, "media_type": "image/png"}
        )

    with pytest.raises(content.PublishError, match="cannot add media"):
        publish_elsewhere(db, add_unknown)


def test_only_one_draft_is_open_at_a_time_and_a_discarded_one_is_kept(
    db: ServerDatabase,
) -> None:
    first = drafts.start(db, BY)
    with pytest.raises(drafts.DraftRefused, match="이미 편집 중인 초안"):
        drafts.start(db, OTHER)
    drafts.discard(db, first.id, BY)
    second = drafts.start(db, OTHER)

    with db.read() as session:
        statuses = dict(session.execute(select(ContentDraft.id, ContentDraft.status)).all())
    assert statuses == {first.id: drafts.DISCARDED, second.id: drafts.OPEN}
    with pytest.raises(drafts.DraftRefused, match="이미 게시되었거나 버려졌습니다"):
        save(db, first, "welcome", "버린 초안에")


def test_a_discarded_drafts_own_upload_is_removed_but_a_file_stored_again_since_is_kept(
    db: ServerDatabase, tmp_path: Path
) -> None:
    """On both databases: the discard removes the file (and its row) only its draft named; a
    file some version names stays; the same bytes stored again after the discard began (an
    upload into the next draft) are kept."""
    from server import media

    assets = tmp_path / "assets"
    draft = drafts.start(db, BY)
    landed = tmp_path / "upload.bin"
    landed.write_bytes(b"only this draft's upload")
    upload = media.store(db, assets, media.hashed(landed), "image/png", "media/uploads/x.png")
    drafts.add_item(db, draft.id, "files", upload, BY)
    kept_by_version = newest(db)["files"][0]["sha256"]
    before = datetime.now(UTC)
    drafts.discard(db, draft.id, BY, assets)
    assert not content.asset_file(assets, upload["sha256"]).exists()
    assert content.find_asset(db, assets, upload["sha256"]) is None
    assert content.find_asset(db, assets, kept_by_version) is not None

    again = tmp_path / "again.bin"
    again.write_bytes(b"only this draft's upload")
    media.store(db, assets, media.hashed(again), "image/png", "media/uploads/x.png")
    with db.write() as session:
        assert drafts.remove_unused_files(session, assets, before) == []
    assert content.find_asset(db, assets, upload["sha256"]) is not None
