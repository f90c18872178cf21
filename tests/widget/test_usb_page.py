"""기기 관리 → USB로 내보내기 and USB에서 콘텐츠 받기, by taps on the staff page, with a folder of
the test as the stick (the mount table the page reads names it):

- a content pack the device's server signed is installed and shown;
- a tampered one and an unsigned one are refused in plain words, the live content kept;
- the outbox is written to the stick and taken by the real server process's import
  (`python -m server import-bundle`) exactly once, and the server's own signed export
  (`python -m server export-content`) installs on a device enrolled with it;
- a full stick and a read-only stick leave no file and the outbox unchanged.

Every USB page is checked for fit beside the other staff pages (test_settings_page).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePath

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from contract.archive import write_archive
from contract.pack import MANIFEST_NAME
from contract.pack_signature import DEMO_SEED, public_key_of, signature_file
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from kiosk.ui.screens.usb import USB
from sync.worker import CONTENT_PUBLIC_KEY_KEY, enroll_device
from tests.helpers.disk import mounted_tmpfs, nearly_full
from tests.helpers.packs import demo_copy
from tests.sync.conftest import survey_payload
from tests.sync.reference_server import ReferenceServer
from tests.sync.test_bundle import server_cli, stored_ids
from tests.widget.test_settings_page import find, open_status_page, tap

SEED = bytes(range(32))  # the test's server content key


def plug(window, stick: Path) -> None:
    """The window's USB finds `stick` mounted (below the test's own mount root)."""
    usb = window.services.usb
    usb.roots = (PurePath(stick.parent),)
    usb.read_mount_table = lambda: f"/dev/sdb1 {stick} vfat rw,nosuid 0 0\n"


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    where = tmp_path / "media" / "STICK"
    where.mkdir(parents=True)
    return where


def signed_pack(pack_dir: Path, out: Path, seed: bytes | None = SEED) -> Path:
    """The pack folder as the console's 내보내기 writes it, signed with `seed` (None: not)."""
    manifest = (pack_dir / MANIFEST_NAME).read_bytes()
    files = [(f["path"], pack_dir / f["path"]) for f in json.loads(manifest)["files"]]
    signature = None if seed is None else signature_file(manifest, seed)
    with out.open("wb") as f:
        write_archive(f, manifest, files, signature=signature)
    return out


def new_pack(tmp_path: Path, version: str, published_at: str = "2026-12-01T09:00:00+09:00") -> Path:
    def rename(manifest: dict) -> None:
        manifest["surveys"][0]["title"]["ko"] = "USB로 받은 설문"
        manifest["published_at"] = published_at  # after the demo's

    return demo_copy(tmp_path / version, version, rename)


def message(qtbot, window, name: str = "usbMessage") -> str:
    """The USB page's answer, once the work off the GUI thread has given it."""
    qtbot.waitUntil(lambda: _answer(window) is not None, timeout=20_000)
    answer = _answer(window)
    assert answer is not None
    return answer


def _answer(window) -> str | None:
    if window.navigator.current.screen != USB:
        return None
    labels = [
        w
        for w in window.current_screen.findChildren(QLabel)
        if w.objectName() in ("usbMessage", "mark_done") and w.isVisible()
    ]
    texts = [seen(w) for w in labels]
    return None if not texts or "잠시 기다려" in texts[0] else texts[0]


def detail(window) -> str:
    found = window.current_screen.findChildren(QLabel, "usbDetail")
    return seen(found[0]) if found else ""


def seen(words: QLabel) -> str:
    """A label's words as read: without the invisible break chances in long file names."""
    return words.text().replace("\u200b", "")


def test_a_signed_pack_from_the_stick_is_installed_by_taps(
    qtbot, make_window, stick, tmp_path
) -> None:
    window = make_window()
    DeviceSettings(window.ctx.db).set(CONTENT_PUBLIC_KEY_KEY, public_key_of(SEED))
    live = window.ctx.pack.content_version
    signed_pack(new_pack(tmp_path, "usb-2"), stick / "ontong-content-usb-2.zip")
    (stick / "holiday.zip").write_bytes(b"not ours")
    plug(window, stick)
    open_status_page(qtbot, window)

    tap(qtbot, find(window, "usbContent"))

    said = message(qtbot, window)
    assert "콘텐츠 버전 usb-2을(를) 설치했습니다" in said
    assert window.ctx.content.active_version() == "usb-2" != live
    assert window.ctx.pack.content_version == "usb-2"  # shown from now on
    assert window.ctx.pack.surveys[0].title.ko == "USB로 받은 설문"
    assert not list((window.ctx.data_dir / "usb-work").iterdir())  # nothing left unpacked
    # Nothing to try again after a success: back to the status page.
    assert not window.current_screen.findChildren(QWidget, "usbStart")
    # The same stick again changes nothing; an older pack put on it is refused.
    tap(qtbot, window.back_button)
    tap(qtbot, find(window, "usbContent"))
    assert "지금 쓰는 콘텐츠(usb-2)와 같습니다" in message(qtbot, window)
    (stick / "ontong-content-usb-2.zip").unlink()
    old = new_pack(tmp_path, "usb-1", published_at="2026-11-30T09:00:00+09:00")
    signed_pack(old, stick / "ontong-content-usb-1.zip")
    tap(qtbot, window.back_button)
    tap(qtbot, find(window, "usbContent"))
    assert "먼저 게시된 것이라 설치하지 않았습니다" in message(qtbot, window)
    assert window.ctx.content.active_version() == "usb-2"


def tampered(good: Path, out: Path) -> Path:
    """`good` with one picture's bytes changed: the signed manifest no longer matches it."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("media/") and info.filename.endswith(".png"):
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            dst.writestr(info, data)
    return out


@pytest.mark.parametrize("case", ["tampered", "unsigned", "other server"])
def test_a_tampered_or_unsigned_pack_is_refused_and_the_live_content_kept(
    qtbot, make_window, stick, tmp_path, case
) -> None:
    window = make_window()
    DeviceSettings(window.ctx.db).set(CONTENT_PUBLIC_KEY_KEY, public_key_of(SEED))
    live = window.ctx.content.active_version()
    pack = new_pack(tmp_path, "usb-bad")
    target = stick / "ontong-content-usb-bad.zip"
    if case == "tampered":
        tampered(signed_pack(pack, tmp_path / "good.zip"), target)
    elif case == "unsigned":
        signed_pack(pack, target, seed=None)
    else:
        signed_pack(pack, target, seed=bytes(32))
    plug(window, stick)
    open_status_page(qtbot, window)

    tap(qtbot, find(window, "usbContent"))

    said = message(qtbot, window)
    assert "설치하지 않았습니다" in said and f"지금 콘텐츠({live})를 그대로 씁니다" in said
    why = {
        "tampered": "SHA-256이 매니페스트와 다릅니다",
        "unsigned": "서버의 서명(signature.json)이 없습니다",
        "other server": "서명이 이 기기의 서버 것이 아니거나",
    }[case]
    assert why in detail(window)
    assert window.ctx.content.active_version() == live
    assert window.ctx.pack.content_version == live
    assert not list((window.ctx.data_dir / "usb-work").iterdir())
    # 다시 하기 is there, and says the same until the stick changes.
    tap(qtbot, find(window, "usbStart"))
    assert why in (message(qtbot, window), detail(window))[1]


def test_the_demo_takes_a_pack_signed_with_the_public_demo_key(
    qtbot, make_window, stick, tmp_path
) -> None:
    window = make_window()
    signed_pack(new_pack(tmp_path, "usb-demo"), stick / "ontong-content-usb-demo.zip", DEMO_SEED)
    plug(window, stick)
    open_status_page(qtbot, window)
    window.ctx.demo = True  # python -m kiosk --demo, no server: the demo's key only
    tap(qtbot, find(window, "usbContent"))
    assert "콘텐츠 버전 usb-demo을(를) 설치했습니다" in message(qtbot, window)


def test_no_stick_no_key_and_no_pack_are_said_plainly(qtbot, make_window, stick) -> None:
    window = make_window()
    open_status_page(qtbot, window)
    tap(qtbot, find(window, "usbContent"))
    assert "서버의 서명 열쇠가 없어" in message(qtbot, window)  # not enrolled, not the demo
    DeviceSettings(window.ctx.db).set(CONTENT_PUBLIC_KEY_KEY, public_key_of(SEED))
    window.services.usb.read_mount_table = lambda: ""
    tap(qtbot, find(window, "usbStart"))
    assert "USB 저장장치를 찾지 못했습니다" in message(qtbot, window)
    plug(window, stick)
    tap(qtbot, find(window, "usbStart"))
    assert "콘텐츠 파일(ontong-content-….zip)이 없습니다" in message(qtbot, window)


# -- the real server: the outbox out, the server's own pack in --------------------------------


@pytest.fixture
def enrolled(server: ReferenceServer, data_dir: Path) -> str:
    """The test's device enrolled with the server and approved (as 기기 등록 does)."""
    with open_database(data_dir) as db:
        enrolment = enroll_device(
            DeviceSettings(db), server.url, server.enroll_code(), name="필동 1번", mode="kiosk"
        )
    server.approve(enrolment.device_id)
    return enrolment.device_id


def test_the_outbox_goes_out_on_the_stick_and_the_server_counts_it_once(
    qtbot, make_window, stick, server, enrolled
) -> None:
    window = make_window()
    queued = [
        window.ctx.outbox.enqueue("survey_response", survey_payload(i), content_version=None)
        for i in range(3)
    ]
    plug(window, stick)
    open_status_page(qtbot, window)

    tap(qtbot, find(window, "usbExport"))

    said = message(qtbot, window)
    name = f"ontong-outbox-{enrolled}-1-3.json"
    assert f"제출물 3건을 파일 '{name}'로 썼습니다" in said
    assert [p.name for p in stick.iterdir()] == [name]  # no temporary file beside it
    # Still pending (the server's "duplicate" at the next sync marks them sent), now exported.
    assert window.ctx.outbox.counts_by_status()["pending"] == 3
    assert window.ctx.outbox.unexported_pending() == 0
    # At the district office: the existing import, twice.
    first = server_cli(server, "import-bundle", str(stick / name))
    assert first.returncode == 0, first.stderr
    assert "accepted 3, duplicate 0, rejected 0" in first.stdout
    again = server_cli(server, "import-bundle", str(stick / name))
    assert "accepted 0, duplicate 3, rejected 0" in again.stdout
    assert sorted(stored_ids(server, enrolled)) == sorted(str(e.id) for e in queued)


def test_the_servers_signed_export_installs_on_its_device(
    qtbot, make_window, stick, server, enrolled, tmp_path
) -> None:
    server.publish(new_pack(tmp_path, "server-usb-1"))
    exported = server_cli(server, "export-content", str(stick / "ontong-content-server-usb-1.zip"))
    assert exported.returncode == 0, exported.stderr
    window = make_window()
    assert window.ctx.pack is None  # enrolled, never online: no content yet
    plug(window, stick)
    open_status_page(qtbot, window)

    tap(qtbot, find(window, "usbContent"))

    assert "콘텐츠 버전 server-usb-1을(를) 설치했습니다" in message(qtbot, window)
    assert window.ctx.pack is not None and window.ctx.pack.content_version == "server-usb-1"


# -- a full and a read-only stick -------------------------------------------------------------


@pytest.mark.parametrize("state", ["full", "read-only"])
def test_a_full_or_read_only_stick_leaves_no_file_and_the_outbox_as_it_was(
    qtbot, make_window, tmp_path, enrolled, state
) -> None:
    window = make_window()
    for i in range(40):
        window.ctx.outbox.enqueue("survey_response", survey_payload(i), content_version=None)
    where = tmp_path / "media" / "SMALL"
    where.parent.mkdir()
    options = "size=64k" if state == "full" else "ro,size=64k"
    with mounted_tmpfs(where, options):
        plug(window, where)
        open_status_page(qtbot, window)
        if state == "full":
            with nearly_full(where, 2048):
                tap(qtbot, find(window, "usbExport"))
                said = message(qtbot, window)
                assert [p.name for p in where.iterdir()] == ["filler.bin"]
            assert "빈 곳이 모자라" in said and "'SMALL'" in said
        else:
            tap(qtbot, find(window, "usbExport"))
            said = message(qtbot, window)
            assert "읽기 전용" in said
            assert list(where.iterdir()) == []
        assert "제출물은 기기에 그대로 있습니다" in said
    assert window.ctx.outbox.counts_by_status()["pending"] == 40
    assert window.ctx.outbox.unexported_pending() == 40
