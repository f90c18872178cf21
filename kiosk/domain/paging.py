"""Pages instead of scrolling (issue 17, item 2). No Qt.

A long list of choices (a ballot's projects, a contest's entries, a survey's options, the rows
of a review) is shown a page at a time, each page what fits the working area, with "2 / 5쪽"
and large 이전 쪽 / 다음 쪽 (the Seoul Digital Foundation's kiosk standard for elders: pages
before scrolling, and where content continues the screen says so). The screen measures its
rows; this module decides where each page starts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


def page_starts(row_heights: Sequence[int], room: int, spacing: int) -> tuple[int, ...]:
    """The first row of each page: as many rows as fit in `room` (rows `spacing` apart), at
    least one a page however tall it is."""
    starts = [0]
    used = 0
    for row, height in enumerate(row_heights):
        if used and used + spacing + height > room:
            starts.append(row)
            used = height
        else:
            used += height + (spacing if used else 0)
    return tuple(starts)


def page_holding(starts: Sequence[int], row: int) -> int:
    """The page (from 0) that shows `row`."""
    return max(0, bisect_right(starts, row) - 1)


def rows_of(page: int, starts: Sequence[int], rows: int) -> range:
    """The rows page `page` shows, of `rows` in all."""
    end = starts[page + 1] if page + 1 < len(starts) else rows
    return range(starts[page], end)
