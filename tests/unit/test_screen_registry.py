"""The lazy screen registry names exactly the routes the screen modules define."""

from contract.lessons import SCREEN_TARGETS
from kiosk.domain import (
    ballot_flow,
    budget_proposal_flow,
    contest_flow,
    earn,
    points_flow,
    proposal_flow,
    survey_flow,
)
from kiosk.domain.identify import IDENTITY
from kiosk.ui.screens import CONTEST_ROUTES, SCREENS, STEP_ROUTES, SURVEY_ROUTES, contest, survey
from kiosk.ui.screens.base import Screen
from kiosk.ui.steps import StepScreen

FLOWS = (
    survey_flow,
    contest_flow,
    earn,
    proposal_flow,
    ballot_flow,
    budget_proposal_flow,
    points_flow,
)


def test_lazy_routes_match_the_modules():
    assert set(SURVEY_ROUTES) == set(survey.SCREENS)
    assert set(CONTEST_ROUTES) == set(contest.SCREENS)


def test_every_route_resolves_to_a_screen_class():
    for name in SCREENS:
        assert issubclass(SCREENS[name], Screen), name


def test_every_step_of_every_flow_is_a_route_drawn_by_the_step_screen():
    step_ids = {step_id for flow in FLOWS for step_id in flow.STEP_IDS}
    assert step_ids == set(STEP_ROUTES)
    for step_id in (*step_ids, IDENTITY):
        assert issubclass(SCREENS[step_id], StepScreen), step_id


def test_lessons_name_steps_by_their_ids():
    """A lesson's screen is a route: for a step of a flow, the step's id."""
    for screen in SCREEN_TARGETS:
        assert screen in SCREENS, screen
