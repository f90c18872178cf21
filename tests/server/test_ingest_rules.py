"""The server's ingest rules against stuffing, backdating and absurd numbers, as an attacker
with one enrolled device meets them through the real server process (issue 14, items 5, 6 and
10): made-up residents are held for staff, not counted, and never lost; staff release or refuse
them from the command line; the points look-up is rate-limited; ballots dated before a close
but made after it are refused by the device's own heartbeat, or held when it sent none; and
device_seq has a bound. Ids per device are in test_ingest.py (both databases)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from contract.wire import MAX_DEVICE_SEQ
from server.db.models import DeviceMark, HeldEnvelope, Submission
from tests.server.civic import (
    DAY,
    NOW,
    VOTE_ID,
    Kiosk,
    Resident,
    agree,
    ballot,
    proposal_count,
    publish_pack,
)
from tests.server.conftest import envelope
from tests.server.process import ServerProcess, heartbeat, start_server
from tests.server.test_ingest import audit, send

LIMIT = 20
PROPOSAL = "crosswalk-sindang"


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server whose devices may bring 20 new residents an hour (tests set low limits)."""
    running = start_server(
        tmp_path / "server",
        None,
        "--max-new-residents-per-hour",
        str(LIMIT),
        "--max-counted-per-target",
        "0",
    )
    yield running
    running.stop()


def held_rows(server: ServerProcess) -> list[HeldEnvelope]:
    with server.database() as db, db.read() as session:
        return list(session.scalars(select(HeldEnvelope).order_by(HeldEnvelope.id)).all())


def stored_count(server: ServerProcess, device_id: str) -> int:
    with server.database() as db, db.read() as session:
        ids = session.scalars(select(Submission.id).where(Submission.device_id == device_id))
        return len(ids.all())


def agrees(kiosk: Kiosk, proposal_id: str = PROPOSAL) -> int:
    counted: int = proposal_count(kiosk.counts(), proposal_id)["counted"]
    return counted


# -- stuffing: made-up residents are held, not counted, not lost ----------------------------


def test_two_hundred_made_up_residents_are_held_and_counted_once_when_staff_release_them(
    limited: ServerProcess, tmp_path: Path
) -> None:
    manifest = publish_pack(limited, tmp_path)
    assert PROPOSAL in {p["id"] for p in manifest["proposals"]}
    stuffer = Kiosk(limited, "가짜 주민 기기")
    made_up = [Resident() for _ in range(200)]
    items = [stuffer.envelope("proposal_agree", agree(PROPOSAL), r) for r in made_up]
    seals = [item["sealed_identity"] for item in items]

    results = [r for start in range(0, 200, 50) for r in stuffer.send(*items[start : start + 50])]

    # Every envelope is accepted (the device marks it sent, nothing is lost) and stored...
    assert [r["status"] for r in results] == ["accepted"] * 200
    assert stored_count(limited, stuffer.device.device_id) == 200
    # ...but only the first 20 new residents of the hour count; the rest wait for staff.
    counted = [r for r in results if r["receipt"]["counted"]]
    held = [r for r in results if not r["receipt"]["counted"]]
    assert len(counted) == LIMIT and len(held) == 200 - LIMIT
    assert all(r["receipt"]["note"].startswith("held for staff review: ") for r in held)
    assert agrees(stuffer) == LIMIT
    # A held resident has earned nothing yet.
    assert stuffer.ledger(made_up[-1])["balance"] == 0

    listing = limited.cli("held").stdout
    rows = held_rows(limited)
    assert len(rows) == 180 and {h.status for h in rows} == {"held"}
    assert {h.reason_code for h in rows} == {"new_residents"}
    lines = [line for line in listing.splitlines()[1:] if line.strip()]
    assert len(lines) == 180
    assert all(stuffer.device.device_id in line and "proposal_agree" in line for line in lines)
    assert f"proposal {PROPOSAL}" in listing and "limit is 20" in listing
    # Nothing a held row keeps can name a resident: no seal, no resident key in the listing.
    assert not any(seal in listing for seal in seals)
    assert not any(h.resident_key and h.resident_key in listing for h in rows)
    as_json = json.loads(limited.cli("held", "--json").stdout)
    assert len(as_json) == 180 and "resident_key" not in as_json[0]

    # The last made-up resident meanwhile agrees at an honest kiosk: that one counts.
    honest = Kiosk(limited, "신당동 주민센터")
    again = honest.send_one("proposal_agree", agree(PROPOSAL), made_up[-1])
    assert again["receipt"]["counted"] is True
    assert agrees(stuffer) == LIMIT + 1

    # Staff refuse one, then release all the others.
    refused, *rest = rows
    out = limited.cli("refuse", str(refused.id), "--reason", "주민 확인 안 됨").stdout
    assert f"refused {refused.id}" in out
    released = limited.cli("release", *[str(h.id) for h in rest])
    assert sum(line.startswith("released ") for line in released.stdout.splitlines()) == 179

    # Each released resident counts once; the one who agreed meanwhile stays a duplicate;
    # the refused one never counts. 20 + 1 + 178.
    assert agrees(stuffer) == LIMIT + 1 + 178
    after = {h.id: h for h in held_rows(limited)}
    assert after[refused.id].status == "refused" and after[refused.id].decided_by
    assert after[rest[-1].id].decision is not None
    assert "duplicate resident" in (after[rest[-1].id].decision or "")
    assert stuffer.ledger(made_up[-2])["balance"] > 0
    assert limited.cli("held").stdout.strip() == "no held envelopes"

    # The device retries everything (a lost answer): duplicates, nothing counted twice.
    retried = [r for start in range(0, 200, 50) for r in stuffer.send(*items[start : start + 50])]
    assert {r["status"] for r in retried} == {"duplicate"}
    assert agrees(stuffer) == LIMIT + 1 + 178
    # A decision is final: releasing the refused one (or a released one) again does nothing.
    twice = limited.cli("release", str(refused.id), str(rest[0].id), check=False)
    assert twice.returncode == 1 and "already refused" in twice.stderr
    assert "already released" in twice.stderr
    assert agrees(stuffer) == LIMIT + 1 + 178


def test_each_staff_decision_is_logged_as_a_structured_line(
    limited: ServerProcess, tmp_path: Path
) -> None:
    publish_pack(limited, tmp_path)
    kiosk = Kiosk(limited)
    kiosk.send(
        *[kiosk.envelope("proposal_agree", agree(PROPOSAL), Resident()) for _ in range(LIMIT + 2)]
    )
    first, second = held_rows(limited)

    released = limited.cli("release", str(first.id), "--log-level", "INFO").stderr
    refused = limited.cli("refuse", str(second.id), "--reason", "중복 의심", "--log-level", "INFO")

    assert f"held.released number={first.id} device_id={kiosk.device.device_id}" in released
    assert "counted=True by=" in released
    assert f"held.refused number={second.id}" in refused.stderr
    assert "reason=" in refused.stderr


def test_a_device_is_held_past_its_counted_agrees_for_one_proposal(tmp_path: Path) -> None:
    server = start_server(
        tmp_path / "server",
        None,
        "--max-new-residents-per-hour",
        "0",
        "--max-counted-per-target",
        "5",
    )
    try:
        publish_pack(server, tmp_path)
        kiosk, other = Kiosk(server), Kiosk(server, "약수동 주민센터")
        results = kiosk.send(
            *[kiosk.envelope("proposal_agree", agree(PROPOSAL), Resident()) for _ in range(8)]
        )
        elsewhere = other.send_one("proposal_agree", agree(PROPOSAL), Resident())

        assert [r["receipt"]["counted"] for r in results] == [True] * 5 + [False] * 3
        assert "5 counted agrees with proposal" in results[-1]["receipt"]["note"]
        # The limit is per device: another kiosk's resident counts.
        assert elsewhere["receipt"]["counted"] is True
        assert agrees(kiosk) == 6
        assert {h.reason_code for h in held_rows(server)} == {"per_target"}
    finally:
        server.stop()


def test_the_points_look_up_is_rate_limited_by_default(server: ServerProcess) -> None:
    """Trying birth dates for a known phone number is no oracle: 6 look-ups a minute per
    device, 5 an hour per resident, by default."""
    known = Resident(phone="01055501234", birth=date(1950, 1, 1))
    prober = server.enroll(name="도난 기기")

    answers = []
    for day in range(1, 9):
        guess = Resident(phone=known.phone, birth=date(1950, 1, day))
        answers.append(
            requests.post(
                f"{server.api}/points/ledger",
                json=guess.ledger_request(prober),
                headers=prober.headers,
                timeout=10,
            )
        )

    assert [a.status_code for a in answers] == [200] * 6 + [429] * 2
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert "points look-ups from this device" in answers[-1].json()["detail"]

    # Per resident, across devices: the sixth look-up of one resident in an hour is refused.
    looked = []
    for i in range(6):
        device = server.enroll(name=f"기기 {i}")
        looked.append(
            requests.post(
                f"{server.api}/points/ledger",
                json=known.ledger_request(device),
                headers=device.headers,
                timeout=10,
            )
        )
    # The prober's first guess was this very resident: 1 + 4 more are allowed.
    assert [r.status_code for r in looked] == [200] * 4 + [429] * 2
    assert "points look-ups for this resident" in looked[-1].json()["detail"]


# -- backdating: the device's heartbeats are the evidence ------------------------------------


@pytest.fixture
def closed_vote(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server whose vote closed a day ago (in its 14-day grace); no stuffing limit in the
    way, so the deadline rule is what is seen."""
    running = start_server(
        tmp_path / "server",
        None,
        "--max-new-residents-per-hour",
        "0",
        "--max-counted-per-target",
        "0",
    )
    publish_pack(running, tmp_path, vote_opens=NOW - 30 * DAY, vote_closes=NOW - DAY)
    yield running
    running.stop()


def backdated_ballots(kiosk: Kiosk, count: int = 40) -> list[dict[str, Any]]:
    """Ballots of made-up residents dated two days ago, before the close."""
    return [
        kiosk.envelope(
            "ballot",
            ballot("sogong", "sogong-benches"),
            Resident(),
            created_at=(NOW - 2 * DAY).isoformat(),
        )
        for _ in range(count)
    ]


def voters(kiosk: Kiosk, dong: str = "sogong") -> int:
    for result in kiosk.counts()["ballot_results"]:
        if result["dong"] == dong:
            count: int = result["voters"]
            return count
    return 0


def test_forty_backdated_ballots_after_a_heartbeat_after_the_close_are_closed(
    closed_vote: ServerProcess,
) -> None:
    attacker = Kiosk(closed_vote, "가짜 투표 기기")
    attacker.seq = 7
    # After the close the device said it had made 7 envelopes; then it makes 40 more and
    # dates them before the close.
    heartbeat(closed_vote, attacker.device, highest_seq=7)
    items = backdated_ballots(attacker)

    results = attacker.send(*items)

    assert [r["status"] for r in results] == ["rejected"] * 40
    assert all(r["reason"].startswith(f"closed: vote '{VOTE_ID}' closed at ") for r in results)
    assert "reported 7 as its highest device_seq" in results[0]["reason"]
    assert [k.reason_code for k in audit(closed_vote, items[0]["id"])] == ["closed"]
    assert voters(attacker) == 0
    assert held_rows(closed_vote) == []


def test_backdated_ballots_from_a_device_silent_since_the_close_are_held(
    closed_vote: ServerProcess,
) -> None:
    silent = Kiosk(closed_vote, "조용한 기기")
    # A heartbeat that reports no highest seq (an older app) is no evidence either.
    heartbeat(closed_vote, silent.device, highest_seq=None)
    items = backdated_ballots(silent)

    results = silent.send(*items)

    assert [r["status"] for r in results] == ["accepted"] * 40
    assert not any(r["receipt"]["counted"] for r in results)
    assert all("sent no heartbeat" in r["receipt"]["note"] for r in results)
    rows = held_rows(closed_vote)
    assert len(rows) == 40 and {h.reason_code for h in rows} == {"no_heartbeat"}
    assert voters(silent) == 0
    assert f"vote {VOTE_ID}" in closed_vote.cli("held").stdout


def test_a_waiting_devices_ballots_with_no_heartbeat_stay_held_when_it_is_approved(
    closed_vote: ServerProcess,
) -> None:
    """Approval says the device is ours, not when its ballots were made: a no_heartbeat hold
    comes first and is left for staff to decide one by one."""
    waiting = Kiosk(closed_vote, "새 기기, 말 없음", approve=False)
    items = backdated_ballots(waiting, 3)

    results = waiting.send(*items)
    closed_vote.approve(waiting.device.device_id)

    assert all("sent no heartbeat" in r["receipt"]["note"] for r in results)
    rows = [h for h in held_rows(closed_vote) if h.device_id == waiting.device.device_id]
    assert [(h.reason_code, h.status) for h in rows] == [("no_heartbeat", "held")] * 3
    assert voters(waiting) == 0


def test_an_honest_device_that_vouched_first_has_its_ballots_counted(
    closed_vote: ServerProcess,
) -> None:
    honest = Kiosk(closed_vote, "오프라인이던 기기")
    items = backdated_ballots(honest, 5)  # really made before the close, while offline
    heartbeat(closed_vote, honest.device, highest_seq=5)

    results = honest.send(*items)
    later = honest.send_one(
        "ballot",
        ballot("sogong", "sogong-benches"),
        Resident(),
        created_at=(NOW - 2 * DAY).isoformat(),
    )

    assert [r["receipt"]["counted"] for r in results] == [True] * 5
    assert voters(honest) == 5
    # Its sixth, made after that heartbeat, is refused whatever its date says.
    assert later["status"] == "rejected" and later["reason"].startswith("closed: ")


# -- device_seq has a bound -------------------------------------------------------------------


def test_device_seq_beyond_any_device_is_refused_with_a_plain_reason(
    server: ServerProcess,
) -> None:
    device = server.enroll()
    huge, largest = envelope(2**63 - 1), envelope(MAX_DEVICE_SEQ)

    [refused, accepted] = send(server, device, [huge, largest])

    assert refused["status"] == "rejected"
    assert refused["reason"] == (
        f"invalid envelope: device_seq: Input should be less than or equal to {MAX_DEVICE_SEQ}"
    )
    assert [k.reason_code for k in audit(server, huge["id"])] == ["invalid_envelope"]
    assert accepted["status"] == "accepted"


def test_heartbeat_reports_are_kept_compactly_and_bounded(server: ServerProcess) -> None:
    device = server.enroll()
    for seq in (3, 3, 3, 5, 5):
        heartbeat(server, device, highest_seq=seq)

    absurd = requests.post(
        f"{server.api}/devices/heartbeat",
        json={
            "app_version": "0.1.0",
            "content_version": None,
            "queue_depth": 0,
            "mode": "kiosk",
            "uptime_s": 1.0,
            "highest_seq": 2**63 - 1,
        },
        headers=device.headers,
        timeout=10,
    )

    with server.database() as db, db.read() as session:
        marks = session.scalars(
            select(DeviceMark)
            .where(DeviceMark.device_id == device.device_id)
            .order_by(DeviceMark.id)
        ).all()
    # One row per value reported; a repeat only moves its last time.
    assert [m.highest_seq for m in marks] == [3, 5]
    assert marks[0].last_received_at > marks[0].first_received_at
    assert absurd.status_code == 422 and "highest_seq" in absurd.json()["detail"]
