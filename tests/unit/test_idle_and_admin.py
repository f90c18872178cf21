"""The idle rule, the hidden staff entry and PIN hashing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.pin import hash_pin, verify_pin
from kiosk.domain.admin import PinLockout, TapPattern
from kiosk.domain.idle import IdlePhase, IdleRule


def test_idle_phases_follow_the_default_120_and_20_seconds():
    rule = IdleRule(120, 20, now=0)
    assert rule.state(99).phase is IdlePhase.ACTIVE
    warn = rule.state(100.5)
    assert warn.phase is IdlePhase.WARNING and warn.remaining_s == 20
    assert rule.state(119.2).remaining_s == 1
    assert rule.state(120).phase is IdlePhase.EXPIRED


def test_extending_works_at_least_ten_times():
    rule = IdleRule(120, 20, now=0)
    now = 0.0
    for _ in range(12):
        now += 110
        assert rule.state(now).phase is IdlePhase.WARNING
        rule.activity(now)
        assert rule.state(now).phase is IdlePhase.ACTIVE
    assert rule.state(now + 120).phase is IdlePhase.EXPIRED


def test_warning_must_precede_timeout():
    with pytest.raises(ValueError):
        IdleRule(30, 30, now=0)


@given(st.floats(min_value=0, max_value=1000))
def test_remaining_never_exceeds_timeout(elapsed):
    rule = IdleRule(120, 20, now=0)
    state = rule.state(elapsed)
    assert 0 <= state.remaining_s <= 120
    assert (state.phase is IdlePhase.EXPIRED) == (elapsed >= 120)


def test_tap_pattern_needs_five_quick_taps():
    pattern = TapPattern(taps=5, window_s=3)
    assert not any(pattern.tap(t) for t in (0, 1, 2, 3))
    assert not pattern.tap(4)  # five taps over 4 s: too slow
    assert [pattern.tap(t) for t in (10, 10.5, 11, 11.5, 12)] == [False] * 4 + [True]


def test_pin_lockout_after_five_misses():
    lock = PinLockout(max_misses=5, lock_s=60)
    for i in range(5):
        assert lock.seconds_locked(i) == 0
        lock.record(False, i)
    assert lock.seconds_locked(5) == 59
    assert lock.seconds_locked(65) == 0


def test_pin_hash_is_salted_and_verifies():
    a, b = hash_pin("2580"), hash_pin("2580")
    assert a != b and "2580" not in a
    assert verify_pin("2580", a) and verify_pin("2580", b)
    assert not verify_pin("2581", a)


@pytest.mark.parametrize(
    "bad", ["", "plain", "scrypt$1$2", "bcrypt$1$1$1$AA==$AA==", "scrypt$x$8$1$AA==$AA=="]
)
def test_malformed_pin_hash_never_verifies(bad):
    assert not verify_pin("2580", bad)
