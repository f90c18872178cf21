"""The content pack: what the district publishes to every kiosk and media board.

This module owns the shape of a content pack's manifest (``manifest.json``) and the rules that
keep it consistent: the district with its dongs, point rules and channels; surveys and policy
quizzes; contests; policy proposals; the participatory-budget vote; promotions for the board and
the attract loop; videos; and the list of media files with their sizes and SHA-256 digests.
The kiosk UI, the sync manifest and the server all share these models.

Every message that explains a broken pack (`MESSAGES`, `explain`) is worded once, in
``contract.content_base`` (with the model base, KST and TimeWindow, which the device's
configuration needs before the first screen without every model here), and found here too: the
loader, the sync worker and the server word a problem the same way, Korean first, English in
parentheses, for the district staff who publish content.

No Qt, no I/O: the files themselves are checked against this manifest by ``contract.pack``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Annotated, Any, Final, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from contract import practice

# The messages, the model base, KST and TimeWindow live in contract.content_base (the device's
# configuration needs them without every model of the pack); found here as before, named
# `X as X` where others import them from here.
from contract.content_base import ACTIVITY_KINDS as ACTIVITY_KINDS
from contract.content_base import KST as KST
from contract.content_base import MESSAGES as MESSAGES
from contract.content_base import POINTS_MAX as POINTS_MAX
from contract.content_base import POINTS_MIN as POINTS_MIN
from contract.content_base import SCALE_POINTS as SCALE_POINTS
from contract.content_base import SCHEMA_VERSION as SCHEMA_VERSION
from contract.content_base import ActivityKind as ActivityKind
from contract.content_base import (
    AssetPath,
    HttpsUrl,
    Loc,
    MediaType,
    PointsRef,
    Sha256Hex,
    SubtitlePath,
    Topic,
    Year,
    _check_schema_version,
    _duplicates,
    _located,
    _Model,
    _order,
    _Problem,
    _raise_problems,
)
from contract.content_base import Id as Id
from contract.content_base import Points as Points
from contract.content_base import TimeWindow as TimeWindow
from contract.content_base import explain as explain
from contract.content_base import format_location as format_location
from contract.content_base import message as message
from contract.lessons import FILL_VALUE_MAX, FLOWS, SCREEN_TARGETS, step_problem


class Text(_Model):
    """A text in Korean, with an English translation when there is one."""

    ko: str = Field(min_length=1)
    en: str = ""

    @field_validator("ko")
    @classmethod
    def _ko_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("blank_text", MESSAGES["blank_text"])
        return value

    def get(self, lang: str) -> str:
        """The text in `lang`; Korean when there is no translation (Korean is always there)."""
        if lang == "en" and self.en.strip():
            return self.en
        return self.ko


# ---------------------------------------------------------------------------------------------
# District
# ---------------------------------------------------------------------------------------------


class Dong(_Model):
    """One of the district's administrative dongs (행정동)."""

    id: Id
    name: Text


class SnsChannel(_Model):
    id: Id
    name: Text
    url: HttpsUrl


class PointRules(_Model):
    """Points each activity earns (100..10,000) and the minimum balance for an exchange."""

    rules: dict[ActivityKind, Points]
    exchange_minimum: int = Field(default=10_000, ge=1)


class District(_Model):
    name: Text
    # Base address of 온통중구; every item's `url` is on this host, so its QR code opens the
    # same item on the online platform.
    platform_url: HttpsUrl
    dongs: list[Dong] = Field(min_length=1)
    # Agrees at which a proposal gets the district's answer (100 in 중구).
    proposal_threshold: int = Field(default=100, ge=1)
    points: PointRules
    # Counted participation (residents' responses) the district aims at per year (server.report).
    yearly_targets: dict[Year, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    # The pledge (공약 확인지표): 온통중구 활용 건수 aimed at per year, i.e. proposals received,
    # surveys and contests run and budget proposals (server.pledge); not responses.
    pledge_targets: dict[Year, Annotated[int, Field(ge=0)]] = Field(default_factory=dict)
    sns: list[SnsChannel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        _raise_problems(
            _duplicates(_located(("dongs",), self.dongs))
            + _duplicates(_located(("sns",), self.sns))
        )
        return self

    def dong(self, dong_id: str) -> Dong | None:
        return next((d for d in self.dongs if d.id == dong_id), None)


class FileEntry(_Model):
    """One media file of the pack, addressed by its path inside the pack directory."""

    path: AssetPath
    sha256: Sha256Hex
    size: int = Field(ge=0)
    media_type: MediaType


# ---------------------------------------------------------------------------------------------
# Surveys and quizzes
# ---------------------------------------------------------------------------------------------


class Option(_Model):
    id: Id
    label: Text
    image: AssetPath | None = None


class ShowIf(_Model):
    """Show a question only when an earlier one was answered with one of `any_of`.

    Values are option ids for choice questions, "yes"/"no" for yes_no and "1".."5" for scale.
    """

    question: Id
    any_of: list[str] = Field(min_length=1)

    def matches(self, answer: Iterable[str]) -> bool:
        """True when the earlier answer (its values, as above) contains one of `any_of`."""
        return not set(answer).isdisjoint(self.any_of)


class _Question(_Model):
    id: Id
    prompt: Text
    # A required question must be answered whenever it is shown.
    required: bool = True
    show_if: ShowIf | None = None

    def answer_values(self) -> frozenset[str]:
        """The values a show_if may test; empty for free-text questions."""
        return frozenset()


class _ChoiceQuestion(_Question):
    options: list[Option] = Field(min_length=2)

    def answer_values(self) -> frozenset[str]:
        return frozenset(o.id for o in self.options)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class SingleChoiceQuestion(_ChoiceQuestion):
    type: Literal["single_choice"]
    correct: Id | None = None
    explanation: Text | None = None


class MultipleChoiceQuestion(_ChoiceQuestion):
    type: Literal["multiple_choice"]
    min_select: int = Field(default=1, ge=1)
    # Defaults to the number of options (no upper limit).
    max_select: int
    correct: list[Id] | None = None
    explanation: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_max(cls, data: Any) -> Any:
        if isinstance(data, dict) and "max_select" not in data:
            options = data.get("options")
            if isinstance(options, list):
                return {**data, "max_select": len(options)}
        return data

    @model_validator(mode="after")
    def _check_range(self) -> Self:
        if not 1 <= self.min_select <= self.max_select <= len(self.options):
            field = "min_select" if self.min_select > self.max_select else "max_select"
            ctx = {"min": self.min_select, "max": self.max_select, "options": len(self.options)}
            _raise_problems([_Problem((field,), "select_range", ctx)])
        return self


class ImageChoiceQuestion(_ChoiceQuestion):
    """Pick one picture; every option carries an image."""

    type: Literal["image_choice"]
    correct: Id | None = None
    explanation: Text | None = None

    @model_validator(mode="after")
    def _images(self) -> Self:
        _raise_problems(
            [
                _Problem(("options", i, "image"), "image_required", {})
                for i, o in enumerate(self.options)
                if o.image is None
            ]
        )
        return self


class ScaleQuestion(_Question):
    """A 1..5 rating; `labels[0]` names 1 (e.g. 매우 불만족) and `labels[4]` names 5."""

    type: Literal["scale"]
    labels: list[Text] = Field(min_length=SCALE_POINTS, max_length=SCALE_POINTS)

    def answer_values(self) -> frozenset[str]:
        return frozenset(str(n) for n in range(1, SCALE_POINTS + 1))


class YesNoQuestion(_Question):
    type: Literal["yes_no"]
    correct: bool | None = None
    explanation: Text | None = None

    def answer_values(self) -> frozenset[str]:
        return frozenset({"yes", "no"})


class ShortTextQuestion(_Question):
    type: Literal["short_text"]
    max_length: int = Field(default=50, ge=1, le=200)


class LongTextQuestion(_Question):
    type: Literal["long_text"]
    max_length: int = Field(default=500, ge=1, le=2000)


Question = Annotated[
    SingleChoiceQuestion
    | MultipleChoiceQuestion
    | ScaleQuestion
    | YesNoQuestion
    | ShortTextQuestion
    | LongTextQuestion
    | ImageChoiceQuestion,
    Field(discriminator="type"),
]
QuizQuestion = SingleChoiceQuestion | MultipleChoiceQuestion | YesNoQuestion | ImageChoiceQuestion
QUESTION_TYPES: Final = (
    "single_choice",
    "multiple_choice",
    "scale",
    "yes_no",
    "short_text",
    "long_text",
    "image_choice",
)


class Targeted(_Model):
    """What an item that may be meant for some devices only carries: `dongs` (everywhere when
    empty) and device `groups` (every device when empty; the server keeps who is in a group,
    and a kiosk's configuration names its own for an offline pack).

    One rule for the kiosk and the server's per-device manifest (contract.audience): a device
    receives the item when it is in one of its groups and in one of its dongs.
    """

    dongs: list[Id] = Field(default_factory=list)
    groups: list[Id] = Field(default_factory=list)

    def in_dong(self, dong: str | None) -> bool:
        """True when a device in `dong` may show it: everywhere when `dongs` is empty; a device
        without a dong shows only those."""
        return not self.dongs or dong in self.dongs

    def in_groups(self, groups: Collection[str]) -> bool:
        """True when a device of `groups` may show it: every device when `groups` is empty."""
        return not self.groups or not set(self.groups).isdisjoint(groups)


class Survey(Targeted):
    """A survey (설문), or a policy quiz (정책퀴즈) whose questions have a correct answer;
    residents answer it from `opens_at` until `closes_at`, on the devices it targets."""

    id: Id
    kind: Literal["survey", "quiz"] = "survey"
    title: Text
    description: Text
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    # An activity kind whose rule applies, or an explicit amount; None = the kind's own rule.
    points: PointsRef | None = None
    url: HttpsUrl
    questions: list[Question] = Field(min_length=1)

    @property
    def activity(self) -> str:
        """The activity whose point rule applies when `points` names none."""
        if isinstance(self.points, str):
            return self.points
        return "quiz" if self.kind == "quiz" else "survey_response"

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = _order(self.opens_at, self.closes_at, "closes_at", "opens_at")
        problems += _duplicates(_located(("questions",), self.questions))
        earlier: dict[str, _Question] = {}
        for i, q in enumerate(self.questions):
            at: Loc = ("questions", i)
            if isinstance(q, _ChoiceQuestion):
                problems += _duplicates(_located((*at, "options"), q.options))
            if q.show_if is not None:
                problems += _check_show_if(q.show_if, earlier, (*at, "show_if"))
            problems += self._check_quiz_fields(q, at)
            earlier.setdefault(q.id, q)
        _raise_problems(problems)
        return self

    def _check_quiz_fields(self, q: _Question, at: Loc) -> list[_Problem]:
        correct = getattr(q, "correct", None)
        explanation = getattr(q, "explanation", None)
        if self.kind != "quiz":
            if correct is not None or explanation is not None:
                field = "correct" if correct is not None else "explanation"
                return [_Problem((*at, field), "quiz_only", {})]
            return []
        if not isinstance(q, QuizQuestion):
            return [_Problem((*at, "type"), "quiz_question_type", {"type": q.type})]  # type: ignore[attr-defined]
        if correct is None or explanation is None:
            return [_Problem(at, "quiz_needs_answer", {})]
        if isinstance(q, MultipleChoiceQuestion):
            values = list(correct)
            if not q.min_select <= len(values) <= q.max_select:
                ctx = {"count": len(values), "min": q.min_select, "max": q.max_select}
                return [_Problem((*at, "correct"), "correct_count", ctx)]
        elif isinstance(q, YesNoQuestion):
            values = []
        else:
            values = [correct]
        return [
            _Problem((*at, "correct"), "correct_not_option", {"value": v})
            for v in values
            if v not in q.answer_values()
        ]


def _check_show_if(show_if: ShowIf, earlier: Mapping[str, _Question], at: Loc) -> list[_Problem]:
    target = earlier.get(show_if.question)
    if target is None:
        return [_Problem((*at, "question"), "show_if_unknown", {"question": show_if.question})]
    values = target.answer_values()
    if not values:
        return [_Problem((*at, "question"), "show_if_no_values", {"question": show_if.question})]
    return [
        _Problem((*at, "any_of", j), "show_if_bad_value", {"question": target.id, "value": v})
        for j, v in enumerate(show_if.any_of)
        if v not in values
    ]


# ---------------------------------------------------------------------------------------------
# Digital coaches (kiosk.domain.coach)
# ---------------------------------------------------------------------------------------------


def _check_pin_hash(value: str) -> str:
    parts = value.split("$")
    ok = len(parts) == 6 and parts[0] == "scrypt" and all(p.isdigit() for p in parts[1:4])
    if ok:
        try:
            salt, digest = (base64.b64decode(p, validate=True) for p in parts[4:])
            ok = len(salt) >= 8 and len(digest) >= 16
        except (binascii.Error, ValueError):
            ok = False
    if not ok:
        raise PydanticCustomError("pin_hash", MESSAGES["pin_hash"], {})
    return value


class Coach(_Model):
    """A volunteer digital coach (디지털 코칭단) who may start a coached session at a kiosk.

    `code` is typed on the keypad; the PIN is kept only as a salted scrypt hash
    (contract.pin.hash_pin). A revoked coach stays listed so the district's records keep the
    name, but cannot sign in.

    The district's coaches live on the server (server.coaches, the console's 코치 page) and
    reach each approved kiosk at its next heartbeat (GET /api/v1/coaches, kiosk.store.coaches).
    In a content pack's `coaches` they are demo/offline only: the kiosk signs them in under
    `--demo` (the embedded demo, with no server), never otherwise; the field is still accepted
    so that older packs load.
    """

    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{4,8}$")]
    name: str = Field(min_length=1, max_length=40)
    pin_hash: Annotated[str, AfterValidator(_check_pin_hash)]
    revoked: bool = False


# ---------------------------------------------------------------------------------------------
# Lessons of coached sessions (contract.lessons)
# ---------------------------------------------------------------------------------------------


class LessonStep(_Model):
    """One step: on `screen` (a route name), the widget `target` (an objectName), and what is
    said and shown about it. `kind` is checked by the lesson (contract.lessons.STEP_KINDS)
    so that the message names the lesson and the step."""

    id: Id
    screen: str = Field(min_length=1, max_length=64)
    target: str = Field(min_length=1, max_length=96)
    kind: str = "tap"
    say: Text
    # For kind "enter": the digits to type on the keypad (a practice number, never a resident's)
    # or the words on the keyboard; for "fill": the practice text (contract.lessons.value_fits).
    value: str | None = Field(default=None, max_length=FILL_VALUE_MAX)


class Lesson(Targeted):
    """A lesson a coach plays in four stages (보기, 따라하기, 혼자하기, 실전), on the devices it
    targets (a lesson has no window: it is practice, offered whenever a coach is there)."""

    id: Id
    title: Text
    flow: str
    start: str = Field(default="home", min_length=1, max_length=64)
    summary: Text | None = None
    steps: list[LessonStep] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        names: dict[str, object] = {"lesson": self.id}
        problems: list[_Problem] = []
        # A practice kiosk's lesson (its flow is the kiosk's id) is checked by the pack, which
        # holds the kiosk: ContentPack._check_practice.
        if self.practices:
            _raise_problems(self._step_problems({}))
            return self
        if self.flow not in FLOWS:
            ctx = {**names, "flow": self.flow, "expected": ", ".join(FLOWS)}
            problems.append(_Problem(("flow",), "lesson_flow", ctx))
        problems += self._step_problems(SCREEN_TARGETS)
        _raise_problems(problems)
        return self

    @property
    def practices(self) -> bool:
        """Whether it is a lesson of a practice kiosk (its screens are the pack's)."""
        return practice.is_practice(self.start)

    def _step_problems(self, screens: Mapping[str, frozenset[str]]) -> list[_Problem]:
        """Repeated steps, and (given the screens the lesson may use) steps naming an unknown
        screen, target or kind; `start` must be one of those screens."""
        names: dict[str, object] = {"lesson": self.id}
        problems: list[_Problem] = []
        if screens and self.start not in screens:
            ctx = {**names, "step": "start", "screen": self.start}
            problems.append(_Problem(("start",), "lesson_screen", ctx))
        seen: set[str] = set()
        for i, step in enumerate(self.steps):
            if step.id in seen:
                ctx = {**names, "step": step.id}
                problems.append(_Problem(("steps", i, "id"), "duplicate_step", ctx))
            seen.add(step.id)
            if not screens:
                continue
            found = step_problem(step.screen, step.target, step.kind, step.value, screens)
            if found is not None:
                key, values = found
                where = {
                    "lesson_step_kind": "kind",
                    "lesson_screen": "screen",
                    "lesson_enter": "value",
                }.get(key, "target")
                ctx = {**names, "step": step.id, **values}
                problems.append(_Problem(("steps", i, where), key, ctx))
        return problems


# ---------------------------------------------------------------------------------------------
# Practice kiosks of everyday life (contract.practice: page kinds, route and target names)
# ---------------------------------------------------------------------------------------------

# No "_" in a practice kiosk's or page's id: it separates them in a route name.
PracticeId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$")]
Won = Annotated[int, Field(ge=0, le=1_000_000)]
# White words on a practice kiosk's sign: the kiosk's own texts keep 7:1 (WCAG AAA) everywhere.
SIGN_CONTRAST: Final = 7.0


class PracticeChoice(_Model):
    """A choice of a "choose" page or of an option group: its words, what it adds to the
    total (a fee, a fare, a larger size) and a picture."""

    id: PracticeId
    label: Text
    detail: Text | None = None
    price: Won = 0
    image: AssetPath | None = None


class PracticeOptionGroup(_Model):
    """Options an item may have (크기, 온도, 세트): one choice of each, the first at the start."""

    id: PracticeId
    title: Text
    choices: list[PracticeChoice] = Field(min_length=1, max_length=6)


class PracticeItem(_Model):
    id: PracticeId
    name: Text
    price: Won
    image: AssetPath | None = None
    # Ids of the kiosk's option groups this item asks (in this order) before it goes in the cart.
    options: list[PracticeId] = Field(default_factory=list)


class PracticeCategory(_Model):
    id: PracticeId
    title: Text
    items: list[PracticeItem] = Field(min_length=1, max_length=12)


class PracticePage(_Model):
    """One page of a practice kiosk (contract.practice.PAGE_KINDS says what each kind holds)."""

    id: PracticeId
    kind: str
    title: Text
    # The question or the words on the page ("어떤 증명서를 발급할까요?", "지문을 대 주세요").
    say: Text | None = None
    image: AssetPath | None = None
    categories: list[PracticeCategory] = Field(default_factory=list, max_length=6)
    choices: list[PracticeChoice] = Field(default_factory=list, max_length=12)
    # The words of the page's button (notice: 확인; done: 처음으로), and a done page's number.
    button: Text | None = None
    number: str | None = Field(default=None, pattern=r"^[0-9A-Z-]{1,8}$")


class PracticeKiosk(_Model):
    """A practice kiosk a lesson plays over: nothing is ordered, paid or sent (issue 19)."""

    id: PracticeId
    title: Text
    # The place's sign at the top of every page ("온통 카페", "중구 지하철"), like a real one's.
    sign: Text
    # The sign's colour, as a real kiosk's brand: white words must read on it (checked).
    color: str = Field(default="#1a4f91", pattern=r"^#[0-9a-fA-F]{6}$")
    option_groups: list[PracticeOptionGroup] = Field(default_factory=list)
    pages: list[PracticePage] = Field(min_length=2, max_length=8)

    def page(self, page_id: str) -> PracticePage | None:
        return next((p for p in self.pages if p.id == page_id), None)

    def option_group(self, group_id: str) -> PracticeOptionGroup | None:
        return next((g for g in self.option_groups if g.id == group_id), None)

    def items(self) -> Iterator[PracticeItem]:
        for page in self.pages:
            for category in page.categories:
                yield from category.items

    def item(self, item_id: str) -> PracticeItem | None:
        return next((x for x in self.items() if x.id == item_id), None)

    def screens(self) -> dict[str, frozenset[str]]:
        """Each of its routes with the names of the parts a lesson may point at."""
        out: dict[str, frozenset[str]] = {}
        for page in self.pages:
            ids = {
                "<category>": [c.id for c in page.categories],
                "<item>": [x.id for c in page.categories for x in c.items],
                "<choice>": [c.id for c in page.choices],
            }
            # Words and a picture are parts only where the page has them.
            absent = {"prompt"} if page.say is None else set()
            absent |= {"noticePicture"} if page.image is None else set()
            absent |= {"number"} if page.number is None else set()
            parts = _names(practice.TARGETS[page.kind], ids) - absent
            out[practice.route(self.id, page.id)] = parts
            sub = practice.SUB_PAGES.get(page.kind)
            if sub is not None:
                names = practice.TARGETS[f"{page.kind}:{sub}"]
                options = {
                    practice.option_target(g.id, c.id)
                    for g in self.option_groups
                    for c in g.choices
                }
                fixed = frozenset(n for n in names if "<" not in n)
                out[practice.route(self.id, page.id, sub)] = fixed | (
                    options if sub == practice.OPTIONS else frozenset()
                )
        return out

    @model_validator(mode="after")
    def _check(self) -> Self:
        names: dict[str, object] = {"kiosk": self.id}
        problems: list[_Problem] = _duplicates(
            _located(("pages",), self.pages), "practice_duplicate", "id"
        )
        problems += _duplicates(
            _located(("option_groups",), self.option_groups), "practice_duplicate", "id"
        )
        groups = {g.id for g in self.option_groups}
        item_ids: list[tuple[Loc, str]] = []
        for i, page in enumerate(self.pages):
            where = {**names, "page": page.id}
            if page.kind not in practice.PAGE_KINDS:
                ctx = {**where, "kind": page.kind, "expected": ", ".join(practice.PAGE_KINDS)}
                problems.append(_Problem(("pages", i, "kind"), "practice_kind", ctx))
                continue
            if page.kind == practice.MENU and not page.categories:
                problems.append(_Problem(("pages", i, "categories"), "practice_no_menu", where))
            if page.kind == practice.CHOOSE and not page.choices:
                problems.append(_Problem(("pages", i, "choices"), "practice_no_choices", where))
            problems += _duplicates(
                _located(("pages", i, "choices"), page.choices), "practice_duplicate", "id"
            )
            for j, category in enumerate(page.categories):
                item_ids += _located(("pages", i, "categories", j, "items"), category.items)
                for k, item in enumerate(category.items):
                    for n, option in enumerate(item.options):
                        if option not in groups:
                            loc: Loc = ("pages", i, "categories", j, "items", k, "options", n)
                            ctx = {**names, "item": item.id, "option": option}
                            problems.append(_Problem(loc, "practice_option", ctx))
        problems += _duplicates(item_ids, "practice_duplicate", "id")
        last = self.pages[-1]
        if last.kind != practice.DONE:
            problems.append(
                _Problem(
                    ("pages", len(self.pages) - 1, "kind"),
                    "practice_last",
                    {**names, "page": last.id},
                )
            )
        if _contrast(self.color, "#ffffff") < SIGN_CONTRAST:
            problems.append(_Problem(("color",), "practice_color", {**names, "color": self.color}))
        _raise_problems([_Problem(p.loc, p.key, {**names, **p.ctx}) for p in problems])
        return self


def _names(patterns: Iterable[str], ids: Mapping[str, list[str]]) -> frozenset[str]:
    """Target names with "<category>", "<item>", "<choice>" filled with a page's ids."""
    out: set[str] = set()
    for pattern in patterns:
        hole = next((h for h in ids if h in pattern), None)
        if hole is None:
            out.add(pattern)
        else:
            out.update(pattern.replace(hole, i) for i in ids[hole])
    return frozenset(out)


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# ---------------------------------------------------------------------------------------------
# Contests
# ---------------------------------------------------------------------------------------------


class ContestEntry(_Model):
    id: Id
    title: Text
    description: Text
    image: AssetPath
    # Shown as written, e.g. "회현동 주민"; never a resident's name.
    author: str = Field(min_length=1)


class ContestVote(_Model):
    """A contest's vote: how many entries a resident may choose, and whether each resident's
    vote counts once across kiosks (the first, by the rule of a ballot: contract.civic
    `counted_once`), for which the kiosk asks 본인 확인 at the vote."""

    max_votes: int = Field(ge=1)
    one_vote_per_resident: bool = Field(default=False, strict=True)


class Contest(Targeted):
    """A contest (공모): residents may send an idea and/or vote for the published entries, from
    `opens_at` until `closes_at`, on the devices it targets."""

    id: Id
    title: Text
    description: Text
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    url: HttpsUrl
    accepts_entries: bool
    # None when the contest takes entries only and has no vote (yet).
    vote: ContestVote | None = None
    entries: list[ContestEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = _order(self.opens_at, self.closes_at, "closes_at", "opens_at")
        problems += _duplicates(_located(("entries",), self.entries))
        if self.vote and self.entries and self.vote.max_votes > len(self.entries):
            ctx = {"max": self.vote.max_votes, "entries": len(self.entries)}
            problems.append(_Problem(("vote", "max_votes"), "max_votes_entries", ctx))
        _raise_problems(problems)
        return self


# ---------------------------------------------------------------------------------------------
# Policy proposals
# ---------------------------------------------------------------------------------------------

TOPIC_NAMES: Final[dict[str, Text]] = {
    "welfare": Text(ko="복지", en="Welfare"),
    "transport": Text(ko="교통", en="Transport"),
    "environment": Text(ko="환경", en="Environment"),
    "safety": Text(ko="안전", en="Safety"),
    "culture": Text(ko="문화", en="Culture"),
    "economy": Text(ko="경제", en="Economy"),
    "education": Text(ko="교육", en="Education"),
}


class Proposal(_Model):
    """A resident's policy proposal (정책제안) as last published by the server."""

    id: Id
    title: Text
    body: Text
    dong: Id
    topic: Topic
    author: str = Field(min_length=1)
    created_at: AwareDatetime
    # Agrees are taken until this moment.
    deadline: AwareDatetime
    status: Literal["open", "withdrawn"] = "open"
    # The server's count when the pack was published; agrees given since are not included.
    agree_count: int = Field(default=0, ge=0)
    url: HttpsUrl
    # The district's answer to the proposal (제안 검토 on the staff console), in Korean; None
    # until the district answers.
    district_answer: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        _raise_problems(_order(self.created_at, self.deadline, "deadline", "created_at"))
        return self

    def reached(self, threshold: int) -> bool:
        """True when the proposal has the agrees it needs for the district's answer."""
        return self.agree_count >= threshold

    def accepts_agrees(self, now: datetime) -> bool:
        return self.status == "open" and now < self.deadline


# ---------------------------------------------------------------------------------------------
# Participatory budgeting
# ---------------------------------------------------------------------------------------------


class ApprovalRule(_Model):
    """Pick between `min_selections` and `max_selections` projects."""

    kind: Literal["approval"]
    max_selections: int = Field(ge=1)
    min_selections: int = Field(default=0, ge=0)


class BudgetLimitRule(_Model):
    """Pick projects whose total cost is at most the ballot's budget."""

    kind: Literal["budget"]
    max_selections: int | None = Field(default=None, ge=1)
    min_selections: int = Field(default=0, ge=0)


BallotRule = Annotated[ApprovalRule | BudgetLimitRule, Field(discriminator="kind")]


class BudgetProject(_Model):
    id: Id
    title: Text
    description: Text
    cost_won: int = Field(gt=0)
    image: AssetPath
    # Only projects the district has reviewed (타당성 검토 완료) can be chosen.
    reviewed: bool = True


class Ballot(_Model):
    """One dong's ballot: its budget, its rule and its candidate projects."""

    id: Id
    dong: Id
    budget_won: int = Field(gt=0)
    rule: BallotRule
    projects: list[BudgetProject] = Field(min_length=1)

    @property
    def reviewed_projects(self) -> list[BudgetProject]:
        return [p for p in self.projects if p.reviewed]

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = _duplicates(_located(("projects",), self.projects))
        reviewed = len(self.reviewed_projects)
        rule = self.rule
        if reviewed == 0:
            problems.append(_Problem(("projects",), "no_reviewed_project", {}))
        if rule.max_selections is not None:
            if rule.max_selections > reviewed > 0:
                ctx = {"max": rule.max_selections, "reviewed": reviewed}
                problems.append(
                    _Problem(("rule", "max_selections"), "max_selections_projects", ctx)
                )
            if rule.min_selections > rule.max_selections:
                ctx = {"min": rule.min_selections, "max": rule.max_selections}
                problems.append(_Problem(("rule", "min_selections"), "min_over_max", ctx))
        if isinstance(rule, BudgetLimitRule):
            problems += [
                _Problem(
                    ("projects", i, "cost_won"),
                    "project_over_budget",
                    {"cost": f"{p.cost_won:,}", "budget": f"{self.budget_won:,}"},
                )
                for i, p in enumerate(self.projects)
                if p.reviewed and p.cost_won > self.budget_won
            ]
        _raise_problems(problems)
        return self


class ProjectResult(_Model):
    project: Id
    votes: int = Field(ge=0)
    # True when the project is funded.
    selected: bool


class BallotResult(_Model):
    """The published result of one dong's ballot: projects by votes, highest first."""

    dong: Id
    voters: int = Field(ge=0)
    ranking: list[ProjectResult]

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = _duplicates(_located(("ranking",), self.ranking, "project"))
        votes = [r.votes for r in self.ranking]
        if votes != sorted(votes, reverse=True):
            problems.append(_Problem(("ranking",), "ranking_order", {}))
        _raise_problems(problems)
        return self


class BudgetVote(_Model):
    """The participatory-budget vote (주민참여예산): one ballot per dong."""

    id: Id
    title: Text
    description: Text | None = None
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    url: HttpsUrl
    ballots: list[Ballot] = Field(min_length=1)
    results: list[BallotResult] | None = None
    # The proposal stage (주민 제안 접수) before the vote: residents propose projects for their
    # dong from `proposals_open_at` until `proposals_close_at`; staff review them and the chosen
    # ones become projects of a later version. Both or neither; closed before the vote opens.
    proposals_open_at: AwareDatetime | None = None
    proposals_close_at: AwareDatetime | None = None

    def takes_proposals(self, now: datetime) -> bool:
        """Whether residents may propose projects at `now` (inside the proposal window)."""
        opens, closes = self.proposals_open_at, self.proposals_close_at
        return opens is not None and closes is not None and opens <= now < closes

    def ballot_for(self, dong_id: str) -> Ballot | None:
        return next((b for b in self.ballots if b.dong == dong_id), None)

    def result_for(self, dong_id: str) -> BallotResult | None:
        return next((r for r in self.results or () if r.dong == dong_id), None)

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = _order(self.opens_at, self.closes_at, "closes_at", "opens_at")
        problems += self._check_proposal_window()
        problems += _duplicates(_located(("ballots",), self.ballots))
        problems += _duplicates(
            _located(("ballots",), self.ballots, "dong"), "duplicate_dong_ballot", "dong"
        )
        # Project ids are unique across the whole vote, so a selection names one project.
        problems += _duplicates(
            loc_id
            for i, b in enumerate(self.ballots)
            for loc_id in _located(("ballots", i, "projects"), b.projects)
        )
        by_dong = {b.dong: b for b in self.ballots}
        for i, result in enumerate(self.results or ()):
            ballot = by_dong.get(result.dong)
            if ballot is None:
                problems.append(
                    _Problem(("results", i, "dong"), "unknown_ballot_dong", {"dong": result.dong})
                )
                continue
            ids = {p.id for p in ballot.projects}
            problems += [
                _Problem(
                    ("results", i, "ranking", j, "project"),
                    "unknown_project",
                    {"project": r.project},
                )
                for j, r in enumerate(result.ranking)
                if r.project not in ids
            ]
        _raise_problems(problems)
        return self

    def _check_proposal_window(self) -> list[_Problem]:
        opens, closes = self.proposals_open_at, self.proposals_close_at
        if opens is None and closes is None:
            return []
        if opens is None or closes is None:
            missing = "proposals_open_at" if opens is None else "proposals_close_at"
            return [_Problem((missing,), "proposal_window_half", {})]
        if closes <= opens:
            return [_Problem(("proposals_close_at",), "proposal_window_order", {})]
        if closes > self.opens_at:
            return [_Problem(("proposals_close_at",), "proposals_after_vote", {})]
        return []


# ---------------------------------------------------------------------------------------------
# Promotions and videos
# ---------------------------------------------------------------------------------------------


ALL_WEEKDAYS: Final = (0, 1, 2, 3, 4, 5, 6)


class Promotion(Targeted):
    """An item of the board's playlist and the kiosk's attract loop.

    Shown from `starts_at` until `ends_at` (always set, so nothing stays on screen forever by
    mistake), on `weekdays` (0 = Monday), within `windows` (all day when empty), in `dongs`
    (everywhere when empty), on boards of `groups` (every board when empty; a board's groups
    are in its configuration). An emergency notice overrides everything until it ends; an
    evergreen one fills the playlist when nothing else is on air.
    """

    id: Id
    kind: Literal["image", "video", "notice"]
    title: Text
    body: Text | None = None
    asset: AssetPath | None = None
    # Only for a video: drawn over the clip on a board (boards play without sound).
    subtitles: SubtitlePath | None = None
    url: HttpsUrl | None = None
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    weekdays: list[int] = Field(default_factory=lambda: list(ALL_WEEKDAYS))
    windows: list[TimeWindow] = Field(default_factory=list)
    priority: int = 0
    weight: int = Field(default=1, ge=1)
    duration_s: float = Field(default=10.0, gt=0, le=600)
    emergency: bool = False
    evergreen: bool = False

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = _order(self.starts_at, self.ends_at, "ends_at", "starts_at")
        if self.kind == "notice":
            if self.body is None:
                problems.append(_Problem(("body",), "notice_body", {}))
            if self.asset is not None:
                problems.append(_Problem(("asset",), "notice_asset", {}))
        elif self.asset is None:
            problems.append(_Problem(("asset",), "asset_required", {"kind": self.kind}))
        if self.subtitles is not None and self.kind != "video":
            problems.append(_Problem(("subtitles",), "subtitles_video_only", {}))
        if not self.weekdays:
            problems.append(_Problem(("weekdays",), "no_weekday", {}))
        seen: set[int] = set()
        for i, day in enumerate(self.weekdays):
            if day not in ALL_WEEKDAYS:
                problems.append(_Problem(("weekdays", i), "weekday_range", {}))
            elif day in seen:
                problems.append(_Problem(("weekdays", i), "duplicate_weekday", {"value": day}))
            seen.add(day)
        if self.emergency and self.evergreen:
            problems.append(_Problem(("evergreen",), "emergency_evergreen", {}))
        _raise_problems(problems)
        return self

    def is_on_air(self, now: datetime, dong: str | None = None) -> bool:
        """True when this promotion may be shown at `now` (aware) on a device in `dong`.

        A device without a dong shows only district-wide promotions. The part of a window
        after midnight belongs to the day the window started (Friday 22:00–02:00 runs into
        Saturday morning, not Sunday's).
        """
        if not self.starts_at <= now < self.ends_at:
            return False
        if not self.in_dong(dong):
            return False
        local = now.astimezone(KST)
        if not self.windows:
            return local.weekday() in self.weekdays
        for window in self.windows:
            if not window.contains(local.time()):
                continue
            after_midnight = window.crosses_midnight and local.time() < time.fromisoformat(
                window.end
            )
            day = (local - timedelta(days=1)) if after_midnight else local
            if day.weekday() in self.weekdays:
                return True
        return False


class Video(Targeted):
    """A clip of the video centre (영상센터), played from the local cache, on the devices it
    targets (a video has no window: the library keeps it until it is taken out)."""

    id: Id
    title: Text
    description: Text
    asset: AssetPath
    thumbnail: AssetPath
    subtitles: SubtitlePath | None = None
    duration_s: float = Field(gt=0)
    url: HttpsUrl


# ---------------------------------------------------------------------------------------------
# The pack
# ---------------------------------------------------------------------------------------------

# What kind of file each asset reference must be (checked against `FileEntry.media_type`).
# Pictures: the formats the kiosk decodes (kiosk.ui.images names them from the file's first bytes).
_IMAGE = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")
_VIDEO = ("video/",)
_SUBTITLES = ("text/vtt", "application/x-subrip")


# The pack's sections whose items may target dongs and device groups (Targeted).
TARGETED_SECTIONS: Final = ("promotions", "surveys", "contests", "videos", "lessons")


class ContentPack(_Model):
    """The manifest.json document of a content pack."""

    schema_version: Annotated[int, AfterValidator(_check_schema_version)]
    content_version: str = Field(min_length=1, max_length=64)
    published_at: AwareDatetime
    district: District
    files: list[FileEntry] = Field(default_factory=list)
    surveys: list[Survey] = Field(default_factory=list)
    contests: list[Contest] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)
    budget: BudgetVote | None = None
    promotions: list[Promotion] = Field(default_factory=list)
    videos: list[Video] = Field(default_factory=list)
    # Demo/offline only (see Coach): no source of credentials outside `--demo`.
    coaches: list[Coach] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list)
    # Practice kiosks the lessons of everyday life play over (contract.practice).
    practice: list[PracticeKiosk] = Field(default_factory=list)

    # -- lookups the UI uses --------------------------------------------------------------

    def file(self, path: str) -> FileEntry | None:
        return next((f for f in self.files if f.path == path), None)

    def survey(self, survey_id: str) -> Survey | None:
        return next((s for s in self.surveys if s.id == survey_id), None)

    def contest(self, contest_id: str) -> Contest | None:
        return next((c for c in self.contests if c.id == contest_id), None)

    def proposal(self, proposal_id: str) -> Proposal | None:
        return next((p for p in self.proposals if p.id == proposal_id), None)

    def video(self, video_id: str) -> Video | None:
        return next((v for v in self.videos if v.id == video_id), None)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((x for x in self.lessons if x.id == lesson_id), None)

    def practice_kiosk(self, kiosk_id: str) -> PracticeKiosk | None:
        return next((k for k in self.practice if k.id == kiosk_id), None)

    def practice_screens(self) -> dict[str, frozenset[str]]:
        """Every route of the practice kiosks with the parts a lesson may point at."""
        return {name: parts for k in self.practice for name, parts in k.screens().items()}

    def points_for(self, activity: str) -> int:
        """Points the activity earns; KeyError for an activity the pack has no rule for."""
        return self.district.points.rules[activity]  # type: ignore[index]

    def survey_points(self, survey: Survey) -> int:
        if isinstance(survey.points, int):
            return survey.points
        return self.points_for(survey.activity)

    def asset_references(self) -> Iterator[tuple[Loc, str, tuple[str, ...]]]:
        """Every media path the content uses: (location, path, accepted media types)."""
        for i, s in enumerate(self.surveys):
            for j, q in enumerate(s.questions):
                for k, o in enumerate(getattr(q, "options", ())):
                    if o.image is not None:
                        loc = ("surveys", i, "questions", j, "options", k, "image")
                        yield loc, o.image, _IMAGE
        for i, c in enumerate(self.contests):
            for j, e in enumerate(c.entries):
                yield ("contests", i, "entries", j, "image"), e.image, _IMAGE
        if self.budget is not None:
            for i, b in enumerate(self.budget.ballots):
                for j, project in enumerate(b.projects):
                    yield ("budget", "ballots", i, "projects", j, "image"), project.image, _IMAGE
        for i, promo in enumerate(self.promotions):
            if promo.asset is not None:
                media = _VIDEO if promo.kind == "video" else _IMAGE
                yield ("promotions", i, "asset"), promo.asset, media
            if promo.subtitles is not None:
                yield ("promotions", i, "subtitles"), promo.subtitles, _SUBTITLES
        for i, kiosk in enumerate(self.practice):
            yield from _practice_pictures(("practice", i), kiosk)
        for i, v in enumerate(self.videos):
            yield ("videos", i, "asset"), v.asset, _VIDEO
            yield ("videos", i, "thumbnail"), v.thumbnail, _IMAGE
            if v.subtitles is not None:
                yield ("videos", i, "subtitles"), v.subtitles, _SUBTITLES

    def targeted(self) -> Iterator[tuple[str, Sequence[Targeted]]]:
        """Each section whose items may target dongs and device groups, by its name."""
        for section in TARGETED_SECTIONS:
            yield section, getattr(self, section)

    # -- cross-field rules ----------------------------------------------------------------

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = self._check_ids() + self._check_assets() + self._check_dongs()
        problems += self._check_points() + self._check_urls() + self._check_practice()
        _raise_problems(problems)
        return self

    def _check_ids(self) -> list[_Problem]:
        problems = _duplicates(_located(("files",), self.files, "path"), "duplicate_path", "path")
        problems += [
            _Problem(("files", i, "path"), "manifest_listed", {})
            for i, f in enumerate(self.files)
            if f.path == "manifest.json"
        ]
        collections: dict[str, list[Any]] = {
            "surveys": self.surveys,
            "contests": self.contests,
            "proposals": self.proposals,
            "promotions": self.promotions,
            "videos": self.videos,
            "lessons": self.lessons,
            "practice": self.practice,
        }
        for name, items in collections.items():
            problems += _duplicates(_located((name,), items))
        problems += _duplicates(
            _located(("coaches",), self.coaches, "code"), "duplicate_coach", "code"
        )
        return problems

    def _check_assets(self) -> list[_Problem]:
        files = {f.path: f for f in self.files}
        problems = []
        for loc, path, accepted in self.asset_references():
            entry = files.get(path)
            if entry is None:
                problems.append(_Problem(loc, "unlisted_asset", {"path": path}))
            elif not entry.media_type.startswith(accepted):
                expected = ", ".join(accepted)
                ctx = {"path": path, "media_type": entry.media_type, "expected": expected}
                problems.append(_Problem(loc, "wrong_media_type", ctx))
        return problems

    def _check_practice(self) -> list[_Problem]:
        """A lesson of a practice kiosk names one of the pack's, and its steps that kiosk's
        screens and parts."""
        problems: list[_Problem] = []
        for i, lesson in enumerate(self.lessons):
            if not lesson.practices:
                continue
            kiosk = self.practice_kiosk(lesson.flow)
            if kiosk is None:
                expected = ", ".join([*FLOWS, *(k.id for k in self.practice)])
                ctx = {"lesson": lesson.id, "flow": lesson.flow, "expected": expected}
                problems.append(_Problem(("lessons", i, "flow"), "lesson_kiosk", ctx))
                continue
            for p in lesson._step_problems(kiosk.screens()):
                problems.append(_Problem(("lessons", i, *p.loc), p.key, p.ctx))
        return problems

    def _check_dongs(self) -> list[_Problem]:
        known = {d.id for d in self.district.dongs}
        refs: list[tuple[Loc, str]] = [
            (("proposals", i, "dong"), p.dong) for i, p in enumerate(self.proposals)
        ]
        refs += [
            ((section, i, "dongs", j), d)
            for section, items in self.targeted()
            for i, item in enumerate(items)
            for j, d in enumerate(item.dongs)
        ]
        if self.budget is not None:
            refs += [
                (("budget", "ballots", i, "dong"), b.dong)
                for i, b in enumerate(self.budget.ballots)
            ]
        return [_Problem(loc, "unknown_dong", {"dong": d}) for loc, d in refs if d not in known]

    def _check_points(self) -> list[_Problem]:
        """Every activity the pack offers needs a point rule."""
        needed: list[tuple[Loc, str]] = [
            (("surveys", i, "points"), s.activity)
            for i, s in enumerate(self.surveys)
            if not isinstance(s.points, int)
        ]
        for i, c in enumerate(self.contests):
            if c.vote is not None:
                needed.append((("contests", i, "vote"), "contest_vote"))
            if c.accepts_entries:
                needed.append((("contests", i, "accepts_entries"), "contest_entry"))
        if self.proposals:
            needed.append((("proposals",), "proposal_agree"))
        if self.budget is not None:
            needed.append((("budget",), "budget_vote"))
        rules = self.district.points.rules
        return [
            _Problem(loc, "missing_point_rule", {"activity": a})
            for loc, a in needed
            if a not in rules
        ]

    def _check_urls(self) -> list[_Problem]:
        """Items open on 온통중구 itself: a QR code on a public screen must not lead elsewhere."""
        host = urlsplit(self.district.platform_url).hostname
        urls: list[tuple[Loc, str]] = [
            (("surveys", i, "url"), s.url) for i, s in enumerate(self.surveys)
        ]
        urls += [(("contests", i, "url"), c.url) for i, c in enumerate(self.contests)]
        urls += [(("proposals", i, "url"), p.url) for i, p in enumerate(self.proposals)]
        if self.budget is not None:
            urls.append((("budget", "url"), self.budget.url))
        return [
            _Problem(loc, "off_platform_url", {"url": url, "host": host})
            for loc, url in urls
            if urlsplit(url).hostname != host
        ]


def _practice_pictures(at: Loc, kiosk: PracticeKiosk) -> Iterator[tuple[Loc, str, tuple[str, ...]]]:
    for i, page in enumerate(kiosk.pages):
        if page.image is not None:
            yield (*at, "pages", i, "image"), page.image, _IMAGE
        for j, choice in enumerate(page.choices):
            if choice.image is not None:
                yield (*at, "pages", i, "choices", j, "image"), choice.image, _IMAGE
        for j, category in enumerate(page.categories):
            for k, item in enumerate(category.items):
                if item.image is not None:
                    loc = (*at, "pages", i, "categories", j, "items", k, "image")
                    yield loc, item.image, _IMAGE
    for i, group in enumerate(kiosk.option_groups):
        for j, choice in enumerate(group.choices):
            if choice.image is not None:
                yield (*at, "option_groups", i, "choices", j, "image"), choice.image, _IMAGE


def parse_pack(data: object) -> ContentPack:
    """Validate a parsed manifest.json; raises pydantic's ValidationError (see `explain`)."""
    return ContentPack.model_validate(data)
