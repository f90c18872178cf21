"""The demo pack's practice kiosks (issue 19) and their lessons: a café and a fast-food counter,
a clinic check-in, the 무인민원발급기 of a 동주민센터 and a subway ticket machine, as data the
kiosk's generic practice screens draw (contract.practice), with simple pictures drawn here.

The pictures are drawn with Qt's painter from shapes only (no photographs, fonts or traced
artwork), so they are the project's own and carry its licence. make_demo_pack.py calls `draw`,
`kiosks` and `lessons`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF

SIZE = 240
WHITE = QColor("#ffffff")
INK = QColor("#2b2b2b")
COFFEE = QColor("#5a3520")
MILK = QColor("#c89a6a")
TEA = QColor("#e3a21a")
STRAWBERRY = QColor("#e0566b")
BUN = QColor("#d9993f")
PATTY = QColor("#5b3a1e")
LETTUCE = QColor("#6aa84f")
CHEESE = QColor("#f4c430")
RED = QColor("#c8262c")
FRY = QColor("#f2c14e")
COLA = QColor("#3b1f14")
PAPER = QColor("#fbfbf7")


def _text(ko: str, en: str = "") -> dict[str, str]:
    return {"ko": ko, "en": en} if en else {"ko": ko}


# -- drawing ----------------------------------------------------------------------------------


def _canvas(bg: str) -> tuple[QImage, QPainter]:
    image = QImage(SIZE, SIZE, QImage.Format.Format_RGB32)
    image.fill(QColor(bg))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    return image, p


def _fill(p: QPainter, color: QColor, outline: QColor | None = INK, width: float = 4) -> None:
    p.setBrush(color)
    if outline is None:
        p.setPen(Qt.PenStyle.NoPen)
    else:
        p.setPen(QPen(outline, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))


def _cup(p: QPainter, liquid: QColor, *, iced: bool, foam: bool = False) -> None:
    """A cup with a drink: a glass with ice and a straw, or a mug with steam."""
    if iced:
        glass = QPolygonF([QPointF(62, 60), QPointF(178, 60), QPointF(162, 210), QPointF(78, 210)])
        _fill(p, QColor("#eef6fb"))
        p.drawPolygon(glass)
        _fill(p, liquid, None)
        p.drawPolygon(
            QPolygonF([QPointF(68, 95), QPointF(172, 95), QPointF(160, 204), QPointF(80, 204)])
        )
        _fill(p, QColor(255, 255, 255, 200), QColor("#9cc3dd"), 3)
        for x, y in ((84, 102), (120, 118), (100, 146)):
            p.drawRoundedRect(QRectF(x, y, 30, 28), 6, 6)
        p.setPen(QPen(QColor("#2f7fc1"), 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(140, 30), QPointF(128, 150))
    else:
        _fill(p, WHITE)
        p.drawRoundedRect(QRectF(54, 88, 112, 110), 18, 18)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawArc(QRectF(150, 110, 50, 56), -90 * 16, 180 * 16)
        _fill(p, foam and MILK or liquid, None)
        p.drawRoundedRect(QRectF(62, 96, 96, 26), 10, 10)
        if foam:
            _fill(p, QColor("#f3e3cc"), None)
            p.drawEllipse(QRectF(92, 100, 36, 16))
        p.setPen(QPen(QColor("#9a9a9a"), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.setBrush(Qt.BrushStyle.NoBrush)
        for x in (84, 110, 136):
            path = QPainterPath(QPointF(x, 78))
            path.cubicTo(QPointF(x - 12, 62), QPointF(x + 12, 50), QPointF(x, 32))
            p.drawPath(path)
        _fill(p, QColor("#d8d8d8"), INK, 3)
        p.drawEllipse(QRectF(36, 196, 148, 20))


def _cake(p: QPainter) -> None:
    _fill(p, QColor("#fff1c9"))
    p.drawPolygon(QPolygonF([QPointF(40, 170), QPointF(200, 170), QPointF(200, 110)]))
    p.drawRect(QRectF(40, 170, 160, 40))
    _fill(p, QColor("#f7d774"), None)
    p.drawRect(QRectF(43, 183, 155, 10))
    _fill(p, STRAWBERRY)
    p.drawEllipse(QRectF(170, 84, 30, 30))


def _croissant(p: QPainter) -> None:
    _fill(p, QColor("#d88c2f"))
    path = QPainterPath(QPointF(30, 160))
    path.cubicTo(QPointF(60, 40), QPointF(180, 40), QPointF(210, 160))
    path.cubicTo(QPointF(170, 120), QPointF(70, 120), QPointF(30, 160))
    p.drawPath(path)
    p.setPen(QPen(QColor("#8a4f12"), 4))
    for x in (80, 120, 160):
        p.drawLine(QPointF(x, 78), QPointF(x + (120 - x) * 0.2, 122))


def _burger(p: QPainter, cheese: bool = False, shrimp: bool = False) -> None:
    _fill(p, BUN)
    top = QPainterPath(QPointF(40, 120))
    top.cubicTo(QPointF(40, 40), QPointF(200, 40), QPointF(200, 120))
    top.closeSubpath()
    p.drawPath(top)
    _fill(p, LETTUCE)
    p.drawRoundedRect(QRectF(34, 118, 172, 18), 9, 9)
    if cheese:
        _fill(p, CHEESE)
        p.drawPolygon(
            QPolygonF([QPointF(40, 132), QPointF(200, 132), QPointF(180, 156), QPointF(60, 150)])
        )
    _fill(p, QColor("#f08a5d") if shrimp else PATTY)
    p.drawRoundedRect(QRectF(38, 140, 164, 28), 14, 14)
    _fill(p, BUN)
    p.drawRoundedRect(QRectF(42, 170, 156, 32), 14, 14)
    _fill(p, QColor("#fff6d5"), None)
    for x, y in ((90, 70), (120, 60), (150, 72)):
        p.drawEllipse(QRectF(x, y, 10, 6))


def _fries(p: QPainter) -> None:
    _fill(p, FRY)
    for i, x in enumerate(range(66, 170, 16)):
        p.drawRoundedRect(QRectF(x, 40 + (i % 3) * 12, 14, 110), 4, 4)
    _fill(p, RED)
    p.drawPolygon(
        QPolygonF([QPointF(56, 110), QPointF(184, 110), QPointF(168, 210), QPointF(72, 210)])
    )
    _fill(p, CHEESE, None)
    p.drawEllipse(QRectF(104, 140, 32, 32))


def _soda(p: QPainter, liquid: QColor) -> None:
    _fill(p, WHITE)
    p.drawPolygon(
        QPolygonF([QPointF(66, 70), QPointF(174, 70), QPointF(160, 212), QPointF(80, 212)])
    )
    _fill(p, RED, None)
    p.drawRect(QRectF(74, 120, 92, 40))
    _fill(p, liquid)
    p.drawRoundedRect(QRectF(58, 56, 124, 18), 8, 8)
    p.setPen(QPen(QColor("#2f7fc1"), 9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(130, 56), QPointF(150, 20))


def _nuggets(p: QPainter) -> None:
    _fill(p, QColor("#ffd9a0"))
    p.drawRoundedRect(QRectF(40, 120, 160, 86), 14, 14)
    _fill(p, QColor("#c98a3a"))
    for x, y in ((56, 80), (104, 70), (150, 84), (80, 108), (128, 104)):
        p.drawEllipse(QRectF(x, y, 46, 38))


def _document(p: QPainter, band: QColor) -> None:
    _fill(p, PAPER)
    p.drawRect(QRectF(52, 24, 136, 192))
    _fill(p, band, None)
    p.drawRect(QRectF(54, 26, 133, 30))
    p.setPen(QPen(QColor("#9a9a9a"), 5))
    for y in range(78, 180, 20):
        p.drawLine(QPointF(70, y), QPointF(170 if y % 40 else 140, y))
    p.setPen(QPen(QColor("#c8262c"), 5))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QRectF(138, 160, 36, 36))


def _fingerprint(p: QPainter) -> None:
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("#12325c"), 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for r in range(14, 96, 14):
        p.drawArc(QRectF(120 - r, 128 - r * 1.25, 2 * r, 2.5 * r), 20 * 16, 300 * 16)
    _fill(p, QColor("#dcebfa"), QColor("#12325c"), 5)


def _ticket(p: QPainter) -> None:
    _fill(p, QColor("#0b6e3b"))
    p.drawRoundedRect(QRectF(30, 70, 180, 112), 14, 14)
    _fill(p, WHITE, None)
    p.drawRoundedRect(QRectF(48, 92, 60, 40), 8, 8)
    p.drawEllipse(QRectF(150, 110, 40, 40))
    _fill(p, QColor("#0b6e3b"), None)
    p.drawEllipse(QRectF(160, 120, 20, 20))


def _charge(p: QPainter) -> None:
    _ticket(p)
    p.setPen(QPen(QColor("#c8262c"), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(120, 16), QPointF(120, 60))
    p.drawLine(QPointF(98, 38), QPointF(142, 38))


def _here(p: QPainter) -> None:
    """Eating in: a tray with a plate."""
    _fill(p, QColor("#b07a46"))
    p.drawRoundedRect(QRectF(24, 120, 192, 70), 12, 12)
    _fill(p, WHITE)
    p.drawEllipse(QRectF(60, 96, 120, 70))
    _fill(p, QColor("#e3e3e3"), None)
    p.drawEllipse(QRectF(84, 110, 72, 42))


def _takeout(p: QPainter) -> None:
    """Taking away: a paper bag."""
    _fill(p, QColor("#c9a26b"))
    p.drawPolygon(
        QPolygonF([QPointF(56, 80), QPointF(184, 80), QPointF(196, 214), QPointF(44, 214)])
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(INK, 6))
    p.drawArc(QRectF(86, 40, 68, 80), 0, 180 * 16)


PICTURES: dict[str, tuple[str, Callable[[QPainter], None]]] = {
    "americano": ("#fdf3e7", lambda p: _cup(p, COFFEE, iced=False)),
    "latte": ("#fdf3e7", lambda p: _cup(p, MILK, iced=False, foam=True)),
    "vanilla": ("#fdf3e7", lambda p: _cup(p, QColor("#d9b98c"), iced=True)),
    "yuja": ("#fff8dc", lambda p: _cup(p, TEA, iced=False)),
    "strawberry": ("#fdeef1", lambda p: _cup(p, STRAWBERRY, iced=True)),
    "icetea": ("#fff8dc", lambda p: _cup(p, QColor("#b5651d"), iced=True)),
    "cake": ("#fdf3e7", _cake),
    "croissant": ("#fdf3e7", _croissant),
    "bulgogi": ("#fff4e0", lambda p: _burger(p)),
    "cheese": ("#fff4e0", lambda p: _burger(p, cheese=True)),
    "shrimp": ("#fff4e0", lambda p: _burger(p, shrimp=True)),
    "fries": ("#fff4e0", _fries),
    "nuggets": ("#fff4e0", _nuggets),
    "cola": ("#fff4e0", lambda p: _soda(p, COLA)),
    "cider": ("#fff4e0", lambda p: _soda(p, QColor("#dff3e3"))),
    "here": ("#f3f3f3", _here),
    "takeout": ("#f3f3f3", _takeout),
    "doc-resident": ("#eef3fa", lambda p: _document(p, QColor("#1a4f91"))),
    "doc-abstract": ("#eef3fa", lambda p: _document(p, QColor("#5b3a8c"))),
    "doc-family": ("#eef3fa", lambda p: _document(p, QColor("#1d5e37"))),
    "doc-land": ("#eef3fa", lambda p: _document(p, QColor("#8a3d00"))),
    "fingerprint": ("#ffffff", _fingerprint),
    "ticket": ("#eef7f1", _ticket),
    "charge": ("#eef7f1", _charge),
}


def draw(media: Path) -> dict[str, str]:
    """Draw every picture into `media`; picture key -> its path in the pack."""
    out = {}
    for key, (bg, paint) in PICTURES.items():
        image, p = _canvas(bg)
        paint(p)
        p.end()
        name = f"practice-{key}.png"
        if not image.save(str(media / name), "PNG"):
            raise SystemExit(f"could not write {name}")
        out[key] = f"media/{name}"
    return out


# -- the kiosks -------------------------------------------------------------------------------


def _choice(cid: str, ko: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "label": _text(ko, en), **extra}


def _item(iid: str, ko: str, en: str, price: int, image: str, options: list[str]) -> dict[str, Any]:
    return {"id": iid, "name": _text(ko, en), "price": price, "image": image, "options": options}


def _certificate(cid: str, ko: str, en: str, fee: int, pic: dict[str, str]) -> dict[str, Any]:
    """A certificate of the 무인민원발급기 with its fee (shown as its price)."""
    return _choice(cid, ko, en, price=fee, image=pic[f"doc-{cid}"])


def _where(pic: dict[str, str]) -> dict[str, Any]:
    return {
        "id": "where",
        "kind": "choose",
        "title": _text("어디에서 드시나요?", "Eating here or taking away?"),
        "choices": [
            _choice("here", "매장에서 먹기", "Eat here", image=pic["here"]),
            _choice("takeout", "포장하기", "Take away", image=pic["takeout"]),
        ],
    }


def _pay(ko: str = "주문 내용을 확인하세요", en: str = "Check your order") -> dict[str, Any]:
    return {"id": "pay", "kind": "pay", "title": _text(ko, en)}


def kiosks(pic: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": "cafe",
            "title": _text("카페 주문", "Café order"),
            "sign": _text("온통 카페", "Ontong Café"),
            "color": "#6b3e26",
            "option_groups": [
                {
                    "id": "temp",
                    "title": _text("따뜻하게, 차갑게?", "Hot or iced?"),
                    "choices": [
                        _choice("hot", "따뜻하게 (HOT)", "Hot"),
                        _choice("ice", "차갑게 (ICE)", "Iced"),
                    ],
                },
                {
                    "id": "size",
                    "title": _text("컵 크기", "Cup size"),
                    "choices": [
                        _choice("regular", "보통", "Regular"),
                        _choice("large", "큰 컵", "Large", price=500),
                    ],
                },
            ],
            "pages": [
                _where(pic),
                {
                    "id": "menu",
                    "kind": "menu",
                    "title": _text("메뉴를 고르세요", "Choose from the menu"),
                    "categories": [
                        {
                            "id": "coffee",
                            "title": _text("커피", "Coffee"),
                            "items": [
                                _item(
                                    "americano",
                                    "아메리카노",
                                    "Americano",
                                    2000,
                                    pic["americano"],
                                    ["temp", "size"],
                                ),
                                _item(
                                    "latte",
                                    "카페라테",
                                    "Caffè latte",
                                    3000,
                                    pic["latte"],
                                    ["temp", "size"],
                                ),
                                _item(
                                    "vanilla",
                                    "바닐라라테",
                                    "Vanilla latte",
                                    3500,
                                    pic["vanilla"],
                                    ["temp", "size"],
                                ),
                            ],
                        },
                        {
                            "id": "tea",
                            "title": _text("차·음료", "Tea & drinks"),
                            "items": [
                                _item("yuja", "유자차", "Yuja tea", 3500, pic["yuja"], ["temp"]),
                                _item(
                                    "strawberry",
                                    "딸기라테",
                                    "Strawberry latte",
                                    4000,
                                    pic["strawberry"],
                                    [],
                                ),
                                _item("icetea", "아이스티", "Iced tea", 3000, pic["icetea"], []),
                            ],
                        },
                        {
                            "id": "dessert",
                            "title": _text("디저트", "Desserts"),
                            "items": [
                                _item("cake", "치즈케이크", "Cheesecake", 4500, pic["cake"], []),
                                _item(
                                    "croissant", "크루아상", "Croissant", 3000, pic["croissant"], []
                                ),
                            ],
                        },
                    ],
                },
                _pay(),
                {
                    "id": "done",
                    "kind": "done",
                    "title": _text("주문이 끝났습니다 (연습)", "Order placed (practice)"),
                    "say": _text(
                        "주문 번호입니다. 화면에 이 번호가 나오면 음료를 받으세요.",
                        "Your order number: collect your drink when it is shown.",
                    ),
                    "number": "17",
                },
            ],
        },
        {
            "id": "burger",
            "title": _text("햄버거 가게 주문", "Burger shop order"),
            "sign": _text("온통 버거", "Ontong Burger"),
            "color": "#9e1c16",
            "option_groups": [
                {
                    "id": "set",
                    "title": _text("단품, 세트?", "On its own or a set?"),
                    "choices": [
                        _choice("single", "단품", "On its own"),
                        _choice("set", "세트 (감자튀김·콜라)", "Set (fries and cola)", price=2500),
                    ],
                },
                {
                    "id": "size",
                    "title": _text("크기", "Size"),
                    "choices": [
                        _choice("regular", "보통", "Regular"),
                        _choice("large", "큰 것", "Large", price=700),
                    ],
                },
            ],
            "pages": [
                _where(pic),
                {
                    "id": "menu",
                    "kind": "menu",
                    "title": _text("메뉴를 고르세요", "Choose from the menu"),
                    "categories": [
                        {
                            "id": "burgers",
                            "title": _text("버거", "Burgers"),
                            "items": [
                                _item(
                                    "bulgogi",
                                    "불고기버거",
                                    "Bulgogi burger",
                                    4500,
                                    pic["bulgogi"],
                                    ["set"],
                                ),
                                _item(
                                    "cheese",
                                    "치즈버거",
                                    "Cheeseburger",
                                    4800,
                                    pic["cheese"],
                                    ["set"],
                                ),
                                _item(
                                    "shrimp",
                                    "새우버거",
                                    "Shrimp burger",
                                    4700,
                                    pic["shrimp"],
                                    ["set"],
                                ),
                            ],
                        },
                        {
                            "id": "sides",
                            "title": _text("사이드", "Sides"),
                            "items": [
                                _item("fries", "감자튀김", "Fries", 2000, pic["fries"], ["size"]),
                                _item(
                                    "nuggets",
                                    "치킨너겟",
                                    "Chicken nuggets",
                                    2500,
                                    pic["nuggets"],
                                    [],
                                ),
                            ],
                        },
                        {
                            "id": "drinks",
                            "title": _text("음료", "Drinks"),
                            "items": [
                                _item("cola", "콜라", "Cola", 1800, pic["cola"], ["size"]),
                                _item(
                                    "cider", "사이다", "Lemon soda", 1800, pic["cider"], ["size"]
                                ),
                            ],
                        },
                    ],
                },
                _pay(),
                {
                    "id": "done",
                    "kind": "done",
                    "title": _text("주문이 끝났습니다 (연습)", "Order placed (practice)"),
                    "say": _text(
                        "주문 번호입니다. 영수증을 챙기고, 번호가 불리면 받으러 가세요.",
                        "Your order number: keep the receipt and go when it is called.",
                    ),
                    "number": "105",
                },
            ],
        },
        {
            "id": "clinic",
            "title": _text("병원 접수", "Clinic check-in"),
            "sign": _text("온통 의원 접수", "Ontong Clinic check-in"),
            "color": "#1d5e37",
            "pages": [
                {
                    "id": "start",
                    "kind": "choose",
                    "title": _text("접수를 시작합니다", "Check-in"),
                    "say": _text("이 병원에 처음 오셨나요?", "Is this your first visit here?"),
                    "choices": [
                        _choice("first", "처음 왔어요", "First visit"),
                        _choice("return", "전에 온 적이 있어요", "I have been here before"),
                    ],
                },
                {
                    "id": "dept",
                    "kind": "choose",
                    "title": _text("진료과를 고르세요", "Choose the department"),
                    "choices": [
                        _choice(
                            "internal",
                            "내과",
                            "Internal medicine",
                            detail=_text("감기, 배탈, 혈압", "Colds, stomach, blood pressure"),
                        ),
                        _choice(
                            "ortho",
                            "정형외과",
                            "Orthopaedics",
                            detail=_text("허리, 무릎, 어깨", "Back, knees, shoulders"),
                        ),
                        _choice(
                            "eye",
                            "안과",
                            "Eyes",
                            detail=_text("눈이 침침할 때", "When sight is blurred"),
                        ),
                        _choice(
                            "dental", "치과", "Dentist", detail=_text("이, 잇몸", "Teeth, gums")
                        ),
                    ],
                },
                {
                    "id": "ticket",
                    "kind": "done",
                    "title": _text("접수가 끝났습니다 (연습)", "Checked in (practice)"),
                    "say": _text(
                        "대기 번호입니다. 앞에 3명이 있습니다. 번호가 불리면 진료실로 가세요.",
                        "Your number: 3 people before you. Go in when it is called.",
                    ),
                    "number": "23",
                },
            ],
        },
        {
            "id": "civil",
            "title": _text("무인민원발급기 (동주민센터)", "Civil documents machine"),
            "sign": _text("무인민원발급기 · 중구", "Civil documents · Jung-gu"),
            "color": "#12325c",
            "pages": [
                {
                    "id": "doc",
                    "kind": "choose",
                    "title": _text("발급할 증명서를 고르세요", "Choose a certificate"),
                    "choices": [
                        _certificate(
                            "resident", "주민등록등본", "Resident registration copy", 200, pic
                        ),
                        _certificate(
                            "abstract", "주민등록초본", "Resident registration abstract", 200, pic
                        ),
                        _certificate(
                            "family", "가족관계증명서", "Family relation certificate", 500, pic
                        ),
                        _certificate("land", "토지대장", "Land register", 500, pic),
                    ],
                },
                {
                    "id": "finger",
                    "kind": "notice",
                    "title": _text("본인 확인", "Identity check"),
                    "say": _text(
                        "실제 기계에서는 주민등록번호를 누르고 지문 인식기에 손가락을 댑니다. "
                        "연습에서는 '확인'을 누르세요.",
                        "A real machine asks your resident number and a fingerprint. "
                        "In practice, tap 'OK'.",
                    ),
                    "image": pic["fingerprint"],
                    "button": _text("지문을 댄 것으로 하고 확인", "OK (as if the finger was read)"),
                },
                {
                    "id": "history",
                    "kind": "choose",
                    "title": _text("넣을 내용을 고르세요", "What to include"),
                    "say": _text(
                        "과거 주소 변동 사항을 넣을까요?", "Include earlier changes of address?"
                    ),
                    "choices": [
                        _choice("without", "넣지 않음 (최근 주소만)", "No (latest address only)"),
                        _choice("with", "넣음 (전체 주소)", "Yes (all addresses)"),
                    ],
                },
                _pay("수수료를 확인하세요", "Check the fee"),
                {
                    "id": "done",
                    "kind": "done",
                    "title": _text("발급이 끝났습니다 (연습)", "Issued (practice)"),
                    "say": _text(
                        "실제 기계에서는 아래 출구로 증명서가 나옵니다. "
                        "카드와 증명서를 꼭 챙기세요.",
                        "A real machine prints the certificate below. Take your card and it.",
                    ),
                },
            ],
        },
        {
            "id": "subway",
            "title": _text("지하철 승차권 발매기", "Subway ticket machine"),
            "sign": _text("1회용 교통카드 발매기", "Single-journey ticket machine"),
            "color": "#085c31",
            "pages": [
                {
                    "id": "what",
                    "kind": "choose",
                    "title": _text("무엇을 하시겠어요?", "What would you like to do?"),
                    "choices": [
                        _choice(
                            "single",
                            "1회용 교통카드 사기",
                            "Buy a single-journey ticket",
                            image=pic["ticket"],
                        ),
                        _choice(
                            "charge", "교통카드 충전", "Top up a transit card", image=pic["charge"]
                        ),
                    ],
                },
                {
                    "id": "station",
                    "kind": "choose",
                    "title": _text("내릴 역을 고르세요", "Choose where you get off"),
                    "say": _text(
                        "요금에는 보증금 500원이 들어 있습니다. 내린 역에서 돌려받습니다.",
                        "The fare includes a 500 won deposit you get back at the end.",
                    ),
                    "choices": [
                        _choice(
                            "cityhall",
                            "시청",
                            "City Hall",
                            price=1900,
                            detail=_text("1호선·2호선", "Lines 1 and 2"),
                        ),
                        _choice(
                            "myeongdong",
                            "명동",
                            "Myeong-dong",
                            price=1900,
                            detail=_text("4호선", "Line 4"),
                        ),
                        _choice(
                            "euljiro",
                            "을지로입구",
                            "Euljiro 1-ga",
                            price=1900,
                            detail=_text("2호선", "Line 2"),
                        ),
                        _choice(
                            "seoulstation",
                            "서울역",
                            "Seoul Station",
                            price=1900,
                            detail=_text("1호선·4호선", "Lines 1 and 4"),
                        ),
                        _choice(
                            "ddp",
                            "동대문역사문화공원",
                            "Dongdaemun History & Culture Park",
                            price=1900,
                            detail=_text("2·4·5호선", "Lines 2, 4, 5"),
                        ),
                        _choice(
                            "suwon",
                            "수원",
                            "Suwon",
                            price=3300,
                            detail=_text("1호선 (멀리)", "Line 1 (far)"),
                        ),
                    ],
                },
                _pay("요금을 확인하세요", "Check the fare"),
                {
                    "id": "done",
                    "kind": "done",
                    "title": _text("승차권이 나왔습니다 (연습)", "Ticket issued (practice)"),
                    "say": _text(
                        "아래 꺼내는 곳에서 교통카드를 챙기세요. 내린 역의 보증금 환급기에 "
                        "넣으면 500원을 돌려받습니다.",
                        "Take the card below. Put it in the refund machine where you get off "
                        "for your 500 won.",
                    ),
                },
            ],
        },
    ]


# -- the lessons ------------------------------------------------------------------------------


Step = Callable[..., dict[str, Any]]


def lessons(step: Step) -> list[dict[str, Any]]:
    """A lesson for each practice kiosk; `step` makes one step (make_demo_pack.step)."""

    def r(kiosk: str, page: str, sub: str | None = None) -> str:
        name = f"practice_{kiosk}_{page}"
        return f"{name}_{sub}" if sub else name

    def paying(kiosk: str) -> list[dict[str, Any]]:
        return [
            step(
                "total",
                r(kiosk, "pay"),
                "payTotal",
                "결제할 금액을 확인합니다.",
                "Check the amount to pay.",
                kind="look",
            ),
            step(
                "pay-card",
                r(kiosk, "pay"),
                "payCard",
                "'카드로 결제하기'를 누릅니다.",
                "Tap 'Pay by card'.",
            ),
            step(
                "reader",
                r(kiosk, "pay", "card"),
                "cardReader",
                "카드 단말기입니다. 카드를 꽂거나 단말기 위에 댑니다.",
                "This is the card reader: insert the card or hold it on the reader.",
                kind="look",
            ),
            step(
                "insert-card",
                r(kiosk, "pay", "card"),
                "insertCard",
                "아래 단추를 눌러 화면의 카드를 꽂아 보세요. "
                "카드 단말기가 달려 있으면 카드를 대도 됩니다.",
                "Tap the button below to insert the card on the screen, "
                "or hold a card on the reader.",
            ),
        ]

    def ordering(kiosk: str, item: str, item_ko: str, item_en: str) -> list[dict[str, Any]]:
        return [
            step(
                "where",
                r(kiosk, "where"),
                "choice_here",
                "먼저 매장에서 먹을지, 포장할지 고릅니다. '매장에서 먹기'를 누르세요.",
                "First choose eating here or taking away: tap 'Eat here'.",
            ),
            step(
                "category",
                r(kiosk, "menu"),
                "category_" + ("coffee" if kiosk == "cafe" else "burgers"),
                "위쪽의 분류를 누르면 그 메뉴들이 나옵니다.",
                "The tabs at the top show each kind of menu.",
            ),
            step(
                "item",
                r(kiosk, "menu"),
                f"menu_{item}",
                f"'{item_ko}' 그림을 누릅니다.",
                f"Tap the picture of '{item_en}'.",
            ),
        ]

    return [
        {
            "id": "cafe",
            "title": _text(
                "카페에서 주문하고 카드로 결제하기", "Ordering at a café, paying by card"
            ),
            "flow": "cafe",
            "start": r("cafe", "where"),
            "summary": _text(
                "연습용 카페 키오스크 (실제 결제 없음)", "A practice café kiosk (no real payment)"
            ),
            "steps": [
                *ordering("cafe", "americano", "아메리카노", "Americano"),
                step(
                    "iced",
                    r("cafe", "menu", "options"),
                    "option_temp-ice",
                    "차갑게 마시려면 '차갑게 (ICE)'를 누릅니다.",
                    "For an iced drink tap 'Iced'.",
                ),
                step(
                    "add",
                    r("cafe", "menu", "options"),
                    "addToCart",
                    "'담기'를 누르면 장바구니에 들어갑니다.",
                    "Tap 'Add' to put it in the cart.",
                ),
                step(
                    "cart",
                    r("cafe", "menu"),
                    "cart",
                    "담은 것이 아래에 보입니다. '+'와 '−'로 개수를 바꿉니다.",
                    "Your cart is below: '+' and '−' change how many.",
                    kind="look",
                ),
                step("order", r("cafe", "menu"), "order", "'주문하기'를 누릅니다.", "Tap 'Order'."),
                *paying("cafe"),
                step(
                    "number",
                    r("cafe", "done"),
                    "number",
                    "주문 번호입니다. 이 번호가 나오면 음료를 받습니다.",
                    "Your order number: collect your drink when it is shown.",
                    kind="look",
                ),
            ],
        },
        {
            "id": "burger",
            "title": _text("햄버거 가게에서 세트 주문하기", "Ordering a burger set"),
            "flow": "burger",
            "start": r("burger", "where"),
            "summary": _text(
                "연습용 패스트푸드 키오스크 (실제 결제 없음)",
                "A practice fast-food kiosk (no real payment)",
            ),
            "steps": [
                *ordering("burger", "bulgogi", "불고기버거", "Bulgogi burger"),
                step(
                    "set",
                    r("burger", "menu", "options"),
                    "option_set-set",
                    "감자튀김과 콜라도 함께 먹으려면 '세트'를 누릅니다.",
                    "For fries and a cola too, tap 'Set'.",
                ),
                step(
                    "add",
                    r("burger", "menu", "options"),
                    "addToCart",
                    "'담기'를 누릅니다.",
                    "Tap 'Add'.",
                ),
                step(
                    "more",
                    r("burger", "menu"),
                    "cartMore_1",
                    "두 개를 사려면 '+'를 누릅니다.",
                    "To buy two, tap '+'.",
                ),
                step(
                    "order", r("burger", "menu"), "order", "'주문하기'를 누릅니다.", "Tap 'Order'."
                ),
                *paying("burger"),
                step(
                    "number",
                    r("burger", "done"),
                    "number",
                    "주문 번호입니다. 번호가 불리면 받으러 갑니다.",
                    "Your order number: go when it is called.",
                    kind="look",
                ),
            ],
        },
        {
            "id": "clinic",
            "title": _text("병원에서 접수하기", "Checking in at a clinic"),
            "flow": "clinic",
            "start": r("clinic", "start"),
            "summary": _text("연습용 병원 접수 키오스크", "A practice clinic check-in kiosk"),
            "steps": [
                step(
                    "first-visit",
                    r("clinic", "start"),
                    "choice_return",
                    "전에 온 적이 있으면 '전에 온 적이 있어요'를 누릅니다.",
                    "If you have been before, tap 'I have been here before'.",
                ),
                step(
                    "department",
                    r("clinic", "dept"),
                    "choice_internal",
                    "진료받을 과를 누릅니다. '내과'를 눌러 보세요.",
                    "Tap the department: try 'Internal medicine'.",
                ),
                step(
                    "ticket",
                    r("clinic", "ticket"),
                    "number",
                    "번호표 번호입니다. 화면에 이 번호가 나오면 진료실로 갑니다.",
                    "Your ticket number: go in when it is shown on the screen.",
                    kind="look",
                ),
            ],
        },
        {
            "id": "civil",
            "title": _text(
                "무인민원발급기로 주민등록등본 떼기",
                "A resident registration copy from the machine",
            ),
            "flow": "civil",
            "start": r("civil", "doc"),
            "summary": _text(
                "동주민센터의 무인민원발급기 연습 (실제 발급 없음)",
                "Practise the civil documents machine (nothing is issued)",
            ),
            "steps": [
                step(
                    "doc",
                    r("civil", "doc"),
                    "choice_resident",
                    "발급할 증명서를 누릅니다. '주민등록등본'을 누르세요.",
                    "Tap the certificate: 'Resident registration copy'.",
                ),
                step(
                    "finger",
                    r("civil", "finger"),
                    "noticeOk",
                    "실제로는 여기서 지문을 댑니다. 연습에서는 '확인'을 누릅니다.",
                    "A real machine reads your finger here; in practice tap 'OK'.",
                ),
                step(
                    "history",
                    r("civil", "history"),
                    "choice_without",
                    "보통은 '넣지 않음'을 고릅니다.",
                    "Usually choose 'No'.",
                ),
                *paying("civil"),
            ],
        },
        {
            "id": "subway",
            "title": _text("지하철 1회용 교통카드 사기", "Buying a single subway ticket"),
            "flow": "subway",
            "start": r("subway", "what"),
            "summary": _text(
                "지하철역 승차권 발매기 연습 (실제 결제 없음)",
                "Practise the subway ticket machine (no real payment)",
            ),
            "steps": [
                step(
                    "what",
                    r("subway", "what"),
                    "choice_single",
                    "'1회용 교통카드 사기'를 누릅니다.",
                    "Tap 'Buy a single-journey ticket'.",
                ),
                step(
                    "station",
                    r("subway", "station"),
                    "choice_seoulstation",
                    "내릴 역을 누릅니다. '서울역'을 눌러 보세요.",
                    "Tap where you get off: try 'Seoul Station'.",
                ),
                *paying("subway"),
            ],
        },
    ]
