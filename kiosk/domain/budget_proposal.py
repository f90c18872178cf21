"""주민참여예산 사업 제안: a project a resident proposes for their dong during the budget's
proposal window (contract.content.BudgetVote.proposals_open_at .. proposals_close_at), and what
it must hold before it is sent as a "budget_proposal" envelope (contract.wire.BudgetProposal).

The district's process is 15개 동 제안 → 검토 → 주민 투표: staff review each proposal in the
console (채택 / 반려) and the chosen ones become the vote's projects in a later content version.

The rough cost is typed in 만원 (the unit residents say: "3천만 원" is 3000 on the keypad).

No Qt and no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final, Literal

from contract.civic import Problem
from contract.content import BudgetVote, ContentPack
from contract.wire import (
    BUDGET_PROPOSAL_COST_MAX_WON,
    BUDGET_PROPOSAL_PLACE_MAX,
    BUDGET_PROPOSAL_TITLE_MAX,
    BUDGET_PROPOSAL_WHY_MAX,
)
from kiosk.domain.writing import Writing

BUDGET_PROPOSAL_KIND: Final = "budget_proposal"
# The keypad types 만원.
COST_UNIT_WON: Final = 10_000
COST_MAX_MAN: Final = BUDGET_PROPOSAL_COST_MAX_WON // COST_UNIT_WON
COST_DIGITS: Final = len(str(COST_MAX_MAN))

TextField = Literal["title", "place", "why"]
TEXT_FIELDS: Final[tuple[TextField, ...]] = ("title", "place", "why")
# (shortest, longest) of each field, within contract.wire.BudgetProposal's limits.
TEXT_LIMITS: Final[Mapping[str, tuple[int, int]]] = {
    "title": (4, BUDGET_PROPOSAL_TITLE_MAX),
    "place": (2, BUDGET_PROPOSAL_PLACE_MAX),
    "why": (10, BUDGET_PROPOSAL_WHY_MAX),
}
# The fields a refusal may name (message_id).
FIELDS: Final = ("dong", *TEXT_FIELDS, "cost")


def takes_proposals(vote: BudgetVote | None, now: datetime) -> bool:
    """Whether the pack's budget takes residents' project proposals at `now`."""
    return vote is not None and vote.takes_proposals(now)


def message_id(problem: Problem) -> str:
    """The message of a refusal, naming the field it is about ("사업 이름을 적어 주세요");
    the rest are worded as any civic refusal."""
    if problem.rule == "required" and problem.where in FIELDS:
        return f"budgetproposal.required.{problem.where}"
    if problem.rule in ("too_short", "too_long") and problem.where in TEXT_FIELDS:
        return f"budgetproposal.{problem.rule}.{problem.where}"
    if problem.where == "cost" and problem.rule == "over_budget":
        return "budgetproposal.cost.too_large"
    return problem.message_id


class BudgetProposalDraft(Writing):
    """A project a resident proposes: dong, title, place, why and rough cost (in 만원).

    Attributes:
        pack: the content pack whose budget takes the proposal.
        vote: the pack's budget.
        submitted: True once its envelope is in the outbox.
    """

    limits = TEXT_LIMITS

    def __init__(self, pack: ContentPack, vote: BudgetVote) -> None:
        super().__init__(pack)
        self.vote = vote
        self.cost_man: int | None = None

    def set_cost(self, digits: str) -> list[Problem]:
        """The digits typed on the keypad, in 만원 ("" clears it); refused past COST_MAX_MAN."""
        if self.submitted:
            return [Problem("cost", "already_submitted")]
        if not digits:
            self.cost_man = None
            return []
        if not digits.isascii() or not digits.isdigit():
            return [Problem("cost", "required")]
        value = int(digits)
        if value > COST_MAX_MAN:
            return [Problem("cost", "over_budget", {"max": f"{COST_MAX_MAN:,}"})]
        self.cost_man = value or None
        return []

    @property
    def cost_won(self) -> int | None:
        return None if self.cost_man is None else self.cost_man * COST_UNIT_WON

    def check_cost(self) -> list[Problem]:
        return [Problem("cost", "required")] if self.cost_man is None else []

    def problems(self, now: datetime | None = None) -> list[Problem]:
        """Everything that keeps the proposal from being sent; [] when it may be. With `now`,
        also whether the proposal window is still open."""
        if self.submitted:
            return [Problem("budget_proposal", "already_submitted")]
        if now is not None and not self.vote.takes_proposals(now):
            return [Problem("budget_proposal", "proposals_closed")]
        found = [] if self.dong is not None else [Problem("dong", "required")]
        for name in TEXT_FIELDS:
            found += self.check_text(name)
        return found + self.check_cost()

    def payload(self) -> dict[str, Any]:
        """The "budget_proposal" payload, trimmed; only for a draft without problems."""
        if self.problems():
            raise ValueError("a budget proposal with problems has no payload")
        return {
            "vote_id": self.vote.id,
            "dong": self.dong,
            **self.trimmed(),
            "cost_won": self.cost_won,
        }
