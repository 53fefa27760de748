"""Stored batches on their way to a decision, read a few batches ahead.

A pass hands each batch it stores (or finds stored and undecided) to the
`Pipeline`, which has it read (parsed, classified) while earlier batches
are decided; for a backlog of PARALLEL_MIN messages or more the reading is
done in child processes (parallel.py). Like worker.py, this module imports
the reading machinery only when there is mail to read: cron's idle poll
builds a pipeline with nothing in it.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from ..store import Store
from .report import PassReport

if TYPE_CHECKING:
    from ..deciding.conversation import Ours, Reading
    from ..model import SessionSeats
    from .parallel import ParallelReader

# Batches read (in child processes) ahead of the one being decided.
READ_AHEAD = 2
# A backlog at least this big is read in child processes: starting them costs
# about a third of a second, which only a large first poll earns back.
PARALLEL_MIN = 400


class Decider(Protocol):
    """What the pipeline needs of the pass (worker.Worker), which decides each batch."""

    @property
    def store(self) -> Store: ...
    @property
    def own_texts(self) -> Ours: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def progress(
        self,
    ) -> Callable[[int, str], contextlib.AbstractContextManager[Callable[[int], None]]] | None: ...
    def sessions(self) -> list[SessionSeats]: ...
    def decide_batch(
        self,
        rows: list[dict[str, Any]],
        readings: Iterator[Reading | str] | None,
        report: PassReport,
        step: Callable[[int], None] | None,
    ) -> None: ...


class Pipeline:
    """Stored batches on their way to a decision, read a few batches ahead.

    A large backlog (a first poll) is read in child processes, one per core but one:
    parsing and classifying are pure CPU work, while deciding needs the one
    database writer and stays here. The children read the batches queued
    here while this process fetches, stores and decides the ones before them.
    At most READ_AHEAD batches wait, so memory stays flat however large the
    backlog.
    """

    def __init__(self, worker: Decider, report: PassReport) -> None:
        self.worker = worker
        self.report = report
        self.queue: deque[tuple[list[dict[str, Any]], Iterator[Reading | str] | None]] = deque()
        self.stack = contextlib.ExitStack()
        self.reader: ParallelReader | None = None
        self.step: Callable[[int], None] | None = None

    def expect(self, incoming: int) -> None:
        """Size the work once it is known: children for a backlog, a progress bar."""
        backlog = self.worker.store.count_unprocessed() + incoming
        if self.reader is None and backlog >= PARALLEL_MIN and (os.cpu_count() or 1) > 1:
            from .parallel import ParallelReader

            # One core stays with this process, which fetches, stores and
            # decides: it is the slower side, and on two cores a second child
            # would only take CPU time from it.
            self.reader = self.stack.enter_context(
                ParallelReader(
                    self.worker.store.path,
                    (os.cpu_count() or 2) - 1,
                    self.worker.own_texts,
                )
            )
        if self.step is None and backlog and self.worker.progress is not None:
            self.step = self.stack.enter_context(self.worker.progress(backlog, "Reading mail"))

    def add(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        readings = None  # read here, message by message
        if self.reader is not None:
            readings = self.reader.readings(
                [row["raw"] for row in rows], self.worker.sessions(), self.worker.clock()
            )
        self.queue.append((rows, readings))
        while len(self.queue) > READ_AHEAD:
            self._decide_next()

    def finish(self) -> None:
        while self.queue:
            self._decide_next()

    def _decide_next(self) -> None:
        rows, readings = self.queue.popleft()
        self.worker.decide_batch(rows, readings, self.report, self.step)

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        try:
            if exc_type is None:
                self.finish()
        finally:
            self.stack.close()
