"""설문·공모: the list of what is open. A survey or quiz itself is a step flow
(kiosk.domain.survey_flow) drawn by the generic step screens (kiosk.ui.steps).
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from contract.content import Contest, Survey
from kiosk.domain.contest import contests_open
from kiosk.domain.steps import kind_and_until
from kiosk.domain.survey import SURVEY_RESPONSE_KIND, is_open, surveys_open
from kiosk.domain.survey_flow import SurveyFlow
from kiosk.ui.flow import ProblemMessage, choice_grid
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, TitledScreen
from kiosk.ui.steps import say, step_route
from kiosk.ui.widgets import columns_for, label

log = logging.getLogger(__name__)

LIST = "surveys"


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


class SurveyListScreen(TitledScreen):
    """Route params: none. Open surveys, quizzes and contests as large cards; one sent in
    this visit shows as done and cannot be opened again."""

    title_id = "area.surveys"

    def build(self) -> None:
        env = self.env
        pack, now = env.ctx.pack, env.ctx.clock()
        surveys = surveys_open(pack, now) if pack else []
        contests = contests_open(pack, now) if pack else []
        self.message = ProblemMessage(env)
        if not surveys and not contests:
            self.only_notice("survey.list.empty", name="surveysEmpty")
            return
        self.box.addWidget(label(env.tr("survey.list.hint"), "muted"))
        cards: list[QWidget] = [self._survey_card(s) for s in surveys]
        cards += [self._contest_card(c) for c in contests]
        m = env.theme.metrics
        columns = columns_for(env.width, m.tile_px * 9, most=2)
        self.box.addWidget(self.message)
        self.box.addWidget(choice_grid(cards, columns, m.gap_px * 2))
        self.box.addStretch(1)

    def _survey_card(self, survey: Survey) -> QWidget:
        env = self.env
        assert env.ctx.pack is not None
        sent = env.shell.visit.has_sent(SURVEY_RESPONSE_KIND, survey.id)
        kind = "survey.kind.quiz" if survey.kind == "quiz" else "survey.kind.survey"
        last = (
            env.tr("survey.card.done")
            if sent
            else env.tr("survey.points", points=f"{env.ctx.pack.survey_points(survey):,}")
        )
        card = env.button(
            (say(env, kind_and_until(kind, survey.closes_at)), "tileText"),
            (survey.title.get(env.language), "tileTitle"),
            (last, "tileText"),
            name=f"survey_{survey.id}",
        )
        card.setProperty("tile", True)
        card.setEnabled(not sent)
        card.clicked.connect(lambda _=False, s=survey: self.open_survey(s))
        return card

    def _contest_card(self, contest: Contest) -> QWidget:
        env = self.env
        card = env.button(
            (say(env, kind_and_until("survey.kind.contest", contest.closes_at)), "tileText"),
            (contest.title.get(env.language), "tileTitle"),
            name=f"contest_{contest.id}",
        )
        card.setProperty("tile", True)
        card.clicked.connect(
            lambda _=False, c=contest: env.shell.navigate(Route("contest", {"contest_id": c.id}))
        )
        return card

    def open_survey(self, survey: Survey) -> None:
        now = self.env.ctx.clock()
        if not is_open(survey, now):  # closed while the list was on screen
            self.message.show_text(self.env.tr("survey.closed_now"))
            return
        log.info("survey_opened survey=%s", survey.id)
        assert self.env.ctx.pack is not None
        flow = SurveyFlow(self.env.ctx.pack, survey, now)
        self.env.shell.navigate(step_route(flow, flow.first()))


SCREENS: dict[str, type[Screen]] = {LIST: SurveyListScreen}
