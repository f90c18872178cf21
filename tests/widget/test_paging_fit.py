"""How many answers a page holds: room is kept for the chosen word ("고른 답") that a tap adds
under an answer — once a page for radio cards (only one is chosen at a time), once a row for
checkbox cards (every one may be) — and none where the card holds the word at the right of a
one-line answer."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from kiosk.ui.flow import ChoiceButton
from kiosk.ui.paging import Pages, pages_of
from kiosk.ui.render import show_screen


def _answers(window, sample: str) -> tuple[Pages, list[ChoiceButton]]:
    show_screen(window, sample)
    QApplication.processEvents()
    choices = window.current_screen.findChildren(ChoiceButton)
    pages = pages_of(choices[0])
    assert pages is not None
    return pages, choices


def _snug_room(pages: Pages, choices: list[ChoiceButton], width: int) -> int:
    """Room for every answer unchosen, and one chosen word besides."""
    rows = [choice.heightForWidth(width) for choice in choices]
    chosen_word = choices[0].chosen_label.sizeHint().height() + choices[0].box.spacing()
    return sum(rows) + pages.spacing * (len(rows) - 1) + chosen_word


def test_radio_cards_keep_room_for_one_chosen_word_not_one_a_row(window):
    pages, choices = _answers(window, "survey_question_single_choice")
    assert not choices[0].multiple and pages.columns == 1
    width = pages.width()
    pages.fit(_snug_room(pages, choices, width), width)
    assert pages.pages == 1  # a room one chosen word short of every row chosen: was 2 pages

    choices[-1].click()  # the last answer chosen: it grows by its word, and still fits
    QApplication.processEvents()
    assert pages.isVisible() and all(choice.isVisible() for choice in choices)


def test_checkbox_cards_keep_room_for_the_chosen_word_of_every_row(window):
    pages, choices = _answers(window, "survey_question_multiple_choice")
    assert choices[0].multiple and pages.columns == 1
    # Cards as narrow as the shortest answer: no room for a chosen word beside any.
    width = min(choice.sizeHint().width() for choice in choices)
    pages.fit(_snug_room(pages, choices, width), width)
    assert not any(choice.chosen_beside for choice in choices)
    assert pages.pages > 1  # every box may be ticked: one chosen word is not room enough


def test_a_one_line_answer_holds_its_chosen_word_beside_it(qtbot, make_window):
    """The four-answer age question at 200 % on a portrait window: each card holds "고른 답"
    at the right of its answer, so choosing grows no card and the page keeps no room for it:
    the four answers come as one page (they were two, 23 px short)."""
    window = make_window((1080, 1920))
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    pages, choices = _answers(window, "survey_question_single_choice")
    qtbot.waitUntil(lambda: pages.pages == 1)
    assert len(choices) == 4 and all(choice.chosen_beside for choice in choices)
    before = choices[1].height()
    choices[1].click()
    QApplication.processEvents()
    word = choices[1].chosen_label
    assert word.isVisible() and word.text() == "고른 답"
    answer = choices[1].lines[0]
    assert word.geometry().left() > answer.geometry().right()  # beside it, not under
    assert choices[1].height() == before
    assert window.scroll_area.verticalScrollBar().maximum() == 0
