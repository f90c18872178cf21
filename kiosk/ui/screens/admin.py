"""The staff pages behind the hidden entry: PIN check, then the device's status."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from contract.content_base import KST
from kiosk import __version__
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import ScreenEnv, TitledScreen
from kiosk.ui.widgets import error_line, label

if TYPE_CHECKING:
    from kiosk.services.sync_link import SyncLink
    from kiosk.ui.screens.usb import Action

log = logging.getLogger(__name__)

PIN_MAX_DIGITS = 8


def lock_text(env: ScreenEnv, seconds: int) -> str:
    """How long the staff PIN stays locked, in minutes once it is a minute or more."""
    if seconds >= 60:
        return env.tr("admin.pin.locked_minutes", minutes=-(-seconds // 60))
    return env.tr("admin.pin.locked", seconds=seconds)


class AdminPinScreen(TitledScreen):
    title_id = "admin.pin.title"

    def build(self) -> None:
        env = self.env
        self._digits = ""
        self.box.addWidget(label(env.tr("admin.pin.hint")))
        self.dots = label("", "title", name="pinDots")
        self.message = error_line("pinMessage")
        self.box.addWidget(self.message)
        keypad = env.keypad(self.on_keypad_digit, self.on_keypad_erase, self.on_keypad_submit)
        self.keep_keypad(self.dots, keypad)
        self.box.addStretch(1)
        # A device without a usable staff PIN says so, and how to set one, before any try.
        problem = env.services.device.staff_pin.pin().problem
        if problem is not None:
            self._fail(env.tr(problem.value))
        # Digital coaches start a coached session from here (kiosk.ui.screens.coach).
        coach = env.button(env.tr("coach.entry"), name="coachEntry")
        coach.clicked.connect(self.on_coach_clicked)
        self.box.addWidget(coach)
        self._show_dots()

    def _show_dots(self) -> None:
        # Never the digits themselves, and no placeholder text that a camera could read.
        self.dots.setText("●" * len(self._digits) if self._digits else " ")

    def on_keypad_digit(self, digit: str) -> None:
        if len(self._digits) < PIN_MAX_DIGITS:
            self._digits += digit
            self._show_dots()

    def on_keypad_erase(self) -> None:
        self._digits = self._digits[:-1]
        self._show_dots()

    def on_keypad_submit(self) -> None:
        check = self.env.services.device.staff_pin.check(self._digits)
        self._digits = ""
        self._show_dots()
        if check.ok:
            self.env.shell.navigate(Route("admin_status"))
        elif check.problem is not None:
            log.error("staff_pin_refused reason=%s", check.problem)
            self._fail(self.env.tr(check.problem))
        elif check.locked_s:
            self._fail(lock_text(self.env, check.locked_s))
        else:
            self._fail(self.env.tr("admin.pin.wrong"))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def on_coach_clicked(self) -> None:
        from kiosk.ui.screens.coach import sign_in_route

        self.env.shell.navigate(sign_in_route())


class AdminStatusScreen(TitledScreen):
    title_id = "admin.status.title"

    def build(self) -> None:
        env = self.env
        ctx = env.ctx
        # The sync worker's handle, when the app runs one (KioskWindow.attach_sync).
        self.sync: SyncLink | None = getattr(env.shell, "sync", None)
        self.values: dict[str, QLabel] = {}
        # What staff act on comes first: the sync state and its button, then the queue.
        self.box.addWidget(self._row("sync.admin.state", ""))
        self.sync_button = env.button(env.tr("sync.admin.sync_now"), role="primary", name="syncNow")
        self.sync_button.clicked.connect(self.on_sync_button_clicked)
        self.box.addWidget(self.sync_button)
        self.sync_message = label("", "notice")
        self.sync_message.setObjectName("syncMessage")
        self.sync_message.hide()
        self.box.addWidget(self.sync_message)
        # The USB stick both ways (kiosk.ui.screens.usb), then the configuration file and the
        # enrolment (kiosk.ui.screens.settings).
        for message_id, name, slot in (
            ("usb.export.entry", "usbExport", self.on_usb_export_clicked),
            ("usb.content.entry", "usbContent", self.on_usb_content_clicked),
            ("settings.entry", "settingsEntry", self.on_settings_clicked),
            ("enroll.entry", "enrollEntry", self.on_enroll_clicked),
            ("reset.entry", "resetEntry", self.on_reset_clicked),
        ):
            button = env.button(env.tr(message_id), name=name)
            button.clicked.connect(slot)
            self.box.addWidget(button)
        rows = [
            ("admin.status.outbox", ""),
            ("admin.status.dead_letters", ""),
            ("sync.admin.last_success", ""),
            ("sync.admin.last_error", ""),
            ("admin.status.device", ctx.config.device_name),
            ("admin.status.app_version", __version__),
            (
                "admin.status.content_version",
                env.services.device.active_content_version() or env.tr("admin.status.content_none"),
            ),
            ("admin.status.data_dir", breakable_path(str(ctx.data_dir))),
            ("admin.status.voice", env.shell.voice.staff_status()),
        ]
        if ctx.content_error:
            rows.append(("error.content.title", ctx.content_error))
        for title_id, value in rows:
            self.box.addWidget(self._row(title_id, value))
        self.box.addStretch(1)
        if self.sync is not None:
            self.sync.status_changed.connect(self.on_sync_status_changed)
        self._show_sync()

    def _show_sync(self) -> None:
        """Fill the queue and sync rows from the outbox and the worker's latest status."""
        tr, device = self.env.tr, self.env.services.device
        counts = device.outbox_counts()
        self.values["admin.status.outbox"].setText(
            tr(
                "admin.status.outbox.counts",
                pending=counts.get("pending", 0),
                sent=counts.get("sent", 0),
                dead=counts.get("dead", 0),
            )
        )
        self.values["admin.status.dead_letters"].setText(self._dead_letter_text())
        if self.sync is None:
            state = tr("sync.state.not_enrolled")
            record = device.sync_record()
            last_success, last_error = record.last_success, record.last_error
        else:
            status = self.sync.status
            state = tr(f"sync.state.{status.state}")
            if status.retry_in_s is not None and status.state in ("offline", "error"):
                state += "\n" + tr("sync.state.retry_in", seconds=round(status.retry_in_s))
            last_success, last_error = status.last_success, status.last_error
        self.values["sync.admin.state"].setText(state)
        self.values["sync.admin.last_success"].setText(
            _when(last_success) if last_success else tr("sync.admin.never")
        )
        self.values["sync.admin.last_error"].setText(
            f"{_when(last_error.at)}\n{tr(last_error.message_id)}\n({last_error.detail})"
            if last_error
            else tr("sync.admin.no_error")
        )

    def _dead_letter_text(self) -> str:
        letters = self.env.services.device.dead_letters()
        if not letters:
            return self.env.tr("admin.status.dead_letters.none")
        return "\n".join(
            f"#{d.envelope.device_seq} {d.envelope.kind}: {d.reason}" for d in letters[:20]
        )

    @Slot()
    def on_sync_button_clicked(self) -> None:
        if self.sync is None:
            self.sync_message.setText(self.env.tr("sync.admin.sync_unavailable"))
        else:
            self.sync.sync_now()
            self.sync_message.setText(self.env.tr("sync.admin.sync_started"))
        self.sync_message.show()

    @Slot()
    def on_usb_export_clicked(self) -> None:
        self._usb("export")

    @Slot()
    def on_usb_content_clicked(self) -> None:
        self._usb("content")

    def _usb(self, action: Action) -> None:
        from kiosk.ui.screens.usb import start, usb_route

        route = usb_route(action)
        start(self.env, route.params["run"])
        self.env.shell.navigate(route)

    @Slot()
    def on_settings_clicked(self) -> None:
        from kiosk.ui.screens.settings import settings_route

        self.env.shell.navigate(settings_route(self.env))

    @Slot()
    def on_enroll_clicked(self) -> None:
        from kiosk.ui.screens.settings import enroll_route

        self.env.shell.navigate(enroll_route(self.env))

    @Slot()
    def on_reset_clicked(self) -> None:
        from kiosk.ui.screens.settings import RESET

        self.env.shell.navigate(Route(RESET))

    @Slot(object)
    def on_sync_status_changed(self, _status: object) -> None:
        self._show_sync()

    def _row(self, title_id: str, value: str) -> QFrame:
        title = self.env.tr(title_id)
        card = QFrame()
        card.setProperty("role", "card")
        box = QVBoxLayout(card)
        gap = self.env.theme.metrics.gap_px
        box.setContentsMargins(gap * 2, gap, gap * 2, gap)
        box.addWidget(label(title, "small"))
        value_label = label(value)
        value_label.setObjectName(f"value_{title}")
        box.addWidget(value_label)
        self.values[title_id] = value_label
        return card


def breakable_path(path: str) -> str:
    """`path` with a zero-width space after each separator: a folder's path has no spaces, so
    it could not wrap and stood cut at the page's edge at large text."""
    for mark in "/\\_-.":
        path = path.replace(mark, mark + "\u200b")
    return path


def _when(moment: datetime) -> str:
    # Staff read Korean time, whatever zone the kiosk's system clock is set to.
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")
