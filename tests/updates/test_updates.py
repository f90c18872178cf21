"""App updates end to end (issue 10, part 5): the real reference server offers a signed
archive (`python -m server offer-update`), the device's sync core downloads, verifies and
stages it, and the real launcher (packaging/linux/ontong-kiosk-launch, copied into an install
root as install.sh does) switches, adopts or rolls back.

The "versions" are not PyInstaller builds (too slow for the suite; `./dev smoke` tests the
build): each is a small folder whose `ontong-kiosk` is a shell script that runs the app from
this source tree (`python -m kiosk`), or crashes at start, or hangs without reporting healthy.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from contract.content import KST
from kiosk.config import KioskConfig
from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from kiosk.update_switch import report_healthy, switch_due
from sync.client import SyncClient
from sync.updates import InstallRoot, Updater
from sync.worker import enroll_device, load_enrolment
from tests.sync.conftest import survey_payload
from tests.sync.reference_server import ReferenceServer

REPO_ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = REPO_ROOT / "packaging" / "linux" / "ontong-kiosk-launch"


# -- versions, archives, the install root -------------------------------------------------------


def make_version(folder: Path, kind: str, runs_log: Path) -> Path:
    """A version folder: `app` runs the source tree, `crash` exits at start, `hang` never
    reports healthy. Each start is written to `runs_log` (version name, then the kind)."""
    folder.mkdir(parents=True)
    line = f'echo "{folder.name} {kind}" >>"{runs_log}"'
    body = {
        "app": f'export PYTHONPATH="{REPO_ROOT}"\nexec "{sys.executable}" -m kiosk "$@"',
        "crash": 'echo "ImportError: this build is broken" >&2\nexit 3',
        "hang": "exec sleep 600",
    }[kind]
    script = folder / "ontong-kiosk"
    script.write_text(f"#!/bin/sh\n{line}\n{body}\n")
    script.chmod(0o755)
    return folder


def make_archive(folder: Path, out: Path) -> Path:
    with tarfile.open(out, "w:gz") as tar:
        for child in sorted(folder.iterdir()):
            tar.add(child, arcname=child.name)
    return out


def make_root(tmp_path: Path, runs_log: Path, first: str = "1.0.0", kind: str = "app") -> Path:
    """An install root as install.sh leaves it: one version, `current`, the launcher."""
    root = tmp_path / "opt"
    make_version(root / first, kind, runs_log)
    os.symlink(first, root / "current")
    shutil.copy2(LAUNCHER, root / "ontong-kiosk-launch")
    return root


def runs(runs_log: Path) -> list[str]:
    return runs_log.read_text().split("\n")[:-1] if runs_log.exists() else []


def wait_for(condition, timeout: float, what: str, proc: subprocess.Popen[bytes] | None = None):
    # Processes, not Qt: polling the files they write is the only way to see them.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.1)
    assert condition(), what


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceServer]:
    srv = ReferenceServer(tmp_path_factory.mktemp("server"))
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def publisher(
    server: ReferenceServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    """The publisher key file (made by the server's CLI) and its public key."""
    key = tmp_path_factory.mktemp("publisher") / "publisher.key"
    out = server.cli("update-key", str(key))
    public = out.rsplit(":", 1)[-1].strip()
    return key, public


def offer(server: ReferenceServer, archive: Path, version: str, key: Path) -> None:
    out = server.cli("offer-update", str(archive), "--version", version, "--signing-key", str(key))
    assert f"offering version {version}" in out


@pytest.fixture
def device(server: ReferenceServer, tmp_path: Path) -> Iterator[Path]:
    """An enrolled device's data directory (the database closed again)."""
    data_dir = tmp_path / "data"
    db = open_database(data_dir)
    enroll_device(DeviceSettings(db), server.url, server.enroll_code(), name="t", mode="board")
    db.close()
    yield data_dir


def updater(data_dir: Path, public_key: str, root: Path) -> Updater:
    db = open_database(data_dir)
    try:
        enrolment = load_enrolment(DeviceSettings(db))
    finally:
        db.close()
    assert enrolment is not None
    return Updater(SyncClient(enrolment.server_url, enrolment.token), public_key, root)


def write_config(path: Path, data_dir: Path, root: Path, public_key: str) -> Path:
    path.write_text(
        f'mode = "board"\ndata_dir = "{data_dir}"\nattract_slide_s = 1\nhealthy_after_s = 1\n'
        f'update_public_key = "{public_key}"\nupdate_root = "{root}"\n'
        'update_hours = [{ start = "00:00", end = "12:00" }, { start = "12:00", end = "00:00" }]\n'
    )
    return path


def start_launcher(root: Path, config: Path, log: Path, deadline_s: int = 60):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        ONTONG_HEALTH_DEADLINE_S=str(deadline_s),
    )
    for name in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "ONTONG_INSTALL_ROOT"):
        env.pop(name, None)
    with log.open("ab") as out:
        return subprocess.Popen(
            [str(root / "ontong-kiosk-launch"), "--config", str(config), "--windowed",
             "--size", "480x270"],
            env=env, stdout=out, stderr=out, start_new_session=True,
        )  # fmt: skip


def stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    return proc.returncode


# -- the tests --------------------------------------------------------------------------------


@pytest.mark.logs_error(
    "update.refused version=2.0.0 reason=.*the signature is not the publisher's",
    "update.refused version=2.0.0 reason=.*the archive's size or SHA-256 is not the signed one",
)
def test_tampered_offers_are_refused_and_never_installed(server, publisher, device, tmp_path):
    key, public = publisher
    runs_log = tmp_path / "runs.log"
    root = make_root(tmp_path, runs_log)
    data_before = sorted(p.name for p in device.iterdir())
    good = make_archive(make_version(tmp_path / "build" / "2.0.0", "app", runs_log),
                        tmp_path / "v2.tar.gz")  # fmt: skip

    # Signed by someone else's key: refused before a byte is downloaded.
    other = tmp_path / "other.key"
    server.cli("update-key", str(other))
    offer(server, good, "2.0.0", other)
    assert updater(device, public, root).step() is None
    assert not (root / "2.0.0").exists() and InstallRoot(root).staged_version() is None
    downloads = root / "downloads"
    assert not downloads.exists() or not any(downloads.iterdir())

    # Signed by the publisher, then bytes changed on the server: the SHA-256 check refuses it.
    offer(server, good, "2.0.0", key)
    stored = next((server.data_dir / "updates").glob("*.tar.gz"))
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    assert updater(device, public, root).step() is None
    assert not (root / "2.0.0").exists() and InstallRoot(root).staged_version() is None
    assert not any((root / "downloads").iterdir()), "the refused download is deleted"

    # A download cut short resumes with Range: a partial file whose bytes are wrong proves
    # the rest is appended to it (a fresh download would have passed) and is then refused...
    offer(server, good, "2.0.0", key)
    sha = next(p for p in (server.data_dir / "updates").glob("*.tar.gz")
               if p.read_bytes() == good.read_bytes()).name.removesuffix(".tar.gz")  # fmt: skip
    part = root / "downloads" / f"{sha}.part"
    part.write_bytes(b"\0" * 100)
    assert updater(device, public, root).step() is None
    assert not (root / "2.0.0").exists()
    # ...while a right partial file is completed, verified, unpacked and staged.
    part.write_bytes(good.read_bytes()[:100])
    assert updater(device, public, root).step() == "2.0.0"
    assert (root / "2.0.0" / "ontong-kiosk").stat().st_mode & 0o100
    assert InstallRoot(root).staged_version() == "2.0.0"
    assert not part.exists()
    # Nothing was written into the data directory.
    assert sorted(p.name for p in device.iterdir()) == data_before


def test_a_good_version_is_adopted_and_the_queue_reaches_the_server_once(
    server, publisher, device, tmp_path
):
    key, public = publisher
    runs_log = tmp_path / "runs.log"
    root = make_root(tmp_path, runs_log)
    archive = make_archive(make_version(tmp_path / "build" / "2.0.0", "app", runs_log),
                           tmp_path / "v2.tar.gz")  # fmt: skip
    offer(server, archive, "2.0.0", key)
    # Queued before the update; the server refuses batches (503) while version 1 runs.
    db = open_database(device)
    outbox = Outbox(db)
    queued = [outbox.enqueue("survey_response", survey_payload(i), content_version=None)
              for i in range(5)]  # fmt: skip
    device_id = DeviceSettings(db).device_id()
    db.close()
    server.arm(status=503, path_prefix="/api/v1/submissions", times=None)

    config = write_config(tmp_path / "config.toml", device, root, public)
    launcher = start_launcher(root, config, tmp_path / "launcher.log")
    try:
        # Version 1's sync worker downloads, verifies and stages 2.0.0; at the next item
        # boundary (a board inside its update hours) it exits 76; the launcher switches.
        wait_for(lambda: runs(runs_log)[:2] == ["1.0.0 app", "2.0.0 app"], 60,
                 "version 1 ran, then version 2", launcher)  # fmt: skip
        server.clear_faults()
        wait_for(lambda: (root / "health" / "2.0.0").exists() and not (root / "trial").exists(),
                 30, "version 2 reported healthy", launcher)  # fmt: skip
        assert os.readlink(root / "current") == "2.0.0"
        assert os.readlink(root / "previous") == "1.0.0"
        assert not (root / "staged").exists() and not (root / "bad").exists()
        # The data directory survived: version 2 sends what version 1 queued, exactly once.
        wait_for(lambda: len(server.submissions(device_id)) >= len(queued), 30,
                 "the queued envelopes reached the server", launcher)  # fmt: skip
        time.sleep(1)  # a second delivery, if any, would be stored by now
        assert sorted(s.id for s in server.submissions(device_id)) == sorted(e.id for e in queued)
        assert launcher.poll() is None, "version 2 keeps running"
    finally:
        server.clear_faults()
        stop(launcher)
    log = (tmp_path / "launcher.log").read_text()
    assert runs(runs_log) == ["1.0.0 app", "2.0.0 app"], log
    assert "app_restart reason=update version=2.0.0 exit_code=76" in log


def test_a_version_that_crashes_at_start_is_rolled_back_and_not_retried(
    server, publisher, device, tmp_path
):
    key, public = publisher
    runs_log = tmp_path / "runs.log"
    root = make_root(tmp_path, runs_log)
    archive = make_archive(make_version(tmp_path / "build" / "3.0.0", "crash", runs_log),
                           tmp_path / "v3.tar.gz")  # fmt: skip
    offer(server, archive, "3.0.0", key)
    assert updater(device, public, root).step() == "3.0.0"

    config = write_config(tmp_path / "config.toml", device, root, public)
    launcher = start_launcher(root, config, tmp_path / "launcher.log")
    try:
        # Staged before this start (a reboot): the launcher switches at once, 3.0.0 crashes,
        # and version 1 is back, running and healthy.
        wait_for(lambda: (root / "health" / "1.0.0").exists(), 60, "version 1 back", launcher)
        assert runs(runs_log) == ["3.0.0 crash", "1.0.0 app"]
        assert os.readlink(root / "current") == "1.0.0"
        assert "exited with 3" in (root / "bad" / "3.0.0").read_text()
        assert not (root / "trial").exists() and not (root / "staged").exists()
        # The offer is still there: the device does not take the bad version again.
        assert updater(device, public, root).step() is None
        assert not (root / "staged").exists()
        assert launcher.poll() is None
    finally:
        stop(launcher)
    assert runs(runs_log) == ["3.0.0 crash", "1.0.0 app"]


def test_a_version_that_never_reports_healthy_is_stopped_and_rolled_back(tmp_path):
    runs_log = tmp_path / "runs.log"
    root = make_root(tmp_path, runs_log, kind="hang")
    make_version(root / "4.0.0", "hang", runs_log)
    InstallRoot(root).stage("4.0.0")
    launcher = start_launcher(root, tmp_path / "none.toml", tmp_path / "launcher.log", 2)
    try:
        wait_for(lambda: (root / "bad" / "4.0.0").exists(), 20, "4.0.0 marked bad", launcher)
        wait_for(lambda: runs(runs_log) == ["4.0.0 hang", "1.0.0 hang"], 10, "1.0.0 again")
        assert "no health report within 2s" in (root / "bad" / "4.0.0").read_text()
        assert os.readlink(root / "current") == "1.0.0"
    finally:
        assert stop(launcher) == 143


def test_a_power_cut_during_the_trial_counts_as_a_failed_start(tmp_path):
    runs_log = tmp_path / "runs.log"
    root = make_root(tmp_path, runs_log, kind="hang")
    make_version(root / "5.0.0", "hang", runs_log)
    os.symlink("1.0.0", root / "previous")
    (root / "current").unlink()
    os.symlink("5.0.0", root / "current")
    (root / "trial").write_text("5.0.0 2\n")  # two starts already ended without a health report
    launcher = start_launcher(root, tmp_path / "none.toml", tmp_path / "launcher.log", 30)
    try:
        wait_for(lambda: runs(runs_log) == ["1.0.0 hang"], 10, "1.0.0 started", launcher)
        assert os.readlink(root / "current") == "1.0.0"
        assert (root / "bad" / "5.0.0").exists()
    finally:
        stop(launcher)


def test_the_quiet_moment(tmp_path):
    """A board switches only inside its update hours, a kiosk whenever its attract loop runs;
    nothing when updates are off, nothing staged, or the staged version is bad."""
    root = tmp_path / "opt"
    make_version(root / "1.0.0", "hang", tmp_path / "runs.log")
    make_version(root / "2.0.0", "hang", tmp_path / "runs.log")
    os.symlink("1.0.0", root / "current")
    key = "A" * 43 + "="
    board = KioskConfig(mode="board", update_public_key=key, update_root=root)
    kiosk = board.model_copy(update={"mode": "kiosk"})
    night = datetime(2026, 12, 3, 3, 0, tzinfo=KST)
    noon = datetime(2026, 12, 3, 12, 0, tzinfo=KST)
    assert switch_due(board, night) is None  # nothing staged
    InstallRoot(root).stage("2.0.0")
    assert switch_due(board, night) == "2.0.0"
    assert switch_due(board, noon) is None
    assert switch_due(kiosk, noon) == "2.0.0"
    assert switch_due(KioskConfig(mode="kiosk"), noon) is None  # updates off by default
    (root / "bad").mkdir()
    (root / "bad" / "2.0.0").write_text("x")
    assert switch_due(kiosk, noon) is None
    assert report_healthy({}) is None
    assert report_healthy({"ONTONG_HEALTH_FILE": str(root / "health" / "x")}) is not None


def test_an_archive_may_not_write_outside_its_folder(tmp_path):
    from sync.updates import UpdateRefused, unpack

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("../escaped")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(UpdateRefused):
        unpack(archive, tmp_path / "root", "9.0.0")
    assert not (tmp_path / "escaped").exists()
    assert not (tmp_path / "root" / "9.0.0").exists()
