"""주민참여예산 screens: the vote, choosing a dong, its projects, the review, and the results.

Each step is a route carrying the `BallotSession` (kiosk.domain.ballot), so a rebuild keeps the
choice and the end of a visit drops it. Sending goes through the identity step; there a second
ballot by the same resident at this kiosk is refused (kiosk.services: the vote act).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QWidget

from contract.ballot import ranking
from contract.civic import Problem
from contract.content import BallotResult, BudgetProject, BudgetVote, ContentPack, ProjectResult
from kiosk.domain.ballot import BALLOT_KIND, BallotSession, ballot_dongs, vote_phase
from kiosk.domain.money import won_text
from kiosk.services import Identified, Receipt
from kiosk.ui.flow import (
    ChoiceButton,
    ProblemMessage,
    ThanksNote,
    choice_extra_px,
    choice_grid,
    columns_for_texts,
    end_step,
    flow_nav,
    picture_view,
    receipt_line,
    refusal_text,
    review_row,
    thanks_route,
    until_text,
)
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.screens.identity import (
    SAMPLE_SERVER_KEY,
    IdentityRequest,
    OnIdentified,
    identity_route,
)
from kiosk.ui.screens.proposals import dong_name
from kiosk.ui.screens.share import share_button
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

VOTE = "budget"
DONGS = "budget_dongs"
PROJECTS = "budget_projects"
REVIEW = "budget_review"
RESULTS = "budget_results"


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


def _points(env: ScreenEnv) -> int | None:
    pack = env.ctx.pack
    if pack is None or "budget_vote" not in pack.district.points.rules:
        return None
    return pack.points_for("budget_vote")


def _problem_text(env: ScreenEnv, problem: Problem) -> str:
    return env.tr(problem.message_id, **problem.params)


def status_text(env: ScreenEnv, session: BallotSession) -> str:
    """The running total against the budget, or the picks still possible (both when both
    apply)."""
    parts = []
    if session.budget_limited:
        parts.append(
            env.tr(
                "civic.budget.status.budget",
                total=won_text(session.total_won),
                remaining=won_text(max(session.remaining_won, 0)),
            )
        )
    if session.remaining_picks is not None:
        parts.append(
            env.tr(
                "civic.budget.status.picks",
                count=len(session.selected),
                remaining=session.remaining_picks,
            )
        )
    return "\n".join(parts)


def rule_text(env: ScreenEnv, session: BallotSession) -> str:
    assert session.ballot is not None
    lines = []
    if session.budget_limited:
        lines.append(env.tr("civic.budget.rule.budget", budget=won_text(session.ballot.budget_won)))
    most = session.max_selections
    if most is not None:
        least = session.ballot.rule.min_selections
        if least > 1:
            lines.append(env.tr("civic.budget.rule.picks_min", min=least, max=most))
        else:
            lines.append(env.tr("civic.budget.rule.picks", max=most))
    return "\n".join(lines)


class BudgetVoteScreen(Screen):
    """Route params: none. The vote, its period, 투표하기, the results and the phone code."""

    title_id = "area.budget"

    def build(self) -> None:
        env = self.env
        self.box.addWidget(label(env.tr("area.budget"), "title"))
        pack = env.ctx.pack
        vote = pack.budget if pack else None
        self.message = ProblemMessage(env)
        if vote is None:
            empty = label(env.tr("civic.budget.none"), "notice")
            empty.setObjectName("budgetEmpty")
            self.box.addWidget(empty)
            self.box.addStretch(1)
            return
        self.vote = vote
        lang = env.language
        self.box.addWidget(label(vote.title.get(lang), "notice"))
        self.box.addWidget(label(until_text(env, vote.closes_at), "strong"))
        if vote.description is not None:
            self.box.addWidget(label(vote.description.get(lang)))
        self.box.addWidget(self.message)
        now = env.ctx.clock()
        state = vote_phase(vote, now)
        if state == "open":
            points = _points(env)
            start = env.button(
                (env.tr("civic.budget.vote"), "tileTitle"),
                (env.tr("survey.points", points=f"{points:,}") if points else "", "tileText"),
                role="primary",
                name="voteButton",
            )
            start.clicked.connect(self.on_vote_clicked)
            self.box.addWidget(start)
        else:
            rule = "not_open_yet" if state == "not_open_yet" else "ballot_closed"
            closed = label(env.tr(f"civic.problem.{rule}"), "notice")
            closed.setObjectName("voteClosed")
            self.box.addWidget(closed)
        if vote.results or server_results(vote, env):
            results = env.button(env.tr("civic.budget.results"), name="resultsButton")
            results.clicked.connect(
                lambda _=False: env.shell.navigate(Route(RESULTS, {"dong": None}))
            )
            self.box.addWidget(results)
        self.box.addWidget(share_button(env, vote.url, vote.title.get(lang)))
        self.box.addStretch(1)

    def on_vote_clicked(self) -> None:
        env = self.env
        if vote_phase(self.vote, env.ctx.clock()) != "open":
            self.message.show_text(env.tr("civic.problem.ballot_closed"))
            return
        env.shell.navigate(Route(DONGS, {"session": BallotSession(self.vote)}))


def dong_buttons(
    env: ScreenEnv, dongs: list[str], chosen: str | None, on_chosen: Callable[[str], None]
) -> QWidget:
    m = env.theme.metrics
    texts = [dong_name(env, d) for d in dongs]
    buttons: list[QWidget] = []
    for dong, text in zip(dongs, texts, strict=True):
        button = ChoiceButton(
            [(text, "tileTitle")],
            value=dong,
            margin=m.button_margin_px,
            chosen_word=env.tr("survey.chosen"),
            selected=dong == chosen,
        )
        button.setObjectName(f"dong_{dong}")
        button.clicked.connect(lambda _=False, d=dong: on_chosen(d))
        buttons.append(button)
    extra = choice_extra_px(m, m.tile_px)
    columns = columns_for_texts(texts, m.tile_px, env.width, m.gap_px * 2, extra, 4)
    return choice_grid(buttons, columns, m.gap_px * 2)


class BudgetDongScreen(Screen):
    """Route params: session. "어느 동에 사시나요?": the dongs, this centre's dong first."""

    title_id = "civic.budget.choose_dong"

    def build(self) -> None:
        env = self.env
        self.session: BallotSession = self.params["session"]
        self.box.addWidget(label(env.tr("civic.budget.choose_dong"), "title"))
        self.box.addWidget(label(env.tr("civic.budget.choose_dong.hint"), "muted"))
        self.message = ProblemMessage(env)
        dongs = ballot_dongs(self.session.vote, env.ctx.config.dong)
        chosen = self.session.ballot.dong if self.session.ballot else None
        self.box.addWidget(dong_buttons(env, dongs, chosen, self.on_dong))
        end_step(self.box, self.message)

    def on_dong(self, dong: str) -> None:
        problem = self.session.choose_dong(dong)
        if problem is not None:
            self.message.show_text(_problem_text(self.env, problem))
            return
        self.env.shell.navigate(Route(PROJECTS, {"session": self.session}))


class BudgetProjectsScreen(Screen):
    """Route params: session. The dong's projects with picture, cost and description; the
    running total or the remaining picks pinned under the list, in view however far the
    resident scrolls."""

    title_id = "area.budget"

    def build(self) -> None:
        env = self.env
        m = env.theme.metrics
        lang = env.language
        self.session: BallotSession = self.params["session"]
        ballot = self.session.ballot
        assert ballot is not None
        dong = dong_name(env, ballot.dong)
        self.box.addWidget(
            label(
                env.tr("civic.budget.budget", dong=dong, budget=won_text(ballot.budget_won)),
                "title",
            )
        )
        self.box.addWidget(label(rule_text(env, self.session), "strong"))
        # Body size, not banner size: pinned, it takes its height from the working area.
        self.status = label("", "pinned")
        self.status.setObjectName("ballotStatus")
        self.pinned = self.status
        projects = self.session.projects
        titles = [p.title.get(lang) for p in projects]
        height = round(m.target_px * 2.2)
        card_px = max(round(height * 4 / 3), m.body_px * 10) + 2 * m.button_margin_px
        extra = choice_extra_px(m, m.tile_px)
        columns = columns_for_texts(titles, m.tile_px, env.width, m.gap_px * 2, extra, 2, card_px)
        if columns == 1:
            height = round(height * 1.5)
        self.choices: list[ChoiceButton] = []
        for project, title in zip(projects, titles, strict=True):
            button = ChoiceButton(
                [
                    (title, "tileTitle"),
                    (env.tr("civic.budget.cost", cost=won_text(project.cost_won)), "strong"),
                    (project.description.get(lang), "tileText"),
                ],
                value=project.id,
                margin=m.button_margin_px,
                chosen_word=env.tr("civic.budget.chosen"),
                picture=picture_view(env.ctx.asset_file(project.image), height),
                stacked=True,
            )
            button.setObjectName(f"project_{project.id}")
            button.setEnabled(not self.session.submitted)
            button.clicked.connect(lambda _=False, p=project.id: self.choose(p))
            self.choices.append(button)
        self.box.addWidget(choice_grid(self.choices, columns, m.gap_px * 2))
        self.message = ProblemMessage(env)
        nav = flow_nav(env, env.shell.go_back, self.on_next)
        vote = self.session.vote
        end_step(
            self.box,
            self.message,
            nav.widget,
            share_button(env, vote.url, vote.title.get(lang)),
        )
        self._sync()

    def _sync(self) -> None:
        for button in self.choices:
            button.set_selected(self.session.is_selected(str(button.value)))
        text = status_text(self.env, self.session)
        self.status.setText(text)

    def choose(self, project_id: str) -> None:
        problem = self.session.toggle(project_id)
        self._sync()
        if problem is None:
            self.message.clear_problems()
        else:
            log.info("ballot_refused rule=%s", problem.rule)
            self.message.show_text(_problem_text(self.env, problem))

    def on_next(self) -> None:
        problems = self.session.problems()
        if problems:
            self.message.show_text(_problem_text(self.env, problems[0]))
            return
        self.env.shell.navigate(Route(REVIEW, {"session": self.session}))


class BudgetReviewScreen(Screen):
    """Route params: session. The chosen projects and their total, 다시 고르기, and
    본인 확인하고 투표하기."""

    title_id = "civic.budget.review.title"

    def build(self) -> None:
        env = self.env
        m = env.theme.metrics
        lang = env.language
        self.session: BallotSession = self.params["session"]
        review = self.session.review()
        self.box.addWidget(label(env.tr("civic.budget.review.title"), "title"))
        self.box.addWidget(label(dong_name(env, review.dong), "muted"))
        for project in review.projects:
            picture = picture_view(env.ctx.asset_file(project.image), m.target_px * 2)
            self.box.addWidget(
                review_row(
                    env,
                    env.tr("civic.budget.cost", cost=won_text(project.cost_won)),
                    project.title.get(lang),
                    name=project.id,
                    picture=picture,
                )
            )
        total = label(
            env.tr(
                "civic.budget.review.total",
                total=won_text(review.total_won),
                budget=won_text(review.budget_won),
            ),
            "notice",
        )
        total.setObjectName("ballotTotal")
        self.box.addWidget(total)
        self.message = ProblemMessage(env)
        if self.session.submitted:
            sent = label(env.tr("survey.review.sent"), "notice")
            sent.setObjectName("alreadySent")
            end_step(self.box, sent)
            return
        nav = flow_nav(env, env.shell.go_back, self.on_submit, env.tr("civic.budget.review.submit"))
        nav.back.set_lines([env.tr("civic.budget.review.again")])
        nav.next.setObjectName("submitButton")
        end_step(self.box, self.message, nav.widget)

    def on_submit(self) -> None:
        env = self.env
        problems = self.session.submit_problems(env.ctx.clock(), voted_here=False)
        if problems:
            self.message.show_text(_problem_text(env, problems[0]))
            return
        request = IdentityRequest(
            "civic.identity.purpose.ballot",
            env.services.reads.server_key(),
            _vote_with(self.session),
        )
        env.shell.navigate(identity_route(request))


def _vote_with(session: BallotSession) -> OnIdentified:
    """What the identity step hands the resident's identity to: the ballot itself."""

    def vote(env: ScreenEnv, identified: Identified) -> str | None:
        outcome = env.services.acts.vote(session, identified)
        if not isinstance(outcome, Receipt):
            return refusal_text(env, outcome)
        env.shell.visit.record(BALLOT_KIND, session.vote.id)
        note = ThanksNote(
            "civic.thanks.ballot",
            _points(env),
            (("civic.thanks.server", {}), receipt_line(outcome)),
        )
        env.shell.navigate(thanks_route(note))
        return None

    return vote


class BudgetResultsScreen(Screen):
    """Route params: dong (None: choose one). A dong's published ranking."""

    title_id = "civic.budget.results"

    def build(self) -> None:
        env = self.env
        vote, counted_by_server = shown_vote(env)
        dong: str | None = self.params.get("dong")
        ranked = ranking(vote, dong) if vote is not None and dong is not None else None
        if vote is None or not vote.results:
            self.box.addWidget(label(env.tr("civic.budget.results"), "title"))
            none = label(env.tr("civic.budget.results.none"), "notice")
            none.setObjectName("noResults")
            self.box.addWidget(none)
            self.box.addStretch(1)
            return
        if dong is None or ranked is None:
            self.box.addWidget(label(env.tr("civic.budget.results.choose"), "title"))
            dongs = [r.dong for r in vote.results]
            self.box.addWidget(
                dong_buttons(
                    env,
                    dongs,
                    None,
                    lambda d: env.shell.navigate(Route(RESULTS, {"dong": d})),
                )
            )
            self.box.addStretch(1)
            return
        result = vote.result_for(dong)
        assert result is not None
        lang = env.language
        self.box.addWidget(
            label(env.tr("civic.budget.results.title", dong=dong_name(env, dong)), "title")
        )
        self.box.addWidget(
            label(env.tr("civic.budget.results.voters", voters=result.voters), "strong")
        )
        for line in ranked:
            if counted_by_server:
                # The server's count says nothing of funding: rank and votes only.
                verdict = ""
            else:
                verdict = env.tr(
                    "civic.budget.results.selected"
                    if line.selected
                    else "civic.budget.results.not_selected"
                )
            self.box.addWidget(
                review_row(
                    env,
                    env.tr(
                        "civic.budget.results.line",
                        rank=line.rank,
                        votes=line.votes,
                        verdict=verdict,
                    ).removesuffix(" · "),
                    f"{line.project.title.get(lang)} · {won_text(line.project.cost_won)}",
                    name=line.project.id,
                )
            )
        self.box.addStretch(1)


SCREENS: dict[str, type[Screen]] = {
    VOTE: BudgetVoteScreen,
    DONGS: BudgetDongScreen,
    PROJECTS: BudgetProjectsScreen,
    REVIEW: BudgetReviewScreen,
    RESULTS: BudgetResultsScreen,
}


# ---------------------------------------------------------------------------------------------
# Sample states for --render-screens and the layout audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: tuple[str, ...] = (
    DONGS,
    PROJECTS,
    f"{PROJECTS}_budget",
    REVIEW,
    RESULTS,
    "identity_phone",
    "identity_birth",
    "identity_no_key",
)


def _cheapest_first(projects: list[BudgetProject]) -> list[BudgetProject]:
    return sorted(projects, key=lambda p: p.cost_won)


def _filled(vote: BudgetVote, dong: str) -> BallotSession:
    """A session in `dong` with as many projects chosen as its rule allows, cheapest first."""
    session = BallotSession(vote)
    session.choose_dong(dong)
    for project in _cheapest_first(session.projects):
        session.toggle(project.id)
    return session


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    routes: dict[str, Route] = {}

    def nobody(env: ScreenEnv, identified: Identified) -> str | None:
        return None

    request = IdentityRequest("civic.identity.purpose.ballot", SAMPLE_SERVER_KEY, nobody)
    request.digits["phone"] = "0101234"
    routes["identity_phone"] = identity_route(request, "phone")
    typed = IdentityRequest("civic.identity.purpose.agree", SAMPLE_SERVER_KEY, nobody)
    typed.digits = {"phone": "01012345678", "birth": "1950"}
    routes["identity_birth"] = identity_route(typed, "birth")
    routes["identity_no_key"] = identity_route(
        IdentityRequest("civic.identity.purpose.ballot", None, nobody)
    )
    vote = pack.budget
    if vote is not None:
        routes[DONGS] = Route(DONGS, {"session": BallotSession(vote)})
        first = vote.ballots[0]
        picks = BallotSession(vote)
        picks.choose_dong(first.dong)
        picks.toggle(picks.projects[0].id)
        routes[PROJECTS] = Route(PROJECTS, {"session": picks})
        limited = next((b for b in vote.ballots if b.rule.kind == "budget"), first)
        full = _filled(vote, limited.dong)
        routes[f"{PROJECTS}_budget"] = Route(PROJECTS, {"session": full})
        routes[REVIEW] = Route(REVIEW, {"session": full})
        if vote.results:
            routes[RESULTS] = Route(RESULTS, {"dong": vote.results[0].dong})
        else:
            routes[RESULTS] = Route(RESULTS, {"dong": None})
    return {name: routes.get(name, Route(VOTE)) for name in SAMPLE_NAMES}
