"""A device's enrolment with a server, as the staff page's 기기 등록 starts it: run off the GUI
thread by the window's background helper, its answer in the page's words.

A device enrolled with one server enrols again only with that server (sync.enrolment).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from kiosk.config import Mode

if TYPE_CHECKING:
    from kiosk.context import AppContext
    from kiosk.services.background import Background
    from kiosk.store.db import Database


@dataclass(frozen=True)
class EnrolmentResult:
    """What came of an enrolment: the device id, or the catalogue id of what went wrong."""

    device_id: str | None = None  # set on success
    message_id: str | None = None  # set on failure
    detail: str = ""
    url: str = ""  # the server the device is pinned to, for "enroll.error.pinned"


class EnrolmentJob(QObject):
    """One enrolment, run off the GUI thread by the background helper.

    Signals:
        answered(): `result` is set; the enrolment page shown now (the one that started it
            may have been rebuilt since) shows it.

    Attributes:
        result: the answer once it came; None while it runs (or before it started).
    """

    answered = Signal()

    def __init__(
        self,
        ctx: AppContext,
        url: str,
        code: str,
        *,
        name: str,
        mode: Mode,
        pin_hash: str | None = None,
    ) -> None:
        super().__init__()
        db = ctx.db  # opened here, on the GUI thread, before the helper's thread uses it
        self._work = functools.partial(_enrol, db, url, code, name, mode, pin_hash)
        self.result: EnrolmentResult | None = None

    def start(self, background: Background) -> None:
        background.run(self._work, self._answered, self._crashed, name="enrolment")

    def _answered(self, result: EnrolmentResult) -> None:
        self.result = result
        self.answered.emit()

    def _crashed(self, error: Exception) -> None:
        # Logged by the helper; staff read one plain message on the page.
        self._answered(EnrolmentResult(message_id="enroll.error.other", detail=str(error)))


def _enrol(
    db: Database, url: str, code: str, name: str, mode: Mode, pin_hash: str | None
) -> EnrolmentResult:
    """Enrol with the server (blocking, no Qt): the answer in the page's words."""
    from kiosk.store.settings import DeviceSettings
    from sync.client import AuthError, NetworkError, RejectedError, ServerError
    from sync.enrolment import ServerPinnedError
    from sync.worker import enroll_device

    try:
        done = enroll_device(DeviceSettings(db), url, code, name=name, mode=mode, pin_hash=pin_hash)
    except ServerPinnedError as e:
        message_id = "enroll.error.pinned" if e.reason == "address" else "enroll.error.pinned_key"
        return EnrolmentResult(message_id=message_id, detail=e.detail, url=e.enrolled_url)
    except (RejectedError, AuthError) as e:
        return EnrolmentResult(message_id="enroll.error.code", detail=str(e))
    except NetworkError as e:
        return EnrolmentResult(message_id="enroll.error.network", detail=str(e))
    except ServerError as e:
        return EnrolmentResult(message_id="enroll.error.server", detail=str(e))
    return EnrolmentResult(device_id=done.device_id)
