"""The reply caps: however much mail comes in, only so many automatic replies go out.

Two limits, both checked as a reply is queued. Per address: whatever one
address writes, it gets at most MAX_REPLIES_PER_ADDRESS automatic replies
in FLOOD_WINDOW, and past that a person takes over (`needs_attention`).
Overall: past `[replies] max_per_hour` automatic replies in the last hour,
further replies are held for the organiser to approve. The counts come from
the `replies` table, so a cap holds across passes; the decision itself stays
pure (deciding/), and this is where it meets what was already sent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..config import Config
from ..store import Store

if TYPE_CHECKING:
    from ..deciding.workflow import Decision
    from ..model import PlannedReply

# Whatever one address writes, it gets at most this many automatic replies in
# FLOOD_WINDOW. The per-kind limit (min_days_between) cannot see a flood of
# booking changes: each new booking is a new subject to confirm, so a script
# alternating "option 1" and "cancel" would otherwise get a reply to each.
MAX_REPLIES_PER_ADDRESS = 5
FLOOD_WINDOW = timedelta(hours=24)
HOUR = timedelta(hours=1)


class ReplyCaps:
    """The two caps over one store, kept by one Worker for all its passes (`watch`);
    the hour's count is read afresh at the start of each (new_pass)."""

    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        # (when counted, automatic replies queued in the hour before): the ceiling
        self._sent_this_hour: tuple[datetime, int] | None = None

    def new_pass(self) -> None:
        """Forget the hour's count: between two passes of `watch`, other processes
        (`remind`, a `poll`) queue replies too, and a dry pass's were rolled back."""
        self._sent_this_hour = None

    def over_ceiling(self, now: datetime) -> bool:
        """Whether one more reply now would pass max_per_hour; False counts it as queued."""
        if self._sent_this_hour is None or now - self._sent_this_hour[0] > HOUR:
            self._sent_this_hour = (now, self.store.count_automatic_replies(now - HOUR))
        started, count = self._sent_this_hour
        if count >= self.config.replies.max_per_hour:
            return True
        self._sent_this_hour = (started, count + 1)
        return False

    def cap(self, decision: Decision, now: datetime) -> Decision:
        """Suppress replies past MAX_REPLIES_PER_ADDRESS in FLOOD_WINDOW; a person takes over.

        The cap covers changes too: past it, a booking change is not applied
        either, or a flood of alternating choices and cancellations would leave
        the bookings somewhere no mail of ours ever told the person."""
        from ..deciding.workflow import NEEDS_ATTENTION, Suppressed

        sender = (decision.lead_email or "").lower()
        if decision.bookings and sender:
            recent = self._recent_replies(sender, now)
            if recent >= MAX_REPLIES_PER_ADDRESS:
                reason = (
                    f"flood: {recent} automatic replies to {sender} in the last "
                    f"{FLOOD_WINDOW.total_seconds() / 3600:.0f} hours; the booking change "
                    "was not applied: answer by hand"
                )
                return replace(
                    decision,
                    bookings=(),
                    replies=(),
                    lead_status=NEEDS_ATTENTION,
                    suppressed=(
                        *decision.suppressed,
                        *(Suppressed(r.kind, r.to_addr, reason) for r in decision.replies),
                    ),
                    notes=(*decision.notes, f"needs attention: {reason}"),
                )

        # The sender's count, read above for a booking change, is not read again.
        counts: dict[str, int] = {sender: recent} if decision.bookings and sender else {}
        kept: list[PlannedReply] = []
        suppressed = list(decision.suppressed)
        status = decision.lead_status
        for planned in decision.replies:
            address = planned.to_addr.lower()
            if address not in counts:
                counts[address] = self._recent_replies(address, now)
            if counts[address] >= MAX_REPLIES_PER_ADDRESS:
                reason = (
                    f"flood: {counts[address]} automatic replies to {address} in the last "
                    f"{FLOOD_WINDOW.total_seconds() / 3600:.0f} hours; answer by hand"
                )
                suppressed.append(Suppressed(planned.kind, planned.to_addr, reason))
                if planned.lead_id is None:
                    status = NEEDS_ATTENTION
                continue
            counts[address] += 1
            kept.append(planned)
        if len(kept) == len(decision.replies):
            return decision
        return replace(
            decision, replies=tuple(kept), suppressed=tuple(suppressed), lead_status=status
        )

    def _recent_replies(self, address: str, now: datetime) -> int:
        return sum(
            1
            for p in self.store.prior_replies(address)
            if now - p.created < FLOOD_WINDOW and p.status not in ("rejected", "failed")
        )
