"""Pieces every resident flow shares (surveys and contests first; proposals and budget votes
copy them): choices that show their state by more than colour, drawn marks and faces, the
이전 / 다음 row, the problem message, review rows, and the words of an act's refusal or receipt
(kiosk.services). The step flows (kiosk.ui.steps) draw with them; the thank-you is
kiosk.ui.steps.thanks.

The bundled font has no check mark, circle or cross, and no emoji, so those are drawn.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.services import Receipt, Refusal
from kiosk.ui.icons import action_icon
from kiosk.ui.images import ImageView, picture_at_height
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.text_px import advance
from kiosk.ui.theme import FONT_FAMILY, Metrics
from kiosk.ui.widgets import ErrorLabel, WrapButton, grid, label

if TYPE_CHECKING:
    # Not imported at start: home's pages (kiosk.ui.paging) use this module's buttons, and
    # the flows' rules and the keyboard wait for the first step that asks for them.
    from kiosk.domain.steps import StepProblem
    from kiosk.ui.keyboard import HangulKeyboard

log = logging.getLogger(__name__)

MarkKind = Literal["box", "check", "radio", "radio_on", "right", "wrong", "done"]


P = TypeVar("P", bound="StepProblem")
V = TypeVar("V")


def _ink(widget: QWidget) -> QColor:
    """The text colour the stylesheet gives `widget` in its current state."""
    return widget.palette().color(QPalette.ColorRole.WindowText)


def text_px(widget: QWidget) -> int:
    """The pixel size of the font the stylesheet gives `widget`."""
    widget.ensurePolished()
    return QFontInfo(widget.font()).pixelSize()


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class MarkIcon(QWidget):
    """A drawn symbol in the colour of the text beside it: an empty box, a ticked box (several
    may be chosen), an empty round mark, one with a dot (one is chosen), a circle (right, ○ as
    Korean quizzes mark it), a cross (wrong) or a check in a circle (done: sent).

    Attributes:
        kind: which symbol.
    """

    def __init__(self, kind: MarkKind, size: int, ink_from: QWidget | None = None) -> None:
        super().__init__()
        self.kind: MarkKind = kind
        self._ink_from = ink_from
        self.setFixedSize(size, size)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_kind(self, kind: MarkKind) -> None:
        self.kind = kind
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        s = float(min(self.width(), self.height()))
        width = max(3.0, s / 9)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(
            QPen(
                _ink(self._ink_from or self),
                width,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin,
            )
        )
        inset = width / 2 + 1
        box = QRectF(inset, inset, s - 2 * inset, s - 2 * inset)
        if self.kind in ("box", "check"):
            painter.drawRoundedRect(box, s / 8, s / 8)
        if self.kind == "check":
            path = QPainterPath(QPointF(s * 0.24, s * 0.52))
            path.lineTo(QPointF(s * 0.43, s * 0.71))
            path.lineTo(QPointF(s * 0.78, s * 0.30))
            painter.drawPath(path)
        elif self.kind == "done":
            painter.drawEllipse(box)
            path = QPainterPath(QPointF(s * 0.28, s * 0.52))
            path.lineTo(QPointF(s * 0.44, s * 0.68))
            path.lineTo(QPointF(s * 0.74, s * 0.36))
            painter.drawPath(path)
        elif self.kind in ("right", "radio", "radio_on"):
            painter.drawEllipse(box)
            if self.kind == "radio_on":
                painter.setBrush(_ink(self._ink_from or self))
                painter.drawEllipse(box.center(), s * 0.2, s * 0.2)
        elif self.kind == "wrong":
            painter.drawLine(QPointF(s * 0.2, s * 0.2), QPointF(s * 0.8, s * 0.8))
            painter.drawLine(QPointF(s * 0.8, s * 0.2), QPointF(s * 0.2, s * 0.8))


class FaceIcon(QWidget):
    """A drawn face for a point of a 1-5 scale: 1 frowns, 3 is straight, 5 smiles widely."""

    def __init__(self, level: int, size: int, ink_from: QWidget | None = None) -> None:
        super().__init__()
        self.level = level
        self.ink_from = ink_from
        self.setFixedSize(size, size)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        s = float(min(self.width(), self.height()))
        width = max(3.0, s / 16)
        ink = _ink(self.ink_from or self)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(ink, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        inset = width / 2 + 1
        painter.drawEllipse(QRectF(inset, inset, s - 2 * inset, s - 2 * inset))
        painter.setBrush(ink)
        eye = s * 0.07
        for x in (0.36, 0.64):
            painter.drawEllipse(QPointF(s * x, s * 0.38), eye, eye)
        bend = (self.level - 3) / 2  # -1 frown .. +1 smile
        y = s * (0.64 if bend >= 0 else 0.74)
        mouth = QPainterPath(QPointF(s * 0.28, y))
        mouth.quadTo(QPointF(s * 0.5, y + bend * s * 0.26), QPointF(s * 0.72, y))
        if self.level == 5:  # a wide open smile, filled
            mouth.closeSubpath()
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(mouth)
        if self.level == 1:  # worried brows
            painter.drawLine(QPointF(s * 0.26, s * 0.27), QPointF(s * 0.42, s * 0.22))
            painter.drawLine(QPointF(s * 0.74, s * 0.27), QPointF(s * 0.58, s * 0.22))


class ChoiceButton(WrapButton):
    """One answer among several: a radio card (a round mark) where one may be chosen, a
    checkbox card (a square mark) where several may. Chosen shows by the mark filled (● or ✓),
    a thicker border, a dark fill and the chosen word ("고른 답") shown under the answer and
    in its accessible name, never by colour alone.

    A tap does not take keyboard focus (the yellow focus fill would hide the chosen fill);
    Tab still reaches it. The owner sets the state from its flow object after each tap.

    Attributes:
        mark: the drawn round mark or box, dotted or ticked when chosen.
        chosen_label: the chosen word, shown while chosen.
        value: what choosing it answers (an option id, a point, True/False, an entry id).
    """

    def __init__(
        self,
        lines: Sequence[tuple[str, str | None]],
        *,
        value: object,
        margin: int,
        chosen_word: str,
        mark_px: int | None = None,
        picture: QWidget | None = None,
        stacked: bool = False,
        selected: bool = False,
        multiple: bool = False,
    ) -> None:
        super().__init__(lines, role="secondary", margin=margin)
        self.multiple = multiple
        self.value = value
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._plain_name = " ".join(text for text, _ in lines)
        self._chosen_word = chosen_word
        box = self.layout()
        assert isinstance(box, QVBoxLayout)
        while box.count():  # WrapButton's stretches and lines; the lines are placed again below
            box.takeAt(0)
        first = self.lines[0]
        size = mark_px or round(text_px(first) * 0.85)  # as choice_extra_px assumes
        self.mark = MarkIcon(self._mark_kind(False), size, ink_from=first)
        self.chosen_label = label(chosen_word, "buttonText", name="chosenWord")
        self.chosen_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.chosen_label.setProperty("button", "secondary")
        self.lines.append(self.chosen_label)  # styled with the lines: pressed, focused, chosen
        spacing = max(margin, size // 3)
        row = QHBoxLayout()
        row.setSpacing(spacing)
        self._row, self._column = row, None
        # Whether the chosen word stands at the right of a one-line answer (place_chosen)
        # rather than under it: then choosing it makes the card no taller.
        self.chosen_beside = False
        self._picture = picture
        self._margin = margin
        box.addStretch(1)
        if stacked:
            # Picture (or face) on top, the mark beside the first line, the rest centred below.
            if picture is not None:
                box.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
            row.addStretch(1)
            row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
            row.addWidget(first, 0)
            row.addStretch(1)
            box.addLayout(row)
            for line in self.lines[1:]:  # the chosen word last
                line.setAlignment(Qt.AlignmentFlag.AlignCenter)
                box.addWidget(line)
        else:
            column = QVBoxLayout()
            column.setSpacing(max(2, margin // 3))
            for line in self.lines:  # the chosen word last
                line.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                column.addWidget(line)
            row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignVCenter)
            if picture is not None:
                # The chosen word under the picture as its caption, apart from the answer's
                # words: choosing makes the card no higher where the words are higher.
                under = QVBoxLayout()
                under.setSpacing(column.spacing())
                under.addStretch(1)
                under.addWidget(picture, 0, Qt.AlignmentFlag.AlignHCenter)
                column.removeWidget(self.chosen_label)
                self.chosen_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                under.addWidget(self.chosen_label)
                under.addStretch(1)
                row.addLayout(under, 0)
                row.addSpacing(spacing)
            row.addLayout(column, 1)
            box.addLayout(row)
            self._column = column
        box.addStretch(1)
        self.set_selected(selected)

    def set_selected(self, selected: bool) -> None:
        self.setChecked(selected)
        role = "primary" if selected else "secondary"
        if self.property("role") != role:
            self.setProperty("role", role)
            _repolish(self)
            for line in self.lines:
                line.setProperty("button", role)
                _repolish(line)
        self.mark.set_kind(self._mark_kind(selected))
        self.chosen_label.setVisible(selected)
        name = f"{self._plain_name}, {self._chosen_word}" if selected else self._plain_name
        self.setAccessibleName(name)

    def place_chosen(self, width: int) -> None:
        """Put the chosen word at the right of the answer where the card, `width` pixels
        wide, holds both on one line (a one-line answer of a list), else under it."""
        column = self._column
        if column is None or len(self.lines) != 2 or self._picture is not None:
            return  # stacked, an answer of several lines, or the word under its picture
        first, word = self.lines[0], self.chosen_label
        margins = self.box.contentsMargins()
        # The margins, the chosen card's thicker border (at most a margin a side), the mark.
        need = margins.left() + margins.right() + 2 * self._margin + self.mark.width()
        if self._picture is not None:
            need += self._picture.minimumWidth() + self._row.spacing()
        need += advance(first.font(), first.text()) + 2 * self._row.spacing()
        need += advance(word.font(), word.text()) + 4
        beside = need <= width
        if beside == self.chosen_beside:
            return
        self.chosen_beside = beside
        column.removeWidget(word)
        self._row.removeWidget(word)
        if beside:
            word.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._row.addWidget(word, 0, Qt.AlignmentFlag.AlignVCenter)
        else:
            word.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            column.addWidget(word)
        word.setVisible(self.selected)

    def _mark_kind(self, selected: bool) -> MarkKind:
        if self.multiple:
            return "check" if selected else "box"
        return "radio_on" if selected else "radio"

    def set_lines(self, texts: Sequence[str]) -> None:
        """New words for the answer's lines (the chosen word stays)."""
        super().set_lines([*texts, self.chosen_label.text()])
        self._plain_name = " ".join(texts)
        self.set_selected(self.selected)

    @property
    def selected(self) -> bool:
        return self.isChecked()


def picture_view(path: Path | None, height: int) -> QWidget:
    """A picture of the pack, `height` pixels high; an empty space when it cannot be read."""
    image = picture_at_height(path, height) if path is not None else None
    view = ImageView(image)
    view.setFixedHeight(height)
    if image is not None:
        view.setMinimumWidth(round(height * image.width() / max(1, image.height())))
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    view.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return view


def columns_for_texts(
    texts: Sequence[str],
    font_px: int,
    width: int,
    spacing: int,
    extra_px: int,
    most: int,
    min_px: int = 0,
) -> int:
    """How many equal columns of buttons holding `texts` fit in `width`.

    A column must hold the longest word whole and the longest text on two lines, plus
    `extra_px` (mark, margins, borders), and be at least `min_px` wide (e.g. a picture).
    """
    font = QFont(FONT_FAMILY)
    font.setPixelSize(font_px)
    font.setBold(True)
    words = [w for t in texts for w in t.split()] or [""]
    widest_word = max(advance(font, w) for w in words)
    widest_text = max((advance(font, t) for t in texts), default=0)
    need = max(min_px, max(widest_word, math.ceil(widest_text / 2)) + extra_px)
    return max(1, min(most, (width + spacing) // (need + spacing)))


def choice_extra_px(metrics: Metrics, font_px: int) -> int:
    """Width a ChoiceButton adds around its words: the mark, its gap, margins and borders."""
    mark = round(font_px * 0.85)
    gap = max(metrics.button_margin_px, mark // 3)
    return mark + gap + 2 * metrics.button_margin_px + 2 * metrics.focus_px + 4


def choice_grid(buttons: Sequence[QWidget], columns: int, spacing: int) -> QWidget:
    """`buttons` laid out by widgets.grid, in a widget of their own (to add to a box)."""
    holder = QWidget()
    holder.setLayout(grid(buttons, columns, spacing))
    return holder


def choice_buttons(
    env: ScreenEnv,
    options: Sequence[tuple[V, str]],
    chosen: object,
    on_chosen: Callable[[V], None],
    name: Callable[[int, V], str],
    *,
    text_role: str | None = None,
    chosen_word_id: str = "survey.chosen",
) -> list[ChoiceButton]:
    """One ChoiceButton a (value, text) of `options`, ticked where value equals `chosen`; a tap
    calls `on_chosen(value)`. `name(index, value)` gives each button's object name."""
    margin = env.theme.metrics.button_margin_px
    chosen_word = env.tr(chosen_word_id)
    buttons: list[ChoiceButton] = []
    for n, (value, text) in enumerate(options):
        button = ChoiceButton(
            [(text, text_role)],
            value=value,
            margin=margin,
            chosen_word=chosen_word,
            selected=value == chosen,
        )
        button.setObjectName(name(n, value))
        button.clicked.connect(lambda _=False, v=value: on_chosen(v))
        buttons.append(button)
    return buttons


def option_grid(env: ScreenEnv, buttons: Sequence[ChoiceButton], *, tiles: bool = False) -> QWidget:
    """`buttons` (from choice_buttons) in as many columns as their longest text allows: in
    tile-sized type (text_role "tileTitle") up to 4, for a dong or topic to pick; else in body
    type up to 3 within the screen's margins, for a setting's value."""
    m = env.theme.metrics
    if tiles:
        font_px, width, most = m.tile_px, env.width, 4
    else:
        font_px = text_px(buttons[0]) if buttons else m.gap_px
        width, most = env.width - 6 * m.gap_px, 3
    texts = [button.lines[0].text() for button in buttons]
    extra = choice_extra_px(m, font_px)
    columns = columns_for_texts(texts, font_px, width, m.gap_px * 2, extra, most)
    return choice_grid(buttons, columns, m.gap_px * 2)


class ProblemMessage(ErrorLabel):
    """What keeps the resident on this step, in plain words, red after a warning sign; hidden
    while there is nothing. The voice guide reads it when it appears (kiosk.ui.speech)."""

    def __init__(self, env: ScreenEnv) -> None:
        super().__init__("")
        self._env = env
        self.setObjectName("problemMessage")
        self.hide()

    def show_problems(
        self, problems: Sequence[P], wording: Callable[[P], str] | None = None
    ) -> None:
        if not problems:
            self.clear_problems()
            return
        texts = [wording(p) if wording else self.describe(p) for p in problems]
        self.show_text("\n".join(dict.fromkeys(texts)))
        log.info("step_refused rules=%s", ",".join(p.rule for p in problems))

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.show()
        # At large text the message may be below the fold: bring it into view once laid out.
        QTimer.singleShot(0, self, self._bring_into_view)

    def _bring_into_view(self) -> None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None and self.isVisible():
            parent.ensureWidgetVisible(self)

    def describe(self, problem: StepProblem) -> str:
        return self._env.tr(problem.message_id, **problem.params)

    def clear_problems(self) -> None:
        self.setText("")
        self.hide()


@dataclass
class FlowNav:
    """The 이전 / 다음 row at the end of a step."""

    widget: QWidget
    back: WrapButton
    next: WrapButton


def flow_nav(
    env: ScreenEnv,
    on_back: Callable[[], None],
    on_next: Callable[[], None] | None,
    next_text: str | None = None,
    next_icon: str = "next",
) -> FlowNav:
    back = env.button(env.tr("flow.back"), name="flowBack", icon="back")
    back.clicked.connect(lambda _=False: on_back())
    nxt = env.button(
        next_text or env.tr("flow.next"), role="primary", name="flowNext", icon=next_icon
    )
    if on_next is None:
        nxt.hide()
    else:
        nxt.clicked.connect(lambda _=False: on_next())
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(env.theme.metrics.gap_px * 2)
    row.addWidget(back, 1)
    row.addWidget(nxt, 2)
    return FlowNav(holder, back, nxt)


def end_step(box: QVBoxLayout, *widgets: QWidget) -> None:
    """Put `widgets` (the problem message, the 이전 / 다음 row) at the foot of the working area,
    where they are on every step."""
    box.addStretch(1)
    for widget in widgets:
        box.addWidget(widget)


def text_step(
    screen: Screen, head: Sequence[QWidget], keyboard: HangulKeyboard, tail: Sequence[QWidget]
) -> None:
    """Lay out a step that is typed. Where the working area is wide enough, the words (`head`,
    then `tail` at the foot) stand left of the keyboard, so the keys need no scrolling;
    elsewhere they stand above it and the keyboard takes the whole width of the window."""
    from kiosk.ui.keyboard import HangulKeyboard  # see the imports above

    env, box = screen.env, screen.box
    m = env.theme.metrics
    box.setContentsMargins(m.gap_px, m.gap_px, m.gap_px, m.gap_px)  # every pixel for the keys
    if env.width >= HangulKeyboard.minimum_width(m) + m.tile_px * 7:
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(box.spacing())
        for widget in head:
            column.addWidget(widget)
        end_step(column, *tail)
        row = QHBoxLayout()
        row.setSpacing(m.gap_px * 3)
        row.addWidget(left, 2)
        row.addWidget(keyboard, 3, Qt.AlignmentFlag.AlignTop)
        box.addLayout(row, 1)
        return
    for widget in head:
        box.addWidget(widget)
    box.addWidget(keyboard)
    end_step(box, *tail)


def review_row(
    env: ScreenEnv,
    heading: str,
    answer: str,
    *,
    name: str,
    on_fix: Callable[[], None] | None = None,
    fix_text: str | None = None,
    right: bool | None = None,
    picture: QWidget | None = None,
) -> QFrame:
    """A card of the review: what was asked and the answer, with 고치기 beside them, and a
    drawn mark with its word for a quiz."""
    m = env.theme.metrics
    card = QFrame()
    card.setObjectName(f"review_{name}")
    card.setProperty("role", "card")
    row = QHBoxLayout(card)
    row.setContentsMargins(m.gap_px * 2, m.gap_px * 2, m.gap_px * 2, m.gap_px * 2)
    row.setSpacing(m.gap_px * 2)
    column = QVBoxLayout()
    column.setSpacing(m.gap_px)
    column.addWidget(label(heading, "muted"))
    if picture is not None:
        column.addWidget(picture)
    answer_label = label(answer, "strong")
    answer_label.setObjectName(f"answer_{name}")
    column.addWidget(answer_label)
    if right is not None:
        word = env.tr("quiz.mark.right" if right else "quiz.mark.wrong")
        column.addWidget(marked_line("right" if right else "wrong", word))
    row.addLayout(column, 1)
    if on_fix is not None:
        fix = env.button(fix_text or env.tr("survey.review.fix"), name=f"fix_{name}")
        fix.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        fix.clicked.connect(lambda _=False: on_fix())
        row.addWidget(fix, 0, Qt.AlignmentFlag.AlignVCenter)
    return card


def marked_line(kind: MarkKind, text: str, role: str = "strong", scale: float = 1.0) -> QWidget:
    """A drawn mark followed by its words, e.g. ○ 맞음; the mark is as tall as the words
    (times `scale`)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    words = label(text, role)
    words.setObjectName(f"mark_{kind}")
    size = round(text_px(words) * scale)
    row.setSpacing(max(8, size // 3))
    row.addWidget(MarkIcon(kind, size, ink_from=words), 0, Qt.AlignmentFlag.AlignVCenter)
    row.addWidget(words, 1)
    return holder


@dataclass(frozen=True)
class TakePart:
    """A way to take part in an item (투표하기, 공감하기, 아이디어 보내기): its button's words,
    the points activity it earns, the button's object name, and the kind of envelope it sends
    when a visit may send it only once (None: the act's own rule decides)."""

    words_id: str
    activity: str
    name: str
    once_kind: str | None = None


def take_part_button(
    env: ScreenEnv, act: TakePart, item_id: str, on_click: Callable[[], None]
) -> WrapButton:
    """A large button that starts `act` on the item, calling `on_click`. Under its words what
    it earns; or, when this visit has sent it already, that it was done (then it cannot be
    pressed)."""
    sent = act.once_kind is not None and env.shell.visit.has_sent(act.once_kind, item_id)
    from kiosk.domain.points import activity_points  # the pack's models: after home's paint

    pack = env.ctx.pack
    points = activity_points(pack, act.activity) if pack is not None else None
    earns = env.tr("survey.points", points=f"{points:,}") if points else ""
    done = env.tr("survey.card.done")
    button = env.button(
        (env.tr(act.words_id), "tileTitle"),
        (done if sent else earns, "tileText"),
        role="primary",
        name=act.name,
        icon=action_icon(act.words_id),
    )
    button.setEnabled(not sent)
    button.clicked.connect(on_click)
    return button


def refusal_text(env: ScreenEnv, refusal: Refusal) -> str:
    """The words of an act's refusal (kiosk.services), as a problem message shows them."""
    return env.tr(refusal.message_id, **refusal.params)


def receipt_line(receipt: Receipt) -> tuple[str, Mapping[str, object]]:
    """The thank-you's line "접수번호 …" for an act's receipt."""
    return ("civic.thanks.receipt", {"number": receipt.number})
