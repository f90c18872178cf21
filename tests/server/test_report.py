"""The staff participation report: ``python -m server report`` (CSV) and the console's 보고서 page
(HTML with inline SVG, behind a login) on the real server process, checked against the envelopes
the test sent; the old GET /report only sends the browser there."""

from __future__ import annotations

import csv
import io
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.console.conftest import ADMIN, VIEWER, add_account, signed_in_session
from tests.server.civic import Kiosk, Resident, agree, ballot, new_proposal, publish_pack, survey
from tests.server.process import ServerProcess, start_server

KST = ZoneInfo("Asia/Seoul")
YEAR = datetime.now(KST).year
TARGETS = {2022: 300, 2023: 330, 2024: 370, 2025: 400, 2026: 430}  # assets/demo
JAN = datetime(YEAR, 1, 15, 10, 0, tzinfo=KST).isoformat()
# 1 April in Korea, still 31 March in UTC: months are Korean time.
APR = datetime(YEAR, 4, 1, 8, 0, tzinfo=KST).isoformat()
LAST_YEAR = datetime(YEAR - 1, 12, 31, 23, 30, tzinfo=KST).isoformat()
BOARD_NAME = "명동 <로비> & 보드"
KINDS = [
    "정책제안",
    "설문 응답",
    "공모 응모",
    "공모 투표",
    "공감",
    "주민참여예산 투표",
    "주민참여예산 제안",
]


def whole_year(manifest: dict[str, Any]) -> None:
    """Every survey, contest and the vote open all year, so no envelope misses a deadline."""
    opens = datetime(YEAR, 1, 1, tzinfo=KST) - timedelta(days=1)
    closes = datetime(YEAR + 1, 1, 2, tzinfo=KST)
    for item in [*manifest["surveys"], *manifest["contests"], manifest["budget"]]:
        item["opens_at"], item["closes_at"] = opens.isoformat(), closes.isoformat()


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server that holds a known set of envelopes (figures in the tests). It is started with
    --report as old scripts do: the flag is still accepted and changes nothing."""
    data_dir = tmp_path_factory.mktemp("report")
    server = start_server(data_dir, None, "--report")
    add_account(server, VIEWER, data_dir)
    add_account(server, ADMIN, data_dir)
    publish_pack(server, tmp_path_factory.mktemp("packs"), change=whole_year)
    hoehyeon, sindang = Kiosk(server), Kiosk(server, "신당동 주민센터")
    board = Kiosk(server, BOARD_NAME, mode="board")
    # The 회현동 kiosk says where it stands (its heartbeat): its surveys and contest entries
    # are 회현동's. The board never said, so its survey has no dong.
    heartbeat = {"app_version": "1.0", "content_version": None, "queue_depth": 0}
    answer = requests.post(
        f"{server.api}/devices/heartbeat",
        json={**heartbeat, "mode": "kiosk", "uptime_s": 1.0, "dong": "hoehyeon"},
        headers=hoehyeon.device.headers,
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    first, second = Resident(), Resident()
    entry = {"contest_id": "2026-alley-photo", "title": "골목", "text": "사진"}
    vote = {"contest_id": "2026-alley-photo", "entry_ids": ["e1"]}
    results = hoehyeon.send(
        hoehyeon.envelope("proposal", new_proposal("hoehyeon"), created_at=JAN),
        hoehyeon.envelope("survey_response", survey(), created_at=JAN),
        hoehyeon.envelope("contest_entry", entry, created_at=JAN),
        hoehyeon.envelope("contest_vote", vote, created_at=JAN),
        hoehyeon.envelope("proposal_agree", agree("crosswalk-sindang"), first, created_at=APR),
        hoehyeon.envelope("ballot", ballot("sogong", "sogong-benches"), first, created_at=APR),
        # Never counted: practice, and a seal this server cannot open (rejected).
        hoehyeon.envelope("ballot", ballot("pil", "pil-benches"), second, practice=True),
        hoehyeon.envelope("proposal_agree", agree("benches-pil"), sealed_identity="garbage"),
        # Another year.
        hoehyeon.envelope("proposal", new_proposal("jungnim"), created_at=LAST_YEAR),
    )
    results += sindang.send(
        # The same resident's second agree: stored, not counted.
        sindang.envelope("proposal_agree", agree("crosswalk-sindang"), first, created_at=APR),
        sindang.envelope("proposal_agree", agree("busking-myeong"), second, created_at=APR),
    )
    results += board.send(board.envelope("survey_response", survey(), created_at=JAN))
    assert [r["status"] for r in results].count("rejected") == 1, results
    yield server
    server.stop()


def read_csv(text: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["구분", "항목", "기기", "방식", *KINDS, "합계", "적립 포인트"]
    return {(r["구분"], r["항목"]): r for r in rows}


def figures(row: dict[str, str]) -> list[int]:
    return [int(row[k]) for k in [*KINDS, "합계"]]


def test_the_csv_counts_what_was_counted_per_dong_channel_and_month(
    reported: ServerProcess, tmp_path: Path
) -> None:
    out = tmp_path / "참여현황.csv"

    said = reported.cli("report", "--year", str(YEAR), "--out", str(out)).stdout
    table = read_csv(out.read_text(encoding="utf-8-sig"))

    target = TARGETS.get(YEAR)
    assert said.strip().startswith(f"{YEAR}: 8 counted participations")
    #                                       제안 설문 응모 투표 공감 예산 예산제안 합계
    assert figures(table["동", "회현동"]) == [1, 1, 1, 1, 0, 0, 0, 4]
    assert figures(table["동", "신당동"]) == [0, 0, 0, 0, 1, 0, 0, 1]
    assert figures(table["동", "명동"]) == [0, 0, 0, 0, 1, 0, 0, 1]
    assert figures(table["동", "소공동"]) == [0, 0, 0, 0, 0, 1, 0, 1]
    assert figures(table["동", "필동"]) == [0, 0, 0, 0, 0, 0, 0, 0]
    assert figures(table["동", "동 정보 없음"]) == [0, 1, 0, 0, 0, 0, 0, 1]
    assert figures(table["채널", "회현동 주민센터 1층"]) == [1, 1, 1, 1, 1, 1, 0, 6]
    assert figures(table["채널", "신당동 주민센터"]) == [0, 0, 0, 0, 1, 0, 0, 1]
    board = table["채널", BOARD_NAME]
    assert figures(board) == [0, 1, 0, 0, 0, 0, 0, 1]
    assert board["방식"] == "미디어보드" and table["채널", "신당동 주민센터"]["방식"] == "키오스크"
    assert figures(table["월", f"{YEAR}-01"]) == [1, 2, 1, 1, 0, 0, 0, 5]
    assert figures(table["월", f"{YEAR}-03"]) == [0] * 8
    assert figures(table["월", f"{YEAR}-04"]) == [0, 0, 0, 0, 2, 1, 0, 3]
    assert figures(table["합계", f"{YEAR}년"]) == [1, 2, 1, 1, 2, 1, 0, 8]
    assert table["연간 목표", f"{YEAR}년"]["합계"] == ("" if target is None else str(target))
    assert_points(table)


# The demo pack's rules (assets/demo): an agree 100, a ballot (budget_vote) 1,000.
AGREE, BALLOT = 100, 1000


def assert_points(table: dict[tuple[str, str], dict[str, Any]]) -> None:
    """The points the ledger credited: the first resident's agree (신당동's crosswalk) and
    ballot (소공동), the second's agree (명동's busking), all in April; nothing for anonymous
    acts, practice, or the first resident's second agree (not counted)."""

    def points(section: str, label: str) -> int:
        return int(table[section, label]["적립 포인트"])

    assert points("합계", f"{YEAR}년") == 2 * AGREE + BALLOT
    assert points("동", "신당동") == AGREE and points("동", "명동") == AGREE
    assert points("동", "소공동") == BALLOT and points("동", "회현동") == 0
    assert points("채널", "회현동 주민센터 1층") == AGREE + BALLOT
    assert points("채널", "신당동 주민센터") == AGREE
    assert points("월", f"{YEAR}-04") == 2 * AGREE + BALLOT and points("월", f"{YEAR}-01") == 0


def test_the_consoles_exports_have_the_points_and_are_audited(reported: ServerProcess) -> None:
    """The page's 내려받기: the same table as CSV and as XLSX (figures as numbers), read back;
    each export is in the audit log."""
    from openpyxl import load_workbook

    viewer = signed_in_session(reported, VIEWER)
    page = viewer.get(f"{reported.url}/staff/reports", params={"year": YEAR}, timeout=30).text
    assert f'id="participation-points">{2 * AGREE + BALLOT:,}</strong>점' in page
    assert f'href="/staff/reports/participation.xlsx?year={YEAR}"' in page

    csv_export = viewer.get(
        f"{reported.url}/staff/reports/participation.csv", params={"year": YEAR}, timeout=30
    )
    assert csv_export.status_code == 200, csv_export.text
    assert csv_export.headers["content-type"].startswith("text/csv")
    assert_points(read_csv(csv_export.content.decode("utf-8-sig")))

    xlsx_export = viewer.get(
        f"{reported.url}/staff/reports/participation.xlsx", params={"year": YEAR}, timeout=30
    )
    assert xlsx_export.status_code == 200, xlsx_export.text
    sheet = load_workbook(io.BytesIO(xlsx_export.content), read_only=True).active
    header, *body = [list(r) for r in sheet.iter_rows(values_only=True)]
    rows = [dict(zip(header, r, strict=True)) for r in body]
    assert header == ["구분", "항목", "기기", "방식", *KINDS, "합계", "적립 포인트"]
    assert_points({(r["구분"], r["항목"]): r for r in rows})
    assert isinstance(rows[0]["적립 포인트"], int)  # a number in the sheet, not text

    refused = viewer.get(f"{reported.url}/staff/reports/participation.pdf", timeout=30)
    assert refused.status_code == 404
    audit = signed_in_session(reported, ADMIN).get(f"{reported.url}/staff/audit.csv").text
    exports = [line for line in audit.splitlines() if "report.participation_export" in line]
    assert len(exports) == 2 and all(VIEWER.name in line for line in exports)


def test_another_year_has_only_its_own_envelopes(reported: ServerProcess) -> None:
    table = read_csv(reported.cli("report", "--year", str(YEAR - 1)).stdout)

    assert figures(table["합계", f"{YEAR - 1}년"]) == [1, 0, 0, 0, 0, 0, 0, 1]
    assert figures(table["동", "중림동"])[-1] == 1
    assert figures(table["월", f"{YEAR - 1}-12"])[-1] == 1
    assert table["연간 목표", f"{YEAR - 1}년"]["합계"] == str(TARGETS.get(YEAR - 1, ""))


def test_a_year_that_is_not_a_year_is_refused(reported: ServerProcess) -> None:
    result = reported.cli("report", "--year", "26", check=False)

    assert result.returncode == 2
    assert "is not a year" in result.stderr


def test_the_console_page_has_the_figures_and_svg_charts_and_escapes_names(
    reported: ServerProcess,
) -> None:
    r = signed_in_session(reported, VIEWER).get(
        f"{reported.url}/staff/reports", params={"year": YEAR}, timeout=30
    )

    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert f"참여 현황 {YEAR}년" in page
    assert '참여 <strong id="participation-total">8</strong>건' in page
    target = TARGETS.get(YEAR)
    if target is not None:
        assert f"연간 참여 목표 {target:,}건의 <strong>{8 / target:.0%}</strong>" in page
        assert f"목표 {target:,}" in page
    # The pledge's bar, the year against its target, the months.
    assert page.count("<svg") == 3 and "월별 참여 건수" in page
    assert "<title>4월 3건</title>" in page and "<title>1월 5건</title>" in page
    assert "명동 &lt;로비&gt; &amp; 보드" in page and BOARD_NAME not in page
    assert "<td>미디어보드</td>" in page


def test_the_old_address_only_sends_the_browser_to_the_console(reported: ServerProcess) -> None:
    r = requests.get(
        f"{reported.url}/report", params={"year": YEAR}, allow_redirects=False, timeout=30
    )
    followed = requests.get(f"{reported.url}/report", timeout=30)

    assert r.status_code == 303
    assert r.headers["location"] == f"/staff/reports?year={YEAR}"
    assert "/staff/login" in followed.url
    assert "참여 현황" not in followed.text and "<svg" not in followed.text


def local_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route
        except OSError:
            return None
        address: str = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_a_client_on_another_machine_gets_the_login_page_too(tmp_path: Path) -> None:
    address = local_address()
    if address is None:
        pytest.skip("this machine has no address other than loopback")
    # A later --host wins over the 127.0.0.1 start_server passes: the request comes from there.
    running = start_server(tmp_path / "server", None, "--host", address)
    try:
        r = requests.get(f"{running.url}/report", timeout=30)
    finally:
        running.stop()

    assert r.status_code == 200 and "/staff/login" in r.url
    assert "참여 현황" not in r.text
