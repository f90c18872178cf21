"""낮은 화면 and greyscale: the pure rules behind DESIGN.md's reach and colour requirements."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.a11y import (
    REACH_HIGH_MM,
    REACH_LOW_MM,
    Panel,
    contrast_ratio,
    greyscale,
    low_screen,
)
from kiosk.ui.theme import PALETTES


def test_32_inch_portrait_at_700_mm_leaves_the_top_188_mm_empty():
    panel = Panel(32, 1080, 1920)
    band = low_screen(panel, 700)
    # The panel is 708.5 mm tall: its top edge is at 1,408.5 mm.
    assert panel.mm(band.top_px) == pytest.approx(188.5, abs=0.5)
    assert band.bottom_px == 0
    assert 700 + panel.mm(band.usable_px) <= REACH_HIGH_MM
    assert band.moves


def test_landscape_panel_is_already_within_reach():
    band = low_screen(Panel(32, 1920, 1080), 700)
    assert (band.top_px, band.bottom_px, band.usable_px) == (0, 0, 1080)
    assert not band.moves


def test_a_panel_reaching_below_400_mm_keeps_its_bottom_empty():
    panel = Panel(32, 1080, 1920)
    band = low_screen(panel, 300)
    assert panel.mm(band.bottom_px) >= 100
    assert 300 + panel.mm(band.bottom_px) >= REACH_LOW_MM


@given(
    diagonal=st.floats(15, 86),
    bottom=st.floats(0, 1100),
    width=st.integers(600, 2160),
    height=st.integers(600, 3840),
)
def test_usable_rows_lie_in_reach_whenever_the_band_is_large_enough(
    diagonal, bottom, width, height
):
    panel = Panel(diagonal, width, height)
    band = low_screen(panel, bottom)
    assert band.top_px + band.bottom_px + band.usable_px == height
    assert band.usable_px >= 0
    lowest = bottom + panel.mm(band.bottom_px)
    highest = bottom + panel.mm(band.bottom_px + band.usable_px)
    in_reach = min(REACH_HIGH_MM, bottom + panel.height_mm) - max(REACH_LOW_MM, bottom)
    if in_reach >= 250:
        assert highest <= REACH_HIGH_MM + 1e-6
        assert lowest >= REACH_LOW_MM - panel.mm_per_px - 1e-6


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_text_pair_stays_readable_in_greyscale(name):
    """Colour is never what makes text readable: grey versions keep 4.5:1."""
    for what, fg, bg in PALETTES[name].text_pairs():
        ratio = contrast_ratio(greyscale(fg), greyscale(bg))
        assert ratio >= 4.5, f"{name}: {what} is {ratio:.2f}:1 in greyscale"


def test_greyscale_keeps_luminance():
    for colour in ("#0B3B8C", "#FFE680", "#58616A"):
        assert contrast_ratio(colour, greyscale(colour)) == pytest.approx(1.0, abs=0.02)
