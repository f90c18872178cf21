"""Start-up as staff meet it: board mode, a broken content pack, a device with no content."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.pack.install import install_pack
from kiosk.paths import asset_path
from kiosk.store.settings import DeviceSettings
from kiosk.ui.navigation import Route
from kiosk.ui.player.slides import CARD_ID


def broken_copy_of_demo(tmp_path, mutate):
    pack = tmp_path / "pack"
    shutil.copytree(asset_path("demo"), pack)
    manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
    mutate(manifest)
    (pack / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return pack


def test_board_mode_plays_the_loop_and_ignores_touch(qtbot, make_window):
    window = make_window((1920, 1080), mode="board")
    assert window.in_attract
    assert window.findChild(QAbstractButton, "attractStart") is None
    qtbot.mouseClick(window.current_screen, Qt.MouseButton.LeftButton)
    assert window.in_attract and window.navigator.current.screen == "home"


@pytest.mark.logs_error(r"content_refused pack=.* reason=.*surveys\[0\]\.questions\[0\]\.type")
def test_fresh_device_with_a_broken_pack_still_starts_and_tells_staff(qtbot, make_window, tmp_path):
    def unknown_question_type(manifest):
        manifest["surveys"][0]["questions"][0]["type"] = "slider"

    pack = broken_copy_of_demo(tmp_path, unknown_question_type)
    window = make_window(content_pack=pack)
    assert window.ctx.pack is None
    assert "surveys[0].questions[0].type" in window.ctx.content_error
    window.navigate(Route("admin_status"))  # the staff page shows the reason
    texts = " ".join(lab.text() for lab in window.current_screen.findChildren(QLabel))
    assert "surveys[0].questions[0].type" in texts
    window.enter_attract()  # the loop falls back to a district card, never to black
    qtbot.waitUntil(lambda: window.current_screen.player.showing is not None)
    assert window.current_screen.player.showing.item.id == CARD_ID


@pytest.mark.logs_error(r"content_refused pack=.* reason=.*size does not match the manifest")
def test_a_broken_newer_pack_leaves_the_active_content_live(make_window, tmp_path, data_dir):
    first = make_window()
    version = first.ctx.content.active_version()
    first.ctx.close()

    def newer_but_missing_a_file(manifest):
        manifest["content_version"] = "2099.01.01-broken"
        manifest["files"][0]["size"] += 1

    pack = broken_copy_of_demo(tmp_path, newer_but_missing_a_file)
    window = make_window(content_pack=pack)
    assert window.ctx.content.active_version() == version
    assert window.ctx.pack is not None and window.ctx.pack.content_version == version
    assert "media/" in window.ctx.content_error  # the message names the file


def newer_demo(tmp_path, version="2099.01.01-newer"):
    return broken_copy_of_demo(tmp_path, lambda m: m.update(content_version=version))


def test_an_enrolled_device_keeps_the_servers_content_not_the_bundled_pack(
    make_window, tmp_path, data_dir
):
    first = make_window()
    version = first.ctx.content.active_version()
    DeviceSettings(first.ctx.db).set_device_id("dev-test")
    first.ctx.close()
    window = make_window(content_pack=newer_demo(tmp_path))
    assert window.ctx.content.active_version() == version


def test_content_activated_by_sync_is_shown_at_home(make_window, tmp_path):
    window = make_window()
    install_pack(newer_demo(tmp_path), window.ctx.content, window.ctx.assets)
    old_screen = window.current_screen
    window.on_sync_content_activated("2099.01.01-newer")
    assert window.ctx.pack.content_version == "2099.01.01-newer"
    assert window.current_screen is not old_screen  # home rebuilt on the new content
    window.on_sync_content_activated("2099.01.01-newer")  # the same again changes nothing
    assert window.ctx.pack.content_version == "2099.01.01-newer"
