"""The contest (공모) page: what the contest is, and its two ways to take part. Voting and
writing an idea are step flows (kiosk.domain.contest_flow) drawn by kiosk.ui.steps.
"""

from __future__ import annotations

import logging
from datetime import datetime

from contract.content import ContentPack, Contest
from kiosk.domain.contest import CONTEST_ENTRY_KIND, CONTEST_VOTE_KIND, is_open, takes_votes
from kiosk.domain.contest_flow import ContestVoteFlow, IdeaFlow
from kiosk.domain.steps import Flow, kind_and_until
from kiosk.ui.flow import TakePart, take_part_button
from kiosk.ui.navigation import Route, step_route
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.item_page import ItemPage
from kiosk.ui.steps import say
from kiosk.ui.widgets import WrapButton, label

log = logging.getLogger(__name__)

CONTEST = "contest"
VOTE = TakePart("contest.vote", "contest_vote", "voteButton", CONTEST_VOTE_KIND)
IDEA = TakePart("contest.idea", "contest_entry", "ideaButton", CONTEST_ENTRY_KIND)


class ContestScreen(ItemPage[Contest]):
    """Route params: contest_id. What the contest is, and its two ways to take part."""

    title_id = "survey.kind.contest"
    gone_id = "survey.closed_now"  # the content changed under the resident

    def item_in(self, pack: ContentPack) -> Contest | None:
        return pack.contest(self.params["contest_id"])

    def kind_line(self, contest: Contest) -> str:
        return say(self.env, kind_and_until("survey.kind.contest", contest.closes_at))

    def describe(self, contest: Contest) -> None:
        self.box.addWidget(label(contest.description.get(self.env.language)))

    def take_part(self, contest: Contest) -> list[WrapButton]:
        env, ways = self.env, []
        if takes_votes(contest):
            ways.append(take_part_button(env, VOTE, contest.id, self.on_vote_clicked))
        if contest.accepts_entries:
            ways.append(take_part_button(env, IDEA, contest.id, self.on_idea_clicked))
        return ways

    def _still_open(self) -> bool:
        if is_open(self.item, self.env.ctx.clock()):
            return True
        self.message.show_text(self.env.tr("survey.closed_now"))
        return False

    def on_vote_clicked(self) -> None:
        if self._still_open():
            self._start(ContestVoteFlow(self.pack, self.item, self.env.ctx.clock()))

    def on_idea_clicked(self) -> None:
        if self._still_open():
            self._start(IdeaFlow(self.pack, self.item, self.env.ctx.clock()))

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
