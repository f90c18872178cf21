"""보고서 on the real server process (SQLite, then PostgreSQL): the pledge (온통중구 활용 건수)
beside the response counts, proof of play from `play_stats` envelopes, coaching per coach from
`coach_session` envelopes, all sent through the real API; the page in the real browser as 보기;
the audited CSV export; a dong officer's figures; and the old GET /report giving nothing away.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium.webdriver.common.by import By

from tests.console.conftest import ADMIN, DONG, VIEWER, add_account, signed_in_session
from tests.console.test_browser import sign_in
from tests.server.civic import Kiosk, Resident, agree, ballot, new_proposal, publish_pack, survey
from tests.server.conftest import require_postgres
from tests.server.process import ServerProcess, postgres_database, start_server

KST = ZoneInfo("Asia/Seoul")
NOW = datetime.now(UTC)
YEAR = NOW.astimezone(KST).year
TODAY = NOW.astimezone(KST).date()
D1, D2, OUTSIDE = (TODAY - timedelta(days=n) for n in (1, 2, 8))
START_OF_YEAR = datetime(YEAR, 1, 1, 0, 1, tzinfo=KST)


def heartbeat(server: ServerProcess, kiosk: Kiosk, dong: str, mode: str) -> None:
    r = requests.post(
        f"{server.api}/devices/heartbeat",
        json={
            "app_version": "1.0",
            "content_version": None,
            "queue_depth": 0,
            "mode": mode,
            "uptime_s": 1.0,
            "dong": dong,
        },
        headers=kiosk.device.headers,
        timeout=10,
    )
    assert r.status_code == 200, r.text


def this_year_only(manifest: dict[str, Any]) -> None:
    """One survey and one contest, both opened this year (KST), plus a survey that opens next
    year (not run yet) and the vote open as publish_pack makes it."""
    opens = max(NOW - timedelta(days=30), START_OF_YEAR)
    first = dict(manifest["surveys"][0], opens_at=opens.isoformat())
    later = dict(
        first,
        id="next-year-survey",
        opens_at=datetime(YEAR + 1, 3, 1, tzinfo=KST).isoformat(),
        closes_at=datetime(YEAR + 1, 4, 1, tzinfo=KST).isoformat(),
    )
    manifest["surveys"] = [first, later]
    manifest["contests"] = [dict(manifest["contests"][0], opens_at=opens.isoformat())]


def hour(day: date, at: int) -> str:
    return datetime(day.year, day.month, day.day, at, tzinfo=KST).astimezone(UTC).isoformat()


def plays(day: date, at: int, mode: str, **items: tuple[int, float]) -> dict[str, Any]:
    return {
        "hour_start": hour(day, at),
        "mode": mode,
        "items": [
            {"item_id": item.replace("_", "-"), "count": n, "seconds": s}
            for item, (n, s) in items.items()
        ],
    }


def coached(
    code: str, minutes: float, taught: int, stages: list[tuple[str, str]], **steps: Any
) -> dict[str, Any]:
    ended = datetime.now(UTC) - timedelta(minutes=1)
    return {
        "coach_code": code,
        "started_at": (ended - timedelta(minutes=minutes)).isoformat(),
        "ended_at": ended.isoformat(),
        "ended_by": "coach",
        "residents_taught": taught,
        "visits": taught,
        "practice_submissions": 0,
        "lessons_completed": [{"lesson_id": x, "stage": s} for x, s in stages],
        "steps": [
            {"lesson_id": k.split("__")[0], "step_id": k.split("__")[1], **v}
            for k, v in steps.items()
        ],
    }


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def reported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """A server with staff, a pack, two kiosks and two boards in two dongs, and what they sent."""
    data_dir = tmp_path_factory.mktemp(f"reports-{request.param}")
    if request.param == "sqlite":
        server = start_server(data_dir)
        try:
            fill(server, data_dir)
            yield server
        finally:
            server.stop()
        return
    require_postgres()
    with postgres_database() as url:
        server = start_server(data_dir, url)
        try:
            fill(server, data_dir)
            yield server
        finally:
            server.stop()


def fill(server: ServerProcess, data_dir: Path) -> None:
    for account in (ADMIN, VIEWER, DONG):
        add_account(server, account, data_dir)
    # Published twice: a survey listed in two versions still ran once.
    publish_pack(server, data_dir / "pack-1", change=this_year_only)
    publish_pack(server, data_dir / "pack-2", change=this_year_only)
    kiosk, myeong_kiosk = Kiosk(server, "회현동 주민센터 1층"), Kiosk(server, "명동 주민센터")
    board = Kiosk(server, "회현동 주민센터 로비 전광판", mode="board")
    myeong_board = Kiosk(server, "명동 주민센터 전광판", mode="board")
    for device, dong, mode in (
        (kiosk, "hoehyeon", "kiosk"),
        (myeong_kiosk, "myeong", "kiosk"),
        (board, "hoehyeon", "board"),
        (myeong_board, "myeong", "board"),
    ):
        heartbeat(server, device, dong, mode)
    first, second = Resident(), Resident()
    results = kiosk.send(
        # 활용: two proposals; a practice one is never counted.
        kiosk.envelope("proposal", new_proposal("hoehyeon")),
        kiosk.envelope("proposal", new_proposal("sindang")),
        kiosk.envelope("proposal", new_proposal("hoehyeon"), practice=True),
        # 응답: a survey answered, an agree, a ballot; a practice answer is not counted.
        kiosk.envelope("survey_response", survey()),
        kiosk.envelope("survey_response", survey(), practice=True),
        kiosk.envelope("proposal_agree", agree("crosswalk-sindang"), first),
        kiosk.envelope("ballot", ballot("sogong", "sogong-benches"), second),
        # The attract loop of the kiosk: 7 plays on D2.
        kiosk.envelope("play_stats", plays(D2, 15, "kiosk", quiz_points=(7, 70.0))),
        kiosk.envelope(
            "coach_session",
            coached(
                "1001",
                20,
                2,
                [("survey", "watch"), ("survey", "follow")],
                survey__answer={"attempts": 3, "seconds": 30.0, "wrong_taps": 4},
            ),
        ),
        kiosk.envelope(
            "coach_session",
            coached(
                "1001",
                10,
                1,
                [("survey", "alone"), ("agree", "real")],
                agree__phone={"attempts": 2, "seconds": 12.0, "wrong_taps": 1},
            ),
        ),
    )
    results += myeong_kiosk.send(
        myeong_kiosk.envelope("coach_session", coached("7777", 15, 1, [("vote", "watch")])),
    )
    results += board.send(
        board.envelope("play_stats", plays(D1, 10, "board", welcome=(6, 60.0))),
        board.envelope(
            "play_stats", plays(D1, 11, "board", welcome=(4, 40.0), night_scout=(2, 20.0))
        ),  # fmt: skip
        board.envelope("play_stats", plays(D2, 9, "board", welcome=(3, 30.0))),
        board.envelope("play_stats", plays(OUTSIDE, 9, "board", welcome=(100, 1000.0))),
        board.envelope("play_stats", plays(D1, 13, "board", welcome=(50, 500.0)), practice=True),
    )
    results += myeong_board.send(
        myeong_board.envelope("play_stats", plays(D1, 12, "board", welcome=(5, 50.0))),
    )
    assert all(r["status"] == "accepted" for r in results), results


def figure(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert found is not None, element_id
    return found.group(1).strip()


def row(html: str, row_id: str) -> list[str]:
    """The text of each cell of the table row `row_id`, spaces collapsed."""
    found = re.search(rf'<tr id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', html, re.S)
    assert found is not None, row_id
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


# --- the pledge ---------------------------------------------------------------------------


def test_the_pledge_counts_a_survey_and_a_contest_run_and_two_proposals(
    reported: ServerProcess,
) -> None:
    page = signed_in_session(reported, VIEWER).get(
        f"{reported.url}/staff/reports", params={"year": YEAR}, timeout=30
    )

    assert page.status_code == 200
    html = page.text
    # 1 survey + 1 contest + 2 proposals + 0 budget proposals; not the practice proposal, not
    # the survey that opens next year, not the second listing of the survey.
    assert figure(html, "pledge-total") == "4"
    assert row(html, "pledge-proposals") == ["정책제안 접수", "2"]
    assert row(html, "pledge-surveys") == ["설문 운영 (퀴즈 포함)", "1"]
    assert row(html, "pledge-contests") == ["공모 운영", "1"]
    assert row(html, "pledge-budget_proposals") == ["주민참여예산 제안 접수", "0"]
    # The responses, beside it and not in it: one survey answer (not the practice one), one
    # agree, one ballot.
    assert figure(html, "responses-total") == "3"
    assert figure(html, "participation-total") == "5"  # the participation report: all kinds
    assert row(html, "response-survey_response") == ["설문 응답", "1"]
    assert row(html, "response-proposal_agree") == ["정책제안 공감", "1"]
    assert row(html, "response-ballot") == ["주민참여예산 투표", "1"]
    target = {2022: 300, 2023: 330, 2024: 370, 2025: 400, 2026: 430}.get(YEAR)
    if target is not None:
        assert figure(html, "pledge-target") == f"{target:,}"


def test_another_year_has_no_pledge_figure_of_this_one(reported: ServerProcess) -> None:
    html = (
        signed_in_session(reported, VIEWER)
        .get(f"{reported.url}/staff/reports", params={"year": YEAR - 1}, timeout=30)
        .text
    )

    assert figure(html, "pledge-total") == "0"
    assert figure(html, "responses-total") == "0"


def test_a_year_that_is_not_a_year_is_said_beside_the_selector(reported: ServerProcess) -> None:
    r = signed_in_session(reported, VIEWER).get(
        f"{reported.url}/staff/reports", params={"year": "20x6"}, timeout=30
    )

    assert r.status_code == 200
    assert "연도는 2026처럼 네 자리 숫자로 고르세요." in r.text


# --- proof of play ------------------------------------------------------------------------


def test_proof_of_play_adds_up_the_hours_of_each_day(reported: ServerProcess) -> None:
    html = signed_in_session(reported, VIEWER).get(f"{reported.url}/staff/reports").text

    # D1: the board's 6 + 4 + 2 and the 명동 board's 5; not the practice hour's 50.
    assert row(html, f"play-day-{D1}")[1:] == ["17", "2분"]
    assert 'data-seconds="170.0"' in html
    # D2: the board's 3 and the kiosk's attract loop 7; the 8-days-ago hour is outside.
    assert row(html, f"play-day-{D2}")[1:] == ["10", "1분"]
    assert figure(html, "play-total-plays") == "27"
    assert f"play-day-{OUTSIDE}" not in html
    assert "온통중구에 오신 것을 환영합니다" in html  # the item's name from the pack


def test_a_dong_officer_sees_their_dongs_boards_and_is_told_the_pledge_is_district_wide(
    reported: ServerProcess,
) -> None:
    html = signed_in_session(reported, DONG).get(f"{reported.url}/staff/reports").text

    assert row(html, f"play-day-{D1}")[1] == "12"
    assert row(html, f"play-day-{D2}")[1] == "10"
    assert "명동 주민센터 전광판" not in html
    assert "공약 확인지표는 구 전체 수치입니다" in html
    assert figure(html, "pledge-total") == "4"
    # Participation: the 회현동 proposal and the survey answered at the 회현동 kiosk; not the
    # 신당동 proposal, the agree with a 신당동 proposal or the 소공동 ballot.
    assert figure(html, "participation-total") == "2"
    # Coaching: only the 회현동 kiosk's sessions.
    assert figure(html, "coaching-sessions") == "2"
    assert 'id="coach-7777"' not in html


def test_the_play_csv_has_each_board_day_and_item_and_is_audited(
    reported: ServerProcess,
) -> None:
    viewer = signed_in_session(reported, VIEWER)
    since = {"from": (TODAY - timedelta(days=9)).isoformat(), "to": TODAY.isoformat()}

    r = viewer.get(f"{reported.url}/staff/reports/play.csv", params=since, timeout=30)

    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    mine = [x for x in lines if x["기기 이름"] == "회현동 주민센터 로비 전광판"]
    by_day = {(x["날짜"], x["항목"]): (x["재생 횟수"], x["노출 시간(초)"]) for x in mine}
    assert by_day[D1.isoformat(), "welcome"] == ("10", "100.0")
    assert by_day[D1.isoformat(), "night-scout"] == ("2", "20.0")
    assert by_day[OUTSIDE.isoformat(), "welcome"] == ("100", "1000.0")
    assert sum(int(x["재생 횟수"]) for x in lines) == 6 + 4 + 2 + 3 + 100 + 5 + 7
    events = signed_in_session(reported, ADMIN).get(f"{reported.url}/staff/audit.csv").text
    exports = [
        e for e in csv.DictReader(io.StringIO(events.lstrip("\ufeff")))
        if "report.play_export" in e.values()
    ]  # fmt: skip
    assert exports, events
    assert VIEWER.name in exports[-1].values()
    assert any(f"{since['from']} ~ {since['to']}" in v for v in exports[-1].values())


def test_a_date_range_that_cannot_be_read_is_said_beside_the_field(
    reported: ServerProcess,
) -> None:
    viewer = signed_in_session(reported, VIEWER)

    page = viewer.get(f"{reported.url}/staff/reports", params={"from": "어제"}, timeout=30)
    backwards = viewer.get(
        f"{reported.url}/staff/reports/play",
        params={"from": TODAY.isoformat(), "to": D2.isoformat()},
        timeout=30,
    )
    export = viewer.get(f"{reported.url}/staff/reports/play.csv", params={"to": "x"}, timeout=30)

    assert page.status_code == 200 and "시작 날짜를 2026-12-01처럼 입력하세요." in page.text
    assert 'id="play-from-error"' in page.text
    assert "시작 날짜가 끝 날짜보다 늦습니다." in backwards.text
    assert export.status_code == 400 and "끝 날짜를" in export.text


def test_the_play_detail_pages_lines_by_board_day_and_item(reported: ServerProcess) -> None:
    html = signed_in_session(reported, VIEWER).get(f"{reported.url}/staff/reports/play").text

    assert "송출 기록 자세히" in html
    # The board's D1 welcome and night-scout, its D2 welcome; 명동's D1; the kiosk's D2.
    assert html.count("<tr>") - 1 == 5


# --- coaching -----------------------------------------------------------------------------


def test_coaching_per_coach_and_the_struggle_steps(reported: ServerProcess) -> None:
    html = signed_in_session(reported, VIEWER).get(f"{reported.url}/staff/reports").text

    # 김코치 (1001, from the pack): 2 sessions, 3 residents, one lesson done per stage, 30 min.
    assert row(html, "coach-1001") == [
        "김코치 코치 번호 1001",
        "2",
        "3",
        "1",
        "1",
        "1",
        "1",
        "30분",
    ]
    # A code in no pack and no table shows as its code.
    assert row(html, "coach-7777")[0] == "코치 번호 7777 이름 없음 (코치 명단에 없는 번호)"
    struggles = html[html.index('id="struggles"') :]
    assert struggles.index("answer") < struggles.index("phone")


# --- the real browser, as 보기 --------------------------------------------------------------


def test_in_the_browser_a_viewer_sees_the_pledge_play_and_coaching(
    reported: ServerProcess, browser: Any
) -> None:
    sign_in(browser, reported, VIEWER, f"/staff/reports?year={YEAR}")

    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("보고서")
    pledge = browser.find_element(By.ID, "pledge-figure").text
    responses = browser.find_element(By.ID, "responses-figure").text
    assert "온통중구 활용 건수" in pledge and "공약 확인지표" in pledge
    assert browser.find_element(By.ID, "pledge-total").text == "4"
    assert "주민 응답 수" in responses and "활용 건수와 별개" in responses
    assert browser.find_element(By.ID, "responses-total").text == "3"
    day = browser.find_element(By.ID, f"play-day-{D1}").text
    assert "17" in day and "2분" in day
    assert "10" in browser.find_element(By.ID, f"play-day-{D2}").text
    coach = browser.find_element(By.ID, "coach-1001").text
    assert "김코치" in coach and "30분" in coach
    nav = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".nav a")]
    assert nav == ["처음", "보고서"]


def test_in_the_browser_the_old_report_address_asks_for_a_login(
    reported: ServerProcess, browser: Any
) -> None:
    for path in (f"/report?year={YEAR}", "/staff/reports"):
        browser.get(reported.url + path)
        assert "/staff/login" in browser.current_url, path
        assert "공약" not in browser.page_source and "참여 현황" not in browser.page_source


def test_anonymous_requests_get_no_report(reported: ServerProcess) -> None:
    old = requests.get(f"{reported.url}/report", allow_redirects=False, timeout=10)
    followed = requests.get(f"{reported.url}/report", params={"year": YEAR}, timeout=10)
    page = requests.get(f"{reported.url}/staff/reports", allow_redirects=False, timeout=10)
    export = requests.get(f"{reported.url}/staff/reports/play.csv", allow_redirects=False)

    assert (old.status_code, old.headers["location"]) == (303, "/staff/reports")
    # The login page, coming back to the year asked for once signed in.
    assert followed.url.endswith(f"/staff/login?next=/staff/reports%3Fyear%3D{YEAR}")
    assert "활용" not in followed.text and "참여 현황" not in followed.text
    assert page.status_code == 303 and page.headers["location"].startswith("/staff/login")
    assert export.status_code == 303 and "기기" not in export.text


# --- many rows ----------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    from server.db import open_database

    if request.param == "sqlite":
        db = open_database(str(tmp_path / "server.sqlite3"))
        yield db
        db.close()
        return
    require_postgres()
    with postgres_database() as url:
        db = open_database(url)
        yield db
        db.close()


def test_proof_of_play_reads_any_number_of_hours_in_the_same_few_queries(
    empty_database: Any,
) -> None:
    from bench.proof_of_play import ITEMS, fill, measure

    now = datetime.now(UTC)
    week = {TODAY - timedelta(days=n) for n in range(7)}

    def days_shown(days: int) -> int:
        first = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
        hours = (first + timedelta(hours=h) for h in range(days * 24))
        return len({h.astimezone(KST).date() for h in hours} & week)

    fill(empty_database, 2, 2, now, prefix="few")
    _, few, _ = measure(empty_database, 7, TODAY)
    fill(empty_database, 12, 30, now, prefix="many")

    took, many, lines = measure(empty_database, 7, TODAY)

    assert many == few <= 3  # no query per envelope, per board or per item
    assert lines == (2 * days_shown(2) + 12 * days_shown(30)) * len(ITEMS)
    assert took < 30


def test_a_coachs_name_comes_from_the_coaches_staff_manage(empty_database: Any) -> None:
    from contract.content import ContentPack
    from server import audit, coaches
    from server.coaching import coach_names
    from tests.server.civic import demo_manifest

    pack = ContentPack.model_validate(demo_manifest())
    before = coach_names(empty_database, pack)
    by = audit.Actor("김관리", "127.0.0.1")
    coaches.add(empty_database, "2002", "박코치", "482913", by)
    coaches.add(empty_database, "3003", "최코치", "582914", by)
    coaches.revoke(empty_database, "3003", by)

    after = coach_names(empty_database, pack)

    assert before == {"1001": "김코치", "1002": "이코치"}
    # A revoked coach keeps their name in the records of the sessions they gave.
    assert after == {"1001": "김코치", "1002": "이코치", "2002": "박코치", "3003": "최코치"}
