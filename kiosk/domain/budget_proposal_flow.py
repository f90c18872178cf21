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
from typing import Final

from contract.civic import Problem
from contract.content import KST, BudgetVote, ContentPack
from kiosk.domain import steps
from kiosk.domain.budget_proposal import (
    BUDGET_PROPOSAL_KIND,
    COST_DIGITS,
    TEXT_FIELDS,
    BudgetProposalDraft,
    message_id,
)
from kiosk.domain.identify import IDENTITY, identify_next, identify_step, identity_start
from kiosk.domain.money import won_text
from kiosk.domain.writing import Parts

# The step ids: "budget_proposal_dong", …
DONG, TEXT, COST, REVIEW, SUBMIT = (
    f"budget_proposal_{name}" for name in ("dong", "text", "cost", "review", "submit")
)
STEP_IDS: Final[tuple[str, ...]] = (DONG, TEXT, COST, REVIEW)

PARTS: Final = Parts(
    "budgetproposal",
    {"dong": DONG, "title": TEXT, "place": TEXT, "why": TEXT, "cost": COST},
    TEXT,
)


def worded(problem: Problem) -> steps.StepProblem:
    """A refusal of the draft's rules, naming the field it is about."""
    return steps.Worded(problem.rule, message_id(problem), problem.params)


def cost_words(cost_won: int | None) -> steps.Words:
    """The cost as residents read it: "3,000만원"; a prompt while none is typed."""
    if cost_won is None:
        return steps.msg("budgetproposal.cost.none")
    return steps.msg("budgetproposal.cost.shown", cost=won_text(cost_won))


def stage_words(vote: BudgetVote, now: datetime) -> steps.Msg | None:
    """What the vote page says of the proposal stage before the vote opens: when proposals
    start, or (during and after them) when the vote on the chosen projects starts; None for a
    vote without a proposal window, or once it is open."""
    opens = vote.proposals_open_at
    if opens is None or now >= vote.opens_at:
        return None
    message_id, day = "budgetproposal.vote_later", vote.opens_at.astimezone(KST)
    if now < opens:
        message_id, day = "budgetproposal.soon", opens.astimezone(KST)
    return steps.msg(message_id, year=day.year, month=day.month, day=day.day)


Clock = Callable[[], datetime]


class BudgetProposalFlow(steps.Flow):
    """A resident proposing a project for the budget (the words: `draft`).

    Attributes:
        own_dong: the dong of the centre the kiosk stands in: offered first.
        clock: now, for the proposal window when the resident sends.
    """

    identity_purpose = "budgetproposal.purpose"

    def __init__(
        self, pack: ContentPack, vote: BudgetVote, clock: Clock, own_dong: str | None = None
    ) -> None:
        self.draft = BudgetProposalDraft(pack, vote)
        self.clock = clock
        self.own_dong = own_dong

    def first(self) -> steps.At:
        return steps.At(DONG)

    # -- what each step shows ---------------------------------------------------------------

    def step(self, at: steps.At) -> steps.Step:
        if at.step == IDENTITY:
            return identify_step(self.entry, at)
        if at.step == TEXT:
            return PARTS.text_step(TEXT, at.key, self.draft, multiline=at.key == "why")
        drawn: dict[str, Callable[[], steps.Step]] = {
            DONG: self._dong,
            COST: self._cost,
            REVIEW: self._review,
            SUBMIT: lambda: steps.Step(SUBMIT, "submit", steps.msg("budgetproposal.submit")),
        }
        return drawn[at.step]()

    def _dong(self) -> steps.Step:
        draft = self.draft
        dongs = sorted(draft.pack.district.dongs, key=lambda d: d.id != self.own_dong)
        values = [(d.id, d.name) for d in dongs]
        return PARTS.choice_step(DONG, "dong", values, draft.dong, not draft.submitted)

    def _cost(self) -> steps.Step:
        draft = self.draft
        man = draft.cost_man
        return steps.Step(
            COST,
            "number",
            steps.msg("budgetproposal.title"),
            (
                PARTS.progress("cost"),
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
        answers: dict[str, steps.Words] = {
            "dong": dong.name if dong else (draft.dong or ""),
            **draft.trimmed(),
            "cost": cost_words(draft.cost_won),
        }
        return PARTS.review_step(REVIEW, answers, draft.submitted)

    # -- answering and moving ---------------------------------------------------------------

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        return [worded(p) for p in self.draft.set_dong(str(value))]

    def type(self, at: steps.At, text: str) -> Sequence[steps.StepProblem]:
        if at.step == COST:
            return [worded(p) for p in self.draft.set_cost(text)]
        return [worded(p) for p in self.draft.set_text(at.key, text)]

    def _problems(self, part: str) -> list[Problem]:
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
            return steps.Move(identity_start())
        if at.step == IDENTITY:
            return identify_next(self.entry, at, steps.At(SUBMIT))
        problems = self._problems(PARTS.part(at))
        if problems:
            return steps.Move(None, tuple(worded(p) for p in problems))
        return PARTS.after(at, lambda later: bool(self._problems(later)), steps.At(REVIEW))

    # -- sending ------------------------------------------------------------------------------

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        return steps.ProposeProject(self.draft)

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        receipt = ("civic.thanks.receipt", {"number": sent.number})
        return steps.ThanksNote(
            "budgetproposal.thanks", None, (("budgetproposal.thanks.next", {}), receipt)
        )

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (BUDGET_PROPOSAL_KIND, sent.envelope_id)


# ---------------------------------------------------------------------------------------------
# Sample places, for pictures of every step (./dev render) and the accessibility audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: Final[tuple[str, ...]] = (
    DONG,
    *(f"{TEXT}_{name}" for name in TEXT_FIELDS),
    COST,
    REVIEW,
)
# What the samples type: the title, the place, why, and the rough cost in 만원.
SAMPLE_TYPED: Final = (
    "골목 쉼터 의자",
    "시장 입구 오르막",
    "시장 가는 오르막에 앉아 쉴 곳이 없어 어르신들이 힘들어 하십니다.",
    "3000",
)


def samples(pack: ContentPack, now: datetime) -> dict[str, tuple[steps.Flow, steps.At]]:
    """A place for each of SAMPLE_NAMES (none without a budget), filled from its first dong."""
    vote = pack.budget
    if vote is None:
        return {}

    def flow(filled: int) -> BudgetProposalFlow:
        """A flow with the dong and the first `filled` - 1 typed parts given."""
        made = BudgetProposalFlow(pack, vote, lambda: now)
        if filled:
            made.draft.set_dong(pack.district.dongs[0].id)
        for name, typed in zip(
            (*TEXT_FIELDS, "cost"), SAMPLE_TYPED[: max(filled - 1, 0)], strict=False
        ):
            made.type(PARTS.at(name), typed)
        return made

    places = {f"{TEXT}_{name}": steps.At(TEXT, name) for name in TEXT_FIELDS}
    return {
        DONG: (flow(0), steps.At(DONG)),
        **{name: (flow(n), at) for n, (name, at) in enumerate(places.items(), 1)},
        COST: (flow(5), steps.At(COST)),
        REVIEW: (flow(5), steps.At(REVIEW)),
    }
