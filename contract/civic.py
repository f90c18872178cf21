"""What the civic rules (proposals, the participatory-budget ballot, points) say when they refuse.

A `Problem` names the rule a resident's action breaks and the values its message needs; the
message itself is ``civic.problem.<rule>`` in the kiosk's catalogue (kiosk/i18n/civic.toml), so the
screens of all three flows word a refusal the same way, and the server refuses an exchange or a
donation with the same rule the kiosk checked.

No Qt and no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from contract.content import ContentPack

Rule = Literal[
    # Proposals
    "proposal_closed",
    "proposal_withdrawn",
    "already_agreed",
    "required",
    "too_short",
    "too_long",
    "unknown_dong",
    "unknown_topic",
    # Budget project proposals
    "proposals_closed",
    # The budget ballot
    "not_open_yet",
    "ballot_closed",
    "no_ballot",
    "no_dong",
    "not_on_ballot",
    "max_selections",
    "over_budget",
    "min_selections",
    "already_voted",
    "already_submitted",
    # Points
    "points_positive",
    "below_exchange_minimum",
    "over_balance",
]


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (an item id or a field), which rule, and the message values."""

    where: str
    rule: Rule
    params: Mapping[str, int | str] = field(default_factory=dict)

    @property
    def message_id(self) -> str:
        """The id of the message that tells the resident what happened and what to do."""
        return f"civic.problem.{self.rule}"


# Kinds a resident's act counts once in (the first by the server's order of arrival), and the
# payload field naming what it counts in: an agree with a proposal, a ballot in a budget vote,
# and a contest vote where its contest says so (`counted_once`).
ONCE_PER_RESIDENT: Final[dict[str, str]] = {
    "proposal_agree": "proposal_id",
    "ballot": "vote_id",
    "contest_vote": "contest_id",
}


def one_vote_per_resident(pack: ContentPack | None, contest_id: object) -> bool:
    """Whether the contest's vote counts once per resident (ContestVote.one_vote_per_resident);
    False for a contest the pack does not hold."""
    contest = pack.contest(str(contest_id)) if pack is not None else None
    return contest is not None and contest.vote is not None and contest.vote.one_vote_per_resident


def counted_once(kind: str, payload: Mapping[str, Any], pack: ContentPack | None) -> bool:
    """Whether a resident's act of `kind` counts only the first time, across kiosks: every
    agree and ballot; a contest vote only where its contest says so in `pack`."""
    if kind == "contest_vote":
        return one_vote_per_resident(pack, payload.get("contest_id"))
    return kind in ONCE_PER_RESIDENT
