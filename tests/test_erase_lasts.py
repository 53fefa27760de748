"""An erase lasts: the person's old mail, read again, brings nothing back.

`leads erase` keeps only a keyed hash of the address (HMAC-SHA256 under a
salt of this database). A folder restored from a backup, or a server that
renumbers it (a new UIDVALIDITY), hands the worker the same mail again: it
must create no lead, send no reply and keep no copy. The replies in a file
outbox go with the erase; what the organiser's own Sent folder holds stays.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker import config as config_mod
from inbox_worker.app import erase_person
from inbox_worker.mail.maildir import UIDLIST_NAME
from inbox_worker.store import Store
from tests import mailfactory
from tests.localdesk import LocalDesk
from tests.servers import ImapAccount, SmtpServer

BOB = "bob.de.vries@gemeente-voorbeeld.nl"
NOW = datetime(2098, 12, 1, 9, 0, tzinfo=UTC)


def _erase(desk: LocalDesk, address: str) -> int:
    config = config_mod.load(desk.config_path)
    with Store(config.storage.database) as store:
        lead = store.lead(address)
        assert lead is not None
        _, files = erase_person(config, store, lead.id, desk.now)
        store.scrub()
    return files


def test_mail_read_again_after_a_new_uidvalidity_creates_no_lead(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    desk.deliver(mailfactory.inquiry_nl(1, sender=BOB))
    desk.deliver(mailfactory.inquiry_nl(2))
    assert desk.run().sent == 2
    assert _erase(desk, BOB) == 1
    assert [str(m["To"]) for m in desk.sent()] == [
        "Sanne Bakker 2 <deelnemer2@gemeente-voorbeeld.nl>"
    ]

    # The folder comes back from a backup: every message under a new UIDVALIDITY.
    (desk.mail / UIDLIST_NAME).unlink()
    report = desk.run()
    assert report.categories["erased"] == 1
    assert "1 message of an erased person dropped" in report.summary()
    assert report.sent == 0
    d = Database(desk.database)
    assert not list(d["leads"].rows_where("email = ?", [BOB]))
    # Not kept either: only the other person's message is stored.
    assert d["messages"].count == 1
    for path in tmp_path.glob("leads.db*"):
        assert b"bob.de.vries" not in path.read_bytes().lower()
    assert len(desk.sent()) == 1

    # A new message from Bob himself is his old address writing: dropped too.
    desk.deliver(mailfactory.inquiry_en(3, sender=BOB.upper()))
    assert desk.run().categories["erased"] == 1
    assert not list(d["leads"].rows_where("email = ?", [BOB]))


def test_a_dry_run_tells_the_erased_mail_is_dropped(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    desk.deliver(mailfactory.inquiry_nl(1, sender=BOB))
    desk.run()
    _erase(desk, BOB)
    (desk.mail / UIDLIST_NAME).unlink()
    result = CliRunner().invoke(cli, ["--config", str(desk.config_path), "poll", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "from an erased person -> dropped, nothing kept" in result.output
    assert BOB not in result.output


def test_the_address_is_kept_only_as_a_hash_salted_per_database(tmp_path: Path) -> None:
    digests = []
    for name in ("a.db", "b.db"):
        with Store(tmp_path / name) as store:
            lead_id = store.upsert_lead(BOB, {"name": "Bob"}, NOW)
            store.erase_lead(lead_id, NOW)
            assert store.is_erased(BOB) and store.is_erased(f"  {BOB.upper()} ")
            assert not store.is_erased("someone.else@example.nl", None)
            [(digest,)] = store.conn.execute("select digest from erased_addresses")
            assert "bob" not in digest
            digests.append(digest)
    assert digests[0] != digests[1]  # the same address, another salt


def test_the_check_is_one_primary_key_lookup(tmp_path: Path) -> None:
    with Store(tmp_path / "leads.db") as store:
        plan = [
            r[3]
            for r in store.conn.execute(
                "EXPLAIN QUERY PLAN select 1 from erased_addresses where digest in (?, ?) limit 1",
                ["a", "b"],
            )
        ]
    assert all("SEARCH" in step for step in plan), plan


def test_mail_read_again_from_a_recreated_imap_folder_gets_no_second_reply(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer, monkeypatch: object
) -> None:
    from tests.test_faults import run_pass, write_config

    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)  # type: ignore[attr-defined]
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1, sender=BOB))
    imap_account.deliver(mailfactory.inquiry_en(2))
    assert run_pass(config).sent == 2
    cfg = config_mod.load(config)
    with Store(cfg.storage.database) as store:
        lead = store.lead(BOB)
        assert lead is not None
        erase_person(cfg, store, lead.id, datetime.now(UTC))
        store.scrub()

    imap_account.recreate_folder("INBOX")
    report = run_pass(config)
    assert (report.new, report.categories["erased"], report.sent) == (1, 1, 0)
    assert len(smtp_server.messages) == 2
    rcpts = [message_from_bytes(m.raw, policy=policy.default)["To"] for m in smtp_server.messages]
    assert sum(BOB in str(r) for r in rcpts) == 1
    db = sqlite3.connect(tmp_path / "leads.db")
    assert db.execute("select count(*) from leads where email = ?", [BOB]).fetchone() == (0,)
    assert run_pass(config).new == 0


def test_log_files_and_exports_are_created_for_their_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    desk = LocalDesk(tmp_path)
    desk.deliver(mailfactory.inquiry_nl(1, sender=BOB))
    desk.run()
    log_file, export = tmp_path / "worker.log", tmp_path / "leads.csv"
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(
            cli,
            ["--config", str(desk.config_path), "--log-file", str(log_file),
             "leads", "export", "-o", str(export)],
        )  # fmt: skip
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert BOB in export.read_text(encoding="utf-8-sig")
    assert "Exported 1 lead" in log_file.read_text(encoding="utf-8")
    for path in (log_file, export):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
