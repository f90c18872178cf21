"""Exactly once under faults: 2,000 queued envelopes reach the real server once each, while the
server is killed and restarted, a proxy cuts connections mid-answer and delays others, and the
sync process itself is killed with SIGKILL and restarted.

The sync process is the real command (`python -m sync run`) on the device's data directory,
with small backoff numbers passed on its command line.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sync.conftest import Device
from tests.sync.proxy import FaultProxy, random_plan
from tests.sync.reference_server import REPO_ROOT, ReferenceServer

ENVELOPES = 2_000
# Sent counts at which the sync process is SIGKILLed, and at which the server is.
KILL_SYNC_AT = (250, 700, 1150, 1500)
KILL_SERVER_AT = (450, 950, 1700)
DRAIN_TIMEOUT_S = 150
SEED = int(os.environ.get("EXACTLY_ONCE_SEED", "4"))


class SyncProcess:
    """`python -m sync run` on a device's data directory, its log in a file."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.log = data_dir / "sync-run.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "sync",
                    "run",
                    "--data-dir",
                    str(self.data_dir),
                    "--backoff-base",
                    "0.05",
                    "--backoff-cap",
                    "0.5",
                    "--timeout",
                    "2",
                    "--idle-check",
                    "0.1",
                ],
                stdout=log,
                stderr=log,
                env=env,
                cwd=REPO_ROOT,
            )
        self.starts += 1

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        assert self.process is not None
        self.process.terminate()
        return self.process.wait(timeout=15)


def sent_count(device: Device) -> int:
    return device.outbox.counts_by_status()["sent"]


@pytest.mark.slow
def test_every_envelope_arrives_exactly_once_through_kills_and_cut_connections(
    srv: ReferenceServer, make_device, request
):
    proxy = FaultProxy(srv.port)
    request.addfinalizer(proxy.close)
    device = make_device(url=proxy.url)
    queued = device.queue(ENVELOPES)
    proxy.plan = random_plan(
        random.Random(SEED),
        cut=0.3,
        delay=0.2,
        delay_s=0.3,
        cut_range=40_000,  # a batch's answer is about 60 kB: most cuts land inside one
        always_cut_first="/submissions/batch",
    )

    sync = SyncProcess(device.data_dir)
    sync.start()
    request.addfinalizer(lambda: sync.process is not None and sync.process.kill())
    sync_kills = list(KILL_SYNC_AT)
    server_kills = list(KILL_SERVER_AT)
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while device.outbox.counts_by_status()["pending"] > 0:
        assert time.monotonic() < deadline, f"not drained: {device.outbox.counts_by_status()}"
        sent = sent_count(device)
        if sync_kills and sent >= sync_kills[0]:
            sync_kills.pop(0)
            sync.kill()
            sync.start()
        if server_kills and sent >= server_kills[0]:
            server_kills.pop(0)
            srv.kill()
            proxy.cut_all()
            srv.start()  # same port: the proxy's upstream stays valid
        time.sleep(0.01)  # watching other processes through the database; no Qt here
    assert sync.stop() == 0

    # The server holds each envelope exactly once, in device_seq order, no refusals.
    stored = srv.submissions(device.device_id)
    assert len(stored) == ENVELOPES
    assert [s.id for s in stored] == [e.id for e in queued]
    assert [s.device_seq for s in stored] == list(range(1, ENVELOPES + 1))
    assert srv.rejected(device.device_id) == []
    # The device has none pending and no dead letter, and a receipt for each.
    assert device.outbox.counts_by_status() == {"pending": 0, "sent": ENVELOPES, "dead": 0}
    assert device.outbox.dead_letters() == []
    sample = device.outbox.get(queued[ENVELOPES // 2].id)
    assert sample is not None and sample.receipt is not None
    assert sample.receipt["envelope_id"] == str(queued[ENVELOPES // 2].id)

    # The faults did happen: kills at every threshold, cut answers, resends seen as duplicates.
    assert not sync_kills and not server_kills
    assert sync.starts == len(KILL_SYNC_AT) + 1
    assert any("/submissions/batch" in line for line in proxy.stats.cut_requests), proxy.stats
    assert proxy.stats.delayed > 0
    log = sync.log.read_text(encoding="utf-8", errors="replace")
    duplicates = sum(int(n) for n in re.findall(r"sync\.batch_resent duplicate=(\d+)", log))
    print(
        f"\nexactly-once: cut={proxy.stats.cut} delayed={proxy.stats.delayed}"
        f" connections={proxy.stats.connections} duplicates={duplicates}"
        f" sync_starts={sync.starts}"
    )
    assert duplicates > 0, "no envelope was ever resent: the faults did not bite"
