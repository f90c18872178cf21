"""`Services`: the one object through which the GUI writes and reads the device's data, built
once per running app from its AppContext (the window holds it; screens reach it as
`env.services`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.context import AppContext
    from kiosk.domain.identity import Identified, ResidentIdentity
    from kiosk.services.acts import Acts
    from kiosk.services.device import DeviceState
    from kiosk.services.outcome import Receipt
    from kiosk.services.reads import Reads
    from kiosk.services.usb import Usb

log = logging.getLogger(__name__)


def _never() -> bool:
    return False


class Services:
    """The acts (`acts`: every write, one transaction each), the reads (`reads`), the staff
    pages' device state (`device`) and USB stick (`usb`) of one running app.

    Each of the four is made on first use: the window holds this object before its first
    paint, and what they import (the wire's models, the resident's seal) waits until then.

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

    @cached_property
    def acts(self) -> Acts:
        from kiosk.services.acts import Acts

        return Acts(self.ctx, lambda: self.practice_on(), self._notify)

    @cached_property
    def reads(self) -> Reads:
        from kiosk.services.reads import Reads

        return Reads(self.ctx)

    @cached_property
    def device(self) -> DeviceState:
        from kiosk.services.device import DeviceState

        return DeviceState(self.ctx)

    @cached_property
    def usb(self) -> Usb:
        from kiosk.services.usb import Usb

        return Usb(self.ctx)

    def identify(self, resident: ResidentIdentity, server_key: str) -> Identified:
        """The resident's identity ready for this visit's acts: sealed to `server_key` act by
        act, and this kiosk's local key for the one-vote records. Raises IdentityError for a
        server key that cannot be sealed to."""
        from kiosk.domain.identity import Identified
        from kiosk.store.settings import DeviceSettings  # the store opens after the first paint

        sealer = resident.sealer(server_key)
        return Identified(sealer, resident.local_key(DeviceSettings(self.ctx.db).local_secret()))

    def _notify(self, receipt: Receipt) -> None:
        for listener in self.queued:
            listener(receipt)
