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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from .classify import Category, Classification
from .extract import Facts, OfferedSession
from .message import ParsedMessage

# Local parts that never belong to a person who wants an answer (RFC 3834 §3.1.1
# names owner-*, *-request and mailer-daemon; the rest are common role mailboxes
# that only ever send machine mail).
_ROLE_ADDRESS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?|"
    r"owner-.*|.*-request|.*-bounces?|listserv|majordomo|notifications?)(\+.*)?@",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lead:
    """What a decision needs to know about an existing lead."""

    id: int
    email: str
    status: str
    opted_out: bool
    language: str | None = None


@dataclass(frozen=True)
class SessionSeats:
    """An upcoming session as the workflow sees it."""

    id: str
    starts: datetime
    ends: datetime
    location: str
    capacity: int
    seats_taken: int

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


@dataclass(frozen=True)
class Policy:
    our_addresses: frozenset[str]
    default_language: str = "nl"
    min_days_between: int = 7


@dataclass(frozen=True)
class PriorReply:
    """A reply we queued or sent earlier to the same address."""

    kind: str
    created: datetime
    status: str


@dataclass(frozen=True)
class PlannedReply:
    kind: str
    language: str
    to_addr: str
    to_name: str  # the display name, for the To: header
    name: str = ""  # the person's name as extracted, for the greeting
    organisation: str = ""
    offered: tuple[OfferedSession, ...] = ()


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
    notes: tuple[str, ...] = field(default_factory=tuple)  # why, for the events log


def offer(sessions: Sequence[SessionSeats], now: datetime) -> tuple[OfferedSession, ...]:
    """The numbered options an inquiry reply lists: upcoming sessions with seats left."""
    upcoming = sorted(
        (s for s in sessions if s.starts > now and s.seats_left > 0), key=lambda s: s.starts
    )
    return tuple(
        OfferedSession(number=i, session_id=s.id, starts=s.starts, location=s.location)
        for i, s in enumerate(upcoming, start=1)
    )


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
    kind: str, prior: Sequence[PriorReply], now: datetime, policy: Policy
) -> PriorReply | None:
    """An earlier reply of the same kind within the grace period, or None."""
    window = timedelta(days=policy.min_days_between)
    for p in prior:
        if p.kind == kind and p.status not in ("rejected", "failed") and now - p.created < window:
            return p
    return None


def decide(
    msg: ParsedMessage,
    classification: Classification,
    facts: Facts,
    lead: Lead | None,
    prior: Sequence[PriorReply],
    sessions: Sequence[SessionSeats],
    policy: Policy,
    now: datetime,
) -> Decision:
    category = classification.category
    language = classification.language or policy.default_language

    if category is Category.BOUNCE:
        failed = msg.dsn.recipients if msg.dsn and msg.dsn.permanent else ()
        notes = ("permanent bounce",) if failed else ("bounce: temporary or without recipient",)
        return Decision(lead_email=None, undeliverable=failed, notes=notes)
    if category.is_machine:
        return Decision(lead_email=None, notes=(f"ignored: {category.value}",))

    lead_email = (msg.forwarded_from_addr or msg.from_addr) or None
    blocker = reply_blocker(msg, classification, lead, policy)

    if category is Category.UNSUBSCRIBE:
        return Decision(
            lead_email=lead_email,
            lead_status="unsubscribed",
            opt_out=True,
            notes=("unsubscribed: no mail of any kind goes to this address again",),
        )

    if category is Category.INQUIRY:
        status = None if lead is not None and lead.status not in ("new",) else "offered"
        return _with_reply(
            Decision(lead_email=lead_email, lead_status=status),
            PlannedReply(
                kind="inquiry",
                language=language,
                to_addr=lead_email or "",
                to_name=(msg.forwarded_from_name if msg.forwarded_from_addr else msg.from_name),
                name=facts.name or "",
                organisation=facts.organisation or "",
                offered=offer(sessions, now),
            ),
            blocker,
            prior,
            now,
            policy,
        )

    if category in (Category.DATE_CHOICE, Category.CANCELLATION):
        # Booking by email is built on top of this (issue 4); until then the
        # organiser handles it by hand, so it is flagged rather than answered.
        what = "date choice" if category is Category.DATE_CHOICE else "cancellation"
        option = f" (option {facts.option})" if facts.option else ""
        return Decision(
            lead_email=lead_email,
            lead_status="needs_attention",
            notes=(f"{what}{option}: left for the organiser",),
        )

    return Decision(lead_email=lead_email, notes=(f"no reply for {category.value}",))


def _with_reply(
    decision: Decision,
    reply: PlannedReply,
    blocker: str | None,
    prior: Sequence[PriorReply],
    now: datetime,
    policy: Policy,
) -> Decision:
    reason = blocker
    if reason is None:
        earlier = rate_limited(reply.kind, prior, now, policy)
        if earlier is not None:
            reason = (
                f"already replied ({reply.kind}) on {earlier.created:%Y-%m-%d}"
                f" (min_days_between = {policy.min_days_between})"
            )
    if reason is not None:
        return replace(
            decision,
            suppressed=(*decision.suppressed, Suppressed(reply.kind, reply.to_addr, reason)),
        )
    return replace(decision, replies=(*decision.replies, reply))
