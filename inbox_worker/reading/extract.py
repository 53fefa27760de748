"""ParsedMessage -> Facts (pure).

Owns reading the facts the organiser needs from a message: the person's name
(signature or display name, never an organisation), organisation and its type,
a Dutch phone number, the number of participants, the offered session picked
(by number, ordinal, date, weekday, place or month, resolved against the sessions
we offered) with the one a change of mind leaves, and the dates mentioned.
Everything is read from the new text and the signature, never from quoted
history (our own offer lists every session); the one exception is the quoted
option line an inline "Deze graag!" answers, which only says what "deze" is.

A choice is read clause by clause: a session named where the writer turns it
down ("4 februari kan ik niet"), hedges ("eventueel"), leaves it open ("1 of 2
is allebei goed") or makes it depend on something a person must check is never
picked. A miss goes to the organiser; a wrong booking goes to a participant.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from ..model import OfferedSession
from .message import ParsedMessage
from .orgs import find_organisation, org_type_of, person_name, tidy_organisation
from .prefilter import NeedleIndex, needles
from .prefilter import found as _found
from .quoting import inline_replies

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
SWITCH_RE = re.compile(
    r"\b(?:overstappen|overzetten|omzetten|omboeken|verplaats\w*|verzet\w*|(?:ver)?schuiv\w*|"
    r"doorschuiv\w*|reschedul\w*|postpon\w*|swap\w*|wijzig\w*|"
    r"ruil\w*|wissel\w*|switch\w*|mov(?:e|ing)|chang\w*|transfer\w*)\b"
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
# A head count with its people word, any number of digits ("100000 deelnemers").
GROUP_SIZE_RE = re.compile(
    r"\b(\d+)\s+(?:personen|mensen|deelnemers|medewerkers|collega'?s|people|participants|"
    r"persons|colleagues|ambtenaren|officials|staff)\b"
)


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


def _mention_spans(sentence: str, offered: Sequence[OfferedSession]) -> tuple[Mention, ...]:
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
        named = {m.number for m in _mention_spans(context, offered)}
        previous = (frozenset(named), "")
    for sentence, mentions in _sentence_spans(text, offered):
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


def mentioned_option(text: str, offered: Sequence[OfferedSession]) -> int | None:
    """The single offered session named anywhere in text (for cancellations), else None.
    A month named alone is left out: "kan niet op 10 maart, graag data na mei" cancels 3."""
    if not offered or not text:
        return None
    found: set[int] = set()
    for _, mentions in _sentence_spans(text[:MAX_INTENT_CHARS], tuple(offered)):
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
    for sentence, spans in _sentence_spans(text, offered):
        found: dict[int, str] = {}
        for m in sorted(spans, key=lambda x: _KIND_ORDER.index(x.kind)):
            found.setdefault(m.number, m.kind)
        out.append((sentence, found))
    return tuple(out)


@lru_cache(maxsize=64)  # the choice, the cancelled session and the open wish read them
def _sentence_spans(
    text: str, offered: tuple[OfferedSession, ...]
) -> tuple[tuple[str, tuple[Mention, ...]], ...]:
    return tuple((s, _mention_spans(s, offered)) for s in _sentences(text))


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
