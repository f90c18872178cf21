"""A visit to a practice kiosk (issue 19): what is in the cart, what was chosen on each page,
the total, and which page comes next. Nothing is ordered, paid or sent. No Qt.

The kiosk itself is pack data (contract.content.PracticeKiosk); a `PracticeVisit` rides in the
route, so a rebuild (text size, language) keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.content import PracticeKiosk
from contract.practice import MAX_IN_CART, MAX_OF_ONE


@dataclass(frozen=True)
class CartLine:
    """One line of the cart: an item with its options (group id, choice id), and how many."""

    item: str
    options: tuple[tuple[str, str], ...]
    count: int = 1


@dataclass
class PracticeVisit:
    """One resident's way through a practice kiosk, from its first page to its last.

    Attributes:
        kiosk: the kiosk's id.
        lines: the cart (menu pages).
        chosen: page id -> the choice tapped there (choose pages).
        shown_from: a paged list (page id and category) -> its first item on show, so the
            page a resident turned to stays after a tap rebuilds the screen.
    """

    kiosk: str
    lines: list[CartLine] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)
    shown_from: dict[str, int] = field(default_factory=dict)

    # -- the cart ---------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)

    def add(self, item: str, options: tuple[tuple[str, str], ...]) -> bool:
        """One more of `item` with `options`: the same line grows; False when the cart is full
        or that line is at its most."""
        if self.count >= MAX_IN_CART:
            return False
        for i, line in enumerate(self.lines):
            if line.item == item and line.options == options:
                return self.more(i)
        self.lines.append(CartLine(item, options))
        return True

    def more(self, index: int) -> bool:
        line = self.lines[index]
        if line.count >= MAX_OF_ONE or self.count >= MAX_IN_CART:
            return False
        self.lines[index] = CartLine(line.item, line.options, line.count + 1)
        return True

    def less(self, index: int) -> None:
        """One fewer; a line at one leaves the cart."""
        line = self.lines[index]
        if line.count <= 1:
            del self.lines[index]
        else:
            self.lines[index] = CartLine(line.item, line.options, line.count - 1)

    # -- prices -----------------------------------------------------------------------------------

    def line_price(self, kiosk: PracticeKiosk, line: CartLine) -> int:
        """One of the line's item with its options."""
        item = kiosk.item(line.item)
        price = item.price if item is not None else 0
        for group_id, choice_id in line.options:
            group = kiosk.option_group(group_id)
            choice = next((c for c in group.choices if c.id == choice_id), None) if group else None
            price += choice.price if choice is not None else 0
        return price

    def chosen_prices(self, kiosk: PracticeKiosk) -> list[tuple[str, str, int]]:
        """(page id, choice id, price) of each priced choice made, in page order."""
        out = []
        for page in kiosk.pages:
            choice_id = self.chosen.get(page.id)
            choice = next((c for c in page.choices if c.id == choice_id), None)
            if choice is not None and choice.price:
                out.append((page.id, choice.id, choice.price))
        return out

    def total(self, kiosk: PracticeKiosk) -> int:
        cart = sum(self.line_price(kiosk, line) * line.count for line in self.lines)
        return cart + sum(price for _, _, price in self.chosen_prices(kiosk))

    # -- pages ------------------------------------------------------------------------------------

    def choose(self, kiosk: PracticeKiosk, page_id: str, choice_id: str) -> bool:
        page = kiosk.page(page_id)
        if page is None or all(c.id != choice_id for c in page.choices):
            return False
        self.chosen[page_id] = choice_id
        return True

    @staticmethod
    def next_page(kiosk: PracticeKiosk, page_id: str) -> str | None:
        """The page after `page_id`; None after the last."""
        ids = [p.id for p in kiosk.pages]
        i = ids.index(page_id) if page_id in ids else len(ids)
        return ids[i + 1] if i + 1 < len(ids) else None


def sample_visit(kiosk: PracticeKiosk) -> PracticeVisit:
    """A visit with something in it, for a page opened on its own (a lesson's step, a render):
    the first item of each menu with its first options, the first choice of each page."""
    visit = PracticeVisit(kiosk.id)
    for page in kiosk.pages:
        if page.choices:
            visit.chosen[page.id] = page.choices[0].id
        for category in page.categories[:1]:
            item = category.items[0]
            options = []
            for group_id in item.options:
                group = kiosk.option_group(group_id)
                if group is not None:
                    options.append((group_id, group.choices[0].id))
            visit.add(item.id, tuple(options))
    return visit
