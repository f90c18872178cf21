"""Accessibility arithmetic: physical sizes on a panel and WCAG contrast. No Qt.

The numbers come from DESIGN.md: Hangul glyphs at least 12 mm tall at the default text size
and never under 10 mm; touch targets at least 15 x 15 mm (and 96 px on the default panel);
gaps at least 2.5 mm; text contrast at least 7:1 in the default theme.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MM_PER_INCH = 25.4

BODY_GLYPH_MM = 12.0
MIN_GLYPH_MM = 10.0
MIN_TARGET_MM = 15.0
MIN_TARGET_PX = 96
MIN_GAP_MM = 2.5
MIN_CONTRAST_DEFAULT = 7.0
MIN_CONTRAST_ANYWHERE = 4.5

TEXT_SCALES: tuple[int, ...] = (100, 150, 200)


@dataclass(frozen=True)
class Panel:
    """A physical screen: its diagonal in inches and its resolution in pixels."""

    diagonal_inches: float
    width_px: int
    height_px: int

    @property
    def mm_per_px(self) -> float:
        diagonal_px = math.hypot(self.width_px, self.height_px)
        return self.diagonal_inches * MM_PER_INCH / diagonal_px

    @property
    def portrait(self) -> bool:
        return self.height_px > self.width_px

    @property
    def height_mm(self) -> float:
        return self.height_px * self.mm_per_px

    def px(self, mm: float) -> int:
        """Whole pixels needed to span at least `mm` millimetres."""
        return math.ceil(mm / self.mm_per_px - 1e-9)

    def mm(self, px: float) -> float:
        return px * self.mm_per_px


def font_px_for_glyph(panel: Panel, glyph_mm: float, glyph_height_per_px: float) -> int:
    """Font pixel size whose Hangul glyphs (height/em = `glyph_height_per_px`) reach `glyph_mm`."""
    return math.ceil(panel.px(glyph_mm) / glyph_height_per_px)


def min_target_px(panel: Panel) -> int:
    return max(MIN_TARGET_PX, panel.px(MIN_TARGET_MM))


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"expected #RRGGBB, got {hex_colour!r}")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio between two #RRGGBB colours (1.0 to 21.0)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


# Reach for wheelchair users and short residents (DESIGN.md, 낮은 화면): every control between
# these heights above the floor.
REACH_LOW_MM = 400.0
REACH_HIGH_MM = 1220.0


@dataclass(frozen=True)
class LowScreen:
    """Where 낮은 화면 puts the app on a panel: pixels left empty above and below it.

    Attributes:
        top_px: empty rows at the top of the panel (the part above REACH_HIGH_MM).
        bottom_px: empty rows at the bottom (the part below REACH_LOW_MM).
        usable_px: rows left for the bars and the working area.
    """

    top_px: int
    bottom_px: int
    usable_px: int

    @property
    def moves(self) -> bool:
        """Whether the switch changes anything on this panel (a landscape panel or a low
        mounting may already be within reach)."""
        return self.top_px > 0 or self.bottom_px > 0


def low_screen(
    panel: Panel,
    panel_bottom_mm: float,
    *,
    low_mm: float = REACH_LOW_MM,
    high_mm: float = REACH_HIGH_MM,
    min_usable_mm: float = 250.0,
) -> LowScreen:
    """The band of `panel` within `low_mm`..`high_mm` above the floor, the panel's bottom edge
    being `panel_bottom_mm` high. Rounded so that no usable row lies outside the band. When the
    band would leave less than `min_usable_mm` (a panel mounted far too high), the usable part
    is that much from the bottom of the band's reach downwards, as close as the panel allows."""
    height_mm = panel.height_mm
    top_mm = panel_bottom_mm + height_mm
    top_blank = max(0.0, top_mm - high_mm)
    bottom_blank = max(0.0, low_mm - panel_bottom_mm)
    if height_mm - top_blank - bottom_blank < min_usable_mm:
        bottom_blank = max(0.0, min(bottom_blank, height_mm - min_usable_mm))
        top_blank = max(0.0, height_mm - bottom_blank - min_usable_mm)
    top_px = min(panel.height_px, panel.px(top_blank))
    bottom_px = min(panel.height_px - top_px, panel.px(bottom_blank))
    return LowScreen(top_px, bottom_px, panel.height_px - top_px - bottom_px)


def greyscale(hex_colour: str) -> str:
    """The grey a colour prints as on a greyscale screen or to a colour-blind eye with no hue
    (its relative luminance kept), as #RRGGBB."""
    y = relative_luminance(hex_colour)
    s = 12.92 * y if y <= 0.0031308 else 1.055 * y ** (1 / 2.4) - 0.055
    v = max(0, min(255, round(s * 255)))
    return f"#{v:02X}{v:02X}{v:02X}"
