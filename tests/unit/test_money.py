"""Money in Korean: 만원/억원 groups the way Korean readers expect."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import won_text

CASES = [
    (0, "0원"),
    (1, "1원"),
    (950, "950원"),
    (1_500, "1,500원"),
    (9_999, "9,999원"),
    (10_000, "1만원"),
    (15_000, "1만 5,000원"),
    (10_001, "1만 1원"),
    (99_990, "9만 9,990원"),
    (100_000, "10만원"),
    (1_000_000, "100만원"),
    (5_000_000, "500만원"),
    (8_500_000, "850만원"),
    (12_345_678, "1,234만 5,678원"),
    (99_990_000, "9,999만원"),
    (100_000_000, "1억원"),
    (120_000_000, "1억 2,000만원"),
    (150_000_000, "1억 5,000만원"),
    (300_000_000, "3억원"),
    (320_000_000, "3억 2,000만원"),
    (100_005_000, "1억 5,000원"),
    (100_000_001, "1억 1원"),
    (123_456_789, "1억 2,345만 6,789원"),
    (1_000_000_000, "10억원"),
    (2_500_000_000, "25억원"),
    (99_999_999_999, "999억 9,999만 9,999원"),
    (1_000_000_000_000, "1조원"),
    (1_200_000_000_000, "1조 2,000억원"),
    (10_000_000_000_000_000, "10,000조원"),
]


@pytest.mark.parametrize(("amount", "text"), CASES)
def test_amounts_in_korean_groups(amount: int, text: str) -> None:
    assert won_text(amount) == text


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        won_text(-1)


_UNIT = {"조": 10**12, "억": 10**8, "만": 10**4}
_PART = re.compile(r"^([1-9][0-9]{0,2}(?:,[0-9]{3})*)(조|억|만)?$")


def parse_won(text: str) -> int:
    """A reader's reading of the text, written apart from won_text: each part, times its unit."""
    assert text.endswith("원"), text
    body = text.removesuffix("원")
    if body == "0":
        return 0
    total = 0
    units_seen: list[int] = []
    for part in body.split(" "):
        match = _PART.match(part)
        assert match is not None, f"{part!r} in {text!r}"
        digits, unit = match.groups()
        size = _UNIT[unit] if unit else 1
        value = int(digits.replace(",", ""))
        # A group below the largest unit holds less than 10,000 of it.
        assert not units_seen or value < 10_000, text
        assert not units_seen or size < units_seen[-1], f"units out of order in {text!r}"
        units_seen.append(size)
        total += value * size
    return total


@given(st.integers(min_value=0, max_value=10**17))
def test_the_text_reads_back_as_the_amount(amount: int) -> None:
    assert parse_won(won_text(amount)) == amount


@given(st.integers(min_value=1, max_value=10**15).map(lambda n: n * 10_000))
def test_whole_man_amounts_end_in_a_unit_not_in_stray_won(amount: int) -> None:
    # 500만원, 3억원: an amount in whole 만 never ends with a bare group of 원.
    assert re.search(r"(만|억|조)원$", won_text(amount))
