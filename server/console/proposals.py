"""제안 검토: the queue of new proposals written at kiosks, and 게시 / 반려 / the district's answer
(the rules and queries are server.moderation's; this module parses forms, asks `allowed`, calls
it and renders)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from server import moderation, staff
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
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

NOT_FOUND = "그런 제안이 없거나 볼 수 있는 제안이 아닙니다."
DONE = {
    "publish": "게시했습니다. 새 콘텐츠 버전이 만들어졌고, 키오스크는 다음 동기화 때 받습니다.",
    "refuse": "반려했습니다. 키오스크에는 아무것도 게시되지 않습니다.",
    "answer": "답변을 저장했습니다.",
}


def _envelope(envelope_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(envelope_id)
    except ValueError:
        raise ConsoleRefusal(404, NOT_FOUND) from None


def _visible(
    request: Request, signed_in: SignedIn, device_id: str, envelope_id: str, act: str
) -> moderation.QueuedProposal:
    """The proposal, when `signed_in` may `act` on it (another dong's: 404, as if none)."""
    try:
        item = moderation.find(state_of(request).db, device_id, _envelope(envelope_id))
    except moderation.ProposalNotFound:
        raise ConsoleRefusal(404, NOT_FOUND) from None
    if not allowed(signed_in.staff, "proposals.view", staff.dong_resource(item.dong)):
        raise ConsoleRefusal(404, NOT_FOUND)
    if not allowed(signed_in.staff, act, staff.dong_resource(item.dong)):
        raise ConsoleRefusal(403, "이 제안을 처리할 권한이 없습니다.")
    return item


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or "1"))
    except ValueError:
        return 1


def _common(request: Request, signed_in: SignedIn) -> dict[str, Any]:
    return {
        "title": "제안 검토",
        "dong_names": dong_names(state_of(request)),
        "status_labels": moderation.STATUS_LABELS,
        "can_moderate": allowed(signed_in.staff, "proposals.moderate"),
        "reason_max": moderation.REASON_MAX,
        "answer_max": moderation.ANSWER_MAX,
    }


def _queue_page(
    request: Request,
    signed_in: SignedIn,
    status: str | None,
    number: int,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    db = state_of(request).db
    shown = moderation.queue(db, moderation.scope_of(signed_in.staff), status, number)
    return render(
        request,
        "proposals.html",
        signed_in,
        status_code=status_code,
        queue=shown,
        statuses=moderation.STATUSES,
        **_common(request, signed_in),
        **context,
    )


@router.get("/proposals", response_class=HTMLResponse)
def proposals_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page("proposals.view"))],
    status: str | None = None,
) -> HTMLResponse:
    """The queue: 검토 대기 first (the oldest first), then 게시 and 반려; `?status=` filters,
    `?page=` pages."""
    number = _page_number(request.query_params.get("page"))
    return _queue_page(request, signed_in, moderation.parse_status(status), number)


def _one_page(
    request: Request,
    signed_in: SignedIn,
    item: moderation.QueuedProposal,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return render(
        request,
        "proposal.html",
        signed_in,
        status_code=status_code,
        p=item,
        **_common(request, signed_in),
        **context,
    )


@router.get("/proposals/{device_id}/{envelope_id}", response_class=HTMLResponse)
def proposal_page(
    request: Request,
    device_id: str,
    envelope_id: str,
    signed_in: Annotated[SignedIn, Depends(page("proposals.view"))],
) -> HTMLResponse:
    item = _visible(request, signed_in, device_id, envelope_id, "proposals.view")
    done = request.query_params.get("done")
    return _one_page(request, signed_in, item, done=DONE.get(done or ""))


def _decide(
    request: Request, device_id: str, envelope_id: str, posted: Posted, how: str
) -> Response:
    item = _visible(request, posted.signed_in, device_id, envelope_id, "proposals.moderate")
    db = state_of(request).db
    by = actor_of(request, posted.signed_in)
    reason, answer = form_field(posted.form, "reason"), form_field(posted.form, "answer")
    try:
        if how == "publish":
            moderation.publish(db, item.device_id, item.envelope_id, answer, by)
        elif how == "refuse":
            moderation.refuse(db, item.device_id, item.envelope_id, reason, answer, by)
        else:
            moderation.save_answer(db, item.device_id, item.envelope_id, answer, by)
    except moderation.ProposalNotFound:
        raise ConsoleRefusal(404, NOT_FOUND) from None
    except moderation.ModerationRefused as e:
        fresh = moderation.find(db, item.device_id, item.envelope_id)
        if e.field is None and fresh.decided and how != "answer":
            raise ConsoleRefusal(409, e.message) from None
        return _one_page(
            request,
            posted.signed_in,
            fresh,
            status_code=400,
            errors={e.field or "form": e.message},
            entered={"reason": reason, "answer": answer},
        )
    return redirect(f"{PREFIX}/proposals/{item.device_id}/{item.envelope_id}?done={how}")


@router.post("/proposals/{device_id}/{envelope_id}/publish")
def publish_proposal(
    request: Request,
    device_id: str,
    envelope_id: str,
    posted: Annotated[Posted, Depends(action("proposals.moderate"))],
) -> Response:
    """게시: a new content version with the proposal; kiosks get it at their next sync."""
    return _decide(request, device_id, envelope_id, posted, "publish")


@router.post("/proposals/{device_id}/{envelope_id}/refuse")
def refuse_proposal(
    request: Request,
    device_id: str,
    envelope_id: str,
    posted: Annotated[Posted, Depends(action("proposals.moderate"))],
) -> Response:
    """반려 with a reason; nothing is published."""
    return _decide(request, device_id, envelope_id, posted, "refuse")


@router.post("/proposals/{device_id}/{envelope_id}/answer")
def answer_proposal(
    request: Request,
    device_id: str,
    envelope_id: str,
    posted: Annotated[Posted, Depends(action("proposals.moderate"))],
) -> Response:
    """The district's answer, written or changed; a published proposal carries it to kiosks."""
    return _decide(request, device_id, envelope_id, posted, "answer")
