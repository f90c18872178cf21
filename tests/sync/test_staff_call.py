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
