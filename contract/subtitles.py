"""Subtitles of the video centre: WebVTT and SubRip (SRT) files read into cues, the cue at a
position of the video (the kiosk), and the stricter check of an uploaded WebVTT file (the
server's console), so both read subtitles by the same rules.

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


_EXAMPLE = "00:00:01.000 --> 00:00:04.000"
# How many problems a refusal names before "…".
_PROBLEMS_SHOWN = 5


def webvtt_problems(data: bytes) -> list[str]:
    """Why `data` is not a WebVTT file the kiosk shows as made (Korean, with line numbers), or
    [] when it is. Stricter than `parse_subtitles`, which a kiosk uses to show what it can: an
    upload is refused rather than shown with cues silently missing."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ["UTF-8 글자로 저장된 파일이 아닙니다. 메모장 등에서 UTF-8로 다시 저장하세요."]
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines[0].startswith("WEBVTT"):
        return ["첫 줄이 WEBVTT가 아닙니다. WebVTT(.vtt) 자막 파일을 고르세요."]
    problems: list[str] = []
    cues = 0
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        match = _TIMING.match(line)
        if match is None:
            problems.append(f"{number}번째 줄: 시각을 읽을 수 없습니다 (예: {_EXAMPLE}).")
            continue
        g = match.groups()
        start, end = _seconds(*g[0:4]), _seconds(*g[4:8])
        if end <= start:
            problems.append(f"{number}번째 줄: 끝나는 시각이 시작 시각보다 늦어야 합니다.")
        following = lines[number] if number < len(lines) else ""
        if not _clean(following):
            problems.append(f"{number}번째 줄: 시각 다음 줄에 자막 글이 없습니다.")
        cues += 1
    if cues == 0 and not problems:
        problems.append(f"자막이 하나도 없습니다. '{_EXAMPLE}' 다음 줄에 글을 씁니다.")
    if len(problems) > _PROBLEMS_SHOWN:
        problems = problems[:_PROBLEMS_SHOWN] + [f"… 그 밖에 {len(problems) - _PROBLEMS_SHOWN}곳"]
    return problems
