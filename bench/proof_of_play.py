"""Benchmark: proof of play (server.proof_of_play) over a year of hourly `play_stats` envelopes
from 50 boards (438,000 stored envelopes of 6 items each), the week the 보고서 page shows by
default and the whole year at once.

    python -m bench.proof_of_play [--boards 50] [--days 365] [--db URL]

Without --db it uses a fresh SQLite file; a database that already holds the boards is measured
as it is (fill it once, measure again after a change). The rows are written straight into
`submissions` as the server stores them (counted, not practice). The last line printed is JSON,
for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select

from server import proof_of_play
from server.db import ServerDatabase, open_database
from server.db.models import Device, Submission

ITEMS = ("welcome", "night-scout", "digital-class", "ontong-clip", "quiz-points", "frozen-pipes")


def fill(db: ServerDatabase, boards: int, days: int, now: datetime, prefix: str = "bench") -> int:
    """`boards` boards, each with an envelope per hour for `days` days up to `now`; their ids
    start with `prefix` (fill again with another to add boards)."""
    first = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    with db.write() as session:
        for b in range(boards):
            session.add(
                Device(
                    id=f"dev-{prefix}{b:04d}",
                    name=f"전광판 {b + 1}",
                    mode="board",
                    app_version="1.0",
                    token_sha256=f"{prefix}{b:04d}".encode().hex().rjust(64, "0"),
                    enrolled_at=first,
                    approved_at=first,
                )
            )
    written = 0
    for b in range(boards):
        rows: list[dict[str, Any]] = []
        for h in range(days * 24):
            start = first + timedelta(hours=h)
            made = start + timedelta(hours=1, seconds=5)
            payload = {
                "hour_start": start.isoformat(),
                "mode": "board",
                "items": [{"item_id": i, "count": 6, "seconds": 60.0} for i in ITEMS],
            }
            body = {"kind": "play_stats", "payload": payload, "practice": False}
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "body_sha256": "0" * 64,
                    "device_id": f"dev-{prefix}{b:04d}",
                    "device_seq": h + 1,
                    "kind": "play_stats",
                    "schema_version": 1,
                    "content_version": None,
                    "created_at": made,
                    "clock_offset_s": 0.0,
                    "created_at_server": made,
                    "received_at": made,
                    "practice": False,
                    "counted": True,
                    "note": None,
                    "body": json.dumps(body, separators=(",", ":")),
                }
            )
        with db.write() as session:
            session.execute(insert(Submission), rows)
        written += len(rows)
    return written


def measure(db: ServerDatabase, days: int, today: Any) -> tuple[float, int, int]:
    """Seconds, statements and lines of one report of `days` days up to `today`."""
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        began = time.perf_counter()
        report = proof_of_play.plays(db, today - timedelta(days=days - 1), today, None)
        took = time.perf_counter() - began
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return took, statements, len(report.lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--boards", type=int, default=50)
    p.add_argument("--days", type=int, default=365)
    p.add_argument("--db", help="a database URL (default: a fresh SQLite file)")
    args = p.parse_args(argv)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(args.db or str(Path(tmp) / "bench.sqlite3"))
        try:
            began = time.perf_counter()
            with db.read() as session:
                rows = session.scalar(select(func.count()).select_from(Submission)) or 0
            if not rows:
                rows = fill(db, args.boards, args.days, now)
            print(f"{rows:,} envelopes stored ({time.perf_counter() - began:.1f} s)")
            today = proof_of_play.today_kst(now)
            results = {}
            for days in (7, min(args.days, proof_of_play.MAX_DAYS)):
                took, statements, lines = measure(db, days, today)
                print(f"{days} days: {took:.2f} s, {statements} statements, {lines:,} lines")
                results[f"{days}d"] = {"s": round(took, 3), "statements": statements}
        finally:
            db.close()
    print(json.dumps({"envelopes": rows, "dialect": db.dialect, **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
