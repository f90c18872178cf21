"""The staff pages' reads and writes of the device's own state: its enrolment (the server it is
pinned to, its id, 기기 초기화), the outbox's counts and dead letters, the last sync's record.

The store and sync are imported inside each call: they load SQLAlchemy, which start-up defers
until after the first paint.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.services.outcome import Refusal

if TYPE_CHECKING:
    from kiosk.context import AppContext
    from kiosk.store.outbox import DeadLetter
    from kiosk.store.staff_pin import StaffPinGate
    from sync.worker import SyncRecord

log = logging.getLogger(__name__)

# 기기 초기화 refused: pending envelopes were never written to a USB bundle (params: count).
RESET_REFUSED_RULE = "unexported_pending"


class DeviceState:
    """The device's enrolment, queue and sync record, for the staff pages."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx

    @property
    def staff_pin(self) -> StaffPinGate:
        """The staff PIN check; its lock-out after wrong PINs is kept in the database."""
        return self._ctx.staff_pin

    def active_content_version(self) -> str | None:
        """The content version the device shows now; None when it has none."""
        return self._ctx.content.active_version()

    def pinned_server(self) -> tuple[str, str | None] | None:
        """(address, public key) of the server this device is pinned to; None when none."""
        from kiosk.store.settings import DeviceSettings
        from sync.enrolment import pinned_server

        return pinned_server(DeviceSettings(self._ctx.db))

    def device_id(self) -> str | None:
        """The id the server gave at enrolment; None until the device is enrolled."""
        from kiosk.store.settings import DeviceSettings

        return DeviceSettings(self._ctx.db).device_id()

    def unexported_pending(self) -> int:
        """Pending envelopes never written to a USB bundle: a reset waits for them."""
        return self._ctx.outbox.unexported_pending()

    def reset(self) -> int | Refusal:
        """기기 초기화 (the caller checked the staff PIN): retire the exported pending envelopes
        and forget the enrolment; how many were retired. Refused, with nothing changed, while a
        pending envelope was never exported (params: count)."""
        from kiosk.store.settings import DeviceSettings
        from sync.enrolment import ResetRefusedError, reset_enrolment

        try:
            return reset_enrolment(DeviceSettings(self._ctx.db), self._ctx.outbox)
        except ResetRefusedError as e:
            log.warning("reset_refused unexported=%d", e.unexported)
            return Refusal(RESET_REFUSED_RULE, "reset.refused.pending", {"count": e.unexported})

    def outbox_counts(self) -> dict[str, int]:
        """Envelopes in each delivery status (pending, sent, dead; exported once some are)."""
        return self._ctx.outbox.counts_by_status()

    def dead_letters(self) -> list[DeadLetter]:
        """Every envelope the server rejected, with its reason, in device_seq order."""
        return self._ctx.outbox.dead_letters()

    def sync_record(self) -> SyncRecord:
        """The last successful sync and the last error, as the sync worker recorded them."""
        from kiosk.store.settings import DeviceSettings
        from sync.worker import read_record

        return read_record(DeviceSettings(self._ctx.db))
