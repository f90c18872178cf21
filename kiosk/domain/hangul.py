"""Hangul composition for the on-screen 2-beolsik (두벌식) keyboard. No Qt.

Keys are Hangul compatibility jamo as printed on the keys (ㄱ…ㅎ, ㅏ…ㅣ, the shifted
ㄲㄸㅃㅆㅉ and ㅒㅖ); any other character (space, digit, Latin letter, punctuation) is typed
as itself and ends the syllable being composed. The rules follow the standard 2-beolsik input
method: initial + medial + final, compound vowels typed as two keys (ㅗ+ㅏ → ㅘ), compound
finals (ㄹ+ㄱ → ㄺ), and a final consonant moving to the next syllable when a vowel follows
(닭 + ㅏ → 달가). A vowel with no initial and a consonant with no vowel stay single jamo.

`compose(keys)` gives the text a key sequence types, `decompose(text)` the keys that type a
text, and `HangulComposer` is the incremental state an on-screen keyboard drives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

# Unicode orders the syllables U+AC00..U+D7A3 as (initial * 21 + medial) * 28 + final.
SYLLABLE_FIRST = 0xAC00
SYLLABLE_LAST = 0xD7A3
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"  # index + 1; 0 = none

CONSONANT_KEYS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWEL_KEYS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ"
KEYS = CONSONANT_KEYS + VOWEL_KEYS

COMPOUND_VOWELS: dict[tuple[str, str], str] = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
COMPOUND_FINALS: dict[tuple[str, str], str] = {
    ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ",
    ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ",
    ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}
# Compound jamo back to the two keys that type them.
SPLIT: dict[str, tuple[str, str]] = {v: k for k, v in (COMPOUND_VOWELS | COMPOUND_FINALS).items()}


def is_syllable(char: str) -> bool:
    return SYLLABLE_FIRST <= ord(char) <= SYLLABLE_LAST


@dataclass(frozen=True)
class Syllable:
    """The syllable being composed, as compatibility jamo; any part may be missing."""

    initial: str = ""
    medial: str = ""
    final: str = ""

    def __bool__(self) -> bool:
        return bool(self.initial or self.medial)

    def text(self) -> str:
        if self.initial and self.medial:
            code = (INITIALS.index(self.initial) * 21 + MEDIALS.index(self.medial)) * 28
            code += FINALS.index(self.final) + 1 if self.final else 0
            return chr(SYLLABLE_FIRST + code)
        return self.initial or self.medial


EMPTY = Syllable()


def step(syllable: Syllable, key: str) -> tuple[str, Syllable]:
    """Type `key` onto `syllable`: (text finished by this key, the syllable now composing)."""
    if key in CONSONANT_KEYS:
        return _consonant(syllable, key)
    if key in VOWEL_KEYS:
        return _vowel(syllable, key)
    return syllable.text() + key, EMPTY


def _consonant(s: Syllable, key: str) -> tuple[str, Syllable]:
    if s.initial and s.medial:
        if not s.final and key in FINALS:
            return "", replace(s, final=key)
        compound = COMPOUND_FINALS.get((s.final, key))
        if compound:
            return "", replace(s, final=compound)
    # No vowel yet, or no room for another final: the consonant starts a new syllable.
    return s.text(), Syllable(initial=key)


def _vowel(s: Syllable, key: str) -> tuple[str, Syllable]:
    if s.final:
        # The final (or the second half of a compound final) becomes the next initial.
        kept, moved = SPLIT.get(s.final, ("", s.final))
        return replace(s, final=kept).text(), Syllable(initial=moved, medial=key)
    if s.medial:
        compound = COMPOUND_VOWELS.get((s.medial, key))
        if compound:
            return "", replace(s, medial=compound)
        return s.text(), Syllable(medial=key)
    return "", replace(s, medial=key)


def compose(keys: str) -> str:
    """The text a sequence of 2-beolsik keys types (see the module docstring)."""
    done: list[str] = []
    syllable = EMPTY
    for key in keys:
        finished, syllable = step(syllable, key)
        done.append(finished)
    return "".join(done) + syllable.text()


def decompose(text: str) -> str:
    """The keys that type `text`: compose(decompose(t)) == t for text made of syllables.

    Text the input method cannot produce (a compound jamo alone such as "ㄳ", or a final
    followed by a lone vowel) gives keys that compose to something else.
    """
    keys: list[str] = []
    for char in text:
        if is_syllable(char):
            code = ord(char) - SYLLABLE_FIRST
            initial, rest = divmod(code, 21 * 28)
            medial, final = divmod(rest, 28)
            keys.append(INITIALS[initial])
            keys.extend(SPLIT.get(MEDIALS[medial], (MEDIALS[medial],)))
            if final:
                keys.extend(SPLIT.get(FINALS[final - 1], (FINALS[final - 1],)))
        else:
            keys.extend(SPLIT.get(char, (char,)))
    return "".join(keys)


class HangulComposer:
    """The text an on-screen keyboard is typing, one key at a time.

    Attributes:
        max_length: most characters the text may hold (None: no limit). A key that would
            make the text longer is refused.
    """

    def __init__(self, text: str = "", *, max_length: int | None = None) -> None:
        if max_length is not None and max_length < 1:
            raise ValueError("max_length must be at least 1")
        self.max_length = max_length
        self._committed = ""
        self._keys: list[str] = []  # the keys of the syllable being composed, for backspace
        self._syllable = EMPTY
        self.set_text(text)

    @property
    def text(self) -> str:
        """Everything typed, the syllable being composed included."""
        return self._committed + self._syllable.text()

    @property
    def composing(self) -> str:
        """The syllable still being composed ("" when none): the display marks it."""
        return self._syllable.text()

    def press(self, key: str) -> bool:
        """Type one key (a single character); False if it was refused by `max_length`."""
        if len(key) != 1:
            raise ValueError(f"a key is one character, got {key!r}")
        finished, syllable = step(self._syllable, key)
        committed = self._committed + finished
        if self.max_length is not None and len(committed + syllable.text()) > self.max_length:
            return False
        self._committed = committed
        if finished or not syllable:
            # A new syllable (or none) begins, perhaps with a final moved from the last one.
            self._keys = list(decompose(syllable.text()))
        else:
            self._keys.append(key)
        self._syllable = syllable
        return True

    def backspace(self) -> bool:
        """Remove the last key of the composing syllable, or else the last character.

        닭 → 달 → 다 → ㄷ → "". False when there was nothing to remove.
        """
        if self._keys:
            self._keys.pop()
            syllable = EMPTY
            for key in self._keys:
                _, syllable = step(syllable, key)
            self._syllable = syllable
            return True
        if self._committed:
            self._committed = self._committed[:-1]
            return True
        return False

    def commit(self) -> None:
        """End composing: the syllable in progress becomes ordinary text."""
        self._committed = self.text
        self._syllable = EMPTY
        self._keys = []

    def clear(self) -> None:
        self._committed = ""
        self._syllable = EMPTY
        self._keys = []

    def set_text(self, text: str) -> None:
        """Replace everything with `text` (cut to `max_length`), nothing composing."""
        self.clear()
        self._committed = text if self.max_length is None else text[: self.max_length]
