"""The server's command line: ``python -m server init|serve|enroll-code|publish|devices|revoke|
approve|staff|coach|import-bundle|tallies|report|held|release|refuse``.

Every command takes ``--data-dir`` (assets, and the SQLite file unless ``--db`` names another
database: an SQLite file path or a URL such as ``postgresql://user@host/db``).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import socket
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from server.config import (
    DEFAULT_CLOSING_GRACE,
    DEFAULT_LEDGER_PER_DEVICE_PER_HOUR,
    DEFAULT_LEDGER_PER_DEVICE_PER_MINUTE,
    DEFAULT_LEDGER_PER_RESIDENT_PER_HOUR,
    DEFAULT_MAX_COUNTED_PER_TARGET,
    DEFAULT_MAX_MEDIA_MB,
    DEFAULT_MAX_NEW_RESIDENTS_PER_HOUR,
    DEFAULT_OFFLINE_AFTER,
    DEFAULT_PUBLISH_CHECK_EVERY,
    LOG_FORMAT,
    ServerSettings,
    duration,
)

if TYPE_CHECKING:
    from server.db import ServerDatabase
    from server.ingest import Ingest
    from server.keys import ServerKeys

log = logging.getLogger("server")


def _staff_call_hook(text: str) -> tuple[str, str]:
    from server.calls import parse_hook

    try:
        return parse_hook(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _settings(args: argparse.Namespace) -> ServerSettings:
    return ServerSettings(
        data_dir=Path(args.data_dir).expanduser().resolve(),
        db=args.db,
        keys_dir=Path(args.keys_dir).expanduser().resolve() if args.keys_dir else None,
        max_requests_per_minute=getattr(args, "max_requests_per_minute", None),
        fault_injection=getattr(args, "fault_injection", False),
        closing_grace=getattr(args, "closing_grace", DEFAULT_CLOSING_GRACE),
        offline_after=getattr(args, "offline_after", DEFAULT_OFFLINE_AFTER),
        max_new_residents_per_hour=_limit(args, "max_new_residents_per_hour"),
        max_counted_per_target=_limit(args, "max_counted_per_target"),
        ledger_per_device_per_minute=_limit(args, "ledger_per_device_per_minute"),
        ledger_per_device_per_hour=_limit(args, "ledger_per_device_per_hour"),
        ledger_per_resident_per_hour=_limit(args, "ledger_per_resident_per_hour"),
        staff_call_hooks=dict(getattr(args, "staff_call_hook", None) or []),
        publish_check_every=getattr(args, "publish_check_every", DEFAULT_PUBLISH_CHECK_EVERY),
        max_media_bytes=getattr(args, "max_media_mb", DEFAULT_MAX_MEDIA_MB) * 1024 * 1024,
    )


_LIMIT_DEFAULTS = {
    "max_new_residents_per_hour": DEFAULT_MAX_NEW_RESIDENTS_PER_HOUR,
    "max_counted_per_target": DEFAULT_MAX_COUNTED_PER_TARGET,
    "ledger_per_device_per_minute": DEFAULT_LEDGER_PER_DEVICE_PER_MINUTE,
    "ledger_per_device_per_hour": DEFAULT_LEDGER_PER_DEVICE_PER_HOUR,
    "ledger_per_resident_per_hour": DEFAULT_LEDGER_PER_RESIDENT_PER_HOUR,
}


def _limit(args: argparse.Namespace, name: str) -> int | None:
    """A limit flag: its default when not given; 0 turns the limit off."""
    value = getattr(args, name, _LIMIT_DEFAULTS[name])
    return None if value == 0 else value


def _open(args: argparse.Namespace) -> tuple[ServerSettings, ServerDatabase]:
    from server.db import open_database

    settings = _settings(args)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings, open_database(settings.database, settings.keys)


def cmd_init(args: argparse.Namespace) -> int:
    from server.db import database_url
    from server.keys import KeyFileError, ensure_keys

    settings, db = _open(args)
    with db:
        try:
            keys = ensure_keys(db, settings.keys)
        except KeyFileError as e:
            print(f"not ready: {e}", file=sys.stderr)
            return 1
    shown = database_url(settings.database).render_as_string(hide_password=True)
    print(f"database ready: {shown}")
    print(f"key files (0600, keep a backup apart from the database): {settings.keys}")
    print(f"server public key (X25519): {keys.public_key}")
    return 0


def cmd_enroll_code(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.auth import new_enrollment_code

    _settings_, db = _open(args)
    with db:
        issued = new_enrollment_code(db, hours=args.hours, note=args.note, by=Actor.command_line())
    # The code alone on stdout, so a script can read it: CODE=$(python -m server enroll-code)
    print(issued.code)
    print(f"single use, expires {issued.expires_at.isoformat(timespec='minutes')}", file=sys.stderr)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.content import PublishError, publish

    settings, db = _open(args)
    with db:
        try:
            published = publish(db, settings.assets_dir, Path(args.pack_dir), Actor.command_line())
        except PublishError as e:
            print(str(e), file=sys.stderr)
            return 1
    state = "published" if published.new else "already published, unchanged"
    print(f"{published.content_version}: {state} (ETag {published.etag})")
    return 0


def cmd_import_content(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.packs import ImportRefused, import_archive

    settings, db = _open(args)
    with db:
        try:
            done = import_archive(
                db,
                settings.assets_dir,
                Path(args.archive),
                Actor.command_line(),
                settings.data_dir / "work",
            )
        except ImportRefused as e:
            print(str(e), file=sys.stderr)
            return 1
    state = "now live" if done.new else "already live, unchanged"
    print(f"{done.content_version}: {state} ({done.files} files)")
    return 0


def cmd_export_content(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.keys import KeyFileError, ensure_keys
    from server.packs import ImportRefused, export_archive

    settings, db = _open(args)
    out = Path(args.out)
    with db:
        try:
            keys = ensure_keys(db, settings.keys)
        except KeyFileError as e:
            print(f"cannot sign the archive: {e}", file=sys.stderr)
            return 1
        try:
            with out.open("wb") as f:
                version = export_archive(
                    db, settings.assets_dir, f, Actor.command_line(), keys.content_seed
                )
        except ImportRefused as e:
            out.unlink(missing_ok=True)
            print(str(e), file=sys.stderr)
            return 1
    print(f"{version}: written to {out}")
    return 0


def _ago(when: datetime | None) -> str:
    if when is None:
        return "never"
    seconds = int((datetime.now(UTC) - when).total_seconds())
    if seconds < 120:
        return f"{seconds}s ago"
    if seconds < 7200:
        return f"{seconds // 60}m ago"
    return f"{seconds // 3600}h ago"


def cmd_devices(args: argparse.Namespace) -> int:
    from server.fleet import devices

    _settings_, db = _open(args)
    with db:
        reports = devices(db)
    if args.json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
        return 0
    if not reports:
        print("no devices enrolled")
        return 0
    header = (
        "DEVICE",
        "NAME",
        "MODE",
        "STATE",
        "HEARTBEAT",
        "QUEUE",
        "RECEIVED",
        "MAX SEQ",
        "GAPS",
        "PIN LOCKS",
    )
    rows = [header]
    for r in reports:
        rows.append(
            (
                r.device_id,
                r.name,
                r.mode,
                "revoked" if r.revoked_at else "active",
                _ago(r.last_heartbeat_at),
                "-" if r.queue_depth is None else str(r.queue_depth),
                f"{r.submissions}" + (f" (+{r.rejected} rejected)" if r.rejected else ""),
                "-" if r.highest_seq is None else str(r.highest_seq),
                ", ".join(str(g) for g in r.gaps) or "none",
                "-" if r.pin_lockouts is None else str(r.pin_lockouts),
            )
        )
    _print_table(rows)
    return 0


def cmd_rejected(args: argparse.Namespace) -> int:
    from server.fleet import rejected

    _settings_, db = _open(args)
    with db:
        reports = rejected(db, reason_code=args.reason, device_id=args.device)
    if args.json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
        return 0
    if not reports:
        print("no rejected envelopes")
        return 0
    rows = [("RECEIVED", "DEVICE", "NAME", "SEQ", "REASON", "MESSAGE")]
    for r in reports:
        rows.append(
            (
                r.received_at.isoformat(timespec="seconds"),
                r.device_id,
                r.device_name,
                "-" if r.device_seq is None else str(r.device_seq),
                r.reason_code,
                r.reason,
            )
        )
    _print_table(rows)
    return 0


def cmd_tallies(args: argparse.Namespace) -> int:
    from server.tallies import staff_tallies

    _settings_, db = _open(args)
    with db:
        t = staff_tallies(db)
    if args.json:
        print(json.dumps(t.to_json(), ensure_ascii=False, indent=2))
        return 0
    version = t.content_version or "none published"
    print(f"content version: {version}")
    print()
    threshold = t.proposals[0].threshold if t.proposals else "-"
    print(f"proposals (threshold {threshold}; agrees: pack + counted here, one per resident)")
    rows = [("PROPOSAL", "PACK", "COUNTED", "TOTAL", "STATE")]
    for p in t.proposals:
        state = "정책 검토 대상" if p.reached else f"{p.threshold - p.total} to go"
        rows.append((p.proposal_id, str(p.published), str(p.counted), str(p.total), state))
    if t.proposals:
        _print_table(rows)
    print(f"new proposals awaiting staff review: {t.awaiting_review}")
    print()
    if t.vote_id is not None and t.vote_closes_at is not None:
        print(f"ballot {t.vote_id} (closes {t.vote_closes_at.isoformat(timespec='minutes')})")
    if not t.ballots:
        print("no ballots")
        return 0
    table = [("VOTE", "DONG", "VOTERS", "RANK", "PROJECT", "VOTES")]
    for b in t.ballots:
        for i, line in enumerate(b.ranking or []):
            first = i == 0
            table.append(
                (
                    b.vote_id if first else "",
                    b.dong if first else "",
                    str(b.voters) if first else "",
                    "-" if line.rank is None else str(line.rank),
                    line.project_id,
                    str(line.votes),
                )
            )
        if not b.ranking:
            table.append((b.vote_id, b.dong, str(b.voters), "-", "-", "-"))
    _print_table(table)
    return 0


def cmd_coaching(args: argparse.Namespace) -> int:
    from server.coaching import struggles

    _settings_, db = _open(args)
    with db:
        report = struggles(db)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(
        f"coached sessions: {report.sessions}, coaches: {len(report.coaches)}, "
        f"residents taught: {report.residents_taught}"
    )
    if report.unreadable:
        print(f"records that could not be read: {report.unreadable}")
    if not report.steps:
        print("no lesson steps recorded yet")
        return 0
    print("lesson steps where residents struggle most (most wrong taps first)")
    rows = [("LESSON", "STEP", "WRONG TAPS", "PER TRY", "ATTEMPTS", "AVG TIME", "SESSIONS")]
    for s in report.steps:
        rows.append(
            (
                s.lesson_id,
                s.step_id,
                str(s.wrong_taps),
                f"{s.wrong_per_attempt:.1f}",
                str(s.attempts),
                f"{s.average_s:.1f}s",
                str(s.sessions),
            )
        )
    _print_table(rows)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from server.report import participation, this_year, to_csv

    _settings_, db = _open(args)
    with db:
        report = participation(db, args.year or this_year())
    text = to_csv(report)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    # With a BOM: a spreadsheet on Korean Windows opens the file as UTF-8, not as CP949.
    Path(args.out).write_text(text, encoding="utf-8-sig", newline="")
    target = f" of the target {report.target:,}" if report.target is not None else ""
    print(f"{report.year}: {report.total.total:,} counted participations{target}; wrote {args.out}")
    return 0


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2026")
    return int(text)


def _print_table(rows: Sequence[Sequence[str]]) -> None:
    widths = [max(_display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (c + " " * (w - _display_width(c)) for c, w in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())


def _display_width(text: str) -> int:
    # Hangul takes two terminal cells: columns of device names line up only if counted so.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cmd_revoke(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.auth import revoke

    _settings_, db = _open(args)
    with db:
        done = revoke(db, args.device_id, by=Actor.command_line())
    if not done:
        print(f"no active device {args.device_id!r}", file=sys.stderr)
        return 1
    print(f"revoked {args.device_id}")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.auth import approve
    from server.fleet import overview

    settings, db = _open(args)
    with db:
        wanted = list(args.device_id)
        if args.all_waiting:
            waiting = overview(db, settings.offline_after)
            wanted += [e.report.device_id for e in waiting if e.waiting_for_approval]
        if not wanted:
            print("no device waiting for approval")
            return 0
        failed = 0
        for device_id in wanted:
            if approve(db, device_id, Actor.command_line()):
                print(f"approved {device_id}")
            else:
                print(f"no device {device_id!r} waiting for approval", file=sys.stderr)
                failed += 1
    return 1 if failed else 0


def _read_password(args: argparse.Namespace) -> str:
    """The new password: from --password-file (its first line), from standard input when it is
    not a terminal, or typed twice at a terminal. Never a command-line argument (those are
    visible to every user of the machine and kept in shell history)."""
    import getpass

    if args.password_file:
        source = sys.stdin if args.password_file == "-" else None
        if source is None:
            text = Path(args.password_file).read_text(encoding="utf-8")
        else:
            text = source.read()
        return text.splitlines()[0] if text else ""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    second = getpass.getpass("again: ")
    if first != second:
        raise ValueError("the two passwords differ")
    return first


def cmd_staff(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.staff import (
        StaffError,
        accounts,
        add_account,
        disable_account,
        parse_role,
        reset_password,
    )

    if args.action in ("add", "disable", "reset-password") and not args.name:
        print(f"staff {args.action} needs a NAME", file=sys.stderr)
        return 2
    if args.action == "add":
        try:
            role = parse_role(args.role or "")
            password = _read_password(args)
        except (StaffError, ValueError, OSError) as e:
            print(f"not added: {e}", file=sys.stderr)
            return 1
    if args.action == "reset-password":
        try:
            password = _read_password(args)
        except (ValueError, OSError) as e:
            print(f"not changed: {e}", file=sys.stderr)
            return 1
    _settings_, db = _open(args)
    with db:
        if args.action == "add":
            try:
                staff = add_account(
                    db, args.name, role, password, Actor.command_line(), dong=args.dong
                )
            except StaffError as e:
                print(f"not added: {e}", file=sys.stderr)
                return 1
            print(f"added {staff.name} ({staff.role.value}, {staff.role_label})")
            return 0
        if args.action == "reset-password":
            try:
                done = reset_password(db, args.name, password, Actor.command_line())
            except StaffError as e:
                print(f"not changed: {e}", file=sys.stderr)
                return 1
            if not done:
                print(f"no active staff account {args.name!r}", file=sys.stderr)
                return 1
            print(f"new password set for {args.name}; their sessions ended, login lock lifted")
            return 0
        if args.action == "disable":
            if not disable_account(db, args.name, Actor.command_line()):
                print(f"no active staff account {args.name!r}", file=sys.stderr)
                return 1
            print(f"disabled {args.name}; their sessions ended")
            return 0
        listed = accounts(db)
    if not listed:
        print("no staff accounts (python -m server staff add NAME --role admin)")
        return 0
    rows = [("NAME", "ROLE", "DONG", "STATE", "LAST LOGIN")]
    for a in listed:
        rows.append(
            (
                a.name,
                a.role,
                a.dong or "-",
                "disabled" if a.disabled_at else "active",
                a.last_login_at.isoformat(timespec="minutes") if a.last_login_at else "never",
            )
        )
    _print_table(rows)
    return 0


def _read_pin(args: argparse.Namespace) -> str | None:
    """A coach's new PIN: None with --generate-pin (the server makes one and prints it once);
    else from --pin-file (its first line, '-': standard input), from standard input when it is
    not a terminal, or typed twice at a terminal. Never a command-line argument."""
    import getpass

    if args.generate_pin:
        return None
    if args.pin_file:
        if args.pin_file == "-":
            text = sys.stdin.read()
        else:
            text = Path(args.pin_file).read_text(encoding="utf-8")
        return text.splitlines()[0].strip() if text else ""
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    first = getpass.getpass("PIN (4-8 digits): ")
    second = getpass.getpass("again: ")
    if first != second:
        raise ValueError("the two PINs differ")
    return first


def cmd_coach(args: argparse.Namespace) -> int:
    from server import coaches
    from server.audit import Actor

    if args.action in ("add", "revoke", "reset-pin") and not args.code:
        print(f"coach {args.action} needs a CODE", file=sys.stderr)
        return 2
    if args.action == "add" and not args.name:
        print("coach add needs a CODE and a NAME", file=sys.stderr)
        return 2
    pin: str | None = None
    if args.action in ("add", "reset-pin"):
        try:
            pin = _read_pin(args)
        except (ValueError, OSError) as e:
            print(f"not changed: {e}", file=sys.stderr)
            return 1
    _settings_, db = _open(args)
    with db:
        try:
            if args.action == "add":
                added = coaches.add(
                    db, args.code, args.name, pin or coaches.generate_pin(), Actor.command_line()
                )
                print(
                    f"added coach {added.code} ({added.name}); devices take it at their next"
                    " heartbeat"
                )
                if pin is None:
                    print(f"PIN: {added.pin} (shown once: give it to the coach)")
                return 0
            if args.action == "reset-pin":
                reset = coaches.reset_pin(
                    db, args.code, pin or coaches.generate_pin(), Actor.command_line()
                )
                print(
                    f"new PIN for coach {reset.code} ({reset.name}); the old one is refused"
                    " at each device's next heartbeat"
                )
                if pin is None:
                    print(f"PIN: {reset.pin} (shown once: give it to the coach)")
                return 0
            if args.action == "revoke":
                coaches.revoke(db, args.code, Actor.command_line())
                print(f"revoked coach {args.code}; devices refuse it at their next heartbeat")
                return 0
        except coaches.CoachError as e:
            print(f"not changed: {e}", file=sys.stderr)
            return 1
        listed = coaches.listing(db)
    if not listed:
        print("no coaches (python -m server coach add CODE NAME)")
        return 0
    rows = [("CODE", "NAME", "STATE", "LAST CHANGE", "BY")]
    for c in listed:
        rows.append(
            (
                c.code,
                c.name,
                c.state,
                c.changed_at.isoformat(timespec="minutes"),
                c.changed_by or "-",
            )
        )
    _print_table(rows)
    return 0


def _ingest(db: ServerDatabase, settings: ServerSettings, keys: ServerKeys) -> Ingest:
    from server.ingest import Ingest

    return Ingest(
        db,
        keys,
        closing_grace=settings.closing_grace,
        max_new_residents_per_hour=settings.max_new_residents_per_hour,
        max_counted_per_target=settings.max_counted_per_target,
    )


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.bundles import import_bundle
    from server.keys import KeyFileError, load_keys
    from sync.bundle import BundleError

    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        print(f"cannot read the bundle {args.file}: {e.strerror or e}", file=sys.stderr)
        return 1
    settings, db = _open(args)
    with db:
        try:
            ingest = _ingest(db, settings, load_keys(settings.keys))
        except KeyFileError as e:
            print(f"bundle not imported: {e}", file=sys.stderr)
            return 1
        try:
            report = import_bundle(db, data, ingest, Actor.command_line())
        except BundleError as e:
            print(f"bundle refused, nothing stored: {e}", file=sys.stderr)
            return 1
    print(
        f"bundle of {report.device_id}: {report.count} envelopes, device_seq {report.first_seq}"
        f" to {report.last_seq}, signature and hash chain verified"
    )
    print(f"accepted {report.accepted}, duplicate {report.duplicate}, rejected {report.rejected}")
    for result in report.rejections:
        print(f"  rejected {result.id}: {result.reason}")
    return 0


def cmd_held(args: argparse.Namespace) -> int:
    from server import audit
    from server.held import listing

    by = audit.Actor.command_line()
    _settings_, db = _open(args)
    with db:
        reports = listing(db, None if args.all else "held")
        with db.write() as session:
            audit.record(session, by, "held.list", after={"shown": len(reports), "all": args.all})
    log.info("held.listed count=%d all=%s by=%s", len(reports), args.all, by.name)
    if args.json:
        print(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
        return 0
    if not reports:
        print("no held envelopes")
        return 0
    rows = [("NO", "HELD", "DEVICE", "NAME", "SEQ", "KIND", "FOR", "STATUS", "WHY")]
    for r in reports:
        rows.append(
            (
                str(r.number),
                r.held_at.isoformat(timespec="seconds"),
                r.device_id,
                r.device_name,
                str(r.device_seq),
                r.kind,
                r.target or "-",
                r.status,
                r.reason if r.status == "held" else (r.decision or ""),
            )
        )
    _print_table(rows)
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.held import NotHeld, release

    _settings_, db = _open(args)
    failed = 0
    with db:
        for ref in args.ids:
            try:
                report = release(db, ref, Actor.command_line())
            except NotHeld as e:
                print(f"not released: {e}", file=sys.stderr)
                failed += 1
                continue
            print(f"released {report.number} ({report.envelope_id}): {report.decision}")
    return 1 if failed else 0


def cmd_refuse(args: argparse.Namespace) -> int:
    from server.audit import Actor
    from server.held import NotHeld, refuse

    if not args.reason.strip():
        print("say why: --reason TEXT", file=sys.stderr)
        return 2
    _settings_, db = _open(args)
    failed = 0
    with db:
        for ref in args.ids:
            try:
                report = refuse(db, ref, Actor.command_line(), args.reason.strip())
            except NotHeld as e:
                print(f"not refused: {e}", file=sys.stderr)
                failed += 1
                continue
            print(f"refused {report.number} ({report.envelope_id}): kept, never counted")
    return 1 if failed else 0


def cmd_update_key(args: argparse.Namespace) -> int:
    from server.updates import new_signing_key
    from sync.updates import public_key_of

    try:
        seed = new_signing_key(Path(args.file))
    except FileExistsError:
        print(f"{args.file} exists: a publisher key is never overwritten", file=sys.stderr)
        return 1
    print(f"publisher key written to {args.file} (keep it off the server)")
    print(f"public key (update_public_key in each device's config): {public_key_of(seed)}")
    return 0


def cmd_offer_update(args: argparse.Namespace) -> int:
    from server.updates import OfferError, offer_update, read_signing_key, withdraw

    settings = _settings(args)
    if args.withdraw:
        had = withdraw(settings.data_dir)
        print("update offer withdrawn" if had else "no update was offered")
        return 0
    if not (args.archive and args.version and args.signing_key):
        print("offer-update needs ARCHIVE, --version and --signing-key", file=sys.stderr)
        return 2
    try:
        seed = read_signing_key(Path(args.signing_key))
        offer = offer_update(settings.data_dir, Path(args.archive), args.version, seed)
    except OfferError as e:
        print(f"not offered: {e}", file=sys.stderr)
        return 1
    print(f"offering version {offer.version}: {offer.size} bytes, sha256 {offer.sha256}")
    return 0


def cmd_bench_ingest(args: argparse.Namespace) -> int:
    from server.bench import measure_ingest

    figures = measure_ingest(args.count, args.batch_size, args.db)
    print(json.dumps(figures.to_json()))
    return 0


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket `serve` hands uvicorn, bound to `host` and `port` (0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Inherited by every accepted connection. Without it a response's header and body
    # segments meet the client's delayed ACK: about 40 ms lost on every batch of a drain.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app
    from server.keys import KeyFileError, ensure_keys

    settings, db = _open(args)
    with db:
        try:
            # Here, so a wrong keys folder is one plain line, not a failed start-up's traceback.
            ensure_keys(db, settings.keys)
        except KeyFileError as e:
            print(f"not serving: {e}", file=sys.stderr)
            return 1
    sock = listening_socket(args.host, args.port)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if sock.family == socket.AF_INET6 else args.host
    url = f"http://{host}:{port}"

    def ready() -> None:
        # Tests and scripts wait for this line; it comes after the database is ready.
        print(f"serving {url}", flush=True)
        if args.port_file:
            Path(args.port_file).write_text(f"{port}\n", encoding="ascii")

    options: dict[str, Any] = {
        "log_config": None,
        "access_log": args.access_log,
        "lifespan": "on",
        "timeout_keep_alive": 30,
        # The client address is the socket's peer: a forwarded header must not make a remote
        # client look local.
        "proxy_headers": False,
    }
    if args.workers > 1:
        return _serve_workers(args, settings, sock, options, ready)
    app = create_app(settings)

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if not self.should_exit:
                ready()

    Server(uvicorn.Config(app, **options)).run(sockets=[sock])
    return 0


# How long `serve --workers` waits for its processes to answer before it says it is serving.
WORKER_START_S = 120


def _serve_workers(
    args: argparse.Namespace,
    settings: ServerSettings,
    sock: socket.socket,
    options: dict[str, Any],
    ready: Callable[[], None],
) -> int:
    """`args.workers` server processes on one listening socket (uvicorn's supervisor: a worker
    that dies is started again); each has its own connections to the one database."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from server.app import worker_app

    class Supervisor(Multiprocess):
        def init_processes(self) -> None:
            super().init_processes()
            # A fresh process imports everything before it answers: on a busy machine, seconds.
            if all(p.wait_until_ready(WORKER_START_S, self.should_exit) for p in self.processes):
                ready()

    factory = functools.partial(worker_app, settings, args.log_level)
    config = uvicorn.Config(factory, factory=True, workers=args.workers, **options)
    Supervisor(config, sockets=[sock]).run()
    return 0


def _add_ingest_limits(p: argparse.ArgumentParser) -> None:
    # Every command that ingests envelopes holds them past the same limits.
    p.add_argument(
        "--max-new-residents-per-hour",
        type=int,
        default=DEFAULT_MAX_NEW_RESIDENTS_PER_HOUR,
        help="per device: residents new to the server counted in an hour; past it their"
        " envelopes are held for staff (default: %(default)s; 0: no limit)",
    )
    p.add_argument(
        "--max-counted-per-target",
        type=int,
        default=DEFAULT_MAX_COUNTED_PER_TARGET,
        help="per device: counted agrees with one proposal or ballots in one vote; past it they"
        " are held for staff (default: %(default)s; 0: no limit)",
    )


def _add_closing_grace(p: argparse.ArgumentParser) -> None:
    # Every command that ingests envelopes judges deadlines with the same grace.
    p.add_argument(
        "--closing-grace",
        type=duration,
        default=DEFAULT_CLOSING_GRACE,
        help="how long after a survey, contest or vote closes the envelopes created before the "
        "close are still accepted, e.g. 14d, 36h, 90m (default: 14d)",
    )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=platformdirs.user_data_dir("ontong-server"),
        help="assets and (by default) the SQLite database (default: %(default)s)",
    )
    common.add_argument(
        "--db",
        default=None,
        help="SQLite file or database URL, e.g. postgresql://user:pw@127.0.0.1/ontong "
        "(default: DATA_DIR/server.sqlite3)",
    )
    common.add_argument(
        "--keys-dir",
        default=None,
        help="the folder of the server's key files, outside the database (default: DATA_DIR/keys)",
    )
    common.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])

    parser = argparse.ArgumentParser(prog="python -m server", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="create or migrate the database and key")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("serve", parents=[common], help="answer the sync protocol over HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="0 picks a free port (printed)")
    p.add_argument("--port-file", help="write the port here once the server is ready")
    p.add_argument(
        "--max-requests-per-minute",
        type=int,
        default=None,
        help="per-device limit; requests over it are answered 429 with Retry-After",
    )
    p.add_argument(
        "--fault-injection",
        action="store_true",
        help="FOR TESTS ONLY: mount /_test/faults to make requests fail or stall on purpose",
    )
    p.add_argument(
        "--report",
        action="store_true",
        # Old scripts pass it: the report is now on the console's 보고서 page, behind a login.
        help=argparse.SUPPRESS,
    )
    _add_closing_grace(p)
    p.add_argument(
        "--offline-after",
        type=duration,
        default=DEFAULT_OFFLINE_AFTER,
        help="the staff console flags a device offline after this long without a heartbeat, "
        "e.g. 15m, 2h (default: 15m)",
    )
    _add_ingest_limits(p)
    p.add_argument(
        "--ledger-per-device-per-minute",
        type=int,
        default=DEFAULT_LEDGER_PER_DEVICE_PER_MINUTE,
        help="points look-ups per device and minute; over it 429 (default: %(default)s; 0: off)",
    )
    p.add_argument(
        "--ledger-per-device-per-hour",
        type=int,
        default=DEFAULT_LEDGER_PER_DEVICE_PER_HOUR,
        help="points look-ups per device and hour; over it 429 (default: %(default)s; 0: off)",
    )
    p.add_argument(
        "--ledger-per-resident-per-hour",
        type=int,
        default=DEFAULT_LEDGER_PER_RESIDENT_PER_HOUR,
        help="points look-ups per resident and hour; over it 429 (default: %(default)s; 0: off)",
    )
    p.add_argument(
        "--staff-call-hook",
        action="append",
        type=_staff_call_hook,
        metavar="DONG=URL",
        help="POST a small JSON document to URL on each new 직원 호출 from a device in DONG "
        "(the dong id its heartbeat names); repeat for more dongs",
    )
    p.add_argument(
        "--publish-check-every",
        type=duration,
        default=DEFAULT_PUBLISH_CHECK_EVERY,
        help="how often to publish the scheduled content drafts that are due, e.g. 15s, 1m "
        "(default: 15s)",
    )
    p.add_argument(
        "--max-media-mb",
        type=int,
        default=DEFAULT_MAX_MEDIA_MB,
        help="the largest picture or clip the console's 미디어 올리기 accepts, in MiB "
        f"(default: {DEFAULT_MAX_MEDIA_MB})",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes answering on the one port (default: 1); a city runs several on "
        "one PostgreSQL database (see the server's README)",
    )
    p.add_argument("--access-log", action="store_true", help="log every request")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("enroll-code", parents=[common], help="print a new single-use code")
    p.add_argument("--hours", type=float, default=7 * 24, help="valid for (default: 168)")
    p.add_argument("--note", default=None, help="what the code is for, kept with it")
    p.set_defaults(func=cmd_enroll_code)

    p = sub.add_parser("publish", parents=[common], help="publish a content pack folder")
    p.add_argument("pack_dir")
    p.set_defaults(func=cmd_publish)

    p = sub.add_parser(
        "import-content",
        parents=[common],
        help="make a content archive (.zip: manifest.json and its files) the live version",
    )
    p.add_argument("archive", help="written by export-content, the console or the demo generator")
    p.set_defaults(func=cmd_import_content)

    p = sub.add_parser(
        "export-content", parents=[common], help="write the live content as one archive (.zip)"
    )
    p.add_argument("out", help="the .zip file to write")
    p.set_defaults(func=cmd_export_content)

    p = sub.add_parser("devices", parents=[common], help="list devices, heartbeats and seq gaps")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("rejected", parents=[common], help="list the envelopes the server refused")
    p.add_argument("--reason", help="only this reason, e.g. closed, late, not_open, conflict")
    p.add_argument("--device", help="only this device id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rejected)

    p = sub.add_parser(
        "tallies", parents=[common], help="proposal agrees and threshold, ballots per dong"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tallies)

    p = sub.add_parser(
        "report", parents=[common], help="participation per dong, channel and month, as CSV"
    )
    p.add_argument("--year", type=_year, default=None, help="YYYY (default: this year, KST)")
    p.add_argument("--out", default=None, help="write the CSV here (default: stdout)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "coaching",
        parents=[common],
        help="coached sessions: lesson steps where residents struggle most, worst first",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_coaching)

    p = sub.add_parser("revoke", parents=[common], help="revoke a device: it gets 403 from now on")
    p.add_argument("device_id")
    p.set_defaults(func=cmd_revoke)

    p = sub.add_parser(
        "approve", parents=[common], help="approve devices waiting for approval (enrolled)"
    )
    p.add_argument("device_id", nargs="*")
    p.add_argument("--all-waiting", action="store_true", help="every device waiting")
    p.set_defaults(func=cmd_approve)

    p = sub.add_parser(
        "staff",
        parents=[common],
        help="console staff accounts: add NAME --role ROLE [--dong DONG], list, disable NAME,"
        " reset-password NAME",
        # --password must not be read as --password-file: a password is never an argument.
        allow_abbrev=False,
    )
    p.add_argument("action", choices=["add", "list", "disable", "reset-password"])
    p.add_argument("name", nargs="?")
    p.add_argument(
        "--role", help="admin (관리자), content (콘텐츠 담당), dong (동 담당) or viewer (보기)"
    )
    p.add_argument(
        "--dong", help="the dong id (as in the content pack, e.g. hoehyeon) of a dong officer"
    )
    p.add_argument(
        "--password-file",
        help="read the password from the first line of this file ('-': standard input); "
        "without it, standard input if it is not a terminal, else asked twice",
    )
    p.set_defaults(func=cmd_staff)

    p = sub.add_parser(
        "coach",
        parents=[common],
        help="digital coaches (코치): add CODE NAME, list, revoke CODE, reset-pin CODE; devices"
        " take each change at their next heartbeat",
        allow_abbrev=False,
    )
    p.add_argument("action", choices=["add", "list", "revoke", "reset-pin"])
    p.add_argument("code", nargs="?", help="the coach's number, 4 to 8 digits")
    p.add_argument("name", nargs="?", help="the coach's name (add)")
    pin_source = p.add_mutually_exclusive_group()
    pin_source.add_argument(
        "--pin-file",
        help="read the PIN (4-8 digits) from the first line of this file ('-': standard input);"
        " without it, standard input if it is not a terminal, else asked twice",
    )
    pin_source.add_argument(
        "--generate-pin", action="store_true", help="make a random 6-digit PIN and print it once"
    )
    p.set_defaults(func=cmd_coach)

    p = sub.add_parser(
        "import-bundle", parents=[common], help="store a device's USB outbox bundle (idempotent)"
    )
    p.add_argument("file", help="the ontong-outbox-*.json file written by python -m sync export")
    _add_closing_grace(p)
    _add_ingest_limits(p)
    p.set_defaults(func=cmd_import_bundle)

    p = sub.add_parser(
        "held", parents=[common], help="list envelopes held for staff review (not counted)"
    )
    p.add_argument("--all", action="store_true", help="also those already released or refused")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_held)

    p = sub.add_parser("release", parents=[common], help="count held envelopes now")
    p.add_argument("ids", nargs="+", metavar="ID", help="held number (or envelope id)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("refuse", parents=[common], help="keep held envelopes, never counted")
    p.add_argument("ids", nargs="+", metavar="ID", help="held number (or envelope id)")
    p.add_argument("--reason", required=True, help="why, kept with the decision")
    p.set_defaults(func=cmd_refuse)

    p = sub.add_parser("update-key", parents=[common], help="make a publisher key for updates")
    p.add_argument("file", help="where to write the private key (base64 seed, mode 0600)")
    p.set_defaults(func=cmd_update_key)

    p = sub.add_parser(
        "offer-update", parents=[common], help="offer devices a new app version (signed archive)"
    )
    p.add_argument("archive", nargs="?", help="the .tar.gz of the built folder (its top level)")
    p.add_argument("--version", help="the app version the archive holds")
    p.add_argument("--signing-key", help="the publisher key file (python -m server update-key)")
    p.add_argument("--withdraw", action="store_true", help="offer nothing any more")
    p.set_defaults(func=cmd_offer_update)

    p = sub.add_parser("bench-ingest", parents=[common], help="measure ingest without HTTP")
    p.add_argument("--count", type=int, default=10_000)
    p.add_argument("--batch-size", type=int, default=200)
    p.set_defaults(func=cmd_bench_ingest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=args.log_level,
        format=LOG_FORMAT,
    )
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
