"""addresses: the fast shapes answer exactly what email.utils answers."""

from __future__ import annotations

import os
from email import message_from_bytes
from email.policy import compat32
from email.utils import getaddresses, parseaddr
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from inbox_worker.reading.addresses import _simple, address_list, parse_address

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
CORPUS = Path(
    os.environ.get("INBOX_WORKER_CORPUS") or Path(__file__).parents[2] / "shared" / "corpus"
)
SHAPES = [
    "a@example.nl",
    "  <A.B@Example.NL> ",
    "Jan de Vries <jan@example.nl>",
    "J. de  Vries\n <j@example.nl>",
    '"Brink, Marloes" <m.brink@zwolle.nl>',
    '""<x@y.z>',
    "=?utf-8?q?Jos=C3=A9?= <j@example.nl>",
    "José de Wit <j.dewit@example.nl>",
    "Name <a@b> (comment)",
    "Group: a@b, c@d;",
    '"quoted\\"name" <a@b.c>',
    "<@route:a@b.c>",
    "a@[127.0.0.1]",
    "a..b@c.d",
    "",
]


def _values() -> list[str]:
    files = list(FIXTURES.glob("*.eml"))
    if CORPUS.is_dir():
        files += [p for p in CORPUS.rglob("*") if p.suffix in (".eml", ".txt")]
    out = list(SHAPES)
    for path in files:
        msg = message_from_bytes(path.read_bytes(), policy=compat32)
        for name, value in msg.raw_items():
            if name.lower() in ("from", "to", "cc", "sender", "return-path", "reply-to"):
                out.append(str(value))
    return out


def _same(value: str) -> None:
    assert parse_address(value) == parseaddr(value), value
    fast = [a for a in address_list([value]) if a and "@" in a]
    slow = [a for _, a in getaddresses([value]) if a and "@" in a]
    assert fast == slow, value


def test_real_header_values_agree() -> None:
    values = _values()
    for value in values:
        _same(value)
    # the fast path must stay live for ordinary From headers
    assert sum(_simple(v) is not None for v in values) >= 0.7 * len(values)


_alphabet = st.sampled_from([*'aZ.@<>" ,;:()[]\\\t\n-é=?', "ab", "x@y.nl", "<a@b.c>"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_alphabet, max_size=14).map("".join))
def test_generated_values_agree(value: str) -> None:
    _same(value)
