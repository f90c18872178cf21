"""The counts the server publishes (GET /api/v1/counts) reach the device with every sync cycle,
are kept in its database, and a malformed answer changes nothing: the last good counts stay.
A real reference server process and a real sync core."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.paths import asset_path
from kiosk.store.db import open_database
from kiosk.store.published_counts import COUNTS_KEY, CountsStore
from kiosk.store.settings import DeviceSettings


def publish_demo(srv, root: Path, version: str, agree_count: int) -> None:
    dest = root / version
    shutil.copytree(asset_path("demo"), dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = dest / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["content_version"] = version
    manifest["proposals"][0]["agree_count"] = agree_count
    path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    srv.publish(dest)


def test_counts_are_fetched_each_cycle_and_kept_on_the_device(srv, make_device, tmp_path):
    publish_demo(srv, tmp_path / "packs", "counts-v1", 7)
    device = make_device()
    before = datetime.now(UTC)
    assert CountsStore(device.db).load() is None
    core = device.core()
    try:
        assert core.run_once() is None
    finally:
        core.close()
    published = CountsStore(device.db).load()
    assert published is not None
    assert before <= published.as_of <= datetime.now(UTC)
    assert published.counts.content_version == "counts-v1"
    first = published.counts.proposals[0]
    assert (first.published, first.counted, first.total) == (7, 0, 7)
    assert not first.reached
    # Durable: another process (here, a fresh connection) reads the same.
    with open_database(device.data_dir) as again:
        stored = CountsStore(again).load()
        assert stored is not None and stored.counts == published.counts


def test_a_malformed_answer_is_logged_and_the_last_good_counts_stay(
    srv, make_device, tmp_path, caplog
):
    publish_demo(srv, tmp_path / "packs", "counts-v1", 7)
    device = make_device()
    core = device.core()
    try:
        assert core.run_once() is None
        good = CountsStore(device.db).load()
        assert good is not None
        publish_demo(srv, tmp_path / "packs", "counts-v2", 60)
        for body in (
            "<html>garbage",
            json.dumps({"server_time": "yesterday", "proposals": []}),
            json.dumps({"proposals": [{"proposal_id": "x", "total": -1}]}),
        ):
            srv.arm(status=200, body=body, path_prefix="/api/v1/counts")
            # The rest of the cycle goes on: the content still arrives.
            assert core.run_once() is None
            assert CountsStore(device.db).load() == good
        assert "sync.counts_ignored kind=protocol" in caplog.text
        assert device.repo.active_version() == "counts-v2"
        # The next good answer replaces them.
        assert core.run_once() is None
        newer = CountsStore(device.db).load()
        assert newer is not None and newer.as_of > good.as_of
        assert newer.counts.proposals[0].total == 60
    finally:
        core.close()


def test_no_counts_are_taken_when_the_drain_did_not_deliver(srv, make_device, tmp_path):
    """Counts cover this kiosk's agrees up to the drain's start only if the drain delivered."""
    publish_demo(srv, tmp_path / "packs", "counts-v1", 7)
    device = make_device()
    core = device.core()
    try:
        assert core.run_once() is None
        good = CountsStore(device.db).load()
        device.queue(1)
        srv.arm(status=500, path_prefix="/api/v1/submissions")
        assert core.run_once() is not None
        assert CountsStore(device.db).load() == good
        assert core.run_once() is None
        after = CountsStore(device.db).load()
        assert after is not None and good is not None and after.as_of > good.as_of
    finally:
        core.close()


def test_an_unreadable_stored_record_reads_as_none(make_device):
    device = make_device()
    settings = DeviceSettings(device.db)
    for value in ("nonsense", {"counts": {}, "as_of": "2026-01-01T00:00:00+00:00"}, {"x": 1}):
        settings.set(COUNTS_KEY, value)
        assert CountsStore(device.db).load() is None
    naive = (datetime.now(UTC) - timedelta(days=1)).replace(tzinfo=None).isoformat()
    settings.set(COUNTS_KEY, {"counts": {}, "as_of": naive})
    assert CountsStore(device.db).load() is None
