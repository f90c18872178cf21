"""정책제안 가져오기: the proposals of an 온통중구 export (CSV or XLSX) put into the draft at once.

The file's first row names its columns (COLUMNS, in any order; the page lists them); each row
after it is one proposal, read into the pack's Proposal document and checked with the kiosk's
own models. A file with any problem is refused whole, each problem named by its row (as the
spreadsheet numbers it) and column; nothing of it is saved. A proposal whose id the draft has
already is replaced by the file's (the file is the newer export); server.drafts audits it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from contract.content import TOPIC_NAMES
from server import drafts
from server.console.base import (
    KST,
    PREFIX,
    Posted,
    action,
    actor_of,
    page,
    redirect,
    render,
    state_of,
)
from server.console.forms import HOME, current_draft, dong_choices, draft_id_of, item_url
from server.staff import SignedIn, allowed

router = APIRouter(prefix=PREFIX, include_in_schema=False)

PATH = "/content/draft/proposals/import"
MOST_BYTES = 5 * 1024 * 1024
MOST_ROWS = 2000
# Problems shown at most; the rest are counted.
MOST_SHOWN = 30


@dataclass(frozen=True)
class Column:
    name: str  # the header, as 온통중구 names it
    field: str  # the Proposal field it fills
    needed: bool
    how: str  # how to write it, for the page


COLUMNS = (
    Column(
        "제안번호",
        "id",
        True,
        "온통중구의 제안 번호. 숫자는 ontong-153처럼 id가 됩니다(영문 소문자·숫자·-·_도 됨). "
        "초안에 같은 번호가 있으면 그 제안을 파일의 값으로 바꿉니다.",
    ),
    Column("제목", "title", True, "제안 제목"),
    Column("내용", "body", True, "제안 내용"),
    Column("동", "dong", True, "동 이름(예: 신당동) 또는 id(예: sindang)"),
    Column("분야", "topic", True, ", ".join(t.ko for t in TOPIC_NAMES.values())),
    Column(
        "제안자",
        "author",
        False,
        "화면에 보이는 그대로(예: 신당동 주민). 실명은 쓰지 마세요. 비우면 '○○동 주민'",
    ),
    Column("작성일", "created_at", True, "2026-11-20 또는 2026-11-20 10:00 (한국 시각)"),
    Column("마감일", "deadline", True, "공감을 받는 마지막 날. 날짜만 쓰면 그날 23:59"),
    Column("상태", "status", False, "진행중 또는 철회. 비우면 진행중"),
    Column("공감수", "agree_count", False, "내보낸 때의 공감 수. 비우면 0"),
    Column("주소", "url", False, "온통중구의 제안 주소. 비우면 만들어 줌"),
    Column("구청답변", "district_answer", False, "구청의 답변. 없으면 비움"),
)
COLUMN_OF_FIELD = {c.field: c.name for c in COLUMNS}
STATUSES = {"진행중": "open", "공감 받는 중": "open", "open": "open"}
STATUSES |= {"철회": "withdrawn", "철회됨": "withdrawn", "withdrawn": "withdrawn"}
TOPICS = {name.ko: key for key, name in TOPIC_NAMES.items()} | {k: k for k in TOPIC_NAMES}
DATE_TIME = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?(?:[ T](\d{1,2}):(\d{2}))?")
UNREADABLE_CSV = "CSV 파일을 읽을 수 없습니다. 엑셀에서 'CSV UTF-8'로 다시 저장하세요."
UNREADABLE_XLSX = "엑셀 파일(.xlsx)을 열 수 없습니다. 파일이 망가졌거나 다른 형식입니다."
UNREADABLE_DATE = "날짜를 2026-12-24 또는 2026-12-24 09:00처럼 쓰세요."


class FileRefused(Exception):
    """The file cannot be read, or rows of it are wrong: `problems` in Korean, each naming its
    row and column."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            yield from csv.reader(io.StringIO(text, newline=""))
        except csv.Error:
            raise FileRefused([UNREADABLE_CSV]) from None
        return
    raise FileRefused(["CSV 파일의 글자를 읽을 수 없습니다. UTF-8 또는 엑셀의 CSV로 저장하세요."])


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    # openpyxl raises many kinds of error for a file that is not a workbook, or a broken one.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise FileRefused([UNREADABLE_XLSX]) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                row = next(rows, None)
            except Exception:
                raise FileRefused([UNREADABLE_XLSX]) from None
            if row is None:
                return
            yield list(row)
    finally:
        book.close()


def rows_of(filename: str, data: bytes) -> list[dict[str, Any]]:
    """The file's rows by column name (the first row names them), each with its row number
    as the spreadsheet shows it ("#"); FileRefused when it cannot be read."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        reader = _csv_rows(data)
    elif lower.endswith(".xlsx"):
        reader = _xlsx_rows(data)
    else:
        raise FileRefused(["CSV(.csv) 또는 엑셀(.xlsx) 파일을 고르세요."])
    header = [_text(v) for v in next(reader, [])]
    missing = [c.name for c in COLUMNS if c.needed and c.name not in header]
    if missing:
        names = ", ".join(f"'{n}'" for n in missing)
        raise FileRefused([f"1행(제목 줄)에 {names} 열이 없습니다. 아래 표의 열 이름을 쓰세요."])
    rows: list[dict[str, Any]] = []
    for number, values in enumerate(reader, start=2):
        if not any(_text(v) for v in values):
            continue
        if len(rows) == MOST_ROWS:
            raise FileRefused([f"한 번에 {MOST_ROWS:,}줄까지 가져올 수 있습니다. 파일을 나누세요."])
        row = {name: values[i] if i < len(values) else None for i, name in enumerate(header)}
        rows.append({**row, "#": number})
    if not rows:
        raise FileRefused(["2행부터 제안이 한 줄도 없습니다."])
    return rows


def _when(value: Any, end_of_day: bool) -> str:
    """A date or date and time of the file (KST) as the pack writes it; ValueError when it
    cannot be read."""
    if isinstance(value, datetime):
        when = value if value.tzinfo else value.replace(tzinfo=KST)
    elif isinstance(value, date):
        when = datetime.combine(value, time(23, 59) if end_of_day else time(0, 0), KST)
    else:
        found = DATE_TIME.match(_text(value))
        if found is None:
            raise ValueError(value)
        year, month, day, hour, minute = found.groups()
        clock = time(int(hour), int(minute)) if hour else time(23, 59) if end_of_day else time()
        when = datetime.combine(date(int(year), int(month), int(day)), clock, KST)
    if end_of_day and isinstance(value, datetime) and when.time() == time():
        when = when.replace(hour=23, minute=59)
    return when.astimezone(KST).isoformat()


def proposal_of(
    row: dict[str, Any], dongs: dict[str, str], draft: drafts.Draft
) -> tuple[dict[str, Any], dict[str, str]]:
    """The Proposal document of one row, and its problems by column name."""
    text = {c.name: _text(row.get(c.name)) for c in COLUMNS}
    problems = {c.name: f"{c.name}을(를) 쓰세요." for c in COLUMNS if c.needed and not text[c.name]}
    number = text["제안번호"]
    body: dict[str, Any] = {
        "id": f"ontong-{number}" if number.isdigit() else number,
        "title": {"ko": text["제목"]},
        "body": {"ko": text["내용"]},
        "dong": dongs.get(text["동"], text["동"]),
        "topic": TOPICS.get(text["분야"], text["분야"]),
        "status": STATUSES.get(text["상태"] or "진행중", text["상태"]),
    }
    if text["동"] and text["동"] not in dongs:
        problems["동"] = (
            f"알 수 없는 동 '{text['동']}'. 중구의 동 이름(예: 신당동)이나 id를 쓰세요."
        )
    names = {key: name for name, key in dongs.items() if name != key}
    body["author"] = text["제안자"] or (
        f"{names[body['dong']]} 주민" if body["dong"] in names else ""
    )
    for name, field, end in (("작성일", "created_at", False), ("마감일", "deadline", True)):
        try:
            body[field] = _when(row.get(name), end)
        except ValueError:
            problems.setdefault(name, UNREADABLE_DATE)
    agrees = text["공감수"].replace(",", "") or "0"
    body["agree_count"] = int(agrees) if agrees.lstrip("-").isdigit() else agrees
    body["url"] = item_url(text["주소"], draft, "proposal", body["id"])
    body["district_answer"] = text["구청답변"] or None
    return body, problems


def _column(path: str) -> str:
    field = path.split(".", 1)[0]
    return COLUMN_OF_FIELD.get(field, field or "행 전체")


def read_file(filename: str, data: bytes, draft: drafts.Draft) -> list[tuple[int, dict[str, Any]]]:
    """The proposals of the file with their row numbers; FileRefused with every problem found,
    by row and column."""
    rows = rows_of(filename, data)
    dongs = {key: key for key, _name in dong_choices(draft)}
    dongs |= {name: key for key, name in dong_choices(draft)}
    read: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for row in rows:
        body, found = proposal_of(row, dongs, draft)
        seen = first_row.setdefault(body["id"], row["#"])
        if seen != row["#"]:
            found.setdefault("제안번호", f"같은 제안번호가 {seen}행에도 있습니다.")
        problems += [f"{row['#']}행 '{column}' 열: {text}" for column, text in found.items()]
        read.append((row["#"], body))
    if problems:
        raise FileRefused(problems)
    return read


def _page(
    request: Request,
    signed_in: SignedIn,
    draft: drafts.Draft,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return render(
        request,
        "content_proposal_import.html",
        signed_in,
        status_code=status_code,
        title="정책제안 가져오기",
        draft=draft,
        columns=COLUMNS,
        most_rows=MOST_ROWS,
        can_edit=allowed(signed_in.staff, "content.edit"),
        **context,
    )


@router.get(PATH, response_class=HTMLResponse)
def import_page(
    request: Request, signed_in: Annotated[SignedIn, Depends(page("content.view"))]
) -> HTMLResponse:
    """The columns a file must have, and the upload (after one: how many were put in)."""
    done = {
        name: int(value)
        for name in ("added", "replaced")
        if (value := request.query_params.get(name, "")).isdigit()
    }
    return _page(request, signed_in, current_draft(request), done=done)


@router.post(PATH, response_class=HTMLResponse)
def import_proposals(
    request: Request, posted: Annotated[Posted, Depends(action("content.edit"))]
) -> Response:
    """Put the file's proposals into the draft, or show every problem of it (nothing saved)."""
    draft = current_draft(request)
    draft_id_of(posted, draft)
    upload = posted.form.get("sheet")
    if not isinstance(upload, UploadFile) or not upload.filename:
        problems = ["가져올 파일(.csv 또는 .xlsx)을 고르세요."]
        return _page(request, posted.signed_in, draft, 400, problems=problems)
    try:
        added, replaced = _put(request, posted, draft, upload)
    except FileRefused as e:
        return _page(
            request,
            posted.signed_in,
            draft,
            400,
            problems=e.problems[:MOST_SHOWN],
            more=max(0, len(e.problems) - MOST_SHOWN),
            filename=upload.filename,
        )
    except drafts.DraftRefused as e:
        return _page(request, posted.signed_in, draft, 409, problems=[e.message])
    return redirect(f"{HOME}/draft/proposals/import?added={added}&replaced={replaced}")


def _put(
    request: Request, posted: Posted, draft: drafts.Draft, upload: UploadFile
) -> tuple[int, int]:
    """How many proposals of the file were added and replaced; FileRefused naming each problem."""
    data = upload.file.read(MOST_BYTES + 1)
    if len(data) > MOST_BYTES:
        raise FileRefused(
            [f"파일이 {MOST_BYTES // 1024 // 1024} MB보다 큽니다. 나누어 가져오세요."]
        )
    read = read_file(upload.filename or "", data, draft)
    try:
        added, replaced = drafts.put_items(
            state_of(request).db,
            draft.id,
            "proposals",
            [body for _row, body in read],
            upload.filename or "",
            actor_of(request, posted.signed_in),
        )
    except drafts.ItemsRefused as e:
        raise FileRefused(
            [
                f"{read[n][0]}행 '{_column(path)}' 열: {text}"
                for n, found in e.problems.items()
                for path, text in found.items()
            ]
        ) from None
    return len(added), len(replaced)
