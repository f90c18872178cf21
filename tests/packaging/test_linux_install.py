"""packaging/linux: install.sh writes a configuration the app accepts, the unit is sound, the
screen-off hours switch at the right minutes, uninstall.sh removes what install.sh put there.

install.sh runs for real, into a directory (ONTONG_ROOT), with a stand-in for the built folder.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from contract.pin import verify_pin
from kiosk.config import load_config
from kiosk.store.db import open_database
from kiosk.store.settings import DeviceSettings
from kiosk.store.staff_pin import stored_pin_hash

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A stand-in for dist/ontong-kiosk: an executable that answers --version and runs this
    checkout's app for anything else (install.sh sets the staff PIN through it)."""
    built = tmp_path / "dist" / "ontong-kiosk"
    built.mkdir(parents=True)
    exe = built / "ontong-kiosk"
    exe.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo 9.8.7; exit 0; fi\n'
        f'PYTHONPATH={shlex.quote(str(REPO))} exec {shlex.quote(sys.executable)} -m kiosk "$@"\n'
    )
    exe.chmod(0o755)
    (built / "_internal").mkdir()
    return built


def install(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(LINUX / "install.sh"), *args],
        env={"ONTONG_ROOT": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,  # no terminal: install.sh makes a PIN up
    )


def stored_pin(root: Path) -> str | None:
    with open_database(root / "var" / "lib" / "ontong-kiosk" / "data") as db:
        return stored_pin_hash(DeviceSettings(db))


def test_install_makes_up_a_staff_pin_prints_it_once_and_keeps_only_its_hash(tmp_path, folder):
    root = tmp_path / "root"
    done = install(root, "--folder", str(folder))
    assert done.returncode == 0, done.stderr
    [pin] = re.findall(r"Staff PIN \(shown once; write it down\): (\d{8})$", done.stdout, re.M)
    pin_hash = stored_pin(root)
    assert pin_hash is not None and verify_pin(pin, pin_hash) and pin not in pin_hash
    config = (root / "etc" / "ontong-kiosk" / "config.toml").read_text()
    assert pin not in config and "admin_pin_hash" not in config  # one place: the database
    # A reinstall keeps it, and prints no PIN.
    again = install(root, "--folder", str(folder))
    assert again.returncode == 0, again.stderr
    assert "Keeping the staff PIN" in again.stdout and "shown once" not in again.stdout
    assert stored_pin(root) == pin_hash


def test_install_takes_the_staff_pin_from_a_file_and_refuses_a_weak_one(tmp_path, folder):
    pin_file = tmp_path / "pin"
    pin_file.write_text("30571946\n")
    root = tmp_path / "root"
    done = install(root, "--folder", str(folder), "--staff-pin-file", str(pin_file))
    assert done.returncode == 0, done.stderr
    assert "Staff PIN set" in done.stdout and "30571946" not in done.stdout
    assert verify_pin("30571946", stored_pin(root) or "")
    pin_file.write_text("2580\n")  # the README's demo PIN: too short, and refused anyway
    weak = install(tmp_path / "r2", "--folder", str(folder), "--staff-pin-file", str(pin_file))
    assert weak.returncode == 2 and "staff PIN could not be set" in weak.stderr


def test_install_writes_the_one_config_file_the_app_reads(tmp_path, folder):
    root = tmp_path / "root"
    done = install(
        root, "--folder", str(folder), "--mode", "board", "--dong", "hoehyeon",
        "--panel-inches", "55", "--server-url", "https://ontong.example/api",
        "--screen-off", "23:00-06:00,12:00-13:00", "--device-name", "회현동 로비",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    config = load_config(root / "etc" / "ontong-kiosk" / "config.toml")
    assert config.mode == "board"
    assert config.dong == "hoehyeon"
    assert config.panel_diagonal_inches == 55
    assert config.server_url == "https://ontong.example/api"
    assert config.device_name == "회현동 로비"
    assert [(w.start, w.end) for w in config.screen_off] == [("23:00", "06:00"), ("12:00", "13:00")]
    assert str(config.data_dir) == "/var/lib/ontong-kiosk/data"
    opt = root / "opt" / "ontong-kiosk"
    assert (opt / "current").resolve() == (opt / "9.8.7").resolve()
    assert (opt / "current" / "ontong-kiosk").is_file()
    assert (opt / "ontong-kiosk-session").stat().st_mode & 0o111
    unit = root / "etc" / "systemd" / "system" / "ontong-kiosk.service"
    assert "WatchdogSec=" in unit.read_text()


def test_a_kiosk_with_defaults_and_a_kept_config_on_reinstall(tmp_path, folder):
    root = tmp_path / "root"
    assert install(root, "--folder", str(folder)).returncode == 0
    config_file = root / "etc" / "ontong-kiosk" / "config.toml"
    config = load_config(config_file)
    assert (config.mode, config.dong, config.screen_off, config.server_url) == (
        "kiosk", None, (), None,
    )  # fmt: skip
    again = install(root, "--folder", str(folder), "--mode", "board")
    assert again.returncode == 0 and "Keeping the existing" in again.stdout
    assert not config.updates_enabled  # updates are off unless a publisher key is given
    assert load_config(config_file).mode == "kiosk"
    assert (
        install(root, "--folder", str(folder), "--mode", "board", "--force-config").returncode == 0
    )
    assert load_config(config_file).mode == "board"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--mode", "tv"),
        ("--panel-inches", "big"),
        ("--screen-off", "23:00"),
        ("--screen-off", "23:00-6"),
        ("--dong", 'x" = 1'),
        ("--server-url", 'https://a"b'),
    ],
)
def test_wrong_values_are_refused_before_anything_is_installed(tmp_path, folder, option, value):
    root = tmp_path / "root"
    done = install(root, "--folder", str(folder), option, value)
    assert done.returncode == 2
    assert option in done.stderr or "mode" in done.stderr
    assert not root.exists()


def test_update_key_turns_updates_on_and_installs_the_launcher(tmp_path, folder):
    root = tmp_path / "root"
    key = "q" * 43 + "="
    assert install(root, "--folder", str(folder), "--update-key", key).returncode == 0
    config = load_config(root / "etc" / "ontong-kiosk" / "config.toml")
    assert config.updates_enabled
    assert (config.update_public_key, str(config.update_root)) == (key, "/opt/ontong-kiosk")
    opt = root / "opt" / "ontong-kiosk"
    assert (opt / "ontong-kiosk-launch").stat().st_mode & 0o111
    unit = (root / "etc" / "systemd" / "system" / "ontong-kiosk.service").read_text()
    assert "ONTONG_APP=/opt/ontong-kiosk/ontong-kiosk-launch" in unit
    bad = install(tmp_path / "r2", "--folder", str(folder), "--update-key", "not-a-key")
    assert bad.returncode == 2 and "--update-key" in bad.stderr


def test_uninstall_removes_the_app_and_purge_the_data(tmp_path, folder):
    root = tmp_path / "root"
    assert install(root, "--folder", str(folder)).returncode == 0
    (root / "var" / "lib" / "ontong-kiosk" / "data" / "kiosk.db").write_text("x")
    env = {"ONTONG_ROOT": str(root), "PATH": "/usr/bin:/bin"}
    run = [str(LINUX / "uninstall.sh")]
    assert subprocess.run(run, env=env, capture_output=True, timeout=30).returncode == 0
    assert not (root / "opt" / "ontong-kiosk").exists()
    assert not (root / "etc" / "systemd" / "system" / "ontong-kiosk.service").exists()
    assert (root / "etc" / "ontong-kiosk" / "config.toml").exists()
    assert (root / "var" / "lib" / "ontong-kiosk" / "data" / "kiosk.db").exists()
    assert subprocess.run([*run, "--purge"], env=env, timeout=30).returncode == 0
    assert not (root / "etc" / "ontong-kiosk").exists()
    assert not (root / "var" / "lib" / "ontong-kiosk").exists()


@pytest.mark.parametrize(
    ("now", "state"),
    [("22:59", "on"), ("23:00", "off"), ("03:10", "off"), ("05:59", "off"), ("06:00", "on"),
     ("12:30", "off"), ("13:00", "on")],
)  # fmt: skip
def test_screen_hours_follow_the_config_across_midnight(tmp_path, folder, now, state):
    root = tmp_path / "root"
    installed = install(root, "--folder", str(folder), "--mode", "board",
                        "--screen-off", "23:00-06:00,12:00-13:00")  # fmt: skip
    assert installed.returncode == 0
    out = subprocess.run(
        [str(LINUX / "ontong-kiosk-screen-hours"), str(root / "etc/ontong-kiosk/config.toml"),
         "--once", now],
        capture_output=True, text=True, timeout=10, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == state


def test_no_screen_off_hours_keeps_the_screen_on(tmp_path, folder):
    root = tmp_path / "root"
    assert install(root, "--folder", str(folder), "--mode", "board").returncode == 0
    config = str(root / "etc/ontong-kiosk/config.toml")
    out = subprocess.run(
        [str(LINUX / "ontong-kiosk-screen-hours"), config, "--once", "02:00"],
        capture_output=True, text=True, timeout=10, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "on"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_the_unit_file_is_valid_for_systemd(tmp_path):
    unit = tmp_path / "ontong-kiosk.service"
    unit.write_text((LINUX / "ontong-kiosk.service").read_text())
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # Only complaints about this machine (no user ontong, no xinit) are acceptable.
    problems = [
        line for line in done.stderr.splitlines()
        if line.strip() and "ontong-kiosk.service" in line
        and not any(ok in line for ok in ("xinit", "ontong-kiosk-session", "Failed to", "user"))
    ]  # fmt: skip
    assert problems == []


@pytest.mark.parametrize(("mode", "started"), [("kiosk", True), ("board", False)])
def test_a_kiosk_session_starts_speech_dispatcher_before_the_app(tmp_path, mode, started):
    """Read-aloud does not wait for speech-dispatcher to start; the board never speaks."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    for name in ("speech-dispatcher", "app", "xset", "xrandr", "ontong-kiosk-screen-hours"):
        stub = bin_dir / name
        stub.write_text(f'#!/bin/sh\necho "{name} $*" >> "$CALLS"\n')
        stub.chmod(0o755)
    config = tmp_path / "config.toml"
    config.write_text(f'mode = "{mode}"\n')
    session = tmp_path / "ontong-kiosk-session"
    shutil.copy(LINUX / "ontong-kiosk-session", session)
    shutil.copy(bin_dir / "ontong-kiosk-screen-hours", tmp_path)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "CALLS": str(log),
        "ONTONG_CONFIG": str(config),
        "ONTONG_APP": str(bin_dir / "app"),
    }
    subprocess.run(["bash", str(session)], env=env, check=True, timeout=30)
    calls = log.read_text().splitlines()
    app = next(i for i, line in enumerate(calls) if line.startswith("app "))
    if started:
        assert "speech-dispatcher --spawn -t 0" in calls[:app]
    else:
        assert not any(line.startswith("speech-dispatcher") for line in calls)
