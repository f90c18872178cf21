"""The server's own ingest ceiling, measured without HTTP.

`measure_ingest` enrols a device in a fresh database and pushes batch bodies through exactly
what the batch route does once the request is read (`parse_batch`, `Ingest.ingest`, and the
answer's JSON), so a drain over HTTP can be compared with it. From the shell:
``python -m server bench-ingest --count 10000``.
"""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contract.wire import MAX_BATCH_ITEMS, BatchResult, EnrollRequest
from server import auth
from server.audit import Actor
from server.db import open_database
from server.ingest import Ingest, parse_batch
from server.keys import ensure_keys


@dataclass(frozen=True)
class IngestFigures:
    count: int
    batch_size: int
    seconds: float
    per_s: float
    database: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def sample_envelope(device_seq: int, boot_id: str = "bench") -> dict[str, Any]:
    """A valid survey answer envelope as a device sends it (JSON-ready)."""
    return {
        "id": str(uuid.uuid4()),
        "kind": "survey_response",
        "schema_version": 1,
        "content_version": "bench",
        "device_seq": device_seq,
        "created_at": datetime.now(UTC).isoformat(),
        "clock_offset_s": 0.0,
        "boot_id": boot_id,
        "practice": False,
        "payload": {"survey_id": "s-bench", "answers": {"q1": "o2", "q2": 4, "q3": ["a", "b"]}},
        "sealed_identity": None,
    }


def measure_ingest(
    count: int = 10_000, batch_size: int = MAX_BATCH_ITEMS, db: str | None = None
) -> IngestFigures:
    """Envelopes per second the ingest service stores, in batches of `batch_size`.

    `db` is a database to use (it must be one that may be written to); None uses a new SQLite
    file in a temporary directory, removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="ontong-bench-") as tmp:
        database = open_database(db or str(Path(tmp) / "server.sqlite3"))
        try:
            keys = ensure_keys(database, Path(tmp) / "keys")
            code = auth.new_enrollment_code(database, hours=1)
            device = auth.enroll(
                database,
                EnrollRequest(
                    enrollment_code=code.code, name="bench", mode="kiosk", app_version="bench"
                ),
                keys.public_key,
            )
            # Approved as staff would: the ceiling is that of envelopes that count.
            auth.approve(database, device.device_id, Actor.command_line())
            bodies = [
                json.dumps(
                    {
                        "items": [
                            sample_envelope(seq)
                            for seq in range(start + 1, min(start + batch_size, count) + 1)
                        ]
                    }
                ).encode("utf-8")
                for start in range(0, count, batch_size)
            ]
            ingest = Ingest(database, keys)
            started = time.perf_counter()
            for body in bodies:
                results = ingest.ingest(device.device_id, parse_batch(body))
                BatchResult(results=results).model_dump_json()
            seconds = time.perf_counter() - started
        finally:
            database.close()
    return IngestFigures(
        count=count,
        batch_size=batch_size,
        seconds=round(seconds, 4),
        per_s=round(count / seconds, 1),
        database=database.dialect,
    )
