"""Practice kiosks of everyday life (issue 19): the café and fast-food counters, a clinic
check-in, the 무인민원발급기 of a 동주민센터, a subway ticket machine — as pack data, drawn by
the kiosk's generic practice screens (kiosk.ui.screens.practice). No Qt, no I/O, no pydantic:
the models are contract.content.PracticeKiosk and its parts; this module holds the rules that
name things, so the kiosk, the server and a lesson agree on them.

A practice kiosk is a list of pages, one after another. Each page is of a kind:
- "menu": categories of items with pictures and prices; an item with options opens its options
  page (size, temperature, set…); a cart with quantities and the total; 주문하기 goes on.
- "choose": a question and its choices (a certificate, a department, a station); one tap
  chooses and goes on. A choice may cost something (a fee, a fare).
- "notice": words (and a picture) and one button (지문을 대 주세요 → 확인).
- "pay": what is bought and the total, and 카드 결제, which opens the card reader (a PC/SC
  reader when one is attached, else one drawn on the screen).
- "done": the number (order, ticket, waiting) and 처음으로.

Every page is a route named `practice_<kiosk>_<page>`; a menu page's options and a pay page's
card reader are routes of their own with `_options` and `_card` after it. Ids of kiosks and pages
have no "_", so names never collide. What a lesson may point at on each is `TARGETS` (names
ending in "*" stand for the page's own ids: "menu_*" is each item's `menu_<item id>`).
"""

from __future__ import annotations

from typing import Final

PREFIX: Final = "practice_"
PAGE_KINDS: Final[tuple[str, ...]] = ("menu", "choose", "notice", "pay", "done")
MENU, CHOOSE, NOTICE, PAY, DONE = PAGE_KINDS
# The routes a page opens beside its own: a menu item's options, a payment's card reader.
OPTIONS: Final = "options"
CARD: Final = "card"
SUB_PAGES: Final[dict[str, str]] = {MENU: OPTIONS, PAY: CARD}
# Per page kind (and sub-page, "kind:sub"), the names of the parts a lesson may point at;
# names with "<...>" are filled with the page's own ids.
TARGETS: Final[dict[str, tuple[str, ...]]] = {
    MENU: (
        "category_<category>",
        "menu_<item>",
        "cart",
        "cartTotal",
        "cartMore_*",
        "cartLess_*",
        "order",
    ),
    f"{MENU}:{OPTIONS}": ("option_<group>-<choice>", "itemPicture", "addToCart"),
    CHOOSE: ("choice_<choice>", "prompt"),
    NOTICE: ("prompt", "noticePicture", "noticeOk"),
    PAY: ("paySummary", "payTotal", "payCard"),
    f"{PAY}:{CARD}": ("cardReader", "insertCard", "cardStatus"),
    DONE: ("number", "finish"),
}
# Most items a cart takes, and of one item: a practice order stays small.
MAX_IN_CART: Final = 20
# A cart line's "-" at one takes the line away; its "+" stops here.
MAX_OF_ONE: Final = 9


def route(kiosk: str, page: str, sub: str | None = None) -> str:
    """The route name of a kiosk's page (or of its options or card page)."""
    name = f"{PREFIX}{kiosk}_{page}"
    return f"{name}_{sub}" if sub else name


def is_practice(screen: str) -> bool:
    return screen.startswith(PREFIX)


def option_target(group: str, choice: str) -> str:
    return f"option_{group}-{choice}"
