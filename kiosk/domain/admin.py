"""The hidden staff entry: a tap pattern, then a PIN with a lock-out after repeated misses."""

from __future__ import annotations

from collections import deque


class TapPattern:
    """True once `taps` taps land within `window_s` seconds (on a monotonic clock)."""

    def __init__(self, taps: int = 5, window_s: float = 3.0) -> None:
        self.taps = taps
        self.window_s = window_s
        self._times: deque[float] = deque(maxlen=taps)

    def tap(self, now: float) -> bool:
        self._times.append(now)
        if len(self._times) == self.taps and now - self._times[0] <= self.window_s:
            self._times.clear()
            return True
        return False


class PinLockout:
    """After `max_misses` wrong PINs in a row, refuse tries for `lock_s` seconds."""

    def __init__(self, max_misses: int = 5, lock_s: float = 60.0) -> None:
        self.max_misses = max_misses
        self.lock_s = lock_s
        self._misses = 0
        self._locked_until = 0.0

    def seconds_locked(self, now: float) -> int:
        return max(0, int(self._locked_until - now + 0.999))

    def record(self, ok: bool, now: float) -> None:
        if ok:
            self._misses = 0
            return
        self._misses += 1
        if self._misses >= self.max_misses:
            self._misses = 0
            self._locked_until = now + self.lock_s
