"""Questions our automatic replies do not answer (pure data).

Owns the tables attention.needs_a_person searches: what only a person can
answer or arrange, each table by where it must be said to count (anywhere, in
a sentence that asks, in a question, or in a question with the sentence before
it). Each pattern is searched as its top-level alternatives, each only when its
own needles occur.
"""

from __future__ import annotations

import re

from ..prefilter import needles
from . import Phrase, Table

# --- needs a person: what our automatic replies do not answer (attention.py) ---
# Matched on lower-cased new text with curly quotes made straight. Each entry is
# (code, pattern); a code may have several entries (per language, or per way of
# saying it). Written to the meaning: what only a person can answer or arrange.


def _ask(entries: list[tuple[str, str]]) -> Table:
    """One phrase per top-level alternative of each pattern: each is searched only
    when its own needles occur, and a small pattern scans a text faster."""
    compiled = (
        (code, re.compile(alternative))
        for code, source in entries
        for alternative in _alternatives(source)
    )
    return tuple(Phrase(code, pattern, needles(pattern)) for code, pattern in compiled)


def _alternatives(source: str) -> list[str]:
    """source split at its top-level "|" (outside groups and character classes)."""
    parts: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[i + 1 : i + 2] == "^":
                i += 1
            if source[i + 1 : i + 2] == "]":  # a leading ] is a literal
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return parts


# People who are not (or not only) civil servants, when asking who may join.
_ROLES = (
    r"(?:bestuurders?|bestuursleden|bestuurslid|wethouders?|raadsleden|raadslid|"
    r"gemeenteraad|statenleden|gedeputeerden?|burgemeesters?|dijkgraaf|heemraden|politici|"
    r"volksvertegenwoordigers?|students?|studenten|stagiair(?:e|es|s)?|trainees?|interns?|"
    r"vrijwilligers?|volunteers?|bewoners?|inwoners?|residents?|citizens?|burgers?|"
    r"niet-ambtenaren|non-civil servants?|ondernemers?|bedrijven|bedrijf|private (?:sector|"
    r"companies|company)|commercial|consultants?|adviesbureaus?|zzp'?ers?|freelancers?|"
    r"zelfstandigen|elected (?:officials?|members?)|councillors?|aldermen|politicians?|"
    r"board members?|semi-?(?:publieke?|public|overheid)|buitenlandse|foreign|belgische|"
    r"vlaamse|flemish|ngos?|stichting(?:en)?|maatschappelijke organisaties?|"
    r"(?:woning)?corporaties?|partnerorganisaties?|journalists?|journalisten|onderzoekers?|"
    r"researchers?|marktpartijen|market parties|private partijen|companies|company|"
    r"(?:people )?(?:from )?outside (?:the )?government|buiten de overheid|non-government(?:al)?)"
)
_COUNT = (
    r"(?:\d+|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|"
    r"dertig|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty)"
)
# Someone coming to the workshop who has a need ("ik zit in een rolstoel", "zit ik",
# "my colleague is deaf"), not a need named in a story about one's work.
_SAID_OF_SOMEONE = (
    r"(?:\b(?:ik|i|wij|we)\b (?:\w+ ){0,2}(?:zit|ben|gebruik|heb|zijn|hebben|use|am|have|need|"
    r"rely on|are)\b|\b(?:zit|ben|gebruik|heb) (?:ik|wij|we)\b|\bi'm\b|"
    r"\b(?:collega|colleague|deelnemer|participant|medewerker)\b (?:\w+ ){0,3}(?:is|zit|"
    r"gebruikt|heeft|uses|has|needs|relies on)\b)[^.!?\n]{0,25}"
)

# Found anywhere in the new text (and a new message's subject): saying it is enough.
ASK_ALWAYS: Table = _ask(
    [
        # discounts, group rates, budgets, a price for a group: not the price per person
        (
            "ask:price",
            r"\b(?:groeps|staffel|kwantum|studenten|vrijwilligers)?korting\b|"
            r"\bgroeps(?:tarief|prijs|prijzen)\b|"
            r"\b(?:gereduceerde?|verlaagde?|lagere?|aangepaste?|speciale?|maatschappelijke?|"
            r"sociale?|studenten|vrijwilligers|non-profit|ideële?) (?:tarief|prijs|bijdrage)\b|"
            r"\btarief voor (?:maatschappelijke|studenten|vrijwilligers|stichtingen|zzp|kleine|"
            r"non-profit|ideële)|\bgoedkoper\b|\bte duur\b|\b(?:erg|heel|best|wel|te) veel geld\b|"
            r"\b(?:bespreekbaar|onderhandelbaar)\b|\btota(?:al|le) ?(?:prijs|kosten|bedrag)\b|"
            # (\s, not a space, after the short words: the pre-filter then keys on the nouns)
            r"\b(?:kost|kosten|prijs|tarief)\b[^.!?\n]{0,40}\b(?:bij|voor|met)\s(?:een groep|"
            r"ons team|onze groep|z'n \w+en|ons \w+en|" + _COUNT + r" (?:personen|mensen|"
            r"deelnemers|collega's|medewerkers))\b|"
            r"\b(?:kost|kosten|prijs|tarief)\b[^.!?\n]{0,40}\b(?:met|voor) (?:het |de |ons |onze )?"
            r"(?:hele |gehele |voltallige )?(?:team|groep|afdeling)\b|"
            r"\bbudget\b[^.!?\n]{0,40}\b(?:beperkt|krap|toereikend|ontoereikend|te weinig|"
            r"te klein)\b",
        ),
        (
            "ask:price",
            r"\bdiscounts?\b|\bgroup (?:rate|price|pricing|fee)s?\b|"
            r"\b(?:reduced|lower|special|concession(?:ary)?|student|academic|non-?profit|ngo|"
            r"charity|volunteer|discounted) (?:rate|fee|price|pricing|tariff)s?\b|\bcheaper\b|"
            r"\btoo expensive\b|\bnegotiable\b|\bwaive (?:the )?fee\b|\btotal (?:price|cost)\b|"
            r"\b(?:price|cost|costs|fee)\b[^.!?\n]{0,40}\b(?:for|of) (?:a group|the group|our team|"
            r"our group|" + _COUNT + r" (?:people|persons|participants|colleagues|staff))\b|"
            r"\b(?:price|cost|costs|fee)\b[^.!?\n]{0,40}\b(?:for|with) (?:the |our |my )?(?:whole |"
            r"entire )?(?:team|group|department)\b|"
            r"\bbudget (?:is )?(?:limited|tight|small)\b|\blimited budget\b",
        ),
        # the workshop for our own people: in-company, at our place, made to measure
        (
            "ask:in-company",
            r"\bmogelijkheden (?:voor|binnen) (?:ons|onze) (?:\w+)?(?:team|afdeling|organisatie|"
            r"cluster|directie)\b|\bin-?company\b|\bin company\b|"
            r"\b(?:workshop|training|sessie|programma|aanbod|offerte|dag|traject|variant)\b"
            r"[^.!?\n]{0,20}\bop maat\b|\bop maat (?:gemaakt|gesneden)\b|"
            r"\bmaatwerk(?:sessie|variant|traject|"
            r"workshop|training|programma|aanbod)\b|\b(?:een|als) maatwerk\b|"
            r"\bop (?:onze|eigen) locatie\b|\bop locatie\b[^.!?\n]{0,30}\b(?:ons|onze)\b|"
            r"\b(?:workshop|training|sessie|dag|bijeenkomst|geven|verzorgen|organiseren|houden)\b"
            r"[^.!?\n]{0,40}\bop locatie\b|"
            r"\bbij ons (?:op (?:kantoor|locatie|het (?:stad|gemeente|provincie)huis)|in huis|"
            r"langs)\b|"
            r"\bop (?:ons|onze) (?:kantoor|stadhuis|gemeentehuis|provinciehuis|afdeling)\b|"
            r"\b(?:interne|besloten|eigen) (?:leerdag|studiedag|teamdag|heidag|sessie|workshop|"
            r"training|bijeenkomst|editie|groep)\b|"
            r"\b(?:speciaal|alleen|apart|exclusief) voor (?:ons|onze) (?:eigen )?(?:team|afdeling|"
            r"organisatie|cluster|directie|medewerkers|collega's|groep)\b|"
            r"\bvoor (?:ons|onze) (?:hele|gehele|voltallige) (?:team|afdeling|organisatie|"
            r"cluster|directie)\b|\bexterne (?:begeleider|trainer|facilitator)\b|"
            r"\b(?:geven|verzorgen|organiseren|houden|begeleiden)\b[^.!?\n]{0,30}\bbij ons\b|"
            r"\bbij ons\b[^.!?\n]{0,40}\b(?:geven|verzorgen|organiseren|houden|begeleiden)\b",
        ),
        (
            "ask:in-company",
            r"\bin-?house\b|\bin house\b|\bon-?site\b|\bon our (?:premises|site)\b|"
            r"\bat our (?:office|offices|premises|location|venue|town hall|city hall|building)\b|"
            r"\b(?:tailored|tailor-made|customi[sz]ed|bespoke|adapted|dedicated|private|closed|"
            r"exclusive) (?:version|session|workshop|training|programme|program|edition|course)\b|"
            r"\b(?:session|workshop|training|course) (?:just|only|exclusively|specifically) for "
            r"(?:our|my|us)\b|\bbe adapted (?:for|to)\b|"
            r"\bfor (?:our|my) (?:whole|entire) (?:team|department|staff|organi[sz]ation|unit)\b|"
            r"\b(?:run|give|deliver|host|hold|organi[sz]e|facilitate) (?:it|the workshop|a session|"
            r"this|your workshop|a workshop) (?:for|at|with) (?:us|our)\b",
        ),
        # invoicing and procurement beyond an address: quotes, PO numbers, refunds
        (
            "ask:invoice",
            r"\binkoop ?order(?:nummer|nr)?\b|\bpo[- ]?(?:nummer|nr)\b|\bofferte|\bprijsopgave\b|"
            r"\bcredit ?(?:factuur|nota)\b|\bbetaal ?termijn|\bbetalingstermijn|\bvooruitbeta|"
            r"\bin termijnen\b|\bleveranciers?(?:registratie|nummer|portaal)\b|\bkvk-?nummer|"
            r"\bbtw-?(?:nummer|id)\b|\bterugbeta|\brestitutie\b|\bgeld terug\b|"
            r"\bannulerings(?:voorwaarden|kosten|regeling)\b|"
            r"\bfactu(?:ur|ren) (?:aanpassen|wijzigen|corrigeren|splitsen|opnieuw)|"
            r"\b(?:één|een|1|aparte|losse|afzonderlijke|gezamenlijke|gesplitste) factu(?:ur|ren) "
            r"(?:per|voor (?:ons|iedere|elke|alle)|op)|\bop (?:één|1) factuur\b|"
            r"\bfactuur (?:per (?:deelnemer|persoon)|op (?:naam|één))\b",
        ),
        (
            "ask:invoice",
            r"\bpurchase order\b|\bpo (?:number|no\.?|#)|\b(?:formal|price|written|official) "
            r"quot(?:e|ation)\b|\bquotation\b|\bquote for (?:the|a|our|\d)|\b(?:send|need|want|"
            r"require) (?:me |us )?a quote\b|\bcredit note\b|\bpayment terms?\b|"
            r"\bpay in (?:advance|instal?ments)\b|"
            r"\bsupplier (?:registration|portal|number|onboarding)|"
            r"\bregistered as (?:a )?(?:supplier|vendor)\b|\bvendor (?:registration|form)\b|"
            r"\bchamber of commerce\b|\bvat (?:id|number|no)\b|\brefund|"
            r"\bcancellation (?:fee|policy|terms|costs?|charges?)\b|"
            r"\b(?:one|single|separate|combined|split) invoices?\b|"
            r"\binvoice (?:per|for each|each)\b",
        ),
        # a question about the invoice beyond where to send it
        (
            "ask:invoice",
            r"\b(?:factu(?:ur|ren|reer|reren)|invoic\w*|betal\w*|pay|paying|payment)\b"
            r"(?![^?\n]*(?:@|\bnaar\b|\bto\b|\baan\b|t\.a\.v|\badres|\baddress))[^?\n]{0,80}\?",
        ),
        # a link or login that does not work: a person helps them in
        (
            "ask:platform",
            r"\b(?:kan|kun|kunnen|lukt)\b[^.!?\n]{0,25}\bniet (?:\w+ )?(?:inloggen|in ?te loggen|"
            r"openen|te openen|binnenkomen|binnen te komen|deelnemen aan de online)\b|"
            r"\bfoutmelding|\b(?:link|inlog\w*|uitnodiging) (?:werkt|doet het) niet\b|"
            r"\b(?:can't|cannot|unable to|could not|couldn't) (?:log ?in|sign in|open the link|"
            r"access the (?:session|meeting|link))\b|\berror message\b|"
            r"\b(?:link|login) (?:doesn't|does not|isn't|is not|won't) (?:work|open)\b",
        ),
        # care needs someone must arrange, said of oneself or a colleague
        (
            "ask:accessibility",
            _SAID_OF_SOMEONE + r"(?:rolstoel|scootmobiel|rollator|slechthorend|\bdoof\b|"
            r"gehoorapparaat|slechtziend|\bblind\b|wheelchair|mobility scooter|hard of hearing|"
            r"\bdeaf\b|hearing aid|visually impaired|\bblind\b|beperking|handicap|"
            r"disabilit|impairment|slechtziend)|"
            r"\bringleiding|\bgebarentolk|\bschrijftolk|\binvalidentoilet|\bhulphond|"
            r"\bgeleidehond|\bassistentiehond|\bprikkelarm|\bkolven\b|\bkolfruimte|\bborstvoeding|"
            r"\bgebedsruimte|\bhearing loop\b|\bsign language\b|\bguide dog\b|\bassistance dog\b|"
            r"\bbreastfeeding\b|\bpumping room\b|\bprayer room\b|\bstep-free\b",
        ),
        # sending someone in one's place
        (
            "ask:substitute",
            r"\bin (?:mijn|zijn|haar|hun) plaats\b|\bin plaats van (?:mij|hem|haar)\b|"
            r"\bvervang(?:er|ster|ing)\b|\b(?:plaats|plek|aanmelding|inschrijving|ticket) "
            r"(?:\w+ ){0,2}(?:overdragen|overzetten|overnemen|doorgeven)\b|"
            r"\b(?:neemt|overnemen|overneemt) (?:\w+ ){0,2}(?:plaats|plek)\b|"
            r"\bop naam van (?:mijn |een )?collega\b|"
            r"\b(?:een collega|iemand anders|mijn collega) (?:\w+ ){0,2}(?:sturen|laten gaan)\b",
        ),
        (
            "ask:substitute",
            r"\bin my (?:place|stead)\b|\binstead of (?:me|him|her)\b|\breplacement\b|"
            r"\bsubstitute\b|\btransfer (?:my|his|her|the) (?:place|spot|seat|registration|"
            r"booking|ticket)|\btake (?:over )?(?:my|his|her) (?:place|spot|seat)\b|"
            r"\bsend (?:a|my|another) colleague\b|\bsend someone else\b|"
            r"\b(?:colleague|someone else|somebody else) (?:\w+ ){0,3}instead\b",
        ),
        # not a participant: a talk, a collaboration
        (
            "ask:speaker",
            r"\bgast(?:college|les|spreker|bijdrage|docent)\b|\bdagvoorzitter\b|"
            r"\bals (?:gast|key ?note ?)?spreker\b|\bas (?:a |our )?(?:keynote |guest )?speaker\b|"
            r"\bkeynote speaker\b|"
            r"\bguest (?:lecture|lesson|talk|speaker|contribution|session)\b",
        ),
        (
            "ask:partnership",
            r"\bsamenwerk\w*\b[^.!?\n]{0,40}\b(?:met|aan) (?:jullie|u|jou|je|uw|jouw)\b|"
            r"\bpartnerschap met "
            r"(?:jullie|u)\b|\bpartner (?:worden|van jullie)\b|\bwhite ?label|"
            r"\btrain[- ]the[- ]trainer|\b(?:opnemen|aanbieden) in (?:ons|onze) "
            r"(?:aanbod|catalogus|academie|leeromgeving|opleidingsaanbod)\b|"
            r"\bpartnership\b|\bcollaborat(?:e|ion) with (?:you|your)\b|"
            r"\b(?:list|include|offer) (?:your|the) workshop in our\b",
        ),
        # a request under the AVG/GDPR to see one's data
        (
            "ask:access-request",
            r"\binzage(?:verzoek)?\b|\bverzoek (?:tot|om) inzage\b|\bwelke (?:persoons)?gegevens "
            r"(?:\w+ ){0,2}(?:hebben|heeft|hebt|bewaren|bewaart|verwerken|verwerkt)\b|"
            r"\bsubject access\b|\baccess request\b|\bright of access\b|\bcopy of (?:my|the|all) "
            r"(?:personal )?(?:data|information)\b|"
            r"\bwhat (?:personal )?data (?:do|does) (?:you|your)|\bartikel 15\b|\barticle 15\b",
        ),
        # permission only the organiser can give ("field notes, only if you agree")
        (
            "ask:question",
            r"\bif you (?:and \w+ (?:\w+ )?)?(?:agree|approve|allow|permit|consent|don't mind|"
            r"do not mind|are ok|are okay)\b|"
            r"\b(?:with|have) your (?:permission|consent|approval)\b|"
            r"\bals (?:jij|je|u|jullie) (?:het )?(?:goed ?vindt|goedvinden|"
            r"akkoord (?:gaat|gaan|bent|zijn)|geen bezwaar)|"
            r"\bmet (?:uw|jouw|jullie) (?:toestemming|goedkeuring|akkoord)\b|"
            r"\bmits (?:jij|je|u|jullie) (?:akkoord|het goedvindt|geen bezwaar)",
        ),
        # taking back part of a booking: fewer seats, the others still come
        (
            "ask:partial-cancel",
            r"\b(?:aanpassen|terugbrengen|wijzigen|verlagen|veranderen) (?:naar|tot) "
            + _COUNT
            + r" (?:persoon|personen|plaats(?:en)?|plek(?:ken)?|deelnemers?)\b|"
            r"\b(?:één|een|1) (?:plaats|plek|persoon|deelnemer) minder\b|"
            r"\b(?:met )?"
            + _COUNT
            + r" (?:personen |mensen |deelnemers )?in plaats van "
            + _COUNT
            + r"\b|"
            r"\b(?:niet|afmeld|annuleer|annuleren)[^?]{0,150}\b(?:kom|komt|komen) (?:nog )?"
            r"(?:wel|gewoon)\b(?! goed)|\b(?:kom|komt|komen) (?:nog )?(?:wel|gewoon)\b(?! goed)"
            r"[^?]{0,80}\bniet\b",
        ),
        (
            "ask:partial-cancel",
            r"\b(?:reduce|change|lower|bring) (?:\w+ ){0,3}(?:to|down to) "
            r"(?:\d+|one|two|three|four) (?:person|people|places?|seats?|spots?|participants?)\b|"
            r"\bone (?:place|seat|spot|person) (?:fewer|less)\b|"
            r"\b(?:not|can't|cannot|unable|cancel)[^?]{0,150}\bstill (?:come|coming|attend|"
            r"attending|be there|join)|\bstill (?:come|coming|attend|attending|be there|join)"
            r"[^?]{0,80}\b(?:not|can't|cannot|unable)\b",
        ),
    ]
)

# Found only in a sentence that asks (a question, or "graag hoor ik ..."): said in
# passing these need no answer ("ik neem de trein", "Rob eet vegetarisch").
ASK_WHEN_ASKED: Table = _ask(
    [
        (
            "ask:accessibility",
            r"\btoegankelijk\w*\b(?! voor (?!rolstoel|mensen met|minder))|"
            r"\bbereikbaar met een (?:rolstoel|lift)|\blift\b|\btraplift|\bdrempel|"
            r"\btrappen\b|\brolstoel|\bslechthorend|\bbeperking|\bdyslex",
        ),
        (
            "ask:accessibility",
            r"\baccessib|\belevator\b|\bstairs\b|\bdisabilit|\bwheelchair|\bimpair",
        ),
        (
            "ask:platform",
            r"\b(?:ms |microsoft )?teams\b|\bzoom\b|\bwebex\b|\bgoogle meet\b|\bjitsi\b|\bskype\b|"
            r"\b(?:video|online ?|vergader|meeting ?)?platform|"
            r"\bvideo ?(?:verbinding|bellen|call|link|vergader|conferenc|tool|software)|"
            r"\b(?:de|een|welke) link\b|\binlog|\bcamera|\bheadset|\bsoftware\b|\bbrowser\b|"
            r"\bfirewall\b|\bbreakout|\binbellen\b|\bdial[- ]in\b|"
            r"\b(?:telefoon|tablet|ipad|phone)\b|"
            r"\bthe link\b|\blog ?in\b|\bmiro\b|\bmural\b",
        ),
        (
            "ask:logistics",
            r"\bparke(?:er|ren)|\bparking\b|\b(?:het|welk|exacte|precieze|bezoek) adres\b|"
            r"\badres van\b|\b(?:the|exact|full|venue|street) address\b|\baddress of\b|"
            r"\broute(?:beschrijving)?\b|\bdirections\b|\bbereikba|\breach the venue\b|"
            r"\bhotel|\bovernacht|"
            r"\baccommodation\b|\bwelke (?:zaal|locatie|plek) in\b|\bwaar (?:precies|in|is het|"
            r"is de|zit)\b|\bwhere (?:exactly|in|is)\b|\b(?:which|what) (?:venue|building|room)\b|"
            r"\b(?:wat|welke|waar) (?:is )?(?:de |het )?(?:locatie|zaal|gebouw)\b|"
            r"\bwhat(?:'s| is) the (?:venue|location)\b|\binloop|\bontvangst\b|\bdeuren? open\b|"
            r"\beerder (?:weg|vertrekken|komen)|"
            r"\blater (?:komen|aansluiten|binnen)|\b(?:leave|arrive|come) (?:early|late|later)\b|"
            r"\bjoin (?:later|late)\b|\b(?:alleen|halve) (?:de )?(?:ochtend|middag|dag)\b|"
            r"\bhalf (?:a )?day\b|\b(?:only|just) the (?:morning|afternoon)\b",
        ),
        (
            "ask:who-may-attend",
            r"\b(?:mag|mogen|kan|kunnen|can|may|could|possible for)\b(?: \S+){0,4} "
            + _ROLES
            + r"(?: \S+){0,4} (?:ook )?(?:mee|meenemen|meebrengen|deelnemen|meedoen|aansluiten|"
            r"komen|join|attend|participate|come|take part|bring)\b|"
            r"\b(?:open|toegankelijk|bedoeld|geschikt|alleen|uitsluitend|only|intended|meant|"
            r"suitable|restricted|reserved|welcome|welkom)\b(?: \S+){0,2} (?:voor|to|for) "
            r"(?:(?!die |who |that |met |with |werk|work)\S+ ){0,3}"
            + _ROLES
            + r"(?! die| who| that| met| with| in)\b|"
            r"\b(?:ook|also|even) (?:open )?(?:voor|for|to) (?:\S+ ){0,1}"
            + _ROLES
            + r"(?! die| who| that| met| with| in)\b|"
            r"\b(?:alleen|uitsluitend|echt) (?:\w+ ){0,2}voor (?:ambtenaren|overheden|de overheid|"
            r"medewerkers van)|\b(?:only|just|exclusively) (?:\w+ ){0,2}for (?:civil servants|"
            r"government|public servants|officials)|"
            r"\b"
            + _ROLES
            + r"\b[^.!?\n]{0,30}\b(?:welcome|welkom|allowed|toegestaan|eligible|admitted|"
            r"toegelaten)\b",
        ),
        (
            "ask:language",
            r"\bin (?:het )?(?:engels|english|duits|frans|german|french|nederlands|dutch)\b|"
            r"\bengelstalig|\b(?:gesproken|spoken)\b|"
            r"\benglish-speaking\b|\bniet-nederlandstalig|\bnon-dutch\b|\btolk\b|\binterpret|"
            r"\bvertal|\btranslat|\b(?:taal|language)\b[^.!?\n]{0,30}\b(?:probleem|problem|issue|"
            r"barri[eè]re?|barrier|obstacle)|\b(?:spreek\w*|speak\w*|fluent in|beheers\w*) "
            r"(?:\w+ )?(?:geen |no |not |little |weinig )?(?:engels|english|nederlands|dutch)\b|"
            r"\b(?:don't|do not|doesn't|does not|niet|geen) (?:\w+ )?(?:speak |spreken |spreekt )?"
            r"(?:dutch|nederlands)\b",
        ),
        (
            "ask:speaker",
            r"\bkeynote\b|\bpodcast\b|\b(?:lezing|presentatie|inleiding|workshop) (?:\w+ ){0,3}"
            r"(?:geven|verzorgen|houden) (?:op|bij|voor|tijdens)\b|\bspreker\b|\binleider\b|"
            r"\b(?:komen )?spreken (?:op|bij|tijdens|voor)\b|\b(?:give|deliver|do) a (?:talk|"
            r"lecture|presentation|keynote|masterclass)\b|\bspeak at\b|\bspeaker\b|\bpanel\b|"
            r"\bfacilitate (?:a|our|the|an)\b|\bat our (?:event|conference|congress|symposium)\b|"
            r"\bop ons (?:congres|symposium|evenement|event)\b",
        ),
        (
            "ask:partnership",
            r"\bsamen (?:met (?:jullie|u|jou) )?(?:iets )?(?:organiseren|ontwikkelen|aanbieden)\b|"
            r"\bsponsor|\bonderaanne|\blicentie\b|\bco-?organi[sz]e\b|\bsubcontract|"
            r"\blicen[cs]e (?:the|your)\b|\bwork together\b",
        ),
        # the source of personal data (AVG art. 14/15): how did you get my address
        (
            "ask:access-request",
            r"\bhoe (?:komen|komt|kwamen|kwam|bent|zijn|ben) (?:jullie|u|je)\b[^.!?\n]{0,30}"
            r"\b(?:adres|e-?mailadres|gegevens|naam)\b|\bwaar (?:hebben|heeft|hebt) (?:jullie|u|je)"
            r"\b[^.!?\n]{0,30}\b(?:adres|e-?mailadres|gegevens)\b|"
            r"\b(?:how|where) did you (?:get|obtain|find)\b[^.!?\n]{0,20}\b(?:address|e-?mail|data|"
            r"details|name)\b",
        ),
        # topics the offer never covers
        (
            "ask:question",
            r"\bcertifica|\bdeelnamebewijs|\bbewijs van deelname|\baccreditat|\bpe-punten|"
            r"\bstudiepunten|\bpermanente educatie|\bcertificate|\bcredits\b|\bcpd\b|"
            r"\bopname\b|\bopgenomen\b|\brecording|\brecorded\b|\bslides\b|\bsheets\b|"
            r"\bhand-?outs?\b|"
            r"\bvoorbereid(?:ing|en)|\bpreparation\b|\bprepare\b|\bhuiswerk|\bhomework\b|"
            r"\b(?:aantal|hoeveel) deelnemers (?:per|in|op) (?:de |een )?(?:groep|sessie|workshop)|"
            r"\bgroepsgrootte|\bgroup size|\bhow many (?:people|participants) (?:per|in|attend)|"
            r"\bverwijder (?:mijn|het|dat|dit|die) (?:vorige )?(?:bericht|mail)|"
            r"\b(?:mijn|het|dat|dit|die) (?:vorige )?(?:bericht|mail) (?:\w+ ){0,2}verwijderen\b|"
            r"\bdelete (?:my|the|that) (?:previous )?(?:message|e-?mail)",
        ),
    ]
)

# Found only in a question (a sentence with a question mark): how one travels and
# what one eats are remarks in a request ("zet me op Zwolle, ik kom met de trein",
# "graag een vegetarische lunch") and a question only when asked.
ASK_WHEN_QUESTIONED: Table = _ask(
    [
        (
            "ask:accessibility",
            r"dieet|allergi|\bglutenvrij|\blactose|\bhalal\b|\bkosher\b|\bvegan|\bveganist|"
            r"\bvegetari|\bnoten\b|\bpinda|\bdietary\b|\ballerg|\bgluten|\bnut-free\b|\bnuts\b",
        ),
        (
            "ask:logistics",
            r"\btrein\b|\bstation\b|\btrain\b|\bopenbaar vervoer\b|\bpublic transport\b|"
            r"\b(?:met|by) (?:de |het )?(?:ov|bus|auto|fiets|car|bike)\b",
        ),
    ]
)

# Found in a question together with the sentence before it: who may join, said just
# before the question ("Wij zijn een stichting, geen overheid. Kunnen wij ook deelnemen?").
ASK_BEFORE_QUESTION: Table = _ask(
    [
        (
            "ask:who-may-attend",
            r"(?:\b"
            + _ROLES
            + r"\b|\bniet (?:bij|van) (?:een|de) overheid\b|\bgeen (?:overheid|ambtenaar|"
            r"ambtenaren)\b|\bniet ambtenaar\b|\bnot (?:a |in )?(?:civil servant|government|"
            r"public (?:body|sector))\b)[^?\n]{0,80}\b(?:mag|kan|mogen|kunnen|can|may|could)\s"
            r"(?:ik|wij|we|i|zij|ze|they|he|she|hij)\s(?:dan\s|then\s)?(?:ook|also|still|even)\b"
            r"[^?\n]{0,40}\?",
        ),
        # one says who they are ("ik ben student", "I'm a journalist") and then asks
        (
            "ask:who-may-attend",
            r"\b(?:ik ben|i'm|i am|wij zijn|we are|we're)\s(?:\w+\s){0,2}"
            + _ROLES
            + r"\b[^?\n]{0,120}\b(?:mag|kan|mogen|kunnen|can|may|could)\s(?:ik|wij|we|i)\b"
            r"[^?\n]{0,60}\?",
        ),
    ]
)
