"""The stage: the one widget the player paints on, with its crossfade.

The stage holds at most two looks: the one on screen and, during a crossfade, the one before
it. A look is replaced only by another look that already has its picture (a decoded image,
a video's first frame, a drawn notice), so there is always something to paint; the stage
counts every paint that had nothing (`empty_paints`, which tests and the soak benchmark
expect to stay zero). Screen-off hours are a look of their own, painted dark on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.player.slides import PlayItem, font
from kiosk.ui.subtitles import SubtitleStyle, paint_subtitle

OFF_COLOUR = QColor("#000000")


@dataclass
class Look:
    """How one item appears on the stage.

    Attributes:
        media: the picture (poster, current video frame, drawn notice) painted to fit
            `media_rect`; None only while a video waits for its first frame.
        panel: the QR panel painted at `panel_rect`, for items with a link.
        backdrop: the colour around a picture that does not fill its area.
        subtitle: the cue of a clip at its current frame ("" between cues and for other items),
            painted on a band at the bottom of the media area in `subtitle_style`.
    """

    item: PlayItem
    media: QImage | None
    media_rect: QRect
    backdrop: QColor
    panel: QImage | None = None
    panel_rect: QRect | None = None
    frames: int = field(default=0)
    subtitle: str = ""
    subtitle_style: SubtitleStyle | None = None

    @property
    def ready(self) -> bool:
        return self.media is not None or self.item.kind == "off"


class Stage(QWidget):
    """Paints the current look, fading in over the previous one.

    Signals:
        painted(bool): after each paint; True when it had something to show.

    Attributes:
        current: the look on screen (None only before the first one).
        previous: the look it fades in over, during a crossfade.
        fade: progress of the crossfade, 0.0 to 1.0 (1.0: no crossfade running).
        empty_paints: paints that had nothing to show, since the stage was made.
        longest_empty_run: the most paints in a row with nothing to show.
        stamp: a small line painted in a corner over everything ("마지막 업데이트 …").
    """

    painted = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playerStage")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.current: Look | None = None
        self.previous: Look | None = None
        self.fade = 1.0
        self.empty_paints = 0
        self.longest_empty_run = 0
        self._empty_run = 0
        self.stamp: tuple[str, int, QColor, QColor] | None = None
        self.paints = 0

    def show_look(self, look: Look, *, crossfade: bool) -> None:
        """Put `look` on screen; with `crossfade`, fade it in over the current one."""
        if crossfade and self.current is not None and self.current is not look:
            self.previous = self.current
            self.fade = 0.0
        else:
            self.previous = None
            self.fade = 1.0
        self.current = look
        self.update()

    def set_fade(self, progress: float) -> None:
        self.fade = min(1.0, max(0.0, progress))
        if self.fade >= 1.0:
            self.previous = None
        self.update()

    def has_content(self) -> bool:
        looks = [self.current, self.previous]
        return any(look is not None and look.ready for look in looks)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, 360)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        had_content = self.has_content()
        if not had_content:
            # Nothing to show yet: a neutral page, and it is counted (it must never happen).
            painter.fillRect(self.rect(), QColor("#808080"))
        if self.previous is not None and self.previous.ready:
            self._paint_look(painter, self.previous)
        if self.current is not None and self.current.ready:
            painter.setOpacity(self.fade if self.previous is not None else 1.0)
            self._paint_look(painter, self.current)
            painter.setOpacity(1.0)
        self._paint_stamp(painter)
        painter.end()
        self.paints += 1
        if had_content:
            self._empty_run = 0
        else:
            self.empty_paints += 1
            self._empty_run += 1
            self.longest_empty_run = max(self.longest_empty_run, self._empty_run)
        self.painted.emit(had_content)

    def _paint_look(self, painter: QPainter, look: Look) -> None:
        if look.item.kind == "off":
            painter.fillRect(self.rect(), OFF_COLOUR)
            return
        painter.fillRect(self.rect(), look.backdrop)
        if look.media is not None:
            area = look.media_rect
            size = look.media.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = area.x() + (area.width() - size.width()) // 2
            y = area.y() + (area.height() - size.height()) // 2
            if size == look.media.size():
                # Decoded at the size it is shown: a plain copy, no resampling on every paint.
                painter.drawImage(QPoint(x, y), look.media)
            else:
                painter.drawImage(QRect(x, y, size.width(), size.height()), look.media)
            if look.subtitle and look.subtitle_style is not None:
                picture = QRect(x, y, size.width(), size.height())
                paint_subtitle(painter, area, picture, look.subtitle, look.subtitle_style)
        if look.panel is not None and look.panel_rect is not None:
            painter.drawImage(look.panel_rect.topLeft(), look.panel)

    def _paint_stamp(self, painter: QPainter) -> None:
        if self.stamp is None or (self.current is not None and self.current.item.kind == "off"):
            return
        text, px, fg, bg = self.stamp
        f = font(px)
        painter.setFont(f)
        metrics = painter.fontMetrics()
        pad = max(4, px // 3)
        width = metrics.horizontalAdvance(text) + 2 * pad
        height = metrics.height() + 2 * pad
        # Top left: the bottom and the right side may hold a QR code that must stay clear.
        box = QRect(pad, pad, width, height)
        painter.fillRect(box, bg)
        painter.setPen(fg)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
