"""The staff page's 기기 설정 and 기기 등록, by taps: the configuration file edited and saved,
the restart asked for, the device enrolled against the real reference server, and every new
screen fitting at every text size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kiosk.config import load_config
from kiosk.domain.a11y import TEXT_SCALES
from kiosk.store.settings import DeviceSettings
from kiosk.store.staff_pin import stored_pin_hash
from kiosk.ui.keyboard import ENGLISH, NUMBERS, HangulKeyboard
from kiosk.ui.render import show_screen
from kiosk.ui.screens import settings as settings_screens
from kiosk.ui.screens import usb as usb_screens
from sync.worker import SERVER_URL_KEY
from tests.helpers.audit import clipped_labels, missing_glyphs, small_targets
from tests.helpers.staff_pin import STAFF_PIN, give_staff_pin
from tests.sync.conftest import survey_payload
from tests.sync.reference_server import ReferenceServer
from tests.sync.test_cli import sync_cli
from tests.widget.conftest import running_server

NEW_PIN = "30571946"

INSTALLED = """\
# Ontong kiosk configuration (written by install.sh; every key: README.md, Configuration)
mode = "kiosk"
dong = "hoehyeon"
device_name = "회현동 1번"
panel_diagonal_inches = 32.0
screen_off = []
"""


def tap(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def find(window, name: str) -> QWidget:
    found = [w for w in window.findChildren(QWidget, name) if w.isVisible()]
    assert len(found) == 1, f"{len(found)} widgets named {name} on {window.navigator.current}"
    return found[0]


def press_pin(qtbot, window, pin: str) -> None:
    for digit in pin:
        tap(qtbot, find(window, f"key_{digit}"))
    tap(qtbot, find(window, "key_확인"))


def open_status_page(qtbot, window, pin: str = STAFF_PIN) -> None:
    if stored_pin_hash(DeviceSettings(window.ctx.db)) is None:
        give_staff_pin(window)  # no default PIN: the tests' device has its own
    for _ in range(5):
        tap(qtbot, find(window, "brand"))
    press_pin(qtbot, window, pin)
    assert window.navigator.current.screen == "admin_status"


def option(window, value) -> QWidget:
    (button,) = [
        b for b in window.current_screen.findChildren(QWidget) if getattr(b, "value", 0) == value
    ]
    return button


def type_on(qtbot, keyboard: HangulKeyboard, text: str) -> None:
    for ch in text:
        page = ENGLISH if ch.isalpha() else NUMBERS
        if keyboard.page != page:
            tap(qtbot, keyboard.button(f"page_{page}"))
        tap(qtbot, keyboard.button(ch.lower()))


def test_staff_change_the_dong_and_panel_size_and_the_file_holds_them(
    qtbot, make_window, tmp_path, monkeypatch
):
    config_file = tmp_path / "etc" / "config.toml"
    config_file.parent.mkdir()
    config_file.write_text(INSTALLED, encoding="utf-8")
    window = make_window()
    window.ctx.config_path = config_file
    open_status_page(qtbot, window)
    tap(qtbot, find(window, "settingsEntry"))
    assert window.navigator.current.screen == "admin_settings"
    assert "회현동" in find(window, "setting_dong").accessibleName()

    tap(qtbot, find(window, "setting_dong"))
    tap(qtbot, option(window, "myeong"))
    assert window.navigator.current.screen == "admin_settings"
    assert "명동" in find(window, "setting_dong").accessibleName()
    tap(qtbot, find(window, "setting_panel_diagonal_inches"))
    tap(qtbot, option(window, 55.0))
    tap(qtbot, find(window, "settingsReview"))
    assert window.navigator.current.screen == "admin_settings_review"
    assert "회현동  →  명동" in find(window, "answer_dong").text()
    assert "32인치  →  55인치" in find(window, "answer_panel_diagonal_inches").text()
    assert config_file.read_text(encoding="utf-8") == INSTALLED  # nothing written yet

    tap(qtbot, find(window, "settingsSave"))
    assert window.navigator.current.screen == "admin_settings_saved"
    config = load_config(config_file)
    assert (config.dong, config.panel_diagonal_inches) == ("myeong", 55.0)
    assert config.device_name == "회현동 1번"
    assert config_file.read_text(encoding="utf-8").startswith("# Ontong kiosk configuration")
    restarts: list[bool] = []
    monkeypatch.setattr(settings_screens, "request_restart", lambda: restarts.append(True))
    tap(qtbot, find(window, "restartNow"))
    assert restarts == [True]


def test_a_bad_server_address_is_refused_naming_the_key(qtbot, make_window, tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(INSTALLED, encoding="utf-8")
    window = make_window()
    window.ctx.config_path = config_file
    open_status_page(qtbot, window)
    tap(qtbot, find(window, "settingsEntry"))
    tap(qtbot, find(window, "setting_server_url"))
    keyboard = window.current_screen.keyboard
    assert keyboard.page == ENGLISH
    keyboard.set_text("")
    type_on(qtbot, keyboard, "ftp:x")
    tap(qtbot, keyboard.button("done"))
    tap(qtbot, find(window, "settingsReview"))
    tap(qtbot, find(window, "settingsSave"))
    message = find(window, "problemMessage").text()
    assert "server_url" in message and "https://" in message
    assert config_file.read_text(encoding="utf-8") == INSTALLED


def enrol_by_taps(qtbot, window, url: str, code: str, new_pin: str = NEW_PIN) -> str:
    if window.navigator.current.screen != "admin_status":
        open_status_page(qtbot, window)
    tap(qtbot, find(window, "enrollEntry"))
    for field, text in (("url", url), ("code", code)):
        tap(qtbot, find(window, f"enroll_{field}"))
        keyboard = window.current_screen.keyboard
        keyboard.clear()
        type_on(qtbot, keyboard, text)
        tap(qtbot, keyboard.button("done"))
        assert window.navigator.current.screen == "admin_enroll"
    # Enrolment sets the device's new staff PIN, typed twice.
    tap(qtbot, find(window, "enroll_pin"))
    assert window.navigator.current.screen == "admin_enroll_pin"
    press_pin(qtbot, window, new_pin)
    press_pin(qtbot, window, new_pin)
    assert window.navigator.current.screen == "admin_enroll"
    tap(qtbot, find(window, "enrollStart"))
    message = find(window, "enrollMessage")
    qtbot.waitUntil(lambda: "잠시" not in message.text(), timeout=20_000)
    return message.text()


def test_enrolment_from_the_staff_page(qtbot, make_window, server):
    window = make_window()
    said = enrol_by_taps(qtbot, window, server.url, server.enroll_code())
    device_id = DeviceSettings(window.ctx.db).device_id()
    assert device_id is not None
    assert said.startswith("등록되었습니다") and device_id in said
    assert find(window, "restartNow").isVisible()
    assert device_id in server.cli("devices")
    # The new PIN opens the staff page; the one before it no longer does.
    tap(qtbot, window.home_button)
    for _ in range(5):
        tap(qtbot, find(window, "brand"))
    press_pin(qtbot, window, STAFF_PIN)
    assert window.navigator.current.screen == "admin_pin"
    press_pin(qtbot, window, NEW_PIN)
    assert window.navigator.current.screen == "admin_status"


def test_enrolment_needs_a_new_pin_typed_the_same_twice(qtbot, make_window, server):
    window = make_window()
    open_status_page(qtbot, window)
    tap(qtbot, find(window, "enrollEntry"))
    tap(qtbot, find(window, "enroll_pin"))
    press_pin(qtbot, window, "123456")  # the first PIN anyone tries
    assert "차례로 이어지는 숫자" in find(window, "pinMessage").text()
    press_pin(qtbot, window, NEW_PIN)
    press_pin(qtbot, window, "97531864")
    assert "두 번 누른 비밀번호가 다릅니다" in find(window, "pinMessage").text()
    assert window.navigator.current.screen == "admin_enroll_pin"
    tap(qtbot, window.back_button)
    form = window.current_screen.form
    form.url, form.code = server.url, server.enroll_code()
    tap(qtbot, find(window, "enrollStart"))
    assert "새 관리자 비밀번호를 정합니다" in find(window, "enrollMessage").text()
    assert form.job is None and DeviceSettings(window.ctx.db).device_id() is None


@pytest.fixture(scope="module")
def other_server(tmp_path_factory) -> Iterator[ReferenceServer]:
    with running_server(tmp_path_factory.mktemp("other-server")) as srv:
        yield srv


def to_status_page(qtbot, window, pin: str) -> None:
    tap(qtbot, window.home_button)
    for _ in range(5):
        tap(qtbot, find(window, "brand"))
    press_pin(qtbot, window, pin)
    assert window.navigator.current.screen == "admin_status"


def test_the_device_stays_with_its_server_until_a_reset_after_a_usb_export(
    qtbot, make_window, server, other_server, tmp_path
):
    window = make_window()
    assert enrol_by_taps(qtbot, window, server.url, server.enroll_code()).startswith("등록")
    settings = DeviceSettings(window.ctx.db)
    queued = window.ctx.outbox.enqueue("survey_response", survey_payload(), content_version=None)
    # 기기 등록 to another server: refused, the device still enrolled with the first.
    to_status_page(qtbot, window, NEW_PIN)
    said = enrol_by_taps(qtbot, window, other_server.url, other_server.enroll_code())
    assert "다른 서버" in said and "기기 초기화" in said
    assert settings.get(SERVER_URL_KEY) == server.url
    assert "no devices enrolled" in other_server.cli("devices")
    # 기기 초기화 with the pending envelope not exported: refused, saying to export to USB.
    to_status_page(qtbot, window, NEW_PIN)
    tap(qtbot, find(window, "resetEntry"))
    assert "USB로 내보내세요" in find(window, "pinMessage").text()  # said before the PIN
    press_pin(qtbot, window, NEW_PIN)
    assert "USB로 내보내세요" in find(window, "pinMessage").text()
    assert "내보내지 않은 제출물: 1건" in find(window, "pinMessage").text()
    assert settings.get(SERVER_URL_KEY) == server.url
    assert window.ctx.outbox.counts_by_status()["pending"] == 1
    # Exported to the USB stick (the shell's python -m sync export), then the reset goes on.
    usb = tmp_path / "usb"
    usb.mkdir()
    exported = sync_cli("export", str(usb), "--data-dir", str(window.ctx.data_dir))
    assert exported.returncode == 0, exported.stderr
    press_pin(qtbot, window, "11111111")  # a wrong PIN resets nothing
    assert "맞지 않습니다" in find(window, "pinMessage").text()
    press_pin(qtbot, window, NEW_PIN)
    assert "초기화했습니다" in find(window, "resetDone").text()
    assert find(window, "restartNow").isVisible()
    assert settings.get(SERVER_URL_KEY) is None and settings.device_id() is None
    record = window.ctx.outbox.get(queued.id)
    assert record is not None and record.status == "exported"  # kept, never sent again
    # Now 기기 등록 with the other server; the envelope stays on the USB stick only.
    to_status_page(qtbot, window, NEW_PIN)
    said = enrol_by_taps(qtbot, window, other_server.url, other_server.enroll_code())
    assert said.startswith("등록되었습니다")
    assert settings.get(SERVER_URL_KEY) == other_server.url
    assert window.ctx.outbox.pending() == []


def test_a_wrong_enrolment_code_gets_a_plain_error(qtbot, make_window, server):
    window = make_window()
    said = enrol_by_taps(qtbot, window, server.url, "abcd-efgh-jkmn")
    assert "등록 코드가 맞지 않거나" in said
    assert DeviceSettings(window.ctx.db).device_id() is None
    assert find(window, "enrollStart").isEnabled()  # they may try again


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_settings_screen_fits_at_every_text_size(qtbot, make_window, size, scale):
    window = make_window(size)
    problems: list[str] = []
    for language in ("ko", "en"):
        window.prefs.set(language=language, text_scale=scale, high_contrast=False)
        for name in (*settings_screens.SAMPLE_NAMES, *usb_screens.SAMPLE_NAMES, "admin_status"):
            show_screen(window, name)
            qtbot.wait(1)
            where = f"{name} ({language})"
            problems.extend(f"{where}: {p}" for p in clipped_labels(window))
            problems.extend(f"{where}: {p}" for p in small_targets(window, 96))
            problems.extend(f"{where}: {p}" for p in missing_glyphs(window))
    assert not problems, "\n".join(problems)


def test_samples_write_nothing(make_window, tmp_path: Path):
    window = make_window()
    for name in settings_screens.SAMPLE_NAMES:
        show_screen(window, name)
    assert not (window.ctx.data_dir / "sample-config.toml").exists()
