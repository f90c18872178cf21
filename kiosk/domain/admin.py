"""The hidden staff entry: a tap pattern, then the staff PIN with a lock-out after repeated
misses.

The staff PIN (what opens the status page, 기기 등록 and 기기 초기화) has no default: a device
has none until enrolment (or the installer) sets one. The demo's PIN 2580 is printed in the
README, so it opens the staff page in demo mode only (`python -m kiosk --demo`) and is refused
everywhere else, whether it comes from the configuration file or the device database.

The staff lock-out (`StaffPinLockout`) outlives the app: its record (`PinFailures`) is kept in
the device database, and the delay grows, 1 minute after 5 misses, doubling with each further
lock-out up to an hour, until a correct PIN. See `StaffPinLockout` for how time is counted.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from contract.pin import verify_pin

# The demo's staff PIN (README) and its scrypt hash: accepted only in demo mode.
DEMO_STAFF_PIN = "2580"
DEMO_STAFF_PIN_HASH = (
    "scrypt$16384$8$1$oSugg5ZO68EB+fEc6b+QPw==$7lIn+xTIdiAymSLP91iq9luVgS0Qocw5udD1hNqFjK8="
)
# A new staff PIN: 6 to 8 digits (the keypad has digits only; 8 is what the PIN page takes).
STAFF_PIN_MIN_DIGITS = 6
STAFF_PIN_MAX_DIGITS = 8


class TapPattern:
    """True once `taps` taps land within `window_s` seconds (on a monotonic clock)."""

    def __init__(self, taps: int = 5, window_s: float = 3.0) -> None:
        self.taps = taps
        self.window_s = window_s
        self._times: deque[float] = deque(maxlen=taps)

    def tap(self, now: float) -> bool:
        self._times.append(now)
        if len(self._times) == self.taps and now - self._times[0] <= self.window_s:
            self._times.clear()
            return True
        return False


class PinLockout:
    """After `max_misses` wrong PINs in a row, refuse tries for `lock_s` seconds."""

    def __init__(self, max_misses: int = 5, lock_s: float = 60.0) -> None:
        self.max_misses = max_misses
        self.lock_s = lock_s
        self._misses = 0
        self._locked_until = 0.0

    def seconds_locked(self, now: float) -> int:
        return max(0, int(self._locked_until - now + 0.999))

    def record(self, ok: bool, now: float) -> None:
        if ok:
            self._misses = 0
            return
        self._misses += 1
        if self._misses >= self.max_misses:
            self._misses = 0
            self._locked_until = now + self.lock_s


# -- the staff PIN ------------------------------------------------------------------------------


class StaffPinProblem(StrEnum):
    """Why the device has no usable staff PIN; the value is the message id the PIN page shows."""

    UNSET = "admin.pin.unset"
    DEMO = "admin.pin.demo_refused"


@dataclass(frozen=True)
class StaffPin:
    """The staff PIN hash the device checks against, or why there is none."""

    pin_hash: str | None
    problem: StaffPinProblem | None = None

    @property
    def usable(self) -> bool:
        return self.pin_hash is not None and self.problem is None


def is_demo_pin(pin_hash: str) -> bool:
    """True for the demo's hash and for any other hash of the demo PIN."""
    return pin_hash == DEMO_STAFF_PIN_HASH or verify_pin(DEMO_STAFF_PIN, pin_hash)


def staff_pin(*, configured: str | None, stored: str | None, demo: bool) -> StaffPin:
    """The staff PIN in force: in demo mode the demo's, whatever the device holds; otherwise the
    configuration file's `admin_pin_hash` (fleet provisioning) when set, else the one enrolment
    stored. None of them, or the demo PIN outside demo mode: no usable PIN."""
    if demo:
        return StaffPin(DEMO_STAFF_PIN_HASH)
    chosen = configured or stored
    if not chosen:
        return StaffPin(None, StaffPinProblem.UNSET)
    if is_demo_pin(chosen):
        return StaffPin(None, StaffPinProblem.DEMO)
    return StaffPin(chosen)


def new_staff_pin_problem(pin: str) -> str | None:
    """Why `pin` cannot become the staff PIN (a message id), or None when it can."""
    if not pin.isdecimal() or not pin.isascii():
        return "admin.pin.new.digits"
    if not STAFF_PIN_MIN_DIGITS <= len(pin) <= STAFF_PIN_MAX_DIGITS:
        return "admin.pin.new.length"
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    # 000000, 123456, 987654: the first PINs anyone tries.
    if len(steps) == 1 and steps <= {-1, 0, 1}:
        return "admin.pin.new.simple"
    return None


# -- the staff lock-out -------------------------------------------------------------------------


@dataclass(frozen=True)
class LockoutRule:
    """After `max_misses` wrong PINs, lock for `first_lock_s`; each further lock-out before a
    correct PIN doubles the delay, up to `max_lock_s`."""

    max_misses: int = 5
    first_lock_s: float = 60.0
    max_lock_s: float = 3600.0

    def lock_s(self, streak: int) -> float:
        """The delay of the `streak`-th lock-out in a row (1 for the first)."""
        return float(min(self.max_lock_s, self.first_lock_s * 2.0 ** min(max(streak, 1) - 1, 32)))


@dataclass(frozen=True)
class PinFailures:
    """The staff PIN's failures as the device database keeps them (JSON in DeviceSettings).

    Attributes:
        misses: wrong PINs since the last lock-out (or correct PIN).
        streak: lock-outs since the last correct PIN; sets the next delay.
        locked_until: wall-clock time (Unix seconds) when the latest lock-out ends.
        lock_s: that lock-out's delay.
        lockouts: lock-outs since enrolment (the heartbeat reports it).
        last_lockout_at: wall-clock time (Unix seconds) of the latest lock-out.
    """

    misses: int = 0
    streak: int = 0
    locked_until: float = 0.0
    lock_s: float = 0.0
    lockouts: int = 0
    last_lockout_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: Any) -> PinFailures:
        """The record; an unreadable one counts as a lock-out in force (never as none)."""
        if value is None:
            return cls()
        try:
            failures = cls(
                misses=int(value["misses"]),
                streak=int(value["streak"]),
                locked_until=float(value["locked_until"]),
                lock_s=float(value["lock_s"]),
                lockouts=int(value["lockouts"]),
                last_lockout_at=(
                    None if value["last_lockout_at"] is None else float(value["last_lockout_at"])
                ),
            )
        except (KeyError, TypeError, ValueError):
            failures = None
        if failures is None or not all(
            math.isfinite(v) for v in (failures.locked_until, failures.lock_s)
        ):
            rule = LockoutRule()
            return cls(streak=1, locked_until=math.inf, lock_s=rule.max_lock_s)
        return failures


class StaffPinLockout:
    """The staff PIN's lock-out, kept across restarts.

    Time: the end of a lock-out is kept in wall-clock time, so a restart does not end it early
    (the app starting again reads the same end). Within one run the remaining time is counted
    on the monotonic clock from the moment this run first saw the lock-out, so moving the
    system clock forward (or back) neither ends nor stretches it; the wall-clock remainder read
    at that moment is capped at the lock-out's own delay, so a clock set back at boot cannot
    lock the page for longer than the delay either. What this cannot see is a clock moved
    forward while the app was stopped: that takes root on the device (which holds the database
    anyway).

    `save` is called with every new record (the device database in the app).
    """

    def __init__(
        self,
        failures: PinFailures | None = None,
        rule: LockoutRule | None = None,
        save: Callable[[PinFailures], None] | None = None,
    ) -> None:
        self.failures = failures if failures is not None else PinFailures()
        self.rule = rule if rule is not None else LockoutRule()
        self._save = save
        # The monotonic time this run's view of the current lock-out ends; None: not seen yet.
        self._mono_end: float | None = None

    def seconds_locked(self, wall: float, mono: float) -> int:
        """Whole seconds (rounded up) until a PIN may be tried again; 0 when it may now."""
        f = self.failures
        if f.lock_s <= 0:
            return 0
        if self._mono_end is None:
            self._mono_end = mono + min(max(0.0, f.locked_until - wall), f.lock_s)
        remaining = self._mono_end - mono
        return max(0, math.ceil(remaining)) if remaining > 0 else 0

    def record(self, ok: bool, wall: float, mono: float) -> bool:
        """Count one try (made while not locked); True when this miss began a lock-out."""
        f = self.failures
        if ok:
            self._set(replace(f, misses=0, streak=0, locked_until=0.0, lock_s=0.0))
            self._mono_end = None
            return False
        if f.misses + 1 < self.rule.max_misses:
            # Tries are counted only once a lock-out is over: its end is now in the past.
            self._set(replace(f, misses=f.misses + 1, locked_until=min(f.locked_until, wall)))
            return False
        lock_s = self.rule.lock_s(f.streak + 1)
        self._set(
            PinFailures(
                misses=0,
                streak=f.streak + 1,
                locked_until=wall + lock_s,
                lock_s=lock_s,
                lockouts=f.lockouts + 1,
                last_lockout_at=wall,
            )
        )
        self._mono_end = mono + lock_s
        return True

    def _set(self, failures: PinFailures) -> None:
        self.failures = failures
        if self._save is not None:
            self._save(failures)
