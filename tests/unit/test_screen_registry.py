"""The lazy screen registry names exactly the routes the screen modules define."""

from kiosk.ui.screens import CONTEST_ROUTES, SCREENS, SURVEY_ROUTES, contest, survey
from kiosk.ui.screens.base import Screen


def test_lazy_routes_match_the_modules():
    assert set(SURVEY_ROUTES) == set(survey.SCREENS)
    assert set(CONTEST_ROUTES) == set(contest.SCREENS)


def test_every_route_resolves_to_a_screen_class():
    for name in SCREENS:
        assert issubclass(SCREENS[name], Screen), name
