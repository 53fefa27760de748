"""Loops and floods: no ping-pong with other robots, no mailing to one address.

Each test routes mail between our worker and another party by hand, for
several rounds more than a loop would need to show itself, and counts what
we sent. The worker runs on a local Maildir with a file outbox
(tests/localdesk.py): the decisions are the same as on IMAP and SMTP.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from sqlite_utils import Database

from inbox_worker import config as config_mod
from inbox_worker.app import build_worker
from inbox_worker.outbox.caps import FLOOD_WINDOW, MAX_REPLIES_PER_ADDRESS
from inbox_worker.store import Store
from tests import mailfactory
from tests.localdesk import LocalDesk

ROUNDS = 6
OTHER = "cursus@opleidingen-voorbeeld.nl"


def answer(
    to_mail: EmailMessage,
    sender: str,
    body: str,
    *,
    subject: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """A reply from `sender` to `to_mail`, with whatever headers the robot adds."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = str(to_mail["From"])
    msg["Subject"] = subject if subject is not None else f"Re: {to_mail['Subject']}"
    msg["Date"] = format_datetime(mailfactory.DATE)
    msg["Message-ID"] = make_msgid(domain=sender.split("@")[1])
    msg["In-Reply-To"] = str(to_mail["Message-ID"])
    msg["References"] = str(to_mail["Message-ID"])
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def play(desk: LocalDesk, robot: Callable[[EmailMessage], bytes | None]) -> int:
    """Route our replies to `robot` and its answers back, ROUNDS times; our replies sent."""
    total = 0
    for _ in range(ROUNDS):
        desk.run()
        ours = desk.new_replies()
        total += len(ours)
        for reply in ours:
            back = robot(reply)
            if back is not None:
                desk.deliver(back)
        desk.now += timedelta(minutes=5)
    return total


def test_two_inbox_workers_cannot_ping_pong(tmp_path: Path) -> None:
    us = LocalDesk(tmp_path / "us")
    them = LocalDesk(tmp_path / "them", organiser=OTHER)
    # Their organiser asks us something by hand: a real inquiry, it gets our offer.
    us.deliver(mailfactory.inquiry_nl(1, sender=OTHER))
    sent = {"us": 0, "them": 0}
    for _ in range(ROUNDS):
        for name, desk, other in (("us", us, them), ("them", them, us)):
            desk.run()
            for reply in desk.new_replies():
                sent[name] += 1
                other.deliver(reply.as_bytes())
    assert sent == {"us": 1, "them": 0}
    [message] = [r for r in Database(them.database)["messages"].rows]
    assert message["category"] == "auto_reply"
    assert "header:auto-submitted=auto-replied" in message["reasons"]


def vacation(reply: EmailMessage) -> bytes:
    return answer(
        reply,
        str(reply["To"].addresses[0].addr_spec),
        "Ik ben afwezig tot en met 7 december.",
        subject=f"Automatisch antwoord: {reply['Subject']}",
        headers={"Auto-Submitted": "auto-replied"},
    )


def plain_robot(reply: EmailMessage) -> bytes:
    """A responder that sets no header at all and keeps our subject, quoting our text."""
    quoted = reply.get_body(("plain",))
    assert quoted is not None
    return answer(
        reply,
        str(reply["To"].addresses[0].addr_spec),
        "Bedankt voor uw bericht, wij nemen zo spoedig mogelijk contact met u op.\n\n"
        + "\n".join("> " + line for line in quoted.get_content().splitlines()),
    )


def ticket_robot(reply: EmailMessage) -> bytes:
    """A helpdesk that opens a ticket for everything, under a fresh subject each time."""
    return answer(
        reply,
        str(reply["To"].addresses[0].addr_spec),
        "Hello, we have received your request and will get back to you shortly.",
        subject=f"[Ticket #{make_msgid()[1:9]}] {reply['Subject']}",
    )


@pytest.mark.parametrize("robot", [vacation, plain_robot, ticket_robot])
def test_our_worker_and_a_responder_stop_within_one_reply(
    tmp_path: Path, robot: Callable[[EmailMessage], bytes]
) -> None:
    desk = LocalDesk(tmp_path)
    desk.deliver(mailfactory.inquiry_nl(1))
    assert play(desk, robot) == 1
    # The robot's one answer was read and decided on, and got no reply.
    db = Database(desk.database)
    assert db["messages"].count == 2
    assert len([e for e in db["events"].rows if e["kind"] == "decision"]) == 2


@pytest.mark.slow
def test_a_flood_from_one_address_gets_one_reply_per_period(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path, min_days=7)
    sender = "flood@gemeente-voorbeeld.nl"
    for n in range(600):
        desk.deliver(mailfactory.inquiry_nl(n, sender=sender))
    report = desk.run()
    assert (report.new, report.sent) == (600, 1)
    desk.now += timedelta(days=6)
    for n in range(600, 1000):
        desk.deliver(mailfactory.inquiry_en(n, sender=sender))
    report = desk.run()
    assert (report.new, report.sent) == (400, 0)
    assert len(desk.sent()) == 1
    # The next period: one again.
    desk.now += timedelta(days=2)
    desk.deliver(mailfactory.inquiry_nl(1001, sender=sender))
    assert desk.run().sent == 1
    suppressed = [
        r for r in Database(desk.database)["events"].rows if r["kind"] == "reply_suppressed"
    ]
    assert len(suppressed) == 999


def test_a_flood_of_bookings_and_cancellations_is_capped(tmp_path: Path) -> None:
    """Each booking change is a new booking, exempt from the per-kind limit: the cap holds."""
    desk = LocalDesk(tmp_path)
    sender = "wisselaar@gemeente-voorbeeld.nl"
    desk.deliver(mailfactory.inquiry_nl(0, sender=sender))
    desk.run()
    [offer] = desk.new_replies()
    for n in range(1, 201):
        body = "Graag optie 1." if n % 2 else "Helaas moet ik mijn aanmelding annuleren."
        desk.deliver(mailfactory.reply_to(offer.as_bytes(), sender, "Wisselaar", body, n))
    desk.run()
    replies = desk.new_replies()
    # The offer counts too: five in all within the day.
    assert len(replies) == MAX_REPLIES_PER_ADDRESS - 1, [r["Subject"] for r in replies]
    db = Database(desk.database)
    [lead] = db["leads"].rows
    assert lead["status"] == "needs_attention"
    floods = [e for e in db["events"].rows if "flood:" in e["detail"]]
    assert len(floods) == 200 - len(replies)
    # The cap covers changes: the bookings are where our last reply said they
    # were (four replies: booked, cancelled, booked, cancelled), not where the
    # 200th message would have put them.
    statuses = [b["status"] for b in db["bookings"].rows]
    assert statuses.count("confirmed") == 0
    assert len(statuses) == 2  # the two bookings our replies told of, and no more
    # A day later the limit starts again, at one reply per message.
    desk.now += FLOOD_WINDOW
    desk.deliver(mailfactory.reply_to(offer.as_bytes(), sender, "Wisselaar", "Graag optie 2.", 999))
    desk.run()
    assert len(desk.new_replies()) == 1


def own_reply(desk: LocalDesk) -> EmailMessage:
    desk.deliver(mailfactory.inquiry_nl(1))
    desk.run()
    [reply] = desk.new_replies()
    return reply


def bounce_of(reply: EmailMessage) -> bytes:
    """A DSN that carries the headers of our reply (text/rfc822-headers)."""
    failed = reply["To"].addresses[0].addr_spec
    headers = "".join(f"{k}: {v}\r\n" for k, v in reply.items() if k.lower() != "content-type")
    return (
        "From: Mail Delivery Subsystem <mailer-daemon@mx.gemeente-voorbeeld.nl>\r\n"
        f"To: {reply['From']}\r\n"
        "Subject: Delivery Status Notification (Failure)\r\n"
        f"Date: {format_datetime(mailfactory.DATE)}\r\n"
        f"Message-ID: {make_msgid(domain='mx.gemeente-voorbeeld.nl')}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="x"\r\n\r\n'
        "--x\r\nContent-Type: text/plain\r\n\r\nDelivery to the following recipient failed.\r\n"
        f"--x\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--x\r\nContent-Type: text/rfc822-headers\r\n\r\n{headers}\r\n--x--\r\n"
    ).encode()


def from_ourselves(reply: EmailMessage) -> bytes:
    """Our reply as it comes back when the organiser is on the recipient's forward list."""
    raw = reply.as_bytes()
    return raw.replace(b"Message-ID: <inbox-worker.", b"Message-ID: <copy.", 1)


def inquiry_from_our_address(reply: EmailMessage) -> bytes:
    return mailfactory.inquiry_nl(50, sender=mailfactory.ORGANISER)


def machine_answer_to_our_id(reply: EmailMessage) -> bytes:
    return answer(
        reply,
        "systeem@gemeente-voorbeeld.nl",
        "Uw e-mail is in goede orde ontvangen en krijgt zaaknummer 2026-1234.",
        headers={"X-Autoreply": "yes"},
    )


@pytest.mark.parametrize(
    "comes_back", [bounce_of, from_ourselves, inquiry_from_our_address, machine_answer_to_our_id]
)
def test_our_own_mail_coming_back_is_never_answered(
    tmp_path: Path, comes_back: Callable[[EmailMessage], bytes]
) -> None:
    desk = LocalDesk(tmp_path)
    reply = own_reply(desk)
    desk.deliver(comes_back(reply))
    desk.now += timedelta(days=30)  # past every rate limit: only the loop rules can stop it
    report = desk.run()
    assert report.new == 1 and report.sent == 0
    assert desk.new_replies() == []
    if comes_back is bounce_of:
        [lead] = Database(desk.database)["leads"].rows
        assert lead["status"] == "undeliverable"


def test_reply_headers_tell_other_robots_not_to_answer(tmp_path: Path) -> None:
    desk = LocalDesk(tmp_path)
    reply = own_reply(desk)
    raw = message_from_bytes(reply.as_bytes(), policy=policy.default)
    assert raw["Auto-Submitted"] == "auto-replied"
    assert raw["X-Auto-Response-Suppress"] == "All"
    assert len(raw["To"].addresses) == 1 and raw["Cc"] is None


def test_all_automatic_mail_stops_at_max_per_hour_and_waits_for_the_organiser(
    tmp_path: Path,
) -> None:
    """A flood of (forged) senders must not turn the organiser into a mass mailer:
    past [replies] max_per_hour, replies are held and the summary says so."""
    desk = LocalDesk(tmp_path)
    text = desk.config_path.read_text(encoding="utf-8")
    desk.config_path.write_text(
        text.replace("[replies]\n", "[replies]\nmax_per_hour = 3\n"), encoding="utf-8"
    )
    for n in range(5):
        desk.deliver(mailfactory.inquiry_nl(n, sender=f"persoon{n}@gemeente-voorbeeld.nl"))
    report = desk.run()
    assert len(desk.new_replies()) == 3
    assert (report.held, report.over_ceiling) == (2, 2)
    assert "2 replies held at max_per_hour: inbox-worker replies approve" in report.summary()
    db = Database(desk.database)
    assert [r["status"] for r in db["replies"].rows].count("held") == 2
    # An hour on, the ceiling has room again; what was held waits for approval.
    desk.now += timedelta(hours=1, minutes=1)
    desk.deliver(mailfactory.inquiry_nl(9, sender="later@gemeente-voorbeeld.nl"))
    desk.run()
    assert len(desk.new_replies()) == 1


def test_watch_counts_the_hour_afresh_each_pass(tmp_path: Path) -> None:
    """One Worker across passes (`watch`) holds no reply that `poll` would send:
    the ceiling counts the last hour at each pass, not from an old count."""
    desk = LocalDesk(tmp_path)
    text = desk.config_path.read_text(encoding="utf-8")
    desk.config_path.write_text(
        text.replace("[replies]\n", "[replies]\nmax_per_hour = 3\n"), encoding="utf-8"
    )
    config = config_mod.load(desk.config_path)
    start = desk.now
    with Store(config.storage.database) as store:
        worker = build_worker(config, store, clock=lambda: desk.now)
        for minutes, senders in ((0, 1), (50, 2), (61, 1), (115, 1)):
            desk.now = start + timedelta(minutes=minutes)
            for n in range(senders):
                address = f"p{minutes}-{n}@gemeente-voorbeeld.nl"
                desk.deliver(mailfactory.inquiry_nl(minutes * 10 + n, sender=address))
            report = worker.run_once()
        # At 1:55 the last hour holds the replies of 1:01 only: room for this one.
        assert report.held == 0, report.summary()


@pytest.mark.parametrize(
    "body",
    [
        "Graag optie 1. We komen met 500 mensen.",
        "Optie 2 graag, voor 100000 deelnemers.",
        "Optie 1, 0 personen.",
        "Graag optie 1, we zijn met 20 deelnemers.",  # the session holds 16
    ],
)
def test_a_head_count_no_session_takes_waits_for_the_organiser(tmp_path: Path, body: str) -> None:
    """Never a waitlist place that can never be filled, never a silent single seat:
    nothing is booked, the organiser decides, and the person is told so."""
    desk = LocalDesk(tmp_path, capacity=16)
    sender = "groep@gemeente-voorbeeld.nl"
    desk.deliver(mailfactory.inquiry_nl(0, sender=sender))
    desk.run()
    [offer] = desk.new_replies()
    desk.deliver(mailfactory.reply_to(offer.as_bytes(), sender, "Groep", body, 1))
    desk.run()
    db = Database(desk.database)
    assert db["bookings"].count == 0
    [lead] = db["leads"].rows
    assert lead["status"] == "needs_attention"
    [reply] = desk.new_replies()
    assert "nog niets geboekt" in reply.get_body(("plain",)).get_content()
