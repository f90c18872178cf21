"""Points for a survey and a contest vote counted once, as residents meet them: kiosks on a real
reference server process (one for the module), each with its own data directory and the app's
real sync worker, driven by taps (the kiosks and their helpers are test_civic_server's).

- a survey with 포인트 받기: the thank-you promises the points as the server will credit them,
  then says they were credited once the server answered; the same resident at another kiosk,
  offline, is promised nothing more than the server's check, and told once it answered that
  the points were earned already; an anonymous answer earns and promises nothing. The ledger
  holds the points once, the report counts the three answers;
- a contest whose vote is one per resident: 본인 확인 at the vote; a second vote at the same
  kiosk is refused there, offline; one at another kiosk reaches the server, which counts the
  first only (as a ballot), and the second kiosk's thank-you says so.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.resident import find, on, shown, tap_name, words
from tests.integration.test_civic_server import (
    BIRTH,
    PHONE,
    SYNC_TIMEOUT_MS,
    Kiosk,
    identify,
    make_kiosk,  # noqa: F401 - a fixture
    make_pack,
    points_ledger,
    synced,
    went_offline,
)
from tests.sync.reference_server import ReferenceServer

DIGITAL, ALLEY = "2026-senior-digital", "2026-alley-photo"
SURVEY_POINTS, VOTE_POINTS = 500, 200
PENDING = "참여 포인트 500점은 구청 서버에서 확인한 뒤 적립됩니다."
ALREADY = "이 항목의 포인트는 이미 받으셨습니다."
NOT_COUNTED = "처음 참여하신 것만 셉니다."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceServer]:
    """One server for the module, on the demo pack with its contest's vote one per resident."""
    root = tmp_path_factory.mktemp("points")
    srv = ReferenceServer(root / "server")
    srv.start()
    pack = make_pack(root / "packs", "points-v1", vote_closes=datetime.now(UTC) + timedelta(days=1))
    path = pack / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    now = datetime.now(UTC)
    for item in manifest["surveys"] + manifest["contests"]:
        item["opens_at"] = (now - timedelta(days=10)).isoformat()
        item["closes_at"] = (now + timedelta(days=10)).isoformat()
    [contest] = [c for c in manifest["contests"] if c["id"] == ALLEY]
    contest["vote"]["one_vote_per_resident"] = True
    path.write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    srv.publish(pack)
    yield srv
    srv.stop()


# -- a resident's taps ------------------------------------------------------------------------


def digital_survey_by_taps(qtbot, window) -> None:
    """From home: the digital survey answered, to its review."""
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"survey_{DIGITAL}")
    tap_name(qtbot, window, "startButton")
    for choice in ("70s", True, "kakao", 4):
        tap_name(qtbot, window, f"choice_{choice}")
        tap_name(qtbot, window, "flowNext")
    tap_name(qtbot, window, "flowNext")  # 배우고 싶은 것: optional, skipped
    tap_name(qtbot, window, "flowNext")  # 바라는 점: optional, skipped
    assert on(window) == "survey_review"


def with_points(qtbot, window) -> None:
    """보내기, 포인트 받기, 본인 확인: then the thank-you, kept on screen."""
    tap_name(qtbot, window, "submitButton")
    assert on(window) == "points_choice"
    assert "참여 포인트 500점을 받으시겠어요?" in words(window)
    tap_name(qtbot, window, "earnPoints")
    identify(qtbot, window, PHONE, BIRTH)
    assert on(window) == "thanks"
    tap_name(qtbot, window, "thanksStay")


def points_line(window) -> str:
    return find(window, "thanksPoints").text()


def answered(qtbot, kiosk: Kiosk, text: str) -> None:
    """The kiosk delivers its outbox; the thank-you then says `text` (read from the receipt)."""
    synced(qtbot, kiosk)
    qtbot.waitUntil(lambda: points_line(kiosk.window) == text, timeout=SYNC_TIMEOUT_MS)


# -- survey points once -----------------------------------------------------------------------


def test_survey_points_are_credited_once_and_an_anonymous_survey_earns_and_promises_nothing(
    qtbot,
    server,
    make_kiosk,  # noqa: F811 - the fixture
):
    first, second = make_kiosk("kiosk1"), make_kiosk("kiosk2")

    digital_survey_by_taps(qtbot, first.window)
    with_points(qtbot, first.window)
    assert points_line(first.window) == PENDING  # until the server answers
    answered(qtbot, first, "참여 포인트 500점이 적립되었습니다.")

    # The same resident at another kiosk, offline: promised only what the server will check.
    went_offline(qtbot, second)
    digital_survey_by_taps(qtbot, second.window)
    with_points(qtbot, second.window)
    assert points_line(second.window) == PENDING
    second.online()
    answered(qtbot, second, ALREADY)

    # Anonymous: 포인트 없이 보내기; the thank-you says nothing of points.
    tap_name(qtbot, first.window, "thanksHome")
    digital_survey_by_taps(qtbot, first.window)
    tap_name(qtbot, first.window, "submitButton")
    tap_name(qtbot, first.window, "earn_anonymous")
    assert on(first.window) == "thanks"
    assert not shown(first.window, "thanksPoints") and "포인트" not in words(first.window)
    synced(qtbot, first)
    sent = [first.ctx.outbox.get(s.id) for s in server.submissions(first.settings.device_id())]
    sealed = [q.envelope.sealed_identity is not None for q in sent if q is not None]
    assert sealed == [True, False]

    # The ledger holds the points once; both identified answers are in its history.
    ledger = points_ledger(server, first)
    surveys = [line for line in ledger["history"] if line["kind"] == "survey_response"]
    assert sorted(line["points"] for line in surveys) == [0, SURVEY_POINTS]
    # The report counts all three answers (points or not: each is an answer).
    header, *rows = csv.reader(io.StringIO(server.cli("report")))
    [total] = [row for row in rows if row[0] == "합계"]
    assert total[header.index("설문 응답")] == "3"


# -- a contest vote counted once across kiosks ---------------------------------------------------


def contest_vote_by_taps(qtbot, window) -> None:
    """From home: the contest's vote, two entries, the review, 투표하기, 본인 확인."""
    tap_name(qtbot, window, "tile_surveys")
    tap_name(qtbot, window, f"contest_{ALLEY}")
    tap_name(qtbot, window, "voteButton")
    for entry in ("market", "ginkgo"):
        tap_name(qtbot, window, f"entry_{entry}")
    tap_name(qtbot, window, "flowNext")
    assert on(window) == "contest_vote_review"
    tap_name(qtbot, window, "submitButton")
    # One vote per resident: 본인 확인 is the vote's own step (no 포인트 받기 choice).
    assert on(window) == "identity"
    assert "이 공모의 투표는 한 사람에 한 번입니다" in words(window)
    identify(qtbot, window, PHONE, BIRTH)


def contest_votes(server: ReferenceServer) -> list[tuple[str, int, str | None]]:
    """(device, counted, note) of every contest vote the server stored."""
    import contextlib
    import sqlite3

    uri = f"{server.db_path.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(
            "SELECT device_id, counted, note FROM submissions WHERE kind = 'contest_vote'"
            " ORDER BY received_at"
        ).fetchall()


def test_a_contest_vote_is_counted_once_across_two_kiosks(
    qtbot,
    server,
    make_kiosk,  # noqa: F811 - the fixture
):
    first, second = make_kiosk("kiosk3"), make_kiosk("kiosk4")
    went_offline(qtbot, first)
    went_offline(qtbot, second)

    contest_vote_by_taps(qtbot, first.window)
    assert on(first.window) == "thanks"
    assert "200점" in points_line(first.window)
    tap_name(qtbot, first.window, "thanksHome")
    # Again at the same kiosk, still offline: refused here, by this kiosk's one-vote record.
    contest_vote_by_taps(qtbot, first.window)
    assert on(first.window) == "identity"
    assert (
        "이 공모에는 이 기기에서 이미 투표하셨습니다" in find(first.window, "problemMessage").text()
    )
    assert first.envelopes() == 1

    contest_vote_by_taps(qtbot, second.window)  # at another kiosk, which cannot know
    assert on(second.window) == "thanks"
    tap_name(qtbot, second.window, "thanksStay")
    assert second.envelopes() == 1

    first.online()
    synced(qtbot, first)
    second.online()
    answered(qtbot, second, NOT_COUNTED)
    votes = contest_votes(server)
    assert [counted for _, counted, _ in votes] == [1, 0]
    assert votes[0][0] == first.settings.device_id()
    assert (votes[1][2] or "").startswith("duplicate resident: this resident's vote in contest")
    ledger = points_ledger(server, first)
    assert sum(line["points"] for line in ledger["history"] if line["kind"] == "contest_vote") == (
        VOTE_POINTS
    )
