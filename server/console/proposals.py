"""제안 검토: the queue of new proposals written at kiosks, and 게시 / 반려 / the district's answer;
beside it (`?kind=budget_proposal`) the budget project proposals, 채택 / 반려, and a chosen one
put into the content draft's budget (예산 초안에 넣기). The rules and queries are
server.moderation's; this module parses forms, asks `allowed`, calls it and renders."""

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
    "choose": "채택했습니다. '예산 초안에 넣기'로 다음 투표의 사업으로 올릴 수 있습니다.",
    "to_budget": (
        "예산 초안에 사업으로 넣었습니다. 콘텐츠 → 게시 전 확인에서 게시하면 키오스크 투표에"
        " 나옵니다."
    ),
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
        "kind_labels": moderation.KIND_LABELS,
        "can_moderate": allowed(signed_in.staff, "proposals.moderate"),
        "can_edit_content": allowed(signed_in.staff, "content.edit"),
        "reason_max": moderation.REASON_MAX,
        "answer_max": moderation.ANSWER_MAX,
    }


def _pictures(request: Request, item: moderation.QueuedProposal) -> list[str]:
    """The pictures a chosen budget proposal's project may take: the content draft's (or the
    newest version's), those of its dong's ballot first."""
    if item.kind != moderation.BUDGET_PROPOSAL_KIND or item.status != moderation.CHOSEN:
        return []
    return moderation.budget_pictures(state_of(request).db, item.dong)


def _queue_page(
    request: Request,
    signed_in: SignedIn,
    status: str | None,
    number: int,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    db = state_of(request).db
    kind = moderation.parse_kind(request.query_params.get("kind"))
    shown = moderation.queue(db, moderation.scope_of(signed_in.staff), status, number, kind)
    return render(
        request,
        "proposals.html",
        signed_in,
        status_code=status_code,
        queue=shown,
        kind=kind,
        statuses=moderation.statuses_of(kind),
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
    kind = moderation.parse_kind(request.query_params.get("kind"))
    return _queue_page(request, signed_in, moderation.parse_status(status, kind), number)


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
        pictures=_pictures(request, item),
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
        elif how == "choose":
            moderation.choose(db, item.device_id, item.envelope_id, answer, by)
        elif how == "to_budget":
            if not allowed(posted.signed_in.staff, "content.edit"):
                raise ConsoleRefusal(403, "콘텐츠를 고칠 권한이 없어 예산 초안에 넣을 수 없습니다.")
            image = form_field(posted.form, "image")
            moderation.to_budget(db, item.device_id, item.envelope_id, image, by)
        elif how == "refuse":
            moderation.refuse(db, item.device_id, item.envelope_id, reason, answer, by)
        else:
            moderation.save_answer(db, item.device_id, item.envelope_id, answer, by)
    except moderation.ProposalNotFound:
        raise ConsoleRefusal(404, NOT_FOUND) from None
    except moderation.ModerationRefused as e:
        fresh = moderation.find(db, item.device_id, item.envelope_id)
        if e.field is None and fresh.decided and how not in ("answer", "to_budget"):
            raise ConsoleRefusal(409, e.message) from None
        return _one_page(
            request,
            posted.signed_in,
            fresh,
            status_code=400,
            errors={e.field or "form": e.message},
            entered={"reason": reason, "answer": answer, "image": form_field(posted.form, "image")},
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


@router.post("/proposals/{device_id}/{envelope_id}/choose")
def choose_proposal(
    request: Request,
    device_id: str,
    envelope_id: str,
    posted: Annotated[Posted, Depends(action("proposals.moderate"))],
) -> Response:
    """채택 of a budget project proposal; nothing is published yet."""
    return _decide(request, device_id, envelope_id, posted, "choose")


@router.post("/proposals/{device_id}/{envelope_id}/to-budget")
def proposal_to_budget(
    request: Request,
    device_id: str,
    envelope_id: str,
    posted: Annotated[Posted, Depends(action("proposals.moderate"))],
) -> Response:
    """A chosen budget proposal into the content draft as a project of its dong's ballot
    (also needs content.edit); the draft is then published the normal way."""
    return _decide(request, device_id, envelope_id, posted, "to_budget")
