"""Board notices are signage for 3–5 m: the 온통중구 band at the foot, an icon, and words that
fill the slide, never below kiosk.domain.signage's minimum, in both orientations and themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage

from kiosk.domain.a11y import Panel, font_px_for_glyph
from kiosk.domain.signage import SIGN_TEXT_MIN_MM, SIGN_TEXT_MM
from kiosk.i18n import Translator
from kiosk.ui.player.slides import PlayItem, SlideStyle, fitting_px, render_text_slide
from kiosk.ui.theme import DEFAULT, HANGUL_GLYPH_PER_PX, HIGH_CONTRAST, Metrics, Theme

NOTICE = PlayItem(
    "frozen-pipes",
    "notice",
    "겨울철 수도 계량기 동파 예방",
    "계량기함을 헌 옷이나 보온재로 채우고, 아주 추운 밤에는 수돗물을 조금 틀어 두세요.",
    20.0,
)


def style(size: QSize, high_contrast: bool) -> SlideStyle:
    panel = Panel(32.0, size.width(), size.height())
    palette = HIGH_CONTRAST if high_contrast else DEFAULT
    return SlideStyle(Theme(palette, Metrics.for_panel(panel, 100)), panel, Translator("ko"))


def inked(image: QImage, background: QColor, bottom: int) -> QRect:
    """The box around every pixel above `bottom` that is not the background."""
    small = image.scaled(image.width() // 8, image.height() // 8).convertToFormat(
        QImage.Format.Format_RGB32
    )
    xs, ys = [], []
    for y in range(bottom // 8):
        for x in range(small.width()):
            if small.pixelColor(x, y) != background:
                xs.append(x * 8)
                ys.append(y * 8)
    return QRect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


@pytest.mark.parametrize("size", [QSize(1920, 1080), QSize(1080, 1500)], ids=["wide", "tall"])
@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "contrast"])
def test_a_notice_is_a_sign_with_the_brand_band_and_words_that_fill_it(fonts, size, high_contrast):
    s = style(size, high_contrast)
    image = render_text_slide(NOTICE, size, s)
    p = s.theme.palette
    # The 온통중구 band across the foot, in the brand colour.
    assert image.pixelColor(size.width() // 2, size.height() - 4) == QColor(p.primary)
    band_top = size.height() - 3 * font_px_for_glyph(s.panel, 30.0, HANGUL_GLYPH_PER_PX)
    ink = inked(image, QColor(p.secondary), band_top)
    # Not two lines in the upper left: the words and the icon span the slide.
    assert ink.width() >= size.width() * 0.6
    assert ink.height() >= band_top * 0.35
    assert ink.left() < size.width() * 0.1  # the icon starts the block


def test_a_long_notice_shrinks_to_the_signage_minimum_and_no_further(fonts):
    panel = Panel(32.0, 1080, 1920)
    area = QRect(0, 0, 900, 300)
    smallest = font_px_for_glyph(panel, SIGN_TEXT_MIN_MM, HANGUL_GLYPH_PER_PX)
    largest = font_px_for_glyph(panel, SIGN_TEXT_MM, HANGUL_GLYPH_PER_PX)
    assert fitting_px("짧은 공지", area, panel, SIGN_TEXT_MM, SIGN_TEXT_MIN_MM) == largest
    assert fitting_px("아주 긴 공지 " * 80, area, panel, SIGN_TEXT_MM, SIGN_TEXT_MIN_MM) == smallest
