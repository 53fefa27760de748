"""What a pass did, counted as it goes and told in one line (DESIGN.md §2, step 5).

Every stage of a pass (`Worker.run_once`, `remind`, the desk commands that
send) adds to one `PassReport`; the CLI prints its `summary()`, e.g.
'12 new, 9 inquiries, 1 auto-reply ignored, 9 replies sent', and exits
non-zero only when it is not `ok`. Only the standard library is imported:
cron's idle poll builds one too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SUMMARY_CATEGORIES = (
    ("inquiry", "inquiry", "inquiries"),
    ("date_choice", "date choice", "date choices"),
    ("cancellation", "cancellation", "cancellations"),
    ("unsubscribe", "unsubscribe", "unsubscribes"),
    ("auto_reply", "auto-reply ignored", "auto-replies ignored"),
    ("bounce", "bounce", "bounces"),
    ("bulk", "bulk message ignored", "bulk messages ignored"),
    ("spam", "spam message ignored", "spam messages ignored"),
    ("other", "other", "other"),
    ("erased", "message of an erased person dropped", "messages of erased people dropped"),
)


@dataclass
class PassReport:
    new: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    quarantined: int = 0
    queued: int = 0
    held: int = 0
    suppressed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # A dry run: nothing was kept; `preview` says, one line each, what every
    # message (and any mail of our own accord) would have got.
    dry_run: bool = False
    preview: list[str] = field(default_factory=list)
    # Leads whose status is needs_attention after the pass (counted by the CLI).
    needs_you: int = 0
    over_ceiling: int = 0  # replies held because [replies] max_per_hour was reached

    def count_queued(self, status: str) -> None:
        if status == "held":
            self.held += 1
        elif status == "pending":
            self.queued += 1

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed

    def summary(self, *, mail_in: bool = True) -> str:
        """One line, e.g. '12 new, 9 inquiries, 1 auto-reply ignored, 9 replies sent'.

        Without `mail_in` (reminders read no mail) only the replies are told.
        """
        parts = [f"{self.new} new"] if mail_in else []
        for key, one, many in SUMMARY_CATEGORIES:
            if self.categories[key]:
                parts.append(counted(self.categories[key], one, many))
        held = "to hold" if self.dry_run else "held"
        for count, one, many in (
            (self.quarantined, "quarantined", "quarantined"),
            (self.queued if self.dry_run else 0, "reply to send", "replies to send"),
            (self.held, f"reply {held}", f"replies {held}"),
            (self.suppressed, "reply suppressed", "replies suppressed"),
            (self.sent, "reply sent", "replies sent"),
            (self.retrying, "reply to retry", "replies to retry"),
            (self.failed, "reply failed", "replies failed"),
        ):
            if count:
                parts.append(counted(count, one, many))
        if self.over_ceiling:
            parts.append(
                f"{counted(self.over_ceiling, 'reply', 'replies')} held at max_per_hour:"
                " inbox-worker replies approve"
            )
        if self.needs_you:
            parts.append(
                f"{counted(self.needs_you, 'needs', 'need')} you:"
                " inbox-worker leads list --status needs_attention"
            )
        text = ", ".join(parts) or "nothing to do"
        return f"dry run: {text}; nothing stored or sent" if self.dry_run else text


def counted(n: int, one: str, many: str) -> str:
    """`3 replies`, `1 reply`: a number with its noun."""
    return f"{n} {one if n == 1 else many}"
