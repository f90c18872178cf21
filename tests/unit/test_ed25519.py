"""contract.ed25519 (PyNaCl) against an independent Ed25519 (cryptography's): the same keys and
signatures, so what a device or server signed before the switch still verifies."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract.ed25519 import public_key_of, sign, verifies

SEED = hashlib.sha256(b"test seed").digest()
MESSAGE = b'{"format":"x","version":1}'


def test_keys_and_signatures_are_those_of_another_implementation() -> None:
    other = Ed25519PrivateKey.from_private_bytes(SEED)
    raw = other.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert public_key_of(SEED) == base64.b64encode(raw).decode("ascii")
    assert sign(SEED, MESSAGE) == other.sign(MESSAGE)
    assert verifies(public_key_of(SEED), other.sign(MESSAGE), MESSAGE)


def test_a_changed_message_key_or_signature_does_not_verify() -> None:
    signature = sign(SEED, MESSAGE)
    other_key = public_key_of(hashlib.sha256(b"another").digest())
    assert not verifies(public_key_of(SEED), signature, MESSAGE + b" ")
    assert not verifies(other_key, signature, MESSAGE)
    assert not verifies(public_key_of(SEED), bytes([signature[0] ^ 1]) + signature[1:], MESSAGE)
    assert not verifies(public_key_of(SEED), signature[:-1], MESSAGE)
    assert not verifies(public_key_of(SEED), b"", MESSAGE)


@pytest.mark.parametrize("key", ["not base64!", base64.b64encode(b"short").decode(), ""])
def test_an_unreadable_public_key_is_a_value_error(key: str) -> None:
    with pytest.raises(ValueError):
        verifies(key, sign(SEED, MESSAGE), MESSAGE)
