"""`sessions cancel`: the organiser calls a session off, and everyone on it hears.

What happens is decided by booking.cancel_session() (pure); this module reads
the session and its people, applies the decision and queues the mail in one
transaction: the session marked cancelled (never offered again), every seat
and waitlist place on it cancelled, and each person one `session_cancelled`
mail in their language, with the calendar cancellation for a confirmed seat
and the upcoming sessions where their group fits. The preview runs the very
same code in a transaction that is rolled back, so what the organiser is
shown is what is done.

What nobody has been told yet, a session taken out of the config while
people are booked or waiting on it, is found by inbox_worker.run.stranded:
`doctor` and every pass name it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..config import Config
from ..deciding import booking
from ..errors import InboxWorkerError
from ..store import Store
from .byhand import settle_status

if TYPE_CHECKING:
    from ..writing.render import Renderer

@dataclass(frozen=True)
class Person:
    """Someone booked or waiting on the session, and what they get."""

    email: str
    name: str
    status: str  # confirmed / waitlisted (before the cancellation)
    seats: int
    mail: str  # in words: "nl, with CANCEL invite", "en", "no mail: opted out", ...


@dataclass(frozen=True)
class Cancellation:
    session_id: str
    starts: datetime
    location: str
    people: tuple[Person, ...]
    mails: tuple[bytes, ...]  # the emails queued, in the order of `people`
    reply_status: str  # how they were queued: pending / held / suppressed ("" for none)

    @property
    def booked(self) -> int:
        return sum(1 for p in self.people if p.status == booking.CONFIRMED)

    @property
    def waiting(self) -> int:
        return sum(1 for p in self.people if p.status == booking.WAITLISTED)


class SessionDesk:
    def __init__(
        self,
        config: Config,
        store: Store,
        renderer: Renderer,
        *,
        mode: str,
        mail: bool = True,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        from ..outbox.queue import Composer

        self.config = config
        self.store = store
        self.mail = mail
        self.composer = Composer(config, store, renderer, mode=mode, new_id=new_id)

    def preview(self, session_id: str, now: datetime) -> Cancellation:
        """What cancel() would do and send; nothing is kept."""
        with self.store.rolled_back():
            return self._cancel(session_id, now)

    def cancel(self, session_id: str, now: datetime) -> Cancellation:
        with self.store.transaction():
            return self._cancel(session_id, now)

    def _cancel(self, session_id: str, now: datetime) -> Cancellation:
        store = self.store
        row = store.session_row(session_id)
        starts = datetime.fromisoformat(row["starts"])
        if row["cancelled"]:
            raise InboxWorkerError(f"session {session_id} was cancelled on {row['cancelled']}")
        if starts <= now:
            raise InboxWorkerError(
                f"session {session_id} has started or taken place: nothing to cancel"
            )
        on_it = store.session_bookings(session_id)
        store.cancel_session(session_id, now)
        outcome = booking.cancel_session(session_id, on_it, store.session_seats(), now)
        mark = store.mark()
        ids: dict[str, int] = {}
        for change in outcome.changes:
            booking_id = store.apply_booking_change(change, None, now)
            ids[change.ref] = booking_id
            b = store.booking(booking_id)
            store.log_event(
                "booking",
                {"booking": booking_id, "status": change.status, "session": session_id},
                now,
                lead_id=b.lead_id,
            )
        told: dict[int, str] = {}
        status = ""
        if self.mail:
            default = self.config.replies.default_language
            for notice in outcome.notices:
                planned = booking.reply_for(notice, default)
                status = self.composer.queue(
                    planned,
                    lead_id=notice.lead_id,
                    answering=None,
                    bookings=ids,
                    now=now,
                    extra={"waiting": notice.cancel_ref is None},
                    automatic=False,  # the organiser's own decision, not an auto-reply
                )
                invite = ", with CANCEL invite" if notice.cancel_ref else ""
                assert notice.lead_id is not None
                told[notice.lead_id] = f"{planned.language}{invite}"
        for lead_id in {b.lead_id for b in on_it}:
            # Status and bookings agree: what they still hold elsewhere says which.
            settle_status(store, lead_id, now)
        store.log_event(
            "session_cancelled",
            {
                "session": session_id,
                "booked": sum(1 for b in on_it if b.status == booking.CONFIRMED),
                "waiting": sum(1 for b in on_it if b.status == booking.WAITLISTED),
                "mail": self.mail,
                "notes": list(outcome.notes),
            },
            now,
        )
        mails = tuple(r["body"] for r in store.replies_since(mark))
        people = tuple(
            Person(
                email=b.lead_email,
                name=b.lead_name,
                status=b.status,
                seats=b.seats,
                mail=told.get(b.lead_id, _why_silent(b, self.mail)),
            )
            for b in on_it
        )
        return Cancellation(session_id, starts, row["location"], people, mails, status)


def _why_silent(b: booking.Booking, mail: bool) -> str:
    if not mail:
        return "no mail (--no-mail)"
    if b.lead_opted_out:
        return "no mail: opted out"
    return "no mail"
