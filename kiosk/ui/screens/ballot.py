"""주민참여예산: the vote's page. Voting itself (the dong, its projects, the review, 본인 확인,
the ballot) and its published results are step flows (kiosk.domain.ballot_flow) drawn by
kiosk.ui.steps.
"""

from __future__ import annotations

import logging

from contract.content import BallotResult, BudgetVote, ProjectResult
from kiosk.domain.ballot import vote_phase
from kiosk.domain.ballot_flow import BallotFlow, ResultsFlow
from kiosk.domain.budget_proposal import takes_proposals
from kiosk.domain.budget_proposal_flow import BudgetProposalFlow, stage_words
from kiosk.domain.steps import until
from kiosk.ui.flow import ProblemMessage, TakePart, take_part_button
from kiosk.ui.navigation import step_route
from kiosk.ui.screens.base import Screen, ScreenEnv, TitledScreen
from kiosk.ui.screens.share import share_button
from kiosk.ui.steps import enter, say
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

VOTE = "budget"
# One vote a resident is the ballot act's rule (kiosk.services), not the visit's.
VOTE_ACT = TakePart("civic.budget.vote", "budget_vote", "voteButton")
# During the proposal window (before the vote opens): propose a project for a dong.
PROPOSE_ACT = TakePart("budgetproposal.open", "budget_proposal", "proposeProjectButton")


def server_results(vote: BudgetVote, env: ScreenEnv) -> list[BallotResult]:
    """The server's published rankings of this vote (GET /counts, kept by the sync worker),
    as the pack's results are: dongs of the vote with ballots counted, projects of their
    ballot. [] when the kiosk has none (not received, or the vote has not closed)."""
    published = env.services.reads.published_counts()
    if published is None:
        return []
    results = []
    for dong in published.ballot_results(vote.id):
        ballot = vote.ballot_for(dong.dong)
        if ballot is None or dong.voters == 0:
            continue
        known = {p.id for p in ballot.projects}
        lines = sorted(
            (line for line in dong.ranking if line.project_id in known), key=lambda r: -r.votes
        )
        results.append(
            BallotResult(
                dong=dong.dong,
                voters=dong.voters,
                ranking=[
                    # The server counts votes; which projects are funded the pack says later.
                    ProjectResult(project=line.project_id, votes=line.votes, selected=False)
                    for line in lines
                ],
            )
        )
    return results


def shown_vote(env: ScreenEnv) -> tuple[BudgetVote | None, bool]:
    """The pack's vote, with the server's published results when the pack has none and the
    server has some; and whether the results shown are the server's count."""
    pack = env.ctx.pack
    vote = pack.budget if pack else None
    if vote is None or vote.results:
        return vote, False
    results = server_results(vote, env)
    if not results:
        return vote, False
    return vote.model_copy(update={"results": results}), True


class BudgetVoteScreen(TitledScreen):
    """Route params: none. The vote, its period, 투표하기, the results and the phone code."""

    title_id = "area.budget"

    def build(self) -> None:
        env = self.env
        self.message = ProblemMessage(env)
        vote = self.from_pack(lambda pack: pack.budget, "civic.budget.none", name="budgetEmpty")
        if vote is None:
            return
        self.vote = vote
        lang = env.language
        self.box.addWidget(label(vote.title.get(lang), "notice"))
        now = env.ctx.clock()
        state = vote_phase(vote, now)
        proposing = takes_proposals(vote, now)
        if proposing and vote.proposals_close_at is not None:
            # During proposals their window comes first: the vote's last day would mislead.
            closes = say(env, until(vote.proposals_close_at))
            window = env.tr("budgetproposal.window", closes=closes)
            self.box.addWidget(label(window, "notice", name="proposalWindow"))
            self.pinned = take_part_button(env, PROPOSE_ACT, vote.id, self.on_propose_clicked)
        else:
            self.box.addWidget(label(say(env, until(vote.closes_at)), "strong"))
        if vote.description is not None:
            self.box.addWidget(label(vote.description.get(lang)))
        self.box.addWidget(self.message)
        if state == "open":  # in the fixed bar, in reach on arrival (issue 17, item 2)
            self.pinned = take_part_button(env, VOTE_ACT, vote.id, self.on_vote_clicked)
        stage = stage_words(vote, now)
        if stage is not None:
            self.box.addWidget(label(say(env, stage), name="proposalStage"))
        if state != "open" and not proposing:
            rule = "not_open_yet" if state == "not_open_yet" else "ballot_closed"
            closed = label(env.tr(f"civic.problem.{rule}"), "notice")
            closed.setObjectName("voteClosed")
            self.box.addWidget(closed)
        if vote.results or server_results(vote, env):
            results = env.button(env.tr("civic.budget.results"), name="resultsButton")
            results.clicked.connect(self.on_results_clicked)
            self.box.addWidget(results)
        self.box.addWidget(share_button(env, vote.url, vote.title.get(lang)))
        self.box.addStretch(1)

    def on_vote_clicked(self) -> None:
        self._start(BallotFlow, vote_phase(self.vote, self.env.ctx.clock()) == "open", "ballot")

    def on_propose_clicked(self) -> None:
        open_now = takes_proposals(self.vote, self.env.ctx.clock())
        self._start(BudgetProposalFlow, open_now, "proposals")

    def _start(
        self, flow_type: type[BallotFlow | BudgetProposalFlow], open_now: bool, stage: str
    ) -> None:
        """The vote's or the proposals' flow, when that stage is still open at the tap."""
        env = self.env
        if not open_now:
            self.message.show_text(env.tr(f"civic.problem.{stage}_closed"))
            return
        pack = env.ctx.pack
        assert pack is not None  # the vote came from it
        flow = flow_type(pack, self.vote, env.ctx.clock, own_dong=env.ctx.config.dong)
        env.shell.navigate(step_route(flow, flow.first()))

    def on_results_clicked(self) -> None:
        vote, counted_by_server = shown_vote(self.env)
        assert self.env.ctx.pack is not None and vote is not None  # the button came from them
        enter(self.env, ResultsFlow(self.env.ctx.pack, vote, counted_by_server))


SCREENS: dict[str, type[Screen]] = {VOTE: BudgetVoteScreen}
