"""A step that waits for the server (kiosk.domain.steps' `Flow.asks`: a resident's points
ledger): asked once per flow, through kiosk.services on the background helper. The answer and
the end of the wait each call back once, so nothing polls; the seconds waited are shown anew
each second; with the answer, the step is drawn again in place. In practice (a coach's lesson)
nothing is asked: the answer is a made-up ledger at once.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer

from contract.content import PointRules
from kiosk.domain.points_flow import practice_ledger
from kiosk.domain.steps import LedgerAnswer
from kiosk.services.ledger_lookup import LedgerLookup
from kiosk.ui.coach_session import in_practice
from kiosk.ui.navigation import step_route

if TYPE_CHECKING:
    from kiosk.ui.steps.screen import StepScreen

log = logging.getLogger(__name__)


class Wait:
    """The wait of one drawing of a step; the look-up itself is the flow's (`asked`), so a
    rebuild neither asks again nor restarts the wait."""

    def __init__(self, screen: StepScreen) -> None:
        env, flow = screen.env, screen.flow
        if flow.asked is None:
            assert flow.identity is not None, "the identify step came first"
            if in_practice(env):
                # Practice asks no server: a made-up ledger, with enough to exchange.
                rules = env.ctx.pack.district.points if env.ctx.pack else PointRules(rules={})
                known = practice_ledger(env.ctx.clock(), rules)
                lookup = LedgerLookup(None, None, known=known)
            else:
                address, request = env.services.reads.ledger_question(flow.identity)
                lookup = LedgerLookup(address, request)
            lookup.start(env.shell.background)
            log.info("points_lookup_started")
            flow.asked = lookup
        self.screen = screen
        self.lookup = flow.asked
        # Precise: a coarse timer may fire before the wait is over.
        self.deadline = QTimer(screen, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self.deadline.timeout.connect(self.on_news)
        self.ticker = QTimer(screen, interval=1000)
        self.ticker.timeout.connect(self.on_news)
        self.tell()

    def tell(self) -> LedgerAnswer | None:
        """Tell the flow what is known now: the answer (or None), and the seconds waited."""
        answer = self.lookup.poll()
        self.screen.flow.answered(self.screen.at, answer, self.lookup.elapsed_s())
        return answer

    def start(self) -> None:
        lookup = self.lookup
        if lookup.answer is not None:
            return
        lookup.on_answer = self.on_news
        left_s = lookup.wait_s - lookup.elapsed_s()
        if math.isfinite(left_s):
            self.deadline.start(max(0, math.ceil(left_s * 1000)))
        self.ticker.start()

    def stop(self) -> None:
        self.deadline.stop()
        self.ticker.stop()
        self.lookup.on_answer = None

    def on_news(self) -> None:
        """The server answered, the wait ran out, or a second passed: the step again with the
        answer, or the seconds waited shown anew."""
        answer = self.tell()
        if answer is None:
            self.screen.refresh()
            return
        self.stop()
        log.info("points_lookup_done outcome=%s", answer.outcome)
        screen = self.screen
        screen.env.shell.replace(step_route(screen.flow, screen.at))
