"""Delivery reports: is this a bounce, and what does it say (pure).

Owns recognising a non-delivery report in its many shapes (RFC 3464
multipart/report, Exchange and Gmail NDRs, Postfix/Exim/qmail/Sendmail plain
text) and reading the failed recipients, the status code and whether the
failure is permanent. message.parse calls `read_report` and stores the result in
ParsedMessage.dsn; classify reuses the evidence codes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    out: list[str] = []
    pos = 0
    while True:
        # the leftmost match from pos starts at pos or where a run starts: a match
        # inside a run would extend to the run's start
        m = ADDR_RE.match(text, pos) or _ADDR_AT_RUN_RE.search(text, pos)
        if m is None:
            return out
        out.append(m.group(0))
        pos = m.end()


def first_address(text: str) -> str:
    """ADDR_RE.search(text)'s match, "" when none; linear like find_addresses."""
    m = ADDR_RE.match(text) or _ADDR_AT_RUN_RE.search(text)
    return m.group(0) if m else ""


def is_bounce_sender(addr: str) -> bool:
    local = addr.split("@", 1)[0].lower()
    return local in BOUNCE_LOCALPARTS or local.startswith("mailer-daemon")


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


def summarise(
    blocks: list[dict[str, str]], text: str, failed_header: str
) -> tuple[tuple[str, ...], str, bool, str]:
    """(recipients, status, permanent, diagnostic) from DSN blocks or the report text."""
    recipients: list[str] = []
    statuses: list[str] = []
    diagnostic = ""
    delayed = False
    for block in blocks:
        rcpt = block.get("final-recipient") or block.get("original-recipient") or ""
        if rcpt:
            addr = _addr_of(rcpt)
            if addr and addr not in recipients:
                recipients.append(addr)
        status = block.get("status", "")
        m = STATUS_RE.search(status)
        if m:
            statuses.append(m.group(0))
        if block.get("action", "").lower().startswith("delayed"):
            delayed = True
        if not diagnostic and block.get("diagnostic-code"):
            diagnostic = " ".join(block["diagnostic-code"].split())[:500]
    for addr in find_addresses(failed_header):
        if addr.lower() not in recipients:
            recipients.append(addr.lower())
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
    if not recipients:
        recipients = _recipients_from_text(text)
    return tuple(recipients), status, permanent, diagnostic


def _recipients_from_text(text: str) -> list[str]:
    """Addresses named in the human-readable part, before any returned message."""
    found: list[str] = []
    for addr in find_addresses(text[:8000]):
        low = addr.lower().strip(".")
        if is_bounce_sender(low) or low in found:
            continue
        found.append(low)
        if len(found) >= 5:
            break
    return found
