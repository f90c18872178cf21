"""The contest (공모) page: what the contest is, and its two ways to take part. Voting and
writing an idea are step flows (kiosk.domain.contest_flow) drawn by kiosk.ui.steps.
"""

from __future__ import annotations

import logging
from datetime import datetime

from contract.content import ContentPack
from kiosk.domain.contest import CONTEST_ENTRY_KIND, CONTEST_VOTE_KIND, is_open, takes_votes
from kiosk.domain.contest_flow import ContestVoteFlow, IdeaFlow
from kiosk.domain.steps import Flow, kind_and_until
from kiosk.ui.flow import ProblemMessage, TakePart, take_part_button
from kiosk.ui.navigation import Route, step_route
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.share import share_button
from kiosk.ui.steps import say
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

CONTEST = "contest"
VOTE = TakePart("contest.vote", "contest_vote", "voteButton", CONTEST_VOTE_KIND)
IDEA = TakePart("contest.idea", "contest_entry", "ideaButton", CONTEST_ENTRY_KIND)


class ContestScreen(Screen):
    """Route params: contest_id. What the contest is, and its two ways to take part."""

    title_id = "survey.kind.contest"

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        contest = pack.contest(self.params["contest_id"]) if pack else None
        self.message = ProblemMessage(env)
        if contest is None:  # the content changed under the resident
            self.only_notice("survey.closed_now")
            return
        self.contest = contest
        lang = env.language
        kind = say(env, kind_and_until("survey.kind.contest", contest.closes_at))
        self.box.addWidget(label(kind, "muted"))
        self.box.addWidget(label(contest.title.get(lang), "title"))
        self.box.addWidget(label(contest.description.get(lang)))
        self.box.addWidget(self.message)
        if takes_votes(contest):
            self.box.addWidget(take_part_button(env, VOTE, contest.id, self.on_vote_clicked))
        if contest.accepts_entries:
            self.box.addWidget(take_part_button(env, IDEA, contest.id, self.on_idea_clicked))
        self.box.addWidget(share_button(env, contest.url, contest.title.get(lang)))
        self.box.addStretch(1)

    def _still_open(self) -> bool:
        if is_open(self.contest, self.env.ctx.clock()):
            return True
        self.message.show_text(self.env.tr("survey.closed_now"))
        return False

    def on_vote_clicked(self) -> None:
        if self._still_open():
            self._start(ContestVoteFlow(self._pack(), self.contest, self.env.ctx.clock()))

    def on_idea_clicked(self) -> None:
        if self._still_open():
            self._start(IdeaFlow(self._pack(), self.contest, self.env.ctx.clock()))

    def _pack(self) -> ContentPack:
        assert self.env.ctx.pack is not None  # the contest came from it
        return self.env.ctx.pack

    def _start(self, flow: Flow) -> None:
        self.env.shell.navigate(step_route(flow, flow.first()))


SCREENS: dict[str, type[Screen]] = {CONTEST: ContestScreen}


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    """The contest page of the pack's first contest; the list if there is none. (Its steps are
    drawn at sample places of its flows: kiosk.domain.contest_flow.samples.)"""
    contest = next(iter(pack.contests), None)
    route = Route(CONTEST, {"contest_id": contest.id}) if contest else Route("surveys")
    return {CONTEST: route}


SAMPLE_NAMES: tuple[str, ...] = (CONTEST,)
