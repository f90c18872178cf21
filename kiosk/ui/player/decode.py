"""Pictures decoded off the GUI thread, scaled to the size they will be shown at."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QSize, QThreadPool, Signal

from kiosk.ui.images import read_image

log = logging.getLogger(__name__)


class _Decode(QRunnable):
    def __init__(self, owner: ImageDecoder, ticket: int, path: Path, fit: QSize) -> None:
        super().__init__()
        self._owner = owner
        self._ticket = ticket
        self._path = path
        self._fit = fit

    def run(self) -> None:
        image = read_image(self._path, self._fit)
        # Delivered to the GUI thread by a queued signal; the owner waits for us before dying.
        if image is None:
            self._owner.failed.emit(self._ticket, str(self._path))
        else:
            self._owner.decoded.emit(self._ticket, image)


class ImageDecoder(QObject):
    """Decodes image files on its own worker thread, one at a time.

    Signals:
        decoded(int, QImage): the picture of a request, by its ticket.
        failed(int, str): the file of a request could not be read.
    """

    decoded = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._tickets = itertools.count(1)

    def request(self, path: Path, fit: QSize) -> int:
        """Start decoding `path` scaled to fit `fit`; returns the ticket of the result."""
        ticket = next(self._tickets)
        self._pool.start(_Decode(self, ticket, path, fit))
        return ticket

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Drop queued work and wait for the running decode, so no result outlives us."""
        self._pool.clear()
        if not self._pool.waitForDone(wait_ms):
            log.warning("image_decoder_busy wait_ms=%d", wait_ms)
