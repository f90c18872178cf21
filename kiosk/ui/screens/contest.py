"""Contest (공모) screens: the contest, its entries to vote for, and writing an idea.

As in a survey, each step is a route that carries its flow object (`ContestBallot` or
`IdeaDraft`), so a rebuild keeps the resident's choices and the end of a visit drops them.
"""

from __future__ import annotations

import logging
from datetime import datetime

from contract.content import ContentPack
from kiosk.domain.contest import (
    CONTEST_ENTRY_KIND,
    CONTEST_VOTE_KIND,
    ContestBallot,
    IdeaDraft,
    IdeaField,
    idea_field_limit,
    is_open,
    takes_votes,
)
from kiosk.domain.survey import Problem
from kiosk.services import Refusal
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
    refusal_text,
    review_row,
    text_step,
    thanks_route,
    until_text,
)
from kiosk.ui.keyboard import HangulKeyboard
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.screens.share import share_button
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

CONTEST = "contest"
ENTRIES = "contest_entries"
VOTE_REVIEW = "contest_vote_review"
IDEA = "contest_idea"
IDEA_REVIEW = "contest_idea_review"


def _points(env: ScreenEnv, activity: str) -> int | None:
    pack = env.ctx.pack
    if pack is None or activity not in pack.district.points.rules:
        return None
    return pack.points_for(activity)


def _points_line(env: ScreenEnv, activity: str) -> str:
    points = _points(env, activity)
    return env.tr("survey.points", points=f"{points:,}") if points is not None else ""


class ContestScreen(Screen):
    """Route params: contest_id. What the contest is, and its two ways to take part."""

    title_id = "survey.kind.contest"

    def build(self) -> None:
        env = self.env
        pack = env.ctx.pack
        contest = pack.contest(self.params["contest_id"]) if pack else None
        self.message = ProblemMessage(env)
        if contest is None:  # the content changed under the resident
            self.box.addWidget(label(env.tr("survey.closed_now"), "notice"))
            self.box.addStretch(1)
            return
        self.contest = contest
        lang = env.language
        until = until_text(env, contest.closes_at)
        self.box.addWidget(label(f"{env.tr('survey.kind.contest')} · {until}", "muted"))
        self.box.addWidget(label(contest.title.get(lang), "title"))
        self.box.addWidget(label(contest.description.get(lang)))
        self.box.addWidget(self.message)
        visit = env.shell.visit
        if takes_votes(contest):
            sent = visit.has_sent(CONTEST_VOTE_KIND, contest.id)
            vote = env.button(
                (env.tr("contest.vote"), "tileTitle"),
                (
                    env.tr("survey.card.done") if sent else _points_line(env, "contest_vote"),
                    "tileText",
                ),
                role="primary",
                name="voteButton",
            )
            vote.setEnabled(not sent)
            vote.clicked.connect(self.on_vote_clicked)
            self.box.addWidget(vote)
        if contest.accepts_entries:
            sent = visit.has_sent(CONTEST_ENTRY_KIND, contest.id)
            idea = env.button(
                (env.tr("contest.idea"), "tileTitle"),
                (
                    env.tr("survey.card.done") if sent else _points_line(env, "contest_entry"),
                    "tileText",
                ),
                role="primary",
                name="ideaButton",
            )
            idea.setEnabled(not sent)
            idea.clicked.connect(self.on_idea_clicked)
            self.box.addWidget(idea)
        self.box.addWidget(share_button(env, contest.url, contest.title.get(lang)))
        self.box.addStretch(1)

    def _still_open(self) -> bool:
        if is_open(self.contest, self.env.ctx.clock()):
            return True
        self.message.show_text(self.env.tr("survey.closed_now"))
        return False

    def on_vote_clicked(self) -> None:
        if self._still_open():
            ballot = ContestBallot(self.contest, self.env.ctx.clock())
            self.env.shell.navigate(Route(ENTRIES, {"ballot": ballot}))

    def on_idea_clicked(self) -> None:
        if self._still_open():
            draft = IdeaDraft(self.contest, self.env.ctx.clock())
            self.env.shell.navigate(Route(IDEA, {"draft": draft, "field": "title"}))


class ContestEntriesScreen(Screen):
    """Route params: ballot. The entries with their pictures; tap to choose, up to the
    contest's limit."""

    title_id = "contest.vote"

    def build(self) -> None:
        env = self.env
        m = env.theme.metrics
        lang = env.language
        self.ballot: ContestBallot = self.params["ballot"]
        contest = self.ballot.contest
        self.box.addWidget(label(contest.title.get(lang), "muted"))
        self.box.addWidget(label(env.tr("contest.vote"), "title"))
        self.box.addWidget(label(env.tr("contest.vote.hint", max=self.ballot.max_votes), "muted"))
        self.count = label("", "strong")
        self.count.setObjectName("voteCount")
        self.box.addWidget(self.count)
        height = round(m.target_px * 2.5)
        titles = [entry.title.get(lang) for entry in contest.entries]
        card_px = max(round(height * 4 / 3), m.body_px * 10) + 2 * m.button_margin_px
        extra = choice_extra_px(m, m.tile_px)
        columns = columns_for_texts(titles, m.tile_px, env.width, m.gap_px * 2, extra, 3, card_px)
        if columns == 1:  # one entry a row: let its picture be larger
            height = round(height * 1.5)
        self.choices: list[ChoiceButton] = []
        for entry, title in zip(contest.entries, titles, strict=True):
            button = ChoiceButton(
                [
                    (title, "tileTitle"),
                    (entry.description.get(lang), "tileText"),
                    (entry.author, "muted"),
                ],
                value=entry.id,
                margin=m.button_margin_px,
                chosen_word=env.tr("contest.chosen"),
                picture=picture_view(env.ctx.asset_file(entry.image), height),
                stacked=True,
            )
            button.setObjectName(f"entry_{entry.id}")
            button.setEnabled(not self.ballot.submitted)
            button.clicked.connect(lambda _=False, e=entry.id: self.choose(e))
            self.choices.append(button)
        self.box.addWidget(choice_grid(self.choices, columns, m.gap_px * 2))
        self.message = ProblemMessage(env)
        end_step(self.box, self.message, flow_nav(env, env.shell.go_back, self.on_next).widget)
        self._sync()

    def _sync(self) -> None:
        for button in self.choices:
            button.set_selected(self.ballot.is_chosen(str(button.value)))
        self.count.setText(
            self.env.tr(
                "contest.vote.count", count=len(self.ballot.chosen), max=self.ballot.max_votes
            )
        )

    def choose(self, entry_id: str) -> None:
        problems = self.ballot.toggle(entry_id)
        self._sync()
        self.message.show_problems(problems)

    def on_next(self) -> None:
        problems = self.ballot.check()
        if problems:
            self.message.show_problems(problems)
            return
        self.env.shell.navigate(Route(VOTE_REVIEW, {"ballot": self.ballot}))


class ContestVoteReviewScreen(Screen):
    """Route params: ballot. The chosen entries, 다시 고르기, and 투표하기."""

    title_id = "contest.vote.review"

    def build(self) -> None:
        env = self.env
        m = env.theme.metrics
        lang = env.language
        self.ballot: ContestBallot = self.params["ballot"]
        contest = self.ballot.contest
        self.box.addWidget(label(env.tr("contest.vote.review"), "title"))
        self.box.addWidget(label(contest.title.get(lang), "muted"))
        entries = {e.id: e for e in contest.entries}
        for entry_id in self.ballot.chosen:
            entry = entries[entry_id]
            picture = picture_view(env.ctx.asset_file(entry.image), m.target_px * 2)
            self.box.addWidget(
                review_row(
                    env,
                    env.tr("contest.chosen"),
                    entry.title.get(lang),
                    name=entry.id,
                    picture=picture,
                )
            )
        self.message = ProblemMessage(env)
        if self.ballot.submitted:
            sent = label(env.tr("survey.review.sent"), "notice")
            sent.setObjectName("alreadySent")
            end_step(self.box, sent)
        else:
            nav = flow_nav(env, env.shell.go_back, self.on_submit, env.tr("contest.vote.submit"))
            nav.back.set_lines([env.tr("contest.vote.again")])
            nav.next.setObjectName("submitButton")
            end_step(self.box, self.message, nav.widget)

    def on_submit(self) -> None:
        env, ballot = self.env, self.ballot
        problems = ballot.submit_problems(env.ctx.clock())
        if problems:
            self.message.show_problems(problems)
            return
        outcome = env.services.acts.submit(CONTEST_VOTE_KIND, ballot.payload())
        if isinstance(outcome, Refusal):
            self.message.show_text(refusal_text(env, outcome))
            return
        ballot.mark_submitted()
        env.shell.visit.record(CONTEST_VOTE_KIND, ballot.contest.id)
        log.info("contest_voted contest=%s votes=%d", ballot.contest.id, len(ballot.chosen))
        env.shell.navigate(thanks_route(ThanksNote("thanks.vote", _points(env, "contest_vote"))))


def _idea_wording(env: ScreenEnv, problem: Problem) -> str:
    if problem.rule == "required":
        return env.tr(f"contest.idea.required.{problem.where}")
    return env.tr(problem.message_id, **problem.params)


class IdeaFieldScreen(Screen):
    """Route params: draft, field ("title" or "text"), editing (from the review). One field,
    typed on the on-screen keyboard."""

    title_id = "contest.idea"

    def title(self) -> str:
        return self.env.tr(f"contest.idea.{self.params['field']}")

    def build(self) -> None:
        env = self.env
        self.draft: IdeaDraft = self.params["draft"]
        self.field: IdeaField = self.params["field"]
        self.editing: bool = self.params.get("editing", False)
        n = 1 if self.field == "title" else 2
        progress = label(env.tr("contest.idea.progress", n=n, total=2), "strong")
        progress.setObjectName("progress")
        prompt = label(env.tr(f"contest.idea.{self.field}"), "question")
        prompt.setObjectName("prompt")
        limit = idea_field_limit(self.field)
        head = [
            progress,
            label(self.draft.contest.title.get(env.language), "muted"),
            prompt,
            label(env.tr("survey.hint.text", max=f"{limit:,}"), "muted"),
            label(env.tr("contest.idea.privacy"), "muted"),
        ]
        self.keyboard = HangulKeyboard(
            env.translator,
            env.theme.metrics,
            max_length=limit,
            multiline=self.field == "text",
            initial_text=self.draft.get(self.field),
        )
        self.keyboard.text_changed.connect(self.on_keyboard_text_changed)
        self.keyboard.done.connect(self.on_keyboard_done)
        self.keyboard.setEnabled(not self.draft.submitted)
        self.message = ProblemMessage(env)
        nav = flow_nav(env, env.shell.go_back, self.on_next)
        text_step(self, head, self.keyboard, [self.message, nav.widget])

    def _show(self, problems: list[Problem]) -> None:
        self.message.show_problems(problems, lambda p: _idea_wording(self.env, p))

    def on_keyboard_text_changed(self, text: str) -> None:
        self._show(self.draft.set(self.field, text))

    def on_keyboard_done(self, text: str) -> None:
        self.on_keyboard_text_changed(text)
        self.on_next()

    def on_next(self) -> None:
        problems = self.draft.check(self.field)
        if problems:
            self._show(problems)
            return
        # From the title to the text, unless a correction from the review has nothing left to do.
        if self.field == "title" and (not self.editing or self.draft.check("text")):
            route = Route(IDEA, {"draft": self.draft, "field": "text", "editing": self.editing})
        else:
            route = Route(IDEA_REVIEW, {"draft": self.draft})
        self.env.shell.navigate(route)


class IdeaReviewScreen(Screen):
    """Route params: draft. The title and the text with 고치기 each, and 보내기."""

    title_id = "contest.idea.review"

    def build(self) -> None:
        env = self.env
        self.draft: IdeaDraft = self.params["draft"]
        self.box.addWidget(label(env.tr("contest.idea.review"), "title"))
        self.box.addWidget(label(self.draft.contest.title.get(env.language), "muted"))
        for name in ("title", "text"):
            fix = None
            if not self.draft.submitted:
                fix = lambda _=False, f=name: self.on_fix(f)  # noqa: E731
            self.box.addWidget(
                review_row(
                    env,
                    env.tr(f"contest.idea.field.{name}"),
                    self.draft.get(name).strip(),
                    name=name,
                    on_fix=fix,
                )
            )
        self.message = ProblemMessage(env)
        if self.draft.submitted:
            sent = label(env.tr("survey.review.sent"), "notice")
            sent.setObjectName("alreadySent")
            end_step(self.box, sent)
        else:
            nav = flow_nav(env, env.shell.go_back, self.on_submit, env.tr("survey.review.submit"))
            nav.next.setObjectName("submitButton")
            end_step(self.box, self.message, nav.widget)

    def on_fix(self, field: IdeaField) -> None:
        self.env.shell.navigate(Route(IDEA, {"draft": self.draft, "field": field, "editing": True}))

    def on_submit(self) -> None:
        env, draft = self.env, self.draft
        problems = draft.submit_problems(env.ctx.clock())
        if problems:
            self.message.show_problems(problems, lambda p: _idea_wording(env, p))
            return
        outcome = env.services.acts.submit(CONTEST_ENTRY_KIND, draft.payload())
        if isinstance(outcome, Refusal):
            self.message.show_text(refusal_text(env, outcome))
            return
        draft.mark_submitted()
        env.shell.visit.record(CONTEST_ENTRY_KIND, draft.contest.id)
        log.info("contest_idea_sent contest=%s", draft.contest.id)
        env.shell.navigate(thanks_route(ThanksNote("thanks.idea", _points(env, "contest_entry"))))


SCREENS: dict[str, type[Screen]] = {
    CONTEST: ContestScreen,
    ENTRIES: ContestEntriesScreen,
    VOTE_REVIEW: ContestVoteReviewScreen,
    IDEA: IdeaFieldScreen,
    IDEA_REVIEW: IdeaReviewScreen,
}


# ---------------------------------------------------------------------------------------------
# Sample states for --render-screens and the layout audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: tuple[str, ...] = (
    CONTEST,
    ENTRIES,
    VOTE_REVIEW,
    f"{IDEA}_title",
    f"{IDEA}_text",
    IDEA_REVIEW,
)

SAMPLE_TITLE = "필동 골목 계단"
SAMPLE_TEXT = "계단에 손잡이가 생겨서 어머니와 날마다 천천히 산책합니다. 고맙습니다."


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    """A route for each of SAMPLE_NAMES from the pack's first contest; the list if none."""
    routes: dict[str, Route] = {}
    contest = next(iter(pack.contests), None)
    if contest is not None:
        when = now if is_open(contest, now) else contest.opens_at
        routes[CONTEST] = Route(CONTEST, {"contest_id": contest.id})
        if takes_votes(contest):
            ballot = ContestBallot(contest, when)
            ballot.toggle(contest.entries[0].id)
            routes[ENTRIES] = Route(ENTRIES, {"ballot": ballot})
            full = ContestBallot(contest, when)
            for entry in contest.entries[: ballot.max_votes]:
                full.toggle(entry.id)
            routes[VOTE_REVIEW] = Route(VOTE_REVIEW, {"ballot": full})
        if contest.accepts_entries:
            routes[f"{IDEA}_title"] = Route(
                IDEA, {"draft": IdeaDraft(contest, when), "field": "title"}
            )
            draft = IdeaDraft(contest, when)
            draft.set("title", SAMPLE_TITLE)
            routes[f"{IDEA}_text"] = Route(IDEA, {"draft": draft, "field": "text"})
            done = IdeaDraft(contest, when)
            done.set("title", SAMPLE_TITLE)
            done.set("text", SAMPLE_TEXT)
            routes[IDEA_REVIEW] = Route(IDEA_REVIEW, {"draft": done})
    return {name: routes.get(name, Route("surveys")) for name in SAMPLE_NAMES}
