"""Contest rules: which contests are offered, the vote's limits, and what an idea must hold."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.civic import counted_once, one_vote_per_resident
from contract.content import KST, parse_pack
from contract.wire import ContestEntry, ContestVote
from kiosk.domain.contest import (
    IDEA_TEXT_MAX,
    IDEA_TITLE_MAX,
    ContestBallot,
    IdeaDraft,
    contests_open,
)
from kiosk.paths import asset_path

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
ALLEY = PACK.contest("2026-alley-photo")
assert ALLEY is not None and ALLEY.vote is not None
ENTRY_IDS = [e.id for e in ALLEY.entries]


def test_open_contests_are_offered_and_closed_or_future_ones_are_not() -> None:
    assert contests_open(PACK, NOW) == [ALLEY]
    assert contests_open(PACK, ALLEY.closes_at) == []
    future = ALLEY.model_copy(update={"opens_at": NOW + timedelta(days=1)})
    assert contests_open(PACK.model_copy(update={"contests": [future]}), NOW) == []


def test_a_contest_with_nothing_to_do_at_a_kiosk_is_not_offered() -> None:
    idle = ALLEY.model_copy(update={"accepts_entries": False, "vote": None})
    assert contests_open(PACK.model_copy(update={"contests": [idle]}), NOW) == []


def test_vote_within_max_votes() -> None:
    ballot = ContestBallot(ALLEY, NOW)
    assert [p.rule for p in ballot.check()] == ["no_vote"]
    assert ballot.toggle("ginkgo") == [] and ballot.toggle("sunset") == []
    refused = ballot.toggle("market")
    assert [p.rule for p in refused] == ["max_votes"] and refused[0].params == {"max": 2}
    assert ballot.chosen == ("sunset", "ginkgo")  # in the contest's order
    assert ballot.toggle("ginkgo") == []
    assert ballot.toggle("market") == []
    assert ballot.payload() == {"contest_id": ALLEY.id, "entry_ids": ["sunset", "market"]}
    ContestVote.model_validate(ballot.payload())


def test_vote_refuses_unknown_entries_and_a_second_send() -> None:
    ballot = ContestBallot(ALLEY, NOW)
    assert [p.rule for p in ballot.toggle("nope")] == ["unknown_entry"]
    ballot.toggle("sunset")
    assert ballot.submit_problems(NOW) == []
    assert [p.rule for p in ballot.submit_problems(ALLEY.closes_at)] == ["closed"]
    ballot.mark_submitted()
    assert [p.rule for p in ballot.submit_problems(NOW)] == ["already_submitted"]
    assert [p.rule for p in ballot.toggle("market")] == ["already_submitted"]


def test_a_ballot_needs_an_open_contest_with_a_vote() -> None:
    with pytest.raises(ValueError, match="no vote"):
        ContestBallot(ALLEY.model_copy(update={"vote": None}), NOW)
    with pytest.raises(ValueError, match="not open"):
        ContestBallot(ALLEY, ALLEY.closes_at)


@given(st.lists(st.sampled_from([*ENTRY_IDS, "nope"]), max_size=20))
def test_any_taps_keep_the_vote_within_its_rules(taps: list[str]) -> None:
    ballot = ContestBallot(ALLEY, NOW)
    for entry in taps:
        before = ballot.chosen
        problems = ballot.toggle(entry)
        if problems:
            assert ballot.chosen == before
            expected = "unknown_entry" if entry == "nope" else "max_votes"
            assert [p.rule for p in problems] == [expected]
            if expected == "max_votes":
                assert len(before) == ALLEY.vote.max_votes  # type: ignore[union-attr]
        assert len(ballot.chosen) <= ALLEY.vote.max_votes  # type: ignore[union-attr]
    if ballot.chosen:
        ContestVote.model_validate(ballot.payload())
    else:
        assert [p.rule for p in ballot.check()] == ["no_vote"]


def test_an_idea_needs_a_title_and_a_text() -> None:
    idea = IdeaDraft(ALLEY, NOW)
    assert [(p.where, p.rule) for p in idea.submit_problems(NOW)] == [
        ("title", "required"),
        ("text", "required"),
    ]
    assert idea.set("title", "  필동 골목 계단  ") == []
    assert idea.set("text", "계단에 손잡이가 생겨서 어머니와 매일 산책합니다.") == []
    assert idea.submit_problems(NOW) == []
    payload = idea.payload()
    assert payload["title"] == "필동 골목 계단"
    ContestEntry.model_validate(payload)


def test_an_idea_keeps_to_its_limits() -> None:
    idea = IdeaDraft(ALLEY, NOW)
    refused = idea.set("title", "가" * (IDEA_TITLE_MAX + 1))
    assert [p.rule for p in refused] == ["max_length"]
    assert refused[0].params == {"max": IDEA_TITLE_MAX}
    assert idea.get("title") == ""
    assert idea.set("text", "나" * IDEA_TEXT_MAX) == []
    assert idea.check("text") == []


def test_an_idea_needs_a_contest_that_takes_ideas() -> None:
    with pytest.raises(ValueError, match="takes no ideas"):
        IdeaDraft(ALLEY.model_copy(update={"accepts_entries": False}), NOW)


# -- one vote per resident ----------------------------------------------------------------------


def once_pack(once: bool = True):
    manifest = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    manifest["contests"][0]["vote"]["one_vote_per_resident"] = once
    return parse_pack(manifest)


def test_a_contest_says_whether_its_vote_counts_once_per_resident() -> None:
    assert ALLEY.vote is not None and ALLEY.vote.one_vote_per_resident is False  # the default
    pack = once_pack()
    assert one_vote_per_resident(pack, ALLEY.id) and not one_vote_per_resident(PACK, ALLEY.id)
    assert not one_vote_per_resident(pack, "no-such-contest")
    # The one rule of "first counts" applies to agrees and ballots always, and to this vote.
    vote = {"contest_id": ALLEY.id, "entry_ids": ["sunset"]}
    assert counted_once("contest_vote", vote, pack)
    assert not counted_once("contest_vote", vote, PACK)
    assert counted_once("ballot", {}, None) and counted_once("proposal_agree", {}, None)
    assert not counted_once("survey_response", {"survey_id": "s"}, pack)


@pytest.mark.parametrize("value", ["yes", 1, "true", None])
def test_the_pack_field_takes_only_true_or_false(value: object) -> None:
    manifest = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    manifest["contests"][0]["vote"]["one_vote_per_resident"] = value
    with pytest.raises(ValueError, match="one_vote_per_resident"):
        parse_pack(manifest)


def test_a_second_vote_here_is_refused_where_the_contest_counts_one_per_resident() -> None:
    contest = once_pack().contest(ALLEY.id)
    assert contest is not None
    ballot = ContestBallot(contest, NOW)
    assert ballot.once_per_resident
    ballot.toggle(ENTRY_IDS[0])
    assert ballot.submit_problems(NOW) == []
    refused = ballot.submit_problems(NOW, voted_here=True)
    assert [p.rule for p in refused] == ["already_voted"]
    assert refused[0].message_id == "survey.problem.already_voted"
