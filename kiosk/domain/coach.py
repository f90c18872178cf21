"""Coached sessions (issue 9): a digital coach signs in beside an elder, may switch the kiosk to
practice (연습), and the session ends as one `coach_session` record with no resident identity.

Rules here, no Qt and no I/O:
- `sign_in`: a coach the device keeps (the server's, kiosk.store.coaches), by code and PIN
  (salted scrypt, contract.pin); unknown code and wrong PIN get the same answer (the
  answer must not tell a stranger which codes exist); a revoked coach is told so; the
  caller's `PinLockout` locks after a few misses.
- `CoachedSession`: who, since when, practice on or off, the last activity, the residents the
  coach counted and the visits that ended, and what the lesson engine reports: per lesson step
  the time taken and the wrong taps (`record_step`), lessons and stages completed
  (`complete_stage`). It ends by the coach, by the kiosk's idle reset, or after
  `INACTIVITY_LIMIT_S` without a touch, whichever comes first (`inactive`); `record()` is then
  the payload of the session's one envelope (contract.wire.CoachSession).

Times: `started_at`/`ended_at` are wall clock (aware, for the record); activity is judged on a
monotonic clock the caller passes in, so a clock change never ends a session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, Literal

from contract.pin import verify_pin
from kiosk.domain.admin import PinLockout

if TYPE_CHECKING:
    from contract.content import Coach

COACH_SESSION_KIND: Final = "coach_session"
# A coached session ends after this long without a touch, even if the kiosk's idle reset is
# configured longer (or keeps being extended).
INACTIVITY_LIMIT_S: Final = 30 * 60
# The four lesson stages of issue 9: 보기, 따라하기, 혼자하기, 실전.
Stage = Literal["watch", "follow", "alone", "real"]
STAGES: Final[tuple[str, ...]] = ("watch", "follow", "alone", "real")
# "revoked": the district revoked the coach while the session was open (kiosk.store.coaches).
EndReason = Literal["coach", "idle", "inactivity", "revoked"]
# Kinds that are not a resident's participation: a call for staff is real even in practice, and
# the kiosk's own records (proof of play, the session record) are never practice.
NOT_PRACTICE_KINDS: Final = frozenset({"staff_call", "play_stats", COACH_SESSION_KIND})


def is_practice(kind: str, practice_on: bool) -> bool:
    """Whether an envelope of `kind` queued now is practice (never counted, no points)."""
    return practice_on and kind not in NOT_PRACTICE_KINDS


def coach_lockout() -> PinLockout:
    """Coach sign-in and PIN checks: 5 misses in a row lock tries for 5 minutes."""
    return PinLockout(max_misses=5, lock_s=300.0)


class SignInRefusal(Enum):
    """Why a sign-in was refused; the value is the message id the screen shows."""

    WRONG = "coach.sign_in.wrong"  # unknown code or wrong PIN: the same words for both
    REVOKED = "coach.sign_in.revoked"
    LOCKED = "coach.sign_in.locked"


@dataclass(frozen=True)
class SignInResult:
    coach: Coach | None = None
    refusal: SignInRefusal | None = None
    locked_s: int = 0


def sign_in(
    coaches: Iterable[Coach], code: str, pin: str, lockout: PinLockout, now: float
) -> SignInResult:
    """Check a coach code and PIN against the device's coaches; `now` is monotonic seconds."""
    locked = lockout.seconds_locked(now)
    if locked:
        return SignInResult(refusal=SignInRefusal.LOCKED, locked_s=locked)
    coach = next((c for c in coaches if c.code == code), None)
    # A wrong PIN of a revoked coach is still a wrong PIN: "revoked" only with the right one.
    ok = coach is not None and verify_pin(pin, coach.pin_hash)
    lockout.record(ok, now)
    if not ok or coach is None:
        locked = lockout.seconds_locked(now)
        if locked:
            return SignInResult(refusal=SignInRefusal.LOCKED, locked_s=locked)
        return SignInResult(refusal=SignInRefusal.WRONG)
    if coach.revoked:
        return SignInResult(refusal=SignInRefusal.REVOKED)
    return SignInResult(coach=coach)


def check_coach_pin(coach: Coach, pin: str, lockout: PinLockout, now: float) -> SignInResult:
    """The signed-in coach confirms an action (leaving practice) with their PIN again."""
    return sign_in([coach], coach.code, pin, lockout, now)


@dataclass
class StepRecord:
    """What residents did at one step of one lesson in this session, summed over attempts."""

    lesson_id: str
    step_id: str
    attempts: int = 0
    seconds: float = 0.0
    wrong_taps: int = 0


@dataclass
class CoachedSession:
    """One coach's session at this kiosk, from sign-in to its end.

    Attributes:
        coach: the coach who signed in.
        started_at: wall clock (aware) at sign-in.
        last_activity: monotonic seconds of the last touch (`touch`).
        practice: submissions are practice (never counted, no points, no one-vote record).
        residents_taught: residents the coach counted with "주민 한 분 더".
        visits: resident visits that ended during the session (thank-you, 처음으로 after it).
        practice_submissions: envelopes queued in practice.
        stages_completed: (lesson id, stage) in the order completed.
        steps: per (lesson id, step id), time and wrong taps.
    """

    coach: Coach
    started_at: datetime
    last_activity: float
    practice: bool = False
    residents_taught: int = 0
    visits: int = 0
    practice_submissions: int = 0
    stages_completed: list[tuple[str, str]] = field(default_factory=list)
    steps: dict[tuple[str, str], StepRecord] = field(default_factory=dict)

    # -- activity -------------------------------------------------------------------------

    def touch(self, now: float) -> None:
        self.last_activity = now

    def inactive(self, now: float) -> bool:
        """True once INACTIVITY_LIMIT_S passed without a touch: the session must end."""
        return now - self.last_activity >= INACTIVITY_LIMIT_S

    # -- what the coach does ----------------------------------------------------------------

    def start_practice(self, pin_checked: SignInResult) -> bool:
        """Practice starts only with the coach's PIN checked (`check_coach_pin`): while it is on,
        residents' submissions do not count, so no passer-by may switch it on (issue 14)."""
        if not self._is_coach(pin_checked):
            return False
        self.practice = True
        return True

    def leave_practice(self, pin_checked: SignInResult) -> bool:
        """Practice ends only with the coach's PIN checked (`check_coach_pin`)."""
        if not self._is_coach(pin_checked):
            return False
        self.practice = False
        return True

    def _is_coach(self, pin_checked: SignInResult) -> bool:
        return pin_checked.coach is not None and pin_checked.coach.code == self.coach.code

    def count_resident(self) -> None:
        self.residents_taught += 1

    def visit_ended(self) -> None:
        self.visits += 1

    def submitted(self, practice: bool) -> None:
        if practice:
            self.practice_submissions += 1

    # -- what the lesson engine reports -------------------------------------------------------

    def record_step(self, lesson_id: str, step_id: str, seconds: float, wrong_taps: int) -> None:
        """A resident finished one step of a lesson: how long it took and how many wrong taps."""
        if seconds < 0 or wrong_taps < 0:
            raise ValueError("seconds and wrong_taps cannot be negative")
        record = self.steps.setdefault((lesson_id, step_id), StepRecord(lesson_id, step_id))
        record.attempts += 1
        record.seconds += seconds
        record.wrong_taps += wrong_taps

    def complete_stage(self, lesson_id: str, stage: str) -> None:
        if stage not in STAGES:
            raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
        self.stages_completed.append((lesson_id, stage))

    # -- the record -------------------------------------------------------------------------

    def record(self, ended_at: datetime, ended_by: EndReason) -> dict[str, Any]:
        """The `coach_session` envelope's payload (contract.wire.CoachSession): no resident."""
        return {
            "coach_code": self.coach.code,
            "started_at": self.started_at.isoformat(),
            "ended_at": max(ended_at, self.started_at).isoformat(),
            "ended_by": ended_by,
            # The coach's count when they kept one, else the visits that ended in the session.
            "residents_taught": self.residents_taught or self.visits,
            "visits": self.visits,
            "practice_submissions": self.practice_submissions,
            "lessons_completed": [
                {"lesson_id": lesson, "stage": stage} for lesson, stage in self.stages_completed
            ],
            "steps": [
                {
                    "lesson_id": r.lesson_id,
                    "step_id": r.step_id,
                    "attempts": r.attempts,
                    "seconds": round(r.seconds, 3),
                    "wrong_taps": r.wrong_taps,
                }
                for r in self.steps.values()
            ],
        }
