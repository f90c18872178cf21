"""Taking part in a contest (공모): voting for published entries, or sending an idea.

This module owns which contests are offered now, the vote's rule (at least one entry, at most
the contest's `max_votes`), what an idea must hold (a title and a text, within limits), and the
payloads of the "contest_vote" and "contest_entry" envelopes. Problems use the survey's
`Problem` type, so both flows speak through one message catalogue.

No Qt and no I/O.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, Literal

from contract.content import ContentPack, Contest
from kiosk.domain.survey import Problem, closed_or_sent

CONTEST_VOTE_KIND: Final = "contest_vote"
CONTEST_ENTRY_KIND: Final = "contest_entry"

# Within contract.wire.ContestEntry's limits; longer texts are not typed at a kiosk.
IDEA_TITLE_MAX: Final = 50
IDEA_TEXT_MAX: Final = 1000

IdeaField = Literal["title", "text"]
IDEA_FIELDS: Final[tuple[IdeaField, ...]] = ("title", "text")


def is_open(contest: Contest, now: datetime) -> bool:
    """True from `opens_at` up to, not including, `closes_at`."""
    return contest.opens_at <= now < contest.closes_at


def contests_open(pack: ContentPack, now: datetime) -> list[Contest]:
    """Contests a resident can take part in at `now`: open, with a vote or taking ideas."""
    return [
        c
        for c in pack.contests
        if is_open(c, now) and (c.accepts_entries or (c.vote is not None and c.entries))
    ]


def takes_votes(contest: Contest) -> bool:
    return contest.vote is not None and bool(contest.entries)


class ContestBallot:
    """One resident's choice of entries in one contest.

    Attributes:
        contest: the contest voted in.
        submitted: True once its envelope is in the outbox.
    """

    def __init__(self, contest: Contest, now: datetime) -> None:
        if contest.vote is None or not contest.entries:
            raise ValueError(f"contest {contest.id} has no vote")
        if not is_open(contest, now):
            raise ValueError(f"contest {contest.id} is not open at {now.isoformat()}")
        self.contest = contest
        self.max_votes = contest.vote.max_votes
        self.once_per_resident = contest.vote.one_vote_per_resident
        self.submitted = False
        self._chosen: set[str] = set()

    @property
    def chosen(self) -> tuple[str, ...]:
        """Chosen entry ids, in the order the contest lists its entries."""
        return tuple(e.id for e in self.contest.entries if e.id in self._chosen)

    def is_chosen(self, entry_id: str) -> bool:
        return entry_id in self._chosen

    def toggle(self, entry_id: str) -> list[Problem]:
        """Choose an entry, or unchoose it if chosen. Returns the rules broken; then nothing
        changes."""
        if self.submitted:
            return [Problem(self.contest.id, "already_submitted")]
        if all(e.id != entry_id for e in self.contest.entries):
            return [Problem(entry_id, "unknown_entry")]
        if entry_id in self._chosen:
            self._chosen.discard(entry_id)
            return []
        if len(self._chosen) >= self.max_votes:
            return [Problem(entry_id, "max_votes", {"max": self.max_votes})]
        self._chosen.add(entry_id)
        return []

    def check(self) -> list[Problem]:
        """What keeps the resident from the review: no entry chosen."""
        return [] if self._chosen else [Problem(self.contest.id, "no_vote")]

    def submit_problems(self, now: datetime, *, voted_here: bool = False) -> list[Problem]:
        """Why the vote cannot be sent now ([] when it can). `voted_here`: this resident's
        local key already voted in this contest at this kiosk (only asked of a contest whose
        vote is one per resident; the server counts the first vote from anywhere)."""
        open_now = is_open(self.contest, now)
        gate = closed_or_sent(self.contest.id, submitted=self.submitted, open_now=open_now)
        if not gate and voted_here:
            return [Problem(self.contest.id, "already_voted")]
        return gate or self.check()

    def payload(self) -> dict[str, Any]:
        """The "contest_vote" payload (contract.wire.ContestVote)."""
        return {"contest_id": self.contest.id, "entry_ids": list(self.chosen)}

    def mark_submitted(self) -> None:
        self.submitted = True


def idea_field_limit(name: IdeaField) -> int:
    return IDEA_TITLE_MAX if name == "title" else IDEA_TEXT_MAX


class IdeaDraft:
    """An idea a resident writes for a contest: a title and a text.

    Attributes:
        contest: the contest it is for.
        submitted: True once its envelope is in the outbox.
    """

    def __init__(self, contest: Contest, now: datetime) -> None:
        if not contest.accepts_entries:
            raise ValueError(f"contest {contest.id} takes no ideas")
        if not is_open(contest, now):
            raise ValueError(f"contest {contest.id} is not open at {now.isoformat()}")
        self.contest = contest
        self.submitted = False
        self._fields: dict[IdeaField, str] = {"title": "", "text": ""}

    def get(self, name: IdeaField) -> str:
        return self._fields[name]

    def set(self, name: IdeaField, value: str) -> list[Problem]:
        """Keep what was typed (as typed, so the keyboard can go on from it). Returns the rules
        it breaks; then nothing changes."""
        if self.submitted:
            return [Problem(self.contest.id, "already_submitted")]
        limit = idea_field_limit(name)
        if len(value.strip()) > limit:
            return [Problem(name, "max_length", {"max": limit})]
        self._fields[name] = value
        return []

    def check(self, name: IdeaField) -> list[Problem]:
        value = self._fields[name].strip()
        if not value:
            return [Problem(name, "required")]
        limit = idea_field_limit(name)
        if len(value) > limit:
            return [Problem(name, "max_length", {"max": limit})]
        return []

    def submit_problems(self, now: datetime) -> list[Problem]:
        open_now = is_open(self.contest, now)
        gate = closed_or_sent(self.contest.id, submitted=self.submitted, open_now=open_now)
        return gate or [p for name in IDEA_FIELDS for p in self.check(name)]

    def payload(self) -> dict[str, Any]:
        """The "contest_entry" payload (contract.wire.ContestEntry), trimmed."""
        return {
            "contest_id": self.contest.id,
            "title": self._fields["title"].strip(),
            "text": self._fields["text"].strip(),
        }

    def mark_submitted(self) -> None:
        self.submitted = True
