"""The receipt number a resident is shown for a submission, made from its envelope's id.

One place for the format, so the kiosk's thank-you and the staff console show the same number
for the same envelope. Digits only, grouped in fours ("2741-0586"): a hex number mixed 0 and O.

No Qt and no I/O.
"""

from __future__ import annotations

import uuid

# Eight digits: enough that two submissions of one day on one device practically never share a
# number, and short enough to read out over the phone.
DIGITS = 8


def receipt_number(envelope_id: uuid.UUID) -> str:
    """The envelope's receipt number: its id's last eight decimal digits, as 2741-0586."""
    digits = f"{envelope_id.int % 10**DIGITS:0{DIGITS}d}"
    return f"{digits[:4]}-{digits[4:]}"
