"""A resident's identity for one-resident-one-count, without keeping it.

Agreeing, voting and points ask for the phone number and birth date on a keypad. They are
checked here, held in memory by a `ResidentIdentity` for the rest of the visit (never stored),
and only ever leave this module in two forms:
- sealed to the server's key together with the one act it is for (contract.identity.seal: the
  checks and the seal are shared with the server);
- a local key, an HMAC-SHA256 with the device's own secret, so this kiosk can refuse a second
  agree or ballot while offline without holding anything that names the resident.

Nothing this module returns, raises or shows (repr, str) holds the digits in clear: errors
carry a message id only, never the input.

No Qt and no I/O.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date
from typing import Final

from contract.identity import normalise_birth, normalise_phone, seal, sealed_box
from contract.wire import SealBinding

# The version of what the local key hashes; it never changes, or a resident who agreed here
# before an upgrade could agree again. What is sealed has its own version (SEAL_FORMAT).
LOCAL_KEY_FORMAT: Final = 1


def _identity_bytes(phone: str, birth: date) -> bytes:
    """The canonical form the local key hashes."""
    fields = {"v": LOCAL_KEY_FORMAT, "phone": normalise_phone(phone), "birth": birth.isoformat()}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


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
        sealed_box(server_key)  # a key that cannot be sealed to is refused before any act
        self._resident = resident
        self.server_key = server_key

    def __call__(self, binding: SealBinding) -> str:
        return self._resident.seal(self.server_key, binding)

    def __repr__(self) -> str:
        return "Sealer(<hidden>)"

    __str__ = __repr__


@dataclass(frozen=True)
class Identified:
    """A resident's identity as an act receives it: ready to seal to the server's key, act by
    act (`sealer`), and this kiosk's local key (the one-vote records). Held in memory for the
    visit only; its repr never shows either."""

    sealer: Sealer
    local_key: str

    def __repr__(self) -> str:
        return "Identified(<hidden>)"

    def seal(self, binding: SealBinding) -> str:
        return self.sealer(binding)
