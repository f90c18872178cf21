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
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLabel, QScrollArea, QWidget

from kiosk.domain.paging import page_holding, page_starts, rows_of
from kiosk.ui.flow import ChoiceButton
from kiosk.ui.images import ImageView
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.widgets import label


class Pages(QWidget):
    """`items` in `columns` equal columns, a page of rows at a time.

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
        # Under the rows; on a landscape window in a column beside them, where the width to
        # spare is (the height is what a page lacks there).
        self.beside = env.landscape
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        self.controls = QWidget()
        self.controls.setObjectName("pageControls")
        row = QBoxLayout(down if self.beside else across, self.controls)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(spacing)
        row.addWidget(self.previous, 1)
        row.addWidget(self.count, 0)
        row.addWidget(self.next, 1)
        self.controls.hide()
        box = QBoxLayout(across if self.beside else down, self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(spacing)
        box.addLayout(self.grid, 1)
        top = Qt.AlignmentFlag.AlignTop if self.beside else Qt.AlignmentFlag(0)
        box.addWidget(self.controls, 0, top)
        self.starts: tuple[int, ...] = (0,)
        self.page = 0
        self._built: dict[ImageView, tuple[int, int]] = {}

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
        cell = max(1, (width - self.spacing * (self.columns - 1)) // self.columns)
        heights = []
        for w in self._row(row):
            if isinstance(w, ChoiceButton):
                w.place_chosen(cell)
            height = w.heightForWidth(cell) if w.hasHeightForWidth() else w.sizeHint().height()
            if isinstance(w, ChoiceButton) and w.multiple and not w.selected:
                height += _chosen_word_px(w)
            heights.append(height)
        return max(heights)

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

    def _restore_pictures(self) -> None:
        """Every picture as it was built (before a fit to another room)."""
        for item in self.items:
            for view in item.findChildren(ImageView):
                if view not in self._built:
                    self._built[view] = (view.maximumHeight(), view.minimumWidth())
                height, width = self._built[view]
                view.setFixedHeight(height)
                view.setMinimumWidth(width)
                view.show()

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
                    continue
                view.setFixedHeight(new)
                view.setMinimumWidth(round(view.minimumWidth() * new / max(1, old)))

    def fit(self, room: int, width: int) -> None:
        """Break the rows into pages that each fit `room` pixels at `width`, controls
        included, and show the page holding the first item to show."""
        self._restore_pictures()
        if self.columns != self.built_columns:
            self._lay_out(self.built_columns)
        heights = [self._row_height(r, width) for r in range(self.rows)]
        reserve = self._one_chosen_word_px()  # after the rows placed their chosen words
        room -= reserve
        whole = sum(heights) + self.spacing * max(0, len(heights) - 1)
        # Pictures a third lower, if that is all it takes to show every row on one page.
        pictures = [self._picture_px(r) for r in range(self.rows)]
        if room < whole <= room + sum(pictures) // 3:
            for row, picture in enumerate(pictures):
                self._shrink_pictures(row, -(-(whole - room) * picture // sum(pictures)))
            whole = room
        if whole <= room:
            self.starts = (0,)
        else:
            controls = self.controls.sizeHint()
            if self.beside:  # the controls' column narrows the rows: fewer columns may fit
                width -= controls.width() + self.spacing
                while self.columns > 1 and self._too_narrow(width):
                    self._lay_out(self.columns - 1)
                heights = [self._row_height(r, width) for r in range(self.rows)]
                room += reserve - self._one_chosen_word_px()  # narrower: words may go under
            else:
                room -= controls.height() + self.spacing
            for row, height in enumerate(heights):
                if height > room:
                    self._shrink_pictures(row, height - room)
                    heights[row] = self._row_height(row, width)
            self.starts = page_starts(heights, room, self.spacing)
        self.show_page(page_holding(self.starts, self._first_item // self.columns))

    def show_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        shown = rows_of(self.page, self.starts, self.rows)
        for i, item in enumerate(self.items):
            item.setVisible(i // self.columns in shown)
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
        if first is not None:
            words.append(first.accessibleName() or _words_of(first))
        self.env.shell.voice.say(words, interrupt=False)
        # The new page is read from its top.
        holder = self.parentWidget()
        while holder is not None and not isinstance(holder, QScrollArea):
            holder = holder.parentWidget()
        if isinstance(holder, QScrollArea):
            holder.verticalScrollBar().setValue(0)


def _words_of(widget: QWidget) -> str:
    """What a card without an accessible name shows: its labels' words, top to bottom."""
    return " ".join(
        lab.text() for lab in widget.findChildren(QLabel) if lab.isVisibleTo(widget) and lab.text()
    )


def _chosen_word_px(choice: ChoiceButton) -> int:
    """How much taller `choice` grows when chosen (the chosen word under its answer; none
    where it stands beside a one-line answer)."""
    if choice.chosen_beside:
        return 0
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
    screen's other parts leave them."""
    # (Not those a new order replaced: hidden, they wait for their deletion.)
    pages = [each for each in screen.findChildren(Pages) if not each.isHidden()]
    if not pages or viewport.height() <= 1:
        return
    box = screen.box
    margins = box.contentsMargins()
    width = viewport.width() - margins.left() - margins.right()
    for each in pages:
        each.hide()  # measured without them, to give them what is left
        _measure_again(each, screen)
    others = screen.heightForWidth(viewport.width())
    if others < 0:
        others = screen.sizeHint().height()
    for each in pages:
        each.show()
        each.fit(viewport.height() - others - box.spacing(), width)
        _measure_again(each, screen)
    box.activate()


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
