"""정책제안 하기 as a step flow (kiosk.domain.steps). No Qt, no I/O.

Steps: the dong ("proposal_new_dong") and the topic ("proposal_new_topic") as choices, the title
and the text typed ("proposal_new_text", keyed by the field), the review with 고치기 each
("proposal_new_review"), 본인 확인 ("identity": the points go to the author), sending and the
thank-you. The rules are kiosk.domain.proposals' `ProposalDraft`.

공감 with a proposal is a flow too (`AgreeFlow`): 본인 확인, the agree, the thank-you with the
count as it stands after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final

from contract.civic import Problem
from contract.content import TOPIC_NAMES, ContentPack, Proposal
from kiosk.domain import steps
from kiosk.domain.identify import IDENTITY, identify_next, identify_step, identity_start
from kiosk.domain.points import activity_points
from kiosk.domain.proposals import (
    PROPOSAL_AGREE_KIND,
    PROPOSAL_KIND,
    AgreeTally,
    ProposalDraft,
    count_parts,
    draft_message_id,
    proposal_topics,
)
from kiosk.domain.writing import Parts

NEW_DONG: Final = "proposal_new_dong"
NEW_TOPIC: Final = "proposal_new_topic"
NEW_TEXT: Final = "proposal_new_text"
NEW_REVIEW: Final = "proposal_new_review"
SUBMIT: Final = "proposal_new_submit"
AGREE_SUBMIT: Final = "proposal_agree_submit"
STEP_IDS: Final[tuple[str, ...]] = (NEW_DONG, NEW_TOPIC, NEW_TEXT, NEW_REVIEW)

PARTS: Final = Parts(
    "newproposal",
    {"dong": NEW_DONG, "topic": NEW_TOPIC, "title": NEW_TEXT, "body": NEW_TEXT},
    NEW_TEXT,
)


def worded(problem: Problem) -> steps.StepProblem:
    """A refusal of the draft's rules, naming the field it is about."""
    return steps.Worded(problem.rule, draft_message_id(problem), problem.params)


def topic_words(topic: str) -> steps.Words:
    return TOPIC_NAMES.get(topic) or topic


class ProposalFlow(steps.Flow):
    """A resident writing a new proposal (the words: `draft`).

    Attributes:
        own_dong: the dong of the centre the kiosk stands in: offered first.
        points: what a proposal earns under the pack's rules.
        practice: written in practice (a coach's lesson): it earns nothing, and the review
            says so instead of the points.
    """

    identity_purpose = "newproposal.purpose"

    def __init__(
        self, pack: ContentPack, *, own_dong: str | None = None, practice: bool = False
    ) -> None:
        self.draft = ProposalDraft(pack)
        self.own_dong = own_dong
        self.points = activity_points(pack, "proposal")
        self.practice = practice

    def first(self) -> steps.At:
        return steps.At(NEW_DONG)

    # -- what each step shows ---------------------------------------------------------------

    def step(self, at: steps.At) -> steps.Step:
        if at.step in (NEW_DONG, NEW_TOPIC):
            return self._choice(PARTS.part(at))
        if at.step == NEW_TEXT:
            return self._text(PARTS.part(at))
        if at.step == NEW_REVIEW:
            return self._review()
        if at.step == IDENTITY:
            return identify_step(self.entry, at)
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("newproposal.submit"))
        raise KeyError(at.step)

    def _choice(self, part: str) -> steps.Step:
        draft = self.draft
        if part == "dong":
            dongs = sorted(draft.pack.district.dongs, key=lambda d: d.id != self.own_dong)
            values: list[tuple[str, steps.Words]] = [(d.id, d.name) for d in dongs]
        else:
            values = [(t, topic_words(t)) for t in proposal_topics()]
        current = draft.dong if part == "dong" else draft.topic
        return PARTS.choice_step(PARTS.asked_at[part], part, values, current, not draft.submitted)

    def _text(self, part: str) -> steps.Step:
        assert part in ("title", "body")
        return PARTS.text_step(NEW_TEXT, part, self.draft, multiline=part == "body")

    def _review(self) -> steps.Step:
        draft = self.draft
        dong = draft.pack.district.dong(draft.dong) if draft.dong else None
        answers: dict[str, steps.Words] = {
            "dong": dong.name if dong else (draft.dong or ""),
            "topic": topic_words(draft.topic) if draft.topic else "",
            "title": draft.get("title").strip(),
            "body": draft.get("body").strip(),
        }
        tail: tuple[steps.Line, ...] = ()
        if self.practice:
            tail = (steps.Line(steps.msg("coach.review.practice"), "strong"),)
        elif self.points is not None:
            tail = (steps.Line(steps.msg("survey.points", points=f"{self.points:,}"), "strong"),)
        return PARTS.review_step(NEW_REVIEW, answers, draft.submitted, tail)

    # -- answering and moving ---------------------------------------------------------------

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        setter = self.draft.set_dong if at.step == NEW_DONG else self.draft.set_topic
        return [worded(p) for p in setter(str(value))]

    def type(self, at: steps.At, text: str) -> Sequence[steps.StepProblem]:
        part = PARTS.part(at)
        assert part in ("title", "body")
        return [worded(p) for p in self.draft.set_text(part, text)]

    def _missing(self, part: str) -> bool:
        if part == "dong" or part == "topic":
            return getattr(self.draft, part) is None
        return bool(self.draft.check_text(part))

    def next(self, at: steps.At) -> steps.Move:
        if at.step == NEW_REVIEW:
            problems = self.draft.problems()
            if problems:
                return steps.Move(None, tuple(worded(p) for p in problems))
            return steps.Move(identity_start())
        if at.step == IDENTITY:
            return identify_next(self.entry, at, steps.At(SUBMIT))
        part = PARTS.part(at)
        if part in ("dong", "topic") and self._missing(part):
            return steps.Move(None, (worded(Problem(part, "required")),))
        if part in ("title", "body"):
            problems = self.draft.check_text(part)
            if problems:
                return steps.Move(None, tuple(worded(p) for p in problems))
        return PARTS.after(at, self._missing, steps.At(NEW_REVIEW))

    # -- sending ------------------------------------------------------------------------------

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        return steps.Propose(self.draft)

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        threshold = self.draft.pack.district.proposal_threshold
        return steps.ThanksNote(
            "newproposal.thanks",
            self.points,
            (
                ("newproposal.thanks.threshold", {"threshold": threshold}),
                ("civic.thanks.receipt", {"number": sent.number}),
            ),
            # Promised as the server will credit them (the thank-you follows the receipt).
            credit=sent.envelope_id,
        )

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (PROPOSAL_KIND, sent.envelope_id)


class AgreeFlow(steps.Flow):
    """공감 with a proposal: 본인 확인, then the agree.

    Attributes:
        proposal_id: the proposal agreed with.
        find: the proposal as the kiosk's content has it now (None once it is gone).
        counted: its count as it stands now (after the agree, for the thank-you).
        points: what an agree earns under the pack's rules.
    """

    identity_purpose = "civic.identity.purpose.agree"

    def __init__(
        self,
        proposal_id: str,
        find: Callable[[str], Proposal | None],
        counted: Callable[[Proposal], AgreeTally],
        points: int | None,
    ) -> None:
        self.proposal_id = proposal_id
        self.find = find
        self.counted = counted
        self.points = points

    def first(self) -> steps.At:
        return identity_start()

    def step(self, at: steps.At) -> steps.Step:
        if at.step == IDENTITY:
            return identify_step(self.entry, at)
        return steps.Step(AGREE_SUBMIT, "submit", steps.msg("civic.proposal.agree"))

    def next(self, at: steps.At) -> steps.Move:
        return identify_next(self.entry, at, steps.At(AGREE_SUBMIT))

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        proposal = self.find(self.proposal_id)
        if proposal is None:
            return [steps.Worded("proposal", "civic.proposal.gone")]
        return steps.Agree(proposal)

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        proposal = self.find(self.proposal_id)
        assert proposal is not None, "it was there for the act"
        parts = count_parts(self.counted(proposal))
        return steps.ThanksNote(
            "civic.thanks.agree",
            self.points,
            (
                (parts.message_id, parts.values),
                ("civic.thanks.server", {}),
                ("civic.thanks.receipt", {"number": sent.number}),
            ),
            # Promised as the server will credit them (the thank-you follows the receipt).
            credit=sent.envelope_id,
        )

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (PROPOSAL_AGREE_KIND, self.proposal_id)


# ---------------------------------------------------------------------------------------------
# Sample places, for pictures of every step (./dev render) and the accessibility audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: Final[tuple[str, ...]] = (
    NEW_DONG,
    NEW_TOPIC,
    f"{NEW_TEXT}_title",
    f"{NEW_TEXT}_body",
    NEW_REVIEW,
)
SAMPLE_TITLE: Final = "골목에 쉼터 의자를 놓아 주세요"
SAMPLE_BODY: Final = (
    "큰길에서 시장까지 오르막이 길어서 어르신들이 쉬어 갈 곳이 없습니다. "
    "골목 중간에 등받이 있는 의자를 두 개만 놓아 주세요."
)


def _sample(
    pack: ContentPack, *, title: str = "", body: str = "", topic: bool = True
) -> ProposalFlow:
    flow = ProposalFlow(pack)
    flow.draft.set_dong(pack.district.dongs[0].id)
    if topic:
        flow.draft.set_topic("welfare")
    if title:
        flow.draft.set_text("title", title)
    if body:
        flow.draft.set_text("body", body)
    return flow


def samples(pack: ContentPack, now: datetime) -> dict[str, tuple[steps.Flow, steps.At]]:
    """A place for each of SAMPLE_NAMES, filled from the pack's first dong."""
    chosen = _sample(pack, topic=False)
    return {
        NEW_DONG: (ProposalFlow(pack), steps.At(NEW_DONG)),
        NEW_TOPIC: (chosen, steps.At(NEW_TOPIC)),
        f"{NEW_TEXT}_title": (chosen, steps.At(NEW_TEXT, "title")),
        f"{NEW_TEXT}_body": (_sample(pack, title=SAMPLE_TITLE), steps.At(NEW_TEXT, "body")),
        NEW_REVIEW: (_sample(pack, title=SAMPLE_TITLE, body=SAMPLE_BODY), steps.At(NEW_REVIEW)),
    }
