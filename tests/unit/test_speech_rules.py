"""What read-aloud says and 직원 호출's one-a-minute rule, without Qt (kiosk.domain.speech,
kiosk.domain.staff_call)."""

from __future__ import annotations

import pytest

from kiosk.domain.speech import (
    DEFAULT_VOLUME,
    RATE_STEPS,
    Spoken,
    VoiceSettings,
    choose_engine,
    choose_locale,
    has_new_problem,
    new_lines,
    screen_lines,
    scrub,
)
from kiosk.domain.staff_call import COOLDOWN_S, StaffCallRule, staff_call_payload


def test_a_question_screen_says_heading_question_options_and_messages_only():
    parts = [
        Spoken("context", "질문 1 / 5"),
        Spoken("context", "어르신 디지털 생활 설문"),
        Spoken("question", "나이가 어떻게 되세요?"),
        Spoken("context", "하나를 골라 주세요."),
        Spoken("option", "60세 미만"),
        Spoken("option", "60대 선택됨"),
        Spoken("message", "답을 골라 주세요."),
    ]
    assert screen_lines(parts) == [
        "어르신 디지털 생활 설문",
        "나이가 어떻게 되세요?",
        "60세 미만",
        "60대 선택됨",
        "답을 골라 주세요.",
    ]


def test_a_title_comes_first_and_other_plain_lines_are_left_to_the_eyes():
    parts = [
        Spoken("title", "무엇을 하시겠어요?"),
        Spoken("context", "하고 싶은 일을 눌러 주세요."),
        Spoken("option", "설문·공모"),
        Spoken("title", "두 번째 제목"),
    ]
    assert screen_lines(parts) == ["무엇을 하시겠어요?", "설문·공모"]


@pytest.mark.parametrize(
    "text",
    [
        "010-1234-5678",
        "01012345678",
        "010 1234 5678",
        "010-****-5678",
        "010-****-○○○○",
        "1950.03.02",
        "1950.**.**",
        "19500302",
        "○○○○",
    ],
)
def test_phone_numbers_birth_dates_and_masks_are_never_spoken(text):
    assert scrub(f"번호는 {text} 입니다") == "번호는 입니다"


def test_ordinary_numbers_and_counts_stay():
    for text in (
        "11자리 가운데 3자리 눌렀습니다",
        "공감 88명",
        "2027년 3월 31일까지",
        "1,000,000원",
    ):
        assert scrub(text) == text


def test_after_a_tap_only_new_messages_and_live_lines_are_said():
    before = [Spoken("option", "예"), Spoken("live", "11자리 가운데 2자리 눌렀습니다")]
    after = [
        Spoken("option", "예 선택됨"),
        Spoken("live", "11자리 가운데 3자리 눌렀습니다"),
        Spoken("message", "번호를 확인해 주세요."),
    ]
    assert new_lines(before, after) == ["11자리 가운데 3자리 눌렀습니다", "번호를 확인해 주세요."]
    assert new_lines(after, after) == []
    assert has_new_problem(before, after, ["번호를 확인해 주세요."])
    assert not has_new_problem(after, after, ["번호를 확인해 주세요."])


def test_speed_and_volume_move_by_steps_and_stop_at_the_ends():
    s = VoiceSettings()
    assert not s.on and s.volume == DEFAULT_VOLUME
    assert s.louder().louder().louder().volume == 1.0
    assert s.louder().loudest
    quiet = s
    for _ in range(10):
        quiet = quiet.quieter()
    assert quiet.quietest and quiet.volume > 0  # never silent by accident
    slow = s
    for _ in range(10):
        slow = slow.slower()
    assert slow.rate == RATE_STEPS[0] and slow.slowest and slow.rate_level == 1
    assert s.toggled().on and not s.toggled().toggled().on


def test_korean_voice_when_there_is_one_english_for_english():
    available = ["en_GB", "en_US", "ko_KR", "ja_JP"]
    assert choose_locale("ko", available) == "ko_KR"
    assert choose_locale("en", available) == "en_GB"
    assert choose_locale("ko", ["en_US"]) is None
    assert choose_locale("en", ["en_AU"]) == "en_AU"


def test_speech_dispatcher_speaks_unless_another_engine_is_configured():
    assert choose_engine(None, ["mock", "speechd"]) == "speechd"
    assert choose_engine(None, ["flite", "speechd"]) == "speechd"
    assert choose_engine(None, ["mock"]) is None  # Qt's test engine never speaks to residents
    assert choose_engine(None, []) is None
    assert choose_engine("mock", ["mock", "speechd"]) == "mock"
    assert choose_engine("speechd", ["mock"]) is None  # configured but not installed


def test_one_staff_call_a_minute():
    rule = StaffCallRule()
    assert rule.press(100.0)
    assert not rule.press(100.0 + 1)
    assert not rule.press(100.0 + COOLDOWN_S - 0.1)
    assert rule.press(100.0 + COOLDOWN_S)
    rule.failed()
    assert rule.press(100.0 + COOLDOWN_S + 1)  # a call that failed does not block the next


def test_the_payload_names_the_screen():
    assert staff_call_payload("survey_question") == {"screen": "survey_question"}
    assert staff_call_payload("") == {"screen": "unknown"}
