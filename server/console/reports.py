"""보고서: the participation report (server.report), the district's pledge (server.pledge),
proof of play (server.proof_of_play) with its audited CSV export, and coaching per coach with
the struggle steps (server.coaching). Every role may open it (`reports.view`); a dong officer
sees their dong's figures where the data has a dong, and the page says which sections are
district-wide.

The old loopback-only page GET /report now only sends the browser here: nothing of the report
is served without a login.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from server import audit, coaching, pledge, proof_of_play, report, staff
from server.console.base import (
    KST,
    PREFIX,
    SECURITY_HEADERS,
    ConsoleRefusal,
    actor_of,
    dong_names,
    page,
    redirect,
    render,
    state_of,
)
from server.staff import SignedIn, allowed

ACTION = "reports.view"
PLAY_PAGE_ROWS = 200

router = APIRouter(prefix=PREFIX, include_in_schema=False)
# The participation report's old address (loopback only, no login): now only a way here.
old_report = APIRouter(include_in_schema=False)


@old_report.get("/report")
def old_report_page(request: Request) -> Response:
    """Sends the browser to the console's 보고서 page (which asks for a login first)."""
    year = request.query_params.get("year")
    query = f"?{urlencode({'year': year})}" if year and year.isdigit() else ""
    return redirect(f"{PREFIX}/reports{query}")


def _visible(signed_in: SignedIn) -> Any:
    """Whether the signed-in member of staff may see figures of a dong (None: of no dong)."""
    return lambda dong: allowed(signed_in.staff, ACTION, staff.dong_resource(dong))


def _own_dong(signed_in: SignedIn) -> str | None:
    """The dong the reports are limited to: a dong officer's; None for the whole district."""
    if allowed(signed_in.staff, ACTION, staff.dong_resource(None)):
        return None
    return signed_in.staff.dong or "?"


def _year(value: str | None, this_year: int) -> tuple[int, str | None]:
    if not value:
        return this_year, None
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        return this_year, "연도는 2026처럼 네 자리 숫자로 고르세요."
    return int(value), None


def _play_range(request: Request) -> tuple[Any, Any, dict[str, str], dict[str, str]]:
    """The proof-of-play dates of the query (default: the last 7 days), and any error."""
    params = request.query_params
    entered = {"from": params.get("from", ""), "to": params.get("to", "")}
    today = proof_of_play.today_kst()
    try:
        first, last = proof_of_play.parse_range(entered["from"], entered["to"], today)
        errors: dict[str, str] = {}
    except proof_of_play.BadRange as e:
        first, last = proof_of_play.parse_range(None, None, today)
        errors = {e.field: e.message}
    return first, last, entered, errors


@router.get("/reports", response_class=HTMLResponse)
def reports_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(ACTION))]
) -> HTMLResponse:
    state = state_of(request)
    pack = state.ingest.newest_pack.get()
    this_year = report.this_year()
    year, year_error = _year(request.query_params.get("year"), this_year)
    own = _own_dong(signed_in)
    visible = _visible(signed_in)
    participation = report.participation(state.db, year, dong=own)
    figures = pledge.pledge(state.db, year, pack, openings=state.pledge_openings)
    first, last, entered, play_errors = _play_range(request)
    played = proof_of_play.plays(state.db, first, last, pack, visible)
    coached = coaching.struggles(state.db, year, visible)
    lessons = {x.id: x.title.ko for x in pack.lessons} if pack is not None else {}
    # What each step asks the resident to do, as the lesson says it (its number and words).
    steps = {
        (x.id, step.id): f"{i}. {step.say.ko}"
        for x in (pack.lessons if pack is not None else [])
        for i, step in enumerate(x.steps, 1)
    }
    return render(
        request,
        "reports.html",
        signed_in,
        title="보고서",
        year=year,
        years=pledge.years(pack, this_year, year),
        year_error=year_error,
        own_dong=own,
        dong_names=dong_names(state),
        report=participation,
        kinds=report.KINDS,
        dong_rows=[([r.label], r) for r in participation.dongs],
        channel_rows=[
            ([r.label, report.MODES.get(r.mode, r.mode)], r) for r in participation.channels
        ],
        month_rows=[([f"{i + 1}월"], r) for i, r in enumerate(participation.months)],
        target_chart=Markup(report.target_chart(participation)),
        month_chart=Markup(report.month_chart(participation)),
        pledge=figures,
        pledge_chart=Markup(
            report.bar_against_target(
                f"{year}년 온통중구 활용", "활용", figures.total, figures.target
            )
        ),
        play=played,
        play_modes=proof_of_play.MODES,
        play_query=urlencode({"from": first.isoformat(), "to": last.isoformat()}),
        entered=entered,
        play_errors=play_errors,
        coaching=coached,
        coach_names=coaching.coach_names(state.db, pack),
        stages=coaching.STAGES,
        lessons=lessons,
        steps=steps,
    )


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else 1


@router.get("/reports/play", response_class=HTMLResponse)
def play_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page(ACTION))]
) -> HTMLResponse:
    """Proof of play in full: a line per board, day and item, a page at a time."""
    state = state_of(request)
    pack = state.ingest.newest_pack.get()
    first, last, entered, errors = _play_range(request)
    device = request.query_params.get("device") or None
    played = proof_of_play.plays(state.db, first, last, pack, _visible(signed_in), device)
    number = _page_number(request.query_params.get("page"))
    pages = max(1, -(-len(played.lines) // PLAY_PAGE_ROWS))
    number = min(number, pages)
    query = {"from": first.isoformat(), "to": last.isoformat()}
    if device:
        query["device"] = device
    return render(
        request,
        "reports_play.html",
        signed_in,
        title="송출 기록",
        play=played,
        lines=played.lines[(number - 1) * PLAY_PAGE_ROWS : number * PLAY_PAGE_ROWS],
        page_number=number,
        pages=pages,
        play_modes=proof_of_play.MODES,
        play_query=urlencode(query),
        play_action=f"{PREFIX}/reports/play",
        device=device,
        entered=entered,
        play_errors=errors,
        own_dong=_own_dong(signed_in),
        dong_names=dong_names(state),
    )


@router.get("/reports/play.csv")
def play_csv(request: Request, signed_in: Annotated[SignedIn, Depends(page(ACTION))]) -> Response:
    """The proof of play of the dates as CSV; the export is in the audit log."""
    state = state_of(request)
    first, last, _, errors = _play_range(request)
    if errors:
        raise ConsoleRefusal(400, next(iter(errors.values())))
    device = request.query_params.get("device") or None
    played = proof_of_play.plays(
        state.db, first, last, state.ingest.newest_pack.get(), _visible(signed_in), device
    )
    by = actor_of(request, signed_in)
    with state.db.write() as session:
        audit.record(
            session,
            by,
            "report.play_export",
            target=f"device:{device}" if device else None,
            after={
                "range": f"{first.isoformat()} ~ {last.isoformat()}",
                "rows": len(played.lines),
                "dong": _own_dong(signed_in),
            },
        )
    stamp = datetime.now(UTC).astimezone(KST).strftime("%Y%m%d-%H%M")
    name = f"ontong-play-{first:%Y%m%d}-{last:%Y%m%d}-{stamp}.csv"
    return Response(
        # With a BOM: a spreadsheet on Korean Windows opens it as UTF-8.
        "\ufeff" + proof_of_play.to_csv(played),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', **SECURITY_HEADERS},
    )


# The participation report's exports: the page's table, with its points, as a file.
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/reports/participation.{fmt}")
def participation_export(
    request: Request, fmt: str, signed_in: Annotated[SignedIn, Depends(page(ACTION))]
) -> Response:
    """참여 현황 of the year as CSV or XLSX (a dong officer's: their dong only); the export is
    in the audit log (the year, the format, the dong)."""
    if fmt not in EXPORT_TYPES:
        raise ConsoleRefusal(404, "내려받을 수 없는 형식입니다.")
    state = state_of(request)
    year, error = _year(request.query_params.get("year"), report.this_year())
    if error:
        raise ConsoleRefusal(400, error)
    own = _own_dong(signed_in)
    figures = report.participation(state.db, year, dong=own)
    with state.db.write() as session:
        audit.record(
            session,
            actor_of(request, signed_in),
            "report.participation_export",
            after={"year": year, "format": fmt, "dong": own},
        )
    # With a BOM: a spreadsheet on Korean Windows opens the CSV as UTF-8.
    body = ("\ufeff" + report.to_csv(figures)).encode() if fmt == "csv" else report.to_xlsx(figures)
    stamp = datetime.now(UTC).astimezone(KST).strftime("%Y%m%d-%H%M")
    name = f"ontong-participation-{year}{'-' + own if own else ''}-{stamp}.{fmt}"
    return Response(
        body,
        media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"', **SECURITY_HEADERS},
    )
