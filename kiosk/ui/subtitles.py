"""Subtitles as the kiosk shows them, in one place for the video centre and the board.

Both read a clip's cues from the local cache the same way (`read_cues`), and both show a cue in
the theme's banner colours (white bold letters on a dark band; black on yellow in high
contrast), as large as the title text or larger: the video centre in its label of role
"banner", the board painted over its stage with `paint_subtitle` (a board has no widgets over
its stage, and plays without sound, so the words are how a clip speaks there).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from contract.subtitles import Cue, parse_subtitles
from kiosk.context import AppContext
from kiosk.ui.theme import FONT_FAMILY, Theme

log = logging.getLogger(__name__)

# On a board the words are read from a few metres: at least this share of the stage's height.
BOARD_SHARE_OF_HEIGHT = 1 / 18


def read_cues(ctx: AppContext, subtitles: str | None, owner: str) -> list[Cue]:
    """The cues of the pack file `subtitles` (a video's or a promotion's, named by `owner` in
    the log), or [] when there is none or it cannot be read (the clip plays without them)."""
    path = ctx.asset_file(subtitles) if subtitles else None
    if path is None:
        return []
    try:
        return parse_subtitles(path.read_text(encoding="utf-8-sig", errors="replace"))
    except OSError as e:
        log.warning("subtitles_unreadable item=%s error=%s", owner, e)
        return []


@dataclass(frozen=True)
class SubtitleStyle:
    """How the board draws a cue: letter size and the banner's colours."""

    px: int
    text: QColor
    band: QColor

    @classmethod
    def for_board(cls, theme: Theme, stage_height: int) -> SubtitleStyle:
        p = theme.palette
        px = max(theme.metrics.title_px, int(stage_height * BOARD_SHARE_OF_HEIGHT))
        return cls(px, QColor(p.on_banner), QColor(p.banner))


def paint_subtitle(
    painter: QPainter, area: QRect, picture: QRect, text: str, style: SubtitleStyle
) -> QRect:
    """Draw `text` on a band across `area` (the clip's part of the stage): under the `picture`
    when the letterbox has room for it, else over the picture's bottom. Returns the band."""
    f = QFont(FONT_FAMILY)
    f.setPixelSize(style.px)
    f.setBold(True)
    pad = max(4, style.px // 3)
    flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
    words = QFontMetrics(f).boundingRect(QRect(0, 0, area.width() - 2 * pad, 100_000), flags, text)
    height = words.height() + 2 * pad
    top = max(area.top(), min(picture.bottom() + 1, area.bottom() + 1 - height))
    band = QRect(area.left(), top, area.width(), height)
    painter.fillRect(band, style.band)
    painter.setFont(f)
    painter.setPen(style.text)
    painter.drawText(band.adjusted(pad, pad, -pad, -pad), flags, text)
    return band
