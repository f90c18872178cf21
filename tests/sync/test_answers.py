"""Every class of server answer, from the real server process, and what the device does with it.

accepted and duplicate mark an envelope sent (with the original receipt); conflict and an
invalid payload move it to the dead letters with the server's reason; 401 and 403 stop without
touching the queue; 413 halves the batch; 429 and 503 honour Retry-After; 500, a timeout, a
refused connection and a garbage body leave everything pending for the next try.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from contract.wire import canonical_json
from sync.client import (
    AuthError,
    NetworkError,
    ProtocolError,
    RevokedError,
    ServerError,
    SyncClient,
)
from sync.worker import SyncState
from tests.sync.conftest import Device


@pytest.fixture
def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def batch_body(*envelopes) -> bytes:
    return b'{"items":[' + b",".join(canonical_json(e) for e in envelopes) + b"]}"


def counts(device: Device) -> dict[str, int]:
    return device.outbox.counts_by_status()


def test_accepted_envelopes_are_marked_sent_with_their_receipts(srv, make_device):
    device = make_device()
    queued = device.queue(250)  # more than one batch
    core = device.core()
    assert core.run_once() is None
    assert counts(device) == {"pending": 0, "sent": 250, "dead": 0}
    stored = srv.submissions(device.device_id)
    assert [s.id for s in stored] == [e.id for e in queued]
    got = device.outbox.get(queued[7].id)
    assert got is not None and got.receipt is not None
    assert got.receipt["envelope_id"] == str(queued[7].id)
    assert got.receipt["device_seq"] == 8
    assert core.status.state is SyncState.IDLE
    assert core.status.last_success is not None


def test_duplicate_is_marked_sent_with_the_original_receipt(srv, make_device):
    device = make_device()
    first, second = device.queue(2)
    # The server already has `first` (say the answer to an earlier send was lost).
    client = SyncClient(srv.url, device.enrolment.token)
    original = client.submit_batch(batch_body(first)).results[0]
    assert original.status == "accepted" and original.receipt is not None

    report = device.core().drain()

    assert (report.accepted, report.duplicate, report.dead) == (1, 1, 0)
    got = device.outbox.get(first.id)
    assert got is not None and got.status == "sent"
    assert got.receipt == original.receipt.model_dump(mode="json")
    assert len(srv.submissions(device.device_id)) == 2


def test_conflict_goes_to_the_dead_letters_with_the_reason(srv, make_device):
    device = make_device()
    (envelope,) = device.queue(1)
    # Someone sent another body under the same id first.
    forged = envelope.model_copy(update={"payload": {"survey_id": "s-park", "answers": {}}})
    client = SyncClient(srv.url, device.enrolment.token)
    assert client.submit_batch(batch_body(forged)).results[0].status == "accepted"

    report = device.core().drain()

    assert report.dead == 1
    (letter,) = device.outbox.dead_letters()
    assert letter.envelope.id == envelope.id
    assert "conflict" in letter.reason.lower() or "different" in letter.reason.lower()
    assert counts(device) == {"pending": 0, "sent": 0, "dead": 1}


def test_invalid_payload_goes_to_the_dead_letters_and_the_rest_is_sent(srv, make_device):
    device = make_device()
    good = device.queue(3)
    bad = device.outbox.enqueue("survey_response", {"answers": {}}, content_version=None)
    unknown = device.outbox.enqueue("no_such_kind", {"x": 1}, content_version=None)
    later = device.queue(2)

    assert device.core().run_once() is None  # item-level refusals are not a failed cycle

    dead = {d.envelope.id: d.reason for d in device.outbox.dead_letters()}
    assert set(dead) == {bad.id, unknown.id}
    assert "survey_id" in dead[bad.id]
    stored = {s.id for s in srv.submissions(device.device_id)}
    assert stored == {e.id for e in good + later}
    assert {r[0] for r in srv.rejected(device.device_id)} == {str(bad.id), str(unknown.id)}


def test_wrong_token_is_an_auth_error_and_the_queue_is_untouched(srv, make_device):
    device = make_device()
    device.queue(3)
    device.settings.set("sync.token", "not-the-token")
    core = device.core()

    error = core.run_once()

    assert isinstance(error, AuthError) and error.status == 401
    assert error.retry == "slow"
    assert core.status.state is SyncState.ERROR
    assert core.status.last_error is not None and core.status.last_error.kind == "auth"
    assert counts(device) == {"pending": 3, "sent": 0, "dead": 0}
    assert "not-the-token" not in error.detail


def test_revoked_device_gets_403_and_keeps_its_queue(srv, make_device):
    device = make_device()
    device.queue(2)
    srv.revoke(device.device_id)

    error = device.core().run_once()

    assert isinstance(error, RevokedError) and error.status == 403
    assert error.message_id == "sync.error.revoked"
    assert counts(device) == {"pending": 2, "sent": 0, "dead": 0}


def test_413_halves_the_batch_and_everything_arrives(srv, make_device):
    device = make_device()
    device.queue(40)
    srv.arm(status=413, times=2, path_prefix="/api/v1/submissions")

    report = device.core().drain()

    assert report.sent == 40 and report.dead == 0
    assert report.batches >= 3  # 40 -> 20 + 20 -> ...
    assert len(srv.submissions(device.device_id)) == 40


def test_413_for_a_single_small_envelope_is_the_servers_fault_not_a_dead_letter(srv, make_device):
    device = make_device()
    device.queue(1)
    srv.arm(status=413, path_prefix="/api/v1/submissions")

    error = device.core().run_once()

    assert isinstance(error, ServerError)
    assert counts(device) == {"pending": 1, "sent": 0, "dead": 0}


def test_an_envelope_larger_than_any_request_is_dead_lettered_without_sending(srv, make_device):
    device = make_device()
    huge = device.outbox.enqueue(
        "contest_entry",
        {"contest_id": "c1", "title": "t", "text": "가" * 400_000},  # > 1 MiB as UTF-8
        content_version=None,
    )
    small = device.queue(1)

    report = device.core().drain()

    assert report.dead == 1 and report.sent == 1
    (letter,) = device.outbox.dead_letters()
    assert letter.envelope.id == huge.id and "too large" in letter.reason
    assert [s.id for s in srv.submissions(device.device_id)] == [small[0].id]


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured_even_when_woken(srv, make_device, status):
    device = make_device()
    device.queue(1)
    srv.arm(status=status, retry_after_s=1, path_prefix="/api/v1/submissions")
    failures: list[float] = []
    done = threading.Event()

    def on_status(status_) -> None:
        if status_.state is SyncState.ERROR and status_.retry_in_s is not None:
            failures.append(time.monotonic())
        if status_.state is SyncState.IDLE and status_.pending == 0:
            done.set()

    core = device.core(on_status=on_status)
    thread = threading.Thread(target=core.run_forever)
    thread.start()
    try:
        # Wake it as soon as it has failed: a queued envelope must not cut the Retry-After.
        deadline = time.monotonic() + 10
        while not failures and time.monotonic() < deadline:
            core.wake()
            done.wait(0.01)
        assert failures, "the 429/503 never reached the worker"
        assert done.wait(10), "never delivered after the Retry-After"
        waited = time.monotonic() - failures[0]
    finally:
        core.stop()
        thread.join(10)
    assert waited >= 0.95
    assert core.status.last_error is not None and core.status.last_error.kind == "server"
    assert len(srv.submissions(device.device_id)) == 1


def test_500_leaves_everything_pending_and_the_next_try_sends_it(srv, make_device):
    device = make_device()
    device.queue(5)
    srv.arm(status=500, path_prefix="/api/v1/submissions")
    core = device.core()

    error = core.run_once()

    assert isinstance(error, ServerError) and error.retry == "backoff"
    assert counts(device)["pending"] == 5
    first = device.outbox.pending(1)[0]
    assert (got := device.outbox.get(first.id)) is not None and got.attempts == 1
    assert "500" in (got.last_error or "")
    assert core.run_once() is None
    assert counts(device) == {"pending": 0, "sent": 5, "dead": 0}


def test_timeout_is_offline_and_the_resend_counts_once(srv, make_device):
    device = make_device()
    device.queue(5)
    srv.arm(delay_s=3, path_prefix="/api/v1/submissions")  # read timeout is 2 s
    core = device.core()

    error = core.run_once()

    assert isinstance(error, NetworkError) and "timed out" in error.detail
    assert core.status.state is SyncState.OFFLINE
    assert counts(device)["pending"] == 5
    # The server may still have stored the late batch: the resend must not count it twice.
    deadline = time.monotonic() + 10
    while core.run_once() is not None and time.monotonic() < deadline:
        pass
    assert counts(device) == {"pending": 0, "sent": 5, "dead": 0}
    assert len(srv.submissions(device.device_id)) == 5


def test_connection_refused_is_offline(srv, make_device, unused_port):
    device = make_device(url=f"http://127.0.0.1:{unused_port}")
    device.queue(2)
    core = device.core()

    error = core.run_once()

    assert isinstance(error, NetworkError)
    assert core.status.state is SyncState.OFFLINE
    assert core.status.last_error is not None
    assert core.status.last_error.message_id == "sync.error.network"
    assert counts(device)["pending"] == 2


@pytest.mark.parametrize(
    "body",
    ["<html>502 Bad Gateway</html>", '{"results": "yes"}', "", '{"results": []}'],
    ids=["html", "wrong-shape", "empty", "no-results"],
)
def test_garbage_answer_is_a_protocol_error_and_nothing_is_marked(srv, make_device, body):
    device = make_device()
    device.queue(3)
    srv.arm(status=200, body=body, path_prefix="/api/v1/submissions")
    core = device.core()

    error = core.run_once()

    assert isinstance(error, ProtocolError)
    assert core.status.state is SyncState.ERROR
    assert counts(device) == {"pending": 3, "sent": 0, "dead": 0}
    assert core.run_once() is None
    assert counts(device) == {"pending": 0, "sent": 3, "dead": 0}
