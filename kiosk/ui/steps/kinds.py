"""The body of each step kind: what stands between a step's lines and its action row.

Each drawing reads only the `Step` (kiosk.domain.steps) and passes taps back to the flow
through the screen; none knows which flow it draws.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtWidgets import QWidget

from kiosk.domain.steps import Option, Value
from kiosk.ui.flow import (
    ChoiceButton,
    FaceIcon,
    choice_extra_px,
    choice_grid,
    columns_for_texts,
    picture_view,
    review_row,
)
from kiosk.ui.keyboard import HangulKeyboard
from kiosk.ui.paging import Pages
from kiosk.ui.steps.identify import keypad, step_keypad
from kiosk.ui.steps.screen import StepScreen, lines_widgets, say

Body = Callable[[StepScreen], list[QWidget]]


def info(screen: StepScreen) -> list[QWidget]:
    """Only words (an intro, a quiz's feedback): nothing between them and the action."""
    return []


# -- choice and picture choice ----------------------------------------------------------------


def _button(
    screen: StepScreen,
    option: Option,
    *,
    picture: QWidget | None = None,
    stacked: bool = False,
    one_line: bool = False,
) -> ChoiceButton:
    env, step = screen.env, screen.step
    lines = [(say(env, line.words), line.role) for line in option.lines]
    if one_line:  # a compact row: "매우 불만족 · 1점", the chosen word beside where it fits
        lines = [(" · ".join(words for words, _ in lines), lines[0][1])]
    button = ChoiceButton(
        lines,
        value=option.value,
        margin=env.theme.metrics.button_margin_px,
        chosen_word=say(env, step.chosen_word),
        picture=picture,
        stacked=stacked,
        multiple=step.multiple,
    )
    button.setObjectName(option.name)
    button.setEnabled(step.enabled)
    button.clicked.connect(lambda _=False, v=option.value: _choose(screen, v))
    screen.choices.append(button)
    return button


def _choose(screen: StepScreen, value: Value) -> None:
    problems = screen.flow.choose(screen.at, value)
    if screen.step.moves_on and not problems:
        screen.move_on()
        return
    screen.refresh()
    screen.message.show_problems(problems)


def _columns(
    screen: StepScreen, texts: list[str], most: int, extra: int, min_px: int = 0, font_px: int = 0
) -> int:
    m = screen.env.theme.metrics
    return columns_for_texts(
        texts, font_px or m.tile_px, screen.env.width, m.gap_px * 2, extra, most, min_px
    )


def _paged(screen: StepScreen, items: Sequence[QWidget], columns: int) -> QWidget:
    """`items` a page at a time where they do not all fit (kiosk.ui.paging), opening on the
    page the resident last turned to."""
    flow, at = screen.flow, screen.at
    return Pages(
        screen.env,
        items,
        columns,
        screen.env.theme.metrics.gap_px * 2,
        first_item=flow.shown_from.get(at, 0),
        on_turn=lambda first: flow.turned(at, first),
    )


def _action(screen: StepScreen, option: Option) -> QWidget:
    env = screen.env
    lines = [(say(env, line.words), line.role) for line in option.lines]
    button = env.button(*lines, role="primary" if option.primary else None, name=option.name)
    button.clicked.connect(lambda _=False, v=option.value: _choose(screen, v))
    return button


def choice(screen: StepScreen) -> list[QWidget]:
    """Answers as large buttons: a list (one or two columns), five faces of a scale, two
    large tiles, or actions (one a row)."""
    env, step = screen.env, screen.step
    m = env.theme.metrics
    if step.layout == "actions":
        return [choice_grid([_action(screen, o) for o in step.options], 1, m.gap_px * 2)]
    texts = [say(env, o.lines[0].words) for o in step.options]
    extra = choice_extra_px(m, m.tile_px)
    if step.layout == "faces":
        face_px = round(m.body_px * 1.8)
        # Five faces side by side when they fit, else one below the other with the face first.
        stacked = _columns(screen, texts, 5, extra, face_px) == 5
        columns = 5 if stacked else 1
        for option in step.options:
            face = FaceIcon(option.face or 3, face_px)
            button = _button(screen, option, picture=face, stacked=stacked, one_line=not stacked)
            face.ink_from = button.lines[0]  # drawn in the colour of the button's words
        if not stacked:  # one under the other: a page at a time where they do not all fit
            screen.show_chosen()
            return [_paged(screen, screen.choices, columns)]
    elif step.layout == "tiles":
        for option in step.options:  # as tall as the home tiles
            _button(screen, option, stacked=True).setProperty("tile", True)
        extra = choice_extra_px(m, m.title_px)
        columns = _columns(screen, texts, len(texts), extra, font_px=m.title_px)
    else:
        wide = env.width >= m.target_px * 15  # landscape: lists may take two columns
        for option in step.options:
            _button(screen, option)
        columns = _columns(screen, texts, step.most or (2 if wide else 1), extra)
        screen.show_chosen()
        return [_paged(screen, screen.choices, columns)]
    screen.show_chosen()
    return [choice_grid(screen.choices, columns, m.gap_px * 2)]


def picture_choice(screen: StepScreen) -> list[QWidget]:
    """Answers as pictures with their names under them, up to four a row; one a row, a
    larger picture, or on a landscape window where the step says so, one at the left of
    the words (a low card: over them it made the card too high for a page at large text,
    and the picture was left out)."""
    env, step, spec = screen.env, screen.step, screen.step.pictures
    m = env.theme.metrics
    texts = [say(env, o.lines[0].words) for o in step.options]
    height = round(m.target_px * spec.height)
    card_px = max(round(height * 4 / 3), m.body_px * spec.min_em)
    card_px += 2 * m.button_margin_px + 2 * m.focus_px
    columns = _columns(screen, texts, spec.most, choice_extra_px(m, m.tile_px), card_px)
    beside = columns == 1 and spec.beside and env.landscape
    if columns == 1 and not beside:  # one picture a row: let it be larger
        height = round(height * spec.grow)
    for option in step.options:
        picture = picture_view(env.ctx.asset_file(option.picture or ""), height)
        _button(screen, option, picture=picture, stacked=not beside)
    screen.show_chosen()
    return [_paged(screen, screen.choices, columns)]


# -- text ---------------------------------------------------------------------------------------


def text(screen: StepScreen) -> list[QWidget]:
    """The on-screen keyboard, kept in sight in the action bar with the step's 다음 (so it
    has no 입력 완료 of its own: one action)."""
    env, entry = screen.env, screen.step.entry
    assert entry is not None
    keyboard = env.shell.shelf.take(
        "keyboard",
        (env.language, env.theme, env.width, env.landscape),
        lambda: HangulKeyboard(
            env.translator,
            env.theme.metrics,
            max_length=entry.max_length,
            multiline=entry.multiline,
            initial_text=entry.initial,
            confirm=False,
            compact=True,  # with the step's words and 다음 on one screen: one line fewer
            landscape=env.landscape,
        ),
        lambda kept: kept.start_over(
            max_length=entry.max_length, multiline=entry.multiline, initial_text=entry.initial
        ),
    )

    def typed(text: str) -> None:
        screen.message.show_problems(screen.flow.type(screen.at, text))

    keyboard.text_changed.connect(typed)
    keyboard.setEnabled(screen.step.enabled)
    screen.keyboard = keyboard
    screen.entry = [keyboard]
    return []


# -- number -------------------------------------------------------------------------------------


def number(screen: StepScreen) -> list[QWidget]:
    """The keypad, kept in sight in the action bar with the step's 다음; each key hands the
    digits to the flow, which words the value in the step's pinned line (refreshed)."""
    env, spec = screen.env, screen.step.number
    assert spec is not None
    pad = step_keypad(env)
    typed = [spec.initial]

    def changed(digits: str) -> None:
        problems = screen.flow.type(screen.at, digits)
        if problems:
            screen.message.show_problems(problems)
            return
        typed[0] = digits
        screen.message.clear_problems()
        screen.refresh()

    def digit(d: str) -> None:
        if len(typed[0]) < spec.max_digits and (typed[0] or d != "0"):
            changed(typed[0] + d)

    pad.digit.connect(digit)
    pad.erase.connect(lambda: changed(typed[0][:-1]))
    pad.setEnabled(screen.step.enabled)
    screen.keypad = pad
    screen.entry = [pad]
    return []


# -- review -------------------------------------------------------------------------------------


def review_rows(screen: StepScreen) -> list[QWidget]:
    """A card per answer (or per line of a history), with 고치기 where it may still change."""
    env = screen.env
    m = env.theme.metrics
    rows: list[QWidget] = []
    for row in screen.step.rows:
        fix: Callable[[], None] | None = None
        if row.fix is not None:
            fix = lambda at=row.fix: screen.go(at)  # noqa: E731
        rows.append(
            review_row(
                env,
                say(env, row.heading),
                say(env, row.answer),
                name=row.name,
                on_fix=fix,
                right=row.right,
                picture=picture_view(env.ctx.asset_file(row.picture), m.target_px * 2)
                if row.picture is not None
                else None,
            )
        )
    return rows


def review(screen: StepScreen) -> list[QWidget]:
    """A review: its cards, a page at a time where they do not all fit."""
    return [_paged(screen, review_rows(screen), 1)]


BODIES: Mapping[str, Body] = {
    "info": info,
    "choice": choice,
    "picture_choice": picture_choice,
    "text": text,
    "number": number,
    "review": review,
    "identify": keypad,
}

__all__ = ["BODIES", "lines_widgets"]
