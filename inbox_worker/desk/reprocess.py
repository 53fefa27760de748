"""Re-run classification and extraction over stored raw mail after the rules improve.

`inbox-worker messages reprocess` reads each processed message's kept bytes,
parses, classifies and extracts them again with the options the person was
offered at the time (from the reply they answered, else the sessions open
when the message arrived), and stores the new category, reasons, facts and
language. It changes nothing else: no reply is queued or re-sent, no lead or
booking is touched; a changed category is logged as a `reprocessed` event.
A message the new code cannot parse keeps its old classification and is
reported, so one bad message never stops the run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..deciding.booking import SessionSeats
from ..deciding.conversation import NO_TEXTS, Ours
from ..run.parallel import read_stored
from ..store import Store

log = logging.getLogger("inbox_worker")

BATCH = 200


@dataclass(frozen=True)
class Change:
    message_id: int
    before: str | None
    after: str

    def line(self) -> str:
        """'#12 inquiry -> date_choice'."""
        return f"#{self.message_id} {self.before or '(none)'} -> {self.after}"


@dataclass
class ReprocessReport:
    checked: int = 0
    changes: list[Change] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        n = self.checked
        text = f"Reprocessed {n} message{'s' if n != 1 else ''}: {len(self.changes)} changed"
        if self.failed:
            text += f", {len(self.failed)} could not be read"
        return text


def reprocess(
    store: Store,
    now: datetime,
    *,
    ids: Sequence[int] = (),
    category: str | None = None,
    since: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] = lambda n: None,
    own: Ours = NO_TEXTS,
) -> ReprocessReport:
    """Classify the selected processed messages again; store the results unless `dry_run`."""
    report = ReprocessReport()
    sessions = store.all_sessions()
    after = 0
    while rows := store.reprocess_batch(after, BATCH, ids=ids, category=category, since=since):
        with store.transaction():
            for row in rows:
                report.checked += 1
                try:
                    fields = _classify_again(store, row, sessions, own)
                except Exception as exc:  # new rules must not lose the old result
                    report.failed.append((row["id"], f"{type(exc).__name__}: {exc}"))
                    log.warning("message %s could not be reprocessed: %s", row["id"], exc)
                    continue
                if fields["category"] != row["category"]:
                    report.changes.append(Change(row["id"], row["category"], fields["category"]))
                if not dry_run and _differs(row, fields):
                    store.reclassify(row["id"], fields, row["category"], now)
        after = rows[-1]["id"]
        progress(len(rows))
    if not dry_run and report.changes:
        store.log_event(
            "reprocess", {"checked": report.checked, "changed": len(report.changes)}, now
        )
    return report


def _classify_again(
    store: Store, row: dict[str, Any], sessions: list[SessionSeats], own: Ours
) -> dict[str, Any]:
    received = datetime.fromisoformat(row["received"])
    reading = read_stored(store.thread, row["raw"], sessions, received, own)
    classification, facts = reading.classification, reading.facts
    return {
        "category": classification.category.value,
        "reasons": json.dumps(list(classification.reasons)),
        "facts": facts.to_json(),
        "language": classification.language,
    }


def _differs(row: dict[str, Any], fields: dict[str, Any]) -> bool:
    return any(row.get(k) != v for k, v in fields.items())
