"""Our own words inside a message: recognise them, remove them, read what they offered (pure).

People quote our mail in every way there is: with `> `, with `| `, Notes-style
with tabs, re-wrapped, or pasted with no attribution line at all, above or
below their own text. Whatever the quoting, nothing we wrote may act: the
example "Optie 1, 2 deelnemers" in our offer is not a choice. So the new text
is compared line by line with what we sent (the bodies of our stored replies
to that person, and our templates as rendered with the organiser's settings)
and every line that is ours is removed before the message is read.

A line counts as ours when, normalised (quote marks, bullets, link targets
and case removed), it is long enough to be unmistakable and occurs in our
text; a short line only when it is marked as quoted or sits between lines of
ours (a "Locatie: Utrecht" inside a pasted confirmation). A person's own short
line, such as a bare "Optie 1, 2 deelnemers" typed as their answer, stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..model import OfferedSession
from .mentions import day_months

MIN_OURS = 30  # characters of a normalised line that make it unmistakably ours
MIN_QUOTED = 8  # a quoted line this long that occurs in our text is ours

_BULLET_RE = re.compile(r"^(?:[*\-•·]|\d+\.)\s+")
_LINK_RE = re.compile(r"<(?:https?://|mailto:)[^>]*>")
_OPTION_RE = re.compile(r"^(?:optie|option)\s+(\d{1,2})\s*[:.)]\s*(.+)$")
_DECOR = str.maketrans({c: " " for c in "*_\"'“”„‘’`\ufeff\u00a0"})


def normalise(line: str) -> str:
    """A line as compared with our text: no quote marks, bullets, link targets,
    emphasis or quotation marks; blanks collapsed; lower case."""
    line = line.lstrip(" \t>|\ufeff")
    if line[:1] in _BULLET_START:
        line = _BULLET_RE.sub("", line)
    if "<" in line:
        line = _LINK_RE.sub("", line)
    return " ".join(line.translate(_DECOR).split()).lower()


_BULLET_START = frozenset("*-•·0123456789")
SHINGLE = 12  # characters: a line of ours starts and ends with pieces of our text this long


class OurWords:
    """The text we wrote, normalised into searchable strings."""

    def __init__(self, texts: Iterable[str]) -> None:
        lines = (normalise(line) for text in texts for line in text.splitlines())
        # Joined with blanks, so a line re-wrapped across two of ours still matches.
        blob = " ".join(line for line in lines if line)
        # With every piece of SHINGLE characters of it: most lines of a message
        # are not ours, and a set lookup says so without searching the text.
        shingles = frozenset(blob[i : i + SHINGLE] for i in range(len(blob) - SHINGLE + 1))
        self.parts: tuple[tuple[str, frozenset[str]], ...] = ((blob, shingles),) if blob else ()

    def with_texts(self, texts: Iterable[str]) -> OurWords:
        """These words plus more (the replies one person received)."""
        more = OurWords(texts)
        if not more.parts:
            return self
        joined = OurWords(())
        joined.parts = self.parts + more.parts
        return joined

    def contains(self, normalised: str) -> bool:
        n = normalised
        if not n:
            return False
        long = len(n) >= SHINGLE
        return any(
            (not long or (n[:SHINGLE] in shingles and n[-SHINGLE:] in shingles)) and n in blob
            for blob, shingles in self.parts
        )

    def strip(self, text: str) -> tuple[str, int]:
        """text without the lines that are ours, and how many lines were removed."""
        lines = text.splitlines()
        normal = [normalise(line) for line in lines]
        found = [self.contains(n) for n in normal]
        ours = [
            hit and (len(n) >= MIN_OURS or (len(n) >= MIN_QUOTED and _quoted(line)))
            for line, n, hit in zip(lines, normal, found, strict=True)
        ]
        filled = list(ours)
        for i, n in enumerate(normal):
            if not ours[i] and n and found[i] and _between(ours, normal, i):
                filled[i] = True
        removed = sum(filled)
        if not removed:
            return text, 0
        kept = [line for line, gone in zip(lines, filled, strict=True) if not gone]
        return "\n".join(kept).strip("\n"), removed


def _quoted(line: str) -> bool:
    return line.lstrip().startswith((">", "|"))


def _between(ours: Sequence[bool], normal: Sequence[str], i: int) -> bool:
    """Whether the nearest non-empty lines before and after line i are ours."""
    before = next((ours[j] for j in range(i - 1, -1, -1) if normal[j]), False)
    after = next((ours[j] for j in range(i + 1, len(normal)) if normal[j]), False)
    return before and after


def quoted_offer(text: str, sessions: Sequence[OfferedSession]) -> tuple[OfferedSession, ...]:
    """The numbering of an offer of ours quoted in text ("Optie 2: donderdag 4
    februari 2027, ..."), resolved against sessions by day and month; () when
    no quoted option line names a known session. The first (newest) quoted
    offer's number wins when a thread quotes several."""
    by_day = {(s.starts.day, s.starts.month): s for s in sessions}
    found: dict[int, OfferedSession] = {}
    for line in text.splitlines():
        m = _OPTION_RE.match(normalise(line))
        if m is None:
            continue
        session = _one_session(day_months(m.group(2)), by_day)
        if session is not None:
            number = int(m.group(1))
            found.setdefault(
                number, OfferedSession(number, session.session_id, session.starts, session.location)
            )
    return tuple(found[n] for n in sorted(found))


def quoted_session(
    text: str, new_text: str, offered: Sequence[OfferedSession]
) -> OfferedSession | None:
    """The offered session named first in the quoted part of text (what is not
    in new_text): the session our quoted confirmation or reminder is about."""
    by_day = {(o.starts.day, o.starts.month): o for o in offered}
    new = {normalise(line) for line in new_text.splitlines()}
    for line in text.splitlines():
        n = normalise(line)
        if n and n not in new:
            found = _one_session(day_months(n), by_day)
            if found is not None:
                return found
    return None


def _one_session(
    days: set[tuple[int, int]], by_day: dict[tuple[int, int], OfferedSession]
) -> OfferedSession | None:
    """The session held on the one day of days that has one, else None."""
    matches = {by_day[d] for d in days if d in by_day}
    return matches.pop() if len(matches) == 1 else None
