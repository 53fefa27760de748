"""Delivery reports: is this a bounce, and what does it say (pure).

Owns recognising a non-delivery report in its many shapes (RFC 3464
multipart/report, Exchange and Gmail NDRs, Postfix/Exim/qmail/Sendmail plain
text) and reading the failed recipients, the status code and whether the
failure is permanent. message.parse calls `read_report` and stores the result in
ParsedMessage.dsn; classify reuses the evidence codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.message import Message

from .mime import content_type
from .prefilter import IgnoreCase

# Senders that only ever send delivery reports.
BOUNCE_LOCALPARTS = frozenset(
    {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "mdaemon", "bounce",
     "bounces", "mail.delivery.system", "mailer_daemon", "nobody", "smtp", "post_master",
     "mail-delivery-system", "mailerdeamon", "returned-mail", "ndr"}
)  # fmt: skip
# Subjects of delivery reports (lower-case, searched).
BOUNCE_SUBJECT_SOURCE = (
    r"undeliverable|undelivered|onbestelbaar|niet bezorgd|kan niet worden bezorgd|"
    r"delivery status notification|delivery failure|delivery has failed|delivery failed|"
    r"failure notice|returned mail|mail delivery failed|mail delivery failure|"
    r"non[- ]?delivery|nondeliverable|not delivered|could not be delivered|"
    r"delivery notification|mail system error|delivery problem|message delivery|"
    r"warning: could not send|delayed mail|delivery delayed|delivery status|"
    r"unzustellbar|non remis|no se puede entregar|returned to sender|"
    r"mail could not be delivered|error sending message|problem delivering|mail failed|"
    r"returning to sender|returned message|bounced mail|delivery report"
)
BOUNCE_SUBJECT_RE = re.compile(BOUNCE_SUBJECT_SOURCE, re.IGNORECASE)
BOUNCE_SUBJECT = IgnoreCase(BOUNCE_SUBJECT_SOURCE)
# Body phrases of delivery reports from MTAs without a DSN part.
BOUNCE_BODY_SOURCE = (
    r"this is the mail system at host|i'm sorry to have to inform you that your message|"
    r"could not be delivered to one or more recipients|"
    r"message could not be delivered|your message did not reach some or all|"
    r"delivery to the following recipient(?:s)? failed|delivery has failed to these recipients|"
    r"this message was created automatically by mail delivery software|"
    r"this is the qmail-send program|the following addresses had permanent fatal errors|"
    r"permanent error\. the following address|unable to deliver your message|"
    r"message you sent .{0,40}could not be delivered|your message wasn't delivered|"
    r"kan niet worden bezorgd|is niet bezorgd|uw bericht heeft de volgende ontvangers niet bereikt|"
    r"delivery to the following recipients? has been delayed|"
    r"has not yet been delivered|message will be retried|will continue to try|"
    r"returned mail: |the original message was received at|"
    r"a message that you sent could not be delivered|delivery is delayed|"
    r"mail delivery failed|undeliverable message|recipient address rejected|"
    r"user unknown|mailbox unavailable|mailbox is full|no such user|"
    r"address couldn't be found|address not found"
)
BOUNCE_BODY_RE = re.compile(BOUNCE_BODY_SOURCE, re.IGNORECASE)
BOUNCE_BODY = IgnoreCase(BOUNCE_BODY_SOURCE)
# The look-behinds follow the first character, so the engine can skip ahead to the
# next 2, 4 or 5 instead of testing the look-behind at every position.
STATUS_RE = re.compile(r"([245])(?<![\d.][245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
SMTP_REPLY_RE = re.compile(r"([45])(?<!\d[45])\d\d[ -]")
_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
ADDR_RE = re.compile(rf"{_LOCAL}+@[\w-]+(?:\.[\w-]+)+")
# ADDR_RE starting where a run of local-part characters starts: searching it costs
# one pass over a long run without "@" (base64, URLs), not one pass per position.
_ADDR_AT_RUN_RE = re.compile(rf"(?<!{_LOCAL}){_LOCAL}+@[\w-]+(?:\.[\w-]+)+")
DELAY_SOURCE = (
    r"\bdelayed\b|will (?:continue to )?(?:re)?try|will be retried|not yet been delivered|"
    r"deferred|uitgesteld|vertraagd|temporar"
)
DELAY_RE = re.compile(DELAY_SOURCE, re.IGNORECASE)
DELAY = IgnoreCase(DELAY_SOURCE)


def find_addresses(text: str) -> list[str]:
    """ADDR_RE.findall(text), in time linear in the text."""
    return [m.group(0) for m in iter_addresses(text)]


def iter_addresses(text: str, end: int | None = None) -> Iterator[re.Match[str]]:
    """ADDR_RE.finditer(text[:end]) as matches on text, in time linear in the text."""
    stop = len(text) if end is None else end
    pos = 0
    while True:
        # the leftmost match from pos starts at pos or where a run starts: a match
        # inside a run would extend to the run's start
        m = ADDR_RE.match(text, pos, stop) or _ADDR_AT_RUN_RE.search(text, pos, stop)
        if m is None:
            return
        yield m
        pos = m.end()


def first_address(text: str) -> str:
    """ADDR_RE.search(text)'s match, "" when none; linear like find_addresses."""
    m = ADDR_RE.match(text) or _ADDR_AT_RUN_RE.search(text)
    return m.group(0) if m else ""


def is_bounce_sender(addr: str) -> bool:
    local = addr.split("@", 1)[0].lower()
    return local in BOUNCE_LOCALPARTS or local.startswith("mailer-daemon")


@dataclass(frozen=True)
class FailedRecipient:
    """One recipient a delivery report says was not delivered."""

    address: str  # as the sender addressed it: Original-Recipient when given, else Final-Recipient
    status: str  # its RFC 3463 code ("5.1.1"), "" when the report gives none
    final: str = ""  # Final-Recipient, when it differs from address (forwarding, rewriting)

    @property
    def permanent(self) -> bool:
        return self.status.startswith("5.")

    def names(self, address: str) -> bool:
        return address.lower() in (self.address, self.final)


@dataclass(frozen=True)
class Returned:
    """The header of the message a report returns (ours, when the report is genuine)."""

    message_id: str = ""  # with angle brackets, "" when the report returns none
    references: tuple[str, ...] = ()  # its In-Reply-To and References
    senders: frozenset[str] = frozenset()  # its From, Sender, Reply-To and Return-Path


@dataclass(frozen=True)
class Report:
    failed: tuple[FailedRecipient, ...]
    status: str
    permanent: bool
    diagnostic: str
    returned: Returned


# Where the human-readable part of a plain-text report ends and the returned
# message (or its header) begins. Searched per line, lower-case.
_RETURNED_MARKER_RE = re.compile(
    r"copy of (?:the |your )?(?:original )?message|"
    r"(?:original|returned|unsent|undelivered) message (?:follows|is following|below|header)|"
    r"message (?:headers?|text) follows?|headers? of (?:the|your) original message|"
    r"original message headers?|^\W*(?:original|returned) message\W*$|original mail info|"
    r"copy of the message header"
)
# An unindented header field line, as a returned message's header starts.
_HEADER_LINE_RE = re.compile(
    r"(?:received|return-path|message-id|from|to|cc|subject|date|mime-version|"
    r"content-type|delivered-to|reply-to|references|in-reply-to)[ \t]*:",
    re.IGNORECASE,
)
_ID_FIELDS = ("message-id", "in-reply-to", "references")
_SENDER_FIELDS = ("from", "sender", "reply-to", "return-path")
_OWN_FIELDS = (*_ID_FIELDS, *_SENDER_FIELDS, "to", "cc", "delivered-to")
# One id or sender field of a header block in text, with its continuation lines.
_FIELD_RE = re.compile(
    r"^(message-id|in-reply-to|references|from|sender|reply-to|return-path)[ \t]*:"
    r"[ \t]*(.*(?:\n[ \t].*)*)",
    re.IGNORECASE | re.MULTILINE,
)
_MSG_ID_RE = re.compile(r"<([^<>\s]+)>")
# An id named as such in the report text ("Message-ID: <x@y>", "msgid=x@y").
_LABELLED_ID_RE = re.compile(
    r"(?:message-id|msg-?id|in-reply-to|references)[ \t]*[:=]?[ \t]*"
    r"<?([^\s<>\"',;]+@[^\s<>\"',;]+)",
    re.IGNORECASE,
)
# Words that make the address after them the sender's, not a recipient's.
_SENDER_BEFORE_RE = re.compile(
    r"(?:\bfrom|\bsender|return-path|reply-to)[\s:=<\"']*$", re.IGNORECASE
)
_PERMANENT_SAID_RE = re.compile(r"permanent (?:fatal )?error|permanent failure", re.IGNORECASE)
# An SMTP reply code, as reports quote the server ("550 ", "550-", "550:").
_SMTP_CODE_RE = re.compile(r"(?<![\w.])([245])\d\d(?=[ :-])")
# The same at the start of a line: in a whole report, the server's reply.
_SMTP_LINE_CODE_RE = re.compile(r"^[ \t]*([45])\d\d(?=[ :-])", re.MULTILINE)
MAX_TEXT_RECIPIENTS = 10
_REPORT_TEXT_CHARS = 20_000


def report_parts(msg: Message, limit: int = 200) -> list[tuple[Message, str]]:
    """The parts of the report itself with their content types. The parts of a
    message it encloses (the returned message, itself a report in a double bounce)
    are left out: their delivery-status speaks about other mail."""
    out: list[tuple[Message, str]] = []
    stack = [msg]
    while stack and len(out) < limit:
        part = stack.pop()
        ctype = content_type(part)
        out.append((part, ctype))
        if ctype.startswith("multipart/"):
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(reversed([p for p in payload if isinstance(p, Message)]))
    return out


def delivery_status_blocks(
    msg: Message, parts: list[Message], part_types: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """The per-message and per-recipient field blocks of a message/delivery-status part.
    part_types: content_type() of each part, when the caller has them already."""
    blocks: list[dict[str, str]] = []
    if part_types is None:
        part_types = [content_type(part) for part in parts]
    for part, ctype in zip(parts, part_types, strict=True):
        if ctype not in ("message/delivery-status", "message/global-delivery-status"):
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    blocks.append({k.lower(): str(v) for k, v in sub.items()})
        elif isinstance(payload, str):
            blocks.extend(_parse_blocks(payload))
    return blocks


def _parse_blocks(text: str) -> list[dict[str, str]]:
    blocks: list[dict[str, str]] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        fields: dict[str, str] = {}
        for line in chunk.split("\n"):
            if ":" in line and not line[:1].isspace():
                k, v = line.split(":", 1)
                fields[k.strip().lower()] = v.strip()
        if fields:
            blocks.append(fields)
    return blocks


def _addr_of(value: str) -> str:
    # "rfc822; user@example.com" -> user@example.com
    value = value.split(";", 1)[-1]
    return first_address(value).lower().strip(".")


def read_report(
    msg: Message, text: str, failed_header: str, headers: Mapping[str, Sequence[str]]
) -> Report:
    """What a delivery report says: who failed with which status, and what it returns.

    The failed recipients come from the report's own fields: the per-recipient
    blocks of its message/delivery-status part (RFC 3464) and X-Failed-Recipients
    (Exim). Only for a report with neither is the human-readable text read, and
    there an address counts only when it is none of the sender's (the report's
    own To, the returned message's From, an address written after "from"),
    no Message-ID and no bounce mailbox. `headers`: the report's own decoded
    header fields (lower-case names), whose addresses and ids never failed.
    """
    parts = report_parts(msg)
    blocks = delivery_status_blocks(msg, [p for p, _ in parts], [t for _, t in parts])
    cut = returned_start(text)
    returned = _returned(parts, text[cut:] if cut < len(text) else "")
    failed = _from_blocks(blocks)
    for addr in find_addresses(failed_header):
        low = addr.lower().strip(".")
        if not any(f.names(low) for f in failed):
            failed.append(
                FailedRecipient(low, _status_near(text[:cut], low) or _said_status(text[:cut]))
            )
    if not failed:
        # the report's own header: its To is the sender of the returned message
        own = [v for name in _OWN_FIELDS for v in headers.get(name, ())]
        exclude = returned.senders | {a.lower() for v in own for a in find_addresses(v)}
        ids = {f"<{i.lower()}>" for v in own for i in _MSG_ID_RE.findall(v)}
        ids |= {i.lower() for i in (returned.message_id, *returned.references)}
        failed = _from_text(text[: min(cut, _REPORT_TEXT_CHARS)], exclude, ids)
    status, permanent, diagnostic = _summary(blocks, failed, text)
    return Report(tuple(failed), status, permanent, diagnostic, returned)


def _from_blocks(blocks: list[dict[str, str]]) -> list[FailedRecipient]:
    failed: list[FailedRecipient] = []
    for block in blocks:
        original = _addr_of(block.get("original-recipient", ""))
        final = _addr_of(block.get("final-recipient", ""))
        if not (original or final):
            continue
        action = block.get("action", "").strip().lower()
        status = _status_in(block.get("status", "")) or _status_in(block.get("diagnostic-code", ""))
        # RFC 3464 §2.3.3: failed, delayed, delivered, relayed or expanded;
        # opensmtpd writes "error". A block without an action counts by its status.
        if action.startswith(("delivered", "relayed", "expanded")):
            continue
        if not action and status[:1] not in ("4", "5"):
            continue
        address = original or final
        entry = FailedRecipient(address, status, final if final != address else "")
        same = next((i for i, f in enumerate(failed) if f.address == address), None)
        if same is None:
            failed.append(entry)
        elif entry.permanent and not failed[same].permanent:
            failed[same] = entry  # one recipient in two blocks: the permanent one counts
    return failed


def _status_in(text: str) -> str:
    """The first RFC 3463 code in text, else one made from an SMTP reply code
    (550 -> 5.0.0), else ""."""
    m = STATUS_RE.search(text)
    if m:
        return m.group(0)
    m = _SMTP_CODE_RE.search(text)
    return f"{m.group(1)}.0.0" if m else ""


def _report_status(report: str) -> str:
    """The code a whole report gives: an RFC 3463 one, else a reply code opening a line."""
    m = STATUS_RE.search(report)
    if m:
        return m.group(0)
    m = _SMTP_LINE_CODE_RE.search(report)
    return f"{m.group(1)}.0.0" if m else ""


def _said_status(report: str) -> str:
    """5.0.0 when the report says its failures are permanent, else ""."""
    return "5.0.0" if _PERMANENT_SAID_RE.search(report) else ""


def _status_near(report: str, address: str) -> str:
    """The code on the lines about address: from its first mention to the next blank line."""
    at = report.lower().find(address)
    if at < 0:
        return ""
    start = report.rfind("\n", 0, at) + 1
    end = report.find("\n\n", at)
    return _status_in(report[start : end if end >= 0 else len(report)])


def returned_start(text: str) -> int:
    """Where a plain-text report's copy of the returned message starts: a line that
    announces it, or the first unindented run of two header lines; len(text) if none."""
    pos = 0
    previous_header = -1
    for line in text[:_REPORT_TEXT_CHARS].split("\n"):
        if _RETURNED_MARKER_RE.search(line.lower()):
            return pos
        if _HEADER_LINE_RE.match(line):
            if previous_header >= 0:
                return previous_header
            previous_header = pos
        else:
            previous_header = -1
        pos += len(line) + 1
    return len(text)


def _returned(parts: list[tuple[Message, str]], inline: str) -> Returned:
    """The header of the returned message: an enclosed message/rfc822 or
    text/rfc822-headers part of the report, else the copy in its text."""
    for part, ctype in parts:
        if ctype in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                inner = payload[0]
                names = (*_ID_FIELDS, *_SENDER_FIELDS)
                return _returned_from({n: [str(v) for v in inner.get_all(n, [])] for n in names})
        elif ctype in ("text/rfc822-headers", "message/global-headers"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return _returned_from(_fields_in(payload.decode("utf-8", "replace")))
    if inline:
        return _returned_from(_fields_in(inline))
    return Returned()


def _fields_in(text: str) -> dict[str, list[str]]:
    """The id and sender fields of the first header block in text."""
    text = text.replace("\r\n", "\n")
    first = _FIELD_RE.search(text)
    if first is None:
        return {}
    head = text[first.start() :].split("\n\n", 1)[0]
    fields: dict[str, list[str]] = {}
    for m in _FIELD_RE.finditer(head):
        fields.setdefault(m.group(1).lower(), []).append(m.group(2))
    return fields


def _returned_from(fields: dict[str, list[str]]) -> Returned:
    ids = [f"<{i}>" for v in fields.get("message-id", ()) for i in _MSG_ID_RE.findall(v)]
    refs: list[str] = []
    for name in ("in-reply-to", "references"):
        for value in fields.get(name, ()):
            refs.extend(f"<{i}>" for i in _MSG_ID_RE.findall(value) if f"<{i}>" not in refs)
    senders = {
        a.lower()
        for name in _SENDER_FIELDS
        for v in fields.get(name, ())
        for a in find_addresses(v)
    }
    return Returned(ids[0] if ids else "", tuple(refs), frozenset(senders))


def _from_text(report: str, exclude: frozenset[str], ids: set[str]) -> list[FailedRecipient]:
    """The recipients a report without DSN fields names, in its human-readable part."""
    ids = ids | {m.group(1).lower().strip(".") for m in _LABELLED_ID_RE.finditer(report)}
    found: list[str] = []
    skipped: set[str] = set()
    for m in iter_addresses(report):
        low = m.group(0).lower().strip(".")
        if low in found or low in skipped:
            continue
        line_start = report.rfind("\n", 0, m.start()) + 1
        if (
            low in exclude
            or low in ids
            or f"<{low}>" in ids
            or is_bounce_sender(low)
            or _SENDER_BEFORE_RE.search(report, line_start, m.start())
        ):
            skipped.add(low)
            continue
        found.append(low)
        if len(found) >= MAX_TEXT_RECIPIENTS:
            break
    said = _said_status(report)
    single = _report_status(report) if len(found) == 1 else ""
    return [FailedRecipient(a, _status_near(report, a) or single or said) for a in found]


def _summary(
    blocks: list[dict[str, str]], failed: list[FailedRecipient], text: str
) -> tuple[str, bool, str]:
    """(status, permanent, diagnostic) of the report as a whole."""
    diagnostic = next(
        (" ".join(b["diagnostic-code"].split())[:500] for b in blocks if b.get("diagnostic-code")),
        "",
    )
    statuses = [f.status for f in failed if f.status[:1] in ("4", "5")]
    statuses += [m.group(0) for b in blocks if (m := STATUS_RE.search(b.get("status", "")))]
    delayed = any(b.get("action", "").lower().startswith("delayed") for b in blocks)
    if not statuses:
        m = STATUS_RE.search(text[:20000])
        if m:
            statuses.append(m.group(0))
    status = next((s for s in statuses if s[0] in "45"), statuses[0] if statuses else "")
    if status:
        permanent = status.startswith("5")
    elif delayed or DELAY.search(text[:5000]):
        permanent = False
    else:
        m = SMTP_REPLY_RE.search(text[:20000])
        permanent = not (m and m.group(1) == "4")
    if delayed and not status.startswith("5"):
        permanent = False
    return status, permanent, diagnostic
