"""Ed25519 as every side uses it: keys are 32-byte seeds, public keys are written as base64 of
the raw 32 bytes. The device's bundle key (sync.bundle), the publisher's update key
(sync.updates) and the server's content key (contract.pack_signature) all sign and verify here.

PyNaCl (libsodium), which the sealed identity (contract.identity) already needs: the kiosk's
bundle then carries one crypto library, not two (cryptography's is 12 MB).
"""

from __future__ import annotations

import base64

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

SIGNATURE_BYTES = 64


def public_key_of(seed: bytes) -> str:
    """The base64 raw public key of the Ed25519 private key `seed` (32 bytes)."""
    return base64.b64encode(bytes(SigningKey(seed).verify_key)).decode("ascii")


def sign(seed: bytes, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `message` by the private key `seed` (32 bytes);
    deterministic: the same seed and message give the same signature."""
    return SigningKey(seed).sign(message).signature


def verifies(public_key: str, signature: bytes, message: bytes) -> bool:
    """Whether `signature` is `public_key`'s (base64 raw Ed25519) over `message`. ValueError
    (binascii.Error included) when `public_key` is not base64 of 32 bytes."""
    key = VerifyKey(base64.b64decode(public_key, validate=True))
    if len(signature) != SIGNATURE_BYTES:
        return False
    try:
        key.verify(message, signature)
    except BadSignatureError:
        return False
    return True
