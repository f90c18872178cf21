"""포인트: what points are, and the way in to a resident's own (kiosk.domain.points_flow).

From home: what points are and 본인 확인하고 포인트 보기; then the points flow, drawn by the
step screens: 본인 확인, the balance and history asked of the server (kiosk.services'
ledger look-up, off the GUI thread, waited for by kiosk.ui.steps.waiting), exchanging or
donating. Everything of a resident (the identity in memory, the ledger, the amount) lives in
the flow the routes carry: an idle reset or 처음으로 drops the routes, and with them all of it.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from contract.content import ContentPack, PointRules
from kiosk.domain.identify import SAMPLE_SERVER_KEY
from kiosk.domain.identity import ResidentIdentity
from kiosk.domain.points_flow import AMOUNT, BALANCE, CONFIRM, PointsFlow, sample_ledger
from kiosk.domain.steps import At
from kiosk.services import Identified
from kiosk.services.ledger_lookup import LedgerAnswer, LedgerLookup
from kiosk.ui.navigation import Route, step_route
from kiosk.ui.screens.base import Screen, ScreenEnv, TitledScreen
from kiosk.ui.steps import enter
from kiosk.ui.widgets import label

POINTS = "points"


def _rules(env: ScreenEnv) -> PointRules:
    pack = env.ctx.pack
    return pack.district.points if pack is not None else PointRules(rules={})


class PointsScreen(TitledScreen):
    """Route params: none. What points are, and 본인 확인하고 포인트 보기."""

    title_id = "area.points"

    def build(self) -> None:
        env = self.env
        minimum = _rules(env).exchange_minimum
        self.box.addWidget(label(env.tr("points.intro", minimum=minimum)))
        check = env.button(env.tr("points.check"), role="primary", name="checkPoints")
        check.clicked.connect(self.on_check_clicked)
        self.box.addWidget(check)
        self.box.addStretch(1)

    def on_check_clicked(self) -> None:
        enter(self.env, PointsFlow(_rules(self.env)))


SCREENS: dict[str, type[Screen]] = {POINTS: PointsScreen}


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


def sample_flow(pack: ContentPack, answer: LedgerAnswer | None) -> PointsFlow:
    """A resident's flow whose look-up already has `answer` (None: still waiting, for ever)."""
    lookup = LedgerLookup(None, None, wait_s=math.inf, clock=lambda: 0.0)
    lookup.started_at = 0.0
    lookup.answer = answer
    ledger = answer.ledger if answer is not None else None
    flow = PointsFlow(pack.district.points, ledger.balance if ledger is not None else 0)
    # Only for pictures: nothing is ever sealed to the sample key.
    sample = ResidentIdentity("01000000000", date(1950, 1, 1)).sealer(SAMPLE_SERVER_KEY)
    flow.identity = Identified(sample, "local-sample")
    flow.asked = lookup
    return flow


def samples(pack: ContentPack, now: datetime) -> dict[str, Route]:
    rich = LedgerAnswer("ready", sample_ledger(now, balance_scale=6))  # 15,300 points
    low = LedgerAnswer("ready", sample_ledger(now))  # below the minimum
    donate = sample_flow(pack, rich)
    donate.choice.use = "donate"
    chosen = sample_flow(pack, rich)
    chosen.choice.amount = pack.district.points.exchange_minimum
    return {
        f"{BALANCE}_waiting": step_route(sample_flow(pack, None), At(BALANCE)),
        f"{BALANCE}_offline": step_route(sample_flow(pack, LedgerAnswer("offline")), At(BALANCE)),
        BALANCE: step_route(sample_flow(pack, rich), At(BALANCE)),
        f"{BALANCE}_low": step_route(sample_flow(pack, low), At(BALANCE)),
        f"{AMOUNT}_exchange": step_route(sample_flow(pack, rich), At(AMOUNT)),
        f"{AMOUNT}_donate": step_route(donate, At(AMOUNT)),
        CONFIRM: step_route(chosen, At(CONFIRM)),
    }
