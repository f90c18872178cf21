"""`Pages`: a long list of choices shown a page at a time instead of scrolled (issue 17, item 2).

The items stand in a grid of equal columns. Once the shell has laid the screen out it calls
`fit_pages`: each page then holds the rows that fit the working area with the screen's other
parts, and under them stand large 이전 쪽 / 다음 쪽 and the count ("2 / 5쪽"), which says that
more follows. Where everything fits there is one page and no controls. Where the rows break
is kiosk.domain.paging's arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QGridLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QWidget,
)

from kiosk.domain.paging import page_holding, page_starts, rows_of
from kiosk.ui.flow import ChoiceButton
from kiosk.ui.images import ImageView
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.text_px import advance
from kiosk.ui.widgets import ONE_LINE_OR_TWO, label, step_down


class Pages(QWidget):
    """`items` in `columns` equal columns, a page of rows at a time.

    Items taller than their words need (a home tile's min-height) are made lower by `lower`
    (item, True; item, False undoes it) where that is all it takes for every row to stand on
    one page.

    Attributes:
        page: the page shown (from 0); starts: the first row of each page.
        previous, next, count: the page controls (shown only where there are two pages or
            more).
        on_turn: called with the first item shown after a turn (to open there again after a
            rebuild).
    """

    def __init__(
        self,
        env: ScreenEnv,
        items: Sequence[QWidget],
        columns: int,
        spacing: int,
        *,
        first_item: int = 0,
        on_turn: Callable[[int], None] | None = None,
        lower: Callable[[QWidget, bool], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("pages")
        self.env = env
        self.items = list(items)
        self.columns = max(1, columns)
        self.spacing = spacing
        self.on_turn = on_turn
        self._first_item = first_item
        self.grid = QGridLayout()
        self.grid.setSpacing(spacing)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.built_columns = self.columns
        self._lay_out(self.columns)
        self.previous = env.button(env.tr("paging.previous"), name="pagePrevious")
        self.next = env.button(env.tr("paging.next"), name="pageNext")
        self.count = label("", "strong", wrap=False, name="pageCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous.clicked.connect(lambda _=False: self.turn(-1))
        self.next.clicked.connect(lambda _=False: self.turn(1))
        # Under the rows; on a landscape window beside them, where the width to spare is
        # (the height is what a page lacks there).
        self.box = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        self.box.addLayout(self.grid, 1)
        self.controls = QWidget()
        self.place_controls(beside=env.landscape)
        self.starts: tuple[int, ...] = (0,)
        self.page = 0
        # How far the tallest row still reaches past the room a page had at the last fit
        # (0: every card fits its page; the audit holds it), and whether a card had to leave
        # out its picture or some of its words to fit.
        self.overflow = 0
        self.squeezed = False
        self.beside_words = False  # the screen's words stand beside the pages (fit_pages)
        self._moved_under = False  # the controls under the rows: beside, they were too high
        self._built: dict[ImageView, tuple[int, int]] = {}
        self._clamped: dict[QLabel, str] = {}  # shortened words → their whole text
        # Not `self.lower`: that is QWidget.lower(), which sends a widget under its siblings.
        self.lower_item = lower
        self._lowered = False
        # The screen's words above the pages that stand on the first page only (fit_pages:
        # where a card and the page controls would not fit under them), and their height.
        self.lead: list[QWidget] = []
        self.lead_px = 0
        self.lead_width = 0  # the width they stand in
        self.lead_gap = 0  # the screen's spacing between them
        self._left_out: set[QWidget] = set()  # lead words left out to fit the first page
        self._at_lead = True  # the first page on show (to open there again after a refit)

    def place_controls(self, *, beside: bool, low: bool = False) -> None:
        """Put the page controls beside the rows (a landscape window) or under them (a
        portrait one, or the rows beside the screen's words). Beside them they stand one
        under the other, or, `low`, the count over 이전 쪽 and 다음 쪽 side by side (a page
        lower than the three)."""
        if getattr(self, "_placed", None) == (beside, low):
            return
        self._placed = (beside, low)
        self.beside = beside
        old = self.controls
        self.controls = QWidget()
        self.controls.setObjectName("pageControls")
        controls: QGridLayout | QBoxLayout
        if beside and not low:
            controls = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.controls)
            controls.addWidget(self.previous, 1)
            controls.addWidget(self.count, 0)
            controls.addWidget(self.next, 1)
        elif beside:
            controls = QGridLayout(self.controls)
            controls.addWidget(self.count, 0, 0, 1, 2)
            controls.addWidget(self.previous, 1, 0)
            controls.addWidget(self.next, 1, 1)
        else:
            controls = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.controls)
            controls.addWidget(self.previous, 1)
            controls.addWidget(self.count, 0)
            controls.addWidget(self.next, 1)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(self.spacing)
        self.controls.setVisible(old.isVisibleTo(self))
        self.box.removeWidget(old)
        old.deleteLater()
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self.box.setDirection(across if beside else down)
        top = Qt.AlignmentFlag.AlignTop if beside else Qt.AlignmentFlag(0)
        self.box.addWidget(self.controls, 0, top)

    def _lay_out(self, columns: int) -> None:
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 0)
        for item in self.items:
            self.grid.removeWidget(item)
        self.columns = columns
        for i, item in enumerate(self.items):
            self.grid.addWidget(item, i // columns, i % columns)
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)

    def _too_narrow(self, width: int) -> bool:
        """Whether a column at `width` is narrower than an item needs (its longest word)."""
        cell = (width - self.spacing * (self.columns - 1)) // self.columns
        return any(w.minimumSizeHint().width() > cell for w in self.items)

    @property
    def rows(self) -> int:
        return -(-len(self.items) // self.columns)

    @property
    def pages(self) -> int:
        return len(self.starts)

    def page_of(self, widget: QWidget) -> int:
        """The page that shows `widget` (an item, or a part of one; the controls are on
        every page)."""
        for index, item in enumerate(self.items):
            if item is widget or item.isAncestorOf(widget):
                return page_holding(self.starts, index // self.columns)
        return self.page

    def _row(self, row: int) -> list[QWidget]:
        return self.items[row * self.columns : (row + 1) * self.columns]

    def _row_height(self, row: int, width: int) -> int:
        """The row's height at `width`, with the chosen word of a choice among several counted
        (a tap adds it, and every one may be tapped)."""
        cell = self._cell(width)
        return max(self._item_height(w, cell) for w in self._row(row))

    def _controls_height(self, width: int) -> int:
        layout = self.controls.layout()
        assert layout is not None
        layout.invalidate()
        if layout.hasHeightForWidth():
            return layout.totalHeightForWidth(width)
        return self.controls.sizeHint().height()

    def _cell(self, width: int) -> int:
        return max(1, (width - self.spacing * (self.columns - 1)) // self.columns)

    @staticmethod
    def _item_height(item: QWidget, cell: int) -> int:
        if isinstance(item, ChoiceButton):
            item.place_chosen(cell)
        # Each layout of the card forgets the height it had for a width, and the card the
        # minimum size its layout gave it (a picture or words it held may have changed).
        outer = item.layout()
        if outer is not None:
            for layout in (outer, *outer.findChildren(QLayout)):
                layout.invalidate()
        if outer is not None and outer.hasHeightForWidth():
            height = outer.totalHeightForWidth(cell)
            # A minimum height of its own (the stylesheet's min-height, a home tile's), not
            # the one its layout set (at the narrowest the card may be, far too tall).
            if item.minimumHeight() != outer.totalMinimumSize().height():
                height = max(height, item.minimumHeight())
        else:
            height = item.heightForWidth(cell) if item.hasHeightForWidth() else -1
            height = height if height >= 0 else item.sizeHint().height()
        if isinstance(item, ChoiceButton) and item.multiple and not item.selected:
            height += _chosen_word_px(item, cell)
        return height

    def _one_chosen_word_px(self) -> int:
        """Room for the chosen word of one radio card: only one of them shows it at a time,
        so it is kept once a page, not once a row (which paged four short answers at 200 %)."""
        return max(
            (
                _chosen_word_px(w)
                for w in self.items
                if isinstance(w, ChoiceButton) and not w.multiple and not w.selected
            ),
            default=0,
        )

    def _picture_px(self, row: int) -> int:
        return max(
            (v.maximumHeight() for w in self._row(row) for v in w.findChildren(ImageView)),
            default=0,
        )

    def _restore(self) -> None:
        """Every picture and every card's words as they were built (before a fit to another
        room)."""
        for words, whole in self._clamped.items():
            words.setText(whole)
            words.show()
        self._clamped.clear()
        self._left_out.clear()
        if self._lowered and self.lower_item is not None:
            for item in self.items:
                self.lower_item(item, False)
            self._lowered = False
            self.grid.invalidate()
        for item in self.items:
            for view in item.findChildren(ImageView):
                if view not in self._built:
                    self._built[view] = (view.maximumHeight(), view.minimumWidth())
                height, width = self._built[view]
                view.setFixedHeight(height)
                view.setMinimumWidth(width)
                view.show()

    def _fit_pictures(self, row: int, room: int, width: int, *, least: int) -> None:
        """Give each picture of a row's cards too high for `room` the largest height, from its
        built height down to `least` of it (a fraction: 2 is half), at which its card fits;
        where none does, half its height (`least` 2: the words shorten next), or no picture
        (`least` 3: too small to tell what it shows). A picture beside words counts what it
        takes of their width, measured, not reckoned."""
        cell = self._cell(width)
        for item in self._row(row):
            for view in item.findChildren(ImageView):
                if self._item_height(item, cell) <= room or not view.isVisibleTo(item):
                    continue
                built = self._built[view][0]
                low = built // least
                if not self._fits_with(item, view, low, cell, room):
                    if least > 2:
                        view.hide()
                        self.squeezed = True
                    continue
                good, bad = low, built + 1  # the largest height that fits, by halves
                while bad - good > 4:
                    middle = (good + bad) // 2
                    fits = self._fits_with(item, view, middle, cell, room)
                    good, bad = (middle, bad) if fits else (good, middle)
                self._fits_with(item, view, good, cell, room)

    def _fits_with(self, item: QWidget, view: ImageView, height: int, cell: int, room: int) -> bool:
        """Whether `item` fits `room` at `cell` wide with its picture `view` `height` high
        (left so)."""
        built, wide = self._built[view]
        view.setFixedHeight(height)
        view.setMinimumWidth(round(wide * height / max(1, built)))
        return self._item_height(item, cell) <= room

    def _half_pictures(self, row: int, room: int, width: int) -> None:
        self._fit_pictures(row, room, width, least=2)

    def _third_pictures(self, row: int, room: int, width: int) -> None:
        self._fit_pictures(row, room, width, least=3)

    def _shrink_pictures(self, row: int, over: int) -> None:
        """Make the pictures of a row too tall for a page `over` pixels lower, or leave them
        out below a third of their height: the words of a card matter more than its
        picture."""
        for item in self._row(row):
            for view in item.findChildren(ImageView):
                old = view.maximumHeight()
                new = old - over
                if new < old // 3:  # too small to tell what it shows
                    view.hide()
                    self.squeezed = True
                    continue
                view.setFixedHeight(new)
                view.setMinimumWidth(round(view.minimumWidth() * new / max(1, old)))

    def _clamp_words(self, row: int, room: int, width: int, *, main: bool = False) -> None:
        """Shorten the words of a row's cards still too tall for a page. First the words that
        tell more (not a card's first line, its name or a review's question, nor a strong
        line, e.g. a project's cost or a review's answer), the last first: each to one line
        ending in "…", then, if that is not enough, left out. `main`: those others, the first
        line first, shortened to one line at the least and never left out, and only where
        that makes the card fit. Never the chosen word, nor a button's words in the card
        (고치기: left out, the button is no lower). Their whole text stays in the card's
        accessible name, which the voice reads."""
        cell = self._cell(width)
        for item in self._row(row):
            words = [
                w
                for w in item.findChildren(QLabel)
                if w.wordWrap()
                and w.isVisibleTo(item)
                and w.objectName() != "chosenWord"
                and not _in_button(w, item)
            ]
            parts = [
                w for i, w in enumerate(words) if main == (i == 0 or w.property("role") == "strong")
            ]
            whole = {part: part.text() for part in parts}
            for part in parts if main else reversed(parts):
                while self._item_height(item, cell) > room and not _one_line(part, item, cell):
                    kept = part.text().removesuffix(ELLIPSIS).split()
                    part.setText(" ".join(kept[:-1]) + ELLIPSIS)
            if main and self._item_height(item, cell) > room:  # no use: as they were
                for part, text in whole.items():
                    part.setText(text)
                continue
            for part in reversed(parts):
                if not main and self._item_height(item, cell) > room:
                    part.hide()
                if part.text() != whole[part] or part.isHidden():
                    self._clamped.setdefault(part, whole[part])
                    self.squeezed = True

    def _clamp_main_words(self, row: int, room: int, width: int) -> None:
        self._clamp_words(row, room, width, main=True)

    def fit(self, room: int, width: int, *, under: bool = False) -> None:
        """Break the rows into pages that each fit `room` pixels at `width`, controls
        included, and show the page holding the first item to show. Page controls too high
        for the room beside the rows go `under` them, where they have the width."""
        given = (room, width)
        self._restore()
        if self._moved_under and not under:  # beside the rows again, unless still too high
            self._moved_under = False
            self.place_controls(beside=True)
        if self.columns != self.built_columns:
            self._lay_out(self.built_columns)
        if self.beside_words:  # beside the screen's words: as many columns as hold every word
            cell = self._cell(width)
            while self.columns > 1 and any(need_px(w) > cell for w in self.items):
                self._lay_out(self.columns - 1)
                cell = self._cell(width)
        heights = [self._row_height(r, width) for r in range(self.rows)]
        reserve = self._one_chosen_word_px()  # after the rows placed their chosen words
        room -= reserve
        whole = sum(heights) + self.spacing * max(0, len(heights) - 1)
        if whole > room and self.lower_item is not None:
            whole = self._lower_all(heights, room, width)
        if self.lead:  # on one page with the words above them, or the words have a page
            whole += self.lead_px + self.spacing
        # Pictures a third lower, if that is all it takes to show every row on one page.
        pictures = [self._picture_px(r) for r in range(self.rows)]
        if room < whole <= room + sum(pictures) // 3:
            for row, picture in enumerate(pictures):
                self._shrink_pictures(row, -(-(whole - room) * picture // sum(pictures)))
            whole = room
        self.overflow = 0
        self.squeezed = False
        if whole <= room:
            self.starts = (0,)
        else:
            if self.beside:
                stacked = 2 * self.previous.sizeHint().height() + self.count.sizeHint().height()
                low = room < stacked + 2 * self.spacing
                self.place_controls(beside=True, low=low)
                rest = width - self.controls.sizeHint().width() - self.spacing
                if low and max(need_px(item) for item in self.items) > rest:
                    self.place_controls(beside=True)  # side by side they leave too little
            controls = self.controls.sizeHint()
            if self.beside:  # the controls' column narrows the rows: fewer columns may fit
                width -= controls.width() + self.spacing
                while self.columns > 1 and self._too_narrow(width):
                    self._lay_out(self.columns - 1)
                heights = [self._row_height(r, width) for r in range(self.rows)]
                room += reserve - self._one_chosen_word_px()  # narrower: words may go under
            else:  # under the rows, as high as they are at the rows' width
                room -= self._controls_height(width) + self.spacing
            # A row too high for a page: its pictures lower, to half their height; then the
            # words that tell more shorten; then the pictures take the largest height that
            # fits, down to a third (left out below: too small to tell what they show); then
            # a card's name and strong lines shorten. Each card keeps its picture where it
            # can, and its name and strong lines always.
            gives = (
                self._half_pictures,
                self._clamp_words,
                self._third_pictures,
                self._clamp_main_words,
            )
            for row in range(self.rows):
                for give in gives:
                    if heights[row] > room:
                        give(row, room, width)
                        heights[row] = self._row_height(row, width)
            if self.lead:  # the words first, as a row of the first page
                # With the first row under them: where the content continues, part of it
                # shows (the words shortened, else left out, rather than a page of words).
                first = min(heights[0], room) + self.spacing
                if self.lead_px + first > room:
                    self._shorten_lead(room - first)
                starts = page_starts([self.lead_px, *heights], room, self.spacing)
                self.starts = tuple(max(0, start - 1) for start in starts)
                heights = [*heights, self.lead_px]
            else:
                self.starts = page_starts(heights, room, self.spacing)
            tallest = max([*heights, controls.height()]) if self.beside else max(heights)
            self.overflow = max(0, tallest - room)
            if self.beside and controls.height() > room and not under:
                self.place_controls(beside=False)
                self._moved_under = True
                self.fit(*given, under=True)
                return
        if self.lead and self._at_lead:
            self.show_page(0)
        else:
            self.show_page(page_holding(self.starts, self._first_item // self.columns))

    def _lead_height(self) -> int:
        width = self.width() if self.lead_width <= 0 else self.lead_width
        return sum(
            _height_at(w, width) + self.lead_gap for w in self.lead if w not in self._left_out
        )

    def _shorten_lead(self, room: int) -> None:
        """Shorten the words on the first page only where they alone are too high for a page,
        the last first: each to one line ending in "…", then, if that is not enough, left
        out. (They are the screen's lesser words: a hint, a count; the title and the
        question stay whole.)"""
        width = self.lead_width
        parts = [
            words
            for widget in self.lead
            for words in ([widget] if isinstance(widget, QLabel) else widget.findChildren(QLabel))
            # (The parts themselves are hidden while the pages are measured: fit_pages.)
            if words.wordWrap() and words.text() and (words is widget or not words.isHidden())
        ]
        for part in reversed(parts):
            while self._lead_height() > room and advance(part.font(), part.text()) > width:
                self._clamped.setdefault(part, part.text())
                self.squeezed = True
                words = part.text().removesuffix(ELLIPSIS).split()
                if len(words) < 2:
                    break
                part.setText(" ".join(words[:-1]) + ELLIPSIS)
        for part in reversed(parts):
            if self._lead_height() > room:
                self._clamped.setdefault(part, part.text())
                self.squeezed = True
                self._left_out.add(part)
                part.hide()
        self.lead_px = self._lead_height()

    def _lower_all(self, heights: list[int], room: int, width: int) -> int:
        """Every item made lower, if then every row stands in `room`: the rows' whole height
        (else as they were, and their whole height as it was)."""
        assert self.lower_item is not None
        was = sum(heights) + self.spacing * max(0, len(heights) - 1)
        for item in self.items:
            self.lower_item(item, True)
        self._lowered = True
        lowered = [self._row_height(r, width) for r in range(self.rows)]
        whole = sum(lowered) + self.spacing * max(0, len(lowered) - 1)
        if whole > room:
            for item in self.items:
                self.lower_item(item, False)
            self._lowered = False
            return was
        heights[:] = lowered
        # Laid out at the new heights now, as the shell's fit is (not when posted events come):
        # the tiles would keep their old height at the new rows' places, one over the next.
        self.grid.invalidate()
        self.box.activate()
        return whole

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        shown = rows_of(self.page, self.starts, self.rows)
        for i, item in enumerate(self.items):
            item.setVisible(i // self.columns in shown)
        if self.lead:  # (a fit without them, before fit_pages tries them, keeps it)
            self._at_lead = self.page == 0
        for words in self.lead:
            words.setVisible(self._at_lead and words not in self._left_out)
        paged = self.pages > 1
        self.controls.setVisible(paged)
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < self.pages - 1)
        self.count.setText(self.env.tr("paging.count", page=self.page + 1, pages=self.pages))
        self.count.setAccessibleName(self.count.text())
        self._first_item = shown.start * self.columns

    def turn(self, way: int) -> None:
        """이전 쪽 (-1) or 다음 쪽 (1). With voice on, the new page's place ("2 / 5쪽") and its
        first item are read aloud, after the tapped button's name."""
        self.show_page(self.page + way)
        if self.on_turn is not None:
            self.on_turn(self._first_item)
        first = self.items[self._first_item] if self._first_item < len(self.items) else None
        words = [self.count.text()]
        if self.page == 0 and self.lead:  # the screen's words first
            words += [w.text() if isinstance(w, QLabel) else _words_of(w) for w in self.lead]
        if first is not None and first.isVisibleTo(self):
            words.append(first.accessibleName() or _words_of(first))
        self.env.shell.voice.say(words, interrupt=False)
        # The new page is read from its top.
        holder = self.parentWidget()
        while holder is not None and not isinstance(holder, QScrollArea):
            holder = holder.parentWidget()
        if isinstance(holder, QScrollArea):
            holder.verticalScrollBar().setValue(0)


ELLIPSIS = "…"


def _one_line(words: QLabel, card: QWidget, cell: int) -> bool:
    """Whether `words` stand on one line in `card` at `cell` pixels wide: the card's frame
    around them (margins, mark) taken from where they were last laid out."""
    laid_out = 0 < words.width() < card.width()
    frame = card.width() - words.width() if laid_out else cell // 5
    text = words.text()
    return " " not in text or advance(words.font(), text) <= cell - frame


def _in_button(words: QLabel, card: QWidget) -> bool:
    """Whether `words` are a button's inside `card` (not the card's own)."""
    holder = words.parentWidget()
    while holder is not None and holder is not card:
        if isinstance(holder, QAbstractButton):
            return True
        holder = holder.parentWidget()
    return False


def need_px(widget: QWidget, frame: int | None = None) -> int:
    """The width `widget` needs to show each word of its wrapping words whole (Korean and
    English wrap at spaces only): its longest word, and what it frames its words with
    (`frame`, else measured where it was laid out)."""
    if widget.objectName() == ONE_LINE_OR_TWO:  # its words go one under the other if need be
        parts = [w for w in widget.findChildren(QLabel) if not w.isHidden()]
        return max((need_px(w, 0) for w in parts), default=0)
    least = widget.minimumSizeHint().width()
    words = [widget] if isinstance(widget, QLabel) else widget.findChildren(QLabel)
    words = [w for w in words if w.wordWrap() and w.text() and not w.isHidden()]
    if not words:
        return least
    for w in words:
        w.ensurePolished()  # in the stylesheet's font
    if frame is None:
        frame = 0 if isinstance(widget, QLabel) else _frame_px(widget, words)
    widest = max(advance(w.font(), word) for w in words for word in w.text().split())
    margins = words[0].contentsMargins()
    return max(least, widest + frame + margins.left() + margins.right() + 2)


def _frame_px(widget: QWidget, words: list[QLabel]) -> int:
    """How much wider `widget` is than its widest words, as last laid out."""
    inner = max(w.width() for w in words)
    if 0 < inner < widget.width():
        return widget.width() - inner
    layout = widget.layout()  # not laid out yet: its margins at least
    margins = layout.contentsMargins() if layout is not None else widget.contentsMargins()
    return margins.left() + margins.right() + 8


def _words_of(widget: QWidget) -> str:
    """What a card without an accessible name shows: its labels' words, top to bottom."""
    return " ".join(
        lab.text() for lab in widget.findChildren(QLabel) if lab.isVisibleTo(widget) and lab.text()
    )


def _chosen_word_px(choice: ChoiceButton, cell: int | None = None) -> int:
    """How much taller `choice` grows when chosen (the chosen word under its answer; none
    where it stands beside a one-line answer; measured at `cell` pixels wide where it
    stands under a picture beside the words)."""
    if choice.chosen_beside:
        return 0
    layout = choice.layout()
    if cell is not None and layout is not None and layout.hasHeightForWidth():
        word = choice.chosen_label
        shown = word.isVisibleTo(choice)
        heights = []
        for visible in (False, True):
            word.setVisible(visible)
            for each in (layout, *layout.findChildren(QLayout)):
                each.invalidate()
            heights.append(layout.totalHeightForWidth(cell))
        word.setVisible(shown)
        return heights[1] - heights[0]
    return choice.chosen_label.sizeHint().height() + choice.box.spacing()


def pages_of(widget: QWidget) -> Pages | None:
    """The pages `widget` stands on, if any."""
    holder = widget.parentWidget()
    while holder is not None and not isinstance(holder, Pages):
        holder = holder.parentWidget()
    return holder


class FitOnResize(QObject):
    """Fits the pages of the screen shown again whenever the working area changes size (the
    window turns, a bar gains or loses a row)."""

    def __init__(self, area: QScrollArea, current: Callable[[], Screen | None]) -> None:
        super().__init__(area)
        self.area = area
        self.current = current
        self._fitting = False
        area.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and not self._fitting:
            screen = self.current()
            if screen is not None and screen.findChildren(Pages):
                self.fit(screen)
        return False

    def fit(self, screen: Screen) -> None:
        self._fitting = True
        try:
            fit_pages(screen, self.area.viewport().size())
        finally:
            self._fitting = False


def turn_to_shown(root: QWidget, name: str) -> QWidget | None:
    """The widget called `name` on another page of a list on show, its page turned to (a
    lesson pointing at it); None when there is none."""
    for widget in root.findChildren(QWidget, name):
        pages = pages_of(widget)
        if pages is not None and pages.isVisibleTo(root):
            pages.show_page(pages.page_of(widget))
            return widget
        for each in root.findChildren(Pages):  # on the first page only (fit_pages)
            if any(part is widget or part.isAncestorOf(widget) for part in each.lead):
                each.show_page(0)
                return widget
    return None


def refit(screen: Screen) -> None:
    """Fit the pages of `screen` again after it changed them (a new order of a list), if it
    is on show in the working area."""
    area = screen.parentWidget()
    if area is not None and area.objectName() == "screenHolder":  # the window's (KioskWindow)
        area = area.parentWidget()  # the scrolling area's viewport
    if screen.isVisible() and area is not None:
        fit_pages(screen, area.size())


def fit_pages(screen: Screen, viewport: QSize) -> None:
    """Give the pages of `screen` (laid out in a working area of `viewport`) the room the
    screen's other parts leave them (`_fit_questions`). Where on a portrait window a card and
    the page controls still do not fit under the screen's words (a low working area: 낮은
    화면 at 200 %), the words above the pages other than the title and the question (a hint,
    a count) stand on the first page only, above its cards or as a page of their own, and
    every page has their room (`lead_words`). What can be tapped (a list's filters, a menu's
    tabs, a cart) stays on every page, with the list it acts on."""
    # (Not those a new order replaced: hidden, they wait for their deletion.)
    pages = [each for each in screen.findChildren(Pages) if not each.isHidden()]
    if not pages or viewport.height() <= 1:
        return
    for each in pages:  # the words back above the pages, to measure them again
        for words in each.lead:
            words.show()
        each.lead, each.lead_px = [], 0
    _tight(screen, False)
    _fit_questions(screen, pages, viewport)
    if len(pages) != 1 or not pages[0].overflow or screen.env.landscape:
        return
    if screen.findChild(QWidget, HEAD_COLUMN) is not None:
        return
    shown = pages[0]
    lead = lead_words(screen, shown)
    if not lead:
        return
    before = shown.overflow
    shown.lead = lead
    _tight(screen, True)
    _fit_questions(screen, pages, viewport)
    if shown.overflow < before:
        return
    for words in lead:  # no better: the words above every page, as they were
        words.show()
    shown.lead, shown.lead_px = [], 0
    _tight(screen, False)
    _fit_questions(screen, pages, viewport)


def _tight(screen: Screen, tight: bool) -> None:
    """The screen's margins above and below its parts a third as high and the gaps between
    them half (`tight`: a page so low that its words go on the first page only), or as the
    screen set them."""
    box = screen.box
    roomy = screen.property("roomyMargins")
    if roomy is None:
        roomy = (box.contentsMargins().top(), box.spacing())
        screen.setProperty("roomyMargins", roomy)
    margins = box.contentsMargins()
    high = roomy[0] // 3 if tight else roomy[0]
    box.setContentsMargins(margins.left(), high, margins.right(), high)
    box.setSpacing(roomy[1] // 2 if tight else roomy[1])


def lead_words(screen: Screen, pages: Pages) -> list[QWidget]:
    """The parts of the screen that may stand on the first page of `pages` only: the words
    shown above them, nothing that can be tapped; never the title or the question (which say
    where the resident is and what to answer, on every page), nor a problem's message."""
    box = screen.box
    at = box.indexOf(_holder(screen, pages))
    lead = []
    parts: list[QWidget] = []
    for index in range(at):
        item = box.itemAt(index)
        if item is None:
            continue
        inner, widget = item.layout(), item.widget()
        if widget is not None:
            parts.append(widget)
        elif inner is not None:  # a row of the box (a sign and a band)
            row = [inner.itemAt(i) for i in range(inner.count())]
            parts += [w for part in row if part is not None and (w := part.widget()) is not None]
    for widget in parts:
        if widget.isHidden():
            continue
        buttons = isinstance(widget, QAbstractButton) or widget.findChildren(QAbstractButton)
        labels = [widget] if isinstance(widget, QLabel) else widget.findChildren(QLabel)
        if buttons or not labels:
            continue
        if any(w.property("role") in ("title", "question", "error") for w in labels):
            continue
        lead.append(widget)
    return lead


def _fit_questions(screen: Screen, pages: list[Pages], viewport: QSize) -> None:
    """Fit `pages` in what the screen's other parts leave them (`_fit_pages`). Where the
    answers still overflow their page or take more than one, the step's question stands a
    step lower (at the title's size, still the largest words on the screen), if that fits
    them on fewer pages or lets them fit at all."""
    questions = [
        q
        for q in screen.findChildren(QLabel)
        if q.property("role") == "question" and not any(p.isAncestorOf(q) for p in pages)
    ]
    step_down(questions, False)
    _fit_pages(screen, pages, viewport)
    if not questions or screen.findChild(QWidget, HEAD_COLUMN) is not None:
        return
    before = (pages[0].overflow, pages[0].pages)
    if before == (0, 1):
        return
    step_down(questions, True)
    _fit_pages(screen, pages, viewport)
    if (pages[0].overflow, pages[0].pages) < before:
        return
    step_down(questions, False)  # no better: the question as large as it was
    _fit_pages(screen, pages, viewport)


def _fit_pages(screen: Screen, pages: list[Pages], viewport: QSize) -> None:
    """Fit `pages` of `screen` as fit_pages says. On a landscape window, where a card would
    not fit whole under the screen's words (its picture or some of its words left out), the
    words move to a column left of the pages, which then have the working area's whole
    height."""
    box = screen.box
    margins = box.contentsMargins()
    width = viewport.width() - margins.left() - margins.right()
    column = screen.findChild(QWidget, HEAD_COLUMN)
    if column is None and len(pages) == 1 and screen.env.landscape and screen.words_beside_pages:
        room = _fit(screen, pages, viewport, width)
        if not (pages[0].squeezed or pages[0].overflow):
            return
        holder = _holder(screen, pages[0])
        head = _head_px(screen, holder)
        # The narrowest column that holds the words in the height the pages would get.
        tall = room + head(width) + box.spacing()
        shown = pages[0]
        shown._restore()  # every word a card may show counts
        laid_out = next(item for item in shown.items if item.isVisible())
        words = [w for w in laid_out.findChildren(QLabel) if w.wordWrap() and w.isVisible()]
        frame = _frame_px(laid_out, words) if words else 0
        card = max(need_px(item, frame) for item in shown.items)
        narrowest = max(
            card,  # (a column, fewer where they are narrower: Pages.fit_beside_words)
            need_px(shown.previous)
            + need_px(shown.next)
            + shown.count.sizeHint().width()
            + 2 * shown.spacing,  # the page controls under the rows
        )
        share = next(
            (
                s
                for s in range(3, 8)
                if head(_part(width, box, s)) <= tall
                and _part(width, box, 10 - s) >= narrowest * 11 // 10  # (measures are rough)
            ),
            None,
        )
        if share is None:
            _fit(screen, pages, viewport, width)  # as before the words were measured
            return
        column = _head_beside(screen, holder, share)
    if column is not None:
        pages[0].place_controls(beside=False)  # the width is what the pages lack now
        pages[0].beside_words = True
        column.hide()  # beside the pages: not above them
        width = _part(width, box, 10 - int(column.property("share")))
    _fit(screen, pages, viewport, width)
    if column is not None:
        column.show()
        box.activate()


HEAD_COLUMN = "headColumn"


def _part(width: int, box: QBoxLayout, tenths: int) -> int:
    """The width of a column of a row of two with `tenths` of `width`."""
    return (width - box.spacing()) * tenths // 10


def _holder(screen: Screen, pages: Pages) -> QWidget:
    """The child of `screen` that holds `pages` (or they themselves)."""
    holder: QWidget = pages
    while holder.parentWidget() is not screen:
        parent = holder.parentWidget()
        assert parent is not None
        holder = parent
    return holder


def _head_px(screen: Screen, holder: QWidget) -> Callable[[int], int]:
    """How high what stands above `holder` in the screen's box is at a width."""
    box = screen.box
    parts = [part for i in range(box.indexOf(holder)) if (part := box.itemAt(i)) is not None]

    def height(width: int) -> int:
        """(Too high to hold where a part needs more than `width`.)"""
        total = 0
        for part in parts:
            widget = part.widget()
            if widget is not None and widget.isHidden():
                continue
            if widget is not None and need_px(widget) > width:
                return 1 << 30
            high = part.heightForWidth(width) if part.hasHeightForWidth() else -1
            total += high if high >= 0 else part.sizeHint().height()
            total += box.spacing()
        return total

    return height


def _fit(screen: Screen, pages: list[Pages], viewport: QSize, width: int) -> int:
    """Fit `pages` at `width` in what the screen's other parts leave of `viewport`; the
    room that left."""
    box = screen.box
    for each in pages:
        each.hide()  # measured without them, to give them what is left
        _measure_again(each, screen)
        # Without the words on the first page only: each page has the room they leave
        # (measured whole: shortened at the last fit, they are again).
        each._restore()
        each.lead_px = sum(_height_at(words, width) + box.spacing() for words in each.lead)
        each.lead_gap, each.lead_width = box.spacing(), width
        for words in each.lead:
            words.hide()
    others = screen.heightForWidth(viewport.width())
    if others < 0:
        others = screen.sizeHint().height()
    room = viewport.height() - others - box.spacing()
    for each in pages:
        each.show()
        each.fit(room, width)
        _measure_again(each, screen)
    box.activate()
    return room


def _height_at(widget: QWidget, width: int) -> int:
    widget.ensurePolished()
    high = widget.heightForWidth(width) if widget.hasHeightForWidth() else -1
    return high if high >= 0 else widget.sizeHint().height()


def _head_beside(screen: Screen, holder: QWidget, share: int) -> QWidget:
    """Move what stands above `holder` in the screen's box into a column at its left, with
    `share` tenths of the width; the column (named HEAD_COLUMN)."""
    box = screen.box
    at = box.indexOf(holder)
    column = QWidget()
    column.setObjectName(HEAD_COLUMN)
    column.setProperty("share", share)
    words = QBoxLayout(QBoxLayout.Direction.TopToBottom, column)
    words.setContentsMargins(0, 0, 0, 0)
    words.setSpacing(box.spacing())
    for _ in range(at):
        item = box.takeAt(0)
        if item is None:
            break
        widget, layout = item.widget(), item.layout()
        if widget is not None:
            words.addWidget(widget)
        elif layout is not None:
            words.addLayout(layout)
        else:
            words.addItem(item)
    words.addStretch(1)
    box.removeWidget(holder)
    row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
    row.setSpacing(box.spacing())
    row.addWidget(column, share)
    row.addWidget(holder, 10 - share)
    box.insertLayout(0, row)
    return column


def _measure_again(widget: QWidget, screen: Screen) -> None:
    """Forget the sizes the layouts from `widget` up to `screen` remember (a layout of a
    screen not yet on show learns of a change only at its next event)."""
    holder: QWidget | None = widget
    while holder is not None:
        holder.updateGeometry()
        layout = holder.layout()
        if layout is not None:
            layout.invalidate()
        holder = None if holder is screen else holder.parentWidget()
    for index in range(screen.box.count()):  # (a row of the screen's box keeps its own)
        item = screen.box.itemAt(index)
        inner = item.layout() if item is not None else None
        if inner is not None:
            inner.invalidate()
