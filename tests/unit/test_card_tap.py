"""Without pyscard (or without pcscd) the practice payment keeps its reader on the screen: the
card reader module answers "no reader" and never raises (issue 19, item 5). The virtual reader
itself is tested by tests/widget/test_card_reader.py."""

from __future__ import annotations

import sys
import threading

from kiosk.services import card_tap


def test_without_pyscard_there_is_no_reader_and_no_wait(monkeypatch):
    monkeypatch.setitem(sys.modules, "smartcard", None)  # import smartcard raises ImportError
    assert not card_tap.service_running()
    assert card_tap.first_reader() is None
    assert card_tap.wait_for_card("Any Reader 00 00", threading.Event(), wait_s=5) is False
