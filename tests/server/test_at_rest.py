"""What a copy of the server's files gives away: nothing that opens a resident's identity.

The attack: someone copies the database (its file, WAL and shared memory, while the server
runs), or an old backup of it, and tries to open the sealed identities inside. Seals are not
kept (only their hash), the private key and the resident secret live in key files outside the
database, and every 32-byte value in the copy is tried as either key. Also: the files are the
server's alone, the keys are made before the first request (no first-request race), and the
report's "this machine only" is decided by the socket peer, not a forwarded header.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import sqlite3
import stat
import subprocess
import sys
import threading
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from nacl.bindings import crypto_scalarmult_base
from nacl.public import PrivateKey, SealedBox

from server.db import make_engine, upgrade
from server.keys import PRIVATE_KEY_FILE, RESIDENT_SECRET_FILE
from tests.server.civic import Kiosk, Resident, agree, ballot, publish_pack, survey
from tests.server.conftest import require_postgres
from tests.server.process import ROOT, ServerProcess, postgres_database, start_server

DB_FILE = "server.sqlite3"


def raw_database(data_dir: Path) -> bytes:
    """The database files as a copy would take them: file, WAL and shared memory."""
    files = sorted(data_dir.glob(f"{DB_FILE}*"))
    assert files
    return b"".join(f.read_bytes() for f in files)


def key_file(data_dir: Path, name: str) -> bytes:
    return base64.b64decode((data_dir / "keys" / name).read_text())


def candidates(raw: bytes) -> set[bytes]:
    """Every 32-byte value in `raw`: raw at every offset, and decoded from every run of base64
    (either alphabet) or hex digits at every offset."""
    found = set()
    for page in {raw[i : i + 4096] for i in range(0, len(raw), 4096)}:
        found.update(page[i : i + 32] for i in range(len(page) - 31))
    to_standard = bytes.maketrans(b"-_", b"+/")
    for run in set(re.findall(rb"[A-Za-z0-9+/_-]{43,}", raw)):
        standard = run.translate(to_standard)
        found.update(base64.b64decode(standard[i : i + 43] + b"=") for i in range(len(run) - 42))
    for run in set(re.findall(rb"[0-9a-fA-F]{64,}", raw)):
        found.update(bytes.fromhex(run[i : i + 64].decode()) for i in range(len(run) - 63))
    return {c for c in found if len(c) == 32 and len(set(c)) > 1}


def resident_keys(data_dir: Path) -> set[str]:
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        return {k for (k,) in conn.execute("SELECT resident_key FROM resident_entries")}


def identity_hmac(secret: bytes, resident: Resident) -> str:
    message = f"{resident.phone}|{resident.birth.isoformat()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


@pytest.fixture
def own_server(tmp_path: Path) -> Any:
    running = start_server(tmp_path / "server")
    publish_pack(running, tmp_path / "packs")
    yield running
    running.stop()


def test_a_copy_of_the_database_and_its_wal_opens_no_identity(own_server: ServerProcess) -> None:
    kiosk = Kiosk(own_server)
    residents = [Resident(), Resident(), Resident(phone="01055556666", birth=date(1939, 2, 1))]
    sent: list[dict[str, Any]] = []
    for resident in residents:
        items = [
            kiosk.envelope("proposal_agree", agree("crosswalk-sindang"), resident),
            kiosk.envelope("ballot", ballot("dasan", "dasan-benches"), resident),
            kiosk.envelope("survey_response", survey(), resident),
            kiosk.envelope("points_exchange", {"points": 90_000}, resident),  # refused, kept
            kiosk.envelope("proposal_agree", {"proposal_id": "x", "why": 1}, resident),  # invalid
        ]
        sent += items
        kiosk.send(*items)
        kiosk.ledger(resident)
    # The same id again with another body and another seal: a conflict, its body kept.
    clash = {**sent[0], "payload": agree("bus-cheonggu")}
    clash["sealed_identity"] = residents[1].seal_envelope(kiosk.device, clash)
    [conflict] = kiosk.send(clash)
    assert conflict["status"] == "rejected"
    sent.append(clash)

    raw = raw_database(own_server.data_dir)  # copied while the server runs
    private_key = key_file(own_server.data_dir, PRIVATE_KEY_FILE)
    secret = key_file(own_server.data_dir, RESIDENT_SECRET_FILE)
    stored_residents = resident_keys(own_server.data_dir)

    assert b"crosswalk-sindang" in raw and len(stored_residents) == len(residents)
    for item in sent:
        seal = item["sealed_identity"]
        assert seal.encode() not in raw
        assert base64.b64decode(seal)[:48] not in raw
        digest = hashlib.sha256(seal.encode()).hexdigest().encode()
        assert digest in raw  # what is kept instead: which envelopes carried the same seal
    for secret_bytes in (private_key, secret):
        assert secret_bytes not in raw
        assert base64.b64encode(secret_bytes) not in raw
        assert secret_bytes.hex().encode() not in raw
    public_key = crypto_scalarmult_base(private_key)
    tried = candidates(raw)
    # The search finds a key wherever it stands: raw, in base64 of either alphabet, in hex.
    assert private_key in candidates(b"x" * 7 + private_key + b"y" * 9)
    assert secret in candidates(b"z" + base64.b64encode(secret) + b"z")
    assert secret in candidates(b"z" + base64.urlsafe_b64encode(secret).rstrip(b"=") + b"1")
    assert secret in candidates(b"f" + secret.hex().encode() + b"0")
    assert len(tried) > 10_000
    assert not [c for c in tried if crypto_scalarmult_base(c) == public_key]
    assert not [c for c in tried for r in residents if identity_hmac(c, r) in stored_residents]
    # The key files themselves do open them: the test's candidates would have found it.
    assert {identity_hmac(secret, r) for r in residents} == stored_residents


def test_the_database_and_key_files_are_the_servers_alone(own_server: ServerProcess) -> None:
    Kiosk(own_server).send_one("survey_response", survey())
    data_dir = own_server.data_dir

    for f in data_dir.glob(f"{DB_FILE}*"):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    assert stat.S_IMODE((data_dir / "keys").stat().st_mode) == 0o700
    for name in (PRIVATE_KEY_FILE, RESIDENT_SECRET_FILE):
        assert stat.S_IMODE((data_dir / "keys" / name).stat().st_mode) == 0o600
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        tables = {t for (t,) in conn.execute("SELECT name FROM sqlite_master")}
        columns = {c[1] for c in conn.execute("PRAGMA table_info(server_keys)")}
    assert "server_secrets" not in tables
    assert columns == {"id", "algorithm", "public_key", "created_at"}


def test_a_keys_folder_from_another_server_is_refused(tmp_path: Path) -> None:
    first, other = start_server(tmp_path / "first"), start_server(tmp_path / "other")
    first.stop()
    other.stop()

    result = first.cli("serve", "--keys-dir", str(other.data_dir / "keys"), check=False)

    assert result.returncode == 1
    assert "belongs to another server" in result.stderr


def test_init_makes_the_key_files_that_serve_then_uses(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    init = subprocess.run(
        [sys.executable, "-m", "server", "init", "--data-dir", str(data_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    private_key = key_file(data_dir, PRIVATE_KEY_FILE)
    public_key = base64.b64encode(crypto_scalarmult_base(private_key)).decode()
    assert f"server public key (X25519): {public_key}" in init.stdout
    assert len(key_file(data_dir, RESIDENT_SECRET_FILE)) == 32

    running = start_server(data_dir)
    try:
        assert running.enroll().server_public_key == public_key
    finally:
        running.stop()
    assert key_file(data_dir, PRIVATE_KEY_FILE) == private_key


# --- an old database that held its keys and the seals -------------------------------------


def test_an_old_database_holding_its_keys_and_seals_is_migrated_to_files_and_hashes(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    db_file = data_dir / DB_FILE
    engine = make_engine(str(db_file))
    upgrade(engine, "0003")
    engine.dispose()
    private = PrivateKey.generate()
    public_b64 = base64.b64encode(bytes(private.public_key)).decode()
    secret = bytes(range(32))
    resident = Resident()
    # A format-1 seal, as kiosks made them then: the identity alone.
    plain = json.dumps({"v": 1, "phone": resident.phone, "birth": resident.birth.isoformat()})
    seal = base64.b64encode(SealedBox(private.public_key).encrypt(plain.encode())).decode()
    envelope_id = uuid.uuid4()
    body = {"id": str(envelope_id), "kind": "proposal_agree", "sealed_identity": seal}
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(db_file) as conn:
        conn.execute(
            "INSERT INTO server_keys VALUES (1, 'X25519', ?, ?, ?)",
            (public_b64, base64.b64encode(bytes(private)).decode(), now),
        )
        conn.execute(
            "INSERT INTO server_secrets VALUES ('resident_key', ?, ?)",
            (base64.b64encode(secret).decode(), now),
        )
        conn.execute(
            "INSERT INTO devices (id, name, mode, app_version, token_sha256, enrolled_at)"
            " VALUES ('dev-old', '옛 키오스크', 'kiosk', '0.0.9', ?, ?)",
            ("0" * 64, now),
        )
        conn.execute(
            "INSERT INTO submissions VALUES (?, ?, 'dev-old', 1, 'proposal_agree', 1, NULL,"
            " ?, 0.0, ?, ?, 0, 1, NULL, ?)",
            (envelope_id.hex, "a" * 64, now, now, now, json.dumps(body)),
        )
        conn.execute(
            "INSERT INTO resident_entries (envelope_id, resident_key, kind, target, counted,"
            " points, received_at) VALUES (?, ?, 'proposal_agree', 'crosswalk-sindang', 1, 100, ?)",
            (envelope_id.hex, identity_hmac(secret, resident), now),
        )
        conn.execute(
            "INSERT INTO rejected_envelopes (envelope_id, device_id, device_seq, received_at,"
            " reason_code, reason, body_sha256, body) VALUES (?, 'dev-old', 2, ?, 'points',"
            " 'points: too many', ?, ?)",
            (str(uuid.uuid4()), now, "b" * 64, json.dumps({**body, "kind": "points_exchange"})),
        )

    running = start_server(data_dir)  # migrates on start, moving the keys out
    try:
        publish_pack(running, tmp_path / "packs")
        kiosk = Kiosk(running)
        assert kiosk.device.server_public_key == public_b64  # the devices' key is unchanged
        again = kiosk.send_one("proposal_agree", agree("crosswalk-sindang"), resident)
        history = kiosk.ledger(resident)["history"]
    finally:
        running.stop()

    # The same secret makes the same resident key: their agree before the move still counts.
    assert again["receipt"]["counted"] is False, again
    assert [h["counted"] for h in history] == [False, True]
    assert key_file(data_dir, PRIVATE_KEY_FILE) == bytes(private)
    assert key_file(data_dir, RESIDENT_SECRET_FILE) == secret
    raw = raw_database(data_dir)
    assert seal.encode() not in raw
    assert bytes(private) not in raw and base64.b64encode(bytes(private)) not in raw
    assert base64.b64encode(secret) not in raw
    assert hashlib.sha256(seal.encode()).hexdigest().encode() in raw
    with sqlite3.connect(db_file) as conn:  # the old entry knows its seal: it does one act
        kept = conn.execute("SELECT seal_sha256 FROM resident_entries ORDER BY id").fetchall()
    assert kept[0] == (hashlib.sha256(seal.encode()).hexdigest(),)


def test_an_old_database_with_keys_is_not_migrated_without_its_keys_folder(
    tmp_path: Path,
) -> None:
    from server.db import MigrationError, open_database

    db_file = tmp_path / DB_FILE
    engine = make_engine(str(db_file))
    upgrade(engine, "0003")
    engine.dispose()
    with sqlite3.connect(db_file) as conn:
        conn.execute("INSERT INTO server_keys VALUES (1, 'X25519', 'pub', 'priv', '2026-01-01')")

    with pytest.raises(MigrationError, match="--keys-dir"):
        open_database(str(db_file))
    with sqlite3.connect(db_file) as conn:  # all or nothing: still at 0003, keys still there
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)


# --- the first requests of a fresh server ---------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_fifty_concurrent_first_agrees_on_a_fresh_database_are_all_answered(
    backend: str, tmp_path: Path
) -> None:
    if backend == "postgresql":
        require_postgres()
        with postgres_database() as url:
            _fifty_first_agrees(start_server(tmp_path / "server", url))
    else:
        _fifty_first_agrees(start_server(tmp_path / "server"))


def _fifty_first_agrees(running: ServerProcess) -> None:
    try:
        kiosks = [Kiosk(running, f"키오스크 {i}") for i in range(5)]
        items = [
            (kiosk, kiosk.envelope("proposal_agree", agree("crosswalk-sindang"), Resident()))
            for _ in range(10)
            for kiosk in kiosks
        ]
        start = threading.Barrier(len(items))
        answers: list[int] = []

        def deliver(kiosk: Kiosk, item: dict[str, Any]) -> None:
            start.wait(timeout=30)
            r = requests.post(
                f"{running.api}/submissions/batch",
                json={"items": [item]},
                headers=kiosk.device.headers,
                timeout=60,
            )
            answers.append(r.status_code)

        threads = [threading.Thread(target=deliver, args=pair) for pair in items]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    finally:
        running.stop()
    assert sorted(answers) == [200] * 50, answers


# --- the old report address: nothing without a login, whatever a header claims -------------


def test_the_old_report_address_gives_nothing_to_a_forwarded_header(tmp_path: Path) -> None:
    running = start_server(tmp_path / "server", None, "--report")
    try:
        plain = requests.get(f"{running.url}/report", allow_redirects=False, timeout=10)
        forwarded = requests.get(
            f"{running.url}/report",
            headers={"X-Forwarded-For": "127.0.0.1", "Forwarded": "for=127.0.0.1"},
            timeout=10,
        )
    finally:
        running.stop()
    # The report is behind the console's login now: from this machine too, and a header that
    # claims to be this machine changes nothing.
    assert plain.status_code == 303 and plain.headers["location"] == "/staff/reports"
    assert "/staff/login" in forwarded.url and "참여" not in forwarded.text
