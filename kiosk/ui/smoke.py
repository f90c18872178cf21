"""`--smoke-test`: prove the app starts and paints its first screen, then exit 0.

The start-up benchmark and the packaged-build check both use it. When ONTONG_T0 holds the
wall-clock time at which the caller started the process, the elapsed time is printed too.
"""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class _FirstPaint(QObject):
    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            # Let this paint finish before measuring and quitting.
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        t0 = os.environ.get("ONTONG_T0")
        elapsed = f" painted_s={time.time() - float(t0):.4f}" if t0 else ""
        print(f"smoke_test ok{elapsed}", flush=True)
        QApplication.instance().quit()


def exit_after_first_paint(window) -> None:
    """Quit the event loop right after the current screen has been painted once."""
    target = window.screen if window.screen is not None else window
    target.installEventFilter(_FirstPaint(target))
