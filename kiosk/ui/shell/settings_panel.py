"""도움·설정: the panel over the window with one large button per view setting, and 닫기.

Which settings it offers and their words come from kiosk.domain.chrome; `SettingsPanel` only
draws them, and `SettingsControl` opens and closes it and does what a button says. The panel
stays open while the resident changes settings (each change rebuilds it in the new size,
colours or language, so the resident sees what the change did) until 닫기 or a button that
opens a screen of its own (음성 설정).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.domain.chrome import Setting, ViewState, panel_settings
from kiosk.ui.coach_session import COACH_PANEL
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import ScreenEnv
from kiosk.ui.shell.voice_controls import open_voice_settings
from kiosk.ui.speech import spoken_name
from kiosk.ui.widgets import WrapButton, centred_card, columns_for, grid, label

if TYPE_CHECKING:
    from kiosk.ui.shell.window import KioskWindow


class SettingsPanel(QWidget):
    """A sheet at the foot of the window over the dimmed screen: a title, the settings'
    buttons and a large 닫기.

    Signals:
        chosen(str): the object name of the setting tapped.
        closed(): 닫기 was tapped.
    """

    chosen = Signal(str)
    closed = Signal()

    def __init__(
        self, parent: QWidget, env: ScreenEnv, settings: tuple[Setting, ...], width: int
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsPanel")
        # A sheet over the screen, dimmed as behind the idle prompt: the resident sees where
        # the panel leads back to, and the veil takes the taps meant for the screen.
        self.veil = QColor(env.theme.palette.dim)
        tr = env.tr
        gap = env.theme.metrics.gap_px
        # At the foot, as 도움·설정 itself: 낮은 화면, last, is within reach from a wheelchair
        # before it is switched on.
        card, box = centred_card(self, gap, spacing=gap * 2, at_foot=True)
        card.setProperty("role", "card")
        title = label(tr("settings.panel.title"), "title")
        title.setObjectName("settingsTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(title)
        self.buttons: dict[str, WrapButton] = {}
        for setting in settings:
            words = ": ".join(tr(message_id) for message_id in setting.label_ids)
            button = env.button(words, name=setting.name)
            button.setAccessibleDescription(tr(setting.description_id))
            if setting.checked is not None:
                button.setCheckable(True)
                button.setChecked(setting.checked)
            button.clicked.connect(lambda _=False, name=setting.name: self.chosen.emit(name))
            self.buttons[setting.name] = button
        # Two columns where two of the longest words fit side by side, else one.
        columns = columns_for(width - gap * 14, env.theme.metrics.body_px * 9, most=2)
        box.addLayout(grid(list(self.buttons.values()), columns, gap * 2))
        close = env.button(tr("settings.panel.close"), role="primary", name="settingsClose")
        close.setAccessibleDescription(tr("a11y.desc.settings_close"))
        close.clicked.connect(self.closed)
        box.addWidget(close)
        self.close_button = close

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        QPainter(self).fillRect(self.rect(), self.veil)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        event.accept()  # a tap on the veil does not reach the screen under it


class SettingsControl(QObject):
    """도움·설정 in the window: opens the panel, does what its buttons say, closes it.

    Attributes:
        panel: the panel while open, else None.

    Of the window it reads the view settings and voice guidance, the reach (the panel covers
    what controls may use) and the screen environment; it changes the view settings and
    voice guidance, and opens the voice settings screen.
    """

    def __init__(self, window: KioskWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel: SettingsPanel | None = None
        prefs, voice = window.prefs, window.voice
        self.actions: dict[str, Callable[[], None]] = {
            "textSizeButton": prefs.next_text_scale,
            "contrastButton": prefs.toggle_contrast,
            "voiceButton": voice.toggle,
            "voiceSettingsButton": lambda: open_voice_settings(window),
            "languageButton": prefs.toggle_language,
            "lowScreenButton": prefs.toggle_low_screen,
            "coachMenuButton": lambda: window.navigate(Route(COACH_PANEL)),
        }
        voice.changed.connect(self.on_voice_changed)

    @property
    def is_open(self) -> bool:
        return self.panel is not None

    def state(self) -> ViewState:
        w = self.window
        return ViewState(
            text_scale=w.prefs.text_scale,
            high_contrast=w.prefs.high_contrast,
            low_screen=w.prefs.low_screen,
            voice_on=w.voice.settings.on,
            voice_unavailable=w.voice.unavailable,
            coached=w.coach.session is not None,
        )

    @Slot()
    def open(self) -> None:
        """Show the panel (built again in the current sizes and language) and read it aloud."""
        w = self.window
        self._drop()
        panel = SettingsPanel(w, w.screen_env(), panel_settings(self.state()), w.width())
        panel.chosen.connect(self.on_chosen)
        panel.closed.connect(self.close)
        panel.setGeometry(w.reach_rect())
        panel.show()
        panel.raise_()
        self.panel = panel
        w.voice.watch(panel)
        if w.key_focus.in_use:
            next(iter(panel.buttons.values())).setFocus(Qt.FocusReason.TabFocusReason)
        else:
            # The panel holds the focus, no button of it (a tap gives none the ring), and
            # nothing under the panel keeps it.
            panel.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def close(self) -> None:
        """Put the panel away; with keys in use, the focus goes back to 도움·설정."""
        was_open = self.panel is not None
        self._drop()
        button = self.window.bars.settings_button
        if was_open and self.window.key_focus.in_use and button is not None:
            button.setFocus(Qt.FocusReason.TabFocusReason)

    def _drop(self) -> None:
        if self.panel is not None:
            # Nothing of the panel keeps the focus: Qt would pass it on to the next control
            # (or to the first, when the window next gets the focus), and voice guidance
            # would name that control as if the resident had chosen it. The window itself
            # holds it meanwhile: it is no control, so nothing is said.
            focused = QApplication.focusWidget()
            if focused is not None and self.panel.isAncestorOf(focused):
                self.window.setFocus(Qt.FocusReason.OtherFocusReason)
            self.panel.hide()
            self.panel.deleteLater()
            self.panel = None

    def refresh(self) -> None:
        """The view changed (size, colours, language, voice): an open panel is built again."""
        if self.panel is not None:
            self.open()

    def fit(self) -> None:
        if self.panel is not None:
            self.panel.setGeometry(self.window.reach_rect())

    @Slot(str)
    def on_chosen(self, name: str) -> None:
        setting = next(s for s in panel_settings(self.state()) if s.name == name)
        if setting.closes_panel:
            self._drop()
        screen = self.window.current_screen
        self.actions[name]()
        # A tap names its button (kiosk.ui.speech); this one was built again with its new
        # words (음성 안내 끄기), so those are said. A setting that built the screen again
        # (text size, contrast, language, 낮은 화면) leaves it to the screen to speak.
        if self.panel is not None and self.window.current_screen is screen:
            button = self.panel.buttons.get(name)
            if button is not None:
                self.window.voice.say([spoken_name(button)])

    @Slot()
    def on_voice_changed(self) -> None:
        self.refresh()
