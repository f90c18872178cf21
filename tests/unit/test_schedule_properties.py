"""Property tests of the schedule: the rotation is fair and deterministic, the lineup keeps its
rules at any instant, and the board clock follows the monotonic clock through any jumps."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from contract.content import KST, Promotion, TimeWindow
from kiosk.domain.schedule import BoardClock, BoardProfile, LineupMode, Rotation, lineup

BASE = datetime(2026, 11, 1, tzinfo=KST)

clock_times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


@st.composite
def windows(draw: st.DrawFn) -> dict[str, str]:
    start = draw(clock_times)
    end = draw(clock_times.filter(lambda t: t != start))
    return {"start": start, "end": end}


@st.composite
def promotions(draw: st.DrawFn, index: int) -> Promotion:
    start_day = draw(st.integers(0, 40))
    length_days = draw(st.integers(1, 40))
    emergency = draw(st.booleans())
    data: dict[str, Any] = {
        "id": f"p{index}",
        "kind": "notice",
        "title": {"ko": "제목"},
        "body": {"ko": "본문"},
        "starts_at": (BASE + timedelta(days=start_day)).isoformat(),
        "ends_at": (BASE + timedelta(days=start_day + length_days)).isoformat(),
        "weekdays": sorted(draw(st.sets(st.integers(0, 6), min_size=1))),
        "windows": draw(st.lists(windows(), max_size=2)),
        "dongs": draw(st.sampled_from([[], ["pil"], ["sindang"]])),
        "priority": draw(st.integers(-5, 5)),
        "weight": draw(st.integers(1, 5)),
        "emergency": emergency,
        "evergreen": not emergency and draw(st.booleans()),
    }
    return Promotion.model_validate(data)


@st.composite
def playlists(draw: st.DrawFn) -> list[Promotion]:
    size = draw(st.integers(0, 6))
    return [draw(promotions(i)) for i in range(size)]


instants = st.builds(lambda minutes: BASE + timedelta(minutes=minutes), st.integers(0, 90 * 1440))


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


@given(windows(), st.integers(0, 1439))
def test_a_window_holds_exactly_its_minutes_even_across_midnight(window, minute):
    w = TimeWindow.model_validate(window)
    start, end = minutes(w.start), minutes(w.end)
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    assert w.contains(time(minute // 60, minute % 60)) is inside


@given(playlists(), instants, st.sampled_from([None, "pil"]), st.booleans())
def test_the_lineup_keeps_its_rules_at_any_instant(items, now, dong, screen_off_at_night):
    screen_off = (TimeWindow(start="23:00", end="06:00"),) if screen_off_at_night else ()
    profile = BoardProfile(dong=dong, screen_off=screen_off)
    result = lineup(items, now, profile)
    on_air = [p for p in items if p.is_on_air(now, dong)]
    assert all(p in on_air for p in result.items)
    if any(p.emergency for p in on_air):
        assert result.mode is LineupMode.EMERGENCY
        assert all(p.emergency for p in result.items) and result.items
        return
    local = now.astimezone(KST).time()
    if screen_off_at_night and (local >= time(23) or local < time(6)):
        assert result.mode is LineupMode.SCREEN_OFF and result.items == ()
        return
    if not on_air:
        assert result.mode is LineupMode.FALLBACK
    elif any(not p.evergreen for p in on_air):
        assert result.mode is LineupMode.PLAYLIST
        assert {p.id for p in result.items} == {p.id for p in on_air if not p.evergreen}
    else:
        assert result.mode is LineupMode.EVERGREEN and list(result.items) == on_air


weights = st.lists(st.integers(1, 6), min_size=1, max_size=6)


def weighted(ws: list[int]) -> list[Promotion]:
    return [
        Promotion.model_validate(
            {
                "id": f"w{i}",
                "kind": "notice",
                "title": {"ko": "제목"},
                "body": {"ko": "본문"},
                "starts_at": "2026-11-01T00:00:00+09:00",
                "ends_at": "2027-11-01T00:00:00+09:00",
                "weight": w,
            }
        )
        for i, w in enumerate(ws)
    ]


@given(weights, st.integers(0, 2**32), st.integers(1, 4))
def test_every_round_gives_each_item_exactly_its_weight(ws, seed, rounds):
    items = weighted(ws)
    rotation = Rotation(seed=seed)
    total = sum(ws)
    picks = [rotation.pick(items) for _ in range(total * rounds)]
    counts = Counter(p.id for p in picks if p)
    assert counts == {p.id: p.weight * rounds for p in items}


@given(weights, st.integers(0, 2**32), st.integers(1, 200))
def test_any_stretch_of_picks_is_close_to_the_weights(ws, seed, length):
    items = weighted(ws)
    rotation = Rotation(seed=seed)
    picks = [p.id for p in (rotation.pick(items) for _ in range(length + 50)) if p]
    window = picks[50:]
    total = sum(ws)
    for p in items:
        expected = length * p.weight / total
        assert abs(window.count(p.id) - expected) <= 2


@given(weights, st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_sequence(ws, seed):
    items = weighted(ws)
    a, b = Rotation(seed=seed), Rotation(seed=seed)
    assert [a.pick(items) for _ in range(30)] == [b.pick(items) for _ in range(30)]


# Jumps well inside or well outside the 30 s tolerance (rounding decides right at the edge).
jumps = st.one_of(st.floats(-20, 20), st.floats(40, 3 * 86400), st.floats(-3 * 86400, -40))


@given(st.lists(st.tuples(st.floats(0.1, 600), jumps), max_size=12))
def test_the_board_clock_follows_the_monotonic_clock_through_jumps(steps):
    clock = BoardClock(tolerance_s=30)
    wall = datetime(2026, 11, 25, tzinfo=UTC)
    mono = 0.0
    start = clock.now(wall, mono, 0.0)
    for elapsed, jump in steps:
        mono += elapsed
        wall += timedelta(seconds=elapsed + jump)
        corrected = clock.now(wall, mono, 0.0)
        if abs(jump) > 30:
            # A jump is compensated: the corrected time is where the monotonic clock says.
            assert abs((corrected - start).total_seconds() - mono) < 1e-3 + _small(steps)
    assert len(clock.jumps) == sum(1 for _, j in steps if abs(j) > 30)


def _small(steps: list[tuple[float, float]]) -> float:
    # Jumps within the tolerance are believed (they are drift, not resets).
    return sum(abs(j) for _, j in steps if abs(j) <= 30)
