"""A resident's identity for one-resident-one-count, without keeping it.

Agreeing, voting and points ask for the phone number and birth date on a keypad. They are
checked here, held in memory by a `ResidentIdentity` for the rest of the visit (never stored),
and only ever leave this module in two forms:
- sealed to the server's X25519 public key (libsodium's sealed box, through PyNaCl) together
  with the one act it is for (sync.protocol.SealBinding: the envelope's id, kind, target,
  creation time and payload digest, or one ledger request): only the server can open it, two
  seals of the same identity differ, and a seal copied into another act is refused;
- a local key, an HMAC-SHA256 with the device's own secret, so this kiosk can refuse a second
  agree or ballot while offline without holding anything that names the resident.

Nothing this module returns, raises or shows (repr, str) holds the digits in clear: errors
carry a message id only, never the input.

No Qt and no I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from datetime import date
from typing import Final

from nacl.exceptions import CryptoError
from nacl.public import PublicKey, SealedBox

from sync.protocol import SEAL_FORMAT, SealBinding

# Korean mobile numbers: 010 and eight digits (the older 011-019 prefixes moved to 010). The
# number plan is not checked further: refusing a real number would leave a resident stuck.
_PHONE = re.compile(r"010[0-9]{8}")
AGE_MIN: Final = 14
AGE_MAX: Final = 120
# The version of what the local key hashes; it never changes, or a resident who agreed here
# before an upgrade could agree again. What is sealed has its own version (SEAL_FORMAT).
LOCAL_KEY_FORMAT: Final = 1


class IdentityError(ValueError):
    """A phone number or birth date that cannot be taken, or no server key to seal to.

    `message_id` names the catalogue text (kiosk.i18n.civic) that tells the resident what to
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


def _identity_bytes(phone: str, birth: date) -> bytes:
    """The canonical form the local key hashes."""
    fields = {"v": LOCAL_KEY_FORMAT, "phone": normalise_phone(phone), "birth": birth.isoformat()}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


def sealed_bytes(phone: str, birth: date, binding: SealBinding) -> bytes:
    """The plaintext of a seal (format 2): the identity and the one act it is for."""
    fields = {
        "v": SEAL_FORMAT,
        "phone": normalise_phone(phone),
        "birth": birth.isoformat(),
        "binding": binding.model_dump(mode="json"),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


def seal(phone: str, birth: date, server_public_key_b64: str, binding: SealBinding) -> str:
    """The identity, bound to `binding`, sealed to the server's key: base64 (standard) of a
    libsodium sealed box.

    The key is base64 of the server's raw 32-byte X25519 public key, as enrolment hands it out
    (sync.protocol.EnrollResponse.server_public_key).
    """
    box = _box_for(server_public_key_b64)
    return base64.b64encode(box.encrypt(sealed_bytes(phone, birth, binding))).decode("ascii")


def _box_for(server_public_key_b64: str) -> SealedBox[PublicKey]:
    try:
        raw_key = base64.b64decode(server_public_key_b64, validate=True)
        return SealedBox(PublicKey(raw_key))
    except (binascii.Error, ValueError, TypeError, CryptoError):
        raise IdentityError("civic.identity.no_server_key") from None


def local_key(phone: str, birth: date, device_secret: bytes) -> str:
    """An HMAC-SHA256 of the identity with this device's secret, base64url without padding.

    The same resident has the same key on this device (for "already voted here") and a
    different one on every other device; without the secret it names no one.
    """
    if len(device_secret) < 16:
        raise ValueError("the device secret is too short to key an HMAC")
    digest = hmac.new(device_secret, _identity_bytes(phone, birth), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class ResidentIdentity:
    """A checked phone number and birth date, held in memory for one visit and never stored:
    each act seals it afresh, bound to that act.

    Its repr and str say nothing about the resident, so a log line or a traceback that shows
    it shows nothing personal.
    """

    __slots__ = ("_birth", "_phone")

    def __init__(self, phone: str, birth: date) -> None:
        self._phone = normalise_phone(phone)
        self._birth = birth

    @classmethod
    def from_keypad(cls, phone_text: str, birth_text: str, today: date) -> ResidentIdentity:
        """Check what was typed; IdentityError (with a message id) when it cannot be taken."""
        return cls(phone_text, normalise_birth(birth_text, today))

    def seal(self, server_public_key_b64: str, binding: SealBinding) -> str:
        return seal(self._phone, self._birth, server_public_key_b64, binding)

    def sealer(self, server_public_key_b64: str) -> Sealer:
        """Seals this identity to one server key, act by act (what Outbox.enqueue calls);
        IdentityError now when the key cannot be sealed to."""
        return Sealer(self, server_public_key_b64)

    def local_key(self, device_secret: bytes) -> str:
        return local_key(self._phone, self._birth, device_secret)

    def __repr__(self) -> str:
        return "ResidentIdentity(<hidden>)"

    __str__ = __repr__


class Sealer:
    """A resident's identity and the server key it is sealed to: called with an act's binding,
    it returns the seal for that act. `server_key` is what the outbox records as sealed-to.
    """

    __slots__ = ("_resident", "server_key")

    def __init__(self, resident: ResidentIdentity, server_key: str) -> None:
        _box_for(server_key)  # a key that cannot be sealed to is refused before any act
        self._resident = resident
        self.server_key = server_key

    def __call__(self, binding: SealBinding) -> str:
        return self._resident.seal(self.server_key, binding)

    def __repr__(self) -> str:
        return "Sealer(<hidden>)"

    __str__ = __repr__
