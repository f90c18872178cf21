"""본인 확인: the phone number and birth date on the large keypad, for any flow that needs
one resident, one count (agreeing with a proposal, a budget ballot, later points).

A flow asks by navigating to `identity_route(request)`. The resident types the phone number
(step 1) and the birth date (step 2); the digits are shown masked except the parts an elder
needs to check (010-****-5678, 1950.**.**). On 확인 they are checked (contract.identity)
and turned into this kiosk's local key; the typed digits are then wiped from the request and
the flow gets an `Identified`: the identity in memory only (never stored, repr hidden), the
server key it will be sealed to, and the local key (`IdentityRequest.on_identified`). Nothing
is sealed here: each act seals it when it is made, bound to that act (kiosk.services, the
points look-up). The flow answers None when it moved on, or the words of a refusal
("이미 투표하셨습니다") that this screen shows; the identity goes with the visit.

A kiosk that has never reached the server has no key to seal to: the screen says so before
anything is typed, because keeping the numbers until a key arrives would mean storing them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from contract.content import KST
from contract.identity import IdentityError, normalise_phone
from kiosk.domain.identity import Identified, ResidentIdentity
from kiosk.ui.flow import ProblemMessage, end_step, flow_nav
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen, ScreenEnv
from kiosk.ui.widgets import Keypad, label

log = logging.getLogger(__name__)

IDENTITY = "identity"
Field = Literal["phone", "birth"]
LENGTHS: dict[Field, int] = {"phone": 11, "birth": 8}
MASK = "*"
EMPTY = "○"
# Only for pictures of the screens: no identity is ever sealed to it.
SAMPLE_SERVER_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="


# What a flow hands the identity step: the act itself, given the identity; None when the flow
# moved on, or the words of a refusal to show.
OnIdentified = Callable[[ScreenEnv, Identified], str | None]


class IdentityRequest:
    """A flow's request for identity, carried by the identity routes (it survives a rebuild).

    Attributes:
        purpose_id: message id of the line that says what the identity is for.
        server_key: the server's public key (base64), None on a kiosk never enrolled.
        on_identified: called with the result; returns None when the flow moved on, or the
            words of a refusal to show.
    """

    def __init__(
        self,
        purpose_id: str,
        server_key: str | None,
        on_identified: OnIdentified,
    ) -> None:
        self.purpose_id = purpose_id
        self.server_key = server_key
        self.on_identified = on_identified
        self.digits: dict[Field, str] = {"phone": "", "birth": ""}

    def wipe(self) -> None:
        self.digits = {"phone": "", "birth": ""}

    def __repr__(self) -> str:
        return f"IdentityRequest({self.purpose_id}, <hidden>)"


def identity_route(request: IdentityRequest, field: Field = "phone") -> Route:
    return Route(IDENTITY, {"request": request, "field": field})


def masked(field: Field, digits: str) -> str:
    """What the readout shows: 010-****-5678 for the phone, 1950.**.** for the birth date;
    digits not typed yet are empty circles, so the resident sees how many are left."""
    shown = [
        (d if (i < 3 or i >= 7) else MASK) if field == "phone" else (d if i < 4 else MASK)
        for i, d in enumerate(digits)
    ]
    shown += [EMPTY] * (LENGTHS[field] - len(digits))
    if field == "phone":
        return f"{''.join(shown[:3])}-{''.join(shown[3:7])}-{''.join(shown[7:])}"
    return f"{''.join(shown[:4])}.{''.join(shown[4:6])}.{''.join(shown[6:])}"


class IdentityScreen(Screen):
    """Route params: request (IdentityRequest), field ("phone" or "birth")."""

    title_id = "civic.identity.title"

    def build(self) -> None:
        env = self.env
        self.request: IdentityRequest = self.params["request"]
        self.field: Field = self.params["field"]
        self.box.addWidget(label(env.tr("civic.identity.title"), "title"))
        self.box.addWidget(label(env.tr(self.request.purpose_id), "strong"))
        self.message = ProblemMessage(env)
        if self.request.server_key is None:
            notice = label(env.tr("civic.identity.no_key.title"), "notice")
            notice.setObjectName("noServerKey")
            self.box.addWidget(notice)
            self.box.addWidget(label(env.tr("civic.identity.no_key.body")))
            end_step(self.box, flow_nav(env, env.shell.go_back, None).widget)
            return
        step = label(env.tr("civic.identity.step", n=1 if self.field == "phone" else 2), "muted")
        step.setObjectName("progress")
        self.box.addWidget(step)
        prompt = label(env.tr(f"civic.identity.{self.field}.prompt"), "question")
        prompt.setObjectName("prompt")
        self.box.addWidget(prompt)
        if self.field == "birth":
            self.box.addWidget(label(env.tr("civic.identity.birth.example"), "muted"))
        self.readout = label("", "title")
        self.readout.setObjectName("identityReadout")
        self.count = label("", "muted")
        self.count.setObjectName("identityCount")
        self.box.addWidget(self.readout)
        self.box.addWidget(self.count)
        self.box.addWidget(self.message)
        m = env.theme.metrics
        self.keypad = Keypad(
            env.tr("keypad.delete"), env.tr("keypad.ok"), m.gap_px, m.button_margin_px
        )
        self.keypad.digit.connect(self.on_digit)
        self.keypad.erase.connect(self.on_erase)
        self.keypad.submit.connect(self.on_next)
        self.box.addWidget(self.keypad)
        self.box.addWidget(label(env.tr("civic.identity.why"), "muted"))
        next_id = "flow.next" if self.field == "phone" else "civic.identity.done"
        self.nav = flow_nav(env, env.shell.go_back, self.on_next, env.tr(next_id))
        end_step(self.box, self.nav.widget)
        self._show()

    def _show(self) -> None:
        digits = self.request.digits[self.field]
        self.readout.setText(masked(self.field, digits))
        count = self.env.tr("civic.identity.count", count=len(digits), total=LENGTHS[self.field])
        self.count.setText(count)
        # Read aloud and by screen readers as the count only, never the digits.
        self.readout.setAccessibleName(count)

    def typed(self) -> str | None:
        return self.request.digits[self.field] if self.request.server_key is not None else None

    def on_digit(self, digit: str) -> None:
        digits = self.request.digits[self.field]
        if len(digits) < LENGTHS[self.field]:
            self.request.digits[self.field] = digits + digit
        self.message.clear_problems()
        self._show()

    def on_erase(self) -> None:
        self.request.digits[self.field] = self.request.digits[self.field][:-1]
        self._show()

    def _refuse(self, message_id: str) -> None:
        self.message.show_text(self.env.tr(message_id))

    def on_next(self) -> None:
        env, request = self.env, self.request
        if self.field == "phone":
            try:
                normalise_phone(request.digits["phone"])
            except IdentityError as e:
                self._refuse(e.message_id)
                return
            env.shell.navigate(identity_route(request, "birth"))
            return
        assert request.server_key is not None
        today = env.ctx.clock().astimezone(KST).date()
        try:
            resident = ResidentIdentity.from_keypad(
                request.digits["phone"], request.digits["birth"], today
            )
            identified = env.services.identify(resident, request.server_key)
        except IdentityError as e:
            self._refuse(e.message_id)
            return
        del resident
        request.wipe()
        self._show()
        log.info("identity_given purpose=%s", request.purpose_id)
        refusal = request.on_identified(env, identified)
        if refusal is not None:
            # Typing again would meet the same answer: the refusal stays, with 이전 and 처음으로.
            self.keypad.hide()
            self.nav.next.hide()
            self.message.show_text(refusal)


SCREENS: dict[str, type[Screen]] = {IDENTITY: IdentityScreen}
