"""Bookings by hand: the organiser books, moves or cancels someone's seat.

No second booking engine: a booking by hand is the decision a mail would
have led to (booking.choose for a seat or a move, booking.cancel for a
cancellation, with the waitlist promotions they bring), and its mail is what
that mail would have brought, queued by the same Composer. What differs is
who asks: the organiser names the session, may book past the capacity
(`over_capacity`, with a warning) and may keep everyone uninformed (`mail`
off).

`BookingDesk.plan()` reads the database and decides; `preview()` applies the
plan inside a transaction that is rolled back, so the organiser sees exactly
the mail it queues; `apply()` decides again under the write lock and refuses
when the bookings changed meanwhile (a poll took the last seat), so what was
confirmed is what happens.

`status_conflict()` keeps `leads set-status` from contradicting the bookings.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..deciding import booking
from ..deciding.booking import Outcome
from ..errors import InboxWorkerError, NotFound
from ..model import ACTIVE, CONFIRMED, WAITLISTED, Booking, OfferedSession, PlannedReply
from ..store import Store

if TYPE_CHECKING:
    from ..writing.render import Renderer

ADD, MOVE, CANCEL = "add", "move", "cancel"
# The kinds whose calendar part withdraws an appointment rather than sending one.
_WITHDRAWS = frozenset({"released", "cancellation"})


class Refused(InboxWorkerError):
    """The booking by hand cannot be done as asked; the message says what to do instead."""


@dataclass(frozen=True)
class Request:
    """What the organiser typed."""

    action: str  # add, move or cancel
    lead: str  # email or id
    session_id: str | None = None  # cancel: None means every active booking
    seats: int = 1  # add only; a move keeps the seats
    over_capacity: bool = False
    name: str = ""  # add only: the name of someone who never wrote (a new lead)


@dataclass(frozen=True)
class Plan:
    request: Request
    lead_id: int
    email: str
    outcome: Outcome
    warnings: tuple[str, ...] = ()
    new_lead: bool = False  # the address never wrote: the lead is made when it is booked

    @property
    def lines(self) -> tuple[str, ...]:
        """What will change, one line each (the decision's own notes)."""
        return self.outcome.notes


@dataclass(frozen=True)
class Mail:
    """One email the plan queues, as the preview and the report show it."""

    reply_id: int
    kind: str
    to_addr: str
    status: str  # pending, held or suppressed, as the reply mode says
    calendar: str  # "invitation", "cancels the appointment" or ""

    def describe(self) -> str:
        extra = f", {self.calendar}" if self.calendar else ""
        return f"{self.kind} to {self.to_addr}{extra}"


def status_conflict(email: str, status: str, bookings: Sequence[Booking]) -> str | None:
    """Why `status` would contradict the lead's bookings (one line), or None.

    The bookings are the truth about seats; a status may only summarise them.
    """
    confirmed = [b for b in bookings if b.status == CONFIRMED]
    waiting = [b for b in bookings if b.status == WAITLISTED]
    held = ", ".join(f"{b.session_id} ({b.status})" for b in (*confirmed, *waiting))
    if status == "booked" and not confirmed:
        return (
            f"{email} holds no confirmed seat, so the status cannot be booked:"
            f" book one with 'inbox-worker bookings add {email} SESSION'"
        )
    if status == "waitlisted" and not waiting:
        return (
            f"{email} is on no waitlist, so the status cannot be waitlisted:"
            f" use 'inbox-worker bookings add {email} SESSION' for a full session"
        )
    if status in ("cancelled", "new", "offered") and (confirmed or waiting):
        return (
            f"{email} still holds {held}, so the status cannot be {status}:"
            f" cancel with 'inbox-worker bookings cancel {email}'"
        )
    return None


def settle_status(store: Store, lead_id: int, now: datetime, wanted: str | None = None) -> None:
    """The lead's status after bookings changed by hand: `wanted` (the decision's),
    else as it was, unless that contradicts their bookings; then what the bookings say."""
    lead = store.lead_row(str(lead_id))
    bookings = store.lead_bookings(lead_id)
    status = wanted or lead["status"]
    if status_conflict(lead["email"], status, bookings) is None:
        if status != lead["status"]:
            store.set_lead_status(lead_id, status, now)
        return
    statuses = {b.status for b in bookings}
    if CONFIRMED in statuses:
        status = "booked"
    elif WAITLISTED in statuses:
        status = WAITLISTED
    else:
        status = "cancelled" if bookings else "new"
    store.set_lead_status(lead_id, status, now)


class BookingDesk:
    def __init__(
        self,
        config: Config,
        store: Store,
        renderer: Renderer,
        *,
        mode: str,
        mail: bool = True,
    ) -> None:
        from ..outbox.queue import Composer

        self.config = config
        self.store = store
        self.mail = mail
        self._ids: list[str] = []
        self.composer = Composer(config, store, renderer, mode=mode, new_id=self._new_id)

    def _new_id(self) -> str:
        key = uuid.uuid4().hex
        self._ids.append(key)
        return key

    # -- deciding -----------------------------------------------------------

    def plan(self, request: Request, now: datetime) -> Plan:
        try:
            lead = self.store.lead_row(request.lead)
        except NotFound:
            if request.action != ADD or "@" not in request.lead:
                raise
            # Someone who never wrote (Piet asks to book his colleague Karin): the
            # lead is made when the booking is, so a declined preview leaves nothing.
            email = request.lead.strip().lower()
            plan = self._choose(request, 0, email, (), now)
            new = f"{email} never wrote to you: a new lead is made for them"
            return replace(plan, new_lead=True, warnings=(new, *plan.warnings))
        mine = self.store.lead_bookings(lead["id"])
        if request.action == CANCEL:
            outcome = self._cancel(lead["email"], request.session_id, mine)
            plan = Plan(request, lead["id"], lead["email"], outcome)
        else:
            plan = self._choose(request, lead["id"], lead["email"], mine, now)
        if self.mail and lead["opted_out"]:
            told = (f"{lead['email']} opted out: they get no mail about this",)
            plan = replace(plan, warnings=(*plan.warnings, *told))
        return plan

    def _choose(
        self, request: Request, lead_id: int, email: str, mine: Sequence[Booking], now: datetime
    ) -> Plan:
        sessions = self.store.session_seats()
        assert request.session_id is not None
        session = _session(request.session_id, sessions)
        if session.starts <= now:
            raise Refused(f"session {session.id} has started already: nothing to book")
        active = [b for b in mine if b.status in ACTIVE]
        same = next((b for b in active if b.session_id == session.id), None)
        confirmed = next((b for b in active if b.status == CONFIRMED), None)
        if request.action == ADD:
            seats = request.seats
            if same is not None:
                raise Refused(
                    f"{email} already holds {_seats(same.seats)} ({same.status}) on {session.id};"
                    f" for other seats, cancel first: 'inbox-worker bookings cancel {email}"
                    f" {session.id}'"
                )
            if confirmed is not None:
                raise Refused(
                    f"{email} already holds a seat on {confirmed.session_id}: use"
                    f" 'inbox-worker bookings move {email} {session.id}'"
                )
        else:
            current = confirmed or next((b for b in active if b.status == WAITLISTED), None)
            if current is None:
                raise Refused(
                    f"{email} holds no booking to move: use"
                    f" 'inbox-worker bookings add {email} {session.id}'"
                )
            if same is not None:
                raise Refused(f"{email} is already {same.status} on {session.id}")
            seats = current.seats
        warnings: list[str] = []
        if seats > session.capacity and not request.over_capacity:
            raise Refused(
                f"{session.id} has {_seats(session.capacity)} in all, fewer than {seats}:"
                " --over-capacity books them anyway"
            )
        offered = (OfferedSession(1, session.id, session.starts, session.location),)
        waitlists = self.store.waitlists()
        outcome = booking.choose(1, offered, seats, mine, sessions, waitlists, now)
        if outcome.lead_status == WAITLISTED:
            if request.over_capacity:
                # Room for them and for everyone waiting: choose() then confirms.
                waiting = sum(b.seats for b in waitlists.get(session.id, ()))
                lifted = replace(session, capacity=session.seats_taken + seats + waiting)
                roomy = [lifted if s.id == session.id else s for s in sessions]
                outcome = booking.choose(1, offered, seats, mine, roomy, waitlists, now)
                taken = session.seats_taken + seats
                warnings.append(
                    f"over capacity: {session.id} will have {taken} seats taken"
                    f" of {session.capacity}"
                )
            else:
                warnings.append(
                    f"{session.id} has {_seats(session.seats_left)} left for {seats}:"
                    f" {email} goes on its waitlist (--over-capacity books anyway)"
                )
        return Plan(request, lead_id, email, outcome, tuple(warnings))

    def _cancel(self, email: str, session_id: str | None, mine: Sequence[Booking]) -> Outcome:
        active = [b for b in mine if b.status in ACTIVE]
        if session_id is not None:
            session = _session(session_id, self.store.all_sessions())
            if not any(b.session_id == session.id for b in active):
                held = ", ".join(b.session_id for b in active) or "nothing"
                raise Refused(f"{email} holds no booking on {session.id} (holds {held})")
            offered: tuple[OfferedSession, ...] = (
                OfferedSession(1, session.id, session.starts, session.location),
            )
        elif not active:
            raise Refused(f"{email} holds no booking to cancel")
        else:
            offered = ()
        return booking.cancel(
            1 if offered else None,
            offered,
            mine,
            self.store.all_sessions(),
            self.store.waitlists(),
        )

    # -- doing ----------------------------------------------------------------

    def preview(self, plan: Plan, now: datetime) -> list[Mail]:
        """The mail the plan queues, queued by the same code, then undone."""
        with self.store.rolled_back():
            return self._apply(plan, now)

    def apply(self, plan: Plan, now: datetime) -> list[Mail]:
        with self.store.transaction():
            fresh = self.plan(plan.request, now)
            if fresh.outcome != plan.outcome:
                raise Refused(
                    "the bookings changed while the preview was shown"
                    " (a poll ran?): nothing done, run the command again"
                )
            return self._apply(plan, now)

    def _apply(self, plan: Plan, now: datetime) -> list[Mail]:
        store = self.store
        if plan.new_lead:
            name = {"name": plan.request.name} if plan.request.name else {}
            lead_id = store.upsert_lead(plan.email, {**name, "status": "new"}, now)
            plan = replace(plan, lead_id=lead_id)
        outcome = plan.outcome
        ids: dict[str, int] = {}
        for change in outcome.changes:
            booking_id = store.apply_booking_change(change, plan.lead_id, now)
            ids[change.ref] = booking_id
            session_id = change.session_id or store.booking(booking_id).session_id
            store.log_event(
                "booking",
                {
                    "booking": booking_id,
                    "status": change.status,
                    "session": session_id,
                    "by": "organiser",
                },
                now,
                lead_id=plan.lead_id,
            )
        store.log_event(
            "booking_by_hand",
            {
                "action": plan.request.action,
                "notes": list(outcome.notes),
                "warnings": list(plan.warnings),
                "mail": self.mail,
            },
            now,
            lead_id=plan.lead_id,
        )
        settle_status(self.store, plan.lead_id, now, outcome.lead_status)
        for notice in outcome.notices:
            if notice.lead_id is not None:
                settle_status(self.store, notice.lead_id, now)
        if not self.mail:
            return []
        return self._queue(plan, ids, now)

    def _queue(self, plan: Plan, ids: dict[str, int], now: datetime) -> list[Mail]:
        from ..outbox.queue import answering_latest

        lead = self.store.lead_row(str(plan.lead_id))
        answering = answering_latest(self.store, plan.lead_id)
        language = lead["language"] or self.config.replies.default_language
        start = len(self._ids)
        for notice in plan.outcome.notices:
            if notice.lead_id is None:
                if lead["opted_out"]:
                    continue  # no mail of any kind goes to them; the preview says so
                planned = PlannedReply(
                    kind=notice.kind,
                    language=language,
                    to_addr=lead["email"],
                    to_name=lead["name"] or "",
                    name=lead["name"] or "",
                    organisation=lead["organisation"] or "",
                    offered=notice.offered,
                    booking_ref=notice.booking_ref,
                    cancel_ref=notice.cancel_ref,
                )
                self.composer.queue(
                    planned,
                    lead_id=plan.lead_id,
                    answering=answering,
                    bookings=ids,
                    now=now,
                    automatic=False,  # the organiser chose to send it
                )
            else:
                # A promotion, as by email: promote() already passed over the opted-out.
                planned = booking.reply_for(notice, self.config.replies.default_language)
                self.composer.queue(
                    planned, lead_id=notice.lead_id, answering=None, bookings=ids, now=now
                )
        return [self._mail(key) for key in self._ids[start:]]

    def _mail(self, key: str) -> Mail:
        from ..writing.headers import make_message_id

        row: dict[str, Any] = self.store.reply_by_message_id(
            make_message_id(self.config.organiser.email, key)
        )
        calendar = ""
        if b"text/calendar" in row["body"]:
            calendar = (
                "cancels the appointment" if row["kind"] in _WITHDRAWS else "calendar invitation"
            )
        return Mail(row["id"], row["kind"], row["to_addr"], row["status"], calendar)


def _session(session_id: str, sessions: Sequence[Any]) -> Any:
    found = next((s for s in sessions if s.id == session_id), None)
    if found is None:
        known = ", ".join(s.id for s in sessions) or "none"
        raise NotFound(f"no session {session_id} (there are: {known})")
    return found


def _seats(n: int) -> str:
    return f"{n} seat" if n == 1 else f"{n} seats"
