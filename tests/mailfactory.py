"""Small builders for the emails the pipeline tests put in a mailbox.

Written for these tests (not copied from anywhere): a Dutch and an English
inquiry, an out-of-office reply and a bounce, each with the headers real
clients and servers set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from inbox_worker.model import OfferedSession

ORGANISER = "workshops@example.org"
DATE = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
AMS = ZoneInfo("Europe/Amsterdam")
# The options of an offer, as numbered in it, for tests that read a reply to one.
OFFERED = (
    OfferedSession(1, "a", datetime(2027, 1, 12, 9, 30, tzinfo=AMS), "Utrecht"),
    OfferedSession(2, "b", datetime(2027, 2, 4, 9, 30, tzinfo=AMS), "Zwolle"),
    OfferedSession(3, "c", datetime(2027, 3, 10, 9, 30, tzinfo=AMS), "online"),
)


def inquiry_nl(n: int = 1, sender: str = "") -> bytes:
    sender = sender or f"deelnemer{n}@gemeente-voorbeeld.nl"
    return _mail(
        sender,
        f"Sanne Bakker {n}",
        "Vraag over de workshop Co-creëren met de samenleving",
        "Goedemiddag,\n\n"
        "Wij zijn binnen de gemeente bezig met een nieuwe participatieaanpak en ik ben\n"
        "erg geïnteresseerd in jullie workshop. Kunnen jullie mij laten weten wanneer\n"
        "de volgende data zijn en wat de kosten zijn?\n\n"
        "Met vriendelijke groet,\n\n"
        f"Sanne Bakker {n}\nBeleidsmedewerker participatie\nGemeente Voorbeeld\n",
        n,
    )


def inquiry_en(n: int = 1, sender: str = "") -> bytes:
    sender = sender or f"participant{n}@province-example.nl"
    return _mail(
        sender,
        f"James Miller {n}",
        "Question about your co-creation workshop",
        "Hello,\n\n"
        "I work for the province and I am interested in your workshop on citizen\n"
        "participation. Could you tell me when the next sessions are and what it costs?\n\n"
        "Kind regards,\n\n"
        f"James Miller {n}\nPolicy advisor\n",
        n + 500,
    )


def out_of_office(to_thread: str = "") -> bytes:
    msg = _message(
        "k.jansen@waterschap-voorbeeld.nl",
        "Kees Jansen",
        "Automatisch antwoord: Workshop",
        "Ik ben afwezig tot en met maandag 7 december en heb beperkt toegang tot mijn e-mail.\n"
        "Voor dringende zaken kunt u contact opnemen met het secretariaat.\n",
        900,
    )
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Auto-Response-Suppress"] = "All"
    if to_thread:
        msg["In-Reply-To"] = to_thread
    return msg.as_bytes()


def bounce(
    failed: str = "oud.adres@gemeente-voorbeeld.nl",
    *,
    to: str = ORGANISER,
    returned: bytes | None = None,
) -> bytes:
    """A Postfix-style delivery status notification (RFC 3464).

    `returned`: the message that could not be delivered, whose headers the
    report carries back (text/rfc822-headers), as a real bounce of our mail does.
    """
    headers = ""
    if returned is not None:
        head = returned.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("utf-8", "replace")
        headers = (
            "--b1\r\n"
            "Content-Type: text/rfc822-headers\r\n"
            "\r\n" + head.replace("\n", "\r\n") + "\r\n\r\n"
        )
    return (
        "Return-Path: <>\r\n"
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        f"To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Date: {format_datetime(DATE)}\r\n"
        "Message-ID: <20261120091500.ABC123@mx.example.org>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n"
        "\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n"
        "\r\n"
        f"<{failed}>: host mx.gemeente-voorbeeld.nl said: 550 5.1.1 User unknown\r\n"
        "\r\n"
        "--b1\r\n"
        "Content-Type: message/delivery-status\r\n"
        "\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n"
        "\r\n"
        f"Final-Recipient: rfc822; {failed}\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        "\r\n" + headers + "--b1--\r\n"
    ).encode()


def _message(
    sender: str, name: str, subject: str, body: str, n: int, to: str = ORGANISER
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>"
    msg["To"] = f"Workshops <{to}>"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(DATE)
    msg["Message-ID"] = f"<test-{n}.{sender.replace('@', '.')}@mail.example.net>"
    msg.set_content(body)
    return msg


def _mail(sender: str, name: str, subject: str, body: str, n: int, to: str = ORGANISER) -> bytes:
    return _message(sender, name, subject, body, n, to).as_bytes()


def mail(
    sender: str,
    name: str,
    subject: str,
    body: str,
    n: int,
    *,
    to: str = ORGANISER,
    headers: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A new message (no thread) with any text, optionally with extra headers on top
    (as a receiving server prepends its Authentication-Results)."""
    msg = _message(sender, name, subject, body, n, to)
    return _prepend(msg.as_bytes(), headers)


# How people quote the mail they answer (see reply_to).
QUOTING = ("outlook", "gmail", "bar", "notes", "pasted", "none")


def reply_to(
    ours: bytes,
    sender: str,
    name: str,
    body: str,
    n: int,
    *,
    quoting: str = "outlook",
    subject: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A participant's answer to one of our replies, in its thread, with `body` on top.

    quoting: "outlook" (a Van:/Verzonden: block, the text as is), "gmail"
    ("Op ... schreef ...:" and `> `), "bar" (`| `), "notes" (Lotus Notes: a
    tab-separated header block), "pasted" (our text below theirs with no
    attribution line at all), "none" (only `body`: trimmed or bottom-posted
    quotes are the test's to write).
    """
    from email import message_from_bytes, policy

    original = message_from_bytes(ours, policy=policy.default)
    quoted_part = original.get_body(("plain",))
    assert quoted_part is not None
    quoted = quoted_part.get_content()
    msg = _message(sender, name, subject or f"RE: {original['Subject']}", "", n)
    msg["In-Reply-To"] = original["Message-ID"]
    msg["References"] = original["Message-ID"]
    if quoting == "outlook":
        history = (
            f"Van: {original['From']}\n"
            f"Verzonden: vrijdag 20 november 2026 10:00\n"
            f"Aan: {name} <{sender}>\n"
            f"Onderwerp: {original['Subject']}\n\n"
            f"{quoted}"
        )
    elif quoting == "gmail":
        history = f"Op vr 20 nov. 2026 om 10:00 schreef {original['From']}:\n" + _prefix(
            quoted, "> "
        )
    elif quoting == "bar":
        history = _prefix(quoted, "| ")
    elif quoting == "notes":
        history = (
            f"From:\t{original['From']}\n"
            f"To:\t{name} <{sender}>\n"
            "Date:\t20-11-2026 10:00\n"
            f"Subject:\t{original['Subject']}\n\n\n\n"
            f"{quoted}"
        )
    elif quoting == "pasted":
        history = quoted
    elif quoting == "none":
        history = ""
    else:
        raise ValueError(f"quoting must be one of {QUOTING}")
    msg.set_content(f"{body}\n\n{history}" if history else f"{body}\n")
    return _prepend(msg.as_bytes(), headers)


def forward(
    forwarder: tuple[str, str],
    writer: tuple[str, str],
    subject: str,
    note: str,
    original: str,
    n: int,
    *,
    to: str = ORGANISER,
) -> bytes:
    """`forwarder` forwards a message `writer` wrote (Gmail's inline forward), with a note above."""
    body = (
        f"{note}\n\n"
        "---------- Forwarded message ---------\n"
        f"Van: {writer[1]} <{writer[0]}>\n"
        "Date: do 19 nov. 2026 om 16:02\n"
        f"Subject: {subject}\n"
        f"To: {forwarder[1]} <{forwarder[0]}>\n\n"
        f"{original}\n"
    )
    return _mail(forwarder[0], forwarder[1], f"Fwd: {subject}", body, n, to)


def _prefix(text: str, mark: str) -> str:
    return "\n".join((mark + line).rstrip() for line in text.splitlines())


def _prepend(raw: bytes, headers: Sequence[tuple[str, str]]) -> bytes:
    """Headers put on top, as a server on the way adds them."""
    top = b"".join(f"{k}: {v}\n".encode() for k, v in headers)
    return top + raw
