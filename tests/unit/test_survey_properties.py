"""Property tests of the survey engine: whatever the engine accepts validates, and whatever it
rejects names the rule broken."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from contract.content import (
    KST,
    ImageChoiceQuestion,
    MultipleChoiceQuestion,
    Question,
    ScaleQuestion,
    SingleChoiceQuestion,
    Survey,
    YesNoQuestion,
    parse_pack,
)
from contract.wire import SurveyResponse
from kiosk.domain.survey import REVIEW, SurveySession, check_value, validate_answers
from kiosk.paths import asset_path

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))

# Every question type, required and optional ones, show-if on a choice, a scale and a yes/no.
EVERY_TYPE = Survey.model_validate(
    {
        "id": "every-type",
        "title": {"ko": "모든 유형"},
        "description": {"ko": "시험용"},
        "opens_at": "2026-11-01T00:00:00+09:00",
        "closes_at": "2027-11-01T00:00:00+09:00",
        "url": "https://ontong.junggu.seoul.kr/survey/every-type",
        "questions": [
            {
                "id": "pick",
                "type": "single_choice",
                "prompt": {"ko": "하나"},
                "options": [{"id": o, "label": {"ko": o}} for o in ("a", "b", "c")],
            },
            {
                "id": "many",
                "type": "multiple_choice",
                "required": False,
                "min_select": 2,
                "max_select": 3,
                "prompt": {"ko": "여럿"},
                "options": [{"id": o, "label": {"ko": o}} for o in ("w", "x", "y", "z")],
                "show_if": {"question": "pick", "any_of": ["a", "b"]},
            },
            {
                "id": "rate",
                "type": "scale",
                "prompt": {"ko": "점수"},
                "labels": [{"ko": str(n)} for n in range(1, 6)],
            },
            {
                "id": "low",
                "type": "yes_no",
                "prompt": {"ko": "낮은 점수"},
                "show_if": {"question": "rate", "any_of": ["1", "2"]},
            },
            {
                "id": "why",
                "type": "short_text",
                "max_length": 10,
                "prompt": {"ko": "까닭"},
                "show_if": {"question": "low", "any_of": ["yes"]},
            },
            {
                "id": "photo",
                "type": "image_choice",
                "required": False,
                "prompt": {"ko": "그림"},
                "options": [
                    {"id": o, "label": {"ko": o}, "image": f"media/{o}.jpg"} for o in ("p", "q")
                ],
            },
            {
                "id": "free",
                "type": "long_text",
                "required": False,
                "max_length": 30,
                "prompt": {"ko": "자유"},
            },
        ],
    }
)
SURVEYS = [*PACK.surveys, EVERY_TYPE]


def broken_rules(question: Question, value: Any) -> set[str]:
    """The rules `value` breaks as an answer to `question`, stated independently of the engine."""
    if isinstance(question, SingleChoiceQuestion | ImageChoiceQuestion):
        if type(value) is not str:
            return {"wrong_type"}
        return set() if value in {o.id for o in question.options} else {"unknown_option"}
    if isinstance(question, MultipleChoiceQuestion):
        if type(value) not in (list, tuple) or any(type(v) is not str for v in value):
            return {"wrong_type"}
        ids = {o.id for o in question.options}
        out = set()
        if any(v not in ids for v in value):
            out.add("unknown_option")
        if len(value) != len(set(value)):
            out.add("duplicate_option")
        if len(set(value)) > question.max_select:
            out.add("max_select")
        return out
    if isinstance(question, ScaleQuestion):
        if type(value) is not int:
            return {"wrong_type"}
        return set() if value in range(1, 6) else {"scale_range"}
    if isinstance(question, YesNoQuestion):
        return set() if type(value) is bool else {"wrong_type"}
    if type(value) is not str:
        return {"wrong_type"}
    return {"max_length"} if len(value.strip()) > question.max_length else set()


def option_ids(question: Question) -> list[str]:
    return [o.id for o in getattr(question, "options", [])] or ["x"]


def values_for(question: Question) -> st.SearchStrategy[Any]:
    """Values near and far from what the question takes."""
    ids = st.sampled_from([*option_ids(question), "nope"])
    return st.one_of(
        ids,
        st.lists(ids, max_size=6),
        st.tuples(ids, ids),
        st.integers(-2, 8),
        st.booleans(),
        st.text(max_size=45),
        st.text(min_size=8, max_size=12).map(lambda t: f"  {t}  "),  # near max_length 10
        st.none(),
    )


@st.composite
def question_and_value(draw: st.DrawFn) -> tuple[Question, Any]:
    survey = draw(st.sampled_from(SURVEYS))
    question = draw(st.sampled_from(survey.questions))
    return question, draw(values_for(question))


@settings(max_examples=400)
@given(question_and_value())
def test_check_value_names_exactly_the_rules_broken(case: tuple[Question, Any]) -> None:
    question, value = case
    if value is None or value == "" or value == [] or value == ():
        return
    if isinstance(value, str) and not value.strip():
        return
    assert {p.rule for p in check_value(question, value)} == broken_rules(question, value)


@st.composite
def answer_sequences(draw: st.DrawFn) -> tuple[Survey, list[tuple[str, str, Any]]]:
    """A survey and taps on it: answer a question with a value, or toggle an option."""
    survey = draw(st.sampled_from(SURVEYS))
    ops = []
    for _ in range(draw(st.integers(0, 25))):
        question = draw(st.sampled_from(survey.questions))
        if isinstance(question, MultipleChoiceQuestion) and draw(st.booleans()):
            ops.append(("toggle", question.id, draw(st.sampled_from(option_ids(question)))))
        else:
            ops.append(("answer", question.id, draw(values_for(question))))
    return survey, ops


@settings(max_examples=300)
@given(answer_sequences())
def test_accepted_answers_always_validate_and_refusals_name_their_rule(
    case: tuple[Survey, list[tuple[str, str, Any]]],
) -> None:
    survey, ops = case
    s = SurveySession(survey, NOW)
    for op, qid, value in ops:
        before = s.answers
        was_visible = s.is_visible(qid)
        if op == "toggle":
            current = s.value(qid) or ()
            assert isinstance(current, tuple)
            value = (
                tuple(v for v in current if v != value) if value in current else (*current, value)
            )
        problems = s.answer(qid, value)
        if problems:
            assert s.answers == before  # a refusal changes nothing
            expected = broken_rules(survey.question(qid), value) if was_visible else {"not_shown"}
            assert {p.rule for p in problems} == expected
            assert all(p.where == qid for p in problems)
        # What the engine holds breaks no rule of a value, only completeness rules.
        remaining = {p.rule for p in validate_answers(survey, s.answers)}
        assert remaining <= {"required", "min_select"}
    payload = s.payload()
    SurveyResponse.model_validate(payload)
    assert validate_answers(survey, payload["answers"]) == s.problems()
    if not s.problems():
        # A complete response walks from the first question to the review without refusal.
        step = s.first_step()
        for _ in range(len(survey.questions) * 2 + 1):
            if step == REVIEW:
                break
            result = s.advance(step)
            assert result.moved, result.problems
            step = result.step
        assert step == REVIEW
    else:
        problem = s.problems()[0]
        assert problem.rule in {"required", "min_select"}
        assert s.check(problem.where) != []
