"""End to end on real servers: mail in Dovecot, `poll` through the CLI, replies at aiosmtpd."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from tests import mailfactory
from tests.configs import write_config
from tests.servers import ImapAccount, SmtpServer


def poll(config: Path, imap: ImapAccount, *args: str) -> str:
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["--config", str(config), *args, "poll"],
        env={"TEST_IMAP_PASSWORD": imap.password},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_inquiries_get_one_reply_each_and_machine_mail_none(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    imap_account.deliver(mailfactory.inquiry_nl(1))
    imap_account.deliver(mailfactory.inquiry_en(2))
    imap_account.deliver(mailfactory.out_of_office())
    imap_account.deliver(mailfactory.bounce())
    imap_account.deliver(mailfactory.inquiry_nl(3))
    config = write_config(tmp_path, imap_account, smtp_server)

    output = poll(config, imap_account)
    assert "5 new" in output
    assert "3 replies sent" in output

    received = {m.rcpt_tos[0]: m for m in smtp_server.messages}
    assert sorted(received) == [
        "deelnemer1@gemeente-voorbeeld.nl",
        "deelnemer3@gemeente-voorbeeld.nl",
        "participant2@province-example.nl",
    ]
    assert len(smtp_server.messages) == 3
    dutch = message_from_bytes(
        received["deelnemer1@gemeente-voorbeeld.nl"].raw, policy=policy.default
    )
    english = message_from_bytes(
        received["participant2@province-example.nl"].raw, policy=policy.default
    )
    for reply, original in (
        (dutch, mailfactory.inquiry_nl(1)),
        (english, mailfactory.inquiry_en(2)),
    ):
        asked = message_from_bytes(original, policy=policy.default)
        assert reply["In-Reply-To"] == asked["Message-ID"]
        assert asked["Message-ID"] in reply["References"]
        assert reply["Auto-Submitted"] == "auto-replied"
        assert reply["X-Auto-Response-Suppress"] == "All"
        assert reply["Subject"] == f"Re: {asked['Subject']}"
        assert reply["Message-ID"].endswith("@example.org>")
    dutch_text = dutch.get_body(("plain",)).get_content()
    english_text = english.get_body(("plain",)).get_content()
    # Upcoming sessions with seats, numbered; the past one is not offered.
    options = [line for line in dutch_text.splitlines() if line.startswith("Optie ")]
    assert [o.split(":")[0] for o in options] == ["Optie 1", "Optie 2", "Optie 3"]
    assert "Utrecht" in options[0] and "januari" in options[0]
    assert "Zwolle" in options[1] and "online" in options[2]
    assert "Amersfoort" not in dutch_text
    assert any(
        line.startswith("Option 1: ") and "January" in line for line in english_text.splitlines()
    )

    db = Database(tmp_path / "leads.db")
    leads = {r["email"]: r for r in db["leads"].rows}
    assert set(leads) == set(received)  # no lead for the out-of-office or the bounce
    assert {r["status"] for r in db["replies"].rows} == {"sent"}
    categories = sorted(r["category"] for r in db["messages"].rows)
    assert categories == ["auto_reply", "bounce", "inquiry", "inquiry", "inquiry"]
    decisions = [r for r in db["events"].rows if r["kind"] == "decision"]
    assert len(decisions) == 5

    # A copy of each reply is filed in the \Sent folder, and the INBOX is not marked read.
    sent_ids = {
        message_from_bytes(m.raw, policy=policy.default)["Message-ID"]
        for m in imap_account.fetch_all("Sent")
    }
    assert sent_ids == {r["message_id"] for r in db["replies"].rows}
    assert all("\\Seen" not in m.flags for m in imap_account.fetch_all("INBOX"))

    # A second pass finds nothing new and sends nothing.
    poll(config, imap_account)
    assert len(smtp_server.messages) == 3
    assert db["messages"].count == 5


def test_same_person_writing_twice_gets_one_reply_per_period(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    poll(config, imap_account)
    imap_account.deliver(mailfactory.inquiry_nl(7, sender="deelnemer1@gemeente-voorbeeld.nl"))
    poll(config, imap_account)
    assert len(smtp_server.messages) == 1
    db = Database(tmp_path / "leads.db")
    suppressed = [r for r in db["events"].rows if r["kind"] == "reply_suppressed"]
    assert len(suppressed) == 1 and "already replied (inquiry)" in suppressed[0]["detail"]


def test_hold_sends_nothing_until_approved(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    """(A dry run sends nothing and stores nothing: tests/test_dry_run.py.)"""
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    runner = CliRunner()
    env = {"TEST_IMAP_PASSWORD": imap_account.password}
    result = runner.invoke(cli, ["--config", str(config), "poll", "--hold"], env=env)
    assert result.exit_code == 0, result.output
    assert smtp_server.messages == []
    db = Database(tmp_path / "leads.db")
    assert [r["status"] for r in db["replies"].rows] == ["held"]
    approve = runner.invoke(cli, ["--config", str(config), "replies", "approve", "--all"])
    assert approve.output == "Approved 1 reply.\n"
    poll(config, imap_account)
    assert len(smtp_server.messages) == 1


def test_temporary_smtp_failure_keeps_the_reply_for_the_next_pass(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    smtp_server.fail_next(451, "4.3.0 try again later")
    output = poll(config, imap_account)
    assert "1 reply to retry" in output
    db = Database(tmp_path / "leads.db")
    [row] = db["replies"].rows
    assert row["status"] == "pending" and "451" in row["last_error"]
    # Due again at next_attempt_at; make it due now.
    db["replies"].update(row["id"], {"next_attempt_at": None})
    poll(config, imap_account)
    assert len(smtp_server.messages) == 1
    assert db["replies"].get(row["id"])["status"] == "sent"


def test_permanent_smtp_failure_flags_the_lead(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    smtp_server.fail_next(550, "5.1.1 no such user", at="rcpt")
    result = CliRunner().invoke(
        cli,
        ["--config", str(config), "poll"],
        env={"TEST_IMAP_PASSWORD": imap_account.password},
    )
    assert result.exit_code == 1
    db = Database(tmp_path / "leads.db")
    [reply] = db["replies"].rows
    assert reply["status"] == "failed"
    [lead] = db["leads"].rows
    assert lead["status"] == "needs_attention"
    poll(config, imap_account)  # no retry loop
    assert smtp_server.messages == []


def test_unreachable_imap_server_is_one_line_and_exit_1(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    text = config.read_text().replace(f"port = {imap_account.port}", "port = 1", 1)
    config.write_text(text)
    result = CliRunner().invoke(
        cli, ["--config", str(config), "poll"], env={"TEST_IMAP_PASSWORD": "x"}
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "127.0.0.1:1" in result.output
    assert result.output.count("\n") == 1


def test_wrong_imap_password_is_reported_without_the_password(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    result = CliRunner().invoke(
        cli, ["--config", str(config), "poll"], env={"TEST_IMAP_PASSWORD": "wrong-secret-42"}
    )
    assert result.exit_code == 1
    assert "login failed" in result.output.lower()
    assert "wrong-secret-42" not in result.output


def test_smtp_down_for_a_whole_pass_keeps_every_reply(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    imap_account.deliver(mailfactory.inquiry_nl(2))
    smtp_server.stop()
    result = CliRunner().invoke(
        cli, ["--config", str(config), "poll"], env={"TEST_IMAP_PASSWORD": imap_account.password}
    )
    assert result.exit_code == 1
    assert f"{smtp_server.host}:{smtp_server.port}" in result.output
    db = Database(tmp_path / "leads.db")
    rows = list(db["replies"].rows)
    assert [(r["status"], r["attempts"]) for r in rows] == [("pending", 0), ("pending", 0)]

    smtp_server.start(keep_port=True)
    poll(config, imap_account)
    assert len(smtp_server.messages) == 2
    assert {r["status"] for r in db["replies"].rows} == {"sent"}


def test_a_copy_not_filed_when_the_reply_went_out_is_filed_by_the_next_pass(
    tmp_path: Path,
    imap_account: ImapAccount,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`sent` is committed before the copy goes to Sent; a pass stopped in between
    (here: the APPEND fails) leaves `filed = 0`, and the next pass files the copy
    and sends nothing again. A copy that did reach Sent is not filed twice."""
    from inbox_worker.outbox import deliver as deliver_mod

    config = write_config(tmp_path, imap_account, smtp_server)
    imap_account.deliver(mailfactory.inquiry_nl(1))
    imap_account.deliver(mailfactory.inquiry_en(2))
    real_file = deliver_mod._SentCopies.file
    monkeypatch.setattr(deliver_mod._SentCopies, "file", lambda self, row: False)
    poll(config, imap_account)
    db = Database(tmp_path / "leads.db")
    replies = list(db["replies"].rows)
    assert [(r["status"], r["filed"]) for r in replies] == [("sent", 0), ("sent", 0)]
    assert imap_account.fetch_all("Sent") == []
    # The first copy did reach Sent before the pass stopped; only its mark is missing.
    imap_account.append("Sent", replies[0]["body"])

    monkeypatch.setattr(deliver_mod._SentCopies, "file", real_file)
    poll(config, imap_account)
    assert [r["filed"] for r in db["replies"].rows] == [1, 1]
    assert len(smtp_server.messages) == 2  # nothing sent again
    filed = [
        message_from_bytes(m.raw, policy=policy.default)["Message-ID"]
        for m in imap_account.fetch_all("Sent")
    ]
    assert sorted(filed) == sorted(r["message_id"] for r in replies)  # one copy each
