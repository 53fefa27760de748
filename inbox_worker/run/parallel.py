"""Reading stored messages, in this process or in child processes beside the pass.

A pass stores mail as fetched and decides it later (DESIGN.md §2). Reading a
stored message means undoing its storage form (`store.original`) and reading
it in its conversation (`deciding.conversation.read`). On a large first poll
that reading is most of the work, so `ParallelReader` spreads it over child
processes while the parent, the one database writer, decides.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..deciding.booking import SessionSeats
from ..deciding.conversation import NO_TEXTS, Ours, Reading, ThreadLookup, read
from ..errors import one_line
from ..store import ThreadIndex, compressed_for_storage, original


def read_stored(
    thread: ThreadLookup,
    stored: bytes,
    sessions: Sequence[SessionSeats],
    now: datetime,
    own: Ours = NO_TEXTS,
) -> Reading:
    """read() of a message as messages.raw holds it, with the compressed form to
    store once it is decided when it is still held as fetched."""
    raw = original(stored)
    reading = read(thread, raw, sessions, now, own)
    return replace(reading, compressed=compressed_for_storage(stored, raw))



class ParallelReader:
    """Reads messages in child processes while the parent decides.

    Parsing and classifying are pure CPU work and dominate a large first
    poll; deciding needs the one database writer and stays in the parent.
    Children are started with "spawn" (a fork would copy the parent's open
    database connection and any threads' locks) and read the replies table
    through a read-only connection of their own. Results come back in the
    order of the messages, so decisions are made in the order mail arrived.
    """

    def __init__(self, database: Path, workers: int, own: Ours = NO_TEXTS) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_child,
            initargs=(str(database), own),
        )

    def readings(
        self, compressed: Sequence[bytes], sessions: Sequence[SessionSeats], now: datetime
    ) -> Iterator[Reading | str]:
        """A Reading per message, or the one-line error that makes it a poison message."""
        jobs = [(raw, tuple(sessions), now) for raw in compressed]
        return self.pool.map(_read_in_child, jobs, chunksize=16)

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> ParallelReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_child_index: ThreadIndex | None = None
_child_own: Ours = NO_TEXTS


def _start_child(database: str, own: Ours) -> None:
    global _child_index, _child_own
    _child_index = ThreadIndex(Path(database))
    _child_own = own


def _read_in_child(job: tuple[bytes, tuple[SessionSeats, ...], datetime]) -> Reading | str:
    stored, sessions, now = job
    assert _child_index is not None
    try:
        return read_stored(_child_index.thread, stored, sessions, now, _child_own)
    except Exception as exc:  # reported back: the parent quarantines the message
        return one_line(exc)
