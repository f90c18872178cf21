"""The identify step (본인 확인): the masked readout, the count, the keypad, and turning the
typed digits into an `Identified` through kiosk.services.

The digits are checked (contract.identity) and turned into this kiosk's local key and a
sealer; the typed digits are then wiped from the entry and the flow holds the `Identified`
(in memory only, repr hidden) for the act. Nothing is sealed here: each act seals it when it
is made, bound to that act.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from contract.content_base import KST
from contract.identity import IdentityError
from kiosk.domain.identify import LENGTHS, IdentityEntry, field_of, masked
from kiosk.domain.identity import ResidentIdentity
from kiosk.ui.widgets import Keypad, label

if TYPE_CHECKING:
    from kiosk.ui.screens.base import ScreenEnv
    from kiosk.ui.steps.screen import StepScreen

log = logging.getLogger(__name__)


def _entry(screen: StepScreen) -> IdentityEntry:
    entry = screen.flow.entry
    assert entry is not None, "the runner sets the entry on arrival"
    return entry


def step_keypad(env: ScreenEnv) -> Keypad:
    """The keypad of a step (본인 확인, a number), the one kept from the step before where
    there is one (kiosk.ui.widgets.Shelf). No 확인 on the keys: the step's 다음 under them is
    the one action."""
    m = env.theme.metrics
    delete = env.tr("keypad.delete")
    return env.shell.shelf.take(
        "keypad",
        (delete, m),
        lambda: Keypad(delete, None, m.gap_px, m.button_margin_px),
        Keypad.start_over,
    )


def keypad(screen: StepScreen) -> list[QWidget]:
    """The readout of what was typed (masked), its count and the keypad (the problem message
    stays at the foot of the working area, brought into view when shown),
    as the step's entry (StepScreen.entry: kept in sight with the action row); nothing on a
    kiosk without the server's key. Nothing goes into the scrolling body."""
    env = screen.env
    entry = _entry(screen)
    if entry.server_key is None:
        return []
    field = field_of(screen.at)
    readout = label("", "title")
    readout.setObjectName("identityReadout")
    # Beside the keys on a landscape window, the count at the small size on one line: two
    # lines at 200 % under a coach's practice band left the keys less than their touch size.
    count = label("", "small" if env.landscape else "muted")
    count.setObjectName("identityCount")
    pad = step_keypad(env)
    screen.keypad = pad

    def show() -> None:
        digits = entry.digits[field]
        readout.setText(masked(field, digits))
        words = env.tr("civic.identity.count", count=len(digits), total=LENGTHS[field])
        count.setText(words)
        # Read aloud and by screen readers as the count only, never the digits.
        readout.setAccessibleName(words)

    def digit(d: str) -> None:
        entry.type(field, d)
        screen.message.clear_problems()
        show()

    def erase() -> None:
        entry.erase(field)
        show()

    pad.digit.connect(digit)
    pad.erase.connect(erase)
    screen.show_typed = show
    show()
    screen.entry = [readout, count, pad]
    return []


def identify(screen: StepScreen) -> bool:
    """확인 after the birth date: the identity for this visit's acts (flow.identity; True), or
    why it is refused (False)."""
    env, flow = screen.env, screen.flow
    entry = _entry(screen)
    assert entry.server_key is not None
    today = env.ctx.clock().astimezone(KST).date()
    try:
        resident = ResidentIdentity.from_keypad(entry.digits["phone"], entry.digits["birth"], today)
        identified = env.services.identify(resident, entry.server_key)
    except IdentityError as e:
        screen.message.show_text(env.tr(e.message_id))
        return False
    del resident
    entry.wipe()
    screen.show_typed()
    log.info("identity_given purpose=%s", entry.purpose_id)
    flow.identity = identified
    return True
