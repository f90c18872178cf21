"""Build the demo content pack for 중구: pictures, video clips, subtitles and manifest.json.

Run from anywhere: ``python assets/demo/make_demo_pack.py``. Pictures are drawn with Qt
(offscreen) in the bundled Pretendard GOV font, clips are encoded by ffmpeg, and the manifest
lists every file with its size and SHA-256. The output is deterministic, so running the script
again leaves git clean; the generated files are committed and the app never runs this script.

``python assets/demo/make_demo_pack.py --archive OUT.zip`` writes the committed pack as one
archive (contract.archive; nothing is drawn again), which the server's import takes: ``python
-m server import-content OUT.zip`` or the console's 콘텐츠 → 가져오기 (``./dev demo`` does this).

Dates assume the demo is shown around 2026-11-25: everything is open until 2027, except the
items that are closed on purpose (an expired emergency notice, a proposal past its deadline).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MEDIA = HERE / "media"
FONTS = REPO / "assets" / "fonts"

# Run as a script from a checkout: make `kiosk` importable to validate what we write.
sys.path.insert(0, str(REPO))
import practice_kiosks  # noqa: E402 - beside this script
from pydantic import ValidationError  # noqa: E402

from contract.archive import archive_folder  # noqa: E402
from contract.content import ContentPack, explain  # noqa: E402

PLATFORM = "https://ontong.junggu.seoul.kr"
FONT_FAMILY = "Pretendard GOV"

# Clear colours with dark text on light fills or white text on dark fills (>= 7:1).
NAVY = QColor("#12325c")
BLUE = QColor("#1a4f91")
SKY = QColor("#dcebfa")
ORANGE = QColor("#e8751a")  # drawings only: too light behind white text
RUST = QColor("#8a3d00")
YELLOW = QColor("#ffd43b")
CREAM = QColor("#fff8e6")
GREEN = QColor("#1d5e37")
LEAF = QColor("#8cc63f")
PURPLE = QColor("#5b3a8c")
GREY = QColor("#4a5059")
WHITE = QColor("#ffffff")
INK = QColor("#1a1a1a")


def kst(stamp: str) -> str:
    """'2026-11-16 09:00' -> ISO 8601 with the Korean offset."""
    return stamp.replace(" ", "T") + ":00+09:00"


def text(ko: str, en: str = "") -> dict[str, str]:
    return {"ko": ko, "en": en} if en else {"ko": ko}


# ---------------------------------------------------------------------------------------------
# Drawing helpers
# ---------------------------------------------------------------------------------------------


def font(px: int, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPixelSize(px)
    f.setBold(bold)
    # Full hinting off keeps glyph shapes identical on every machine that runs the script.
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f


def canvas(w: int, h: int, fill: QColor) -> tuple[QImage, QPainter]:
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(fill)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    return image, p


def write_text(
    p: QPainter,
    rect: QRectF,
    s: str,
    px: int,
    color: QColor,
    *,
    bold: bool = False,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
) -> None:
    p.setFont(font(px, bold))
    p.setPen(color)
    p.drawText(rect, int(align) | int(Qt.TextFlag.TextWordWrap), s)


def gradient(p: QPainter, rect: QRectF, top: QColor, bottom: QColor) -> None:
    g = QLinearGradient(rect.topLeft(), rect.bottomLeft())
    g.setColorAt(0, top)
    g.setColorAt(1, bottom)
    p.fillRect(rect, QBrush(g))


def shape(p: QPainter, color: QColor, outline: QColor | None = None, width: float = 0) -> None:
    p.setBrush(color)
    p.setPen(QPen(outline, width) if outline is not None else Qt.PenStyle.NoPen)


def round_pen(color: QColor, width: float) -> QPen:
    return QPen(
        QBrush(color),
        width,
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )


def polygon(points: Iterable[tuple[float, float]]) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


def save(image: QImage, painter: QPainter, name: str, quality: int = -1) -> None:
    painter.end()
    path = MEDIA / name
    fmt = "JPG" if name.endswith(".jpg") else "PNG"
    if not image.save(str(path), fmt, quality):
        raise SystemExit(f"could not write {name}")


# -- Scenery used by several pictures ---------------------------------------------------------


def namsan_tower(p: QPainter, x: float, ground: float, scale: float, color: QColor) -> None:
    """N Seoul Tower on its hill, as a silhouette."""
    shape(p, color)
    hill = QPainterPath(QPointF(x - 260 * scale, ground))
    hill.quadTo(QPointF(x, ground - 260 * scale), QPointF(x + 260 * scale, ground))
    p.drawPath(hill)
    top = ground - 130 * scale
    p.drawRect(QRectF(x - 8 * scale, top - 170 * scale, 16 * scale, 170 * scale))
    p.drawRect(QRectF(x - 26 * scale, top - 190 * scale, 52 * scale, 26 * scale))
    p.drawRect(QRectF(x - 3 * scale, top - 260 * scale, 6 * scale, 72 * scale))


def houses(p: QPainter, ground: float, w: int, seed: int, wall: QColor, roof: QColor) -> None:
    x = -20.0
    k = seed
    while x < w:
        k = (k * 1103515245 + 12345) % 2**31
        bw = 90 + k % 70
        bh = 70 + (k // 7) % 90
        shape(p, wall)
        p.drawRect(QRectF(x, ground - bh, bw, bh))
        shape(p, roof)
        p.drawPolygon(
            polygon(
                [(x - 8, ground - bh), (x + bw / 2, ground - bh - 34), (x + bw + 8, ground - bh)]
            )
        )
        shape(p, YELLOW.darker(110))
        p.drawRect(QRectF(x + bw * 0.3, ground - bh * 0.6, 18, 18))
        x += bw + 6


def tree(p: QPainter, x: float, ground: float, size: float, leaves: QColor) -> None:
    shape(p, QColor("#6b4a2b"))
    p.drawRect(QRectF(x - size * 0.06, ground - size * 0.55, size * 0.12, size * 0.55))
    shape(p, leaves)
    p.drawEllipse(QPointF(x, ground - size * 0.75), size * 0.38, size * 0.32)
    p.drawEllipse(QPointF(x - size * 0.22, ground - size * 0.6), size * 0.24, size * 0.2)
    p.drawEllipse(QPointF(x + size * 0.22, ground - size * 0.6), size * 0.24, size * 0.2)


def person(
    p: QPainter, x: float, ground: float, h: float, color: QColor, cane: bool = False
) -> None:
    shape(p, color)
    p.drawEllipse(QPointF(x, ground - h * 0.88), h * 0.11, h * 0.11)
    p.drawRoundedRect(
        QRectF(x - h * 0.13, ground - h * 0.74, h * 0.26, h * 0.42), h * 0.08, h * 0.08
    )
    p.drawRect(QRectF(x - h * 0.1, ground - h * 0.34, h * 0.08, h * 0.34))
    p.drawRect(QRectF(x + h * 0.02, ground - h * 0.34, h * 0.08, h * 0.34))
    if cane:
        p.setPen(QPen(QColor("#6b4a2b"), max(3.0, h * 0.03)))
        p.drawLine(QPointF(x + h * 0.2, ground - h * 0.5), QPointF(x + h * 0.28, ground))


# ---------------------------------------------------------------------------------------------
# Posters for promotions (PNG: flat colours compress well and stay sharp)
# ---------------------------------------------------------------------------------------------

POSTER_W, POSTER_H = 1080, 1350


def poster_frame(bg: QColor, band: QColor) -> tuple[QImage, QPainter]:
    image, p = canvas(POSTER_W, POSTER_H, bg)
    p.fillRect(QRectF(0, POSTER_H - 150, POSTER_W, 150), band)
    write_text(
        p, QRectF(70, POSTER_H - 118, 940, 80), "온통중구 · 서울특별시 중구", 44, WHITE, bold=True
    )
    return image, p


def poster_budget() -> None:
    image, p = poster_frame(CREAM, NAVY)
    write_text(p, QRectF(70, 80, 940, 80), "주민이 직접 고르는 우리 동네 사업", 48, NAVY)
    write_text(p, QRectF(70, 160, 940, 260), "2027년\n주민참여예산 투표", 104, NAVY, bold=True)
    # Ballot box with a folded paper going in.
    shape(p, BLUE)
    p.drawRoundedRect(QRectF(290, 620, 500, 360), 24, 24)
    shape(p, NAVY)
    p.drawRoundedRect(QRectF(400, 600, 280, 34), 12, 12)
    shape(p, WHITE, NAVY, 6)
    p.drawPolygon(polygon([(450, 430), (650, 430), (650, 616), (450, 616)]))
    p.setPen(round_pen(ORANGE, 16))
    p.drawPolyline(polygon([(500, 520), (540, 565), (610, 480)]))
    write_text(
        p,
        QRectF(290, 760, 500, 120),
        "투표함",
        64,
        WHITE,
        bold=True,
        align=Qt.AlignmentFlag.AlignCenter,
    )
    write_text(p, QRectF(70, 1010, 940, 70), "2026. 11. 16. ~ 2027. 1. 31.", 56, INK, bold=True)
    write_text(
        p, QRectF(70, 1085, 940, 110), "동 주민센터 키오스크에서도 투표할 수 있어요", 44, INK
    )
    save(image, p, "promo-budget-2027.png")


def poster_quiz() -> None:
    image, p = poster_frame(SKY, BLUE)
    shape(p, YELLOW, NAVY, 10)
    p.drawEllipse(QPointF(540, 420), 230, 230)
    write_text(
        p, QRectF(310, 190, 460, 460), "?", 300, NAVY, bold=True, align=Qt.AlignmentFlag.AlignCenter
    )
    write_text(p, QRectF(70, 700, 940, 260), "정책퀴즈 풀고\n포인트 받으세요", 96, NAVY, bold=True)
    write_text(p, QRectF(70, 960, 940, 70), "쉬운 문제 3개 · 300포인트", 56, INK, bold=True)
    write_text(p, QRectF(70, 1040, 940, 120), "화면의 ‘설문·공모’를 눌러 시작하세요", 44, INK)
    save(image, p, "promo-quiz.png")


def poster_welcome() -> None:
    image, p = poster_frame(WHITE, GREEN)
    gradient(p, QRectF(0, 0, POSTER_W, 560), SKY, WHITE)
    namsan_tower(p, 760, 560, 1.0, QColor("#9db9d9"))
    houses(p, 560, POSTER_W, 7, QColor("#c9d6e6"), QColor("#7d93b2"))
    write_text(
        p, QRectF(70, 600, 940, 260), "온통중구에 오신 것을\n환영합니다", 92, NAVY, bold=True
    )
    items = [("설문", BLUE), ("정책제안", RUST), ("주민참여예산", GREEN), ("영상", PURPLE)]
    for i, (label, color) in enumerate(items):
        x = 70 + (i % 2) * 480
        y = 880 + (i // 2) * 150
        shape(p, color)
        p.drawRoundedRect(QRectF(x, y, 450, 120), 24, 24)
        write_text(
            p,
            QRectF(x, y, 450, 120),
            label,
            52,
            WHITE,
            bold=True,
            align=Qt.AlignmentFlag.AlignCenter,
        )
    save(image, p, "promo-welcome.png")


def poster_night_scout() -> None:
    image, p = poster_frame(NAVY, PURPLE)
    shape(p, YELLOW)
    p.drawEllipse(QPointF(820, 250), 120, 120)
    shape(p, NAVY)
    p.drawEllipse(QPointF(770, 215), 110, 110)
    houses(p, 760, POSTER_W, 3, QColor("#24457a"), QColor("#1a3560"))
    shape(p, QColor("#2f4f85"))
    p.drawRect(QRectF(0, 760, POSTER_W, 40))
    # A street light and two people walking home together.
    shape(p, QColor("#c8d2e0"))
    p.drawRect(QRectF(180, 470, 14, 290))
    shape(p, YELLOW)
    p.drawEllipse(QPointF(187, 470), 34, 22)
    person(p, 430, 760, 230, QColor("#f2c94c"))
    person(p, 560, 760, 250, WHITE)
    write_text(
        p,
        QRectF(70, 830, 940, 220),
        "밤늦은 귀갓길,\n안심귀가 스카우트와 함께",
        76,
        WHITE,
        bold=True,
    )
    write_text(
        p,
        QRectF(70, 1060, 940, 120),
        "밤 10시~새벽 1시 · 신청은 다산콜센터 120",
        46,
        YELLOW,
        bold=True,
    )
    save(image, p, "promo-night-scout.png")


def poster_digital_class() -> None:
    image, p = poster_frame(CREAM, RUST)
    # A large phone with a big "call" button, and a coach beside a resident.
    shape(p, INK)
    p.drawRoundedRect(QRectF(620, 150, 330, 600), 40, 40)
    shape(p, SKY)
    p.drawRoundedRect(QRectF(645, 210, 280, 470), 16, 16)
    shape(p, GREEN)
    p.drawRoundedRect(QRectF(680, 520, 210, 110), 20, 20)
    write_text(
        p,
        QRectF(680, 520, 210, 110),
        "전화",
        56,
        WHITE,
        bold=True,
        align=Qt.AlignmentFlag.AlignCenter,
    )
    for i in range(3):
        shape(p, BLUE)
        p.drawRoundedRect(QRectF(680, 250 + i * 85, 210, 60), 12, 12)
    person(p, 250, 750, 380, BLUE, cane=True)
    person(p, 440, 750, 420, GREEN)
    write_text(
        p, QRectF(70, 800, 940, 220), "어르신 디지털 배움터\n스마트폰 교실", 84, INK, bold=True
    )
    write_text(
        p,
        QRectF(70, 1020, 940, 150),
        "매주 화·목 오후 2시 · 동 주민센터 2층\n디지털 코치가 옆에서 알려 드려요",
        44,
        INK,
    )
    save(image, p, "promo-digital-class.png")


# ---------------------------------------------------------------------------------------------
# Photo-like pictures (JPEG): contest entries, walking routes, budget projects
# ---------------------------------------------------------------------------------------------


def photo_namsan_sunset(name: str, w: int, h: int) -> None:
    image, p = canvas(w, h, WHITE)
    gradient(p, QRectF(0, 0, w, h), QColor("#f6b26b"), QColor("#7a4f9e"))
    shape(p, QColor("#ffe08a"))
    p.drawEllipse(QPointF(w * 0.25, h * 0.45), h * 0.09, h * 0.09)
    namsan_tower(p, w * 0.62, h * 0.72, h / 600, QColor("#3d2b5a"))
    houses(p, h, w, 11, QColor("#2e2140"), QColor("#24192f"))
    save(image, p, name, 80)


def photo_market(name: str, w: int, h: int) -> None:
    image, p = canvas(w, h, QColor("#3b3026"))
    gradient(p, QRectF(0, 0, w, h * 0.35), QColor("#ffe6b3"), QColor("#d9a05b"))
    stripes = [QColor("#c0392b"), CREAM]
    for i in range(12):
        shape(p, stripes[i % 2])
        p.drawPolygon(
            polygon(
                [
                    (i * w / 12, h * 0.35),
                    ((i + 1) * w / 12, h * 0.35),
                    ((i + 1) * w / 12 + 20, h * 0.48),
                    (i * w / 12 + 20, h * 0.48),
                ]
            )
        )
    for i in range(6):
        shape(p, QColor("#ffb347"))
        p.drawEllipse(QPointF(60 + i * w / 6, h * 0.56), 22, 28)
    shape(p, QColor("#8a6a4a"))
    p.drawRect(QRectF(0, h * 0.78, w, h * 0.22))
    for i in range(5):
        shape(p, [QColor("#f7f1e3"), QColor("#e2c290")][i % 2])
        p.drawEllipse(QPointF(90 + i * 150, h * 0.8), 55, 22)
    person(p, w * 0.3, h * 0.8, h * 0.32, QColor("#4a6fa5"))
    person(p, w * 0.7, h * 0.8, h * 0.3, QColor("#6d8b3a"))
    save(image, p, name, 80)


def photo_stream(name: str, w: int, h: int) -> None:
    image, p = canvas(w, h, WHITE)
    gradient(p, QRectF(0, 0, w, h * 0.4), QColor("#bfe3ff"), QColor("#eaf6ff"))
    shape(p, QColor("#9aa5b1"))
    p.drawRect(QRectF(0, h * 0.28, w, h * 0.14))
    for x in range(0, w, 90):
        shape(p, QColor("#c3ccd6"))
        p.drawRect(QRectF(x, h * 0.18, 60, h * 0.1))
    shape(p, QColor("#7fb069"))
    p.drawRect(QRectF(0, h * 0.42, w, h * 0.1))
    gradient(p, QRectF(0, h * 0.52, w, h * 0.48), QColor("#4a90c2"), QColor("#1f5f8b"))
    shape(p, QColor("#d8d2c4"))
    for i in range(7):
        p.drawRoundedRect(QRectF(40 + i * (w - 80) / 7, h * 0.66 + (i % 2) * 18, 70, 40), 12, 12)
    shape(p, QColor("#7fb069"))
    p.drawRect(QRectF(0, h * 0.92, w, h * 0.08))
    save(image, p, name, 80)


def photo_ginkgo(name: str, w: int, h: int) -> None:
    image, p = canvas(w, h, WHITE)
    gradient(p, QRectF(0, 0, w, h * 0.6), QColor("#cfe8ff"), QColor("#fdf6e3"))
    # The stone wall of Deoksugung along Jeongdong-gil.
    shape(p, QColor("#a08c6e"))
    p.drawRect(QRectF(0, h * 0.45, w * 0.45, h * 0.25))
    p.setPen(QPen(QColor("#7d6b52"), 2))
    for y in range(int(h * 0.45), int(h * 0.7), 22):
        p.drawLine(QPointF(0, y), QPointF(w * 0.45, y))
    shape(p, QColor("#5a4a3a"))
    p.drawPolygon(
        polygon([(-10, h * 0.45), (w * 0.47, h * 0.45), (w * 0.45, h * 0.41), (0, h * 0.41)])
    )
    shape(p, QColor("#b5b5b5"))
    p.drawPolygon(
        polygon([(w * 0.45, h), (w * 0.55, h * 0.62), (w * 0.62, h * 0.62), (w * 0.9, h)])
    )
    for i, x in enumerate((0.55, 0.68, 0.8, 0.95)):
        tree(p, w * x, h * (0.75 + i * 0.05), h * (0.45 + i * 0.08), QColor("#f2c12e"))
    shape(p, QColor("#f2c12e"))
    for i in range(40):
        p.drawEllipse(QPointF((i * 97) % w, h * 0.9 + (i * 37) % int(h * 0.1)), 5, 3)
    save(image, p, name, 80)


def photo_stairs_spring(name: str, w: int, h: int) -> None:
    image, p = canvas(w, h, WHITE)
    gradient(p, QRectF(0, 0, w, h), QColor("#e8f4ff"), QColor("#fef2f6"))
    houses(p, h * 0.55, w, 5, QColor("#e9d8c4"), QColor("#a0522d"))
    steps = 8
    for i in range(steps):
        y = h * 0.55 + i * (h * 0.45 / steps)
        shape(p, QColor("#bdb6aa") if i % 2 else QColor("#d1cbc0"))
        p.drawRect(QRectF(w * 0.3 - i * 12, y, w * 0.4 + i * 24, h * 0.45 / steps))
    p.setPen(QPen(QColor("#3d6fb6"), 8))
    p.drawLine(QPointF(w * 0.28, h * 0.55), QPointF(w * 0.28 - steps * 12, h))
    for i in range(30):
        shape(p, QColor("#f7a8c4") if i % 3 else QColor("#ffe066"))
        p.drawEllipse(
            QPointF(
                (i * 53) % int(w * 0.25) + (0 if i % 2 else w * 0.75),
                h * 0.6 + (i * 29) % int(h * 0.38),
            ),
            10,
            10,
        )
    person(p, w * 0.5, h * 0.86, h * 0.3, QColor("#4a6fa5"), cane=True)
    save(image, p, name, 80)


def photo_seoullo(name: str, w: int, h: int) -> None:
    image, p = canvas(w, h, WHITE)
    gradient(p, QRectF(0, 0, w, h * 0.6), QColor("#a9d4ff"), QColor("#eef7ff"))
    for i, x in enumerate(range(0, w, 70)):
        shape(p, QColor("#c4ccd6") if i % 2 else QColor("#aab4c0"))
        p.drawRect(QRectF(x, h * 0.2 + (i * 13) % 40, 60, h * 0.4))
    shape(p, QColor("#e8e8e8"))
    p.drawPolygon(polygon([(0, h * 0.62), (w, h * 0.55), (w, h * 0.68), (0, h * 0.78)]))
    shape(p, QColor("#8d99a6"))
    for x in (w * 0.2, w * 0.6):
        p.drawRect(QRectF(x, h * 0.7, 26, h * 0.3))
    for i in range(6):
        cx = 60 + i * (w - 120) / 5
        shape(p, QColor("#d9d9d9"))
        p.drawEllipse(QPointF(cx, h * 0.66 - i * 3), 34, 14)
        shape(p, GREEN if i % 2 else LEAF)
        p.drawEllipse(QPointF(cx, h * 0.6 - i * 3), 28, 24)
    save(image, p, name, 80)


def photo_namsan_trail(name: str, w: int, h: int) -> None:
    image, p = canvas(w, h, WHITE)
    gradient(p, QRectF(0, 0, w, h), QColor("#d7f0d0"), QColor("#5e9e5a"))
    namsan_tower(p, w * 0.7, h * 0.45, h / 700, QColor("#7aa37a"))
    shape(p, QColor("#d8c3a5"))
    p.drawPolygon(polygon([(w * 0.35, h), (w * 0.48, h * 0.5), (w * 0.54, h * 0.5), (w * 0.8, h)]))
    for i, x in enumerate((0.08, 0.2, 0.88, 0.97)):
        tree(p, w * x, h * 0.95, h * 0.6, QColor("#2f7d32") if i % 2 else QColor("#4c9a3f"))
    save(image, p, name, 80)


# -- Budget project illustrations: one per kind of project, shared across dongs ---------------


def project_picture(kind: str) -> str:
    name = f"project-{kind}.jpg"
    w, h = 640, 420
    image, p = canvas(w, h, WHITE)
    gradient(p, QRectF(0, 0, w, h * 0.7), QColor("#d6ecff"), QColor("#f7fbff"))
    shape(p, QColor("#cfd6dd"))
    p.drawRect(QRectF(0, h * 0.7, w, h * 0.3))
    ground = h * 0.78
    draw = PROJECT_DRAWINGS[kind]
    draw(p, w, h, ground)
    save(image, p, name, 80)
    return name


def _exercise(p: QPainter, w: float, h: float, g: float) -> None:
    p.setPen(round_pen(ORANGE, 14))
    p.drawLine(QPointF(w * 0.25, g), QPointF(w * 0.25, g - 170))
    p.drawLine(QPointF(w * 0.45, g), QPointF(w * 0.45, g - 170))
    p.drawLine(QPointF(w * 0.25, g - 170), QPointF(w * 0.45, g - 170))
    p.setPen(round_pen(BLUE, 12))
    p.drawLine(QPointF(w * 0.35, g - 165), QPointF(w * 0.3, g - 60))
    p.drawLine(QPointF(w * 0.35, g - 165), QPointF(w * 0.4, g - 60))
    shape(p, GREEN)
    p.drawEllipse(QPointF(w * 0.7, g - 40), 70, 24)
    p.setPen(QPen(GREY, 10))
    p.drawLine(QPointF(w * 0.7, g - 40), QPointF(w * 0.7, g - 120))
    person(p, w * 0.7, g - 40, 150, NAVY)


def _light(p: QPainter, w: float, h: float, g: float) -> None:
    gradient(p, QRectF(0, 0, w, h * 0.7), QColor("#1c2c4c"), QColor("#3b4f7a"))
    houses(p, g, int(w), 2, QColor("#2c3e63"), QColor("#22314f"))
    for x in (w * 0.3, w * 0.75):
        shape(p, QColor("#fff3b0"))
        p.drawPolygon(polygon([(x - 10, g - 200), (x + 10, g - 200), (x + 90, g), (x - 90, g)]))
        shape(p, QColor("#c8d2e0"))
        p.drawRect(QRectF(x - 6, g - 210, 12, 210))
        shape(p, WHITE)
        p.drawEllipse(QPointF(x, g - 210), 26, 16)


def _bench(p: QPainter, w: float, h: float, g: float) -> None:
    shape(p, GREY)
    p.drawRect(QRectF(w * 0.15, g - 250, 14, 250))
    shape(p, BLUE)
    p.drawRoundedRect(QRectF(w * 0.15 - 50, g - 300, 114, 70), 10, 10)
    shape(p, ORANGE)
    p.drawRoundedRect(QRectF(w * 0.35, g - 90, w * 0.5, 30), 8, 8)
    p.drawRoundedRect(QRectF(w * 0.35, g - 160, w * 0.5, 26), 8, 8)
    shape(p, GREY)
    p.drawRect(QRectF(w * 0.38, g - 60, 12, 60))
    p.drawRect(QRectF(w * 0.8, g - 60, 12, 60))
    p.setPen(QPen(QColor("#e8751a"), 4))
    for i in range(3):
        x = w * 0.45 + i * 60
        p.drawArc(QRectF(x, g - 140, 30, 40), 0, 180 * 16)


def _stairs(p: QPainter, w: float, h: float, g: float) -> None:
    for i in range(6):
        shape(p, QColor("#b9b2a6") if i % 2 else QColor("#cdc6ba"))
        p.drawRect(QRectF(w * 0.2 + i * 60, g - (i + 1) * 40, w * 0.8, 40))
        shape(p, YELLOW)
        p.drawRect(QRectF(w * 0.2 + i * 60, g - (i + 1) * 40, 60, 8))
    p.setPen(round_pen(BLUE, 10))
    p.drawLine(QPointF(w * 0.18, g - 80), QPointF(w * 0.18 + 360, g - 320))
    for i in range(4):
        x = w * 0.18 + i * 120
        p.drawLine(QPointF(x, g - 80 - i * 80), QPointF(x, g - i * 40))


def _shade(p: QPainter, w: float, h: float, g: float) -> None:
    shape(p, QColor("#ffe9a8"))
    p.drawEllipse(QPointF(w * 0.85, h * 0.15), 40, 40)
    shape(p, GREY)
    p.drawRect(QRectF(w * 0.5 - 7, g - 240, 14, 240))
    shape(p, GREEN)
    p.drawPolygon(polygon([(w * 0.5 - 200, g - 200), (w * 0.5, g - 280), (w * 0.5 + 200, g - 200)]))
    shape(p, QColor("#b7c4b0"))
    p.drawEllipse(QPointF(w * 0.5, g + 10), 200, 22)
    person(p, w * 0.42, g, 130, NAVY)
    person(p, w * 0.58, g, 110, ORANGE)


def _flowers(p: QPainter, w: float, h: float, g: float) -> None:
    shape(p, QColor("#8a6a4a"))
    p.drawRect(QRectF(0, g - 30, w, 60))
    colors = [QColor("#f06595"), YELLOW, QColor("#ff922b"), QColor("#cc5de8")]
    for i in range(18):
        x = 20 + i * (w - 40) / 17
        p.setPen(QPen(GREEN, 5))
        p.drawLine(QPointF(x, g - 30), QPointF(x, g - 90 - (i % 3) * 20))
        shape(p, colors[i % 4])
        p.drawEllipse(QPointF(x, g - 95 - (i % 3) * 20), 18, 18)
    tree(p, w * 0.15, g - 40, 200, GREEN)


def _books(p: QPainter, w: float, h: float, g: float) -> None:
    shape(p, QColor("#8b5e34"))
    p.drawRoundedRect(QRectF(w * 0.3, g - 280, w * 0.4, 280), 10, 10)
    shape(p, QColor("#f5e6cc"))
    p.drawRect(QRectF(w * 0.3 + 16, g - 260, w * 0.4 - 32, 240))
    colors = [BLUE, ORANGE, GREEN, PURPLE, QColor("#c0392b"), NAVY]
    for shelf in range(3):
        y = g - 260 + shelf * 80
        shape(p, QColor("#8b5e34"))
        p.drawRect(QRectF(w * 0.3 + 16, y + 70, w * 0.4 - 32, 10))
        for i in range(8):
            shape(p, colors[(i + shelf) % 6])
            p.drawRect(QRectF(w * 0.3 + 24 + i * 27, y + 10 + (i % 2) * 8, 22, 60 - (i % 2) * 8))


def _cctv(p: QPainter, w: float, h: float, g: float) -> None:
    houses(p, g, int(w), 9, QColor("#e3d5c3"), QColor("#8c6d5a"))
    shape(p, GREY)
    p.drawRect(QRectF(w * 0.55, g - 320, 14, 320))
    shape(p, WHITE, INK, 4)
    p.drawRoundedRect(QRectF(w * 0.55 - 110, g - 330, 120, 50), 12, 12)
    shape(p, INK)
    p.drawEllipse(QPointF(w * 0.55 - 105, g - 305), 16, 16)
    shape(p, YELLOW, INK, 3)
    p.drawRect(QRectF(w * 0.55 + 20, g - 230, 120, 60))
    write_text(
        p,
        QRectF(w * 0.55 + 20, g - 230, 120, 60),
        "CCTV",
        28,
        INK,
        bold=True,
        align=Qt.AlignmentFlag.AlignCenter,
    )


def _mural(p: QPainter, w: float, h: float, g: float) -> None:
    shape(p, QColor("#f1e3c8"))
    p.drawRect(QRectF(0, h * 0.15, w, g - h * 0.15))
    namsan_tower(p, w * 0.3, g - 20, 0.7, QColor("#6fa8dc"))
    shape(p, QColor("#f6b26b"))
    p.drawEllipse(QPointF(w * 0.75, h * 0.35), 50, 50)
    for i, c in enumerate((GREEN, ORANGE, BLUE)):
        tree(p, w * (0.55 + i * 0.12), g - 10, 150, c)


def _digital(p: QPainter, w: float, h: float, g: float) -> None:
    shape(p, QColor("#a47148"))
    p.drawRect(QRectF(w * 0.1, g - 60, w * 0.8, 24))
    shape(p, INK)
    p.drawRoundedRect(QRectF(w * 0.3, g - 220, 250, 165), 14, 14)
    shape(p, SKY)
    p.drawRoundedRect(QRectF(w * 0.3 + 12, g - 208, 226, 141), 8, 8)
    shape(p, GREEN)
    p.drawRoundedRect(QRectF(w * 0.3 + 60, g - 160, 130, 50), 10, 10)
    person(p, w * 0.18, g, 200, NAVY)
    person(p, w * 0.82, g, 200, ORANGE)


def _recycle(p: QPainter, w: float, h: float, g: float) -> None:
    colors = [BLUE, GREEN, YELLOW, GREY]
    labels = ["종이", "플라스틱", "캔", "일반"]
    for i, (c, label) in enumerate(zip(colors, labels, strict=True)):
        x = w * 0.08 + i * w * 0.22
        shape(p, c)
        p.drawRoundedRect(QRectF(x, g - 180, w * 0.18, 180), 10, 10)
        shape(p, c.darker(130))
        p.drawRect(QRectF(x - 6, g - 195, w * 0.18 + 12, 22))
        ink = INK if c in (YELLOW,) else WHITE
        write_text(
            p,
            QRectF(x, g - 130, w * 0.18, 60),
            label,
            26,
            ink,
            bold=True,
            align=Qt.AlignmentFlag.AlignCenter,
        )


def _playground(p: QPainter, w: float, h: float, g: float) -> None:
    shape(p, QColor("#e07a5f"))
    p.drawRect(QRectF(0, g - 10, w, 60))
    shape(p, BLUE)
    p.drawRect(QRectF(w * 0.2, g - 220, 20, 220))
    p.drawRect(QRectF(w * 0.38, g - 220, 20, 220))
    shape(p, ORANGE)
    p.drawPolygon(polygon([(w * 0.2, g - 230), (w * 0.3, g - 300), (w * 0.41, g - 230)]))
    shape(p, YELLOW)
    p.drawPolygon(
        polygon([(w * 0.41, g - 160), (w * 0.75, g - 10), (w * 0.68, g - 10), (w * 0.41, g - 130)])
    )
    p.setPen(QPen(GREY, 6))
    p.drawLine(QPointF(w * 0.8, g - 200), QPointF(w * 0.8, g))
    p.drawLine(QPointF(w * 0.95, g - 200), QPointF(w * 0.95, g))
    p.drawLine(QPointF(w * 0.78, g - 200), QPointF(w * 0.97, g - 200))


def _heat(p: QPainter, w: float, h: float, g: float) -> None:
    gradient(p, QRectF(0, 0, w, h * 0.7), QColor("#e6eef7"), WHITE)
    shape(p, QColor("#8e98a3"))
    p.drawPolygon(polygon([(0, h), (0, g - 40), (w, g - 200), (w, h)]))
    p.setPen(QPen(ORANGE, 6))
    for i in range(5):
        y0 = g - 10 - i * 30
        path = QPainterPath(QPointF(20, y0 + 20))
        for k in range(1, 9):
            x = 20 + k * (w - 40) / 8
            y = y0 + 20 - (x / w) * 160 + (12 if k % 2 else -12)
            path.lineTo(QPointF(x, y))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    shape(p, WHITE)
    for i in range(25):
        p.drawEllipse(QPointF((i * 71) % int(w), (i * 43) % int(h * 0.6)), 6, 6)


PROJECT_DRAWINGS: dict[str, Callable[[QPainter, float, float, float], None]] = {
    "exercise": _exercise,
    "light": _light,
    "bench": _bench,
    "stairs": _stairs,
    "shade": _shade,
    "flowers": _flowers,
    "books": _books,
    "cctv": _cctv,
    "mural": _mural,
    "digital": _digital,
    "recycle": _recycle,
    "playground": _playground,
    "heat": _heat,
}


# ---------------------------------------------------------------------------------------------
# Video clips: frames drawn with Qt, piped to ffmpeg (H.264 + silent AAC, plays in QtMultimedia)
# ---------------------------------------------------------------------------------------------

VIDEO_W, VIDEO_H, FPS = 960, 540, 25

Scene = tuple[str, str, QColor, Callable[[QPainter, float], None]]


def _scene_kiosk(p: QPainter, t: float) -> None:
    shape(p, INK)
    p.drawRoundedRect(QRectF(640, 90, 200, 330), 20, 20)
    shape(p, SKY)
    p.drawRect(QRectF(658, 110, 164, 240))
    for i in range(3):
        shape(p, [BLUE, ORANGE, GREEN][i])
        p.drawRoundedRect(QRectF(672, 125 + i * 75, 136, 60), 10, 10)
    # A finger that presses the first button, slowly (no flashing).
    y = 230 - 60 * min(1.0, t * 1.5)
    shape(p, QColor("#f1c27d"))
    p.drawEllipse(QPointF(740, y), 22, 30)


def _scene_qr(p: QPainter, t: float) -> None:
    shape(p, INK)
    p.drawRoundedRect(QRectF(660, 100, 170, 320), 26, 26)
    shape(p, WHITE)
    p.drawRect(QRectF(675, 140, 140, 240))
    for r in range(7):
        for c in range(7):
            if (r * 3 + c * 5 + r * c) % 3 == 0 or r in (0, 6) and c in (0, 1, 5, 6):
                shape(p, INK)
                p.drawRect(QRectF(690 + c * 16, 200 + r * 16, 15, 15))
    shape(p, GREEN)
    p.drawEllipse(QPointF(745, 420 - 20 * t), 10 + 10 * t, 10 + 10 * t)


def _scene_people(p: QPainter, t: float) -> None:
    for i, c in enumerate((BLUE, ORANGE, GREEN, PURPLE)):
        person(p, 600 + i * 85, 440, 180 + (i % 2) * 30, c, cane=i == 1)
    shape(p, YELLOW)
    p.drawEllipse(QPointF(880, 110), 40 + 6 * math.sin(t * math.pi), 40 + 6 * math.sin(t * math.pi))


def _scene_ballot(p: QPainter, t: float) -> None:
    shape(p, BLUE)
    p.drawRoundedRect(QRectF(620, 240, 240, 190), 16, 16)
    shape(p, NAVY)
    p.drawRect(QRectF(680, 230, 120, 18))
    y = 90 + 140 * min(1.0, t)
    shape(p, WHITE, NAVY, 4)
    p.drawRect(QRectF(700, y, 80, 100))
    write_text(
        p,
        QRectF(620, 300, 240, 100),
        "투표함",
        44,
        WHITE,
        bold=True,
        align=Qt.AlignmentFlag.AlignCenter,
    )


def _scene_review(p: QPainter, t: float) -> None:
    shape(p, WHITE, GREY, 3)
    p.drawRoundedRect(QRectF(620, 90, 260, 330), 14, 14)
    for i in range(4):
        shape(p, SKY)
        p.drawRect(QRectF(690, 130 + i * 70, 160, 30))
        if t * 4 > i:
            p.setPen(round_pen(GREEN, 8))
            p.drawPolyline(polygon([(640, 145 + i * 70), (655, 160 + i * 70), (675, 130 + i * 70)]))


def _scene_logo(p: QPainter, t: float) -> None:
    for i, c in enumerate((BLUE, ORANGE, GREEN)):
        angle = t * math.pi + i * 2 * math.pi / 3
        shape(p, c)
        p.drawEllipse(QPointF(760 + 90 * math.cos(angle), 250 + 90 * math.sin(angle)), 50, 50)


def render_clip(name: str, scenes: list[Scene], seconds_per_scene: float) -> float:
    """Encode the scenes as one MP4 clip; returns its duration in seconds."""
    frames_per_scene = round(seconds_per_scene * FPS)
    total = frames_per_scene * len(scenes)
    duration = total / FPS
    cmd = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "bgra", "-s", f"{VIDEO_W}x{VIDEO_H}", "-r", str(FPS),
        "-i", "-",
        "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono",
        "-t", f"{duration:.2f}",
        "-map", "0:v", "-map", "1:a",
        "-c:v", "libx264", "-preset", "slow", "-crf", "30", "-pix_fmt", "yuv420p",
        "-profile:v", "main", "-g", str(FPS * 2),
        "-c:a", "aac", "-b:a", "24k",
        "-movflags", "+faststart", "-map_metadata", "-1",
        # Bit-exact and single-threaded so that the bytes (and the manifest) do not change
        # from run to run.
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-threads", "1",
        str(MEDIA / name),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for n in range(total):
        index, k = divmod(n, frames_per_scene)
        title, caption, color, draw = scenes[index]
        image = video_frame(title, caption, color, draw, k / frames_per_scene, n / total)
        proc.stdin.write(image.constBits().tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit(f"ffmpeg failed for {name}")
    return duration


def video_frame(
    title: str,
    caption: str,
    color: QColor,
    draw: Callable[[QPainter, float], None],
    t: float,
    progress: float,
) -> QImage:
    image, p = canvas(VIDEO_W, VIDEO_H, CREAM)
    p.fillRect(QRectF(0, 0, 560, VIDEO_H), color)
    write_text(p, QRectF(50, 60, 480, 120), "온통중구", 40, WHITE, bold=True)
    write_text(p, QRectF(50, 140, 480, 240), title, 56, WHITE, bold=True)
    write_text(p, QRectF(50, 380, 480, 100), caption, 30, WHITE)
    draw(p, t)
    # How far the clip has played, so a viewer knows it will end.
    p.fillRect(QRectF(0, VIDEO_H - 12, VIDEO_W, 12), QColor("#d0d4da"))
    p.fillRect(QRectF(0, VIDEO_H - 12, VIDEO_W * progress, 12), NAVY)
    p.end()
    return image


def thumbnail(
    name: str, title: str, color: QColor, draw: Callable[[QPainter, float], None]
) -> None:
    frame = video_frame(title, "", color, draw, 0.6, 0.0)
    small = frame.scaled(
        480, 270, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    p = QPainter(small)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    # A play mark so the picture reads as "a video" at a glance.
    shape(p, QColor(0, 0, 0, 150))
    p.drawEllipse(QPointF(420, 210), 38, 38)
    shape(p, WHITE)
    p.drawPolygon(polygon([(408, 189), (408, 231), (443, 210)]))
    save(small, p, name, 80)


def write_vtt(name: str, cues: list[tuple[float, float, str]]) -> None:
    def stamp(s: float) -> str:
        return f"{int(s // 60):02d}:{s % 60:06.3f}"

    lines = ["WEBVTT", ""]
    for i, (start, end, words) in enumerate(cues, 1):
        lines += [str(i), f"{stamp(start)} --> {stamp(end)}", words, ""]
    (MEDIA / name).write_text("\n".join(lines), encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------------------------

DONGS = [
    ("sogong", "소공동", "Sogong-dong"),
    ("hoehyeon", "회현동", "Hoehyeon-dong"),
    ("myeong", "명동", "Myeong-dong"),
    ("pil", "필동", "Pil-dong"),
    ("jangchung", "장충동", "Jangchung-dong"),
    ("gwanghui", "광희동", "Gwanghui-dong"),
    ("euljiro", "을지로동", "Euljiro-dong"),
    ("sindang", "신당동", "Sindang-dong"),
    ("dasan", "다산동", "Dasan-dong"),
    ("yaksu", "약수동", "Yaksu-dong"),
    ("cheonggu", "청구동", "Cheonggu-dong"),
    ("sindang5", "신당5동", "Sindang 5-dong"),
    ("donghwa", "동화동", "Donghwa-dong"),
    ("hwanghak", "황학동", "Hwanghak-dong"),
    ("jungnim", "중림동", "Jungnim-dong"),
]
DONG_KO = {d: ko for d, ko, _ in DONGS}


def district() -> dict[str, Any]:
    return {
        "name": text("서울특별시 중구", "Jung-gu, Seoul"),
        "platform_url": PLATFORM,
        "dongs": [{"id": d, "name": text(ko, en)} for d, ko, en in DONGS],
        "proposal_threshold": 100,
        "points": {
            "rules": {
                "survey_response": 500,
                "quiz": 300,
                "contest_vote": 200,
                "contest_entry": 1000,
                "proposal_agree": 100,
                "proposal": 2000,
                "budget_vote": 1000,
            },
            "exchange_minimum": 10000,
        },
        "yearly_targets": {"2022": 300, "2023": 330, "2024": 370, "2025": 400, "2026": 430},
        # 공약 확인지표: 온통중구 활용 건수 per year (server.pledge).
        "pledge_targets": {"2022": 300, "2023": 330, "2024": 370, "2025": 400, "2026": 430},
        # Demo addresses: replace with the district's official channels before going live.
        "sns": [
            {
                "id": "youtube",
                "name": text("중구청 유튜브", "Jung-gu YouTube"),
                "url": "https://www.youtube.com/@junggu_seoul",
            },
            {
                "id": "instagram",
                "name": text("중구청 인스타그램", "Jung-gu Instagram"),
                "url": "https://www.instagram.com/junggu_seoul",
            },
            {
                "id": "blog",
                "name": text("중구청 블로그", "Jung-gu blog"),
                "url": "https://blog.naver.com/junggu_seoul",
            },
        ],
    }


def option(oid: str, ko: str, en: str, image: str | None = None) -> dict[str, Any]:
    o: dict[str, Any] = {"id": oid, "label": text(ko, en)}
    if image:
        o["image"] = image
    return o


SATISFACTION = [
    text("매우 불만족", "Very dissatisfied"),
    text("불만족", "Dissatisfied"),
    text("보통", "Neutral"),
    text("만족", "Satisfied"),
    text("매우 만족", "Very satisfied"),
]


def surveys(route_images: dict[str, str]) -> list[dict[str, Any]]:
    digital = {
        "id": "2026-senior-digital",
        "kind": "survey",
        "title": text("어르신 디지털 생활 실태 조사", "Survey on seniors' digital life"),
        "description": text(
            "스마트폰과 키오스크를 쓰시면서 불편했던 점을 알려 주세요. 답해 주신 내용은 "
            "내년 디지털 배움터 교육 과정을 만드는 데 씁니다. 3분쯤 걸립니다.",
            "Tell us what is hard about smartphones and kiosks. Your answers shape next year's "
            "digital classes. About 3 minutes.",
        ),
        "opens_at": kst("2026-11-02 09:00"),
        "closes_at": kst("2027-03-31 18:00"),
        "url": f"{PLATFORM}/survey/2026-senior-digital",
        "questions": [
            {
                "id": "age",
                "type": "single_choice",
                "prompt": text("나이대를 골라 주세요.", "Which age group are you in?"),
                "options": [
                    option("under60", "60세 미만", "Under 60"),
                    option("60s", "60대", "60s"),
                    option("70s", "70대", "70s"),
                    option("80plus", "80세 이상", "80 or older"),
                ],
            },
            {
                "id": "smartphone",
                "type": "yes_no",
                "prompt": text("스마트폰을 쓰고 계신가요?", "Do you use a smartphone?"),
            },
            {
                "id": "uses",
                "type": "multiple_choice",
                "prompt": text(
                    "스마트폰으로 주로 하시는 일을 골라 주세요. (1개에서 3개까지)",
                    "What do you mostly use your smartphone for? (choose 1 to 3)",
                ),
                "show_if": {"question": "smartphone", "any_of": ["yes"]},
                "min_select": 1,
                "max_select": 3,
                "options": [
                    option("calls", "전화·문자", "Calls and texts"),
                    option("kakao", "카카오톡 대화", "KakaoTalk chats"),
                    option("photos", "사진·영상 보기", "Photos and videos"),
                    option("news", "뉴스·날씨", "News and weather"),
                    option("maps", "길 찾기·버스 도착 정보", "Maps and bus arrivals"),
                    option("banking", "은행·결제", "Banking and payments"),
                ],
            },
            {
                "id": "why_not",
                "type": "single_choice",
                "prompt": text(
                    "스마트폰을 쓰지 않는 가장 큰 까닭은 무엇인가요?",
                    "What is the main reason you do not use a smartphone?",
                ),
                "show_if": {"question": "smartphone", "any_of": ["no"]},
                "options": [
                    option("hard", "쓰는 법이 어려워서", "It is hard to use"),
                    option("no_need", "필요하지 않아서", "I do not need one"),
                    option("cost", "요금이 부담돼서", "It costs too much"),
                    option("eyesight", "글씨가 잘 안 보여서", "The text is hard to see"),
                ],
            },
            {
                "id": "class_satisfaction",
                "type": "scale",
                "prompt": text(
                    "구청과 동 주민센터의 디지털 교육에 얼마나 만족하시나요?",
                    "How satisfied are you with the digital classes of the district and "
                    "dong centres?",
                ),
                "labels": SATISFACTION,
            },
            {
                "id": "want_to_learn",
                "type": "short_text",
                "required": False,
                "max_length": 40,
                "prompt": text(
                    "배우고 싶은 것이 있으면 짧게 적어 주세요. (예: 기차표 예매)",
                    "Anything you would like to learn? (e.g. booking train tickets)",
                ),
            },
            {
                "id": "wishes",
                "type": "long_text",
                "required": False,
                "max_length": 300,
                "prompt": text(
                    "디지털 교육에 바라는 점을 자유롭게 적어 주세요.",
                    "What would you like from digital classes?",
                ),
            },
        ],
    }
    walking = {
        "id": "2026-walkable-junggu",
        "kind": "survey",
        "title": text("걷기 좋은 중구 만들기 의견 조사", "Making Jung-gu better for walking"),
        "description": text(
            "동네 산책길과 걷는 길에 대한 생각을 들려주세요. 결과는 2027년 보행 환경 "
            "개선 사업에 반영합니다.",
            "Tell us about walking in your neighbourhood. The results feed the 2027 "
            "pedestrian improvements.",
        ),
        "opens_at": kst("2026-11-09 09:00"),
        "closes_at": kst("2027-02-26 18:00"),
        "points": 700,
        "url": f"{PLATFORM}/survey/2026-walkable-junggu",
        "questions": [
            {
                "id": "favorite_route",
                "type": "image_choice",
                "prompt": text(
                    "가족과 함께 걷고 싶은 중구의 길을 하나 골라 주세요.",
                    "Pick the Jung-gu walk you would most like to take with your family.",
                ),
                "options": [
                    option("namsan", "남산 둘레길", "Namsan trail", route_images["namsan"]),
                    option(
                        "deoksugung",
                        "덕수궁 돌담길",
                        "Deoksugung stone-wall road",
                        route_images["deoksugung"],
                    ),
                    option(
                        "cheonggyecheon",
                        "청계천 산책로",
                        "Cheonggyecheon stream walk",
                        route_images["cheonggyecheon"],
                    ),
                    option(
                        "seoullo", "서울로7017", "Seoullo 7017 skygarden", route_images["seoullo"]
                    ),
                ],
            },
            {
                "id": "how_often",
                "type": "single_choice",
                "prompt": text(
                    "동네에서 얼마나 자주 걸으시나요?",
                    "How often do you walk in your neighbourhood?",
                ),
                "options": [
                    option("daily", "거의 날마다", "Almost every day"),
                    option("weekly_few", "일주일에 2~3번", "2–3 times a week"),
                    option("weekly", "일주일에 한 번", "Once a week"),
                    option("rarely", "거의 걷지 않음", "Rarely"),
                ],
            },
            {
                "id": "walk_satisfaction",
                "type": "scale",
                "prompt": text(
                    "우리 동네 걷는 길에 얼마나 만족하시나요?",
                    "How satisfied are you with the walkways in your neighbourhood?",
                ),
                "labels": SATISFACTION,
            },
            {
                "id": "needs",
                "type": "multiple_choice",
                "prompt": text(
                    "걷는 길에 가장 필요한 것을 2개까지 골라 주세요.",
                    "What do walkways need most? (up to 2)",
                ),
                "min_select": 1,
                "max_select": 2,
                "options": [
                    option("bench", "쉬어 갈 의자", "Benches to rest"),
                    option("shade", "그늘막", "Shade"),
                    option("handrail", "안전 손잡이", "Handrails"),
                    option("lighting", "밤길 조명", "Street lighting"),
                    option("toilet", "공중화장실", "Public toilets"),
                ],
            },
            {
                "id": "walking_event",
                "type": "yes_no",
                "required": False,
                "prompt": text(
                    "구에서 여는 걷기 행사에 함께하실 생각이 있으신가요?",
                    "Would you join a walking event held by the district?",
                ),
            },
            {
                "id": "hard_places",
                "type": "long_text",
                "required": False,
                "max_length": 300,
                "prompt": text(
                    "걷기 불편한 곳이 있다면 위치와 함께 알려 주세요.",
                    "Tell us where walking is difficult, and where it is.",
                ),
            },
        ],
    }
    quiz = {
        "id": "2026-quiz-ontong",
        "kind": "quiz",
        "title": text("정책퀴즈: 온통중구 알아보기", "Policy quiz: getting to know Ontong Jung-gu"),
        "description": text(
            "쉬운 문제 3개를 풀고 포인트를 받으세요. 틀려도 괜찮아요, 해설을 보여 드려요.",
            "Answer 3 easy questions and earn points. Wrong answers are fine: we explain.",
        ),
        "opens_at": kst("2026-11-02 09:00"),
        "closes_at": kst("2027-06-30 18:00"),
        "url": f"{PLATFORM}/quiz/2026-quiz-ontong",
        "questions": [
            {
                "id": "threshold",
                "type": "single_choice",
                "prompt": text(
                    "정책제안이 구청의 답변을 받으려면 주민 공감이 몇 명 이상 필요할까요?",
                    "How many residents must agree before the district answers a proposal?",
                ),
                "options": [
                    option("n10", "10명", "10"),
                    option("n50", "50명", "50"),
                    option("n100", "100명", "100"),
                    option("n1000", "1,000명", "1,000"),
                ],
                "correct": "n100",
                "explanation": text(
                    "공감 100명을 넘은 제안은 담당 부서가 검토하고 답변합니다.",
                    "Proposals with 100 agrees are reviewed and answered by the department.",
                ),
            },
            {
                "id": "exchange",
                "type": "yes_no",
                "prompt": text(
                    "참여 포인트가 10,000점을 넘으면 지역 상품권으로 바꿔 달라고 신청할 수 있다.",
                    "With 10,000 points or more you can ask to exchange them for local gift "
                    "certificates.",
                ),
                "correct": True,
                "explanation": text(
                    "맞아요. 10,000점부터 교환을 신청할 수 있습니다.",
                    "True: exchange starts at 10,000 points.",
                ),
            },
            {
                "id": "what_you_can_do",
                "type": "multiple_choice",
                "prompt": text(
                    "온통중구에서 할 수 있는 일을 모두 골라 주세요.",
                    "Choose everything you can do on Ontong Jung-gu.",
                ),
                "min_select": 1,
                "max_select": 4,
                "options": [
                    option("survey", "설문 참여", "Answer surveys"),
                    option("proposal", "정책 제안", "Propose a policy"),
                    option("budget", "주민참여예산 투표", "Vote on the participatory budget"),
                    option("certificate", "주민등록등본 발급", "Get a resident registration copy"),
                ],
                "correct": ["survey", "proposal", "budget"],
                "explanation": text(
                    "주민등록등본은 정부24나 동 주민센터에서 발급받으세요.",
                    "Registration copies come from Government24 or your dong centre.",
                ),
            },
        ],
    }
    return [digital, walking, quiz]


CONTEST_ENTRIES = [
    (
        "sunset",
        "남산 아래 해 질 녘",
        "Sunset below Namsan",
        "저녁마다 골목 끝에서 남산타워가 노을에 물드는 모습을 봅니다.",
        "필동 주민",
        photo_namsan_sunset,
    ),
    (
        "market",
        "중앙시장 칼국수 골목",
        "Noodle alley of Jungang Market",
        "40년 단골집 앞, 김이 모락모락 나는 겨울 저녁입니다.",
        "황학동 주민",
        photo_market,
    ),
    (
        "stepping_stones",
        "청계천 징검다리",
        "Stepping stones on Cheonggyecheon",
        "손주와 처음 건넌 징검다리, 물소리가 참 좋았습니다.",
        "광희동 주민",
        photo_stream,
    ),
    (
        "ginkgo",
        "정동길 은행나무",
        "Ginkgo trees of Jeongdong-gil",
        "돌담길 따라 노랗게 물든 은행잎을 밟으며 걸었습니다.",
        "소공동 주민",
        photo_ginkgo,
    ),
    (
        "spring_stairs",
        "봄날의 계단길",
        "Stairway in spring",
        "매일 오르내리는 계단길에 올해도 꽃이 피었습니다.",
        "약수동 주민",
        photo_stairs_spring,
    ),
]


def contests() -> list[dict[str, Any]]:
    entries = []
    for eid, ko, en, story, author, draw in CONTEST_ENTRIES:
        name = f"contest-{eid.replace('_', '-')}.jpg"
        draw(name, 800, 600)
        entries.append(
            {
                "id": eid,
                "title": text(ko, en),
                "description": text(story),
                "image": f"media/{name}",
                "author": author,
            }
        )
    return [
        {
            "id": "2026-alley-photo",
            "title": text(
                "우리 동네 한 장면: 골목 사진·사연 공모전",
                "A scene of our neighbourhood: alley photo and story contest",
            ),
            "description": text(
                "중구 골목의 정다운 모습을 담은 사진과 사연을 모았습니다. 마음에 드는 작품에 "
                "2표까지 투표해 주세요. 키오스크에서는 사연을 글로 보내실 수 있습니다.",
                "Photos and stories of Jung-gu's alleys. Vote for up to 2 entries; at the kiosk "
                "you can also send your own story.",
            ),
            "opens_at": kst("2026-11-02 09:00"),
            "closes_at": kst("2027-01-15 18:00"),
            "url": f"{PLATFORM}/contest/2026-alley-photo",
            "accepts_entries": True,
            "vote": {"max_votes": 2},
            "entries": entries,
        }
    ]


# (id, dong, topic, title ko, title en, body, author dong, created, deadline, agrees, status)
PROPOSALS = [
    (
        "crosswalk-sindang",
        "sindang",
        "transport",
        "신당역 사거리 횡단보도 신호 시간을 늘려 주세요",
        "Longer crossing time at Sindang Station junction",
        "신호가 짧아 어르신들이 중간에 멈춰 서는 일이 많습니다. "
        "보행 신호를 몇 초만 늘려 주시면 훨씬 안전하겠습니다.",
        "2026-09-14",
        "2027-01-12",
        134,
        "open",
    ),
    (
        "handrail-hoehyeon",
        "hoehyeon",
        "safety",
        "회현동 계단길에 안전 손잡이를 달아 주세요",
        "Handrails for the Hoehyeon stairways",
        "남산 자락 계단길이 가파르고 겨울이면 미끄럽습니다. "
        "양쪽에 손잡이가 있으면 어르신과 아이들이 덜 넘어질 것입니다.",
        "2026-09-02",
        "2026-12-31",
        212,
        "open",
    ),
    (
        "dumping-hwanghak",
        "hwanghak",
        "environment",
        "주방거리 이면도로 쓰레기 무단투기를 막아 주세요",
        "Stop illegal dumping behind the kitchenware street",
        "밤마다 큰 상자와 음식물 쓰레기가 쌓입니다. "
        "안내판과 단속 카메라를 설치해 주시면 좋겠습니다.",
        "2026-10-05",
        "2027-01-03",
        57,
        "open",
    ),
    (
        "busking-myeong",
        "myeong",
        "culture",
        "명동 거리 공연 일정을 한곳에서 알려 주세요",
        "One board for Myeong-dong street performances",
        "거리 공연이 많은데 언제 어디서 하는지 알기 어렵습니다. "
        "공연 안내판이나 누리집 한 곳에 모아 주세요.",
        "2026-10-20",
        "2027-01-18",
        23,
        "open",
    ),
    (
        "lunch-yaksu",
        "yaksu",
        "welfare",
        "경로당 점심 식사 요일을 늘려 주세요",
        "More lunch days at the senior centres",
        "지금은 주 3회만 점심이 나옵니다. 혼자 사시는 어르신을 위해 주 5회로 늘려 주시기 바랍니다.",
        "2026-10-11",
        "2027-01-09",
        88,
        "open",
    ),
    (
        "weekend-class-jungnim",
        "jungnim",
        "education",
        "어르신 스마트폰 교실 주말반을 열어 주세요",
        "Weekend smartphone classes for seniors",
        "평일에는 손주를 돌보느라 교육에 갈 수 없습니다. 토요일 오전반이 있으면 좋겠습니다.",
        "2026-09-28",
        "2026-12-27",
        101,
        "open",
    ),
    (
        "benches-pil",
        "pil",
        "environment",
        "남산 산책로 입구에 쉼터 의자를 더 놓아 주세요",
        "More benches at the Namsan trail entrance",
        "오르막 시작점에 앉을 곳이 없어 쉬어 가기 어렵습니다.",
        "2026-08-03",
        "2026-10-31",
        45,
        "open",
    ),
    (
        "delivery-euljiro",
        "euljiro",
        "economy",
        "인쇄골목 소상공인 공동 배송을 지원해 주세요",
        "Shared delivery for Euljiro print shops",
        "작은 인쇄소들이 함께 쓸 수 있는 배송 차량이 있으면 비용을 줄일 수 있습니다.",
        "2026-09-21",
        "2026-12-20",
        12,
        "withdrawn",
    ),
    (
        "speed-bump-dasan",
        "dasan",
        "safety",
        "다산로 어린이보호구역에 과속방지턱을 설치해 주세요",
        "Speed bumps in the Dasan-ro school zone",
        "등굣길에 과속 차량이 많습니다. 과속방지턱과 노란 발자국 표시가 필요합니다.",
        "2026-10-27",
        "2027-01-25",
        76,
        "open",
    ),
    (
        "food-festival-gwanghui",
        "gwanghui",
        "culture",
        "광희동 세계 음식 축제를 해마다 열어 주세요",
        "A yearly world food festival in Gwanghui-dong",
        "광희동에는 여러 나라 이웃이 삽니다. 음식 축제로 서로 알아 가는 자리를 만들면 좋겠습니다.",
        "2026-11-03",
        "2027-02-01",
        31,
        "open",
    ),
    (
        "bus-cheonggu",
        "cheonggu",
        "transport",
        "마을버스 배차 간격을 줄여 주세요",
        "More frequent village buses",
        "출퇴근 시간에 마을버스를 20분 넘게 기다립니다. 배차 간격을 10분 안쪽으로 줄여 주세요.",
        "2026-09-09",
        "2027-01-07",
        160,
        "open",
    ),
]


def proposals() -> list[dict[str, Any]]:
    out = []
    for pid, dong, topic, ko, en, body, created, deadline, agrees, status in PROPOSALS:
        out.append(
            {
                "id": pid,
                "title": text(ko, en),
                "body": text(body),
                "dong": dong,
                "topic": topic,
                "author": f"{DONG_KO[dong]} 주민",
                "created_at": kst(f"{created} 10:00"),
                "deadline": kst(f"{deadline} 23:59"),
                "status": status,
                "agree_count": agrees,
                "url": f"{PLATFORM}/proposal/{pid}",
            }
        )
    return out


PROJECT_KINDS = {
    # kind: (description ko, description en)
    "exercise": (
        "어르신이 날씨와 상관없이 쓸 수 있는 운동기구를 놓아 건강을 지키도록 돕습니다.",
        "Exercise equipment seniors can use in any weather.",
    ),
    "light": (
        "어두운 골목의 보안등을 밝고 전기를 덜 쓰는 LED 등으로 바꿔 밤길을 안전하게 합니다.",
        "Brighter, efficient LED lights for dark alleys.",
    ),
    "bench": (
        "정류장과 길가에 앉아 쉴 수 있는 의자를 놓고, 겨울에는 따뜻한 온열 의자로 씁니다.",
        "Benches and heated seats at stops and on walkways.",
    ),
    "stairs": (
        "가파른 계단에 손잡이와 미끄럼 방지 포장을 더해 넘어지는 사고를 줄입니다.",
        "Handrails and anti-slip surfaces on steep stairs.",
    ),
    "shade": (
        "여름 햇볕을 피할 수 있는 그늘막을 사람이 많이 기다리는 곳에 설치합니다.",
        "Shade canopies where people wait in summer.",
    ),
    "flowers": (
        "빈터와 길가에 꽃과 나무를 심어 걷고 싶은 길을 만듭니다.",
        "Flowers and trees along streets and empty plots.",
    ),
    "books": (
        "누구나 책을 빌려 가고 돌려놓는 작은 공유 책장을 만듭니다.",
        "A small shared bookshelf anyone can borrow from.",
    ),
    "cctv": (
        "범죄가 걱정되는 골목에 방범 CCTV와 비상벨을 더 설치합니다.",
        "More security cameras and emergency bells in alleys.",
    ),
    "mural": (
        "낡은 담장을 주민과 함께 그린 벽화로 밝게 바꿉니다.",
        "Murals painted with residents on worn walls.",
    ),
    "digital": (
        "경로당에 태블릿과 강사를 지원해 어르신 디지털 배움터를 엽니다.",
        "Tablets and tutors for a senior digital class.",
    ),
    "recycle": (
        "분리배출 거점을 정비해 골목에 쌓이는 쓰레기를 줄입니다.",
        "Tidy recycling points to keep alleys clean.",
    ),
    "playground": (
        "낡은 놀이터 바닥과 놀이기구를 안전하게 고칩니다.",
        "Safer surfaces and equipment for an old playground.",
    ),
    "heat": (
        "눈이 오면 미끄러운 언덕길에 도로 열선을 깔아 겨울 낙상 사고를 막습니다.",
        "Heating cables on steep roads against winter falls.",
    ),
}

# Per dong: budget (만원), rule ("approval" or "budget"), projects as
# (id suffix, kind, title ko, title en, cost 만원[, reviewed]).
BALLOTS: dict[str, tuple[int, str, list[tuple[Any, ...]]]] = {
    "sogong": (
        15000,
        "approval",
        [
            ("benches", "bench", "정동길 쉼터 의자 교체", "New benches on Jeongdong-gil", 2400),
            (
                "lights",
                "light",
                "소공로 뒷골목 LED 보안등 교체",
                "LED lights for the Sogong-ro back alleys",
                3800,
            ),
            (
                "tablets",
                "digital",
                "경로당 디지털 배움터 태블릿 지원",
                "Tablets for the senior centre class",
                1200,
            ),
            (
                "flowers",
                "flowers",
                "주민센터 앞 꽃길 가꾸기",
                "Flower path in front of the dong centre",
                1500,
            ),
        ],
    ),
    "hoehyeon": (
        20000,
        "approval",
        [
            (
                "handrails",
                "stairs",
                "남산 회현자락 계단 안전 손잡이 설치",
                "Handrails on the Namsan Hoehyeon stairs",
                6500,
            ),
            (
                "shade",
                "shade",
                "남대문시장 주변 횡단보도 그늘막",
                "Shade at crossings near Namdaemun Market",
                2800,
            ),
            (
                "cctv",
                "cctv",
                "회현동 주택가 방범 CCTV 추가",
                "More security cameras in Hoehyeon homes area",
                4800,
            ),
            (
                "exercise",
                "exercise",
                "경로당 실내 운동기구 설치",
                "Indoor exercise equipment at the senior centre",
                1800,
            ),
            (
                "books",
                "books",
                "주민 공유 책장 ‘회현 책마루’",
                "Shared bookshelf 'Hoehyeon Book Corner'",
                900,
            ),
        ],
    ),
    "myeong": (
        10000,
        "budget",
        [
            (
                "benches",
                "bench",
                "명동 주택가 쉼터 의자 설치",
                "Benches in Myeong-dong's residential lanes",
                3200,
            ),
            (
                "recycling",
                "recycle",
                "주택가 분리배출 거점 정비",
                "Recycling points in residential lanes",
                2600,
            ),
            ("mural", "mural", "낡은 담장 벽화 정비", "Murals on worn walls", 1900),
            ("lights", "light", "골목 야간 보안등 교체", "New night lights for alleys", 4100),
            ("books", "books", "주민 공유 책장 설치", "A shared bookshelf", 800),
        ],
    ),
    "pil": (
        15000,
        "approval",
        [
            (
                "flowers",
                "flowers",
                "남산골한옥마을 가는 길 꽃길 조성",
                "Flower path to Namsangol Hanok Village",
                2200,
            ),
            (
                "anti_slip",
                "stairs",
                "필동 계단길 미끄럼 방지 포장",
                "Anti-slip paving on Pil-dong stairs",
                5400,
            ),
            (
                "exercise",
                "exercise",
                "경로당 앞 야외 운동기구",
                "Outdoor exercise equipment at the senior centre",
                1600,
            ),
            ("cctv", "cctv", "골목 방범 CCTV 설치", "Security cameras for alleys", 4200),
        ],
    ),
    "jangchung": (
        15000,
        "approval",
        [
            (
                "benches",
                "bench",
                "장충단공원 산책로 의자 교체",
                "New benches in Jangchungdan Park",
                3000,
            ),
            (
                "playground",
                "playground",
                "어린이 놀이터 바닥 정비",
                "Resurface the children's playground",
                7800,
            ),
            (
                "lights",
                "light",
                "장충동 골목 LED 보안등 교체",
                "LED lights for Jangchung-dong alleys",
                3500,
            ),
            ("heating", "heat", "언덕길 도로 열선 설치", "Road heating on the hill lane", 9500),
        ],
    ),
    "gwanghui": (
        25000,
        "approval",
        [
            (
                "flowers",
                "flowers",
                "광희문 주변 꽃길 조성",
                "Flower path around Gwanghuimun Gate",
                2500,
            ),
            (
                "cctv",
                "cctv",
                "광희동 골목 방범 CCTV 추가",
                "More security cameras in Gwanghui-dong",
                5200,
            ),
            (
                "digital",
                "digital",
                "이웃과 함께하는 디지털 배움터",
                "Digital classes for all neighbours",
                1500,
            ),
            ("heating", "heat", "경사로 도로 열선 설치", "Road heating on the slope", 11000),
            ("heated_seats", "bench", "버스정류장 온열 의자", "Heated seats at bus stops", 1400),
            ("recycling", "recycle", "분리배출 거점 정비", "Tidy recycling points", 2300),
            ("mural", "mural", "골목 담장 벽화 그리기", "Alley wall murals", 2000),
        ],
    ),
    "euljiro": (
        15000,
        "approval",
        [
            (
                "lights",
                "light",
                "인쇄골목 밤길 보안등 교체",
                "Night lights for the print-shop alleys",
                4600,
            ),
            ("mural", "mural", "을지로 골목 벽화 정비", "Restore Euljiro alley murals", 2400),
            (
                "recycling",
                "recycle",
                "인쇄골목 분리배출 거점 정비",
                "Recycling points in the print-shop alleys",
                2900,
            ),
            ("tablets", "digital", "경로당 태블릿 교실", "Tablet class at the senior centre", 1100),
        ],
    ),
    "sindang": (
        20000,
        "budget",
        [
            (
                "heated_seats",
                "bench",
                "신당역 버스정류장 온열 의자",
                "Heated seats at Sindang Station bus stops",
                1600,
            ),
            (
                "recycling",
                "recycle",
                "떡볶이골목 분리배출 거점 정비",
                "Recycling points in Tteokbokki Alley",
                3300,
            ),
            (
                "heating",
                "heat",
                "주택가 언덕길 도로 열선 설치",
                "Road heating on residential hills",
                12000,
            ),
            ("shade", "shade", "어린이 놀이터 그늘막", "Shade for the children's playground", 3800),
            ("cctv", "cctv", "골목 방범 CCTV 추가", "More security cameras in alleys", 6200),
            (
                "exercise",
                "exercise",
                "경로당 운동기구 설치",
                "Exercise equipment at the senior centre",
                2100,
            ),
            ("books", "books", "주민 공유 책장", "A shared bookshelf", 800),
        ],
    ),
    "dasan": (
        20000,
        "approval",
        [
            (
                "handrails",
                "stairs",
                "다산성곽길 계단 안전 손잡이",
                "Handrails on the Dasan fortress-wall stairs",
                7200,
            ),
            (
                "lights",
                "light",
                "성곽길 밤길 보안등 설치",
                "Night lights along the fortress-wall path",
                3900,
            ),
            (
                "playground",
                "playground",
                "어린이 놀이터 정비",
                "Renew the children's playground",
                8500,
            ),
            (
                "flowers",
                "flowers",
                "성곽길 꽃길 가꾸기",
                "Flowers along the fortress-wall path",
                1700,
            ),
            ("books", "books", "주민 공유 책장", "A shared bookshelf", 1000),
        ],
    ),
    "yaksu": (
        25000,
        "approval",
        [
            ("shade", "shade", "약수시장 입구 그늘막", "Shade at the Yaksu Market entrance", 2600),
            (
                "heated_seats",
                "bench",
                "약수역 주변 온열 의자",
                "Heated seats around Yaksu Station",
                1500,
            ),
            ("heating", "heat", "언덕길 도로 열선 설치", "Road heating on the hill lane", 10500),
            (
                "digital",
                "digital",
                "경로당 디지털 배움터",
                "Digital class at the senior centre",
                1300,
            ),
            ("cctv", "cctv", "골목 방범 CCTV 추가", "More security cameras in alleys", 4400),
            ("handrails", "stairs", "계단길 안전 손잡이", "Handrails on stairways", 5800),
            ("mural", "mural", "담장 벽화 그리기", "Wall murals", 1800),
        ],
    ),
    "cheonggu": (
        15000,
        "approval",
        [
            (
                "lights",
                "light",
                "청구역 주변 골목 보안등 교체",
                "New alley lights around Cheonggu Station",
                3600,
            ),
            ("shade", "shade", "어린이 놀이터 그늘막", "Shade for the children's playground", 3100),
            (
                "exercise",
                "exercise",
                "경로당 운동기구 설치",
                "Exercise equipment at the senior centre",
                1900,
            ),
            ("recycling", "recycle", "분리배출 거점 정비", "Tidy recycling points", 2500),
        ],
    ),
    "sindang5": (
        15000,
        "approval",
        [
            (
                "handrails",
                "stairs",
                "주택가 계단 안전 손잡이",
                "Handrails on residential stairs",
                4900,
            ),
            ("cctv", "cctv", "골목 방범 CCTV 설치", "Security cameras for alleys", 4500),
            (
                "flowers",
                "flowers",
                "자투리땅 꽃밭 가꾸기",
                "Flower beds on small empty plots",
                1400,
            ),
            ("books", "books", "주민 공유 책장", "A shared bookshelf", 850),
        ],
    ),
    "donghwa": (
        15000,
        "approval",
        [
            (
                "lights",
                "light",
                "동화동 골목 LED 보안등 교체",
                "LED lights for Donghwa-dong alleys",
                3400,
            ),
            (
                "playground",
                "playground",
                "어린이 놀이터 바닥 정비",
                "Resurface the children's playground",
                6900,
            ),
            ("heated_seats", "bench", "버스정류장 온열 의자", "Heated seats at bus stops", 1300),
            (
                "exercise",
                "exercise",
                "경로당 운동기구 설치",
                "Exercise equipment at the senior centre",
                1700,
            ),
            # Still being reviewed by the department: shown, but cannot be chosen.
            (
                "garden",
                "flowers",
                "주민 공동 텃밭 만들기",
                "A shared community garden",
                2800,
                False,
            ),
        ],
    ),
    "hwanghak": (
        20000,
        "approval",
        [
            (
                "shade",
                "shade",
                "서울중앙시장 주변 그늘막",
                "Shade around Seoul Jungang Market",
                3300,
            ),
            (
                "recycling",
                "recycle",
                "주방가구거리 분리배출 거점 정비",
                "Recycling points on the kitchenware street",
                3700,
            ),
            ("benches", "bench", "청계천변 쉼터 의자", "Benches along Cheonggyecheon", 2700),
            ("cctv", "cctv", "골목 방범 CCTV 추가", "More security cameras in alleys", 5000),
            (
                "digital",
                "digital",
                "경로당 디지털 배움터",
                "Digital class at the senior centre",
                1200,
            ),
        ],
    ),
    "jungnim": (
        10000,
        "budget",
        [
            (
                "exercise",
                "exercise",
                "손기정체육공원 야외 운동기구",
                "Outdoor exercise equipment in Son Kee-chung Park",
                4200,
            ),
            ("heating", "heat", "언덕길 도로 열선 설치", "Road heating on the hill lane", 8800),
            ("lights", "light", "골목 LED 보안등 교체", "LED lights for alleys", 3300),
            ("mural", "mural", "낡은 담장 벽화 정비", "Murals on worn walls", 2100),
        ],
    ),
}


def budget(project_images: dict[str, str]) -> dict[str, Any]:
    ballots = []
    for dong, (budget_manwon, rule_kind, projects) in BALLOTS.items():
        items = []
        for spec in projects:
            suffix, kind, ko, en, cost = spec[:5]
            reviewed = spec[5] if len(spec) > 5 else True
            desc_ko, desc_en = PROJECT_KINDS[kind]
            items.append(
                {
                    "id": f"{dong}-{suffix.replace('_', '-')}",
                    "title": text(ko, en),
                    "description": text(desc_ko, desc_en),
                    "cost_won": cost * 10_000,
                    "image": project_images[kind],
                    "reviewed": reviewed,
                }
            )
        reviewed_count = sum(1 for p in items if p["reviewed"])
        if rule_kind == "approval":
            # The district's rule: up to 30% of the projects, rounded down, but at least one.
            rule: dict[str, Any] = {
                "kind": "approval",
                "max_selections": max(1, reviewed_count * 3 // 10),
            }
        else:
            rule = {"kind": "budget"}
        ballots.append(
            {
                "id": f"2027-pb-{dong}",
                "dong": dong,
                "budget_won": budget_manwon * 10_000,
                "rule": rule,
                "projects": items,
            }
        )
    return {
        "id": "2027-pb",
        "title": text("2027년 주민참여예산", "2027 participatory budget"),
        "description": text(
            "우리 동네에 필요한 사업을 주민이 직접 고릅니다. 구가 검토를 마친 사업 가운데에서 "
            "골라 주세요. 투표 결과는 2027년 예산에 반영합니다.",
            "Residents choose the projects their dong needs, among those the district has "
            "reviewed. The results go into the 2027 budget.",
        ),
        "opens_at": kst("2026-11-16 09:00"),
        "closes_at": kst("2027-01-31 18:00"),
        "url": f"{PLATFORM}/budget/2027",
        "ballots": ballots,
    }


def promotions() -> list[dict[str, Any]]:
    weekdays_only = [0, 1, 2, 3, 4]
    return [
        {
            "id": "budget-vote-2027",
            "kind": "image",
            "title": text("2027년 주민참여예산 투표", "Vote on the 2027 participatory budget"),
            "asset": "media/promo-budget-2027.png",
            "url": f"{PLATFORM}/budget/2027",
            "starts_at": kst("2026-11-16 09:00"),
            "ends_at": kst("2027-01-31 18:00"),
            "priority": 10,
            "weight": 3,
            "duration_s": 10,
        },
        {
            "id": "quiz-points",
            "kind": "image",
            "title": text("정책퀴즈 풀고 포인트 받으세요", "Take the policy quiz, earn points"),
            "asset": "media/promo-quiz.png",
            "url": f"{PLATFORM}/quiz/2026-quiz-ontong",
            "starts_at": kst("2026-11-02 09:00"),
            "ends_at": kst("2027-06-30 18:00"),
            "weekdays": weekdays_only,
            "windows": [{"start": "09:00", "end": "18:00"}],
            "priority": 5,
            "duration_s": 8,
        },
        {
            "id": "welcome",
            "kind": "image",
            "title": text("온통중구에 오신 것을 환영합니다", "Welcome to Ontong Jung-gu"),
            "asset": "media/promo-welcome.png",
            "url": PLATFORM,
            "starts_at": kst("2026-01-01 00:00"),
            "ends_at": kst("2030-12-31 23:59"),
            "priority": 0,
            "duration_s": 8,
            "evergreen": True,
        },
        {
            "id": "night-scout",
            "kind": "image",
            "title": text("안심귀가 스카우트 이용 안내", "Safe-return escort service at night"),
            "asset": "media/promo-night-scout.png",
            "starts_at": kst("2026-11-01 00:00"),
            "ends_at": kst("2027-03-31 23:59"),
            # Late evening into the small hours: the window crosses midnight.
            "windows": [{"start": "22:00", "end": "01:00"}],
            "priority": 5,
            "duration_s": 8,
        },
        {
            "id": "digital-class",
            "kind": "image",
            "title": text("어르신 디지털 배움터 스마트폰 교실", "Smartphone classes for seniors"),
            "asset": "media/promo-digital-class.png",
            "starts_at": kst("2026-11-02 09:00"),
            "ends_at": kst("2027-02-26 18:00"),
            "weekdays": weekdays_only,
            "windows": [{"start": "09:00", "end": "18:00"}],
            "dongs": ["sindang", "yaksu", "jungnim", "hwanghak"],
            "priority": 3,
            "duration_s": 8,
        },
        {
            "id": "ontong-clip",
            "kind": "video",
            "title": text("온 주민이 통하는 중구", "Jung-gu, where every resident connects"),
            "asset": "media/promo-ontong.mp4",
            "url": PLATFORM,
            "starts_at": kst("2026-11-02 09:00"),
            "ends_at": kst("2027-12-31 23:59"),
            "priority": 2,
            "duration_s": 4,
        },
        {
            "id": "cold-wave-2026-11",
            "kind": "notice",
            "title": text("한파 경보 발령", "Cold wave warning"),
            "body": text(
                "오늘 밤 기온이 영하 12도까지 내려갑니다. 외출을 줄이시고, 가까운 한파 쉼터(동 "
                "주민센터·경로당)를 이용하세요. 도움이 필요하면 120으로 전화하세요.",
                "Temperatures fall to −12 °C tonight. Stay indoors or use the nearest warming "
                "shelter (dong centre, senior centre). Call 120 for help.",
            ),
            "starts_at": kst("2026-11-18 17:00"),
            "ends_at": kst("2026-11-20 09:00"),
            "priority": 100,
            "duration_s": 15,
            "emergency": True,
        },
        {
            "id": "frozen-pipes",
            "kind": "notice",
            "title": text("겨울철 수도 계량기 동파 예방", "Keep water meters from freezing"),
            "body": text(
                "계량기함을 헌 옷이나 보온재로 채우고, "
                "아주 추운 밤에는 수돗물을 조금 틀어 두세요. "
                "동파 신고는 120 다산콜센터로 하시면 됩니다.",
                "Fill the meter box with old clothes or insulation and leave a tap dripping "
                "on very cold nights. Report frozen meters to the 120 Dasan call centre.",
            ),
            "starts_at": kst("2026-11-20 09:00"),
            "ends_at": kst("2027-02-28 23:59"),
            "priority": 4,
            "duration_s": 12,
        },
    ]


def videos() -> list[dict[str, Any]]:
    guide_scenes: list[Scene] = [
        ("온통중구\n이렇게 이용해요", "키오스크로 쉽게 참여하기", BLUE, _scene_people),
        ("화면의 큰 단추를\n눌러 시작해요", "설문 · 정책제안 · 주민참여예산", BLUE, _scene_kiosk),
        ("휴대전화로\n이어서 참여해요", "QR 코드를 찍어 보세요", BLUE, _scene_qr),
    ]
    budget_scenes: list[Scene] = [
        ("주민이 사업을\n제안하고", "주민참여예산 한눈에 보기", GREEN, _scene_people),
        ("구가 꼼꼼히\n검토한 뒤", "실현할 수 있는지 살펴봐요", GREEN, _scene_review),
        ("주민 투표로\n정해요", "동별로 투표해요", GREEN, _scene_ballot),
    ]
    guide_s = render_clip("video-ontong-guide.mp4", guide_scenes, 2.0)
    budget_s = render_clip("video-budget-intro.mp4", budget_scenes, 2.0)
    render_clip(
        "promo-ontong.mp4",
        [("온 주민이 통하는\n중구", "온통중구에서 만나요", NAVY, _scene_logo)] * 2,
        2.0,
    )
    thumbnail("video-ontong-guide.jpg", "온통중구\n이렇게 이용해요", BLUE, _scene_people)
    thumbnail("video-budget-intro.jpg", "주민참여예산\n한눈에 보기", GREEN, _scene_people)
    write_vtt(
        "video-ontong-guide.ko.vtt",
        [
            (0.0, 2.0, "온통중구, 이렇게 이용해요."),
            (2.0, 4.0, "화면의 큰 단추를 눌러 시작하세요."),
            (4.0, 6.0, "QR 코드를 찍으면 휴대전화로 이어서 참여할 수 있어요."),
        ],
    )
    write_vtt(
        "video-budget-intro.ko.vtt",
        [
            (0.0, 2.0, "주민참여예산은 주민이 사업을 제안하고,"),
            (2.0, 4.0, "구가 실현할 수 있는지 꼼꼼히 검토한 뒤,"),
            (4.0, 6.0, "동별 주민 투표로 정합니다."),
        ],
    )
    return [
        {
            "id": "ontong-guide",
            "title": text("온통중구 이렇게 이용해요", "How to use Ontong Jung-gu"),
            "description": text(
                "키오스크에서 설문, 정책제안, 주민참여예산에 참여하는 방법을 알려 드립니다.",
                "How to take part in surveys, proposals and the budget vote at the kiosk.",
            ),
            "asset": "media/video-ontong-guide.mp4",
            "thumbnail": "media/video-ontong-guide.jpg",
            "subtitles": "media/video-ontong-guide.ko.vtt",
            "duration_s": guide_s,
            "url": f"{PLATFORM}/video/ontong-guide",
        },
        {
            "id": "budget-intro",
            "title": text("주민참여예산 한눈에 보기", "The participatory budget at a glance"),
            "description": text(
                "제안부터 검토, 주민 투표까지 주민참여예산이 정해지는 과정을 짧게 보여 드립니다.",
                "From proposal to review to the residents' vote, in a few seconds.",
            ),
            "asset": "media/video-budget-intro.mp4",
            "thumbnail": "media/video-budget-intro.jpg",
            "subtitles": "media/video-budget-intro.ko.vtt",
            "duration_s": budget_s,
            "url": f"{PLATFORM}/video/budget-intro",
        },
    ]


# ---------------------------------------------------------------------------------------------
# Manifest
# ---------------------------------------------------------------------------------------------

MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt",
}


def file_entries() -> list[dict[str, Any]]:
    entries = []
    for path in sorted(MEDIA.iterdir()):
        data = path.read_bytes()
        entries.append(
            {
                "path": f"media/{path.name}",
                "sha256": hashlib.sha256(data).hexdigest(),
                "size": len(data),
                "media_type": MEDIA_TYPES[path.suffix],
            }
        )
    return entries


# Demo coaches (README): 김코치 signs in with code 1001 and PIN 246810; 이코치 (1002) is revoked.
DEMO_COACHES = (("1001", "김코치", "246810", False), ("1002", "이코치", "135790", True))


def coaches() -> list[dict[str, Any]]:
    """The demo's digital coaches, PINs as salted scrypt hashes. The salt is derived from the code
    only so that the output stays deterministic; a real pack uses contract.pin.hash_pin."""
    from contract.pin import hash_pin

    def salt(code: str) -> bytes:
        return hashlib.sha256(f"demo-coach-{code}".encode()).digest()[:16]

    return [
        {
            "code": code,
            "name": name,
            "pin_hash": hash_pin(pin, salt=salt(code)),
            "revoked": revoked,
        }
        for code, name, pin, revoked in DEMO_COACHES
    ]


# ---------------------------------------------------------------------------------------------
# Lessons of coached sessions (contract.lessons lists the screens and targets a step may name)
# ---------------------------------------------------------------------------------------------


def step(sid: str, screen: str, target: str, ko: str, en: str, kind: str = "tap") -> dict[str, Any]:
    return {"id": sid, "screen": screen, "target": target, "kind": kind, "say": text(ko, en)}


# The practice number and birth date the lessons type: nobody types their own in front of a
# class, and in practice nothing sent with them counts. Unlike any test resident's number, so
# the search for numbers in clear on the device (tests/integration) does not find these.
PRACTICE_PHONE = "01099998888"
PRACTICE_BIRTH = "19460101"


def identity_steps(last_ko: str, last_en: str) -> list[dict[str, Any]]:
    """본인 확인 on the keypad, with the practice number: the end of agree, vote and points."""
    phone = step(
        "phone",
        "identity",
        "keypad",
        "휴대전화 번호를 누르는 곳입니다. 연습용 번호를 밝게 표시된 숫자부터 차례로 누르세요.",
        "Here you type your mobile number. Type the practice number, key by lit-up key.",
        kind="enter",
    )
    phone["value"] = PRACTICE_PHONE
    birth = step(
        "birth",
        "identity",
        "keypad",
        "이번에는 생년월일 여덟 자리입니다. 연습용 생년월일을 차례로 누르세요.",
        "Now the eight digits of the birth date: type the practice one, key by key.",
        kind="enter",
    )
    birth["value"] = PRACTICE_BIRTH
    return [
        step(
            "intro",
            "identity",
            "flowNext",
            "본인 확인이 왜 필요한지 알려 주는 화면입니다. 읽어 보고 '다음'을 누릅니다.",
            "This screen says why you confirm who you are. Read it, then tap 'Next'.",
        ),
        phone,
        step(
            "phone-next",
            "identity",
            "flowNext",
            "번호를 다 눌렀으면 '다음'을 누릅니다. 틀리게 눌렀으면 '지우기'로 지웁니다.",
            "When the number is in, tap 'Next'. Tap 'Delete' to fix a wrong digit.",
        ),
        birth,
        step("confirm", "identity", "flowNext", last_ko, last_en),
    ]


def typed(sid: str, screen: str, value: str, ko: str, en: str) -> dict[str, Any]:
    """Practice words typed on the keyboard key by key: nobody writes their own words in front
    of a class."""
    found = step(sid, screen, "hangulKeyboard", ko, en, kind="enter")
    found["value"] = value
    return found


def filled(sid: str, screen: str, value: str, ko: str, en: str) -> dict[str, Any]:
    """A practice text the lesson writes at once, lit where it shows above the keys: a text
    too long to type key by key in a lesson."""
    found = step(sid, screen, "keyboardDisplay", ko, en, kind="fill")
    found["value"] = value
    return found


CONTEST = "2026-alley-photo"


def open_points() -> list[dict[str, Any]]:
    """From the home screen to 본인 확인 of the points: checking and exchanging begin alike."""
    return [
        step("open-points", "home", "tile_points", "'포인트'를 누릅니다.", "Tap 'Points'."),
        step(
            "check",
            "points",
            "checkPoints",
            "'본인 확인하고 포인트 보기'를 누릅니다. "
            "다음 화면에서 휴대전화 번호와 생년월일을 누릅니다.",
            "Tap 'Confirm it is you and see your points'. "
            "Then enter your phone number and birth date.",
        ),
    ]


def open_contest(action: str, ko: str, en: str) -> list[dict[str, Any]]:
    """From the home screen to the contest's page, and its way to take part."""
    return [
        step(
            "open-surveys",
            "home",
            "tile_surveys",
            "'설문·공모'를 누르면 지금 참여할 수 있는 설문과 공모전이 나옵니다.",
            "Tap 'Surveys & contests' to see what you can take part in.",
        ),
        step(
            "choose-contest",
            "surveys",
            f"contest_{CONTEST}",
            "공모전을 누릅니다. '우리 동네 한 장면' 공모전을 눌러 보세요.",
            "Tap the contest: try 'A scene of our neighbourhood'.",
        ),
        step(f"{action}-start", "contest", f"{action}Button", ko, en),
    ]


def new_lessons() -> list[dict[str, Any]]:
    """Lessons of the flows issue 19 added them for: a contest's idea and vote, writing a
    proposal on the keyboard, a video with subtitles, sharing by QR code, exchanging points."""
    return [
        {
            "id": "contest-idea",
            "title": text("공모전에 아이디어 보내기", "Sending an idea to a contest"),
            "flow": "contest_entry",
            "summary": text(
                "글자판으로 제목과 내용을 써서 보내는 방법",
                "Write a title and a few words on the keyboard, then send",
            ),
            "steps": [
                *open_contest(
                    "idea",
                    "'아이디어 보내기'를 누르면 글을 쓰는 화면이 나옵니다.",
                    "Tap 'Send an idea' to open the writing screen.",
                ),
                typed(
                    "title",
                    "contest_idea",
                    "골목 화단",
                    "글자판으로 제목을 씁니다. 밝게 표시된 글쇠를 차례로 누르세요. "
                    "띄어 쓸 때는 '띄어쓰기'를 누릅니다.",
                    "Type the title on the keyboard, key by lit-up key. Tap 'Space' between words.",
                ),
                step(
                    "title-next",
                    "contest_idea",
                    "flowNext",
                    "제목을 다 썼으면 '다음'을 누릅니다. 틀리게 눌렀으면 '지우기'로 지웁니다.",
                    "When the title is in, tap 'Next'. Tap 'Delete' to fix a wrong key.",
                ),
                typed(
                    "text",
                    "contest_idea",
                    "꽃이 피어요",
                    "이번에는 내용입니다. 같은 방법으로 써 보세요. ㄲ 같은 겹자음은 "
                    "'쌍자음'을 먼저 누르고 ㄱ을 누릅니다.",
                    "Now the text, the same way. For a double consonant such as ㄲ, tap "
                    "'Shift' first, then ㄱ.",
                ),
                step(
                    "text-next",
                    "contest_idea",
                    "flowNext",
                    "다 썼으면 '다음'을 누릅니다.",
                    "When you are done, tap 'Next'.",
                ),
                step(
                    "send",
                    "contest_idea_review",
                    "submitButton",
                    "쓴 글을 확인하고 '보내기'를 누릅니다.",
                    "Check what you wrote and tap 'Send'.",
                ),
                step(
                    "earn",
                    "points_choice",
                    "earnPoints",
                    "참여 포인트를 받으려면 '포인트 받기'를 누릅니다. "
                    "다음 화면에서 휴대전화 번호와 생년월일을 누릅니다.",
                    "To earn the points, tap 'Get points'. "
                    "Then enter your phone number and birth date.",
                ),
                *identity_steps(
                    "'확인'을 누르면 글이 보내지고 포인트가 쌓입니다.",
                    "Tap 'OK': your words are sent and the points are yours.",
                ),
            ],
        },
        {
            "id": "contest-vote",
            "title": text("공모전 작품에 투표하기", "Voting for contest entries"),
            "flow": "contest_vote",
            "summary": text(
                "마음에 드는 작품을 골라 투표하는 방법", "Choose the entries you like and vote"
            ),
            "steps": [
                *open_contest(
                    "vote",
                    "'투표하기'를 누르면 작품들이 나옵니다.",
                    "Tap 'Vote' to see the entries.",
                ),
                step(
                    "choose-entry",
                    "contest_entries",
                    "entry_ginkgo",
                    "마음에 드는 작품을 누릅니다. '정동길 은행나무'를 눌러 보세요. "
                    "다시 누르면 취소됩니다.",
                    "Tap an entry you like: try 'Ginkgo trees of Jeongdong-gil'. "
                    "Tap it again to take it back.",
                ),
                step(
                    "count",
                    "contest_entries",
                    "voteCount",
                    "여기에 고른 작품 수와 고를 수 있는 수가 보입니다.",
                    "Here you see how many you chose and how many you may.",
                    kind="look",
                ),
                step(
                    "review",
                    "contest_entries",
                    "flowNext",
                    "다 골랐으면 '다음'을 누릅니다.",
                    "When you have chosen, tap 'Next'.",
                ),
                step(
                    "send",
                    "contest_vote_review",
                    "submitButton",
                    "고른 작품을 확인하고 '투표하기'를 누릅니다.",
                    "Check your choice and tap 'Vote'.",
                ),
                step(
                    "anonymous",
                    "points_choice",
                    "earn_anonymous",
                    "포인트 없이 투표만 하려면 '포인트 없이 보내기'를 누릅니다. "
                    "그러면 번호를 누르지 않아도 됩니다.",
                    "To vote without earning points, tap 'Send without points': no number to type.",
                ),
            ],
        },
        {
            "id": "write-proposal",
            "title": text("글자판으로 정책제안 쓰기", "Writing a proposal on the keyboard"),
            "flow": "proposal",
            "summary": text(
                "우리 동에 바라는 것을 글로 써서 제안하는 방법",
                "Write what you wish for your dong and propose it",
            ),
            "steps": [
                step(
                    "open-proposals",
                    "home",
                    "tile_proposals",
                    "'정책제안'을 누릅니다.",
                    "Tap 'Policy proposals'.",
                ),
                step(
                    "write",
                    "proposals",
                    "writeProposal",
                    "'제안하기'를 누르면 새 제안을 쓸 수 있습니다.",
                    "Tap 'Make a proposal' to write a new one.",
                ),
                step(
                    "dong",
                    "proposal_new_dong",
                    "dong_hoehyeon",
                    "제안할 동을 누릅니다. 예를 들어 '회현동'을 눌러 보세요.",
                    "Tap the dong the proposal is for, for example Hoehyeon-dong.",
                ),
                step(
                    "dong-next",
                    "proposal_new_dong",
                    "flowNext",
                    "'다음'을 누릅니다.",
                    "Tap 'Next'.",
                ),
                step(
                    "topic",
                    "proposal_new_topic",
                    "topic_environment",
                    "제안의 분야를 누릅니다. '환경'을 눌러 보세요.",
                    "Tap the subject: try 'Environment'.",
                ),
                step(
                    "topic-next",
                    "proposal_new_topic",
                    "flowNext",
                    "'다음'을 누릅니다.",
                    "Tap 'Next'.",
                ),
                typed(
                    "title",
                    "proposal_new_text",
                    "골목 화단",
                    "이제 글자판으로 제목을 씁니다. 밝게 표시된 글쇠를 차례로 누르세요. "
                    "띄어 쓸 때는 '띄어쓰기'를 누릅니다.",
                    "Now type the title on the keyboard, key by lit-up key. "
                    "Tap 'Space' between words.",
                ),
                step(
                    "title-next",
                    "proposal_new_text",
                    "flowNext",
                    "제목을 다 썼으면 '다음'을 누릅니다.",
                    "When the title is in, tap 'Next'.",
                ),
                filled(
                    "body",
                    "proposal_new_text",
                    "회현동 골목길에 작은 화단을 만들어 주세요. 어르신들이 쉬어 갈 수 있습니다.",
                    "내용은 스무 글자 넘게 씁니다. 연습에서는 미리 써 둔 글이 이 칸에 "
                    "들어갑니다. 글자판으로 쓴 글은 이렇게 이 칸에 보입니다. 읽어 보세요.",
                    "The text needs more than 20 letters: in practice, a prepared text is put "
                    "in this box. What you type shows here. Read it.",
                ),
                step(
                    "body-next",
                    "proposal_new_text",
                    "flowNext",
                    "'다음'을 누르면 쓴 것을 모두 확인하는 화면이 나옵니다.",
                    "Tap 'Next' to check everything you wrote.",
                ),
                step(
                    "submit",
                    "proposal_new_review",
                    "submitButton",
                    "고칠 것이 없으면 '본인 확인하고 보내기'를 누릅니다. "
                    "다음 화면에서 휴대전화 번호와 생년월일을 누릅니다.",
                    "If all is right, tap 'Send the proposal'. "
                    "Then enter your phone number and birth date.",
                ),
                *identity_steps(
                    "'확인'을 누르면 제안이 보내집니다. 구청이 읽고 답을 드립니다.",
                    "Tap 'OK' to send your proposal. The district reads it and answers.",
                ),
            ],
        },
        {
            "id": "video",
            "title": text("영상 보기와 자막 켜기", "Watching a video with subtitles"),
            "flow": "video",
            "summary": text(
                "영상을 골라 자막을 켜고 보는 방법", "Choose a video, turn subtitles on, watch"
            ),
            "steps": [
                step(
                    "open-videos",
                    "home",
                    "tile_videos",
                    "'영상센터'를 누르면 볼 수 있는 영상이 나옵니다.",
                    "Tap 'Video centre' to see the videos you can watch.",
                ),
                step(
                    "choose-video",
                    "videos",
                    "video_ontong-guide",
                    "보고 싶은 영상을 누릅니다. '온통중구 이렇게 이용해요'를 눌러 보세요. "
                    "누르면 바로 재생됩니다.",
                    "Tap a video: try 'How to use Ontong Jung-gu'. It starts at once.",
                ),
                step(
                    "subtitles-on",
                    "video",
                    "videoSubtitles",
                    "말소리가 잘 안 들리면 '자막 켜기'를 누릅니다.",
                    "If the sound is hard to hear, tap 'Subtitles on'.",
                ),
                step(
                    "subtitles",
                    "video",
                    "videoSubtitle",
                    "자막이 영상 아래에 큰 글씨로 나옵니다.",
                    "Subtitles appear in large letters below the video.",
                    kind="look",
                ),
                step(
                    "pause",
                    "video",
                    "videoPlay",
                    "잠깐 멈추려면 '일시정지'를 누릅니다. 다시 누르면 이어서 재생됩니다.",
                    "Tap 'Pause' to stop for a moment; tap it again to go on.",
                ),
            ],
        },
        {
            "id": "share",
            "title": text("휴대폰으로 옮겨 보기 (QR)", "Taking it to your phone (QR code)"),
            "flow": "share",
            "summary": text(
                "QR 그림을 휴대폰 카메라로 비춰 집에서 이어 보는 방법",
                "Point your phone's camera at the QR code to go on at home",
            ),
            "steps": [
                *open_contest(
                    "share",
                    "'휴대폰으로 보기'를 누르면 휴대폰으로 옮길 수 있는 QR 그림이 나옵니다.",
                    "Tap 'See it on your phone' for a QR code your phone can read.",
                ),
                step(
                    "qr",
                    "share",
                    "qrCode",
                    "휴대폰 카메라를 켜고 이 네모난 그림을 화면 가운데에 비춥니다. "
                    "휴대폰에 주소가 뜨면 그 주소를 누릅니다.",
                    "Open your phone's camera and point it at this square picture. "
                    "When an address appears on the phone, tap it.",
                    kind="look",
                ),
                step(
                    "address",
                    "share",
                    "qrAddress",
                    "카메라로 읽히지 않으면 이 주소를 휴대폰 인터넷 창에 그대로 써도 됩니다.",
                    "If the camera cannot read it, type this address in the phone's browser.",
                    kind="look",
                ),
            ],
        },
        {
            "id": "exchange",
            "title": text("포인트를 상품권으로 바꾸기", "Exchanging points for a gift certificate"),
            "flow": "exchange",
            "summary": text(
                "10,000점이 넘으면 지역 상품권으로 바꾸는 방법",
                "From 10,000 points, exchange them for a local gift certificate",
            ),
            "steps": [
                *open_points(),
                *identity_steps(
                    "'확인'을 누르면 내 포인트가 나옵니다. 연습에서는 연습용 포인트가 나옵니다.",
                    "Tap 'OK' and your points appear: practice points, in practice.",
                ),
                step(
                    "balance",
                    "points_balance",
                    "pointsBalance",
                    "모은 포인트입니다. 10,000점이 넘으면 상품권으로 바꿀 수 있습니다.",
                    "Your points. From 10,000 you can exchange them for a gift certificate.",
                    kind="look",
                ),
                step(
                    "exchange",
                    "points_balance",
                    "use_exchange",
                    "'지역 상품권으로 바꾸기'를 누릅니다.",
                    "Tap 'Exchange for a gift certificate'.",
                ),
                step(
                    "amount",
                    "points_amount",
                    "amount_10000",
                    "바꿀 만큼을 누릅니다. '10,000점'을 눌러 보세요.",
                    "Tap how much to exchange: try '10,000 points'.",
                ),
                step(
                    "amount-next",
                    "points_amount",
                    "flowNext",
                    "'다음'을 누릅니다.",
                    "Tap 'Next'.",
                ),
                step(
                    "left",
                    "points_confirm",
                    "confirmLeft",
                    "바꾼 뒤에 남는 포인트가 여기에 보입니다.",
                    "Here you see the points left after the exchange.",
                    kind="look",
                ),
                step(
                    "send",
                    "points_confirm",
                    "sendButton",
                    "맞으면 '신청하기'를 누릅니다. 상품권은 동주민센터에서 받습니다.",
                    "If it is right, tap 'Apply'. You collect the certificate at the "
                    "community centre.",
                ),
            ],
        },
    ]


def lessons() -> list[dict[str, Any]]:
    """A lesson for every resident flow and each practice kiosk."""
    return [*resident_lessons(), *new_lessons(), *practice_kiosks.lessons(step)]


def resident_lessons() -> list[dict[str, Any]]:
    """The first lessons (survey, agree, vote, points)."""
    return [
        {
            "id": "survey",
            "title": text("설문에 답하기", "Answering a survey"),
            "flow": "survey",
            "summary": text(
                "설문을 고르고 답을 누르는 방법", "Choose a survey and tap your answers"
            ),
            "steps": [
                step(
                    "open-surveys",
                    "home",
                    "tile_surveys",
                    "'설문·공모'를 누르면 지금 답할 수 있는 설문이 나옵니다.",
                    "Tap 'Surveys & contests' to see the surveys you can answer.",
                ),
                step(
                    "choose-survey",
                    "surveys",
                    "survey_2026-senior-digital",
                    "답할 설문을 누릅니다. '어르신 디지털 생활 실태 조사'를 눌러 보세요.",
                    "Tap the survey to answer: 'Survey on seniors' digital life'.",
                ),
                step(
                    "start",
                    "survey_intro",
                    "startButton",
                    "'시작하기'를 누르면 첫 질문이 나옵니다.",
                    "Tap 'Start' to see the first question.",
                ),
                step(
                    "answer",
                    "survey_question",
                    "choice_70s",
                    "알맞은 답을 누릅니다. 예를 들어 '70대'를 눌러 보세요.",
                    "Tap the answer that fits you, for example '70s'.",
                ),
                step(
                    "next",
                    "survey_question",
                    "flowNext",
                    "답을 고른 뒤 '다음'을 누르면 다음 질문으로 넘어갑니다.",
                    "After choosing, tap 'Next' for the next question.",
                ),
                step(
                    "same-again",
                    "survey_question",
                    "prompt",
                    "다음 질문도 같은 방법으로 답하고, 마지막에 '보내기'를 누릅니다.",
                    "Answer the next questions the same way, then tap 'Send' at the end.",
                    kind="look",
                ),
            ],
        },
        {
            "id": "agree",
            "title": text("정책제안에 공감하기", "Agreeing with a proposal"),
            "flow": "agree",
            "summary": text(
                "주민 제안을 읽고 공감을 누르는 방법", "Read a resident's proposal and agree"
            ),
            "steps": [
                step(
                    "open-proposals",
                    "home",
                    "tile_proposals",
                    "'정책제안'을 누르면 주민들이 낸 제안이 나옵니다.",
                    "Tap 'Policy proposals' to see what residents proposed.",
                ),
                step(
                    "choose-proposal",
                    "proposals",
                    "proposal_lunch-yaksu",
                    "읽고 싶은 제안을 누릅니다. "
                    "'경로당 점심 식사 요일을 늘려 주세요'를 눌러 보세요.",
                    "Tap a proposal to read it, for example the one on lunch days.",
                ),
                step(
                    "agree-count",
                    "proposal",
                    "agreeCount",
                    "여기에 지금까지 공감한 주민 수가 보입니다. 100명이 넘으면 정책 후보가 됩니다.",
                    "This is how many residents agreed. At 100 it becomes a policy candidate.",
                    kind="look",
                ),
                step(
                    "agree",
                    "proposal",
                    "agreeButton",
                    "'공감하기'를 누릅니다. 다음 화면에서 휴대전화 번호와 생년월일을 숫자판으로 "
                    "누릅니다.",
                    "Tap 'Agree'. On the next screen, enter your phone number and birth date "
                    "on the keypad.",
                ),
                *identity_steps(
                    "'확인'을 누르면 공감이 보내집니다. 한 사람이 한 번만 공감할 수 있습니다.",
                    "Tap 'OK' to send your agreement. Each resident can agree once.",
                ),
            ],
        },
        {
            "id": "vote",
            "title": text("주민참여예산 투표하기", "Voting in the participatory budget"),
            "flow": "vote",
            "summary": text(
                "우리 동 사업을 골라 투표하는 방법", "Choose your dong's projects and vote"
            ),
            "steps": [
                step(
                    "open-budget",
                    "home",
                    "tile_budget",
                    "'주민참여예산'을 누릅니다.",
                    "Tap 'Participatory budget'.",
                ),
                step(
                    "start-vote",
                    "budget",
                    "voteButton",
                    "'투표하기'를 누르면 투표가 시작됩니다.",
                    "Tap 'Vote' to start voting.",
                ),
                step(
                    "choose-dong",
                    "budget_dongs",
                    "dong_hoehyeon",
                    "사는 동을 누릅니다. 예를 들어 '회현동'을 눌러 보세요.",
                    "Tap the dong you live in, for example Hoehyeon-dong.",
                ),
                step(
                    "choose-project",
                    "budget_projects",
                    "project_hoehyeon-handrails",
                    "원하는 사업을 누릅니다. 다시 누르면 취소됩니다.",
                    "Tap the project you want. Tap it again to take it back.",
                ),
                step(
                    "status",
                    "budget_projects",
                    "ballotStatus",
                    "여기에 고른 사업 수와 더 고를 수 있는 수가 보입니다.",
                    "Here you see how many you chose and how many are left.",
                    kind="look",
                ),
                step(
                    "review",
                    "budget_projects",
                    "flowNext",
                    "다 골랐으면 '다음'을 누릅니다.",
                    "When you have chosen, tap 'Next'.",
                ),
                step(
                    "submit",
                    "budget_review",
                    "submitButton",
                    "고른 것을 확인하고 '본인 확인하고 투표하기'를 누릅니다. "
                    "다음 화면에서 휴대전화 번호와 생년월일을 누릅니다.",
                    "Check your choice and tap 'Confirm and vote'. "
                    "Then enter your phone number and birth date.",
                ),
                *identity_steps(
                    "'확인'을 누르면 투표가 끝납니다. 투표는 한 사람이 한 번만 할 수 있습니다.",
                    "Tap 'OK' and your vote is cast. Each resident votes once.",
                ),
            ],
        },
        {
            "id": "points",
            "title": text("포인트 확인하기", "Checking your points"),
            "flow": "points",
            "summary": text("참여 포인트를 확인하는 방법", "See the points you earned"),
            "steps": [
                *open_points(),
                *identity_steps(
                    "'확인'을 누르면 내 포인트가 나옵니다.",
                    "Tap 'OK' and your points appear.",
                ),
            ],
        },
    ]


def main() -> None:
    if shutil.which("ffmpeg") is None:
        raise SystemExit("ffmpeg is needed to encode the demo video clips")
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for weight in ("Regular", "Bold"):
        if QFontDatabase.addApplicationFont(str(FONTS / f"PretendardGOV-{weight}.otf")) < 0:
            raise SystemExit(f"cannot load PretendardGOV-{weight}.otf")

    if MEDIA.exists():
        shutil.rmtree(MEDIA)
    MEDIA.mkdir(parents=True)

    poster_budget()
    poster_quiz()
    poster_welcome()
    poster_night_scout()
    poster_digital_class()

    routes = {
        "namsan": photo_namsan_trail,
        "deoksugung": photo_ginkgo,
        "cheonggyecheon": photo_stream,
        "seoullo": photo_seoullo,
    }
    route_images = {}
    for key, draw in routes.items():
        name = f"route-{key}.jpg"
        draw(name, 480, 360)
        route_images[key] = f"media/{name}"

    project_images = {kind: f"media/{project_picture(kind)}" for kind in PROJECT_DRAWINGS}
    practice_pictures = practice_kiosks.draw(MEDIA)

    manifest: dict[str, Any] = {
        "schema_version": 1,
        "content_version": "2026.11.25-demo",
        "published_at": kst("2026-11-25 09:00"),
        "district": district(),
        "files": [],
        "surveys": surveys(route_images),
        "contests": contests(),
        "proposals": proposals(),
        "budget": budget(project_images),
        "promotions": promotions(),
        "videos": videos(),
        "coaches": coaches(),
        "lessons": lessons(),
        "practice": practice_kiosks.kiosks(practice_pictures),
    }
    manifest["files"] = file_entries()
    try:
        ContentPack.model_validate(manifest)
    except ValidationError as e:
        raise SystemExit("the demo pack is not valid:\n" + "\n".join(explain(e, manifest))) from e
    (HERE / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    total = sum(f["size"] for f in manifest["files"]) + (HERE / "manifest.json").stat().st_size
    print(f"demo pack: {len(manifest['files'])} files, {total / 1024:.0f} KiB")
    del app


def write_demo_archive(out: Path) -> None:
    """The committed demo pack as one archive for the server's import."""
    with out.open("wb") as f:
        archive_folder(HERE, f)
    print(f"demo pack archive: {out} ({out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--archive", metavar="OUT", help="write the committed pack as one .zip, draw nothing"
    )
    args = parser.parse_args()
    if args.archive:
        write_demo_archive(Path(args.archive))
    else:
        main()
