"""One resident, one count, as residents meet it: kiosks on the demo content from a real
reference server process, each with its own data directory and the app's real sync worker (a
plain thread, reaching the server through a proxy the test can cut to take the kiosk offline),
driven by taps.

- a ballot by taps within the budget reaches the server once, and once the vote has closed the
  kiosk shows the server's ranking;
- the same resident again: refused at the same kiosk offline; at a second kiosk offline both
  ballots reach the server, one counts, the other's receipt says duplicate, points once;
- 100 residents agree across two kiosks: both show '정책 검토 대상' after their next sync, and
  until then each says which part of its count the server has not confirmed;
- after a full session with the app's logs in the data directory, neither the phone number nor
  the birth date is anywhere on the device in any common form.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.app import open_context, setup_logging
from kiosk.config import KioskConfig
from kiosk.context import AppContext
from kiosk.domain.identity import ResidentIdentity
from kiosk.paths import asset_path
from kiosk.services import Identified
from kiosk.services.sync_link import SyncLink, start_sync_link
from kiosk.store.db import open_database
from kiosk.store.published_counts import CountsStore
from kiosk.store.settings import DeviceSettings
from kiosk.ui.fonts import load_bundled_fonts
from kiosk.ui.idle import IdleMonitor
from kiosk.ui.navigation import Route
from kiosk.ui.screens import proposals
from kiosk.ui.shell import KioskWindow
from sync.client import Timeouts
from sync.ledger import ledger_request
from sync.worker import (
    SERVER_PUBLIC_KEY_KEY,
    SERVER_URL_KEY,
    TOKEN_KEY,
    SyncState,
    SyncTuning,
    enroll_device,
)
from tests.helpers.resident import find, on, shown, tap, tap_name, words
from tests.helpers.resident import identify as identify_by_taps
from tests.helpers.stubs import FakeMonotonic
from tests.sync.proxy import PASS, Fault, FaultProxy
from tests.sync.reference_server import ReferenceServer

TUNING = SyncTuning(
    backoff_base_s=0.05,
    backoff_cap_s=0.5,
    timeouts=Timeouts(connect_s=1.0, read_s=5.0),
    idle_check_s=0.05,
    heartbeat_every_s=60.0,
    content_every_s=600.0,
)
SYNC_TIMEOUT_MS = 15_000
PHONE, BIRTH = "01012345678", "19500101"
PROPOSAL = "busking-myeong"  # published with no agrees: 100 residents reach the threshold


# -- the server and its content -----------------------------------------------------------------


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ReferenceServer]:
    srv = ReferenceServer(tmp_path / "server")
    srv.start()
    yield srv
    srv.stop()


def make_pack(root: Path, version: str, *, vote_closes: datetime) -> Path:
    """The demo pack with dates around now: proposals open, the vote open until
    `vote_closes`, and PROPOSAL with no agrees yet."""
    now = datetime.now(UTC)
    dest = root / version
    shutil.copytree(asset_path("demo"), dest, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = dest / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["content_version"] = version
    manifest["published_at"] = (now - timedelta(hours=1)).isoformat()
    for p in manifest["proposals"]:
        p["deadline"] = (now + timedelta(days=20)).isoformat()
        if p["id"] == PROPOSAL:
            p["agree_count"] = 0
    manifest["budget"]["opens_at"] = (now - timedelta(days=1)).isoformat()
    manifest["budget"]["closes_at"] = vote_closes.isoformat()
    manifest["budget"].pop("results", None)
    path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return dest


def publish(server: ReferenceServer, root: Path, version: str, **kw: Any) -> None:
    kw.setdefault("vote_closes", datetime.now(UTC) + timedelta(days=1))
    server.publish(make_pack(root, version, **kw))


def tallies(server: ReferenceServer) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(server.cli("tallies", "--json"))
    return result


def myeong_ballots(server: ReferenceServer) -> dict[str, Any]:
    [dong] = [b for b in tallies(server)["ballots"] if b["dong"] == "myeong"]
    return dong


# -- kiosks -----------------------------------------------------------------------------------


@dataclass
class Kiosk:
    """A kiosk window with its own data directory, sync worker and network line."""

    name: str
    data_dir: Path
    ctx: AppContext
    window: KioskWindow
    controller: SyncLink
    line: FaultProxy

    @property
    def settings(self) -> DeviceSettings:
        return DeviceSettings(self.ctx.db)

    def offline(self) -> None:
        """The network goes: every connection is refused."""
        self.line.switch(lambda _line: Fault(refuse=True))

    def online(self) -> None:
        self.line.switch(lambda _line: PASS)

    def envelopes(self) -> int:
        return sum(self.ctx.outbox.counts_by_status().values())


@pytest.fixture
def make_kiosk(qtbot, server: ReferenceServer, tmp_path: Path) -> Iterator[Any]:
    """make_kiosk(name, logs=False) -> an enrolled kiosk on the server's content, online."""
    load_bundled_fonts()
    made: list[Kiosk] = []
    handlers_before = list(logging.getLogger().handlers)
    level_before = logging.getLogger().level

    def make(name: str, *, logs: bool = False) -> Kiosk:
        data_dir = tmp_path / name
        if logs:
            setup_logging(data_dir)  # as the app's main() does, before anything else
            logging.getLogger().setLevel(logging.DEBUG)  # stricter than the app's INFO
        line = FaultProxy(server.port)
        with open_database(data_dir) as db:
            settings = DeviceSettings(db)
            enrolment = enroll_device(
                settings, server.url, server.enroll_code(), name=name, mode="kiosk"
            )
            server.approve(enrolment.device_id)
            settings.set(SERVER_URL_KEY, line.url)  # from now on through its own line
        ctx = open_context(KioskConfig(data_dir=data_dir, dong="myeong"))
        ctx.open_store()
        idle = IdleMonitor(
            ctx.config.idle_timeout_s, ctx.config.idle_warning_s, monotonic=FakeMonotonic()
        )
        window = KioskWindow(ctx, idle=idle)
        qtbot.addWidget(window)
        window.resize(1080, 1920)
        window.show()
        window.start()
        qtbot.waitExposed(window)
        controller = start_sync_link(ctx, tuning=TUNING)
        assert controller is not None
        window.attach_sync(controller)
        kiosk = Kiosk(name, data_dir, ctx, window, controller, line)
        made.append(kiosk)
        # An enrolled kiosk shows the server's content once its first sync brought it.
        qtbot.waitUntil(lambda: ctx.pack is not None, timeout=SYNC_TIMEOUT_MS)
        synced(qtbot, kiosk)
        assert on(window) == "home"
        return kiosk

    yield make
    for kiosk in made:
        kiosk.controller.stop()
        kiosk.line.close()
        kiosk.ctx.close()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler not in handlers_before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level_before)


def synced(qtbot, kiosk: Kiosk) -> None:
    """Ask for a sync (staff's 지금 동기화) and wait until a whole cycle after the request
    delivered the outbox and brought the counts; its reports reach the window."""
    asked = datetime.now(UTC)
    kiosk.controller.sync_now()

    def done() -> bool:
        published = CountsStore(kiosk.ctx.db).load()
        return (
            published is not None
            and published.as_of >= asked
            and kiosk.ctx.outbox.counts_by_status()["pending"] == 0
        )

    qtbot.waitUntil(done, timeout=SYNC_TIMEOUT_MS)
    kiosk.controller.deliver_reports()  # the reports of that cycle, at once


def went_offline(qtbot, kiosk: Kiosk) -> None:
    kiosk.offline()
    kiosk.controller.sync_now()
    qtbot.waitUntil(
        lambda: kiosk.controller.status.state == SyncState.OFFLINE, timeout=SYNC_TIMEOUT_MS
    )


# -- a resident's taps ------------------------------------------------------------------------


def identify(qtbot, window, phone: str = PHONE, birth: str = BIRTH) -> None:
    """본인 확인 by taps, as this module's resident by default."""
    identify_by_taps(qtbot, window, phone, birth)


def chosen(window) -> list[str]:
    return [b.objectName() for b in window.current_screen.choices if b.selected]


def ballot_by_taps(qtbot, window, phone: str = PHONE, birth: str = BIRTH) -> None:
    """From home: 주민참여예산, 투표하기, 명동, three projects within the budget, review,
    identity."""
    tap_name(qtbot, window, "tile_budget")
    tap_name(qtbot, window, "voteButton")
    tap_name(qtbot, window, "dong_myeong")
    assert on(window) == "budget_projects"
    for project in ("myeong-lights", "myeong-benches", "myeong-recycling"):
        tap_name(qtbot, window, f"project_{project}")
    tap_name(qtbot, window, "flowNext")
    assert on(window) == "budget_review"
    tap_name(qtbot, window, "submitButton")
    identify(qtbot, window, phone, birth)


def agree_by_taps(qtbot, window, phone: str, birth: str) -> None:
    tap_name(qtbot, window, "tile_proposals")
    tap_name(qtbot, window, f"proposal_{PROPOSAL}")
    tap_name(qtbot, window, "agreeButton")
    identify(qtbot, window, phone, birth)
    assert on(window) == "thanks"
    tap_name(qtbot, window, "thanksHome")


def agree_in_code(kiosk: Kiosk, phone: str, birth: str) -> None:
    """What the identity keypad hands the 공감 flow, without the taps: the same identity, the
    same local key, and the same act the step runner then performs (which seals it)."""
    ctx = kiosk.ctx
    resident = ResidentIdentity.from_keypad(phone, birth, date.today())
    server_key = kiosk.settings.get(SERVER_PUBLIC_KEY_KEY)
    identified = Identified(
        resident.sealer(server_key), resident.local_key(kiosk.settings.local_secret())
    )
    kiosk.window.navigate(Route(proposals.DETAIL, {"proposal_id": PROPOSAL}))
    kiosk.window.current_screen.on_agree_clicked()
    step = kiosk.window.current_screen
    assert on(kiosk.window) == "identity"
    step.flow.identity = identified
    step.submit()
    assert on(kiosk.window) == "thanks"
    kiosk.window.go_home()
    assert ctx.outbox.counts_by_status()["dead"] == 0


def proposal_page(qtbot, window) -> tuple[str, str]:
    """From home: the proposal's status line and its count, as shown."""
    tap(qtbot, window.home_button)
    tap_name(qtbot, window, "tile_proposals")
    tap_name(qtbot, window, f"proposal_{PROPOSAL}")
    assert on(window) == "proposal"
    status = find(window, "agreeStatus").text()
    count = find(window, "agreeCount").text()
    tap(qtbot, window.home_button)
    return status, count


def resident(i: int) -> tuple[str, str]:
    return f"0107000{i:04d}", f"19{40 + i % 40}0{1 + i % 9}1{i % 9}"


# -- a -----------------------------------------------------------------------------------------


def test_a_ballot_by_taps_is_counted_once_and_the_server_ranking_shown(
    qtbot, server, make_kiosk, tmp_path
):
    publish(server, tmp_path / "packs", "civic-v1")
    kiosk = make_kiosk("kiosk1")
    window = kiosk.window
    tap_name(qtbot, window, "tile_budget")
    tap_name(qtbot, window, "voteButton")
    tap_name(qtbot, window, "dong_myeong")
    for project in ("myeong-lights", "myeong-benches", "myeong-recycling"):
        tap_name(qtbot, window, f"project_{project}")
    tap_name(qtbot, window, "project_myeong-mural")  # 1,900만원 more than the 100만원 left
    assert "예산을 넘습니다" in find(window, "problemMessage").text()
    assert "project_myeong-mural" not in chosen(window) and len(chosen(window)) == 3
    tap_name(qtbot, window, "flowNext")
    assert on(window) == "budget_review"
    tap_name(qtbot, window, "submitButton")
    identify(qtbot, window)
    assert on(window) == "thanks"
    assert kiosk.envelopes() == 1

    synced(qtbot, kiosk)
    [stored] = server.submissions(kiosk.settings.device_id() or "")
    assert kiosk.ctx.outbox.pending() == []
    counted = myeong_ballots(server)
    assert counted["voters"] == 1
    votes = {line["project_id"]: line["votes"] for line in counted["ranking"]}
    assert votes["myeong-lights"] == votes["myeong-benches"] == votes["myeong-recycling"] == 1
    assert sum(votes.values()) == 3
    queued = kiosk.ctx.outbox.get(stored.id)
    assert queued is not None and queued.receipt is not None and queued.receipt["counted"]

    # The vote closes; the pack has no results, the server's count does.
    tap_name(qtbot, window, "thanksHome")
    publish(server, tmp_path / "packs", "civic-v2", vote_closes=datetime.now(UTC))
    synced(qtbot, kiosk)
    assert kiosk.ctx.pack is not None and kiosk.ctx.pack.content_version == "civic-v2"
    tap_name(qtbot, window, "tile_budget")
    assert shown(window, "voteClosed")
    tap_name(qtbot, window, "resultsButton")
    tap_name(qtbot, window, "dong_myeong")
    assert on(window) == "budget_results"
    text = words(window)
    assert "투표한 주민 1명" in text
    assert text.count("1위 · 1표") == 3
    assert "선정" not in text  # the server counts votes; it does not say what is funded


# -- b -----------------------------------------------------------------------------------------


def test_a_second_ballot_is_refused_here_and_counted_once_from_elsewhere(
    qtbot, server, make_kiosk, tmp_path
):
    publish(server, tmp_path / "packs", "civic-v1")
    first, second = make_kiosk("kiosk1"), make_kiosk("kiosk2")
    went_offline(qtbot, first)
    went_offline(qtbot, second)

    ballot_by_taps(qtbot, first.window)
    assert on(first.window) == "thanks"
    tap_name(qtbot, first.window, "thanksHome")
    ballot_by_taps(qtbot, first.window)  # the same resident, the same kiosk, still offline
    assert on(first.window) == "identity"
    assert "이미 투표하셨습니다" in find(first.window, "problemMessage").text()
    assert not shown(first.window, "key_1")
    assert first.envelopes() == 1

    ballot_by_taps(qtbot, second.window)  # at another kiosk, which cannot know
    assert on(second.window) == "thanks"
    assert second.envelopes() == 1
    [at_first] = first.ctx.outbox.pending()
    [at_second] = second.ctx.outbox.pending()

    first.online()
    synced(qtbot, first)
    second.online()
    synced(qtbot, second)
    assert [s.id for s in server.submissions(first.settings.device_id() or "")] == [at_first.id]
    assert [s.id for s in server.submissions(second.settings.device_id() or "")] == [at_second.id]
    assert myeong_ballots(server)["voters"] == 1

    counted = first.ctx.outbox.get(at_first.id)
    duplicate = second.ctx.outbox.get(at_second.id)
    assert counted is not None and duplicate is not None
    assert counted.status == duplicate.status == "sent"
    assert counted.receipt is not None and counted.receipt["counted"] is True
    assert duplicate.receipt is not None and duplicate.receipt["counted"] is False
    assert "duplicate" in (duplicate.receipt.get("note") or "")

    # Points: the ballot earns once.
    ledger = points_ledger(server, first)
    assert ledger["balance"] == 1000
    earned = [line for line in ledger["history"] if line["points"] > 0]
    assert len(earned) == 1 and earned[0]["activity_id"] == str(at_first.id)
    assert {line["activity_id"] for line in ledger["history"]} == {
        str(at_first.id),
        str(at_second.id),
    }


def points_ledger(server: ReferenceServer, kiosk: Kiosk) -> dict[str, Any]:
    """POST /points/ledger as a kiosk asks it: the resident's identity sealed to the server,
    bound to this one request, made at the server's time as the kiosk knows it."""
    settings = kiosk.settings
    today = date.today()
    sealer = ResidentIdentity.from_keypad(PHONE, BIRTH, today).sealer(
        settings.get(SERVER_PUBLIC_KEY_KEY)
    )
    server_now = datetime.now(UTC) + timedelta(seconds=settings.clock_offset_s())
    request = ledger_request(sealer, server_now)
    answer = requests.post(
        f"{server.url}/api/v1/points/ledger",
        data=request.model_dump_json(),
        headers={
            "Authorization": f"Bearer {settings.get(TOKEN_KEY)}",
            "Content-Type": "application/json",
        },
        timeout=10,
    )
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


# -- c -----------------------------------------------------------------------------------------


def test_a_hundred_residents_at_two_kiosks_reach_the_threshold(qtbot, server, make_kiosk, tmp_path):
    publish(server, tmp_path / "packs", "civic-v1")
    first, second = make_kiosk("kiosk1"), make_kiosk("kiosk2")
    status, count = proposal_page(qtbot, first.window)
    assert status.startswith("0 / 100 · 100명 남음") and count == "공감 0명 (구청 서버 집계)"
    went_offline(qtbot, second)

    # Fifty residents at the first kiosk: one by taps, the rest through the same agree code.
    agree_by_taps(qtbot, first.window, *resident(0))
    for i in range(1, 50):
        agree_in_code(first, *resident(i))
    synced(qtbot, first)
    status, count = proposal_page(qtbot, first.window)
    assert status.startswith("50 / 100 · 50명 남음")
    assert count == "공감 50명 (구청 서버 집계)"

    # Fifty more at the second kiosk, offline: its count says which part is its own.
    agree_by_taps(qtbot, second.window, *resident(50))
    for i in range(51, 100):
        agree_in_code(second, *resident(i))
    status, count = proposal_page(qtbot, second.window)
    assert status.startswith("50 / 100 · 50명 남음")
    assert count == "구청 서버 집계 0명 + 이 기기에서 보낸 공감 50명 (확인 전)"

    second.online()
    synced(qtbot, second)
    [counted] = [p for p in tallies(server)["proposals"] if p["proposal_id"] == PROPOSAL]
    assert counted["counted"] == 100 and counted["reached"] is True
    status, count = proposal_page(qtbot, second.window)
    assert "정책 검토 대상" in status and count == "공감 100명 (구청 서버 집계)"
    # The first kiosk knows at its next sync.
    assert "정책 검토 대상" not in proposal_page(qtbot, first.window)[0]
    synced(qtbot, first)
    status, count = proposal_page(qtbot, first.window)
    assert status.startswith("100 / 100 · 정책 검토 대상")
    assert count == "공감 100명 (구청 서버 집계)"


# -- d -----------------------------------------------------------------------------------------

CLEAR_FORMS = (
    "01012345678",
    "010-1234-5678",
    "010 1234 5678",
    "010.1234.5678",
    "+821012345678",
    "12345678",
    "1234-5678",
    "19500101",
    "1950-01-01",
    "1950.01.01",
    "1950/01/01",
    "1950. 1. 1",
    "1950년 1월 1일",
)


def clear_text_on_disk(data_dir: Path) -> list[str]:
    found = []
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    for path in files:
        data = path.read_bytes()
        for form in CLEAR_FORMS:
            for encoding in ("utf-8", "utf-16-le"):
                if form.encode(encoding) in data:
                    found.append(f"{path.relative_to(data_dir)}: {form} ({encoding})")
    return found


def test_no_phone_number_or_birth_date_in_clear_anywhere_on_the_device(
    qtbot, server, make_kiosk, tmp_path
):
    publish(server, tmp_path / "packs", "civic-v1")
    kiosk = make_kiosk("kiosk1", logs=True)
    ballot_by_taps(qtbot, kiosk.window)
    assert on(kiosk.window) == "thanks"
    tap_name(qtbot, kiosk.window, "thanksHome")
    agree_by_taps(qtbot, kiosk.window, PHONE, BIRTH)
    ballot_by_taps(qtbot, kiosk.window)  # refused: the refusal path is logged too
    assert "이미 투표하셨습니다" in find(kiosk.window, "problemMessage").text()
    tap(qtbot, kiosk.window.home_button)
    synced(qtbot, kiosk)
    assert kiosk.ctx.outbox.counts_by_status()["sent"] == 2
    for handler in logging.getLogger().handlers:
        handler.flush()

    log_file = kiosk.data_dir / "logs" / "kiosk.log"
    assert "submission_queued kind=ballot" in log_file.read_text(encoding="utf-8")
    # While the app runs: the database, its WAL and shared memory, the logs, the content.
    files = {p.name for p in kiosk.data_dir.rglob("*") if p.is_file()}
    assert any(name.endswith("-wal") for name in files), files
    assert not clear_text_on_disk(kiosk.data_dir)
    # After the app ends, as a power cut or a clean exit leaves them.
    kiosk.controller.stop()
    kiosk.ctx.close()
    assert not clear_text_on_disk(kiosk.data_dir)


def test_the_search_finds_a_number_written_in_clear(tmp_path):
    """The search above can fail: a number in a log line or in UTF-16 is found."""
    (tmp_path / "a.log").write_text("전화 010-1234-5678 생일 1950.01.01", encoding="utf-8")
    (tmp_path / "b-wal").write_bytes(b"\x00\x01" + "19500101".encode("utf-16-le"))
    (tmp_path / "c.db").write_bytes(b"sealed:" + b"A" * 40)
    found = clear_text_on_disk(tmp_path)
    assert {line.split(":")[0] for line in found} == {"a.log", "b-wal"}
