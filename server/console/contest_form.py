"""공모 양식: a contest of the draft written in a form: title, text, window, address, whether it
takes ideas (응모 받기), its vote (how many entries a resident may vote for) and its entries
(title, text, the picture from the pack's files, author as shown). Checked by the kiosk's own
models through server.drafts like every item, each problem beside its field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData

from server import drafts
from server.console.base import KST, form_field
from server.console.forms import (
    ItemForm,
    by_path,
    document_of,
    item_router,
    item_url,
    korean,
    left_empty,
    picture_choices,
    shown_time,
    with_korean,
)

CONTEST_FIELDS = ("id", "title_ko", "description_ko", "opens_at", "closes_at", "url", "max_votes")
ENTRY_FIELDS = ("id", "title", "description", "image", "author")
TEXTS = {"title": "title_ko", "description": "description_ko"}
REQUIRED = {"title_ko": "제목을 입력하세요.", "description_ko": "설명을 입력하세요."}
ENTRY_REQUIRED = {
    "title": "제목을 입력하세요.",
    "description": "설명을 입력하세요.",
    "author": "응모자를 입력하세요.",
    "image": "그림을 고르세요.",
}
CONTEST_FIELD_OF = {
    "id": "id",
    "title": "title_ko",
    "description": "description_ko",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
    "url": "url",
    "vote": "max_votes",
    "accepts_entries": "accepts_entries",
    "entries": "entries",
}


def values_of(body: dict[str, Any]) -> dict[str, Any]:
    vote = body.get("vote")
    return {
        "id": body.get("id", ""),
        "title_ko": korean(body.get("title")),
        "description_ko": korean(body.get("description")),
        "opens_at": shown_time(body.get("opens_at")),
        "closes_at": shown_time(body.get("closes_at")),
        "url": body.get("url", ""),
        "accepts_entries": bool(body.get("accepts_entries", True)),
        "has_vote": vote is not None,
        "max_votes": str(vote["max_votes"]) if vote else "1",
        "one_vote_per_resident": bool(vote.get("one_vote_per_resident")) if vote else False,
        "entries": [
            {
                "id": e.get("id", ""),
                "title": korean(e.get("title")),
                "description": korean(e.get("description")),
                "image": e.get("image", ""),
                "author": e.get("author", ""),
                "was": e.get("id", ""),
            }
            for e in body.get("entries", [])
        ],
    }


def typed_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: form_field(form, name) for name in CONTEST_FIELDS}
    values["accepts_entries"] = form_field(form, "accepts_entries") == "on"
    values["has_vote"] = form_field(form, "has_vote") == "on"
    values["one_vote_per_resident"] = form_field(form, "one_vote_per_resident") == "on"
    entries = []
    for i in range(int(form_field(form, "entry_count") or "0")):
        if form_field(form, f"e-{i}-remove") == "on":
            continue
        entry = {name: form_field(form, f"e-{i}-{name}") for name in ENTRY_FIELDS}
        entry["was"] = form_field(form, f"e-{i}-was")
        entries.append(entry)
    if form_field(form, "do") == "add_entry":
        entries.append(
            {
                "id": f"e{len(entries) + 1}",
                "title": "",
                "description": "",
                "image": "",
                "author": "",
                "was": "",
            }
        )
    values["entries"] = entries
    return values


def contest_of(
    values: dict[str, Any], was: dict[str, Any] | None, draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    body, problems = document_of(values, was, TEXTS, ("opens_at", "closes_at"), REQUIRED)
    body["url"] = item_url(values["url"], draft, "contest", body["id"])
    body["accepts_entries"] = values["accepts_entries"]
    if values["has_vote"]:
        try:
            body["vote"] = {"max_votes": int(values["max_votes"])}
            if values["one_vote_per_resident"]:  # off is the pack's default: left out
                body["vote"]["one_vote_per_resident"] = True
        except ValueError:
            problems["max_votes"] = "정수를 입력하세요. 예: 1, 3"
    else:
        body["vote"] = None
    old = {e["id"]: e for e in (was or {}).get("entries", [])}
    entries = []
    for i, e in enumerate(values["entries"]):
        before = old.get(e["was"] or e["id"], {})
        problems.update(left_empty(e, ENTRY_REQUIRED, f"e-{i}-"))
        entries.append(
            {
                **before,
                "id": e["id"],
                "title": with_korean(before.get("title"), e["title"]),
                "description": with_korean(before.get("description"), e["description"]),
                "image": e["image"],
                "author": e["author"],
            }
        )
    body["entries"] = entries
    return body, problems


def new_contest(_query: Mapping[str, str]) -> dict[str, Any]:
    """A new contest taking ideas from now to the end of today."""
    now = datetime.now(KST).replace(second=0, microsecond=0)
    return {
        "id": f"contest-{now:%Y%m%d-%H%M}",
        "opens_at": now.isoformat(),
        "closes_at": now.replace(hour=23, minute=59).isoformat(),
        "accepts_entries": True,
    }


FORM = ItemForm(
    path="contest",
    section="contests",
    template="content_contest.html",
    noun="공모",
    missing="초안에 그런 공모가 없습니다. 다른 직원이 뺐을 수 있습니다.",
    shown=values_of,
    read=typed_values,
    build=contest_of,
    field_of=by_path(CONTEST_FIELD_OF, {"entries": "e"}),
    new=new_contest,
    context=lambda draft: {"images": picture_choices(draft)},
    grows="add_entry",
    targeted=True,
)
router = item_router(FORM)
