"""From a planned reply to a queued email: template variables, invites, the outbox row.

The worker decides *that* someone gets a reply; this module gathers what the
template needs (the sessions offered, the booking and its session, the one
given up), adds the calendar invitations a booking reply carries, renders it
and queues it in the `replies` table, the durable outbox. It runs inside the
caller's transaction, so a reply is queued together with the decision that
made it, or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from ..config import Config
from ..deciding.booking import CONFIRMED, NEW, Booking, SessionSeats
from ..model import PlannedReply
from ..reading.orgs import greeting_name, reply_organisation
from ..store import Store, iso
from .headers import make_message_id
from .invite import Invite, booking_uid
from .render import Renderer, ReplyRequest, Sender
from .variables import SessionOption

# The message that withdraws the old appointment of a move (see queue()).
RELEASED = "released"

STATUS_BY_MODE = {"send": "pending", "hold": "held", "dry-run": "suppressed"}


@dataclass(frozen=True)
class InReplyTo:
    """The message a reply answers; None for mail we start (promotions, reminders)."""

    pk: int
    message_id: str | None
    subject: str
    references: tuple[str, ...]


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
        self.sender = Sender(name=config.organiser.name, email=config.organiser.email)
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
        """
        sessions = {s.id: s for s in self.store.all_sessions()}
        booking = self._booking(planned.booking_ref, bookings)
        withdrawn = self._booking(planned.cancel_ref, bookings)
        variables: dict[str, Any] = {
            # Only what is sure goes out in the organiser's name (issue 14): a
            # doubtful name or organisation is left out and the sentence reads on.
            "name": greeting_name(planned.name),
            "organisation": reply_organisation(planned.organisation),
            # [workshop.en] over [workshop]: an English reply holds no Dutch texts.
            "workshop": self.config.workshop.for_language(planned.language),
            "organiser": self.config.organiser,
            "sessions": [
                _view(sessions[o.session_id], o.number)
                for o in planned.offered
                if o.session_id in sessions
            ],
            "language": planned.language,
            "action": planned.action,
            "session": _view(sessions[booking.session_id]) if booking else None,
            "seats": booking.seats if booking else 0,
            "previous": (
                _view(sessions[withdrawn.session_id])
                if withdrawn and (booking is None or withdrawn.id != booking.id)
                else None
            ),
            **(extra or {}),
        }
        language = planned.language
        request = (
            self._invite("REQUEST", booking, sessions[booking.session_id], now, language)
            if booking is not None and booking.status == CONFIRMED
            else None
        )
        cancel = (
            self._invite("CANCEL", withdrawn, sessions[withdrawn.session_id], now, language)
            if withdrawn is not None
            else None
        )
        message_id = make_message_id(self.sender.email, self.new_id())
        request_for = ReplyRequest(
            kind=planned.kind,
            language=planned.language,
            to_addr=planned.to_addr,
            to_name=planned.to_name,
            subject=answering.subject if answering else "",
            in_reply_to=answering.message_id if answering else None,
            references=answering.references if answering else (),
            message_id=message_id,
            variables=variables,
            invites=tuple(i for i in (request or cancel,) if i is not None),
            automatic=automatic,
        )
        email = self.renderer.render(request_for, sender=self.sender, date=now)
        status = status or self.status
        self._store(planned, request_for, email, lead_id, answering, booking, now, status)
        if request is not None and cancel is not None:
            # A move: the new REQUEST above, the old event's CANCEL in a message of
            # its own (kind "released"), threaded under it. RFC 6047 allows one
            # calendar part per message, and Outlook and Gmail act on that part
            # only: a CANCEL riding along as a second part or an attachment is
            # ignored, and the old appointment would stay in the calendar.
            companion = replace(
                request_for,
                kind=RELEASED,
                subject=str(email["Subject"]),
                in_reply_to=message_id,
                references=(*request_for.references, *filter(None, [request_for.in_reply_to])),
                message_id=make_message_id(self.sender.email, self.new_id()),
                invites=(cancel,),
            )
            released = self.renderer.render(companion, sender=self.sender, date=now)
            self._store(
                replace(planned, kind=RELEASED, offered=()),
                companion,
                released,
                lead_id,
                answering,
                withdrawn,
                now,
                status,
            )
        return status

    def _store(
        self,
        planned: PlannedReply,
        req: ReplyRequest,
        email: EmailMessage,
        lead_id: int | None,
        answering: InReplyTo | None,
        booking: Booking | None,
        now: datetime,
        status: str,
    ) -> None:
        self.store.queue_reply(
            {
                "lead_id": lead_id,
                "in_reply_to": answering.pk if answering else None,
                "kind": planned.kind,
                "to_addr": planned.to_addr.lower(),
                "language": planned.language,
                "subject": str(email["Subject"]),
                "message_id": req.message_id,
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

    def _invite(
        self, method: str, booking: Booking, session: SessionSeats, now: datetime, language: str
    ) -> Invite:
        organiser = self.config.organiser
        workshop = self.config.workshop.for_language(language)
        return Invite(
            method=method,
            uid=booking_uid(booking.id, organiser.email),
            sequence=booking.ics_sequence,
            starts=session.starts,
            ends=session.ends,
            summary=workshop.title,
            location=session.location,
            description=workshop.url,
            organiser_name=organiser.name,
            organiser_email=organiser.email,
            attendee_name=booking.lead_name,
            attendee_email=booking.lead_email,
            stamp=now,
            zone=organiser.zone,
        )


def _view(session: SessionSeats, number: int = 0) -> SessionOption:
    """A session as the templates see it (`sessions`, `session`, `previous`)."""
    return SessionOption(
        number=number,
        id=session.id,
        starts=session.starts,
        ends=session.ends,
        location=session.location,
        seats_left=session.seats_left,
    )
