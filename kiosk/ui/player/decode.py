"""Pictures decoded off the GUI thread, scaled to the size they will be shown at.

PySide runs Qt calls made from Python while holding Python's GIL. A Qt call on a worker thread
that takes one of Qt's signal-slot locks (emitting a signal to another thread does) can then
deadlock with the GUI thread, which may hold that lock while it waits for the GIL to ask a
Python object about a connection. A media board met exactly that after some hours. So the
worker here is a plain Python thread whose only Qt work is the decode itself (of a format
named up front, so no plugin is probed), and results travel back through a queue that the GUI
thread empties on a timer: nothing crosses threads through Qt.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.ui.images import read_image

log = logging.getLogger(__name__)

POLL_MS = 10  # how often the GUI thread looks for finished pictures while any are due


@dataclass(frozen=True)
class _Request:
    ticket: int
    path: Path
    fit: QSize


@dataclass(frozen=True)
class _Result:
    ticket: int
    path: Path
    image: QImage | None


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
        self._requests: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._results: queue.SimpleQueue[_Result] = queue.SimpleQueue()
        self._due = 0  # requests not yet delivered
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self.on_poll_timeout)
        self._thread = threading.Thread(target=self._work, name="image-decoder", daemon=True)
        self._thread.start()

    def request(self, path: Path, fit: QSize) -> int:
        """Start decoding `path` scaled to fit `fit`; returns the ticket of the result."""
        ticket = next(self._tickets)
        # A copy: the caller's QSize must not be shared with the worker thread.
        self._requests.put(_Request(ticket, path, QSize(fit)))
        self._due += 1
        self._poll.start()
        return ticket

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Drop queued work and wait for the running decode, so no result outlives us."""
        self._poll.stop()
        while True:
            try:
                self._requests.get_nowait()
            except queue.Empty:
                break
        self._requests.put(None)
        self._thread.join(wait_ms / 1000)
        if self._thread.is_alive():
            log.warning("image_decoder_busy wait_ms=%d", wait_ms)
        self._due = 0

    def _work(self) -> None:
        while (request := self._requests.get()) is not None:
            image = read_image(request.path, request.fit)
            self._results.put(_Result(request.ticket, request.path, image))

    @Slot()
    def on_poll_timeout(self) -> None:
        while True:
            try:
                result = self._results.get_nowait()
            except queue.Empty:
                break
            self._due -= 1
            if result.image is None:
                self.failed.emit(result.ticket, str(result.path))
            else:
                self.decoded.emit(result.ticket, result.image)
        if self._due <= 0:
            self._poll.stop()
