"""Content from the real server: a new version is activated only complete and verified.

Damaged downloads (wrong bytes, a short file, a cut connection, the server killed midway) are
never activated and are fetched again; the previous version stays active and its files stay in
the cache throughout; a device that missed three publishes goes straight to the newest.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from kiosk.pack import AssetCache
from kiosk.pack.install import active_pack
from sync.client import NetworkError, SyncClient, SyncError
from sync.content import ContentSync, CorruptDownloadError
from sync.worker import load_enrolment
from tests.sync.conftest import FAST, Device
from tests.sync.packs import CHANGED_FILE, DEMO_FILES, image_bytes, make_pack, sha256
from tests.sync.proxy import Fault, FaultProxy
from tests.sync.reference_server import ReferenceServer


def content_of(device: Device) -> ContentSync:
    """Content sync as the worker builds it, on the device's own folders."""
    enrolment = load_enrolment(device.settings)
    assert enrolment is not None
    client = SyncClient(enrolment.server_url, enrolment.token, timeouts=FAST.timeouts)
    return ContentSync(
        client, device.repo, cache(device), device.settings, device.data_dir / "downloads"
    )


def cache(device: Device) -> AssetCache:
    return AssetCache(device.data_dir / "assets")


def assert_live(device: Device, version: str) -> None:
    """`version` is active and every one of its files is in the cache, intact."""
    assert device.repo.active_version() == version
    pack = active_pack(device.repo)
    assert pack is not None
    for entry in pack.files:
        assert cache(device).verify(entry.sha256, entry.size), entry.path


@pytest.fixture
def v1(srv: ReferenceServer, make_device, tmp_path: Path, request) -> tuple[Device, str]:
    """A device with a first version pulled and active."""
    version = f"{request.node.name[:40]}-v1"
    srv.publish(make_pack(tmp_path / "packs", version))
    device = make_device()
    outcome = content_of(device).pull()
    assert outcome.activated and outcome.files_fetched == DEMO_FILES
    assert_live(device, version)
    return device, version


def publish_changed(srv: ReferenceServer, tmp_path: Path, version: str, data: bytes) -> str:
    srv.publish(make_pack(tmp_path / "packs", version, {CHANGED_FILE: data}))
    return sha256(data)


def test_unchanged_manifest_is_not_fetched_again(v1):
    device, version = v1
    outcome = content_of(device).pull()
    assert not outcome.activated and outcome.files_fetched == 0
    assert_live(device, version)


def test_a_file_lost_from_the_cache_is_fetched_again(v1):
    device, version = v1
    lost = next(iter(device.repo.referenced_assets()))
    cache(device).path(lost).unlink()
    outcome = content_of(device).pull()
    assert outcome.files_fetched == 1
    assert_live(device, version)


def test_wrong_bytes_are_thrown_away_and_fetched_again(srv, v1, tmp_path, caplog):
    device, old = v1
    data = image_bytes("wrong-bytes")
    digest = publish_changed(srv, tmp_path, "wrong-bytes-v2", data)
    srv.arm(
        status=200,
        body="x" * len(data),
        content_type="application/octet-stream",
        path_prefix=f"/api/v1/assets/{digest}",
    )
    with caplog.at_level(logging.WARNING, logger="sync.content"):
        outcome = content_of(device).pull()
    assert outcome.activated and outcome.files_fetched == 1
    assert any("asset_corrupt" in r.getMessage() for r in caplog.records)
    assert_live(device, "wrong-bytes-v2")
    assert cache(device).verify(digest, len(data))


def test_a_file_that_stays_damaged_is_never_activated(srv, v1, tmp_path):
    device, old = v1
    data = image_bytes("always-short")
    digest = publish_changed(srv, tmp_path, "always-short-v2", data)
    # Short every time: a clean end after half the bytes.
    srv.arm(
        status=200,
        body="x" * (len(data) // 2),
        content_type="application/octet-stream",
        path_prefix=f"/api/v1/assets/{digest}",
        times=3,
    )
    content = content_of(device)
    with pytest.raises(CorruptDownloadError):
        content.pull()
    assert_live(device, old)
    assert not cache(device).has(digest)
    assert not list(content.downloads.glob("*.part"))

    # The server's copy is fine again: the next pull gets it.
    assert content.pull().activated
    assert_live(device, "always-short-v2")


def test_cut_download_resumes_where_it_stopped(srv, v1, tmp_path):
    device, old = v1
    data = image_bytes("resume", 200_000)
    digest = publish_changed(srv, tmp_path, "resume-v2", data)
    srv.arm(truncate_after_bytes=120_000, path_prefix=f"/api/v1/assets/{digest}")
    content = content_of(device)

    with pytest.raises(NetworkError):
        content.pull()
    assert_live(device, old)
    part = content.downloads / f"{digest}.part"
    assert 0 < part.stat().st_size < len(data)
    kept = part.stat().st_size

    outcome = content.pull()
    assert outcome.activated
    assert outcome.bytes_fetched == len(data) - kept  # only the rest, by a Range request
    assert_live(device, "resume-v2")


def test_server_killed_mid_download_then_resumed(srv, make_device, tmp_path, request):
    old = "killed-v1"
    srv.publish(make_pack(tmp_path / "packs", old))
    proxy = FaultProxy(srv.port)
    request.addfinalizer(proxy.close)
    device = make_device(url=proxy.url)
    content = content_of(device)
    assert content.pull().activated

    data = image_bytes("big", 4_000_000)
    digest = publish_changed(srv, tmp_path, "killed-v2", data)
    proxy.switch(lambda _line: Fault(bytes_per_s=2_000_000))  # about 2 s for the big file
    part = content.downloads / f"{digest}.part"
    errors: list[SyncError] = []

    def pull() -> None:
        try:
            content.pull()
        except SyncError as e:
            errors.append(e)

    puller = threading.Thread(target=pull)
    puller.start()
    deadline = time.monotonic() + 20
    while (not part.exists() or part.stat().st_size < 500_000) and time.monotonic() < deadline:
        assert_live(device, old)  # the old version is live while the new one downloads
        time.sleep(0.02)  # a plain thread, not Qt: polling its file is the way to watch it
    srv.kill()
    # The kernel buffers megabytes between the dead server and the slow line; what reaches
    # the device is the connection breaking, as the server's RST would make it.
    proxy.cut_all()
    puller.join(30)
    assert errors and isinstance(errors[0], NetworkError)
    assert_live(device, old)
    kept = part.stat().st_size
    assert 0 < kept < len(data)

    srv.start()
    proxy.upstream_port = srv.port
    proxy.switch(lambda _line: Fault())
    outcome = content.pull()
    assert outcome.activated and outcome.bytes_fetched == len(data) - kept
    assert_live(device, "killed-v2")


def test_offline_through_three_publishes_converges_on_the_newest(srv, make_device, tmp_path):
    proxy = FaultProxy(srv.port)
    try:
        device = make_device(url=proxy.url)
        srv.publish(make_pack(tmp_path / "packs", "offline-v1"))
        content = content_of(device)
        assert content.pull().activated
        first = cache(device).root / next(
            f.sha256 for f in active_pack(device.repo).files if f.path == CHANGED_FILE
        )

        proxy.switch(lambda _line: Fault(refuse=True))  # the device is offline from here
        digests = []
        for n in (2, 3, 4):
            digests.append(
                publish_changed(srv, tmp_path, f"offline-v{n}", image_bytes(f"offline-{n}"))
            )
            with pytest.raises(NetworkError):
                content.pull()
            assert_live(device, "offline-v1")

        proxy.switch(lambda _line: Fault())  # back online
        outcome = content.pull()
        assert outcome.activated and outcome.version == "offline-v4"
        assert outcome.files_fetched == 1  # only v4's file: v2 and v3 were never fetched
        assert_live(device, "offline-v4")
        assert not cache(device).has(digests[0]) and not cache(device).has(digests[1])
        # The replaced version's file stays until the next activation (the screen may still
        # be showing it), then goes.
        assert first.exists()
        publish_changed(srv, tmp_path, "offline-v5", image_bytes("offline-5"))
        outcome = content.pull()
        assert outcome.activated and outcome.files_removed == 1
        assert not first.exists()
        assert cache(device).has(digests[2])
        assert_live(device, "offline-v5")
    finally:
        proxy.close()
