"""Publishing content packs and serving the manifest and its assets, as a device pulls them."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from contract.pack import validate_manifest
from kiosk.paths import asset_path
from tests.server.process import EnrolledDevice, ServerProcess

DEMO_VERSION = "2026.11.25-demo"


def make_pack(pack_dir: Path, version: str, size: int = 5000, seed: bytes = b"") -> Path:
    """A small valid pack: the demo district and one media file of `size` bytes."""
    demo = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    data = (hashlib.sha256(version.encode() + seed).digest() * (size // 32 + 1))[:size]
    (pack_dir / "media").mkdir(parents=True)
    (pack_dir / "media" / "poster.jpg").write_bytes(data)
    manifest = {
        "schema_version": 1,
        "content_version": version,
        "published_at": datetime.now(UTC).isoformat(),
        "district": demo["district"],
        "files": [
            {
                "path": "media/poster.jpg",
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": size,
                "media_type": "image/jpeg",
            }
        ],
    }
    (pack_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return pack_dir


@pytest.fixture(scope="module")
def device(server: ServerProcess) -> EnrolledDevice:
    return server.enroll(mode="board")


def get_manifest(
    server: ServerProcess, device: EnrolledDevice, etag: str | None = None
) -> requests.Response:
    headers = {**device.headers, **({"If-None-Match": etag} if etag else {})}
    return requests.get(f"{server.api}/content/manifest", headers=headers, timeout=10)


def get_asset(
    server: ServerProcess, device: EnrolledDevice, sha256: str, **headers: str
) -> requests.Response:
    return requests.get(
        f"{server.api}/assets/{sha256}", headers={**device.headers, **headers}, timeout=10
    )


def test_before_any_publish_there_is_no_manifest(
    server: ServerProcess, device: EnrolledDevice
) -> None:
    r = get_manifest(server, device)

    assert r.status_code == 404
    assert "published" in r.json()["detail"]


def test_publish_the_demo_pack_and_pull_it_with_etag(
    server: ServerProcess, device: EnrolledDevice
) -> None:
    out = server.cli("publish", str(asset_path("demo")))
    assert f"{DEMO_VERSION}: published" in out.stdout

    first = get_manifest(server, device)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert etag == f'"{hashlib.sha256(first.content).hexdigest()}"'
    # The kiosk's own models read what the server serves.
    pack = validate_manifest(first.json())
    assert pack.content_version == DEMO_VERSION
    demo = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    assert len(pack.files) == len(demo["files"])

    unchanged = get_manifest(server, device, etag)
    also_unchanged = get_manifest(server, device, f'"other", W/{etag}')
    changed_tag = get_manifest(server, device, '"something-else"')

    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["ETag"] == etag
    assert also_unchanged.status_code == 304
    assert changed_tag.status_code == 200

    again = server.cli("publish", str(asset_path("demo")))
    assert "already published, unchanged" in again.stdout
    assert get_manifest(server, device, etag).status_code == 304


def test_every_demo_asset_is_served_byte_for_byte(
    server: ServerProcess, device: EnrolledDevice
) -> None:
    pack = validate_manifest(get_manifest(server, device).json())
    for entry in pack.files:
        r = get_asset(server, device, entry.sha256)
        assert r.status_code == 200
        assert r.headers["Content-Length"] == str(entry.size)
        assert r.headers["ETag"] == f'"{entry.sha256}"'
        assert hashlib.sha256(r.content).hexdigest() == entry.sha256
    # Content-addressed on the server's disk, by digest.
    entry = pack.files[0]
    assert (server.data_dir / "assets" / entry.sha256[:2] / entry.sha256).is_file()


def test_a_newer_pack_becomes_the_manifest_with_a_new_etag(
    server: ServerProcess, device: EnrolledDevice, tmp_path: Path
) -> None:
    old = get_manifest(server, device)
    pack = make_pack(tmp_path / "pack", "2026.12.01")

    server.cli("publish", str(pack))
    new = get_manifest(server, device, old.headers["ETag"])

    assert new.status_code == 200
    assert new.headers["ETag"] != old.headers["ETag"]
    assert new.json()["content_version"] == "2026.12.01"
    heartbeat = requests.post(
        f"{server.api}/devices/heartbeat",
        json={
            "app_version": "0.1.0",
            "content_version": DEMO_VERSION,
            "queue_depth": 0,
            "mode": "board",
            "uptime_s": 10,
        },
        headers=device.headers,
        timeout=10,
    )
    assert heartbeat.json()["content_version"] == "2026.12.01"


def test_a_version_published_twice_with_other_content_is_refused(
    server: ServerProcess, device: EnrolledDevice, tmp_path: Path
) -> None:
    server.cli("publish", str(make_pack(tmp_path / "a", "2026.12.02")))
    before = get_manifest(server, device).headers["ETag"]

    result = server.cli(
        "publish", str(make_pack(tmp_path / "b", "2026.12.02", seed=b"x")), check=False
    )

    assert result.returncode == 1
    assert "already published with other content" in result.stderr
    assert get_manifest(server, device).headers["ETag"] == before


def test_a_broken_pack_is_refused_with_the_kiosks_own_words(
    server: ServerProcess, device: EnrolledDevice, tmp_path: Path
) -> None:
    before = get_manifest(server, device).headers["ETag"]
    pack = shutil.copytree(
        asset_path("demo"), tmp_path / "broken", ignore=shutil.ignore_patterns("*.py")
    )
    victim = next((pack / "media").iterdir())
    victim.write_bytes(victim.read_bytes()[:-1] + b"!")

    result = server.cli("publish", str(pack), check=False)

    assert result.returncode == 1
    assert f"media/{victim.name}" in result.stderr
    assert "SHA-256" in result.stderr
    assert get_manifest(server, device).headers["ETag"] == before


@pytest.fixture(scope="module")
def asset(server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, bytes]:
    pack = make_pack(tmp_path_factory.mktemp("range") / "pack", "2026.12.03-range", size=100_000)
    server.cli("publish", str(pack))
    data = (pack / "media" / "poster.jpg").read_bytes()
    return hashlib.sha256(data).hexdigest(), data


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=50000-", 50000, 99_999),
        ("bytes=99999-99999", 99_999, 99_999),
        ("bytes=-10", 99_990, 99_999),
        ("bytes=90000-200000", 90_000, 99_999),
        ("bytes=-200000", 0, 99_999),
    ],
)
def test_range_requests_resume_a_download(
    server: ServerProcess,
    device: EnrolledDevice,
    asset: tuple[str, bytes],
    header: str,
    first: int,
    last: int,
) -> None:
    sha, data = asset

    r = get_asset(server, device, sha, Range=header)

    assert r.status_code == 206
    assert r.headers["Content-Range"] == f"bytes {first}-{last}/{len(data)}"
    assert r.content == data[first : last + 1]


@pytest.mark.parametrize("header", ["bytes=100000-", "bytes=200000-300000", "bytes=-0"])
def test_range_past_the_end_is_416(
    server: ServerProcess, device: EnrolledDevice, asset: tuple[str, bytes], header: str
) -> None:
    sha, data = asset

    r = get_asset(server, device, sha, Range=header)

    assert r.status_code == 416
    assert r.headers["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize(
    "header", ["bytes=5-1", "items=0-5", "bytes=a-b", "bytes=0-1,5-9", "bytes=", "bytes=--5"]
)
def test_unreadable_range_gets_the_whole_file(
    server: ServerProcess, device: EnrolledDevice, asset: tuple[str, bytes], header: str
) -> None:
    sha, data = asset

    r = get_asset(server, device, sha, Range=header)

    assert r.status_code == 200
    assert r.content == data


def test_if_range_with_another_etag_gets_the_whole_file(
    server: ServerProcess, device: EnrolledDevice, asset: tuple[str, bytes]
) -> None:
    sha, data = asset

    same = get_asset(server, device, sha, Range="bytes=0-9", **{"If-Range": f'"{sha}"'})
    other = get_asset(server, device, sha, Range="bytes=0-9", **{"If-Range": '"old"'})
    cached = get_asset(server, device, sha, **{"If-None-Match": f'"{sha}"'})

    assert (same.status_code, same.content) == (206, data[:10])
    assert (other.status_code, other.content) == (200, data)
    assert cached.status_code == 304


@pytest.mark.parametrize(
    "name", ["0" * 64, "F" * 64, "abc", "..", "%2e%2e%2fserver.sqlite3", "0" * 63 + "g"]
)
def test_unknown_asset_is_404(server: ServerProcess, device: EnrolledDevice, name: str) -> None:
    r = get_asset(server, device, name)

    assert r.status_code == 404
    assert r.json()["detail"]


def test_a_published_asset_missing_from_disk_is_404_not_500(
    server: ServerProcess, device: EnrolledDevice, asset: tuple[str, bytes]
) -> None:
    sha, _ = asset
    path = server.data_dir / "assets" / sha[:2] / sha
    moved = path.with_suffix(".away")
    os.replace(path, moved)
    try:
        assert get_asset(server, device, sha).status_code == 404
    finally:
        os.replace(moved, path)
