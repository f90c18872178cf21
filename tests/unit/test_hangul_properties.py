"""Properties of 2-beolsik composition over generated text and key strings (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.hangul import (
    KEYS,
    SYLLABLE_FIRST,
    SYLLABLE_LAST,
    HangulComposer,
    compose,
    decompose,
)

syllables = st.characters(min_codepoint=SYLLABLE_FIRST, max_codepoint=SYLLABLE_LAST)
hangul_text = st.text(st.one_of(syllables, st.just(" ")), max_size=40)
# Mostly keys, with some spaces, digits, Latin letters and anything else mixed in.
key_strings = st.text(
    st.one_of(st.sampled_from(KEYS), st.sampled_from(" .1a"), st.characters()), max_size=60
)


@given(hangul_text)
def test_decompose_then_compose_gives_the_text_back(text):
    assert compose(decompose(text)) == text


@given(hangul_text)
def test_decompose_uses_only_keys_of_the_keyboard(text):
    assert set(decompose(text)) <= set(KEYS) | {" "}


@given(st.text())
def test_compose_never_raises_and_keeps_other_characters(text):
    result = compose(text)
    assert isinstance(result, str)
    for char in text:
        if char not in KEYS:
            assert char in result


@given(key_strings)
def test_the_composer_types_what_compose_says(keys):
    c = HangulComposer()
    for key in keys:
        assert c.press(key)
        assert c.text.endswith(c.composing)
    assert c.text == compose(keys)


@given(key_strings)
def test_backspace_empties_the_text_in_at_most_one_press_per_key(keys):
    c = HangulComposer()
    for key in keys:
        c.press(key)
    presses = 0
    while c.backspace():
        presses += 1
        assert presses <= len(keys)
    assert c.text == ""


@given(key_strings, st.integers(min_value=1, max_value=10))
def test_the_text_never_grows_past_max_length(keys, most):
    c = HangulComposer(max_length=most)
    for key in keys:
        c.press(key)
        assert len(c.text) <= most
