"""The board's playlist (kiosk.domain.playlist): what plays next given the schedule, emergency
notices, screen-off hours, missing files and items that failed to play."""

from __future__ import annotations

from typing import Any

from contract.content import Promotion, TimeWindow
from kiosk.domain.playlist import Playlist, Skipped
from kiosk.domain.schedule import BoardProfile, LineupMode
from tests.unit.test_schedule import WEDNESDAY_10 as NOW
from tests.unit.test_schedule import promo

MONO = 5000.0
HOUR_OUT = 3600.0


def picture(id: str, **fields: Any) -> Promotion:
    return promo(id, kind="image", asset=f"{id}.jpg", **fields)


def playlist(profile: BoardProfile | None = None) -> Playlist:
    return Playlist.for_board(profile or BoardProfile(), unplayable_for_s=HOUR_OUT)


def every_file(promotion: Promotion) -> bool:
    return True


def plays(pl: Playlist, items: list[Promotion], n: int, mono: float = MONO, **kw: Any) -> list:
    got = []
    for _ in range(n):
        up = pl.next(items, NOW, mono, last_update=None, has_file=kw.get("has_file", every_file))
        got.append(up.promotion.id if up.promotion else None)
    return got


def test_the_rotation_plays_what_is_on_air_in_turn():
    items = [promo("a"), promo("b")]
    assert sorted(plays(playlist(), items, 4)) == ["a", "a", "b", "b"]


def test_nothing_on_air_is_the_district_card():
    up = playlist().next([], NOW, MONO, last_update=None, has_file=every_file)
    assert up.promotion is None and up.district_card and up.mode is LineupMode.FALLBACK


def test_screen_off_hours_play_nothing_but_an_emergency_plays_through_them():
    dark = BoardProfile(screen_off=(TimeWindow(start="09:00", end="11:00"),))
    pl = playlist(dark)
    up = pl.next([promo("a")], NOW, MONO, last_update=None, has_file=every_file)
    assert up.screen_off and up.promotion is None and not up.district_card
    alert = promo("alert", emergency=True)
    up = pl.next([promo("a"), alert], NOW, MONO, last_update=None, has_file=every_file)
    assert up.mode is LineupMode.EMERGENCY and up.promotion == alert


def test_a_picture_whose_file_is_missing_is_skipped_for_the_next_item():
    items = [picture("gone", priority=9), promo("b")]
    pl = playlist()
    up = pl.next(items, NOW, MONO, last_update=None, has_file=lambda p: p.id != "gone")
    assert up.promotion is not None and up.promotion.id == "b"
    assert up.skipped == (Skipped(items[0], "file missing"),)
    # Left out for the while: not offered, not reported again.
    assert plays(pl, items, 3, has_file=lambda p: p.id != "gone") == ["b", "b", "b"]


def test_when_every_file_is_missing_the_district_card_shows():
    items = [picture("x"), picture("y")]
    up = playlist().next(items, NOW, MONO, last_update=None, has_file=lambda p: False)
    assert up.district_card and {s.promotion.id for s in up.skipped} == {"x", "y"}


def test_an_item_that_failed_stays_out_for_its_time_then_comes_back():
    items = [promo("a"), promo("b")]
    pl = playlist()
    assert pl.leave_out("a", "notice", MONO)
    assert plays(pl, items, 3) == ["b", "b", "b"]
    assert pl.left_out(MONO + HOUR_OUT - 1) == {"a"}
    assert "a" in plays(pl, items, 2, mono=MONO + HOUR_OUT)
    assert pl.left_out(MONO + HOUR_OUT) == set()


def test_the_district_card_and_the_screen_off_page_are_never_left_out():
    pl = playlist()
    assert not pl.leave_out("card", "card", MONO)
    assert not pl.leave_out("off", "off", MONO)
    assert pl.left_out(MONO) == set()


def test_an_emergency_interrupts_the_item_on_screen_and_its_end_gives_way_again():
    regular, alert = promo("a"), promo("alert", emergency=True)
    pl = playlist()
    to = pl.gives_way_to(
        regular, LineupMode.PLAYLIST, [regular, alert], NOW, MONO, last_update=None
    )
    assert to is LineupMode.EMERGENCY
    assert (
        pl.gives_way_to(alert, LineupMode.EMERGENCY, [regular, alert], NOW, MONO, last_update=None)
        is None
    )
    # The notice failed on screen: left out, it must go at once.
    pl.leave_out("alert", "notice", MONO)
    assert (
        pl.gives_way_to(alert, LineupMode.EMERGENCY, [regular, alert], NOW, MONO, last_update=None)
        is LineupMode.PLAYLIST
    )


def test_a_regular_item_plays_to_its_end_when_another_comes_on_air():
    a, b = promo("a"), promo("b")
    pl = playlist()
    assert pl.gives_way_to(a, LineupMode.PLAYLIST, [a, b], NOW, MONO, last_update=None) is None
    assert (
        pl.gives_way_to(None, LineupMode.FALLBACK, [a], NOW, MONO, last_update=None)
        is LineupMode.PLAYLIST
    )
