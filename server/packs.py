"""The whole content as one archive (contract.archive): 내보내기 writes the live version with its
media files; 가져오기 takes an archive from another server (or the demo generator), checks it
with the kiosk's own models and the files' sizes and SHA-256, and makes it the live version.
The device groups its items target travel with it by key and name (contract.archive says why
not their devices); an import makes those this server lacks, empty.

An archive that is not a valid pack is refused in Korean, naming what is wrong, and the live
version stays live: nothing is stored before the whole pack is verified (server.content.publish
stores the files, then the manifest).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from contract import pack_signature
from contract.archive import extract_archive, read_groups, write_archive
from contract.pack import MANIFEST_NAME, PackError, load_pack, read_manifest
from server import audit, content, groups
from server.db import ServerDatabase
from server.db.models import Manifest

log = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The archive cannot be imported; `problems` are the lines the page shows (Korean first)."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        super().__init__("\n".join((message, *problems)))
        self.message = message
        self.problems = problems


@dataclass(frozen=True)
class Imported:
    """What an import did: the version now live, whether it is a new one, and the device
    groups it made (those the archive carries that this server lacked)."""

    content_version: str
    files: int
    new: bool
    groups_made: tuple[str, ...] = ()


def _canonical(document: Any) -> str:
    # The form a manifest is stored in (server.content.publish).
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def export_archive(
    db: ServerDatabase,
    assets_dir: Path,
    out: IO[bytes],
    by: audit.Actor,
    signing_seed: bytes | None = None,
) -> str:
    """Write the live version's archive to `out`; its content version. Audited.

    Signed with the server's content key `signing_seed` (server.keys) when given: the archive
    is then also a pack staff can carry to a kiosk on a USB stick (contract.pack_signature)."""
    with db.read() as session:
        newest = session.scalars(select(Manifest).order_by(Manifest.id.desc()).limit(1)).first()
    if newest is None:
        raise ImportRefused("게시된 콘텐츠가 없어 내보낼 것이 없습니다.")
    document = json.loads(newest.body)
    files = []
    for entry in document.get("files", []):
        stored = content.find_asset(db, assets_dir, entry["sha256"])
        if stored is None:
            raise ImportRefused(f"서버에 '{entry['path']}' 파일이 없어 내보낼 수 없습니다.")
        files.append((entry["path"], stored.path))
    manifest = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    signature = (
        None if signing_seed is None else pack_signature.signature_file(manifest, signing_seed)
    )
    write_archive(out, manifest, files, groups.carried(db, document), signature)
    with db.write() as session:
        audit.record(
            session,
            by,
            "content.export",
            target=f"content:{newest.content_version}",
            after={
                "content_version": newest.content_version,
                "files": len(files),
                "signed": signature is not None,
            },
        )
    log.info("content.exported version=%s files=%d", newest.content_version, len(files))
    return newest.content_version


def import_archive(
    db: ServerDatabase, assets_dir: Path, archive: Path, by: audit.Actor, work_dir: Path
) -> Imported:
    """Make the archive's content the live version (unpacked under `work_dir`, then removed).

    The same content under the same name as the live version changes nothing. A name already
    used here (for other content, or for an older version) is given the next free revision name
    (`<name>+rN`), so the content becomes live and devices move forward to it.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix="import-", dir=work_dir))
    try:
        try:
            extract_archive(archive, unpacked)
            pack = load_pack(unpacked)
            document = read_manifest(unpacked)
            carried = read_groups(unpacked)
        except PackError as e:
            raise ImportRefused(
                "가져오지 않았습니다. 게시 중인 버전은 그대로입니다. 고칠 곳:", e.problems
            ) from e
        with db.read() as session:
            newest = session.scalars(select(Manifest).order_by(Manifest.id.desc()).limit(1)).first()
            used = set(session.scalars(select(Manifest.content_version)))
        sha = hashlib.sha256(_canonical(document).encode("utf-8")).hexdigest()
        live = newest is not None and newest.content_version == pack.content_version
        if live and newest is not None and newest.body_sha256 == sha:
            made = groups.make_missing(db, carried, by)
            return Imported(pack.content_version, len(pack.files), False, tuple(made))
        if pack.content_version in used:
            document["content_version"] = content.next_revision_name(
                pack.content_version, used.__contains__
            )
            (unpacked / MANIFEST_NAME).write_text(_canonical(document), encoding="utf-8")
        try:
            published = content.publish(db, assets_dir, unpacked, by, action="content.import")
        except content.PublishError as e:
            raise ImportRefused(
                "가져오지 않았습니다. 게시 중인 버전은 그대로입니다.", (str(e),)
            ) from e
        made = groups.make_missing(db, carried, by)
    finally:
        shutil.rmtree(unpacked, ignore_errors=True)
    log.info("content.imported version=%s files=%d", published.content_version, len(pack.files))
    return Imported(published.content_version, len(pack.files), published.new, tuple(made))
