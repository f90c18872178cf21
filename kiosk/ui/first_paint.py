"""Work that waits until the first screen is on the glass, and the `--smoke-test` report."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from kiosk.ui.shell import KioskWindow


class _FirstPaint(QObject):
    def __init__(self, target: QWidget, callback: Callable[[], object]) -> None:
        super().__init__(target)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Run once this paint has finished, not inside it.
            QTimer.singleShot(0, self._callback)
        return False


def after_first_paint(window: KioskWindow, callback: Callable[[], object]) -> None:
    """Call `callback` once, right after the window's current screen has been painted."""
    target = window.current_screen if window.current_screen is not None else window
    after_paint(target, callback)


def after_paint(widget: QWidget, callback: Callable[[], object]) -> None:
    """Call `callback` once, right after `widget` is next painted (never, if it is not)."""
    widget.installEventFilter(_FirstPaint(widget, callback))


def smoke_test_report() -> None:
    """Print that the app painted its first screen (`--smoke-test`; the app quits with exit
    code 0 once the work that follows the first paint is done).

    When ONTONG_T0 holds the wall-clock time at which the caller started the process (the
    start-up benchmark sets it), the time to the first paint is printed too.
    """
    t0 = os.environ.get("ONTONG_T0")
    elapsed = f" painted_s={time.time() - float(t0):.4f}" if t0 else ""
    print(f"smoke_test ok{elapsed}", flush=True)
