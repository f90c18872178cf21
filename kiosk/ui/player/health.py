"""The player's health: frozen pictures, black screens, memory, and the clean restart.

`Watchdog` decides, from what the player reports, when something is wrong and how hard to
recover: the first problem reloads the item, a second one within `escalate_within_s` rebuilds
the player (its decoders and video players) from scratch.

Memory: `memory_rss_bytes()` is the process's resident memory (for the heartbeat, too). When
it passes the configured ceiling, the player asks for a restart at the next item boundary and
the app exits with `RESTART_EXIT_CODE`; the launcher (systemd `Restart=on-failure` or
`RestartForceExitStatus=75`, the Windows task's restart rule) starts it again.
"""

from __future__ import annotations

import ctypes
import enum
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

# EX_TEMPFAIL: "try again" — the launcher restarts the app on it.
RESTART_EXIT_CODE = 75
# A pixel at or under this level in every channel counts as black.
BLACK_LEVEL = 16


def memory_rss_bytes() -> int | None:
    """This process's resident memory in bytes; None where it cannot be read.

    Linux: /proc/self/statm; elsewhere the peak from `resource` (Unix) or None.
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    # ru_maxrss is the peak, in KiB on Linux and bytes on macOS; better than nothing.
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to do
        return None


def release_free_memory() -> None:
    """Hand memory the process has freed back to the system (glibc's malloc_trim).

    Pictures and video frames are large, short-lived allocations made on several threads;
    glibc keeps what they free in per-thread arenas, and a board's resident memory creeps up
    over days although nothing leaks. Called at item boundaries, it keeps the figure flat.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def is_uniformly_black(image: QImage, samples: int = 32) -> bool:
    """True when every sampled pixel of `image` is black (a picture that failed to draw)."""
    if image.isNull() or image.width() == 0 or image.height() == 0:
        return True
    small = image.scaled(
        samples,
        samples,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation,
    ).convertToFormat(QImage.Format.Format_RGB32)
    for y in range(small.height()):
        for x in range(small.width()):
            colour = small.pixelColor(x, y)
            if max(colour.red(), colour.green(), colour.blue()) > BLACK_LEVEL:
                return False
    return True


class Problem(enum.StrEnum):
    FROZEN = "frozen"  # no new video frame while playing
    OVERDUE = "overdue"  # no item change long after one was due
    BLACK = "black"  # the rendered stage is black while it should show something


class Recovery(enum.IntEnum):
    RELOAD_ITEM = 1
    REBUILD_PLAYER = 2


@dataclass
class Watchdog:
    """Counts problems and chooses the recovery.

    Attributes:
        freeze_after_s: a playing video with no new frame for this long is frozen.
        overdue_after_s: an item this far past its end without a change is stuck.
        black_checks: black renders in a row before the screen counts as black.
        escalate_within_s: a second problem this soon after a recovery rebuilds the player.
    """

    freeze_after_s: float = 5.0
    overdue_after_s: float = 15.0
    black_checks: int = 2
    escalate_within_s: float = 300.0
    _black_seen: int = 0
    _last_recovery_at: float | None = None
    recoveries: int = 0

    def video_frozen(self, *, playing: bool, seconds_since_frame: float) -> bool:
        return playing and seconds_since_frame > self.freeze_after_s

    def overdue(self, seconds_past_due: float) -> bool:
        return seconds_past_due > self.overdue_after_s

    def black_seen(self, black: bool) -> bool:
        """Report one render check; True when the screen has been black long enough."""
        self._black_seen = self._black_seen + 1 if black else 0
        return self._black_seen >= self.black_checks

    def recovery(self, now: float) -> Recovery:
        """The recovery for a problem seen at `now` (the watchdog's monotonic clock)."""
        last = self._last_recovery_at
        self._last_recovery_at = now
        self._black_seen = 0
        self.recoveries += 1
        if last is not None and now - last <= self.escalate_within_s:
            return Recovery.REBUILD_PLAYER
        return Recovery.RELOAD_ITEM
