"""포인트 규칙과 목표 양식: the district's point rules (points per activity, the exchange minimum),
the proposal threshold and the yearly targets, written in a form; checked by the kiosk's own
models through server.drafts like every item, each problem beside its field."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from contract.content import ACTIVITY_KINDS
from server import drafts
from server.console.base import form_field
from server.console.forms import TOP, ItemForm, item_router, number

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


def values_of(district: dict[str, Any]) -> dict[str, Any]:
    points = district.get("points") or {}
    rules = points.get("rules") or {}
    values = {f"rule-{a}": str(rules[a]) if a in rules else "" for a in ACTIVITY_KINDS}
    values["exchange_minimum"] = str(points.get("exchange_minimum", 10_000))
    values["proposal_threshold"] = str(district.get("proposal_threshold", 100))
    for name, _label in TARGETS:
        years = district.get(name) or {}
        values[name] = "\n".join(f"{year}={n}" for year, n in sorted(years.items()))
    return values


def typed_values(form: FormData) -> dict[str, Any]:
    names = [f"rule-{a}" for a in ACTIVITY_KINDS] + ["exchange_minimum", "proposal_threshold"]
    return {name: form_field(form, name) for name in names + [n for n, _l in TARGETS]}


def district_of(
    values: dict[str, Any], was: dict[str, Any] | None, _draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    """The district document with the typed rules and targets (the rest as it was), and the
    lines that cannot be read."""
    was = was or {}
    body = dict(was)
    problems: dict[str, str] = {}
    rules = {a: number(values[f"rule-{a}"]) for a in ACTIVITY_KINDS if values[f"rule-{a}"]}
    body["points"] = {
        **(was.get("points") or {}),
        "rules": rules,
        "exchange_minimum": number(values["exchange_minimum"]),
    }
    body["proposal_threshold"] = number(values["proposal_threshold"])
    for name, _label in TARGETS:
        years: dict[str, int | str] = {}
        for line in values[name].splitlines():
            if not line.strip():
                continue
            year, sep, count = line.partition("=")
            if not sep:
                problems[name] = f"'{line.strip()}': 한 줄에 하나, 2026=430처럼 쓰세요."
                break
            years[year.strip()] = number(count.strip())
        body[name] = years
    return body, problems


def field_of(parts: list[str]) -> str:
    """Where a problem is shown: points.rules.quiz -> rule-quiz, yearly_targets.2026…"""
    if parts[:2] == ["points", "rules"] and len(parts) > 2:
        return f"rule-{parts[2]}"
    if parts[:2] == ["points", "exchange_minimum"]:
        return "exchange_minimum"
    if parts[0] in ("proposal_threshold", "yearly_targets", "pledge_targets"):
        return parts[0]
    return TOP


FORM = ItemForm(
    path="district",
    section="district",
    template="content_district.html",
    noun="포인트 규칙과 목표",
    missing="초안에 구 정보가 없습니다. 초안을 버리고 새로 만드세요.",
    shown=values_of,
    read=typed_values,
    build=district_of,
    field_of=field_of,
    context=lambda _draft: {"activities": list(ACTIVITY_LABELS.items()), "targets": TARGETS},
    title="포인트 규칙과 목표",
)
router = item_router(FORM)
