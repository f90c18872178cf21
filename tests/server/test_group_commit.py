"""Group commit (server.group_commit): batches that wait while a transaction commits share the
next one; a batch that fails its group fails no other; every caller gets its own answer."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from server.group_commit import GroupCommit

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
