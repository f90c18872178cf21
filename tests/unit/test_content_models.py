"""The content pack models: their shapes, rules and helpers, without files or a database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from contract.content import (
    KST,
    MESSAGES,
    SCHEMA_VERSION,
    TOPIC_NAMES,
    ContentPack,
    MultipleChoiceQuestion,
    Promotion,
    ShowIf,
    Survey,
    Text,
    TimeWindow,
    explain,
    format_location,
    message,
)
from kiosk.paths import asset_path


def demo_manifest() -> dict[str, Any]:
    return json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))


def problems(model: type[Any], data: Any) -> list[str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return explain(info.value, data)


# -- Text ------------------------------------------------------------------------------------


@given(
    ko=st.text(min_size=1).filter(str.strip),
    en=st.text(),
    lang=st.sampled_from(["ko", "en", "ja", ""]),
)
def test_text_falls_back_to_korean(ko: str, en: str, lang: str) -> None:
    t = Text(ko=ko, en=en)
    expected = en if lang == "en" and en.strip() else ko
    assert t.get(lang) == expected
    assert t.get("ko") == ko


@pytest.mark.parametrize("ko", ["", "   "])
def test_text_needs_korean(ko: str) -> None:
    with pytest.raises(ValidationError):
        Text(ko=ko, en="English only")


def test_models_are_frozen_and_strict() -> None:
    t = Text(ko="설문")
    with pytest.raises(ValidationError):
        t.ko = "다른 글"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Text.model_validate({"ko": "설문", "fr": "sondage"})


# -- The demo manifest as a whole -------------------------------------------------------------


def test_demo_manifest_is_valid_and_round_trips() -> None:
    pack = ContentPack.model_validate(demo_manifest())
    assert pack.schema_version == SCHEMA_VERSION
    again = ContentPack.model_validate(pack.model_dump(mode="json"))
    assert again == pack


def test_demo_pack_has_what_the_demo_needs() -> None:
    pack = ContentPack.model_validate(demo_manifest())
    assert [d.id for d in pack.district.dongs] == [
        "sogong", "hoehyeon", "myeong", "pil", "jangchung", "gwanghui", "euljiro", "sindang",
        "dasan", "yaksu", "cheonggu", "sindang5", "donghwa", "hwanghak", "jungnim",
    ]  # fmt: skip
    question_types = {q.type for s in pack.surveys if s.kind == "survey" for q in s.questions}
    assert question_types == {
        "single_choice", "multiple_choice", "scale", "yes_no", "short_text", "long_text",
        "image_choice",
    }  # fmt: skip
    assert any(q.show_if for s in pack.surveys for q in s.questions)
    assert {q.required for s in pack.surveys for q in s.questions} == {True, False}
    assert [s.kind for s in pack.surveys].count("quiz") == 1
    assert len(pack.contests[0].entries) >= 4
    assert len(pack.proposals) >= 8
    assert len({p.dong for p in pack.proposals}) >= 8
    assert len({p.topic for p in pack.proposals}) == len(TOPIC_NAMES)
    assert any(p.reached(pack.district.proposal_threshold) for p in pack.proposals)
    assert [p.status for p in pack.proposals].count("withdrawn") == 1
    today = datetime(2026, 11, 25, 12, 0, tzinfo=KST)
    assert any(p.deadline < today for p in pack.proposals)
    assert pack.budget is not None
    assert {b.dong for b in pack.budget.ballots} == {d.id for d in pack.district.dongs}
    assert all(len(b.reviewed_projects) >= 3 for b in pack.budget.ballots)
    assert any(not p.reviewed for b in pack.budget.ballots for p in b.projects)
    assert {b.rule.kind for b in pack.budget.ballots} == {"approval", "budget"}
    for b in pack.budget.ballots:
        if b.rule.kind == "approval":
            assert b.rule.max_selections == max(1, len(b.reviewed_projects) * 3 // 10)
    costs = [p.cost_won for b in pack.budget.ballots for p in b.projects]
    assert min(costs) >= 8_000_000 and max(costs) <= 120_000_000
    kinds = {m.kind for m in pack.promotions}
    assert kinds == {"image", "video", "notice"}
    assert any(m.evergreen for m in pack.promotions)
    assert any(m.emergency and m.ends_at < today for m in pack.promotions)
    assert all(v.subtitles and v.subtitles.endswith(".vtt") for v in pack.videos)
    assert pack.district.points.rules["survey_response"] == 500
    assert pack.district.yearly_targets["2026"] == 430
    # Open now, apart from what is closed on purpose.
    assert all(s.opens_at <= today < s.closes_at for s in pack.surveys)
    assert pack.budget.opens_at <= today < pack.budget.closes_at


def test_points_of_a_survey() -> None:
    pack = ContentPack.model_validate(demo_manifest())
    digital, walking, quiz = pack.surveys
    assert pack.survey_points(digital) == 500  # the survey_response rule
    assert pack.survey_points(walking) == 700  # explicit in the survey
    assert pack.survey_points(quiz) == 300  # the quiz rule


# -- Questions ---------------------------------------------------------------------------------


def _mc(**fields: Any) -> dict[str, Any]:
    options = [{"id": f"o{i}", "label": {"ko": f"보기 {i}"}} for i in range(4)]
    return {
        "id": "q",
        "type": "multiple_choice",
        "prompt": {"ko": "고르세요"},
        "options": options,
        **fields,
    }


def test_multiple_choice_max_defaults_to_all_options() -> None:
    q = MultipleChoiceQuestion.model_validate(_mc())
    assert (q.min_select, q.max_select) == (1, 4)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"min_select": 3, "max_select": 2}, "min_select"),
        ({"max_select": 5}, "max_select"),
    ],
)
def test_multiple_choice_range(fields: dict[str, Any], where: str) -> None:
    (line,) = problems(MultipleChoiceQuestion, _mc(**fields))
    assert line.startswith(f"{where}: 선택 수 범위가 맞지 않습니다")


def test_show_if_matches_any_value() -> None:
    rule = ShowIf(question="smartphone", any_of=["yes"])
    assert rule.matches(["yes"])
    assert not rule.matches(["no"])
    assert not rule.matches([])


def _survey(kind: str, questions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "s",
        "kind": kind,
        "title": {"ko": "설문"},
        "description": {"ko": "설명"},
        "opens_at": "2026-11-01T09:00:00+09:00",
        "closes_at": "2027-01-01T09:00:00+09:00",
        "url": "https://ontong.junggu.seoul.kr/survey/s",
        "questions": questions,
    }


_YES_NO = {"id": "yn", "type": "yes_no", "prompt": {"ko": "예 또는 아니요"}}


def test_quiz_needs_correct_answers_and_surveys_refuse_them() -> None:
    (line,) = problems(Survey, _survey("quiz", [_YES_NO]))
    assert line == f"questions[0]: {MESSAGES['quiz_needs_answer']}"
    answered = {**_YES_NO, "correct": True, "explanation": {"ko": "해설"}}
    assert Survey.model_validate(_survey("quiz", [answered])).kind == "quiz"
    (line,) = problems(Survey, _survey("survey", [answered]))
    assert line.startswith("questions[0].correct: 정답·해설은 퀴즈")


def test_quiz_correct_must_be_an_option() -> None:
    q = {**_mc(), "correct": ["o1", "zz"], "explanation": {"ko": "해설"}}
    (line,) = problems(Survey, _survey("quiz", [q]))
    assert line.startswith("questions[0].correct: 정답 'zz'이 보기에 없습니다")


def test_quiz_refuses_free_text_questions() -> None:
    q = {"id": "t", "type": "short_text", "prompt": {"ko": "쓰세요"}}
    (line,) = problems(Survey, _survey("quiz", [q]))
    assert line.startswith("questions[0].type: 퀴즈에는 'short_text' 문항을 쓸 수 없습니다")


def test_show_if_on_free_text_is_refused() -> None:
    text_q = {"id": "t", "type": "short_text", "prompt": {"ko": "쓰세요"}}
    later = {**_YES_NO, "show_if": {"question": "t", "any_of": ["x"]}}
    (line,) = problems(Survey, _survey("survey", [text_q, later]))
    assert line.startswith("questions[1].show_if.question: 't' 질문은 조건으로 쓸 수 없습니다")


def test_scale_show_if_values_are_points() -> None:
    scale = {
        "id": "sc",
        "type": "scale",
        "prompt": {"ko": "만족하시나요?"},
        "labels": [{"ko": str(n)} for n in range(1, 6)],
    }
    ok = {**_YES_NO, "show_if": {"question": "sc", "any_of": ["1", "2"]}}
    Survey.model_validate(_survey("survey", [scale, ok]))
    bad = {**_YES_NO, "show_if": {"question": "sc", "any_of": ["6"]}}
    (line,) = problems(Survey, _survey("survey", [scale, bad]))
    assert line.startswith("questions[1].show_if.any_of[0]: 'sc' 질문에 없는 답 '6'")


def test_image_choice_options_need_images() -> None:
    q = {
        "id": "img",
        "type": "image_choice",
        "prompt": {"ko": "고르세요"},
        "options": [
            {"id": "a", "label": {"ko": "가"}, "image": "media/a.jpg"},
            {"id": "b", "label": {"ko": "나"}},
        ],
    }
    (line,) = problems(Survey, _survey("survey", [q]))
    assert line.startswith("questions[0].options[1].image: 그림 보기에는 그림(image)")


# -- Schedules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "inside", "outside"),
    [
        ("09:00", "18:00", ["09:00", "12:30", "17:59"], ["08:59", "18:00", "23:00"]),
        ("22:00", "01:00", ["22:00", "23:59", "00:00", "00:59"], ["21:59", "01:00", "12:00"]),
    ],
)
def test_time_window(start: str, end: str, inside: list[str], outside: list[str]) -> None:
    w = TimeWindow(start=start, end=end)
    assert all(w.contains(time.fromisoformat(t)) for t in inside)
    assert not any(w.contains(time.fromisoformat(t)) for t in outside)


def _promotion(**fields: Any) -> Promotion:
    base: dict[str, Any] = {
        "id": "p",
        "kind": "notice",
        "title": {"ko": "알림"},
        "body": {"ko": "본문"},
        "starts_at": "2026-11-01T00:00:00+09:00",
        "ends_at": "2026-12-01T00:00:00+09:00",
    }
    return Promotion.model_validate({**base, **fields})


def at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=KST)


def test_promotion_period_and_dongs() -> None:
    p = _promotion(dongs=["sindang"])
    assert p.is_on_air(at("2026-11-10 12:00"), "sindang")
    assert not p.is_on_air(at("2026-11-10 12:00"), "myeong")
    assert not p.is_on_air(at("2026-11-10 12:00"), None)
    assert not p.is_on_air(at("2026-10-31 23:59"), "sindang")
    assert not p.is_on_air(at("2026-12-01 00:00"), "sindang")
    # Aware datetimes in any zone mean the same instant.
    assert p.is_on_air(at("2026-11-10 12:00").astimezone(UTC), "sindang")


def test_promotion_window_after_midnight_belongs_to_the_evening_before() -> None:
    # Fridays only (4), 22:00 to 01:00.
    p = _promotion(weekdays=[4], windows=[{"start": "22:00", "end": "01:00"}])
    assert p.is_on_air(at("2026-11-13 22:30"))  # Friday evening
    assert p.is_on_air(at("2026-11-14 00:30"))  # Saturday 00:30 = Friday night
    assert not p.is_on_air(at("2026-11-14 22:30"))  # Saturday evening
    assert not p.is_on_air(at("2026-11-13 00:30"))  # Friday 00:30 = Thursday night


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"ends_at": "2026-10-01T00:00:00+09:00"}, "ends_at: starts_at보다 뒤여야 합니다"),
        ({"body": None}, "body: 알림(notice)에는 본문(body)이"),
        ({"asset": "media/x.png"}, "asset: 알림(notice)에는 파일을 붙이지 않습니다"),
        ({"kind": "image", "body": None}, "asset: image 홍보물에는 파일(asset)이"),
        ({"weekdays": [0, 7]}, "weekdays[1]: 요일은 0(월)~6(일)"),
        ({"weekdays": [1, 1]}, "weekdays[1]: 같은 요일 1이"),
        ({"weekdays": []}, "weekdays: 요일이 하나도 없습니다"),
        ({"windows": [{"start": "10:00", "end": "10:00"}]}, "windows[0].end: 시작과 끝 시각이"),
        ({"windows": [{"start": "24:00", "end": "10:00"}]}, "windows[0].start: 형식이 맞지"),
        ({"emergency": True, "evergreen": True}, "evergreen: 긴급 알림은 상시"),
        ({"subtitles": "media/x.vtt"}, "subtitles: 자막은 영상(video) 홍보물에만"),
        (
            {"kind": "video", "body": None, "asset": "media/x.mp4", "subtitles": "media/x.txt"},
            "subtitles: 자막 파일은 .vtt 또는 .srt",
        ),
        ({"starts_at": "2026-11-01T00:00:00"}, "starts_at: 시간대가 없는 시각입니다"),
    ],
)
def test_promotion_rules(fields: dict[str, Any], line: str) -> None:
    with pytest.raises(ValidationError) as info:
        _promotion(**fields)
    assert any(found.startswith(line) for found in explain(info.value)), explain(info.value)


def test_a_clip_may_carry_subtitles_and_old_promotions_need_none() -> None:
    clip = _promotion(kind="video", body=None, asset="media/x.mp4", subtitles="media/x.ko.vtt")
    assert clip.subtitles == "media/x.ko.vtt"
    assert _promotion().subtitles is None


def test_promotion_end_is_mandatory() -> None:
    with pytest.raises(ValidationError) as info:
        Promotion.model_validate(
            {
                "id": "p",
                "kind": "notice",
                "title": {"ko": "알림"},
                "body": {"ko": "본문"},
                "starts_at": "2026-11-01T00:00:00+09:00",
            }  # fmt: skip
        )
    assert explain(info.value) == [f"ends_at: {MESSAGES['missing']}"]


# -- Messages ----------------------------------------------------------------------------------


def test_format_location() -> None:
    assert format_location(("surveys", 1, "questions", 3, "type")) == "surveys[1].questions[3].type"
    assert format_location(()) == ""
    assert format_location(("rules", "foo", "[key]")) == "rules.foo (key)"


def test_message_keeps_unknown_fields_visible() -> None:
    assert (
        message("not_after", other="opens_at")
        == "opens_at보다 뒤여야 합니다 (must be after opens_at)"
    )
    assert "{other}" in message("not_after")


def test_every_rule_message_is_bilingual() -> None:
    for key, text in MESSAGES.items():
        assert text.rstrip().endswith(")") and " (" in text, key


def test_proposal_deadline_helpers() -> None:
    pack = ContentPack.model_validate(demo_manifest())
    withdrawn = next(p for p in pack.proposals if p.status == "withdrawn")
    now = withdrawn.created_at + timedelta(days=1)
    assert not withdrawn.accepts_agrees(now)
    open_one = next(p for p in pack.proposals if p.status == "open" and p.deadline > now)
    assert open_one.accepts_agrees(now)
    assert not open_one.accepts_agrees(open_one.deadline)
