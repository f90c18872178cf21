"""Icons of the home tiles and the main actions, from Tabler Icons (MIT, vendored in
assets/icons/tabler), drawn with QtSvg in the colour of the words beside them and as tall as
they are: an icon never stands alone, it helps the words be found (DESIGN.md, "Look").
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QEvent, QRectF, Qt
from PySide6.QtGui import QFontInfo, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from kiosk.paths import asset_path
from kiosk.ui.text_px import advance

ICON_SET = "tabler"

# What an icon stands for -> the Tabler outline icon drawn for it.
ICONS: dict[str, str] = {
    # The home tiles (kiosk.ui.screens.home.AREAS) and 간편 모드's.
    "surveys": "clipboard-check",
    "proposals": "bulb",
    "budget": "coins",
    "videos": "movie",
    "points": "gift",
    "contest": "trophy",
    # The main actions.
    "next": "arrow-right",
    "back": "arrow-left",
    "home": "home",
    "staff_call": "bell-ringing",
    "settings": "adjustments-horizontal",
    "send": "send",
    "vote": "checkbox",
    "agree": "thumb-up",
    "scroll_up": "chevron-up",
    "scroll_down": "chevron-down",
    "start": "hand-finger",
    "phone": "device-mobile",
    # The 온통중구 header's emblem.
    "district": "building-community",
}

# A primary action (its words' message id: a step's action, a 투표하기 / 공감하기 button) -> its
# icon; "next" for any other.
ACTION_ICONS: dict[str, str] = {
    "survey.review.submit": "send",
    "civic.budget.review.submit": "send",
    "contest.vote.submit": "vote",
    "civic.proposal.agree": "agree",
    "contest.vote": "vote",
    "contest.idea": "send",
    "civic.budget.vote": "vote",
    "budgetproposal.open": "send",
    "budgetproposal.submit": "send",
}


def action_icon(message_id: str) -> str:
    return ACTION_ICONS.get(message_id, "next")


@cache
def svg_source(purpose: str) -> bytes:
    """The icon file for `purpose` (a key of ICONS), as vendored."""
    return asset_path("icons", ICON_SET, f"{ICONS[purpose]}.svg").read_bytes()


@cache
def renderer(purpose: str, colour: str) -> QSvgRenderer:
    """A renderer of the icon whose strokes are `colour` (#RRGGBB)."""
    svg = svg_source(purpose).replace(b"currentColor", colour.encode("ascii"))
    drawn = QSvgRenderer(QByteArray(svg))
    if not drawn.isValid():
        raise ValueError(f"icon {purpose!r} ({ICONS[purpose]}.svg) cannot be drawn")
    return drawn


def paint_icon(painter: QPainter, purpose: str, colour: str, rect: QRectF) -> None:
    renderer(purpose, colour).render(painter, rect)


def icon_px(font_px: int) -> int:
    """An icon's side beside words of `font_px`: about their cap height plus the strokes'
    room, so that the icon reads as part of the line."""
    return max(16, round(font_px * 1.05))


# A small icon's size to a full one's: about the words' cap height, still a clear sign at the
# text sizes where a row of buttons has no room for full ones (200 %).
SMALL_ICON = 0.65


class IconLine(QLabel):
    """A line of words with its icon before them, in the words' colour and at their size.

    The icon stands in the label's left margin, just before the words wherever the alignment
    puts them (a centred line stays centred as a whole), so every measure of the words (the
    room they have, the audit's word breaks) still holds. Where the line is too narrow for its
    longest word and the icon, the icon goes: a word never breaks for it.

    Attributes:
        purpose: which icon (a key of ICONS).
        icon_shown: whether the icon is drawn now.
    """

    def __init__(self, text: str, purpose: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        if purpose not in ICONS:
            raise KeyError(purpose)
        self.purpose = purpose
        self.icon_shown = True
        self.icon_small = False
        self._wanted = True
        # What the margin was last fitted for (_fit_margin): a restyle of the colour only (a
        # button's pressed look) changes none of it, and measures nothing again.
        self._fitted_for: tuple[object, ...] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self._fit_margin()

    def icon_side(self) -> int:
        side = icon_px(QFontInfo(self.font()).pixelSize())
        return max(16, round(side * SMALL_ICON)) if self.icon_small else side

    def show_icon(self, shown: bool, *, small: bool = False) -> None:
        """With or without the icon, `small` (about the words' cap height, SMALL_ICON of
        its size): where a row cannot give the words and their icons room, the words keep
        it (kiosk.ui.shell.bar_layout)."""
        self._wanted = shown
        self.icon_small = small
        self._fit_margin()

    def icon_room(self) -> int:
        """The width the icon takes before the words (the icon and its gap), shown or not."""
        side = self.icon_side()
        return side + max(6, side // 3)

    def _fits(self) -> bool:
        """Whether the longest word and the icon fit the line's width (before it is laid out,
        they are taken to)."""
        if not self.wordWrap() or not self.testAttribute(Qt.WidgetAttribute.WA_Resized):
            return True
        font = self.font()
        widest = max((advance(font, w) for w in self.text().split()), default=0)
        return widest + self.icon_room() <= self.width() + 1

    def _fit_margin(self) -> None:
        resized = self.testAttribute(Qt.WidgetAttribute.WA_Resized)
        fitted_for = (
            self._wanted,
            self.icon_small,
            self.font().key(),
            self.text(),
            self.wordWrap(),
            self.width() if resized else None,
        )
        if fitted_for == self._fitted_for:
            return
        self._fitted_for = fitted_for
        shown = self._wanted and self._fits()
        self.setContentsMargins(self.icon_room() if shown else 0, 0, 0, 0)
        if shown != self.icon_shown:
            self.icon_shown = shown
            self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_margin()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_margin()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self.icon_shown:
            return
        side = float(self.icon_side())
        area = self.contentsRect()
        flags = int(self.alignment()) | (int(Qt.TextFlag.TextWordWrap) if self.wordWrap() else 0)
        words = self.fontMetrics().boundingRect(area, flags, self.text())
        gap = self.contentsMargins().left() - side
        left = max(0.0, words.left() - gap - side)
        top = words.top() + (min(words.height(), self.fontMetrics().height()) - side) / 2
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_icon(painter, self.purpose, colour, QRectF(left, top, side, side))
