"""Small building blocks shared by every screen: large wrapping buttons, labels, grids, keypad."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import ClassVar, TypeVar

import shiboken6
from PySide6.QtCore import SIGNAL, QEvent, QObject, QPointF, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFontInfo,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Translator
from kiosk.ui.icons import IconLine
from kiosk.ui.text_px import advance
from kiosk.ui.theme import STEPPED_DOWN

# A widget of the window floating over the screen whose controls the keys reach too (after the
# bars): set this property on it (kiosk.ui.shell.focus.KeyFocus.order).
FOCUS_REGION = "focusRegion"

# The property the stylesheet draws the keyboard-focus ring by (kiosk.ui.theme): true on the
# focused control only while the resident's last input was a key (LastInput).
RING = "ring"


class LastInput(QObject):
    """Whether the resident's last input was a key or a touch: the one place that decides
    whether the focused control shows the yellow focus ring.

    Installed on the application, it sees every press first. A tap (mouse or touch) hides the
    ring, so a tapped button never looks selected; a key shows it again on whatever has the
    focus. A control gaining the focus takes the ring of the current input kind.

    Attributes:
        keys: True after a key press, False after a tap (and at first).
    """

    _TAPS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.TouchBegin)
    # The classes of the events it looks at. Every event of the process passes through this
    # filter (a screen shown sends over a thousand): the class is checked first, as reading
    # an event's type in Python costs more than the rest of the filter.
    _INPUT = (QMouseEvent, QTouchEvent, QKeyEvent)
    # The application and its one filter (`of`).
    _installed: ClassVar[tuple[QApplication, LastInput] | None] = None

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.keys = False
        self._quiet = 0  # how many `quiet` blocks are open

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Out of the way while a screen is built and shown: no input arrives then, but every
        widget made sends events (several hundred a screen), and each event costs a call into
        Python while this filter is installed, which doubled the CPU time of building a screen.
        A control that gained the focus meanwhile takes the ring of the current input kind at
        the end, as it would have on its FocusIn."""
        app = self.parent()
        assert app is not None
        self._quiet += 1
        if self._quiet == 1:
            app.removeEventFilter(self)
        try:
            yield
        finally:
            self._quiet -= 1
            if self._quiet == 0:
                app.installEventFilter(self)
                focused = QApplication.focusWidget()
                if focused is not None:
                    show_ring(focused, self.keys)

    @classmethod
    def of(cls, app: QApplication) -> LastInput:
        """The application's one filter, installed on first use and reset to "a tap" for a new
        window. One per application, not per window: every event of the process passes through
        each installed filter, so a filter per window made each new window slower (tests build
        hundreds).

        Found again by this class, not by `app.findChild`: that wraps every child of the
        application in Python to check its class, and wrapping Qt's style first costs a
        sixth of a bare Qt window's start."""
        installed = cls._installed
        if installed is not None and installed[0] is app and shiboken6.isValid(installed[1]):
            found = installed[1]
        else:
            found = cls(app)
            app.installEventFilter(found)
            cls._installed = (app, found)
        found.keys = False
        return found

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(event, self._INPUT):
            kind = event.type()
            if kind in self._TAPS:
                self._set(False)
            elif kind == QEvent.Type.KeyPress:
                self._set(True)
        elif (
            isinstance(event, QFocusEvent)
            and event.type() == QEvent.Type.FocusIn
            and isinstance(watched, QWidget)
        ):
            show_ring(watched, self.keys)
        return False

    def _set(self, keys: bool) -> None:
        if keys == self.keys:
            return
        self.keys = keys
        focused = QApplication.focusWidget()
        if focused is not None:
            show_ring(focused, keys)


def step_down(labels: Sequence[QLabel], down: bool) -> None:
    """Show `labels` a step smaller (theme.STEPPED_DOWN: a question at the title's size, the
    thank-you's lines at the body's), or as their role has them."""
    for words in labels:
        if bool(words.property(STEPPED_DOWN)) == down:
            continue
        words.setProperty(STEPPED_DOWN, down)
        words.style().unpolish(words)
        words.style().polish(words)
        words.updateGeometry()


def show_ring(widget: QWidget, on: bool) -> None:
    """Draw (or not) the focus ring on `widget` while it has the focus."""
    if bool(widget.property(RING)) == on:
        return
    widget.setProperty(RING, on)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    if isinstance(widget, WrapButton):
        widget.sync_state()


def label(
    text: str, role: str | None = None, *, wrap: bool = True, name: str = "", icon: str = ""
) -> QLabel:
    """A label that wraps its text; `role` picks its look in the stylesheet, `name` is its
    object name (tests and lessons find it by that). An "error" label has its warning sign;
    with `icon` (kiosk.ui.icons.ICONS) the words have that icon before them."""
    w: QLabel
    if role == "error":
        w = ErrorLabel(text)
    elif icon:
        w = IconLine(text, icon)
    else:
        w = QLabel(text)
    w.setWordWrap(wrap)
    w.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        w.setProperty("role", role)
    if name:
        w.setObjectName(name)
    w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return w


class OneLineOrTwo(QLayout):
    """Two labels (or other widgets at their size hint's width) on one line where both fit
    there whole (a step's progress "질문 1 / 3" and what it is part of; a list's title and
    its count), else one under the other: a line of the working area's height saved where
    the width allows, nothing broken where it does not. On one line the last one takes the
    rest of the width."""

    def __init__(self, parent: QWidget, spacing: int) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if (w := i.widget()) is None or not w.isHidden()]

    @staticmethod
    def _line_px(item: QLayoutItem) -> int:
        """The width `item` takes on one line (a label's whole text)."""
        widget = item.widget()
        if isinstance(widget, QLabel):
            widget.ensurePolished()
            margins = widget.contentsMargins()
            text = advance(widget.font(), widget.text())
            return text + margins.left() + margins.right() + 2
        return item.sizeHint().width()

    def one_line(self, width: int) -> bool:
        """Whether the labels stand side by side at `width`."""
        shown = self._shown()
        needed = sum(self._line_px(i) for i in shown) + self.spacing() * (len(shown) - 1)
        return len(shown) > 1 and needed <= width

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        shown = self._shown()
        if not shown:
            return 0
        if self.one_line(width):
            return max(self._height(i, self._line_px(i)) for i in shown)
        return sum(self._height(i, width) for i in shown) + self.spacing() * (len(shown) - 1)

    @staticmethod
    def _height(item: QLayoutItem, width: int) -> int:
        high = item.heightForWidth(width) if item.hasHeightForWidth() else -1
        return high if high >= 0 else item.sizeHint().height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        shown = self._shown()
        width = sum(self._line_px(i) for i in shown) + self.spacing() * max(0, len(shown) - 1)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        shown = self._shown()
        # The narrowest it may be, and its lowest (on one line): the height for the width
        # it is given is heightForWidth's.
        width = max((i.minimumSize().width() for i in shown), default=0)
        height = max((i.minimumSize().height() for i in shown), default=0)
        return QSize(width, height)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        shown = self._shown()
        x, y = rect.x(), rect.y()
        if self.one_line(rect.width()):
            height = max(self._height(i, self._line_px(i)) for i in shown)
            for n, item in enumerate(shown):
                width = self._line_px(item)
                if n == len(shown) - 1:  # the last takes the rest of the line
                    width = rect.right() + 1 - x
                item.setGeometry(QRect(x, y, width, height))
                x += width + self.spacing()
            return
        for item in shown:
            height = self._height(item, rect.width())
            item.setGeometry(QRect(x, y, rect.width(), height))
            y += height + self.spacing()


def one_line_or_two(first: QWidget, second: QWidget, spacing: int) -> QWidget:
    """`first` and `second` on one line where both fit whole, else one under the other
    (OneLineOrTwo)."""
    holder = QWidget()
    holder.setObjectName(ONE_LINE_OR_TWO)
    layout = OneLineOrTwo(holder, spacing)
    layout.addWidget(first)
    layout.addWidget(second)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder


ONE_LINE_OR_TWO = "oneLineOrTwo"


class ErrorLabel(QLabel):
    """A problem in words: red (the stylesheet's "error" role) after a drawn warning sign, so
    it is never told by colour alone. The bundled font has no ⚠, so the sign is drawn."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setProperty("role", "error")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def _sign_px(self) -> int:
        return round(QFontInfo(self.font()).pixelSize() * 1.15)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            size = self._sign_px()
            self.setIndent(size + max(6, size // 2))  # the words start after the sign

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        size = float(self._sign_px())
        area = self.contentsRect()
        metrics = QFontMetrics(self.font())
        words = area.adjusted(self.indent(), 0, 0, 0)
        block = metrics.boundingRect(words, Qt.TextFlag.TextWordWrap, self.text()).height()
        # The words stand centred in the label; the sign beside their first line.
        top = float(area.top() + max(0, (area.height() - block) // 2))
        top += (metrics.height() - size) / 2
        width = max(3.0, size / 9)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().color(QPalette.ColorRole.WindowText)
        painter.setPen(
            QPen(
                ink,
                width,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin,
            )
        )
        x, inset = float(area.left()), width / 2 + 1
        triangle = QPainterPath(QPointF(x + size / 2, top + inset))
        triangle.lineTo(QPointF(x + size - inset, top + size - inset))
        triangle.lineTo(QPointF(x + inset, top + size - inset))
        triangle.closeSubpath()
        painter.drawPath(triangle)
        painter.drawLine(
            QPointF(x + size / 2, top + size * 0.4), QPointF(x + size / 2, top + size * 0.66)
        )
        painter.drawPoint(QPointF(x + size / 2, top + size * 0.8))


def error_line(name: str) -> QLabel:
    """An error message line, hidden until there is something to say (set its text, show it)."""
    w = label("", "error", name=name)
    w.hide()
    return w


class WrapButton(QPushButton):
    """A push button whose text wraps over several lines instead of being clipped; `icon`
    (kiosk.ui.icons.ICONS) stands before its first line.

    Its lines are labels inside the button, so its size hints come from its layout; the
    accessible name is the joined text, so screen readers read what is shown. Qt style
    sheets cannot style a child by its parent's :focus or :pressed state, so the button
    copies its state onto its labels as properties (`button`, `state`) the sheet matches.
    """

    def __init__(
        self,
        lines: Sequence[tuple[str, str | None]],
        *,
        role: str | None = None,
        margin: int = 0,
        accessible_name: str | None = None,
        icon: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty("role", role or "secondary")
        box = QVBoxLayout(self)
        box.setContentsMargins(margin, margin, margin, margin)
        box.setSpacing(max(2, margin // 3))
        self.box = box  # the lines between two stretches; the size hints come from it
        self.lines: list[QLabel] = []
        box.addStretch(1)  # keep the lines together in the middle of a tall button
        for i, (text, line_role) in enumerate(lines):
            # The icon stands before the first line (a tile's title, an action's words).
            line = label(text, line_role or "buttonText", icon=icon if i == 0 else "")
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            line.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            line.setProperty("button", self.property("role"))
            box.addWidget(line)
            self.lines.append(line)
        box.addStretch(1)
        self.setAccessibleName(accessible_name or " ".join(t for t, _ in lines))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoDefault(False)
        self.pressed.connect(self.on_down_changed)
        self.released.connect(self.on_down_changed)
        self._state = ""
        self._down_due = False
        self.sync_state()

    def set_role(self, role: str) -> None:
        """Draw the button as `role` from now on ("primary": the one next step)."""
        if self.property("role") == role:
            return
        self.setProperty("role", role)
        for widget in (self, *self.lines):
            if widget is not self:
                widget.setProperty("button", role)
            if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def text_of_lines(self) -> str:
        return "\n".join(line.text() for line in self.lines)

    def set_lines(self, texts: Sequence[str]) -> None:
        for line, text in zip(self.lines, texts, strict=True):
            line.setText(text)
        self.setAccessibleName(" ".join(texts))

    def on_down_changed(self) -> None:
        """Pressed or released: the lines take the look at the next turn of the event loop,
        before the next paint, not now. Most taps replace the screen, and the shell hides the
        old one before then: its button is not restyled at all (restyling its lines on the
        press and again on the release cost a tap 5-13 ms); a press and its release within
        one turn (a key's click) restyle nothing either."""
        if not self._down_due:
            self._down_due = True
            QTimer.singleShot(0, self, self._sync_after_down)

    def _sync_after_down(self) -> None:
        self._down_due = False
        if self.isVisible():
            self.sync_state()

    def sync_state(self) -> None:
        """Copy the pressed / focused (with the ring) / disabled state onto the lines."""
        if not self.isEnabled():
            state = "disabled"
        elif self.isDown() or (self.hasFocus() and bool(self.property(RING))):
            state = "focused"
        else:
            state = "normal"
        if state == self._state:
            return
        self._state = state
        for line in self.lines:
            line.setProperty("state", state)
            # A label not yet polished takes the property when it is: no restyle to pay for.
            if line.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                line.style().unpolish(line)
                line.style().polish(line)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Kiosk keypads send Enter for "OK": it presses the focused button as Space does.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            if self.isEnabled():
                self.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.sync_state()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.sync_state()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self.sync_state()

    def sizeHint(self) -> QSize:
        return self.box.sizeHint().expandedTo(self.minimumSize())

    def minimumSizeHint(self) -> QSize:
        return self.box.minimumSize().expandedTo(self.minimumSize())

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # min-height from the stylesheet arrives as the widget's minimum size.
        return max(self.box.heightForWidth(width), self.minimumHeight())


def fit_longest_words(root: QWidget, width: int, smallest_px: int) -> bool:
    """Make the wrapping labels under `root` whose longest word would not fit `root` at
    `width` (a narrow column beside a keyboard at 200 %) smaller, just enough, never under
    `smallest_px`: a word is never cut at the column's edge nor broken between syllables, as
    Korean wraps at spaces only. Labels that fit keep the size their role gives them.
    Whether any label was made smaller."""
    if root.minimumSizeHint().width() <= width:
        return False
    fitted = False
    for lab in root.findChildren(QLabel):
        if not lab.wordWrap() or not lab.text().strip() or not lab.isVisibleTo(root):
            continue
        # What stands beside the label (margins, a card's padding) stays as it is.
        room = width - (max(root.width(), root.minimumSizeHint().width()) - lab.width())
        for _ in range(3):  # the size a word needs does not scale quite linearly
            needed = lab.minimumSizeHint().width()
            px = QFontInfo(lab.font()).pixelSize()
            if needed <= room or px <= smallest_px:
                break
            smaller = max(smallest_px, min(px - 1, px * room // max(1, needed)))
            lab.setStyleSheet(f"font-size: {smaller}px;")
            lab.ensurePolished()
            fitted = True
    return fitted


def words_in_lines(root: QWidget, width: int, body_px: int, syllables: int) -> bool:
    """Set the wrapping labels under `root` larger than the body size (a title, a question)
    at the body size where `width` holds fewer than `syllables` of their syllables a line (a
    Hangul syllable is about as wide as the font is high): beside a keyboard at 200 % a
    question at its own size stood a word a line. Whether any label changed."""
    changed = False
    for lab in root.findChildren(QLabel):
        if not lab.wordWrap() or not lab.text().strip() or not lab.isVisibleTo(root):
            continue
        px = QFontInfo(lab.font()).pixelSize()
        if px > body_px and width < syllables * px:
            lab.setStyleSheet(f"font-size: {body_px}px;")
            lab.ensurePolished()
            changed = True
    return changed


def grid(widgets: Sequence[QWidget], columns: int, spacing: int) -> QGridLayout:
    """Lay `widgets` out row by row in `columns` equal columns."""
    layout = QGridLayout()
    layout.setSpacing(spacing)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        layout.addWidget(w, i // columns, i % columns)
    for c in range(columns):
        layout.setColumnStretch(c, 1)
    return layout


def centred_card(
    veil: QWidget, gap: int, *, spacing: int, at_foot: bool = False
) -> tuple[QFrame, QVBoxLayout]:
    """A card in the middle of a veil over the window (the idle prompt, the staff-call
    notice), or at its foot (within reach from a wheelchair): the card and the box its
    contents go in, `spacing` apart."""
    outer = QVBoxLayout(veil)
    outer.setContentsMargins(gap * 4, gap * 4, gap * 4, gap * 4)
    card = QFrame()
    box = QVBoxLayout(card)
    box.setContentsMargins(gap * 3, gap * 3, gap * 3, gap * 3)
    box.setSpacing(spacing)
    outer.addStretch(1)
    outer.addWidget(card)
    if not at_foot:
        outer.addStretch(1)
    return card, box


def describe_controls(root: QWidget, translator: Translator) -> None:
    """Give every control under `root` without an accessible description the general one of
    its kind, in the current language (a screen that knows better sets its own)."""
    for control in root.findChildren(QAbstractButton):
        if control.accessibleDescription():
            continue
        kind = "a11y.desc.choice" if control.isCheckable() else "a11y.desc.button"
        control.setAccessibleDescription(translator.tr(kind))


def columns_for(width: int, min_item_width: int, most: int) -> int:
    """How many columns of at least `min_item_width` fit in `width` (1 to `most`)."""
    return max(1, min(most, width // max(1, min_item_width)))


W = TypeVar("W", bound=QWidget)


class Shelf:
    """Keeps the typing widgets of the step screens (the keyboard, the keypad) between them:
    made once for a look (theme, language, width) and handed from one step that types to the
    next, instead of dozens of keys built, styled and laid out again at every such step.

    A screen takes one when it is built and gives it back when it is hidden. It stays where
    it was, in its action bar (kiosk.ui.screens.base.action_bar, which reuses that bar for
    the next step that takes it): moving a widget of fifty keys to another parent restyles
    them all, which costs as much as a frame. The window keeps a bar holding a kept widget
    (`keeps`) when it deletes the screen the bar belonged to."""

    def __init__(self) -> None:
        self._kept: dict[str, QWidget] = {}
        self._looks: dict[str, tuple[object, ...]] = {}

    def take(
        self,
        kind: str,
        look: tuple[object, ...],
        make: Callable[[], W],
        start_over: Callable[[W], None],
    ) -> W:
        """The `kind` kept when it was made for the same `look` (what its keys' sizes and
        words follow), made ready by `start_over`; else a new one from `make`."""
        kept = self._kept.pop(kind, None)
        if kept is not None and shiboken6.isValid(kept):
            if look == self._looks.get(kind):
                start_over(kept)  # type: ignore[arg-type]  # kept under its kind: a W
                return kept  # type: ignore[return-value]
            (kept.parentWidget() or kept).deleteLater()  # made for another look: its bar too
        self._looks[kind] = look
        return make()

    def give_back(self, kind: str, widget: W, let_go: Callable[[W], None]) -> None:
        """`widget`'s screen is going: keep it for the next step that takes a `kind`. What
        held on to the screen goes now (`let_go`: its signals' receivers; the other widgets
        of its bar), so that nothing of the visit outlives it in the kept widget."""
        if not shiboken6.isValid(widget):
            return
        let_go(widget)
        holder = widget.parentWidget()
        box = holder.layout() if holder is not None else None
        for i in reversed(range(box.count() if box is not None else 0)):
            assert box is not None
            item = box.itemAt(i)
            other = item.widget() if item is not None else None
            if other is not None and other is not widget:
                box.takeAt(i)
                other.hide()
                other.deleteLater()  # later: the tap that led away may still run in it
        self._kept[kind] = widget

    def keeps(self, holder: QWidget) -> bool:
        """Whether `holder` holds a kept widget (so it must not be deleted yet)."""
        return any(
            shiboken6.isValid(kept) and kept.parentWidget() is holder
            for kept in self._kept.values()
        )


class Keypad(QWidget):
    """A large numeric keypad: digits 1–9, 지우기, 0, 확인. Never shows what was typed.

    Made without `ok_text`, it has no 확인 (the step's 다음 beside it is the one action) and
    its 0 takes the width of two keys.

    By keys: Tab and the arrows move between its keys and Enter or Space presses one; the
    digit keys of a physical keypad type digits, Backspace erases (`press_key`, called by
    the window for keys nothing else took).

    Signals:
        digit(str): a digit key was pressed.
        erase(): the delete key was pressed.
        submit(): the OK key was pressed.
    """

    digit = Signal(str)
    erase = Signal()
    submit = Signal()

    def __init__(self, delete_text: str, ok_text: str | None, spacing: int, margin: int) -> None:
        super().__init__()
        self.setObjectName("keypad")
        self._margin = margin
        keys: list[QWidget] = []
        for d in "123456789":
            keys.append(self._key(d, partial(self.digit.emit, d)))
        self.erase_key = self._key(delete_text, self.erase.emit)
        keys.append(self.erase_key)
        zero = self._key("0", partial(self.digit.emit, "0"))
        if ok_text is not None:
            keys += [zero, self._key(ok_text, self.submit.emit, role="primary")]
        layout = grid(keys, 3, spacing)
        if ok_text is None:
            layout.addWidget(zero, 3, 1, 1, 2)
        self.setLayout(layout)

    def let_go(self) -> None:
        """Nobody listens to its keys any more (its screen is going; Shelf)."""
        for signal in ("digit(QString)", "erase()", "submit()"):
            if self.receivers(SIGNAL(signal)) > 0:
                getattr(self, signal.split("(")[0]).disconnect()

    def start_over(self) -> None:
        """Ready for another step, as a keypad just made (Shelf): on show, keys enabled."""
        self.setEnabled(True)
        self.setVisible(True)

    def key(self, name: str) -> QAbstractButton | None:
        """The key that types digit `name`, or the erase key for "erase" (the lesson engine
        points at them)."""
        if name == "erase":
            return self.erase_key
        return self.findChild(QAbstractButton, f"key_{name}")

    def press_key(self, event: QKeyEvent) -> bool:
        """Take a physical digit or Backspace key; False for any other key."""
        text = event.text()
        if len(text) == 1 and text.isdigit() and text.isascii():
            self.digit.emit(text)
            return True
        if event.key() == Qt.Key.Key_Backspace:
            self.erase.emit()
            return True
        return False

    def _key(self, text: str, on_click: Callable[[], None], role: str | None = None) -> WrapButton:
        button = WrapButton([(text, None)], role=role, margin=self._margin)
        button.setObjectName(f"key_{text}")
        button.clicked.connect(lambda _=False: on_click())
        return button
