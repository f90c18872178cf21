"""The receipt number: digits grouped in fours, made from the envelope id alone."""

from __future__ import annotations

import re
import uuid

from contract.receipt import receipt_number


def test_receipt_number_is_two_groups_of_four_digits() -> None:
    for _ in range(200):
        assert re.fullmatch(r"\d{4}-\d{4}", receipt_number(uuid.uuid4()))


def test_receipt_number_is_the_ids_last_eight_decimal_digits() -> None:
    envelope = uuid.UUID(int=12_345_678_902_741_0586)
    assert receipt_number(envelope) == "2741-0586"
    assert receipt_number(uuid.UUID(int=7)) == "0000-0007"
    assert receipt_number(envelope) == receipt_number(uuid.UUID(str(envelope)))
