"""The headers every reply carries (pure): RFC 5322 and RFC 3834, folded as mail clients expect.

Owns our Message-IDs, `Re: ` subjects that never stack, References that keep a
thread without growing forever, From and To written so that every relay takes
them (IDNA domains, quoted display names), the header classes that fold
msg-ids and names where RFC 5322 allows, and the policies messages are written
with. Anything a stranger typed reaches a header only through
sanitize_header_text(), so it cannot add headers of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from email.headerregistry import (
    Address,
    HeaderRegistry,
    UniqueAddressHeader,
    UnstructuredHeader,
)
from email.policy import Policy
from email.policy import default as default_policy
from email.utils import quote

from ..errors import InboxWorkerError
from .idn import ascii_address


class _MsgIdsHeader(UnstructuredHeader):
    """Message-ID, In-Reply-To, References: msg-ids, folded between ids only.

    The stdlib treats In-Reply-To and References as unstructured text and turns
    a msg-id too long for the line into an RFC 2047 encoded word, which breaks
    threading in every mail client. Here a line breaks only between two ids; an
    id longer than the line stays whole on a line of its own (RFC 5322's hard
    limit is 998, and MSG_ID ids are never near it).
    """

    def fold(self, *, policy: Policy) -> str:
        limit = policy.max_line_length or 998
        lines: list[str] = []
        line = f"{self.name}:"  # type: ignore[attr-defined]  # BaseHeader, mixed in at run time
        for token in str(self).split():
            if len(line) + 1 + len(token) > limit and not line.endswith(":"):
                lines.append(line)
                line = ""
            line += " " + token
        lines.append(line)
        return policy.linesep.join(lines) + policy.linesep


class _OneMsgIdHeader(_MsgIdsHeader):
    max_count = 1


class _AddressHeader(UniqueAddressHeader):
    """From and To: folded between words, the display name kept quoted.

    The stdlib drops the quotes around a display name when it folds one:
    `"Jansen, M." <m@x.nl>` comes out as `Jansen, M. <m@x.nl>`, two
    addresses to any reader, and a name with parentheses loses its end to a
    comment. Here an ASCII name is quoted first, and lines break only between
    words, which RFC 5322 allows inside a quoted string too.
    """

    def fold(self, *, policy: Policy) -> str:
        utf8 = getattr(policy, "utf8", False)  # EmailPolicy's, not the base Policy's
        if not (utf8 or all(a.display_name.isascii() for a in self.addresses)):
            # A name in Unicode becomes RFC 2047 words, which the stdlib writes well.
            return str(super().fold(policy=policy))  # type: ignore[misc]
        limit = policy.max_line_length or 998
        tokens: list[str] = []
        for n, address in enumerate(self.addresses):
            name, spec = address.display_name, address.addr_spec
            if name:
                tokens.extend((f'"{quote(name)}"' if _SPECIALS.search(name) else name).split(" "))
            tokens.append(f"<{spec}>" if name else spec)
            if n < len(self.addresses) - 1:
                tokens[-1] += ","
        lines: list[str] = []
        line = f"{self.name}:"  # type: ignore[attr-defined]  # BaseHeader, mixed in at run time
        for token in tokens:
            if len(line) + 1 + len(token) > limit and not line.endswith(":"):
                lines.append(line)
                line = ""
            line += " " + token
        lines.append(line)
        return policy.linesep.join(lines) + policy.linesep


# RFC 5322 specials (and the quote and backslash) that make a display name a quoted-string.
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')

# The registry mixes BaseHeader into these classes when it builds a header;
# typeshed cannot see that, hence the ignores.
_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("from", _AddressHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("to", _AddressHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("message-id", _OneMsgIdHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("in-reply-to", _MsgIdsHeader)  # type: ignore[arg-type]
_HEADERS.map_to_type("references", _MsgIdsHeader)  # type: ignore[arg-type]

# Header lines fold at 78 characters (RFC 5322 2.1.1). The same number is the
# line width of quoted-printable and base64 bodies the stdlib writes, which RFC
# 2045 6.7 and 6.8 cap at 76 (spam filters score longer ones: SpamAssassin's
# MIME_QP_LONG_LINE, BASE64_LENGTH_79_INF); so parts are built with
# BODY_POLICY and the message is written with REPLY_POLICY.
REPLY_POLICY = default_policy.clone(max_line_length=78, header_factory=_HEADERS)
BODY_POLICY = REPLY_POLICY.clone(max_line_length=76)
UTF8_POLICY = REPLY_POLICY.clone(utf8=True)

# RFC 5322 lets References grow without bound; long threads would otherwise
# produce ever longer headers. Keep the thread root plus the most recent ones,
# as RFC 5322 section 3.6.4 suggests.
MAX_REFERENCES = 20

# Header values from strangers are capped: a name or subject of 10 kB is abuse,
# and nothing useful is lost by cutting it.
MAX_NAME_CHARS = 128
MAX_SUBJECT_CHARS = 250

# Reply prefixes other clients put in front of a subject; recognised so that
# our "Re: " never stacks ("Re: Antw: RE: ..."). Re[2]: is Outlook's counter.
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|antw)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)

# A msg-id as RFC 5322 wants it: printable ASCII, no angle brackets or spaces,
# with an "@". Anything else in References is dropped rather than echoed.
MSG_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
_UNIQUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")

# Used when the message we answer had no subject at all.
_NO_SUBJECT = {"nl": "je bericht", "en": "your message"}


def make_message_id(sender_email: str, unique: str) -> str:
    """Our Message-ID: `<inbox-worker.{unique}@{domain of sender_email}>`.

    The caller supplies `unique` (a uuid4 hex) so the reply's id can be stored
    before it is rendered and sent, and found again in the Sent folder after a
    crash. Raises ValueError for input that would make a malformed id.
    """
    local, at, domain = sender_email.strip().rpartition("@")
    if not at or not local:
        raise ValueError(f"cannot take a Message-ID domain from {sender_email!r}")
    domain = domain.rstrip(">").lower()
    if not domain or not _DOMAIN.fullmatch(domain):
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            domain = ""
        if not domain or not _DOMAIN.fullmatch(domain):
            raise ValueError(f"cannot take a Message-ID domain from {sender_email!r}")
    if not _UNIQUE.fullmatch(unique):
        raise ValueError(f"unusable unique part for a Message-ID: {unique!r}")
    return f"<inbox-worker.{unique}@{domain}>"


def sanitize_header_text(value: str, limit: int = MAX_SUBJECT_CHARS) -> str:
    """Make user text safe for one header line.

    CR and LF are the obvious injection route, but Python's str.splitlines()
    (used inside the email package) also breaks on \\x0b, \\x0c, \\x1c-\\x1e,
    \\x85, U+2028 and U+2029, so every control, line and paragraph separator
    becomes a space. Runs of whitespace collapse, and the result is capped.
    """
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    cleaned = " ".join(cleaned.split())
    return cleaned[:limit].rstrip()


def reply_subject(original: str, language: str = "nl") -> str:
    """`Re: ` + the original subject, without stacking reply prefixes."""
    subject = _REPLY_PREFIX.sub("", sanitize_header_text(original))
    if not subject:
        subject = _NO_SUBJECT.get(language, _NO_SUBJECT["en"])
    return f"Re: {subject}"


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def well_formed_ids(ids: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for raw in ids:
        for candidate in MSG_ID.findall(raw or ""):
            if candidate not in seen:
                seen.add(candidate)
                result.append(candidate)
    return result


def thread_references(references: Sequence[str], in_reply_to: str | None) -> list[str]:
    """References for a reply: the ids it answers, well formed, the root and the latest kept."""
    ids = well_formed_ids([*references, in_reply_to or ""])
    if len(ids) > MAX_REFERENCES:
        ids = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
    return ids


def sender_address(name: str, email: str) -> Address:
    """The organiser as From:, the domain as ASCII (IDNA) so every relay takes it."""
    try:
        return Address(
            display_name=sanitize_header_text(name),
            addr_spec=ascii_address(email.strip()),
        )
    except (ValueError, TypeError) as exc:
        raise InboxWorkerError(f"cannot send as {email!r}: {one_line(str(exc))}") from None


def recipient_address(to_addr: str, to_name: str) -> Address | str:
    """One recipient, with the display name made header-safe.

    The domain is written as ASCII (IDNA A-labels): any server accepts that,
    with or without SMTPUTF8. A local part in Unicode has no ASCII form; it
    comes back as header text, for a message written as UTF-8 (RFC 6532).
    """
    name = sanitize_header_text(to_name, MAX_NAME_CHARS)
    addr = to_addr.strip()
    if sanitize_header_text(addr) != addr or "@" not in addr:
        raise InboxWorkerError(f"cannot reply to {addr!r}: not an e-mail address")
    try:
        addr = ascii_address(addr)
        if not addr.isascii():
            local, _, domain = addr.rpartition("@")
            check = Address(addr_spec=f"x@{domain}")  # the domain still has to parse
            if any(ch in local for ch in '"\\<>()[],;: ') or not check.domain:
                raise ValueError("not a plain local part")
            return f'"{quote(name)}" <{addr}>' if name else addr
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, TypeError) as exc:  # header parse errors subclass ValueError
        raise InboxWorkerError(f"cannot reply to {addr!r}: {one_line(str(exc))}") from None
