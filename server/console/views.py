"""The console's routes: login and logout, the home page, 기기 현황 (the fleet) and the audit log.

Two dependencies guard every route but the login page: `page(action)` for a GET (anonymous:
redirect to the login page; not allowed: 403) and `action(name)` for a POST (anonymous: 401;
no or wrong CSRF token: 403; not allowed: 403). Both ask `server.staff.allowed`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from server import audit, auth, calls, fleet, staff
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
AUDIT_PAGE_ROWS = 500
CODE_HOURS = {"24": 24.0, "168": 168.0, "720": 720.0}

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
        f"{PREFIX}/devices",
        "devices.view",
        "기기 현황",
        "키오스크와 전광판의 마지막 신호, 보내지 못한 제출, 오류. 등록 코드 발급, 승인, 회수.",
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


TARGET_KINDS = {"staff": "직원", "device": "기기", "held": "보류 번호", "content": "콘텐츠"}


def _target_label(target: str | None) -> str:
    if not target:
        return "-"
    kind, sep, name = target.partition(":")
    return f"{TARGET_KINDS[kind]} {name}" if sep and kind in TARGET_KINDS else target


def _client_label(client: str | None) -> str:
    if client == audit.COMMAND_LINE:
        return "서버 명령줄"
    return client or "-"


def _ago(value: datetime | None) -> str:
    if value is None:
        return "없음"
    seconds = int((datetime.now(UTC) - value).total_seconds())
    return _duration(seconds) + " 전"


def _duration(seconds: float | None) -> str:
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
templates.env.filters["ago"] = _ago
templates.env.filters["duration"] = _duration
templates.env.filters["kst_seconds"] = _kst_seconds
templates.env.filters["kst_short"] = _kst_short
templates.env.filters["audit_value"] = _audit_value
templates.env.filters["client_label"] = _client_label
templates.env.filters["target_label"] = _target_label
templates.env.globals["audit_changes"] = _changes
templates.env.globals["action_label"] = lambda a: audit.ACTION_LABELS.get(a, a)


def _state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


def _client(request: Request) -> str | None:
    return request.client.host if request.client is not None else None


def _signed_in(request: Request) -> SignedIn | None:
    cached: SignedIn | None = getattr(request.state, "staff_session", None)
    if cached is None:
        cached = staff.session_for(_state(request).db, request.cookies.get(SESSION_COOKIE))
        request.state.staff_session = cached
    return cached


def page(name: str) -> Callable[[Request], SignedIn]:
    """A GET guard: the signed-in staff member allowed `name`."""

    def guard(request: Request) -> SignedIn:
        signed_in = _signed_in(request)
        if signed_in is None:
            raise SignInFirst(request.url.path)
        if not allowed(signed_in.staff, name):
            raise ConsoleRefusal(403, "이 화면을 볼 권한이 없습니다.")
        return signed_in

    return guard


@dataclass(frozen=True)
class Posted:
    """A checked POST: who sent it and its form."""

    signed_in: SignedIn
    form: FormData


def action(name: str) -> Callable[[Request], Awaitable[Posted]]:
    """A POST guard: a signed-in member of staff allowed `name`, with the session's CSRF token
    in the form (or the X-CSRF-Token header htmx sends)."""

    async def guard(request: Request) -> Posted:
        signed_in = _signed_in(request)
        if signed_in is None:
            raise ConsoleRefusal(401, "로그인이 필요합니다. 다시 로그인하세요.")
        form = await request.form()
        sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
        if not isinstance(sent, str) or not hmac.compare_digest(sent, signed_in.csrf_token):
            raise ConsoleRefusal(403, "양식이 만료되었거나 올바르지 않습니다. 화면을 새로 여세요.")
        if not allowed(signed_in.staff, name):
            raise ConsoleRefusal(403, "이 일을 할 권한이 없습니다.")
        return Posted(signed_in, form)

    return guard


def _render(
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


def _redirect(path: str) -> RedirectResponse:
    response = RedirectResponse(path, status_code=303)
    response.headers.update(SECURITY_HEADERS)
    return response


def _safe_next(path: str | None) -> str:
    # Only a console path: the login page never sends anyone elsewhere.
    if path and path.startswith(f"{PREFIX}/") and not path.startswith("//") and "\\" not in path:
        return path
    return f"{PREFIX}/"


router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form; its CSRF token is also in a cookie of its own (there is no session)."""
    if _signed_in(request) is not None:
        return _redirect(_safe_next(next))
    return _login_form(request, next)


def _login_form(
    request: Request, next: str | None, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = _render(
        request,
        "login.html",
        None,
        status_code=status_code,
        login_csrf=token,
        next=_safe_next(next),
        error=error,
        name=None,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path=f"{PREFIX}/login",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    sent, expected = form.get(CSRF_FIELD), request.cookies.get(LOGIN_CSRF_COOKIE)
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise ConsoleRefusal(403, "로그인 양식이 만료되었습니다. 로그인 화면을 새로 여세요.")
    name, password = form.get("name"), form.get("password")
    next_path = form.get("next")
    next_path = next_path if isinstance(next_path, str) else None
    if not isinstance(name, str) or not isinstance(password, str) or not name or not password:
        return _login_form(request, next_path, "이름과 비밀번호를 모두 입력하세요.", 400)
    state = _state(request)
    try:
        opened = staff.login(state.db, name.strip(), password, _client(request))
    except staff.LoginRefused as e:
        status = 429 if e.locked_until is not None else 401
        return _login_form(request, next_path, str(e), status)
    response = _redirect(_safe_next(next_path))
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        path=PREFIX,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=int(staff.SESSION_LIFETIME.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=f"{PREFIX}/login")
    return response


@router.post("/logout")
def logout(
    request: Request, posted: Annotated[Posted, Depends(action("console.home"))]
) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    staff.logout(_state(request).db, token, posted.signed_in, _client(request))
    response = _redirect(f"{PREFIX}/login")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("console.home"))]
) -> HTMLResponse:
    return _render(request, "home.html", signed_in, title="직원 콘솔")


def _fleet_context(request: Request, signed_in: SignedIn) -> dict[str, Any]:
    state = _state(request)
    entries = [
        e
        for e in fleet.overview(state.db, state.settings.offline_after)
        if allowed(signed_in.staff, "devices.view", staff.dong_resource(e.dong))
    ]
    return {
        "dong_names": _dong_names(state),
        "entries": entries,
        "offline_after": _duration(state.settings.offline_after.total_seconds()),
        "counts": {
            "all": len(entries),
            "offline": sum(1 for e in entries if e.offline_since is not None),
            "waiting": sum(1 for e in entries if e.waiting_for_approval),
            "revoked": sum(1 for e in entries if e.revoked),
        },
        "can_manage": allowed(signed_in.staff, "devices.manage"),
        "now": datetime.now(UTC),
    }


def _dong_names(state: ServerState) -> dict[str, str]:
    """Dong id -> Korean name, from the newest published pack ({} before one is published)."""
    pack = state.ingest.newest_pack.get()
    if pack is None:
        return {}
    return {d.id: d.name.ko for d in pack.district.dongs}


@router.get("/devices", response_class=HTMLResponse)
def devices_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("devices.view"))]
) -> HTMLResponse:
    return _render(
        request, "devices.html", signed_in, title="기기 현황", **_fleet_context(request, signed_in)
    )


@router.get("/devices/table", response_class=HTMLResponse)
def devices_table(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("devices.view"))]
) -> HTMLResponse:
    """The fleet table alone, which the page refreshes every 30 s (htmx)."""
    return _render(request, "devices_table.html", signed_in, **_fleet_context(request, signed_in))


@router.post("/devices/codes", response_class=HTMLResponse)
def create_code(
    request: Request, posted: Annotated[Posted, Depends(action("devices.manage"))]
) -> HTMLResponse:
    """A new enrolment code, shown once on the page that answers (only its hash is kept)."""
    hours = CODE_HOURS.get(str(posted.form.get("hours")), auth.DEFAULT_CODE_HOURS)
    note = posted.form.get("note")
    note = note.strip() if isinstance(note, str) and note.strip() else None
    by = audit.Actor(posted.signed_in.staff.name, _client(request))
    issued = auth.new_enrollment_code(_state(request).db, hours=hours, note=note, by=by)
    return _render(
        request,
        "devices.html",
        posted.signed_in,
        title="기기 현황",
        issued=issued,
        issued_note=note,
        **_fleet_context(request, posted.signed_in),
    )


def _entry(request: Request, device_id: str) -> fleet.FleetEntry:
    state = _state(request)
    for entry in fleet.overview(state.db, state.settings.offline_after):
        if entry.report.device_id == device_id:
            return entry
    raise ConsoleRefusal(404, "그런 기기가 없습니다.")


@router.post("/devices/{device_id}/approve")
def approve_device(
    request: Request,
    device_id: str,
    posted: Annotated[Posted, Depends(action("devices.manage"))],
) -> Response:
    _entry(request, device_id)
    by = audit.Actor(posted.signed_in.staff.name, _client(request))
    auth.approve(_state(request).db, device_id, by)
    return _redirect(f"{PREFIX}/devices")


@router.get("/devices/{device_id}/revoke", response_class=HTMLResponse)
def revoke_confirm(
    request: Request,
    device_id: str,
    signed_in: Annotated[SignedIn, Depends(page("devices.manage"))],
) -> HTMLResponse:
    """Asks before revoking: a revoked device can send nothing again."""
    return _render(
        request,
        "revoke.html",
        signed_in,
        title="기기 회수",
        entry=_entry(request, device_id),
    )


@router.post("/devices/{device_id}/revoke")
def revoke_device(
    request: Request,
    device_id: str,
    posted: Annotated[Posted, Depends(action("devices.manage"))],
) -> Response:
    _entry(request, device_id)
    by = audit.Actor(posted.signed_in.staff.name, _client(request))
    auth.revoke(_state(request).db, device_id, by=by)
    return _redirect(f"{PREFIX}/devices")


CALLS_REFRESH_S = 3


def _calls_context(request: Request, signed_in: SignedIn) -> dict[str, Any]:
    state = _state(request)
    shown = [
        c
        for c in calls.open_calls(state.db)
        if allowed(signed_in.staff, "calls.view", staff.dong_resource(c.dong))
    ]
    return {
        "calls": shown,
        "dong_names": _dong_names(state),
        "can_answer": allowed(signed_in.staff, "calls.answer"),
        "now": datetime.now(UTC),
        "refresh_s": CALLS_REFRESH_S,
        "waiting": sum(1 for c in shown if c.status == calls.WAITING),
    }


@router.get("/calls", response_class=HTMLResponse)
def calls_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("calls.view"))]
) -> HTMLResponse:
    return _render(
        request, "calls.html", signed_in, title="직원 호출", **_calls_context(request, signed_in)
    )


@router.get("/calls/table", response_class=HTMLResponse)
def calls_table(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("calls.view"))]
) -> HTMLResponse:
    """The open calls alone, which the page refreshes every few seconds (htmx)."""
    return _render(request, "calls_table.html", signed_in, **_calls_context(request, signed_in))


def _answer_call(request: Request, call_id: int, posted: Posted, resolve: bool) -> Response:
    db = _state(request).db
    try:
        dong = calls.call_dong(db, call_id)
    except calls.CallNotFound:
        raise ConsoleRefusal(404, "그 호출은 이미 해결되었거나 없습니다.") from None
    if not allowed(posted.signed_in.staff, "calls.answer", staff.dong_resource(dong)):
        raise ConsoleRefusal(403, "이 호출을 처리할 권한이 없습니다.")
    by = audit.Actor(posted.signed_in.staff.name, _client(request))
    try:
        (calls.resolve if resolve else calls.acknowledge)(db, call_id, by)
    except calls.CallNotFound:
        raise ConsoleRefusal(404, "그 호출은 이미 해결되었거나 없습니다.") from None
    return _redirect(f"{PREFIX}/calls")


@router.post("/calls/{call_id}/acknowledge")
def acknowledge_call(
    request: Request, call_id: int, posted: Annotated[Posted, Depends(action("calls.answer"))]
) -> Response:
    """가는 중: the kiosk says "직원이 오고 있습니다" after its next heartbeat."""
    return _answer_call(request, call_id, posted, resolve=False)


@router.post("/calls/{call_id}/resolve")
def resolve_call(
    request: Request, call_id: int, posted: Annotated[Posted, Depends(action("calls.answer"))]
) -> Response:
    """해결: the call is closed."""
    return _answer_call(request, call_id, posted, resolve=True)


def _accounts_page(
    request: Request,
    signed_in: SignedIn,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return _render(
        request,
        "accounts.html",
        signed_in,
        status_code=status_code,
        title="직원 계정",
        accounts=staff.accounts(_state(request).db),
        roles=[(r.value, label) for r, label in staff.ROLE_LABELS.items()],
        role_labels={r.value: label for r, label in staff.ROLE_LABELS.items()},
        min_password=staff.MIN_PASSWORD_LENGTH,
        dong_names=_dong_names(_state(request)),
        **context,
    )


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("staff.manage"))]
) -> HTMLResponse:
    return _accounts_page(request, signed_in)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


@router.post("/accounts", response_class=HTMLResponse)
def add_account(
    request: Request, posted: Annotated[Posted, Depends(action("staff.manage"))]
) -> Response:
    form = posted.form
    name, dong = _field(form, "name"), _field(form, "dong") or None
    password, again = form.get("password"), form.get("password_again")
    entered = {"name": name, "role": _field(form, "role"), "dong": dong or ""}
    try:
        if not isinstance(password, str) or password != again:
            raise staff.StaffError("두 번 입력한 비밀번호가 다릅니다.")
        role = staff.parse_role(entered["role"])
        by = audit.Actor(posted.signed_in.staff.name, _client(request))
        staff.add_account(_state(request).db, name, role, password, by, dong=dong)
    except staff.StaffError as e:
        return _accounts_page(
            request, posted.signed_in, 400, error=_korean_staff_error(str(e)), entered=entered
        )
    return _accounts_page(request, posted.signed_in, added=name)


def _korean_staff_error(message: str) -> str:
    """StaffError speaks to the command line in English; the page says the same in Korean."""
    for english, korean in (
        ("at least", f"비밀번호는 {staff.MIN_PASSWORD_LENGTH}자 이상이어야 합니다."),
        ("already", "같은 이름의 계정이 이미 있습니다."),
        ("needs --dong", "동 담당은 맡을 동을 입력해야 합니다."),
        ("only a dong officer", "동은 동 담당만 입력합니다."),
        ("a name", "이름은 1~64자이고 빈칸이 없어야 합니다."),
        ("unknown role", "역할을 고르세요."),
    ):
        if english in message:
            return korean
    return message


def _account(request: Request, account_id: int) -> Any:
    for account in staff.accounts(_state(request).db):
        if account.id == account_id:
            return account
    raise ConsoleRefusal(404, "그런 계정이 없습니다.")


@router.get("/accounts/{account_id}/disable", response_class=HTMLResponse)
def disable_confirm(
    request: Request,
    account_id: int,
    signed_in: Annotated[SignedIn, Depends(page("staff.manage"))],
) -> HTMLResponse:
    """Asks before disabling: the account's sessions end and it cannot sign in again."""
    return _render(
        request,
        "disable.html",
        signed_in,
        title="계정 사용 중지",
        account=_account(request, account_id),
        role_labels={r.value: label for r, label in staff.ROLE_LABELS.items()},
    )


@router.post("/accounts/{account_id}/disable")
def disable_account(
    request: Request,
    account_id: int,
    posted: Annotated[Posted, Depends(action("staff.manage"))],
) -> Response:
    account = _account(request, account_id)
    if account.id == posted.signed_in.staff.id:
        raise ConsoleRefusal(
            409, "자기 계정은 사용 중지할 수 없습니다. 다른 관리자에게 요청하세요."
        )
    by = audit.Actor(posted.signed_in.staff.name, _client(request))
    staff.disable_account(_state(request).db, account.name, by)
    return _redirect(f"{PREFIX}/accounts")


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("audit.view"))]
) -> HTMLResponse:
    events = audit.events(_state(request).db, limit=AUDIT_PAGE_ROWS)
    return _render(
        request, "audit.html", signed_in, title="감사 기록", events=events, limit=AUDIT_PAGE_ROWS
    )


@router.get("/audit.csv")
def audit_csv(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("audit.view"))]
) -> Response:
    text = audit.to_csv(audit.events(_state(request).db))
    stamp = datetime.now(KST).strftime("%Y%m%d-%H%M")
    return Response(
        # With a BOM: a spreadsheet on Korean Windows opens it as UTF-8.
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="ontong-audit-{stamp}.csv"',
            **SECURITY_HEADERS,
        },
    )


def install(app: FastAPI) -> None:
    """Mount the console on `app`: its routes, static files and fonts, and its error pages."""
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="console-static")
    app.mount(f"{PREFIX}/fonts", StaticFiles(directory=FONTS_DIR), name="console-fonts")

    async def on_refusal(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleRefusal)
        return _render(
            request,
            "error.html",
            _signed_in(request),
            status_code=exc.status,
            title="열 수 없습니다",
            message=exc.message,
        )

    async def on_sign_in_first(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInFirst)
        return _redirect(f"{PREFIX}/login?next={quote(exc.path)}")

    app.add_exception_handler(ConsoleRefusal, on_refusal)
    app.add_exception_handler(SignInFirst, on_sign_in_first)
