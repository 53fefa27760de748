"""Phrases of what a person wants (pure data).

Owns how people say what they want from us: to get no more mail, to cancel a
seat, to register (with or without a session named) or to stay undecided
between sessions, that mail reached the wrong person, or to ask about the
workshop; with what turns each around (an unsubscribe undone, a request for
one's data, something else than a seat cancelled, a question about the terms).
reading/intent.py reads them, most of them sentence by sentence.
"""

from __future__ import annotations

import re

from . import Table, _table

# --- unsubscribe ---
UNSUBSCRIBE_TEXT: Table = _table(
    "nl",
    {
        "uitschrijven": r"\buitschrijven\b|\bschrijf (?:me|mij|ons) uit\b",
        "geen-mail-meer": r"\b(?:geen|niet langer)\b[^.\n]{0,20}\b(?:(?:e-?)?mails?|berichten|"
        r"nieuwsbrieven?|mailings?)\b[^.\n]{0,20}\bmeer\b[^.\n]{0,20}\b(?:ontvangen|sturen|"
        r"toesturen)\b|"
        r"\bniet (?:meer|langer) (?:mailen|benaderen|benaderd|gemaild|lastig (?:ge)?vallen)\b|"
        r"\b(?:ontvang|krijg)\w*\b[^.\n]{0,15}\bgeen\b"
        r"[^.\n]{0,15}\b(?:(?:e-?)?mails?|berichten|nieuwsbrieven?)\b[^.\n]{0,10}\bmeer\b",
        "van-lijst": r"\b(?:haal|verwijder)\b[^.\n]{0,30}\b(?:van|uit)\b[^.\n]{0,20}"
        r"\b(?:lijst|mailinglijst|verzendlijst|bestand)\b|\bverwijder (?:mijn|ons) "
        r"(?:e-?mailadres|adres|gegevens)\b|\bmijn gegevens (?:te )?verwijderen\b|"
        r"\bmijn (?:e-?mail)?adres\b[^.\n]{0,30}\b(?:te )?(?:verwijderen|schrappen)\b",
        "stop-met-mailen": r"\bstop(?:pen|t)? (?:u |jullie |je )?met (?:het )?(?:\w+ )?(?:sturen|"
        r"mailen|e-?mailen|versturen|toesturen)\b|\bstop (?:met )?(?:deze |die |uw |jullie )?"
        r"(?:e-?mails|mails|mailtjes|berichten|nieuwsbrieven)\b",
        "afmelden-mail": r"\b(?:afmelden|meld\w* (?:ik |we |wij )?(?:me|mij|ons) af|uitschrijven|"
        r"schrijf (?:ik )?(?:me|mij|ons) uit)\b[^.\n]{0,40}\b(?:nieuwsbrie\w*|mailings?|"
        r"mailinglijst|verzendlijst|e-?mails?|berichten|mailtjes)\b",
        "uit-bestand": r"\b(?:uit|van)\s(?:je|jullie|uw|het|de)\s(?:adressen|mailing|verzend|"
        r"e-?mail)?(?:bestand|lijst|database|systeem|administratie)\s(?:te\s)?(?:halen|"
        r"verwijderen|schrappen)\b",
        # the AVG: erasure of one's data, objection to its use, consent withdrawn
        "avg-wissen": r"\b(?:verwijder|wis)\w*\b[^.\n]{0,20}\b(?:al )?mijn (?:persoons)?gegevens\b|"
        r"\bmijn (?:persoons)?gegevens\b[^.\n]{0,30}\b(?:te )?(?:verwijderen|wissen|vernietigen)\b|"
        r"\brecht op (?:vergetelheid|gegevenswissing|verwijdering)\b|"
        r"\bverzoek (?:tot|om) (?:verwijdering|wissing|gegevensverwijdering)\b",
        "avg-bezwaar": r"\bbezwaar\b[^.\n]{0,30}\b(?:verwerking|gebruik) van mijn\b|"
        r"\btrek\w* (?:ik |hierbij )*mijn toestemming\b|\bmijn toestemming\b[^.\n]{0,20}"
        r"\bin ?(?:te )?trekken\b",
        "geen-post-gewenst": r"\b(?:wil|wens|hoef)\w* (?:ik |wij |we )?"
        r"(?:graag |hierna |voortaan )?geen (?:verdere |nadere |andere )?(?:e-?mails?|berichten|"
        r"correspondentie|communicatie|mailings?|nieuwsbrieven?|reclame|aanbiedingen)\b|"
        r"\b(?:stuur|mail)\w* (?:mij|me|ons) (?:voortaan |alstublieft |aub |a\.u\.b\. )?"
        r"(?:niet (?:meer|langer)|geen (?:e-?mails?|berichten|nieuwsbrieven?))\b",
        "nooit-aangemeld": r"\bnooit (?:voor )?(?:aangemeld|ingeschreven)\b|"
        r"\bhoe (?:komen jullie|komt u|"
        r"bent u|zijn jullie)\b[^.\n?]{0,30}\be-?mailadres\b",
        "afmelden-kaal": r"^\s*(?:graag |gelieve |svp |a\.u\.b\. )?afmelden[.!]?\s*(?:$|\n)",
    },
) + _table(
    "en",
    {
        "unsubscribe": r"\bunsubscribe\b|\bopt(?:-| )out\b|\bopt (?:me|us) out\b",
        "remove-me": r"\bremove (?:me|my (?:e-?mail|address|details))\b[^.\n]{0,30}\b(?:list|"
        r"mailing|"
        r"database)?|\bstop (?:sending|emailing|mailing|contacting)\b|\bno (?:more|longer) "
        r"(?:e-?mails|mail)\b|\btake (?:me|us|my (?:name|e-?mail|address)) off (?:your|the|this|"
        r"all) (?:\w+ )?(?:list|lists|database|mailings?)\b(?! (?:for|of) (?:the |that |this )?"
        r"(?:\d|session|workshop|training|course|event|day|date))|\b(?:don't|do not|"
        r"never) (?:e-?mail|"
        r"mail|contact|write to|message) (?:me|us) (?:again|anymore|any more|in (?:the )?future)\b",
        "never-signed-up": r"\bnever (?:signed up|subscribed|registered)\b",
        # the GDPR: erasure, objection, consent withdrawn, no further mail
        "gdpr-erasure": r"\b(?:eras(?:e|ure)|delet(?:e|ion)|remov(?:e|al))\b[^.\n]{0,30}"
        r"\b(?:data|details|information)\b[^.\n]{0,30}\b(?:about me|of mine|on me)\b|"
        r"\b(?:eras(?:e|ure)|delet(?:e|ion)|remov(?:e|al)) (?:of )?(?:all )?my (?:personal )?"
        r"(?:data|details|information|contact details)\b|\bright to (?:erasure|be forgotten)\b",
        "gdpr-objection": r"\bobject to (?:the )?(?:processing|use) of my\b|"
        r"\bwithdraw (?:my )?consent\b",
        "no-further-mail": r"\b(?:no|not|don't|do not|no longer) (?:wish|want|"
        r"desire)\b[^.\n]{0,10}\bto receive "
        r"(?:any )?(?:further |more |other )?(?:e-?mails|mails|messages|communications?|"
        r"newsletters|mailings|marketing)\b|\b(?:no|not|don't|do not|no longer) (?:wish|want) "
        r"to be (?:contacted|e-?mailed|mailed)\b|"
        r"\bstop all (?:e-?mails|mail|communications?|contact)\b",
    },
)
# Undoing an unsubscribe ("I clicked unsubscribe by mistake, keep me on the list").
UNSUBSCRIBE_UNDO_RE = re.compile(
    r"\b(?:per ongeluk|per abuis|abusievelijk|onbedoeld|by mistake|by accident|accidentally|"
    r"mistakenly|keep me on|houd (?:me|mij) op|weer (?:aan|in|op)(?:melden| de lijst)|"
    r"re-?subscribe|opnieuw aanmelden)\b"
)
# Unsubscribe evidence that may be about a session instead ("uitschrijven voor de sessie
# van 12 januari", "remove me from the 4 February session"): a cancellation when the
# sentence is one and says nothing of mail.
SESSION_OR_MAIL_CODES = frozenset(
    {"text:nl:uitschrijven", "text:en:remove-me", "text:en:unsubscribe"}
)
MAIL_WORDS_RE = re.compile(
    r"\b(?:e-?mails?|mails?|mailtjes|mailings?|nieuwsbrie\w*|newsletters?|\w*lijst|list|lists|"
    r"\w*bestand|database|berichten|messages|communicati\w*|marketing|correspondentie)\b"
)
# A request to see one's data (AVG/GDPR art. 15) needs a person: it is neither
# an unsubscribe nor a question the offer answers.
ACCESS_REQUEST_TEXT: Table = _table(
    "nl",
    {
        "inzageverzoek": r"\binzage ?verzoek\b|\bverzoek (?:tot|om) inzage\b|"
        r"\binzage in (?:mijn|de) (?:persoons)?gegevens\b|\bwelke (?:persoons)?gegevens\b"
        r"[^.?\n]{0,40}\b(?:van mij|over mij|bewaart|bewaren|verwerkt|verwerken|vastgelegd)\b",
    },
) + _table(
    "en",
    {
        "access-request": r"\bsubject access request\b|\bright of access\b|"
        r"\baccess to (?:my|the) personal data\b|\bwhat (?:personal )?(?:data|information) "
        r"(?:do you|you) (?:hold|have|keep|store|process)\b|\bcopy of (?:my|the|all) "
        r"(?:personal )?data\b",
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
        r"haar) (?:[\w'’]+ ){0,4}terug\b|\b(?:me|mij|ons|zich) (?:[\w'’]+ ){0,3}"
        r"terug(?:trekken|getrokken|te trekken)\b",
        "intrekken": r"\b(?:aanmelding|inschrijving|deelname|registratie|boeking|reservering)"
        r"(?:en)? (?:\w+ ){0,5}?(?:intrekken|in te trekken|ingetrokken|annuleren|te annuleren|"
        r"geannuleerd|laten vervallen|vervallen|ongedaan (?:maken|te maken))\b|\bverstek "
        r"(?:\w+ )?(?:laten gaan|gaan)\b|\b(?:trek|trekken) (?:ik |we |wij )?"
        r"(?:\w+ ){0,3}(?:aanmelding|inschrijving)(?:en)? in\b|\b(?:deelname|aanmelding|"
        r"komst)\b[^.\n?]{0,30}\bgaat (?:\w+ )?niet door\b",
        "lukt-niet": r"\b(?:lukt|lukken|gaat)\b[^.\n?]{0,30}\bniet\b[^.\n?]{0,20}\b(?:te komen|"
        r"aanwezig|erbij|deel te nemen|mee te doen|aan te sluiten)\b|\b(?:gaat|zal)\b[^.\n?]{0,25}"
        r"\bniet lukken\b(?! als)",
        "plek-vrij": r"\b(?:mijn|onze|de) (?:plek|plaats|plekken|plaatsen)\b[^.\n?]{0,40}"
        r"\b(?:vrijgeven|vrij geven|vrijgegeven|iemand anders|een ander|afstaan|laten vervallen|"
        r"(?:naar|voor|aan) (?:iemand (?:van|op|uit) )?de wachtlijst)\b|"
        r"\b(?:mijn|onze) (?:plek|plaats|plekken|plaatsen) (?:mag|mogen|kan|kunnen) "
        r"(?:\w+ )?(?:weg|vervallen|vrij)\b",
        # "uitschrijven" for a session is a cancellation, for mail an unsubscribe
        "uitschrijven-voor": r"\b(?:uitschrijven|uit te schrijven|schrijf (?:ik )?(?:me|mij|ons) "
        r"uit)\b[^.\n]{0,40}\b(?:workshop|sessie|training|bijeenkomst|cursus|dag|"
        r"\d{1,2} (?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\w*)\b",
        "afzeggen": r"\bzeg(?:gen)? (?=(?:ik |we |wij )?(?:mijn |onze |de |het )?(?:deelname|"
        r"aanmelding|inschrijving|workshop|sessie|training|plek|plaats)\w* af\b)",
        # "ik ben helaas verhinderd", "mijn collega kan helaas niet.": no verb of coming
        "verhinderd": r"\b(?:ben|is|zijn) (?:ik |we |wij |hij |zij )?(?:\S+ ){0,3}verhinderd\b",
        "kan-niet": r"\b(?:ik|we|wij|hij|zij|collega|collega's) (?:\w+ ){0,2}(?:kan|kunnen|kom|"
        r"komen)(?: \w+){0,2} niet(?: meer)?\s*(?:[.!;,]|$)|\b(?:kan|kunnen|kom|komen) "
        r"(?:ik|we|wij|hij|zij) "
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
        "cannot-attend": r"\b(?:can't|cannot|can not|can no longer|won't|will not|unable to|"
        r"not able to|no longer able to|couldn't|could not)"
        r"\b[^.\n?]{0,20}\b(?:make it|attend|come|join|participate|be there|make (?:the|that|"
        r"this|those) (?:\d{1,2}(?:st|nd|rd|th)|session|workshop|training|date|day|first|second|"
        r"third|last|one)|make (?:\d{1,2}|monday|tuesday|wednesday|thursday|friday|january|"
        r"february|march|april|may|june|july|august|september|october|november|december)\b)\b",
        # "take me off the list for the 4 February session": with a session, a cancellation
        "off-the-list": r"\b(?:take|remove|delete|strike|scratch) (?:me|us|my name|our names)\b"
        r"[^.\n]{0,30}\b(?:off|from)\b[^.\n]{0,40}\b(?:session|workshop|training|course|"
        r"attendees?|participants?|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
        r"dec)\w*)\b",
        "cancel": r"\bcancel(?:l?ing)? (?:my|our|his|her|their|the)\b[^.\n]{0,30}\b(?:registration|"
        r"booking|place|spot|seat|participation|attendance)\b|\b(?:have|need|want|"
        r"writing) to cancel\b|"
        r"\bwithdraw (?:my|our|his|her)\b",
        "withdraw": r"\bwithdraw(?:ing|n)? (?:from|us|me|its|their|the)\b|"
        r"\b(?:have|need|must|had|want) to withdraw\b|\bpull(?:ing)? (?:out|me out|us out)\b|"
        r"\bback(?:ing)? out\b",
        "drop-out": r"\bplease cancel(?=\s*(?:[.!,;]|$|me\b|us\b|it\b|for (?:me|us)\b|"
        r"(?:my|our) (?:place|spot|seat|booking|registration|reservation|attendance|"
        r"participation|enrol)))|\bcancel (?:me|us)\b|\bdrop(?:ping)? out\b|"
        r"\bcount (?:me|us) out\b|\bbow(?:ing)? out\b|\b(?:free|give|release) up (?:my|our)\b|"
        r"\b(?:give|release|free) (?:my|our) (?:place|spot|seat)s?\b|"
        r"\bnot (?:going|able) to make it\b",
        "not-attending": r"\b(?:won't|will not|can't|cannot|no longer|not) (?:be )?(?:attending|"
        r"coming|joining|participating)\b",
    },
)
# What is cancelled is something else than a seat: the invoice, a meeting, a train.
OTHER_CANCELLED_RE = re.compile(
    r"\b(?:factuur|facturen|invoice|rekening|bestelling|order|betaling|payment|vergadering|"
    r"meeting|afspraak|appointment|overleg|call|belafspraak|trein|train|vlucht|flight|hotel|"
    r"kamer|room|lunch|taxi|abonnement|subscription)s?\b(?:\s+\w+){0,3}?\s+(?:te )?"
    r"(?:annuleren|afzeggen|af te zeggen|annuleer|geannuleerd|afgezegd|cancel\w*)\b|"
    r"\b(?:annuleer\w*|cancel\w*|zeg\w*)\s+(?:(?:de|het|the|my|our|mijn|onze|uw|your|this|"
    r"that|deze|die|dit|a|een)\s+(?:\w+\s+)?)?(?:factuur|invoice|rekening|"
    r"bestelling|order|betaling|payment|vergadering|meeting|afspraak|appointment|overleg|call|"
    r"trein|train|vlucht|flight|hotel|kamer|room|lunch|taxi|abonnement|subscription)s?\b"
)
# The sentence is about a seat after all ("de workshop annuleren vanwege een afspraak").
SEAT_WORDS_RE = re.compile(
    r"\b(?:workshop|sessie|training|cursus|bijeenkomst|deelname|aanmelding|inschrijving|"
    r"registratie|reservering|boeking|plek|plaats|session|course|booking|registration|"
    r"reservation|place|seat|spot|attendance|participation)\b"
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
# Each phrase is a way of asking; WORKSHOP_TOPIC says what about. An inquiry
# needs both (see classify.is_inquiry).
INQUIRY_TEXT: Table = _table(
    "nl",
    {
        "informatie": r"\b(?:informatie|info|brochure|offerte|prijsopgave|programma|tarieven?|"
        r"kosten)\b",
        "vraag": r"\b(?:vraag|vragen|benieuwd|mogelijk(?:heden)?|graag ontvang ik|zou(?:den)? "
        r"(?:ik|we|wij) graag|kun(?:t|nen)? (?:je|u|jullie)|is er|zijn er|wat (?:is|zijn|kost))\b",
        "in-company": r"\bin-?company\b|\bmaatwerk\b|\bop locatie\b",
        "plek": r"\b(?:nog )?plek\b|\bplaatsen? (?:vrij|beschikbaar)\b",
        # interest stated is a request for the details ("belangstelling; graag de data")
        "belangstelling": r"(?<!geen )\b(?:belangstelling|interesse) (?:voor|in)\b|"
        r"\bge[iï]nteresseerd in\b|\bgraag (?:de |meer |nadere |verdere )?(?:data|informatie|info|"
        r"details)\b",
        # "stuur me de data maar", "ik wil er graag meer over weten"
        "stuur-me": r"\b(?:stuur|mail|zend|stuurt|mailt)\b[^.?!\n]{0,20}\b(?:data|datums|"
        r"informatie|info|programma|brochure|details|mogelijkheden)\b|"
        r"\bmeer (?:over )?(?:\w+ )?(?:weten|horen|lezen)\b|"
        r"\bmeer (?:\w+ )?(?:er )?over (?:weten|horen|lezen)\b",
        "wanneer": r"\bwanneer (?:is|zijn|wordt|worden|geef|geeft|geven|start|begint|kan|kunnen|"
        r"komt|organiseer|organiseert|organiseren)\b|\bhoeveel (?:kost|kosten|plekken|plaatsen)\b",
        "hoor-graag": r"\bhoor (?:ik |we |wij )?graag\b|\bverneem (?:ik |we |wij )?graag\b|"
        r"\blaat (?:u|je|jij|jullie) (?:mij|me|ons) (?:even )?weten\b|\bhoe (?:kan |kunnen )?"
        r"(?:ik|we|wij)\b[^.?\n]{0,25}\b(?:aanmelden|inschrijven|meedoen|mee (?:kan|kunnen) doen|"
        r"deelnemen|aansluiten|instappen)\b",
    },
) + _table(
    "en",
    {
        "information": r"\b(?:information|info|brochure|quote|quotation|programme|program|"
        r"schedule|timetable|"
        r"fees?|price|"
        r"rates?|costs?)\b",
        "question": r"\b(?:would it be possible|is it possible|could you|can you|would you|"
        r"are there|"
        r"is there|would like to (?:join|attend|know|book|organi[sz]e)|interested in|"
        r"looking for)\b",
        "in-house": r"\bin-?house\b|\btailored\b|\bon-?site\b",
        # British and formal ways of asking, and asking when
        "enquiry": r"\benquir(?:e|y|ies|ing)\b|\binquir(?:e|ing)\b|\b(?:let me|let us) know\b|"
        r"\b(?:like|love|want) to know\b|\bgrateful if\b|\b(?:i|we) (?:was|were) wondering\b|"
        r"\b(?:please|kindly) (?:could you |can you |would you )?(?:send|share|tell|e-?mail|"
        r"forward|provide)\b|"
        r"\b(?:could|can|would) you (?:please )?(?:send|share|tell|e-?mail)\b",
        "when": r"\bwhen (?:is|are|will|do|does|can|would)\b|\bwhen the next\b|"
        r"\bhow much (?:is|does|do|are|will|would)\b",
    },
)
WORKSHOP_TOPIC = re.compile(
    r"\b(?:workshops?|trainings?|trainingen|sessies?|sessions?|cursus(?:sen)?|courses?|leergang|"
    r"bijeenkomst|editie|edition|aanmelden|inschrijven|deelnemen|deelname|meedoen|instappen|"
    r"register|attend|join|participate|enrol|enroll|sign up|dates|plek|plekken|places|"
    r"seats|in-?company|in-?house)\b|"
    # Dutch "data" are dates; English "data" is not the workshop
    r"\b(?:de|nieuwe|volgende|welke|andere|jullie|uw|je|deze|die) data\b"
)
# Requests for the organiser to speak or teach elsewhere: not a question about
# joining the workshop, a person answers them.
SPEAKER_REQUEST_RE = re.compile(
    r"\bguest (?:lecture|lesson|speaker|talk)\b|\bgast(?:college|les|spreker)\b|\bkeynote\b|"
    r"\b(?:als|as) (?:spreker|speaker|dagvoorzitter)\b"
)
