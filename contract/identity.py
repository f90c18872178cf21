"""A resident's identity as both sides read it: the phone number and birth date checks, and
the seal (what is sealed to the server's key, and how).

The kiosk checks what a resident typed with `normalise_phone` and `normalise_birth`; the server
reads what a sealed identity holds, and what staff type at the exchange desk, with the same
functions, so a number taken at the kiosk is the same resident on the server. A seal is the
identity and the one act it is for (contract.wire.SealBinding: the envelope's id, kind, target,
creation time and payload digest, or one ledger request) in a libsodium sealed box (PyNaCl) to
the server's X25519 public key: only the server can open it, two seals of the same identity
differ, and a seal copied into another act is refused.

Holding the identity for a visit, and the device's own key for "already voted here", are
kiosk.domain.identity. Errors carry a message id only, never the input.

No Qt and no I/O.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import date
from typing import Final

from nacl.exceptions import CryptoError
from nacl.public import PublicKey, SealedBox

from contract.wire import SEAL_FORMAT, SealBinding

# Korean mobile numbers: 010 and eight digits (the older 011-019 prefixes moved to 010). The
# number plan is not checked further: refusing a real number would leave a resident stuck.
_PHONE = re.compile(r"010[0-9]{8}")
AGE_MIN: Final = 14
AGE_MAX: Final = 120


class IdentityError(ValueError):
    """A phone number or birth date that cannot be taken, or no server key to seal to.

    `message_id` names the catalogue text (kiosk/i18n/civic.toml) that tells the resident what to
    do; the message never repeats what was typed.
    """

    def __init__(self, message_id: str) -> None:
        super().__init__(message_id)
        self.message_id = message_id


def normalise_phone(text: str) -> str:
    """The number as 11 digits: "010-1234-5678" and "010 1234 5678" → "01012345678"."""
    digits = "".join(ch for ch in text if ch not in " -")
    if not _PHONE.fullmatch(digits):
        raise IdentityError("civic.identity.bad_phone")
    return digits


def full_years(born: date, today: date) -> int:
    """Age in full years (만 나이) on `today`; a 29 February birthday counts on 1 March."""
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return today.year - born.year - before_birthday


def normalise_birth(text: str, today: date) -> date:
    """A birth date typed as YYYYMMDD or YYMMDD (dots, dashes and spaces ignored).

    The date must be real, past, and make the resident 14 to 120 years old. Six digits take
    the 2000s when that fits, else the 1900s ("150101" is 2015 for a teenager's kiosk visit in
    2030, 1915 for an elder's in 2026).
    """
    digits = "".join(ch for ch in text if ch not in " .-/")
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (6, 8):
        raise IdentityError("civic.identity.bad_birth")
    if len(digits) == 8:
        candidates = [_real_date(int(digits[:4]), digits[4:])]
    else:
        candidates = [_real_date(century + int(digits[:2]), digits[2:]) for century in (2000, 1900)]
    past = [born for born in candidates if born is not None and born <= today]
    if not past:
        raise IdentityError("civic.identity.bad_birth")
    for born in past:
        if AGE_MIN <= full_years(born, today) <= AGE_MAX:
            return born
    raise IdentityError("civic.identity.age_range")


def _real_date(year: int, month_day: str) -> date | None:
    try:
        return date(year, int(month_day[:2]), int(month_day[2:]))
    except ValueError:
        return None


def sealed_bytes(phone: str, birth: date, binding: SealBinding) -> bytes:
    """The plaintext of a seal (format 2): the identity and the one act it is for; the server
    reads it back with `unsealed`."""
    fields = {
        "v": SEAL_FORMAT,
        "phone": normalise_phone(phone),
        "birth": birth.isoformat(),
        "binding": binding.model_dump(mode="json"),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


class SealFormatError(ValueError):
    """A seal's plaintext of another format than SEAL_FORMAT (`found`: the one it says)."""

    def __init__(self, found: object) -> None:
        super().__init__(f"seal format {found!r}")
        self.found = found


def unsealed(plaintext: bytes) -> tuple[str, date, SealBinding]:
    """What an opened seal holds, as `sealed_bytes` wrote it: the phone number (11 digits), the
    birth date and the act it is bound to.

    SealFormatError for another format; ValueError, KeyError, TypeError or IdentityError when
    it does not hold them, whose messages may quote the identity: never pass them on.
    """
    fields = json.loads(plaintext)
    if fields["v"] != SEAL_FORMAT:
        raise SealFormatError(fields["v"])
    phone = normalise_phone(fields["phone"])
    birth = date.fromisoformat(fields["birth"])
    return phone, birth, SealBinding.model_validate(fields["binding"])


def seal(phone: str, birth: date, server_public_key_b64: str, binding: SealBinding) -> str:
    """The identity, bound to `binding`, sealed to the server's key: base64 (standard) of a
    libsodium sealed box.

    The key is base64 of the server's raw 32-byte X25519 public key, as enrolment hands it out
    (contract.wire.EnrollResponse.server_public_key).
    """
    box = sealed_box(server_public_key_b64)
    return base64.b64encode(box.encrypt(sealed_bytes(phone, birth, binding))).decode("ascii")


def sealed_box(server_public_key_b64: str) -> SealedBox[PublicKey]:
    """The box that seals to the server's key; IdentityError when the key cannot be used."""
    try:
        raw_key = base64.b64decode(server_public_key_b64, validate=True)
        return SealedBox(PublicKey(raw_key))
    except (binascii.Error, ValueError, TypeError, CryptoError):
        raise IdentityError("civic.identity.no_server_key") from None
