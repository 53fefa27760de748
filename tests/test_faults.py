"""Faults at the edges: each costs a pass at most, never a message or a second reply.

Real Dovecot and aiosmtpd on 127.0.0.1; a cutting TCP proxy (tests/proxy.py)
between the worker and Dovecot for a connection dropped mid-FETCH. SMTP
down for a whole pass and a 550 at RCPT are in test_pipeline.py; a server
restart in the middle of a session in test_imap.py.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker import config as config_mod
from inbox_worker.app import build_worker
from inbox_worker.outbox.deliver import FIRST_RETRY
from inbox_worker.run.guard import StorageError
from inbox_worker.run.report import PassReport
from inbox_worker.store import Store
from inbox_worker.worker import Worker
from tests import mailfactory
from tests.configs import write_config
from tests.proxy import CuttingProxy
from tests.servers import DovecotServer, ImapAccount, SmtpServer

# Real time: Dovecot stamps INTERNALDATE now, and older mail counts as history.
NOW = datetime.now(UTC).replace(microsecond=0)


def poll_cli(config: Path, imap: ImapAccount) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--config", str(config), "poll"], env={"TEST_IMAP_PASSWORD": imap.password}
    )
    return result.exit_code, result.output


def run_pass(
    config: Path,
    *,
    clock: Callable[[], datetime] = lambda: NOW,
    sabotage: Callable[[Worker], None] | None = None,
) -> PassReport:
    cfg = config_mod.load(config)
    with Store(cfg.storage.database) as store:
        worker = build_worker(cfg, store, clock=clock)
        if sabotage:
            sabotage(worker)
        return worker.run_once()


def assert_nothing_half_written(db_path: Path) -> None:
    """The invariants a torn write would break."""
    db = sqlite3.connect(db_path)
    try:
        cursors = dict(db.execute("select folder, last_uid from cursors").fetchall())
        # Every stored message lies at or below its folder's cursor (stored together).
        beyond = db.execute(
            "select count(*) from messages m where m.uid > coalesce("
            "(select last_uid from cursors c where c.folder = m.folder"
            " and c.uidvalidity = m.uidvalidity), -1)"
        ).fetchone()[0]
        assert beyond == 0, cursors
        # A reply exists only with the processed message and decision that made it.
        orphans = db.execute(
            "select count(*) from replies r where r.in_reply_to is not null and not exists("
            "select 1 from messages m where m.id = r.in_reply_to and m.state = 'processed')"
            " or r.in_reply_to is not null and not exists(select 1 from events e"
            " where e.kind = 'decision' and e.message_id = r.in_reply_to)"
        ).fetchone()[0]
        assert orphans == 0
        undecided = db.execute(
            "select count(*) from messages m where m.state = 'processed' and not exists("
            "select 1 from events e where e.kind = 'decision' and e.message_id = m.id)"
        ).fetchone()[0]
        assert undecided == 0
    finally:
        db.close()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, imap_account: ImapAccount) -> None:
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)


# -- IMAP ---------------------------------------------------------------------------------


def big_inquiry(n: int) -> bytes:
    """An inquiry with 40 kB of attachment, so a FETCH of a few is far longer than the login."""
    msg = message_from_bytes(mailfactory.inquiry_nl(n), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    msg.add_attachment(bytes(range(256)) * 160, maintype="application", subtype="pdf")
    return msg.as_bytes()


def test_imap_connection_cut_mid_fetch_fails_the_pass_in_one_line_and_stores_nothing(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    imap_account.deliver_many([big_inquiry(n) for n in range(1, 11)])
    with CuttingProxy(imap_account.port, cut_after=150_000) as proxy:
        config = write_config(tmp_path, imap_account, smtp_server)
        config.write_text(
            config.read_text().replace(f"port = {imap_account.port}", f"port = {proxy.port}", 1)
        )
        code, output = poll_cli(config, imap_account)
        assert proxy.cuts == 1
    assert code == 1
    assert output.count("\n") == 1
    assert output.startswith(f"Error: lost connection to IMAP server 127.0.0.1:{proxy.port}")
    assert "while fetching 10 messages" in output
    db = Database(tmp_path / "leads.db")
    assert db["messages"].count == 0 and db["cursors"].count == 0
    assert smtp_server.messages == []

    # Straight to the server this time: everything arrives, once.
    config = write_config(tmp_path, imap_account, smtp_server)
    code, output = poll_cli(config, imap_account)
    assert code == 0, output
    assert db["messages"].count == 10
    assert len(smtp_server.messages) == 10
    assert_nothing_half_written(tmp_path / "leads.db")


def test_dovecot_restarted_between_passes(
    tmp_path: Path,
    dovecot_server: DovecotServer,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    env: None,
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    assert run_pass(config).sent == 1
    dovecot_server.restart()
    imap_account.deliver(mailfactory.inquiry_nl(2))
    report = run_pass(config)
    assert (report.new, report.sent, report.ok) == (1, 1, True)
    assert len(smtp_server.messages) == 2


def test_uidvalidity_change_processes_nothing_twice_and_sends_no_second_reply(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer, env: None
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    no_id = mailfactory.out_of_office().replace(b"Message-ID:", b"X-Old-Message-ID:")
    for raw in (mailfactory.inquiry_nl(1), mailfactory.inquiry_en(2), no_id):
        imap_account.deliver(raw)
    first = run_pass(config)
    assert (first.new, first.sent) == (3, 2)
    old = imap_account.uidvalidity("INBOX")

    new = imap_account.recreate_folder("INBOX")
    assert new != old
    imap_account.deliver(mailfactory.inquiry_nl(3))
    second = run_pass(config)
    assert (second.new, second.sent) == (1, 1)
    db = Database(tmp_path / "leads.db")
    assert db["messages"].count == 4
    assert [r["uidvalidity"] for r in db["cursors"].rows] == [new]
    recipients = sorted(m.rcpt_tos[0] for m in smtp_server.messages)
    assert recipients == sorted(
        ["deelnemer1@gemeente-voorbeeld.nl", "participant2@province-example.nl",
         "deelnemer3@gemeente-voorbeeld.nl"]
    )  # fmt: skip
    assert run_pass(config).new == 0


# -- SMTP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "at"), [(421, "data"), (451, "rcpt")])
def test_temporary_smtp_answers_retry_later_with_growing_backoff(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    env: None,
    code: int,
    at: str,
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    for n in (1, 2):
        imap_account.deliver(mailfactory.inquiry_nl(n))
    smtp_server.fail_next(code, "4.3.0 try again later", at=at)
    clock = [NOW]
    report = run_pass(config, clock=lambda: clock[0])
    # The first reply waits; the second still goes out in the same pass.
    assert (report.sent, report.retrying, report.failed) == (1, 1, 0)
    db = Database(tmp_path / "leads.db")
    waiting = next(r for r in db["replies"].rows if r["status"] == "pending")
    assert waiting["attempts"] == 1 and str(code) in waiting["last_error"]
    assert waiting["next_attempt_at"] == (NOW + FIRST_RETRY).isoformat(timespec="seconds")

    # Not due yet: a pass a minute later leaves it alone.
    clock[0] = NOW + timedelta(minutes=1)
    assert run_pass(config, clock=lambda: clock[0]).retrying == 0
    assert len(smtp_server.messages) == 1

    # Due, and refused again: the wait doubles.
    clock[0] = NOW + FIRST_RETRY
    smtp_server.fail_next(code, "4.3.0 still busy", at=at)
    assert run_pass(config, clock=lambda: clock[0]).retrying == 1
    again = db["replies"].get(waiting["id"])
    assert again["attempts"] == 2
    assert again["next_attempt_at"] == (clock[0] + 2 * FIRST_RETRY).isoformat(timespec="seconds")

    clock[0] += 2 * FIRST_RETRY
    assert run_pass(config, clock=lambda: clock[0]).sent == 1
    assert db["replies"].get(waiting["id"])["status"] == "sent"
    assert len({m.message_id for m in smtp_server.messages}) == len(smtp_server.messages) == 2


def test_550_at_data_fails_that_reply_flags_the_lead_and_never_loops(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer, env: None
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    for n in (1, 2):
        imap_account.deliver(mailfactory.inquiry_nl(n))
    smtp_server.fail_next(550, "5.7.1 message refused", at="data")
    report = run_pass(config)
    assert (report.sent, report.failed, report.ok) == (1, 1, False)
    db = Database(tmp_path / "leads.db")
    failed = next(r for r in db["replies"].rows if r["status"] == "failed")
    assert db["leads"].get(failed["lead_id"])["status"] == "needs_attention"
    for hours in (1, 24, 24 * 30):
        later = NOW + timedelta(hours=hours)
        assert run_pass(config, clock=lambda later=later: later).sent == 0  # type: ignore[misc]
    assert db["replies"].get(failed["id"])["attempts"] == 1
    assert len(smtp_server.messages) == 1


# -- the database -------------------------------------------------------------------------


def test_a_reader_with_an_open_transaction_does_not_stop_a_poll(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer, env: None
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    run_pass(config)
    imap_account.deliver(mailfactory.inquiry_nl(2))
    # What `inbox-worker leads list` does, left open as a slow export would.
    reader = sqlite3.connect(tmp_path / "leads.db")
    try:
        reader.execute("begin")
        assert reader.execute("select count(*) from messages").fetchone()[0] == 1
        started = time.monotonic()
        report = run_pass(config)
        assert (report.new, report.sent, report.ok) == (1, 1, True)
        assert time.monotonic() - started < 10
        # The reader still sees its snapshot; WAL let both go on.
        assert reader.execute("select count(*) from messages").fetchone()[0] == 1
    finally:
        reader.close()
    assert Database(tmp_path / "leads.db")["messages"].count == 2


def test_a_writer_holding_the_lock_briefly_makes_the_poll_wait_not_fail(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer, env: None
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    run_pass(config)
    for n in range(2, 6):
        imap_account.deliver(mailfactory.inquiry_nl(n))
    locked = threading.Event()

    def organiser_edits() -> None:
        # `leads note` or `replies approve` in another process, holding the write lock.
        writer = sqlite3.connect(tmp_path / "leads.db", isolation_level=None)
        try:
            writer.execute("begin immediate")
            writer.execute("update leads set notes = 'called back' where id = 1")
            locked.set()
            time.sleep(1.0)
            writer.execute("commit")
        finally:
            writer.close()

    thread = threading.Thread(target=organiser_edits)
    thread.start()
    try:
        assert locked.wait(5)
        report = run_pass(config)
    finally:
        thread.join(10)
    assert (report.new, report.sent, report.ok) == (4, 4, True)
    db = Database(tmp_path / "leads.db")
    assert db["leads"].get(1)["notes"] == "called back"
    assert_nothing_half_written(tmp_path / "leads.db")


def _fill_the_disk_after(method: str) -> Callable[[Worker], None]:
    """After `method` of the store returns, the database may not grow by one page."""

    def sabotage(worker: Worker) -> None:
        store = worker.store
        original = getattr(store, method)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            pages = store.db.execute("pragma page_count").fetchone()[0]
            store.db.execute(f"pragma max_page_count = {pages}")
            return result

        setattr(store, method, wrapper)

    return sabotage


@pytest.mark.parametrize("full_after", ["sync_sessions", "ingest"])
def test_disk_full_stops_the_pass_in_one_line_with_nothing_half_written(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer, env: None, full_after: str
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver_many([big_inquiry(n) for n in range(1, 13)])
    with pytest.raises(StorageError) as failure:
        run_pass(config, sabotage=_fill_the_disk_after(full_after))
    message = str(failure.value)
    assert "\n" not in message and "database or disk is full" in message
    assert str(tmp_path / "leads.db") in message
    db = Database(tmp_path / "leads.db")
    assert_nothing_half_written(tmp_path / "leads.db")
    # No message was blamed for the full disk.
    assert [r for r in db["messages"].rows if r["state"] == "quarantined"] == []
    assert smtp_server.messages == []

    # Space again: the next pass does everything, once.
    report = run_pass(config)
    assert report.ok and report.quarantined == 0
    assert db["messages"].count == 12
    assert len(smtp_server.messages) == 12
    assert_nothing_half_written(tmp_path / "leads.db")
