"""A device whose clock is 3 hours off still gives the server correct times.

The device learns its offset from the server (heartbeat, else the Date header), the outbox
stamps it on every envelope made afterwards, and the server corrects `created_at` with it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.store.outbox import Outbox
from sync.client import ServerError
from sync.worker import build_core
from tests.sync.conftest import FAST, survey_payload


def server_time(text: str) -> datetime:
    """A time from the server's SQLite file (UTC, stored without a zone)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("hours", [3, -3])
def test_a_device_clock_hours_off_gives_correct_server_times(srv, make_device, hours):
    skew = timedelta(hours=hours)

    def device_clock() -> datetime:
        return datetime.now(UTC) + skew

    device = make_device()
    outbox = Outbox(device.db, clock=device_clock)
    core = build_core(
        device.db, device.data_dir, tuning=FAST, outbox=outbox, wall_clock=device_clock
    )
    assert core is not None
    assert core.run_once() is None  # first contact: the heartbeat tells the server's time
    assert device.settings.clock_offset_s() == pytest.approx(-skew.total_seconds(), abs=1.0)

    envelope = outbox.enqueue("survey_response", survey_payload(), content_version=None)
    assert envelope.clock_offset_s == pytest.approx(-skew.total_seconds(), abs=1.0)
    assert core.run_once() is None

    now = datetime.now(UTC)
    (stored,) = srv.submissions(device.device_id)
    assert abs(server_time(stored.created_at) - (now + skew)) < timedelta(seconds=30)
    assert abs(server_time(stored.created_at_server) - now) < timedelta(seconds=5)
    receipt = outbox.get(envelope.id).receipt
    assert receipt is not None
    assert abs(datetime.fromisoformat(receipt["created_at_server"]) - now) < timedelta(seconds=5)


def test_without_a_heartbeat_the_date_header_still_sets_the_clock(srv, make_device):
    skew = timedelta(hours=3)
    device = make_device()
    core = build_core(
        device.db,
        device.data_dir,
        tuning=FAST,
        wall_clock=lambda: datetime.now(UTC) + skew,
    )
    assert core is not None
    srv.arm(status=500, path_prefix="/api/v1/devices/heartbeat")

    error = core.run_once()

    assert isinstance(error, ServerError)
    # Whole seconds, possibly cached a second by the server: within 2 s.
    assert device.settings.clock_offset_s() == pytest.approx(-skew.total_seconds(), abs=2.0)
