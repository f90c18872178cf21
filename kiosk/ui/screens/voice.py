"""음성 설정: the speed and volume of voice guidance, on a screen of their own.

While voice guidance is on, the bar holds one "음성 설정" button instead of four − / + buttons
(at 200 % text those took two more rows of every screen). Here the resident sees the speed and
volume now and changes them with large buttons; each change is said at the new setting. The
settings last the visit (kiosk.domain.speech.VoiceSettings); 이전 goes back where they were.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Slot

from kiosk.domain.speech import RATE_STEPS
from kiosk.ui.screens.base import Screen, TitledScreen
from kiosk.ui.widgets import columns_for, grid, label

VOICE_SETTINGS = "voice_settings"


class VoiceSettingsScreen(TitledScreen):
    """Route params: none. Reads and changes the window's voice guide (`shell.voice`)."""

    title_id = "voice.settings.title"

    def build(self) -> None:
        env = self.env
        voice = env.shell.voice
        tr = env.tr
        m = env.theme.metrics
        self.box.addWidget(label(tr("voice.settings.intro")))
        self.rate = label("", "question")
        self.rate.setObjectName("voiceRateValue")
        self.volume = label("", "question")
        self.volume.setObjectName("voiceVolumeValue")
        self.buttons = {}
        for value, pair in (
            (
                self.rate,
                (
                    ("voice.slower", "voiceSlower", voice.slower),
                    ("voice.faster", "voiceFaster", voice.faster),
                ),
            ),
            (
                self.volume,
                (
                    ("voice.quieter", "voiceQuieter", voice.quieter),
                    ("voice.louder", "voiceLouder", voice.louder),
                ),
            ),
        ):
            self.box.addWidget(value)
            row = []
            for message_id, name, action in pair:
                b = env.button(tr(message_id), name=name, accessible_name=tr(f"{message_id}.name"))
                # After read-aloud has named the button: the new setting is said last, at the
                # new speed and volume.
                b.clicked.connect(lambda _=False, a=action: QTimer.singleShot(0, self, a))
                self.buttons[name] = b
                row.append(b)
            self.box.addLayout(grid(row, columns_for(env.width, m.body_px * 6, most=2), m.gap_px))
        self.box.addWidget(label(tr("voice.settings.reset"), "muted"))
        self.box.addStretch(1)
        voice.changed.connect(self.refresh)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        settings = self.env.shell.voice.settings
        tr = self.env.tr
        self.rate.setText(
            tr("voice.settings.rate", level=settings.rate_level, levels=len(RATE_STEPS))
        )
        self.volume.setText(tr("voice.settings.volume", percent=settings.volume_percent))
        # At an end the button is off, and says so by being off (greyed, skipped by Tab).
        self.buttons["voiceSlower"].setEnabled(not settings.slowest)
        self.buttons["voiceFaster"].setEnabled(not settings.fastest)
        self.buttons["voiceQuieter"].setEnabled(not settings.quietest)
        self.buttons["voiceLouder"].setEnabled(not settings.loudest)


SCREENS: dict[str, type[Screen]] = {VOICE_SETTINGS: VoiceSettingsScreen}
