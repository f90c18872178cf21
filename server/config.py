"""The server's settings: one typed object, built by the command line or by a test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DB_FILENAME = "server.sqlite3"
ASSETS_DIRNAME = "assets"


@dataclass(frozen=True)
class ServerSettings:
    """Everything the server process needs to know.

    Attributes:
        data_dir: holds the content-addressed assets (and the SQLite file unless `db` says else).
        db: SQLite file path or SQLAlchemy URL; None means `data_dir/server.sqlite3`.
        max_requests_per_minute: per-device limit answered with 429 + Retry-After; None is off.
        fault_injection: enables the test-only fault endpoint (/_test/faults); off in service.
    """

    data_dir: Path
    db: str | None = None
    max_requests_per_minute: int | None = None
    fault_injection: bool = False

    @property
    def database(self) -> str:
        return self.db if self.db else str(self.data_dir / DB_FILENAME)

    @property
    def assets_dir(self) -> Path:
        return self.data_dir / ASSETS_DIRNAME
