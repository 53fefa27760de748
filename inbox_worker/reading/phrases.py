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
# What an absence notice adds to the absence: whom to ask meanwhile, or when an
# answer may be expected.
AUTO_REPLY_REFERRAL = re.compile(
    r"\b(?:dringend|urgent|spoed|in (?:the )?(?:meantime|mean time)|intussen|tijdens mijn "
    r"afwezigheid|during my absence|(?:neem|nemen) (?:dan )?contact op|contact (?:my|our) "
    r"colleague|please contact|kunt u contact|kun je contact|mijn collega|my colleague|"
    r"wordt (?:niet )?doorgestuurd|will (?:not )?be forwarded|(?:ik )?(?:reageer|antwoord) "
    r"(?:zo snel mogelijk|na)|(?:i will|i'll) (?:reply|respond|answer|get back)|"
    r"(?:ben|is) (?:weer|vanaf)|(?:terug|back) (?:op|on|vanaf|from)|return(?:ing)? on|"
    r"tot (?:en met )?(?:\d|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)|t/m|"
    r"until|till|(?:will|shall|'ll) (?:get back|reply|respond|answer)|as soon as possible|"
    r"zo (?:snel|spoedig) mogelijk|z\.s\.m|(?:e-?)?mail niet|no access to (?:my )?e-?mail|"
    r"not (?:be )?(?:checking|reading) (?:my )?e-?mail)"
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
# Spam is told by what it does, not by its topic (it borrows ours): it asks for
# money, credentials or a click to avoid a loss, pretends a bill or a registration
# we never had, sells a service or data unrelated to the workshop, or promises
# money. A participant's question about a price, an invoice or a refund uses
# none of these moves, or at most one of them: one hit is never enough.
SPAM_TEXT: Table = _table(
    "nl",
    {
        "verifieer-account": r"\b(?:verifieer|bevestig|valideer|activeer) (?:uw|je|jouw) "
        r"(?:account|mailbox|adres|gegevens|e-?mailadres|identiteit)\b",
        "gegevens-controleren": r"\b(?:uw|je) (?:gegevens|inloggegevens|bankgegevens|"
        r"accountgegevens|account|rekening)\b[^.\n]{0,40}\b(?:te )?(?:controleren|bevestigen|"
        r"verifi[eë]ren|valideren|updaten|actualiseren|bij te werken)\b",
        "mailbox-vol": r"\b(?:mailbox|postvak|opslag)\b[^.\n]{0,30}\b(?:vol|opslaglimiet|"
        r"limiet bereikt)\b|"
        r"\bopslaglimiet\b",
        "wordt-verwijderd": r"\b(?:worden|wordt) (?:binnen \d+ uur )?(?:geweigerd|verwijderd|"
        r"geblokkeerd|"
        r"gedeactiveerd|afgesloten)\b|\bwordt (?:uw|je) (?:toegang|account|rekening|mailbox|"
        r"pas|vermelding|registratie|profiel|bedrijfsprofiel|domeinnaam|website)\b[^.\n]{0,40}\b(?:geblokkeerd|opgeschort|gedeactiveerd|afgesloten)\b",
        # a loss threatened unless one acts (a domain name may hold dots)
        "dreiging": r"\bom (?:onderbreking|blokkering|verlies|afsluiting|verwijdering)\b"
        r"[^.\n]{0,60}\bte voorkomen\b|\b(?:leiden|leidt) tot (?:het )?verlies van\b|"
        r"\b(?:domeinnaam|domein|vermelding|abonnement|licentie|wachtwoord|digid|bankpas|"
        r"betaalpas)\b(?:[^.\n]|\.(?=\w)){0,60}"
        r"\b(?:verloopt|verlopen|vervalt|vervallen|(?:wordt|worden) vrijgegeven)\b",
        # a bill that says it is none: what offers dressed as invoices must print
        "geen-factuur": r"\bis geen factuur\b(?! (?:ontvangen|gekomen|verstuurd|gestuurd|binnen))|"
        r"\bniet verplicht tot (?:betaling|betalen)\b|\bgeen betalingsverplichting\b",
        # pay or order through a link in the mail itself
        "betaal-link": r"\b(?:betaal|betalen|verleng|verlengen|bestel|bestellen|activeer)\b"
        r"[^\n]{0,40}?\b(?:via|op)\b:? ?(?:https?://|www\.)",
        "betaal-kosten": r"\bbetaal\b[^.\n]{0,40}\b(?:kosten|bedrag|eur|€)",
        # pay an amount into an account number the mail itself gives
        "betaal-rekening": r"\b(?:over (?:te )?maken|overmaken|maak|storten|voldoen|betalen)\b"
        r"[^.\n]{0,30}\b(?:op|naar)\b (?:iban|rekening(?:nummer)?|bankrekening)\b:? ?"
        r"[a-z]{2}\d{2} ?[a-z]{4}",
        "incasso": r"\b(?:incassokosten|incassobureau|deurwaarder)\b",
        # a registration we never had: keep a listing by signing a contract
        "vermelding-behouden": r"\b(?:uw|je) (?:vermelding|bedrijfsvermelding|bedrijfsregistratie|"
        r"registratie)\b[^.\n]{0,60}\b(?:te )?(?:behouden|handhaven|verlengen|actualiseren)\b|"
        r"\bregistratieformulier\b[^.\n]{0,60}\b(?:te )?(?:ondertekenen|tekenen|retourneren)\b|"
        r"\blooptijd (?:van )?\d+ (?:jaar|jaren|maanden)\b",
        "pakket": r"\b(?:je|uw) pakket\b",
        "berichten-vast": r"\b\d+\s(?:nieuwe |inkomende )?(?:berichten|e-?mails)\s(?:in de "
        r"wachtrij|vastgehouden|in quarantaine|(?:zijn )?niet afgeleverd)\b",
        "klik-link": r"\bklik (?:hier|op (?:de|onderstaande) (?:link|knop))\b|"
        r"\bvia (?:de )?onderstaande (?:link|knop)\b",
        # a deadline in hours: what pressure to act without thinking looks like
        "binnen-uur": r"\bbinnen (?:\d+|vierentwintig|achtenveertig) uur\b",
        "gedeeld-document": r"\bheeft (?:een |het )?(?:bestand|document|map)\b[^.\n]{0,40}"
        r"\bmet (?:u|je|jou) gedeeld\b",
        "website-fouten": r"\b(?:uw|je) website\b[^.\n]{0,40}\b(?:fouten|problemen|niet mobiel|"
        r"langzaam|google)\b",
        "website-eigenaar": r"\bwebsite ?eigenaar\b|\bik heb (?:uw|je) website bezocht\b",
        "seo": r"\b(?:seo|zoekmachine[- ]?(?:optimalisatie|registratie)|eerste pagina van google|"
        r"hoger in google|bovenaan in google)\b",
        "betaalde-links": r"\bgast(?:blog|artikel)\b|\blink ?building\b|\bbacklinks?\b|"
        r"\bgesponsorde? (?:artikel|blog|bericht)\b",
        "per-plaatsing": r"(?:€|eur) ?\d+[,.-]*\s*per (?:artikel|plaatsing|link|blog)\b",
        # sells lists of people: addresses of civil servants, decision makers
        "adresbestand": r"\b(?:adressen|adres|e-?mail|contact|leads?)(?:bestand|database)(?:en)?\b|"
        r"\b(?:bestand|database|lijst) (?:met|van) (?:\d{1,3}(?:\.\d{3})+|\d+) "
        r"(?:e-?mail)?(?:adressen|contacten|contactpersonen)\b|"
        r"\b\d{1,3}(?:\.\d{3})+\s(?:contactpersonen|beslissers|contacten)\b",
        "prijsactie": r"\bintroductiekorting\b|\bnu met \d+ ?% (?:\w+)?korting\b|"
        r"\b(?:nu )?(?:voor )?slechts (?:€|eur)\s?\d|\bfor only [$€£]\s?\d|"
        r"(?:eur|€) ?[\d.,]+[,-]*\snu (?:voor )?(?:eur|€) ?\d",
        "reviews": r"\b(?:reviews|recensies)\s(?:kopen|inkopen)\b|"
        r"\b(?:positieve|5[- ]sterren|vijfsterren)\s(?:google[- ])?(?:reviews|recensies|"
        r"beoordelingen)\b",
        "gegevens-sturen": r"\b(?:antwoord|reageer|beantwoord)\w*\b[^.\n]{0,40}\bmet (?:uw|je) "
        r"(?:volledige naam|telefoonnummer|adres|bankgegevens|rekeningnummer|geboortedatum)\b",
        "geld-belofte": r"\b(?:erfenis|nalatenschap|loterij|begunstigde|miljoen (?:euro|dollar))\b|"
        r"\bu heeft (?:een (?:prijs|bedrag) )?gewonnen\b",
        "beleggen": r"\b(?:gegarandeerde?|vast) (?:rendement|winst)\b|"
        r"\bbeleggen in (?:crypto|bitcoin)\w*\b",
        # an overpayment scam: more is paid than owed, and the difference is to be sent on
        "verschil-terugstorten": r"\b(?:terug ?storten|terugbetalen|doorstorten|overmaken)\b"
        r"[^.\n]{0,30}\b(?:het )?(?:verschil|teveel|restant|overschot)\b|"
        r"\bhet (?:verschil|teveel(?: betaalde)?|restant|overschot)\b[^.\n]{0,30}\b(?:terug ?"
        r"(?:te )?storten|terug ?(?:te )?betalen|door ?(?:te )?storten|over ?(?:te )?maken)\b",
        "cheque": r"\b(?:cheque|bankcheque)\b",
        "derde-betalen": r"\b(?:betaal|betalen|overmaken|doorstorten|storten)\b[^.\n]{0,40}"
        r"\b(?:aan|naar) (?:onze|de|mijn) (?:reisagent|agent|vervoerder|chauffeur|tolk|"
        r"touroperator)\b",
    },
) + _table(
    "en",
    {
        "verify-account": r"\b(?:verify|confirm|validate|update) your (?:account|mailbox|identity|"
        r"password|payment|details)\b",
        "mailbox-full": r"\bmailbox (?:is )?(?:almost |nearly )?full\b|\bstorage limit\b",
        "threat": r"\b(?:to avoid|to prevent|avoid) (?:any )?(?:interruption|suspension|loss|"
        r"deactivation|closure)\b|\bresult in (?:the )?loss of\b|"
        r"\b(?:domain|listing|subscription|mailbox|password)\b[^.\n]{0,60}\b(?:expires?|expiring|"
        r"will be (?:released|deleted|closed|deactivated|suspended|blocked))\b",
        "not-an-invoice": r"\b(?:this|it) is not an invoice\b|\bnot a bill\b|"
        r"\bno obligation to pay\b",
        "listing-renewal": r"\b(?:your|the) (?:listing|entry) (?:in|on) [^.\n]{0,40}"
        r"\b(?:directory|register|guide)\b|\b(?:sign|complete) and return (?:the|this) "
        r"(?:form|registration|order)\b",
        "held-mail": r"\b\d+\s(?:new |incoming )?(?:pending|undelivered|held|quarantined)\s"
        r"(?:incoming )?(?:messages|e-?mails)\b|\b(?:messages|e-?mails) (?:are )?(?:pending|"
        r"on hold|held) (?:for|in) (?:your )?(?:mailbox|inbox|quarantine)\b",
        "claim-login": r"\bclaim (?:your|the) (?:funds|prize|reward|payment|bitcoin|btc|refund|"
        r"tokens?)\b|\bwithdraw (?:your )?(?:funds|bitcoin|btc|earnings|profits?)\b|"
        r"\b(?:log ?in|sign in)\b[^.\n]{0,20}\bto (?:claim|withdraw|keep|restore|avoid)\b",
        "pay-link": r"\b(?:pay|renew|order|activate)\b[^\n]{0,40}?\b(?:at|via|here)\b:? ?"
        r"(?:https?://|www\.)",
        "click-here": r"\bclick (?:here|the link below|below)\b",
        "within-hours": r"\bwithin (?:\d+|twenty-four|forty-eight) hours\b",
        "shared-document": r"\bshared (?:a|the|an?) (?:file|document|folder) with you\b",
        "seo": r"\b(?:seo|first page of google|search engine optimi[sz]ation|website owner)\b",
        "paid-links": r"\bguest (?:post|article|blog(?:ging)?)\b|\blinkbuilding\b|"
        r"\blink (?:insertion|placement|building)\b|\bbacklinks?\b|"
        r"\bsponsored (?:post|article|content)\b|\bdo-?follow\b|"
        r"\bper (?:placement|link)\b",
        "outreach": r"\b(?:i|we) (?:really |truly )?(?:enjoyed|loved|came across|stumbled upon) "
        r"your (?:article|blog|post|website|site|content)\b|"
        r"\b(?:i'm|i am|we're|we are) reaching out (?:from|on behalf)\b",
        "reviews": r"\b(?:buy|purchase|get more|boost)\b[^.\n]{0,20}\breviews\b|"
        r"\b(?:positive|5[- ]star|five[- ]star)\s(?:google )?reviews\b",
        "sells-data": r"\b(?:e-?mail|contact|attendee|decision[- ]maker|b2b|leads?) "
        r"(?:list|database)s? (?:of|with|for)\b|\binterested in (?:acquiring|purchasing|buying|"
        r"obtaining|licensing) (?:the|our|an?|this)\b",
        # a count in the thousands of the people on sale
        "data-count": r"\b\d{1,3}(?:,\d{3})+\s(?:verified |validated |opt-in )?(?:contacts|"
        r"e-?mail addresses|decision[- ]makers|civil servants|records|leads)\b",
        "reply-details": r"\b(?:reply|respond)\b[^.\n]{0,30}\bwith your (?:full name|name,|phone|"
        r"telephone|mobile|home address|address|date of birth|bank|passport)\b",
        "money": r"\b(?:lottery|inheritance|bitcoin|crypto|wire transfer|million (?:us )?dollars|"
        r"beneficiary)\b",
        "advance-fee": r"\bnext of kin\b|\bdormant account\b|\bunclaimed (?:funds|inheritance)\b|"
        r"\bconsignment box\b|\batm card\b|\b(?:funds|money|sum) (?:can|will|could) be released\b|"
        r"\bshare the (?:funds|proceeds|money)\b|\bmillion\b[^.\n]{0,50}\b(?:dollars|euros?|"
        r"pounds)\b",
        "investment": r"\bguaranteed (?:returns?|profits?|income)\b|\binvestment opportunity\b|"
        r"\btrading (?:platform|bot|account)\b",
        "overpayment": r"\boverpa(?:y|id|yment)\b|\b(?:refund|return|send back|remit|wire|"
        r"transfer|forward)\b[^.\n]{0,30}\b(?:the )?(?:difference|excess|balance|surplus|"
        r"remaining (?:amount|funds|balance))\b",
        "cheque": r"\b(?:cheque|cashier'?s check|certified check|bank draft|money order)\b",
        "third-party-payment": r"\b(?:pay|transfer|send|remit|forward|wire)\b[^.\n]{0,40}"
        r"\bto (?:our|the|my) (?:travel agent|agent|driver|shipper|logistics|transport company|"
        r"tour operator|interpreter)\b",
        "urgent-action": r"\b(?:urgent|immediate) action required\b|"
        r"\baccount (?:will be )?suspended\b",
        "discount": r"\bsave\s*\$?\d|\b\d+% off\b|\b0ff\b|\bjust released\b",
        "dollar-price": r"\d(?:[.,]\d+)?\s?\$",
        "infected": r"\byou are infected\b|\b(?:adware|spyware|malware removal)\b",
        "free-offer": r"\bfree (?:scan|download|trial|gift|offer)\b|\bdownload now\b|\bact now\b",
    },
)
# Brands phishing dresses up as, and the domains that really send their mail: a
# sender that names the brand (display name or domain) from another domain is
# pretending. (brand as it shows in a display name, lower-case; its domains)
BRAND_DOMAINS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rabobank", ("rabobank.nl", "rabobank.com")),
    ("abn amro", ("abnamro.nl", "abnamro.com")),
    ("abnamro", ("abnamro.nl", "abnamro.com")),
    ("ing bank", ("ing.nl", "ing.com")),
    ("snsbank", ("snsbank.nl", "sns.nl")),
    ("sns bank", ("snsbank.nl", "sns.nl")),
    ("triodos", ("triodos.nl", "triodos.com")),
    ("bunq", ("bunq.com",)),
    ("paypal", ("paypal.com", "paypal.nl")),
    ("microsoft", ("microsoft.com", "microsoftonline.com", "office.com", "office365.com",
                   "sharepointonline.com", "sharepoint.com", "outlook.com")),
    ("office 365", ("microsoft.com", "microsoftonline.com", "office.com", "office365.com")),
    ("office365", ("microsoft.com", "microsoftonline.com", "office.com", "office365.com")),
    ("sharepoint", ("sharepointonline.com", "sharepoint.com", "microsoft.com")),
    ("onedrive", ("onedrive.com", "microsoft.com", "sharepointonline.com")),
    ("docusign", ("docusign.net", "docusign.com")),
    ("dropbox", ("dropbox.com", "dropboxmail.com")),
    ("wetransfer", ("wetransfer.com",)),
    ("postnl", ("postnl.nl",)),
)  # fmt: skip

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
