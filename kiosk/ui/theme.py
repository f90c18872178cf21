"""Design tokens: colours, type scale, spacing and target sizes, and the stylesheet built from them.

Sizes are physical. `Metrics` turns DESIGN.md's millimetres into pixels for the panel the app
runs on, so the same text is 12 mm tall on a 32-inch and on a 24-inch screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtGui import QFont, QFontMetrics

from kiosk.domain.a11y import (
    BODY_GLYPH_MM,
    MIN_GAP_MM,
    MIN_GLYPH_MM,
    Panel,
    font_px_for_glyph,
    min_target_px,
)

FONT_FAMILY = "Pretendard GOV"
# Height of a Hangul syllable with 받침 per pixel of font size, measured on Pretendard GOV
# (the widget tests re-measure it from the bundled font).
HANGUL_GLYPH_PER_PX = 0.86


@dataclass(frozen=True)
class Palette:
    """Colours of one theme. Every *_text / background pair is checked for contrast by tests."""

    name: str
    window: str
    surface: str
    text: str
    text_muted: str
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    border: str
    focus_fill: str
    on_focus: str
    focus_frame: str
    banner: str
    on_banner: str
    dim: str  # translucent veil behind the idle prompt, as #AARRGGBB
    # 긴급 공지: 긴급 (danger) and 주의 (warning), always with the icon and the word beside.
    alarm: str
    on_alarm: str
    # Done (the thank-you's check), always with the drawn check and its words beside.
    success: str
    caution: str
    on_caution: str

    def text_pairs(self) -> list[tuple[str, str, str]]:
        """(description, foreground, background) of every text colour over its background."""
        return [
            ("text on window", self.text, self.window),
            ("text on surface", self.text, self.surface),
            ("muted text on window", self.text_muted, self.window),
            ("muted text on surface", self.text_muted, self.surface),
            ("primary button", self.on_primary, self.primary),
            ("secondary button", self.on_secondary, self.secondary),
            ("focused button", self.on_focus, self.focus_fill),
            ("banner", self.on_banner, self.banner),
            ("emergency notice", self.on_alarm, self.alarm),
            ("problem message", self.alarm, self.window),
            ("done", self.success, self.window),
            ("caution notice", self.on_caution, self.caution),
        ]


DEFAULT = Palette(
    name="default",
    window="#FFFFFF",
    surface="#F4F5F6",
    text="#1E2124",
    text_muted="#464C53",
    primary="#0B3B8C",
    on_primary="#FFFFFF",
    secondary="#E8F0FE",
    on_secondary="#1E2124",
    border="#58616A",
    focus_fill="#FFE680",
    on_focus="#1E2124",
    focus_frame="#000000",
    banner="#1E2124",
    on_banner="#FFFFFF",
    dim="#D91E2124",
    alarm="#A50E0E",
    on_alarm="#FFFFFF",
    success="#145C2E",
    caution="#FFB200",
    on_caution="#1E2124",
)

HIGH_CONTRAST = Palette(
    name="high_contrast",
    window="#000000",
    surface="#000000",
    text="#FFFFFF",
    text_muted="#FFFF00",
    primary="#000000",
    on_primary="#FFFF00",
    secondary="#000000",
    on_secondary="#FFFFFF",
    border="#FFFF00",
    focus_fill="#FFFF00",
    on_focus="#000000",
    focus_frame="#FFFFFF",
    banner="#FFFF00",
    on_banner="#000000",
    dim="#E6000000",
    alarm="#FFFF00",
    on_alarm="#000000",
    success="#66FF99",
    caution="#FFFFFF",
    on_caution="#000000",
)

PALETTES = {p.name: p for p in (DEFAULT, HIGH_CONTRAST)}


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one panel and one text scale (100, 150 or 200 %)."""

    body_px: int
    small_px: int
    title_px: int
    tile_px: int
    target_px: int
    gap_px: int
    border_px: int
    focus_px: int
    radius_px: int
    bar_px: int
    button_margin_px: int
    # The district name heading the window: a name to recognise, not words to read, so it
    # keeps its size at every text size (the working area gets the height).
    brand_px: int

    @classmethod
    def for_panel(cls, panel: Panel, text_scale: int) -> Metrics:
        body = font_px_for_glyph(panel, BODY_GLYPH_MM, HANGUL_GLYPH_PER_PX)
        small = font_px_for_glyph(panel, MIN_GLYPH_MM, HANGUL_GLYPH_PER_PX)
        factor = text_scale / 100
        target = min_target_px(panel)
        return cls(
            body_px=round(body * factor),
            small_px=round(small * factor),
            title_px=round(body * 1.35 * factor),
            tile_px=round(body * 1.2 * factor),
            target_px=target,
            gap_px=max(panel.px(MIN_GAP_MM) + 1, panel.px(4)),
            border_px=max(3, panel.px(0.8)),
            focus_px=max(6, panel.px(2)),
            radius_px=panel.px(3),
            bar_px=target + 2 * panel.px(2),
            button_margin_px=max(3, panel.px(0.8)) + panel.px(4),
            brand_px=round(body),
        )


@dataclass(frozen=True)
class Theme:
    palette: Palette
    metrics: Metrics


def stylesheet(theme: Theme) -> str:
    """The application stylesheet. Widgets pick a look with the `role` property, not colours."""
    p, m = theme.palette, theme.metrics
    pad = m.gap_px * 2
    return f"""
* {{ font-family: "{FONT_FAMILY}"; }}
QWidget {{ color: {p.text}; background: transparent; font-size: {m.body_px}px; }}
QWidget#screenRoot, QWidget#pinnedSlot, QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {p.window};
}}
QWidget[role="bar"] {{ background: {p.surface}; border: 0; }}
QWidget[role="reach"] {{ background: {p.window}; border: 0; }}
QWidget[role="alarm"] {{ background: {p.alarm}; border: 0; }}
QWidget[role="alarm"] QLabel {{ color: {p.on_alarm}; background: transparent; }}
QWidget[role="caution"] {{ background: {p.caution}; border: 0; }}
QWidget[role="caution"] QLabel {{ color: {p.on_caution}; background: transparent; }}
QLabel {{ font-size: {m.body_px}px; }}
QLabel[role="title"] {{ font-size: {m.title_px}px; font-weight: 700; }}
QLabel[role="muted"] {{ color: {p.text_muted}; }}
QLabel[role="strong"] {{ font-weight: 700; }}
QLabel[role="question"] {{ font-size: {round(m.title_px * 1.15)}px; font-weight: 700; }}
QLabel[role="small"] {{ font-size: {m.small_px}px; color: {p.text_muted}; }}
QLabel[role="brand"] {{ font-size: {m.brand_px}px; font-weight: 700; }}
QLabel[role="tileTitle"] {{ font-size: {m.tile_px}px; font-weight: 700; }}
QLabel[role="tileText"] {{ font-size: {m.small_px}px; }}
QLabel[role="banner"] {{
    background: {p.banner}; color: {p.on_banner}; font-size: {m.title_px}px; font-weight: 700;
    padding: {pad}px; border-radius: {m.radius_px}px;
}}
QLabel[role="pinned"] {{
    background: {p.banner}; color: {p.on_banner}; font-weight: 700;
    padding: {pad // 2}px {pad}px; border-radius: {m.radius_px}px;
}}
QLabel[role="error"] {{
    color: {p.alarm}; background: {p.window}; border: {m.border_px}px solid {p.alarm};
    padding: {pad}px; border-radius: {m.radius_px}px;
}}
QLabel[role="success"] {{ font-size: {m.title_px}px; font-weight: 700; color: {p.success}; }}
QLabel[role="notice"] {{ font-size: {m.title_px}px; font-weight: 700; }}
QFrame[role="card"] {{
    background: {p.surface}; border: {m.border_px}px solid {p.border};
    border-radius: {m.radius_px}px;
}}
QFrame[role="card"] QLabel {{ background: transparent; }}
QPushButton {{
    min-width: {m.target_px}px; min-height: {m.target_px}px;
    background: {p.secondary}; border: {m.border_px}px solid {p.border};
    border-radius: {m.radius_px}px; padding: 0; font-weight: 700; color: {p.on_secondary};
}}
QPushButton[role="primary"] {{ background: {p.primary}; }}
QPushButton[tile="true"] {{ min-height: {round(m.target_px * 2.5)}px; }}
QPushButton[ring="true"]:focus, QPushButton:pressed {{
    background: {p.focus_fill}; border: {m.focus_px}px solid {p.focus_frame};
    color: {p.on_focus};
}}
QPushButton:disabled {{ background: {p.surface}; border-style: dashed; color: {p.text_muted}; }}
QPushButton:checked {{ border-width: {m.focus_px}px; }}
QLabel[role="buttonText"] {{ font-weight: 700; }}
QLabel[button="secondary"] {{ color: {p.on_secondary}; }}
QLabel[button="primary"] {{ color: {p.on_primary}; }}
QLabel[button][state="focused"] {{ color: {p.on_focus}; }}
QLabel[button][state="disabled"] {{ color: {p.text_muted}; }}
QWidget#idleVeil {{ background: {_qss_argb(p.dim)}; }}
QFrame#idleCard {{
    background: {p.window}; border: {m.focus_px}px solid {p.border};
    border-radius: {m.radius_px}px;
}}
QPushButton[key] {{
    min-width: {m.target_px - 2 * m.focus_px}px; min-height: {m.target_px - 2 * m.focus_px}px;
}}
QPushButton[key="letter"] {{ font-size: {key_letter_px(m)}px; }}
QLabel[role="keyboardText"] {{ font-size: {m.tile_px}px; }}
QScrollBar:vertical {{ width: {m.gap_px * 3}px; background: {p.surface}; }}
QScrollBar::handle:vertical {{ background: {p.border}; min-height: {m.target_px}px; }}
"""


@cache
def key_letter_px(metrics: Metrics) -> int:
    """Letter size on the on-screen keyboard's keys: the largest, up to about twice the body
    text, whose line fits inside the smallest key (target size less the focus frame).
    Jamo are drawn small in their em box, hence the generous start."""
    room = metrics.target_px - 2 * metrics.focus_px - 2  # QLabel rounds its line up
    px = max(metrics.tile_px, round(metrics.body_px * 1.8))
    while px > metrics.small_px:
        font = QFont(FONT_FAMILY)
        font.setPixelSize(px)
        font.setBold(True)
        fm = QFontMetrics(font)
        if fm.height() <= room and fm.horizontalAdvance("W") <= room:
            break
        px -= 1
    return px


def _qss_argb(argb: str) -> str:
    h = argb.lstrip("#")
    a, r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4, 6))
    return f"rgba({r}, {g}, {b}, {a})"
