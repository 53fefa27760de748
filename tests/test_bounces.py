"""Bounces: who failed, and who may be marked undeliverable for it.

A delivery report names its failed recipients in its own fields (RFC 3464
Final-Recipient/Original-Recipient with Action and Status, Exim's
X-Failed-Recipients); the text around them names the original sender and
Message-IDs too, which never failed. A report marks an address undeliverable
only when it returns one of our sent replies (by Message-ID) to that very
address with a 5.x.x status: anyone can write a report naming anyone.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from sqlite_utils import Database

from inbox_worker.deciding.workflow import Situation, decide
from inbox_worker.model import Booking, Policy, SessionSeats
from inbox_worker.reading import bounces
from inbox_worker.reading.classify import Category, Classification
from inbox_worker.reading.extract import Facts
from inbox_worker.reading.message import parse
from tests.corpus import CORPUS
from tests.localdesk import LocalDesk
from tests.servers import ImapAccount, SmtpServer

ORGANISER = "workshops@example.org"
ALICE = "alice.deboer@gemeente-voorbeeld.nl"
OURS = "<inbox-worker.1.abc@example.org>"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
POLICY = Policy(our_addresses=frozenset({ORGANISER}))
TRUTH = Path(__file__).parent / "fixtures" / "sisimai_failed_recipients.tsv"


def report(
    failed: str = ALICE,
    status: str = "5.1.1",
    *,
    returned_id: str = OURS,
    returned_to: str = ALICE,
    text: str = "",
    action: str = "failed",
) -> bytes:
    """A Postfix-style DSN to the organiser returning the header of a message to returned_to."""
    text = text or (
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"<{failed}>: host mx said: 550 {status} User unknown\r\n"
    )
    return (
        "Return-Path: <>\r\n"
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        f"To: {ORGANISER}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Fri, 20 Nov 2026 10:00:00 +0100\r\n"
        f"Message-ID: {make_msgid(domain='mx.example.org')}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
        "\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
        f"{text}"
        "\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: {action}\r\nStatus: {status}\r\n"
        "\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: Workshops <{ORGANISER}>\r\nTo: {returned_to}\r\n"
        f"Subject: Re: Aanmelding\r\nMessage-ID: {returned_id}\r\n"
        "\r\n--b1--\r\n"
    ).encode()


def qmail_report(failed: str, returned_id: str = OURS) -> bytes:
    """A plain-text report (no DSN fields) that names the original sender in its text."""
    return (
        "From: MAILER-DAEMON@mx.gemeente-voorbeeld.nl\r\n"
        f"To: {ORGANISER}\r\n"
        "Subject: failure notice\r\n"
        "Date: Fri, 20 Nov 2026 10:00:00 +0100\r\n\r\n"
        "Hi. This is the qmail-send program at mx.gemeente-voorbeeld.nl.\r\n"
        f"Your message from {ORGANISER} could not be delivered to the following addresses.\r\n"
        "This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
        f"<{failed}>:\r\n"
        f"Remote host said: 550 5.1.1 <{failed}>: Recipient address rejected\r\n\r\n"
        "--- Below this line is a copy of the message.\r\n\r\n"
        f"Return-Path: <{ORGANISER}>\r\n"
        f"From: Workshops <{ORGANISER}>\r\n"
        f"Reply-To: {ORGANISER}\r\n"
        f"To: {failed}\r\n"
        f"Message-ID: {returned_id}\r\n"
        "Subject: Re: Aanmelding\r\n\r\n"
        f"Beste Alice,\r\n\r\nVragen? Mail {ORGANISER} of bel ons.\r\n"
    ).encode()


# -- reading the report ---------------------------------------------------------


def test_failed_recipients_come_from_the_dsn_fields() -> None:
    dsn = parse(report()).dsn
    assert dsn is not None
    assert [(f.address, f.status) for f in dsn.failed] == [(ALICE, "5.1.1")]
    assert dsn.returned_message_id == OURS


def test_a_report_whose_text_names_the_original_sender_never_yields_it() -> None:
    dsn = parse(qmail_report(ALICE)).dsn
    assert dsn is not None
    assert [(f.address, f.status) for f in dsn.failed] == [(ALICE, "5.1.1")]
    assert dsn.returned_message_id == OURS
    # The same with DSN fields that name nobody: the text is read, the sender left out.
    text = f"Your message from {ORGANISER} to {ALICE} was rejected: 550 5.1.1\r\n"
    dsn = parse(report(failed="", text=text).replace(b"Final-Recipient: rfc822; \r\n", b"")).dsn
    assert dsn is not None and [f.address for f in dsn.failed] == [ALICE]


def test_message_ids_in_the_text_are_never_recipients() -> None:
    raw = qmail_report(ALICE, returned_id="<20261120.4711.qmail@mx.gemeente-voorbeeld.nl>")
    dsn = parse(raw).dsn
    assert dsn is not None and [f.address for f in dsn.failed] == [ALICE]


def test_a_double_bounce_reads_only_its_own_report() -> None:
    """The returned message is itself a report: its Final-Recipient failed long before."""
    inner = report(failed="oud@elders.example").decode()
    raw = (
        "From: MAILER-DAEMON@mx.example.org\r\nTo: postmaster@example.org\r\n"
        "Subject: Postmaster notify\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="outer"\r\n\r\n'
        "--outer\r\nContent-Type: text/plain\r\n\r\nReturned mail.\r\n"
        "--outer\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; nobody@sender.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n--outer--\r\n"
    ).encode()
    dsn = parse(raw).dsn
    assert dsn is not None and [f.address for f in dsn.failed] == ["nobody@sender.example"]


# -- the corpus --------------------------------------------------------------------


def _labelled() -> list[tuple[str, set[str], set[str]]]:
    with TRUTH.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return [
            (r["file"], set(r["failed"].split()), set(r["also"].split()))
            for r in rows
            if (CORPUS / "sisimai-dev" / r["file"]).is_file()
        ]


@pytest.mark.skipif(not (CORPUS / "sisimai-dev").is_dir(), reason=f"no corpus at {CORPUS}")
def test_sisimai_bounces_never_yield_an_address_that_did_not_fail() -> None:
    labelled = _labelled()
    assert len(labelled) > 150
    wrong: list[str] = []
    right = permanent = 0
    for name, failed, also in labelled:
        dsn = parse((CORPUS / "sisimai-dev" / name).read_bytes()).dsn
        assert dsn is not None, f"{name}: not read as a report"
        named = {a for f in dsn.failed for a in (f.address, f.final) if a}
        if named - failed - also:
            wrong.append(f"{name}: {sorted(named - failed - also)}")
        right += bool(named & (failed | also))
        permanent += any(f.permanent for f in dsn.failed)
    print(
        f"\nsisimai-dev: {len(labelled)} bounces, {len(wrong)} yield an address that did not"
        f" fail, {right} yield one that did ({right / len(labelled):.0%});"
        f" {permanent} with a permanent (5.x.x) failure"
    )
    assert not wrong, "\n".join(wrong)
    assert right >= 0.95 * len(labelled)


def decide_bounce(raw: bytes, ours: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    msg = parse(raw)
    verdict = Classification(Category.BOUNCE, "nl", ("test",))
    decision = decide(msg, verdict, Facts(), Situation(bounced_replies=ours), POLICY, NOW)
    return decision.undeliverable, decision.notes


# -- who is marked -----------------------------------------------------------------


def test_a_forged_report_naming_alice_that_answers_none_of_our_messages_marks_nobody() -> None:
    marked, notes = decide_bounce(report(returned_id="<made-up@example.org>"), ours={})
    assert marked == ()
    assert any("answers none of our messages" in n for n in notes)
    assert any("nobody marked undeliverable" in n for n in notes)


def test_a_genuine_report_for_our_mail_to_alice_marks_alice() -> None:
    raw = report()
    assert bounces.ids_to_look_up(parse(raw))[0] == OURS
    marked, notes = decide_bounce(raw, ours={OURS: ALICE})
    assert marked == (ALICE,)
    assert f"mail to {ALICE} bounces permanently (5.1.1)" in notes


def test_the_original_sender_is_never_marked() -> None:
    # Even a report that (wrongly) names our own address, for our own mail to it.
    marked, _ = decide_bounce(qmail_report(ALICE), ours={OURS: ALICE})
    assert marked == (ALICE,)
    marked, notes = decide_bounce(report(failed=ORGANISER), ours={OURS: ORGANISER})
    assert marked == ()
    assert any("our own address" in n for n in notes)


def test_a_temporary_failure_marks_nobody() -> None:
    raw = report(status="4.2.2", action="delayed")
    marked, notes = decide_bounce(raw, ours={OURS: ALICE})
    assert marked == ()
    assert f"mail to {ALICE} failed, not permanently (4.2.2): not marked" in notes
    # Action: failed after days of 4.x.x (expired): the address itself may be fine.
    assert decide_bounce(report(status="4.4.7"), ours={OURS: ALICE})[0] == ()


def test_our_message_to_someone_else_does_not_let_a_report_mark_alice() -> None:
    """Mallory returns the header of our reply to her, naming Alice as failed."""
    raw = report(returned_to="mallory@example.net")
    marked, notes = decide_bounce(raw, ours={OURS: "mallory@example.net"})
    assert marked == ()
    assert f"not marked, our returned mail did not go to them: {ALICE}" in notes


def test_the_bounces_own_references_count_as_the_message_it_answers() -> None:
    raw = report(returned_id="<unknown@example.org>").replace(
        b"MIME-Version: 1.0\r\n", f"In-Reply-To: {OURS}\r\nMIME-Version: 1.0\r\n".encode(), 1
    )
    assert OURS in bounces.ids_to_look_up(parse(raw))
    assert decide_bounce(raw, ours={OURS: ALICE})[0] == (ALICE,)


# -- the whole pass (Maildir + file outbox) ------------------------------------------


def _choice(sender: str, n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Alice de Boer <{sender}>"
    msg["To"] = ORGANISER
    msg["Subject"] = "Aanmelding workshop"
    msg["Date"] = format_datetime(datetime(2098, 12, 1, 8, 0, tzinfo=UTC))
    msg["Message-ID"] = f"<choice-{n}@mail.example.net>"
    msg.set_content("Graag meld ik me aan voor de workshop op 12 januari in Utrecht.\n\nAlice")
    return msg.as_bytes()


def _report_for(reply: EmailMessage, status: str = "5.1.1") -> bytes:
    to_addr = reply["To"].addresses[0].addr_spec
    return report(to_addr, status, returned_id=str(reply["Message-ID"]), returned_to=to_addr)


def _lead(desk: LocalDesk, email: str) -> dict:
    [lead] = Database(desk.database).query("select * from leads where email = ?", [email])
    return lead


def _notes(desk: LocalDesk) -> list[str]:
    rows = Database(desk.database).query("select detail from events where kind = 'decision'")
    return [n for r in rows for n in json.loads(r["detail"])["notes"]]


def test_a_forged_bounce_leaves_the_booking_and_the_conversation_alone(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    desk.deliver(_choice(ALICE, 1))
    desk.run()
    [confirmation] = desk.new_replies()
    desk.deliver(report(ALICE, returned_id="<guessed@example.org>"))
    desk.run()
    assert _lead(desk, ALICE)["status"] == "booked"
    assert any("answers none of our messages" in n for n in _notes(desk))
    # A temporary failure of our real confirmation changes nothing either.
    desk.deliver(_report_for(confirmation, status="4.2.2"))
    desk.run()
    assert _lead(desk, ALICE)["status"] == "booked"


# -- what the organiser sees ------------------------------------------------------


def test_status_after_says_what_the_lead_holds() -> None:
    starts = datetime(2099, 1, 12, 9, 30, tzinfo=UTC)
    sessions = [SessionSeats("utrecht", starts, starts + timedelta(hours=7), "Utrecht", 16, 1)]

    def booking(status: str) -> Booking:
        return Booking(1, 7, "utrecht", 1, status, 0, NOW)

    assert bounces.status_after(ALICE, "5.1.1", [], sessions) == (
        "undeliverable",
        f"mail to {ALICE} bounces permanently (5.1.1)",
    )
    assert bounces.status_after(ALICE, "5.1.1", [booking("cancelled")], sessions)[0] == (
        "undeliverable"
    )
    status, reason = bounces.status_after(ALICE, "5.1.1", [booking("confirmed")], sessions)
    assert status == "needs_attention"
    assert reason == (
        f"mail to {ALICE} bounces permanently (5.1.1);"
        " they hold a booking on 2099-01-12 09:30 (Utrecht)"
    )
    _, reason = bounces.status_after(ALICE, "5.2.1", [booking("waitlisted")], sessions)
    assert reason.endswith("they hold a waitlist place on 2099-01-12 09:30 (Utrecht)")


def test_a_genuine_bounce_of_a_confirmation_asks_the_organiser(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    desk.deliver(_choice(ALICE, 1))
    desk.run()
    [confirmation] = desk.new_replies()
    assert _lead(desk, ALICE)["status"] == "booked"
    desk.deliver(_report_for(confirmation))
    desk.run()
    assert _lead(desk, ALICE)["status"] == "needs_attention"
    assert (
        f"mail to {ALICE} bounces permanently (5.1.1);"
        " they hold a booking on 2099-01-12 09:30 (Utrecht)"
    ) in _notes(desk)


# -- on real servers, everyone at one public provider ----------------------------------

GMAIL_ORGANISER = "gertjan.verstoep@gmail.com"
GMAIL_ALICE = ("alice.deboer@gmail.com", "Alice de Boer")
GMAIL_MALLORY = ("mallory.jansen@gmail.com", "Mallory Jansen")


def _gmail_report(failed: str, returned: EmailMessage | None) -> bytes:
    """What Mallory can send from her own Gmail account: a report in Gmail's shape."""
    if returned is None:  # a returned header she makes up
        header = f"From: {GMAIL_ORGANISER}\r\nTo: {failed}\r\nMessage-ID: <guess@gmail.com>\r\n"
    else:  # the header of our real mail to her, with Alice as the failed recipient
        header = "".join(
            f"{k}: {v}\r\n" for k, v in returned.items() if k.lower() != "content-type"
        )
    return (
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\r\n"
        f"To: {GMAIL_ORGANISER}\r\n"
        "Subject: Delivery Status Notification (Failure)\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\n"
        f"Message-ID: {make_msgid(domain='mail.gmail.com')}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="g"\r\n\r\n'
        "--g\r\nContent-Type: text/plain\r\n\r\n"
        f"Address not found\r\n\r\nYour message wasn't delivered to {failed} because the address"
        " couldn't be found.\r\n"
        "--g\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; googlemail.com\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"\r\n--g\r\nContent-Type: text/rfc822-headers\r\n\r\n{header}\r\n--g--\r\n"
    ).encode()


def test_forged_bounces_at_a_shared_provider_mark_nobody(
    tmp_path: Path, imap_account: ImapAccount, smtp_server: SmtpServer
) -> None:
    from click.testing import CliRunner

    from cli import cli
    from tests import mailfactory
    from tests.configs import write_config

    config = write_config(tmp_path, imap_account, smtp_server)
    config.write_text(config.read_text().replace(mailfactory.ORGANISER, GMAIL_ORGANISER))
    seen = 0

    def poll() -> list[EmailMessage]:
        nonlocal seen
        result = CliRunner().invoke(
            cli,
            ["--config", str(config), "poll"],
            env={"TEST_IMAP_PASSWORD": imap_account.password},
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        new = smtp_server.messages[seen:]
        seen = len(smtp_server.messages)
        return [message_from_bytes(m.raw, policy=policy.default) for m in new]

    def choice(who: tuple[str, str], n: int) -> bytes:
        raw = _choice(who[0], n).replace(ORGANISER.encode(), GMAIL_ORGANISER.encode())
        return raw.replace(b"Alice de Boer", who[1].encode())

    imap_account.deliver(choice(GMAIL_ALICE, 1))
    imap_account.deliver(choice(GMAIL_MALLORY, 2))
    sent = {m["To"].addresses[0].addr_spec: m for m in poll()}
    alice_confirmation, mallory_confirmation = sent[GMAIL_ALICE[0]], sent[GMAIL_MALLORY[0]]
    db = Database(tmp_path / "leads.db")

    def alice() -> dict:
        [row] = db.query("select * from leads where email = ?", [GMAIL_ALICE[0]])
        return row

    assert alice()["status"] == "booked"

    # Mallory makes up a report naming Alice, then one around our real mail to her.
    imap_account.deliver(_gmail_report(GMAIL_ALICE[0], None))
    imap_account.deliver(_gmail_report(GMAIL_ALICE[0], mallory_confirmation))
    assert poll() == []
    assert alice()["status"] == "booked"
    [booking] = db.query("select status from bookings where lead_id = ?", [alice()["id"]])
    assert booking["status"] == "confirmed"
    notes = [
        n
        for r in db.query("select detail from events where kind = 'decision'")
        for n in json.loads(r["detail"])["notes"]
    ]
    assert any("answers none of our messages" in n for n in notes)
    assert f"not marked, our returned mail did not go to them: {GMAIL_ALICE[0]}" in notes

    # Alice's later mail is answered as before: her cancellation is confirmed to her.
    imap_account.deliver(
        mailfactory.reply_to(
            alice_confirmation.as_bytes(),
            *GMAIL_ALICE,
            "Helaas moet ik mijn aanmelding annuleren, ik kan toch niet.",
            3,
        ).replace(mailfactory.ORGANISER.encode(), GMAIL_ORGANISER.encode())
    )
    [answer] = poll()
    assert answer["To"].addresses[0].addr_spec == GMAIL_ALICE[0]
    assert answer["In-Reply-To"] is not None
    [booking] = db.query("select status from bookings where lead_id = ?", [alice()["id"]])
    assert booking["status"] == "cancelled"
