"""미디어 올리기 through the real server process: a picture becomes a promotion, an MP4 clip
with WebVTT subtitles a video of the video centre or a promotion (thumbnail made by the server,
files stored by SHA-256 as a pack stores them, published to a device); and the refusals, each in
Korean beside its field with the draft and the live version unchanged: not an MP4, a codec the
kiosk does not play, broken subtitles, a 2 GB file (declared, never sent) and a body past the
(lowered) limit that never declared its size."""

from __future__ import annotations

import hashlib
import html
import http.client as httpclient
import json
import re
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium.webdriver.common.by import By
from sqlalchemy import select

from tests.console.conftest import (
    ADMIN,
    VIEWER,
    add_account,
    csrf_of,
    page_errors,
    signed_in_session,
)
from tests.console.test_browser import sign_in, text_of, wait_for_next_page
from tests.console.test_content import (
    DEMO,
    fresh_draft,
    get,
    live,
    notice_form,
    post,
    post_form,
)
from tests.helpers.disk import nearly_full, tmpfs_if_possible
from tests.server.process import EnrolledDevice, ServerProcess, start_server

MEDIA = "/staff/content/draft/media"
PROMOTION_FORM = "/staff/content/draft/promotion"
LIMIT_MB = 2
GOOD_VTT = "WEBVTT\n\n00:00:00.500 --> 00:00:01.500\n안녕하세요, 온통중구입니다.\n"


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=60)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made = tmp_path_factory.mktemp("media")
    sources = ["-f", "lavfi", "-i", "testsrc=size=640x360:rate=25"]
    sources += ["-f", "lavfi", "-i", "sine=frequency=440", "-t", "2"]
    ffmpeg(
        *sources,
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        str(made / "clip.mp4"),
    )
    ffmpeg(*sources, "-c:v", "mpeg4", "-c:a", "aac", "-shortest", str(made / "mpeg4.mp4"))
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=800x600", "-frames:v", "1", str(made / "poster.png"))
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=640x480", "-frames:v", "1", str(made / "flyer.png"))
    # A phone's upright clip: frames stored lying down, with a tag telling players to turn them.
    clip_rotated = ["-i", str(made / "clip.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90"]
    ffmpeg(*clip_rotated, str(made / "rotated.mp4"))
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=5", "-t", "1", str(made / "moving.gif"))
    # Noise does not compress: about 1.5 MB, over the batch the server writes at a time and
    # under the lowered limit.
    noisy = ["-f", "lavfi", "-i", "testsrc=size=640x360:rate=25,noise=alls=100:allf=t"]
    noisy += ["-f", "lavfi", "-i", "sine=frequency=440", "-t", "2"]
    noisy += ["-c:v", "libx264", "-b:v", "6M", "-maxrate", "6M", "-bufsize", "1M"]
    ffmpeg(*noisy, "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(made / "noisy.mp4"))
    (made / "not-a-clip.mp4").write_text("이것은 영상이 아닙니다\n" * 100, encoding="utf-8")
    (made / "good.vtt").write_text(GOOD_VTT, encoding="utf-8")
    (made / "broken.vtt").write_text(
        "WEBVTT\n\n00:00:03.000 --> 00:00:01.000\n거꾸로 된 시각\n\n00:00:xx --> 00:00:05\n글\n",
        encoding="utf-8",
    )
    return {p.name: p for p in made.iterdir()}


# Why the stored assets are not on a disk of their own (None: they are, a 48 MiB tmpfs).
ASSETS_DISK: dict[str, str | None] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The demo published, an admin and a viewer, and the upload limit lowered to 2 MiB. The
    stored assets are on a small disk of their own where this process may mount one, so a
    test can fill it."""
    data_dir = tmp_path_factory.mktemp("media-server")
    with tmpfs_if_possible(data_dir / "assets", "size=48m") as not_mounted:
        ASSETS_DISK["not_mounted"] = not_mounted
        running = start_server(data_dir, None, "--max-media-mb", str(LIMIT_MB))
        running.cli("publish", str(DEMO))
        for account in (ADMIN, VIEWER):
            add_account(running, account, data_dir)
        yield running
        running.stop()


@pytest.fixture(scope="module")
def device(server: ServerProcess) -> EnrolledDevice:
    return server.enroll(name="신당동 공동주택 보드", mode="board")


def upload(
    http: requests.Session, server: ServerProcess, draft: str, **parts: Any
) -> requests.Response:
    """The upload form sent as a browser sends it: fields, then files (name -> path)."""
    token = csrf_of(get(http, server, MEDIA))
    fields = {"csrf_token": token, "draft": draft, "purpose": "promotion", "title_ko": "제목"}
    files = {}
    for name, value in parts.items():
        if isinstance(value, Path):
            files[name] = (value.name, value.read_bytes())
        else:
            fields[name] = value
    return http.post(
        f"{server.url}{MEDIA}", data=fields, files=files, allow_redirects=False, timeout=60
    )


def multipart_head(boundary: str, **fields: str) -> bytes:
    """A multipart body up to the first byte of a file part "file" (big.mp4), after `fields`:
    the rest is sent by the test as it likes (or never)."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    )
    return "".join(parts).encode()


def problem(r: requests.Response, field: str) -> str:
    found = re.search(rf'id="error-{field}">([^<]*)<', html.unescape(r.text))
    assert found is not None, r.text[-2000:]
    return found.group(1)


def draft_files(server: ServerProcess) -> set[str]:
    from server import drafts

    with server.database() as db:
        draft = drafts.current(db)
        assert draft is not None
        return {i.key for i in draft.items if i.section == "files"}


def leftovers(server: ServerProcess) -> list[Path]:
    """Half-written uploads anywhere in the server's data folder."""
    return [
        p
        for p in server.data_dir.rglob("*")
        if p.is_file() and p.name.startswith((".upload-", ".incoming-", ".thumbnail-"))
    ]


def newest_in_draft(
    server: ServerProcess, section: str
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The last item of `section` in the open draft, and the draft's files by path."""
    from server import drafts

    with server.database() as db:
        current = drafts.current(db)
        assert current is not None
        item = [i for i in current.items if i.section == section][-1].body
        entries = {i.key: i.body for i in current.items if i.section == "files"}
    return item, entries


def test_a_clip_with_subtitles_becomes_a_video_that_a_device_receives(
    server: ServerProcess, device: EnrolledDevice, files: dict[str, Path]
) -> None:
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    r = upload(
        http,
        server,
        draft,
        purpose="video",
        title_ko="온통중구 사용법",
        description_ko="키오스크에서 설문에 답하는 법을 보여 드립니다.",
        file=files["clip.mp4"],
        subtitles=files["good.vtt"],
    )
    assert r.status_code == 303, r.text[-2000:]
    assert "/staff/content/draft/video?key=video-" in r.headers["location"]
    video, entries = newest_in_draft(server, "videos")
    clip = files["clip.mp4"].read_bytes()
    asset = entries[video["asset"]]
    assert asset["sha256"] == hashlib.sha256(clip).hexdigest()
    assert (asset["size"], asset["media_type"]) == (len(clip), "video/mp4")
    assert entries[video["thumbnail"]]["media_type"] == "image/jpeg"
    assert entries[video["subtitles"]]["media_type"] == "text/vtt"
    assert 1.9 <= video["duration_s"] <= 2.2
    # Each file and the video are audited as the editor's additions to the draft.
    from server import audit

    with server.database() as db:
        added = [
            str(e.after)
            for e in audit.events(db)
            if e.action == "content.draft_add" and e.actor == ADMIN.name
        ]
    for named in (video["asset"], video["thumbnail"], video["subtitles"], video["id"]):
        assert any(named in a for a in added), added
    # The thumbnail is a real picture of the clip, made by the server.
    thumb = server.data_dir / "assets"
    thumb = (
        thumb / entries[video["thumbnail"]]["sha256"][:2] / entries[video["thumbnail"]]["sha256"]
    )
    assert thumb.read_bytes()[:3] == b"\xff\xd8\xff"
    # Published, a device is told of it and fetches the very bytes.
    assert (
        http.post(
            f"{server.url}/staff/content/draft/publish",
            data={"draft": draft, "csrf_token": csrf_of(get(http, server, "/staff/content/draft"))},
            allow_redirects=False,
            timeout=30,
        ).status_code
        == 303
    )
    manifest = live(server, device)
    assert any(v["id"] == video["id"] and v["subtitles"] for v in manifest["videos"])
    got = requests.get(f"{server.api}/assets/{asset['sha256']}", headers=device.headers, timeout=10)
    assert got.status_code == 200 and got.content == clip
    assert leftovers(server) == []


def test_a_clip_with_subtitles_becomes_a_promotion_carrying_them(
    server: ServerProcess, files: dict[str, Path]
) -> None:
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    clip_and_subtitles = {"file": files["clip.mp4"], "subtitles": files["good.vtt"]}
    r = upload(http, server, draft, title_ko="승강기 점검 안내", **clip_and_subtitles)
    assert r.status_code == 303, r.text[-2000:]
    assert r.headers["location"].startswith("/staff/content/draft/promotion?key=video-")
    promotion, entries = newest_in_draft(server, "promotions")
    assert promotion["kind"] == "video" and promotion["subtitles"].endswith(".vtt")
    subtitles = entries[promotion["subtitles"]]
    assert subtitles["media_type"] == "text/vtt"
    assert subtitles["sha256"] == hashlib.sha256(GOOD_VTT.encode()).hexdigest()
    assert leftovers(server) == []
    # Its form shows the subtitles chosen; they stay only on a clip, and can be taken off.
    form_page = get(http, server, r.headers["location"])
    assert f'<option value="{promotion["subtitles"]}" selected' in form_page
    revision = re.search(r'name="revision" value="([0-9]+)"', form_page)
    assert revision is not None
    form = notice_form(draft, kind="video", asset=promotion["asset"], body_ko="")
    form |= {"key": promotion["id"], "id": promotion["id"], "revision": revision.group(1)}
    as_picture = post_form(
        http, server, PROMOTION_FORM, {**form, "kind": "image", "subtitles": subtitles["path"]}
    )
    assert as_picture.status_code == 400
    assert "자막은 영상(video) 홍보물에만" in error_beside(as_picture.text, "subtitles")
    taken_off = post_form(http, server, PROMOTION_FORM, {**form, "subtitles": ""})
    assert taken_off.status_code == 303, taken_off.text[-2000:]
    assert newest_in_draft(server, "promotions")[0].get("subtitles") is None


def error_beside(page: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="error-{field}">([^<]*)</p>', page)
    assert found is not None, page[-3000:]
    return html.unescape(found.group(1))


def test_a_picture_becomes_a_promotion_opened_in_its_form(
    server: ServerProcess, files: dict[str, Path]
) -> None:
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    r = upload(http, server, draft, title_ko="겨울철 안전 포스터", file=files["poster.png"])
    assert r.status_code == 303, r.text[-2000:]
    assert r.headers["location"].startswith("/staff/content/draft/promotion?key=image-")
    form = get(http, server, r.headers["location"])
    assert "겨울철 안전 포스터" in form and "image/png" in form


@pytest.mark.parametrize(
    ("parts", "field", "words"),
    [
        ({"file": "not-a-clip.mp4"}, "file", "MP4 영상 파일이 아닙니다"),
        ({"file": "mpeg4.mp4"}, "file", "H.264"),
        (
            {
                "purpose": "video",
                "description_ko": "설명",
                "file": "clip.mp4",
                "subtitles": "broken.vtt",
            },
            "subtitles",
            "끝나는 시각이 시작 시각보다 늦어야",
        ),
        ({"file": "clip.mp4", "subtitles": "broken.vtt"}, "subtitles", "시각을 읽을 수 없습니다"),
        ({"file": "poster.png", "subtitles": "good.vtt"}, "subtitles", "MP4 영상에만"),
        ({"file": "rotated.mp4"}, "file", "90도 돌려서 보이기"),
        ({"file": "moving.gif"}, "file", "움직이는 그림(5장면)은 받지 않습니다"),
        ({"title_ko": "", "file": "clip.mp4"}, "title_ko", "제목을 입력하세요"),
        ({}, "file", "파일을 고르세요"),
    ],
    ids=[
        "not-mp4",
        "not-h264",
        "broken-subtitles",
        "broken-subtitles-on-promotion-clip",
        "subtitles-on-picture",
        "rotation-tag",
        "animated-gif",
        "no-title",
        "no-file",
    ],
)
def test_an_invalid_upload_is_refused_beside_its_field_and_nothing_changes(
    server: ServerProcess,
    device: EnrolledDevice,
    files: dict[str, Path],
    parts: dict[str, str],
    field: str,
    words: str,
) -> None:
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    before_files, before_live = draft_files(server), live(server, device)["content_version"]
    sent = {k: files.get(v, v) for k, v in parts.items()}
    r = upload(http, server, draft, **sent)
    assert r.status_code == 400
    assert words in problem(r, field)
    assert draft_files(server) == before_files
    assert live(server, device)["content_version"] == before_live
    assert leftovers(server) == []


def test_a_2_gb_file_is_refused_by_its_declared_size_without_being_sent(
    server: ServerProcess, device: EnrolledDevice
) -> None:
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    token = csrf_of(get(http, server, MEDIA))
    before = live(server, device)["content_version"]
    boundary = uuid.uuid4().hex
    head = multipart_head(boundary, csrf_token=token, draft=draft)
    connection = httpclient.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", MEDIA)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(2 * 1024**3))
    connection.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in http.cookies.items()))
    connection.endheaders()
    connection.send(head + b"\0" * 65536)  # 64 KiB of the 2 GB, then the answer is read
    answer = connection.getresponse()
    text = html.unescape(answer.read().decode("utf-8"))
    connection.close()
    assert answer.status == 413
    assert answer.getheader("Connection") == "close"
    found = re.search(r'id="error-file">([^<]*)<', text)
    assert found is not None and "파일이 너무 큽니다 (2 GB)" in found.group(1)
    assert f"{LIMIT_MB} MB까지" in found.group(1)
    assert live(server, device)["content_version"] == before


def test_a_body_past_the_limit_that_never_declared_its_size_is_cut_off(
    server: ServerProcess, device: EnrolledDevice
) -> None:
    """Chunked, with no Content-Length: counted as it streams, refused once past the limit."""
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    token = csrf_of(get(http, server, MEDIA))
    before_files = draft_files(server)
    boundary = uuid.uuid4().hex
    head = multipart_head(
        boundary, csrf_token=token, draft=draft, purpose="promotion", title_ko="큰 파일"
    )

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(LIMIT_MB * 12):  # 256 KiB chunks: three times the limit
            yield b"\0" * 262144
        yield f"\r\n--{boundary}--\r\n".encode()

    r = http.post(
        f"{server.url}{MEDIA}",
        data=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        allow_redirects=False,
        timeout=60,
    )
    assert r.status_code == 413, r.text[-1500:]
    assert "파일이 너무 큽니다" in problem(r, "file")
    assert draft_files(server) == before_files
    assert leftovers(server) == []


def landing(server: ServerProcess) -> list[Path]:
    """Files being written by uploads now (the landing folder beside the stored assets)."""
    folder = server.data_dir / "assets" / ".incoming"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def waited_for(condition: Callable[[], Any], what: str, timeout_s: float = 20) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout_s} s for {what}")


def streaming_upload(
    server: ServerProcess, http: requests.Session, draft: str, clip: bytes
) -> tuple[httpclient.HTTPConnection, bytes]:
    """An upload of `clip` as a promotion, its head and the first 1.2 MB sent: the connection
    and the rest of the body, for the test to send (or not)."""
    boundary = uuid.uuid4().hex
    head = multipart_head(
        boundary,
        csrf_token=csrf_of(get(http, server, MEDIA)),
        draft=draft,
        purpose="promotion",
        title_ko="잡음 영상",
    )
    body = head + clip + f"\r\n--{boundary}--\r\n".encode()
    connection = httpclient.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.putrequest("POST", MEDIA)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(body)))
    connection.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in http.cookies.items()))
    connection.endheaders()
    first = len(head) + 1_200_000
    connection.send(body[:first])
    return connection, body[first:]


def test_an_upload_is_written_once_straight_to_its_place_in_the_store(
    server: ServerProcess, files: dict[str, Path]
) -> None:
    """While the body streams, its file grows beside the stored assets; once accepted, that very
    file (same inode) is the stored asset: renamed, never copied a second time."""
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    clip = files["noisy.mp4"].read_bytes()
    assert 1_300_000 < len(clip) < LIMIT_MB * 1024**2, len(clip)
    connection, rest = streaming_upload(server, http, draft, clip)
    growing = waited_for(
        lambda: [p for p in landing(server) if p.stat().st_size >= 1024**2],
        "the upload's file in the landing folder",
    )
    inode = growing[0].stat().st_ino
    connection.send(rest)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    assert answer.status == 303
    stored = server.data_dir / "assets" / hashlib.sha256(clip).hexdigest()[:2]
    stored = stored / hashlib.sha256(clip).hexdigest()
    assert stored.read_bytes() == clip
    assert stored.stat().st_ino == inode
    assert landing(server) == [] and leftovers(server) == []


def test_an_upload_cut_off_midway_leaves_no_partial_file(
    server: ServerProcess, files: dict[str, Path]
) -> None:
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    before = draft_files(server)
    connection, _rest = streaming_upload(server, http, draft, files["noisy.mp4"].read_bytes())
    waited_for(lambda: landing(server), "the upload's file in the landing folder")
    connection.close()  # the sender goes away mid-file
    waited_for(lambda: landing(server) == [], "the partial file to be removed")
    assert leftovers(server) == []
    assert draft_files(server) == before


def test_an_upload_meeting_a_full_disk_is_refused_naming_the_field_and_nothing_changes(
    server: ServerProcess, device: EnrolledDevice, files: dict[str, Path]
) -> None:
    """The assets' disk (a real filesystem, a tmpfs) filled but for 300 KB, then a 1.5 MB clip
    sent: the disk says ENOSPC while it streams; the page says so beside 파일, in Korean, and
    the draft, the live version and the disk keep nothing of it. With room again, it goes."""
    if ASSETS_DISK["not_mounted"]:
        pytest.skip(ASSETS_DISK["not_mounted"])
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    before_files, before_live = draft_files(server), live(server, device)["content_version"]
    with nearly_full(server.data_dir / "assets", 300 * 1024):
        r = upload(http, server, draft, title_ko="꽉 찬 디스크", file=files["noisy.mp4"])
        assert landing(server) == []
    assert r.status_code == 507, r.text[-1500:]
    refused = problem(r, "file")
    assert "저장 공간이 모자라 파일을 저장하지 못했습니다" in refused
    assert "초안도 그대로입니다" in refused
    assert draft_files(server) == before_files
    assert live(server, device)["content_version"] == before_live
    assert leftovers(server) == []
    again = upload(http, server, draft, title_ko="꽉 찬 디스크", file=files["noisy.mp4"])
    assert again.status_code == 303, again.text[-1500:]


def stored(server: ServerProcess, data: bytes) -> bool:
    """Whether the server's store holds these bytes (the file, and its `assets` row)."""
    from server.db.models import Asset

    sha = hashlib.sha256(data).hexdigest()
    with server.database() as db, db.read() as session:
        row = session.get(Asset, sha)
    on_disk = (server.data_dir / "assets" / sha[:2] / sha).is_file()
    assert on_disk == (row is not None), f"file and row disagree for {sha}"
    return on_disk


def uploaded_promotion(
    http: requests.Session, server: ServerProcess, draft: str, file: Path
) -> tuple[str, str]:
    """`file` uploaded as a promotion: its key and the file's path in the pack."""
    r = upload(http, server, draft, title_ko="지울 홍보", file=file)
    assert r.status_code == 303, r.text[-1500:]
    promotion, _ = newest_in_draft(server, "promotions")
    return promotion["id"], promotion["asset"]


def removed_from_draft(
    http: requests.Session, server: ServerProcess, draft: str, *items: Any
) -> None:
    from server import drafts

    for section, key in items:
        with server.database() as db:
            opened = drafts.current(db)
            assert opened is not None
            item = opened.item(section, key)
            assert item is not None
        revision = str(item.revision)
        form = {"draft": draft, "section": section, "key": key, "revision": revision}
        assert post_form(http, server, "/staff/content/draft/item/remove", form).status_code == 303


def test_files_no_version_or_draft_names_are_removed_but_never_one_a_version_needs(
    server: ServerProcess, device: EnrolledDevice, files: dict[str, Path]
) -> None:
    """A picture published then dropped stays (the version before needs it for a rollback); a
    clip uploaded and dropped before publishing goes at the publish; a discarded draft's upload
    goes at the discard. Every file of every version stays on disk."""
    http = signed_in_session(server, ADMIN)
    poster, clip, flyer = (files[n].read_bytes() for n in ("poster.png", "noisy.mp4", "flyer.png"))
    draft = fresh_draft(http, server)
    poster_key, poster_path = uploaded_promotion(http, server, draft, files["poster.png"])
    published = post(http, server, "/staff/content/draft/publish", draft=draft)
    assert published.status_code == 303, published.text[-3000:]

    draft = fresh_draft(http, server)
    clip_key, clip_path = uploaded_promotion(http, server, draft, files["noisy.mp4"])
    dropped = [("promotions", poster_key), ("files", poster_path)]
    dropped += [("promotions", clip_key), ("files", clip_path)]
    removed_from_draft(http, server, draft, *dropped)
    assert post(http, server, "/staff/content/draft/publish", draft=draft).status_code == 303
    assert poster_path not in {f["path"] for f in live(server, device)["files"]}
    assert stored(server, poster)  # the version before still names it
    assert not stored(server, clip)

    draft = fresh_draft(http, server)
    uploaded_promotion(http, server, draft, files["flyer.png"])
    assert stored(server, flyer)
    assert post(http, server, "/staff/content/draft/discard", draft=draft).status_code == 303
    assert not stored(server, flyer)
    assert stored(server, poster)
    from server.db.models import Manifest

    with server.database() as db, db.read() as session:
        bodies = list(session.scalars(select(Manifest.body)))
    for body in bodies:
        for entry in json.loads(body)["files"]:
            sha = entry["sha256"]
            assert (server.data_dir / "assets" / sha[:2] / sha).is_file(), entry["path"]


def test_only_content_staff_with_the_forms_token_may_upload(
    server: ServerProcess, files: dict[str, Path]
) -> None:
    admin = signed_in_session(server, ADMIN)
    draft = fresh_draft(admin, server)
    before = draft_files(server)
    viewer = signed_in_session(server, VIEWER)
    get(viewer, server, MEDIA, status=403)
    r = viewer.post(
        f"{server.url}{MEDIA}",
        files={"file": ("poster.png", files["poster.png"].read_bytes())},
        data={"draft": draft, "title_ko": "x"},
        timeout=30,
    )
    assert r.status_code == 403
    no_token = admin.post(
        f"{server.url}{MEDIA}",
        files={"file": ("poster.png", files["poster.png"].read_bytes())},
        data={"draft": draft, "title_ko": "x"},
        timeout=30,
    )
    assert no_token.status_code == 403 and "양식이 만료" in no_token.text
    assert draft_files(server) == before


def test_the_upload_page_in_the_browser_refuses_broken_subtitles_then_takes_the_clip(
    server: ServerProcess, browser: Any, files: dict[str, Path]
) -> None:
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    sign_in(browser, server, ADMIN, "/staff/content/draft")
    link = browser.find_element(By.ID, "upload-media")
    link.click()
    wait_for_next_page(browser, link)

    def fill(subtitles: Path) -> None:
        browser.find_element(By.ID, "purpose-video").click()
        title = browser.find_element(By.ID, "field-title_ko")
        title.clear()
        title.send_keys("골목길 안전 영상")
        description = browser.find_element(By.ID, "field-description_ko")
        description.clear()
        description.send_keys("밤길을 안전하게 걷는 법")
        browser.find_element(By.ID, "field-file").send_keys(str(files["clip.mp4"]))
        browser.find_element(By.ID, "field-subtitles").send_keys(str(subtitles))
        button = browser.find_element(By.ID, "upload-media")
        button.click()
        wait_for_next_page(browser, button)

    fill(files["broken.vtt"])
    error = browser.find_element(By.ID, "error-subtitles")
    assert "자막 파일을 읽을 수 없습니다" in error.text and "3번째 줄" in error.text
    assert browser.find_element(By.ID, "field-subtitles").get_attribute("aria-invalid") == "true"
    page_errors(browser)  # the refusal's 400, read and left behind
    fill(files["good.vtt"])
    assert "/staff/content/draft/video?key=video-" in browser.current_url
    assert "골목길 안전 영상" in text_of(browser)
    assert page_errors(browser) == []


def test_a_videos_words_and_subtitles_are_edited_in_its_form_audited_and_a_second_editor_is_told(
    server: ServerProcess, browser: Any, files: dict[str, Path]
) -> None:
    """After its upload, a video's title, description and subtitles are changed in its form in
    the browser: the words saved, a new .vtt uploaded from the form replaces the subtitles (a
    broken one refused beside its field), each change audited; a save from a form opened before
    another editor's save is refused with 409 and overwrites nothing."""
    from server import audit, drafts

    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    sent = {"purpose": "video", "title_ko": "첫 제목", "description_ko": "첫 설명"}
    r = upload(http, server, draft, **sent, file=files["clip.mp4"], subtitles=files["good.vtt"])
    assert r.status_code == 303, r.text[-1500:]
    sign_in(browser, server, ADMIN, r.headers["location"])
    still = browser.find_element(By.CSS_SELECTOR, ".video-still img")
    assert browser.execute_script("return arguments[0].naturalWidth", still) == 640
    title = browser.find_element(By.ID, "field-title_ko")
    title.clear()
    title.send_keys("골목길 안전 영상")
    description = browser.find_element(By.ID, "field-description_ko")
    description.clear()
    description.send_keys("밤길을 안전하게 걷는 법을 알려 드립니다.")
    save = browser.find_element(By.ID, "save-video")
    save.click()
    wait_for_next_page(browser, save)
    video, _entries = newest_in_draft(server, "videos")
    assert (video["title"]["ko"], video["description"]["ko"]) == (
        "골목길 안전 영상",
        "밤길을 안전하게 걷는 법을 알려 드립니다.",
    )
    old_subtitles = video["subtitles"]

    browser.get(f"{server.url}/staff/content/draft/video?key={video['id']}")
    browser.find_element(By.ID, "field-new_subtitles").send_keys(str(files["broken.vtt"]))
    button = browser.find_element(By.ID, "upload-subtitles")
    button.click()
    wait_for_next_page(browser, button)
    assert "자막 파일을 읽을 수 없습니다" in browser.find_element(By.ID, "error-new_subtitles").text
    assert newest_in_draft(server, "videos")[0]["subtitles"] == old_subtitles
    page_errors(browser)  # the refusal's 400, read and left behind
    new_vtt = files["good.vtt"].parent / "new.vtt"
    new_vtt.write_text(GOOD_VTT.replace("안녕하세요", "어서 오세요"), encoding="utf-8")
    browser.find_element(By.ID, "field-new_subtitles").send_keys(str(new_vtt))
    button = browser.find_element(By.ID, "upload-subtitles")
    button.click()
    wait_for_next_page(browser, button)
    video, entries = newest_in_draft(server, "videos")
    assert video["subtitles"] != old_subtitles
    assert entries[video["subtitles"]]["sha256"] == hashlib.sha256(new_vtt.read_bytes()).hexdigest()
    assert video["title"]["ko"] == "골목길 안전 영상"

    # Opened here, then saved by another editor: this form's save is refused.
    browser.get(f"{server.url}/staff/content/draft/video?key={video['id']}")
    other = {
        "draft": draft,
        "key": video["id"],
        "title_ko": "다른 직원의 제목",
        "description_ko": "다른 직원의 설명",
        "subtitles": video["subtitles"],
    }
    with server.database() as db:
        opened = drafts.current(db)
        assert opened is not None
        item = opened.item("videos", video["id"])
        assert item is not None
    other["revision"] = str(item.revision)
    assert post_form(http, server, "/staff/content/draft/video", other).status_code == 303
    title = browser.find_element(By.ID, "field-title_ko")
    title.clear()
    title.send_keys("늦게 저장한 제목")
    save = browser.find_element(By.ID, "save-video")
    save.click()
    wait_for_next_page(browser, save)
    assert "먼저 저장했습니다" in text_of(browser)
    assert newest_in_draft(server, "videos")[0]["title"]["ko"] == "다른 직원의 제목"
    page_errors(browser)
    with server.database() as db:
        saved = [
            (e.actor, str(e.after))
            for e in audit.events(db)
            if e.action == "content.draft_save" and video["id"] in str(e.after)
        ]
    # Newest first: the other editor's words, the subtitles replaced, the words saved.
    assert [actor for actor, _after in saved] == [ADMIN.name] * 3
    assert "자막" in saved[1][1] and "제목" in saved[2][1] and "설명" in saved[2][1], saved


@pytest.mark.parametrize(
    ("name", "words"),
    [("rotated.mp4", "90도 돌려서 보이기"), ("moving.gif", "움직이는 그림")],
    ids=["rotation-tag", "animated-gif"],
)
def test_the_upload_page_in_the_browser_refuses_a_turned_clip_or_a_moving_picture(
    server: ServerProcess, browser: Any, files: dict[str, Path], name: str, words: str
) -> None:
    http = signed_in_session(server, ADMIN)
    fresh_draft(http, server)
    before = draft_files(server)
    sign_in(browser, server, ADMIN, MEDIA)
    browser.find_element(By.ID, "field-title_ko").send_keys("돌아간 영상")
    browser.find_element(By.ID, "field-file").send_keys(str(files[name]))
    button = browser.find_element(By.ID, "upload-media")
    button.click()
    wait_for_next_page(browser, button)
    assert words in browser.find_element(By.ID, "error-file").text
    assert browser.find_element(By.ID, "field-file").get_attribute("aria-invalid") == "true"
    assert draft_files(server) == before
    assert leftovers(server) == [] and landing(server) == []


def test_a_clip_uploaded_for_some_devices_is_targeted_and_its_form_shows_it(
    server: ServerProcess, files: dict[str, Path]
) -> None:
    from server import audit, groups

    with server.database() as db:
        groups.create(
            db, "lobby-boards", "로비 전광판", audit.Actor("cli:test", audit.COMMAND_LINE)
        )
    http = signed_in_session(server, ADMIN)
    draft = fresh_draft(http, server)
    r = upload(
        http,
        server,
        draft,
        purpose="video",
        title_ko="로비에서만 보는 안내",
        description_ko="로비 전광판이 있는 신당동 기기에만 갑니다.",
        file=files["clip.mp4"],
        groups=["lobby-boards"],
        dongs=["sindang", "pil"],
    )
    assert r.status_code == 303, r.text[-2000:]
    video, _ = newest_in_draft(server, "videos")
    assert video["groups"] == ["lobby-boards"] and video["dongs"] == ["sindang", "pil"]
    form = get(http, server, r.headers["location"].removeprefix(server.url))
    assert 'name="groups" value="lobby-boards" checked' in form
    assert 'name="dongs" value="pil" checked' in form
