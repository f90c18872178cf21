"""The content pack as the store's rows: one `ContentItem` per survey, contest, proposal,
ballot, ballot project, promotion and video, with the fields the store queries by.

A pure function of the pack, so it is tested without a database.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from contract.content import (
    BudgetProject,
    BudgetVote,
    ContentPack,
    Contest,
    Promotion,
    Proposal,
    Survey,
    Video,
)
from kiosk.store.content_repo import ContentItem, ContentKind, kept_fields


def pack_items(pack: ContentPack) -> list[ContentItem]:
    """Every item of `pack` in pack order; each item's `data` is its JSON form."""
    items = [_row("survey", s) for s in pack.surveys]
    items += [_row("contest", c) for c in pack.contests]
    items += [_row("proposal", p) for p in pack.proposals]
    if pack.budget is not None:
        items += _budget_items(pack, pack.budget)
    items += [_row("promotion", m) for m in pack.promotions]
    items += [_row("video", v) for v in pack.videos]
    return items


def _row(
    kind: ContentKind,
    item: Survey | Contest | Proposal | BudgetProject | Promotion | Video,
    **given: Any,
) -> ContentItem:
    """An item's row: its id, Korean title and JSON form; each field the store keeps for its
    kind is the item's own field of that name, unless `given`."""
    queried = {name: getattr(item, name) for name in kept_fields(kind) if name not in given}
    return ContentItem(kind, item.id, item.title.ko, _data(item), **queried, **given)


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
            items.append(_row("ballot_project", project, parent_id=ballot.id, dong=ballot.dong))
    return items


def _data(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")
