"""Who already agreed or voted at this kiosk, without naming anyone: "already here" offline.

The identity step gives an act a local key (kiosk.domain.identity: an HMAC of the phone number
and birth date with the device's own secret). This table keeps, per proposal and per budget
vote and per contest whose vote is one per resident, a hash of that key with the item's id,
so the kiosk can refuse a second agree, ballot or such contest vote while offline. Hashing it
again with the item makes the records of one resident on different items unlinkable to each
other; none of them names a resident without the secret.

One row per record (migrations 0006 and 0007; before it, one JSON list per item in device settings),
unique per item and key. Each row also holds when it was given, so a proposal's count can say
how many agrees this kiosk gave since the content pack was published (the server has not
confirmed those yet).

The check and the record run on the connection of the act's own transaction (kiosk.services),
the one that also queues the envelope: both are written, or neither.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from typing import Literal

from kiosk.store.db import Database
from kiosk.store.models import format_utc

RecordKind = Literal["agree", "ballot", "contest_vote"]

_GIVEN_SQL = "SELECT 1 FROM civic_records WHERE kind = ? AND item_id = ? AND scoped_key = ? LIMIT 1"
_RECORD_SQL = "INSERT INTO civic_records (kind, item_id, scoped_key, given_at) VALUES (?, ?, ?, ?)"
_SINCE_SQL = "SELECT count(*) FROM civic_records WHERE kind = ? AND item_id = ? AND given_at > ?"


def scoped_key(item_id: str, local_key: str) -> str:
    """The record of one resident on one item: unlinkable to the same resident's others."""
    return hashlib.sha256(f"{item_id}\x00{local_key}".encode()).hexdigest()


def given(conn: sqlite3.Connection, kind: RecordKind, item_id: str, local_key: str) -> bool:
    """Whether this resident already gave an agree or ballot on this item at this kiosk."""
    found = conn.execute(_GIVEN_SQL, (kind, item_id, scoped_key(item_id, local_key))).fetchone()
    return found is not None


def record(
    conn: sqlite3.Connection, kind: RecordKind, item_id: str, local_key: str, at: datetime
) -> None:
    """Keep the record; sqlite3.IntegrityError if this resident already has one on the item."""
    conn.execute(_RECORD_SQL, (kind, item_id, scoped_key(item_id, local_key), format_utc(at)))


def agrees_since(db: Database, proposal_id: str, since: datetime) -> int:
    """Agrees given at this kiosk after `since` (the content pack's publication, or the moment
    the server's published counts cover this kiosk's agrees up to)."""
    with db.read() as conn:
        found = conn.exec_driver_sql(_SINCE_SQL, ("agree", proposal_id, format_utc(since)))
        return int(found.scalar_one())
