"""The content pack as the store's items (a pure mapping, no database)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from contract.content import ContentPack
from contract.pack import load_pack
from kiosk.pack.items import pack_items
from kiosk.paths import asset_path
from kiosk.store.content_repo import ContentItem


@pytest.fixture(scope="module")
def pack() -> ContentPack:
    return load_pack(asset_path("demo"))


@pytest.fixture(scope="module")
def items(pack: ContentPack) -> list[ContentItem]:
    return pack_items(pack)


def test_one_item_per_thing_in_the_pack(pack: ContentPack, items: list[ContentItem]) -> None:
    assert pack.budget is not None
    assert Counter(i.kind for i in items) == {
        "survey": len(pack.surveys),
        "contest": len(pack.contests),
        "proposal": len(pack.proposals),
        "ballot": len(pack.budget.ballots),
        "ballot_project": sum(len(b.projects) for b in pack.budget.ballots),
        "promotion": len(pack.promotions),
        "video": len(pack.videos),
    }
    ids = [(i.kind, i.id) for i in items]
    assert len(ids) == len(set(ids))


def test_items_carry_their_query_fields(pack: ContentPack, items: list[ContentItem]) -> None:
    by_id = {(i.kind, i.id): i for i in items}
    survey = by_id["survey", "2026-senior-digital"]
    assert survey.title == "어르신 디지털 생활 실태 조사"
    assert survey.opens_at == pack.surveys[0].opens_at
    assert survey.closes_at == pack.surveys[0].closes_at

    proposal = by_id["proposal", "delivery-euljiro"]
    assert (proposal.dong, proposal.topic, proposal.status) == ("euljiro", "economy", "withdrawn")
    assert proposal.agree_count == 12
    assert proposal.deadline is not None and proposal.deadline.utcoffset() is not None

    ballot = by_id["ballot", "2027-pb-hoehyeon"]
    assert ballot.title == "2027년 주민참여예산 · 회현동"
    assert ballot.dong == "hoehyeon"
    assert ballot.data["budget_id"] == "2027-pb" and ballot.data["result"] is None
    project = by_id["ballot_project", "hoehyeon-handrails"]
    assert (project.parent_id, project.dong, project.cost_won) == (
        "2027-pb-hoehyeon",
        "hoehyeon",
        65_000_000,
    )

    emergency = by_id["promotion", "cold-wave-2026-11"]
    assert emergency.emergency is True and emergency.priority == 100
    assert emergency.ends_at is not None and emergency.starts_at is not None
    assert by_id["video", "ontong-guide"].duration_s == 6.0


def test_item_data_is_the_json_form_of_the_model(
    pack: ContentPack, items: list[ContentItem]
) -> None:
    survey = next(i for i in items if i.kind == "survey")
    json.dumps([i.data for i in items])  # storable as JSON as it is
    assert survey.data == pack.surveys[0].model_dump(mode="json")
    assert survey.data["questions"][2]["show_if"] == {"question": "smartphone", "any_of": ["yes"]}


def test_ballot_carries_its_published_result(pack: ContentPack) -> None:
    assert pack.budget is not None
    ballot = pack.budget.ballots[0]
    ranking = [
        {"project": p.id, "votes": 40 - n, "selected": n == 0}
        for n, p in enumerate(ballot.projects)
    ]
    results = [{"dong": ballot.dong, "voters": 57, "ranking": ranking}]
    data = pack.model_dump(mode="json")
    data["budget"]["results"] = results
    with_results = ContentPack.model_validate(data)
    item = next(i for i in pack_items(with_results) if i.kind == "ballot")
    assert item.data["result"] == results[0]
