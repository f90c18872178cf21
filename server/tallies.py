"""What the counted envelopes add up to: proposal agrees against the threshold, and ballots per
project and per dong with their ranking.

Only entries `server.residents` counted are added up: a resident's first agree with a proposal
and first ballot in a vote. The newest published pack gives the threshold, each proposal's agrees
from outside this server (its `agree_count`), the ballots' projects and the vote's close; the
ranking rule (equal votes share a rank) is the kiosk's own (contract.ballot.ranking).
Kiosks get these as `contract.wire.Counts` (GET /api/v1/counts), staff from
``python -m server tallies``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from contract.ballot import ranking
from contract.content import BallotResult, BudgetVote, ContentPack, ProjectResult
from contract.wire import Counts, DongResult, ProjectVotes, ProposalCount
from server.db import ServerDatabase
from server.db.models import ResidentEntry, Submission
from server.residents import NewestPack

DEFAULT_THRESHOLD = 100


@dataclass
class DongTally:
    """Counted ballots of one dong in one vote."""

    voters: int = 0
    votes: Counter[str] = field(default_factory=Counter)


def agree_counts(db: ServerDatabase) -> dict[str, int]:
    """Counted agrees per proposal id."""
    with db.read() as session:
        rows = session.execute(
            select(ResidentEntry.target, func.count())
            .where(ResidentEntry.kind == "proposal_agree", ResidentEntry.counted.is_(True))
            .group_by(ResidentEntry.target)
        ).all()
    return {target: count for target, count in rows}


def ballot_tallies(db: ServerDatabase) -> dict[tuple[str, str], DongTally]:
    """Counted ballots per (vote id, dong): voters and votes per project."""
    with db.read() as session:
        bodies = session.scalars(
            select(Submission.body)
            .join(
                ResidentEntry,
                (ResidentEntry.device_id == Submission.device_id)
                & (ResidentEntry.envelope_id == Submission.id),
            )
            .where(ResidentEntry.kind == "ballot", ResidentEntry.counted.is_(True))
        ).all()
    tallies: dict[tuple[str, str], DongTally] = defaultdict(DongTally)
    for body in bodies:
        payload = json.loads(body)["payload"]
        tally = tallies[payload["vote_id"], payload["dong"]]
        tally.voters += 1
        tally.votes.update(set(payload["project_ids"]))
    return dict(tallies)


def new_proposals(db: ServerDatabase) -> int:
    """Proposals residents wrote, stored for staff review (never published by the server)."""
    with db.read() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Submission)
                .where(Submission.kind == "proposal", Submission.counted.is_(True))
            )
            or 0
        )


# ---------------------------------------------------------------------------------------------
# Putting them together
# ---------------------------------------------------------------------------------------------


def proposal_counts(db: ServerDatabase, pack: ContentPack | None) -> list[ProposalCount]:
    """Every proposal of the pack, then any other proposal with agrees, by id."""
    counted = agree_counts(db)
    threshold = pack.district.proposal_threshold if pack is not None else DEFAULT_THRESHOLD
    published = {p.id: p.agree_count for p in pack.proposals} if pack is not None else {}
    ids = list(published) + sorted(set(counted) - set(published))
    result = []
    for pid in ids:
        total = published.get(pid, 0) + counted.get(pid, 0)
        result.append(
            ProposalCount(
                proposal_id=pid,
                published=published.get(pid, 0),
                counted=counted.get(pid, 0),
                total=total,
                threshold=threshold,
                reached=total >= threshold,
            )
        )
    return result


def dong_results(db: ServerDatabase, pack: ContentPack | None) -> list[DongResult]:
    """Every dong with counted ballots, and every dong of the pack's vote, ranked."""
    tallies = ballot_tallies(db)
    vote = pack.budget if pack is not None else None
    if vote is not None:
        for ballot in vote.ballots:
            tallies.setdefault((vote.id, ballot.dong), DongTally())
    return [
        _dong_result(vote if vote is not None and vote.id == vote_id else None, vote_id, dong, t)
        for (vote_id, dong), t in sorted(tallies.items(), key=lambda kv: _pack_order(vote, kv[0]))
    ]


def _pack_order(vote: BudgetVote | None, key: tuple[str, str]) -> tuple[int, str, str]:
    dongs = [b.dong for b in vote.ballots] if vote is not None and vote.id == key[0] else []
    return (dongs.index(key[1]) if key[1] in dongs else len(dongs), *key)


def _dong_result(vote: BudgetVote | None, vote_id: str, dong: str, tally: DongTally) -> DongResult:
    ballot = vote.ballot_for(dong) if vote is not None else None
    if vote is None or ballot is None:
        # A vote or dong the newest pack no longer has: the votes as counted, unranked.
        counted = sorted(tally.votes.items(), key=lambda kv: (-kv[1], kv[0]))
        unranked = [ProjectVotes(project_id=p, votes=v) for p, v in counted]
        return DongResult(
            vote_id=vote_id, ballot_id=None, dong=dong, voters=tally.voters, ranking=unranked
        )
    # Every project on the ballot, highest votes first, the pack's order among equals.
    lines = sorted(
        (
            ProjectResult(project=p.id, votes=tally.votes[p.id], selected=False)
            for p in ballot.reviewed_projects
        ),
        key=lambda r: -r.votes,
    )
    result = BallotResult(dong=dong, voters=tally.voters, ranking=lines)
    ranked = ranking(vote.model_copy(update={"results": [result]}), dong) or []
    return DongResult(
        vote_id=vote_id,
        ballot_id=ballot.id,
        dong=dong,
        voters=tally.voters,
        ranking=[ProjectVotes(project_id=r.project.id, votes=r.votes, rank=r.rank) for r in ranked],
    )


def counts(db: ServerDatabase, pack: ContentPack | None, now: datetime) -> Counts:
    """What kiosks get: agree counts now; a vote's results per dong only once it has closed."""
    vote = pack.budget if pack is not None else None
    results = []
    if vote is not None and now >= vote.closes_at:
        results = [r for r in dong_results(db, pack) if r.vote_id == vote.id]
    return Counts(
        server_time=now,
        content_version=pack.content_version if pack is not None else None,
        proposals=proposal_counts(db, pack),
        ballot_results=results,
    )


@dataclass(frozen=True)
class StaffTallies:
    """``python -m server tallies``: the counts as they stand, closed or not."""

    content_version: str | None
    vote_id: str | None
    vote_closes_at: datetime | None
    proposals: list[ProposalCount]
    awaiting_review: int
    ballots: list[DongResult]

    def to_json(self) -> dict[str, Any]:
        return {
            "content_version": self.content_version,
            "vote_id": self.vote_id,
            "vote_closes_at": self.vote_closes_at.isoformat() if self.vote_closes_at else None,
            "proposals": [p.model_dump(mode="json") for p in self.proposals],
            "new_proposals_awaiting_review": self.awaiting_review,
            "ballots": [b.model_dump(mode="json") for b in self.ballots],
        }


def staff_tallies(db: ServerDatabase) -> StaffTallies:
    pack = NewestPack(db).get()
    vote = pack.budget if pack is not None else None
    return StaffTallies(
        content_version=pack.content_version if pack is not None else None,
        vote_id=vote.id if vote is not None else None,
        vote_closes_at=vote.closes_at if vote is not None else None,
        proposals=proposal_counts(db, pack),
        awaiting_review=new_proposals(db),
        ballots=dong_results(db, pack),
    )
