"""포인트: a resident's participation points, asked of the server, and what to do with them.

From home: what points are, then the points flow (kiosk.domain.points_flow): 본인 확인 (the
identity keypad), then this balance. The kiosk asks the server for the ledger
(kiosk.services.ledger_lookup: off the GUI thread, the answer back through the background
helper's callback) and says so, with the seconds waited, while it waits. Then the balance and the
history, newest first; or, when the kiosk is offline or the server does not answer within a
few seconds, "연결되면 확인할 수 있습니다" and no history. From the balance: exchange for local
gift certificates (from the pack's minimum, kiosk.domain.points) or donate, an amount, a
confirmation, and one envelope. The identity is sealed afresh for each act: the ledger look-up
bound to that one request, the exchange or donation bound to its own envelope.

Everything of a resident (the identity in memory, the ledger, the amount) lives in the flow
and the look-up the routes carry: an idle reset or 처음으로 drops the routes, and with them all
of it.
"""

from __future__ import annotations

import logging
import math
from datetime import date, datetime, timedelta

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QLayout, QWidget

from contract.content import KST, ContentPack, PointRules
from contract.wire import PointsLedger, PointsLedgerLine
from kiosk.domain.identify import SAMPLE_SERVER_KEY
from kiosk.domain.identity import ResidentIdentity
from kiosk.domain.points import exchange_shortfall
from kiosk.domain.points_flow import AMOUNT, BALANCE, CONFIRM, PointsFlow, Use
from kiosk.domain.steps import At
from kiosk.services import Identified
from kiosk.services.ledger_lookup import LedgerAnswer, LedgerLookup
from kiosk.ui.flow import ProblemMessage, review_row
from kiosk.ui.navigation import Route, step_route
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.steps import enter
from kiosk.ui.widgets import label

log = logging.getLogger(__name__)

POINTS = "points"
HISTORY_SHOWN = 20
KNOWN_KINDS = frozenset(
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


def _rules(env: ScreenEnv) -> PointRules:
    pack = env.ctx.pack
    return pack.district.points if pack is not None else PointRules(rules={})


def _clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()
        elif item.layout() is not None:
            inner = item.layout()
            assert inner is not None
            _clear(inner)


class PointsScreen(Screen):
    """Route params: none. What points are, and 본인 확인하고 포인트 보기."""

    title_id = "area.points"

    def build(self) -> None:
        env = self.env
        self.box.addWidget(label(env.tr("area.points"), "title"))
        minimum = _rules(env).exchange_minimum
        self.box.addWidget(label(env.tr("points.intro", minimum=minimum)))
        check = env.button(env.tr("points.check"), role="primary", name="checkPoints")
        check.clicked.connect(self.on_check_clicked)
        self.box.addWidget(check)
        self.box.addStretch(1)

    def on_check_clicked(self) -> None:
        enter(self.env, PointsFlow(_rules(self.env)))


class BalanceScreen(Screen):
    """Route params: flow (the PointsFlow, its resident identified; the request for the
    ledger, made on first arrival, is its `asked`), at. Waiting for the server, then the balance
    and history, or the plain words that it cannot be checked now."""

    title_id = "points.title"

    def build(self) -> None:
        env = self.env
        self.flow: PointsFlow = self.params["flow"]
        if self.flow.asked is None:
            assert self.flow.identity is not None, "the identify step came first"
            address, request = env.services.reads.ledger_question(self.flow.identity)
            lookup = LedgerLookup(address, request)
            lookup.start(env.shell.background)
            log.info("points_lookup_started")
            self.flow.asked = lookup
        assert isinstance(self.flow.asked, LedgerLookup)
        self.lookup = self.flow.asked
        # While waiting: the answer and the end of the wait each call back once; the seconds
        # waited are shown anew each second.
        self.deadline = QTimer(self, singleShot=True)
        self.deadline.timeout.connect(self.on_answer)
        self.ticker = QTimer(self, interval=1000)
        self.ticker.timeout.connect(self._show_elapsed)
        self.lookup.poll()
        self._fill()

    # -- states ---------------------------------------------------------------------------

    def _fill(self) -> None:
        env = self.env
        self.box.addWidget(label(env.tr("points.title"), "title"))
        answer = self.lookup.answer
        if answer is None:
            self._waiting()
        elif answer.outcome == "ready" and answer.ledger is not None:
            self._ledger(answer.ledger)
        else:
            self._cannot(answer)

    def _waiting(self) -> None:
        env = self.env
        notice = label(env.tr("points.waiting"), "notice")
        notice.setObjectName("pointsWaiting")
        self.box.addWidget(notice)
        self.elapsed = label("", "strong")
        self.elapsed.setObjectName("pointsWaitingSeconds")
        self.box.addWidget(self.elapsed)
        self._show_elapsed()
        self.box.addStretch(1)  # 이전 and 처음으로 are in the bottom bar

    def _show_elapsed(self) -> None:
        seconds = math.floor(self.lookup.elapsed_s())
        self.elapsed.setText(self.env.tr("points.waiting.seconds", seconds=seconds))

    def _cannot(self, answer: LedgerAnswer) -> None:
        env = self.env
        which = "offline" if answer.outcome == "offline" else "failed"
        notice = label(env.tr(f"points.{which}"), "notice")
        notice.setObjectName(f"points_{which}")
        self.box.addWidget(notice)
        self.box.addWidget(label(env.tr(f"points.{which}.body")))
        self.box.addStretch(1)  # 이전 and 처음으로 are in the bottom bar

    def _ledger(self, ledger: PointsLedger) -> None:
        env = self.env
        self.flow.balance = ledger.balance
        rules = _rules(env)
        balance = label(env.tr("points.balance", balance=ledger.balance), "banner")
        balance.setObjectName("pointsBalance")
        self.box.addWidget(balance)
        self.message = ProblemMessage(env)
        if self.flow.choice.sent:
            sent = label(env.tr("points.sent_already"), "notice")
            sent.setObjectName("pointsSent")
            self.box.addWidget(sent)
        else:
            missing = exchange_shortfall(ledger.balance, rules)
            exchange = env.button(
                (env.tr("points.exchange"), "tileTitle"),
                (env.tr("points.exchange.rule", minimum=rules.exchange_minimum), "tileText"),
                role=None if missing else "primary",  # tapping it below says why not
                name="exchangeButton",
            )
            exchange.clicked.connect(self.on_exchange_clicked)
            self.box.addWidget(exchange)
            if missing:
                why = label(
                    env.tr(
                        "points.exchange.not_yet",
                        minimum=rules.exchange_minimum,
                        balance=ledger.balance,
                        missing=missing,
                    ),
                    "strong",
                )
                why.setObjectName("exchangeNotYet")
                self.box.addWidget(why)
            donate = env.button(
                (env.tr("points.donate"), "tileTitle"),
                (env.tr("points.donate.rule"), "tileText"),
                name="donateButton",
            )
            donate.clicked.connect(self.on_donate_clicked)
            self.box.addWidget(donate)
            self.box.addWidget(self.message)
        self.box.addWidget(label(env.tr("points.history"), "question"))
        if not ledger.history:
            empty = label(env.tr("points.history.empty"), "notice")
            empty.setObjectName("historyEmpty")
            self.box.addWidget(empty)
        for i, line in enumerate(ledger.history[:HISTORY_SHOWN]):
            self.box.addWidget(history_row(env, line, i))
        if len(ledger.history) > HISTORY_SHOWN:
            more = env.tr("points.history.more", shown=HISTORY_SHOWN, total=len(ledger.history))
            self.box.addWidget(label(more, "muted"))
        self.box.addStretch(1)  # 이전 and 처음으로 are in the bottom bar

    # -- events ---------------------------------------------------------------------------

    def on_shown(self) -> None:
        lookup = self.lookup
        if lookup.answer is None:
            lookup.on_answer = self.on_answer
            left_s = lookup.wait_s - lookup.elapsed_s()
            if math.isfinite(left_s):
                self.deadline.start(max(0, math.ceil(left_s * 1000)))
            self.ticker.start()

    def on_hidden(self) -> None:
        self.deadline.stop()
        self.ticker.stop()
        self.lookup.on_answer = None

    @Slot()
    def on_answer(self) -> None:
        """The server answered, or the wait ran out."""
        answer = self.lookup.poll()
        if answer is None:
            return
        self.on_hidden()
        log.info("points_lookup_done outcome=%s", answer.outcome)
        _clear(self.box)
        self._fill()

    def on_exchange_clicked(self) -> None:
        env = self.env
        rules = _rules(env)
        balance = self.flow.balance
        missing = exchange_shortfall(balance, rules)
        if missing:
            log.info("points_exchange_refused rule=below_exchange_minimum")
            self.message.show_text(
                env.tr(
                    "points.exchange.not_yet",
                    minimum=rules.exchange_minimum,
                    balance=balance,
                    missing=missing,
                )
            )
            return
        self._start("exchange")

    def on_donate_clicked(self) -> None:
        env = self.env
        if self.flow.balance <= 0:
            self.message.show_text(env.tr("points.donate.none"))
            return
        self._start("donate")

    def _start(self, use: Use) -> None:
        self.flow.choice.use = use
        enter(self.env, self.flow, At(AMOUNT))


def history_row(env: ScreenEnv, line: PointsLedgerLine, index: int) -> QWidget:
    """One line of the history: the date, then the activity in plain words and its points."""
    at = line.at.astimezone(KST)
    day = env.tr("points.line", year=at.year, month=at.month, day=at.day)
    kind = line.kind if line.kind in KNOWN_KINDS else "other"
    what = env.tr(f"points.kind.{kind}")
    if line.status is not None:  # an exchange: 신청, 지급 완료 or 반려 (points given back)
        shown = f"{abs(line.points):,}" if line.status == "refused" else f"{line.points:+,}"
        change = env.tr(f"points.line.{line.status}", points=shown)
    elif not line.counted:
        change = env.tr("points.line.not_counted")
    else:
        change = env.tr("points.line.points", points=f"{line.points:+,}")
    return review_row(env, day, f"{what} · {change}", name=f"line{index}")


SCREENS: dict[str, type[Screen]] = {POINTS: PointsScreen, BALANCE: BalanceScreen}


# ---------------------------------------------------------------------------------------------
# Sample states for --render-screens and the layout audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: tuple[str, ...] = (
    f"{BALANCE}_waiting",
    f"{BALANCE}_offline",
    BALANCE,
    f"{BALANCE}_low",
    f"{AMOUNT}_exchange",
    f"{AMOUNT}_donate",
    CONFIRM,
)


def sample_ledger(now: datetime, balance_scale: int = 1) -> PointsLedger:
    """A resident's ledger for the samples and tests: 5,300 points with `balance_scale` 1,
    15,300 with 6."""
    kinds = [
        ("ballot", 1000),
        ("proposal_agree", 100),
        ("proposal", 2000 * balance_scale),
        ("survey_response", 500),
        ("contest_entry", 1000),
        ("proposal_agree", 0),
        ("survey_response", 700),
        ("points_donation", -200),
        ("contest_vote", 200),
    ]
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


def sample_balance(pack: ContentPack, answer: LedgerAnswer | None) -> tuple[PointsFlow, Route]:
    """A resident's flow and the balance whose look-up already has `answer` (None: still
    waiting, for ever)."""
    lookup = LedgerLookup(None, None, wait_s=math.inf, clock=lambda: 0.0)
    lookup.started_at = 0.0
    lookup.answer = answer
    ledger = answer.ledger if answer is not None else None
    flow = PointsFlow(pack.district.points, ledger.balance if ledger is not None else 0)
    # Only for pictures: nothing is ever sealed to the sample key.
    sample = ResidentIdentity("01000000000", date(1950, 1, 1)).sealer(SAMPLE_SERVER_KEY)
    flow.identity = Identified(sample, "local-sample")
    flow.asked = lookup
    return flow, step_route(flow, At(BALANCE))


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    rich = LedgerAnswer("ready", sample_ledger(now, balance_scale=6))  # 15,300 points
    low = LedgerAnswer("ready", sample_ledger(now))  # below the minimum
    exchange, _ = sample_balance(pack, rich)
    donate, _ = sample_balance(pack, rich)
    donate.choice.use = "donate"
    chosen, _ = sample_balance(pack, rich)
    chosen.choice.amount = pack.district.points.exchange_minimum
    return {
        f"{BALANCE}_waiting": sample_balance(pack, None)[1],
        f"{BALANCE}_offline": sample_balance(pack, LedgerAnswer("offline"))[1],
        BALANCE: sample_balance(pack, rich)[1],
        f"{BALANCE}_low": sample_balance(pack, low)[1],
        f"{AMOUNT}_exchange": step_route(exchange, At(AMOUNT)),
        f"{AMOUNT}_donate": step_route(donate, At(AMOUNT)),
        CONFIRM: step_route(chosen, At(CONFIRM)),
    }
