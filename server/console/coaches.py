"""코치 (page 6): the district's digital coaches: list, 추가, 사용 중지, PIN 재설정 (admins).

The rules live in server.coaches; this module parses the forms, asks `allowed` (through the
guards), calls it and renders. A PIN typed or generated here is shown once on the answering
page and never again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from server import coaches
from server.console.base import (
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
from server.staff import SignedIn

ACTION = "coaches.manage"

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _page(
    request: Request, signed_in: SignedIn, status_code: int = 200, **context: Any
) -> HTMLResponse:
    listed = coaches.listing(state_of(request).db)
    return render(
        request,
        "coaches.html",
        signed_in,
        status_code=status_code,
        title="코치",
        coaches=listed,
        active=sum(1 for c in listed if c.state == coaches.ACTIVE),
        **context,
    )


def _coach(request: Request, code: str) -> coaches.CoachRow:
    for coach in coaches.listing(state_of(request).db):
        if coach.code == code:
            return coach
    raise ConsoleRefusal(404, "그런 코치가 없습니다.")


def _pin_of(form: Any) -> tuple[str | None, str]:
    """(the PIN typed, or None to generate one; its second typing)."""
    if form_field(form, "generate_pin") == "yes":
        return None, ""
    return form_field(form, "pin"), form_field(form, "pin_again")


@router.get("/coaches", response_class=HTMLResponse)
def coaches_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(ACTION))]
) -> HTMLResponse:
    return _page(request, signed_in)


@router.post("/coaches", response_class=HTMLResponse)
def add_coach(request: Request, posted: Annotated[Posted, Depends(action(ACTION))]) -> Response:
    form = posted.form
    code, name = form_field(form, "code"), form_field(form, "name")
    entered = {"code": code, "name": name, "generate": form_field(form, "generate_pin") == "yes"}
    pin, again = _pin_of(form)
    errors = coaches.problems(code=code, name=name, pin=pin, again=again)
    if errors:
        return _page(request, posted.signed_in, 400, errors=errors, entered=entered)
    try:
        added = coaches.add(
            state_of(request).db,
            code,
            name,
            pin if pin is not None else coaches.generate_pin(),
            actor_of(request, posted.signed_in),
        )
    except coaches.CoachError as e:
        return _page(
            request,
            posted.signed_in,
            400,
            errors={e.field or "form": str(e)},
            entered=entered,
        )
    return _page(request, posted.signed_in, shown_pin=added, shown_what="added")


@router.get("/coaches/{code}/revoke", response_class=HTMLResponse)
def revoke_confirm(
    request: Request, code: str, signed_in: Annotated[SignedIn, Depends(page(ACTION))]
) -> HTMLResponse:
    """Asks before revoking: the code never signs in again, anywhere."""
    return render(
        request, "coach_revoke.html", signed_in, title="코치 사용 중지", coach=_coach(request, code)
    )


@router.post("/coaches/{code}/revoke")
def revoke_coach(
    request: Request, code: str, posted: Annotated[Posted, Depends(action(ACTION))]
) -> Response:
    _coach(request, code)
    try:
        coaches.revoke(state_of(request).db, code, actor_of(request, posted.signed_in))
    except coaches.CoachError as e:
        raise ConsoleRefusal(409, str(e)) from None
    return redirect(f"{PREFIX}/coaches")


def _reset_form(
    request: Request,
    signed_in: SignedIn,
    coach: coaches.CoachRow,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return render(
        request,
        "coach_reset.html",
        signed_in,
        status_code=status_code,
        title="코치 PIN 재설정",
        coach=coach,
        **context,
    )


@router.get("/coaches/{code}/reset-pin", response_class=HTMLResponse)
def reset_form(
    request: Request, code: str, signed_in: Annotated[SignedIn, Depends(page(ACTION))]
) -> HTMLResponse:
    coach = _coach(request, code)
    if coach.state != coaches.ACTIVE:
        raise ConsoleRefusal(409, "사용 중지된 코치의 PIN은 바꿀 수 없습니다.")
    return _reset_form(request, signed_in, coach)


@router.post("/coaches/{code}/reset-pin", response_class=HTMLResponse)
def reset_pin(
    request: Request, code: str, posted: Annotated[Posted, Depends(action(ACTION))]
) -> Response:
    coach = _coach(request, code)
    form = posted.form
    pin, again = _pin_of(form)
    errors = coaches.problems(pin=pin, again=again)
    if errors:
        return _reset_form(request, posted.signed_in, coach, 400, errors=errors)
    try:
        reset = coaches.reset_pin(
            state_of(request).db,
            code,
            pin if pin is not None else coaches.generate_pin(),
            actor_of(request, posted.signed_in),
        )
    except coaches.CoachError as e:
        raise ConsoleRefusal(409, str(e)) from None
    return _page(request, posted.signed_in, shown_pin=reset, shown_what="reset")
