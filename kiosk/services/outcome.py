"""What an act answers the screen that asked for it: a receipt, or a refusal to word.

No Qt and no I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the survey rules bring the pack's models, which home's first paint waits for
    from contract.civic import Problem
    from kiosk.domain.survey import Problem as ItemProblem

    # A rule an act broke: a civic one (proposals, ballots, points) or a survey's or contest's.
    RuleBroken = Problem | ItemProblem

# The refusal when the act could not be written (a full disk, a locked database, a seal that
# failed): nothing was queued, the resident may try again.
NOT_SAVED_RULE = "not_saved"
NOT_SAVED_MESSAGE_ID = "survey.submit.failed"


@dataclass(frozen=True)
class Receipt:
    """An act was queued, durably: the envelope's id and number in this device's sequence,
    whether it was practice (a coached session: never counted), and the receipt number."""

    envelope_id: uuid.UUID
    device_seq: int
    practice: bool
    number: str


@dataclass(frozen=True)
class Refusal:
    """An act was not queued: the rule that refused it and the message that says so, with its
    values. `where` is the item or field the rule was about ("" when none)."""

    rule: str
    message_id: str
    params: Mapping[str, int | str] = field(default_factory=dict)
    where: str = ""

    @classmethod
    def of(cls, problem: RuleBroken, message_id: str | None = None) -> Refusal:
        """The refusal of a domain rule, in its own words unless `message_id` is given."""
        return cls(problem.rule, message_id or problem.message_id, problem.params, problem.where)


NOT_SAVED = Refusal(NOT_SAVED_RULE, NOT_SAVED_MESSAGE_ID)

Outcome = Receipt | Refusal
