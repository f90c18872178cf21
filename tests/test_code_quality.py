"""The tree stays lint-clean and strictly type-checked, and its layers import only what they may
(STYLE.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_check_is_clean():
    result = run(
        sys.executable,
        "-m",
        "ruff",
        "check",
        "contract",
        "kiosk",
        "sync",
        "server",
        "tests",
        "bench",
        "assets",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_every_package():
    """`mypy --strict` on every package [tool.mypy] lists: contract, kiosk, sync, server."""
    result = run(sys.executable, "-m", "mypy", "--no-incremental")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layers_import_only_what_they_may():
    """import-linter's contracts in pyproject.toml: the shared contract standing alone, the
    domain pure, sync and the server free of the screens, the server free of the kiosk (today's
    debt listed there)."""
    result = run(str(Path(sys.executable).with_name("lint-imports")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_screen_holds_the_device_database():
    """Screens write and read the device's data through kiosk.services (env.services). The
    import contract keeps kiosk.store out of kiosk/ui; this keeps out the context's handles to
    it, which no import shows."""
    handle = re.compile(r"\bctx\.(db|outbox|content|open_store)\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "kiosk" / "ui").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if handle.search(line)
    ]
    assert found == [], "\n".join(found)
