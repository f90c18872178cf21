"""Writing the pending outbox to a folder (a USB stick) as one signed bundle (sync.bundle): the
one way both `python -m sync export DIR` and the staff page's USB로 내보내기 do it.

Nothing is marked sent: the server's answer to the next normal sync ("duplicate") does that. The
envelopes are noted as exported, so a reset (기기 초기화) may retire them once a bundle holds
them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from contract.wire import Envelope
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from sync.bundle import encode_bundle, file_name, public_key_of, write_bundle
from sync.worker import DEVICE_KEY_REGISTERED_KEY

log = logging.getLogger(__name__)

# Pending envelopes read per query while exporting.
EXPORT_PAGE = 1000


class NotEnrolledError(Exception):
    """The device has no id from a server, so no server would know whose bundle it is."""


@dataclass(frozen=True)
class Exported:
    """What an export wrote.

    Attributes:
        path: the bundle file; None when nothing was pending (no file is written then).
        count: envelopes in it.
        first_seq, last_seq: their device_seq range.
        key_known: False when the server does not know this device's key yet and will refuse
            the bundle until the device has registered it (python -m sync register-key).
    """

    path: Path | None
    count: int = 0
    first_seq: int = 0
    last_seq: int = 0
    key_known: bool = True


def export_pending(settings: DeviceSettings, outbox: Outbox, directory: Path) -> Exported:
    """Write every pending envelope to `directory` as one bundle, atomically.

    Raises NotEnrolledError, or OSError (ENOSPC, EROFS, ENOENT…) with nothing left in
    `directory` and nothing changed in the outbox.
    """
    device_id = settings.device_id()
    if device_id is None:
        raise NotEnrolledError("the device is not enrolled")
    envelopes = _all_pending(outbox)
    if not envelopes:
        return Exported(None)
    seed = settings.device_signing_key()
    first, last = envelopes[0].device_seq, envelopes[-1].device_seq
    data = encode_bundle(device_id, envelopes, seed)
    path = write_bundle(directory, file_name(device_id, first, last), data)
    outbox.note_exported(e.id for e in envelopes)
    log.info("outbox.exported count=%d first_seq=%d last_seq=%d", len(envelopes), first, last)
    return Exported(
        path,
        len(envelopes),
        first,
        last,
        key_known=settings.get(DEVICE_KEY_REGISTERED_KEY) == public_key_of(seed),
    )


def _all_pending(outbox: Outbox) -> list[Envelope]:
    envelopes: list[Envelope] = []
    while page := outbox.pending(
        EXPORT_PAGE, after_seq=envelopes[-1].device_seq if envelopes else 0
    ):
        envelopes += page
    return envelopes
