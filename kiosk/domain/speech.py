"""What read-aloud (음성 안내) says, as plain data: no Qt, no sound (DESIGN.md "Voice").

A screen is described as a sequence of `Spoken` parts in its logical order (the window reads
them from the widget tree, or a screen hands them over itself). `screen_lines` turns them into
the lines spoken when the screen appears: its heading, its questions, its options (with the
chosen ones named as chosen) and its messages, nothing else (no hints, no 이전 / 다음 row).
`new_lines` is what to say after a tap changed the screen (a message appeared, a count moved).

Personal data is never read aloud: widgets that show a phone number or a birth date speak their
accessible name (a count such as "11자리 중 3자리 입력"), and `scrub` drops anything that still
looks like a phone number, a birth date or a masked entry, as a second guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

# title: the screen's heading; context: a plain line that may stand in for a missing heading
# (the line just above the question); question; option: something to choose or press;
# message: a notice or a problem; live: a line that changes as the resident types (a count).
Part = Literal["title", "context", "question", "option", "message", "live"]


@dataclass(frozen=True)
class Spoken:
    """One piece of a screen that read-aloud may say."""

    part: Part
    text: str


# Phone numbers (010-1234-5678, 01012345678, 010 1234 5678, masked 010-****-5678), dates of
# birth (1950.03.02, 1950-**-**, 19500302), and any run of masked or empty entry marks.
_MARKS = "*○●•"
_PERSONAL = re.compile(
    r"0\d{1,2}[-.\s]?[\d" + _MARKS + r"]{3,4}[-.\s]?[\d" + _MARKS + r"]{4}"
    r"|(?:19|20)\d\d[-./\s]?[\d" + _MARKS + r"]{2}[-./\s]?[\d" + _MARKS + r"]{2}"
    r"|\d{7,}"
    r"|[" + _MARKS + r"]{2,}"
)
_SPACES = re.compile(r"\s+")


def scrub(text: str) -> str:
    """`text` on one line, without anything that looks like a phone number or birth date."""
    return _SPACES.sub(" ", _PERSONAL.sub(" ", text)).strip()


def screen_lines(parts: Sequence[Spoken]) -> list[str]:
    """What is said when a screen appears, in order: the heading (the first title, or else the
    nearest plain line above the first question), every question, option, message and live
    line. Other plain lines (hints, progress) are left to the eyes."""
    heading: int | None = next((i for i, p in enumerate(parts) if p.part == "title"), None)
    if heading is None:
        first_question = next((i for i, p in enumerate(parts) if p.part == "question"), None)
        if first_question is not None:
            heading = next(
                (i for i in range(first_question - 1, -1, -1) if parts[i].part == "context"),
                None,
            )
    chosen: list[Spoken] = []
    for i, part in enumerate(parts):
        if i == heading or part.part in ("question", "option", "message", "live"):
            chosen.append(part)
    return _clean(p.text for p in chosen)


def new_lines(before: Sequence[Spoken], after: Sequence[Spoken]) -> list[str]:
    """What to say after a tap changed a screen: the messages and live lines that were not
    there before (a problem shown, a count moved). Options and headings are not repeated."""
    old = set(_clean(p.text for p in before if p.part in ("message", "live")))
    fresh = [p.text for p in after if p.part in ("message", "live")]
    return [line for line in _clean(fresh) if line not in old]


def has_new_problem(
    before: Sequence[Spoken], after: Sequence[Spoken], problems: Iterable[str]
) -> bool:
    """Whether one of `problems` (texts of error messages now shown) was not shown before."""
    old = {p.text for p in before if p.part == "message"}
    return any(text not in old for text in problems)


def _clean(texts: Iterable[str]) -> list[str]:
    lines: list[str] = []
    for text in texts:
        line = scrub(text)
        if line and (not lines or lines[-1] != line):
            lines.append(line)
    return lines


# ---------------------------------------------------------------------------------------------
# Speed and volume
# ---------------------------------------------------------------------------------------------

RATE_STEPS: tuple[float, ...] = (-0.6, -0.4, -0.2, 0.0, 0.2, 0.4)  # QTextToSpeech: -1 .. 1
VOLUME_STEPS: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8, 1.0)  # 0 .. 1
DEFAULT_RATE = 0.0
DEFAULT_VOLUME = 0.8


@dataclass(frozen=True)
class VoiceSettings:
    """Whether voice guidance is on, and its speed and volume (steps of the lists above).

    A visit starts with the defaults: a new resident never inherits the last one's volume.
    """

    on: bool = False
    rate: float = DEFAULT_RATE
    volume: float = DEFAULT_VOLUME

    def toggled(self) -> VoiceSettings:
        return replace(self, on=not self.on)

    def faster(self) -> VoiceSettings:
        return replace(self, rate=_step(RATE_STEPS, self.rate, +1))

    def slower(self) -> VoiceSettings:
        return replace(self, rate=_step(RATE_STEPS, self.rate, -1))

    def louder(self) -> VoiceSettings:
        return replace(self, volume=_step(VOLUME_STEPS, self.volume, +1))

    def quieter(self) -> VoiceSettings:
        return replace(self, volume=_step(VOLUME_STEPS, self.volume, -1))

    @property
    def fastest(self) -> bool:
        return self.rate >= RATE_STEPS[-1]

    @property
    def slowest(self) -> bool:
        return self.rate <= RATE_STEPS[0]

    @property
    def loudest(self) -> bool:
        return self.volume >= VOLUME_STEPS[-1]

    @property
    def quietest(self) -> bool:
        return self.volume <= VOLUME_STEPS[0]

    @property
    def volume_percent(self) -> int:
        return round(self.volume * 100)

    @property
    def rate_level(self) -> int:
        """1 (slowest) .. len(RATE_STEPS), for saying and showing the speed."""
        return _index(RATE_STEPS, self.rate) + 1


def _index(steps: Sequence[float], value: float) -> int:
    return min(range(len(steps)), key=lambda i: abs(steps[i] - value))


def _step(steps: Sequence[float], value: float, by: int) -> float:
    return steps[max(0, min(len(steps) - 1, _index(steps, value) + by))]


# ---------------------------------------------------------------------------------------------
# Which voice
# ---------------------------------------------------------------------------------------------

# QtTextToSpeech engines that speak with the platform's voices, best first: speech-dispatcher
# (with espeak-ng, which has Korean) on the Linux kiosk. Qt's "mock" speaks only when configured.
PREFERRED_ENGINES: tuple[str, ...] = ("speechd", "winrt", "sapi", "darwin", "flite")
TEST_ENGINE = "mock"


def choose_engine(configured: str | None, available: Sequence[str]) -> str | None:
    """The engine to speak with among the `available` ones: the `configured` one when it is
    installed, else the first of PREFERRED_ENGINES, else any but Qt's mock; None when none."""
    if configured is not None:
        return configured if configured in available else None
    for name in PREFERRED_ENGINES:
        if name in available:
            return name
    return next((name for name in available if name != TEST_ENGINE), None)


PREFERRED_LOCALES: dict[str, tuple[str, ...]] = {
    "ko": ("ko_KR",),
    "en": ("en_GB", "en_US"),
}


def choose_locale(language: str, available: Sequence[str]) -> str | None:
    """The locale name ("ko_KR") to speak `language` ("ko" or "en") in, among the engine's
    `available` locale names; None when the engine has no voice for that language."""
    for name in PREFERRED_LOCALES.get(language, ()):
        if name in available:
            return name
    prefix = f"{language}_"
    return next((name for name in available if name.startswith(prefix)), None)
