"""Services between the screens and the store or the network: what the GUI asks to be done.

Every write from the GUI is an act here (one transaction: the rule, the envelope, the one-vote
record) and every read a screen needs. Screens import this, never kiosk.store or sync (an
import-linter contract). No Qt in the acts; work off the GUI thread goes through `background`.
"""

from typing import TYPE_CHECKING

from contract.receipt import receipt_number
from kiosk.services.core import Services
from kiosk.services.outcome import Outcome, Receipt, Refusal

if TYPE_CHECKING:
    from kiosk.domain.identity import Identified

__all__ = ["Identified", "Outcome", "Receipt", "Refusal", "Services", "receipt_number"]


def __getattr__(name: str) -> object:
    # The resident's identity (and the sealing it brings) is imported on first use, not with
    # the window before its first paint.
    if name == "Identified":
        from kiosk.domain.identity import Identified

        return Identified
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
