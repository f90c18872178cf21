"""Services between the screens and the store or the network: what the GUI asks to be done.

Every write from the GUI is an act here (one transaction: the rule, the envelope, the one-vote
record) and every read a screen needs. Screens import this, never kiosk.store or sync (an
import-linter contract). No Qt in the acts; work off the GUI thread goes through `background`.
"""

from contract.receipt import receipt_number
from kiosk.domain.identity import Identified
from kiosk.services.core import Services
from kiosk.services.outcome import Outcome, Receipt, Refusal

__all__ = ["Identified", "Outcome", "Receipt", "Refusal", "Services", "receipt_number"]
