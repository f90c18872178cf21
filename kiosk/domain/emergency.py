"""긴급 공지 on the device: which notice shows, how, until when, and the words it shows and says.

The server sends every notice in force that targets the device (contract.wire.EmergencyNotices,
polled by sync.emergency); this module decides, without Qt:
- which one shows (`notice_to_show`): those whose `until` has not passed, 긴급 (danger) before
  주의 (warning), the newest first; one at a time, so a passer-by reads one message;
- how (`how_shown`): a media board, and a kiosk nobody is using (its attract loop), show it as
  a sign over the whole screen; a kiosk in use shows it as a band over every screen, which
  never covers the step a resident is in the middle of;
- when to look again (`next_change`): the earliest `until`, so a notice ends on time even while
  the device is offline and hears nothing;
- the time it was posted, in Seoul time;
- its end on the device's own clock (`in_device_time`), which may be off the server's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from contract.content_base import KST

if TYPE_CHECKING:
    from contract.wire import EmergencyNotice

# 긴급 before 주의.
_LEVEL_ORDER = {"danger": 0, "warning": 1}


class Shown(StrEnum):
    SIGN = "sign"  # over the whole screen
    BAND = "band"  # a band above the screen the resident is using


def in_force(notices: Sequence[EmergencyNotice], now: datetime) -> list[EmergencyNotice]:
    return [n for n in notices if n.until > now]


def notice_to_show(notices: Sequence[EmergencyNotice], now: datetime) -> EmergencyNotice | None:
    """The one notice the device shows now (None: none)."""
    ranked = sorted(
        in_force(notices, now),
        key=lambda n: (_LEVEL_ORDER.get(n.level, 9), -n.posted_at.timestamp(), -n.id),
    )
    return ranked[0] if ranked else None


def next_change(notices: Sequence[EmergencyNotice], now: datetime) -> datetime | None:
    """When the notice shown may change by itself (the earliest end of one in force)."""
    ends = [n.until for n in in_force(notices, now)]
    return min(ends) if ends else None


def in_device_time(
    notices: Sequence[EmergencyNotice], clock_offset_s: float
) -> list[EmergencyNotice]:
    """`notices` with each `until` moved to the device's clock (`clock_offset_s`: server time
    minus device time), so a device whose clock is ten minutes slow still ends a notice when
    the server does. `posted_at` stays as the server said: it is shown as the time of day."""
    shift = timedelta(seconds=clock_offset_s)
    return [n.model_copy(update={"until": n.until - shift}) for n in notices]


def how_shown(*, board: bool, in_attract: bool) -> Shown:
    """A sign where nobody is in the middle of something; a band where a resident may be."""
    return Shown.SIGN if board or in_attract else Shown.BAND


def posted_time(notice: EmergencyNotice) -> str:
    """When it was posted, as the sign shows it: "12월 7일 14:05" (Seoul time)."""
    at = notice.posted_at.astimezone(KST)
    return f"{at.month}월 {at.day}일 {at:%H:%M}"
