"""The organiser's desk: a lead's conversation in order, and the manual follow-up.

`conversation()` turns the rows `Store.lead_detail()` returns into the
timeline `leads show` prints: each message with its category and reasons,
each reply with its status, oldest first. `follow_up()` queues a reply from a
template for one lead through the same Composer and outbox table as the
worker, so it is held or sent exactly as the reply mode says (a dry run shows it);
an opted-out lead is refused, because no mail of any kind goes to them.
`prepare_digest()` and `send_digest()` mail the organiser what waits for a
person, through the same renderer and transport as replies, and record
what was told only once the transport has taken it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..deciding.booking import offer
from ..errors import DeliveryError, InboxWorkerError, NotFound
from ..model import PlannedReply
from ..store import Store

# Writing a follow-up needs the template engine and the calendar library; the
# rest of the desk (show, list, search, export) is read-only and starts fast.
if TYPE_CHECKING:
    from ..mail.smtp import Transport
    from ..writing.digest import Item
    from ..writing.render import Renderer

# What a lead's status can be: the worker sets all but 'closed', which only
# the organiser does ("nothing more to do here").
LEAD_STATUSES = (
    "new",
    "offered",
    "booked",
    "waitlisted",
    "cancelled",
    "needs_attention",
    "unsubscribed",
    "undeliverable",
    "closed",
)

# Templates that are about a booking: a manual one needs the lead to have one.
BOOKING_KINDS = frozenset({"confirmation", "reminder", "moved", "promoted", "waitlist"})
# Templates written to the organiser, never to a lead, and those only their own
# command writes (a session called off, the second mail of a move).
ORGANISER_KINDS = frozenset({"digest"})
COMMAND_KINDS = frozenset({"session_cancelled", "released"})
# Facts worth a line in the conversation; name and organisation are on the lead.
SHOWN_FACTS = ("participants", "option", "dates", "phone")


class OptedOut(InboxWorkerError):
    """The lead unsubscribed; nothing, not even a manual follow-up, goes to them."""


@dataclass(frozen=True)
class Entry:
    """One line of a conversation, with the evidence lines under it."""

    when: str  # ISO timestamp
    direction: str  # "in" (their message) or "out" (our reply)
    id: int
    label: str  # the message's category, or the reply's status
    subject: str
    details: tuple[str, ...] = ()


def conversation(lead: Mapping[str, Any]) -> list[Entry]:
    """The lead's messages and replies, oldest first; a reply after what it answers."""
    entries = []
    for m in lead["messages"]:
        details = [f"because {r}" for r in _json_list(m.get("reasons"))]
        facts = _json_dict(m.get("facts"))
        shown = [f"{k}={_fact(facts[k])}" for k in SHOWN_FACTS if facts.get(k) not in (None, [])]
        if shown:
            details.append("facts: " + ", ".join(shown))
        if m.get("error"):
            details.append(f"error: {m['error']}")
        entries.append(
            Entry(
                when=m["received"] or "",
                direction="in",
                id=m["id"],
                label=m["category"] or m["state"],
                subject=m["subject"] or "",
                details=tuple(details),
            )
        )
    for r in lead["replies"]:
        details = [f"{r['kind']} to {r['to_addr']}"]
        if r.get("last_error") and r["status"] != "sent":
            details.append(f"note: {r['last_error']}")
        entries.append(
            Entry(
                when=r["sent"] or r["created"] or "",
                direction="out",
                id=r["id"],
                label=r["status"],
                subject=r["subject"] or "",
                details=tuple(details),
            )
        )
    return sorted(entries, key=lambda e: (e.when, e.direction != "in", e.id))


# Every status a reply can have, in the order a reply moves through them.
REPLY_STATUSES = ("held", "pending", "sending", "sent", "failed", "suppressed", "rejected")


def approval_refused(reply: Mapping[str, Any], *, opted_out: bool) -> str | None:
    """Why `replies approve` cannot release this reply, in one line; None: it can."""
    name = f"reply #{reply['id']}"
    if reply["status"] == "held":
        if opted_out:
            return f"{name} is held, but {reply['to_addr']} unsubscribed: it will never be sent"
        return None
    why = reply["last_error"] or ("the next poll sends it" if reply["status"] == "pending" else "")
    return f"{name} is {reply['status']}{f' ({why})' if why else ''}: nothing to approve"


def reply_tally(counts: Mapping[str, int]) -> str:
    """'3 pending, 2 sent': how many replies are in each status."""
    told = [f"{counts[s]} {s}" for s in REPLY_STATUSES if counts.get(s)]
    return ", ".join(told) or "no replies yet"


def preview(body: bytes, headers: Sequence[str] = ("From", "To", "Subject")) -> str:
    """An email as the organiser reads it: the main headers and the text part, decoded
    (quoted-printable and base64 undone, encoded words read), control characters escaped."""
    msg = message_from_bytes(body, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    lines = [f"{name}: {msg[name]}" for name in headers if msg[name]]
    part = msg.get_body(preferencelist=("plain",))
    text = part.get_content() if isinstance(part, EmailMessage) else ""
    attached = [p.get_content_type() for p in msg.iter_attachments()]
    if attached:
        lines.append(f"Attached: {', '.join(attached)}")
    return printable("\n".join(lines) + "\n\n" + text.rstrip("\n")) + "\n"


# What a terminal would act on rather than show: C0 controls but newline and
# tab (ESC starts the sequences that set a window title, write the clipboard
# (OSC 52) or rewrite the screen), DEL, C1 controls, and the bidirectional
# overrides that make text read other than it is stored.
_CONTROL = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (
        *range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0),
        0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
    )
}  # fmt: skip


def printable(text: str) -> str:
    """`text` safe for a terminal: every control character shown as an escape (\\x1b)."""
    return text.translate(_CONTROL)


@dataclass(frozen=True)
class FollowUp:
    """A manual reply as rendered: what the preview shows and what gets queued."""

    lead_id: int
    to_addr: str
    kind: str
    language: str
    body: bytes


@dataclass(frozen=True)
class Queued:
    reply_id: int
    status: str  # pending or held, as the reply mode says


class FollowUpDesk:
    """Prepare, preview and queue one manual follow-up from a template.

    The preview is rendered by the very code that queues it, with the same
    Message-ID and date, inside a transaction that is rolled back; so the
    organiser approves the exact bytes, and no write lock is held while
    they read.
    """

    def __init__(
        self,
        config: Config,
        store: Store,
        renderer: Renderer,
        *,
        mode: str,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.renderer = renderer
        self.mode = mode
        key = (new_id or (lambda: uuid.uuid4().hex))()
        # One Message-ID for preview and queue: what was shown is what is stored.
        from ..outbox.queue import Composer
        from ..writing.headers import make_message_id

        self.message_id = make_message_id(config.organiser.email, key)
        self.composer = Composer(config, store, renderer, mode=mode, new_id=lambda: key)

    def prepare(
        self, key: str, kind: str, now: datetime, *, language: str | None = None
    ) -> FollowUp:
        lead = self.store.lead_row(key)
        if lead["opted_out"]:
            raise OptedOut(f"{lead['email']} opted out: no mail of any kind goes to them")
        lang = language or lead["language"] or self.config.replies.default_language
        kinds = [
            k for k in self.renderer.kinds(lang) if k not in ORGANISER_KINDS | COMMAND_KINDS
        ]
        if kind not in kinds:
            raise NotFound(f"no template {kind!r} in {lang}; there are: {', '.join(kinds)}")
        body = self._queue(lead, kind, lang, now, preview=True)
        return FollowUp(lead["id"], lead["email"], kind, lang, body)

    def queue(self, follow_up: FollowUp, now: datetime) -> Queued:
        lead = self.store.lead_row(str(follow_up.lead_id))
        if lead["opted_out"]:  # they may have unsubscribed while the preview was read
            raise OptedOut(f"{lead['email']} opted out: no mail of any kind goes to them")
        with self.store.transaction():
            self._queue(lead, follow_up.kind, follow_up.language, now, preview=False)
            row = self.store.reply_by_message_id(self.message_id)
            self.store.log_event(
                "follow_up", {"reply": row["id"], "kind": follow_up.kind}, now, lead_id=lead["id"]
            )
        return Queued(row["id"], row["status"])

    def _queue(
        self, lead: Mapping[str, Any], kind: str, language: str, now: datetime, *, preview: bool
    ) -> bytes:
        bookings = [b for b in self.store.lead_bookings(lead["id"]) if b.status != "cancelled"]
        booking = max(bookings, key=lambda b: (b.created, b.id)) if bookings else None
        if kind in BOOKING_KINDS and booking is None:
            raise InboxWorkerError(f"{lead['email']} has no booking to write a {kind} about")
        from ..outbox.queue import answering_latest

        answering = answering_latest(self.store, lead["id"])
        planned = PlannedReply(
            kind=kind,
            language=language,
            to_addr=lead["email"],
            to_name=lead["name"] or "",
            name=lead["name"] or "",
            organisation=lead["organisation"] or "",
            offered=offer(self.store.session_seats(), now),
            booking_ref=booking.ref if booking else None,
        )
        extra: dict[str, Any] = {}
        if booking is not None:
            starts = {s.id: s.starts for s in self.store.all_sessions()}.get(booking.session_id)
            extra["days_left"] = max((starts.date() - now.date()).days, 0) if starts else 0
        # The preview is queued by the same code, then rolled back.
        with self.store.rolled_back() if preview else self.store.transaction():
            self.composer.queue(
                planned,
                lead_id=lead["id"],
                answering=answering,
                bookings={},
                now=now,
                extra=extra,
                automatic=False,  # the organiser chose to send this one
            )
            return self.store.reply_by_message_id(self.message_id)["body"]


@dataclass(frozen=True)
class OrganiserDigest:
    """The digest as rendered: what `digest --dry-run` prints is what is sent."""

    items: tuple[Item, ...]
    message: EmailMessage


def prepare_digest(
    config: Config,
    store: Store,
    renderer: Renderer,
    now: datetime,
    *,
    new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
) -> OrganiserDigest | None:
    """One mail listing every item no digest has told yet; None when nothing waits."""
    rows = store.untold_attention()
    if not rows:
        return None
    from ..writing import digest
    from ..writing.headers import make_message_id
    from ..writing.render import Sender

    organiser = config.organiser
    items = tuple(digest.item(row) for row in rows)
    request = digest.request(
        items,
        language=config.replies.default_language,
        organiser=organiser,
        message_id=make_message_id(organiser.email, new_id()),
        held=store.count_held_replies(),
    )
    message = renderer.render(request, sender=Sender(organiser.name, organiser.email), date=now)
    return OrganiserDigest(items, message)


def send_digest(
    prepared: OrganiserDigest, transport: Transport, store: Store, now: datetime
) -> None:
    """Send the digest, then record its items as told; a failure records nothing.

    A crash between the two sends the same items again next time: better
    twice than never for the one mail that says someone is waiting.
    """
    try:
        transport.send(prepared.message)
    except DeliveryError as exc:
        raise InboxWorkerError(
            f"digest to {prepared.message['To']} not sent: {' '.join(str(exc).split())};"
            " the next digest lists its items again"
        ) from exc
    finally:
        transport.close()
    store.mark_told([(it.lead_id, it.after_event) for it in prepared.items], now)


def _json_list(text: str | None) -> list[Any]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _json_dict(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _fact(value: Any) -> str:
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ",".join(str(v) for v in value)
    return str(value)
