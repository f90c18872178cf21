"""The participation report for staff: what residents did in a year, per dong, per channel
(device) and per month, against the district's yearly target.

`participation(db, year)` computes the figures once; `to_csv` (``python -m server report``
and the console's CSV), `to_xlsx` and the console's 보고서 page (server.console.reports, with
`month_chart` and `target_chart`: inline SVG, no script) all render that one `Report`.
Nothing serves it without a login.

Beside the counts, each row has the points the residents' ledger credited for them
(`ResidentEntry.points` earned by those acts; what was spent is not participation).

What counts is what the server counted (`Submission.counted`): practice envelopes never are,
and of a resident's agrees with a proposal or ballots in a vote only the first is
(server.residents). Months and the year are Korean time. The dong of a proposal, budget
proposal or ballot is in its payload, an agree's is its proposal's in the newest pack; surveys
and contests name none, so theirs is the dong of the centre the device stands in, from its
last heartbeat. A dong officer's report (`dong=`) holds only what is of their dong.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select

from contract.content import ContentPack
from server.db import ServerDatabase
from server.db.models import Device, DeviceStatus, ResidentEntry, Submission
from server.residents import NewestPack

KST: Final = ZoneInfo("Asia/Seoul")
# The kinds that are participation, in the order the report shows them, with their labels.
KINDS: Final[dict[str, str]] = {
    "proposal": "정책제안",
    "survey_response": "설문 응답",
    "contest_entry": "공모 응모",
    "contest_vote": "공모 투표",
    "proposal_agree": "공감",
    "ballot": "주민참여예산 투표",
    "budget_proposal": "주민참여예산 제안",
}
MODES: Final[dict[str, str]] = {"kiosk": "키오스크", "board": "미디어보드"}
NO_DONG: Final = "동 정보 없음"


@dataclass
class Row:
    """Counted participation of one dong, channel or month, by kind."""

    label: str
    counts: Counter[str] = field(default_factory=Counter)
    device_id: str = ""
    mode: str = ""
    # Points the ledger credited for these acts (earned; never what was spent).
    points: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Report:
    year: int
    district: str
    content_version: str | None
    target: int | None
    dongs: list[Row]
    channels: list[Row]
    months: list[Row]
    total: Row

    @property
    def progress(self) -> float | None:
        """The year's participation as a share of its target (1.0 = reached)."""
        return self.total.total / self.target if self.target else None


def this_year() -> int:
    return datetime.now(KST).year


def participation(db: ServerDatabase, year: int, dong: str | None = None) -> Report:
    """The counted participation of `year` (KST); with `dong`, only what is of that dong (its
    channels and months too), without the district's target."""
    pack = NewestPack(db).get()
    start, end = datetime(year, 1, 1, tzinfo=KST), datetime(year + 1, 1, 1, tzinfo=KST)
    with db.read() as session:
        rows = session.execute(
            select(
                Submission.kind,
                Submission.created_at_server,
                Submission.body,
                Device,
                ResidentEntry.points,
            )
            .join(Device, Device.id == Submission.device_id)
            # The ledger's entry of an identified act (none for an anonymous one).
            .outerjoin(
                ResidentEntry,
                (ResidentEntry.device_id == Submission.device_id)
                & (ResidentEntry.envelope_id == Submission.id),
            )
            .where(
                # Practice is never counted, nor a resident's second agree or ballot.
                Submission.counted.is_(True),
                Submission.kind.in_(KINDS),
                Submission.created_at_server >= start,
                Submission.created_at_server < end,
            )
            .order_by(Submission.created_at_server)
        ).all()
    device_dongs = devices_dongs(db)
    dong_names = {d.id: d.name.ko for d in pack.district.dongs} if pack is not None else {}
    dongs: dict[str | None, Row] = {
        d: Row(name) for d, name in dong_names.items() if dong is None or d == dong
    }
    channels: dict[str, Row] = {}
    months = [Row(f"{year}-{m:02d}") for m in range(1, 13)]
    total = Row(f"{year}년")
    for kind, created, body, device, points in rows:
        earned = max(points or 0, 0)
        of = _dong_of(pack, kind, body, device_dongs.get(device.id))
        if dong is not None and of != dong:
            continue
        if of not in dongs:
            dongs[of] = Row(NO_DONG if of is None else dong_names.get(of, of))
        if device.id not in channels:
            channels[device.id] = Row(device.name, device_id=device.id, mode=device.mode)
        month = months[created.astimezone(KST).month - 1]
        for row in (dongs[of], channels[device.id], month, total):
            row.counts[kind] += 1
            row.points += earned
    return Report(
        year=year,
        district=pack.district.name.ko if pack is not None else "",
        content_version=pack.content_version if pack is not None else None,
        target=(
            pack.district.yearly_targets.get(str(year))
            if pack is not None and dong is None
            else None
        ),
        dongs=list(dongs.values()),
        channels=sorted(channels.values(), key=lambda r: (r.label, r.device_id)),
        months=months,
        total=total,
    )


def devices_dongs(db: ServerDatabase) -> dict[str, str | None]:
    """Device id -> the dong its last heartbeat names (None: it named none)."""
    with db.read() as session:
        statuses = session.execute(select(DeviceStatus.device_id, DeviceStatus.body)).all()
    return {device_id: _heartbeat_dong(body) for device_id, body in statuses}


def _heartbeat_dong(body: str) -> str | None:
    try:
        dong = json.loads(body).get("dong")
    except (ValueError, AttributeError):
        return None
    return dong if isinstance(dong, str) else None


def _dong_of(pack: ContentPack | None, kind: str, body: str, device_dong: str | None) -> str | None:
    if kind not in ("proposal", "ballot", "proposal_agree", "budget_proposal"):
        return device_dong
    payload = json.loads(body)["payload"]
    if kind == "proposal_agree":
        proposal = pack.proposal(payload["proposal_id"]) if pack is not None else None
        return proposal.dong if proposal is not None else None
    dong: str = payload["dong"]
    return dong


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------

POINTS_LABEL: Final = "적립 포인트"
CSV_HEADER: Final = ["구분", "항목", "기기", "방식", *KINDS.values(), "합계", POINTS_LABEL]


def table(report: Report) -> list[list[str | int]]:
    """The report as one table under CSV_HEADER: a line per dong, channel and month, the
    year's total and its target (the CSV and the XLSX export are this table)."""

    def line(section: str, row: Row) -> list[str | int]:
        counts = [row.counts[k] for k in KINDS]
        mode = MODES.get(row.mode, row.mode)
        return [section, row.label, row.device_id, mode, *counts, row.total, row.points]

    lines = [line("동", r) for r in report.dongs]
    lines += [line("채널", r) for r in report.channels]
    lines += [line("월", r) for r in report.months]
    lines.append(line("합계", report.total))
    target: str | int = "" if report.target is None else report.target
    lines.append(["연간 목표", f"{report.year}년", "", "", *[""] * len(KINDS), target, ""])
    return lines


def to_csv(report: Report) -> str:
    """The report's table as CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows([str(cell) for cell in line] for line in table(report))
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    """The report's table as an XLSX workbook (figures as numbers)."""
    from server.responses import xlsx_table

    title = f"{report.year}년 참여 현황"
    return xlsx_table(title, CSV_HEADER, [list(line) for line in table(report)], "참여 현황")


# ---------------------------------------------------------------------------------------------
# Charts: inline SVG for the console's page (no script; text is escaped)
# ---------------------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def month_chart(report: Report) -> str:
    """Bars of the counted participation per month, each with its figure."""
    width, height, left, bottom, top = 760, 300, 40, 40, 30
    peak = max([r.total for r in report.months] + [1])
    slot = (width - left) / 12
    bars = []
    for i, row in enumerate(report.months):
        h = (height - top - bottom) * row.total / peak
        x, y = left + i * slot + slot * 0.15, height - bottom - h
        bars.append(
            f"<rect x='{x:.1f}' y='{y:.1f}' width='{slot * 0.7:.1f}' height='{h:.1f}' "
            f"fill='#1d4e89'><title>{i + 1}월 {row.total:,}건</title></rect>"
            f"<text x='{x + slot * 0.35:.1f}' y='{y - 6:.1f}' text-anchor='middle'>"
            f"{row.total:,}</text>"
            f"<text x='{x + slot * 0.35:.1f}' y='{height - bottom + 22}' text-anchor='middle'>"
            f"{i + 1}월</text>"
        )
    axis = (
        f"<line x1='{left}' y1='{height - bottom}' x2='{width}' y2='{height - bottom}' "
        "stroke='#111' stroke-width='2'/>"
    )
    label = f"{report.year}년 월별 참여 건수"
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{_e(label)}'>"
        f"<title>{_e(label)}</title>{axis}{''.join(bars)}</svg>"
    )


def target_chart(report: Report) -> str:
    """The year's total as a bar against its target (a marked line)."""
    return bar_against_target(f"{report.year}년 참여", "참여", report.total.total, report.target)


def bar_against_target(title: str, word: str, value: int, target: int | None) -> str:
    """`value` as a bar against `target` (a marked line), each with its figure and `word`."""
    width, height, left = 760, 90, 10
    label = f"{title} {value:,}건" + (f", 목표 {target:,}건" if target else ", 목표 없음")
    scale = max(value, target or 0, 1)
    usable = width - 2 * left
    done = usable * value / scale
    parts = [
        f"<rect x='{left}' y='20' width='{usable}' height='36' fill='#e8e8e8' stroke='#555'/>",
        f"<rect x='{left}' y='20' width='{done:.1f}' height='36' fill='#1d4e89'/>",
        f"<text x='{left}' y='84'>{_e(word)} {value:,}</text>",
    ]
    if target:
        x = left + usable * target / scale
        parts.append(
            f"<line x1='{x:.1f}' y1='10' x2='{x:.1f}' y2='66' stroke='#111' stroke-width='4' "
            "stroke-dasharray='6 3'/>"
            f"<text x='{min(x, width - 80):.1f}' y='84'>목표 {target:,}</text>"
        )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{_e(label)}'>"
        f"<title>{_e(label)}</title>{''.join(parts)}</svg>"
    )
