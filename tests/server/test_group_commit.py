"""Group commit (server.group_commit): batches that wait while a transaction commits share the
next one; a batch that fails its group fails no other; every caller gets its own answer."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from contract.wire import EnrollRequest
from server import auth
from server.audit import Actor
from server.bench import sample_envelope
from server.db import ServerDatabase, open_database
from server.db.models import Submission
from server.group_commit import GroupCommit
from server.ingest import REJECTED, SUBMISSIONS, Ingest, _Batch, insert_ignoring
from server.keys import ensure_keys

WAIT_S = 10


class Store:
    """A `run` that records its groups; the first group waits until `release` is set."""

    def __init__(self, failing: frozenset[int] = frozenset()) -> None:
        self.groups: list[list[int]] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.failing = failing

    def run(self, jobs: Sequence[int]) -> list[int]:
        self.groups.append(list(jobs))
        if len(self.groups) == 1:
            self.started.set()
            assert self.release.wait(WAIT_S)
        if self.failing & set(jobs):
            raise ValueError(f"cannot store {sorted(self.failing & set(jobs))}")
        return [job * 10 for job in jobs]


def waiting_behind_the_first(commits: GroupCommit[int, int], pool: ThreadPoolExecutor) -> list:
    """Job 0 in its transaction, jobs 1-5 submitted meanwhile and waiting."""
    store = commits.run.__self__  # type: ignore[attr-defined]
    first = pool.submit(commits.submit, 0)
    assert store.started.wait(WAIT_S)
    later = [pool.submit(commits.submit, job) for job in range(1, 6)]
    while len(commits._queue) < 5:  # noqa: SLF001 - the test waits for the queue it built
        threading.Event().wait(0.01)
    store.release.set()
    return [first, *later]


def test_batches_that_arrive_during_a_commit_share_the_next_transaction() -> None:
    store = Store()
    commits: GroupCommit[int, int] = GroupCommit(store.run)
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = waiting_behind_the_first(commits, pool)
        assert [f.result(WAIT_S) for f in futures] == [0, 10, 20, 30, 40, 50]
    assert store.groups == [[0], [1, 2, 3, 4, 5]]
    # Quiet again: the next batch is stored at once, alone.
    assert commits.submit(6) == 60
    assert store.groups[-1] == [6]


def test_a_batch_that_fails_its_group_fails_no_other() -> None:
    store = Store(failing=frozenset({3}))
    commits: GroupCommit[int, int] = GroupCommit(store.run)
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = waiting_behind_the_first(commits, pool)
        answers = {job: f for job, f in enumerate(futures)}
        for job in (0, 1, 2, 4, 5):
            assert answers[job].result(WAIT_S) == job * 10
        with pytest.raises(ValueError, match=r"cannot store \[3\]"):
            answers[3].result(WAIT_S)
    # The group of five failed as a whole, then each was stored alone.
    assert store.groups[1] == [1, 2, 3, 4, 5]
    assert store.groups[2:] == [[1], [2], [3], [4], [5]]


def test_a_group_is_never_larger_than_its_bound() -> None:
    store = Store()
    commits: GroupCommit[int, int] = GroupCommit(store.run, max_group=2)
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = waiting_behind_the_first(commits, pool)
        assert [f.result(WAIT_S) for f in futures] == [0, 10, 20, 30, 40, 50]
    assert store.groups == [[0], [1, 2], [3, 4], [5]]


# -- the ingest's groups (server.ingest) ---------------------------------------------------


def test_a_group_judges_each_batch_against_the_stored_envelopes_and_the_earlier_batches(
    tmp_path: Path,
) -> None:
    """One group of three batches: device A's envelope, device B's under the same id (ids are
    per device: stored too), then A's again (a duplicate with the first receipt), beside an
    envelope A stored in an earlier transaction (a duplicate as well)."""
    database = open_database(str(tmp_path / "server.sqlite3"))
    try:
        keys = ensure_keys(database, tmp_path / "keys")
        a, b = (_approved_device(database, keys.public_key, name) for name in ("A", "B"))
        ingest = Ingest(database, keys)
        earlier, shared = sample_envelope(1), sample_envelope(2)
        ingest.ingest(a, [earlier])
        now = datetime.now(UTC)
        group = [
            _Batch(device, [ingest._read(item, device, now) for item in items], now, None)  # noqa: SLF001
            for device, items in ((a, [shared]), (b, [shared]), (a, [shared, earlier]))
        ]
        first, other_device, again = ingest._store_group(group)  # noqa: SLF001
        assert [r.status for r in first] == ["accepted"]
        assert [r.status for r in other_device] == ["accepted"]
        assert [r.status for r in again] == ["duplicate", "duplicate"]
        assert again[0].receipt == first[0].receipt
        with database.read() as session:
            rows = session.execute(select(Submission.device_id, Submission.id)).all()
        assert sorted(rows) == sorted(
            [
                (a, uuid.UUID(earlier["id"])),
                (a, uuid.UUID(shared["id"])),
                (b, uuid.UUID(shared["id"])),
            ]
        )
    finally:
        database.close()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_ingests_conflict_inserts_are_compiled_once_each(dialect: str) -> None:
    """SQLAlchemy caches no dialect INSERT ... ON CONFLICT by itself; insert_ignoring's do have
    a cache key, the same for the same statement and another for another table or target."""
    submissions = insert_ignoring(dialect, SUBMISSIONS, ("device_id", "id"), returning="id")
    refusals = insert_ignoring(dialect, REJECTED, ("envelope_id", "device_id", "body_sha256"))
    keys = [stmt._generate_cache_key() for stmt in (submissions, refusals)]  # noqa: SLF001
    assert all(key is not None for key in keys)
    assert keys[0].key != keys[1].key
    again = insert_ignoring(dialect, SUBMISSIONS, ("device_id", "id"), returning="id")
    assert again._generate_cache_key().key == keys[0].key  # noqa: SLF001
    module = postgresql if dialect == "postgresql" else sqlite
    plain = module.insert(SUBMISSIONS).on_conflict_do_nothing(index_elements=["device_id", "id"])
    assert plain._generate_cache_key() is None  # noqa: SLF001 - why insert_ignoring exists
    compiled = str(submissions.compile(dialect=module.dialect()))
    assert "ON CONFLICT (device_id, id) DO NOTHING" in compiled


def _approved_device(database: ServerDatabase, public_key: str, name: str) -> str:
    code = auth.new_enrollment_code(database, hours=1)
    request = EnrollRequest(enrollment_code=code.code, name=name, mode="kiosk", app_version="t")
    device = auth.enroll(database, request, public_key)
    auth.approve(database, device.device_id, Actor.command_line())
    return device.device_id
