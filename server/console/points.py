"""포인트 (/staff/points): the counter look-up of a resident's points and the queue of exchange
requests (지급 완료 / 반려). The rules and queries are server.exchanges'; these views parse the
form, ask `allowed`, call it and render. What staff type at the counter is posted, never put in
a URL, and never shown again (not even beside a wrong field).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from server import exchanges, staff
from server.console.base import (
    KST,
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
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

LOOKUP = "points.lookup"
EXCHANGES = "points.exchanges"


def _page(
    request: Request,
    signed_in: SignedIn,
    status_code: int = 200,
    page_number: int = 1,
    **context: Any,
) -> HTMLResponse:
    state = state_of(request)
    member = signed_in.staff
    queue = None
    if allowed(member, EXCHANGES):
        queue = exchanges.queue(state.db, exchanges.queue_scope(member), page_number)
    return render(
        request,
        "points.html",
        signed_in,
        status_code=status_code,
        title="포인트",
        can_lookup=allowed(member, LOOKUP),
        queue=queue,
        dong_names=dong_names(state),
        now=datetime.now(UTC),
        activity_label=exchanges.activity_label,
        status_labels=exchanges.STATUS_LABELS,
        limit=exchanges.LOOKUP_LIMIT,
        window_min=int(exchanges.LOOKUP_WINDOW.total_seconds() // 60),
        **context,
    )


@router.get("/points", response_class=HTMLResponse)
def points_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page(LOOKUP))],
    page: int = 1,
) -> HTMLResponse:
    return _page(request, signed_in, page_number=page)


@router.post("/points/lookup", response_class=HTMLResponse)
def lookup(request: Request, posted: Annotated[Posted, Depends(action(LOOKUP))]) -> HTMLResponse:
    """창구 조회: the resident's balance and ledger from their phone number and birth date."""
    state = state_of(request)
    today = datetime.now(KST).date()
    form = exchanges.read_counter_form(
        form_field(posted.form, "phone"), form_field(posted.form, "birth"), today
    )
    if form.problems:
        return _page(request, posted.signed_in, 422, problems=form.problems)
    try:
        ledger = exchanges.counter_lookup(
            state.db, state.ingest.opener, form, actor_of(request, posted.signed_in)
        )
    except exchanges.LookupLimited as e:
        return _page(request, posted.signed_in, 429, limited=e.message)
    return _page(request, posted.signed_in, ledger=ledger)


def _decide(request: Request, exchange_id: int, posted: Posted, fulfil: bool) -> Response:
    db = state_of(request).db
    try:
        dong = exchanges.exchange_dong(db, exchange_id)
    except exchanges.ExchangeNotFound:
        raise ConsoleRefusal(404, "그런 교환 신청이 없습니다.") from None
    if not allowed(posted.signed_in.staff, EXCHANGES, staff.dong_resource(dong)):
        raise ConsoleRefusal(403, "이 교환 신청을 처리할 권한이 없습니다 (다른 동의 기기).")
    by = actor_of(request, posted.signed_in)
    try:
        if fulfil:
            exchanges.fulfil(db, exchange_id, form_field(posted.form, "certificate"), by)
        else:
            exchanges.refuse(db, exchange_id, form_field(posted.form, "reason"), by)
    except exchanges.DecisionProblem as e:
        problem = {"id": exchange_id, "field": e.field, "message": e.message}
        scope = exchanges.queue_scope(posted.signed_in.staff)
        on_page = exchanges.page_of(db, exchange_id, scope)
        return _page(request, posted.signed_in, 422, page_number=on_page, decision_problem=problem)
    except exchanges.AlreadyDecided as e:
        done = e.exchange
        raise ConsoleRefusal(
            409,
            f"이 교환 신청은 이미 처리되었습니다: {done.status_label}"
            f" ({done.decided_by or '-'}, {done.decided_at.astimezone(KST):%Y-%m-%d %H:%M})."
            if done.decided_at
            else "이 교환 신청은 이미 처리되었습니다.",
        ) from None
    back = form_field(posted.form, "page")
    return redirect(f"{PREFIX}/points?page={int(back) if back.isdigit() else 1}#queue")


@router.post("/points/exchanges/{exchange_id}/fulfil")
def fulfil_exchange(
    request: Request,
    exchange_id: int,
    posted: Annotated[Posted, Depends(action(EXCHANGES))],
) -> Response:
    """지급 완료: the certificates were handed over; their number is required."""
    return _decide(request, exchange_id, posted, fulfil=True)


@router.post("/points/exchanges/{exchange_id}/refuse")
def refuse_exchange(
    request: Request,
    exchange_id: int,
    posted: Annotated[Posted, Depends(action(EXCHANGES))],
) -> Response:
    """반려: not exchanged, the points go back to the resident; the reason is required."""
    return _decide(request, exchange_id, posted, fulfil=False)
