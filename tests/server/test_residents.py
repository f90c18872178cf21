"""One resident, one count, as kiosks meet it through the real server process (SQLite, and
PostgreSQL when ONTONG_TEST_POSTGRES_URL is set): sealed identities opened and forgotten, the
first agree per proposal and first ballot per vote counted, points earned and spent.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from nacl.public import PrivateKey, PublicKey, SealedBox

from contract.wire import SealBinding, ledger_binding
from kiosk.domain.identity import ResidentIdentity
from tests.server.civic import (
    Kiosk,
    Resident,
    agree,
    ballot,
    new_proposal,
    proposal_count,
    publish_pack,
    survey,
)
from tests.server.process import ServerProcess, start_server
from tests.server.test_ingest import audit, stored

# The demo pack's rules (assets/demo/manifest.json).
AGREE_POINTS, BALLOT_POINTS, PROPOSAL_POINTS = 100, 1000, 2000
SURVEY_POINTS, WALKABLE_SURVEY_POINTS = 500, 700


# A contest whose vote counts once per resident, beside the demo's (whose vote does not).
ONCE_CONTEST = "2026-alley-photo-once"


def with_once_contest(manifest: dict[str, Any]) -> None:
    once = json.loads(json.dumps(manifest["contests"][0]))
    once["id"] = ONCE_CONTEST
    once["vote"]["one_vote_per_resident"] = True
    manifest["contests"].append(once)


@pytest.fixture(scope="module")
def civic_server(
    any_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory
) -> ServerProcess:
    publish_pack(any_server, tmp_path_factory.mktemp("packs"), change=with_once_contest)
    return any_server


def history(kiosk: Kiosk, resident: Resident) -> list[tuple[str, int, bool]]:
    return [(h["kind"], h["points"], h["counted"]) for h in kiosk.ledger(resident)["history"]]


def test_an_identified_agree_is_accepted_counted_and_earns_the_packs_points(
    civic_server: ServerProcess,
) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()

    result = kiosk.send_one("proposal_agree", agree("crosswalk-sindang"), resident)

    assert result["status"] == "accepted", result
    assert result["receipt"]["counted"] is True
    assert result["receipt"]["note"] is None
    assert kiosk.ledger(resident)["balance"] == AGREE_POINTS
    assert history(kiosk, resident) == [("proposal_agree", AGREE_POINTS, True)]


def test_the_same_residents_second_agree_from_another_kiosk_is_a_duplicate_resident(
    civic_server: ServerProcess,
) -> None:
    first, second, resident = (
        Kiosk(civic_server),
        Kiosk(civic_server, "신당동 주민센터"),
        Resident(),
    )
    first.send_one("proposal_agree", agree("bus-cheonggu"), resident)

    item = second.envelope("proposal_agree", agree("bus-cheonggu"), resident)
    [result] = second.send(item)

    assert result["status"] == "accepted", result
    assert result["receipt"]["counted"] is False
    assert result["receipt"]["note"].startswith("duplicate resident")
    assert stored(civic_server, item["id"]) == 1
    assert second.ledger(resident)["balance"] == AGREE_POINTS
    assert history(second, resident) == [
        ("proposal_agree", 0, False),
        ("proposal_agree", AGREE_POINTS, True),
    ]
    # Agreeing with another proposal still counts.
    other = first.send_one("proposal_agree", agree("lunch-yaksu"), resident)
    assert other["receipt"]["counted"] is True


def test_a_ballot_in_another_dong_of_the_same_vote_does_not_count(
    civic_server: ServerProcess,
) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()

    first = kiosk.send_one("ballot", ballot("sogong", "sogong-benches"), resident)
    again = kiosk.send_one("ballot", ballot("hoehyeon", "hoehyeon-shade"), resident)

    assert first["status"] == again["status"] == "accepted"
    assert first["receipt"]["counted"] is True
    assert again["receipt"]["counted"] is False
    assert "ballot in vote '2027-pb' already counted" in again["receipt"]["note"]
    assert kiosk.ledger(resident)["balance"] == BALLOT_POINTS


def test_practice_envelopes_never_count_and_do_not_use_up_the_residents_count(
    civic_server: ServerProcess,
) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()

    results = kiosk.send(
        kiosk.envelope("proposal_agree", agree("handrail-hoehyeon"), resident, practice=True),
        kiosk.envelope("ballot", ballot("pil", "pil-benches"), resident, practice=True),
        kiosk.envelope("survey_response", survey(), resident, practice=True),
    )

    for result in results:
        assert result["status"] == "accepted", result
        assert result["receipt"]["counted"] is False
        assert result["receipt"]["note"] == "practice: not counted"
    assert kiosk.ledger(resident) == {"balance": 0, "history": []}
    real = kiosk.send_one("proposal_agree", agree("handrail-hoehyeon"), resident)
    assert real["receipt"]["counted"] is True


# Any act: a seal to another server's key is refused before its binding is read.
SOME_ACT = ledger_binding(uuid.uuid4(), datetime.now(UTC))


def foreign_seal(resident: Resident, binding: SealBinding = SOME_ACT) -> str:
    """The resident's identity sealed to a key that is not this server's."""
    other = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    return ResidentIdentity(resident.phone, resident.birth).seal(other, binding)


def raw_seal(document: dict[str, Any], key_b64: str) -> str:
    """Any JSON document sealed to the server's key, as a faulty kiosk might send it."""
    box = SealedBox(PublicKey(base64.b64decode(key_b64)))
    return base64.b64encode(box.encrypt(json.dumps(document).encode())).decode()


def test_a_seal_that_cannot_be_read_is_rejected_for_identity_without_repeating_it(
    civic_server: ServerProcess,
) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()
    key = kiosk.device.server_public_key
    any_binding = SOME_ACT.model_dump(mode="json")
    bad_phone = {
        "v": 2,
        "phone": resident.phone + "9",
        "birth": resident.birth.isoformat(),
        "binding": any_binding,
    }
    unbound = {"v": 1, "phone": resident.phone, "birth": resident.birth.isoformat()}
    seals = {
        "another server's key": foreign_seal(resident),
        "not base64": "010-1234-5678 !!",
        "base64 of nothing sealed": base64.b64encode(b"x" * 80).decode(),
        "not a phone number": raw_seal(bad_phone, key),
        "another format": raw_seal({**bad_phone, "v": 99}, key),
        "format 1, bound to nothing": raw_seal(unbound, key),
        "format 2 without a binding": raw_seal({**unbound, "v": 2}, key),
    }
    items = {
        name: kiosk.envelope("proposal_agree", agree("crosswalk-sindang"), sealed_identity=seal)
        for name, seal in seals.items()
    }
    unsealed = kiosk.envelope("ballot", ballot("sogong", "sogong-lights"))

    results = kiosk.send(*items.values(), unsealed)

    for name, result in zip([*items, "no seal"], results, strict=True):
        assert result["status"] == "rejected", name
        assert result["reason"].startswith("identity: "), (name, result["reason"])
        for clear in resident.clear_forms[:4]:
            assert clear.decode() not in result["reason"], name
        [kept] = audit(civic_server, str(result["id"]))
        assert kept.reason_code == "identity"
    assert "needs the resident's sealed identity" in results[-1]["reason"]
    assert "format 1, not bound to its act" in results[5]["reason"]
    log = civic_server.log_text()
    assert all(clear.decode() not in log for clear in resident.clear_forms[:4])


def test_the_ledger_refuses_a_seal_it_cannot_read_in_plain_words(
    civic_server: ServerProcess,
) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()

    request = resident.ledger_request(kiosk.device)
    binding = ledger_binding(uuid.UUID(request["request_id"]), datetime.now(UTC))
    request["sealed_identity"] = foreign_seal(resident, binding)

    r = kiosk.ask_ledger(request)

    assert r.status_code == 422
    assert r.json()["detail"].startswith("The sealed identity cannot be opened")
    assert resident.phone not in r.text


def test_points_are_earned_by_the_packs_rules_and_spent_within_the_balance(
    civic_server: ServerProcess,
) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()
    earned = kiosk.send(
        *[kiosk.envelope("proposal", new_proposal(), resident) for _ in range(4)],
        kiosk.envelope("survey_response", survey("2026-senior-digital"), resident),
        kiosk.envelope("survey_response", survey("2026-walkable-junggu"), resident),
        kiosk.envelope("survey_response", survey("2026-walkable-junggu")),  # anonymous: no one's
    )
    assert [r["status"] for r in earned] == ["accepted"] * 7
    balance = 4 * PROPOSAL_POINTS + SURVEY_POINTS + WALKABLE_SURVEY_POINTS
    assert kiosk.ledger(resident)["balance"] == balance == 9_200

    below = kiosk.send_one("points_exchange", {"points": 9_000}, resident)
    assert below["status"] == "rejected"
    assert below["reason"] == (
        "points: 9,000 points cannot be exchanged: an exchange needs at least 10,000 points"
    )
    kiosk.send_one("contest_entry", CONTEST_ENTRY, resident)  # +1,000: 10,200
    over = kiosk.send_one("points_exchange", {"points": 12_000}, resident)
    assert over["status"] == "rejected"
    assert over["reason"].endswith("the resident has only 10,200 points")
    assert [k.reason_code for k in audit(civic_server, str(over["id"]))] == ["points"]
    given = kiosk.send_one("points_donation", {"points": 200}, resident)
    assert given["status"] == "accepted", given
    too_much = kiosk.send_one("points_donation", {"points": 10_001}, resident)
    assert too_much["status"] == "rejected"
    exchanged = kiosk.send_one("points_exchange", {"points": 10_000}, resident)
    assert exchanged["status"] == "accepted", exchanged

    ledger = kiosk.ledger(resident)
    assert ledger["balance"] == 0
    kinds = [(h["kind"], h["points"]) for h in ledger["history"]]
    assert kinds[:3] == [
        ("points_exchange", -10_000),
        ("points_donation", -200),
        ("contest_entry", 1_000),
    ]
    assert len(kinds) == 9  # refused exchanges and donations leave no line


CONTEST_ENTRY = {"contest_id": "2026-alley-photo", "title": "골목 사진", "text": "우리 골목"}
CONTEST_VOTE_POINTS, CONTEST_ENTRY_POINTS = 200, 1000


def test_a_survey_earns_its_points_once_per_resident_and_an_anonymous_one_nothing(
    civic_server: ServerProcess,
) -> None:
    first, second = Kiosk(civic_server), Kiosk(civic_server, "신당동 주민센터")
    resident = Resident()

    answered = first.send_one("survey_response", survey("2026-walkable-junggu"), resident)
    again = second.send_one("survey_response", survey("2026-walkable-junggu"), resident)
    anonymous = second.send_one("survey_response", survey("2026-walkable-junggu"))

    assert answered["receipt"]["counted"] is True and answered["receipt"]["note"] is None
    # The second answer is kept and counted as an answer; its points were earned already.
    assert again["status"] == "accepted", again
    assert again["receipt"]["counted"] is True
    assert again["receipt"]["note"].startswith("points already earned")
    assert anonymous["receipt"]["counted"] is True and anonymous["receipt"]["note"] is None
    assert first.ledger(resident)["balance"] == WALKABLE_SURVEY_POINTS
    assert history(first, resident) == [
        ("survey_response", 0, True),
        ("survey_response", WALKABLE_SURVEY_POINTS, True),
    ]
    # Another survey, a quiz, a contest entry and vote each earn once.
    quiz = {"survey_id": "2026-quiz-ontong", "answers": {"q1": "o1"}}
    vote = {"contest_id": "2026-alley-photo", "entry_ids": ["sunset"]}
    results = first.send(
        *[
            first.envelope(kind, payload, resident)
            for kind, payload in (
                ("survey_response", quiz),
                ("survey_response", quiz),
                ("contest_entry", CONTEST_ENTRY),
                ("contest_entry", CONTEST_ENTRY),
                ("contest_vote", vote),
                ("contest_vote", vote),
            )
        ]
    )
    assert [r["receipt"]["counted"] for r in results] == [True] * 6  # not a one-vote contest
    notes = [r["receipt"]["note"] for r in results]
    assert notes[::2] == [None] * 3
    assert all(n.startswith("points already earned") for n in notes[1::2])
    quiz_points = 300
    assert first.ledger(resident)["balance"] == (
        WALKABLE_SURVEY_POINTS + quiz_points + CONTEST_ENTRY_POINTS + CONTEST_VOTE_POINTS
    )


def test_a_one_vote_per_resident_contest_counts_the_first_vote_across_kiosks(
    civic_server: ServerProcess,
) -> None:
    first, second = Kiosk(civic_server), Kiosk(civic_server, "신당동 주민센터")
    resident = Resident()
    vote = {"contest_id": ONCE_CONTEST, "entry_ids": ["sunset"]}

    counted = first.send_one("contest_vote", vote, resident)
    again = second.send_one("contest_vote", {**vote, "entry_ids": ["market"]}, resident)
    unsealed = second.send_one("contest_vote", vote)

    assert counted["receipt"]["counted"] is True
    assert again["status"] == "accepted" and again["receipt"]["counted"] is False
    assert (
        f"duplicate resident: this resident's vote in contest '{ONCE_CONTEST}'"
        in (again["receipt"]["note"])
    )
    # Such a vote means nothing without the resident.
    assert unsealed["status"] == "rejected"
    assert unsealed["reason"].startswith("identity: a contest_vote envelope needs")
    assert history(first, resident) == [
        ("contest_vote", 0, False),
        ("contest_vote", CONTEST_VOTE_POINTS, True),
    ]


def test_the_ledger_lists_the_history_newest_first(civic_server: ServerProcess) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()
    items = [
        kiosk.envelope("proposal_agree", agree("dumping-hwanghak"), resident),
        kiosk.envelope("survey_response", survey(), resident),
        kiosk.envelope("ballot", ballot("myeong", "myeong-mural"), resident),
    ]
    for item in items:
        kiosk.send(item)

    ledger = kiosk.ledger(resident)

    assert [h["activity_id"] for h in ledger["history"]] == [i["id"] for i in reversed(items)]
    assert ledger["balance"] == AGREE_POINTS + SURVEY_POINTS + BALLOT_POINTS
    times = [h["at"] for h in ledger["history"]]
    assert times == sorted(times, reverse=True)


def test_the_same_residents_agree_from_eight_connections_at_once_counts_once(
    civic_server: ServerProcess,
) -> None:
    resident = Resident()
    proposal = f"p-{uuid.uuid4().hex[:8]}"
    kiosks = [Kiosk(civic_server, f"동 주민센터 {i}") for i in range(8)]
    items = [k.envelope("proposal_agree", agree(proposal), resident) for k in kiosks]
    barrier = threading.Barrier(len(kiosks))
    answers: dict[int, dict[str, Any]] = {}
    errors: list[BaseException] = []

    def deliver(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            [answers[i]] = kiosks[i].send(items[i])
        except BaseException as e:  # raised in the test thread below
            errors.append(e)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(kiosks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    assert all(a["status"] == "accepted" for a in answers.values()), answers
    assert sorted(a["receipt"]["counted"] for a in answers.values()) == [False] * 7 + [True]
    assert proposal_count(kiosks[0].counts(), proposal)["counted"] == 1
    assert kiosks[0].ledger(resident)["balance"] == AGREE_POINTS


def test_the_database_never_holds_the_phone_number_or_birth_date_in_clear(
    civic_server: ServerProcess,
) -> None:
    if civic_server.db is not None:
        pytest.skip("reads the raw SQLite file")
    kiosk = Kiosk(civic_server)
    residents = [Resident(phone="01098765432", birth=date(1941, 12, 25)), Resident()]
    for resident in residents:
        kiosk.send(
            kiosk.envelope("proposal_agree", agree("speed-bump-dasan"), resident),
            kiosk.envelope("ballot", ballot("dasan", "dasan-benches"), resident),
            kiosk.envelope("survey_response", survey(), resident),
            kiosk.envelope("points_exchange", {"points": 50_000}, resident),  # refused, kept
            kiosk.envelope("proposal_agree", agree("x"), sealed_identity=foreign_seal(resident)),
        )
        kiosk.ledger(resident)

    files = sorted(Path(civic_server.data_dir).glob("server.sqlite3*"))
    raw = b"".join(f.read_bytes() for f in files)

    assert files and len(raw) > 0
    assert b"speed-bump-dasan" in raw  # the envelopes are there...
    for resident in residents:
        for clear in resident.clear_forms:  # ...the residents are not
            assert clear not in raw, clear


# -- a seal is bound to its act (issue 14, item 4) ---------------------------------------------


def copied_seal(kiosk: Kiosk, resident: Resident) -> tuple[dict[str, Any], str]:
    """An honest agree, accepted and counted, and the seal another device copies out of it."""
    honest = kiosk.envelope("proposal_agree", agree(f"p-{uuid.uuid4().hex[:8]}"), resident)
    [result] = kiosk.send(honest)
    assert result["status"] == "accepted" and result["receipt"]["counted"] is True
    return honest, honest["sealed_identity"]


def test_a_seal_copied_into_an_agree_with_another_proposal_is_refused_and_nothing_counted(
    civic_server: ServerProcess,
) -> None:
    kiosk, thief, resident = Kiosk(civic_server), Kiosk(civic_server, "도난 기기"), Resident()
    honest, seal = copied_seal(kiosk, resident)
    other = "weekend-class-jungnim"  # a published proposal: its count is listed
    counted_before = proposal_count(thief.counts(), other)["counted"]
    # A new envelope around the copied seal; and one that keeps the honest envelope's time.
    forged = [
        thief.envelope("proposal_agree", agree(other), sealed_identity=seal),
        thief.envelope(
            "proposal_agree", agree(other), sealed_identity=seal, created_at=honest["created_at"]
        ),
    ]

    results = thief.send(*forged)

    for item, result in zip(forged, results, strict=True):
        assert result["status"] == "rejected", result
        assert result["reason"].startswith("identity: "), result["reason"]
        assert "sealed for another act" in result["reason"]
        assert [k.reason_code for k in audit(civic_server, item["id"])] == ["identity"]
        assert stored(civic_server, item["id"]) == 0
    assert proposal_count(thief.counts(), other)["counted"] == counted_before
    assert kiosk.ledger(resident)["balance"] == AGREE_POINTS  # the honest agree only


def test_a_seal_copied_into_a_ledger_request_is_refused_and_no_ledger_returned(
    civic_server: ServerProcess,
) -> None:
    kiosk, thief, resident = Kiosk(civic_server), Kiosk(civic_server, "도난 기기"), Resident()
    _, seal = copied_seal(kiosk, resident)
    request = {
        "request_id": str(uuid.uuid4()),
        "created_at": datetime.now(UTC).isoformat(),
        "sealed_identity": seal,
    }

    r = thief.ask_ledger(request)

    assert r.status_code == 422, r.text
    assert "sealed for another act" in r.json()["detail"]
    assert "balance" not in r.json() and "history" not in r.json()
    # A look-up's seal put into another look-up is refused the same way.
    honest = resident.ledger_request(kiosk.device)
    again = {**honest, "request_id": str(uuid.uuid4())}
    assert thief.ask_ledger(again).status_code == 422


def test_a_ledger_request_is_answered_once(civic_server: ServerProcess) -> None:
    kiosk, thief, resident = Kiosk(civic_server), Kiosk(civic_server, "도난 기기"), Resident()
    kiosk.send_one("proposal_agree", agree("crosswalk-sindang"), resident)
    request = resident.ledger_request(kiosk.device)

    first = kiosk.ask_ledger(request)
    replayed = kiosk.ask_ledger(request)
    elsewhere = thief.ask_ledger(request)

    assert first.status_code == 200 and first.json()["balance"] == AGREE_POINTS
    for r in (replayed, elsewhere):
        assert r.status_code == 409, r.text
        assert r.json()["detail"] == "This look-up was already answered; make a new one."
        assert "balance" not in r.json()


@pytest.mark.parametrize("age", [timedelta(minutes=30), timedelta(days=2), -timedelta(hours=1)])
def test_a_stale_ledger_request_is_refused(civic_server: ServerProcess, age: timedelta) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()
    kiosk.send_one("proposal_agree", agree("crosswalk-sindang"), resident)
    stale = resident.ledger_request(kiosk.device, created_at=datetime.now(UTC) - age)

    r = kiosk.ask_ledger(stale)

    assert r.status_code == 422, r.text
    assert "minutes from the server's time" in r.json()["detail"]
    # A fresh look-up made a moment later by the same resident is answered.
    assert kiosk.ledger(resident)["balance"] == AGREE_POINTS


def test_a_seal_copied_into_a_donation_is_refused_and_the_balance_unchanged(
    civic_server: ServerProcess,
) -> None:
    kiosk, thief, resident = Kiosk(civic_server), Kiosk(civic_server, "도난 기기"), Resident()
    kiosk.send_one("ballot", ballot("sogong", "sogong-benches"), resident)
    _, seal = copied_seal(kiosk, resident)
    before = kiosk.ledger(resident)
    assert before["balance"] == BALLOT_POINTS + AGREE_POINTS

    donation = thief.envelope("points_donation", {"points": 1_100}, sealed_identity=seal)
    [result] = thief.send(donation)
    # An honest donation's seal, copied into a larger one, is refused too: the amount is bound.
    small = kiosk.envelope("points_donation", {"points": 1}, resident)
    bigger = thief.envelope(
        "points_donation",
        {"points": 1_000},
        sealed_identity=small["sealed_identity"],
        created_at=small["created_at"],
    )
    [bigger_result] = thief.send(bigger)

    for item, r in ((donation, result), (bigger, bigger_result)):
        assert r["status"] == "rejected", r
        assert r["reason"].startswith("identity: "), r["reason"]
        assert [k.reason_code for k in audit(civic_server, item["id"])] == ["identity"]
    after = kiosk.ledger(resident)  # a proper look-up, bound to its own request
    assert after == before


def test_a_ledger_seal_copied_into_an_envelope_is_refused(civic_server: ServerProcess) -> None:
    kiosk, thief, resident = Kiosk(civic_server), Kiosk(civic_server, "도난 기기"), Resident()
    kiosk.send_one("proposal_agree", agree("crosswalk-sindang"), resident)
    look_up = resident.ledger_request(kiosk.device)

    [result] = thief.send(
        thief.envelope(
            "points_donation", {"points": 100}, sealed_identity=look_up["sealed_identity"]
        )
    )

    assert result["status"] == "rejected" and result["reason"].startswith("identity: ")
    assert kiosk.ledger(resident)["balance"] == AGREE_POINTS


def test_a_practice_envelope_is_never_opened(civic_server: ServerProcess) -> None:
    kiosk, resident = Kiosk(civic_server), Resident()
    _, seal = copied_seal(kiosk, resident)

    # A copied seal in practice: stored, not counted, and not even opened (so not refused).
    [result] = kiosk.send(
        kiosk.envelope("proposal_agree", agree("lunch-yaksu"), sealed_identity=seal, practice=True)
    )

    assert result["status"] == "accepted" and result["receipt"]["counted"] is False
    assert kiosk.ledger(resident)["balance"] == AGREE_POINTS


def test_a_copied_act_sent_by_another_device_is_refused_and_spends_nothing(
    civic_server: ServerProcess,
) -> None:
    """Ids are per device, so a thief can send an exact copy of a donation (same id, same
    seal, same binding) from another device. The seal has done its act: refused."""
    kiosk, thief, resident = Kiosk(civic_server), Kiosk(civic_server, "훔친 기기"), Resident()
    kiosk.send_one("ballot", ballot("sogong", "sogong-benches"), resident)
    donation = kiosk.envelope("points_donation", {"points": 100}, resident)
    assert kiosk.send(donation)[0]["status"] == "accepted"

    [copy] = thief.send(donation)

    assert copy["status"] == "rejected", copy
    assert copy["reason"].startswith("identity: this seal was already used")
    assert kiosk.ledger(resident)["balance"] == BALLOT_POINTS - 100


def test_a_squatters_own_seal_under_the_owners_id_blocks_nothing(
    civic_server: ServerProcess,
) -> None:
    owner, squatter = Kiosk(civic_server), Kiosk(civic_server, "남의 id 기기")
    proposal = f"p-{uuid.uuid4().hex[:8]}"
    real = owner.envelope("proposal_agree", agree(proposal), Resident())
    # The squatter's own made-up resident, sealed to the owner's envelope id, sent first.
    squatted = squatter.envelope("proposal_agree", agree(proposal), Resident(), id=real["id"])

    [first] = squatter.send(squatted)
    [answer] = owner.send(real)

    assert first["status"] == "accepted", first
    assert answer["status"] == "accepted" and answer["receipt"]["counted"] is True, answer
    assert proposal_count(owner.counts(), proposal)["counted"] == 2


def test_one_look_up_sent_at_once_to_two_server_processes_is_answered_once(
    civic_server: ServerProcess,
) -> None:
    second = start_server(civic_server.data_dir, civic_server.db)
    try:
        kiosk, resident = Kiosk(civic_server), Resident()
        kiosk.send_one("proposal_agree", agree("crosswalk-sindang"), resident)
        request = resident.ledger_request(kiosk.device)
        apis = [civic_server.api, second.api] * 4
        barrier = threading.Barrier(len(apis))
        codes: list[int] = []
        errors: list[BaseException] = []

        def ask(api: str) -> None:
            try:
                barrier.wait(timeout=10)
                r = requests.post(
                    f"{api}/points/ledger", json=request, headers=kiosk.device.headers, timeout=30
                )
                codes.append(r.status_code)
            except BaseException as e:  # raised in the test thread below
                errors.append(e)

        threads = [threading.Thread(target=ask, args=(api,)) for api in apis]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        second.stop()

    assert not errors, errors
    assert sorted(codes) == [200] + [409] * 7
