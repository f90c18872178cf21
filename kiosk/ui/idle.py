"""Notices when nobody has touched the kiosk, and the "시간 연장" prompt shown before the reset."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QWidget

from kiosk.domain.idle import IdlePhase, IdleRule
from kiosk.i18n import Translator
from kiosk.ui.widgets import WrapButton, centred_card, label

ACTIVITY_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleMonitor(QObject):
    """Watches every touch and key in the application.

    Signals:
        warning(int): seconds left before the visit is reset; emitted every tick of the warning.
        expired(): nobody touched the kiosk for the whole timeout.
        active(): activity after a warning (the prompt can close).

    Attributes:
        enabled: False while the attract loop runs (there is no visit to reset).
        paused: True while the prompt is up, so only "시간 연장" counts as activity.
    """

    warning = Signal(int)
    expired = Signal()
    active = Signal()

    def __init__(
        self,
        timeout_s: float,
        warning_s: float,
        monotonic: Callable[[], float] = time.monotonic,
        tick_ms: int = 250,
    ) -> None:
        super().__init__()
        self._monotonic = monotonic
        self.rule = IdleRule(timeout_s, warning_s, monotonic())
        self.enabled = True
        self.paused = False
        self._warned = False
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.check)

    def start(self, window: QWindow) -> None:
        """Watch the input that reaches `window`: the native window, not every widget in it,
        because a filter on the application would run Python for each of its many events."""
        window.installEventFilter(self)
        self.timer.start()

    def stop(self, window: QWindow) -> None:
        window.removeEventFilter(self)
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in ACTIVITY_EVENTS and not self.paused:
            self.rule.activity(self._monotonic())
        return False

    def extend(self) -> None:
        """ "시간 연장": start the full timeout again. Works every time it is pressed."""
        self.rule.activity(self._monotonic())
        self.check()

    def restart(self) -> None:
        self._warned = False
        self.rule.activity(self._monotonic())

    @Slot()
    def check(self) -> None:
        if not self.enabled:
            return
        state = self.rule.state(self._monotonic())
        if state.phase is IdlePhase.WARNING:
            self._warned = True
            self.warning.emit(state.remaining_s)
        elif state.phase is IdlePhase.EXPIRED:
            self._warned = False
            self.expired.emit()
        elif self._warned:
            self._warned = False
            self.active.emit()


class IdlePrompt(QWidget):
    """A veil over the whole window with the question, the countdown and "시간 연장".

    Signals:
        extend(): the resident wants more time.
    """

    extend = Signal()

    def __init__(self, parent: QWidget, translator: Translator, gap: int) -> None:
        super().__init__(parent)
        self._window = parent  # the veil covers it
        self.setObjectName("idleVeil")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.translator = translator
        card, box = centred_card(self, gap, spacing=gap * 2)
        card.setObjectName("idleCard")
        self.title = label("", "title")
        self.countdown = label("")
        self.countdown.setObjectName("idleCountdown")
        self.extend_button = WrapButton([("", None)], role="primary", margin=gap * 2)
        self.extend_button.setObjectName("idleExtend")
        self.extend_button.clicked.connect(self.extend)
        box.addWidget(self.title)
        box.addWidget(self.countdown)
        box.addWidget(self.extend_button)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.title.setText(self.translator.tr("idle.title"))
        self.extend_button.set_lines([self.translator.tr("idle.extend")])

    def show_remaining(self, seconds: int) -> None:
        self.countdown.setText(self.translator.tr("idle.countdown", seconds=seconds))
        if not self.isVisible():
            self.setGeometry(self._window.rect())
            self.show()
            self.raise_()
            self.extend_button.setFocus()
