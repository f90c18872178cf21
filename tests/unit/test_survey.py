"""The survey engine: which surveys are offered, show-if, answer rules, steps, review, quiz."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from contract.content import KST, Survey, parse_pack
from contract.wire import SurveyResponse
from kiosk.domain.survey import (
    REVIEW,
    Problem,
    Step,
    SurveySession,
    surveys_open,
    validate_answers,
)
from kiosk.domain.visit import Visit
from kiosk.paths import asset_path

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
DIGITAL = PACK.survey("2026-senior-digital")
WALK = PACK.survey("2026-walkable-junggu")
QUIZ = PACK.survey("2026-quiz-ontong")
assert DIGITAL and WALK and QUIZ


def session(survey: Survey = DIGITAL) -> SurveySession:  # type: ignore[assignment]
    return SurveySession(survey, NOW)


def rules(problems: list[Problem] | tuple[Problem, ...]) -> list[str]:
    return [p.rule for p in problems]


def with_window(survey: Survey, opens: datetime, closes: datetime) -> Survey:
    return survey.model_copy(update={"opens_at": opens, "closes_at": closes})


# -- which surveys are offered ---------------------------------------------------------------


def test_open_surveys_are_offered_in_pack_order() -> None:
    assert [s.id for s in surveys_open(PACK, NOW)] == [DIGITAL.id, WALK.id, QUIZ.id]


def test_a_closed_survey_and_one_opening_tomorrow_are_not_offered() -> None:
    closed = with_window(DIGITAL, NOW - timedelta(days=30), NOW - timedelta(minutes=1))
    tomorrow = with_window(WALK, NOW + timedelta(days=1), NOW + timedelta(days=30))
    pack = PACK.model_copy(update={"surveys": [closed, tomorrow, QUIZ]})
    assert [s.id for s in surveys_open(pack, NOW)] == [QUIZ.id]


def test_window_includes_its_opening_and_excludes_its_closing_moment() -> None:
    assert DIGITAL in surveys_open(PACK, DIGITAL.opens_at)
    assert DIGITAL not in surveys_open(PACK, DIGITAL.closes_at)
    assert DIGITAL in surveys_open(PACK, DIGITAL.closes_at - timedelta(seconds=1))
    assert DIGITAL not in surveys_open(PACK, DIGITAL.opens_at - timedelta(seconds=1))


def test_a_session_cannot_start_on_a_closed_survey() -> None:
    with pytest.raises(ValueError, match="not open"):
        SurveySession(DIGITAL, DIGITAL.closes_at)


def test_a_survey_that_closed_while_answering_cannot_be_sent() -> None:
    s = session(QUIZ)
    s.answer("threshold", "n100")
    s.answer("exchange", True)
    s.answer("what_you_can_do", ("survey",))
    assert s.submit_problems(NOW) == []
    assert rules(s.submit_problems(QUIZ.closes_at)) == ["closed"]


# -- show-if ---------------------------------------------------------------------------------


def visible_ids(s: SurveySession) -> list[str]:
    return [q.id for q in s.visible()]


def test_show_if_branches_on_the_smartphone_answer() -> None:
    s = session()
    assert visible_ids(s) == ["age", "smartphone", "class_satisfaction", "want_to_learn", "wishes"]
    assert s.answer("smartphone", True) == []
    assert "uses" in visible_ids(s) and "why_not" not in visible_ids(s)
    assert s.answer("smartphone", False) == []
    assert "why_not" in visible_ids(s) and "uses" not in visible_ids(s)


def test_answers_of_questions_that_become_hidden_are_dropped() -> None:
    s = session()
    s.answer("smartphone", True)
    assert s.toggle("uses", "kakao") == []
    assert s.value("uses") == ("kakao",)
    s.answer("smartphone", False)
    assert s.value("uses") is None
    assert "uses" not in s.payload()["answers"]
    s.answer("smartphone", True)  # coming back does not bring the old answer back
    assert s.value("uses") is None


def test_a_hidden_question_cannot_be_answered() -> None:
    s = session()
    assert rules(s.answer("uses", ("calls",))) == ["not_shown"]
    assert rules(s.answer("nope", "x")) == ["unknown_question"]


def test_progress_counts_shown_questions_only() -> None:
    s = session()
    assert s.progress("age") == (1, 5)
    s.answer("smartphone", True)
    assert s.progress("uses") == (3, 6)
    assert s.progress("wishes") == (6, 6)


# -- rules of one answer ---------------------------------------------------------------------


def test_a_required_question_left_empty_does_not_advance() -> None:
    s = session()
    step = s.first_step()
    assert step == Step("question", "age")
    result = s.advance(step)
    assert not result.moved and result.step == step
    assert rules(result.problems) == ["required"]
    assert result.problems[0].message_id == "survey.problem.required"
    s.answer("age", "70s")
    assert s.advance(step).step == Step("question", "smartphone")


def test_optional_questions_may_be_skipped() -> None:
    s = session()
    assert s.advance(Step("question", "want_to_learn")).step == Step("question", "wishes")
    assert s.advance(Step("question", "wishes")).step == REVIEW


def test_multiple_choice_counts_its_selections() -> None:
    s = session()
    s.answer("smartphone", True)
    for option in ("calls", "kakao", "photos"):
        assert s.toggle("uses", option) == []
    refused = s.toggle("uses", "news")
    assert rules(refused) == ["max_select"] and refused[0].params == {"max": 3}
    assert s.value("uses") == ("calls", "kakao", "photos")
    assert s.toggle("uses", "kakao") == []  # tapping a chosen option unchooses it
    assert s.value("uses") == ("calls", "photos")


def test_multiple_choice_below_its_minimum_does_not_advance() -> None:
    survey = QUIZ.model_copy(
        update={
            "questions": [
                QUIZ.questions[2].model_copy(update={"min_select": 2, "correct": None}),
            ],
            "kind": "survey",
        }
    )
    s = SurveySession(survey, NOW)
    s.toggle("what_you_can_do", "budget")
    result = s.advance(s.first_step())
    assert rules(result.problems) == ["min_select"]
    assert result.problems[0].params == {"min": 2, "count": 1}


def test_options_are_kept_in_the_question_order() -> None:
    s = session()
    s.answer("smartphone", True)
    s.toggle("uses", "banking")
    s.toggle("uses", "calls")
    assert s.value("uses") == ("calls", "banking")


def test_text_answers_are_trimmed_and_limited() -> None:
    s = session()
    assert s.answer("want_to_learn", "  기차표 예매  ") == []
    assert s.value("want_to_learn") == "기차표 예매"
    too_long = "가" * 41
    refused = s.answer("want_to_learn", too_long)
    assert rules(refused) == ["max_length"] and refused[0].params == {"max": 40}
    assert s.value("want_to_learn") == "기차표 예매"
    assert s.answer("want_to_learn", "   ") == []  # blank clears
    assert s.value("want_to_learn") is None


@pytest.mark.parametrize(
    ("question", "value", "rule"),
    [
        ("age", "90s", "unknown_option"),
        ("age", 3, "wrong_type"),
        ("smartphone", "yes", "wrong_type"),
        ("class_satisfaction", 6, "scale_range"),
        ("class_satisfaction", 0, "scale_range"),
        ("class_satisfaction", True, "wrong_type"),
        ("wishes", ("a",), "wrong_type"),
    ],
)
def test_values_a_question_cannot_take(question: str, value: Any, rule: str) -> None:
    s = session()
    assert rules(s.answer(question, value)) == [rule]
    assert s.value(question) is None


# -- review and correction -------------------------------------------------------------------


def answer_digital(s: SurveySession, smartphone: bool = True) -> None:
    s.answer("age", "80plus")
    s.answer("smartphone", smartphone)
    if smartphone:
        s.toggle("uses", "calls")
    else:
        s.answer("why_not", "eyesight")
    s.answer("class_satisfaction", 4)


def walk(s: SurveySession) -> list[Step]:
    """Press 다음 from the first question to the review; the steps seen."""
    steps = [s.first_step()]
    while steps[-1] != REVIEW:
        result = s.advance(steps[-1])
        assert result.moved, result.problems
        steps.append(result.step)
    return steps


def test_walking_through_reaches_the_review_with_every_shown_question() -> None:
    s = session()
    answer_digital(s)
    assert [st.question_id for st in walk(s)] == [
        "age",
        "smartphone",
        "uses",
        "class_satisfaction",
        "want_to_learn",
        "wishes",
        "",
    ]
    items = s.review()
    assert [i.question.id for i in items] == visible_ids(s)
    assert [i.value for i in items][:4] == ["80plus", True, ("calls",), 4]
    assert items[4].value is None and all(i.editable for i in items)


def test_correction_from_the_review_returns_to_the_review() -> None:
    s = session()
    answer_digital(s)
    step = s.edit("age")
    assert step == Step("question", "age", editing=True)
    s.answer("age", "70s")
    assert s.advance(step).step == REVIEW


def test_a_correction_that_shows_a_new_question_asks_it_first() -> None:
    s = session()
    answer_digital(s)
    step = s.edit("smartphone")
    s.answer("smartphone", False)
    step = s.advance(step).step
    assert step == Step("question", "why_not", editing=True)
    assert rules(s.advance(step).problems) == ["required"]
    s.answer("why_not", "cost")
    assert s.advance(step).step == REVIEW


def test_payload_holds_shown_answers_as_json_and_matches_the_wire_model() -> None:
    s = session()
    answer_digital(s)
    s.answer("wishes", "큰 글씨 교재가 있으면 좋겠습니다.")
    payload = s.payload()
    assert payload == {
        "survey_id": DIGITAL.id,
        "answers": {
            "age": "80plus",
            "smartphone": True,
            "uses": ["calls"],
            "class_satisfaction": 4,
            "wishes": "큰 글씨 교재가 있으면 좋겠습니다.",
        },
    }
    wire = SurveyResponse.model_validate(payload)
    assert wire.answers["smartphone"] is True and wire.answers["class_satisfaction"] == 4
    assert validate_answers(DIGITAL, payload["answers"]) == []


def test_a_response_is_sent_once() -> None:
    s = session()
    answer_digital(s)
    assert s.submit_problems(NOW) == []
    s.mark_submitted()
    assert rules(s.submit_problems(NOW)) == ["already_submitted"]
    assert rules(s.answer("age", "60s")) == ["already_submitted"]


def test_validate_answers_names_each_broken_rule_of_a_forged_response() -> None:
    problems = validate_answers(
        DIGITAL,
        {"age": "90s", "smartphone": False, "uses": ["calls"], "extra": 1, "wishes": 5},
    )
    assert {(p.where, p.rule) for p in problems} == {
        ("age", "unknown_option"),
        ("uses", "not_shown"),
        ("extra", "unknown_question"),
        ("why_not", "required"),
        ("class_satisfaction", "required"),
        ("wishes", "wrong_type"),
    }


# -- quiz ------------------------------------------------------------------------------------


def test_quiz_shows_feedback_after_each_answer_and_locks_it() -> None:
    s = session(QUIZ)
    s.answer("threshold", "n50")
    step = s.advance(s.first_step()).step
    assert step == Step("feedback", "threshold")
    feedback = s.feedback("threshold")
    assert not feedback.correct and feedback.right_answer == "n100"
    assert "100명" in feedback.explanation.ko
    assert rules(s.answer("threshold", "n100")) == ["locked"]
    assert s.advance(step).step == Step("question", "exchange")


def test_quiz_score_counts_right_answers() -> None:
    s = session(QUIZ)
    s.answer("threshold", "n100")
    s.answer("exchange", True)
    for option in ("budget", "survey"):
        s.toggle("what_you_can_do", option)
    steps = walk(s)
    assert [st.kind for st in steps] == ["question", "feedback"] * 3 + ["review"]
    assert [s.feedback(q).correct for q in ("threshold", "exchange", "what_you_can_do")] == [
        True,
        True,
        False,  # "proposal" was also right
    ]
    assert (s.score().correct, s.score().total) == (2, 3)
    review = s.review()
    assert [i.correct for i in review] == [True, True, False]
    assert not any(i.editable for i in review)


def test_feedback_is_only_for_quiz_questions() -> None:
    with pytest.raises(ValueError):
        session().feedback("age")


# -- the visit -------------------------------------------------------------------------------


def test_visit_remembers_what_was_sent() -> None:
    visit = Visit()
    assert not visit.has_sent("survey_response", DIGITAL.id)
    visit.record("survey_response", DIGITAL.id)
    assert visit.has_sent("survey_response", DIGITAL.id)
    assert not visit.has_sent("survey_response", WALK.id)


def test_simple_mode_asks_only_the_required_questions() -> None:
    s = SurveySession(WALK, NOW, skip_optional=True)
    asked = visible_ids(s)
    assert asked and all(WALK.question(q).required for q in asked)  # type: ignore[union-attr]
    assert "walking_event" not in asked and "hard_places" not in asked
    assert s.progress(asked[0]) == (1, len(asked))


def test_simple_mode_cannot_leave_a_survey_without_questions() -> None:
    # A survey whose questions are all optional asks them all rather than none.
    optional = WALK.model_copy(
        update={"questions": [q.model_copy(update={"required": False}) for q in WALK.questions]}
    )
    s = SurveySession(optional, NOW, skip_optional=True)
    assert not s.skip_optional
    assert visible_ids(s) == visible_ids(SurveySession(optional, NOW))
