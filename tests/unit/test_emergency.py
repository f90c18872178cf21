"""kiosk.domain.emergency: which 긴급 공지 shows, how, and until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contract.wire import EmergencyNotice
from kiosk.domain.emergency import (
    Shown,
    how_shown,
    in_device_time,
    next_change,
    notice_to_show,
    posted_time,
)

NOW = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)  # 14:00 in Seoul


def notice(id: int, level: str = "danger", posted_min_ago: int = 10, ends_in_min: int = 60):
    return EmergencyNotice(
        id=id,
        text=f"공지 {id}",
        level=level,  # type: ignore[arg-type]
        posted_at=NOW - timedelta(minutes=posted_min_ago),
        until=NOW + timedelta(minutes=ends_in_min),
    )


def test_danger_comes_before_warning_and_the_newest_first() -> None:
    old_danger = notice(1, "danger", posted_min_ago=30)
    new_warning = notice(2, "warning", posted_min_ago=1)
    new_danger = notice(3, "danger", posted_min_ago=5)

    assert notice_to_show([old_danger, new_warning, new_danger], NOW) == new_danger
    assert notice_to_show([old_danger, new_warning], NOW) == old_danger
    assert notice_to_show([new_warning], NOW) == new_warning
    assert notice_to_show([], NOW) is None


def test_a_notice_ends_at_its_time_even_if_nobody_clears_it() -> None:
    ending = notice(1, ends_in_min=5)
    later = notice(2, "warning", ends_in_min=30)

    assert next_change([ending, later], NOW) == NOW + timedelta(minutes=5)
    assert notice_to_show([ending, later], NOW + timedelta(minutes=5)) == later
    assert notice_to_show([ending, later], NOW + timedelta(minutes=30)) is None
    assert next_change([ending, later], NOW + timedelta(minutes=30)) is None


def test_a_sign_where_nobody_is_mid_step_and_a_band_where_a_resident_may_be() -> None:
    assert how_shown(board=True, in_attract=True) is Shown.SIGN
    assert how_shown(board=True, in_attract=False) is Shown.SIGN
    assert how_shown(board=False, in_attract=True) is Shown.SIGN
    assert how_shown(board=False, in_attract=False) is Shown.BAND


def test_the_time_posted_is_in_seoul_time() -> None:
    assert posted_time(notice(1, posted_min_ago=5)) == "12월 7일 13:55"


def test_a_device_whose_clock_is_slow_still_ends_a_notice_when_the_server_does() -> None:
    # The device's clock is 10 minutes behind the server's (offset: server minus device).
    on_server = notice(1, ends_in_min=5)
    [on_device] = in_device_time([on_server], clock_offset_s=600)

    device_now = NOW - timedelta(minutes=10)
    assert on_device.until == NOW - timedelta(minutes=5)
    assert notice_to_show([on_device], device_now + timedelta(minutes=4)) == on_device
    assert notice_to_show([on_device], device_now + timedelta(minutes=5)) is None
    assert on_device.posted_at == on_server.posted_at  # shown as the server's time of day
