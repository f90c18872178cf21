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

from collections.abc import Mapping
from typing import Final

# tap: the resident taps the target; look: the target is shown and explained, nothing to tap;
# enter: the resident types the step's `value` on the target keypad, one highlighted key at a
# time (a practice phone number and birth date: lessons reach the end of a flow that asks who
# the resident is, and no one types their own number in front of a class).
STEP_KINDS: Final[tuple[str, ...]] = ("tap", "look", "enter")
ENTER: Final = "enter"
# The keypads a step of kind "enter" may type on (the objectName of kiosk.ui.widgets.Keypad).
KEYPAD_TARGETS: Final = frozenset({"keypad"})

# Lessons of resident flows. A lesson of a practice kiosk (a café, a clinic check-in…) names
# the kiosk's id as its flow instead: those kiosks, their screens and the targets on them are
# the pack's data (contract.practice), so the pack checks such a lesson, not this registry.
RESIDENT_FLOWS: Final[tuple[str, ...]] = ("survey", "agree", "vote", "points")
FLOWS: Final[tuple[str, ...]] = RESIDENT_FLOWS

# On every screen with the bars.
BAR_TARGETS: Final = frozenset({"homeButton", "backButton", "voiceButton", "textSizeButton"})

SCREEN_TARGETS: Final[Mapping[str, frozenset[str]]] = {
    "home": frozenset({"tile_surveys", "tile_proposals", "tile_budget", "tile_points"}),
    "surveys": frozenset({"survey_*"}),
    "survey_intro": frozenset({"startButton"}),
    "survey_question": frozenset({"choice_*", "flowNext", "flowBack", "prompt"}),
    "proposals": frozenset({"proposal_*", "writeProposal"}),
    "proposal": frozenset({"agreeButton", "agreeCount"}),
    "budget": frozenset({"voteButton"}),
    "budget_dongs": frozenset({"dong_*"}),
    "budget_projects": frozenset({"project_*", "flowNext", "ballotStatus"}),
    "budget_review": frozenset({"submitButton"}),
    "points": frozenset({"checkPoints"}),
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
    types = target in KEYPAD_TARGETS and value is not None
    if (kind == ENTER and not types) or (kind != ENTER and value is not None):
        return "lesson_enter", {"kind": kind, "target": target}
    return None
