"""server.previews without a browser: what the content hash depends on, the time limit of the
drawing subprocess, and names that cannot reach outside the cache."""

from __future__ import annotations

import copy
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from server import previews
from server.previews import Previews, content_hash
from tests.server.process import ROOT

DEMO = json.loads((ROOT / "assets" / "demo" / "manifest.json").read_text(encoding="utf-8"))


def waited(shown: Previews, document: dict[str, Any], section: str, key: str) -> previews.Outcome:
    outcome = shown.request(document, section, key)
    deadline = time.monotonic() + 30
    while outcome.state == "drawing" and time.monotonic() < deadline:
        time.sleep(0.1)
        outcome = shown.outcome(outcome.digest) or outcome
    return outcome


def test_the_hash_follows_the_item_its_files_and_the_district_only() -> None:
    base = content_hash(DEMO, "promotions", "night-scout")
    other = copy.deepcopy(DEMO)
    other["surveys"][0]["title"]["ko"] = "다른 설문"
    other["content_version"] = "다른 버전"
    assert content_hash(other, "promotions", "night-scout") == base
    changed = copy.deepcopy(DEMO)
    next(p for p in changed["promotions"] if p["id"] == "night-scout")["priority"] = 99
    assert content_hash(changed, "promotions", "night-scout") != base
    asset = next(p for p in DEMO["promotions"] if p["id"] == "night-scout")["asset"]
    refiled = copy.deepcopy(DEMO)
    next(f for f in refiled["files"] if f["path"] == asset)["sha256"] = "0" * 64
    assert content_hash(refiled, "promotions", "night-scout") != base
    district = copy.deepcopy(DEMO)
    district["district"]["name"]["ko"] = "다른 구"
    assert content_hash(district, "promotions", "night-scout") != base


def test_a_lessons_hash_follows_the_whole_pack_it_is_drawn_over_but_not_its_version() -> None:
    base = content_hash(DEMO, "lessons", "vote")
    restamped = copy.deepcopy(DEMO)
    restamped["content_version"], restamped["published_at"] = "다른 버전", "2030-01-01T00:00:00Z"
    assert content_hash(restamped, "lessons", "vote") == base
    other = copy.deepcopy(DEMO)
    other["budget"]["title"]["ko"] = "다른 투표"  # its first target is the home screen's tile
    assert content_hash(other, "lessons", "vote") != base


def test_a_drawing_past_its_time_limit_is_stopped_and_said_so(tmp_path: Path) -> None:
    slow = tmp_path / "slow-python"
    slow.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    slow.chmod(0o755)
    shown = Previews(tmp_path / "cache", tmp_path / "assets", python=str(slow), timeout_s=0.5)
    try:
        started = time.monotonic()
        outcome = waited(shown, DEMO, "surveys", DEMO["surveys"][0]["id"])
        assert outcome.state == "failed" and "0.5초 안에 만들지 못해" in outcome.message
        assert time.monotonic() - started < 10
        assert list((tmp_path / "cache").iterdir()) == []  # its work folder is gone
    finally:
        shown.shutdown()


def test_only_known_picture_names_of_a_digest_are_served(tmp_path: Path) -> None:
    shown = Previews(tmp_path / "cache", tmp_path / "assets")
    digest = "a" * 64
    (tmp_path / "cache" / digest).mkdir(parents=True)
    (tmp_path / "cache" / digest / "portrait_100.png").write_bytes(b"png")
    assert shown.picture(digest, "portrait_100") is not None
    assert shown.picture(digest, "../" + digest) is None
    assert shown.picture("../cache", "portrait_100") is None
    assert shown.picture(digest, "landscape_200") is None  # not drawn
    for further in ("question_2", "step_3"):
        (tmp_path / "cache" / digest / f"{further}.png").write_bytes(b"png")
        assert shown.picture(digest, further) is not None
    assert shown.picture(digest, "step_x") is None
    (tmp_path / "cache" / digest / "done").write_text(digest, encoding="utf-8")
    ready = shown.outcome(digest)
    assert ready is not None and ready.further == ("question_2", "step_3")
    shown.shutdown()


def test_the_oldest_previews_are_removed_past_the_kept_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(previews, "KEPT", 2)
    shown = Previews(tmp_path / "cache", tmp_path / "assets")
    for n, name in enumerate(("old", "middle", "new", "newest")):
        folder = tmp_path / "cache" / name
        folder.mkdir(parents=True)
        os.utime(folder, (1_000_000 + n, 1_000_000 + n))
    shown._prune()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["new", "newest"]
    shown.shutdown()


def test_no_more_drawings_run_at_once_than_the_workers_allow(tmp_path: Path) -> None:
    """Five items asked for at once with two workers: at most two subprocesses at a time (each
    notes its start and end in a log), and every request answers at once ("drawing")."""
    log = tmp_path / "runs.log"
    fake = tmp_path / "fake-python"
    fake.write_text(
        f'#!/bin/sh\necho "start $(date +%s.%N)" >> {log}\nsleep 0.4\n'
        f'echo "end $(date +%s.%N)" >> {log}\nexit 2\n',  # kiosk.preview: "not a valid pack"
        encoding="utf-8",
    )
    fake.chmod(0o755)
    shown = Previews(tmp_path / "cache", tmp_path / "assets", python=str(fake), workers=2)
    try:
        asked = time.monotonic()
        outcomes = [shown.request(DEMO, "promotions", p["id"]) for p in DEMO["promotions"][:5]]
        assert time.monotonic() - asked < 1.0
        assert {o.state for o in outcomes} == {"drawing"}
        for outcome in outcomes:
            deadline = time.monotonic() + 30
            while (shown.outcome(outcome.digest) or outcome).state == "drawing":
                assert time.monotonic() < deadline
                time.sleep(0.05)
    finally:
        shown.shutdown()
    running = most = 0
    events = sorted(
        (float(at), kind) for kind, at in (line.split() for line in log.read_text().splitlines())
    )
    for _at, kind in events:
        running += 1 if kind == "start" else -1
        most = max(most, running)
    assert len(events) == 10 and most == 2
