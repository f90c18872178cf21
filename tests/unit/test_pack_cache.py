"""The content-addressed media cache: verified, atomic writes and cheap presence checks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from contract.pack import PackError
from kiosk.pack import AssetCache

DATA = b"kiosk media " * 1000
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def cache(tmp_path: Path) -> AssetCache:
    return AssetCache(tmp_path / "cache")


@pytest.fixture
def src(tmp_path: Path) -> Path:
    path = tmp_path / "promo.png"
    path.write_bytes(DATA)
    return path


def names(cache: AssetCache) -> list[str]:
    return sorted(p.name for p in cache.root.iterdir()) if cache.root.exists() else []


def test_put_file_stores_under_the_digest(cache: AssetCache, src: Path) -> None:
    assert not cache.has(SHA)
    path = cache.put_file(src, SHA, len(DATA))
    assert path == cache.root / SHA == cache.path(SHA)
    assert path.read_bytes() == DATA
    assert cache.has(SHA) and cache.has(SHA, len(DATA)) and cache.verify(SHA, len(DATA))
    assert names(cache) == [SHA]


def test_put_file_twice_keeps_one_copy(cache: AssetCache, src: Path) -> None:
    first = cache.put_file(src, SHA, len(DATA))
    mtime = first.stat().st_mtime_ns
    assert cache.put_file(src, SHA, len(DATA)) == first
    assert first.stat().st_mtime_ns == mtime
    assert names(cache) == [SHA]


@pytest.mark.parametrize(
    ("sha", "size", "expected"),
    [
        ("f" * 64, len(DATA), "media/promo.png: SHA-256이 매니페스트와 다릅니다"),
        (SHA, len(DATA) + 1, "media/promo.png: 크기가 매니페스트와 다릅니다"),
        (SHA, len(DATA) - 1, "media/promo.png: 크기가 매니페스트와 다릅니다"),
    ],
)
def test_a_wrong_file_never_enters_the_cache(
    cache: AssetCache, src: Path, sha: str, size: int, expected: str
) -> None:
    with pytest.raises(PackError) as info:
        cache.put_file(src, sha, size, source="media/promo.png")
    assert info.value.problems[0].startswith(expected)
    assert names(cache) == []


def test_a_half_written_file_is_never_visible(cache: AssetCache) -> None:
    seen_during_write: list[bool] = []

    def chunks() -> Iterator[bytes]:
        yield DATA[:5000]
        seen_during_write.append(cache.has(SHA))
        raise OSError("disk unplugged")

    with pytest.raises(OSError, match="disk unplugged"):
        cache.put_stream(chunks(), SHA, len(DATA))
    assert seen_during_write == [False]
    assert names(cache) == []  # the temporary file is gone too


def test_truncated_cache_file_is_detected_and_replaced(cache: AssetCache, src: Path) -> None:
    path = cache.put_file(src, SHA, len(DATA))
    path.write_bytes(DATA[:100])
    assert cache.has(SHA)  # present by name...
    assert not cache.has(SHA, len(DATA))  # ...but not complete
    assert not cache.verify(SHA, len(DATA))
    cache.put_file(src, SHA, len(DATA))
    assert cache.verify(SHA, len(DATA))


def test_corrupted_cache_file_of_the_right_size_is_detected(cache: AssetCache, src: Path) -> None:
    path = cache.put_file(src, SHA, len(DATA))
    path.write_bytes(DATA[::-1])
    assert cache.has(SHA, len(DATA))
    assert not cache.verify(SHA, len(DATA))
    cache.put_file(src, SHA, len(DATA))
    assert cache.verify(SHA, len(DATA))


def test_leftovers_of_an_interrupted_write_are_discarded(cache: AssetCache, src: Path) -> None:
    cache.put_file(src, SHA, len(DATA))
    (cache.root / ".partial-abc").write_bytes(b"half")
    assert cache.discard_partials() == 1
    assert names(cache) == [SHA]


def test_missing_source_file_is_a_pack_error(cache: AssetCache, tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        cache.put_file(tmp_path / "gone.png", SHA, len(DATA), source="media/gone.png")
    assert info.value.problems[0].startswith("media/gone.png: 저장소에 넣지 못했습니다")


@pytest.mark.parametrize("bad", ["../etc", "F" * 64, "abc", "0" * 63 + "/"])
def test_only_digests_name_files(cache: AssetCache, bad: str) -> None:
    with pytest.raises(ValueError):
        cache.path(bad)
