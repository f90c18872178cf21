"""The amounts a resident is offered for an exchange or a donation, and what is still missing."""

from __future__ import annotations

from contract.content import PointRules
from contract.points import exchange_problems
from kiosk.domain.points import donation_amounts, exchange_amounts, exchange_shortfall

RULES = PointRules(rules={"proposal": 2000}, exchange_minimum=10_000)


def test_exchange_amounts_are_whole_packs_up_to_the_balance():
    assert exchange_amounts(9_999, RULES) == ()
    assert exchange_amounts(10_000, RULES) == (10_000,)
    assert exchange_amounts(35_500, RULES) == (10_000, 20_000, 30_000)
    assert exchange_amounts(1_000_000, RULES) == (10_000, 20_000, 30_000, 40_000)
    # Every amount offered passes the exchange rule.
    for balance in (10_000, 35_500, 1_000_000):
        assert all(
            not exchange_problems(a, balance, RULES) for a in exchange_amounts(balance, RULES)
        )


def test_the_shortfall_says_how_many_points_are_missing():
    assert exchange_shortfall(5_300, RULES) == 4_700
    assert exchange_shortfall(10_000, RULES) == 0
    assert exchange_shortfall(-50, RULES) == 10_050


def test_donation_amounts_end_with_the_whole_balance():
    assert donation_amounts(0) == ()
    assert donation_amounts(-10) == ()
    assert donation_amounts(300) == (300,)
    assert donation_amounts(5_000) == (1_000, 5_000)
    assert donation_amounts(5_300) == (1_000, 5_000, 5_300)
    assert donation_amounts(15_300) == (1_000, 5_000, 10_000, 15_300)
