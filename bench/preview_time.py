"""미리보기 time: `python -m kiosk.preview` (what the console's server runs) on the demo pack, from
process start to its exit, for a survey, a picture promotion and a video promotion.

    python -m bench.preview_time [--runs N] [--before CHECKOUT]

Each item is drawn N times (3 by default), interleaved so machine noise hits all alike; with
`--before`, another checkout of the project (an older commit) draws each too, in turn with this
one. Last line: JSON with each item's median seconds and its runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "assets" / "demo"
ITEMS: tuple[tuple[str, str, str], ...] = (
    ("survey", "surveys", "2026-senior-digital"),
    ("picture_promotion", "promotions", "welcome"),
    ("video_promotion", "promotions", "ontong-clip"),
)


def demo_assets(folder: Path) -> Path:
    """The demo pack's files by SHA-256, as the server lays them out for the preview."""
    document = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    for entry in document["files"]:
        link = folder / entry["sha256"]
        if not link.exists():
            link.symlink_to(DEMO / entry["path"])
    return folder


def timed(root: Path, section: str, key: str, assets: Path, out: Path) -> float:
    command = [sys.executable, "-m", "kiosk.preview", "--manifest", str(DEMO / "manifest.json")]
    command += ["--assets", str(assets), "--section", section, "--key", key, "--out", str(out)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    started = time.monotonic()
    subprocess.run(command, env=env, cwd=root, capture_output=True, timeout=300, check=True)
    return time.monotonic() - started


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.preview_time")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout to time in turn")
    args = parser.parse_args(argv)
    roots = {"now": ROOT}
    if args.before is not None:
        roots = {"before": args.before.resolve(), **roots}
    with tempfile.TemporaryDirectory(prefix="ontong-preview-bench-") as work:
        assets = demo_assets(Path(work) / "assets")
        seconds: dict[str, list[float]] = {
            f"{name}_{label}": [] for name, _s, _k in ITEMS for label in roots
        }
        for run in range(args.runs):
            for name, section, key in ITEMS:
                for label, root in roots.items():
                    out = Path(work) / f"{name}-{label}-{run}"
                    took = timed(root, section, key, assets, out)
                    seconds[f"{name}_{label}"].append(round(took, 2))
                    print(f"{name} ({label}) run {run + 1}: {took:.2f} s", flush=True)
    figures = {
        name: {"median_s": round(statistics.median(taken), 2), "runs_s": taken}
        for name, taken in seconds.items()
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
