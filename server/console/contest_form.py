"""공모 양식: a contest of the draft written in a form: title, text, window, address, whether it
takes ideas (응모 받기), its vote (how many entries a resident may vote for) and its entries
(title, text, the picture from the pack's files, author as shown). Checked by the kiosk's own
models through server.drafts like every item, each problem beside its field."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from server import drafts
from server.console.base import (
    KST,
    PREFIX,
    ConsoleRefusal,
    Posted,
    action,
    form_field,
    page,
    redirect,
    render,
)
from server.console.content import (
    HOME,
    current_draft,
    form_target,
    korean,
    platform_url,
    read_times,
    shown_time,
    store_form_item,
    with_korean,
)
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

CONTEST_FIELDS = ("id", "title_ko", "description_ko", "opens_at", "closes_at", "url", "max_votes")
ENTRY_FIELDS = ("id", "title", "description", "image", "author")
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
    values: dict[str, Any], was: dict[str, Any] | None, platform_url: str
) -> tuple[dict[str, Any], dict[str, str]]:
    body: dict[str, Any] = dict(was or {})
    problems: dict[str, str] = {}
    body["id"] = values["id"] if was is None else was["id"]
    for name, words in (("title", "제목을 입력하세요."), ("description", "설명을 입력하세요.")):
        body[name] = with_korean(body.get(name), values[f"{name}_ko"])
        if not values[f"{name}_ko"]:
            problems[f"{name}_ko"] = words
    read_times(values, ("opens_at", "closes_at"), body, problems)
    body["url"] = values["url"] or f"{platform_url.rstrip('/')}/contest/{body['id']}"
    body["accepts_entries"] = values["accepts_entries"]
    if values["has_vote"]:
        try:
            body["vote"] = {"max_votes": int(values["max_votes"])}
        except ValueError:
            problems["max_votes"] = "정수를 입력하세요. 예: 1, 3"
    else:
        body["vote"] = None
    old = {e["id"]: e for e in (was or {}).get("entries", [])}
    entries = []
    for i, e in enumerate(values["entries"]):
        before = old.get(e["was"] or e["id"], {})
        for name, words in (
            ("title", "제목을 입력하세요."),
            ("description", "설명을 입력하세요."),
            ("author", "응모자를 입력하세요."),
            ("image", "그림을 고르세요."),
        ):
            if not e[name]:
                problems[f"e-{i}-{name}"] = words
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


def form_errors(refused: drafts.DraftRefused) -> dict[str, str]:
    """Problems by the form's field: entries.2.image -> e-2-image, vote.max_votes…"""
    errors: dict[str, str] = {}
    for path, text in (refused.paths or {"": refused.message}).items():
        parts = path.split(".") if path else []
        if parts[:1] == ["entries"] and len(parts) >= 3:
            name = f"e-{parts[1]}-{parts[2]}"
        else:
            name = CONTEST_FIELD_OF.get(parts[0], "form") if parts else "form"
        errors.setdefault(name, text)
    return errors


def _form_page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    values: dict[str, Any],
    item: drafts.DraftItem | None,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "content_contest.html",
        signed_in,
        status_code=status_code,
        title=f"고치기: {item.title}" if item else "새 공모",
        draft=draft,
        item=item,
        values=values,
        errors=errors or {},
        images=[
            i.body["path"]
            for i in draft.items
            if i.section == "files" and i.body["media_type"].startswith("image/")
        ],
        can_edit=allowed(signed_in.staff, "content.edit"),
    )


@router.get("/content/draft/contest", response_class=HTMLResponse)
def contest_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    key: str = "",
) -> HTMLResponse:
    draft = current_draft(request)
    if not key:
        now = datetime.now(KST).replace(second=0, microsecond=0)
        new = {
            "id": f"contest-{now:%Y%m%d-%H%M}",
            "opens_at": now.isoformat(),
            "closes_at": now.replace(hour=23, minute=59).isoformat(),
            "accepts_entries": True,
        }
        return _form_page(request, signed_in, draft, values_of(new), None)
    item = draft.item("contests", key)
    if item is None:
        raise ConsoleRefusal(404, "초안에 그런 공모가 없습니다. 다른 직원이 뺐을 수 있습니다.")
    return _form_page(request, signed_in, draft, values_of(item.body), item)


@router.post("/content/draft/contest", response_class=HTMLResponse)
def save_contest(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    """Add the new contest or save the one named by `key`; 응모작 추가 only shows the form
    again with one more entry (nothing is saved)."""
    draft, item = form_target(request, posted, "contests")
    try:
        values = typed_values(posted.form)
    except ValueError:
        raise ConsoleRefusal(400, "양식이 올바르지 않습니다. 화면을 새로 여세요.") from None
    if form_field(posted.form, "do") == "add_entry":
        return _form_page(request, posted.signed_in, draft, values, item)
    body, problems = contest_of(values, item.body if item else None, platform_url(draft))
    errors = store_form_item(request, posted, draft, item, "contests", body, problems, form_errors)
    if errors is not None:
        return _form_page(request, posted.signed_in, draft, values, item, 400, errors)
    return redirect(f"{HOME}/draft?done={'saved' if item else 'added'}#section-contests")
