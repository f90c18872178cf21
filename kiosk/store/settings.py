"""Device-local settings kept in the database: the clock offset, the enrolled device id, the
device-local secret and the device's signing key. Values are JSON; the typed helpers are the way
the app reads them.
"""

from __future__ import annotations

import base64
import math
import secrets
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert

from kiosk.store.db import Database
from kiosk.store.models import DeviceSetting
from kiosk.store.quick import DEVICE_ID_KEY

CLOCK_OFFSET_KEY = "clock_offset_s"
LOCAL_SECRET_KEY = "local_secret"
LOCAL_SECRET_BYTES = 32
DEVICE_SIGNING_KEY_KEY = "device_signing_key"
ED25519_SEED_BYTES = 32


class DeviceSettings:
    """Reads and writes device settings; each call is its own transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: Any = None) -> Any:
        with self._db.read_session() as session:
            row = session.get(DeviceSetting, key)
            return default if row is None else row.value

    def set(self, key: str, value: Any) -> None:
        """Store `value` (anything JSON can hold) under `key`, replacing what was there."""
        stmt = insert(DeviceSetting).values(key=key, value=value)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value})
        with self._db.session() as session:
            session.execute(stmt)

    def delete(self, *keys: str) -> None:
        """Forget `keys` (absent ones are fine), in one transaction."""
        with self._db.session() as session:
            session.execute(delete(DeviceSetting).where(DeviceSetting.key.in_(keys)))

    def clock_offset_s(self) -> float:
        """Last known server_time - device_time in seconds; 0.0 until the server has been heard."""
        return float(self.get(CLOCK_OFFSET_KEY, 0.0))

    def set_clock_offset_s(self, offset_s: float) -> None:
        if not math.isfinite(offset_s):
            raise ValueError(f"clock offset must be a finite number of seconds: {offset_s!r}")
        self.set(CLOCK_OFFSET_KEY, float(offset_s))

    def device_id(self) -> str | None:
        """The id the server gave at enrolment; None until the device is enrolled."""
        value = self.get(DEVICE_ID_KEY)
        return None if value is None else str(value)

    def set_device_id(self, device_id: str) -> None:
        if not device_id:
            raise ValueError("device id must not be empty")
        self.set(DEVICE_ID_KEY, device_id)

    def local_secret(self) -> bytes:
        """This device's own random secret (the HMAC key for local identity hashes).

        Created on first use; later calls, from any process, return the same bytes.
        """
        return self._random_bytes_once(LOCAL_SECRET_KEY, LOCAL_SECRET_BYTES)

    def device_signing_key(self) -> bytes:
        """This device's Ed25519 private key (the raw 32-byte seed) that signs outbox bundles.

        Any 32 random bytes are an Ed25519 key, so it is made like the local secret: on first
        use, once. `sync.bundle` derives the public key the server keeps.
        """
        return self._random_bytes_once(DEVICE_SIGNING_KEY_KEY, ED25519_SEED_BYTES)

    def _random_bytes_once(self, key: str, size: int) -> bytes:
        with self._db.session() as session:
            # Inside the write transaction, so two first uses cannot create two values.
            stored = session.scalar(select(DeviceSetting.value).where(DeviceSetting.key == key))
            if stored is not None:
                return base64.b64decode(stored)
            value = secrets.token_bytes(size)
            session.add(DeviceSetting(key=key, value=base64.b64encode(value).decode("ascii")))
            return value
