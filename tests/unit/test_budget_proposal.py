"""The budget's proposal stage: its window in the content pack (refused in Korean when it is
half given, backwards or overlapping the vote), what a proposal must hold, and the flow's steps
in order with 고치기 back to the review."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from contract.content import KST, ContentPack, explain, parse_pack
from contract.wire import BudgetProposal
from kiosk.domain import steps
from kiosk.domain.budget_proposal import BudgetProposalDraft, message_id, takes_proposals
from kiosk.domain.budget_proposal_flow import COST, DONG, REVIEW, TEXT, BudgetProposalFlow
from kiosk.paths import asset_path

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)


def manifest(**budget: Any) -> dict[str, Any]:
    data = json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8"))
    data["budget"].update(budget)
    return data


def refusals(**budget: Any) -> list[str]:
    data = manifest(**budget)
    with pytest.raises(ValidationError) as info:
        parse_pack(data)
    return explain(info.value, data)


def proposing() -> ContentPack:
    return parse_pack(
        manifest(
            proposals_open_at="2026-11-01T09:00:00+09:00",
            proposals_close_at="2026-12-10T18:00:00+09:00",
            opens_at="2026-12-20T09:00:00+09:00",
            closes_at="2027-01-31T18:00:00+09:00",
        )
    )


def test_a_proposal_window_before_the_vote_is_taken_and_open_only_inside_it():
    pack = proposing()
    vote = pack.budget
    assert vote is not None
    assert takes_proposals(vote, NOW)
    assert not takes_proposals(vote, datetime(2026, 12, 10, 18, 0, tzinfo=KST))
    assert not takes_proposals(vote, datetime(2026, 10, 31, tzinfo=KST))
    # The demo pack has no proposal stage: nothing to propose to.
    demo = parse_pack(manifest())
    assert demo.budget is not None and not takes_proposals(demo.budget, NOW)


@pytest.mark.parametrize(
    ("window", "said"),
    [
        (
            {"proposals_open_at": "2026-11-01T09:00:00+09:00"},
            "budget.proposals_close_at: 주민 제안 접수 기간은 시작(proposals_open_at)과 "
            "끝(proposals_close_at)을 함께 적거나 둘 다 비워야 합니다",
        ),
        (
            {
                "proposals_open_at": "2026-11-10T09:00:00+09:00",
                "proposals_close_at": "2026-11-01T09:00:00+09:00",
            },
            "budget.proposals_close_at: 주민 제안 접수 끝(proposals_close_at)이 "
            "시작(proposals_open_at)보다 뒤여야 합니다",
        ),
        (
            # The demo vote opens on 16 November: proposals still open then come too late.
            {
                "proposals_open_at": "2026-11-01T09:00:00+09:00",
                "proposals_close_at": "2026-11-20T18:00:00+09:00",
            },
            "budget.proposals_close_at: 주민 제안 접수는 투표 시작(opens_at) 전에 끝나야 "
            "합니다: 제안 → 검토 → 투표",
        ),
        (
            {"proposals_open_at": "2026-11-01 09:00", "proposals_close_at": "2026-11-10T09:00"},
            "budget.proposals_open_at: 시간대가 없는 시각입니다",
        ),
    ],
)
def test_a_bad_proposal_window_is_refused_in_korean_naming_the_field(window, said):
    found = refusals(**window)
    assert any(line.startswith(said) for line in found), found


def test_a_draft_names_each_missing_field_and_its_payload_fits_the_wire():
    pack = proposing()
    assert pack.budget is not None
    draft = BudgetProposalDraft(pack, pack.budget)
    missing = [message_id(p) for p in draft.problems(NOW)]
    assert missing == [
        "budgetproposal.required.dong",
        "budgetproposal.required.title",
        "budgetproposal.required.place",
        "budgetproposal.required.why",
        "budgetproposal.required.cost",
    ]
    assert draft.set_cost("100000") != [] and draft.cost_man is None  # over 99,999만원
    assert draft.set_dong("nowhere") != []
    assert draft.set_dong("yaksu") == []
    draft.set_text("title", "  쉼터 의자  ")
    draft.set_text("place", "시장 입구")
    draft.set_text("why", "어르신들이 쉬어 갈 곳이 없습니다")
    assert draft.set_cost("250") == []
    assert draft.problems(NOW) == []
    payload = draft.payload()
    assert payload["title"] == "쉼터 의자" and payload["cost_won"] == 2_500_000
    BudgetProposal.model_validate(payload)
    closed = draft.problems(NOW + timedelta(days=30))
    assert [p.rule for p in closed] == ["proposals_closed"]


def test_the_flow_goes_dong_title_place_why_cost_review_and_fixes_come_back():
    pack = proposing()
    assert pack.budget is not None
    flow = BudgetProposalFlow(pack, pack.budget, lambda: NOW, own_dong="yaksu")
    at = flow.first()
    assert at == steps.At(DONG)
    assert flow.step(at).options[0].value == "yaksu"
    flow.choose(at, "yaksu")
    places = []
    for typed in ("쉼터 의자", "시장 입구", "어르신들이 쉬어 갈 곳이 없습니다"):
        move = flow.next(at)
        assert move.to is not None
        at = move.to
        places.append(at)
        assert flow.step(at).kind == "text"
        flow.type(at, typed)
    assert [p.key for p in places] == ["title", "place", "why"]
    at = flow.next(at).to or at
    assert at == steps.At(COST) and flow.step(at).kind == "number"
    assert flow.step(at).number == steps.Number(5, "")
    flow.type(at, "3000")
    assert flow.next(at).to == steps.At(REVIEW)
    review = flow.step(steps.At(REVIEW))
    assert [r.name for r in review.rows] == ["dong", "title", "place", "why", "cost"]
    fix = review.rows[2].fix
    assert fix == steps.At(TEXT, "place", editing=True)
    assert flow.next(fix).to == steps.At(REVIEW)
