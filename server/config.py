"""The server's settings: one typed object, built by the command line or by a test."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

DB_FILENAME = "server.sqlite3"
ASSETS_DIRNAME = "assets"
KEYS_DIRNAME = "keys"
# A kiosk may be offline for weeks: what it made before a close is taken this long after it.
DEFAULT_CLOSING_GRACE = timedelta(days=14)
# The staff console flags a device offline after this long without a heartbeat.
DEFAULT_OFFLINE_AFTER = timedelta(minutes=15)
# Stuffing is held, not counted (server.ingest): past these a device's envelopes wait for staff.
# A busy dong centre kiosk sees a new resident every few minutes at most (identifying and acting
# takes a resident two minutes or more, and most come back); 60 an hour is one a minute for a
# whole hour. 300 counted agrees with one proposal or ballots in one vote from one kiosk is more
# than any centre gave in a vote so far, and three proposal thresholds.
DEFAULT_MAX_NEW_RESIDENTS_PER_HOUR = 60
DEFAULT_MAX_COUNTED_PER_TARGET = 300
# The points look-up is no birth-date oracle: a kiosk serves one resident at a time, who looks
# once or twice; trying dates needs thousands.
DEFAULT_LEDGER_PER_DEVICE_PER_MINUTE = 6
DEFAULT_LEDGER_PER_DEVICE_PER_HOUR = 60
DEFAULT_LEDGER_PER_RESIDENT_PER_HOUR = 5
# The largest content archive the console takes (held in memory while it arrives).
DEFAULT_MAX_IMPORT_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_MEDIA_MB = 500
# Every server process looks this often for a scheduled content publish that is due.
DEFAULT_PUBLISH_CHECK_EVERY = timedelta(seconds=15)
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def duration(text: str) -> timedelta:
    """A duration written as a number and a unit: "14d", "36h", "90m", "5s"."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a duration such as 14d, 36h, 90m or 5s")
    try:
        return timedelta(seconds=float(match[1]) * _UNIT_SECONDS[match[2]])
    except OverflowError:
        raise ValueError(f"{text!r} is longer than any duration the server can keep") from None


# Every server process logs in this form (serve --workers starts fresh processes).
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


@dataclass(frozen=True)
class ServerSettings:
    """Everything the server process needs to know.

    Attributes:
        data_dir: holds the content-addressed assets (and the SQLite file unless `db` says else).
        db: SQLite file path or SQLAlchemy URL; None means `data_dir/server.sqlite3`.
        keys_dir: the folder of the key files (server.keys), outside the database; None means
            `data_dir/keys`. Several server processes share one.
        offline_after: the staff console flags a device offline after this long without a
            heartbeat.
        max_requests_per_minute: per-device limit answered with 429 + Retry-After; None is off.
        fault_injection: enables the test-only fault endpoint (/_test/faults); off in service.
        closing_grace: how long after a survey, contest or vote closes the envelopes created before
            the close are still accepted (server.deadlines).
        max_new_residents_per_hour: per device, residents the server never counted before;
            past it their envelopes are held for staff (None: no limit).
        max_counted_per_target: per device, counted agrees with one proposal or ballots in one
            vote; past it they are held for staff (None: no limit).
        ledger_per_device_per_minute, ledger_per_device_per_hour: points look-ups per device;
            over them 429 with Retry-After (None: no limit).
        ledger_per_resident_per_hour: points look-ups per resident key (None: no limit).
        staff_call_hooks: dong id -> URL that receives a JSON POST on each new 직원 호출 of a
            device in that dong (server.calls.CallAlerts).
        publish_check_every: how often this process publishes the scheduled content drafts
            that are due (server.drafts.DuePublisher).
        max_import_bytes: the largest content archive the console's 가져오기 accepts.
        max_media_bytes: the largest picture or clip the console's 미디어 올리기 accepts.
    """

    data_dir: Path
    db: str | None = None
    keys_dir: Path | None = None
    max_requests_per_minute: int | None = None
    fault_injection: bool = False
    closing_grace: timedelta = DEFAULT_CLOSING_GRACE
    offline_after: timedelta = DEFAULT_OFFLINE_AFTER
    max_new_residents_per_hour: int | None = DEFAULT_MAX_NEW_RESIDENTS_PER_HOUR
    max_counted_per_target: int | None = DEFAULT_MAX_COUNTED_PER_TARGET
    ledger_per_device_per_minute: int | None = DEFAULT_LEDGER_PER_DEVICE_PER_MINUTE
    ledger_per_device_per_hour: int | None = DEFAULT_LEDGER_PER_DEVICE_PER_HOUR
    ledger_per_resident_per_hour: int | None = DEFAULT_LEDGER_PER_RESIDENT_PER_HOUR
    staff_call_hooks: Mapping[str, str] = field(default_factory=dict)
    publish_check_every: timedelta = DEFAULT_PUBLISH_CHECK_EVERY
    max_import_bytes: int = DEFAULT_MAX_IMPORT_BYTES
    max_media_bytes: int = DEFAULT_MAX_MEDIA_MB * 1024 * 1024

    @property
    def database(self) -> str:
        return self.db if self.db else str(self.data_dir / DB_FILENAME)

    @property
    def keys(self) -> Path:
        return self.keys_dir if self.keys_dir is not None else self.data_dir / KEYS_DIRNAME

    @property
    def assets_dir(self) -> Path:
        return self.data_dir / ASSETS_DIRNAME
