"""The append-only audit log of staff actions (Warehouse's events, Zulip's RealmAuditLog):
who, when, what, on what, before and after, and from where.

This module only adds and reads rows; nothing in the code updates or deletes one, and the
database refuses both (migration 0007). An event is written in the same transaction as the
action it records, so there is no action without its event.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import ServerDatabase
from server.db.models import AuditEvent

# What each action is called on the console's audit page.
ACTION_LABELS = {
    "login.success": "로그인",
    "login.failure": "로그인 실패",
    "login.locked": "로그인 잠김",
    "logout": "로그아웃",
    "staff.add": "직원 계정 추가",
    "staff.disable": "직원 계정 사용 중지",
    "staff.password_change": "비밀번호 변경",
    "staff.password_reset": "비밀번호 재설정",
    "device.approve": "기기 승인",
    "device.revoke": "기기 회수",
    "enrolment_code.create": "등록 코드 발급",
    "held.list": "보류 목록 조회",
    "held.release": "보류 해제 (집계)",
    "held.refuse": "보류 거부",
    "staff_call.acknowledge": "직원 호출 가는 중",
    "staff_call.resolve": "직원 호출 해결",
    "content.publish": "콘텐츠 게시",
    "bundle.import": "USB 묶음 가져오기",
    "proposal.publish": "제안 게시",
    "proposal.refuse": "제안 반려",
    "proposal.answer": "제안 답변",
    "responses.export": "설문 응답 내려받기",
    "report.play_export": "송출 기록 내려받기",
    "report.participation_export": "참여 현황 내려받기",
    "points.lookup": "포인트 창구 조회",
    "points.lookup_limited": "포인트 창구 조회 거절 (횟수 초과)",
    "points.exchange_fulfil": "포인트 교환 지급 완료",
    "points.exchange_refuse": "포인트 교환 반려",
    "coach.add": "코치 추가",
    "coach.revoke": "코치 사용 중지",
    "coach.reset_pin": "코치 PIN 재설정",
    "content.draft_start": "콘텐츠 초안 만들기",
    "content.draft_save": "콘텐츠 초안 항목 저장",
    "content.draft_add": "콘텐츠 초안 항목 추가",
    "content.draft_import": "콘텐츠 초안에 파일로 항목 가져오기",
    "content.draft_remove": "콘텐츠 초안 항목 빼기",
    "content.draft_discard": "콘텐츠 초안 버리기",
    "content.draft_publish": "콘텐츠 초안 게시",
    "content.schedule": "콘텐츠 게시 예약",
    "content.unschedule": "콘텐츠 게시 예약 취소",
    "content.schedule_failed": "콘텐츠 예약 게시 실패",
    "content.rollback": "콘텐츠 되돌리기",
    "content.import": "콘텐츠 가져오기",
    "content.export": "콘텐츠 내보내기",
    "groups.create": "기기 묶음 만들기",
    "groups.change": "기기 묶음 바꾸기",
    "groups.delete": "기기 묶음 지우기",
}


# What each field of a before/after document is called on the audit page, and how its words read.
FIELD_LABELS = {
    "name": "이름",
    "role": "역할",
    "dong": "동",
    "disabled_at": "사용 중지",
    "revoked_at": "회수",
    "approved_at": "승인",
    "approved_by": "승인한 사람",
    "expires_at": "만료",
    "note": "메모",
    "reason": "사유",
    "locked_until": "잠금 해제",
    "status": "상태",
    "counted": "집계됨",
    "decision": "결정",
    "device_id": "기기",
    "envelope_id": "제출 id",
    "kind": "종류",
    "shown": "보인 건수",
    "all": "결정된 것 포함",
    "acknowledged_at": "가는 중",
    "resolved_at": "해결",
    "content_version": "콘텐츠 버전",
    "files": "파일 수",
    "count": "건수",
    "first_seq": "첫 순번",
    "last_seq": "끝 순번",
    "accepted": "받음",
    "duplicate": "중복",
    "rejected": "거부",
    "survey_id": "설문",
    "format": "형식",
    "sessions_ended": "끝낸 세션 수",
    "answer": "구청 답변",
    "proposal_id": "제안 id",
    "range": "기간",
    "rows": "줄 수",
    "lines": "내역 줄 수",
    "found": "내역 있음",
    "points": "포인트",
    "certificate": "상품권 번호",
    "code": "코치 번호",
    "pin": "비밀번호(PIN)",
    "item": "항목",
    "title": "제목",
    "revision": "고친 횟수",
    "fields": "바꾼 칸",
    "draft": "초안",
    "publish_at": "게시 예정",
    "rolled_back_to": "되돌린 버전",
    "source": "가져온 파일",
    "section": "종류",
    "added": "추가한 항목",
    "replaced": "바꾼 항목",
    "key": "식별자",
    "devices": "기기",
}
VALUE_LABELS = {
    "admin": "관리자",
    "content": "콘텐츠 담당",
    "dong": "동 담당",
    "viewer": "보기",
    "wrong": "비밀번호 틀림",
    "wrong current password": "현재 비밀번호 틀림",
    "unknown name": "없는 이름",
    "disabled": "사용 중지된 계정",
    "held": "보류",
    "released": "해제",
    "refused": "거부",
    "waiting": "기다리는 중",
    "coming": "가는 중",
    "resolved": "해결",
    "published": "게시",
    "csv": "CSV",
    "xlsx": "엑셀 (XLSX)",
    "requested": "신청",
    "fulfilled": "지급 완료",
    "active": "사용 중",
    "revoked": "사용 중지",
    "changed": "바뀜 (값은 기록하지 않음)",
}
COMMAND_LINE = "command line"
# The client of what the server did by itself at a time staff set (a scheduled publish).
SCHEDULED = "scheduled"


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff account's name (or "cli:USER" on the command line), and from where."""

    name: str | None
    client: str | None = None

    @classmethod
    def command_line(cls) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        return cls(name=f"cli:{user}", client=COMMAND_LINE)


def _document(value: Mapping[str, Any] | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: Session,
    actor: Actor,
    action: str,
    target: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Add one event to the log inside `session`'s transaction (the action's own)."""
    session.add(
        AuditEvent(
            at=now or datetime.now(UTC),
            actor=actor.name,
            action=action,
            target=target,
            before=_document(before),
            after=_document(after),
            client=actor.client,
        )
    )


def fields(document: str | None) -> list[tuple[str, Any]]:
    """A before/after document as (field, value) pairs in its stored order; [] for none."""
    if not document:
        return []
    try:
        value = json.loads(document)
    except ValueError:
        return [("", document)]
    if not isinstance(value, dict):
        return [("", value)]
    return list(value.items())


@dataclass(frozen=True)
class Filter:
    """Which events to read: by who acted (exact name), what kind of action (the part before
    the dot: "login", "staff", "device"…), and when (UTC, `since` inclusive, `until` not)."""

    actor: str | None = None
    action_group: str | None = None
    since: datetime | None = None
    until: datetime | None = None


# The kinds of action, as the audit page's filter names them (the part of an action before ".").
GROUP_LABELS = {
    "login": "로그인",
    "logout": "로그아웃",
    "staff": "직원 계정",
    "device": "기기",
    "enrolment_code": "등록 코드",
    "held": "보류",
    "staff_call": "직원 호출",
    "content": "콘텐츠",
    "bundle": "USB 묶음",
    "groups": "기기 묶음",
}


def action_groups() -> list[tuple[str, str]]:
    """(group, Korean name) of every kind of action the log knows, in the order first named."""
    groups = dict.fromkeys(action.partition(".")[0] for action in ACTION_LABELS)
    return [(g, GROUP_LABELS.get(g, g)) for g in groups]


def events(
    db: ServerDatabase, limit: int | None = None, where: Filter | None = None
) -> list[AuditEvent]:
    """The log, newest first; at most `limit` events; only those `where` lets through."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if where is not None:
        if where.actor:
            query = query.where(AuditEvent.actor == where.actor)
        if where.action_group:
            group = where.action_group
            query = query.where(
                (AuditEvent.action == group) | AuditEvent.action.startswith(f"{group}.")
            )
        if where.since is not None:
            query = query.where(AuditEvent.at >= where.since)
        if where.until is not None:
            query = query.where(AuditEvent.at < where.until)
    if limit is not None:
        query = query.limit(limit)
    with db.read() as session:
        return list(session.scalars(query))


CSV_HEADER = ("id", "at", "actor", "action", "target", "before", "after", "client")


def to_csv(rows: list[AuditEvent]) -> str:
    """The events as CSV (oldest first), one column per field, times in UTC."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for e in sorted(rows, key=lambda e: e.id):
        writer.writerow(
            (
                e.id,
                e.at.isoformat(timespec="seconds"),
                e.actor or "",
                e.action,
                e.target or "",
                e.before or "",
                e.after or "",
                e.client or "",
            )
        )
    return out.getvalue()
