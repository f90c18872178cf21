"""Design tokens: colours, type scale, spacing, radii and target sizes, and the stylesheet built
from them. The one place a widget takes a colour or a size from.

The colours are KRDS's (범정부 UI/UX 디자인 시스템, the Korean government design system): its
primary blue, gray scale and semantic colours (`KRDS`), picked at the steps that keep DESIGN.md's
7:1 for text; the type is Pretendard GOV, KRDS's font, in Regular and Bold only.

Sizes are physical. `Metrics` turns DESIGN.md's millimetres (`TYPE_MM`, `SPACE_MM`, `RADIUS_MM`)
into pixels for the panel the app runs on, so the same text is 12 mm tall on a 32-inch and on a
24-inch screen.
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

# KRDS's colour scales (5 lightest .. 95 darkest), the steps this app uses. The primary base
# (primary-50, #256EF4) gives white text only 4.6:1, so filled controls take primary-70.
KRDS: dict[str, str] = {
    "gray-0": "#FFFFFF",
    "gray-5": "#F4F5F6",
    "gray-10": "#E6E8EA",
    "gray-60": "#58616A",
    "gray-70": "#464C53",
    "gray-90": "#1E2124",
    "gray-100": "#000000",
    "primary-5": "#ECF2FE",
    "primary-50": "#256EF4",
    "primary-70": "#083891",
    "primary-80": "#052561",
    "danger-70": "#8A240F",
    "success-70": "#285D33",
    "warning-30": "#FFB114",
}

# The type scale: Hangul glyph height (with 받침) of each text role at 100 %, in millimetres.
# Body is DESIGN.md's 12 mm, nothing is under its 10 mm; the steps above body follow KRDS's
# heading ratios. `display` is the attract loop's 시작하기, read from a few metres away.
TYPE_MM: dict[str, float] = {
    "small": MIN_GLYPH_MM,
    "body": BODY_GLYPH_MM,
    "tile": BODY_GLYPH_MM * 1.2,
    "title": BODY_GLYPH_MM * 1.35,
    "question": BODY_GLYPH_MM * 1.35 * 1.15,
    "display": BODY_GLYPH_MM * 3.0,
}

# Spacing and corner radii in millimetres (KRDS's 8-point steps, at kiosk distance).
SPACE_MM: dict[str, float] = {"edge": 0.8, "gap": 4.0, "focus": 2.0, "bar": 2.0}
RADIUS_MM: dict[str, float] = {"control": 3.0, "badge": 1.5}


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
    # The 온통중구 header band: the district's colour, its name and emblem on it.
    header: str
    on_header: str
    header_edge: str  # the band's edge: where the band is the window's colour, it shows

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
            ("header", self.on_header, self.header),
        ]


DEFAULT = Palette(
    name="default",
    window=KRDS["gray-0"],
    surface=KRDS["gray-5"],
    text=KRDS["gray-90"],
    text_muted=KRDS["gray-70"],
    primary=KRDS["primary-70"],
    on_primary=KRDS["gray-0"],
    secondary=KRDS["primary-5"],
    on_secondary=KRDS["gray-90"],
    border=KRDS["gray-60"],
    focus_fill="#FFE680",  # DESIGN.md's yellow focus, not a KRDS colour: seen from afar
    on_focus=KRDS["gray-90"],
    focus_frame=KRDS["gray-100"],
    banner=KRDS["gray-90"],
    on_banner=KRDS["gray-0"],
    dim="#D91E2124",
    alarm=KRDS["danger-70"],
    on_alarm=KRDS["gray-0"],
    success=KRDS["success-70"],
    caution=KRDS["warning-30"],
    on_caution=KRDS["gray-90"],
    header=KRDS["primary-80"],
    on_header=KRDS["gray-0"],
    header_edge=KRDS["primary-80"],
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
    header="#000000",
    on_header="#FFFF00",
    header_edge="#FFFF00",
)

PALETTES = {p.name: p for p in (DEFAULT, HIGH_CONTRAST)}


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one panel and one text scale (100, 150 or 200 %), from the tokens."""

    body_px: int
    small_px: int
    title_px: int
    tile_px: int
    question_px: int
    display_px: int
    target_px: int
    gap_px: int
    border_px: int
    focus_px: int
    radius_px: int
    badge_radius_px: int
    bar_px: int
    button_margin_px: int
    # The district name heading the window: a name to recognise more than words to read, so
    # it grows with the text only up to 125 % (at 200 % the working area needs the height).
    brand_px: int
    brand_compact_px: int  # where a landscape rail has no room for it: the body size of 100 %

    @classmethod
    def for_panel(cls, panel: Panel, text_scale: int) -> Metrics:
        body = font_px_for_glyph(panel, TYPE_MM["body"], HANGUL_GLYPH_PER_PX)
        small = font_px_for_glyph(panel, TYPE_MM["small"], HANGUL_GLYPH_PER_PX)
        factor = text_scale / 100

        def type_px(role: str) -> int:
            # As a ratio of the body size, so each step stays the same multiple of the body
            # whatever the panel's rounding.
            return round(body * TYPE_MM[role] / TYPE_MM["body"] * factor)

        target = min_target_px(panel)
        edge = max(3, panel.px(SPACE_MM["edge"]))
        return cls(
            body_px=round(body * factor),
            small_px=round(small * factor),
            title_px=type_px("title"),
            tile_px=type_px("tile"),
            question_px=type_px("question"),
            # The attract loop's 시작하기 comes before anyone picks a text size.
            display_px=round(body * TYPE_MM["display"] / TYPE_MM["body"]),
            target_px=target,
            gap_px=max(panel.px(MIN_GAP_MM) + 1, panel.px(SPACE_MM["gap"])),
            border_px=edge,
            focus_px=max(6, panel.px(SPACE_MM["focus"])),
            radius_px=panel.px(RADIUS_MM["control"]),
            badge_radius_px=panel.px(RADIUS_MM["badge"]),
            bar_px=target + 2 * panel.px(SPACE_MM["bar"]),
            button_margin_px=edge + panel.px(SPACE_MM["gap"]),
            brand_px=round(body * TYPE_MM["title"] / TYPE_MM["body"] * min(factor, 1.25)),
            brand_compact_px=body,
        )


@dataclass(frozen=True)
class Theme:
    palette: Palette
    metrics: Metrics


# Set on a step's question (role "question") that stands at the title's size, a step down,
# so that the step's answers fit their pages (kiosk.ui.paging.fit_pages); on the thank-you's
# lines (role "notice"), at the body's size, so that it fits without scrolling.
STEPPED_DOWN = "steppedDown"


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
QLabel[role="question"] {{ font-size: {m.question_px}px; font-weight: 700; }}
QLabel[role="question"][{STEPPED_DOWN}="true"] {{ font-size: {m.title_px}px; }}
QLabel[role="small"] {{ font-size: {m.small_px}px; color: {p.text_muted}; }}
QWidget[role="header"] {{
    background: {p.header}; border: {m.border_px}px solid {p.header_edge};
    border-radius: {m.badge_radius_px}px;
}}
QLabel[role="brand"] {{
    font-size: {m.brand_px}px; font-weight: 700; color: {p.on_header}; background: transparent;
}}
QLabel[role="brand"][compact="true"] {{ font-size: {m.brand_compact_px}px; }}
QLabel[role="display"] {{ font-size: {m.display_px}px; font-weight: 700; }}
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
QLabel[role="notice"][{STEPPED_DOWN}="true"] {{ font-size: {m.body_px}px; }}
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
QPushButton[tile="low"] {{ min-height: {m.target_px * 2}px; }}
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
