"""Coached sessions through the real reference server process (issue 9):

- a coach the district registered on the server (python -m server coach add) signs in at a
  kiosk that synced, and switches to practice; a resident votes in the participatory
  budget by taps; after sync the server holds the ballot but counts none, gives no points, and
  the same resident, once the coach has left practice with the PIN, votes for real once and
  that ballot counts;
- the coached session's record reaches the server once, and `python -m server coaching`
  lists the lesson steps where residents struggle most, most wrong taps first.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from contract.wire import CoachSession
from tests.helpers.coaches import open_coach_menu
from tests.helpers.resident import find, on, shown, tap, tap_name
from tests.integration import test_civic_server as civic
from tests.sync.reference_server import ReferenceServer

# The civic tests' fixtures: the server process and enrolled kiosks with their sync workers.
server = civic.server
make_kiosk = civic.make_kiosk

CODE, PIN = "1001", "246810"


def press(qtbot, window, digits: str) -> None:
    for digit in digits:
        tap_name(qtbot, window, f"key_{digit}")


def coach_signs_in(qtbot, window) -> None:
    for _ in range(5):
        tap(qtbot, find(window, "brand"))
    tap_name(qtbot, window, "coachEntry")
    press(qtbot, window, CODE)
    tap_name(qtbot, window, "key_확인")
    press(qtbot, window, PIN)
    tap_name(qtbot, window, "key_확인")
    assert on(window) == "coach_panel"
    assert find(window, "coachBanner").text() == "코치와 함께 · 김코치"


def register_coach(server: ReferenceServer, tmp_path) -> None:
    """The district registers the coach on the server (the pack's coaches are the demo's only);
    a kiosk's first sync brings them."""
    pin_file = tmp_path / "coach-pin"
    pin_file.write_text(PIN + "\n", encoding="utf-8")
    server.cli("coach", "add", CODE, "김코치", "--pin-file", str(pin_file))


def coaching(server: ReferenceServer) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(server.cli("coaching", "--json"))
    return result


def myeong_voters(server: ReferenceServer) -> int:
    found = [b for b in civic.tallies(server)["ballots"] if b["dong"] == "myeong"]
    return int(found[0]["voters"]) if found else 0


def test_practice_counts_nothing_and_the_same_resident_then_votes_for_real_once(
    qtbot, server, make_kiosk, tmp_path
):
    civic.publish(server, tmp_path / "packs", "coach-v1")
    register_coach(server, tmp_path)
    kiosk = make_kiosk("kiosk1")
    window = kiosk.window
    coach_signs_in(qtbot, window)
    tap_name(qtbot, window, "startPractice")  # switching practice on takes the coach's PIN
    assert on(window) == "coach_confirm" and not window.coach.practice
    press(qtbot, window, PIN)
    tap_name(qtbot, window, "key_확인")
    assert shown(window, "practiceBand")
    tap_name(qtbot, window, "coachBack")

    civic.ballot_by_taps(qtbot, window)  # the resident's own taps, in practice
    assert on(window) == "thanks" and shown(window, "thanksPractice")
    tap_name(qtbot, window, "thanksHome")
    civic.synced(qtbot, kiosk)
    [practice] = server.submissions(kiosk.settings.device_id() or "")
    sent = kiosk.ctx.outbox.get(practice.id)
    assert sent is not None and sent.envelope.practice and sent.status == "sent"
    assert sent.receipt is not None and sent.receipt["counted"] is False
    assert myeong_voters(server) == 0
    ledger = civic.points_ledger(server, kiosk)
    assert ledger["balance"] == 0
    assert all(line["points"] == 0 for line in ledger["history"])

    # The coach leaves practice, with the PIN; the same resident votes for real.
    open_coach_menu(qtbot, window)
    tap_name(qtbot, window, "leavePractice")
    press(qtbot, window, PIN)
    tap_name(qtbot, window, "key_확인")
    assert not kiosk.window.coach.practice and not shown(window, "practiceBand")
    tap(qtbot, window.home_button)
    civic.ballot_by_taps(qtbot, window)
    assert on(window) == "thanks" and "1,000점" in find(window, "thanksPoints").text()
    tap_name(qtbot, window, "thanksHome")
    civic.synced(qtbot, kiosk)
    assert myeong_voters(server) == 1
    ledger = civic.points_ledger(server, kiosk)
    assert ledger["balance"] == 1000
    # Only once: a second real ballot is refused at this kiosk.
    civic.ballot_by_taps(qtbot, window)
    assert "이미 투표하셨습니다" in find(window, "problemMessage").text()

    # The coach ends the session: one record, no resident in it, stored once.
    open_coach_menu(qtbot, window)
    tap_name(qtbot, window, "endCoaching")
    assert window.coach.session is None
    civic.synced(qtbot, kiosk)
    report = coaching(server)
    assert report["sessions"] == 1 and report["coaches"] == 1
    assert report["residents_taught"] == 2  # two visits ended during the session
    assert myeong_voters(server) == 1


def test_session_records_reach_the_server_once_and_the_worst_step_comes_first(server):
    device = enroll(server)
    start = datetime.now(UTC) - timedelta(hours=1)
    first = envelope(
        1,
        record(start, [("vote", "choose-dong", 2, 30.0, 1), ("vote", "identity", 3, 95.0, 7)]),
    )
    second = envelope(
        2,
        record(
            start,
            [("vote", "identity", 1, 60.0, 4), ("survey", "scale", 2, 20.0, 0)],
            code="1003",
        ),
    )
    assert post(server, device, [first, second]) == ["accepted", "accepted"]
    assert post(server, device, [first]) == ["duplicate"]  # a retry stores nothing new
    report = coaching(server)
    assert report["sessions"] == 2 and report["coaches"] == 2
    steps = [(s["lesson_id"], s["step_id"], s["wrong_taps"]) for s in report["steps"]]
    assert steps == [
        ("vote", "identity", 11),
        ("vote", "choose-dong", 1),
        ("survey", "scale", 0),
    ]
    identity = report["steps"][0]
    assert identity["attempts"] == 4 and identity["average_s"] == round(155.0 / 4, 1)
    assert identity["sessions"] == 2
    text = server.cli("coaching")
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("LESSON"))
    assert lines[header + 1].split()[:3] == ["vote", "identity", "11"]
    # A record that is not a coach session is refused, not counted.
    bad = envelope(3, {"coach_code": CODE})
    assert post(server, device, [bad]) == ["rejected"]
    assert coaching(server)["sessions"] == 2


def test_a_lesson_played_at_the_kiosk_reaches_the_struggle_report_worst_step_first(
    qtbot, server, make_kiosk, tmp_path
):
    """The vote lesson's 따라하기 by taps: the taps beside the highlighted target are counted
    per step, the record reaches the server, and the step with most wrong taps leads."""
    from kiosk.ui.lesson import player_for

    civic.publish(server, tmp_path / "packs", "lesson-v1")
    register_coach(server, tmp_path)
    kiosk = make_kiosk("kiosk1")
    window = kiosk.window
    player = player_for(window)
    player.voice_on_start = False  # no speech engine is needed for this
    coach_signs_in(qtbot, window)
    tap_name(qtbot, window, "lessonsEntry")
    tap_name(qtbot, window, "lesson_vote")
    tap_name(qtbot, window, "stage_follow")
    press(qtbot, window, PIN)  # a lesson is practice: switched on with the coach's PIN
    tap_name(qtbot, window, "key_확인")
    assert window.coach.practice

    def at(step_id: str) -> None:
        qtbot.waitUntil(
            lambda: (
                player.step() is not None
                and player.step().id == step_id
                and player.target is not None
            )
        )

    at("open-budget")
    tap_name(qtbot, window, "tile_surveys")  # beside the target: ignored, counted
    tap_name(qtbot, window, "tile_budget")
    at("start-vote")
    tap_name(qtbot, window, "voteButton")
    at("choose-dong")
    for _ in range(3):
        tap_name(qtbot, window, "dong_sogong")
    assert on(window) == "budget_dongs"
    tap_name(qtbot, window, "dong_hoehyeon")
    at("choose-project")
    tap_name(qtbot, window, "project_hoehyeon-handrails")
    at("status")
    tap_name(qtbot, window, "lessonNext")
    at("review")
    tap_name(qtbot, window, "flowNext")
    at("submit")
    tap_name(qtbot, window, "submitButton")
    # 본인 확인's first page (why it is asked), then the practice number and birth date, each
    # key as it lights up; a wrong one is counted.
    at("intro")
    tap_name(qtbot, window, "flowNext")
    at("phone")
    for _ in range(2):
        tap_name(qtbot, window, "key_5")
    for step_id, digits, next_id in (
        ("phone", "01099998888", "phone-next"),
        ("birth", "19460101", "confirm"),
    ):
        at(step_id)
        for digit in digits:
            key = find(window, f"key_{digit}")
            qtbot.waitUntil(lambda key=key: player.target is key)
            tap(qtbot, key)
        at(next_id)
        tap_name(qtbot, window, "flowNext")
    qtbot.waitUntil(lambda: shown(window, "lessonNextStage"))
    assert on(window) == "thanks"
    tap_name(qtbot, window, "lessonToList")
    # The coach ends the session; in practice that takes the PIN.
    open_coach_menu(qtbot, window)
    tap_name(qtbot, window, "endCoaching")
    press(qtbot, window, PIN)
    tap_name(qtbot, window, "key_확인")
    assert window.coach.session is None
    civic.synced(qtbot, kiosk)
    report = coaching(server)
    assert report["sessions"] == 1
    steps = [(s["lesson_id"], s["step_id"], s["wrong_taps"]) for s in report["steps"]]
    assert steps[:3] == [
        ("vote", "choose-dong", 3),
        ("vote", "phone", 2),
        ("vote", "open-budget", 1),
    ]
    assert {s[1] for s in steps} == {
        "open-budget",
        "start-vote",
        "choose-dong",
        "choose-project",
        "status",
        "review",
        "submit",
        "intro",
        "phone",
        "phone-next",
        "birth",
        "confirm",
    }
    assert all(s["attempts"] == 1 and s["average_s"] >= 0 for s in report["steps"])
    lines = server.cli("coaching").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("LESSON"))
    assert lines[header + 1].split()[:3] == ["vote", "choose-dong", "3"]
    assert myeong_voters(server) == 0  # nothing the lesson did was counted


# -- raw protocol helpers -------------------------------------------------------------------------


def enroll(server: ReferenceServer) -> dict[str, str]:
    answer = requests.post(
        f"{server.url}/api/v1/devices/enroll",
        json={
            "enrollment_code": server.enroll_code(),
            "name": "시니어센터 코칭실",
            "mode": "kiosk",
            "app_version": "0.1.0",
        },
        timeout=10,
    )
    answer.raise_for_status()
    server.approve(answer.json()["device_id"])
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def record(
    start: datetime, steps: list[tuple[str, str, int, float, int]], code: str = CODE
) -> dict[str, Any]:
    payload = {
        "coach_code": code,
        "started_at": start.isoformat(),
        "ended_at": (start + timedelta(minutes=40)).isoformat(),
        "ended_by": "coach",
        "residents_taught": 3,
        "visits": 3,
        "practice_submissions": 2,
        "lessons_completed": [{"lesson_id": "vote", "stage": "follow"}],
        "steps": [
            {
                "lesson_id": lesson,
                "step_id": step,
                "attempts": attempts,
                "seconds": seconds,
                "wrong_taps": wrong,
            }
            for lesson, step, attempts, seconds, wrong in steps
        ],
    }
    CoachSession.model_validate(payload)
    return payload


def envelope(seq: int, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "coach_session",
        "schema_version": 1,
        "content_version": None,
        "device_seq": seq,
        "created_at": datetime.now(UTC).isoformat(),
        "clock_offset_s": 0.0,
        "boot_id": "boot-1",
        "practice": False,
        "payload": payload,
    }


def post(server: ReferenceServer, headers: dict[str, str], items: list[dict[str, Any]]) -> list:
    answer = requests.post(
        f"{server.url}/api/v1/submissions/batch", json={"items": items}, headers=headers, timeout=10
    )
    answer.raise_for_status()
    return [r["status"] for r in answer.json()["results"]]
