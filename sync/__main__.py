"""The sync command line, so staff can run a kiosk's sync from a shell.

    python -m sync enroll URL CODE      enrol this device with a one-time code from the server,
                                        and set its staff PIN (asked twice on a terminal;
                                        --pin-file FILE|- or --pin-hash HASH for scripts)
    python -m sync set-pin              set the staff PIN (the installer; a forgotten PIN)
    python -m sync reset                기기 초기화: forget the server (needs the staff PIN and
                                        every pending envelope exported), to enrol elsewhere
    python -m sync run [--once]         send queued submissions, pull content; --once: one cycle
    python -m sync status               queue, dead letters, last error, content version
    python -m sync dead-letters         the rejected envelopes and reasons, as JSON lines
    python -m sync export DIR           write every pending envelope to DIR as one signed bundle
                                        (noted: a reset may then retire them)
    python -m sync register-key         tell the server this device's key (devices enrolled
                                        before enrolment sent it); needs the network once

Each works on the device's data directory: ``--data-dir``, else the configuration's.
"""

from __future__ import annotations

import argparse
import errno
import getpass
import json
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from types import FrameType

from contract.wire import DeviceKeyRequest
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.i18n import Translator
from kiosk.paths import default_config_file
from kiosk.store.content_repo import ContentRepository
from kiosk.store.db import Database, open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DeviceSettings
from sync.client import SyncClient, SyncError, Timeouts
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
# A staff PIN already set was kept (set-pin --keep-existing): install.sh does not print one.
EXIT_KEPT = 3


def _pin_options(p: argparse.ArgumentParser) -> None:
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--pin-file", type=Path, help="read the staff PIN from the first line of FILE (- : stdin)"
    )
    where.add_argument("--pin-hash", help="the staff PIN's scrypt hash (contract.pin)")


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
    _pin_options(p)
    p.add_argument(
        "--keep-pin", action="store_true", help="keep the staff PIN the device already has"
    )
    p.set_defaults(func=cmd_enroll)

    p = sub.add_parser("set-pin", parents=[common], help="set the staff PIN of this device")
    _pin_options(p)
    p.add_argument(
        "--keep-existing",
        action="store_true",
        help=f"change nothing (exit {EXIT_KEPT}) when the device already has a staff PIN",
    )
    p.set_defaults(func=cmd_set_pin)

    p = sub.add_parser(
        "reset",
        parents=[common],
        help="기기 초기화: forget the enrolment so the device may enrol with another server",
    )
    p.add_argument(
        "--pin-file", type=Path, help="read the staff PIN from the first line of FILE (- : stdin)"
    )
    p.set_defaults(func=cmd_reset)

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


class _PinInputError(Exception):
    """The staff PIN given cannot be used; the message says why."""


def _tr(message_id: str) -> str:
    return Translator("ko").tr(message_id)


def _read_pin_line(source: Path) -> str:
    try:
        text = sys.stdin.read() if str(source) == "-" else source.read_text(encoding="utf-8")
    except OSError as e:
        raise _PinInputError(f"cannot read {source}: {e.strerror or e}") from e
    return (text.splitlines() or [""])[0].strip()


def _new_pin_hash(args: argparse.Namespace) -> str | None:
    """The new staff PIN's hash from --pin-hash, --pin-file or two prompts on a terminal;
    None when none was given and there is no terminal to ask on."""
    from contract.pin import hash_pin
    from kiosk.domain.admin import new_staff_pin_problem
    from kiosk.store.staff_pin import StaffPinError, check_pin_hash

    if args.pin_hash:
        try:
            check_pin_hash(args.pin_hash)
        except StaffPinError as e:
            raise _PinInputError(str(e)) from None
        return str(args.pin_hash)
    if args.pin_file is not None:
        pin = _read_pin_line(args.pin_file)
    elif sys.stdin.isatty():
        pin = getpass.getpass("새 관리자 비밀번호 (new staff PIN, 6-8 digits): ")
        if getpass.getpass("한 번 더 (again): ") != pin:
            raise _PinInputError(_tr("admin.pin.new.mismatch"))
    else:
        return None
    problem = new_staff_pin_problem(pin)
    if problem is not None:
        raise _PinInputError(_tr(problem))
    return hash_pin(pin)


def cmd_enroll(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    from kiosk.store.staff_pin import StaffPinError, stored_pin_hash
    from sync.enrolment import ServerPinnedError

    settings = DeviceSettings(db)
    try:
        pin_hash = None if args.keep_pin else _new_pin_hash(args)
    except _PinInputError as e:
        print(f"관리자 비밀번호 (staff PIN): {e}", file=sys.stderr)
        return EXIT_USAGE
    has_pin = config.admin_pin_hash is not None or stored_pin_hash(settings) is not None
    if pin_hash is None and not (args.keep_pin and has_pin):
        print(
            "등록할 때 관리자 비밀번호를 정합니다 (enrolment sets the staff PIN): run it on a"
            " terminal, or give --pin-file FILE (- for stdin) or --pin-hash HASH"
            + (", or --keep-pin" if has_pin else ""),
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        enrolment = enroll_device(
            settings,
            args.url,
            args.code,
            name=args.name or config.device_name,
            mode=config.mode,
            timeouts=Timeouts(read_s=30.0),
            pin_hash=pin_hash,
        )
    except ServerPinnedError as e:
        print(f"등록하지 않았습니다 (enrolment refused): {e.detail}", file=sys.stderr)
        return EXIT_USAGE
    except StaffPinError as e:
        print(f"관리자 비밀번호 (staff PIN): {e}", file=sys.stderr)
        return EXIT_USAGE
    except SyncError as e:
        print(f"등록하지 못했습니다 (enrolment failed): {e.detail}", file=sys.stderr)
        return EXIT_FAILED
    print(f"enrolled as {enrolment.device_id} with {enrolment.server_url}")
    if pin_hash is not None:
        print("the staff PIN is set")
    return 0


def cmd_set_pin(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    from kiosk.store.staff_pin import StaffPinError, store_pin_hash, stored_pin_hash

    settings = DeviceSettings(db)
    if args.keep_existing and stored_pin_hash(settings) is not None:
        print("the device already has a staff PIN: kept")
        return EXIT_KEPT
    try:
        pin_hash = _new_pin_hash(args)
        if pin_hash is None:
            raise _PinInputError("give --pin-file FILE (- for stdin) or --pin-hash HASH")
        store_pin_hash(settings, pin_hash)
    except (_PinInputError, StaffPinError) as e:
        print(f"관리자 비밀번호 (staff PIN): {e}", file=sys.stderr)
        return EXIT_USAGE
    print("the staff PIN is set")
    if config.admin_pin_hash is not None:
        print(
            "note: the configuration file's admin_pin_hash overrides it while it is there",
            file=sys.stderr,
        )
    return 0


def cmd_reset(args: argparse.Namespace, config: KioskConfig, db: Database) -> int:
    """기기 초기화 from the shell: the staff PIN, then sync.enrolment.reset_enrolment."""
    from kiosk.store.staff_pin import StaffPinGate
    from sync.enrolment import ResetRefusedError, pinned_server, reset_enrolment

    settings = DeviceSettings(db)
    if pinned_server(settings) is None:
        print("이 기기는 등록되어 있지 않습니다 (not enrolled): nothing to reset")
        return 0
    gate = StaffPinGate(settings, configured=config.admin_pin_hash, demo=False)
    try:
        if args.pin_file is not None:
            pin = _read_pin_line(args.pin_file)
        elif sys.stdin.isatty():
            pin = getpass.getpass("관리자 비밀번호 (staff PIN): ")
        else:
            raise _PinInputError("give the staff PIN: --pin-file FILE (- for stdin)")
    except _PinInputError as e:
        print(f"관리자 비밀번호 (staff PIN): {e}", file=sys.stderr)
        return EXIT_USAGE
    check = gate.check(pin)
    if not check.ok:
        if check.problem is not None:
            why = _tr(check.problem)
        elif check.locked_s:
            why = f"locked for {check.locked_s} s after too many wrong PINs"
        else:
            why = _tr("admin.pin.wrong")
        print(f"초기화하지 않았습니다 (reset refused): {why}", file=sys.stderr)
        return EXIT_USAGE
    try:
        retired = reset_enrolment(settings, Outbox(db))
    except ResetRefusedError as e:
        print(
            f"초기화하지 않았습니다 (reset refused): {e}. {_tr('reset.refused.pending')}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(
        f"기기를 초기화했습니다 (reset): {retired} exported envelopes retired; the device may"
        " now enrol with a server (python -m sync enroll URL CODE). Restart the app."
    )
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
        f" dead {counts['dead']}"
        + (f", exported {counts['exported']}" if counts.get("exported") else ""),
        f"staff PIN:       {_pin_state(config, settings)}",
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


def _pin_state(config: KioskConfig, settings: DeviceSettings) -> str:
    from kiosk.domain.admin import staff_pin
    from kiosk.store.staff_pin import read_failures, stored_pin_hash

    pin = staff_pin(configured=config.admin_pin_hash, stored=stored_pin_hash(settings), demo=False)
    state = (
        "set" if pin.usable else f"none usable ({pin.problem.name.lower() if pin.problem else '-'})"
    )
    return f"{state}; lock-outs since enrolment {read_failures(settings).lockouts}"


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
    from sync.outbox_export import NotEnrolledError, export_pending

    try:
        done = export_pending(DeviceSettings(db), Outbox(db), args.dir)
    except NotEnrolledError:
        print(
            "이 기기는 아직 등록되지 않았습니다 (not enrolled): the server would not know whose"
            " bundle it is. python -m sync enroll URL CODE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except OSError as e:
        print(
            f"내보내지 못했습니다 (export failed): {_write_problem(e, args.dir)}", file=sys.stderr
        )
        print("the outbox is unchanged; nothing was marked sent", file=sys.stderr)
        return EXIT_FAILED
    if done.path is None:
        print("보낼 제출이 없습니다 (the outbox has nothing pending): no file written")
        return 0
    print(f"wrote {done.path}")
    print(f"{done.count} pending envelopes, device_seq {done.first_seq} to {done.last_seq}")
    if not done.key_known:
        print(
            "warning: the server does not know this device's key yet and will refuse the bundle"
            " until it does: run python -m sync register-key once the device is online",
            file=sys.stderr,
        )
    return 0


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
