"""A resident's points ledger, asked of the server off the GUI thread (sync.ledger.look_up run
through the background helper), with a wait a resident can stand.

When the server has not answered within `sync.ledger.WAIT_S`, the look-up counts as "offline"
and the late answer is dropped unread. When the resident walks away, the look-up goes with the
route that held it; the helper lets go of the request once the worker has finished with it.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from contract.wire import PointsLedger, PointsLedgerRequest
from kiosk.services.background import Background, Call
from sync import ledger
from sync.ledger import LedgerAnswer, ServerAddress

__all__ = ["LedgerAnswer", "LedgerLookup"]  # the screens' door to the look-up and its answer

log = logging.getLogger(__name__)


class LedgerLookup:
    """One request for a resident's ledger. Create, start and poll it on the GUI thread only.

    Attributes:
        started_at: the clock's time when it started; None before.
        answer: the answer once it came (or once the wait ran out); None while waiting.
        call: the request on the background helper; None before it started, and on a kiosk
            never enrolled (which is "offline" at once).
        wait_s: how long a resident is asked to wait for the answer.
        on_answer: called on the GUI thread once the server's answer came (the screen that
            waits sets it while it is shown).
    """

    def __init__(
        self,
        address: ServerAddress | None,
        request: PointsLedgerRequest | None,
        *,
        wait_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        known: PointsLedger | None = None,
    ) -> None:
        self._address = address
        # Known already (practice's made-up ledger): the answer at once, nothing asked.
        self._known = known
        self._request = request
        self.wait_s = ledger.WAIT_S if wait_s is None else wait_s
        self._clock = clock
        self.started_at: float | None = None
        self.answer: LedgerAnswer | None = None
        self.call: Call[LedgerAnswer] | None = None
        self.on_answer: Callable[[], None] | None = None

    def __repr__(self) -> str:
        return f"LedgerLookup(<sealed>, answer={self.answer and self.answer.outcome})"

    def start(self, background: Background) -> None:
        """Ask now; a kiosk never enrolled is "offline" at once, without asking."""
        if self.started_at is not None:
            return
        self.started_at = self._clock()
        if self._known is not None:
            self.answer = LedgerAnswer("ready", self._known)
            return
        if self._address is None or self._request is None:
            self.answer = LedgerAnswer("offline")
            return
        self.call = background.run(
            functools.partial(ledger.look_up, self._address, self._request),
            self._answered,
            self._crashed,
            name="points_ledger",
        )

    def elapsed_s(self) -> float:
        """Seconds since it started (0 before)."""
        return 0.0 if self.started_at is None else self._clock() - self.started_at

    def poll(self) -> LedgerAnswer | None:
        """The answer once there is one: the server's, or "offline" when the wait ran out
        first (the late answer is then never delivered)."""
        waited = self.started_at is not None and self.elapsed_s() >= self.wait_s
        if self.answer is None and waited:
            log.info("points.ledger_gave_up after_s=%.1f", self.wait_s)
            self.answer = LedgerAnswer("offline")
            if self.call is not None:
                self.call.cancel()
        return self.answer

    def _answered(self, answer: LedgerAnswer) -> None:
        if self.answer is None:
            self.answer = answer
            if self.on_answer is not None:
                self.on_answer()

    def _crashed(self, _error: Exception) -> None:
        # The helper logged it; the resident reads the plain "could not check" words.
        self._answered(LedgerAnswer("failed"))
