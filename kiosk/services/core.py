"""`Services`: the one object through which the GUI writes and reads the device's data, built
once per running app from its AppContext (the window holds it; screens reach it as
`env.services`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.domain.identity import Identified, ResidentIdentity
from kiosk.services.acts import Acts
from kiosk.services.device import DeviceState
from kiosk.services.outcome import Receipt
from kiosk.services.reads import Reads
from kiosk.services.usb import Usb

if TYPE_CHECKING:
    from kiosk.context import AppContext

log = logging.getLogger(__name__)


def _never() -> bool:
    return False


class Services:
    """The acts (`acts`: every write, one transaction each), the reads (`reads`), the staff
    pages' device state (`device`) and USB stick (`usb`) of one running app.

    Attributes:
        practice_on: whether a coached session's practice is on now; the window sets it (its
            coach controller knows), no Qt is needed here.
        queued: called, in order, with the receipt of every act a resident or the staff call
            queued (the window wakes the sync worker and tells the coached session).
    """

    def __init__(self, ctx: AppContext, practice_on: Callable[[], bool] = _never) -> None:
        self.ctx = ctx
        self.practice_on = practice_on
        self.queued: list[Callable[[Receipt], None]] = []
        self.acts = Acts(ctx, lambda: self.practice_on(), self._notify)
        self.reads = Reads(ctx)
        self.device = DeviceState(ctx)
        self.usb = Usb(ctx)

    def identify(self, resident: ResidentIdentity, server_key: str) -> Identified:
        """The resident's identity ready for this visit's acts: sealed to `server_key` act by
        act, and this kiosk's local key for the one-vote records. Raises IdentityError for a
        server key that cannot be sealed to."""
        from kiosk.store.settings import DeviceSettings  # the store opens after the first paint

        sealer = resident.sealer(server_key)
        return Identified(sealer, resident.local_key(DeviceSettings(self.ctx.db).local_secret()))

    def _notify(self, receipt: Receipt) -> None:
        for listener in self.queued:
            listener(receipt)
