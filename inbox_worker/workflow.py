"""What to do about one classified message (pure).

`decide()` takes everything a decision needs as data, the clock included, and
returns a Decision: the changes to the lead and the replies to queue, each
with the reasons that led to it. It never touches the database or the
network; worker.py applies the Decision in one transaction.

The reply rules follow RFC 3834 §2 and the Sieve vacation extension
(RFC 5230): never answer machine mail, a null return path, our own address
or role addresses like mailer-daemon; answer a person at most once per kind
per `min_days_between`; never write to an opted-out lead again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import booking, bounces
from .booking import NEW, Booking, BookingChange, Notice, SessionSeats, offer
from .classify import Category, Classification
from .extract import Facts
from .message import ParsedMessage
from .model import Lead, OfferedSession, PlannedReply, Policy, PriorReply

__all__ = ["NEW", "Booking", "BookingChange", "SessionSeats", "offer"]

# Local parts that never belong to a person who wants an answer (RFC 3834 §3.1.1
# names owner-*, *-request and mailer-daemon; the rest are common role mailboxes
# that only ever send machine mail).
_ROLE_ADDRESS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?|"
    r"owner-.*|.*-request|.*-bounces?|listserv|majordomo|notifications?)(\+.*)?@",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Situation:
    """What the database knows that bears on one message."""

    lead: Lead | None = None
    prior: Sequence[PriorReply] = ()  # replies to this address before
    sessions: Sequence[SessionSeats] = ()
    offered: Sequence[OfferedSession] = ()  # as numbered in the reply this message answers
    bookings: Sequence[Booking] = ()  # the lead's
    waitlists: Mapping[str, Sequence[Booking]] = field(default_factory=dict)
    received: datetime | None = None  # when the message reached the mailbox
    # For a bounce: {Message-ID: recipient} of our sent replies it returns or refers to.
    bounced_replies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Suppressed:
    kind: str
    to_addr: str
    reason: str


@dataclass(frozen=True)
class Decision:
    lead_email: str | None  # the lead this message belongs to; None: no lead (machine mail)
    lead_status: str | None = None  # new status, None: unchanged
    opt_out: bool = False
    undeliverable: tuple[str, ...] = ()  # addresses a permanent bounce reported
    replies: tuple[PlannedReply, ...] = ()
    suppressed: tuple[Suppressed, ...] = ()
    bookings: tuple[BookingChange, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)  # why, for the events log


def reply_blocker(
    msg: ParsedMessage,
    classification: Classification,
    lead: Lead | None,
    policy: Policy,
) -> str | None:
    """Why this message must get no automatic reply at all, or None."""
    if classification.category.is_machine:
        return f"machine mail: {classification.category.value}"
    if msg.return_path == "":
        return "null return path"
    if not msg.from_addr or "@" not in msg.from_addr:
        return "no sender address"
    if msg.from_addr in policy.our_addresses:
        return "our own address"
    if _ROLE_ADDRESS.match(msg.from_addr):
        return f"role address {msg.from_addr}"
    if lead is not None and lead.opted_out:
        return "lead opted out"
    if lead is not None and lead.status == "undeliverable":
        return "address bounced permanently"
    return None


def rate_limited(
    reply: PlannedReply, prior: Sequence[PriorReply], now: datetime, policy: Policy
) -> PriorReply | None:
    """An earlier reply of the same kind (about the same booking) within the period, or None.

    A reply about a booking made by this very decision is never a repeat.
    """
    if reply.booking_ref == NEW:
        return None
    booking_id = int(reply.booking_ref[1:]) if reply.booking_ref else None
    window = timedelta(days=policy.min_days_between)
    for p in prior:
        if (
            p.kind == reply.kind
            and p.booking_id == booking_id
            and p.status not in ("rejected", "failed")
            and now - p.created < window
        ):
            return p
    return None


def decide(
    msg: ParsedMessage,
    classification: Classification,
    facts: Facts,
    situation: Situation,
    policy: Policy,
    now: datetime,
) -> Decision:
    category = classification.category
    lead = situation.lead

    if category is Category.BOUNCE:
        failed, notes = bounces.undeliverable(msg, situation.bounced_replies, policy.our_addresses)
        return Decision(lead_email=None, undeliverable=failed, notes=notes)
    if category.is_machine:
        return Decision(lead_email=None, notes=(f"ignored: {category.value}",))

    lead_email = (msg.forwarded_from_addr or msg.from_addr) or None
    answer = PlannedReply(
        kind="",
        language=classification.language or policy.default_language,
        to_addr=lead_email or "",
        to_name=(msg.forwarded_from_name if msg.forwarded_from_addr else msg.from_name),
        name=facts.name or "",
        organisation=facts.organisation or "",
    )
    blocker = reply_blocker(msg, classification, lead, policy)

    if category is Category.UNSUBSCRIBE:
        return Decision(
            lead_email=lead_email,
            lead_status="unsubscribed",
            opt_out=True,
            notes=("unsubscribed: no mail of any kind goes to this address again",),
        )

    if lead is not None and lead.opted_out and category is not Category.OTHER:
        # They unsubscribed, yet write with a request. No automatic mail goes to
        # them (they asked for none); a person decides whether to answer.
        return Decision(
            lead_email=lead_email,
            lead_status="needs_attention",
            suppressed=(Suppressed(category.value, lead_email or "", "lead opted out"),),
            notes=(f"{category.value} from a lead who opted out: answer it by hand",),
        )

    received = situation.received
    if received is not None and now - received > timedelta(days=policy.answer_within_days):
        # History (a first poll of a mailbox with years of mail): filed, and the
        # lead kept, but nobody is answered or booked long after they wrote.
        return Decision(
            lead_email=lead_email,
            suppressed=(
                Suppressed(
                    category.value,
                    lead_email or "",
                    f"received {received:%Y-%m-%d}, more than"
                    f" {policy.answer_within_days} days ago (answer_within_days)",
                ),
            ),
            notes=("history: not acted on",),
        )

    if category is Category.INQUIRY:
        status = None if lead is not None and lead.status not in ("new",) else "offered"
        reply = replace(answer, kind="inquiry", offered=offer(situation.sessions, now))
        decision = _with_replies(
            Decision(lead_email=lead_email, lead_status=status),
            [reply],
            blocker,
            situation,
            now,
            policy,
        )
        if blocker is None and not decision.replies:
            # They asked again within the grace period: a person should answer.
            return replace(
                decision,
                lead_status="needs_attention",
                notes=(*decision.notes, "follow-up question: answer it by hand"),
            )
        return decision

    if category is Category.DATE_CHOICE:
        seats = facts.participants or 1
        outcome = booking.choose(
            facts.option,
            situation.offered or offer(situation.sessions, now),
            seats,
            situation.bookings,
            situation.sessions,
            situation.waitlists,
            now,
        )
    elif category is Category.CANCELLATION:
        outcome = booking.cancel(
            facts.option,
            situation.offered,
            situation.bookings,
            situation.sessions,
            situation.waitlists,
        )
    else:
        return Decision(lead_email=lead_email, notes=(f"no reply for {category.value}",))

    decision = Decision(
        lead_email=lead_email,
        lead_status=outcome.lead_status,
        bookings=outcome.changes,
        notes=outcome.notes,
    )
    own = [_reply_for(n, answer) for n in outcome.notices if n.lead_id is None]
    decision = _with_replies(decision, own, blocker, situation, now, policy)
    # Promotions go to other people, who asked to be told; the message's own
    # etiquette (a role sender, a null return path) has no bearing on them.
    others = tuple(_reply_for(n, answer) for n in outcome.notices if n.lead_id is not None)
    return replace(decision, replies=(*decision.replies, *others))


def _reply_for(notice: Notice, answer: PlannedReply) -> PlannedReply:
    if notice.lead_id is None:
        return replace(
            answer,
            kind=notice.kind,
            offered=notice.offered,
            booking_ref=notice.booking_ref,
            cancel_ref=notice.cancel_ref,
        )
    return booking.reply_for(notice, answer.language)


def _with_replies(
    decision: Decision,
    replies: Sequence[PlannedReply],
    blocker: str | None,
    situation: Situation,
    now: datetime,
    policy: Policy,
) -> Decision:
    for reply in replies:
        reason = blocker
        if reason is None:
            earlier = rate_limited(reply, situation.prior, now, policy)
            if earlier is not None:
                reason = (
                    f"already replied ({reply.kind}) on {earlier.created:%Y-%m-%d}"
                    f" (min_days_between = {policy.min_days_between})"
                )
        if reason is not None:
            suppressed = Suppressed(reply.kind, reply.to_addr, reason)
            decision = replace(decision, suppressed=(*decision.suppressed, suppressed))
        else:
            decision = replace(decision, replies=(*decision.replies, reply))
    return decision
