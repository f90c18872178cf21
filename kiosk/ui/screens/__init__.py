"""Every screen of the kiosk, by route name.

Only the screens the first paint can need are imported at start; the others (surveys,
contests, the player with QtMultimedia, …) are imported on first use, because importing them
all would add more to start-up than Qt itself takes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from contract.practice import is_practice
from kiosk.ui.screens.admin import AdminPinScreen, AdminStatusScreen
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.home import AREAS, HomeScreen
from kiosk.ui.screens.soon import coming_soon

ATTRACT = "attract"

SURVEY_ROUTES = ("surveys",)
PROPOSAL_ROUTES = ("proposals", "proposal_filter", "proposal")
NEW_PROPOSAL_ROUTES = (
    "proposal_new_dong",
    "proposal_new_topic",
    "proposal_new_text",
    "proposal_new_review",
)
# Steps of the flows drawn by the generic step screens (kiosk.ui.steps), by step id.
STEP_ROUTES = (
    "survey_intro",
    "survey_question",
    "survey_feedback",
    "survey_review",
    "contest_entries",
    "contest_vote_review",
    "contest_idea",
    "contest_idea_review",
    "points_choice",
    *NEW_PROPOSAL_ROUTES,
    "budget_dongs",
    "budget_projects",
    "budget_review",
    "budget_results",
    "budget_proposal_dong",
    "budget_proposal_text",
    "budget_proposal_cost",
    "budget_proposal_review",
    "points_balance",
    "points_amount",
    "points_confirm",
)
CONTEST_ROUTES = ("contest",)
COACH_ROUTES = ("coach_sign_in", "coach_panel", "coach_confirm")
LESSON_ROUTES = ("lessons", "lesson")
POINTS_ROUTES = ("points",)
SETTINGS_ROUTES = (
    "admin_settings",
    "admin_setting_choice",
    "admin_setting_text",
    "admin_settings_review",
    "admin_settings_saved",
    "admin_enroll",
    "admin_enroll_pin",
    "admin_reset",
)
BUDGET_ROUTES = ("budget",)

# Route name -> "module:attribute"; an attribute called SCREENS is that module's own registry.
LAZY: dict[str, str] = {
    ATTRACT: "kiosk.ui.screens.attract:AttractScreen",
    "videos": "kiosk.ui.screens.videos:VideosScreen",
    "video": "kiosk.ui.screens.videos:VideoScreen",
    "share": "kiosk.ui.screens.share:ShareScreen",
    "sns": "kiosk.ui.screens.share:SnsScreen",
    "thanks": "kiosk.ui.steps.thanks:ThankYouScreen",
    "voice_settings": "kiosk.ui.screens.voice:SCREENS",
    **{name: "kiosk.ui.screens.survey:SCREENS" for name in SURVEY_ROUTES},
    **{name: "kiosk.ui.steps:StepScreen" for name in STEP_ROUTES},
    **{name: "kiosk.ui.screens.contest:SCREENS" for name in CONTEST_ROUTES},
    "identity": "kiosk.ui.steps:StepScreen",
    **{name: "kiosk.ui.screens.proposals:SCREENS" for name in PROPOSAL_ROUTES},
    **{name: "kiosk.ui.screens.ballot:SCREENS" for name in BUDGET_ROUTES},
    **{name: "kiosk.ui.screens.points:SCREENS" for name in POINTS_ROUTES},
    **{name: "kiosk.ui.screens.coach:SCREENS" for name in COACH_ROUTES},
    **{name: "kiosk.ui.screens.lessons:SCREENS" for name in LESSON_ROUTES},
    **{name: "kiosk.ui.screens.settings:SCREENS" for name in SETTINGS_ROUTES},
    "admin_usb": "kiosk.ui.screens.usb:SCREENS",
}

EAGER: dict[str, type[Screen]] = {
    "home": HomeScreen,
    "admin_pin": AdminPinScreen,
    "admin_status": AdminStatusScreen,
    **{area: coming_soon(area) for area in AREAS if area not in LAZY},
}


class ScreenRegistry(Mapping[str, type[Screen]]):
    """Route name -> Screen class, importing a lazy screen's module the first time it is asked.
    A practice kiosk's page (`practice_…`, contract.practice) is the pack's: its screen is the
    generic practice screen, which finds the page in the pack (iteration does not list them)."""

    def __getitem__(self, name: str) -> type[Screen]:
        if name in EAGER:
            return EAGER[name]
        if is_practice(name):
            from kiosk.ui.screens.practice import practice_screen

            return practice_screen(name)
        module_name, attribute = LAZY[name].split(":")
        found = getattr(importlib.import_module(module_name), attribute)
        screen: type[Screen] = found[name] if attribute == "SCREENS" else found
        return screen

    def __iter__(self) -> Iterator[str]:
        yield from EAGER
        yield from LAZY

    def __len__(self) -> int:
        return len(EAGER) + len(LAZY)


SCREENS = ScreenRegistry()
