"""A newly enrolled device waits for staff approval before its submissions count (issue 15,
기기 현황), through the real server process: what it sends is accepted and stored (the device
marks it sent: nothing is lost) but held `unapproved`, not counted, no points; a call for staff
is not held. Approving it (the console's 승인 as an admin, or `python -m server approve`) counts
what it held, once, in the order it arrived; a resident who counted elsewhere meanwhile stays a
duplicate. A revoked waiting device's envelopes stay held until staff refuse them. Every staff
decision on held envelopes is in the audit log, from the console and the command line."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from server.db.models import AuditEvent, HeldEnvelope, Submission
from tests.console.conftest import ADMIN, add_account, csrf_of, signed_in_session
from tests.server.civic import Kiosk, Resident, agree, proposal_count, publish_pack, survey
from tests.server.conftest import require_postgres
from tests.server.process import ServerProcess, postgres_database, start_server

PROPOSAL = "crosswalk-sindang"
WAITING = "held for staff review: this device waits for staff approval"


@pytest.fixture(params=["sqlite", "postgresql"])
def staffed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server with the demo pack published and an admin account, on SQLite, then on
    PostgreSQL (when ONTONG_TEST_POSTGRES_URL is set)."""
    with contextlib.ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            require_postgres()
            url = stack.enter_context(postgres_database())
        running = start_server(tmp_path / "server", url)
        stack.callback(running.stop)
        publish_pack(running, tmp_path)
        add_account(running, ADMIN, tmp_path)
        yield running


def held_of(server: ServerProcess, device_id: str) -> list[HeldEnvelope]:
    with server.database() as db, db.read() as session:
        return list(
            session.scalars(
                select(HeldEnvelope)
                .where(HeldEnvelope.device_id == device_id)
                .order_by(HeldEnvelope.id)
            )
        )


def counted(server: ServerProcess, device_id: str, envelope_id: str) -> bool:
    with server.database() as db, db.read() as session:
        row = session.scalars(
            select(Submission).where(
                Submission.device_id == device_id, Submission.id == uuid.UUID(envelope_id)
            )
        ).one()
        return row.counted


def audit_rows(server: ServerProcess) -> list[AuditEvent]:
    with server.database() as db, db.read() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def agrees(kiosk: Kiosk) -> int:
    value: int = proposal_count(kiosk.counts(), PROPOSAL)["counted"]
    return value


def tallied(server: ServerProcess) -> int:
    proposals = json.loads(server.cli("tallies", "--json").stdout)["proposals"]
    value: int = next(p for p in proposals if p["proposal_id"] == PROPOSAL)["counted"]
    return value


def coach_session() -> dict[str, Any]:
    start = datetime.now(UTC) - timedelta(hours=1)
    return {
        "coach_code": "C-01",
        "started_at": start.isoformat(),
        "ended_at": (start + timedelta(minutes=40)).isoformat(),
        "ended_by": "coach",
        "residents_taught": 2,
        "visits": 2,
        "practice_submissions": 1,
        "lessons_completed": [],
        "steps": [],
    }


def coaching_sessions(server: ServerProcess) -> int:
    value: int = json.loads(server.cli("coaching", "--json").stdout)["sessions"]
    return value


def console_post(server: ServerProcess, path: str) -> int:
    """POST a console form as the admin, with the page's CSRF token; the answer's status."""
    http = signed_in_session(server, ADMIN)
    token = csrf_of(http.get(f"{server.url}/staff/devices", timeout=10).text)
    r = http.post(
        f"{server.url}/staff{path}", data={"csrf_token": token}, allow_redirects=False, timeout=10
    )
    return r.status_code


def test_a_waiting_device_is_held_until_an_admin_approves_it_then_counted_once_in_order(
    staffed: ServerProcess,
) -> None:
    new = Kiosk(staffed, "새 키오스크", approve=False)
    honest = Kiosk(staffed, "신당동 주민센터")
    first, elsewhere, twice = Resident(), Resident(), Resident()
    # The resident `elsewhere` has already counted at an approved kiosk.
    assert honest.send_one("proposal_agree", agree(PROPOSAL), elsewhere)["receipt"]["counted"]
    items = [
        new.envelope("proposal_agree", agree(PROPOSAL), first),
        new.envelope("survey_response", survey()),
        new.envelope("proposal_agree", agree(PROPOSAL), elsewhere),
        new.envelope("proposal_agree", agree(PROPOSAL), twice),
        new.envelope("proposal_agree", agree(PROPOSAL), twice),
        new.envelope("staff_call", {"screen": "home"}),
        new.envelope("survey_response", survey(), practice=True),
    ]
    ids = [item["id"] for item in items]

    results = new.send(*items)

    # Accepted, every one: the kiosk marks them sent and nothing is lost...
    assert [r["status"] for r in results] == ["accepted"] * 7
    # ...but the first five are held, not counted; the call for staff is not held (a resident
    # needs help whatever the device); practice counts nothing anyway.
    for r in results[:5]:
        assert r["receipt"]["counted"] is False
        assert r["receipt"]["note"].startswith(WAITING), r
    assert results[5]["receipt"]["counted"] is True and results[5]["receipt"]["note"] is None
    assert results[6]["receipt"]["counted"] is False
    assert not results[6]["receipt"]["note"].startswith("held")
    assert agrees(new) == tallied(staffed) == 1  # only `elsewhere`, at the honest kiosk
    assert not counted(staffed, new.device.device_id, ids[1])
    assert new.ledger(first)["balance"] == 0
    held = held_of(staffed, new.device.device_id)
    assert [str(h.envelope_id) for h in held] == ids[:5]
    assert {h.reason_code for h in held} == {"unapproved"} and {h.status for h in held} == {"held"}
    listing = staffed.cli("held").stdout
    assert listing.count(new.device.device_id) == 5 and "waits for staff approval" in listing
    assert {h["reason_code"] for h in json.loads(staffed.cli("held", "--json").stdout)} == {
        "unapproved"
    }

    # The kiosk's own records are held too: a coached session is not in the coaching report.
    coached = new.send_one("coach_session", coach_session())
    assert coached["receipt"]["note"].startswith(WAITING)
    assert coaching_sessions(staffed) == 0

    # An admin approves the device in the console (기기 현황, 승인).
    assert console_post(staffed, f"/devices/{new.device.device_id}/approve") == 303

    # Counted once, in the order they arrived: `first` and the first of `twice` count;
    # `elsewhere` stays a duplicate resident; the second of `twice` is a duplicate of the first.
    assert agrees(new) == tallied(staffed) == 3
    decided = {str(h.envelope_id): h for h in held_of(staffed, new.device.device_id)}
    assert {h.status for h in decided.values()} == {"released"}
    assert {h.decided_by for h in decided.values()} == {ADMIN.name}
    assert decided[ids[0]].decision == "released by staff"
    assert "duplicate resident" in (decided[ids[2]].decision or "")
    assert decided[ids[3]].decision == "released by staff"
    assert "duplicate resident" in (decided[ids[4]].decision or "")
    assert counted(staffed, new.device.device_id, ids[1])
    assert coaching_sessions(staffed) == 1
    assert new.ledger(first)["balance"] > 0 and new.ledger(elsewhere)["balance"] > 0
    assert staffed.cli("held").stdout.strip() == "no held envelopes"
    # A lost answer: the kiosk sends them again and gets the receipts as they are now.
    again = new.send(*items)
    assert {r["status"] for r in again} == {"duplicate"}
    assert [r["receipt"]["counted"] for r in again] == [True, True, False, True, False, True, False]
    assert agrees(new) == 3
    # Sent after the approval, an envelope counts at once.
    later = new.send_one("proposal_agree", agree(PROPOSAL), Resident())
    assert later["receipt"]["counted"] is True and agrees(new) == 4

    # The audit log holds the approval and each release, by the admin, in the same order.
    events = [e for e in audit_rows(staffed) if e.actor == ADMIN.name]
    actions = [(e.action, e.target) for e in events if e.action != "login.success"]
    numbers = [h.id for h in held_of(staffed, new.device.device_id)]
    assert len(numbers) == 6  # the five above and the coached session
    assert actions == [("device.approve", f"device:{new.device.device_id}")] + [
        ("held.release", f"held:{n}") for n in numbers
    ]
    release = json.loads(next(e.after for e in events if e.target == f"held:{numbers[2]}") or "")
    assert release["counted"] is False and release["envelope_id"] == ids[2]
    page = signed_in_session(staffed, ADMIN).get(f"{staffed.url}/staff/audit", timeout=10).text
    assert "기기 승인" in page and "보류 해제 (집계)" in page and f"보류 번호 {numbers[0]}" in page


def test_a_revoked_waiting_device_stays_held_and_the_command_line_decisions_are_audited(
    staffed: ServerProcess,
) -> None:
    refused_device = Kiosk(staffed, "모르는 기기", approve=False)
    waiting = Kiosk(staffed, "을지로동 주민센터", approve=False)
    stranger, one, two = Resident(), Resident(), Resident()
    [held_result] = refused_device.send(
        refused_device.envelope("proposal_agree", agree(PROPOSAL), stranger)
    )
    assert held_result["receipt"]["note"].startswith(WAITING)
    waiting.send(
        waiting.envelope("proposal_agree", agree(PROPOSAL), one),
        waiting.envelope("proposal_agree", agree(PROPOSAL), two),
    )

    # Staff revoke the device they do not know: its envelopes stay held, and it cannot be
    # approved any more.
    staffed.cli("revoke", refused_device.device.device_id)
    refused_approval = staffed.cli("approve", refused_device.device.device_id, check=False)
    assert refused_approval.returncode == 1
    [kept] = held_of(staffed, refused_device.device.device_id)
    assert kept.status == "held" and agrees(waiting) == 0
    # Staff release one of the waiting device's envelopes by hand, then approve the device
    # (--all-waiting, as ./dev demo does): the other is released with it.
    first, second = held_of(staffed, waiting.device.device_id)
    staffed.cli("held")
    staffed.cli("release", str(first.id))
    assert agrees(waiting) == 1
    approved = staffed.cli("approve", "--all-waiting").stdout
    assert f"approved {waiting.device.device_id}" in approved
    assert refused_device.device.device_id not in approved  # revoked: not waiting
    assert agrees(waiting) == 2
    assert [h.status for h in held_of(staffed, waiting.device.device_id)] == ["released"] * 2
    # The revoked device's envelope is still held; staff refuse it: never counted.
    assert str(kept.id) in staffed.cli("held").stdout
    staffed.cli("refuse", str(kept.id), "--reason", "설치하지 않은 기기")
    [refused] = held_of(staffed, refused_device.device.device_id)
    assert refused.status == "refused" and agrees(waiting) == 2

    # Each command-line decision is in the audit log under the shell user, as the console's
    # other command-line actions are (cli:USER).
    events = [e for e in audit_rows(staffed) if (e.actor or "").startswith("cli:")]
    by_action: dict[str, list[Any]] = {}
    for e in events:
        by_action.setdefault(e.action, []).append(e)
    assert len(by_action["held.list"]) == 2
    assert [e.target for e in by_action["held.release"]] == [
        f"held:{first.id}",
        f"held:{second.id}",
    ]
    assert [e.target for e in by_action["held.refuse"]] == [f"held:{kept.id}"]
    assert json.loads(by_action["held.refuse"][0].after)["reason"] == "설치하지 않은 기기"
    assert [e.target for e in by_action["device.approve"]] == [f"device:{waiting.device.device_id}"]
    assert {h.decided_by for h in held_of(staffed, waiting.device.device_id)} == {events[0].actor}
    page = signed_in_session(staffed, ADMIN).get(f"{staffed.url}/staff/audit", timeout=10).text
    for label in ("보류 목록 조회", "보류 해제 (집계)", "보류 거부", "서버 명령줄"):
        assert label in page, label


def test_points_spent_at_a_waiting_device_are_spent_only_when_it_is_approved(
    staffed: ServerProcess,
) -> None:
    honest = Kiosk(staffed, "신당동 주민센터")
    new = Kiosk(staffed, "새 키오스크", approve=False)
    resident = Resident()
    assert honest.send_one("proposal_agree", agree(PROPOSAL), resident)["receipt"]["counted"]
    earned = honest.ledger(resident)["balance"]
    assert earned > 0

    given = new.send_one("points_donation", {"points": 1}, resident)
    too_much = new.send_one("points_donation", {"points": earned + 1}, resident)

    # Held, both: nothing is spent, and the one over the balance is not refused yet (the
    # device marks it sent; staff decide with the device).
    assert given["status"] == too_much["status"] == "accepted"
    assert given["receipt"]["note"].startswith(WAITING)
    assert too_much["receipt"]["note"].startswith(WAITING)
    assert honest.ledger(resident)["balance"] == earned

    staffed.cli("approve", new.device.device_id)

    # Released in order: the first is spent; the second is over what is left, kept uncounted.
    assert honest.ledger(resident)["balance"] == earned - 1
    first, second = held_of(staffed, new.device.device_id)
    assert first.decision == "released by staff"
    assert (second.decision or "").startswith("released by staff, not counted: points: ")
    assert not counted(staffed, new.device.device_id, str(second.envelope_id))
