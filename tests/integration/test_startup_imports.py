"""What start-up imports before the first paint: the heavy libraries wait until after it.

The start-up budget (bench/startup.py) is a benchmark, not a test; this guards the structure
that keeps it: SQLAlchemy and QtMultimedia each cost more than a bare Qt window's start, and
the speech engine, the QR codes, the wire's models and the resident's seal are not needed for
the home screen, nor are the content pack's models (building them costs about what Qt's start
does): home shows nothing of the pack, which is checked once home is painted. Nor are the
message files of the later screens (kiosk.i18n.FIRST_PARTS).
"""

from __future__ import annotations

import subprocess
import sys

PREPARE = """
import sys
from pathlib import Path
from kiosk.app import open_context
from kiosk.config import KioskConfig
open_context(KioskConfig(data_dir=Path(sys.argv[1]))).close()
"""

CHECK = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from kiosk.app import open_context
from kiosk.config import KioskConfig
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.shell import KioskWindow
ctx = open_context(KioskConfig(data_dir=Path(sys.argv[1])), check_content=False)
app = QApplication([])
load_bundled_fonts()
window = KioskWindow(ctx)
window.resize(1080, 1920)
window.show()
window.start()
app.processEvents()
deferred = (
    "sqlalchemy",
    "alembic",
    "PySide6.QtMultimedia",
    "PySide6.QtTextToSpeech",
    "qrcode",
    "nacl",
    "contract.wire",
    "kiosk.services.acts",
    "contract.content",
    "kiosk.domain.steps",
    "kiosk.ui.keyboard",
)
heavy = [m for m in deferred if m in sys.modules]
print("HEAVY=" + ",".join(heavy))
# Home read only the first message files (kiosk.i18n.FIRST_PARTS); the app reads the rest after.
from kiosk.i18n import CATALOGUE, load
print("CATALOGUE=" + ("complete" if CATALOGUE.completed else "first"))
CATALOGUE.complete()
print("MESSAGES=" + ("all" if dict(CATALOGUE) == load() else "some"))
# Once home is painted, the content is checked and shown.
from kiosk.app import check_stored_content
check_stored_content(ctx)
print("PACK=" + ("yes" if ctx.pack is not None and ctx.stored_content is None else "no"))
"""


def test_first_paint_waits_for_none_of_the_deferred_imports(tmp_path):
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", PREPARE, str(tmp_path)], env=env, check=True, timeout=60)
    out = subprocess.run(
        [sys.executable, "-c", CHECK, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "HEAVY=\n" in out, out
    assert "PACK=yes" in out, out
    assert "CATALOGUE=first" in out, out
    assert "MESSAGES=all" in out, out
