"""The staff PIN (issue 14): no default outside the demo, the demo PIN refused elsewhere, new PINs
that are not the first ones anyone tries, and a lock-out that grows and outlives the app, on
fake clocks."""

from __future__ import annotations

import math

import pytest

from contract.pin import hash_pin, verify_pin
from kiosk.domain.admin import (
    DEMO_STAFF_PIN,
    DEMO_STAFF_PIN_HASH,
    LockoutRule,
    PinFailures,
    StaffPinLockout,
    StaffPinProblem,
    new_staff_pin_problem,
    staff_pin,
)
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from kiosk.store.staff_pin import FAILURES_KEY, StaffPinError, StaffPinGate, store_pin_hash
from tests.helpers.staff_pin import STAFF_PIN, STAFF_PIN_HASH


def test_no_pin_anywhere_means_no_usable_pin_outside_the_demo():
    assert staff_pin(configured=None, stored=None, demo=False).problem is StaffPinProblem.UNSET
    demo = staff_pin(configured=None, stored=None, demo=True)
    assert demo.usable and verify_pin(DEMO_STAFF_PIN, demo.pin_hash or "")


@pytest.mark.parametrize(
    "demo_hash", [DEMO_STAFF_PIN_HASH, hash_pin(DEMO_STAFF_PIN)], ids=["published", "fresh-salt"]
)
def test_the_demo_pin_is_refused_outside_the_demo_wherever_it_comes_from(demo_hash):
    for configured, stored in ((demo_hash, None), (None, demo_hash)):
        pin = staff_pin(configured=configured, stored=stored, demo=False)
        assert pin.problem is StaffPinProblem.DEMO and not pin.usable


def test_the_configuration_file_overrides_the_stored_pin_and_the_demo_uses_only_2580():
    other = hash_pin("97531864")
    assert staff_pin(configured=other, stored=STAFF_PIN_HASH, demo=False).pin_hash == other
    assert staff_pin(configured=None, stored=STAFF_PIN_HASH, demo=False).pin_hash == STAFF_PIN_HASH
    # In demo mode the README's PIN, whatever the device holds.
    assert staff_pin(configured=other, stored=None, demo=True).pin_hash == DEMO_STAFF_PIN_HASH


@pytest.mark.parametrize(
    ("pin", "problem"),
    [
        ("2580", "admin.pin.new.length"),
        ("123456789", "admin.pin.new.length"),
        ("12a456", "admin.pin.new.digits"),
        ("１２３４５６", "admin.pin.new.digits"),  # full-width digits
        ("000000", "admin.pin.new.simple"),
        ("123456", "admin.pin.new.simple"),
        ("98765432", "admin.pin.new.simple"),
        (STAFF_PIN, None),
        ("13579024", None),
    ],
)
def test_a_new_staff_pin(pin, problem):
    assert new_staff_pin_problem(pin) == problem


def test_the_delay_starts_at_a_minute_and_doubles_up_to_an_hour():
    rule = LockoutRule()
    assert [rule.lock_s(n) for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert rule.lock_s(10_000) == 3600


def miss_until_locked(lockout: StaffPinLockout, wall: float, mono: float) -> None:
    for _ in range(4):
        assert lockout.seconds_locked(wall, mono) == 0
        assert not lockout.record(False, wall, mono)
    assert lockout.record(False, wall, mono)  # the fifth miss locks


def test_lockouts_grow_and_a_correct_pin_resets_the_delay_but_not_the_count():
    lockout = StaffPinLockout()
    wall, mono = 1_800_000_000.0, 50.0
    delays = []
    for _ in range(3):
        miss_until_locked(lockout, wall, mono)
        delays.append(lockout.seconds_locked(wall, mono))
        assert lockout.seconds_locked(wall + 30, mono + 30) == delays[-1] - 30
        wall += delays[-1]
        mono += delays[-1]
        assert lockout.seconds_locked(wall, mono) == 0
    assert delays == [60, 120, 240]
    lockout.record(True, wall, mono)
    miss_until_locked(lockout, wall, mono)
    assert lockout.seconds_locked(wall, mono) == 60  # back to a minute after a correct PIN
    assert lockout.failures.lockouts == 4 and lockout.failures.last_lockout_at == wall


def test_a_restart_keeps_the_lockout_and_clock_jumps_neither_end_nor_stretch_it():
    saved: list[PinFailures] = []
    first = StaffPinLockout(save=saved.append)
    wall = 1_800_000_000.0
    miss_until_locked(first, wall, mono=10.0)
    # The app starts again 20 s later: a new process, its monotonic clock from 0.
    again = StaffPinLockout(PinFailures.from_json(saved[-1].to_json()))
    assert again.seconds_locked(wall + 20, 0.0) == 40
    # The system clock jumps a day forward: still locked (the run counts monotonic time).
    assert again.seconds_locked(wall + 86_400, 5.0) == 35
    assert again.seconds_locked(wall + 86_400, 40.0) == 0
    # A clock set back a day at boot locks for the lock-out's own delay at most.
    back = StaffPinLockout(PinFailures.from_json(saved[-1].to_json()))
    assert back.seconds_locked(wall - 86_400, 0.0) == 60


def test_an_unreadable_record_counts_as_locked_not_as_unlocked():
    broken = PinFailures.from_json({"misses": "x"})
    assert math.isinf(broken.locked_until)
    lockout = StaffPinLockout(broken)
    assert lockout.seconds_locked(1_800_000_000.0, 0.0) == 3600
    # Once it is over, tries count again and what is saved is readable.
    assert not lockout.record(False, 1_800_003_600.0, 3600.0)
    assert math.isfinite(PinFailures.from_json(lockout.failures.to_json()).locked_until)


def test_the_gate_keeps_failures_in_the_database_across_a_second_opening(data_dir):
    wall, mono = [1_800_000_000.0], [0.0]
    with open_database(data_dir) as db:
        settings = DeviceSettings(db)
        gate = StaffPinGate(settings, configured=None, demo=False, wall=lambda: wall[0],
                            mono=lambda: mono[0])  # fmt: skip
        assert gate.check(STAFF_PIN).problem == "admin.pin.unset"
        store_pin_hash(settings, STAFF_PIN_HASH)
        for _ in range(4):
            assert not gate.check("111111").ok
        locked = gate.check("111111")
        assert locked.locked_now and locked.locked_s == 60
        assert settings.get(FAILURES_KEY)["lockouts"] == 1
    with open_database(data_dir) as db:  # the app started again
        gate = StaffPinGate(DeviceSettings(db), configured=None, demo=False,
                            wall=lambda: wall[0] + 10, mono=lambda: 0.0)  # fmt: skip
        refused = gate.check(STAFF_PIN)  # even the right PIN waits
        assert not refused.ok and refused.locked_s == 50


def test_the_demo_pin_cannot_be_stored(data_dir):
    with open_database(data_dir) as db:
        for bad in (DEMO_STAFF_PIN_HASH, hash_pin("2580"), "2580", "scrypt$x"):
            with pytest.raises(StaffPinError):
                store_pin_hash(DeviceSettings(db), bad)
