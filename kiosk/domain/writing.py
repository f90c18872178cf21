"""A resident writing to the district in parts: what 정책제안 and 주민참여예산 사업 제안 share.

`Writing` keeps the typed fields within their limits and the chosen dong; `Parts` words the
steps of such a flow (its progress line, a text step, a dong choice, the review with 고치기)
from the flow's message prefix ("newproposal", "budgetproposal") and moves from part to part,
back to the review when correcting from it.

No Qt and no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from contract.civic import Problem
from contract.content import ContentPack
from kiosk.domain import steps


class Writing:
    """What a resident writes, field by field, within `limits` (shortest, longest), and the
    dong it is about.

    Attributes:
        pack: the content pack whose dongs may be chosen.
        submitted: True once its envelope is in the outbox.
    """

    limits: ClassVar[Mapping[str, tuple[int, int]]] = {}

    def __init__(self, pack: ContentPack) -> None:
        self.pack = pack
        self.submitted = False
        self.dong: str | None = None
        self._text = {name: "" for name in self.limits}

    def get(self, name: str) -> str:
        return self._text[name]

    def set_text(self, name: str, value: str) -> list[Problem]:
        """Keep what was typed, as typed; refused (nothing changes) past the field's limit."""
        if self.submitted:
            return [Problem(name, "already_submitted")]
        _, longest = self.limits[name]
        if len(value.strip()) > longest:
            return [Problem(name, "too_long", {"max": longest})]
        self._text[name] = value
        return []

    def set_dong(self, dong_id: str) -> list[Problem]:
        if self.submitted:
            return [Problem("dong", "already_submitted")]
        if self.pack.district.dong(dong_id) is None:
            return [Problem("dong", "unknown_dong")]
        self.dong = dong_id
        return []

    def check_text(self, name: str) -> list[Problem]:
        value = self._text[name].strip()
        shortest, longest = self.limits[name]
        if not value:
            return [Problem(name, "required")]
        if len(value) < shortest:
            return [Problem(name, "too_short", {"min": shortest})]
        if len(value) > longest:
            return [Problem(name, "too_long", {"max": longest})]
        return []

    def trimmed(self) -> dict[str, str]:
        """Each field as it is sent: without the spaces around it."""
        return {name: value.strip() for name, value in self._text.items()}

    def mark_submitted(self) -> None:
        self.submitted = True


@dataclass(frozen=True)
class Parts:
    """The steps of a flow written in parts, in the order of `asked_at` (part -> the id of the
    step that asks it; the parts typed at `text`, one step id for all, are its key), worded
    from `prefix`'s messages: "<prefix>.title", ".progress", ".text.<part>", ".text.hint",
    ".privacy", ".<part>" (a choice's question), ".field.<part>", ".review", ".review.hint"
    and ".submit"."""

    prefix: str
    asked_at: Mapping[str, str]
    text: str

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(self.asked_at)

    def at(self, part: str, editing: bool = False) -> steps.At:
        """Where `part` is asked (reached by 고치기 from the review when `editing`)."""
        step = self.asked_at[part]
        return steps.At(step, part if step == self.text else "", editing)

    def part(self, at: steps.At) -> str:
        """The part asked at `at`."""
        if at.step == self.text:
            return at.key
        return next(part for part, step in self.asked_at.items() if step == at.step)

    def msg(self, name: str, **params: object) -> steps.Msg:
        return steps.msg(f"{self.prefix}.{name}", **params)

    def progress(self, part: str) -> steps.Line:
        n = self.order.index(part) + 1
        return steps.Line(self.msg("progress", n=n, total=len(self.order)), "strong", "progress")

    def text_step(
        self, step_id: str, part: str, writing: Writing, *, multiline: bool
    ) -> steps.Step:
        shortest, longest = writing.limits[part]
        head = (
            self.progress(part),
            steps.Line(self.msg(f"text.{part}"), "question", "prompt"),
            steps.Line(self.msg("text.hint", min=shortest, max=f"{longest:,}"), "muted"),
            steps.Line(self.msg("privacy"), "muted"),
        )
        entry = steps.Entry(longest, multiline=multiline, initial=writing.get(part))
        enabled = not writing.submitted
        return steps.Step(step_id, "text", self.msg("title"), head, entry=entry, enabled=enabled)

    def choice_step(
        self,
        step_id: str,
        part: str,
        values: Sequence[tuple[str, steps.Words]],
        current: str | None,
        enabled: bool,
    ) -> steps.Step:
        """A part answered on large buttons, four a row at most (a dong, a topic)."""
        return steps.Step(
            step_id,
            "choice",
            self.msg("title"),
            (self.progress(part), steps.Line(self.msg(part), "question", "prompt")),
            options=tuple(
                steps.Option(value, (steps.Line(words, "tileTitle"),), name_prefix=f"{part}_")
                for value, words in values
            ),
            chosen=(current,) if current is not None else (),
            most=4,
            enabled=enabled,
        )

    def review_step(
        self,
        step_id: str,
        answers: Mapping[str, steps.Words],
        submitted: bool,
        tail: tuple[steps.Line, ...] = (),
    ) -> steps.Step:
        """Each part's answer with 고치기 (to `fix(part)`) until it is sent, then 보냈습니다."""
        rows = tuple(
            steps.ReviewRow(
                part,
                self.msg(f"field.{part}"),
                answer,
                fix=None if submitted else self.at(part, editing=True),
            )
            for part, answer in answers.items()
        )
        sent = (steps.Line(steps.msg("survey.review.sent"), "notice", "alreadySent"),)
        head = (
            steps.Line(self.msg("review"), "title"),
            steps.Line(self.msg("review.hint"), "muted"),
        )
        return steps.Step(
            step_id,
            "review",
            self.msg("review"),
            head,
            rows=rows,
            tail=tail,
            foot=sent if submitted else (),
            action=None if submitted else steps.Action(self.msg("submit"), "submitButton"),
            back=not submitted,
        )

    def after(self, at: steps.At, missing: Callable[[str], bool], review: steps.At) -> steps.Move:
        """The part after `at`'s, or back to the review when correcting from it and nothing
        after it is missing."""
        order = self.order
        for later in order[order.index(self.part(at)) + 1 :]:
            if not at.editing or missing(later):
                return steps.Move(self.at(later, at.editing))
        return steps.Move(review)
