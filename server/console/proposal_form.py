"""정책제안 양식: a proposal shown at kiosks, typed in a form (as 온통중구 has it: title, text,
dong, topic, author as shown, when it was written, the agree deadline and count, the district's
answer); checked by the kiosk's own models through server.drafts, each problem beside its
field. (Proposals residents write at kiosks come through 제안 검토.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from contract.content import TOPIC_NAMES
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

FIELDS = (
    "id",
    "title_ko",
    "body_ko",
    "dong",
    "topic",
    "author",
    "created_at",
    "deadline",
    "status",
    "agree_count",
    "url",
    "district_answer",
)
FIELD_OF = {"title": "title_ko", "body": "body_ko"}
STATUS_LABELS = {"open": "공감 받는 중", "withdrawn": "철회됨"}


def values_of(body: dict[str, Any]) -> dict[str, str]:
    return {
        "id": body.get("id", ""),
        "title_ko": korean(body.get("title")),
        "body_ko": korean(body.get("body")),
        "dong": body.get("dong", ""),
        "topic": body.get("topic", ""),
        "author": body.get("author", ""),
        "created_at": shown_time(body.get("created_at")),
        "deadline": shown_time(body.get("deadline")),
        "status": body.get("status", "open"),
        "agree_count": str(body.get("agree_count", 0)),
        "url": body.get("url", ""),
        "district_answer": body.get("district_answer") or "",
    }


def typed_values(form: FormData) -> dict[str, str]:
    return {name: form_field(form, name) for name in FIELDS}


def proposal_of(
    values: dict[str, str], was: dict[str, Any] | None, address: str
) -> tuple[dict[str, Any], dict[str, str]]:
    body: dict[str, Any] = dict(was or {})
    problems: dict[str, str] = {}
    body["id"] = values["id"] if was is None else was["id"]
    for name, words in (("title", "제목을 입력하세요."), ("body", "내용을 입력하세요.")):
        body[name] = with_korean(body.get(name), values[f"{name}_ko"])
        if not values[f"{name}_ko"]:
            problems[f"{name}_ko"] = words
    read_times(values, ("created_at", "deadline"), body, problems)
    for name, words in (
        ("dong", "동을 고르세요."),
        ("topic", "분야를 고르세요."),
        ("author", "제안한 사람을 입력하세요. 예: 신당동 주민"),
        ("status", "상태를 고르세요."),
    ):
        body[name] = values[name]
        if not values[name]:
            problems[name] = words
    try:
        body["agree_count"] = int(values["agree_count"] or "0")
    except ValueError:
        problems["agree_count"] = "정수를 입력하세요. 예: 0, 134"
    body["url"] = values["url"] or f"{address.rstrip('/')}/proposal/{body['id']}"
    body["district_answer"] = values["district_answer"] or None
    return body, problems


def form_errors(refused: drafts.DraftRefused) -> dict[str, str]:
    errors: dict[str, str] = {}
    for path, text in (refused.paths or {"": refused.message}).items():
        first = path.split(".", 1)[0]
        name = FIELD_OF.get(first, first) if first in FIELD_OF or first in FIELDS else "form"
        errors.setdefault(name, text)
    return errors


def _form_page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    values: dict[str, str],
    item: drafts.DraftItem | None,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    district = draft.item("district", "district")
    dongs = district.body.get("dongs", []) if district is not None else []
    return render(
        request,
        "content_proposal.html",
        signed_in,
        status_code=status_code,
        title=f"고치기: {item.title}" if item else "새 정책제안",
        draft=draft,
        item=item,
        values=values,
        errors=errors or {},
        dongs=[(d["id"], d["name"]["ko"]) for d in dongs],
        topics=[(t, name.ko) for t, name in TOPIC_NAMES.items()],
        statuses=list(STATUS_LABELS.items()),
        can_edit=allowed(signed_in.staff, "content.edit"),
    )


@router.get("/content/draft/proposal", response_class=HTMLResponse)
def proposal_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    key: str = "",
) -> HTMLResponse:
    draft = current_draft(request)
    if not key:
        now = datetime.now(KST).replace(second=0, microsecond=0)
        new = {
            "id": f"proposal-{now:%Y%m%d-%H%M}",
            "created_at": now.isoformat(),
            "deadline": (now + timedelta(days=30)).isoformat(),
        }
        return _form_page(request, signed_in, draft, values_of(new), None)
    item = draft.item("proposals", key)
    if item is None:
        raise ConsoleRefusal(404, "초안에 그런 제안이 없습니다. 다른 직원이 뺐을 수 있습니다.")
    return _form_page(request, signed_in, draft, values_of(item.body), item)


@router.post("/content/draft/proposal", response_class=HTMLResponse)
def save_proposal(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    draft, item = form_target(request, posted, "proposals")
    values = typed_values(posted.form)
    body, problems = proposal_of(values, item.body if item else None, platform_url(draft))
    errors = store_form_item(request, posted, draft, item, "proposals", body, problems, form_errors)
    if errors is not None:
        return _form_page(request, posted.signed_in, draft, values, item, 400, errors)
    return redirect(f"{HOME}/draft?done={'saved' if item else 'added'}#section-proposals")
