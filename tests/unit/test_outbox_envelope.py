"""The Envelope wire model (contract.wire) and its canonical JSON."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from contract.wire import PAYLOAD_FROM_JSON, Envelope, canonical_json

KST = timezone(timedelta(hours=9))


def envelope_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": uuid.UUID("12345678-1234-4678-9234-567812345678"),
        "kind": "survey.response",
        "schema_version": 1,
        "content_version": "2026.11.1",
        "device_seq": 7,
        "created_at": datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        "clock_offset_s": -1.25,
        "boot_id": "boot-1",
        "practice": False,
        "payload": {"survey_id": "s1", "answers": {"q1": "네"}},
        "sealed_identity": None,
    }
    fields.update(overrides)
    return fields


def test_envelope_is_frozen() -> None:
    envelope = Envelope(**envelope_fields())
    with pytest.raises(ValidationError):
        envelope.kind = "other"  # type: ignore[misc]


def test_envelope_refuses_unknown_fields() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Envelope(**envelope_fields(device_id="d1"))


@pytest.mark.parametrize(
    "overrides",
    [
        {"device_seq": 0},
        {"schema_version": 0},
        {"kind": ""},
        {"boot_id": ""},
        {"created_at": datetime(2026, 11, 25, 9, 30)},  # naive: whose clock?
        {"clock_offset_s": float("nan")},
        {"clock_offset_s": float("inf")},
        {"id": "not-a-uuid"},
        {"payload": ["not", "a", "dict"]},
    ],
    ids=repr,
)
def test_envelope_refuses_invalid_values(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Envelope(**envelope_fields(**overrides))


def test_created_at_is_normalised_to_utc() -> None:
    local = datetime(2026, 11, 25, 18, 30, tzinfo=KST)
    envelope = Envelope(**envelope_fields(created_at=local))
    assert envelope.created_at.utcoffset() == timedelta(0)
    assert envelope.created_at == local


def test_sealed_identity_is_optional() -> None:
    fields = envelope_fields()
    del fields["sealed_identity"]
    assert Envelope(**fields).sealed_identity is None


def test_canonical_json_is_sorted_compact_utf8() -> None:
    raw = canonical_json(Envelope(**envelope_fields()))
    text = raw.decode("utf-8")
    assert " " not in text
    assert "네" in text  # not \\u escaped
    parsed = json.loads(text)
    assert list(parsed) == sorted(parsed)
    assert list(parsed["payload"]["answers"]) == sorted(parsed["payload"]["answers"])


def test_canonical_json_is_stable_across_time_zones_and_key_order() -> None:
    a = Envelope(**envelope_fields(payload={"b": 1, "a": 2}))
    b = Envelope(
        **envelope_fields(
            payload={"a": 2, "b": 1},
            created_at=datetime(2026, 11, 25, 18, 30, tzinfo=KST),
        )
    )
    assert canonical_json(a) == canonical_json(b)


def test_canonical_json_round_trips_to_an_equal_envelope() -> None:
    envelope = Envelope(**envelope_fields(sealed_identity="sealed:abc", practice=True))
    assert Envelope.model_validate_json(canonical_json(envelope)) == envelope


@pytest.mark.parametrize(
    "payload",
    [{"score": float("nan")}, {"score": float("-inf")}, {"when": datetime(2026, 1, 1)}, {"s": {1}}],
    ids=repr,
)
def test_payload_must_be_plain_json(payload: dict[str, Any]) -> None:
    # NaN would go out as null and a datetime as a string: the hash would not be of what was meant.
    with pytest.raises(ValidationError, match="JSON"):
        Envelope(**envelope_fields(payload=payload))


def test_a_payload_parsed_from_json_makes_the_same_envelope_without_the_second_dump() -> None:
    # The outbox validates its envelopes so (its payload is parsed from the text it stores).
    text = json.dumps({"survey_id": "s1", "answers": {"q1": "네", "q2": [1, 2.5]}})
    fields = envelope_fields(payload=json.loads(text))
    assert Envelope.model_validate(fields, context={PAYLOAD_FROM_JSON: True}) == Envelope(**fields)
