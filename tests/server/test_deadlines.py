"""The closing grace period of surveys and contests: the rule (server.deadlines) on its own,
then as a device meets it through the real server process with published content packs.

Times in the server tests are placed around the real clock (`NOW`), so the server's own
"received" time needs no control: a survey that closed a day ago with a 14-day grace is
"closing"; one that closed 20 days ago is past its grace.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from contract.wire import Envelope
from kiosk.paths import asset_path
from server.config import DEFAULT_CLOSING_GRACE, duration
from server.db.models import Submission
from server.deadlines import REASONS, Window, judge, target_of
from sync.bundle import encode_bundle, public_key_of
from tests.server.conftest import envelope
from tests.server.process import ROOT, ServerProcess, heartbeat, start_server
from tests.server.test_ingest import audit, send, stored

# -- the rule -------------------------------------------------------------------------------

OPENS = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
CLOSES = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
WINDOW = Window("survey", "s-park", OPENS, CLOSES)
GRACE = timedelta(days=14)
SECOND = timedelta(seconds=1)

# Instants from well before the opening to well after the grace, to the microsecond.
moments = st.integers(min_value=-120 * 86400 * 10**6, max_value=60 * 86400 * 10**6).map(
    lambda us: CLOSES + timedelta(microseconds=us)
)
graces = st.integers(min_value=0, max_value=60 * 86400).map(lambda s: timedelta(seconds=s))


def reason(
    created: datetime,
    received: datetime,
    grace: timedelta = GRACE,
    created_no_later_than: datetime | None = None,
) -> str | None:
    refusal = judge(WINDOW, created, received, grace, created_no_later_than)
    return None if refusal is None else refusal.reason


def test_created_in_the_window_and_received_within_the_grace_is_accepted() -> None:
    assert reason(OPENS, OPENS) is None
    assert reason(CLOSES - SECOND, CLOSES + GRACE) is None


def test_the_close_itself_is_closed_and_the_end_of_the_grace_is_still_in() -> None:
    # The kiosk's rule: open from opens_at up to, not including, closes_at.
    assert reason(CLOSES, CLOSES) == "closed"
    assert reason(CLOSES - SECOND, CLOSES + GRACE + timedelta(microseconds=1)) == "late"
    assert reason(OPENS - timedelta(microseconds=1), OPENS) == "not_open"


def test_created_after_the_close_is_closed_even_when_received_after_the_grace() -> None:
    # It would never have been taken: "closed" says why better than "late".
    assert reason(CLOSES + SECOND, CLOSES + 2 * GRACE) == "closed"


def test_the_message_names_the_target_and_the_times() -> None:
    closed = judge(WINDOW, CLOSES + timedelta(hours=2), CLOSES + timedelta(days=1), GRACE)
    late = judge(WINDOW, CLOSES - timedelta(days=1), CLOSES + timedelta(days=20), GRACE)

    assert closed is not None and late is not None
    assert closed.text == (
        "closed: survey 's-park' closed at 2027-01-15 09:00:00 UTC; this was created at "
        "2027-01-15 11:00:00 UTC (device clock corrected by its offset)"
    )
    assert late.text == (
        "late: survey 's-park' closed at 2027-01-15 09:00:00 UTC and took envelopes made before "
        "the close until 2027-01-29 09:00:00 UTC; this one arrived at 2027-02-04 09:00:00 UTC"
    )


def test_a_later_envelope_of_the_device_created_before_the_close_vouches_for_this_one() -> None:
    jumped = CLOSES + timedelta(days=3)  # the device clock jumped forward, offset not yet known
    later_seq = CLOSES - timedelta(hours=1)

    assert reason(jumped, CLOSES) == "closed"
    assert reason(jumped, CLOSES, created_no_later_than=later_seq) is None
    # A later envelope that is itself after the close proves nothing.
    assert reason(jumped, CLOSES, created_no_later_than=CLOSES) == "closed"
    # Nor does it excuse arriving after the grace.
    assert reason(jumped, CLOSES + 2 * GRACE, created_no_later_than=later_seq) == "late"


@given(created=moments, later=moments, received=moments, grace=graces)
def test_a_later_creation_never_turns_closed_or_late_into_accepted(
    created: datetime, later: datetime, received: datetime, grace: timedelta
) -> None:
    earlier, later = sorted((created, later))
    if reason(earlier, received, grace) in ("closed", "late"):
        assert reason(later, received, grace) is not None


@given(created=moments, later=moments, received=moments, grace=graces)
def test_an_earlier_creation_never_turns_not_open_into_accepted(
    created: datetime, later: datetime, received: datetime, grace: timedelta
) -> None:
    earlier, later = sorted((created, later))
    if reason(later, received, grace) == "not_open":
        assert reason(earlier, received, grace) == "not_open"


@given(created=moments, received=moments, later=moments, grace=graces)
def test_a_later_arrival_never_turns_a_rejection_into_an_acceptance(
    created: datetime, received: datetime, later: datetime, grace: timedelta
) -> None:
    earlier, later = sorted((received, later))
    if reason(created, earlier, grace) is not None:
        assert reason(created, later, grace) is not None


@given(created=moments, received=moments, grace=graces, more=graces)
def test_a_longer_grace_never_turns_an_acceptance_into_a_rejection(
    created: datetime, received: datetime, grace: timedelta, more: timedelta
) -> None:
    if reason(created, received, grace) is None:
        assert reason(created, received, grace + more) is None


@given(created=moments, received=moments, grace=graces, bound=moments)
def test_device_seq_evidence_only_ever_rescues_from_closed(
    created: datetime, received: datetime, grace: timedelta, bound: datetime
) -> None:
    alone = reason(created, received, grace)
    vouched = reason(created, received, grace, created_no_later_than=bound)

    if alone != "closed":
        assert vouched == alone
    elif bound < CLOSES:
        assert vouched in (None, "late")
    else:
        assert vouched == "closed"


@given(created=moments, received=moments, grace=graces)
def test_every_refusal_has_a_stable_reason_and_names_its_target(
    created: datetime, received: datetime, grace: timedelta
) -> None:
    refusal = judge(WINDOW, created, received, grace)
    if refusal is not None:
        assert refusal.reason in REASONS
        assert "survey 's-park'" in refusal.message
        assert refusal.text.startswith(refusal.reason.replace("_", " ") + ": ")


def test_deadlines_apply_to_surveys_and_contests_only() -> None:
    assert target_of("survey_response", {"survey_id": "s1", "answers": {}}) == ("survey", "s1")
    assert target_of("contest_vote", {"contest_id": "c1"}) == ("contest", "c1")
    assert target_of("contest_entry", {"contest_id": "c1"}) == ("contest", "c1")
    assert target_of("staff_call", {"screen": "home"}) is None
    assert target_of("play_stats", {}) is None


def test_grace_setting_reads_days_hours_minutes_and_seconds() -> None:
    assert timedelta(days=14) == DEFAULT_CLOSING_GRACE
    assert duration("14d") == timedelta(days=14)
    assert duration("36h") == timedelta(hours=36)
    assert duration("1.5m") == timedelta(seconds=90)
    assert duration("5s") == timedelta(seconds=5)
    for bad in ("14", "d", "-1d", "2w", "1e9999d", "99999999999d"):
        with pytest.raises(ValueError):
            duration(bad)


def test_serve_refuses_a_grace_it_cannot_read(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server", "serve", "--data-dir", str(tmp_path)]
        + ["--closing-grace", "two weeks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "--closing-grace" in result.stderr and "two weeks" in result.stderr


# -- through the real server ----------------------------------------------------------------

NOW = datetime.now(UTC)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def publish(
    server: ServerProcess,
    tmp_path: Path,
    surveys: dict[str, tuple[datetime, datetime]] | None = None,
    contests: dict[str, tuple[datetime, datetime]] | None = None,
) -> None:
    """Publish a pack holding these surveys and contests (id -> (opens_at, closes_at))."""
    demo = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    survey, contest = demo["surveys"][0], demo["contests"][0]
    version = f"deadlines-{uuid.uuid4().hex[:8]}"
    manifest: dict[str, Any] = {
        "schema_version": 1,
        "content_version": version,
        "published_at": NOW.isoformat(),
        "district": demo["district"],
        "surveys": [
            {**survey, "id": sid, "opens_at": o.isoformat(), "closes_at": c.isoformat()}
            for sid, (o, c) in (surveys or {}).items()
        ],
        "contests": [
            {
                **contest,
                "id": cid,
                "opens_at": o.isoformat(),
                "closes_at": c.isoformat(),
                "accepts_entries": True,
                "vote": {"max_votes": 1},
                "entries": contest["entries"][:1],
            }
            for cid, (o, c) in (contests or {}).items()
        ],
    }
    entry_image = contest["entries"][0]["image"]
    demo_file = next(f for f in demo["files"] if f["path"] == entry_image)
    manifest["files"] = [demo_file] if contests else []
    pack = tmp_path / version
    if contests:
        (pack / entry_image).parent.mkdir(parents=True)
        (pack / entry_image).write_bytes((asset_path("demo") / entry_image).read_bytes())
    pack.mkdir(exist_ok=True)
    (pack / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    server.cli("publish", str(pack))


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def submission(
    kind: str, target: str, seq: int, created_at: datetime, **changes: Any
) -> dict[str, Any]:
    """An envelope of `kind` for survey or contest `target`, made at device time `created_at`."""
    payloads: dict[str, dict[str, Any]] = {
        "survey_response": {"survey_id": target, "answers": {"q1": "o1"}},
        "contest_vote": {"contest_id": target, "entry_ids": ["e1"]},
        "contest_entry": {"contest_id": target, "title": "골목 사진", "text": "우리 골목 이야기"},
    }
    return envelope(
        seq, kind=kind, payload=payloads[kind], created_at=created_at.isoformat(), **changes
    )


KINDS = ["survey_response", "contest_vote", "contest_entry"]


def closing_target(
    server: ServerProcess, tmp_path: Path, kind: str, opens: datetime, closes: datetime
) -> str:
    """Publish a survey (for survey_response) or a contest with this window; its id."""
    target = new_id("s" if kind == "survey_response" else "c")
    if kind == "survey_response":
        publish(server, tmp_path, surveys={target: (opens, closes)})
    else:
        publish(server, tmp_path, contests={target: (opens, closes)})
    return target


@pytest.mark.parametrize("kind", KINDS)
def test_created_before_the_close_and_received_during_the_grace_is_accepted(
    any_server: ServerProcess, tmp_path: Path, kind: str
) -> None:
    target = closing_target(any_server, tmp_path, kind, NOW - 30 * DAY, NOW - DAY)
    device = any_server.enroll()
    item = submission(kind, target, 1, NOW - 2 * DAY)
    # The device vouches first that it made envelope 1 already (as the sync worker does).
    heartbeat(any_server, device, highest_seq=1)

    [result] = send(any_server, device, [item])

    assert result["status"] == "accepted", result["reason"]
    assert result["receipt"]["counted"] is True, result["receipt"]
    assert stored(any_server, item["id"]) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_created_after_the_close_is_rejected_closed_and_kept(
    any_server: ServerProcess, tmp_path: Path, kind: str
) -> None:
    target = closing_target(any_server, tmp_path, kind, NOW - 30 * DAY, NOW - DAY)
    device = any_server.enroll()
    item = submission(kind, target, 1, NOW - DAY / 2)

    [result] = send(any_server, device, [item])

    assert result["status"] == "rejected"
    assert result["receipt"] is None
    assert result["reason"].startswith("closed: ")
    assert repr(target) in result["reason"]
    assert stored(any_server, item["id"]) == 0
    [kept] = audit(any_server, item["id"])
    assert (kept.reason_code, kept.reason, kept.device_seq) == ("closed", result["reason"], 1)
    assert json.loads(kept.body)["payload"] == item["payload"]


def test_staff_list_the_deadline_rejections_with_device_seq_reason_and_message(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    survey, gone = new_id("s"), new_id("s")
    publish(
        any_server,
        tmp_path,
        surveys={survey: (NOW - 30 * DAY, NOW - DAY), gone: (NOW - 60 * DAY, NOW - 20 * DAY)},
    )
    device = any_server.enroll(name="신당동 주민센터")
    # Seq order is creation order: made three weeks ago, then half a day ago.
    late = submission("survey_response", gone, 7, NOW - 21 * DAY)
    closed = submission("survey_response", survey, 8, NOW - DAY / 2)
    results = send(any_server, device, [late, closed])
    assert [r["status"] for r in results] == ["rejected", "rejected"]

    listing = any_server.cli("rejected", "--device", device.device_id).stdout
    as_json = json.loads(any_server.cli("rejected", "--device", device.device_id, "--json").stdout)
    only_late = json.loads(any_server.cli("rejected", "--reason", "late", "--json").stdout)

    header, *rows = [re.split(r" {2,}", line) for line in listing.splitlines()]
    assert header == ["RECEIVED", "DEVICE", "NAME", "SEQ", "REASON", "MESSAGE"]
    assert [row[1:] for row in rows] == [
        [device.device_id, "신당동 주민센터", "7", "late", results[0]["reason"]],
        [device.device_id, "신당동 주민센터", "8", "closed", results[1]["reason"]],
    ]
    assert [(r["device_seq"], r["reason_code"], r["reason"]) for r in as_json] == [
        (7, "late", results[0]["reason"]),
        (8, "closed", results[1]["reason"]),
    ]
    assert late["id"] in {r["envelope_id"] for r in only_late}
    assert {r["reason_code"] for r in only_late} == {"late"}


@pytest.mark.parametrize("kind", KINDS)
def test_received_after_the_grace_is_rejected_late(
    any_server: ServerProcess, tmp_path: Path, kind: str
) -> None:
    # Offline for three weeks: made a day before the close, arriving 20 days after it.
    target = closing_target(any_server, tmp_path, kind, NOW - 60 * DAY, NOW - 20 * DAY)
    device = any_server.enroll()
    item = submission(kind, target, 1, NOW - 21 * DAY)

    [result] = send(any_server, device, [item])

    assert result["status"] == "rejected"
    assert result["reason"].startswith("late: ")
    assert [k.reason_code for k in audit(any_server, item["id"])] == ["late"]


def test_created_before_the_opening_is_rejected_not_open(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    target = closing_target(any_server, tmp_path, "survey_response", NOW - DAY, NOW + DAY)
    device = any_server.enroll()
    item = submission("survey_response", target, 1, NOW - 2 * DAY)

    [result] = send(any_server, device, [item])

    assert result["status"] == "rejected"
    assert result["reason"].startswith("not open: ")
    assert [k.reason_code for k in audit(any_server, item["id"])] == ["not_open"]


@pytest.fixture(scope="module")
def one_hour_grace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    running = start_server(tmp_path_factory.mktemp("grace"), None, "--closing-grace", "1h")
    yield running
    running.stop()


def test_the_grace_period_is_the_servers_setting(
    server: ServerProcess, one_hour_grace: ServerProcess, tmp_path: Path
) -> None:
    results = {}
    for running in (server, one_hour_grace):
        target = closing_target(running, tmp_path, "survey_response", NOW - DAY, NOW - 2 * HOUR)
        item = submission("survey_response", target, 1, NOW - 3 * HOUR)
        [results[running.url]] = send(running, running.enroll(), [item])

    assert results[server.url]["status"] == "accepted"
    assert results[one_hour_grace.url]["status"] == "rejected"
    assert results[one_hour_grace.url]["reason"].startswith("late: ")


def test_a_device_clock_three_hours_slow_is_judged_by_its_corrected_time(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    three_hours = 3 * HOUR
    opened_an_hour_ago, closed_an_hour_ago = new_id("s"), new_id("s")
    publish(
        any_server,
        tmp_path,
        surveys={
            opened_an_hour_ago: (NOW - three_hours / 3, NOW + DAY),
            closed_an_hour_ago: (NOW - DAY, NOW - three_hours / 3),
        },
    )
    device = any_server.enroll()
    slow_clock = NOW - three_hours
    # The device clock says three hours ago; its last offset estimate says +3 h: made now.
    made_now = [
        submission("survey_response", target, seq, slow_clock, clock_offset_s=3 * 3600.0)
        for seq, target in enumerate((opened_an_hour_ago, closed_an_hour_ago), start=1)
    ]

    results = send(any_server, device, made_now)

    # By its own clock the first was made before the opening and the second before the close.
    assert results[0]["status"] == "accepted", results[0]["reason"]
    assert results[1]["status"] == "rejected"
    assert results[1]["reason"].startswith("closed: ")


def test_device_seq_saves_envelopes_made_before_the_close_by_a_clock_that_jumped(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    target = closing_target(any_server, tmp_path, "survey_response", NOW - 30 * DAY, NOW - DAY)
    # Two days before the close the device clock jumped three days ahead; its offset was only
    # learnt (at the next heartbeat) after seq 2.
    jump = 3 * DAY
    real = NOW - 2 * DAY

    def made(seq: int, minutes: int, offset: timedelta) -> dict[str, Any]:
        device_clock = real + jump + timedelta(minutes=minutes)
        return submission(
            "survey_response", target, seq, device_clock, clock_offset_s=offset.total_seconds()
        )

    jumped = [made(1, 0, timedelta(0)), made(2, 5, timedelta(0))]
    corrected = made(3, 10, -jump)

    # In one batch, as the device drains its outbox in order.
    in_one_batch = send(any_server, any_server.enroll(), [*jumped, corrected])
    # Seq 3 already stored when seq 1 and 2 come (a later batch, or a bundle imported later).
    device = any_server.enroll()
    stored_first = send(any_server, device, [{**corrected, "id": str(uuid.uuid4())}])
    later = send(any_server, device, [{**e, "id": str(uuid.uuid4())} for e in jumped])
    # Without a later envelope to vouch for them, their clock says after the close.
    alone = send(any_server, any_server.enroll(), [{**e, "id": str(uuid.uuid4())} for e in jumped])

    assert [r["status"] for r in in_one_batch] == ["accepted"] * 3
    assert [r["status"] for r in stored_first + later] == ["accepted"] * 3
    assert [r["status"] for r in alone] == ["rejected"] * 2
    assert all(r["reason"].startswith("closed: ") for r in alone)


def test_any_later_envelope_of_the_device_vouches_only_if_made_before_the_close(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    target = closing_target(any_server, tmp_path, "survey_response", NOW - 30 * DAY, NOW - DAY)

    def batch(staff_call_made: datetime) -> list[dict[str, Any]]:
        return [
            submission("survey_response", target, 1, NOW - DAY / 2),
            envelope(
                2,
                kind="staff_call",
                payload={"screen": "home"},
                created_at=staff_call_made.isoformat(),
            ),
        ]

    before = send(any_server, any_server.enroll(), batch(NOW - 2 * DAY))
    after = send(any_server, any_server.enroll(), batch(NOW))

    assert [r["status"] for r in before] == ["accepted", "accepted"]
    assert [r["status"] for r in after] == ["rejected", "accepted"]


def test_a_duplicate_after_the_grace_is_still_a_duplicate_with_its_receipt(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    target = new_id("s")
    publish(any_server, tmp_path, surveys={target: (NOW - 30 * DAY, NOW + DAY)})
    device = any_server.enroll()
    item = submission("survey_response", target, 1, NOW - 21 * DAY)
    [first] = send(any_server, device, [item])
    # Staff move the close back: by the newest content the grace ended six days ago.
    publish(any_server, tmp_path, surveys={target: (NOW - 30 * DAY, NOW - 20 * DAY)})

    [again] = send(any_server, device, [item])
    [twin] = send(any_server, device, [{**item, "id": str(uuid.uuid4()), "device_seq": 2}])

    assert first["status"] == "accepted"
    assert again["status"] == "duplicate"
    assert again["receipt"] == first["receipt"]
    assert audit(any_server, item["id"]) == []
    assert twin["status"] == "rejected" and twin["reason"].startswith("late: ")


def test_a_target_never_published_has_no_deadline_here(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    publish(any_server, tmp_path, surveys={new_id("s"): (NOW - 30 * DAY, NOW - 20 * DAY)})
    device = any_server.enroll()
    item = submission("survey_response", new_id("never"), 1, NOW - 400 * DAY)

    [result] = send(any_server, device, [item])

    assert result["status"] == "accepted"


def test_a_target_dropped_from_newer_content_keeps_its_last_published_window(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    target = new_id("s")
    publish(any_server, tmp_path, surveys={target: (NOW - 30 * DAY, NOW - DAY)})
    publish(any_server, tmp_path, surveys={new_id("s"): (NOW - DAY, NOW + DAY)})
    device = any_server.enroll()

    results = send(
        any_server,
        device,
        [
            submission("survey_response", target, 1, NOW - 2 * DAY),
            submission("survey_response", target, 2, NOW - DAY / 2),
        ],
    )

    assert [r["status"] for r in results] == ["accepted", "rejected"]
    assert results[1]["reason"].startswith("closed: ")


def test_an_imported_bundle_meets_the_same_deadlines_and_grace_setting(
    server: ServerProcess, tmp_path: Path
) -> None:
    target = closing_target(server, tmp_path, "survey_response", NOW - DAY, NOW - 2 * HOUR)
    seed = secrets.token_bytes(32)
    answer = requests.post(
        f"{server.api}/devices/enroll",
        json={
            "enrollment_code": server.new_code(),
            "name": "필동 주민센터",
            "mode": "kiosk",
            "app_version": "0.1.0",
            "device_public_key": public_key_of(seed),
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    device_id = answer.json()["device_id"]
    server.approve(device_id)
    made_before_close = Envelope.model_validate(
        submission("survey_response", target, 1, NOW - 3 * HOUR)
    )
    made_after_close = Envelope.model_validate(submission("survey_response", target, 2, NOW - HOUR))
    bundle = tmp_path / "bundle.json"
    bundle.write_bytes(encode_bundle(device_id, [made_before_close, made_after_close], seed))

    strict = server.cli("import-bundle", str(bundle), "--closing-grace", "1h").stdout
    default = server.cli("import-bundle", str(bundle)).stdout

    assert "accepted 0, duplicate 0, rejected 2" in strict
    assert f"rejected {made_before_close.id}: late: " in strict
    assert f"rejected {made_after_close.id}: closed: " in strict
    # With the default 14 days the one made before the close is in; the other stays closed.
    assert "accepted 1, duplicate 0, rejected 1" in default
    assert f"rejected {made_after_close.id}: closed: " in default
    # Staff carried the signed bundle: it is not held for want of a heartbeat after the close.
    with server.database() as db, db.read() as session:
        kept = session.get(Submission, (device_id, made_before_close.id))
        assert kept is not None and kept.counted, kept and kept.note
