"""The participatory-budget vote's published results as a ranking per dong.

The kiosk shows it on the results screen and the server's tallies compute the same ranking
before they publish, so the tie rule (equal votes share a rank) is here once.

No Qt and no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.content import BudgetProject, BudgetVote


@dataclass(frozen=True)
class RankedProject:
    """One line of a dong's result: equal votes share a rank (1, 2, 2, 4)."""

    rank: int
    project: BudgetProject
    votes: int
    selected: bool


def ranking(vote: BudgetVote, dong_id: str) -> list[RankedProject] | None:
    """The dong's published result, highest votes first; None until the pack has it."""
    result = vote.result_for(dong_id)
    ballot = vote.ballot_for(dong_id)
    if result is None or ballot is None:
        return None
    projects = {p.id: p for p in ballot.projects}
    ranked: list[RankedProject] = []
    for i, line in enumerate(result.ranking):
        tied = bool(ranked) and ranked[-1].votes == line.votes
        rank = ranked[-1].rank if tied else i + 1
        ranked.append(RankedProject(rank, projects[line.project], line.votes, line.selected))
    return ranked
