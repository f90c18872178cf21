"""Text widths, measured once per font and text.

A font's advance for a text does not change, yet the layouts ask for it on every pass
(kiosk.ui.widgets.OneLineOrTwo, kiosk.ui.icons.IconLine, the paged lists, the choice cards),
and each time Qt shapes the text again: a few ms of every tap. The kiosk draws on one screen,
so a font's key names its metrics.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

# Enough for every text of a content pack in a few looks; emptied when full.
MOST = 8192
_widths: dict[tuple[str, str], int] = {}
_metrics: dict[str, QFontMetrics] = {}


def advance(font: QFont, text: str) -> int:
    """The advance of `text` in `font` (QFontMetrics.horizontalAdvance), from the cache."""
    key = font.key()
    width = _widths.get((key, text))
    if width is None:
        metrics = _metrics.get(key)
        if metrics is None:
            metrics = _metrics[key] = QFontMetrics(font)
        width = metrics.horizontalAdvance(text)
        if len(_widths) >= MOST:
            _widths.clear()
        _widths[(key, text)] = width
    return width
