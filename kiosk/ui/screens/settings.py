"""Staff screens behind the status page: the device's settings (its configuration file) and
its enrolment with a server.

기기 설정: one large button per editable key (kiosk.config_edit.EDITABLE) showing its value;
a choice opens a screen of large option buttons, the server address the on-screen keyboard on
its English page. 바뀐 내용 확인 lists the changes, 저장 writes the file, and the last screen
says the change applies after a restart, with 지금 다시 시작 (exit code 75: the systemd unit
starts the app again).

기기 등록: the server address and the one-time code typed on screen, and the device's new staff
PIN on a keypad (twice); the enrolment runs off the GUI thread through the window's background
helper (kiosk.services.enrolment), and its answer comes back to the page shown then. A device
enrolled with one server enrols again only with that server (sync.enrolment).

기기 초기화: the staff PIN again, then sync.enrolment.reset_enrolment (refused while a pending
envelope has not been exported to USB).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Slot

from contract.content import TimeWindow
from kiosk.config_edit import EDITABLE, EditError, SettingsDraft
from kiosk.paths import default_config_file
from kiosk.services import Refusal
from kiosk.services.enrolment import EnrolmentJob, EnrolmentResult
from kiosk.ui.flow import (
    ProblemMessage,
    choice_buttons,
    option_grid,
    review_row,
    text_step,
)
from kiosk.ui.keyboard import ENGLISH, HangulKeyboard
from kiosk.ui.navigation import Route
from kiosk.ui.qr import breakable
from kiosk.ui.screens.base import Screen, ScreenEnv, TitledScreen
from kiosk.ui.widgets import WrapButton, label

if TYPE_CHECKING:
    from kiosk.ui.shell import KioskWindow

log = logging.getLogger(__name__)

SETTINGS = "admin_settings"
CHOICE = "admin_setting_choice"
TEXT = "admin_setting_text"
REVIEW = "admin_settings_review"
SAVED = "admin_settings_saved"
ENROLL = "admin_enroll"
ENROLL_PIN = "admin_enroll_pin"
RESET = "admin_reset"
PIN_MAX_DIGITS = 8
RESTART_EXIT_CODE = 75  # the systemd unit starts the app again (RestartForceExitStatus)


def request_restart() -> None:
    """End the app with the exit code that makes its unit start it again."""
    log.info("admin_restart_requested")
    QCoreApplication.exit(RESTART_EXIT_CODE)


def config_path(env: ScreenEnv) -> tuple[Path, bool]:
    """The file the app was started with, and whether it is the default one (no --config)."""
    path = env.ctx.config_path
    return (path, False) if path is not None else (default_config_file(), True)


def settings_route(env: ScreenEnv) -> Route:
    """The settings list on a fresh draft of the file as it is now."""
    path, _ = config_path(env)
    pack = env.ctx.pack
    dongs = tuple(d.id for d in pack.district.dongs) if pack is not None else ()
    try:
        draft: SettingsDraft | None = SettingsDraft.open(path, dongs)
    except EditError as e:
        log.error("settings_unreadable path=%s reason=%s", path, e)
        draft = None
    return Route(SETTINGS, {"draft": draft})


# -- wording of values --------------------------------------------------------------------


def inches_text(inches: float) -> str:
    return f"{inches:g}"


def value_text(env: ScreenEnv, key: str, value: Any) -> str:
    tr = env.tr
    if key == "mode":
        return tr(f"settings.mode.{value}")
    if key == "dong":
        if value is None:
            return tr("settings.dong.none")
        pack = env.ctx.pack
        dong = pack.district.dong(value) if pack is not None else None
        return dong.name.get(env.language) if dong is not None else str(value)
    if key == "panel_diagonal_inches":
        return tr("settings.panel", inches=inches_text(value))
    if key == "server_url":
        return breakable(value) if value else tr("settings.server.none")
    if key == "screen_off":
        windows: tuple[TimeWindow, ...] = value
        if not windows:
            return tr("settings.screen_off.none")
        return ", ".join(
            tr("settings.screen_off.window", start=w.start, end=w.end) for w in windows
        )
    return str(value)


def shown_keys(draft: SettingsDraft) -> list[str]:
    """Dark hours only matter to a board (and to a file that already has some)."""
    return [
        key
        for key in EDITABLE
        if key != "screen_off" or draft.value("mode") == "board" or draft.value("screen_off")
    ]


def choices(draft: SettingsDraft, key: str) -> list[Any]:
    if key == "mode":
        return ["kiosk", "board"]
    if key == "dong":
        return [None, *draft.dong_ids]
    if key == "panel_diagonal_inches":
        return list(draft.panel_choices())
    if key == "screen_off":
        return list(draft.screen_off_choices())
    raise KeyError(key)


# -- settings -----------------------------------------------------------------------------


class SettingsScreen(TitledScreen):
    title_id = "settings.title"

    def build(self) -> None:
        env = self.env
        self.draft: SettingsDraft | None = self.params["draft"]
        path, _ = config_path(env)
        if self.draft is None:
            self.box.addWidget(label(env.tr("settings.unreadable"), "error"))
            self.box.addWidget(label(env.tr("settings.file", path=breakable(str(path))), "small"))
            self.box.addStretch(1)
            return
        self.box.addWidget(label(env.tr("settings.hint")))
        for key in shown_keys(self.draft):
            self.box.addWidget(self._key_button(key))
        self.box.addWidget(label(env.tr("settings.file", path=breakable(str(path))), "small"))
        if not path.exists():
            self.box.addWidget(label(env.tr("settings.file.new"), "small"))
        self.box.addStretch(1)
        review = env.button(env.tr("settings.review"), role="primary", name="settingsReview")
        review.clicked.connect(self.on_review_clicked)
        self.box.addWidget(review)

    def _key_button(self, key: str) -> WrapButton:
        env = self.env
        assert self.draft is not None
        value = value_text(env, key, self.draft.value(key))
        if key in self.draft.edits:
            value = f"{value}  ({env.tr('settings.changed')})"
        button = env.button(
            env.tr(f"settings.key.{key}"), (value, "regular"), name=f"setting_{key}"
        )
        button.clicked.connect(lambda _=False, key=key: self.on_key_clicked(key))
        return button

    def on_key_clicked(self, key: str) -> None:
        screen = TEXT if key == "server_url" else CHOICE
        self.env.shell.navigate(Route(screen, {"draft": self.draft, "key": key}))

    @Slot()
    def on_review_clicked(self) -> None:
        self.env.shell.navigate(Route(REVIEW, {"draft": self.draft}))


class SettingChoiceScreen(Screen):
    """Large option buttons for one key; a tap chooses and goes back to the list."""

    title_id = "settings.title"

    def build(self) -> None:
        env = self.env
        self.draft: SettingsDraft = self.params["draft"]
        self.key: str = self.params["key"]
        self.box.addWidget(label(env.tr(f"settings.key.{self.key}"), "title"))
        self.box.addWidget(label(env.tr("settings.choose")))
        options = [(v, value_text(env, self.key, v)) for v in choices(self.draft, self.key)]
        now = self.draft.value(self.key)
        buttons = choice_buttons(
            env, options, now, self.on_option_clicked, lambda n, _: f"option_{n}"
        )
        self.box.addWidget(option_grid(env, buttons))
        self.box.addStretch(1)

    def on_option_clicked(self, value: Any) -> None:
        self.draft.set(self.key, value)
        self.env.shell.go_back()


class SettingTextScreen(Screen):
    """The on-screen keyboard, on its English page, for an address or a code.

    Params: `draft` and `key` (a settings key), or `form` and `field` (the enrolment form).
    """

    title_id = "settings.title"

    def build(self) -> None:
        env = self.env
        self.draft: SettingsDraft | None = self.params.get("draft")
        self.form: EnrolmentForm | None = self.params.get("form")
        if self.draft is not None:
            self.key = str(self.params["key"])
            heading, hint = f"settings.key.{self.key}", "settings.url.hint"
            initial = self.draft.value(self.key) or "https://"
        else:
            assert self.form is not None
            self.key = str(self.params["field"])
            heading, hint = f"enroll.{self.key}", f"settings.{self.key}.hint"
            if self.key == "code":
                hint = "enroll.code.hint"
            initial = getattr(self.form, self.key) or ("https://" if self.key == "url" else "")
        self.keyboard = HangulKeyboard(
            env.translator, env.theme.metrics, max_length=200, initial_text=initial
        )
        self.keyboard.show_page(ENGLISH)
        self.keyboard.done.connect(self.on_keyboard_done)
        head = [label(env.tr(heading), "title"), label(env.tr(hint))]
        text_step(self, head, self.keyboard, [])

    @Slot(str)
    def on_keyboard_done(self, text: str) -> None:
        text = text.strip()
        if self.draft is not None:
            self.draft.set(self.key, "" if text in ("https://", "http://") else text)
        else:
            assert self.form is not None
            setattr(self.form, self.key, text)
        self.env.shell.go_back()


class SettingsReviewScreen(TitledScreen):
    title_id = "settings.review.title"

    def build(self) -> None:
        env = self.env
        self.draft: SettingsDraft = self.params["draft"]
        if not self.draft.edits:
            self.box.addWidget(label(env.tr("settings.review.none")))
        for key in EDITABLE:
            if key not in self.draft.edits:
                continue
            change = env.tr(
                "settings.review.change",
                before=value_text(env, key, getattr(self.draft.before, key)),
                after=value_text(env, key, self.draft.value(key)),
            )
            self.box.addWidget(review_row(env, env.tr(f"settings.key.{key}"), change, name=key))
        self.box.addStretch(1)
        self.message = ProblemMessage(env)
        self.box.addWidget(self.message)
        save = env.button(env.tr("settings.save"), role="primary", name="settingsSave")
        save.clicked.connect(self.on_save_clicked)
        save.setEnabled(bool(self.draft.edits))
        self.box.addWidget(save)

    @Slot()
    def on_save_clicked(self) -> None:
        env = self.env
        try:
            self.draft.save()
        except EditError as e:
            log.warning("settings_refused key=%s detail=%s", e.key, e.detail)
            detail = env.tr("settings.error.server_url") if e.key == "server_url" else e.detail
            self.message.show_text(env.tr("settings.error", key=e.key, detail=detail))
            return
        log.info("settings_saved path=%s keys=%s", self.draft.path, ",".join(self.draft.edits))
        env.shell.navigate(Route(SAVED, {"draft": self.draft}))


class SettingsSavedScreen(TitledScreen):
    title_id = "settings.saved.title"

    def build(self) -> None:
        env = self.env
        draft: SettingsDraft = self.params["draft"]
        self.box.addWidget(label(env.tr("settings.saved.restart"), "strong"))
        self.box.addWidget(label(env.tr("settings.file", path=breakable(str(draft.path))), "small"))
        if config_path(env)[1]:
            self.box.addWidget(label(env.tr("settings.saved.default_file"), "small"))
        self.box.addStretch(1)
        restart = env.button(env.tr("settings.restart_now"), role="primary", name="restartNow")
        restart.clicked.connect(self.on_restart_clicked)
        self.box.addWidget(restart)

    @Slot()
    def on_restart_clicked(self) -> None:
        request_restart()


# -- enrolment ----------------------------------------------------------------------------


@dataclass
class EnrolmentForm:
    """What the enrolment page holds across its keyboard screens and rebuilds."""

    url: str = ""
    code: str = ""
    # The new staff PIN's hash, once typed twice (never the PIN itself).
    pin_hash: str | None = field(default=None, repr=False)
    job: EnrolmentJob | None = field(default=None, repr=False)


def enroll_route(env: ScreenEnv) -> Route:
    """The enrolment form, on the server the device is pinned to when it has one."""
    pinned = env.services.device.pinned_server()
    url = pinned[0] if pinned is not None else env.ctx.config.server_url or ""
    return Route(ENROLL, {"form": EnrolmentForm(url=url)})


class EnrollScreen(TitledScreen):
    title_id = "enroll.title"

    def build(self) -> None:
        env = self.env
        self.form: EnrolmentForm = self.params["form"]
        self.box.addWidget(label(env.tr("enroll.hint")))
        device_id = env.services.device.device_id()
        if device_id is not None and self.form.job is None:
            self.box.addWidget(label(env.tr("enroll.already", device_id=device_id), "notice"))
        for field_name in ("url", "code"):
            value = getattr(self.form, field_name)
            shown = breakable(value) if value else env.tr("enroll.empty")
            button = env.button(
                env.tr(f"enroll.{field_name}"), (shown, "regular"), name=f"enroll_{field_name}"
            )
            button.clicked.connect(lambda _=False, f=field_name: self.on_field_clicked(f))
            self.box.addWidget(button)
        # The new staff PIN, unless the configuration file sets it (fleet provisioning).
        self.pin_from_config = env.ctx.config.admin_pin_hash is not None
        if self.pin_from_config:
            self.box.addWidget(label(env.tr("enroll.pin.config"), "small"))
        else:
            shown = env.tr("enroll.pin.set") if self.form.pin_hash else env.tr("enroll.empty")
            pin = env.button(env.tr("enroll.pin"), (shown, "regular"), name="enroll_pin")
            pin.clicked.connect(self.on_pin_clicked)
            self.box.addWidget(pin)
        self.message = label("", "notice")
        self.message.setObjectName("enrollMessage")
        self.message.hide()
        self.box.addWidget(self.message)
        self.start_button = env.button(env.tr("enroll.start"), role="primary", name="enrollStart")
        self.start_button.clicked.connect(self.on_start_clicked)
        self.box.addWidget(self.start_button)
        self.restart = env.button(env.tr("settings.restart_now"), name="restartNow")
        self.restart.clicked.connect(self.on_restart_clicked)
        self.restart.hide()
        self.box.addWidget(self.restart)
        self.box.addStretch(1)
        if self.form.job is not None:
            self.form.job.answered.connect(self.on_job_answered)
        self._show_job()

    def on_field_clicked(self, field_name: str) -> None:
        self.env.shell.navigate(Route(TEXT, {"form": self.form, "field": field_name}))

    @Slot()
    def on_pin_clicked(self) -> None:
        self.env.shell.navigate(Route(ENROLL_PIN, {"form": self.form}))

    @Slot()
    def on_start_clicked(self) -> None:
        env = self.env
        url, code = self.form.url.strip(), self.form.code.strip()
        if not url or not code:
            self._say(env.tr("enroll.missing"), "error")
            return
        if self.form.pin_hash is None and not self.pin_from_config:
            self._say(env.tr("enroll.pin.missing"), "error")
            return
        config = env.ctx.config
        self.form.job = EnrolmentJob(
            env.ctx,
            url,
            code,
            name=config.device_name,
            mode=config.mode,
            pin_hash=self.form.pin_hash,
        )
        self.form.job.answered.connect(self.on_job_answered)
        self.form.job.start(env.shell.background)
        log.info("enrolment_started server=%s", url)
        self._show_job()

    @Slot()
    def on_job_answered(self) -> None:
        self._show_job()

    def _show_job(self) -> None:
        job = self.form.job
        if job is None:
            return
        result = job.result
        tr = self.env.tr
        self.start_button.setEnabled(result is not None and result.device_id is None)
        if result is None:
            self._say(tr("enroll.running"), "notice")
        elif result.device_id is not None:
            self._say(tr("enroll.done", device_id=result.device_id), "notice")
            self.restart.show()
        else:
            assert result.message_id is not None
            log.warning("enrolment_refused reason=%s", result.detail)
            self._say(tr(result.message_id, url=breakable(result.url)), "error")

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        if self.message.property("role") != role:
            self.message.setProperty("role", role)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)
        self.message.show()

    @Slot()
    def on_restart_clicked(self) -> None:
        request_restart()


class _PinPadScreen(Screen):
    """A keypad page that shows dots, never digits (the staff PIN pages)."""

    def pin_page(self, title_id: str, hint: str) -> None:
        env = self.env
        self.digits = ""
        self.box.addWidget(label(env.tr(title_id), "title"))
        self.hint = label(hint)
        self.box.addWidget(self.hint)
        self.dots = label(" ", "title")
        self.dots.setObjectName("pinDots")
        self.message = ProblemMessage(env)
        self.message.setObjectName("pinMessage")
        self.box.addWidget(self.message)
        keypad = env.keypad(self.on_keypad_digit, self.on_keypad_erase, self.on_keypad_submit)
        self.keep_keypad(self.dots, keypad)

    def _show_dots(self) -> None:
        self.dots.setText("●" * len(self.digits) if self.digits else " ")

    @Slot(str)
    def on_keypad_digit(self, digit: str) -> None:
        if len(self.digits) < PIN_MAX_DIGITS:
            self.digits += digit
            self._show_dots()

    @Slot()
    def on_keypad_erase(self) -> None:
        self.digits = self.digits[:-1]
        self._show_dots()

    def take_digits(self) -> str:
        digits, self.digits = self.digits, ""
        self._show_dots()
        return digits

    @Slot()
    def on_keypad_submit(self) -> None:
        raise NotImplementedError


class EnrollPinScreen(_PinPadScreen):
    """The enrolment's new staff PIN, typed twice. Route params: form (EnrolmentForm)."""

    title_id = "enroll.pin"

    def build(self) -> None:
        self.form: EnrolmentForm = self.params["form"]
        self.first: str | None = None
        self.pin_page("enroll.pin", self.env.tr("enroll.pin.hint"))
        self.box.addStretch(1)

    @Slot()
    def on_keypad_submit(self) -> None:
        from contract.pin import hash_pin
        from kiosk.domain.admin import new_staff_pin_problem

        env, pin = self.env, self.take_digits()
        if self.first is None:
            problem = new_staff_pin_problem(pin)
            if problem is not None:
                self.message.show_text(env.tr(problem))
                return
            self.first = pin
            self.message.hide()
            self.hint.setText(env.tr("admin.pin.new.again"))
            return
        if pin != self.first:
            self.first = None
            self.hint.setText(env.tr("enroll.pin.hint"))
            self.message.show_text(env.tr("admin.pin.new.mismatch"))
            return
        self.form.pin_hash = hash_pin(pin)
        env.shell.go_back()


class ResetScreen(_PinPadScreen):
    """기기 초기화: the staff PIN, then the reset (kiosk.services.device)."""

    title_id = "reset.title"

    def build(self) -> None:
        env = self.env
        # The samples (--render-screens, the layout audit) name a server instead of enrolling.
        sample: str | None = self.params.get("sample_url")
        pinned = (sample, None) if sample else env.services.device.pinned_server()
        if pinned is None:
            self.heading()
            self.only_notice("reset.not_enrolled")
            return
        self.pin_page("reset.title", env.tr("reset.hint", url=breakable(pinned[0])))
        unexported = env.services.device.unexported_pending()
        if unexported:
            self._refused(unexported)
        self.done = label("", "notice")
        self.done.setObjectName("resetDone")
        self.done.hide()
        self.box.addWidget(self.done)
        self.restart = env.button(env.tr("settings.restart_now"), name="restartNow")
        self.restart.clicked.connect(request_restart)
        self.restart.hide()
        self.box.addWidget(self.restart)
        self.box.addStretch(1)

    @Slot()
    def on_keypad_submit(self) -> None:
        from kiosk.ui.screens.admin import lock_text

        env = self.env
        check = env.services.device.staff_pin.check(self.take_digits())
        if not check.ok:
            if check.problem is not None:
                text = env.tr(check.problem)
            elif check.locked_s:
                text = lock_text(env, check.locked_s)
            else:
                text = env.tr("admin.pin.wrong")
            self.message.show_text(text)
            return
        retired = env.services.device.reset()
        if isinstance(retired, Refusal):
            self._refused(int(retired.params["count"]))
            return
        # The worker still holds the old enrolment: stop it (without waiting on the GUI thread);
        # the restart starts the app unenrolled.
        sync = getattr(env.shell, "sync", None)
        if sync is not None:
            sync.stop(wait_ms=0)
        self.message.hide()
        self.done.setText(env.tr("reset.done", count=retired))
        self.done.show()
        self.restart.show()

    def _refused(self, unexported: int) -> None:
        tr = self.env.tr
        self.message.show_text(
            f"{tr('reset.refused.pending')}\n{tr('reset.pending_count', count=unexported)}"
        )


SCREENS: dict[str, type[Screen]] = {
    SETTINGS: SettingsScreen,
    CHOICE: SettingChoiceScreen,
    TEXT: SettingTextScreen,
    REVIEW: SettingsReviewScreen,
    SAVED: SettingsSavedScreen,
    ENROLL: EnrollScreen,
    ENROLL_PIN: EnrollPinScreen,
    RESET: ResetScreen,
}

# -- samples for --render-screens and the layout audit ------------------------------------

SAMPLE_NAMES: tuple[str, ...] = (
    "settings_list",
    "settings_dong",
    "settings_panel",
    "settings_url",
    "settings_review",
    "settings_saved",
    "enroll_form",
    "enroll_error",
    "enroll_pin",
    "reset",
)


def sample_draft(window: KioskWindow) -> SettingsDraft:
    """A draft of a file that does not exist (nothing is written), with two changes."""
    pack = window.ctx.pack
    dongs = tuple(d.id for d in pack.district.dongs) if pack is not None else ()
    draft = SettingsDraft.open(window.ctx.data_dir / "sample-config.toml", dongs)
    draft.set("mode", "board")
    draft.set("dong", dongs[-1] if dongs else None)
    draft.set("panel_diagonal_inches", 55)
    draft.set("server_url", "https://ontong.junggu.example.kr/kiosk-sync")
    return draft


def show_sample(window: KioskWindow, name: str) -> bool:
    """Put `window` on the settings or enrolment sample `name`; False for any other name."""
    if name not in SAMPLE_NAMES:
        return False
    draft = sample_draft(window)
    form = EnrolmentForm(url="https://ontong.junggu.example.kr", code="ABCD-EFGH-JKMN")
    routes = {
        "settings_list": Route(SETTINGS, {"draft": draft}),
        "settings_dong": Route(CHOICE, {"draft": draft, "key": "dong"}),
        "settings_panel": Route(CHOICE, {"draft": draft, "key": "panel_diagonal_inches"}),
        "settings_url": Route(TEXT, {"draft": draft, "key": "server_url"}),
        "settings_review": Route(REVIEW, {"draft": draft}),
        "settings_saved": Route(SAVED, {"draft": draft}),
        "enroll_form": Route(ENROLL, {"form": form}),
        "enroll_error": Route(ENROLL, {"form": form}),
        "enroll_pin": Route(ENROLL_PIN, {"form": form}),
        "reset": Route(RESET, {"sample_url": form.url}),
    }
    if name == "enroll_error":
        job = EnrolmentJob(window.ctx, form.url, form.code, name="sample", mode="kiosk")
        job.result = EnrolmentResult(message_id="enroll.error.code")  # never started
        form.job = job
    window.leave_attract(then=routes[name])
    return True
