"""From a planned reply to the email(s) that carry it: template variables, invites.

The worker decides *that* someone gets a reply; this module gathers what the
template needs (the sessions offered, the booking and its session, the one
given up), adds the calendar invitations a booking reply carries and renders
it. It is pure: the caller reads the bookings and sessions and passes them
in, with the time and a Message-ID factory, and gets back the rendered
messages with what their outbox row needs. Queueing them, in the caller's
transaction, is outbox.queue's work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from ..config import Config
from ..deciding.booking import CONFIRMED, Booking, SessionSeats
from ..model import PlannedReply
from ..reading.orgs import greeting_name, reply_organisation
from .headers import make_message_id
from .invite import Invite, booking_uid
from .render import Renderer, ReplyRequest, Sender
from .variables import SessionOption

# The message that withdraws the old appointment of a move (see compose()).
RELEASED = "released"


@dataclass(frozen=True)
class InReplyTo:
    """The message a reply answers; None for mail we start (promotions, reminders)."""

    pk: int
    message_id: str | None
    subject: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Composed:
    """One rendered message and what its outbox row records besides the email."""

    planned: PlannedReply  # its kind and recipient; a move's companion is kind RELEASED
    message_id: str
    email: EmailMessage
    booking: Booking | None  # the booking the message is about


def sender_of(config: Config) -> Sender:
    """The organiser as the From: of every reply."""
    return Sender(name=config.organiser.name, email=config.organiser.email)


def compose(
    planned: PlannedReply,
    *,
    config: Config,
    renderer: Renderer,
    answering: InReplyTo | None,
    booking: Booking | None,
    withdrawn: Booking | None,
    sessions: Mapping[str, SessionSeats],
    now: datetime,
    new_id: Callable[[], str],
    extra: Mapping[str, Any] | None = None,
    automatic: bool = True,
) -> list[Composed]:
    """Render one planned reply: the reply itself and, for a move, its `released` companion.

    `booking` is the booking the reply confirms (planned.booking_ref), `withdrawn`
    the one it gives up (planned.cancel_ref); `sessions` holds every session by id.
    """
    sender = sender_of(config)
    variables: dict[str, Any] = {
        # Only what is sure goes out in the organiser's name (issue 14): a
        # doubtful name or organisation is left out and the sentence reads on.
        "name": greeting_name(planned.name),
        "organisation": reply_organisation(planned.organisation),
        # [workshop.en] over [workshop]: an English reply holds no Dutch texts.
        "workshop": config.workshop.for_language(planned.language),
        "organiser": config.organiser,
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
        _invite(config, "REQUEST", booking, sessions[booking.session_id], now, language)
        if booking is not None and booking.status == CONFIRMED
        else None
    )
    cancel = (
        _invite(config, "CANCEL", withdrawn, sessions[withdrawn.session_id], now, language)
        if withdrawn is not None
        else None
    )
    message_id = make_message_id(sender.email, new_id())
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
    email = renderer.render(request_for, sender=sender, date=now)
    composed = [Composed(planned, message_id, email, booking)]
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
            message_id=make_message_id(sender.email, new_id()),
            invites=(cancel,),
        )
        released = renderer.render(companion, sender=sender, date=now)
        composed.append(
            Composed(
                replace(planned, kind=RELEASED, offered=()),
                companion.message_id,
                released,
                withdrawn,
            )
        )
    return composed


def _invite(
    config: Config,
    method: str,
    booking: Booking,
    session: SessionSeats,
    now: datetime,
    language: str,
) -> Invite:
    organiser = config.organiser
    workshop = config.workshop.for_language(language)
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
