"""영상센터 영상 양식: the words of a video-centre video after its upload (title, description) and
its subtitles (one of the draft's .vtt files, none, or a new file uploaded from this page through
미디어 올리기), saved through the form steps every content form shares (server.console.forms):
checked by the kiosk's own models, each problem beside its field, 409 when another editor saved
first, audited by server.drafts. A video is made by its upload only (the file, its length and
its thumbnail come from the server's checks), so this form edits and never adds."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData

from server import drafts
from server.console.base import form_field
from server.console.forms import (
    ItemForm,
    by_path,
    document_of,
    file_choices,
    item_page,
    item_router,
    korean,
)
from server.staff import SignedIn

PATH = "video"
FIELDS = {"title": "title_ko", "description": "description_ko", "subtitles": "subtitles"}


def values_of(video: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": video.get("id", ""),
        "title_ko": korean(video.get("title")),
        "description_ko": korean(video.get("description")),
        "subtitles": video.get("subtitles") or "",
    }


def typed_values(form: FormData) -> dict[str, Any]:
    return {name: form_field(form, name) for name in ("title_ko", "description_ko", "subtitles")}


def video_of(
    values: dict[str, Any], was: dict[str, Any] | None, _draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    """The video with the typed words and subtitles; the file, its length and thumbnail stay."""
    assert was is not None  # the form only edits: item_router refuses a new one
    values = {**values, "id": was["id"]}
    body, problems = document_of(
        values,
        was,
        {"title": "title_ko", "description": "description_ko"},
        (),
        {"title_ko": "제목을 입력하세요.", "description_ko": "영상센터에 보일 설명을 입력하세요."},
    )
    if values["subtitles"]:
        body["subtitles"] = values["subtitles"]
    else:
        body.pop("subtitles", None)
    return body, problems


FORM = ItemForm(
    path=PATH,
    section="videos",
    template="content_video.html",
    noun="영상센터 영상",
    missing="초안에 그런 영상이 없습니다. 다른 직원이 뺐을 수 있습니다.",
    shown=values_of,
    read=typed_values,
    build=video_of,
    field_of=by_path(FIELDS),
    context=lambda draft: {"subtitle_files": [(p, p) for p, _ in file_choices(draft, "text/vtt")]},
    targeted=True,
)
router = item_router(FORM)


def page_of(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    video: drafts.DraftItem,
    status_code: int,
    errors: dict[str, str],
) -> HTMLResponse:
    return item_page(request, FORM, signed_in, draft, video, status_code, errors)
