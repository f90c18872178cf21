"""Where the bars' buttons stand: rows across a portrait window, or a rail down a landscape one.

On a portrait window the top bar holds the district name and 직원 호출 in one row, and the
bottom bar 위로 / 아래로, 이전, 도움·설정 and 처음으로 in one row where their words fit, else
위로 / 아래로 over the other three. On a landscape window both bars move into a rail at the
right, at most a quarter of the width, so that the working area keeps the whole height and
three quarters of the width; when even that cannot hold them, they go across as on a portrait
window.

Only arithmetic on sizes and grid layouts: the buttons themselves are made in
kiosk.ui.shell.bars, which puts the layouts chosen here into the bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QVBoxLayout, QWidget

from kiosk.ui.icons import IconLine
from kiosk.ui.theme import Metrics


@dataclass(frozen=True)
class BarArrangement:
    """The bars' contents and where they stand.

    Attributes:
        top: the top bar's grid (brand, 직원 호출).
        bottom: the bottom bar's grid (scrolling, 이전, 도움·설정, 처음으로).
        rail_shape: "column" (one part over the other) or "" (across).
        rail_px: the rail's width; 0 without one (the working area is narrower by it).
    """

    top: QGridLayout
    bottom: QGridLayout
    rail_shape: str = ""
    rail_px: int = 0
    # The bottom bar's rows across, each its grid and buttons (none in a rail): fitted
    # again to the buttons each shows (fit_row).
    rows: tuple[tuple[QGridLayout, tuple[QWidget, ...]], ...] = ()


@dataclass(frozen=True)
class BarLayout:
    """The sizes the bars are laid out for: the theme's metrics, the window's size and the
    height controls may use (낮은 화면's band, or the whole window)."""

    metrics: Metrics
    width: int
    height: int
    room: int
    # Whether the window's top lies above a seated resident's reach while 낮은 화면 is off
    # (kiosk.domain.a11y.low_screen): 도움·설정, which switches it on, then stands low.
    settings_low: bool = False

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def arrange(self, top_items: list[QWidget], bottom_items: list[QWidget]) -> BarArrangement:
        """The rail on a landscape window when it fits, else rows across. `top_items` are the
        brand and 직원 호출, `bottom_items` 위로, 아래로, 이전, 도움·설정 and 처음으로."""
        railed = self.rail(top_items, bottom_items) if self.landscape else None
        if railed is not None:
            return railed
        top, bottom, rows = self.rows(top_items, bottom_items)
        return BarArrangement(top, bottom, rows=rows)

    def button_pad(self) -> int:
        """What a bar button needs around its words: inner margins and the focus frame."""
        m = self.metrics
        return 2 * m.button_margin_px + 2 * m.focus_px + 2

    def rows(
        self, top_items: list[QWidget], bottom_items: list[QWidget]
    ) -> tuple[QGridLayout, QGridLayout, tuple[tuple[QGridLayout, tuple[QWidget, ...]], ...]]:
        """The bars across the window (portrait, or landscape when the rail does not fit): a
        slim header with the district name; under the working area 위로 / 아래로 and 직원 호출
        over 이전, 도움·설정 and 처음으로, each as wide as its words ask (so that none needs a
        second line where they can all have one). Two rows of buttons in all: at 200 % text
        on a 낮은 화면 band three would leave the working area under three quarters."""
        m = self.metrics
        brand, staff = top_items
        up, down, back, settings, home = bottom_items
        # Toward the working area the 2.5 mm gap between the bars' buttons and the screen's;
        # a quarter of the usual gap toward the window's edge: height counts.
        edge, inner = m.gap_px // 4, least_gap_px(m)
        top = QGridLayout()
        top.setContentsMargins(m.gap_px, edge, m.gap_px, edge)
        top.addWidget(brand, 0, 0)
        bottom = QGridLayout()
        bottom.setContentsMargins(m.gap_px, inner, m.gap_px, edge)
        bottom.setSpacing(inner)
        rows = []
        for row, items in enumerate(((up, down, staff), (back, settings, home))):
            line = QGridLayout()
            line.setSpacing(m.gap_px)
            for column, item in enumerate(items):
                line.addWidget(item, 0, column)
            self.fit_row(line, items)
            bottom.addLayout(line, row, 0)
            rows.append((line, items))
        return top, bottom, tuple(rows)

    def fit_row(self, line: QGridLayout, items: Sequence[QWidget]) -> None:
        """One row of the bottom bar for the buttons it shows now (a screen hides 위로 /
        아래로 or 이전): their icons where they fit (fit_icons), and the row's width shared out
        by their words' length; a hidden button's column takes none."""
        shown = [item for item in items if not item.isHidden()]
        self.fit_icons(shown, self.width - 2 * self.metrics.gap_px)
        for column, item in enumerate(items):
            whole, longest = text_widths(item) if item in shown else (-self.button_pad(), 0)
            line.setColumnStretch(column, whole + self.button_pad())
            # The stretch shares the width out by the words' length; never below the longest
            # word and its icon (the grid may not honour the button's own minimum).
            line.setColumnMinimumWidth(column, longest + self.button_pad() if longest else 0)

    def fit_icons(self, items: Sequence[QWidget], room: int) -> None:
        """The buttons of one row keep their icons where they cost no line: where all the
        words stay on one line with them, or, when some words wrap anyway, where each one's
        longest word and its icon fit beside the others'; full size, else small (a row of
        three at 200 %). Else the icons go and the words keep the room (a word never breaks,
        a bar never grows for an icon)."""
        gaps = self.metrics.gap_px * (len(items) - 1)
        pad = self.button_pad()

        def icons(shown: bool, small: bool = False) -> None:
            for item in items:
                for line in item.findChildren(IconLine):
                    line.show_icon(shown, small=small)

        def need(which: int, icons: bool) -> int:
            return sum(text_widths(i, icons=icons)[which] + pad for i in items) + gaps

        for small in (False, True):
            icons(True, small)
            if need(0, True) <= room:
                return
            if need(0, False) > room and need(1, True) <= room:
                return
        icons(False)

    def rail(self, top_items: list[QWidget], bottom_items: list[QWidget]) -> BarArrangement | None:
        """The bars as a rail down the right of a landscape window, where rows across would
        cost the working area its height. Read from the top: the 온통중구 header and 도움·설정
        (apart: used once a visit); at the foot, where a step's own action bar ends, 위로 /
        아래로 (side by side when they fit), then 이전, 직원 호출 and 처음으로 together, 처음으로
        in the corner as on a portrait window. Where the window's top lies above a seated
        resident's reach (`settings_low`), 도움·설정 heads the foot instead, so that 낮은 화면
        can be switched on from below.

        Its width: where every button's words stand on one line (with their icons where that
        keeps the rail within a fifth of the window), never narrower than its longest word
        nor wider than a quarter of the window: a label never wraps where a quarter of the
        window holds it on one line (the rail once took the narrowest width that fitted the
        height, and 직원 호출 wrapped at 200 %). None when nothing fits."""
        gap = self.metrics.gap_px
        pad = self.button_pad()
        brand, staff = top_items
        up, down, back, settings, home = bottom_items
        heads, firsts = ([brand], []) if self.settings_low else ([brand], [settings])
        leads = [settings] if self.settings_low else []
        # 이전 over 직원 호출: a screen with its own 이전 hides the rail's, and 직원 호출 and
        # 처음으로 stay where they were.
        lasts = [back, staff, home]
        singles = [staff, back, settings, home]
        most = self.width // 4 - 2 * gap
        # The district's name on one line: at the body size of 100 % where the rail is too
        # narrow for it at its own (its second line would cost the rail a button's height).
        if text_widths(brand)[0] + 2 * gap > most:
            compact_brand(brand)
        # Never narrower than the longest word of a button or of the district's name (in its
        # band): the icons go where they do not fit as well.
        bare = [text_widths(item, icons=False)[1] for item in singles]
        floor = max(max(bare) + pad, text_widths(brand)[0] + 2 * gap, 2 * pad + gap)

        def grids(inner: int) -> tuple[QGridLayout, QGridLayout]:
            return (
                self.rail_grid(heads, firsts, [], [], inner, foot=False),
                self.rail_grid([], leads, [up, down], lasts, inner, foot=True),
            )

        def fits(inner: int) -> bool:
            top, bottom = grids(inner)
            heights = (grid_height(top, inner), grid_height(bottom, inner))
            for layout in (top, bottom):
                while layout.takeAt(0) is not None:
                    pass
            return sum(heights) <= self.room

        def icons(shown: bool) -> None:
            for item in [*singles, up, down]:
                for line in item.findChildren(IconLine):
                    line.show_icon(shown)

        if floor > most:
            return None
        icons(True)
        with_icon = max(floor, *(text_widths(item)[0] + pad for item in singles))
        lines = [text_widths(item, icons=False)[0] + pad for item in singles]
        bare_line = max(floor, *lines)
        # Every button's words on one line: with their icons where they leave the rail
        # within a fifth of the window (the keypads and keyboards beside a step's words need
        # the rest) or no wider than it is without them, else all without (one rail, one
        # look), within a quarter.
        inner = None
        if with_icon <= max(self.width // 5 - 2 * gap, bare_line) and fits(with_icon):
            inner = with_icon
        elif bare_line <= most:
            icons(False)
            inner = bare_line if fits(bare_line) else None
        if inner is None:
            # Words that wrap whatever the width (between words, never within one): without
            # icons, the narrowest rail that fits the height and still holds on one line
            # every label a quarter of the window can.
            icons(False)
            lo = max(floor, *(w for w in lines if w <= most))
            if lo <= most and fits(most):
                hi = most
                while lo < hi:
                    mid = (lo + hi) // 2
                    lo, hi = (lo, mid) if fits(mid) else (mid + 1, hi)
                inner = hi
        if inner is None:
            icons(True)
            return None
        top, bottom = grids(inner)
        return BarArrangement(top, bottom, "column", inner + 2 * gap)

    def rail_grid(
        self,
        heads: list[QWidget],
        before: list[QWidget],
        pairs: list[QWidget],
        after: list[QWidget],
        inner: int,
        *,
        foot: bool = False,
    ) -> QGridLayout:
        """One part of the rail, `inner` pixels wide within its margins, on a grid of two
        equal columns: `heads` and the buttons of `before` and `after` across it, those of
        `pairs` two to a row when their words fit, one to a row when not. The part's own
        height beyond its buttons' goes to an empty row above them at the rail's `foot`, below
        them at its head: a button is never stretched taller than its words need (the
        buttons of one rail stood at unequal heights, by what the screen before had shown)."""
        gap = self.metrics.gap_px
        layout = QGridLayout()
        layout.setContentsMargins(gap, gap, gap, gap)
        layout.setSpacing(gap)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 1)
        longest = max([0, *(text_widths(w)[1] for w in pairs)]) + self.button_pad()
        span = 2 if 2 * longest + gap > inner else 1
        row = 1 if foot else 0
        for widget in [*heads, *before]:
            layout.addWidget(widget, row, 0, 1, 2)
            row += 1
        first_pair = row
        for i, widget in enumerate(pairs):
            if span == 2 or i % 2 == 0:
                row = first_pair + (i if span == 2 else i // 2)
            layout.addWidget(widget, row, 0 if span == 2 else i % 2, 1, span)
        if pairs:
            row += 1
        for widget in after:
            layout.addWidget(widget, row, 0, 1, 2)
            row += 1
        layout.setRowStretch(0 if foot else row, 1)
        return layout


def compact_brand(block: QWidget) -> None:
    """The district's name in `block` at its compact size (the stylesheet's `compact`)."""
    for lab in block.findChildren(QLabel):
        if lab.property("role") == "brand":
            lab.setProperty("compact", True)
            lab.style().unpolish(lab)
            lab.style().polish(lab)


def least_gap_px(metrics: Metrics) -> int:
    """The gap of 2.5 mm (kiosk.domain.a11y.MIN_GAP_MM) in pixels, from the theme's 4 mm gap
    (rounded up, and a pixel more for the rounding of the gap itself)."""
    return -(-metrics.gap_px * 25 // 40) + 1


def text_widths(item: QWidget, *, icons: bool = True) -> tuple[int, int]:
    """Pixel widths of the words an item shows: all on one line, and its longest word (with
    what a label keeps beside its words, an icon's room, unless `icons` is False: a line
    too narrow for its icon drops it). An icon's room counts whether or not the line shows
    it now: a line's icon goes or comes back at its next resize, so what it shows now may
    be what the layout before gave it room for (the same screen's bar came out otherwise
    after another screen than alone)."""
    whole = longest = 0
    for lab in [item] if isinstance(item, QLabel) else item.findChildren(QLabel):
        lab.ensurePolished()
        metrics = lab.fontMetrics()
        text = lab.text()
        if isinstance(lab, IconLine):
            beside = lab.icon_room() if icons else 0
        else:
            margins = lab.contentsMargins()
            beside = margins.left() + margins.right() if icons else 0
        whole = max(whole, metrics.horizontalAdvance(text) + beside)
        words = text.split() if lab.wordWrap() else [text]
        longest = max([longest, *(metrics.horizontalAdvance(w) + beside for w in words)])
    return whole, longest


def grid_height(layout: QGridLayout, inner: int) -> int:
    """The height a grid of two equal columns needs, `inner` pixels wide within its margins,
    from its widgets' own (before it is laid out)."""
    margins = layout.contentsMargins()
    gap = layout.spacing()
    column = (inner - gap) // 2
    rows: dict[int, int] = {}
    for i in range(layout.count()):
        # PySide6's stub says object; it is (row, column, row span, column span).
        row, _, _, span = cast(tuple[int, int, int, int], layout.getItemPosition(i))
        item = layout.itemAt(i)
        widget = item.widget() if item is not None else None
        if widget is None:
            continue
        widget.ensurePolished()  # the style sheet sets its minimum height
        width = column * span + gap * (span - 1)
        height = widget.heightForWidth(width) if widget.hasHeightForWidth() else -1
        height = max(height, widget.sizeHint().height() if height < 0 else 0)
        rows[row] = max(rows.get(row, 0), height, widget.minimumHeight())
    return margins.top() + margins.bottom() + sum(rows.values()) + gap * max(0, len(rows) - 1)


def replace_content(bar: QWidget, layout: QLayout) -> None:
    """Give `bar` new contents; the old ones are deleted once the current event is over."""
    holder = bar.layout()
    if holder is None:
        holder = QVBoxLayout(bar)
        holder.setContentsMargins(0, 0, 0, 0)
    while (item := holder.takeAt(0)) is not None:
        old = item.widget()
        if old is not None:
            old.hide()
            old.deleteLater()
    content = QWidget()
    content.setLayout(layout)
    holder.addWidget(content)
    content.show()
