"""When to try again after a failed exchange: exponential backoff with full jitter, and the
server's Retry-After header.

Full jitter (a uniform draw between zero and the exponential ceiling) spreads a fleet of kiosks
that lost the network together, so they do not all come back in the same second.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

DEFAULT_BASE_S = 2.0
DEFAULT_CAP_S = 300.0
# A Retry-After longer than this is taken as a server mistake, not a reason to stop for days.
MAX_RETRY_AFTER_S = 3600.0


class Backoff:
    """Delays between attempts: attempt n waits uniform(0, min(cap, base * 2**n)) seconds.

    Attributes:
        base_s: the ceiling of the first delay.
        cap_s: no delay drawn from the exponential is longer than this.
        failures: consecutive failures since the last success.
    """

    def __init__(
        self,
        base_s: float = DEFAULT_BASE_S,
        cap_s: float = DEFAULT_CAP_S,
        *,
        rng: random.Random | None = None,
    ) -> None:
        if base_s <= 0 or cap_s < base_s:
            raise ValueError(f"need 0 < base_s <= cap_s, got base_s={base_s} cap_s={cap_s}")
        self.base_s = base_s
        self.cap_s = cap_s
        self.failures = 0
        self._rng = rng if rng is not None else random.Random()

    def ceiling_s(self) -> float:
        """The largest delay the next failure can draw."""
        # min() before the power would overflow after about a thousand failures.
        return min(self.cap_s, self.base_s * 2.0 ** min(self.failures, 64))

    def next_delay_s(self, retry_after_s: float | None = None) -> float:
        """Record one more failure and return how long to wait before the next attempt.

        The server's Retry-After is a floor: the drawn delay never ends before it.
        """
        drawn = self._rng.uniform(0.0, self.ceiling_s())
        self.failures += 1
        if retry_after_s is None:
            return drawn
        return max(drawn, min(max(retry_after_s, 0.0), MAX_RETRY_AFTER_S))

    def reset(self) -> None:
        """A success: the next failure starts again from the base."""
        self.failures = 0


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent
    or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())
