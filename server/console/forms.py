"""How every content form of the draft works (홍보·알림, 설문·정책퀴즈, 공모, 정책제안, 포인트 규칙,
주민참여예산…), in one place: open the form of an item (or of a new one), read what was typed,
make the pack's document of it, check it with the kiosk's own models through server.drafts, show
each problem beside its field in Korean, save it from the revision the form was opened at (409
when another editor saved first) — server.drafts audits every change.

A form module says only what is its own as an `ItemForm`: its fields, how a document is shown
and made, where a problem's path is shown, and what its template needs besides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from server import drafts, groups
from server.console.base import (
    KST,
    PREFIX,
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
from server.db import ServerDatabase
from server.staff import SignedIn, allowed

# A problem's path in the item, split at its dots ("entries", "2", "image") -> the form field
# it is shown beside ("e-2-image"); "form" for the top of the form.
FieldOf = Callable[[list[str]], str]
TOP = "form"
UNREADABLE_FORM = "양식이 올바르지 않습니다. 화면을 새로 여세요."
HOME = f"{PREFIX}/content"


@dataclass(frozen=True)
class ItemForm:
    """One content form: `path` under /staff/content/draft/, the draft `section` it edits, the
    `noun` that names its item in headings, and its own parts:

    - `shown(document)`: the form's values of an item's document;
    - `read(form)`: the values typed (ValueError: the form was not made by this page);
    - `build(values, was, draft)`: the document of the typed values (keeping what the form does
      not show of `was`) and the values that cannot be read, by field;
    - `field_of(path parts)`: the field a problem of the kiosk's models is shown beside;
    - `new(query)`: a new item's document (None: the section's single item is only edited);
    - `context(draft)`: what else its template needs (choices: dongs, files…);
    - `lookups(db)`: what else it needs from the server's own tables (device groups…);
    - `grows`: the start of the button values (`do`) that show the form again with one more
      row (문항 추가, 사업 추가…), saving nothing;
    - `targeted`: the item's dongs and device groups are in the form (`audience_*` below).
    """

    path: str
    section: str
    template: str
    noun: str
    missing: str
    shown: Callable[[dict[str, Any]], dict[str, Any]]
    read: Callable[[FormData], dict[str, Any]]
    build: Callable[
        [dict[str, Any], dict[str, Any] | None, drafts.Draft],
        tuple[dict[str, Any], dict[str, str]],
    ]
    field_of: FieldOf
    new: Callable[[Mapping[str, str]], dict[str, Any]] | None = None
    context: Callable[[drafts.Draft], dict[str, Any]] = field(default=lambda _draft: {})
    lookups: Callable[[ServerDatabase], dict[str, Any]] = field(default=lambda _db: {})
    grows: str = ""
    title: str = ""
    # True for an item that may target dongs and device groups (contract.content.Targeted):
    # the form shows and reads them the one way every such form does (`audience`).
    targeted: bool = False

    @property
    def single(self) -> bool:
        return self.section in drafts.SINGLE_SECTIONS

    def key_of(self, typed: str) -> str:
        return self.section if self.single else typed


# -- reading and showing values ---------------------------------------------------------------

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
UNREADABLE_TIME = "날짜와 시각을 2026-12-24 09:00처럼 고르세요."


def shown_time(value: Any) -> str:
    """A pack's time as a datetime-local field shows it (KST); "" for none."""
    if not isinstance(value, str):
        return ""
    return datetime.fromisoformat(value).astimezone(KST).strftime(DATETIME_FORMAT)


def read_times(
    values: Mapping[str, Any],
    names: tuple[str, ...],
    body: dict[str, Any],
    problems: dict[str, str],
) -> None:
    """The datetime-local fields `names` (KST) into `body` as the pack writes times; a field
    that cannot be read into `problems`."""
    for name in names:
        try:
            when = datetime.strptime(values[name], DATETIME_FORMAT).replace(tzinfo=KST)
        except ValueError:
            problems[name] = UNREADABLE_TIME
            continue
        body[name] = when.isoformat()


def current_draft(request: Request) -> drafts.Draft:
    """The open draft; 404 in words when there is none."""
    found = drafts.current(state_of(request).db)
    if found is None:
        raise ConsoleRefusal(404, "편집 중인 초안이 없습니다. 콘텐츠 화면에서 초안을 만드세요.")
    return found


def draft_id_of(posted: Posted, draft: drafts.Draft) -> int:
    """The draft the form was made for: a form of a draft since published or discarded is
    refused rather than applied to another one."""
    if form_field(posted.form, "draft") != str(draft.id):
        raise ConsoleRefusal(
            409, "이 양식의 초안은 이미 게시되었거나 버려졌습니다. 화면을 새로 여세요."
        )
    return draft.id


def revision_of(posted: Posted) -> int:
    """The revision of the item the form was opened at."""
    try:
        return int(form_field(posted.form, "revision"))
    except ValueError:
        raise ConsoleRefusal(400, UNREADABLE_FORM) from None


def korean(value: Any) -> str:
    """The Korean of a pack text ({"ko": …, "en": …}); "" for none."""
    return str(value.get("ko", "")) if isinstance(value, dict) else ""


def with_korean(was: Any, ko: str) -> dict[str, Any] | None:
    """A pack text with its Korean typed (its other languages kept); None when left empty."""
    return {**(was if isinstance(was, dict) else {}), "ko": ko} if ko else None


def number(text: str) -> int | str:
    """An integer as typed (1,000 too), or the text itself: the model names what is wrong."""
    try:
        return int(text.replace(",", ""))
    except ValueError:
        return text


def left_empty(
    values: Mapping[str, Any], words: Mapping[str, str], prefix: str = ""
) -> dict[str, str]:
    """The fields of `words` left empty, each with its words ("제목을 입력하세요."), named with
    `prefix` (a row's "e-2-")."""
    return {f"{prefix}{name}": text for name, text in words.items() if not values[name]}


def document_of(
    values: Mapping[str, Any],
    was: dict[str, Any] | None,
    texts: Mapping[str, str],
    times: tuple[str, ...],
    needed: Mapping[str, str],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The start of an item's document from its typed `values`: what it was (what the form does
    not show is kept), its id (typed for a new item, fixed after), its Korean `texts` (item
    field -> form field), its `times`; and the problems of the `needed` fields left empty and of
    the times that cannot be read."""
    body: dict[str, Any] = dict(was or {})
    body["id"] = values["id"] if was is None else was["id"]
    for name, typed in texts.items():
        body[name] = with_korean(body.get(name), values[typed])
    problems = left_empty(values, needed)
    read_times(values, times, body, problems)
    return body, problems


def keep_unwritten(
    body: dict[str, Any], was: Mapping[str, Any] | None, defaults: Mapping[str, Any]
) -> dict[str, Any]:
    """`body` without the fields of `defaults` at their default that `was` did not write
    either: an item saved unchanged stays as it was written."""
    for name, default in defaults.items():
        if name not in (was or {}) and body.get(name, default) == default:
            body.pop(name, None)
    return body


def platform_url(draft: drafts.Draft) -> str:
    """The district's 온통중구 address, under which an item's own address is made."""
    district = draft.item("district", "district")
    return str(district.body.get("platform_url", "")) if district is not None else ""


def item_url(typed: str, draft: drafts.Draft, kind: str, item_id: str) -> str:
    """The address typed, or the item's own under 온통중구 (…/survey/ID)."""
    return typed or f"{platform_url(draft).rstrip('/')}/{kind}/{item_id}"


def dong_choices(draft: drafts.Draft) -> list[tuple[str, str]]:
    """The district's dongs as (id, Korean name), for a form's choices."""
    district = draft.item("district", "district")
    dongs = district.body.get("dongs", []) if district is not None else []
    return [(d["id"], d["name"]["ko"]) for d in dongs]


def file_choices(draft: drafts.Draft, *media: str) -> list[tuple[str, str]]:
    """The draft's files of the media types starting with `media` as (path, media type)."""
    return [
        (i.body["path"], i.body["media_type"])
        for i in draft.items
        if i.section == "files" and i.body["media_type"].startswith(media)
    ]


def picture_choices(draft: drafts.Draft) -> list[tuple[str, str]]:
    """The draft's pictures as (path, file name), for a picker that shows each one."""
    return [(path, path.rsplit("/", 1)[-1]) for path, _type in file_choices(draft, "image/")]


def by_path(top: Mapping[str, str], rows: Mapping[str, str] | None = None) -> FieldOf:
    """A `field_of` for a form whose item fields are `top` (item field -> form field) and whose
    lists of rows are `rows` (item list -> the row's prefix: entries.2.image -> e-2-image)."""
    rows = rows or {}

    def field_of(parts: list[str]) -> str:
        if parts[0] in rows and len(parts) >= 3:
            return f"{rows[parts[0]]}-{parts[1]}-{parts[2]}"
        return top.get(parts[0], TOP)

    return field_of


def errors_of(refused: drafts.DraftRefused, field_of: FieldOf) -> dict[str, str]:
    """A refusal's problems by the form's field, the first of each; a problem of an item field
    the form does not show goes to its top, named."""
    errors: dict[str, str] = {}
    for path, text in (refused.paths or {"": refused.message}).items():
        parts = path.split(".") if path else []
        name = field_of(parts) if parts else TOP
        if name == TOP and parts:
            text = f"{drafts.FIELD_LABELS.get(parts[0], parts[0])}: {text}"
        errors.setdefault(name, text)
    return errors


# -- targeting: dongs and device groups, the same fields on every form that has them ----------

AUDIENCE_FIELDS = ("dongs", "groups")


def audience_shown(body: Mapping[str, Any]) -> dict[str, list[str]]:
    """The dongs and device groups an item's document targets, as the form shows them."""
    return {name: list(body.get(name) or []) for name in AUDIENCE_FIELDS}


def audience_typed(getlist: Callable[[str], Sequence[object]]) -> dict[str, list[str]]:
    """The dongs and device groups ticked (`getlist`: every value a form sent in a name)."""
    return {name: [v for v in getlist(name) if isinstance(v, str)] for name in AUDIENCE_FIELDS}


def with_audience(
    body: dict[str, Any], values: Mapping[str, Any], was: Mapping[str, Any] | None
) -> dict[str, Any]:
    """`body` targeting the ticked dongs and groups (none ticked: left unwritten, as before)."""
    for name in AUDIENCE_FIELDS:
        body[name] = list(values[name])
    return keep_unwritten(body, was, {name: [] for name in AUDIENCE_FIELDS})


def audience_choices(draft: drafts.Draft, db: ServerDatabase) -> dict[str, Any]:
    """What the audience fields offer: the district's dongs and the server's device groups
    (key, name, number of devices)."""
    return {
        "dongs": dong_choices(draft),
        "groups": [(g.key, g.name, len(g.members)) for g in groups.listing(db)],
    }


def _field_of(form: ItemForm) -> FieldOf:
    if not form.targeted:
        return form.field_of

    def field_of(parts: list[str]) -> str:
        return parts[0] if parts[0] in AUDIENCE_FIELDS else form.field_of(parts)

    return field_of


def _shown(form: ItemForm, body: dict[str, Any]) -> dict[str, Any]:
    values = form.shown(body)
    return {**values, **audience_shown(body)} if form.targeted else values


def _read(form: ItemForm, posted: FormData) -> dict[str, Any]:
    values = form.read(posted)
    return {**values, **audience_typed(posted.getlist)} if form.targeted else values


def _build(
    form: ItemForm, values: dict[str, Any], was: dict[str, Any] | None, draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    body, problems = form.build(values, was, draft)
    return (with_audience(body, values, was) if form.targeted else body), problems


# -- the pages --------------------------------------------------------------------------------


def _page(
    request: Request,
    form: ItemForm,
    signed_in: SignedIn,
    draft: drafts.Draft,
    values: dict[str, Any],
    item: drafts.DraftItem | None,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    title = form.title or (f"고치기: {item.title}" if item else f"새 {form.noun}")
    return render(
        request,
        form.template,
        signed_in,
        status_code=status_code,
        title=title,
        form=form,
        draft=draft,
        item=item,
        values=values,
        errors=errors or {},
        can_edit=allowed(signed_in.staff, "content.edit"),
        **(audience_choices(draft, state_of(request).db) if form.targeted else {}),
        **form.context(draft),
        **form.lookups(state_of(request).db),
    )


def item_page(
    request: Request,
    form: ItemForm,
    signed_in: SignedIn,
    draft: drafts.Draft,
    item: drafts.DraftItem,
    status_code: int,
    errors: dict[str, str],
) -> HTMLResponse:
    """The form of `item` as saved, with `errors` (a refusal that came another way: an upload
    on the form's page)."""
    values = _shown(form, item.body)
    return _page(request, form, signed_in, draft, values, item, status_code, errors)


def _target(
    request: Request, posted: Posted, form: ItemForm
) -> tuple[drafts.Draft, drafts.DraftItem | None]:
    """The draft the form was made for and the item it edits (None: a new one); 409 in words
    when the draft or the item is gone since the form was opened, or when another editor made
    the section's single item meanwhile."""
    draft = current_draft(request)
    draft_id_of(posted, draft)
    typed = form_field(posted.form, "key")
    item = draft.item(form.section, form.key_of(typed)) if typed or form.single else None
    if item is None and (typed or form.new is None):
        raise ConsoleRefusal(409, "다른 직원이 이 항목을 초안에서 뺐습니다. 저장하지 않았습니다.")
    if item is not None and not typed:
        raise ConsoleRefusal(409, "다른 직원이 이 항목을 먼저 만들었습니다. 화면을 새로 여세요.")
    return draft, item


def _store(
    request: Request,
    posted: Posted,
    form: ItemForm,
    draft: drafts.Draft,
    item: drafts.DraftItem | None,
    body: dict[str, Any],
) -> dict[str, str] | None:
    """Add `body` to the draft (no `item`) or save it over `item` from the revision the form
    was opened at; the models' problems by field, or None when stored. A save over another
    editor's: 409 in words."""
    db, by = state_of(request).db, actor_of(request, posted.signed_in)
    try:
        if item is None:
            drafts.add_item(db, draft.id, form.section, body, by)
        else:
            drafts.save_item(db, draft.id, form.section, item.key, body, revision_of(posted), by)
    except drafts.DraftConflict as e:
        raise ConsoleRefusal(409, e.message) from None
    except drafts.DraftRefused as e:
        return errors_of(e, _field_of(form))
    return None


def _checked(
    request: Request, form: ItemForm, draft: drafts.Draft, body: dict[str, Any]
) -> dict[str, str]:
    """The models' problems of a form that will not be saved, by field."""
    try:
        drafts.check_item(state_of(request).db, draft.id, form.section, body)
    except drafts.DraftRefused as e:
        return errors_of(e, _field_of(form))
    return {}


def item_router(form: ItemForm) -> APIRouter:
    """The form's two routes: GET shows it (`?key=` an item of the draft, none a new one), POST
    adds or saves the item (only 관리자 and 콘텐츠 담당: content.edit)."""
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    where = f"/content/draft/{form.path}"

    @router.get(where, response_class=HTMLResponse, name=f"{form.path}_page")
    def show(
        request: Request,
        signed_in: Annotated[SignedIn, Depends(page("content.view"))],
        key: str = "",
    ) -> HTMLResponse:
        draft = current_draft(request)
        item = draft.item(form.section, form.key_of(key)) if key or form.single else None
        if item is None and (key or form.new is None):
            raise ConsoleRefusal(404, form.missing)
        if item is None:
            assert form.new is not None
            values = _shown(form, form.new(request.query_params))
        else:
            values = _shown(form, item.body)
        return _page(request, form, signed_in, draft, values, item)

    @router.post(where, response_class=HTMLResponse, name=f"save_{form.path}")
    def save(
        request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
    ) -> Response:
        draft, item = _target(request, posted, form)
        try:
            values = _read(form, posted.form)
        except ValueError:
            raise ConsoleRefusal(400, UNREADABLE_FORM) from None
        if form.grows and form_field(posted.form, "do").startswith(form.grows):
            return _page(request, form, posted.signed_in, draft, values, item)
        body, errors = _build(form, values, item.body if item else None, draft)
        if errors:
            # The models' words too, so that one round shows every problem; a value that
            # could not be read keeps its own.
            errors = {**_checked(request, form, draft, body), **errors}
        else:
            errors = _store(request, posted, form, draft, item, body) or {}
        if errors:
            return _page(request, form, posted.signed_in, draft, values, item, 400, errors)
        done = "saved" if item else "added"
        return redirect(f"{HOME}/draft?done={done}#section-{form.section}")

    return router
