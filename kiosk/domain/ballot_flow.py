"""A budget ballot (주민참여예산) as a step flow (kiosk.domain.steps). No Qt, no I/O.

Steps: the dong ("budget_dongs": a tap moves on), its projects with the running total pinned
in view ("budget_projects"), the review with 다시 고르기 ("budget_review"), 본인 확인
("identity"), the ballot and the thank-you. Once published, the results (`ResultsFlow`): a
dong, then its ranking ("budget_results"). The rules are kiosk.domain.ballot's
`BallotSession`; a second ballot by the same resident here is refused by the vote act
(kiosk.services).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final

from contract.ballot import RankedProject, ranking
from contract.content import BudgetVote, ContentPack
from kiosk.domain import steps
from kiosk.domain.ballot import BALLOT_KIND, BallotSession, ballot_dongs
from kiosk.domain.identify import (
    IDENTITY,
    SAMPLE_SERVER_KEY,
    IdentityEntry,
    identify_next,
    identify_step,
    identity_start,
)
from kiosk.domain.money import won_text
from kiosk.domain.points import activity_points

DONGS: Final = "budget_dongs"
PROJECTS: Final = "budget_projects"
REVIEW: Final = "budget_review"
SUBMIT: Final = "budget_submit"
RESULTS: Final = "budget_results"
STEP_IDS: Final[tuple[str, ...]] = (DONGS, PROJECTS, REVIEW, RESULTS)

# The projects' pictures: at most two a row, each card wide enough for its description.
PROJECT_PICTURES: Final = steps.Pictures(height=2.2, most=2, grow=1.5, min_em=10)


def dong_words(pack: ContentPack, dong_id: str) -> steps.Words:
    dong = pack.district.dong(dong_id)
    return dong.name if dong else dong_id


def status_words(session: BallotSession) -> steps.Words:
    """The running total against the budget, or the picks still possible (both when both
    apply)."""
    parts: list[steps.Words] = []
    if session.budget_limited:
        total, remaining = won_text(session.total_won), won_text(max(session.remaining_won, 0))
        parts.append(steps.msg("civic.budget.status.budget", total=total, remaining=remaining))
    if session.remaining_picks is not None:
        count, left = len(session.selected), session.remaining_picks
        parts.append(steps.msg("civic.budget.status.picks", count=count, remaining=left))
    return steps.Join(tuple(parts), "\n")


def rule_words(session: BallotSession) -> steps.Words:
    assert session.ballot is not None
    lines: list[steps.Words] = []
    if session.budget_limited:
        lines.append(
            steps.msg("civic.budget.rule.budget", budget=won_text(session.ballot.budget_won))
        )
    most = session.max_selections
    if most is not None:
        least = session.ballot.rule.min_selections
        if least > 1:
            lines.append(steps.msg("civic.budget.rule.picks_min", min=least, max=most))
        else:
            lines.append(steps.msg("civic.budget.rule.picks", max=most))
    return steps.Join(tuple(lines), "\n")


def _cost(won: int) -> steps.Msg:
    return steps.msg("civic.budget.cost", cost=won_text(won))


class BallotFlow(steps.Flow):
    """A resident's ballot in the pack's vote (the choice: `session`).

    Attributes:
        own_dong: the dong of the centre the kiosk stands in: offered first.
        clock: now, for the vote's period when the resident moves on from the review.
    """

    identity_purpose = "civic.identity.purpose.ballot"

    def __init__(
        self,
        pack: ContentPack,
        vote: BudgetVote,
        clock: Callable[[], datetime],
        *,
        own_dong: str | None = None,
    ) -> None:
        self.pack = pack
        self.session = BallotSession(vote)
        self.clock = clock
        self.own_dong = own_dong
        self.points = activity_points(pack, "budget_vote")

    def first(self) -> steps.At:
        return steps.At(DONGS)

    def _dong(self, dong_id: str) -> steps.Words:
        return dong_words(self.pack, dong_id)

    def step(self, at: steps.At) -> steps.Step:
        if at.step == DONGS:
            return self._dongs()
        if at.step == PROJECTS:
            return self._projects()
        if at.step == REVIEW:
            return self._review()
        if at.step == IDENTITY:
            return identify_step(self.entry, at)
        if at.step == SUBMIT:
            return steps.Step(SUBMIT, "submit", steps.msg("civic.budget.review.submit"))
        raise KeyError(at.step)

    def _dongs(self) -> steps.Step:
        ballot = self.session.ballot
        return steps.Step(
            DONGS,
            "choice",
            steps.msg("civic.budget.choose_dong"),
            (
                steps.Line(steps.msg("civic.budget.choose_dong"), "title"),
                steps.Line(steps.msg("civic.budget.choose_dong.hint"), "muted"),
            ),
            options=tuple(
                steps.Option(d, (steps.Line(self._dong(d), "tileTitle"),), name_prefix="dong_")
                for d in ballot_dongs(self.session.vote, self.own_dong)
            ),
            chosen=(ballot.dong,) if ballot is not None else (),
            most=4,
            moves_on=True,
            action=None,
            back=False,
        )

    def _projects(self) -> steps.Step:
        session = self.session
        ballot = session.ballot
        assert ballot is not None
        title = steps.msg(
            "civic.budget.budget", dong=self._dong(ballot.dong), budget=won_text(ballot.budget_won)
        )
        vote = session.vote
        return steps.Step(
            PROJECTS,
            "picture_choice",
            steps.msg("area.budget"),
            (steps.Line(title, "title"), steps.Line(rule_words(session), "strong")),
            options=tuple(
                steps.Option(
                    p.id,
                    (
                        steps.Line(p.title, "tileTitle"),
                        steps.Line(_cost(p.cost_won), "strong"),
                        steps.Line(p.description, "tileText"),
                    ),
                    picture=p.image,
                    name_prefix="project_",
                )
                for p in session.projects
            ),
            chosen=tuple(p.id for p in session.selected),
            multiple=True,
            pictures=PROJECT_PICTURES,
            chosen_word=steps.msg("civic.budget.chosen"),
            enabled=not session.submitted,
            # Body size, not banner size: pinned, it takes its height from the working area.
            pinned=steps.Line(status_words(session), "pinned", "ballotStatus"),
            share=steps.Share(vote.url, vote.title, at_foot=True),
        )

    def _review(self) -> steps.Step:
        session = self.session
        review = session.review()
        rows = tuple(
            steps.ReviewRow(p.id, _cost(p.cost_won), p.title, picture=p.image)
            for p in review.projects
        )
        total = steps.msg(
            "civic.budget.review.total",
            total=won_text(review.total_won),
            budget=won_text(review.budget_won),
        )
        sent = (steps.Line(steps.msg("survey.review.sent"), "notice", "alreadySent"),)
        return steps.Step(
            REVIEW,
            "review",
            steps.msg("civic.budget.review.title"),
            (
                steps.Line(steps.msg("civic.budget.review.title"), "title"),
                steps.Line(self._dong(review.dong), "muted"),
            ),
            rows=rows,
            tail=(steps.Line(total, "notice", "ballotTotal"),),
            foot=sent if session.submitted else (),
            action=None
            if session.submitted
            else steps.Action(steps.msg("civic.budget.review.submit"), "submitButton"),
            back=not session.submitted,
            back_words=steps.msg("civic.budget.review.again"),
        )

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        if at.step == DONGS:
            problem = self.session.choose_dong(str(value))
        else:
            problem = self.session.toggle(str(value))
        return [problem] if problem is not None else []

    def next(self, at: steps.At) -> steps.Move:
        session = self.session
        if at.step == DONGS:
            return steps.Move(steps.At(PROJECTS))
        if at.step == PROJECTS:
            problems = session.problems()
            return steps.Move(None, (problems[0],)) if problems else steps.Move(steps.At(REVIEW))
        if at.step == REVIEW:
            problems = session.submit_problems(self.clock(), voted_here=False)
            return steps.Move(None, (problems[0],)) if problems else steps.Move(identity_start())
        assert at.step == IDENTITY
        return identify_next(self.entry, at, steps.At(SUBMIT))

    def submission(self, now: datetime) -> steps.Act | Sequence[steps.StepProblem]:
        return steps.Vote(self.session)

    def submitted(self, sent: steps.Sent) -> steps.ThanksNote:
        return steps.ThanksNote(
            "civic.thanks.ballot",
            self.points,
            (("civic.thanks.server", {}), ("civic.thanks.receipt", {"number": sent.number})),
            # Promised as the server will credit them (the thank-you follows the receipt).
            credit=sent.envelope_id,
        )

    def sent_key(self, sent: steps.Sent) -> tuple[str, str]:
        return (BALLOT_KIND, self.session.vote.id)


# ---------------------------------------------------------------------------------------------
# The published results
# ---------------------------------------------------------------------------------------------


class ResultsFlow(steps.Flow):
    """A vote's published results: which dong ("budget_results"), then its ranking (the same
    step, keyed by the dong).

    Attributes:
        vote: the vote with the results shown: the pack's, or the server's count.
        counted_by_server: the results are the server's count, which says nothing of which
            projects are funded: rank and votes only.
    """

    def __init__(self, pack: ContentPack, vote: BudgetVote, counted_by_server: bool) -> None:
        self.pack = pack
        self.vote = vote
        self.counted_by_server = counted_by_server
        self.dong: str | None = None

    def first(self) -> steps.At:
        return steps.At(RESULTS)

    def step(self, at: steps.At) -> steps.Step:
        title = steps.msg("civic.budget.results")
        vote = self.vote
        ranked = ranking(vote, at.key) if at.key else None
        result = vote.result_for(at.key) if at.key else None
        if ranked is not None and result is not None:
            heading = steps.msg("civic.budget.results.title", dong=dong_words(self.pack, at.key))
            voters = steps.msg("civic.budget.results.voters", voters=result.voters)
            return steps.Step(
                RESULTS,
                "review",
                title,
                (steps.Line(heading, "title"), steps.Line(voters, "strong")),
                rows=tuple(self._row(line) for line in ranked),
                action=None,
                back=False,
            )
        if not vote.results:
            none = steps.Line(steps.msg("civic.budget.results.none"), "notice", "noResults")
            head = (steps.Line(title, "title"), none)
            return steps.Step(RESULTS, "info", title, head, action=None, back=False)
        return steps.Step(
            RESULTS,
            "choice",
            title,
            (steps.Line(steps.msg("civic.budget.results.choose"), "title"),),
            options=tuple(
                steps.Option(
                    r.dong,
                    (steps.Line(dong_words(self.pack, r.dong), "tileTitle"),),
                    name_prefix="dong_",
                )
                for r in vote.results
            ),
            chosen=(self.dong,) if self.dong is not None else (),
            most=4,
            moves_on=True,
            action=None,
            back=False,
        )

    def _row(self, line: RankedProject) -> steps.ReviewRow:
        """A project's rank and votes, and whether it is funded (unless the server counted)."""
        rank = steps.msg("civic.budget.results.line", rank=line.rank, votes=line.votes)
        verdict = "selected" if line.selected else "not_selected"
        heading: steps.Words = (
            rank
            if self.counted_by_server
            else steps.Join((rank, steps.msg(f"civic.budget.results.{verdict}")))
        )
        project = line.project
        return steps.ReviewRow(
            project.id, heading, steps.Join((project.title, won_text(project.cost_won)))
        )

    def choose(self, at: steps.At, value: steps.Value) -> Sequence[steps.StepProblem]:
        self.dong = str(value)
        return []

    def next(self, at: steps.At) -> steps.Move:
        return steps.Move(steps.At(RESULTS, self.dong or ""))


# ---------------------------------------------------------------------------------------------
# Sample places, for pictures of every step (./dev render) and the accessibility audit
# ---------------------------------------------------------------------------------------------

SAMPLE_NAMES: Final[tuple[str, ...]] = (
    DONGS,
    PROJECTS,
    f"{PROJECTS}_budget",
    REVIEW,
    "identity_intro",
    "identity_phone",
    "identity_birth",
    "identity_no_key",
    RESULTS,
)


def samples(pack: ContentPack, now: datetime) -> dict[str, tuple[steps.Flow, steps.At]]:
    """A place for each of SAMPLE_NAMES (none without a vote)."""
    vote = pack.budget
    if vote is None:
        return {}

    def flow() -> BallotFlow:
        return BallotFlow(pack, vote, lambda: now)

    first = vote.ballots[0]
    picks = flow()
    picks.session.choose_dong(first.dong)
    picks.session.toggle(picks.session.projects[0].id)
    # As many projects as the rule allows, cheapest first.
    limited = next((b for b in vote.ballots if b.rule.kind == "budget"), first)
    full = flow()
    full.session.choose_dong(limited.dong)
    for project in sorted(full.session.projects, key=lambda p: p.cost_won):
        full.session.toggle(project.id)

    def identify(purpose: str, key: str | None, phone: str = "", birth: str = "") -> BallotFlow:
        typing = flow()
        typing.entry = IdentityEntry(purpose, key, {"phone": phone, "birth": birth})
        return typing

    ballot, agree = "civic.identity.purpose.ballot", "civic.identity.purpose.agree"
    phone = identify(ballot, SAMPLE_SERVER_KEY, "0101234")
    birth = identify(agree, SAMPLE_SERVER_KEY, "01012345678", "1950")
    results = ResultsFlow(pack, vote, counted_by_server=False)
    dong = vote.results[0].dong if vote.results else ""
    return {
        RESULTS: (results, steps.At(RESULTS, dong)),
        "identity_intro": (identify(ballot, SAMPLE_SERVER_KEY), identity_start()),
        "identity_phone": (phone, steps.At(IDENTITY, "phone")),
        "identity_birth": (birth, steps.At(IDENTITY, "birth")),
        "identity_no_key": (identify(ballot, None), identity_start()),
        DONGS: (flow(), steps.At(DONGS)),
        PROJECTS: (picks, steps.At(PROJECTS)),
        f"{PROJECTS}_budget": (full, steps.At(PROJECTS)),
        REVIEW: (full, steps.At(REVIEW)),
    }
