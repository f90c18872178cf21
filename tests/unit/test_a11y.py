"""Physical sizes and contrast: the arithmetic behind DESIGN.md's accessibility numbers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.a11y import (
    MIN_CONTRAST_DEFAULT,
    Panel,
    contrast_ratio,
    font_px_for_glyph,
    min_target_px,
)
from kiosk.ui.theme import DEFAULT, HANGUL_GLYPH_PER_PX, HIGH_CONTRAST, Metrics

DEFAULT_PANEL = Panel(32, 1080, 1920)
SMALL_PANEL = Panel(24, 1080, 1920)


def test_default_panel_is_about_037_mm_per_px():
    assert DEFAULT_PANEL.mm_per_px == pytest.approx(0.369, abs=0.001)


def test_body_text_on_default_panel_is_about_36_px_or_more():
    px = font_px_for_glyph(DEFAULT_PANEL, 12, HANGUL_GLYPH_PER_PX)
    assert 36 <= px <= 42
    assert px * HANGUL_GLYPH_PER_PX * DEFAULT_PANEL.mm_per_px >= 12


def test_smaller_panel_needs_more_pixels_for_the_same_text():
    big = font_px_for_glyph(DEFAULT_PANEL, 12, HANGUL_GLYPH_PER_PX)
    small = font_px_for_glyph(SMALL_PANEL, 12, HANGUL_GLYPH_PER_PX)
    assert small > big


@pytest.mark.parametrize("panel", [DEFAULT_PANEL, SMALL_PANEL, Panel(32, 1920, 1080)])
@pytest.mark.parametrize("scale", [100, 150, 200])
def test_metrics_meet_millimetre_minimums(panel, scale):
    m = Metrics.for_panel(panel, scale)
    glyph_mm = lambda px: panel.mm(px * HANGUL_GLYPH_PER_PX)  # noqa: E731
    assert glyph_mm(m.body_px) >= 12 * scale / 100 - 0.5
    assert glyph_mm(m.small_px) >= 10
    assert m.target_px >= 96 and panel.mm(m.target_px) >= 15
    assert panel.mm(m.gap_px) >= 2.5


def test_min_target_is_96_px_on_default_panel_and_15_mm_on_a_coarse_one():
    assert min_target_px(DEFAULT_PANEL) == 96
    coarse = Panel(55, 1080, 1920)  # 0.63 mm per px: 15 mm needs 24 px, but 96 px still rule
    assert min_target_px(coarse) == 96
    huge = Panel(100, 640, 480)  # 3.2 mm per px: 15 mm needs 5 px
    assert min_target_px(huge) == 96


@pytest.mark.parametrize("palette", [DEFAULT, HIGH_CONTRAST], ids=lambda p: p.name)
def test_every_text_pair_meets_7_to_1(palette):
    failures = [
        f"{what}: {fg} on {bg} = {contrast_ratio(fg, bg):.2f}"
        for what, fg, bg in palette.text_pairs()
        if contrast_ratio(fg, bg) < MIN_CONTRAST_DEFAULT
    ]
    assert not failures, failures


def test_contrast_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    with pytest.raises(ValueError):
        contrast_ratio("#FFF", "#000000")


hex_colour = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06X}")


@given(hex_colour, hex_colour)
def test_contrast_is_symmetric_and_bounded(a, b):
    ratio = contrast_ratio(a, b)
    assert ratio == pytest.approx(contrast_ratio(b, a))
    assert 1.0 <= ratio <= 21.0 + 1e-9
