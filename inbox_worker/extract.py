"""ParsedMessage -> Facts (pure).

Owns reading the facts the organiser needs from a message: the person's name
(signature or display name, never an organisation), organisation and its type,
a Dutch phone number, the number of participants, the offered session picked
(by number, ordinal, date, weekday or place, resolved against the sessions we
offered) and the dates mentioned. Everything is read from the new text and the
signature, never from quoted history (our own offer lists every session).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .message import ParsedMessage
from .model import OfferedSession
from .orgs import find_organisation, org_type_of, person_name
from .prefilter import found as _found
from .prefilter import needles

if TYPE_CHECKING:  # classify imports this module
    from .classify import Classification


@dataclass(frozen=True)
class Facts:
    name: str | None = None
    organisation: str | None = None
    org_type: str | None = None  # gemeente, provincie, waterschap, zbo, rijksoverheid, other
    phone: str | None = None
    participants: int | None = None
    option: int | None = None  # the OfferedSession.number picked
    dates: tuple[date, ...] = ()  # dates proposed or mentioned in the new text

    def to_json(self) -> str:
        """As stored in messages.facts; by hand, as asdict() deep-copies every field."""
        return json.dumps(
            {
                "name": self.name,
                "organisation": self.organisation,
                "org_type": self.org_type,
                "phone": self.phone,
                "participants": self.participants,
                "option": self.option,
                "dates": [d.isoformat() for d in self.dates],
            }
        )


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
GROUP_WORDS: dict[str, int] = {
    "tweeën": 2,
    "tweeen": 2,
    "drieën": 3,
    "drieen": 3,
    "vieren": 4,
    "vijven": 5,
    "zessen": 6,
    "zevenen": 7,
    "achten": 8,
}

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUM_ALT = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
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
    rf"\b(?:optie|option|keuze|choice|nummer|number|nr\.?|sessie|session)\s*#?\s*({_NUM_ALT})\b"
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
# Sentences that pick: a preference, a registration, a request to book or switch.
CHOICE_CUE_RE = re.compile(
    r"\b(?:graag|liefst|liever|voorkeur|kies|kiezen|doe (?:mij|ons)|meld(?:en)? (?:ik|we|wij)? ?"
    r"(?:me|mij|ons) ?aan|aanmelden|inschrijven|schrijf (?:me|mij|ons)|ik kom|wij komen|we komen|"
    r"past (?:het )?(?:mij |ons )?(?:het )?best|kan ik (?:het )?best|komt (?:mij|"
    r"ons) (?:het )?best|"
    r"die (?:graag|maar|wordt het)|wordt het|zet (?:me|mij|ons)|boek|reserveer|ik ga voor|"
    r"we gaan voor|akkoord|prima|ik neem|works|work best|prefer|preference|choose|pick|"
    r"sign (?:me|us) up|register|book|reserve|i'?ll take|we'?ll take|count (?:me|us) in|"
    r"(?:like|love|want) to (?:join|attend|come)|switch (?:me|us)|move (?:me|us)|instead|"
    r"go for|suits|best for|ideal|perfect|verplaats|omzetten|wisselen)\b"
)
NEGATIVE_CUE_RE = re.compile(
    r"\b(?:twijfel|tussen|nog niet|weet (?:nog )?niet|niet zeker|misschien|of (?:optie|de)|"
    r"instead of|in plaats van|booked for|registered for|ingeschreven voor|aangemeld voor|"
    r"not sure|either|can't|cannot|kan niet|kan helaas niet|lukt niet|niet meer)\b"
)
GEMEENTE_PLACE_RE = re.compile(
    r"\b(?:gemeente|provincie|municipality of|city of|university of applied sciences|universiteit|"
    r"hogeschool|station|regio)\s+\S+|\b\S+\s+(?:centraal|university)\b"
)
PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+31|0031|\(\+31\)|\+ 31)[\s.-]*(?:\(0\)[\s.-]*)?[1-9](?:[\s.-]*\d){8}(?!\d)"
    r"|(?<![\d+])\(?0[1-9]\d{0,3}\)?(?:[\s.-]*\d){6,8}(?!\d)"
)
PARTICIPANT_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    # "met twee collega's" = the writer plus two
    (re.compile(rf"\bmet (?:nog )?({_NUM_ALT}) (?:andere )?(?:collega'?s|medewerkers|"
        rf"anderen)\b"), 1),
    (re.compile(rf"\bwith ({_NUM_ALT}) (?:other )?(?:colleagues|others|people from my team)\b"), 1),
    (re.compile(r"\bmet (?:een|één) collega\b|\bwith a colleague\b|\bmy colleague and i\b|"
                r"\bi and (?:a|my) colleague\b"), -2),
)  # fmt: skip
COUNT_RE = re.compile(
    rf"\b(met z'n|met zijn|met ons|voor ons|we zijn met|wij zijn met|we'll be|we will be|"
    rf"there will be|"
    rf"group of|team of|groep van|voor|for|ongeveer|circa|ca\.|about|around|een man of|"
    rf"totaal|in total)\s+(?:about |around |ongeveer |circa |ca\. )?({_NUM_ALT}|"
    + "|".join(GROUP_WORDS)
    + r")\b(?:\s+(personen|mensen|deelnemers|medewerkers|collega'?s|people|participants|persons|"
    r"colleagues|officials|ambtenaren|staff|members|leden|vrijwilligers))?"
)
PLAIN_COUNT_RE = re.compile(
    rf"\b({_NUM_ALT})\s+(?:personen|mensen|deelnemers|medewerkers|people|participants|persons|"
    r"ambtenaren|officials|collega's en ik)\b|\(({_NUM_ALT}) (?:people|personen|mensen)\)"
)
HEDGE_RE = re.compile(r"\b(?:misschien|mogelijk|eventueel|maybe|perhaps|possibly)\b")
ANAPHOR_RE = re.compile(
    r"^(?:daar|die|dat|deze|hiervoor|daarvoor|that|this|it|then)\b|\b(?:that one|"
    r"this one|die dag|deze datum|that date|that session)\b"
)
SINGULAR_RE = re.compile(
    r"\b(?:meld ik me|(?:me|mij) (?:graag )?(?:aan)?melden|doe mij|voor mij|"
    r"kan ik (?:het )?beste?|ik kom|"
    r"sign me up|register me|switch me|move me|book me|i would like to (?:attend|join|"
    r"participate)|for me to attend|"
    r"wil ik me|schrijf (?:me|mij) in|ik wil (?:graag )?(?:deelnemen|meedoen|komen))\b"
)
NEGATION_RE = re.compile(r"\b(?:niet|geen|not|can't|cannot|won't|afmelden|annuleren|cancel)\b")
PLURAL_RE = re.compile(r"\b(?:we|wij|ons|us|our|onze)\b")
REMAINING_RE = re.compile(
    rf"\b(\w+(?: \w+)?) en ik komen wel\b|\b({_NUM_ALT}) (?:van ons |of us )?(?:komen|"
    rf"come) (?:wel|still)\b"
)


HEDGED_COLLEAGUE_RE = re.compile(
    r"\b(?:mogelijk|misschien|eventueel|possibly|maybe|perhaps) (?:een|één|a) "
    r"(?:collega|colleague)"
)
# A phone number holds at least eight digits with only separators between them;
# texts without such a run (most of them) skip PHONE_RE's slow look-behind scan.
PHONE_HINT_RE = re.compile(r"\d(?:[\s.()+-]*\d){7}")
# Literals one of which every match of these patterns contains (see prefilter.py).
_NEEDLES: dict[re.Pattern[str], tuple[str, ...] | None] = {
    p: needles(p)
    for p in (
        HEDGED_COLLEAGUE_RE,
        *(pattern for pattern, _ in PARTICIPANT_PATTERNS),
        REMAINING_RE,
        COUNT_RE,
        PLAIN_COUNT_RE,
        SINGULAR_RE,
    )
}


def _search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """pattern.search(text), skipped when none of its needles occurs in text."""
    return pattern.search(text) if _found(_NEEDLES[pattern], text) else None


def _finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    return pattern.finditer(text) if _found(_NEEDLES[pattern], text) else iter(())


def _num(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word) or GROUP_WORDS.get(word)


def _sentences(text: str) -> list[str]:
    """Sentences, and clauses split at "but"/"maar" (a choice often follows one)."""
    return [s.strip() for s in _SPLIT_RE.split(text.lower()) if s.strip()]


_TRIGGER_RE = re.compile(
    r"\d|" + "|".join([*ORDINALS, *WEEKDAYS, "optie", "option", "keuze", "choice"])
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


def _mentions(sentence: str, offered: Sequence[OfferedSession]) -> dict[int, str]:
    """Options named in one sentence -> how (number, ordinal, date, weekday, place)."""
    found: dict[int, str] = {}
    if not _TRIGGER_RE.search(sentence) and not any(
        s.location and s.location.lower() in sentence for s in offered
    ):
        return found
    numbers = {s.number for s in offered}
    for m in OPTION_NUM_RE.finditer(sentence):
        n = _num(m.group(1))
        if n in numbers and n is not None:
            found[n] = "number"
    ordinal_re = ORDINAL_RE if len(sentence) < 120 else ORDINAL_STRICT_RE
    for m in ordinal_re.finditer(sentence):
        n = ORDINALS[m.group(1)]
        if n == -1 and offered:
            n = max(numbers)
        if n in numbers:
            found.setdefault(n, "ordinal")
    days = day_months(sentence)
    for s in offered:
        local = s.starts
        if (local.day, local.month) in days:
            found.setdefault(s.number, "date")
    weekday_hits = [WEEKDAYS[w] for w in WEEKDAY_RE.findall(sentence)]
    for wd in weekday_hits:
        match = [s.number for s in offered if s.starts.weekday() == wd]
        if len(match) == 1:
            found.setdefault(match[0], "weekday")
    cleaned = GEMEENTE_PLACE_RE.sub(" ", sentence)
    for s in offered:
        place = s.location.lower().strip()
        if place and _place_re(place).search(cleaned):
            same = [o for o in offered if o.location.lower().strip() == place]
            if len(same) == 1:
                found.setdefault(s.number, "place")
    return found


def day_months(text: str) -> set[tuple[int, int]]:
    """(day, month) of each date named in lower-case text."""
    out: set[tuple[int, int]] = set()
    for m in DAY_MONTH_RE.finditer(text):
        out.add((int(m.group(1)), MONTHS[m.group(2)]))
    for m in MONTH_DAY_RE.finditer(text):
        out.add((int(m.group(2)), MONTHS[m.group(1)]))
    return out


def choose_option(text: str, offered: Sequence[OfferedSession]) -> tuple[int, str] | None:
    """(option number, how it was named) picked in text, None when none or undecided."""
    if not offered or not text:
        return None
    return _choose_option(text, tuple(offered))


@lru_cache(maxsize=64)  # classify and extract both ask about the same message
def _choose_option(text: str, offered: tuple[OfferedSession, ...]) -> tuple[int, str] | None:
    text = text[:MAX_INTENT_CHARS]
    short = len(text.split()) <= 25
    scores: dict[int, int] = {}
    how: dict[int, str] = {}
    previous: dict[int, str] = {}
    for sentence, found in _sentence_mentions(text, offered):
        if not found:
            # "Daar wil ik me graag voor aanmelden." picks what the sentence before named
            if (
                len(previous) == 1
                and ANAPHOR_RE.search(sentence)
                and CHOICE_CUE_RE.search(sentence)
                and not NEGATIVE_CUE_RE.search(sentence)
            ):
                n = next(iter(previous))
                scores[n] = scores.get(n, 0) + 2
            previous = {}
            continue
        previous = found
        negative = bool(NEGATIVE_CUE_RE.search(sentence))
        cue = bool(CHOICE_CUE_RE.search(sentence))
        if negative and len(found) > 1:
            continue  # "ik twijfel tussen optie 1 en 2"
        for n, kind in found.items():
            weight = 0
            if cue:
                weight += 2
            if negative:
                weight -= 3
            if kind == "number" and not negative:
                weight += 1
            if short and not negative and not sentence.endswith("?"):
                weight += 1
            scores[n] = scores.get(n, 0) + weight
            how.setdefault(n, kind)
    if not scores:
        return None
    best = max(scores.values())
    winners = [n for n, v in scores.items() if v == best]
    if best <= 0 or len(winners) != 1:
        return None
    return winners[0], how[winners[0]]


def mentioned_option(text: str, offered: Sequence[OfferedSession]) -> int | None:
    """The single offered session named anywhere in text (for cancellations), else None."""
    if not offered or not text:
        return None
    found: set[int] = set()
    for _, named in _sentence_mentions(text[:MAX_INTENT_CHARS], tuple(offered)):
        found.update(named)
    return found.pop() if len(found) == 1 else None


def sentence_mentions(
    text: str, offered: Sequence[OfferedSession]
) -> tuple[tuple[str, dict[int, str]], ...]:
    """Each lower-case sentence of text's first MAX_INTENT_CHARS with the offered
    options it names (number -> how); the dicts are shared: do not change them."""
    if not offered or not text:
        return ()
    return _sentence_mentions(text[:MAX_INTENT_CHARS], tuple(offered))


@lru_cache(maxsize=64)  # choose_option and mentioned_option read the same sentences
def _sentence_mentions(
    text: str, offered: tuple[OfferedSession, ...]
) -> tuple[tuple[str, dict[int, str]], ...]:
    """Each sentence of text with the options it names (see _mentions)."""
    return tuple((sentence, _mentions(sentence, offered)) for sentence in _sentences(text))


def find_dates(text: str, year_hint: tuple[int, int] | None) -> tuple[date, ...]:
    """Dates named in text; year_hint (year, month) of the message completes "12 januari"."""
    out: list[date] = []
    text = text[:MAX_INTENT_CHARS]
    low = text.lower()
    for pattern, day_group, month_group in ((DAY_MONTH_RE, 1, 2), (MONTH_DAY_RE, 2, 1)):
        for m in pattern.finditer(low):
            month = MONTHS[m.group(month_group)]
            if m.group(3):
                year = int(m.group(3))
            elif year_hint is None:
                continue
            else:
                # no year: the next such date after the message was written
                year = year_hint[0] + (1 if month < year_hint[1] else 0)
            try:
                d = date(year, month, int(m.group(day_group)))
            except ValueError:
                continue
            if d not in out:
                out.append(d)
    return tuple(sorted(out))


def find_phone(*texts: str) -> str | None:
    for text in texts:
        if PHONE_HINT_RE.search(text) is None:
            continue
        for m in PHONE_RE.finditer(text):
            phone = " ".join(m.group(0).split())
            digits = re.sub(r"\D", "", phone)
            if len(digits) in (10, 11, 12, 13) and not re.fullmatch(r"(?:19|20)\d{2}\d*", digits):
                return phone
    return None


def find_participants(text: str, option: int | None) -> int | None:
    low = text[:MAX_INTENT_CHARS].lower().replace("’", "'").replace("‘", "'")
    if _search(HEDGED_COLLEAGUE_RE, low):
        return None
    for pattern, extra in PARTICIPANT_PATTERNS:
        m = _search(pattern, low)
        if m:
            sentence = _sentence_of(low, m.start())
            if HEDGE_RE.search(sentence) and extra != 1:
                return None
            if extra == -2:
                return 2
            n = _num(m.group(1))
            if n:
                return n + extra
    m = _search(REMAINING_RE, low)
    if m:
        return 2 if m.group(1) else _num(m.group(2) or "")
    candidates: list[int] = []
    for m in _finditer(COUNT_RE, low):
        lead, word, unit = m.group(1), m.group(2), m.group(3)
        n = _num(word)
        group_word = word in GROUP_WORDS
        if n is None or n < 1 or n > 500 or (n == 1 and not unit):
            continue
        if lead in ("voor", "for", "ongeveer", "circa", "ca.", "about", "around") and not unit:
            continue
        if HEDGE_RE.search(_sentence_of(low, m.start())) and not group_word:
            continue
        candidates.append(n)
    for m in _finditer(PLAIN_COUNT_RE, low):
        n = _num(m.group(1) or m.group(2))
        if n and 1 <= n <= 500 and not HEDGE_RE.search(_sentence_of(low, m.start())):
            candidates.append(n)
    if candidates:
        return candidates[0]
    near = _near_choice(low)
    if near and not PLURAL_RE.search(near) and not NEGATION_RE.search(near):
        return 1
    return None


def _sentence_of(text: str, pos: int) -> str:
    start = max(text.rfind(".", 0, pos), text.rfind("\n", 0, pos), text.rfind("?", 0, pos)) + 1
    ends = [i for i in (text.find(".", pos), text.find("\n", pos), text.find("?", pos)) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _near_choice(text: str) -> str:
    m = _search(SINGULAR_RE, text)
    return _sentence_of(text, m.start()) if m else ""


def extract(
    msg: ParsedMessage,
    offered: Sequence[OfferedSession] = (),
    classification: Classification | None = None,
) -> Facts:
    """The facts of msg. Given its classification, machine mail (which nobody
    answers or books from) gets who sent it but no intent: no option, participants
    or dates; without one, every message is read in full."""
    if msg.dsn is not None:
        return Facts()  # a delivery report speaks for a mail server, not a person
    text = msg.new_text
    from_name = msg.forwarded_from_name if msg.forwarded_from_addr else msg.from_name
    from_addr = msg.forwarded_from_addr or msg.from_addr
    name = person_name(from_name, from_addr, msg.signature, text)
    organisation = find_organisation(msg.signature, text, from_name, from_addr, name)
    # with no organisation written, the sender's domain may still say (@zwolle.nl)
    org_type = org_type_of(organisation, from_addr)
    phone = find_phone(msg.signature[:2000], text[:MAX_INTENT_CHARS])
    if classification is not None and classification.category.is_machine:
        return Facts(name=name, organisation=organisation, org_type=org_type, phone=phone)
    choice = choose_option(text, offered)
    option = choice[0] if choice else None
    if option is None and offered:
        option = mentioned_option(text, offered)
    if option is None and offered:
        # a cancellation of "tomorrow" answers our confirmation: its subject names the session
        option = mentioned_option(msg.subject, offered)
    year = (msg.date.year, msg.date.month) if msg.date else None
    return Facts(
        name=name,
        organisation=organisation,
        org_type=org_type,
        phone=phone,
        participants=find_participants(text, option),
        option=option,
        dates=find_dates(text, year),
    )
