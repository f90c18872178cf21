"""설문·정책퀴즈 양식: a survey or quiz of the draft written in a form: its title, text, window,
points and address, and its questions (single and multiple choice, yes/no, 1-5 scale, short and
long text) with options, 필수, show-if (보이는 조건), and a quiz's answers and explanations.

This module reads the form into the pack's Survey document (keeping what the form does not show:
English texts, option pictures, image-choice questions) and shows what was typed again with each
problem beside its field; the rules are the kiosk's own models, asked by server.drafts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from starlette.datastructures import FormData

from contract.content import QUESTION_TYPES
from server import drafts
from server.console.base import KST, form_field
from server.console.forms import (
    TOP,
    ItemForm,
    document_of,
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

TYPE_LABELS = {
    "single_choice": "하나 고르기",
    "multiple_choice": "여러 개 고르기",
    "yes_no": "예 / 아니요",
    "scale": "1~5 점수",
    "short_text": "짧은 글",
    "long_text": "긴 글",
    "image_choice": "그림 고르기",
}
# Written in the form (a question of a type the form does not know is kept as it is).
FORM_TYPES = tuple(t for t in QUESTION_TYPES if t in TYPE_LABELS)
SURVEY_FIELDS = (
    "id",
    "kind",
    "title_ko",
    "description_ko",
    "opens_at",
    "closes_at",
    "points",
    "url",
)
QUESTION_FIELDS = (
    "id",
    "type",
    "prompt",
    "options",
    "min_select",
    "max_select",
    "labels",
    "max_length",
    "correct",
    "explanation",
    "show_if_question",
    "show_if_any_of",
)
# What a question is when a field is left out (contract.content's defaults).
QUESTION_DEFAULTS: dict[str, Any] = {"required": True, "min_select": 1}
# The buttons that show one more question, or one more picture of image-choice question N.
ADD_QUESTION, ADD_PICTURE = "add_question", "add_picture-"
PICTURE_REQUIRED = {
    "id": "보기 id를 입력하세요.",
    "label": "보기 이름을 입력하세요.",
    "image": "그림을 고르세요.",
}
REQUIRED = {"title_ko": "제목을 입력하세요.", "description_ko": "설명을 입력하세요."}
# A survey field's path in the pack -> the form's field.
SURVEY_FIELD_OF = {
    "id": "id",
    "kind": "kind",
    "title": "title_ko",
    "description": "description_ko",
    "opens_at": "opens_at",
    "closes_at": "closes_at",
    "points": "points",
    "url": "url",
    "questions": "questions",
}
# A question field's path -> the form's field (after the question's number).
QUESTION_FIELD_OF = {"show_if": "show_if_question", "any_of": "show_if_any_of"}


def question_values(q: dict[str, Any]) -> dict[str, Any]:
    """What the form shows for one question of the pack."""
    correct = q.get("correct")
    if isinstance(correct, bool):
        correct = "yes" if correct else "no"
    elif isinstance(correct, list):
        correct = ", ".join(correct)
    show_if = q.get("show_if") or {}
    return {
        "id": q.get("id", ""),
        "type": q.get("type", "single_choice"),
        "prompt": korean(q.get("prompt")),
        "required": bool(q.get("required", True)),
        "options": "\n".join(f"{o['id']}={korean(o['label'])}" for o in q.get("options", [])),
        "min_select": str(q.get("min_select", 1)),
        "max_select": str(q.get("max_select", "")),
        "labels": "\n".join(korean(label) for label in q.get("labels", [])),
        "max_length": str(q.get("max_length", "")),
        "correct": correct or "",
        "explanation": korean(q.get("explanation")),
        "show_if_question": show_if.get("question", ""),
        "show_if_any_of": ", ".join(show_if.get("any_of", [])),
        "editable": q.get("type") in TYPE_LABELS or "type" not in q,
        # An image-choice question's options one by one, each with its picture.
        "pictures": [
            {"id": o["id"], "label": korean(o.get("label")), "image": o.get("image") or ""}
            for o in q.get("options", [])
        ],
        "rows": q.get("type") == "image_choice",
    }


def values_of(body: dict[str, Any]) -> dict[str, Any]:
    points = body.get("points")
    return {
        "id": body.get("id", ""),
        "kind": body.get("kind", "survey"),
        "title_ko": korean(body.get("title")),
        "description_ko": korean(body.get("description")),
        "opens_at": shown_time(body.get("opens_at")),
        "closes_at": shown_time(body.get("closes_at")),
        "points": "" if points is None else str(points),
        "url": body.get("url", ""),
        "questions": [question_values(q) for q in body.get("questions", [])],
    }


def typed_values(form: FormData) -> dict[str, Any]:
    """What was typed (a question marked 빼기 is left out; 문항 추가 adds an empty one)."""
    values: dict[str, Any] = {name: form_field(form, name) for name in SURVEY_FIELDS}
    questions = []
    count = int(form_field(form, "question_count") or "0")
    for i in range(count):
        if form_field(form, f"q-{i}-remove") == "on":
            continue
        q: dict[str, Any] = {name: form_field(form, f"q-{i}-{name}") for name in QUESTION_FIELDS}
        q["required"] = form_field(form, f"q-{i}-required") == "on"
        q["editable"] = form_field(form, f"q-{i}-editable") != "no"
        q["was"] = form_field(form, f"q-{i}-was")
        _typed_pictures(form, q, f"q-{i}-", form_field(form, "do") == f"{ADD_PICTURE}{i}")
        questions.append(q)
    if form_field(form, "do") == ADD_QUESTION:
        questions.append(question_values({"id": f"q{len(questions) + 1}"}))
    values["questions"] = questions
    return values


def _typed_pictures(form: FormData, q: dict[str, Any], row: str, grow: bool) -> None:
    """An image-choice question's options as typed one by one (the page showed them so), or
    as typed in the options box (the question has just become one)."""
    count = form_field(form, f"{row}option_count")
    q["rows"] = bool(count)
    if not count:
        q["pictures"] = [
            {"id": o["id"], "label": korean(o["label"]), "image": ""}
            for o in _options(q["options"], [])
        ]
        return
    q["pictures"] = [
        {name: form_field(form, f"{row}o-{k}-{name}") for name in ("id", "label", "image")}
        for k in range(int(count))
        if form_field(form, f"{row}o-{k}-remove") != "on"
    ]
    if grow:
        q["pictures"].append({"id": f"o{len(q['pictures']) + 1}", "label": "", "image": ""})
    q["options"] = "\n".join(f"{p['id']}={p['label']}" for p in q["pictures"])


def _pictures(q: dict[str, Any], was: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An image-choice question's options of its typed rows (keeping what the form does not
    show), or of its options box (keeping the pictures they had)."""
    if not q["rows"]:
        return _options(q["options"], was)
    by_id = {o["id"]: o for o in was}
    return [
        {
            **by_id.get(p["id"], {}),
            "id": p["id"],
            "label": with_korean(by_id.get(p["id"], {}).get("label"), p["label"]),
            "image": p["image"] or None,
        }
        for p in q["pictures"]
    ]


def _options(text: str, was: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One option a line: "id=보기" (or just "보기": the id is made from its place)."""
    by_id = {o["id"]: o for o in was}
    options = []
    for n, line in enumerate(line for line in text.splitlines() if line.strip()):
        key, sep, label = line.partition("=")
        key, label = (key.strip(), label.strip()) if sep else (f"o{n + 1}", line.strip())
        old = by_id.get(key, {})
        options.append({**old, "id": key, "label": with_korean(old.get("label"), label)})
    return options


def question_of(q: dict[str, Any], was: dict[str, Any] | None) -> dict[str, Any]:
    """The pack's question for one question's typed values (keeping what the form does not
    show of `was`, the same question before)."""
    if not q["editable"] and was is not None:
        return was
    old = dict(was or {}) if was is not None and was.get("type") == q["type"] else {}
    kind = q["type"]
    body: dict[str, Any] = {
        "id": q["id"],
        "type": kind,
        "prompt": with_korean(old.get("prompt"), q["prompt"]),
        "required": q["required"],
    }
    if q["show_if_question"]:
        any_of = [v.strip() for v in q["show_if_any_of"].split(",") if v.strip()]
        body["show_if"] = {"question": q["show_if_question"], "any_of": any_of}
    if kind in ("single_choice", "multiple_choice"):
        body["options"] = _options(q["options"], old.get("options", []))
    if kind == "image_choice":
        body["options"] = _pictures(q, old.get("options", []))
    if kind == "multiple_choice":
        body["min_select"] = number(q["min_select"] or "1")
        body["max_select"] = number(q["max_select"] or str(len(body["options"])))
    if kind == "scale":
        labels = [line.strip() for line in q["labels"].splitlines() if line.strip()]
        was_labels = old.get("labels", [])
        body["labels"] = [
            with_korean(was_labels[i] if i < len(was_labels) else None, label)
            for i, label in enumerate(labels)
        ]
    if kind in ("short_text", "long_text") and q["max_length"]:
        body["max_length"] = number(q["max_length"])
    if q["correct"]:
        if kind == "yes_no":
            body["correct"] = q["correct"].strip().lower() in ("yes", "예", "true")
        elif kind == "multiple_choice":
            body["correct"] = [v.strip() for v in q["correct"].split(",") if v.strip()]
        else:
            body["correct"] = q["correct"].strip()
    if q["explanation"]:
        body["explanation"] = with_korean(old.get("explanation"), q["explanation"])
    return keep_unwritten(body, was, QUESTION_DEFAULTS)


def survey_of(
    values: dict[str, Any], was: dict[str, Any] | None, draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    """The Survey document of the typed values, and the values that cannot be read."""
    texts = {"title": "title_ko", "description": "description_ko"}
    body, problems = document_of(values, was, texts, ("opens_at", "closes_at"), REQUIRED)
    body["kind"] = values["kind"] or "survey"
    for i, q in enumerate(values["questions"]):
        if q["editable"] and not q["prompt"]:
            problems[f"q-{i}-prompt"] = "질문을 입력하세요."
        if q["type"] == "image_choice" and q["rows"]:
            for k, picture in enumerate(q["pictures"]):
                problems.update(left_empty(picture, PICTURE_REQUIRED, f"q-{i}-o-{k}-"))
    typed = values["points"].strip()
    body["points"] = number(typed) if typed else None
    body["url"] = item_url(values["url"], draft, "survey", body["id"])
    old = {q["id"]: q for q in (was or {}).get("questions", [])}
    body["questions"] = [question_of(q, old.get(q["was"] or q["id"])) for q in values["questions"]]
    return body, problems


def field_of(parts: list[str]) -> str:
    """Where a problem is shown: "title_ko", "q-2-options"…"""
    if parts[0] == "questions" and len(parts) >= 2:
        rest = [p for p in parts[2:] if p not in QUESTION_TYPES]
        # A rule of the whole question (a quiz's answer missing) is shown by its answer.
        field = QUESTION_FIELD_OF.get(rest[0], rest[0]) if rest else "correct"
        if field == "show_if_question" and rest[1:2] == ["any_of"]:
            field = "show_if_any_of"
        return f"q-{parts[1]}-{field}"
    return SURVEY_FIELD_OF.get(parts[0], TOP)


def new_survey(_query: Mapping[str, str]) -> dict[str, Any]:
    """A new survey open from now to the end of today, with one question to write."""
    now = datetime.now(KST).replace(second=0, microsecond=0)
    return {
        "id": f"survey-{now:%Y%m%d-%H%M}",
        "opens_at": now.isoformat(),
        "closes_at": now.replace(hour=23, minute=59).isoformat(),
        "questions": [{"id": "q1", "type": "single_choice"}],
    }


FORM = ItemForm(
    path="survey",
    section="surveys",
    template="content_survey.html",
    noun="설문·정책퀴즈",
    missing="초안에 그런 설문이 없습니다. 다른 직원이 뺐을 수 있습니다.",
    shown=values_of,
    read=typed_values,
    build=survey_of,
    field_of=field_of,
    new=new_survey,
    context=lambda draft: {
        "type_labels": TYPE_LABELS,
        "images": picture_choices(draft),
    },
    grows="add_",
    targeted=True,
)
router = item_router(FORM)
