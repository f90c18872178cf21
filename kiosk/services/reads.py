"""What the screens read from the device database, so that no screen opens the store itself:
the server's key, its last published counts, this kiosk's agrees, the coaches it was given.

Each read is its own short transaction on the GUI thread (a few rows of a local SQLite file).
The store is imported inside each read: it opens after the first paint.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.domain.counts import PublishedCounts

if TYPE_CHECKING:
    from contract.content import Coach
    from contract.wire import PointsLedgerRequest
    from kiosk.context import AppContext
    from kiosk.domain.identity import Identified
    from sync.ledger import ServerAddress

log = logging.getLogger(__name__)


class Reads:
    """The store-backed reads of one running app."""

    def __init__(self, ctx: AppContext) -> None:
        self._ctx = ctx

    def server_key(self) -> str | None:
        """The server's public key from enrolment; None when this kiosk was never enrolled."""
        from kiosk.store.settings import DeviceSettings
        from sync.worker import SERVER_PUBLIC_KEY_KEY

        value = DeviceSettings(self._ctx.db).get(SERVER_PUBLIC_KEY_KEY)
        return str(value) if value else None

    def published_counts(self) -> PublishedCounts | None:
        """The server's last published counts on this device; None until the first arrived."""
        from kiosk.store.published_counts import CountsStore

        return CountsStore(self._ctx.db).load()

    def agrees_since(self, proposal_id: str, since: datetime) -> int:
        """The agrees this kiosk gave to a proposal after `since` (device time)."""
        from kiosk.store.civic_records import agrees_since

        return agrees_since(self._ctx.db, proposal_id, since)

    def receipt(self, envelope_id: str) -> dict[str, Any] | None:
        """The server's receipt of an envelope this kiosk sent (None until it answered, or for
        an envelope it does not hold): one row by its key."""
        queued = self._ctx.outbox.get(uuid.UUID(envelope_id))
        return dict(queued.receipt) if queued is not None and queued.receipt else None

    def clock_offset_s(self) -> float:
        """How far the server's clock is ahead of this device's, as last measured."""
        from kiosk.store.settings import DeviceSettings

        return DeviceSettings(self._ctx.db).clock_offset_s()

    def ledger_question(
        self, identified: Identified
    ) -> tuple[ServerAddress | None, PointsLedgerRequest | None]:
        """Where to ask for a resident's points ledger (the enrolment's server; None on a kiosk
        never enrolled) and the request, sealed to it alone at the server's time as this kiosk
        knows it (its clock corrected by the known offset)."""
        from kiosk.store.settings import DeviceSettings
        from sync.ledger import ServerAddress, ledger_request
        from sync.worker import load_enrolment

        settings = DeviceSettings(self._ctx.db)
        enrolment = load_enrolment(settings)
        if enrolment is None:
            return None, None
        server_now = self._ctx.clock() + timedelta(seconds=settings.clock_offset_s())
        address = ServerAddress(enrolment.server_url, enrolment.token)
        return address, ledger_request(identified.seal, server_now)

    def coaches(self) -> list[Coach]:
        """Who may sign in as a coach: those the server gave this device (kiosk.store.coaches);
        in demo mode (--demo) also the content pack's, which are no credentials anywhere else.
        A database that cannot be read gives no stored coaches (logged)."""
        from sqlalchemy.exc import SQLAlchemyError

        from kiosk.store.coaches import CoachStore, usable_coaches

        ctx = self._ctx
        try:
            stored = CoachStore(ctx.db).coaches()
        except (sqlite3.Error, OSError, SQLAlchemyError) as e:
            log.error("coaches_unreadable error=%s", type(e).__name__)
            stored = []
        return usable_coaches(stored, ctx.pack.coaches if ctx.pack is not None else [], ctx.demo)
