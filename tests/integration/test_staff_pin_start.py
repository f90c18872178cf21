"""The app started for real (`python -m kiosk --smoke-test`) says at start when it has no usable
staff PIN: none set, or the README's demo PIN outside demo mode (issue 14). The PIN page's own
wording and the lock-out across a restart are in tests/widget/test_shell.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.domain.admin import DEMO_STAFF_PIN_HASH
from tests.helpers.staff_pin import STAFF_PIN_HASH

ROOT = Path(__file__).resolve().parents[2]


def start(tmp_path: Path, config: str, *args: str) -> subprocess.CompletedProcess[str]:
    config_file = tmp_path / "config.toml"
    config_file.write_text(config, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--smoke-test", "--windowed", "--config",
         str(config_file), "--data-dir", str(tmp_path / "data"), *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("config", "args", "said"),
    [
        ("", (), "관리자 비밀번호가 아직 정해지지 않았습니다"),
        (
            f'admin_pin_hash = "{DEMO_STAFF_PIN_HASH}"\n',
            (),
            "체험용 비밀번호(2580)는 체험 모드에서만",
        ),
        (f'admin_pin_hash = "{STAFF_PIN_HASH}"\n', (), None),
        ("", ("--demo",), None),
    ],
    ids=["none", "demo-pin", "own-pin", "demo-mode"],
)
def test_start_says_when_the_staff_pin_is_not_usable(tmp_path, config, args, said):
    done = start(tmp_path, config, *args)
    assert done.returncode == 0, done.stderr
    log = (tmp_path / "data" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    if said is None:
        assert "관리자 비밀번호:" not in done.stderr and "staff_pin_unusable" not in log
    else:
        assert said in done.stderr
        assert "staff_pin_unusable" in log
