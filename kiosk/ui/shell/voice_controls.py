"""음성 안내 in the top bar: the words of its button, and "음성 설정" while voice guidance is on.

Speed and volume have a screen of their own (kiosk.ui.screens.voice), not four more buttons on
every screen; the bars are built again when voice guidance changes (Bars.on_voice_changed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from kiosk.ui.navigation import Route
from kiosk.ui.speech import VoiceGuide

if TYPE_CHECKING:
    from kiosk.ui.shell.window import KioskWindow


def voice_button_id(voice: VoiceGuide) -> str:
    """The message id of 음성 안내's words: what a press does, or that no engine speaks."""
    if voice.unavailable:
        return "bar.voice.unavailable"
    return "bar.voice.off" if voice.settings.on else "bar.voice.on"


def voice_settings_controls(window: KioskWindow) -> list[QWidget]:
    """ "음성 설정", which opens the voice settings screen."""
    tr = window.translator.tr
    settings = window.screen_env().button(tr("voice.settings.button"), name="voiceSettingsButton")
    settings.setAccessibleDescription(tr("a11y.desc.voice_settings"))
    settings.clicked.connect(lambda: open_voice_settings(window))
    return [settings]


def open_voice_settings(window: KioskWindow) -> None:
    from kiosk.ui.screens.voice import VOICE_SETTINGS

    if window.navigator.current.screen != VOICE_SETTINGS:
        window.navigate(Route(VOICE_SETTINGS))
