"""포인트 규칙과 목표 양식: the district's point rules (points per activity, the exchange minimum),
the proposal threshold and the yearly targets, written in a form; checked by the kiosk's own
models through server.drafts like every item, each problem beside its field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from contract.content import ACTIVITY_KINDS
from server import drafts
from server.console.base import (
    PREFIX,
    ConsoleRefusal,
    Posted,
    action,
    form_field,
    page,
    redirect,
    render,
)
from server.console.content import HOME, current_draft, form_target, store_form_item
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

ACTIVITY_LABELS = {
    "survey_response": "설문 응답",
    "quiz": "정책퀴즈",
    "contest_vote": "공모 투표",
    "contest_entry": "공모 응모",
    "proposal_agree": "제안 공감",
    "proposal": "제안 쓰기",
    "budget_vote": "주민참여예산 투표",
}
TARGETS = (("yearly_targets", "해마다 목표 참여 수"), ("pledge_targets", "공약 확인지표 목표"))


def values_of(district: dict[str, Any]) -> dict[str, str]:
    points = district.get("points") or {}
    rules = points.get("rules") or {}
    values = {f"rule-{a}": str(rules[a]) if a in rules else "" for a in ACTIVITY_KINDS}
    values["exchange_minimum"] = str(points.get("exchange_minimum", 10_000))
    values["proposal_threshold"] = str(district.get("proposal_threshold", 100))
    for name, _label in TARGETS:
        years = district.get(name) or {}
        values[name] = "\n".join(f"{year}={n}" for year, n in sorted(years.items()))
    return values


def typed_values(form: FormData) -> dict[str, str]:
    names = [f"rule-{a}" for a in ACTIVITY_KINDS] + ["exchange_minimum", "proposal_threshold"]
    return {name: form_field(form, name) for name in names + [n for n, _l in TARGETS]}


def _number(text: str) -> int | str:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        return text


def district_of(
    values: dict[str, str], was: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The district document with the typed rules and targets (the rest as it was), and the
    lines that cannot be read."""
    body = dict(was)
    problems: dict[str, str] = {}
    rules = {a: _number(values[f"rule-{a}"]) for a in ACTIVITY_KINDS if values[f"rule-{a}"]}
    body["points"] = {
        **(was.get("points") or {}),
        "rules": rules,
        "exchange_minimum": _number(values["exchange_minimum"]),
    }
    body["proposal_threshold"] = _number(values["proposal_threshold"])
    for name, _label in TARGETS:
        years: dict[str, int | str] = {}
        for line in values[name].splitlines():
            if not line.strip():
                continue
            year, sep, count = line.partition("=")
            if not sep:
                problems[name] = f"'{line.strip()}': 한 줄에 하나, 2026=430처럼 쓰세요."
                break
            years[year.strip()] = _number(count.strip())
        body[name] = years
    return body, problems


def form_errors(refused: drafts.DraftRefused) -> dict[str, str]:
    """Problems by the form's field: points.rules.quiz -> rule-quiz, yearly_targets.2026…"""
    errors: dict[str, str] = {}
    for path, text in (refused.paths or {"": refused.message}).items():
        parts = path.split(".")
        if parts[:2] == ["points", "rules"] and len(parts) > 2:
            name = f"rule-{parts[2]}"
        elif parts[:2] == ["points", "exchange_minimum"]:
            name = "exchange_minimum"
        elif parts[0] in ("proposal_threshold", "yearly_targets", "pledge_targets"):
            name = parts[0]
        else:
            name = "form"
        errors.setdefault(name, text)
    return errors


def _form_page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    item: drafts.DraftItem,
    values: dict[str, str],
    status_code: int = 200,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "content_district.html",
        signed_in,
        status_code=status_code,
        title="포인트 규칙과 목표",
        draft=draft,
        item=item,
        values=values,
        errors=errors or {},
        activities=list(ACTIVITY_LABELS.items()),
        targets=TARGETS,
        can_edit=allowed(signed_in.staff, "content.edit"),
    )


def _district(draft: drafts.Draft) -> drafts.DraftItem:
    item = draft.item("district", "district")
    if item is None:
        raise ConsoleRefusal(404, "초안에 구 정보가 없습니다. 초안을 버리고 새로 만드세요.")
    return item


@router.get("/content/draft/district", response_class=HTMLResponse)
def district_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("content.view"))]
) -> HTMLResponse:
    draft = current_draft(request)
    item = _district(draft)
    return _form_page(request, signed_in, draft, item, values_of(item.body))


@router.post("/content/draft/district", response_class=HTMLResponse)
def save_district(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    draft, item = form_target(request, posted, "district")
    if item is None:
        item = _district(draft)
    values = typed_values(posted.form)
    body, problems = district_of(values, item.body)
    errors = store_form_item(request, posted, draft, item, "district", body, problems, form_errors)
    if errors is not None:
        return _form_page(request, posted.signed_in, draft, item, values, 400, errors)
    return redirect(f"{HOME}/draft?done=saved#section-district")
