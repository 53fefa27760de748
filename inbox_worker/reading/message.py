"""Raw bytes -> ParsedMessage (pure).

Owns turning whatever arrives in the mailbox into one tidy, immutable value:
decoded headers (RFC 2047, raw 8-bit, broken charsets: decoding.py), the sender, a text body
(HTML converted when there is no text/plain), the new text split from quoted
history and signature (see quoting.py), the unwrapped sender of a forwarded
message and, for delivery reports, what failed (see dsn.py). Parsing uses the
stdlib email package with the fast compat32 policy and our own decoding; it
never raises on malformed mail (problems are listed in `defects`) and raises
ValueError only when a resource limit below is exceeded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from email.policy import compat32

from . import dsn as _dsn
from .addresses import address_list, parse_address
from .decoding import decode_bytes, decode_header_value, one_line, parse_date, raw_header_str
from .dsn import FailedRecipient
from .htmltext import html_to_fields, html_to_text
from .mime import content_type, param, parse_fast
from .quoting import find_quote_start, header_block_fields, split_body
from .webform import is_form_sender, read_form

# Resource limits. Over these, parse() raises ValueError and the worker quarantines
# the message; everything below them is parsed, however malformed.
MAX_RAW_BYTES = 25 * 1024 * 1024  # a whole message (typical provider limits are 20-35 MB)
MAX_HEADER_BYTES = 1024 * 1024  # the header section (real ones are < 100 KB)
# Lines starting with "--": a cheap bound on MIME parts. Real mail has a few
# dozen; 2,000 leaves room for any newsletter and quarantines MIME bombs.
MAX_BOUNDARY_LINES = 2_000
# Soft limits: beyond these the rest is ignored and a defect is recorded.
MAX_BODY_PARSE_BYTES = 96 * 1024  # the text we need sits before attachments
MAX_PARTS = 500  # MIME parts walked
MAX_TEXT_CHARS = 200_000  # body text kept for analysis
MAX_HEADER_VALUE_CHARS = 16_384  # one header value decoded (the rest is dropped)
MAX_SUBJECT_CHARS = 998  # the RFC 5322 line limit; longer subjects are cut

_FORWARD_SUBJECT_RE = re.compile(r"^\s*(?:(?:re|aw|antw)\s*:\s*)*(?:fw|fwd|doorst|wg|tr)\s*:", re.I)


@dataclass(frozen=True)
class DeliveryReport:
    """What a bounce says about the mail that failed.

    `failed` comes from the report's fields (see dsn.read_report), each
    recipient with its own status; `returned_*` identify the message it
    returns, so the edge can tell whether that message was one of ours.
    """

    recipients: tuple[str, ...]  # failed recipient addresses, lower-case
    status: str  # e.g. "5.1.1", "" when unknown
    permanent: bool  # True for 5.x.x (or an NDR without a status)
    diagnostic: str = ""
    failed: tuple[FailedRecipient, ...] = ()
    returned_message_id: str = ""  # Message-ID of the returned message, with angle brackets
    returned_references: tuple[str, ...] = ()  # its In-Reply-To and References

    @property
    def returned_ids(self) -> tuple[str, ...]:
        """The returned message's own Message-ID first, then the ones it answered."""
        own = (self.returned_message_id,) if self.returned_message_id else ()
        return own + tuple(r for r in self.returned_references if r not in own)


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str | None  # with angle brackets, as in the header
    in_reply_to: str | None
    references: tuple[str, ...]
    from_addr: str  # normalised (lower-case) addr-spec, "" when missing
    from_name: str
    return_path: str | None  # None: no Return-Path header; "": the null path <>
    to_addrs: tuple[str, ...]
    subject: str  # decoded, CR/LF folded to spaces
    date: datetime | None
    headers: dict[str, tuple[str, ...]]  # lower-case header name -> decoded values
    content_type: str  # of the top-level part, lower-case
    text: str  # the whole text body (HTML converted when no text/plain)
    new_text: str  # text without quoted history and signature
    signature: str
    size: int
    forwarded_from_addr: str | None = None  # original sender of a forwarded message
    forwarded_from_name: str = ""
    # The visitor of a web-form notification (see webform.py): a system address
    # sent it (from_addr), the visitor typed this address, their name and the
    # question, which is then new_text (name, function and organisation the
    # signature, as the visitor would have signed). The
    # address is unverified: answer it, but never cancel, move or unsubscribe for it.
    form_from_addr: str | None = None
    form_from_name: str = ""
    dsn: DeliveryReport | None = None
    defects: tuple[str, ...] = field(default_factory=tuple)
    # Added: content types of all parts walked (lower-case), e.g. for report detection.
    part_types: tuple[str, ...] = ()
    # Added: the body was HTML only and was converted to text.
    html_only: bool = False

    def header(self, name: str) -> str:
        """The first value of a header (case-insensitive), "" when absent."""
        values = self.headers.get(name.lower(), ())
        return values[0] if values else ""


def _parse_address(raw_value: str) -> tuple[str, str]:
    """(display name, lower-case address) of a From-like header value."""
    raw_value = raw_header_str(raw_value)
    try:
        name, addr = parse_address(raw_value)
    except Exception:
        name, addr = "", ""
    if not addr or "@" not in addr:
        addr = _dsn.first_address(raw_value)
    name = decode_header_value(name).strip().strip("'\"").strip() if name else ""
    if name.lower() == addr.lower():
        name = ""
    return one_line(name), one_line(addr).lower().strip("<>")


def _normalise(raw: bytes) -> tuple[bytes, list[str]]:
    defects: list[str] = []
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    # a leading blank line or mbox "From " line hides every header
    stripped = raw.lstrip(b"\n \t")
    if len(stripped) != len(raw):
        defects.append("leading-whitespace")
        raw = stripped
    if raw.startswith(b"From "):
        nl = raw.find(b"\n")
        raw = raw[nl + 1 :] if nl >= 0 else b""
        defects.append("mbox-from-line")
    return raw, defects


def _check_limits(raw: bytes) -> None:
    """Refuse what no mail needs, on the bytes as they came (LF, CRLF or CR-only)."""
    if len(raw) > MAX_RAW_BYTES:
        raise ValueError(f"message too large: {len(raw)} bytes > {MAX_RAW_BYTES}")
    # The blank line that ends the header, in the message's own line endings;
    # only the first MAX_HEADER_BYTES are searched: a header that ends later is
    # refused anyway, and a 3 MB MIME bomb is not scanned end to end.
    head = raw[:4096]
    newline = b"\r\n" if b"\r\n" in head else (b"\n" if b"\n" in head else b"\r")
    end = raw.find(newline * 2, 0, MAX_HEADER_BYTES + 4)
    if end < 0 and newline == b"\r\n":  # CRLF lines with a bare LF blank line
        end = raw.find(b"\n\n", 0, MAX_HEADER_BYTES + 4)
    header_len = end if end >= 0 else len(raw)
    if header_len > MAX_HEADER_BYTES:
        raise ValueError(f"header section too large: {header_len} bytes > {MAX_HEADER_BYTES}")
    # each boundary line costs 3 bytes: a smaller message cannot have too many;
    # they follow an LF (LF and CRLF mail) or, in CR-only mail, a lone CR
    # Counted in the part that will be parsed (twice the window: line endings
    # not yet converted): a bomb shows there, and a long message costs no more.
    window = 2 * MAX_BODY_PARSE_BYTES
    boundaries = (
        raw.count(newline[-1:] + b"--", 0, window) if len(raw) > 3 * MAX_BOUNDARY_LINES else 0
    )
    if boundaries > MAX_BOUNDARY_LINES:
        raise ValueError(f"too many MIME boundary lines (> {MAX_BOUNDARY_LINES})")


def _param(part: Message, name: str) -> object:
    """part.get_param(name) (None when absent), see mime.param."""
    return param(part, name)


def _charset(part: Message) -> str | None:
    """part.get_content_charset() when the part names a charset, else None."""
    charset = _param(part, "charset")
    if charset is None:
        return None
    if isinstance(charset, str) and charset.isascii():
        return charset.lower()
    return part.get_content_charset()


def _payload_text(part: Message) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return decode_bytes(data, _charset(part))
    payload = part.get_payload()
    return raw_header_str(payload) if isinstance(payload, str) else ""


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("content-disposition", "")).lower()
    return disposition.startswith("attachment")


def _walk(msg: Message, defects: list[str]) -> list[Message]:
    parts: list[Message] = []
    try:
        for part in msg.walk():
            parts.append(part)
            if len(parts) >= MAX_PARTS:
                defects.append("too-many-parts")
                break
    except Exception as exc:  # a broken structure must not cost the message
        defects.append(f"walk-error:{type(exc).__name__}")
    return parts


def _body(parts: list[Message], ctypes: Sequence[str] | None = None) -> tuple[str, bool]:
    """(text, html_only): the first inline text/plain, else the first text/html converted."""
    html_part: Message | None = None
    if ctypes is None:
        ctypes = [content_type(p) for p in parts]
    for part, ctype in zip(parts, ctypes, strict=True):
        if not ctype.startswith("text/") or _is_attachment(part):
            continue
        if ctype == "text/plain":
            return _payload_text(part), False
        if ctype == "text/html" and html_part is None:
            html_part = part
    if html_part is not None:
        return html_to_text(_payload_text(html_part)), True
    # a multipart without a usable boundary keeps its body as one string
    for part in parts:
        if isinstance(part.get_payload(), str) and not _is_attachment(part):
            text = _payload_text(part)
            if text.strip():
                return text, False
    return "", False


def _html_source(parts: list[Message], ctypes: Sequence[str]) -> str:
    """The first inline text/html part's markup ("" when none)."""
    for part, ctype in zip(parts, ctypes, strict=True):
        if ctype == "text/html" and not _is_attachment(part):
            return _payload_text(part)
    return ""


def _forwarded(subject: str, text: str, parts: list[Message]) -> tuple[str | None, str, str | None]:
    """(addr, name, forwarded body) of the original writer of a forwarded message."""
    if not _FORWARD_SUBJECT_RE.match(subject):
        return None, "", None
    for part in parts[1:]:
        if content_type(part) == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                inner = payload[0]
                name, addr = _parse_address(str(inner.get("from", "")))
                inner_text, _ = _body(_walk(inner, []))
                if addr:
                    return addr, name, inner_text
    lines = text.split("\n")
    start = find_quote_start(lines)
    if start >= len(lines):
        return None, "", None
    fields = header_block_fields(lines[start : start + 12])
    value = fields.get("from", "")
    if not value:
        return None, "", None
    value = value.replace("[mailto:", "<").replace("]", ">")
    name, addr = _parse_address(value)
    # the forwarded body starts after the header block's first blank line
    body_lines = lines[start:]
    try:
        blank = next(i for i, line in enumerate(body_lines) if i > 1 and not line.strip())
    except StopIteration:
        blank = len(body_lines)
    if addr and "@" in addr:
        return addr, name, "\n".join(body_lines[blank:])
    return None, name, None


def _delivery_report(
    msg: Message,
    parts: list[Message],
    part_types: Sequence[str],
    sender: str,
    null_sender: bool,
    subject: str,
    text: str,
    headers: dict[str, list[str]] | None = None,
) -> DeliveryReport | None:
    report_type = str(_param(msg, "report-type") or "").lower()
    types = set(part_types)
    has_dsn_part = bool(types & {"message/delivery-status", "message/global-delivery-status"})
    failed_header = str(msg.get("x-failed-recipients", ""))
    looks_like = (
        has_dsn_part
        or report_type == "delivery-status"
        or bool(failed_header)
        or (null_sender and bool(types & {"message/rfc822", "text/rfc822-headers"}))
    )
    if not looks_like:
        # a bounce sender with a bounce subject or body, or any sender with both
        subject_says = _dsn.BOUNCE_SUBJECT.search(subject)
        if subject_says or _dsn.is_bounce_sender(sender):
            body_says = _dsn.BOUNCE_BODY.search(text[:5000])
            looks_like = body_says or (subject_says and _dsn.is_bounce_sender(sender))
    if not looks_like or report_type in ("feedback-report", "disposition-notification"):
        return None
    report = _dsn.read_report(msg, text, failed_header, headers or {})
    return DeliveryReport(
        recipients=tuple(f.address for f in report.failed),
        status=report.status,
        permanent=report.permanent,
        diagnostic=report.diagnostic,
        failed=report.failed,
        returned_message_id=report.returned.message_id,
        returned_references=report.returned.references,
    )


def parse(raw: bytes) -> ParsedMessage:
    """Parse one raw message. Raises ValueError only for the resource limits above."""
    size = len(raw)
    _check_limits(raw)
    # Normalising line endings never more than halves the bytes: normalising
    # twice the parse limit and cutting after is the same as normalising all,
    # without converting megabytes that are cut off anyway.
    raw, defects = _normalise(raw[: 2 * MAX_BODY_PARSE_BYTES + 2])
    if len(raw) > MAX_BODY_PARSE_BYTES:
        raw = raw[:MAX_BODY_PARSE_BYTES]
        defects.append("truncated")
    # the fast parser builds the same tree for well-formed mail and declines the rest
    msg = parse_fast(raw) or message_from_bytes(raw, policy=compat32)
    defects.extend(type(d).__name__ for d in msg.defects)

    headers: dict[str, list[str]] = {}
    raw_headers: dict[str, str] = {}
    to_raw: list[str] = []  # the To fields, in one pass with the rest
    for name, value in msg.raw_items():
        key = name.strip().lower()
        if key not in raw_headers:
            raw_headers[key] = value
        if key == "to" and name.lower() == "to":
            to_raw.append(value)
        if len(value) > MAX_HEADER_VALUE_CHARS:
            value = value[:MAX_HEADER_VALUE_CHARS]
            defects.append(f"long-header:{name.lower()}")
        decoded = decode_header_value(value)
        values = headers.get(key)
        if values is None:
            headers[key] = [decoded]
        else:
            values.append(decoded)

    def first_raw(name: str) -> str:
        # raw_items keeps 8-bit bytes (surrogate-escaped); msg.get would mangle them
        return raw_header_str(raw_headers.get(name, ""))

    from_name, from_addr = _parse_address(first_raw("from"))
    if not from_addr:
        from_name2, from_addr = _parse_address(first_raw("sender"))
        from_name = from_name or from_name2
    subject = headers.get("subject", [""])[0]
    if len(subject) > MAX_SUBJECT_CHARS:
        subject = subject[:MAX_SUBJECT_CHARS]
        defects.append("long-subject")

    rp_raw = first_raw("return-path")
    return_path: str | None
    if "return-path" not in headers:
        return_path = None
    else:
        return_path = _parse_address(rp_raw)[1] if rp_raw.strip() not in ("<>", "") else ""

    to_addrs: list[str] = []
    try:
        to_values = [raw_header_str(v) for v in to_raw]
        for addr in address_list(to_values):
            if addr and "@" in addr:
                to_addrs.append(one_line(addr).lower())
    except Exception:
        defects.append("bad-to")

    date: datetime | None = None
    date_raw = first_raw("date")
    if date_raw:
        try:
            date = parse_date(date_raw)
        except Exception:
            defects.append("bad-date")

    refs = tuple(re.findall(r"<[^<>\s]+>", first_raw("references")))
    in_reply = re.search(r"<[^<>\s]+>", first_raw("in-reply-to"))
    mid = re.search(r"<[^<>\s]+>", first_raw("message-id"))

    parts = _walk(msg, defects)
    part_types = tuple(map(content_type, parts))
    text, html_only = _body(parts, part_types)
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_TEXT_CHARS]

    fwd_addr, fwd_name, fwd_body = _forwarded(subject, text, parts)
    if fwd_body is not None:
        note_text = text[: len(text) - len(fwd_body)] if text.endswith(fwd_body) else text
        note = split_body(note_text)
        inner = split_body(fwd_body)
        new_text = (note.new + "\n\n" + inner.new).strip()
        signature = inner.signature or note.signature
    else:
        split = split_body(text, from_name)
        new_text, signature = split.new, split.signature

    form = None
    mailer = headers.get("x-mailer", [""])[0]
    if fwd_addr is None and in_reply is None and is_form_sender(from_addr, mailer):
        source = html_to_fields(_html_source(parts, part_types)) if html_only else text
        form = read_form(from_addr, mailer, source, to_addrs)
        if form is not None:
            new_text = form.message
            signature = form.signature()

    sender = from_addr or from_name.replace(" ", "-").lower()
    report = _delivery_report(
        msg, parts, part_types, sender, return_path == "", subject, text, headers
    )
    top_type = part_types[0] if part_types else "text/plain"

    return ParsedMessage(
        message_id=mid.group(0) if mid else None,
        in_reply_to=in_reply.group(0) if in_reply else None,
        references=refs,
        from_addr=from_addr,
        from_name=from_name,
        return_path=return_path,
        to_addrs=tuple(to_addrs),
        subject=subject,
        date=date,
        headers={k: tuple(v) for k, v in headers.items()},
        content_type=top_type,
        text=text,
        new_text=new_text,
        signature=signature,
        size=size,
        forwarded_from_addr=fwd_addr,
        forwarded_from_name=one_line(fwd_name),
        form_from_addr=form.addr if form else None,
        form_from_name=one_line(form.name) if form else "",
        dsn=report,
        defects=tuple(defects),
        part_types=part_types,
        html_only=html_only,
    )
