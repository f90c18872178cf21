"""Every write a screen asks for, each one SQLite transaction: the rule check, the envelope in
the outbox, and the local one-vote record (kiosk.store.civic_records) are written together or
not at all, so a crash between them can no longer let the same resident vote again here.

An act answers a `Receipt` (queued, durable) or a `Refusal` (a rule refused it, or it could
not be written); the screens word either and move on. In a coached session's practice
(kiosk.domain.coach.is_practice) the envelope says so and the one-vote records are neither
read nor written, so practice never stops a resident's real agree or ballot.

No Qt: the window tells the acts whether practice is on (`practice_on`) and listens for
receipts (`Services.queued`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from contract.civic import Problem
from contract.content import PointRules, Proposal
from contract.identity import IdentityError
from contract.points import (
    POINTS_DONATION_KIND,
    POINTS_EXCHANGE_KIND,
    donation_problems,
    exchange_problems,
)
from contract.receipt import receipt_number
from kiosk.domain.ballot import BALLOT_KIND, BallotSession
from kiosk.domain.budget_proposal import BUDGET_PROPOSAL_KIND, BudgetProposalDraft
from kiosk.domain.budget_proposal import message_id as budget_proposal_message_id
from kiosk.domain.coach import COACH_SESSION_KIND, is_practice
from kiosk.domain.contest import CONTEST_VOTE_KIND, ContestBallot
from kiosk.domain.identity import Identified
from kiosk.domain.points import donation_payload, exchange_payload
from kiosk.domain.proposals import (
    PROPOSAL_AGREE_KIND,
    PROPOSAL_KIND,
    ProposalDraft,
    agree_payload,
    agree_problems,
    draft_message_id,
)
from kiosk.domain.staff_call import STAFF_CALL_KIND, staff_call_payload
from kiosk.services.outcome import NOT_SAVED, Outcome, Receipt, Refusal

if TYPE_CHECKING:
    from kiosk.context import AppContext
    from kiosk.services.outcome import RuleBroken
    from kiosk.store.civic_records import RecordKind

log = logging.getLogger(__name__)


class Acts:
    """The acts of one running app on its device database (`ctx`).

    Args:
        practice_on: whether a coached session's practice is on now.
        queued: called with every receipt of a resident's or staff call's act (the window
            wakes the sync worker and tells the coached session).
    """

    def __init__(
        self,
        ctx: AppContext,
        practice_on: Callable[[], bool],
        queued: Callable[[Receipt], None],
    ) -> None:
        self._ctx = ctx
        self._practice_on = practice_on
        self._queued = queued

    # -- the acts -----------------------------------------------------------------------------

    def submit(
        self, kind: str, payload: Mapping[str, Any], identity: Identified | None = None
    ) -> Outcome:
        """Queue a submission whose rules the screen already checked (a survey's answers, a
        contest vote or entry); sealed with `identity` when given."""
        return self._act(kind, lambda: payload, identity)

    def vote(self, session: BallotSession, identity: Identified) -> Outcome:
        """A budget ballot: refused when this resident already voted in this vote here (or the
        vote is not open, or the choice breaks its rules); the session is then submitted."""
        outcome = self._act(
            BALLOT_KIND,
            session.payload,
            identity,
            problems=lambda now, here: session.submit_problems(now, voted_here=here),
            one_vote=("ballot", session.vote.id),
        )
        if isinstance(outcome, Receipt):
            session.mark_submitted()
            log.info("ballot_sent vote=%s projects=%d", session.vote.id, len(session.selected))
        return outcome

    def contest_vote(self, ballot: ContestBallot, identity: Identified) -> Outcome:
        """A vote in a contest that counts once per resident: refused when this resident
        already voted in it here (or it closed, or the choice breaks its rules), as a ballot
        is; the choice is then submitted."""
        contest_id = ballot.contest.id
        outcome = self._act(
            CONTEST_VOTE_KIND,
            ballot.payload,
            identity,
            problems=lambda now, here: ballot.submit_problems(now, voted_here=here),
            one_vote=("contest_vote", contest_id),
        )
        if isinstance(outcome, Receipt):
            ballot.mark_submitted()
            log.info("contest_vote_sent contest=%s entries=%d", contest_id, len(ballot.chosen))
        return outcome

    def agree(self, proposal: Proposal, identity: Identified) -> Outcome:
        """공감 with a proposal: refused when this resident already agreed with it here, or it
        no longer takes agrees."""
        return self._act(
            PROPOSAL_AGREE_KIND,
            lambda: agree_payload(proposal),
            identity,
            problems=lambda now, here: agree_problems(proposal, now, agreed_here=here),
            one_vote=("agree", proposal.id),
        )

    def propose(self, draft: ProposalDraft, identity: Identified) -> Outcome:
        """A new proposal, sealed with its author's identity (the points go to them); the
        draft is then submitted."""
        outcome = self._act(
            PROPOSAL_KIND,
            draft.payload,
            identity,
            problems=lambda now, here: draft.problems(),
            wording=draft_message_id,
        )
        if isinstance(outcome, Receipt):
            draft.mark_submitted()
            log.info("proposal_sent dong=%s topic=%s", draft.dong, draft.topic)
        return outcome

    def propose_project(self, draft: BudgetProposalDraft, identity: Identified) -> Outcome:
        """A budget project proposal, sealed with its proposer's identity: refused once the
        budget's proposal window has closed (or the draft breaks its rules); the draft is then
        submitted."""
        outcome = self._act(
            BUDGET_PROPOSAL_KIND,
            draft.payload,
            identity,
            problems=lambda now, here: draft.problems(now),
            wording=budget_proposal_message_id,
        )
        if isinstance(outcome, Receipt):
            draft.mark_submitted()
            log.info("budget_proposal_sent vote=%s dong=%s", draft.vote.id, draft.dong)
        return outcome

    def exchange(
        self, points: int, balance: int, rules: PointRules, identity: Identified
    ) -> Outcome:
        """Exchange `points` for the district's voucher, against the last balance known."""
        return self._points(
            POINTS_EXCHANGE_KIND,
            lambda: exchange_payload(points, balance, rules),
            exchange_problems(points, balance, rules),
            identity,
        )

    def donate(self, points: int, balance: int, identity: Identified) -> Outcome:
        """Donate `points`, against the last balance known."""
        return self._points(
            POINTS_DONATION_KIND,
            lambda: donation_payload(points, balance),
            donation_problems(points, balance),
            identity,
        )

    def call_staff(self, screen: str) -> Outcome:
        """직원 호출 from `screen` (the staff console shows where the resident was)."""
        return self._act(STAFF_CALL_KIND, lambda: staff_call_payload(screen))

    def record_coach_session(self, record: Mapping[str, Any]) -> Outcome:
        """A coached session's one record, when it ends (kiosk.domain.coach)."""
        return self._act(COACH_SESSION_KIND, lambda: record, notify=False)

    # -- one transaction ----------------------------------------------------------------------

    def _points(
        self,
        kind: str,
        payload: Callable[[], Mapping[str, Any]],
        problems: list[Problem],
        identity: Identified,
    ) -> Outcome:
        outcome = self._act(kind, payload, identity, problems=lambda now, here: problems)
        if isinstance(outcome, Receipt):
            log.info("points_request_sent kind=%s", kind)
        return outcome

    def _act(
        self,
        kind: str,
        payload: Callable[[], Mapping[str, Any]],
        identity: Identified | None = None,
        *,
        problems: Callable[[datetime, bool], Sequence[RuleBroken]] | None = None,
        one_vote: tuple[RecordKind, str] | None = None,
        wording: Callable[[Problem], str] | None = None,
        notify: bool = True,
    ) -> Outcome:
        """Check the rules, queue the envelope and keep the one-vote record, in one write
        transaction (BEGIN IMMEDIATE: no other act runs between the check and the record).

        `problems(now, given_here)` are the domain's rules for this act, checked once, here;
        `given_here` says whether this resident's local key already has `one_vote`'s record.
        """
        from kiosk.store import civic_records  # the store opens after the first paint

        ctx = self._ctx
        practice = is_practice(kind, self._practice_on())
        version = ctx.pack.content_version if ctx.pack is not None else None
        # In practice the one-vote records are neither read nor written.
        records = one_vote if identity is not None and not practice else None
        refused: RuleBroken | None = None
        try:
            with ctx.db.write_raw() as conn:
                now = ctx.clock()
                here = records is not None and civic_records.given(
                    conn, *records, identity.local_key if identity else ""
                )
                found = problems(now, here) if problems is not None else []
                if found:
                    refused = found[0]
                else:
                    envelope = ctx.outbox.enqueue(
                        kind,
                        payload(),
                        content_version=version,
                        practice=practice,
                        seal=identity.sealer if identity is not None else None,
                        within=conn,
                    )
                    if records is not None and identity is not None:
                        civic_records.record(conn, *records, identity.local_key, now)
        except (sqlite3.Error, OSError, IdentityError) as e:
            log.error("submission_failed kind=%s error=%s", kind, type(e).__name__)
            return NOT_SAVED
        if refused is not None:
            log.info("act_refused kind=%s rule=%s", kind, refused.rule)
            worded = wording(refused) if wording and isinstance(refused, Problem) else None
            return Refusal.of(refused, worded)
        log.info(
            "submission_queued kind=%s seq=%d practice=%s", kind, envelope.device_seq, practice
        )
        receipt = Receipt(envelope.id, envelope.device_seq, practice, receipt_number(envelope.id))
        if notify:
            self._queued(receipt)
        return receipt
