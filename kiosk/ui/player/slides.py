"""What the player shows, item by item, and how a slide is laid out and drawn.

`PlayItem` is one entry of the rotation as the player needs it (a promotion, the built-in
district card, or the screen-off page). The drawing functions turn text items (notices, the
card) and the "휴대폰으로 보기" panel (QR code and address) into images at the stage's size,
so that every item, whatever its kind, crossfades as one picture.

Layout: an item with a link gives a side column (landscape) or a bottom row (portrait) to its
QR code, sized to scan from 1.5 m; the picture, video or text takes the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen

from contract.content import ContentPack, Promotion
from contract.subtitles import Cue
from kiosk.context import AppContext
from kiosk.domain.a11y import Panel, font_px_for_glyph
from kiosk.domain.signage import (
    NOTICE_BODY_MIN_MM,
    NOTICE_BODY_MM,
    SIGN_HEADING_MM,
    SIGN_TEXT_MIN_MM,
    SIGN_TEXT_MM,
    SIGN_TIME_MM,
)
from kiosk.i18n import Translator
from kiosk.ui.qr import (
    BOARD_SCAN_MM,
    breakable,
    display_url,
    module_px,
    paint_qr,
    qr_matrix,
    side_modules,
)
from kiosk.ui.subtitles import read_cues
from kiosk.ui.theme import FONT_FAMILY, HANGUL_GLYPH_PER_PX, Theme

ItemKind = Literal["image", "video", "notice", "card", "off"]

CARD_ID = "district-card"
OFF_ID = "screen-off"
CARD_DURATION_S = 15.0
OFF_RECHECK_S = 30.0


@dataclass(frozen=True)
class PlayItem:
    """One entry of the rotation, ready for the player.

    Attributes:
        id: the promotion's id, or CARD_ID / OFF_ID.
        kind: image, video, notice, card (the district card) or off (screen-off hours).
        path: the cached media file of an image or video.
        url: the item on the online platform, shown as a QR code; None when it links nowhere.
        cues: a clip's subtitles, drawn over it (boards play without sound).
    """

    id: str
    kind: ItemKind
    title: str
    body: str
    duration_s: float
    path: Path | None = None
    url: str | None = None
    emergency: bool = False
    cues: tuple[Cue, ...] = ()

    @property
    def counts(self) -> bool:
        """Shown to residents as published content (proof of play counts it)."""
        return self.kind in ("image", "video", "notice")


def item_for(promotion: Promotion, ctx: AppContext, language: str) -> PlayItem:
    path = ctx.asset_file(promotion.asset) if promotion.asset else None
    return PlayItem(
        id=promotion.id,
        kind=promotion.kind,
        title=promotion.title.get(language),
        body=promotion.body.get(language) if promotion.body else "",
        duration_s=promotion.duration_s,
        path=path,
        url=promotion.url,
        emergency=promotion.emergency,
        cues=tuple(read_cues(ctx, promotion.subtitles, promotion.id)),
    )


def district_card(pack: ContentPack | None, translator: Translator) -> PlayItem:
    """The built-in card shown when nothing is scheduled: never a black screen."""
    lang = translator.language
    name = pack.district.name.get(lang) if pack else translator.tr("board.card.district")
    return PlayItem(
        id=CARD_ID,
        kind="card",
        title=translator.tr("app.title"),
        body=f"{name}\n{translator.tr('board.card.body')}",
        duration_s=CARD_DURATION_S,
        url=pack.district.platform_url if pack else None,
    )


def screen_off_item() -> PlayItem:
    return PlayItem(OFF_ID, "off", "", "", OFF_RECHECK_S)


# -- drawing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlideStyle:
    """Colours, sizes and words of the slides, from the window's theme and language."""

    theme: Theme
    panel: Panel
    translator: Translator

    @property
    def gap(self) -> int:
        return self.theme.metrics.gap_px

    def colours(self, item: PlayItem) -> tuple[QColor, QColor]:
        """(background, text) of a text slide."""
        p = self.theme.palette
        if item.kind == "card":
            return QColor(p.primary), QColor(p.on_primary)
        if item.emergency:
            return QColor(p.focus_fill), QColor(p.on_focus)
        return QColor(p.secondary), QColor(p.on_secondary)

    @property
    def backdrop(self) -> QColor:
        """Around a picture that does not fill its space."""
        return QColor(self.theme.palette.surface)


def font(px: int, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPixelSize(max(1, px))
    f.setBold(bold)
    return f


def qr_module(style: SlideStyle, url: str, fit_px: int) -> int:
    return module_px(style.panel, qr_matrix(url), BOARD_SCAN_MM, fit_px)


def split(size: QSize, style: SlideStyle, url: str | None) -> tuple[QRect, QRect | None]:
    """(media area, QR area) of the stage for an item; no QR area when it links nowhere."""
    full = QRect(0, 0, size.width(), size.height())
    if not url:
        return full, None
    matrix = qr_matrix(url)
    gap = style.gap
    w, h = size.width(), size.height()
    if w >= h:  # a column on the right
        side = side_modules(matrix) * qr_module(
            style, url, min(int(w * 0.34) - 2 * gap, int(h * 0.6))
        )
        width = max(int(w * 0.24), side + 2 * gap)
        return QRect(0, 0, w - width, h), QRect(w - width, 0, width, h)
    # a row at the bottom
    side = side_modules(matrix) * qr_module(style, url, min(int(w * 0.5), int(h * 0.34) - 2 * gap))
    height = max(int(h * 0.22), side + 2 * gap)
    return QRect(0, 0, w, h - height), QRect(0, h - height, w, height)


WRAP = int(Qt.TextFlag.TextWordWrap)
WRAP_ANYWHERE = int(Qt.TextFlag.TextWrapAnywhere)

# (text, largest pixel size, bold, wrap flags)
TextPart = tuple[str, int, bool, int]
Placed = tuple[QFont, QRect, str, int]


def fit_text(rect: QRect, parts: list[TextPart], floor_px: int) -> list[Placed]:
    """Fonts and places for text parts so that all of them fit `rect`, top to bottom.

    Every part shrinks by the same factor until the whole fits, never below `floor_px`.
    """
    scale = 1.0
    while True:
        placed: list[Placed] = []
        y = rect.top()
        for text, px, bold, flags in parts:
            f = font(max(floor_px, int(px * scale)), bold)
            metrics = QFontMetrics(f)
            bound = metrics.boundingRect(QRect(0, 0, rect.width(), 100_000), flags, text)
            placed.append((f, QRect(rect.left(), y, rect.width(), bound.height()), text, flags))
            y += bound.height() + metrics.height() // 2
        if y - rect.top() <= rect.height() or all(
            int(px * scale) <= floor_px for _, px, *_ in parts
        ):
            return placed
        scale *= 0.9


def draw_placed(painter: QPainter, placed: list[Placed], shift: int, align: int = 0) -> None:
    for f, rect, words, flags in placed:
        painter.setFont(f)
        painter.drawText(rect.translated(0, shift), flags | align, words)


def block_height(placed: list[Placed]) -> int:
    return placed[-1][1].bottom() - placed[0][1].top() if placed else 0


def fitting_px(
    text: str, area: QRect, panel: Panel, largest_mm: float, smallest_mm: float, bold: bool = True
) -> int:
    """The largest font size from `largest_mm` down to `smallest_mm` of Hangul glyph at which
    `text` fits `area`, wrapped at words (the smallest, if none does: the end of a very long
    text may be cut, never shrunk past reading from afar)."""
    largest = font_px_for_glyph(panel, largest_mm, HANGUL_GLYPH_PER_PX)
    smallest = font_px_for_glyph(panel, smallest_mm, HANGUL_GLYPH_PER_PX)
    px = largest
    while px > smallest:
        needed = QFontMetrics(font(px, bold)).boundingRect(
            area, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), text
        )
        if needed.height() <= area.height() and needed.width() <= area.width():
            return px
        px = max(smallest, round(px * 0.92))
    return smallest


def paint_band(
    painter: QPainter,
    band: QRect,
    left: tuple[str, int],
    right: tuple[str, int],
    colour: QColor,
    margin: int,
) -> None:
    """A signage band's words, (text, font px) at its left and right, bold, in `colour` (the
    band itself is filled by the caller: its colour says what the slide is)."""
    inner = band.adjusted(margin, 0, -margin, 0)
    painter.setPen(colour)
    for (words, px), side in (
        (left, Qt.AlignmentFlag.AlignLeft),
        (right, Qt.AlignmentFlag.AlignRight),
    ):
        painter.setFont(font(px, bold=True))
        painter.drawText(inner, side | Qt.AlignmentFlag.AlignVCenter, words)


def paint_notice_icon(painter: QPainter, box: QRect, fill: QColor, mark: QColor) -> None:
    """The notice's icon: an "i" in a circle (안내), drawn, so no font can lack it."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawEllipse(box)
    side = box.width()
    painter.setBrush(mark)
    dot = side // 8
    painter.drawEllipse(box.center().x() - dot // 2, box.top() + side // 5, dot, dot)
    painter.setPen(QPen(mark, side // 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    x = box.center().x()
    painter.drawLine(x, box.top() + side * 2 // 5, x, box.bottom() - side // 5)


def render_text_slide(item: PlayItem, size: QSize, style: SlideStyle) -> QImage:
    """A notice or the district card as a picture of `size`: signage for 3–5 m. A notice has
    the 온통중구 band at its foot (the 긴급 sign's band rules: same heights and type), its
    "안내" icon and its title and body as large as the slide allows (kiosk.domain.signage)."""
    if item.kind != "notice":
        return render_card(item, size, style)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    background, text = style.colours(item)
    image.fill(background)
    p = style.theme.palette
    panel, gap, tr = style.panel, style.gap, style.translator
    heading_px = font_px_for_glyph(panel, SIGN_HEADING_MM, HANGUL_GLYPH_PER_PX)
    band_h = heading_px * 2 + gap * 2
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    band = QRect(0, size.height() - band_h, size.width(), band_h)
    painter.fillRect(band, QColor(p.primary))
    # A rule in the text's colour: the band stands apart where its colour is the slide's (high
    # contrast).
    painter.fillRect(QRect(0, band.top(), size.width(), max(2, gap // 2)), text)
    district = (
        tr.tr("board.card.district"),
        font_px_for_glyph(panel, SIGN_TIME_MM, HANGUL_GLYPH_PER_PX),
    )
    paint_band(
        painter, band, (tr.tr("app.title"), heading_px), district, QColor(p.on_primary), gap * 4
    )
    margin = gap * 5
    # The top leaves room for the "마지막 업데이트" stamp the stage paints in that corner.
    top = margin + 3 * style.theme.metrics.small_px
    area = QRect(margin, top, size.width() - 2 * margin, band.top() - top - margin)
    title = item.title
    if item.emergency:
        title = f"{tr.tr('board.emergency')} · {title}"
    # The title first, as large as it fits half the area; the body gets what is left.
    icon_side = font_px_for_glyph(panel, SIGN_TEXT_MM, HANGUL_GLYPH_PER_PX)
    words = area.adjusted(icon_side + gap * 3, 0, 0, 0)
    title_px = fitting_px(
        title, words.adjusted(0, 0, 0, -area.height() // 2), panel, SIGN_TEXT_MM, SIGN_TEXT_MIN_MM
    )
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
    title_rect = QFontMetrics(font(title_px, True)).boundingRect(words, flags, title)
    body_area = QRect(
        area.left(),
        title_rect.bottom() + gap * 4,
        area.width(),
        area.bottom() - title_rect.bottom() - gap * 4,
    )
    body_px = (
        fitting_px(item.body, body_area, panel, NOTICE_BODY_MM, NOTICE_BODY_MIN_MM, bold=False)
        if item.body
        else 0
    )
    body_rect = (
        QFontMetrics(font(body_px)).boundingRect(body_area, flags, item.body)
        if item.body
        else QRect()
    )
    # Centred as a block in the space above the band: a short notice sits in the middle.
    used = (body_rect.bottom() if item.body else title_rect.bottom()) - area.top()
    shift = max(0, (area.height() - used) // 2)
    # In the text's colour on the slide's: as clear as the words, in either theme.
    paint_notice_icon(
        painter,
        QRect(area.left(), title_rect.top() + shift, icon_side, icon_side),
        text,
        background,
    )
    painter.setPen(text)
    painter.setFont(font(title_px, bold=True))
    painter.drawText(title_rect.translated(0, shift), flags, title)
    if item.body:
        painter.setFont(font(body_px))
        painter.drawText(body_area.translated(0, shift), flags, item.body)
    painter.end()
    return image


def render_card(item: PlayItem, size: QSize, style: SlideStyle) -> QImage:
    """The district card (nothing scheduled) as a picture of `size`."""
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    background, text = style.colours(item)
    image.fill(background)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    m = style.theme.metrics
    margin = style.gap * 4
    # The top leaves room for the "마지막 업데이트" stamp the stage paints in that corner.
    top = margin + 2 * style.theme.metrics.small_px
    area = QRect(margin, top, size.width() - 2 * margin, size.height() - top - margin)
    parts: list[TextPart] = []
    if item.emergency:
        parts.append((style.translator.tr("board.emergency"), m.title_px, True, WRAP))
    parts.append((item.title, int(m.title_px * 1.6), True, WRAP))
    if item.body:
        parts.append((item.body, int(m.title_px * 1.1), False, WRAP))
    placed = fit_text(area, parts, m.small_px)
    # Centred as a block: a short notice sits in the middle, not at the top.
    shift = max(0, (area.height() - block_height(placed)) // 2)
    painter.setPen(text)
    draw_placed(painter, placed, shift)
    painter.end()
    return image


def render_qr_panel(url: str, size: QSize, style: SlideStyle) -> QImage:
    """The "휴대폰으로 보기" panel: a line of words, the QR code and the address under it."""
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    p = style.theme.palette
    image.fill(QColor(p.window))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    gap = style.gap
    m = style.theme.metrics
    matrix = qr_matrix(url)
    parts: list[TextPart] = [
        (style.translator.tr("board.qr.caption"), m.body_px, True, WRAP),
        (breakable(display_url(url)), m.small_px, False, WRAP),
    ]
    painter.setPen(QColor(p.text))
    centre = int(Qt.AlignmentFlag.AlignHCenter)
    if size.width() < size.height() * 1.2:  # a column beside a landscape picture
        width = size.width() - 2 * gap
        caption, address = (
            fit_text(QRect(gap, 0, width, size.height()), [part], m.small_px) for part in parts
        )
        # The words first: the code takes what height is left (large text, a short stage).
        left = size.height() - block_height(caption) - block_height(address) - 6 * gap
        module = qr_module(style, url, min(width, int(size.height() * 0.6), left))
        side = side_modules(matrix) * module
        total = block_height(caption) + side + block_height(address) + 4 * gap
        y = max(gap, (size.height() - total) // 2)
        draw_placed(painter, caption, y, centre)
        y += block_height(caption) + 2 * gap
        paint_qr(painter, (size.width() - side) // 2, y, matrix, module)
        y += side + 2 * gap
        draw_placed(painter, address, y, centre)
    else:  # a row under a portrait picture: the code on the left, the words beside it
        fit = min(size.height() - 2 * gap, int(size.width() * 0.5))
        module = qr_module(style, url, fit)
        side = side_modules(matrix) * module
        x = gap * 2
        paint_qr(painter, x, (size.height() - side) // 2, matrix, module)
        left = x + side + gap * 2
        area = QRect(left, gap, size.width() - left - gap * 2, size.height() - 2 * gap)
        placed = fit_text(area, parts, m.small_px)
        draw_placed(painter, placed, max(0, (area.height() - block_height(placed)) // 2))
    painter.end()
    return image
