"""Proof of play (송출 기록): what each media board and each kiosk's attract loop showed, per item
and per day (Korean time), from the devices' hourly `play_stats` envelopes (contract.wire.
PlayStats): how many times an item started and how many seconds it was on screen.

Only counted envelopes are read (never practice, nor those held for staff). A day is the KST
date of the envelope's `hour_start`. Item names come from the newest pack (a promotion's or a
video's title); an item it no longer has shows by its id.

It is one query and one pass over the stored envelopes: an hour's envelope is made after the
hour ends, so envelopes made (server time) before the range began are skipped in the query;
the others are read once, their hours outside the range dropped. A year of hourly stats from 50
boards (438,000 envelopes) is read in seconds; the default week in under one
(bench/proof_of_play.py measures both).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select

from contract.content import ContentPack
from server.db import ServerDatabase
from server.db.models import Device, Submission
from server.report import devices_dongs

KIND: Final = "play_stats"
KST: Final = ZoneInfo("Asia/Seoul")
MODES: Final = {"board": "전광판", "kiosk": "키오스크 대기 화면"}
DEFAULT_DAYS: Final = 7
MAX_DAYS: Final = 366
# A device's clock may be off; an envelope's server time is corrected, but allow a day.
_SLACK: Final = timedelta(days=1)


@dataclass
class Tally:
    plays: int = 0
    seconds: float = 0.0

    def add(self, plays: int, seconds: float) -> None:
        self.plays += plays
        self.seconds += seconds


@dataclass(frozen=True)
class Line:
    """One board's plays of one item on one day."""

    device_id: str
    device_name: str
    mode: str
    day: date
    item_id: str
    item_name: str
    plays: int
    seconds: float


@dataclass
class BoardTotal:
    device_id: str
    device_name: str
    mode: str
    dong: str | None
    days: set[date] = field(default_factory=set)
    tally: Tally = field(default_factory=Tally)


@dataclass
class ItemTotal:
    item_id: str
    item_name: str
    boards: set[str] = field(default_factory=set)
    tally: Tally = field(default_factory=Tally)


@dataclass(frozen=True)
class PlayReport:
    first: date
    last: date
    lines: list[Line]
    boards: list[BoardTotal]
    items: list[ItemTotal]
    days: list[tuple[date, Tally]]
    unreadable: int

    @property
    def total(self) -> Tally:
        total = Tally()
        for b in self.boards:
            total.add(b.tally.plays, b.tally.seconds)
        return total


class BadRange(ValueError):
    """A date range that cannot be read; the message is for the page, in Korean."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


def parse_range(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """The dates of a form (YYYY-MM-DD, inclusive); the last 7 days up to `today` if blank."""
    try:
        end = date.fromisoformat(last) if last else today
    except ValueError:
        raise BadRange("to", "끝 날짜를 2026-12-31처럼 입력하세요.") from None
    try:
        start = date.fromisoformat(first) if first else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise BadRange("from", "시작 날짜를 2026-12-01처럼 입력하세요.") from None
    if start > end:
        raise BadRange("from", "시작 날짜가 끝 날짜보다 늦습니다.")
    if (end - start).days + 1 > MAX_DAYS:
        raise BadRange("from", f"한 번에 {MAX_DAYS}일까지 볼 수 있습니다. 기간을 줄이세요.")
    return start, end


def today_kst(now: datetime | None = None) -> date:
    return (now or datetime.now(KST)).astimezone(KST).date()


def item_names(pack: ContentPack | None) -> dict[str, str]:
    """Item id -> its Korean title: promotions and videos of the pack."""
    if pack is None:
        return {}
    names = {v.id: v.title.ko for v in pack.videos}
    names.update({p.id: p.title.ko for p in pack.promotions})
    return names


def plays(
    db: ServerDatabase,
    first: date,
    last: date,
    pack: ContentPack | None,
    visible: Callable[[str | None], bool] = lambda dong: True,
    device_id: str | None = None,
) -> PlayReport:
    """The plays from `first` to `last` (KST dates, inclusive) of the devices whose dong is
    `visible` (and only `device_id` if given)."""
    start = datetime.combine(first, datetime.min.time(), KST)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), KST)
    dongs = devices_dongs(db)
    names = item_names(pack)
    query = (
        select(Submission.device_id, Submission.body)
        .where(
            Submission.kind == KIND,
            Submission.counted.is_(True),
            Submission.practice.is_(False),
            Submission.created_at_server >= start - _SLACK,
        )
        .execution_options(stream_results=True, max_row_buffer=5000)
    )
    if device_id is not None:
        query = query.where(Submission.device_id == device_id)
    cells: dict[tuple[str, date, str], Tally] = defaultdict(Tally)
    unreadable = 0
    seen: dict[str, bool] = {}
    with db.read() as session:
        devices = {d.id: d for d in session.scalars(select(Device))}
        # Core rows, streamed: no ORM bookkeeping per envelope.
        for device, body in session.connection().execute(query):
            if device not in seen:
                seen[device] = visible(dongs.get(device))
            if not seen[device]:
                continue
            try:
                # The payload was checked against PlayStats when it was stored (server.ingest);
                # reading it by hand here is many times faster than validating it again.
                payload = json.loads(body)["payload"]
                began = datetime.fromisoformat(payload["hour_start"])
                counts = [
                    (i["item_id"], int(i["count"]), float(i["seconds"])) for i in payload["items"]
                ]
            except (ValueError, KeyError, TypeError):
                unreadable += 1
                continue
            if began.tzinfo is None:
                unreadable += 1
                continue
            if not start <= began < end:
                continue
            day = began.astimezone(KST).date()
            for item_id, count, seconds in counts:
                cells[device, day, item_id].add(count, seconds)
    lines: list[Line] = []
    boards: dict[str, BoardTotal] = {}
    items: dict[str, ItemTotal] = {}
    per_day: dict[date, Tally] = defaultdict(Tally)
    for (device, day, item_id), tally in cells.items():
        known = devices.get(device)
        name, mode = (known.name, known.mode) if known is not None else (device, "")
        item_name = names.get(item_id, item_id)
        lines.append(Line(device, name, mode, day, item_id, item_name, tally.plays, tally.seconds))
        board = boards.setdefault(device, BoardTotal(device, name, mode, dongs.get(device)))
        board.days.add(day)
        board.tally.add(tally.plays, tally.seconds)
        total = items.setdefault(item_id, ItemTotal(item_id, item_name))
        total.boards.add(device)
        total.tally.add(tally.plays, tally.seconds)
        per_day[day].add(tally.plays, tally.seconds)
    lines.sort(key=lambda x: (x.device_name, x.device_id, x.day, x.item_name, x.item_id))
    days = [
        (first + timedelta(days=i), per_day.get(first + timedelta(days=i), Tally()))
        for i in range((last - first).days + 1)
    ]
    return PlayReport(
        first=first,
        last=last,
        lines=lines,
        boards=sorted(boards.values(), key=lambda b: (b.device_name, b.device_id)),
        items=sorted(items.values(), key=lambda i: (-i.tally.plays, i.item_name)),
        days=days,
        unreadable=unreadable,
    )


CSV_HEADER: Final = [
    "기기",
    "기기 이름",
    "방식",
    "날짜",
    "항목",
    "항목 이름",
    "재생 횟수",
    "노출 시간(초)",
]


def to_csv(report: PlayReport) -> str:
    """A line per board, day and item."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for x in report.lines:
        writer.writerow(
            [
                x.device_id,
                x.device_name,
                MODES.get(x.mode, x.mode),
                x.day.isoformat(),
                x.item_id,
                x.item_name,
                x.plays,
                f"{x.seconds:.1f}",
            ]
        )
    return out.getvalue()
