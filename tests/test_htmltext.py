"""HTML-only mail as text: the regex scan gives exactly what html.parser gives."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from inbox_worker.reading import htmltext
from tests.corpus import corpus_files

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
DEMO = Path(__file__).parents[1] / "inbox_worker" / "demo_mail"


def both_ways(html: str) -> tuple[str, str]:
    cleaned = htmltext._DROP_RE.sub(" ", html)
    fast = htmltext._layout(htmltext._chunks_fast(cleaned))
    reference = htmltext._layout(htmltext._chunks_parser(cleaned))
    return fast, reference


def html_parts() -> list[str]:
    parts = []
    for path in [*FIXTURES.glob("*.eml"), *DEMO.glob("*.eml"), *corpus_files()]:
        msg = message_from_bytes(path.read_bytes(), policy=policy.compat32)
        for part in msg.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    parts.append(payload.decode(part.get_content_charset() or "utf-8", "replace"))
    return parts


def test_the_scan_equals_html_parser_on_real_mail() -> None:
    parts = html_parts()
    assert parts  # the demo mail alone has HTML parts
    for html in parts:
        fast, reference = both_ways(html)
        assert fast == reference


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<P>Hallo&nbsp;daar</P><BR/>Groet", "Hallo daar\n\nGroet"),
        (
            "<blockquote>Op di schreef X:<br>vraag</blockquote>mijn antwoord",
            "> Op di schreef X:\n> vraag\nmijn antwoord",
        ),
        ("<style>p{}</style><p>a &lt; b &amp; c</p>", "a < b & c"),
        ("5 < 6 en <b>vet</b>", "5 < 6 en vet"),
        ("<table><tr><td>optie</td><td>2</td></tr></table>", "optie 2"),
        (
            '<p class="x" style="a:b">Hoi</p><img src="a.png"/><a href="x?a=1&b=2">link</a>',
            "Hoi\nlink",
        ),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert htmltext.html_to_text(html) == text
    assert both_ways(html)[0] == both_ways(html)[1]


TAGS = st.sampled_from(["p", "div", "br", "blockquote", "b", "td", "tr", "span", "li", "P", "Br"])
PIECES = st.one_of(
    TAGS.map(lambda t: f"<{t}>"),
    TAGS.map(lambda t: f"</{t}>"),
    TAGS.map(lambda t: f"<{t}/>"),
    TAGS.map(lambda t: f"<{t} class=\"c\" data-x='1'>"),
    st.sampled_from(["&amp;", "&nbsp;", "&#233;", "&lt;", " ", "\n", "<", "tekst", "é"]),
)


@given(st.lists(PIECES, max_size=40))
def test_the_scan_equals_html_parser_on_generated_markup(pieces: list[str]) -> None:
    html = "".join(pieces)
    # Unbalanced markup ("<tekst<p>") never reaches the scan: html_to_text hands it
    # to html.parser, whose rules for an unclosed tag the scan does not copy.
    assume(html.count("<") == html.count(">"))
    fast, reference = both_ways(html)
    assert fast == reference
    assert htmltext.html_to_text(html) == reference
