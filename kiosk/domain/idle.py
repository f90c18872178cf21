"""When an unattended visit ends: the idle rule of DESIGN.md ("Time"). No Qt.

There is no limit while a resident is active. After `timeout_s` without a touch or key the
visit is reset; `warning_s` before that a prompt shows the remaining seconds and "시간 연장".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum


class IdlePhase(Enum):
    ACTIVE = "active"
    WARNING = "warning"
    EXPIRED = "expired"


@dataclass(frozen=True)
class IdleState:
    phase: IdlePhase
    remaining_s: int  # whole seconds until the reset, rounded up


class IdleRule:
    """Tracks the last activity on a monotonic clock and says which phase a moment is in."""

    def __init__(self, timeout_s: float, warning_s: float, now: float) -> None:
        if not 0 < warning_s < timeout_s:
            raise ValueError("the warning must come before the timeout")
        self.timeout_s = timeout_s
        self.warning_s = warning_s
        self._last_activity = now

    def activity(self, now: float) -> None:
        """A touch or key press; also what "시간 연장" does, as often as the resident likes."""
        self._last_activity = now

    def state(self, now: float) -> IdleState:
        remaining = self.timeout_s - (now - self._last_activity)
        if remaining <= 0:
            return IdleState(IdlePhase.EXPIRED, 0)
        whole = math.ceil(remaining)
        if remaining <= self.warning_s:
            return IdleState(IdlePhase.WARNING, whole)
        return IdleState(IdlePhase.ACTIVE, whole)
