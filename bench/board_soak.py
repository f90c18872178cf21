"""Board soak: 10,000 item changes (pictures, the demo video, notices with QR codes) on one
signage player, with a clock that runs as fast as the items can be prepared.

Budget (DESIGN.md "Performance budgets"): resident memory grows by less than 5 MB after
warm-up, and no frame is painted without content. The player's clock is a fake monotonic clock
moved item by item (a day of signage in minutes); decoding, video start and painting are real.
Each change waits for the next item to be ready, as on a real board; a video shows a few real
frames before its turn is cut short.

    QT_QPA_PLATFORM=offscreen python bench/board_soak.py [--changes 10000] [--warmup 1000]

Prints resident memory after warm-up and at the end, the growth, and the longest run of paints
without content; the last line is JSON with rss_after_warmup_mb, rss_end_mb, rss_growth_mb and
max_gap_frames_without_content.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEventLoop  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from contract.content import KST, Promotion  # noqa: E402
from kiosk.app import open_context  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.domain.a11y import Panel  # noqa: E402
from kiosk.i18n import Translator  # noqa: E402
from kiosk.ui.fonts import load_bundled_fonts  # noqa: E402
from kiosk.ui.main_thread_gc import MainThreadCollector  # noqa: E402
from kiosk.ui.player.health import memory_rss_bytes  # noqa: E402
from kiosk.ui.player.player import PlayerClock, PlayerTuning, SignagePlayer  # noqa: E402
from kiosk.ui.theme import DEFAULT, Metrics, Theme  # noqa: E402

GROWTH_BUDGET_MB = 5.0
SIZE = (1920, 1080)
START = datetime(2026, 11, 25, 9, 0, tzinfo=KST)
MB = 1024 * 1024


class SteppedClock:
    """A monotonic clock the soak moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class NoFacts:
    def clock_offset_s(self) -> float:
        return 0.0

    def last_sync(self) -> datetime | None:
        return None


def playlist(pack_promotions: list[Promotion]) -> list[Promotion]:
    """The demo's pictures and video, and notices with links (QR codes) and without."""
    by_id = {p.id: p for p in pack_promotions}
    span = {"starts_at": "2026-11-01T00:00:00+09:00", "ends_at": "2027-12-31T00:00:00+09:00"}
    items: list[Promotion] = []
    for pid in ("budget-vote-2027", "welcome", "night-scout", "digital-class", "quiz-points"):
        p = by_id[pid]
        every_day = {"windows": [], "dongs": [], "weekdays": list(range(7)), "evergreen": False}
        items.append(Promotion.model_validate({**p.model_dump(), **every_day, **span}))
    items.append(Promotion.model_validate({**by_id["ontong-clip"].model_dump(), "weight": 2}))
    for i in range(3):
        data: dict[str, Any] = {
            "id": f"soak-notice-{i}",
            "kind": "notice",
            "title": {"ko": f"알림 {i + 1}: 겨울철 안전 수칙"},
            "body": {
                "ko": "계량기함을 헌 옷으로 채우고, 아주 추운 밤에는 수돗물을 조금 틀어 두세요."
            },
            "url": f"https://ontong.junggu.seoul.kr/notice/{i + 1}" if i < 2 else None,
            **span,
        }
        items.append(Promotion.model_validate(data))
    return items


def rss_mb() -> float:
    rss = memory_rss_bytes()
    return (rss or 0) / MB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=1_000)
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    MainThreadCollector(app)  # as the app runs
    load_bundled_fonts()
    data_dir = Path(tempfile.mkdtemp(prefix="ontong-soak-"))
    ctx = open_context(KioskConfig(data_dir=data_dir, mode="board", memory_ceiling_mb=None))
    assert ctx.pack is not None
    ctx.pack = ctx.pack.model_copy(update={"promotions": playlist(list(ctx.pack.promotions))})
    mono = SteppedClock()
    theme = Theme(DEFAULT, Metrics.for_panel(Panel(32, *SIZE), 100))
    player = SignagePlayer(
        ctx,
        theme,
        Translator("ko"),
        clock=PlayerClock.following(START, mono),
        facts=NoFacts(),
        tuning=PlayerTuning(fade_s=0.6),
    )
    player.resize(*SIZE)
    player.show()
    kinds: dict[str, int] = {}
    player.item_started.connect(
        lambda item: kinds.__setitem__(item.kind, kinds.get(item.kind, 0) + 1)
    )
    player.start()

    def pump(until, limit_s: float = 15.0) -> None:
        deadline = time.monotonic() + limit_s
        while not until():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the player stalled after {player.shown} items")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    pump(lambda: player.shown >= 2)
    t0 = time.monotonic()
    # Resident memory moves by a few MB with what is in flight (a video decoder open, a picture
    # half decoded), so it is sampled every 10 changes after warm-up; each figure is the median
    # of a window of samples, and a least-squares slope over all of them shows any steady leak.
    window = max(10, min(1000, (args.changes - args.warmup) // 5))
    samples: list[tuple[int, float]] = []
    changes = 0
    while changes < args.changes:
        s = player.showing
        assert s is not None
        if s.item.kind == "video":
            pump(lambda s=s: s.look.frames >= 2 or s.ended)
        # Through the crossfade in two painted steps (half way, done), then to the item's end.
        for _ in range(2):
            mono.now += 0.3
            player.on_fade_timer_timeout()
            app.processEvents()
        mono.now = max(mono.now, s.started_mono + s.item.duration_s) + 0.01
        shown = player.shown
        player.tick()
        pump(lambda shown=shown: player.shown > shown)
        changes += 1
        if changes >= args.warmup and changes % 10 == 0:
            samples.append((changes, rss_mb()))
        if changes == args.warmup + window:
            warm = statistics.median(r for c, r in samples if c < args.warmup + window)
            print(f"after warm-up ({args.warmup} changes): rss {warm:.1f} MB", flush=True)
        if changes % 2000 == 0:
            print(f"{changes} changes, {time.monotonic() - t0:.0f} s", flush=True)
    elapsed = time.monotonic() - t0
    warm_window = [r for c, r in samples if c < args.warmup + window]
    end_window = [r for c, r in samples if c > args.changes - window]
    rss_warm, rss_end = statistics.median(warm_window), statistics.median(end_window)
    growth = rss_end - rss_warm
    slope = statistics.linear_regression([c for c, _ in samples], [r for _, r in samples]).slope
    gap = player.longest_empty_run
    board_hours = (mono.now - 1000.0) / 3600
    player.stop()
    outbox = ctx.outbox.counts_by_status()
    ctx.close()
    QCoreApplication.processEvents()
    print(f"{changes} item changes in {elapsed:.0f} s ({board_hours:.1f} board hours): {kinds}")
    print(f"paints {player.stage.paints}, without content {player.empty_paints}")
    print(f"proof of play: {outbox['pending']} hourly envelopes queued")
    print(
        f"rss after warm-up {rss_warm:.1f} MB, at the end {rss_end:.1f} MB, growth {growth:+.1f} MB"
    )
    print(
        f"  medians of {len(warm_window)} samples (changes {args.warmup}-{args.warmup + window})"
        f" and {len(end_window)} (the last {window}); ranges"
        f" {min(warm_window):.1f}-{max(warm_window):.1f} and"
        f" {min(end_window):.1f}-{max(end_window):.1f} MB;"
        f" trend over all {len(samples)} samples {slope * 1000:+.2f} MB per 1,000 changes"
    )
    print(f"budget: growth < {GROWTH_BUDGET_MB} MB, no frame without content")
    print(
        json.dumps(
            {
                "rss_after_warmup_mb": round(rss_warm, 1),
                "rss_end_mb": round(rss_end, 1),
                "rss_growth_mb": round(growth, 1),
                "max_gap_frames_without_content": gap,
            }
        )
    )
    return 0 if growth < GROWTH_BUDGET_MB and gap == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
