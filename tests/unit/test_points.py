"""Participation points: earning by the pack's rules, the ledger, exchange and donation."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.content import ACTIVITY_KINDS, KST, POINTS_MAX, POINTS_MIN, parse_pack
from contract.points import (
    DUPLICATE_RESIDENT,
    POINTS_ALREADY_EARNED,
    donation_problems,
    exchange_problems,
    points_for,
)
from contract.wire import PointsDonation, PointsExchange
from kiosk.domain.points import (
    HistoryEntry,
    can_exchange,
    credit,
    donation_payload,
    exchange_payload,
    ledger,
)
from kiosk.paths import asset_path

PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
RULES = PACK.district.points
T0 = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


def entry(
    activity_id: str, kind: str, points: int, minutes: int, counted: bool = True
) -> HistoryEntry:
    return HistoryEntry(activity_id, kind, points, T0 + timedelta(minutes=minutes), counted)


# -- earning ------------------------------------------------------------------------------------


def test_each_activity_earns_the_packs_rule_and_practice_earns_nothing() -> None:
    assert points_for(RULES, "budget_vote", practice=False) == 1000
    assert points_for(RULES, "proposal_agree", practice=False) == 100
    assert points_for(RULES, "proposal", practice=False) == 2000
    assert points_for(RULES, "budget_vote", practice=True) == 0
    assert points_for(RULES, "staff_call", practice=False) == 0  # no rule, no points


@given(st.sampled_from(ACTIVITY_KINDS), st.booleans())
def test_earned_points_are_within_the_district_range_or_none(kind: str, practice: bool) -> None:
    earned = points_for(RULES, kind, practice=practice)
    assert earned == 0 if practice else POINTS_MIN <= earned <= POINTS_MAX


# -- the ledger ---------------------------------------------------------------------------------


def test_the_ledger_counts_each_activity_once_and_newest_first() -> None:
    book = ledger(
        [
            entry("e1", "budget_vote", 1000, 0),
            entry("e2", "proposal_agree", 100, 5),
            entry("e2", "proposal_agree", 100, 6),  # the same envelope reported again
            entry("e3", "budget_vote", 1000, 9, counted=False),  # a second ballot elsewhere
        ]
    )
    assert book.balance == 1100
    assert [(line.entry.activity_id, line.change) for line in book.lines] == [
        ("e3", 0),
        ("e2", 0),
        ("e2", 100),
        ("e1", 1000),
    ]
    assert [line.earned_nothing for line in book.lines] == [True, True, False, False]


def test_exchanges_and_donations_take_points_off_the_balance() -> None:
    book = ledger(
        [
            entry("x1", "points_exchange", -10_000, 30),
            entry("e1", "contest_entry", 10_000, 0),
            entry("e2", "proposal", 2000, 10),
            entry("d1", "points_donation", -500, 40),
        ]
    )
    assert book.balance == 1500
    assert [line.entry.activity_id for line in book.lines] == ["d1", "x1", "e2", "e1"]
    assert not any(line.earned_nothing for line in book.lines)


def test_the_first_of_two_entries_by_time_counts_whatever_the_order_reported() -> None:
    early, late = entry("e1", "quiz", 300, 0), entry("e1", "quiz", 300, 60, counted=False)
    for history in ([early, late], [late, early]):
        book = ledger(history)
        assert book.balance == 300
        assert [line.change for line in book.lines] == [0, 300]


history_entries = st.builds(
    HistoryEntry,
    activity_id=st.sampled_from(["a", "b", "c", "d"]),
    kind=st.sampled_from(ACTIVITY_KINDS),
    points=st.integers(POINTS_MIN, POINTS_MAX),
    at=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(KST)
    ),
    counted=st.booleans(),
)


@given(st.lists(history_entries, max_size=20))
def test_repeating_the_history_adds_nothing(history: list[HistoryEntry]) -> None:
    once = ledger(history)
    assert ledger(history + history).balance == once.balance
    best = {
        i: max(e.points for e in history if e.activity_id == i)
        for i in {e.activity_id for e in history}
    }
    assert once.balance <= sum(best.values())
    # Each activity id changes the balance at most once.
    changed = [line.entry.activity_id for line in once.lines if line.change]
    assert len(changed) == len(set(changed))


# -- exchange and donation ----------------------------------------------------------------------


def test_an_exchange_needs_the_packs_minimum_and_the_balance() -> None:
    assert RULES.exchange_minimum == 10_000
    assert exchange_problems(10_000, 12_300, RULES) == []
    [below] = exchange_problems(9_000, 12_300, RULES)
    assert (below.rule, below.params) == ("below_exchange_minimum", {"minimum": 10_000})
    [over] = exchange_problems(13_000, 12_300, RULES)
    assert (over.rule, over.params) == ("over_balance", {"balance": 12_300})
    assert [p.rule for p in exchange_problems(9_000, 5_000, RULES)] == [
        "below_exchange_minimum",
        "over_balance",
    ]
    assert [p.rule for p in exchange_problems(0, 12_300, RULES)] == ["points_positive"]
    assert can_exchange(10_000, RULES) and not can_exchange(9_999, RULES)


def test_donating_is_any_amount_within_the_balance() -> None:
    assert donation_problems(100, 300) == [] and donation_problems(300, 300) == []
    assert [p.rule for p in donation_problems(301, 300)] == ["over_balance"]
    assert [p.rule for p in donation_problems(-5, 300)] == ["points_positive"]


def test_payloads_are_the_wire_models_and_refused_when_the_rules_are() -> None:
    assert PointsExchange.model_validate(exchange_payload(10_000, 10_000, RULES)).points == 10_000
    assert PointsDonation.model_validate(donation_payload(700, 800)).points == 700
    with pytest.raises(ValueError, match="cannot be exchanged"):
        exchange_payload(5_000, 20_000, RULES)
    with pytest.raises(ValueError, match="cannot be donated"):
        donation_payload(900, 800)


@given(st.integers(-100, 50_000), st.integers(0, 50_000), st.integers(1, 20_000))
def test_an_accepted_exchange_is_within_minimum_and_balance(
    points: int, balance: int, minimum: int
) -> None:
    rules = RULES.model_copy(update={"exchange_minimum": minimum})
    accepted = not exchange_problems(points, balance, rules)
    assert accepted == (minimum <= points <= balance and points > 0)


# -- what the server's receipt says about an act's points ---------------------------------------


def test_the_receipt_says_whether_the_points_were_credited() -> None:
    assert credit(None) == "pending"  # not answered yet: promised as the server will credit
    assert credit({"counted": True, "note": None}) == "credited"
    already = f"{POINTS_ALREADY_EARNED}: this resident already earned the points of survey_response"
    assert credit({"counted": True, "note": already}) == "already"
    second = f"{DUPLICATE_RESIDENT}: this resident's vote in contest 'c' already counted"
    assert credit({"counted": False, "note": second}) == "not_counted"
    # Held for staff: not known yet.
    assert credit({"counted": False, "note": "held for staff review: new residents"}) == "pending"


def test_the_practice_ledger_earns_by_the_packs_rules_up_to_the_exchange_minimum():
    """Practice shows a made-up year whose points are the pack's own rules, just enough to
    practise an exchange: a district with other rules or another minimum gets another
    balance, never a figure fixed in the code."""
    from contract.content import PointRules
    from kiosk.domain.points_flow import practice_ledger

    now = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
    rules = PointRules(
        rules={"budget_vote": 1000, "proposal": 2000, "quiz": 300}, exchange_minimum=5000
    )
    ledger = practice_ledger(now, rules)
    assert [(line.kind, line.points) for line in ledger.history] == [
        ("ballot", 1000),
        ("proposal", 2000),
        ("quiz", 300),
        ("ballot", 1000),
        ("proposal", 2000),
    ]
    assert ledger.balance == 6300  # the first balance at or past 5,000
    demo = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    district = PointRules.model_validate(demo["district"]["points"])
    assert practice_ledger(now, district).balance == 10_800  # 1,000 + 2,000 + … twice, + 1,000
    assert practice_ledger(now, PointRules(rules={})).balance == 0
