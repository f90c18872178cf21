"""The thanks step: what was sent and what it earned, then home by itself.

Every flow ends here (route "thanks", carrying the flow's `ThanksNote`). Points are promised
only for an act sealed with the resident's identity: first as what the server will credit once
it confirms them, then, once the sync worker brought the server's receipt, as credited or as
earned before (kiosk.domain.points.credit). An anonymous act's thank-you says nothing of points.

The receipt comes with the sync worker's report (`on_receipts`, from the window): the screen
never reads the outbox on a timer; once, when shown, it looks whether the answer came before.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Slot
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.domain.points import Credit, credit
from kiosk.domain.steps import ThanksNote
from kiosk.ui.coach_session import in_practice
from kiosk.ui.flow import marked_line
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, action_bar
from kiosk.ui.widgets import label, step_down

log = logging.getLogger(__name__)


@dataclass
class AutoReturn:
    """The thank-you's return home, kept in its route so a rebuild neither restarts nor
    resumes it.

    Attributes:
        deadline: time.monotonic() at which it returns home; None before it is first shown.
        stopped: the resident asked to stay.
    """

    deadline: float | None = None
    stopped: bool = False
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)


@dataclass
class PointsAnswer:
    """What the server said of the act's points, kept in the thank-you's route so a rebuild
    (text size, language) neither forgets nor asks again."""

    credit: Credit = "pending"


class ThankYouScreen(Screen):
    """Route params: note (ThanksNote), auto (AutoReturn), answer (PointsAnswer).

    Goes home by itself after config.thank_you_s, or at a touch anywhere but its buttons;
    "이 화면 계속 보기" stops that. Going home ends the visit.
    """

    title_id = "thanks.title"

    def build(self) -> None:
        env = self.env
        note: ThanksNote = self.params["note"]
        self.auto: AutoReturn = self.params["auto"]
        title = marked_line("done", env.tr("thanks.title"), "success", scale=1.3)
        # The countdown and the way to stop it come first: visible at any text size.
        self.countdown = label("", "strong")
        self.countdown.setObjectName("thanksCountdown")
        self.stay = env.button(env.tr("thanks.stay"), name="thanksStay")
        self.stay.clicked.connect(self.on_stay_clicked)
        words: list[QWidget] = [label(env.tr(note.message_id), "notice")]
        practice = in_practice(env)
        if practice:
            # Said before anything else about what was sent: nothing counts, no points.
            band = label(env.tr("coach.thanks.practice"), "banner")
            band.setObjectName("thanksPractice")
            words.append(band)
        for message_id, values in note.lines:
            line = label(env.tr(message_id, **values), "notice")
            line.setObjectName(message_id.replace(".", "_"))
            words.append(line)
        self.note = note
        self.answer: PointsAnswer = self.params["answer"]
        self.points: QLabel | None = None
        if note.points is not None and not practice:
            which = f"thanks.points.{self.answer.credit}" if note.credit else "thanks.points"
            self.points = label(env.tr(which, points=f"{note.points:,}"), "notice")
            self.points.setObjectName("thanksPoints")
            words.append(self.points)
        # What was sent and earned, at the title's size unless that makes the page scroll.
        self.lines = [w for w in words if isinstance(w, QLabel) and w.property("role") == "notice"]
        words.append(label(env.tr("thanks.saved"), "muted"))
        self._lay_out(title, words)
        # 처음으로 in the shell's fixed place, as a step's 다음: in reach on arrival at any size.
        home = env.button(env.tr("thanks.home"), role="primary", name="thanksHome", icon="home")
        home.clicked.connect(self.on_home_clicked)
        self.pinned = action_bar(env, [home])
        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.on_timer_timeout)
        self._show_state()

    def _lay_out(self, title: QWidget, words: list[QWidget]) -> None:
        """The title, the countdown with 이 화면 계속 보기 (first: in sight at any text size),
        then what was sent and earned, with gaps a step smaller than other screens' (so that
        the thanks fits without scrolling at 200 %); on a landscape window, where the height
        is what it lacks, 이 화면 계속 보기 stands beside the title."""
        box = self.box
        gap = self.env.theme.metrics.gap_px
        box.setContentsMargins(gap * 3, gap, gap * 3, gap)
        # Gaps smaller than other screens' (less still on a landscape window, where the height
        # is short): the thanks fits without scrolling at 200 %, counting down or stopped.
        box.setSpacing(gap // 2 if self.env.landscape else gap * 3 // 4)
        if self.env.landscape:
            top = QHBoxLayout()
            top.setSpacing(gap * 2)
            top.addWidget(title, 1)
            top.addWidget(self.stay, 0, Qt.AlignmentFlag.AlignTop)
            box.addLayout(top)
            parts = [self.countdown, *words]
        else:
            parts = [title, self.countdown, self.stay, *words]
        for widget in parts:
            box.addWidget(widget)
        box.addStretch(1)

    def fit_height(self, room: QSize) -> bool:
        """The lines of what was sent and earned a step smaller (the body's size, still bold)
        where at the title's they would make the thank-you scroll: long words (English at
        200 %, a points line the server's receipt brought) stood under the fold."""
        if self.heightForWidth(room.width()) <= room.height():
            return False
        step_down(self.lines, True)
        return True

    @property
    def has_own_home(self) -> bool:
        return True

    @property
    def ends_flow(self) -> bool:
        return True

    def on_shown(self) -> None:
        if self._waits_for_receipt():
            # Once: the answer may have come before this screen was shown (or rebuilt).
            self._show_credit(self.env.services.reads.receipt(self.note.credit))
        if self.auto.stopped:
            return
        if self.auto.deadline is None:
            self.auto.deadline = self.auto.clock() + self.env.ctx.config.thank_you_s
        self.timer.start()
        self._show_state()

    def on_hidden(self) -> None:
        self.timer.stop()

    def on_receipts(self, receipts: dict[str, dict[str, Any]]) -> None:
        """The sync worker's report of the server's receipts: the points line follows the
        one for this act, when it is among them."""
        if self._waits_for_receipt() and self.note.credit in receipts:
            self._show_credit(receipts[self.note.credit])

    def remaining_s(self) -> int:
        if self.auto.deadline is None:
            return math.ceil(self.env.ctx.config.thank_you_s)
        return max(0, math.ceil(self.auto.deadline - self.auto.clock()))

    def _show_state(self) -> None:
        if self.auto.stopped:
            self.countdown.setText(self.env.tr("thanks.stopped"))
            self.stay.hide()
        else:
            self.countdown.setText(self.env.tr("thanks.countdown", seconds=self.remaining_s()))

    def _waits_for_receipt(self) -> bool:
        """Points are promised for an identified act, and the server's word is not in yet."""
        pending = self.answer.credit == "pending"
        return self.points is not None and bool(self.note.credit) and pending

    def _show_credit(self, receipt: dict[str, Any] | None) -> None:
        """The points line as the server's receipt says (None: not answered yet)."""
        note, answer = self.note, self.answer
        if self.points is None:
            return
        answer.credit = credit(receipt)
        if answer.credit != "pending":
            log.info("thanks_points_answered credit=%s", answer.credit)
            words = f"thanks.points.{answer.credit}"
            self.points.setText(self.env.tr(words, points=f"{note.points or 0:,}"))

    @Slot()
    def on_timer_timeout(self) -> None:
        if self.remaining_s() <= 0:
            log.info("thanks_returned reason=timeout")
            self._go_home()
        else:
            self._show_state()

    @Slot()
    def on_stay_clicked(self) -> None:
        self.auto.stopped = True
        self.timer.stop()
        self._show_state()

    @Slot()
    def on_home_clicked(self) -> None:
        self._go_home()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        log.info("thanks_returned reason=touch")
        self._go_home()

    def _go_home(self) -> None:
        self.timer.stop()
        self.env.shell.end_visit()
        self.env.shell.go_home()


def thanks_route(note: ThanksNote, credit: Credit = "pending") -> Route:
    """The thank-you for `note`; `credit`: what the server said already (pictures of it)."""
    return Route("thanks", {"note": note, "auto": AutoReturn(), "answer": PointsAnswer(credit)})
