"""직원 호출: one staff_call envelope a minute, and the large notice that follows the call.

`StaffCaller` decides with kiosk.domain.staff_call (one call a minute; what the call's state
says: called, how long the resident has waited, "직원이 오고 있습니다") and queues the call;
`StaffCallNotice` only shows the words over the whole window, with 다시 부르기 when offered, and
닫기.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from kiosk.domain.staff_call import ServerCallState, StaffCallProgress, StaffCallRule
from kiosk.domain.visit import Visit
from kiosk.i18n import Translator
from kiosk.services import Receipt
from kiosk.ui.widgets import WrapButton, centred_card, label

if TYPE_CHECKING:
    from kiosk.ui.shell.window import KioskWindow

log = logging.getLogger(__name__)

# How often the staff-call notice re-reads the call (minutes waited, 다시 부르기).
CALL_NOTICE_TICK_MS = 5000


class StaffCallNotice(QWidget):
    """An opaque sheet over the window with a card: a title, a line, 다시 부르기 when offered,
    and a large 닫기.

    Signals:
        closed(): the resident closed it.
        call_again(): the resident asked to call staff once more.
    """

    closed = Signal()
    call_again = Signal()

    def __init__(self, parent: QWidget, translator: Translator, gap: int) -> None:
        super().__init__(parent)
        self.setObjectName("staffCallNotice")
        # The bars' opaque surface: the notice hides the screen behind it completely.
        self.setProperty("role", "bar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.translator = translator
        card, box = centred_card(self, gap, spacing=gap * 3)
        card.setProperty("role", "card")
        self.title = label("", "notice")
        self.title.setObjectName("staffCallTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = label("")
        self.body.setObjectName("staffCallBody")
        self.again_button = WrapButton(
            [(translator.tr("staff.call_again"), None)], role="secondary", margin=gap * 2
        )
        self.again_button.setObjectName("staffCallAgain")
        self.again_button.clicked.connect(self.call_again)
        self.again_button.hide()
        self.close_button = WrapButton(
            [(translator.tr("staff.close"), None)], role="primary", margin=gap * 2
        )
        self.close_button.setObjectName("staffCallClose")
        self.close_button.clicked.connect(self.on_close_clicked)
        box.addWidget(self.title)
        box.addWidget(self.body)
        box.addWidget(self.again_button)
        box.addWidget(self.close_button)
        self.hide()

    def show_message(
        self,
        title_id: str,
        body_id: str,
        values: dict[str, object] | None = None,
        *,
        call_again: bool = False,
    ) -> list[str]:
        """Show the notice with these messages; returns its words, for read-aloud."""
        tr = self.translator.tr
        self.title.setText(tr(title_id, **(values or {})))
        self.body.setText(tr(body_id, **(values or {})))
        self.close_button.set_lines([tr("staff.close")])
        self.again_button.set_lines([tr("staff.call_again")])
        self.close_button.setAccessibleDescription(tr("a11y.desc.staff_close"))
        self.again_button.setAccessibleDescription(tr("a11y.desc.staff_call_again"))
        self.again_button.setVisible(call_again)
        # Offered, 다시 부르기 is the next step: it takes the primary look, 닫기 steps back.
        self.again_button.set_role("primary" if call_again else "secondary")
        self.close_button.set_role("secondary" if call_again else "primary")
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        was_visible = self.isVisible()
        self.show()
        self.raise_()
        if not was_visible:
            (self.again_button if call_again else self.close_button).setFocus()
        words = [self.title.text(), self.body.text()]
        if call_again:
            words.append(self.again_button.accessibleName())
        return words

    def on_close_clicked(self) -> None:
        self.hide()
        self.closed.emit()


class StaffCaller(QObject):
    """직원 호출 in the window: queues the call and keeps its notice following it.

    Attributes:
        rule: one call a minute (a second press within it says so again, sends nothing).
        progress: the latest call and the server's word on it; the notice follows it while
            shown (how long the resident has waited, 다시 부르기 after the configuration's
            `staff_recall_after_s`), re-read every few seconds.
        notice: the notice, made when first needed (None again after a view change).
        monotonic: the clock of the rule and of the waiting time (tests replace it).

    Of the window it uses the services (the call itself), the sync link (told of the call),
    the current route and visit, the reach, and the idle monitor (a waiting resident is not
    gone).
    """

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        self.rule = StaffCallRule()
        self.progress = self.new_progress()
        self.notice: StaffCallNotice | None = None
        self.monotonic: Callable[[], float] = time.monotonic
        self._call_visit: Visit | None = None
        self._spoken: tuple[object, ...] = ()
        self._state_id = ""
        self.timer = QTimer(self)
        self.timer.setInterval(CALL_NOTICE_TICK_MS)
        self.timer.timeout.connect(self.on_call_tick)

    def new_progress(self) -> StaffCallProgress:
        """No call followed yet, 다시 부르기 offered after the configured time."""
        return StaffCallProgress(recall_after_s=self.window.ctx.config.staff_recall_after_s)

    @Slot()
    def call_staff(self) -> None:
        """직원 호출: queue one staff_call envelope a minute, and say so in large words; the
        notice then follows the call (kiosk.domain.staff_call)."""
        w = self.window
        route = w.navigator.current.screen
        now = self.monotonic()
        if not self.rule.press(now):
            log.info("staff_call_repeated screen=%s", route)
            self._show_call_notice(again=True)
            return
        outcome = w.services.acts.call_staff(route)
        if not isinstance(outcome, Receipt):
            self.rule.failed()
            self.timer.stop()  # the failure stays on the notice, not the last call's words
            self._show_notice("staff.failed.title", "staff.failed.body", sound="error")
            return
        log.info("staff_call screen=%s seq=%d", route, outcome.device_seq)
        self.progress.called(now)
        self._call_visit = w.visit
        if w.sync is not None:
            w.sync.staff_called(outcome.envelope_id)
        self._show_call_notice()
        self.follow_state()

    def state_line(self) -> str:
        """The words beside 직원 호출 now: the state of the call the resident of this visit
        made ("직원 호출 중 · 3분째", "직원이 오고 있습니다"); "" when none is open."""
        w = self.window
        if self._call_visit is not w.visit or w.in_attract:
            return ""
        found = self.progress.state_words(self.monotonic())
        return w.translator.tr(found[0], **found[1]) if found is not None else ""

    def follow_state(self) -> None:
        """The bars show the call's state as it is now (built again only when its words
        changed); a new state (not a minute more) is read aloud when no notice says it."""
        w = self.window
        line = self.state_line()
        # The news is the call's state (waiting, coming), not its words: a minute more is not.
        state_id = str(self.progress.state) if line else ""
        w.bars.update()
        if state_id != self._state_id:
            self._state_id = state_id
            if line and (self.notice is None or not self.notice.isVisible()):
                w.voice.announce([line], None)

    @property
    def offline(self) -> bool:
        """The call cannot reach the server now: this device has no sync (not enrolled), or
        its sync worker cannot reach the server."""
        sync = self.window.sync
        return sync is None or sync.offline

    def hide_notice(self) -> None:
        if self.notice is not None:
            self.notice.hide()

    def drop_notice(self) -> None:
        """Forget the notice: built again when next needed, in the new language and sizes."""
        self.hide_notice()
        if self.notice is not None:
            self.notice.deleteLater()
            self.notice = None

    def fit(self, area: QRect) -> None:
        """The notice, when up, covers `area` (the window, or 낮은 화면's band)."""
        if self.notice is not None and self.notice.isVisible():
            self.notice.setGeometry(area)

    def show_progress(self, progress: StaffCallProgress) -> None:
        """Follow `progress` and show its notice now, with no call and no sound (the render's
        samples of the notice)."""
        self.progress = progress
        self._call_visit = self.window.visit
        self._show_call_notice(sound=None)
        self.follow_state()

    def _show_call_notice(self, *, again: bool = False, sound: str | None = "chime") -> None:
        if self.progress.state is None:  # cannot be after a call; never a blank notice
            self.progress.called(self.monotonic())
        words = self.progress.words(self.monotonic(), again=again, offline=self.offline)
        self._spoken = words.spoken_key
        self._show_notice(words.title_id, words.body_id, sound, words.values, words.can_call_again)
        self.timer.start()

    def _show_notice(
        self,
        title_id: str,
        body_id: str,
        sound: str | None = "chime",
        values: dict[str, object] | None = None,
        call_again: bool = False,
    ) -> None:
        w = self.window
        if self.notice is None:
            notice = StaffCallNotice(w, w.translator, w.theme.metrics.gap_px)
            notice.closed.connect(self.on_notice_closed)
            notice.call_again.connect(self.call_staff)
            w.voice.watch(notice)
            self.notice = notice
        words = self.notice.show_message(title_id, body_id, values, call_again=call_again)
        self.notice.setGeometry(w.reach_rect())
        w.voice.announce(words, sound)

    # -- slots ------------------------------------------------------------------------------

    @Slot(object)
    def on_sync_staff_call(self, state: ServerCallState) -> None:
        """The server's word on this kiosk's call: the notice says it at once, and is shown
        again for "직원이 오고 있습니다" while the resident who called is still here."""
        if not self.progress.server_said(state):
            return
        log.info("staff_call_state state=%s", self.progress.state)
        w = self.window
        if self.notice is not None and self.notice.isVisible():
            self.on_call_tick()
        elif self.progress.state == "coming" and self._call_visit is w.visit and not w.in_attract:
            self._show_call_notice()
        self.follow_state()

    @Slot(object)
    def on_sync_status(self, _status: object) -> None:
        """The sync worker went offline or back online: a notice up says so at once."""
        if self.notice is not None and self.notice.isVisible():
            self.on_call_tick()

    @Slot()
    def on_call_tick(self) -> None:
        """Every few seconds while a call is open, and when the server's word changes: the
        words follow the call; they are read aloud again only when the news changed. A notice
        the resident closed comes back once when it offers 다시 부르기, while the resident who
        called is still here."""
        w = self.window
        notice = self.notice
        self.follow_state()
        if not self.progress.open or self._call_visit is not w.visit:
            self.timer.stop()
            return
        if notice is None or not notice.isVisible():
            words = self.progress.words(self.monotonic(), offline=self.offline)
            if words.can_call_again and words.spoken_key != self._spoken and not w.in_attract:
                self._show_call_notice()
            return
        now = self.monotonic()
        words = self.progress.words(now, offline=self.offline)
        if words.spoken_key != self._spoken:
            self._spoken = words.spoken_key
            self._show_notice(
                words.title_id, words.body_id, "chime", words.values, words.can_call_again
            )
        else:  # only the minutes moved: shown, not read aloud again
            notice.show_message(
                words.title_id, words.body_id, words.values, call_again=words.can_call_again
            )
        prompt = w.lifecycle.prompt
        if self.progress.holds_visit(now) and not (prompt is not None and prompt.isVisible()):
            # The resident is waiting for staff in front of the notice, not gone.
            w.idle.restart()

    @Slot()
    def on_notice_closed(self) -> None:
        screen = self.window.current_screen
        if screen is not None:
            screen.setFocus()
