"""An agree and its one-vote record are written together or not at all, whenever the kiosk dies.

A child process agrees with a proposal in a loop through kiosk.services, each time as another
resident (and every third time again as the resident before, who must be refused), and is
killed with SIGKILL at random moments. Afterwards the outbox's agrees and the one-vote records
match one for one: a kill between the envelope and the record (two transactions before) would
leave an agree without its record, and the same resident could agree again offline.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox
from tests.integration.test_durability import REPO_ROOT, Reader

ROUNDS = 12

CHILD = """
import base64, json, os, sys
from datetime import datetime
from pathlib import Path
from nacl.public import PrivateKey
from contract.content import KST, parse_pack
from kiosk.config import KioskConfig
from kiosk.context import AppContext
from kiosk.domain.identity import ResidentIdentity
from kiosk.pack.cache import AssetCache
from kiosk.paths import asset_path
from kiosk.services import Receipt, Services

data_dir, round_no = Path(sys.argv[1]), int(sys.argv[2])
pack = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
proposal = pack.proposal("crosswalk-sindang")
now = datetime(2026, 12, 31, 10, 0, tzinfo=KST)
ctx = AppContext(KioskConfig(data_dir=data_dir), AssetCache(data_dir / "assets"), pack=pack,
                 clock=lambda: now)
ctx.open_store()  # migrated and open before the kills begin
services = Services(ctx)
key = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
os.write(1, b"ready\\n")
i = 0
while True:
    n = i - 1 if i % 3 == 2 else i  # every third act: the resident before, again
    phone = f"010{round_no:02d}{n:06d}"
    resident = services.identify(ResidentIdentity.from_keypad(phone, "19500101", now.date()), key)
    outcome = services.acts.agree(proposal, resident)
    word = "queued" if isinstance(outcome, Receipt) else outcome.rule
    os.write(1, f"{phone} {word}\\n".encode())
    i += 1
"""


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
        assert reader.ready.wait(timeout=30), stderr_path.read_text()
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        reader.thread.join(timeout=10)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL, stderr_path.read_text()
    return reader.lines


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")
def test_an_agree_and_its_one_vote_record_survive_a_kill_together(data_dir, tmp_path) -> None:
    rng = random.Random(20261206)
    reported: list[tuple[str, str]] = []
    for round_no in range(ROUNDS):
        reported += [tuple(line.split()) for line in run_round(data_dir, round_no, rng, tmp_path)]

    with open_database(data_dir) as db:
        agrees = [e for e in Outbox(db).pending(limit=1_000_000) if e.kind == "proposal_agree"]
        with db.read() as conn:
            records = conn.exec_driver_sql(
                "SELECT count(*) FROM civic_records WHERE kind = 'agree'"
            ).scalar_one()
    # One record per agree queued, whatever moment each kill came at.
    assert records == len(agrees)
    queued = [phone for phone, word in reported if word == "queued"]
    refused = [phone for phone, word in reported if word != "queued"]
    assert set(word for _, word in reported) <= {"queued", "already_agreed"}
    assert len(set(queued)) == len(queued), "a resident agreed twice"
    assert set(refused) <= set(queued)
    # Each kill can cut off at most one report: committed, not yet written to the pipe.
    assert len(queued) <= len(agrees) <= len(queued) + ROUNDS
    # The test only means something if the kills landed among many acts.
    assert len(reported) >= 60, f"only {len(reported)} acts"
