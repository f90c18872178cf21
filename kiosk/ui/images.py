"""Pictures drawn scaled to fit, keeping their proportions, on the theme's background."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

# The picture formats content packs use, by the first bytes of the file.
_SIGNATURES: tuple[tuple[bytes, bytes], ...] = (
    (b"\x89PNG\r\n\x1a\n", b"png"),
    (b"\xff\xd8\xff", b"jpeg"),
    (b"GIF87a", b"gif"),
    (b"GIF89a", b"gif"),
    (b"BM", b"bmp"),
)


def image_format(head: bytes) -> bytes | None:
    """The format of a picture from its first 12 bytes; None for one the kiosk does not show."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return b"webp"
    return next((fmt for magic, fmt in _SIGNATURES if head.startswith(magic)), None)


def read_image(path: Path, fit: QSize | None = None) -> QImage | None:
    """Decode an image file, scaled down while decoding when `fit` is given; None if unreadable.

    The format is named from the file's first bytes, never guessed by Qt: guessing asks every
    image plugin in turn (the SVG one builds a text stream to look), which is slow and, on a
    worker thread, takes locks the GUI thread may hold (see `kiosk.services.background`).
    """
    try:
        with path.open("rb") as f:
            fmt = image_format(f.read(12))
    except OSError:
        return None
    if fmt is None:
        return None
    reader = QImageReader(str(path), fmt)
    reader.setAutoDetectImageFormat(False)
    reader.setAutoTransform(True)
    size = reader.size()
    if fit is not None and size.isValid() and fit.expandedTo(size) != fit:  # only ever smaller
        reader.setScaledSize(size.scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


# Pictures decoded for a height, kept: the same pack pictures come back at every visit, and
# decoding one (and scaling a large one at each paint) is the slowest part of a tap that
# shows it. Bounded; a replaced file (new content) has another modification time.
_DECODED: OrderedDict[tuple[Path, int, int], QImage | None] = OrderedDict()
_DECODED_MOST = 64


def picture_at_height(path: Path, height: int) -> QImage | None:
    """The picture at `path` decoded no taller than `height` (it is drawn at most that tall,
    so nothing is lost), from the cache when it was decoded before; None if unreadable."""
    try:
        key = (path, path.stat().st_mtime_ns, height)
    except OSError:
        return None
    if key in _DECODED:
        _DECODED.move_to_end(key)
        return _DECODED[key]
    image = read_image(path, QSize(height * 16, height))
    _DECODED[key] = image
    if len(_DECODED) > _DECODED_MOST:
        _DECODED.popitem(last=False)
    return image


class ImageView(QWidget):
    """Paints one image centred and scaled to fit; nothing when it has none."""

    def __init__(self, image: QImage | None = None) -> None:
        super().__init__()
        self._image = image
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_image(self, image: QImage | None) -> None:
        self._image = image
        self.update()

    def has_image(self) -> bool:
        return self._image is not None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self._image is None:
            return
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(x, y, size.width(), size.height()), self._image)
