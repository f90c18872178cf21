"""The participatory-budget ballot (주민참여예산): one resident's choice in one dong.

The vote is one group of 15 ballots, one per dong; a resident votes in one dong only, so the
choice of dong is part of the session (choosing another dong starts the selection again). Only
projects that passed the district's review are on a ballot. The pack sets each ballot's rule:
approval with a maximum number of picks (중구: at most 30% of the dong's projects, rounded
down, already worked out in the pack) and an optional minimum, or a budget limit (the total
cost may not exceed the dong's budget, with an optional maximum of picks as well). A project
that would break the rule cannot be selected, and `can_select` says why.

This module also owns the review and the payload of the "ballot" envelope (contract.wire.
BudgetBallot); the published results as a ranking per dong are contract.ballot.

No Qt and no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from contract.civic import Problem
from contract.content import Ballot, BudgetLimitRule, BudgetProject, BudgetVote
from kiosk.domain.money import won_text

BALLOT_KIND: Final = "ballot"

VotePhase = Literal["not_open_yet", "open", "closed"]


def vote_phase(vote: BudgetVote, now: datetime) -> VotePhase:
    """Before `opens_at`, from it up to (not including) `closes_at`, or after."""
    if now < vote.opens_at:
        return "not_open_yet"
    return "open" if now < vote.closes_at else "closed"


def ballot_dongs(vote: BudgetVote, home_dong: str | None = None) -> list[str]:
    """The dongs with a ballot in the pack's order, the resident's own dong first when known."""
    dongs = [b.dong for b in vote.ballots]
    if home_dong in dongs:
        dongs.remove(home_dong)
        dongs.insert(0, home_dong)
    return dongs


@dataclass(frozen=True)
class BallotReview:
    """What the review step shows before the resident identifies and sends."""

    dong: str
    projects: tuple[BudgetProject, ...]
    total_won: int
    budget_won: int


class BallotSession:
    """One resident's ballot in the vote: the dong, then the projects within its rule.

    Attributes:
        vote: the participatory-budget vote (every dong's ballot).
        ballot: the chosen dong's ballot; None until a dong is chosen.
        submitted: True once its envelope is in the outbox.
    """

    def __init__(self, vote: BudgetVote) -> None:
        self.vote = vote
        self.ballot: Ballot | None = None
        self.submitted = False
        self._selected: set[str] = set()

    # -- the dong -------------------------------------------------------------------------

    def choose_dong(self, dong_id: str) -> Problem | None:
        """Vote in `dong_id` (another dong's picks are dropped); the reason when it cannot."""
        if self.submitted:
            return Problem(dong_id, "already_submitted")
        ballot = self.vote.ballot_for(dong_id)
        if ballot is None:
            return Problem(dong_id, "no_ballot")
        if ballot is not self.ballot:
            self._selected.clear()
        self.ballot = ballot
        return None

    # -- the projects ---------------------------------------------------------------------

    @property
    def projects(self) -> list[BudgetProject]:
        """The projects on the chosen ballot: only those that passed review, in pack order."""
        return [] if self.ballot is None else self.ballot.reviewed_projects

    @property
    def selected(self) -> tuple[BudgetProject, ...]:
        return tuple(p for p in self.projects if p.id in self._selected)

    def is_selected(self, project_id: str) -> bool:
        return project_id in self._selected

    @property
    def budget_limited(self) -> bool:
        """True when the total cost is held to the dong's budget (the screen shows what is left)."""
        return self.ballot is not None and isinstance(self.ballot.rule, BudgetLimitRule)

    @property
    def total_won(self) -> int:
        return sum(p.cost_won for p in self.selected)

    @property
    def remaining_won(self) -> int:
        """The dong's budget less the selected projects' cost; 0 before a dong is chosen."""
        return 0 if self.ballot is None else self.ballot.budget_won - self.total_won

    @property
    def max_selections(self) -> int | None:
        return None if self.ballot is None else self.ballot.rule.max_selections

    @property
    def min_selections(self) -> int:
        """At least one project, or the rule's minimum when it asks for more."""
        return 1 if self.ballot is None else max(1, self.ballot.rule.min_selections)

    @property
    def remaining_picks(self) -> int | None:
        """Projects that may still be picked; None when only the budget limits them."""
        most = self.max_selections
        return None if most is None else most - len(self._selected)

    def _project(self, project_id: str) -> BudgetProject | None:
        return next((p for p in self.projects if p.id == project_id), None)

    def can_select(self, project_id: str) -> Problem | None:
        """None when the project may be added to the selection, otherwise why not.

        A project already selected can always be taken off again (see `toggle`).
        """
        if self.submitted:
            return Problem(project_id, "already_submitted")
        if self.ballot is None:
            return Problem(project_id, "no_dong")
        project = self._project(project_id)
        if project is None:
            return Problem(project_id, "not_on_ballot")
        if project_id in self._selected:
            return None
        picks = self.remaining_picks
        if picks is not None and picks <= 0:
            return Problem(project_id, "max_selections", {"max": self.max_selections or 0})
        if self.budget_limited and project.cost_won > self.remaining_won:
            # Amounts as written on the project cards, in 만원/억원 (in English too).
            params = {"remaining": won_text(self.remaining_won), "cost": won_text(project.cost_won)}
            return Problem(project_id, "over_budget", params)
        return None

    def toggle(self, project_id: str) -> Problem | None:
        """Select the project, or take it off when selected; the reason when it cannot be
        selected (then nothing changes)."""
        refusal = self.can_select(project_id)
        if refusal is not None:
            return refusal
        if project_id in self._selected:
            self._selected.discard(project_id)
        else:
            self._selected.add(project_id)
        return None

    # -- review and sending ---------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """What keeps the resident from the review: no dong, or too few projects."""
        if self.ballot is None:
            return [Problem("dong", "no_dong")]
        if len(self._selected) < self.min_selections:
            return [Problem(self.ballot.id, "min_selections", {"min": self.min_selections})]
        return []

    def submit_problems(self, now: datetime, *, voted_here: bool) -> list[Problem]:
        """Why the ballot cannot be sent now ([] when it can).

        `voted_here` is True when this resident's local key already voted in this vote at this
        kiosk; the server counts only the first ballot from anywhere.
        """
        if self.submitted:
            return [Problem(self.vote.id, "already_submitted")]
        match vote_phase(self.vote, now):
            case "not_open_yet":
                return [Problem(self.vote.id, "not_open_yet")]
            case "closed":
                return [Problem(self.vote.id, "ballot_closed")]
        if voted_here:
            return [Problem(self.vote.id, "already_voted")]
        return self.problems()

    def review(self) -> BallotReview:
        if self.ballot is None:
            raise ValueError("no dong chosen")
        return BallotReview(self.ballot.dong, self.selected, self.total_won, self.ballot.budget_won)

    def payload(self) -> dict[str, Any]:
        """The "ballot" payload; the resident's identity travels sealed beside it."""
        if self.ballot is None or self.problems():
            raise ValueError("an incomplete ballot has no payload")
        return {
            "vote_id": self.vote.id,
            "ballot_id": self.ballot.id,
            "dong": self.ballot.dong,
            "project_ids": [p.id for p in self.selected],
        }

    def mark_submitted(self) -> None:
        self.submitted = True
