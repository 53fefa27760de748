"""The organiser's digest: what waits for a person, as one mail (pure).

An item is a lead in `needs_attention` together with what put it there: the
decision on one of their messages (its notes say why) or a reply to them
that the mail server refused for good. The store finds the items no digest
has listed yet (Store.untold_attention); this module turns them into the
one message that lists them: who, what they wrote, why, and the command
that acts on it. desk.send_digest sends it and records what was told.

Whatever a stranger wrote reaches the organiser's screen, and the command
line they may paste: every control and format character is taken out
(terminal escapes, bidi overrides), and an address is quoted for the shell.
"""

from __future__ import annotations

import json
import shlex
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import OrganiserConfig
from ..reading.message import parse
from .render import ReplyRequest
from .variables import DigestEntry

# "A couple of lines" of what they wrote: enough to recognise the message.
WROTE_LINES = 2
WROTE_WIDTH = 72
MAX_REASON_CHARS = 300
# Notes that open with this say what the whole digest is about already.
_NEEDS_ATTENTION = "needs attention:"


@dataclass(frozen=True)
class Item:
    """One lead waiting for a person, as the store found it."""

    lead_id: int
    after_event: int  # which spell in needs_attention this is: recorded once told
    email: str
    name: str
    cause: str  # the event that put the lead there: "decision" or "reply_failed"
    detail: Mapping[str, Any]  # that event's detail
    text: str  # the new text of the message it is about; "" when there is none
    subject: str = ""


def item(row: Mapping[str, Any]) -> Item:
    """An Item from a Store.untold_attention() row."""
    try:
        detail = json.loads(row["detail"] or "{}")
    except ValueError:
        detail = {}
    return Item(
        lead_id=row["lead_id"],
        after_event=row["after_event"],
        email=row["email"],
        name=row["name"] or "",
        cause=row["kind"],
        detail=detail if isinstance(detail, dict) else {},
        text=new_text(row["raw"], row["text"] or ""),
        subject=row["subject"] or "",
    )


def new_text(raw: bytes | None, stored_text: str) -> str:
    """What they wrote this time: the text without quoted history and signature."""
    if raw is None:
        return stored_text
    try:
        return parse(raw).new_text
    except Exception:  # it was read once; should it fail now, the whole text will do
        return stored_text


def one_line(text: str) -> str:
    """Text as one printable line: control and format characters out, white space collapsed."""
    kept = (
        (" " if ch.isspace() else "") if unicodedata.category(ch).startswith("C") else ch
        for ch in text
    )
    return " ".join("".join(kept).split())


def excerpt(text: str) -> tuple[str, ...]:
    """The first WROTE_LINES lines of `text` rewrapped, with '…' when there is more."""
    return tuple(
        textwrap.wrap(one_line(text), width=WROTE_WIDTH, max_lines=WROTE_LINES, placeholder=" …")
    )


def reason(it: Item) -> str:
    """Why a person must look: the decision's notes, or what the mail server answered."""
    if it.cause == "reply_failed":
        text = str(it.detail.get("error") or "refused")
    else:
        notes = it.detail.get("notes") or []
        text = "; ".join(one_line(str(n)) for n in notes if str(n).strip())
        if text.lower().startswith(_NEEDS_ATTENTION):
            text = text[len(_NEEDS_ATTENTION) :]
        text = text.strip() or f"a message ({it.detail.get('category') or 'unread'}) to answer"
    text = one_line(text)
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


def command(it: Item) -> str:
    """What the organiser types to act on it: the failed reply, or the lead's whole story."""
    reply = it.detail.get("reply")
    if it.cause == "reply_failed" and isinstance(reply, int):
        return f"inbox-worker replies show {reply}"
    return f"inbox-worker leads show {shlex.quote(it.email)}"


def entry(it: Item) -> DigestEntry:
    """An item as the digest template shows it."""
    reply = it.detail.get("reply")
    return DigestEntry(
        name=one_line(it.name),
        email=one_line(it.email),
        # A message with nothing new in its text ("see subject") is known by its subject.
        wrote=excerpt(it.text) or excerpt(it.subject),
        reason=reason(it),
        failed_reply=reply if it.cause == "reply_failed" and isinstance(reply, int) else None,
        command=command(it),
    )


def request(
    items: Sequence[Item],
    *,
    language: str,
    organiser: OrganiserConfig,
    message_id: str,
    held: int = 0,
) -> ReplyRequest:
    """The digest as one mail to the organiser, in `language`; `held`: replies
    waiting for approval (held at [replies] max_per_hour, or in hold mode)."""
    return ReplyRequest(
        kind="digest",
        language=language,
        to_addr=organiser.email,
        to_name=organiser.name,
        subject="",  # the template sets its own
        in_reply_to=None,
        references=(),
        message_id=message_id,
        variables={
            "name": _first_name(organiser.name),
            "organiser": organiser,
            "items": [entry(it) for it in items],
            "held": held,
        },
        # It answers no message: RFC 3834's auto-generated, not auto-replied.
        auto_submitted="auto-generated",
    )


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else ""
