"""Address headers: the stdlib's answers, quicker for the shapes mail nearly always has.

Owns `parseaddr` and `getaddresses` for message.py. email.utils walks a header
value one character at a time in Python (about 100 us per From header); one
precompiled regex recognises the plain shapes (`a@b`, `<a@b>`, `Name <a@b>`,
`"Name, Org" <a@b>`) in a few microseconds, and anything else (comments, groups,
quoted local parts, domain literals, encoded commas) goes to email.utils. Where
the fast path answers, it answers exactly what email.utils would: see
tests/test_addresses.py.
"""

from __future__ import annotations

import re
from email.utils import getaddresses, parseaddr

_WS = r"[ \t\r\n]*"
# dot-atom local part and domain, the subset email.utils returns verbatim
_ADDR = (
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)
# an unquoted display-name word: anything but whitespace and RFC 5322 specials
# other than "." (email.utils keeps dots in phrases: "J. de Vries")
_WORD = r"[^ \t\r\n()<>@,:;\"\[\]\\]+"
_SIMPLE_RE = re.compile(
    rf"{_WS}(?:(?P<bare>{_ADDR})"
    rf"|(?:\"(?P<quoted>[^\"\\\r\n]*)\"|(?P<words>{_WORD}(?:[ \t\r\n]+{_WORD})*))?"
    rf"{_WS}<(?P<routed>{_ADDR})>){_WS}"
)
_SPACES_RE = re.compile(r"[ \t\r\n]+")


def _simple(value: str) -> tuple[str, str] | None:
    m = _SIMPLE_RE.fullmatch(value)
    if m is None:
        return None
    if m["bare"] is not None:
        return "", m["bare"]
    if m["quoted"] is not None:
        return m["quoted"], m["routed"]
    words = m["words"]
    # email.utils joins the words of a phrase with single spaces
    return (_SPACES_RE.sub(" ", words) if words else ""), m["routed"]


def parse_address(value: str) -> tuple[str, str]:
    """(display name, address) exactly as email.utils.parseaddr returns them."""
    return _simple(value) or parseaddr(value)


def address_list(values: list[str]) -> list[str]:
    """The addresses (not names) of To-like header values, as email.utils.getaddresses."""
    out: list[str] = []
    for value in values:
        for item in value.split(","):
            if not item.strip(" \t\r\n"):
                continue  # getaddresses yields ("", "") for an empty item
            simple = _simple(item)
            if simple is None:
                return [addr for _, addr in getaddresses(values)]
            out.append(simple[1])
    return out
