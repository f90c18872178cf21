"""The on-screen keyboard: 2-beolsik Hangul, English and numbers pages over `HangulComposer`.

Text fields in the kiosk take input only from this keyboard, so it shows its own large
display of the text (the syllable being composed is underlined) and needs no system input
method. Letter keys are square and sized from the width the keyboard is given; the special
keys (shift, 지우기, 띄어쓰기, pages, and 입력 완료 where no step's 다음 stands by) are wide,
labelled keys below the letters, or beside them on a wide keyboard. The keys take the room
they are given: as large as the width allows, smaller (down to the touch size) where the
height is short.
"""

from __future__ import annotations

import html
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import SIGNAL, QEvent, QObject, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.hangul import HangulComposer
from kiosk.i18n import CATALOGUE, Translator
from kiosk.ui.theme import Metrics
from kiosk.ui.widgets import WrapButton, label

log = logging.getLogger(__name__)

HANGUL, ENGLISH, NUMBERS = "hangul", "english", "numbers"
PAGES = (HANGUL, ENGLISH, NUMBERS)
# Rows of 10, 9 and 7 keys, as on a real keyboard.
LETTER_ROWS: dict[str, tuple[str, str, str]] = {
    HANGUL: ("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅁㄴㅇㄹㅎㅗㅓㅏㅣ", "ㅋㅌㅊㅍㅠㅜㅡ"),
    ENGLISH: ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
    NUMBERS: ("1234567890", ".,?!~-()/", ":'\"@%+*"),
}
HANGUL_SHIFTED = dict(zip("ㅂㅈㄷㄱㅅㅐㅔ", "ㅃㅉㄸㄲㅆㅒㅖ", strict=True))
PAGE_SYMBOLS = {HANGUL: "가나다", ENGLISH: "ABC", NUMBERS: "123"}
# The second and third rows start half a key and a key and a half in, like a real keyboard.
ROW_INDENTS = (0, 1, 3)  # in half keys
LONG_RUN = 12  # a run of characters without a space longer than this may break anywhere


def key_name(translator: Translator, char: str) -> str:
    """What a key is called aloud in the current language: "기역", "에스", "대문자 에스"."""
    if char.isascii() and char.isupper():
        return translator.tr("keyboard.capital", name=key_name(translator, char.lower()))
    message_id = f"keyboard.key.{char}"
    return translator.tr(message_id) if message_id in CATALOGUE else char


def key_gap_px(metrics: Metrics) -> int:
    """Space between keys: at least 2.5 mm, and less than the theme's 4 mm gap.

    gap_px is at least 4 mm, so 5/8 of it is at least 2.5 mm on any panel; keys win the rest.
    """
    return math.ceil(metrics.gap_px * 5 / 8)


def shifted(page: str, char: str) -> str:
    if page == HANGUL:
        return HANGUL_SHIFTED.get(char, char)
    if page == ENGLISH:
        return char.upper()
    return char


@dataclass
class _Row:
    keys: Sequence[QPushButton]
    indent: int  # letter rows: half keys from the left; function rows: -1


# Each key's rectangle, the lines of keys top to bottom, and the height they need.
_Geometry = tuple[dict[QPushButton, QRect], list[list[QPushButton]], int]


class _KeyArea(QWidget):
    """The keys of the keyboard, placed by hand: square letter keys, then the function rows.

    A layout manager cannot keep keys square while they follow the room, so this widget
    computes every key's rectangle from its own width and height: the keys are as large as
    the width allows (10 letters a row), smaller where the height it is given is short, never
    below the touch size. A row of function keys whose words do not fit side by side is split
    over several lines. Its size hint is the height the keys take at full size for the width
    it expects (`width_hint`, then its own), its minimum the height at the touch size: a
    layout short of room gives it less, and the keys shrink to fit.

    Attributes:
        rows: the rows on show as the keyboard defines them (letter rows first).
        lines: the same keys as placed on screen, top to bottom, for arrow-key moves.
        unit: the side of a letter key now, in pixels.
        width_hint: the width the keyboard expects to get, until it gets one.
    """

    def __init__(self, metrics: Metrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.metrics = metrics
        self.gap = key_gap_px(metrics)
        self.rows: list[_Row] = []
        # Geometry by (width, unit): layouts ask the size hints many times while a screen opens.
        self._geometry: dict[tuple[int, int], _Geometry] = {}
        self.lines: list[list[QPushButton]] = []
        self.unit = metrics.target_px
        self.width_hint = self.minimum_width()
        # Wider screens get somewhat larger keys, not a keyboard too tall to fit.
        self.largest_unit = metrics.target_px + metrics.target_px // 8
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_rows(self, rows: list[_Row]) -> None:
        self.rows = rows
        self._geometry.clear()
        self.updateGeometry()
        self._place()

    def minimum_width(self) -> int:
        return 10 * self.metrics.target_px + 9 * self.gap

    def unit_for(self, width: int) -> int:
        fitting = (width - 9 * self.gap) // 10
        return max(self.metrics.target_px, min(fitting, self.largest_unit))

    def beside(self, width: int, unit: int | None = None) -> int:
        """Width of the function keys' block beside the letters at `width` (0: below them)."""
        span = 10 * (unit or self.unit_for(width)) + 9 * self.gap
        room = min(width - span - 3 * self.gap, span * 3 // 4)
        return room if room >= span // 2 else 0

    def _function_lines(
        self, keys: Sequence[QPushButton], span: int
    ) -> list[tuple[list[QPushButton], list[int], int]]:
        """The function keys in lines across `span`: each line's keys, their widths and its
        height. Of the ways to share the keys evenly between lines (3 and 2, not 4 and 1),
        the one that takes the least height: keys whose words fit on one line share the
        line's width by what their words need (kept equal where that fits), others split
        it equally and wrap their words (a key never narrower than its longest word)."""
        best: list[tuple[list[QPushButton], list[int], int]] = [
            ([k], [span], self._line_height([k], [span])) for k in keys
        ]
        for n in range(len(keys), 1, -1):
            per_line = math.ceil(len(keys) / math.ceil(len(keys) / n))
            lines = [list(keys[i : i + per_line]) for i in range(0, len(keys), per_line)]
            placed = []
            for line in lines:
                widths = self._widths(line, span)
                if any(k.minimumSizeHint().width() > w for k, w in zip(line, widths, strict=True)):
                    break
                placed.append((line, widths, self._line_height(line, widths)))
            else:
                if sum(h for *_, h in placed) < sum(h for *_, h in best):
                    best = placed
        return best

    def _widths(self, line: Sequence[QPushButton], span: int) -> list[int]:
        """Widths of `line`'s keys across `span`: equal where each key's words fit on one line
        at that width (or where they do not fit on one line even shared by need), else each
        its words' width and an equal part of what is left."""
        room = span - (len(line) - 1) * self.gap
        equal = room // len(line)
        needs = [k.sizeHint().width() for k in line]
        if max(needs) <= equal or sum(needs) > room:
            return [equal] * len(line)
        spare = (room - sum(needs)) // len(line)
        return [need + spare for need in needs]

    def _line_height(self, line: Sequence[QPushButton], widths: Sequence[int]) -> int:
        heights = [k.heightForWidth(w) for k, w in zip(line, widths, strict=True)]
        return max([self.metrics.target_px, *heights])

    def geometry_for(self, width: int, height: int | None = None) -> _Geometry:
        """Each key's rectangle at `width`, the lines of keys, and the height they need: the
        largest keys whose rows fit in `height` (None: as large as the width allows)."""
        unit = self.unit_for(width)
        fits = self._geometry_at(width, unit)
        while height is not None and fits[2] > height and unit > self.metrics.target_px:
            unit -= 1
            fits = self._geometry_at(width, unit)
        return fits

    def _geometry_at(self, width: int, unit: int) -> _Geometry:
        if (width, unit) not in self._geometry:
            self._geometry[width, unit] = self._compute_geometry(width, unit)
        return self._geometry[width, unit]

    def _compute_geometry(self, width: int, unit: int) -> _Geometry:
        """Each key's rectangle at `width` with letter keys `unit` wide, the lines of keys,
        and the height they need.

        Function keys go below the letters, or beside them when the width leaves room for
        a block at least half as wide as the letters (landscape screens, whose height is
        short).
        """
        span = 10 * unit + 9 * self.gap
        beside = self.beside(width, unit)
        side = beside > 0
        left = max(0, (width - span - (3 * self.gap + beside if side else 0)) // 2)
        pitch = unit + self.gap
        rects: dict[QPushButton, QRect] = {}
        lines: list[list[QPushButton]] = []
        y = 0
        for row in self.rows:
            if row.indent < 0:
                continue
            start = left + round(row.indent * pitch / 2)
            for i, key in enumerate(row.keys):
                rects[key] = QRect(start + i * pitch, y, unit, unit)
            lines.append(list(row.keys))
            y += pitch
        # The function keys as one group: as few lines as their words allow.
        groups = [[k for r in self.rows if r.indent < 0 for k in r.keys]]
        if side:
            block_left, block_width, block_y = left + span + 3 * self.gap, beside, 0
        else:  # as wide as the letters at full size: keys made smaller keep their words' room
            block_width = 10 * self.unit_for(width) + 9 * self.gap
            block_left, block_y = max(0, (width - block_width) // 2), y
        letters_bottom = y
        y = block_y
        for group in groups:
            for line, widths, height in self._function_lines(group, block_width):
                x = block_left
                for key, key_width in zip(line, widths, strict=True):
                    rects[key] = QRect(x, y, key_width, height)
                    x += key_width + self.gap
                lines.append(line)
                y += height + self.gap
        return rects, lines, max(0, max(y, letters_bottom) - self.gap)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = max(self.width_hint, self.minimum_width())
        return QSize(self.minimum_width(), self.geometry_for(width)[2])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = max(self.width_hint, self.minimum_width())
        return QSize(self.minimum_width(), self._geometry_at(width, self.metrics.target_px)[2])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.width() != self.width_hint:
            self.width_hint = self.width()  # the hints follow the width it really has
            self.updateGeometry()
        self._place()

    def event(self, event: QEvent) -> bool:
        # A key's label changed size (restyled, new words): its line may need more room.
        if event.type() == QEvent.Type.LayoutRequest:
            self._geometry.clear()
            self.updateGeometry()
            self._place()
        return super().event(event)

    def _place(self) -> None:
        rects, self.lines, _ = self.geometry_for(self.width(), self.height())
        self.unit = next(iter(rects.values())).width() if rects else self.metrics.target_px
        for key, rect in rects.items():
            key.setGeometry(rect)


def _pass_on_row_keys(event: QKeyEvent) -> bool:
    """Enter, up and down belong to the keyboard, which knows the rows: a button would move
    the focus to the next key in the tab order instead."""
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Up, Qt.Key.Key_Down):
        event.ignore()
        return True
    return False


class _Key(WrapButton):
    """A function key: words that may wrap, as on every other button of the app."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not _pass_on_row_keys(event):
            super().keyPressEvent(event)


class _LetterKey(QPushButton):
    """A letter key: one character drawn by the button itself, with no label inside.

    Its look, letter size included, comes from the application's stylesheet (the `key`
    property). A keyboard has about thirty of them, so they are kept as light as a widget
    can be: a screen with the keyboard must appear within the tap-to-paint budget.
    """

    def __init__(self, char: str, accessible_name: str, parent: QWidget) -> None:
        super().__init__(char, parent)
        self.setProperty("key", "letter")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoDefault(False)
        self.setAccessibleName(accessible_name)

    def text_of_lines(self) -> str:
        return self.text()

    def set_lines(self, texts: Sequence[str]) -> None:
        (text,) = texts
        self.setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if not _pass_on_row_keys(event):
            super().keyPressEvent(event)


Key = _Key | _LetterKey  # what `HangulKeyboard.button` finds


class HangulKeyboard(QWidget):
    """A large on-screen keyboard with its own display; the only way to type in the kiosk.

    Pages: 2-beolsik Hangul (shift for ㄲㄸㅃㅆㅉ and ㅒㅖ), English (shift for capitals) and
    numbers/symbols. Shift is one tap, shown by a thick frame, the word "켜짐" and the
    shifted letters on the keys, and releases itself after one letter. Arrow keys and Tab
    move between keys (left to right, top to bottom); Enter and Space press the focused key.

    Give it the full width of the window where it can: its keys are at least
    `minimum_width(metrics)` wide in all.

    Signals:
        text_changed(str): the text (with the syllable being composed) after any change.
        done(str): 입력 완료 was pressed; the final text. A keyboard made with
            `confirm=False` has no 입력 완료: the step's own 다음 is the one action.

    Attributes:
        composer: the domain object that turns keys into text.
        page: the page on show: "hangul", "english" or "numbers".
        shift_on: whether the next letter is shifted.
    """

    text_changed = Signal(str)
    done = Signal(str)

    def __init__(
        self,
        translator: Translator,
        metrics: Metrics,
        *,
        max_length: int | None = 200,
        multiline: bool = False,
        initial_text: str = "",
        confirm: bool = True,
        compact: bool = False,
        landscape: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("hangulKeyboard")
        self.confirm = confirm
        self.compact = compact
        self.landscape = landscape
        self.translator = translator
        self.metrics = metrics
        self.multiline = multiline
        self.composer = HangulComposer(initial_text, max_length=max_length)
        self.page = HANGUL
        self.shift_on = False
        self._full = False
        # Given less height than its keys need at the touch size (낮은 화면 at large text):
        # the text takes one line with the count beside it, and the keys get the room.
        self.squeezed = False

        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(metrics.gap_px)
        self.display_frame = QFrame()
        self.display_frame.setProperty("role", "card")
        frame_box = QVBoxLayout(self.display_frame)
        pad = metrics.gap_px
        frame_box.setContentsMargins(2 * pad, pad, 2 * pad, pad)
        self.display = label("", "keyboardText")
        self.display.setObjectName("keyboardDisplay")
        self.display.setTextFormat(Qt.TextFormat.RichText)
        self.display.setAccessibleName(translator.tr("keyboard.display"))
        # A fixed number of lines (one fewer on a short landscape screen): keys must not
        # move under the finger as the text grows.
        self.display.installEventFilter(self)
        frame_box.addWidget(self.display)
        self._measure = QLabel()  # never shown: lays out candidate text to see what fits
        self._measure.setWordWrap(True)
        self._measure.setTextFormat(Qt.TextFormat.RichText)
        self.status = label("", "muted")
        self.status.setObjectName("keyboardStatus")
        self.status.setVisible(max_length is not None)  # it only counts towards the limit
        self.status.installEventFilter(self)
        box.addWidget(self.display_frame)
        box.addWidget(self.status)

        self.area = _KeyArea(metrics)
        # Spare height goes below the keys (the area places them at its top), never between
        # them and the text.
        box.addWidget(self.area, 1)
        # A page's letter keys are made the first time it is shown: most residents never
        # leave the Hangul page, and fewer widgets make the screen appear sooner.
        # The Hangul page's keys come first in the focus chain, as they do on screen: a chain
        # set with setTabOrder is not kept when the keyboard is put into its screen.
        self.letter_keys: dict[str, list[_LetterKey]] = {HANGUL: self._letter_keys(HANGUL)}
        self.shift_key = self._function_key("shift", "⇧", "keyboard.shift.hangul")
        self.shift_key.setCheckable(True)
        self.backspace_key = self._function_key("backspace", "⌫", "keyboard.backspace")
        self.space_key = self._function_key("space", "", "keyboard.space")
        self.newline_key = self._function_key("newline", "↵", "keyboard.newline")
        self.page_keys = {
            page: self._function_key(f"page_{page}", PAGE_SYMBOLS[page], f"keyboard.page.{page}")
            for page in PAGES
        }
        self.done_key = self._function_key("done", "✓", "keyboard.done", role="primary")
        self.done_key.setVisible(confirm)
        self.shift_key.clicked.connect(self.on_shift_key_clicked)
        self.backspace_key.clicked.connect(self.on_backspace_key_clicked)
        self.space_key.clicked.connect(self.on_space_key_clicked)
        self.newline_key.clicked.connect(self.on_newline_key_clicked)
        self.done_key.clicked.connect(self.on_done_key_clicked)
        for page, key in self.page_keys.items():
            key.clicked.connect(lambda _=False, page=page: self.show_page(page))
        self.show_page(HANGUL)

    # -- public API -----------------------------------------------------------------------

    @staticmethod
    def minimum_width(metrics: Metrics) -> int:
        """The narrowest the keyboard can be with keys of the minimum touch size."""
        return 10 * metrics.target_px + 9 * key_gap_px(metrics)

    def text(self) -> str:
        return self.composer.text

    def expect_width(self, width: int) -> None:
        """The width the keys will be given (until they are laid out): the keyboard's size
        hints are right from its first layout."""
        self.area.width_hint = width
        self.area.updateGeometry()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        # Its keys follow the height as well as the width: a layout short of room may give
        # it less than its size hint (down to keys of the touch size), which a layout never
        # does to a widget with a height for its width.
        return False

    def set_text(self, text: str) -> None:
        self.composer.set_text(text)
        self._changed()

    def let_go(self) -> None:
        """Nobody listens to it any more (its screen is going; kiosk.ui.widgets.Shelf)."""
        if self.receivers(SIGNAL("text_changed(QString)")) > 0:
            self.text_changed.disconnect()
        if self.receivers(SIGNAL("done(QString)")) > 0:
            self.done.disconnect()

    def start_over(self, *, max_length: int | None, multiline: bool, initial_text: str) -> None:
        """Ready for a new text, as a keyboard just made with these options (a keyboard kept
        by kiosk.ui.widgets.Shelf): the Hangul page, shift off, `initial_text` and nobody
        listening to it yet."""
        self.let_go()
        self.multiline = multiline
        self.composer = HangulComposer(initial_text, max_length=max_length)
        self._full = False
        self.status.setVisible(max_length is not None)
        self.show_page(HANGUL)
        self._reserve_status_lines()

    def clear(self) -> None:
        self.composer.clear()
        self._changed()

    def button(self, name: str) -> Key:
        """The key on show called `name`: a character ("ㄱ", "s", "1") or a special key
        ("shift", "backspace", "space", "newline", "done", "page_english", …)."""
        if len(name) == 1:
            for key in self.letter_keys[self.page]:
                if key.property("char") == name:
                    return key
            raise KeyError(f"no key {name!r} on the {self.page} page")
        found = self.findChild(_Key, f"key_{name}")
        if found is None or found.isHidden():
            raise KeyError(f"no key {name!r} on the {self.page} page")
        return found

    def show_page(self, page: str) -> None:
        """Show the Hangul, English or numbers page; a syllable in progress is finished."""
        # Keep a resident who moves by physical keys at the same place on the new page.
        place = next(
            (
                (n, line.index(key))
                for n, line in enumerate(self.area.lines)
                for key in line
                if key.hasFocus()
            ),
            None,
        )
        self.composer.commit()
        self.page = page
        self.shift_on = False
        if page not in self.letter_keys:
            self.letter_keys[page] = self._letter_keys(page)
        for name, keys in self.letter_keys.items():
            for key in keys:
                key.setVisible(name == page)
        self.shift_key.setVisible(page != NUMBERS)
        self.newline_key.setVisible(self.multiline)
        for name, page_key in self.page_keys.items():
            page_key.setVisible(name != page)
        rows: list[_Row] = []
        keys = self.letter_keys[page]
        start = 0
        for indent, row in zip(ROW_INDENTS, LETTER_ROWS[page], strict=True):
            rows.append(_Row(keys[start : start + len(row)], indent))
            start += len(row)
        first = [self.shift_key] if page != NUMBERS else []
        first += [self.backspace_key, self.space_key]
        first += [self.newline_key] if self.multiline else []
        second = [k for name, k in self.page_keys.items() if name != page]
        second += [self.done_key] if self.confirm else []
        rows += [_Row(first, -1), _Row(second, -1)]
        self._update_shift()
        self.area.set_rows(rows)
        self._chain_focus()
        if place is not None:
            line = self.area.lines[min(place[0], len(self.area.lines) - 1)]
            line[min(place[1], len(line) - 1)].setFocus(Qt.FocusReason.OtherFocusReason)
        self._refresh()

    # -- slots ----------------------------------------------------------------------------

    @Slot()
    def on_letter_key_clicked(self) -> None:
        key = self.sender()
        assert isinstance(key, _LetterKey)
        char = str(key.property("char"))
        if self.shift_on:
            char = shifted(self.page, char)
            self.shift_on = False
            self._update_shift()
        self._press(char)

    @Slot()
    def on_shift_key_clicked(self) -> None:
        self.shift_on = not self.shift_on
        self._update_shift()

    @Slot()
    def on_backspace_key_clicked(self) -> None:
        if self.composer.backspace():
            self._changed()

    @Slot()
    def on_space_key_clicked(self) -> None:
        self._press(" ")

    @Slot()
    def on_newline_key_clicked(self) -> None:
        self._press("\n")

    @Slot()
    def on_done_key_clicked(self) -> None:
        self.composer.commit()
        self._changed()
        log.info("keyboard_done length=%d", len(self.composer.text))
        self.done.emit(self.composer.text)

    # -- building -------------------------------------------------------------------------

    def _letter_keys(self, page: str) -> list[_LetterKey]:
        return [self._letter_key(page, char) for row in LETTER_ROWS[page] for char in row]

    def _letter_key(self, page: str, char: str) -> _LetterKey:
        key = _LetterKey(char, key_name(self.translator, char), self.area)
        key.setObjectName(f"key_{char}")
        key.setProperty("char", char)
        key.setProperty("page", page)
        key.clicked.connect(self.on_letter_key_clicked)
        return key

    def _function_key(self, name: str, symbol: str, word_id: str, role: str | None = None) -> _Key:
        word = self.translator.tr(word_id)
        key = _Key(
            [(f"{symbol} {word}".strip(), None)],
            role=role,
            margin=self.metrics.button_margin_px,
            accessible_name=word,
            parent=self.area,
        )
        key.setObjectName(f"key_{name}")
        return key

    def _chain_focus(self) -> None:
        """Tab order: the keys on show, left to right and top to bottom."""
        order: list[QWidget] = [key for line in self.area.lines for key in line]
        for before, after in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(before, after)

    # -- state to screen ------------------------------------------------------------------

    def _press(self, char: str) -> None:
        if self.composer.press(char):
            self._full = False
            self._changed()
        else:
            self._full = True
            log.info("keyboard_full most=%s", self.composer.max_length)
            self._refresh()

    def _changed(self) -> None:
        self._full = False
        self._refresh()
        self.text_changed.emit(self.composer.text)

    def _update_shift(self) -> None:
        word_id = "keyboard.shift.english" if self.page == ENGLISH else "keyboard.shift.hangul"
        word = self.translator.tr(word_id)
        if self.shift_on:
            word = self.translator.tr("keyboard.shift.on", name=word)
        self.shift_key.set_lines([f"⇧ {word}"])
        self.shift_key.setChecked(self.shift_on)
        for key in self.letter_keys[self.page]:
            base = str(key.property("char"))
            char = shifted(self.page, base) if self.shift_on else base
            key.set_lines([char])
            key.setAccessibleName(key_name(self.translator, char))
        self.area.set_rows(self.area.rows)

    def _refresh(self) -> None:
        self._show_text()
        most = self.composer.max_length
        tr = self.translator.tr
        if self.squeezed and most is not None:  # beside one line of text: the count, short
            count = len(self.composer.text)
            self.status.setText(tr("keyboard.count.short", count=count, most=most))
        elif self._full and most is not None:
            # The whole message where it fits the room kept for the status, else its start.
            words = tr("keyboard.full", most=most)
            if self._status_height(words) > self.status.minimumHeight():
                words = tr("keyboard.full.short", most=most)
            self.status.setText(words)
        elif most is not None:
            self.status.setText(tr("keyboard.count", count=len(self.composer.text), most=most))
        else:
            self.status.setText("")

    def _show_text(self) -> None:
        """The text in the display; when it needs more lines than there are, its end."""
        text, composing = self.composer.text, self.composer.composing
        done = text[: len(text) - len(composing)]
        self.display.ensurePolished()
        self.status.ensurePolished()
        self._measure.setFont(self.display.font())
        # The caret takes the muted colour so it is not read as a letter (ㅣ, l).
        caret = self.status.palette().color(QPalette.ColorRole.WindowText).name()
        width = max(1, self.display.contentsRect().width())
        lines = (3 if self.multiline else 2) - (1 if self.area.beside(self.width()) else 0)
        if self.compact:
            lines = 1 if self.landscape else (2 if self.multiline else 1)
        if self.squeezed:
            lines = 1
        room = self._height("<br>".join(["가"] * lines), width)
        self.display.setFixedHeight(room)
        shown = _display_html(done, composing, caret)
        if not text:
            for hint_id in ("keyboard.empty", "keyboard.empty.short"):  # the short one if need be
                hint = html.escape(self.translator.tr(hint_id))
                hinted = shown.replace("</span>", f"{hint}</span>")
                if self._height(hinted, width) <= room:
                    break
            shown = hinted
        elif self._height(shown, width) > room:
            # The resident types at the end, so the end stays in view; "…" marks the cut.
            low, high = 1, len(done)
            while low < high:
                middle = (low + high) // 2
                if self._height(_display_html("…" + done[middle:], composing, caret), width) > room:
                    low = middle + 1
                else:
                    high = middle
            shown = _display_html("…" + done[low:], composing, caret)
        self.display.setText(shown)
        self.display.setAccessibleDescription(text)

    def _height(self, html_text: str, width: int) -> int:
        self._measure.setText(html_text)
        return self._measure.heightForWidth(width)

    def _reserve_status_lines(self) -> None:
        """Room for the count and the short "all used" message, so the keys never move when
        the status changes; the whole "all used" message shows where it fits in that room."""
        tr, most = self.translator.tr, self.composer.max_length
        if most is None:
            return
        messages = [
            tr("keyboard.full.short", most=most),
            tr("keyboard.count", count=most, most=most),
        ]
        if self.squeezed:  # one line beside the text, as wide as the longest count
            self.status.ensurePolished()
            longest = tr("keyboard.count.short", count=most, most=most)
            wide = self.status.fontMetrics().horizontalAdvance(longest)
            margins = self.status.contentsMargins()
            self.status.setMinimumWidth(wide + margins.left() + margins.right() + 2)
            self.status.setMinimumHeight(0)
        else:
            self.status.setMinimumHeight(max(self._status_height(m) for m in messages))
        if self._full:
            self._refresh()

    def _status_height(self, words: str) -> int:
        self.status.ensurePolished()
        self._measure.setFont(self.status.font())
        self._measure.setTextFormat(Qt.TextFormat.PlainText)
        needed = self._height(words, max(1, self.status.width()))
        self._measure.setTextFormat(Qt.TextFormat.RichText)
        return needed

    # -- Qt events ------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.squeeze_if_short()

    def squeeze_if_short(self) -> bool:
        """Squeeze (`squeeze`) where the keyboard is lower than it needs; True when it did.
        As it is laid out, and for a keyboard kept from the step before (Shelf), whose size
        may not change while the new step needs more (a body's 줄 바꾸기 after a title)."""
        # Once for this keyboard (a new size builds the screen again): squeezed, it needs less
        # height, and coming back would have it move to and fro.
        if self.compact and not self.squeezed and self.height() < self.minimumSizeHint().height():
            self.squeeze()
            return True
        return False

    def squeeze(self) -> None:
        """One line of text with the count beside it (short: "12/300자", "all used" is
        300/300자 then), the pages' keys without their symbols: the keys keep the touch
        size."""
        self.squeezed = True
        box = self.layout()
        assert isinstance(box, QVBoxLayout)
        box.removeWidget(self.display_frame)
        box.removeWidget(self.status)
        row = QHBoxLayout()
        row.setSpacing(self.metrics.gap_px)
        row.addWidget(self.display_frame, 1)
        row.addWidget(self.status)
        box.insertLayout(0, row)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.status.setWordWrap(False)
        self._reserve_status_lines()
        self._refresh()
        # The pages' keys by their words alone ("ABC" and "123" go): then the function keys'
        # words keep one line, two lines of keys where they wrapped into three.
        for page, key in self.page_keys.items():
            key.set_lines([self.translator.tr(f"keyboard.page.{page}")])
        self.area.set_rows(self.area.rows)
        self._show_text()
        self.updateGeometry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            if watched is self.display:
                self._show_text()
            elif watched is self.status:
                self._reserve_status_lines()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = self.focusWidget()
        if isinstance(key, _Key | _LetterKey):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                key.click()
                return
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                target = self._key_beside(key, -1 if event.key() == Qt.Key.Key_Up else 1)
                if target is not None:
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                    return
        super().keyPressEvent(event)

    def _key_beside(self, key: QPushButton, direction: int) -> QPushButton | None:
        """The key in the row above (-1) or below (+1) nearest to `key` across."""
        lines = self.area.lines
        here = next((i for i, line in enumerate(lines) if key in line), None)
        if here is None or not 0 <= here + direction < len(lines):
            return None
        x = key.geometry().center().x()
        return min(lines[here + direction], key=lambda k: abs(k.geometry().center().x() - x))


def _display_html(done: str, composing: str, caret_colour: str) -> str:
    """Rich text of the display: the composing syllable underlined, then the caret."""
    shown = _breakable(done) + (f"<u>{_breakable(composing)}</u>" if composing else "")
    # pre-wrap: spaces the resident typed must show, even several or at the end.
    return (
        f'<p style="white-space: pre-wrap">{shown}<span style="color: {caret_colour}">|</span></p>'
    )


def _breakable(text: str) -> str:
    """`text` as rich text that wraps: long runs without spaces may break anywhere."""
    words: Sequence[str] = text.split(" ")
    out = []
    for word in words:
        escaped = [html.escape(c) for c in word]
        out.append(("\u200b" if len(word) > LONG_RUN else "").join(escaped))
    return " ".join(out)
