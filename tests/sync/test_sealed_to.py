"""An envelope sealed to one server's key is never sent to a server holding another (issue 14).

A device enrolled with server A queues a resident's agree, sealed to A's key. When its
enrolment changes to server B (another key: a rogue server, or a move not yet done properly),
the sync worker sends B only what carries no seal; the agree stays pending, the status says
why, and B never sees the seal. Back with A, it goes through. Both servers are real processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from contract.wire import EnrollRequest
from kiosk import __version__
from kiosk.domain.identity import ResidentIdentity
from kiosk.i18n import CATALOGUE
from sync.client import SyncClient
from sync.worker import (
    LAST_ERROR_KEY,
    SERVER_PUBLIC_KEY_KEY,
    SERVER_URL_KEY,
    TOKEN_KEY,
    SealedElsewhereError,
    SyncState,
)
from tests.sync.conftest import Device, survey_payload
from tests.sync.reference_server import ReferenceServer
from tests.sync.test_cli import sync_cli


@pytest.fixture
def other_server(tmp_path: Path) -> Iterator[ReferenceServer]:
    srv = ReferenceServer(tmp_path / "server-b")
    srv.start()
    yield srv
    srv.stop()


def point_at(device: Device, server: ReferenceServer) -> tuple[str, str]:
    """The device's enrolment now names `server` (its URL, a token and its key), as any
    re-enrolment leaves it; returns (device id on that server, its key)."""
    client = SyncClient(server.url)
    try:
        answer = client.enroll(
            EnrollRequest(
                enrollment_code=server.enroll_code(),
                name="moved-kiosk",
                mode="kiosk",
                app_version=__version__,
            )
        )
    finally:
        client.close()
    server.approve(answer.device_id)
    settings = device.settings
    settings.set(SERVER_URL_KEY, server.url)
    settings.set(TOKEN_KEY, answer.token)
    settings.set(SERVER_PUBLIC_KEY_KEY, answer.server_public_key)
    settings.set_device_id(answer.device_id)
    return answer.device_id, answer.server_public_key


def test_an_envelope_sealed_to_key_a_is_not_sent_after_the_key_changes_to_b(
    make_device, srv: ReferenceServer, other_server: ReferenceServer
) -> None:
    device: Device = make_device()
    key_a = device.settings.get(SERVER_PUBLIC_KEY_KEY)
    sealer = ResidentIdentity("01012345678", date(1950, 3, 15)).sealer(key_a)
    before = device.outbox.enqueue("survey_response", survey_payload(1), content_version=None)
    agree = device.outbox.enqueue(
        "proposal_agree", {"proposal_id": "crosswalk-sindang"}, content_version=None, seal=sealer
    )
    assert device.outbox.sealed_to(agree.id) == key_a
    id_on_b, key_b = point_at(device, other_server)
    assert key_b != key_a
    after = device.outbox.enqueue("survey_response", survey_payload(2), content_version=None)

    core = device.core()
    error = core.run_once()

    # B gets what carries no seal; the sealed agree stays pending and is named in the status.
    assert isinstance(error, SealedElsewhereError)
    assert [s.id for s in other_server.submissions(id_on_b)] == [before.id, after.id]
    assert other_server.rejected(id_on_b) == []
    queued = device.outbox.get(agree.id)
    assert queued is not None and queued.status == "pending" and queued.attempts == 0
    assert core.status.state == SyncState.ERROR
    last = core.status.last_error
    assert last is not None and last.kind == "sealed_elsewhere"
    assert "USB" in CATALOGUE[last.message_id][0]  # what staff read on the kiosk's staff page
    assert "1 pending envelopes are sealed to another server's key" in last.detail
    assert "export them to USB" in last.detail
    assert device.settings.get(LAST_ERROR_KEY)["kind"] == "sealed_elsewhere"
    assert agree.sealed_identity is not None
    stored_on_b = b"".join(p.read_bytes() for p in other_server.data_dir.rglob("*.sqlite3*"))
    assert agree.sealed_identity.encode() not in stored_on_b
    # Another cycle does not send it either.
    assert isinstance(core.run_once(), SealedElsewhereError)
    assert device.outbox.counts_by_status()["pending"] == 1
    core.close()
    # Staff see it in the device's status, with what to do.
    status = sync_cli("status", "--data-dir", str(device.data_dir)).stdout
    assert "(sealed_elsewhere)" in status
    assert "sealed elsewhere: 1 pending, sealed to another server's key" in status

    # With server A's key again, it goes where it was sealed for, and is counted there.
    point_at(device, srv)
    core = device.core()
    assert core.run_once() is None
    sent = device.outbox.get(agree.id)
    assert sent is not None and sent.status == "sent"
    assert sent.receipt is not None and sent.receipt["counted"] is True
    core.close()
