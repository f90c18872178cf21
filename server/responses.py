"""참여 내용 for staff: what residents sent from the kiosks, read back for the district.

This module owns the rules and queries of the console's 참여 내용 pages:

- surveys and 정책퀴즈 (kind "survey_response"): the surveys of the newest published pack plus
  any other survey id seen in submissions, their response counts, per-question figures (option
  counts, the 1-5 scale, yes/no, the text answers) and the answers one row per response, a page
  at a time, and as CSV or XLSX (`export`, an audited staff action);
- contests: the entries residents wrote at kiosks ("contest_entry") and the votes per entry
  ("contest_vote") with the pack's entry titles;
- agrees and ballots as counts only, from `server.tallies` (not counted again here).

What is counted is what the server counted (`Submission.counted`): practice envelopes never are
(their number is given, labelled, apart), and an envelope held for staff (a device waiting for
approval, past its limits) is not until it is released. A response's dong is the dong the
device's last heartbeat names (as in server.fleet); a `Scope` says which devices a member of
staff may see (a dong officer: their own dong's). Nothing here reads or returns a seal, a
resident key or the seal's hash: the answers are read from the payload alone.

Exports never let a cell become a formula: a text starting with = + - @ (or a tab or carriage
return) is written to CSV behind an apostrophe, and to XLSX as a string cell marked as text.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, ColumnElement, String, cast, func, select
from sqlalchemy.sql import Select

from contract.content import (
    ContentPack,
    Contest,
    MultipleChoiceQuestion,
    ScaleQuestion,
    Survey,
    YesNoQuestion,
)
from contract.wire import DongResult, ProposalCount
from server import audit, tallies
from server.db import ServerDatabase
from server.db.models import Device, DeviceStatus, Submission

KST: Final = ZoneInfo("Asia/Seoul")
SURVEY_KIND: Final = "survey_response"
ENTRY_KIND: Final = "contest_entry"
VOTE_KIND: Final = "contest_vote"
ROWS_PER_PAGE: Final = 100
# Text answers listed under a text question's figure (the newest); all are in the table.
TEXTS_SHOWN: Final = 20
# The first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
EXPORT_ACTION: Final = "responses.export"
FIXED_COLUMNS: Final = ("받은 시각 (한국 시간)", "동", "기기")
NO_DONG: Final = "동 정보 없음"


# ---------------------------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The devices a member of staff may see the submissions of.

    Attributes:
        device_ids: those devices (all of them when `everything`).
        everything: every device, also one enrolled after this was made (no filter at all).
        may_see_dong: the same rule for a dong named in a payload (a ballot's, a proposal's).
        dongs: each device's dong as its last heartbeat names it (None: not named).
    """

    device_ids: frozenset[str]
    everything: bool
    may_see_dong: Callable[[str | None], bool]
    dongs: dict[str, str | None]

    def filter(self, query: Select[Any]) -> Select[Any]:
        if self.everything:
            return query
        return query.where(Submission.device_id.in_(sorted(self.device_ids)))


def scope(db: ServerDatabase, may_see_dong: Callable[[str | None], bool]) -> Scope:
    """Which devices' submissions someone may see who may see a dong's when `may_see_dong`."""
    with db.read() as session:
        devices = list(session.scalars(select(Device.id)))
        bodies = dict(
            session.execute(select(DeviceStatus.device_id, DeviceStatus.body)).tuples().all()
        )
    dongs = {d: _heartbeat_dong(bodies.get(d)) for d in devices}
    visible = frozenset(d for d, dong in dongs.items() if may_see_dong(dong))
    # Everyone who may see a dong nobody is responsible for may see them all.
    everything = may_see_dong(None) and len(visible) == len(dongs)
    return Scope(visible, everything, may_see_dong, dongs)


def _heartbeat_dong(body: str | None) -> str | None:
    try:
        dong = json.loads(body).get("dong") if body else None
    except (ValueError, AttributeError):
        return None
    return dong if isinstance(dong, str) else None


def _payload(db: ServerDatabase, name: str) -> ColumnElement[str]:
    """A field of the stored envelope's payload, read by the database (JSON text for an object),
    so the rows of one survey or contest are chosen and paged there."""
    if db.dialect == "postgresql":
        return func.json_extract_path_text(
            cast(Submission.body, JSON), "payload", name, type_=String
        )
    return func.json_extract(Submission.body, f"$.payload.{name}", type_=String)


def _counted(query: Select[Any]) -> Select[Any]:
    return query.where(Submission.counted.is_(True), Submission.practice.is_(False))


# ---------------------------------------------------------------------------------------------
# Counts per survey or contest
# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Of one survey or contest kind: counted, practice (never counted) and the rest (held)."""

    counted: int = 0
    practice: int = 0
    held: int = 0

    def add(self, practice: bool, counted: bool, n: int) -> None:
        if practice:
            self.practice += n
        elif counted:
            self.counted += n
        else:
            self.held += n


def _tallies(db: ServerDatabase, kind: str, name: str, where: Scope) -> dict[str, Tally]:
    target = _payload(db, name)
    query = where.filter(
        select(target, Submission.practice, Submission.counted, func.count())
        .where(Submission.kind == kind)
        .group_by(target, Submission.practice, Submission.counted)
    )
    found: dict[str, Tally] = {}
    with db.read() as session:
        for target_id, practice, counted, n in session.execute(query).tuples():
            if isinstance(target_id, str):
                found.setdefault(target_id, Tally()).add(practice, counted, n)
    return found


@dataclass(frozen=True)
class SurveySummary:
    """A survey or quiz as the list shows it; `survey` None for one the pack no longer has."""

    id: str
    survey: Survey | None
    tally: Tally

    @property
    def title(self) -> str:
        return self.survey.title.ko if self.survey is not None else self.id

    @property
    def kind_label(self) -> str:
        return "정책퀴즈" if self.survey is not None and self.survey.kind == "quiz" else "설문"


def surveys(db: ServerDatabase, pack: ContentPack | None, where: Scope) -> list[SurveySummary]:
    """The pack's surveys in its order, then any other survey id with responses, by id."""
    found = _tallies(db, SURVEY_KIND, "survey_id", where)
    in_pack = list(pack.surveys) if pack is not None else []
    listed = [SurveySummary(s.id, s, found.get(s.id, Tally())) for s in in_pack]
    others = sorted(set(found) - {s.id for s in in_pack})
    return listed + [SurveySummary(i, None, found[i]) for i in others]


def survey_summary(
    db: ServerDatabase, pack: ContentPack | None, survey_id: str, where: Scope
) -> SurveySummary | None:
    return next((s for s in surveys(db, pack, where) if s.id == survey_id), None)


# ---------------------------------------------------------------------------------------------
# One survey: columns, answers as words, figures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A question as a column: its id, its label (the prompt in Korean) and the question."""

    id: str
    label: str
    question: Any = None

    @property
    def type(self) -> str:
        return str(getattr(self.question, "type", "unknown"))


def columns(summary: SurveySummary, seen: Iterable[str] = ()) -> list[Column]:
    """The survey's questions in its order, then question ids only seen in answers."""
    cols = []
    if summary.survey is not None:
        cols = [Column(q.id, q.prompt.ko, q) for q in summary.survey.questions]
    known = {c.id for c in cols}
    return cols + [Column(q, q) for q in sorted(set(seen) - known)]


def _option_label(question: Any, value: Any) -> str:
    option = (
        question.option(value) if hasattr(question, "option") and isinstance(value, str) else None
    )
    return option.label.ko if option is not None else str(value)


def answer_text(column: Column, value: Any) -> str:
    """An answer as staff read it: option labels, "4 (만족)", 예/아니요, the text as written."""
    if value is None:
        return ""
    q = column.question
    if isinstance(value, bool):
        return "예" if value else "아니요"
    if isinstance(value, list):
        return ", ".join(_option_label(q, v) for v in value)
    if isinstance(q, ScaleQuestion) and isinstance(value, int) and 1 <= value <= len(q.labels):
        return f"{value} ({q.labels[value - 1].ko})"
    if isinstance(value, str):
        return _option_label(q, value)
    return str(value)


def export_value(column: Column, value: Any) -> str | int:
    """An answer in an export: a scale point as its number, anything else as `answer_text`."""
    if isinstance(column.question, ScaleQuestion) and type(value) is int:
        return value
    return answer_text(column, value)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    correct: bool = False


@dataclass
class Figure:
    """One question's figure: bars of counts (of `answered` responses), or its text answers."""

    column: Column
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    answered: int = 0
    multiple: bool = False

    @property
    def is_text(self) -> bool:
        return self.column.type in ("short_text", "long_text")

    @property
    def peak(self) -> int:
        return max([b.count for b in self.bars] + [1])


def _bars_of(column: Column, counts: Counter[str]) -> list[Bar]:
    q = column.question
    if isinstance(q, ScaleQuestion):
        keys = [(str(n), f"{n} {q.labels[n - 1].ko}") for n in range(1, len(q.labels) + 1)]
        correct: Any = None
    elif isinstance(q, YesNoQuestion):
        keys, correct = [("True", "예"), ("False", "아니요")], q.correct
        correct = None if correct is None else str(correct)
    elif q is not None and hasattr(q, "options"):
        keys = [(o.id, o.label.ko) for o in q.options]
        correct = getattr(q, "correct", None)
    else:
        keys, correct = [], None
    rights = set(correct) if isinstance(correct, list) else {correct}
    bars = [Bar(label, counts.pop(key, 0), key in rights) for key, label in keys]
    # Values the pack does not name (an option removed since), as they were sent.
    return bars + [Bar(key, n) for key, n in sorted(counts.items())]


@dataclass(frozen=True)
class SurveyDetail:
    summary: SurveySummary
    columns: list[Column]
    figures: list[Figure]


def survey_detail(
    db: ServerDatabase, pack: ContentPack | None, survey_id: str, where: Scope
) -> SurveyDetail | None:
    """The survey's counted responses added up per question (None: no such survey)."""
    summary = survey_summary(db, pack, survey_id, where)
    if summary is None:
        return None
    counts: dict[str, Counter[str]] = {}
    answered: Counter[str] = Counter()
    texts: dict[str, list[str]] = {}
    for answers in _answers(db, survey_id, where, newest_first=True):
        for qid, value in answers.items():
            answered[qid] += 1
            if isinstance(value, str) and _is_text_question(summary, qid):
                if len(texts.setdefault(qid, [])) < TEXTS_SHOWN:
                    texts[qid].append(value)
                continue
            values = value if isinstance(value, list) else [value]
            counts.setdefault(qid, Counter()).update(set(map(str, values)))
    cols = columns(summary, answered)
    figures = []
    for col in cols:
        figure = Figure(
            col,
            answered=answered[col.id],
            multiple=isinstance(col.question, MultipleChoiceQuestion),
        )
        if figure.is_text:
            figure.texts = texts.get(col.id, [])
        else:
            figure.bars = _bars_of(col, Counter(counts.get(col.id, Counter())))
        figures.append(figure)
    return SurveyDetail(summary, cols, figures)


def _is_text_question(summary: SurveySummary, qid: str) -> bool:
    q = summary.survey.question(qid) if summary.survey is not None else None
    return q is not None and q.type in ("short_text", "long_text")


def _survey_query(db: ServerDatabase, survey_id: str, where: Scope, *fields: Any) -> Select[Any]:
    return where.filter(
        _counted(
            select(*fields).where(
                Submission.kind == SURVEY_KIND, _payload(db, "survey_id") == survey_id
            )
        )
    )


def _answers(
    db: ServerDatabase, survey_id: str, where: Scope, newest_first: bool
) -> Iterator[dict[str, Any]]:
    query = _survey_query(db, survey_id, where, _payload(db, "answers"))
    order = Submission.received_at.desc() if newest_first else Submission.received_at
    with db.read() as session:
        texts = session.scalars(query.order_by(order)).all()
    for text in texts:
        value = json.loads(text) if text else {}
        if isinstance(value, dict):
            yield value


@dataclass(frozen=True)
class Response:
    """One counted response as a table row: when, where, and its answers by question id."""

    received_at: datetime
    dong: str | None
    device_name: str
    answers: dict[str, Any]


@dataclass(frozen=True)
class ResponsePage:
    rows: list[Response]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _rows(db: ServerDatabase, query: Select[Any], where: Scope) -> list[Response]:
    with db.read() as session:
        found = session.execute(query).tuples().all()
    rows = []
    for received_at, device_id, name, answers in found:
        value = json.loads(answers) if answers else {}
        rows.append(
            Response(
                received_at,
                where.dongs.get(device_id),
                name,
                value if isinstance(value, dict) else {},
            )
        )
    return rows


def _row_query(db: ServerDatabase, survey_id: str, where: Scope) -> Select[Any]:
    return _survey_query(
        db,
        survey_id,
        where,
        Submission.received_at,
        Submission.device_id,
        Device.name,
        _payload(db, "answers"),
    ).join(Device, Device.id == Submission.device_id)


def response_page(
    db: ServerDatabase,
    survey_id: str,
    where: Scope,
    page: int = 1,
    per_page: int = ROWS_PER_PAGE,
    total: int | None = None,
) -> ResponsePage:
    """The counted responses, newest first, `per_page` to a page (a page past the end: the
    last); `total`, when the caller has it (`SurveySummary.tally.counted`), is not counted
    again."""
    if total is None:
        with db.read() as session:
            total = session.scalar(_survey_query(db, survey_id, where, func.count())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    query = (
        _row_query(db, survey_id, where)
        .order_by(Submission.received_at.desc(), Submission.device_id, Submission.device_seq.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return ResponsePage(_rows(db, query, where), total, page, pages, per_page)


# ---------------------------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """A survey's answers as a file: its name, media type and bytes, and how many rows."""

    filename: str
    media_type: str
    content: bytes
    rows: int


def kst(value: datetime) -> datetime:
    return value.astimezone(KST)


def _table(
    db: ServerDatabase, detail: SurveyDetail, where: Scope, dong_names: dict[str, str]
) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of an export, oldest first: the page's table, every row."""
    query = _row_query(db, detail.summary.id, where).order_by(
        Submission.received_at, Submission.device_id, Submission.device_seq
    )
    header = [*FIXED_COLUMNS, *(c.label for c in detail.columns)]
    body: list[list[Any]] = []
    for r in _rows(db, query, where):
        dong = dong_names.get(r.dong, r.dong) if r.dong else NO_DONG
        answers = [export_value(c, r.answers.get(c.id)) for c in detail.columns]
        body.append([kst(r.received_at).replace(tzinfo=None), dong, r.device_name, *answers])
    return header, body


def formula_safe(value: str) -> str:
    """Text a spreadsheet will not run: behind an apostrophe when it starts like a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv(header: list[str], body: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # A question's label is a sent question id when the pack has no such survey: safe too.
    writer.writerow([formula_safe(h) for h in header])
    for row in body:
        writer.writerow(
            [
                v.strftime("%Y-%m-%d %H:%M:%S")
                if isinstance(v, datetime)
                else formula_safe(v)
                if isinstance(v, str)
                else v
                for v in row
            ]
        )
    # With a BOM: a spreadsheet on Korean Windows opens it as UTF-8 (as audit.csv).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_table(
    title: str, header: list[str], body: list[list[Any]], sheet_name: str = "응답"
) -> bytes:
    """One sheet of `header` over `body`, titled `title` (the survey's answers, the
    participation report): text that looks like a formula stays text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.freeze_panes = "A2"
    for i, width in enumerate([20, 12, 28] + [24] * (len(header) - 3)):
        sheet.column_dimensions[_column_letter(i)].width = width

    def cell(value: Any, bold: bool = False) -> Any:
        if isinstance(value, str) and value.startswith(FORMULA_STARTS) or bold:
            made = WriteOnlyCell(sheet, value=value)
            # Text stays text: a string cell, never a formula, also once edited.
            made.data_type = "s"
            made.quotePrefix = True
            made.font = Font(bold=bold)
            return made
        return value  # a plain string, number or time: openpyxl writes it as such

    sheet.append([cell(h, bold=True) for h in header])
    for row in body:
        sheet.append([cell(v) for v in row])
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


FORMATS: Final = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export(
    db: ServerDatabase,
    detail: SurveyDetail,
    where: Scope,
    dong_names: dict[str, str],
    fmt: str,
    by: audit.Actor,
    now: datetime | None = None,
) -> Export:
    """The survey's counted answers as CSV or XLSX; the export is in the audit log (the survey,
    the format and the number of rows: never an answer)."""
    if fmt not in FORMATS:
        raise ValueError(f"no export format {fmt!r}")
    now = now or datetime.now(UTC)
    header, body = _table(db, detail, where, dong_names)
    title = f"{detail.summary.title} 응답"
    content = _csv(header, body) if fmt == "csv" else xlsx_table(title, header, body)
    with db.write() as session:
        audit.record(
            session,
            by,
            EXPORT_ACTION,
            target=f"survey:{detail.summary.id}",
            after={"survey_id": detail.summary.id, "format": fmt, "count": len(body)},
            now=now,
        )
    stamp = kst(now).strftime("%Y%m%d-%H%M")
    return Export(
        f"ontong-survey-{detail.summary.id}-{stamp}.{fmt}", FORMATS[fmt], content, len(body)
    )


# ---------------------------------------------------------------------------------------------
# Contests
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContestSummary:
    id: str
    contest: Contest | None
    entries: Tally
    votes: Tally

    @property
    def title(self) -> str:
        return self.contest.title.ko if self.contest is not None else self.id


def contests(db: ServerDatabase, pack: ContentPack | None, where: Scope) -> list[ContestSummary]:
    """The pack's contests in its order, then any other contest id with entries or votes."""
    entries = _tallies(db, ENTRY_KIND, "contest_id", where)
    votes = _tallies(db, VOTE_KIND, "contest_id", where)
    in_pack = list(pack.contests) if pack is not None else []
    others = sorted((set(entries) | set(votes)) - {c.id for c in in_pack})
    return [
        ContestSummary(c.id, c, entries.get(c.id, Tally()), votes.get(c.id, Tally()))
        for c in in_pack
    ] + [ContestSummary(i, None, entries.get(i, Tally()), votes.get(i, Tally())) for i in others]


@dataclass(frozen=True)
class EntryRow:
    """An idea a resident sent to a contest at a kiosk."""

    received_at: datetime
    dong: str | None
    device_name: str
    title: str
    text: str


@dataclass(frozen=True)
class EntryVotes:
    """An entry's counted votes; as a bar of the figure (`label`, `count`)."""

    entry_id: str
    title: str
    votes: int
    correct: bool = False

    @property
    def label(self) -> str:
        return self.title

    @property
    def count(self) -> int:
        return self.votes


@dataclass(frozen=True)
class ContestDetail:
    summary: ContestSummary
    votes: list[EntryVotes]
    entries: list[EntryRow]
    total: int
    page: int
    pages: int
    per_page: int

    @property
    def peak(self) -> int:
        return max([v.votes for v in self.votes] + [1])


def contest_detail(
    db: ServerDatabase,
    pack: ContentPack | None,
    contest_id: str,
    where: Scope,
    page: int = 1,
    per_page: int = ROWS_PER_PAGE,
) -> ContestDetail | None:
    """The contest's counted votes per entry and its counted entries, newest first, paged."""
    summary = next((c for c in contests(db, pack, where) if c.id == contest_id), None)
    if summary is None:
        return None
    target = _payload(db, "contest_id")
    votes_q = where.filter(
        _counted(
            select(_payload(db, "entry_ids")).where(
                Submission.kind == VOTE_KIND, target == contest_id
            )
        )
    )
    entries_q = where.filter(
        _counted(
            select(Submission.received_at, Submission.device_id, Device.name, Submission.body)
            .join(Device, Device.id == Submission.device_id)
            .where(Submission.kind == ENTRY_KIND, target == contest_id)
        )
    )
    with db.read() as session:
        voted: Counter[str] = Counter()
        for text in session.scalars(votes_q):
            ids = json.loads(text) if text else []
            voted.update({str(i) for i in ids} if isinstance(ids, list) else set())
        total = (
            session.scalar(entries_q.with_only_columns(func.count(), maintain_column_froms=True))
            or 0
        )
        pages = max(1, -(-total // per_page))
        page = min(max(1, page), pages)
        found = (
            session.execute(
                entries_q.order_by(Submission.received_at.desc(), Submission.device_id)
                .limit(per_page)
                .offset((page - 1) * per_page)
            )
            .tuples()
            .all()
        )
    titles = {e.id: e.title.ko for e in summary.contest.entries} if summary.contest else {}
    lines = [EntryVotes(i, t, voted.pop(i, 0)) for i, t in titles.items()]
    lines += [EntryVotes(i, i, n) for i, n in sorted(voted.items())]
    entries = []
    for received_at, device_id, name, body in found:
        # Only the payload's title and text: nothing else of the stored envelope.
        payload = json.loads(body).get("payload", {})
        entries.append(
            EntryRow(
                received_at,
                where.dongs.get(device_id),
                name,
                str(payload.get("title", "")),
                str(payload.get("text", "")),
            )
        )
    return ContestDetail(summary, lines, entries, total, page, pages, per_page)


# ---------------------------------------------------------------------------------------------
# Agrees and ballots: counts only (server.tallies)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreeLine:
    count: ProposalCount
    title: str
    dong: str | None


@dataclass(frozen=True)
class BallotLine:
    result: DongResult
    projects: list[tuple[str, int, int | None]]  # title, votes, rank


@dataclass(frozen=True)
class Counts:
    agrees: list[AgreeLine]
    ballots: list[BallotLine]
    vote_title: str | None


def counts(db: ServerDatabase, pack: ContentPack | None, where: Scope) -> Counts:
    """Counted agrees per proposal and counted ballots per vote and dong (server.tallies), of
    the proposals and ballots of dongs `where` may see."""
    agrees = []
    for c in tallies.proposal_counts(db, pack):
        proposal = pack.proposal(c.proposal_id) if pack is not None else None
        dong = proposal.dong if proposal is not None else None
        if where.may_see_dong(dong):
            title = proposal.title.ko if proposal is not None else c.proposal_id
            agrees.append(AgreeLine(c, title, dong))
    vote = pack.budget if pack is not None else None
    ballots = []
    for result in tallies.dong_results(db, pack):
        if not where.may_see_dong(result.dong):
            continue
        ballot = (
            vote.ballot_for(result.dong) if vote is not None and vote.id == result.vote_id else None
        )
        names = {p.id: p.title.ko for p in ballot.projects} if ballot is not None else {}
        ballots.append(
            BallotLine(
                result,
                [(names.get(p.project_id, p.project_id), p.votes, p.rank) for p in result.ranking],
            )
        )
    return Counts(agrees, ballots, vote.title.ko if vote is not None else None)


def dong_label(dong_names: dict[str, str], dong: str | None) -> str:
    return dong_names.get(dong, dong) if dong else NO_DONG


def per_page_numbers(page: int, pages: int, around: int = 2) -> Sequence[int]:
    """The page numbers a pager shows: the first, the last and those around `page`."""
    shown = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    return sorted(shown)
