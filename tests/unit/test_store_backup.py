"""backup_database: a consistent copy of the live database through SQLite's backup API."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.store.backup import backup_database
from kiosk.store.db import Database, open_database
from kiosk.store.outbox import Outbox


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    with open_database(data_dir) as database:
        yield database


def test_backup_holds_every_committed_envelope(db: Database, tmp_path: Path) -> None:
    outbox = Outbox(db)
    envelopes = [outbox.enqueue("agree", {"i": i}, content_version=None) for i in range(20)]
    dest = tmp_path / "backups" / "device-backup.sqlite3"
    backup_database(db, dest)
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        ids = [r[0] for r in copy.execute("SELECT id FROM outbox ORDER BY device_seq")]
    finally:
        copy.close()
    assert ids == [str(e.id) for e in envelopes]
    assert not dest.with_name(dest.name + ".partial").exists()


def test_a_backup_opens_as_a_device_database(db: Database, tmp_path: Path) -> None:
    envelope = Outbox(db).enqueue("agree", {"p": "p1"}, content_version="v1")
    restored_dir = tmp_path / "restored"
    backup_database(db, restored_dir / "device.sqlite3")
    with open_database(restored_dir) as restored:
        assert Outbox(restored).pending() == [envelope]


def test_backup_replaces_an_older_backup(db: Database, tmp_path: Path) -> None:
    outbox = Outbox(db)
    dest = tmp_path / "b.sqlite3"
    outbox.enqueue("agree", {}, content_version=None)
    backup_database(db, dest)
    outbox.enqueue("agree", {}, content_version=None)
    backup_database(db, dest)
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("SELECT count(*) FROM outbox").fetchone()[0] == 2
    finally:
        copy.close()


def test_backup_sees_commits_still_in_the_wal(db: Database, tmp_path: Path) -> None:
    """A file copy of device.sqlite3 alone would miss these; the backup API does not."""
    outbox = Outbox(db)
    for i in range(5):
        outbox.enqueue("agree", {"i": i}, content_version=None)
    assert db.path.with_name(db.path.name + "-wal").stat().st_size > 0
    dest = tmp_path / "b.sqlite3"
    backup_database(db, dest)
    copy = sqlite3.connect(dest)
    try:
        assert copy.execute("SELECT count(*) FROM outbox").fetchone()[0] == 5
    finally:
        copy.close()
