"""A large backlog read in child processes is decided exactly as one read in the parent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from inbox_worker import worker as worker_mod
from inbox_worker.run import pipeline as pipeline_mod
from inbox_worker.store import GZIP_MAGIC
from tests import mailfactory
from tests.localdesk import LocalDesk


def mailbox() -> list[bytes]:
    mails: list[bytes] = []
    for n in range(12):
        mails.append(mailfactory.inquiry_nl(n))
        mails.append(mailfactory.inquiry_en(n))
    mails.append(mailfactory.out_of_office())
    mails.append(mailfactory.bounce())
    # A MIME bomb: refused by parse() in the child, quarantined by the parent.
    parts = b"".join(b"--b\r\nContent-Type: text/plain\r\n\r\nDeel %d\r\n" % i for i in range(3000))
    mails.append(
        b"From: bom@example.nl\r\nMessage-ID: <bomb@example.nl>\r\nSubject: x\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n' + parts + b"--b--\r\n"
    )
    return mails


def outcome(desk: LocalDesk) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    db = Database(desk.database)
    messages = [
        (r["message_id"], r["state"], r["category"], r["reasons"], r["facts"], r["error"])
        for r in db.query("select * from messages order by id")
    ]
    replies = [
        (r["to_addr"], r["kind"], r["status"])
        for r in db.query("select * from replies order by id")
    ]
    return messages, replies


def test_parallel_and_serial_reading_decide_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inbox_worker.run import parallel as reading

    batches: list[int] = []
    real = reading.ParallelReader.readings

    def counted(self, compressed, sessions, now):  # type: ignore[no-untyped-def]
        batches.append(len(compressed))
        return real(self, compressed, sessions, now)

    monkeypatch.setattr(reading.ParallelReader, "readings", counted)
    # Small batches, so the children read batch k+1 while the parent decides
    # batch k: results must still come back to the right message, in order.
    monkeypatch.setattr(worker_mod, "PROCESS_BATCH", 5)
    results = []
    for name, threshold in (("serial", 10**9), ("parallel", 2)):
        monkeypatch.setattr(pipeline_mod, "PARALLEL_MIN", threshold)
        desk = LocalDesk(tmp_path / name)
        for raw in mailbox():
            desk.deliver(raw)
        report = desk.run()
        assert report.quarantined == 1
        results.append(outcome(desk))
        # Decided messages are stored compressed, by the children or in process.
        with sqlite3.connect(desk.database) as db:
            states = {
                (state, raw[:2] == GZIP_MAGIC)
                for state, raw in db.execute("select state, raw from messages")
            }
        assert states == {("processed", True), ("quarantined", False)}
    serial, parallel = results
    # The parallel run read every message in the children, a batch ahead.
    assert batches == [5, 5, 5, 5, 5, 2]
    assert parallel == serial
    messages, replies = serial
    assert len(messages) == 27 and len(replies) == 24
    [bomb] = [m for m in messages if m[0] == "<bomb@example.nl>"]
    assert (
        bomb[1] == "quarantined" and bomb[5] == "ValueError: too many MIME boundary lines (> 2000)"
    )


def test_a_backlog_is_decided_while_it_is_fetched_and_never_piles_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches are decided during the fetch, at most READ_AHEAD behind it: memory stays flat."""
    monkeypatch.setattr(worker_mod, "PROCESS_BATCH", 4)
    monkeypatch.setattr(pipeline_mod, "PARALLEL_MIN", 2)
    events: list[tuple[str, int]] = []
    real_add, real_decide = pipeline_mod.Pipeline.add, worker_mod.Worker.decide_batch

    def add(self, rows):  # type: ignore[no-untyped-def]
        real_add(self, rows)
        events.append(("queued", len(self.queue)))

    def decide(self, rows, *args):  # type: ignore[no-untyped-def]
        events.append(("decided", len(rows)))
        return real_decide(self, rows, *args)

    monkeypatch.setattr(pipeline_mod.Pipeline, "add", add)
    monkeypatch.setattr(worker_mod.Worker, "decide_batch", decide)
    desk = LocalDesk(tmp_path)
    for raw in mailbox():
        desk.deliver(raw)
    report = desk.run()
    assert report.new == 27 and report.quarantined == 1
    assert max(n for kind, n in events if kind == "queued") <= pipeline_mod.READ_AHEAD
    # The first batch is decided before the last one is fetched.
    first_decision = events.index(("decided", 4))
    last_fetch = max(i for i, (kind, _) in enumerate(events) if kind == "queued")
    assert first_decision < last_fetch
    assert sum(n for kind, n in events if kind == "decided") == 27
