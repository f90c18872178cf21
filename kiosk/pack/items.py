"""The content pack as the store's rows: one `ContentItem` per survey, contest, proposal,
ballot, ballot project, promotion and video, with the fields the store queries by.

A pure function of the pack, so it is tested without a database.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from contract.content import BudgetVote, ContentPack
from kiosk.store.content_repo import ContentItem


def pack_items(pack: ContentPack) -> list[ContentItem]:
    """Every item of `pack` in pack order; each item's `data` is its JSON form."""
    items: list[ContentItem] = []
    for s in pack.surveys:
        items.append(
            ContentItem(
                "survey", s.id, s.title.ko, _data(s), opens_at=s.opens_at, closes_at=s.closes_at
            )
        )
    for c in pack.contests:
        items.append(
            ContentItem(
                "contest", c.id, c.title.ko, _data(c), opens_at=c.opens_at, closes_at=c.closes_at
            )
        )
    for p in pack.proposals:
        items.append(
            ContentItem(
                "proposal",
                p.id,
                p.title.ko,
                _data(p),
                dong=p.dong,
                topic=p.topic,
                status=p.status,
                agree_count=p.agree_count,
                deadline=p.deadline,
            )
        )
    if pack.budget is not None:
        items += _budget_items(pack, pack.budget)
    for m in pack.promotions:
        items.append(
            ContentItem(
                "promotion",
                m.id,
                m.title.ko,
                _data(m),
                starts_at=m.starts_at,
                ends_at=m.ends_at,
                priority=m.priority,
                emergency=m.emergency,
            )
        )
    for v in pack.videos:
        items.append(ContentItem("video", v.id, v.title.ko, _data(v), duration_s=v.duration_s))
    return items


def _budget_items(pack: ContentPack, vote: BudgetVote) -> list[ContentItem]:
    items: list[ContentItem] = []
    for ballot in vote.ballots:
        dong = pack.district.dong(ballot.dong)
        dong_name = dong.name.ko if dong is not None else ballot.dong
        result = vote.result_for(ballot.dong)
        # A ballot row stands alone: it carries its vote's id and its published result.
        data = {
            **_data(ballot),
            "budget_id": vote.id,
            "result": _data(result) if result is not None else None,
        }
        items.append(
            ContentItem(
                "ballot",
                ballot.id,
                f"{vote.title.ko} · {dong_name}",
                data,
                dong=ballot.dong,
                opens_at=vote.opens_at,
                closes_at=vote.closes_at,
            )
        )
        for project in ballot.projects:
            items.append(
                ContentItem(
                    "ballot_project",
                    project.id,
                    project.title.ko,
                    _data(project),
                    parent_id=ballot.id,
                    dong=ballot.dong,
                    cost_won=project.cost_won,
                )
            )
    return items


def _data(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
