"""Reading one stored message: parse, find its thread, classify, extract.

The worker (a pass) and reprocess (after rules improve) must read a message
the same way, or a reprocessed category would not be the one a pass makes.
The numbered options a reply is read against are those of the reply of ours
it answers (as stored with that reply), else today's offer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from .booking import SessionSeats, offer
from .classify import Classification, classify
from .errors import one_line
from .extract import Facts, OfferedSession, extract
from .message import ParsedMessage, parse
from .store import ThreadIndex, compressed_for_storage, original

# (message ids) -> (lead id, the options that reply listed), or None
ThreadLookup = Callable[[Sequence[str]], "tuple[int, list[dict[str, Any]]] | None"]


@dataclass(frozen=True)
class Reading:
    msg: ParsedMessage
    thread_lead_id: int | None  # the lead of our reply this message answers
    in_thread: bool
    offered: tuple[OfferedSession, ...]
    classification: Classification
    facts: Facts
    # The message compressed for storage, made by a child process when it
    # was stored as fetched (see store.original).
    compressed: bytes | None = None


def read(
    thread_reply: ThreadLookup, raw: bytes, sessions: Sequence[SessionSeats], now: datetime
) -> Reading:
    """`thread_reply` is Store.thread_reply, or a read-only twin in a child process."""
    msg = parse(raw)
    thread = thread_reply([msg.in_reply_to or "", *msg.references])
    offered = offered_in_thread(thread[1], sessions) if thread else offer(sessions, now)
    classification = classify(msg, offered)
    return Reading(
        msg=msg,
        thread_lead_id=thread[0] if thread else None,
        in_thread=thread is not None,
        offered=offered,
        classification=classification,
        facts=extract(msg, offered, classification),
    )


def read_stored(
    thread_reply: ThreadLookup, stored: bytes, sessions: Sequence[SessionSeats], now: datetime
) -> Reading:
    """read() of a message as messages.raw holds it, with the compressed form to
    store once it is decided when it is still held as fetched."""
    raw = original(stored)
    reading = read(thread_reply, raw, sessions, now)
    return replace(reading, compressed=compressed_for_storage(stored, raw))


def offered_in_thread(
    offered: list[dict[str, Any]], sessions: Sequence[SessionSeats]
) -> tuple[OfferedSession, ...]:
    """The options as numbered in the reply of ours a message answers."""
    by_id = {s.id: s for s in sessions}
    return tuple(
        OfferedSession(
            number=o["number"],
            session_id=o["session_id"],
            starts=by_id[o["session_id"]].starts,
            location=by_id[o["session_id"]].location,
        )
        for o in offered
        if o["session_id"] in by_id
    )


class ParallelReader:
    """Reads messages in child processes while the parent decides.

    Parsing and classifying are pure CPU work and dominate a large first
    poll; deciding needs the one database writer and stays in the parent.
    Children are started with "spawn" (a fork would copy the parent's open
    database connection and any threads' locks) and read the replies table
    through a read-only connection of their own. Results come back in the
    order of the messages, so decisions are made in the order mail arrived.
    """

    def __init__(self, database: Path, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_child,
            initargs=(str(database),),
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


def _start_child(database: str) -> None:
    global _child_index
    _child_index = ThreadIndex(Path(database))


def _read_in_child(job: tuple[bytes, tuple[SessionSeats, ...], datetime]) -> Reading | str:
    stored, sessions, now = job
    assert _child_index is not None
    try:
        return read_stored(_child_index.thread_reply, stored, sessions, now)
    except Exception as exc:  # reported back: the parent quarantines the message
        return one_line(exc)
