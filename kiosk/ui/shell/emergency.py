"""긴급 공지 on screen: a sign over the whole window, or a band above every screen.

What shows, how and until when is kiosk.domain.emergency's decision; this module draws it. The
sign (a media board, or a kiosk in its attract loop) covers the player, which stops meanwhile
so proof of play counts only what passers-by saw; a touch on a kiosk's sign still starts a
visit. The band (a kiosk in use) stands above the working area on every screen and covers
nothing a resident is in the middle of; when it appears, read-aloud says it if voice is on.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.domain.a11y import Panel, font_px_for_glyph
from kiosk.domain.emergency import (
    Shown,
    how_shown,
    next_change,
    notice_to_show,
    posted_time,
)
from kiosk.domain.signage import SIGN_HEADING_MM, SIGN_TEXT_MIN_MM, SIGN_TEXT_MM, SIGN_TIME_MM
from kiosk.i18n import Translator
from kiosk.ui.shell.bar_layout import replace_content
from kiosk.ui.theme import HANGUL_GLYPH_PER_PX, Theme
from kiosk.ui.widgets import label

if TYPE_CHECKING:
    from contract.wire import EmergencyNotice
    from kiosk.ui.shell.window import KioskWindow

log = logging.getLogger(__name__)

ICON = "⚠"
# A timer for a notice's end is capped, so a clock set far ahead does not overflow it.
LONGEST_WAIT_MS = 60 * 60 * 1000


def utc_now() -> datetime:
    return datetime.now(UTC)


def _colours(theme: Theme, level: str) -> tuple[QColor, QColor]:
    """(background, text) of a notice's band in the theme."""
    p = theme.palette
    if level == "danger":
        return QColor(p.alarm), QColor(p.on_alarm)
    return QColor(p.caution), QColor(p.on_caution)


class EmergencySign(QWidget):
    """The notice over the whole window: a band in the level's colour with the icon, the
    level's words and the time posted, and the message under it in type for 3–5 m.

    Mouse presses pass through to the window (a kiosk's sign, like its loop, starts a visit).

    Attributes:
        notice: the notice drawn (None: nothing yet).
        text_px: the message's font size as last drawn (tests read it).
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("emergencySign")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.notice: EmergencyNotice | None = None
        self.text_px = 0
        # The notice last painted: its first paint is logged (what the board really showed).
        self._painted: int | None = None
        self._theme: Theme | None = None
        self._panel: Panel | None = None
        self._translator: Translator | None = None
        # What the kiosk's sign says along its foot: what to do (None on a board).
        self.foot_words: str | None = None
        self.hide()

    def show_notice(
        self,
        notice: EmergencyNotice,
        theme: Theme,
        panel: Panel,
        translator: Translator,
        foot_words: str | None = None,
    ) -> None:
        """Draw `notice`; `foot_words` (a kiosk's "위 안내에 따라 주세요") go in the foot band.
        An emergency is no promotion: the sign says what to do, never "touch to start" (a
        touch still passes through and starts a visit, under the notice's band)."""
        self.notice, self._theme, self._panel, self._translator = notice, theme, panel, translator
        self.foot_words = foot_words
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        notice, theme, panel, tr = self.notice, self._theme, self._panel, self._translator
        if notice is None or theme is None or panel is None or tr is None:
            return
        # Imported on the first sign drawn: the slides (and their QR codes) are the loop's, and
        # the window is built without them before its first paint.
        from kiosk.ui.player.slides import fitting_px, font, paint_band

        band_bg, band_fg = _colours(theme, notice.level)
        p = theme.palette
        gap = theme.metrics.gap_px
        heading_px = font_px_for_glyph(panel, SIGN_HEADING_MM, HANGUL_GLYPH_PER_PX)
        time_px = font_px_for_glyph(panel, SIGN_TIME_MM, HANGUL_GLYPH_PER_PX)
        band_h = heading_px * 2 + gap * 2
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(p.window))
            band = QRect(0, 0, self.width(), band_h)
            painter.fillRect(band, band_bg)
            # The same colour along the foot: the sign reads as one alarm, edge to edge.
            foot_h = theme.metrics.bar_px if self.foot_words else gap * 3
            foot = QRect(0, self.height() - foot_h, self.width(), foot_h)
            painter.fillRect(foot, band_bg)
            if self.foot_words:
                painter.setPen(band_fg)
                painter.setFont(font(theme.metrics.title_px, bold=True))
                painter.drawText(foot, Qt.AlignmentFlag.AlignCenter, self.foot_words)
            paint_band(
                painter,
                band,
                (f"{ICON} {tr.tr(f'emergency.{notice.level}')}", heading_px),
                (tr.tr("emergency.posted", time=posted_time(notice)), time_px),
                band_fg,
                gap * 4,
            )
            body = self.rect().adjusted(gap * 6, band_h + gap * 4, -gap * 6, -foot_h - gap * 4)
            self.text_px = fitting_px(notice.text, body, panel, SIGN_TEXT_MM, SIGN_TEXT_MIN_MM)
            painter.setPen(QColor(p.text))
            painter.setFont(font(self.text_px, bold=True))
            painter.drawText(
                body,
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                notice.text,
            )
        finally:
            painter.end()
        if self._painted != notice.id:
            self._painted = notice.id
            log.info("emergency.sign_painted id=%d text_px=%d", notice.id, self.text_px)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        if self._painted is not None:
            log.info("emergency.sign_hidden id=%d", self._painted)
            self._painted = None
        super().hideEvent(event)


class EmergencyShow(QObject):
    """Keeps the notice on screen in step with what the server said and where the window is.

    Attributes:
        notices: every notice the server said is in force for this device.
        shown: the notice on screen now (None: none), and `how` it is shown.
        sign: the EmergencySign over the window.
        band: the band above the working area (in the working column), hidden without one.
    """

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        self.notices: list[EmergencyNotice] = []
        self.shown: EmergencyNotice | None = None
        self.how: Shown | None = None
        self.now = utc_now
        self.sign = EmergencySign(window)
        self.band = QWidget()
        self.band.setObjectName("emergencyBand")
        self.band.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.band.hide()
        self._band_key: tuple[object, ...] | None = None
        # Looks again when the notice shown (or one waiting behind it) ends by itself.
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.refresh)
        window.screen_changed.connect(self.on_window_screen_changed)
        # A resident who turns voice on while a band is up hears it after the greeting.
        self._voice_on = False
        window.voice.changed.connect(self.on_voice_changed)

    @Slot(object)
    def on_sync_emergency(self, notices: list[EmergencyNotice]) -> None:
        """The server's word on the notices in force for this device."""
        self.notices = list(notices)
        log.info("emergency.received ids=%s", [n.id for n in self.notices])
        self.refresh()

    @Slot(str)
    def on_window_screen_changed(self, _route: str) -> None:
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Show what kiosk.domain.emergency says now: the sign, the band, or nothing."""
        w = self.window
        now = self.now()
        notice = notice_to_show(self.notices, now)
        how = how_shown(board=w.board, in_attract=w.in_attract) if notice else None
        appeared = notice is not None and (self.shown is None or notice.id != self.shown.id)
        if (notice, how) != (self.shown, self.how):
            log.info("emergency.shown id=%s how=%s", notice.id if notice else None, how)
        self.shown, self.how = notice, how
        self._show_sign(notice if how is Shown.SIGN else None)
        self._show_band(notice if how is Shown.BAND else None)
        if appeared and notice is not None and how is Shown.BAND:
            w.voice.say([self._spoken(notice)])
        self._schedule(now)

    @Slot()
    def on_voice_changed(self) -> None:
        voice = self.window.voice
        turned_on, self._voice_on = voice.on and not self._voice_on, voice.on
        if turned_on and self.how is Shown.BAND:
            # After the greeting and the screen, which the toggle says next (interrupting).
            QTimer.singleShot(0, self._say_after_greeting)

    def _say_after_greeting(self) -> None:
        if self.how is Shown.BAND and self.shown is not None:
            self.window.voice.say([self._spoken(self.shown)], interrupt=False)

    def _spoken(self, notice: EmergencyNotice) -> str:
        return f"{self.window.translator.tr(f'emergency.{notice.level}')}. {notice.text}"

    def fit(self, area: QRect) -> None:
        """The sign covers the whole window (low screen or not: it is read from afar)."""
        if not self.sign.isHidden():
            self.sign.setGeometry(self.window.rect())

    def _show_sign(self, notice: EmergencyNotice | None) -> None:
        w = self.window
        player = getattr(w.current_screen, "player", None)
        if notice is None:
            if not self.sign.isHidden():  # not isVisible(): a render draws the window unshown
                self.sign.hide()
                if player is not None and w.in_attract:
                    player.start()
            return
        panel = Panel(w.ctx.config.panel_diagonal_inches, max(w.width(), 1), max(w.height(), 1))
        foot = None if w.board else w.translator.tr("emergency.follow")
        self.sign.show_notice(notice, w.theme, panel, w.translator, foot)
        self.sign.setGeometry(w.rect())
        self.sign.show()
        self.sign.raise_()
        if player is not None:
            player.stop()  # nobody sees it under the sign: nothing to count

    def _show_band(self, notice: EmergencyNotice | None) -> None:
        w = self.window
        if notice is None:
            if self.band.isVisible() or self._band_key is not None:
                replace_content(self.band, QVBoxLayout())
                self.band.hide()
                self._band_key = None
            return
        key = (notice, w.theme, w.prefs.language, w.width())
        if key == self._band_key:
            return
        self._band_key = key
        gap = w.theme.metrics.gap_px
        self.band.setProperty("role", "alarm" if notice.level == "danger" else "caution")
        row = QHBoxLayout()
        row.setContentsMargins(gap * 3, gap, gap * 3, gap)
        row.setSpacing(gap * 2)
        heading = label(
            f"{ICON} {w.translator.tr(f'emergency.{notice.level}')}",
            "strong",
            wrap=False,
            name="emergencyLevel",
        )
        text = label(notice.text, "strong", name="emergencyText")
        posted = label(
            w.translator.tr("emergency.posted", time=posted_time(notice)),
            wrap=False,
            name="emergencyPosted",
        )
        # The message takes the width; the time it was posted goes under it.
        words = QVBoxLayout()
        words.setContentsMargins(0, 0, 0, 0)
        words.setSpacing(0)
        words.addWidget(text)
        words.addWidget(posted)
        row.addWidget(heading, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        replace_content(self.band, row)
        self.band.style().unpolish(self.band)
        self.band.style().polish(self.band)
        self.band.show()

    def _schedule(self, now: datetime) -> None:
        ends = next_change(self.notices, now)
        if ends is None:
            self.timer.stop()
            return
        wait_ms = int((ends - now).total_seconds() * 1000) + 50
        self.timer.start(max(50, min(wait_ms, LONGEST_WAIT_MS)))
