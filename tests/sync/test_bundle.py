"""The USB path of DESIGN.md "Durability": `python -m sync export DIR` on an offline kiosk, the
file carried to the server, `python -m server import-bundle FILE` there; then the kiosk comes
back online and its normal sync finds everything already stored.

Real processes throughout: the sync CLI on the device's data directory, the server CLI and the
reference server on its SQLite file.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from contract.wire import Envelope
from kiosk.store.db import open_database
from kiosk.store.outbox import Outbox
from kiosk.store.settings import DEVICE_SIGNING_KEY_KEY, DeviceSettings
from sync.bundle import chain_of, public_key_of
from sync.worker import SERVER_URL_KEY, TOKEN_KEY
from tests.helpers.disk import mounted_tmpfs
from tests.sync.conftest import Device, survey_payload
from tests.sync.reference_server import REPO_ROOT, ReferenceServer
from tests.sync.test_cli import sync_cli

Json = dict[str, Any]


def server_cli(srv: ReferenceServer, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m server ARGS`` on the reference server's data, whatever its exit code."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "server", *args, "--data-dir", str(srv.data_dir)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )


def export(device: Device, target: Path) -> subprocess.CompletedProcess[str]:
    return sync_cli("export", str(target), "--data-dir", str(device.data_dir))


def exported_file(result: subprocess.CompletedProcess[str]) -> Path:
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("wrote "))
    return Path(line.removeprefix("wrote "))


def import_bundle(srv: ReferenceServer, path: Path) -> subprocess.CompletedProcess[str]:
    return server_cli(srv, "import-bundle", str(path))


def stored_ids(srv: ReferenceServer, device_id: str) -> list[str]:
    return [str(s.id) for s in srv.submissions(device_id)]


def test_export_import_twice_then_the_normal_sync_counts_nothing_twice(
    srv: ReferenceServer, make_device: Callable[..., Device], tmp_path: Path
) -> None:
    device = make_device()
    device.queue(3)
    core = device.core()
    try:
        assert core.run_once() is None  # #1-#3 went out before the network went
        queued = device.queue(250)  # more than one ingest batch (200)
        usb = tmp_path / "usb"
        usb.mkdir()

        result = export(device, usb)

        path = exported_file(result)
        assert path.parent == usb
        assert path.name == f"ontong-outbox-{device.device_id}-4-253.json"
        assert "250 pending envelopes, device_seq 4 to 253" in result.stdout
        assert "warning" not in result.stderr  # the key went to the server at enrolment
        assert [p.name for p in usb.iterdir()] == [path.name]  # no temporary file left
        # Exporting sends nothing: every envelope still waits for the server's word.
        assert device.outbox.counts_by_status() == {"pending": 250, "sent": 3, "dead": 0}

        first = import_bundle(srv, path)
        assert first.returncode == 0, first.stderr
        assert "250 envelopes, device_seq 4 to 253, signature and hash chain verified" in (
            first.stdout
        )
        assert "accepted 250, duplicate 0, rejected 0" in first.stdout
        stored = stored_ids(srv, device.device_id)
        assert sorted(stored[3:]) == sorted(str(e.id) for e in queued)

        again = import_bundle(srv, path)
        assert again.returncode == 0, again.stderr
        assert "accepted 0, duplicate 250, rejected 0" in again.stdout
        assert len(stored_ids(srv, device.device_id)) == 253

        # Back online: the server answers "duplicate" and the device marks them sent.
        assert core.run_once() is None
    finally:
        core.close()
    assert device.outbox.counts_by_status() == {"pending": 0, "sent": 253, "dead": 0}
    assert device.outbox.dead_letters() == []
    stored = stored_ids(srv, device.device_id)
    assert len(stored) == len(set(stored)) == 253
    assert srv.rejected(device.device_id) == []


def test_an_envelope_the_server_rejects_is_reported_and_kept_for_audit(
    srv: ReferenceServer, make_device: Callable[..., Device], tmp_path: Path
) -> None:
    device = make_device()
    device.queue(2)
    bad = device.outbox.enqueue("survey_response", {"answers": {}}, content_version=None)

    result = import_bundle(srv, exported_file(export(device, tmp_path)))

    assert result.returncode == 0, result.stderr
    assert "accepted 2, duplicate 0, rejected 1" in result.stdout
    assert f"rejected {bad.id}: invalid payload: payload.survey_id" in result.stdout
    assert srv.rejected(device.device_id) == [(str(bad.id), "invalid_payload")]


# -- refusals: the bundle as a whole, nothing stored ------------------------------------------


def _resign(document: Json, seed: bytes) -> None:
    """What someone who holds `seed` but not the device's key would do after a change."""
    header = {k: v for k, v in document.items() if k not in ("signature", "envelopes")}
    message = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    signature = Ed25519PrivateKey.from_private_bytes(seed).sign(message.encode("utf-8"))
    document["signature"] = base64.b64encode(signature).decode("ascii")


def _rechain(document: Json) -> None:
    envelopes = [Envelope.model_validate(e) for e in document["envelopes"]]
    document["count"] = len(envelopes)
    document["first_seq"] = envelopes[0].device_seq
    document["last_seq"] = envelopes[-1].device_seq
    document["chain"] = chain_of(document["device_id"], envelopes)


def _changed_payload(doc: Json, other: Device) -> None:
    doc["envelopes"][1]["payload"]["answers"]["q1"] = "o3"


def _removed_envelope(doc: Json, other: Device) -> None:
    del doc["envelopes"][2]


def _removed_envelope_and_counts_fixed(doc: Json, other: Device) -> None:
    del doc["envelopes"][4]
    doc["count"], doc["last_seq"] = 4, 4


def _removed_envelope_and_chain_rebuilt(doc: Json, other: Device) -> None:
    del doc["envelopes"][0]
    _rechain(doc)


def _reordered(doc: Json, other: Device) -> None:
    doc["envelopes"][0], doc["envelopes"][1] = doc["envelopes"][1], doc["envelopes"][0]


def _other_device(doc: Json, other: Device) -> None:
    doc["device_id"] = other.device_id


def _other_device_chain_rebuilt(doc: Json, other: Device) -> None:
    doc["device_id"] = other.device_id
    _rechain(doc)


def _flipped_signature(doc: Json, other: Device) -> None:
    raw = bytearray(base64.b64decode(doc["signature"]))
    raw[0] ^= 1
    doc["signature"] = base64.b64encode(bytes(raw)).decode("ascii")


def _signed_by_another_key(doc: Json, other: Device) -> None:
    doc["envelopes"][1]["payload"]["answers"]["q1"] = "o3"
    _rechain(doc)
    _resign(doc, secrets.token_bytes(32))


def _signed_by_the_other_device(doc: Json, other: Device) -> None:
    # The other device is real and enrolled: its own key cannot speak for this one.
    _resign(doc, other.settings.device_signing_key())


def _extra_field(doc: Json, other: Device) -> None:
    doc["envelopes"][0]["counted"] = True


def _newer_version(doc: Json, other: Device) -> None:
    doc["version"] = 2


TAMPERS: dict[str, tuple[Callable[[Json, Device], None], str]] = {
    "changed payload": (_changed_payload, "hash chain does not match"),
    "removed envelope": (_removed_envelope, "says it holds 5 envelopes but holds 4"),
    "removed envelope, count fixed": (
        _removed_envelope_and_counts_fixed,
        "hash chain does not match",
    ),
    "removed envelope, chain rebuilt": (
        _removed_envelope_and_chain_rebuilt,
        "signature is not that of device",
    ),
    "reordered": (_reordered, "not in increasing device_seq order"),
    "other device id": (_other_device, "hash chain does not match"),
    "other device id, chain rebuilt": (_other_device_chain_rebuilt, "signature is not that"),
    "flipped signature": (_flipped_signature, "signature is not that of device"),
    "signed by another key": (_signed_by_another_key, "signature is not that of device"),
    "signed by another device": (_signed_by_the_other_device, "signature is not that of device"),
    "field added to an envelope": (_extra_field, "Envelope 1 of the bundle is not a valid"),
    "newer format version": (_newer_version, "reads version 1"),
}


@pytest.fixture(scope="module")
def exported(
    server: ReferenceServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Device, Device]]:
    """A bundle of 5 envelopes of one device (never imported), and a second enrolled device."""
    from sync.worker import enroll_device

    base = tmp_path_factory.mktemp("tamper")
    devices: list[Device] = []
    with contextlib.ExitStack() as stack:
        for name in ("a", "b"):
            db = stack.enter_context(open_database(base / name))
            enrolment = enroll_device(
                DeviceSettings(db), server.url, server.enroll_code(), name=name, mode="kiosk"
            )
            devices.append(Device(base / name, db, enrolment))
        devices[0].queue(5)
        yield exported_file(export(devices[0], base)), devices[0], devices[1]


@pytest.mark.parametrize("tamper", list(TAMPERS))
def test_a_tampered_bundle_is_refused_whole_and_nothing_is_stored(
    srv: ReferenceServer, exported: tuple[Path, Device, Device], tmp_path: Path, tamper: str
) -> None:
    path, device, other = exported
    change, reason = TAMPERS[tamper]
    document = json.loads(path.read_bytes())
    change(document, other)
    forged = tmp_path / path.name
    forged.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    result = import_bundle(srv, forged)

    assert result.returncode == 1
    assert "bundle refused, nothing stored" in result.stderr
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    for device_id in (device.device_id, other.device_id):
        assert srv.submissions(device_id) == []
        assert srv.rejected(device_id) == []


def test_a_truncated_bundle_is_refused_and_the_intact_one_then_imports(
    srv: ReferenceServer, exported: tuple[Path, Device, Device], tmp_path: Path
) -> None:
    path, device, _other = exported
    cut = tmp_path / path.name
    cut.write_bytes(path.read_bytes()[:-200])  # a stick pulled out mid-copy

    refused = import_bundle(srv, cut)
    assert refused.returncode == 1
    assert "not valid JSON" in refused.stderr
    missing = import_bundle(srv, tmp_path / "no-such-bundle.json")
    assert missing.returncode == 1 and "cannot read the bundle" in missing.stderr
    assert srv.submissions(device.device_id) == []

    # The same server takes the untouched file: the refusals above were the bundle's fault.
    taken = import_bundle(srv, path)
    assert taken.returncode == 0, taken.stderr
    assert "accepted 5, duplicate 0, rejected 0" in taken.stdout


# -- export: only a whole file, or a message and nothing lost ---------------------------------


def test_an_empty_outbox_writes_nothing(make_device: Callable[..., Device], tmp_path: Path) -> None:
    device = make_device()
    usb = tmp_path / "usb"
    usb.mkdir()
    result = export(device, usb)
    assert result.returncode == 0, result.stderr
    assert "nothing pending" in result.stdout and "no file written" in result.stdout
    assert list(usb.iterdir()) == []


def _assert_export_failed(
    result: subprocess.CompletedProcess[str], device: Device, message: str
) -> None:
    assert result.returncode == 1
    assert "내보내지 못했습니다 (export failed)" in result.stderr
    assert message in result.stderr
    assert "the outbox is unchanged" in result.stderr
    assert "Traceback" not in result.stderr
    assert device.outbox.counts_by_status() == {"pending": 40, "sent": 0, "dead": 0}


def test_a_target_that_is_not_a_folder_gives_a_message_and_loses_nothing(
    make_device: Callable[..., Device], tmp_path: Path
) -> None:
    device = make_device()
    device.queue(40)
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file where the stick's folder should be\n", encoding="utf-8")

    _assert_export_failed(export(device, not_a_folder / "usb"), device, "is not an existing folder")
    _assert_export_failed(export(device, tmp_path / "unmounted"), device, "not an existing folder")
    assert not (tmp_path / "unmounted").exists()


def test_a_read_only_target_gives_a_message_and_loses_nothing(
    make_device: Callable[..., Device], tmp_path: Path
) -> None:
    device = make_device()
    device.queue(40)
    if os.geteuid() == 0:  # root writes through permission bits: a read-only file system
        target_cm: contextlib.AbstractContextManager[Path] = mounted_tmpfs(
            tmp_path / "ro", "ro,size=1m"
        )
    else:
        (tmp_path / "ro").mkdir(mode=0o555)
        target_cm = contextlib.nullcontext(tmp_path / "ro")
    with target_cm as target:
        _assert_export_failed(export(device, target), device, "cannot be written")
        assert list(target.iterdir()) == []


def test_a_full_target_gives_a_message_leaves_no_partial_file_and_loses_nothing(
    make_device: Callable[..., Device], tmp_path: Path
) -> None:
    device = make_device()
    device.queue(40)  # about 15 KB of bundle
    with mounted_tmpfs(tmp_path / "full", "size=8k") as target:
        _assert_export_failed(export(device, target), device, "is full")
        assert list(target.iterdir()) == []
    # The same outbox exports whole to a stick with room.
    roomy = tmp_path / "roomy"
    roomy.mkdir()
    assert "40 pending envelopes, device_seq 1 to 40" in export(device, roomy).stdout


# -- a device enrolled before devices sent a key -----------------------------------------------


def test_an_old_device_registers_its_key_once_and_its_bundle_is_then_taken(
    srv: ReferenceServer, tmp_path: Path
) -> None:
    # Enrolled the way the app did before keys: no device_public_key.
    answer = requests.post(
        f"{srv.url}/api/v1/devices/enroll",
        json={
            "enrollment_code": srv.enroll_code(),
            "name": "old kiosk",
            "mode": "kiosk",
            "app_version": "0.0.9",
        },
        timeout=10,
    ).json()
    data_dir = tmp_path / "old"
    with open_database(data_dir) as db:
        settings = DeviceSettings(db)
        settings.set(SERVER_URL_KEY, srv.url)
        settings.set(TOKEN_KEY, answer["token"])
        settings.set_device_id(answer["device_id"])
        Outbox(db).enqueue("survey_response", survey_payload(), content_version=None)
    device_id = answer["device_id"]

    # The key is made at first need (this export); the server does not know it yet.
    exported = sync_cli("export", str(tmp_path), "--data-dir", str(data_dir))
    bundle = exported_file(exported)
    assert "python -m sync register-key" in exported.stderr
    refused = import_bundle(srv, bundle)
    assert refused.returncode == 1
    assert "has not registered its key" in refused.stderr
    assert srv.submissions(device_id) == []

    registered = sync_cli("register-key", "--data-dir", str(data_dir))
    assert registered.returncode == 0, registered.stderr
    assert answer["token"] not in registered.stdout + registered.stderr
    # Asking again with the same key (an answer lost on the way) changes nothing.
    assert sync_cli("register-key", "--data-dir", str(data_dir)).returncode == 0

    taken = import_bundle(srv, bundle)
    assert taken.returncode == 0, taken.stderr
    assert "accepted 1, duplicate 0, rejected 0" in taken.stdout

    # A second registration with another key is refused: a stolen token cannot re-key it.
    other_key = public_key_of(secrets.token_bytes(32))
    second = requests.post(
        f"{srv.url}/api/v1/devices/key",
        json={"device_public_key": other_key},
        headers={"Authorization": f"Bearer {answer['token']}"},
        timeout=10,
    )
    assert second.status_code == 409
    assert "already registered a different key" in second.json()["detail"]
    # The first key stands: the bundle it signed still verifies.
    assert "accepted 0, duplicate 1, rejected 0" in import_bundle(srv, bundle).stdout


def test_register_key_refused_by_the_server_says_so(
    srv: ReferenceServer, make_device: Callable[..., Device]
) -> None:
    device = make_device()  # enrolled with its key
    # Its key lost and made anew (say, the database restored without its settings).
    new_key = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    device.settings.set(DEVICE_SIGNING_KEY_KEY, new_key)

    result = sync_cli("register-key", "--data-dir", str(device.data_dir))

    assert result.returncode == 1
    assert "키를 등록하지 못했습니다 (key registration failed): HTTP 409" in result.stderr


def test_an_old_device_registers_its_key_by_itself_when_it_next_syncs(
    srv: ReferenceServer, tmp_path: Path
) -> None:
    answer = requests.post(
        f"{srv.url}/api/v1/devices/enroll",
        json={
            "enrollment_code": srv.enroll_code(),
            "name": "old kiosk",
            "mode": "kiosk",
            "app_version": "0.0.9",
        },
        timeout=10,
    ).json()
    data_dir = tmp_path / "old"
    with open_database(data_dir) as db:
        settings = DeviceSettings(db)
        settings.set(SERVER_URL_KEY, srv.url)
        settings.set(TOKEN_KEY, answer["token"])
        settings.set_device_id(answer["device_id"])
        Outbox(db).enqueue("survey_response", survey_payload(), content_version=None)
    bundle = exported_file(sync_cli("export", str(tmp_path), "--data-dir", str(data_dir)))
    assert import_bundle(srv, bundle).returncode == 1  # the server has no key for it yet

    # An ordinary sync cycle, heartbeat included, as the running app does it.
    synced = sync_cli("run", "--once", "--data-dir", str(data_dir))
    assert synced.returncode == 0, synced.stderr
    taken = import_bundle(srv, bundle)
    assert taken.returncode == 0, taken.stderr
    assert "accepted 0, duplicate 1, rejected 0" in taken.stdout  # the sync sent it already


def test_a_device_enrolled_before_content_keys_receives_its_servers_at_the_next_heartbeat(
    srv: ReferenceServer, make_device: Callable[..., Device]
) -> None:
    from contract.pack_signature import public_key_of as content_key_of
    from server.keys import CONTENT_KEY_FILE, read_key_file
    from sync.worker import CONTENT_PUBLIC_KEY_KEY

    device = make_device()
    server_key = content_key_of(read_key_file(srv.data_dir / "keys" / CONTENT_KEY_FILE))
    assert device.settings.get(CONTENT_PUBLIC_KEY_KEY) == server_key  # given at enrolment
    device.settings.delete(CONTENT_PUBLIC_KEY_KEY)  # as a device enrolled before it was
    core = device.core()
    try:
        assert core.run_once() is None
        assert device.settings.get(CONTENT_PUBLIC_KEY_KEY) == server_key
        # Kept once: a later answer never replaces it.
        device.settings.set(CONTENT_PUBLIC_KEY_KEY, content_key_of(bytes(32)))
        assert core.run_once() is None  # forced: a heartbeat again
        assert device.settings.get(CONTENT_PUBLIC_KEY_KEY) == content_key_of(bytes(32))
    finally:
        core.close()
