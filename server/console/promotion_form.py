"""홍보·알림 양식: a notice or promotion of the draft written in a form (kind, text, dates,
priority, weekdays, hours, dongs, the picture or clip from the pack's files) instead of JSON.

This module reads the form into the pack's Promotion document and shows what was typed again
with each problem beside its field; the rules are the kiosk's own models, asked by server.drafts
when the item is added or saved (an unreadable date or number is caught here first).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from contract.content import ALL_WEEKDAYS
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
    form_errors,
    form_target,
    read_times,
    shown_time,
    store_form_item,
)
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

FORM_PATH = f"{HOME}/draft/promotion"
KINDS = (("notice", "알림 (글만)"), ("image", "그림"), ("video", "영상"))
WEEKDAY_NAMES = ("월", "화", "수", "목", "금", "토", "일")
# The promotion's fields as the form names them (the rest share their name).
FORM_FIELD_OF = {
    "title": "title_ko",
    "body": "body_ko",
    "windows": "window",
    "id": "id",
    "kind": "kind",
    "asset": "asset",
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "weekdays": "weekdays",
    "dongs": "dongs",
    "priority": "priority",
    "duration_s": "duration_s",
    "emergency": "emergency",
    "evergreen": "evergreen",
}
MEDIA_OF_KIND = {"image": "image/", "video": "video/"}


def values_of(body: dict[str, Any]) -> dict[str, Any]:
    """What the form shows for a promotion document."""
    windows = body.get("windows") or []
    return {
        "id": body.get("id", ""),
        "kind": body.get("kind", "notice"),
        "title_ko": (body.get("title") or {}).get("ko", ""),
        "body_ko": (body.get("body") or {}).get("ko", ""),
        "asset": body.get("asset") or "",
        "starts_at": shown_time(body.get("starts_at")),
        "ends_at": shown_time(body.get("ends_at")),
        "priority": str(body.get("priority", 0)),
        "duration_s": f"{body.get('duration_s', 10.0):g}",
        "weekdays": [str(d) for d in body.get("weekdays", ALL_WEEKDAYS)],
        "window_start": windows[0]["start"] if windows else "",
        "window_end": windows[0]["end"] if windows else "",
        "dongs": list(body.get("dongs") or []),
        "emergency": bool(body.get("emergency")),
        "evergreen": bool(body.get("evergreen")),
    }


def typed_values(form: FormData) -> dict[str, Any]:
    """What was typed, to show it again beside the problems."""
    values: dict[str, Any] = {
        name: form_field(form, name)
        for name in (
            "id",
            "kind",
            "title_ko",
            "body_ko",
            "asset",
            "starts_at",
            "ends_at",
            "priority",
            "duration_s",
            "window_start",
            "window_end",
        )
    }
    values["weekdays"] = [v for v in form.getlist("weekdays") if isinstance(v, str)]
    values["dongs"] = [v for v in form.getlist("dongs") if isinstance(v, str)]
    values["emergency"] = form_field(form, "emergency") == "on"
    values["evergreen"] = form_field(form, "evergreen") == "on"
    return values


def promotion_of(
    values: dict[str, Any], was: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The Promotion document of the typed `values` (keeping what the form does not show of
    `was`: groups, url, weight, the English texts), and the values that cannot be read."""
    body: dict[str, Any] = dict(was or {})
    problems: dict[str, str] = {}
    body["id"] = values["id"] if was is None else was["id"]
    body["kind"] = values["kind"]
    title = dict((was or {}).get("title") or {})
    body["title"] = {**title, "ko": values["title_ko"]} if values["title_ko"] else None
    if not values["title_ko"]:
        problems["title_ko"] = "제목을 입력하세요."
    text = dict((was or {}).get("body") or {})
    body["body"] = {**text, "ko": values["body_ko"]} if values["body_ko"] else None
    body["asset"] = values["asset"] or None
    read_times(values, ("starts_at", "ends_at"), body, problems)
    try:
        body["priority"] = int(values["priority"] or "0")
    except ValueError:
        problems["priority"] = "정수를 입력하세요. 예: 0, 10 (클수록 먼저 나옵니다)"
    try:
        body["duration_s"] = float(values["duration_s"] or "10")
    except ValueError:
        problems["duration_s"] = "초를 숫자로 입력하세요. 예: 10"
    body["weekdays"] = sorted(int(d) for d in values["weekdays"] if d.isdigit())
    start, end = values["window_start"], values["window_end"]
    if start or end:
        if not (start and end):
            problems["window"] = "시작과 끝 시각을 모두 고르거나 둘 다 비우세요 (비우면 하루 종일)."
        body["windows"] = [{"start": start, "end": end}]
    else:
        body["windows"] = []
    body["dongs"] = list(values["dongs"])
    body["emergency"] = values["emergency"]
    body["evergreen"] = values["evergreen"]
    return body, problems


def _form_page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    values: dict[str, Any],
    item: drafts.DraftItem | None,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    files = [i.body for i in draft.items if i.section == "files"]
    district: dict[str, Any] = next((i.body for i in draft.items if i.section == "district"), {})
    return render(
        request,
        "content_promotion.html",
        signed_in,
        status_code=status_code,
        title=f"고치기: {item.title}" if item else "새 홍보·알림",
        draft=draft,
        item=item,
        values=values,
        errors=errors or {},
        kinds=KINDS,
        weekday_names=list(enumerate(WEEKDAY_NAMES)),
        dongs=[(d["id"], d["name"]["ko"]) for d in district.get("dongs", [])],
        media=[
            (f["path"], f["media_type"])
            for f in files
            if f["media_type"].startswith(("image/", "video/"))
        ],
        can_edit=allowed(signed_in.staff, "content.edit"),
    )


def new_values(kind: str) -> dict[str, Any]:
    """A new promotion's form: shown from now to the end of today, every day, everywhere."""
    now = datetime.now(KST).replace(second=0, microsecond=0)
    return values_of(
        {
            "id": f"{kind}-{now:%Y%m%d-%H%M}",
            "kind": kind,
            "starts_at": now.isoformat(),
            "ends_at": now.replace(hour=23, minute=59).isoformat(),
            "priority": 0,
        }
    )


@router.get("/content/draft/promotion", response_class=HTMLResponse)
def promotion_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    key: str = "",
    kind: str = "notice",
) -> HTMLResponse:
    """The form of the draft's promotion `key`, or of a new one (no key)."""
    draft = current_draft(request)
    if not key:
        chosen = kind if kind in dict(KINDS) else "notice"
        return _form_page(request, signed_in, draft, new_values(chosen), None)
    item = draft.item("promotions", key)
    if item is None:
        raise ConsoleRefusal(404, "초안에 그런 홍보·알림이 없습니다. 다른 직원이 뺐을 수 있습니다.")
    return _form_page(request, signed_in, draft, values_of(item.body), item)


@router.post("/content/draft/promotion", response_class=HTMLResponse)
def save_promotion(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    """Add the new promotion to the draft, or save the one named by `key` from its `revision`."""
    draft, item = form_target(request, posted, "promotions")
    values = typed_values(posted.form)
    body, problems = promotion_of(values, item.body if item else None)
    errors = store_form_item(
        request,
        posted,
        draft,
        item,
        "promotions",
        body,
        problems,
        lambda e: form_errors(e, FORM_FIELD_OF),
    )
    if errors is not None:
        return _form_page(request, posted.signed_in, draft, values, item, 400, errors)
    return redirect(f"{HOME}/draft?done={'saved' if item else 'added'}#section-promotions")
