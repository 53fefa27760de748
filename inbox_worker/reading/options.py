"""Text -> the offered session it chooses (pure).

Owns reading which offered session a text picks, with the one a change of mind
leaves: from the sessions it names (mentions.py), the words around them and the
sentence before; for a message, from its new text, else its subject ("zie
onderwerp"), else an answer typed inline under one quoted option line, which
only says what "deze" is. classify and extract both ask it about the same message.

A choice is read clause by clause: a session named where the writer turns it
down ("4 februari kan ik niet"), hedges ("eventueel"), leaves it open ("1 of 2
is allebei goed") or makes it depend on something a person must check is never
picked. A miss goes to the organiser; a wrong booking goes to a participant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from ..model import OfferedSession
from .mentions import (
    MAX_INTENT_CHARS,
    MONTHS,
    SWITCH_RE,
    WEEKDAYS,
    Mention,
    mention_spans,
    sentence_spans,
)
from .message import ParsedMessage
from .quoting import inline_replies

# What a sentence does with the sessions it names. All patterns read lower-case text.
# A cue that picks even inside a question ("Kan ik me aanmelden voor 4 februari?"):
# registering, booking, preferring, switching.
STRONG_CUE_RE = re.compile(
    r"\b(?:aanmelden|aan te melden|meld(?:t|en)? (?:ik |we |wij )?(?:me|mij|ons)\b"
    r"(?! (?:\w+ ){0,4}?af\b)|inschrijven|"
    r"in te schrijven|schrijf (?:me|mij|ons)|opgeven|op te geven|geef (?:ik |we )?(?:me|mij|ons) "
    r"op|boek|boeken|reserveer|reserveren|zet (?:me|mij|ons)|plaats (?:me|mij|ons)|deelnemen|"
    r"meedoen|doe (?:ik|we|wij) mee|(?:me|mij|ons) (?:\w+ )?(?:noteren|inplannen|indelen|"
    r"toevoegen)|"
    r"over(?: te)? dragen naar|overdragen naar|ik kom|kom ik|we komen|wij komen|komen (?:we|wij)|"
    r"liever|"
    r"liefst|voorkeur|kies|kiezen|overstappen|overzetten|omzetten|omboeken|verplaats\w*|"
    r"verzetten|(?:ver)?schuiven|ruilen|wisselen|ik ga voor|we gaan voor|"
    r"sign (?:me|us) up|register|enrol\w*|book|reserve (?:me|us|a|two|\d|places?|seats?|spots?)|"
    r"put (?:me|us) (?:down|in)|count (?:me|us) in|(?:like|love|want|wish) to (?:join|attend|"
    r"come|participate|take part)|i'?ll (?:join|attend|come|take)|we'?ll (?:join|attend|come|"
    r"take)|switch\w*|move (?:me|us|my|our)|change (?:me|us|my|our)|transfer (?:me|us|my|our)|"
    r"prefer\w*|choose|pick|go for|go with|instead|in plaats daarvan|daarvoor in de plaats|"
    r"reschedul\w*|postpone|swap|add (?:me|us)|aanschuiven|schuif (?:ik |we )?aan|change|"
    r"wijzig\w*|"
    r"sluit (?:ik |we )?aan|aansluiten|noteer (?:me|mij|ons)|reken (?:maar )?op (?:mij|ons)|"
    r"heeft (?:mijn|onze) voorkeur|gaat (?:mijn|onze) voorkeur|"
    r"bevestig(?:en|t)? (?:ik |we |wij )?(?:hierbij |bij deze |graag )?(?:mijn|onze) (?:deelname|"
    r"aanmelding|komst|inschrijving|aanwezigheid)|(?<!for )confirm (?:my|our) (?:participation|"
    r"attendance|registration)|sign(?:ing)? (?:\w+ ){0,3}?up)\b|"
    r"\b(?:kan|kunnen|mag|mogen) (?:ik|we|wij) (?:nog |ook |toch )?van\b[^?.]{1,30}\bnaar\b|"
    r"\b(?:kan|kunnen|mag|mogen) (?:ik|we|wij) (?:\w+ ){0,4}(?:komen|aansluiten|meedoen|"
    r"deelnemen|aanschuiven)\b|\b(?:kan|kunnen|mag|mogen) (?:ik|we|wij) (?:toch |ook |nog |dan )*"
    r"naar\b"
)
# A cue that picks in a statement only ("4 februari is prima", "Thursday works").
WEAK_CUE_RE = re.compile(
    r"\b(?:graag|prima|akkoord|perfect|ideaal|ideal|doe (?:\w+ )?maar|doe (?:mij|ons)|"
    r"doen (?:we|wij)|let's do|can do|good for (?:me|us)|would be (?:perfect|ideal|best)|"
    r"lijkt (?:me|mij|ons) (?:het )?(?:best|prima|goed|fijn)|"
    r"die (?:graag|maar|wordt het)|deze (?:graag|maar)|wordt het|ik neem|we nemen|works?|"
    r"work best|suits?|best for|past (?:het )?(?:mij |me |ons )?(?:het )?(?:beste?|prima|goed)|"
    r"kan ik (?:het )?beste?|komt (?:mij|me|ons) (?:het )?(?:beste?|goed)|lukt (?:mij|me|ons)|"
    r"gaat (?:mij|me|ons) lukken|sounds good|fine|wel (?:op|in|de|het|naar|graag)|"
    r"(?:het )?(?:handigst|makkelijkst|fijnst|prettigst|gunstigst)|(?:most )?convenient|easiest|"
    r"komt (?:\w+ )?(?:goed|beter|best) uit|bedoel(?:de|den)?|i meant|i mean)\b|"
    r"\bwel\s*(?:[.!,;]|$)|"
    r"\b(?:one|optie \w+|option \w+|session|sessie) please\b|\bplease\W*$"
)
# A clause that rejects what it names ("4 februari kan ik niet", "Zwolle is te ver").
REJECT_RE = re.compile(
    r"\b(?:niet|geen|nee|nooit|not|no longer|never|can't|cannot|can not|won't|don't|doesn't|"
    r"isn't|couldn't|unable|te ver|ver weg|een (?:heel )?eind|too far|far away|a long way|"
    r"tricky|lastig|moeilijk|onhandig|ongunstig|impractical|inconvenient|difficult|"
    r"minder (?:geschikt|handig|goed)|less (?:suitable|convenient)|verhinderd|bezet|"
    r"is (?:al |helaas )?vol|zit (?:al )?vol|volgeboekt|(?:is|are) (?:already )?full|"
    r"fully booked|behalve|except|apart from|afmelden|annuleren|cancel\w*|withdraw\w*|"
    r"terugtrekken)\b"
)
# A sentence that tells of the past, thanks for or confirms what is done: a session
# it names without words that choose is not picked ("Dank voor de bevestiging van
# 12 januari", "Vorig jaar was ik op 12 januari ook bij jullie", "booked it already",
# "de vergadering van donderdag").
STORY_RE = re.compile(
    r"\b(?:was|waren|were|had|hadden|vorig\w* (?:jaar|keer|week|maand)|last (?:year|time|week|"
    r"month)|ago|geleden|already|al (?:ge\w+|in\w+|aan\w+)|dank\w*|bedankt|thanks?|"
    r"bevestig\w*|confirm\w*|ge(?:boekt|reserveerd)|booked|reserved|registered|signed up|"
    # another event on that day: "de vergadering van donderdag", "op vakantie"
    r"vergadering\w*|meetings?|afspraak|afspraken|appointments?|overleg|vakantie|holidays?|"
    r"vacation|verlof|trein|train|vlucht|flight)\b"
)
POSSIBLE_RE = re.compile(r"\b(?:possible|mogelijk|kan dat|can i|could i|kan ik|mag ik)\b")
# Words a reply that only names a session may hold around it: greetings, yes, being there.
NAMING_WORDS: frozenset[str] = frozenset({
    "ik", "we", "wij", "i", "me", "mij", "ons", "us", "my", "mijn", "onze", "our", "de", "het",
    "een", "the", "a", "op", "on", "in", "at", "voor", "for", "van", "of", "om", "naar", "to",
    "ja", "yes", "ok", "oké", "oke", "okay", "prima", "goed", "fine", "graag", "please", "pls",
    "svp", "dan", "maar", "then", "toch", "wel", "ook", "nog", "hoi", "hi", "hallo", "hello",
    "dag", "beste", "dear", "thanks", "dank", "bedankt", "top", "super", "perfect", "great",
    "mooi", "fijn", "is", "ben", "zijn", "am", "are", "be", "kom", "komen", "come", "erbij",
    "aanwezig", "there", "present", "er", "bij", "daar", "sessie", "session", "workshop", "optie",
    "option", "datum", "date", "day", "training", "keuze", "choice", "nummer", "number", "die",
    "deze", "that", "this", "one", "it", "wordt", "uur", "persoon", "personen", "people", "person",
    "deelnemer", "deelnemers", "participant", "participants",
}) | frozenset(WEEKDAYS) | frozenset(MONTHS)  # fmt: skip
_LETTERS_RE = re.compile(r"[a-zà-ÿ']+")
# A clause that names a session without committing to it.
HEDGE_RE_CHOICE = re.compile(
    r"\b(?:eventueel|misschien|wellicht|waarschijnlijk|voorlopig|onder voorbehoud|maybe|"
    r"perhaps|possibly|probably|tentative(?:ly)?|might)\b"
)
# Two or more sessions left open ("ik twijfel", "1 of 2 is allebei goed", "either is fine").
OPEN_CHOICE_RE = re.compile(
    r"\b(?:twijfel\w*|undecided|can(?:'t|not) decide|torn between|either|whichever|zowel|"
    r"(?:allebei|beide|beiden)(?: \w+){0,2} (?:goed|prima|mogelijk|ok|oké|fine|lukt|passen|"
    r"past|kunnen|kan)|both (?:work|are fine|suit|would|dates|options|sessions))\b"
)
# The same when the sentence names several sessions or asks which ("tussen optie 1 en 2",
# "het maakt me niet uit welke"); with one session named they mean something else.
OPEN_IF_SEVERAL_RE = re.compile(
    r"\b(?:tussen|of (?:optie|de|het)|or the|weet (?:ik )?(?:nog )?niet|niet zeker|not sure|"
    r"maakt (?:me |mij |ons )?(?:\w+ )?niet uit|om het even|(?:doesn't|does not) matter)\b"
)
WHICH_RE = re.compile(r"\b(?:welke|welk|which|wat|what|waar|where)\b")
# "dat maakt online niet uit" says nothing against the session it names.
NOT_MATTER_RE = re.compile(r"\bmaakt (?:\w+ ){0,3}niet uit\b|\b(?:doesn't|does not) matter\b")
# Clauses end at punctuation and at words that start another thought.
CLAUSE_RE = re.compile(
    r"[;:,()]|\s[-–]\s|\b(?:en|and|want|omdat|because|since|dus|so|wel|maar|but|terwijl|"
    r"while|whereas|als|if|mits|indien|unless|tenzij)\b"
)
# Names the session the writer leaves ("in plaats van 12 januari", "instead of option 1").
GIVEN_UP_RE = re.compile(
    r"\b(?:in plaats van|i\.?p\.?v\.?|instead of|rather than|in place of|niet meer (?:op|in|"
    r"voor|naar)|no longer (?:on|in|for|at)|(?:booked|registered|signed up|ingeschreven|"
    r"aangemeld|geboekt|ingedeeld) (?:voor|op|for|on)|sta (?:ik |we )?(?:nu )?(?:voor|op))\b"
)
LIST_GAP_RE = re.compile(r"\s*(?:,|/|&|en|and|of|or)?\s*(?:de |het |the |in |op |on )?")
SWITCH_FROM_RE = re.compile(r"\b(?:van|from)\s+(?:\S+\s+){0,2}$")
SWITCH_FROM_ON_RE = re.compile(r"\b(?:van|from|on|op)\s+(?:\S+\s+){0,2}$")
SWITCH_TO_RE = re.compile(r"^\W*(?:\S+\s+){0,3}?(?:naar|to|into|for)\s+(?:\S+\s+){0,2}$")
# A question that asks for a session rather than about one.
REQUEST_QUESTION_RE = re.compile(
    r"\b(?:kan|kun|kunt|kunnen|mag|mogen|zou|zouden|wil|wilt|willen) (?:ik|we|wij|je|u|jij|"
    r"jullie)\b|"
    r"\b(?:can|could|may|would|will) (?:i|we|you)\b|\bis (?:het|dat) mogelijk\b|"
    r"\b(?:would|is) it (?:be )?possible\b|\bplease\b|\bgraag\b"
)
INFO_QUESTION_RE = re.compile(
    r"\b(?:hoe|wanneer|waar|wat|welke|welk|hoeveel|waarom|wie|how|when|where|what|which|why|"
    r"who|whether|weten|know|vertellen|tell|informatie|information|info|details)\b|"
    r"\bof (?:er|het|dat|die|deze|ik|we|wij)\b|\bif (?:there|it|i|we|this|that)\b"
)
# A question asked as a statement ("Let me know if 4 February is still available.").
INDIRECT_QUESTION_RE = re.compile(
    r"\b(?:let (?:me|us) know|laat (?:me |mij |ons |het )*(?:even |maar )?weten|ik hoor (?:graag|"
    r"het graag)|i wonder|i was wondering|ik vraag me af|benieuwd)\b"
)
AVAILABILITY_RE = re.compile(
    r"\b(?:plek|plekken|plekje|plaats|plaatsen|ruimte|room|space|seats?|places?|spots?|vrij|"
    r"beschikbaar|available|vol|full|open|nog mogelijk|still possible|nog (?:aanmelden|"
    r"inschrijven)|still (?:register|sign up|join))\b"
)
# A choice made on a condition a person must check ("als het via Teams is").
CONDITION_RE = re.compile(
    r"\b(?:mits|indien|op voorwaarde|on condition|provided|providing|tenzij|unless)\b|"
    r"\b(?:als|if|wanneer)\s+(?:er|het|de|die|dat|daar|jullie|u|je|ik|we|wij|dit|deze|ze|mijn|"
    r"onze|there|the|it|this|that|you|i|my|our)\b"
)
CONDITION_ROOM_RE = re.compile(
    r"\b(?:nog|still|enough|genoeg|is|are|er) (?:still |nog )?(?:\w+ )?(?:plek|plekken|plekje|"
    r"plaats|plaatsen|ruimte|room|space|seats?|places?|spots?)\b|\b(?:plek|plaats|room|space|"
    r"seats?|"
    r"places?|spots?) (?:vrij|over|left|available|beschikbaar)\b|\bniet vol\b|\bnot full\b"
)
CONDITION_OK_RE = re.compile(
    r"\b(?:kan|kunnen|lukt|mogelijk|possible|convenient|(?:you|je|u|jullie) (?:could|would|"
    r"wil|wilt|kunt|kan|zou))\b"
)
ASKING_BEFORE_RE = re.compile(r"\b(?:weten|know|hear|horen|laat|let|tell|check|vraag|ask|wonder)\b")
# A sentence that picks what the one before named ("Daar meld ik me graag voor aan").
ANAPHOR_RE = re.compile(
    r"^(?:daar|die|dat|deze|hiervoor|daarvoor|dan|zo ja|in dat geval|that|this|it|then|if so|"
    r"in that case)\b|\b(?:that one|this one|die dag|deze datum|die datum|die sessie|"
    r"deze sessie|die optie|deze optie|that date|that session)\b"
)
ANAPHOR_TAKE_RE = re.compile(
    r"^(?:die|deze|dat|that|this)(?: one| dag| datum| optie| sessie)? (?:graag|maar|please|dan|"
    r"wordt het|neem ik|is prima|works)\b|\bdoe (?:maar )?(?:die|deze)\b|"
    r"^(?:zo ja|if so|in dat geval|in that case)\W+(?:dan )?(?:graag|please)\b|^dan graag\b"
)


@dataclass(frozen=True)
class ChoiceReading:
    """What a text says about the offered sessions."""

    number: int | None = None  # the session picked, None when none is picked clearly
    how: str | None = None  # how it was named: number, ordinal, date, weekday, place, month
    given_up: int | None = None  # the session the writer leaves for it, when named
    # why nothing is picked though sessions are named: "ambiguous" (left open),
    # "hedged" ("eventueel optie 2"), "conditional" (on something a person must check)
    open: str | None = None
    cued: bool = False  # picked with words that choose, not only by naming it
    rejected: frozenset[int] = frozenset()  # sessions the text turns down or leaves
    source: str = "text"  # where: the new text, the subject ("zie onderwerp"), inline


NO_CHOICE = ChoiceReading()


def choose_option(text: str, offered: Sequence[OfferedSession]) -> tuple[int, str] | None:
    """(option number, how it was named) picked in text, None when none or undecided."""
    reading = read_choice(text, offered)
    return (reading.number, reading.how or "") if reading.number is not None else None


def read_choice(text: str, offered: Sequence[OfferedSession], context: str = "") -> ChoiceReading:
    """The session text picks. `context` is the quoted line an inline reply answers:
    it can be what "Deze graag!" points at, never a choice itself."""
    if not offered or not text:
        return NO_CHOICE
    return _read_choice(text[:MAX_INTENT_CHARS], tuple(offered), context[:500].lower())


def _clause(sentence: str, bounds: Sequence[int], pos: int) -> str:
    start = max((b for b in bounds if b <= pos), default=0)
    end = min((b for b in bounds if b > pos), default=len(sentence))
    return sentence[start:end]


def _clause_bounds(sentence: str, mentions: Sequence[Mention]) -> list[int]:
    """Where the clauses of sentence start; a list of sessions ("Utrecht en Zwolle zijn
    te ver", "optie 1, 2 of 3") stays one clause, so what it says holds for each."""
    bounds = [m.start() for m in CLAUSE_RE.finditer(sentence)]
    for a, b in pairwise(mentions):
        if a.end < b.start and LIST_GAP_RE.fullmatch(sentence, a.end, b.start):
            bounds = [x for x in bounds if not a.end <= x < b.start]
    return bounds


def _given_up(sentence: str, mentions: Sequence[Mention]) -> set[int]:
    """Indexes into mentions of the sessions the sentence says are left."""
    out: set[int] = set()
    for m in GIVEN_UP_RE.finditer(sentence):
        after = [i for i, x in enumerate(mentions) if m.end() <= x.start <= m.end() + 30]
        if after:
            out.add(after[0])
    switch = bool(SWITCH_RE.search(sentence))
    if len(mentions) >= 2 and (
        switch or STRONG_CUE_RE.search(sentence) or WEAK_CUE_RE.search(sentence)
    ):
        # "van optie 1 naar optie 2", "from the Utrecht session to Zwolle"
        for i, a in enumerate(mentions):
            later = [x for x in mentions[i + 1 :] if x.number != a.number]
            from_re = SWITCH_FROM_RE if not switch else SWITCH_FROM_ON_RE
            if (
                later
                and from_re.search(sentence, max(0, a.start - 25), a.start)
                and SWITCH_TO_RE.match(sentence[a.end : later[0].start])
            ):
                out.add(i)
    return out


def _only_naming(
    sentence: str,
    bounds: Sequence[int],
    pos: int,
    mentions: Sequence[Mention],
    offered: Sequence[OfferedSession],
) -> bool:
    """Whether the clause of sentence at pos says nothing besides naming sessions:
    no word but greetings, a yes, words of being there and names of sessions."""
    start = max((b for b in bounds if b <= pos), default=0)
    end = min((b for b in bounds if b > pos), default=len(sentence))
    rest = sentence
    for m in mentions:
        rest = rest[: m.start] + " " * (m.end - m.start) + rest[m.end :]
    rest = rest[start:end]
    places = {s.location.lower() for s in offered}
    return all(w in NAMING_WORDS or w in places for w in _LETTERS_RE.findall(rest))


def _is_condition(sentence: str) -> bool:
    """A choice in sentence depends on something a person must check."""
    for m in CONDITION_RE.finditer(sentence):
        tail = sentence[m.start() : m.start() + 60]
        if CONDITION_ROOM_RE.search(tail) or CONDITION_OK_RE.search(tail):
            continue  # "als er nog plek is", "if possible": the booking checks that
        if ASKING_BEFORE_RE.search(sentence, max(0, m.start() - 25), m.start()):
            continue  # "laat me weten als ...": a question to us, not a condition
        return True
    return False


@lru_cache(maxsize=64)  # classify and extract both ask about the same message
def _read_choice(text: str, offered: tuple[OfferedSession, ...], context: str) -> ChoiceReading:
    short = len(text.split()) <= 25
    scores: dict[int, int] = {}
    rejected: set[int] = set()
    cued: set[int] = set()
    how: dict[int, str] = {}
    given_up: set[int] = set()
    hedged = opened = False
    # what the previous sentence named, for "Daar meld ik me voor aan"; (numbers, asked)
    previous: tuple[frozenset[int], str] = (frozenset(), "")
    if context:
        named = {m.number for m in mention_spans(context, offered)}
        previous = (frozenset(named), "")
    for sentence, mentions in sentence_spans(text, offered):
        question = sentence.endswith("?")
        if not mentions:
            numbers, asked = previous
            if (
                len(numbers) == 1
                and ANAPHOR_RE.search(sentence)
                and (STRONG_CUE_RE.search(sentence) or ANAPHOR_TAKE_RE.search(sentence))
                and not REJECT_RE.search(sentence)
                and not HEDGE_RE_CHOICE.search(sentence)
            ):
                if (asked and not AVAILABILITY_RE.search(asked)) or _is_condition(sentence):
                    # "Is de zaal toegankelijk? Dan kom ik graag.": a person answers first
                    return ChoiceReading(open="conditional")
                n = next(iter(numbers))
                scores[n] = scores.get(n, 0) + 2
                cued.add(n)
            previous = (frozenset(), "")
            continue
        if OPEN_CHOICE_RE.search(sentence) or (
            OPEN_IF_SEVERAL_RE.search(sentence)
            and (len({m.number for m in mentions}) > 1 or WHICH_RE.search(sentence))
        ):
            opened = True  # "ik twijfel tussen optie 1 en 2", "1 of 2 is allebei goed"
            previous = (frozenset(), "")
            continue
        if _is_condition(sentence):
            return ChoiceReading(open="conditional")
        indirect = INDIRECT_QUESTION_RE.search(sentence)
        if indirect and indirect.start() < mentions[-1].start:
            question = True  # "laat me weten of 4 februari nog kan" asks about it
        request = (
            question
            and bool(
                REQUEST_QUESTION_RE.search(sentence)
                or (SWITCH_RE.search(sentence) and POSSIBLE_RE.search(sentence))
            )
            and not (INFO_QUESTION_RE.search(sentence))
        )
        strong = bool(STRONG_CUE_RE.search(sentence))
        cue = strong if question else strong or bool(WEAK_CUE_RE.search(sentence))
        # named in a story or a thank-you, without words that choose: not picked
        story = not cue and not question and STORY_RE.search(sentence) is not None
        told: set[int] = set()
        bare: set[int] = set()
        bounds = _clause_bounds(sentence, mentions)
        left = _given_up(sentence, mentions)
        positive: set[int] = set()
        for i, m in enumerate(mentions):
            n = m.number
            clause = _clause(sentence, bounds, m.start)
            if i in left:
                given_up.add(n)
                rejected.add(n)
                continue
            if REJECT_RE.search(NOT_MATTER_RE.sub(" ", clause)):
                rejected.add(n)
                continue
            if HEDGE_RE_CHOICE.search(clause):
                hedged = True
                continue
            if story and STORY_RE.search(clause):
                told.add(n)
            if short and _only_naming(sentence, bounds, m.start, mentions, offered):
                bare.add(n)
            positive.add(n)
            how.setdefault(n, m.kind)
        for n in positive:
            weight = 0
            if question and not request:
                pass  # "Is er op 4 februari nog plek?" asks, it does not pick
            elif left or cue:
                weight += 2  # a switch ("in plaats van 12 januari op 4 februari") picks too
                cued.add(n)
            if not question and n not in told:
                if how[n] == "number":
                    weight += 1
                # a short reply that only names a session picks it ("Ja, 12 januari is
                # goed!"); not one that says more of that day ("Ik stuur de factuur op 12/1")
                if short and how[n] != "month" and n in bare:
                    weight += 1
            scores[n] = scores.get(n, 0) + weight
        previous = (frozenset(positive), sentence if question else "")
    candidates = {n: v for n, v in scores.items() if v > 0 and n not in rejected}
    if candidates:
        best = max(candidates.values())
        winners = [n for n, v in candidates.items() if v == best]
        if len(winners) == 1 and not any(
            n != winners[0] and n not in rejected and n in cued for n in scores
        ):
            n = winners[0]
            left_one = given_up - {n}
            return ChoiceReading(
                number=n,
                how=how.get(n, "anaphor"),
                given_up=next(iter(left_one)) if len(left_one) == 1 else None,
                cued=n in cued,
                rejected=frozenset(rejected),
            )
        return ChoiceReading(open="ambiguous")
    if opened:
        return ChoiceReading(open="ambiguous")
    if hedged:
        return ChoiceReading(open="hedged")
    return NO_CHOICE


# "Zie onderwerp": the choice is in the subject line.
SEE_SUBJECT_RE = re.compile(
    r"\b(?:zie|zoals|staat in|see|as in|per)\s+(?:het\s+|the\s+|de\s+|mijn\s+|my\s+)?"
    r"(?:onderwerp|subject)|\b(?:in|uit) (?:het|de|the) (?:onderwerp|subject)"
)
REPLY_PREFIX_RE = re.compile(r"^(?:\s*(?:re|aw|antw|fw|fwd|doorst|sv|vs|wg)\s*:\s*)+", re.I)


def message_choice(msg: ParsedMessage, offered: Sequence[OfferedSession]) -> ChoiceReading:
    """The session msg picks: from its new text; else from its subject when the text
    points there; else from an answer typed inline under one quoted option line."""
    reading = read_choice(msg.new_text, offered)
    if reading.number is not None or reading.open is not None or not offered:
        return reading
    if SEE_SUBJECT_RE.search(msg.new_text[:MAX_INTENT_CHARS].lower()):
        subject = read_choice(REPLY_PREFIX_RE.sub("", msg.subject), offered)
        if subject.number is not None:
            return replace(subject, source="subject")
    if (msg.in_reply_to or msg.references) and _answered_below(msg):
        found = [
            read_choice(reply, offered, context) for context, reply in inline_replies(msg.text)
        ]
        picked = {r.number for r in found if r.number is not None}
        if len(picked) == 1 and not any(r.open for r in found):
            best = next(r for r in found if r.number is not None)
            return replace(best, source="inline")
    return reading


def _answered_below(msg: ParsedMessage) -> bool:
    """Whether msg's new text was typed under or between ">" lines (nothing above)."""
    quote = msg.text.find("\n>")
    if quote < 0:
        return False
    start = msg.text.find(msg.new_text[:40]) if msg.new_text else quote + 1
    return start > quote
