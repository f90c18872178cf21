"""The thank-you's points follow the server's receipt as the sync worker reports it (the
window's `on_sync_receipts`, from SyncLink.receipts_arrived), never by reading the outbox on a
timer of the GUI thread (the real worker's path: tests/integration/test_points_server.py)."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from kiosk.domain.steps import ThanksNote
from kiosk.ui.steps.thanks import thanks_route
from tests.helpers.resident import find

ENVELOPE = "3f2b8a9e-0000-4000-8000-000000000001"
PENDING = "참여 포인트 500점은 구청 서버에서 확인한 뒤 적립됩니다."


def test_the_points_line_follows_the_workers_receipts_and_no_timer_reads_the_outbox(
    qtbot, make_window, monkeypatch
):
    window = make_window()
    reads: list[str] = []

    def receipt(envelope_id: str) -> None:
        reads.append(envelope_id)
        return None

    monkeypatch.setattr(window.services.reads, "receipt", receipt)
    window.navigate(thanks_route(ThanksNote("thanks.survey", 500, credit=ENVELOPE)))
    assert find(window, "thanksPoints").text() == PENDING
    assert reads == [ENVELOPE]  # once, when shown: the answer may have come before

    # Every timer of the screen goes off, several times over: none reads the outbox.
    screen = window.current_screen
    timers = screen.findChildren(QTimer)
    for _ in range(3):
        for timer in timers:
            timer.timeout.emit()
    assert reads == [ENVELOPE]

    # The worker's report of other envelopes changes nothing; this one's answers the line.
    window.on_sync_receipts({"another": {"counted": True}})
    assert find(window, "thanksPoints").text() == PENDING
    window.on_sync_receipts({ENVELOPE: {"counted": True, "note": ""}})
    assert find(window, "thanksPoints").text() == "참여 포인트 500점이 적립되었습니다."
    assert reads == [ENVELOPE]


def test_an_answer_already_in_when_the_thank_you_is_shown_is_said_at_once(
    qtbot, make_window, monkeypatch
):
    window = make_window()
    monkeypatch.setattr(
        window.services.reads, "receipt", lambda envelope_id: {"counted": True, "note": ""}
    )
    window.navigate(thanks_route(ThanksNote("thanks.survey", 500, credit=ENVELOPE)))
    assert find(window, "thanksPoints").text() == "참여 포인트 500점이 적립되었습니다."
