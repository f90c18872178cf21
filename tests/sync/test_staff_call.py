"""직원 호출 through the real reference server: the staff_call envelope is accepted (never
counted), and heartbeats carry `staff_call` while the call has not been taken."""

from __future__ import annotations

import contextlib
import json

from kiosk.domain.staff_call import STAFF_CALL_KIND, staff_call_payload
from tests.sync.reference_server import ReferenceServer


def last_heartbeat(srv: ReferenceServer, device_id: str) -> dict[str, object]:
    with contextlib.closing(srv._read()) as conn:
        (body,) = conn.execute(
            "SELECT body FROM device_status WHERE device_id = ?", (device_id,)
        ).fetchone()
    return dict(json.loads(body))


def test_the_heartbeat_says_staff_was_called_until_the_server_has_the_call(srv, make_device):
    device = make_device()
    core = device.core()
    assert core.run_once() is None
    assert last_heartbeat(srv, device.device_id)["staff_call"] is False

    call = device.outbox.enqueue(
        STAFF_CALL_KIND, staff_call_payload("survey_question"), content_version=None
    )
    core.staff_called(call.id)
    assert core.staff_call_pending
    # The submissions endpoint fails; the heartbeat, sent in the same cycle, still tells.
    srv.arm(status=500, times=1, path_prefix="/api/v1/submissions")
    assert core.run_once() is not None
    assert last_heartbeat(srv, device.device_id)["staff_call"] is True
    assert core.staff_call_pending

    srv.clear_faults()
    assert core.run_once() is None
    assert not core.staff_call_pending
    assert last_heartbeat(srv, device.device_id)["staff_call"] is False
    [stored] = srv.submissions(device.device_id)
    assert stored.id == call.id
    assert device.outbox.counts_by_status()["sent"] == 1
    assert call.practice is False  # a call for help is never practice


def test_a_call_queued_before_a_restart_is_flagged_once_the_drain_reads_it(srv, make_device):
    device = make_device()
    call = device.outbox.enqueue(STAFF_CALL_KIND, staff_call_payload("home"), content_version=None)
    core = device.core()  # a new process: it was never told of the call
    srv.arm(status=500, times=1, path_prefix="/api/v1/submissions")
    core.run_once()
    assert last_heartbeat(srv, device.device_id)["staff_call"] is True
    srv.clear_faults()
    assert core.run_once() is None
    assert last_heartbeat(srv, device.device_id)["staff_call"] is False
    assert [s.id for s in srv.submissions(device.device_id)] == [call.id]


def _answer(srv: ReferenceServer, device_id: str, *, resolve: bool) -> None:
    """What 가는 중 (or 해결) in the console does, on the server's database."""
    from server import audit, calls
    from server.db import open_database

    db = open_database(str(srv.db_path))
    try:
        [call] = [c for c in calls.open_calls(db) if c.device_id == device_id]
        by = audit.Actor("staff-test")
        (calls.resolve if resolve else calls.acknowledge)(db, call.id, by)
    finally:
        db.close()


def _collapsed(said: list[object]) -> list[object]:
    """What the worker said, a repeat in a row once (it repeats the state while a call is open)."""
    return [s for i, s in enumerate(said) if i == 0 or said[i - 1] != s]


def test_the_worker_follows_an_open_call_every_few_seconds_and_reports_its_state(srv, make_device):
    device = make_device()
    said: list[object] = []
    core = device.core(on_staff_call=said.append)
    assert core.run_once() is None
    assert said == []  # no call: nothing to say, and the heartbeat keeps its slow pace
    assert core._heartbeat_due - core._monotonic() > core.tuning.staff_call_poll_s

    call = device.outbox.enqueue(STAFF_CALL_KIND, staff_call_payload("home"), content_version=None)
    core.staff_called(call.id)
    assert core.run_once(force=False) is None  # the heartbeat is due at once
    assert _collapsed(said) == ["waiting"]
    # While the call is open, the next heartbeat is due within the poll interval.
    assert core._heartbeat_due - core._monotonic() <= core.tuning.staff_call_poll_s

    _answer(srv, device.device_id, resolve=False)
    assert core.run_once() is None
    assert _collapsed(said) == ["waiting", "coming"]
    _answer(srv, device.device_id, resolve=True)
    assert core.run_once() is None
    assert _collapsed(said) == ["waiting", "coming", None]
    said.clear()
    assert core.run_once() is None
    assert said == []  # closed: said once, not again
    assert core._heartbeat_due - core._monotonic() > core.tuning.staff_call_poll_s
