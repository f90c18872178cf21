"""The device's clock offset (server time minus device time), estimated from the server's answers.

Two sources: the heartbeat's `server_time` (precise) and, when no heartbeat got through, the
HTTP Date header of any answer (whole seconds, possibly cached by the server). Each is read
against the midpoint of the request's round trip. The offset is stored with
`DeviceSettings.set_clock_offset_s`; the outbox stamps it on every new envelope, and the server
adds it to the envelope's `created_at`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

log = logging.getLogger(__name__)

# The Date header has whole seconds and is truncated, so the true time is up to 1 s later.
_DATE_HEADER_RESOLUTION_S = 1.0
# Servers (uvicorn among them) refresh a cached Date header about once a second.
_DATE_HEADER_STALENESS_S = 1.0
# Smaller changes are noise from network delay; not worth a database write each time.
MIN_CHANGE_S = 1.0


@dataclass(frozen=True)
class ClockSample:
    """One estimate of server_time - device_time, within +/- `uncertainty_s` seconds."""

    offset_s: float
    uncertainty_s: float


def _midpoint(sent: datetime, received: datetime) -> tuple[datetime, float]:
    round_trip = max(0.0, (received - sent).total_seconds())
    return sent + (received - sent) / 2, round_trip / 2


def sample_from_server_time(
    server_time: datetime, sent: datetime, received: datetime
) -> ClockSample:
    """The offset from a precise server time read while the request was in flight."""
    middle, half_trip = _midpoint(sent, received)
    return ClockSample((server_time - middle).total_seconds(), half_trip)


def sample_from_date_header(
    value: str | None, sent: datetime, received: datetime
) -> ClockSample | None:
    """The offset from an HTTP Date header; None when there is none or it is unreadable."""
    if not value:
        return None
    try:
        server_time = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if server_time.tzinfo is None:
        server_time = server_time.replace(tzinfo=UTC)
    middle, half_trip = _midpoint(sent, received)
    # The header is at most this late: truncated to the second, and possibly cached a second.
    lateness = (_DATE_HEADER_RESOLUTION_S + _DATE_HEADER_STALENESS_S) / 2
    offset = (server_time - middle).total_seconds() + lateness
    return ClockSample(offset, half_trip + lateness)


class ClockKeeper:
    """Keeps the stored offset in step with what the server says.

    A sample replaces the stored offset when it differs by more than its own uncertainty (and
    more than MIN_CHANGE_S), so a precise heartbeat is not overwritten by a coarse Date header.
    """

    def __init__(self, read: Callable[[], float], write: Callable[[float], None]) -> None:
        self._read = read
        self._write = write

    def observe(self, sample: ClockSample) -> bool:
        """Store the sample's offset if it is a real change; True when it was stored."""
        current = self._read()
        change = abs(sample.offset_s - current)
        if change <= max(MIN_CHANGE_S, sample.uncertainty_s):
            return False
        self._write(sample.offset_s)
        log.info(
            "sync.clock_offset offset_s=%.3f previous_s=%.3f uncertainty_s=%.3f",
            sample.offset_s,
            current,
            sample.uncertainty_s,
        )
        return True
