"""Devices' own keys, and the import of the outbox bundles staff bring on a USB stick.

A bundle (format in `sync.bundle`) is verified as a whole against the key the server keeps for
its device, then its envelopes go through the same `Ingest` as the batch endpoint, in batches of
the protocol's size: importing a bundle twice, or importing it and then letting the device sync,
stores every envelope once.

Deadline evidence (server.deadlines): a member of staff carried the bundle and the device's key
signed it, so its envelopes are vouched for as existing, and none of them is held for want of a
heartbeat after a close; their own creation times are judged as usual. The import is not taken
as a heartbeat reporting `last_seq` as the device's highest seq: the device may have numbered
more envelopes between writing the bundle and its import, and those made before a close must
not be refused as made after it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import update

from contract.wire import MAX_BATCH_ITEMS, ItemResult
from server import audit
from server.db import ServerDatabase
from server.db.models import Device
from server.ingest import Ingest
from sync.bundle import BundleError, check_signature, load_bundle

log = logging.getLogger(__name__)


class KeyAlreadyRegistered(Exception):
    """The device already has a different public key; it is never replaced (answered 409)."""


def register_device_key(db: ServerDatabase, device_id: str, public_key: str) -> None:
    """Keep `public_key` for a device that has none yet. Registering the key it already has
    changes nothing (a retry after a lost answer); any other key raises KeyAlreadyRegistered."""
    with db.write() as session:
        done = session.execute(
            update(Device)
            .where(Device.id == device_id, Device.public_key.is_(None))
            .values(public_key=public_key)
        )
        if done.rowcount == 1:  # type: ignore[attr-defined]
            log.info("device.key_registered device_id=%s", device_id)
            return
        device = session.get(Device, device_id)
        if device is None or device.public_key != public_key:
            raise KeyAlreadyRegistered(
                "This device already registered a different key; a device key is never"
                " replaced. Ask the district office to enrol the device again."
            )


@dataclass(frozen=True)
class ImportReport:
    """What importing one bundle did; `rejections` are the rejected envelopes' results."""

    device_id: str
    count: int
    first_seq: int
    last_seq: int
    accepted: int
    duplicate: int
    rejected: int
    rejections: tuple[ItemResult, ...]


def import_bundle(db: ServerDatabase, data: bytes, ingest: Ingest, by: audit.Actor) -> ImportReport:
    """Verify the bundle file `data` and store its envelopes as its device's; the import is in
    the audit log as `by`'s (after the envelopes, each batch of which is its own transaction).

    BundleError, with nothing stored, if the bundle is not intact, its device is not enrolled
    or revoked, or has no key or another key.
    """
    bundle = load_bundle(data)
    with db.read() as session:
        device = session.get(Device, bundle.device_id)
    if device is None:
        raise BundleError(f"Device {bundle.device_id} is not enrolled on this server.")
    if device.revoked_at is not None:
        raise BundleError(
            f"Device {bundle.device_id} was revoked by staff; its bundles are not taken."
        )
    if device.public_key is None:
        raise BundleError(
            f"Device {bundle.device_id} has not registered its key with this server, so its"
            " bundle cannot be verified. On the device, once online: python -m sync register-key."
        )
    check_signature(bundle, device.public_key)

    results: list[ItemResult] = []
    for start in range(0, bundle.count, MAX_BATCH_ITEMS):
        chunk = bundle.envelopes[start : start + MAX_BATCH_ITEMS]
        # The envelopes as verified, so what is stored is exactly what the chain covers.
        results += ingest.ingest(
            bundle.device_id,
            [e.model_dump(mode="json") for e in chunk],
            vouched_seq=bundle.last_seq,
        )
    report = ImportReport(
        device_id=bundle.device_id,
        count=bundle.count,
        first_seq=bundle.first_seq,
        last_seq=bundle.last_seq,
        accepted=sum(r.status == "accepted" for r in results),
        duplicate=sum(r.status == "duplicate" for r in results),
        rejected=sum(r.status == "rejected" for r in results),
        rejections=tuple(r for r in results if r.status == "rejected"),
    )
    with db.write() as session:
        audit.record(
            session,
            by,
            "bundle.import",
            target=f"device:{report.device_id}",
            after={
                "count": report.count,
                "first_seq": report.first_seq,
                "last_seq": report.last_seq,
                "accepted": report.accepted,
                "duplicate": report.duplicate,
                "rejected": report.rejected,
            },
        )
    log.info(
        "bundle.imported device_id=%s seq=%d-%d accepted=%d duplicate=%d rejected=%d",
        report.device_id,
        report.first_seq,
        report.last_seq,
        report.accepted,
        report.duplicate,
        report.rejected,
    )
    return report
