"""홍보·알림 양식: a notice or promotion of the draft written in a form (kind, text, dates,
priority, weekdays, hours, dongs, device groups, the picture or clip from the pack's files and
a clip's subtitles)
instead of JSON.

This module reads the form into the pack's Promotion document and shows what was typed again
with each problem beside its field; the rules are the kiosk's own models, asked by server.drafts
when the item is added or saved (an unreadable date or number is caught here first).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData

from contract.content import ALL_WEEKDAYS
from server import drafts
from server.console.base import KST, form_field
from server.console.forms import (
    ItemForm,
    by_path,
    document_of,
    file_choices,
    item_router,
    keep_unwritten,
    shown_time,
)

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
    "subtitles": "subtitles",
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "weekdays": "weekdays",
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
        "subtitles": body.get("subtitles") or "",
        "starts_at": shown_time(body.get("starts_at")),
        "ends_at": shown_time(body.get("ends_at")),
        "priority": str(body.get("priority", 0)),
        "duration_s": f"{body.get('duration_s', 10.0):g}",
        "weekdays": [str(d) for d in body.get("weekdays", ALL_WEEKDAYS)],
        "window_start": windows[0]["start"] if windows else "",
        "window_end": windows[0]["end"] if windows else "",
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
            "subtitles",
            "starts_at",
            "ends_at",
            "priority",
            "duration_s",
            "window_start",
            "window_end",
        )
    }
    values["weekdays"] = [v for v in form.getlist("weekdays") if isinstance(v, str)]
    values["emergency"] = form_field(form, "emergency") == "on"
    values["evergreen"] = form_field(form, "evergreen") == "on"
    return values


def promotion_of(
    values: dict[str, Any], was: dict[str, Any] | None, _draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    """The Promotion document of the typed `values` (keeping what the form does not show of
    `was`: url, weight, the English texts), and the values that cannot be read."""
    texts = {"title": "title_ko", "body": "body_ko"}
    needed = {"title_ko": "제목을 입력하세요."}
    body, problems = document_of(values, was, texts, ("starts_at", "ends_at"), needed)
    body["kind"] = values["kind"]
    body["asset"] = values["asset"] or None
    body["subtitles"] = values["subtitles"] or None
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
    body["emergency"] = values["emergency"]
    body["evergreen"] = values["evergreen"]
    return keep_unwritten(body, was, {"subtitles": None}), problems


def new_promotion(query: Mapping[str, str]) -> dict[str, Any]:
    """A new promotion of the kind asked (?kind=notice, image, video): shown from now to the
    end of today, every day, everywhere."""
    kind = query.get("kind", "notice")
    now = datetime.now(KST).replace(second=0, microsecond=0)
    chosen = kind if kind in dict(KINDS) else "notice"
    return {
        "id": f"{chosen}-{now:%Y%m%d-%H%M}",
        "kind": chosen,
        "starts_at": now.isoformat(),
        "ends_at": now.replace(hour=23, minute=59).isoformat(),
        "priority": 0,
    }


def choices(draft: drafts.Draft) -> dict[str, Any]:
    return {
        "kinds": KINDS,
        "weekday_names": list(enumerate(WEEKDAY_NAMES)),
        "media": [(p, f"{p} ({t})") for p, t in file_choices(draft, "image/", "video/")],
        "subtitle_files": [
            (p, p) for p, _ in file_choices(draft, "text/vtt", "application/x-subrip")
        ],
    }


FORM = ItemForm(
    path="promotion",
    section="promotions",
    template="content_promotion.html",
    noun="홍보·알림",
    missing="초안에 그런 홍보·알림이 없습니다. 다른 직원이 뺐을 수 있습니다.",
    shown=values_of,
    read=typed_values,
    build=promotion_of,
    field_of=by_path(FORM_FIELD_OF),
    new=new_promotion,
    context=choices,
    targeted=True,
)
router = item_router(FORM)
