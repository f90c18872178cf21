"""The signage player of the media board and the kiosk's attract loop.

Each item is prepared while the one before it is on screen: a picture is decoded on a worker
thread at the size it will be shown, a video is opened in the idle one of two video channels,
a notice is drawn. At the item boundary the prepared item replaces the current one with a
short crossfade; a video is swapped in on its first frame, so the last picture of the item
before stays up until then. Nothing on screen is ever removed before its replacement is ready.

What comes next, and when the item on screen must give way, is the playlist's decision
(kiosk.domain.playlist); the player asks it and shows. A video that fails, or does not show a
frame within `start_timeout_s` of its turn, is reported to the playlist, which leaves it out for
`unplayable_for_s`; so is a picture that cannot be decoded. The rotation goes on with the next
item, and with the built-in district card if nothing is left.

The player reads the active content (`ctx.pack`) at every tick, so new content from the sync
worker, an emergency notice above all, is on screen within a tick of its activation.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, QObject, QSize, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from contract.content import KST, Promotion
from contract.subtitles import cue_at
from kiosk.context import AppContext
from kiosk.domain.a11y import Panel
from kiosk.domain.playlist import Playlist
from kiosk.domain.playstats import hour_start
from kiosk.domain.schedule import BoardClock, BoardProfile, LineupMode
from kiosk.i18n import Translator
from kiosk.services.board import DeviceFacts, PlayRecorder, StoredFacts, stored_recorder
from kiosk.ui.player.decode import ImageDecoder
from kiosk.ui.player.health import (
    Problem,
    Recovery,
    Watchdog,
    is_uniformly_black,
    memory_rss_bytes,
    release_free_memory,
)
from kiosk.ui.player.slides import (
    PlayItem,
    SlideStyle,
    district_card,
    item_for,
    render_qr_panel,
    render_text_slide,
    screen_off_item,
    split,
)
from kiosk.ui.player.stage import Look, Stage
from kiosk.ui.player.video import ChannelState, VideoChannel
from kiosk.ui.subtitles import SubtitleStyle
from kiosk.ui.theme import Theme

log = logging.getLogger(__name__)

MB = 1024 * 1024


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class PlayerClock:
    """The player's clocks: the device's wall clock (aware) and a monotonic clock in seconds.

    Item durations, start timeouts and crossfades run on `monotonic`; the schedule runs on
    `wall` corrected by the server offset. Tests pass a fake pair, the soak benchmark a fast one.
    """

    wall: Callable[[], datetime] = utc_now
    monotonic: Callable[[], float] = time.monotonic

    @classmethod
    def following(cls, start: datetime, monotonic: Callable[[], float]) -> PlayerClock:
        """A wall clock that runs with `monotonic` from `start` (for fake and fast clocks)."""
        origin = monotonic()
        return cls(lambda: start + timedelta(seconds=monotonic() - origin), monotonic)


def _detach_picture(look: Look) -> None:
    """Give a video's last picture its own memory before its player stops.

    Measured with bench/board_soak.py: a picture from QVideoFrame.toImage() still alive when
    its QMediaPlayer closed the file kept about 24 KB per video resident (Qt 6.10, FFmpeg
    backend); a copy made before the stop keeps the board's memory flat.
    """
    if look.item.kind == "video" and look.media is not None:
        look.media = look.media.copy()


def _follow_cues(look: Look, channel: VideoChannel) -> None:
    """Put the clip's cue at the channel's position on its look."""
    if not look.item.cues:
        return
    cue = cue_at(look.item.cues, channel.player.position() / 1000)
    text = cue.text if cue else ""
    if text != look.subtitle:
        look.subtitle = text
        log.debug("player_subtitle id=%s text=%r", look.item.id, text)


@dataclass
class _Pending:
    """The next item, being prepared."""

    item: PlayItem
    look: Look
    mode: LineupMode
    promotion: Promotion | None
    ticket: int | None = None
    channel: VideoChannel | None = None
    ready: bool = False
    started: bool = False  # a video asked to play
    due_since: float | None = None


@dataclass
class _Showing:
    """The item on screen."""

    item: PlayItem
    look: Look
    mode: LineupMode
    promotion: Promotion | None
    started_mono: float
    started_at: datetime
    channel: VideoChannel | None = None
    ended: bool = False
    counted: bool = False


@dataclass
class PlayerTuning:
    """Timings of the player; tests and the soak benchmark shorten some."""

    tick_ms: int = 100
    fade_s: float = 0.6
    fade_tick_ms: int = 30
    start_timeout_s: float = 10.0
    unplayable_for_s: float = 1800.0
    watch_every_s: float = 2.0
    black_every_s: float = 10.0
    seed: int = 0
    watchdog: Watchdog = field(default_factory=Watchdog)


class SignagePlayer(QWidget):
    """Plays the schedule full size: pictures, videos, notices and the district card.

    Signals:
        item_started(object): a PlayItem came on screen (its crossfade begins).
        item_skipped(str, str): an item was skipped as unplayable (id, reason).
        recovered(str, int): the watchdog saw a problem and recovered (problem, level 1 or 2).
        restart_requested(int): resident memory (bytes) passed the ceiling at an item boundary.

    Attributes:
        stage: the widget the items are painted on.
        showing: the item on screen, or None before the first.
        shown: how many items came on screen since the player started.
        longest_empty_run: the most paints in a row without content (zero is the rule).
    """

    item_started = Signal(object)
    item_skipped = Signal(str, str)
    recovered = Signal(str, int)
    # object, not int: a Qt int is 32 bits and memory past 2 GiB wrapped to a negative size.
    restart_requested = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        theme: Theme,
        translator: Translator,
        *,
        clock: PlayerClock | None = None,
        facts: DeviceFacts | None = None,
        recorder: Callable[[], PlayRecorder | None] | None = None,
        tuning: PlayerTuning | None = None,
        watch_clock: Callable[[], float] = time.monotonic,
        memory: Callable[[], int | None] = memory_rss_bytes,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signagePlayer")
        self.ctx = ctx
        self.theme = theme
        self.translator = translator
        self.clock = clock or PlayerClock(wall=ctx.clock)
        self.tuning = tuning or PlayerTuning()
        self.watchdog = self.tuning.watchdog
        self._facts = facts or StoredFacts(ctx)
        self._recorder_factory = recorder or (lambda: stored_recorder(ctx, ctx.config.mode))
        self._recorder: PlayRecorder | None = None
        self._watch_clock = watch_clock
        self._memory = memory
        config = ctx.config
        self.playlist = Playlist.for_board(
            BoardProfile(
                dong=config.dong,
                groups=frozenset(config.device_groups),
                screen_off=tuple(config.screen_off),
                stale_after_days=config.stale_after_days,
            ),
            seed=self.tuning.seed,
            unplayable_for_s=self.tuning.unplayable_for_s,
        )
        self.board_clock = BoardClock()
        self.showing: _Showing | None = None
        self.pending: _Pending | None = None
        self.shown = 0
        self._channels: list[VideoChannel] = []
        self._interrupt = False
        self._running = False
        self._ticked = False
        self._pack = ctx.pack
        self._flushed_hour: datetime | None = None
        self._stamp_minute: datetime | None = None
        self._restart_asked = False
        self._watched_at = watch_clock()
        self._black_checked_at = watch_clock()
        self._fade_started = 0.0
        self._qr_cache: OrderedDict[tuple[str, int, int], QImage] = OrderedDict()
        self._empty_before = 0
        self._longest_before = 0

        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self.stage = Stage()
        self._box.addWidget(self.stage)
        self.decoder = ImageDecoder(self)
        self.decoder.decoded.connect(self.on_decoder_decoded)
        self.decoder.failed.connect(self.on_decoder_failed)
        self.timer = QTimer(self)
        self.timer.setInterval(self.tuning.tick_ms)
        self.timer.timeout.connect(self.tick)
        self.fade_timer = QTimer(self)
        self.fade_timer.setInterval(self.tuning.fade_tick_ms)
        self.fade_timer.timeout.connect(self.on_fade_timer_timeout)

    # -- starting and stopping ------------------------------------------------------------

    def start(self) -> None:
        """Show the district card at once, then run the schedule from the first paint on."""
        if self._running:
            return
        self._running = True
        card = district_card(self.ctx.pack, self.translator)
        self._put_on_stage(self._pending_for(card, LineupMode.FALLBACK, None), crossfade=False)
        self._interrupt = True  # the card only holds the screen until the first item is ready
        # The device database is read from the first tick on; the first paint must not wait.
        self.stage.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.stage and event.type() == QEvent.Type.Paint:
            self.stage.removeEventFilter(self)
            if self._running:
                self.timer.start()
                QTimer.singleShot(0, self.tick)
        return False

    def stop(self) -> None:
        """Stop playing: count what was on screen, release the decoders and video players."""
        if not self._running:
            return
        self._running = False
        self.timer.stop()
        self.fade_timer.stop()
        self._count_showing(self.clock.monotonic())
        if self._recorder is not None:
            self._recorder.save()
        self._drop_pending()
        if self.showing is not None:
            _detach_picture(self.showing.look)
        for channel in self._channels:
            channel.stop()
        self.decoder.shutdown()

    @property
    def running(self) -> bool:
        return self._running

    @property
    def empty_paints(self) -> int:
        return self._empty_before + self.stage.empty_paints

    @property
    def longest_empty_run(self) -> int:
        return max(self._longest_before, self.stage.longest_empty_run)

    # -- time -----------------------------------------------------------------------------

    def now(self) -> datetime:
        """The schedule's time: the device clock, corrected and kept steady (BoardClock)."""
        return self.board_clock.now(
            self.clock.wall(), self.clock.monotonic(), self._facts.clock_offset_s()
        )

    # -- the tick -------------------------------------------------------------------------

    @Slot()
    def tick(self) -> None:
        """One step: notice changes, prepare the next item, change item when due, watch."""
        if not self._running:
            return
        self._ticked = True
        mono = self.clock.monotonic()
        now = self.now()
        if self.ctx.pack is not self._pack:
            self._pack = self.ctx.pack
            log.info("player_content_changed version=%s", self._version())
            self._drop_pending()
        self._check_interrupt(now)
        if self.pending is None:
            self._prepare_next(now + timedelta(seconds=self._remaining(mono)))
        if self._interrupt or self._due(mono):
            self._start_pending(mono)
        self._watch(mono)
        self._flush_stats(now)
        self._update_stamp(now)

    def _version(self) -> str | None:
        return self.ctx.pack.content_version if self.ctx.pack else None

    def _remaining(self, mono: float) -> float:
        s = self.showing
        if s is None or self._interrupt:
            return 0.0
        return max(0.0, s.item.duration_s - (mono - s.started_mono))

    def _due(self, mono: float) -> bool:
        s = self.showing
        if s is None:
            return True
        return s.ended or mono - s.started_mono >= s.item.duration_s

    def _check_interrupt(self, now: datetime) -> None:
        s = self.showing
        if s is None or self._interrupt:
            return
        to = self.playlist.gives_way_to(
            s.promotion,
            s.mode,
            self._promotions(),
            now,
            self.clock.monotonic(),
            last_update=self._facts.last_sync(),
        )
        if to is not None:
            log.info("player_interrupt from=%s to=%s", s.mode.value, to.value)
            self._interrupt = True
            self._drop_pending()

    def _promotions(self) -> list[Promotion]:
        return list(self.ctx.pack.promotions) if self.ctx.pack else []

    def _has_file(self, promotion: Promotion) -> bool:
        """True when the cache holds the promotion's picture or video."""
        path = self.ctx.asset_file(promotion.asset) if promotion.asset else None
        return path is not None and path.is_file()

    # -- preparing ------------------------------------------------------------------------

    def _prepare_next(self, at: datetime) -> None:
        up = self.playlist.next(
            self._promotions(),
            at,
            self.clock.monotonic(),
            last_update=self._facts.last_sync(),
            has_file=self._has_file,
        )
        for skipped in up.skipped:
            self._report_skipped(skipped.promotion.id, skipped.promotion.kind, skipped.reason)
        if up.promotion is not None:
            item = item_for(up.promotion, self.ctx, self.translator.language)
        elif up.screen_off:
            item = screen_off_item()
        else:
            item = district_card(self.ctx.pack, self.translator)
        self._prepare(item, up.mode, up.promotion)

    def _prepare(self, item: PlayItem, mode: LineupMode, promotion: Promotion | None) -> None:
        pending = self._pending_for(item, mode, promotion)
        self.pending = pending
        if item.kind == "image" and item.path is not None:
            pending.ticket = self.decoder.request(item.path, pending.look.media_rect.size())
        elif item.kind == "video" and item.path is not None:
            channel = self._free_channel()
            pending.channel = channel
            channel.load(item.path)

    def _pending_for(
        self, item: PlayItem, mode: LineupMode, promotion: Promotion | None
    ) -> _Pending:
        size = self._stage_size()
        style = self._style()
        media_rect, panel_rect = split(size, style, item.url)
        look = Look(item, None, media_rect, style.backdrop)
        if item.url and panel_rect is not None:
            look.panel = self._qr_panel(item.url, panel_rect.size(), style)
            look.panel_rect = panel_rect
        if item.cues:
            look.subtitle_style = SubtitleStyle.for_board(self.theme, size.height())
        ready = item.kind in ("notice", "card", "off")
        if item.kind in ("notice", "card"):
            look.media = render_text_slide(item, media_rect.size(), style)
        return _Pending(item, look, mode, promotion, ready=ready)

    def _qr_panel(self, url: str, size: QSize, style: SlideStyle) -> QImage:
        key = (url, size.width(), size.height())
        image = self._qr_cache.get(key)
        if image is None:
            image = render_qr_panel(url, size, style)
            self._qr_cache[key] = image
            while len(self._qr_cache) > 8:
                self._qr_cache.popitem(last=False)
        else:
            self._qr_cache.move_to_end(key)
        return image

    def _stage_size(self) -> QSize:
        size = self.stage.size()
        if size.width() < 16 or size.height() < 16:
            size = self.size() if self.width() >= 16 else QSize(1080, 1920)
        return size

    def _style(self) -> SlideStyle:
        window = self.window().size()
        panel = Panel(
            self.ctx.config.panel_diagonal_inches,
            max(window.width(), 1),
            max(window.height(), 1),
        )
        return SlideStyle(self.theme, panel, self.translator)

    def _free_channel(self) -> VideoChannel:
        in_use = {self.showing.channel} if self.showing and self.showing.channel else set()
        for channel in self._channels:
            if channel not in in_use:
                channel.stop()
                return channel
        channel = VideoChannel(self, monotonic=self._watch_clock)
        channel.first_frame.connect(self.on_channel_first_frame)
        channel.frame.connect(self.on_channel_frame)
        channel.ended.connect(self.on_channel_ended)
        channel.failed.connect(self.on_channel_failed)
        self._channels.append(channel)
        return channel

    def _drop_pending(self) -> None:
        p = self.pending
        self.pending = None
        if p is not None and p.channel is not None:
            showing_channel = self.showing.channel if self.showing else None
            if p.channel is not showing_channel:
                p.channel.stop()

    # -- changing item --------------------------------------------------------------------

    def _start_pending(self, mono: float) -> None:
        p = self.pending
        if p is None:
            return
        if p.due_since is None:
            p.due_since = mono
        if p.item.kind == "video" and p.channel is not None:
            if p.channel.state is ChannelState.LOADED and not p.started:
                p.started = True
                p.due_since = mono
                p.channel.play()
        elif p.ready:
            self._put_on_stage(p, crossfade=True)
            return
        if mono - p.due_since > self.tuning.start_timeout_s:
            self._fail_pending("no picture within the start timeout")

    def _put_on_stage(self, p: _Pending, *, crossfade: bool) -> None:
        mono = self.clock.monotonic()
        old = self.showing
        self._count_showing(mono)
        same = old is not None and old.item.id == p.item.id and p.item.kind != "video"
        fade = crossfade and not same and self.tuning.fade_s > 0
        self.stage.show_look(p.look, crossfade=fade)
        if fade:
            self._fade_started = mono
            self.fade_timer.start()
        # Before the first tick the device database may not be open: the card is not counted.
        started_at = self.now() if self._ticked else self.clock.wall()
        self.showing = _Showing(
            p.item, p.look, p.mode, p.promotion, mono, started_at, channel=p.channel
        )
        if old is not None and old.channel is not None and old.channel is not p.channel:
            _detach_picture(old.look)
            old.channel.stop()
        if self.pending is p:
            self.pending = None
        self._interrupt = False
        self.shown += 1
        log.debug("player_item id=%s kind=%s", p.item.id, p.item.kind)
        self.item_started.emit(p.item)
        self._check_memory()

    def _count_showing(self, mono: float) -> None:
        s = self.showing
        if s is None or not s.item.counts or s.counted or not self._ticked:
            return
        s.counted = True
        recorder = self._stats()
        if recorder is not None:
            recorder.record(s.item.id, s.started_at, mono - s.started_mono)

    def _stats(self) -> PlayRecorder | None:
        if self._recorder is None:
            self._recorder = self._recorder_factory()
        return self._recorder

    def _fail_pending(self, reason: str) -> None:
        p = self.pending
        if p is None:
            return
        self._mark_unplayable(p.item, reason)
        self._drop_pending()

    def _mark_unplayable(self, item: PlayItem, reason: str) -> None:
        if self.playlist.leave_out(item.id, item.kind, self.clock.monotonic()):
            self._report_skipped(item.id, item.kind, reason)

    def _report_skipped(self, item_id: str, kind: str, reason: str) -> None:
        log.warning("player_item_skipped id=%s kind=%s reason=%s", item_id, kind, reason)
        self.item_skipped.emit(item_id, reason)

    def _check_memory(self) -> None:
        release_free_memory()
        ceiling = self.ctx.config.memory_ceiling_mb
        if ceiling is None or self._restart_asked:
            return
        rss = self._memory()
        if rss is not None and rss > ceiling * MB:
            self._restart_asked = True
            log.warning("player_memory_ceiling rss_mb=%.0f ceiling_mb=%d", rss / MB, ceiling)
            self.restart_requested.emit(rss)

    # -- signals from decoders and channels -----------------------------------------------

    @Slot(int, object)
    def on_decoder_decoded(self, ticket: int, image: QImage) -> None:
        p = self.pending
        if p is not None and p.ticket == ticket:
            p.look.media = image
            p.ready = True
            if self._interrupt or self._due(self.clock.monotonic()):
                self._start_pending(self.clock.monotonic())

    @Slot(int, str)
    def on_decoder_failed(self, ticket: int, path: str) -> None:
        p = self.pending
        if p is not None and p.ticket == ticket:
            self._fail_pending("picture cannot be decoded")

    @Slot(object)
    def on_channel_first_frame(self, image: QImage) -> None:
        p = self.pending
        if p is not None and p.channel is self.sender() and p.started:
            p.look.media = image
            p.look.frames = 1
            _follow_cues(p.look, p.channel)
            self._put_on_stage(p, crossfade=True)

    @Slot(object)
    def on_channel_frame(self, image: QImage) -> None:
        s = self.showing
        if s is not None and s.channel is self.sender():
            s.look.media = image
            s.look.frames += 1
            _follow_cues(s.look, s.channel)
            self.stage.update()

    @Slot()
    def on_channel_ended(self) -> None:
        s = self.showing
        if s is not None and s.channel is self.sender():
            s.ended = True
            if self.pending is not None:
                self._start_pending(self.clock.monotonic())

    @Slot(str)
    def on_channel_failed(self, reason: str) -> None:
        sender = self.sender()
        p, s = self.pending, self.showing
        if p is not None and p.channel is sender:
            self._fail_pending(reason)
        elif s is not None and s.channel is sender:
            self._mark_unplayable(s.item, reason)
            s.ended = True

    @Slot()
    def on_fade_timer_timeout(self) -> None:
        fade_s = self.tuning.fade_s
        progress = 1.0 if fade_s <= 0 else (self.clock.monotonic() - self._fade_started) / fade_s
        self.stage.set_fade(progress)
        if progress >= 1.0:
            self.fade_timer.stop()

    # -- health ---------------------------------------------------------------------------

    def _watch(self, mono: float) -> None:
        watch_now = self._watch_clock()
        if watch_now - self._watched_at < self.tuning.watch_every_s:
            return
        self._watched_at = watch_now
        s = self.showing
        if s is None:
            return
        channel = s.channel
        if channel is not None and self.watchdog.video_frozen(
            playing=channel.state is ChannelState.PLAYING,
            seconds_since_frame=watch_now - channel.last_frame_at,
        ):
            self.recover(Problem.FROZEN)
            return
        past_due = mono - s.started_mono - s.item.duration_s
        if self.watchdog.overdue(past_due - self.tuning.start_timeout_s):
            self.recover(Problem.OVERDUE)
            return
        if watch_now - self._black_checked_at >= self.tuning.black_every_s:
            self._black_checked_at = watch_now
            self.check_black()

    def check_black(self) -> bool:
        """Render the stage and report it to the watchdog; True if it recovered."""
        s = self.showing
        if s is None or s.item.kind == "off" or not self.stage.isVisible():
            return False
        black = is_uniformly_black(self.stage.grab().toImage())
        if self.watchdog.black_seen(black):
            self.recover(Problem.BLACK)
            return True
        return False

    def recover(self, problem: Problem) -> Recovery:
        """Reload the item on screen, or rebuild the player when that did not help."""
        level = self.watchdog.recovery(self._watch_clock())
        s = self.showing
        log.warning(
            "player_recovery problem=%s level=%d item=%s",
            problem.value,
            int(level),
            s.item.id if s else None,
        )
        if level is Recovery.REBUILD_PLAYER:
            self._rebuild()
        elif s is not None:
            self._drop_pending()
            if problem is Problem.BLACK:
                self._mark_unplayable(s.item, "black on screen")
                self._prepare_next(self.now())
            else:
                self._prepare(s.item, s.mode, s.promotion)
            self._interrupt = True
            self._start_pending(self.clock.monotonic())
        self.recovered.emit(problem.value, int(level))
        return level

    def _rebuild(self) -> None:
        """New stage, decoder and video channels; the district card until the next item."""
        self._drop_pending()
        self._count_showing(self.clock.monotonic())
        if self.showing is not None:
            _detach_picture(self.showing.look)
        for channel in self._channels:
            channel.stop()
            channel.deleteLater()
        self._channels.clear()
        self.decoder.shutdown()
        self.decoder.deleteLater()
        self.decoder = ImageDecoder(self)
        self.decoder.decoded.connect(self.on_decoder_decoded)
        self.decoder.failed.connect(self.on_decoder_failed)
        old_stage = self.stage
        self._empty_before += old_stage.empty_paints
        self._longest_before = max(self._longest_before, old_stage.longest_empty_run)
        self.stage = Stage()
        self.stage.stamp = old_stage.stamp
        self._box.replaceWidget(old_stage, self.stage)
        old_stage.hide()
        old_stage.deleteLater()
        self.showing = None
        card = district_card(self.ctx.pack, self.translator)
        self._put_on_stage(self._pending_for(card, LineupMode.FALLBACK, None), crossfade=False)
        self._interrupt = True

    # -- proof of play and the freshness stamp --------------------------------------------

    def _flush_stats(self, now: datetime) -> None:
        hour = hour_start(now)
        if hour == self._flushed_hour:
            return
        recorder = self._stats()
        if recorder is not None:
            recorder.flush(now)
        self._flushed_hour = hour

    def _update_stamp(self, now: datetime) -> None:
        minute = now.replace(second=0, microsecond=0)
        if minute == self._stamp_minute:
            return
        self._stamp_minute = minute
        updated = self._facts.last_sync()
        if updated is None and self.ctx.pack is not None:
            updated = self.ctx.pack.published_at
        if updated is None:
            self.stage.stamp = None
            return
        local = updated.astimezone(KST)
        text = self.translator.tr(
            "board.updated",
            month=local.month,
            day=local.day,
            time=f"{local.hour:02d}:{local.minute:02d}",
        )
        p, m = self.theme.palette, self.theme.metrics
        self.stage.stamp = (text, m.small_px, QColor(p.text), QColor(p.window))
        self.stage.update()

    # -- Qt events ------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._qr_cache.clear()
        if self.showing is not None:
            self._relayout(self.showing.look)
        if self.pending is not None:
            self._relayout(self.pending.look)

    def _relayout(self, look: Look) -> None:
        """Lay a look out again for the stage's new size (text and QR panel drawn again)."""
        style = self._style()
        size = self._stage_size()
        item = look.item
        look.media_rect, panel_rect = split(size, style, item.url)
        if item.url and panel_rect is not None:
            look.panel = self._qr_panel(item.url, panel_rect.size(), style)
            look.panel_rect = panel_rect
        if item.kind in ("notice", "card"):
            look.media = render_text_slide(item, look.media_rect.size(), style)
        if item.cues:
            look.subtitle_style = SubtitleStyle.for_board(self.theme, size.height())
        self.stage.update()
