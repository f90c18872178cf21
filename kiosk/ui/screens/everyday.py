"""Practice kiosks of everyday life (issue 9, part 4): a café order paid by card, with an on-screen
card reader, and a hospital check-in. Nothing is ordered, paid or booked; a band on every one of
these screens says so. The lessons (the pack's `lessons` with flow "cafe" and "clinic") are
played over them by the same lesson engine as the resident flows (kiosk.ui.lesson).

The order and the check-in are flow objects in the route (kiosk.domain.everyday), so a rebuild
keeps them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.domain.everyday import CAFE_MENU, CLINIC_DEPARTMENTS, CafeOrder, ClinicVisit
from kiosk.domain.money import won_text
from kiosk.ui.flow import end_step
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen
from kiosk.ui.theme import Palette
from kiosk.ui.widgets import WrapButton, columns_for, grid, label

CAFE_MENU_ROUTE = "cafe_menu"
CAFE_PAY = "cafe_pay"
CAFE_CARD = "cafe_card"
CAFE_DONE = "cafe_done"
CLINIC_START = "clinic_start"
CLINIC_DEPT = "clinic_dept"
CLINIC_TICKET = "clinic_ticket"
# How long the card takes to slide into the reader; tests shorten it.
CARD_ANIMATION_MS = 900


class _PracticeScreen(Screen):
    """A practice kiosk's page: the practice band and its heading (`heading_id`, else the
    title), then what `practice()` builds."""

    heading_id: ClassVar[str | None] = None

    def build(self) -> None:
        self.head(self.heading_id or self.title_id)
        self.practice()

    def practice(self) -> None:
        raise NotImplementedError

    def add_grid(self, buttons: list[WrapButton], *, most: int) -> None:
        """The page's large buttons in a grid, at most `most` a row."""
        m = self.env.theme.metrics
        holder = QWidget()
        columns = columns_for(self.env.width, m.tile_px * 6, most=most)
        holder.setLayout(grid(buttons, columns, m.gap_px * 2))
        self.box.addWidget(holder)

    def cafe_order(self) -> CafeOrder:
        """The order the route carries; one americano when a page opens alone (a lesson step)."""
        order: CafeOrder | None = self.params.get("order")
        return order or CafeOrder(cups={"americano": 1})

    def head(self, title_id: str) -> None:
        band = label(self.env.tr("everyday.practice_band"), "banner")
        band.setObjectName("everydayBand")
        # Body size, as the practice band of a coached session: the screen is the point.
        m = self.env.theme.metrics
        band.setStyleSheet(f"font-size: {m.body_px}px; padding: {m.gap_px}px;")
        self.box.addWidget(band)
        self.box.addWidget(label(self.env.tr(title_id), "title"))


# -- café -----------------------------------------------------------------------------------------


class CafeMenuScreen(_PracticeScreen):
    """The menu: three drinks, the basket line and 주문하기. Route params: order."""

    title_id = "everyday.cafe.title"

    def practice(self) -> None:
        env = self.env
        self.order: CafeOrder = self.params.get("order") or CafeOrder()
        self.box.addWidget(label(env.tr("everyday.cafe.menu"), "question"))
        items = []
        for item, price in CAFE_MENU.items():
            button = env.button(
                env.tr(f"everyday.cafe.item.{item}"), (won_text(price), None), name=f"menu_{item}"
            )
            button.clicked.connect(lambda _=False, i=item: self.on_item(i))
            items.append(button)
        self.add_grid(items, most=3)
        self.cart = label("", "strong")
        self.cart.setObjectName("cafeCart")
        self.box.addWidget(self.cart)
        self.order_button = env.button(
            env.tr("everyday.cafe.order"), role="primary", name="cafeOrder"
        )
        self.order_button.clicked.connect(self.on_order)
        end_step(self.box, self.order_button)
        self._show()

    def _show(self) -> None:
        env, order = self.env, self.order
        if order.count:
            self.cart.setText(
                env.tr("everyday.cafe.cart", cups=order.count, total=won_text(order.total))
            )
        else:
            self.cart.setText(env.tr("everyday.cafe.cart_empty"))
        self.order_button.setEnabled(order.can_order)

    def on_item(self, item: str) -> None:
        self.order.add(item)
        self._show()

    def on_order(self) -> None:
        if self.order.can_order:
            self.env.shell.navigate(Route(CAFE_PAY, {"order": self.order}))


class CafePayScreen(_PracticeScreen):
    title_id = "everyday.cafe.pay.title"

    def practice(self) -> None:
        env = self.env
        self.order = self.cafe_order()
        total = label(env.tr("everyday.cafe.pay.total", total=won_text(self.order.total)), "notice")
        total.setObjectName("payTotal")
        self.box.addWidget(total)
        card = env.button(env.tr("everyday.cafe.pay.card"), role="primary", name="payCard")
        card.clicked.connect(lambda: env.shell.navigate(Route(CAFE_CARD, {"order": self.order})))
        self.box.addWidget(card)
        self.box.addStretch(1)


class CardReader(QWidget):
    """A drawn card terminal with a slot; `insert()` slides a card into it, then `done`."""

    def __init__(self, palette: Palette, height: int, on_done: Callable[[], None]) -> None:
        super().__init__()
        self.setObjectName("cardReader")
        self.palette_ = palette
        self.progress = 0.0
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.animation = QVariantAnimation(self)
        self.animation.setStartValue(0.0)
        self.animation.setEndValue(1.0)
        self.animation.setDuration(CARD_ANIMATION_MS)
        self.animation.valueChanged.connect(self._moved)
        self.animation.finished.connect(on_done)

    def insert(self) -> None:
        if self.animation.state() != QVariantAnimation.State.Running and self.progress < 1.0:
            self.animation.start()

    def _moved(self, value: float) -> None:  # QVariantAnimation.valueChanged: a float here
        self.progress = float(value)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette_
        h = self.height()
        w = min(self.width(), int(h * 0.8))
        x0 = (self.width() - w) / 2
        slot_y = h * 0.4
        # The card above the terminal, sliding down into the slot on its top edge (the part
        # already inside is hidden behind the clip).
        card_w, card_h = w * 0.6, h * 0.32
        top = h * 0.06 + h * 0.36 * self.progress
        p.save()
        p.setClipRect(QRectF(0, 0, self.width(), slot_y))
        p.setBrush(QColor(pal.primary))
        p.setPen(QPen(QColor(pal.focus_frame), 3))
        p.drawRoundedRect(QRectF((self.width() - card_w) / 2, top, card_w, card_h), 12, 12)
        p.setBrush(QColor(pal.focus_fill))  # the chip
        p.drawRoundedRect(
            QRectF(
                self.width() / 2 - card_w * 0.3, top + card_h * 0.55, card_w * 0.18, card_h * 0.25
            ),
            4,
            4,
        )
        p.restore()
        # The terminal: a body, its slot, a small screen and a keypad of dots.
        p.setPen(QPen(QColor(pal.border), 4))
        p.setBrush(QColor(pal.surface))
        p.drawRoundedRect(QRectF(x0, slot_y, w, h * 0.58), 24, 24)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(pal.text))
        p.drawRoundedRect(QRectF(x0 + w * 0.15, slot_y - h * 0.015, w * 0.7, h * 0.04), 4, 4)
        screen = QRectF(x0 + w * 0.15, h * 0.5, w * 0.7, h * 0.16)
        p.setBrush(QColor(pal.banner))
        p.drawRoundedRect(screen, 8, 8)
        if self.progress >= 1.0:
            p.setPen(QPen(QColor(pal.on_banner), max(3, h * 0.015)))
            c = screen.center()
            s = screen.height() * 0.3
            p.drawPolyline(
                [
                    QPointF(c.x() - s, c.y()),
                    QPointF(c.x() - s * 0.2, c.y() + s * 0.7),
                    QPointF(c.x() + s, c.y() - s * 0.7),
                ]
            )
            p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(pal.border))
        for row in range(2):
            for col in range(3):
                cx = x0 + w * (0.3 + 0.2 * col)
                cy = h * (0.75 + 0.1 * row)
                p.drawEllipse(QRectF(cx - h * 0.025, cy - h * 0.025, h * 0.05, h * 0.05))
        p.end()


class CafeCardScreen(_PracticeScreen):
    """The card reader: 카드 꽂기 slides the practice card in, then the receipt."""

    title_id = "everyday.cafe.card.title"

    def practice(self) -> None:
        env = self.env
        self.order = self.cafe_order()
        self.box.addWidget(label(env.tr("everyday.cafe.card.hint"), None))
        m = env.theme.metrics
        self.reader = CardReader(env.theme.palette, m.target_px * 3, self.on_paid)
        self.reader.setAccessibleName(env.tr("everyday.cafe.card.reader"))
        self.box.addWidget(self.reader)
        self.status = label("", "notice")
        self.status.setObjectName("cardStatus")
        self.status.hide()
        self.box.addWidget(self.status)
        self.insert = env.button(
            env.tr("everyday.cafe.card.insert"), role="primary", name="insertCard"
        )
        self.insert.clicked.connect(self.on_insert)
        end_step(self.box, self.insert)

    def on_insert(self) -> None:
        self.insert.setEnabled(False)
        self.status.setText(self.env.tr("everyday.cafe.card.paying"))
        self.status.show()
        self.reader.insert()

    def on_paid(self) -> None:
        # After the animation's last frame is painted.
        QTimer.singleShot(
            0, self, lambda: self.env.shell.navigate(Route(CAFE_DONE, {"order": self.order}))
        )

    def on_hidden(self) -> None:
        self.reader.animation.stop()


class CafeDoneScreen(_PracticeScreen):
    title_id = "everyday.cafe.done.title"

    def practice(self) -> None:
        env = self.env
        order: CafeOrder = self.params.get("order") or CafeOrder()
        number = label(env.tr("everyday.cafe.done.number", number=order.number), "notice")
        number.setObjectName("orderNumber")
        self.box.addWidget(number)
        self.box.addWidget(label(env.tr("everyday.cafe.done.hint")))
        finish = env.button(env.tr("everyday.cafe.finish"), role="primary", name="cafeFinish")
        finish.clicked.connect(lambda: env.shell.navigate(Route(CAFE_MENU_ROUTE)))
        end_step(self.box, finish)


# -- hospital check-in ----------------------------------------------------------------------------


class ClinicStartScreen(_PracticeScreen):
    title_id = "everyday.clinic.title"

    def practice(self) -> None:
        env = self.env
        self.box.addWidget(label(env.tr("everyday.clinic.question"), "question"))
        for first, name, text_id in (
            (True, "clinicFirst", "everyday.clinic.first"),
            (False, "clinicReturn", "everyday.clinic.return"),
        ):
            button = env.button(env.tr(text_id), name=name)
            button.clicked.connect(lambda _=False, f=first: self.on_choose(f))
            self.box.addWidget(button)
        self.box.addStretch(1)

    def on_choose(self, first: bool) -> None:
        self.env.shell.navigate(Route(CLINIC_DEPT, {"visit": ClinicVisit(first_visit=first)}))


class ClinicDeptScreen(_PracticeScreen):
    heading_id = "everyday.clinic.title"
    title_id = "everyday.clinic.dept"

    def practice(self) -> None:
        env = self.env
        self.visit: ClinicVisit = self.params.get("visit") or ClinicVisit()
        self.box.addWidget(label(env.tr(self.title_id), "question"))
        buttons = []
        for dept in CLINIC_DEPARTMENTS:
            button = env.button(env.tr(f"everyday.clinic.dept.{dept}"), name=f"dept_{dept}")
            button.clicked.connect(lambda _=False, d=dept: self.on_dept(d))
            buttons.append(button)
        self.add_grid(buttons, most=2)
        self.box.addStretch(1)

    def on_dept(self, dept: str) -> None:
        if self.visit.choose(dept):
            self.env.shell.navigate(Route(CLINIC_TICKET, {"visit": self.visit}))


class ClinicTicketScreen(_PracticeScreen):
    title_id = "everyday.clinic.ticket.title"

    def practice(self) -> None:
        env = self.env
        visit: ClinicVisit = self.params.get("visit") or ClinicVisit(department="internal")
        number = label(env.tr("everyday.clinic.ticket.number", number=visit.ticket), "banner")
        number.setObjectName("ticketNumber")
        number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.box.addWidget(number)
        dept = env.tr(f"everyday.clinic.dept.{visit.department or 'internal'}")
        self.box.addWidget(
            label(env.tr("everyday.clinic.ticket.waiting", dept=dept, waiting=visit.waiting))
        )
        self.box.addWidget(label(env.tr("everyday.clinic.ticket.hint"), "muted"))
        finish = env.button(env.tr("everyday.clinic.finish"), role="primary", name="clinicFinish")
        finish.clicked.connect(lambda: env.shell.navigate(Route(CLINIC_START)))
        end_step(self.box, finish)


SCREENS: dict[str, type[Screen]] = {
    CAFE_MENU_ROUTE: CafeMenuScreen,
    CAFE_PAY: CafePayScreen,
    CAFE_CARD: CafeCardScreen,
    CAFE_DONE: CafeDoneScreen,
    CLINIC_START: ClinicStartScreen,
    CLINIC_DEPT: ClinicDeptScreen,
    CLINIC_TICKET: ClinicTicketScreen,
}
