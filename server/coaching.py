"""Where residents struggle in coached lessons: the `coach_session` records, per lesson step.

Every coached session at a kiosk ends as one `coach_session` envelope (kiosk.domain.coach,
sync.protocol.CoachSession): the coach, start and end, residents taught, lessons and stages
completed, and per lesson step the attempts, time taken and wrong taps. No resident identity
is in it. `struggles` sums the stored records per (lesson, step) and orders them worst first:
most wrong taps, then most wrong taps per attempt, then the longest average time, so the
district can improve both the lesson and the screen it teaches. `python -m server coaching`
prints it (``--json`` for scripts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from server.db import ServerDatabase
from server.db.models import HeldEnvelope, Submission
from sync.protocol import CoachSession

KIND = "coach_session"


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
class CoachingReport:
    sessions: int = 0
    residents_taught: int = 0
    coaches: set[str] = field(default_factory=set)
    unreadable: int = 0
    steps: list[StepStruggle] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "coaches": len(self.coaches),
            "residents_taught": self.residents_taught,
            "unreadable": self.unreadable,
            "steps": [s.to_json() for s in self.steps],
        }


def struggles(db: ServerDatabase) -> CoachingReport:
    """Every stored coach_session record, summed per lesson step, worst first; not those held
    for staff (a device waiting for approval) or refused by them."""
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
        bodies = session.scalars(
            select(Submission.body).where(Submission.kind == KIND, ~undecided)
        ).all()
    report = CoachingReport()
    by_step: dict[tuple[str, str], StepStruggle] = {}
    for body in bodies:
        try:
            record = CoachSession.model_validate(json.loads(body)["payload"])
        except (ValueError, KeyError, TypeError, ValidationError):
            report.unreadable += 1
            continue
        report.sessions += 1
        report.residents_taught += record.residents_taught
        report.coaches.add(record.coach_code)
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
    return report
