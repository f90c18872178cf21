"""보류된 제출: envelopes stored but not counted until staff decide (server.held) — from a
device waiting for approval, past a device's limits, or late after a close. An admin counts one
(집계) or keeps it uncounted for good (거부, with a reason); both are audited by server.held."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from server import held
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

# Held envelopes shown at once, oldest first (a flood from one device stays readable).
HELD_PAGE_ROWS = 300

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _page(
    request: Request, signed_in: SignedIn, status_code: int = 200, **context: object
) -> HTMLResponse:
    db = state_of(request).db
    waiting = held.listing(db, "held", limit=HELD_PAGE_ROWS)
    return render(
        request,
        "held.html",
        signed_in,
        status_code=status_code,
        title="보류된 제출",
        waiting=waiting,
        total=sum(held.held_per_device(db).values()),
        limit=HELD_PAGE_ROWS,
        reasons=held.REASON_LABELS,
        **context,
    )


@router.get("/held", response_class=HTMLResponse)
def held_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("held.manage"))]
) -> HTMLResponse:
    return _page(request, signed_in)


@router.post("/held/{number}/release")
def release_held(
    request: Request, number: int, posted: Annotated[Posted, Depends(action("held.manage"))]
) -> Response:
    try:
        held.release(state_of(request).db, str(number), actor_of(request, posted.signed_in))
    except held.NotHeld:
        raise ConsoleRefusal(404, "그 제출은 이미 결정되었거나 없습니다.") from None
    return redirect(f"{PREFIX}/held")


@router.post("/held/{number}/refuse", response_class=HTMLResponse)
def refuse_held(
    request: Request, number: int, posted: Annotated[Posted, Depends(action("held.manage"))]
) -> Response:
    reason = form_field(posted.form, "reason")
    if not reason:
        return _page(
            request,
            posted.signed_in,
            400,
            problem_number=number,
            problem="거부하는 까닭을 적으세요.",
        )
    try:
        held.refuse(state_of(request).db, str(number), actor_of(request, posted.signed_in), reason)
    except held.NotHeld:
        raise ConsoleRefusal(404, "그 제출은 이미 결정되었거나 없습니다.") from None
    return redirect(f"{PREFIX}/held")
