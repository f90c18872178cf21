"""The sync protocol's wire format (v1): the one definition shared by the kiosk and the server.

Every model that crosses the network lives here, and nowhere else; see DESIGN.md
"Sync protocol v1" and "Durability".
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

# A device never numbers this many envelopes (a million a day for three thousand years), and no
# payload schema reaches this version: larger numbers are refused as an invalid envelope.
MAX_DEVICE_SEQ = 2**40
MAX_SCHEMA_VERSION = 10_000


# Validation context (Envelope.model_validate(..., context={PAYLOAD_FROM_JSON: True})) of an
# envelope whose payload was just parsed from the JSON text it was dumped to without NaN (the
# outbox makes each so): it holds only JSON values, so it is not dumped once more to check.
PAYLOAD_FROM_JSON = "payload_from_json"


class Envelope(BaseModel):
    """One submission as queued on the device and sent to the server, immutable once created.

    The server stores each envelope once per `id`; order on a device is `device_seq`, never
    wall time.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: UUID = Field(description="Idempotency key: the same id is stored once, forever")
    kind: str = Field(min_length=1, description="What was submitted, e.g. 'survey.response'")
    schema_version: int = Field(
        ge=1, le=MAX_SCHEMA_VERSION, description="Version of this kind's payload schema"
    )
    content_version: str | None = Field(
        description="Content pack version the resident saw; None when no content applies"
    )
    device_seq: int = Field(
        ge=1, le=MAX_DEVICE_SEQ, description="Gap-free sequence number on the device"
    )
    created_at: AwareDatetime = Field(description="Device clock at submission, in UTC")
    clock_offset_s: float = Field(
        allow_inf_nan=False,
        description="Device's last known clock offset: server_time - device_time, seconds",
    )
    boot_id: str = Field(min_length=1, description="Identifies the device boot it was made in")
    practice: bool = Field(description="Made in a coached practice session; never counted")
    payload: dict[str, Any]
    sealed_identity: str | None = Field(
        default=None, description="Resident identity sealed to the server's public key"
    )

    @field_validator("payload")
    @classmethod
    def _json_only(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if info.context is not None and info.context.get(PAYLOAD_FROM_JSON):
            return value
        # Refused here rather than silently sent as null (NaN) or as a string (datetime).
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise ValueError(f"payload must hold only JSON values: {e}") from e
        return value

    @field_validator("created_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        # One representation per instant, so the canonical bytes (and their hash) are stable.
        return value.astimezone(UTC)


def canonical_json(envelope: Envelope) -> bytes:
    """The envelope as canonical JSON: sorted keys, no spaces, UTF-8. The server hashes these."""
    return json.dumps(
        envelope.model_dump(mode="json"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Limits every client and server keeps (DESIGN.md "Batches")
# ---------------------------------------------------------------------------------------------

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"
MAX_BATCH_ITEMS = 200
MAX_BODY_BYTES = 1024 * 1024


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------------------------------------
# Enrolment: POST /api/v1/devices/enroll
# ---------------------------------------------------------------------------------------------


# Base64 of 32 bytes is 43 characters and one "=", and every such string decodes to 32 bytes:
# the pattern is the whole check (and the OpenAPI document states it).
# Any raw Ed25519 public key in base64 (the device's, the server's content key).
Ed25519PublicKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9+/]{43}=$")]

DevicePublicKey = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9+/]{43}=$",
        description="The device's own Ed25519 public key, base64 of the raw 32 bytes; it signs"
        " the outbox bundles staff carry to the server on a USB stick",
    ),
]


class EnrollRequest(_Wire):
    enrollment_code: str = Field(min_length=4, max_length=64)
    name: str = Field(min_length=1, max_length=100, description="Where the device stands")
    mode: Literal["kiosk", "board"]
    app_version: str = Field(min_length=1, max_length=40)
    device_public_key: DevicePublicKey | None = None


class EnrollResponse(_Wire):
    device_id: str
    token: str = Field(description="Bearer token for every later request; shown only once")
    server_public_key: str = Field(
        description="Base64 public key residents' identities are sealed to"
    )
    content_public_key: Ed25519PublicKey | None = Field(
        default=None,
        description="The server's content key: it signs the content pack archives staff carry"
        " to a kiosk on a USB stick (contract.pack_signature); the device installs only those",
    )


# ---------------------------------------------------------------------------------------------
# Device key of a device enrolled before keys existed: POST /api/v1/devices/key
# ---------------------------------------------------------------------------------------------


class DeviceKeyRequest(_Wire):
    """Register the device's public key once; a different key later is refused (409)."""

    device_public_key: DevicePublicKey


class DeviceKeyResponse(_Wire):
    device_id: str
    device_public_key: str


# ---------------------------------------------------------------------------------------------
# Submissions: POST /api/v1/submissions/batch
# ---------------------------------------------------------------------------------------------


class SubmissionBatch(_Wire):
    items: list[Envelope] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


ResultStatus = Literal["accepted", "duplicate", "rejected"]


class Receipt(_Wire):
    """What the server recorded for an envelope; a duplicate gets the original's receipt."""

    envelope_id: UUID
    device_id: str
    device_seq: int
    received_at: AwareDatetime = Field(description="Server clock when first stored")
    created_at_server: AwareDatetime = Field(
        description="The envelope's creation time corrected by its clock offset"
    )
    counted: bool = Field(
        default=True, description="False for practice or a resident's second ballot or agree"
    )
    note: str | None = None


class ItemResult(_Wire):
    id: UUID
    status: ResultStatus
    reason: str | None = Field(default=None, description="Why it was rejected, in plain words")
    receipt: Receipt | None = None


class BatchResult(_Wire):
    results: list[ItemResult]


# ---------------------------------------------------------------------------------------------
# Heartbeat: POST /api/v1/devices/heartbeat
# ---------------------------------------------------------------------------------------------


def _not_a_flag(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("a number is needed, not true or false")
    return value


# A count (>= 0) as JSON Schema means an integer (3 and 3.0, never true): pydantic's lax mode takes
# true as 1, and its strict mode refuses 3.0, which the schema allows.
Count = Annotated[int, Field(ge=0), BeforeValidator(_not_a_flag)]


def _json_integer(value: object) -> object:
    if isinstance(value, bool | str):
        raise ValueError("an integer is needed")
    return value


# A device_seq as JSON Schema means it: 6287 or 6287.0, never "6287" nor true.
HighestSeq = Annotated[int, Field(ge=0, le=MAX_DEVICE_SEQ), BeforeValidator(_json_integer)]


class Heartbeat(_Wire):
    # Numbers and flags are checked as the schema says: true is not a number of seconds, nor
    # 1 a staff call (the server must not accept what its own schema refuses).
    app_version: str
    content_version: str | None
    queue_depth: Count
    oldest_pending_s: float | None = Field(default=None, ge=0, strict=True)
    disk_free: Count | None = Field(default=None, description="Bytes free on the data disk")
    last_error: str | None = None
    mode: Literal["kiosk", "board"]
    uptime_s: float = Field(ge=0, strict=True)
    memory_rss: Count | None = Field(default=None, description="Resident memory, bytes")
    staff_call: bool = Field(default=False, strict=True, description="A resident asked for staff")
    reads_staff_call: bool = Field(
        default=False,
        strict=True,
        description="The device reads the state of its staff call in the answer (`staff_call`,"
        " `staff_call_acknowledged_at`); without it they are left out, for devices that refuse"
        " fields they do not know",
    )
    dong: str | None = Field(
        default=None,
        max_length=40,
        description="Dong id of the centre the device stands in (its configuration), so staff"
        " reports can place submissions that name no dong of their own",
    )
    highest_seq: HighestSeq | None = Field(
        default=None,
        description="The highest device_seq the device has numbered so far (0: none yet). The"
        " server takes it as evidence of when envelopes were made: one with a higher seq was"
        " made after this heartbeat arrived, whatever its clock says",
    )
    # Staff PIN lock-outs (5 wrong PINs each) since the device was enrolled: a rising count is
    # someone guessing at the staff page (issue 14). Absent from devices older than the field.
    pin_lockouts: Count | None = Field(
        default=None, description="Staff PIN lock-outs since enrolment"
    )
    last_pin_lockout_at: AwareDatetime | None = Field(
        default=None, description="When the latest staff PIN lock-out began (device clock)"
    )
    reads_coaches: bool = Field(
        default=False,
        strict=True,
        description="The device keeps the district's coaches (GET /api/v1/coaches) and reads"
        " `coaches_version` and `revoked_coaches` in the answer; without it they are left out,"
        " for devices that refuse fields they do not know",
    )
    reads_content_etag: bool = Field(
        default=False,
        strict=True,
        description="The device reads `content_etag` in the answer; without it it is left out,"
        " for devices that refuse fields they do not know",
    )
    reads_content_key: bool = Field(
        default=False,
        strict=True,
        description="The device has no content key yet (it enrolled before servers gave one)"
        " and reads `content_public_key` in the answer",
    )


# A digital coach's code as typed on the kiosk keypad (contract.content.Coach).
CoachCode = Annotated[str, Field(pattern=r"^[0-9]{4,8}$")]


class HeartbeatResponse(_Wire):
    server_time: AwareDatetime
    content_version: str | None = Field(
        default=None, description="Newest published content, so the device knows to pull"
    )
    staff_call: Literal["waiting", "coming"] | None = Field(
        default=None,
        description="The device's open 직원 호출: waiting for staff, or staff are coming (a"
        " member of staff acknowledged it); absent when it has none open",
    )
    staff_call_acknowledged_at: AwareDatetime | None = Field(
        default=None, description="When staff acknowledged the open call (server clock)"
    )
    coaches_version: int | None = Field(
        default=None,
        ge=0,
        description="The version of the district's coaches (0: none yet); a device that keeps"
        " another version fetches GET /api/v1/coaches. Only to a device that sent"
        " `reads_coaches`",
    )
    content_etag: str | None = Field(
        default=None,
        description="The ETag of the manifest this device receives now (only what targets its"
        " device groups and dong); a device that holds another asks for the manifest in this"
        " cycle, so a change of its groups reaches it without waiting for its content poll."
        " Only to a device that sent `reads_content_etag`",
    )
    revoked_coaches: list[CoachCode] | None = Field(
        default=None,
        description="Every revoked coach code: the device refuses them at once, before it has"
        " fetched the coaches, and ends an open coached session of one. Only with"
        " `coaches_version`",
    )
    content_public_key: Ed25519PublicKey | None = Field(
        default=None,
        description="The server's content key (as at enrolment), for a device enrolled before"
        " servers gave one: it keeps the first it receives. Only to a device that sent"
        " `reads_content_key`",
    )


class ErrorBody(_Wire):
    """Every 4xx/5xx answer's body: one plain sentence."""

    detail: str


# ---------------------------------------------------------------------------------------------
# The district's digital coaches: GET /api/v1/coaches (approved devices only)
# ---------------------------------------------------------------------------------------------


class CoachCredential(_Wire):
    """A coach who may sign in at a kiosk: the code, the name the banner shows, and the PIN as
    the kiosk's salted scrypt hash (contract.pin); the PIN itself never travels."""

    code: CoachCode
    name: str = Field(min_length=1, max_length=40)
    pin_hash: str = Field(min_length=1, max_length=200)


class CoachList(_Wire):
    """Every coach who may sign in now, and every revoked code (their PIN hashes are not sent).

    The answer's ETag names `version`; If-None-Match with it answers 304. The heartbeat answer
    carries the version (`coaches_version`), so a device fetches this only when it changed:
    coaches added, revoked or given a new PIN on the console reach devices at their next
    heartbeat, without a new content pack. A device waiting for approval gets 403.
    """

    version: int = Field(ge=0, description="Changes with every coach added, revoked or reset")
    coaches: list[CoachCredential]
    revoked: list[CoachCode] = Field(description="Codes that may no longer sign in")


# ---------------------------------------------------------------------------------------------
# Emergency notices: GET /api/v1/emergency (server.emergency)
# ---------------------------------------------------------------------------------------------

EMERGENCY_TEXT_MAX = 200
EmergencyLevel = Literal["danger", "warning"]


class EmergencyNotice(_Wire):
    """A notice staff posted on the console for every device it targets: a board shows it
    over its whole screen, a kiosk as a band on every screen, until staff clear it or `until`
    passes (a forgotten notice ends by itself)."""

    id: int = Field(ge=1)
    text: str = Field(min_length=1, max_length=EMERGENCY_TEXT_MAX)
    level: EmergencyLevel = Field(description="danger: red (긴급); warning: amber (주의)")
    posted_at: AwareDatetime
    until: AwareDatetime
    dong: str | None = Field(
        default=None, max_length=40, description="The one dong it targets; None: every device"
    )


class EmergencyNotices(_Wire):
    """Every notice in force that targets the asking device (none: an empty list, which also
    tells a device that was offline while one was cleared to take it down).

    Devices ask every few seconds, on a thread of their own, with If-None-Match: the answer is
    304 while nothing changed, so the poll costs one small request and no body."""

    notices: list[EmergencyNotice]


# The content manifest (GET /api/v1/content/manifest) is the content pack document itself:
# `contract.content.ContentPack`, its `files` listing every asset by SHA-256 and size.
# Assets are served at GET /api/v1/assets/{sha256}, with Range support.


# ---------------------------------------------------------------------------------------------
# Payloads by envelope kind. The server validates each envelope's payload with the model of its
# kind; a kind that is not listed here is rejected. Each resident flow adds its kind here.
# ---------------------------------------------------------------------------------------------

AnswerValue = str | int | bool | list[str]


class SurveyResponse(_Wire):
    """kind "survey_response": one resident's answers to one survey or quiz."""

    survey_id: str = Field(min_length=1)
    # question id -> option id, option ids, scale point 1-5, yes/no, or text.
    answers: dict[str, AnswerValue]


class ContestVote(_Wire):
    """kind "contest_vote": the entries a resident voted for in one contest."""

    contest_id: str = Field(min_length=1)
    entry_ids: list[str] = Field(min_length=1)


class ContestEntry(_Wire):
    """kind "contest_entry": an idea a resident submitted to a contest."""

    contest_id: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=2000)


class StaffCall(_Wire):
    """kind "staff_call": a resident pressed 직원 호출."""

    screen: str = Field(min_length=1)


class PlayCount(_Wire):
    """How often and how long one item was on screen within the hour."""

    item_id: str = Field(min_length=1)
    count: int = Field(ge=0)
    seconds: float = Field(ge=0, allow_inf_nan=False)


class PlayStats(_Wire):
    """kind "play_stats": proof of play, what a board or attract loop showed in one hour.

    Sent once per closed hour; `hour_start` (UTC, on the hour) names the hour.
    """

    hour_start: AwareDatetime
    mode: Literal["kiosk", "board"]
    items: list[PlayCount]


# The civic kinds (kiosk.domain.proposals, ballot, points). The resident's identity is never in
# their payload: it travels in the envelope's `sealed_identity`, sealed to the server's key.


class NewProposal(_Wire):
    """kind "proposal": a policy proposal a resident wrote at a kiosk."""

    title: str = Field(min_length=1, max_length=100)
    body: str = Field(min_length=1, max_length=2000)
    dong: str = Field(min_length=1)
    topic: str = Field(min_length=1)


class ProposalAgree(_Wire):
    """kind "proposal_agree": a resident agrees (공감) with a proposal; needs sealed_identity."""

    proposal_id: str = Field(min_length=1)


class BudgetBallot(_Wire):
    """kind "ballot": a resident's participatory-budget ballot in one dong; needs
    sealed_identity. The server counts a resident's first ballot of a vote, from anywhere."""

    vote_id: str = Field(min_length=1)
    ballot_id: str = Field(min_length=1)
    dong: str = Field(min_length=1)
    project_ids: list[str] = Field(min_length=1)


# What a budget proposal may hold (kiosk.domain.budget_proposal checks the same before it is sent).
BUDGET_PROPOSAL_TITLE_MAX = 40
BUDGET_PROPOSAL_PLACE_MAX = 60
BUDGET_PROPOSAL_WHY_MAX = 1000
# A rough cost is typed in 만원 (10,000 won) on the keypad: at most 99,999만원 (about 10억원).
BUDGET_PROPOSAL_COST_MAX_WON = 99_999 * 10_000


class BudgetProposal(_Wire):
    """kind "budget_proposal": a project a resident proposes for their dong during the budget's
    proposal window (주민 제안 접수); needs sealed_identity. Staff review it (채택 / 반려)."""

    vote_id: str = Field(min_length=1)
    dong: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=BUDGET_PROPOSAL_TITLE_MAX)
    place: str = Field(min_length=1, max_length=BUDGET_PROPOSAL_PLACE_MAX)
    why: str = Field(min_length=1, max_length=BUDGET_PROPOSAL_WHY_MAX)
    cost_won: int = Field(gt=0, le=BUDGET_PROPOSAL_COST_MAX_WON)


class PointsExchange(_Wire):
    """kind "points_exchange": points asked for local gift certificates; needs sealed_identity."""

    points: int = Field(gt=0)


class PointsDonation(_Wire):
    """kind "points_donation": points a resident gives away instead; needs sealed_identity."""

    points: int = Field(gt=0)


class LessonStepRecord(_Wire):
    """Residents at one step of one lesson during a coached session, summed over attempts."""

    lesson_id: str = Field(min_length=1)
    step_id: str = Field(min_length=1)
    attempts: int = Field(ge=1)
    seconds: float = Field(ge=0, allow_inf_nan=False, description="Time taken, all attempts")
    wrong_taps: int = Field(ge=0)


class LessonStageDone(_Wire):
    lesson_id: str = Field(min_length=1)
    stage: Literal["watch", "follow", "alone", "real"]


class CoachSession(_Wire):
    """kind "coach_session": one digital coach's session at a kiosk (kiosk.domain.coach); no
    resident identity, ever."""

    coach_code: str = Field(min_length=1, max_length=16)
    started_at: AwareDatetime
    ended_at: AwareDatetime
    ended_by: Literal["coach", "idle", "inactivity", "revoked"] = Field(
        description="Who or what ended it; 'revoked': the district revoked the coach meanwhile"
    )
    residents_taught: int = Field(ge=0)
    visits: int = Field(ge=0, description="Resident visits that ended during the session")
    practice_submissions: int = Field(ge=0)
    lessons_completed: list[LessonStageDone]
    steps: list[LessonStepRecord]


# ---------------------------------------------------------------------------------------------
# What a sealed identity is bound to (DESIGN.md "Trust"): the same rule on the kiosk and server
# ---------------------------------------------------------------------------------------------

# The version of the sealed plaintext: {v, phone, birth, binding}. Version 1 had no binding and
# is refused: its seal could be copied into any other act.
SEAL_FORMAT = 2
LEDGER_KIND = "points_ledger"
# Payload fields naming what an envelope is about; the other kinds are about themselves (a new
# proposal, an exchange, a donation: their own envelope id).
_SEAL_TARGET_FIELDS: dict[str, str] = {
    "proposal_agree": "proposal_id",
    "ballot": "vote_id",
    "survey_response": "survey_id",
    "contest_vote": "contest_id",
    "contest_entry": "contest_id",
}


class SealBinding(_Wire):
    """The one act a sealed identity may be used for, sealed beside the phone and birth date.

    For an envelope: its id, kind, target (seal_target) and created_at, and a digest of its
    payload; for a ledger look-up: the request's id and created_at, kind "points_ledger". The
    server refuses a seal whose binding is not exactly the act that carries it, so a seal
    copied into another envelope, another request or another amount opens nothing useful.
    """

    id: UUID = Field(description="The envelope id, or the ledger request id")
    kind: str = Field(min_length=1)
    target: str = Field(min_length=1, description="What the act is about (seal_target)")
    created_at: AwareDatetime
    payload_sha256: str | None = Field(
        default=None, description="payload_digest of the envelope's payload; None for a look-up"
    )

    @field_validator("created_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


def seal_target(kind: str, envelope_id: UUID | str, payload: dict[str, Any]) -> str:
    """What an envelope is about: the proposal for an agree, the vote for a ballot, the survey
    or contest; for every other kind the envelope itself."""
    field = _SEAL_TARGET_FIELDS.get(kind)
    if field is not None and field in payload:
        return str(payload[field])
    return str(envelope_id)


def payload_digest(payload: dict[str, Any]) -> str:
    """SHA-256 (hex) of the payload as canonical JSON, as both sides compute it."""
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def envelope_binding(
    envelope_id: UUID, kind: str, created_at: datetime, payload: dict[str, Any]
) -> SealBinding:
    return SealBinding(
        id=envelope_id,
        kind=kind,
        target=seal_target(kind, envelope_id, payload),
        created_at=created_at,
        payload_sha256=payload_digest(payload),
    )


def binding_of(envelope: Envelope) -> SealBinding:
    """The binding an envelope's seal must carry."""
    return envelope_binding(envelope.id, envelope.kind, envelope.created_at, envelope.payload)


def ledger_binding(request_id: UUID, created_at: datetime) -> SealBinding:
    """The binding of a ledger look-up's seal: that one request."""
    return SealBinding(
        id=request_id, kind=LEDGER_KIND, target=str(request_id), created_at=created_at
    )


# Kinds that mean nothing without the resident: an envelope of these kinds without
# `sealed_identity` cannot be counted once per resident.
IDENTIFIED_KINDS: frozenset[str] = frozenset(
    {"proposal_agree", "ballot", "points_exchange", "points_donation", "budget_proposal"}
)

PAYLOAD_MODELS: dict[str, type[BaseModel]] = {
    "survey_response": SurveyResponse,
    "contest_vote": ContestVote,
    "contest_entry": ContestEntry,
    "staff_call": StaffCall,
    "play_stats": PlayStats,
    "proposal": NewProposal,
    "proposal_agree": ProposalAgree,
    "ballot": BudgetBallot,
    "budget_proposal": BudgetProposal,
    "points_exchange": PointsExchange,
    "points_donation": PointsDonation,
    "coach_session": CoachSession,
}


# ---------------------------------------------------------------------------------------------
# Counts published back to kiosks: GET /api/v1/counts
# ---------------------------------------------------------------------------------------------


class ProposalCount(_Wire):
    """A proposal's agrees as the server knows them now."""

    proposal_id: str
    published: int = Field(
        ge=0, description="The newest pack's agree_count: agrees from outside this server"
    )
    counted: int = Field(ge=0, description="Agrees this server counted, one per resident")
    total: int = Field(ge=0, description="published + counted")
    threshold: int = Field(ge=1, description="The pack's proposal_threshold")
    reached: bool = Field(description="total >= threshold: the proposal is 정책 검토 대상")


class ProjectVotes(_Wire):
    """One line of a dong's ranking: equal votes share a rank (1, 2, 2, 4)."""

    project_id: str
    votes: int = Field(ge=0)
    rank: int | None = Field(
        default=None, ge=1, description="None for a vote or dong the newest pack no longer has"
    )


class DongResult(_Wire):
    """The counted ballots of one dong in a participatory-budget vote, highest votes first."""

    vote_id: str
    ballot_id: str | None = Field(description="The pack's ballot of this dong, if published")
    dong: str
    voters: int = Field(ge=0, description="Residents whose ballot counted (first per resident)")
    ranking: list[ProjectVotes]


class Counts(_Wire):
    """What the kiosks show beside the pack: agree counts now, and ballot results once closed."""

    server_time: AwareDatetime
    content_version: str | None = Field(description="The newest published pack these go with")
    proposals: list[ProposalCount]
    ballot_results: list[DongResult] = Field(
        description="Per dong, only for votes whose closes_at has passed"
    )


# ---------------------------------------------------------------------------------------------
# A resident's points: POST /api/v1/points/ledger (POST: the sealed identity stays out of URLs)
# ---------------------------------------------------------------------------------------------


class PointsLedgerRequest(_Wire):
    """One look-up, once: the seal is bound to `request_id` and `created_at` (ledger_binding);
    the server takes it only within minutes of its own clock and never twice."""

    request_id: UUID = Field(description="New for every look-up; a replay is refused")
    created_at: AwareDatetime = Field(
        description="When the look-up was made, by the device clock corrected by its known"
        " offset (the server's time as the device knows it)"
    )
    sealed_identity: str = Field(
        min_length=1,
        description="The resident's identity sealed to the server's public key, bound to this"
        " request",
    )

    @field_validator("created_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    def binding(self) -> SealBinding:
        return ledger_binding(self.request_id, self.created_at)


class PointsLedgerLine(_Wire):
    """One line of the history (kiosk.domain.points.HistoryEntry)."""

    activity_id: str = Field(description="The envelope id of the activity, exchange or donation")
    kind: str = Field(description="The envelope kind")
    points: int = Field(
        description="Earned (> 0), spent or donated (< 0); 0 for a duplicate. An exchange staff"
        " refused keeps the points it asked (< 0) with counted false: they were given back"
    )
    at: AwareDatetime = Field(description="When the server received it")
    counted: bool = Field(
        description="False for a duplicate resident's second agree or ballot, and for an"
        " exchange staff refused (반려: its points are the resident's again); the balance is"
        " the sum of the counted lines' points"
    )
    status: Literal["requested", "fulfilled", "refused"] | None = Field(
        default=None,
        description="An exchange's request: requested (신청, waiting for staff), fulfilled"
        " (지급 완료, certificates handed over) or refused (반려). Sent only on points_exchange"
        " lines (absent elsewhere, so a ledger without exchanges reads as before this field)",
    )


class PointsLedger(_Wire):
    balance: int
    history: list[PointsLedgerLine] = Field(description="Newest first")


# ---------------------------------------------------------------------------------------------
# App updates: GET /api/v1/updates/latest, GET /api/v1/updates/archives/{sha256}
# ---------------------------------------------------------------------------------------------


class UpdateOffer(_Wire):
    """A new app version the server offers: a .tar.gz of the one-folder build.

    The publisher signs (Ed25519) the canonical JSON of {format, version, sha256, size}
    (sync.updates.signed_bytes); the device checks it against the publisher key pinned in its
    configuration, then the archive's size and SHA-256, before unpacking anything.
    """

    version: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$",
        description="The app version; also the folder name it is installed under",
    )
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the archive, hex")
    size: int = Field(gt=0, description="The archive's size in bytes")
    signature: str = Field(
        pattern=r"^[A-Za-z0-9+/]{86}==$", description="Ed25519 signature, base64 of 64 bytes"
    )
    download: str = Field(description="Path of the archive on this server (Range supported)")
    published_at: AwareDatetime
