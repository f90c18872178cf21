"""미리보기: the saved draft item as a kiosk or media board draws it (server.previews draws it
with the kiosk's own screens in a subprocess; the page polls with htmx until the pictures are
ready, or says in Korean why there are none). It is drawn in the pack publishing the draft would
make (`drafts.becoming`): the live content with the draft's changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from server import drafts, previews
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
# What the four pictures show, said above them.
FIRST_SCREEN = {
    "promotions": (
        "전광판(미디어 보드)에 나오는 모습입니다. 자막이 있는 영상은 첫 자막이 나오는 장면입니다."
    ),
    "district": "전광판에 내보낼 홍보가 없을 때 나오는 구 안내 카드입니다.",
    "budget": "주민이 투표할 때 보는 첫 동의 사업 목록입니다 (사업 하나를 고른 모습).",
    "lessons": "코치가 레슨을 틀었을 때 따라하기의 첫 단계입니다. 누를 곳이 밝게 표시됩니다.",
}
KIOSK_FIRST_SCREEN = "주민이 키오스크에서 처음 만나는 화면입니다."
# The further screens' pictures (kiosk.preview's question_N / step_N): a heading, its note,
# and each picture's caption ({n}: its number).
FURTHER_SCREENS = {
    "surveys": (
        "질문 화면",
        "세로 화면 · 글자 보통 · 보이게 하는 조건이 있는 질문은 그 답을 고른 뒤의 모습",
        ("질문 {n}",),
    ),
    "budget": (
        "투표 단계 화면",
        "세로 화면 · 글자 보통",
        (
            "주민참여예산 첫 화면",
            "동 고르기",
            "고른 사업 확인 (투표 단계)",
            "사업 제안하기 첫 단계 (주민 제안 접수 기간)",
        ),
    ),
}


def further_pictures(section: str, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, caption) of each further picture, in order."""
    captions = FURTHER_SCREENS.get(section, ("", "", ("{n}",)))[2]
    return [
        (name, captions[min(i, len(captions) - 1)].format(n=i + 1)) for i, name in enumerate(names)
    ]


def _previews(request: Request) -> previews.Previews:
    found = state_of(request).previews
    assert found is not None  # made when the app starts
    return found


def _outcome(
    request: Request, section: str, key: str, again: bool = False
) -> tuple[previews.Outcome, bool]:
    """The item's preview, asked for (drawn in the background) if it is not there yet, and
    whether the item is one publishing cannot take now (changed in a version published since:
    the picture shows the live one)."""
    draft = current_draft(request)
    if section not in PREVIEWABLE or draft.item(section, key) is None:
        raise ConsoleRefusal(404, "초안에 그런 항목이 없거나, 미리보기가 없는 종류입니다.")
    try:
        becoming = drafts.becoming(state_of(request).db, draft.id)
    except drafts.DraftRefused as e:
        raise ConsoleRefusal(409, f"미리보기를 그릴 수 없습니다: {e}") from e
    outcome = _previews(request).request(becoming.document, section, key, again=again)
    return outcome, (section, key) in becoming.conflicts


def _shown(
    request: Request, signed_in: SignedIn, template: str, section: str, key: str, again: bool
) -> HTMLResponse:
    draft = current_draft(request)
    item = draft.item(section, key)
    outcome, conflicted = _outcome(request, section, key, again)
    form = "district" if section == "district" else ITEM_FORMS.get(section)
    further = FURTHER_SCREENS.get(section, ("", "", ()))
    return render(
        request,
        template,
        signed_in,
        title=f"미리보기: {item.title if item else key}",
        draft=draft,
        item=item,
        section=section,
        outcome=outcome,
        conflicted=conflicted,
        first_screen=FIRST_SCREEN.get(section, KIOSK_FIRST_SCREEN),
        further=further_pictures(section, outcome.further),
        further_heading=further[0],
        further_note=further[1],
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
