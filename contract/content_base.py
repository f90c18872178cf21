"""The base of the content pack's models: the messages that explain a broken pack, the model
base with its scalar types, Korean time (KST) and the daily time window.

They live apart from ``contract.content`` (which re-exports them) so that what needs only these
— the device's configuration, read before the kiosk's first screen — does not build every
model of the pack: that import costs more than starting Qt. No Qt, no I/O.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from pathlib import PurePosixPath
from typing import Annotated, Any, Final, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainValidator,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION: Final = 1

# Korea has kept UTC+9 without daylight saving since 1988, so a fixed offset is exact and spares
# Windows kiosks the tzdata package that zoneinfo would need.
KST: Final = timezone(timedelta(hours=9), "KST")

POINTS_MIN: Final = 100
POINTS_MAX: Final = 10_000
SCALE_POINTS: Final = 5

ActivityKind = Literal[
    "survey_response",
    "quiz",
    "contest_vote",
    "contest_entry",
    "proposal_agree",
    "proposal",
    "budget_vote",
]
ACTIVITY_KINDS: Final[tuple[str, ...]] = ActivityKind.__args__  # type: ignore[attr-defined]

Topic = Literal["welfare", "transport", "environment", "safety", "culture", "economy", "education"]

Loc = tuple[str | int, ...]

# ---------------------------------------------------------------------------------------------
# Messages. Every text that tells staff what is wrong with a pack lives here, keyed by the
# pydantic error type (ours or pydantic's own); `{name}` fields come from the error context.
# ---------------------------------------------------------------------------------------------

MESSAGES: Final[dict[str, str]] = {
    # Our own content rules.
    "schema_version": (
        "지원하지 않는 스키마 버전 {found} "
        "(this kiosk reads schema_version {supported}; update the kiosk app or the pack)"
    ),
    "blank_text": "한국어 글이 비어 있습니다 (Korean text must not be empty)",
    "unsafe_path": (
        "쓸 수 없는 경로 '{path}' (path must be relative, use '/', and stay inside the pack)"
    ),
    "not_https": "https 주소가 아닙니다 '{url}' (URL must start with https://)",
    "off_platform_url": (
        "온통중구 주소가 아닙니다 '{url}' (item URL must be on the platform, {host})"
    ),
    "points_range": (
        "포인트는 100~10,000 사이여야 합니다: {value} (points must be between 100 and 10,000)"
    ),
    "unknown_activity": "알 수 없는 활동 종류 '{value}' (unknown activity kind)",
    "missing_point_rule": (
        "'{activity}' 활동의 포인트 규칙이 없습니다 (no point rule for activity '{activity}')"
    ),
    "not_after": "{other}보다 뒤여야 합니다 (must be after {other})",
    "proposal_window_half": (
        "주민 제안 접수 기간은 시작(proposals_open_at)과 끝(proposals_close_at)을 함께 적거나 "
        "둘 다 비워야 합니다 (give both ends of the proposal window, or neither)"
    ),
    "proposal_window_order": (
        "주민 제안 접수 끝(proposals_close_at)이 시작(proposals_open_at)보다 뒤여야 합니다 "
        "(the proposal window must end after it starts)"
    ),
    "proposals_after_vote": (
        "주민 제안 접수는 투표 시작(opens_at) 전에 끝나야 합니다: 제안 → 검토 → 투표 "
        "(the proposal window must close before the vote opens)"
    ),
    "duplicate_id": "같은 id '{id}'가 두 번 이상 있습니다 (duplicate id)",
    "duplicate_path": "같은 파일 '{path}'이 두 번 이상 있습니다 (file listed twice)",
    "duplicate_dong_ballot": "'{dong}' 동의 투표지가 두 개 이상입니다 (one ballot per dong)",
    "unknown_dong": "알 수 없는 동 '{dong}' (unknown dong id)",
    "unknown_ballot_dong": "'{dong}' 동의 투표지가 없습니다 (no ballot for this dong)",
    "unknown_project": "이 동의 사업이 아닌 '{project}' (project is not on this dong's ballot)",
    "unlisted_asset": ("'{path}' 파일이 files 목록에 없습니다 (asset is not listed in files)"),
    "wrong_media_type": (
        "'{path}'은(는) {expected} 파일이어야 합니다 (file is {media_type}, expected {expected})"
    ),
    "manifest_listed": "manifest.json은 files에 넣을 수 없습니다 (manifest cannot list itself)",
    "duplicate_coach": "같은 코치 번호 '{code}'가 두 번 이상 있습니다 (duplicate coach code)",
    "pin_hash": (
        "코치 비밀번호 해시 형식이 잘못되었습니다 "
        "(pin_hash must be scrypt$N$r$p$salt$hash, see contract.pin.hash_pin)"
    ),
    "lesson_step_kind": (
        "레슨 '{lesson}'의 단계 '{step}': 알 수 없는 단계 종류 '{kind}' "
        "(unknown step kind in lesson '{lesson}', step '{step}'; expected {expected})"
    ),
    "lesson_screen": (
        "레슨 '{lesson}'의 단계 '{step}': 알 수 없는 화면 '{screen}' "
        "(unknown screen in lesson '{lesson}', step '{step}'; see contract.lessons)"
    ),
    "lesson_target": (
        "레슨 '{lesson}'의 단계 '{step}': '{screen}' 화면에 없는 대상 '{target}' "
        "(unknown target in lesson '{lesson}', step '{step}'; see contract.lessons)"
    ),
    "lesson_enter": (
        "레슨 '{lesson}'의 단계 '{step}': 입력(enter)은 숫자판 'keypad'에 숫자를, 글자판 "
        "'hangulKeyboard'에 한글 16자까지를, 채우기(fill)는 글자판에 200자까지의 글을 value로 "
        "함께 적어야 합니다 (kind '{kind}', target '{target}': an enter step types its value "
        "on the keypad or keyboard, a fill step writes it on the keyboard, and only these have "
        "a value)"
    ),
    "lesson_flow": "레슨 '{lesson}': 알 수 없는 흐름 '{flow}' (unknown flow; expected {expected})",
    "practice_kind": (
        "연습 키오스크 '{kiosk}'의 화면 '{page}': 알 수 없는 종류 '{kind}' "
        "(unknown page kind; expected {expected})"
    ),
    "practice_no_menu": (
        "연습 키오스크 '{kiosk}'의 메뉴 화면 '{page}'에 메뉴 분류(categories)가 없습니다 "
        "(a menu page needs categories)"
    ),
    "practice_no_choices": (
        "연습 키오스크 '{kiosk}'의 고르기 화면 '{page}'에 고를 것(choices)이 없습니다 "
        "(a choose page needs choices)"
    ),
    "practice_option": (
        "연습 키오스크 '{kiosk}'의 메뉴 '{item}': 선택 사항 '{option}'이 option_groups에 없습니다 "
        "(unknown option group)"
    ),
    "practice_last": (
        "연습 키오스크 '{kiosk}'의 마지막 화면 '{page}'은 끝 화면(done)이어야 합니다 "
        "(the last page must be of kind done)"
    ),
    "practice_color": (
        "연습 키오스크 '{kiosk}'의 색 '{color}'이 너무 밝아 흰 글자가 잘 안 보입니다 "
        "(white text needs a contrast of 7:1 on the sign colour)"
    ),
    "practice_duplicate": (
        "연습 키오스크 '{kiosk}'에 같은 id '{id}'가 두 번 있습니다 "
        "(duplicate id in a practice kiosk)"
    ),
    "lesson_kiosk": (
        "레슨 '{lesson}': 흐름 '{flow}'은 기본 흐름도 이 콘텐츠의 연습 키오스크도 아닙니다 "
        "(unknown flow; expected {expected})"
    ),
    "duplicate_step": "레슨 '{lesson}'에 같은 단계 '{step}'가 두 번 있습니다 (duplicate step id)",
    "show_if_unknown": (
        "조건에 쓴 질문 '{question}'이 앞에 없습니다 (show_if must refer to an earlier question)"
    ),
    "show_if_no_values": (
        "'{question}' 질문은 조건으로 쓸 수 없습니다 "
        "(show_if needs a choice, yes/no or scale question)"
    ),
    "show_if_bad_value": (
        "'{question}' 질문에 없는 답 '{value}' (show_if value is not an answer of that question)"
    ),
    "quiz_needs_answer": (
        "퀴즈 문항에는 정답(correct)과 해설(explanation)이 있어야 합니다 "
        "(quiz questions need correct and explanation)"
    ),
    "quiz_question_type": (
        "퀴즈에는 '{type}' 문항을 쓸 수 없습니다 "
        "(quiz questions must be single_choice, multiple_choice, yes_no or image_choice)"
    ),
    "quiz_only": (
        "정답·해설은 퀴즈(kind: quiz)에만 쓸 수 있습니다 "
        "(correct and explanation are only allowed in a quiz)"
    ),
    "correct_not_option": "정답 '{value}'이 보기에 없습니다 (correct answer is not an option id)",
    "correct_count": (
        "정답 수 {count}개가 선택 범위 {min}~{max}개를 벗어납니다 "
        "(number of correct options must fit min_select..max_select)"
    ),
    "select_range": (
        "선택 수 범위가 맞지 않습니다: 최소 {min}, 최대 {max}, 보기 {options}개 "
        "(need 1 <= min_select <= max_select <= number of options)"
    ),
    "image_required": (
        "그림 보기에는 그림(image)이 있어야 합니다 (image_choice options need an image)"
    ),
    "notice_body": "알림(notice)에는 본문(body)이 있어야 합니다 (a notice needs a body)",
    "notice_asset": "알림(notice)에는 파일을 붙이지 않습니다 (a notice has no asset)",
    "asset_required": "{kind} 홍보물에는 파일(asset)이 있어야 합니다 (asset is required)",
    "emergency_evergreen": (
        "긴급 알림은 상시 홍보물일 수 없습니다 (a promotion cannot be emergency and evergreen)"
    ),
    "empty_window": ("시작과 끝 시각이 같습니다 (a time window needs different start and end)"),
    "weekday_range": "요일은 0(월)~6(일)이어야 합니다 (weekdays are 0=Monday..6=Sunday)",
    "duplicate_weekday": "같은 요일 {value}이 두 번 있습니다 (weekday listed twice)",
    "no_weekday": "요일이 하나도 없습니다 (at least one weekday)",
    "subtitles_video_only": "자막은 영상(video) 홍보물에만 붙입니다 (subtitles need a video)",
    "subtitle_suffix": ("자막 파일은 .vtt 또는 .srt여야 합니다 (subtitles must be .vtt or .srt)"),
    "max_votes_entries": (
        "최대 투표 수 {max}가 작품 수 {entries}보다 많습니다 "
        "(max_votes must not exceed the number of entries)"
    ),
    "max_selections_projects": (
        "최대 선택 수 {max}가 검토를 마친 사업 수 {reviewed}보다 많습니다 "
        "(max_selections must not exceed the number of reviewed projects)"
    ),
    "min_over_max": (
        "최소 선택 수 {min}가 최대 {max}보다 큽니다 (min_selections must not exceed max_selections)"
    ),
    "no_reviewed_project": (
        "검토를 마친 사업이 하나도 없습니다 (a ballot needs at least one reviewed project)"
    ),
    "project_over_budget": (
        "사업비 {cost}원이 동 예산 {budget}원보다 큽니다 (project costs more than the budget)"
    ),
    "ranking_order": (
        "득표순으로 정렬되어 있지 않습니다 (ranking must be sorted by votes, highest first)"
    ),
    # The pack directory and its files (contract.pack).
    "manifest_missing": "파일이 없습니다 (manifest.json not found in the pack folder)",
    "manifest_unreadable": "읽을 수 없습니다 (cannot read the file: {error})",
    "invalid_json": (
        "JSON 형식이 잘못되었습니다, {line}번째 줄 {column}번째 글자 (invalid JSON: {error})"
    ),
    "duplicate_key": "같은 항목 '{key}'이 두 번 있습니다 (duplicate key in a JSON object)",
    "file_missing": "파일이 없습니다 (listed in the manifest but missing from the pack)",
    "not_a_file": "보통 파일이 아닙니다 (not a regular file)",
    "file_escapes": "팩 폴더 밖을 가리킵니다 (the path leads outside the pack folder)",
    "file_unreadable": "읽을 수 없습니다 (cannot read the file: {error})",
    "size_mismatch": (
        "크기가 매니페스트와 다릅니다: {actual}바이트, 기대 {expected}바이트 "
        "(size does not match the manifest)"
    ),
    "hash_mismatch": "SHA-256이 매니페스트와 다릅니다 (SHA-256 does not match the manifest)",
    "cache_write_failed": "저장소에 넣지 못했습니다 (cannot store the file in the cache: {error})",
    "activate_failed": (
        "새 콘텐츠를 적용하지 못해 이전 콘텐츠를 계속 씁니다 "
        "(activation failed; the previous content stays active: {error})"
    ),
    # A pack as one archive (contract.archive).
    "archive_not_zip": (
        "콘텐츠 묶음 파일(.zip)이 아니거나 끝까지 읽을 수 없습니다 "
        "(not a ZIP archive, or cut short)"
    ),
    "archive_damaged": "'{name}'이(가) 손상되어 풀 수 없습니다 (damaged entry in the archive)",
    "archive_unsafe_name": (
        "쓸 수 없는 경로 '{name}' (an archive entry must stay inside the pack)"
    ),
    "archive_groups": (
        "기기 묶음 목록을 읽을 수 없습니다: {problem} "
        '(groups.json must be {{"groups": [{{"key": …, "name": …}}]}})'
    ),
    "archive_link": "'{name}'은(는) 링크입니다 (an archive must hold files, not links)",
    "archive_too_many": (
        "파일이 너무 많습니다: {count}개, 최대 {most}개 (too many entries in the archive)"
    ),
    "archive_too_large": (
        "풀었을 때 {most} MB보다 큽니다 (the archive unpacks to more than {most} MB)"
    ),
    "archive_no_manifest": (
        "맨 위에 manifest.json이 없습니다 (manifest.json must be at the top of the archive)"
    ),
    # A pack signed by the server's content key, as staff carry it on a USB stick
    # (contract.pack_signature).
    "archive_unsigned": (
        "서버의 서명(signature.json)이 없습니다 (the archive is not signed by a server)"
    ),
    "archive_signature_unreadable": (
        "서명(signature.json)을 읽을 수 없습니다: {problem} (unreadable signature)"
    ),
    "archive_signature_wrong": (
        "서명이 이 기기의 서버 것이 아니거나, 서명한 뒤 내용이 바뀌었습니다 "
        "(not signed by this device's server, or changed after signing)"
    ),
    "archive_duplicate_name": "'{name}'이(가) 두 번 들어 있습니다 (duplicate entry in the archive)",
    "archive_manifest_too_large": (
        "manifest.json이 {most} MB보다 큽니다 (manifest.json is larger than {most} MB)"
    ),
    # Pydantic's own error types, reworded for staff.
    "missing": "꼭 있어야 하는 항목이 없습니다 (required field is missing)",
    "extra_forbidden": "알 수 없는 항목입니다 (unknown field)",
    "literal_error": "허용되지 않는 값 {input} (expected {expected})",
    "union_tag_invalid:type": (
        "알 수 없는 질문 유형 '{tag}' (unknown question type; expected {expected_tags})"
    ),
    "union_tag_invalid:kind": (
        "알 수 없는 선택 규칙 '{tag}' (unknown ballot rule; expected {expected_tags})"
    ),
    "union_tag_not_found": "유형({discriminator})이 없습니다 (missing {discriminator})",
    "timezone_aware": (
        "시간대가 없는 시각입니다 {input} (date-time needs a time zone, e.g. +09:00)"
    ),
    "datetime_from_date_parsing": "날짜·시각 형식이 아닙니다 {input} (expected ISO 8601 date-time)",
    "datetime_parsing": "날짜·시각 형식이 아닙니다 {input} (expected ISO 8601 date-time)",
    "datetime_type": "날짜·시각 형식이 아닙니다 {input} (expected ISO 8601 date-time)",
    "int_type": "정수가 아닙니다 {input} (expected an integer)",
    "int_parsing": "정수가 아닙니다 {input} (expected an integer)",
    "int_from_float": "정수가 아닙니다 {input} (expected an integer)",
    "float_type": "숫자가 아닙니다 {input} (expected a number)",
    "float_parsing": "숫자가 아닙니다 {input} (expected a number)",
    "bool_type": "참/거짓(true/false)이 아닙니다 {input} (expected true or false)",
    "bool_parsing": "참/거짓(true/false)이 아닙니다 {input} (expected true or false)",
    "string_type": "글자가 아닙니다 {input} (expected a string)",
    "string_too_short": "글자가 너무 짧습니다 (at least {min_length} characters)",
    "string_too_long": "글자가 너무 깁니다 (at most {max_length} characters)",
    "string_pattern_mismatch": "형식이 맞지 않습니다 {input} (must match {pattern})",
    "greater_than": "{gt}보다 커야 합니다: {input} (must be greater than {gt})",
    "greater_than_equal": "{ge} 이상이어야 합니다: {input} (must be at least {ge})",
    "less_than": "{lt}보다 작아야 합니다: {input} (must be less than {lt})",
    "less_than_equal": "{le} 이하여야 합니다: {input} (must be at most {le})",
    "too_short": "항목이 너무 적습니다 (at least {min_length} items)",
    "too_long": "항목이 너무 많습니다 (at most {max_length} items)",
    "list_type": "목록([...])이어야 합니다 (expected a list)",
    "dict_type": "객체({{...}})여야 합니다 (expected an object)",
    "model_type": "객체({{...}})여야 합니다 (expected an object)",
    "model_attributes_type": "객체({{...}})여야 합니다 (expected an object)",
}


def message(key: str, /, **ctx: object) -> str:
    """The catalogue text for `key` with its fields filled in; unknown fields stay visible."""

    class _Keep(dict[str, object]):
        def __missing__(self, name: str) -> str:
            return "{" + name + "}"

    return string.Formatter().vformat(MESSAGES[key], (), _Keep(ctx))


def format_location(loc: Iterable[str | int]) -> str:
    """``('surveys', 1, 'questions', 3, 'type')`` -> ``surveys[1].questions[3].type``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (key)"
        else:
            out += f".{part}" if out else part
    return out


def explain(error: ValidationError, data: object = None) -> list[str]:
    """One plain line per problem, ``location: message``, for a pack that failed validation.

    `data` is the raw input (the parsed manifest.json); with it, the labels pydantic inserts
    into locations for union members (``questions[3].multiple_choice.max_select``) are dropped
    so that a location names only real fields.
    """
    lines: list[str] = []
    errors = error.errors(include_url=False)
    # A pack of another schema version fails everywhere; that one line is the whole story.
    version_errors = [e for e in errors if tuple(e["loc"]) == ("schema_version",)]
    for err in version_errors or errors:
        ctx: dict[str, Any] = dict(err.get("ctx") or {})
        if err["type"] == "content_rules":
            # Rule problems are raised by a model: every part of its location is a real node.
            loc = _field_loc(tuple(err["loc"]), data, last_is_field=False)
            for problem in ctx["problems"]:
                where = format_location(loc + tuple(problem["loc"]))
                lines.append(f"{where}: {problem['msg']}" if where else problem["msg"])
            continue
        loc = _field_loc(tuple(err["loc"]), data)
        key = err["type"]
        if key == "union_tag_invalid":
            field = str(ctx.get("discriminator", "")).strip("'")
            key = f"{key}:{field}"
            loc = (*loc, field)
        known = key in MESSAGES
        text = message(key, input=_show(err.get("input")), **ctx) if known else err["msg"]
        where = format_location(loc)
        lines.append(f"{where}: {text}" if where else text)
    return lines


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_loc(loc: Loc, data: object, *, last_is_field: bool = True) -> Loc:
    """Drop location parts that are not keys or indexes of `data` (pydantic's union labels).

    The last part is kept when `last_is_field`: it may name a field that is missing.
    """
    if data is None:
        return loc
    out: list[str | int] = []
    node: object = data
    for i, part in enumerate(loc):
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]  # type: ignore[index]
        elif last_is_field and i == len(loc) - 1:
            node = None
        else:
            continue  # a union member label, not a field of the input
        out.append(part)
    return tuple(out)


@dataclass(frozen=True)
class _Problem:
    loc: Loc
    key: str
    ctx: Mapping[str, object]


def _raise_problems(problems: list[_Problem]) -> None:
    """Raise one pydantic error carrying every cross-field problem with its own location."""
    if not problems:
        return
    details = [
        {"loc": list(p.loc), "type": p.key, "msg": message(p.key, **p.ctx)} for p in problems
    ]
    summary = "; ".join(f"{format_location(d['loc'])}: {d['msg']}" for d in details)
    raise PydanticCustomError(
        "content_rules", "{summary}", {"summary": summary, "problems": details}
    )


def _located(prefix: Loc, items: Iterable[Any], attr: str = "id") -> list[tuple[Loc, str]]:
    """``(prefix + (i, attr), item.attr)`` for each item: values with their locations."""
    return [((*prefix, i, attr), getattr(item, attr)) for i, item in enumerate(items)]


def _duplicates(
    located: Iterable[tuple[Loc, str]], key: str = "duplicate_id", field: str = "id"
) -> list[_Problem]:
    """A problem for every value after its first occurrence, at that value's location."""
    seen: set[str] = set()
    problems = []
    for loc, value in located:
        if value in seen:
            problems.append(_Problem(loc, key, {field: value}))
        seen.add(value)
    return problems


def _order(opens: datetime, closes: datetime, field: str, other: str) -> list[_Problem]:
    return [] if closes > opens else [_Problem((field,), "not_after", {"other": other})]


# ---------------------------------------------------------------------------------------------
# Scalar types
# ---------------------------------------------------------------------------------------------


def _check_path(value: str) -> str:
    parts = PurePosixPath(value).parts
    bad = (
        not value
        or "\\" in value
        or value.startswith("/")
        or ":" in value  # a Windows drive ("C:") or a URL scheme
        or "//" in value
        or value.endswith("/")
        or any(p in (".", "..") for p in parts)
        or any(ord(c) < 32 for c in value)
    )
    if bad:
        raise PydanticCustomError("unsafe_path", MESSAGES["unsafe_path"], {"path": value})
    return value


def _check_https(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or " " in value:
        raise PydanticCustomError("not_https", MESSAGES["not_https"], {"url": value})
    return value


def _check_points(value: object) -> str | int:
    """An explicit amount (100..10,000) or the name of an activity whose rule applies."""
    if isinstance(value, bool):
        raise PydanticCustomError("points_range", MESSAGES["points_range"], {"value": str(value)})
    if isinstance(value, int):
        if not POINTS_MIN <= value <= POINTS_MAX:
            raise PydanticCustomError("points_range", MESSAGES["points_range"], {"value": value})
        return value
    if isinstance(value, str) and value in ACTIVITY_KINDS:
        return value
    raise PydanticCustomError("unknown_activity", MESSAGES["unknown_activity"], {"value": value})


def _check_schema_version(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise PydanticCustomError(
            "schema_version",
            MESSAGES["schema_version"],
            {"found": value, "supported": SCHEMA_VERSION},
        )
    return value


Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
AssetPath = Annotated[str, AfterValidator(_check_path)]


def _check_subtitle_suffix(value: str) -> str:
    if PurePosixPath(value).suffix.lower() not in (".vtt", ".srt"):
        raise PydanticCustomError("subtitle_suffix", MESSAGES["subtitle_suffix"])
    return value


# A video's subtitles in the pack: WebVTT or SubRip (contract.subtitles reads both).
SubtitlePath = Annotated[AssetPath, AfterValidator(_check_subtitle_suffix)]
HttpsUrl = Annotated[str, AfterValidator(_check_https)]
Points = Annotated[
    int,
    AfterValidator(_check_points),
    WithJsonSchema({"type": "integer", "minimum": POINTS_MIN, "maximum": POINTS_MAX}),
]
PointsRef = Annotated[
    str | int, PlainValidator(_check_points, json_schema_input_type=ActivityKind | int)
]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MediaType = Annotated[str, StringConstraints(pattern=r"^[a-z]+/[a-z0-9.+-]+$")]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Year = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeWindow(_Model):
    """A daily window in Korean local time, "HH:MM" to "HH:MM"; end < start crosses midnight."""

    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.start == self.end:
            _raise_problems([_Problem(("end",), "empty_window", {})])
        return self

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    def contains(self, t: time) -> bool:
        start, end = time.fromisoformat(self.start), time.fromisoformat(self.end)
        if start < end:
            return start <= t < end
        return t >= start or t < end
