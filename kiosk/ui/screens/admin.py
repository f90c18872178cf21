"""The staff pages behind the hidden entry: PIN check, then the device's status."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QFrame, QVBoxLayout

from kiosk import __version__
from kiosk.domain.pin import verify_pin
from kiosk.ui.navigation import Route
from kiosk.ui.screens.base import Screen
from kiosk.ui.widgets import Keypad, label

PIN_MAX_DIGITS = 8


class AdminPinScreen(Screen):
    title_id = "admin.pin.title"

    def build(self) -> None:
        env = self.env
        self._digits = ""
        self.box.addWidget(label(env.tr("admin.pin.title"), "title"))
        self.box.addWidget(label(env.tr("admin.pin.hint")))
        self.dots = label("", "title")
        self.dots.setObjectName("pinDots")
        self.box.addWidget(self.dots)
        self.message = label("", "error")
        self.message.setObjectName("pinMessage")
        self.message.hide()
        self.box.addWidget(self.message)
        m = env.theme.metrics
        keypad = Keypad(
            env.tr("keypad.delete"), env.tr("keypad.ok"), m.gap_px * 2, m.button_margin_px
        )
        keypad.digit.connect(self.on_keypad_digit)
        keypad.erase.connect(self.on_keypad_erase)
        keypad.submit.connect(self.on_keypad_submit)
        self.box.addWidget(keypad)
        self.box.addStretch(1)
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
        now = time.monotonic()
        lockout = self.env.ctx.pin_lockout
        locked = lockout.seconds_locked(now)
        if locked:
            self._fail(self.env.tr("admin.pin.locked", seconds=locked))
            return
        ok = verify_pin(self._digits, self.env.ctx.config.admin_pin_hash)
        lockout.record(ok, now)
        self._digits = ""
        self._show_dots()
        if ok:
            self.env.shell.navigate(Route("admin_status"))
        else:
            self._fail(self.env.tr("admin.pin.wrong"))

    def _fail(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()


class AdminStatusScreen(Screen):
    title_id = "admin.status.title"

    def build(self) -> None:
        env = self.env
        ctx = env.ctx
        self.box.addWidget(label(env.tr("admin.status.title"), "title"))
        counts = ctx.outbox.counts_by_status()
        rows = [
            ("admin.status.device", ctx.config.device_name),
            ("admin.status.app_version", __version__),
            (
                "admin.status.content_version",
                ctx.content.active_version() or env.tr("admin.status.content_none"),
            ),
            (
                "admin.status.outbox",
                env.tr(
                    "admin.status.outbox.counts",
                    pending=counts.get("pending", 0),
                    sent=counts.get("sent", 0),
                    dead=counts.get("dead", 0),
                ),
            ),
            ("admin.status.dead_letters", self._dead_letter_text()),
            ("admin.status.data_dir", str(ctx.data_dir)),
        ]
        if ctx.content_error:
            rows.append(("error.content.title", ctx.content_error))
        for title_id, value in rows:
            self.box.addWidget(self._row(env.tr(title_id), value))
        self.box.addStretch(1)

    def _dead_letter_text(self) -> str:
        letters = self.env.ctx.outbox.dead_letters()
        if not letters:
            return self.env.tr("admin.status.dead_letters.none")
        return "\n".join(f"#{d.device_seq} {d.kind}: {d.reason}" for d in letters[:20])

    def _row(self, title: str, value: str) -> QFrame:
        card = QFrame()
        card.setProperty("role", "card")
        box = QVBoxLayout(card)
        gap = self.env.theme.metrics.gap_px
        box.setContentsMargins(gap * 2, gap, gap * 2, gap)
        box.addWidget(label(title, "small"))
        value_label = label(value)
        value_label.setObjectName(f"value_{title}")
        box.addWidget(value_label)
        return card
