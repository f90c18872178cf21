"""Backups of the device database, taken with SQLite's online backup API while the app runs.

Never a file copy: copying a WAL database file can miss committed pages still in the WAL.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kiosk.store.db import Database


def backup_database(db: Database, dest: Path) -> None:
    """Write a consistent copy of `db` to `dest`, replacing it only once the copy is complete.

    Raises sqlite3.DatabaseError if the copy fails its integrity check; `dest` is then untouched.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(db.path)
    try:
        target = sqlite3.connect(partial)
        try:
            # One step: under WAL a reader never blocks writers, and one step never restarts.
            source.backup(target)
            # A backup file is one self-contained file: no WAL beside it.
            target.execute("PRAGMA journal_mode=DELETE").close()
            result = target.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise sqlite3.DatabaseError(f"backup failed its integrity check: {result}")
        finally:
            target.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    os.replace(partial, dest)
