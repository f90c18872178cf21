"""Proof of play on the device: the hourly ledger kept in the device settings, and every closed
hour queued in the outbox as one "play_stats" envelope, exactly once.

Exactly once across crashes: an hour is dropped from the ledger only after its envelope is
queued, and before queueing an hour the outbox is asked whether an envelope for that hour is
already there (a crash between the two steps leaves both; the next flush finds the envelope
and only drops the hour). The ledger itself is saved at most every `save_every_s` seconds and
at every flush, so a crash loses at most that much counting, never an envelope.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from kiosk.domain.playstats import PlayLedger
from kiosk.store.db import Database
from kiosk.store.models import OutboxRow
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings

log = logging.getLogger(__name__)

LEDGER_KEY = "board.play_ledger"
KIND = "play_stats"


class PlayStatsRecorder:
    """Counts what the player showed and queues each closed hour.

    Attributes:
        ledger: the hours not yet queued.
    """

    def __init__(
        self,
        db: Database,
        outbox: Outbox,
        *,
        mode: str,
        content_version: Callable[[], str | None],
        save_every_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._outbox = outbox
        self._settings = DeviceSettings(db)
        self._mode = mode
        self._content_version = content_version
        self._save_every_s = save_every_s
        self._monotonic = monotonic
        self.ledger = PlayLedger.from_json(self._settings.get(LEDGER_KEY))
        self._saved_at = monotonic()
        self._dirty = False

    def record(self, item_id: str, started: datetime, seconds: float) -> None:
        self.ledger.record(item_id, started, seconds)
        self._dirty = True
        if self._monotonic() - self._saved_at >= self._save_every_s:
            self.save()

    def save(self) -> None:
        if self._dirty:
            self._settings.set(LEDGER_KEY, self.ledger.to_json())
            self._dirty = False
        self._saved_at = self._monotonic()

    def flush(self, now: datetime) -> int:
        """Queue every hour that ended by `now`; returns how many envelopes were queued."""
        closed = self.ledger.closed_hours(now)
        if not closed:
            return 0
        queued = 0
        for hour in closed:
            report = self.ledger.report(hour)
            payload = report.payload(self._mode)
            if report.items and not self._already_queued(payload["hour_start"]):
                self._outbox.enqueue(KIND, payload, content_version=self._content_version())
                queued += 1
                log.info(
                    "play_stats_queued hour=%s items=%d", payload["hour_start"], len(report.items)
                )
            self.ledger.drop(hour)
            self._dirty = True
        self.save()
        return queued

    def _already_queued(self, hour_start: str) -> bool:
        stmt = (
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.kind == KIND)
            .where(func.json_extract(OutboxRow.payload, "$.hour_start") == hour_start)
        )
        with self._db.read() as conn:
            return bool(conn.execute(stmt).scalar())
