"""The full accessibility audit: every screen x 2 orientations x 3 text sizes x 2 themes x
낮은 화면 on and off, on the 32-inch panel (and the default view on a 24-inch one).

The suite runs every screen in four variants (tests/widget/test_a11y_every_screen_*.py) and a
few representative screens in all the others (tests/widget/test_a11y_audit.py); this runs
everything (about twenty minutes on two idle cores). One window per variant, deleted before
the next.

    QT_QPA_PLATFORM=offscreen python bench/a11y_audit.py [--tab] [--screens a,b]

Prints a table per screen and variant (with the working area's share of the window) and
every problem (a share under 75 % is one, with a coach signed in too); exits 1 if there is
any. The last line is JSON with screens_checked, problems, min_working_area_share (and
where), keys_hidden_on_arrival and seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from contract.pack import load_pack  # noqa: E402
from kiosk.app import open_context  # noqa: E402
from kiosk.config import KioskConfig  # noqa: E402
from kiosk.domain.a11y import TEXT_SCALES  # noqa: E402
from kiosk.paths import asset_path  # noqa: E402
from kiosk.ui.fonts import load_bundled_fonts  # noqa: E402
from kiosk.ui.render import screen_names, show_screen  # noqa: E402
from kiosk.ui.shell import KioskWindow  # noqa: E402
from tests.helpers.audit import TABLE_HEADER, audit_screen  # noqa: E402
from tests.helpers.resident import discard  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tab", action="store_true", help="walk the Tab path on every screen")
    parser.add_argument("--screens", help="comma-separated screen names (default: all)")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    load_bundled_fonts()
    names = args.screens.split(",") if args.screens else screen_names(load_pack(asset_path("demo")))
    variants = [
        ((w, h), scale, contrast, low, 32.0)
        for (w, h), scale, contrast, low in itertools.product(
            ((1080, 1920), (1920, 1080)), TEXT_SCALES, (False, True), (False, True)
        )
    ] + [((1080, 1920), 100, False, False, 24.0)]
    started = time.monotonic()
    problems: list[str] = []
    shares: list[tuple[float, str]] = []
    checked = 0
    keys_hidden = 0  # screens with a keypad or keyboard key out of sight on arrival
    with tempfile.TemporaryDirectory() as data:
        for size, scale, contrast, low, diagonal in variants:
            config = KioskConfig(
                data_dir=Path(data) / f"{diagonal:g}", panel_diagonal_inches=diagonal
            )
            ctx = open_context(config)
            window = KioskWindow(ctx)
            window.resize(*size)
            window.show()
            window.start()
            window.prefs.set(
                language="ko", text_scale=scale, high_contrast=contrast, low_screen=low
            )
            label = f"{size[0]}x{size[1]} {scale}% {'contrast' if contrast else 'default'} "
            label += f"{'낮은 화면' if low else 'normal'} {diagonal:g}in"
            print(f"\n{label}\n{TABLE_HEADER}")
            for name in names:
                show_screen(window, name)
                app.processEvents()
                found = audit_screen(window, name, tab=args.tab)
                print(found.row(name))
                if found.working_share is not None:
                    shares.append((found.working_share, f"{name} [{label}]"))
                problems += [f"{name} [{label}]: {p}" for p in found.problems]
                keys_hidden += found.keys_hidden > 0
                checked += 1
                window.lifecycle.close_prompt()
            discard(window, ctx)
    for problem in problems:
        print(problem)
    seconds = round(time.monotonic() - started, 1)
    lowest = min(shares, default=(1.0, ""))
    summary = {
        "screens_checked": checked,
        "problems": len(problems),
        "min_working_area_share": round(lowest[0], 3),
        "min_share_at": lowest[1],
        "keys_hidden_on_arrival": keys_hidden,
        "seconds": seconds,
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
