"""Where the bars' buttons stand: rows across a portrait window, or a rail down a landscape one.

On a portrait window the top bar's items stand in as many columns as fit, the voice controls
under them, and the bottom bar holds 위로 / 아래로 over 이전, 낮은 화면 and 처음으로. On a
landscape window both bars move into a rail at the right, so that the working area keeps the
whole height (as rows they left it 40 % at 200 % text); when even the rail cannot hold them
(200 % text with the voice controls on a 16:9 panel), they go across as on a portrait window.

Only arithmetic on sizes and grid layouts: the buttons themselves are made in
kiosk.ui.shell.bars, which puts the layouts chosen here into the bars.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QVBoxLayout, QWidget

from kiosk.ui.theme import Metrics
from kiosk.ui.widgets import columns_for, grid


@dataclass(frozen=True)
class BarArrangement:
    """The bars' contents and where they stand.

    Attributes:
        top: the top bar's grid (brand, settings, 직원 호출; the voice controls when shown).
        bottom: the bottom bar's grid (scrolling, 이전, 낮은 화면, 처음으로).
        rail_shape: "column" (one part over the other), "stacks" (side by side) or "" (across).
        rail_px: the rail's width; 0 without one (the working area is narrower by it).
    """

    top: QGridLayout
    bottom: QGridLayout
    rail_shape: str = ""
    rail_px: int = 0


@dataclass(frozen=True)
class BarLayout:
    """The sizes the bars are laid out for: the theme's metrics, the window's size and the
    height controls may use (낮은 화면's band, or the whole window)."""

    metrics: Metrics
    width: int
    height: int
    room: int

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def arrange(
        self,
        top_items: list[QWidget],
        voice_controls: list[QWidget],
        shown: list[QWidget],
        bottom_items: list[QWidget],
    ) -> BarArrangement:
        """The rail on a landscape window when it fits, else rows across. `voice_controls`
        are made even while voice guidance is off (the rail keeps room for their words);
        `shown` are those on screen."""
        railed = (
            self.rail(top_items, voice_controls, shown, bottom_items) if self.landscape else None
        )
        if railed is not None:
            return railed
        top, bottom = self.rows(top_items, shown, bottom_items)
        return BarArrangement(top, bottom)

    def button_pad(self) -> int:
        """What a bar button needs around its words: inner margins and the focus frame."""
        m = self.metrics
        return 2 * m.button_margin_px + 2 * m.focus_px + 2

    def rows(
        self, top_items: list[QWidget], voice_controls: list[QWidget], bottom_items: list[QWidget]
    ) -> tuple[QGridLayout, QGridLayout]:
        """The bars across the window (portrait, or landscape when the rail does not fit):
        the top bar's items in as many columns as fit, the voice controls under them;
        위로 / 아래로 over 이전, 낮은 화면 and 처음으로."""
        m = self.metrics
        up, down, back, low, home = bottom_items
        top = self.top_row(top_items)
        if top is None:
            columns = columns_for(self.width - 2 * m.gap_px, m.body_px * 6, most=len(top_items))
            top = grid(top_items, columns, m.gap_px)
        # A quarter of the usual gap above and below on a short window: height counts there.
        edge = m.gap_px // 4 if self.landscape else m.gap_px
        top.setContentsMargins(m.gap_px, edge, m.gap_px, edge)
        if voice_controls:
            most = columns_for(self.width - 2 * m.gap_px, m.body_px * 5, most=4)
            controls = grid(voice_controls, most, m.gap_px)
            top.addLayout(controls, top.rowCount(), 0, 1, top.columnCount())
        bottom = QGridLayout()
        bottom.setContentsMargins(m.gap_px, m.gap_px, m.gap_px, m.gap_px)
        # One gap (4 mm) between the rows on a short window, where height counts.
        bottom.setSpacing(m.gap_px if self.landscape else m.gap_px * 2)
        # 이전 left, 처음으로 right as before; 낮은 화면 between them; three equal columns.
        bottom.addWidget(up, 0, 0, 1, 2)
        bottom.addWidget(down, 0, 2, 1, 2)
        bottom.addWidget(back, 1, 0)
        bottom.addWidget(low, 1, 1, 1, 2)
        bottom.addWidget(home, 1, 3)
        for column, stretch in enumerate((2, 1, 1, 2)):
            bottom.setColumnStretch(column, stretch)
        return top, bottom

    def top_row(self, items: list[QWidget]) -> QGridLayout | None:
        """The top bar in one row, on a wide and short window where rows cost the working area
        its height: each item as wide as its words ask, never narrower than its longest word.
        None when they do not fit side by side."""
        m = self.metrics
        if not self.landscape:
            return None
        pad = self.button_pad()
        widths = [text_widths(item) for item in items]
        needed = sum(longest + pad for _, longest in widths) + m.gap_px * (len(items) + 1)
        if needed > self.width:
            return None
        # Each column gets its longest word, then a share of what is left by what it would
        # take on one line; the stretch factors carry those widths.
        spare = self.width - needed
        extra = [max(0, whole - longest) for whole, longest in widths]
        total = max(1, sum(extra))
        row = grid(items, len(items), m.gap_px)
        for column, ((_, longest), more) in enumerate(zip(widths, extra, strict=True)):
            row.setColumnStretch(column, longest + pad + spare * more // total)
        return row

    def rail(
        self,
        top_items: list[QWidget],
        voice_controls: list[QWidget],
        shown: list[QWidget],
        bottom_items: list[QWidget],
    ) -> BarArrangement | None:
        """The bars as a rail down the right of a landscape window, where rows across would
        cost the working area its height. The top bar's part (the voice controls two by two
        under 음성 안내) and the bottom bar's (위로 / 아래로 side by side when they fit) stand
        one over the other in a column up to a third of the window wide, else side by side
        (at 100 % text the ten buttons are already taller than a 1080 px window); the
        narrowest that fits the height, from about two lines a label. None when neither
        fits (200 % text with the voice controls on a 16:9 window): the bars then go across
        as on a portrait window."""
        gap = self.metrics.gap_px
        pad = self.button_pad()
        brand, *buttons = top_items
        up, down, *foot = bottom_items
        singles = [text_widths(item) for item in [*buttons, *foot]]
        # The voice controls count even while off: the rail keeps its width when they show.
        pairs = [text_widths(item) for item in [up, down, *voice_controls]]
        floor = max(
            max(longest for _, longest in singles) + pad, text_widths(brand)[0], 2 * pad + gap
        )
        natural = max(
            max(whole for whole, _ in singles) + pad, 2 * (max(w for w, _ in pairs) + pad) + gap
        )

        # 음성 설정 heads the lower part: the upper one is the taller at large text.
        def fits(shape: str, inner: int, controls: list[QWidget]) -> bool:
            top = self.rail_grid([brand], buttons, [], [], inner)
            bottom = self.rail_grid(controls, [], [up, down], foot, inner)
            heights = (grid_height(top, inner), grid_height(bottom, inner))
            for layout in (top, bottom):
                while layout.takeAt(0) is not None:
                    pass
            return (sum(heights) if shape == "column" else max(heights)) <= self.room

        # Room for the voice controls even while they are off, where there is room for them:
        # the working area then keeps its width when they show. That area is never narrower
        # than the window is tall, as on the portrait panel every screen is made for.
        tries: list[list[QWidget]] = [voice_controls] if shown else [voice_controls, []]
        for controls in tries:
            for shape, parts, most in (
                ("column", 1, self.width // 3),
                ("stacks", 2, (self.width - self.height) // 2),
            ):
                lo = max(floor, min(natural // 2, most - 2 * gap))
                hi = max(lo, min(natural, most - 2 * gap))
                if lo + 2 * gap > most or not fits(shape, hi, controls):
                    continue
                while lo < hi:  # the narrowest that fits
                    mid = (lo + hi) // 2
                    lo, hi = (lo, mid) if fits(shape, mid, controls) else (mid + 1, hi)
                return BarArrangement(
                    self.rail_grid([brand], buttons, [], [], hi),
                    self.rail_grid(shown, [], [up, down], foot, hi),
                    shape,
                    (hi + 2 * gap) * parts,
                )
        return None

    def rail_grid(
        self,
        heads: list[QWidget],
        before: list[QWidget],
        pairs: list[QWidget],
        after: list[QWidget],
        inner: int,
    ) -> QGridLayout:
        """One part of the rail, `inner` pixels wide within its margins, on a grid of two
        equal columns: `heads` and the buttons of `before` and `after` across it, those of
        `pairs` two to a row when their words fit, one to a row when not."""
        gap = self.metrics.gap_px
        layout = QGridLayout()
        layout.setContentsMargins(gap, gap, gap, gap)
        layout.setSpacing(gap)
        layout.setColumnStretch(0, 1)
        layout.setColumnStretch(1, 1)
        longest = max([0, *(text_widths(w)[1] for w in pairs)]) + self.button_pad()
        span = 2 if 2 * longest + gap > inner else 1
        row = 0
        for widget in [*heads, *before]:
            layout.addWidget(widget, row, 0, 1, 2)
            row += 1
        for i, widget in enumerate(pairs):
            if span == 2 or i % 2 == 0:
                row += i > 0
            layout.addWidget(widget, row, 0 if span == 2 else i % 2, 1, span)
        row += bool(pairs)
        for widget in after:
            layout.addWidget(widget, row, 0, 1, 2)
            row += 1
        return layout


def text_widths(item: QWidget) -> tuple[int, int]:
    """Pixel widths of the words an item shows: all on one line, and its longest word."""
    whole = longest = 0
    for lab in [item] if isinstance(item, QLabel) else item.findChildren(QLabel):
        lab.ensurePolished()
        metrics = lab.fontMetrics()
        text = lab.text()
        whole = max(whole, metrics.horizontalAdvance(text))
        words = text.split() if lab.wordWrap() else [text]
        longest = max([longest, *(metrics.horizontalAdvance(w) for w in words)])
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
