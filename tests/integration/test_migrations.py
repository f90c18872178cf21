"""Schema upgrades keep the outbox: envelopes queued under the first schema survive to head."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from contract.content import KST
from contract.wire import Envelope
from kiosk.store.db import (
    DB_FILENAME,
    HEAD_REVISION,
    current_revision,
    downgrade,
    make_engine,
    open_database,
    upgrade,
)
from kiosk.store.outbox import Outbox

FIRST_REVISION = "0001"


@pytest.fixture
def engine(data_dir: Path) -> Iterator[Engine]:
    engine = make_engine(data_dir / DB_FILENAME)
    yield engine
    engine.dispose()


def queue_under_first_schema(path: Path, count: int) -> list[Envelope]:
    """Insert pending envelopes with plain SQL, as the app at revision 0001 would have."""
    envelopes = [
        Envelope(
            id=uuid.uuid4(),
            kind="proposal.agree" if i % 2 else "survey.response",
            schema_version=1,
            content_version="2026.10.2" if i % 3 else None,
            device_seq=i + 1,
            created_at=datetime(2026, 10, 30, 8, 0, i, 500_000, tzinfo=UTC),
            clock_offset_s=-0.75 * i,
            boot_id="boot-old",
            practice=i == 4,
            payload={"i": i, "answer": "매우 만족", "items": [1, 2.5, None]},
            sealed_identity=f"sealed:{i}" if i % 4 == 0 else None,
        )
        for i in range(count)
    ]
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.executemany(
                "INSERT INTO outbox (id, device_seq, kind, schema_version, content_version,"
                " created_at, clock_offset_s, boot_id, practice, payload, sealed_identity)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        str(e.id),
                        e.device_seq,
                        e.kind,
                        e.schema_version,
                        e.content_version,
                        e.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                        e.clock_offset_s,
                        e.boot_id,
                        int(e.practice),
                        json.dumps(e.payload, ensure_ascii=False),
                        e.sealed_identity,
                    )
                    for e in envelopes
                ],
            )
            # One already delivered under the old schema, which had no receipts yet.
            conn.execute(
                "UPDATE outbox SET status = 'sent', sent_at = '2026-10-30T09:00:00.000000Z',"
                " attempts = 1 WHERE device_seq = 1"
            )
    finally:
        conn.close()
    return envelopes


def test_pending_envelopes_survive_the_upgrade_to_head(data_dir: Path, engine: Engine) -> None:
    upgrade(engine, FIRST_REVISION)
    assert current_revision(engine) == FIRST_REVISION
    envelopes = queue_under_first_schema(data_dir / DB_FILENAME, 12)
    engine.dispose()

    with open_database(data_dir) as db:
        assert current_revision(db.engine) == HEAD_REVISION
        outbox = Outbox(db)
        assert outbox.pending(limit=100) == envelopes[1:]
        assert outbox.counts_by_status() == {"pending": 11, "sent": 1, "dead": 0}
        sent = outbox.get(envelopes[0].id)
        assert sent is not None
        assert (sent.status, sent.attempts, sent.receipt) == ("sent", 1, None)
        # The sequence carries on; the new columns and tables work on the old rows.
        assert outbox.enqueue("agree", {}, content_version=None).device_seq == 13
        outbox.move_to_dead_letter(envelopes[5].id, "rejected after the upgrade")
        outbox.mark_sent({envelopes[6].id: {"status": "accepted"}})
        assert [d.envelope for d in outbox.dead_letters()] == [envelopes[5]]


def test_upgraded_outbox_is_protected_by_triggers(data_dir: Path, engine: Engine) -> None:
    upgrade(engine, FIRST_REVISION)
    queue_under_first_schema(data_dir / DB_FILENAME, 3)
    engine.dispose()
    with open_database(data_dir):
        pass
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            conn.execute("UPDATE outbox SET payload = '{}'")
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            conn.execute("DELETE FROM outbox")
        # 0004 rebuilt the table: 0003's trigger on the sealed-to key is there again.
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            conn.execute("UPDATE outbox SET sealed_to = 'another-key'")
    finally:
        conn.close()


def test_downgrade_and_upgrade_round_trip_keeps_pending_envelopes(
    data_dir: Path, engine: Engine
) -> None:
    upgrade(engine, "head")
    with open_database(data_dir) as db:
        outbox = Outbox(db)
        envelopes = [
            outbox.enqueue("survey.response", {"i": i}, content_version="v1") for i in range(5)
        ]
    downgrade(engine, FIRST_REVISION)
    assert current_revision(engine) == FIRST_REVISION
    upgrade(engine, "head")
    with open_database(data_dir) as db:
        assert Outbox(db).pending() == envelopes


def test_downgrade_refuses_to_lose_dead_letters(data_dir: Path, engine: Engine) -> None:
    upgrade(engine, "head")
    with open_database(data_dir) as db:
        outbox = Outbox(db)
        envelope = outbox.enqueue("agree", {}, content_version=None)
        outbox.move_to_dead_letter(envelope.id, "conflict")
    with pytest.raises(RuntimeError, match="dead letters"):
        downgrade(engine, FIRST_REVISION)
    # All or nothing: the refused downgrade changed nothing.
    assert current_revision(engine) == HEAD_REVISION
    with open_database(data_dir) as db:
        assert len(Outbox(db).dead_letters()) == 1


def test_envelopes_sealed_before_0003_are_recorded_as_sealed_to_the_key_held_then(
    data_dir: Path, engine: Engine
) -> None:
    upgrade(engine, FIRST_REVISION)
    envelopes = queue_under_first_schema(data_dir / DB_FILENAME, 6)
    upgrade(engine, "0002")
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    with conn:
        conn.execute(
            "INSERT INTO device_settings (key, value) VALUES ('sync.server_public_key', ?)",
            (json.dumps("key-A"),),
        )
    conn.close()
    engine.dispose()

    with open_database(data_dir) as db:
        outbox = Outbox(db)
        for e in envelopes:
            assert outbox.sealed_to(e.id) == ("key-A" if e.sealed_identity else None)
        # Sent only to the server holding that key; the others wait for a USB export.
        assert outbox.pending(limit=100, sealed_to="key-A") == envelopes[1:]
        assert outbox.pending(limit=100, sealed_to="key-B") == [
            e for e in envelopes[1:] if e.sealed_identity is None
        ]


def test_the_one_vote_lists_move_to_their_table_and_still_refuse_a_second_vote(
    data_dir: Path, engine: Engine
) -> None:
    """Before 0006 each item's records were one JSON list in device_settings: after the upgrade
    they are rows of civic_records, found by the same local keys, and the lists are gone."""
    from kiosk.store import civic_records

    upgrade(engine, "0005")
    engine.dispose()
    agreed_at = datetime(2026, 12, 1, 19, 30, 5, 250_000, tzinfo=UTC)
    voted_at = datetime(2026, 12, 2, 10, 0, tzinfo=KST)
    old = {
        "civic.agrees.crosswalk-sindang": [
            {
                "k": civic_records.scoped_key("crosswalk-sindang", "key-a"),
                "at": agreed_at.isoformat(),
            },
            {
                "k": civic_records.scoped_key("crosswalk-sindang", "key-b"),
                "at": voted_at.isoformat(),
            },
        ],
        "civic.ballots.2027-pb": [
            {"k": civic_records.scoped_key("2027-pb", "key-a"), "at": voted_at.isoformat()}
        ],
        "civic.ballots.empty-vote": [],
        "clock_offset_s": 1.5,  # not a one-vote list: stays
    }
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    with conn:
        conn.executemany(
            "INSERT INTO device_settings (key, value) VALUES (?, ?)",
            [(key, json.dumps(value)) for key, value in old.items()],
        )
    conn.close()

    with open_database(data_dir) as db:
        with db.read() as read:
            keys = [k for (k,) in read.exec_driver_sql("SELECT key FROM device_settings")]
            given = read.exec_driver_sql(
                "SELECT kind, item_id, given_at FROM civic_records ORDER BY given_at"
            ).all()
        assert keys == ["clock_offset_s"]
        assert given == [
            ("agree", "crosswalk-sindang", "2026-12-01T19:30:05.250000Z"),
            ("agree", "crosswalk-sindang", "2026-12-02T01:00:00.000000Z"),
            ("ballot", "2027-pb", "2026-12-02T01:00:00.000000Z"),
        ]
        with db.write_raw() as raw:
            assert civic_records.given(raw, "ballot", "2027-pb", "key-a")
            assert not civic_records.given(raw, "ballot", "2027-pb", "key-b")
            assert civic_records.given(raw, "agree", "crosswalk-sindang", "key-b")
        since = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
        assert civic_records.agrees_since(db, "crosswalk-sindang", since) == 1


def test_the_one_vote_records_go_back_to_their_lists_on_a_downgrade(
    data_dir: Path, engine: Engine
) -> None:
    from kiosk.store import civic_records

    with open_database(data_dir) as db, db.write_raw() as raw:
        at = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
        civic_records.record(raw, "ballot", "2027-pb", "key-a", at)
    downgrade(engine, "0005")
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    try:
        [(value,)] = conn.execute(
            "SELECT value FROM device_settings WHERE key = 'civic.ballots.2027-pb'"
        ).fetchall()
    finally:
        conn.close()
    assert json.loads(value) == [
        {"k": civic_records.scoped_key("2027-pb", "key-a"), "at": "2026-12-01T10:00:00+00:00"}
    ]
    upgrade(engine, "head")
    with open_database(data_dir) as db, db.write_raw() as raw:
        assert civic_records.given(raw, "ballot", "2027-pb", "key-a")
