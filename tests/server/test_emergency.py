"""server.emergency on SQLite and PostgreSQL: a notice ends at its `until` by itself, a cleared
one is cleared once, each process reads the notices in force at most once a second, and what a
device is answered depends on its dong."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server import audit, emergency
from server.db import ServerDatabase, open_database
from tests.helpers.stubs import FakeMonotonic
from tests.server.conftest import require_postgres
from tests.server.process import postgres_database

BY = audit.Actor("김관리", "127.0.0.1")
NOON = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerDatabase]:
    if request.param == "sqlite":
        opened = open_database(str(tmp_path / "server.sqlite3"))
        yield opened
        opened.close()
        return
    require_postgres()
    with postgres_database() as url:
        opened = open_database(url)
        yield opened
        opened.close()


def test_a_forgotten_notice_ends_at_its_time(db: ServerDatabase) -> None:
    posted = emergency.post(db, "대피하세요", "danger", None, 1, BY, now=NOON)

    assert [n.id for n in emergency.in_force(db, NOON + timedelta(minutes=59))] == [posted.id]
    assert emergency.in_force(db, NOON + timedelta(hours=1)) == []
    assert [n.id for n in emergency.history(db, NOON + timedelta(hours=1))] == [posted.id]
    with pytest.raises(emergency.EmergencyError, match="이미 내려간"):
        emergency.clear(db, posted.id, BY, now=NOON + timedelta(hours=2))


def test_a_notice_is_cleared_once(db: ServerDatabase) -> None:
    posted = emergency.post(db, "대피하세요", "danger", "sindang", 3, BY, now=NOON)

    cleared = emergency.clear(db, posted.id, BY, now=NOON + timedelta(minutes=5))

    assert cleared.cleared_by == "김관리" and not cleared.in_force(NOON + timedelta(minutes=6))
    with pytest.raises(emergency.EmergencyError):
        emergency.clear(db, posted.id, BY, now=NOON + timedelta(minutes=6))
    with pytest.raises(emergency.EmergencyError, match="없습니다"):
        emergency.clear(db, posted.id + 100, BY)


def test_each_process_reads_the_notices_at_most_once_a_second(db: ServerDatabase) -> None:
    mono = FakeMonotonic()
    cache = emergency.InForce(db, max_age_s=1.0, monotonic=mono)
    assert cache.get() == []

    emergency.post(db, "대피하세요", "danger", None, 3, BY)  # by another process

    assert cache.get() == []  # read 0 s ago
    mono.advance(1.0)
    assert [n.text for n in cache.get()] == ["대피하세요"]
    emergency.post(db, "주의하세요", "warning", None, 3, BY)
    cache.forget()  # this process posted it
    assert [n.text for n in cache.get()] == ["주의하세요", "대피하세요"]


def test_a_device_gets_every_devices_notices_and_its_dongs() -> None:
    def record(id: int, dong: str | None) -> emergency.NoticeRecord:
        return emergency.NoticeRecord(
            id, "공지", "warning", dong, NOON, "김관리", NOON + timedelta(hours=1), None, None
        )

    listed = [record(1, None), record(2, "sindang"), record(3, "hoehyeon")]

    grouped = emergency.NoticeRecord(
        4, "공지", "danger", None, NOON, "김관리", NOON + timedelta(hours=1), None, None, "apt"
    )
    assert not emergency.needs_groups(listed) and emergency.needs_groups([*listed, grouped])
    assert [n.id for n in emergency.for_device([grouped], None, frozenset({"apt"})).notices] == [4]
    assert emergency.for_device([grouped], None, frozenset({"other"})).notices == []
    assert [n.id for n in emergency.for_device(listed, "sindang").notices] == [1, 2]
    assert [n.id for n in emergency.for_device(listed, None).notices] == [1]
    one, other = emergency.for_device(listed, "sindang"), emergency.for_device(listed, "hoehyeon")
    assert emergency.etag_of(one) != emergency.etag_of(other)
    assert emergency.etag_of(one) == emergency.etag_of(emergency.for_device(listed, "sindang"))


def test_a_notice_targets_a_dong_or_a_group_never_both(db: ServerDatabase) -> None:
    with pytest.raises(emergency.EmergencyError):
        emergency.post(db, "대피하세요", "danger", "sindang", 1, BY, group="apt")
    posted = emergency.post(db, "대피하세요", "danger", None, 1, BY, group="apt")
    assert emergency.in_force(db)[0].group_key == "apt" == posted.group_key


def test_what_staff_type_is_checked_field_by_field() -> None:
    dongs = {"sindang"}
    assert emergency.problems("대피", "danger", "3", "sindang", dongs) == {}
    assert set(emergency.problems("", "red", "2", "x", dongs)) == {"text", "level", "hours", "dong"}
    assert "200자" in emergency.problems("가" * 201, "danger", "3", None, dongs)["text"]
