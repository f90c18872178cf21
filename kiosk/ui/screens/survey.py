"""설문·공모 screens: the list of what is open, and a survey or quiz from start to thank-you.

Each step of a survey is its own route, carrying the `SurveySession` (the answers) and the
`Step` (where): the bar's 이전 and the flow's 이전 both go back one step, and a rebuild for
text size, language or theme shows the same step with the same answers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from contract.content import (
    ContentPack,
    Contest,
    ImageChoiceQuestion,
    LongTextQuestion,
    MultipleChoiceQuestion,
    Question,
    ScaleQuestion,
    ShortTextQuestion,
    SingleChoiceQuestion,
    Survey,
    YesNoQuestion,
)
from kiosk.domain.contest import contests_open
from kiosk.domain.survey import (
    SURVEY_RESPONSE_KIND,
    Answer,
    Step,
    SurveySession,
    is_open,
    surveys_open,
)
from kiosk.services import Refusal
from kiosk.ui.flow import (
    ChoiceButton,
    FaceIcon,
    ProblemMessage,
    ThanksNote,
    choice_extra_px,
    choice_grid,
    columns_for_texts,
    end_step,
    flow_nav,
    marked_line,
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
from kiosk.ui.widgets import columns_for, label

log = logging.getLogger(__name__)

LIST = "surveys"
INTRO = "survey_intro"
QUESTION = "survey_question"
FEEDBACK = "survey_feedback"
REVIEW = "survey_review"


def step_route(session: SurveySession, step: Step) -> Route:
    """The route that shows `step` of `session`."""
    if step.kind == "review":
        return Route(REVIEW, {"session": session})
    screen = QUESTION if step.kind == "question" else FEEDBACK
    return Route(screen, {"session": session, "step": step})


def answer_text(env: ScreenEnv, question: Question, value: Answer | None) -> str:
    """An answer in words, as the review and the quiz feedback show it."""
    lang = env.language
    if value is None:
        return env.tr("survey.review.skipped")
    if isinstance(question, SingleChoiceQuestion | ImageChoiceQuestion):
        option = question.option(str(value))
        return option.label.get(lang) if option else str(value)
    if isinstance(question, MultipleChoiceQuestion) and isinstance(value, tuple):
        return ", ".join(o.label.get(lang) for o in question.options if o.id in value)
    if isinstance(question, ScaleQuestion) and isinstance(value, int):
        return f"{question.labels[value - 1].get(lang)} ({env.tr('survey.scale.point', n=value)})"
    if isinstance(question, YesNoQuestion):
        return env.tr("survey.yes" if value else "survey.no")
    return str(value)


def kind_and_until(env: ScreenEnv, kind_id: str, item: Survey | Contest) -> str:
    """ "설문 · 2027년 3월 31일까지": what an item is and its last day."""
    return f"{env.tr(kind_id)} · {until_text(env, item.closes_at)}"


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


class SurveyListScreen(Screen):
    """Route params: none. Open surveys, quizzes and contests as large cards; one sent in
    this visit shows as done and cannot be opened again."""

    title_id = "area.surveys"

    def build(self) -> None:
        env = self.env
        self.box.addWidget(label(env.tr("area.surveys"), "title"))
        pack, now = env.ctx.pack, env.ctx.clock()
        surveys = surveys_open(pack, now) if pack else []
        contests = contests_open(pack, now) if pack else []
        self.message = ProblemMessage(env)
        if not surveys and not contests:
            empty = label(env.tr("survey.list.empty"), "notice")
            empty.setObjectName("surveysEmpty")
            self.box.addWidget(empty)
            self.box.addStretch(1)
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
            (kind_and_until(env, kind, survey), "tileText"),
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
            (kind_and_until(env, "survey.kind.contest", contest), "tileText"),
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
        self.env.shell.navigate(Route(INTRO, {"session": SurveySession(survey, now)}))


# ---------------------------------------------------------------------------------------------
# A survey
# ---------------------------------------------------------------------------------------------


class SurveyIntroScreen(Screen):
    """Route params: session. What the survey is about, how long it is open, its points."""

    title_id = "survey.intro.start"

    def title(self) -> str:
        session: SurveySession = self.params["session"]
        return session.survey.title.get(self.env.language)

    def build(self) -> None:
        env = self.env
        session: SurveySession = self.params["session"]
        survey = session.survey
        kind = "survey.kind.quiz" if session.is_quiz else "survey.kind.survey"
        self.box.addWidget(label(kind_and_until(env, kind, survey), "muted"))
        self.box.addWidget(label(survey.title.get(env.language), "title"))
        self.box.addWidget(label(survey.description.get(env.language)))
        if env.ctx.pack is not None:
            points = env.ctx.pack.survey_points(survey)
            self.box.addWidget(label(env.tr("survey.points", points=f"{points:,}"), "strong"))
        self.box.addWidget(label(env.tr("survey.intro.how"), "muted"))
        self.box.addWidget(share_button(env, survey.url, survey.title.get(env.language)))
        nav = flow_nav(env, env.shell.go_back, self.on_start_clicked, env.tr("survey.intro.start"))
        nav.next.setObjectName("startButton")
        end_step(self.box, nav.widget)

    def on_start_clicked(self) -> None:
        session: SurveySession = self.params["session"]
        self.env.shell.navigate(step_route(session, session.first_step()))


class SurveyQuestionScreen(Screen):
    """Route params: session, step (a "question" step). One question, in very large type."""

    def title(self) -> str:
        return self.question.prompt.get(self.env.language)

    def build(self) -> None:
        env = self.env
        self.session: SurveySession = self.params["session"]
        self.step: Step = self.params["step"]
        self.question: Question = self.session.question(self.step.question_id)
        q = self.question
        self.choices: list[ChoiceButton] = []
        self.keyboard: HangulKeyboard | None = None
        n, total = self.session.progress(q.id)
        progress = label(env.tr("survey.progress", n=n, total=total), "strong")
        progress.setObjectName("progress")
        prompt = label(q.prompt.get(env.language), "question")
        prompt.setObjectName("prompt")
        head = [
            progress,
            label(self.session.survey.title.get(env.language), "muted"),
            prompt,
            label(self._hint(q), "muted"),
        ]
        if not q.required:
            head.append(label(env.tr("survey.optional"), "muted"))
        locked = self.session.is_locked(q.id)
        if locked:
            head.append(label(env.tr("survey.locked"), "error"))
        if not self.session.is_visible(q.id):
            head.append(label(env.tr("survey.hidden_now"), "error"))
        answers = self._answers(q)
        for button in self.choices:
            button.setEnabled(not locked and not self.session.submitted)
        self.message = ProblemMessage(env)
        next_text = env.tr("quiz.check") if self.session.is_quiz and not locked else None
        nav = flow_nav(env, env.shell.go_back, self.on_next, next_text)
        if self.keyboard is not None:
            text_step(self, head, self.keyboard, [self.message, nav.widget])
            return
        for widget in head:
            self.box.addWidget(widget)
        self.box.addWidget(answers)
        end_step(self.box, self.message, nav.widget)

    def _hint(self, q: Question) -> str:
        tr = self.env.tr
        if isinstance(q, MultipleChoiceQuestion):
            if q.min_select == q.max_select:
                return tr("survey.hint.multiple_exact", max=q.max_select)
            if q.min_select == 1 and q.max_select == len(q.options):
                return tr("survey.hint.multiple_all")
            if q.min_select == 1:
                return tr("survey.hint.multiple_upto", max=q.max_select)
            return tr("survey.hint.multiple", min=q.min_select, max=q.max_select)
        if isinstance(q, ImageChoiceQuestion):
            return tr("survey.hint.image")
        if isinstance(q, SingleChoiceQuestion):
            return tr("survey.hint.single")
        if isinstance(q, ScaleQuestion):
            return tr("survey.hint.scale")
        if isinstance(q, YesNoQuestion):
            return tr("survey.hint.yes_no")
        assert isinstance(q, ShortTextQuestion | LongTextQuestion)
        return tr("survey.hint.text", max=f"{q.max_length:,}")

    # -- the answer area, by question type --------------------------------------------------

    def _answers(self, q: Question) -> QWidget:
        if isinstance(q, ImageChoiceQuestion):
            return self._image_choices(q)
        if isinstance(q, SingleChoiceQuestion | MultipleChoiceQuestion):
            return self._list_choices(q)
        if isinstance(q, ScaleQuestion):
            return self._scale(q)
        if isinstance(q, YesNoQuestion):
            return self._yes_no()
        assert isinstance(q, ShortTextQuestion | LongTextQuestion)
        return self._text(q)

    def _choice(
        self,
        lines: Sequence[tuple[str, str | None]],
        value: Answer,
        *,
        picture: QWidget | None = None,
        stacked: bool = False,
    ) -> ChoiceButton:
        env = self.env
        m = env.theme.metrics
        button = ChoiceButton(
            lines,
            value=value,
            margin=m.button_margin_px,
            chosen_word=env.tr("survey.chosen"),
            picture=picture,
            stacked=stacked,
        )
        button.setObjectName(f"choice_{value}")
        button.clicked.connect(lambda _=False, v=value: self.choose(v))
        self.choices.append(button)
        return button

    def _grid(
        self, texts: list[str], most: int, extra: int, min_px: int = 0, font_px: int = 0
    ) -> int:
        m = self.env.theme.metrics
        return columns_for_texts(
            texts, font_px or m.tile_px, self.env.width, m.gap_px * 2, extra, most, min_px
        )

    def _wide(self) -> bool:
        """A landscape working area, where lists of answers may take two columns."""
        return self.env.width >= self.env.theme.metrics.target_px * 15

    def _extra_px(self) -> int:
        m = self.env.theme.metrics
        return choice_extra_px(m, m.tile_px)

    def _list_choices(self, q: SingleChoiceQuestion | MultipleChoiceQuestion) -> QWidget:
        lang = self.env.language
        texts = [o.label.get(lang) for o in q.options]
        buttons = [
            self._choice([(text, "tileTitle")], o.id)
            for o, text in zip(q.options, texts, strict=True)
        ]
        columns = self._grid(texts, 2 if self._wide() else 1, self._extra_px())
        self._sync_choices()
        return choice_grid(buttons, columns, self.env.theme.metrics.gap_px * 2)

    def _image_choices(self, q: ImageChoiceQuestion) -> QWidget:
        m = self.env.theme.metrics
        lang = self.env.language
        texts = [o.label.get(lang) for o in q.options]
        height = round(m.target_px * 2.2)
        picture_px = round(height * 4 / 3) + 2 * m.button_margin_px + 2 * m.focus_px
        columns = self._grid(texts, 4, self._extra_px(), picture_px)
        if columns == 1:  # one picture a row: let it be larger
            height = round(height * 1.6)
        buttons = [
            self._choice(
                [(text, "tileTitle")],
                o.id,
                picture=picture_view(self.env.ctx.asset_file(o.image or ""), height),
                stacked=True,
            )
            for o, text in zip(q.options, texts, strict=True)
        ]
        self._sync_choices()
        return choice_grid(buttons, columns, m.gap_px * 2)

    def _scale(self, q: ScaleQuestion) -> QWidget:
        m = self.env.theme.metrics
        lang = self.env.language
        texts = [lab.get(lang) for lab in q.labels]
        face_px = round(m.body_px * 1.8)
        # Five faces side by side when they fit, else one below the other with the face first.
        stacked = self._grid(texts, 5, self._extra_px(), face_px) == 5
        buttons = []
        for point, text in enumerate(texts, start=1):
            words = [(text, "tileTitle"), (self.env.tr("survey.scale.point", n=point), "muted")]
            face = FaceIcon(point, face_px)
            button = self._choice(words, point, stacked=stacked, picture=face)
            face.ink_from = button.lines[0]  # drawn in the colour of the button's words
            buttons.append(button)
        self._sync_choices()
        return choice_grid(buttons, 5 if stacked else 1, m.gap_px * 2)

    def _yes_no(self) -> QWidget:
        m = self.env.theme.metrics
        texts = [self.env.tr("survey.yes"), self.env.tr("survey.no")]
        buttons = [
            self._choice([(texts[0], "title")], True, stacked=True),
            self._choice([(texts[1], "title")], False, stacked=True),
        ]
        for b in buttons:
            b.setProperty("tile", True)  # as tall as the home tiles
        extra = choice_extra_px(m, m.title_px)
        columns = self._grid(texts, 2, extra, font_px=m.title_px)
        self._sync_choices()
        return choice_grid(buttons, columns, m.gap_px * 2)

    def _text(self, q: ShortTextQuestion | LongTextQuestion) -> QWidget:
        value = self.session.value(q.id)
        keyboard = HangulKeyboard(
            self.env.translator,
            self.env.theme.metrics,
            max_length=q.max_length,
            multiline=isinstance(q, LongTextQuestion),
            initial_text=value if isinstance(value, str) else "",
        )
        keyboard.text_changed.connect(self.on_keyboard_text_changed)
        keyboard.done.connect(self.on_keyboard_done)
        keyboard.setEnabled(not self.session.submitted)
        self.keyboard = keyboard
        return keyboard

    # -- answering ----------------------------------------------------------------------------

    def choose(self, value: Answer) -> None:
        q = self.question
        if isinstance(q, MultipleChoiceQuestion):
            problems = self.session.toggle(q.id, str(value))
        else:
            problems = self.session.answer(q.id, value)
        self._sync_choices()
        self.message.show_problems(problems)

    def _sync_choices(self) -> None:
        value = self.session.value(self.question.id)
        for button in self.choices:
            if isinstance(value, tuple):
                chosen = button.value in value
            else:
                chosen = (
                    value is not None
                    and button.value == value
                    and (type(button.value) is type(value))
                )
            button.set_selected(chosen)

    def on_keyboard_text_changed(self, text: str) -> None:
        self.message.show_problems(self.session.answer(self.question.id, text))

    def on_keyboard_done(self, text: str) -> None:
        self.on_keyboard_text_changed(text)
        self.on_next()

    def on_next(self) -> None:
        result = self.session.advance(self.step)
        if not result.moved:
            self.message.show_problems(result.problems)
            return
        self.env.shell.navigate(step_route(self.session, result.step))


class QuizFeedbackScreen(Screen):
    """Route params: session, step (a "feedback" step). Right or wrong, in words and a drawn
    mark, the right answer and why."""

    title_id = "quiz.check"

    def build(self) -> None:
        env = self.env
        session: SurveySession = self.params["session"]
        self.session, self.step = session, self.params["step"]
        q = session.question(self.step.question_id)
        feedback = session.feedback(q.id)
        n, total = session.progress(q.id)
        progress = label(env.tr("survey.progress", n=n, total=total), "strong")
        progress.setObjectName("progress")
        self.box.addWidget(progress)
        self.box.addWidget(label(q.prompt.get(env.language), "strong"))
        card = QFrame()
        card.setProperty("role", "card")
        inside = QVBoxLayout(card)
        pad = env.theme.metrics.gap_px * 2
        inside.setContentsMargins(pad, pad, pad, pad)
        verdict = marked_line(
            "right" if feedback.correct else "wrong",
            env.tr("quiz.right" if feedback.correct else "quiz.wrong"),
            "title",
            scale=1.4,
        )
        verdict.setObjectName("verdict")
        inside.addWidget(verdict)
        yours = answer_text(env, q, session.value(q.id))
        inside.addWidget(label(env.tr("quiz.your_answer", answer=yours)))
        right = label(
            env.tr("quiz.right_answer", answer=answer_text(env, q, feedback.right_answer)), "strong"
        )
        right.setObjectName("rightAnswer")
        inside.addWidget(right)
        self.box.addWidget(card)
        explanation = label(feedback.explanation.get(env.language), "notice")
        explanation.setObjectName("explanation")
        self.box.addWidget(explanation)
        end_step(self.box, flow_nav(env, env.shell.go_back, self.on_next).widget)

    def on_next(self) -> None:
        result = self.session.advance(self.step)
        self.env.shell.navigate(step_route(self.session, result.step))


class SurveyReviewScreen(Screen):
    """Route params: session. Every shown question with its answer and 고치기 (a quiz shows
    right/wrong instead), then 보내기: one envelope, durable before the thank-you."""

    title_id = "survey.review.title"

    def build(self) -> None:
        env = self.env
        session: SurveySession = self.params["session"]
        self.session = session
        self.box.addWidget(label(env.tr("survey.review.title"), "title"))
        self.box.addWidget(label(session.survey.title.get(env.language), "muted"))
        if session.is_quiz:
            score = session.score()
            line = label(env.tr("quiz.score", correct=score.correct, total=score.total), "notice")
            line.setObjectName("quizScore")
            self.box.addWidget(line)
        elif not session.submitted:
            self.box.addWidget(label(env.tr("survey.review.hint"), "muted"))
        for item in session.review():
            q = item.question
            fix = None
            if item.editable and not session.submitted:
                fix = lambda _=False, qid=q.id: self.on_fix(qid)  # noqa: E731
            self.box.addWidget(
                review_row(
                    env,
                    q.prompt.get(env.language),
                    answer_text(env, q, item.value),
                    name=q.id,
                    on_fix=fix,
                    right=item.correct,
                )
            )
        self.message = ProblemMessage(env)
        if session.submitted:
            sent = label(env.tr("survey.review.sent"), "notice")
            sent.setObjectName("alreadySent")
            end_step(self.box, sent)
        else:
            nav = flow_nav(
                env, env.shell.go_back, self.on_submit_clicked, env.tr("survey.review.submit")
            )
            nav.next.setObjectName("submitButton")
            end_step(self.box, self.message, nav.widget)

    def on_fix(self, question_id: str) -> None:
        self.env.shell.navigate(step_route(self.session, self.session.edit(question_id)))

    def on_submit_clicked(self) -> None:
        env, session = self.env, self.session
        problems = session.submit_problems(env.ctx.clock())
        if problems:
            self.message.show_problems(problems)
            return
        outcome = env.services.acts.submit(SURVEY_RESPONSE_KIND, session.payload())
        if isinstance(outcome, Refusal):
            self.message.show_text(refusal_text(env, outcome))
            return
        session.mark_submitted()
        env.shell.visit.record(SURVEY_RESPONSE_KIND, session.survey.id)
        log.info("survey_submitted survey=%s", session.survey.id)
        points = env.ctx.pack.survey_points(session.survey) if env.ctx.pack else None
        if session.is_quiz:
            score = session.score()
            note = ThanksNote(
                "thanks.quiz",
                points,
                (("quiz.score", {"correct": score.correct, "total": score.total}),),
            )
        else:
            note = ThanksNote("thanks.survey", points)
        env.shell.navigate(thanks_route(note))


SCREENS: dict[str, type[Screen]] = {
    LIST: SurveyListScreen,
    INTRO: SurveyIntroScreen,
    QUESTION: SurveyQuestionScreen,
    FEEDBACK: QuizFeedbackScreen,
    REVIEW: SurveyReviewScreen,
}


# ---------------------------------------------------------------------------------------------
# Sample states for --render-screens and the layout audit
# ---------------------------------------------------------------------------------------------

QUESTION_TYPES = (
    "single_choice",
    "multiple_choice",
    "scale",
    "yes_no",
    "short_text",
    "long_text",
    "image_choice",
)
SAMPLE_NAMES: tuple[str, ...] = (
    INTRO,
    *(f"{QUESTION}_{t}" for t in QUESTION_TYPES),
    FEEDBACK,
    REVIEW,
    f"{REVIEW}_quiz",
    "thanks",
)


def sample_answer(question: Question, text: str = "큰 글씨 안내문이 있으면 좋겠습니다.") -> Answer:
    """A valid answer to any question, for pictures of filled-in screens."""
    if isinstance(question, MultipleChoiceQuestion):
        return tuple(o.id for o in question.options[: question.min_select])
    if isinstance(question, SingleChoiceQuestion | ImageChoiceQuestion):
        return question.options[-1].id
    if isinstance(question, ScaleQuestion):
        return 4
    if isinstance(question, YesNoQuestion):
        return True
    return text[: question.max_length]


def _typed(question: Question, value: str) -> Answer:
    """A show-if value ("yes", "4", an option id) as an answer of `question`."""
    if isinstance(question, YesNoQuestion):
        return value == "yes"
    if isinstance(question, ScaleQuestion):
        return int(value)
    if isinstance(question, MultipleChoiceQuestion):
        return (value,)
    return value


def _session_at(survey: Survey, now: datetime) -> SurveySession:
    return SurveySession(survey, now if is_open(survey, now) else survey.opens_at)


def _reveal(session: SurveySession, question: Question) -> None:
    """Answer what `question`'s show-if needs, so that it is shown."""
    if question.show_if is None:
        return
    target = session.question(question.show_if.question)
    _reveal(session, target)
    session.answer(target.id, _typed(target, question.show_if.any_of[0]))


def _filled(survey: Survey, now: datetime) -> SurveySession:
    session = _session_at(survey, now)
    done: set[str] = set()
    while True:
        todo = [q for q in session.visible() if q.id not in done]
        if not todo:
            return session
        session.answer(todo[0].id, sample_answer(todo[0]))
        done.add(todo[0].id)


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    """A route for each of SAMPLE_NAMES, filled in from `pack`; names the pack cannot show
    (no question of a type, no quiz) fall back to the list."""
    routes: dict[str, Route] = {}
    surveys = [s for s in pack.surveys if s.kind == "survey"] or pack.surveys
    quizzes = [s for s in pack.surveys if s.kind == "quiz"]
    if surveys:
        routes[INTRO] = Route(INTRO, {"session": _session_at(surveys[0], now)})
        routes[REVIEW] = step_route(_filled(surveys[0], now), Step("review"))
    for kind in QUESTION_TYPES:
        found = next(
            ((s, q) for s in surveys for q in s.questions if q.type == kind),
            None,
        )
        if found is not None:
            session = _session_at(found[0], now)
            _reveal(session, found[1])
            routes[f"{QUESTION}_{kind}"] = step_route(session, Step("question", found[1].id))
    if quizzes:
        quiz = _session_at(quizzes[0], now)
        first = quiz.visible()[0]
        # A wrong choice, so that the feedback screen shows the correction.
        wrong = (
            next((o.id for o in first.options if o.id != first.correct), None)
            if isinstance(first, SingleChoiceQuestion | ImageChoiceQuestion)
            else None
        )
        quiz.answer(first.id, wrong if wrong is not None else sample_answer(first))
        routes[FEEDBACK] = step_route(quiz, quiz.advance(quiz.first_step()).step)
        done = _filled(quizzes[0], now)
        routes[f"{REVIEW}_quiz"] = step_route(done, Step("review"))
    points = pack.survey_points(surveys[0]) if surveys else None
    routes["thanks"] = thanks_route(ThanksNote("thanks.survey", points))
    return {name: routes.get(name, Route(LIST)) for name in SAMPLE_NAMES}
