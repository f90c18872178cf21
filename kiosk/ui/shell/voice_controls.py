"""음성 설정: the screen of voice guidance's speed and volume, opened from the 도움·설정 panel
(kiosk.ui.shell.settings_panel) while voice guidance is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.navigation import Route

if TYPE_CHECKING:
    from kiosk.ui.shell.window import KioskWindow


def open_voice_settings(window: KioskWindow) -> None:
    from kiosk.ui.screens.voice import VOICE_SETTINGS

    if window.navigator.current.screen != VOICE_SETTINGS:
        window.navigate(Route(VOICE_SETTINGS))
