"""What templates see (pure): the variables contract, the filters, a realistic sample.

Owns the records templates read (`workshop`, `organiser`, `sessions`,
`session`, `items`), the filters they may use (`longdate`, `time`, `place`),
written with our own month and weekday tables rather than the process-global
locale, and sample_variables(), the context doctor and the tests render with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from .. import clock
from .headers import one_line

# Workshop days happen in the Netherlands; times in replies are local there,
# whatever zone the config or the server clock uses.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_MONTHS = {
    "nl": (
        "januari", "februari", "maart", "april", "mei", "juni",
        "juli", "augustus", "september", "oktober", "november", "december",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
_WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


@dataclass(frozen=True)
class WorkshopVars:
    """`workshop` in templates. Any object with these attributes (or a dict) will do."""

    title: str
    summary: str
    price: str
    duration: str
    url: str


@dataclass(frozen=True)
class OrganiserVars:
    """`organiser` in templates."""

    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class SessionOption:
    """One entry of `sessions` (and `session`) in templates: a date we offer."""

    number: int  # 1-based, the number the reader answers with
    id: str
    starts: datetime
    ends: datetime
    location: str
    seats_left: int


@dataclass(frozen=True)
class DigestEntry:
    """One entry of `items` in the digest template: something that waits for the organiser."""

    name: str  # who wrote, "" when unknown
    email: str
    wrote: tuple[str, ...]  # the first lines of what they wrote; may be empty
    reason: str  # why a person must look at it
    failed_reply: int | None  # the id of our reply the server refused, if that is why
    command: str  # what to type to act on it


def longdate(dt: datetime, lang: str = "nl", zone: tzinfo = AMSTERDAM) -> str:
    """The date as words in local time: "dinsdag 12 januari 2027", "Tuesday 12 January 2027".

    Own tables rather than the locale module: locales are process-global and
    often not installed on servers.
    """
    if lang not in _MONTHS:
        raise ValueError(f"longdate: no month names for language {lang!r}")
    local = clock.local(dt, zone)
    weekday = _WEEKDAYS[lang][local.weekday()]
    return f"{weekday} {local.day} {_MONTHS[lang][local.month - 1]} {local.year}"


def time_of_day(dt: datetime, zone: tzinfo = AMSTERDAM) -> str:
    """The clock time in the organiser's zone, "09:30" (the `time` filter)."""
    return clock.local(dt, zone).strftime("%H:%M")


# A location that is no place: "op 18 maart online", never "in online".
_ONLINE = re.compile(
    r"(?:online|on-line|zoom|(?:microsoft )?teams|webex|google meet|webinar|virtual|virtueel|"
    r"remote|op afstand|digitaal)\b",
    re.I,
)


def place(location: str, lang: str = "nl") -> str:
    """Where, as a sentence says it: "in Utrecht", or "online" (the `place` filter).

    "Op donderdag 18 maart in Zwolle", but "op woensdag 10 maart online": a
    session whose location is online (Zoom, Teams, ...) takes no "in"/"at".
    """
    where = one_line(location)
    if not where or _ONLINE.match(where):
        return where
    return f"in {where}"


def sample_variables(now: datetime) -> dict[str, Any]:
    """A realistic template context: three sessions from a month after `now`.

    Used by Renderer.check() and by tests, so templates are exercised with the
    same shapes the worker passes.
    """
    first_day = clock.local(now, AMSTERDAM).date() + timedelta(days=35)
    places = (("utrecht", "Utrecht", 5), ("zwolle", "Zwolle", 12), ("den-haag", "Den Haag", 1))
    sessions = []
    for number, (place_id, location, seats) in enumerate(places, start=1):
        day = first_day + timedelta(days=14 * (number - 1))
        sessions.append(
            SessionOption(
                number=number,
                id=f"{day.isoformat()}-{place_id}",
                starts=datetime.combine(day, dtime(9, 30), AMSTERDAM),
                ends=datetime.combine(day, dtime(16, 30), AMSTERDAM),
                location=location,
                seats_left=seats,
            )
        )
    return {
        "name": "Fatima el Amrani",
        "organisation": "Gemeente Voorbeeld",
        "language": "nl",
        "automatic": True,  # render() sets it from the request: False for mail sent by hand
        "action": "cancel",
        "workshop": WorkshopVars(
            title="Co-creëren met de samenleving",
            summary=(
                "Een praktische dag over participatie: hoe je inwoners, ondernemers en "
                "maatschappelijke partners vroeg en echt betrekt bij beleid en projecten."
            ),
            price="€ 495 excl. btw per deelnemer",
            duration="1 dag (09:30-16:30)",
            url="https://example.org/co-creeren",
        ),
        "organiser": OrganiserVars(
            name="Gertjan Verstoep", email="workshops@example.org", phone="+31 30 123 45 67"
        ),
        "sessions": sessions,
        # Booking replies: the session booked (or cancelled, or reminded of),
        # the one given up when moving, and the seats.
        "session": sessions[0],
        "previous": sessions[1],
        "seats": 2,
        "days_left": 3,
        # session_cancelled: the person was on the waitlist (held no place).
        "waiting": False,
        # The digest (to the organiser): what waits for a person, and replies held.
        "held": 2,
        "items": [
            DigestEntry(
                name="Fatima el Amrani",
                email="fatima.elamrani@gemeente-voorbeeld.nl",
                wrote=(
                    "Wij willen graag met 8 collega's komen. Is er een korting mogelijk",
                    "voor een groep, en kan de factuur naar ons inkoopnummer? …",
                ),
                reason="asks for a discount for 8 people",
                failed_reply=None,
                command="inbox-worker leads show fatima.elamrani@gemeente-voorbeeld.nl",
            ),
            DigestEntry(
                name="",
                email="j.devries@waterschap-voorbeeld.nl",
                wrote=(),
                reason="550 5.1.1 user unknown",
                failed_reply=12,
                command="inbox-worker replies show 12",
            ),
        ],
    }
