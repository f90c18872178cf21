"""The worker keeps going on an unattended kiosk: a failing device database or an unexpected
error is shown to staff and retried, never the end of syncing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import OperationalError

from sync.worker import SyncState


def test_a_database_hiccup_is_a_device_error_and_the_next_try_sends(srv, make_device):
    device = make_device()
    (envelope,) = device.queue(1)
    real_pending = device.outbox.pending
    failures = iter([OperationalError("SELECT", {}, Exception("database is locked"))] * 2)

    def flaky_pending(limit: int = 200, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real_pending(limit, **kwargs)

    device.outbox.pending = flaky_pending  # the device's own database fails twice
    seen = []
    sent = threading.Event()

    def on_status(status) -> None:
        seen.append(status)
        if status.state is SyncState.IDLE and status.pending == 0:
            sent.set()

    core = device.core(on_status=on_status)
    worker = threading.Thread(target=core.run_forever)
    worker.start()
    try:
        assert sent.wait(15), [s.state for s in seen]
    finally:
        core.stop()
        worker.join(15)
    errors = [s.last_error for s in seen if s.state is SyncState.ERROR]
    assert errors and errors[0].kind == "device" and "database is locked" in errors[0].detail
    assert errors[0].message_id == "sync.error.device"
    assert device.outbox.get(envelope.id).status == "sent"


@pytest.mark.logs_error("sync.worker: sync.cycle_crashed")  # the injected TypeError
def test_an_unexpected_error_does_not_end_the_worker(srv, make_device):
    device = make_device()
    device.queue(1)
    calls = {"n": 0}
    real_pending = device.outbox.pending

    def buggy_pending(limit: int = 200, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise TypeError("a bug")
        return real_pending(limit, **kwargs)

    device.outbox.pending = buggy_pending
    sent = threading.Event()
    core = device.core(
        on_status=lambda s: sent.set() if s.state is SyncState.IDLE and s.pending == 0 else None
    )
    worker = threading.Thread(target=core.run_forever)
    worker.start()
    try:
        assert sent.wait(15)
        assert worker.is_alive()
        assert core.status.last_error is not None
        assert "internal error: TypeError: a bug" in core.status.last_error.detail
    finally:
        core.stop()
        worker.join(15)
