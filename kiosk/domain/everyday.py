"""The simulated everyday kiosks of coached sessions (issue 9, part 4): a café order paid by card
and a hospital check-in. Nothing is ordered, paid or booked: these are practice screens. No Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

# Menu item id -> price in won (names are interface texts: everyday.cafe.item.<id>).
CAFE_MENU: Final[dict[str, int]] = {"americano": 3000, "latte": 3500, "yuja": 4000}
CLINIC_DEPARTMENTS: Final[tuple[str, ...]] = ("internal", "ortho", "eye", "dental")
MAX_CUPS: Final = 9


@dataclass
class CafeOrder:
    """What is in the practice café's basket: item id -> cups."""

    cups: dict[str, int] = field(default_factory=dict)
    number: int = 17  # the order number the practice receipt shows

    def add(self, item: str) -> bool:
        """One more cup of `item`; False for an unknown item or a full basket."""
        if item not in CAFE_MENU or self.count >= MAX_CUPS:
            return False
        self.cups[item] = self.cups.get(item, 0) + 1
        return True

    @property
    def count(self) -> int:
        return sum(self.cups.values())

    @property
    def total(self) -> int:
        return sum(CAFE_MENU[item] * n for item, n in self.cups.items())

    @property
    def can_order(self) -> bool:
        return self.count > 0


@dataclass
class ClinicVisit:
    """The practice hospital check-in: first visit or not, the department, the ticket."""

    first_visit: bool | None = None
    department: str | None = None
    ticket: int = 23
    waiting: int = 3

    def choose(self, department: str) -> bool:
        if department not in CLINIC_DEPARTMENTS:
            return False
        self.department = department
        return True
