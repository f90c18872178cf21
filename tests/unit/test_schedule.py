"""The media board's schedule: windows, weekdays, expiry, emergencies, screen-off hours, stale
content, the empty schedule, weighted rotation and a clock that jumps."""

from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contract.content import KST, Promotion, TimeWindow, parse_pack
from kiosk.domain.schedule import (
    BoardClock,
    BoardProfile,
    LineupMode,
    Rotation,
    Schedule,
    lineup,
    must_interrupt,
)
from kiosk.paths import asset_path

# Wednesday 25 November 2026, 10:00 in Seoul.
WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=KST)


def promo(id: str, **fields: Any) -> Promotion:
    data: dict[str, Any] = {
        "id": id,
        "kind": "notice",
        "title": {"ko": id},
        "body": {"ko": "본문"},
        "starts_at": "2026-11-01T00:00:00+09:00",
        "ends_at": "2027-01-01T00:00:00+09:00",
    }
    data.update(fields)
    return Promotion.model_validate(data)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=KST)


def ids(items: Any) -> list[str]:
    return [p.id for p in items]


PROFILE = BoardProfile(dong="hoehyeon")


# -- daily windows, weekdays, dates ----------------------------------------------------------


def test_a_window_across_midnight_runs_into_the_next_morning():
    night = promo("night", windows=[{"start": "22:00", "end": "01:00"}])
    shown = {
        when: lineup([night], when, PROFILE).items != ()
        for when in (at(24, 21, 59), at(24, 22, 0), at(24, 23, 30), at(25, 0, 30), at(25, 1, 0))
    }
    assert shown == {
        at(24, 21, 59): False,
        at(24, 22, 0): True,
        at(24, 23, 30): True,
        at(25, 0, 30): True,
        at(25, 1, 0): False,
    }


def test_weekday_limits_and_the_night_after_the_last_weekday():
    # Fridays only, 22:00 to 02:00: Saturday 01:00 still belongs to Friday's window.
    friday_night = promo("fri", weekdays=[4], windows=[{"start": "22:00", "end": "02:00"}])
    office_hours = promo(
        "office", weekdays=[0, 1, 2, 3, 4], windows=[{"start": "09:00", "end": "18:00"}]
    )
    friday_23, saturday_01, saturday_23 = at(27, 23), at(28, 1), at(28, 23)
    thursday_23, friday_01 = at(26, 23), at(27, 1)
    assert ids(lineup([friday_night], friday_23, PROFILE).items) == ["fri"]
    assert ids(lineup([friday_night], saturday_01, PROFILE).items) == ["fri"]
    assert lineup([friday_night], saturday_23, PROFILE).items == ()
    assert lineup([friday_night], thursday_23, PROFILE).items == ()
    assert lineup([friday_night], friday_01, PROFILE).items == ()  # Thursday's night
    assert ids(lineup([office_hours], at(27, 10), PROFILE).items) == ["office"]
    assert lineup([office_hours], at(28, 10), PROFILE).items == ()  # Saturday
    assert lineup([office_hours], at(27, 18), PROFILE).items == ()  # the window's end


def test_an_item_drops_out_at_its_end_and_not_before():
    short = promo("short", ends_at="2026-11-25T12:00:00+09:00")
    other = promo("other")
    end = datetime(2026, 11, 25, 12, 0, tzinfo=KST)
    assert ids(lineup([short, other], end - timedelta(seconds=1), PROFILE).items) == [
        "short",
        "other",
    ]
    assert ids(lineup([short, other], end, PROFILE).items) == ["other"]
    assert ids(lineup([short], WEDNESDAY_10.replace(month=10), PROFILE).items) == []  # not yet


def test_dongs_and_device_groups_target_boards():
    everywhere = promo("all")
    sindang = promo("sindang-only", dongs=["sindang"])
    lobbies = promo("lobbies", groups=["lobby"])
    lobby_in_sindang = BoardProfile(dong="sindang", groups=frozenset({"lobby"}))
    library_in_pil = BoardProfile(dong="pil", groups=frozenset({"library"}))
    no_dong = BoardProfile()
    items = [everywhere, sindang, lobbies]
    assert ids(lineup(items, WEDNESDAY_10, lobby_in_sindang).items) == [
        "all",
        "sindang-only",
        "lobbies",
    ]
    assert ids(lineup(items, WEDNESDAY_10, library_in_pil).items) == ["all"]
    assert ids(lineup(items, WEDNESDAY_10, no_dong).items) == ["all"]


def test_unplayable_items_are_left_out():
    items = [promo("a"), promo("b")]
    assert ids(lineup(items, WEDNESDAY_10, PROFILE, exclude={"a"}).items) == ["b"]


# -- emergencies, screen-off hours -----------------------------------------------------------


def test_an_emergency_overrides_everything_until_it_ends():
    regular = promo("regular")
    alert = promo(
        "cold-wave",
        emergency=True,
        starts_at="2026-11-25T09:00:00+09:00",
        ends_at="2026-11-25T11:00:00+09:00",
    )
    night_off = BoardProfile(screen_off=(TimeWindow(start="00:00", end="23:59"),))
    before, during, after = at(25, 8, 59), at(25, 10), at(25, 11)
    assert lineup([regular, alert], before, PROFILE).mode is LineupMode.PLAYLIST
    now = lineup([regular, alert], during, PROFILE)
    assert now.mode is LineupMode.EMERGENCY and ids(now.items) == ["cold-wave"]
    # Even in screen-off hours, and even when content is stale.
    assert lineup([regular, alert], during, night_off).mode is LineupMode.EMERGENCY
    stale = lineup([regular, alert], during, PROFILE, last_update=during - timedelta(days=30))
    assert stale.mode is LineupMode.EMERGENCY and stale.stale
    assert ids(lineup([regular, alert], after, PROFILE).items) == ["regular"]


def test_the_item_on_screen_gives_way_when_an_emergency_starts_and_ends():
    regular = promo("regular")
    alert = promo(
        "alert",
        emergency=True,
        starts_at="2026-11-25T09:00:00+09:00",
        ends_at="2026-11-25T11:00:00+09:00",
    )
    items = [regular, alert]
    playing = lineup(items, at(25, 8), PROFILE)
    emergency = lineup(items, at(25, 10), PROFILE)
    over = lineup(items, at(25, 11), PROFILE)
    assert not must_interrupt(regular, playing.mode, playing)
    assert must_interrupt(regular, playing.mode, emergency)
    assert not must_interrupt(alert, emergency.mode, emergency)
    assert must_interrupt(alert, emergency.mode, over)
    # An ordinary item that ends waits for its turn to end.
    gone = lineup([alert], at(25, 8), PROFILE)
    assert gone.mode is LineupMode.FALLBACK
    assert not must_interrupt(regular, LineupMode.PLAYLIST, gone)
    # The district card gives way as soon as anything is scheduled (new content arrived).
    assert must_interrupt(None, LineupMode.FALLBACK, playing)
    assert not must_interrupt(None, LineupMode.FALLBACK, gone)


def test_screen_off_hours_across_midnight():
    profile = BoardProfile(dong="hoehyeon", screen_off=(TimeWindow(start="23:00", end="06:00"),))
    items = [promo("a")]
    assert lineup(items, at(25, 22, 59), profile).mode is LineupMode.PLAYLIST
    off = lineup(items, at(26, 2), profile)
    assert off.mode is LineupMode.SCREEN_OFF and off.items == ()
    assert lineup(items, at(26, 6), profile).mode is LineupMode.PLAYLIST
    assert must_interrupt(items[0], LineupMode.PLAYLIST, off)
    assert must_interrupt(None, LineupMode.SCREEN_OFF, lineup(items, at(26, 6), profile))


# -- stale content, evergreen items, the empty schedule ---------------------------------------


def test_evergreen_items_fill_in_when_nothing_else_is_on_air():
    regular = promo("regular", ends_at="2026-11-30T00:00:00+09:00")
    poster = promo("poster", evergreen=True, ends_at="2030-01-01T00:00:00+09:00")
    assert ids(lineup([regular, poster], WEDNESDAY_10, PROFILE).items) == ["regular"]
    later = lineup([regular, poster], at(30, 10), PROFILE)
    assert later.mode is LineupMode.EVERGREEN and ids(later.items) == ["poster"]


def test_stale_content_lets_evergreen_items_in_and_expired_ones_out():
    profile = BoardProfile(dong="hoehyeon", stale_after_days=7)
    regular = promo("regular", ends_at="2026-12-01T00:00:00+09:00")
    poster = promo("poster", evergreen=True, ends_at="2030-01-01T00:00:00+09:00")
    synced = WEDNESDAY_10 - timedelta(days=6)
    fresh = lineup([regular, poster], WEDNESDAY_10, profile, last_update=synced)
    assert not fresh.stale and ids(fresh.items) == ["regular"]
    stale = lineup([regular, poster], WEDNESDAY_10 + timedelta(days=2), profile, last_update=synced)
    assert stale.stale and stale.mode is LineupMode.PLAYLIST
    assert ids(stale.items) == ["regular", "poster"]
    december = datetime(2026, 12, 10, 10, 0, tzinfo=KST)
    much_later = lineup([regular, poster], december, profile, last_update=synced)
    assert much_later.stale and ids(much_later.items) == ["poster"]
    # A device that never synced (a local pack) is never stale.
    assert not lineup([regular], WEDNESDAY_10, profile, last_update=None).stale


def test_an_empty_schedule_falls_back_to_the_district_card():
    schedule = Schedule(PROFILE)
    for promotions in ([], [promo("old", ends_at="2026-11-02T00:00:00+09:00")]):
        decision = schedule.pick(schedule.lineup(promotions, WEDNESDAY_10))
        assert decision.mode is LineupMode.FALLBACK and decision.item is None
    everything_broken = schedule.pick(schedule.lineup([promo("a")], WEDNESDAY_10, exclude={"a"}))
    assert everything_broken.mode is LineupMode.FALLBACK


def test_the_demo_pack_on_a_wednesday_morning():
    manifest = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    pack = parse_pack(manifest)
    now = lineup(pack.promotions, WEDNESDAY_10, PROFILE)
    assert now.mode is LineupMode.PLAYLIST
    assert ids(now.items) == ["budget-vote-2027", "quiz-points", "ontong-clip", "frozen-pipes"]
    night = lineup(pack.promotions, at(25, 23), PROFILE)
    assert ids(night.items) == ["budget-vote-2027", "night-scout", "ontong-clip", "frozen-pipes"]
    sindang = lineup(pack.promotions, WEDNESDAY_10, BoardProfile(dong="sindang"))
    assert "digital-class" in ids(sindang.items)
    # The cold-wave warning ended on 20 November: on the 19th it held the screen alone.
    assert ids(lineup(pack.promotions, at(19, 10), PROFILE).items) == ["cold-wave-2026-11"]


# -- rotation --------------------------------------------------------------------------------


def test_rotation_shares_turns_by_weight_and_spreads_them():
    heavy, light1, light2 = promo("heavy", weight=3), promo("l1"), promo("l2")
    rotation = Rotation(seed=1)
    picks = [p.id for p in (rotation.pick([heavy, light1, light2]) for _ in range(50)) if p]
    assert Counter(picks) == {"heavy": 30, "l1": 10, "l2": 10}
    # Spread out: three turns in every five, never three in a row.
    assert all(picks[i : i + 5].count("heavy") == 3 for i in range(0, 50, 5))
    assert all(picks[i : i + 3] != ["heavy"] * 3 for i in range(48))


def test_rotation_is_deterministic_given_a_seed_and_priority_breaks_ties():
    items = [promo(f"p{i}") for i in range(6)]

    def sequence(seed: int) -> list[str]:
        rotation = Rotation(seed=seed)
        return [p.id for p in (rotation.pick(items) for _ in range(12)) if p]

    assert sequence(7) == sequence(7)
    assert len({tuple(sequence(seed)) for seed in range(10)}) > 1  # the seed sets the order
    assert sorted(sequence(7)[:6]) == sorted(ids(items))  # each once per round
    urgent = promo("urgent", priority=10)
    assert Rotation(seed=3).pick([*items, urgent]) == urgent


def test_an_item_that_comes_back_starts_fresh():
    a, b = promo("a", weight=5), promo("b")
    rotation = Rotation()
    for _ in range(3):
        rotation.pick([a, b])
    rotation.pick([b])  # a left the lineup
    assert rotation.pick([a, b]) == a


# -- the clock -------------------------------------------------------------------------------


def test_the_corrected_time_adds_the_server_offset():
    clock = BoardClock()
    wall = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    assert clock.now(wall, 100.0, 30.0) == wall + timedelta(seconds=30)


@pytest.mark.parametrize("jump_days", [-1, 1], ids=["back", "forward"])
def test_a_clock_jump_of_a_day_is_logged_and_does_not_change_the_schedule(caplog, jump_days):
    ends_today = promo("today", ends_at="2026-11-25T18:00:00+09:00")
    starts_today = promo("fresh", starts_at="2026-11-25T09:00:00+09:00")
    items = [ends_today, starts_today]
    clock = BoardClock()
    wall, mono = WEDNESDAY_10.astimezone(UTC), 5000.0
    assert ids(lineup(items, clock.now(wall, mono, 0.0), PROFILE).items) == ["today", "fresh"]
    with caplog.at_level(logging.WARNING, logger="kiosk.domain.schedule"):
        jumped = wall + timedelta(days=jump_days, seconds=60)
        corrected = clock.now(jumped, mono + 60, 0.0)
    assert corrected == wall + timedelta(seconds=60)
    assert ids(lineup(items, corrected, PROFILE).items) == ["today", "fresh"]
    # The wall clock alone would have lost one of them.
    assert ids(lineup(items, jumped, PROFILE).items) != ["today", "fresh"]
    assert [round(j.delta_s) for j in clock.jumps] == [jump_days * 86400]
    assert any("clock_jump" in r.message and "delta_s=" in r.message for r in caplog.records)
    # Time keeps running from there, with no second jump reported.
    assert clock.now(jumped + timedelta(seconds=10), mono + 70, 0.0) == corrected + timedelta(
        seconds=10
    )
    assert len(clock.jumps) == 1
    # Once the server has seen the new clock, its offset is the truth again.
    new_offset = -jump_days * 86400.0
    later = clock.now(jumped + timedelta(seconds=20), mono + 80, new_offset)
    assert later == wall + timedelta(seconds=80)
    assert clock.compensation_s == 0.0


def test_small_drift_is_not_a_jump():
    clock = BoardClock()
    wall = WEDNESDAY_10.astimezone(UTC)
    clock.now(wall, 0.0, 0.0)
    clock.now(wall + timedelta(seconds=605), 600.0, 0.0)
    assert clock.jumps == []
