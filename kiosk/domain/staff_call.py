"""직원 호출: a resident asks for the centre's staff. No Qt and no I/O.

A call is an envelope of kind "staff_call" (sync.protocol.StaffCall) naming the screen the
resident was on; its time is the envelope's own `created_at`, corrected on the server by the
device's clock offset. It is not a civic act: it is never practice, never counted and never
earns points. Repeated taps do not flood the centre: one call per `cooldown_s`; a tap within
that time is told that staff is already called.
"""

from __future__ import annotations

from dataclasses import dataclass

STAFF_CALL_KIND = "staff_call"
COOLDOWN_S = 60.0


def staff_call_payload(screen: str) -> dict[str, object]:
    """The payload of a staff call made on route `screen`."""
    return {"screen": screen or "unknown"}


@dataclass
class StaffCallRule:
    """Decides, on a monotonic clock, whether a tap on 직원 호출 is a new call."""

    cooldown_s: float = COOLDOWN_S
    last_call: float | None = None

    def press(self, now: float) -> bool:
        """True when this tap makes a new call; False when staff was called < cooldown ago."""
        if self.last_call is not None and now - self.last_call < self.cooldown_s:
            return False
        self.last_call = now
        return True

    def failed(self) -> None:
        """The call could not be queued: the next tap tries again at once."""
        self.last_call = None
