"""Asking the server for one resident's points (POST /api/v1/points/ledger).

`look_up` is the request itself, blocking and free of Qt; the app runs it off the GUI thread
(kiosk.services.ledger_lookup). Short timeouts: a resident stands in front of the kiosk, and
"연결되면 확인할 수 있습니다" after a few seconds is better than a long wait. The request carries
only its seal, bound to that one request (`ledger_request`), and the device's address and token.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from contract.wire import PointsLedger, PointsLedgerRequest, SealBinding, ledger_binding
from sync.client import NetworkError, ServerError, SyncClient, SyncError, Timeouts

log = logging.getLogger(__name__)

# A resident waits at most this long; the request's own timeouts stay within it.
WAIT_S = 6.0
LEDGER_TIMEOUTS = Timeouts(connect_s=3.0, read_s=5.0)

Outcome = Literal["ready", "offline", "failed"]


@dataclass(frozen=True)
class LedgerAnswer:
    """What came of a lookup.

    Attributes:
        outcome: "ready" (the ledger came), "offline" (no enrolment, no connection, a timeout or
            a server that cannot answer now), "failed" (the server refused the request).
        ledger: the ledger when ready.
    """

    outcome: Outcome
    ledger: PointsLedger | None = None


@dataclass(frozen=True)
class ServerAddress:
    """Where to ask, and as which device (from the enrolment in the device settings)."""

    base_url: str
    token: str

    def __repr__(self) -> str:
        return f"ServerAddress({self.base_url!r}, <token>)"


ClientFactory = Callable[[ServerAddress], SyncClient]


def ledger_request(seal: Callable[[SealBinding], str], server_now: datetime) -> PointsLedgerRequest:
    """A new look-up, its seal bound to it alone. `server_now`: the device clock corrected by
    its known offset, since the server takes a look-up only within minutes of its own time."""
    request_id = uuid.uuid4()
    sealed = seal(ledger_binding(request_id, server_now))
    return PointsLedgerRequest(request_id=request_id, created_at=server_now, sealed_identity=sealed)


def _client(address: ServerAddress) -> SyncClient:
    return SyncClient(address.base_url, address.token, timeouts=LEDGER_TIMEOUTS)


def look_up(
    address: ServerAddress,
    request: PointsLedgerRequest,
    client_factory: ClientFactory | None = None,
) -> LedgerAnswer:
    """Ask the server for the ledger and wait for its answer: one request, with the short
    timeouts above. Blocking and free of Qt: run it off the GUI thread."""
    started = time.monotonic()
    try:
        client = (client_factory or _client)(address)
    except SyncError as e:
        log.info("points.ledger_failed kind=%s", e.kind)
        return LedgerAnswer("failed")
    try:
        ledger = client.points_ledger(request)
    except (NetworkError, ServerError) as e:
        log.info("points.ledger_offline kind=%s", e.kind)
        return LedgerAnswer("offline")
    except SyncError as e:
        log.info("points.ledger_failed kind=%s status=%s", e.kind, e.status)
        return LedgerAnswer("failed")
    finally:
        client.close()
    log.info(
        "points.ledger_ready lines=%d ms=%.0f",
        len(ledger.history),
        (time.monotonic() - started) * 1000,
    )
    return LedgerAnswer("ready", ledger)
