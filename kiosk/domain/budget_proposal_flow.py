"""주민참여예산 사업 제안 as a step flow (kiosk.domain.steps). No Qt, no I/O.

Steps: the dong ("budget_proposal_dong", the kiosk's own first), the title, the place and why
typed on the keyboard ("budget_proposal_text", keyed by the field), the rough cost in 만원 on the
keypad ("budget_proposal_cost", a number step), the review with 고치기 each
("budget_proposal_review"), 본인 확인 ("identity"), sending and the thank-you. The rules are
kiosk.domain.budget_proposal's `BudgetProposalDraft`.

본인 확인 always: the district takes budget proposals from its residents, staff may need to
reach the proposer during 검토 (the server can open the seal; the kiosk and the database never
hold the number in clear), and a resident's proposals can be told apart from a flood.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final, Literal

from contract.civic import Problem
from contract.content import BudgetVote, ContentPack
from kiosk.domain import steps
from kiosk.domain.budget_proposal import (
    BUDGET_PROPOSAL_KIND,
    COST_DIGITS,
    TEXT_FIELDS,
    TEXT_LIMITS,
    BudgetProposalDraft,
    TextField,
    message_id,
)
from kiosk.domain.identify import IDENTITY, identify_next, identify_step
from kiosk.domain.money import won_text

DONG: Final = "budget_proposal_dong"
TEXT: Final = "budget_proposal_text"
COST: Final = "budget_proposal_cost"
REVIEW: Final = "budget_proposal_review"
SUBMIT: Final = "budget_proposal_submit"
STEP_IDS: Final[tuple[str, ...]] = (DONG, TEXT, COST, REVIEW)

Part = Literal["dong", "cost"] | TextField
ORDER: Final[tuple[Part, ...]] = ("dong", "title", "place", "why", "cost")
_STEP_OF: Final[dict[Part, str]] = {
    "dong": DONG,
    "title": TEXT,
    "place": TEXT,
    "why": TEXT,
    "cost": COST,
}


def worded(problem: Problem) -> steps.StepProblem:
    """A refusal of the draft's rules, naming the field it is about."""
    return steps.Worded(problem.rule, message_id(problem), problem.params)


def cost_words(cost_won: int | None) -> steps.Words:
    """The cost as residents read it: "3,000만원"; a prompt while none is typed."""
    if cost_won is None:
        return steps.msg("budgetproposal.cost.none")
    return steps.msg("budgetproposal.cost.shown", cost=won_text(cost_won))


class BudgetProposalFlow(steps.Flow):
    """A resident proposing a project for the budget (the words: `draft`).

    Attributes:
        own_dong: the dong of the centre the kiosk stands in: offered first.
        clock: now, for the proposal window when the resident sends.
    """

    identity_purpose = "budgetproposal.purpose"

    def __init__(
        self,
        pack: ContentPack,
        vote: BudgetVote,
        clock: Callable[[], datetime],
        *,
        own_dong: str | None = None,
    ) -> None:
        self.draft = BudgetProposalDraft(pack, vote)
        self.clock = clock
        self.own_dong = own_dong

    def first(self) -> steps.At:
        return steps.At(DONG)

    def _part(self, at: steps.At) -> Part:
        if at.step == DONG:
            return "dong"
        if at.step == COST:
            return "cost"
        return next(name for name in TEXT_FIELDS if name == at.key)

    def _at(self, part: Part, editing: bool = False) -> steps.At:
        step = _STEP_OF[part]
        return steps.At(step, part if step == TEXT else "", editing)

    def _progress(self, part: Part) -> steps.Line:
        n = ORDER.index(part) + 1
        words = steps.msg("budgetproposal.progress", n=n, total=len(ORDER))
        return steps.Line(words, "strong", "progress")

    # -- what each step shows ---------------------------------------------------------------

    def step(self, at: steps.At) -> steps.Step:
        if at.step == DONG:
            return self._dong()
        if at.step == TEXT:
            return self._text(self._part(at))
        if at.step == COST:
            return self._cost()
        if at.step == REVIEW:
            return self._review()
        if at.step == IDENTITY:
            return identify_step(self.entry, at)
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("budgetproposal.submit"))
        raise KeyError(at.step)

    def _dong(self) -> steps.Step:
        draft = self.draft
        dongs = sorted(draft.pack.district.dongs, key=lambda d: d.id != self.own_dong)
        return steps.Step(
            DONG,
            "choice",
            steps.msg("budgetproposal.title"),
            (
                self._progress("dong"),
                steps.Line(steps.msg("budgetproposal.dong"), "question", "prompt"),
            ),
            options=tuple(
                steps.Option(d.id, (steps.Line(d.name, "tileTitle"),), name_prefix="dong_")
                for d in dongs
            ),
            chosen=(draft.dong,) if draft.dong is not None else (),
            most=4,
            enabled=not draft.submitted,
        )

    def _text(self, part: Part) -> steps.Step:
        assert part in ("title", "place", "why")
        shortest, longest = TEXT_LIMITS[part]
        head = (
            self._progress(part),
            steps.Line(steps.msg(f"budgetproposal.text.{part}"), "question", "prompt"),
            steps.Line(
                steps.msg("budgetproposal.text.hint", min=shortest, max=f"{longest:,}"), "muted"
            ),
            steps.Line(steps.msg("budgetproposal.privacy"), "muted"),
        )
        return steps.Step(
            TEXT,
            "text",
            steps.msg("budgetproposal.title"),
            head,
            entry=steps.Entry(longest, multiline=part == "why", initial=self.draft.get(part)),
            enabled=not self.draft.submitted,
        )

    def _cost(self) -> steps.Step:
        draft = self.draft
        man = draft.cost_man
        return steps.Step(
            COST,
            "number",
            steps.msg("budgetproposal.title"),
            (
                self._progress("cost"),
                steps.Line(steps.msg("budgetproposal.cost"), "question", "prompt"),
                steps.Line(steps.msg("budgetproposal.cost.hint"), "muted"),
            ),
            number=steps.Number(COST_DIGITS, "" if man is None else str(man)),
            pinned=steps.Line(cost_words(draft.cost_won), "title", "costReadout"),
            enabled=not draft.submitted,
        )

    def _review(self) -> steps.Step:
        draft = self.draft
        dong = draft.pack.district.dong(draft.dong) if draft.dong else None
        answers: dict[Part, steps.Words] = {
            "dong": dong.name if dong else (draft.dong or ""),
            "title": draft.get("title").strip(),
            "place": draft.get("place").strip(),
            "why": draft.get("why").strip(),
            "cost": cost_words(draft.cost_won),
        }
        rows = tuple(
            steps.ReviewRow(
                part,
                steps.msg(f"budgetproposal.field.{part}"),
                answer,
                fix=None if draft.submitted else self._at(part, editing=True),
            )
            for part, answer in answers.items()
        )
        sent = (steps.Line(steps.msg("survey.review.sent"), "notice", "alreadySent"),)
        return steps.Step(
            REVIEW,
            "review",
            steps.msg("budgetproposal.review"),
            (
                steps.Line(steps.msg("budgetproposal.review"), "title"),
                steps.Line(steps.msg("budgetproposal.review.hint"), "muted"),
            ),
            rows=rows,
            foot=sent if draft.submitted else (),
            action=None
            if draft.submitted
            else steps.Action(steps.msg("budgetproposal.submit"), "submitButton"),
            back=not draft.submitted,
        )

    # -- answering and moving ---------------------------------------------------------------

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        return [worded(p) for p in self.draft.set_dong(str(value))]

    def type(self, at: steps.At, text: str) -> Sequence[steps.StepProblem]:
        part = self._part(at)
        if part == "cost":
            return [worded(p) for p in self.draft.set_cost(text)]
        assert part != "dong"
        return [worded(p) for p in self.draft.set_text(part, text)]

    def _problems(self, part: Part) -> list[Problem]:
        draft = self.draft
        if part == "dong":
            return [] if draft.dong is not None else [Problem("dong", "required")]
        if part == "cost":
            return draft.check_cost()
        return draft.check_text(part)

    def next(self, at: steps.At) -> steps.Move:
        if at.step == REVIEW:
            problems = self.draft.problems(self.clock())
            if problems:
                return steps.Move(None, tuple(worded(p) for p in problems))
            return steps.Move(steps.At(IDENTITY, "phone"))
        if at.step == IDENTITY:
            return identify_next(self.entry, at, steps.At(SUBMIT))
        part = self._part(at)
        problems = self._problems(part)
        if problems:
            return steps.Move(None, tuple(worded(p) for p in problems))
        # The next part, or back to the review when correcting from it and nothing after it
        # is missing.
        for later in ORDER[ORDER.index(part) + 1 :]:
            if not at.editing or self._problems(later):
                return steps.Move(self._at(later, at.editing))
        return steps.Move(steps.At(REVIEW))

    # -- sending ------------------------------------------------------------------------------

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        return steps.ProposeProject(self.draft)

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        return steps.ThanksNote(
            "budgetproposal.thanks",
            None,
            (
                ("budgetproposal.thanks.next", {}),
                ("civic.thanks.receipt", {"number": sent.number}),
            ),
        )

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (BUDGET_PROPOSAL_KIND, sent.envelope_id)


# ---------------------------------------------------------------------------------------------
# Sample places, for pictures of every step (./dev render) and the accessibility audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: Final[tuple[str, ...]] = (
    DONG,
    f"{TEXT}_title",
    f"{TEXT}_place",
    f"{TEXT}_why",
    COST,
    REVIEW,
)
SAMPLE_TITLE: Final = "신당동 골목 쉼터 의자"
SAMPLE_PLACE: Final = "신당동 떡볶이골목 입구"
SAMPLE_WHY: Final = "시장 가는 오르막에 앉아 쉴 곳이 없어 어르신들이 힘들어 하십니다."
SAMPLE_COST_MAN: Final = "3000"


def samples(pack: ContentPack, now: datetime) -> dict[str, tuple[steps.Flow, steps.At]]:
    """A place for each of SAMPLE_NAMES (none without a budget), filled from its first dong."""
    vote = pack.budget
    if vote is None:
        return {}

    def flow(filled: int) -> BudgetProposalFlow:
        made = BudgetProposalFlow(pack, vote, lambda: now)
        draft = made.draft
        fills: list[Callable[[], object]] = [
            lambda: draft.set_dong(pack.district.dongs[0].id),
            lambda: draft.set_text("title", SAMPLE_TITLE),
            lambda: draft.set_text("place", SAMPLE_PLACE),
            lambda: draft.set_text("why", SAMPLE_WHY),
            lambda: draft.set_cost(SAMPLE_COST_MAN),
        ]
        for fill in fills[:filled]:
            fill()
        return made

    return {
        DONG: (flow(0), steps.At(DONG)),
        f"{TEXT}_title": (flow(1), steps.At(TEXT, "title")),
        f"{TEXT}_place": (flow(2), steps.At(TEXT, "place")),
        f"{TEXT}_why": (flow(3), steps.At(TEXT, "why")),
        COST: (flow(5), steps.At(COST)),
        REVIEW: (flow(5), steps.At(REVIEW)),
    }
