"""The sync command line, so staff can run a kiosk's sync from a shell.

    python -m sync enroll URL CODE      enrol this device with a one-time code from the server
    python -m sync run [--once]         send queued submissions, pull content; --once: one cycle
    python -m sync status               queue, dead letters, last error, content version
    python -m sync dead-letters         the rejected envelopes and reasons, as JSON lines
    python -m sync export DIR           write every pending envelope to DIR as one signed bundle
    python -m sync register-key         tell the server this device's key (devices enrolled
                                        before enrolment sent it); needs the network once

Each works on the device's data directory: ``--data-dir``, else the configuration's.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import FrameType

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.i18n import Translator
from kiosk.paths import default_config_file
from kiosk.store.content_repo import ContentRepository
from kiosk.store.db import Database, open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from sync.client import SyncClient, SyncError, Timeouts
from sync.protocol import DeviceKeyRequest, Envelope
from sync.worker import (
    DEVICE_KEY_REGISTERED_KEY,
    SyncTuning,
    build_core,
    enroll_device,
    load_enrolment,
    read_record,
)

log = logging.getLogger("sync")

# Exit codes: 0 done, 1 the server or network failed (try again), 2 wrong use or not enrolled.
EXIT_FAILED = 1
EXIT_USAGE = 2
# Pending envelopes read per query while exporting.
EXPORT_PAGE = 1000


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="kiosk TOML configuration file")
    common.add_argument("--data-dir", type=Path, help="the device's data directory")
    common.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])

    parser = argparse.ArgumentParser(prog="python -m sync", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("enroll", parents=[common], help="enrol this device with the server")
    p.add_argument("url", help="the server's address, e.g. https://ontong.example.kr")
    p.add_argument("code", help="the one-time enrolment code (python -m server enroll-code)")
    p.add_argument("--name", help="where the device stands (default: device_name of the config)")
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("run", parents=[common], help="sync until stopped (SIGTERM, Ctrl+C)")
    p.add_argument("--once", action="store_true", help="one full cycle, then exit")
    p.add_argument("--backoff-base", type=float, default=2.0, help="seconds (default: 2)")
    p.add_argument("--backoff-cap", type=float, default=300.0, help="seconds (default: 300)")
    p.add_argument("--timeout", type=float, default=30.0, help="read timeout, seconds")
    p.add_argument("--idle-check", type=float, default=2.0, help="seconds between queue checks")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("status", parents=[common], help="show the queue and the last sync")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "dead-letters",
        parents=[common],
        help="every envelope the server rejected, with its reason, as JSON lines on stdout",
    )
    p.set_defaults(func=cmd_dead_letters)

    p = sub.add_parser(
        "export", parents=[common], help="write the pending outbox to DIR as one signed bundle"
    )
    p.add_argument("dir", type=Path, help="an existing folder, e.g. the USB stick's")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "register-key", parents=[common], help="register this device's bundle key with the server"
    )
    p.add_argument("--timeout", type=float, default=30.0, help="read timeout, seconds")
    p.set_defaults(func=cmd_register_key)
    return parser


def _config(args: argparse.Namespace) -> KioskConfig:
    config = load_config(args.config or default_config_file())
    if args.data_dir is not None:
        config = config.model_copy(update={"data_dir": args.data_dir})
    return config


def cmd_enroll(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    settings = DeviceSettings(db)
    try:
        enrolment = enroll_device(
            settings,
            args.url,
            args.code,
            name=args.name or config.device_name,
            mode=config.mode,
            timeouts=Timeouts(read_s=30.0),
        )
    except SyncError as e:
        print(f"등록하지 못했습니다 (enrolment failed): {e.detail}", file=sys.stderr)
        return EXIT_FAILED
    print(f"enrolled as {enrolment.device_id} with {enrolment.server_url}")
    return 0


def cmd_run(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    tuning = SyncTuning(
        backoff_base_s=args.backoff_base,
        backoff_cap_s=max(args.backoff_cap, args.backoff_base),
        timeouts=Timeouts(connect_s=min(5.0, args.timeout), read_s=args.timeout),
        idle_check_s=args.idle_check,
    )
    core = build_core(
        db, config.resolved_data_dir(), mode=config.mode, dong=config.dong, tuning=tuning
    )
    if core is None:
        print("이 기기는 아직 등록되지 않았습니다: python -m sync enroll URL CODE", file=sys.stderr)
        return EXIT_USAGE
    if args.once:
        try:
            error = core.run_once()
        finally:
            core.close()
        if error is not None:
            print(f"sync failed ({error.kind}): {error.detail}", file=sys.stderr)
            return EXIT_FAILED
        return 0

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("sync.signal signal=%d", signum)
        core.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    core.run_forever()
    return 0


def cmd_status(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    tr = Translator("ko").tr
    settings = DeviceSettings(db)
    outbox = Outbox(db)
    enrolment = load_enrolment(settings)
    record = read_record(settings)
    counts = outbox.counts_by_status()
    letters = outbox.dead_letters()
    lines = [
        f"data dir:        {config.resolved_data_dir()}",
        f"server:          {enrolment.server_url if enrolment else 'not enrolled'}",
        f"device id:       {enrolment.device_id if enrolment else '-'}",
        f"content version: {ContentRepository(db).active_version() or '-'}",
        f"queue:           pending {counts['pending']}, sent {counts['sent']},"
        f" dead {counts['dead']}",
        f"clock offset:    {settings.clock_offset_s():+.1f} s",
        f"last success:    {_when(record.last_success)}",
    ]
    if record.last_error is None:
        lines.append("last error:      none")
    else:
        e = record.last_error
        lines.append(f"last error:      {_when(e.at)} ({e.kind}) {e.detail}")
        lines.append(f"                 {tr(e.message_id)}")
    elsewhere = outbox.sealed_elsewhere(enrolment.server_public_key if enrolment else None)
    if elsewhere:
        lines.append(
            f"sealed elsewhere: {elsewhere} pending, sealed to another server's key: never sent"
            " to this server; export them to USB (python -m sync export) for their own server"
        )
    lines.append(f"dead letters:    {len(letters)}")
    for letter in letters[:50]:
        env = letter.envelope
        lines.append(f"  #{env.device_seq} {env.kind} {env.id}: {letter.reason}")
    if len(letters) > 50:
        lines.append(f"  ... and {len(letters) - 50} more")
    print("\n".join(lines))
    return 0


def cmd_dead_letters(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    """For staff: redirect to a file to hand the rejected submissions to the district."""
    for letter in Outbox(db).dead_letters():
        record = {
            "reason": letter.reason,
            "moved_at": letter.moved_at.isoformat(),
            "envelope": json.loads(letter.envelope.model_dump_json()),
        }
        print(json.dumps(record, ensure_ascii=False))
    return 0


def cmd_export(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    from sync.bundle import encode_bundle, file_name, public_key_of, write_bundle

    settings = DeviceSettings(db)
    device_id = settings.device_id()
    if device_id is None:
        print(
            "이 기기는 아직 등록되지 않았습니다 (not enrolled): the server would not know whose"
            " bundle it is. python -m sync enroll URL CODE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    envelopes = _all_pending(Outbox(db))
    if not envelopes:
        print("보낼 제출이 없습니다 (the outbox has nothing pending): no file written")
        return 0
    seed = settings.device_signing_key()
    first, last = envelopes[0].device_seq, envelopes[-1].device_seq
    data = encode_bundle(device_id, envelopes, seed)
    try:
        path = write_bundle(args.dir, file_name(device_id, first, last), data)
    except OSError as e:
        print(
            f"내보내지 못했습니다 (export failed): {_write_problem(e, args.dir)}", file=sys.stderr
        )
        print("the outbox is unchanged; nothing was marked sent", file=sys.stderr)
        return EXIT_FAILED
    # Nothing is marked sent: the server's answer to the next normal sync ("duplicate") does it.
    print(f"wrote {path}")
    print(f"{len(envelopes)} pending envelopes, device_seq {first} to {last}")
    if settings.get(DEVICE_KEY_REGISTERED_KEY) != public_key_of(seed):
        print(
            "warning: the server does not know this device's key yet and will refuse the bundle"
            " until it does: run python -m sync register-key once the device is online",
            file=sys.stderr,
        )
    return 0


def _all_pending(outbox: Outbox) -> list[Envelope]:
    envelopes: list[Envelope] = []
    while page := outbox.pending(
        EXPORT_PAGE, after_seq=envelopes[-1].device_seq if envelopes else 0
    ):
        envelopes += page
    return envelopes


def _write_problem(e: OSError, directory: Path) -> str:
    if e.errno == errno.ENOSPC:
        return f"{directory} is full"
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{directory} cannot be written (read-only or no permission)"
    if e.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"{directory} is not an existing folder (is the USB stick mounted?)"
    return f"{directory}: {e.strerror or e}"


def cmd_register_key(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    from sync.bundle import public_key_of

    settings = DeviceSettings(db)
    enrolment = load_enrolment(settings)
    if enrolment is None:
        print("이 기기는 아직 등록되지 않았습니다: python -m sync enroll URL CODE", file=sys.stderr)
        return EXIT_USAGE
    public_key = public_key_of(settings.device_signing_key())
    client = SyncClient(
        enrolment.server_url, enrolment.token, timeouts=Timeouts(read_s=args.timeout)
    )
    try:
        client.register_device_key(DeviceKeyRequest(device_public_key=public_key))
    except SyncError as e:
        print(f"키를 등록하지 못했습니다 (key registration failed): {e.detail}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        client.close()
    settings.set(DEVICE_KEY_REGISTERED_KEY, public_key)
    print(f"the server now knows the bundle key of {enrolment.device_id}")
    return 0


def _when(moment: datetime | None) -> str:
    return moment.astimezone().isoformat(timespec="seconds") if moment else "never"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    try:
        config = _config(args)
    except ConfigError as e:
        print(f"설정 파일 오류 (configuration error): {e}", file=sys.stderr)
        return EXIT_USAGE
    with open_database(config.resolved_data_dir()) as db:
        result: int = args.func(args, config, db)
    return result


if __name__ == "__main__":
    sys.exit(main())
