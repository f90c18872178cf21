"""A city's server: several server processes on one PostgreSQL database, as server/README.md
says a city runs it, and kiosks' real sync workers sending to them at once.

Two servers on the one database (the first `serve --workers 2`: two processes behind one port;
the second a process of its own, so both kiosks of a resident are surely answered by different
processes), two kiosks on each, their sync workers running while residents act: 2,000
envelopes, ten residents each casting a ballot at two kiosks of different servers. Every
envelope is stored once, each resident's ballot counts once, and no request is answered 5xx.
Runs only where ONTONG_TEST_POSTGRES_URL is set (.ci/run sets it).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.domain.identity import ResidentIdentity
from kiosk.store.db import Database, open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from sync.client import Timeouts
from sync.worker import SERVER_PUBLIC_KEY_KEY, SyncCore, build_core, enroll_device
from tests.server.civic import ballot, survey
from tests.server.conftest import require_postgres
from tests.server.process import ServerProcess, postgres_database, start_server
from tests.sync.conftest import FAST

ENVELOPES = 2_000
KIOSKS = 4
RESIDENTS = 10  # each votes at two kiosks, one on each server
# Residents act a few at a time: the workers send many small batches, side by side.
PER_ACT = 20
DELIVERED_WITHIN_S = 180.0
# A loaded machine may take seconds to answer a batch: not a network failure.
TUNING = replace(FAST, timeouts=Timeouts(connect_s=2.0, read_s=30.0))
ACCESS_LINE = re.compile(r'"(?:GET|POST) (\S+) HTTP/[\d.]+" (\d{3})')


@dataclass
class Kiosk:
    db: Database
    outbox: Outbox
    core: SyncCore
    server_key: str


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[ServerProcess]]:
    require_postgres()
    with postgres_database() as url, ExitStack() as stack:
        data_dir = tmp_path / "server"  # the same keys for both: one server, several processes
        first = start_server(data_dir, url, "--workers", "2", "--access-log")
        stack.callback(first.stop)
        second = start_server(data_dir, url, "--access-log")
        stack.callback(second.stop)
        yield [first, second]


def kiosk(server: ServerProcess, data_dir: Path, name: str, stack: ExitStack) -> Kiosk:
    db = stack.enter_context(open_database(data_dir))
    settings = DeviceSettings(db)
    enrolment = enroll_device(settings, server.url, server.new_code(), name=name, mode="kiosk")
    server.approve(enrolment.device_id)
    outbox = Outbox(db)
    core = build_core(db, data_dir, tuning=TUNING, outbox=outbox)
    assert core is not None
    key = settings.get(SERVER_PUBLIC_KEY_KEY)
    assert isinstance(key, str)
    return Kiosk(db, outbox, core, key)


def act(kiosk: Kiosk, count: int, voters: list[ResidentIdentity], ids: set[str]) -> None:
    """`count` envelopes queued at `kiosk`, PER_ACT in a transaction: first the voters'
    ballots, then survey answers; their ids added to `ids`."""
    queued = 0
    while queued < count:
        with kiosk.db.write_raw() as conn:
            for _ in range(min(PER_ACT, count - queued)):
                if queued < len(voters):
                    sealer = voters[queued].sealer(kiosk.server_key)
                    payload = ballot("sogong", "sogong-benches")
                    queued_one = kiosk.outbox.enqueue(
                        "ballot", payload, content_version=None, seal=sealer, within=conn
                    )
                else:
                    queued_one = kiosk.outbox.enqueue(
                        "survey_response", survey(), content_version=None, within=conn
                    )
                ids.add(str(queued_one.id))
                queued += 1


def delivered(kiosks: list[Kiosk]) -> bool:
    return all(k.outbox.counts_by_status()["pending"] == 0 for k in kiosks)


def test_two_servers_on_one_postgresql_store_each_envelope_once_and_a_ballot_once(
    servers: list[ServerProcess], tmp_path: Path
) -> None:
    from server.db.models import ResidentEntry, Submission

    residents = [
        ResidentIdentity(f"0107000{i:04d}", date(1950, 1, 1 + i)) for i in range(RESIDENTS)
    ]
    with ExitStack() as stack:
        # Kiosks 0 and 1 on the first server, 2 and 3 on the second; resident i votes at
        # kiosks i % 2 and 2 + i % 2.
        kiosks = [
            kiosk(servers[k // 2], tmp_path / f"kiosk-{k}", f"시청 키오스크 {k + 1}", stack)
            for k in range(KIOSKS)
        ]
        voters = [[r for i, r in enumerate(residents) if i % 2 == k % 2] for k in range(KIOSKS)]
        queued: list[set[str]] = [set() for _ in kiosks]
        workers = [threading.Thread(target=k.core.run_forever) for k in kiosks]
        for worker in workers:
            worker.start()
        try:
            actors = [
                threading.Thread(target=act, args=(k, ENVELOPES // KIOSKS, voters[n], queued[n]))
                for n, k in enumerate(kiosks)
            ]
            for actor in actors:
                actor.start()
            for actor in actors:
                actor.join()
            deadline = time.monotonic() + DELIVERED_WITHIN_S
            while not delivered(kiosks) and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            for k in kiosks:
                k.core.stop()
            for worker in workers:
                worker.join(timeout=30)

        assert delivered(kiosks), [k.outbox.counts_by_status() for k in kiosks]
        assert all(k.outbox.counts_by_status()["dead"] == 0 for k in kiosks)
    sent = set().union(*queued)
    assert len(sent) == ENVELOPES

    with servers[0].database() as db, db.read() as session:
        stored = [str(i) for i in session.scalars(select(Submission.id))]
        ballots = session.execute(
            select(ResidentEntry.resident_key, func.count())
            .where(ResidentEntry.kind == "ballot", ResidentEntry.counted.is_(True))
            .group_by(ResidentEntry.resident_key)
        ).all()
        cast = session.scalar(
            select(func.count()).select_from(Submission).where(Submission.kind == "ballot")
        )
    assert len(stored) == len(set(stored)) == ENVELOPES
    assert set(stored) == sent
    assert cast == 2 * RESIDENTS  # every ballot stored; of each resident's two, one counts
    assert len(ballots) == RESIDENTS and all(count == 1 for _, count in ballots)

    answered: dict[int, list[str]] = {}
    for n, server in enumerate(servers):
        for path, status in ACCESS_LINE.findall(server.log_text()):
            answered.setdefault(n, []).append(status)
            assert not status.startswith("5"), f"server {n}: {path} answered {status}"
        assert "server.error" not in server.log_text()
    # Both servers took batches: the resident's two ballots met at different processes.
    assert all(answered.get(n) for n in range(len(servers)))
