"""Who a bounce makes undeliverable, and what the organiser sees (pure).

A delivery report is believed only about our own mail: it must return (or
refer to) one of our sent replies, by that reply's Message-ID, and name the
address that reply went to as a failed recipient with a permanent (5.x.x)
status. Anyone can write a report naming anyone; only the servers our mail
passed through, and the person who received it, know a Message-ID of ours
to that person. workflow.decide calls `undeliverable` for a bounce; the
worker asks the store which Message-IDs are ours (`ours`) and, for each
address marked, `status_after` says what the lead's status becomes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from ..model import ACTIVE, WAITLISTED, Booking, SessionSeats
from .dsn import FailedRecipient
from .message import DeliveryReport, ParsedMessage


def ids_to_look_up(msg: ParsedMessage) -> tuple[str, ...]:
    """The Message-IDs a bounce may answer: the returned message's own first, then
    what it answered, then the bounce's own In-Reply-To and References."""
    ids: list[str] = list(msg.dsn.returned_ids) if msg.dsn else []
    for i in (msg.in_reply_to, *msg.references):
        if i and i not in ids:
            ids.append(i)
    return tuple(ids)


def undeliverable(
    msg: ParsedMessage, ours: Mapping[str, str], our_addresses: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(addresses to mark undeliverable, notes saying why or why not).

    `ours`: {Message-ID: recipient} of our sent replies among ids_to_look_up(msg).
    """
    report = msg.dsn
    if report is None or not report.failed:
        return (), ("bounce names no failed recipient: nobody marked undeliverable",)
    named = ", ".join(f.address for f in report.failed)
    if not ours:
        return (), (f"bounce answers none of our messages ({named}): nobody marked undeliverable",)
    marked: list[str] = []
    notes: list[str] = []
    for to_addr in dict.fromkeys(ours.values()):
        failure = failure_of(report, to_addr)
        if to_addr in our_addresses:
            notes.append(f"bounce names our own address {to_addr}: not marked")
        elif failure is None:
            notes.append(f"bounce for our mail to {to_addr} does not name them as failed")
        elif not failure.permanent:
            status = failure.status or "no status"
            notes.append(f"mail to {to_addr} failed, not permanently ({status}): not marked")
        else:
            marked.append(to_addr)
            notes.append(f"mail to {to_addr} bounces permanently ({failure.status})")
    others = [f.address for f in report.failed if not any(f.names(a) for a in ours.values())]
    if others:
        listed = ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
        notes.append(f"not marked, our returned mail did not go to them: {listed}")
    if not marked:
        notes.append("nobody marked undeliverable")
    return tuple(marked), tuple(notes)


def failure_of(report: DeliveryReport, address: str) -> FailedRecipient | None:
    """The report's entry for address (its permanent one, when it has several)."""
    entries = [f for f in report.failed if f.names(address)]
    return next((f for f in entries if f.permanent), entries[0] if entries else None)


def status_after(
    address: str,
    status: str,
    bookings: Sequence[Booking],
    sessions: Sequence[SessionSeats],
) -> tuple[str, str]:
    """(the lead's new status, the reason) once mail to address bounces permanently.

    A lead who holds a seat or a waitlist place must not look `booked` while
    nothing reaches them: the organiser has to contact them another way.
    """
    held = [b for b in bookings if b.status in ACTIVE]
    reason = f"mail to {address} bounces permanently ({status or 'no status'})"
    if not held:
        return "undeliverable", reason
    by_id = {s.id: s for s in sessions}

    def name(b: Booking) -> str:
        session = by_id.get(b.session_id)
        return _session_name(session.starts, session.location) if session else b.session_id

    booked = [name(b) for b in held if b.status != WAITLISTED]
    waiting = [name(b) for b in held if b.status == WAITLISTED]
    holds = [f"a booking on {', '.join(booked)}"] if booked else []
    holds += [f"a waitlist place on {', '.join(waiting)}"] if waiting else []
    return "needs_attention", f"{reason}; they hold {' and '.join(holds)}"


def _session_name(starts: datetime, location: str) -> str:
    return f"{starts:%Y-%m-%d %H:%M} ({location})" if location else f"{starts:%Y-%m-%d %H:%M}"
