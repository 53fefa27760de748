"""Phrase tables for classification and extraction, Dutch and English (pure data).

Owns the vocabulary: each table maps a short evidence code to a compiled
pattern, so a match becomes a reason code like "text:nl:afwezig-tot". Patterns
are matched on lower-cased text; each carries the literal needles the pre-filter
derived from it, so most texts skip most patterns at substring-test speed.
Keep them general (how people and mail systems write), never tied to one message.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .prefilter import needles


class Phrase(NamedTuple):
    code: str  # "nl:afwezig-tot"
    pattern: re.Pattern[str]
    # literals one of which any match contains (see prefilter.py); None: always search
    needles: tuple[str, ...] | None


Table = tuple[Phrase, ...]


def _table(lang: str, entries: dict[str, str]) -> Table:
    compiled = ((f"{lang}:{code}", re.compile(pattern)) for code, pattern in entries.items())
    return tuple(Phrase(code, pattern, needles(pattern)) for code, pattern in compiled)


# --- automatic replies without headers (searched in the first part of the new text) ---
AUTO_REPLY_TEXT: Table = _table(
    "nl",
    {
        "afwezig-tot": r"\b(?:ik ben|ben ik|i'm|ik bin)\b[^.!?\n]{0,40}\b(?:afwezig|niet aanwezig|"
        r"niet op kantoor|met vakantie|op vakantie|met verlof|op reis|niet bereikbaar|"
        r"met ouderschapsverlof|met zwangerschapsverlof|ziek)\b",
        "afwezig-van": r"\bafwezig (?:van|tot|t/m|tot en met|vanaf)\b",
        "na-terugkomst": r"\bna (?:mijn )?terugkomst\b|\bweer (?:aanwezig|bereikbaar|"
        r"op kantoor) (?:op|vanaf)\b",
        "in-goede-orde-ontvangen": r"\b(?:in goede orde|correct) ontvangen\b",
        "bericht-ontvangen": r"\b(?:wij|we) hebben (?:uw|je|jouw) (?:e-?mail|bericht|vraag|"
        r"aanvraag)"
        r"[^.\n]{0,20} ontvangen\b",
        "automatisch-bericht": r"\b(?:dit is een |"
        r"deze e-?mail is een )?automatisch (?:gegenereerd |verzonden )?"
        r"(?:antwoord|bericht|gegenereerde e-?mail)\b",
        "mailbox-niet-gelezen": r"\b(?:mailbox|e-?mailadres|"
        r"mail) wordt niet (?:meer )?(?:gelezen|gebruikt)\b|"
        r"\bmijn e-?mailadres is gewijzigd\b|\blees ik mijn (?:e-?)?mail niet\b",
        "reageer-binnen": r"\bik (?:reageer|antwoord|"
        r"beantwoord [^.\n]{0,20}) binnen \d+ (?:uur|dagen|werkdagen)\b|"
        r"\bbinnen \d+ werkdagen(?:,)? (?:een )?(?:reactie|antwoord)\b|\bis het dringend\?",
    },
) + _table(
    "en",
    {
        "out-of-office": r"\bout of (?:the )?office\b",
        "away-until": r"\bi (?:am|will be|'m)\b[^.!?\n]{0,30}\b(?:out|away|on leave|on holiday|"
        r"on vacation|"
        r"travell?ing|absent|off)\b[^.!?\n]{0,30}\b(?:until|till|through|returning|from)\b",
        "limited-access": r"\blimited access to (?:my )?e-?mail\b",
        "request-received": r"\b(?:we have|we've) received your (?:request|e-?mail|message|"
        r"enquiry|inquiry)\b|"
        r"\byour (?:request|ticket|e-?mail|message)(?: \(#?\d+\))? has been received\b|"
        r"\bticket has been created\b|\bthis is an automated (?:response|reply|message)\b|"
        r"\bwe will (?:get back to you|respond) (?:as soon as possible|within)\b",
        "no-longer-monitored": r"\b(?:mailbox|address) is no longer (?:monitored|in use|read)\b",
    },
)
AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:automatisch antwoord|automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwoord)|"
    r"afwezigheidsbericht|afwezig|out of (?:the )?office|abwesenheitsnotiz|réponse automatique|"
    r"ticket received|\[request received\]|request received|autoreply|auto:|"
    r"\[?auto[- ]generated\]?)",
    re.IGNORECASE,
)

# --- bulk mail without list headers (new text + signature) ---
BULK_TEXT: Table = _table(
    "nl",
    {
        "ontvangt-deze": r"\b(?:u|je|jij) ontvangt (?:deze|dit|de)\b[^.\n]{0,60}\b(?:omdat|"
        r"als abonnee|"
        r"nieuwsbrief|update)\b",
        "afmelden-nieuwsbrief": r"\b(?:afmelden|uitschrijven) (?:voor|van) (?:deze|onze|de) "
        r"(?:nieuwsbrief|mailing|e-?mails)\b|\bbeheer (?:uw|je) (?:abonnement|voorkeuren)\b",
        "online-bekijken": r"\b(?:bekijk|lees) (?:deze|de) (?:e-?mail|nieuwsbrief) (?:online|"
        r"in je browser)\b",
    },
) + _table(
    "en",
    {
        "receiving-this": r"\byou(?: are|'re) receiving this\b|\bto unsubscribe\b|"
        r"\bunsubscribe from (?:this|these|our)\b|\bmanage (?:your )?(?:subscription|"
        r"preferences)\b",
        "view-online": r"\bview (?:this|it) (?:e-?mail )?in (?:your|a) browser\b",
    },
)
BULK_SUBJECT = re.compile(r"\b(?:nieuwsbrief|newsletter|digest|google alert)\b", re.IGNORECASE)

# --- spam and phishing (new text + subject); two different hits are needed ---
SPAM_TEXT: Table = _table(
    "nl",
    {
        "verifieer-account": r"\b(?:verifieer|bevestig|valideer|activeer) (?:uw|je|jouw) "
        r"(?:account|mailbox|adres|gegevens|e-?mailadres|identiteit)\b",
        "mailbox-vol": r"\b(?:mailbox|postvak|opslag)\b[^.\n]{0,30}\b(?:vol|opslaglimiet|"
        r"limiet bereikt)\b|"
        r"\bopslaglimiet\b",
        "wordt-verwijderd": r"\b(?:worden|wordt) (?:binnen \d+ uur )?(?:geweigerd|verwijderd|"
        r"geblokkeerd|"
        r"gedeactiveerd|afgesloten)\b",
        "betaal-kosten": r"\bbetaal\b[^.\n]{0,40}\b(?:kosten|bedrag|eur|€)",
        "pakket": r"\b(?:je|uw) pakket\b",
        "klik-link": r"\bklik (?:hier|op (?:de|onderstaande) (?:link|knop))\b",
        "website-fouten": r"\b(?:uw|je) website\b[^.\n]{0,40}\b(?:fouten|problemen|niet mobiel|"
        r"langzaam|google)\b",
        "website-eigenaar": r"\bwebsite ?eigenaar\b|\bik heb (?:uw|je) website bezocht\b",
        "seo": r"\b(?:seo|zoekmachine ?optimalisatie|eerste pagina van google|hoger in google)\b",
    },
) + _table(
    "en",
    {
        "verify-account": r"\b(?:verify|confirm|validate|update) your (?:account|mailbox|identity|"
        r"password|payment|details)\b",
        "mailbox-full": r"\bmailbox (?:is )?(?:almost |nearly )?full\b|\bstorage limit\b",
        "click-here": r"\bclick (?:here|the link below|below)\b",
        "seo": r"\b(?:seo|first page of google|search engine optimi[sz]ation|website owner)\b",
        "money": r"\b(?:lottery|inheritance|bitcoin|crypto|wire transfer|million (?:us )?dollars|"
        r"beneficiary)\b",
        "urgent-action": r"\b(?:urgent|immediate) action required\b|"
        r"\baccount (?:will be )?suspended\b",
        "discount": r"\bsave\s*\$?\d|\b\d+% off\b|\b0ff\b|\bjust released\b",
        "dollar-price": r"\d(?:[.,]\d+)?\s?\$",
        "infected": r"\byou are infected\b|\b(?:adware|spyware|malware removal)\b",
        "free-offer": r"\bfree (?:scan|download|trial|gift|offer)\b|\bdownload now\b|\bact now\b",
    },
)

# --- unsubscribe ---
UNSUBSCRIBE_TEXT: Table = _table(
    "nl",
    {
        "uitschrijven": r"\buitschrijven\b|\bschrijf (?:me|mij|ons) uit\b",
        "geen-mail-meer": r"\b(?:geen|niet langer)\b[^.\n]{0,20}\b(?:(?:e-?)?mails?|berichten|"
        r"nieuwsbrieven?|mailings?)\b[^.\n]{0,20}\bmeer\b[^.\n]{0,20}\b(?:ontvangen|sturen|"
        r"toesturen)\b|"
        r"\bniet (?:meer|langer) (?:mailen|benaderen)\b|"
        r"\b(?:ontvang|krijg)\w*\b[^.\n]{0,15}\bgeen\b"
        r"[^.\n]{0,15}\b(?:(?:e-?)?mails?|berichten|nieuwsbrieven?)\b[^.\n]{0,10}\bmeer\b",
        "van-lijst": r"\b(?:haal|verwijder)\b[^.\n]{0,30}\b(?:van|uit)\b[^.\n]{0,20}"
        r"\b(?:lijst|mailinglijst|verzendlijst|bestand)\b|\bverwijder (?:mijn|ons) "
        r"(?:e-?mailadres|adres|gegevens)\b|\bmijn gegevens (?:te )?verwijderen\b",
        "nooit-aangemeld": r"\bnooit (?:voor )?(?:aangemeld|ingeschreven)\b|"
        r"\bhoe (?:komen jullie|komt u|"
        r"bent u|zijn jullie)\b[^.\n?]{0,30}\be-?mailadres\b",
        "afmelden-kaal": r"^\s*(?:graag |gelieve |svp |a\.u\.b\. )?afmelden[.!]?\s*(?:$|\n)",
    },
) + _table(
    "en",
    {
        "unsubscribe": r"\bunsubscribe\b|\bopt(?:-| )out\b",
        "remove-me": r"\bremove (?:me|my (?:e-?mail|address|details))\b[^.\n]{0,30}\b(?:list|"
        r"mailing|"
        r"database)?|\bstop (?:sending|emailing|mailing)\b|\bno (?:more|longer) (?:e-?mails|"
        r"mail)\b",
        "never-signed-up": r"\bnever (?:signed up|subscribed|registered)\b",
    },
)

# --- cancellation (per sentence; questions about terms are not cancellations) ---
# "afmelden" means cancelling when a session is named, unsubscribing when none is.
AFMELDEN_RE = re.compile(r"\b(?:afmelden|meld (?:me|mij|ons) af)\b")
SESSION_CONTEXT_RE = re.compile(
    r"\b(?:workshop|sessie|training|cursus|bijeenkomst|datum|dag|optie|morgen|maandag|dinsdag|"
    r"woensdag|donderdag|vrijdag|jan\w*|feb\w*|maart|mrt|apr\w*|mei|jun\w*|jul\w*|aug\w*|"
    r"sep\w*|okt\w*|nov\w*|dec\w*)\b|\d"
)

CANCEL_TEXT: Table = _table(
    "nl",
    {
        "kan-niet-komen": r"\b(?:kan|kunnen|kom|komen|ben|zijn|zal|zullen)\b[^.\n?]{0,40}\bniet\b"
        r"[^.\n?]{0,15}\b(?:meer )?(?:mee|komen|aanwezig(?: zijn)?|deelnemen|erbij zijn|meedoen|"
        r"bij zijn|van de partij zijn|present zijn|aanschuiven|aansluiten)\b",
        "afmelden-voor": r"\b(?:afmelden|meld(?:t|en)? (?:ik|we|wij|u)?\s*(?:me|mij|ons|haar|hem|"
        r"hen|zich)? ?af)\b[^.\n]{0,40}\b(?:workshop|sessie|training|bijeenkomst|cursus|dag|"
        r"\d{1,2} (?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\w*)\b|"
        r"\bmeld(?:t|en)? (?:ik|we|wij)? ?(?:me|mij|ons|haar|hem|hen) af\b",
        "annuleren": r"\b(?:annuleer|annuleren|afzeggen|zeg (?:ik |we )?af|trek (?:ik |we )?"
        r"(?:me|mij|ons) terug|inschrijving intrekken)\b",
        # formal: "zie ik af van deelname", "afzien van de workshop"
        "afzien": r"\b(?:zie|zien) (?:ik |we |wij )?(?:\w+ ){0,3}af van\b|\bafzien van\b|"
        r"\bafgezien van (?:deelname|deelnemen|de workshop|de training|de sessie)\b",
        "terugtrekken": r"\b(?:trek|trekt|trekken) (?:ik |we |wij |u )?(?:me|mij|ons|zich|hem|"
        r"haar) (?:\w+ ){0,3}terug\b|\b(?:me|mij|ons|zich) (?:\w+ ){0,3}"
        r"terug(?:trekken|getrokken|te trekken)\b",
        "intrekken": r"\b(?:aanmelding|inschrijving|deelname|registratie|boeking|reservering)"
        r"(?:en)? (?:\w+ ){0,3}(?:intrekken|in te trekken|ingetrokken|annuleren|te annuleren|"
        r"geannuleerd|laten vervallen|vervallen|ongedaan (?:maken|te maken))\b|\bverstek "
        r"(?:\w+ )?(?:laten gaan|gaan)\b|\b(?:trek|trekken) (?:ik |we |wij )?"
        r"(?:\w+ ){0,3}(?:aanmelding|inschrijving)(?:en)? in\b|\b(?:deelname|aanmelding|"
        r"komst)\b[^.\n?]{0,30}\bgaat (?:\w+ )?niet door\b",
        "lukt-niet": r"\b(?:lukt|lukken|gaat)\b[^.\n?]{0,30}\bniet\b[^.\n?]{0,20}\b(?:te komen|"
        r"aanwezig|erbij|deel te nemen|mee te doen|aan te sluiten)\b|\b(?:gaat|zal)\b[^.\n?]{0,25}"
        r"\bniet lukken\b(?! als)",
        "plek-vrij": r"\b(?:mijn|onze|de) (?:plek|plaats|plekken|plaatsen)\b[^.\n?]{0,40}"
        r"\b(?:vrijgeven|vrij geven|iemand anders|een ander|naar de wachtlijst|afstaan|"
        r"laten vervallen)\b",
        "afzeggen": r"\bzeg(?:gen)? (?=(?:ik |we |wij )?(?:mijn |onze |de |het )?(?:deelname|"
        r"aanmelding|inschrijving|workshop|sessie|training|plek|plaats)\w* af\b)",
        # "ik ben helaas verhinderd", "mijn collega kan helaas niet.": no verb of coming
        "verhinderd": r"\b(?:ben|is|zijn) (?:ik |we |wij |hij |zij )?(?:\S+ ){0,3}verhinderd\b",
        "kan-niet": r"\b(?:ik|we|wij|hij|zij|collega|collega's) (?:\w+ ){0,2}(?:kan|kunnen)"
        r"(?: \w+){0,2} niet(?: meer)?\s*(?:[.!;,]|$)|\b(?:kan|kunnen) (?:ik|we|wij|hij|zij) "
        r"(?:\w+ ){0,2}niet(?: meer)?\s*(?:[.!;,]|$)",
        # "ik kan helaas niet op 10 maart": the session is named, no verb of coming
        "niet-op-datum": r"\b(?:kan|kunnen) (?:ik |we |wij )?(?:\w+ ){0,2}niet (?:meer )?"
        r"(?:op|bij|naar|aanwezig zijn op) (?:de |het )?(?:\d{1,2}(?:e|ste|de)? ?(?:jan|feb|maa|"
        r"mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\w*|\d{1,2}[/-]\d{1,2}|maandag|dinsdag|"
        r"woensdag|donderdag|vrijdag|workshop|sessie|training|bijeenkomst|cursusdag)\b",
    },
) + _table(
    "en",
    {
        "cannot-attend": r"\b(?:can't|cannot|can not|won't|will not|unable to|not able to|"
        r"no longer able to)"
        r"\b[^.\n?]{0,20}\b(?:make it|attend|come|join|participate|be there)\b",
        "cancel": r"\bcancel(?:l?ing)? (?:my|our|his|her|their|the)\b[^.\n]{0,30}\b(?:registration|"
        r"booking|place|spot|seat|participation|attendance)\b|\b(?:have|need|want|"
        r"writing) to cancel\b|"
        r"\bwithdraw (?:my|our|his|her)\b",
        "withdraw": r"\bwithdraw(?:ing|n)? (?:from|us|me|its|their|the)\b|"
        r"\b(?:have|need|must|had|want) to withdraw\b|\bpull(?:ing)? (?:out|me out|us out)\b|"
        r"\bback(?:ing)? out\b",
        "drop-out": r"\bplease cancel\b|\bcancel (?:me|us)\b|\bdrop(?:ping)? out\b|"
        r"\bcount (?:me|us) out\b|\bbow(?:ing)? out\b|\b(?:free|give|release) up (?:my|our)\b|"
        r"\b(?:give|release|free) (?:my|our) (?:place|spot|seat)s?\b|"
        r"\bnot (?:going|able) to make it\b",
        "not-attending": r"\b(?:won't|will not|can't|cannot|no longer|not) (?:be )?(?:attending|"
        r"coming|joining|participating)\b",
    },
)
# A cancellation for part of a group, or with someone taking the place: a choice in
# the same message keeps (or hands over) a booking, it does not move one.
PARTIAL_CANCEL_RE = re.compile(
    r"\b(?:collega|collega's|colleague|colleagues|hij|zij|he|she|een van|één van|one of|"
    r"twee van|two of|in mijn plaats|namens mij|vervanger|vervangt|in my place|instead of me|"
    r"replace me|take my place|my place)\b"
)
CANCEL_QUESTION = re.compile(
    r"\b(?:wat (?:zijn|is)|hoe|kan ik (?:kosteloos )?|is het mogelijk|what (?:are|is)|how|can i|"
    r"is it possible)\b[^?]*\?|\bvoorwaarden\b|\bterms\b|\bpolicy\b"
)

# --- a wish to register, with or without a session named (per sentence) ---
# In a reply to our offer such a sentence is a date choice even when no offered
# session can be recognised in it: the workflow then asks again, with the options.
REGISTER_TEXT: Table = _table(
    "nl",
    {
        "aanmelden": r"\bmeld(?:t|en)? (?:ik |we |wij |u )?(?:me|mij|ons|mezelf) "
        r"(?:\w+ ){0,2}aan\b|"
        r"\b(?:me|mij|ons|mezelf) (?:\w+ ){0,2}(?:aanmelden|inschrijven|opgeven)\b|"
        r"\bgraag (?:\w+ ){0,3}(?:aanmelden|inschrijven)\b|\b(?:aanmelden|inschrijven) graag\b|"
        r"\bschrijf (?:me|mij|ons) (?:\w+ ){0,2}in\b|"
        r"\b(?:ik|wij|we) (?:wil|willen|zou|zouden) (?:\w+ ){0,2}(?:deelnemen|meedoen)\b|"
        r"\bdoe(?:n)? (?:ik|wij|we) (?:graag )?mee\b",
    },
) + _table(
    "en",
    {
        "register": r"\bsign (?:me|us) up\b|\bregister (?:me|us)\b|\bplease register\b|"
        r"\b(?:like|love|want|wish) to (?:sign up|register|enrol|enroll|join|attend|"
        r"participate|take part)\b|\b(?:book|count|put) (?:me|us) (?:in|down)\b|"
        r"\benrol(?:l)? (?:me|us)\b",
    },
)
# Undecided between sessions named in the same sentence.
UNDECIDED_TEXT: Table = _table(
    "nl",
    {
        "twijfel": r"\btwijfel\w*\b|\bweet (?:nog )?niet (?:welke|of)\b|\bkan niet kiezen\b",
        # more than one is fine: left to us ("1 of 2 is allebei goed"), codes "-open"
        "allebei-open": r"\b(?:allebei|beide|beiden)(?: \w+){0,2} (?:goed|prima|mogelijk|ok|oké|"
        r"lukt|passen|past|kunnen|kan)\b|\bmaakt (?:me |mij |ons )?(?:\w+ )?niet uit\b|"
        r"\bom het even\b|\bwaar (?:het )?(?:nog )?(?:de meeste )?(?:plek|ruimte|minst vol)\w*\b",
    },
) + _table(
    "en",
    {
        "undecided": r"\bnot sure (?:which|whether|if)\b|\bundecided\b|\bcan(?:'t|not) decide\b|"
        r"\btorn between\b",
        "either-open": r"\beither (?:one |option |date |session )?(?:is|works|would|suits)\b|"
        r"\bboth (?:work|are fine|suit|would work|are ok)\b|\bwhichever\b|"
        r"\b(?:doesn't|does not) matter\b",
    },
)
# Negation that turns a registration phrase around ("ik kan me nog niet aanmelden"),
# and talk about registering rather than doing it ("informatie over het aanmelden").
REGISTER_NEGATION_RE = re.compile(
    r"\b(?:niet|geen|nog even|not|don't|won't|can't|cannot|informatie|info|information|"
    r"misschien|mogelijk|eventueel|later|maybe|perhaps|possibly|"
    r"over (?:het |de )?(?:aanmelden|inschrijven)|about (?:the )?(?:registration|registering|"
    r"signing up))\b"
)

# --- other: misdirected and internal mail ---
MISDIRECTED_TEXT: Table = _table(
    "nl",
    {
        "niet-bedoeld": r"\bniet voor (?:jullie|u|jou) bedoeld\b|\bverkeerde (?:adres|ontvanger)\b|"
        r"\bper ongeluk (?:naar|aan) (?:jullie|u|jou)\b",
    },
) + _table(
    "en",
    {
        "not-meant": r"\bnot (?:meant|intended) for you\b|\bsent (?:to you )?(?:in error|"
        r"by mistake)\b|"
        r"\bwrong (?:address|recipient)\b",
    },
)

# --- inquiry: a question or a request about the workshop ---
INQUIRY_TEXT: Table = _table(
    "nl",
    {
        "informatie": r"\b(?:informatie|info|brochure|offerte|prijsopgave|programma|tarieven?|"
        r"kosten)\b",
        "vraag": r"\b(?:vraag|vragen|benieuwd|mogelijk(?:heden)?|graag ontvang ik|zou(?:den)? "
        r"(?:ik|we|wij) graag|kun(?:t|nen)? (?:je|u|jullie)|is er|zijn er|wat (?:is|zijn|kost))\b",
        "in-company": r"\bin-?company\b|\bmaatwerk\b|\bop locatie\b",
        "plek": r"\b(?:nog )?plek\b|\bplaatsen? (?:vrij|beschikbaar)\b",
    },
) + _table(
    "en",
    {
        "information": r"\b(?:information|info|brochure|quote|quotation|programme|program|"
        r"fees?|price|"
        r"rates?|costs?)\b",
        "question": r"\b(?:would it be possible|is it possible|could you|can you|would you|"
        r"are there|"
        r"is there|would like to (?:join|attend|know|book|organi[sz]e)|interested in|"
        r"looking for)\b",
        "in-house": r"\bin-?house\b|\btailored\b|\bon-?site\b",
    },
)
WORKSHOP_TOPIC = re.compile(
    r"\b(?:workshop|training|sessie|session|cursus|course|leergang|bijeenkomst|aanmelden|"
    r"inschrijven|deelnemen|register|attend|join)\b"
)

# --- language detection: frequent function words ---
NL_WORDS = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "van",
        "ik",
        "je",
        "jij",
        "u",
        "we",
        "wij",
        "ons",
        "onze",
        "is",
        "zijn",
        "niet",
        "met",
        "voor",
        "op",
        "aan",
        "dat",
        "die",
        "dit",
        "er",
        "maar",
        "ook",
        "als",
        "bij",
        "naar",
        "om",
        "te",
        "kan",
        "wil",
        "graag",
        "heb",
        "hebben",
        "wordt",
        "nog",
        "wel",
        "dank",
        "groet",
        "beste",
        "hoi",
        "hallo",
        "bedankt",
        "mijn",
        "jullie",
        "uw",
        "over",
        "tot",
        "zou",
    ]
)
EN_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "of",
        "i",
        "you",
        "we",
        "our",
        "us",
        "is",
        "are",
        "not",
        "with",
        "for",
        "on",
        "to",
        "that",
        "this",
        "there",
        "but",
        "also",
        "as",
        "at",
        "by",
        "can",
        "would",
        "like",
        "have",
        "has",
        "be",
        "will",
        "your",
        "my",
        "thanks",
        "thank",
        "dear",
        "hi",
        "hello",
        "regards",
        "best",
        "it",
        "in",
        "from",
        "please",
        "could",
    ]
)
