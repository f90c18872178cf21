"""The console's 참여 내용 pages: surveys and 정책퀴즈 (figures, the answers a page at a time,
CSV and XLSX exports), contests (entries and votes), and agrees and ballots as counts.

The rules and queries are in `server.responses`; a route here parses the query, asks
`server.staff.allowed` (a dong officer sees only their own dong's devices), calls it and
renders.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from server import responses, staff
from server.console.base import (
    PREFIX,
    SECURITY_HEADERS,
    ConsoleRefusal,
    actor_of,
    dong_names,
    page,
    render,
    state_of,
)
from server.staff import SignedIn, allowed

VIEW = "responses.view"

router = APIRouter(prefix=f"{PREFIX}/responses", include_in_schema=False)


def _scope(request: Request, signed_in: SignedIn) -> responses.Scope:
    return responses.scope(
        state_of(request).db,
        lambda dong: allowed(signed_in.staff, VIEW, staff.dong_resource(dong)),
    )


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 9 else 1


@router.get("", response_class=HTMLResponse)
def surveys_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(VIEW))]
) -> HTMLResponse:
    """설문·정책퀴즈: every survey with its counted, practice and held responses."""
    state = state_of(request)
    listed = responses.surveys(state.db, state.ingest.newest_pack.get(), _scope(request, signed_in))
    return render(
        request,
        "responses.html",
        signed_in,
        title="참여 내용",
        tab="surveys",
        surveys=listed,
        dong_label=lambda d: responses.dong_label(dong_names(state), d),
    )


def _detail(
    request: Request, signed_in: SignedIn, survey_id: str, where: responses.Scope
) -> responses.SurveyDetail:
    state = state_of(request)
    detail = responses.survey_detail(state.db, state.ingest.newest_pack.get(), survey_id, where)
    if detail is None:
        raise ConsoleRefusal(404, "그런 설문이 없습니다. 참여 내용 목록에서 고르세요.")
    return detail


@router.get("/survey", response_class=HTMLResponse)
def survey_page(
    request: Request,
    signed_in: Annotated[SignedIn, Depends(page(VIEW))],
    id: str = "",
) -> HTMLResponse:
    """One survey: a figure per question and its counted answers, 100 to a page."""
    state = state_of(request)
    where = _scope(request, signed_in)
    detail = _detail(request, signed_in, id, where)
    number = _page_number(request.query_params.get("page", "1"))
    rows = responses.response_page(state.db, id, where, number, total=detail.summary.tally.counted)
    return render(
        request,
        "survey.html",
        signed_in,
        title=detail.summary.title,
        tab="surveys",
        detail=detail,
        rows=rows,
        pager=responses.per_page_numbers(rows.page, rows.pages),
        quoted_id=quote(id, safe=""),
        answer_text=responses.answer_text,
        dong_label=lambda d: responses.dong_label(dong_names(state), d),
    )


def _export(request: Request, signed_in: SignedIn, survey_id: str, fmt: str) -> Response:
    state = state_of(request)
    where = _scope(request, signed_in)
    detail = _detail(request, signed_in, survey_id, where)
    made = responses.export(
        state.db,
        detail,
        where,
        dong_names(state),
        fmt,
        actor_of(request, signed_in),
    )
    return Response(
        made.content,
        media_type=made.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(made.filename)}",
            **SECURITY_HEADERS,
        },
    )


@router.get("/survey.csv")
def survey_csv(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(VIEW))], id: str = ""
) -> Response:
    """The survey's answers as CSV (UTF-8 with a BOM); audited."""
    return _export(request, signed_in, id, "csv")


@router.get("/survey.xlsx")
def survey_xlsx(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(VIEW))], id: str = ""
) -> Response:
    """The survey's answers as an Excel workbook; audited."""
    return _export(request, signed_in, id, "xlsx")


@router.get("/contests", response_class=HTMLResponse)
def contests_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(VIEW))]
) -> HTMLResponse:
    state = state_of(request)
    listed = responses.contests(
        state.db, state.ingest.newest_pack.get(), _scope(request, signed_in)
    )
    names = dong_names(state)
    return render(
        request,
        "contests.html",
        signed_in,
        title="참여 내용 · 공모",
        tab="contests",
        contests=listed,
        dong_label=lambda d: responses.dong_label(names, d),
    )


@router.get("/contest", response_class=HTMLResponse)
def contest_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(VIEW))], id: str = ""
) -> HTMLResponse:
    """One contest: the votes per entry and the entries residents wrote, 100 to a page."""
    state = state_of(request)
    detail = responses.contest_detail(
        state.db,
        state.ingest.newest_pack.get(),
        id,
        _scope(request, signed_in),
        _page_number(request.query_params.get("page", "1")),
    )
    if detail is None:
        raise ConsoleRefusal(404, "그런 공모가 없습니다. 공모 목록에서 고르세요.")
    names = dong_names(state)
    return render(
        request,
        "contest.html",
        signed_in,
        title=detail.summary.title,
        tab="contests",
        detail=detail,
        pager=responses.per_page_numbers(detail.page, detail.pages),
        quoted_id=quote(id, safe=""),
        dong_label=lambda d: responses.dong_label(names, d),
    )


@router.get("/counts", response_class=HTMLResponse)
def counts_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(VIEW))]
) -> HTMLResponse:
    """공감·투표: counted agrees per proposal and counted ballots per dong, counts only."""
    state = state_of(request)
    names = dong_names(state)
    found = responses.counts(state.db, state.ingest.newest_pack.get(), _scope(request, signed_in))
    return render(
        request,
        "counts.html",
        signed_in,
        title="참여 내용 · 공감과 투표",
        tab="counts",
        counts=found,
        dong_label=lambda d: responses.dong_label(names, d),
    )
