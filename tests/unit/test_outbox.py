"""Outbox: queueing envelopes, their order, immutability and delivery state."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from contract.wire import Envelope, SealBinding, binding_of
from kiosk.store.db import Database, open_database
from kiosk.store.models import ENVELOPE_COLUMNS, UTC_FORMAT, format_utc
from kiosk.store.outbox import DeadLetter, Outbox, read_boot_id
from kiosk.store.settings import DeviceSettings

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class FakeClock:
    """A device clock that moves only when told to."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    with open_database(data_dir) as database:
        yield database


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def outbox(db: Database, clock: FakeClock) -> Outbox:
    return Outbox(db, clock=clock, boot_id="boot-a")


def enqueue(outbox: Outbox, n: int = 1, **kw: object) -> list[Envelope]:
    return [
        outbox.enqueue("survey.response", {"i": i, "answer": "네"}, content_version="v1", **kw)
        for i in range(n)
    ]


class FakeSeal:
    """Seals nothing: records the binding it was asked for, as kiosk.domain.identity.Sealer
    would seal it."""

    def __init__(self, server_key: str = "key-A") -> None:
        self.server_key = server_key
        self.bindings: list[SealBinding] = []

    def __call__(self, binding: SealBinding) -> str:
        self.bindings.append(binding)
        return f"sealed:{binding.id}"


def test_enqueue_returns_the_envelope_it_stored(outbox: Outbox) -> None:
    seal = FakeSeal()
    envelope = outbox.enqueue(
        "ballot.submit",
        {"ballot_id": "b-명동", "projects": ["p1", "p2"], "total_won": 3_000_000},
        content_version="2026.11.1",
        practice=True,
        seal=seal,
        schema_version=2,
    )
    assert envelope.kind == "ballot.submit"
    assert envelope.schema_version == 2
    assert envelope.content_version == "2026.11.1"
    assert envelope.device_seq == 1
    assert envelope.created_at == T0
    assert envelope.clock_offset_s == 0.0
    assert envelope.boot_id == "boot-a"
    assert envelope.practice is True
    # Sealed at the moment it was made, bound to the id, time and payload it was given.
    assert seal.bindings == [binding_of(envelope)]
    assert envelope.sealed_identity == f"sealed:{envelope.id}"
    assert outbox.sealed_to(envelope.id) == "key-A"
    assert envelope.id.version == 4
    stored = outbox.get(envelope.id)
    assert stored is not None
    assert stored.envelope == envelope
    assert stored.status == "pending"
    assert stored.attempts == 0
    assert stored.receipt is None


def test_enqueue_uses_the_last_known_clock_offset(db: Database, outbox: Outbox) -> None:
    DeviceSettings(db).set_clock_offset_s(-42.5)
    envelope = enqueue(outbox)[0]
    assert envelope.clock_offset_s == -42.5
    assert outbox.pending()[0].clock_offset_s == -42.5


def test_device_seq_counts_from_one_without_gaps(outbox: Outbox) -> None:
    envelopes = enqueue(outbox, 50)
    assert [e.device_seq for e in envelopes] == list(range(1, 51))
    assert len({e.id for e in envelopes}) == 50


def test_a_refused_envelope_takes_no_seq_and_writes_nothing(outbox: Outbox) -> None:
    enqueue(outbox)
    with pytest.raises(ValidationError):
        outbox.enqueue("", {"a": 1}, content_version="v1")
    with pytest.raises(ValueError):
        outbox.enqueue("survey.response", {"score": float("nan")}, content_version="v1")
    with pytest.raises(TypeError):
        outbox.enqueue("survey.response", {"when": T0}, content_version="v1")  # type: ignore[dict-item]
    assert enqueue(outbox)[0].device_seq == 2
    assert outbox.counts_by_status()["pending"] == 2


def test_device_seq_is_gap_free_across_writers(data_dir: Path) -> None:
    """Two connections (as two processes would have) enqueue at once: no seq taken twice."""
    per_writer = 40
    databases = [open_database(data_dir) for _ in range(2)]
    errors: list[BaseException] = []

    def write(database: Database) -> None:
        try:
            box = Outbox(database)
            for i in range(per_writer):
                box.enqueue("agree", {"i": i}, content_version=None)
        except BaseException as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=write, args=(d,)) for d in databases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        seqs = [e.device_seq for e in Outbox(databases[0]).pending(limit=1000)]
        assert seqs == list(range(1, 2 * per_writer + 1))
    finally:
        for d in databases:
            d.close()


def test_returned_payload_is_a_copy(outbox: Outbox) -> None:
    payload = {"answers": {"q1": ["a"]}}
    envelope = outbox.enqueue("survey.response", payload, content_version="v1")
    payload["answers"]["q1"].append("b")
    envelope.payload["answers"]["q1"].append("c")
    assert outbox.pending()[0].payload == {"answers": {"q1": ["a"]}}


def test_payload_round_trips_exactly(outbox: Outbox) -> None:
    payload = {
        "text": "명동 주민센터 앞 횡단보도 신호를 길게 해 주세요 🙏",
        "n": 12345678901234,
        "x": 0.1,
        "nested": {"list": [1, None, True, "가"]},
    }
    envelope = outbox.enqueue("proposal.new", payload, content_version=None)
    assert envelope.payload == payload
    assert outbox.pending()[0].payload == payload


def test_envelope_columns_cannot_be_updated(db: Database, outbox: Outbox) -> None:
    envelope = enqueue(outbox)[0]
    values = {
        "id": "'00000000-0000-4000-8000-000000000000'",
        "device_seq": "99",
        "kind": "'other'",
        "schema_version": "9",
        "content_version": "'v9'",
        "created_at": "'2000-01-01T00:00:00.000000Z'",
        "clock_offset_s": "1.0",
        "boot_id": "'b'",
        "practice": "1",
        "payload": "'{}'",
        "sealed_identity": "'x'",
    }
    assert set(values) == set(ENVELOPE_COLUMNS)
    for column, value in values.items():
        with pytest.raises(IntegrityError, match="immutable"), db.write() as conn:
            conn.execute(text(f"UPDATE outbox SET {column} = {value}"))
    assert outbox.pending() == [envelope]


def test_the_key_an_envelope_was_sealed_to_cannot_be_updated(db: Database, outbox: Outbox) -> None:
    envelope = outbox.enqueue(
        "proposal_agree", {"proposal_id": "p"}, content_version=None, seal=FakeSeal()
    )
    with pytest.raises(IntegrityError, match="immutable"), db.write() as conn:
        conn.execute(text("UPDATE outbox SET sealed_to = 'key-B'"))
    assert outbox.sealed_to(envelope.id) == "key-A"


def test_pending_for_a_server_key_leaves_out_envelopes_sealed_to_another(outbox: Outbox) -> None:
    plain = enqueue(outbox)[0]
    to_a = outbox.enqueue(
        "proposal_agree", {"proposal_id": "p"}, content_version=None, seal=FakeSeal("A")
    )
    to_b = outbox.enqueue(
        "proposal_agree", {"proposal_id": "p"}, content_version=None, seal=FakeSeal("B")
    )

    assert outbox.pending() == [plain, to_a, to_b]  # a USB export takes them all
    assert outbox.pending(sealed_to="A") == [plain, to_a]
    assert outbox.pending(sealed_to="B", after_seq=plain.device_seq) == [to_b]
    assert outbox.pending(sealed_to=None) == [plain]
    assert outbox.sealed_elsewhere("A") == 1
    assert outbox.sealed_elsewhere(None) == 2
    assert outbox.sealed_to(plain.id) is None


def test_a_seal_that_fails_writes_nothing(outbox: Outbox) -> None:
    def broken(binding: SealBinding) -> str:
        raise ValueError("no key")

    class Broken(FakeSeal):
        __call__ = staticmethod(broken)  # type: ignore[assignment]

    with pytest.raises(ValueError, match="no key"):
        outbox.enqueue("proposal_agree", {"proposal_id": "p"}, content_version=None, seal=Broken())
    assert outbox.pending() == []
    assert enqueue(outbox)[0].device_seq == 1


def test_envelope_columns_match_the_wire_model() -> None:
    assert set(ENVELOPE_COLUMNS) == set(Envelope.model_fields)


def test_outbox_rows_cannot_be_deleted(db: Database, outbox: Outbox) -> None:
    enqueue(outbox)
    with pytest.raises(IntegrityError, match="never deleted"), db.write() as conn:
        conn.execute(text("DELETE FROM outbox"))
    assert outbox.counts_by_status()["pending"] == 1


def test_no_outbox_method_changes_an_envelope(outbox: Outbox) -> None:
    a, b, c = enqueue(outbox, 3)
    outbox.record_failure([a.id, b.id], "timeout")
    outbox.mark_sent({a.id: {"status": "accepted"}})
    outbox.move_to_dead_letter(b.id, "closed")
    for envelope in (a, b, c):
        stored = outbox.get(envelope.id)
        assert stored is not None and stored.envelope == envelope


def test_pending_is_in_device_seq_order_and_limited(outbox: Outbox) -> None:
    envelopes = enqueue(outbox, 10)
    outbox.mark_sent({envelopes[0].id: {}})
    outbox.move_to_dead_letter(envelopes[3].id, "rejected")
    assert [e.device_seq for e in outbox.pending()] == [2, 3, 5, 6, 7, 8, 9, 10]
    assert [e.device_seq for e in outbox.pending(limit=3)] == [2, 3, 5]


def test_get_an_unknown_id(outbox: Outbox) -> None:
    assert outbox.get(uuid.uuid4()) is None


def test_counts_by_status(outbox: Outbox) -> None:
    assert outbox.counts_by_status() == {"pending": 0, "sent": 0, "dead": 0}
    envelopes = enqueue(outbox, 5)
    outbox.mark_sent({envelopes[0].id: {}, envelopes[1].id: {}})
    outbox.move_to_dead_letter(envelopes[2].id, "conflict")
    assert outbox.counts_by_status() == {"pending": 2, "sent": 2, "dead": 1}


def test_mark_sent_keeps_the_receipt(outbox: Outbox, clock: FakeClock) -> None:
    a, b = enqueue(outbox, 2)
    clock.advance(30)
    receipt = {"status": "duplicate", "received_at": "2026-11-25T09:00:31Z", "n": 3}
    assert outbox.mark_sent({a.id: receipt}) == 1
    stored = outbox.get(a.id)
    assert stored is not None
    assert stored.status == "sent"
    assert stored.receipt == receipt
    assert stored.sent_at == T0 + timedelta(seconds=30)
    assert stored.attempts == 1
    assert outbox.pending() == [b]


def test_mark_sent_leaves_sent_dead_and_unknown_alone(outbox: Outbox) -> None:
    a, b = enqueue(outbox, 2)
    outbox.mark_sent({a.id: {"first": True}})
    outbox.move_to_dead_letter(b.id, "rejected")
    assert outbox.mark_sent({a.id: {"second": True}, b.id: {}, uuid.uuid4(): {}}) == 0
    stored_a, stored_b = outbox.get(a.id), outbox.get(b.id)
    assert stored_a is not None and stored_a.receipt == {"first": True}
    assert stored_b is not None and stored_b.status == "dead"
    assert outbox.mark_sent({}) == 0


def test_record_failure_counts_attempts(outbox: Outbox, clock: FakeClock) -> None:
    a, b, c = enqueue(outbox, 3)
    outbox.record_failure([a.id, b.id], "connection refused")
    clock.advance(5)
    assert outbox.record_failure([a.id], "timeout after 10 s") == 1
    stored_a, stored_b, stored_c = (outbox.get(e.id) for e in (a, b, c))
    assert stored_a is not None and stored_b is not None and stored_c is not None
    assert (stored_a.attempts, stored_a.last_error) == (2, "timeout after 10 s")
    assert stored_a.last_attempt_at == T0 + timedelta(seconds=5)
    assert (stored_b.attempts, stored_b.last_error) == (1, "connection refused")
    assert (stored_c.attempts, stored_c.last_error) == (0, None)
    assert stored_a.status == "pending"
    assert outbox.record_failure([], "nothing") == 0


def test_record_failure_leaves_sent_envelopes_alone(outbox: Outbox) -> None:
    a = enqueue(outbox)[0]
    outbox.mark_sent({a.id: {}})
    assert outbox.record_failure([a.id], "late failure") == 0


def test_move_to_dead_letter(outbox: Outbox, clock: FakeClock) -> None:
    a, b = enqueue(outbox, 2)
    clock.advance(60)
    outbox.move_to_dead_letter(b.id, "survey closed before the envelope was created")
    assert outbox.dead_letters() == [
        DeadLetter(
            envelope=b,
            reason="survey closed before the envelope was created",
            moved_at=T0 + timedelta(seconds=60),
        )
    ]
    stored = outbox.get(b.id)
    assert stored is not None and stored.status == "dead"
    assert outbox.pending() == [a]


def test_move_to_dead_letter_twice_keeps_the_first_reason(outbox: Outbox) -> None:
    a = enqueue(outbox)[0]
    outbox.move_to_dead_letter(a.id, "conflict")
    outbox.move_to_dead_letter(a.id, "something else")
    assert [d.reason for d in outbox.dead_letters()] == ["conflict"]


def test_move_to_dead_letter_refuses_unknown_and_sent(outbox: Outbox) -> None:
    a = enqueue(outbox)[0]
    with pytest.raises(KeyError):
        outbox.move_to_dead_letter(uuid.uuid4(), "x")
    outbox.mark_sent({a.id: {}})
    with pytest.raises(ValueError, match="accepted"):
        outbox.move_to_dead_letter(a.id, "x")
    assert outbox.dead_letters() == []


def test_dead_letters_cannot_be_deleted(db: Database, outbox: Outbox) -> None:
    a = enqueue(outbox)[0]
    outbox.move_to_dead_letter(a.id, "rejected")
    with pytest.raises(IntegrityError, match="never deleted"), db.write() as conn:
        conn.execute(text("DELETE FROM dead_letters"))
    assert len(outbox.dead_letters()) == 1


def test_dead_letters_are_in_device_seq_order(outbox: Outbox) -> None:
    envelopes = enqueue(outbox, 4)
    for e in (envelopes[3], envelopes[0], envelopes[2]):
        outbox.move_to_dead_letter(e.id, f"reason {e.device_seq}")
    assert [d.envelope.device_seq for d in outbox.dead_letters()] == [1, 3, 4]


def test_oldest_pending_age(outbox: Outbox, clock: FakeClock) -> None:
    assert outbox.oldest_pending_age_s(T0) is None
    first = enqueue(outbox)[0]
    clock.advance(100)
    enqueue(outbox)
    assert outbox.oldest_pending_age_s(T0 + timedelta(seconds=250)) == 250.0
    outbox.mark_sent({first.id: {}})
    assert outbox.oldest_pending_age_s(T0 + timedelta(seconds=250)) == 150.0
    # A clock that went back never gives a negative age.
    assert outbox.oldest_pending_age_s(T0) == 0.0


def test_enqueue_is_durable_when_it_returns(data_dir: Path, outbox: Outbox) -> None:
    """Another connection sees the envelope at once: it was committed, not just buffered."""
    envelope = enqueue(outbox)[0]
    other = sqlite3.connect(data_dir / "device.sqlite3")
    try:
        row = other.execute(
            "SELECT device_seq, payload, status FROM outbox WHERE id = ?", (str(envelope.id),)
        ).fetchone()
    finally:
        other.close()
    assert row[0] == 1
    assert json.loads(row[1]) == envelope.payload
    assert row[2] == "pending"


def test_enqueue_after_the_database_reopens(data_dir: Path) -> None:
    with open_database(data_dir) as first:
        enqueue(Outbox(first), 3)
    with open_database(data_dir) as second:
        assert enqueue(Outbox(second))[0].device_seq == 4


def test_boot_id_is_stable_within_a_process() -> None:
    assert read_boot_id() == read_boot_id()
    assert read_boot_id()


@pytest.mark.parametrize(
    "when",
    [
        datetime(2026, 12, 7, 11, 0, 0, 5, tzinfo=UTC),
        datetime(2026, 12, 7, 20, 0, tzinfo=timezone(timedelta(hours=9))),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
    ids=str,
)
def test_stored_time_is_the_fixed_width_utc_text(when: datetime) -> None:
    # format_utc makes it without strftime (every enqueue makes one): the same text.
    assert format_utc(when) == when.astimezone(UTC).strftime(UTC_FORMAT)
