"""Nothing lost, nothing counted twice: a writer process killed with SIGKILL at random moments.

A child process enqueues envelopes in a loop and reports each one on stdout only after
`Outbox.enqueue` returned, the moment the kiosk would show "thank you". The parent kills it at
random, many times, restarting a new child on the same database each round. Every reported
envelope must then be in the outbox, unchanged, with device_seq 1..N and no gaps.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox

REPO_ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 25

# Reports "<id> <device_seq> <sha256 of the payload>" per envelope, with one write() each so a
# kill can never leave half a line that looks whole.
CHILD = """
import hashlib, json, os, sys
from pathlib import Path
from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox

data_dir, round_no = Path(sys.argv[1]), int(sys.argv[2])
outbox = Outbox(open_database(data_dir))
os.write(1, b"ready\\n")
i = 0
while True:
    payload = {"round": round_no, "i": i, "text": "주민 의견 " * (i % 7), "pad": "x" * (i % 900)}
    envelope = outbox.enqueue("survey.response", payload, content_version="v1")
    canonical = json.dumps(envelope.payload, sort_keys=True, ensure_ascii=False).encode()
    line = f"{envelope.id} {envelope.device_seq} {hashlib.sha256(canonical).hexdigest()}\\n"
    os.write(1, line.encode())
    i += 1
"""


def payload_digest(payload: dict[str, object]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest()


@dataclass
class Reader:
    """Drains a child's stdout on a thread, so the child never blocks on a full pipe."""

    stream: IO[bytes]
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for raw in self.stream:
            if not raw.endswith(b"\n"):
                break  # cut off by the kill: never reported
            line = raw.decode().rstrip("\n")
            if line == "ready":
                self.ready.set()
            else:
                self.lines.append(line)


def run_round(data_dir: Path, round_no: int, rng: random.Random, log_dir: Path) -> list[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    stderr_path = log_dir / f"child-{round_no}.stderr"
    with stderr_path.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), str(round_no)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            cwd=REPO_ROOT,
            env=env,
        )
        assert child.stdout is not None
        reader = Reader(child.stdout)
        if round_no % 5 == 0:
            # Some kills land while the child starts: importing, opening, migrating.
            time.sleep(rng.uniform(0.0, 0.4))
        else:
            assert reader.ready.wait(timeout=15), stderr_path.read_text()
            time.sleep(rng.uniform(0.005, 0.35))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        reader.thread.join(timeout=10)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL, stderr_path.read_text()
    return reader.lines


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_envelopes_survive_sigkill_at_random_moments(data_dir: Path, tmp_path: Path) -> None:
    rng = random.Random(20261125)
    reported: dict[str, tuple[int, str]] = {}
    started = time.monotonic()
    for round_no in range(ROUNDS):
        for line in run_round(data_dir, round_no, rng, tmp_path):
            envelope_id, seq, digest = line.split()
            assert envelope_id not in reported, "the same envelope was reported twice"
            reported[envelope_id] = (int(seq), digest)
    elapsed = time.monotonic() - started

    with open_database(data_dir) as db:
        stored = {str(e.id): e for e in Outbox(db).pending(limit=1_000_000)}
        assert Outbox(db).counts_by_status() == {"pending": len(stored), "sent": 0, "dead": 0}

    # Every envelope the resident was thanked for is there, unchanged.
    missing = set(reported) - set(stored)
    assert not missing, f"{len(missing)} reported envelopes were lost"
    for envelope_id, (seq, digest) in reported.items():
        assert stored[envelope_id].device_seq == seq
        assert payload_digest(stored[envelope_id].payload) == digest

    # Gap-free and never repeated, across every restart.
    seqs = sorted(e.device_seq for e in stored.values())
    assert seqs == list(range(1, len(seqs) + 1))
    # Each kill can cut off at most one report: committed, not yet written to the pipe.
    assert len(stored) - len(reported) <= ROUNDS
    # The test only means something if the kills landed among many writes.
    assert len(reported) >= 200, f"only {len(reported)} envelopes in {elapsed:.1f} s"

    print(f"rounds={ROUNDS} reported={len(reported)} stored={len(stored)} elapsed={elapsed:.1f}s")
    check = sqlite3.connect(data_dir / "device.sqlite3")
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        check.close()
