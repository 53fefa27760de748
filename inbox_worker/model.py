"""The plain records that cross module boundaries: sessions, bookings, leads.

They live apart from the logic that uses them (booking.py, workflow.py,
extract.py) so that the store, and with it cron's idle poll, can use them
without importing the classifier's phrase tables or the template engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
ACTIVE = frozenset({CONFIRMED, WAITLISTED})
NEW = "new"


@dataclass(frozen=True)
class OfferedSession:
    """One numbered option as we offered it to this person."""

    number: int  # 1-based, as printed in our reply
    session_id: str
    starts: datetime  # timezone-aware
    location: str


@dataclass(frozen=True)
class SessionSeats:
    """A session as the decisions see it."""

    id: str
    starts: datetime
    ends: datetime
    location: str
    capacity: int
    seats_taken: int

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


@dataclass(frozen=True)
class Booking:
    id: int
    lead_id: int
    session_id: str
    seats: int
    status: str
    ics_sequence: int
    created: datetime
    replaces: int | None = None  # a confirmed booking given up once this one is confirmed
    lead_email: str = ""
    lead_name: str = ""
    lead_language: str = ""
    lead_opted_out: bool = False

    @property
    def ref(self) -> str:
        return f"b{self.id}"


@dataclass(frozen=True)
class BookingChange:
    """A new booking (ref NEW, with session, seats and replaces) or a stored one's new status.

    Storing a cancellation raises the booking's ics_sequence, so the CANCEL
    sent for it supersedes the REQUEST the person holds.
    """

    ref: str
    status: str
    session_id: str = ""
    seats: int = 0
    replaces: int | None = None


@dataclass(frozen=True)
class Lead:
    """What a decision needs to know about an existing lead."""

    id: int
    email: str
    status: str
    opted_out: bool
    language: str | None = None


@dataclass(frozen=True)
class PriorReply:
    """A reply we queued or sent earlier to the same address."""

    kind: str
    created: datetime
    status: str
    booking_id: int | None = None


@dataclass(frozen=True)
class Policy:
    """The reply rules a deployment sets (config [organiser] and [replies])."""

    our_addresses: frozenset[str]
    default_language: str = "nl"
    min_days_between: int = 7
    answer_within_days: int = 14


@dataclass(frozen=True)
class PlannedReply:
    kind: str
    language: str
    to_addr: str
    to_name: str  # the display name, for the To: header
    name: str = ""  # the person's name as extracted, for the greeting
    organisation: str = ""
    offered: tuple[OfferedSession, ...] = ()
    booking_ref: str | None = None  # the booking it confirms or reports on ("b<id>" or NEW)
    cancel_ref: str | None = None  # a booking whose calendar invite it withdraws
    lead_id: int | None = None  # another lead than the sender's (a waitlist promotion)
