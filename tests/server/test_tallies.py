"""What the counted envelopes add up to, through the real server: GET /api/v1/counts as kiosks
read it, and ``python -m server tallies`` as staff read it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

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
from tests.server.process import ServerProcess, start_server

THRESHOLD = 100  # the demo pack's proposal_threshold


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of its own: these tests publish packs that change what is counted."""
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


def test_agrees_are_the_packs_count_plus_those_counted_and_reach_the_threshold(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    publish_pack(fresh_server, tmp_path, agree_counts={"busking-myeong": THRESHOLD - 2})
    kiosk, other = Kiosk(fresh_server), Kiosk(fresh_server, "명동 주민센터")
    first, second = Resident(), Resident()

    kiosk.send_one("proposal_agree", agree("busking-myeong"), first)
    other.send_one("proposal_agree", agree("busking-myeong"), first)  # the same resident again
    one_short = proposal_count(kiosk.counts(), "busking-myeong")
    kiosk.send_one("proposal_agree", agree("busking-myeong"), second)
    reached = proposal_count(kiosk.counts(), "busking-myeong")

    assert one_short == {
        "proposal_id": "busking-myeong",
        "published": THRESHOLD - 2,
        "counted": 1,
        "total": THRESHOLD - 1,
        "threshold": THRESHOLD,
        "reached": False,
    }
    assert reached["counted"] == 2 and reached["total"] == THRESHOLD
    assert reached["reached"] is True
    untouched = proposal_count(kiosk.counts(), "crosswalk-sindang")
    assert untouched["counted"] == 0 and untouched["total"] == 134


def vote_in(kiosk: Kiosk) -> None:
    """Three residents in 소공동 (2 × benches, 1 × lights, one of them twice), one in 회현동."""
    a, b, c = Resident(), Resident(), Resident()
    kiosk.send(
        kiosk.envelope("ballot", ballot("sogong", "sogong-benches"), a),
        kiosk.envelope("ballot", ballot("sogong", "sogong-benches"), b),
        kiosk.envelope("ballot", ballot("sogong", "sogong-lights"), c),
        kiosk.envelope("ballot", ballot("sogong", "sogong-lights"), a),  # not counted
        kiosk.envelope("ballot", ballot("hoehyeon", "hoehyeon-shade"), Resident()),
        kiosk.envelope("ballot", ballot("sogong", "sogong-lights"), Resident(), practice=True),
    )


def test_ballot_rankings_per_dong_are_published_only_once_the_vote_has_closed(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    publish_pack(fresh_server, tmp_path)
    kiosk = Kiosk(fresh_server)
    vote_in(kiosk)

    while_open = kiosk.counts()
    publish_pack(fresh_server, tmp_path, vote_opens=NOW - 30 * DAY, vote_closes=NOW - DAY / 24)
    closed = kiosk.counts()

    assert while_open["ballot_results"] == []
    by_dong = {r["dong"]: r for r in closed["ballot_results"]}
    assert len(by_dong) == 15  # every dong of the pack's vote, with or without ballots
    sogong = by_dong["sogong"]
    assert (sogong["vote_id"], sogong["ballot_id"], sogong["voters"]) == (
        VOTE_ID,
        "2027-pb-sogong",
        3,
    )
    assert [(p["project_id"], p["votes"], p["rank"]) for p in sogong["ranking"][:2]] == [
        ("sogong-benches", 2, 1),
        ("sogong-lights", 1, 2),
    ]
    # Projects nobody chose share the last rank.
    assert {p["rank"] for p in sogong["ranking"][2:]} == {3}
    assert by_dong["hoehyeon"]["voters"] == 1
    assert by_dong["pil"]["voters"] == 0


def test_staff_tallies_show_agrees_and_ballots_before_the_close(
    fresh_server: ServerProcess, tmp_path: Path
) -> None:
    manifest = publish_pack(fresh_server, tmp_path, agree_counts={"delivery-euljiro": 99})
    kiosk = Kiosk(fresh_server)
    vote_in(kiosk)
    kiosk.send_one("proposal_agree", agree("delivery-euljiro"), Resident())
    kiosk.send_one("proposal", {"title": "t", "body": "b", "dong": "pil", "topic": "safety"})

    as_json = json.loads(fresh_server.cli("tallies", "--json").stdout)
    text = fresh_server.cli("tallies").stdout

    assert as_json["content_version"] == manifest["content_version"]
    assert as_json["vote_id"] == VOTE_ID
    assert as_json["new_proposals_awaiting_review"] == 1
    euljiro = next(p for p in as_json["proposals"] if p["proposal_id"] == "delivery-euljiro")
    assert (euljiro["total"], euljiro["reached"]) == (100, True)
    sogong = next(b for b in as_json["ballots"] if b["dong"] == "sogong")
    assert sogong["voters"] == 3
    assert sogong["ranking"][0] == {"project_id": "sogong-benches", "votes": 2, "rank": 1}

    assert f"content version: {manifest['content_version']}" in text
    lines = text.splitlines()
    euljiro_line = ["delivery-euljiro", "99", "1", "100", "정책", "검토", "대상"]
    assert any(line.split() == euljiro_line for line in lines)
    assert any(
        line.split() == ["busking-myeong", "23", "0", "23", "77", "to", "go"] for line in lines
    )
    assert "new proposals awaiting staff review: 1" in text
    assert any(
        line.split() == [VOTE_ID, "sogong", "3", "1", "sogong-benches", "2"] for line in lines
    )


def test_tallies_on_an_empty_server_say_so(fresh_server: ServerProcess) -> None:
    text = fresh_server.cli("tallies").stdout
    as_json = json.loads(fresh_server.cli("tallies", "--json").stdout)

    assert "content version: none published" in text
    assert "no ballots" in text
    assert as_json["proposals"] == [] and as_json["ballots"] == []
