"""Loads the bundled Pretendard GOV fonts; the app never relies on system fonts for Korean."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

from kiosk.paths import asset_path
from kiosk.ui.theme import FONT_FAMILY

log = logging.getLogger(__name__)

FONT_FILES = ("PretendardGOV-Regular.otf", "PretendardGOV-Bold.otf")


class FontError(RuntimeError):
    """A bundled font file is missing or unreadable."""


def load_bundled_fonts() -> str:
    """Register Regular and Bold with Qt and return the family name. Needs a QGuiApplication."""
    for name in FONT_FILES:
        path = asset_path("fonts", name)
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            raise FontError(f"cannot load the bundled font {path}")
        families = QFontDatabase.applicationFontFamilies(font_id)
        if FONT_FAMILY not in families:
            raise FontError(f"{path} holds {families}, expected {FONT_FAMILY!r}")
    log.info("fonts_loaded family=%s", FONT_FAMILY)
    return FONT_FAMILY


def hangul_glyph_height(pixel_size: int, bold: bool = False) -> float:
    """Height in pixels of a Hangul syllable with 받침 ("갉") at `pixel_size`."""
    font = QFont(FONT_FAMILY)
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return QFontMetricsF(font).tightBoundingRect("갉밟").height()
