"""Python's cycle collector, run on the GUI thread only.

The collector runs on whichever thread happens to allocate when a threshold is passed. If that
is the sync worker or the picture decoder, a QObject caught in a reference cycle is destroyed
there, off its own thread: its timers stay registered with the GUI thread's event loop, which
later fires one at freed memory and crashes (seen in a stressed test run, gdb stack ending in
QTimerInfoList::activateTimers). So automatic collection is off, and the GUI thread collects
on a timer, by the same generation thresholds Python would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

INTERVAL_MS = 500


def collect_if_due() -> None:
    """Collect the generations whose thresholds are passed, as Python itself would."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [generation for generation in (2, 1, 0) if counts[generation] > thresholds[generation]]
    if due:
        gc.collect(due[0])


class MainThreadCollector(QObject):
    """Turns automatic collection off and collects on the thread that makes it (the GUI's)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.on_timer_timeout)
        self._timer.start()

    @Slot()
    def on_timer_timeout(self) -> None:
        collect_if_due()
