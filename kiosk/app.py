"""Start-up: configuration, database (migrated before any screen), content, fonts, window."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from pathlib import Path

from kiosk import __version__
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.context import AppContext
from kiosk.pack import AssetCache, PackError, active_pack, install_pack, load_pack
from kiosk.paths import default_config_file
from kiosk.store.content_repo import ContentRepository
from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox

log = logging.getLogger("kiosk")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m kiosk", description="온통중구 kiosk and board")
    parser.add_argument("--mode", choices=["kiosk", "board"], help="overrides the config file")
    parser.add_argument("--config", type=Path, help="TOML configuration file")
    parser.add_argument("--data-dir", type=Path, help="overrides data_dir of the config")
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    parser.add_argument("--size", default="1080x1920", help="window size with --windowed, WxH")
    parser.add_argument("--render-screens", type=Path, metavar="DIR", help="save PNGs and exit")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start, paint the first screen, print how long that took and exit 0",
    )
    parser.add_argument("--version", action="version", version=__version__)
    return parser.parse_args(argv)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError as e:
        raise SystemExit(f"--size must look like 1080x1920, not {text!r}") from e
    return w, h


def setup_logging(data_dir: Path) -> None:
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "kiosk.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    handler.setFormatter(fmt)
    console = logging.StreamHandler()
    console.setFormatter(fmt)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    root.addHandler(console)


def open_context(config: KioskConfig) -> AppContext:
    """Open the device's database (migrating it) and make sure it has content to show.

    A device that is not enrolled to a server runs on the configured content pack: it is
    installed when its version differs from the active one. A broken pack is refused and the
    content that was active stays active.
    """
    data_dir = config.resolved_data_dir()
    db = open_database(data_dir)
    repo = ContentRepository(db)
    cache = AssetCache(data_dir / "assets")
    error: str | None = None
    if config.server_url is None:
        pack_dir = config.resolved_content_pack()
        try:
            bundled = load_pack(pack_dir)
            if bundled.content_version != repo.active_version():
                install_pack(pack_dir, repo, cache)
                log.info("content_installed version=%s", bundled.content_version)
        except PackError as e:
            error = str(e)
            log.error("content_refused pack=%s reason=%s", pack_dir, e)
    return AppContext(
        config=config,
        db=db,
        outbox=Outbox(db),
        content=repo,
        assets=cache,
        pack=active_pack(repo),
        content_error=error,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = load_config(args.config or default_config_file())
    except ConfigError as e:
        print(f"설정 파일 오류 (configuration error): {e}", file=sys.stderr)
        return 2
    overrides: dict[str, object] = {}
    if args.mode:
        overrides["mode"] = args.mode
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    if overrides:
        config = config.model_copy(update=overrides)
    setup_logging(config.resolved_data_dir())
    log.info("app_start version=%s mode=%s", __version__, config.mode)
    ctx = open_context(config)

    # Qt is imported only now, so the command line and the store work without a display.
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.fonts import load_bundled_fonts
    from kiosk.ui.shell import KioskWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("ontong-kiosk")
    load_bundled_fonts()
    window = KioskWindow(ctx, start_in_attract=config.mode == "board")
    if args.render_screens:
        from kiosk.ui.render import render_screens

        window.resize(1080, 1920)
        window.start()
        written = render_screens(window, args.render_screens)
        print(f"{len(written)} screens written to {args.render_screens}")
        return 0
    if args.windowed:
        window.resize(*parse_size(args.size))
        window.show()
    else:
        window.showFullScreen()
    window.start()
    if args.smoke_test:
        from kiosk.ui.smoke import exit_after_first_paint

        exit_after_first_paint(window)
    return app.exec()
