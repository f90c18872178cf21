"""Pictures drawn scaled to fit, keeping their proportions, on the theme's background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


def read_image(path: Path, fit: QSize | None = None) -> QImage | None:
    """Decode an image file, scaled down while decoding when `fit` is given; None if unreadable."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    if fit is not None and reader.size().isValid():
        reader.setScaledSize(reader.size().scaled(fit, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


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

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._image is None:
            return
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(x, y, size.width(), size.height()), self._image)
