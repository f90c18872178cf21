"""Start-up time: process start to the home screen painted, against a bare PySide6 window.

Budget (DESIGN.md): within 3x the bare window. Both run offscreen, several times each, in
this one run; the data directory is prepared once first (a device starts with its database
and content already in place). Last line: JSON with startup_median_s, bare_qt_median_s, ratio.
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


def timed(cmd: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ONTONG_T0=repr(time.time()))
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=True)
    for line in out.stdout.splitlines():
        if line.startswith("smoke_test ok painted_s="):
            return float(line.split("=", 1)[1])
    raise RuntimeError(f"no paint reported by {cmd}: {out.stdout} {out.stderr}")


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="ontong-bench-")
    kiosk = [sys.executable, "-m", "kiosk", "--windowed", "--smoke-test", "--data-dir", data_dir]
    bare = [sys.executable, "-c", BARE_QT]
    timed(kiosk)  # first start: creates the database and installs the demo content
    kiosk_runs, bare_runs = [], []
    for _ in range(RUNS):  # interleaved, so machine noise hits both alike
        bare_runs.append(timed(bare))
        kiosk_runs.append(timed(kiosk))
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
