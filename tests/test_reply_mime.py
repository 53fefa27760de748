"""Every reply as it goes over the wire is RFC-clean MIME (issue 13).

Each template kind is rendered in Dutch and English, stored, read back and sent
to aiosmtpd the way the worker's deliver step does it, and the bytes aiosmtpd
received are checked line by line: encoded body lines (quoted-printable and
base64, the .ics attachment included) at most 76 characters (RFC 2045 6.7,
6.8), header lines at most 78 (RFC 5322 2.1.1), nothing 8bit. A booking reply
carries exactly one text/calendar part with method= on its Content-Type (RFC
6047 iMIP), and its invitation keeps the RFC 5546 rules, read with icalendar.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import icalendar
import idna
import pytest

from inbox_worker.mail.smtp import SmtpTransport
from inbox_worker.writing.headers import MAX_REFERENCES, REPLY_POLICY, make_message_id
from inbox_worker.writing.invite import Invite, booking_uid
from inbox_worker.writing.render import Renderer, ReplyRequest, Sender, default_template_dir
from inbox_worker.writing.variables import AMSTERDAM, SessionOption, sample_variables
from tests.servers import LOOPBACK, SmtpServer

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM)
SENDER = Sender(name="Gertjan Verstoep · Co-creëren", email="workshops@example.org")
# Long, non-ASCII, from a Unicode domain: what makes lines long and headers fold.
TO_NAME = "Fatima el Amrani-van den Heuvel (Afdeling Participatie & Wijkgericht Werken)"
TO_ADDR = "fatima.elamrani-vandenheuvel@gemeente-sûdwest-fryslân.nl"
SUBJECT = (
    "Vraag over de workshop Co-creëren met de samenleving: data, kosten, "
    "locatie, bereikbaarheid, lunch en parkeren voor een groep van acht collega's"
)
# A long thread: References folds over many lines, between msg-ids only.
REFERENCES = tuple(
    f"<CAF{n:03d}x7Zq+abcdefghijklmnopqrstuvwxyz0123456789@mail.gmail.com>" for n in range(25)
)

# Which invitation each kind carries, as compose.py attaches them.
INVITES = {
    "confirmation": "REQUEST",
    "moved": "REQUEST",
    "promoted": "REQUEST",
    "reminder": "REQUEST",
    "released": "CANCEL",
    "cancellation": "CANCEL",
}
KINDS = (
    "inquiry",
    "confirmation",
    "moved",
    "released",
    "cancellation",
    "waitlist",
    "promoted",
    "reminder",
    "choose_again",
    "confirm",
)


def invite(method: str, session: SessionOption) -> Invite:
    return Invite(
        method=method,
        uid=booking_uid(12, SENDER.email),
        sequence=1 if method == "CANCEL" else 0,
        starts=session.starts,
        ends=session.ends,
        summary="Co-creëren met de samenleving: een praktische dag over participatie en inspraak",
        location=f"{session.location}, Vergadercentrum De Eenhoorn, Zaal 3 (tweede verdieping)",
        description="https://example.org/co-creeren?utm_source=inbox-worker&utm_medium=email",
        organiser_name=SENDER.name,
        organiser_email=SENDER.email,
        attendee_name=TO_NAME,
        attendee_email=TO_ADDR,
        stamp=NOW,
    )


def render(kind: str, language: str) -> EmailMessage:
    variables = {**sample_variables(NOW), "name": "Fatima"}
    method = INVITES.get(kind)
    session = variables["previous"] if kind == "released" else variables["session"]
    req = ReplyRequest(
        kind=kind,
        language=language,
        to_addr=TO_ADDR,
        to_name=TO_NAME,
        subject=SUBJECT,
        in_reply_to=REFERENCES[-1],
        references=REFERENCES[:-1],
        message_id=make_message_id(SENDER.email, f"{kind}-{language}"),
        variables=variables,
        invites=(invite(method, session),) if method else (),
    )
    return Renderer([default_template_dir()]).render(req, sender=SENDER, date=NOW)


@pytest.fixture(scope="module")
def wire() -> dict[tuple[str, str], bytes]:
    """The bytes aiosmtpd received for every kind in both languages."""
    server = SmtpServer()
    server.start()
    try:
        with SmtpTransport(host=LOOPBACK, port=server.port, security="none", timeout=10) as smtp:
            for language in ("nl", "en"):
                for kind in KINDS:
                    stored = render(kind, language).as_bytes()  # outbox/queue.py stores this
                    # outbox/deliver.py reads it back like this and sends it.
                    smtp.send(message_from_bytes(stored, policy=REPLY_POLICY))  # type: ignore[arg-type]
        assert len(server.messages) == 2 * len(KINDS)
        return {
            (m.message_id.split(".")[1].split("@")[0].rpartition("-")[0],
             m.message_id.split("@")[0].rpartition("-")[2]): m.raw
            for m in server.messages
            if m.message_id
        }  # fmt: skip
    finally:
        server.stop()


def long_lines(raw: bytes, boundaries: set[bytes]) -> list[str]:
    """Every header line over 78 and every body line over 76 characters."""
    problems = []
    in_header = True
    for number, line in enumerate(raw.split(b"\r\n"), start=1):
        if line.startswith(b"--") and line.rstrip(b"-")[2:] in boundaries:
            in_header = not line.endswith(b"--")  # a part's headers follow its boundary
            continue
        if in_header and not line:
            in_header = False
            continue
        limit = 78 if in_header else 76
        if len(line) > limit:
            where = "header" if in_header else "body"
            problems.append(f"line {number} ({where}, {len(line)}): {line[:60]!r}...")
    return problems


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_line_as_sent(wire: dict[tuple[str, str], bytes], kind: str, language: str) -> None:
    raw = wire[(kind, language)]
    msg = message_from_bytes(raw, policy=default_policy)
    boundaries = {p.get_boundary().encode() for p in msg.walk() if p.is_multipart()}
    assert long_lines(raw, boundaries) == []
    # Through any relay: no 8bit anywhere, every text part encoded.
    assert raw.isascii()
    for part in msg.walk():
        if not part.is_multipart():
            assert part["Content-Transfer-Encoding"] in ("quoted-printable", "base64"), part
    # Threading survives the folding: every id whole, none encoded.
    assert msg["In-Reply-To"] == REFERENCES[-1]
    # The thread's root and the latest ones (headers.MAX_REFERENCES), each whole.
    assert msg["References"].split() == [REFERENCES[0], *REFERENCES[-(MAX_REFERENCES - 1) :]]
    assert b"=?utf-8?q?=3C" not in raw.lower()
    # The recipient's domain as IDNA, the display name intact.
    [to] = msg["To"].addresses
    local, _, domain = to.addr_spec.partition("@")
    assert local == TO_ADDR.partition("@")[0] and domain.startswith("xn--")
    assert idna.decode(domain) == TO_ADDR.partition("@")[2]
    assert to.display_name == TO_NAME


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_one_calendar_part_by_rfc_5546(
    wire: dict[tuple[str, str], bytes], kind: str, language: str
) -> None:
    msg = message_from_bytes(wire[(kind, language)], policy=default_policy)
    calendars = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    attachments = [p for p in msg.walk() if p.get_content_type() == "application/ics"]
    method = INVITES.get(kind)
    if method is None:
        assert calendars == attachments == []
        return
    [inline] = calendars
    [attached] = attachments
    assert inline.get_param("method") == method
    # Inside the multipart/alternative with the text, as iMIP clients look for it.
    [alternative] = [p for p in msg.walk() if p.get_content_type() == "multipart/alternative"]
    assert inline in list(alternative.iter_parts())
    assert attached.get_filename() == ("cancel.ics" if method == "CANCEL" else "invite.ics")
    assert attached.get_content().decode("utf-8") == inline.get_content()

    cal = icalendar.Calendar.from_ical(inline.get_content())
    assert str(cal["METHOD"]) == method
    assert str(cal["VERSION"]) == "2.0" and cal.get("PRODID")
    [event] = cal.walk("VEVENT")
    # RFC 5546 3.2.2 (REQUEST) and 3.2.5 (CANCEL): the properties both require.
    for name in ("UID", "DTSTAMP", "SEQUENCE", "ORGANIZER", "ATTENDEE", "DTSTART"):
        assert name in event, name
    assert event["UID"] == booking_uid(12, SENDER.email)
    assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert event.decoded("DTSTAMP") == NOW.astimezone(UTC)
    assert int(event["SEQUENCE"]) == (1 if method == "CANCEL" else 0)
    organizer, attendee = event["ORGANIZER"], event["ATTENDEE"]
    assert not isinstance(attendee, list)  # one attendee: the person the mail goes to
    # The organiser is who the mail is from, the attendee who it is to.
    assert str(organizer).lower() == f"mailto:{msg['From'].addresses[0].addr_spec}"
    assert str(attendee).lower() == f"mailto:{msg['To'].addresses[0].addr_spec}"
    assert organizer.params["CN"] == SENDER.name
    assert attendee.params["CN"] == TO_NAME
    assert attendee.params["PARTSTAT"] == ("DECLINED" if method == "CANCEL" else "ACCEPTED")
    assert attendee.params["RSVP"] == "FALSE"
    assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
    if method == "REQUEST":
        assert "SUMMARY" in event and "DTEND" in event
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event.decoded("DTSTART").tzinfo is not None
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    else:
        assert str(event["STATUS"]) == "CANCELLED"


def test_two_invites_never_share_a_message() -> None:
    variables = sample_variables(NOW)
    req = ReplyRequest(
        kind="moved",
        language="nl",
        to_addr="a@example.nl",
        to_name="",
        subject="x",
        in_reply_to=None,
        references=(),
        message_id=make_message_id(SENDER.email, "two"),
        variables=variables,
        invites=(
            invite("REQUEST", variables["session"]),
            invite("CANCEL", variables["previous"]),
        ),
    )
    with pytest.raises(ValueError, match="one calendar invitation"):
        Renderer([default_template_dir()]).render(req, sender=SENDER, date=NOW)


def test_an_id_longer_than_a_line_stays_whole() -> None:
    """RFC 5322 allows 998; an RFC 2047 encoded id would break threading."""
    long_id = "<" + "x" * 100 + "@example.com>"
    msg = EmailMessage(policy=REPLY_POLICY)
    msg["In-Reply-To"] = long_id
    msg["References"] = f"<a@example.com> {long_id} <b@example.com>"
    msg.set_content("x\n")
    raw = msg.as_bytes()
    assert f"In-Reply-To: {long_id}\n".encode() in raw
    assert f"References: <a@example.com>\n {long_id}\n <b@example.com>\n".encode() in raw
    parsed = message_from_bytes(raw, policy=default_policy)
    assert parsed["References"].split() == ["<a@example.com>", long_id, "<b@example.com>"]


@pytest.mark.parametrize(
    "name",
    [
        "Jansen, M. (Gemeente Súdwest-Fryslân, afdeling Participatie en Wijkgericht Werken)",
        "Jansen, M. (Afdeling Participatie en Wijkgericht Werken, Gemeente Voorbeeld)",
        "Ærøskøbing Ålesund Øresund " * 4,
        'Marieke "MJ" Jansen \\ Gemeente',
    ],
)
def test_a_long_display_name_folds_and_stays_one_address(name: str) -> None:
    """The stdlib drops a folded display name's quotes: "Jansen, M." became two addresses."""
    req = ReplyRequest(
        kind="inquiry",
        language="nl",
        to_addr="m.jansen@gemeente-voorbeeld.nl",
        to_name=name,
        subject="x",
        in_reply_to=None,
        references=(),
        message_id=make_message_id(SENDER.email, "name"),
        variables=sample_variables(NOW),
    )
    sender = Sender(name=name, email=SENDER.email)
    raw = Renderer([default_template_dir()]).render(req, sender=sender, date=NOW).as_bytes()
    headers = raw.split(b"\n\n")[0].split(b"\n")
    assert max(len(line) for line in headers) <= 78
    parsed = message_from_bytes(raw, policy=default_policy)
    for header in ("From", "To"):
        [address] = parsed[header].addresses
        # (The stdlib's parser puts a space where a long name was split into
        # two encoded words; RFC 2047 readers do not.)
        assert "".join(address.display_name.split()) == "".join(name.split())
