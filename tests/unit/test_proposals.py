"""Proposal rules: phase, agreeing, the threshold marker, the figures line and a new proposal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract.civic import Rule
from contract.content import KST, Proposal, parse_pack
from contract.wire import NewProposal, ProposalAgree
from kiosk.domain.proposals import (
    BODY_MAX,
    BODY_MIN,
    TITLE_MAX,
    TITLE_MIN,
    AgreeTally,
    Message,
    ProposalDraft,
    agree_payload,
    agree_problems,
    count_parts,
    days_left,
    phase,
    proposal_topics,
    status_line,
    tally,
)
from kiosk.i18n import CATALOGUE, Translator
from kiosk.paths import asset_path

PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
THRESHOLD = PACK.district.proposal_threshold


def demo_proposal(proposal_id: str) -> Proposal:
    proposal = PACK.proposal(proposal_id)
    assert proposal is not None
    return proposal


CROSSWALK = demo_proposal("crosswalk-sindang")  # deadline 2027-01-12 23:59 KST, 134 agrees
WITHDRAWN = demo_proposal("delivery-euljiro")
assert WITHDRAWN.status == "withdrawn"
NOW = datetime(2026, 12, 31, 10, 0, tzinfo=KST)


def with_count(proposal: Proposal, count: int) -> Proposal:
    return proposal.model_copy(update={"agree_count": count})


def line(proposal: Proposal, pending: int, now: datetime, lang: str = "ko") -> str:
    tr = Translator("en" if lang == "en" else "ko")
    parts = status_line(proposal, tally(proposal, THRESHOLD, pending), now)
    return " · ".join(tr.tr(m.message_id, **m.values) for m in parts)


# -- phase and D-day ----------------------------------------------------------------------------


def test_open_until_the_deadline_then_archived_and_withdrawn_whatever_the_date() -> None:
    assert phase(CROSSWALK, NOW) == "open"
    assert phase(CROSSWALK, CROSSWALK.deadline - timedelta(seconds=1)) == "open"
    assert phase(CROSSWALK, CROSSWALK.deadline) == "archived"
    assert phase(WITHDRAWN, WITHDRAWN.created_at) == "withdrawn"
    assert phase(WITHDRAWN, WITHDRAWN.deadline + timedelta(days=1)) == "withdrawn"


def test_days_left_are_counted_in_korean_dates() -> None:
    assert days_left(CROSSWALK, NOW) == 12
    last_morning = datetime(2027, 1, 12, 0, 30, tzinfo=KST)
    assert days_left(CROSSWALK, last_morning) == 0
    # 2027-01-11 16:00 UTC is already the last day in Seoul: a UTC date would say D-1.
    assert days_left(CROSSWALK, datetime(2027, 1, 11, 16, 0, tzinfo=UTC)) == 0
    assert days_left(CROSSWALK, datetime(2027, 1, 11, 14, 59, tzinfo=UTC)) == 1


def test_a_deadline_at_midnight_makes_the_day_before_the_last_day() -> None:
    midnight = CROSSWALK.model_copy(update={"deadline": datetime(2027, 1, 13, 0, 0, tzinfo=KST)})
    assert days_left(midnight, datetime(2027, 1, 12, 23, 0, tzinfo=KST)) == 0
    assert days_left(midnight, datetime(2027, 1, 11, 23, 0, tzinfo=KST)) == 1


# -- the figures line ---------------------------------------------------------------------------


def test_the_figures_line_reads_as_the_platform_writes_it() -> None:
    assert line(with_count(CROSSWALK, 70), 3, NOW) == "73 / 100 · 27명 남음 · D-12"
    assert line(with_count(CROSSWALK, 70), 3, NOW, "en") == "73 / 100 · 27 more needed · D-12"


def test_past_the_threshold_the_line_names_the_policy_review_and_keeps_counting() -> None:
    assert line(CROSSWALK, 0, NOW) == "134 / 100 · 정책 검토 대상 · D-12"
    assert line(with_count(CROSSWALK, 99), 1, NOW) == "100 / 100 · 정책 검토 대상 · D-12"
    assert line(with_count(CROSSWALK, 1200), 5, NOW) == "1,205 / 100 · 정책 검토 대상 · D-12"


def test_the_last_part_says_d_day_closed_or_withdrawn() -> None:
    last_day = datetime(2027, 1, 12, 9, 0, tzinfo=KST)
    assert line(with_count(CROSSWALK, 70), 0, last_day).endswith(" · D-day")
    assert line(with_count(CROSSWALK, 70), 0, CROSSWALK.deadline).endswith(" · 마감")
    assert line(WITHDRAWN, 0, NOW) == "12 / 100 · 88명 남음 · 철회됨"


def test_the_count_says_which_part_is_the_servers_and_which_this_kiosks() -> None:
    tr = Translator("ko")
    both = count_parts(tally(with_count(CROSSWALK, 70), THRESHOLD, 3))
    assert both == Message("civic.proposal.count_parts", {"published": 70, "pending": 3})
    assert tr.tr(both.message_id, **both.values) == (
        "구청 서버 집계 70명 + 이 기기에서 보낸 공감 3명 (확인 전)"
    )
    only_server = count_parts(tally(with_count(CROSSWALK, 70), THRESHOLD))
    assert only_server.message_id == "civic.proposal.count_published"


def test_pending_agrees_are_never_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        tally(CROSSWALK, THRESHOLD, -1)


@given(
    published=st.integers(min_value=0, max_value=5000),
    pending=st.integers(min_value=0, max_value=500),
    threshold=st.integers(min_value=1, max_value=1000),
)
def test_the_threshold_is_a_marker_not_a_cap(published: int, pending: int, threshold: int) -> None:
    counts = AgreeTally(published, pending, threshold)
    assert counts.total == published + pending
    assert counts.reached == (published + pending >= threshold)
    assert (counts.remaining == 0) == counts.reached
    assert counts.total + counts.remaining >= threshold
    assert 0.0 <= counts.progress <= 1.0
    assert (counts.progress == 1.0) == counts.reached
    more = AgreeTally(published, pending + 1, threshold)
    assert more.total == counts.total + 1  # one more agree always counts
    assert more.reached or not counts.reached  # and never takes the marker away


# -- agreeing -----------------------------------------------------------------------------------


def test_an_open_proposal_takes_one_agree_per_resident_here() -> None:
    assert agree_problems(CROSSWALK, NOW, agreed_here=False) == []
    [again] = agree_problems(CROSSWALK, NOW, agreed_here=True)
    assert again.rule == "already_agreed"


def test_archived_and_withdrawn_proposals_take_no_agrees() -> None:
    [closed] = agree_problems(CROSSWALK, CROSSWALK.deadline, agreed_here=False)
    assert closed.rule == "proposal_closed"
    [withdrawn] = agree_problems(WITHDRAWN, WITHDRAWN.created_at, agreed_here=False)
    assert withdrawn.rule == "proposal_withdrawn"


@given(
    offset_h=st.integers(min_value=-24 * 60, max_value=24 * 60),
    withdrawn=st.booleans(),
    agreed_here=st.booleans(),
)
def test_an_agree_is_allowed_exactly_when_open_and_not_yet_given_here(
    offset_h: int, withdrawn: bool, agreed_here: bool
) -> None:
    proposal = CROSSWALK.model_copy(update={"status": "withdrawn" if withdrawn else "open"})
    now = proposal.deadline + timedelta(hours=offset_h)
    allowed = not agree_problems(proposal, now, agreed_here=agreed_here)
    assert allowed == (proposal.accepts_agrees(now) and not agreed_here)


def test_the_agree_payload_is_the_wire_model() -> None:
    assert ProposalAgree.model_validate(agree_payload(CROSSWALK)).proposal_id == CROSSWALK.id


# -- a new proposal -----------------------------------------------------------------------------


def filled() -> ProposalDraft:
    draft = ProposalDraft(PACK)
    assert draft.set_text("title", "  신당역 앞 횡단보도 신호 시간 연장 ") == []
    assert (
        draft.set_text("body", "어르신들이 건너기에 신호가 너무 짧습니다. 10초만 늘려 주세요.")
        == []
    )
    assert draft.set_dong("sindang") == [] and draft.set_topic("transport") == []
    return draft


def test_a_complete_draft_gives_a_trimmed_payload_the_server_model_takes() -> None:
    draft = filled()
    assert draft.problems() == []
    payload = draft.payload()
    assert payload["title"] == "신당역 앞 횡단보도 신호 시간 연장"
    assert NewProposal.model_validate(payload).dong == "sindang"


def test_an_empty_draft_names_every_missing_field() -> None:
    draft = ProposalDraft(PACK)
    assert [(p.where, p.rule) for p in draft.problems()] == [
        ("title", "required"),
        ("body", "required"),
        ("dong", "required"),
        ("topic", "required"),
    ]
    with pytest.raises(ValueError, match="problems"):
        draft.payload()


def test_text_limits() -> None:
    draft = filled()
    assert draft.set_text("title", "짧다") == []  # 2 characters: kept, refused at review
    [short] = draft.check_text("title")
    assert (short.rule, short.params) == ("too_short", {"min": TITLE_MIN})
    [long] = draft.set_text("title", "가" * (TITLE_MAX + 1))
    assert (long.rule, long.params) == ("too_long", {"max": TITLE_MAX})
    assert draft.get("title") == "짧다"  # a refused text changes nothing
    assert draft.set_text("body", "가" * BODY_MAX) == [] and draft.check_text("body") == []
    assert draft.set_text("body", "가" * (BODY_MIN - 1)) == []
    assert [p.rule for p in draft.check_text("body")] == ["too_short"]


def test_every_dong_of_the_pack_and_no_other() -> None:
    draft = ProposalDraft(PACK)
    assert len(PACK.district.dongs) == 15
    assert all(draft.set_dong(d.id) == [] for d in PACK.district.dongs)
    assert [p.rule for p in draft.set_dong("gangnam")] == ["unknown_dong"]
    assert draft.dong == PACK.district.dongs[-1].id


def test_topics_are_the_packs_topics() -> None:
    draft = ProposalDraft(PACK)
    assert "transport" in proposal_topics() and "welfare" in proposal_topics()
    assert [p.rule for p in draft.set_topic("sports")] == ["unknown_topic"]
    assert draft.topic is None


def test_a_submitted_draft_changes_no_more() -> None:
    draft = filled()
    draft.mark_submitted()
    assert [p.rule for p in draft.set_text("title", "다른 제목입니다")] == ["already_submitted"]
    assert [p.rule for p in draft.problems()] == ["already_submitted"]


@given(st.text(max_size=TITLE_MAX + 20), st.text(max_size=BODY_MAX + 50))
def test_any_draft_the_rules_accept_is_one_the_server_model_accepts(title: str, body: str) -> None:
    draft = ProposalDraft(PACK)
    draft.set_text("title", title)
    draft.set_text("body", body)
    draft.set_dong("myeong")
    draft.set_topic("culture")
    if draft.problems():
        return
    payload = draft.payload()
    assert NewProposal.model_validate(payload).title == title.strip()
    assert TITLE_MIN <= len(payload["title"]) <= TITLE_MAX
    assert BODY_MIN <= len(payload["body"]) <= BODY_MAX


# -- messages -----------------------------------------------------------------------------------


def test_every_civic_rule_has_a_message_in_both_languages() -> None:
    values = {"min": 4, "max": 2, "remaining": "3억 2,000만원", "cost": "5,000만원"}
    values |= {"minimum": 10_000, "balance": 7_300}
    for rule in get_args(Rule):
        ko, en = CATALOGUE[f"civic.problem.{rule}"]
        assert ko.format(**values) and en.format(**values)
