"""Booking by email (pure): choices, moves, cancellations, the waitlist, reminders.

Every function takes the bookings and sessions as data and returns what to
change and whom to write, never touching the database. Seats are counted from
confirmed bookings only, so a decision made on fresh data cannot oversell;
the worker applies each decision in its own transaction and reads the seats
again for the next message.

Bookings are referred to by `ref`: "b<id>" for a stored booking and "new" for
the one the current decision creates (its id exists only once stored).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ..model import (
    ACTIVE,
    CANCELLED,
    CONFIRMED,
    NEW,
    WAITLISTED,
    Booking,
    BookingChange,
    OfferedSession,
    PlannedReply,
    SessionSeats,
)

__all__ = [
    "ACTIVE",
    "CANCELLED",
    "CONFIRMED",
    "NEW",
    "WAITLISTED",
    "Booking",
    "BookingChange",
    "SessionSeats",
]


@dataclass(frozen=True)
class Notice:
    """A reply about a booking: to this message's sender, or to another lead (lead_id)."""

    kind: str
    booking_ref: str | None = None  # the booking the reply is about (REQUEST invite if confirmed)
    cancel_ref: str | None = None  # a booking whose invite this reply withdraws (CANCEL)
    offered: tuple[OfferedSession, ...] = ()  # alternatives listed, numbered
    lead_id: int | None = None  # None: the sender of the message being handled
    to_addr: str = ""
    to_name: str = ""
    language: str = ""


@dataclass(frozen=True)
class Outcome:
    changes: tuple[BookingChange, ...] = ()
    notices: tuple[Notice, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    lead_status: str | None = None


def offer(sessions: Sequence[SessionSeats], now: datetime) -> tuple[OfferedSession, ...]:
    """The numbered options a reply lists: upcoming sessions with seats left."""
    upcoming = sorted(
        (s for s in sessions if s.starts > now and s.seats_left > 0), key=lambda s: s.starts
    )
    return tuple(
        OfferedSession(number=i, session_id=s.id, starts=s.starts, location=s.location)
        for i, s in enumerate(upcoming, start=1)
    )


def choose(
    option: int | None,
    offered: Sequence[OfferedSession],
    seats: int,
    mine: Sequence[Booking],
    sessions: Sequence[SessionSeats],
    waitlists: Mapping[str, Sequence[Booking]],
    now: datetime,
) -> Outcome:
    """A reply that picks one of the options it was offered."""
    by_id = {s.id: s for s in sessions}
    picked = next((o for o in offered if o.number == option), None)
    if picked is None or picked.session_id not in by_id:
        why = "no option recognised" if option is None else f"option {option} was not offered"
        return Outcome(
            notices=(Notice("choose_again", offered=offer(sessions, now)),),
            notes=(f"date choice unclear: {why}",),
            lead_status="needs_attention",
        )
    session = by_id[picked.session_id]
    if session.starts <= now:
        return Outcome(
            notices=(Notice("choose_again", offered=offer(sessions, now)),),
            notes=(f"date choice for a past session {session.id}",),
        )

    active = [b for b in mine if b.status in ACTIVE]
    same = next((b for b in active if b.session_id == session.id), None)
    if same is not None:
        kind = "confirmation" if same.status == CONFIRMED else "waitlist"
        return Outcome(
            notices=(Notice(kind, booking_ref=same.ref),),
            notes=(f"already {same.status} for {session.id}",),
        )

    current = next((b for b in active if b.status == CONFIRMED), None)
    # Free seats that someone on the waitlist fits are theirs, not a newcomer's.
    waiting = waitlists.get(session.id, ())
    reserved = sum(b.seats for b in _first_fit(session.seats_left, waiting))
    if session.seats_left - reserved >= seats:
        changes: list[BookingChange] = [BookingChange(NEW, CONFIRMED, session.id, seats)]
        notices: list[Notice] = []
        notes = [f"booked {seats} seat(s) on {session.id}"]
        if current is None:
            notices.append(Notice("confirmation", booking_ref=NEW))
        else:
            # A change of mind: give up the old seat and withdraw its invite.
            changes.append(_cancelled(current))
            notices.append(Notice("moved", booking_ref=NEW, cancel_ref=current.ref))
            notes.append(f"moved from {current.session_id}")
            freed = by_id.get(current.session_id)
            if freed is not None:
                promoted = promote(freed, current.seats, waitlists.get(freed.id, ()))
                changes.extend(promoted.changes)
                notices.extend(promoted.notices)
                notes.extend(promoted.notes)
        # Any other waiting this lead did is over now that they have a seat.
        for b in active:
            if b.status == WAITLISTED:
                changes.append(_cancelled(b))
        return Outcome(tuple(changes), tuple(notices), tuple(notes), lead_status="booked")

    alternatives = tuple(o for o in offer(sessions, now) if by_id[o.session_id].seats_left >= seats)
    renumbered = tuple(
        OfferedSession(i, o.session_id, o.starts, o.location)
        for i, o in enumerate(alternatives, start=1)
    )
    return Outcome(
        changes=(
            BookingChange(
                NEW, WAITLISTED, session.id, seats, replaces=current.id if current else None
            ),
        ),
        notices=(Notice("waitlist", booking_ref=NEW, offered=renumbered),),
        notes=(f"{session.id} has {session.seats_left} seat(s) left, {seats} asked: waitlisted",),
        lead_status="waitlisted",
    )


def cancel(
    option: int | None,
    offered: Sequence[OfferedSession],
    mine: Sequence[Booking],
    sessions: Sequence[SessionSeats],
    waitlists: Mapping[str, Sequence[Booking]],
    now: datetime | None = None,
) -> Outcome:
    """A cancellation: of the booking for the session named, else of every active one.

    With `now`, each confirmation offers, numbered, the upcoming sessions that
    still have room (the freed seats counted), so that "another time" is one
    reply away; without it the confirmation lists no dates.
    """
    active = [b for b in mine if b.status in ACTIVE]
    named = next((o.session_id for o in offered if o.number == option), None)
    if named is not None and any(b.session_id == named for b in active):
        active = [b for b in active if b.session_id == named]
    if not active:
        return Outcome(notes=("cancellation, but no booking to cancel",))

    by_id = {s.id: s for s in sessions}
    changes: list[BookingChange] = []
    notices: list[Notice] = []
    notes: list[str] = []
    # The sessions as they stand once these seats are free, numbered as any
    # offer is: "toch optie 1" in answer to it means what it meant before.
    freed = {b.session_id: b.seats for b in active if b.status == CONFIRMED}
    after = [replace(s, seats_taken=s.seats_taken - freed.get(s.id, 0)) for s in sessions]
    alternatives = offer(after, now) if now is not None else ()
    for b in active:
        changes.append(_cancelled(b))
        # Only a confirmed booking has an invite in the person's calendar to withdraw.
        withdraw = b.ref if b.status == CONFIRMED else None
        notices.append(
            Notice("cancellation", booking_ref=b.ref, cancel_ref=withdraw, offered=alternatives)
        )
        notes.append(f"cancelled {b.status} booking on {b.session_id}")
        session = by_id.get(b.session_id)
        if b.status == CONFIRMED and session is not None:
            promoted = promote(session, b.seats, waitlists.get(session.id, ()))
            changes.extend(promoted.changes)
            notices.extend(promoted.notices)
            notes.extend(promoted.notes)
    return Outcome(tuple(changes), tuple(notices), tuple(notes), lead_status="cancelled")


def cancel_session(
    session_id: str,
    on_it: Sequence[Booking],
    sessions: Sequence[SessionSeats],
    now: datetime,
) -> Outcome:
    """The organiser calls a session off: every seat and waitlist place on it goes.

    Each person booked or waiting gets one "session_cancelled" notice that
    withdraws their invitation (a confirmed seat only: a waiting one has none)
    and offers the upcoming sessions where their group still fits. Nobody is
    promoted: the seats freed are on the session that is gone. `sessions` are
    those that may be offered (the cancelled one is left out here anyway).
    """
    others = [s for s in sessions if s.id != session_id]
    changes: list[BookingChange] = []
    notices: list[Notice] = []
    notes: list[str] = []
    for b in on_it:
        if b.session_id != session_id or b.status not in ACTIVE:
            continue
        changes.append(_cancelled(b))
        notes.append(f"cancelled {b.status} booking of {b.lead_email} on {session_id}")
        if b.lead_opted_out:
            notes.append(f"no mail to {b.lead_email}: opted out")
            continue
        fits = [s for s in others if s.seats_left >= b.seats]
        notices.append(
            Notice(
                "session_cancelled",
                booking_ref=b.ref,
                cancel_ref=b.ref if b.status == CONFIRMED else None,
                offered=offer(fits, now),
                lead_id=b.lead_id,
                to_addr=b.lead_email,
                to_name=b.lead_name,
                language=b.lead_language,
            )
        )
    return Outcome(tuple(changes), tuple(notices), tuple(notes))


def promote(session: SessionSeats, freed: int, waiting: Sequence[Booking]) -> Outcome:
    """Offer freed seats down the waitlist, first fit.

    A waiting group of three does not block a single seat for the one behind
    it; whoever fits, in the order they asked, gets the seat.
    """
    changes: list[BookingChange] = []
    notices: list[Notice] = []
    notes: list[str] = []
    # Counted from the capacity, not seats_left: in a session booked past its
    # capacity by hand, the seats freed first fill the excess.
    free = max(session.capacity - session.seats_taken + freed, 0)
    for b in _first_fit(free, waiting):
        changes.append(BookingChange(b.ref, CONFIRMED))
        cancel_ref = None
        if b.replaces is not None:
            # They kept their old seat while waiting for this one: give it up now.
            cancel_ref = f"b{b.replaces}"
            changes.append(BookingChange(cancel_ref, CANCELLED))
        notices.append(
            Notice(
                "promoted",
                booking_ref=b.ref,
                cancel_ref=cancel_ref,
                lead_id=b.lead_id,
                to_addr=b.lead_email,
                to_name=b.lead_name,
                language=b.lead_language,
            )
        )
        notes.append(f"waitlisted {b.lead_email} promoted on {session.id}")
    return Outcome(tuple(changes), tuple(notices), tuple(notes))


def due_reminders(
    bookings: Sequence[tuple[Booking, SessionSeats]],
    reminded: set[int],
    now: datetime,
    days_before: int,
) -> list[tuple[Booking, SessionSeats]]:
    """Confirmed bookings whose session starts within `days_before` days, not yet reminded."""
    horizon = now + timedelta(days=days_before)
    return [
        (b, s)
        for b, s in bookings
        if b.status == CONFIRMED
        and not b.lead_opted_out
        and b.id not in reminded
        and now < s.starts <= horizon
    ]


def _first_fit(free: int, waiting: Sequence[Booking]) -> list[Booking]:
    """Who on the waitlist gets `free` seats: in order of asking, each who fits."""
    chosen = []
    for b in sorted(waiting, key=lambda w: (w.created, w.id)):
        if b.status == WAITLISTED and not b.lead_opted_out and b.seats <= free:
            chosen.append(b)
            free -= b.seats
    return chosen


def _cancelled(b: Booking) -> BookingChange:
    return BookingChange(b.ref, CANCELLED)


def reply_for(notice: Notice, default_language: str) -> PlannedReply:
    """The reply a notice to another lead (a waitlist promotion) becomes."""
    return PlannedReply(
        kind=notice.kind,
        language=notice.language or default_language,
        to_addr=notice.to_addr,
        to_name=notice.to_name,
        name=notice.to_name,
        offered=notice.offered,
        booking_ref=notice.booking_ref,
        cancel_ref=notice.cancel_ref,
        lead_id=notice.lead_id,
    )
