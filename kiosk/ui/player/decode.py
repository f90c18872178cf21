"""Pictures decoded off the GUI thread, scaled to the size they will be shown at.

The decoding runs through the app's one background helper (kiosk.services.background, where the
rule that a worker makes no Qt call is explained); decoding a QImage is the one Qt work a worker
does, of a format named up front so that no plugin is probed. Results come back on the GUI
thread, one at a time in the order they were asked for.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

from kiosk.services.background import Background
from kiosk.ui.images import read_image


class ImageDecoder(QObject):
    """Decodes image files on its own worker thread, one at a time.

    Signals (emitted on the GUI thread):
        decoded(int, QImage): the picture of a request, by its ticket.
        failed(int, str): the file of a request could not be read.
    """

    decoded = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tickets = itertools.count(1)
        self._background = Background(self, name="image-decoder")

    def request(self, path: Path, fit: QSize) -> int:
        """Start decoding `path` scaled to fit `fit`; returns the ticket of the result."""
        ticket = next(self._tickets)
        # A copy: the caller's QSize must not be shared with the worker thread.
        work = functools.partial(read_image, path, QSize(fit))
        self._background.run(
            work,
            functools.partial(self._on_read, ticket, path),
            lambda _error: self.failed.emit(ticket, str(path)),
            name="read_image",
        )
        return ticket

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Drop queued work and wait for the running decode, so no result outlives us. A later
        request starts afresh."""
        self._background.shutdown(wait_ms / 1000)
        self._background.deleteLater()
        self._background = Background(self, name="image-decoder")

    def _on_read(self, ticket: int, path: Path, image: QImage | None) -> None:
        if image is None:
            self.failed.emit(ticket, str(path))
        else:
            self.decoded.emit(ticket, image)
