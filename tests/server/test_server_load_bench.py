"""bench/server_load.py runs end to end with tiny numbers: the real server on SQLite, three
devices enrolled the real way, both scenarios, and its database read afterwards. Not timed: the
figures live in the bench."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.server.process import ROOT

KEYS = {
    "devices",
    "envelopes_per_s",
    "requests_per_s",
    "p50_ms",
    "p99_ms",
    "http_5xx",
    "lost",
    "double_counted",
}


def test_the_load_bench_stores_every_envelope_once_and_counts_a_ballot_once() -> None:
    args = ["--devices", "3", "--batches", "2", "--per-batch", "2", "--seconds", "60"]
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "server_load.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.strip().splitlines()
    assert "lost 0, double-counted 0" in run.stdout  # the figures are said before the JSON
    figures = json.loads(lines[-1])
    assert figures["database"] == "sqlite"
    for name in ("batches", "single"):
        scenario = figures[name]
        assert set(scenario) >= KEYS, (name, scenario)
        assert scenario["devices"] == 3
        assert scenario["envelopes_sent"] == 3 * 2 * 2, scenario
        assert scenario["lost"] == scenario["double_counted"] == 0, scenario
        assert scenario["http_5xx"] == 0, scenario
        # Devices 1 and 2 sent a ballot from the same resident: counted once, not lost.
        assert scenario["residents_voting_twice"] == 1, scenario
        assert scenario["residents_never_counted"] == 0, scenario
