"""The USB stick's rules (kiosk.domain.usb) and the server's signature on a content archive
(contract.pack_signature): what is a stick, which file is the pack, what a failed write means,
and which archives a device takes."""

from __future__ import annotations

import errno
import io
import json
import warnings
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePath

import pytest

from contract.archive import archive_folder, write_archive
from contract.pack import MANIFEST_NAME, PackError, load_pack
from contract.pack_signature import (
    DEMO_PUBLIC_KEY,
    DEMO_SEED,
    MAX_MANIFEST_BYTES,
    check_archive,
    extract_signed_archive,
    public_key_of,
    signature_file,
)
from kiosk.domain.usb import mount_points, pack_problem, pick_pack, sticks, write_problem
from tests.helpers.packs import demo_copy

SEED = bytes(range(32))
KEY = public_key_of(SEED)
MEDIA = (PurePath("/media"), PurePath("/run/media"))


def test_sticks_are_one_or_two_folders_below_a_mount_root() -> None:
    table = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "/dev/sdb1 /media/pi/SANDISK vfat rw 0 0\n"
        "/dev/sdc1 /run/media/staff/My\\040Stick exfat ro 0 0\n"
        "/dev/sdd1 /media/USB1 vfat rw 0 0\n"
        "tmpfs /media tmpfs rw 0 0\n"
        "/dev/sde1 /media/a/b/c vfat rw 0 0\n"
        "/dev/sdf1 /mnt/data ext4 rw 0 0\n"
    )
    points = [PurePath(p) for p in mount_points(table)]
    found = sticks(points, MEDIA)
    assert [(str(s.path), s.name) for s in found] == [
        ("/run/media/staff/My Stick", "My Stick"),
        ("/media/pi/SANDISK", "SANDISK"),
        ("/media/USB1", "USB1"),
    ]


def test_the_newest_ontong_content_zip_is_the_pack() -> None:
    files = [
        ("ontong-content-v1.zip", 100.0),
        ("ontong-content-v2.ZIP", 200.0),
        ("holiday.zip", 300.0),
        ("ontong-outbox-dev-1-1-9.json", 400.0),
    ]
    assert pick_pack(files) == "ontong-content-v2.ZIP"
    assert pick_pack([("photo.jpg", 1.0)]) is None


@pytest.mark.parametrize(
    ("number", "message_id"),
    [
        (errno.ENOSPC, "usb.error.full"),
        (errno.EDQUOT, "usb.error.full"),
        (errno.EROFS, "usb.error.read_only"),
        (errno.EACCES, "usb.error.read_only"),
        (errno.ENOENT, "usb.error.gone"),
        (errno.EIO, "usb.error.gone"),
        (errno.EBUSY, "usb.error.write"),
        (None, "usb.error.write"),
    ],
)
def test_a_failed_write_has_a_message_staff_can_act_on(number, message_id) -> None:
    assert write_problem(number) == message_id


def test_an_older_pack_or_the_live_one_is_not_installed_again() -> None:
    live = ("v2", datetime(2026, 12, 1, tzinfo=UTC))
    assert pack_problem(None, live) is None
    assert pack_problem(live, ("v3", datetime(2026, 12, 2, tzinfo=UTC))) is None
    assert pack_problem(live, live) == "usb.content.same"
    assert pack_problem(live, ("v1", datetime(2026, 11, 1, tzinfo=UTC))) == "usb.content.older"
    # A rollback on the console publishes a new version, published later: it is taken.
    assert pack_problem(live, ("v1+r1", datetime(2026, 12, 3, tzinfo=UTC))) is None


# -- signed archives ------------------------------------------------------------------------


def signed_archive(pack_dir: Path, out: Path, seed: bytes = SEED) -> Path:
    manifest = (pack_dir / MANIFEST_NAME).read_bytes()
    files = [(f["path"], pack_dir / f["path"]) for f in json.loads(manifest)["files"]]
    with out.open("wb") as f:
        write_archive(f, manifest, files, signature=signature_file(manifest, seed))
    return out


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory) -> Path:
    return demo_copy(tmp_path_factory.mktemp("pack") / "pack", "usb-unit-1", lambda m: None)


def test_a_signed_archive_unpacks_and_loads(pack_dir: Path, tmp_path: Path) -> None:
    archive = signed_archive(pack_dir, tmp_path / "ontong-content-usb-unit-1.zip")
    into = tmp_path / "into"
    into.mkdir()
    extract_signed_archive(archive, into, KEY)
    assert load_pack(into).content_version == "usb-unit-1"


def rewrite(archive: Path, out: Path, change) -> Path:
    """`archive` copied member by member to `out`, each (name, bytes) through `change`
    (which returns a list of members, so it may drop or add)."""
    with (
        warnings.catch_warnings(action="ignore"),  # a duplicate name is what one case makes
        zipfile.ZipFile(archive) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for info in src.infolist():
            for name, data in change(info.filename, src.read(info)):
                dst.writestr(name, data)
    return out


def changed_manifest(name: str, data: bytes) -> list[tuple[str, bytes]]:
    if name == MANIFEST_NAME:
        manifest = json.loads(data)
        manifest["district"]["name"] = "가짜구"
        data = json.dumps(manifest).encode()
    return [(name, data)]


@pytest.mark.parametrize(
    ("case", "change", "words"),
    [
        ("unsigned", lambda n, d: [] if n == "signature.json" else [(n, d)], "서명"),
        ("manifest changed", changed_manifest, "서명한 뒤 내용이 바뀌었습니다"),
        (
            "escaping path",
            lambda n, d: [(n, d)] + ([("../../evil.sh", b"x")] if n == MANIFEST_NAME else []),
            "쓸 수 없는 경로",
        ),
        (
            "duplicate manifest",
            lambda n, d: [(n, d)] + ([(MANIFEST_NAME, b"{}")] if n == MANIFEST_NAME else []),
            "두 번",
        ),
        ("not json", lambda n, d: [(n, b"\xff" if n == "signature.json" else d)], "읽을 수 없"),
    ],
)
def test_a_tampered_or_unsigned_archive_is_refused_before_unpacking(
    pack_dir: Path, tmp_path: Path, case, change, words
) -> None:
    good = signed_archive(pack_dir, tmp_path / "good.zip")
    bad = rewrite(good, tmp_path / "bad.zip", change)
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(PackError) as refused:
        extract_signed_archive(bad, into, KEY)
    assert words in str(refused.value), case
    assert list(into.iterdir()) == []  # nothing was unpacked
    assert not (tmp_path / "evil.sh").exists()


def test_another_servers_key_and_the_demo_key_are_refused(pack_dir: Path, tmp_path: Path) -> None:
    other = signed_archive(pack_dir, tmp_path / "other.zip", seed=bytes(32))
    demo = signed_archive(pack_dir, tmp_path / "demo.zip", seed=DEMO_SEED)
    for archive in (other, demo):
        with pytest.raises(PackError, match="서명이 이 기기의 서버 것이 아니"):
            check_archive(archive, KEY)
    assert check_archive(demo, DEMO_PUBLIC_KEY)  # the demo device's key takes the demo's


def test_a_manifest_past_its_bound_is_not_read_whole(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(MANIFEST_NAME, b" " * (MAX_MANIFEST_BYTES + 1))  # deflates to a few KB
        z.writestr("signature.json", signature_file(b"{}", SEED))
    with pytest.raises(PackError, match="MB보다 큽니다"):
        check_archive(archive, KEY)


def test_the_server_archive_of_a_folder_is_not_signed(pack_dir: Path) -> None:
    out = io.BytesIO()
    archive_folder(pack_dir, out)
    assert "signature.json" not in zipfile.ZipFile(out).namelist()
