"""미디어 올리기: a picture or an MP4 clip (and, for a clip, its WebVTT subtitles) uploaded
into the draft as a new promotion or video (server.media checks and stores it; this module reads
the streamed form, asks `allowed`, and renders).

The body is never read into memory: it is refused by its declared size before a byte is read,
and otherwise streamed straight to the assets' disk (server.uploads: each file written once,
hashed as it comes) while it is counted, so a body past the limit that did not declare its size
is cut off there too, and a file cut off or refused leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import Message, Receive

from contract.subtitles import webvtt_problems
from server import audit, content, drafts, media, uploads
from server.console import video_form
from server.console.base import (
    KST,
    PREFIX,
    ConsoleRefusal,
    actor_of,
    check_csrf,
    page,
    redirect,
    render,
    signed_in_of,
    state_of,
)
from server.console.forms import (
    HOME,
    UNREADABLE_FORM,
    audience_choices,
    audience_shown,
    audience_typed,
    current_draft,
    platform_url,
    with_audience,
)
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

MEDIA_PATH = f"{HOME}/draft/media"
PURPOSES = (
    ("promotion", "홍보 (전광판·대기 화면에 나오는 그림이나 영상, 영상은 자막 가능)"),
    ("video", "영상센터 영상 (주민이 골라 보는 영상, 자막 가능)"),
)
# The form's own fields beside the files: a few KiB at most.
FORM_SLACK = 64 * 1024
MAX_SUBTITLE_BYTES = 2 * 1024 * 1024
UPLOADS = "media/uploads"  # where uploads are in the pack
PROMOTION_RUNS = timedelta(days=7)
# The purpose the video form's 새 자막 파일로 바꾸기 posts: a .vtt for a video of the draft.
SUBTITLES_ONLY = "subtitles"


class BodyTooLarge(Exception):
    """The streamed body passed the limit."""


def counted(receive: Receive, limit: int) -> Receive:
    """`receive`, raising BodyTooLarge once more than `limit` bytes of body have come."""
    seen = 0

    async def counting() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise BodyTooLarge
        return message

    return counting


def _page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    values: dict[str, Any],
    status_code: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    values = {**audience_shown({}), **values}
    limit = state_of(request).settings.max_media_bytes
    response = render(
        request,
        "content_media.html",
        signed_in,
        status_code=status_code,
        title="미디어 올리기",
        draft=draft,
        values=values,
        errors=errors or {},
        purposes=PURPOSES,
        limit=media.shown_size(limit),
        max_promotion_min=f"{media.MAX_PROMOTION_S / 60:g}",
        max_video_min=f"{media.MAX_VIDEO_S / 60:g}",
        can_edit=allowed(signed_in.staff, "content.edit"),
        **audience_choices(draft, state_of(request).db),
    )
    if status_code in (413, 507):
        # The rest of the body may not have been read: the browser must not send more here.
        response.headers["Connection"] = "close"
    return response


@router.get("/content/draft/media", response_class=HTMLResponse)
def media_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    purpose: str = "promotion",
) -> HTMLResponse:
    values = {"purpose": purpose if purpose in dict(PURPOSES) else "promotion"}
    return _page(request, signed_in, current_draft(request), values)


FILE_LABELS = {"file": "파일", "subtitles": "자막 파일"}


@router.get("/content/draft/file")
def draft_file(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    path: str = "",
) -> Response:
    """A picture of the draft's files (a thumbnail in a form, a choice in a picker), as the
    server stores it; only pictures, only files the open draft names."""
    entry = current_draft(request).item("files", path)
    if entry is None or not str(entry.body.get("media_type", "")).startswith("image/"):
        raise ConsoleRefusal(404, "초안에 그런 그림이 없습니다.")
    state = state_of(request)
    stored = content.find_asset(state.db, state.settings.assets_dir, entry.body["sha256"])
    if stored is None:
        raise ConsoleRefusal(404, "서버에 그 그림 파일이 없습니다.")
    return FileResponse(
        stored.path,
        media_type=stored.media_type,
        headers={"Cache-Control": "private, max-age=3600"},
    )


def _typed(form: uploads.StreamedForm) -> dict[str, Any]:
    typed: dict[str, Any] = {n: form.text(n) for n in ("purpose", "title_ko", "description_ko")}
    return {**typed, **audience_typed(form.all)}


@router.post("/content/draft/media", response_class=HTMLResponse)
async def upload_media(request: Request) -> Response:
    """Check the upload and add it to the draft as a new promotion or video; or show the form
    again with the problem beside its field (413 for a file over the limit)."""
    signed_in = signed_in_of(request)
    if signed_in is None:
        raise ConsoleRefusal(401, "로그인이 필요합니다. 다시 로그인하세요.")
    if not allowed(signed_in.staff, "content.edit"):
        raise ConsoleRefusal(403, "이 일을 할 권한이 없습니다.")
    draft = current_draft(request)
    settings = state_of(request).settings
    limit = settings.max_media_bytes
    declared = request.headers.get("content-length", "")
    too_big = {"file": media.too_large(int(declared) if declared.isdigit() else None, limit)}
    if declared.isdigit() and int(declared) > limit + MAX_SUBTITLE_BYTES + FORM_SLACK:
        return _page(request, signed_in, draft, {"purpose": "promotion"}, 413, too_big)
    streamed = Request(
        request.scope, counted(request.receive, limit + MAX_SUBTITLE_BYTES + FORM_SLACK)
    )
    try:
        form = await uploads.read_form(
            streamed,
            uploads.landing_dir(settings.assets_dir),
            {"file": limit, "subtitles": MAX_SUBTITLE_BYTES},
            FILE_LABELS,
            FORM_SLACK,
        )
    except BodyTooLarge:
        too_big = {"file": media.too_large(None, limit)}
        return _page(request, signed_in, draft, {"purpose": "promotion"}, 413, too_big)
    except media.MediaRefused as e:
        return _page(
            request, signed_in, draft, {"purpose": "promotion"}, e.status, {e.field: e.message}
        )
    try:
        check_csrf(request, signed_in, form.fields)
        if form.text("draft") != str(draft.id):
            raise ConsoleRefusal(
                409, "이 양식의 초안은 이미 게시되었거나 버려졌습니다. 화면을 새로 여세요."
            )
        values = _typed(form)
        if values["purpose"] == SUBTITLES_ONLY:
            return await _replace_subtitles(request, signed_in, draft, form)
        try:
            done = await run_in_threadpool(_take, request, signed_in, draft, values, form)
        except media.MediaRefused as e:
            return _page(request, signed_in, draft, values, e.status, {e.field: e.message})
        except drafts.DraftRefused as e:
            return _page(request, signed_in, draft, values, 400, {"form": e.message})
    finally:
        form.close()
    return redirect(done)


def _take(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    values: dict[str, Any],
    form: uploads.StreamedForm,
) -> str:
    """Check the upload, then store it and add it to the draft (on a worker thread: ffprobe and
    the disk take time); the page to go to next. MediaRefused naming the field that is wrong,
    before anything is stored."""
    purpose = values["purpose"]
    sent, subtitles = form.file("file"), form.file("subtitles")
    _check_fields(values, sent)
    assert sent is not None
    clip = _not_empty("file", sent[1])
    state = state_of(request)
    db, by = state.db, actor_of(request, signed_in)
    longest = media.MAX_VIDEO_S if purpose == "video" else media.MAX_PROMOTION_S
    probed = media.inspect(clip.path, "file", longest)
    if purpose == "video" and probed.kind != "video":
        raise media.MediaRefused(
            "file", "영상센터에는 MP4 영상을 올립니다. 그림은 '홍보'로 올리세요."
        )
    if subtitles is not None and probed.kind != "video":
        raise media.MediaRefused(
            "subtitles", "자막은 MP4 영상에만 붙일 수 있습니다. 그림은 자막 없이 올리세요."
        )
    vtt = None
    if subtitles is not None:
        vtt = _not_empty("subtitles", subtitles[1])
        _check_subtitles(subtitles[0], vtt)
    thumb = None
    if purpose == "video":
        made = uploads.landing_dir(state.settings.assets_dir) / f".thumbnail-{clip.sha256}.jpg"
        try:
            media.thumbnail(clip.path, probed.duration_s or 0, made)
            thumb = media.hashed(made)
        except BaseException:
            made.unlink(missing_ok=True)
            raise
        form.remove_afterwards(made)
    # Everything checked: now stored and named in the draft.
    add = _adder(request, draft, by)
    asset = add(clip, probed.media_type, probed.suffix)
    now = datetime.now(KST).replace(microsecond=0)
    if purpose == "promotion":
        body = _promotion(values, probed, asset, now)
    else:
        assert thumb is not None
        body = _video(draft, values, probed, asset, add(thumb, "image/jpeg", "jpg"), now)
    if vtt is not None:
        body["subtitles"] = add(vtt, "text/vtt", "vtt")
    body = with_audience(body, values, None)
    if purpose == "promotion":
        key = drafts.add_item(db, draft.id, "promotions", body, by)
        return f"{HOME}/draft/promotion?key={quote(key)}"
    key = drafts.add_item(db, draft.id, "videos", body, by)
    return f"{HOME}/draft/{video_form.PATH}?key={quote(key)}"


async def _replace_subtitles(
    request: Request, signed_in: SignedIn, draft: drafts.Draft, form: uploads.StreamedForm
) -> Response:
    """새 자막 파일로 바꾸기 on the video form: the .vtt checked, stored and named as the video's
    subtitles, saved from the revision the form was opened at (409 when another editor saved
    the video first); refused, the video form again with the problem beside the file."""
    video = draft.item("videos", form.text("key"))
    if video is None:
        raise ConsoleRefusal(409, "다른 직원이 이 영상을 초안에서 뺐습니다. 저장하지 않았습니다.")
    try:
        revision = int(form.text("revision"))
    except ValueError:
        raise ConsoleRefusal(400, UNREADABLE_FORM) from None
    by = actor_of(request, signed_in)

    def replace() -> None:
        sent = form.file("subtitles")
        if sent is None:
            raise media.MediaRefused("subtitles", "바꿀 자막 파일(.vtt)을 고르세요.")
        vtt = _not_empty("subtitles", sent[1])
        _check_subtitles(sent[0], vtt)
        body = {**video.body, "subtitles": _adder(request, draft, by)(vtt, "text/vtt", "vtt")}
        drafts.save_item(state_of(request).db, draft.id, "videos", video.key, body, revision, by)

    try:
        await run_in_threadpool(replace)
    except media.MediaRefused as e:
        errors = {"new_subtitles": e.message}
        return video_form.page_of(request, signed_in, draft, video, e.status, errors)
    except drafts.DraftConflict as e:
        raise ConsoleRefusal(409, e.message) from None
    except drafts.DraftRefused as e:
        errors = {"new_subtitles": e.message}
        return video_form.page_of(request, signed_in, draft, video, 400, errors)
    return redirect(f"{HOME}/draft/{video_form.PATH}?key={quote(video.key)}&done=subtitles")


def _not_empty(field: str, file: media.Received) -> media.Received:
    if file.size == 0:
        raise media.MediaRefused(field, "빈 파일입니다. 다른 파일을 고르세요.")
    return file


def _check_fields(values: dict[str, Any], file: tuple[str, media.Received] | None) -> None:
    purpose = values["purpose"]
    if purpose not in dict(PURPOSES):
        raise media.MediaRefused("purpose", "어디에 쓸지 고르세요.")
    if not values["title_ko"]:
        raise media.MediaRefused("title_ko", "제목을 입력하세요.")
    if purpose == "video" and not values["description_ko"]:
        raise media.MediaRefused("description_ko", "영상센터에 보일 설명을 입력하세요.")
    if file is None:
        raise media.MediaRefused("file", "올릴 그림이나 MP4 영상 파일을 고르세요.")


def _check_subtitles(filename: str, vtt: media.Received) -> None:
    if not filename.lower().endswith(".vtt"):
        raise media.MediaRefused("subtitles", "자막은 WebVTT(.vtt) 파일로 올리세요.")
    problems = webvtt_problems(vtt.path.read_bytes())
    if problems:
        raise media.MediaRefused("subtitles", "자막 파일을 읽을 수 없습니다. " + " ".join(problems))


def _adder(
    request: Request, draft: drafts.Draft, by: audit.Actor
) -> Callable[[media.Received, str, str], str]:
    """A function that stores a checked file, names it in the draft's files (once) and
    returns its path in the pack."""
    state = state_of(request)

    def add(file: media.Received, media_type: str, suffix: str) -> str:
        path = f"{UPLOADS}/{file.sha256[:16]}.{suffix}"
        entry = media.store(state.db, state.settings.assets_dir, file, media_type, path)
        if draft.item("files", path) is None:
            drafts.add_item(state.db, draft.id, "files", entry, by)
        return path

    return add


def _promotion(
    values: dict[str, Any], probed: media.Probed, asset: str, now: datetime
) -> dict[str, Any]:
    """A new promotion showing the upload from now for a week (its form sets the rest)."""
    body: dict[str, Any] = {
        "id": f"{probed.kind}-{now:%Y%m%d-%H%M%S}",
        "kind": probed.kind,
        "title": {"ko": values["title_ko"]},
        "asset": asset,
        "starts_at": now.isoformat(),
        "ends_at": (now + PROMOTION_RUNS).isoformat(),
        "priority": 0,
    }
    if probed.duration_s is not None:
        body["duration_s"] = round(min(probed.duration_s, media.MAX_PROMOTION_S), 1)
    return body


def _video(
    draft: drafts.Draft,
    values: dict[str, Any],
    probed: media.Probed,
    asset: str,
    thumbnail: str,
    now: datetime,
) -> dict[str, Any]:
    key = f"video-{now:%Y%m%d-%H%M%S}"
    return {
        "id": key,
        "title": {"ko": values["title_ko"]},
        "description": {"ko": values["description_ko"]},
        "asset": asset,
        "thumbnail": thumbnail,
        "duration_s": round(probed.duration_s or 0, 1),
        "url": f"{platform_url(draft).rstrip('/')}/videos/{key}",
    }
