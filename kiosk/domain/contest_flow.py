"""A contest's two flows as step flows (kiosk.domain.steps): voting for entries, and sending an
idea. No Qt, no I/O.

Voting: the entries as a picture choice ("contest_entries"), the review with 다시 고르기 and
투표하기 ("contest_vote_review"), sending and the thank-you. An idea: its title, then its text
("contest_idea", keyed by the field), the review with 고치기 ("contest_idea_review"), sending
and the thank-you. The rules are kiosk.domain.contest's `ContestBallot` and `IdeaDraft`.

Before sending, the choice of 포인트 받기 with 본인 확인 or none (kiosk.domain.earn); a
contest whose vote is one per resident asks 본인 확인 at the vote instead (its act is the
services' `contest_vote`, which keeps this kiosk's one-vote record).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from contract.content import ContentPack, Contest
from kiosk.domain import steps
from kiosk.domain.contest import (
    CONTEST_ENTRY_KIND,
    CONTEST_VOTE_KIND,
    IDEA_FIELDS,
    ContestBallot,
    IdeaDraft,
    IdeaField,
    idea_field_limit,
    is_open,
    takes_votes,
)
from kiosk.domain.earn import PURPOSE, Earning
from kiosk.domain.identify import identity_start
from kiosk.domain.points import activity_points
from kiosk.domain.survey import Problem

ENTRIES: Final = "contest_entries"
VOTE_REVIEW: Final = "contest_vote_review"
IDEA: Final = "contest_idea"
IDEA_REVIEW: Final = "contest_idea_review"
SUBMIT: Final = "contest_submit"
STEP_IDS: Final[tuple[str, ...]] = (ENTRIES, VOTE_REVIEW, IDEA, IDEA_REVIEW)

# The entries' pictures: larger than a survey's, at most three a row, each card wide enough
# for its description.
ENTRY_PICTURES: Final = steps.Pictures(height=2.5, most=3, grow=1.5, min_em=10, beside=True)


def _review(
    step_id: str,
    words_id: str,
    contest: Contest,
    rows: tuple[steps.ReviewRow, ...],
    *,
    submitted: bool,
    submit_id: str,
    back_id: str = "flow.back",
) -> steps.Step:
    """A contest's review (the vote's or the idea's): its heading and the contest's name over
    the rows, then 보내기; once sent, a notice that it was sent instead, and no 이전."""
    sent = (steps.Line(steps.msg("survey.review.sent"), "notice", "alreadySent"),)
    return steps.Step(
        step_id,
        "review",
        steps.msg(words_id),
        (steps.Line(steps.msg(words_id), "title"), steps.Line(contest.title, "muted")),
        rows=rows,
        foot=sent if submitted else (),
        action=None if submitted else steps.Action(steps.msg(submit_id), "submitButton"),
        back=not submitted,
        back_words=steps.msg(back_id),
    )


class ContestVoteFlow(steps.Flow):
    """A resident choosing entries of one contest (the choice: `ballot`)."""

    def __init__(self, pack: ContentPack, contest: Contest, now: datetime) -> None:
        self.ballot = ContestBallot(contest, now)
        self.points = activity_points(pack, "contest_vote")
        self.earning = Earning(self.points)
        self.once = self.ballot.once_per_resident
        self.identity_purpose = "contest.identity.purpose.once" if self.once else PURPOSE

    def first(self) -> steps.At:
        return steps.At(ENTRIES)

    def step(self, at: steps.At) -> steps.Step:
        ballot = self.ballot
        contest = ballot.contest
        if self.earning.handles(at):
            return self.earning.step(at, self.entry, sent=ballot.submitted)
        if at.step == ENTRIES:
            count = steps.msg("contest.vote.count", count=len(ballot.chosen), max=ballot.max_votes)
            head = (
                steps.Line(contest.title, "muted"),
                steps.Line(steps.msg("contest.vote"), "title"),
                steps.Line(steps.msg("contest.vote.hint", max=ballot.max_votes), "muted"),
                steps.Line(count, "strong", "voteCount"),
            )
            options = tuple(
                steps.Option(
                    entry.id,
                    (
                        steps.Line(entry.title, "tileTitle"),
                        steps.Line(entry.description, "tileText"),
                        steps.Line(entry.author, "muted"),
                    ),
                    picture=entry.image,
                    name_prefix="entry_",
                )
                for entry in contest.entries
            )
            return steps.Step(
                ENTRIES,
                "picture_choice",
                steps.msg("contest.vote"),
                head,
                options=options,
                chosen=ballot.chosen,
                multiple=True,
                pictures=ENTRY_PICTURES,
                chosen_word=steps.msg("contest.chosen"),
                enabled=not ballot.submitted,
            )
        if at.step == VOTE_REVIEW:
            entries = {e.id: e for e in contest.entries}
            rows = tuple(
                steps.ReviewRow(
                    entry_id,
                    steps.msg("contest.chosen"),
                    entries[entry_id].title,
                    picture=entries[entry_id].image,
                )
                for entry_id in ballot.chosen
            )
            return _review(
                VOTE_REVIEW,
                "contest.vote.review",
                contest,
                rows,
                submitted=ballot.submitted,
                submit_id="contest.vote.submit",
                back_id="contest.vote.again",
            )
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("contest.vote.submit"))
        raise KeyError(at.step)

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        if self.earning.handles(at):
            self.identity = None  # sent without identity: nothing is sealed
            return self.earning.choose(value)
        return self.ballot.toggle(str(value))

    def next(self, at: steps.At) -> steps.Move:
        if at.step == VOTE_REVIEW:
            if self.once:  # 본인 확인 is the vote's own step, not a choice
                return steps.Move(identity_start())
            return steps.Move(self.earning.after_review(steps.At(SUBMIT)))
        if self.earning.handles(at):
            return self.earning.next(at, self.entry, steps.At(SUBMIT))
        problems = self.ballot.check()
        return steps.Move(None, tuple(problems)) if problems else steps.Move(steps.At(VOTE_REVIEW))

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        if self.once:  # its rules, and this kiosk's one-vote record, in the act
            return steps.ContestVote(self.ballot)
        problems = self.ballot.submit_problems(now)
        return problems or steps.Submission(CONTEST_VOTE_KIND, self.ballot.payload())

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        self.ballot.mark_submitted()
        return self.earning.thanks("thanks.vote", sent, self.identity)

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (CONTEST_VOTE_KIND, self.ballot.contest.id)


def idea_wording(problem: Problem) -> steps.StepProblem:
    """An idea's problem in its own words: an empty field is named."""
    if problem.rule == "required":
        return steps.Worded(problem.rule, f"contest.idea.required.{problem.where}")
    return problem


def _field(at: steps.At) -> IdeaField:
    return "text" if at.key == "text" else "title"


class IdeaFlow(steps.Flow):
    """A resident writing an idea for one contest (the words: `draft`)."""

    def __init__(self, pack: ContentPack, contest: Contest, now: datetime) -> None:
        self.draft = IdeaDraft(contest, now)
        self.points = activity_points(pack, "contest_entry")
        self.earning = Earning(self.points)
        self.identity_purpose = PURPOSE

    def first(self) -> steps.At:
        return steps.At(IDEA, "title")

    def step(self, at: steps.At) -> steps.Step:
        draft = self.draft
        if self.earning.handles(at):
            return self.earning.step(at, self.entry, sent=draft.submitted)
        if at.step == IDEA:
            field = _field(at)
            limit = idea_field_limit(field)
            head = (
                steps.Line(
                    steps.msg("contest.idea.progress", n=IDEA_FIELDS.index(field) + 1, total=2),
                    "strong",
                    "progress",
                ),
                steps.Line(draft.contest.title, "muted"),
                steps.Line(steps.msg(f"contest.idea.{field}"), "question", "prompt"),
                steps.Line(steps.msg("survey.hint.text", max=f"{limit:,}"), "muted"),
                steps.Line(steps.msg("contest.idea.privacy"), "muted"),
            )
            entry = steps.Entry(limit, multiline=field == "text", initial=draft.get(field))
            return steps.Step(
                IDEA,
                "text",
                steps.msg(f"contest.idea.{field}"),
                head,
                entry=entry,
                enabled=not draft.submitted,
            )
        if at.step == IDEA_REVIEW:
            rows = tuple(
                steps.ReviewRow(
                    name,
                    steps.msg(f"contest.idea.field.{name}"),
                    draft.get(name).strip(),
                    fix=None if draft.submitted else steps.At(IDEA, name, editing=True),
                )
                for name in IDEA_FIELDS
            )
            return _review(
                IDEA_REVIEW,
                "contest.idea.review",
                draft.contest,
                rows,
                submitted=draft.submitted,
                submit_id="survey.review.submit",
            )
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("survey.review.submit"))
        raise KeyError(at.step)

    def type(self, at: steps.At, text: str) -> Sequence[steps.StepProblem]:
        return [idea_wording(p) for p in self.draft.set(_field(at), text)]

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        self.identity = None  # 포인트 없이 보내기: nothing is sealed
        return self.earning.choose(value)

    def next(self, at: steps.At) -> steps.Move:
        if at.step == IDEA_REVIEW:
            return steps.Move(self.earning.after_review(steps.At(SUBMIT)))
        if self.earning.handles(at):
            return self.earning.next(at, self.entry, steps.At(SUBMIT))
        field = _field(at)
        problems = self.draft.check(field)
        if problems:
            return steps.Move(None, tuple(idea_wording(p) for p in problems))
        # From the title to the text, unless a correction from the review has nothing left to do.
        if field == "title" and (not at.editing or self.draft.check("text")):
            return steps.Move(steps.At(IDEA, "text", at.editing))
        return steps.Move(steps.At(IDEA_REVIEW))

    def submission(self, now: datetime) -> steps.Submission | Sequence[steps.StepProblem]:
        problems = self.draft.submit_problems(now)
        if problems:
            return [idea_wording(p) for p in problems]
        return steps.Submission(CONTEST_ENTRY_KIND, self.draft.payload())

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        self.draft.mark_submitted()
        return self.earning.thanks("thanks.idea", sent, self.identity)

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (CONTEST_ENTRY_KIND, self.draft.contest.id)


# ---------------------------------------------------------------------------------------------
# Sample places, for pictures of every step (./dev render) and the accessibility audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: Final[tuple[str, ...]] = (
    ENTRIES,
    VOTE_REVIEW,
    f"{IDEA}_title",
    f"{IDEA}_text",
    IDEA_REVIEW,
)
SAMPLE_TITLE: Final = "필동 골목 계단"
SAMPLE_TEXT: Final = "계단에 손잡이가 생겨서 어머니와 날마다 천천히 산책합니다. 고맙습니다."


def samples(pack: ContentPack, now: datetime) -> dict[str, tuple[steps.Flow, steps.At]]:
    """A place for each of SAMPLE_NAMES from the pack's first contest (none without one)."""
    places: dict[str, tuple[steps.Flow, steps.At]] = {}
    contest = next(iter(pack.contests), None)
    if contest is None:
        return places
    when = now if is_open(contest, now) else contest.opens_at
    if takes_votes(contest):
        vote = ContestVoteFlow(pack, contest, when)
        vote.ballot.toggle(contest.entries[0].id)
        places[ENTRIES] = (vote, steps.At(ENTRIES))
        full = ContestVoteFlow(pack, contest, when)
        for entry in contest.entries[: full.ballot.max_votes]:
            full.ballot.toggle(entry.id)
        places[VOTE_REVIEW] = (full, steps.At(VOTE_REVIEW))
    if contest.accepts_entries:
        places[f"{IDEA}_title"] = (IdeaFlow(pack, contest, when), steps.At(IDEA, "title"))
        idea = IdeaFlow(pack, contest, when)
        idea.draft.set("title", SAMPLE_TITLE)
        places[f"{IDEA}_text"] = (idea, steps.At(IDEA, "text"))
        done = IdeaFlow(pack, contest, when)
        done.draft.set("title", SAMPLE_TITLE)
        done.draft.set("text", SAMPLE_TEXT)
        places[IDEA_REVIEW] = (done, steps.At(IDEA_REVIEW))
    return places
