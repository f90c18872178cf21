"""Between the screens and the device's data: every write from the GUI is an act here (one
transaction: the rule, the envelope, the one-vote record) and every read a screen needs. Screens
import this, never kiosk.store or sync (an import-linter contract). No Qt in the acts."""

from kiosk.domain.identity import Identified
from kiosk.services.core import Services
from kiosk.services.outcome import Outcome, Receipt, Refusal, receipt_number

__all__ = ["Identified", "Outcome", "Receipt", "Refusal", "Services", "receipt_number"]
