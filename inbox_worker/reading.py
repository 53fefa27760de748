"""Reading one stored message: parse, find its thread, classify, extract.

The worker (a pass) and reprocess (after rules improve) must read a message
the same way, or a reprocessed category would not be the one a pass makes.
The numbered options a reply is read against are those of the reply of ours
it answers (as stored with that reply), else today's offer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .booking import SessionSeats, offer
from .classify import Classification, classify
from .extract import Facts, OfferedSession, extract
from .message import ParsedMessage, parse
from .store import Store


@dataclass(frozen=True)
class Reading:
    msg: ParsedMessage
    thread_lead_id: int | None  # the lead of our reply this message answers
    in_thread: bool
    offered: tuple[OfferedSession, ...]
    classification: Classification
    facts: Facts


def read(store: Store, raw: bytes, sessions: Sequence[SessionSeats], now: datetime) -> Reading:
    msg = parse(raw)
    thread = store.thread_reply([msg.in_reply_to or "", *msg.references])
    offered = offered_in_thread(thread[1], sessions) if thread else offer(sessions, now)
    classification = classify(msg, offered)
    return Reading(
        msg=msg,
        thread_lead_id=thread[0] if thread else None,
        in_thread=thread is not None,
        offered=offered,
        classification=classification,
        facts=extract(msg, offered, classification),
    )


def offered_in_thread(
    offered: list[dict[str, Any]], sessions: Sequence[SessionSeats]
) -> tuple[OfferedSession, ...]:
    """The options as numbered in the reply of ours a message answers."""
    by_id = {s.id: s for s in sessions}
    return tuple(
        OfferedSession(
            number=o["number"],
            session_id=o["session_id"],
            starts=by_id[o["session_id"]].starts,
            location=by_id[o["session_id"]].location,
        )
        for o in offered
        if o["session_id"] in by_id
    )
