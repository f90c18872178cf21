"""One resident watching one video of the video centre (영상센터): the rules of its buttons.

The screen rebuilds itself when the text size or language changes; a `VideoSession` passed in
its route keeps where the resident was (position, paused or playing, subtitles, volume), so
the video goes on from there. Each visit starts a new session: volume and subtitles go back
to their defaults for the next resident.

No Qt and no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

BACK_STEP_S = 10.0
VOLUME_STEP = 10
DEFAULT_VOLUME = 60
MAX_VOLUME = 100


@dataclass
class VideoSession:
    """Where the resident is in one video and how they set it up.

    Attributes:
        video_id: the pack's id of the video.
        duration_s: its length as the pack states it (the player may learn a better one).
        position_s: the current position, kept up to date by the screen.
        playing: True while it plays; False when paused or finished.
        subtitles: True when the resident turned subtitles on.
        volume: 0 (silent) to 100, in steps of 10.
    """

    video_id: str
    duration_s: float
    position_s: float = 0.0
    playing: bool = True
    subtitles: bool = False
    volume: int = DEFAULT_VOLUME

    def toggle_play(self) -> bool:
        """재생/일시정지; at the end, 재생 starts again from the beginning."""
        if not self.playing and self.finished:
            self.position_s = 0.0
        self.playing = not self.playing
        return self.playing

    def back(self) -> float:
        """10초 뒤로: never before the start."""
        self.position_s = max(0.0, self.position_s - BACK_STEP_S)
        return self.position_s

    def restart(self) -> float:
        """처음부터: back to the start, playing."""
        self.position_s = 0.0
        self.playing = True
        return self.position_s

    def louder(self) -> int:
        self.volume = min(MAX_VOLUME, self.volume + VOLUME_STEP)
        return self.volume

    def quieter(self) -> int:
        self.volume = max(0, self.volume - VOLUME_STEP)
        return self.volume

    def toggle_subtitles(self) -> bool:
        self.subtitles = not self.subtitles
        return self.subtitles

    def reached_end(self) -> None:
        self.position_s = self.duration_s
        self.playing = False

    @property
    def finished(self) -> bool:
        return self.position_s >= self.duration_s - 0.05


def clock_text(seconds: float) -> str:
    """A position or a length as people say it on a clock face: 0:06, 1:05, 1:02:03."""
    total = max(0, int(seconds + 0.5))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def minutes_seconds(seconds: float) -> tuple[int, int]:
    """A length in whole minutes and seconds, for "1분 5초"."""
    total = max(0, int(seconds + 0.5))
    return total // 60, total % 60
