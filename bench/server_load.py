"""Benchmark: the reference server under many devices posting at once, on loopback.

The server runs as real processes (`python -m server serve`, `--workers N` of them: 1 by
default, as a dong centre runs it; several, as a city does) on a fresh
SQLite file, or on a fresh PostgreSQL database made in the server `--postgres-url` names (its
role must be allowed to CREATE DATABASE; the database is dropped afterwards). N devices are
enrolled the real way (a code, POST /devices/enroll, approved as staff approve them) and a pack
with an open participatory-budget vote is published. Every body is built before the clock
starts (sealing included), then every device posts from its own thread and connection:

- "batches": each device posts B batches of E envelopes (default 200 devices x 5 x 20);
- "single": each device posts its B x E envelopes one per request (a kiosk that syncs each act).

Posting is bounded in time (`--seconds`: no request starts after it); whatever a device tried
and did not get answered (an error, a 5xx) is sent again afterwards, untimed, as the sync worker
would. Then the server's database is read: `lost` counts envelopes a device sent that are not
stored, `double_counted` envelopes stored more than once plus residents whose ballot counts
more than once. Each device's first envelope of a scenario is a sealed ballot from a resident
who votes at two devices (2k and 2k+1), so first-ballot-wins is exercised across devices.

Baselines, measured in the same run: the server's own ingest (`server.bench.measure_ingest`:
the batch route's work without HTTP, in this process, on the same kind of database) in the
scenario's batches (E envelopes; 1 for "single"), one batch after the other; and the issue's
goals (issue 20), each said within or over. The in-process figure is not a ceiling for the
server under load: there one request's parsing overlaps another's commit, so a ratio above 1
says the server gains from concurrency.

    python bench/server_load.py [--devices 200] [--batches 5] [--per-batch 20] [--seconds 60]
        [--scenario both|batches|single] [--workers N]
        [--postgres-url postgresql://user:pw@127.0.0.1/db]

Exits 1 when an envelope is lost or counted twice (not for a goal missed). The last line
printed is JSON, for scripts: {"database", "workers", "in_process_ingest_per_s", "batches": {...},
"single": {...}}, each scenario with "devices", "envelopes_per_s", "requests_per_s", "p50_ms",
"p99_ms", "http_5xx", "lost", "double_counted".
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import platform
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from contract.wire import API_PREFIX  # noqa: E402
from server.bench import measure_ingest  # noqa: E402
from server.db.models import Submission  # noqa: E402
from tests.server.civic import Kiosk, Resident, ballot, publish_pack, survey  # noqa: E402
from tests.server.process import ServerProcess, postgres_database, start_server  # noqa: E402

BATCH_PATH = f"{API_PREFIX}/submissions/batch"
REQUEST_TIMEOUT_S = 120.0
RESENDS = 3
# Issue 20's goals per scenario and database: envelopes/s at least, requests/s at least, p99
# under (ms), and whether no 5xx at all is a goal.
GOALS: dict[tuple[str, str], tuple[float | None, float | None, float | None, bool]] = {
    ("batches", "sqlite"): (2_500.0, None, 1_000.0, False),
    ("batches", "postgresql"): (4_000.0, None, 1_000.0, True),
    ("single", "sqlite"): (None, 500.0, 500.0, False),
    ("single", "postgresql"): (None, 500.0, 500.0, False),
}


@dataclass
class Device:
    """One simulated kiosk: its enrolment, and per scenario the bodies it posts in order."""

    kiosk: Kiosk
    bodies: list[bytes] = field(default_factory=list)
    ids: list[list[str]] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {**self.kiosk.device.headers, "Content-Type": "application/json"}


@dataclass
class Outcome:
    """What one scenario's posting saw, from the devices' side."""

    latencies_ms: list[float] = field(default_factory=list)
    answered_200: int = 0
    http_5xx: int = 0
    errors: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    # (device, body index) of the requests that were tried and not answered 200.
    unanswered: list[tuple[int, int]] = field(default_factory=list)
    # Envelope ids a device tried to send (answered or not).
    sent: set[str] = field(default_factory=set)
    seconds: float = 0.0
    # CPU this process (the devices) used while posting: it shares the machine with the server.
    client_cpu_s: float = 0.0
    stopped_by_time: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def percentile(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)] if sorted_ms else 0.0


def enrol(server: ServerProcess, count: int) -> list[Device]:
    """`count` kiosks enrolled and approved as staff approve them, a few at a time."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        kiosks = list(pool.map(lambda i: Kiosk(server, name=f"부하 시험 {i + 1}"), range(count)))
    return [Device(kiosk) for kiosk in kiosks]


def prepare(devices: list[Device], batches: int, per_batch: int, resident_base: int) -> dict:
    """Build every body of a scenario before the clock starts.

    Devices 2k and 2k+1 open the scenario with a ballot from the same resident; the rest are
    anonymous survey answers. Returns {resident index: [ballot envelope ids]}.
    """
    ballots: dict[int, list[str]] = {}
    for d, device in enumerate(devices):
        resident_index = resident_base + d // 2
        resident = Resident(phone=f"010{9000_0000 + resident_index:08d}", birth=date(1950, 5, 1))
        items: list[dict[str, Any]] = []
        for n in range(batches * per_batch):
            if n == 0:
                item = device.kiosk.envelope("ballot", ballot("sogong", "sogong-benches"), resident)
                ballots.setdefault(resident_index, []).append(item["id"])
            else:
                item = device.kiosk.envelope("survey_response", survey())
            items.append(item)
        device.bodies = []
        device.ids = []
        for start in range(0, len(items), per_batch):
            chunk = items[start : start + per_batch]
            device.bodies.append(json.dumps({"items": chunk}).encode("utf-8"))
            device.ids.append([item["id"] for item in chunk])
    return ballots


def post(connection: http.client.HTTPConnection, body: bytes, headers: dict[str, str]) -> Any:
    connection.request("POST", BATCH_PATH, body=body, headers=headers)
    answer = connection.getresponse()
    return answer.status, answer.read()


def run_devices(server: ServerProcess, devices: list[Device], seconds: float) -> Outcome:
    """Every device posts its bodies in order from its own thread and keep-alive connection,
    all starting at once; no request starts after `seconds`."""
    outcome = Outcome()
    start = threading.Barrier(len(devices) + 1)
    host, port = "127.0.0.1", server.port

    def device_loop(d: int) -> None:
        device = devices[d]
        headers = device.headers
        connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_S)
        start.wait()
        deadline = time.perf_counter() + seconds
        for b, body in enumerate(device.bodies):
            if time.perf_counter() > deadline:
                with outcome.lock:
                    outcome.stopped_by_time = True
                break
            with outcome.lock:
                outcome.sent.update(device.ids[b])
            began = time.perf_counter()
            try:
                status, text = post(connection, body, headers)
            except (OSError, http.client.HTTPException) as e:
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT_S)
                with outcome.lock:
                    outcome.errors.append(f"{type(e).__name__}: {e}")
                    outcome.unanswered.append((d, b))
                continue
            elapsed_ms = (time.perf_counter() - began) * 1000
            counts: dict[str, int] = {}
            if status == 200:
                for result in json.loads(text)["results"]:
                    counts[result["status"]] = counts.get(result["status"], 0) + 1
            with outcome.lock:
                outcome.latencies_ms.append(elapsed_ms)
                outcome.http_5xx += status >= 500
                outcome.answered_200 += status == 200
                if status != 200:
                    outcome.unanswered.append((d, b))
                    outcome.errors.append(f"HTTP {status}: {text[:120]!r}")
                for key, value in counts.items():
                    outcome.statuses[key] = outcome.statuses.get(key, 0) + value
        connection.close()

    threads = [threading.Thread(target=device_loop, args=(d,)) for d in range(len(devices))]
    for thread in threads:
        thread.start()
    start.wait()
    began, cpu_began = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - began
    outcome.client_cpu_s = time.process_time() - cpu_began
    return outcome


def resend(server: ServerProcess, devices: list[Device], outcome: Outcome) -> list[str]:
    """Send again, untimed and one at a time, what went unanswered; what still fails."""
    failures: list[str] = []
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT_S)
    for d, b in outcome.unanswered:
        for attempt in range(RESENDS):
            try:
                status, text = post(connection, devices[d].bodies[b], devices[d].headers)
            except (OSError, http.client.HTTPException) as e:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port)
                status, text = 0, str(e).encode()
            if status == 200:
                break
            if attempt == RESENDS - 1:
                failures.append(f"device {d} batch {b}: {status} {text[:120]!r}")
    connection.close()
    return failures


def audit(server: ServerProcess, outcome: Outcome, ballots: dict[int, list[str]]) -> dict:
    """Lost and double-counted envelopes, read from the server's database."""
    stored: dict[str, int] = {}
    counted: dict[str, bool] = {}
    with server.database() as db, db.read() as session:
        for envelope_id, is_counted in session.execute(select(Submission.id, Submission.counted)):
            key = str(envelope_id)
            stored[key] = stored.get(key, 0) + 1
            counted[key] = counted.get(key, False) or bool(is_counted)
    lost = sum(1 for envelope_id in outcome.sent if envelope_id not in stored)
    twice = sum(1 for envelope_id in outcome.sent if stored.get(envelope_id, 0) > 1)
    ballots_sent = {r: [i for i in ids if i in outcome.sent] for r, ids in ballots.items()}
    counted_twice = sum(
        1 for ids in ballots_sent.values() if sum(counted.get(i, False) for i in ids) > 1
    )
    uncounted = sum(
        1 for ids in ballots_sent.values() if ids and not any(counted.get(i) for i in ids)
    )
    shared = sum(1 for ids in ballots_sent.values() if len(ids) > 1)
    return {
        "lost": lost,
        "double_counted": twice + counted_twice,
        "residents_voting_twice": shared,
        "residents_never_counted": uncounted,
    }


def scenario(
    name: str,
    server: ServerProcess,
    devices: list[Device],
    batches: int,
    per_batch: int,
    seconds: float,
    resident_base: int,
) -> dict[str, Any]:
    ballots = prepare(devices, batches, per_batch, resident_base)
    outcome = run_devices(server, devices, seconds)
    failures = resend(server, devices, outcome)
    checked = audit(server, outcome, ballots)
    envelopes_ok = outcome.statuses.get("accepted", 0) + outcome.statuses.get("duplicate", 0)
    ordered = sorted(outcome.latencies_ms)
    planned = sum(len(ids) for device in devices for ids in device.ids)
    result = {
        "devices": len(devices),
        "envelopes_per_s": round(envelopes_ok / outcome.seconds, 1),
        "requests_per_s": round(outcome.answered_200 / outcome.seconds, 1),
        "p50_ms": round(percentile(ordered, 50), 1),
        "p99_ms": round(percentile(ordered, 99), 1),
        "http_5xx": outcome.http_5xx,
        "lost": checked["lost"],
        "double_counted": checked["double_counted"],
        "envelopes_sent": len(outcome.sent),
        "envelopes_planned": planned,
        "requests": len(outcome.latencies_ms),
        "seconds": round(outcome.seconds, 2),
        "stopped_by_time": outcome.stopped_by_time,
        "client_cpu_s": round(outcome.client_cpu_s, 1),
        "errors": len(outcome.errors),
        "rejected": outcome.statuses.get("rejected", 0),
        "resent_failed": len(failures),
        "residents_voting_twice": checked["residents_voting_twice"],
        "residents_never_counted": checked["residents_never_counted"],
    }
    what = f"{batches} x {per_batch}" if name == "batches" else f"{batches * per_batch} x 1"
    print(f"-- {name}: {len(devices)} devices posting {what} at once")
    print(
        f"   sent {len(outcome.sent):,} of {planned:,} envelopes in {outcome.seconds:.1f} s"
        + (" (stopped by --seconds)" if outcome.stopped_by_time else "")
        + f"; the devices' own CPU meanwhile {outcome.client_cpu_s:.1f} s"
    )
    print(
        f"   {result['envelopes_per_s']:,.0f} envelopes/s, {result['requests_per_s']:,.1f} "
        f"requests/s, p50 {result['p50_ms']:,.0f} ms, p99 {result['p99_ms']:,.0f} ms"
    )
    print(
        f"   HTTP 5xx {outcome.http_5xx}, other errors {len(outcome.errors) - outcome.http_5xx}"
        f", rejected {result['rejected']}, still failing after resending {len(failures)}"
    )
    for error in outcome.errors[:3]:
        print(f"   e.g. {error}")
    print(
        f"   database: lost {checked['lost']}, double-counted {checked['double_counted']} "
        f"({checked['residents_voting_twice']} residents voted at two devices; "
        f"{checked['residents_never_counted']} of them never counted)"
    )
    return result


def verdicts(name: str, database: str, figures: dict[str, Any]) -> list[str]:
    per_s, requests_per_s, p99_ms, no_5xx = GOALS[(name, database)]
    said = []
    if per_s is not None:
        ok = figures["envelopes_per_s"] >= per_s
        said.append(f">= {per_s:,.0f} envelopes/s: {'within' if ok else 'OVER'}")
    if requests_per_s is not None:
        ok = figures["requests_per_s"] >= requests_per_s
        said.append(f">= {requests_per_s:,.0f} requests/s: {'within' if ok else 'OVER'}")
    if p99_ms is not None:
        ok = figures["p99_ms"] < p99_ms
        said.append(f"p99 < {p99_ms:,.0f} ms: {'within' if ok else 'OVER'}")
    if no_5xx:
        said.append(f"0 x 5xx: {'within' if figures['http_5xx'] == 0 else 'OVER'}")
    return said


@contextmanager
def database_for(postgres_url: str | None) -> Iterator[str | None]:
    """A fresh PostgreSQL database in `postgres_url`'s server, or None (SQLite)."""
    if postgres_url is None:
        yield None
        return
    with postgres_database(postgres_url) as url:
        yield url


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--batches", type=int, default=5, help="batches per device")
    parser.add_argument("--per-batch", type=int, default=20, help="envelopes per batch")
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="no request starts after this, per scenario"
    )
    parser.add_argument("--scenario", choices=["both", "batches", "single"], default="both")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (serve --workers; default 1)"
    )
    parser.add_argument(
        "--postgres-url",
        default=None,
        help="a PostgreSQL server (a role that may CREATE DATABASE); default: SQLite",
    )
    args = parser.parse_args()
    names = ["batches", "single"] if args.scenario == "both" else [args.scenario]
    database = "postgresql" if args.postgres_url else "sqlite"

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="ontong-server-load-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        db = stack.enter_context(database_for(args.postgres_url))
        server = start_server(work / "server", db, "--workers", str(args.workers))
        stack.callback(server.stop)
        publish_pack(server, work)
        began = time.perf_counter()
        devices = enrol(server, args.devices)
        print(
            f"machine: {platform.machine()} {platform.system()} python {platform.python_version()}"
        )
        print(
            f"server: {args.workers} process(es), {database}; {args.devices} devices enrolled and"
            " approved "
            f"in {time.perf_counter() - began:.1f} s (set-up)"
        )
        for i, name in enumerate(names):
            per_batch = args.per_batch if name == "batches" else 1
            batches = args.batches if name == "batches" else args.batches * args.per_batch
            results[name] = scenario(
                name, server, devices, batches, per_batch, args.seconds, i * args.devices
            )
        stack.close()
        total = args.devices * args.batches * args.per_batch
        ingest: dict[str, float] = {}
        for name in names:
            # The same batches as the scenario's, one after the other, on a fresh database.
            per_batch = args.per_batch if name == "batches" else 1
            count = max(per_batch, min(2_000 if name == "batches" else 500, total))
            with database_for(args.postgres_url) as baseline_db:
                ingest[name] = measure_ingest(count, per_batch, db=baseline_db).per_s
            print(
                f"baseline: the server's ingest in-process (no HTTP), {database}, batches of "
                f"{per_batch} one after the other: {ingest[name]:,.0f} envelopes/s"
            )
    for name, figures in results.items():
        ratio = figures["envelopes_per_s"] / ingest[name]
        print(
            f"{name} / in-process ingest: {ratio:.2f}; goals: "
            + "; ".join(verdicts(name, database, figures))
        )
    print(
        json.dumps(
            {
                "database": database,
                "workers": args.workers,
                "in_process_ingest_per_s": ingest,
                **results,
            }
        )
    )
    broken = any(r["lost"] or r["double_counted"] for r in results.values())
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
