"""The console's routes: login and logout, the home page, 기기 현황 (the fleet), 직원 호출, staff
accounts and the audit log; `install` mounts these and every page module's router.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from server import audit, auth, calls, fleet, staff
from server import groups as device_groups
from server.console import (
    budget_form,
    contest_form,
    district_form,
    emergency,
    held,
    lesson_form,
    media_form,
    points,
    preview,
    promotion_form,
    proposal_form,
    proposal_import,
    proposals,
    reports,
    survey_form,
    video_form,
)
from server.console import coaches as coach_pages
from server.console import content as content_pages
from server.console import groups as group_pages
from server.console import responses as responses_page
from server.console.base import (
    CSRF_FIELD,
    FONTS_DIR,
    HERE,
    KST,
    LOGIN_CSRF_COOKIE,
    PREFIX,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    ConsoleRefusal,
    Posted,
    SignInFirst,
    action,
    actor_of,
    client_of,
    dong_names,
    form_field,
    page,
    redirect,
    render,
    safe_next,
    signed_in_of,
    state_of,
)
from server.console.base import duration as _duration
from server.staff import SignedIn, allowed

AUDIT_PAGE_ROWS = 500
CODE_HOURS = {"24": 24.0, "168": 168.0, "720": 720.0}

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form; its CSRF token is also in a cookie of its own (there is no session)."""
    if signed_in_of(request) is not None:
        return redirect(safe_next(next))
    return _login_form(request, next)


def _login_form(
    request: Request, next: str | None, error: str | None = None, status_code: int = 200
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        None,
        status_code=status_code,
        login_csrf=token,
        next=safe_next(next),
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
    state = state_of(request)
    try:
        opened = staff.login(state.db, name.strip(), password, client_of(request))
    except staff.LoginRefused as e:
        status = 429 if e.locked_until is not None else 401
        return _login_form(request, next_path, str(e), status)
    response = redirect(safe_next(next_path))
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
    staff.logout(state_of(request).db, token, posted.signed_in, client_of(request))
    response = redirect(f"{PREFIX}/login")
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("console.home"))]
) -> HTMLResponse:
    return render(request, "home.html", signed_in, title="직원 콘솔")


def _fleet_context(request: Request, signed_in: SignedIn) -> dict[str, Any]:
    state = state_of(request)
    entries = [
        e
        for e in fleet.overview(state.db, state.settings.offline_after)
        if allowed(signed_in.staff, "devices.view", staff.dong_resource(e.dong))
    ]
    member_of: dict[str, list[str]] = {}
    for group in device_groups.listing(state.db):
        for device_id in group.members:
            member_of.setdefault(device_id, []).append(group.name)
    return {
        "dong_names": dong_names(state),
        "entries": entries,
        "member_of": member_of,
        "offline_after": _duration(state.settings.offline_after.total_seconds()),
        "counts": {
            "all": len(entries),
            "offline": sum(1 for e in entries if e.offline_since is not None),
            "waiting": sum(1 for e in entries if e.waiting_for_approval),
            "revoked": sum(1 for e in entries if e.revoked),
            "held": sum(e.held for e in entries),
        },
        "can_manage": allowed(signed_in.staff, "devices.manage"),
        "can_decide_held": allowed(signed_in.staff, "held.manage"),
        "now": datetime.now(UTC),
    }


@router.get("/devices", response_class=HTMLResponse)
def devices_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("devices.view"))]
) -> HTMLResponse:
    return render(
        request, "devices.html", signed_in, title="기기 현황", **_fleet_context(request, signed_in)
    )


@router.get("/devices/table", response_class=HTMLResponse)
def devices_table(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("devices.view"))]
) -> HTMLResponse:
    """The fleet table alone, which the page refreshes every 30 s (htmx)."""
    return render(request, "devices_table.html", signed_in, **_fleet_context(request, signed_in))


@router.post("/devices/codes", response_class=HTMLResponse)
def create_code(
    request: Request, posted: Annotated[Posted, Depends(action("devices.manage"))]
) -> HTMLResponse:
    """A new enrolment code, shown once on the page that answers (only its hash is kept)."""
    hours = CODE_HOURS.get(str(posted.form.get("hours")), auth.DEFAULT_CODE_HOURS)
    note = posted.form.get("note")
    note = note.strip() if isinstance(note, str) and note.strip() else None
    by = actor_of(request, posted.signed_in)
    issued = auth.new_enrollment_code(state_of(request).db, hours=hours, note=note, by=by)
    return render(
        request,
        "devices.html",
        posted.signed_in,
        title="기기 현황",
        issued=issued,
        issued_note=note,
        **_fleet_context(request, posted.signed_in),
    )


def _entry(request: Request, device_id: str) -> fleet.FleetEntry:
    state = state_of(request)
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
    by = actor_of(request, posted.signed_in)
    auth.approve(state_of(request).db, device_id, by)
    return redirect(f"{PREFIX}/devices")


@router.get("/devices/{device_id}/revoke", response_class=HTMLResponse)
def revoke_confirm(
    request: Request,
    device_id: str,
    signed_in: Annotated[SignedIn, Depends(page("devices.manage"))],
) -> HTMLResponse:
    """Asks before revoking: a revoked device can send nothing again."""
    return render(
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
    by = actor_of(request, posted.signed_in)
    auth.revoke(state_of(request).db, device_id, by=by)
    return redirect(f"{PREFIX}/devices")


def _dong_page(
    request: Request,
    signed_in: SignedIn,
    entry: fleet.FleetEntry,
    status_code: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    return render(
        request,
        "device_dong.html",
        signed_in,
        status_code=status_code,
        title="기기의 동",
        entry=entry,
        dong_names=dong_names(state_of(request)),
        errors={"dong": error} if error else {},
    )


@router.get("/devices/{device_id}/dong", response_class=HTMLResponse)
def dong_form(
    request: Request,
    device_id: str,
    signed_in: Annotated[SignedIn, Depends(page("devices.manage"))],
) -> HTMLResponse:
    """The device's dong as staff set it: what targeting (dongs) sends it."""
    return _dong_page(request, signed_in, _entry(request, device_id))


@router.post("/devices/{device_id}/dong", response_class=HTMLResponse)
def set_device_dong(
    request: Request,
    device_id: str,
    posted: Annotated[Posted, Depends(action("devices.manage"))],
) -> Response:
    """Set (or clear: "") the device's dong; audited. The device gets its new dong's content at
    its next heartbeat."""
    entry = _entry(request, device_id)
    chosen = form_field(posted.form, "dong") or None
    names = dong_names(state_of(request))
    by = actor_of(request, posted.signed_in)
    try:
        device_groups.set_dong(state_of(request).db, device_id, chosen, names, by)
    except device_groups.GroupError as e:
        return _dong_page(request, posted.signed_in, entry, 400, str(e))
    return redirect(f"{PREFIX}/devices?done=dong#device-{quote(device_id)}")


CALLS_REFRESH_S = 3


def _calls_context(request: Request, signed_in: SignedIn) -> dict[str, Any]:
    state = state_of(request)
    shown = [
        c
        for c in calls.open_calls(state.db)
        if allowed(signed_in.staff, "calls.view", staff.dong_resource(c.dong))
    ]
    return {
        "calls": shown,
        "dong_names": dong_names(state),
        "can_answer": allowed(signed_in.staff, "calls.answer"),
        "now": datetime.now(UTC),
        "refresh_s": CALLS_REFRESH_S,
        "waiting": sum(1 for c in shown if c.status == calls.WAITING),
    }


@router.get("/calls", response_class=HTMLResponse)
def calls_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("calls.view"))]
) -> HTMLResponse:
    return render(
        request, "calls.html", signed_in, title="직원 호출", **_calls_context(request, signed_in)
    )


@router.get("/calls/table", response_class=HTMLResponse)
def calls_table(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("calls.view"))]
) -> HTMLResponse:
    """The open calls alone, which the page refreshes every few seconds (htmx)."""
    return render(request, "calls_table.html", signed_in, **_calls_context(request, signed_in))


def _answer_call(request: Request, call_id: int, posted: Posted, resolve: bool) -> Response:
    db = state_of(request).db
    try:
        dong = calls.call_dong(db, call_id)
    except calls.CallNotFound:
        raise ConsoleRefusal(404, "그 호출은 이미 해결되었거나 없습니다.") from None
    if not allowed(posted.signed_in.staff, "calls.answer", staff.dong_resource(dong)):
        raise ConsoleRefusal(403, "이 호출을 처리할 권한이 없습니다.")
    by = actor_of(request, posted.signed_in)
    try:
        (calls.resolve if resolve else calls.acknowledge)(db, call_id, by)
    except calls.CallNotFound:
        raise ConsoleRefusal(404, "그 호출은 이미 해결되었거나 없습니다.") from None
    return redirect(f"{PREFIX}/calls")


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
    return render(
        request,
        "accounts.html",
        signed_in,
        status_code=status_code,
        title="직원 계정",
        accounts=staff.accounts(state_of(request).db),
        roles=[(r.value, label) for r, label in staff.ROLE_LABELS.items()],
        role_labels={r.value: label for r, label in staff.ROLE_LABELS.items()},
        min_password=staff.MIN_PASSWORD_LENGTH,
        dong_names=dong_names(state_of(request)),
        **context,
    )


@router.get("/accounts", response_class=HTMLResponse)
def accounts_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("staff.manage"))]
) -> HTMLResponse:
    return _accounts_page(request, signed_in)


@router.post("/accounts", response_class=HTMLResponse)
def add_account(
    request: Request, posted: Annotated[Posted, Depends(action("staff.manage"))]
) -> Response:
    form = posted.form
    name, dong = form_field(form, "name"), form_field(form, "dong") or None
    password, again = form.get("password"), form.get("password_again")
    entered = {"name": name, "role": form_field(form, "role"), "dong": dong or ""}
    try:
        if not isinstance(password, str) or password != again:
            raise staff.StaffError("두 번 입력한 비밀번호가 다릅니다.")
        role = staff.parse_role(entered["role"])
        by = actor_of(request, posted.signed_in)
        staff.add_account(state_of(request).db, name, role, password, by, dong=dong)
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
        ("current password is wrong", "지금 비밀번호가 맞지 않습니다."),
        (
            "same as the current",
            "새 비밀번호가 지금 비밀번호와 같습니다. 다른 비밀번호를 정하세요.",
        ),
        ("not active", "사용 중인 계정이 아닙니다."),
    ):
        if english in message:
            return korean
    return message


def _account(request: Request, account_id: int) -> Any:
    for account in staff.accounts(state_of(request).db):
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
    return render(
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
    by = actor_of(request, posted.signed_in)
    staff.disable_account(state_of(request).db, account.name, by)
    return redirect(f"{PREFIX}/accounts")


def _new_password(form: Any) -> str:
    """The new password typed twice; StaffError (in Korean) if the two differ."""
    password, again = form.get("password"), form.get("password_again")
    if not isinstance(password, str) or password != again:
        raise staff.StaffError("두 번 입력한 비밀번호가 다릅니다.")
    return password


@router.get("/password", response_class=HTMLResponse)
def password_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("console.home"))]
) -> HTMLResponse:
    """A member of staff changes their own password."""
    return _password_page(request, signed_in)


def _password_page(
    request: Request, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return render(
        request,
        "password.html",
        signed_in,
        status_code=status_code,
        title="비밀번호 변경",
        min_password=staff.MIN_PASSWORD_LENGTH,
        **context,
    )


@router.post("/password", response_class=HTMLResponse)
def change_password(
    request: Request, posted: Annotated[Posted, Depends(action("console.home"))]
) -> Response:
    current = posted.form.get("current")
    try:
        new = _new_password(posted.form)
        staff.change_password(
            state_of(request).db,
            posted.signed_in,
            current if isinstance(current, str) else "",
            new,
            request.cookies.get(SESSION_COOKIE),
            client_of(request),
        )
    except staff.StaffError as e:
        return _password_page(request, posted.signed_in, 400, error=_korean_staff_error(str(e)))
    return _password_page(request, posted.signed_in, changed=True)


@router.get("/accounts/{account_id}/password", response_class=HTMLResponse)
def reset_password_page(
    request: Request,
    account_id: int,
    signed_in: Annotated[SignedIn, Depends(page("staff.manage"))],
) -> HTMLResponse:
    """An admin sets a new password for someone who forgot theirs."""
    return _reset_page(request, signed_in, _account(request, account_id))


def _reset_page(
    request: Request, signed_in: SignedIn, account: Any, status_code: int = 200, **context: Any
) -> HTMLResponse:
    return render(
        request,
        "reset_password.html",
        signed_in,
        status_code=status_code,
        title="비밀번호 재설정",
        account=account,
        min_password=staff.MIN_PASSWORD_LENGTH,
        **context,
    )


@router.post("/accounts/{account_id}/password", response_class=HTMLResponse)
def reset_password(
    request: Request,
    account_id: int,
    posted: Annotated[Posted, Depends(action("staff.manage"))],
) -> Response:
    account = _account(request, account_id)
    if account.disabled_at is not None:
        raise ConsoleRefusal(409, "사용 중지된 계정입니다. 비밀번호를 바꿀 수 없습니다.")
    if account.id == posted.signed_in.staff.id:
        raise ConsoleRefusal(409, "자기 비밀번호는 '비밀번호 변경'에서 바꿉니다.")
    try:
        new = _new_password(posted.form)
        staff.reset_password(
            state_of(request).db, account.name, new, actor_of(request, posted.signed_in)
        )
    except staff.StaffError as e:
        return _reset_page(
            request, posted.signed_in, account, 400, error=_korean_staff_error(str(e))
        )
    return _accounts_page(request, posted.signed_in, reset=account.name)


def _audit_filter(request: Request) -> tuple[audit.Filter, dict[str, str], str | None]:
    """The audit page's filter from its query (actor, group, from, to: KST dates), what was
    typed (to fill the form again), and a message if a date could not be read."""
    q = request.query_params
    typed = {k: q.get(k, "").strip() for k in ("actor", "group", "from", "to")}
    groups = dict(audit.action_groups())
    problem = None
    days: dict[str, datetime | None] = {"from": None, "to": None}
    for key in days:
        if typed[key]:
            try:
                day = datetime.strptime(typed[key], "%Y-%m-%d").replace(tzinfo=KST)
            except ValueError:
                problem = "날짜는 2026-12-06처럼 입력하세요."
                continue
            days[key] = day + timedelta(days=1) if key == "to" else day
    where = audit.Filter(
        actor=typed["actor"] or None,
        action_group=typed["group"] if typed["group"] in groups else None,
        since=days["from"],
        until=days["to"],
    )
    return where, typed, problem


def _audit_query(typed: dict[str, str]) -> str:
    return urlencode({k: v for k, v in typed.items() if v})


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("audit.view"))]
) -> HTMLResponse:
    where, typed, problem = _audit_filter(request)
    events = audit.events(state_of(request).db, limit=AUDIT_PAGE_ROWS, where=where)
    return render(
        request,
        "audit.html",
        signed_in,
        status_code=400 if problem else 200,
        title="감사 기록",
        events=events,
        limit=AUDIT_PAGE_ROWS,
        groups=audit.action_groups(),
        typed=typed,
        problem=problem,
        filtered=any(typed.values()),
        query=_audit_query(typed),
    )


@router.get("/audit.csv")
def audit_csv(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("audit.view"))]
) -> Response:
    """The whole log, or the part the page's filter shows, as CSV."""
    where, _typed, problem = _audit_filter(request)
    if problem:
        raise ConsoleRefusal(400, problem)
    text = audit.to_csv(audit.events(state_of(request).db, where=where))
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
    # Each page module's router; a new page adds its module here.
    for page_router in (
        router,
        responses_page.router,
        proposals.router,
        points.router,
        held.router,
        reports.router,
        reports.old_report,
        coach_pages.router,
        group_pages.router,
        emergency.router,
        content_pages.router,
        promotion_form.router,
        video_form.router,
        survey_form.router,
        district_form.router,
        contest_form.router,
        proposal_form.router,
        budget_form.router,
        lesson_form.router,
        proposal_import.router,
        preview.router,
        media_form.router,
    ):
        app.include_router(page_router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="console-static")
    app.mount(f"{PREFIX}/fonts", StaticFiles(directory=FONTS_DIR), name="console-fonts")

    async def on_refusal(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleRefusal)
        return render(
            request,
            "error.html",
            signed_in_of(request),
            status_code=exc.status,
            title="열 수 없습니다",
            message=exc.message,
        )

    async def on_sign_in_first(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInFirst)
        return redirect(f"{PREFIX}/login?next={quote(exc.path)}")

    app.add_exception_handler(ConsoleRefusal, on_refusal)
    app.add_exception_handler(SignInFirst, on_sign_in_first)
