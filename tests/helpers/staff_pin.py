"""The staff PIN tests give a device: nothing has one by default (issue 14)."""

from __future__ import annotations

from typing import Any

from contract.pin import hash_pin

STAFF_PIN = "482916"
# A fixed salt: one scrypt at import, the same hash in every test.
STAFF_PIN_HASH = hash_pin(STAFF_PIN, salt=b"ontong-tests-pin")


def give_staff_pin(window: Any, pin_hash: str = STAFF_PIN_HASH) -> None:
    """Store the staff PIN in the window's device database, as enrolment does."""
    from kiosk.store.settings import DeviceSettings
    from kiosk.store.staff_pin import store_pin_hash

    store_pin_hash(DeviceSettings(window.ctx.db), pin_hash)
