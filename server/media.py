"""미디어 올리기: a picture or an MP4 clip (with WebVTT subtitles) uploaded in the console,
checked, and stored the way a pack stores media, then named in the draft.

A clip must be an MP4 file of H.264 video and AAC sound, no larger than the configured limit,
at most 1920×1080 (either way up) and not longer than a board or the video centre plays; the
check asks ffprobe, never the file's name or the browser's word. Subtitles are read by the same
rules the kiosk reads them with (contract.subtitles), strictly. The server makes the video
centre's thumbnail with ffmpeg. A file comes streamed to the assets' disk with its SHA-256
(server.uploads: never held in memory, written once), is renamed to its digest's name with an
`assets` row (as a published pack's files are), and added to the draft as a `files` item: path,
SHA-256, size, media type.
Nothing reaches a device before the draft is published; a refused upload leaves the draft and
the live version as they were.
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from server import content
from server.db import ServerDatabase

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
PROBE_TIMEOUT_S = 60
# Pictures ffprobe names by codec, and the media type the pack gives each (contract's _IMAGE).
IMAGE_TYPES = {
    "png": ("image/png", "png"),
    "mjpeg": ("image/jpeg", "jpg"),
    "webp": ("image/webp", "webp"),
    "gif": ("image/gif", "gif"),
    "bmp": ("image/bmp", "bmp"),
}
MP4_BRANDS = ("isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash")
MAX_VIDEO_LONG_SIDE, MAX_VIDEO_SHORT_SIDE = 1920, 1080
MAX_IMAGE_SIDE = 4096
MIN_SIDE = 64
# A promotion is on screen at most 600 s (contract's Promotion.duration_s); the video centre's
# clips at most half an hour.
MAX_PROMOTION_S = 600.0
MAX_VIDEO_S = 1800.0
THUMBNAIL_WIDTH = 640


class MediaRefused(Exception):
    """An upload that is not taken; `field` is the form's field it is about, `message` the
    Korean sentence shown beside it, `status` the answer's HTTP status (413: too large, 507:
    the server's disk is full)."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Received:
    """A file copied from the upload: where it is, how big, its SHA-256."""

    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class Probed:
    """What ffprobe found in an accepted file."""

    kind: str  # "image" or "video"
    media_type: str
    suffix: str
    width: int
    height: int
    duration_s: float | None = None


def shown_size(size: int) -> str:
    """A byte count as staff read it: 1.5 GB, 20 MB, 300 KB."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} B"


def hashed(path: Path) -> Received:
    """A file the server made itself (a thumbnail) as a Received: read once for its digest."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return Received(path, size, digest.hexdigest())


def too_large(size: int | None, limit: int) -> str:
    told = f" ({shown_size(size)})" if size else ""
    return f"파일이 너무 큽니다{told}. 한 번에 {shown_size(limit)}까지 올릴 수 있습니다."


def _probe(path: Path) -> dict[str, Any] | None:
    """ffprobe's description of the file, or None when it cannot read it."""
    try:
        done = subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
            + [str(path)],
            capture_output=True,
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        return None
    try:
        found: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        return None
    return found


def inspect(path: Path, field: str, max_duration_s: float) -> Probed:
    """The accepted picture or clip at `path`; MediaRefused naming `field` otherwise."""
    found = _probe(path)
    not_media = "그림(PNG·JPEG·WebP·GIF) 파일이나 MP4 영상 파일이 아닙니다. 파일을 다시 고르세요."
    if found is None:
        raise MediaRefused(field, not_media)
    streams = found.get("streams") or []
    fmt = found.get("format") or {}
    videos = [s for s in streams if s.get("codec_type") == "video"]
    if len(streams) == 1 and videos and videos[0].get("codec_name") in IMAGE_TYPES:
        return _picture(videos[0], field)
    if "mp4" not in str(fmt.get("format_name", "")).split(","):
        raise MediaRefused(field, not_media)
    brand = str((fmt.get("tags") or {}).get("major_brand", ""))
    if brand not in MP4_BRANDS:
        raise MediaRefused(
            field, f"MP4 영상이 아닙니다 (형식 '{brand.strip()}'). MP4로 저장하세요."
        )
    return _clip(videos, streams, fmt, field, max_duration_s)


def _rotation(stream: dict[str, Any]) -> int:
    """The turn a player is told to give the picture (degrees; 0 for none): the rotate tag of
    older writers, or the display matrix of newer ones."""
    turns = [str((stream.get("tags") or {}).get("rotate", "0"))]
    turns += [str(d.get("rotation", "0")) for d in stream.get("side_data_list") or []]
    for turn in turns:
        try:
            degrees = round(float(turn)) % 360
        except ValueError:
            continue
        if degrees:
            return degrees
    return 0


def _picture(stream: dict[str, Any], field: str) -> Probed:
    frames = str(stream.get("nb_frames") or "1")
    if stream.get("codec_name") in ("gif", "webp") and frames.isdigit() and int(frames) > 1:
        # The kiosk and the board draw a picture once: a moving one would stand still on its
        # first frame, which staff did not choose.
        raise MediaRefused(
            field,
            f"움직이는 그림({frames}장면)은 받지 않습니다. 키오스크와 전광판은 첫 장면만 보여 "
            "줍니다. 보일 한 장면을 PNG나 JPEG로 저장하거나, 움직임이 필요하면 MP4 영상으로 "
            "올리세요.",
        )
    media_type, suffix = IMAGE_TYPES[str(stream["codec_name"])]
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if not (MIN_SIDE <= width <= MAX_IMAGE_SIDE and MIN_SIDE <= height <= MAX_IMAGE_SIDE):
        raise MediaRefused(
            field,
            f"그림 크기가 {width}×{height}입니다. 가로·세로 모두 {MIN_SIDE}~{MAX_IMAGE_SIDE} "
            "화소인 그림을 고르세요.",
        )
    return Probed("image", media_type, suffix, width, height)


def _clip(
    videos: list[dict[str, Any]],
    streams: list[dict[str, Any]],
    fmt: dict[str, Any],
    field: str,
    max_duration_s: float,
) -> Probed:
    if not videos:
        raise MediaRefused(field, "영상이 들어 있지 않은 MP4 파일입니다 (소리만 있음).")
    video = videos[0]
    if video.get("codec_name") != "h264":
        raise MediaRefused(
            field,
            f"영상 압축 방식이 {video.get('codec_name')}입니다. 키오스크는 H.264 영상만 "
            "재생합니다. H.264(AVC)로 다시 저장하세요.",
        )
    sounds = [s.get("codec_name") for s in streams if s.get("codec_type") == "audio"]
    if any(codec != "aac" for codec in sounds):
        raise MediaRefused(
            field, f"소리 압축 방식이 {', '.join(map(str, sounds))}입니다. AAC로 다시 저장하세요."
        )
    turned = _rotation(video)
    if turned:
        # Whether a player honours the tag depends on its Qt version and drawing path (the
        # board paints QVideoFrame.toImage()); frames stored upright play alike everywhere.
        raise MediaRefused(
            field,
            f"영상에 '{turned}도 돌려서 보이기' 정보가 들어 있습니다. 이런 영상은 기기에 따라 "
            "누운 채 나올 수 있어 받지 않습니다. 영상 편집 프로그램에서 회전을 적용해(다시 "
            "인코딩해) 저장한 뒤 올리세요.",
        )
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    long_side, short_side = max(width, height), min(width, height)
    if (
        short_side < MIN_SIDE
        or long_side > MAX_VIDEO_LONG_SIDE
        or short_side > MAX_VIDEO_SHORT_SIDE
    ):
        raise MediaRefused(
            field,
            f"영상 크기가 {width}×{height}입니다. 1920×1080(세로 영상은 1080×1920)보다 "
            "크지 않게 줄여서 저장하세요.",
        )
    try:
        duration = float(fmt.get("duration") or video.get("duration") or 0)
    except ValueError:
        duration = 0.0
    if duration <= 0:
        raise MediaRefused(field, "영상 길이를 읽을 수 없습니다. 파일이 망가졌을 수 있습니다.")
    if duration > max_duration_s:
        raise MediaRefused(
            field,
            f"영상이 {duration / 60:.1f}분입니다. 이 용도로는 {max_duration_s / 60:g}분까지 "
            "올릴 수 있습니다.",
        )
    return Probed("video", "video/mp4", "mp4", width, height, duration)


def thumbnail(clip: Path, duration_s: float, out: Path) -> None:
    """A JPEG picture of the clip (a second in, or its middle when shorter), 640 wide."""
    at = min(1.0, duration_s / 2)
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{at:.2f}", "-i", str(clip), "-frames:v", "1"]
        + ["-vf", f"scale={THUMBNAIL_WIDTH}:-2", "-f", "image2", "-c:v", "mjpeg", "-y", str(out)],
        capture_output=True,
        timeout=PROBE_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        log.error("media.thumbnail_failed %s", done.stderr[-300:])
        raise MediaRefused(
            "file", "영상에서 미리보기 그림을 만들 수 없습니다. 파일이 망가졌을 수 있습니다."
        )


def store(
    db: ServerDatabase, assets_dir: Path, file: Received, media_type: str, path_in_pack: str
) -> dict[str, Any]:
    """Keep `file` among the server's assets (by its digest, with its `assets` row) and return
    its pack file entry. The file, written on the assets' own disk, is renamed into its place
    (never copied); when the same bytes are stored already, it is left for its writer to
    remove. The row is written first, in the same transaction, so a sweep of unused files
    (server.drafts.remove_unused_files) cannot take the file between the two."""
    entry = {
        "path": path_in_pack,
        "sha256": file.sha256,
        "size": file.size,
        "media_type": media_type,
    }
    with db.write() as session:
        content.record_assets(session, [entry], datetime.now(UTC), refresh=True)
        target = content.asset_file(assets_dir, file.sha256)
        if not (target.is_file() and target.stat().st_size == file.size):
            target.parent.mkdir(parents=True, exist_ok=True)
            file.path.replace(target)
    return entry
