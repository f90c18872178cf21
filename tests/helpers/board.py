"""Helpers for the media-board, video-centre and QR tests: packs with chosen promotions, fakes
for the player's device facts and proof-of-play recorder, and a QR decoder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import zxingcpp
from PySide6.QtGui import QImage

from contract.content import KST, FileEntry, Promotion
from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.context import AppContext
from kiosk.domain.a11y import Panel
from kiosk.i18n import Translator
from kiosk.ui.player.health import Watchdog
from kiosk.ui.player.player import PlayerClock, PlayerTuning, SignagePlayer
from kiosk.ui.player.slides import CARD_ID
from kiosk.ui.theme import DEFAULT, HIGH_CONTRAST, Metrics, Theme
from tests.helpers.stubs import FakeMonotonic

FADE_S = 0.6

# Wednesday 25 November 2026, 10:00 in Seoul: the demo pack's busiest morning.
WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=KST)


def promotion(id: str, **fields: Any) -> Promotion:
    """A promotion on air all through November and December (a notice unless told)."""
    data: dict[str, Any] = {
        "id": id,
        "kind": "notice",
        "title": {"ko": f"알림 {id}"},
        "body": {"ko": "본문입니다."},
        "starts_at": "2026-11-01T00:00:00+09:00",
        "ends_at": "2027-01-01T00:00:00+09:00",
    }
    data.update(fields)
    return Promotion.model_validate(data)


def add_file(ctx: AppContext, pack_path: str, content: bytes, media_type: str) -> None:
    """Put a file into the device's cache and list it in the active pack."""
    assert ctx.pack is not None
    digest = hashlib.sha256(content).hexdigest()
    target = ctx.assets.path(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    entry = FileEntry(path=pack_path, sha256=digest, size=len(content), media_type=media_type)
    files = [f for f in ctx.pack.files if f.path != pack_path] + [entry]
    ctx.pack = ctx.pack.model_copy(update={"files": files})


def set_promotions(ctx: AppContext, promotions: list[Promotion]) -> None:
    """Replace the active pack's promotions (a new pack object, as a sync activation makes)."""
    assert ctx.pack is not None
    ctx.pack = ctx.pack.model_copy(update={"promotions": promotions})


def demo_promotion(ctx: AppContext, promotion_id: str) -> Promotion:
    assert ctx.pack is not None
    return next(p for p in ctx.pack.promotions if p.id == promotion_id)


def corrupt(path: Path) -> None:
    """Overwrite a cached file with bytes no decoder reads (a damaged cache)."""
    path.write_bytes(b"\x00\x01not a video at all" * 512)


@dataclass
class FakeFacts:
    """The player's device facts, set by the test."""

    offset_s: float = 0.0
    last: datetime | None = None

    def clock_offset_s(self) -> float:
        return self.offset_s

    def last_sync(self) -> datetime | None:
        return self.last


@dataclass
class ListRecorder:
    """Proof of play kept in a list: (item id, start, seconds)."""

    records: list[tuple[str, datetime, float]] = field(default_factory=list)
    flushes: list[datetime] = field(default_factory=list)

    def record(self, item_id: str, started: datetime, seconds: float) -> None:
        self.records.append((item_id, started, seconds))

    def flush(self, now: datetime) -> int:
        self.flushes.append(now)
        return 0

    def save(self) -> None:
        pass


def decode_qr(image: QImage) -> list[str]:
    """The texts of every QR code in `image`."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    return [
        r.text
        for r in zxingcpp.read_barcodes(rgb, formats=zxingcpp.BarcodeFormat.QRCode)
        if r.valid
    ]


def is_one_colour(image: QImage) -> bool:
    """True when a picture is a single flat colour (nothing shown on it)."""
    small = image.scaled(24, 24).convertToFormat(QImage.Format.Format_RGB32)
    first = small.pixel(0, 0)
    return all(small.pixel(x, y) == first for y in range(24) for x in range(24))


@dataclass
class Board:
    """A player on its own, on a fresh device, with fake clocks the test moves."""

    player: SignagePlayer
    ctx: AppContext
    mono: FakeMonotonic
    watch: FakeMonotonic
    recorder: ListRecorder
    facts: FakeFacts

    @property
    def showing_id(self) -> str | None:
        s = self.player.showing
        return s.item.id if s else None


def make_board(
    qtbot: Any,
    data_dir: Path,
    size: tuple[int, int] = (1920, 1080),
    *,
    memory: Callable[[], int | None] = lambda: 200 * 1024 * 1024,
    watchdog: Watchdog | None = None,
    high_contrast: bool = False,
    **config: Any,
) -> Board:
    """A started-up board player of `size` on the demo pack (dong 회현동), not yet playing."""
    settings = {"data_dir": data_dir, "mode": "board", "dong": "hoehyeon", **config}
    ctx = open_context(KioskConfig(**settings))
    mono, watch = FakeMonotonic(), FakeMonotonic()
    recorder, facts = ListRecorder(), FakeFacts()
    palette = HIGH_CONTRAST if high_contrast else DEFAULT
    theme = Theme(palette, Metrics.for_panel(Panel(32, *size), 100))
    player = SignagePlayer(
        ctx,
        theme,
        Translator("ko"),
        clock=PlayerClock.following(WEDNESDAY_10, mono),
        facts=facts,
        recorder=lambda: recorder,
        tuning=PlayerTuning(fade_s=FADE_S, watchdog=watchdog or Watchdog()),
        watch_clock=watch,
        memory=memory,
    )
    qtbot.addWidget(player)
    player.resize(*size)
    player.show()
    qtbot.waitExposed(player)
    return Board(player, ctx, mono, watch, recorder, facts)


def close_board(board: Board) -> None:
    board.player.stop()
    board.ctx.close()


def start(qtbot: Any, board: Board) -> None:
    """Start the player and wait for the first item after the district card."""
    board.player.start()
    qtbot.waitUntil(lambda: board.player.showing.item.id != CARD_ID, timeout=5000)
    finish_fade(board)


def finish_fade(board: Board) -> None:
    board.mono.advance(FADE_S)
    board.player.on_fade_timer_timeout()


def next_item(qtbot: Any, board: Board, timeout: int = 5000) -> str:
    """Let the item on screen run out and wait for the next one; returns its id."""
    player = board.player
    shown = player.shown
    s = player.showing
    if s.item.kind == "video":
        qtbot.waitUntil(lambda: s.look.frames >= 5 or s.ended, timeout=timeout)
    board.mono.advance(max(0.0, s.item.duration_s - (board.mono.now - s.started_mono)) + 0.01)
    qtbot.waitUntil(lambda: player.shown > shown, timeout=timeout)
    return player.showing.item.id


def stage_picture(board: Board) -> QImage:
    return board.player.stage.grab().toImage()
