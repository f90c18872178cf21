"""Who already agreed or voted at this kiosk, without naming anyone: "already here" offline.

The identity screen hands a flow a local key (kiosk.domain.identity.local_key: an HMAC of the
phone number and birth date with the device's own secret). This module keeps, per proposal and
per budget vote, a hash of that key with the item's id, so the kiosk can refuse a second agree
or ballot while offline. Hashing it again with the item makes the records of one resident on
different items unlinkable to each other; none of them names a resident without the secret.

Kept in device settings (one JSON list per item), so no schema change is needed. Each record
also holds when it was given, so a proposal's count can say how many agrees this kiosk gave
since the content pack was published (the server has not confirmed those yet).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from kiosk.store.db import Database
from kiosk.store.settings import DeviceSettings

AGREES_PREFIX = "civic.agrees."
BALLOTS_PREFIX = "civic.ballots."


def _scoped(item_id: str, local_key: str) -> str:
    return hashlib.sha256(f"{item_id}\x00{local_key}".encode()).hexdigest()


class CivicKeys:
    """Local agree and ballot records; each call is its own transaction."""

    def __init__(self, db: Database) -> None:
        self._settings = DeviceSettings(db)

    def _records(self, key: str) -> list[dict[str, Any]]:
        value = self._settings.get(key, [])
        return list(value) if isinstance(value, list) else []

    def _has(self, key: str, item_id: str, local_key: str) -> bool:
        scoped = _scoped(item_id, local_key)
        return any(r.get("k") == scoped for r in self._records(key))

    def _add(self, key: str, item_id: str, local_key: str, at: datetime) -> None:
        records = self._records(key)
        records.append({"k": _scoped(item_id, local_key), "at": at.isoformat()})
        self._settings.set(key, records)

    # -- agrees -----------------------------------------------------------------------------

    def agreed(self, proposal_id: str, local_key: str) -> bool:
        return self._has(AGREES_PREFIX + proposal_id, proposal_id, local_key)

    def record_agree(self, proposal_id: str, local_key: str, at: datetime) -> None:
        self._add(AGREES_PREFIX + proposal_id, proposal_id, local_key, at)

    def agrees_since(self, proposal_id: str, since: datetime) -> int:
        """Agrees given at this kiosk after `since` (the content pack's publication)."""
        return sum(
            1
            for r in self._records(AGREES_PREFIX + proposal_id)
            if datetime.fromisoformat(str(r.get("at"))) > since
        )

    # -- ballots ----------------------------------------------------------------------------

    def voted(self, vote_id: str, local_key: str) -> bool:
        return self._has(BALLOTS_PREFIX + vote_id, vote_id, local_key)

    def record_ballot(self, vote_id: str, local_key: str, at: datetime) -> None:
        self._add(BALLOTS_PREFIX + vote_id, vote_id, local_key, at)
