"""How many answers a page holds: room is kept for the chosen word ("고른 답") that a tap adds
under an answer — once a page for radio cards (only one is chosen at a time), once a row for
checkbox cards (every one may be)."""

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
    width = pages.width()
    pages.fit(_snug_room(pages, choices, width), width)
    assert pages.pages > 1  # every box may be ticked: one chosen word is not room enough
