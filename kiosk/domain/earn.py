"""포인트 받기: earning the points of a survey, quiz or contest, or taking part anonymously.

At the end of a flow whose activity earns points (the pack's rule), the resident chooses:
포인트 받기 leads to 본인 확인 (the identify step) and the act is sealed with the identity, so
the server credits the points (once per resident per item); 포인트 없이 보내기 sends it
anonymously, and then the thank-you promises nothing. A flow holds an `Earning` and asks it
for the choice step, where its moves lead, and what the thank-you says about points.

No Qt, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from kiosk.domain import steps
from kiosk.domain.identify import (
    IDENTITY,
    IdentityEntry,
    identify_next,
    identify_step,
    identity_start,
)
from kiosk.domain.identity import Identified

POINTS_CHOICE: Final = "points_choice"
STEP_IDS: Final[tuple[str, ...]] = (POINTS_CHOICE,)
# The option that sends without identity (the action bar's 포인트 받기 is the other way on).
ANONYMOUS: Final = "anonymous"
PURPOSE: Final = "earn.identity.purpose"


@dataclass
class Earning:
    """What taking part earns (`points`; None or 0: nothing, and no choice is offered) and
    whether the resident just chose to send without identity."""

    points: int | None
    anonymous: bool = False

    @property
    def offered(self) -> bool:
        return bool(self.points)

    def after_review(self, submit: steps.At) -> steps.At:
        """Where 보내기 on the review leads: the choice, or straight to sending."""
        return steps.At(POINTS_CHOICE) if self.offered else submit

    @staticmethod
    def handles(at: steps.At) -> bool:
        return at.step in (POINTS_CHOICE, IDENTITY)

    def step(self, at: steps.At, entry: IdentityEntry | None, *, sent: bool) -> steps.Step:
        """The choice (once `sent`, only that it was sent, as the review says) or 본인 확인."""
        if at.step == IDENTITY:
            return identify_step(entry, at)
        points = f"{self.points or 0:,}"
        if sent:
            return steps.Step(
                POINTS_CHOICE,
                "info",
                steps.msg("earn.title", points=points),
                (steps.Line(steps.msg("survey.review.sent"), "notice", "alreadySent"),),
                action=None,
            )
        return steps.Step(
            POINTS_CHOICE,
            "choice",
            steps.msg("earn.title", points=points),
            # Both ways in sight at any text size: the question and how, then 포인트 없이
            # 보내기, then the details (the bar holds 포인트 받기). What the numbers are for
            # and that they are not kept here, 본인 확인's first page says (identify.INTRO):
            # here it left the step too long for a landscape window at 200 %.
            (
                steps.Line(steps.msg("earn.title", points=points), "title"),
                steps.Line(steps.msg("earn.how"), "strong"),
            ),
            options=(
                steps.Option(
                    ANONYMOUS,
                    (steps.Line(steps.msg("earn.anonymous"), "tileTitle"),),
                    name_prefix="earn_",
                ),
            ),
            layout="actions",
            moves_on=True,
            tail=(steps.Line(steps.msg("earn.once"), "muted"),),
            action=steps.Action(steps.msg("earn.yes"), "earnPoints"),
        )

    def choose(self, value: steps.Value) -> list[steps.StepProblem]:
        """A tap on 포인트 없이 보내기 (it moves on to sending at once); the flow forgets any
        identity given before, so nothing is sealed."""
        self.anonymous = value == ANONYMOUS
        return []

    def next(self, at: steps.At, entry: IdentityEntry | None, submit: steps.At) -> steps.Move:
        """From the choice: to sending (anonymous) or to 본인 확인; from 본인 확인 to sending."""
        if at.step == IDENTITY:
            return identify_next(entry, at, submit)
        # Taken once: after a refused send, the bar's 포인트 받기 means what it says.
        anonymous, self.anonymous = self.anonymous, False
        return steps.Move(submit if anonymous else identity_start())

    def thanks(
        self,
        message_id: str,
        sent: steps.Sent,
        identity: Identified | None,
        lines: tuple[tuple[str, Mapping[str, object]], ...] = (),
    ) -> steps.ThanksNote:
        """The thank-you: the points and the envelope whose receipt says whether they were
        credited, only when the act was sealed with the resident's identity."""
        if identity is None or not self.offered:
            return steps.ThanksNote(message_id, None, lines)
        return steps.ThanksNote(message_id, self.points, lines, credit=sent.envelope_id)
