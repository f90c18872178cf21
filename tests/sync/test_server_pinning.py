"""A device stays with the server it enrolled with (issue 14, finding 2), with real processes: two
reference servers (`python -m server serve`) and the device's own command line (`python -m sync
enroll|run|export|reset`).

A device enrolled with server A holds a pending sealed ballot. Enrolling it with server B, or
with a rogue server answering at A's address with another key, is refused; 기기 초기화 is refused
until the ballot is on a USB bundle; after the export and the reset the device enrols with B,
and B receives none of A's envelopes; A imports the USB bundle and counts the ballot once.
(The staff page's 기기 등록 and 기기 초기화 are driven by taps in
tests/widget/test_settings_page.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from contract.pin import verify_pin
from kiosk.domain.identity import ResidentIdentity
from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from kiosk.store.staff_pin import stored_pin_hash
from server.db.models import Submission
from sync.worker import SERVER_PUBLIC_KEY_KEY, SERVER_URL_KEY, TOKEN_KEY
from tests.server.civic import Resident, ballot, publish_pack
from tests.server.process import ServerProcess, start_server
from tests.sync.test_cli import sync_cli

PIN = "30571946"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    a = start_server(tmp_path / "server-a")
    b = start_server(tmp_path / "server-b")
    yield a, b
    a.stop()
    b.stop()


def enroll(url: str, code: str, data_dir: Path, *more: str, pin: str = PIN):
    return sync_cli("enroll", url, code, "--data-dir", str(data_dir), "--pin-file", "-", *more,
                    input=pin + "\n")  # fmt: skip


def reset(data_dir: Path, pin: str = PIN):
    return sync_cli("reset", "--data-dir", str(data_dir), "--pin-file", "-", input=pin + "\n")


def stored_ids(server: ServerProcess) -> list[tuple[str, bool]]:
    with server.database() as db, db.read() as session:
        rows = session.execute(select(Submission.id, Submission.counted)).all()
    return [(str(i), bool(c)) for i, c in rows]


def test_a_rogue_server_gets_nothing_and_the_real_one_counts_the_ballot_once(servers, tmp_path):
    a, b = servers
    publish_pack(a, tmp_path)
    device = tmp_path / "device"
    enrolled = enroll(a.url, a.cli("enroll-code").stdout.strip(), device)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "the staff PIN is set" in enrolled.stdout
    a.cli("approve", "--all-waiting")  # staff approve the new kiosk
    resident = Resident()
    with open_database(device) as db:
        settings = DeviceSettings(db)
        assert verify_pin(PIN, stored_pin_hash(settings) or "")
        key_a = settings.get(SERVER_PUBLIC_KEY_KEY)
        queued = Outbox(db).enqueue(
            "ballot",
            ballot("myeong", "myeong-mural"),
            content_version=None,
            seal=ResidentIdentity(resident.phone, resident.birth).sealer(key_a),
        )

    # 1. Enrolling with server B: refused before B is even asked.
    moved = enroll(b.url, b.cli("enroll-code").stdout.strip(), device)
    assert moved.returncode == 2
    assert "기기 초기화" in moved.stderr and a.url in moved.stderr
    assert "no devices enrolled" in b.cli("devices").stdout

    # 2. A rogue server at A's own address (A is down; another server took its port): the
    # code is refused by the device because the key differs, and nothing is stored.
    port = a.port
    a.stop()
    rogue = start_server(tmp_path / "rogue", None, "--port", str(port))
    try:
        assert rogue.url == a.url
        hijack = enroll(rogue.url, rogue.cli("enroll-code").stdout.strip(), device, "--keep-pin")
        assert hijack.returncode == 2 and "another public key" in hijack.stderr
        ran = sync_cli("run", "--once", "--data-dir", str(device), "--timeout", "5")
        assert ran.returncode == 1  # A's token means nothing to the rogue: 401, nothing taken
        assert stored_ids(rogue) == []
    finally:
        rogue.stop()
    with open_database(device) as db:
        settings = DeviceSettings(db)
        assert (settings.get(SERVER_URL_KEY), settings.get(SERVER_PUBLIC_KEY_KEY)) == (a.url, key_a)

    # 3. 기기 초기화 while the ballot is not on a USB bundle: refused; with a wrong PIN: refused.
    refused = reset(device)
    assert refused.returncode == 2 and "USB" in refused.stderr and "export" in refused.stderr
    usb = tmp_path / "usb"
    usb.mkdir()
    exported = sync_cli("export", str(usb), "--data-dir", str(device))
    assert exported.returncode == 0, exported.stderr
    [bundle] = usb.glob("ontong-outbox-*.json")
    wrong = reset(device, pin="11111111")
    assert wrong.returncode == 2 and "맞지 않습니다" in wrong.stderr
    done = reset(device)
    assert done.returncode == 0, done.stderr
    assert "1 exported envelopes retired" in done.stdout
    status = sync_cli("status", "--data-dir", str(device)).stdout
    assert "server:          not enrolled" in status and "exported 1" in status
    assert "staff PIN:       set" in status  # the reset keeps the PIN: staff still get in
    with open_database(device) as db:
        settings = DeviceSettings(db)
        assert settings.get(TOKEN_KEY) is None and settings.device_id() is None
        record = Outbox(db).get(queued.id)
        assert record is not None and record.status == "exported"  # kept, never sent again

    # 4. Now the device enrols with B and syncs: B receives nothing of A's.
    moved = enroll(b.url, b.cli("enroll-code").stdout.strip(), device)
    assert moved.returncode == 0, moved.stderr
    ran = sync_cli("run", "--once", "--data-dir", str(device), "--timeout", "10")
    assert ran.returncode == 0, ran.stderr
    assert stored_ids(b) == []
    raw = b"".join(p.read_bytes() for p in (tmp_path / "server-b").glob("server.sqlite3*"))
    assert str(queued.id).encode() not in raw
    assert queued.sealed_identity is not None and queued.sealed_identity.encode() not in raw

    # 5. A, back at its address, imports the USB bundle: the ballot counts, once.
    a_again = start_server(tmp_path / "server-a")
    try:
        first = a_again.cli("import-bundle", str(bundle))
        again = a_again.cli("import-bundle", str(bundle))
        assert "accepted 1, duplicate 0, rejected 0" in first.stdout
        assert "accepted 0, duplicate 1, rejected 0" in again.stdout
        assert stored_ids(a_again) == [(str(queued.id), True)]
    finally:
        a_again.stop()
