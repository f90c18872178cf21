"""ContentRepository: storing content pack versions and activating one atomically."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kiosk.store.content_repo import (
    CONTENT_KINDS,
    AssetRecord,
    ContentItem,
    ContentRepository,
)
from kiosk.store.db import Database, open_database

KST = timezone(timedelta(hours=9))
OPENS = datetime(2026, 11, 1, 9, 0, tzinfo=KST)
CLOSES = datetime(2026, 11, 30, 18, 0, tzinfo=KST)


def sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def sample_items(suffix: str = "") -> list[ContentItem]:
    return [
        ContentItem(
            "survey",
            "s1",
            f"중구 주민 만족도 조사{suffix}",
            {"questions": [{"id": "q1", "type": "scale"}]},
            opens_at=OPENS,
            closes_at=CLOSES,
        ),
        ContentItem("survey", "s0", "두 번째 설문", {"questions": []}),
        ContentItem("contest", "c1", "우리 동네 사진 공모", {"entries": []}, closes_at=CLOSES),
        ContentItem(
            "proposal",
            "p1",
            "을지로 골목 가로등 설치",
            {"body": "..."},
            dong="euljiro",
            topic="safety",
            status="open",
            agree_count=87,
            deadline=CLOSES,
        ),
        ContentItem("ballot", "b-myeongdong", "명동 주민참여예산", {}, dong="myeongdong"),
        ContentItem(
            "ballot_project",
            "bp1",
            "경로당 냉난방기 교체",
            {"image": sha("bp1.jpg")},
            parent_id="b-myeongdong",
            dong="myeongdong",
            cost_won=12_000_000,
        ),
        ContentItem(
            "promotion",
            "pr1",
            "한파 대피소 안내",
            {},
            starts_at=OPENS,
            ends_at=CLOSES,
            priority=10,
            emergency=True,
        ),
        ContentItem("video", "v1", "디지털 배움터 1강", {"file": sha("v1.mp4")}, duration_s=312.5),
    ]


SAMPLE_ASSETS = [
    AssetRecord(sha("bp1.jpg"), 48_213, "image/jpeg"),
    AssetRecord(sha("v1.mp4"), 9_812_331, "video/mp4"),
]
SAMPLE_RULES = {"survey.response": 100, "proposal.agree": 100, "ballot.submit": 1_000}


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    with open_database(data_dir) as database:
        yield database


@pytest.fixture
def repo(db: Database) -> ContentRepository:
    return ContentRepository(db)


def activate(
    repo: ContentRepository,
    version: str,
    items: list[ContentItem] | None = None,
    rules: dict[str, int] | None = None,
    assets: list[AssetRecord] | None = None,
    manifest: dict[str, Any] | None = None,
) -> None:
    repo.activate(
        version,
        1,
        manifest if manifest is not None else {"version": version, "title": "온통중구"},
        sample_items() if items is None else items,
        SAMPLE_RULES if rules is None else rules,
        SAMPLE_ASSETS if assets is None else assets,
    )


def test_nothing_is_active_at_first(repo: ContentRepository) -> None:
    assert repo.active_version() is None
    assert repo.active_manifest() is None
    assert repo.items("survey") == []
    assert repo.point_rules() == {}
    assert repo.referenced_assets() == set()


def test_activate_stores_everything(repo: ContentRepository) -> None:
    manifest = {"version": "2026.11.1", "kinds": list(CONTENT_KINDS), "nested": {"a": [1, 2]}}
    activate(repo, "2026.11.1", manifest=manifest)
    assert repo.active_version() == "2026.11.1"
    assert repo.active_manifest() == manifest
    assert repo.point_rules() == SAMPLE_RULES
    assert repo.referenced_assets() == {a.sha256 for a in SAMPLE_ASSETS}
    expected = sample_items()
    for kind in CONTENT_KINDS:
        assert repo.items(kind) == [i for i in expected if i.kind == kind], kind


def test_items_keep_pack_order(repo: ContentRepository) -> None:
    activate(repo, "v1")
    assert [i.id for i in repo.items("survey")] == ["s1", "s0"]


def test_datetimes_come_back_aware_and_equal(repo: ContentRepository) -> None:
    activate(repo, "v1")
    survey = repo.items("survey")[0]
    assert survey.opens_at == OPENS
    assert survey.opens_at is not None and survey.opens_at.tzinfo is not None


def test_item_by_id(repo: ContentRepository) -> None:
    activate(repo, "v1")
    project = repo.item("ballot_project", "bp1")
    assert project is not None
    assert (project.parent_id, project.cost_won) == ("b-myeongdong", 12_000_000)
    assert repo.item("ballot_project", "nope") is None
    assert repo.item("survey", "bp1") is None


def test_a_new_version_replaces_the_active_one(repo: ContentRepository) -> None:
    activate(repo, "v1")
    v2_items = [ContentItem("survey", "s9", "새 설문", {})]
    activate(repo, "v2", items=v2_items, rules={"survey.response": 200}, assets=[])
    assert repo.active_version() == "v2"
    assert repo.items("survey") == v2_items
    assert repo.items("video") == []
    assert repo.point_rules() == {"survey.response": 200}
    assert repo.referenced_assets() == set()


def test_exactly_one_version_is_active(db: Database, repo: ContentRepository) -> None:
    for version in ("v1", "v2", "v3", "v2"):
        activate(repo, version)
    with db.read() as conn:
        active = conn.execute(text("SELECT version FROM content_versions WHERE active")).all()
    assert active == [("v2",)]
    with pytest.raises(IntegrityError), db.write() as conn:
        conn.execute(text("UPDATE content_versions SET active = 1"))


def test_reactivating_a_version_replaces_its_rows(repo: ContentRepository) -> None:
    activate(repo, "v1")
    activate(repo, "v2")
    changed = [ContentItem("survey", "s1", "고친 제목", {"fixed": True})]
    activate(repo, "v1", items=changed, rules={}, assets=SAMPLE_ASSETS[:1])
    assert repo.active_version() == "v1"
    assert repo.items("survey") == changed
    assert repo.items("proposal") == []
    assert repo.point_rules() == {}
    assert repo.referenced_assets() == {SAMPLE_ASSETS[0].sha256}


def test_a_failed_activation_leaves_the_previous_version_active(
    repo: ContentRepository,
) -> None:
    activate(repo, "v1")
    broken = sample_items(" (v2)") + [
        # Same kind and id twice: the insert fails after the first rows went in.
        ContentItem("video", "v1", "중복된 영상", {}),
    ]
    with pytest.raises(IntegrityError):
        activate(repo, "v2", items=broken, rules={"survey.response": 5})
    assert repo.active_version() == "v1"
    assert repo.items("survey")[0].title == "중구 주민 만족도 조사"
    assert repo.point_rules() == SAMPLE_RULES


def test_a_failed_reactivation_keeps_the_old_rows(repo: ContentRepository) -> None:
    activate(repo, "v1")
    orphan = ContentItem("ballot_project", "x", "투표 없는 사업", {}, parent_id="no-such-ballot")
    with pytest.raises(IntegrityError):
        activate(repo, "v1", items=[orphan])
    assert repo.items("survey") == [i for i in sample_items() if i.kind == "survey"]


def test_assets_are_shared_between_versions(db: Database, repo: ContentRepository) -> None:
    activate(repo, "v1")
    activate(repo, "v2", assets=[AssetRecord(SAMPLE_ASSETS[0].sha256, 48_213, "image/webp")])
    assert repo.referenced_assets() == {SAMPLE_ASSETS[0].sha256}
    with db.read() as conn:
        rows = conn.execute(text("SELECT sha256, media_type FROM assets ORDER BY size")).all()
    assert rows == [(SAMPLE_ASSETS[0].sha256, "image/webp"), (SAMPLE_ASSETS[1].sha256, "video/mp4")]


def test_an_asset_listed_twice_the_same_way_is_kept_once(repo: ContentRepository) -> None:
    activate(repo, "v1", assets=SAMPLE_ASSETS + SAMPLE_ASSETS[:1])
    assert repo.referenced_assets() == {a.sha256 for a in SAMPLE_ASSETS}


def test_an_asset_listed_twice_differently_is_refused(repo: ContentRepository) -> None:
    twin = AssetRecord(SAMPLE_ASSETS[0].sha256, 1, "image/jpeg")
    with pytest.raises(ValueError, match="twice"):
        activate(repo, "v1", assets=[SAMPLE_ASSETS[0], twin])
    assert repo.active_version() is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: ContentItem("survey", "s", "t", {}, cost_won=1), "no cost_won"),
        (lambda: ContentItem("video", "v", "t", {}, dong="jung"), "no dong"),
        (lambda: ContentItem("ballot_project", "p", "t", {}), "parent_id"),
        (lambda: ContentItem("poll", "p", "t", {}), "unknown content kind"),  # type: ignore[arg-type]
        (lambda: ContentItem("survey", "", "t", {}), "needs an id"),
        (
            lambda: ContentItem("survey", "s", "t", {}, opens_at=datetime(2026, 1, 1)),
            "time zone",
        ),
    ],
)
def test_content_item_refuses_fields_its_kind_lacks(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    ("sha256", "size"), [("ABC", 1), ("A" * 64, 1), (sha("x"), -1), (sha("x") + "0", 1)]
)
def test_asset_record_refuses_bad_values(sha256: str, size: int) -> None:
    with pytest.raises(ValueError):
        AssetRecord(sha256, size, "image/png")


def test_items_of_an_unknown_kind(repo: ContentRepository) -> None:
    with pytest.raises(ValueError, match="unknown content kind"):
        repo.items("poll")  # type: ignore[arg-type]


def test_loaded_at_uses_the_clock(db: Database) -> None:
    at = datetime(2026, 11, 25, 1, 2, 3, tzinfo=UTC)
    repo = ContentRepository(db, clock=lambda: at)
    activate(repo, "v1")
    with db.read() as conn:
        stored = conn.execute(text("SELECT loaded_at FROM content_versions")).scalar()
    assert stored == "2026-11-25T01:02:03.000000Z"
