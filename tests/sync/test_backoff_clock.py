"""Backoff with full jitter, Retry-After, and the clock offset: the pure parts of sync."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from sync.backoff import MAX_RETRY_AFTER_S, Backoff, parse_retry_after
from sync.clock import (
    ClockKeeper,
    ClockSample,
    sample_from_date_header,
    sample_from_server_time,
)

T0 = datetime(2026, 11, 25, 9, 0, 0, tzinfo=UTC)


def test_full_jitter_stays_under_a_doubling_ceiling_up_to_the_cap():
    backoff = Backoff(2.0, 300.0, rng=random.Random(7))
    ceilings = []
    for _ in range(12):
        ceiling = backoff.ceiling_s()
        delay = backoff.next_delay_s()
        assert 0.0 <= delay <= ceiling
        ceilings.append(ceiling)
    assert ceilings[:5] == [2.0, 4.0, 8.0, 16.0, 32.0]
    assert ceilings[-1] == 300.0


def test_full_jitter_spreads_delays_over_the_whole_range():
    backoff = Backoff(2.0, 300.0, rng=random.Random(1))
    delays = []
    for _ in range(2000):
        backoff.failures = 20  # at the cap
        delays.append(backoff.next_delay_s())
    # Full jitter, not "equal jitter": short and long delays both happen.
    assert min(delays) < 15 and max(delays) > 285
    assert 130 < sum(delays) / len(delays) < 170


def test_success_starts_again_from_the_base():
    backoff = Backoff(2.0, 300.0, rng=random.Random(3))
    for _ in range(10):
        backoff.next_delay_s()
    backoff.reset()
    assert backoff.ceiling_s() == 2.0
    assert backoff.next_delay_s() <= 2.0


def test_retry_after_is_a_floor_and_is_bounded():
    backoff = Backoff(2.0, 300.0, rng=random.Random(5))
    assert backoff.next_delay_s(retry_after_s=30.0) >= 30.0
    assert backoff.next_delay_s(retry_after_s=10 * 86400) == MAX_RETRY_AFTER_S
    assert backoff.next_delay_s(retry_after_s=-5) >= 0.0


def test_many_failures_do_not_overflow():
    backoff = Backoff(2.0, 300.0)
    backoff.failures = 10_000
    assert backoff.next_delay_s() <= 300.0


@pytest.mark.parametrize("bad", [(0.0, 1.0), (3.0, 2.0), (-1.0, 5.0)])
def test_backoff_refuses_nonsense(bad):
    with pytest.raises(ValueError):
        Backoff(*bad)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("Wed, 25 Nov 2026 09:00:30 GMT", 30.0),
        ("Wed, 25 Nov 2026 08:59:00 GMT", 0.0),  # in the past: now
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_header(header, expected):
    assert parse_retry_after(header, now=T0) == expected


def test_offset_from_server_time_uses_the_round_trip_midpoint():
    sent, received = T0, T0 + timedelta(seconds=2)
    server_time = T0 + timedelta(hours=3, seconds=1)
    sample = sample_from_server_time(server_time, sent, received)
    assert sample.offset_s == pytest.approx(3 * 3600)
    assert sample.uncertainty_s == pytest.approx(1.0)


def test_offset_from_a_date_header_allows_for_whole_seconds():
    sent, received = T0, T0 + timedelta(milliseconds=100)
    sample = sample_from_date_header("Wed, 25 Nov 2026 06:00:00 GMT", sent, received)
    assert sample is not None
    assert sample.offset_s == pytest.approx(-3 * 3600, abs=1.5)
    assert sample.uncertainty_s >= 1.0
    assert sample_from_date_header("not a date", sent, received) is None
    assert sample_from_date_header(None, sent, received) is None


class _Stored:
    def __init__(self, value: float = 0.0) -> None:
        self.value = value
        self.writes = 0

    def read(self) -> float:
        return self.value

    def write(self, value: float) -> None:
        self.value = value
        self.writes += 1


def test_clock_keeper_stores_real_changes_only():
    stored = _Stored()
    keeper = ClockKeeper(stored.read, stored.write)
    assert not keeper.observe(ClockSample(0.4, 0.01))  # network noise
    assert keeper.observe(ClockSample(-10800.2, 0.01))  # device clock 3 h fast
    assert stored.value == -10800.2
    # A coarse Date-header sample within its own error does not overwrite a precise one.
    assert not keeper.observe(ClockSample(-10801.1, 1.05))
    assert stored.writes == 1
