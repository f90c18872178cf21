"""What the board's player reads and writes on the device: the clock offset and the last
successful sync (its clock and its notice), and the proof-of-play recorder
(kiosk.store.play_stats). No Qt."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.context import AppContext


class DeviceFacts(Protocol):
    """What the player needs from the device database."""

    def clock_offset_s(self) -> float: ...
    def last_sync(self) -> datetime | None: ...


class StoredFacts:
    """Clock offset and last successful sync, read from the device settings once a minute."""

    def __init__(self, ctx: AppContext, refresh_s: float = 60.0) -> None:
        self._ctx = ctx
        self._refresh_s = refresh_s
        self._read_at: float | None = None
        self._offset = 0.0
        self._last_sync: datetime | None = None

    def _refresh(self) -> None:
        now = time.monotonic()
        if self._read_at is not None and now - self._read_at < self._refresh_s:
            return
        # Here, not at the top: the store opens after the first paint.
        from kiosk.store.settings import DeviceSettings
        from sync.worker import read_record

        settings = DeviceSettings(self._ctx.db)
        self._offset = settings.clock_offset_s()
        self._last_sync = read_record(settings).last_success
        self._read_at = now

    def clock_offset_s(self) -> float:
        self._refresh()
        return self._offset

    def last_sync(self) -> datetime | None:
        self._refresh()
        return self._last_sync


class PlayRecorder(Protocol):
    """Where proof of play goes (kiosk.store.play_stats.PlayStatsRecorder)."""

    def record(self, item_id: str, started: datetime, seconds: float) -> None: ...
    def flush(self, now: datetime) -> int: ...
    def save(self) -> None: ...


def stored_recorder(ctx: AppContext, mode: str) -> PlayRecorder:
    from kiosk.store.play_stats import PlayStatsRecorder  # the store opens after the first paint

    return PlayStatsRecorder(
        ctx.db,
        ctx.outbox,
        mode=mode,
        content_version=lambda: ctx.pack.content_version if ctx.pack else None,
    )
