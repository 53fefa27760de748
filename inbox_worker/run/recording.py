"""Recording a decision: what one decided message changes in the store.

The pass reads a message and decides on it without writing anything
(reading/, deciding/); this module writes what the decision says, inside the
caller's transaction (the message's savepoint): the lead created or updated,
the addresses that bounced marked, the booking changes applied, the
message's record with its `decision` event, and a `reply_suppressed` event
for each reply not sent. The replies that are sent are queued straight
after (outbox.queue), so a reply is committed together with the decision
that made it, or not at all. Like worker.py, it imports the readers only
where they are used.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..store import Store, iso

if TYPE_CHECKING:
    from ..deciding.conversation import Reading
    from ..deciding.workflow import Decision
    from ..model import BookingChange, SessionSeats
    from ..reading.message import ParsedMessage


@dataclass(frozen=True)
class Recorded:
    lead_id: int | None  # the lead the message belongs to, if any
    bookings: dict[str, int]  # the decision's booking refs ("new", "b12") -> stored ids


def record(
    store: Store,
    message_pk: int,
    reading: Reading,
    decision: Decision,
    sessions: Sequence[SessionSeats],
    now: datetime,
) -> Recorded:
    """Write what `decision` says about stored message `message_pk`; its replies excepted."""
    msg, classification, facts = reading.msg, reading.classification, reading.facts
    lead_id = None
    if decision.lead_email:
        changes: dict[str, Any] = {
            "name": facts.name,
            "organisation": facts.organisation,
            "org_type": facts.org_type,
            "phone": facts.phone,
            "participants": facts.participants,
            "language": classification.language,
            "status": decision.lead_status,
        }
        if decision.opt_out:
            changes["opted_out"] = 1
        lead_id = store.upsert_lead(decision.lead_email, changes, now)
    for address in decision.undeliverable:
        bounced, reason = mark_undeliverable(store, msg, address, sessions, now)
        if bounced is not None:
            store.log_event(
                "undeliverable",
                {"address": address, "reason": reason},
                now,
                lead_id=bounced,
                message_id=message_pk,
            )
            if reason not in decision.notes:  # what they hold, when they hold something
                decision = replace(decision, notes=(*decision.notes, reason))
            lead_id = lead_id or bounced
    booking_ids = apply_bookings(store, decision.bookings, lead_id, message_pk, now)

    store.record_message(
        message_pk,
        {
            "message_id": msg.message_id,
            "in_reply_to": msg.in_reply_to,
            "references": " ".join(msg.references),
            "from_addr": msg.from_addr,
            "from_name": msg.from_name,
            "subject": msg.subject,
            "date": iso(msg.date) if msg.date else None,
            "text": msg.text,
            "language": classification.language,
            "category": classification.category.value,
            "reasons": json.dumps(list(classification.reasons)),
            "facts": facts.to_json(),
            "lead_id": lead_id,
            "state": "processed",
            "error": None,
            "processed": iso(now),
            **({"raw": reading.compressed} if reading.compressed is not None else {}),
        },
    )
    store.log_event(
        "decision",
        {
            "category": classification.category.value,
            "reasons": list(classification.reasons),
            "notes": list(decision.notes),
        },
        now,
        lead_id=lead_id,
        message_id=message_pk,
    )
    for s in decision.suppressed:
        store.log_event(
            "reply_suppressed",
            {"kind": s.kind, "to": s.to_addr, "reason": s.reason},
            now,
            lead_id=lead_id,
            message_id=message_pk,
        )
    return Recorded(lead_id, booking_ids)


def mark_undeliverable(
    store: Store,
    msg: ParsedMessage,
    address: str,
    sessions: Sequence[SessionSeats],
    now: datetime,
) -> tuple[int | None, str]:
    """Set the lead's status after a permanent bounce: (lead id or None, the reason).

    A lead holding a seat or a waitlist place becomes needs_attention, so
    their status never says `booked` while nothing reaches them.
    """
    from ..reading import bounces

    lead = store.lead(address)
    if lead is None:
        return None, ""
    failure = bounces.failure_of(msg.dsn, address) if msg.dsn else None
    status, reason = bounces.status_after(
        address,
        failure.status if failure else "",
        store.lead_bookings(lead.id),
        sessions,
    )
    store.set_lead_status(lead.id, status, now)
    return lead.id, reason


def apply_bookings(
    store: Store,
    changes: Sequence[BookingChange],
    lead_id: int | None,
    message_pk: int | None,
    now: datetime,
) -> dict[str, int]:
    """Apply booking changes, each with its `booking` event: the refs' stored ids."""
    ids: dict[str, int] = {}
    for change in changes:
        booking_id = store.apply_booking_change(change, lead_id, now)
        ids[change.ref] = booking_id
        stored = store.booking(booking_id)
        store.log_event(
            "booking",
            {"booking": booking_id, "status": change.status, "session": stored.session_id},
            now,
            lead_id=lead_id,
            message_id=message_pk,
        )
        if stored.lead_id != lead_id and change.status == "confirmed":
            # Someone else moved up from the waitlist: their status follows
            # the seat they now hold.
            store.set_lead_status(stored.lead_id, "booked", now)
    return ids
