"""Practice kiosks of everyday life (issue 19): generic screens that draw whatever practice
kiosk the content pack holds (contract.practice: a café or fast-food menu with pictures, options
and a cart; choices such as a certificate or a station; a notice; payment by card; the end with
its number). No kiosk has code of its own: the café, the clinic, the 무인민원발급기 and the
subway machine are data.

Every page is a route `practice_<kiosk>_<page>` (a menu's options and a payment's card reader
`…_options`, `…_card`), so the lesson engine lights targets on them by name as on any screen.
What the resident did rides in the route (kiosk.domain.practice.PracticeVisit), so a rebuild
keeps it; a page opened on its own (a lesson step, a render) gets a sample visit.

Nothing is ordered, paid or sent, and a band on every page says so. The card reader page waits
for a real card on a PC/SC reader when one is attached (kiosk.services.card_tap, on a worker
thread) and then asks for a card on it; without one it draws a reader on the screen.

Every page fits the window at every text size without scrolling to its action: the page's one
action (주문하기 with the cart, 담기, 확인, 카드로 결제하기) stands in the shell's fixed action bar,
and a menu's items or a page's choices come a page at a time (kiosk.ui.paging, "2 / 5쪽").
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from contract import practice
from contract.content import (
    ContentPack,
    PracticeChoice,
    PracticeItem,
    PracticeKiosk,
    PracticePage,
)
from kiosk.domain.money import price_text
from kiosk.domain.practice import CartLine, PracticeVisit, sample_visit
from kiosk.services import card_tap
from kiosk.services.background import Background
from kiosk.ui.flow import (
    ChoiceButton,
    choice_extra_px,
    columns_for_texts,
    picture_view,
)
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, action_bar
from kiosk.ui.theme import Palette
from kiosk.ui.widgets import WrapButton, columns_for, grid, label

# The newest cart lines the action bar shows by text size (100 %, 150 %, 200 %); the pay page
# shows them all, and the bar says how many more there are.
CART_LINES: tuple[int, ...] = (3, 2, 1)

# How long the drawn card takes to slide into the reader; tests shorten it.
CARD_ANIMATION_MS = 900


@dataclass(frozen=True)
class Place:
    """Where a practice route is: its kiosk, its page and which part of it (None: the page
    itself; contract.practice.OPTIONS or CARD)."""

    kiosk: PracticeKiosk
    page: PracticePage
    sub: str | None


def place_of(pack: ContentPack | None, route_name: str) -> Place | None:
    if pack is None:
        return None
    for kiosk in pack.practice:
        for page in kiosk.pages:
            for sub in (None, practice.SUB_PAGES.get(page.kind)):
                if practice.route(kiosk.id, page.id, sub) == route_name:
                    return Place(kiosk, page, sub)
    return None


def first_route(kiosk: PracticeKiosk) -> Route:
    """A kiosk's first page with a new visit."""
    return Route(practice.route(kiosk.id, kiosk.pages[0].id), {"visit": PracticeVisit(kiosk.id)})


class PracticeScreen(Screen):
    """One page of a practice kiosk; `route_name` says which (`practice_screen` makes the
    class of each route)."""

    route_name: ClassVar[str] = ""
    title_id = "practice.title"

    def build(self) -> None:
        env = self.env
        # The page's one action (kept in the shell's fixed bar), for the audit and lessons.
        self.action: QWidget | None = None
        found = place_of(env.ctx.pack, self.route_name)
        if found is None:
            self.box.addWidget(label(env.tr("practice.missing"), "notice", name="practiceMissing"))
            self.box.addStretch(1)
            return
        self.kiosk, self.page = found.kiosk, found.page
        visit = self.params.get("visit")
        if not isinstance(visit, PracticeVisit):
            # The first page starts a visit; a later one opened alone shows a sample of one.
            first = self.page is self.kiosk.pages[0] and found.sub is None
            visit = PracticeVisit(self.kiosk.id) if first else sample_visit(self.kiosk)
        self.visit: PracticeVisit = visit
        self.sub = found.sub
        self._sign()
        if found.sub == practice.OPTIONS:
            self.options_page()
        elif found.sub == practice.CARD:
            self.card_page()
        else:
            getattr(self, f"{self.page.kind}_page")()

    def title(self) -> str:
        found = place_of(self.env.ctx.pack, self.route_name)
        return found.page.title.get(self.env.language) if found else self.env.tr(self.title_id)

    # -- parts of every page -----------------------------------------------------------------------

    def text(self, text: Any) -> str:
        """A pack text in the kiosk's language."""
        return str(text.get(self.env.language))

    def _sign(self) -> None:
        """The place's sign in its colour (as a real kiosk's), the practice band, the title.
        On a landscape menu the band heads the cart's column instead (menu_page): the menu's
        column is narrow."""
        env, m = self.env, self.env.theme.metrics
        sign = label(self.text(self.kiosk.sign), None, name="practiceSign")
        sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sign.setStyleSheet(
            f"background: {self.kiosk.color}; color: #ffffff; font-size: {m.brand_px}px;"
            f" font-weight: 700; padding: {m.gap_px}px; border-radius: {m.radius_px}px;"
        )
        self.band = band = label(env.tr("practice.band"), "banner", name="everydayBand")
        band.setStyleSheet(f"font-size: {m.small_px}px; padding: {m.gap_px}px;")
        # Side by side on a landscape window: its height is what the page's choices lack.
        across, down = QBoxLayout.Direction.LeftToRight, QBoxLayout.Direction.TopToBottom
        row = QBoxLayout(across if env.landscape else down)
        row.setSpacing(self.box.spacing())
        row.addWidget(sign, 1 if env.landscape else 0)  # (a stretch down would grow it)
        if not (env.landscape and self.page.kind == practice.MENU and self.sub is None):
            row.addWidget(band, 2 if env.landscape else 0)
        self.box.addLayout(row)
        if self.sub != practice.OPTIONS:  # an item's options: the item's name is the title
            self.box.addWidget(label(self.title(), "title"))
        # A done page says its words under its number: the number comes first.
        if self.page.say is not None and self.page.kind != practice.DONE:
            self.box.addWidget(self.prompt())

    def prompt(self) -> QWidget:
        """The page's words (a pack's sentence or two): bold at the text size, not a
        question's size, so the choices under them keep the page."""
        return label(self.text(self.page.say), "strong", name="prompt")

    def go_on(self) -> None:
        """To the next page with this visit."""
        following = PracticeVisit.next_page(self.kiosk, self.page.id)
        if following is not None:
            route = practice.route(self.kiosk.id, following)
            self.env.shell.navigate(Route(route, {"visit": self.visit}))

    def picture(self, path: str | None, height: int) -> QWidget | None:
        if path is None:
            return None
        return picture_view(self.env.ctx.asset_file(path), height)

    def card_button(
        self, lines: Sequence[tuple[str, str | None]], name: str, image: str | None, height: int
    ) -> WrapButton:
        """A large button with its picture above its words (a menu item, a choice)."""
        button = self.env.button(*lines, name=name)
        picture = self.picture(image, height)
        if picture is not None:
            button.box.insertWidget(1, picture, 0, Qt.AlignmentFlag.AlignHCenter)
        return button

    def add_grid(self, buttons: Sequence[QWidget], columns: int) -> None:
        """`buttons` in a grid of `columns` columns, all in sight (a menu's tabs)."""
        holder = QWidget()
        holder.setLayout(grid(buttons, columns, self.env.theme.metrics.gap_px * 2))
        self.box.addWidget(holder)

    def add_pages(self, items: Sequence[QWidget], columns: int, key: str) -> None:
        """`items` in `columns` columns, a page at a time where they do not all fit (이전 쪽 /
        다음 쪽), opening on the page the resident last turned to on the list `key` of this
        page (the visit keeps it across a rebuild)."""
        # Imported here: kiosk.ui.paging needs the screens' base, which the registry of screens
        # (and so this module) is imported with.
        from kiosk.ui.paging import Pages

        key = f"{self.page.id}:{key}"
        pages = Pages(
            self.env,
            items,
            columns,
            self.env.theme.metrics.gap_px * 2,
            first_item=self.visit.shown_from.get(key, 0),
            on_turn=lambda first: self.visit.shown_from.__setitem__(key, first),
        )
        self.box.addWidget(pages)

    def keep_action(self, *widgets: QWidget) -> None:
        """The page's action (`widgets`, the action last) in the shell's fixed action bar:
        in sight on arrival at every text size, whatever the page above it holds."""
        self.action = widgets[-1]
        self.pinned = action_bar(self.env, widgets)

    # -- menu --------------------------------------------------------------------------------------

    def menu_page(self) -> None:
        env, m = self.env, self.env.theme.metrics
        categories = self.page.categories
        chosen = self.params.get("category")
        category = next((c for c in categories if c.id == chosen), categories[0])
        tabs = []
        for c in categories:
            role = "primary" if c is category else None
            tab = env.button(self.text(c.title), role=role, name=f"category_{c.id}")
            if c is category:
                tab.setAccessibleName(env.tr("practice.category.shown", name=self.text(c.title)))
            tab.clicked.connect(lambda _=False, cid=c.id: self.on_category(cid))
            tabs.append(tab)
        # Landscape: the cart stands beside the menu, as on a wide counter kiosk; portrait:
        # under it. Either way in the shell's fixed action bar with the total and 주문하기, so
        # the cart is whole in sight and the items above come a page at a time.
        beside = env.landscape
        big = m.body_px > m.brand_compact_px * 5 // 4
        width = env.width * (7 if big else 6) // 10 if beside else env.width
        gap = m.gap_px * 2
        texts = [self.text(c.title) for c in categories]
        extra = 2 * (m.button_margin_px + m.focus_px) + 4
        self.add_grid(tabs, columns_for_texts(texts, m.body_px, width, gap, extra, most=4))
        cards = []
        picture_px = m.target_px * 5 // 2 if not (beside or big) else m.target_px * 2
        for item in category.items:
            lines = [(self.text(item.name), None), (price_text(item.price), None)]
            card = self.card_button(lines, f"menu_{item.id}", item.image, picture_px)
            card.clicked.connect(lambda _=False, i=item: self.on_item(i))
            cards.append(card)
        # Two cards a row at the larger sizes in portrait: each page then holds two, their
        # pictures kept large enough to tell apart.
        least = m.tile_px * (5 if big and not beside else 6)
        self.add_pages(cards, columns_for(width, least, most=3), category.id)
        cart, total, order = self._cart()
        self.action = order
        if beside:
            # The total and 주문하기 at the foot of the column, as on a counter kiosk.
            room = QWidget()
            self.pinned = action_bar(env, [self.band, cart, room, total, order], grow=room)
            self.pinned_beside = 3 if big else 4
        else:
            self.pinned = action_bar(env, [cart, total, order])
        self.box.addStretch(1)

    def _cart(self) -> tuple[QWidget, QWidget, QWidget]:
        """The cart: its lines (the newest three) with − and +; the total; 주문하기."""
        env, visit = self.env, self.visit
        cart = QWidget()
        cart.setObjectName("cart")
        column = QVBoxLayout(cart)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(env.theme.metrics.gap_px)
        if not visit.lines:
            column.addWidget(label(env.tr("practice.cart.empty"), "muted"))
        shown = list(enumerate(visit.lines))[-self.cart_lines() :]
        hidden = len(visit.lines) - len(shown)
        if hidden:
            column.addWidget(label(env.tr("practice.cart.hidden", n=hidden), "muted"))
        for index, line in shown:
            column.addWidget(self._cart_row(index, line))
        total = label(
            env.tr(
                "practice.cart.total",
                count=visit.count,
                total=price_text(visit.total(self.kiosk)),
            ),
            "strong",
            name="cartTotal",
        )
        order = env.button(env.tr("practice.order"), role="primary", name="order")
        order.setEnabled(visit.count > 0)
        order.clicked.connect(self.go_on)
        return cart, total, order

    def cart_lines(self) -> int:
        """How many of the newest cart lines the action bar shows at this text size."""
        m = self.env.theme.metrics
        if m.body_px <= m.brand_compact_px * 5 // 4:
            return CART_LINES[0]
        return CART_LINES[1] if m.body_px <= m.brand_compact_px * 7 // 4 else CART_LINES[2]

    def _cart_row(self, index: int, line: CartLine) -> QWidget:
        """A cart line: its words, and − / how many / + beside them (under them in a
        landscape cart's column, which stays narrow so the menu keeps the width)."""
        env, m = self.env, self.env.theme.metrics
        stacked = env.landscape and m.body_px > m.brand_compact_px * 5 // 4
        row = QWidget()
        outer = QVBoxLayout(row) if stacked else QHBoxLayout(row)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(m.gap_px if stacked else m.gap_px * 2)
        box = QHBoxLayout()
        box.setSpacing(m.gap_px * 2)
        words = QWidget()
        lines = QVBoxLayout(words)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(0)
        lines.addWidget(label(self.item_name(line), "strong"))
        chosen = self.options_words(line)
        if chosen:
            lines.addWidget(label(chosen, "small"))
        outer.addWidget(words, 1)
        outer.addLayout(box)
        if stacked:
            box.addStretch(1)
        less = env.button("−", name=f"cartLess_{index + 1}")
        less.setAccessibleName(env.tr("practice.cart.less", name=self.line_words(line)))
        less.clicked.connect(lambda: self.on_less(index))
        more = env.button("+", name=f"cartMore_{index + 1}")
        more.setAccessibleName(env.tr("practice.cart.more", name=self.line_words(line)))
        more.clicked.connect(lambda: self.on_more(index))
        for button in (less, more):
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum)
            button.setMinimumWidth(m.target_px)
        count = label(env.tr("practice.cart.count", count=line.count), "strong")
        count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        middle = Qt.AlignmentFlag.AlignVCenter
        box.addWidget(less, 0, middle)
        box.addWidget(count)
        box.addWidget(more, 0, middle)
        return row

    def item_name(self, line: CartLine) -> str:
        item = self.kiosk.item(line.item)
        return self.text(item.name) if item is not None else line.item

    def options_words(self, line: CartLine) -> str:
        """A line's options: '차갑게, 큰 컵' (empty without any)."""
        return ", ".join(self.option_words(g, c) for g, c in line.options)

    def line_words(self, line: CartLine) -> str:
        """An item with its options: '아메리카노 (차갑게, 큰 컵)'."""
        chosen = self.options_words(line)
        return f"{self.item_name(line)} ({chosen})" if chosen else self.item_name(line)

    def option_words(self, group_id: str, choice_id: str) -> str:
        group = self.kiosk.option_group(group_id)
        choice = next((c for c in group.choices if c.id == choice_id), None) if group else None
        return self.text(choice.label) if choice is not None else choice_id

    def rebuild(self, **params: Any) -> None:
        """This page again with the visit and `params` (a tab, a picked option)."""
        self.env.shell.replace(
            Route(self.route_name, {**self.params, "visit": self.visit, **params})
        )

    def on_category(self, category_id: str) -> None:
        self.rebuild(category=category_id)

    def on_item(self, item: PracticeItem) -> None:
        if item.options:
            route = practice.route(self.kiosk.id, self.page.id, practice.OPTIONS)
            self.env.shell.navigate(Route(route, {"visit": self.visit, "item": item.id}))
        elif self.visit.add(item.id, ()):
            self.rebuild()

    def on_more(self, index: int) -> None:
        if self.visit.more(index):
            self.rebuild()

    def on_less(self, index: int) -> None:
        self.visit.less(index)
        self.rebuild()

    # -- an item's options -------------------------------------------------------------------------

    def options_page(self) -> None:
        env, m = self.env, self.env.theme.metrics
        item_id = self.params.get("item")
        item = self.kiosk.item(item_id) if isinstance(item_id, str) else None
        if item is None:
            item = next(self.kiosk.items())
        picked: dict[str, str] = dict(self.params.get("picked") or {})
        head = QWidget()
        row = QHBoxLayout(head)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(m.gap_px * 2)
        # The item's picture beside its name: smaller at the larger text sizes and on a landscape
        # window, so the choices under it fit the page.
        big = m.body_px > m.brand_compact_px * 5 // 4
        picture_px = m.target_px * (2 if env.landscape or big else 3)
        if env.landscape and big:
            picture_px = m.target_px * 3 // 2
        picture = self.picture(item.image, picture_px)
        if picture is not None:
            picture.setObjectName("itemPicture")
            picture.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            picture.setFixedWidth(picture_px)
            row.addWidget(picture)
        # The price under the name; beside it on a landscape window, whose height is short.
        words = QHBoxLayout() if env.landscape else QVBoxLayout()
        words.setSpacing(m.gap_px * 2 if env.landscape else 0)
        words.addWidget(label(self.text(item.name), "title", name="itemName"))
        words.addWidget(label(price_text(item.price), "strong"), 1)
        row.addLayout(words, 1)
        self.box.addWidget(head)
        options: list[tuple[str, str]] = []
        # Each group of choices (온도, 컵 크기) a block; the blocks side by side on a landscape
        # window, a page of them at a time where they do not all fit.
        across = 2 if env.landscape and len(item.options) > 1 else 1
        width = (self.env.width - m.gap_px * 2 * (across - 1)) // across
        blocks: list[QWidget] = []
        for group_id in item.options:
            group = self.kiosk.option_group(group_id)
            if group is None:
                continue
            choice_id = picked.get(group.id, group.choices[0].id)
            options.append((group.id, choice_id))
            block = QWidget()
            column = QVBoxLayout(block)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(m.gap_px)
            column.addWidget(label(self.text(group.title), "strong"))
            buttons: list[QWidget] = []
            for choice in group.choices:
                button = self._option_button(group.id, choice, choice.id == choice_id)
                button.clicked.connect(
                    lambda _=False, g=group.id, c=choice.id: self.on_option(picked, g, c)
                )
                buttons.append(button)
            # As many columns as the longest choice's words allow, none cut.
            texts = [self.text(c.label) for c in group.choices]
            gap = m.gap_px * 2
            extra = choice_extra_px(m, m.body_px)
            columns = columns_for_texts(texts, m.body_px, width, gap, extra, most=3)
            holder = QWidget()
            holder.setLayout(grid(buttons, columns, gap))
            column.addWidget(holder)
            column.addStretch(1)
            blocks.append(block)
        self.add_pages(blocks, across, item.id)
        self.box.addStretch(1)
        one = self.visit.line_price(self.kiosk, CartLine(item.id, tuple(options)))
        add = env.button(
            env.tr("practice.options.add", price=price_text(one)), role="primary", name="addToCart"
        )
        add.clicked.connect(lambda: self.on_add(item.id, tuple(options)))
        self.keep_action(add)

    def _option_button(self, group_id: str, choice: PracticeChoice, chosen: bool) -> ChoiceButton:
        env = self.env
        lines: list[tuple[str, str | None]] = [(self.text(choice.label), None)]
        if choice.price:
            lines.append((env.tr("practice.extra", price=price_text(choice.price)), None))
        button = ChoiceButton(
            lines,
            value=choice.id,
            margin=env.theme.metrics.button_margin_px,
            chosen_word=env.tr("survey.chosen"),
            selected=chosen,
        )
        button.setObjectName(practice.option_target(group_id, choice.id))
        button.set_selected(chosen)
        return button

    def on_option(self, picked: dict[str, str], group_id: str, choice_id: str) -> None:
        self.rebuild(picked={**picked, group_id: choice_id})

    def on_add(self, item_id: str, options: tuple[tuple[str, str], ...]) -> None:
        self.visit.add(item_id, options)
        self.env.shell.go_back()

    # -- a choice ----------------------------------------------------------------------------------

    def choose_page(self) -> None:
        m = self.env.theme.metrics
        buttons: list[QWidget] = []
        pictures = any(c.image for c in self.page.choices)
        for choice in self.page.choices:
            lines: list[tuple[str, str | None]] = [(self.text(choice.label), "tileTitle")]
            if choice.detail is not None:
                lines.append((self.text(choice.detail), "buttonDetail"))
            if choice.price:
                lines.append((price_text(choice.price), None))
            picture_px = m.target_px * (2 if self.env.landscape else 3)
            button = self.card_button(lines, f"choice_{choice.id}", choice.image, picture_px)
            button.setProperty("tile", True)  # as large as a real kiosk's choices
            button.clicked.connect(lambda _=False, c=choice.id: self.on_choice(c))
            buttons.append(button)
        most = 3 if pictures else 2
        columns = columns_for(self.env.width, m.tile_px * (6 if pictures else 8), most=most)
        self.add_pages(buttons, columns, "")
        self.box.addStretch(1)

    def on_choice(self, choice_id: str) -> None:
        if self.visit.choose(self.kiosk, self.page.id, choice_id):
            self.go_on()

    # -- a notice ----------------------------------------------------------------------------------

    def notice_page(self) -> None:
        env, m = self.env, self.env.theme.metrics
        small = env.landscape or m.body_px > m.brand_compact_px * 5 // 4
        picture = self.picture(self.page.image, m.target_px * (2 if small else 4))
        if picture is not None:
            picture.setObjectName("noticePicture")
            self.box.addWidget(picture)
        self.box.addStretch(1)
        words = self.text(self.page.button) if self.page.button else env.tr("practice.ok")
        ok = env.button(words, role="primary", name="noticeOk")
        ok.clicked.connect(self.go_on)
        self.keep_action(ok)

    # -- payment -----------------------------------------------------------------------------------

    def pay_page(self) -> None:
        env = self.env
        lines = [
            env.tr(
                "practice.pay.line",
                name=self.line_words(line),
                count=line.count,
                price=price_text(self.visit.line_price(self.kiosk, line) * line.count),
            )
            for line in self.visit.lines
        ]
        for page_id, choice_id, price in self.visit.chosen_prices(self.kiosk):
            page = self.kiosk.page(page_id)
            choice = next(c for c in page.choices if c.id == choice_id) if page else None
            name = self.text(choice.label) if choice else choice_id
            lines.append(env.tr("practice.pay.line", name=name, count=1, price=price_text(price)))
        self.box.addWidget(label("\n".join(lines), None, name="paySummary"))
        total = label(
            env.tr("practice.pay.total", total=price_text(self.visit.total(self.kiosk))),
            "notice",
            name="payTotal",
        )
        self.box.addWidget(total)
        self.box.addStretch(1)
        card = env.button(env.tr("practice.pay.card"), role="primary", name="payCard")
        route = practice.route(self.kiosk.id, self.page.id, practice.CARD)
        card.clicked.connect(lambda: env.shell.navigate(Route(route, {"visit": self.visit})))
        self.keep_action(card)

    def card_page(self) -> None:
        env, m = self.env, self.env.theme.metrics
        self.hint = label(env.tr("practice.card.hint_screen"), None, name="cardHint")
        self.box.addWidget(self.hint)
        self.reader = CardReader(env.theme.palette, m.target_px * 3, self.on_paid)
        self.reader.setAccessibleName(env.tr("practice.card.reader"))
        self.box.addWidget(self.reader)
        self.box.addStretch(1)
        self.status = label("", "notice", name="cardStatus")
        self.status.hide()
        self.insert = env.button(env.tr("practice.card.insert"), role="primary", name="insertCard")
        self.insert.clicked.connect(self.on_insert)
        self.keep_action(self.status, self.insert)
        # A reader attached? Asked off the GUI thread (pcscd is a service, however near).
        self.cancelled = threading.Event()
        self.reader_name: str | None = None
        self.watcher: Background | None = None
        self.reader_checked = False
        env.shell.background.run(
            card_tap.first_reader, self.on_reader, name="card_tap.first_reader", owner=self
        )

    def on_reader(self, name: str | None) -> None:
        """A PC/SC reader is attached: wait for a card on it, on a thread of its own (a wait
        lasts minutes; the screens' shared workers stay free). The page then asks for a card
        on that reader only: the drawn reader and its button go, so there is one way to pay.
        A lesson keeps them beside the wait: its steps point at the drawn reader."""
        self.reader_checked = True
        if name is None or self.cancelled.is_set() or self.reader.progress > 0:
            return
        env = self.env
        self.reader_name = name
        self.hint.setText(env.tr("practice.card.hint_reader"))
        self.status.setText(env.tr("practice.card.waiting"))
        self.status.show()
        if env.shell.lesson_player().running:
            self.insert.set_lines([env.tr("practice.card.without")])
        else:
            self.reader.hide()
            self.insert.hide()
        self.watcher = Background(self, name="card-reader")
        work = functools.partial(card_tap.wait_for_card, name, self.cancelled)
        self.watcher.run(work, self.on_tapped, name="card_tap.wait_for_card", owner=self)

    def on_tapped(self, present: bool) -> None:
        """The wait ended: a card (pay), or the reader gone or the wait over (the drawn
        reader again, so the resident is never left without a way on)."""
        if self.cancelled.is_set():
            return
        if present:
            self.on_insert()
            return
        env = self.env
        self.reader_name = None
        self.hint.setText(env.tr("practice.card.hint_screen"))
        self.status.hide()
        self.insert.set_lines([env.tr("practice.card.insert")])
        self.reader.show()
        self.insert.show()

    def on_insert(self) -> None:
        self.cancelled.set()
        self.insert.setEnabled(False)
        self.status.setText(self.env.tr("practice.card.paying"))
        self.status.show()
        self.reader.insert()

    def on_paid(self) -> None:
        # After the animation's last frame is painted.
        QTimer.singleShot(0, self, self.go_on)

    def on_hidden(self) -> None:
        if hasattr(self, "cancelled"):
            self.cancelled.set()
            self.reader.animation.stop()

    # -- the end -----------------------------------------------------------------------------------

    def done_page(self) -> None:
        env = self.env
        if self.page.number is not None:
            number = label(self.page.number, "banner", name="number")
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            m = env.theme.metrics
            number.setStyleSheet(f"font-size: {m.title_px * 2}px; padding: {m.gap_px * 2}px;")
            self.box.addWidget(number)
        if self.page.say is not None:
            self.box.addWidget(self.prompt())
        self.box.addStretch(1)
        words = self.text(self.page.button) if self.page.button else env.tr("practice.finish")
        finish = env.button(words, role="primary", name="finish")
        finish.clicked.connect(lambda: env.shell.navigate(first_route(self.kiosk)))
        self.keep_action(finish)


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


@functools.cache
def practice_screen(route_name: str) -> type[Screen]:
    """The screen class of one practice route (made once per name)."""
    return type(f"Practice_{route_name}", (PracticeScreen,), {"route_name": route_name})
