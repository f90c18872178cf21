"""Benchmark: submit to durable in the outbox, against a raw sqlite3 insert+commit.

Budget (DESIGN.md "Performance budgets"): Outbox.enqueue p99 under 15 ms, and within 1.5x the
p99 of a raw sqlite3 INSERT + COMMIT of the same row into the same outbox schema with the same
durability (WAL, synchronous=FULL), measured in the same run on the same disk. The two are
interleaved call by call so that disk hiccups hit both alike.

    python -m bench.outbox [--n 2000] [--dir DIR]

The last line printed is JSON, for scripts.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from functools import partial
from pathlib import Path

from kiosk.store.db import DB_FILENAME, open_database
from kiosk.store.models import ENVELOPE_COLUMNS, format_utc
from kiosk.store.outbox import Outbox, read_boot_id, utc_now

P99_BUDGET_MS = 15.0
RATIO_BUDGET = 1.5
WARMUP = 100

# A typical survey answer: a few questions, some Korean free text.
PAYLOAD = {
    "survey_id": "s-2026-11-satisfaction",
    "answers": {
        "q1": 4,
        "q2": ["library", "park"],
        "q3": "경로당 난방을 조금 더 일찍 켜 주시면 좋겠습니다.",
        "q4": True,
    },
    "duration_s": 83.4,
}


def percentile(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


def raw_inserter(conn: sqlite3.Connection, count: int) -> Callable[[int], None]:
    """INSERT + COMMIT of the row enqueue writes, on a plain connection with the same pragmas."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    sql = (
        f"INSERT INTO outbox ({', '.join(ENVELOPE_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(ENVELOPE_COLUMNS))})"
    )
    payload_json = json.dumps(PAYLOAD, ensure_ascii=False, separators=(",", ":"))
    created_at = format_utc(utc_now())
    boot_id = read_boot_id()
    # Built beforehand: the baseline is the insert and the commit, nothing else.
    rows = [
        (
            str(uuid.uuid4()),
            seq,
            "survey.response",
            1,
            "2026.11.1",
            created_at,
            0.0,
            boot_id,
            0,
            payload_json,
            None,
        )
        for seq in range(1, count + 1)
    ]

    def insert(i: int) -> None:
        conn.execute("BEGIN")
        conn.execute(sql, rows[i])
        conn.execute("COMMIT")

    return insert


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="calls of each kind (default 2000)")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path.cwd(),
        help="where the temporary databases go; pick the disk the kiosk uses (default: .)",
    )
    args = parser.parse_args(argv)
    n: int = args.n

    with tempfile.TemporaryDirectory(prefix="bench-outbox-", dir=args.dir) as tmp:
        tmp_dir = Path(tmp)
        # Same schema for both: the raw baseline inserts into a migrated outbox table too.
        open_database(tmp_dir / "raw").close()
        raw_conn = sqlite3.connect(tmp_dir / "raw" / DB_FILENAME, isolation_level=None)
        raw_insert = raw_inserter(raw_conn, WARMUP + n)
        with closing(raw_conn), open_database(tmp_dir / "outbox") as db:
            outbox = Outbox(db)

            def enqueue() -> None:
                outbox.enqueue("survey.response", PAYLOAD, content_version="2026.11.1")

            for i in range(WARMUP):
                enqueue()
                raw_insert(i)
            enqueue_ms: list[float] = []
            raw_ms: list[float] = []
            for i in range(WARMUP, WARMUP + n):
                # Alternate who goes first, so neither always follows the other's fsync.
                if i % 2:
                    enqueue_ms.append(timed(enqueue))
                    raw_ms.append(timed(partial(raw_insert, i)))
                else:
                    raw_ms.append(timed(partial(raw_insert, i)))
                    enqueue_ms.append(timed(enqueue))

    enqueue_ms.sort()
    raw_ms.sort()
    result = {
        "n": n,
        "enqueue_p50_ms": round(percentile(enqueue_ms, 50), 4),
        "enqueue_p99_ms": round(percentile(enqueue_ms, 99), 4),
        "enqueue_max_ms": round(enqueue_ms[-1], 4),
        "raw_sqlite_p50_ms": round(percentile(raw_ms, 50), 4),
        "raw_sqlite_p99_ms": round(percentile(raw_ms, 99), 4),
        "raw_sqlite_max_ms": round(raw_ms[-1], 4),
        "ratio_p50": round(percentile(enqueue_ms, 50) / percentile(raw_ms, 50), 3),
        "ratio_p99": round(percentile(enqueue_ms, 99) / percentile(raw_ms, 99), 3),
    }
    within = result["enqueue_p99_ms"] < P99_BUDGET_MS and result["ratio_p99"] <= RATIO_BUDGET

    print(
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
        f"{n} calls each, databases in {args.dir}"
    )
    print(
        f"Outbox.enqueue      p50 {result['enqueue_p50_ms']:.3f} ms  "
        f"p99 {result['enqueue_p99_ms']:.3f} ms  max {result['enqueue_max_ms']:.3f} ms"
    )
    print(
        f"raw insert+commit   p50 {result['raw_sqlite_p50_ms']:.3f} ms  "
        f"p99 {result['raw_sqlite_p99_ms']:.3f} ms  max {result['raw_sqlite_max_ms']:.3f} ms"
    )
    print(
        f"ratio p50 {result['ratio_p50']:.2f}  p99 {result['ratio_p99']:.2f}  "
        f"(budget: p99 < {P99_BUDGET_MS:g} ms, ratio <= {RATIO_BUDGET:g}) "
        f"{'within budget' if within else 'OVER BUDGET'}"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
