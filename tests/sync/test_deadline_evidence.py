"""Deadlines not on the device's word alone, through the real sync worker and server: a kiosk
that was offline when a vote closed heartbeats first, reporting the highest device_seq it has
made, then drains; its ballots made before the close are counted. A device that only drains
(it reports nothing after the close) has them held for staff instead."""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.domain.identity import ResidentIdentity
from tests.server.civic import Resident, ballot, publish_pack
from tests.sync.conftest import Device
from tests.sync.reference_server import ReferenceServer

# Long enough for publishing the pack (a command) and queueing the ballots before the close.
CLOSES_IN = timedelta(seconds=8)


def queue_ballots(device: Device, count: int) -> None:
    key = device.enrolment.server_public_key
    assert key is not None
    for _ in range(count):
        resident = Resident()
        device.outbox.enqueue(
            "ballot",
            ballot("sogong", "sogong-benches"),
            content_version=None,
            seal=ResidentIdentity(resident.phone, resident.birth).sealer(key),
        )


def wait_until(moment: datetime) -> None:
    # The vote's close is real time on the server: wait for it, bounded.
    deadline = time.monotonic() + 30
    while datetime.now(UTC) <= moment:
        assert time.monotonic() < deadline, "the close never came"
        time.sleep(0.05)


def counted_and_held(srv: ReferenceServer, device_id: str) -> tuple[int, int]:
    with contextlib.closing(srv._read()) as conn:
        counted = conn.execute(
            "SELECT count(*) FROM submissions WHERE device_id = ? AND counted",
            (device_id,),
        ).fetchone()[0]
        held = conn.execute(
            "SELECT count(*) FROM held_envelopes WHERE device_id = ? AND status = 'held'",
            (device_id,),
        ).fetchone()[0]
    return int(counted), int(held)


def test_an_offline_kiosk_vouches_for_its_ballots_before_sending_them_after_the_close(
    srv: ReferenceServer, make_device: Any, tmp_path: Path
) -> None:
    honest, drain_only = make_device(name="honest"), make_device(name="drain-only")
    closes = datetime.now(UTC) + CLOSES_IN
    publish_pack(srv, tmp_path, vote_closes=closes)  # type: ignore[arg-type]
    # Both made their ballots before the close, while offline.
    queue_ballots(honest, 5)
    queue_ballots(drain_only, 5)
    assert datetime.now(UTC) < closes, "too slow to queue before the close: raise CLOSES_IN"
    wait_until(closes)

    # The real worker's cycle: heartbeat (highest_seq 5) first, then the drain.
    assert honest.core().run_once() is None
    # A device that never reports after the close and only drains.
    report = drain_only.core().drain()

    assert report.sent == 5
    assert counted_and_held(srv, honest.device_id) == (5, 0)
    assert counted_and_held(srv, drain_only.device_id) == (0, 5)
    assert honest.outbox.counts_by_status() == {"pending": 0, "sent": 5, "dead": 0}
    assert drain_only.outbox.counts_by_status() == {"pending": 0, "sent": 5, "dead": 0}
