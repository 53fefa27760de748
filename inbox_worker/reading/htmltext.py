"""HTML -> plain text with the stdlib html.parser (pure).

Owns the conversion of HTML-only mail into text that the quote and signature
splitter can read: block elements become line breaks, <blockquote> content is
prefixed with "> " (so Gmail and Apple quotes look like classic quoting), and
style, script and head content is dropped. No dependency beyond the stdlib.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_SKIP = frozenset({"style", "script", "head", "title", "xml", "template"})
_BLOCK = frozenset(
    {
        "p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "pre", "section", "article", "header", "footer", "dd", "dt", "address",
    }
)  # fmt: skip
_BQ_OPEN = "\x00bq+\x00"
_BQ_CLOSE = "\x00bq-\x00"
_SPACES = re.compile(r"[ \t\xa0\u200b\u200c\u200d\ufeff]+")


class _Converter(HTMLParser):
    def __init__(self, cell: str = " ") -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skip_depth = 0
        self.cell = cell  # what starts a table cell

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "blockquote":
            self.chunks.append("\n" + _BQ_OPEN + "\n")
        elif tag in _BLOCK:
            self.chunks.append("\n")
        elif tag in ("td", "th"):
            self.chunks.append(self.cell)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "blockquote":
            self.chunks.append("\n" + _BQ_CLOSE + "\n")
        elif tag in _BLOCK and tag != "br":
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.chunks.append(data.replace("\r", " ").replace("\n", " "))


# Pre-cleaning with regexes keeps html.parser fast: it is slow on attribute-heavy tags.
_DROP_RE = re.compile(r"<!--.*?-->|<(style|script|head|title)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_ATTRS_RE = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")


# One pass over the cleaned markup: a tag (name and whether it closes or is
# self-closed), a comment or declaration (skipped), or text. html.parser does the
# same walk character by character, which is most of the cost of HTML-only mail.
# Attributes are skipped as _ATTRS_RE strips them for html.parser.
_TOKEN_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>|<![^>]*>|([^<]+|<)")


def _chunks_fast(html: str, cell: str = " ") -> list[str]:
    """The chunks _Converter collects from html.parser, by a regex scan (attributes and all)."""
    conv = _Converter(cell)
    for closing, tag, self_closed, text in _TOKEN_RE.findall(html):
        if tag:
            tag = tag.lower()
            if closing:
                conv.handle_endtag(tag)
            elif self_closed:
                conv.handle_startendtag(tag, [])
            else:
                conv.handle_starttag(tag, [])
        elif text:
            conv.handle_data(unescape(text))
    return conv.chunks


def _chunks_parser(html: str, cell: str = " ") -> list[str]:
    """The chunks html.parser collects: the reference, and the path for odd markup."""
    html = _ATTRS_RE.sub(r"<\1\2>", html)
    conv = _Converter(cell)
    try:
        conv.feed(html)
        conv.close()
    except Exception:  # html.parser is lenient, but a bad byte must not cost the message
        pass
    return conv.chunks


def html_to_text(html: str) -> str:
    """Readable text of an HTML document; never raises."""
    return _layout(_chunks(html, " "))


def _chunks(html: str, cell: str) -> list[str]:
    html = _DROP_RE.sub(" ", html)
    # CDATA, processing instructions and unclosed tags are left to html.parser,
    # whose rules for them the scan does not copy.
    odd = "<![CDATA[" in html or "<?" in html or html.count("<") != html.count(">")
    return _chunks_parser(html, cell) if odd else _chunks_fast(html, cell)


# Starts a table cell in html_to_fields (a private-use character: never in mail text).
_CELL = "\ue000"


def html_to_fields(html: str) -> str:
    """html_to_text, with a table row of two cells as one "label: value" line: how a
    form's HTML notification lays out its fields. Other rows read as html_to_text."""
    lines = []
    for line in _layout(_chunks(html, _CELL)).split("\n"):
        cells = [c.strip() for c in line.split(_CELL)]
        filled = [c for c in cells if c]
        if len(cells) == 3 and not cells[0] and len(filled) == 2 and not filled[0].endswith(":"):
            lines.append(f"{filled[0]}: {filled[1]}")
        else:
            lines.append(" ".join(filled))
    return "\n".join(lines)


def _layout(chunks: list[str]) -> str:
    lines: list[str] = []
    depth = 0
    blank = True
    for raw_line in "".join(chunks).split("\n"):
        if raw_line == _BQ_OPEN:
            depth += 1
            continue
        if raw_line == _BQ_CLOSE:
            depth = max(0, depth - 1)
            continue
        line = _SPACES.sub(" ", raw_line).strip()
        if not line:
            if not blank:
                lines.append("> " * depth if depth else "")
            blank = True
            continue
        lines.append("> " * depth + line)
        blank = False
    return "\n".join(lines).strip()
