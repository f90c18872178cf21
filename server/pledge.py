"""The district's pledge (공약 확인지표): 온통중구 활용 건수 per year against its target, beside the
residents' response counts, which are a different figure and are never added to it.

활용 건수 of a year (Korean time) is the sum of:
- 정책제안 접수: resident proposals the server received and counted that year (practice and
  held ones are not counted, server.ingest);
- 설문 운영 (quizzes included) and 공모 운영: each survey or contest of any published pack
  counts once, in the year it opened, once it has opened (the newest published version of an
  item gives its opening; one listed in ten versions is still one);
- 주민참여예산 제안 접수: budget project proposals (kind "budget_proposal") the server received
  and counted that year, counted as proposals are.

The target is the pack's `district.pledge_targets[year]` (assets/demo: 300, 330, 370, 400, 430
for 2022-2026); a year without one shows no target. The response counts are counted survey
responses, contest entries and votes, agrees with proposals and participatory-budget ballots
of the year, the same rule as server.report. The whole section is district-wide: surveys and
contests belong to no dong.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from contract.content import ContentPack
from server.db import ServerDatabase
from server.db.models import Manifest, Submission

KST: Final = ZoneInfo("Asia/Seoul")
# The response kinds shown beside the pledge, with their labels (not part of 활용 건수).
RESPONSES: Final[dict[str, str]] = {
    "survey_response": "설문 응답",
    "contest_entry": "공모 응모",
    "contest_vote": "공모 투표",
    "proposal_agree": "정책제안 공감",
    "ballot": "주민참여예산 투표",
}


@dataclass(frozen=True)
class Part:
    """One part of 활용 건수: its label, figure and a note (why it is what it is)."""

    key: str
    label: str
    count: int
    note: str = ""


@dataclass(frozen=True)
class Pledge:
    year: int
    target: int | None
    parts: list[Part]
    responses: list[Part]

    @property
    def total(self) -> int:
        """온통중구 활용 건수 of the year."""
        return sum(p.count for p in self.parts)

    @property
    def responses_total(self) -> int:
        return sum(p.count for p in self.responses)

    @property
    def progress(self) -> float | None:
        return self.total / self.target if self.target else None

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)


def pledge(
    db: ServerDatabase,
    year: int,
    pack: ContentPack | None,
    now: datetime | None = None,
    openings: Openings | None = None,
) -> Pledge:
    """The pledge figures of `year` (KST) as the server knows them at `now`; `openings` keeps
    what the published packs say between calls (the server holds one)."""
    now = now or datetime.now(UTC)
    start, end = datetime(year, 1, 1, tzinfo=KST), datetime(year + 1, 1, 1, tzinfo=KST)
    with db.read() as session:
        counted = dict(
            session.execute(
                select(Submission.kind, func.count())
                .where(
                    # Counted only: never practice, held, or a resident's second agree.
                    Submission.counted.is_(True),
                    Submission.kind.in_(["proposal", "budget_proposal", *RESPONSES]),
                    Submission.created_at_server >= start,
                    Submission.created_at_server < end,
                )
                .group_by(Submission.kind)
            )
            .tuples()
            .all()
        )
    surveys, contests = (openings or Openings()).get(db)
    ran = {
        kind: sum(1 for opened in items.values() if start <= opened < end and opened <= now)
        for kind, items in (("surveys", surveys), ("contests", contests))
    }
    parts = [
        Part("proposals", "정책제안 접수", counted.get("proposal", 0)),
        Part("surveys", "설문 운영 (퀴즈 포함)", ran["surveys"]),
        Part("contests", "공모 운영", ran["contests"]),
        Part("budget_proposals", "주민참여예산 제안 접수", counted.get("budget_proposal", 0)),
    ]
    responses = [Part(kind, label, counted.get(kind, 0)) for kind, label in RESPONSES.items()]
    target = pack.district.pledge_targets.get(str(year)) if pack is not None else None
    return Pledge(year, target, parts, responses)


class Openings:
    """Survey id -> opens_at and contest id -> opens_at over every published pack, read once:
    each call reads only the versions published since the last (oldest first, so the newest
    version of an item wins). A manifest that cannot be read is skipped. Safe to share."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._surveys: dict[str, datetime] = {}
        self._contests: dict[str, datetime] = {}

    def get(self, db: ServerDatabase) -> tuple[dict[str, datetime], dict[str, datetime]]:
        with self._lock:
            with db.read() as session:
                rows = session.execute(
                    select(Manifest.id, Manifest.body)
                    .where(Manifest.id > self._last)
                    .order_by(Manifest.id)
                ).all()
            for manifest_id, body in rows:
                self._read(body)
                self._last = manifest_id
            return dict(self._surveys), dict(self._contests)

    def _read(self, body: str) -> None:
        try:
            document = json.loads(body)
        except ValueError:
            return
        if not isinstance(document, dict):
            return
        for key, found in (("surveys", self._surveys), ("contests", self._contests)):
            for item in document.get(key) or []:
                opened = _opening(item)
                if opened is not None:
                    found[item["id"]] = opened


def _opening(item: Any) -> datetime | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    try:
        opened = datetime.fromisoformat(str(item.get("opens_at")))
    except ValueError:
        return None
    return opened if opened.tzinfo is not None else None


def years(pack: ContentPack | None, this_year: int, chosen: int) -> list[int]:
    """The years the page offers, newest first: those with a pledge or participation target,
    this one and the one chosen."""
    found = {this_year, chosen}
    if pack is not None:
        found |= {int(y) for y in pack.district.pledge_targets}
        found |= {int(y) for y in pack.district.yearly_targets}
    return sorted(found, reverse=True)
