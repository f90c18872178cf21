"""미리보기: the saved draft item as a kiosk or media board draws it (server.previews draws it
with the kiosk's own screens in a subprocess; the page polls with htmx until the pictures are
ready, or says in Korean why there are none)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from server import content, drafts, previews
from server.console.base import (
    PREFIX,
    SECURITY_HEADERS,
    ConsoleRefusal,
    page,
    render,
    state_of,
    templates,
)
from server.console.content import ITEM_FORMS, PREVIEWABLE
from server.console.forms import HOME, current_draft
from server.staff import SignedIn

router = APIRouter(prefix=PREFIX, include_in_schema=False)
# Every item form offers the 미리보기 of a saved item of these sections (content_form.html).
templates.env.globals["previewable_sections"] = PREVIEWABLE

PREVIEW_PATH = f"{HOME}/draft/preview"
POLL_S = 1


def _previews(request: Request) -> previews.Previews:
    found = state_of(request).previews
    assert found is not None  # made when the app starts
    return found


def _outcome(request: Request, section: str, key: str, again: bool = False) -> previews.Outcome:
    """The item's preview, asked for (drawn in the background) if it is not there yet."""
    draft = current_draft(request)
    if section not in PREVIEWABLE or draft.item(section, key) is None:
        raise ConsoleRefusal(404, "초안에 그런 항목이 없거나, 미리보기가 없는 종류입니다.")
    return _previews(request).request(_document(request, draft), section, key, again=again)


def _document(request: Request, draft: drafts.Draft) -> dict[str, Any]:
    """The draft's items as one pack document, under the live version's header (schema and
    content version): the pack the kiosk draws the item in."""
    live = content.newest_manifest(state_of(request).db)
    if live is None:
        raise ConsoleRefusal(409, "게시된 콘텐츠가 없어 미리보기를 그릴 수 없습니다.")
    header = {
        k: v
        for k, v in json.loads(live.body).items()
        if k not in drafts.SINGLE_SECTIONS and k not in drafts.LIST_SECTIONS
    }
    return drafts.join({(i.section, i.key): i.body for i in draft.items}, header)


def _shown(
    request: Request, signed_in: SignedIn, template: str, section: str, key: str, again: bool
) -> HTMLResponse:
    draft = current_draft(request)
    item = draft.item(section, key)
    outcome = _outcome(request, section, key, again)
    form = ITEM_FORMS.get(section)
    return render(
        request,
        template,
        signed_in,
        title=f"미리보기: {item.title if item else key}",
        draft=draft,
        item=item,
        section=section,
        outcome=outcome,
        pictures=previews.PICTURES,
        poll_s=POLL_S,
        edit_path=(f"{HOME}/draft/{form}" if form else f"{HOME}/draft/item?section={section}"),
    )


@router.get("/content/draft/preview", response_class=HTMLResponse)
def preview_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    section: str = "",
    key: str = "",
    again: bool = False,
) -> HTMLResponse:
    """The item's pictures, portrait and landscape at 100 % and 200 % text."""
    return _shown(request, signed_in, "content_preview.html", section, key, again)


@router.get("/content/draft/preview/state", response_class=HTMLResponse)
def preview_state(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    section: str = "",
    key: str = "",
) -> HTMLResponse:
    """The pictures' part of the page, which htmx asks for again until they are drawn."""
    return _shown(request, signed_in, "content_preview_state.html", section, key, False)


@router.get("/content/previews/{digest}/{name}.png")
def preview_picture(
    request: Request,
    digest: str,
    name: str,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
) -> Response:
    path = _previews(request).picture(digest, name)
    if path is None:
        raise ConsoleRefusal(404, "그런 미리보기 그림이 없습니다. 미리보기를 다시 여세요.")
    return FileResponse(path, media_type="image/png", headers=SECURITY_HEADERS)
