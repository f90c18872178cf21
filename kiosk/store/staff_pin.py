"""The staff PIN as the device keeps it: its hash and its failures, in the device database.

Enrolment (`python -m sync enroll`, the staff page's 기기 등록) and the installer (`python -m
sync set-pin`) store the hash; the configuration file's `admin_pin_hash`, when set, overrides
it (fleet provisioning). The rules (no default PIN, the demo PIN only in demo mode, the growing
lock-out) are kiosk.domain.admin; this module reads and writes what they need.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from contract.pin import verify_pin
from kiosk.domain.admin import (
    PinFailures,
    StaffPin,
    StaffPinLockout,
    is_demo_pin,
    staff_pin,
)
from kiosk.store.settings import DeviceSettings

log = logging.getLogger(__name__)

PIN_HASH_KEY = "staff.pin_hash"
FAILURES_KEY = "staff.pin_failures"


class StaffPinError(ValueError):
    """A PIN hash that may not become the staff PIN (malformed, or the demo's)."""


@dataclass(frozen=True)
class PinCheck:
    """One try of the staff PIN: `ok`, or refused (`locked_s` > 0: locked; `problem`: the
    device has no usable PIN; else a wrong PIN). `locked_now` is set when this miss began a
    lock-out."""

    ok: bool
    locked_s: int = 0
    problem: str | None = None
    locked_now: bool = False


def stored_pin_hash(settings: DeviceSettings) -> str | None:
    value = settings.get(PIN_HASH_KEY)
    return value if isinstance(value, str) and value else None


def check_pin_hash(pin_hash: str) -> None:
    """StaffPinError when `pin_hash` may not be the staff PIN: malformed, or the demo's PIN."""
    if not _well_formed(pin_hash):
        raise StaffPinError("not a PIN hash (scrypt$N$r$p$salt$hash, see contract.pin)")
    if is_demo_pin(pin_hash):
        raise StaffPinError("the demo PIN 2580 is printed in the README; choose another PIN")


def store_pin_hash(settings: DeviceSettings, pin_hash: str) -> None:
    """Make `pin_hash` the staff PIN. StaffPinError for a malformed hash or the demo's PIN."""
    check_pin_hash(pin_hash)
    settings.set(PIN_HASH_KEY, pin_hash)
    log.info("staff_pin_set")


def _well_formed(pin_hash: str) -> bool:
    # A hash verify_pin can read: any PIN checked against it gets a clean yes or no.
    parts = pin_hash.split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and all(p.isdecimal() for p in parts[1:4])


def read_failures(settings: DeviceSettings) -> PinFailures:
    return PinFailures.from_json(settings.get(FAILURES_KEY))


def reset_lockout_count(settings: DeviceSettings) -> None:
    """A new enrolment: the heartbeat's lock-out count starts again (a lock-out in force stays)."""
    failures = read_failures(settings)
    settings.set(
        FAILURES_KEY,
        PinFailures(
            misses=failures.misses,
            streak=failures.streak,
            locked_until=failures.locked_until,
            lock_s=failures.lock_s,
        ).to_json(),
    )


class StaffPinGate:
    """Checks the staff PIN for the staff pages and the shell, with the persistent lock-out.

    Attributes:
        lockout: the lock-out, saved to the device database at every change.
    """

    def __init__(
        self,
        settings: DeviceSettings,
        *,
        configured: str | None,
        demo: bool,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._configured = configured
        self._demo = demo
        self._wall = wall
        self._mono = mono
        self.lockout = StaffPinLockout(read_failures(settings), save=self._save)

    def pin(self) -> StaffPin:
        """The PIN in force now (enrolment may have set a new one since the last look)."""
        return staff_pin(
            configured=self._configured, stored=stored_pin_hash(self._settings), demo=self._demo
        )

    def seconds_locked(self) -> int:
        self._follow_database()
        return self.lockout.seconds_locked(self._wall(), self._mono())

    def _follow_database(self) -> None:
        # Another process (python -m sync reset on the same device) may have counted misses.
        stored = read_failures(self._settings)
        if stored != self.lockout.failures:
            self.lockout = StaffPinLockout(stored, save=self._save)

    def check(self, pin: str) -> PinCheck:
        """Try `pin`. A device without a usable PIN refuses every try (none is counted)."""
        in_force = self.pin()
        if not in_force.usable:
            assert in_force.problem is not None
            return PinCheck(ok=False, problem=in_force.problem.value)
        locked = self.seconds_locked()
        if locked:
            return PinCheck(ok=False, locked_s=locked)
        assert in_force.pin_hash is not None
        ok = verify_pin(pin, in_force.pin_hash)
        locked_now = self.lockout.record(ok, self._wall(), self._mono())
        if locked_now:
            log.warning(
                "staff_pin_lockout count=%d lock_s=%.0f",
                self.lockout.failures.lockouts,
                self.lockout.failures.lock_s,
            )
            return PinCheck(ok=False, locked_s=self.seconds_locked(), locked_now=True)
        return PinCheck(ok=ok)

    def _save(self, failures: PinFailures) -> None:
        self._settings.set(FAILURES_KEY, failures.to_json())
