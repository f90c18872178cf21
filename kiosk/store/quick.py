"""What start-up reads before the first screen, with plain sqlite3.

Importing SQLAlchemy costs more than starting Qt itself, so the window does not wait for it:
start-up only checks that the schema is current and reads the active content manifest; the
full store (`kiosk.store.db`) opens right after the first paint.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

DB_FILENAME = "device.sqlite3"
# The newest migration. A test keeps it in step with the migrations folder.
HEAD_REVISION = "0007"
# Set once the device is enrolled with a server (kiosk.store.settings owns the settings).
DEVICE_ID_KEY = "device_id"


def _connect_read_only(path: Path) -> sqlite3.Connection | None:
    if not path.exists():
        return None
    # Read-only URI: a reader never creates or changes the file, and needs no write lock.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def schema_revision(path: Path) -> str | None:
    """The migration the database file is at; None when it has none (or does not exist)."""
    conn = _connect_read_only(path)
    if conn is None:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no alembic_version table: never migrated
        return None
    finally:
        conn.close()
    return row[0] if row else None


def active_content(path: Path) -> tuple[str, dict[str, Any]] | None:
    """(version, manifest) of the active content version, or None when there is none."""
    conn = _connect_read_only(path)
    if conn is None:
        return None
    try:
        row = conn.execute("SELECT version, manifest FROM content_versions WHERE active").fetchone()
    finally:
        conn.close()
    return (row[0], json.loads(row[1])) if row else None


def setting(path: Path, key: str) -> Any:
    """A device setting's value (see kiosk.store.settings), or None when it is not set."""
    conn = _connect_read_only(path)
    if conn is None:
        return None
    try:
        row = conn.execute("SELECT value FROM device_settings WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # no settings table yet
        return None
    finally:
        conn.close()
    return json.loads(row[0]) if row else None
