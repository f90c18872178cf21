"""kiosk.services: every act a screen asks for, against a real device database.

Each act is one transaction (the rule, the envelope, the one-vote record): the fault tests make
one of the two writes fail and find neither written.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from nacl.public import PrivateKey

from contract.content import KST, parse_pack
from contract.points import POINTS_DONATION_KIND, POINTS_EXCHANGE_KIND
from kiosk.config import KioskConfig
from kiosk.context import AppContext
from kiosk.domain.ballot import BallotSession
from kiosk.domain.identity import ResidentIdentity
from kiosk.domain.proposals import ProposalDraft
from kiosk.pack.cache import AssetCache
from kiosk.paths import asset_path
from kiosk.services import Identified, Receipt, Refusal, Services, receipt_number
from kiosk.services.outcome import NOT_SAVED

PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
assert PACK.budget is not None
VOTE = PACK.budget
VOTING = datetime(2026, 12, 1, 10, 0, tzinfo=KST)  # the demo vote is open
AGREEING = datetime(2026, 12, 31, 10, 0, tzinfo=KST)  # crosswalk-sindang takes agrees
CROSSWALK = PACK.proposal("crosswalk-sindang")
assert CROSSWALK is not None
RULES = PACK.district.points


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(VOTING)


@pytest.fixture
def ctx(data_dir: Path, clock: Clock) -> Iterator[AppContext]:
    context = AppContext(
        config=KioskConfig(data_dir=data_dir),
        assets=AssetCache(data_dir / "assets"),
        pack=PACK,
        clock=clock,
    )
    yield context
    context.close()


class Practice:
    on = False

    def __call__(self) -> bool:
        return self.on


@pytest.fixture
def practice() -> Practice:
    return Practice()


@pytest.fixture
def services(ctx: AppContext, practice: Practice) -> Services:
    return Services(ctx, practice_on=practice)


@pytest.fixture
def heard(services: Services) -> list[Receipt]:
    receipts: list[Receipt] = []
    services.queued.append(receipts.append)
    return receipts


SERVER_KEY = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()


def resident(services: Services, phone: str = "01012345678") -> Identified:
    person = ResidentIdentity.from_keypad(phone, "19500101", VOTING.date())
    return services.identify(person, SERVER_KEY)


def ballot(dong: str = "yaksu") -> BallotSession:
    session = BallotSession(VOTE)
    assert session.choose_dong(dong) is None
    assert session.toggle("yaksu-shade") is None
    return session


def draft() -> ProposalDraft:
    new = ProposalDraft(PACK)
    assert new.set_text("title", "신당역 앞 횡단보도 신호 시간 연장") == []
    assert (
        new.set_text("body", "어르신들이 건너기에 신호가 너무 짧습니다. 10초만 늘려 주세요.") == []
    )
    assert new.set_dong("sindang") == [] and new.set_topic("transport") == []
    return new


def rows(ctx: AppContext, table: str) -> int:
    with ctx.db.read() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


# -- the ballot -------------------------------------------------------------------------------


def test_a_ballot_is_queued_sealed_with_its_one_vote_record(ctx, services, heard) -> None:
    session, voter = ballot(), resident(services)
    outcome = services.acts.vote(session, voter)
    assert isinstance(outcome, Receipt)
    [envelope] = ctx.outbox.pending()
    assert (envelope.id, envelope.device_seq, envelope.kind) == (outcome.envelope_id, 1, "ballot")
    assert envelope.payload["project_ids"] == ["yaksu-shade"]
    assert envelope.sealed_identity is not None and envelope.practice is False
    assert ctx.outbox.sealed_to(envelope.id) == SERVER_KEY
    assert envelope.content_version == PACK.content_version
    assert outcome.number == receipt_number(envelope.id)
    assert re.fullmatch(r"\d{4}-\d{4}", outcome.number)
    assert (outcome.practice, session.submitted) == (False, True)
    assert rows(ctx, "civic_records") == 1
    assert heard == [outcome]


def test_a_second_ballot_by_the_same_resident_is_refused_offline(ctx, services, heard) -> None:
    assert isinstance(services.acts.vote(ballot(), resident(services)), Receipt)
    # Another visit, the same phone and birth date: a new session, a new identity object.
    again = ballot("yaksu")
    outcome = services.acts.vote(again, resident(services))
    assert outcome == Refusal("already_voted", "civic.problem.already_voted", {}, where=VOTE.id)
    assert not again.submitted
    assert len(ctx.outbox.pending()) == 1 and rows(ctx, "civic_records") == 1
    assert len(heard) == 1
    # Another resident still votes.
    assert isinstance(services.acts.vote(ballot(), resident(services, "01098765432")), Receipt)


def test_a_ballot_outside_the_voting_days_is_refused_and_nothing_written(
    ctx, services, clock
) -> None:
    clock.now = datetime(2027, 6, 1, tzinfo=KST)
    outcome = services.acts.vote(ballot(), resident(services))
    assert isinstance(outcome, Refusal) and outcome.rule == "ballot_closed"
    assert rows(ctx, "outbox") == 0 and rows(ctx, "civic_records") == 0


def test_practice_is_marked_and_never_touches_the_one_vote_records(
    ctx, services, practice, heard
) -> None:
    practice.on = True
    first = services.acts.vote(ballot(), resident(services))
    second = services.acts.vote(ballot(), resident(services))  # not "already voted"
    assert isinstance(first, Receipt) and isinstance(second, Receipt)
    assert first.practice and second.practice
    assert [e.practice for e in ctx.outbox.pending()] == [True, True]
    assert rows(ctx, "civic_records") == 0
    practice.on = False
    real = services.acts.vote(ballot(), resident(services))  # practice stopped no one
    assert isinstance(real, Receipt) and not real.practice
    assert rows(ctx, "civic_records") == 1
    assert [r.practice for r in heard] == [True, True, False]


# -- one transaction --------------------------------------------------------------------------


def fail_inserts_into(ctx: AppContext, table: str) -> None:
    """Every insert into `table` now fails, as a full disk or a damaged page would."""
    with ctx.db.write_raw() as conn:
        conn.execute(
            f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table}"
            " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )


@pytest.mark.logs_error("submission_failed kind=ballot error=IntegrityError")
def test_a_one_vote_record_that_fails_after_the_envelope_leaves_neither(ctx, services) -> None:
    fail_inserts_into(ctx, "civic_records")
    session = ballot()
    assert services.acts.vote(session, resident(services)) == NOT_SAVED
    assert rows(ctx, "outbox") == 0 and rows(ctx, "civic_records") == 0
    assert not session.submitted  # the resident may try again
    with ctx.db.write_raw() as conn:
        conn.execute("DROP TRIGGER fail_civic_records")
    assert isinstance(services.acts.vote(session, resident(services)), Receipt)
    assert rows(ctx, "outbox") == 1 and rows(ctx, "civic_records") == 1


@pytest.mark.logs_error("submission_failed kind=proposal_agree error=IntegrityError")
def test_an_envelope_that_fails_leaves_no_one_vote_record(ctx, services, clock) -> None:
    clock.now = AGREEING
    fail_inserts_into(ctx, "outbox")
    voter = resident(services)
    assert services.acts.agree(CROSSWALK, voter) == NOT_SAVED
    assert rows(ctx, "outbox") == 0 and rows(ctx, "civic_records") == 0
    with ctx.db.write_raw() as conn:
        conn.execute("DROP TRIGGER fail_outbox")
    # Not refused as "already agreed": nothing of the failed act was kept.
    assert isinstance(services.acts.agree(CROSSWALK, voter), Receipt)


@pytest.mark.logs_error("submission_failed kind=ballot error=IdentityError")
def test_a_seal_that_fails_writes_nothing(ctx, services) -> None:
    from contract.identity import IdentityError

    class BrokenSealer:
        server_key = SERVER_KEY

        def __call__(self, binding: object) -> str:
            raise IdentityError("civic.identity.invalid")

    broken_voter = Identified(BrokenSealer(), resident(services).local_key)  # type: ignore[arg-type]
    assert services.acts.vote(ballot(), broken_voter) == NOT_SAVED
    assert rows(ctx, "outbox") == 0 and rows(ctx, "civic_records") == 0


def test_the_one_vote_record_is_unique_in_the_table_itself(ctx, services) -> None:
    from kiosk.store import civic_records

    voter = resident(services)
    with ctx.db.write_raw() as conn:
        civic_records.record(conn, "ballot", VOTE.id, voter.local_key, VOTING)
    with pytest.raises(sqlite3.IntegrityError), ctx.db.write_raw() as conn:
        civic_records.record(conn, "ballot", VOTE.id, voter.local_key, VOTING)


# -- agree, propose, points, staff call, coach record, submit ---------------------------------


def test_one_agree_per_resident_here_and_the_count_since_a_moment(ctx, services, clock) -> None:
    clock.now = AGREEING
    voter = resident(services)
    assert isinstance(services.acts.agree(CROSSWALK, voter), Receipt)
    again = services.acts.agree(CROSSWALK, resident(services))
    assert isinstance(again, Refusal) and again.rule == "already_agreed"
    assert again.message_id == "civic.problem.already_agreed"
    assert isinstance(services.acts.agree(CROSSWALK, resident(services, "01098765432")), Receipt)
    [first, second] = ctx.outbox.pending()
    assert first.kind == "proposal_agree" and first.payload == {"proposal_id": CROSSWALK.id}
    reads = services.reads
    assert reads.agrees_since(CROSSWALK.id, PACK.published_at) == 2
    assert reads.agrees_since(CROSSWALK.id, AGREEING) == 0  # given at AGREEING, not after
    assert reads.agrees_since("another-proposal", PACK.published_at) == 0


def test_a_proposal_is_sealed_to_its_author_and_the_draft_is_then_sent(ctx, services) -> None:
    new = draft()
    outcome = services.acts.propose(new, resident(services))
    assert isinstance(outcome, Receipt) and new.submitted
    [envelope] = ctx.outbox.pending()
    assert envelope.kind == "proposal" and envelope.sealed_identity is not None
    assert rows(ctx, "civic_records") == 0  # a proposal has no one-vote record
    refused = services.acts.propose(new, resident(services))
    assert isinstance(refused, Refusal) and refused.rule == "already_submitted"


def test_an_empty_title_is_refused_in_the_words_that_name_the_field(services) -> None:
    new = ProposalDraft(PACK)
    refused = services.acts.propose(new, resident(services))
    assert isinstance(refused, Refusal)
    assert (refused.rule, refused.message_id) == ("required", "newproposal.required.title")


def test_points_are_exchanged_or_donated_within_the_balance(ctx, services) -> None:
    voter = resident(services)
    over = services.acts.exchange(RULES.exchange_minimum, RULES.exchange_minimum - 1, RULES, voter)
    assert over == Refusal(
        "over_balance",
        "civic.problem.over_balance",
        {"balance": RULES.exchange_minimum - 1},
        where="points",
    )
    assert rows(ctx, "outbox") == 0
    exchanged = services.acts.exchange(RULES.exchange_minimum, 10_000, RULES, voter)
    donated = services.acts.donate(500, 10_000, voter)
    assert isinstance(exchanged, Receipt) and isinstance(donated, Receipt)
    kinds = [e.kind for e in ctx.outbox.pending()]
    assert kinds == [POINTS_EXCHANGE_KIND, POINTS_DONATION_KIND]
    assert all(e.sealed_identity is not None for e in ctx.outbox.pending())
    assert services.acts.donate(0, 10_000, voter) == Refusal(
        "points_positive", "civic.problem.points_positive", {}, where="points"
    )


def test_a_staff_call_is_never_practice_and_wakes_the_listeners(
    ctx, services, practice, heard
) -> None:
    practice.on = True
    outcome = services.acts.call_staff("budget_review")
    assert isinstance(outcome, Receipt) and not outcome.practice
    [envelope] = ctx.outbox.pending()
    assert (envelope.kind, envelope.payload) == ("staff_call", {"screen": "budget_review"})
    assert envelope.sealed_identity is None
    assert heard == [outcome]


def test_a_coach_session_record_is_queued_without_telling_the_listeners(
    ctx, services, heard
) -> None:
    outcome = services.acts.record_coach_session({"coach": "1001", "reason": "coach"})
    assert isinstance(outcome, Receipt) and not outcome.practice
    assert [e.kind for e in ctx.outbox.pending()] == ["coach_session"]
    assert heard == []


def test_a_submission_whose_rules_the_screen_checked(ctx, services, practice) -> None:
    receipt = services.acts.submit("survey_response", {"survey_id": "s", "answers": {}})
    practice.on = True
    practised = services.acts.submit("contest_vote", {"contest_id": "c", "entry_ids": ["e"]})
    assert isinstance(receipt, Receipt) and isinstance(practised, Receipt)
    assert [(e.kind, e.practice, e.sealed_identity) for e in ctx.outbox.pending()] == [
        ("survey_response", False, None),
        ("contest_vote", True, None),
    ]
    assert (receipt.device_seq, practised.device_seq) == (1, 2)


# -- reads ------------------------------------------------------------------------------------


def test_reads_before_anything_was_received(services) -> None:
    reads = services.reads
    assert reads.server_key() is None
    assert reads.published_counts() is None
    assert reads.clock_offset_s() == 0.0
    assert reads.coaches() == []


def test_the_local_key_is_the_same_for_the_same_resident_and_hidden(services) -> None:
    one, two = resident(services), resident(services)
    assert one.local_key == two.local_key != resident(services, "01098765432").local_key
    assert repr(one) == "Identified(<hidden>)" and "0101234" not in repr(one)
