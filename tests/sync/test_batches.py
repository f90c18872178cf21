"""How the outbox is cut into requests: at most 200 envelopes and 1 MiB each, oldest first, and
the next batch read while one is in flight never repeats it."""

from __future__ import annotations

from pathlib import Path

from contract.wire import MAX_BODY_BYTES
from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox
from tests.sync.conftest import survey_payload


def test_pending_after_a_seq_leaves_out_the_batch_in_flight(tmp_path: Path):
    with open_database(tmp_path) as db:
        outbox = Outbox(db)
        queued = [
            outbox.enqueue("survey_response", survey_payload(i), content_version=None)
            for i in range(5)
        ]
        assert [e.device_seq for e in outbox.pending(2, after_seq=2)] == [3, 4]
        outbox.mark_sent({queued[3].id: {}})
        assert [e.device_seq for e in outbox.pending(10, after_seq=2)] == [3, 5]
        assert [e.device_seq for e in outbox.pending(10)] == [1, 2, 3, 5]


def test_batches_hold_at_most_200_envelopes(srv, make_device):
    device = make_device()
    queued = device.queue(450)
    report = device.core().drain()
    assert (report.accepted, report.batches) == (450, 3)
    assert [s.id for s in srv.submissions(device.device_id)] == [e.id for e in queued]


def test_batches_hold_at_most_1_mib(srv, make_device):
    device = make_device()
    long_answer = "가" * 100_000  # about 300 kB as UTF-8: three fit in 1 MiB, four do not
    queued = [
        device.outbox.enqueue(
            "survey_response",
            {"survey_id": "s-park", "answers": {"q1": long_answer, "q2": i}},
            content_version=None,
        )
        for i in range(7)
    ]
    assert len(long_answer.encode()) * 4 > MAX_BODY_BYTES
    report = device.core().drain()
    assert (report.accepted, report.dead, report.batches) == (7, 0, 3)  # 3 + 3 + 1
    assert [s.id for s in srv.submissions(device.device_id)] == [e.id for e in queued]
