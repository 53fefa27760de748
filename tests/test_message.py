"""message.parse: decoding, line endings, quoted history, signatures, DSNs, limits, fuzzing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbox_worker.reading import decoding, message, quoting
from inbox_worker.reading.message import parse

FIXTURES = Path(__file__).parent / "fixtures" / "mail"


def load(name: str) -> message.ParsedMessage:
    return parse((FIXTURES / name).read_bytes())


def test_headers_are_decoded_and_sender_normalised() -> None:
    msg = load("inquiry_html.eml")
    assert msg.from_addr == "j.dewit@example.nl"
    assert msg.from_name == "José de Wit"
    assert msg.subject == "Informatie workshop"
    assert msg.header("Content-Type").startswith("text/html")


def test_html_only_mail_is_converted_without_style() -> None:
    msg = load("inquiry_html.eml")
    assert msg.html_only
    assert "color:red" not in msg.text
    assert "Ik werk bij de gemeente Utrecht" in msg.new_text
    assert msg.signature.startswith("Met vriendelijke groet")
    assert "José de Wit" in msg.signature


@pytest.mark.parametrize(
    ("fixture", "in_new", "not_in_new"),
    [
        ("date_choice_number.eml", "Optie 2 graag", "Optie 3: woensdag"),  # Outlook Van:/Verzonden:
        ("date_choice_gmail.eml", "second option", "Option 1: Tuesday"),  # On ... wrote: + ">"
        ("date_choice_doubt.eml", "twijfel", "Op di 1 dec."),  # Op ... schreef ...:
        ("cancellation_nl.eml", "kan ik niet meer komen", "Anne Visser"),  # sign-off block
    ],
)
def test_quoted_history_and_signature_are_split_off(
    fixture: str, in_new: str, not_in_new: str
) -> None:
    msg = load(fixture)
    assert in_new in msg.new_text
    assert not_in_new not in msg.new_text


def test_signature_holds_the_sign_off_block() -> None:
    msg = load("date_choice_number.eml")
    assert msg.signature.splitlines()[0] == "Groet,"
    assert "Gemeente Zwolle" in msg.signature


def test_forwarded_inquiry_is_unwrapped() -> None:
    msg = load("forwarded.eml")
    assert msg.forwarded_from_addr == "s.dejong@example.nl"
    assert msg.forwarded_from_name == "Sanne de Jong"
    assert "Is er nog plek" in msg.new_text
    assert "Provincie Voorbeeld" in msg.signature


@pytest.mark.parametrize(
    ("fixture", "recipients", "status", "permanent"),
    [
        ("bounce_dsn.eml", ("jan.jansen@example.com",), "5.1.1", True),
        ("bounce_delayed.eml", ("piet@example.com",), "4.4.1", False),
        ("bounce_exchange_nl.eml", ("k.devries@gemeente.example",), "5.1.10", True),
    ],
)
def test_delivery_reports_are_read(
    fixture: str, recipients: tuple[str, ...], status: str, permanent: bool
) -> None:
    dsn = load(fixture).dsn
    assert dsn is not None
    assert dsn.recipients == recipients
    assert dsn.status == status
    assert dsn.permanent is permanent


def test_null_return_path_is_empty_string_and_missing_is_none() -> None:
    assert load("bounce_dsn.eml").return_path == ""
    assert load("auto_header.eml").return_path is None


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_line_endings(ending: bytes) -> None:
    raw = ending.join(
        [b"From: Jan <JAN@Example.NL>", b"Subject: Hoi", b"", b"Regel een", b"Regel twee"]
    )
    msg = parse(raw)
    assert msg.from_addr == "jan@example.nl"
    assert msg.subject == "Hoi"
    assert msg.text.split("\n") == ["Regel een", "Regel twee"]


def test_cr_only_fixture() -> None:
    msg = load("cr_only.eml")
    assert msg.subject == "CR only"
    assert "Is er nog plek" in msg.new_text


def test_header_injection_is_folded_away() -> None:
    msg = load("injection.eml")
    assert "\r" not in msg.subject and "\n" not in msg.subject
    assert "\r" not in msg.from_name and "\n" not in msg.from_name
    assert msg.subject == "Hi X-Injected: yes"


def test_broken_charset_and_8bit_headers_do_not_raise() -> None:
    msg = load("broken_charset.eml")
    assert msg.from_name == "émile"
    assert msg.subject.startswith("Caf")
    assert "Bonjour" in msg.text


def test_leading_blank_line_still_finds_headers() -> None:
    msg = parse(b"\nFrom: a@example.com\nSubject: x\n\nbody\n")
    assert msg.from_addr == "a@example.com"
    assert "leading-whitespace" in msg.defects


def test_resource_limit_raises_value_error() -> None:
    with pytest.raises(ValueError, match="too large"):
        parse(b"Subject: x\n\n" + b"a" * (message.MAX_RAW_BYTES + 1))


def test_oversized_body_is_truncated_not_refused() -> None:
    msg = parse(b"Subject: x\n\n" + b"a" * (message.MAX_BODY_PARSE_BYTES + 10))
    assert "truncated" in msg.defects


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@st.composite
def raw_messages(draw: st.DrawFn) -> bytes:
    charset = draw(st.sampled_from(["utf-8", "iso-8859-1", "x-unknown", "bogus", "utf-16"]))
    word = draw(_text).encode("utf-8", "replace")
    encoded = b"=?" + charset.encode() + b"?Q?" + word.replace(b"?", b"=3F") + b"?="
    crlf = draw(st.sampled_from([b"=0D=0A", b"\r\n", b"\n", b"\r", b""]))
    name = draw(_text).encode("utf-8", "replace")
    boundary = draw(st.sampled_from([b"b", b"", b'"b"', b"x y"]))
    depth = draw(st.integers(0, 4))
    body = draw(st.binary(max_size=200))
    for _ in range(depth):
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + boundary
            + b'"\n\n--'
            + boundary
            + b"\nContent-Type: text/plain\n\n"
            + body
            + b"\n--"
            + boundary
            + b"--\n"
        )
    headers = [
        b"From: " + encoded + crlf + b" " + name + b" <a@b.c>",
        b"Subject: " + encoded + crlf + encoded,
        b"To: " + draw(st.binary(max_size=40)),
        b"Date: " + draw(st.binary(max_size=30)),
    ]
    eol = draw(st.sampled_from([b"\n", b"\r\n", b"\r"]))
    return (
        eol.join(headers)
        + eol
        + b"Content-Type: text/plain; charset="
        + charset.encode()
        + eol
        + eol
        + body
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_messages())
def test_fuzz_parse_never_crashes_and_never_leaks_newlines(raw: bytes) -> None:
    msg = parse(raw)
    for value in (msg.subject, msg.from_name, msg.forwarded_from_name):
        assert "\r" not in value and "\n" not in value


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes(raw: bytes) -> None:
    msg = parse(raw)
    assert "\n" not in msg.subject


# ---------------------------------------------------------------- fast paths
# Each shortcut in message.py, mime.py and dsn.py must answer exactly what the plain
# (stdlib or regex) path answers; compared on generated values, the fixtures and the
# shared corpus when present.

_CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def _mail_files() -> list[Path]:
    roots = [FIXTURES, Path(__file__).parents[1] / "inbox_worker" / "demo_mail"]
    if _CORPUS.is_dir():
        roots.append(_CORPUS)
    return sorted(p for r in roots for p in r.rglob("*") if p.suffix in (".eml", ".txt"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\r\n\x00\x07\x0b\x1c\x1f\x7f\x85\u2028\u2029\xa0ab=?é", max_size=30))
def test_one_line_equals_the_regex_form(value: str) -> None:
    assert decoding.one_line(value) == decoding._one_line_plain(value)


_DATES = [
    "Tue, 12 Jan 2027 10:12:00 +0100",
    "Tue, 12 Jan 2027 10:12:00 +0100 (CET)",
    "Mon, 3 Feb 2003 08:09:10 -0000",
    "Mon, 3 Feb 2003 08:09:10 +0000",
    "3 Feb 2003 08:09:10 -0530",
    "Sun, 31 Feb 2027 10:12:00 +0100",  # no such day: the same error
    "Sun, 01 Jan 0099 10:12:00 +0100",  # a two-digit year in disguise
    "Sun, 01 Jan 2027 24:00:00 +0100",
    "Sun, 01 Jan 2027 10:00:00 +0199",
    "Sun, 01 Jan 2027 10:00:00 +2500",
    "Xyz, 01 Jan 2027 10:00:00 +0100",
]


@pytest.mark.parametrize("value", _DATES)
def test_parse_date_equals_email_utils(value: str) -> None:
    from email.utils import parsedate_to_datetime

    try:
        expected: object = parsedate_to_datetime(value)
    except Exception as exc:  # the fast path must raise the same kind of error
        expected = type(exc)
    try:
        got: object = decoding.parse_date(value)
    except Exception as exc:
        got = type(exc)
    assert got == expected
    if isinstance(got, decoding.datetime) and isinstance(expected, decoding.datetime):
        assert got.tzinfo == expected.tzinfo


def test_date_and_part_shortcuts_equal_the_stdlib_on_real_mail() -> None:
    from email import message_from_bytes
    from email.policy import compat32
    from email.utils import parsedate_to_datetime

    from inbox_worker.reading.mime import content_type

    for path in _mail_files():
        raw, _ = message._normalise(path.read_bytes())
        tree = message_from_bytes(raw[: message.MAX_BODY_PARSE_BYTES], policy=compat32)
        for part in tree.walk():
            assert content_type(part) == part.get_content_type(), path
            for name in ("charset", "report-type", "boundary"):
                assert message._param(part, name) == part.get_param(name), path
            assert message._charset(part) == part.get_content_charset(), path
        date = tree.get("date")
        if isinstance(date, str):
            try:
                expected: object = parsedate_to_datetime(date)
            except Exception as exc:
                expected = type(exc)
            try:
                got: object = decoding.parse_date(date)
            except Exception as exc:
                got = type(exc)
            assert got == expected, path


_CONTENT_TYPES = [
    "text/plain",
    "text/plain; charset=utf-8",
    'text/plain; charset="UTF-8"; format=flowed',
    'text/plain;\n\tcharset="iso-8859-1"',
    "text/plain; CHARSET = Windows-1252 ;",
    "text/plain; charset",
    "text/plain; charset=",
    'text/plain; charset=""',
    "text/plain; charset=<utf-8>",
    'text/plain; name="a;b"; charset=utf-8',
    'text/plain; name="a\\"b"; charset=utf-8',
    "text/plain; charset*=us-ascii'en'utf-8",
    "text/plain; charset*0=utf; charset*1=-8",
    "charset=utf-8",
    'multipart/report; report-type=delivery-status; boundary="b;1"',
    'multipart/report; Report-Type="Delivery-Status"; boundary=x',
    "text/plain; charset=ut\xe9f-8",
    "text/plain;; charset=utf-8;;",
]


@pytest.mark.parametrize("value", _CONTENT_TYPES)
def test_param_shortcut_equals_the_stdlib_on_odd_values(value: str) -> None:
    from email.message import Message
    from email.policy import compat32

    part = Message(policy=compat32)
    part["Content-Type"] = value
    for name in ("charset", "report-type", "boundary", "format"):
        assert message._param(part, name) == part.get_param(name), (value, name)
    assert message._charset(part) == part.get_content_charset(), value


def test_addresses_found_in_linear_time_are_the_regex_findall() -> None:
    from inbox_worker.reading import dsn

    samples = [
        "a@b.cd-e!f@g.hi",
        "a@b.c.!x@y.z",
        "x" * 3000 + " mailer-daemon@example.com",
        "<user@example.com>; rfc822;other@example.org.",
        "@@a@b.c@d.e",
    ]
    samples += [p.read_text("latin-1")[:8000] for p in _mail_files()]
    for text in samples:
        assert dsn.find_addresses(text) == dsn.ADDR_RE.findall(text)
        m = dsn.ADDR_RE.search(text)
        assert dsn.first_address(text) == (m.group(0) if m else "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.@-_!x1 \n", max_size=40))
def test_find_addresses_equals_findall_on_generated_text(text: str) -> None:
    from inbox_worker.reading import dsn

    assert dsn.find_addresses(text) == dsn.ADDR_RE.findall(text)


def test_status_patterns_equal_their_look_behind_first_forms() -> None:
    import re

    from inbox_worker.reading import dsn

    status = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")
    smtp = re.compile(r"(?<!\d)([45])\d\d[ -]")
    samples = ["5.1.1", "x5.1.1", "15.1.1", ".5.1.1", "4.4.7 delayed", "550 5.1.1 no", "2550 x"]
    samples += [p.read_text("latin-1")[:20000] for p in _mail_files()]
    for text in samples:
        for fast, plain in ((dsn.STATUS_RE, status), (dsn.SMTP_REPLY_RE, smtp)):
            a, b = fast.search(text), plain.search(text)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def _signature_cases() -> list[tuple[list[str], str]]:
    sign_off = ["Met vriendelijke groet,", "", "Anna de Vries", "Gemeente Zwolle"]
    cases: list[tuple[list[str], str]] = [
        ([], ""),
        ([""], "Anna de Vries"),
        (["Hoi,", "", "Graag sessie 2.", "-- ", "Anna"], ""),
        (["Hoi,", "--\t", "Anna"], ""),
        (["Hoi,", "---", "Anna de Vries"], "Anna de Vries"),
        (["Anna de Vries"], "Anna de Vries"),
    ]
    # a closing formula counts only among the last MAX_SIGNATURE_LINES + 1 lines
    for n in range(10, 20):
        body = [f"regel {k}" for k in range(n)]
        cases.append((["Hoi,", *sign_off[:1], *body], "Anna de Vries"))
        cases.append((["Hoi,", "", *body, "", *sign_off], "Anna de Vries"))
        cases.append((["Hoi,", *body, "Anna de Vries", "Gemeente Zwolle"], "Anna de Vries"))
    for path in _mail_files():
        try:
            msg = parse(path.read_bytes())
        except ValueError:
            continue
        lines = msg.text.split("\n")
        head = lines[: quoting.find_quote_start(lines)]
        cases += [(lines, msg.from_name), (head, msg.from_name), (head, "")]
    return cases


def test_signature_scan_equals_the_line_by_line_form() -> None:
    for lines, hint in _signature_cases():
        expected = quoting._find_signature_start_plain(lines, hint)
        assert quoting.find_signature_start(lines, hint) == expected, (lines[:3], hint)


_CANDIDATE_ODD_LINES = [
    "",
    "   ",
    "İ x",
    "ı",
    "DEN HAAG",
    "Den Haag",
    "d.",
    "d.d. 12",
    "dnes",
    "dne 5.",
    "W DNIU 5",
    "från",
    "FRÅN:",
    "\u2028the",
    "\x85on",
    "\xa0op",
    "ilse",
    "il",
    "emma",
    "em,",
    "e",
    "ida",
    "i",
    "fr",
    "forward",
    "forwarded",
    "vanaf",
    "begin",
    "-",
    "> x",
]


def test_factored_candidate_pattern_equals_the_word_list() -> None:
    import re

    plain = re.compile(r"^\s*(?:[-_=*>]|(?:" + quoting.CANDIDATE_WORDS + r")\b)", re.IGNORECASE)
    lines = list(_CANDIDATE_ODD_LINES)
    for path in _mail_files():
        try:
            lines += parse(path.read_bytes()).text.split("\n")
        except ValueError:
            continue
    for line in lines:
        assert bool(quoting._CANDIDATE_RE.match(line)) == bool(plain.match(line)), line


_HEADER_FIELD_PLAIN = (
    r"^\s*[*>]*\s*(from|van|von|de|fra|från|od|sent|verzonden|verstuurd|gesendet|envoyé|"
    r"date|datum|to|aan|an|à|till|til|do|subject|onderwerp|betreft|betreff|objet|asunto|"
    r"ämne|emne|temat|cc|bcc)\s*[*]*\s*:"
)
_FIELD_ODD_LINES = [
    "    ",
    "> > From: a",
    "**Van:** Anna",
    "*Van* *: Anna",
    ">>>   *  To : x",
    "  * * Subject:",
    "Till: x",
    "til:",
    "Betreff: x",
    "Betreft: x",
    "\u2028Aan:",
    "İ: x",
    "On Tue, 5 Jan 2027 at 10:12, Anna <a@b.nl> WROTE:",
    "Op di 5 jan. 2027 om 10:12 schreef Anna de Vries <anna@zwolle.nl>:",
    "Le mar. 5 janv. 2027, Anna a écrit :",
    "Am Di., 5. Jan. 2027 um 10:12 Uhr schrieb Anna:",
    "wrote: x",
    "ſkrev:",
]


def test_header_and_attribution_shortcuts_equal_the_plain_patterns() -> None:
    import re

    plain = re.compile(_HEADER_FIELD_PLAIN, re.IGNORECASE)
    lines = list(_FIELD_ODD_LINES)
    for path in _mail_files():
        try:
            lines += parse(path.read_bytes()).text.split("\n")
        except ValueError:
            continue
    for line in lines:
        got, expected = quoting.HEADER_FIELD_RE.match(line), plain.match(line)
        assert (got and (got.groups(), got.end())) == (
            expected and (expected.groups(), expected.end())
        ), line
        joined = line[:300]
        assert quoting._ATTRIBUTION_VERB.search(joined) == bool(
            quoting.ATTRIBUTION_VERB_RE.search(joined)
        ), line
