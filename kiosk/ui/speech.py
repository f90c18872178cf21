"""Read-aloud (음성 안내) and the short sounds of taps, success, errors and the staff chime.

`VoiceGuide` belongs to the kiosk window. The window tells it when a screen is shown
(`screen_shown`) and which bar buttons exist (`watch`); the guide then says, while voice is on,
the screen's heading, questions, options and messages (kiosk.domain.speech decides which), the
name of what is tapped or reached with the keys, and what a tap changed (a problem shown, a
count moved). What a screen says comes from one place, `screen_parts`: the screen's own
`speech()` hook when it gives one, else its widget tree.

Personal data is never spoken: buttons of a numeric keypad (PIN, phone number, birth date) are
never named, a label with an accessible name is spoken by that name only (the identity
readout's is the count of digits typed), and every line passes kiosk.domain.speech.scrub.

The speech engine (QtTextToSpeech) is made only when a resident first turns voice on. When the
platform has none, or it fails, the bar button says so in words instead of staying silent.
Sounds play only when the machine has an audio output, as the video player decides.

Everything runs on the GUI thread; QTextToSpeech (kiosk.ui.speech_engine, loaded with the
engine) and QSoundEffect synthesise and play on their own threads, so nothing here waits.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLayout, QWidget

from kiosk.domain.speech import (
    Spoken,
    VoiceSettings,
    choose_engine,
    has_new_problem,
    new_lines,
    screen_lines,
    scrub,
)
from kiosk.i18n import Translator
from kiosk.paths import asset_path
from kiosk.ui.first_paint import after_paint
from kiosk.ui.widgets import Keypad

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech

    from kiosk.ui.speech_engine import Speaker

log = logging.getLogger(__name__)

SOUNDS = ("tap", "success", "error", "chime")
# Buttons that move through a flow are not "options" of the screen: the bars say where they are.
NAV_BUTTONS = frozenset({"flowBack", "flowNext"})
THANKS_ROUTE = "thanks"


# ---------------------------------------------------------------------------------------------
# What a screen says
# ---------------------------------------------------------------------------------------------


def is_private(widget: QWidget) -> bool:
    """Whether `widget` belongs to a numeric keypad: what its keys say is what is typed."""
    w: QWidget | None = widget
    while w is not None:
        if isinstance(w, Keypad):
            return True
        w = w.parentWidget()
    return False


def spoken_name(widget: QWidget) -> str:
    """What a widget is called aloud: its accessible name, else its text; '' when private."""
    if is_private(widget):
        return ""
    name = widget.accessibleName()
    if not name and isinstance(widget, QLabel | QAbstractButton):
        name = widget.text()
    return scrub(name)


def _ordered_children(widget: QWidget) -> list[QWidget]:
    """Child widgets in their layout's order (the reading order), then any others."""
    ordered: list[QWidget] = []

    def from_layout(layout: QLayout) -> None:
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item is None:
                continue
            child = item.widget()
            if child is not None:
                ordered.append(child)
            elif item.layout() is not None:
                from_layout(item.layout())

    layout = widget.layout()
    if layout is not None:
        from_layout(layout)
    seen = set(ordered)
    for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if child not in seen:
            ordered.append(child)
    return ordered


def tree_parts(root: QWidget) -> list[Spoken]:
    """The speakable parts of the widgets under `root`, in reading order."""
    parts: list[Spoken] = []

    def visit(widget: QWidget) -> None:
        for child in _ordered_children(widget):
            if child.isHidden() or isinstance(child, Keypad):
                continue
            if isinstance(child, QAbstractButton):
                if child.objectName() not in NAV_BUTTONS and (name := spoken_name(child)):
                    parts.append(Spoken("option", name))
                continue  # a button's lines are its name, already said
            if isinstance(child, QLabel):
                part = _label_part(child)
                if part is not None:
                    parts.append(part)
                continue
            visit(child)

    visit(root)
    return parts


def _label_part(lab: QLabel) -> Spoken | None:
    if lab.accessibleName():
        # Set on purpose: a readout that must not be read as shown (the identity digits).
        return Spoken("live", lab.accessibleName())
    text = lab.text()
    if not text.strip() or lab.objectName() == "progress":
        return None
    role = lab.property("role")
    if role in ("title", "success"):  # the thank-you's title is drawn green with its check
        return Spoken("title", text)
    if role == "question":
        return Spoken("question", text)
    if role in ("error", "notice", "banner"):
        return Spoken("message", text)
    return Spoken("context", text)


def error_texts(root: QWidget) -> list[str]:
    """Texts of the problem messages now shown under `root`."""
    return [
        lab.text()
        for lab in root.findChildren(QLabel)
        if lab.property("role") == "error" and lab.text().strip() and lab.isVisibleTo(root)
    ]


def screen_roots(screen: QWidget) -> list[QWidget]:
    """The screen and what the shell keeps in sight under it for the screen (Screen.pinned: a
    step's action bar), in reading order."""
    pinned = getattr(screen, "pinned", None)
    return [screen, pinned] if isinstance(pinned, QWidget) else [screen]


def screen_parts(screen: QWidget) -> list[Spoken]:
    """A screen's speakable parts: its own `speech()` when it gives them, else its widgets."""
    hook = getattr(screen, "speech", None)
    given = hook() if callable(hook) else None
    if given is not None:
        return [p if isinstance(p, Spoken) else Spoken(*p) for p in given]
    return [part for root in screen_roots(screen) for part in tree_parts(root)]


# ---------------------------------------------------------------------------------------------
# Sounds
# ---------------------------------------------------------------------------------------------


class SoundBoard(QObject):
    """Short sounds, loaded when first needed and only when an audio output exists.

    Attributes:
        played: names of the sounds asked for, newest last (tests and the log read them).
    """

    def __init__(self, parent: QObject | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self._folder = folder or asset_path("sounds")
        self._effects: dict[str, QObject] = {}
        self._has_output: bool | None = None
        self.played: deque[str] = deque(maxlen=100)

    def has_output(self) -> bool:
        if self._has_output is None:
            from PySide6.QtMultimedia import QMediaDevices

            self._has_output = not QMediaDevices.defaultAudioOutput().isNull()
        return self._has_output

    def play(self, name: str, volume: float) -> None:
        self.played.append(name)
        if not self.has_output():
            return
        from PySide6.QtMultimedia import QSoundEffect

        effect = self._effects.get(name)
        if effect is None:
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(self._folder / f"{name}.wav")))
            self._effects[name] = effect
        assert isinstance(effect, QSoundEffect)
        effect.setVolume(volume)
        effect.play()


def _installed_engines() -> list[str]:
    from kiosk.ui.speech_engine import installed_engines

    return installed_engines()


# ---------------------------------------------------------------------------------------------
# The guide
# ---------------------------------------------------------------------------------------------


class VoiceGuide(QObject):
    """Voice guidance and sounds for one kiosk window.

    Signals:
        changed(): on/off, availability, speed or volume changed (the bars show them).

    Attributes:
        settings: on/off, speed and volume (kiosk.domain.speech.VoiceSettings).
        unavailable: True once the platform turned out to have no working speech engine.
        spoken: every line handed to the engine, newest last (tests read it).
        sounds: the short sounds.
    """

    changed = Signal()
    # To the engine's thread (queued): lines to say (and whether to interrupt), silence, and
    # rate, volume and language.
    _speak = Signal(list, bool)
    _stop = Signal()
    _configure = Signal(float, float, str)

    def __init__(
        self,
        window: QWidget,
        translator: Translator,
        engine_name: str | None = None,
        available_engines: Callable[[], Sequence[str]] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._translator = translator
        self._engine_name = engine_name
        self._available_engines = available_engines or _installed_engines
        self.settings = VoiceSettings()
        self.unavailable = False
        self.engine: QTextToSpeech | None = None
        self.spoken: deque[str] = deque(maxlen=500)
        self.sounds = SoundBoard(self)
        self._screen: QWidget | None = None
        self._route = ""
        # What the screen shown says; None until gathered (gathered, below).
        self._parts: list[Spoken] | None = []
        self._generation = 0
        self._pressed_generation = -1
        self._locale_language = ""
        self._missing_languages: set[str] = set()
        self._voices: dict[str, str] = {}  # language -> the voice chosen for it
        self._speaker: Speaker | None = None
        self._engine_label: str | None = None  # the engine's name once it is loaded
        self._waiting: list[str] = []  # lines said while the engine was still loading
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.on_focus_changed)

    # -- the engine -----------------------------------------------------------------------

    def engine_missing(self) -> bool:
        """True when no engine can be had: none installed, or not the one configured."""
        return self._chosen_engine() is None

    def _chosen_engine(self) -> str | None:
        return choose_engine(self._engine_name, list(self._available_engines()))

    def _start_engine(self) -> bool:
        """Start loading the engine on its own thread; False when there is none to load.
        The resident's tap is answered at once: lines said meanwhile wait in `_waiting`."""
        if self._speaker is not None:
            return True
        name = self._chosen_engine()
        if name is None:
            log.warning("voice_unavailable reason=no_engine wanted=%s", self._engine_name)
            return False
        from kiosk.ui.speech_engine import Speaker

        speaker = Speaker(name)
        speaker.loaded.connect(self.on_engine_loaded, Qt.ConnectionType.QueuedConnection)
        speaker.voice_chosen.connect(self.on_voice_chosen, Qt.ConnectionType.QueuedConnection)
        speaker.failed.connect(self.on_engine_failed, Qt.ConnectionType.QueuedConnection)
        self._speak.connect(speaker.speak, Qt.ConnectionType.QueuedConnection)
        self._stop.connect(speaker.stop, Qt.ConnectionType.QueuedConnection)
        self._configure.connect(speaker.configure, Qt.ConnectionType.QueuedConnection)
        self._speaker = speaker
        self.engine = speaker.engine
        speaker.start()
        # A plain function, so it runs here and now (not queued to the speaker's thread).
        self.destroyed.connect(lambda: speaker.end())
        return True

    @property
    def ready(self) -> bool:
        """The engine is loaded and speaks what it is given."""
        return self._engine_label is not None

    @Slot(str, str)
    def on_engine_loaded(self, engine: str, error: str) -> None:
        """On the GUI thread, once the engine's thread has loaded it (or failed to)."""
        waiting, self._waiting = self._waiting, []
        if error:
            log.warning("voice_unavailable reason=%s", error)
            self.unavailable = True
            self.settings = VoiceSettings()
            self.changed.emit()
            return
        self._engine_label = engine
        log.info("voice_engine engine=%s", engine)
        self._apply()  # voice chosen even when voice was turned off meanwhile: staff see it
        if self.settings.on and waiting:
            self._speak.emit(waiting, True)

    @Slot(str, str, str)
    def on_voice_chosen(self, language: str, locale: str, voice: str) -> None:
        """The engine's thread chose `language`'s voice; no `locale`: it has none."""
        engine = self._engine_label or ""
        if not locale:
            if language not in self._missing_languages:
                self._missing_languages.add(language)
                log.warning(
                    "voice_no_locale language=%s engine=%s: no %s voice installed "
                    "(Linux: apt-get install speech-dispatcher-espeak-ng espeak-ng)",
                    language,
                    engine,
                    language,
                )
            return
        self._voices[language] = voice
        log.info(
            "voice_locale language=%s locale=%s voice=%s engine=%s",
            language,
            locale,
            voice,
            engine,
        )

    def _apply(self) -> None:
        if not self.ready:
            return
        self._configure.emit(self.settings.rate, self.settings.volume, self._translator.language)

    def staff_status(self) -> str:
        """The staff page's line on the Korean voice. Learnt when voice is first turned on:
        starting the engine can take seconds (speech-dispatcher spawns), so it is not probed."""
        tr = self._translator.tr
        if self.unavailable:
            return tr("voice.status.no_engine")
        if self._engine_label is None:
            return tr("voice.status.unchecked")
        if "ko" in self._missing_languages:
            return tr("voice.status.no_korean", engine=self._engine_label)
        if "ko" in self._voices:
            return tr("voice.status.korean", voice=self._voices["ko"], engine=self._engine_label)
        return tr("voice.status.unchecked")

    @Slot(str, bool)
    def on_engine_failed(self, reason: str, broken: bool) -> None:
        """The engine reported an error (its thread logged it); `broken`: it cannot speak."""
        if broken:
            self.unavailable = True
            self.settings = VoiceSettings()
            self.changed.emit()

    # -- what the resident sets -----------------------------------------------------------

    @property
    def on(self) -> bool:
        return self.settings.on

    def toggle(self) -> None:
        """The bar button: voice on (saying so, then the screen) or off (silence at once)."""
        if self.settings.on:
            self.settings = self.settings.toggled()
            self._silence()
            log.info("voice_off")
            self.changed.emit()
            return
        if not self._start_engine():
            self.unavailable = True
            self.changed.emit()
            return
        self.unavailable = False
        self.settings = self.settings.toggled()
        self._apply()
        log.info("voice_on")
        self.changed.emit()
        self.say([self._translator.tr("voice.started"), *screen_lines(self.gathered())])

    def faster(self) -> None:
        self._adjust(self.settings.faster(), "voice.rate")

    def slower(self) -> None:
        self._adjust(self.settings.slower(), "voice.rate")

    def louder(self) -> None:
        self._adjust(self.settings.louder(), "voice.volume")

    def quieter(self) -> None:
        self._adjust(self.settings.quieter(), "voice.volume")

    def _adjust(self, settings: VoiceSettings, message_id: str) -> None:
        self.settings = settings
        self._apply()
        self.changed.emit()
        self.say(
            [
                self._translator.tr(
                    message_id, level=settings.rate_level, percent=settings.volume_percent
                )
            ]
        )

    def end_visit(self) -> None:
        """A visit ended (idle reset or 처음으로 after a thank-you): voice off, speed and
        volume back to their defaults for the next resident."""
        self._silence()
        if self.settings != VoiceSettings():
            self.settings = VoiceSettings()
            self._apply()
            self.changed.emit()

    # -- speaking -------------------------------------------------------------------------

    def say(self, lines: Sequence[str], *, interrupt: bool = True) -> None:
        """Speak `lines` (scrubbed of personal data) when voice is on; nothing otherwise."""
        if not self.settings.on or self._speaker is None:
            return
        clean = [line for line in (scrub(text) for text in lines) if line]
        if not clean:
            return
        self.spoken.extend(clean)
        if not self.ready:  # still loading: said once it is
            self._waiting = [*([] if interrupt else self._waiting), *clean]
            return
        self._apply()  # the language may have changed since
        self._speak.emit(clean, interrupt)

    def _silence(self) -> None:
        """Stop speaking now, and forget what waited for the engine."""
        self._waiting = []
        if self.ready:
            self._stop.emit()

    def announce(self, lines: Sequence[str], sound: str | None = None) -> None:
        """A message outside the screen (the staff-call notice, the idle prompt): its sound,
        then its words."""
        if sound is not None:
            self.play(sound)
        self.say(lines)

    def play(self, sound: str) -> None:
        self.sounds.play(sound, self.settings.volume)

    # -- following the window -------------------------------------------------------------

    def screen_shown(self, screen: QWidget, route: str) -> None:
        """A new screen is on: say it, and follow taps on its buttons."""
        self._screen = screen
        self._route = route
        self._generation += 1
        for root in screen_roots(screen):
            self.watch(root)
        if route == THANKS_ROUTE:
            self.play("success")
        if not self.settings.on:
            # Nothing to say now: what the screen says is gathered once it is on the glass
            # (or at the first press on it, or when voice comes on), not on the way there.
            self._parts = None
            after_paint(screen, lambda: self._gather_on(screen))
            return
        self._parts = screen_parts(screen)
        self.say(screen_lines(self._parts))

    def gathered(self) -> list[Spoken]:
        """What the screen shown says (as it was after the last tap on it), gathered now if
        it was not yet."""
        if self._parts is None:
            screen = self._screen
            valid = screen is not None and shiboken6.isValid(screen)
            self._parts = screen_parts(screen) if screen is not None and valid else []
        return self._parts

    def _gather_on(self, screen: QWidget) -> None:
        if screen is self._screen:
            self.gathered()

    def watch(self, root: QWidget) -> None:
        """Follow taps on the buttons under `root` (a screen, a bar)."""
        for button in root.findChildren(QAbstractButton):
            if button.property("voiceWatched"):
                continue
            button.setProperty("voiceWatched", True)
            button.pressed.connect(self.on_button_pressed)
            button.clicked.connect(self.on_button_clicked)

    @Slot()
    def on_button_pressed(self) -> None:
        self._pressed_generation = self._generation
        self.gathered()  # before the tap changes anything

    @Slot()
    def on_button_clicked(self) -> None:
        button = self.sender()
        self.play("tap")
        if not isinstance(button, QAbstractButton) or not shiboken6.isValid(button):
            return
        if self._generation != self._pressed_generation:
            # The tap led to another screen: that one speaks for itself, and what it says was
            # just gathered (screen_shown); gathered again before its first paint, it cost
            # the tap a few ms.
            return
        if button.isVisible():
            # The tap did not lead to another screen: name it.
            self.say([spoken_name(button)])
        QTimer.singleShot(0, self, self._after_tap)

    @Slot()
    def _after_tap(self) -> None:
        """Once a tap's effects are laid out: say what appeared, sound a new problem."""
        screen = self._screen
        if screen is None or not shiboken6.isValid(screen) or screen.isHidden():
            return
        before, after = self.gathered(), screen_parts(screen)
        self._parts = after
        errors = [text for root in screen_roots(screen) for text in error_texts(root)]
        if has_new_problem(before, after, errors):
            self.play("error")
        self.say(new_lines(before, after), interrupt=False)

    @Slot(QWidget, QWidget)
    def on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Arrow keys or Tab reached a widget: say its name (a tap names it on release).

        Checked once the event is over: while a screen is replaced, focus wanders through the
        widgets being hidden, and none of that is the resident's doing."""
        if (
            not self.settings.on
            or not isinstance(new, QAbstractButton)
            or QApplication.mouseButtons() != Qt.MouseButton.NoButton
        ):
            return
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._say_focus(new, generation))

    def _say_focus(self, widget: QAbstractButton, generation: int) -> None:
        if generation != self._generation or not shiboken6.isValid(widget):
            return
        if QApplication.focusWidget() is not widget or not widget.isVisible():
            return
        if widget.window() is self._window:
            self.say([spoken_name(widget)])
