"""긴급 공지: post a notice for every device or one dong's, and take it down with one click.

The rules live in server.emergency; this module parses the form, asks `allowed` with the
notice's dong as the resource (a 동 담당 posts and clears for their own dong only; 관리자 and
콘텐츠 담당 for every device, any dong or any device group), calls it and renders. The form's
target is "" (every device), a dong id, or "group:" and a device group's key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from server import emergency, groups
from server.console.base import (
    PREFIX,
    ConsoleRefusal,
    Posted,
    action,
    actor_of,
    dong_names,
    form_field,
    page,
    redirect,
    render,
    state_of,
)
from server.staff import Role, SignedIn, allowed, dong_resource

ACTION = "emergency.post"
EVERY_DEVICE = ""  # the target field's value for every device
GROUP_PREFIX = "group:"  # the target field's value for a device group, before its key

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _resource(dong: str | None) -> str | None:
    """What `allowed` is asked about: a dong's notice is that dong's; every device's (or a
    group's, whose devices may stand in any dong) is the dong nobody is responsible for, so only
    a role that covers every dong may post it."""
    return dong_resource(dong)


def _page(
    request: Request, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    state = state_of(request)
    names = dong_names(state)
    me = signed_in.staff
    group_names = {g.key: g.name for g in groups.listing(state.db)}
    # A dong officer sees and posts for their own dong only.
    targets = (
        [(me.dong or "", names.get(me.dong or "", me.dong or "?"))]
        if me.role is Role.DONG
        else [
            (EVERY_DEVICE, "모든 기기"),
            *names.items(),
            *((f"{GROUP_PREFIX}{key}", f"기기 묶음: {name}") for key, name in group_names.items()),
        ]
    )
    return render(
        request,
        "emergency.html",
        signed_in,
        status_code=status_code,
        title="긴급 공지",
        in_force=emergency.in_force(state.db),
        history=emergency.history(state.db),
        dong_names=names,
        group_names=group_names,
        targets=targets,
        hours=emergency.DURATION_HOURS,
        default_hours=emergency.DEFAULT_HOURS,
        levels=emergency.LEVEL_LABELS,
        may_clear=lambda n: allowed(me, ACTION, _resource(n.dong)),
        poll_s=int(emergency.POLL_S),
        **context,
    )


@router.get("/emergency", response_class=HTMLResponse)
def emergency_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(ACTION))]
) -> HTMLResponse:
    return _page(request, signed_in)


@router.post("/emergency", response_class=HTMLResponse)
def post_notice(request: Request, posted: Annotated[Posted, Depends(action(ACTION))]) -> Response:
    state = state_of(request)
    form = posted.form
    text = form_field(form, "text")
    level, hours = form_field(form, "level"), form_field(form, "hours")
    target = form_field(form, "dong")
    group = target.removeprefix(GROUP_PREFIX) if target.startswith(GROUP_PREFIX) else None
    dong = None if group is not None or not target else target
    entered = {"text": text, "level": level, "hours": hours, "dong": target}
    if not allowed(posted.signed_in.staff, ACTION, _resource(dong)):
        raise ConsoleRefusal(403, "이 대상에 긴급 공지를 올릴 권한이 없습니다.")
    # The published dongs, and a 동 담당's own even before a pack names it.
    known = set(dong_names(state)) | {d for d in [posted.signed_in.staff.dong] if d}
    group_keys = {g.key for g in groups.listing(state.db)}
    errors = emergency.problems(text, level, hours, dong, known, group, group_keys)
    if errors:
        return _page(request, posted.signed_in, 400, errors=errors, entered=entered)
    emergency.post(
        state.db,
        text,
        level,  # type: ignore[arg-type]  # checked by problems
        dong,
        float(hours),
        actor_of(request, posted.signed_in),
        group=group,
    )
    assert state.emergency is not None
    state.emergency.forget()  # this process's devices hear of it at their next poll
    return redirect(f"{PREFIX}/emergency")


@router.post("/emergency/{notice_id}/clear")
def clear_notice(
    request: Request, notice_id: int, posted: Annotated[Posted, Depends(action(ACTION))]
) -> Response:
    """내리기: one click, no second page (a notice up by mistake must go at once)."""
    state = state_of(request)
    found = emergency.notice(state.db, notice_id)
    if found is None:
        raise ConsoleRefusal(404, "그런 긴급 공지가 없습니다.")
    if not allowed(posted.signed_in.staff, ACTION, _resource(found.dong)):
        raise ConsoleRefusal(403, "이 긴급 공지를 내릴 권한이 없습니다.")
    try:
        emergency.clear(state.db, notice_id, actor_of(request, posted.signed_in))
    except emergency.EmergencyError as e:
        raise ConsoleRefusal(409, str(e)) from None
    assert state.emergency is not None
    state.emergency.forget()
    return redirect(f"{PREFIX}/emergency")
