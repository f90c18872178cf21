"""The participatory-budget ballot: one dong, reviewed projects, the rule, review and results."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.ballot import ranking
from contract.content import KST, BudgetLimitRule, BudgetVote, parse_pack
from contract.wire import BudgetBallot
from kiosk.domain.ballot import BallotSession, ballot_dongs, vote_phase
from kiosk.i18n import Translator
from kiosk.paths import asset_path

PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
assert PACK.budget is not None
VOTE: BudgetVote = PACK.budget
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


def session(dong: str) -> BallotSession:
    ballot = BallotSession(VOTE)
    assert ballot.choose_dong(dong) is None
    return ballot


# -- dates and dongs ----------------------------------------------------------------------------


def test_voting_opens_and_closes_by_date() -> None:
    assert vote_phase(VOTE, VOTE.opens_at - timedelta(seconds=1)) == "not_open_yet"
    assert vote_phase(VOTE, VOTE.opens_at) == "open"
    assert vote_phase(VOTE, VOTE.closes_at - timedelta(seconds=1)) == "open"
    assert vote_phase(VOTE, VOTE.closes_at) == "closed"


def test_the_residents_own_dong_comes_first() -> None:
    dongs = ballot_dongs(VOTE, "yaksu")
    assert dongs[0] == "yaksu" and len(dongs) == 15 and sorted(dongs) == sorted(ballot_dongs(VOTE))
    assert ballot_dongs(VOTE, None) == [b.dong for b in VOTE.ballots]
    assert ballot_dongs(VOTE, "gangnam") == ballot_dongs(VOTE)


def test_a_resident_votes_in_one_dong_and_changing_it_starts_again() -> None:
    ballot = session("gwanghui")
    assert ballot.toggle("gwanghui-cctv") is None
    assert ballot.choose_dong("gwanghui") is None
    assert [p.id for p in ballot.selected] == ["gwanghui-cctv"]  # the same dong keeps picks
    assert ballot.choose_dong("yaksu") is None
    assert ballot.selected == () and ballot.ballot is not None and ballot.ballot.dong == "yaksu"
    problem = ballot.choose_dong("gangnam")
    assert problem is not None and problem.rule == "no_ballot"
    assert ballot.ballot.dong == "yaksu"
    assert ballot.toggle("gwanghui-cctv") is not None  # another dong's project is not here


def test_nothing_can_be_picked_before_a_dong() -> None:
    ballot = BallotSession(VOTE)
    refused = ballot.can_select("sogong-benches")
    assert refused is not None and refused.rule == "no_dong"
    assert [p.rule for p in ballot.problems()] == ["no_dong"]


def test_only_reviewed_projects_are_on_the_ballot() -> None:
    ballot = session("donghwa")
    assert "donghwa-garden" not in [p.id for p in ballot.projects]
    assert len(ballot.projects) == 4
    refused = ballot.can_select("donghwa-garden")
    assert refused is not None and refused.rule == "not_on_ballot"


# -- the rules ----------------------------------------------------------------------------------


def test_approval_allows_at_most_max_selections() -> None:
    ballot = session("gwanghui")  # 7 projects, at most 2
    assert ballot.remaining_picks == 2
    assert ballot.toggle("gwanghui-cctv") is None and ballot.toggle("gwanghui-mural") is None
    assert ballot.remaining_picks == 0
    refused = ballot.can_select("gwanghui-flowers")
    assert refused is not None and (refused.rule, refused.params) == ("max_selections", {"max": 2})
    assert ballot.toggle("gwanghui-flowers") == refused
    assert ballot.can_select("gwanghui-cctv") is None  # a pick can always be taken off
    assert ballot.toggle("gwanghui-cctv") is None and ballot.toggle("gwanghui-flowers") is None
    assert [p.id for p in ballot.selected] == ["gwanghui-flowers", "gwanghui-mural"]


def test_a_budget_ballot_refuses_a_project_past_what_is_left_and_says_so() -> None:
    ballot = session("myeong")  # 1억원
    assert ballot.budget_limited and ballot.remaining_picks is None
    for project in ("myeong-lights", "myeong-benches", "myeong-recycling"):
        assert ballot.toggle(project) is None
    assert (ballot.total_won, ballot.remaining_won) == (99_000_000, 1_000_000)
    refused = ballot.toggle("myeong-mural")
    assert refused is not None and refused.rule == "over_budget"
    text = Translator("ko").tr(refused.message_id, **refused.params)
    assert text.startswith("예산을 넘습니다: 남은 예산 100만원, 이 사업 1,900만원.")
    assert ballot.total_won == 99_000_000  # nothing changed
    assert ballot.toggle("myeong-lights") is None  # 4,100만원 back
    assert ballot.toggle("myeong-mural") is None and ballot.remaining_won == 23_000_000


def test_the_budget_counts_to_the_last_won() -> None:
    ballot = session("jungnim")  # 1억원: 8,800만 + 3,300만 is over, 4,200 + 3,300 + 2,100 fits
    assert ballot.toggle("jungnim-heating") is None
    refused = ballot.can_select("jungnim-lights")
    assert refused is not None and refused.params["remaining"] == "1,200만원"
    ballot.toggle("jungnim-heating")
    for project in ("jungnim-exercise", "jungnim-lights", "jungnim-mural"):
        assert ballot.toggle(project) is None
    assert ballot.remaining_won == 4_000_000


def test_a_selection_that_spends_the_whole_budget_is_allowed() -> None:
    ballot = session("myeong")
    for project in ("myeong-lights", "myeong-benches", "myeong-mural"):
        assert ballot.toggle(project) is None
    assert ballot.remaining_won == 8_000_000
    assert ballot.toggle("myeong-books") is None  # exactly 8,000,000 left, exactly 800만원
    assert (ballot.total_won, ballot.remaining_won) == (100_000_000, 0)


def test_at_least_one_project_or_the_rules_minimum() -> None:
    ballot = session("sindang")
    [empty] = ballot.problems()
    assert (empty.rule, empty.params) == ("min_selections", {"min": 1})
    ballot.toggle("sindang-books")
    assert ballot.problems() == []

    assert ballot.ballot is not None
    rule = BudgetLimitRule(kind="budget", min_selections=2)
    two = VOTE.model_copy(update={"ballots": [ballot.ballot.model_copy(update={"rule": rule})]})
    strict = BallotSession(two)
    strict.choose_dong("sindang")
    strict.toggle("sindang-books")
    assert [(p.rule, p.params) for p in strict.problems()] == [("min_selections", {"min": 2})]


def test_the_30_percent_rule_of_jung_gu_holds_in_the_demo_pack() -> None:
    for b in VOTE.ballots:
        if b.rule.kind == "approval":
            assert b.rule.max_selections == max(1, len(b.reviewed_projects) * 30 // 100), b.dong


# -- sending ------------------------------------------------------------------------------------


def test_review_and_payload() -> None:
    ballot = session("yaksu")
    ballot.toggle("yaksu-mural")
    ballot.toggle("yaksu-shade")
    review = ballot.review()
    assert [p.id for p in review.projects] == ["yaksu-shade", "yaksu-mural"]
    assert (review.total_won, review.budget_won, review.dong) == (44_000_000, 250_000_000, "yaksu")
    payload = BudgetBallot.model_validate(ballot.payload())
    assert payload.project_ids == ["yaksu-shade", "yaksu-mural"]
    assert (payload.vote_id, payload.ballot_id, payload.dong) == (
        "2027-pb",
        "2027-pb-yaksu",
        "yaksu",
    )


def test_an_incomplete_ballot_has_no_payload() -> None:
    with pytest.raises(ValueError, match="incomplete"):
        session("yaksu").payload()
    with pytest.raises(ValueError, match="no dong"):
        BallotSession(VOTE).review()


def test_sending_needs_the_vote_open_and_no_ballot_here_yet() -> None:
    ballot = session("pil")
    ballot.toggle("pil-flowers")
    assert ballot.submit_problems(NOW, voted_here=False) == []
    rules = [
        ballot.submit_problems(VOTE.opens_at - timedelta(days=1), voted_here=False),
        ballot.submit_problems(VOTE.closes_at, voted_here=False),
        ballot.submit_problems(NOW, voted_here=True),
    ]
    assert [[p.rule for p in r] for r in rules] == [
        ["not_open_yet"],
        ["ballot_closed"],
        ["already_voted"],
    ]
    ballot.mark_submitted()
    assert [p.rule for p in ballot.submit_problems(NOW, voted_here=False)] == ["already_submitted"]
    refused = ballot.toggle("pil-flowers")
    assert refused is not None and refused.rule == "already_submitted"


@given(st.sampled_from([b.dong for b in VOTE.ballots]), st.lists(st.integers(0, 6), max_size=30))
def test_no_sequence_of_taps_breaks_the_rule(dong: str, taps: list[int]) -> None:
    ballot = session(dong)
    assert ballot.ballot is not None
    rule, budget = ballot.ballot.rule, ballot.ballot.budget_won
    projects = ballot.projects
    for tap in taps:
        project = projects[tap % len(projects)]
        before = ballot.selected
        reason = ballot.can_select(project.id)
        assert ballot.toggle(project.id) == reason
        if reason is not None:
            assert ballot.selected == before
            if reason.rule == "over_budget":
                assert project.cost_won > ballot.remaining_won
            else:
                assert reason.rule == "max_selections"
        if ballot.budget_limited:
            assert ballot.total_won <= budget
        if rule.max_selections is not None:
            assert len(ballot.selected) <= rule.max_selections
            assert ballot.remaining_picks == rule.max_selections - len(ballot.selected)
        assert ballot.total_won + ballot.remaining_won == budget


# -- results ------------------------------------------------------------------------------------


def with_results(ranking_lines: list[tuple[str, int, bool]]) -> BudgetVote:
    data = VOTE.model_dump(mode="json")
    data["results"] = [
        {
            "dong": "sogong",
            "voters": 410,
            "ranking": [{"project": p, "votes": v, "selected": s} for p, v, s in ranking_lines],
        }
    ]
    return BudgetVote.model_validate(data)


def test_results_are_a_ranking_per_dong_where_equal_votes_share_a_rank() -> None:
    vote = with_results(
        [
            ("sogong-lights", 180, True),
            ("sogong-benches", 95, True),
            ("sogong-flowers", 95, False),
            ("sogong-tablets", 40, False),
        ]
    )
    ranked = ranking(vote, "sogong")
    assert ranked is not None
    assert [(r.rank, r.project.id, r.votes, r.selected) for r in ranked] == [
        (1, "sogong-lights", 180, True),
        (2, "sogong-benches", 95, True),
        (2, "sogong-flowers", 95, False),
        (4, "sogong-tablets", 40, False),
    ]
    assert ranking(vote, "yaksu") is None  # not published for this dong
    assert ranking(VOTE, "sogong") is None


@given(st.lists(st.integers(0, 50), min_size=4, max_size=4))
def test_a_rank_is_one_more_than_the_projects_with_more_votes(votes: list[int]) -> None:
    ids = ["sogong-benches", "sogong-lights", "sogong-tablets", "sogong-flowers"]
    lines = sorted(zip(ids, votes, strict=True), key=lambda x: -x[1])
    ranked = ranking(with_results([(p, v, False) for p, v in lines]), "sogong")
    assert ranked is not None
    for r in ranked:
        assert r.rank == 1 + sum(v > r.votes for v in votes)
