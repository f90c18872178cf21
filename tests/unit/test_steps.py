"""Step flows without Qt: every flow walked as a resident would, and the step model itself."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from nacl.public import PrivateKey

from contract.content import KST, parse_pack
from contract.wire import PointsLedger, SurveyResponse
from kiosk.domain.ballot_flow import SAMPLE_NAMES as BALLOT_SAMPLES
from kiosk.domain.ballot_flow import BallotFlow
from kiosk.domain.ballot_flow import samples as ballot_samples
from kiosk.domain.contest_flow import ENTRIES, IDEA, IDEA_REVIEW, ContestVoteFlow, IdeaFlow
from kiosk.domain.contest_flow import SAMPLE_NAMES as CONTEST_SAMPLES
from kiosk.domain.contest_flow import samples as contest_samples
from kiosk.domain.earn import ANONYMOUS, POINTS_CHOICE, Earning
from kiosk.domain.identify import (
    IDENTITY,
    SAMPLE_SERVER_KEY,
    IdentityEntry,
    identify_next,
    identify_step,
    identity_start,
    masked,
)
from kiosk.domain.identity import Identified, ResidentIdentity
from kiosk.domain.points_flow import AMOUNT, BALANCE, PointsFlow, sample_ledger
from kiosk.domain.proposal_flow import (
    NEW_REVIEW,
    NEW_TEXT,
    NEW_TOPIC,
    AgreeFlow,
    ProposalFlow,
)
from kiosk.domain.proposal_flow import SAMPLE_NAMES as PROPOSAL_SAMPLES
from kiosk.domain.proposal_flow import samples as proposal_samples
from kiosk.domain.proposals import tally
from kiosk.domain.steps import (
    LEDGER,
    STEP_KINDS,
    Agree,
    At,
    Flow,
    Join,
    Msg,
    Sent,
    Step,
    Submission,
    Vote,
    Worded,
    until,
)
from kiosk.domain.steps import ContestVote as ContestVoteAct
from kiosk.domain.survey_flow import (
    FEEDBACK,
    INTRO,
    QUESTION,
    REVIEW,
    SAMPLE_NAMES,
    SUBMIT,
    SurveyFlow,
    samples,
)
from kiosk.paths import asset_path

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
SENT = Sent("2741-0586", "00000000-0000-0000-0000-000000000001")
PACK = parse_pack(json.loads((asset_path("demo") / "manifest.json").read_text(encoding="utf-8")))
DIGITAL = PACK.survey("2026-senior-digital")
QUIZ = PACK.survey("2026-quiz-ontong")
assert DIGITAL and QUIZ
IDENTIFIED = Identified(
    ResidentIdentity("01012345678", date(1950, 3, 15)).sealer(
        base64.b64encode(bytes(PrivateKey.generate().public_key)).decode("ascii")
    ),
    "local-key",
)


def test_points_are_earned_by_choice_with_identity_and_promised_as_the_server_will_credit():
    flow = SurveyFlow(PACK, DIGITAL, NOW)
    choice_at = At(POINTS_CHOICE)
    # 포인트 받기 (the action bar) leads to 본인 확인; from its birth date on to sending.
    assert flow.next(choice_at).to == identity_start()
    assert flow.identity_purpose == "earn.identity.purpose"
    flow.identity = IDENTIFIED
    note = flow.submitted(SENT)
    assert note.points == PACK.survey_points(DIGITAL) and note.credit == SENT.envelope_id
    # A resident who confirmed it, came back and chose 포인트 없이 보내기 sends nothing sealed.
    again = SurveyFlow(PACK, DIGITAL, NOW)
    again.identity = IDENTIFIED
    again.choose(choice_at, ANONYMOUS)
    assert again.identity is None and again.next(choice_at).to == At(SUBMIT)
    # Taken once: after a refused send, 포인트 받기 means 본인 확인 again.
    assert again.next(choice_at).to == identity_start()


def test_an_activity_that_earns_nothing_offers_no_choice():
    assert Earning(None).after_review(At(SUBMIT)) == At(SUBMIT)
    assert Earning(0).after_review(At(SUBMIT)) == At(SUBMIT)
    assert Earning(500).after_review(At(SUBMIT)) == At(POINTS_CHOICE)


def test_a_one_vote_per_resident_contest_asks_identity_at_the_vote():
    once = CONTEST.model_copy(
        update={"vote": CONTEST.vote.model_copy(update={"one_vote_per_resident": True})}
    )
    flow = ContestVoteFlow(PACK, once, NOW)
    at = flow.first()
    flow.choose(at, once.entries[0].id)
    review_at = walk_to(flow, at)
    assert walk_to(flow, review_at) == identity_start()  # no choice: it is the vote's rule
    assert flow.identity_purpose == "contest.identity.purpose.once"
    act = flow.submission(NOW)
    assert isinstance(act, ContestVoteAct) and act.ballot is flow.ballot


def walk_to(flow: Flow, at: At) -> At:
    move = flow.next(at)
    assert move.moved and move.to is not None, move.problems
    return move.to


def test_the_kinds_are_those_of_the_issue():
    # "number": a budget proposal's rough cost is typed on the keypad at a step of its own.
    named = "choice, picture_choice, text, number, review, identify, submit, thanks"
    assert set(named.split(", ")) <= set(STEP_KINDS)


def test_a_survey_walks_from_its_intro_through_a_show_if_branch_to_sending():
    flow = SurveyFlow(PACK, DIGITAL, NOW)
    intro = flow.step(flow.first())
    assert (intro.id, intro.kind) == (INTRO, "info")
    assert intro.action is not None and intro.action.name == "startButton"
    at = walk_to(flow, flow.first())
    assert at == At(QUESTION, "age")
    step = flow.step(at)
    assert step.kind == "choice" and not step.multiple and step.layout == "list"
    # A required question left empty: no move, and the rule that keeps the resident there.
    move = flow.next(at)
    assert not move.moved and [p.rule for p in move.problems] == ["required"]
    assert flow.choose(at, "70s") == []
    assert flow.step(at).chosen == ("70s",)
    at = walk_to(flow, at)
    assert at == At(QUESTION, "smartphone")
    assert flow.step(at).layout == "tiles"
    flow.choose(at, True)
    assert flow.step(at).is_chosen(True) and not flow.step(at).is_chosen(1)
    at = walk_to(flow, at)
    assert at == At(QUESTION, "uses")  # shown because of 예
    step = flow.step(at)
    assert step.multiple
    flow.choose(at, "kakao")
    flow.choose(at, "maps")
    flow.choose(at, "kakao")  # a second tap unchooses
    assert flow.step(at).chosen == ("maps",)
    while at.step == QUESTION:
        step = flow.step(at)
        if step.kind == "text":
            assert step.entry is not None and flow.type(at, "기차표") == []
        elif step.options and not step.chosen:
            flow.choose(at, step.options[0].value)
        at = walk_to(flow, at)
    assert at == At(REVIEW)
    review = flow.step(at)
    assert review.kind == "review" and review.action is not None
    assert review.action.name == "submitButton"
    fixable = [row for row in review.rows if row.fix is not None]
    assert fixable and fixable[0].fix == At(QUESTION, fixable[0].name, editing=True)
    # 보내기 leads to the choice of 포인트 받기; without identity, on to the submit step.
    choice_at = walk_to(flow, at)
    assert choice_at == At(POINTS_CHOICE)
    choice = flow.step(choice_at)
    assert choice.action is not None and choice.action.name == "earnPoints"
    assert [o.name for o in choice.options] == ["earn_anonymous"] and choice.moves_on
    flow.choose(choice_at, ANONYMOUS)
    assert flow.next(choice_at).to == At(SUBMIT)
    assert flow.step(At(SUBMIT)).kind == "submit"
    submission = flow.submission(NOW)
    assert isinstance(submission, Submission) and submission.kind == "survey_response"
    SurveyResponse.model_validate(submission.payload)
    note = flow.submitted(SENT)
    # Anonymous: it earns and promises nothing.
    assert note.message_id == "thanks.survey" and note.points is None and not note.credit
    assert flow.sent_key(SENT) == ("survey_response", DIGITAL.id)
    # Sent: the review shows it and offers neither 보내기 nor 고치기.
    sent = flow.step(At(REVIEW))
    assert sent.action is None and all(row.fix is None for row in sent.rows)
    assert [p.rule for p in flow.submission(NOW)] == ["already_submitted"]  # type: ignore[union-attr]


def test_a_quiz_checks_each_answer_then_shows_feedback_and_locks_it():
    flow = SurveyFlow(PACK, QUIZ, NOW)
    at = walk_to(flow, flow.first())
    step = flow.step(at)
    assert step.action is not None and step.action.words == Msg("quiz.check")
    first = QUIZ.questions[0]
    wrong = next(o.id for o in first.options if o.id != first.correct)  # type: ignore[union-attr]
    flow.choose(at, wrong)
    feedback_at = walk_to(flow, at)
    assert feedback_at.step == FEEDBACK
    feedback = flow.step(feedback_at)
    verdict = next(line for line in feedback.head if line.name == "verdict")
    assert verdict.mark == "wrong" and verdict.card
    # Back on the question, the answer is locked.
    locked = flow.step(at)
    assert not locked.enabled and locked.action is not None
    assert locked.action.words == Msg("flow.next")


def test_until_names_the_last_day_a_midnight_close_belongs_to():
    assert until(datetime(2027, 4, 1, 0, 0, tzinfo=KST)) == Msg(
        "survey.until", {"year": 2027, "month": 3, "day": 31}
    )
    assert until(datetime(2027, 3, 31, 18, 0, tzinfo=KST)).params["day"] == 31


def test_a_step_chooses_by_value_and_type():
    step = Step("s", "choice", Join(("a", "b")), chosen=(True,))
    assert step.is_chosen(True) and not step.is_chosen(1) and not step.is_chosen(False)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_is_a_place_of_a_flow_the_demo_pack_can_show(name):
    flow, at = samples(PACK, NOW)[name]
    step = flow.step(at)
    assert name.startswith(step.id)


CONTEST = PACK.contests[0]


def test_a_contest_vote_is_a_picture_choice_counted_as_it_is_made_then_reviewed():
    flow = ContestVoteFlow(PACK, CONTEST, NOW)
    at = flow.first()
    step = flow.step(at)
    assert (step.id, step.kind, step.multiple) == (ENTRIES, "picture_choice", True)
    assert step.options[0].name == f"entry_{CONTEST.entries[0].id}"
    assert not flow.next(at).moved  # nothing chosen yet
    flow.choose(at, CONTEST.entries[0].id)
    count = next(line for line in flow.step(at).head if line.name == "voteCount")
    assert count.words == Msg("contest.vote.count", {"count": 1, "max": flow.ballot.max_votes})
    review_at = walk_to(flow, at)
    review = flow.step(review_at)
    assert review.back_words == Msg("contest.vote.again")
    assert [row.picture for row in review.rows] == [CONTEST.entries[0].image]
    assert walk_to(flow, review_at) == At(POINTS_CHOICE)
    assert isinstance(flow.submission(NOW), Submission)
    assert flow.submitted(SENT).message_id == "thanks.vote"


def test_an_idea_names_the_empty_field_and_a_correction_returns_to_the_review():
    flow = IdeaFlow(PACK, CONTEST, NOW)
    at = flow.first()
    assert flow.step(at).kind == "text"
    move = flow.next(at)
    assert [p.message_id for p in move.problems] == ["contest.idea.required.title"]
    flow.type(at, "필동 골목")
    at = walk_to(flow, at)
    assert at == At(IDEA, "text")
    flow.type(at, "계단에 손잡이가 생겼어요")
    review = walk_to(flow, at)
    fix = flow.step(review).rows[0].fix
    assert fix == At(IDEA, "title", editing=True)
    # The text is still there: from the title straight back to the review.
    assert walk_to(flow, fix) == At(IDEA_REVIEW)


@pytest.mark.parametrize("name", CONTEST_SAMPLES)
def test_every_contest_sample_is_a_place_of_a_flow(name):
    flow, at = contest_samples(PACK, NOW)[name]
    assert name.startswith(flow.step(at).id)


def test_a_new_proposal_offers_the_centres_dong_first_and_goes_through_identity():
    own = PACK.district.dongs[-1].id
    flow = ProposalFlow(PACK, own_dong=own)
    at = flow.first()
    assert flow.step(at).options[0].name == f"dong_{own}"
    move = flow.next(at)
    assert [p.message_id for p in move.problems] == ["newproposal.required.dong"]
    flow.choose(at, own)
    at = walk_to(flow, at)
    assert at == At(NEW_TOPIC)
    flow.choose(at, "welfare")
    at = walk_to(flow, at)
    assert at == At(NEW_TEXT, "title")
    flow.type(at, "골목에 쉼터 의자를 놓아 주세요")
    at = walk_to(flow, at)
    flow.type(at, "큰길에서 시장까지 오르막이 길어서 쉬어 갈 곳이 없습니다.")
    review = walk_to(flow, at)
    assert review == At(NEW_REVIEW)
    assert flow.next(review).to == identity_start()
    flow.entry = IdentityEntry(flow.identity_purpose, SAMPLE_SERVER_KEY)
    assert flow.next(identity_start()).to == At(IDENTITY, "phone")
    step = flow.step(At(IDENTITY, "phone"))
    assert step.kind == "identify" and step.id == IDENTITY
    # A phone number too short stays; a whole one moves on to the birth date.
    for digit in "0101234":
        flow.entry.type("phone", digit)
    assert flow.next(At(IDENTITY, "phone")).problems[0].message_id == "civic.identity.bad_phone"
    for digit in "5678":
        flow.entry.type("phone", digit)
    assert flow.next(At(IDENTITY, "phone")).to == At(IDENTITY, "birth")
    assert flow.step(flow.next(At(IDENTITY, "birth")).to).kind == "submit"
    note = flow.submitted(SENT)
    assert ("civic.thanks.receipt", {"number": "2741-0586"}) in note.lines
    assert flow.sent_key(SENT) == ("proposal", SENT.envelope_id)


def test_an_agree_is_identity_then_the_act_and_thanks_with_the_count_after_it():
    proposal = PACK.proposals[0]
    known = {proposal.id: proposal}
    flow = AgreeFlow(proposal.id, known.get, lambda p: tally(p, 100, 1), 100)
    at = flow.first()
    assert at == identity_start()
    flow.entry = IdentityEntry(flow.identity_purpose, SAMPLE_SERVER_KEY)
    assert flow.step(at).kind == "info"
    at = walk_to(flow, at)
    assert flow.step(at).kind == "identify"
    assert flow.entry.purpose_id == "civic.identity.purpose.agree"
    assert flow.next(at).problems  # no number typed
    for digit in "01012345678":
        flow.entry.type("phone", digit)
    birth = walk_to(flow, at)
    assert flow.step(walk_to(flow, birth)).kind == "submit"
    assert flow.submission(NOW) == Agree(proposal)
    note = flow.submitted(SENT)
    assert note.message_id == "civic.thanks.agree" and note.points == 100
    assert note.lines[0] == (
        "civic.proposal.count_parts",
        {"published": proposal.agree_count, "pending": 1},
    )
    assert flow.sent_key(SENT) == ("proposal_agree", proposal.id)
    # Gone from the content while the resident typed: nothing is sent.
    del known[proposal.id]
    assert flow.submission(NOW) == [Worded("proposal", "civic.proposal.gone")]


@dataclass(frozen=True)
class LedgerAnswer:
    outcome: str
    ledger: PointsLedger | None = None


def test_points_are_identity_then_the_balance_the_server_gives_then_an_amount():
    flow = PointsFlow(PACK.district.points)
    at = flow.first()
    assert at == identity_start()
    flow.entry = IdentityEntry(flow.identity_purpose, SAMPLE_SERVER_KEY)
    for digit in "01012345678":
        flow.entry.type("phone", digit)
    balance = walk_to(flow, walk_to(flow, walk_to(flow, at)))
    assert balance == At(BALANCE) and flow.asks(balance) == LEDGER
    # Waiting: the seconds so far, and nothing to tap but the bars' 이전 and 처음으로.
    flow.answered(balance, None, 2.7)
    step = flow.step(balance)
    assert [line.name for line in step.head] == ["", "pointsWaiting", "pointsWaitingSeconds"]
    assert step.head[2].words == Msg("points.waiting.seconds", {"seconds": 2})
    assert step.action is None and not step.back and not step.options
    flow.answered(balance, LedgerAnswer("offline"), 6.0)
    assert "points_offline" in [line.name for line in flow.step(balance).head]
    # 5,300 points: below the exchange minimum, said before the tap and again at it.
    flow.answered(balance, LedgerAnswer("ready", sample_ledger(NOW)), 1.0)
    step = flow.step(balance)
    assert [o.name for o in step.options] == ["use_exchange", "use_donate"] and step.moves_on
    assert "exchangeNotYet" in [line.name for line in step.head]
    assert [r.name for r in step.rows][:2] == ["line0", "line1"]
    [problem] = flow.choose(balance, "exchange")
    assert problem.message_id == "points.exchange.not_yet"
    assert problem.params == {"minimum": 10_000, "balance": 5_300, "missing": 4_700}
    assert flow.choose(balance, "donate") == []
    assert walk_to(flow, balance) == At(AMOUNT) and flow.use == "donate"
    assert 5_300 in flow.amounts()


def test_identity_without_a_server_key_says_so_and_offers_only_back():
    for at in (identity_start(), At(IDENTITY, "phone")):
        step = identify_step(IdentityEntry("newproposal.purpose", None), at)
        assert "noServerKey" in [line.name for line in step.head]
        assert step.action is None and step.back


def test_identity_says_why_on_its_first_page_and_the_keypad_pages_keep_only_their_prompt():
    """Why the numbers are asked and that they are not kept stand on 본인 확인's first page,
    before the keypad: the keypad pages keep their count and prompt, short enough that at
    200 % the words, every key and 다음 fit the window."""
    entry = IdentityEntry("civic.identity.purpose.ballot", SAMPLE_SERVER_KEY)
    intro = identify_step(entry, identity_start())
    words = [line.words for line in intro.head]
    assert intro.kind == "info" and intro.action is not None
    assert Msg("civic.identity.why") in words and Msg("civic.identity.purpose.ballot") in words
    assert identify_next(entry, identity_start(editing=True), At(SUBMIT)).to == At(
        IDENTITY, "phone", editing=True
    )
    for field in ("phone", "birth"):
        step = identify_step(entry, At(IDENTITY, field))
        assert step.kind == "identify"
        assert [line.name for line in step.head][:2] == ["progress", "prompt"]
        assert Msg("civic.identity.why") not in [line.words for line in step.head + step.tail]


def test_the_readout_masks_the_middle_digits():
    assert masked("phone", "0101234") == "010-****-○○○○"
    assert masked("birth", "19500101") == "1950.**.**"


def test_a_ballot_moves_on_at_the_dong_keeps_its_total_pinned_and_votes_after_identity():
    vote = PACK.budget
    assert vote is not None
    flow = BallotFlow(PACK, vote, lambda: NOW, own_dong=vote.ballots[-1].dong)
    at = flow.first()
    dongs = flow.step(at)
    assert dongs.moves_on and dongs.action is None
    assert dongs.options[0].name == f"dong_{vote.ballots[-1].dong}"
    flow.choose(at, vote.ballots[0].dong)
    at = walk_to(flow, at)
    projects = flow.step(at)
    assert projects.pinned is not None and projects.pinned.name == "ballotStatus"
    assert not flow.next(at).moved  # nothing chosen yet
    flow.choose(at, projects.options[0].value)
    review = walk_to(flow, at)
    assert flow.step(review).back_words == Msg("civic.budget.review.again")
    assert flow.next(review).to == identity_start()
    act = flow.submission(NOW)
    assert isinstance(act, Vote) and act.session is flow.session
    assert flow.sent_key(SENT) == ("ballot", vote.id)


@pytest.mark.parametrize("name", BALLOT_SAMPLES + PROPOSAL_SAMPLES)
def test_every_ballot_and_proposal_sample_is_a_place_of_a_flow(name):
    places = {**ballot_samples(PACK, NOW), **proposal_samples(PACK, NOW)}
    flow, at = places[name]
    assert name.startswith(flow.step(at).id)
