"""정책제안 하기: writing a new proposal at the kiosk.

The dong and the topic are chosen on large buttons, the title and the text are typed on the
on-screen Hangul keyboard (as a contest idea is), a review shows all four with 고치기 each, and
본인 확인 (the identity keypad) comes last, so the points for the proposal go to its author.
Each step is a route carrying the `ProposalDraft` (kiosk.domain.proposals holds its rules), so a
rebuild keeps what was typed and an idle reset, which drops the routes, discards it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from PySide6.QtWidgets import QLabel

from contract.civic import Problem
from contract.content import ContentPack
from kiosk.domain.proposals import (
    PROPOSAL_KIND,
    ProposalDraft,
    TextField,
    draft_message_id,
    proposal_topics,
)
from kiosk.domain.proposals import TEXT_LIMITS as LIMITS
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
    receipt_line,
    refusal_text,
    review_row,
    text_step,
    thanks_route,
)
from kiosk.ui.keyboard import HangulKeyboard
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.screens.identity import (
    IdentityRequest,
    OnIdentified,
    identity_route,
)
from kiosk.ui.screens.proposals import dong_name, topic_name
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

NEW_DONG = "proposal_new_dong"
NEW_TOPIC = "proposal_new_topic"
NEW_TEXT = "proposal_new_text"
NEW_REVIEW = "proposal_new_review"
STEPS = 4  # dong, topic, title, text


def new_proposal_route(pack: ContentPack) -> Route:
    """Where writing a proposal starts: an empty draft, at the choice of dong."""
    return Route(NEW_DONG, {"draft": ProposalDraft(pack)})


def wording(env: ScreenEnv, problem: Problem) -> str:
    """A refusal of the draft's rules, naming the field it is about."""
    return env.tr(draft_message_id(problem), **problem.params)


def _points(env: ScreenEnv) -> int | None:
    pack = env.ctx.pack
    if pack is None or "proposal" not in pack.district.points.rules:
        return None
    return pack.points_for("proposal")


def _progress(env: ScreenEnv, n: int) -> QLabel:
    progress = label(env.tr("newproposal.progress", n=n, total=STEPS), "strong")
    progress.setObjectName("progress")
    return progress


def _next_after(draft: ProposalDraft, step: str, editing: bool) -> Route:
    """The step after `step`: the next one, or back to the review when correcting from it and
    nothing after it is missing."""
    order: tuple[Literal["dong", "topic"] | TextField, ...] = ("dong", "topic", "title", "body")
    for later in order[order.index(step) + 1 :]:
        if later == "dong" or later == "topic":
            missing = getattr(draft, later) is None
        else:
            missing = bool(draft.check_text(later))
        if not editing or missing:
            if later == "topic":
                return Route(NEW_TOPIC, {"draft": draft, "editing": editing})
            return Route(NEW_TEXT, {"draft": draft, "field": later, "editing": editing})
    return Route(NEW_REVIEW, {"draft": draft})


class ChoiceStepScreen(Screen):
    """Route params: draft, editing. The dong or the topic, on large buttons, then 다음."""

    title_id = "newproposal.title"
    step = "dong"

    def options(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def build(self) -> None:
        env = self.env
        m = env.theme.metrics
        self.draft: ProposalDraft = self.params["draft"]
        self.editing: bool = self.params.get("editing", False)
        self.box.addWidget(_progress(env, 1 if self.step == "dong" else 2))
        prompt = label(env.tr(f"newproposal.{self.step}"), "question")
        prompt.setObjectName("prompt")
        self.box.addWidget(prompt)
        options = self.options()
        current = getattr(self.draft, self.step)
        self.choices: list[ChoiceButton] = []
        for value, text in options:
            button = ChoiceButton(
                [(text, "tileTitle")],
                value=value,
                margin=m.button_margin_px,
                chosen_word=env.tr("survey.chosen"),
                selected=value == current,
            )
            button.setObjectName(f"{self.step}_{value}")
            button.setEnabled(not self.draft.submitted)
            button.clicked.connect(lambda _=False, v=value: self.choose(v))
            self.choices.append(button)
        extra = choice_extra_px(m, m.tile_px)
        texts = [text for _, text in options]
        columns = columns_for_texts(texts, m.tile_px, env.width, m.gap_px * 2, extra, 4)
        self.box.addWidget(choice_grid(self.choices, columns, m.gap_px * 2))
        self.message = ProblemMessage(env)
        end_step(self.box, self.message, flow_nav(env, env.shell.go_back, self.on_next).widget)

    def choose(self, value: str) -> None:
        setter = self.draft.set_dong if self.step == "dong" else self.draft.set_topic
        problems = setter(value)
        for button in self.choices:
            button.set_selected(button.value == getattr(self.draft, self.step))
        self.message.show_problems(problems, self._wording)

    def on_next(self) -> None:
        if getattr(self.draft, self.step) is None:
            required = [Problem(self.step, "required")]
            self.message.show_problems(required, self._wording)
            return
        self.env.shell.navigate(_next_after(self.draft, self.step, self.editing))

    def _wording(self, problem: Problem) -> str:
        return wording(self.env, problem)


class DongStepScreen(ChoiceStepScreen):
    step = "dong"

    def options(self) -> list[tuple[str, str]]:
        env = self.env
        dongs = list(self.draft.pack.district.dongs)
        own = env.ctx.config.dong
        dongs.sort(key=lambda d: d.id != own)  # the centre's own dong first
        return [(d.id, d.name.get(env.language)) for d in dongs]


class TopicStepScreen(ChoiceStepScreen):
    step = "topic"

    def options(self) -> list[tuple[str, str]]:
        return [(t, topic_name(self.env, t)) for t in proposal_topics()]


class TextStepScreen(Screen):
    """Route params: draft, field ("title" or "body"), editing. One field, typed on the
    on-screen keyboard."""

    title_id = "newproposal.title"

    def build(self) -> None:
        env = self.env
        self.draft: ProposalDraft = self.params["draft"]
        self.field: TextField = self.params["field"]
        self.editing: bool = self.params.get("editing", False)
        shortest, longest = LIMITS[self.field]
        prompt = label(env.tr(f"newproposal.text.{self.field}"), "question")
        prompt.setObjectName("prompt")
        head = [
            _progress(env, 3 if self.field == "title" else 4),
            prompt,
            label(env.tr("newproposal.text.hint", min=shortest, max=f"{longest:,}"), "muted"),
            label(env.tr("newproposal.privacy"), "muted"),
        ]
        self.keyboard = HangulKeyboard(
            env.translator,
            env.theme.metrics,
            max_length=longest,
            multiline=self.field == "body",
            initial_text=self.draft.get(self.field),
        )
        self.keyboard.text_changed.connect(self.on_keyboard_text_changed)
        self.keyboard.done.connect(self.on_keyboard_done)
        self.keyboard.setEnabled(not self.draft.submitted)
        self.message = ProblemMessage(env)
        nav = flow_nav(env, env.shell.go_back, self.on_next)
        text_step(self, head, self.keyboard, [self.message, nav.widget])

    def _show(self, problems: list[Problem]) -> None:
        self.message.show_problems(problems, self._wording)

    def _wording(self, problem: Problem) -> str:
        return wording(self.env, problem)

    def on_keyboard_text_changed(self, text: str) -> None:
        self._show(self.draft.set_text(self.field, text))

    def on_keyboard_done(self, text: str) -> None:
        self.on_keyboard_text_changed(text)
        self.on_next()

    def on_next(self) -> None:
        problems = self.draft.check_text(self.field)
        if problems:
            self._show(problems)
            return
        self.env.shell.navigate(_next_after(self.draft, self.field, self.editing))


class ReviewScreen(Screen):
    """Route params: draft. The four parts with 고치기 each, then 본인 확인하고 보내기."""

    title_id = "newproposal.review"

    def build(self) -> None:
        env = self.env
        self.draft: ProposalDraft = self.params["draft"]
        draft = self.draft
        self.box.addWidget(label(env.tr("newproposal.review"), "title"))
        self.box.addWidget(label(env.tr("newproposal.review.hint"), "muted"))
        answers = {
            "dong": dong_name(env, draft.dong) if draft.dong else "",
            "topic": topic_name(env, draft.topic) if draft.topic else "",
            "title": draft.get("title").strip(),
            "body": draft.get("body").strip(),
        }
        for name, answer in answers.items():
            fix = None
            if not draft.submitted:
                fix = lambda _=False, f=name: self.on_fix(f)  # noqa: E731
            self.box.addWidget(
                review_row(env, env.tr(f"newproposal.field.{name}"), answer, name=name, on_fix=fix)
            )
        points = _points(env)
        if points is not None:
            self.box.addWidget(label(env.tr("survey.points", points=f"{points:,}"), "strong"))
        self.message = ProblemMessage(env)
        if draft.submitted:
            sent = label(env.tr("survey.review.sent"), "notice")
            sent.setObjectName("alreadySent")
            end_step(self.box, sent)
        else:
            nav = flow_nav(env, env.shell.go_back, self.on_submit, env.tr("newproposal.submit"))
            nav.next.setObjectName("submitButton")
            end_step(self.box, self.message, nav.widget)

    def on_fix(self, name: str) -> None:
        if name == "dong":
            route = Route(NEW_DONG, {"draft": self.draft, "editing": True})
        elif name == "topic":
            route = Route(NEW_TOPIC, {"draft": self.draft, "editing": True})
        else:
            route = Route(NEW_TEXT, {"draft": self.draft, "field": name, "editing": True})
        self.env.shell.navigate(route)

    def on_submit(self) -> None:
        env = self.env
        problems = self.draft.problems()
        if problems:
            self.message.show_problems(problems, lambda p: wording(env, p))
            return
        request = IdentityRequest(
            "newproposal.purpose", env.services.reads.server_key(), _send(self.draft)
        )
        env.shell.navigate(identity_route(request))


def _send(draft: ProposalDraft) -> OnIdentified:
    """What the identity step hands the resident's identity to: sending the proposal."""

    def send(env: ScreenEnv, identified: Identified) -> str | None:
        outcome = env.services.acts.propose(draft, identified)
        if not isinstance(outcome, Receipt):
            return refusal_text(env, outcome)
        env.shell.visit.record(PROPOSAL_KIND, str(outcome.envelope_id))
        note = ThanksNote(
            "newproposal.thanks",
            _points(env),
            (
                (
                    "newproposal.thanks.threshold",
                    {"threshold": draft.pack.district.proposal_threshold},
                ),
                receipt_line(outcome),
            ),
        )
        env.shell.navigate(thanks_route(note))
        return None

    return send


SCREENS: dict[str, type[Screen]] = {
    NEW_DONG: DongStepScreen,
    NEW_TOPIC: TopicStepScreen,
    NEW_TEXT: TextStepScreen,
    NEW_REVIEW: ReviewScreen,
}


# ---------------------------------------------------------------------------------------------
# Sample states for --render-screens and the layout audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: tuple[str, ...] = (
    NEW_DONG,
    NEW_TOPIC,
    f"{NEW_TEXT}_title",
    f"{NEW_TEXT}_body",
    NEW_REVIEW,
)

SAMPLE_TITLE = "골목에 쉼터 의자를 놓아 주세요"
SAMPLE_BODY = (
    "큰길에서 시장까지 오르막이 길어서 어르신들이 쉬어 갈 곳이 없습니다. "
    "골목 중간에 등받이 있는 의자를 두 개만 놓아 주세요."
)


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    """A route for each of SAMPLE_NAMES, filled from the pack's first dong."""
    dong = pack.district.dongs[0].id
    chosen = ProposalDraft(pack)
    chosen.set_dong(dong)
    titled = ProposalDraft(pack)
    titled.set_dong(dong)
    titled.set_topic("welfare")
    titled.set_text("title", SAMPLE_TITLE)
    done = ProposalDraft(pack)
    done.set_dong(dong)
    done.set_topic("welfare")
    done.set_text("title", SAMPLE_TITLE)
    done.set_text("body", SAMPLE_BODY)
    return {
        NEW_DONG: Route(NEW_DONG, {"draft": ProposalDraft(pack)}),
        NEW_TOPIC: Route(NEW_TOPIC, {"draft": chosen}),
        f"{NEW_TEXT}_title": Route(NEW_TEXT, {"draft": chosen, "field": "title"}),
        f"{NEW_TEXT}_body": Route(NEW_TEXT, {"draft": titled, "field": "body"}),
        NEW_REVIEW: Route(NEW_REVIEW, {"draft": done}),
    }
