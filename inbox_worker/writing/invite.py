"""Calendar invitations (iTIP, RFC 5546) for bookings (pure).

The only module that imports icalendar. One booking is one event with a
stable UID; every change to it is sent with a higher SEQUENCE, so calendar
clients replace what they hold instead of adding a second entry. Times are
written in the organiser's zone (Europe/Amsterdam by default) with its
VTIMEZONE, so a client that knows no time zones still puts the workshop at the
right hour.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar

from .idn import ascii_address

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PRODID = "-//inbox-worker//workshop bookings//NL"


@dataclass(frozen=True)
class Invite:
    method: str  # "REQUEST" (book or change) or "CANCEL"
    uid: str
    sequence: int
    starts: datetime
    ends: datetime
    summary: str
    location: str
    description: str
    organiser_name: str
    organiser_email: str
    attendee_name: str
    attendee_email: str
    stamp: datetime  # DTSTAMP: when this version was made
    zone: ZoneInfo = AMSTERDAM  # the organiser's ([organiser] timezone): the invite's TZID

    @property
    def filename(self) -> str:
        return "cancel.ics" if self.method == "CANCEL" else "invite.ics"


def booking_uid(booking_id: int, organiser_email: str) -> str:
    """Stable per booking, globally unique by our domain (RFC 5545 §3.8.4.7)."""
    domain = organiser_email.rpartition("@")[2] or "localhost"
    return f"inbox-worker-booking-{booking_id}@{domain}"


def _mailto(address: str) -> str:
    """A mailto: URI; the domain as IDNA, as in the message's own To and From."""
    with contextlib.suppress(ValueError):
        address = ascii_address(address)
    return f"mailto:{address}"


def to_ics(invite: Invite) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", invite.method)

    event = icalendar.Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", invite.stamp.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", invite.starts.astimezone(invite.zone))
    event.add("dtend", invite.ends.astimezone(invite.zone))
    event.add("summary", invite.summary)
    event.add("location", invite.location)
    if invite.description:
        event.add("description", invite.description)
    organizer = icalendar.vCalAddress(_mailto(invite.organiser_email))
    organizer.params["cn"] = icalendar.vText(invite.organiser_name)
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(_mailto(invite.attendee_email))
    if invite.attendee_name:
        attendee.params["cn"] = icalendar.vText(invite.attendee_name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    # They booked by mail, so the seat is accepted already; RSVP=FALSE keeps
    # clients from mailing an iTIP REPLY ("Accepted: ...") back to the desk,
    # where it would only wait for a person.
    attendee.params["partstat"] = icalendar.vText(
        "DECLINED" if invite.method == "CANCEL" else "ACCEPTED"
    )
    attendee.params["rsvp"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    event.add("status", "CANCELLED" if invite.method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    # A VTIMEZONE covering only the years around the event keeps the invite small.
    cal.add_missing_timezones(
        first_date=date(invite.starts.year - 1, 1, 1), last_date=date(invite.ends.year + 1, 12, 31)
    )
    return cal.to_ical()


def from_ics(data: bytes) -> dict[str, object]:
    """The fields of the first event, for tests and `replies show` (round trip)."""
    cal = icalendar.Calendar.from_ical(data)
    [event] = [c for c in cal.walk("VEVENT")]
    return {
        "method": str(cal.get("method")),
        "uid": str(event.get("uid")),
        "sequence": int(event.get("sequence", 0)),
        "starts": event.decoded("dtstart"),
        "ends": event.decoded("dtend"),
        "summary": str(event.get("summary")),
        "location": str(event.get("location")),
        "status": str(event.get("status")),
        "organizer": str(event.get("organizer")),
        "attendee": str(event.get("attendee")),
        "tzids": [str(tz.get("tzid")) for tz in cal.walk("VTIMEZONE")],
    }
