"""포인트 as a resident meets it: identity, a clear wait while the kiosk asks the server (on the
background helper's thread, never the GUI thread), the balance and history, or plainly
"연결되면 확인할 수 있습니다"; an exchange refused below the minimum with the reason, an exchange
or a donation with one sealed envelope; a resident who walks away leaves nothing. One test asks
the real reference server."""

from __future__ import annotations

import base64
import gc
import json
import threading
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from nacl.public import PrivateKey, SealedBox
from PySide6.QtCore import QTimer

import sync.ledger
from contract.content import KST
from contract.wire import (
    PointsLedger,
    PointsLedgerLine,
    PointsLedgerRequest,
    SubmissionBatch,
    binding_of,
)
from kiosk.domain.a11y import TEXT_SCALES
from kiosk.domain.points_flow import sample_ledger
from kiosk.paths import asset_path
from kiosk.store.settings import DeviceSettings
from kiosk.ui.render import show_screen
from kiosk.ui.screens import points
from sync.ledger import ServerAddress
from sync.worker import SERVER_URL_KEY, TOKEN_KEY, enroll_device
from tests.helpers.audit import layout_problems
from tests.helpers.resident import find, on, shown, tap, tap_back, tap_name, words
from tests.server.process import ServerProcess, start_server
from tests.widget.test_ballot_flow import PHONE, enrol, identify

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=KST)
RICH = sample_ledger(NOW, balance_scale=6)  # 15,300 points
POOR = sample_ledger(NOW)  # 5,300 points


class FakeServer:
    """Stands in for SyncClient in sync.ledger: answers `ledger` once `release` is set, and
    notes the thread that asked."""

    def __init__(self, ledger: PointsLedger) -> None:
        self.ledger = ledger
        self.release = threading.Event()
        self.asked_on: list[threading.Thread] = []
        self.asked_for: list[PointsLedgerRequest] = []

    def __call__(self, address: ServerAddress) -> FakeServer:
        return self

    def points_ledger(self, request: PointsLedgerRequest) -> PointsLedger:
        self.asked_on.append(threading.current_thread())
        self.asked_for.append(request)
        self.release.wait(20)
        return self.ledger

    def close(self) -> None:
        pass


@pytest.fixture
def server_key() -> PrivateKey:
    return PrivateKey.generate()


@pytest.fixture
def kiosk(make_window, server_key):
    """An enrolled kiosk (the server's key, an address and a token) on 1 December 2026."""
    window = make_window()
    window.ctx.clock = lambda: NOW
    enrol(window, server_key)
    settings = DeviceSettings(window.ctx.db)
    settings.set(SERVER_URL_KEY, "http://127.0.0.1:9")
    settings.set(TOKEN_KEY, "device-token")
    settings.set_device_id("device-1")
    return window


def fake(monkeypatch, ledger: PointsLedger) -> FakeServer:
    server = FakeServer(ledger)
    monkeypatch.setattr(sync.ledger, "_client", server)
    return server


def check_points(qtbot, window) -> None:
    tap_name(qtbot, window, "tile_points")
    assert on(window) == "points"
    assert "10,000점부터" in words(window)
    tap_name(qtbot, window, "checkPoints")
    identify(qtbot, window)
    assert on(window) == "points_balance"


def answered(qtbot, window, server: FakeServer) -> None:
    assert shown(window, "pointsWaiting")
    server.release.set()
    qtbot.waitUntil(lambda: shown(window, "pointsBalance"), timeout=5000)


def opened(server_key: PrivateKey, sealed: str | None) -> dict[str, object]:
    assert sealed is not None and PHONE not in sealed
    result: dict[str, object] = json.loads(SealedBox(server_key).decrypt(base64.b64decode(sealed)))
    return result


def test_the_kiosk_waits_visibly_then_shows_the_balance_and_history(
    qtbot, kiosk, monkeypatch, server_key
):
    server = fake(monkeypatch, RICH)
    # The kiosk's clock is 90 s behind the server's, as its last heartbeat found.
    DeviceSettings(kiosk.ctx.db).set_clock_offset_s(90.0)
    check_points(qtbot, kiosk)
    assert "잠시만 기다려 주세요" in find(kiosk, "pointsWaiting").text()
    # Nothing polls for the answer: it comes by the background helper's callback; a timer
    # counts the seconds shown, and one fires once when the wait runs out.
    timers = [t for t in kiosk.current_screen.findChildren(QTimer) if t.isActive()]
    [(_, tick), (once, deadline_ms)] = sorted((t.isSingleShot(), t.interval()) for t in timers)
    assert tick == 1000 and once and 0 < deadline_ms <= sync.ledger.WAIT_S * 1000
    assert not shown(kiosk, "pointsBalance") and not shown(kiosk, "line0")
    qtbot.waitUntil(lambda: bool(server.asked_for), timeout=3000)
    assert server.asked_on[0] is not threading.main_thread()
    # The look-up's seal is bound to that one request, made at the server's time.
    [request] = server.asked_for
    assert request.created_at == NOW + timedelta(seconds=90)
    seal = opened(server_key, request.sealed_identity)
    assert (seal["v"], seal["phone"]) == (2, PHONE)
    assert seal["binding"] == request.binding().model_dump(mode="json")
    assert request.binding().kind == "points_ledger"
    answered(qtbot, kiosk, server)
    assert find(kiosk, "pointsBalance").text() == "지금 포인트 15,300점"
    assert not shown(kiosk, "pointsWaiting")
    # Newest first, the activity in plain Korean, its points and its date.
    assert find(kiosk, "answer_line0").text() == "주민참여예산 투표 · +1,000점"
    assert "2026년 11월 30일" in words(kiosk)
    assert find(kiosk, "answer_line1").text() == "제안에 공감 · +100점"
    assert find(kiosk, "answer_line5").text() == "제안에 공감 · 중복이라 포인트 없음"
    assert find(kiosk, "answer_line7").text() == "포인트 기부 · -200점"
    assert not shown(kiosk, "exchangeNotYet")


def test_each_exchange_says_its_status_and_a_refused_one_gave_the_points_back(
    qtbot, kiosk, monkeypatch
):
    def line(days: int, status: str | None = None, counted: bool = True) -> PointsLedgerLine:
        kind, change = ("points_exchange", -10_000) if status else ("proposal", 2_000)
        body = {"status": status} if status else {}
        return PointsLedgerLine.model_validate(
            {"activity_id": f"x{days}", "kind": kind, "points": change, "counted": counted,
             "at": NOW - timedelta(days=days), **body}
        )  # fmt: skip

    history = [
        line(1, "refused", counted=False),
        line(2, "fulfilled"),
        line(3, "requested"),
        *[line(4 + i) for i in range(15)],
    ]
    server = fake(monkeypatch, PointsLedger(balance=10_000, history=history))
    check_points(qtbot, kiosk)
    answered(qtbot, kiosk, server)

    assert find(kiosk, "pointsBalance").text() == "지금 포인트 10,000점"
    assert find(kiosk, "answer_line0").text() == "상품권으로 바꿈 · 반려 · 10,000점을 돌려받음"
    assert find(kiosk, "answer_line1").text() == "상품권으로 바꿈 · -10,000점 · 지급 완료"
    assert find(kiosk, "answer_line2").text() == "상품권으로 바꿈 · -10,000점 · 신청함"


def test_offline_says_so_plainly_with_no_history(qtbot, make_window, server_key):
    window = make_window()  # has the server's key, but no address: never reached the server
    enrol(window, server_key)
    check_points(qtbot, window)
    assert find(window, "points_offline").text() == "연결되면 확인할 수 있습니다"
    assert "포인트는 없어지지 않습니다" in words(window)
    assert not shown(window, "pointsBalance") and not shown(window, "line0")
    assert not shown(window, "use_exchange")


def test_a_server_that_does_not_answer_in_time_is_offline(qtbot, kiosk, monkeypatch):
    monkeypatch.setattr(sync.ledger, "WAIT_S", 0.5)
    server = fake(monkeypatch, RICH)
    check_points(qtbot, kiosk)
    assert shown(kiosk, "pointsWaiting")
    qtbot.waitUntil(lambda: shown(kiosk, "points_offline"), timeout=5000)
    lookup = kiosk.navigator.current.params["flow"].asked
    assert lookup.call.cancelled  # the helper will not deliver the late answer
    server.release.set()  # a late answer changes nothing
    assert lookup.call.wait(5)
    qtbot.wait(300)
    assert shown(kiosk, "points_offline") and not shown(kiosk, "pointsBalance")
    assert lookup.answer.outcome == "offline"


def test_an_unreachable_server_is_offline(qtbot, kiosk):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    check_points(qtbot, kiosk)
    qtbot.waitUntil(lambda: shown(kiosk, "points_offline"), timeout=8000)


def test_an_exchange_below_the_minimum_is_refused_with_the_reason(qtbot, kiosk, monkeypatch):
    server = fake(monkeypatch, POOR)
    check_points(qtbot, kiosk)
    answered(qtbot, kiosk, server)
    assert "4,700점 더 모으면" in find(kiosk, "exchangeNotYet").text()
    tap_name(qtbot, kiosk, "use_exchange")
    assert on(kiosk) == "points_balance"
    message = find(kiosk, "problemMessage").text()
    assert "상품권은 10,000점부터 바꿀 수 있습니다. 지금 5,300점이라 4,700점 더" in message
    assert kiosk.ctx.outbox.pending() == []


def test_an_exchange_by_taps_leaves_one_sealed_envelope(qtbot, kiosk, monkeypatch, server_key):
    server = fake(monkeypatch, RICH)
    check_points(qtbot, kiosk)
    answered(qtbot, kiosk, server)
    tap_name(qtbot, kiosk, "use_exchange")
    assert on(kiosk) == "points_amount"
    assert shown(kiosk, "amount_10000") and not shown(kiosk, "amount_20000")
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "problemMessage").text() == "점수를 골라 주세요."
    tap_name(qtbot, kiosk, "amount_10000")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "points_confirm"
    assert find(kiosk, "confirmWhat").text() == "10,000점을 지역 상품권으로 바꿉니다."
    assert find(kiosk, "confirmLeft").text() == "신청 뒤 남는 포인트: 5,300점"
    assert kiosk.ctx.outbox.pending() == []
    tap_name(qtbot, kiosk, "sendButton")
    assert on(kiosk) == "thanks"
    assert "상품권 교환 신청을 받았습니다" in words(kiosk)
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "points_exchange"
    assert envelope.payload == {"points": 10000}
    # Sealed afresh, bound to this envelope: not the look-up's seal.
    assert opened(server_key, envelope.sealed_identity) == {
        "v": 2,
        "phone": PHONE,
        "birth": "1950-03-15",
        "binding": binding_of(envelope).model_dump(mode="json"),
    }
    assert envelope.sealed_identity != server.asked_for[0].sealed_identity
    # Back to the balance: it says a request went, and offers no second one.
    tap_name(qtbot, kiosk, "thanksStay")
    # The thank-you offers no 이전 (the flow is finished): the history walked back all the same.
    assert not kiosk.back_button.isVisible()
    kiosk.go_back()
    assert shown(kiosk, "pointsSent") and not shown(kiosk, "sendButton")
    tap_back(qtbot, kiosk)
    tap_back(qtbot, kiosk)
    assert on(kiosk) == "points_balance"
    assert shown(kiosk, "pointsSent") and not shown(kiosk, "use_exchange")
    assert len(kiosk.ctx.outbox.pending()) == 1


def test_a_donation_by_taps_leaves_one_sealed_envelope(qtbot, kiosk, monkeypatch, server_key):
    server = fake(monkeypatch, POOR)
    check_points(qtbot, kiosk)
    answered(qtbot, kiosk, server)
    tap_name(qtbot, kiosk, "use_donate")
    assert "5,300점 (모두)" in find(kiosk, "amount_5300").accessibleName()
    tap_name(qtbot, kiosk, "amount_1000")
    tap_name(qtbot, kiosk, "flowNext")
    assert find(kiosk, "confirmWhat").text() == "1,000점을 기부합니다."
    tap_name(qtbot, kiosk, "sendButton")
    assert on(kiosk) == "thanks"
    [envelope] = kiosk.ctx.outbox.pending()
    assert envelope.kind == "points_donation" and envelope.payload == {"points": 1000}
    seal = opened(server_key, envelope.sealed_identity)
    assert seal["binding"] == binding_of(envelope).model_dump(mode="json")
    assert binding_of(envelope).target == str(envelope.id)


def test_idle_reset_while_waiting_leaves_nothing_behind(qtbot, kiosk, monkeypatch, idle_clock):
    server = fake(monkeypatch, RICH)
    check_points(qtbot, kiosk)
    session = weakref.ref(kiosk.navigator.current.params["flow"])
    identity = weakref.ref(kiosk.navigator.current.params["flow"].identity)
    call = kiosk.navigator.current.params["flow"].asked.call
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    assert kiosk.in_attract
    server.release.set()
    assert call is not None
    assert call.wait(5)  # the worker has finished with the request
    qtbot.wait(300)
    tap(qtbot, kiosk.current_screen)
    assert on(kiosk) == "home" and not kiosk.navigator.can_go_back
    gc.collect()
    assert session() is None, gc.get_referrers(session())
    assert identity() is None  # the resident's identity went with the visit
    assert "15,300" not in words(kiosk)
    assert kiosk.ctx.outbox.counts_by_status() == {"pending": 0, "sent": 0, "dead": 0}


def test_idle_reset_at_the_confirmation_sends_nothing(qtbot, kiosk, monkeypatch, idle_clock):
    server = fake(monkeypatch, RICH)
    check_points(qtbot, kiosk)
    answered(qtbot, kiosk, server)
    tap_name(qtbot, kiosk, "use_exchange")
    tap_name(qtbot, kiosk, "amount_10000")
    tap_name(qtbot, kiosk, "flowNext")
    assert on(kiosk) == "points_confirm"
    idle_clock.advance(kiosk.ctx.config.idle_timeout_s + 1)
    kiosk.idle.check()
    assert kiosk.in_attract
    tap(qtbot, kiosk.current_screen)
    assert on(kiosk) == "home" and not kiosk.navigator.can_go_back
    assert kiosk.ctx.outbox.counts_by_status() == {"pending": 0, "sent": 0, "dead": 0}


# -- the real reference server --------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    running = start_server(tmp_path_factory.mktemp("server"))
    running.cli("publish", str(asset_path("demo")))
    yield running
    running.stop()


def deliver(window, server: ServerProcess) -> None:
    """Hand the kiosk's pending envelopes to the server, as the sync worker would."""
    token = DeviceSettings(window.ctx.db).get(TOKEN_KEY)
    body = SubmissionBatch(items=window.ctx.outbox.pending()).model_dump_json()
    r = requests.post(
        f"{server.api}/submissions/batch",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    assert {item["status"] for item in r.json()["results"]} == {"accepted"}, r.text


def test_the_ledger_from_the_real_server(
    qtbot, make_window, reference_server: ServerProcess, tmp_path: Path
):
    window = make_window()
    window.ctx.clock = lambda: NOW
    settings = DeviceSettings(window.ctx.db)
    enrolment = enroll_device(
        settings, reference_server.url, reference_server.new_code(), name="약수동", mode="kiosk"
    )
    reference_server.approve(enrolment.device_id)
    # The kiosk's clock (NOW) is days off; the worker learnt the offset from the server.
    settings.set_clock_offset_s((datetime.now(UTC) - NOW).total_seconds())
    # The resident agrees with a proposal; the envelope reaches the server.
    tap_name(qtbot, window, "tile_proposals")
    tap_name(qtbot, window, "proposal_lunch-yaksu")
    tap_name(qtbot, window, "agreeButton")
    identify(qtbot, window)
    assert on(window) == "thanks"
    deliver(window, reference_server)
    tap_name(qtbot, window, "thanksHome")
    # Then asks for their points.
    check_points(qtbot, window)
    qtbot.waitUntil(lambda: shown(window, "pointsBalance"), timeout=10000)
    assert find(window, "pointsBalance").text() == "지금 포인트 100점"
    assert find(window, "answer_line0").text() == "제안에 공감 · +100점"
    assert not shown(window, "line1")
    tap_name(qtbot, window, "use_exchange")
    assert "9,900점 더 모으면" in find(window, "problemMessage").text()
    assert on(window) == "points_balance"
    assert [e.kind for e in window.ctx.outbox.pending()] == ["proposal_agree"]


# -- layout -------------------------------------------------------------------------------------

NEW_SCREENS = ("points", *points.SAMPLE_NAMES)


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_new_screen_fits_at_every_text_size(qtbot, make_window, size, scale):
    window = make_window(size)
    window.ctx.clock = lambda: NOW
    problems: list[str] = []

    def audit(where: str) -> None:
        qtbot.wait(1)
        problems.extend(layout_problems(window, where))

    for language in ("ko", "en"):
        window.prefs.set(language=language, text_scale=scale, high_contrast=False)
        for name in NEW_SCREENS:
            show_screen(window, name)
            audit(f"{name} ({language})")
        # The refusal below the minimum, on screen.
        show_screen(window, "points_balance_low")
        tap_name(qtbot, window, "use_exchange")
        audit(f"exchange refused ({language})")
    assert not problems, "\n".join(problems)
