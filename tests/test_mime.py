"""mime.parse_fast builds exactly the tree the stdlib's compat32 feedparser builds.

The fast parser is only an optimisation: wherever it answers, its tree must be
identical (headers as stored, payloads, preamble, epilogue, default types,
unix-from, defects) to `email.message_from_bytes(raw, policy=compat32)`, and it
must decline (return None) rather than guess on mail the stdlib reads with a
defect. Checked on every fixture, the whole shared corpus when present, and
generated multipart structures.
"""

from __future__ import annotations

import os
from email import message_from_bytes
from email.message import Message
from email.policy import compat32
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox_worker.reading.message import MAX_BODY_PARSE_BYTES, _normalise
from inbox_worker.reading.mime import boundary, parse_fast

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
DEMO = Path(__file__).parents[1] / "inbox_worker" / "demo_mail"
CORPUS = Path(
    os.environ.get("INBOX_WORKER_CORPUS") or Path(__file__).parents[2] / "shared" / "corpus"
)


def tree(msg: Message) -> tuple[object, ...]:
    payload = msg._payload  # type: ignore[attr-defined]
    return (
        msg._headers,  # type: ignore[attr-defined]
        msg.get_default_type(),
        msg.preamble,
        msg.epilogue,
        msg.get_unixfrom(),
        [type(d).__name__ for d in msg.defects],
        [tree(p) for p in payload] if isinstance(payload, list) else payload,
    )


def _prepared(raw: bytes) -> bytes:
    # parse() hands the fast parser normalised, capped bytes; compare on the same input
    return _normalise(raw)[0][:MAX_BODY_PARSE_BYTES]


def _agree(raw: bytes) -> bool:
    """Assert agreement; True when the fast parser answered (did not decline)."""
    fast = parse_fast(raw)
    if fast is None:
        return False
    assert tree(fast) == tree(message_from_bytes(raw, policy=compat32))
    return True


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".eml", ".txt"))


@pytest.mark.parametrize("path", _files(FIXTURES) + _files(DEMO), ids=lambda p: p.name)
def test_fast_tree_equals_stdlib_tree_on_fixtures(path: Path) -> None:
    _agree(_prepared(path.read_bytes()))


def test_fast_path_is_taken_for_ordinary_mail() -> None:
    # the optimisation must stay live: well-formed fixtures do not fall back
    taken = [_agree(_prepared(p.read_bytes())) for p in _files(FIXTURES) + _files(DEMO)]
    assert sum(taken) >= 0.9 * len(taken)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")
def test_fast_tree_equals_stdlib_tree_on_the_corpus() -> None:
    files = _files(CORPUS)
    taken = sum(_agree(_prepared(p.read_bytes())) for p in files)
    assert taken >= 0.85 * len(files)  # the rest is malformed mail


def test_a_missing_close_boundary_is_read_as_the_stdlib_reads_it() -> None:
    # truncated mail (parse() cuts at MAX_BODY_PARSE_BYTES) mostly looks like this
    for raw in (
        b"Content-Type: multipart/mixed; boundary=b\n\n--b\n\nhello\n",
        b"Content-Type: multipart/mixed; boundary=b\n\npre\n--b\n\nx\n--b\n\ny",
        b"Content-Type: multipart/mixed; boundary=b\n\n--b\n",
        b"Content-Type: multipart/mixed; boundary=a\n\n--a\n"
        b"Content-Type: multipart/alternative; boundary=b\n\n--b\n\ninner\n--a\n\nlast\n--a--\n",
    ):
        assert _agree(raw)
        fast = parse_fast(raw)
        assert fast is not None
        assert any(
            type(d).__name__ == "CloseBoundaryNotFoundDefect"
            for p in fast.walk()
            for d in p.defects
        )


def test_declines_what_the_stdlib_reads_with_a_defect() -> None:
    doubled_at_end = b"Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n"
    no_start = b"Content-Type: multipart/mixed; boundary=b\n\nhello\n--b--\n"
    no_boundary = b"Content-Type: multipart/mixed\n\nhello\n"
    no_colon = b"Subject: x\nnot a header\n\nbody\n"
    continuation_first = b" folded\nSubject: x\n\nbody\n"
    for raw in (doubled_at_end, no_start, no_boundary, no_colon, continuation_first):
        assert parse_fast(raw) is None
        assert message_from_bytes(raw, policy=compat32).defects or any(
            p.defects for p in message_from_bytes(raw, policy=compat32).walk()
        )


_line = st.text(alphabet="ab -:\t=", max_size=12)
_boundaries = st.sampled_from(["b", "b1", "==x==", "b b", "b-", "_Part_1"])


@st.composite
def entities(draw: st.DrawFn, depth: int = 0) -> str:
    """A MIME entity with the irregularities real mail has: blank lines around
    boundaries, look-alike boundary lines, whitespace after boundaries, preamble and
    epilogue text, nested multiparts, delivery-status blocks and attached messages."""
    kind = draw(st.sampled_from(["text", "multipart", "rfc822", "dsn"] if depth < 3 else ["text"]))
    extra = "".join(
        draw(st.lists(st.sampled_from(["X-A: 1\n", "X-B:\n folded\n", "X-C:  sp \n\t tab\n"])))
    )
    if kind == "text":
        body = "\n".join(draw(st.lists(_line, max_size=4)))
        ctype = draw(st.sampled_from(["", "Content-Type: text/plain\n", "Content-Type: text\n"]))
        return f"{ctype}{extra}\n{body}"
    if kind == "rfc822":
        inner = draw(entities(depth + 1))  # type: ignore[call-arg]
        return f"Content-Type: message/rfc822\n{extra}\n{inner}"
    if kind == "dsn":
        blocks = draw(st.lists(st.sampled_from(["A: 1\n", "B: 2\nC: 3\n", "\n", "D: x\n y\n"])))
        return "Content-Type: message/delivery-status\n\n" + "\n".join(blocks)
    boundary = draw(_boundaries)
    subtype = draw(st.sampled_from(["mixed", "alternative", "digest", "report"]))
    parts = draw(st.lists(entities(depth + 1), min_size=1, max_size=3))  # type: ignore[call-arg]
    blank = draw(st.sampled_from(["", "\n"]))
    trail = draw(st.sampled_from(["", " ", "\t", "--x"]))
    out = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\n{extra}\n'
    out += draw(st.sampled_from(["", "preamble\n", "--bx\n"]))
    for part in parts:
        out += f"--{boundary}{trail if trail != '--x' else ''}\n{part}\n{blank}"
    # a missing close boundary (truncated mail) ends the multipart at its parent's end
    out += draw(st.sampled_from([f"--{boundary}--", ""]))
    out += draw(st.sampled_from(["", "\n", "\nepilogue\n", "\n\n"]))
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entities())
def test_fast_tree_equals_stdlib_tree_on_generated_mime(text: str) -> None:
    _agree(text.encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_fast_parser_never_disagrees_on_arbitrary_bytes(raw: bytes) -> None:
    _agree(_normalise(raw)[0])


_BOUNDARY_VALUES = [
    "multipart/mixed",
    "multipart/mixed; boundary=b1",
    'multipart/mixed; boundary="==x==  "',
    'multipart/mixed;\n\tboundary="----=_Part_1"; charset=utf-8',
    "multipart/mixed; boundary=",
    "multipart/mixed; boundary",
    'multipart/mixed; boundary=""b""',
    'multipart/mixed; boundary="a;b"',
    'multipart/mixed; boundary="a\\\\"b"',
    "multipart/mixed; boundary*=us-ascii''b1",
    "multipart/mixed; BOUNDARY = <b1> ;",
    "multipart/mixed; boundary=b\xe91",
]


@pytest.mark.parametrize("value", _BOUNDARY_VALUES)
def test_boundary_shortcut_equals_get_boundary(value: str) -> None:
    part = Message(policy=compat32)
    part["Content-Type"] = value
    assert boundary(part) == part.get_boundary(), value


def test_boundary_shortcut_equals_get_boundary_on_real_mail() -> None:
    roots = [FIXTURES, CORPUS] if CORPUS.is_dir() else [FIXTURES]
    for path in (p for root in roots for p in _files(root)):
        msg = message_from_bytes(_prepared(path.read_bytes()), policy=compat32)
        for part in msg.walk():
            assert boundary(part) == part.get_boundary(), path


def test_raw_field_finds_the_first_field_in_any_case() -> None:
    from inbox_worker.reading.mime import raw_field

    part = Message(policy=compat32)
    part._headers = [  # type: ignore[attr-defined]
        ("Content-Typ", "a"),
        ("Content-Types", "b"),
        ("\u212aey", "kelvin"),
        ("CONTENT-TYPE", "c"),
        ("content-type", "d"),
    ]
    assert raw_field(part, "content-type") == "c"
    assert raw_field(part, "key") == "kelvin"  # "\u212a".lower() == "k"
    assert raw_field(part, "content-typ") == "a"
    assert raw_field(part, "to") is None
