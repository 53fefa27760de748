"""A dry run shows what a pass would do and changes nothing the real run needs.

On the embedded default (Maildir in, file outbox out) through the CLI, and on
real Dovecot and aiosmtpd: after `poll --dry-run` or `remind --dry-run` the
real command answers everyone exactly once.
"""

from __future__ import annotations

import sqlite3
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from cli import cli
from inbox_worker.mail.maildir import deliver
from tests import mailfactory
from tests.configs import write_config
from tests.servers import ImapAccount, SmtpServer

FAR = "40000"  # remind --days: every session to come is within reach

# The demo leaves four inquiries for the organiser; every summary says so.
NEED = ", 4 need you: inbox-worker leads list --status needs_attention"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def snapshot(database: Path) -> list[str]:
    """Every row of every table (cursor, messages, leads, bookings, replies, events...)."""
    conn = sqlite3.connect(database)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    code, out, _ = invoke("demo", "--dir", str(tmp_path / "demo"))
    assert code == 0, out
    return tmp_path / "demo"


def outbox(demo: Path) -> list[Path]:
    return sorted((demo / "outbox").glob("*.eml"))


def sent_to(path: Path) -> str:
    return message_from_bytes(path.read_bytes(), policy=policy.default)["To"].addresses[0].addr_spec


def test_dry_run_poll_shows_each_decision_and_leaves_the_mail_for_the_real_poll(
    demo: Path,
) -> None:
    config = str(demo / "config.toml")
    deliver(demo / "mail", mailfactory.inquiry_en(41))
    deliver(demo / "mail", mailfactory.out_of_office())
    before, replies_before = snapshot(demo / "leads.db"), outbox(demo)

    code, out, err = invoke("--config", config, "poll", "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        "participant41@province-example.nl: inquiry -> send inquiry to"
        " participant41@province-example.nl",
        "k.jansen@waterschap-voorbeeld.nl: auto_reply -> nothing (ignored: auto_reply)",
    ]
    assert err.splitlines()[-1] == (
        "dry run: 2 new, 1 inquiry, 1 auto-reply ignored, 1 reply to send"
        f"{NEED}; nothing stored or sent"
    )
    assert snapshot(demo / "leads.db") == before
    assert outbox(demo) == replies_before

    code, _, err = invoke("--config", config, "poll")
    assert err.splitlines()[-1] == f"2 new, 1 inquiry, 1 auto-reply ignored, 1 reply sent{NEED}"
    assert [sent_to(p) for p in outbox(demo) if p not in replies_before] == [
        "participant41@province-example.nl"
    ]


def test_dry_run_shows_bookings_and_what_needs_attention(demo: Path) -> None:
    config = str(demo / "config.toml")
    deliver(demo / "mail", mailfactory.inquiry_nl(51))
    deliver(demo / "mail", mailfactory.inquiry_nl(52))
    seen = outbox(demo)
    invoke("--config", config, "poll")
    offers = {sent_to(p): p for p in outbox(demo) if p not in seen}
    first, second = "deelnemer51@gemeente-voorbeeld.nl", "deelnemer52@gemeente-voorbeeld.nl"
    choice = mailfactory.reply_to(
        offers[first].read_bytes(), first, "Sanne Bakker 51", "Graag optie 1, met 2 personen.", 53
    )
    deliver(demo / "mail", choice)
    deliver(demo / "mail", mailfactory.inquiry_nl(54, sender=second))  # asks again
    before = snapshot(demo / "leads.db")

    code, out, _ = invoke("--config", config, "poll", "--dry-run")
    assert code == 0
    booking, again = out.splitlines()
    session = Database(demo / "leads.db")["sessions"].rows_where(order_by="starts", limit=1)
    session_id = next(iter(session))["id"]
    assert booking == (
        f"{first}: date_choice -> book 2 seats on {session_id} (confirmed);"
        f" send confirmation to {first}"
    )
    assert again.startswith(f"{second}: inquiry -> needs attention (")
    assert "answer it by hand" in again
    assert f"no inquiry to {second} (already replied (inquiry) on " in again
    assert snapshot(demo / "leads.db") == before


def test_replies_mode_dry_run_in_the_config_stores_nothing_either(demo: Path) -> None:
    path = demo / "config.toml"
    text = path.read_text()
    path.write_text(text.replace('mode = "send"', 'mode = "dry-run"', 1))
    deliver(demo / "mail", mailfactory.inquiry_en(61))
    before, replies_before = snapshot(demo / "leads.db"), outbox(demo)

    code, out, err = invoke("--config", str(path), "poll")
    assert code == 0
    assert out.startswith("participant61@province-example.nl: inquiry -> send inquiry")
    assert "nothing stored or sent" in err
    assert snapshot(demo / "leads.db") == before and outbox(demo) == replies_before

    path.write_text(text)  # the organiser has seen enough: mode = "send"
    code, _, err = invoke("--config", str(path), "poll")
    assert err.splitlines()[-1] == f"1 new, 1 inquiry, 1 reply sent{NEED}"


def test_replies_send_in_dry_run_mode_shows_the_email_and_queues_nothing(demo: Path) -> None:
    path = demo / "config.toml"
    path.write_text(path.read_text().replace('mode = "send"', 'mode = "dry-run"', 1))
    before, replies_before = snapshot(demo / "leads.db"), outbox(demo)
    code, out, _ = invoke(
        "--config", str(path), "replies", "send", "--yes", "--lead", "2", "--template", "inquiry"
    )
    assert code == 0
    assert "Subject: Re: " in out
    assert out.splitlines()[-1].startswith("Not queued: replies.mode is dry-run (inquiry email to ")
    assert snapshot(demo / "leads.db") == before and outbox(demo) == replies_before


def test_a_quiet_dry_run_prints_nothing(demo: Path) -> None:
    deliver(demo / "mail", mailfactory.inquiry_en(71))
    code, out, err = invoke("-q", "--config", str(demo / "config.toml"), "poll", "--dry-run")
    assert (code, out, err) == (0, "", "")


def test_remind_dry_run_shows_the_reminders_and_the_real_remind_sends_them(demo: Path) -> None:
    config = str(demo / "config.toml")
    deliver(demo / "mail", mailfactory.inquiry_nl(81))
    seen = outbox(demo)
    invoke("--config", config, "poll")
    [offer] = [p for p in outbox(demo) if p not in seen]
    who = "deelnemer81@gemeente-voorbeeld.nl"
    deliver(demo / "mail", mailfactory.reply_to(offer.read_bytes(), who, "S", "Optie 2", 82))
    invoke("--config", config, "poll")
    before, replies_before = snapshot(demo / "leads.db"), outbox(demo)

    code, out, err = invoke("--config", config, "remind", "--days", FAR, "--dry-run")
    assert code == 0
    [line] = out.splitlines()
    assert line.startswith(f"reminder: send reminder to {who} (booking on ")
    assert err == "reminders: dry run: 1 reply to send; nothing stored or sent\n"
    assert snapshot(demo / "leads.db") == before and outbox(demo) == replies_before

    code, _, err = invoke("--config", config, "remind", "--days", FAR)
    assert err == "reminders: 1 reply sent\n"
    assert [sent_to(p) for p in outbox(demo) if p not in replies_before] == [who]
    code, _, err = invoke("--config", config, "remind", "--days", FAR)
    assert err == "reminders: nothing to do\n"


def test_watch_dry_run_shows_each_decision_once(demo: Path) -> None:
    """Every dry pass reads the mailbox afresh; what it already showed is not repeated."""
    from inbox_worker import config as config_mod
    from inbox_worker.app import build_worker
    from inbox_worker.store import Store

    deliver(demo / "mail", mailfactory.inquiry_en(91))
    config = config_mod.load(demo / "config.toml")
    with Store(config.storage.database) as store:
        worker = build_worker(config, store, mode="dry-run")
        first = worker.run_once()
        deliver(demo / "mail", mailfactory.inquiry_en(92))
        second = worker.run_once()
    assert [line.split(":")[0] for line in first.preview] == ["participant91@province-example.nl"]
    assert [line.split(":")[0] for line in second.preview] == [
        "participant91@province-example.nl",
        "participant92@province-example.nl",
    ]
    assert (first.new, second.new) == (1, 2)


# -- replies approve says why ---------------------------------------------------


def test_approve_says_why_a_named_reply_cannot_be_approved(demo: Path) -> None:
    config = str(demo / "config.toml")
    db = Database(demo / "leads.db")
    sent = next(iter(db["replies"].rows_where("status = 'sent'", order_by="id")))["id"]
    code, _, err = invoke("--config", config, "replies", "approve", str(sent))
    assert (code, err) == (1, f"Error: reply #{sent} is sent: nothing to approve\n")

    # A row an older dry run left behind.
    db["replies"].update(sent, {"status": "suppressed", "last_error": "dry-run: not sent"})
    code, _, err = invoke("--config", config, "replies", "approve", str(sent))
    assert (code, err) == (
        1,
        f"Error: reply #{sent} is suppressed (dry-run: not sent): nothing to approve\n",
    )


def test_approve_all_with_nothing_held_says_what_there_is(demo: Path) -> None:
    config = str(demo / "config.toml")
    sent = Database(demo / "leads.db")["replies"].count
    code, out, _ = invoke("--config", config, "replies", "approve", "--all")
    assert (code, out) == (0, f"No held replies ({sent} sent).\n")


def test_approve_names_held_and_unapprovable_replies_together(demo: Path) -> None:
    config = str(demo / "config.toml")
    deliver(demo / "mail", mailfactory.inquiry_en(95))
    invoke("--config", config, "poll", "--hold")
    db = Database(demo / "leads.db")
    [held] = [r["id"] for r in db["replies"].rows_where("status = 'held'")]
    sent = next(iter(db["replies"].rows_where("status = 'sent'", order_by="id")))["id"]
    code, out, err = invoke("--config", config, "replies", "approve", str(held), str(sent))
    assert code == 1
    assert out == "Approved 1 reply.\n"
    assert err == f"Error: reply #{sent} is sent: nothing to approve\n"
    assert db["replies"].get(held)["status"] == "pending"


# -- on real servers ------------------------------------------------------------


def run(config: Path, imap: ImapAccount, *args: str) -> tuple[str, str]:
    code, out, err = invoke(
        "--config", str(config), *args, env={"TEST_IMAP_PASSWORD": imap.password}
    )
    assert code == 0, err
    return out, err


def test_dry_run_poll_on_imap_then_the_real_poll_answers_everyone_once(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    for n in (1, 2):
        imap_account.deliver(mailfactory.inquiry_nl(n))
    imap_account.deliver(mailfactory.inquiry_en(3))
    imap_account.deliver(mailfactory.bounce())

    out, err = run(config, imap_account, "poll", "--dry-run")
    assert len(out.splitlines()) == 4
    assert "4 new, 3 inquiries, 1 bounce, 3 replies to send" in err
    assert smtp_server.messages == []
    assert imap_account.fetch_all("Sent") == []
    assert all("\\Seen" not in m.flags for m in imap_account.fetch_all("INBOX"))
    db = Database(tmp_path / "leads.db")
    for table in ("cursors", "messages", "leads", "replies", "bookings", "events"):
        assert db[table].count == 0, table

    run(config, imap_account, "poll", "--dry-run")  # a second look changes nothing either
    _, err = run(config, imap_account, "poll")
    assert err.splitlines()[-1] == "4 new, 3 inquiries, 1 bounce, 3 replies sent"
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "deelnemer1@gemeente-voorbeeld.nl",
        "deelnemer2@gemeente-voorbeeld.nl",
        "participant3@province-example.nl",
    ]
    assert len(imap_account.fetch_all("Sent")) == 3
    run(config, imap_account, "poll")
    assert len(smtp_server.messages) == 3


def test_remind_dry_run_on_real_servers_then_remind_sends_each_reminder_once(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, imap_account, smtp_server)
    people = [(f"deelnemer{n}@gemeente-voorbeeld.nl", n) for n in (1, 2)]
    for _, n in people:
        imap_account.deliver(mailfactory.inquiry_nl(n))
    run(config, imap_account, "poll")
    offers = {m.rcpt_tos[0]: m.raw for m in smtp_server.messages}
    for (who, n), option in zip(people, ("Optie 1", "Optie 2"), strict=True):
        imap_account.deliver(mailfactory.reply_to(offers[who], who, f"S {n}", option, 10 + n))
    run(config, imap_account, "poll")
    assert len(smtp_server.messages) == 4  # two offers, two confirmations
    db = Database(tmp_path / "leads.db")
    before = snapshot(tmp_path / "leads.db")

    out, err = run(config, imap_account, "remind", "--days", FAR, "--dry-run")
    assert sorted(line.split(" (")[0] for line in out.splitlines()) == [
        f"reminder: send reminder to {who}" for who, _ in people
    ]
    assert "2 replies to send" in err
    assert len(smtp_server.messages) == 4
    assert snapshot(tmp_path / "leads.db") == before
    assert len(imap_account.fetch_all("Sent")) == 4

    _, err = run(config, imap_account, "remind", "--days", FAR)
    assert err == "reminders: 2 replies sent\n"
    reminders = smtp_server.messages[4:]
    assert sorted(m.rcpt_tos[0] for m in reminders) == [who for who, _ in people]
    assert [r["status"] for r in db["replies"].rows_where("kind = 'reminder'")] == ["sent"] * 2
    _, err = run(config, imap_account, "remind", "--days", FAR)
    assert err == "reminders: nothing to do\n"
    assert len(smtp_server.messages) == 6
