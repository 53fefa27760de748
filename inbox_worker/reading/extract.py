"""ParsedMessage -> Facts (pure).

Owns reading the facts the organiser needs from a message: the person's name
(signature or display name, never an organisation), organisation and its type,
a Dutch phone number, the number of participants, the offered session picked
(read by options.py) with the one a change of mind leaves, and the dates
mentioned. Everything is read from the new text and the signature, never from
quoted history (our own offer lists every session); the one exception is the
quoted option line an inline "Deze graag!" answers, which only says what "deze" is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from ..model import OfferedSession
from .classify import Classification
from .mentions import (
    DAY_MONTH_RE,
    MAX_INTENT_CHARS,
    MONTH_DAY_RE,
    MONTHS,
    NUM_ALT,
    NUMBER_WORDS,
    mentioned_option,
)
from .message import ParsedMessage
from .options import message_choice
from .orgs import find_organisation, org_type_of, person_name, tidy_organisation
from .prefilter import found as _found
from .prefilter import needles


@dataclass(frozen=True)
class Facts:
    name: str | None = None
    organisation: str | None = None
    org_type: str | None = None  # gemeente, provincie, waterschap, zbo, rijksoverheid, other
    phone: str | None = None
    participants: int | None = None
    option: int | None = None  # the OfferedSession.number picked
    dates: tuple[date, ...] = ()  # dates proposed or mentioned in the new text
    # a change of mind: the session the writer names as the one they leave
    # ("in plaats van 12 januari", "from option 1 to option 2"); None when not named
    given_up: int | None = None

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
                "given_up": self.given_up,
            }
        )


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
PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+31|0031|\(\+31\)|\+ 31)[\s.-]*(?:\(0\)[\s.-]*)?[1-9](?:[\s.-]*\d){8}(?!\d)"
    r"|(?<![\d+])\(?0[1-9]\d{0,3}\)?(?:[\s.-]*\d){6,8}(?!\d)"
)
PARTICIPANT_PATTERNS: tuple[tuple[re.Pattern[str], int], ...] = (
    # "met twee collega's" = the writer plus two
    (re.compile(rf"\bmet (?:nog )?({NUM_ALT}) (?:andere )?(?:collega'?s|medewerkers|"
        rf"anderen)\b"), 1),
    (re.compile(rf"\bwith ({NUM_ALT}) (?:other )?(?:colleagues|others|people from my team)\b"), 1),
    (re.compile(r"\bmet (?:een|één) collega\b|\bwith a colleague\b|\bmy colleague and i\b|"
                r"\bi and (?:a|my) colleague\b"), -2),
)  # fmt: skip
COUNT_RE = re.compile(
    rf"\b(met z'n|met zijn|met ons|voor ons|we zijn met|wij zijn met|we'll be|we will be|"
    rf"there will be|"
    rf"group of|team of|groep van|voor|for|ongeveer|circa|ca\.|about|around|een man of|"
    rf"totaal|in total)\s+(?:about |around |ongeveer |circa |ca\. )?({NUM_ALT}|"
    + "|".join(GROUP_WORDS)
    + r")\b(?:\s+(personen|mensen|deelnemers|medewerkers|collega'?s|people|participants|persons|"
    r"colleagues|officials|ambtenaren|staff|members|leden|vrijwilligers))?"
)
PLAIN_COUNT_RE = re.compile(
    rf"\b({NUM_ALT})\s+(?:personen|mensen|deelnemers|medewerkers|people|participants|persons|"
    r"ambtenaren|officials|collega's en ik)\b|\(({NUM_ALT}) (?:people|personen|mensen)\)"
)
HEDGE_RE = re.compile(r"\b(?:misschien|mogelijk|eventueel|maybe|perhaps|possibly)\b")
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
    rf"\b(\w+(?: \w+)?) en ik komen wel\b|\b({NUM_ALT}) (?:van ons |of us )?(?:komen|"
    rf"come) (?:wel|still)\b"
)


HEDGED_COLLEAGUE_RE = re.compile(
    r"\b(?:mogelijk|misschien|eventueel|possibly|maybe|perhaps) (?:een|één|a) "
    r"(?:collega|colleague)"
)
# A phone number holds at least eight digits with only separators between them;
# texts without such a run (most of them) skip PHONE_RE's slow look-behind scan.
PHONE_HINT_RE = re.compile(r"\d(?:[\s.()+-]*\d){7}")
# A head count with its people word, any number of digits ("100000 deelnemers").
GROUP_SIZE_RE = re.compile(
    r"\b(\d+)\s+(?:personen|mensen|deelnemers|medewerkers|collega'?s|people|participants|"
    r"persons|colleagues|ambtenaren|officials|staff)\b"
)


# Literals one of which every match of these patterns contains (see prefilter.py).
_NEEDLES: dict[re.Pattern[str], tuple[str, ...] | None] = {
    p: needles(p)
    for p in (
        HEDGED_COLLEAGUE_RE,
        *(pattern for pattern, _ in PARTICIPANT_PATTERNS),
        REMAINING_RE,
        COUNT_RE,
        PLAIN_COUNT_RE,
        GROUP_SIZE_RE,
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


def implausible_count(text: str) -> int | None:
    """A head count no session takes and no reader would book as one seat:
    nobody ("0 personen") or hundreds ("we komen met 500 mensen")."""
    low = text[:MAX_INTENT_CHARS].lower()
    for m in _finditer(GROUP_SIZE_RE, low):
        n = int(m.group(1))
        if n == 0 or n >= 100:
            return n
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
    found = find_organisation(msg.signature, text, from_name, from_addr, name)
    # with no organisation written, the sender's domain may still say (@zwolle.nl)
    org_type = org_type_of(found, from_addr)
    # only what is sure is kept: it lands in replies and the attendee list (issue 14)
    organisation = tidy_organisation(found) or None
    phone = find_phone(msg.signature[:2000], text[:MAX_INTENT_CHARS])
    if classification is not None and classification.category.is_machine:
        return Facts(name=name, organisation=organisation, org_type=org_type, phone=phone)
    reading = message_choice(msg, offered)
    option = reading.number
    # A date choice books what it picks and nothing else: a session it only names
    # ("4 februari kan ik niet") is no choice. Other mail may name the session it is about.
    choosing = classification is not None and classification.category == "date_choice"
    if option is None and offered and not choosing:
        option = mentioned_option(text, offered)
    if option is None and offered and not choosing:
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
        given_up=reading.given_up if option == reading.number else None,
    )
