"""정책제안 양식: a proposal shown at kiosks, typed in a form (as 온통중구 has it: title, text,
dong, topic, author as shown, when it was written, the agree deadline and count, the district's
answer); checked by the kiosk's own models through server.drafts, each problem beside its
field. (Proposals residents write at kiosks come through 제안 검토.)"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from starlette.datastructures import FormData

from contract.content import TOPIC_NAMES
from server import drafts
from server.console.base import KST, form_field
from server.console.forms import (
    ItemForm,
    by_path,
    document_of,
    dong_choices,
    item_router,
    item_url,
    korean,
    shown_time,
)

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
REQUIRED = {
    "title_ko": "제목을 입력하세요.",
    "body_ko": "내용을 입력하세요.",
    "dong": "동을 고르세요.",
    "topic": "분야를 고르세요.",
    "author": "제안한 사람을 입력하세요. 예: 신당동 주민",
    "status": "상태를 고르세요.",
}


def values_of(body: dict[str, Any]) -> dict[str, Any]:
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


def typed_values(form: FormData) -> dict[str, Any]:
    return {name: form_field(form, name) for name in FIELDS}


def proposal_of(
    values: dict[str, Any], was: dict[str, Any] | None, draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    body, problems = document_of(values, was, FIELD_OF, ("created_at", "deadline"), REQUIRED)
    for name in ("dong", "topic", "author", "status"):
        body[name] = values[name]
    try:
        body["agree_count"] = int(values["agree_count"] or "0")
    except ValueError:
        problems["agree_count"] = "정수를 입력하세요. 예: 0, 134"
    body["url"] = item_url(values["url"], draft, "proposal", body["id"])
    body["district_answer"] = values["district_answer"] or None
    return body, problems


def new_proposal(_query: Mapping[str, str]) -> dict[str, Any]:
    """A new proposal written now, open for agreeing for 30 days."""
    now = datetime.now(KST).replace(second=0, microsecond=0)
    return {
        "id": f"proposal-{now:%Y%m%d-%H%M}",
        "created_at": now.isoformat(),
        "deadline": (now + timedelta(days=30)).isoformat(),
    }


def choices(draft: drafts.Draft) -> dict[str, Any]:
    return {
        "dongs": dong_choices(draft),
        "topics": [(t, name.ko) for t, name in TOPIC_NAMES.items()],
        "statuses": list(STATUS_LABELS.items()),
    }


FORM = ItemForm(
    path="proposal",
    section="proposals",
    template="content_proposal.html",
    noun="정책제안",
    missing="초안에 그런 제안이 없습니다. 다른 직원이 뺐을 수 있습니다.",
    shown=values_of,
    read=typed_values,
    build=proposal_of,
    field_of=by_path({**{name: name for name in FIELDS}, **FIELD_OF}),
    new=new_proposal,
    context=choices,
)
router = item_router(FORM)
