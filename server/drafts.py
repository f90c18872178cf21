"""콘텐츠 초안 → 게시: the draft staff edit in the console, its diff against the live version,
publishing it now or at a time, and rolling back to an earlier version.

A draft is the newest content version copied item by item (a survey, a promotion, a file…; the
district and the budget are one item each). Each item has a revision: a save names the revision
it was made from and is refused when another editor saved the item since (nothing is silently
overwritten). At most one draft is open at a time.

Publishing applies the draft's changes (what differs from the version it was copied from) to the
newest version, through `server.content.publish_revision` (same pack format, the kiosk's own
models, the publishing lock), so a version published meanwhile (a proposal 게시, a rollback)
keeps what the draft did not touch; an item changed on both sides is refused, never guessed.
A draft scheduled for a time is published by whichever server process sees it due first
(`publish_due`, run by every process's `DuePublisher`): under the publishing lock the draft's
status is read again, so it is published once.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from contract.content import (
    KST,
    MESSAGES,
    TARGETED_SECTIONS,
    ContentPack,
    explain,
    message,
)
from server import audit, content
from server.db import ServerDatabase
from server.db.models import (
    Asset,
    AuditEvent,
    ContentDraft,
    ContentDraftItem,
    DeviceGroup,
    Manifest,
)

log = logging.getLogger(__name__)

OPEN, SCHEDULED, PUBLISHED, DISCARDED = "open", "scheduled", "published", "discarded"
STATUS_LABELS = {
    OPEN: "편집 중",
    SCHEDULED: "게시 예약",
    PUBLISHED: "게시됨",
    DISCARDED: "버림",
}
# The pack's lists of items and the field that names an item in each; then the two items that
# stand alone. Their order is the order of the pack and of the pages.
LIST_SECTIONS = {
    "surveys": "id",
    "contests": "id",
    "proposals": "id",
    "promotions": "id",
    "videos": "id",
    "lessons": "id",
    "coaches": "code",
    "files": "path",
}
SINGLE_SECTIONS = ("district", "budget")
SECTION_LABELS = {
    "district": "구 정보·포인트 규칙",
    "budget": "주민참여예산",
    "surveys": "설문·정책퀴즈",
    "contests": "공모",
    "proposals": "정책제안",
    "promotions": "홍보·알림",
    "videos": "영상",
    "lessons": "배우기",
    "coaches": "코치 (데모)",
    "files": "파일",
}
# How the fields of an item are called in the diff and the forms.
FIELD_LABELS = {
    "title": "제목",
    "description": "설명",
    "body": "내용",
    "kind": "종류",
    "opens_at": "시작",
    "closes_at": "마감",
    "starts_at": "시작",
    "ends_at": "끝",
    "priority": "우선순위",
    "weight": "비중",
    "duration_s": "보이는 시간(초)",
    "questions": "문항",
    "points": "포인트",
    "url": "주소",
    "entries": "응모작",
    "vote": "투표",
    "accepts_entries": "응모 받기",
    "asset": "파일",
    "thumbnail": "미리보기 그림",
    "subtitles": "자막",
    "dongs": "동",
    "groups": "기기 묶음",
    "weekdays": "요일",
    "windows": "시간대",
    "emergency": "긴급",
    "evergreen": "상시",
    "status": "상태",
    "deadline": "마감",
    "district_answer": "구청 답변",
    "agree_count": "공감 수",
    "ballots": "투표지",
    "results": "결과",
    "size": "크기",
    "sha256": "SHA-256",
    "media_type": "형식",
    "name": "이름",
    "steps": "단계",
}
TEXT_SHOWN = 80

ItemKey = tuple[str, str]
How = Literal["added", "changed", "removed"]
HOW_LABELS = {"added": "추가", "changed": "변경", "removed": "삭제"}


NO_BASE = "초안의 바탕이 된 버전을 찾을 수 없습니다. 초안을 버리고 새로 만드세요."


class DraftRefused(Exception):
    """A draft action that cannot be done; `message` is the Korean sentence the page shows,
    `field` the item's field it is about (None: the whole form), `fields` every field's
    problem when there are several (the item's field name -> its message)."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        fields: dict[str, str] | None = None,
        paths: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.fields = fields if fields is not None else ({field: message} if field else {})
        # The same problems by their whole path in the item ("questions.2.options.1.label").
        self.paths = paths if paths is not None else dict(self.fields)


class DraftConflict(DraftRefused):
    """Another editor saved (or removed) the item since this editor opened it."""


# -- items ------------------------------------------------------------------------------------


def split(document: Mapping[str, Any]) -> dict[ItemKey, Any]:
    """The items of a pack document, in the pack's order: (section, key) -> the item's JSON."""
    items: dict[ItemKey, Any] = {}
    for single in SINGLE_SECTIONS:
        if document.get(single) is not None:
            items[single, single] = document[single]
    for section, key in LIST_SECTIONS.items():
        for item in document.get(section) or []:
            items[section, str(item[key])] = item
    return items


def join(items: Mapping[ItemKey, Any], header: Mapping[str, Any]) -> dict[str, Any]:
    """The pack document of `items` under `header` (schema_version, content_version…)."""
    document: dict[str, Any] = dict(header)
    for single in SINGLE_SECTIONS:
        if (single, single) in items:
            document[single] = items[single, single]
    for section in LIST_SECTIONS:
        document[section] = [body for (s, _k), body in items.items() if s == section]
    return document


def _header(document: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v for k, v in document.items() if k not in SINGLE_SECTIONS and k not in LIST_SECTIONS
    }


_MISSING: Any = object()


def merged(
    base: Mapping[ItemKey, Any], draft: Mapping[ItemKey, Any], newest: Mapping[ItemKey, Any]
) -> tuple[dict[ItemKey, Any], list[ItemKey]]:
    """The draft's changes (what differs from `base`) applied to `newest`, and the items
    changed on both sides differently (conflicts: left as `newest` has them)."""
    result = dict(newest)
    conflicts: list[ItemKey] = []
    for key in list(base) + [k for k in draft if k not in base]:
        mine, was = draft.get(key, _MISSING), base.get(key, _MISSING)
        if mine == was:
            continue
        now = newest.get(key, _MISSING)
        if now != was and now != mine:
            conflicts.append(key)
        elif mine is _MISSING:
            result.pop(key, None)
        else:
            result[key] = mine
    return result, conflicts


def item_title(section: str, key: str, body: Any) -> str:
    """What staff call the item: its Korean title or name, else its id."""
    if isinstance(body, dict):
        for name in ("title", "name"):
            value = body.get(name)
            if isinstance(value, dict) and value.get("ko"):
                return str(value["ko"])
            if isinstance(value, str) and value:
                return value
    return SECTION_LABELS[section] if key == section else key


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ItemChange:
    """One item of a diff: added, changed (which fields, before → after) or removed."""

    section: str
    key: str
    how: How
    title: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def section_label(self) -> str:
        return SECTION_LABELS[self.section]

    @property
    def how_label(self) -> str:
        return HOW_LABELS[self.how]


def shown_value(value: Any) -> str:
    """A field's value as staff read it: the Korean of a text, times in KST, 예/아니요, counts."""
    if value is None or value is _MISSING:
        return "없음"
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, dict) and "ko" in value:
        value = value["ko"]
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value if len(value) <= TEXT_SHOWN else value[: TEXT_SHOWN - 1] + "…"
        if when.tzinfo is not None and ("T" in value or " " in value):
            return when.astimezone(KST).strftime("%Y-%m-%d %H:%M")
        return value
    if isinstance(value, list):
        return f"{len(value)}개"
    if isinstance(value, dict):
        return f"{len(value)}개 항목"
    return str(value)


def _field_changes(before: Any, after: Any) -> list[FieldChange]:
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [FieldChange("내용", shown_value(before), shown_value(after))]
    changes = []
    names = list(after) + [n for n in before if n not in after]
    # The fields staff know by name first, in the forms' order; the rest after them.
    known = list(FIELD_LABELS)
    names.sort(key=lambda n: known.index(n) if n in known else len(known))
    for name in names:
        was, now = before.get(name, _MISSING), after.get(name, _MISSING)
        if was == now:
            continue
        shown_was, shown_now = shown_value(was), shown_value(now)
        if shown_was == shown_now:
            shown_was, shown_now = shown_was + " (세부 내용)", "바뀜"
        changes.append(FieldChange(FIELD_LABELS.get(name, name), shown_was, shown_now))
    return changes


def differences(before: Mapping[ItemKey, Any], after: Mapping[ItemKey, Any]) -> list[ItemChange]:
    """Per item, what `after` adds, changes and removes from `before`, in the pack's order."""
    changes = []
    for key in list(after) + [k for k in before if k not in after]:
        section, name = key
        was, now = before.get(key, _MISSING), after.get(key, _MISSING)
        if was == now:
            continue
        if was is _MISSING:
            changes.append(ItemChange(section, name, "added", item_title(section, name, now)))
        elif now is _MISSING:
            changes.append(ItemChange(section, name, "removed", item_title(section, name, was)))
        else:
            changes.append(
                ItemChange(
                    section,
                    name,
                    "changed",
                    item_title(section, name, now),
                    _field_changes(was, now),
                )
            )
    order = list(SINGLE_SECTIONS) + list(LIST_SECTIONS)
    return sorted(changes, key=lambda c: order.index(c.section))


# -- the draft in the database ----------------------------------------------------------------


@dataclass(frozen=True)
class DraftItem:
    section: str
    key: str
    body: Any
    revision: int
    changed_at: datetime
    changed_by: str | None

    @property
    def title(self) -> str:
        return item_title(self.section, self.key, self.body)

    @property
    def section_label(self) -> str:
        return SECTION_LABELS[self.section]


@dataclass(frozen=True)
class Draft:
    id: int
    base_version: str
    status: str
    created_at: datetime
    created_by: str | None
    publish_at: datetime | None
    scheduled_by: str | None
    problem: str | None
    items: list[DraftItem]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def item(self, section: str, key: str) -> DraftItem | None:
        return next((i for i in self.items if i.section == section and i.key == key), None)

    def by_section(self) -> list[tuple[str, str, list[DraftItem]]]:
        """(section, its Korean name, its items) for every section with an item."""
        order = list(SINGLE_SECTIONS) + list(LIST_SECTIONS)
        return [
            (s, SECTION_LABELS[s], [i for i in self.items if i.section == s])
            for s in order
            if any(i.section == s for i in self.items)
        ]


def _the_item(draft_id: int, section: str, key: str) -> tuple[ColumnElement[bool], ...]:
    """The conditions that name one item of a draft."""
    return (
        ContentDraftItem.draft_id == draft_id,
        ContentDraftItem.section == section,
        ContentDraftItem.item_key == key,
    )


def _new_item(
    draft_id: int, section: str, key: str, position: int, body: Any, now: datetime, by: audit.Actor
) -> ContentDraftItem:
    return ContentDraftItem(
        draft_id=draft_id,
        section=section,
        item_key=key,
        position=position,
        body=_body(body),
        revision=1,
        changed_at=now,
        changed_by=by.name,
    )


def _manifest(session: Session, version: str) -> Manifest | None:
    return session.scalars(select(Manifest).where(Manifest.content_version == version)).first()


def _newest(session: Session) -> Manifest | None:
    return session.scalars(select(Manifest).order_by(Manifest.id.desc()).limit(1)).first()


def _current_row(session: Session) -> ContentDraft | None:
    return session.scalars(
        select(ContentDraft)
        .where(ContentDraft.status.in_((OPEN, SCHEDULED)))
        .order_by(ContentDraft.id.desc())
        .limit(1)
    ).first()


def _items_of(session: Session, draft_id: int) -> list[DraftItem]:
    rows = session.scalars(
        select(ContentDraftItem)
        .where(ContentDraftItem.draft_id == draft_id)
        .order_by(ContentDraftItem.position, ContentDraftItem.id)
    )
    return [
        DraftItem(r.section, r.item_key, json.loads(r.body), r.revision, r.changed_at, r.changed_by)
        for r in rows
    ]


def _view(session: Session, row: ContentDraft) -> Draft:
    return Draft(
        row.id,
        row.base_version,
        row.status,
        row.created_at,
        row.created_by,
        row.publish_at,
        row.scheduled_by,
        row.problem,
        _items_of(session, row.id),
    )


def current(db: ServerDatabase) -> Draft | None:
    """The open (or scheduled) draft, if there is one."""
    with db.read() as session:
        row = _current_row(session)
        return None if row is None else _view(session, row)


def _body(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def start(db: ServerDatabase, by: audit.Actor, now: datetime | None = None) -> Draft:
    """A new draft copied from the newest version; refused while one is open already."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        content.lock_publishing(session)
        if _current_row(session) is not None:
            raise DraftRefused("이미 편집 중인 초안이 있습니다. 그 초안을 고치거나 버리세요.")
        return _view(session, _start_in(session, by, now))


def _start_in(session: Session, by: audit.Actor, now: datetime) -> ContentDraft:
    """A new draft copied from the newest version, within `session` (publishing lock held)."""
    newest = _newest(session)
    if newest is None:
        raise DraftRefused("게시된 콘텐츠가 아직 없습니다. 먼저 콘텐츠 묶음을 가져오세요.")
    row = ContentDraft(
        base_version=newest.content_version, status=OPEN, created_at=now, created_by=by.name
    )
    session.add(row)
    session.flush()
    for position, ((section, key), body) in enumerate(split(json.loads(newest.body)).items()):
        session.add(_new_item(row.id, section, key, position, body, now, by))
    audit.record(
        session,
        by,
        "content.draft_start",
        target=f"draft:{row.id}",
        after={"content_version": newest.content_version},
        now=now,
    )
    session.flush()
    return row


def change_item_in(
    session: Session,
    section: str,
    key: str,
    change: Callable[[Any], Any],
    by: audit.Actor,
    now: datetime,
) -> int:
    """Within `session` (the caller's transaction, so its own record of the change commits
    with it): the open draft, or a new one from the newest version, with its item
    `section`/`key` replaced by `change(item)`, checked and audited like a save; the draft's
    id. DraftRefused when the draft has no such item or the kiosk's models refuse the change."""
    content.lock_publishing(session)
    row = _current_row(session) or _start_in(session, by, now)
    item = session.scalars(select(ContentDraftItem).where(*_the_item(row.id, section, key))).first()
    if item is None:
        raise DraftRefused(f"초안에 {SECTION_LABELS[section]}이(가) 없습니다.")
    _save_in(session, row, section, key, change(json.loads(item.body)), item.revision, by, now)
    return row.id


def _editable(session: Session, draft_id: int) -> ContentDraft:
    row = session.get(ContentDraft, draft_id)
    if row is None or row.status not in (OPEN, SCHEDULED):
        raise DraftRefused("이 초안은 이미 게시되었거나 버려졌습니다. 콘텐츠 화면을 새로 여세요.")
    return row


def _conflict(session: Session, draft_id: int, section: str, key: str) -> DraftConflict:
    row = session.scalars(
        select(ContentDraftItem).where(*_the_item(draft_id, section, key))
    ).first()
    if row is None:
        return DraftConflict(
            "다른 직원이 이 항목을 초안에서 지웠습니다. 저장하지 않았습니다. "
            "콘텐츠 화면을 새로 열어 확인하세요."
        )
    when = row.changed_at.astimezone(KST).strftime("%H:%M:%S")
    return DraftConflict(
        f"{row.changed_by or '다른 직원'}님이 {when}에 이 항목을 먼저 저장했습니다. "
        "내 변경은 저장하지 않았습니다. 화면을 새로 열어 바뀐 내용을 보고 다시 고치세요."
    )


def field_problems(error: ValidationError, prefix: tuple[str | int, ...]) -> dict[str, str]:
    """The problems of the item at `prefix` in a failed validation, by their path in the item
    ("dongs.0", "questions.2.prompt.ko"; the first of each; "" for the item as a whole), in the
    contract's words (Korean first)."""
    found: dict[str, str] = {}
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        if err["type"] == "content_rules":
            # Rules across fields carry their own locations, below the model that raised them.
            located = [(loc + tuple(p["loc"]), p["msg"]) for p in err["ctx"]["problems"]]
        else:
            key = err["type"]
            ctx = {**(err.get("ctx") or {}), "input": repr(err.get("input"))[:60]}
            text = message(key, **ctx) if key in MESSAGES else err["msg"]
            located = [(loc, text)]
        for where, text in located:
            if where[: len(prefix)] != prefix:
                continue
            rest = where[len(prefix) :]
            found.setdefault(".".join(str(part) for part in rest), text)
    return found


def _check_in_pack(session: Session, row: ContentDraft, section: str, key: str, body: Any) -> None:
    """The item as it would be in the draft's pack, checked with the kiosk's own models (the
    item's and the pack's rules: a dong, a file, an id used twice); DraftRefused naming each
    of its fields that is wrong. Problems of other items are the diff page's to show."""
    base = _manifest(session, row.base_version)
    if base is None:
        raise DraftRefused(NO_BASE)
    items = {(i.section, i.key): i.body for i in _items_of(session, row.id)}
    items[section, key] = body
    document = join(items, _header(json.loads(base.body)))
    try:
        ContentPack.model_validate(document)
    except ValidationError as e:
        if section in SINGLE_SECTIONS:
            prefix: tuple[str | int, ...] = (section,)
        else:
            keys = [k for (s, k) in items if s == section]
            prefix = (section, keys.index(key))
        paths = field_problems(e, prefix)
        if paths:
            fields: dict[str, str] = {}
            for path, text in paths.items():
                fields.setdefault(path.split(".", 1)[0], text)
            first = next(iter(fields))
            raise DraftRefused(fields[first], first or None, fields, paths) from e


def check_item(db: ServerDatabase, draft_id: int, section: str, body: Any) -> None:
    """What the kiosk's models would say of `body` as the draft's item of its id (or as the
    section's single item), without storing anything: DraftRefused naming each field."""
    key = section if section in SINGLE_SECTIONS else str(body.get(LIST_SECTIONS[section], ""))
    with db.read() as session:
        _check_in_pack(session, _editable(session, draft_id), section, key, body)


def save_item(
    db: ServerDatabase,
    draft_id: int,
    section: str,
    key: str,
    body: Any,
    revision: int,
    by: audit.Actor,
    now: datetime | None = None,
) -> int:
    """Store the edited item if it is still at `revision` (the one the editor opened); its new
    revision. DraftConflict when another editor saved or removed it since; DraftRefused (each
    field's problem) when the kiosk's models refuse it."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        _save_in(session, _editable(session, draft_id), section, key, body, revision, by, now)
    return revision + 1


def _save_in(
    session: Session,
    row: ContentDraft,
    section: str,
    key: str,
    body: Any,
    revision: int,
    by: audit.Actor,
    now: datetime,
) -> None:
    """`save_item` within `session`."""
    draft_id = row.id
    _check_in_pack(session, row, section, key, body)
    before = session.scalars(
        select(ContentDraftItem.body).where(*_the_item(draft_id, section, key))
    ).first()
    # Compare and set in one statement: of two saves from the same revision, one matches.
    done = session.execute(
        update(ContentDraftItem)
        .where(*_the_item(draft_id, section, key), ContentDraftItem.revision == revision)
        .values(body=_body(body), revision=revision + 1, changed_at=now, changed_by=by.name)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise _conflict(session, draft_id, section, key)
    changed = _field_changes(json.loads(before) if before else None, body)
    audit.record(
        session,
        by,
        "content.draft_save",
        target=f"draft:{draft_id}",
        before={"item": f"{SECTION_LABELS[section]} {key}", "revision": revision},
        after={
            "item": f"{SECTION_LABELS[section]} {key}",
            "revision": revision + 1,
            "fields": ", ".join(c.label for c in changed) or "없음",
        },
        now=now,
    )


def add_item(
    db: ServerDatabase,
    draft_id: int,
    section: str,
    body: dict[str, Any],
    by: audit.Actor,
    now: datetime | None = None,
) -> str:
    """A new item of a list section (a promotion, a survey…) at its section's end, or the
    single item of a section that has none (the budget vote); its key. DraftRefused when its id
    is taken in the draft or the kiosk's models refuse it."""
    now = now or datetime.now(UTC)
    key = section if section in SINGLE_SECTIONS else str(body.get(LIST_SECTIONS[section], ""))
    with db.write() as session:
        row = _editable(session, draft_id)
        taken = session.scalar(
            select(ContentDraftItem.id).where(*_the_item(draft_id, section, key))
        )
        if taken is not None:
            raise DraftRefused(
                f"'{key}'은(는) 이 초안에 이미 있는 id입니다. 다른 id를 정하세요.", "id"
            )
        _check_in_pack(session, row, section, key, body)
        last = session.scalar(
            select(func.max(ContentDraftItem.position)).where(ContentDraftItem.draft_id == draft_id)
        )
        session.add(_new_item(draft_id, section, key, (last or 0) + 1, body, now, by))
        audit.record(
            session,
            by,
            "content.draft_add",
            target=f"draft:{draft_id}",
            after={
                "item": f"{SECTION_LABELS[section]} {key}",
                "title": item_title(section, key, body),
            },
            now=now,
        )
    return key


class ItemsRefused(DraftRefused):
    """Items put into a draft together, refused together: `problems[n]` are the n-th item's
    problems by their path in the item, in the kiosk's words."""

    def __init__(self, message: str, problems: dict[int, dict[str, str]]) -> None:
        super().__init__(message)
        self.problems = problems


def put_items(
    db: ServerDatabase,
    draft_id: int,
    section: str,
    bodies: list[dict[str, Any]],
    source: str,
    by: audit.Actor,
    now: datetime | None = None,
) -> tuple[list[str], list[str]]:
    """Put the items `bodies` of a list section into the draft at once (an imported file): an
    item whose id the draft has already is replaced, the others are added at the section's end.
    All or none: ItemsRefused naming each item the kiosk's models refuse. One audit event
    (content.draft_import) names `source` and the items added and replaced; the ids added and
    the ids replaced."""
    now = now or datetime.now(UTC)
    keys = [str(body.get(LIST_SECTIONS[section], "")) for body in bodies]
    if len(set(keys)) != len(keys):
        raise DraftRefused("같은 id의 항목이 두 번 있습니다. 하나만 남기세요.")
    with db.write() as session:
        row = _editable(session, draft_id)
        base = _manifest(session, row.base_version)
        if base is None:
            raise DraftRefused(NO_BASE)
        now_in = {(i.section, i.key): i for i in _items_of(session, draft_id)}
        items = {key: item.body for key, item in now_in.items()}
        items.update(((section, key), body) for key, body in zip(keys, bodies, strict=True))
        try:
            ContentPack.model_validate(join(items, _header(json.loads(base.body))))
        except ValidationError as e:
            places = [k for (s, k) in items if s == section]
            problems = {
                n: found
                for n, key in enumerate(keys)
                if (found := field_problems(e, (section, places.index(key))))
            }
            if problems:
                raise ItemsRefused("가져올 항목에 맞지 않는 값이 있습니다.", problems) from e
        last = session.scalar(
            select(func.max(ContentDraftItem.position)).where(ContentDraftItem.draft_id == draft_id)
        )
        added, replaced = [], []
        for key, body in zip(keys, bodies, strict=True):
            if (section, key) in now_in:
                session.execute(
                    update(ContentDraftItem)
                    .where(*_the_item(draft_id, section, key))
                    .values(
                        body=_body(body),
                        revision=ContentDraftItem.revision + 1,
                        changed_at=now,
                        changed_by=by.name,
                    )
                )
                replaced.append(key)
            else:
                last = (last or 0) + 1
                session.add(_new_item(draft_id, section, key, last, body, now, by))
                added.append(key)
        audit.record(
            session,
            by,
            "content.draft_import",
            target=f"draft:{draft_id}",
            after={
                "source": source,
                "section": SECTION_LABELS[section],
                "added": added,
                "replaced": replaced,
            },
            now=now,
        )
    return added, replaced


COPYABLE = ("surveys", "contests", "proposals", "promotions", "videos", "lessons")


def duplicate_item(
    db: ServerDatabase, draft_id: int, section: str, key: str, by: audit.Actor
) -> str:
    """복제: a copy of the item under a new id ("<id>-copy", "<id>-copy2"…) and a title marked
    (복사본), at its section's end; the copy's id."""
    if section not in COPYABLE:
        raise DraftRefused("이 항목은 복제할 수 없습니다.")
    draft = current(db)
    if draft is None or draft.id != draft_id:
        raise DraftRefused("이 초안은 이미 게시되었거나 버려졌습니다. 콘텐츠 화면을 새로 여세요.")
    item = draft.item(section, key)
    if item is None:
        raise DraftConflict("다른 직원이 이 항목을 초안에서 뺐습니다. 화면을 새로 여세요.")
    taken = {i.key for i in draft.items if i.section == section}
    stem = f"{key[:58]}-copy"
    new_id = next(
        name for n in range(1, 1000) if (name := stem if n == 1 else f"{stem}{n}") not in taken
    )
    body = {**item.body, "id": new_id}
    title = body.get("title")
    if isinstance(title, dict) and title.get("ko"):
        body["title"] = {**title, "ko": f"{title['ko']} (복사본)"}
    return add_item(db, draft_id, section, body, by)


def remove_item(
    db: ServerDatabase,
    draft_id: int,
    section: str,
    key: str,
    revision: int,
    by: audit.Actor,
    now: datetime | None = None,
) -> None:
    """Take the item out of the draft if it is still at `revision`; DraftConflict if not."""
    if section in SINGLE_SECTIONS and section == "district":
        raise DraftRefused("구 정보는 뺄 수 없습니다.")
    now = now or datetime.now(UTC)
    with db.write() as session:
        _editable(session, draft_id)
        done = session.execute(
            delete(ContentDraftItem).where(
                *_the_item(draft_id, section, key), ContentDraftItem.revision == revision
            )
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise _conflict(session, draft_id, section, key)
        audit.record(
            session,
            by,
            "content.draft_remove",
            target=f"draft:{draft_id}",
            before={"item": f"{SECTION_LABELS[section]} {key}", "revision": revision},
            now=now,
        )


def discard(
    db: ServerDatabase, draft_id: int, by: audit.Actor, assets_dir: Path | None = None
) -> None:
    """버리기: the draft is closed unpublished (kept as a record); with `assets_dir`, the files
    it alone named (its uploads) are removed from the server's store."""
    now = datetime.now(UTC)
    with db.write() as session:
        content.lock_publishing(session)
        row = _editable(session, draft_id)
        row.status, row.finished_at, row.publish_at = DISCARDED, now, None
        audit.record(session, by, "content.draft_discard", target=f"draft:{draft_id}", now=now)
        if assets_dir is not None:
            remove_unused_files(session, assets_dir, now)


def files_in_use(session: Session) -> set[str]:
    """The SHA-256 of every file a published version (any: a rollback needs the old ones too)
    or an open or scheduled draft names."""
    used: set[str] = set()
    for body in session.scalars(select(Manifest.body)):
        used.update(str(f["sha256"]) for f in json.loads(body).get("files") or [])
    named = (
        select(ContentDraftItem.body)
        .join(ContentDraft, ContentDraft.id == ContentDraftItem.draft_id)
        .where(ContentDraft.status.in_((OPEN, SCHEDULED)), ContentDraftItem.section == "files")
    )
    used.update(str(json.loads(body)["sha256"]) for body in session.scalars(named))
    return used


def remove_unused_files(session: Session, assets_dir: Path, stored_before: datetime) -> list[str]:
    """Remove the stored files no version or open draft names, stored before `stored_before`
    (an upload storing the same bytes again meanwhile refreshes its row, so it is kept). Runs
    under the publishing lock, in the caller's transaction: a file goes with its row."""
    used = files_in_use(session)
    stored = session.scalars(select(Asset.sha256).where(Asset.stored_at < stored_before))
    unused = [sha for sha in stored if sha not in used]
    if not unused:
        return []
    removed = list(
        session.scalars(
            delete(Asset)
            .where(Asset.sha256.in_(unused), Asset.stored_at < stored_before)
            .returning(Asset.sha256)
        )
    )
    for sha in removed:
        content.asset_file(assets_dir, sha).unlink(missing_ok=True)
    log.info("content.files_removed count=%d", len(removed))
    return removed


# -- preview, publish, schedule ---------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """What publishing the draft now would do to the live version."""

    live_version: str
    changes: list[ItemChange]
    # Items changed both in the draft and in a version published since it was copied.
    conflicts: list[str]
    # Why the result is not a valid pack (the kiosk's own words), if it is not.
    problems: list[str]

    @property
    def publishable(self) -> bool:
        return bool(self.changes) and not self.conflicts and not self.problems


def _result(session: Session, row: ContentDraft) -> tuple[Manifest, dict[str, Any], list[ItemKey]]:
    """The live manifest, the document publishing the draft would make, and its conflicts."""
    newest = _newest(session)
    base = _manifest(session, row.base_version)
    if newest is None or base is None:
        raise DraftRefused(NO_BASE)
    draft = {(i.section, i.key): i.body for i in _items_of(session, row.id)}
    live = json.loads(newest.body)
    result, conflicts = merged(split(json.loads(base.body)), draft, split(live))
    return newest, join(result, _header(live)), conflicts


@dataclass(frozen=True)
class Becoming:
    """The pack document publishing the draft now would make (before it is named and stamped),
    and the items it cannot take because a version published since changed them too."""

    document: dict[str, Any]
    conflicts: list[ItemKey]


def becoming(db: ServerDatabase, draft_id: int) -> Becoming:
    """What publishing the draft would make, built as publishing builds it (the 미리보기 draws
    this, so it shows the live content with the draft's changes, not the draft alone)."""
    with db.read() as session:
        row = session.get(ContentDraft, draft_id)
        if row is None:
            raise DraftRefused("그런 초안이 없습니다.")
        _newest, document, conflicts = _result(session, row)
    return Becoming(document, conflicts)


def _conflict_lines(conflicts: Iterable[ItemKey]) -> list[str]:
    return [
        f"{SECTION_LABELS[s]} '{k}': 초안을 만든 뒤 게시된 버전에서도 바뀌었습니다"
        for s, k in conflicts
    ]


def unknown_groups(session: Session, document: dict[str, Any], live: dict[str, Any]) -> list[str]:
    """A line for each device group that an item `document` adds or changes (against the
    `live` one) targets and this server does not have, naming the item and the field: such an
    item would reach no device, so it is not published (groups are made on 기기 묶음, or come
    with an imported archive). An unchanged item keeps what it had."""
    known = set(session.scalars(select(DeviceGroup.key)))
    before = split(live)
    label = FIELD_LABELS["groups"]
    return [
        f"{SECTION_LABELS[section]} '{key}'의 {label}(groups): "
        f"'{group}' 묶음이 이 서버에 없습니다. 기기 묶음에서 만들거나 고르지 마세요."
        for (section, key), item in split(document).items()
        if section in TARGETED_SECTIONS and item != before.get((section, key))
        for group in item.get("groups") or []
        if group not in known
    ]


def preview(db: ServerDatabase, draft_id: int) -> Preview:
    with db.read() as session:
        row = session.get(ContentDraft, draft_id)
        if row is None:
            raise DraftRefused("그런 초안이 없습니다.")
        newest, document, conflicts = _result(session, row)
        missing = unknown_groups(session, document, json.loads(newest.body))
    problems: list[str] = []
    try:
        ContentPack.model_validate(document)
    except ValidationError as e:
        problems = explain(e, document)
    problems += missing
    changes = differences(split(json.loads(newest.body)), split(document))
    return Preview(newest.content_version, changes, _conflict_lines(conflicts), problems)


def _becoming(document: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """A change for `content.publish_revision` that makes the live document `document`."""

    def replace(live: dict[str, Any]) -> None:
        live.clear()
        live.update(document)

    return replace


def _publish_in(
    session: Session, row: ContentDraft, by: audit.Actor, now: datetime
) -> content.PublishedManifest:
    newest, document, conflicts = _result(session, row)
    if conflicts:
        raise DraftRefused(
            "게시하지 않았습니다. 다른 곳에서도 바뀐 항목이 있습니다:\n"
            + "\n".join(_conflict_lines(conflicts))
        )
    if split(document) == split(json.loads(newest.body)):
        raise DraftRefused("초안에 게시 중인 버전과 다른 점이 없습니다.")
    missing = unknown_groups(session, document, json.loads(newest.body))
    if missing:
        raise DraftRefused("게시하지 않았습니다. 고칠 곳:\n" + "\n".join(missing))

    try:
        published = content.publish_revision(
            session,
            _becoming(document),
            by,
            now,
            action="content.draft_publish",
            note={"draft": row.id},
        )
    except content.PublishError as e:
        lines = str(e).split("\n")[1:] or [str(e)]
        raise DraftRefused("게시하지 않았습니다. 고칠 곳:\n" + "\n".join(lines)) from e
    row.status, row.published_version, row.finished_at = PUBLISHED, published.content_version, now
    row.problem = None
    return published


def publish(
    db: ServerDatabase,
    draft_id: int,
    by: audit.Actor,
    now: datetime | None = None,
    assets_dir: Path | None = None,
) -> content.PublishedManifest:
    """지금 게시: the draft's changes as a new content version; DraftRefused if it cannot be.
    With `assets_dir`, stored files nothing names any more are removed (`remove_unused_files`)."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        content.lock_publishing(session)
        row = _editable(session, draft_id)
        published = _publish_in(session, row, by, now)
        if assets_dir is not None:
            remove_unused_files(session, assets_dir, now)
    log.info("content.draft_published draft=%d version=%s", draft_id, published.content_version)
    return published


def schedule(
    db: ServerDatabase, draft_id: int, when: datetime, by: audit.Actor, now: datetime | None = None
) -> None:
    """예약 게시: the draft is published at `when` (no staff click then)."""
    now = now or datetime.now(UTC)
    if when <= now:
        raise DraftRefused("예약 시각은 지금보다 뒤여야 합니다.", "publish_at")
    with db.write() as session:
        content.lock_publishing(session)
        row = _editable(session, draft_id)
        row.status, row.publish_at, row.scheduled_by, row.problem = SCHEDULED, when, by.name, None
        audit.record(
            session,
            by,
            "content.schedule",
            target=f"draft:{draft_id}",
            after={"publish_at": when.isoformat()},
            now=now,
        )


def unschedule(db: ServerDatabase, draft_id: int, by: audit.Actor) -> None:
    """예약 취소: the draft stays, open for editing."""
    with db.write() as session:
        content.lock_publishing(session)
        row = _editable(session, draft_id)
        before = row.publish_at
        row.status, row.publish_at, row.scheduled_by = OPEN, None, None
        audit.record(
            session,
            by,
            "content.unschedule",
            target=f"draft:{draft_id}",
            before={"publish_at": before.isoformat() if before else None},
        )


def publish_due(
    db: ServerDatabase, now: datetime | None = None, assets_dir: Path | None = None
) -> list[str]:
    """Publish every scheduled draft whose time has come; the versions published (with
    `assets_dir`, unused files removed as `publish` does).

    Safe in several processes at once: each draft is read again under the publishing lock, and
    only one process finds it still scheduled. A draft that cannot be published goes back to
    편집 중 with the reason kept on it (the console shows it)."""
    now = now or datetime.now(UTC)
    with db.read() as session:
        due = list(
            session.scalars(
                select(ContentDraft.id).where(
                    ContentDraft.status == SCHEDULED, ContentDraft.publish_at <= now
                )
            )
        )
    versions = []
    for draft_id in due:
        try:
            with db.write() as session:
                content.lock_publishing(session)
                row = session.get(ContentDraft, draft_id)
                if row is None or row.status != SCHEDULED or row.publish_at is None:
                    continue
                if row.publish_at > now:
                    continue
                by = audit.Actor(row.scheduled_by, audit.SCHEDULED)
                published = _publish_in(session, row, by, now)
                if assets_dir is not None:
                    remove_unused_files(session, assets_dir, now)
        except DraftRefused as e:
            with db.write() as session:
                row = session.get(ContentDraft, draft_id)
                if row is not None and row.status == SCHEDULED:
                    row.status, row.problem = OPEN, e.message
                    audit.record(
                        session,
                        audit.Actor(row.scheduled_by, audit.SCHEDULED),
                        "content.schedule_failed",
                        target=f"draft:{draft_id}",
                        after={"reason": e.message},
                        now=now,
                    )
            log.error("content.scheduled_publish_failed draft=%d reason=%s", draft_id, e.message)
            continue
        log.info(
            "content.scheduled_published draft=%d version=%s", draft_id, published.content_version
        )
        versions.append(published.content_version)
    return versions


class DuePublisher:
    """Runs `publish_due` every `every` in a thread of its own, for the life of the app; every
    server process has one (the lock makes one of them publish)."""

    def __init__(
        self, db: ServerDatabase, every: timedelta, assets_dir: Path | None = None
    ) -> None:
        self._db, self._assets_dir = db, assets_dir
        self._every = every.total_seconds()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="due-publisher", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                publish_due(self._db, assets_dir=self._assets_dir)
            except SQLAlchemyError as e:
                # The database is busy or away: the next tick tries again.
                log.warning("content.publish_due_failed error=%s", e)


# -- versions and rollback ---------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    """A published content version as the 콘텐츠 page lists it."""

    content_version: str
    published_at: datetime
    live: bool
    published_by: str | None
    how: str
    counts: list[tuple[str, int]]


PUBLISH_HOW = {
    "content.publish": "게시",
    "content.draft_publish": "초안 게시",
    "content.rollback": "되돌리기",
    "content.import": "가져오기",
    "proposal.publish": "제안 게시",
}
VERSIONS_SHOWN = 50


def versions(db: ServerDatabase, limit: int = VERSIONS_SHOWN) -> list[VersionRow]:
    """The newest `limit` content versions, newest first: who published each, how, and how
    many items of each kind it has."""
    with db.read() as session:
        rows = list(session.scalars(select(Manifest).order_by(Manifest.id.desc()).limit(limit)))
        targets = [f"content:{m.content_version}" for m in rows]
        events = session.execute(
            select(AuditEvent.target, AuditEvent.actor, AuditEvent.action).where(
                AuditEvent.target.in_(targets), AuditEvent.action.in_(list(PUBLISH_HOW))
            )
        ).all()
    who = {e.target: (e.actor, PUBLISH_HOW[e.action]) for e in events}
    out = []
    for i, m in enumerate(rows):
        items = split(json.loads(m.body))
        counts = [
            (SECTION_LABELS[s], sum(1 for (sec, _k) in items if sec == s))
            for s in ("surveys", "contests", "proposals", "promotions", "videos", "files")
        ]
        actor, how = who.get(f"content:{m.content_version}", (None, "게시"))
        out.append(VersionRow(m.content_version, m.published_at, i == 0, actor, how, counts))
    return out


def version_changes(db: ServerDatabase, version: str) -> tuple[str, list[ItemChange]]:
    """What rolling back to `version` would change in the live version: (live, changes)."""
    with db.read() as session:
        old, newest = _manifest(session, version), _newest(session)
    if old is None or newest is None:
        raise DraftRefused("그런 콘텐츠 버전이 없습니다.")
    return newest.content_version, differences(
        split(json.loads(newest.body)), split(json.loads(old.body))
    )


def rollback(
    db: ServerDatabase, version: str, by: audit.Actor, now: datetime | None = None
) -> content.PublishedManifest:
    """되돌리기: a NEW content version with `version`'s content, so devices move forward to it."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        content.lock_publishing(session)
        old, newest = _manifest(session, version), _newest(session)
        if old is None or newest is None:
            raise DraftRefused("그런 콘텐츠 버전이 없습니다.")
        if old.id == newest.id:
            raise DraftRefused("지금 게시 중인 버전입니다. 되돌릴 것이 없습니다.")
        try:
            published = content.publish_revision(
                session,
                _becoming(json.loads(old.body)),
                by,
                now,
                action="content.rollback",
                note={"rolled_back_to": version},
            )
        except content.PublishError as e:
            raise DraftRefused(f"되돌리지 못했습니다: {e}") from e
    log.info("content.rolled_back to=%s version=%s", version, published.content_version)
    return published
