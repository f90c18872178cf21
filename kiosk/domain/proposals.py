"""Policy proposals (정책제안): their phase, agreeing (공감), the threshold and a new proposal.

A proposal is open until its deadline, then archived and read-only; a withdrawn one keeps its
page but takes no agrees. Reaching the pack's threshold (100 in 중구) marks it "정책 검토 대상"
and agrees keep counting: a success marker, not a cap. The count a kiosk shows is the server's
last published count plus this kiosk's agrees the server has not confirmed yet, and both parts
are kept apart so the screen can say which is which.

This module also owns what a new proposal must hold and the payloads of the "proposal" and
"proposal_agree" envelopes (contract.wire.NewProposal, ProposalAgree).

No Qt and no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final, Literal, NamedTuple

from contract.civic import Problem
from contract.content import KST, TOPIC_NAMES, ContentPack, Proposal
from kiosk.domain.writing import Writing

PROPOSAL_KIND: Final = "proposal"
PROPOSAL_AGREE_KIND: Final = "proposal_agree"

Phase = Literal["open", "archived", "withdrawn"]


class Message(NamedTuple):
    """A text for the resident as a catalogue id and its values; the screen translates it."""

    message_id: str
    values: Mapping[str, int | str] = MappingProxyType({})


def phase(proposal: Proposal, now: datetime) -> Phase:
    """Withdrawn whatever the date; otherwise open before the deadline, archived from it on."""
    if proposal.status == "withdrawn":
        return "withdrawn"
    return "open" if now < proposal.deadline else "archived"


def last_day(deadline: datetime) -> date:
    """The last Korean calendar day agrees are taken: a deadline at midnight ends the day
    before."""
    return (deadline - timedelta(microseconds=1)).astimezone(KST).date()


def days_left(proposal: Proposal, now: datetime) -> int:
    """Days from today to the last day, both in Korean time: 0 on the last day ("D-day")."""
    return (last_day(proposal.deadline) - now.astimezone(KST).date()).days


# ---------------------------------------------------------------------------------------------
# Agreeing
# ---------------------------------------------------------------------------------------------


def agree_problems(proposal: Proposal, now: datetime, *, agreed_here: bool) -> list[Problem]:
    """Why an agree cannot be given now ([] when it can).

    `agreed_here` is True when this resident's local key already agreed with this proposal at
    this kiosk; the server refuses a second agree from elsewhere.
    """
    match phase(proposal, now):
        case "withdrawn":
            return [Problem(proposal.id, "proposal_withdrawn")]
        case "archived":
            return [Problem(proposal.id, "proposal_closed")]
    if agreed_here:
        return [Problem(proposal.id, "already_agreed")]
    return []


def agree_payload(proposal: Proposal) -> dict[str, Any]:
    """The "proposal_agree" payload; the resident's identity travels sealed beside it."""
    return {"proposal_id": proposal.id}


@dataclass(frozen=True)
class AgreeTally:
    """A proposal's agrees as a kiosk knows them.

    Attributes:
        published: the server's last published count (GET /counts), or the content pack's
            count when the kiosk has not received counts yet.
        pending: this kiosk's agrees given since that count that the server has not
            confirmed yet.
        threshold: the agrees at which the district must answer (the pack's number).
        server_reached: the server said the proposal reached its threshold.
    """

    published: int
    pending: int
    threshold: int
    server_reached: bool = False

    @property
    def total(self) -> int:
        return self.published + self.pending

    @property
    def reached(self) -> bool:
        """True when the server says so or the sum reaches the threshold: the proposal is
        "정책 검토 대상"."""
        return self.server_reached or self.total >= self.threshold

    @property
    def remaining(self) -> int:
        """Agrees still needed; 0 once reached."""
        return 0 if self.reached else max(self.threshold - self.total, 0)

    @property
    def progress(self) -> float:
        """Share of the threshold reached, for a progress bar: 0.0 to 1.0, full once reached."""
        return 1.0 if self.reached else min(self.total / self.threshold, 1.0)


def tally(
    proposal: Proposal,
    threshold: int,
    pending: int = 0,
    *,
    server_total: int | None = None,
    server_reached: bool = False,
) -> AgreeTally:
    """The count a kiosk shows: the server's last total (the pack's `agree_count` until the
    kiosk has received counts: `server_total` None) plus `pending`, this kiosk's agrees given
    after that total was taken. Reached when the server says so or the sum reaches
    `threshold`."""
    if pending < 0:
        raise ValueError(f"pending agrees cannot be negative: {pending}")
    if server_total is not None and server_total < 0:
        raise ValueError(f"a server total cannot be negative: {server_total}")
    published = proposal.agree_count if server_total is None else server_total
    return AgreeTally(published, pending, threshold, server_reached and server_total is not None)


def status_line(proposal: Proposal, counts: AgreeTally, now: datetime) -> tuple[Message, ...]:
    """The parts of "73 / 100 · 27명 남음 · D-12", to be translated and joined with " · ".

    Past the threshold the middle part says "정책 검토 대상"; the last part is "D-day" on the
    last day, and says archived or withdrawn once agrees are no longer taken.
    """
    count = Message("civic.proposal.count", {"total": counts.total, "threshold": counts.threshold})
    if counts.reached:
        progress = Message("civic.proposal.reached")
    else:
        progress = Message("civic.proposal.remaining", {"remaining": counts.remaining})
    match phase(proposal, now):
        case "withdrawn":
            when = Message("civic.proposal.withdrawn")
        case "archived":
            when = Message("civic.proposal.archived")
        case "open":
            days = days_left(proposal, now)
            when = (
                Message("civic.proposal.d_day")
                if days == 0
                else Message("civic.proposal.days_left", {"days": days})
            )
    return count, progress, when


def count_parts(counts: AgreeTally) -> Message:
    """Which part of the count is the server's and which is this kiosk's, not yet confirmed."""
    if counts.pending == 0:
        return Message("civic.proposal.count_published", {"published": counts.published})
    return Message(
        "civic.proposal.count_parts",
        {"published": counts.published, "pending": counts.pending},
    )


# ---------------------------------------------------------------------------------------------
# Writing a proposal
# ---------------------------------------------------------------------------------------------

# Within contract.wire.NewProposal's limits: a title says what, a body says why and where.
TITLE_MIN: Final = 4
TITLE_MAX: Final = 50
BODY_MIN: Final = 20
BODY_MAX: Final = 1000

TextField = Literal["title", "body"]
TEXT_LIMITS: Final[Mapping[str, tuple[int, int]]] = {
    "title": (TITLE_MIN, TITLE_MAX),
    "body": (BODY_MIN, BODY_MAX),
}


def proposal_topics() -> tuple[str, ...]:
    """The topics a proposal may have (복지, 교통, …), in the catalogue's order."""
    return tuple(TOPIC_NAMES)


def draft_message_id(problem: Problem) -> str:
    """The message of a refusal of a new proposal's draft: a missing or too short field is
    named ("제목을 입력해 주세요"); the rest are worded as any civic refusal."""
    if problem.rule in ("required", "too_short") and problem.where in DRAFT_FIELDS:
        return f"newproposal.{problem.rule}.{problem.where}"
    return problem.message_id


# The fields of a draft a refusal may name (draft_message_id).
DRAFT_FIELDS: Final = ("title", "body", "dong", "topic")


class ProposalDraft(Writing):
    """A new proposal a resident writes: title, body, dong and topic, checked before review.

    Attributes:
        pack: the content pack whose dongs may be chosen.
        submitted: True once its envelope is in the outbox.
    """

    limits = TEXT_LIMITS

    def __init__(self, pack: ContentPack) -> None:
        super().__init__(pack)
        self.topic: str | None = None

    def set_topic(self, topic: str) -> list[Problem]:
        if self.submitted:
            return [Problem("topic", "already_submitted")]
        if topic not in proposal_topics():
            return [Problem("topic", "unknown_topic")]
        self.topic = topic
        return []

    def problems(self) -> list[Problem]:
        """Everything that keeps the draft from the review step; [] when it may be sent."""
        if self.submitted:
            return [Problem("proposal", "already_submitted")]
        found = self.check_text("title") + self.check_text("body")
        if self.dong is None:
            found.append(Problem("dong", "required"))
        if self.topic is None:
            found.append(Problem("topic", "required"))
        return found

    def payload(self) -> dict[str, Any]:
        """The "proposal" payload, trimmed; only for a draft without problems."""
        if self.problems():
            raise ValueError("a proposal with problems has no payload")
        return {**self.trimmed(), "dong": self.dong, "topic": self.topic}
