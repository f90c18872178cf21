"""The speech engine of read-aloud (kiosk.ui.speech): QTextToSpeech on a thread of its own.

A module of its own so that QtTextToSpeech loads when a resident first turns voice on (or the
staff page asks which engines exist), not with the window before its first paint.
"""

from __future__ import annotations

import atexit
import logging

from PySide6.QtCore import Q_ARG, QLocale, QMetaObject, QObject, Qt, QThread, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.domain.speech import choose_locale

log = logging.getLogger(__name__)


def installed_engines() -> list[str]:
    """The speech engines this machine's Qt can load."""
    return list(QTextToSpeech.availableEngines())


_running: set[QThread] = set()  # engine threads not yet ended (stopped at exit at the latest)


def _end_thread(thread: QThread) -> None:
    # A QThread destroyed while it runs aborts the process.
    thread.quit()
    thread.wait()
    _running.discard(thread)


@atexit.register
def _end_threads() -> None:
    for thread in list(_running):
        _end_thread(thread)


class Speaker(QObject):
    """A QTextToSpeech engine and the thread it lives on; driven by queued signals only.

    Loading an engine lists its voices, which for speech-dispatcher with espeak-ng (about
    13,000 voice variants) takes seconds; the GUI thread never waits for it. The engine is
    made with no backend ("none"), moved to the thread, and given its backend by a queued
    `setEngine` call, which Qt runs from the thread's event loop with no Python on the stack:
    the thread holds no Python lock while it loads. The slots below then run on the thread,
    in the order they were asked for, each quick once the engine is loaded.

    Signals (to the GUI thread, queued):
        loaded(engine, error): the engine is ready (error ''), or could not be loaded.
        voice_chosen(language, locale, voice): `language` is spoken with `voice` (locale '':
            no voice for it, the engine's own is kept).
        failed(reason, broken): the engine reported an error; `broken` when it cannot speak
            at all (it failed to start, or its configuration is wrong).

    Attributes:
        engine: the QTextToSpeech; it lives on the thread: the GUI thread reads it in tests
            only, and drives it through the guide's signals.
    """

    loaded = Signal(str, str)
    voice_chosen = Signal(str, str, str)
    failed = Signal(str, bool)

    def __init__(self, engine_name: str) -> None:
        super().__init__()
        self._engine_name = engine_name
        self._language = ""
        self._thread = QThread()
        self._thread.setObjectName("speech-engine")
        self.engine = QTextToSpeech("none")  # "none": its backend is loaded on the thread
        self.engine.errorOccurred.connect(self.report_error)

    def start(self) -> None:
        _running.add(self._thread)
        self._thread.start()
        self.engine.moveToThread(self._thread)
        self.moveToThread(self._thread)
        # A queued call by name: Qt runs it with no Python on the stack (the stubs want bytes,
        # PySide wants str).
        QMetaObject.invokeMethod(  # type: ignore[call-overload]
            self.engine,
            "setEngine",
            Qt.ConnectionType.QueuedConnection,
            Q_ARG(str, self._engine_name),
        )
        QMetaObject.invokeMethod(  # type: ignore[call-overload]
            self, "report_loaded", Qt.ConnectionType.QueuedConnection
        )

    def end(self) -> None:
        """Delete the engine on its thread, then end the thread (the guide is gone)."""
        thread = self._thread
        self.engine.destroyed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self.engine.deleteLater()
        if not thread.wait(5000):
            log.warning("voice_engine_thread_busy")
        _running.discard(thread)

    # -- on the engine's thread -----------------------------------------------------------

    @Slot()
    def report_loaded(self) -> None:
        engine = self.engine
        error = ""
        if engine.engine() != self._engine_name or engine.state() == QTextToSpeech.State.Error:
            error = engine.errorString() or f"{self._engine_name} did not load"
        self.loaded.emit(self._engine_name, error)

    @Slot(QTextToSpeech.ErrorReason, str)
    def report_error(self, reason: QTextToSpeech.ErrorReason, message: str) -> None:
        log.warning("voice_engine_error reason=%s message=%s", reason, message)
        broken = reason in (
            QTextToSpeech.ErrorReason.Initialization,
            QTextToSpeech.ErrorReason.Configuration,
        )
        self.failed.emit(reason.name, broken)

    @Slot(list, bool)
    def speak(self, lines: list[str], interrupt: bool) -> None:
        if interrupt:
            self.engine.stop(QTextToSpeech.BoundaryHint.Immediate)
        for line in lines:
            self.engine.enqueue(line)

    @Slot()
    def stop(self) -> None:
        self.engine.stop(QTextToSpeech.BoundaryHint.Immediate)

    @Slot(float, float, str)
    def configure(self, rate: float, volume: float, language: str) -> None:
        engine = self.engine
        engine.setRate(rate)
        engine.setVolume(volume)
        if language == self._language:
            return
        self._language = language
        chosen = choose_locale(language, [loc.name() for loc in engine.availableLocales()])
        if chosen is None:
            self.voice_chosen.emit(language, "", "")
            return
        engine.setLocale(QLocale(chosen))
        self.voice_chosen.emit(language, chosen, engine.voice().name())
