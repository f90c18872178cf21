"""A resident's points as a step flow (kiosk.domain.steps). No Qt, no I/O.

본인 확인 ("identity"), then the balance and history the kiosk asks the server for
("points_balance": the step waits for the answer, or says plainly that it cannot be checked
now), and from it exchanging or donating: the amount as large buttons
("points_amount"), the confirmation with 다시 고르기 and 신청하기 ("points_confirm"), the act
and the thank-you. The identity, given once, is sealed afresh for the look-up and for the act.
The rules are kiosk.domain.points' and contract.points'.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from contract.content import KST, ActivityKind, PointRules
from contract.points import POINTS_DONATION_KIND, POINTS_EXCHANGE_KIND
from contract.wire import PointsLedger, PointsLedgerLine
from kiosk.domain import steps
from kiosk.domain.identify import IDENTITY, identify_next, identify_step, identity_start
from kiosk.domain.points import donation_amounts, exchange_amounts, exchange_shortfall

BALANCE: Final = "points_balance"
AMOUNT: Final = "points_amount"
CONFIRM: Final = "points_confirm"
SUBMIT: Final = "points_submit"
STEP_IDS: Final[tuple[str, ...]] = (BALANCE, AMOUNT, CONFIRM)
HISTORY_SHOWN: Final = 20
KNOWN_KINDS: Final = frozenset(
    {
        "survey_response",
        "quiz",
        "contest_vote",
        "contest_entry",
        "proposal",
        "proposal_agree",
        "ballot",
        "points_exchange",
        "points_donation",
    }
)

Use = steps.PointsUse
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
        # The server's answer (None while waiting) and the seconds waited for it.
        self.answer: steps.LedgerAnswer | None = None
        self.waited_s = 0.0

    def __repr__(self) -> str:
        return f"PointsFlow({self.choice}, <hidden>)"

    @property
    def use(self) -> Use:
        return self.choice.use

    def first(self) -> steps.At:
        return identity_start()

    def amounts(self) -> tuple[int, ...]:
        if self.use == "exchange":
            return exchange_amounts(self.balance, self.rules)
        return donation_amounts(self.balance)

    def step(self, at: steps.At) -> steps.Step:
        if at.step == IDENTITY:
            return identify_step(self.entry, at)
        if at.step == BALANCE:
            return self._balance()
        if at.step == AMOUNT:
            return self._amount()
        if at.step == CONFIRM:
            return self._confirm()
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("points.confirm.send"))
        raise KeyError(at.step)

    # -- the balance --------------------------------------------------------------------------

    def asks(self, at: steps.At) -> steps.Question | None:
        return steps.LEDGER if at.step == BALANCE else None

    def answered(self, at: steps.At, answer: steps.LedgerAnswer | None, waited_s: float) -> None:
        self.answer = answer
        self.waited_s = waited_s
        ledger = answer.ledger if answer is not None else None
        if ledger is not None:
            self.balance = ledger.balance

    def _balance(self) -> steps.Step:
        title = steps.msg("points.title")
        head = [steps.Line(title, "title")]
        answer = self.answer
        ledger = answer.ledger if answer is not None else None
        if answer is None:
            seconds = math.floor(self.waited_s)
            head += [
                steps.Line(steps.msg("points.waiting"), "notice", "pointsWaiting"),
                steps.Line(
                    steps.msg("points.waiting.seconds", seconds=seconds),
                    "strong",
                    "pointsWaitingSeconds",
                ),
            ]
        elif ledger is None:
            which = "offline" if answer.outcome == "offline" else "failed"
            head += [
                steps.Line(steps.msg(f"points.{which}"), "notice", f"points_{which}"),
                steps.Line(steps.msg(f"points.{which}.body")),
            ]
        if ledger is None:  # 이전 and 처음으로 are in the bottom bar
            return steps.Step(BALANCE, "info", title, tuple(head), action=None, back=False)
        rules = self.rules
        head.append(
            steps.Line(
                steps.msg("points.balance", balance=ledger.balance), "banner", "pointsBalance"
            )
        )
        options: tuple[steps.Option, ...] = ()
        if self.choice.sent:
            head.append(steps.Line(steps.msg("points.sent_already"), "notice", "pointsSent"))
        else:
            short = bool(exchange_shortfall(ledger.balance, rules))
            if short:  # tapping 바꾸기 says it again
                head.append(steps.Line(steps.Msg(*self._not_yet()), "strong", "exchangeNotYet"))
            minimum = rules.exchange_minimum
            options = (
                _use("exchange", steps.msg("points.exchange.rule", minimum=minimum), not short),
                _use("donate", steps.msg("points.donate.rule")),
            )
        shown = ledger.history[:HISTORY_SHOWN]
        tail = [steps.Line(steps.msg("points.history"), "question")]
        if not shown:
            tail.append(steps.Line(steps.msg("points.history.empty"), "notice", "historyEmpty"))
        more = len(ledger.history) - len(shown)
        foot = (
            (
                steps.Line(
                    steps.msg("points.history.more", shown=len(shown), total=len(ledger.history)),
                    "muted",
                ),
            )
            if more > 0
            else ()
        )
        return steps.Step(
            BALANCE,
            "choice",
            title,
            tuple(head),
            options=options,
            layout="actions",
            moves_on=True,
            rows=tuple(history_row(line, i) for i, line in enumerate(shown)),
            tail=tuple(tail),
            foot=foot,
            action=None,
            back=False,
        )

    def _not_yet(self) -> tuple[str, Mapping[str, int]]:
        """Why an exchange cannot be made yet: the message and its values."""
        rules = self.rules
        missing = exchange_shortfall(self.balance, rules)
        values = {"minimum": rules.exchange_minimum, "balance": self.balance, "missing": missing}
        return "points.exchange.not_yet", values

    # -- exchanging or donating ---------------------------------------------------------------

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
        if at.step == BALANCE:
            assert value in KIND_OF_USE
            self.choice.use = "exchange" if value == "exchange" else "donate"
            if value == "exchange" and exchange_shortfall(self.balance, self.rules):
                return [steps.Worded("below_exchange_minimum", *self._not_yet())]
            if value == "donate" and self.balance <= 0:
                return [steps.Worded("no_points", "points.donate.none")]
            return []
        assert isinstance(value, int)
        self.choice.amount = value
        return []

    def next(self, at: steps.At) -> steps.Move:
        if at.step == IDENTITY:
            return identify_next(self.entry, at, steps.At(BALANCE))
        if at.step == BALANCE:
            return steps.Move(steps.At(AMOUNT))
        if at.step == CONFIRM:
            return steps.Move(steps.At(SUBMIT))
        if self.choice.amount not in self.amounts():
            return steps.Move(None, (steps.Worded("amount", "points.amount.choose"),))
        return steps.Move(steps.At(CONFIRM))

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        points = self.choice.amount or 0
        return steps.SpendPoints(self.use, points, self.balance, self.rules)

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        self.choice.sent = True
        return steps.ThanksNote(
            f"points.thanks.{self.use}",
            None,
            (("points.thanks.server", {}), ("civic.thanks.receipt", {"number": sent.number})),
        )

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (KIND_OF_USE[self.use], sent.envelope_id)


def _use(use: Use, rule: steps.Msg, primary: bool = False) -> steps.Option:
    """The balance's button for exchanging or donating, and its rule under it."""
    lines = (steps.Line(steps.msg(f"points.{use}"), "tileTitle"), steps.Line(rule, "tileText"))
    return steps.Option(use, lines, name_prefix="use_", primary=primary)


def history_row(line: PointsLedgerLine, index: int) -> steps.ReviewRow:
    """One line of the history: the date, then the activity in plain words and its points."""
    at = line.at.astimezone(KST)
    kind = line.kind if line.kind in KNOWN_KINDS else "other"
    if line.status is not None:  # an exchange: 신청, 지급 완료 or 반려 (points given back)
        shown = f"{abs(line.points):,}" if line.status == "refused" else f"{line.points:+,}"
        change = steps.msg(f"points.line.{line.status}", points=shown)
    elif not line.counted:
        change = steps.msg("points.line.not_counted")
    else:
        change = steps.msg("points.line.points", points=f"{line.points:+,}")
    return steps.ReviewRow(
        f"line{index}",
        steps.msg("points.line", year=at.year, month=at.month, day=at.day),
        steps.Join((steps.msg(f"points.kind.{kind}"), change)),
    )


def sample_ledger(now: datetime, balance_scale: int = 1) -> PointsLedger:
    """A resident's ledger for the samples and tests: 5,300 points with `balance_scale` 1,
    15,300 with 6."""
    return _ledger(
        now,
        [
            ("ballot", 1000),
            ("proposal_agree", 100),
            ("proposal", 2000 * balance_scale),
            ("survey_response", 500),
            ("contest_entry", 1000),
            ("proposal_agree", 0),
            ("survey_response", 700),
            ("points_donation", -200),
            ("contest_vote", 200),
        ],
    )


# What a points look-up shows in practice (a coach's lesson), asked of no server: a made-up
# round of taking part in these (the ledger's kind, the pack's activity whose point rule it
# earns), over and over until the balance reaches the pack's exchange minimum, so exchanging
# can be practised whatever the district's rules are.
PRACTICE_ROUND: Final[tuple[tuple[str, ActivityKind], ...]] = (
    ("ballot", "budget_vote"),
    ("proposal", "proposal"),
    ("contest_entry", "contest_entry"),
    ("survey_response", "survey_response"),
    ("quiz", "quiz"),
    ("proposal_agree", "proposal_agree"),
)


def practice_ledger(now: datetime, rules: PointRules) -> PointsLedger:
    """The practice look-up's ledger: PRACTICE_ROUND's activities at the points `rules` give
    them, until the balance reaches `rules.exchange_minimum` (empty if no rule earns any)."""
    earned = [(kind, rules.rules[a]) for kind, a in PRACTICE_ROUND if rules.rules.get(a)]
    kinds: list[tuple[str, int]] = []
    total = 0
    while earned and total < rules.exchange_minimum:
        kind, points = earned[len(kinds) % len(earned)]
        kinds.append((kind, points))
        total += points
    return _ledger(now, kinds)


def _ledger(now: datetime, kinds: list[tuple[str, int]]) -> PointsLedger:
    """A ledger of these activities, newest first, three days apart."""
    lines = [
        PointsLedgerLine(
            activity_id=f"sample-{i}",
            kind=kind,
            points=points,
            at=now - timedelta(days=3 * i + 1),
            counted=points != 0,
        )
        for i, (kind, points) in enumerate(kinds)
    ]
    return PointsLedger(balance=sum(line.points for line in lines), history=lines)
