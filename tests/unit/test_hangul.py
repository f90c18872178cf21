"""2-beolsik composition: a table of key sequences and the text they type, and the composer
as the keyboard drives it (backspace one jamo at a time, commit, length limit)."""

from __future__ import annotations

import pytest

from kiosk.domain.hangul import KEYS, HangulComposer, compose, decompose

# (keys as typed, text expected), grouped by what they exercise.
WORDS = [
    ("ㄱㅏ", "가"),
    ("ㄱㅏㄱ", "각"),
    ("ㅎㅏㄴ", "한"),
    ("ㅎㅏㄴㄱㅡㄹ", "한글"),
    ("ㅈㅜㅇㄱㅜ", "중구"),
    ("ㅈㅜㅁㅣㄴ", "주민"),
    ("ㅇㅡㅣㄱㅕㄴ", "의견"),
    ("ㅇㅣㅂㄴㅣㄷㅏ", "입니다"),
    ("ㅅㅓㅇㅜㄹ", "서울"),
    ("ㄷㅐㅎㅏㄴㅁㅣㄴㄱㅜㄱ", "대한민국"),
    ("ㅇㅗㄴㅌㅗㅇㅈㅜㅇㄱㅜ", "온통중구"),
    ("ㅎㅗㅣㅎㅕㄴㄷㅗㅇ", "회현동"),
    ("ㅁㅕㅇㄷㅗㅇ", "명동"),
    ("ㅍㅣㄹㄷㅗㅇ", "필동"),
    ("ㅈㅏㅇㅊㅜㅇㄷㅗㅇ", "장충동"),
    ("ㄱㅗㅏㅇㅎㅡㅣㄷㅗㅇ", "광희동"),
    ("ㅅㅣㄴㄷㅏㅇㄷㅗㅇ", "신당동"),
    ("ㅈㅜㅁㅣㄴㅊㅏㅁㅇㅕㅇㅖㅅㅏㄴ", "주민참여예산"),
    ("ㅈㅓㅇㅊㅐㄱㅈㅔㅇㅏㄴ", "정책제안"),
    ("ㅅㅓㄹㅁㅜㄴ", "설문"),
    ("ㄱㅗㅇㅁㅗ", "공모"),
    ("ㅍㅗㅇㅣㄴㅌㅡ", "포인트"),
    ("ㅇㅕㅇㅅㅏㅇㅅㅔㄴㅌㅓ", "영상센터"),
    ("ㄱㅏㅁㅅㅏㅎㅏㅂㄴㅣㄷㅏ", "감사합니다"),
    ("ㅇㅏㄴㄴㅕㅇㅎㅏㅅㅔㅇㅛ", "안녕하세요"),
    ("ㅎㅏㄹㅁㅓㄴㅣ", "할머니"),
    ("ㅎㅏㄹㅇㅏㅂㅓㅈㅣ", "할아버지"),
    ("ㄱㅕㅇㄹㅗㄷㅏㅇ", "경로당"),
    ("ㅇㅖㅅㅏㄴ", "예산"),
    ("ㅇㅒㄱㅣ", "얘기"),
    ("ㅎㅐㅆㅇㅓㅇㅛ", "했어요"),
]
COMPOUND_VOWELS = [
    ("ㄱㅗㅏ", "과"),
    ("ㅇㅗㅐ", "왜"),
    ("ㅎㅗㅣ", "회"),
    ("ㅁㅜㅓ", "뭐"),
    ("ㅇㅜㅔ", "웨"),
    ("ㄱㅜㅣ", "귀"),
    ("ㅇㅡㅣ", "의"),
    ("ㅅㅏㄱㅗㅏ", "사과"),
    ("ㄱㅗㅐㄴㅊㅏㄴㅎㅇㅏㅇㅛ", "괜찮아요"),
    ("ㅇㅜㅓㄴ", "원"),
    ("ㅅㅜㅣㅂㄴㅣㄷㅏ", "쉽니다"),
    ("ㅎㅡㅣㅁㅏㅇ", "희망"),
    ("ㄷㅗㅣㅂㄴㅣㄷㅏ", "됩니다"),
    ("ㄱㅜㅔㄷㅗ", "궤도"),
    ("ㄱㅗㅏㄴㄱㅗㅏㅇ", "관광"),
    # A compound vowel with no initial stands alone, as a jamo.
    ("ㅗㅏ", "ㅘ"),
    ("ㅗㅐ", "ㅙ"),
    ("ㅗㅣ", "ㅚ"),
    ("ㅜㅓ", "ㅝ"),
    ("ㅜㅔ", "ㅞ"),
    ("ㅜㅣ", "ㅟ"),
    ("ㅡㅣ", "ㅢ"),
    # Vowels that do not combine start a vowel of their own.
    ("ㅏㅏ", "ㅏㅏ"),
    ("ㄱㅏㅏ", "가ㅏ"),
    ("ㄱㅗㅗ", "고ㅗ"),
    ("ㄱㅗㅏㅏ", "과ㅏ"),
    ("ㅗㅏㅣ", "ㅘㅣ"),
    ("ㅗㅏㄱ", "ㅘㄱ"),
]
COMPOUND_FINALS = [
    ("ㄴㅓㄱㅅ", "넋"),
    ("ㅇㅏㄴㅈ", "앉"),
    ("ㅁㅏㄴㅎ", "많"),
    ("ㄷㅏㄹㄱ", "닭"),
    ("ㅅㅏㄹㅁ", "삶"),
    ("ㅇㅕㄷㅓㄹㅂ", "여덟"),
    ("ㄱㅗㄹㅅ", "곬"),
    ("ㅎㅏㄹㅌ", "핥"),
    ("ㅇㅡㄹㅍ", "읊"),
    ("ㅇㅏㄹㅎ", "앓"),
    ("ㄱㅏㅂㅅ", "값"),
    ("ㅂㅏㄹㅂㄱㅗ", "밟고"),
    # A third consonant cannot join: it starts the next syllable.
    ("ㄷㅏㄹㄱㄱ", "닭ㄱ"),
    ("ㄷㅏㄹㄱㅅ", "닭ㅅ"),
    ("ㄱㅏㄱㄱ", "각ㄱ"),
    ("ㄱㅏㅅㅅ", "갓ㅅ"),
    ("ㄴㅏㄲㅅ", "낚ㅅ"),
]
MOVING_FINALS = [
    ("ㄷㅏㄹㄱㅏ", "달가"),
    ("ㄱㅏㄱㅏ", "가가"),
    ("ㄷㅏㄹㄱㅇㅣ", "닭이"),
    ("ㄱㅏㅂㅅㅇㅣ", "값이"),
    ("ㄱㅏㅂㅅㅣ", "갑시"),
    ("ㅇㅏㄴㅈㅏ", "안자"),
    ("ㅁㅏㄴㅎㅇㅡㄴ", "많은"),
    ("ㅁㅏㄴㅎㅡㄴ", "만흔"),
    ("ㅅㅏㄹㅁㅏ", "살마"),
    ("ㅇㅡㄹㅍㅓ", "을퍼"),
    ("ㅎㅏㄹㅌㅏ", "할타"),
    ("ㄱㅗㄹㅅㅏ", "골사"),
    ("ㄴㅓㄱㅅㅗ", "넉소"),
    ("ㅇㅏㄹㅎㅏ", "알하"),
    ("ㅇㅕㄷㅓㄹㅂㅏ", "여덜바"),
    ("ㄱㅏㄲㅏ", "가까"),
    ("ㅇㅣㅆㅓ", "이써"),
    ("ㅇㅣㅆㄷㅏ", "있다"),
    ("ㄱㅏㅇㅏ", "가아"),
    ("ㅁㅜㄹㅇㅡㄹ", "물을"),
    ("ㅎㅏㄴㄱㅡㄹㅇㅡㄹ", "한글을"),
    ("ㅈㅜㅇㄱㅜㅇㅔㅅㅓ", "중구에서"),
    ("ㅇㅏㄴㅈㅇㅡㅅㅔㅇㅛ", "앉으세요"),
    ("ㄱㅏㄴㅈ ㅏ", "갅 ㅏ"),
]
DOUBLE_CONSONANTS = [
    ("ㄱㅏㄸ", "가ㄸ"),
    ("ㄱㅏㄸㅏ", "가따"),
    ("ㅇㅏㅃㅏ", "아빠"),
    ("ㅈㅣㄴㅉㅏ", "진짜"),
    ("ㄸㅓㄱ", "떡"),
    ("ㅃㅏㅇ", "빵"),
    ("ㄲㅗㅊ", "꽃"),
    ("ㅆㅏㄹ", "쌀"),
    ("ㄱㅏㅃ", "가ㅃ"),
    ("ㅃㅃ", "ㅃㅃ"),
    ("ㅏㅃ", "ㅏㅃ"),
]
LONE_JAMO = [
    ("", ""),
    ("ㄱ", "ㄱ"),
    ("ㄱㄱ", "ㄱㄱ"),
    ("ㄱㅅ", "ㄱㅅ"),
    ("ㅂㅅ", "ㅂㅅ"),
    ("ㄹㄱ", "ㄹㄱ"),
    ("ㅋㅋㅋ", "ㅋㅋㅋ"),
    ("ㄱㄱㅏ", "ㄱ가"),
    ("ㅏ", "ㅏ"),
    ("ㅏㄱ", "ㅏㄱ"),
    ("ㅏㄱㅏ", "ㅏ가"),
    ("ㅠㅠ", "ㅠㅠ"),
    # Jamo that are not keys (a compound vowel, a compound final) are typed as themselves.
    ("ㄱㅘ", "ㄱㅘ"),
    ("ㄱㅏㄳ", "가ㄳ"),
]
OTHER_CHARACTERS = [
    ("ㄱㅏ.", "가."),
    ("ㄴㅔ?", "네?"),
    ("ㄱㅏㄱ!", "각!"),
    ("ㄷㅏㄹㄱ,ㅏ", "닭,ㅏ"),
    ("1ㄱㅏ", "1가"),
    ("ㄱㅏ1ㅏ", "가1ㅏ"),
    ("ㄷㅏㄹ2ㅏ", "달2ㅏ"),
    ("ㄱㅏ ㅏ", "가 ㅏ"),
    ("ㄱㅏㄱ ㅏ", "각 ㅏ"),
    ("ㅇㅣㄹ ㅇㅣ ㅅㅏㅁ", "일 이 삼"),
    ("  ", "  "),
    ("2026ㄴㅕㄴ", "2026년"),
    ("10ㅇㅜㅓㄹ 5ㅇㅣㄹ", "10월 5일"),
    ("Seoul ㅅㅓㅇㅜㄹ", "Seoul 서울"),
    ("ㄱㅏa", "가a"),
    ("ㄱa ㅏ", "ㄱa ㅏ"),
    ("abc", "abc"),
    ("ㄱㅏ\nㄴㅏ", "가\n나"),
    ("ㅇㅏㄴ-ㄴㅕㅇ", "안-녕"),
    ("(ㅈㅜㅇㄱㅜ)", "(중구)"),
    ("ㄱㅏㄴ~", "간~"),
    ("ㄱㅏㄱ@", "각@"),
    ("ㅂㅐ ㅂㅜㄹㄹㅓ!", "배 불러!"),
]
SENTENCES = [
    ("ㅈㅜㅇㄱㅜ ㅈㅜㅁㅣㄴ ㅇㅡㅣㄱㅕㄴㅇㅣㅂㄴㅣㄷㅏ", "중구 주민 의견입니다"),
    (
        "ㄱㅗㅇㅇㅜㅓㄴㅇㅔ ㄴㅏㅁㅜㄹㅡㄹ ㄷㅓ ㅅㅣㅁㅇㅓ ㅈㅜㅅㅔㅇㅛ.",
        "공원에 나무를 더 심어 주세요.",
    ),
    ("ㄱㅕㅇㄹㅗㄷㅏㅇㅇㅔ ㅇㅔㅇㅓㅋㅓㄴㅇㅣ ㅍㅣㄹㅇㅛㅎㅐㅇㅛ", "경로당에 에어컨이 필요해요"),
    ("ㅂㅓㅅㅡ ㅈㅓㅇㄹㅠㅈㅏㅇㅇㅣ ㄴㅓㅁㅜ ㅁㅓㄹㅇㅓㅇㅛ!", "버스 정류장이 너무 멀어요!"),
    ("ㄱㅣㄹㅇㅣ ㅁㅣㄲㅡㄹㅓㅇㅜㅓㅇㅛ", "길이 미끄러워요"),
    ("ㅇㅣㄹㄱㅇㅓㅅㅓ ㅇㅣㄹㅎㄱㅗ", "읽어서 잃고"),
    ("ㄲㅗㅊㅇㅣ ㅍㅣㅇㅓㅆㅅㅡㅂㄴㅣㄷㅏ", "꽃이 피었습니다"),
    (
        "ㅅㅣㄴㄷㅏㅇㄷㅗㅇ ㅅㅣㅈㅏㅇㅇㅔ ㅈㅜㅊㅏㅈㅏㅇㅇㅣ "
        "ㅇㅣㅆㅇㅡㅁㅕㄴ ㅈㅗㅎㄱㅔㅆㅇㅓㅇㅛ",
        "신당동 시장에 주차장이 있으면 좋겠어요",
    ),
]
TABLE = (
    WORDS
    + COMPOUND_VOWELS
    + COMPOUND_FINALS
    + MOVING_FINALS
    + DOUBLE_CONSONANTS
    + LONE_JAMO
    + OTHER_CHARACTERS
    + SENTENCES
)


def test_the_table_is_large_and_has_no_repeats():
    assert len(TABLE) >= 100
    assert len({keys for keys, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("keys", "expected"), TABLE, ids=[k or "empty" for k, _ in TABLE])
def test_keys_type_the_expected_text(keys, expected):
    assert compose(keys) == expected


def test_every_compound_vowel_and_final_is_in_the_table():
    typed = "".join(text for _, text in TABLE)
    for vowel, syllable in zip("ㅘㅙㅚㅝㅞㅟㅢ", "과왜회뭐웨귀의", strict=True):
        assert vowel in typed and syllable in typed
    for final, word in zip("ㄳㄵㄶㄺㄻㄼㄽㄾㄿㅀㅄ", "넋앉많닭삶덟곬핥읊앓값", strict=True):
        assert word in typed, final


@pytest.mark.parametrize(("keys", "expected"), SENTENCES + WORDS)
def test_decompose_gives_back_the_keys(keys, expected):
    assert decompose(expected) == keys


def test_decompose_splits_compound_jamo_into_keys():
    assert decompose("ㅘ") == "ㅗㅏ"
    assert decompose("닭") == "ㄷㅏㄹㄱ"
    assert decompose("꽃") == "ㄲㅗㅊ"
    assert decompose("ㄳ") == "ㄱㅅ"
    assert set(decompose("괜찮아요 뭐예요")) <= set(KEYS) | {" "}


def typed(*keys: str, composer: HangulComposer | None = None) -> HangulComposer:
    c = composer or HangulComposer()
    for key in "".join(keys):
        c.press(key)
    return c


def erased(c: HangulComposer) -> list[str]:
    """The text after each backspace until nothing is left."""
    seen = [c.text]
    while c.backspace():
        seen.append(c.text)
    return seen


def test_backspace_removes_one_jamo_at_a_time_from_the_syllable_being_composed():
    assert erased(typed("ㄷㅏㄹㄱ")) == ["닭", "달", "다", "ㄷ", ""]


def test_backspace_takes_a_compound_vowel_apart():
    assert erased(typed("ㄱㅗㅏㄴ")) == ["관", "과", "고", "ㄱ", ""]


def test_backspace_takes_a_compound_final_apart():
    assert erased(typed("ㄱㅏㅂㅅ")) == ["값", "갑", "가", "ㄱ", ""]


def test_backspace_removes_whole_characters_once_nothing_is_composed():
    # 달 was finished when 가 took its ㄱ, so it goes in one piece.
    assert erased(typed("ㄷㅏㄹㄱㅏ")) == ["달가", "달ㄱ", "달", ""]
    assert erased(typed("ㄷㅏㄹㄱ ")) == ["닭 ", "닭", ""]
    assert erased(typed("ㅈㅜㅇㄱㅜ ㅈㅜ")) == [
        "중구 주",
        "중구 ㅈ",
        "중구 ",
        "중구",
        "중",
        "",
    ]


def test_typing_goes_on_after_a_backspace():
    c = typed("ㄷㅏㄹㄱ")
    c.backspace()
    typed("ㅁ", composer=c)
    assert c.text == "닮"
    c.backspace()
    c.backspace()
    typed("ㅇㅏ", composer=c)
    assert c.text == "다아"


def test_backspace_on_nothing_says_so():
    c = HangulComposer()
    assert c.backspace() is False
    assert c.text == ""


def test_composing_is_the_syllable_in_progress():
    c = typed("ㅈㅜㅇㄱㅜ")
    assert (c.text, c.composing) == ("중구", "구")
    typed(" ", composer=c)
    assert c.composing == ""
    typed("ㅏ", composer=c)
    assert c.composing == "ㅏ"


def test_commit_ends_composing_so_a_vowel_does_not_take_the_final():
    c = typed("ㄱㅏㄱ")
    c.commit()
    assert c.composing == ""
    typed("ㅏ", composer=c)
    assert c.text == "각ㅏ"


def test_clear_and_set_text():
    c = typed("ㄱㅏㄱ")
    c.clear()
    assert (c.text, c.composing) == ("", "")
    c.set_text("주민")
    typed("ㅇㅏ", composer=c)
    assert c.text == "주민아"
    assert erased(c)[:3] == ["주민아", "주민ㅇ", "주민"]


def test_max_length_refuses_a_key_that_would_make_the_text_longer():
    c = HangulComposer(max_length=2)
    for key in "ㄱㅏㄴㅏ":
        assert c.press(key)
    # A final fits in the last syllable; the vowel that would move it out does not.
    assert c.press("ㄷ")
    assert not c.press("ㅏ")
    assert not c.press(" ")
    assert c.text == "가낟"
    c.backspace()
    assert c.text == "가나"


def test_max_length_cuts_text_that_is_set():
    assert HangulComposer("중구 주민", max_length=3).text == "중구 "
    with pytest.raises(ValueError):
        HangulComposer(max_length=0)


def test_a_key_is_one_character():
    with pytest.raises(ValueError):
        HangulComposer().press("ㄱㅏ")
