"""A resident's identity: checked on the keypad, sealed to the server, hashed for this kiosk only.

Nothing that comes out holds the phone number or the birth date in clear.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from contract.identity import (
    IdentityError,
    SealFormatError,
    full_years,
    normalise_birth,
    normalise_phone,
    seal,
    unsealed,
)
from contract.wire import (
    Envelope,
    SealBinding,
    binding_of,
    envelope_binding,
    ledger_binding,
    seal_target,
)
from kiosk.domain.identity import ResidentIdentity, local_key
from kiosk.i18n import CATALOGUE

TODAY = date(2026, 12, 1)
SECRET = bytes(range(32))


def server_keypair() -> tuple[str, PrivateKey]:
    """A key made the way server.auth.ensure_server_key makes it: raw X25519, base64."""
    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw_public).decode("ascii"), PrivateKey(raw_private)


PUBLIC_KEY, PRIVATE_KEY = server_keypair()


AGREE = envelope_binding(
    uuid.UUID("7d1c0000-0000-4000-8000-000000000001"),
    "proposal_agree",
    datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    {"proposal_id": "crosswalk-sindang"},
)


def open_seal(sealed: str) -> dict[str, object]:
    opened = SealedBox(PRIVATE_KEY).decrypt(base64.b64decode(sealed))
    result: dict[str, object] = json.loads(opened)
    return result


# -- the keypad's input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["010-1234-5678", "01012345678", "010 1234 5678", " 0101234 5678"]
)
def test_mobile_numbers_with_or_without_dashes(typed: str) -> None:
    assert normalise_phone(typed) == "01012345678"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "010-123-4567",  # ten digits
        "010123456789",  # twelve
        "011-1234-5678",  # not a 010 number
        "02-1234-5678",  # a landline
        "010-1234-567a",
        "０１０１２３４５６７８",  # full-width digits
        "+82-10-1234-5678",
    ],
)
def test_other_numbers_are_refused(typed: str) -> None:
    with pytest.raises(IdentityError) as refused:
        normalise_phone(typed)
    assert refused.value.message_id == "civic.identity.bad_phone"


@pytest.mark.parametrize(
    ("typed", "born"),
    [
        ("19500315", date(1950, 3, 15)),
        ("1950-03-15", date(1950, 3, 15)),
        ("1950.03.15", date(1950, 3, 15)),
        ("500315", date(1950, 3, 15)),
        ("100101", date(2010, 1, 1)),  # a 16-year-old
        ("150101", date(1915, 1, 1)),  # 2015 would be 11: an elder of 111
        ("000229", date(2000, 2, 29)),  # 1900 had no 29 February, 2000 did
        ("20121201", date(2012, 12, 1)),  # 14 today
        ("19061201", date(1906, 12, 1)),  # 120 today
    ],
)
def test_birth_dates_in_eight_or_six_digits(typed: str, born: date) -> None:
    assert normalise_birth(typed, TODAY) == born


@pytest.mark.parametrize(
    ("typed", "message_id"),
    [
        ("", "civic.identity.bad_birth"),
        ("1950315", "civic.identity.bad_birth"),
        ("19500230", "civic.identity.bad_birth"),
        ("19501301", "civic.identity.bad_birth"),
        ("250229", "civic.identity.bad_birth"),  # no 29 February in 2025 or 1925
        ("20261202", "civic.identity.bad_birth"),  # tomorrow
        ("00000000", "civic.identity.bad_birth"),
        ("１９５００３１５", "civic.identity.bad_birth"),
        ("20121202", "civic.identity.age_range"),  # 14 tomorrow
        ("19051130", "civic.identity.age_range"),  # 121 since yesterday
        ("18990101", "civic.identity.age_range"),
    ],
)
def test_impossible_birth_dates_and_ages_are_refused(typed: str, message_id: str) -> None:
    with pytest.raises(IdentityError) as refused:
        normalise_birth(typed, TODAY)
    assert refused.value.message_id == message_id


def test_full_years_count_birthdays_in_korean_manner() -> None:
    assert full_years(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert full_years(date(2000, 2, 29), date(2026, 3, 1)) == 26
    assert full_years(date(1950, 3, 15), date(2026, 3, 15)) == 76


def test_every_identity_message_is_in_the_catalogue() -> None:
    for message_id in ("bad_phone", "bad_birth", "age_range", "no_server_key", "why"):
        assert f"civic.identity.{message_id}" in CATALOGUE


# -- sealing ------------------------------------------------------------------------------------


def test_the_server_opens_the_seal_with_its_private_key_and_finds_the_act_it_is_for() -> None:
    sealed = seal("010-1234-5678", date(1950, 3, 15), PUBLIC_KEY, AGREE)
    opened = open_seal(sealed)
    assert opened == {
        "v": 2,
        "phone": "01012345678",
        "birth": "1950-03-15",
        "binding": AGREE.model_dump(mode="json"),
    }
    assert SealBinding.model_validate(opened["binding"]) == AGREE
    assert AGREE.target == "crosswalk-sindang" and AGREE.kind == "proposal_agree"


def test_what_the_kiosk_seals_the_server_reads_back_and_another_format_is_named() -> None:
    plaintext = SealedBox(PRIVATE_KEY).decrypt(
        base64.b64decode(seal("010-1234-5678", date(1950, 3, 15), PUBLIC_KEY, AGREE))
    )
    assert unsealed(plaintext) == ("01012345678", date(1950, 3, 15), AGREE)
    older = json.dumps({"v": 1, "phone": "01012345678", "birth": "1950-03-15"}).encode()
    with pytest.raises(SealFormatError) as refused:
        unsealed(older)
    assert refused.value.found == 1


def test_two_seals_of_the_same_resident_differ() -> None:
    first = seal("01012345678", date(1950, 3, 15), PUBLIC_KEY, AGREE)
    second = seal("01012345678", date(1950, 3, 15), PUBLIC_KEY, AGREE)
    assert first != second
    assert open_seal(first) == open_seal(second)


def test_another_key_cannot_open_the_seal() -> None:
    sealed = seal("01012345678", date(1950, 3, 15), PUBLIC_KEY, AGREE)
    with pytest.raises(CryptoError):
        SealedBox(PrivateKey.generate()).decrypt(base64.b64decode(sealed))


@pytest.mark.parametrize("key", ["", "not base64!", base64.b64encode(b"short").decode()])
def test_without_a_usable_server_key_nothing_is_sealed(key: str) -> None:
    with pytest.raises(IdentityError) as refused:
        seal("01012345678", date(1950, 3, 15), key, AGREE)
    assert refused.value.message_id == "civic.identity.no_server_key"
    with pytest.raises(IdentityError):
        ResidentIdentity("01012345678", date(1950, 3, 15)).sealer(key)


def test_a_bad_phone_is_refused_before_sealing() -> None:
    with pytest.raises(IdentityError) as refused:
        seal("010-12", date(1950, 3, 15), PUBLIC_KEY, AGREE)
    assert refused.value.message_id == "civic.identity.bad_phone"


# -- what a seal is bound to (contract.wire) ------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "payload", "target"),
    [
        ("proposal_agree", {"proposal_id": "p1"}, "p1"),
        (
            "ballot",
            {"vote_id": "2027-pb", "ballot_id": "b", "dong": "d", "project_ids": ["x"]},
            "2027-pb",
        ),
        ("survey_response", {"survey_id": "s1", "answers": {}}, "s1"),
        ("contest_vote", {"contest_id": "c1", "entry_ids": ["e"]}, "c1"),
        ("contest_entry", {"contest_id": "c1", "title": "t", "text": "x"}, "c1"),
        ("proposal", {"title": "t", "body": "b", "dong": "d", "topic": "x"}, "OWN"),
        ("points_exchange", {"points": 10_000}, "OWN"),
        ("points_donation", {"points": 100}, "OWN"),
    ],
)
def test_the_target_of_each_kind(kind: str, payload: dict[str, object], target: str) -> None:
    envelope_id = uuid.uuid4()
    expected = str(envelope_id) if target == "OWN" else target
    assert seal_target(kind, envelope_id, payload) == expected


def test_an_envelopes_binding_is_its_id_kind_target_time_and_payload() -> None:
    envelope = Envelope(
        id=AGREE.id,
        kind="proposal_agree",
        schema_version=1,
        content_version=None,
        device_seq=1,
        created_at=AGREE.created_at,
        clock_offset_s=0.0,
        boot_id="b",
        practice=False,
        payload={"proposal_id": "crosswalk-sindang"},
    )
    assert binding_of(envelope) == AGREE
    for other in (
        envelope.model_copy(update={"id": uuid.uuid4()}),
        envelope.model_copy(update={"payload": {"proposal_id": "lunch-yaksu"}}),
        envelope.model_copy(update={"created_at": datetime(2026, 12, 1, 9, 31, tzinfo=UTC)}),
        envelope.model_copy(update={"kind": "points_donation", "payload": {"points": 1}}),
    ):
        assert binding_of(other) != AGREE
    donation = envelope.model_copy(update={"kind": "points_donation", "payload": {"points": 1}})
    more = donation.model_copy(update={"payload": {"points": 5000}})
    assert binding_of(donation) != binding_of(more)  # the amount is bound too
    assert ledger_binding(AGREE.id, AGREE.created_at) != AGREE


# -- the local key ------------------------------------------------------------------------------


def test_the_local_key_is_stable_per_device_and_differs_across_devices_and_residents() -> None:
    born = date(1950, 3, 15)
    here = local_key("010-1234-5678", born, SECRET)
    assert local_key("01012345678", born, SECRET) == here
    assert local_key("01012345678", born, secrets.token_bytes(32)) != here
    assert local_key("01012345679", born, SECRET) != here
    assert local_key("01012345678", date(1950, 3, 16), SECRET) != here
    assert len(here) == 43  # 32 bytes, base64url without padding


def test_a_short_device_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="too short"):
        local_key("01012345678", date(1950, 3, 15), b"abc")


# -- the identity object ------------------------------------------------------------------------


def test_the_identity_object_shows_nothing_personal() -> None:
    resident = ResidentIdentity.from_keypad("010-9876-5432", "19480704", TODAY)
    for text in (repr(resident), str(resident), f"{resident}", repr([resident])):
        assert not any(ch.isdigit() for ch in text), text
    assert not hasattr(resident, "__dict__")
    assert open_seal(resident.seal(PUBLIC_KEY, AGREE))["phone"] == "01098765432"
    sealer = resident.sealer(PUBLIC_KEY)
    assert sealer.server_key == PUBLIC_KEY
    assert not any(ch.isdigit() for ch in repr(sealer) + str(sealer))
    assert open_seal(sealer(AGREE))["binding"] == AGREE.model_dump(mode="json")
    assert resident.local_key(SECRET) == local_key("01098765432", date(1948, 7, 4), SECRET)


def test_keypad_errors_carry_a_message_id_and_not_what_was_typed() -> None:
    with pytest.raises(IdentityError) as refused:
        ResidentIdentity.from_keypad("010-9876-5432", "19480732", TODAY)
    assert refused.value.message_id == "civic.identity.bad_birth"
    assert str(refused.value) == "civic.identity.bad_birth"
    assert "9876" not in repr(refused.value) and "1948" not in repr(refused.value)


phones = st.integers(0, 9_999_9999).map(lambda n: f"010{n:08d}")
births = st.dates(min_value=date(1907, 1, 1), max_value=date(2012, 1, 1))


def clear_forms(phone: str, born: date) -> list[str]:
    """Every way the digits could be written in clear, 8-digit runs and longer."""
    return [
        phone,
        phone[3:],  # the subscriber number
        f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
        born.strftime("%Y%m%d"),
        born.isoformat(),
    ]


@given(phones, births)
def test_no_clear_digits_in_anything_that_comes_out(phone: str, born: date) -> None:
    resident = ResidentIdentity(phone, born)
    outputs = [
        seal(phone, born, PUBLIC_KEY, AGREE),
        local_key(phone, born, SECRET),
        resident.seal(PUBLIC_KEY, AGREE),
        resident.local_key(SECRET),
        repr(resident),
    ]
    for output in outputs:
        for clear in clear_forms(phone, born):
            assert clear not in output
    assert open_seal(outputs[0])["phone"] == phone


@given(st.text(alphabet="0123456789- ", max_size=16))
def test_a_refused_number_is_never_repeated_in_the_error(typed: str) -> None:
    try:
        normalise_phone(typed)
    except IdentityError as refused:
        assert str(refused) == "civic.identity.bad_phone"
        assert refused.args == ("civic.identity.bad_phone",)
