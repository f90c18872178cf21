"""Small HTTP rules of the server, checked without a process: ranges, ETags, the rate limit."""

from __future__ import annotations

import pytest

from server.app import ApiError, RangeNotSatisfiable, WindowLimit, _matches, byte_range


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 10, None),
        ("bytes=0-0", 10, (0, 0)),
        ("bytes=3-", 10, (3, 9)),
        ("bytes=3-100", 10, (3, 9)),
        ("bytes=-3", 10, (7, 9)),
        ("bytes=-30", 10, (0, 9)),
        ("bytes=9-9", 10, (9, 9)),
        ("bytes=5-4", 10, None),
        ("bytes=0-1,3-4", 10, None),
        ("bytes=x-1", 10, None),
        ("bytes=1-x", 10, None),
        ("bytes=-", 10, None),
        ("pages=1-2", 10, None),
        ("bytes= 2-3", 10, (2, 3)),
    ],
)
def test_byte_range(header: str | None, size: int, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=10-", 10), ("bytes=-0", 10), ("bytes=0-", 0)])
def test_byte_range_past_the_end(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, size)


def test_if_none_match_compares_weakly_and_knows_the_star() -> None:
    assert _matches('"a"', '"a"')
    assert _matches('W/"a"', '"a"')
    assert _matches('"b", "a"', '"a"')
    assert _matches("*", '"a"')
    assert not _matches('"b"', '"a"')
    assert not _matches(None, '"a"')


def test_rate_limit_counts_per_device_per_minute() -> None:
    limit = WindowLimit(2, 60, "requests from this device")
    limit.check("a", now=0)
    limit.check("a", now=1)
    limit.check("b", now=1)

    with pytest.raises(ApiError) as refused:
        limit.check("a", now=20)

    assert refused.value.status_code == 429
    assert refused.value.headers == {"Retry-After": "40"}
    assert refused.value.detail == ("Too many requests from this device; try again in 40 seconds.")
    limit.check("a", now=60)


def test_no_rate_limit_by_default() -> None:
    limit = WindowLimit(None, 60, "requests from this device")
    for i in range(1000):
        limit.check("a", now=float(i) / 1000)
