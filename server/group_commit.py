"""Group commit: the batches that arrive while one transaction commits share the next one.

A commit waits for the disk (SQLite's fsync, PostgreSQL's WAL flush): one commit per request
caps a server at a few hundred requests a second however small they are, and on SQLite every
request thread queues for the one write lock. Here the requests of one process hand their
batch to `GroupCommit.submit`; whoever finds no transaction running leads: it takes every batch
waiting (its own first) and runs them through `run` in one transaction, then hands the lead to
the oldest batch still waiting, whose thread runs the next group. No thread of its own, nothing
to start or stop: a quiet server commits each batch at once, a busy one in groups.

`run` answers every batch of a group (or raises: then the group is tried again batch by batch,
each in its own transaction, so one batch's failure, or a deadlock between two processes'
groups, fails no other). Correctness never rests on the grouping: the database's locks and
constraints decide between groups of different processes (server.ingest).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


@dataclass(eq=False)
class _Waiting(Generic[Job, Result]):
    job: Job
    done: threading.Event = field(default_factory=threading.Event)
    # Set instead of a result when this thread is to lead the next group.
    lead: bool = False
    result: Result | None = None
    error: BaseException | None = None


class GroupCommit(Generic[Job, Result]):
    """Runs jobs in groups, `lanes` groups at a time at most; safe to share between threads.

    Attributes:
        run: stores a group of jobs in one transaction; one result per job, in order.
        lanes: how many groups may be in their transaction at once (1 on SQLite: it has one
            writer; more on PostgreSQL, whose commits overlap).
        max_group: jobs in one group at most (bounds one transaction's size and locks).
    """

    def __init__(
        self,
        run: Callable[[Sequence[Job]], list[Result]],
        lanes: int = 1,
        max_group: int = 64,
    ) -> None:
        self.run = run
        self.lanes = lanes
        self.max_group = max_group
        self._lock = threading.Lock()
        self._queue: list[_Waiting[Job, Result]] = []
        self._leading = 0

    def submit(self, job: Job) -> Result:
        """The job's result once its group is committed; what `run` raised for it otherwise."""
        waiting: _Waiting[Job, Result] = _Waiting(job)
        with self._lock:
            lead = self._leading < self.lanes
            if lead:
                self._leading += 1
            else:
                self._queue.append(waiting)
        if not lead:
            waiting.done.wait()
        if lead or waiting.lead:
            self._lead(waiting)
        if waiting.error is not None:
            raise waiting.error
        return waiting.result  # type: ignore[return-value]

    def _lead(self, first: _Waiting[Job, Result]) -> None:
        # The queue is not empty only while every lane is taken: a lane is handed on with the
        # oldest waiting batch, taken off the queue, so no two leaders are given the same one.
        with self._lock:
            group = [first, *self._queue[: self.max_group - 1]]
            del self._queue[: self.max_group - 1]
        try:
            self._run_group(group)
        finally:
            with self._lock:
                following = self._queue.pop(0) if self._queue else None
                if following is None:
                    self._leading -= 1
            for waiting in group:
                waiting.done.set()
            if following is not None:
                following.lead = True
                following.done.set()

    def _run_group(self, group: list[_Waiting[Job, Result]]) -> None:
        try:
            results = self.run([w.job for w in group])
        except Exception as e:  # every job is answered, one way or another
            if len(group) == 1:
                group[0].error = e
                return
            for waiting in group:
                try:
                    waiting.result = self.run([waiting.job])[0]
                except Exception as alone:
                    waiting.error = alone
            return
        for waiting, result in zip(group, results, strict=True):
            waiting.result = result
