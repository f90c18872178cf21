"""Each staff PIN lock-out reaches the district: the heartbeat carries the count since enrolment
and the latest one's time, and `python -m server devices` shows it (issue 14)."""

from __future__ import annotations

import json
from datetime import datetime

from kiosk.store.staff_pin import StaffPinGate, store_pin_hash
from tests.helpers.staff_pin import STAFF_PIN_HASH
from tests.sync.test_staff_call import last_heartbeat


def test_the_heartbeat_reports_staff_pin_lockouts(srv, make_device):
    device = make_device()
    core = device.core()
    assert core.run_once() is None
    assert last_heartbeat(srv, device.device_id)["pin_lockouts"] == 0
    store_pin_hash(device.settings, STAFF_PIN_HASH)
    gate = StaffPinGate(device.settings, configured=None, demo=False)
    for _ in range(5):
        assert not gate.check("11111111").ok  # someone guessing at the staff page
    core.sync_now()
    assert core.run_once() is None
    heartbeat = last_heartbeat(srv, device.device_id)
    assert heartbeat["pin_lockouts"] == 1
    assert datetime.fromisoformat(str(heartbeat["last_pin_lockout_at"])).tzinfo is not None
    listed = {d["device_id"]: d for d in json.loads(srv.cli("devices", "--json"))}
    assert listed[device.device_id]["pin_lockouts"] == 1
    assert "PIN LOCKS" in srv.cli("devices")
