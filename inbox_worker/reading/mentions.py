"""Text -> the offered sessions it names (pure).

Owns finding where a text names one of the sessions we offered, and how: by
option number ("optie 2", a bare "2" on its own line), ordinal ("de tweede"),
date ("4 februari", "12/1"), day of the month, weekday, place or month, each
resolved against the offered sessions; with the words for months, weekdays,
numbers and ordinals, the dates a text names, and the sentences intent is read
in (only the first MAX_INTENT_CHARS). A naming says nothing yet of what the
writer wants with the session: options.py reads that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from ..model import OfferedSession
from .prefilter import NeedleIndex

MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "maart": 3,
    "march": 3, "mrt": 3, "mar": 3, "maa": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6,
    "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "maandag": 0, "monday": 0, "dinsdag": 1, "tuesday": 1, "woensdag": 2, "wednesday": 2,
    "donderdag": 3, "thursday": 3, "vrijdag": 4, "friday": 4, "zaterdag": 5, "saturday": 5,
    "zondag": 6, "sunday": 6,
}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    "een": 1, "één": 1, "one": 1, "twee": 2, "two": 2, "drie": 3, "three": 3, "vier": 4,
    "four": 4, "vijf": 5, "five": 5, "zes": 6, "six": 6, "zeven": 7, "seven": 7, "acht": 8,
    "eight": 8, "negen": 9, "nine": 9, "tien": 10, "ten": 10, "elf": 11, "eleven": 11,
    "twaalf": 12, "twelve": 12, "vijftien": 15, "fifteen": 15, "twintig": 20, "twenty": 20,
}  # fmt: skip
ORDINALS: dict[str, int] = {
    "eerste": 1, "first": 1, "1e": 1, "1ste": 1, "1st": 1, "tweede": 2, "second": 2, "2e": 2,
    "2de": 2, "2nd": 2, "derde": 3, "third": 3, "3e": 3, "3de": 3, "3rd": 3, "vierde": 4,
    "fourth": 4, "4e": 4, "4th": 4, "laatste": -1, "last": -1,
}  # fmt: skip

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
NUM_ALT = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# Day first. "\b(\d{1,2})" written as a digit that no word character precedes, so
# that the pattern starts with a character class and the engine skips to digits
# instead of trying every position (tests/test_extract.py compares the two forms).
DAY_MONTH_PLAIN = (
    rf"\b(\d{{1,2}})(?:st|nd|rd|th|e|ste|de)?(?: of)? ({_MONTH_ALT})\.?\b(?: (\d{{4}}))?"
)
DAY_MONTH_RE = re.compile(
    rf"(\d(?<!\w\d)\d?)(?:st|nd|rd|th|e|ste|de)?(?: of)? ({_MONTH_ALT})\.?\b(?: (\d{{4}}))?"
)
MONTH_DAY_RE = re.compile(rf"\b({_MONTH_ALT})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?")
OPTION_NUM_RE = re.compile(
    rf"\b(?:optie|option|keuze|choice|nummer|number|nr\.?|sessie|session)\s*#?\s*({NUM_ALT})\b"
)
ORDINAL_RE = re.compile(
    r"\b(?:de|het|the|voor de|for the)\s+("
    + "|".join(ORDINALS)
    + r")\b(?:\s+(?:optie|option|sessie|"
    r"session|datum|date|one|keuze|maar|graag|dan|please|works))?"
)
ORDINAL_STRICT_RE = re.compile(
    r"\b(" + "|".join(ORDINALS) + r")\s+(?:optie|option|sessie|session|datum|date|one|keuze)\b"
)
# Words that move a booking: a month named with them is where it goes ("naar maart
# schuiven"); options.py reads the switch itself.
SWITCH_RE = re.compile(
    r"\b(?:overstappen|overzetten|omzetten|omboeken|verplaats\w*|verzet\w*|(?:ver)?schuiv\w*|"
    r"doorschuiv\w*|reschedul\w*|postpon\w*|swap\w*|wijzig\w*|"
    r"ruil\w*|wissel\w*|switch\w*|mov(?:e|ing)|chang\w*|transfer\w*)\b"
)
# A place the writer is at or comes from, given as a reason ("dan ben ik toch al in Zwolle").
PLACE_REASON_BEFORE_RE = re.compile(
    r"(?:\b(?:woon|woont|wonen|werk|werkt|werken|gevestigd|based|live|lives|living|work|works|"
    r"working)\b[^,;.]{0,20}\b(?:in|vlakbij|bij|near|around|close to)|\b(?:kom|komt|komen|come|"
    r"comes|am|is|ben|zijn)\s+(?:\S+\s+){0,2}(?:uit|vanuit|from)|\b(?:toch|al|sowieso|anyway|"
    r"already|daar|vaak|regelmatig|often)\b[^,;.]{0,15}\bin|\bvanuit|\bnaast)\s+$"
)
# Locations that are also everyday words name the session only as one.
PLACELESS = frozenset({"online", "digitaal", "virtueel", "virtual", "teams", "zoom", "webinar"})
PLACELESS_BEFORE_RE = re.compile(
    r"\b(?:de|het|the|die|that|maar|voor|for|liefst|liever|graag|rather|kom|come|doe|do|"
    r"toch)\s+$"
)
PLACELESS_AFTER_RE = re.compile(
    r"\s*(?:sessie|workshop|session|one|variant|versie|version|editie|dag|day|bijeenkomst|"
    r"training|optie|option|graag|please|wordt het|dan|then|works|suits|is prima|[.!;,]|$)"
)
PLACE_REASON_AFTER_RE = re.compile(r"^\s+(?:anyway|already|toch|al|sowieso)\b")
GEMEENTE_PLACE_RE = re.compile(
    r"\b(?:gemeente|provincie|municipality of|city of|university of applied sciences|universiteit|"
    r"hogeschool|station|regio)\s+\S+|\b\S+\s+(?:centraal|university)\b"
)


def _num(word: str) -> int | None:
    """A number in digits or in words ("2", "twee")."""
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def _sentences(text: str) -> list[str]:
    """Sentences, and clauses split at "but"/"maar" (a choice often follows one); not
    after an imperative, where "maar" is a particle ("Reserveer maar een plek", "Zet me
    maar op 4 februari")."""
    out: list[str] = []
    for piece in _SPLIT_RE.split(text.lower()):
        piece = piece.strip()
        if not piece:
            continue
        if (
            out
            and piece.startswith("maar ")
            and len(out[-1].split()) <= 2
            and out[-1][-1:].isalpha()
        ):
            out[-1] = out[-1] + " " + piece
        else:
            out.append(piece)
    return out


_MONTH_NAMES = (
    "januari|january|februari|february|maart|march|april|mei|juni|june|juli|july|augustus|"
    "august|september|oktober|october|november|december"
)
# A month named alone ("kunnen we naar maart schuiven?"); "may", "jan" and the other
# short forms are words or names too often to count on their own.
MONTH_ONLY_RE = re.compile(rf"\b({_MONTH_NAMES})\b")
MONTH_TARGET_RE = re.compile(r"\b(?:naar|to|for|voor)\s+(?:de |het |the )?$")
# "12/1", "10-3", "10-03-2027": day first, as the Dutch and the British write it. Not
# part of a time range ("09:30-16:30") or a phone number.
NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/.:,-])(\d{1,2})[/-](\d{1,2})(?:[/-](?:\d{4}|\d{2}))?(?![\d/:-]|[.,]\d)"
)
# "opties 1 en 2", "optie 1 of 2": every number of the list is named
OPTION_LIST_RE = re.compile(
    r"\b(?:opties?|options?|keuzes?|nummers?|numbers?|nrs?\.?|sessies?|sessions?)\s*#?\s*"
    r"(\d)\s*(?:,|/|of|en|or|and|&)\s*(?:optie |option |nr\.? )?(\d)\b"
)
# "1 of 2 is allebei goed": bare numbers listed at the start of a sentence
BARE_LIST_RE = re.compile(r"(?:^|\n)[ \t]*([1-9])\s*(?:,|/|of|en|or|and|&)\s*([1-9])\b")
# A day of the month alone ("op de 10e", "the 12th"); days up to 4 read as ordinals.
DAY_ONLY_RE = re.compile(
    r"\b(?:de|the|op de|on the)\s+(\d{1,2})(?:e|de|ste|th|st|nd|rd)\b"
    r"(?!\s*(?:optie|option|keuze|choice|sessie|session|plaats|place|datum|date|one)\b)"
)
# A line that is only a number ("2", "2 graag", "Optie 3!"): the reply to a numbered offer.
BARE_NUMBER_RE = re.compile(
    r"(?:^|\n)[ \t]*(?:(?:optie|option|nr\.?|nummer|number)[ \t]*)?#?([1-9])[ \t]*[.!)]*[ \t]*"
    r"(?:graag|please|svp|a\.u\.b\.?|pls)?[ \t]*[.!]*[ \t]*(?=\n|$)"
)
# Words of which OPTION_NUM_RE and OPTION_LIST_RE need one.
_OPTION_WORDS = ("opti", "keuze", "choice", "numm", "numb", "nr", "sessi")
# A sentence can name a session only if it holds a digit or one of these words (or a
# place); one trie-shaped search finds them three times faster than an alternation.
_DIGIT_RE = re.compile(r"\d")
_TRIGGER_WORDS = NeedleIndex(
    {*ORDINALS, *WEEKDAYS, "optie", "option", "keuze", "choice", *_MONTH_NAMES.split("|")}
)
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
# Intent sits at the top of a message; past this many characters we stop reading.
MAX_INTENT_CHARS = 4000


@lru_cache(maxsize=64)
def _place_re(place: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(place)}\b")


_SPLIT_RE = re.compile(
    r"(?<=[.!?])\s+|\n\s*\n|\n(?=[-*•])|,?\s+\b(?=(?:but|maar|however|echter)\b)"
)


class Mention(NamedTuple):
    number: int  # the OfferedSession.number named
    kind: str  # number, ordinal, date, weekday, place, month
    start: int  # where in the sentence
    end: int


# When one session is named in several ways, the reason code says the strongest.
_KIND_ORDER = ("number", "ordinal", "date", "weekday", "place", "month")


def mention_spans(sentence: str, offered: Sequence[OfferedSession]) -> tuple[Mention, ...]:
    """Every naming of an offered session in one lower-case sentence, in text order."""
    if (
        not _DIGIT_RE.search(sentence)
        and not _TRIGGER_WORDS.any_in(sentence)
        and not any(s.location and s.location.lower() in sentence for s in offered)
    ):
        return ()
    numbers = {s.number for s in offered}
    found: list[Mention] = []
    if any(map(sentence.__contains__, _OPTION_WORDS)):
        for m in OPTION_NUM_RE.finditer(sentence):
            n = _num(m.group(1))
            if n in numbers and n is not None:
                found.append(Mention(n, "number", m.start(), m.end()))
        for m in OPTION_LIST_RE.finditer(sentence):
            for g in (1, 2):
                n = int(m.group(g))
                if n in numbers:
                    found.append(Mention(n, "number", m.start(g), m.end(g)))
    if sentence[:1].isdigit() or "\n" in sentence:  # a line that starts with a number
        for m in BARE_LIST_RE.finditer(sentence):
            for g in (1, 2):
                if int(m.group(g)) in numbers:
                    found.append(Mention(int(m.group(g)), "number", m.start(g), m.end(g)))
        for m in BARE_NUMBER_RE.finditer(sentence):
            before = sentence[: m.start()].rstrip()
            if int(m.group(1)) in numbers and not before.endswith(":"):
                found.append(Mention(int(m.group(1)), "number", m.start(1), m.end(1)))
    ordinal_re = ORDINAL_RE if len(sentence) < 120 else ORDINAL_STRICT_RE
    for m in ordinal_re.finditer(sentence):
        n = ORDINALS[m.group(1)]
        if n == -1 and offered:
            n = max(numbers)
        if n in numbers:
            found.append(Mention(n, "ordinal", m.start(), m.end()))
    dated: list[tuple[int, int]] = []
    for day, month, start, end in _date_spans(sentence):
        dated.append((start, end))
        for s in offered:
            if (s.starts.day, s.starts.month) == (day, month):
                found.append(Mention(s.number, "date", start, end))
    for m in DAY_ONLY_RE.finditer(sentence):
        day = int(m.group(1))
        match = [s.number for s in offered if s.starts.day == day]
        if day > 4 and len(match) == 1 and not any(a <= m.start(1) < b for a, b in dated):
            found.append(Mention(match[0], "date", m.start(), m.end()))
    for m in WEEKDAY_RE.finditer(sentence):
        match = [s.number for s in offered if s.starts.weekday() == WEEKDAYS[m.group(1)]]
        if len(match) == 1:
            found.append(Mention(match[0], "weekday", m.start(), m.end()))
    cleaned = ""
    for s in offered:
        place = s.location.lower().strip()
        if not place or place not in sentence:
            continue
        if sum(o.location.lower().strip() == place for o in offered) != 1:
            continue
        if not cleaned:  # "gemeente Utrecht" names an employer, not the session
            cleaned = GEMEENTE_PLACE_RE.sub(lambda m: " " * len(m.group(0)), sentence)
        for m in _place_re(place).finditer(cleaned):
            if place in PLACELESS and not (
                PLACELESS_BEFORE_RE.search(cleaned, max(0, m.start() - 12), m.start())
                or PLACELESS_AFTER_RE.match(cleaned, m.end())
            ):
                continue  # "ik heb het online gelezen": the word, not the session
            if PLACE_REASON_BEFORE_RE.search(cleaned, max(0, m.start() - 45), m.start()) or (
                PLACE_REASON_AFTER_RE.match(cleaned, m.end())
            ):
                continue  # where the writer is, not where they want to go
            found.append(Mention(s.number, "place", m.start(), m.end()))
    months = [
        m for m in MONTH_ONLY_RE.finditer(sentence) if not any(a <= m.start() < b for a, b in dated)
    ]
    if len({m.group(1) for m in months}) == 1 and (
        len(sentence.split()) <= 4
        or SWITCH_RE.search(sentence)
        or MONTH_TARGET_RE.search(sentence, max(0, months[0].start() - 12), months[0].start())
    ):
        # "kunnen we naar maart schuiven?", "Maart graag": a month as the target of a
        # choice. Not "in maart of april", nor "your workshop in February" (a topic).
        match = [s.number for s in offered if s.starts.month == MONTHS[months[0].group(1)]]
        if len(match) == 1:
            for m in months:
                found.append(Mention(match[0], "month", m.start(), m.end()))
    found.sort(key=lambda x: (x.start, _KIND_ORDER.index(x.kind)))
    return tuple(found)


def _date_spans(text: str) -> Iterator[tuple[int, int, int, int]]:
    """(day, month, start, end) of each date named in lower-case text."""
    for m in DAY_MONTH_RE.finditer(text):
        yield int(m.group(1)), MONTHS[m.group(2)], m.start(), m.end()
    for m in MONTH_DAY_RE.finditer(text):
        yield int(m.group(2)), MONTHS[m.group(1)], m.start(), m.end()
    if "/" in text or "-" in text:
        for m in NUMERIC_DATE_RE.finditer(text):
            day, month = int(m.group(1)), int(m.group(2))
            if 1 <= day <= 31 and 1 <= month <= 12:
                yield day, month, m.start(), m.end()


def day_months(text: str) -> set[tuple[int, int]]:
    """(day, month) of each date named in lower-case text."""
    return {(day, month) for day, month, _, _ in _date_spans(text)}


def mentioned_option(text: str, offered: Sequence[OfferedSession]) -> int | None:
    """The single offered session named anywhere in text (for cancellations), else None.
    A month named alone is left out: "kan niet op 10 maart, graag data na mei" cancels 3."""
    if not offered or not text:
        return None
    found: set[int] = set()
    for _, mentions in sentence_spans(text[:MAX_INTENT_CHARS], tuple(offered)):
        found.update(m.number for m in mentions if m.kind != "month")
    return found.pop() if len(found) == 1 else None


def sentence_mentions(
    text: str, offered: Sequence[OfferedSession]
) -> tuple[tuple[str, dict[int, str]], ...]:
    """Each lower-case sentence of text's first MAX_INTENT_CHARS with the offered
    options it names (number -> how); the dicts are shared: do not change them."""
    if not offered or not text:
        return ()
    return _sentence_mentions(text[:MAX_INTENT_CHARS], tuple(offered))


@lru_cache(maxsize=64)
def _sentence_mentions(
    text: str, offered: tuple[OfferedSession, ...]
) -> tuple[tuple[str, dict[int, str]], ...]:
    """Each sentence of text with the options it names (see _mentions)."""
    out = []
    for sentence, spans in sentence_spans(text, offered):
        found: dict[int, str] = {}
        for m in sorted(spans, key=lambda x: _KIND_ORDER.index(x.kind)):
            found.setdefault(m.number, m.kind)
        out.append((sentence, found))
    return tuple(out)


@lru_cache(maxsize=64)  # the choice, the cancelled session and the open wish read them
def sentence_spans(
    text: str, offered: tuple[OfferedSession, ...]
) -> tuple[tuple[str, tuple[Mention, ...]], ...]:
    return tuple((s, mention_spans(s, offered)) for s in _sentences(text))
