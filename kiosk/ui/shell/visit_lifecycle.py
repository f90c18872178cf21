"""A visit's life in the kiosk window: the attract loop, the idle prompt, the reset.

The attract loop plays until a touch or key; that starts a visit. When nobody touches the kiosk
for a while the idle prompt asks whether the resident is still there ("시간 연장"); when the time
runs out, or a coach's session ends for inactivity, the visit ends and the attract loop comes
back. Ending a visit forgets everything of it: history, answers held by routes, view settings,
voice guidance, the staff-call notice.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Slot

from kiosk.domain.visit import Visit
from kiosk.ui.coach_session import COACH_PANEL
from kiosk.ui.idle import IdleMonitor, IdlePrompt
from kiosk.ui.navigation import Route
from kiosk.ui.screens import ATTRACT
from kiosk.ui.screens.coach import CONFIRM as COACH_CONFIRM

if TYPE_CHECKING:
    from kiosk.ui.shell.window import KioskWindow

log = logging.getLogger(__name__)

# The coach's own screens: they close when the coach's session ends by revocation.
COACH_SCREENS = frozenset({COACH_PANEL, COACH_CONFIRM, "lessons"})


class VisitLifecycle(QObject):
    """Starts and ends visits in the window: attract loop, idle prompt, reset.

    Attributes:
        idle: the idle monitor (tests drive it with a fake clock).
        prompt: the "시간 연장" prompt, built again for each language and size.
        in_attract: True while the attract loop (or a media board's loop) is on screen.

    Ending a visit reaches every part that holds some of it: the window's history, visit and
    view settings, the coach's session, voice guidance, the staff-call notice and key focus.
    """

    def __init__(self, window: KioskWindow, idle: IdleMonitor, *, in_attract: bool) -> None:
        super().__init__(window)
        self.window = window
        self.idle = idle
        self.in_attract = in_attract
        self.prompt: IdlePrompt | None = None
        idle.warning.connect(self.on_idle_warning)
        idle.expired.connect(self.on_idle_expired)
        idle.active.connect(self.on_idle_active)
        window.coach.ended.connect(self.on_coach_ended)

    def build_prompt(self) -> None:
        """The prompt in the window's language and sizes now."""
        if self.prompt is not None:
            self.prompt.deleteLater()
        w = self.window
        self.prompt = IdlePrompt(w, w.translator, w.theme.metrics.gap_px)
        self.prompt.extend.connect(self.on_prompt_extend)

    def fit(self, area: QRect) -> None:
        """The prompt, when up, covers `area` (the window, or 낮은 화면's band)."""
        if self.prompt is not None and self.prompt.isVisible():
            self.prompt.setGeometry(area)

    def close_prompt(self) -> None:
        self.idle.paused = False
        if self.prompt is not None:
            self.prompt.hide()

    def enter_attract(self) -> None:
        self.in_attract = True
        self.idle.enabled = False
        self.window.show_route(Route(ATTRACT))

    def leave_attract(self, then: Route | None = None) -> None:
        """A touch or key on the attract loop: a visit starts at the home screen, or at `then`
        as if opened from it (its 이전 leads home); only that screen is built, not home first."""
        w = self.window
        if w.board:
            return
        self.in_attract = False
        self.idle.enabled = True
        self.idle.restart()
        home = w.navigator.home()
        w.show_route(home if then is None else w.navigator.push(then))

    def end_visit(self) -> None:
        """Forget everything of this visit: history, answers held by routes, view settings,
        voice guidance (off, default speed and volume) and the staff-call notice."""
        w = self.window
        w.navigator.home()
        w.visit = Visit()
        w.coach.visit_ended()
        w.voice.end_visit()
        w.staff_call.hide_notice()
        w.settings.close()
        w.key_focus.in_use = False
        w.prefs.blockSignals(True)
        w.prefs.reset()
        w.prefs.blockSignals(False)
        w.restyle()

    # -- slots ------------------------------------------------------------------------------

    @Slot(int)
    def on_idle_warning(self, seconds: int) -> None:
        assert self.prompt is not None
        w = self.window
        self.idle.paused = True
        if not self.prompt.isVisible():
            w.voice.say([self.prompt.title.text(), w.translator.tr("idle.extend")])
        self.prompt.show_remaining(seconds)
        self.prompt.setGeometry(w.reach_rect())

    @Slot()
    def on_prompt_extend(self) -> None:
        self.close_prompt()
        self.idle.extend()

    @Slot()
    def on_idle_active(self) -> None:
        self.close_prompt()

    @Slot()
    def on_idle_expired(self) -> None:
        w = self.window
        log.info("visit_reset reason=idle screen=%s", w.navigator.current.screen)
        self.close_prompt()
        self.end_visit()
        w.coach.end("idle")
        self.enter_attract()

    @Slot(str)
    def on_coach_ended(self, reason: str) -> None:
        """30 minutes without a touch end the session and, as an idle reset does, the visit."""
        w = self.window
        if reason == "revoked" and w.navigator.current.screen in COACH_SCREENS:
            # The district revoked the coach: their menu closes; the resident's screen stays.
            w.go_home()
            return
        if reason == "inactivity" and not self.in_attract:
            log.info("visit_reset reason=coach_inactivity screen=%s", w.navigator.current.screen)
            self.close_prompt()
            self.end_visit()
            self.enter_attract()
