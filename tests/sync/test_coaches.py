"""The district's coaches through the real reference server and the real sync core: the
heartbeat names the coaches' version and the revoked codes; the core fetches GET /coaches only
when the version changed, keeps the answer in the device database, marks revoked codes at once
and tells the window; a device waiting for approval gets none and still syncs; a board never
asks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from contract.pin import verify_pin
from kiosk.store.coaches import CoachStore
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from sync.worker import build_core, enroll_device
from tests.sync.conftest import FAST
from tests.sync.reference_server import ReferenceServer


def add_coach(srv: ReferenceServer, tmp_path: Path, code: str, name: str, pin: str) -> None:
    pin_file = tmp_path / f"pin-{code}"
    pin_file.write_text(pin + "\n", encoding="utf-8")
    srv.cli("coach", "add", code, name, "--pin-file", str(pin_file))


def counting_fetches(core: Any) -> list[int | None]:
    asked: list[int | None] = []
    fetch = core._client.coaches

    def counted(version: int | None) -> Any:
        asked.append(version)
        return fetch(version)

    core._client.coaches = counted
    return asked


def test_coaches_arrive_once_per_version_and_revocations_at_once(srv, make_device, tmp_path):
    add_coach(srv, tmp_path, "5101", "민코치", "3579")
    device = make_device()
    told: list[list[str]] = []
    core = device.core(on_coaches=told.append)
    asked = counting_fetches(core)
    store = CoachStore(device.db)
    assert store.version() is None

    assert core.run_once() is None
    [coach] = [c for c in store.coaches() if c.code == "5101"]
    assert coach.name == "민코치" and not coach.revoked and verify_pin("3579", coach.pin_hash)
    assert asked == [None] and store.version() is not None and told[-1] == []

    # Nothing changed: the heartbeat's version is the one kept, nothing is fetched.
    assert core.run_once() is None
    assert len(asked) == 1

    # Revoked on the server: the heartbeat marks it at once, and the new list is fetched.
    srv.cli("coach", "revoke", "5101")
    assert core.run_once() is None
    assert "5101" in store.revoked_codes()
    assert told[-2] == ["5101"]  # from the heartbeat, before the fetch
    assert "5101" in told[-1] and len(asked) == 2
    [coach] = [c for c in store.coaches() if c.code == "5101"]
    assert coach.revoked  # the hash it had is kept: the right PIN is told "revoked"


def test_a_device_waiting_for_approval_gets_no_coaches_and_still_syncs(srv, tmp_path):
    add_coach(srv, tmp_path, "5201", "강코치", "8080")
    with open_database(tmp_path / "waiting") as db:
        enroll_device(DeviceSettings(db), srv.url, srv.enroll_code(), name="대기", mode="kiosk")
        core = build_core(db, tmp_path / "waiting", tuning=FAST)
        assert core is not None
        assert core.run_once() is None  # refused coaches do not fail the cycle
        assert CoachStore(db).coaches() == [] and CoachStore(db).version() is None
        srv.approve(DeviceSettings(db).device_id() or "")
        assert core.run_once() is None
        assert "5201" in [c.code for c in CoachStore(db).coaches()]


def test_a_board_neither_asks_nor_keeps_coaches(srv, make_device, tmp_path):
    add_coach(srv, tmp_path, "5301", "문코치", "4545")
    device = make_device(name="board")
    core = device.core(mode="board")
    asked = counting_fetches(core)
    assert core.run_once() is None
    assert asked == [] and CoachStore(device.db).coaches() == []
