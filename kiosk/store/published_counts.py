"""The server's last published counts (GET /api/v1/counts), kept on the device.

The sync worker stores each valid answer here; the proposal and ballot screens read it. Kept
as one JSON value in device settings (no schema change), with `as_of`: the device-clock moment
from which this kiosk's own agrees are not in these counts yet. The worker sets it to when the
cycle's outbox drain began: an agree queued before then was delivered before the counts were
asked for, so the server's total includes it; one queued later may not be, and the screens
show it as "not confirmed yet". Both the agree records (kiosk.store.civic_records) and `as_of`
are device time, so the device's clock offset does not enter the comparison.

A stored value that no longer reads as `contract.wire.Counts` (an older or damaged record) is
treated as absent; the screens then fall back to the content pack's counts.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from contract.wire import Counts
from kiosk.domain.counts import PublishedCounts
from kiosk.store.db import Database
from kiosk.store.settings import DeviceSettings

log = logging.getLogger(__name__)

COUNTS_KEY = "sync.counts"

__all__ = ["COUNTS_KEY", "CountsStore", "PublishedCounts"]


class CountsStore:
    """Reads and writes the last published counts; each call is its own transaction."""

    def __init__(self, store: Database | DeviceSettings) -> None:
        self._settings = store if isinstance(store, DeviceSettings) else DeviceSettings(store)

    def save(self, counts: Counts, as_of: datetime) -> None:
        if as_of.tzinfo is None:
            raise ValueError("as_of must be an aware datetime")
        self._settings.set(
            COUNTS_KEY, {"counts": counts.model_dump(mode="json"), "as_of": as_of.isoformat()}
        )

    def load(self) -> PublishedCounts | None:
        """The last counts saved; None when none were received yet (or the record is unreadable)."""
        value: Any = self._settings.get(COUNTS_KEY)
        if not isinstance(value, dict):
            return None
        try:
            as_of = datetime.fromisoformat(str(value["as_of"]))
            counts = Counts.model_validate(value["counts"])
        except (KeyError, TypeError, ValueError, ValidationError) as e:
            log.warning("counts_unreadable error=%s", type(e).__name__)
            return None
        if as_of.tzinfo is None:
            return None
        return PublishedCounts(counts, as_of)
