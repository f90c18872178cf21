"""Surveys and the policy quiz as a resident meets them: taps only, from the home screen to the
envelope in the outbox."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from nacl.public import PrivateKey
from PySide6.QtWidgets import QLabel

from contract.content import KST
from kiosk.store.quick import DB_FILENAME
from kiosk.ui.paging import pages_of
from kiosk.ui.render import screen_names, show_screen
from tests.helpers.audit import clipped_labels, small_targets
from tests.helpers.resident import (
    enrol,
    find,
    find_paged,
    identify,
    on,
    send_anonymously,
    shown,
    tap,
    tap_back,
    tap_name,
    tap_setting,
    type_text,
    words,
)

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
DIGITAL, WALK, QUIZ = "2026-senior-digital", "2026-walkable-junggu", "2026-quiz-ontong"


@pytest.fixture
def kiosk(make_window):
    """A portrait kiosk on the demo content on 1 December 2026, enrolled (its server's key)."""
    window = make_window()
    window.ctx.clock = lambda: NOW
    enrol(window, PrivateKey.generate())
    return window


def queued(window) -> list:
    return window.ctx.outbox.pending()


def open_survey(qtbot, window, survey_id: str) -> None:
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"survey_{survey_id}")
    assert on(window) == "survey_intro"
    tap_name(qtbot, window, "startButton")
    assert on(window) == "survey_question"


def choose(qtbot, window, value) -> None:
    tap_name(qtbot, window, f"choice_{value}")


def next_step(qtbot, window) -> None:
    tap_name(qtbot, window, "flowNext")


def current_question(window) -> str:
    return window.navigator.current.params["at"].key


def chosen(window) -> list[str]:
    return [b.objectName() for b in window.current_screen.choices if b.selected]


# -- what is offered --------------------------------------------------------------------------


def test_the_list_offers_every_open_survey_quiz_and_contest(qtbot, kiosk):
    tap_name(qtbot, kiosk, "tile_surveys")
    assert on(kiosk) == "surveys"
    for name in (
        f"survey_{DIGITAL}",
        f"survey_{WALK}",
        f"survey_{QUIZ}",
        "contest_2026-alley-photo",
    ):
        assert find(kiosk, name).isEnabled()
    card = find(kiosk, f"survey_{QUIZ}").accessibleName()
    assert "정책퀴즈" in card and "2027년 6월 30일까지" in card and "300점" in card


def test_a_closed_survey_and_one_opening_tomorrow_are_not_offered(qtbot, kiosk):
    pack = kiosk.ctx.pack
    digital, walk = pack.survey(DIGITAL), pack.survey(WALK)
    closed = digital.model_copy(update={"closes_at": NOW - timedelta(hours=1)})
    tomorrow = walk.model_copy(update={"opens_at": NOW + timedelta(days=1)})
    kiosk.ctx.pack = pack.model_copy(update={"surveys": [closed, tomorrow, pack.survey(QUIZ)]})
    tap_name(qtbot, kiosk, "tile_surveys")
    assert not shown(kiosk, f"survey_{DIGITAL}") and not shown(kiosk, f"survey_{WALK}")
    assert shown(kiosk, f"survey_{QUIZ}")


def test_the_clock_decides_what_is_open(qtbot, kiosk):
    kiosk.ctx.clock = lambda: datetime(2027, 3, 1, 9, 0, tzinfo=KST)  # the walk survey closed
    tap_name(qtbot, kiosk, "tile_surveys")
    assert shown(kiosk, f"survey_{DIGITAL}") and not shown(kiosk, f"survey_{WALK}")
    assert not shown(kiosk, "contest_2026-alley-photo")  # closed on 15 January


def test_nothing_open_says_so(qtbot, kiosk):
    kiosk.ctx.clock = lambda: datetime(2028, 1, 1, tzinfo=KST)
    tap_name(qtbot, kiosk, "tile_surveys")
    assert "지금 참여할 수 있는 설문이나 공모가 없습니다" in find(kiosk, "surveysEmpty").text()


def test_the_intro_offers_the_survey_on_a_phone_too(qtbot, kiosk):
    tap_name(qtbot, kiosk, "tile_surveys")
    tap_name(qtbot, kiosk, f"survey_{WALK}")
    tap_name(qtbot, kiosk, "shareButton")
    assert on(kiosk) == "share"
    assert kiosk.navigator.current.params["url"] == kiosk.ctx.pack.survey(WALK).url
    tap_back(qtbot, kiosk)
    assert on(kiosk) == "survey_intro"


# -- a whole survey by taps -------------------------------------------------------------------


@pytest.mark.parametrize("smartphone", ["yes", "no"])
def test_a_resident_completes_the_digital_survey_by_taps(qtbot, kiosk, smartphone):
    open_survey(qtbot, kiosk, DIGITAL)
    assert find(kiosk, "progress").text() == "질문 1 / 5"
    # A required question left empty: a plain message, and the resident stays.
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "age"
    assert "꼭 답해야 하는 질문입니다" in find(kiosk, "problemMessage").text()
    choose(qtbot, kiosk, "70s")
    assert chosen(kiosk) == ["choice_70s"]
    assert "고른 답" in find(kiosk, "choice_70s").accessibleName()
    choose(qtbot, kiosk, "80plus")  # a single choice moves, it does not add
    assert chosen(kiosk) == ["choice_80plus"]
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "smartphone"
    choose(qtbot, kiosk, smartphone == "yes")
    next_step(qtbot, kiosk)
    # The show-if branch.
    if smartphone == "yes":
        assert current_question(kiosk) == "uses"
        assert find(kiosk, "progress").text() == "질문 3 / 6"
        choose(qtbot, kiosk, "kakao")
        choose(qtbot, kiosk, "maps")
    else:
        assert current_question(kiosk) == "why_not"
        choose(qtbot, kiosk, "eyesight")
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "class_satisfaction"
    choose(qtbot, kiosk, 4)
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "want_to_learn"
    type_text(qtbot, kiosk.current_screen.keyboard, "기차표 예매")
    tap_name(qtbot, kiosk, "flowNext")  # the step's 다음 is the one action: no 입력 완료
    assert current_question(kiosk) == "wishes"
    next_step(qtbot, kiosk)  # optional: skipped
    assert on(kiosk) == "survey_review"
    # Every answer's card, on whichever page of the review it stands.
    review = "\n".join(
        answer.text()
        for answer in kiosk.current_screen.findChildren(QLabel)
        if answer.objectName().startswith("answer_")
    )
    assert "80세 이상" in review and "만족 (4점)" in review and "기차표 예매" in review
    assert "답하지 않음" in review
    # A correction from the review comes back to the review.
    tap_name(qtbot, kiosk, "fix_age")
    assert current_question(kiosk) == "age" and chosen(kiosk) == ["choice_80plus"]
    choose(qtbot, kiosk, "60s")
    next_step(qtbot, kiosk)
    assert on(kiosk) == "survey_review"
    assert find(kiosk, "answer_age").text() == "60대"
    assert queued(kiosk) == []
    tap_name(qtbot, kiosk, "submitButton")
    # 포인트 받기: 본인 확인, then the points are promised as the server will credit them.
    assert on(kiosk) == "points_choice"
    assert "참여 포인트 500점을 받으시겠어요?" in words(kiosk)
    tap_name(qtbot, kiosk, "earnPoints")
    identify(qtbot, kiosk)
    assert on(kiosk) == "thanks"
    assert find(kiosk, "thanksPoints").text() == (
        "참여 포인트 500점은 구청 서버에서 확인한 뒤 적립됩니다."
    )
    envelopes = queued(kiosk)
    assert len(envelopes) == 1
    envelope = envelopes[0]
    assert envelope.kind == "survey_response"
    assert envelope.sealed_identity is not None
    assert envelope.content_version == kiosk.ctx.pack.content_version
    branch = {"uses": ["kakao", "maps"]} if smartphone == "yes" else {"why_not": "eyesight"}
    assert envelope.payload == {
        "survey_id": DIGITAL,
        "answers": {
            "age": "60s",
            "smartphone": smartphone == "yes",
            **branch,
            "class_satisfaction": 4,
            "want_to_learn": "기차표 예매",
        },
    }
    # Durable: another connection to the database file sees it committed.
    with sqlite3.connect(kiosk.ctx.data_dir / DB_FILENAME) as raw:
        rows = raw.execute("SELECT kind, payload FROM outbox").fetchall()
    assert len(rows) == 1 and rows[0][0] == "survey_response"


def test_a_resident_completes_the_walking_survey_by_taps(qtbot, kiosk):
    open_survey(qtbot, kiosk, WALK)
    assert find(kiosk, "progress").text() == "질문 1 / 6"
    choose(qtbot, kiosk, "deoksugung")  # a picture
    next_step(qtbot, kiosk)
    choose(qtbot, kiosk, "weekly_few")
    next_step(qtbot, kiosk)
    choose(qtbot, kiosk, 2)
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "needs"
    next_step(qtbot, kiosk)  # none chosen yet
    assert "꼭 답해야 하는" in find(kiosk, "problemMessage").text()
    choose(qtbot, kiosk, "bench")
    assert not shown(kiosk, "problemMessage")
    choose(qtbot, kiosk, "shade")
    choose(qtbot, kiosk, "lighting")  # a third, over the limit of two
    assert "2개까지만 고를 수 있어요" in find(kiosk, "problemMessage").text()
    assert chosen(kiosk) == ["choice_bench", "choice_shade"]
    choose(qtbot, kiosk, "bench")  # unchoose one, then the third fits
    choose(qtbot, kiosk, "lighting")
    assert chosen(kiosk) == ["choice_shade", "choice_lighting"]
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "walking_event"
    next_step(qtbot, kiosk)  # optional yes/no, skipped
    assert current_question(kiosk) == "hard_places"
    type_text(qtbot, kiosk.current_screen.keyboard, "시장 앞 계단\n손잡이가 없어요")
    next_step(qtbot, kiosk)
    assert on(kiosk) == "survey_review"
    send_anonymously(qtbot, kiosk)
    # Sent without identity: it earns nothing, and the thank-you promises nothing.
    assert on(kiosk) == "thanks" and not shown(kiosk, "thanksPoints")
    assert "포인트" not in words(kiosk)
    [envelope] = queued(kiosk)
    assert envelope.sealed_identity is None
    assert envelope.payload == {
        "survey_id": WALK,
        "answers": {
            "favorite_route": "deoksugung",
            "how_often": "weekly_few",
            "walk_satisfaction": 2,
            "needs": ["shade", "lighting"],
            "hard_places": "시장 앞 계단\n손잡이가 없어요",
        },
    }


def test_the_quiz_shows_right_or_wrong_with_the_explanation_and_a_score(qtbot, kiosk):
    open_survey(qtbot, kiosk, QUIZ)
    assert find(kiosk, "flowNext").accessibleName() == "정답 확인"
    choose(qtbot, kiosk, "n50")
    next_step(qtbot, kiosk)
    assert on(kiosk) == "survey_feedback"
    assert find(kiosk, "mark_wrong").text() == "아쉽지만 틀렸어요."  # words and a drawn ✕
    assert find(kiosk, "rightAnswer").text() == "정답: 100명"
    assert "공감 100명을 넘은 제안" in find(kiosk, "explanation").text()
    # Back to the question: the answer is kept and can no longer be changed.
    tap_name(qtbot, kiosk, "flowBack")
    assert chosen(kiosk) == ["choice_n50"] and not find(kiosk, "choice_n100").isEnabled()
    next_step(qtbot, kiosk)
    assert on(kiosk) == "survey_feedback"
    next_step(qtbot, kiosk)
    choose(qtbot, kiosk, True)
    next_step(qtbot, kiosk)
    assert find(kiosk, "mark_right").text() == "정답입니다!"
    next_step(qtbot, kiosk)
    for option in ("survey", "proposal", "budget"):
        choose(qtbot, kiosk, option)
    next_step(qtbot, kiosk)
    assert find(kiosk, "mark_right").isVisible()
    next_step(qtbot, kiosk)
    assert on(kiosk) == "survey_review"
    assert find(kiosk, "quizScore").text() == "3문제 가운데 2문제를 맞혔어요."
    assert not shown(kiosk, "fix_threshold")  # no 고치기 after seeing the answers
    tap_name(qtbot, kiosk, "submitButton")
    assert "참여 포인트 300점을 받으시겠어요?" in words(kiosk)  # the quiz's own rule
    tap_name(qtbot, kiosk, "earnPoints")
    identify(qtbot, kiosk)
    assert "300점" in find(kiosk, "thanksPoints").text()
    assert find(kiosk, "quiz_score").text() == "3문제 가운데 2문제를 맞혔어요."
    [envelope] = queued(kiosk)
    assert envelope.payload["answers"] == {
        "threshold": "n50",
        "exchange": True,
        "what_you_can_do": ["survey", "proposal", "budget"],
    }


# -- moving around ----------------------------------------------------------------------------


def test_the_bars_back_and_the_flows_back_both_go_to_the_question_before(qtbot, kiosk):
    open_survey(qtbot, kiosk, DIGITAL)
    choose(qtbot, kiosk, "70s")
    next_step(qtbot, kiosk)
    tap_back(qtbot, kiosk)
    assert current_question(kiosk) == "age" and chosen(kiosk) == ["choice_70s"]
    next_step(qtbot, kiosk)
    tap_name(qtbot, kiosk, "flowBack")
    assert current_question(kiosk) == "age"


def test_text_size_and_language_changes_keep_the_answers(qtbot, kiosk):
    open_survey(qtbot, kiosk, WALK)
    choose(qtbot, kiosk, "namsan")
    tap_setting(qtbot, kiosk, "textSizeButton")
    tap_setting(qtbot, kiosk, "languageButton")
    assert find(kiosk, "prompt").text().startswith("Pick the Jung-gu walk")
    assert chosen(kiosk) == ["choice_namsan"]
    assert find(kiosk, "progress").text() == "Question 1 of 6"


def test_idle_reset_mid_survey_leaves_no_envelope_and_no_answer(qtbot, kiosk, idle_clock):
    open_survey(qtbot, kiosk, DIGITAL)
    choose(qtbot, kiosk, "80plus")
    next_step(qtbot, kiosk)
    choose(qtbot, kiosk, True)
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    kiosk.idle.check()
    assert kiosk.in_attract
    tap(qtbot, kiosk.current_screen)  # the next resident
    assert on(kiosk) == "home" and not kiosk.navigator.can_go_back
    open_survey(qtbot, kiosk, DIGITAL)
    assert chosen(kiosk) == []
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "age"  # nothing answered: the first question holds
    assert kiosk.ctx.outbox.counts_by_status() == {"pending": 0, "sent": 0, "dead": 0}


# -- sending ----------------------------------------------------------------------------------


def answer_quiz(qtbot, window) -> None:
    open_survey(qtbot, window, QUIZ)
    for value in ("n100", True, "survey"):
        choose(qtbot, window, value)
        next_step(qtbot, window)
        next_step(qtbot, window)
    assert on(window) == "survey_review"


def test_one_response_per_survey_per_visit(qtbot, kiosk):
    answer_quiz(qtbot, kiosk)
    send_anonymously(qtbot, kiosk)
    tap_name(qtbot, kiosk, "thanksStay")
    # The thank-you offers no 이전 (the flow is finished): the history walked back all the same,
    # to the choice, then the review: it cannot be sent again.
    assert not kiosk.back_button.isVisible()
    kiosk.go_back()
    assert on(kiosk) == "points_choice" and not shown(kiosk, "earnPoints")
    assert not shown(kiosk, "earn_anonymous") and shown(kiosk, "alreadySent")
    tap_back(qtbot, kiosk)
    assert on(kiosk) == "survey_review" and not shown(kiosk, "submitButton")
    assert "이미 보내셨습니다" in find(kiosk, "alreadySent").text()
    tap(qtbot, kiosk.home_button)  # the same visit
    tap_name(qtbot, kiosk, "tile_surveys")
    card = find(kiosk, f"survey_{QUIZ}")
    assert not card.isEnabled() and "참여 완료" in card.accessibleName()
    assert find(kiosk, f"survey_{DIGITAL}").isEnabled()
    assert len(queued(kiosk)) == 1


@pytest.mark.logs_error("submission_failed kind=survey_response error=OperationalError")
def test_a_failed_write_says_so_and_keeps_the_answers(qtbot, kiosk, monkeypatch):
    answer_quiz(qtbot, kiosk)

    def full_disk(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(kiosk.ctx.outbox, "enqueue", full_disk)
    send_anonymously(qtbot, kiosk)
    assert on(kiosk) == "points_choice"
    assert "보내지 못했습니다" in find(kiosk, "problemMessage").text()
    monkeypatch.undo()
    tap_name(qtbot, kiosk, "earn_anonymous")
    assert on(kiosk) == "thanks" and len(queued(kiosk)) == 1


def test_a_survey_that_closes_while_answering_is_not_sent(qtbot, kiosk):
    answer_quiz(qtbot, kiosk)
    kiosk.ctx.clock = lambda: datetime(2027, 7, 1, tzinfo=KST)
    send_anonymously(qtbot, kiosk)
    assert "참여 기간이 끝나서" in find(kiosk, "problemMessage").text()
    assert queued(kiosk) == []


# -- thank-you --------------------------------------------------------------------------------


def later_by(window, seconds: float) -> None:
    """Move the thank-you screen's clock forward."""
    auto = window.navigator.current.params["auto"]
    start = auto.clock()
    auto.clock = lambda: start + seconds


def test_thank_you_returns_home_by_itself_and_ends_the_visit(qtbot, kiosk):
    tap_setting(qtbot, kiosk, "textSizeButton")
    answer_quiz(qtbot, kiosk)
    send_anonymously(qtbot, kiosk)
    assert find(kiosk, "thanksCountdown").text() == "10초 뒤에 처음 화면으로 돌아갑니다."
    later_by(kiosk, 4)
    qtbot.waitUntil(lambda: "6초" in find(kiosk, "thanksCountdown").text())
    later_by(kiosk, 6)
    qtbot.waitUntil(lambda: on(kiosk) == "home")
    assert kiosk.prefs.text_scale == 100 and not kiosk.navigator.can_go_back
    tap_name(qtbot, kiosk, "tile_surveys")
    assert find(kiosk, f"survey_{QUIZ}").isEnabled()  # a new visit


def test_thank_you_can_be_kept_on_screen_and_left_by_a_touch(qtbot, kiosk):
    answer_quiz(qtbot, kiosk)
    send_anonymously(qtbot, kiosk)
    tap_name(qtbot, kiosk, "thanksStay")
    assert "그대로 있습니다" in find(kiosk, "thanksCountdown").text()
    assert not shown(kiosk, "thanksStay")
    later_by(kiosk, 60)
    qtbot.wait(450)  # two ticks of its timer: it must not leave by itself now
    assert on(kiosk) == "thanks"
    tap(qtbot, find(kiosk, "thanksCountdown"))  # a touch anywhere on the screen
    assert on(kiosk) == "home"


# -- layout -----------------------------------------------------------------------------------


def test_every_flow_screen_is_in_the_rendered_set():
    names = set(screen_names(None))
    for name in ("surveys", "survey_intro", "survey_feedback", "survey_review", "thanks"):
        assert name in names
    for kind in (
        "single_choice",
        "multiple_choice",
        "scale",
        "yes_no",
        "short_text",
        "long_text",
        "image_choice",
    ):
        assert f"survey_question_{kind}" in names
    for name in (
        "contest",
        "contest_entries",
        "contest_vote_review",
        "contest_idea_title",
        "contest_idea_text",
        "contest_idea_review",
    ):
        assert name in names


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_messages_and_chosen_states_fit_at_the_largest_text(qtbot, make_window, size):
    """The shell's audit sees each screen as first shown; this one sees them after taps."""
    window = make_window(size)
    window.ctx.clock = lambda: NOW
    window.prefs.set(language="ko", text_scale=200, high_contrast=False)
    problems: list[str] = []

    def audit(where: str) -> None:
        qtbot.wait(1)
        problems.extend(f"{where}: {p}" for p in clipped_labels(window))
        problems.extend(f"{where}: {p}" for p in small_targets(window, 96))

    for name in ("survey_question_multiple_choice", "survey_question_image_choice"):
        show_screen(window, name)
        choices = window.current_screen.choices
        for button in choices:
            tap_name(qtbot, window, button.objectName())
        pages = pages_of(choices[0])
        assert pages is not None
        for page in range(pages.pages):  # every answer chosen, page by page
            pages.show_page(page)
            audit(f"{name} page {page + 1}")
    show_screen(window, "survey_question_single_choice")
    next_step(qtbot, window)
    audit("required message")
    show_screen(window, "thanks")
    tap_name(qtbot, window, "thanksStay")
    audit("thanks stopped")
    assert not problems, "\n".join(problems)


def test_the_keyboard_is_kept_from_one_typing_step_to_the_next_and_starts_over(qtbot, kiosk):
    """One keyboard for every step that types (built once, not at each step): at the next
    step it starts over (empty, 가나다 page, shift off, that step's length and lines), and it
    types into the step on show only."""
    open_survey(qtbot, kiosk, DIGITAL)
    for answer in ("70s", False, "eyesight", 4):  # to the first question that is typed
        choose(qtbot, kiosk, answer)
        next_step(qtbot, kiosk)
    assert current_question(kiosk) == "want_to_learn"
    first = kiosk.current_screen.keyboard
    type_text(qtbot, first, "기차")
    tap(qtbot, first.button("page_english"))
    tap(qtbot, first.button("shift"))
    assert first.page == "english" and first.shift_on
    assert not shown(kiosk, "key_newline")  # one line
    next_step(qtbot, kiosk)
    assert current_question(kiosk) == "wishes"
    keyboard = kiosk.current_screen.keyboard
    assert keyboard is first  # the same keys, not made again
    assert keyboard.text() == "" and keyboard.page == "hangul" and not keyboard.shift_on
    assert "300" in find(kiosk, "keyboardStatus").text()
    assert shown(kiosk, "key_newline")  # several lines
    type_text(qtbot, keyboard, "버스")
    tap_back(qtbot, kiosk)
    assert current_question(kiosk) == "want_to_learn"
    assert kiosk.current_screen.keyboard is first and first.text() == "기차"
    assert not shown(kiosk, "key_newline")
    next_step(qtbot, kiosk)
    next_step(qtbot, kiosk)
    assert on(kiosk) == "survey_review"
    assert find_paged(qtbot, kiosk, "answer_want_to_learn").text() == "기차"
    assert find_paged(qtbot, kiosk, "answer_wishes").text() == "버스"
