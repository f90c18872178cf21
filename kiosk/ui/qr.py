"""QR codes that open an item on the online platform, drawn with QPainter, always with the
address printed under them.

The symbol comes from `qrcode`'s module matrix (error correction M) and is painted here, dark
modules on white with a white quiet zone of four modules, whatever the theme: phones read dark
on light best, and a high-contrast black page must not swallow the quiet zone.

Size is physical: a phone reads a code from about ten times its width, so the side of the symbol
is at least the scanning distance / 10 (150 mm from 1.5 m in front of a media board), and a
module is never under 1 mm on the panel.

To give any screen a "휴대폰으로 보기" button, see `kiosk.ui.screens.share.share_button`.
"""

from __future__ import annotations

import math
from functools import lru_cache

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.domain.a11y import Panel
from kiosk.ui.widgets import label

QUIET_MODULES = 4
MIN_MODULE_MM = 1.0
SCAN_RATIO = 10  # reading distance / symbol side
BOARD_SCAN_MM = 1500.0  # a passer-by in front of a media board
KIOSK_SCAN_MM = 600.0  # a resident at the kiosk, phone in hand
DARK = QColor("#000000")
LIGHT = QColor("#FFFFFF")

Matrix = tuple[tuple[bool, ...], ...]


@lru_cache(maxsize=64)
def qr_matrix(url: str) -> Matrix:
    """The symbol's modules (True = dark), without a quiet zone."""
    import qrcode  # on the first code drawn, not with the modules that may draw one
    import qrcode.constants

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix())


def side_modules(matrix: Matrix) -> int:
    """Modules across the whole code, quiet zone included."""
    return len(matrix) + 2 * QUIET_MODULES


def module_px(panel: Panel, matrix: Matrix, scan_mm: float, fit_px: int | None = None) -> int:
    """Pixels per module: enough for `scan_mm`, at least 1 mm, shrunk to `fit_px` if it must.

    The 1 mm floor wins over `fit_px`: a code too small to read is not worth drawing.
    """
    floor = max(1, panel.px(MIN_MODULE_MM))
    wanted = math.ceil(panel.px(scan_mm / SCAN_RATIO) / len(matrix))
    size = max(floor, wanted)
    if fit_px is not None:
        size = min(size, fit_px // side_modules(matrix))
    return max(floor, size)


def paint_qr(painter: QPainter, origin_x: int, origin_y: int, matrix: Matrix, module: int) -> int:
    """Paint the code with its quiet zone at (origin_x, origin_y); returns its side in pixels."""
    side = side_modules(matrix) * module
    painter.fillRect(QRect(origin_x, origin_y, side, side), LIGHT)
    top = origin_y + QUIET_MODULES * module
    left = origin_x + QUIET_MODULES * module
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            run = c
            while run < len(row) and row[run]:
                run += 1
            # One rectangle per run of dark modules: crisp edges, few calls.
            painter.fillRect(
                QRect(left + c * module, top + r * module, (run - c) * module, module), DARK
            )
            c = run
    return side


def qr_image(url: str, module: int) -> QImage:
    """The code alone as an image, quiet zone included."""
    matrix = qr_matrix(url)
    side = side_modules(matrix) * module
    image = QImage(side, side, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    paint_qr(painter, 0, 0, matrix, module)
    painter.end()
    return image


def display_url(url: str) -> str:
    """The address as people type it: no scheme, no trailing slash."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            url = url[len(scheme) :]
    return url.rstrip("/")


def breakable(text: str) -> str:
    """`text` with invisible break chances after / . - so a long address wraps in a label."""
    out = []
    for ch in text:
        out.append(ch)
        if ch in "/.-_?&=":
            out.append("\u200b")
    return "".join(out)


class QrCode(QWidget):
    """One QR code, painted at a fixed size.

    Attributes:
        url: what the code opens.
        module: pixels per module.
    """

    def __init__(self, url: str, module: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.module = module
        self.matrix = qr_matrix(url)
        side = side_modules(self.matrix) * module
        self.setFixedSize(side, side)
        self.setAccessibleName(url)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        paint_qr(painter, 0, 0, self.matrix, self.module)
        painter.end()


class QrPanel(QWidget):
    """A QR code with the address printed under it (and an optional line above).

    Attributes:
        code: the QrCode widget.
        address: the label with the printed address.
    """

    def __init__(
        self,
        url: str,
        module: int,
        *,
        caption: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qrPanel")
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(module * 2)
        if caption:
            top = label(caption)
            top.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(top)
        self.code = QrCode(url, module)
        self.code.setObjectName("qrCode")
        box.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        self.address = label(breakable(display_url(url)), "muted")
        self.address.setObjectName("qrAddress")
        self.address.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.address.setAccessibleName(url)
        box.addWidget(self.address)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
