"""A media board against the reference server process, through the real sync worker: an
emergency notice published on the server is on screen within one sync cycle and gone at its
end; the board's proof of play reaches the server exactly once per hour."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from contract.content import KST
from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.domain.a11y import Panel
from kiosk.i18n import Translator
from kiosk.paths import asset_path
from kiosk.services.sync_link import SyncLink, start_sync_link
from kiosk.store.db import open_database
from kiosk.store.play_stats import KIND
from kiosk.store.settings import DeviceSettings
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.player.player import PlayerClock, PlayerTuning, SignagePlayer
from kiosk.ui.player.slides import CARD_ID
from kiosk.ui.theme import DEFAULT, Metrics, Theme
from sync.client import Timeouts
from sync.worker import SyncTuning, enroll_device
from tests.helpers.stubs import FakeMonotonic
from tests.sync.reference_server import ReferenceServer

# One sync cycle: a heartbeat every 2 s tells the board that newer content is published.
CYCLE_S = 2.0
TUNING = SyncTuning(
    backoff_base_s=0.05,
    backoff_cap_s=0.5,
    timeouts=Timeouts(connect_s=1.0, read_s=5.0),
    idle_check_s=0.05,
    heartbeat_every_s=CYCLE_S,
    content_every_s=600.0,
)
# The board's own clock (fake, moved by the test) starts three minutes before ten.
START = datetime(2026, 11, 25, 9, 57, tzinfo=KST)
ALERT = "gas-leak-drill"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceServer]:
    srv = ReferenceServer(tmp_path_factory.mktemp("server"))
    srv.start()
    yield srv
    srv.stop()


def make_pack(root: Path, version: str, extra_promotions: list[dict[str, Any]]) -> Path:
    dest = root / version
    shutil.copytree(asset_path("demo"), dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    manifest["content_version"] = version
    manifest["promotions"] += extra_promotions
    (dest / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dest


def test_an_emergency_from_the_server_and_proof_of_play_back_to_it(qtbot, server, tmp_path):
    load_bundled_fonts()
    server.publish(make_pack(tmp_path / "packs", "board-v1", []))
    data_dir = tmp_path / "board"
    with open_database(data_dir) as db:
        enrolment = enroll_device(
            DeviceSettings(db), server.url, server.enroll_code(), name="신당동 아파트", mode="board"
        )
    config = KioskConfig(data_dir=data_dir, mode="board", dong="sindang", server_url=server.url)
    ctx = open_context(config)
    ctx.open_store()
    assert ctx.pack is None  # an enrolled board waits for the server's content
    mono = FakeMonotonic()
    player = SignagePlayer(
        ctx,
        Theme(DEFAULT, Metrics.for_panel(Panel(32, 1920, 1080), 100)),
        Translator("ko"),
        clock=PlayerClock.following(START, mono),
        tuning=PlayerTuning(fade_s=0.2),
    )
    qtbot.addWidget(player)
    player.resize(1920, 1080)
    player.show()
    player.start()
    controller: SyncLink | None = start_sync_link(ctx, tuning=TUNING)
    assert controller is not None
    # What the window does on this signal (KioskWindow.on_sync_content_activated).
    controller.content_activated.connect(lambda _version: ctx.reload_pack())

    def step() -> None:
        """Let the item on screen run out (a video plays a few real frames first)."""
        shown, s = player.shown, player.showing
        if s.item.kind == "video":
            qtbot.waitUntil(lambda: s.look.frames >= 3 or s.ended, timeout=5000)
        mono.advance(max(0.0, s.item.duration_s - (mono.now - s.started_mono)) + 0.01)
        qtbot.waitUntil(lambda: player.shown > shown, timeout=5000)

    try:
        # The first content arrives: the district card gives way to the promotions.
        qtbot.waitUntil(lambda: ctx.pack is not None, timeout=10_000)
        qtbot.waitUntil(lambda: player.showing.item.id != CARD_ID, timeout=5000)
        assert ctx.pack.content_version == "board-v1"

        alert = {
            "id": ALERT,
            "kind": "notice",
            "title": {"ko": "가스 누출 대피 훈련"},
            "body": {"ko": "지금 훈련 중입니다. 안내에 따라 1층 밖으로 나가 주세요."},
            "starts_at": (START - timedelta(minutes=10)).isoformat(),
            "ends_at": (START + timedelta(minutes=2)).isoformat(),
            "priority": 100,
            "duration_s": 20,
            "emergency": True,
        }
        server.publish(make_pack(tmp_path / "packs", "board-v2", [alert]))
        published = time.monotonic()
        qtbot.waitUntil(lambda: player.showing.item.id == ALERT, timeout=15_000)
        assert time.monotonic() - published <= CYCLE_S + 3.0  # one cycle, plus the download
        for _ in range(3):
            step()
            assert player.showing.item.id == ALERT  # nothing else while it lasts
        mono.advance(120)  # the drill ends at 09:59
        qtbot.waitUntil(lambda: player.showing.item.id != ALERT, timeout=5000)
        assert player.now() >= START + timedelta(minutes=2)

        # On past ten o'clock: the hour 9:00-10:00 is over and goes to the server once.
        while player.now() < START + timedelta(minutes=3, seconds=30):
            step()
        qtbot.waitUntil(
            lambda: (
                any(e.kind == KIND for e in ctx.outbox.pending(limit=1000))
                or ctx.outbox.counts_by_status()["sent"] > 0
            ),
            timeout=5000,
        )
        controller.wake()
        qtbot.waitUntil(lambda: ctx.outbox.counts_by_status()["pending"] == 0, timeout=10_000)
        controller.sync_now()
        qtbot.waitUntil(lambda: ctx.outbox.counts_by_status()["pending"] == 0, timeout=10_000)
        queued = [
            q
            for q in (ctx.outbox.get(s.id) for s in server.submissions(enrolment.device_id))
            if q is not None and q.envelope.kind == KIND
        ]
        assert len(queued) == 1
        stats = queued[0].envelope.payload
        assert stats["hour_start"] == "2026-11-25T00:00:00+00:00"  # 09:00 in Seoul
        assert {i["item_id"] for i in stats["items"]} >= {ALERT}
        stored_ids = [s.id for s in server.submissions(enrolment.device_id)]
        assert len(stored_ids) == len(set(stored_ids))
        assert queued[0].status == "sent"
    finally:
        player.stop()
        assert controller.stop(wait_ms=10_000), "the sync thread did not end"
        ctx.close()
