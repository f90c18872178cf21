"""A survey or policy quiz (정책퀴즈) as a step flow (kiosk.domain.steps). No Qt, no I/O.

Steps: the intro ("survey_intro"), one step per shown question ("survey_question", keyed by
the question id: a choice, picture choice or text step), the quiz's feedback after each answer
("survey_feedback"), the review with 보내기 ("survey_review"), where it earns points the choice
of 포인트 받기 with 본인 확인 or none (kiosk.domain.earn), sending ("survey_submit") and the
thank-you. The rules are kiosk.domain.survey's `SurveySession`; this module only says how each
step looks and where 다음 leads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from contract.content import (
    QUESTION_TYPES,
    ContentPack,
    ImageChoiceQuestion,
    LongTextQuestion,
    MultipleChoiceQuestion,
    Question,
    ScaleQuestion,
    SingleChoiceQuestion,
    Survey,
    YesNoQuestion,
)
from kiosk.domain import steps
from kiosk.domain import survey as rules
from kiosk.domain.earn import POINTS_CHOICE, PURPOSE, Earning
from kiosk.domain.survey import SURVEY_RESPONSE_KIND, Answer, SurveySession

INTRO: Final = "survey_intro"
QUESTION: Final = "survey_question"
FEEDBACK: Final = "survey_feedback"
REVIEW: Final = "survey_review"
SUBMIT: Final = "survey_submit"
STEP_IDS: Final[tuple[str, ...]] = (INTRO, QUESTION, FEEDBACK, REVIEW)

_SESSION_STEP: Final = {QUESTION: "question", FEEDBACK: "feedback", REVIEW: "review"}
_FLOW_STEP: Final = {kind: step_id for step_id, kind in _SESSION_STEP.items()}


def answer_words(question: Question, value: Answer | None) -> steps.Words:
    """An answer in words, as the review and the quiz feedback show it."""
    if value is None:
        return steps.msg("survey.review.skipped")
    if isinstance(question, SingleChoiceQuestion | ImageChoiceQuestion):
        option = question.option(str(value))
        return option.label if option else str(value)
    if isinstance(question, MultipleChoiceQuestion) and isinstance(value, tuple):
        return steps.Join(tuple(o.label for o in question.options if o.id in value), ", ")
    if isinstance(question, ScaleQuestion) and isinstance(value, int):
        point = steps.Join(("(", steps.msg("survey.scale.point", n=value), ")"), "")
        return steps.Join((question.labels[value - 1], point), " ")
    if isinstance(question, YesNoQuestion):
        return steps.msg("survey.yes" if value else "survey.no")
    return str(value)


def hint(q: Question) -> steps.Words:
    """How to answer `q`, under its prompt."""
    if isinstance(q, MultipleChoiceQuestion):
        if q.min_select == q.max_select:
            return steps.msg("survey.hint.multiple_exact", max=q.max_select)
        if q.min_select == 1 and q.max_select == len(q.options):
            return steps.msg("survey.hint.multiple_all")
        if q.min_select == 1:
            return steps.msg("survey.hint.multiple_upto", max=q.max_select)
        return steps.msg("survey.hint.multiple", min=q.min_select, max=q.max_select)
    if isinstance(q, ImageChoiceQuestion):
        return steps.msg("survey.hint.image")
    if isinstance(q, SingleChoiceQuestion):
        return steps.msg("survey.hint.single")
    if isinstance(q, ScaleQuestion):
        return steps.msg("survey.hint.scale")
    if isinstance(q, YesNoQuestion):
        return steps.msg("survey.hint.yes_no")
    assert isinstance(q, rules.TextQuestion)
    return steps.msg("survey.hint.text", max=f"{q.max_length:,}")


def _options(q: Question) -> tuple[steps.Option, ...]:
    if isinstance(q, SingleChoiceQuestion | MultipleChoiceQuestion):
        return tuple(steps.Option(o.id, (steps.Line(o.label, "tileTitle"),)) for o in q.options)
    if isinstance(q, ImageChoiceQuestion):
        return tuple(
            steps.Option(o.id, (steps.Line(o.label, "tileTitle"),), picture=o.image or "")
            for o in q.options
        )
    if isinstance(q, ScaleQuestion):
        return tuple(
            steps.Option(
                point,
                (
                    steps.Line(text, "tileTitle"),
                    steps.Line(steps.msg("survey.scale.point", n=point), "muted"),
                ),
                face=point,
            )
            for point, text in enumerate(q.labels, start=1)
        )
    if isinstance(q, YesNoQuestion):
        return (
            steps.Option(True, (steps.Line(steps.msg("survey.yes"), "title"),)),
            steps.Option(False, (steps.Line(steps.msg("survey.no"), "title"),)),
        )
    return ()


class SurveyFlow(steps.Flow):
    """A resident answering one survey or quiz (the answers: `session`).

    Attributes:
        session: the answers and the survey's rules.
        points: what taking part earns, as the pack says.
    """

    def __init__(
        self, pack: ContentPack, survey: Survey, now: datetime, *, skip_optional: bool = False
    ) -> None:
        self.session = SurveySession(survey, now, skip_optional=skip_optional)
        self.points = pack.survey_points(survey)
        self.earning = Earning(self.points)
        self.identity_purpose = PURPOSE

    @property
    def survey(self) -> Survey:
        return self.session.survey

    def _kind_id(self) -> str:
        return "survey.kind.quiz" if self.session.is_quiz else "survey.kind.survey"

    # -- where ------------------------------------------------------------------------------

    def first(self) -> steps.At:
        return steps.At(INTRO)

    def _at(self, step: rules.Step) -> steps.At:
        return steps.At(_FLOW_STEP[step.kind], step.question_id, step.editing)

    def _session_step(self, at: steps.At) -> rules.Step:
        if at.step == REVIEW:
            return rules.REVIEW
        return rules.Step(_SESSION_STEP[at.step], at.key, at.editing)  # type: ignore[arg-type]

    def next(self, at: steps.At) -> steps.Move:
        if at.step == INTRO:
            return steps.Move(self._at(self.session.first_step()))
        if at.step == REVIEW:
            return steps.Move(self.earning.after_review(steps.At(SUBMIT)))
        if self.earning.handles(at):
            return self.earning.next(at, self.entry, steps.At(SUBMIT))
        advance = self.session.advance(self._session_step(at))
        if not advance.moved:
            return steps.Move(None, advance.problems)
        return steps.Move(self._at(advance.step))

    def fix(self, question_id: str) -> steps.At:
        return self._at(self.session.edit(question_id))

    # -- what each step shows ---------------------------------------------------------------

    def step(self, at: steps.At) -> steps.Step:
        if self.earning.handles(at):
            return self.earning.step(at, self.entry, sent=self.session.submitted)
        if at.step == INTRO:
            return self._intro()
        if at.step == QUESTION:
            return self._question(at)
        if at.step == FEEDBACK:
            return self._feedback(at)
        if at.step == REVIEW:
            return self._review()
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("survey.review.submit"))
        raise KeyError(at.step)

    def _intro(self) -> steps.Step:
        survey = self.survey
        head = [
            steps.Line(steps.kind_and_until(self._kind_id(), survey.closes_at), "muted"),
            steps.Line(survey.title, "title"),
            steps.Line(survey.description),
        ]
        if self.points is not None:
            head.append(steps.Line(steps.msg("survey.points", points=f"{self.points:,}"), "strong"))
        head.append(steps.Line(steps.msg("survey.intro.how"), "muted"))
        return steps.Step(
            INTRO,
            "info",
            survey.title,
            tuple(head),
            share=steps.Share(survey.url, survey.title),
            action=steps.Action(steps.msg("survey.intro.start"), "startButton"),
        )

    def _progress(self, question_id: str) -> steps.Line:
        n, total = self.session.progress(question_id)
        return steps.Line(steps.msg("survey.progress", n=n, total=total), "strong", "progress")

    def _question(self, at: steps.At) -> steps.Step:
        session = self.session
        q = session.question(at.key)
        head = [
            self._progress(q.id),
            steps.Line(self.survey.title, "muted"),
            steps.Line(q.prompt, "question", "prompt"),
            steps.Line(hint(q), "muted"),
        ]
        if not q.required:
            head.append(steps.Line(steps.msg("survey.optional"), "muted"))
        locked = session.is_locked(q.id)
        if locked:
            head.append(steps.Line(steps.msg("survey.locked"), "error"))
        if not session.is_visible(q.id):
            head.append(steps.Line(steps.msg("survey.hidden_now"), "error"))
        value = session.value(q.id)
        action = (
            steps.Action(steps.msg("quiz.check"))
            if session.is_quiz and not locked
            else steps.Action()
        )
        if isinstance(q, rules.TextQuestion):
            entry = steps.Entry(
                q.max_length,
                multiline=isinstance(q, LongTextQuestion),
                initial=value if isinstance(value, str) else "",
            )
            return steps.Step(
                QUESTION,
                "text",
                q.prompt,
                tuple(head),
                enabled=not session.submitted,
                entry=entry,
                action=action,
            )
        chosen: tuple[steps.Value, ...] = (
            value if isinstance(value, tuple) else () if value is None else (value,)
        )
        layout: steps.ChoiceLayout = (
            "faces"
            if isinstance(q, ScaleQuestion)
            else "tiles"
            if isinstance(q, YesNoQuestion)
            else "list"
        )
        return steps.Step(
            QUESTION,
            "picture_choice" if isinstance(q, ImageChoiceQuestion) else "choice",
            q.prompt,
            tuple(head),
            options=_options(q),
            chosen=chosen,
            multiple=isinstance(q, MultipleChoiceQuestion),
            layout=layout,
            enabled=not locked and not session.submitted,
            action=action,
        )

    def _feedback(self, at: steps.At) -> steps.Step:
        session = self.session
        q = session.question(at.key)
        feedback = session.feedback(q.id)
        right = feedback.correct
        yours = answer_words(q, session.value(q.id))
        head = (
            self._progress(q.id),
            steps.Line(q.prompt, "strong"),
            steps.Line(
                steps.msg("quiz.right" if right else "quiz.wrong"),
                "title",
                "verdict",
                mark="right" if right else "wrong",
                mark_scale=1.4,
                card=True,
            ),
            steps.Line(steps.msg("quiz.your_answer", answer=yours), card=True),
            steps.Line(
                steps.msg("quiz.right_answer", answer=answer_words(q, feedback.right_answer)),
                "strong",
                "rightAnswer",
                card=True,
            ),
            steps.Line(feedback.explanation, "notice", "explanation"),
        )
        return steps.Step(FEEDBACK, "info", steps.msg("quiz.check"), head)

    def _review(self) -> steps.Step:
        session = self.session
        head = [
            steps.Line(steps.msg("survey.review.title"), "title"),
            steps.Line(self.survey.title, "muted"),
        ]
        if session.is_quiz:
            score = session.score()
            words = steps.msg("quiz.score", correct=score.correct, total=score.total)
            head.append(steps.Line(words, "notice", "quizScore"))
        elif not session.submitted:
            head.append(steps.Line(steps.msg("survey.review.hint"), "muted"))
        rows = tuple(
            steps.ReviewRow(
                item.question.id,
                item.question.prompt,
                answer_words(item.question, item.value),
                fix=self.fix(item.question.id) if item.editable and not session.submitted else None,
                right=item.correct,
            )
            for item in session.review()
        )
        sent = steps.Line(steps.msg("survey.review.sent"), "notice", "alreadySent")
        return steps.Step(
            REVIEW,
            "review",
            steps.msg("survey.review.title"),
            tuple(head),
            rows=rows,
            # Once sent: says so, with neither 보내기 nor 이전.
            foot=(sent,) if session.submitted else (),
            action=None
            if session.submitted
            else steps.Action(steps.msg("survey.review.submit"), "submitButton"),
            back=not session.submitted,
        )

    # -- answering and sending ----------------------------------------------------------------

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        if self.earning.handles(at):
            self.identity = None  # sent without identity: nothing is sealed
            return self.earning.choose(value)
        q = self.session.question(at.key)
        if isinstance(q, MultipleChoiceQuestion):
            return self.session.toggle(q.id, str(value))
        return self.session.answer(q.id, value)

    def type(self, at: steps.At, text: str) -> Sequence[steps.StepProblem]:
        return self.session.answer(at.key, text)

    def submission(self, now: datetime) -> steps.Submission | Sequence[steps.StepProblem]:
        problems = self.session.submit_problems(now)
        if problems:
            return problems
        return steps.Submission(SURVEY_RESPONSE_KIND, self.session.payload())

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        session = self.session
        session.mark_submitted()
        if session.is_quiz:
            score = session.score()
            lines = (("quiz.score", {"correct": score.correct, "total": score.total}),)
            return self.earning.thanks("thanks.quiz", sent, self.identity, lines)
        return self.earning.thanks("thanks.survey", sent, self.identity)

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (SURVEY_RESPONSE_KIND, self.survey.id)


# ---------------------------------------------------------------------------------------------
# Sample places, for pictures of every step (./dev render) and the accessibility audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: Final[tuple[str, ...]] = (
    INTRO,
    *(f"{QUESTION}_{t}" for t in QUESTION_TYPES),
    FEEDBACK,
    REVIEW,
    f"{REVIEW}_quiz",
    POINTS_CHOICE,
)


def sample_answer(question: Question, text: str = "큰 글씨 안내문이 있으면 좋겠습니다.") -> Answer:
    """A valid answer to any question, for pictures of filled-in steps."""
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


def _flow_at(pack: ContentPack, survey: Survey, now: datetime) -> SurveyFlow:
    return SurveyFlow(pack, survey, now if rules.is_open(survey, now) else survey.opens_at)


def _reveal(session: SurveySession, question: Question) -> None:
    """Answer what `question`'s show-if needs, so that it is shown."""
    if question.show_if is None:
        return
    target = session.question(question.show_if.question)
    _reveal(session, target)
    session.answer(target.id, _typed(target, question.show_if.any_of[0]))


def _filled(pack: ContentPack, survey: Survey, now: datetime) -> SurveyFlow:
    flow = _flow_at(pack, survey, now)
    session = flow.session
    done: set[str] = set()
    while True:
        todo = [q for q in session.visible() if q.id not in done]
        if not todo:
            return flow
        session.answer(todo[0].id, sample_answer(todo[0]))
        done.add(todo[0].id)


def question_places(
    pack: ContentPack, survey: Survey, now: datetime
) -> list[tuple[SurveyFlow, steps.At]]:
    """Every question of `survey` at its step, each in a flow answered so that it is shown (a
    show-if question after the answer it waits for): the console's 미리보기 of the survey."""
    places = []
    for question in survey.questions:
        flow = _flow_at(pack, survey, now)
        _reveal(flow.session, question)
        places.append((flow, steps.At(QUESTION, question.id)))
    return places


def samples(pack: ContentPack, now: datetime) -> dict[str, tuple[SurveyFlow, steps.At]]:
    """A place of a flow filled in from `pack` for each of SAMPLE_NAMES the pack can show
    (it may lack a question type or a quiz)."""
    places: dict[str, tuple[SurveyFlow, steps.At]] = {}
    surveys = [s for s in pack.surveys if s.kind == "survey"] or pack.surveys
    quizzes = [s for s in pack.surveys if s.kind == "quiz"]
    if surveys:
        places[INTRO] = (_flow_at(pack, surveys[0], now), steps.At(INTRO))
        places[REVIEW] = (_filled(pack, surveys[0], now), steps.At(REVIEW))
        places[POINTS_CHOICE] = (_filled(pack, surveys[0], now), steps.At(POINTS_CHOICE))
    for kind in QUESTION_TYPES:
        found = next(((s, q) for s in surveys for q in s.questions if q.type == kind), None)
        if found is not None:
            flow = _flow_at(pack, found[0], now)
            _reveal(flow.session, found[1])
            places[f"{QUESTION}_{kind}"] = (flow, steps.At(QUESTION, found[1].id))
    if quizzes:
        quiz = _flow_at(pack, quizzes[0], now)
        first = quiz.session.visible()[0]
        # A wrong choice, so that the feedback step shows the correction.
        wrong = (
            next((o.id for o in first.options if o.id != first.correct), None)
            if isinstance(first, SingleChoiceQuestion | ImageChoiceQuestion)
            else None
        )
        quiz.session.answer(first.id, wrong if wrong is not None else sample_answer(first))
        move = quiz.next(steps.At(QUESTION, first.id))
        assert move.to is not None
        places[FEEDBACK] = (quiz, move.to)
        places[f"{REVIEW}_quiz"] = (_filled(pack, quizzes[0], now), steps.At(REVIEW))
    return places
