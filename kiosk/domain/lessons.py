"""Lessons of coached sessions (issue 9, part 3): how a lesson runs through its four stages.
No Qt, no I/O.

A lesson is content (contract.content.Lesson): steps, each naming a screen (a route name: in a
resident flow the id of the step, kiosk.domain.steps), a target on it (a widget's objectName)
and what to say; what a step may name is part of the
shared contract (contract.lessons), since the server refuses the same packs the kiosk does.

`LessonRun` is one stage of one lesson in progress: which step is next, whether the target is
highlighted, whether other taps are refused (따라하기) and counted, and what each step took.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from kiosk.domain.hangul import decompose

# 보기 (the app plays the steps), 따라하기 (only the target responds), 혼자하기 (no highlight,
# 도움 shows the next target), 실전 (real use beside the coach, practice off).
WATCH: Final = "watch"
FOLLOW: Final = "follow"
ALONE: Final = "alone"
REAL: Final = "real"
LESSON_STAGES: Final[tuple[str, ...]] = (WATCH, FOLLOW, ALONE, REAL)


def next_key(value: str, typed: str) -> str | None:
    """The key to press next to type `value` when `typed` is on the keypad: the next digit,
    the erase key ("erase") after a wrong digit, None once `typed` is `value`."""
    if typed == value:
        return None
    if value.startswith(typed):
        return value[len(typed)]
    return "erase"


def next_letter(value: str, typed: str) -> str | None:
    """The keyboard key to press next to write `value` when `typed` is written: a jamo as
    printed on the key (ㄱ, ㅏ, a shifted ㄲ), " " for the space bar, "erase" after a wrong
    key, None once `typed` is `value`. Compared key by key (2-beolsik): "골" on the way to
    "골목" is right, though the syllable shown is "곪" for a moment."""
    if typed == value:
        return None
    want, have = decompose(value), decompose(typed)
    if want.startswith(have) and len(have) < len(want):
        return want[len(have)]
    return "erase"


def shown_value(value: str) -> str:
    """A step's digits as the keypad screen shows them: 010-1234-5678, 1950.01.01; words as
    they are."""
    if not value.isdigit():
        return value
    if len(value) == 11:
        return f"{value[:3]}-{value[3:7]}-{value[7:]}"
    if len(value) == 8:
        return f"{value[:4]}.{value[4:6]}.{value[6:]}"
    return value


def next_stage(stage: str) -> str | None:
    i = LESSON_STAGES.index(stage)
    return LESSON_STAGES[i + 1] if i + 1 < len(LESSON_STAGES) else None


@dataclass(frozen=True)
class StepResult:
    """One step done by the resident: what `CoachedSession.record_step` is given."""

    lesson_id: str
    step_id: str
    seconds: float
    wrong_taps: int


@dataclass
class LessonRun:
    """One stage of one lesson, from its first step to its last.

    Attributes:
        lesson_id: the lesson.
        step_ids: its steps in order.
        stage: one of LESSON_STAGES (실전 has no steps to follow: the coach ends it).
        index: the step now (== len(step_ids) once done).
        helped: in 혼자하기, 도움 was pressed for this step: its target is shown.
        wrong_taps: wrong taps at this step so far.
        results: what each step took, for the steps the resident did (not in 보기).
    """

    lesson_id: str
    step_ids: tuple[str, ...]
    stage: str
    started: float
    index: int = 0
    helped: bool = False
    wrong_taps: int = 0
    helps: int = 0
    results: list[StepResult] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.stage not in LESSON_STAGES:
            raise ValueError(f"unknown stage {self.stage!r}")

    @property
    def done(self) -> bool:
        return self.stage == REAL or self.index >= len(self.step_ids)

    @property
    def step_id(self) -> str | None:
        return None if self.done else self.step_ids[self.index]

    @property
    def plays_itself(self) -> bool:
        """보기: the app taps the targets; the resident's taps do nothing."""
        return self.stage == WATCH

    @property
    def highlighted(self) -> bool:
        """Whether the next target is highlighted (and everything else dimmed)."""
        if self.done:
            return False
        return self.stage in (WATCH, FOLLOW) or (self.stage == ALONE and self.helped)

    @property
    def only_target_responds(self) -> bool:
        """보기 and 따라하기: a tap anywhere but on the target is not passed on."""
        return not self.done and self.stage in (WATCH, FOLLOW)

    @property
    def records_steps(self) -> bool:
        return self.stage in (FOLLOW, ALONE)

    def wrong_tap(self) -> bool:
        """A tap on something other than the target: counted in 따라하기 (where it is held back)
        and 혼자하기 (where it goes through); True when a hint is given (따라하기 only)."""
        if self.done or not self.records_steps:
            return False
        self.wrong_taps += 1
        return self.stage == FOLLOW

    def help(self) -> None:
        """혼자하기's 도움: show the next target."""
        if not self.done and self.stage == ALONE:
            self.helped = True
            self.helps += 1

    def step_done(self, now: float) -> StepResult | None:
        """The step's target was tapped (or its look was seen): move on. Returns what the step
        took when the resident did it (따라하기, 혼자하기), None in 보기."""
        if self.done:
            return None
        result = StepResult(
            self.lesson_id, self.step_ids[self.index], max(0.0, now - self.started), self.wrong_taps
        )
        self.index += 1
        self.started = now
        self.wrong_taps = 0
        self.helped = False
        if not self.records_steps:
            return None
        self.results.append(result)
        return result
