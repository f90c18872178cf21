"""The closing grace period for participatory-budget ballots: a `ballot` envelope is judged
against its vote's window (opens_at, closes_at) in the newest published pack that has the vote,
through the real server process, as surveys and contests are (test_deadlines.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from server.deadlines import target_of
from tests.server.civic import (
    DAY,
    NOW,
    VOTE_ID,
    Kiosk,
    Resident,
    ballot,
    budget_proposal,
    publish_pack,
)
from tests.server.process import ServerProcess, heartbeat, start_server
from tests.server.test_ingest import audit

HOUR = DAY / 24


def test_a_ballot_is_judged_by_its_votes_window() -> None:
    payload = ballot("sogong", "sogong-benches")
    assert target_of("ballot", payload) == ("vote", VOTE_ID)


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[ServerProcess]:
    # Each test publishes the vote with its own window: the newest pack decides.
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


def cast(kiosk: Kiosk, dong: str, project: str, created: datetime) -> dict[str, Any]:
    """A new resident's ballot made at device time `created`; the server's answer."""
    payload = ballot(dong, project)
    return kiosk.send_one("ballot", payload, Resident(), created_at=created.isoformat())


def test_a_ballot_made_before_the_close_is_counted_during_the_grace(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    publish_pack(fresh_server, tmp_path, vote_opens=NOW - 30 * DAY, vote_closes=NOW - DAY)
    kiosk = Kiosk(fresh_server)
    # The kiosk made its ballot (seq 1) before the close and says so before sending it.
    heartbeat(fresh_server, kiosk.device, highest_seq=1)

    result = cast(kiosk, "sogong", "sogong-benches", NOW - 2 * DAY)

    assert result["status"] == "accepted", result
    assert result["receipt"]["counted"] is True


def test_a_ballot_made_after_the_close_is_rejected_closed_and_kept(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    publish_pack(fresh_server, tmp_path, vote_opens=NOW - 30 * DAY, vote_closes=NOW - DAY)
    kiosk = Kiosk(fresh_server)

    result = cast(kiosk, "sogong", "sogong-benches", NOW - HOUR)

    assert result["status"] == "rejected"
    assert result["reason"].startswith(f"closed: vote '{VOTE_ID}' closed at ")
    [kept] = audit(fresh_server, str(result["id"]))
    assert kept.reason_code == "closed"
    listed = fresh_server.cli("rejected", "--reason", "closed").stdout
    assert f"vote '{VOTE_ID}'" in listed


def test_a_ballot_arriving_after_the_grace_is_late_and_one_before_the_opening_not_open(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    kiosk = Kiosk(fresh_server)
    publish_pack(fresh_server, tmp_path, vote_opens=NOW - 60 * DAY, vote_closes=NOW - 20 * DAY)
    late = cast(kiosk, "pil", "pil-benches", NOW - 21 * DAY)
    publish_pack(fresh_server, tmp_path, vote_opens=NOW + DAY, vote_closes=NOW + 30 * DAY)
    early = cast(kiosk, "pil", "pil-benches", NOW - HOUR)

    assert late["status"] == early["status"] == "rejected"
    assert late["reason"].startswith("late: ")
    assert early["reason"].startswith(f"not open: vote '{VOTE_ID}' opens at ")
    assert [k.reason_code for k in audit(fresh_server, str(late["id"]))] == ["late"]
    assert [k.reason_code for k in audit(fresh_server, str(early["id"]))] == ["not_open"]


def test_the_newest_pack_with_the_vote_moves_its_close(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    kiosk = Kiosk(fresh_server)
    publish_pack(fresh_server, tmp_path, vote_opens=NOW - 30 * DAY, vote_closes=NOW - DAY)
    publish_pack(fresh_server, tmp_path, vote_opens=NOW - 30 * DAY, vote_closes=NOW + DAY)

    result = cast(kiosk, "myeong", "myeong-mural", NOW - HOUR)

    assert result["status"] == "accepted", result


def test_a_later_ballot_of_the_device_vouches_for_one_its_clock_placed_after_the_close(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    publish_pack(fresh_server, tmp_path, vote_opens=NOW - 30 * DAY, vote_closes=NOW - DAY)
    kiosk = Kiosk(fresh_server)
    jumped = kiosk.envelope(
        "ballot", ballot("dasan", "dasan-benches"), Resident(), created_at=NOW.isoformat()
    )
    later = kiosk.envelope(
        "ballot",
        ballot("yaksu", "yaksu-benches"),
        Resident(),
        created_at=(NOW - 2 * DAY).isoformat(),
    )

    results = kiosk.send(jumped, later)

    assert [r["status"] for r in results] == ["accepted", "accepted"], results


def test_a_ballot_of_a_vote_never_published_is_not_judged(fresh_server: ServerProcess) -> None:
    kiosk = Kiosk(fresh_server)

    result = kiosk.send_one("ballot", ballot("sogong", "x", vote_id="2030-pb"), Resident())

    assert result["status"] == "accepted", result


def test_a_budget_proposal_is_judged_by_the_votes_proposal_window(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    def proposals_closed_yesterday(manifest: dict[str, Any]) -> None:
        manifest["budget"]["proposals_open_at"] = (NOW - 5 * DAY).isoformat()
        manifest["budget"]["proposals_close_at"] = (NOW - DAY).isoformat()

    publish_pack(fresh_server, tmp_path, vote_opens=NOW, change=proposals_closed_yesterday)
    kiosk = Kiosk(fresh_server)
    heartbeat(fresh_server, kiosk.device, highest_seq=1)
    in_time = kiosk.envelope(
        "budget_proposal",
        budget_proposal("sogong", "쉼터 그늘막"),
        Resident(),
        created_at=(NOW - 2 * DAY).isoformat(),
    )
    after = kiosk.envelope(
        "budget_proposal",
        budget_proposal("sogong", "골목 화단"),
        Resident(),
        created_at=(NOW - HOUR).isoformat(),
    )

    made_in_time, made_after = kiosk.send(in_time, after)

    # Made during the window and sent after its close (the kiosk was offline): taken.
    assert made_in_time["status"] == "accepted", made_in_time
    assert made_after["status"] == "rejected"
    assert made_after["reason"].startswith(f"closed: budget_proposals '{VOTE_ID}' closed at ")
    assert [k.reason_code for k in audit(fresh_server, str(made_after["id"]))] == ["closed"]
