"""Subtitles of the video centre: WebVTT and SubRip (SRT) files read into cues, and the cue at a
position of the video.

The reader is forgiving, as a kiosk must be with files made by many hands: a byte-order mark,
Windows line ends, cue identifiers, cue settings, NOTE/STYLE/REGION blocks, hours left out,
a comma or a dot before the milliseconds, and formatting tags (<b>, <i>, <c.x>, <v 화자>) are
all accepted; a block that cannot be read is skipped, never fatal.

No Qt and no I/O: callers pass the file's text.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

_TIMESTAMP = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}")
_TAG = re.compile(r"</?[^>]*>")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class Cue:
    """One subtitle: its text from `start_s` (inclusive) to `end_s` (exclusive)."""

    start_s: float
    end_s: float
    text: str

    def covers(self, position_s: float) -> bool:
        return self.start_s <= position_s < self.end_s


def _seconds(hours: str | None, minutes: str, seconds: str, fraction: str) -> float:
    return (
        int(hours or 0) * 3600
        + int(minutes) * 60
        + int(seconds)
        + int(fraction.ljust(3, "0")) / 1000
    )


def _clean(line: str) -> str:
    return html.unescape(_TAG.sub("", line)).strip()


def parse_subtitles(text: str) -> list[Cue]:
    """The cues of a WebVTT or SRT document, sorted by start time.

    Both formats are blocks separated by blank lines with a timing line "start --> end";
    what differs (the WEBVTT header, numbers before SRT cues) is skipped the same way.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    cues: list[Cue] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines or lines[0].startswith(("WEBVTT", *_SKIPPED_BLOCKS)):
            continue
        timing_at = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing_at is None:
            continue
        match = _TIMING.match(lines[timing_at])
        if match is None:
            continue
        g = match.groups()
        start, end = _seconds(*g[0:4]), _seconds(*g[4:8])
        body = [_clean(line) for line in lines[timing_at + 1 :]]
        words = "\n".join(line for line in body if line)
        if end > start and words:
            cues.append(Cue(start, end, words))
    cues.sort(key=lambda c: (c.start_s, c.end_s))
    return cues


def cue_at(cues: Sequence[Cue], position_s: float) -> Cue | None:
    """The cue shown at `position_s` (the latest-starting one when cues overlap), or None."""
    i = bisect.bisect_right([c.start_s for c in cues], position_s)
    return next((c for c in reversed(cues[:i]) if c.covers(position_s)), None)
