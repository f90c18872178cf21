"""A card tapped on a USB smart-card / NFC reader, for the practice kiosks' payment (issue 19,
item 5). Plain Python over PC/SC (pyscard and the pcscd service); no Qt, so it runs on a worker
thread of kiosk.services.background, never on the GUI thread.

Nothing is read from the card and nothing is charged: only whether one is on the reader. When
pyscard is not installed, pcscd is not running or no reader is attached, `first_reader` says
None and the practice payment keeps its reader drawn on the screen.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)

# How long one wait on pcscd lasts: how soon a wait notices it was cancelled.
SLICE_MS = 300
# A practice payment waits this long for a card, then gives up (the on-screen reader stays).
WAIT_S = 600.0


@contextlib.contextmanager
def _pcsc() -> Iterator[tuple[Any, Any] | None]:
    """pyscard's PC/SC module and a context of pcscd, released after the block; None without
    pyscard or pcscd."""
    try:
        from smartcard import scard  # type: ignore[import-untyped]
    except ImportError:  # an optional device: the on-screen reader stays
        yield None
        return
    result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if result != scard.SCARD_S_SUCCESS:
        yield None
        return
    try:
        yield scard, context
    finally:
        scard.SCardReleaseContext(context)


def service_running() -> bool:
    """Whether pcscd answers (with or without readers)."""
    with _pcsc() as pcsc:
        return pcsc is not None


def first_reader() -> str | None:
    """The name of the first PC/SC reader attached; None without pyscard, pcscd or a reader."""
    with _pcsc() as pcsc:
        if pcsc is None:
            return None
        scard, context = pcsc
        result, readers = scard.SCardListReaders(context, [])
        if result != scard.SCARD_S_SUCCESS or not readers:
            return None
        return str(readers[0])


def wait_for_card(reader: str, cancelled: threading.Event, wait_s: float = WAIT_S) -> bool:
    """Block until a card is on `reader` (True), or `cancelled` is set, the reader goes away
    or `wait_s` passes (False)."""
    deadline = time.monotonic() + wait_s
    with _pcsc() as pcsc:
        if pcsc is None:
            return False
        scard, context = pcsc
        states = [(reader, scard.SCARD_STATE_UNAWARE)]
        while not cancelled.is_set() and time.monotonic() < deadline:
            # Each wait starts from the state seen last, so only a change ends it early.
            result, found = scard.SCardGetStatusChange(context, SLICE_MS, states)
            if result == scard.SCARD_E_TIMEOUT:
                continue
            if result != scard.SCARD_S_SUCCESS:
                log.info("card_tap.reader_lost reader=%s result=%#x", reader, result & 0xFFFFFFFF)
                return False
            if found[0][1] & scard.SCARD_STATE_PRESENT:
                log.info("card_tap.card_present reader=%s", reader)
                return True
            states = [(name, state & ~scard.SCARD_STATE_CHANGED) for name, state, _atr in found]
        return False
