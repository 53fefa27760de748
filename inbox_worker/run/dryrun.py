"""What a dry run tells: one line per decision, read back from what the pass recorded.

A dry pass does everything a real one does except sending, inside
`Store.rolled_back()`. Before that is undone, each message's decision is
read back from the store: the message, its lead's status, and the events
and replies recorded since a mark. So the preview is what the real run
would record, not a second account of it that could drift:

    anna@example.nl: inquiry -> send inquiry to anna@example.nl
    bram@example.nl: date_choice -> book 2 seats on utrecht (confirmed); send confirmation to ...
    k.jansen@example.nl: auto_reply -> nothing (ignored: auto_reply)
    reminder: send reminder to bram@example.nl (booking on utrecht)
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import NotFound
from ..store import Mark, Store
from .report import counted


def told(store: Store, about: int | str, mark: Mark) -> list[str]:
    """The line for stored message `about`, or for mail we started ourselves (a label)."""
    if isinstance(about, int):
        return [_message_line(store, about, mark)]
    actions = _actions(store, mark, store.events_since(mark), sender=None)
    return [f"{about}: {'; '.join(actions)}"] if actions else []


def _message_line(store: Store, message_pk: int, mark: Mark) -> str:
    try:
        message = store.message(message_pk)
    except NotFound:  # mail of an erased person: dropped unread
        return f"message {message_pk}: from an erased person -> dropped, nothing kept"
    who = message["from_addr"] or f"message uid {message['uid']}"
    if message["state"] == "quarantined":
        return f"{who}: quarantined ({message['error']})"
    events = store.events_since(mark)
    notes = "; ".join(_notes(events))
    actions = _actions(store, mark, events, sender=message["from_addr"])
    lead = store.lead_by_id(message["lead_id"]) if message["lead_id"] else None
    if lead is not None and lead.status == "needs_attention":
        actions.insert(0, f"needs attention ({notes})" if notes else "needs attention")
    if not actions:
        actions = [f"nothing ({notes})" if notes else "nothing"]
    return f"{who}: {message['category']} -> {'; '.join(actions)}"


def _notes(events: list[dict[str, Any]]) -> list[str]:
    """Why the decision went as it did, as the workflow put it."""
    for event in events:
        if event["kind"] == "decision":
            return [str(n) for n in json.loads(event["detail"]).get("notes", [])]
    return []


def _actions(
    store: Store, mark: Mark, events: list[dict[str, Any]], *, sender: str | None
) -> list[str]:
    """Bookings changed, addresses marked, replies not sent, replies queued; in that order."""
    actions = []
    sessions = set()
    for event in events:
        detail = json.loads(event["detail"])
        if event["kind"] == "booking":
            sessions.add(detail["session"])
            actions.append(_booking(store, detail, sender))
        elif event["kind"] == "undeliverable":
            actions.append(f"mark {detail['address']} undeliverable")
        elif event["kind"] == "reply_suppressed":
            actions.append(f"no {detail['kind']} to {detail['to']} ({detail['reason']})")
        elif event["kind"] == "replies_withdrawn":
            actions.append(f"withdraw {counted(detail['count'], 'queued reply', 'queued replies')}")
    for reply in store.replies_since(mark):
        verb = {"pending": "send", "held": "hold"}.get(reply["status"], reply["status"])
        action = f"{verb} {reply['kind']} to {reply['to_addr']}"
        if reply["status"] == "held":
            action += " for approval"
        if reply["session_id"] and reply["session_id"] not in sessions:
            action += f" (booking on {reply['session_id']})"
        actions.append(action)
    return actions


def _booking(store: Store, detail: dict[str, Any], sender: str | None) -> str:
    booking = store.booking(detail["booking"])
    seats = counted(booking.seats, "seat", "seats")
    if detail["status"] == "cancelled":
        text = f"cancel the booking of {seats} on {detail['session']}"
    else:
        text = f"book {seats} on {detail['session']} ({detail['status']})"
    if sender is None or booking.lead_email.lower() != sender.lower():
        text += f" for {booking.lead_email}"  # a promotion: someone else's seat
    return text
