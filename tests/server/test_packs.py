"""The content as one archive (contract.archive, server.packs): the demo generator's archive
loaded through the server's import (what `./dev demo` does), the same pack giving the same bytes,
an archive that unpacks too large or holds a link refused, and an import whose version name is
taken here becoming live under the next free name."""

from __future__ import annotations

import io
import json
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from contract.archive import archive_folder, extract_archive
from contract.pack import PackError
from contract.pack_signature import check_archive
from server import audit, content, drafts, groups, packs
from server.db import ServerDatabase, open_database
from tests.server.process import ROOT, ServerProcess

DEMO = ROOT / "assets" / "demo"
BY = audit.Actor("cli:test", audit.COMMAND_LINE)


def test_the_demo_generators_archive_goes_in_through_the_import_and_reaches_a_device(
    server: ServerProcess, tmp_path: Path
) -> None:
    archive = tmp_path / "demo-content.zip"
    made = subprocess.run(
        [sys.executable, str(DEMO / "make_demo_pack.py"), "--archive", str(archive)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr

    imported = server.cli("import-content", str(archive))
    again = server.cli("import-content", str(archive))

    assert "2026.11.25-demo: now live (58 files)" in imported.stdout
    assert "already live, unchanged" in again.stdout
    device = server.enroll()
    r = requests.get(f"{server.api}/content/manifest", headers=device.headers, timeout=10)
    assert r.json() == json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
    exported = tmp_path / "exported.zip"
    server.cli("export-content", str(exported))
    with zipfile.ZipFile(exported) as z, zipfile.ZipFile(archive) as d:
        # The export adds the server's signature: the same archive is a USB pack for a kiosk.
        assert sorted(z.namelist()) == sorted([*d.namelist(), "signature.json"])
        assert all(
            z.read(n) == d.read(n)
            for n in z.namelist()
            if n not in ("manifest.json", "signature.json")
        )
    assert device.content_public_key is not None
    assert check_archive(exported, device.content_public_key)


def test_the_same_pack_gives_the_same_archive_bytes() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    archive_folder(DEMO, first)
    archive_folder(DEMO, second)

    assert first.getvalue() == second.getvalue()
    names = zipfile.ZipFile(first).namelist()
    assert names[0] == "manifest.json" and len(names) == 59


def _zip(members: dict[str, bytes], link: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members.items():
            z.writestr(name, body)
        if link is not None:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return out.getvalue()


def test_an_archive_that_unpacks_too_large_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(_zip({"manifest.json": b"{}", "media/zeros.bin": b"\0" * 5_000_000}))
    into = tmp_path / "into"
    into.mkdir()

    with pytest.raises(PackError, match="1 MB보다 큽니다"):
        extract_archive(bomb, into, max_bytes=1024 * 1024)
    assert sum(f.stat().st_size for f in into.rglob("*") if f.is_file()) <= 1024 * 1024


def test_an_archive_holding_a_link_is_refused(tmp_path: Path) -> None:
    linked = tmp_path / "linked.zip"
    linked.write_bytes(_zip({"manifest.json": b"{}"}, link="media/passwd"))
    into = tmp_path / "into"
    into.mkdir()

    with pytest.raises(PackError, match="링크입니다"):
        extract_archive(linked, into)
    assert not (into / "media" / "passwd").exists()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[ServerDatabase]:
    opened = open_database(str(tmp_path / "server.sqlite3"))
    content.publish(opened, tmp_path / "assets", DEMO, BY)
    yield opened
    opened.close()


def _archive(tmp_path: Path, change: Any = None) -> Path:
    out = io.BytesIO()
    archive_folder(DEMO, out)
    data = out.getvalue()
    if change is not None:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = {n: z.read(n) for n in z.namelist()}
        document = json.loads(members["manifest.json"])
        change(document)
        members["manifest.json"] = json.dumps(document, ensure_ascii=False).encode("utf-8")
        data = _zip(members)
    path = tmp_path / "pack.zip"
    path.write_bytes(data)
    return path


def test_an_import_under_a_name_used_here_for_other_content_goes_live_under_a_new_name(
    db: ServerDatabase, tmp_path: Path
) -> None:
    def retitle(document: dict[str, Any]) -> None:
        document["promotions"][0]["title"]["ko"] = "다른 서버에서 고친 제목"

    done = packs.import_archive(db, tmp_path / "assets", _archive(tmp_path, retitle), BY, tmp_path)

    assert done.new and done.content_version == "2026.11.25-demo+r1"
    newest = content.newest_manifest(db)
    assert newest is not None and newest.content_version == done.content_version
    assert json.loads(newest.body)["promotions"][0]["title"]["ko"] == "다른 서버에서 고친 제목"
    assert [e.action for e in audit.events(db)][0] == "content.import"


def test_importing_an_older_version_makes_its_content_live_again(
    db: ServerDatabase, tmp_path: Path
) -> None:
    draft = drafts.start(db, BY)
    item = draft.item("promotions", "welcome")
    assert item is not None
    body = {**item.body, "priority": 42}
    drafts.save_item(db, draft.id, "promotions", "welcome", body, item.revision, BY)
    drafts.publish(db, draft.id, BY)

    done = packs.import_archive(db, tmp_path / "assets", _archive(tmp_path), BY, tmp_path)

    newest = content.newest_manifest(db)
    assert newest is not None and done.new and newest.content_version == "2026.11.25-demo+r2"
    welcome = next(p for p in json.loads(newest.body)["promotions"] if p["id"] == "welcome")
    assert welcome["priority"] == 0


def test_an_exported_archive_carries_its_groups_and_the_import_makes_those_missing(
    db: ServerDatabase, tmp_path: Path
) -> None:
    groups.create(db, "apt-a", "신당동 공동주택 A동", BY)
    groups.create(db, "unused", "아무 항목도 고르지 않은 묶음", BY)
    draft = drafts.start(db, BY)
    item = draft.item("surveys", "2026-senior-digital")
    assert item is not None
    body = {**item.body, "groups": ["apt-a"]}
    drafts.save_item(db, draft.id, "surveys", item.key, body, item.revision, BY)
    drafts.publish(db, draft.id, BY)
    out = io.BytesIO()
    packs.export_archive(db, tmp_path / "assets", out, BY)
    with zipfile.ZipFile(out) as z:
        carried = json.loads(z.read("groups.json"))
    # Key and name of what the content targets; never devices (another server's ids).
    assert carried == {"groups": [{"key": "apt-a", "name": "신당동 공동주택 A동"}]}

    elsewhere = open_database(str(tmp_path / "other.sqlite3"))
    try:
        groups.create(elsewhere, "apt-a-old", "다른 묶음", BY)
        archive = tmp_path / "moved.zip"
        archive.write_bytes(out.getvalue())
        done = packs.import_archive(elsewhere, tmp_path / "other-assets", archive, BY, tmp_path)
        again = packs.import_archive(elsewhere, tmp_path / "other-assets", archive, BY, tmp_path)
        made = groups.find(elsewhere, "apt-a")
        assert done.groups_made == ("apt-a",) and again.groups_made == ()
        assert made is not None and made.name == "신당동 공동주택 A동" and made.members == ()
        assert [e.action for e in audit.events(elsewhere)][:2] == [
            "groups.create",
            "content.import",
        ]
    finally:
        elsewhere.close()


def test_an_archive_with_an_unreadable_group_list_is_refused(
    db: ServerDatabase, tmp_path: Path
) -> None:
    with zipfile.ZipFile(_archive(tmp_path)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["groups.json"] = b'{"groups": [{"key": "Bad Key", "name": "x"}]}'
    archive = tmp_path / "bad-groups.zip"
    archive.write_bytes(_zip(members))
    with pytest.raises(packs.ImportRefused) as refused:
        packs.import_archive(db, tmp_path / "assets", archive, BY, tmp_path)
    assert "기기 묶음 목록을 읽을 수 없습니다: groups.0.key" in "\n".join(refused.value.problems)
    assert groups.find(db, "Bad Key") is None
