"""Participation points (참여 포인트): the rules the server applies exactly as the kiosk does.

What an activity earns (the content pack's rule, 100-10,000; nothing for practice), and when an
exchange for local gift certificates or a donation may be asked for. The kiosk checks them
before it sends; the server checks them again against the resident's real balance, so both
refuse with the same `Problem`. The envelope kinds of the two requests are named here too.

The ledger a kiosk shows, and the amounts it offers as buttons, are kiosk.domain.points.

No Qt and no I/O.
"""

from __future__ import annotations

from typing import Final

from contract.civic import Problem
from contract.content import PointRules

POINTS_EXCHANGE_KIND: Final = "points_exchange"
POINTS_DONATION_KIND: Final = "points_donation"

# How a receipt's note begins (contract.wire.Receipt.note) when the server stored a resident's
# act but it earned nothing: a second agree, ballot or one-per-resident contest vote (not
# counted), or a second survey, quiz or contest entry of an item whose points the resident
# already earned (counted, no points: points are earned once per resident per item).
DUPLICATE_RESIDENT: Final = "duplicate resident"
POINTS_ALREADY_EARNED: Final = "points already earned"


def points_for(rules: PointRules, activity: str, *, practice: bool) -> int:
    """Points an activity earns: the pack's rule; none for practice or an activity without one."""
    if practice:
        return 0
    return next((points for kind, points in rules.rules.items() if kind == activity), 0)


def exchange_problems(points: int, balance: int, rules: PointRules) -> list[Problem]:
    """Why `points` cannot be exchanged now ([] when they can): the pack's minimum, then the
    balance (the last one the server reported; the server checks again)."""
    if points <= 0:
        return [Problem("points", "points_positive")]
    found = []
    if points < rules.exchange_minimum:
        found.append(
            Problem("points", "below_exchange_minimum", {"minimum": rules.exchange_minimum})
        )
    if points > balance:
        found.append(Problem("points", "over_balance", {"balance": balance}))
    return found


def donation_problems(points: int, balance: int) -> list[Problem]:
    """Why `points` cannot be donated ([] when they can): any amount within the balance."""
    if points <= 0:
        return [Problem("points", "points_positive")]
    if points > balance:
        return [Problem("points", "over_balance", {"balance": balance})]
    return []
