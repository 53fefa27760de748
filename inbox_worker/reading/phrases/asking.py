"""How a sentence asks, and how a message asks nothing (pure data).

Owns the sentence shapes attention.py reads around the question tables of
unanswered.py: a sentence that asks without a question mark, questions our offer
and confirmations already answer, a choice made on a condition only a person can
answer or left to us; and the thanks, acknowledgements and regret that tell
whether a message needs no answer at all.
"""

from __future__ import annotations

import re

# A sentence that asks without a question mark.
ASKING_RE = re.compile(
    r"\bgraag (?:ontvang|hoor|verneem|weet|zou)|\b(?:ik|wij|we) (?:wil|willen|zou|zouden) "
    r"(?:graag )?(?:\w+ )?(?:weten|horen|vernemen)\b|"
    r"\blaat (?:me|mij|ons|het) (?:\w+ ){0,2}weten\b|"
    r"\bbenieuwd\b|\bvraag (?:me|mij|ik) af\b|\bvragen (?:zich|ons|we|wij) af\b|"
    r"\b(?:mijn|onze|de) vraag\b|\b(?:ik|wij|we) (?:verzoeken|vragen) (?:u|je|jou|jullie)\b|"
    r"\bverzoek (?:ik|wij|we) (?:u|je|jullie)\b|\bgraag (?:het|de|een|uw|jouw|meer)\b|"
    r"\b(?:zoeken|zoek) (?:ik|wij|we)\b|\b(?:ik|wij|we) zoeken\b|\bop zoek naar\b|"
    r"\bnodig(?:en)? (?:je|jou|u|jullie) (?:graag )?uit\b|"
    r"\bi(?:'d| would) (?:like|love) to know\b|\b(?:please|kindly) (?:let|tell|advise|send|"
    r"confirm|inform|book)\b|\blet (?:me|us) know\b|\bi (?:was )?wonder|\bwe (?:were )?wonder|"
    r"\bdo you know\b|\b(?:asks?|asked|wants? to know|wondering|wonders) (?:whether|if)\b|"
    r"\b(?:vraagt|vroeg|vragen|wil(?:len)? weten|weten) of\b|"
    r"\b(?:i|we)(?:'d| would) appreciate\b|\bneeds? you to\b|"
    r"\bwe need (?:you|to know)\b|\b(?:could|can|would) you\b|\blooking for\b|"
    r"\b(?:like|want) to invite you\b|\b(?:i|we)(?:'d| would) love (?:you|to have you|it if)\b|"
    r"\b(?:zou|zouden) (?:het )?(?:graag|fijn|mooi|leuk) (?:vinden|zien) (?:als|dat)\b|"
    r"\b(?:kun|kunt|kan|wil|wilt|zou|zouden) (?:je|jij|u|jullie)\b"
)

# Questions our offer and confirmations answer (dates, room, how to register, what the
# workshop is and costs per person, moving and choosing, the booking itself), and
# questions that only offer help ("heb je nog vragen?"). A question sentence with none
# of these, in a message that no code names, is an ask:question.
ANSWERED_QUESTION_RE = re.compile(
    r"\bwanneer\b|\bwhen\b|\bdata\b|\bdatums?\b|\bdates?\b|\bvolgende\b|\beerstvolgende\b|"
    r"\bnext\b|\bupcoming\b|\bgepland|\bplanned\b|\bscheduled\b|\beditie|\bedition|\binstappen\b|"
    r"\b(?:dit|volgend) jaar\b|\b(?:voorjaar|najaar|zomer|winter)\b|\b(?:this|next) year\b|"
    r"\b(?:spring|summer|autumn|fall)\b|\bnog (?:workshops|sessies|trainingen|iets)\b|"
    r"\bbinnenkort\b|\bkomende\b|\bcoming up\b|\bsoon\b|\bany (?:sessions|dates|workshops)\b|"
    r"\bonline\b|\bdigitaal\b|\bop afstand\b|\bvirtual\b|\bremote(?:ly)?\b|"
    r"\bplek|\bplaats|\bruimte\b|\broom\b|\bspace\b|\bseats?\b|\bspots?\b|\bplaces?\b|\bvol\b|"
    r"\bfull\b|\bbeschikbaar|\bavailab|"
    r"\baanmeld|\binschrijv|\bopgeven\b|\bdeelne|\bdeelname|\bmee ?doen\b|\bjoin\b|\battend|"
    r"\bregist|\bsign (?:me |us )?up\b|\bbook|\benrol|\bparticipat|\btake part\b|\bput (?:me|us)\b|"
    r"\boverstappen\b|\bschuiven\b|\bverzetten\b|\bomzetten\b|\bwisselen\b|\bruilen\b|"
    r"\bin plaats van\b|\binstead\b|\bmove\b|\bswitch|\boptie|\boption|"
    r"\binformatie\b|\binfo\b|\bprogramma|\bprogram|\bbrochure|\bdetails\b|\bmogelijkhe|"
    r"\bwhat'?s available\b|\bwhat is available\b|\bopzet\b|\binhoud|\bcontent|\bhoudt\b|"
    r"\beruit\b|\blook like\b|\bmeer (?:over|weten)\b|\b(?:more|tell me) about\b|"
    r"\btell (?:me|us) more\b|\bvoor wie\b|\bwho is (?:it|the workshop|this) (?:for|meant)\b|"
    r"\bbedoeld\b|\bwie (?:geeft|begeleidt|verzorgt)\b|\bwho (?:gives|runs|leads|teaches)\b|"
    r"\bsomething for\b|\bbied(?:t|en) (?:\w+ )?(?:\w+ )?aan\b|\baanbieden\b|"
    r"\bdo you (?:still )?(?:offer|run|give|organi[sz]e|have)\b|"
    r"\bnog iets (?:doen|regelen)\b|\banything else\b|"
    r"\bwat moet ik (?:nog )?doen\b|\bwhat (?:do|should) i do\b|\btot (?:dan|ziens)\b|"
    r"\bsee you\b|"
    r"\bkost\b|\bkosten\b|\bprijs\b|\bprice\b|\bcosts?\b|\bfees?\b|\btarie|\bbtw\b|\bvat\b|"
    r"\binclusief\b|\binclud|\binbegrepen\b|\blunch\b|"
    r"\bgeschikt|\biets voor\b|\bsuitable\b|\brelevant|\bsluit\b|\baansluit|"
    r"\bbevestiging|\bconfirmation|\bagenda|\bcalendar|\b(?:cc|kopie|copy)\b|"
    r"\bnaar (?:hen|haar|hem)\b|\bonderwerp|\bsubject line|\breferen|\bmeldingsnummer|"
    r"\bticketnummer|\bkenmerk\b|"
    r"\bhoe laat\b|\bwhat time\b|\btijden\b|\btimes\b|\bhoe lang\b|\bhow long\b|\bhele dag\b|"
    r"\bcasus|\beigen case\b|\bown case\b|\balleen (?:komen|deelnemen)\b|\bon my own\b|"
    r"\bby myself\b|\bkan dat(?: nog)?\b|\bis dat (?:mogelijk|goed|ok)|\bis that (?:possible|ok|"
    r"okay|fine|alright)|\bwould that (?:work|be ok)|"
    r"\b(?:heb|hebt|heeft) (?:je|jij|u) (?:nog )?vragen\b|\bany (?:further |other )?questions\b|"
    r"\bkun (?:je|jij) (?:toch )?niet\b|\bcannot make it\b|"
    # where to send the invoice: a remark, even when asked
    r"\bfactu\w*\b[^?\n]*(?:@|\bnaar\b|t\.a\.v|\badres)|\binvoice\b[^?\n]*(?:@|\bto\b|\baddress)|"
    # asking for the very thing the deciding layer does: come, cancel, unsubscribe
    r"\bmee\b|\b(?:hier|daar|er)(?:heen|naartoe)\b|\berbij\b|\bafmeld|\bmeld\w* (?:\w+ )?af\b|"
    r"\bannul|\bcancel|\buitschrijv|\bschrijf (?:\w+ )?uit\b|\bunsubscribe|\bbestand\b|"
    r"\b(?:mailing)?lijst\b|\bmailing\b|\bremove me\b|\bwithdraw|\bterugtrekken\b|\bpull out\b"
)

# A choice made conditional on something only a person can answer ("als er
# parkeergelegenheid is, dan ..."). Conditions the deciding layer answers itself (room
# left, "als dat kan", "if possible") do not count.
CONDITION_RE = re.compile(
    r"\b(?:als|indien|mits|tenzij|op voorwaarde dat|alleen als) (?<!\bnet als )(?<!\bzo als )"
    r"(?<!zowel als )(?<!evenals )(?:er|het|dat|de|deze|jullie|u|je|jij|ik|we|wij|mijn|"
    r"onze?|ze|zij|hij|daar)\b[^.!?\n;,]{0,60}|"
    r"\b(?:if|provided|providing|as long as|unless|on condition that|only if) (?:there|the|it|"
    r"that|this|you|your|we|i|my|our|they)\b[^.!?\n;,]{0,60}"
)
CONDITION_EXEMPT_RE = re.compile(
    r"\b(?:plek|plekken|plaats|plaatsen|ruimte|room|space|seats?|spots?|places?)\b|"
    r"\b(?:vol|full|beschikbaar|available)\b|"
    r"^(?:als|indien|if|unless|tenzij) (?:dat|het|it|that|this|er) (?:nog |still |ook |also )?"
    r"(?:kan|mag|lukt|mogelijk is|goed is|ok is|oké is|uitkomt|handig(?:er)? is|past|schikt|"
    r"doorgaat|nodig is|is possible|possible|works|suits|is ok|is okay|is fine|helps|"
    r"goes ahead|is needed|is necessary|kan lukken|is convenient)\b|"
    r"^(?:als|indien|if) (?:jullie|u|je|you) (?:dat |het |it )?(?:willen|wilt|wil|want|prefer|"
    r"like)\b"
)
# ... and the sentence names a session or says what they will then do.
CHOICE_RE = re.compile(
    r"\boptie|\boption|\b(?:de|het|the) (?:eerste|tweede|derde|laatste|first|second|third|last)\b|"
    r"\b\d{1,2}(?:e|ste|de)? (?:jan|feb|maa|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)|"
    r"\b(?:januari|februari|maart|april|juni|juli|augustus|september|oktober|november|"
    r"december|january|february|march|june|july|august|october)\b|"
    r"\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag|monday|tuesday|wednesday|thursday|"
    r"friday)\b|\b(?:online|fysiek|physical|in person|variant|versie|sessie|session)\b|"
    r"\bdan (?:kom|komen|doe|doen|kies|kiezen|neem|nemen|graag|ga|gaan|wil|willen|schrijf|"
    r"meld|liever|toch)\b|\b(?:i|we)(?:'ll| will) (?:take|come|join|go for|choose|book|attend)\b|"
    r"\bthen (?:option|i|we|please)\b|\b(?:book|sign|put|zet|schrijf|meld) (?:me|us|mij|ons)\b|"
    r"\b(?:aanmelden|inschrijven|inschrijf|aanmeld|register|sign up)\b"
)

# A choice left to us.
OPEN_CHOICE_RE = re.compile(
    r"\bmaakt (?:mij |me |ons )?(?:niet|niks|weinig) uit\b|"
    r"\b(?:allebei|beide|alle(?: drie| twee)?)\b[^.!?\n]{0,25}\b(?:prima|goed|mogelijk|ok|oké|"
    r"akkoord|even goed|kan)\b|\b(?:kan|kunnen) (?:ik|we|wij) (?:op )?(?:alle|allebei|beide)\b|"
    r"\bzet (?:me|mij|ons) (?:maar )?(?:waar|daar waar|op de (?:datum|sessie|dag) (?:waar|die))\b|"
    r"\b(?:kies|bepaal|beslis) (?:jij|jullie|u) maar\b|\b(?:jij|jullie|u) (?:mag|mogen) "
    r"(?:het )?(?:kiezen|bepalen|beslissen)\b|\bwaar (?:nog )?(?:het meest(?:e)? |de meeste )?"
    r"(?:plek|plaats|ruimte) is\b|\bwat (?:jou |jullie |u )?het beste (?:uitkomt|past)\b|"
    r"\b(?:ik|we|wij) (?:kan|kunnen) (?:op )?(?:alle|allebei|beide)\b|"
    r"\bkies (?:jij |jullie |u )?(?:maar|gerust)\b|\bgeen voorkeur\b|"
    r"\b(?:ben|zijn) (?:\w+ )?flexibel\b|"
    r"\bdoes(?:n't| not) matter\b|\beither (?:one |date |session |option )?(?:is|would be|works)\b|"
    r"\b(?:any|all|both) (?:of (?:them|the (?:dates|sessions|options)) )?(?:is|are|would be|"
    r"works?) (?:fine|ok|okay|good)\b|\bwhichever\b|\bno preference\b|\bup to you\b|"
    r"\byou (?:choose|decide|pick)\b|\bwherever there(?:'s| is) (?:room|space)\b|"
    r"\b(?:i'm|i am|we're|we are) flexible\b|\bwhatever (?:suits|works)\b"
)
# open-choice in a first inquiry ("voorkeur locatie: maakt niet uit") is answered by the
# offer; it counts when they are choosing (a session named in the sentence, or a date choice)
SESSION_NAMED_RE = re.compile(
    r"\boptie|\boption|\b(?:januari|februari|maart|april|mei|juni|juli|augustus|"
    r"september|oktober|november|december|january|february|march|may|june|july|august|"
    r"october)\b|\b(?:allebei|beide|both|either)\b|\b(?:maandag|dinsdag|woensdag|donderdag|"
    r"vrijdag|monday|tuesday|wednesday|thursday|friday)\b"
)

# Thanks and acknowledgements that need no answer (attention.is_thanks_only): a short
# fragment of the text made only of these; greetings and sign-offs may stand around them.
THANKS_FRAGMENT_RE = re.compile(
    r"(?:(?:(?:heel |hartelijk |ontzettend |super |nogmaals |alvast )?(?:dank|bedankt)"
    r"(?: je| u| jullie)?(?: wel| zeer)?(?: (?:voor|for) (?:de|het|je|jouw|uw|your|the) \w+"
    r"(?: \w+)?)?|(?:many |much |big )?thanks?(?: you)?(?: (?:so|very) much)?(?: (?:for|voor) "
    r"(?:the|your|de|het) \w+(?: \w+)?)?|thx|tnx|merci|top|prima|fijn|mooi|super|perfect|"
    r"helder|duidelijk|goed|geweldig|leuk|great|lovely|wonderful|excellent|cool|fine|good|nice|"
    r"(?:in goede orde )?ontvangen|received|got it|noted|genoteerd|gezien|"
    r"(?:staat|zet ik het|heb het|is)(?: \w+)? in (?:mijn|de) agenda|in my (?:calendar|diary)|"
    r"ok(?:é|e|ay)?|okido|akkoord|check|yes|ja|all right|alright|sure|"
    r"tot (?:dan|ziens|snel|straks|morgen|maandag|dinsdag|woensdag|donderdag|vrijdag|"
    r"(?:de )?\d+\w*(?: \w+)?)|see you(?: (?:then|there|soon|on \w+))?|"
    r"(?:ik )?(?:kijk|kijken) (?:er )?(?:naar )?uit|(?:i'm |we're |i am |we are )?looking "
    r"forward(?: to (?:it|the \w+))?|graag gedaan|fijne dag|fijn weekend|have a (?:nice|good) \w+|"
    r"(?:met )?(?:vriendelijke |hartelijke |veel )?groet(?:en|jes)?|(?:kind |best )?regards|"
    r"cheers|mvg|gr|vg|hoi|hallo|hi|hey|hello|dag|beste|dear|goedemorgen|goedemiddag|"
    r"(?:dat is|wat|how|that's|thats) (?:fijn|top|mooi|goed|great|nice|perfect)|"
    r"(?:klinkt|sounds) (?:goed|good|great|prima|perfect))(?:\s+|$))+"
)

# A message that asks nothing (attention.asks_nothing): it thanks, confirms, says
# they come, or passes something on for information, and says so in words like these.
NO_ANSWER_MARKER_RE = re.compile(
    r"\b(?:dank|bedankt|thanks?|thank you|ik kom|we komen|wij komen|i'll be there|"
    r"we'll be there|tot (?:dan|ziens|morgen|maandag|dinsdag|woensdag|donderdag|vrijdag)|"
    r"see you|ter info(?:rmatie)?|fyi|for your information|hierbij (?:alvast |stuur ik )?"
    r"(?:mijn|onze|de)|(?:please )?find attached|(?:bevestigen|bevestig) (?:wij|we|ik)|"
    r"all set|no need to (?:reply|respond|answer)|(?:hoeft|hoef) (?:je |u )?(?:niet|geen) "
    r"(?:te )?(?:reageren|antwoorden|antwoord)|geen (?:reactie|antwoord) nodig|"
    r"(?:wachten|wacht) (?:we|wij|ik) (?:het )?af|we(?:'ll| will) wait|"
    r"(?:kom|komen) (?:er|daar|hier)(?:op| (?:\w+ )?(?:nog )?op) terug|laat (?:ik|we|wij) (?:nog )?"
    r"(?:van (?:me|mij|ons) horen|het (?:je |u |jullie )?weten)|"
    r"(?:i|we)(?:'ll| will) (?:get back to you|be in touch|come back to you|let you know)|"
    r"(?:and|then) (?:get|come) back to you|"
    r"(?:this is to|just|writing to|hereby|we) confirm|i confirm|we are pleased to confirm)\b"
)
# ... and makes no request of the organiser.
REQUEST_RE = re.compile(
    r"\b(?:kun|kunt|kunnen|kan|wil|wilt|willen|zou|zoudt|zouden|could|can|would|will) "
    r"(?:je|jij|u|jullie|you)\b|\b(?:graag|please|verzoek|request|svp|a\.u\.b\.|"
    r"vraag|question|laat (?:even |maar )?weten|let (?:me|us) know)\b"
)
# Regret or a negation: how a cancellation or a change of plan begins, even one no
# cancellation rule recognised. Such mail is never filed as asking nothing.
REGRET_RE = re.compile(
    r"\b(?:helaas|jammer|spijt|sorry|niet|geen|nooit|afzeg\w*|annuleer\w*|annuler\w*|"
    r"verhinderd|ziek|unfortunately|regret|afraid|not|can't|cannot|won't|unable|cancel\w*|"
    r"withdraw\w*|sick|ill)\b"
)
