"""Proof of play on the real device database: every closed hour reaches the outbox as one
"play_stats" envelope, exactly once, across restarts and a crash between its two steps; and
the player itself sends an hour once it is over."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from contract.content import KST
from contract.wire import PlayStats
from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.domain.a11y import Panel
from kiosk.i18n import Translator
from kiosk.store.db import Database, open_database
from kiosk.store.outbox import Outbox
from kiosk.store.play_stats import KIND, LEDGER_KEY, PlayStatsRecorder
from kiosk.store.settings import DeviceSettings
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.player.player import PlayerClock, PlayerTuning, SignagePlayer
from kiosk.ui.theme import DEFAULT, Metrics, Theme
from tests.helpers.board import FakeFacts
from tests.helpers.stubs import FakeMonotonic

TEN = datetime(2026, 11, 25, 10, 0, tzinfo=KST)


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    with open_database(data_dir) as database:
        yield database


def recorder(db: Database, mono: FakeMonotonic | None = None) -> PlayStatsRecorder:
    return PlayStatsRecorder(
        db,
        Outbox(db, boot_id="boot-a"),
        mode="board",
        content_version=lambda: "v1",
        monotonic=mono or FakeMonotonic(),
    )


def play_stats(db: Database) -> list[PlayStats]:
    return [
        PlayStats.model_validate(e.payload)
        for e in Outbox(db).pending(limit=1000)
        if e.kind == KIND
    ]


def test_each_closed_hour_is_queued_once_with_its_totals(db):
    stats = recorder(db)
    stats.record("poster", TEN + timedelta(minutes=1), 10)
    stats.record("poster", TEN + timedelta(minutes=20), 10)
    stats.record("clip", TEN + timedelta(minutes=59, seconds=58), 4)  # 2 s into 11:00
    assert stats.flush(TEN + timedelta(minutes=59)) == 0  # the hour is not over
    assert stats.flush(TEN + timedelta(hours=1, minutes=5)) == 1
    assert stats.flush(TEN + timedelta(hours=1, minutes=30)) == 0
    (ten,) = play_stats(db)
    assert ten.hour_start == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert ten.mode == "board"
    assert [(i.item_id, i.count, i.seconds) for i in ten.items] == [
        ("clip", 1, 2.0),
        ("poster", 2, 20.0),
    ]
    assert stats.flush(TEN + timedelta(hours=2)) == 1  # 11:00, with the clip's last 2 s
    eleven = play_stats(db)[1]
    assert [(i.item_id, i.count, i.seconds) for i in eleven.items] == [("clip", 0, 2.0)]
    assert Outbox(db).pending()[0].content_version == "v1"


def test_a_crash_between_queueing_and_forgetting_an_hour_sends_nothing_twice(db):
    stats = recorder(db)
    stats.record("poster", TEN, 10)
    stats.save()
    settings = DeviceSettings(db)
    before_flush = settings.get(LEDGER_KEY)
    assert stats.flush(TEN + timedelta(hours=1)) == 1
    # The power went off after the envelope was queued and before the hour was forgotten.
    settings.set(LEDGER_KEY, before_flush)
    after_restart = recorder(db)
    assert after_restart.ledger.hours()  # the hour is back in the ledger...
    assert after_restart.flush(TEN + timedelta(hours=1, minutes=1)) == 0  # ...and not re-sent
    assert not after_restart.ledger.hours()
    assert len(play_stats(db)) == 1


def test_counts_are_saved_at_most_a_minute_apart_and_survive_a_restart(db):
    mono = FakeMonotonic()
    stats = recorder(db, mono)
    stats.record("poster", TEN, 10)
    assert recorder(db).ledger.hours() == []  # not saved yet: at most a minute of counting
    mono.advance(61)
    stats.record("poster", TEN + timedelta(minutes=2), 10)
    restarted = recorder(db)
    assert restarted.ledger.report(restarted.ledger.hours()[0]).items[0].count == 2
    assert restarted.flush(TEN + timedelta(hours=1)) == 1


def test_the_player_sends_the_hour_that_ended_once(qtbot, data_dir):
    load_bundled_fonts()
    ctx = open_context(KioskConfig(data_dir=data_dir, mode="board", dong="hoehyeon"))
    mono = FakeMonotonic()
    start = TEN.replace(minute=59, second=0)
    player = SignagePlayer(
        ctx,
        Theme(DEFAULT, Metrics.for_panel(Panel(32, 1280, 720), 100)),
        Translator("ko"),
        clock=PlayerClock.following(start, mono),
        facts=FakeFacts(),
        tuning=PlayerTuning(fade_s=0.1),
    )
    qtbot.addWidget(player)
    player.resize(1280, 720)
    player.show()
    shown: list[str] = []
    player.item_started.connect(lambda item: shown.append(item.id))
    player.start()
    try:
        qtbot.waitUntil(lambda: len(shown) >= 2, timeout=5000)  # the card, then an item
        # Items come and go across 11:00; each tick may flush, the hour goes out once.
        for _ in range(12):
            before = len(shown)
            mono.advance(12.5)  # the longest item here lasts 12 s
            qtbot.waitUntil(lambda b=before: len(shown) > b, timeout=5000)
            player.tick()
        assert player.now() > TEN + timedelta(hours=1)
        envelopes = [e for e in ctx.outbox.pending(limit=1000) if e.kind == KIND]
        assert len(envelopes) == 1
        report = PlayStats.model_validate(envelopes[0].payload)
        assert report.hour_start == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
        assert sum(i.count for i in report.items) >= 1
        assert {i.item_id for i in report.items} <= {p.id for p in ctx.pack.promotions}
        assert envelopes[0].content_version == ctx.pack.content_version
    finally:
        player.stop()
        ctx.close()
