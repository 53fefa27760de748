"""Queueing a reply: from a planned reply to a row in the `replies` table.

writing.compose renders a reply from what it is given; this module reads
what it needs from the store (the sessions, the booking confirmed and the
one given up), has it rendered and queues each message in the `replies`
table, the durable outbox, with a `reply_queued` event. It runs inside the
caller's transaction, so a reply is queued together with the decision that
made it, or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ..config import Config
from ..model import NEW, Booking, PlannedReply
from ..store import Store, iso
from ..writing.compose import Composed, InReplyTo, compose, sender_of
from ..writing.render import Renderer

STATUS_BY_MODE = {"send": "pending", "hold": "held", "dry-run": "suppressed"}


def answering_latest(store: Store, lead_id: int) -> InReplyTo | None:
    """The lead's newest message, as a reply written by hand answers it."""
    latest = store.latest_message(lead_id)
    if latest is None:
        return None
    references = tuple((latest["references"] or "").split())
    return InReplyTo(latest["id"], latest["message_id"], latest["subject"] or "", references)


class Composer:
    def __init__(
        self,
        config: Config,
        store: Store,
        renderer: Renderer,
        *,
        mode: str,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.config = config
        self.store = store
        self.renderer = renderer
        self.status = STATUS_BY_MODE[mode]
        self.sender = sender_of(config)
        self.new_id = new_id

    def queue(
        self,
        planned: PlannedReply,
        *,
        lead_id: int | None,
        answering: InReplyTo | None,
        bookings: Mapping[str, int],
        now: datetime,
        extra: Mapping[str, Any] | None = None,
        automatic: bool = True,
        status: str | None = None,
    ) -> str:
        """Render and queue one reply; returns its status (pending, held or suppressed).
        `status` overrides the mode's (a reply held past the hourly ceiling).

        `bookings` maps the decision's booking refs ("new", "b12") to stored ids.
        A move queues two messages: the reply and its `released` companion.
        """
        composed = compose(
            planned,
            config=self.config,
            renderer=self.renderer,
            answering=answering,
            booking=self._booking(planned.booking_ref, bookings),
            withdrawn=self._booking(planned.cancel_ref, bookings),
            sessions={s.id: s for s in self.store.all_sessions()},
            now=now,
            new_id=self.new_id,
            extra=extra,
            automatic=automatic,
        )
        status = status or self.status
        for message in composed:
            self._store(message, lead_id, answering, now, status)
        return status

    def _store(
        self,
        message: Composed,
        lead_id: int | None,
        answering: InReplyTo | None,
        now: datetime,
        status: str,
    ) -> None:
        planned, email, booking = message.planned, message.email, message.booking
        self.store.queue_reply(
            {
                "lead_id": lead_id,
                "in_reply_to": answering.pk if answering else None,
                "kind": planned.kind,
                "to_addr": planned.to_addr.lower(),
                "language": planned.language,
                "subject": str(email["Subject"]),
                "message_id": message.message_id,
                "body": email.as_bytes(),
                "offered": json.dumps(
                    [{"number": o.number, "session_id": o.session_id} for o in planned.offered]
                ),
                "booking_id": booking.id if booking else None,
                "status": status,
                "last_error": "dry-run: not sent" if self.status == "suppressed" else None,
                "created": iso(now),
            }
        )
        self.store.log_event(
            "reply_queued",
            {"kind": planned.kind, "to": planned.to_addr, "status": status},
            now,
            lead_id=lead_id,
            message_id=answering.pk if answering else None,
        )

    def _booking(self, ref: str | None, bookings: Mapping[str, int]) -> Booking | None:
        if ref is None:
            return None
        booking_id = bookings[ref] if ref == NEW else int(ref.removeprefix("b"))
        return self.store.booking(booking_id)
