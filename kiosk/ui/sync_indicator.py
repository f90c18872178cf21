"""The calm sync indicator under the district name in the top bar.

Residents see only whether the kiosk is connected, in words with a symbol (never colour
alone), with no numbers and no motion: "● 연결됨", "○ 연결 끊김", "△ 연결 확인 필요".
While the worker is sending, the label keeps what the last try found, so it never blinks.
Staff find the details on the status page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy

from kiosk.i18n import Translator

if TYPE_CHECKING:
    # Only for types: importing the worker would load the store before the first paint.
    from kiosk.services.sync_link import SyncLink, SyncStatus

# Worker state -> what the resident reads. "syncing" is not here: while the worker tries, the
# label keeps what the last try found, so a retry loop never makes it blink.
_MESSAGE_BY_STATE = {
    "idle": "sync.indicator.online",
    "offline": "sync.indicator.offline",
    "error": "sync.indicator.error",
}


def indicator_message_id(state: str, shown: str | None) -> str | None:
    """The catalogue id the indicator shows for a worker state, given what it shows now
    (None: nothing yet, before the first try has ended)."""
    if state == "syncing":
        return shown
    return _MESSAGE_BY_STATE.get(state, "sync.indicator.error")


class SyncIndicator(QLabel):
    """One line of text that follows the sync controller's status.

    Attributes:
        message_id: the catalogue id now shown; None until the first try has ended.
    """

    def __init__(self, translator: Translator, controller: SyncLink) -> None:
        super().__init__(" ")  # keeps its line in the bar before there is anything to say
        self._translator = translator
        self.message_id: str | None = None
        self.setObjectName("syncIndicator")
        self.setProperty("role", "small")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(translator.tr("sync.indicator.name"))
        self.show_status(controller.status)
        controller.status_changed.connect(self.on_controller_status_changed)

    def show_status(self, status: SyncStatus) -> None:
        message_id = indicator_message_id(str(status.state), self.message_id)
        if message_id is not None and message_id != self.message_id:
            self.message_id = message_id
            self.setText(self._translator.tr(message_id))

    @Slot(object)
    def on_controller_status_changed(self, status: SyncStatus) -> None:
        self.show_status(status)
