"""What a lesson step may name: the step kinds, and per screen the targets a lesson may point
at. No Qt, no I/O.

A lesson is content (contract.content.Lesson): steps, each naming a screen (a route name; in
a resident flow, the id of the flow's step, e.g. "survey_question", "budget_projects",
"identity": the kiosk's step flows keep these ids stable), a target on it (a widget's
objectName) and what to say. `SCREEN_TARGETS` lists, per screen, the
objectNames a lesson may point at (a name ending in "*" stands for every name with that
beginning: "survey_*" is any survey's button). A pack whose lesson names a screen, target or
step kind that is not here is refused (`step_problem`) by the kiosk and the server alike, so
the registry is part of the contract; a kiosk widget test runs every demo lesson on the real
screens and checks that it matches what they show. How a lesson runs is kiosk.domain.lessons.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

# tap: the resident taps the target; look: the target is shown and explained, nothing to tap;
# enter: the resident types the step's `value` on the target keypad or keyboard, one
# highlighted key at a time (a practice phone number and birth date: lessons reach the end of a
# flow that asks who the resident is, and no one types their own number in front of a class;
# on the keyboard a few practice words); fill: the lesson writes the step's `value` on the
# target keyboard at once, and the resident reads it (a text too long to type key by key in a
# lesson, e.g. a proposal's body, which needs 20 characters).
STEP_KINDS: Final[tuple[str, ...]] = ("tap", "look", "enter", "fill")
ENTER: Final = "enter"
FILL: Final = "fill"
# What a step of kind "enter" may type on: the number keypad (kiosk.ui.widgets.Keypad) and the
# Hangul keyboard (kiosk.ui.keyboard.HangulKeyboard), by objectName.
KEYPAD_TARGETS: Final = frozenset({"keypad"})
KEYBOARD_TARGETS: Final = frozenset({"hangulKeyboard"})
# A step of kind "fill" lights the keyboard, or the box above its keys where the text shows.
FILL_TARGETS: Final = KEYBOARD_TARGETS | {"keyboardDisplay"}
# Digits on the keypad; Hangul syllables and spaces on the keyboard (typed key by key, so few);
# any words of a practice text written at once (fill).
KEYPAD_VALUE: Final = re.compile(r"[0-9]{1,16}")
KEYBOARD_VALUE: Final = re.compile(r"[가-힣]+( [가-힣]+)*")
KEYBOARD_VALUE_MAX: Final = 16
FILL_VALUE_MAX: Final = 200

# Lessons of resident flows. A lesson of a practice kiosk (a café, a clinic check-in…) names
# the kiosk's id as its flow instead: those kiosks, their screens and the targets on them are
# the pack's data (contract.practice), so the pack checks such a lesson, not this registry.
RESIDENT_FLOWS: Final[tuple[str, ...]] = (
    "survey",
    "agree",
    "vote",
    "points",
    "contest_entry",
    "contest_vote",
    "proposal",
    "video",
    "share",
    "exchange",
)
# Resident flows that send nothing (watching, showing a QR code): their 실전 ends by the coach.
QUIET_FLOWS: Final = frozenset({"video", "share"})
FLOWS: Final[tuple[str, ...]] = RESIDENT_FLOWS

# On every screen with the bars.
BAR_TARGETS: Final = frozenset({"homeButton", "backButton", "voiceButton", "textSizeButton"})

SCREEN_TARGETS: Final[Mapping[str, frozenset[str]]] = {
    "home": frozenset(
        {"tile_surveys", "tile_proposals", "tile_budget", "tile_videos", "tile_points"}
    ),
    "surveys": frozenset({"survey_*", "contest_*"}),
    "survey_intro": frozenset({"startButton"}),
    "survey_question": frozenset({"choice_*", "flowNext", "flowBack", "prompt"}),
    "proposals": frozenset({"proposal_*", "writeProposal"}),
    "proposal": frozenset({"agreeButton", "agreeCount"}),
    "budget": frozenset({"voteButton"}),
    "budget_dongs": frozenset({"dong_*"}),
    "budget_projects": frozenset({"project_*", "flowNext", "ballotStatus"}),
    "budget_review": frozenset({"submitButton"}),
    "contest": frozenset({"voteButton", "ideaButton", "shareButton"}),
    "contest_entries": frozenset({"entry_*", "voteCount", "flowNext"}),
    "contest_vote_review": frozenset({"submitButton"}),
    "contest_idea": frozenset({"hangulKeyboard", "keyboardDisplay", "flowNext", "prompt"}),
    "contest_idea_review": frozenset({"submitButton"}),
    # 포인트 받기 (본인 확인) or 포인트 없이 보내기, after a survey's or contest's review.
    "points_choice": frozenset({"earnPoints", "earn_anonymous"}),
    "proposal_new_dong": frozenset({"dong_*", "flowNext", "prompt"}),
    "proposal_new_topic": frozenset({"topic_*", "flowNext", "prompt"}),
    "proposal_new_text": frozenset({"hangulKeyboard", "keyboardDisplay", "flowNext", "prompt"}),
    "proposal_new_review": frozenset({"submitButton"}),
    "videos": frozenset({"video_*"}),
    "video": frozenset(
        {"videoPlay", "videoSubtitles", "videoSubtitle", "videoPicture", "shareButton"}
    ),
    "share": frozenset({"qrCode", "qrAddress", "shareItemTitle"}),
    "points": frozenset({"checkPoints"}),
    "points_balance": frozenset({"pointsBalance", "use_exchange", "use_donate"}),
    "points_amount": frozenset({"amount_*", "amountBalance", "flowNext"}),
    "points_confirm": frozenset({"confirmWhat", "confirmLeft", "sendButton"}),
    "identity": frozenset({"keypad", "flowNext", "prompt", "identityReadout"}),
}


def target_known(
    screen: str, target: str, screens: Mapping[str, frozenset[str]] = SCREEN_TARGETS
) -> bool:
    """Whether a lesson may point at `target` on `screen` (of `screens`: this registry, or a
    pack's practice kiosks)."""
    names = screens.get(screen)
    if names is None:
        return False
    if target in BAR_TARGETS or target in names:
        return True
    return any(n.endswith("*") and target.startswith(n[:-1]) and target != n[:-1] for n in names)


def step_problem(
    screen: str,
    target: str,
    kind: str,
    value: str | None = None,
    screens: Mapping[str, frozenset[str]] = SCREEN_TARGETS,
) -> tuple[str, dict[str, object]] | None:
    """What is wrong with a step (a content message key and its fields), None when it is fine."""
    if kind not in STEP_KINDS:
        return "lesson_step_kind", {"kind": kind, "expected": ", ".join(STEP_KINDS)}
    if screen not in screens:
        return "lesson_screen", {"screen": screen}
    if not target_known(screen, target, screens):
        return "lesson_target", {"screen": screen, "target": target}
    if not value_fits(target, kind, value):
        return "lesson_enter", {"kind": kind, "target": target}
    return None


def value_fits(target: str, kind: str, value: str | None) -> bool:
    """Whether a step's `value` is what its kind types on its target: digits on the keypad,
    a few Hangul words on the keyboard, a practice text written at once; none for the others."""
    if kind == ENTER and value is not None and target in KEYPAD_TARGETS:
        return KEYPAD_VALUE.fullmatch(value) is not None
    if kind == ENTER and value is not None and target in KEYBOARD_TARGETS:
        short = len(value) <= KEYBOARD_VALUE_MAX
        return short and KEYBOARD_VALUE.fullmatch(value) is not None
    if kind == FILL and value is not None and target in FILL_TARGETS:
        return len(value.strip()) > 0 and len(value) <= FILL_VALUE_MAX
    return kind not in (ENTER, FILL) and value is None
