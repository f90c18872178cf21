"""Answering a survey or a policy quiz (정책퀴즈): the rules a resident's answers must keep.

This module owns which surveys are offered now, which questions are shown (show-if), what an
answer may be for each question type, the problems that keep a resident on a question (each
with the rule it breaks), the way through the questions (`Step`), the review before sending,
quiz feedback and score, and the payload of a "survey_response" envelope.

Answers are held as plain values: an option id (single and image choice), a tuple of option
ids in the options' order (multiple choice), 1-5 (scale), True/False (yes/no) or the text.

No Qt and no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from contract.content import (
    SCALE_POINTS,
    ContentPack,
    ImageChoiceQuestion,
    LongTextQuestion,
    MultipleChoiceQuestion,
    Question,
    ScaleQuestion,
    ShortTextQuestion,
    SingleChoiceQuestion,
    Survey,
    Text,
    YesNoQuestion,
)

Answer = str | int | bool | tuple[str, ...]

Rule = Literal[
    # A resident can meet these.
    "required",
    "min_select",
    "max_select",
    "max_length",
    "locked",
    "closed",
    "already_submitted",
    # Only a bug or a forged payload breaks these; they are named all the same.
    "wrong_type",
    "unknown_option",
    "duplicate_option",
    "scale_range",
    "not_shown",
    "unknown_question",
    # Contest rules (kiosk.domain.contest) share the type and the catalogue.
    "no_vote",
    "max_votes",
    "unknown_entry",
    "already_voted",
]

SURVEY_RESPONSE_KIND: Final = "survey_response"


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (a question id or a field), which rule, and the message values."""

    where: str
    rule: Rule
    params: Mapping[str, int | str] = field(default_factory=dict)

    @property
    def message_id(self) -> str:
        """The id of the message that tells the resident what to do (kiosk/i18n/survey.toml)."""
        return f"survey.problem.{self.rule}"


def closed_or_sent(item_id: str, *, submitted: bool, open_now: bool) -> list[Problem]:
    """Why an answer to `item_id` (a survey, a contest) cannot be sent at all, whatever it
    holds: it was sent already, or the item no longer takes answers. [] when neither."""
    if submitted:
        return [Problem(item_id, "already_submitted")]
    if not open_now:
        return [Problem(item_id, "closed")]
    return []


def is_open(survey: Survey, now: datetime) -> bool:
    """True while the survey takes answers: from `opens_at` up to, not including, `closes_at`."""
    return survey.opens_at <= now < survey.closes_at


def surveys_open(pack: ContentPack, now: datetime) -> list[Survey]:
    """The surveys and quizzes a kiosk offers at `now`, in the pack's order."""
    return [s for s in pack.surveys if is_open(s, now)]


# ---------------------------------------------------------------------------------------------
# One answer against one question
# ---------------------------------------------------------------------------------------------

ChoiceQuestion = SingleChoiceQuestion | ImageChoiceQuestion | MultipleChoiceQuestion
TextQuestion = ShortTextQuestion | LongTextQuestion


def is_empty(value: object) -> bool:
    """An answer that says nothing: none, blank text or no option chosen."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, tuple | list) and not value


def check_value(question: Question, value: object) -> list[Problem]:
    """The rules `value` breaks as an answer to `question` (empty answers are not checked here).

    A multiple-choice answer with fewer options than `min_select` is not refused here: the
    resident picks one option at a time; `check_complete` refuses it when they move on.
    """
    q = question.id
    if isinstance(question, SingleChoiceQuestion | ImageChoiceQuestion):
        if not isinstance(value, str):
            return [Problem(q, "wrong_type")]
        if question.option(value) is None:
            return [Problem(q, "unknown_option", {"option": value})]
        return []
    if isinstance(question, MultipleChoiceQuestion):
        if not isinstance(value, tuple | list) or not all(isinstance(v, str) for v in value):
            return [Problem(q, "wrong_type")]
        problems = [
            Problem(q, "unknown_option", {"option": v})
            for v in dict.fromkeys(value)
            if question.option(v) is None
        ]
        if len(set(value)) != len(value):
            problems.append(Problem(q, "duplicate_option"))
        if len(set(value)) > question.max_select:
            problems.append(Problem(q, "max_select", {"max": question.max_select}))
        return problems
    if isinstance(question, ScaleQuestion):
        # bool is an int in Python; True is not a point on the scale.
        if isinstance(value, bool) or not isinstance(value, int):
            return [Problem(q, "wrong_type")]
        if not 1 <= value <= SCALE_POINTS:
            return [Problem(q, "scale_range", {"max": SCALE_POINTS})]
        return []
    if isinstance(question, YesNoQuestion):
        return [] if isinstance(value, bool) else [Problem(q, "wrong_type")]
    if not isinstance(value, str):
        return [Problem(q, "wrong_type")]
    if len(value.strip()) > question.max_length:
        return [Problem(q, "max_length", {"max": question.max_length})]
    return []


def check_complete(question: Question, value: object) -> list[Problem]:
    """The rules an answer (None when unanswered) breaks when the resident moves on."""
    if is_empty(value):
        return [Problem(question.id, "required")] if question.required else []
    problems = check_value(question, value)
    if isinstance(question, MultipleChoiceQuestion) and isinstance(value, tuple | list):
        chosen = len(set(value))
        if chosen < question.min_select:
            params = {"min": question.min_select, "count": chosen}
            problems.append(Problem(question.id, "min_select", params))
    return problems


def normalise(question: Question, value: Answer) -> Answer:
    """The stored form of an accepted answer: trimmed text, options in the question's order."""
    if isinstance(question, TextQuestion) and isinstance(value, str):
        return value.strip()
    if isinstance(question, MultipleChoiceQuestion) and isinstance(value, tuple | list):
        chosen = set(value)
        return tuple(o.id for o in question.options if o.id in chosen)
    return value


def show_if_values(question: Question, value: object) -> frozenset[str]:
    """An answer as the values a show-if tests: option ids, "yes"/"no" or "1".."5"."""
    if isinstance(question, SingleChoiceQuestion | ImageChoiceQuestion) and isinstance(value, str):
        return frozenset({value})
    if isinstance(question, MultipleChoiceQuestion) and isinstance(value, tuple | list):
        return frozenset(v for v in value if isinstance(v, str))
    if isinstance(question, YesNoQuestion) and isinstance(value, bool):
        return frozenset({"yes" if value else "no"})
    if isinstance(question, ScaleQuestion) and isinstance(value, int):
        return frozenset({str(value)})
    return frozenset()


def visible_questions(survey: Survey, answers: Mapping[str, object]) -> list[Question]:
    """The questions shown for these answers, in order; a show-if needs a shown, matching answer."""
    shown: dict[str, Question] = {}
    for q in survey.questions:
        if q.show_if is not None:
            target = shown.get(q.show_if.question)
            if target is None:
                continue
            if not q.show_if.matches(show_if_values(target, answers.get(target.id))):
                continue
        shown[q.id] = q
    return list(shown.values())


def validate_answers(survey: Survey, answers: Mapping[str, object]) -> list[Problem]:
    """Every rule a whole response breaks; [] for a response that may be sent.

    Works on the session's answers and on a payload's JSON alike (lists for tuples), so the
    server can check what a kiosk sent with the same rules.
    """
    known = {q.id for q in survey.questions}
    shown = visible_questions(survey, answers)
    shown_ids = {q.id for q in shown}
    problems = [Problem(qid, "unknown_question") for qid in answers if qid not in known]
    problems += [
        Problem(qid, "not_shown")
        for qid, value in answers.items()
        if qid in known and qid not in shown_ids and not is_empty(value)
    ]
    for q in shown:
        problems += check_complete(q, answers.get(q.id))
    return problems


# ---------------------------------------------------------------------------------------------
# Quiz
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """What a quiz shows after an answer: right or not, the right answer and why."""

    question_id: str
    correct: bool
    right_answer: Answer
    explanation: Text


@dataclass(frozen=True)
class Score:
    correct: int
    total: int


def right_answer(question: Question) -> Answer | None:
    """The quiz answer that counts as right, in the stored form; None for a survey question."""
    correct: Any = getattr(question, "correct", None)
    if correct is None:
        return None
    if isinstance(question, MultipleChoiceQuestion):
        return normalise(question, tuple(correct))
    return correct  # type: ignore[no-any-return]


def is_right(question: Question, value: object) -> bool:
    expected = right_answer(question)
    if expected is None or is_empty(value):
        return False
    if isinstance(question, MultipleChoiceQuestion):
        return isinstance(value, tuple | list) and set(value) == set(expected)  # type: ignore[arg-type]
    return value == expected and type(value) is type(expected)


# ---------------------------------------------------------------------------------------------
# The way through a survey
# ---------------------------------------------------------------------------------------------

StepKind = Literal["question", "feedback", "review"]


@dataclass(frozen=True)
class Step:
    """Where the resident is in a survey. Each step is one screen (and one route).

    `editing` marks a question reached by 고치기 from the review: moving on from it leads
    back to the review, through any question the change made necessary.
    """

    kind: StepKind
    question_id: str = ""
    editing: bool = False


REVIEW: Final = Step("review")


@dataclass(frozen=True)
class Advance:
    """The result of 다음: the step to show, or the same step and what keeps the resident there."""

    step: Step
    problems: tuple[Problem, ...] = ()

    @property
    def moved(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ReviewItem:
    """One line of the review: a shown question, its answer (None when skipped), and for a
    quiz whether it was right."""

    question: Question
    value: Answer | None
    editable: bool
    correct: bool | None


class SurveySession:
    """One resident answering one survey or quiz during one visit.

    Plain Python: the kiosk keeps it in the route of each survey screen, so answers survive a
    change of text size, language or theme, and vanish with the visit's history.

    Attributes:
        survey: the survey answered.
        started_at: when the resident opened it.
        submitted: True once its envelope is in the outbox; it cannot be sent again.
        skip_optional: 간편 모드: only required questions are asked (unless a survey has none).
    """

    def __init__(self, survey: Survey, now: datetime, *, skip_optional: bool = False) -> None:
        if not is_open(survey, now):
            raise ValueError(f"survey {survey.id} is not open at {now.isoformat()}")
        self.survey = survey
        # Skipping is kept only when a required question is there to start with.
        self.skip_optional = skip_optional and any(
            q.required for q in visible_questions(survey, {})
        )
        self.started_at = now
        self.submitted = False
        self._answers: dict[str, Answer] = {}
        # Quiz questions whose feedback was shown: their answers are final.
        self._checked: set[str] = set()

    # -- answers ------------------------------------------------------------------------

    @property
    def is_quiz(self) -> bool:
        return self.survey.kind == "quiz"

    @property
    def answers(self) -> dict[str, Answer]:
        """A copy of the answers of shown questions."""
        return dict(self._answers)

    def value(self, question_id: str) -> Answer | None:
        return self._answers.get(question_id)

    def question(self, question_id: str) -> Question:
        q = self.survey.question(question_id)
        if q is None:
            raise KeyError(f"survey {self.survey.id} has no question {question_id}")
        return q

    def visible(self) -> list[Question]:
        shown = visible_questions(self.survey, self._answers)
        if self.skip_optional:
            # A required question shown only after an optional one stays hidden with it: its
            # show-if has no answer to match, as when the optional one is left empty.
            return [q for q in shown if q.required]
        return shown

    def is_visible(self, question_id: str) -> bool:
        return any(q.id == question_id for q in self.visible())

    def is_locked(self, question_id: str) -> bool:
        return question_id in self._checked

    def answer(self, question_id: str, value: Answer | None) -> list[Problem]:
        """Record an answer, or clear it with an empty one. Returns the rules it breaks; then
        nothing changes. Answers of questions the new answer hides are dropped."""
        question = self.survey.question(question_id)
        if question is None:
            return [Problem(question_id, "unknown_question")]
        if self.submitted:
            return [Problem(question_id, "already_submitted")]
        if question_id in self._checked:
            return [Problem(question_id, "locked")]
        if not self.is_visible(question_id):
            return [Problem(question_id, "not_shown")]
        if value is None or is_empty(value):
            self._answers.pop(question_id, None)
        else:
            problems = check_value(question, value)
            if problems:
                return problems
            self._answers[question_id] = normalise(question, value)
        self._drop_hidden()
        return []

    def toggle(self, question_id: str, option_id: str) -> list[Problem]:
        """Choose an option of a multiple-choice question, or unchoose it if it was chosen."""
        chosen = self.value(question_id)
        current = chosen if isinstance(chosen, tuple) else ()
        if option_id in current:
            return self.answer(question_id, tuple(v for v in current if v != option_id))
        return self.answer(question_id, (*current, option_id))

    def _drop_hidden(self) -> None:
        shown = {q.id for q in self.visible()}
        for qid in [qid for qid in self._answers if qid not in shown]:
            del self._answers[qid]

    def check(self, question_id: str) -> list[Problem]:
        """What keeps the resident on this question (required, too few options…)."""
        question = self.question(question_id)
        if not self.is_visible(question_id):
            return []
        return check_complete(question, self.value(question_id))

    def problems(self) -> list[Problem]:
        return validate_answers(self.survey, self._answers)

    def progress(self, question_id: str) -> tuple[int, int]:
        """(number of this question, number of questions) among those shown, e.g. (3, 7)."""
        shown = [q.id for q in self.visible()]
        total = len(shown)
        if question_id in shown:
            return shown.index(question_id) + 1, total
        # A question hidden since: count it where it would stand.
        order = [q.id for q in self.survey.questions]
        before = order.index(question_id)
        return sum(1 for qid in shown if order.index(qid) < before) + 1, total

    # -- steps ---------------------------------------------------------------------------

    def first_step(self) -> Step:
        return Step("question", self.visible()[0].id)

    def advance(self, step: Step) -> Advance:
        """다음: check the answer of a question, then the next step."""
        if step.kind == "review":
            return Advance(step)
        if step.kind == "question":
            problems = self.check(step.question_id)
            if problems:
                return Advance(step, tuple(problems))
            if self.is_quiz and self.is_visible(step.question_id):
                self._checked.add(step.question_id)
                return Advance(Step("feedback", step.question_id, step.editing))
        return Advance(self._after(step.question_id, step.editing))

    def edit(self, question_id: str) -> Step:
        """고치기 from the review: the question, to come back to the review after it."""
        return Step("question", self.question(question_id).id, editing=True)

    def _after(self, question_id: str, editing: bool) -> Step:
        order = [q.id for q in self.survey.questions]
        position = order.index(question_id)
        for q in self.visible():
            if order.index(q.id) <= position:
                continue
            if not editing:
                return Step("question", q.id)
            if self.check(q.id):  # the change made this one necessary
                return Step("question", q.id, editing=True)
        return REVIEW

    # -- review, quiz and sending ----------------------------------------------------------

    def review(self) -> list[ReviewItem]:
        return [
            ReviewItem(
                question=q,
                value=self.value(q.id),
                editable=not self.is_quiz,
                correct=is_right(q, self.value(q.id)) if self.is_quiz else None,
            )
            for q in self.visible()
        ]

    def feedback(self, question_id: str) -> Feedback:
        question = self.question(question_id)
        expected = right_answer(question)
        explanation: Text | None = getattr(question, "explanation", None)
        if expected is None or explanation is None:
            raise ValueError(f"question {question_id} is not a quiz question")
        value = self.value(question_id)
        return Feedback(question_id, is_right(question, value), expected, explanation)

    def score(self) -> Score:
        shown = [q for q in self.visible() if right_answer(q) is not None]
        right = sum(1 for q in shown if is_right(q, self.value(q.id)))
        return Score(right, len(shown))

    def submit_problems(self, now: datetime) -> list[Problem]:
        """Why the response cannot be sent at `now`; [] when it can."""
        open_now = is_open(self.survey, now)
        gate = closed_or_sent(self.survey.id, submitted=self.submitted, open_now=open_now)
        return gate or self.problems()

    def payload(self) -> dict[str, Any]:
        """The "survey_response" payload (contract.wire.SurveyResponse) of the answers."""
        return {
            "survey_id": self.survey.id,
            "answers": {qid: _json_value(v) for qid, v in self._answers.items()},
        }

    def mark_submitted(self) -> None:
        self.submitted = True


def _json_value(value: Answer) -> str | int | bool | list[str]:
    return list(value) if isinstance(value, tuple) else value
