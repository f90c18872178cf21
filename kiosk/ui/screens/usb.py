"""The staff page's USB stick (기기 관리 → USB로 내보내기, USB에서 콘텐츠 받기): one screen per
action that starts it at once, says it is working, then what came of it in plain Korean.

The work itself is kiosk.services.usb's, run off the GUI thread by the window's background
helper. A `UsbRun` in the route keeps the answer, so a page built again meanwhile (a new text
size) shows it too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.services.usb import Usb, UsbResult
from kiosk.ui.flow import marked_line
from kiosk.ui.navigation import Route
from kiosk.ui.qr import breakable
from kiosk.ui.screens.base import Screen, ScreenEnv, TitledScreen, action_bar
from kiosk.ui.widgets import label

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.services.background import Background
    from kiosk.ui.shell import KioskWindow

log = logging.getLogger(__name__)

USB = "admin_usb"
Action = Literal["export", "content"]
ACTIONS: tuple[Action, ...] = ("export", "content")


class UsbRun(QObject):
    """One USB action, run off the GUI thread.

    Signals:
        answered(): `result` is set; the page shown now shows it.

    Attributes:
        action: "export" (USB로 내보내기) or "content" (USB에서 콘텐츠 받기).
        result: the answer once it came; None while it runs or before it started.
        running: True from `start` until the answer.
    """

    answered = Signal()

    def __init__(self, action: Action) -> None:
        super().__init__()
        self.action: Action = action
        self.result: UsbResult | None = None
        self.running = False

    def start(self, background: Background, usb: Usb, on_installed: Callable[[str], None]) -> None:
        """Start the action; `on_installed(version)` runs on the GUI thread once a pack from
        the stick is the active content."""
        work = usb.export_outbox if self.action == "export" else usb.install_content
        self.result, self.running = None, True

        def done(result: UsbResult) -> None:
            self.result, self.running = result, False
            if result.content_version is not None:
                on_installed(result.content_version)
            self.answered.emit()

        def failed(_error: Exception) -> None:
            # Logged by the helper; staff read one plain sentence.
            done(_CRASHED[self.action])

        background.run(work, done, failed, name=f"usb_{self.action}")


# What staff read when the work itself crashed (it is in the log).
_CRASHED: dict[Action, UsbResult] = {
    "export": UsbResult(False, "usb.error.write", {"stick": "USB"}),
    "content": UsbResult(False, "usb.content.read_failed", {"file": "USB", "live": "-"}),
}


def usb_route(action: Action) -> Route:
    return Route(USB, {"run": UsbRun(action)})


class UsbScreen(TitledScreen):
    """USB로 내보내기 or USB에서 콘텐츠 받기: the hint, the state of the run, and 다시 하기."""

    def title(self) -> str:
        return self.env.tr(f"usb.{self._run().action}.title")

    def _run(self) -> UsbRun:
        run = self.params.get("run")
        if not isinstance(run, UsbRun):  # the bare route (a render of every screen)
            run = self.params["run"] = UsbRun("export")
        return run

    def build(self) -> None:
        env = self.env
        self.run = run = self._run()
        # File names are long words: let them wrap (at - . _) rather than widen the page.
        self.box.addWidget(label(breakable(env.tr(f"usb.{run.action}.hint"))))
        result = run.result
        if run.running:
            self.box.addWidget(label(env.tr("usb.working"), "notice", name="usbMessage"))
        elif result is not None:
            params = {
                k: breakable(v) if isinstance(v, str) else v for k, v in result.params.items()
            }
            words = env.tr(result.message_id, **params)
            if result.ok:
                # Its words are the label "mark_done".
                self.box.addWidget(marked_line("done", words, "success"))
            else:
                self.box.addWidget(label(words, "error", name="usbMessage"))
            if result.detail:
                self.box.addWidget(label(breakable(result.detail), "small", name="usbDetail"))
        if not run.running and (result is None or not result.ok):
            again = env.tr("usb.again") if result is not None else env.tr(f"usb.{run.action}.entry")
            button = env.button(again, role="primary", name="usbStart")
            button.clicked.connect(self.on_start_clicked)
            self.pinned = action_bar(env, [button])  # in the fixed place, seen on arrival
        self.box.addStretch(1)
        run.answered.connect(self.on_run_answered)

    @Slot()
    def on_start_clicked(self) -> None:
        start(self.env, self.run)
        self.env.shell.replace(Route(USB, self.params))  # now saying it is working

    @Slot()
    def on_run_answered(self) -> None:
        # Built again with the answer (the route holds the run).
        self.env.shell.replace(Route(USB, self.params))


def start(env: ScreenEnv, run: UsbRun) -> None:
    """Start `run` and show its page in the working state."""
    shell = env.shell
    on_installed: Callable[[str], None] = getattr(
        shell, "on_sync_content_activated", lambda _version: None
    )
    run.start(shell.background, env.services.usb, on_installed)
    log.info("usb_started action=%s", run.action)


SCREENS: dict[str, type[Screen]] = {USB: UsbScreen}

# -- samples for --render-screens and the layout audit ------------------------------------

_SAMPLES: dict[str, tuple[Action, UsbResult | None]] = {
    "usb_working": ("export", None),
    "usb_export_done": (
        "export",
        UsbResult(
            True,
            "usb.export.done",
            {
                "count": 128,
                "file": "ontong-outbox-dev-3f2a9c1b7d40-41-168.json",
                "stick": "SANDISK",
            },
        ),
    ),
    "usb_export_full": ("export", UsbResult(False, "usb.error.full", {"stick": "SANDISK"})),
    "usb_no_stick": ("content", UsbResult(False, "usb.error.no_stick")),
    "usb_content_done": (
        "content",
        UsbResult(
            True,
            "usb.content.done",
            {"file": "ontong-content-2026-12-01.zip", "version": "2026-12-01"},
        ),
    ),
    "usb_content_refused": (
        "content",
        UsbResult(
            False,
            "usb.content.refused",
            {"file": "ontong-content-2026-12-01.zip", "live": "2026-11-20"},
            "signature.json: 서명이 이 기기의 서버 것이 아니거나, 서명한 뒤 내용이 바뀌었습니다"
            " (not signed by this device's server, or changed after signing)",
        ),
    ),
    "usb_content_older": (
        "content",
        UsbResult(
            False,
            "usb.content.older",
            {
                "file": "ontong-content-2026-10-02.zip",
                "version": "2026-10-02",
                "live": "2026-11-20",
            },
        ),
    ),
}
SAMPLE_NAMES: tuple[str, ...] = tuple(_SAMPLES)


def show_sample(window: KioskWindow, name: str) -> bool:
    """Put `window` on the USB sample `name` (nothing is read or written); False for any
    other name."""
    if name not in _SAMPLES:
        return False
    action, result = _SAMPLES[name]
    run = UsbRun(action)
    run.result, run.running = result, result is None
    window.leave_attract(then=Route(USB, {"run": run}))
    return True
