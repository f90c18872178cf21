"""Sync tests: a real reference server process per module, and enrolled devices on disk.

Timings are shrunk through SyncTuning (backoff base 50 ms, cap 0.5 s, 2 s read timeout), never
by sleeping: the code under test runs its production logic with smaller numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from contract.wire import Envelope
from kiosk.store.content_repo import ContentRepository
from kiosk.store.db import Database, open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from sync.client import Timeouts
from sync.worker import Enrolment, SyncCore, SyncTuning, build_core, enroll_device
from tests.sync.reference_server import ReferenceServer

FAST = SyncTuning(
    backoff_base_s=0.05,
    backoff_cap_s=0.5,
    timeouts=Timeouts(connect_s=1.0, read_s=2.0),
    idle_check_s=0.05,
    heartbeat_every_s=60.0,
    content_every_s=60.0,
)


def survey_payload(i: int = 0) -> dict[str, Any]:
    return {"survey_id": "s-park", "answers": {"q1": "o2", "q2": i % 5 + 1, "q3": "좋아요"}}


@dataclass
class Device:
    """An enrolled device: its data directory, database and store services."""

    data_dir: Path
    db: Database
    enrolment: Enrolment
    settings: DeviceSettings = field(init=False)
    outbox: Outbox = field(init=False)
    repo: ContentRepository = field(init=False)

    def __post_init__(self) -> None:
        self.settings = DeviceSettings(self.db)
        self.outbox = Outbox(self.db)
        self.repo = ContentRepository(self.db)

    @property
    def device_id(self) -> str:
        return self.enrolment.device_id

    def core(self, tuning: SyncTuning = FAST, **kwargs: Any) -> SyncCore:
        core = build_core(self.db, self.data_dir, tuning=tuning, outbox=self.outbox, **kwargs)
        assert core is not None
        return core

    def queue(self, count: int, kind: str = "survey_response") -> list[Envelope]:
        return [
            self.outbox.enqueue(kind, survey_payload(i), content_version="v-test")
            for i in range(count)
        ]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceServer]:
    """The reference server, started once for the module's tests."""
    srv = ReferenceServer(tmp_path_factory.mktemp("server"))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def srv(server: ReferenceServer) -> Iterator[ReferenceServer]:
    """The module's server, with no fault left armed after the test."""
    yield server
    if server.running:
        server.clear_faults()


@pytest.fixture
def make_device(server: ReferenceServer, tmp_path: Path) -> Iterator[Any]:
    """make_device(url=None) -> a new device enrolled with the server (through `url` if given)
    and approved by staff."""
    opened: list[Database] = []

    def make(url: str | None = None, name: str = "test-kiosk") -> Device:
        data_dir = tmp_path / f"device{len(opened)}"
        db = open_database(data_dir)
        opened.append(db)
        enrolment = enroll_device(
            DeviceSettings(db), server.url, server.enroll_code(), name=name, mode="kiosk"
        )
        server.approve(enrolment.device_id)
        if url is not None:
            # Enrolled directly; from now on the device reaches the server through `url`.
            DeviceSettings(db).set("sync.server_url", url)
        return Device(data_dir, db, enrolment)

    yield make
    for db in opened:
        db.close()
