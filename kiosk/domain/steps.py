"""Step flows: a resident flow as data (issue 18, item 4). No Qt, no I/O.

A resident flow (a survey or quiz, a contest, a new proposal, a ballot, points) is a walk
through steps. Each step the resident meets is described by a `Step`: a stable `id` (the route
name the shell, lessons and staff calls know it by), a `kind` that picks the one generic screen
drawing it (kiosk.ui.steps), its words as message ids or content texts, its options, what it
lets the resident type, and the label of its primary action.

A `Flow` holds the resident's answers. It gives the step at a place (`At`), takes the answers
given there (checked by the flow's own domain rules, e.g. kiosk.domain.survey) and says where
다음 leads (`Move`). A step of kind "submit" is where the flow sends what it gathered: the
runner asks the flow for its `Submission`, sends it, and shows the flow's thank-you.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal, Protocol, TypeAlias, get_args

from contract.content_base import KST

if TYPE_CHECKING:
    from contract.content import PointRules, Proposal, Text
    from contract.wire import PointsLedger
    from kiosk.domain.ballot import BallotSession
    from kiosk.domain.budget_proposal import BudgetProposalDraft
    from kiosk.domain.contest import ContestBallot
    from kiosk.domain.identify import IdentityEntry
    from kiosk.domain.identity import Identified
    from kiosk.domain.proposals import ProposalDraft

StepKind = Literal[
    "info",
    "choice",
    "picture_choice",
    "text",
    "number",
    "review",
    "identify",
    "submit",
    "thanks",
]
STEP_KINDS: Final[tuple[str, ...]] = get_args(StepKind)
# How a choice step lays out its options: a list of answers, five faces of a scale, two large
# tiles (예 / 아니요), or actions (one a row, plain buttons that act at once: nothing is chosen).
ChoiceLayout = Literal["list", "faces", "tiles", "actions"]
Mark = Literal["right", "wrong"]


# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Msg:
    """A message of the catalogue (kiosk.i18n) and its values; a value may itself be words."""

    id: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Join:
    """Words one after the other with `sep` between them."""

    parts: tuple[Words, ...]
    sep: str = " · "


# A message, a text of the content pack (in the resident's language), words joined, or the
# resident's own typing as it was typed.
# (Named in quotes: the content pack's models are imported only where they are used, not with
# the steps, which the first screen's modules import.)
Words: TypeAlias = "Msg | Text | Join | str"


def msg(message_id: str, **params: object) -> Msg:
    return Msg(message_id, params)


def until(moment: datetime) -> Msg:
    """ "2027년 3월 31일까지": the last day something is open, in Korean time."""
    local = moment.astimezone(KST)
    # A close at midnight belongs to the day before.
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        local -= timedelta(days=1)
    return msg("survey.until", year=local.year, month=local.month, day=local.day)


def kind_and_until(kind_id: str, closes_at: datetime) -> Join:
    """ "설문 · 2027년 3월 31일까지": what an item is and its last day."""
    return Join((msg(kind_id), until(closes_at)))


@dataclass(frozen=True)
class Line:
    """A line of a step: its words, how it looks (a theme role), the objectName tests and
    lessons find it by, a drawn ○/✕ before it, and whether it stands in a card with the
    lines beside it that also do."""

    words: Words
    role: str | None = None
    name: str = ""
    mark: Mark | None = None
    mark_scale: float = 1.0
    card: bool = False


# ---------------------------------------------------------------------------------------------
# What a step offers
# ---------------------------------------------------------------------------------------------

Value = str | int | bool


@dataclass(frozen=True)
class Option:
    """One answer of a choice step: what choosing it answers, its lines (the first is its
    name), a picture of the pack or a drawn face of a 1-5 scale; among actions, whether it is
    the one the step suggests (drawn as the primary action)."""

    value: Value
    lines: tuple[Line, ...]
    picture: str | None = None
    face: int | None = None
    name_prefix: str = "choice_"
    primary: bool = False

    @property
    def name(self) -> str:
        """The objectName tests and lessons find it by: "choice_70s", "entry_e1"."""
        return f"{self.name_prefix}{self.value}"


@dataclass(frozen=True)
class Pictures:
    """How a picture choice lays out its pictures: `height` in touch-target heights, at most
    `most` a row, `grow` times taller when one fills a row, and a card at least `min_em`
    body-text heights wide (for the words under it); `beside`, one a row on a landscape
    window stands at the left of its words (a low card, for pages of little height), as
    it is where the words are secondary (a contest entry's; not a project's cost)."""

    height: float = 2.2
    most: int = 4
    grow: float = 1.6
    min_em: int = 0
    beside: bool = False


@dataclass(frozen=True)
class Entry:
    """What a text step lets the resident type."""

    max_length: int
    multiline: bool = False
    initial: str = ""


@dataclass(frozen=True)
class Number:
    """What a number step lets the resident type on the keypad: at most `max_digits` digits,
    and the digits typed so far (`initial`). The flow words the value (a pinned line)."""

    max_digits: int
    initial: str = ""


@dataclass(frozen=True)
class ReviewRow:
    """A card of a review: what was asked, the answer, 고치기 (to the place `fix`), and for a
    quiz whether it was right."""

    name: str
    heading: Words
    answer: Words
    fix: At | None = None
    right: bool | None = None
    picture: str | None = None


@dataclass(frozen=True)
class Action:
    """The step's primary action (다음, 시작하기, 보내기…) and the objectName it is found by."""

    words: Msg = Msg("flow.next")
    name: str = "flowNext"


@dataclass(frozen=True)
class Share:
    """A "see it on a phone" button for the item's web address."""

    url: str
    title: Text
    at_foot: bool = False


@dataclass(frozen=True)
class Step:
    """One step as the resident meets it.

    Attributes:
        id: stable; the route name, what lessons and staff calls name.
        kind: which generic screen draws it.
        title: the window title and the first words read aloud.
        head: the lines above the answers.
        options: a choice step's answers; `chosen` those chosen now.
        multiple: whether several options may be chosen (a box each) or one.
        layout: how a choice step lays its options out, `most` columns at most (0: one, two
            where the window is wide); pictures: how a picture choice does.
        chosen_word: what a chosen option's accessible name adds ("고른 답").
        enabled: whether the answers can still be changed.
        moves_on: a choice that moves on by itself once made (no 다음).
        entry: what a text step lets the resident type.
        number: what a number step lets the resident type on the keypad.
        rows: a review's cards.
        tail: lines right after the body (the answers, the keypad, the cards).
        foot: lines at the foot of the working area, above the action.
        share: a "see it on a phone" button (under the answers, or at the foot).
        pinned: a line kept in view under the working area however far it scrolls.
        action: the primary action; None for none.
        back: whether the step offers 이전 beside it, and in which words.
    """

    id: str
    kind: StepKind
    title: Words
    head: tuple[Line, ...] = ()
    options: tuple[Option, ...] = ()
    chosen: tuple[Value, ...] = ()
    multiple: bool = False
    layout: ChoiceLayout = "list"
    most: int = 0
    pictures: Pictures = Pictures()
    chosen_word: Msg = Msg("survey.chosen")
    enabled: bool = True
    moves_on: bool = False
    entry: Entry | None = None
    number: Number | None = None
    rows: tuple[ReviewRow, ...] = ()
    tail: tuple[Line, ...] = ()
    foot: tuple[Line, ...] = ()
    share: Share | None = None
    pinned: Line | None = None
    action: Action | None = Action()
    back: bool = True
    back_words: Msg = Msg("flow.back")

    def is_chosen(self, value: Value) -> bool:
        """Whether `value` is chosen (True is not 1: the type counts)."""
        return any(value == c and type(value) is type(c) for c in self.chosen)


# ---------------------------------------------------------------------------------------------
# Moving through a flow
# ---------------------------------------------------------------------------------------------


class StepProblem(Protocol):
    """A broken rule as a domain reports it (kiosk.domain.survey's or kiosk.domain.civic's
    Problem): which rule, the message that tells the resident, and its values."""

    @property
    def rule(self) -> str: ...

    @property
    def message_id(self) -> str: ...

    @property
    def params(self) -> Mapping[str, int | str]: ...


@dataclass(frozen=True)
class At:
    """A place in a flow: the step's id, which item it is about (a question id) when the step
    repeats, and whether it was reached by 고치기 from the review."""

    step: str
    key: str = ""
    editing: bool = False


@dataclass(frozen=True)
class Move:
    """The result of 다음: the place to go to, or no move and what keeps the resident here."""

    to: At | None
    problems: tuple[StepProblem, ...] = ()

    @property
    def moved(self) -> bool:
        return self.to is not None and not self.problems


@dataclass(frozen=True)
class Submission:
    """What a flow sends whose rules it checked itself: an envelope's kind and payload
    (kiosk.services' `submit`)."""

    kind: str
    payload: Mapping[str, object]


@dataclass(frozen=True)
class Propose:
    """Sending a new proposal (kiosk.services' `propose`: its rules checked in the act)."""

    draft: ProposalDraft


@dataclass(frozen=True)
class ProposeProject:
    """Sending a budget project proposal (kiosk.services' `propose_project`: its rules and
    window checked in the act)."""

    draft: BudgetProposalDraft


@dataclass(frozen=True)
class Agree:
    """공감 with a proposal (kiosk.services' `agree`: its rules checked in the act)."""

    proposal: Proposal


@dataclass(frozen=True)
class Vote:
    """Casting a budget ballot (kiosk.services' `vote`: its rules checked in the act)."""

    session: BallotSession


@dataclass(frozen=True)
class ContestVote:
    """A vote in a contest that counts once per resident (kiosk.services' `contest_vote`: its
    rules and this kiosk's one-vote record checked in the act)."""

    ballot: ContestBallot


# What a resident does with points: exchange them for the district's voucher, or donate them.
PointsUse = Literal["exchange", "donate"]


@dataclass(frozen=True)
class SpendPoints:
    """Exchanging or donating points, against the last balance known (an exchange by the
    pack's `rules`)."""

    use: PointsUse
    points: int
    balance: int
    rules: PointRules


@dataclass(frozen=True)
class LedgerQuestion:
    """Asking the server for the identified resident's points ledger (kiosk.services' ledger
    look-up, sealed for that one request) while the step says the resident waits."""


# What a step may wait for from the server (`Flow.asks`): the one question so far.
Question = LedgerQuestion
LEDGER: Final = LedgerQuestion()


class LedgerAnswer(Protocol):
    """The answer to a `LedgerQuestion`: "ready" with the ledger, "offline" (not reached, or
    not within the wait) or "failed"."""

    @property
    def outcome(self) -> str: ...

    @property
    def ledger(self) -> PointsLedger | None: ...


class Asked(Protocol):
    """A question asked of the server that a step waits for (kiosk.services' `LedgerLookup`),
    as the waiting step reads it.

    Attributes:
        wait_s: how long a resident is asked to wait for the answer.
        on_answer: called once the server's answer came (the step that waits sets it while
            it is shown).
    """

    wait_s: float
    on_answer: Callable[[], None] | None

    @property
    def answer(self) -> LedgerAnswer | None:
        """The answer once it came (or once the wait ran out); None while waiting."""

    def poll(self) -> LedgerAnswer | None:
        """The answer, or "offline" once the wait ran out first; None while waiting."""

    def elapsed_s(self) -> float:
        """Seconds since it was asked (0 before)."""


# What the submit step of a flow asks kiosk.services to do.
Act = Submission | Propose | ProposeProject | Agree | Vote | ContestVote | SpendPoints
ACTS: Final = (Submission, Propose, ProposeProject, Agree, Vote, ContestVote, SpendPoints)


@dataclass(frozen=True)
class Sent:
    """An act's receipt as a flow needs it: the number the resident is shown, and the id of
    the envelope."""

    number: str
    envelope_id: str


@dataclass(frozen=True)
class ThanksNote:
    """What a thank-you step says: a message id, the points the act may earn (None: it earns
    and promises nothing), and any further lines as (message id, values)."""

    message_id: str
    points: int | None = None
    lines: tuple[tuple[str, Mapping[str, object]], ...] = ()
    # The envelope whose receipt from the server says whether the points were credited ("":
    # the thank-you does not follow it).
    credit: str = ""


class Flow(ABC):
    """One resident going through one flow during one visit.

    Plain Python: the kiosk keeps it in the route of each step, so the answers survive a
    rebuild (text size, language, theme) and vanish with the visit's history.

    Attributes:
        identity: who the resident is, once an identify step asked (in memory only).
        entry: what the resident types at an identify step (the runner sets it on arrival,
            with the server's key), for `identity_purpose` (a message id).
        asked: what the kiosk asked the server for this flow and waits for (a look-up of
            kiosk.services), kept with the flow so a rebuild does not ask again.
        shown_from: where the resident turned each paged step to.
    """

    identity: Identified | None = None
    entry: IdentityEntry | None = None
    identity_purpose: str = ""
    asked: Asked | None = None
    # The first option (or row) shown of each paged step (kiosk.domain.paging), by place: a
    # rebuild (text size, language) or a return from the next step opens the same page.
    shown_from: Mapping[At, int] = MappingProxyType({})

    def turned(self, at: At, first_item: int) -> None:
        """The resident turned the page of the step at `at` to the one with `first_item`."""
        self.shown_from = {**self.shown_from, at: first_item}

    @abstractmethod
    def first(self) -> At:
        """Where the flow starts."""

    @abstractmethod
    def step(self, at: At) -> Step:
        """The step at `at`, as it stands with the answers given so far."""

    def choose(self, at: At, value: Value) -> Sequence[StepProblem]:
        """A tap on an option of a choice step; the rules it breaks (then nothing changes)."""
        raise NotImplementedError(f"{at.step} takes no choice")

    def type(self, at: At, text: str) -> Sequence[StepProblem]:
        """The text of a text step as typed so far; the rules it breaks."""
        raise NotImplementedError(f"{at.step} takes no text")

    @abstractmethod
    def next(self, at: At) -> Move:
        """다음 (or the step's own primary action) at `at`."""

    def asks(self, at: At) -> Question | None:
        """What the step at `at` waits for from the server (asked once per flow); None for
        nothing."""
        return None

    def answered(self, at: At, answer: LedgerAnswer | None, waited_s: float) -> None:
        """What is known of the question of `at`: the answer (None while waiting) and the
        seconds waited so far."""
        raise NotImplementedError(f"{at.step} asks nothing")

    def submission(self, now: datetime) -> Act | Sequence[StepProblem]:
        """What to send at `now`, or why it cannot be sent."""
        raise NotImplementedError("this flow sends nothing")

    def submitted(self, sent: Sent) -> ThanksNote:
        """The act is queued: remember it; what the thank-you says."""
        raise NotImplementedError("this flow sends nothing")

    def sent_key(self, sent: Sent) -> tuple[str, str] | None:
        """(envelope kind, item id) the visit records once sent, so that it is not offered
        again in this visit; None for none."""
        return None


@dataclass(frozen=True)
class Worded:
    """A domain's problem told in a flow's own words (e.g. which field of an idea is empty)."""

    rule: str
    message_id: str
    params: Mapping[str, int | str] = field(default_factory=dict)
