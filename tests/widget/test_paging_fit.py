"""How many answers a page holds: room is kept for the chosen word ("고른 답") that a tap adds
under an answer — once a page for radio cards (only one is chosen at a time), once a row for
checkbox cards (every one may be) — and none where the card holds the word at the right of a
one-line answer."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from contract.content import KST
from kiosk.ui.flow import ChoiceButton
from kiosk.ui.paging import Pages, pages_of, refit
from kiosk.ui.render import show_screen
from kiosk.ui.theme import STEPPED_DOWN
from tests.helpers.audit import hidden_action, out_of_sight, pages_overflow
from tests.helpers.resident import find, on, tap, tap_name, turn_to


def find_all(window, name: str) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget, name) if w.isVisible()]


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


# -- at 200 %: the step's answers and a list's cards come a page at a time, nothing scrolls ----

QUIZ = "survey_2026-quiz-ontong"
PORTRAIT, LANDSCAPE = (1080, 1920), (1920, 1080)


def _at_200(make_window, size):
    window = make_window(size, dong="myeong")
    window.ctx.clock = lambda: datetime(2026, 12, 1, 10, 0, tzinfo=KST)
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    return window


def _fits(window) -> Pages:
    """The page list shown: fitting its page, nothing of the screen to scroll to, and the
    screen's action (a step's 다음 / 정답 확인) whole in sight."""
    QApplication.processEvents()
    shown = [p for p in window.current_screen.findChildren(Pages) if p.isVisible()]
    assert len(shown) == 1
    assert shown[0].overflow == 0
    assert window.scroll_area.verticalScrollBar().maximum() == 0
    assert hidden_action(window) is None
    assert not pages_overflow(window)
    return shown[0]


def _count(window) -> str:
    return find(window, "pageCount").text()


def test_the_quiz_at_landscape_200_pages_its_answers_with_the_action_in_sight(qtbot, make_window):
    """Its first question's long prompt stood over a page too low for one answer (the resident
    scrolled to 100명, 173 px): the progress and the quiz's name now share a line, the question
    stands at the title's size, and the four answers come two a page."""
    window = _at_200(make_window, LANDSCAPE)
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, QUIZ)
    tap_name(qtbot, window, "startButton")
    assert on(window) == "survey_question"
    pages = _fits(window)
    assert _count(window) == "1 / 2쪽"
    progress, quiz = find(window, "progress"), find(window, "progress").parentWidget()
    assert (
        progress.geometry().top()
        == next(lab for lab in quiz.findChildren(QLabel) if lab is not progress).geometry().top()
    )  # one line
    assert find(window, "prompt").property(STEPPED_DOWN) is True
    assert find(window, "choice_n10").isVisible() and not find_all(window, "choice_n100")
    tap(qtbot, pages.next)  # 다음 쪽
    assert _count(window) == "2 / 2쪽" and not pages.next.isEnabled()
    _fits(window)
    tap(qtbot, find(window, "choice_n100"))
    assert find(window, "choice_n100").selected
    tap(qtbot, find(window, "flowNext"))  # 정답 확인
    assert on(window) == "survey_feedback"
    tap_name(qtbot, window, "flowNext")
    tap_name(qtbot, window, "choice_True")
    tap_name(qtbot, window, "flowNext")
    tap_name(qtbot, window, "flowNext")
    # Several to tick: each tick keeps the page, and every answer is reached by 다음 쪽.
    pages = _fits(window)
    assert _count(window).startswith("1 / ")
    ticked = []
    for answer in ("survey", "proposal", "budget"):
        turn_to(qtbot, window, f"choice_{answer}")
        tap(qtbot, find(window, f"choice_{answer}"))
        ticked.append(find(window, f"choice_{answer}"))
        _fits(window)
    assert all(choice.selected for choice in ticked)
    assert pages.pages > 1 and _count(window) == f"{pages.page + 1} / {pages.pages}쪽"
    tap(qtbot, find(window, "flowNext"))
    assert on(window) == "survey_feedback"


@pytest.mark.parametrize("size", (PORTRAIT, LANDSCAPE), ids=("portrait", "landscape"))
def test_the_proposals_list_at_200_pages_its_cards_under_its_title_and_filters(
    qtbot, make_window, size
):
    """The list's words and filters left no room for a card (303 px landscape, 140 portrait
    to scroll): the count beside the title, 새 제안 쓰기 beside them where it fits, and the
    order a filter like the dong and topic, so that a card a page stands with 이전 쪽 / 다음 쪽."""
    window = _at_200(make_window, size)
    tap_name(qtbot, window, "tile_proposals")
    pages = _fits(window)
    assert _count(window) == f"1 / {pages.pages}쪽" and pages.pages > 1
    assert out_of_sight(window, find(window, "writeProposal")) is None
    assert find(window, "proposalsShown").text() == "제안 11건"
    for _ in range(2):
        tap(qtbot, pages.next)
        _fits(window)
    assert _count(window) == f"3 / {pages.pages}쪽"
    tap(qtbot, pages.previous)
    assert _count(window) == f"2 / {pages.pages}쪽"
    turns = turn_to(qtbot, window, "proposal_lunch-yaksu")
    assert turns > 0
    card = find(window, "proposal_lunch-yaksu")
    assert out_of_sight(window, card) is None
    _fits(window)
    tap(qtbot, card)
    assert on(window) == "proposal"


def test_the_audit_finds_a_page_list_overflowing_its_page(qtbot, make_window):
    """Pages.overflow held by the audit: a page given less room than its tallest card."""
    window = _at_200(make_window, LANDSCAPE)
    tap_name(qtbot, window, "tile_proposals")
    pages = _fits(window)
    pages.fit(pages.height() // 3, pages.width())
    assert pages.overflow > 0
    problems = pages_overflow(window)
    assert len(problems) == 1 and "overflows its page by" in problems[0]
    refit(window.current_screen)
    assert pages.overflow == 0 and not pages_overflow(window)


def test_the_survey_review_at_portrait_200_with_the_low_screen_pages_every_answer(
    qtbot, make_window
):
    """낮은 화면 at 200 % on a portrait window: the review's title, the survey's name and the
    hint left no room for an answer with 이전 쪽 / 다음 쪽 (the page overflowed by 410 px, the
    resident scrolled). The hint now stands on the first page only, shortened to fit it over
    the first answer; every other page has its room. Each answer is reached by 다음 쪽, whole
    in sight with 보내기, and nothing scrolls."""
    window = make_window(PORTRAIT)
    window.prefs.set(language="ko", text_scale=200, high_contrast=False, low_screen=True)
    assert window.reach_rect().height() < window.height()  # the band is lower than the window
    show_screen(window, "survey_review")
    pages = _fits(window)
    assert pages.pages > 1 and _count(window) == f"1 / {pages.pages}쪽"
    title = next(
        w for w in window.current_screen.findChildren(QLabel) if w.property("role") == "title"
    )
    hint = [w for w in pages.lead if w.isVisible()]
    assert hint, "the screen's words stand on the first page"
    seen = []
    for page in range(pages.pages):
        if page:
            tap(qtbot, pages.next)
            pages = _fits(window)
            assert not any(w.isVisible() for w in pages.lead)  # on the first page only
        assert _count(window) == f"{page + 1} / {pages.pages}쪽" and title.isVisible()
        shown = [item for item in pages.items if item.isVisible()]
        assert shown  # every page shows part of the list
        for item in shown:
            assert out_of_sight(window, item) is None
        seen += shown
    assert seen == pages.items and not pages.next.isEnabled()
    tap(qtbot, pages.previous)
    assert _count(window) == f"{pages.pages - 1} / {pages.pages}쪽"
