"""The server's side of USB bundles: device keys at enrolment and through POST /devices/key,
`python -m server import-bundle` against the real database (SQLite, and PostgreSQL when
configured), and a database from before device keys brought up to date.

The device's side (export, and the whole path through both command lines) is in
tests/sync/test_bundle.py.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from contract.wire import Envelope
from server.auth import sha256_hex
from server.db import HEAD_REVISION, make_engine, upgrade
from server.db.models import Device, Submission
from sync.bundle import encode_bundle, file_name, public_key_of
from tests.server.conftest import envelope
from tests.server.process import ServerProcess, start_server


def enroll(server: ServerProcess, public_key: str | None) -> requests.Response:
    body: dict[str, Any] = {
        "enrollment_code": server.new_code(),
        "name": "필동 주민센터",
        "mode": "kiosk",
        "app_version": "0.1.0",
    }
    if public_key is not None:
        body["device_public_key"] = public_key
    return requests.post(f"{server.api}/devices/enroll", json=body, timeout=10)


def register(server: ServerProcess, token: str | None, public_key: Any) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        f"{server.api}/devices/key",
        json={"device_public_key": public_key},
        headers=headers,
        timeout=10,
    )


def stored_key(server: ServerProcess, device_id: str) -> str | None:
    with server.database() as db, db.read() as session:
        device = session.get(Device, device_id)
        assert device is not None
        return device.public_key


def test_enrolment_keeps_the_device_key_and_it_is_never_replaced(server: ServerProcess) -> None:
    key = public_key_of(secrets.token_bytes(32))
    answer = enroll(server, key)
    assert answer.status_code == 200, answer.text
    device = answer.json()

    same = register(server, device["token"], key)
    other = register(server, device["token"], public_key_of(secrets.token_bytes(32)))

    assert stored_key(server, device["device_id"]) == key
    assert same.status_code == 200, same.text
    assert same.json() == {"device_id": device["device_id"], "device_public_key": key}
    assert other.status_code == 409
    assert "never replaced" in other.json()["detail"]
    assert stored_key(server, device["device_id"]) == key


@pytest.mark.parametrize(
    "bad_key",
    [
        "c2hvcnQ=",  # base64, but 5 bytes
        "A" * 42 + "==",  # 31 bytes
        "not base64 at all, not base64 at all, not!!=",
        12345,
    ],
)
def test_a_key_that_is_not_32_bytes_of_base64_is_refused_and_nothing_changes(
    server: ServerProcess, bad_key: Any
) -> None:
    code = server.new_code()
    refused = requests.post(
        f"{server.api}/devices/enroll",
        json={
            "enrollment_code": code,
            "name": "x",
            "mode": "kiosk",
            "app_version": "0.1.0",
            "device_public_key": bad_key,
        },
        timeout=10,
    )
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("device_public_key:")

    old = enroll(server, None).json()  # a device from before keys
    assert register(server, old["token"], bad_key).status_code == 422
    assert stored_key(server, old["device_id"]) is None


def test_registering_a_key_needs_an_active_device(server: ServerProcess) -> None:
    key = public_key_of(secrets.token_bytes(32))
    assert register(server, None, key).status_code == 401
    assert register(server, "never-issued", key).status_code == 401
    old = enroll(server, None).json()
    server.cli("revoke", old["device_id"])
    assert register(server, old["token"], key).status_code == 403
    assert stored_key(server, old["device_id"]) is None


def _envelopes(count: int, first_seq: int = 1) -> list[Envelope]:
    return [Envelope.model_validate(envelope(first_seq + i)) for i in range(count)]


def _write(tmp_path: Path, device_id: str, envelopes: list[Envelope], seed: bytes) -> Path:
    path = tmp_path / file_name(device_id, envelopes[0].device_seq, envelopes[-1].device_seq)
    path.write_bytes(encode_bundle(device_id, envelopes, seed))
    return path


def _count_stored(server: ServerProcess, device_id: str) -> int:
    with server.database() as db, db.read() as session:
        stmt = select(func.count()).select_from(Submission).where(Submission.device_id == device_id)
        return int(session.scalar(stmt) or 0)


def test_import_stores_each_envelope_once_however_often_it_is_imported(
    any_server: ServerProcess, tmp_path: Path
) -> None:
    seed = secrets.token_bytes(32)
    device = enroll(any_server, public_key_of(seed)).json()
    envelopes = _envelopes(401)  # three ingest batches: 200, 200, 1
    path = _write(tmp_path, device["device_id"], envelopes, seed)

    first = any_server.cli("import-bundle", str(path))
    second = any_server.cli("import-bundle", str(path))

    assert "accepted 401, duplicate 0, rejected 0" in first.stdout
    assert "accepted 0, duplicate 401, rejected 0" in second.stdout
    assert _count_stored(any_server, device["device_id"]) == 401
    # The device's own sync of the same envelopes afterwards: duplicates with the receipts.
    batch = requests.post(
        f"{any_server.api}/submissions/batch",
        json={"items": [e.model_dump(mode="json") for e in envelopes[:200]]},
        headers={"Authorization": f"Bearer {device['token']}"},
        timeout=30,
    ).json()
    assert {r["status"] for r in batch["results"]} == {"duplicate"}
    assert _count_stored(any_server, device["device_id"]) == 401


def test_bundles_of_unknown_revoked_or_keyless_devices_are_refused(
    server: ServerProcess, tmp_path: Path
) -> None:
    seed = secrets.token_bytes(32)
    unknown = _write(tmp_path, "dev-000000000000", _envelopes(2), seed)
    revoked = enroll(server, public_key_of(seed)).json()
    server.cli("revoke", revoked["device_id"])
    keyless = enroll(server, None).json()
    cases = {
        unknown: "is not enrolled on this server",
        _write(tmp_path, revoked["device_id"], _envelopes(2), seed): "was revoked",
        _write(tmp_path, keyless["device_id"], _envelopes(2), seed): "python -m sync register-key",
    }
    for path, reason in cases.items():
        result = server.cli("import-bundle", str(path), check=False)
        assert result.returncode == 1, path
        assert "bundle refused, nothing stored" in result.stderr and reason in result.stderr
    for device_id in (revoked["device_id"], keyless["device_id"]):
        assert _count_stored(server, device_id) == 0


def test_a_database_from_before_device_keys_is_migrated_and_its_devices_register(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    db_file = data_dir / "server.sqlite3"
    engine = make_engine(str(db_file))
    upgrade(engine, "0001")
    engine.dispose()
    token = secrets.token_urlsafe(32)
    with sqlite3.connect(db_file) as conn:
        conn.execute(
            "INSERT INTO devices (id, name, mode, app_version, token_sha256, enrolled_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            ("dev-0123456789ab", "옛 키오스크", "kiosk", "0.0.9", sha256_hex(token), "2026-01-01"),
        )

    running = start_server(data_dir)  # migrates on start
    try:
        with sqlite3.connect(db_file) as conn:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
                HEAD_REVISION,
            )
        assert stored_key(running, "dev-0123456789ab") is None
        seed = secrets.token_bytes(32)
        assert register(running, token, public_key_of(seed)).status_code == 200
        path = _write(tmp_path, "dev-0123456789ab", _envelopes(3), seed)
        assert "accepted 3, duplicate 0" in running.cli("import-bundle", str(path)).stdout
    finally:
        running.stop()


def test_bundle_envelopes_meet_the_ingest_rules_like_any_other(
    server: ServerProcess, tmp_path: Path
) -> None:
    seed = secrets.token_bytes(32)
    device = enroll(server, public_key_of(seed)).json()
    taken = Envelope.model_validate(envelope(1))
    # The same id with another body: a conflict, kept for audit, not a second submission.
    clash = Envelope.model_validate(
        {**taken.model_dump(mode="json"), "device_seq": 2, "payload": {"survey_id": "other"}}
    )
    unknown = Envelope.model_validate(envelope(3, kind="no_such_kind", id=str(uuid.uuid4())))
    path = _write(tmp_path, device["device_id"], [taken, clash, unknown], seed)

    result = server.cli("import-bundle", str(path))

    assert "accepted 1, duplicate 0, rejected 2" in result.stdout
    assert f"rejected {taken.id}: conflict:" in result.stdout
    assert f"rejected {unknown.id}: unknown kind" in result.stdout
    assert _count_stored(server, device["device_id"]) == 1


def test_publishing_and_importing_on_the_command_line_are_in_the_audit_log(
    server: ServerProcess, tmp_path: Path
) -> None:
    from server import audit
    from tests.server.civic import publish_pack

    manifest = publish_pack(server, tmp_path)
    seed = secrets.token_bytes(32)
    device = enroll(server, public_key_of(seed)).json()
    server.cli("import-bundle", str(_write(tmp_path, device["device_id"], _envelopes(2), seed)))

    events: dict[str, Any] = {}
    with server.database() as db:
        for event in audit.events(db):  # newest first: each action's latest event
            events.setdefault(event.action, event)
    published, imported = events["content.publish"], events["bundle.import"]
    assert published.actor.startswith("cli:")
    assert published.target == f"content:{manifest['content_version']}"
    assert imported.actor.startswith("cli:")
    assert imported.target == f"device:{device['device_id']}"
    assert imported.after is not None and json.loads(imported.after)["accepted"] == 2
