"""Asking the server for one resident's points (POST /api/v1/points/ledger), off the GUI thread.

`LedgerLookup.start()` runs the request on a plain Python daemon thread that makes no Qt call
at all (README "Threads"): the answer goes into a queue, and the screen that waits for it
empties the queue from a GUI-thread QTimer through `poll()`. Short timeouts: a resident stands
in front of the kiosk, and "연결되면 확인할 수 있습니다" after a few seconds is better than a long
wait. The thread holds only the request (its seal bound to that one request, `ledger_request`)
and the device's address and token; when the resident walks away, the lookup is dropped with the
route that held it, and whatever the thread still puts into its queue is garbage with it.
"""

from __future__ import annotations

import logging
import queue
import threading
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


class LedgerLookup:
    """One request for a resident's ledger. Create and poll it on the GUI thread only.

    Attributes:
        started_at: time.monotonic() when it started; None before.
        answer: the answer once it came (or once the wait ran out); None while waiting.
    """

    def __init__(
        self,
        address: ServerAddress | None,
        request: PointsLedgerRequest | None,
        *,
        wait_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self._address = address
        self._request = request
        self._wait_s = WAIT_S if wait_s is None else wait_s
        self._clock = clock
        self._client_factory = client_factory
        self._answers: queue.SimpleQueue[LedgerAnswer] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.started_at: float | None = None
        self.answer: LedgerAnswer | None = None

    def __repr__(self) -> str:
        return f"LedgerLookup(<sealed>, answer={self.answer and self.answer.outcome})"

    def start(self) -> None:
        """Ask now; a kiosk never enrolled is "offline" at once, without a thread."""
        if self.started_at is not None:
            return
        self.started_at = self._clock()
        if self._address is None or self._request is None:
            self.answer = LedgerAnswer("offline")
            return
        self.thread = threading.Thread(
            target=_ask,
            args=(self._client_factory or _client, self._address, self._request, self._answers),
            name="points-ledger",
            daemon=True,
        )
        self.thread.start()

    def elapsed_s(self) -> float:
        """Seconds since it started (0 before)."""
        return 0.0 if self.started_at is None else self._clock() - self.started_at

    def poll(self) -> LedgerAnswer | None:
        """The answer once there is one: what the thread reported, or "offline" when the wait
        ran out first (a later report is then ignored)."""
        if self.answer is not None:
            return self.answer
        try:
            self.answer = self._answers.get_nowait()
        except queue.Empty:
            if self.started_at is not None and self._clock() - self.started_at >= self._wait_s:
                log.info("points.ledger_gave_up after_s=%.1f", self._wait_s)
                self.answer = LedgerAnswer("offline")
        return self.answer


def _ask(
    client_factory: ClientFactory,
    address: ServerAddress,
    request: PointsLedgerRequest,
    answers: queue.SimpleQueue[LedgerAnswer],
) -> None:
    """The thread: one request, one answer in the queue. No Qt here."""
    started = time.monotonic()
    try:
        client = client_factory(address)
    except SyncError as e:
        log.info("points.ledger_failed kind=%s", e.kind)
        answers.put(LedgerAnswer("failed"))
        return
    try:
        ledger = client.points_ledger(request)
    except (NetworkError, ServerError) as e:
        log.info("points.ledger_offline kind=%s", e.kind)
        answers.put(LedgerAnswer("offline"))
    except SyncError as e:
        log.info("points.ledger_failed kind=%s status=%s", e.kind, e.status)
        answers.put(LedgerAnswer("failed"))
    except Exception:  # never let the thread die silently: the resident would wait for nothing
        log.exception("points.ledger_crashed")
        answers.put(LedgerAnswer("failed"))
    else:
        log.info(
            "points.ledger_ready lines=%d ms=%.0f",
            len(ledger.history),
            (time.monotonic() - started) * 1000,
        )
        answers.put(LedgerAnswer("ready", ledger))
    finally:
        client.close()
