"""A resident's points as a step flow (kiosk.domain.steps). No Qt, no I/O.

본인 확인 ("identity"), then the balance the kiosk asks the server for ("points_balance",
kiosk.ui.screens.points), and from it exchanging or donating: the amount as large buttons
("points_amount"), the confirmation with 다시 고르기 and 신청하기 ("points_confirm"), the act
and the thank-you. The identity, given once, is sealed afresh for the look-up and for the act.
The rules are kiosk.domain.points' and contract.points'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from contract.content import PointRules
from contract.points import POINTS_DONATION_KIND, POINTS_EXCHANGE_KIND
from kiosk.domain import steps
from kiosk.domain.identify import IDENTITY, identify_next, identify_step
from kiosk.domain.points import donation_amounts, exchange_amounts

BALANCE: Final = "points_balance"
AMOUNT: Final = "points_amount"
CONFIRM: Final = "points_confirm"
SUBMIT: Final = "points_submit"
STEP_IDS: Final[tuple[str, ...]] = (AMOUNT, CONFIRM)

Use = Literal["exchange", "donate"]
KIND_OF_USE: Final[dict[Use, str]] = {
    "exchange": POINTS_EXCHANGE_KIND,
    "donate": POINTS_DONATION_KIND,
}


@dataclass
class PointsChoice:
    """What the resident does with their points in this visit: exchange or donate, the
    amount chosen, and whether an exchange or donation was queued (the balance shown is then
    stale)."""

    use: Use = "exchange"
    amount: int | None = None
    sent: bool = False


class PointsFlow(steps.Flow):
    """A resident's points in one visit: exchanging (`choice.use` "exchange") or donating
    them against `balance`, the last balance the server gave."""

    identity_purpose = "points.purpose"

    def __init__(self, rules: PointRules, balance: int = 0) -> None:
        self.rules = rules
        self.balance = balance
        self.choice = PointsChoice()

    def __repr__(self) -> str:
        return f"PointsFlow({self.choice}, <hidden>)"

    @property
    def use(self) -> Use:
        return self.choice.use

    def first(self) -> steps.At:
        return steps.At(IDENTITY, "phone")

    def amounts(self) -> tuple[int, ...]:
        if self.use == "exchange":
            return exchange_amounts(self.balance, self.rules)
        return donation_amounts(self.balance)

    def step(self, at: steps.At) -> steps.Step:
        if at.step == IDENTITY:
            return identify_step(self.entry, at)
        if at.step == BALANCE:  # a read, drawn by its own screen
            return steps.Step(BALANCE, "info", steps.msg("points.title"), action=None, back=False)
        if at.step == AMOUNT:
            return self._amount()
        if at.step == CONFIRM:
            return self._confirm()
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("points.confirm.send"))
        raise KeyError(at.step)

    def _amount(self) -> steps.Step:
        def words(points: int) -> steps.Line:
            all_of_it = self.use == "donate" and points == self.balance
            which = "points.amount.all" if all_of_it else "points.amount.choice"
            return steps.Line(steps.msg(which, points=points), "tileTitle")

        amount = self.choice.amount
        return steps.Step(
            AMOUNT,
            "choice",
            steps.msg("points.title"),
            (
                steps.Line(steps.msg(f"points.amount.{self.use}"), "title"),
                steps.Line(
                    steps.msg("points.balance", balance=self.balance), "strong", "amountBalance"
                ),
            ),
            options=tuple(
                steps.Option(p, (words(p),), name_prefix="amount_") for p in self.amounts()
            ),
            chosen=(amount,) if amount is not None else (),
            most=2,
        )

    def _confirm(self) -> steps.Step:
        points = self.choice.amount or 0
        head = (
            steps.Line(steps.msg("points.confirm.title"), "title"),
            steps.Line(
                steps.msg(f"points.confirm.{self.use}", points=points), "banner", "confirmWhat"
            ),
            steps.Line(
                steps.msg("points.confirm.left", left=max(0, self.balance - points)),
                "strong",
                "confirmLeft",
            ),
        )
        sent = self.choice.sent
        return steps.Step(
            CONFIRM,
            "review",
            steps.msg("points.confirm.title"),
            head,
            foot=(steps.Line(steps.msg("points.sent_already"), "notice", "pointsSent"),)
            if sent
            else (),
            action=None if sent else steps.Action(steps.msg("points.confirm.send"), "sendButton"),
            back=not sent,
            back_words=steps.msg("points.confirm.change"),
        )

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        assert isinstance(value, int)
        self.choice.amount = value
        return []

    def next(self, at: steps.At) -> steps.Move:
        if at.step == IDENTITY:
            return identify_next(self.entry, at, steps.At(BALANCE))
        if at.step == CONFIRM:
            return steps.Move(steps.At(SUBMIT))
        if self.choice.amount not in self.amounts():
            return steps.Move(None, (steps.Worded("amount", "points.amount.choose"),))
        return steps.Move(steps.At(CONFIRM))

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        points = self.choice.amount or 0
        if self.use == "exchange":
            return steps.Exchange(points, self.balance, self.rules)
        return steps.Donate(points, self.balance)

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        self.choice.sent = True
        return steps.ThanksNote(
            f"points.thanks.{self.use}",
            None,
            (("points.thanks.server", {}), ("civic.thanks.receipt", {"number": sent.number})),
        )

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (KIND_OF_USE[self.use], sent.envelope_id)
