"""Every screen of the kiosk, by route name."""

from __future__ import annotations

from kiosk.ui.flow import ThankYouScreen
from kiosk.ui.screens import contest, share, survey, videos
from kiosk.ui.screens.admin import AdminPinScreen, AdminStatusScreen
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.home import AREAS, HomeScreen
from kiosk.ui.screens.soon import coming_soon

ATTRACT = "attract"

SCREENS: dict[str, type[Screen]] = {
    "home": HomeScreen,
    ATTRACT: AttractScreen,
    "admin_pin": AdminPinScreen,
    "admin_status": AdminStatusScreen,
    **{area: coming_soon(area) for area in AREAS if area not in (survey.LIST, "videos")},
    "videos": videos.VideosScreen,
    "video": videos.VideoScreen,
    "share": share.ShareScreen,
    "sns": share.SnsScreen,
    **survey.SCREENS,
    **contest.SCREENS,
    "thanks": ThankYouScreen,
}
