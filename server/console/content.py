"""콘텐츠: the published content versions (the live one marked), the draft and its items, the
diff against the live version, publishing now or at a time, and rolling back to an earlier
version (the rules are server.drafts'; this module parses forms, asks `allowed`, calls them and
renders)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from server import audit, drafts, packs
from server.console.base import (
    KST,
    PREFIX,
    SECURITY_HEADERS,
    ConsoleRefusal,
    Posted,
    action,
    actor_of,
    form_field,
    page,
    redirect,
    render,
    state_of,
)
from server.console.forms import (
    DATETIME_FORMAT,
    HOME,
    by_path,
    current_draft,
    draft_id_of,
    errors_of,
    read_times,
    revision_of,
    shown_time,
)
from server.db import ServerDatabase
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

IMPORT_PATH = f"{HOME}/import"
# The sections whose items have a form of their own: section -> the form's path under draft/.
ITEM_FORMS = {
    "promotions": "promotion",
    "surveys": "survey",
    "contests": "contest",
    "proposals": "proposal",
    "budget": "budget",
    "lessons": "lesson",
    "videos": "video",
}
# The sections whose items a resident or passer-by meets on a screen of their own: these have a
# 미리보기 (server.console.preview).
PREVIEWABLE = (
    "district",
    "budget",
    "surveys",
    "contests",
    "proposals",
    "promotions",
    "videos",
    "lessons",
)
DONE = {
    "started": (
        "초안을 만들었습니다. 게시 중인 버전의 복사본입니다. "
        "고쳐도 게시하기 전에는 기기에 가지 않습니다."
    ),
    "saved": "항목을 초안에 저장했습니다.",
    "added": "새 항목을 초안에 넣었습니다. 게시하면 기기에 갑니다.",
    "removed": "항목을 초안에서 뺐습니다.",
    "published": "게시했습니다. 새 콘텐츠 버전이 만들어졌고, 기기는 다음 동기화 때 받습니다.",
    "scheduled": "게시를 예약했습니다. 그 시각이 되면 서버가 스스로 게시합니다.",
    "unscheduled": "예약을 취소했습니다. 초안은 그대로 남아 있습니다.",
    "discarded": "초안을 버렸습니다. 게시 중인 버전은 그대로입니다.",
    "imported": (
        "가져왔습니다. 묶음의 내용이 지금 게시 중인 버전이 되었고, 기기는 다음 동기화 때 받습니다."
    ),
    "unchanged": "가져올 것이 없었습니다. 묶음의 내용이 이미 게시 중입니다.",
    "rolled_back": (
        "되돌렸습니다. 예전 내용으로 새 콘텐츠 버전이 만들어졌고, 기기는 다음 동기화 때 받습니다."
    ),
}
# The fields the item form shows, when the item has them: (form field, item field, label, kind).
FORM_FIELDS = (
    ("title_ko", "title", "제목", "text"),
    ("description_ko", "description", "설명", "textarea"),
    ("body_ko", "body", "내용", "textarea"),
    ("opens_at", "opens_at", "시작", "datetime"),
    ("closes_at", "closes_at", "마감", "datetime"),
    ("starts_at", "starts_at", "시작", "datetime"),
    ("ends_at", "ends_at", "끝", "datetime"),
    ("deadline", "deadline", "마감", "datetime"),
    ("priority", "priority", "우선순위 (클수록 먼저)", "number"),
)


def _done(request: Request) -> str | None:
    return DONE.get(request.query_params.get("done") or "")


def _home(
    request: Request, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    db = state_of(request).db
    return render(
        request,
        "content.html",
        signed_in,
        status_code=status_code,
        title="콘텐츠",
        versions=drafts.versions(db),
        draft=drafts.current(db),
        can_edit=allowed(signed_in.staff, "content.edit"),
        can_publish=allowed(signed_in.staff, "content.publish"),
        can_export=allowed(signed_in.staff, "content.export"),
        done=_done(request),
        **context,
    )


@router.get("/content", response_class=HTMLResponse)
def content_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("content.view"))]
) -> HTMLResponse:
    """The versions, newest (live) first, and the draft if there is one."""
    return _home(request, signed_in)


@router.post("/content/draft")
def start_draft(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    try:
        drafts.start(state_of(request).db, actor_of(request, posted.signed_in))
    except drafts.DraftRefused as e:
        return _home(request, posted.signed_in, 409, error=e.message)
    return redirect(f"{HOME}/draft?done=started")


@router.get("/content/draft", response_class=HTMLResponse)
def draft_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("content.view"))]
) -> HTMLResponse:
    """The draft's items by section, each with its last change and a link to edit it."""
    return render(
        request,
        "content_draft.html",
        signed_in,
        title="콘텐츠 초안",
        draft=current_draft(request),
        can_edit=allowed(signed_in.staff, "content.edit"),
        can_publish=allowed(signed_in.staff, "content.publish"),
        done=_done(request),
        copyable=drafts.COPYABLE,
        item_forms=ITEM_FORMS,
        previewable=PREVIEWABLE,
    )


def _form_values(item: drafts.DraftItem) -> dict[str, str]:
    body = item.body
    values = {}
    for name, source, _label, kind in FORM_FIELDS:
        if source not in body:
            continue
        value = body[source]
        if kind == "datetime":
            value = shown_time(value)
        elif isinstance(value, dict):
            value = value.get("ko", "")
        values[name] = "" if value is None else str(value)
    return values


def _fields_of(item: drafts.DraftItem) -> list[tuple[str, str, str]]:
    return [(n, label, kind) for n, source, label, kind in FORM_FIELDS if source in item.body]


def _item_page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    item: drafts.DraftItem,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    context.setdefault("values", _form_values(item))
    context.setdefault("errors", {})
    context.setdefault("revision", item.revision)
    return render(
        request,
        "content_item.html",
        signed_in,
        status_code=status_code,
        title=f"고치기: {item.title}",
        draft=draft,
        item=item,
        fields=_fields_of(item),
        other_json=json.dumps(item.body, ensure_ascii=False, indent=2),
        can_edit=allowed(signed_in.staff, "content.edit"),
        **context,
    )


def _item(draft: drafts.Draft, section: str, key: str) -> drafts.DraftItem:
    found = draft.item(section, key)
    if found is None:
        raise ConsoleRefusal(404, "초안에 그런 항목이 없습니다. 다른 직원이 뺐을 수 있습니다.")
    return found


@router.get("/content/draft/item", response_class=HTMLResponse)
def item_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("content.view"))],
    section: str = "",
    key: str = "",
) -> HTMLResponse:
    draft = current_draft(request)
    return _item_page(request, signed_in, draft, _item(draft, section, key))


def _edited(item: drafts.DraftItem, form: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """The item with the form's values, and the problems of values that cannot be read."""
    body = dict(item.body)
    problems: dict[str, str] = {}
    for name, source, _label, kind in FORM_FIELDS:
        if source not in body:
            continue
        typed = form_field(form, name)
        if kind == "datetime":
            parsed: dict[str, Any] = {}
            read_times({name: typed}, (name,), parsed, problems)
            if name in parsed:
                body[source] = parsed[name]
        elif kind == "number":
            try:
                body[source] = int(typed)
            except ValueError:
                problems[name] = "정수를 입력하세요. 예: 0, 10"
        elif isinstance(body[source], dict) or body[source] is None:
            if typed:
                was = body[source] if isinstance(body[source], dict) else {}
                body[source] = {**was, "ko": typed}
            elif source == "title":
                problems[name] = "제목을 입력하세요."
            else:
                body[source] = None
        else:
            body[source] = typed
    return body, problems


FIELD_OF_SOURCE = {source: name for name, source, _label, _kind in FORM_FIELDS}


@router.post("/content/draft/item", response_class=HTMLResponse)
def save_item(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    draft = current_draft(request)
    draft_id = draft_id_of(posted, draft)
    section, key = form_field(posted.form, "section"), form_field(posted.form, "key")
    item = _item(draft, section, key)
    revision = revision_of(posted)
    body, problems = _edited(item, posted.form)
    entered = {name: form_field(posted.form, name) for name, *_rest in FORM_FIELDS}
    if problems:
        return _item_page(
            request,
            posted.signed_in,
            draft,
            item,
            400,
            errors=problems,
            values=entered,
            revision=revision,
        )
    try:
        drafts.save_item(
            state_of(request).db,
            draft_id,
            section,
            key,
            body,
            revision,
            actor_of(request, posted.signed_in),
        )
    except drafts.DraftConflict as e:
        fresh = drafts.current(state_of(request).db) or draft
        latest = fresh.item(section, key)
        return render(
            request,
            "content_conflict.html",
            posted.signed_in,
            status_code=409,
            title="저장하지 못했습니다",
            message=e.message,
            draft=fresh,
            item=latest,
            mine=entered,
            fields=_fields_of(item),
            theirs=_form_values(latest) if latest else {},
        )
    except drafts.DraftRefused as e:
        return _item_page(
            request,
            posted.signed_in,
            draft,
            item,
            400,
            errors=errors_of(e, by_path(FIELD_OF_SOURCE)),
            values=entered,
            revision=revision,
        )
    return redirect(f"{HOME}/draft?done=saved")


@router.post("/content/draft/item/remove")
def remove_item(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    draft = current_draft(request)
    section, key = form_field(posted.form, "section"), form_field(posted.form, "key")
    try:
        drafts.remove_item(
            state_of(request).db,
            draft_id_of(posted, draft),
            section,
            key,
            revision_of(posted),
            actor_of(request, posted.signed_in),
        )
    except drafts.DraftRefused as e:
        raise ConsoleRefusal(409, e.message) from None
    return redirect(f"{HOME}/draft?done=removed")


@router.post("/content/draft/item/duplicate")
def duplicate_item(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    """복제: a copy of the item under a new id, opened for editing."""
    draft = current_draft(request)
    section, key = form_field(posted.form, "section"), form_field(posted.form, "key")
    try:
        copy = drafts.duplicate_item(
            state_of(request).db,
            draft_id_of(posted, draft),
            section,
            key,
            actor_of(request, posted.signed_in),
        )
    except drafts.DraftRefused as e:
        raise ConsoleRefusal(409, e.message) from None
    if section in ITEM_FORMS:
        return redirect(f"{HOME}/draft/{ITEM_FORMS[section]}?key={quote(copy)}")
    return redirect(f"{HOME}/draft/item?section={section}&key={quote(copy)}")


@router.get("/content/draft/diff", response_class=HTMLResponse)
def diff_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("content.view"))]
) -> HTMLResponse:
    """게시 전 확인: per item, what publishing the draft adds, changes and removes."""
    draft = current_draft(request)
    try:
        shown = drafts.preview(state_of(request).db, draft.id)
    except drafts.DraftRefused as e:
        raise ConsoleRefusal(409, e.message) from None
    return _diff_page(request, signed_in, draft, shown)


def _diff_page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    shown: drafts.Preview,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return render(
        request,
        "content_diff.html",
        signed_in,
        status_code=status_code,
        title="게시 전 확인",
        draft=draft,
        preview=shown,
        can_publish=allowed(signed_in.staff, "content.publish"),
        can_edit=allowed(signed_in.staff, "content.edit"),
        **context,
    )


def _refused_on_diff(
    request: Request, posted: Posted, draft: drafts.Draft, e: drafts.DraftRefused
) -> HTMLResponse:
    shown = drafts.preview(state_of(request).db, draft.id)
    errors = {e.field or "form": e.message}
    return _diff_page(request, posted.signed_in, draft, shown, 400, errors=errors)


@router.post("/content/draft/publish", response_class=HTMLResponse)
def publish_draft(
    request: Request, posted: Annotated[Posted, Depends(action("content.publish"))]
) -> Response:
    """지금 게시."""
    draft = current_draft(request)
    try:
        drafts.publish(
            state_of(request).db,
            draft_id_of(posted, draft),
            actor_of(request, posted.signed_in),
            assets_dir=state_of(request).settings.assets_dir,
        )
    except drafts.DraftRefused as e:
        return _refused_on_diff(request, posted, draft, e)
    return redirect(f"{HOME}?done=published")


@router.post("/content/draft/schedule", response_class=HTMLResponse)
def schedule_draft(
    request: Request, posted: Annotated[Posted, Depends(action("content.publish"))]
) -> Response:
    """예약 게시 at a KST date and time."""
    draft = current_draft(request)
    typed = form_field(posted.form, "publish_at")
    try:
        when = datetime.strptime(typed, DATETIME_FORMAT).replace(tzinfo=KST)
    except ValueError:
        e = drafts.DraftRefused("게시할 날짜와 시각을 2026-12-24 09:00처럼 고르세요.", "publish_at")
        return _refused_on_diff(request, posted, draft, e)
    try:
        drafts.schedule(
            state_of(request).db,
            draft_id_of(posted, draft),
            when,
            actor_of(request, posted.signed_in),
        )
    except drafts.DraftRefused as e:
        return _refused_on_diff(request, posted, draft, e)
    return redirect(f"{HOME}/draft?done=scheduled")


def _on_draft(
    request: Request,
    posted: Posted,
    change: Callable[[ServerDatabase, int, audit.Actor], None],
    done: str,
) -> Response:
    """A change of the whole draft (`change(db, draft id, by)`), then the page that says so."""
    draft = current_draft(request)
    try:
        change(
            state_of(request).db, draft_id_of(posted, draft), actor_of(request, posted.signed_in)
        )
    except drafts.DraftRefused as e:
        raise ConsoleRefusal(409, e.message) from None
    return redirect(done)


@router.post("/content/draft/unschedule")
def unschedule_draft(
    request: Request, posted: Annotated[Posted, Depends(action("content.publish"))]
) -> Response:
    """예약 취소: the draft stays, open for editing."""
    return _on_draft(request, posted, drafts.unschedule, f"{HOME}/draft?done=unscheduled")


@router.post("/content/draft/discard")
def discard_draft(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    """초안 버리기: the live version stays as it is."""
    assets_dir = state_of(request).settings.assets_dir

    def discard(db: ServerDatabase, draft_id: int, by: audit.Actor) -> None:
        drafts.discard(db, draft_id, by, assets_dir)

    return _on_draft(request, posted, discard, f"{HOME}?done=discarded")


@router.get("/content/versions/{version}/rollback", response_class=HTMLResponse)
def rollback_confirm(
    request: Request,
    version: str,
    signed_in: Annotated[SignedIn, Depends(page("content.publish"))],
) -> HTMLResponse:
    """Asks before rolling back, showing what the live version would lose and regain."""
    try:
        live, changes = drafts.version_changes(state_of(request).db, version)
    except drafts.DraftRefused as e:
        raise ConsoleRefusal(404, e.message) from None
    return render(
        request,
        "content_rollback.html",
        signed_in,
        title="이전 버전으로 되돌리기",
        version=version,
        live=live,
        changes=changes,
    )


@router.post("/content/versions/{version}/rollback")
def rollback(
    request: Request,
    version: str,
    posted: Annotated[Posted, Depends(action("content.publish"))],
) -> Response:
    try:
        drafts.rollback(state_of(request).db, version, actor_of(request, posted.signed_in))
    except drafts.DraftRefused as e:
        raise ConsoleRefusal(409, e.message) from None
    return redirect(f"{HOME}?done=rolled_back")


@router.get("/content/export")
def export_content(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("content.export"))]
) -> Response:
    """내보내기: the live version and its media files as one archive (audited)."""
    state = state_of(request)
    work = state.settings.data_dir / "work"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=work, suffix=".zip", delete=False) as out:
        try:
            version = packs.export_archive(
                state.db,
                state.settings.assets_dir,
                out,
                actor_of(request, signed_in),
                state.keys.content_seed,
            )
        except packs.ImportRefused as e:
            Path(out.name).unlink(missing_ok=True)
            raise ConsoleRefusal(404, e.message) from None
    return FileResponse(
        out.name,
        media_type="application/zip",
        filename=f"ontong-content-{version}.zip",
        headers=SECURITY_HEADERS,
        background=BackgroundTask(Path(out.name).unlink, missing_ok=True),
    )


@router.post("/content/import", response_class=HTMLResponse)
def import_content(
    request: Request, posted: Annotated[Posted, Depends(action("content.publish"))]
) -> Response:
    """가져오기: an archive (another server's 내보내기, the demo generator's) becomes the live
    version, or is refused in Korean with what is wrong (the live version stays)."""
    upload = posted.form.get("archive")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _home(
            request, posted.signed_in, 400, import_error="가져올 콘텐츠 묶음 파일(.zip)을 고르세요."
        )
    state = state_of(request)
    work = state.settings.data_dir / "work"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=work, suffix=".zip") as received:
        shutil.copyfileobj(upload.file, received)
        received.flush()
        try:
            done = packs.import_archive(
                state.db,
                state.settings.assets_dir,
                Path(received.name),
                actor_of(request, posted.signed_in),
                work,
            )
        except packs.ImportRefused as e:
            return _home(
                request,
                posted.signed_in,
                400,
                import_error=e.message,
                import_problems=e.problems,
                import_name=upload.filename,
            )
    return redirect(f"{HOME}?done={'imported' if done.new else 'unchanged'}")
