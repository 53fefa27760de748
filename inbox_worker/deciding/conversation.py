"""Reading one stored message: parse, find its thread, classify, extract.

The worker (a pass) and reprocess (after rules improve) must read a message
the same way, or a reprocessed category would not be the one a pass makes.
The numbered options a reply is read against are those of the reply of ours
it answers (as stored with that reply), else today's offer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..model import HOLDS_A_SEAT, Conversation, OfferedSession, Policy, ThreadRows
from ..reading.attention import asks_nothing, is_thanks_only, needs_a_person
from ..reading.classify import Category, Classification, classify, machine_verdict
from ..reading.extract import Facts, extract, implausible_count
from ..reading.message import ParsedMessage, parse
from ..reading.ourwords import OurWords, normalise, quoted_offer, quoted_session
from .authority import internal
from .booking import SessionSeats, offer

# Store.thread, or ThreadIndex.thread in a child process (run/parallel.py)
ThreadLookup = Callable[[ParsedMessage], ThreadRows]


class Ours:
    """Our own side: the templates as this organiser sends them, by kind
    (Renderer.own_texts), to recognise our words in a message and which of our
    mails it quotes; and the policy that says who is on the organiser's side."""

    def __init__(self, by_kind: Mapping[str, Sequence[str]], policy: Policy | None = None) -> None:
        self.policy = policy
        self.words = OurWords(t for texts in by_kind.values() for t in texts)
        per_kind = {kind: _long_lines("\n".join(texts)) for kind, texts in by_kind.items()}
        # A line every kind shares (the sign-off) says nothing about which one it is.
        common = frozenset.intersection(*per_kind.values()) if per_kind else frozenset()
        self.kinds = {kind: " ".join(lines - common) for kind, lines in per_kind.items()}

    def quoted_kind(self, text: str) -> str:
        """The kind of our mail that text quotes most of, "" when none is clear."""
        lines = _long_lines(text)
        hits = {kind: sum(n in blob for n in lines) for kind, blob in self.kinds.items()}
        best = max(hits, key=hits.__getitem__, default="")
        return best if best and hits[best] >= 2 else ""


def _long_lines(text: str) -> frozenset[str]:
    return frozenset(n for n in map(normalise, text.splitlines()) if len(n) >= 30)


NO_TEXTS = Ours({})


@dataclass(frozen=True)
class Reading:
    msg: ParsedMessage  # new_text without our own words
    conversation: Conversation
    classification: Classification
    facts: Facts
    # The message compressed for storage, made by a child process when it
    # was stored as fetched (see parallel.read_stored).
    compressed: bytes | None = None


def read(
    thread: ThreadLookup,
    raw: bytes,
    sessions: Sequence[SessionSeats],
    now: datetime,
    own: Ours = NO_TEXTS,
    fallback: str = "today-offer",
) -> Reading:
    """Parse a message and read it in its conversation with us.

    `thread` is Store.thread, or a read-only twin in a child process. `fallback`
    says what option numbers mean when the person never had an offer of ours:
    "today-offer" (a pass) or "config-sessions" (classify FILE: the same answer
    any day)."""
    msg = parse(raw)
    rows = thread(msg)
    if rows.ours:
        # Our own reply came back (a list reflecting it, a loop): never read it.
        conversation = Conversation(context="ours", ours=True)
        verdict = Classification(Category.OTHER, "", ("ours:message-id",))
        return Reading(msg, conversation, verdict, Facts())
    machine = machine_verdict(msg)
    if machine is not None:
        # Machine mail is never acted on: no conversation to read it in.
        conversation = Conversation(context="none", lead_id=rows.lead_id)
        return Reading(msg, conversation, machine, extract(msg, (), machine))
    received = [_text_of(r.body) for r in rows.seen]
    new_text, removed = own.words.with_texts(received).strip(msg.new_text)
    msg = replace(msg, new_text=new_text)
    conversation = _conversation(msg, rows, sessions, now, own, fallback, removed)
    classification = classify(msg, conversation.offered, human=True)
    if own.policy is not None and internal(msg, own.policy):
        # The organiser or a colleague: internal mail, never a lead's request.
        ours = ("from:organiser-side",)
        classification = Classification(
            Category.OTHER, classification.language, ours, no_answer_needed=ours
        )
    if classification.category in _BOOKING_INTENT or fallback == "config-sessions":
        # Which of our mails it quotes matters to a booking, and to a file read
        # without a database; for other mail a pass need not look.
        conversation = replace(conversation, quoted_kind=_quoted_kind(msg, rows, own))
    classification = replace(
        classification,
        reasons=(*classification.reasons, *_context_reasons(conversation)),
        **_for_a_person(msg, classification),
    )
    facts = extract(msg, conversation.offered, classification)
    if (
        classification.category is Category.CANCELLATION
        and facts.option is None
        and (conversation.answered_kind or conversation.quoted_kind) in HOLDS_A_SEAT
    ):
        # "Ik kan toch niet komen" under our confirmation: the one it quotes.
        held = quoted_session(msg.text, msg.new_text, conversation.offered)
        facts = replace(facts, option=held.number) if held else facts
    return Reading(msg, conversation, classification, facts)


def _conversation(
    msg: ParsedMessage,
    rows: ThreadRows,
    sessions: Sequence[SessionSeats],
    now: datetime,
    own: Ours,
    fallback: str,
    removed: int,
) -> Conversation:
    last_offer = next((r for r in rows.seen if r.offered), None)
    if last_offer is not None:
        context, offered = f"offer#{last_offer.id}", offered_in_thread(last_offer.offered, sessions)
    elif _OPTION_LINE.search(msg.text) and (
        quoted := quoted_offer(
            msg.text, [OfferedSession(0, s.id, s.starts, s.location) for s in sessions]
        )
    ):
        context, offered = "quoted-offer", quoted
    elif not sessions:
        context, offered = "no-sessions", ()
    elif fallback == "config-sessions":
        context = fallback
        offered = tuple(
            OfferedSession(i, s.id, s.starts, s.location) for i, s in enumerate(sessions, start=1)
        )
    else:
        context, offered = "today-offer", offer(sessions, now)
    return Conversation(
        context=context,
        offered=offered,
        answered_kind=rows.answered_kind,
        answers_ours=bool(rows.answered_id) and rows.answered_to == msg.from_addr,
        lead_id=rows.lead_id,
        last_kind=rows.seen[0].kind if rows.seen else "",
        our_lines=removed,
    )


_OPTION_LINE = re.compile(r"\b(?:optie|option)\s+\d", re.I)


_BOOKING_INTENT = frozenset({Category.DATE_CHOICE, Category.CANCELLATION})


def _quoted_kind(msg: ParsedMessage, rows: ThreadRows, own: Ours) -> str:
    """The kind of our mail a message quotes, when it answers none in the database."""
    return "" if rows.answered_kind or not _quotes(msg) else own.quoted_kind(msg.text)


def _quotes(msg: ParsedMessage) -> bool:
    """Whether the message holds more than its new text: something quoted."""
    return len(msg.text) > len(msg.new_text) + len(msg.signature) + 80


def _for_a_person(msg: ParsedMessage, classification: Classification) -> dict[str, Any]:
    """What a person must answer in a human message, or the evidence that
    nobody need answer it (see attention.py)."""
    if classification.no_answer_needed:
        return {}
    asks = needs_a_person(
        msg.new_text, msg.subject, classification.category.value, classification.language
    )
    wants_seats = classification.category in (*_BOOKING_INTENT, Category.INQUIRY)
    if wants_seats and implausible_count(msg.new_text) is not None:
        asks = (*asks, "ask:group-size")
    if asks:
        return {"attention": asks}
    if classification.category is Category.OTHER:
        if is_thanks_only(msg.new_text):
            return {"no_answer_needed": ("text:thanks-only",)}
        if asks_nothing(msg.new_text):
            return {"no_answer_needed": ("text:asks-nothing",)}
    return {}


def _context_reasons(conversation: Conversation) -> tuple[str, ...]:
    reasons = [f"context:{conversation.context}"]
    if conversation.answered_kind:
        reasons.append(f"context:reply-to-{conversation.answered_kind}")
    elif conversation.quoted_kind:
        reasons.append(f"context:quotes-{conversation.quoted_kind}")
    if conversation.our_lines:
        reasons.append(f"ours:{conversation.our_lines}-lines-removed")
    return tuple(reasons)


@functools.lru_cache(maxsize=256)
def _text_of(body: bytes) -> str:
    """The text of a reply we sent, to recognise when it is quoted. Kept: each
    message from someone we wrote to reads our last few replies to them again."""
    try:
        return parse(body).text if body else ""
    except ValueError:
        return ""


def offered_in_thread(
    offered: Sequence[Mapping[str, object]], sessions: Sequence[SessionSeats]
) -> tuple[OfferedSession, ...]:
    """The options as numbered in the reply of ours a message answers."""
    by_id = {s.id: s for s in sessions}
    return tuple(
        OfferedSession(
            number=int(o["number"]),  # type: ignore[call-overload]
            session_id=str(o["session_id"]),
            starts=by_id[str(o["session_id"])].starts,
            location=by_id[str(o["session_id"])].location,
        )
        for o in offered
        if o["session_id"] in by_id
    )
