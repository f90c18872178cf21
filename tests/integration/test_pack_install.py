"""Installing content packs into a real device database and cache."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.pack import PackError, load_pack
from kiosk.pack import AssetCache
from kiosk.pack.install import active_pack, cached_file, install_pack
from kiosk.paths import asset_path
from kiosk.store.content_repo import ContentRepository
from kiosk.store.db import Database, open_database

DEMO_VERSION = "2026.11.25-demo"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir)
    yield database
    database.close()


@pytest.fixture
def repo(db: Database) -> ContentRepository:
    return ContentRepository(db)


@pytest.fixture
def cache(data_dir: Path) -> AssetCache:
    return AssetCache(data_dir / "assets")


def copy_demo(target: Path) -> Path:
    shutil.copytree(
        asset_path("demo"), target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    return target


def rewrite_manifest(pack_dir: Path, **changes: object) -> None:
    path = pack_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(changes)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_install_demo_pack(repo: ContentRepository, cache: AssetCache) -> None:
    assert repo.active_version() is None
    assert active_pack(repo) is None

    assert install_pack(asset_path("demo"), repo, cache) == DEMO_VERSION

    assert repo.active_version() == DEMO_VERSION
    counts = {
        kind: len(repo.items(kind))
        for kind in (
            "survey",
            "contest",
            "proposal",
            "ballot",
            "ballot_project",
            "promotion",
            "video",
        )
    }
    assert counts == {
        "survey": 3,
        "contest": 1,
        "proposal": 11,
        "ballot": 15,
        "ballot_project": 74,
        "promotion": 8,
        "video": 2,
    }
    assert repo.point_rules()["budget_vote"] == 1000
    pack = load_pack(asset_path("demo"))
    assert active_pack(repo) == pack
    assert repo.referenced_assets() == {f.sha256 for f in pack.files}
    for entry in pack.files:
        assert cache.verify(entry.sha256, entry.size), entry.path
    poster = cached_file(pack, cache, "media/promo-quiz.png")
    assert poster is not None
    assert poster.read_bytes() == (asset_path("demo") / "media" / "promo-quiz.png").read_bytes()


def test_installing_the_same_pack_again_is_harmless(
    repo: ContentRepository, cache: AssetCache
) -> None:
    install_pack(asset_path("demo"), repo, cache)
    install_pack(asset_path("demo"), repo, cache)
    assert repo.active_version() == DEMO_VERSION
    assert len(repo.items("proposal")) == 11


@pytest.mark.parametrize("breakage", ["bad-manifest", "bad-file"])
def test_broken_pack_leaves_the_old_content_active(
    repo: ContentRepository, cache: AssetCache, tmp_path: Path, breakage: str
) -> None:
    install_pack(asset_path("demo"), repo, cache)
    broken = copy_demo(tmp_path / "next")
    if breakage == "bad-manifest":
        rewrite_manifest(broken, content_version="2026.12.01", schema_version=99)
    else:
        rewrite_manifest(broken, content_version="2026.12.01")
        (broken / "media" / "promo-welcome.png").write_bytes(b"not a picture")

    with pytest.raises(PackError):
        install_pack(broken, repo, cache)

    assert repo.active_version() == DEMO_VERSION
    assert len(repo.items("ballot")) == 15
    pack = active_pack(repo)
    assert pack is not None and pack.content_version == DEMO_VERSION


def test_failed_activation_leaves_the_old_content_active(
    db: Database, repo: ContentRepository, cache: AssetCache, tmp_path: Path
) -> None:
    install_pack(asset_path("demo"), repo, cache)
    nxt = copy_demo(tmp_path / "next")
    rewrite_manifest(nxt, content_version="2026.12.01")
    # The database fails halfway through storing the new version (as a full disk would),
    # after its surveys and contests are already written in the same transaction.
    with db.write() as conn:
        conn.exec_driver_sql(
            "CREATE TRIGGER fail_midway BEFORE INSERT ON proposals "
            "WHEN NEW.content_version = '2026.12.01' "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )

    with pytest.raises(PackError) as info:
        install_pack(nxt, repo, cache)

    assert info.value.problems[0].startswith("manifest.json: 새 콘텐츠를 적용하지 못해")
    assert "database or disk is full" in str(info.value)
    assert repo.active_version() == DEMO_VERSION
    assert len(repo.items("survey")) == 3
    with db.read() as conn:
        versions = conn.exec_driver_sql("SELECT version FROM content_versions").scalars().all()
    assert versions == [DEMO_VERSION]


def test_a_newer_pack_replaces_the_old_one(
    repo: ContentRepository, cache: AssetCache, tmp_path: Path
) -> None:
    install_pack(asset_path("demo"), repo, cache)
    nxt = copy_demo(tmp_path / "next")
    rewrite_manifest(nxt, content_version="2026.12.01", proposals=[])
    assert install_pack(nxt, repo, cache) == "2026.12.01"
    assert repo.active_version() == "2026.12.01"
    assert repo.items("proposal") == []


def test_truncated_cache_file_is_detected(repo: ContentRepository, cache: AssetCache) -> None:
    install_pack(asset_path("demo"), repo, cache)
    pack = load_pack(asset_path("demo"))
    entry = pack.file("media/promo-ontong.mp4")
    assert entry is not None
    cached = cache.path(entry.sha256)
    cached.write_bytes(cached.read_bytes()[: entry.size // 2])

    assert not cache.has(entry.sha256, entry.size)
    assert not cache.verify(entry.sha256, entry.size)
    assert cached_file(pack, cache, entry.path) is None

    # Installing again repairs the cache.
    install_pack(asset_path("demo"), repo, cache)
    assert cache.verify(entry.sha256, entry.size)
