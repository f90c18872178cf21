"""Benchmark: drain 10,000 queued envelopes to the reference server on loopback.

Budget (DESIGN.md "Performance budgets"): at least 2,000 envelopes/s on SQLite. Measured in the
same run, for a ratio:
- the server's own ingest ceiling: `server.bench.measure_ingest`, the batch route's work
  (parse, store, answer) without HTTP, on a fresh SQLite file;
- the server over HTTP with no device in the way: pre-encoded batches of 200 posted from
  several threads at once.

    python bench/sync_drain.py [--n 10000] [--threads 4]

The drain is `SyncCore.drain()` as the worker runs it: read the pending envelopes, encode, post,
mark sent with the receipts (each commit durable), until none is pending. Queueing the
envelopes first (one durable commit each) is set-up, timed separately. The last line printed
is JSON, for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contract.wire import API_PREFIX, MAX_BATCH_ITEMS  # noqa: E402
from kiosk.store.db import open_database  # noqa: E402
from kiosk.store.outbox import Outbox  # noqa: E402
from kiosk.store.settings import DeviceSettings  # noqa: E402
from server.bench import measure_ingest, sample_envelope  # noqa: E402
from sync.worker import build_core, enroll_device  # noqa: E402

BUDGET_PER_S = 2_000.0
PAYLOAD: dict[str, Any] = {
    "survey_id": "s-2026-11-satisfaction",
    "answers": {"q1": "o2", "q2": 4, "q3": ["library", "park"], "q4": "경로당 난방을 일찍"},
}


class Server:
    """`python -m server serve` on a fresh data directory, on a free loopback port."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self._cli([sys.executable, "-m", "server", "init", "--data-dir", str(data_dir)], env)
        port_file = data_dir / "port"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "server",
                "serve",
                "--data-dir",
                str(data_dir),
                "--port",
                "0",
                "--port-file",
                str(port_file),
                "--log-level",
                "WARNING",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{int(port_file.read_text())}"
        self._env = env

    @staticmethod
    def _cli(args: list[str], env: dict[str, str]) -> str:
        return subprocess.run(
            args, env=env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout

    def enroll_code(self) -> str:
        args = [sys.executable, "-m", "server", "enroll-code", "--data-dir", str(self.data_dir)]
        return self._cli(args, self._env).strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def drain(server: Server, work: Path, n: int) -> tuple[float, float]:
    """(seconds to queue n envelopes, seconds to drain them)."""
    with open_database(work / "device") as db:
        enroll_device(
            DeviceSettings(db), server.url, server.enroll_code(), name="bench", mode="kiosk"
        )
        outbox = Outbox(db)
        started = time.perf_counter()
        for i in range(n):
            payload = {**PAYLOAD, "answers": {**PAYLOAD["answers"], "q5": i % 5 + 1}}
            outbox.enqueue("survey_response", payload, content_version="bench")
        queued_s = time.perf_counter() - started
        core = build_core(db, work / "device", outbox=outbox)
        assert core is not None
        started = time.perf_counter()
        report = core.drain()
        drained_s = time.perf_counter() - started
        counts = outbox.counts_by_status()
        if report.accepted != n or counts["pending"] or counts["dead"]:
            raise SystemExit(f"drain incomplete: {report} {counts}")
    return queued_s, drained_s


def http_ceiling(server: Server, work: Path, n: int, threads: int) -> float:
    """Envelopes/s the server stores over HTTP with `threads` posting batches of 200 at once."""
    with open_database(work / "flood") as db:
        device = enroll_device(
            DeviceSettings(db), server.url, server.enroll_code(), name="flood", mode="kiosk"
        )
    bodies = [
        json.dumps(
            {
                "items": [
                    sample_envelope(seq) for seq in range(start + 1, start + MAX_BATCH_ITEMS + 1)
                ]
            }
        ).encode()
        for start in range(0, n, MAX_BATCH_ITEMS)
    ]
    headers = {"Authorization": f"Bearer {device.token}", "Content-Type": "application/json"}
    queue = list(reversed(bodies))
    lock = threading.Lock()
    failures: list[str] = []

    def post_all() -> None:
        with requests.Session() as session:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                answer = session.post(
                    f"{server.url}{API_PREFIX}/submissions/batch", data=body, headers=headers
                )
                if answer.status_code != 200:
                    failures.append(f"{answer.status_code} {answer.text[:100]}")

    workers = [threading.Thread(target=post_all) for _ in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - started
    if failures:
        raise SystemExit(f"HTTP flood failed: {failures[:3]}")
    return len(bodies) * MAX_BATCH_ITEMS / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ontong-sync-bench-") as tmp:
        work = Path(tmp)
        server = Server(work / "server")
        try:
            queued_s, drained_s = drain(server, work, args.n)
            http_per_s = http_ceiling(server, work, args.n, args.threads)
        finally:
            server.stop()
    ingest = measure_ingest(args.n, MAX_BATCH_ITEMS)

    drain_per_s = args.n / drained_s
    ratio = drain_per_s / ingest.per_s
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()}")
    print(f"queued {args.n} envelopes in {queued_s:.1f} s (set-up: one durable commit each)")
    print(f"drain to the server on loopback: {drain_per_s:,.0f} envelopes/s ({drained_s:.2f} s)")
    print(f"server ingest ceiling, in-process (no HTTP): {ingest.per_s:,.0f} envelopes/s")
    print(f"server over HTTP, {args.threads} threads, no device: {http_per_s:,.0f} envelopes/s")
    print(f"drain / ingest ceiling: {ratio:.2f}")
    print(f"drain / HTTP ceiling: {drain_per_s / http_per_s:.2f}")
    verdict = "within" if drain_per_s >= BUDGET_PER_S else "OVER"
    print(f"budget >= {BUDGET_PER_S:,.0f}/s: {verdict}")
    print(
        json.dumps(
            {
                "drain_per_s": round(drain_per_s, 1),
                "server_ingest_per_s": round(ingest.per_s, 1),
                "ratio": round(ratio, 3),
                "server_http_per_s": round(http_per_s, 1),
                "n": args.n,
            }
        )
    )
    return 0 if drain_per_s >= BUDGET_PER_S else 1


if __name__ == "__main__":
    sys.exit(main())
