"""배우기 양식: a lesson a coach plays (보기, 따라하기, 혼자하기, 실전) in a form: its title,
summary, the flow it teaches and the screen it starts on, and its steps (on which screen, which
button or part of it, tap / look / type digits or words / fill in a practice text, and what the
kiosk says). Checked by the kiosk's
own models (contract.lessons: the screens and the names of their parts) through server.drafts
like every item, each problem beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData

from contract.content import ContentPack, PracticeKiosk
from contract.lessons import BAR_TARGETS, FLOWS, SCREEN_TARGETS, STEP_KINDS
from server import drafts
from server.console.base import KST, form_field
from server.console.forms import (
    TOP,
    ItemForm,
    document_of,
    item_router,
    keep_unwritten,
    korean,
    left_empty,
    with_korean,
)
from server.content import newest_manifest
from server.db import ServerDatabase

LESSON_FIELDS = ("id", "title_ko", "summary_ko", "flow", "start")
STEP_FIELDS = ("id", "screen", "target", "kind", "say", "value")
FLOW_LABELS = {
    "survey": "설문에 답하기",
    "agree": "제안에 공감하기",
    "vote": "주민참여예산 투표",
    "points": "포인트 확인",
    "contest_entry": "공모전에 글 보내기",
    "contest_vote": "공모전 작품 투표",
    "proposal": "글자판으로 정책제안 쓰기",
    "video": "영상 보기 (자막 켜기)",
    "share": "휴대폰으로 옮겨 보기 (QR)",
    "exchange": "포인트를 상품권으로 바꾸기",
}
KIND_LABELS = {
    "tap": "누르기",
    "look": "보기만 하기",
    "enter": "글쇠 하나씩 누르기 (숫자판 숫자, 글자판 한글 16자까지)",
    "fill": "미리 쓴 글 넣기 (글자판, 200자까지)",
}
TEXTS = {"title": "title_ko", "summary": "summary_ko"}
REQUIRED = {"title_ko": "제목을 입력하세요."}
STEP_REQUIRED = {
    "id": "단계 id를 입력하세요. 예: open-surveys",
    "screen": "화면을 고르세요.",
    "target": "가리킬 곳을 입력하세요. 예: tile_surveys",
    "say": "키오스크가 할 말을 입력하세요.",
}
LESSON_FIELD_OF = {
    "id": "id",
    "title": "title_ko",
    "summary": "summary_ko",
    "flow": "flow",
    "start": "start",
    "steps": "steps",
}
ADD_STEP = "add_step"
# What a lesson and a step are when a field is left out (contract.content's defaults).
LESSON_DEFAULTS: dict[str, Any] = {"start": "home", "summary": None}
STEP_DEFAULTS: dict[str, Any] = {"kind": "tap", "value": None}


def step_values(step: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": step.get("id", ""),
        "screen": step.get("screen", ""),
        "target": step.get("target", ""),
        "kind": step.get("kind", "tap"),
        "say": korean(step.get("say")),
        "value": step.get("value") or "",
        "was": step.get("id", ""),
    }


def values_of(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": body.get("id", ""),
        "title_ko": korean(body.get("title")),
        "summary_ko": korean(body.get("summary")),
        "flow": body.get("flow", ""),
        "start": body.get("start", "home"),
        "steps": [step_values(s) for s in body.get("steps", [])],
    }


def typed_values(form: FormData) -> dict[str, Any]:
    """What was typed (a step marked 빼기 is left out; 단계 추가 adds an empty one)."""
    values: dict[str, Any] = {name: form_field(form, name) for name in LESSON_FIELDS}
    steps = []
    for i in range(int(form_field(form, "step_count") or "0")):
        if form_field(form, f"s-{i}-remove") == "on":
            continue
        step = {name: form_field(form, f"s-{i}-{name}") for name in STEP_FIELDS}
        steps.append({**step, "was": form_field(form, f"s-{i}-was")})
    if form_field(form, "do") == ADD_STEP:
        last = steps[-1]["screen"] if steps else values["start"]
        steps.append(step_values({"id": f"step-{len(steps) + 1}", "screen": last}))
    values["steps"] = steps
    return values


def lesson_of(
    values: dict[str, Any], was: dict[str, Any] | None, _draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    """The Lesson document of the typed values (keeping what the form does not show: the
    English texts), and the values that cannot be read."""
    body, problems = document_of(values, was, TEXTS, (), REQUIRED)
    body["flow"] = values["flow"]
    body["start"] = values["start"] or "home"
    old = {s["id"]: s for s in (was or {}).get("steps", [])}
    steps = []
    for i, s in enumerate(values["steps"]):
        problems.update(left_empty(s, STEP_REQUIRED, f"s-{i}-"))
        before = old.get(s["was"] or s["id"], {})
        step = {
            **before,
            "id": s["id"],
            "screen": s["screen"],
            "target": s["target"],
            "kind": s["kind"] or "tap",
            "say": with_korean(before.get("say"), s["say"]),
        }
        step["value"] = s["value"] or None
        steps.append(keep_unwritten(step, before, STEP_DEFAULTS))
    body["steps"] = steps
    return keep_unwritten(body, was, LESSON_DEFAULTS), problems


def field_of(parts: list[str]) -> str:
    """Where a problem is shown: steps.2.target -> s-2-target…"""
    if parts[0] == "steps" and len(parts) >= 3:
        return f"s-{parts[1]}-{parts[2]}"
    return LESSON_FIELD_OF.get(parts[0], TOP)


def new_lesson(_query: Mapping[str, str]) -> dict[str, Any]:
    """A new lesson of the survey flow, starting on the home screen, with one step to write."""
    now = datetime.now(KST)
    return {
        "id": f"lesson-{now:%Y%m%d-%H%M}",
        "flow": "survey",
        "start": "home",
        "steps": [{"id": "step-1", "screen": "home", "kind": "tap"}],
    }


def choices(_draft: drafts.Draft) -> dict[str, Any]:
    return {
        "kinds": [(k, KIND_LABELS.get(k, k)) for k in STEP_KINDS],
        "bar_targets": sorted(BAR_TARGETS),
    }


def practice_choices(db: ServerDatabase) -> dict[str, Any]:
    """The flows, screens and parts a lesson may name: the resident flows' registry, and the
    practice kiosks of the live content (their pages are pack data, contract.practice)."""
    kiosks: list[PracticeKiosk] = []
    live = newest_manifest(db)
    if live is not None:
        kiosks = ContentPack.model_validate_json(live.body).practice
    screens: dict[str, frozenset[str]] = dict(SCREEN_TARGETS)
    for kiosk in kiosks:
        screens.update(kiosk.screens())
    return {
        "flows": [(f, FLOW_LABELS.get(f, f)) for f in FLOWS]
        + [(k.id, f"{k.title.ko} (연습용 키오스크)") for k in kiosks],
        "screens": [(s, s) for s in screens],
        # What each screen's parts are called ("survey_*": survey_ and the survey's id).
        "targets": [(s, sorted(names)) for s, names in screens.items()],
    }


FORM = ItemForm(
    path="lesson",
    section="lessons",
    template="content_lesson.html",
    noun="배우기",
    missing="초안에 그런 배우기가 없습니다. 다른 직원이 뺐을 수 있습니다.",
    shown=values_of,
    read=typed_values,
    build=lesson_of,
    field_of=field_of,
    new=new_lesson,
    context=choices,
    lookups=practice_choices,
    grows=ADD_STEP,
    targeted=True,
)
router = item_router(FORM)
