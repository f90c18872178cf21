"""Submission ingest against the real server process, on SQLite and on PostgreSQL.

Each envelope is stored once under its id; every answer class a device can meet is here.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from sqlalchemy import func, select

from server.__main__ import listening_socket
from server.db.models import RejectedEnvelope, Submission
from tests.server.civic import Kiosk, Resident, agree, proposal_count
from tests.server.conftest import envelope
from tests.server.process import EnrolledDevice, ServerProcess


def send(
    server: ServerProcess, device: EnrolledDevice, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    r = requests.post(
        f"{server.api}/submissions/batch", json={"items": items}, headers=device.headers, timeout=30
    )
    assert r.status_code == 200, r.text
    results: list[dict[str, Any]] = r.json()["results"]
    assert [res["id"] for res in results] == [item["id"] for item in items]
    return results


def stored(server: ServerProcess, envelope_id: str) -> int:
    with server.database() as db, db.read() as session:
        return session.scalar(
            select(func.count())
            .select_from(Submission)
            .where(Submission.id == uuid.UUID(envelope_id))
        )


def audit(server: ServerProcess, envelope_id: str) -> list[RejectedEnvelope]:
    with server.database() as db, db.read() as session:
        return list(
            session.scalars(
                select(RejectedEnvelope)
                .where(RejectedEnvelope.envelope_id == envelope_id)
                .order_by(RejectedEnvelope.id)
            )
        )


def test_new_envelope_is_accepted_with_a_receipt(any_server: ServerProcess) -> None:
    device = any_server.enroll()
    item = envelope(1)

    [result] = send(any_server, device, [item])

    assert result["status"] == "accepted"
    assert result["reason"] is None
    receipt = result["receipt"]
    assert receipt["envelope_id"] == item["id"]
    assert receipt["device_id"] == device.device_id
    assert receipt["device_seq"] == 1
    assert receipt["counted"] is True
    received = datetime.fromisoformat(receipt["received_at"])
    assert abs(received - datetime.now(UTC)) < timedelta(minutes=1)
    assert stored(any_server, item["id"]) == 1


def test_same_envelope_again_is_a_duplicate_with_the_original_receipt(
    any_server: ServerProcess,
) -> None:
    device = any_server.enroll()
    item = envelope(1)
    [first] = send(any_server, device, [item])

    [again] = send(any_server, device, [item])

    assert again["status"] == "duplicate"
    assert again["receipt"] == first["receipt"]
    assert stored(any_server, item["id"]) == 1


def test_same_id_with_another_body_is_rejected_as_conflict_and_kept(
    any_server: ServerProcess,
) -> None:
    device = any_server.enroll()
    item = envelope(1)
    send(any_server, device, [item])
    changed = {**item, "payload": {"survey_id": "s-park", "answers": {"q1": "o3"}}}

    [result] = send(any_server, device, [changed])
    # The device retries after a lost answer: the conflict is answered again, kept once.
    [retried] = send(any_server, device, [changed])

    assert result["status"] == retried["status"] == "rejected"
    assert result["reason"].startswith("conflict: ")
    assert result["receipt"] is None
    kept = audit(any_server, item["id"])
    assert [(k.reason_code, json.loads(k.body)["payload"]["answers"]) for k in kept] == [
        ("conflict", {"q1": "o3"})
    ]
    with any_server.database() as db, db.read() as session:
        original = session.get(Submission, (device.device_id, uuid.UUID(item["id"])))
        assert original is not None
        assert json.loads(original.body)["payload"]["answers"] == {"q1": "o2", "q2": 4}


def test_an_id_squatted_by_another_device_never_blocks_its_owner(
    any_server: ServerProcess,
) -> None:
    owner, squatter = Kiosk(any_server, "회현동 주민센터"), Kiosk(any_server, "남의 id 기기")
    proposal = f"p-{uuid.uuid4().hex[:8]}"
    real = owner.envelope("proposal_agree", agree(proposal), Resident())
    # The squatter learnt the id (a shared USB stick, a log) and sends it first, another body.
    squatted = {**envelope(7), "id": real["id"]}

    [first] = squatter.send(squatted)
    [answer] = owner.send(real)
    [again] = squatter.send(squatted)
    [owner_again] = owner.send(real)

    # The owner's agree is stored and counted as if nobody had used its id.
    assert answer["status"] == "accepted", answer
    assert answer["receipt"]["device_id"] == owner.device.device_id
    assert answer["receipt"]["counted"] is True
    assert proposal_count(owner.counts(), proposal)["counted"] == 1
    assert owner_again["status"] == "duplicate"
    # The squatter got its own answer, judged as its own envelope.
    assert first["status"] == "accepted"
    assert first["receipt"]["device_id"] == squatter.device.device_id
    assert again["status"] == "duplicate"
    assert stored(any_server, real["id"]) == 2
    assert audit(any_server, real["id"]) == []
    with any_server.database() as db, db.read() as session:
        mine = session.get(Submission, (owner.device.device_id, uuid.UUID(real["id"])))
        assert mine is not None and json.loads(mine.body)["payload"] == real["payload"]


def test_another_devices_id_with_a_conflicting_body_is_judged_on_its_own_device(
    any_server: ServerProcess,
) -> None:
    owner, other = any_server.enroll(), any_server.enroll()
    item = envelope(1)
    send(any_server, owner, [item])
    send(any_server, other, [item])

    [clash] = send(any_server, other, [{**item, "payload": {"survey_id": "y", "answers": {}}}])

    assert clash["status"] == "rejected" and clash["reason"].startswith("conflict: ")
    assert [k.device_id for k in audit(any_server, item["id"])] == [other.device_id]


def test_invalid_payload_is_rejected_with_a_plain_reason_and_kept(
    any_server: ServerProcess,
) -> None:
    device = any_server.enroll()
    item = envelope(1, payload={"survey_id": "", "answers": "yes"})

    [result] = send(any_server, device, [item])

    assert result["status"] == "rejected"
    assert result["reason"].startswith("invalid payload: ")
    assert "payload.survey_id" in result["reason"]
    assert "payload.answers" in result["reason"]
    assert stored(any_server, item["id"]) == 0
    [kept] = audit(any_server, item["id"])
    assert kept.reason_code == "invalid_payload"
    assert json.loads(kept.body)["payload"] == {"survey_id": "", "answers": "yes"}


def test_unknown_kind_is_rejected_and_kept(any_server: ServerProcess) -> None:
    device = any_server.enroll()
    item = envelope(1, kind="lottery_ticket")

    [result] = send(any_server, device, [item])

    assert result["status"] == "rejected"
    assert result["reason"].startswith("unknown kind: ")
    assert "lottery_ticket" in result["reason"]
    assert [k.reason_code for k in audit(any_server, item["id"])] == ["unknown_kind"]


def test_envelope_breaking_the_envelope_schema_is_rejected_alone(
    any_server: ServerProcess,
) -> None:
    device = any_server.enroll()
    broken = envelope(2, created_at="yesterday")
    del broken["boot_id"]

    results = send(any_server, device, [envelope(1), broken, envelope(3)])

    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    assert results[1]["reason"].startswith("invalid envelope: ")
    assert "created_at" in results[1]["reason"] and "boot_id" in results[1]["reason"]
    assert [k.reason_code for k in audit(any_server, broken["id"])] == ["invalid_envelope"]


def test_mixed_batch_answers_each_envelope_in_order(any_server: ServerProcess) -> None:
    device = any_server.enroll()
    old = envelope(1)
    send(any_server, device, [old])
    conflicting = {**envelope(2), "id": str(uuid.uuid4())}
    send(any_server, device, [conflicting])
    items = [
        envelope(3),
        old,
        {**conflicting, "device_seq": 99},
        envelope(4, kind="nope"),
        envelope(5, payload={}),
        envelope(6, kind="staff_call", payload={"screen": "home"}),
        envelope(7, practice=True),
    ]

    results = send(any_server, device, items)

    assert [r["status"] for r in results] == [
        "accepted",
        "duplicate",
        "rejected",
        "rejected",
        "rejected",
        "accepted",
        "accepted",
    ]
    assert results[2]["reason"].startswith("conflict: ")
    assert results[6]["receipt"]["counted"] is False


def test_practice_envelope_is_stored_but_not_counted(any_server: ServerProcess) -> None:
    device = any_server.enroll()
    item = envelope(1, practice=True)

    [result] = send(any_server, device, [item])

    assert result["status"] == "accepted"
    assert result["receipt"]["counted"] is False
    with any_server.database() as db, db.read() as session:
        row = session.get(Submission, (device.device_id, uuid.UUID(item["id"])))
        assert row is not None and row.practice and not row.counted


def test_same_id_twice_in_one_batch_is_stored_once(any_server: ServerProcess) -> None:
    device = any_server.enroll()
    item = envelope(1)

    results = send(any_server, device, [item, item])

    assert [r["status"] for r in results] == ["accepted", "duplicate"]
    assert results[0]["receipt"] == results[1]["receipt"]
    assert stored(any_server, item["id"]) == 1


def test_device_clock_three_hours_off_gets_server_time_from_its_offset(
    any_server: ServerProcess,
) -> None:
    device = any_server.enroll()
    real_now = datetime.now(UTC)
    # The device's clock is 3 h slow; its last estimate says server - device = +3 h.
    device_clock = real_now - timedelta(hours=3)
    item = envelope(1, created_at=device_clock.isoformat(), clock_offset_s=3 * 3600.0)

    [result] = send(any_server, device, [item])

    corrected = datetime.fromisoformat(result["receipt"]["created_at_server"])
    assert abs(corrected - real_now) < timedelta(seconds=1)
    received = datetime.fromisoformat(result["receipt"]["received_at"])
    assert abs(received - corrected) < timedelta(minutes=1)


def test_created_at_in_another_zone_is_the_same_instant(any_server: ServerProcess) -> None:
    device = any_server.enroll()
    kst = timezone_kst()
    moment = datetime(2026, 11, 25, 18, 30, tzinfo=kst)
    item = envelope(1, created_at=moment.isoformat(), clock_offset_s=-1.5)

    [result] = send(any_server, device, [item])

    corrected = datetime.fromisoformat(result["receipt"]["created_at_server"])
    assert corrected == moment - timedelta(seconds=1.5)
    # The same envelope written in UTC is the same canonical body: a duplicate, not a conflict.
    same = {**item, "created_at": moment.astimezone(UTC).isoformat()}
    [again] = send(any_server, device, [same])
    assert again["status"] == "duplicate"


def timezone_kst() -> Any:
    from contract.content import KST

    return KST


def test_same_batch_on_eight_connections_is_stored_once(any_server: ServerProcess) -> None:
    device = any_server.enroll()
    items = [envelope(seq) for seq in range(1, 151)]
    barrier = threading.Barrier(8)
    answers: list[list[dict[str, Any]]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def deliver() -> None:
        try:
            with requests.Session() as http:
                barrier.wait(timeout=10)
                r = http.post(
                    f"{any_server.api}/submissions/batch",
                    json={"items": items},
                    headers=device.headers,
                    timeout=60,
                )
            assert r.status_code == 200, r.text
            with lock:
                answers.append(r.json()["results"])
        except BaseException as e:  # collected and raised in the test thread
            with lock:
                errors.append(e)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    assert len(answers) == 8
    for i, item in enumerate(items):
        statuses = sorted(a[i]["status"] for a in answers)
        assert statuses == ["accepted"] + ["duplicate"] * 7, (item["id"], statuses)
        receipts = {json.dumps(a[i]["receipt"], sort_keys=True) for a in answers}
        assert len(receipts) == 1
    with any_server.database() as db, db.read() as session:
        count = session.scalar(
            select(func.count())
            .select_from(Submission)
            .where(Submission.device_id == device.device_id)
        )
    assert count == len(items)


def test_gaps_in_device_seq_are_listed_per_device(any_server: ServerProcess) -> None:
    device = any_server.enroll(name="gaps")
    other = any_server.enroll(name="no gaps")
    send(any_server, device, [envelope(s) for s in (1, 2, 5, 9, 10)])
    # A refused envelope still arrived: its number is not a gap.
    send(any_server, device, [envelope(6, kind="nope")])
    send(any_server, other, [envelope(s) for s in (1, 2, 3)])

    listing = json.loads(any_server.cli("devices", "--json").stdout)
    by_id = {d["device_id"]: d for d in listing}

    assert by_id[device.device_id]["gaps"] == [[3, 4], [7, 8]]
    assert by_id[device.device_id]["highest_seq"] == 10
    assert by_id[device.device_id]["submissions"] == 5
    assert by_id[device.device_id]["rejected"] == 1
    assert by_id[other.device_id]["gaps"] == []
    table = any_server.cli("devices").stdout
    line = next(row for row in table.splitlines() if row.startswith(device.device_id))
    assert "3-4, 7-8" in line


def test_every_connection_the_server_accepts_answers_without_waiting_for_acks() -> None:
    # A drain sends batch after batch on one connection. Unless the server disables Nagle's
    # algorithm, the body of a large answer waits for the client's delayed ACK (about 40 ms),
    # and a 10,000-envelope drain loses seconds to it. `serve` listens on this socket; the
    # option is checked on a connection it accepted rather than timed, so a busy machine
    # cannot fail the test and a missing option always does.
    listener = listening_socket("127.0.0.1", 0)
    with listener:
        listener.listen()
        with socket.create_connection(listener.getsockname()[:2], timeout=5):
            accepted, _ = listener.accept()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_garbage_never_gets_a_500_on_either_database(any_server: ServerProcess) -> None:
    from tests.server.test_limits import GARBAGE

    device = any_server.enroll()
    for path in ("submissions/batch", "devices/heartbeat", "devices/enroll"):
        for body in GARBAGE:
            r = requests.post(
                f"{any_server.api}/{path}",
                data=body,
                headers={**device.headers, "Content-Type": "application/json"},
                timeout=30,
            )
            assert r.status_code < 500, (path, body[:80], r.status_code, r.text[:300])
    assert "Traceback" not in any_server.log_text()
    # A NUL, which PostgreSQL cannot hold in text, is stored replaced rather than a crash.
    odd = json.dumps(
        {
            "enrollment_code": any_server.new_code(),
            "name": "명동\x00",
            "mode": "board",
            "app_version": "\x00",
        }
    ).encode()
    r = requests.post(
        f"{any_server.api}/devices/enroll",
        data=odd,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    names = [d["name"] for d in json.loads(any_server.cli("devices", "--json").stdout)]
    assert "명동\ufffd" in names
