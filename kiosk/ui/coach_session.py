"""The window's coached session (issue 9): who is signed in, practice on or off, the banner and
the practice band shown above every screen, and the session's one record when it ends.

The rules are kiosk.domain.coach; this module holds the session for the window, watches the
window's input for the 30-minute inactivity limit, and queues the `coach_session` envelope
(kiosk.services: the record is an act like any other).
Screens reach it through `coach_of(env)` / `in_practice(env)`; the lesson engine (later) calls
`CoachController.session.record_step(...)` and `complete_stage(...)`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QWidget

from kiosk.context import AppContext
from kiosk.domain.coach import (
    CoachedSession,
    EndReason,
    SignInResult,
    check_coach_pin,
    coach_lockout,
    is_practice,
    sign_in,
)
from kiosk.services import Outcome, Receipt, Services
from kiosk.ui.screens.base import ScreenEnv
from kiosk.ui.widgets import label

if TYPE_CHECKING:
    from contract.content import Coach

log = logging.getLogger(__name__)

COACH_PANEL = "coach_panel"
_ACTIVITY = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
)


class CoachController(QObject):
    """The coached session of one kiosk window, if any.

    Signals:
        changed(): a session started or ended, or practice was switched.
        ended(str): the session ended; the reason ("coach", "idle", "inactivity").
        submission(bool): a resident's submission was queued during the session; practice or
            not (a lesson's 실전 stage ends with a real one).

    Attributes:
        session: the session now, None when no coach is signed in.
        lockout: wrong coach PINs in a row lock sign-in and PIN checks for a while.
        monotonic: the clock activity is judged on (tests replace it).
    """

    changed = Signal()
    ended = Signal(str)
    submission = Signal(bool)

    def __init__(
        self,
        services: Services,
        monotonic: Callable[[], float] = time.monotonic,
        check_ms: int = 1000,
    ) -> None:
        super().__init__()
        self.services = services
        self.ctx: AppContext = services.ctx
        self.monotonic = monotonic
        self.session: CoachedSession | None = None
        self.lockout = coach_lockout()
        self._window: QWindow | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(check_ms)
        self.timer.timeout.connect(self.check)

    # -- state ------------------------------------------------------------------------------

    @property
    def practice(self) -> bool:
        return self.session is not None and self.session.practice

    def state_key(self) -> tuple[object, ...]:
        """What the banner shows: rebuilt when this changes."""
        s = self.session
        return () if s is None else (s.coach.code, s.practice)

    def coaches(self) -> list[Coach]:
        """Who may sign in (kiosk.services.reads)."""
        return self.services.reads.coaches()

    @Slot(object)
    def on_coaches_changed(self, revoked: object = None) -> None:
        """The device's coaches changed (the sync worker): a session of a coach who is revoked
        or gone ends now; one whose PIN was reset goes on, checked against the new PIN."""
        session = self.session
        if session is None:
            return
        now = next((c for c in self.coaches() if c.code == session.coach.code), None)
        if now is None or now.revoked:
            log.info("coach_revoked_during_session coach=%s", session.coach.code)
            self.end("revoked")
            return
        if now != session.coach:
            session.coach = now
            self.changed.emit()

    # -- sign-in and PIN checks ---------------------------------------------------------------

    def sign_in(self, code: str, pin: str) -> SignInResult:
        result = sign_in(self.coaches(), code, pin, self.lockout, self.monotonic())
        if result.coach is not None:
            self.start(result.coach)
        else:
            assert result.refusal is not None
            log.info("coach_sign_in_refused reason=%s", result.refusal.name.lower())
        return result

    def check_pin(self, pin: str) -> SignInResult:
        assert self.session is not None
        return check_coach_pin(self.session.coach, pin, self.lockout, self.monotonic())

    def start(self, coach: Coach) -> None:
        if self.session is not None:
            self.end("coach")
        self.session = CoachedSession(coach, self.ctx.clock(), self.monotonic())
        log.info("coach_session_started coach=%s", coach.code)
        self.timer.start()
        self.changed.emit()

    def watch(self, window: QWindow | None) -> None:
        """Count a touch or key on `window` as the session's activity."""
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._window = window
        if window is not None:
            window.installEventFilter(self)

    # -- practice -----------------------------------------------------------------------------

    def start_practice(self, pin: str) -> SignInResult:
        """Switch practice on with the coach's PIN (as leaving it takes)."""
        return self._switch_practice(pin, on=True)

    def leave_practice(self, pin: str) -> SignInResult:
        return self._switch_practice(pin, on=False)

    def _switch_practice(self, pin: str, *, on: bool) -> SignInResult:
        result = self.check_pin(pin)
        assert self.session is not None
        switch = self.session.start_practice if on else self.session.leave_practice
        if switch(result):
            log.info("coach_practice %s", "on" if on else "off")
            self.changed.emit()
        return result

    # -- ending -------------------------------------------------------------------------------

    def visit_ended(self) -> None:
        if self.session is not None:
            self.session.visit_ended()

    def end(self, reason: EndReason) -> Outcome | None:
        """End the session and queue its record; None if there was no session."""
        session = self.session
        if session is None:
            return None
        self.session = None
        self.timer.stop()
        outcome = self.services.acts.record_coach_session(session.record(self.ctx.clock(), reason))
        log.info("coach_session_ended coach=%s reason=%s", session.coach.code, reason)
        self.changed.emit()
        self.ended.emit(reason)
        return outcome

    def submitted(self, receipt: Receipt) -> None:
        """A resident's act was queued (kiosk.services): the session counts it."""
        if self.session is not None:
            self.session.submitted(receipt.practice)
            self.submission.emit(receipt.practice)

    def discard(self) -> None:
        """Forget the session without a record (only for rendering sample screens)."""
        if self.session is not None:
            self.session = None
            self.timer.stop()
            self.changed.emit()

    @Slot()
    def check(self) -> None:
        if self.session is not None and self.session.inactive(self.monotonic()):
            self.end("inactivity")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if self.session is not None and event.type() in _ACTIVITY:
            self.session.touch(self.monotonic())
        return False


def coach_of(env: ScreenEnv) -> CoachController | None:
    found = getattr(env.shell, "coach", None)
    return found if isinstance(found, CoachController) else None


def in_practice(env: ScreenEnv, kind: str | None = None) -> bool:
    """Whether a submission (of `kind`) made now is practice: a coached session with practice
    on, and a kind that is a resident's participation (kiosk.domain.coach.is_practice)."""
    coach = coach_of(env)
    on = coach is not None and coach.practice
    return on if kind is None else is_practice(kind, on)


def coach_strip(env: ScreenEnv, controller: CoachController) -> QWidget | None:
    """The band "코치와 함께 · name", and in practice "연습 중 — 실제로 제출되지 않습니다",
    over the working area of a window with a rail (its height is not the width the working
    area is measured by); None when no coach is signed in. The coach's menu is in 도움·설정
    (kiosk.domain.chrome.panel_settings)."""
    session = controller.session
    if session is None:
        return None
    m = env.theme.metrics
    strip = QWidget()
    strip.setObjectName("coachStrip")
    grid = QGridLayout(strip)
    grid.setContentsMargins(m.gap_px, 0, m.gap_px, m.gap_px)
    grid.setSpacing(m.gap_px)
    banner = label(env.tr("coach.banner", name=session.coach.name), "strong")
    banner.setObjectName("coachBanner")
    grid.addWidget(banner, 0, 0)
    grid.setColumnStretch(0, 1)
    if session.practice:
        band = label(env.tr("coach.practice.band"), "banner")
        band.setObjectName("practiceBand")
        # In the band's own colours, at body size: on a wide screen it sits beside the
        # banner, so the working area keeps its height.
        band.setStyleSheet(f"font-size: {m.body_px}px; padding: {m.gap_px}px;")
        if env.width >= m.body_px * 36:
            grid.addWidget(band, 0, 1)
            grid.setColumnStretch(1, 2)
        else:
            grid.addWidget(band, 1, 0, 1, 2)
    return strip


def coach_tag(env: ScreenEnv, controller: CoachController, room: int) -> list[QWidget]:
    """What the 온통중구 header shows beside the district's name on a window without a rail,
    where a band of its own would cost the working area the height it is measured by: in
    practice a yellow "연습 중" (its description the whole sentence), then "코치와 함께 ·
    name", or the name alone, or nothing, whichever fits `room` pixels on one line at the
    header's size. Empty when no coach is signed in."""
    session = controller.session
    if session is None:
        return []
    m = env.theme.metrics
    font = f"font-size: {m.brand_px}px; font-weight: 700;"
    shown: list[QWidget] = []
    if session.practice:
        pill = QWidget()
        pill.setProperty("role", "caution")
        pill.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        pill.setStyleSheet(f"border-radius: {m.badge_radius_px}px;")
        words = label(env.tr("coach.practice.tag"), wrap=False)
        words.setObjectName("practiceBand")
        words.setStyleSheet(font)
        words.setAccessibleDescription(env.tr("coach.practice.band"))
        box = QHBoxLayout(pill)
        box.setContentsMargins(m.gap_px, 0, m.gap_px, 0)
        box.addWidget(words)
        room -= pill.sizeHint().width() + m.gap_px
        shown.append(pill)
    for text in (env.tr("coach.banner", name=session.coach.name), session.coach.name):
        banner = label(text, "brand", wrap=False)
        banner.setObjectName("coachBanner")
        banner.setStyleSheet(font)
        banner.ensurePolished()
        if banner.sizeHint().width() <= room:
            shown.insert(0, banner)
            break
        banner.deleteLater()
    return shown
