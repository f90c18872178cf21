"""제안 검토: the queue of new proposals residents wrote at kiosks (kind "proposal",
contract.wire.NewProposal), staff's decision on each (게시 or 반려 with a reason), and the
district's answer; and beside it the queue of budget project proposals (kind "budget_proposal",
contract.wire.BudgetProposal: 주민참여예산 제안 → 검토 → 투표), each 채택 or 반려, and a chosen one
put into the content draft as a project of its dong's ballot (`to_budget`), for the vote of a
later content version published the normal way.

Only counted, non-practice envelopes are in the queue (a held one joins it once released). A
proposal with no review row, or a row `waiting`, is 검토 대기. 게시 publishes a new content
version derived from the newest one (server.content.publish_revision) whose `proposals` gain this
one, with its answer when there is one; 반려 publishes nothing. The decision, its audit event and
the content version are one transaction: none without the others. Decisions are taken one at a
time (the content-publishing lock), so a proposal is decided once and two 게시 at once both end
up in the newest pack.

A dong officer sees the proposals about their own dong (the payload's `dong`). The payload holds
no identity of the resident (the seal travels beside it and is never stored), so nothing here can
show one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import JSON, ColumnElement, and_, case, cast, func, select
from sqlalchemy.orm import Session

from contract.content import KST, TOPIC_NAMES
from server import audit, content, drafts
from server.db import ServerDatabase
from server.db.models import Device, Manifest, ProposalReview, Submission
from server.staff import Role, Staff

log = logging.getLogger(__name__)

PROPOSAL_KIND = "proposal"
BUDGET_PROPOSAL_KIND = "budget_proposal"
KINDS = (PROPOSAL_KIND, BUDGET_PROPOSAL_KIND)
KIND_LABELS = {PROPOSAL_KIND: "정책제안", BUDGET_PROPOSAL_KIND: "주민참여예산 사업 제안"}
WAITING, PUBLISHED, REFUSED, CHOSEN = "waiting", "published", "refused", "chosen"
# A policy proposal is published (게시) or refused; a budget proposal chosen (채택) or refused.
STATUSES = (WAITING, PUBLISHED, REFUSED)
BUDGET_STATUSES = (WAITING, CHOSEN, REFUSED)
STATUS_LABELS = {WAITING: "검토 대기", PUBLISHED: "게시", REFUSED: "반려", CHOSEN: "채택"}
PAGE_ROWS = 50
REASON_MAX = 500
ANSWER_MAX = 2000
# Agrees are taken this many days after a proposal is written when the pack implies no other
# window (the demo pack's proposals mostly close 90 days after they were written).
DEFAULT_AGREE_DAYS = 90
# A deadline is the end of its day in Korea, as the district's proposals have it.
DEADLINE_TIME = time(23, 59)


class ProposalNotFound(Exception):
    """No counted proposal envelope under that device and id (or not one this staff may see)."""


class ModerationRefused(Exception):
    """The decision cannot be taken; the message (Korean) says why. `field` names the form field
    the message belongs beside (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class QueuedProposal:
    """A new proposal as the console lists it."""

    device_id: str
    envelope_id: uuid.UUID
    device_name: str
    title: str
    body: str
    dong: str
    topic: str
    written_at: datetime
    received_at: datetime
    status: str
    reason: str | None
    answer: str | None
    proposal_id: str | None
    content_version: str | None
    decided_by: str | None
    decided_at: datetime | None
    kind: str = PROPOSAL_KIND
    # A budget proposal's place, rough cost and vote (empty for a policy proposal).
    place: str = ""
    cost_won: int | None = None
    vote_id: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def topic_label(self) -> str:
        name = TOPIC_NAMES.get(self.topic)
        return name.ko if name is not None else self.topic

    @property
    def decided(self) -> bool:
        return self.status != WAITING


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, with the count of each status in the staff member's scope."""

    items: list[QueuedProposal]
    counts: dict[str, int]
    status: str | None
    page: int
    pages: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def scope_of(staff: Staff) -> str | None:
    """The dong whose proposals `staff` may see; None: every dong."""
    return staff.dong if staff.role is Role.DONG else None


def proposal_id_for(device_id: str, envelope_id: uuid.UUID) -> str:
    """The id a published proposal gets: the same for the same envelope, whoever publishes it."""
    digest = hashlib.sha256(f"{device_id}/{envelope_id}".encode()).hexdigest()
    return f"kiosk-{digest[:20]}"


def parse_kind(text: str | None) -> str:
    """Which queue a page shows: one of KINDS (policy proposals when not said)."""
    return text if text in KINDS else PROPOSAL_KIND


def statuses_of(kind: str) -> tuple[str, ...]:
    return BUDGET_STATUSES if kind == BUDGET_PROPOSAL_KIND else STATUSES


def parse_status(text: str | None, kind: str = PROPOSAL_KIND) -> str | None:
    """The status filter of the page: one of the kind's statuses, or None for all."""
    return text if text in statuses_of(kind) else None


def _payload_dong(dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.json_extract_path_text(cast(Submission.body, JSON), "payload", "dong")
    return func.json_extract(Submission.body, "$.payload.dong")


_REVIEW_JOIN = and_(
    ProposalReview.device_id == Submission.device_id,
    ProposalReview.envelope_id == Submission.id,
)
_review_status = func.coalesce(ProposalReview.status, WAITING)


def _queued(db: ServerDatabase, dong: str | None, kinds: tuple[str, ...] = KINDS) -> Any:
    query = (
        select(Submission, Device.name, ProposalReview)
        .join(Device, Device.id == Submission.device_id)
        .outerjoin(ProposalReview, _REVIEW_JOIN)
        .where(
            Submission.kind.in_(kinds),
            Submission.counted.is_(True),
            Submission.practice.is_(False),
        )
    )
    if dong is not None:
        query = query.where(_payload_dong(db.dialect) == dong)
    return query


def _item(
    submission: Submission, device_name: str, review: ProposalReview | None
) -> QueuedProposal:
    try:
        payload = json.loads(submission.body).get("payload") or {}
    except (ValueError, AttributeError):
        payload = {}
    cost = payload.get("cost_won")
    return QueuedProposal(
        device_id=submission.device_id,
        envelope_id=submission.id,
        device_name=device_name,
        title=str(payload.get("title", "")),
        # A budget proposal says why where a policy proposal has its body.
        body=str(payload.get("body", payload.get("why", ""))),
        dong=str(payload.get("dong", "")),
        topic=str(payload.get("topic", "")),
        written_at=submission.created_at_server,
        received_at=submission.received_at,
        status=review.status if review is not None else WAITING,
        reason=review.reason if review is not None else None,
        answer=review.answer if review is not None else None,
        proposal_id=review.proposal_id if review is not None else None,
        content_version=review.content_version if review is not None else None,
        decided_by=review.decided_by if review is not None else None,
        decided_at=review.decided_at if review is not None else None,
        kind=submission.kind,
        place=str(payload.get("place", "")),
        cost_won=cost if isinstance(cost, int) else None,
        vote_id=str(payload.get("vote_id", "")),
    )


def queue(
    db: ServerDatabase,
    dong: str | None = None,
    status: str | None = None,
    page: int = 1,
    kind: str = PROPOSAL_KIND,
) -> QueuePage:
    """A page of the queue of `kind`: 검토 대기 first (the oldest first), then the decided ones
    (the latest decision first); only `status` when given; only proposals about `dong` when
    given."""
    base = _queued(db, dong, (kind,))
    with db.read() as session:
        counts_query = (
            select(_review_status.label("status"), func.count().label("n"))
            .select_from(Submission)
            .outerjoin(ProposalReview, _REVIEW_JOIN)
            .where(
                Submission.kind == kind,
                Submission.counted.is_(True),
                Submission.practice.is_(False),
            )
            .group_by(_review_status)
        )
        if dong is not None:
            counts_query = counts_query.where(_payload_dong(db.dialect) == dong)
        counted = [(row.status, row.n) for row in session.execute(counts_query)]
        counts = {s: 0 for s in statuses_of(kind)}
        counts.update({s: n for s, n in counted if s in counts})
        shown = counts[status] if status is not None else sum(counts.values())
        pages = max(1, -(-shown // PAGE_ROWS))
        page = min(max(page, 1), pages)
        query = base
        if status is not None:
            query = query.where(_review_status == status)
        waiting_first = case((_review_status == WAITING, 0), else_=1)
        oldest_waiting = case((_review_status == WAITING, Submission.created_at_server), else_=None)
        rows = session.execute(
            query.order_by(
                waiting_first,
                oldest_waiting,
                ProposalReview.decided_at.desc(),
                Submission.received_at,
                Submission.device_id,
                Submission.id,
            )
            .limit(PAGE_ROWS)
            .offset((page - 1) * PAGE_ROWS)
        ).all()
    items = [_item(s, name, review) for s, name, review in rows]
    return QueuePage(items, counts, status, page, pages)


def find(db: ServerDatabase, device_id: str, envelope_id: uuid.UUID) -> QueuedProposal:
    """One proposal of the queue; ProposalNotFound when there is none."""
    with db.read() as session:
        row = session.execute(
            _queued(db, None).where(Submission.device_id == device_id, Submission.id == envelope_id)
        ).first()
    if row is None:
        raise ProposalNotFound(f"no proposal {device_id}/{envelope_id}")
    return _item(*row)


# ---------------------------------------------------------------------------------------------
# Deciding
# ---------------------------------------------------------------------------------------------


def _clean(text: str | None, longest: int, field: str) -> str | None:
    value = (text or "").strip().replace("\r\n", "\n")
    if len(value) > longest:
        raise ModerationRefused(f"{longest:,}자 이하로 줄여 주세요. (지금 {len(value):,}자)", field)
    return value or None


def _doc(review: ProposalReview | None) -> dict[str, Any]:
    if review is None:
        return {"status": WAITING}
    doc: dict[str, Any] = {"status": review.status}
    for name in ("reason", "answer", "proposal_id", "content_version"):
        value = getattr(review, name)
        if value is not None:
            doc[name] = value
    return doc


def _locked(
    session: Session, device_id: str, envelope_id: uuid.UUID, kinds: tuple[str, ...] = KINDS
) -> tuple[Any, Any]:
    """The proposal's envelope (one of `kinds`) and review row, with the decisions' lock
    held."""
    content.lock_publishing(session)
    submission = session.get(Submission, (device_id, envelope_id))
    if (
        submission is None
        or submission.kind not in kinds
        or not submission.counted
        or submission.practice
    ):
        raise ProposalNotFound(f"no proposal {device_id}/{envelope_id}")
    review = session.scalars(
        select(ProposalReview).where(
            ProposalReview.device_id == device_id, ProposalReview.envelope_id == envelope_id
        )
    ).first()
    return submission, review


def _already(review: ProposalReview) -> ModerationRefused:
    when = review.decided_at.astimezone(KST).strftime("%Y-%m-%d %H:%M") if review.decided_at else ""
    return ModerationRefused(
        f"이 제안은 이미 {STATUS_LABELS[review.status]} 처리되었습니다"
        f" ({review.decided_by or '-'}, {when}). 목록을 새로 여세요."
    )


def _target(device_id: str, envelope_id: uuid.UUID, kind: str = PROPOSAL_KIND) -> str:
    return f"{kind}:{device_id}/{envelope_id}"


def _agree_days(proposals: list[dict[str, Any]]) -> int:
    """The agree window the pack implies: the most common number of days between a proposal's
    writing and its deadline (Korean dates), or DEFAULT_AGREE_DAYS."""
    days: Counter[int] = Counter()
    for p in proposals:
        try:
            made = datetime.fromisoformat(p["created_at"]).astimezone(KST).date()
            ends = datetime.fromisoformat(p["deadline"]).astimezone(KST).date()
        except (KeyError, TypeError, ValueError):
            continue
        if (ends - made).days > 0:
            days[(ends - made).days] += 1
    return days.most_common(1)[0][0] if days else DEFAULT_AGREE_DAYS


def _url_for(document: dict[str, Any], proposal_id: str) -> str:
    """The proposal's address on the platform, by the pattern of the pack's proposals (their
    url ends with their id), else `<platform_url>/proposal/<id>`."""
    prefixes: Counter[str] = Counter()
    for p in document.get("proposals", []):
        url, pid = p.get("url"), p.get("id")
        if isinstance(url, str) and isinstance(pid, str) and url.endswith(pid):
            prefixes[url[: -len(pid)]] += 1
    if prefixes:
        return prefixes.most_common(1)[0][0] + proposal_id
    platform = str(document.get("district", {}).get("platform_url", "")).rstrip("/")
    return f"{platform}/proposal/{proposal_id}"


def proposal_document(
    document: dict[str, Any], item: QueuedProposal, proposal_id: str, answer: str | None
) -> dict[str, Any]:
    """The pack's entry (contract.content.Proposal) for a published proposal."""
    dongs = {d.get("id"): d.get("name", {}).get("ko") for d in document["district"]["dongs"]}
    written = item.written_at.astimezone(KST)
    deadline = datetime.combine(
        written.date() + timedelta(days=_agree_days(document.get("proposals", []))),
        DEADLINE_TIME,
        tzinfo=KST,
    )
    entry: dict[str, Any] = {
        "id": proposal_id,
        "title": {"ko": item.title},
        "body": {"ko": item.body},
        "dong": item.dong,
        "topic": item.topic,
        "author": f"{dongs.get(item.dong) or item.dong} 주민 (키오스크)",
        "created_at": written.isoformat(),
        "deadline": deadline.isoformat(),
        "status": "open",
        "agree_count": 0,
        "url": _url_for(document, proposal_id),
    }
    if answer:
        entry["district_answer"] = answer
    return entry


def _check_publishable(document: dict[str, Any], item: QueuedProposal) -> None:
    dongs = {d.get("id") for d in document.get("district", {}).get("dongs", [])}
    if item.dong not in dongs:
        raise ModerationRefused(
            f"이 제안의 동({item.dong})이 지금 콘텐츠에 없어 게시할 수 없습니다. 반려하거나"
            " 동이 있는 콘텐츠를 먼저 게시하세요."
        )
    if item.topic not in TOPIC_NAMES:
        raise ModerationRefused(f"이 제안의 분야({item.topic})는 게시할 수 없는 분야입니다.")


@dataclass(frozen=True)
class Decision:
    """What a decision did: the proposal's status, and the content version it published."""

    status: str
    proposal_id: str | None = None
    content_version: str | None = None


def publish(
    db: ServerDatabase,
    device_id: str,
    envelope_id: uuid.UUID,
    answer: str | None,
    by: audit.Actor,
    now: datetime | None = None,
) -> Decision:
    """게시: a new content version with this proposal (and the answer, when given)."""
    now = now or datetime.now(UTC)
    answer = _clean(answer, ANSWER_MAX, "answer")
    with db.write() as session:
        submission, review = _locked(session, device_id, envelope_id, (PROPOSAL_KIND,))
        if review is not None and review.status != WAITING:
            raise _already(review)
        before = _doc(review)
        item = _item(submission, "", review)
        proposal_id = proposal_id_for(device_id, envelope_id)

        def add(document: dict[str, Any]) -> None:
            _check_publishable(document, item)
            proposals = [p for p in document.get("proposals", []) if p.get("id") != proposal_id]
            proposals.append(proposal_document(document, item, proposal_id, answer))
            document["proposals"] = proposals

        try:
            published = content.publish_revision(session, add, by, now)
        except content.PublishError as e:
            raise ModerationRefused(f"게시할 수 없습니다: {e}") from e
        if review is None:
            review = ProposalReview(device_id=device_id, envelope_id=envelope_id)
            session.add(review)
        review.status = PUBLISHED
        review.reason = None
        review.proposal_id = proposal_id
        review.content_version = published.content_version
        review.decided_by, review.decided_at = by.name, now
        if answer is not None:
            review.answer, review.answered_by, review.answered_at = answer, by.name, now
        audit.record(
            session,
            by,
            "proposal.publish",
            target=_target(device_id, envelope_id),
            before=before,
            after=_doc(review),
            now=now,
        )
    log.info(
        "proposal.published device=%s envelope=%s version=%s",
        device_id,
        envelope_id,
        published.content_version,
    )
    return Decision(PUBLISHED, proposal_id, published.content_version)


def refuse(
    db: ServerDatabase,
    device_id: str,
    envelope_id: uuid.UUID,
    reason: str | None,
    answer: str | None,
    by: audit.Actor,
    now: datetime | None = None,
) -> Decision:
    """반려 with a reason (required); publishes nothing."""
    now = now or datetime.now(UTC)
    reason = _clean(reason, REASON_MAX, "reason")
    answer = _clean(answer, ANSWER_MAX, "answer")
    if reason is None:
        raise ModerationRefused("반려하려면 사유를 적어 주세요.", "reason")
    return _decide(db, device_id, envelope_id, REFUSED, reason, answer, by, now)


def choose(
    db: ServerDatabase,
    device_id: str,
    envelope_id: uuid.UUID,
    answer: str | None,
    by: audit.Actor,
    now: datetime | None = None,
) -> Decision:
    """채택 of a budget proposal: it may become a project of the vote (`to_budget`); publishes
    nothing by itself."""
    answer = _clean(answer, ANSWER_MAX, "answer")
    return _decide(db, device_id, envelope_id, CHOSEN, None, answer, by, now)


_DECISION_KINDS = {REFUSED: KINDS, CHOSEN: (BUDGET_PROPOSAL_KIND,)}
_DECISION_ACTIONS = {REFUSED: "refuse", CHOSEN: "choose"}


def _decide(
    db: ServerDatabase,
    device_id: str,
    envelope_id: uuid.UUID,
    status: str,
    reason: str | None,
    answer: str | None,
    by: audit.Actor,
    now: datetime | None,
) -> Decision:
    """A decision that publishes nothing (반려, 채택), audited as "<kind>.<action>"."""
    now = now or datetime.now(UTC)
    with db.write() as session:
        submission, review = _locked(session, device_id, envelope_id, _DECISION_KINDS[status])
        if review is not None and review.status != WAITING:
            raise _already(review)
        before = _doc(review)
        if review is None:
            review = ProposalReview(device_id=device_id, envelope_id=envelope_id)
            session.add(review)
        review.status = status
        review.reason = reason
        review.decided_by, review.decided_at = by.name, now
        if answer is not None:
            review.answer, review.answered_by, review.answered_at = answer, by.name, now
        kind = submission.kind
        audit.record(
            session,
            by,
            f"{kind}.{_DECISION_ACTIONS[status]}",
            target=_target(device_id, envelope_id, kind),
            before=before,
            after=_doc(review),
            now=now,
        )
    log.info("%s.%s device=%s envelope=%s", kind, status, device_id, envelope_id)
    return Decision(status)


def project_document(item: QueuedProposal, project_id: str, image: str) -> dict[str, Any]:
    """The budget project (contract.content.BudgetProject) a chosen proposal becomes: its
    title, why and place as the description, its rough cost, the picture staff chose."""
    return {
        "id": project_id,
        "title": {"ko": item.title},
        "description": {"ko": f"{item.body}\n장소: {item.place}"},
        "cost_won": item.cost_won,
        "image": image,
        "reviewed": True,
    }


def to_budget(
    db: ServerDatabase,
    device_id: str,
    envelope_id: uuid.UUID,
    image: str | None,
    by: audit.Actor,
    now: datetime | None = None,
) -> int:
    """A chosen budget proposal put into the content draft (the open one, or a new one from
    the newest version) as a project of its dong's ballot, with the picture `image`; the
    draft's id. The draft, the proposal's record and the audit event are one transaction;
    publishing the draft (게시 전 확인 → 게시) brings it to the kiosks' vote."""
    now = now or datetime.now(UTC)
    if not image:
        raise ModerationRefused("사업 그림을 고르세요.", "image")
    with db.write() as session:
        submission, review = _locked(session, device_id, envelope_id, (BUDGET_PROPOSAL_KIND,))
        if review is None or review.status != CHOSEN:
            raise ModerationRefused("채택한 제안만 예산 초안에 넣을 수 있습니다.")
        if review.proposal_id is not None:
            raise ModerationRefused(
                f"이미 예산 초안에 넣었습니다 (사업 id {review.proposal_id}). 목록을 새로 여세요."
            )
        before = _doc(review)
        item = _item(submission, "", review)
        project_id = proposal_id_for(device_id, envelope_id)

        def add(budget: dict[str, Any]) -> dict[str, Any]:
            if budget.get("id") != item.vote_id:
                raise ModerationRefused(
                    f"초안의 주민참여예산({budget.get('id')})이 이 제안의 투표({item.vote_id})가"
                    " 아닙니다."
                )
            ballot = next(
                (b for b in budget.get("ballots", []) if b.get("dong") == item.dong), None
            )
            if ballot is None:
                raise ModerationRefused(
                    f"예산 초안에 이 동({item.dong})의 투표지가 없습니다. 주민참여예산 양식에서"
                    " 동 투표를 먼저 추가하세요."
                )
            ballot["projects"] = [
                *ballot.get("projects", []),
                project_document(item, project_id, image),
            ]
            return budget

        try:
            draft_id = drafts.change_item_in(session, "budget", "budget", add, by, now)
        except drafts.DraftRefused as e:
            raise ModerationRefused(f"예산 초안에 넣을 수 없습니다: {e.message}") from e
        review.proposal_id = project_id
        audit.record(
            session,
            by,
            "budget_proposal.to_draft",
            target=_target(device_id, envelope_id, BUDGET_PROPOSAL_KIND),
            before=before,
            after={**_doc(review), "draft": draft_id, "image": image},
            now=now,
        )
    log.info(
        "budget_proposal.to_draft device=%s envelope=%s draft=%d", device_id, envelope_id, draft_id
    )
    return draft_id


def save_answer(
    db: ServerDatabase,
    device_id: str,
    envelope_id: uuid.UUID,
    answer: str | None,
    by: audit.Actor,
    now: datetime | None = None,
) -> Decision:
    """The district's answer, written or changed (empty: removed). For a published proposal
    still in the newest pack, a new content version carries it to the kiosks."""
    now = now or datetime.now(UTC)
    answer = _clean(answer, ANSWER_MAX, "answer")
    with db.write() as session:
        _, review = _locked(session, device_id, envelope_id)
        if review is not None and review.answer == answer:
            return Decision(review.status, review.proposal_id, None)
        if review is None and answer is None:
            return Decision(WAITING)
        before = _doc(review)
        if review is None:
            review = ProposalReview(device_id=device_id, envelope_id=envelope_id, status=WAITING)
            session.add(review)
        review.answer, review.answered_by, review.answered_at = answer, by.name, now
        version = None
        if review.status == PUBLISHED and review.proposal_id is not None:
            proposal_id = review.proposal_id

            def carry(document: dict[str, Any]) -> None:
                for p in document.get("proposals", []):
                    if p.get("id") == proposal_id:
                        if answer is None:
                            p.pop("district_answer", None)
                        else:
                            p["district_answer"] = answer

            if content_has(session, proposal_id):
                try:
                    version = content.publish_revision(session, carry, by, now).content_version
                except content.PublishError as e:
                    raise ModerationRefused(f"답변을 게시할 수 없습니다: {e}") from e
        after = _doc(review)
        if version is not None:
            after["content_version"] = version
        audit.record(
            session,
            by,
            "proposal.answer",
            target=_target(device_id, envelope_id),
            before=before,
            after=after,
            now=now,
        )
    return Decision(review.status, review.proposal_id, version)


def content_has(session: Session, proposal_id: str) -> bool:
    """Whether the newest published pack has the proposal `proposal_id`."""
    body = session.scalars(select(Manifest.body).order_by(Manifest.id.desc()).limit(1)).first()
    if body is None:
        return False
    return any(p.get("id") == proposal_id for p in json.loads(body).get("proposals", []))


def budget_pictures(db: ServerDatabase, dong: str) -> list[str]:
    """The pictures of the content draft (the newest version when there is no draft), those
    its budget's ballot of `dong` uses first: what a chosen proposal's project may show."""
    draft = drafts.current(db)
    if draft is not None:
        items = {(i.section, i.key): i.body for i in draft.items}
        files = [body for (section, _), body in items.items() if section == "files"]
        budget = items.get(("budget", "budget")) or {}
    else:
        with db.read() as session:
            body = session.scalars(
                select(Manifest.body).order_by(Manifest.id.desc()).limit(1)
            ).first()
        document = json.loads(body) if body else {}
        files, budget = document.get("files", []), document.get("budget") or {}
    images = [f["path"] for f in files if str(f.get("media_type", "")).startswith("image/")]
    ballots: list[dict[str, Any]] = budget.get("ballots", [])
    ballot = next((b for b in ballots if b.get("dong") == dong), {})
    used = [p["image"] for p in ballot.get("projects", []) if p.get("image") in images]
    return list(dict.fromkeys([*used, *images]))
