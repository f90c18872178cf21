"""Start-up: configuration, database (migrated before any screen), content, fonts, window."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from contract.pack import MANIFEST_NAME, PackError, read_manifest, validate_manifest
from kiosk import __version__
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.context import AppContext
from kiosk.pack import AssetCache
from kiosk.paths import default_config_file
from kiosk.store.quick import (
    DB_FILENAME,
    DEVICE_ID_KEY,
    HEAD_REVISION,
    active_content,
    schema_revision,
    setting,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QObject

    from kiosk.ui.shell import KioskWindow

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
    parser.add_argument(
        "--demo",
        action="store_true",
        help="demo mode (./dev demo): the staff PIN is the demo's 2580, printed in the README",
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


def open_context(
    config: KioskConfig, *, demo: bool = False, check_content: bool = True
) -> AppContext:
    """Bring the device database to this app's schema and find the content to show.

    Migrations run here, before any screen. A device that is not enrolled to a server
    (`python -m sync enroll`) runs on the configured content pack: it is installed when its
    version differs from the active one. A broken pack is refused with its reason kept for
    the staff page, and the content that was active stays active.

    The active content's manifest is checked under this app's rules before it becomes
    `ctx.pack`. Without `check_content` that check waits (`ctx.stored_content`, then
    `check_stored_content`): the kiosk's home screen shows nothing of the pack, and building
    the pack's models costs about as much as starting Qt, so the app paints home first.
    """
    data_dir = config.resolved_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / DB_FILENAME
    ctx = AppContext(config=config, assets=AssetCache(data_dir / "assets"), demo=demo)
    if schema_revision(db_path) != HEAD_REVISION:
        ctx.open_store()  # runs the Alembic migrations
    active = active_content(db_path)
    # An enrolled device takes its content from the server only (the sync worker pulls it).
    enrolled = config.server_url is not None or setting(db_path, DEVICE_ID_KEY) is not None
    if not enrolled:
        pack_dir = config.resolved_content_pack()
        try:
            manifest = read_manifest(pack_dir)
            bundled = manifest.get("content_version") if isinstance(manifest, dict) else None
            if active is None or bundled != active[0]:
                from kiosk.pack.install import install_pack  # needs the full store

                install_pack(pack_dir, ctx.content, ctx.assets)
                active = active_content(db_path)
        except PackError as e:
            ctx.content_error = str(e)
            log.error("content_refused pack=%s reason=%s", pack_dir, e)
    ctx.stored_content = active
    if check_content:
        check_stored_content(ctx)
    return ctx


def complete_catalogue(app: QCoreApplication) -> None:
    """Read the message files the first paint did not need; one that cannot be used stops the
    app (exit code 1), as it would have at start."""
    from kiosk.i18n import CATALOGUE, CatalogueError

    try:
        CATALOGUE.complete()
    except CatalogueError:
        log.exception("catalogue_unusable")
        app.exit(1)


def check_stored_content(ctx: AppContext) -> None:
    """Check the active content read at start (`ctx.stored_content`) under this app version's
    rules and make it `ctx.pack`; a manifest refused leaves no pack, its reason for the staff
    page. Once only: later content comes through `ctx.reload_pack`."""
    active, ctx.stored_content = ctx.stored_content, None
    if active is None:
        return
    version, manifest = active
    try:
        ctx.pack = ctx.for_device(
            validate_manifest(manifest, source=f"{MANIFEST_NAME} ({version})")
        )
    except PackError as e:  # stored under older rules than this app version's
        ctx.content_error = str(e)
        log.error("content_invalid version=%s reason=%s", version, e)


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
    # From the start: an error while the content is read makes a render untrue as well.
    problems = RenderProblems()
    if args.render_screens:
        logging.getLogger().addHandler(problems)
    log.info("app_start version=%s mode=%s demo=%s", __version__, config.mode, args.demo)
    # Home, the kiosk's first screen, shows nothing of the content: its check waits until home
    # is on the glass. The board's first screen is the content, and a render draws it all.
    paint_first = config.mode == "kiosk" and not args.render_screens
    ctx = open_context(config, demo=args.demo, check_content=not paint_first)
    # The staff page's 기기 설정 edits this file (the default file without --config).
    ctx.config_path = args.config

    # Qt is imported only now, so the command line and the store work without a display.
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    from kiosk.sdnotify import start_watchdog
    from kiosk.ui.first_paint import after_first_paint, smoke_test_report
    from kiosk.ui.fonts import load_bundled_fonts
    from kiosk.ui.main_thread_gc import MainThreadCollector
    from kiosk.ui.shell import KioskWindow

    app = QApplication(sys.argv[:1])
    app.setApplicationName("ontong-kiosk")
    MainThreadCollector(app)  # before any worker thread starts
    load_bundled_fonts()
    # Without a window manager (the kiosk session runs bare X) full screen alone keeps the
    # window's default size: give it the whole screen first.
    screen = app.primaryScreen()
    if args.render_screens:
        size = None
    elif args.windowed:
        size = QSize(*parse_size(args.size))
    else:
        size = screen.geometry().size() if screen is not None else None
    window = KioskWindow(ctx, start_in_attract=config.mode == "board", size=size)
    if args.render_screens:
        return render(window, args.render_screens, problems)
    if args.windowed:
        window.show()
    else:
        if screen is not None:
            window.setGeometry(screen.geometry())
        window.showFullScreen()
    window.start()
    needs_store: list[Callable[[], object]] = [lambda: report_staff_pin(ctx)]
    # The smoke test ends once the store is open and what needs it ran: it checks that too.
    needs_store.append(app.quit if args.smoke_test else lambda: start_sync(window, ctx))

    def after_home_painted() -> None:
        # On the GUI thread: a tap meanwhile waits in the queue, then finds the content.
        try:
            check_stored_content(ctx)
        finally:  # the store opens and the smoke test ends whatever the content was
            open_store_then(window, ctx, needs_store)

    after_first_paint(window, after_home_painted)
    # The messages of the later screens (kiosk.i18n): read now, not at a resident's first tap.
    after_first_paint(window, lambda: complete_catalogue(app))
    # Under systemd: READY=1, then the watchdog fed from the GUI thread (nothing otherwise).
    after_first_paint(window, lambda: start_watchdog(app))
    if args.smoke_test:
        after_first_paint(window, smoke_test_report)
    else:
        # Updates: the launcher adopts a new version once it reports healthy (kiosk.update_switch).
        after_first_paint(window, lambda: report_healthy_later(app, config.healthy_after_s))
    exit_code = app.exec()
    if window.sync is not None:
        window.sync.stop()
    window.background.shutdown(wait_s=1.0)  # a staff enrolment in flight is abandoned
    ctx.close()
    return exit_code


class RenderProblems(logging.Handler):
    """Collects what makes a render run untrue: an error logged, or the app asking to restart
    (a render that crossed the board's memory ceiling drew screens no real visit would see).

    Attributes:
        problems: one line per record, in the order logged.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR or message.startswith("app_restart"):
            self.problems.append(f"{record.levelname} {record.name} {message}")


def render(window: KioskWindow, out_dir: Path, problems: RenderProblems) -> int:
    """`--render-screens`: 0 when every screen was drawn as a resident would see it; 1 when the
    run logged an error or asked to restart the app (its pictures may not tell the truth)."""
    from kiosk.ui.render import render_board, render_screens

    window.resize(1080, 1920)
    window.start()
    written = render_screens(window, out_dir)
    written += render_board(window.ctx, out_dir)
    print(f"{len(written)} screens written to {out_dir}")
    if problems.problems:
        print("render failed:", *problems.problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


def open_store_then(
    window: KioskWindow, ctx: AppContext, then: Sequence[Callable[[], object]]
) -> None:
    """Open the store on a worker thread (importing SQLAlchemy and opening the database file
    take many frames), then run `then` on the GUI thread. They run after a failure too (the
    worker logged it): each opens the store again, and says why it cannot, as it would have
    when the store opened on the GUI thread."""

    def proceed(_: object) -> None:
        for step in then:
            try:
                step()
            except Exception:  # one failing (the store cannot open) must not stop the others
                log.exception("after_store_failed step=%s", step)

    window.background.run(ctx.open_store, proceed, proceed, name="open_store")


def report_staff_pin(ctx: AppContext) -> None:
    """Say at start, in the log and on stderr, when the device has no usable staff PIN (the PIN
    page says it again to whoever opens it)."""
    pin = ctx.staff_pin.pin()
    if ctx.demo:
        log.warning("staff_pin demo mode: the staff PIN is the demo's 2580 (README)")
    elif pin.problem is not None:
        from kiosk.i18n import Translator

        log.error("staff_pin_unusable reason=%s", pin.problem.name.lower())
        print(f"관리자 비밀번호: {Translator('ko').tr(pin.problem.value)}", file=sys.stderr)


def report_healthy_later(app: QObject, delay_s: float) -> None:
    """Write the launcher's health file `delay_s` after the first paint, from the GUI thread
    (an app whose event loop is stuck never writes it)."""
    from PySide6.QtCore import QTimer

    from kiosk.update_switch import report_healthy

    QTimer.singleShot(round(delay_s * 1000), app, report_healthy)


def start_sync(window: KioskWindow, ctx: AppContext) -> None:
    """Start the sync worker when the device is enrolled (python -m sync enroll); the window
    then shows the indicator and the staff page can sync now."""
    from kiosk.services.sync_link import start_sync_link

    window.attach_sync(start_sync_link(ctx))
