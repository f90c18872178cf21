"""Where residents struggle in coached lessons: the `coach_session` records, per lesson step.

Every coached session at a kiosk ends as one `coach_session` envelope (kiosk.domain.coach,
contract.wire.CoachSession): the coach, start and end, residents taught, lessons and stages
completed, and per lesson step the attempts, time taken and wrong taps. No resident identity
is in it. `struggles` sums the stored records per (lesson, step) and orders them worst first:
most wrong taps, then most wrong taps per attempt, then the longest average time, so the
district can improve both the lesson and the screen it teaches. `python -m server coaching`
prints it (``--json`` for scripts).

The same pass adds up each coach's sessions, residents taught, lessons completed per stage
(보기, 따라하기, 혼자하기, 실전) and time (`CoachingReport.coaches_seen`) for the console's 보고서
page, which asks for one year (Korean time, by the session's start) and, for a dong officer,
only the sessions of devices in their dong. Coaches' names: `coach_names`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import select

from contract.content import ContentPack
from contract.wire import CoachSession
from server.db import ServerDatabase
from server.db.models import Coach, HeldEnvelope, Submission
from server.report import devices_dongs

KIND = "coach_session"
KST: Final = ZoneInfo("Asia/Seoul")
# The four stages of a lesson (kiosk.domain.lessons), in order, with their labels.
STAGES: Final[dict[str, str]] = {
    "watch": "보기",
    "follow": "따라하기",
    "alone": "혼자하기",
    "real": "실전",
}


@dataclass
class StepStruggle:
    lesson_id: str
    step_id: str
    attempts: int = 0
    wrong_taps: int = 0
    seconds: float = 0.0
    sessions: int = 0

    @property
    def wrong_per_attempt(self) -> float:
        return self.wrong_taps / self.attempts if self.attempts else 0.0

    @property
    def average_s(self) -> float:
        return self.seconds / self.attempts if self.attempts else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "lesson_id": self.lesson_id,
            "step_id": self.step_id,
            "attempts": self.attempts,
            "wrong_taps": self.wrong_taps,
            "wrong_per_attempt": round(self.wrong_per_attempt, 2),
            "seconds": round(self.seconds, 1),
            "average_s": round(self.average_s, 1),
            "sessions": self.sessions,
        }


@dataclass
class CoachFigures:
    """One coach's sessions in the report."""

    code: str
    sessions: int = 0
    residents_taught: int = 0
    seconds: float = 0.0
    stages: Counter[str] = field(default_factory=Counter)

    @property
    def lessons_completed(self) -> int:
        return sum(self.stages.values())


@dataclass
class CoachingReport:
    sessions: int = 0
    residents_taught: int = 0
    coaches: set[str] = field(default_factory=set)
    unreadable: int = 0
    steps: list[StepStruggle] = field(default_factory=list)
    # Per coach code, in the order of most sessions.
    coaches_seen: list[CoachFigures] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "coaches": len(self.coaches),
            "residents_taught": self.residents_taught,
            "unreadable": self.unreadable,
            "steps": [s.to_json() for s in self.steps],
        }


def struggles(
    db: ServerDatabase,
    year: int | None = None,
    visible: Callable[[str | None], bool] | None = None,
) -> CoachingReport:
    """Every stored coach_session record, summed per lesson step, worst first; not those held
    for staff (a device waiting for approval) or refused by them, nor practice. With `year`,
    only sessions that started in it (KST); with `visible`, only those of devices whose dong
    (their last heartbeat's) it accepts."""
    undecided = (
        select(HeldEnvelope.id)
        .where(
            HeldEnvelope.device_id == Submission.device_id,
            HeldEnvelope.envelope_id == Submission.id,
            HeldEnvelope.status != "released",
        )
        .exists()
    )
    with db.read() as session:
        rows = session.execute(
            select(Submission.device_id, Submission.body).where(
                Submission.kind == KIND, Submission.practice.is_(False), ~undecided
            )
        ).all()
    dongs = devices_dongs(db) if visible is not None else {}
    report = CoachingReport()
    by_step: dict[tuple[str, str], StepStruggle] = {}
    by_coach: dict[str, CoachFigures] = {}
    for device_id, body in rows:
        if visible is not None and not visible(dongs.get(device_id)):
            continue
        try:
            record = CoachSession.model_validate(json.loads(body)["payload"])
        except (ValueError, KeyError, TypeError, ValidationError):
            report.unreadable += 1
            continue
        if year is not None and record.started_at.astimezone(KST).year != year:
            continue
        report.sessions += 1
        report.residents_taught += record.residents_taught
        report.coaches.add(record.coach_code)
        coach = by_coach.setdefault(record.coach_code, CoachFigures(record.coach_code))
        coach.sessions += 1
        coach.residents_taught += record.residents_taught
        coach.seconds += max(0.0, (record.ended_at - record.started_at).total_seconds())
        coach.stages.update(done.stage for done in record.lessons_completed)
        for step in record.steps:
            key = (step.lesson_id, step.step_id)
            found = by_step.setdefault(key, StepStruggle(*key))
            found.attempts += step.attempts
            found.wrong_taps += step.wrong_taps
            found.seconds += step.seconds
            found.sessions += 1
    report.steps = sorted(
        by_step.values(),
        key=lambda s: (-s.wrong_taps, -s.wrong_per_attempt, -s.average_s, s.lesson_id, s.step_id),
    )
    report.coaches_seen = sorted(by_coach.values(), key=lambda c: (-c.sessions, c.code))
    return report


def coach_names(db: ServerDatabase, pack: ContentPack | None) -> dict[str, str]:
    """Coach code -> name: the pack's coaches (the demo's), then the server's own (server.coaches,
    where coaches are managed; their names win). A code found in neither is shown as the code."""
    names = {c.code: c.name for c in pack.coaches} if pack is not None else {}
    with db.read() as session:
        names.update(dict(session.execute(select(Coach.code, Coach.name)).tuples().all()))
    return names
