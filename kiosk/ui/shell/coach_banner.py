"""The coach's band under the top bar: "코치와 함께" and the practice band while a digital coach
is signed in (kiosk.ui.coach_session), read aloud when the coach signs in or switches practice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.coach_session import coach_strip
from kiosk.ui.shell.bar_layout import replace_content
from kiosk.ui.widgets import describe_controls

if TYPE_CHECKING:
    from kiosk.ui.shell.window import KioskWindow


class CoachBanner(QObject):
    """Keeps the coach's band in step with the coach's session.

    Attributes:
        bar: the band's widget, in the working column under the top bar; hidden without a coach.
    """

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        self.bar = QWidget()
        self.bar.setProperty("role", "bar")
        self.bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.bar.hide()
        self._key: tuple[object, ...] | None = None
        self._state: tuple[object, ...] = ()
        window.coach.changed.connect(self.on_coach_changed)

    def update(self) -> None:
        """The coach banner and the practice band, built again only when they change."""
        w = self.window
        state = w.coach.state_key()
        key = (state, w.prefs.language, w.theme, w.width(), w.bars.rail_shape)
        if key == self._key:
            return
        self._key = key
        # Said when the coach signs in or switches practice, not when it is only laid out again.
        announce, self._state = state != self._state, state
        # Beside a rail the band stands over the working area; across a window the coach's
        # tag is in the header (Bars).
        strip = coach_strip(w.screen_env(), w.coach) if w.bars.rail_shape else None
        if announce:
            self.announce()
        if strip is None:
            replace_content(self.bar, QVBoxLayout())
            self.bar.hide()
            return
        box = QVBoxLayout()
        # The top bar's edge is a quarter gap on a short window with the bars across: half a
        # gap more keeps the coach's buttons 2.5 mm from the bar's.
        box.setContentsMargins(0, w.theme.metrics.gap_px // 2, 0, 0)
        box.addWidget(strip)
        replace_content(self.bar, box)
        self.bar.show()
        describe_controls(self.bar, w.translator)

    def announce(self) -> None:
        """Say who coaches and, in practice, that nothing is really submitted."""
        w = self.window
        session = w.coach.session
        if session is None:
            return
        lines = [w.translator.tr("coach.banner", name=session.coach.name)]
        if session.practice:
            lines.append(w.translator.tr("coach.practice.band"))
        w.voice.say(lines, interrupt=False)

    @Slot()
    def on_coach_changed(self) -> None:
        """A coach signed in or out, or practice was switched: every screen shows it."""
        screen = self.window.current_screen
        if screen is not None and not screen.fills_window:
            self.window.bars.update()
            self.update()
