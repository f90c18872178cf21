"""A content pack as one archive: a ZIP file with manifest.json at its top and every file the
manifest lists at its path, so a district can move its whole content between servers (the
console's 내보내기 and 가져오기, `python -m server export-content` / `import-content`) and the
demo generator hands its pack to the same import.

`write_archive` writes it (the same bytes for the same pack: fixed times, manifest first, files
in the manifest's order); `extract_archive` unpacks one that came from anywhere into a folder
without trusting it: member names must stay inside the folder, no links, sizes and counts
bounded. The folder is then read and verified like any pack (contract.pack.load_pack).

Beside the manifest an archive may carry `groups.json`: the device groups its items target,
each by key and name (`CarriedGroup`), so the receiving server can make the ones it lacks.
Which devices are in a group is not carried: a device is enrolled with one server, under an id
and a key that server gave it, so another server's members would name devices it does not
know (or, by chance, others of its own); staff put this server's own devices in the groups.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import IO

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contract.content import Id
from contract.pack import CHUNK_SIZE, MANIFEST_NAME, PackError, read_manifest

ARCHIVE_SUFFIX = ".zip"
GROUPS_NAME = "groups.json"
# The server's signature of manifest.json (contract.pack_signature).
SIGNATURE_NAME = "signature.json"
# 1980-01-01, the earliest time a ZIP entry can carry: the same pack gives the same bytes.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
MAX_MEMBERS = 10_000
MAX_UNPACKED_BYTES = 4 * 1024**3
# Pictures and videos are compressed already; the manifest and subtitles are text.
_DEFLATED_SUFFIXES = (".json", ".vtt", ".srt", ".txt")


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, FIXED_TIME)
    deflate = name.endswith(_DEFLATED_SUFFIXES)
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


class CarriedGroup(BaseModel):
    """A device group as an archive carries it: its key (what items name in `groups`) and the
    name staff read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: Id
    name: str = Field(min_length=1, max_length=40)


class CarriedGroups(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: list[CarriedGroup]


def write_archive(
    out: IO[bytes],
    manifest: bytes,
    files: Iterable[tuple[str, Path]],
    groups: Iterable[CarriedGroup] = (),
    signature: bytes | None = None,
) -> None:
    """Write the pack's archive to `out`: `manifest` (manifest.json's bytes), its `signature`
    (signature.json, contract.pack_signature) when given, the `groups` its items target
    (groups.json, only when there are any), then each (path in the pack, file on disk) in the
    order given."""
    carried = list(groups)
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        archive.writestr(_entry(MANIFEST_NAME), manifest)
        if signature is not None:
            archive.writestr(_entry(SIGNATURE_NAME), signature)
        if carried:
            document = CarriedGroups(groups=carried).model_dump_json(indent=2)
            archive.writestr(_entry(GROUPS_NAME), document.encode("utf-8"))
        for name, source in files:
            with source.open("rb") as src, archive.open(_entry(name), "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, CHUNK_SIZE)


def archive_folder(pack_dir: Path, out: IO[bytes]) -> None:
    """The archive of the pack folder `pack_dir`: its manifest.json as it is, and the files it
    lists (nothing else in the folder)."""
    document = read_manifest(pack_dir)
    paths = [str(f["path"]) for f in document.get("files") or [] if isinstance(f, dict)]
    manifest = (pack_dir / MANIFEST_NAME).read_bytes()
    write_archive(out, manifest, [(p, pack_dir / p) for p in paths])


def _problem(key: str, /, **ctx: object) -> PackError:
    return PackError.about("묶음 파일", key, **ctx)


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(name)
        and "\\" not in name
        and not name.startswith("/")
        and ":" not in name
        and not any(p in ("..", ".") for p in parts)
        and not any(ord(c) < 32 for c in name)
    )


def extract_archive(archive: Path, into: Path, max_bytes: int = MAX_UNPACKED_BYTES) -> None:
    """Unpack the archive into the empty folder `into`; PackError (Korean first) when it is not
    a ZIP, is damaged, names a path outside the folder or a link, holds more than
    `MAX_MEMBERS` entries or `max_bytes` unpacked, or has no manifest.json at its top."""
    try:
        opened = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise _problem("archive_not_zip") from e
    with opened:
        members = opened.infolist()
        if len(members) > MAX_MEMBERS:
            raise _problem("archive_too_many", count=len(members), most=MAX_MEMBERS)
        declared = 0
        for member in members:
            if not _safe_name(member.filename):
                raise _problem("archive_unsafe_name", name=member.filename)
            if stat.S_ISLNK(member.external_attr >> 16):
                raise _problem("archive_link", name=member.filename)
            declared += member.file_size
        if declared > max_bytes:
            raise _problem("archive_too_large", most=max_bytes // 1024**2)
        if MANIFEST_NAME not in {m.filename for m in members}:
            raise _problem("archive_no_manifest")
        written = 0
        for member in members:
            target = into / member.filename
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with opened.open(member) as src, target.open("wb") as dst:
                    # Counted as read: the sizes a ZIP declares are not to be trusted.
                    while chunk := src.read(CHUNK_SIZE):
                        written += len(chunk)
                        if written > max_bytes:
                            raise _problem("archive_too_large", most=max_bytes // 1024**2)
                        dst.write(chunk)
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error) as e:
                raise _problem("archive_damaged", name=member.filename) from e


def read_groups(folder: Path) -> list[CarriedGroup]:
    """The device groups an unpacked archive carries ([] when it has no groups.json); PackError
    (Korean first) when the file cannot be read."""
    path = folder / GROUPS_NAME
    if not path.is_file():
        return []
    try:
        return CarriedGroups.model_validate_json(path.read_bytes()).groups
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _problem("archive_groups", problem=f"{where}: {first['msg']}") from e
