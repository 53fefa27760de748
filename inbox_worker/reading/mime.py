"""A fast MIME parser for well-formed mail that builds the stdlib's own tree (pure).

Owns turning normalised message bytes (LF line endings) into the same
`email.message.Message` tree that `email.message_from_bytes(raw,
policy=compat32)` builds, without the feedparser's line-at-a-time loop and its
per-boundary `re.compile` (a fresh compile for every multipart message, since
boundaries are unique). It works on the whole text with `str.find`, so a
typical 2-10 KB message costs a few dozen C calls instead of thousands of
Python ones.

It only handles mail the feedparser would parse without a defect. On anything
irregular (a missing boundary, a header line without a colon, a unix-from line,
a continuation line first, a CR) it returns None and the caller falls back to
the stdlib, so malformed mail keeps exactly the stdlib's tolerant reading.
tests/test_mime.py checks that both give the same tree on every fixture, the
shared corpus and generated messages.
"""

from __future__ import annotations

import re
from email import errors
from email.message import Message
from email.policy import compat32
from email.utils import unquote
from itertools import pairwise

# A header section as the feedparser accepts it without a defect: fields whose names
# are RFC 5322 ftext, each followed by its continuation lines. (The feedparser allows
# an empty name, records a defect and goes on: we decline that.)
_BLOCK_RE = re.compile(r"(?:[\041-\071\073-\176]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*")
# One field as compat32 stores it: the name as written, the value with its folding
# kept, leading blanks and the last line break dropped.
_FIELD_RE = re.compile(r"([\041-\071\073-\176]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)\n")
# Nesting deeper than this is left to the stdlib (real mail nests 3-4 levels).
_MAX_DEPTH = 12


class _Decline(Exception):
    """The input is not plainly well-formed: let the stdlib parse it."""


def parse_fast(raw: bytes) -> Message | None:
    """The compat32 tree of raw (LF line endings), or None when the stdlib must parse it."""
    text = raw.decode("ascii", "surrogateescape")
    if "\r" in text:
        return None
    try:
        msg, _, _ = _entity(text, 0, len(text), None, "", 0)
    except _Decline:
        return None
    return msg


def _headers(text: str, start: int, end: int, msg: Message) -> int:
    """Store the header fields of text[start:end] on msg; the body's start offset."""
    if start >= end:
        return end
    if text[start] == "\n":
        return start + 1  # no fields, just the separator line
    stop = text.find("\n\n", start, end)
    body = end if stop < 0 else stop + 2
    block = text[start:end] if stop < 0 else text[start : stop + 1]
    if block.startswith("From "):
        # an mbox envelope line, as in an attached message
        nl = block.find("\n")
        msg.set_unixfrom(block if nl < 0 else block[:nl])
        block = "" if nl < 0 else block[nl + 1 :]
    if not block.endswith("\n"):
        block += "\n"  # the last line at EOF
    # one C-level check instead of a Python loop per line; anything else is a defect
    if _BLOCK_RE.fullmatch(block) is None:
        raise _Decline
    msg._headers = _FIELD_RE.findall(block)  # type: ignore[attr-defined]
    return body


def raw_field(part: Message, name: str) -> str | None:
    """The first stored value of a field (name in lower case), None when absent."""
    size = len(name)  # a length test is cheaper than lowering every name
    for key, value in part._headers:  # type: ignore[attr-defined]
        if len(key) == size and key.lower() == name:
            return value if isinstance(value, str) else str(value)
    return None


def content_type(part: Message) -> str:
    """part.get_content_type() without the stdlib's per-call header policy work.
    An ASCII value is read here as Message.get_content_type reads it; anything else
    goes to the stdlib (tests/test_mime.py compares the two on every part)."""
    value = raw_field(part, "content-type")
    if value is None:
        return part.get_default_type()
    if not value.isascii():
        return part.get_content_type()
    ctype = value.partition(";")[0].strip().lower()
    return ctype if ctype.count("/") == 1 else "text/plain"


def param(part: Message, name: str) -> object:
    """part.get_param(name) (name in lower case; None when absent). A plain ASCII
    value (no RFC 2231 `*`, no backslash, no `;` inside quotes) is split here as the
    stdlib splits it; anything else goes to the stdlib (tests/test_message.py and
    tests/test_mime.py compare the two on every part of the corpus)."""
    value = raw_field(part, "content-type")
    if value is None or name not in value.lower():
        return None
    if value.isascii() and "*" not in value and "\\" not in value:
        for segment in value.split(";"):
            if segment.count('"') % 2:
                return part.get_param(name)  # a quoted ";": the stdlib's splitting
            key, _, found = segment.partition("=")
            if key.strip().lower() == name:
                return unquote(found.strip())
        return None
    return part.get_param(name)


def boundary(part: Message) -> str | None:
    """part.get_boundary(), by param() above."""
    value = param(part, "boundary")
    if isinstance(value, str):
        return unquote(value).rstrip()
    return None if value is None else part.get_boundary()


def _new(parent: Message | None, parent_type: str) -> Message:
    msg = Message(policy=compat32)
    if parent is not None:
        if parent_type == "multipart/digest":
            msg.set_default_type("message/rfc822")
        parent.attach(msg)
    return msg


def _entity(
    text: str, start: int, end: int, parent: Message | None, parent_type: str, depth: int
) -> tuple[Message, Message, bool]:
    """(the entity in text[start:end], the last Message created in it, is that multipart)."""
    if depth > _MAX_DEPTH:
        raise _Decline
    msg = _new(parent, parent_type)
    body = _headers(text, start, end, msg)
    ctype = content_type(msg)
    if ctype == "message/delivery-status":
        return msg, _status_blocks(text, body, end, msg), False
    maintype = ctype.partition("/")[0]
    if maintype == "message":
        _, last, last_multi = _entity(text, body, end, msg, ctype, depth + 1)
        return msg, last, last_multi
    if maintype == "multipart":
        _multipart(text, body, end, msg, ctype, depth)
        return msg, msg, True
    msg._payload = text[body:end]  # type: ignore[attr-defined]
    return msg, msg, False


def _status_blocks(text: str, start: int, end: int, msg: Message) -> Message:
    """message/delivery-status: blocks of fields, each ended by a blank line."""
    pos = start
    while True:
        block = _new(msg, "message/delivery-status")
        stop = pos
        while stop < end:
            nl = text.find("\n", stop, end)
            if nl == stop:
                break  # the blank line that ends this block
            stop = end if nl < 0 else nl + 1
        _headers(text, pos, stop, block)
        if "content-type" in block and block.get_content_maintype() in ("message", "multipart"):
            raise _Decline  # such a block would be parsed as a part of its own
        block._payload = ""  # type: ignore[attr-defined]
        pos = stop + 1  # the blank line is consumed; EOF after it ends the part
        if pos >= end:
            return block


def _is_boundary_line(text: str, pos: int, end: int, sep: str) -> tuple[bool, bool, int]:
    """(is a boundary line, is the close boundary, offset after the line) at pos."""
    after = pos + len(sep)
    nl = text.find("\n", after, end)
    line_end = end if nl < 0 else nl
    tail = text[after:line_end].rstrip(" \t")
    if tail and tail != "--":
        return False, False, 0
    return True, tail == "--", (line_end + 1 if nl >= 0 else end)


def _multipart(text: str, start: int, end: int, msg: Message, ctype: str, depth: int) -> None:
    found = boundary(msg)
    if found is None:
        raise _Decline  # NoBoundaryInMultipartDefect
    cte = str(msg.get("content-transfer-encoding", "8bit")).lower()
    if cte not in ("7bit", "8bit", "binary"):
        raise _Decline  # InvalidMultipartContentTransferEncodingDefect
    sep = "--" + found
    # every boundary line of this multipart, in order: (line start, close?, after line)
    lines: list[tuple[int, bool, int]] = []
    pos = start
    while True:
        if pos == start and text.startswith(sep, start, end):
            hit = start
        else:
            hit = text.find("\n" + sep, pos, end)
            if hit < 0:
                break
            hit += 1
        ok, close, after = _is_boundary_line(text, hit, end, sep)
        if ok:
            lines.append((hit, close, after))
            if close:
                break
        pos = max(hit + 1, after - 1) if ok and after > hit else hit + 1
        if pos >= end:
            break
    if not lines or lines[0][1]:
        raise _Decline  # StartBoundaryNotFoundDefect
    closed = lines[-1][1]
    if not closed:
        # truncated or broken mail: like the feedparser, the last part runs to the
        # end of the enclosing entity, and the multipart records the defect
        lines.append((end, True, end))
    first = lines[0][0]
    if first > start:
        msg.preamble = text[start : first - 1] if text[first - 1] == "\n" else text[start:first]
    for (_, _, part_start), (next_line, _, _) in pairwise(lines):
        if next_line <= part_start and (closed or next_line < end):
            raise _Decline  # doubled boundary lines: the stdlib skips them
        _, last, last_multi = _entity(text, part_start, next_line, msg, ctype, depth + 1)
        _trim_last_eol(last, last_multi)
    if closed:
        msg.epilogue = text[lines[-1][2] : end]
    else:
        msg.defects.append(errors.CloseBoundaryNotFoundDefect())


def _trim_last_eol(last: Message, multipart: bool) -> None:
    # RFC 2046: the line break before a boundary belongs to the boundary
    if multipart:
        epilogue = last.epilogue
        if epilogue == "":
            last.epilogue = None
        elif epilogue is not None and epilogue.endswith("\n"):
            last.epilogue = epilogue[:-1]
    else:
        payload = last._payload  # type: ignore[attr-defined]
        if isinstance(payload, str) and payload.endswith("\n"):
            last._payload = payload[:-1]  # type: ignore[attr-defined]
