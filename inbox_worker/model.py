"""The plain records that cross module boundaries: sessions, bookings, leads.

They live apart from the logic that uses them (deciding/, reading/, the
store's thread lookup) so that every stage can share them without importing
another, and cron's idle poll without importing the classifier's phrase
tables or the template engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

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


# Our mail that confirms a seat: a choice in answer to one of these is a change of mind.
# "released" withdraws the old appointment of a move, beside the "moved" mail.
HOLDS_A_SEAT = frozenset({"confirmation", "moved", "promoted", "released", "reminder"})


@dataclass(frozen=True)
class Conversation:
    """Where a message stands in its conversation with us, as the reading found it."""

    # Which numbering option numbers are read against, as a reason code:
    # "offer#12" (the person's last offer), "quoted-offer" (an offer of ours
    # quoted in the message), "config-sessions" or "today-offer".
    context: str
    offered: tuple[OfferedSession, ...] = ()
    ours: bool = False  # the message is one of our own replies come back
    answered_kind: str = ""  # the kind of our reply it answers ("" when none)
    answers_ours: bool = False  # ... and that reply went to the sender's own address
    lead_id: int | None = None  # the lead of that reply
    last_kind: str = ""  # the kind of our latest reply the person received
    quoted_kind: str = ""  # the kind of our mail quoted in it, when recognised
    our_lines: int = 0  # lines of our own text removed from the new text

    @property
    def numbered(self) -> bool:
        """Whether option numbers have an offer of ours to refer to."""
        return self.context.startswith("offer#") or self.context == "quoted-offer"


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
    forwarders: frozenset[str] = frozenset()  # addresses or "@domain" (config [organiser])
    authserv_id: str = ""  # whose Authentication-Results to trust; "": nobody's

    def colleague(self, address: str) -> bool:
        """The organiser (`our_addresses`: address and aliases) or a colleague the
        config names in `forwarders` (an address, or "@domain" for a whole
        domain). Their mail is internal; their forwards stand for the original
        writer. Never guessed from a shared domain: the organiser's provider, or
        a gemeente that runs its own mail, is anyone's."""
        return (
            address in self.our_addresses
            or address in self.forwarders
            or "@" + address.rpartition("@")[2] in self.forwarders
        )


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
    action: str = ""  # "confirm" replies: what they asked for (cancel, move, unsubscribe)


class SeenReply(NamedTuple):
    id: int
    kind: str
    offered: list[dict[str, Any]]  # [{number, session_id}] as that reply listed them
    body: bytes  # the email as sent


class ThreadRows(NamedTuple):
    """The replies of ours that bear on one incoming message."""

    ours: bool = False  # its Message-ID is one of our replies': our own words came back
    answered_id: int | None = None  # the reply of ours it answers (In-Reply-To/References)
    answered_kind: str = ""
    answered_to: str = ""  # the address that reply went to
    lead_id: int | None = None  # that reply's lead
    seen: tuple[SeenReply, ...] = ()  # the person's latest replies from us, newest first
