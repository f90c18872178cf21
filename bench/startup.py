"""Start-up time: process start to the home screen painted, against a bare PySide6 window.

Budget (DESIGN.md): within 3x the bare window. Both run offscreen, several times each, in
this one run; the data directory is prepared once first (a device starts with its database
and content already in place), and so is the bytecode of both: an installed app has its .pyc
files (the bundle ships them), so neither start pays for compiling its modules, even where
PYTHONDONTWRITEBYTECODE is set (the cache lives in the bench's temporary directory).
Last line: JSON with startup_median_s, bare_qt_median_s, ratio.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "7"))

BARE_QT = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
w = QLabel("hello")
w.resize(1080, 1920)
def report():
    elapsed = time.time() - float(os.environ["ONTONG_T0"])
    print(f"smoke_test ok painted_s={elapsed:.4f}", flush=True)
    app.quit()
class Watch(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, report)
        return False
watch = Watch()
w.installEventFilter(watch)
w.show()
app.exec()
"""


def timed(cmd: list[str], pycache: str) -> float:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPYCACHEPREFIX=pycache,
        ONTONG_T0=repr(time.time()),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=True)
    for line in out.stdout.splitlines():
        if line.startswith("smoke_test ok painted_s="):
            return float(line.split("=", 1)[1])
    raise RuntimeError(f"no paint reported by {cmd}: {out.stdout} {out.stderr}")


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="ontong-bench-")
    pycache = os.path.join(data_dir, "pycache")
    kiosk = [sys.executable, "-m", "kiosk", "--windowed", "--smoke-test", "--data-dir", data_dir]
    bare = [sys.executable, "-c", BARE_QT]
    # First starts: the kiosk's creates the database and installs the demo content; both
    # write their bytecode.
    timed(kiosk, pycache)
    timed(bare, pycache)
    kiosk_runs, bare_runs = [], []
    for _ in range(RUNS):  # interleaved, so machine noise hits both alike
        bare_runs.append(timed(bare, pycache))
        kiosk_runs.append(timed(kiosk, pycache))
    k, b = statistics.median(kiosk_runs), statistics.median(bare_runs)
    print(f"kiosk start to home painted: median {k * 1000:.0f} ms over {RUNS} runs")
    print(f"bare PySide6 window painted: median {b * 1000:.0f} ms")
    print(f"ratio {k / b:.2f} (budget 3.0)")
    print(
        json.dumps(
            {
                "startup_median_s": round(k, 4),
                "bare_qt_median_s": round(b, 4),
                "ratio": round(k / b, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
