"""Amounts of money written the way Korean readers expect: in 조, 억 and 만 groups of won.

5,000,000 → "500만원", 120,000,000 → "1억 2,000만원", 300,000,000 → "3억원",
15,000 → "1만 5,000원". Each group of four digits is written with a thousands comma; empty
groups are left out, and "원" follows the last group written.

No Qt and no I/O.
"""

from __future__ import annotations

from typing import Final

# Largest unit first: each is 10,000 times the next.
UNITS: Final[tuple[tuple[int, str], ...]] = (
    (10**12, "조"),
    (10**8, "억"),
    (10**4, "만"),
    (1, ""),
)


def won_text(amount_won: int) -> str:
    """`amount_won` in 조/억/만 groups, e.g. 320,000,000 → "3억 2,000만원"; 0 → "0원".

    Negative amounts are refused: no figure a resident sees (a cost, a budget, what is left of
    it) is below zero.
    """
    if amount_won < 0:
        raise ValueError(f"an amount of money is never negative here: {amount_won}")
    if amount_won == 0:
        return "0원"
    parts = []
    rest = amount_won
    for size, unit in UNITS:
        group, rest = divmod(rest, size)
        if group:
            parts.append(f"{group:,}{unit}")
    return " ".join(parts) + "원"


def price_text(amount_won: int) -> str:
    """A price as a shop's kiosk writes it: 4,500원, 15,000원 (no 만 groups)."""
    if amount_won < 0:
        raise ValueError(f"an amount of money is never negative here: {amount_won}")
    return f"{amount_won:,}원"
