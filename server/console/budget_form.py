"""주민참여예산 양식: the participatory-budget vote written in a form: its title, text, vote window,
the residents' proposal window before it (optional: both ends or neither) and address, and per
dong a ballot (the dong's budget in won, its rule: how many projects a
resident picks, or any projects within the budget) with its candidate projects (title, text,
cost, the picture from the pack's files, whether the district has reviewed it). Checked by the
kiosk's own models through server.drafts like every item, each problem beside its field; the
published results are kept as they are (the form does not show them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from starlette.datastructures import FormData

from server import drafts
from server.console.base import KST, form_field
from server.console.forms import (
    TOP,
    ItemForm,
    document_of,
    dong_choices,
    item_router,
    item_url,
    keep_unwritten,
    korean,
    left_empty,
    number,
    picture_choices,
    shown_time,
    with_korean,
)

# The proposal window (주민 제안 접수) is optional: both left empty, the vote has none.
PROPOSAL_TIMES = ("proposals_open_at", "proposals_close_at")
VOTE_FIELDS = ("id", "title_ko", "description_ko", "opens_at", "closes_at", *PROPOSAL_TIMES, "url")
BALLOT_FIELDS = ("id", "dong", "budget_won", "rule", "max_selections", "min_selections")
PROJECT_FIELDS = ("id", "title", "description", "cost_won", "image")
RULES = (
    ("approval", "정해진 수만큼 고르기"),
    ("budget", "동 예산 안에서 고르기 (고른 사업비 합이 예산 이하)"),
)
TEXTS = {"title": "title_ko", "description": "description_ko"}
REQUIRED = {"title_ko": "제목을 입력하세요."}
PROJECT_REQUIRED = {
    "id": "id를 입력하세요. 예: sindang-benches",
    "title": "사업 이름을 입력하세요.",
    "description": "사업 설명을 입력하세요.",
    "cost_won": "사업비를 원 단위로 입력하세요. 예: 24,000,000",
    "image": "그림을 고르세요.",
}
VOTE_FIELD_OF = {
    "id": "id",
    "title": "title_ko",
    "description": "description_ko",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
    "proposals_open_at": "proposals_open_at",
    "proposals_close_at": "proposals_close_at",
    "url": "url",
    "ballots": "ballots",
}
# The grow buttons: 동 투표 추가 (a ballot) and 사업 추가 to ballot N ("add_project-N").
ADD_BALLOT, ADD_PROJECT = "add_ballot", "add_project-"
# The most rows a posted form may say it has (a larger count is not this page's form).
MOST_ROWS = 200


def _won(value: Any) -> str:
    """An amount of won as staff read it: 150,000,000."""
    return f"{value:,}" if isinstance(value, int) else str(value or "")


def project_values(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": p.get("id", ""),
        "title": korean(p.get("title")),
        "description": korean(p.get("description")),
        "cost_won": _won(p.get("cost_won")),
        "image": p.get("image", ""),
        "reviewed": bool(p.get("reviewed", True)),
        "was": p.get("id", ""),
    }


def ballot_values(b: dict[str, Any]) -> dict[str, Any]:
    rule = b.get("rule") or {}
    most = rule.get("max_selections")
    return {
        "id": b.get("id", ""),
        "dong": b.get("dong", ""),
        "budget_won": _won(b.get("budget_won")),
        "rule": rule.get("kind", "approval"),
        "max_selections": "" if most is None else str(most),
        "min_selections": str(rule.get("min_selections", 0)),
        "projects": [project_values(p) for p in b.get("projects", [])],
        "was": b.get("id", ""),
    }


def values_of(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": body.get("id", ""),
        "title_ko": korean(body.get("title")),
        "description_ko": korean(body.get("description")),
        "opens_at": shown_time(body.get("opens_at")),
        "closes_at": shown_time(body.get("closes_at")),
        **{name: shown_time(body.get(name)) for name in PROPOSAL_TIMES},
        "url": body.get("url", ""),
        "ballots": [ballot_values(b) for b in body.get("ballots", [])],
    }


def _count(form: FormData, name: str) -> int:
    """A row count the page wrote (ValueError: not this page's form)."""
    count = int(form_field(form, name) or "0")
    if not 0 <= count <= MOST_ROWS:
        raise ValueError(name)
    return count


def _typed_projects(form: FormData, row: str, grow: bool) -> list[dict[str, Any]]:
    projects = []
    for j in range(_count(form, f"{row}project_count")):
        cell = f"{row}p-{j}-"
        if form_field(form, f"{cell}remove") == "on":
            continue
        project: dict[str, Any] = {name: form_field(form, cell + name) for name in PROJECT_FIELDS}
        project["reviewed"] = form_field(form, f"{cell}reviewed") == "on"
        project["was"] = form_field(form, f"{cell}was")
        projects.append(project)
    if grow:
        projects.append(project_values({"reviewed": True}))
    return projects


def typed_values(form: FormData) -> dict[str, Any]:
    """What was typed (a ballot or project marked 빼기 is left out; 동 투표 추가 and 사업 추가
    add an empty one)."""
    values: dict[str, Any] = {name: form_field(form, name) for name in VOTE_FIELDS}
    do = form_field(form, "do")
    ballots = []
    for i in range(_count(form, "ballot_count")):
        row = f"b-{i}-"
        if form_field(form, f"{row}remove") == "on":
            continue
        ballot: dict[str, Any] = {name: form_field(form, row + name) for name in BALLOT_FIELDS}
        ballot["was"] = form_field(form, f"{row}was")
        ballot["projects"] = _typed_projects(form, row, do == f"{ADD_PROJECT}{i}")
        ballots.append(ballot)
    if do == ADD_BALLOT:
        ballots.append(ballot_values({"projects": [{}]}))
    values["ballots"] = ballots
    return values


def _rule(b: dict[str, Any], was: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = {**was, "kind": b["rule"]}
    if b["max_selections"]:
        rule["max_selections"] = number(b["max_selections"])
    else:
        rule.pop("max_selections", None)
    rule["min_selections"] = number(b["min_selections"] or "0")
    return keep_unwritten(rule, was, {"min_selections": 0})


def _projects(
    i: int, typed: list[dict[str, Any]], was: list[dict[str, Any]], problems: dict[str, str]
) -> list[dict[str, Any]]:
    """Ballot `i`'s projects of the typed values (keeping what the form does not show)."""
    old = {p["id"]: p for p in was}
    projects = []
    for j, p in enumerate(typed):
        problems.update(left_empty(p, PROJECT_REQUIRED, f"b-{i}-p-{j}-"))
        kept = old.get(p["was"] or p["id"], {})
        projects.append(
            {
                **kept,
                "id": p["id"],
                "title": with_korean(kept.get("title"), p["title"]),
                "description": with_korean(kept.get("description"), p["description"]),
                "cost_won": number(p["cost_won"]),
                "image": p["image"],
                "reviewed": p["reviewed"],
            }
        )
    return projects


def budget_of(
    values: dict[str, Any], was: dict[str, Any] | None, draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    """The BudgetVote document of the typed values (keeping its results and English texts),
    and the values that cannot be read."""
    given = tuple(name for name in PROPOSAL_TIMES if values[name])
    body, problems = document_of(values, was, TEXTS, ("opens_at", "closes_at", *given), REQUIRED)
    for name in PROPOSAL_TIMES:
        if not values[name]:
            body.pop(name, None)  # left empty: not in the pack (half a window the pack refuses)
    body["url"] = item_url(values["url"], draft, "budget", body["id"])
    old = {b["id"]: b for b in (was or {}).get("ballots", [])}
    ballots = []
    for i, b in enumerate(values["ballots"]):
        before = old.get(b["was"] or b["id"], {})
        if not b["dong"]:
            problems[f"b-{i}-dong"] = "동을 고르세요."
        ballots.append(
            {
                **before,
                # A new dong's ballot is named after the vote and the dong: 2027-pb-sindang.
                "id": b["id"] or f"{body['id']}-{b['dong']}",
                "dong": b["dong"],
                "budget_won": number(b["budget_won"]),
                "rule": _rule(b, before.get("rule") or {}),
                "projects": _projects(i, b["projects"], before.get("projects", []), problems),
            }
        )
    body["ballots"] = ballots
    return body, problems


def field_of(parts: list[str]) -> str:
    """Where a problem is shown: ballots.1.projects.2.cost_won -> b-1-p-2-cost_won,
    ballots.0.rule.max_selections -> b-0-max_selections…"""
    if parts[0] == "ballots" and len(parts) >= 3:
        row = f"b-{parts[1]}-"
        if parts[2] == "projects" and len(parts) >= 5:
            return f"{row}p-{parts[3]}-{parts[4]}"
        if parts[2] == "rule":
            return row + (parts[3] if len(parts) >= 4 else "rule")
        return row + parts[2]
    return VOTE_FIELD_OF.get(parts[0], TOP)


def new_budget(_query: Mapping[str, str]) -> dict[str, Any]:
    """A new vote open from now for four weeks, with one dong's ballot to fill in."""
    now = datetime.now(KST).replace(second=0, microsecond=0)
    return {
        "id": f"{now:%Y}-pb",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(weeks=4)).replace(hour=18, minute=0).isoformat(),
        "ballots": [{"projects": [{}]}],
    }


def choices(draft: drafts.Draft) -> dict[str, Any]:
    return {
        "dongs": dong_choices(draft),
        "dong_names": dict(dong_choices(draft)),
        "rules": RULES,
        "images": picture_choices(draft),
    }


FORM = ItemForm(
    path="budget",
    section="budget",
    template="content_budget.html",
    noun="주민참여예산",
    missing="초안에 주민참여예산이 없습니다. 다른 직원이 뺐을 수 있습니다.",
    shown=values_of,
    read=typed_values,
    build=budget_of,
    field_of=field_of,
    new=new_budget,
    context=choices,
    grows="add_",
)
router = item_router(FORM)
