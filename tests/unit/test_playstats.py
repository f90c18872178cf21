"""Proof of play tallies: counts in the hour a showing starts, seconds in the hours they fill."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from contract.content import KST
from contract.wire import PlayStats
from kiosk.domain.playstats import HourReport, ItemPlays, PlayLedger, hour_start

T0 = datetime(2026, 11, 25, 10, 0, tzinfo=KST)


def test_showings_add_up_per_item_and_hour():
    ledger = PlayLedger()
    ledger.record("poster", T0 + timedelta(minutes=1), 8)
    ledger.record("poster", T0 + timedelta(minutes=2), 8)
    ledger.record("clip", T0 + timedelta(minutes=3), 4.04)
    report = ledger.report(hour_start(T0))
    assert report == HourReport(
        hour_start(T0), (ItemPlays("clip", 1, 4.04), ItemPlays("poster", 2, 16.0))
    )
    assert report.hour_start == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def test_a_showing_across_the_hour_counts_once_and_splits_its_seconds():
    ledger = PlayLedger()
    ledger.record("notice", T0 + timedelta(minutes=59, seconds=55), 15)
    first, second = ledger.hours()
    assert ledger.report(first).items == (ItemPlays("notice", 1, 5.0),)
    assert ledger.report(second).items == (ItemPlays("notice", 0, 10.0),)


def test_only_hours_that_are_over_are_closed():
    ledger = PlayLedger()
    ledger.record("a", T0, 10)
    ledger.record("a", T0 + timedelta(hours=1, minutes=5), 10)
    assert ledger.closed_hours(T0 + timedelta(minutes=59)) == []
    assert ledger.closed_hours(T0 + timedelta(hours=1, minutes=6)) == [hour_start(T0)]
    ledger.drop(hour_start(T0))
    assert ledger.hours() == [hour_start(T0 + timedelta(hours=1))]


def test_the_payload_is_what_the_protocol_accepts():
    ledger = PlayLedger()
    ledger.record("budget-vote-2027", T0, 10.04)
    payload = ledger.report(hour_start(T0)).payload("board")
    stats = PlayStats.model_validate(payload)
    assert stats.items[0].seconds == 10.0 and stats.items[0].count == 1
    assert stats.hour_start == hour_start(T0)


def test_the_ledger_survives_json_and_skips_what_it_cannot_read():
    ledger = PlayLedger()
    ledger.record("a", T0, 3)
    ledger.record("b", T0 + timedelta(hours=2), 4)
    again = PlayLedger.from_json(ledger.to_json())
    assert again.to_json() == ledger.to_json()
    broken = {"not a time": {"a": [1, 2]}, hour_start(T0).isoformat(): {"a": "x", "b": [1, 2.5]}}
    assert PlayLedger.from_json(broken).report(hour_start(T0)).items == (ItemPlays("b", 1, 2.5),)
    assert not PlayLedger.from_json(None)


@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.integers(0, 10 * 3600), st.floats(0, 600)),
        max_size=40,
    )
)
def test_nothing_is_lost_or_counted_twice_across_hours(showings):
    ledger = PlayLedger()
    for item, offset_s, seconds in showings:
        ledger.record(item, T0 + timedelta(seconds=offset_s), seconds)
    reports = [ledger.report(h) for h in ledger.hours()]
    for item in "abc":
        mine = [(i.count, i.seconds) for r in reports for i in r.items if i.item_id == item]
        expected = [s for it, _, s in showings if it == item]
        assert sum(c for c, _ in mine) == len(expected)
        assert abs(sum(s for _, s in mine) - sum(expected)) < 1e-6
