"""What to do about one classified message (pure).

`decide()` takes everything a decision needs as data, the clock included, and
returns a Decision: the changes to the lead and the replies to queue, each
with the reasons that led to it. It never touches the database or the
network; run/recording.py applies the Decision in one transaction. Whom we
may answer at all is etiquette.py's rule; for whom a message acts, and with
what authority, authority.py's.
"""


from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ..model import (
    ACTIVE,
    HOLDS_A_SEAT,
    Conversation,
    Lead,
    OfferedSession,
    PlannedReply,
    Policy,
    PriorReply,
)
from ..reading import bounces
from ..reading.classify import Category, Classification
from ..reading.extract import Facts
from ..reading.message import ParsedMessage
from . import booking
from .authority import acts_for_original_writer, authority, internal, lead_address
from .booking import Booking, BookingChange, Notice, SessionSeats, offer
from .etiquette import rate_limited, reply_blocker


@dataclass(frozen=True)
class Situation:
    """What the database knows that bears on one message."""

    lead: Lead | None = None
    prior: Sequence[PriorReply] = ()  # replies to this address before
    sessions: Sequence[SessionSeats] = ()
    offered: Sequence[OfferedSession] = ()  # the person's last offer (else conversation's)
    bookings: Sequence[Booking] = ()  # the lead's
    waitlists: Mapping[str, Sequence[Booking]] = field(default_factory=dict)
    received: datetime | None = None  # when the message reached the mailbox
    conversation: Conversation = field(default_factory=lambda: Conversation("today-offer"))
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

    @property
    def needs_attention(self) -> bool:
        return self.lead_status == NEEDS_ATTENTION


NEEDS_ATTENTION = "needs_attention"
# Actions that take something away from a person: only they may ask for them.
GUARDED = frozenset({Category.CANCELLATION, Category.UNSUBSCRIBE})


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
    conversation = situation.conversation

    if conversation.ours:
        return Decision(lead_email=None, notes=("our own message came back: not read",))
    if category is Category.BOUNCE:
        failed, notes = bounces.undeliverable(msg, situation.bounced_replies, policy.our_addresses)
        return Decision(lead_email=None, undeliverable=failed, notes=notes)
    if category.is_machine:
        return Decision(lead_email=None, notes=(f"ignored: {category.value}",))

    forwarded = acts_for_original_writer(msg, policy)
    if internal(msg, policy):
        return Decision(
            lead_email=None,
            suppressed=(Suppressed(category.value, msg.from_addr, "our own address"),),
            notes=("internal: from the organiser's side",),
        )
    lead_email = lead_address(msg, policy) or None
    if msg.form_from_addr:
        to_name = msg.form_from_name
    else:
        to_name = msg.forwarded_from_name if forwarded else msg.from_name
    answer = PlannedReply(
        kind="",
        language=classification.language or policy.default_language,
        to_addr=lead_email or "",
        to_name=to_name,
        name=facts.name or "",
        organisation=facts.organisation or "",
    )
    blocker = reply_blocker(msg, classification, lead, policy, lead_email or "")
    ctx = _Context(msg, classification, facts, situation, policy, now, lead_email, answer, blocker)

    if lead is not None and lead.opted_out:
        if category is Category.OTHER or category is Category.UNSUBSCRIBE:
            return Decision(lead_email=lead_email, notes=("from a lead who opted out: filed",))
        # They unsubscribed, yet write with a request. No automatic mail goes to
        # them (they asked for none); a person decides whether to answer.
        return ctx.attention(
            f"{category.value} from a lead who opted out: answer it by hand",
            suppressed=(Suppressed(category.value, lead_email or "", "lead opted out"),),
        )

    acts = category in GUARDED or category is Category.DATE_CHOICE
    # A colleague's forward may book for the writer; no forward takes anything away.
    if acts and msg.form_from_addr:
        return ctx.attention(
            f"{category.value} through a web form for {msg.form_from_addr}: "
            "nobody checked that address, so a form never books, cancels or unsubscribes"
        )
    takes_away = category in GUARDED or ctx.moves or not forwarded
    if acts and msg.forwarded_from_addr and takes_away:
        who = "a colleague" if forwarded else msg.from_addr
        return ctx.attention(
            f"forwarded {category.value} for {msg.forwarded_from_addr} by {who}: "
            "a forward never books, cancels or unsubscribes anyone"
        )
    if acts and lead is not None and lead_email and lead.email != lead_email:
        return ctx.attention(
            f"{category.value} from {lead_email} in the conversation with {lead.email}: "
            "only they may change their booking"
        )
    proof = authority(msg, conversation, policy)
    if category is Category.UNSUBSCRIBE and proof and not classification.attention:
        return _unsubscribe(ctx)  # honoured whatever the message's age

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

    if "ask:group-size" in classification.attention:
        return ctx.group_size(f"{category.value} with a head count no session takes")
    if classification.attention:
        return ctx.attention(
            f"{category.value} with a question for a person: " + ", ".join(classification.attention)
        )
    if not proof and (category in GUARDED or (category is Category.DATE_CHOICE and ctx.moves)):
        return ctx.ask_to_confirm()
    return _DECIDERS[category](ctx)


@dataclass(frozen=True)
class _Context:
    """One message's decision in the making: what every category's rule needs."""

    msg: ParsedMessage
    classification: Classification
    facts: Facts
    situation: Situation
    policy: Policy
    now: datetime
    lead_email: str | None
    answer: PlannedReply
    blocker: str | None

    @property
    def active(self) -> list[Booking]:
        return [b for b in self.situation.bookings if b.status in ACTIVE]

    @property
    def holds_seat(self) -> bool:
        """A booking or waitlist place, or our mail saying they have one."""
        conversation = self.situation.conversation
        return bool(self.active) or conversation.answered_kind in HOLDS_A_SEAT

    @property
    def offered(self) -> Sequence[OfferedSession]:
        """The numbering option numbers are read against: the person's last offer."""
        return self.situation.offered or self.situation.conversation.offered

    @property
    def moves(self) -> bool:
        """A choice that gives up a seat they hold: another session than theirs."""
        picked = next((o.session_id for o in self.offered if o.number == self.facts.option), None)
        return self.holds_seat and not any(b.session_id == picked for b in self.active)

    @property
    def open_offer(self) -> bool:
        return self.situation.conversation.context.startswith("offer#")

    def attention(self, reason: str, suppressed: tuple[Suppressed, ...] = ()) -> Decision:
        """Nothing automatic: a person answers, and the digest says why."""
        return Decision(
            lead_email=self.lead_email,
            lead_status=NEEDS_ATTENTION,
            suppressed=suppressed,
            notes=(f"needs attention: {reason}",),
        )

    def group_size(self, reason: str) -> Decision:
        """A head count no session takes (more than it holds, none, hundreds):
        never a waitlist place that can never be filled, never a silent one
        seat. The organiser decides; the person hears that they will."""
        decision = self.attention(reason)
        return self.replies(decision, [replace(self.answer, kind="group_size")])

    def replies(self, decision: Decision, replies: Sequence[PlannedReply]) -> Decision:
        return _with_replies(decision, replies, self.blocker, self.situation, self.now, self.policy)

    def ask_to_confirm(self) -> Decision:
        """A request to cancel, move or unsubscribe that nothing shows the
        sender wrote: ask them to confirm by answering our mail, which then
        carries the proof. From a forged sender, the real person learns of it."""
        category = self.classification.category
        action = {Category.CANCELLATION: "cancel", Category.UNSUBSCRIBE: "unsubscribe"}.get(
            category, "move"
        )
        reply = replace(self.answer, kind="confirm", action=action)
        decision = self.replies(
            Decision(
                lead_email=self.lead_email,
                notes=(
                    f"{category.value} not acted on: the sender's address is not proven "
                    "(no answer to our mail, no DMARC pass); asked them to confirm",
                ),
            ),
            [reply],
        )
        if not decision.replies:
            return self.attention(
                f"{category.value} from an unproven sender, and no confirmation request "
                "could be sent",
                suppressed=decision.suppressed,
            )
        return decision


def _inquiry(ctx: _Context) -> Decision:
    lead, situation = ctx.situation.lead, ctx.situation
    if ctx.active:
        held = ", ".join(b.session_id for b in ctx.active)
        return ctx.attention(f"question from someone who holds a place ({held})")
    if ctx.situation.conversation.answered_kind:
        # Our mail already told them what the offer tells: what they ask now is
        # something else, and a person answers it.
        kind = ctx.situation.conversation.answered_kind
        return ctx.attention(f"a question in answer to our {kind} mail")
    largest = max((s.capacity for s in situation.sessions), default=0)
    if ctx.facts.participants and largest and ctx.facts.participants > largest:
        # a group larger than any session: splitting it or an extra day is a person's call
        return ctx.group_size(
            f"asks for {ctx.facts.participants} places, more than a session holds ({largest})"
        )
    status = None if lead is not None and lead.status not in ("new",) else "offered"
    reply = replace(ctx.answer, kind="inquiry", offered=offer(situation.sessions, ctx.now))
    decision = ctx.replies(Decision(lead_email=ctx.lead_email, lead_status=status), [reply])
    if ctx.blocker is None and not decision.replies:
        # They asked again within the grace period: a person should answer.
        return replace(
            decision,
            lead_status=NEEDS_ATTENTION,
            notes=(*decision.notes, "needs attention: follow-up question, answer it by hand"),
        )
    return decision


def _date_choice(ctx: _Context) -> Decision:
    situation, facts = ctx.situation, ctx.facts
    conversation = situation.conversation
    offered = ctx.offered
    if facts.option is None:
        why = next((r for r in ctx.classification.reasons if r.startswith("option:")), "")
        return ctx.attention(f"a wish to book without a clear session ({why or 'option:none'})")
    how = next((r for r in ctx.classification.reasons if r.startswith("text:")), "")
    if how in ("text:number", "text:ordinal") and not conversation.numbered:
        return ctx.attention(
            f"option {facts.option} chosen by number, but they never had an offer of ours"
        )
    picked = next((o for o in offered if o.number == facts.option), None)
    session = next((s for s in situation.sessions if picked and s.id == picked.session_id), None)
    seats = facts.participants or 1
    if session is not None and seats > session.capacity:
        return ctx.group_size(
            f"{seats} places asked on {session.id}, which has {session.capacity} in all"
        )
    outcome = booking.choose(
        facts.option,
        offered,
        seats,
        situation.bookings,
        situation.sessions,
        situation.waitlists,
        ctx.now,
    )
    return _booking_decision(ctx, outcome)


def _cancellation(ctx: _Context) -> Decision:
    situation, facts = ctx.situation, ctx.facts
    if not ctx.active:
        return ctx.attention("cancellation, but they hold no booking under this address")
    offered = ctx.offered
    named = next((o.session_id for o in offered if o.number == facts.option), None)
    if named is not None and not any(b.session_id == named for b in ctx.active):
        held = ", ".join(b.session_id for b in ctx.active)
        return ctx.attention(f"cancels {named}, but holds {held}")
    outcome = booking.cancel(
        facts.option,
        offered,
        situation.bookings,
        situation.sessions,
        situation.waitlists,
        now=ctx.now,
    )
    return _booking_decision(ctx, outcome)


def _unsubscribe(ctx: _Context) -> Decision:
    return Decision(
        lead_email=ctx.lead_email,
        lead_status="unsubscribed",
        opt_out=True,
        notes=("unsubscribed: no mail of any kind goes to this address again",),
    )


def _other(ctx: _Context) -> Decision:
    """Mail we could not place: a person reads it, unless it clearly needs no answer."""
    category = ctx.classification.category.value
    if ctx.classification.no_answer_needed:
        return Decision(
            lead_email=ctx.lead_email,
            notes=(f"no reply for {category}: " + ", ".join(ctx.classification.no_answer_needed),),
        )
    if ctx.active or ctx.open_offer:
        return ctx.attention("a message we could not place, from someone we are in touch with")
    return ctx.attention("a message we could not place")


_DECIDERS = {
    Category.INQUIRY: _inquiry,
    Category.DATE_CHOICE: _date_choice,
    Category.CANCELLATION: _cancellation,
    Category.UNSUBSCRIBE: _unsubscribe,
    Category.OTHER: _other,
}


def _booking_decision(ctx: _Context, outcome: booking.Outcome) -> Decision:
    decision = Decision(
        lead_email=ctx.lead_email,
        lead_status=outcome.lead_status,
        bookings=outcome.changes,
        notes=outcome.notes,
    )
    if decision.lead_status == NEEDS_ATTENTION:
        decision = replace(decision, notes=tuple(f"needs attention: {n}" for n in outcome.notes))
    own = [_reply_for(n, ctx.answer) for n in outcome.notices if n.lead_id is None]
    decision = ctx.replies(decision, own)
    if (
        own
        and not decision.replies
        and not decision.bookings
        and ctx.blocker is None
        and decision.lead_status != NEEDS_ATTENTION
    ):
        # Nothing changes and the answer would repeat one they just had (a
        # choice of the seat they hold, "choose again" twice): what they wrote
        # was not what we read, so a person reads it. No human mail is
        # dropped silently.
        what = "; ".join(outcome.notes) or "no change"
        decision = replace(
            decision,
            lead_status=NEEDS_ATTENTION,
            notes=(
                *decision.notes,
                f"needs attention: {what}, and our {own[0].kind} was sent already: "
                "answer it by hand",
            ),
        )
    # Promotions go to other people, who asked to be told; the message's own
    # etiquette (a role sender, a null return path) has no bearing on them.
    others = tuple(_reply_for(n, ctx.answer) for n in outcome.notices if n.lead_id is not None)
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
