"""Participation points (참여 포인트): what an activity earns, the ledger, exchange and donation.

Each activity kind earns what the content pack's rule says (100-10,000); a practice
submission earns nothing. The server awards points once per resident per activity, the
activity's key being its envelope id, so the ledger a kiosk shows from the server's history
counts each activity id once: a repeat, or an entry the server did not count (a second ballot),
earns nothing. A resident may ask to exchange points for local gift certificates from the
pack's minimum (10,000) up to the balance, or donate points instead.

This module owns the ledger, the amounts offered and the payloads of the "points_exchange" and
"points_donation" envelopes (contract.wire.PointsExchange, PointsDonation); what an activity
earns and when an exchange or donation may be asked for are the shared rules of contract.points.

No Qt and no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from contract.content import ContentPack, PointRules
from contract.points import (
    DUPLICATE_RESIDENT,
    POINTS_ALREADY_EARNED,
    donation_problems,
    exchange_problems,
)

# ---------------------------------------------------------------------------------------------
# The ledger from the server's history
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a resident's history as the server reports it.

    Attributes:
        activity_id: the key the points belong to: the envelope id of the activity, exchange
            or donation.
        kind: the activity kind (survey_response, budget_vote…), points_exchange or
            points_donation.
        points: points earned (positive) or spent (negative).
        at: when the server recorded it.
        counted: False when the server recorded it without counting it (a second ballot).
    """

    activity_id: str
    kind: str
    points: int
    at: datetime
    counted: bool = True


@dataclass(frozen=True)
class LedgerLine:
    """An entry and what it did to the balance: nothing for a repeat or an uncounted entry."""

    entry: HistoryEntry
    change: int

    @property
    def earned_nothing(self) -> bool:
        return self.change == 0 and self.entry.points != 0


@dataclass(frozen=True)
class Ledger:
    """A resident's points: the lines newest first, and the balance they add up to."""

    lines: tuple[LedgerLine, ...]

    @property
    def balance(self) -> int:
        return sum(line.change for line in self.lines)


def ledger(history: Iterable[HistoryEntry]) -> Ledger:
    """The ledger of `history`: the first entry of each activity id (by time) counts."""
    seen: set[str] = set()
    lines = []
    for entry in sorted(history, key=lambda e: e.at):  # stable: equal times keep their order
        first = entry.activity_id not in seen
        seen.add(entry.activity_id)
        lines.append(LedgerLine(entry, entry.points if first and entry.counted else 0))
    return Ledger(tuple(reversed(lines)))


# ---------------------------------------------------------------------------------------------
# What the server did with an act's points
# ---------------------------------------------------------------------------------------------

# pending: no answer yet (or held for staff); credited: the points were added; already: the act
# counted but this resident had earned this item's points before; not_counted: a second vote or
# agree by the same resident, which counts nothing and earns nothing.
Credit = Literal["pending", "credited", "already", "not_counted"]


def credit(receipt: Mapping[str, Any] | None) -> Credit:
    """What the server's receipt of an identified act (contract.wire.Receipt, as the outbox
    keeps it; None before the server answered) says about its points."""
    if receipt is None:
        return "pending"
    note = str(receipt.get("note") or "")
    if note.startswith(DUPLICATE_RESIDENT):
        return "not_counted"
    if note.startswith(POINTS_ALREADY_EARNED):
        return "already"
    # Not counted for another reason (held for staff to look at): not known yet.
    return "credited" if receipt.get("counted", True) else "pending"


# ---------------------------------------------------------------------------------------------
# Exchange and donation
# ---------------------------------------------------------------------------------------------


def can_exchange(balance: int, rules: PointRules) -> bool:
    """True when the balance reaches the pack's minimum for an exchange."""
    return balance >= rules.exchange_minimum


def exchange_payload(points: int, balance: int, rules: PointRules) -> dict[str, Any]:
    """The "points_exchange" payload; the resident's identity travels sealed beside it."""
    if exchange_problems(points, balance, rules):
        raise ValueError(f"{points} points cannot be exchanged from a balance of {balance}")
    return {"points": points}


def donation_payload(points: int, balance: int) -> dict[str, Any]:
    """The "points_donation" payload; the resident's identity travels sealed beside it."""
    if donation_problems(points, balance):
        raise ValueError(f"{points} points cannot be donated from a balance of {balance}")
    return {"points": points}


def exchange_shortfall(balance: int, rules: PointRules) -> int:
    """Points still to earn before an exchange may be asked for; 0 when it may be now."""
    return max(0, rules.exchange_minimum - balance)


def exchange_amounts(balance: int, rules: PointRules, most: int = 4) -> tuple[int, ...]:
    """What a resident may ask to exchange, as large buttons: whole packs of the pack's minimum
    (10,000, 20,000, …) up to the balance, at most `most` of them; () below the minimum."""
    packs = balance // rules.exchange_minimum
    return tuple(rules.exchange_minimum * n for n in range(1, min(packs, most) + 1))


DONATION_STEPS: Final[tuple[int, ...]] = (1_000, 5_000, 10_000)


def donation_amounts(balance: int) -> tuple[int, ...]:
    """What a resident may donate, as large buttons: the usual steps below the balance, then
    the whole balance; () with nothing to give."""
    if balance <= 0:
        return ()
    return tuple(step for step in DONATION_STEPS if step < balance) + (balance,)


def activity_points(pack: ContentPack, activity: str) -> int | None:
    """What `activity` earns under the pack's rules; None when it earns nothing."""
    if activity not in pack.district.points.rules:
        return None
    return pack.points_for(activity)
