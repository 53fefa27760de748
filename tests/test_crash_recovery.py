"""A pass that dies at any stage and is started again loses nothing and sends nothing twice.

The death is simulated in-process by raising a BaseException at the chosen
point (it passes every `except Exception`, like a kill passes every
handler); the database and servers are real. What a process kill leaves
behind is the same: whatever was committed, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from inbox_worker import config as config_mod
from inbox_worker.app import build_worker
from inbox_worker.store import Store
from inbox_worker.worker import Worker
from tests import mailfactory
from tests.configs import write_config
from tests.servers import ImapAccount, SmtpServer


class Killed(BaseException):
    """Stands in for SIGKILL: nothing in the worker catches it."""


def run_pass(config: Path, sabotage: Callable[[Worker], None] | None = None) -> None:
    cfg = config_mod.load(config)
    with Store(cfg.storage.database) as store:
        worker = build_worker(cfg, store)
        if sabotage:
            sabotage(worker)
        worker.run_once()


def kill_after(obj: Any, name: str, when: Callable[..., bool] = lambda *a, **k: True) -> None:
    """Let obj.name run, then die (if `when` holds for its arguments)."""
    original = getattr(obj, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if when(*args, **kwargs):
            raise Killed(name)
        return result

    setattr(obj, name, wrapper)


def kill_before(obj: Any, name: str, when: Callable[..., bool] = lambda *a, **k: True) -> None:
    """Die instead of running obj.name (if `when` holds for its arguments)."""
    original = getattr(obj, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            raise Killed(name)
        return original(*args, **kwargs)

    setattr(obj, name, wrapper)


def kill_at_append(worker: Worker) -> None:
    """Die when the first copy of a reply is about to be filed in Sent."""
    open_source = worker.open_source

    def opener() -> Any:
        source = open_source()
        kill_before(source, "append")
        return source

    worker.open_source = opener  # type: ignore[method-assign]


SABOTAGE: dict[str, Callable[[Worker], None]] = {
    # Fetched from IMAP, nothing stored yet.
    "after fetching": lambda w: kill_before(w.store, "ingest"),
    # Stored with the cursor, not yet processed.
    "after storing": lambda w: kill_after(w.store, "ingest"),
    # Decided and queued, not yet sent.
    "after queueing a reply": lambda w: kill_before(w, "deliver"),
    # SMTP accepted the first reply and 'sent' is committed; its copy is not in Sent yet.
    "after SMTP accepted": lambda w: kill_at_append(w),
    # The copy is in Sent too; only its mark (filed = 1) is not committed.
    "after filing the copy": lambda w: kill_before(
        w.store, "set_reply", lambda _id, **f: f.get("filed") == 1
    ),
}


@pytest.mark.parametrize("stage", list(SABOTAGE))
def test_kill_and_restart_loses_nothing_and_sends_nothing_twice(
    stage: str, tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    for n in range(1, 4):
        imap_account.deliver(mailfactory.inquiry_nl(n))
    imap_account.deliver(mailfactory.out_of_office())
    config = write_config(tmp_path, imap_account, smtp_server)
    env = pytest.MonkeyPatch()
    env.setenv("TEST_IMAP_PASSWORD", imap_account.password)
    try:
        with pytest.raises(Killed):
            run_pass(config, SABOTAGE[stage])
        run_pass(config)
        run_pass(config)
    finally:
        env.undo()

    db = Database(tmp_path / "leads.db")
    assert db["messages"].count == 4
    assert {r["state"] for r in db["messages"].rows} == {"processed"}
    assert db["leads"].count == 3
    recipients = sorted(m.rcpt_tos[0] for m in smtp_server.messages)
    assert recipients == [f"deelnemer{n}@gemeente-voorbeeld.nl" for n in range(1, 4)]
    ids = [m.message_id for m in smtp_server.messages]
    assert len(set(ids)) == 3
    assert {(r["status"], r["filed"]) for r in db["replies"].rows} == {("sent", 1)}
    # One copy of each reply in Sent: none lost to the kill, none filed twice.
    filed = [message_from_bytes(m.raw)["Message-ID"] for m in imap_account.fetch_all("Sent")]
    assert sorted(filed) == sorted(str(i) for i in ids)


def test_a_reply_the_server_filed_itself_is_not_sent_again_after_a_kill(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    """With `sent_folder = ""` the server files what it sends (Gmail, Microsoft 365).

    A kill between its 250 and our commit of `sent` leaves the reply in
    `sending`; the next pass finds it in Sent and does not send it again.
    """
    imap_account.deliver(mailfactory.inquiry_nl(1))
    config = write_config(tmp_path, imap_account, smtp_server, sent_folder="")

    def server_files_then_kill(worker: Worker) -> None:
        open_transport = worker.open_transport

        def opener() -> Any:
            transport = open_transport()
            send = transport.send

            def send_and_die(message: Any) -> None:
                send(message)
                imap_account.append("Sent", bytes(message))  # what the server does
                raise Killed("after the 250")

            transport.send = send_and_die  # type: ignore[method-assign]
            return transport

        worker.open_transport = opener  # type: ignore[method-assign]

    env = pytest.MonkeyPatch()
    env.setenv("TEST_IMAP_PASSWORD", imap_account.password)
    try:
        with pytest.raises(Killed):
            run_pass(config, server_files_then_kill)
        run_pass(config)
    finally:
        env.undo()
    assert len(smtp_server.messages) == 1
    [reply] = Database(tmp_path / "leads.db")["replies"].rows
    assert (reply["status"], reply["filed"]) == ("sent", None)
    assert len(imap_account.fetch_all("Sent")) == 1


def test_the_run_lock_turns_a_second_pass_away(tmp_path: Path) -> None:
    from inbox_worker.run.guard import AlreadyRunning, run_lock

    database = tmp_path / "leads.db"
    with (
        run_lock(database),
        pytest.raises(AlreadyRunning, match="another pass is running"),
        run_lock(database),
    ):
        pass
    with run_lock(database):  # released when the first one ends
        pass
