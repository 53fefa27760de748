"""Whom we never answer, and how often (pure): RFC 3834 §2 and Sieve vacation (RFC 5230).

Never answer machine mail, a null return path, our own address or role
addresses like mailer-daemon; answer a person at most once per kind per
`min_days_between`; never write to an opted-out or bounced lead again.
"""


from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from ..model import (
    Lead,
    PlannedReply,
    Policy,
    PriorReply,
)
from ..reading.classify import Classification
from ..reading.message import ParsedMessage
from .booking import NEW

# Local parts that never belong to a person who wants an answer (RFC 3834 §3.1.1
# names owner-*, *-request and mailer-daemon; the rest are common role mailboxes
# that only ever send machine mail).
_ROLE_ADDRESS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?|"
    r"owner-.*|.*-request|.*-bounces?|listserv|majordomo|notifications?)(\+.*)?@",
    re.IGNORECASE,
)


def reply_blocker(
    msg: ParsedMessage,
    classification: Classification,
    lead: Lead | None,
    policy: Policy,
    to_addr: str = "",
) -> str | None:
    """Why this message must get no automatic reply at all, or None. to_addr:
    whom the reply would go to, when not the sender (a web form's visitor)."""
    if classification.category.is_machine:
        return f"machine mail: {classification.category.value}"
    if msg.return_path == "" and not msg.form_from_addr:
        return "null return path"
    to_addr = to_addr or msg.from_addr
    if not to_addr or "@" not in to_addr:
        return "no sender address"
    if to_addr in policy.our_addresses:
        return "our own address"
    if _ROLE_ADDRESS.match(to_addr):
        return f"role address {to_addr}"
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
