"""What every page of the console shares: the guards (`page` for a GET, `action` for a POST),
rendering with the navigation and security headers, the Jinja2 filters, and the small helpers
(`state_of`, `client_of`, `actor_of`, `dong_names`, `form_field`).

A page lives in its own module with its own `APIRouter(prefix=PREFIX)`; `server.console.views`
installs them all. Two dependencies guard every route but the login page: `page(action)` for a
GET (anonymous: redirect to the login page; not allowed: 403) and `action(name)` for a POST
(anonymous: 401; no or wrong CSRF token: 403; not allowed: 403). Both ask
`server.staff.allowed`.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from contract.receipt import receipt_number
from server import audit, staff
from server.staff import SignedIn, allowed

if TYPE_CHECKING:
    from server.app import ServerState

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE.parents[1] / "assets" / "fonts"
PREFIX = "/staff"
SESSION_COOKIE = "ontong_staff"
LOGIN_CSRF_COOKIE = "ontong_staff_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
KST = timezone(timedelta(hours=9), "KST")


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Page:
    """A page of the console as the navigation and the home page list it."""

    path: str
    action: str
    title: str
    summary: str


PAGES = (
    Page(
        f"{PREFIX}/calls",
        "calls.view",
        "직원 호출",
        "주민이 키오스크에서 부른 호출. 어느 기기, 어느 화면, 얼마나 기다렸는지. 가는 중, 해결.",
    ),
    Page(
        f"{PREFIX}/emergency",
        "emergency.post",
        "긴급 공지",
        "모든 기기 또는 한 동의 전광판과 키오스크에 10초 안에 뜨는 긴급 공지. 한 번 눌러 내리기.",
    ),
    Page(
        f"{PREFIX}/devices",
        "devices.view",
        "기기 현황",
        "키오스크와 전광판의 마지막 신호, 보내지 못한 제출, 오류. 등록 코드 발급, 승인, 회수.",
    ),
    Page(
        f"{PREFIX}/responses",
        "responses.view",
        "참여 내용",
        "설문·정책퀴즈 응답과 문항별 그림, CSV·엑셀 내려받기. 공모 응모와 투표, 공감과 투표 수.",
    ),
    Page(
        f"{PREFIX}/proposals",
        "proposals.view",
        "제안 검토",
        "키오스크에서 주민이 쓴 새 정책제안. 검토 대기 → 게시 또는 반려, 구청 답변.",
    ),
    Page(
        f"{PREFIX}/content",
        "content.view",
        "콘텐츠",
        "게시된 콘텐츠 버전과 초안. 고친 내용 비교, 지금 또는 예약 게시, 이전 버전으로 되돌리기.",
    ),
    Page(
        f"{PREFIX}/groups",
        "groups.view",
        "기기 묶음",
        "같은 홍보·알림을 받는 기기들 (예: 한 아파트 단지의 전광판). 묶음 만들기, 기기 넣고 빼기.",
    ),
    Page(
        f"{PREFIX}/points",
        "points.lookup",
        "포인트",
        "창구에서 주민의 포인트와 내역 조회. 상품권 교환 신청의 지급 완료, 반려.",
    ),
    Page(
        f"{PREFIX}/held",
        "held.manage",
        "보류된 제출",
        "승인을 기다리는 기기에서 왔거나 한도를 넘어 아직 집계되지 않은 제출. 집계 또는 거부.",
    ),
    Page(
        f"{PREFIX}/reports",
        "reports.view",
        "보고서",
        "공약 확인지표(온통중구 활용 건수)와 응답 수, 참여 현황, 전광판 송출 기록, 디지털 코칭.",
    ),
    Page(
        f"{PREFIX}/coaches",
        "coaches.manage",
        "코치",
        "디지털 코칭단 코치의 번호와 PIN. 추가, 사용 중지, PIN 재설정: 기기의 다음 신호 때 반영.",
    ),
    Page(
        f"{PREFIX}/accounts",
        "staff.manage",
        "직원 계정",
        "콘솔을 쓰는 직원의 계정과 역할. 계정 추가, 사용 중지.",
    ),
    Page(
        f"{PREFIX}/audit",
        "audit.view",
        "감사 기록",
        "직원이 한 모든 일: 누가, 언제, 무엇을, 어디에서. CSV로 내려받기.",
    ),
)


# Envelope kinds (contract.wire.PAYLOAD_MODELS) as staff call them.
KIND_LABELS = {
    "survey_response": "설문 응답",
    "contest_vote": "공모 투표",
    "contest_entry": "공모 응모",
    "staff_call": "직원 호출",
    "play_stats": "재생 기록",
    "proposal": "정책제안",
    "proposal_agree": "공감",
    "ballot": "주민참여예산 투표",
    "points_exchange": "포인트 교환",
    "points_donation": "포인트 기부",
    "coach_session": "코칭 기록",
}


class ConsoleRefusal(Exception):
    """An answer other than the page: `status` with a plain Korean sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SignInFirst(Exception):
    """An anonymous GET: the answer is the login page, coming back to `path` afterwards."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


templates = Jinja2Templates(directory=HERE / "templates")


def _kst(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(KST).strftime("%Y-%m-%d %H:%M")


def _kst_short(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(KST).strftime("%m-%d %H:%M")


def _kst_seconds(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")


def _audit_value(value: Any) -> str:
    """A value of an audit document as a person reads it: times in KST, words in Korean."""
    if value is None:
        return "없음"
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, list):
        return ", ".join(_audit_value(v) for v in value) or "없음"
    if isinstance(value, str):
        try:
            return _kst_seconds(datetime.fromisoformat(value))
        except ValueError:
            return audit.VALUE_LABELS.get(value, value)
    return str(value)


@dataclass(frozen=True)
class Change:
    """One field of an audit event as the page shows it: before → after (None: not there)."""

    label: str
    before: str | None
    after: str | None


def _changes(before: str | None, after: str | None) -> list[Change]:
    was, now = dict(audit.fields(before)), dict(audit.fields(after))
    names = list(now) + [f for f in was if f not in now]
    return [
        Change(
            audit.FIELD_LABELS.get(name, name),
            _audit_value(was[name]) if name in was else None,
            _audit_value(now[name]) if name in now else None,
        )
        for name in names
        if name not in was or name not in now or was[name] != now[name]
    ]


TARGET_KINDS = {
    "staff": "직원",
    "device": "기기",
    "held": "보류 번호",
    "content": "콘텐츠",
    "proposal": "제안",
    "survey": "설문",
    "exchange": "교환 신청",
    "coach": "코치",
    "draft": "콘텐츠 초안",
}


def _target_label(target: str | None) -> str:
    if not target:
        return "-"
    kind, sep, name = target.partition(":")
    return f"{TARGET_KINDS[kind]} {name}" if sep and kind in TARGET_KINDS else target


def _client_label(client: str | None) -> str:
    if client == audit.COMMAND_LINE:
        return "서버 명령줄"
    if client == audit.SCHEDULED:
        return "예약 게시 (서버가 스스로)"
    return client or "-"


def _ago(value: datetime | None) -> str:
    if value is None:
        return "없음"
    seconds = int((datetime.now(UTC) - value).total_seconds())
    return duration(seconds) + " 전"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    if s < 60:
        return f"{s}초"
    if s < 3600:
        return f"{s // 60}분"
    if s < 86400:
        return f"{s // 3600}시간 {s % 3600 // 60}분"
    return f"{s // 86400}일 {s % 86400 // 3600}시간"


templates.env.filters["kst"] = _kst
templates.env.filters["receipt_number"] = receipt_number
templates.env.filters["ago"] = _ago
templates.env.filters["duration"] = duration
templates.env.filters["kst_seconds"] = _kst_seconds
templates.env.filters["kst_short"] = _kst_short
templates.env.filters["audit_value"] = _audit_value
templates.env.filters["client_label"] = _client_label
templates.env.filters["target_label"] = _target_label
templates.env.globals["audit_changes"] = _changes
templates.env.globals["kind_label"] = lambda k: KIND_LABELS.get(k, k)
templates.env.globals["action_label"] = lambda a: audit.ACTION_LABELS.get(a, a)


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def client_of(request: Request) -> str | None:
    return request.client.host if request.client is not None else None


def actor_of(request: Request, signed_in: SignedIn) -> audit.Actor:
    """Who does a staff action, as the audit log records it: the name and the client address."""
    return audit.Actor(signed_in.staff.name, client_of(request))


def signed_in_of(request: Request) -> SignedIn | None:
    cached: SignedIn | None = getattr(request.state, "staff_session", None)
    if cached is None:
        cached = staff.session_for(state_of(request).db, request.cookies.get(SESSION_COOKIE))
        request.state.staff_session = cached
    return cached


def page(name: str) -> Callable[[Request], SignedIn]:
    """A GET guard: the signed-in staff member allowed `name`."""

    def guard(request: Request) -> SignedIn:
        signed_in = signed_in_of(request)
        if signed_in is None:
            # Back to the same page after signing in, its query too (a survey's ?id=).
            query = request.url.query
            raise SignInFirst(request.url.path + (f"?{query}" if query else ""))
        if not allowed(signed_in.staff, name):
            raise ConsoleRefusal(403, "이 화면을 볼 권한이 없습니다.")
        return signed_in

    return guard


@dataclass(frozen=True)
class Posted:
    """A checked POST: who sent it and its form."""

    signed_in: SignedIn
    form: FormData


def check_csrf(request: Request, signed_in: SignedIn, form: Mapping[str, object]) -> None:
    """403 unless the form (or the X-CSRF-Token header htmx sends) has the session's token."""
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(sent, str) or not hmac.compare_digest(sent, signed_in.csrf_token):
        raise ConsoleRefusal(403, "양식이 만료되었거나 올바르지 않습니다. 화면을 새로 여세요.")


def action(name: str) -> Callable[[Request], Awaitable[Posted]]:
    """A POST guard: a signed-in member of staff allowed `name`, with the session's CSRF token
    in the form (or the X-CSRF-Token header htmx sends)."""

    async def guard(request: Request) -> Posted:
        signed_in = signed_in_of(request)
        if signed_in is None:
            raise ConsoleRefusal(401, "로그인이 필요합니다. 다시 로그인하세요.")
        form = await request.form()
        check_csrf(request, signed_in, form)
        if not allowed(signed_in.staff, name):
            raise ConsoleRefusal(403, "이 일을 할 권한이 없습니다.")
        return Posted(signed_in, form)

    return guard


def render(
    request: Request,
    template: str,
    signed_in: SignedIn | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    nav = []
    if signed_in is not None:
        nav = [p for p in PAGES if allowed(signed_in.staff, p.action)]
    response = templates.TemplateResponse(
        request,
        template,
        {
            "signed_in": signed_in,
            "staff": signed_in.staff if signed_in else None,
            "csrf_token": signed_in.csrf_token if signed_in else "",
            "nav": nav,
            "path": request.url.path,
            **context,
        },
        status_code=status_code,
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(path: str) -> RedirectResponse:
    response = RedirectResponse(path, status_code=303)
    response.headers.update(SECURITY_HEADERS)
    return response


def safe_next(path: str | None) -> str:
    # Only a console path: the login page never sends anyone elsewhere.
    if path and path.startswith(f"{PREFIX}/") and not path.startswith("//") and "\\" not in path:
        return path
    return f"{PREFIX}/"


def dong_names(state: ServerState) -> dict[str, str]:
    """Dong id -> Korean name, from the newest published pack ({} before one is published)."""
    pack = state.ingest.newest_pack.get()
    if pack is None:
        return {}
    return {d.id: d.name.ko for d in pack.district.dongs}


def form_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
