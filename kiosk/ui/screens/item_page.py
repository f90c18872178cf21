"""The page of one item of the content pack that its route names (a contest, a proposal).

Every such page reads in the same order: the item's kind, its title, what the page says of
it, why a tap was refused, the ways to take part, and 휴대폰으로 보기.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, Protocol, TypeVar

from contract.content import ContentPack, Text
from kiosk.ui.flow import ProblemMessage
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.share import share_button
from kiosk.ui.widgets import WrapButton, label


class Item(Protocol):
    """What a page needs of any item: its id, title and address on the platform."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> Text: ...

    @property
    def url(self) -> str: ...


ItemT = TypeVar("ItemT", bound=Item)


class ItemPage(Screen, Generic[ItemT]):
    """The page of one item. A subclass says how its route names the item (`item_in`), the
    words above the title (`kind_line`), what the page says of the item (`describe`) and the
    ways to take part (`take_part`). An item the content no longer has (it changed under the
    resident) shows the notice `gone_id` instead.

    Attributes:
        pack: the content pack the item came from.
        item: the item.
        message: why a tap on a way to take part was refused.
    """

    gone_id: ClassVar[str]

    def build(self) -> None:
        env = self.env
        self.message = ProblemMessage(env)
        pack = env.ctx.pack
        item = self.item_in(pack) if pack is not None else None
        if pack is None or item is None:
            self.only_notice(self.gone_id)
            return
        self.pack, self.item = pack, item
        title = item.title.get(env.language)
        self.box.addWidget(label(self.kind_line(item), "muted"))
        self.box.addWidget(label(title, "title"))
        self.describe(item)
        self.box.addWidget(self.message)
        for button in self.take_part(item):
            self.box.addWidget(button)
        self.box.addWidget(share_button(env, item.url, title))
        self.box.addStretch(1)

    def item_in(self, pack: ContentPack) -> ItemT | None:
        """The item the route names; None when the pack no longer has it."""
        raise NotImplementedError

    def kind_line(self, item: ItemT) -> str:
        """The line above the title: what kind of item it is, and of what."""
        raise NotImplementedError

    def describe(self, item: ItemT) -> None:
        """Add what the page says of the item, between its title and the ways to take part."""
        raise NotImplementedError

    def take_part(self, item: ItemT) -> Sequence[WrapButton]:
        """The ways to take part open now (none when there is none)."""
        raise NotImplementedError
