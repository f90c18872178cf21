"""포인트 on the console (server.exchanges, server.console.points) through the real server process
on SQLite and PostgreSQL: a resident's exchange made at a kiosk becomes a request in the queue,
staff hand over certificates (지급 완료) or refuse (반려, the points go back: the balance, the
kiosk's ledger answer and the next exchange agree), the counter look-up shows the resident's
ledger with each exchange's status, and nothing of the resident is in a page, URL, log line or
audit event. Look-ups are limited, even across a restart; the queue is scoped to the dong.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium.webdriver.common.by import By
from sqlalchemy import Engine, text

from server.db import HEAD_REVISION, make_engine, upgrade
from tests.console.conftest import (
    ADMIN,
    DONG,
    VIEWER,
    Account,
    add_account,
    csrf_of,
    page_errors,
    signed_in_session,
)
from tests.console.test_browser import heartbeat, sign_in, wait_for_next_page
from tests.server.civic import Kiosk, Resident, new_proposal, publish_pack
from tests.server.conftest import require_postgres
from tests.server.process import ServerProcess, postgres_database, start_server

# 동 담당 of 명동: the 회현동 kiosk's requests are not theirs.
MYEONG = Account("정명동", "myeong-pass-1234", "dong")
PROPOSAL_POINTS = 2_000
EXCHANGE = 10_000


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def points_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerProcess]:
    """The server (SQLite, then PostgreSQL: tests.server.conftest.any_server's way) with the
    demo pack and the console's accounts."""
    tmp = tmp_path_factory.mktemp(f"points-{request.param}")
    with ExitStack() as stack:
        url = None
        if request.param == "postgresql":
            require_postgres()
            url = stack.enter_context(postgres_database())
        server = start_server(tmp / "server", url)
        stack.callback(server.stop)
        publish_pack(server, tmp)
        for account in (ADMIN, VIEWER, DONG):
            add_account(server, account, tmp)
        server.cli(
            "staff", "add", MYEONG.name, "--role", "dong", "--dong", "myeongdong",
            "--password-file", _password_file(tmp, MYEONG),
        )  # fmt: skip
        yield server


def _password_file(tmp: Path, account: Account) -> str:
    path = tmp / f"pw-{account.name}"
    path.write_text(account.password + "\n", encoding="utf-8")
    return str(path)


def hoehyeon_kiosk(server: ServerProcess) -> Kiosk:
    kiosk = Kiosk(server, name=f"회현동 주민센터 키오스크 {uuid.uuid4().hex[:4]}")
    heartbeat(server, kiosk.device.headers, dong="hoehyeon")
    return kiosk


def rich_resident(kiosk: Kiosk, points: int) -> Resident:
    """A resident who earned `points` (a multiple of a proposal's 2,000) at `kiosk`."""
    resident = Resident(birth=date(1952, 8, 23))
    items = [
        kiosk.envelope("proposal", new_proposal(), resident)
        for _ in range(points // PROPOSAL_POINTS)
    ]
    for start in range(0, len(items), 200):  # a batch carries at most 200
        results = kiosk.send(*items[start : start + 200])
        assert {r["status"] for r in results} == {"accepted"}
    return resident


def exchange(kiosk: Kiosk, resident: Resident, points: int = EXCHANGE) -> dict[str, Any]:
    return kiosk.send_one("points_exchange", {"points": points}, resident)


def queue_ids(page: str) -> list[int]:
    return [int(part.split('"', 1)[0]) for part in page.split('id="exchange-')[1:]]


def request_of(http: requests.Session, server: ServerProcess, device_id: str) -> int | None:
    """The id of the request from `device_id` waiting in `http`'s queue, on whichever page."""
    for number in range(1, 100):
        page = http.get(f"{server.url}/staff/points?page={number}", timeout=10).text
        for part in page.split('id="exchange-')[1:]:
            found, rest = part.split('"', 1)
            if rest.startswith(f' data-device="{device_id}"'):
                return int(found)
        if f"page={number + 1}#queue" not in page:
            return None
    return None


def birth_text(resident: Resident) -> str:
    return resident.birth.strftime("%Y%m%d")


def audit_csv(server: ServerProcess) -> str:
    http = signed_in_session(server, ADMIN)
    r = http.get(f"{server.url}/staff/audit.csv", timeout=10)
    assert r.status_code == 200
    return r.text


def assert_nothing_of(resident: Resident, *texts: str) -> None:
    for clear in resident.clear_forms:
        for t in texts:
            assert clear not in t.encode("utf-8"), clear


def exchange_lines(ledger: dict[str, Any]) -> list[tuple[int, bool, str | None]]:
    return [
        (h["points"], h["counted"], h.get("status"))
        for h in ledger["history"]
        if h["kind"] == "points_exchange"
    ]


def test_an_exchange_is_handed_over_or_refused_and_the_counter_shows_it(
    points_server: ServerProcess, browser: Any
) -> None:
    server = points_server
    kiosk = hoehyeon_kiosk(server)
    resident = rich_resident(kiosk, 2 * EXCHANGE)
    first, second = exchange(kiosk, resident), exchange(kiosk, resident)
    assert (first["status"], second["status"]) == ("accepted", "accepted")
    assert kiosk.ledger(resident)["balance"] == 0

    sign_in(browser, server, DONG, "/staff/points")
    page = browser.page_source
    mine = [i for i in queue_ids(page) if _device_of(browser, i) == kiosk.device.device_id]
    assert len(mine) == 2, page
    handed, refused = mine  # oldest first
    row = browser.find_element(By.ID, f"exchange-{handed}")
    assert "10,000" in row.text and "회현동 주민센터 키오스크" in row.text

    # 지급 완료 with the certificate's number.
    browser.find_element(By.ID, f"certificate-{handed}").send_keys("JG-2026-000123")
    button = browser.find_element(By.ID, f"fulfil-{handed}")
    button.click()
    wait_for_next_page(browser, button)
    assert handed not in queue_ids(browser.page_source)
    assert "JG-2026-000123" in browser.find_element(By.ID, f"done-{handed}").text

    # The counter look-up: the exchange handed over, the other still asked for.
    lines = _look_up(browser, resident)
    assert browser.find_element(By.ID, "ledger-balance").text == "0"
    statuses = [line for line in lines if "교환 신청" in line]
    assert len(statuses) == 2, lines
    assert "신청" in statuses[0] and "지급을 기다리는 중" in statuses[0]
    assert "지급 완료" in statuses[1] and "JG-2026-000123" in statuses[1]
    assert sum("정책 제안" in line and "+2,000" in line for line in lines) == 10
    assert_nothing_of(resident, browser.page_source, browser.current_url)

    # 반려 gives the points back.
    browser.find_element(By.ID, f"reason-{refused}").send_keys("주민이 신청을 취소함")
    button = browser.find_element(By.ID, f"refuse-{refused}")
    button.click()
    wait_for_next_page(browser, button)
    assert "주민이 신청을 취소함" in browser.find_element(By.ID, f"done-{refused}").text
    lines = _look_up(browser, resident)
    assert browser.find_element(By.ID, "ledger-balance").text == "10,000"
    assert "반려" in lines[0] and "주민이 신청을 취소함" in lines[0] and "돌려줌" in lines[0]
    assert page_errors(browser) == []

    # The kiosk's ledger answer agrees, and the points can be spent again.
    ledger = kiosk.ledger(resident)
    assert ledger["balance"] == EXCHANGE
    assert exchange_lines(ledger) == [(-EXCHANGE, False, "refused"), (-EXCHANGE, True, "fulfilled")]
    assert all("status" not in h for h in ledger["history"] if h["kind"] != "points_exchange")
    assert exchange(kiosk, resident, EXCHANGE + 1)["status"] == "rejected"
    assert exchange(kiosk, resident)["status"] == "accepted"
    assert exchange_lines(kiosk.ledger(resident))[0] == (-EXCHANGE, True, "requested")

    # The audit log holds the look-ups and both decisions, and nothing of the resident.
    log = audit_csv(server)
    events = list(csv.DictReader(io.StringIO(log)))
    lookups = [e for e in events if e["action"] == "points.lookup" and e["actor"] == DONG.name]
    assert len(lookups) >= 2 and '"lines": 12' in lookups[-1]["after"]
    decided = {e["target"]: e for e in events if e["action"].startswith("points.exchange_")}
    fulfil, refuse = decided[f"exchange:{handed}"], decided[f"exchange:{refused}"]
    assert (fulfil["action"], refuse["action"]) == (
        "points.exchange_fulfil",
        "points.exchange_refuse",
    )
    assert '"status": "requested"' in fulfil["before"]
    assert '"certificate": "JG-2026-000123"' in fulfil["after"]
    assert '"status": "refused"' in refuse["after"] and "취소함" in refuse["after"]
    assert_nothing_of(resident, log, server.log_text())


def _device_of(browser: Any, exchange_id: int) -> str:
    return str(browser.find_element(By.ID, f"exchange-{exchange_id}").get_attribute("data-device"))


def _look_up(browser: Any, resident: Resident) -> list[str]:
    """Type the resident's number and birth date at the counter; the ledger's lines as shown."""
    browser.find_element(By.ID, "lookup-phone").send_keys(
        f"{resident.phone[:3]}-{resident.phone[3:7]}-{resident.phone[7:]}"
    )
    browser.find_element(By.ID, "lookup-birth").send_keys(birth_text(resident))
    button = browser.find_element(By.ID, "lookup-submit")
    button.click()
    wait_for_next_page(browser, button)
    assert browser.current_url.endswith("/staff/points/lookup")  # posted, nothing in the URL
    # Nothing typed is shown again, not even in the form.
    assert browser.find_element(By.ID, "lookup-phone").get_attribute("value") == ""
    assert browser.find_element(By.ID, "lookup-birth").get_attribute("value") == ""
    rows = browser.find_elements(By.CSS_SELECTOR, "#ledger tbody tr")
    return [str(r.text) for r in rows]


def test_an_exchange_held_until_its_kiosk_is_approved_is_a_request_once_released(
    points_server: ServerProcess,
) -> None:
    kiosk = Kiosk(points_server, name="승인 전 회현동 키오스크", approve=False)
    heartbeat(points_server, kiosk.device.headers, dong="hoehyeon")
    resident = rich_resident(kiosk, EXCHANGE)
    assert exchange(kiosk, resident)["status"] == "accepted"  # held: counted on approval
    http = signed_in_session(points_server, DONG)

    def mine() -> list[str]:
        page = http.get(f"{points_server.url}/staff/points", timeout=10).text
        return [d for d in page.split('data-device="')[1:] if d.startswith(kiosk.device.device_id)]

    assert mine() == []
    points_server.approve(kiosk.device.device_id)

    assert len(mine()) == 1
    ledger = kiosk.ledger(resident)
    assert ledger["balance"] == 0
    assert exchange_lines(ledger) == [(-EXCHANGE, True, "requested")]


def test_a_long_queue_is_paged_oldest_first(points_server: ServerProcess) -> None:
    kiosk = hoehyeon_kiosk(points_server)
    resident = rich_resident(kiosk, 60 * EXCHANGE)
    asked = kiosk.send(
        *[kiosk.envelope("points_exchange", {"points": EXCHANGE}, resident) for _ in range(55)]
    )
    assert {r["status"] for r in asked} == {"accepted"}
    http = signed_in_session(points_server, DONG)

    first = http.get(f"{points_server.url}/staff/points", timeout=10).text
    total = int(first.split('id="queue-total">', 1)[1].split("<", 1)[0])
    second = http.get(f"{points_server.url}/staff/points?page=2", timeout=10).text
    beyond = http.get(f"{points_server.url}/staff/points?page=99", timeout=10).text

    assert total >= 55
    assert len(queue_ids(first)) == 50 and len(queue_ids(second)) == total - 50
    assert queue_ids(first) + queue_ids(second) == sorted(queue_ids(first) + queue_ids(second))
    assert 'href="/staff/points?page=2#queue"' in first
    assert queue_ids(beyond) == queue_ids(second)  # past the end: the last page


def test_wrong_input_is_answered_beside_its_field(points_server: ServerProcess) -> None:
    http = signed_in_session(points_server, DONG)
    token = csrf_of(http.get(f"{points_server.url}/staff/points", timeout=10).text)

    r = http.post(
        f"{points_server.url}/staff/points/lookup",
        data={"csrf_token": token, "phone": "010-987", "birth": "19480231"},
        timeout=10,
    )

    assert r.status_code == 422
    assert 'id="phone-problem"' in r.text and "휴대전화 번호 11자리" in r.text
    assert 'id="birth-problem"' in r.text and "있는 날짜로" in r.text
    assert "010-987" not in r.text and "19480231" not in r.text
    assert 'id="ledger"' not in r.text


def test_an_unknown_resident_is_an_empty_ledger_and_still_audited(
    points_server: ServerProcess,
) -> None:
    http = signed_in_session(points_server, ADMIN)
    token = csrf_of(http.get(f"{points_server.url}/staff/points", timeout=10).text)
    before = audit_csv(points_server).count("points.lookup,")

    r = http.post(
        f"{points_server.url}/staff/points/lookup",
        data={"csrf_token": token, "phone": "01099990000", "birth": "1961-04-02"},
        timeout=10,
    )

    assert r.status_code == 200
    assert 'id="ledger-empty"' in r.text
    assert "01099990000" not in r.text and "1961" not in r.text
    assert audit_csv(points_server).count("points.lookup,") == before + 1


def test_a_decision_needs_its_number_or_reason_and_is_made_once(
    points_server: ServerProcess,
) -> None:
    kiosk = hoehyeon_kiosk(points_server)
    resident = rich_resident(kiosk, EXCHANGE)
    assert exchange(kiosk, resident)["status"] == "accepted"
    http = signed_in_session(points_server, DONG)
    newest = request_of(http, points_server, kiosk.device.device_id)
    token = csrf_of(http.get(f"{points_server.url}/staff/points", timeout=10).text)
    url = f"{points_server.url}/staff/points/exchanges/{newest}"

    no_number = http.post(f"{url}/fulfil", data={"csrf_token": token, "certificate": " "})
    no_reason = http.post(f"{url}/refuse", data={"csrf_token": token, "reason": ""})
    done = http.post(f"{url}/fulfil", data={"csrf_token": token, "certificate": "JG-7"})
    again = http.post(f"{url}/refuse", data={"csrf_token": token, "reason": "착오"})
    twice = http.post(f"{url}/fulfil", data={"csrf_token": token, "certificate": "JG-8"})

    assert no_number.status_code == 422 and "상품권 번호를 적으세요" in no_number.text
    assert f'id="problem-{newest}"' in no_number.text
    assert no_reason.status_code == 422 and "반려하는 까닭을 적으세요" in no_reason.text
    assert done.status_code == 200  # the page again, after the redirect
    assert (again.status_code, twice.status_code) == (409, 409)
    assert "이미 처리되었습니다: 지급 완료" in again.text
    assert kiosk.ledger(resident)["balance"] == 0  # not given back by the refused second try
    events = [
        e
        for e in csv.DictReader(io.StringIO(audit_csv(points_server)))
        if e["target"] == f"exchange:{newest}"
    ]
    assert [e["action"] for e in events] == ["points.exchange_fulfil"]


def test_a_viewer_is_refused_the_page_and_the_look_up(points_server: ServerProcess) -> None:
    http = signed_in_session(points_server, VIEWER)
    token = csrf_of(http.get(f"{points_server.url}/staff/", timeout=10).text)

    page = http.get(f"{points_server.url}/staff/points", timeout=10)
    lookup = http.post(
        f"{points_server.url}/staff/points/lookup",
        data={"csrf_token": token, "phone": "01012345678", "birth": "19480307"},
        timeout=10,
    )

    assert (page.status_code, lookup.status_code) == (403, 403)
    assert "포인트" not in page.text.split("<main", 1)[0]  # not in the navigation either


def test_another_dongs_officer_neither_sees_nor_decides_the_request(
    points_server: ServerProcess,
) -> None:
    kiosk = hoehyeon_kiosk(points_server)
    resident = rich_resident(kiosk, EXCHANGE)
    assert exchange(kiosk, resident)["status"] == "accepted"
    device = kiosk.device.device_id
    newest = request_of(signed_in_session(points_server, ADMIN), points_server, device)
    assert newest is not None
    myeong = signed_in_session(points_server, MYEONG)
    page = myeong.get(f"{points_server.url}/staff/points", timeout=10).text

    refused = myeong.post(
        f"{points_server.url}/staff/points/exchanges/{newest}/refuse",
        data={"csrf_token": csrf_of(page), "reason": "남의 동"},
        timeout=10,
    )

    assert request_of(myeong, points_server, device) is None
    assert refused.status_code == 403
    assert "권한이 없습니다" in refused.text
    hoehyeon = signed_in_session(points_server, DONG)
    assert request_of(hoehyeon, points_server, device) == newest  # still waiting, for its dong
    assert kiosk.ledger(resident)["balance"] == 0


def test_a_post_without_its_csrf_token_is_refused(points_server: ServerProcess) -> None:
    kiosk = hoehyeon_kiosk(points_server)
    resident = rich_resident(kiosk, EXCHANGE)
    assert exchange(kiosk, resident)["status"] == "accepted"
    http = signed_in_session(points_server, DONG)
    newest = request_of(http, points_server, kiosk.device.device_id)
    assert newest is not None
    before = audit_csv(points_server).count("points.")

    lookup = http.post(
        f"{points_server.url}/staff/points/lookup",
        data={"phone": resident.phone, "birth": birth_text(resident)},
        timeout=10,
    )
    fulfil = http.post(
        f"{points_server.url}/staff/points/exchanges/{newest}/fulfil",
        data={"certificate": "JG-1", "csrf_token": "not-the-token"},
        timeout=10,
    )

    assert (lookup.status_code, fulfil.status_code) == (403, 403)
    assert "양식이 만료되었거나" in lookup.text
    assert audit_csv(points_server).count("points.") == before
    assert request_of(http, points_server, kiosk.device.device_id) == newest


# ---------------------------------------------------------------------------------------------
# The look-up limit, across a restart
# ---------------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.param == "sqlite":
        yield None
        return
    require_postgres()
    with postgres_database() as url:
        yield url


def _look_up_once(server: ServerProcess, http: requests.Session) -> requests.Response:
    token = csrf_of(http.get(f"{server.url}/staff/points", timeout=10).text)
    return http.post(
        f"{server.url}/staff/points/lookup",
        data={"csrf_token": token, "phone": "010-2222-3333", "birth": "1951-05-06"},
        timeout=10,
    )


def test_the_21st_look_up_is_refused_and_still_after_a_restart(
    own_database: str | None, tmp_path: Path
) -> None:
    server = start_server(tmp_path / "server", own_database)
    try:
        add_account(server, DONG, tmp_path)
        http = signed_in_session(server, DONG)
        answers = [_look_up_once(server, http).status_code for _ in range(20)]
        over = _look_up_once(server, http)
        assert answers == [200] * 20
        assert over.status_code == 429
        assert "조회가 너무 많습니다. 10분에 20번까지" in over.text
        assert 'id="ledger"' not in over.text
        server.stop()
        server = start_server(tmp_path / "server", own_database)
        after_restart = _look_up_once(server, signed_in_session(server, DONG))
        assert after_restart.status_code == 429
        events = list(csv.DictReader(io.StringIO(audit_csv_of(server, tmp_path))))
        assert sum(e["action"] == "points.lookup" for e in events) == 20
        assert sum(e["action"] == "points.lookup_limited" for e in events) == 2
    finally:
        server.stop()


def audit_csv_of(server: ServerProcess, tmp_path: Path) -> str:
    add_account(server, ADMIN, tmp_path)
    return audit_csv(server)


# ---------------------------------------------------------------------------------------------
# Migration 0010: exchanges accepted before it are requests
# ---------------------------------------------------------------------------------------------

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC).replace(tzinfo=None)


def _fill_at_0008(engine: Engine) -> list[uuid.UUID]:
    upgrade(engine, "0008")
    ids = [uuid.uuid4() for _ in range(3)]
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO devices (id, name, mode, app_version, token_sha256, enrolled_at)"
                " VALUES ('dev-a', 'a', 'kiosk', '0.1', :t, :at)"
            ),
            {"t": "0" * 64, "at": AT},
        )
        kinds = [("proposal", 20_000), ("points_exchange", -10_000), ("points_exchange", -5_000)]
        for seq, (envelope_id, (kind, points)) in enumerate(zip(ids, kinds, strict=True), 1):
            at = AT + timedelta(minutes=seq)
            values = {"id": envelope_id if pg else envelope_id.hex, "at": at, "kind": kind}
            conn.execute(
                text(
                    "INSERT INTO submissions (id, body_sha256, device_id, device_seq, kind,"
                    " schema_version, content_version, created_at, clock_offset_s,"
                    " created_at_server, received_at, practice, counted, note, body)"
                    " VALUES (:id, :sha, 'dev-a', :seq, :kind, 1, NULL, :at, 0, :at,"
                    " :at, false, true, NULL, '{}')"
                ),
                {**values, "sha": "1" * 64, "seq": seq},
            )
            conn.execute(
                text(
                    "INSERT INTO resident_entries (device_id, envelope_id, resident_key, kind,"
                    " target, counted, points, received_at)"
                    " VALUES ('dev-a', :id, :key, :kind, 't', true, :points, :at)"
                ),
                {**values, "key": "ab" * 32, "points": points},
            )
    return ids


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_makes_a_request_of_every_exchange_already_accepted(
    backend: str, tmp_path: Path
) -> None:
    def check(engine: Engine) -> None:
        ids = _fill_at_0008(engine)
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT envelope_id, points, status, requested_at FROM point_exchanges"
                    " ORDER BY id"
                )
            ).all()
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == HEAD_REVISION
        assert [(str(uuid.UUID(str(r[0]))), r[1], r[2]) for r in rows] == [
            (str(ids[1]), 10_000, "requested"),
            (str(ids[2]), 5_000, "requested"),
        ]

    if backend == "sqlite":
        engine = make_engine(str(tmp_path / "server.sqlite3"))
        try:
            check(engine)
        finally:
            engine.dispose()
        return
    require_postgres()
    with postgres_database() as url:
        engine = make_engine(url)
        try:
            check(engine)
        finally:
            engine.dispose()
