"""Telling the organiser what needs a person: the poll summary and the digest.

The store side (migration m008): a lead whose status is set to
needs_attention is one item, caused by the event logged right after, and is
told once; a new message that needs a person again is a new item.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlite_utils import Database

from inbox_worker.config import OrganiserConfig
from inbox_worker.store import Store
from inbox_worker.writing import digest
from inbox_worker.writing.digest import Item
from inbox_worker.writing.headers import make_message_id
from inbox_worker.writing.render import Renderer, Sender, default_template_dir
from tests import mailfactory
from tests.configs import write_config
from tests.localdesk import LocalDesk
from tests.servers import ImapAccount, SmtpServer

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "leads.db")
    yield s
    s.close()


def store_message(store: Store, n: int, sender: str, text: str) -> int:
    """A decided message, as the pass records it."""
    raw = f"From: {sender}\r\nMessage-ID: <m{n}@example.nl>\r\nSubject: s{n}\r\n\r\n{text}\r\n"
    with store.transaction():
        pk = store.conn.execute(
            "insert into messages (folder, uidvalidity, uid, raw, raw_sha256, received, state,"
            " subject, text, from_addr) values ('INBOX', 1, ?, ?, ?, ?, 'processed', ?, ?, ?)",
            [n, raw.encode(), f"sha{n}", NOW.isoformat(), f"s{n}", text, sender],
        ).lastrowid
    assert pk is not None
    return pk


def decide(
    store: Store, sender: str, n: int, text: str, status: str | None, notes: list[str]
) -> int:
    """What process_one writes for one message: the lead (status first), then the decision."""
    pk = store_message(store, n, sender, text)
    changes = {"name": "Anna de Vries", "status": status}
    with store.transaction():
        lead_id = store.upsert_lead(sender, changes, NOW)
        store.log_event(
            "decision",
            {"category": "inquiry", "reasons": [], "notes": notes},
            NOW,
            lead_id=lead_id,
            message_id=pk,
        )
    return lead_id


def untold(store: Store) -> list[tuple[str, str, list[str]]]:
    import json

    return [
        (r["email"], r["kind"], json.loads(r["detail"]).get("notes", []))
        for r in store.untold_attention()
    ]


def tell_all(store: Store) -> None:
    store.mark_told([(r["lead_id"], r["after_event"]) for r in store.untold_attention()], NOW)


def test_a_lead_set_to_needs_attention_is_one_item_until_told(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Hallo", "offered", [])
    assert untold(store) == []
    decide(store, "anna@example.org", 2, "Korting?", "needs_attention", ["asks for a discount"])
    assert untold(store) == [("anna@example.org", "decision", ["asks for a discount"])]
    [row] = store.untold_attention()
    assert row["text"] == "Korting?" and row["raw"].startswith(b"From: anna@example.org")

    tell_all(store)
    assert untold(store) == []


def test_a_message_that_leaves_the_status_alone_is_no_new_item(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["asks for a discount"])
    tell_all(store)
    decide(store, "anna@example.org", 2, "Dank je!", None, ["no reply for other"])
    assert untold(store) == []


def test_a_new_message_that_needs_a_person_again_is_a_new_item(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["asks for a discount"])
    tell_all(store)
    decide(store, "anna@example.org", 2, "En een factuur?", "needs_attention", ["asks for a PO"])
    assert untold(store) == [("anna@example.org", "decision", ["asks for a PO"])]


def test_a_spell_begun_after_the_digest_was_read_stays_untold(store: Store) -> None:
    decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["asks for a discount"])
    read = [(r["lead_id"], r["after_event"]) for r in store.untold_attention()]
    decide(store, "anna@example.org", 2, "En een factuur?", "needs_attention", ["asks for a PO"])
    store.mark_told(read, NOW)
    assert untold(store) == [("anna@example.org", "decision", ["asks for a PO"])]


def test_a_refused_reply_is_an_item_about_the_message_it_answered(store: Store) -> None:
    lead_id = decide(store, "bob@example.org", 1, "Wanneer?", "offered", [])
    reply_id = store.queue_reply(
        {
            "lead_id": lead_id,
            "in_reply_to": 1,
            "kind": "inquiry",
            "to_addr": "bob@example.org",
            "message_id": "<r1@example.org>",
            "status": "failed",
            "created": NOW.isoformat(),
        }
    )
    # As the outbox's delivery (Delivery._send_one) does on a 5xx: the status, then its own event.
    with store.transaction():
        store.set_lead_status(lead_id, "needs_attention", NOW)
        error = {"reply": reply_id, "error": "550 5.1.1 no such user"}
        store.log_event("reply_failed", error, NOW, lead_id=lead_id)
    [row] = store.untold_attention()
    assert row["email"] == "bob@example.org" and row["kind"] == "reply_failed"
    assert row["text"] == "Wanneer?"


def test_what_the_organiser_flagged_by_hand_or_resolved_is_not_told(store: Store) -> None:
    lead_id = decide(store, "anna@example.org", 1, "Hallo", "offered", [])
    store.set_status_by_organiser(lead_id, "needs_attention", NOW)
    assert untold(store) == []
    other = decide(store, "bob@example.org", 2, "Korting?", "needs_attention", ["discount"])
    store.set_status_by_organiser(other, "closed", NOW)
    assert untold(store) == []


def test_erasing_the_lead_removes_its_record(store: Store) -> None:
    lead_id = decide(store, "anna@example.org", 1, "Korting?", "needs_attention", ["discount"])
    store.erase_lead(lead_id, NOW + timedelta(minutes=1))
    assert store.conn.execute("select count(*) from attention").fetchone()[0] == 0


def test_leads_waiting_before_the_upgrade_are_told_once(tmp_path: Path) -> None:
    """A database from before m008: the latest decision or refused reply is each one's item."""
    from sqlite_utils import Database

    from inbox_worker.store.migrations import migrations

    path = tmp_path / "leads.db"
    db = Database(path)
    migrations.apply(db, stop_before="m008_attention_told")
    for lead_id, email, status in ((1, "anna@example.org", "needs_attention"),
                                   (2, "bob@example.org", "offered"),
                                   (3, "carol@example.org", "needs_attention")):  # fmt: skip
        db["leads"].insert(
            {"id": lead_id, "email": email, "status": status, "created": "x", "updated": "x"}
        )
    for lead_id, kind, detail in (
        (1, "decision", '{"notes": ["an old question"]}'),
        (1, "decision", '{"notes": ["asks for a discount"]}'),
        (2, "decision", '{"notes": []}'),
        (3, "decision", '{"notes": []}'),
        (3, "reply_queued", "{}"),
        (3, "reply_failed", '{"reply": 7, "error": "550 no such user"}'),
    ):
        db["events"].insert({"ts": "x", "lead_id": lead_id, "kind": kind, "detail": detail})
    db.close()
    with Store(path) as upgraded:
        assert untold(upgraded) == [
            ("anna@example.org", "decision", ["asks for a discount"]),
            ("carol@example.org", "reply_failed", []),
        ]


# -- the poll summary -------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    from click.testing import CliRunner

    from cli import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def ask_twice(desk: LocalDesk, n: int) -> str:
    """An inquiry, and the same person asking again before the offer may be repeated:
    the second one needs a person."""
    sender = f"deelnemer{n}@gemeente-voorbeeld.nl"
    desk.deliver(mailfactory.inquiry_nl(n, sender=sender))
    desk.deliver(mailfactory.inquiry_nl(n + 100, sender=sender))
    return sender


NEEDS_YOU = "you: inbox-worker leads list --status needs_attention"


def test_the_poll_summary_names_what_needs_you_and_the_command(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    config = str(desk.config_path)
    desk.deliver(mailfactory.inquiry_en(1))
    code, _, err = invoke("--config", config, "poll")
    assert code == 0
    assert err == "1 new, 1 inquiry, 1 reply sent\n"

    first = ask_twice(desk, 2)
    code, _, err = invoke("--config", config, "poll")
    assert code == 0
    assert err.startswith("2 new, 2 inquiries, ") and err.endswith(f", 1 needs {NEEDS_YOU}\n")
    second = ask_twice(desk, 3)
    invoke("--config", config, "poll")
    code, _, err = invoke("--config", config, "poll")  # idle: still waiting
    assert (code, err) == (0, f"0 new, 2 need {NEEDS_YOU}\n")

    code, out, _ = invoke("--config", config, "leads", "list", "--status", "needs_attention")
    assert code == 0
    listed = [line.split()[1] for line in out.splitlines()[1:]]
    assert sorted(listed) == [first, second]


def test_under_cron_a_healthy_pass_still_prints_nothing(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    ask_twice(desk, 1)
    assert invoke("-q", "--config", str(desk.config_path), "poll") == (0, "", "")


# -- items -> the digest mail (pure) --------------------------------------------------


def waiting(email: str, *, name: str = "", text: str = "", subject: str = "",
            cause: str = "decision", **detail: object) -> Item:  # fmt: skip
    return Item(lead_id=1, after_event=0, email=email, name=name, cause=cause,
                detail=detail, text=text, subject=subject)  # fmt: skip


def rendered(items: list[Item], language: str = "nl") -> EmailMessage:
    organiser = OrganiserConfig(name="Gertjan Verstoep", email=mailfactory.ORGANISER)
    req = digest.request(
        items, language=language, organiser=organiser,
        message_id=make_message_id(organiser.email, "d1"),
    )  # fmt: skip
    sender = Sender(organiser.name, organiser.email)
    return Renderer([default_template_dir()]).render(req, sender=sender, date=NOW)


def body(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return part.get_content()


DISCOUNT = waiting(
    "anna@example.org",
    name="Anna de Vries",
    text="Goedemiddag,\n\nWij willen met 8 collega's komen. Is er dan korting mogelijk? "
    "En kan de factuur op ons inkoopnummer 4711? Dat zou fijn zijn.\n\nAlvast bedankt!\n",
    notes=["needs attention: asks for a discount for 8 people"],
)
REFUSED = waiting(
    "bob@example.org", cause="reply_failed", text="Wanneer is de volgende?",
    reply=12, error="550 5.1.1 <bob@example.org>: no such user",
)  # fmt: skip


def test_two_items_become_one_mail_to_the_organiser_listing_both() -> None:
    msg = rendered([DISCOUNT, REFUSED])

    assert msg["To"].addresses[0].addr_spec == mailfactory.ORGANISER
    assert msg["Auto-Submitted"] == "auto-generated"  # it answers nobody (RFC 3834)
    assert msg["In-Reply-To"] is None
    assert msg["Subject"] == "2 berichten wachten op jou (inbox-worker)"
    assert msg["Content-Language"] == "nl"
    text = body(msg)
    assert text.startswith("Hoi Gertjan,\n")
    assert (
        "1. Anna de Vries <anna@example.org>\n"
        "   schreef: Goedemiddag, Wij willen met 8 collega's komen. Is er dan korting\n"
        "            mogelijk? En kan de factuur op ons inkoopnummer 4711? Dat zou fijn …\n"
        "   waarom:  asks for a discount for 8 people\n"
        "   doen:    inbox-worker leads show anna@example.org\n"
    ) in text
    assert (
        "2. bob@example.org\n"
        "   schreef: Wanneer is de volgende?\n"
        "   waarom:  ons antwoord #12 kwam niet aan: 550 5.1.1 <bob@example.org>: no such user\n"
        "   doen:    inbox-worker replies show 12\n"
    ) in text
    assert "inbox-worker leads list --status needs_attention" in text


def test_the_digest_speaks_the_configured_language() -> None:
    msg = rendered([DISCOUNT], "en")
    assert msg["Subject"] == "1 message waits for you (inbox-worker)"
    assert "   why:     asks for a discount for 8 people\n" in body(msg)
    assert "   command: inbox-worker leads show anna@example.org\n" in body(msg)


def test_what_they_wrote_is_two_lines_without_control_characters() -> None:
    hostile = "Hallo\x1b[2J\x1b]0;pwned\x07 daar\u202egnirts\u200b\tnog\r\neen regel\x00" * 20
    wrote = digest.excerpt(hostile)
    assert len(wrote) == 2 and wrote[1].endswith(" …")
    assert all(len(line) <= digest.WROTE_WIDTH for line in wrote)
    assert not [ch for line in wrote for ch in line if unicodedata.category(ch).startswith("C")]
    assert wrote[0].startswith("Hallo[2J]0;pwned daargnirts nog een regelHallo[2J]")
    assert digest.excerpt("  \n\n ") == ()


def test_a_message_with_no_new_text_is_known_by_its_subject() -> None:
    entry = digest.entry(waiting("c@example.org", subject="Aanmelding 4 februari, zie onderwerp"))
    assert entry.wrote == ("Aanmelding 4 februari, zie onderwerp",)


def test_the_reason_is_the_decision_notes_or_at_least_the_category() -> None:
    notes = waiting("c@example.org", notes=["in-company for 15", "needs a quote"])
    assert digest.reason(notes) == "in-company for 15; needs a quote"
    assert digest.reason(waiting("c@example.org", category="other")) == (
        "a message (other) to answer"
    )


def test_the_command_is_safe_to_paste_into_a_shell() -> None:
    odd = waiting('"$(touch pwned)"@example.org')
    assert digest.command(odd) == """inbox-worker leads show '"$(touch pwned)"@example.org'"""
    assert digest.command(waiting("o.brien+ws@example.org")) == (
        "inbox-worker leads show o.brien+ws@example.org"
    )


# -- the digest command (Maildir in, file outbox out) ------------------------------------


def outbox(desk: LocalDesk) -> list[EmailMessage]:
    return [m for m in desk.sent() if m["To"].addresses[0].addr_spec == mailfactory.ORGANISER]


def test_dry_run_prints_the_digest_and_records_nothing(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    config = str(desk.config_path)
    anna = ask_twice(desk, 1)
    invoke("--config", config, "poll")

    for _ in range(2):
        code, out, _ = invoke("--config", config, "digest", "--dry-run")
        assert code == 0
        assert out.startswith(f"From: Gertjan Verstoep <{mailfactory.ORGANISER}>\n")
        assert "Subject: 1 bericht wacht op jou (inbox-worker)\n" in out
        assert f"   doen:    inbox-worker leads show {anna}\n" in out
    assert outbox(desk) == []
    code, _, err = invoke("--config", config, "digest")
    assert (code, err) == (0, f"Digest sent to {mailfactory.ORGANISER}: 1 item.\n")
    assert len(outbox(desk)) == 1


def test_nothing_waiting_sends_nothing_and_says_nothing_under_cron(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    desk.deliver(mailfactory.inquiry_nl(1))
    invoke("--config", str(desk.config_path), "poll")
    assert invoke("-q", "--config", str(desk.config_path), "digest") == (0, "", "")
    code, _, err = invoke("--config", str(desk.config_path), "digest")
    assert (code, err) == (0, "Nothing new needs you: no digest sent.\n")
    assert outbox(desk) == []


def test_a_digest_that_cannot_be_sent_is_one_line_and_sent_whole_next_time(
    tmp_path: Path,
) -> None:
    desk = LocalDesk(tmp_path)
    config = str(desk.config_path)
    first, second = ask_twice(desk, 1), ask_twice(desk, 2)
    invoke("--config", config, "poll")
    kept = tmp_path / "outbox-kept"
    desk.outbox.rename(kept)
    desk.outbox.write_text("not a folder")

    code, out, err = invoke("-q", "--config", config, "digest")
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: digest to Gertjan Verstoep <{mailfactory.ORGANISER}> not sent:")
    assert err.endswith("; the next digest lists its items again\n") and err.count("\n") == 1

    desk.outbox.unlink()
    kept.rename(desk.outbox)
    assert invoke("-q", "--config", config, "digest") == (0, "", "")
    [sent] = outbox(desk)
    assert first in body(sent) and second in body(sent)


def test_the_digest_coming_back_into_the_mailbox_is_machine_mail(tmp_path: Path) -> None:
    """[organiser] email is usually the mailbox polled: the digest must not become a lead."""
    desk = LocalDesk(tmp_path)
    config = str(desk.config_path)
    anna = ask_twice(desk, 1)
    invoke("--config", config, "poll")
    invoke("--config", config, "digest")
    [sent] = outbox(desk)
    desk.deliver(sent.as_bytes())
    invoke("--config", config, "poll")

    db = Database(desk.database)
    [message] = db["messages"].rows_where("message_id = ?", [sent["Message-ID"]])
    assert message["category"] == "auto_reply" and message["lead_id"] is None
    # The offer to Anna and the digest; nothing answered the digest.
    recipients = sorted(m["To"].addresses[0].addr_spec for m in desk.sent())
    assert recipients == sorted([anna, mailfactory.ORGANISER])
    assert db["leads"].count == 1


# -- end to end: Dovecot in, aiosmtpd out ---------------------------------------------------


def test_the_digest_tells_each_waiting_lead_once_over_smtp(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    config = str(write_config(tmp_path, imap_account, smtp_server))
    env = {"TEST_IMAP_PASSWORD": imap_account.password}

    def run(*args: str) -> tuple[int, str]:
        from click.testing import CliRunner

        from cli import cli

        result = CliRunner().invoke(cli, ["--config", config, *args], env=env)
        return result.exit_code, result.output

    def digests() -> list[str]:
        to_organiser = [m for m in smtp_server.messages if m.rcpt_tos == (mailfactory.ORGANISER,)]
        return [body(m.message).replace("\r\n", "\n") for m in to_organiser]

    # Bob's offer is refused for good; Anna asks again before an offer may be repeated.
    bob = "bob@gemeente-voorbeeld.nl"
    imap_account.deliver(mailfactory.inquiry_en(1, sender=bob))
    smtp_server.fail_next(550, "5.1.1 no such user", at="rcpt")
    assert run("poll")[0] == 1  # a reply failed
    anna = "anna@gemeente-voorbeeld.nl"
    imap_account.deliver(mailfactory.inquiry_nl(2, sender=anna))
    imap_account.deliver(mailfactory.inquiry_nl(3, sender=anna))
    code, summary = run("poll")
    assert code == 0 and summary.endswith(f", 2 need {NEEDS_YOU}\n")

    assert run("digest") == (0, f"Digest sent to {mailfactory.ORGANISER}: 2 items.\n")
    [both] = digests()
    [failed] = Database(tmp_path / "leads.db")["replies"].rows_where("status = 'failed'")
    assert f"   doen:    inbox-worker leads show {anna}\n" in both
    assert f"   doen:    inbox-worker replies show {failed['id']}\n" in both
    assert "ons antwoord #" in both and "no such user" in both
    received = smtp_server.messages[-1].message
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["From"].addresses[0].addr_spec == mailfactory.ORGANISER

    assert run("digest") == (0, "Nothing new needs you: no digest sent.\n")
    assert len(digests()) == 1

    carol = "carol@gemeente-voorbeeld.nl"
    imap_account.deliver(mailfactory.inquiry_nl(4, sender=carol))
    imap_account.deliver(mailfactory.inquiry_nl(5, sender=carol))
    run("poll")
    assert run("digest") == (0, f"Digest sent to {mailfactory.ORGANISER}: 1 item.\n")
    only_carol = digests()[-1]
    assert f"inbox-worker leads show {carol}\n" in only_carol
    assert anna not in only_carol and bob not in only_carol
